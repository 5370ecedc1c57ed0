/* stats.c - means with t intervals, Clopper-Pearson, paired differences.
 *
 * The mean and variance use Welford's one-pass update, which stays accurate
 * when the values are close together (shares of 0.9999...).  The t quantile
 * comes from GSL (gsl_cdf_tdist_Pinv).  The beta quantile of Clopper-Pearson
 * does NOT use gsl_cdf_beta_Pinv: in GSL 2.7 it fails to converge ("inverse
 * failed to converge", NaN) for ordinary report sizes such as 3 failures in
 * 300,000 requests, and loops for a very long time when both parameters are
 * in the tens of millions.  We bisect on the CDF gsl_cdf_beta_P instead (about
 * 50 steps to a relative 1e-12), and when even the CDF gives up (NaN, both
 * parameters beyond ~10^7) use the normal approximation of the beta
 * distribution, whose error there is far below the interval's width.
 * No allocation except the paired differences' scratch array; O(n).
 */
#include "analysis/stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "sim/xalloc.h"

/* ---- Beta quantiles ---- */

/* The 'prob' quantile of Beta(a, b) by its mean and standard deviation. */
static double beta_quantile_normal(double prob, double a, double b)
{
    double ab = a + b;
    double x = a / ab + gsl_cdf_ugaussian_Pinv(prob) * sqrt(a * b / (ab * ab * (ab + 1.0)));

    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* The 'prob' quantile of Beta(a, b), a, b > 0: bisection on the CDF. */
static double beta_quantile(double prob, double a, double b)
{
    double lo = 0.0, hi = 1.0;

    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = lo + (hi - lo) / 2.0;
        double c;

        if (mid <= lo || mid >= hi)
            break;
        c = gsl_cdf_beta_P(mid, a, b);
        if (isnan(c))
            return beta_quantile_normal(prob, a, b);
        if (c < prob)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2.0;
}

/* ---- Public functions ---- */

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
    out->lo = k == 0 ? 0.0 : beta_quantile(alpha / 2.0, (double)k, (double)(n - k + 1));
    out->hi = k == n ? 1.0 : beta_quantile(1.0 - alpha / 2.0, (double)(k + 1), (double)(n - k));
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
