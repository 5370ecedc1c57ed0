/* stats.c - means with t intervals, Clopper-Pearson, paired differences.
 *
 * The mean and variance use Welford's one-pass update, which stays accurate
 * when the values are close together (shares of 0.9999...).  Quantiles come
 * from GSL (gsl_cdf_tdist_Pinv, gsl_cdf_beta_Pinv); with the error handler
 * off (main does it) a quantile GSL cannot find comes back as NaN.  No
 * allocation except the paired differences' scratch array; O(n).
 */
#include "analysis/stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "sim/xalloc.h"

void stats_mean_ci(const double *x, size_t n, double level, struct stats_mean *out)
{
    double mean = 0.0, m2 = 0.0;

    assert(level > 0.0 && level < 1.0);
    assert(n == 0 || x != NULL);
    out->n = n;
    out->mean = out->sd = out->half_width = out->lo = out->hi = NAN;
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean;

        mean += d / (double)(i + 1);
        m2 += d * (x[i] - mean);
    }
    out->mean = mean;
    if (n < 2)
        return;
    out->sd = sqrt(m2 / (double)(n - 1));
    out->half_width = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(n - 1)) *
                      out->sd / sqrt((double)n);
    out->lo = mean - out->half_width;
    out->hi = mean + out->half_width;
}

void stats_clopper_pearson(uint64_t k, uint64_t n, double level, struct stats_prop *out)
{
    double alpha = 1.0 - level;

    assert(level > 0.0 && level < 1.0);
    assert(k <= n);
    out->k = k;
    out->n = n;
    out->p = n > 0 ? (double)k / (double)n : (double)NAN;
    out->lo = k == 0 ? 0.0 : gsl_cdf_beta_Pinv(alpha / 2.0, (double)k, (double)(n - k + 1));
    out->hi = k == n ? 1.0 : gsl_cdf_beta_Pinv(1.0 - alpha / 2.0, (double)(k + 1),
                                                (double)(n - k));
}

void stats_paired_diff(const double *a, const double *b, size_t n, double level,
                       struct stats_mean *out)
{
    double *d = n > 0 ? xmalloc(n * sizeof(*d)) : NULL;

    for (size_t i = 0; i < n; i++)
        d[i] = a[i] - b[i];
    stats_mean_ci(d, n, level, out);
    free(d);
}
