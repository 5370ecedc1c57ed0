/* hist.c - the log-bucket histogram (see hist.h).
 *
 * Bucket of v: v itself below HIST_SUB; else, with e = floor(log2 v) and
 * shift = e - HIST_SUB_BITS, bucket (shift + 1) * HIST_SUB + (v >> shift) -
 * HIST_SUB: the top HIST_SUB_BITS + 1 bits of v pick it.  Bucket b >= HIST_SUB
 * covers [m << shift, ((m + 1) << shift) - 1] with m = HIST_SUB + b mod
 * HIST_SUB and shift = b / HIST_SUB - 1.
 */
#include "models/hist.h"

#include <assert.h>
#include <math.h>
#include <string.h>

static uint32_t log2u64(uint64_t v)
{
    return 63u - (uint32_t)__builtin_clzll(v);
}

void hist_reset(struct hist *h)
{
    memset(h, 0, sizeof(*h));
}

uint32_t hist_bucket(uint64_t v)
{
    uint32_t shift;

    if (v < HIST_SUB)
        return (uint32_t)v;
    shift = log2u64(v) - HIST_SUB_BITS;
    return (shift + 1) * HIST_SUB + (uint32_t)(v >> shift) - HIST_SUB;
}

uint64_t hist_bucket_hi(uint32_t b)
{
    uint32_t shift;
    uint64_t m;

    assert(b < HIST_NBUCKETS);
    if (b < HIST_SUB)
        return b;
    shift = b / HIST_SUB - 1;
    m = HIST_SUB + b % HIST_SUB;
    return ((m + 1) << shift) - 1;
}

void hist_add(struct hist *h, uint64_t v)
{
    h->n[hist_bucket(v)]++;
    h->count++;
    h->sum = h->sum + v < h->sum ? UINT64_MAX : h->sum + v;
    if (v > h->max)
        h->max = v;
}

uint64_t hist_quantile(const struct hist *h, double q)
{
    uint64_t rank, seen = 0;

    assert(q > 0 && q <= 1);
    if (h->count == 0)
        return 0;
    rank = (uint64_t)ceil(q * (double)h->count);
    if (rank < 1)
        rank = 1;
    for (uint32_t b = 0; b < HIST_NBUCKETS; b++) {
        seen += h->n[b];
        if (seen >= rank) {
            uint64_t hi = hist_bucket_hi(b);

            return hi < h->max ? hi : h->max;
        }
    }
    return h->max;
}

double hist_mean(const struct hist *h)
{
    return h->count ? (double)h->sum / (double)h->count : 0.0;
}
