/* rng.h - named, independent GSL random streams for one run.
 *
 * A run draws from several streams, one per purpose (arrivals, mailbox
 * choice, service times, port allocation, retries...).  Stream 'id' is
 * seeded from rng_mix(run seed, id), a fixed splitmix64-based function, and
 * created on first use: adding a stream or drawing more from one never
 * shifts another, and two runs with one seed but different allocators see
 * the same arrivals (common random numbers).  Any GSL generator can be
 * named; the default is mt19937.  Seeds 0 and 4357 do not alias, although
 * GSL's mt19937 maps seed 0 to 4357, because the run seed is mixed first.
 */
#ifndef PORTSIM_SIM_RNG_H
#define PORTSIM_SIM_RNG_H

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/simtime.h"

#include "sim/err.h"

#define RNG_STREAMS_MAX 16
#define RNG_DEFAULT "mt19937"

struct rngset {
    const gsl_rng_type *type;           /* generator, by name */
    uint64_t seed;                      /* the run's seed */
    gsl_rng *stream[RNG_STREAMS_MAX];   /* created on first use; private */
};

/* splitmix64 finaliser: a bijective 64-bit mix (inline: the run's digest
 * mixes every event). */
static inline uint64_t rng_mix64(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* The seed handed to GSL for stream 'id' of a run with 'seed' (never 0). */
uint64_t rng_stream_seed(uint64_t seed, unsigned id);

/* Seed of replication 'i' of a run whose base seed is 'base'; replication 0
 * keeps 'base' itself so that a single run is the seed it was given. */
uint64_t rng_derive(uint64_t base, uint64_t i);

/* Find GSL generator 'name' (e.g. "mt19937", "ranlxd2"); NULL if unknown. */
const gsl_rng_type *rng_type_by_name(const char *name);

/* Set up 'r' for generator 'name' and run seed 'seed'.  PS_EINVAL with a
 * message listing a few valid names if 'name' is unknown. */
int rngset_init(struct rngset *r, const char *name, uint64_t seed, struct err *e);
void rngset_fini(struct rngset *r);

/* Stream 'id' (< RNG_STREAMS_MAX), created and seeded on first use. */
gsl_rng *rngset_get(struct rngset *r, unsigned id);

/* A draw from Exp(1) on stream 'r': -log(1 - U), U = gsl_rng_uniform(r).
 * The inversion gsl_ran_exponential() makes, one uniform per draw, with
 * log() for log1p(): 1 - U is exact in a double for every GSL generator
 * (U has at most 32 bits, or 53 with a uniform of its own), so the two
 * differ at most in the last bit (about 6 % of draws); rounded to the ns,
 * 1.2 x 10^8 draws at six rates all came out the same.  log() costs about
 * half as much as log1p().
 * Multiply by the mean (worked out once, in the unit wanted). */
static inline double rng_exponential(gsl_rng *r)
{
    return -log(1.0 - gsl_rng_uniform(r));
}

/* 'ns' (>= 0) rounded to the nearest ns; SIMTIME_NEVER from 2^64 ns up. */
static inline simtime rng_ns(double ns)
{
    if (!(ns < 18446744073709551616.0))
        return SIMTIME_NEVER;
    return (simtime)(ns + 0.5);
}

#endif /* PORTSIM_SIM_RNG_H */
