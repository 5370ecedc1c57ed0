/* rng.c - seeding of the run's GSL streams (see rng.h).
 *
 * Only gsl_rng_types_setup() (a constant table) is consulted to find a
 * generator by name; gsl_rng_env_setup() and its globals are never used.
 * Many GSL generators take only 32 bits of seed, so the mixed 64-bit value
 * is folded to 32 bits and 0 is avoided (GSL treats it as "default seed").
 */
#include "sim/rng.h"

#include <assert.h>
#include <string.h>


uint64_t rng_stream_seed(uint64_t seed, unsigned id)
{
    uint64_t x = rng_mix64(rng_mix64(seed) ^ ((uint64_t)id * UINT64_C(0xd1b54a32d192ed03)));
    uint64_t folded = (x ^ (x >> 32)) & UINT64_C(0xffffffff);

    return folded ? folded : UINT64_C(0x6a09e667);
}

uint64_t rng_derive(uint64_t base, uint64_t i)
{
    if (i == 0)
        return base;
    return rng_mix64(base ^ rng_mix64(i));
}

const gsl_rng_type *rng_type_by_name(const char *name)
{
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t; t++) {
        if (strcmp((*t)->name, name) == 0)
            return *t;
    }
    return NULL;
}

int rngset_init(struct rngset *r, const char *name, uint64_t seed, struct err *e)
{
    memset(r, 0, sizeof(*r));
    r->type = rng_type_by_name(name ? name : RNG_DEFAULT);
    if (!r->type) {
        return err_set(e, PS_EINVAL,
                       "must name a GSL generator, e.g. mt19937, ranlxd2, taus2 (got '%s')",
                       name);
    }
    r->seed = seed;
    return 0;
}

void rngset_fini(struct rngset *r)
{
    for (unsigned i = 0; i < RNG_STREAMS_MAX; i++) {
        gsl_rng_free(r->stream[i]);
        r->stream[i] = NULL;
    }
}

gsl_rng *rngset_get(struct rngset *r, unsigned id)
{
    assert(id < RNG_STREAMS_MAX);
    if (!r->stream[id]) {
        r->stream[id] = gsl_rng_alloc(r->type);
        assert(r->stream[id]);  /* GSL aborts itself on out of memory */
        gsl_rng_set(r->stream[id], (unsigned long)rng_stream_seed(r->seed, id));
    }
    return r->stream[id];
}
