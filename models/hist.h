/* hist.h - a fixed log-bucket histogram of non-negative integers, for
 * quantiles that are deterministic and cheap (after HdrHistogram).
 *
 * Values below 2^HIST_SUB_BITS have a bucket each (exact); above, every
 * power of two [2^e, 2^(e+1)) is cut into 2^HIST_SUB_BITS equal buckets, so
 * a quantile is the upper end of its bucket: never below the true value and
 * at most 1/2^HIST_SUB_BITS (3.1 %) above it.  The count, the sum (for the
 * mean) and the maximum are exact.  Memory: HIST_NBUCKETS counters (15 KB);
 * hist_add() is O(1), a quantile O(HIST_NBUCKETS).  Plain data: embed it or
 * allocate it; zeroed memory is an empty histogram.
 */
#ifndef PORTSIM_MODELS_HIST_H
#define PORTSIM_MODELS_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 5u
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_NBUCKETS ((64u - HIST_SUB_BITS + 1u) * HIST_SUB)

struct hist {
    uint64_t count;                 /* values added */
    uint64_t sum;                   /* their sum (saturates at UINT64_MAX) */
    uint64_t max;                   /* the largest, exact */
    uint64_t n[HIST_NBUCKETS];      /* values per bucket */
};

/* Empty 'h'. */
void hist_reset(struct hist *h);

/* Count value 'v'. */
void hist_add(struct hist *h, uint64_t v);

/* Bucket of 'v', and the largest value of bucket 'b' (for tests). */
uint32_t hist_bucket(uint64_t v);
uint64_t hist_bucket_hi(uint32_t b);

/* The 'q'-quantile (0 < q <= 1): the upper end of the bucket that holds the
 * value of rank ceil(q * count), capped at the exact maximum; 0 when empty. */
uint64_t hist_quantile(const struct hist *h, double q);

/* sum / count; 0 when empty. */
double hist_mean(const struct hist *h);

#endif /* PORTSIM_MODELS_HIST_H */
