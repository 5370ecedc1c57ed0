/* sim.c - the run loop: pop the earliest event, advance the clock, fire.
 *
 * The digest is a running 64-bit hash of every fired (due, seq) pair plus
 * whatever the models fold in; two runs that fire the same events in the
 * same order with the same model decisions have the same digest, and any
 * difference in order or timing changes it (with probability 1 - 2^-64).
 * Cost per event: one queue pop and one mix (a few ns).
 */
#include "sim/sim.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/rng.h"
#include "sim/wheel.h"
#include "sim/xalloc.h"

struct sim {
    simtime now;            /* current time, ns */
    uint64_t events;        /* events fired */
    uint64_t digest;        /* running hash of what happened */
    bool stopped;           /* sim_stop() called during this sim_run() */
    uint64_t watch_next;    /* call the watcher when 'events' reaches this */
    uint64_t watch_every;
    sim_watch_fn *watch;    /* NULL: none (watch_next is UINT64_MAX) */
    void *watch_ctx;
    struct evq *q;
    struct rngset rng;
};

int sim_new(struct sim **out, const struct sim_config *cfg, struct err *e)
{
    struct sim *s = xcalloc(1, sizeof(*s));
    int rc;

    if ((rc = rngset_init(&s->rng, cfg->rng, cfg->seed, e)) != 0) {
        free(s);
        return rc;
    }
    s->q = evq_new(cfg->queue, cfg->wheel_shift ? cfg->wheel_shift : WHEEL_SHIFT_DEFAULT);
    s->digest = rng_mix64(UINT64_C(0x706f727473696d));    /* "portsim" */
    s->watch_next = UINT64_MAX;
    *out = s;
    return 0;
}

struct sim *sim_new_for_test(uint64_t seed)
{
    struct sim_config cfg = {.seed = seed, .rng = NULL, .queue = EVQ_WHEEL, .wheel_shift = 0};
    struct sim *s = NULL;
    int rc = sim_new(&s, &cfg, NULL);

    assert(rc == 0);
    (void)rc;
    return s;
}

void sim_free(struct sim *s)
{
    if (!s)
        return;
    evq_free(s->q);
    rngset_fini(&s->rng);
    free(s);
}

simtime sim_now(const struct sim *s)
{
    return s->now;
}

void sim_arm(struct sim *s, struct timer *t, simtime due, timer_fn *fn)
{
    assert(due >= s->now);
    evq_arm(s->q, t, due, fn);
}

uint64_t sim_take_seq(struct sim *s)
{
    return evq_take_seq(s->q);
}

void sim_arm_seq(struct sim *s, struct timer *t, simtime due, uint64_t seq, timer_fn *fn)
{
    assert(due >= s->now);
    evq_arm_seq(s->q, t, due, seq, fn);
}

void sim_arm_in(struct sim *s, struct timer *t, simtime delay, timer_fn *fn)
{
    simtime due = s->now + delay;

    evq_arm(s->q, t, due < s->now ? SIMTIME_NEVER : due, fn);
}

void sim_cancel(struct sim *s, struct timer *t)
{
    evq_cancel(s->q, t);
}

void sim_watch(struct sim *s, uint64_t every, sim_watch_fn *fn, void *ctx)
{
    assert(!fn || every > 0);
    s->watch = fn;
    s->watch_ctx = ctx;
    s->watch_every = every;
    s->watch_next = fn ? s->events + every : UINT64_MAX;
}

uint64_t sim_run(struct sim *s, simtime until)
{
    uint64_t fired = 0;
    struct timer *t;

    s->stopped = false;
    while (!s->stopped && (t = evq_peek(s->q)) != NULL && t->due < until) {
        if (s->events >= s->watch_next) {
            s->watch_next += s->watch_every;
            if (s->watch(s->watch_ctx, s)) {
                s->stopped = true;
                break;
            }
        }
        evq_take(s->q, t);
        assert(t->due >= s->now);
        s->now = t->due;
        s->digest = rng_mix64(s->digest ^ t->due) ^ t->seq;
        s->events++;
        fired++;
        t->fn(s, t);
    }
    if (!s->stopped && until != SIMTIME_NEVER && until > s->now)
        s->now = until;
    return fired;
}

void sim_stop(struct sim *s)
{
    s->stopped = true;
}

uint64_t sim_events(const struct sim *s)
{
    return s->events;
}

size_t sim_pending(const struct sim *s)
{
    return evq_size(s->q);
}

gsl_rng *sim_rng(struct sim *s, unsigned id)
{
    return rngset_get(&s->rng, id);
}

uint64_t sim_seed(const struct sim *s)
{
    return s->rng.seed;
}

void sim_digest_mix(struct sim *s, uint64_t v)
{
    s->digest = rng_mix64(s->digest ^ v);
}

uint64_t sim_digest(const struct sim *s)
{
    return s->digest;
}
