/* test_numparse.c - the one number and duration parser (sim/numparse.h).
 *
 * Good inputs with their exact values, bad ones (hex, inf, nan, overflow,
 * empty, blanks, trailing text, a '+', negative whole numbers, 2^64) that
 * must give PS_EINVAL and leave the output alone.
 */
#include <check.h>
#include <stdint.h>

#include "sim/numparse.h"
#include "tests/suites.h"

START_TEST(test_u64_good)
{
    uint64_t v = 7;

    ck_assert_int_eq(numparse_u64("0", &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(numparse_u64("007", &v), 0);
    ck_assert_uint_eq(v, 7);
    /* 2^64 - 1 = 18446744073709551615, the largest */
    ck_assert_int_eq(numparse_u64("18446744073709551615", &v), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

static const char *const u64_bad[] = {
    "", " 1", "1 ", "+1", "-1", "-0", "0x10", "1.0", "1e3", "inf", "nan", "12abc",
    "18446744073709551616",             /* 2^64 */
    "99999999999999999999999",
};

START_TEST(test_u64_bad)
{
    uint64_t v = 777;

    ck_assert_msg(numparse_u64(u64_bad[_i], &v) == PS_EINVAL, "'%s' accepted", u64_bad[_i]);
    ck_assert_uint_eq(v, 777);
}
END_TEST

struct dcase {
    const char *text;
    double v;
};

static const struct dcase dbl_good[] = {
    {"0", 0.0}, {"10", 10.0}, {"0.05", 0.05}, {".5", 0.5}, {"5.", 5.0}, {"-3", -3.0},
    {"1e-7", 1e-7}, {"2.5E+3", 2500.0}, {"1e308", 1e308},
};

START_TEST(test_double_good)
{
    double v = 0;

    ck_assert_msg(numparse_double(dbl_good[_i].text, &v) == 0, "'%s' refused", dbl_good[_i].text);
    ck_assert_double_eq(v, dbl_good[_i].v);
}
END_TEST

static const char *const dbl_bad[] = {
    "", " ", " 1", "1 ", "+1", "0x10", "0x1p-7", "inf", "-inf", "nan", "NAN", "1e400",
    "-1e400", "1e-400", "1.5.2", "1e", "e5", ".", "-", "5abc", "1,5", "--1",
};

START_TEST(test_double_bad)
{
    double v = 777;

    ck_assert_msg(numparse_double(dbl_bad[_i], &v) == PS_EINVAL, "'%s' accepted", dbl_bad[_i]);
    ck_assert_double_eq(v, 777);
}
END_TEST

START_TEST(test_double_prefix)
{
    double v = 0;
    size_t n = 0;

    /* "5..80": the number is "5" (the '.' that follows has no digit, but
     * "5." is itself a number: the prefix is "5.", length 2) */
    ck_assert_int_eq(numparse_double_prefix("5..80 x2", &v, &n), 0);
    ck_assert_double_eq(v, 5.0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(numparse_double_prefix("0.1 step", &v, &n), 0);
    ck_assert_double_eq(v, 0.1);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(numparse_double_prefix("x2", &v, &n), PS_EINVAL);
}
END_TEST

struct tcase_dur {
    const char *text;
    simtime ns;
};

static const struct tcase_dur dur_good[] = {
    {"240", UINT64_C(240000000000)}, {" 2 min ", UINT64_C(120000000000)},
    {"50ms", UINT64_C(50000000)}, {"1.5ns", 2}, {"1e-3", UINT64_C(1000000)},
    {"0", 0}, {"1d", UINT64_C(86400000000000)},
};

START_TEST(test_duration_good)
{
    simtime t = 1;

    ck_assert_msg(numparse_duration(dur_good[_i].text, &t) == 0, "'%s'", dur_good[_i].text);
    ck_assert_uint_eq(t, dur_good[_i].ns);
}
END_TEST

static const char *const dur_bad[] = {
    "", "   ", "-1", "-0", "+5", "0x10", "inf", "nan", "1e400", "5 parsecs", "10 m", "5ss",
    "99999999999999999999d",            /* above 2^64 ns */
};

START_TEST(test_duration_bad)
{
    simtime t = 777;

    ck_assert_msg(numparse_duration(dur_bad[_i], &t) == PS_EINVAL, "'%s' accepted", dur_bad[_i]);
    ck_assert_uint_eq(t, 777);
}
END_TEST

Suite *numparse_suite(void)
{
    Suite *s = suite_create("numparse");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_u64_good);
    tcase_add_loop_test(tc, test_u64_bad, 0, (int)(sizeof(u64_bad) / sizeof(u64_bad[0])));
    tcase_add_loop_test(tc, test_double_good, 0, (int)(sizeof(dbl_good) / sizeof(dbl_good[0])));
    tcase_add_loop_test(tc, test_double_bad, 0, (int)(sizeof(dbl_bad) / sizeof(dbl_bad[0])));
    tcase_add_test(tc, test_double_prefix);
    tcase_add_loop_test(tc, test_duration_good, 0,
                        (int)(sizeof(dur_good) / sizeof(dur_good[0])));
    tcase_add_loop_test(tc, test_duration_bad, 0, (int)(sizeof(dur_bad) / sizeof(dur_bad[0])));
    suite_add_tcase(s, tc);
    return s;
}
