/* test_simtime.c - duration parsing and conversion. */
#include <check.h>
#include <string.h>

#include "sim/simtime.h"
#include "tests/suites.h"

struct good_case {
    const char *text;
    simtime ns;
};

static const struct good_case good[] = {
    {"240", UINT64_C(240000000000)},
    {"240s", UINT64_C(240000000000)},
    {" 240 s ", UINT64_C(240000000000)},
    {"0.05", UINT64_C(50000000)},
    {"50ms", UINT64_C(50000000)},
    {"2min", UINT64_C(120000000000)},
    {"1h", UINT64_C(3600000000000)},
    {"1d", UINT64_C(86400000000000)},
    {"0", 0},
    {"1ns", 1},
    {"1.4ns", 1},
    {"1.5ns", 2},
    {"2.5us", 2500},
    {"1e-3", 1000000},
    {"0.1", 100000000},
    {"86400", UINT64_C(86400000000000)},
    {"2.048", UINT64_C(2048000000)},
};

static const char *const bad[] = {
    "abc", "-1", "1e400", "5 parsecs", "", "   ", "10 m", "1x", "0x10", "inf", "nan",
    "1.5.2", "+5", "s", "5ss", "99999999999999999999d",
};

START_TEST(test_parse_good)
{
    simtime t = 12345;
    struct err e;

    err_clear(&e);
    ck_assert_msg(simtime_parse(good[_i].text, &t, &e) == 0, "'%s': %s", good[_i].text, e.msg);
    ck_assert_uint_eq(t, good[_i].ns);
}
END_TEST

START_TEST(test_parse_bad)
{
    simtime t = 777;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(simtime_parse(bad[_i], &t, &e), PS_EINVAL);
    ck_assert_uint_eq(t, 777);                 /* untouched */
    ck_assert_ptr_nonnull(strstr(e.msg, "got '"));
    ck_assert_ptr_nonnull(strstr(e.msg, bad[_i]));
    ck_assert_ptr_nonnull(strstr(e.msg, "duration"));
}
END_TEST

START_TEST(test_convert)
{
    char buf[32];

    ck_assert_uint_eq(simtime_from_s(0.05), 50000000);
    ck_assert_uint_eq(simtime_from_s(198.8), UINT64_C(198800000000));
    ck_assert_uint_eq(simtime_from_s(-1.0), 0);
    ck_assert_uint_eq(simtime_from_s(1e30), SIMTIME_NEVER);
    ck_assert_double_eq(simtime_to_s(UINT64_C(240000000000)), 240.0);
    ck_assert_str_eq(simtime_fmt_ms(UINT64_C(240050000000), buf, sizeof(buf)), "240.050");
    ck_assert_str_eq(simtime_fmt_ms(UINT64_C(1999600), buf, sizeof(buf)), "0.002");
}
END_TEST

Suite *simtime_suite(void)
{
    Suite *s = suite_create("simtime");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_loop_test(core, test_parse_good, 0, (int)(sizeof(good) / sizeof(good[0])));
    tcase_add_test(core, test_convert);
    tcase_add_loop_test(edge, test_parse_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
