/* stats.h - statistics over replications: means, proportions, paired differences.
 *
 * Replications of one scenario with different seeds are independent, so a
 * per-replication figure gets a mean with a Student t interval over the
 * replications, and a count pooled over them (k failures in n trials) gets
 * the exact Clopper-Pearson binomial interval.  Two remedies run with the same
 * seed see the same workload (common random numbers), so their per-seed
 * differences get a t interval of their own, much narrower than the two
 * separate intervals would suggest.
 *
 * Conventions: 'level' is the two-sided confidence, e.g. 0.95.  No interval
 * can be had from fewer than two values: the bounds and half-width are then
 * NaN (the printers say "no interval").  Pure functions; O(n).
 */
#ifndef PORTSIM_ANALYSIS_STATS_H
#define PORTSIM_ANALYSIS_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_LEVEL 0.95            /* the confidence every report uses */

/* A mean with its Student t interval (plain data). */
struct stats_mean {
    size_t n;                       /* values */
    double mean;                    /* NaN if n = 0 */
    double sd;                      /* sample standard deviation (n - 1); NaN if n < 2 */
    double half_width;              /* t(1 - (1 - level)/2, n - 1) * sd / sqrt(n); NaN if n < 2 */
    double lo;                      /* mean - half_width; NaN if n < 2 */
    double hi;                      /* mean + half_width; NaN if n < 2 */
};

/* A pooled proportion with its Clopper-Pearson interval (plain data). */
struct stats_prop {
    uint64_t k;                     /* successes (here: failures) */
    uint64_t n;                     /* trials */
    double p;                       /* k / n; NaN if n = 0 */
    double lo;                      /* exact lower bound; 0 if k = 0 (and if n = 0) */
    double hi;                      /* exact upper bound; 1 if k = n (and if n = 0) */
};

/* Mean and t interval of 'x[0..n)' at 'level' (in (0, 1)). */
void stats_mean_ci(const double *x, size_t n, double level, struct stats_mean *out);

/* Clopper-Pearson interval of k / n at 'level': lo = Beta^-1((1-level)/2; k,
 * n-k+1), hi = Beta^-1(1 - (1-level)/2; k+1, n-k).  'k' <= 'n' (asserted). */
void stats_clopper_pearson(uint64_t k, uint64_t n, double level, struct stats_prop *out);

/* Mean and t interval of the paired differences a[i] - b[i], i < n. */
void stats_paired_diff(const double *a, const double *b, size_t n, double level,
                       struct stats_mean *out);

#endif /* PORTSIM_ANALYSIS_STATS_H */
