/* test_stats.c - t intervals, Clopper-Pearson and paired differences against
 * values computed by hand (and checked with mpmath). */
#include <check.h>
#include <math.h>

#include "analysis/stats.h"
#include "tests/suites.h"

START_TEST(test_mean_ci)
{
    /* {1,2,3,4}: mean 2.5, s = sqrt(5/3) = 1.290994, t(0.975, 3) = 3.182446,
     * half-width = 3.182446 * 1.290994 / 2 = 2.054. */
    const double x[] = {1, 2, 3, 4};
    struct stats_mean m;

    stats_mean_ci(x, 4, 0.95, &m);
    ck_assert_uint_eq(m.n, 4);
    ck_assert_double_eq_tol(m.mean, 2.5, 1e-15);
    ck_assert_double_eq_tol(m.sd, 1.290994, 1e-6);
    ck_assert_double_eq_tol(m.half_width, 3.182446 * 1.290994 / 2.0, 1e-5);
    ck_assert_double_eq_tol(m.half_width, 2.054, 0.0005);
    ck_assert_double_eq_tol(m.lo, 2.5 - m.half_width, 1e-15);
    ck_assert_double_eq_tol(m.hi, 2.5 + m.half_width, 1e-15);
}
END_TEST

START_TEST(test_mean_small_n)
{
    const double one = 0.25;
    const double same[] = {0.1, 0.1, 0.1};
    struct stats_mean m;

    stats_mean_ci(&one, 1, 0.95, &m);                /* one value: no interval */
    ck_assert_double_eq(m.mean, 0.25);
    ck_assert(isnan(m.sd) && isnan(m.half_width) && isnan(m.lo) && isnan(m.hi));
    stats_mean_ci(NULL, 0, 0.95, &m);
    ck_assert(isnan(m.mean));
    stats_mean_ci(same, 3, 0.95, &m);               /* no spread: a zero-width interval */
    ck_assert_double_eq_tol(m.half_width, 0.0, 1e-15);
}
END_TEST

START_TEST(test_clopper_pearson)
{
    struct stats_prop p;

    /* 0/10: [0, 1 - 0.025^(1/10)] = [0, 0.3085]. */
    stats_clopper_pearson(0, 10, 0.95, &p);
    ck_assert_double_eq(p.p, 0.0);
    ck_assert_double_eq(p.lo, 0.0);
    ck_assert_double_eq_tol(p.hi, 0.308497, 1e-6);
    /* 5/10: [0.1871, 0.8129] (symmetric). */
    stats_clopper_pearson(5, 10, 0.95, &p);
    ck_assert_double_eq_tol(p.lo, 0.187086, 1e-6);
    ck_assert_double_eq_tol(p.hi, 0.812914, 1e-6);
    /* 10/10: [0.025^(1/10), 1] = [0.6915, 1]. */
    stats_clopper_pearson(10, 10, 0.95, &p);
    ck_assert_double_eq_tol(p.lo, 1.0 - 0.308497, 1e-6);
    ck_assert_double_eq(p.hi, 1.0);
    /* 0/300: upper 1 - 0.025^(1/300) = 0.012222. */
    stats_clopper_pearson(0, 300, 0.95, &p);
    ck_assert_double_eq_tol(p.hi, 1.0 - pow(0.025, 1.0 / 300.0), 1e-9);
    /* No trials: no information. */
    stats_clopper_pearson(0, 0, 0.95, &p);
    ck_assert(isnan(p.p));
    ck_assert_double_eq(p.lo, 0.0);
    ck_assert_double_eq(p.hi, 1.0);
    /* GSL 2.7's gsl_cdf_beta_Pinv fails on these (NaN, or runs for minutes):
     * 3 in 300,000 is close to the Poisson bounds chi2(0.025, 6) / 2n and
     * chi2(0.975, 8) / 2n = 1.2373 / 600000 and 17.5345 / 600000. */
    stats_clopper_pearson(3, 300000, 0.95, &p);
    ck_assert_double_eq_tol(p.lo / (1.2373 / 600000.0), 1.0, 1e-3);
    ck_assert_double_eq_tol(p.hi / (17.5345 / 600000.0), 1.0, 1e-3);
    /* Half of 10^8: p +- 1.96 sqrt(p (1 - p) / n) = 0.5 +- 9.8e-5. */
    stats_clopper_pearson(50000000, 100000000, 0.95, &p);
    ck_assert_double_eq_tol(p.lo, 0.5 - 1.959964 * 0.5 / 1e4, 1e-7);
    ck_assert_double_eq_tol(p.hi, 0.5 + 1.959964 * 0.5 / 1e4, 1e-7);
    /* Large n: 5 in a million stays finite and brackets 5e-6. */
    stats_clopper_pearson(5, 1000000, 0.95, &p);
    ck_assert(p.lo > 1e-6 && p.lo < 5e-6 && p.hi > 5e-6 && p.hi < 1.5e-5);
}
END_TEST

START_TEST(test_paired_diff)
{
    /* d = {1, 2, 3}: mean 2, s = 1, t(0.975, 2) = 4.302653, hw = 4.302653 / sqrt(3). */
    const double a[] = {2, 4, 6}, b[] = {1, 2, 3};
    struct stats_mean m;

    stats_paired_diff(a, b, 3, 0.95, &m);
    ck_assert_uint_eq(m.n, 3);
    ck_assert_double_eq_tol(m.mean, 2.0, 1e-15);
    ck_assert_double_eq_tol(m.sd, 1.0, 1e-15);
    ck_assert_double_eq_tol(m.half_width, 4.302653 / sqrt(3.0), 1e-6);
    stats_paired_diff(NULL, NULL, 0, 0.95, &m);
    ck_assert_uint_eq(m.n, 0);
    ck_assert(isnan(m.mean));
}
END_TEST

Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_mean_ci);
    tcase_add_test(core, test_clopper_pearson);
    tcase_add_test(core, test_paired_diff);
    tcase_add_test(edge, test_mean_small_n);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
