/* capacity.c - bracket and bisect on the request rate (see capacity.h).
 *
 * Invariant during the bisection: 'lo' passed and 'hi' failed (with
 * failures seen), lo < hi.  The verdict is not strictly monotone in the
 * rate (it is a random quantity), so the answer is a rate that passed next
 * to one that failed, not a proof that every lower rate passes; common
 * random numbers across rates keep such reversals rare.
 */
#include "analysis/capacity.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "analysis/stats.h"

void capacity_opts_default(struct capacity_opts *o, double target)
{
    memset(o, 0, sizeof(*o));
    o->target = target;
    o->replications = 10;
    o->start_rate_per_s = 1;
    o->tolerance = 0.01;
    o->min_rate_per_s = 1e-6;
    o->max_rate_per_s = 1e7;
    o->max_steps = 60;
}

void capacity_verdict(const struct capacity_counts *c, double target, struct capacity_step *s)
{
    struct stats_prop p;

    stats_clopper_pearson(c->requests_failed, c->requests, STATS_LEVEL, &p);
    s->c = *c;
    s->share = p.p;
    s->upper = p.hi;
    s->pass = c->requests > 0 && p.hi < target;
}

/* Evaluate one rate, tell the caller, count the step. */
static int step(const struct capacity_opts *o, capacity_eval_fn *eval, void *eval_arg,
                capacity_step_fn *on_step, void *step_arg, const char *phase, double rate,
                struct capacity_result *out, struct capacity_step *s, struct err *e)
{
    struct capacity_counts c;
    int rc;

    memset(&c, 0, sizeof(c));
    memset(s, 0, sizeof(*s));
    if ((rc = eval(rate, o->replications, &c, eval_arg, e)) != 0)
        return rc;
    s->step = ++out->steps;
    s->phase = phase;
    s->rate_per_s = rate;
    s->replications = o->replications;
    capacity_verdict(&c, o->target, s);
    if (on_step)
        on_step(s, step_arg);
    if (s->pass) {              /* the search only moves 'lo' up, so this is lo */
        out->rate_per_s = rate;
        out->best = *s;
    } else {
        out->fail_rate_per_s = rate;    /* ... and 'hi' down */
    }
    return 0;
}

/* A failure without a single failed request: the data, not the rate. */
static bool starved(const struct capacity_step *s)
{
    return !s->pass && s->c.requests_failed == 0;
}

int capacity_search(const struct capacity_opts *o, capacity_eval_fn *eval, void *eval_arg,
                    capacity_step_fn *on_step, void *step_arg, struct capacity_result *out,
                    struct err *e)
{
    struct capacity_step s;
    double lo, hi, rate = o->start_rate_per_s;
    int rc;

    assert(o->target > 0 && o->target < 1 && o->replications >= 1);
    assert(o->tolerance > 0 && o->min_rate_per_s > 0 && o->max_rate_per_s > o->min_rate_per_s);
    memset(out, 0, sizeof(*out));
    out->fail_rate_per_s = INFINITY;
    /* requests needed for a bound below the target with k = 0: 1 - (a/2)^(1/n) < target */
    out->requests_needed =
        (uint64_t)ceil(log((1 - STATS_LEVEL) / 2) / log1p(-o->target));
    rate = fmin(fmax(rate, o->min_rate_per_s), o->max_rate_per_s);

#define STEP(phase, r) \
    if ((rc = step(o, eval, eval_arg, on_step, step_arg, phase, r, out, &s, e)) != 0) \
        return rc

    STEP("start", rate);
    if (s.pass) {
        lo = rate;
        for (;;) {
            if (lo >= o->max_rate_per_s || out->steps >= o->max_steps) {
                out->outcome = CAPACITY_ABOVE_MAX;
                out->fail_rate_per_s = INFINITY;
                return 0;
            }
            rate = fmin(lo * 2, o->max_rate_per_s);
            STEP("up", rate);
            if (!s.pass)
                break;
            lo = rate;
        }
        hi = rate;
    } else {
        hi = rate;
        for (;;) {
            if (starved(&s)) {
                out->outcome = CAPACITY_INCONCLUSIVE;
                return 0;
            }
            if (hi <= o->min_rate_per_s || out->steps >= o->max_steps) {
                out->outcome = CAPACITY_BELOW_MIN;
                return 0;
            }
            rate = fmax(hi / 2, o->min_rate_per_s);
            STEP("down", rate);
            if (s.pass)
                break;
            hi = rate;
        }
        lo = rate;
    }
    while (hi - lo > o->tolerance * lo && out->steps < o->max_steps) {
        rate = lo + (hi - lo) / 2;
        STEP("bisect", rate);
        if (s.pass)
            lo = rate;
        else
            hi = rate;
    }
#undef STEP
    out->outcome = CAPACITY_FOUND;
    return 0;
}
