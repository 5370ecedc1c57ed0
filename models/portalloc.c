/* portalloc.c - candidate orders of the six allocation algorithms (see
 * portalloc.h for the shapes).
 *
 *   sequential        start at the cursor (the offset after the last port
 *                     handed out; 0 at first, so port_min comes first), +1
 *   random            RFC 6056 alg. 1: start = uniform(0..n-1), +1.  With
 *                     'random_fallback_cps' (FreeBSD <= 13 ipport_tick): at
 *                     each whole second, if the last second saw more than
 *                     cps allocations, go sequential (from the shared
 *                     cursor) for 'random_fallback_time' seconds of calm
 *   random-each       RFC 6056 alg. 2: uniform(0..n-1) at every try, at most
 *                     (usable ports) tries
 *   hash              RFC 6056 alg. 3: start = (counter + F(pool, remote)) mod n,
 *                     +1; the counter moves by the tries made
 *   double-hash       RFC 6056 alg. 4 as Linux __inet_hash_connect: h =
 *                     H(pool, remote, 143, t / 10 s), 64 bits; slot = h mod
 *                     65,536; start = (table[slot] + h >> 32) mod len with len
 *                     = n rounded down to even, made even; even offsets first
 *                     in steps of 2, then odd; after a success table[slot] +=
 *                     max(i, uniform(0..7) * 2) + 2
 *   random-increment  RFC 6056 alg. 5 as NetBSD algo_randinc: a 16-bit counter
 *                     += uniform(0..499) + 1 per try, candidate = counter mod n,
 *                     at most n tries
 * F and H are keyed splitmix64 chains; keys and the table come from
 * RNG_PORTALLOC (the table is expanded by splitmix64 from one draw, which
 * costs 65,536 mixes instead of 131,072 generator calls).
 *
 * Deviations, on purpose: FreeBSD's random start is first + 1 + r mod
 * (last - first) and ours is uniform over the range; a collision failure
 * counts as a hand-out for every algorithm (the cursor rule of DESIGN §10.4).
 */
#include "models/portalloc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/stack.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

struct portalloc {
    enum allocator_id id;
    uint32_t n;                 /* ports in the range */
    uint32_t nusable;           /* usable ports (random-each tries) */
    uint32_t port_min;          /* for words only */
    uint32_t cursor;            /* sequential/random: next start offset */
    uint32_t last;              /* last offset handed out, PA_NIL */
    uint32_t counter;           /* hash: next_ephemeral */
    uint16_t next16;            /* random-increment: NetBSD next_ephemeral */
    uint64_t key;               /* hash key */
    uint32_t *table;            /* double-hash: PA_TABLE_SIZE counters */
    uint32_t cps;               /* random fall-back threshold; 0 = off */
    uint32_t stop_time_s;       /* fall-back length, whole seconds */
    uint64_t window;            /* current one-second window */
    uint32_t window_count;      /* allocations in it */
    uint32_t stop;              /* seconds of sequential left (ipport_stoprandom) */
};

static uint32_t draw(struct sim *s, unsigned long n)
{
    return (uint32_t)gsl_rng_uniform_int(sim_rng(s, RNG_PORTALLOC), n);
}

static uint64_t draw64(struct sim *s)
{
    uint64_t x = 0;

    for (int k = 0; k < 4; k++)
        x = (x << 16) | draw(s, 65536);
    return x;
}

static uint64_t keyed_hash(uint64_t key, uint32_t pool, uint32_t remote, uint64_t epoch)
{
    uint64_t x = rng_mix64(key ^ pool);

    x = rng_mix64(x ^ (((uint64_t)remote << 16) | 143u));
    return rng_mix64(x ^ epoch ^ key);
}

struct portalloc *portalloc_new(struct sim *s, const struct stack_params *p, uint32_t n,
                                uint32_t nusable)
{
    struct portalloc *pa = xcalloc(1, sizeof(*pa));

    pa->id = p->allocator;
    pa->n = n;
    pa->nusable = nusable;
    pa->port_min = p->port_min;
    pa->last = PA_NIL;
    switch (pa->id) {
    case ALLOC_RANDOM:
        pa->cps = p->random_fallback_cps;
        pa->stop_time_s = (uint32_t)((p->random_fallback_time_ns + SIMTIME_NS_PER_S - 1) /
                                     SIMTIME_NS_PER_S);
        break;
    case ALLOC_HASH:
        pa->key = draw64(s);
        pa->counter = (uint32_t)draw64(s);
        break;
    case ALLOC_DOUBLE_HASH: {
        uint64_t seed = draw64(s);

        pa->key = draw64(s);
        pa->table = xmalloc(PA_TABLE_SIZE * sizeof(uint32_t));
        for (uint32_t i = 0; i < PA_TABLE_SIZE; i++)
            pa->table[i] = (uint32_t)rng_mix64(seed + i);
        break;
    }
    case ALLOC_RANDOM_INCREMENT:
        pa->next16 = (uint16_t)draw(s, 65536);
        break;
    default:
        break;
    }
    return pa;
}

void portalloc_free(struct portalloc *pa)
{
    if (!pa)
        return;
    free(pa->table);
    free(pa);
}

/* FreeBSD ipport_tick(), evaluated lazily at the next allocation: one tick
 * at every whole second passed since the current window began. */
static void fallback_tick(struct portalloc *pa, simtime now)
{
    uint64_t w = now / SIMTIME_NS_PER_S;

    if (w > pa->window) {
        uint64_t idle = w - pa->window - 1;   /* ticks after empty windows */

        if (pa->window_count > pa->cps)
            pa->stop = pa->stop_time_s;
        else if (pa->stop > 0)
            pa->stop--;
        pa->stop = idle >= pa->stop ? 0 : pa->stop - (uint32_t)idle;
        pa->window = w;
        pa->window_count = 0;
    }
    pa->window_count++;
}

void portalloc_begin(struct portalloc *pa, struct sim *s, uint32_t pool, uint32_t remote,
                     struct pa_order *o)
{
    uint64_t h;

    o->shape = PA_LINEAR;
    o->start = 0;
    o->len = pa->n;
    o->span = pa->n;
    o->tries = 0;
    o->drawn = 0;
    o->index = 0;
    o->prev = pa->last;
    o->fallback = 0;
    switch (pa->id) {
    case ALLOC_SEQUENTIAL:
        o->start = pa->cursor;
        break;
    case ALLOC_RANDOM:
        if (pa->cps > 0)
            fallback_tick(pa, sim_now(s));
        if (pa->stop > 0) {
            o->fallback = 1;
            o->start = pa->cursor;
        } else {
            o->start = draw(s, pa->n);
        }
        break;
    case ALLOC_RANDOM_EACH:
        o->shape = PA_EACH;
        o->tries = pa->nusable;
        break;
    case ALLOC_HASH:
        h = keyed_hash(pa->key, pool, remote, 0);
        o->start = (uint32_t)((pa->counter + (uint32_t)h) % pa->n);
        break;
    case ALLOC_DOUBLE_HASH:
        h = keyed_hash(pa->key, pool, remote, sim_now(s) / PA_EPOCH_NS);
        o->shape = PA_PARITY;
        o->len = pa->n > 1 ? pa->n & ~1u : pa->n;
        o->index = (uint32_t)(h & (PA_TABLE_SIZE - 1));
        o->start = (pa->table[o->index] + (uint32_t)(h >> 32)) % o->len;
        if (o->len > 1)
            o->start &= ~1u;
        break;
    case ALLOC_RANDOM_INCREMENT:
        o->shape = PA_EACH;
        o->tries = pa->n;
        break;
    default:
        assert(0 && "unknown allocator");
    }
}

void portalloc_rewind(struct pa_order *o)
{
    o->drawn = 0;
}

uint32_t portalloc_ranks(const struct pa_order *o)
{
    switch (o->shape) {
    case PA_LINEAR:
        return o->len;
    case PA_PARITY:
        return o->len > 1 ? o->len : 1;
    default:
        return o->tries;
    }
}

uint32_t portalloc_at(const struct pa_order *o, uint32_t dist)
{
    uint32_t half, off;

    if (dist >= portalloc_ranks(o))
        return PA_NIL;
    if (o->shape == PA_LINEAR)
        return (o->start + dist) % o->len;
    assert(o->shape == PA_PARITY);
    if (o->len <= 1)
        return 0;
    half = o->len / 2;
    /* __inet_hash_connect: 'if (port >= high) port -= remaining' */
    off = dist < half ? o->start + 2 * dist : o->start + 1 + 2 * (dist - half);
    return off >= o->span ? off - o->len : off;
}

uint32_t portalloc_next(struct portalloc *pa, struct sim *s, struct pa_order *o)
{
    assert(o->shape == PA_EACH);
    if (o->drawn >= o->tries)
        return PA_NIL;
    o->drawn++;
    if (pa->id == ALLOC_RANDOM_EACH)
        return draw(s, pa->n);
    pa->next16 = (uint16_t)(pa->next16 + draw(s, PA_RANDINC_N) + 1);
    return pa->next16 % pa->n;
}

void portalloc_commit(struct portalloc *pa, struct sim *s, const struct pa_order *o,
                      uint32_t off, uint32_t dist)
{
    pa->last = off;
    switch (pa->id) {
    case ALLOC_SEQUENTIAL:
    case ALLOC_RANDOM:
        pa->cursor = (off + 1) % pa->n;
        break;
    case ALLOC_HASH:
        pa->counter += dist + 1;
        break;
    case ALLOC_DOUBLE_HASH: {
        uint32_t half = o->len / 2;
        uint32_t i = 2 * (dist < half || o->len <= 1 ? dist : dist - half);
        uint32_t jump = draw(s, 8) * 2;

        pa->table[o->index] += (i > jump ? i : jump) + 2;
        break;
    }
    default:
        break;
    }
}

void portalloc_fail(struct portalloc *pa, const struct pa_order *o)
{
    if (pa->id == ALLOC_HASH)
        pa->counter += o->len;
}

const char *portalloc_remote_str(uint32_t r, char *buf, unsigned size)
{
    uint32_t a = r + 1;

    snprintf(buf, size, "10.%u.%u.%u:143", (a >> 16) & 255u, (a >> 8) & 255u, a & 255u);
    return buf;
}

const char *portalloc_why(const struct portalloc *pa, const struct pa_order *o, uint32_t off,
                          uint32_t dist, uint32_t remote, char *buf, unsigned size)
{
    char rs[32];

    portalloc_remote_str(remote, rs, sizeof(rs));
    switch (pa->id) {
    case ALLOC_SEQUENTIAL:
    case ALLOC_RANDOM:
        if (pa->id == ALLOC_RANDOM && !o->fallback) {
            snprintf(buf, size, "random start %u, probe +%u", pa->port_min + o->start, dist);
        } else if (o->prev == PA_NIL && dist == 0) {
            snprintf(buf, size, "first port of the range in round-robin%s",
                     o->fallback ? " (sequential fall-back)" : "");
        } else if (o->prev == PA_NIL) {
            snprintf(buf, size, "%u ports after the start of the range in round-robin%s",
                     dist, o->fallback ? " (sequential fall-back)" : "");
        } else if (dist == 0) {
            snprintf(buf, size, "next after %u in round-robin%s", pa->port_min + o->prev,
                     o->fallback ? " (sequential fall-back)" : "");
        } else {
            snprintf(buf, size, "%u ports after %u in round-robin%s", dist + 1,
                     pa->port_min + o->prev, o->fallback ? " (sequential fall-back)" : "");
        }
        break;
    case ALLOC_HASH:
        snprintf(buf, size, "hash start %u for %s, probe +%u", pa->port_min + o->start, rs,
                 dist);
        break;
    case ALLOC_DOUBLE_HASH:
        snprintf(buf, size, "double-hash offset %u for %s (table slot %u, %s ports)", off, rs,
                 o->index, ((off ^ o->start) & 1u) ? "odd" : "even");
        break;
    case ALLOC_RANDOM_EACH:
        snprintf(buf, size, "random pick %u of at most %u", o->drawn, o->tries);
        break;
    default:
        snprintf(buf, size, "random increment (N = %u), try %u", PA_RANDINC_N, o->drawn);
        break;
    }
    return buf;
}
