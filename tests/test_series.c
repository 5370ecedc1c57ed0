/* test_series.c - the sample-series codec (analysis/series.h) without any
 * database: exact round trips, the text it writes, times written as
 * fmt_seconds() writes them, and every kind of bad input refused. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/series.h"
#include "sim/fmt.h"
#include "sim/rng.h"
#include "tests/suites.h"

/* Format 'smp[0..n)' into a fresh NUL-terminated string; caller frees. */
static char *format(const struct run_sample *smp, size_t n)
{
    char *buf = malloc(series_max_len(n) + 1);
    size_t len = 0, bad = 99;

    ck_assert_ptr_nonnull(buf);
    ck_assert(series_format(smp, n, buf, &len, &bad));
    ck_assert_uint_le(len, series_max_len(n));
    buf[len] = '\0';
    return buf;
}

/* Issue 17: rows written before bound and candidates_max (six columns)
 * still read, with zeros for the two; eight-column rows read all eight. */
START_TEST(test_six_columns)
{
    static const char old[] = "[[1,2,3,4,5,6],[2,7,7,7,7,7,9,14208]]";
    struct run_sample *x = NULL;

    ck_assert(series_parse(old, sizeof(old) - 1, 2, &x));
    ck_assert_uint_eq(x[0].requests, 6);
    ck_assert_uint_eq(x[0].bound, 0);
    ck_assert_uint_eq(x[0].candidates_max, 0);
    ck_assert_uint_eq(x[1].bound, 9);
    ck_assert_uint_eq(x[1].candidates_max, 14208);
    free(x);
    ck_assert(!series_parse("[[1,2,3,4,5,6,7]]", 17, 1, &x));   /* seven: neither */
}
END_TEST

START_TEST(test_text)
{
    /* t = 0.5 s, 1.25 s, 3600 s, 12.000000001 s: the shortest exact decimals */
    static const struct run_sample smp[] = {
        {500000000, 1, 2, 3, 4, 5, 0, 0},
        {1250000000, 0, 0, 0, 0, 0, 0, 0},
        {UINT64_C(3600000000000), 4294967295u, 3976, 20, 0, 20, 0, 0},
        {UINT64_C(3600000000001), 7, 7, 7, 7, 7, 0, 0},
    };
    char *text = format(smp, 4);

    ck_assert_str_eq(text, "[[0.5,1,2,3,4,5,0,0],[1.25,0,0,0,0,0,0,0],"
                           "[3600,4294967295,3976,20,0,20,0,0],"
                           "[3600.000000001,7,7,7,7,7,0,0]]");
    free(text);
    text = format(NULL, 0);
    ck_assert_str_eq(text, "[]");
    free(text);
}
END_TEST

/* 10,000 random samples: parse(format(x)) == x bit for bit, and each time
 * is written exactly as fmt_seconds() writes it. */
START_TEST(test_round_trip)
{
    enum { N = 10000 };
    struct run_sample *smp = calloc(N, sizeof(*smp)), *back = NULL;
    uint64_t x = 42;
    char *text, *p;
    simtime t = 0;

    ck_assert_ptr_nonnull(smp);
    for (size_t k = 0; k < N; k++) {
        uint64_t a = x = rng_mix64(x), b = x = rng_mix64(x);

        /* steps from 1 ns to ~1,000 s, so every digit count of t occurs */
        t += 1 + a % (UINT64_C(1) << (b % 40));
        smp[k] = (struct run_sample){t, (uint32_t)a, (uint32_t)(a >> 32), (uint32_t)b,
                                     (uint32_t)(k % 3), k == 0 ? UINT32_MAX
                                                               : (uint32_t)(b >> 32),
                                     (uint32_t)(a % 7), (uint32_t)(b % 14208)};
    }
    text = format(smp, N);
    ck_assert(series_parse(text, strlen(text), N, &back));
    for (size_t k = 0; k < N; k++) {        /* field by field: padding may differ */
        ck_assert(back[k].t == smp[k].t && back[k].in_use == smp[k].in_use &&
                  back[k].time_wait == smp[k].time_wait && back[k].connects == smp[k].connects &&
                  back[k].failures == smp[k].failures && back[k].requests == smp[k].requests);
    }
    p = text + 1;
    for (size_t k = 0; k < N; k++) {
        char want[FMT_BUF];
        size_t len = strlen(fmt_seconds(smp[k].t, want, sizeof(want)));

        ck_assert_msg(p[0] == '[' && strncmp(p + 1, want, len) == 0 && p[1 + len] == ',',
                      "sample %zu: expected t %s", k, want);
        p = strchr(p, ']') + 2;
    }
    free(back);
    free(text);
    free(smp);
}
END_TEST

START_TEST(test_refuses_disorder)
{
    struct run_sample smp[3] = {{1000, 1, 1, 1, 1, 1, 0, 0}, {2000, 2, 2, 2, 2, 2, 0, 0},
                                {2000, 3, 3, 3, 3, 3, 0, 0}};
    char buf[512];
    size_t len = 0, bad = 0;

    ck_assert(!series_format(smp, 3, buf, &len, &bad));
    ck_assert_uint_eq(bad, 2);
    smp[2].t = 1500;
    ck_assert(!series_format(smp, 3, buf, &len, &bad));
    ck_assert_uint_eq(bad, 2);
    smp[2].t = 2001;
    ck_assert(series_format(smp, 3, buf, &len, &bad));
}
END_TEST

START_TEST(test_bad_input)
{
    static const struct {
        const char *text;
        int64_t n;
    } bad[] = {
        {"", 0},
        {"[", 0},
        {"[[1,2,3,4,5]]", 1},                       /* a field short */
        {"[[1,2,3,4,5,6,7]]", 1},                   /* a field too many */
        {"[[1,2,3,4,5,6]", 1},                      /* unclosed */
        {"[[1,2,3,4,5,-6]]", 1},                    /* negative */
        {"[[-1,2,3,4,5,6]]", 1},
        {"[[1.5e3,2,3,4,5,6]]", 1},                 /* exponent */
        {"[[1,2,3,4,5,4294967296]]", 1},            /* over 32 bits */
        {"[[1.0000000001,2,3,4,5,6]]", 1},          /* finer than 1 ns */
        {"[[1.,2,3,4,5,6]]", 1},                    /* no digit after the point */
        {"[[.5,2,3,4,5,6]]", 1},                    /* none before it */
        {"[[18446744073.709551616,2,3,4,5,6]]", 1}, /* over 64 bits of ns */
        {"[[2,2,3,4,5,6],[1,2,3,4,5,6]]", 2},       /* out of order */
        {"[[1,2,3,4,5,6],[1,2,3,4,5,6]]", 2},       /* the same time twice */
        {"[[1,2,3,4,5,6]] x", 1},                   /* trailing text */
        {"[[1,2,3,4,5,6]]", 2},                     /* wrong count */
        {"[[1,2,3,4,5,6]]", 0},
        {"[[1,2,3,4,5,6]]", -1},
        {"[[1,2,3,4,5,6]]", INT64_MAX},             /* a count the text cannot hold */
        {"[[1,\"2\",3,4,5,6]]", 1},                 /* a string */
        {"[[1,2,3,4,5,6],]", 1},                    /* a trailing comma */
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct run_sample *out = (struct run_sample *)&out;    /* not NULL */

        ck_assert_msg(!series_parse(bad[i].text, strlen(bad[i].text), bad[i].n, &out),
                      "accepted %s (n %lld)", bad[i].text, (long long)bad[i].n);
    }
}
END_TEST

START_TEST(test_blanks_and_length)
{
    static const char text[] = " [ [ 1.5 , 2 ,3,4,5,6 ] ,\n[2,0,0,0,0,0]] ";
    struct run_sample *out = NULL;

    ck_assert(series_parse(text, strlen(text), 2, &out));
    ck_assert_uint_eq(out[0].t, 1500000000u);
    ck_assert_uint_eq(out[0].requests, 6);
    ck_assert_uint_eq(out[1].t, 2000000000u);
    free(out);
    /* only 'len' bytes count: the text need not end in NUL */
    ck_assert(!series_parse("[[1,2,3,4,5,6]]", 14, 1, &out));
    ck_assert(series_parse("[]", 2, 0, &out));
    ck_assert_ptr_null(out);
}
END_TEST

Suite *series_suite(void)
{
    Suite *s = suite_create("series");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_text);
    tcase_add_test(core, test_six_columns);
    tcase_add_test(core, test_round_trip);
    tcase_add_test(edge, test_refuses_disorder);
    tcase_add_test(edge, test_bad_input);
    tcase_add_test(edge, test_blanks_and_length);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
