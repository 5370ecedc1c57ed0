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

void capacity_trials(const struct capacity_counts *c, enum capacity_metric metric,
                     uint64_t *trials, uint64_t *failures)
{
    if (metric == CAPACITY_FAILED) {
        *trials = c->requests;
        *failures = c->requests_failed;
    } else {
        *trials = c->syns;
        *failures = c->syns_dropped;
    }
}

void capacity_judge(const struct capacity_counts *c, enum capacity_metric metric, double target,
                    struct capacity_step *s)
{
    struct stats_prop p;
    uint64_t n, k;

    s->c = *c;
    if (metric == CAPACITY_CONNECT_P99) {   /* a quantile: no interval, the worst run */
        s->share = s->upper = c->connect_p99_max_s;
        s->pass = c->requests > 0 && c->connect_p99_max_s <= target;
        return;
    }
    capacity_trials(c, metric, &n, &k);
    stats_clopper_pearson(k, n, STATS_LEVEL, &p);
    s->share = p.p;
    s->upper = p.hi;
    s->pass = n > 0 && p.hi < target;
}

void capacity_verdict(const struct capacity_counts *c, double target, struct capacity_step *s)
{
    capacity_judge(c, CAPACITY_FAILED, target, s);
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
    capacity_judge(&c, o->metric, o->target, s);
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

/* A failure without a single failure counted: the data, not the rate (a
 * p99 above the target is never for want of data). */
static bool starved(const struct capacity_opts *o, const struct capacity_step *s)
{
    uint64_t n, k;

    if (o->metric == CAPACITY_CONNECT_P99)
        return false;
    capacity_trials(&s->c, o->metric, &n, &k);
    return !s->pass && k == 0;
}

int capacity_search(const struct capacity_opts *o, capacity_eval_fn *eval, void *eval_arg,
                    capacity_step_fn *on_step, void *step_arg, struct capacity_result *out,
                    struct err *e)
{
    struct capacity_step s;
    double lo, hi, rate = o->start_rate_per_s;
    int rc;

    assert(o->target > 0 && (o->target < 1 || o->metric == CAPACITY_CONNECT_P99));
    assert(o->replications >= 1);
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
            if (starved(o, &s)) {
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
