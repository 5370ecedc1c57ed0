/* test_hist.c - the log-bucket histogram (models/hist.h): buckets, exact
 * small values, quantiles as bucket upper ends, exact max and mean.
 */
#include <check.h>

#include "models/hist.h"
#include "tests/suites.h"

/* Buckets by hand (HIST_SUB = 32): 31 -> 31 (exact); 32 -> shift 0, bucket
 * 32 + 32 - 32 = 32, covering [32, 32]; 64 -> shift 1, bucket 64 + 32 - 32 =
 * 64, covering [64, 65]; 14,208 = 2^13 + 6,016 -> shift 8, 14,208 >> 8 = 55,
 * bucket 9 * 32 + 55 - 32 = 311, covering [55 << 8, (56 << 8) - 1] =
 * [14,080, 14,335]. */
START_TEST(test_buckets)
{
    ck_assert_uint_eq(hist_bucket(31), 31);
    ck_assert_uint_eq(hist_bucket(32), 32);
    ck_assert_uint_eq(hist_bucket_hi(32), 32);
    ck_assert_uint_eq(hist_bucket(64), 64);
    ck_assert_uint_eq(hist_bucket_hi(64), 65);
    ck_assert_uint_eq(hist_bucket(14208), 311);
    ck_assert_uint_eq(hist_bucket_hi(311), 14335);
    ck_assert_uint_eq(hist_bucket(UINT64_MAX), HIST_NBUCKETS - 1);
    ck_assert_uint_eq(hist_bucket_hi(HIST_NBUCKETS - 1), UINT64_MAX);
    /* every bucket starts one after the previous one ends */
    for (uint32_t b = 1; b < HIST_NBUCKETS; b++)
        ck_assert_uint_eq(hist_bucket(hist_bucket_hi(b - 1) + 1), b);
}
END_TEST

/* Values 1..100 once each: mean 50.5; p50 = rank 50 = 50, exact (below 64
 * the shift is 0); p99 = rank 99 in bucket [98, 99] (shift 1): 99; p98 = rank
 * 98 in the same bucket: 99, one above; max 100; p100 = 100 (bucket
 * [100, 103], capped at the max). */
START_TEST(test_quantiles)
{
    static struct hist h;

    hist_reset(&h);
    ck_assert_uint_eq(hist_quantile(&h, 0.5), 0);
    for (uint64_t v = 1; v <= 100; v++)
        hist_add(&h, v);
    ck_assert_uint_eq(h.count, 100);
    ck_assert_double_eq(hist_mean(&h), 50.5);
    ck_assert_uint_eq(hist_quantile(&h, 0.5), 50);
    ck_assert_uint_eq(hist_quantile(&h, 0.99), 99);
    ck_assert_uint_eq(hist_quantile(&h, 0.98), 99);
    ck_assert_uint_eq(hist_quantile(&h, 1.0), 100);
    ck_assert_uint_eq(h.max, 100);
}
END_TEST

/* Small values are exact: 99 ones and one 7 -> p50 1, p99 1, max 7. */
START_TEST(test_small_exact)
{
    static struct hist h;

    hist_reset(&h);
    for (int i = 0; i < 99; i++)
        hist_add(&h, 1);
    hist_add(&h, 7);
    ck_assert_uint_eq(hist_quantile(&h, 0.5), 1);
    ck_assert_uint_eq(hist_quantile(&h, 0.99), 1);
    ck_assert_uint_eq(hist_quantile(&h, 1.0), 7);
    ck_assert_double_eq(hist_mean(&h), 1.06);
}
END_TEST

Suite *hist_suite(void)
{
    Suite *s = suite_create("hist");
    TCase *core = tcase_create("core");

    tcase_add_test(core, test_buckets);
    tcase_add_test(core, test_quantiles);
    tcase_add_test(core, test_small_exact);
    suite_add_tcase(s, core);
    return s;
}
