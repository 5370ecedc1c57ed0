/* test_gauge.c - models/gauge: peak and exact time-weighted mean by hand,
 * the warm-up, and an area past 2^64 (the reason it is 128 bits). */
#include <check.h>

#include "models/gauge.h"
#include "tests/suites.h"

#define S(x) ((simtime)(x) * SIMTIME_NS_PER_S)

/* 0 until 1 s, 2 until 3 s, 1 until 4 s: area 2 x 2 + 1 x 1 = 5 level-s,
 * mean over 4 s = 1.25, peak 2. */
START_TEST(test_mean_and_peak)
{
    struct gauge g = {0};

    gauge_set(&g, true, S(1), 2);
    gauge_set(&g, true, S(3), 1);
    gauge_set(&g, true, S(4), 1);
    ck_assert_uint_eq(g.peak, 2);
    ck_assert_double_eq_tol(gauge_mean(&g, S(4)), 1.25, 1e-15);
    ck_assert_double_eq(gauge_mean(&g, 0), 1.0);        /* no span: the level */
}
END_TEST

/* Before the warm-up nothing counts; the restart at 10 s starts the peak at
 * the level (3) and the area at 0: 3 until 12 s, then 5 until 14 s: mean
 * over 4 s = (3 x 2 + 5 x 2) / 4 = 4. */
START_TEST(test_warmup)
{
    struct gauge g = {0};

    gauge_set(&g, false, S(1), 9);
    gauge_set(&g, false, S(2), 3);
    ck_assert_uint_eq(g.peak, 0);
    gauge_restart(&g, S(10));
    ck_assert_uint_eq(g.peak, 3);
    gauge_set(&g, true, S(12), 5);
    gauge_set(&g, true, S(14), 5);
    ck_assert_uint_eq(g.peak, 5);
    ck_assert_double_eq_tol(gauge_mean(&g, S(4)), 4.0, 1e-15);
}
END_TEST

/* 2^40 for 2^40 ns is 2^80: past 64 bits, the mean still exact. */
START_TEST(test_wide_area)
{
    struct gauge g = {0};
    simtime t = (simtime)1 << 40;

    gauge_set(&g, true, 0, (uint64_t)1 << 40);
    gauge_set(&g, true, t, (uint64_t)1 << 40);
    ck_assert_double_eq(gauge_mean(&g, t), (double)((uint64_t)1 << 40));
}
END_TEST

Suite *gauge_suite(void)
{
    Suite *s = suite_create("gauge");
    TCase *core = tcase_create("core");

    tcase_add_test(core, test_mean_and_peak);
    tcase_add_test(core, test_warmup);
    tcase_add_test(core, test_wide_area);
    suite_add_tcase(s, core);
    return s;
}
