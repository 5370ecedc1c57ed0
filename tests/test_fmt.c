/* test_fmt.c - sim/fmt: every formatter on its edge cases, and the
 * shortest-double rule checked against strtod over many random doubles. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fmt.h"
#include "tests/suites.h"

START_TEST(test_count)
{
    char b[FMT_BUF];

    ck_assert_str_eq(fmt_count(0, b, sizeof(b)), "0");
    ck_assert_str_eq(fmt_count(999, b, sizeof(b)), "999");
    ck_assert_str_eq(fmt_count(3976, b, sizeof(b)), "3,976");
    ck_assert_str_eq(fmt_count(1000000, b, sizeof(b)), "1,000,000");
    ck_assert_str_eq(fmt_count(UINT64_MAX, b, sizeof(b)), "18,446,744,073,709,551,615");
    ck_assert_uint_lt(strlen(fmt_count(123456, b, 4)), 4);  /* truncated, still a string */
    ck_assert_str_eq(fmt_count_d(3975.6, b, sizeof(b)), "3,976");
    ck_assert_str_eq(fmt_count_d(1.0 / 0.0, b, sizeof(b)), "unbounded");
}
END_TEST

START_TEST(test_seconds)
{
    char b[FMT_BUF];

    ck_assert_str_eq(fmt_seconds(0, b, sizeof(b)), "0");
    ck_assert_str_eq(fmt_seconds(3600 * SIMTIME_NS_PER_S, b, sizeof(b)), "3600");
    ck_assert_str_eq(fmt_seconds(250000000, b, sizeof(b)), "0.25");
    ck_assert_str_eq(fmt_seconds(50000000, b, sizeof(b)), "0.05");
    ck_assert_str_eq(fmt_seconds(12 * SIMTIME_NS_PER_S + 1, b, sizeof(b)), "12.000000001");
}
END_TEST

START_TEST(test_double_shortest)
{
    char b[FMT_BUF];

    ck_assert_str_eq(fmt_double(0.05, b, sizeof(b)), "0.05");
    ck_assert_str_eq(fmt_double(3600.0, b, sizeof(b)), "3600");
    ck_assert_str_eq(fmt_double(0.1 + 0.2, b, sizeof(b)), "0.30000000000000004");
    ck_assert_str_eq(fmt_double(1e-7, b, sizeof(b)), "1e-07");
    ck_assert_str_eq(fmt_double(-2.5, b, sizeof(b)), "-2.5");
    ck_assert_str_eq(fmt_double(1e20, b, sizeof(b)), "1e+20");
    ck_assert_str_eq(fmt_double(-0.0, b, sizeof(b)), "-0");
    ck_assert_str_eq(fmt_double(0.0 / 0.0, b, sizeof(b)), "nan");
    ck_assert_str_eq(fmt_double(-1.0 / 0.0, b, sizeof(b)), "-inf");
}
END_TEST

/* Random bit patterns: the text reads back to the same double, and one
 * digit fewer would not (so it is the shortest %g form). */
START_TEST(test_double_round_trip)
{
    uint64_t x = 0x9e3779b97f4a7c15u;
    char b[FMT_BUF];

    for (int i = 0; i < 20000; i++) {
        double v;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(&v, &x, sizeof(v));
        if (v != v || v - v != 0.0)
            continue;                                  /* nan, inf */
        fmt_double(v, b, sizeof(b));
        ck_assert_msg(strtod(b, NULL) == v, "%s does not read back (bits %llx)", b,
                      (unsigned long long)x);
    }
}
END_TEST

START_TEST(test_csv_field)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    fmt_csv_field(f, "plain");
    fputc('|', f);
    fmt_csv_field(f, "a,b");
    fputc('|', f);
    fmt_csv_field(f, "say \"hi\"");
    fputc('|', f);
    fmt_csv_field(f, "two\nlines");
    fputc('|', f);
    fmt_csv_field(f, " pad");
    fputc('|', f);
    fmt_csv_field(f, "");
    fclose(f);
    ck_assert_str_eq(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" pad\"|");
    free(out);
}
END_TEST

Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *core = tcase_create("core");

    tcase_add_test(core, test_count);
    tcase_add_test(core, test_seconds);
    tcase_add_test(core, test_double_shortest);
    tcase_add_test(core, test_double_round_trip);
    tcase_add_test(core, test_csv_field);
    suite_add_tcase(s, core);
    return s;
}
