/* cmd_capacity.c - 'portsim capacity': the highest request rate that keeps
 * the failed-request share under a target with 95 % confidence.
 *
 * The search itself is analysis/capacity.c; this file gives it an
 * evaluator that runs the replications of one rate in parallel worker
 * processes (cli/workers.h), forked afresh for each step since the step's
 * rate is in the scenario they inherit.  Job i is replication i, with the
 * seed 'portsim run' would use (rng_derive(run.seed, i)); a worker answers
 * with its four counts, and the parent adds them up (in any order: the sums
 * are the same for any --jobs).  A replication that fails, or a worker that
 * dies, fails the step; a signal stops it (after the replications in
 * flight; a second one at once).  With one job nothing is forked.  Nothing
 * is recorded in the database: capacity is a question about a scenario,
 * and its runs are throw-away points of a search.
 *
 * --json: no progress text; one object at the end with 'params', 'target',
 * 'replications', 'steps' (every step) and 'result' (outcome, rate_per_s,
 * fail_rate_per_s, closed-form rates; infinity as null).
 *
 * Exit status: 0 when a capacity was found (or every rate up to 1e7/s
 * passes); 1 when the search is inconclusive or no rate passes, or was
 * interrupted; 2 for bad usage or a bad scenario.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/capacity.h"
#include "models/theory.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/workers.h"
#include "models/run.h"
#include "models/scenario.h"
#include "sim/rng.h"
#include "sim/xalloc.h"
#include "sim/fmt.h"

/* One replication's answer. */
struct rep_msg {
    int rc;
    struct capacity_counts c;
    char msg[ERR_MSG_MAX];
};

/* The evaluator's context. */
struct cap_eval {
    struct scenario *sc;
    unsigned jobs;
    struct capacity_counts *sum;    /* the step's counts, while it runs */
};

/* ---- Running replications ---- */

/* Replication 'i' of 'sc' into 'm'. */
static void run_replication(const struct scenario *sc, uint32_t i, struct rep_msg *m)
{
    struct run_output out;
    struct err e;

    memset(m, 0, sizeof(*m));
    err_clear(&e);
    memset(&out, 0, sizeof(out));
    if ((m->rc = run_once(sc, rng_derive(sc->p.run.seed, i), NULL, &out, &e)) != 0) {
        snprintf(m->msg, sizeof(m->msg), "%s", e.msg);
        return;
    }
    m->c.requests = out.m.requests;
    m->c.requests_failed = out.m.requests_failed;
    m->c.connect_attempts = out.m.connect_attempts;
    m->c.connect_failures = out.m.connect_failures;
    run_output_fini(&out);
}

static void add_counts(struct capacity_counts *to, const struct capacity_counts *c)
{
    to->requests += c->requests;
    /* a request that arrived before the warm-up may fail after it (a SYN
     * the NAT drops times out 127 s later): never more failed than came */
    to->requests_failed += c->requests_failed < c->requests ? c->requests_failed : c->requests;
    to->connect_attempts += c->connect_attempts;
    to->connect_failures += c->connect_failures;
}

/* workers_ops.run: one replication. */
static void rep_job(void *ctx, uint64_t index, struct workers_buf *out)
{
    const struct cap_eval *ev = ctx;
    struct rep_msg m;

    run_replication(ev->sc, (uint32_t)index, &m);
    workers_buf_add(out, &m, sizeof(m));
}

/* workers_ops.done: add one replication's counts. */
static int rep_done(void *ctx, uint64_t index, const void *data, size_t len, const char *why,
                    struct err *e)
{
    struct cap_eval *ev = ctx;
    struct rep_msg m;

    if (!data)
        return err_set(e, PS_ERUN, "replication %llu: %s", (unsigned long long)index, why);
    if (len != sizeof(m))
        return err_set(e, PS_ERUN, "replication %llu: the worker's answer is cut short",
                       (unsigned long long)index);
    memcpy(&m, data, sizeof(m));
    if (m.rc != 0)
        return err_set(e, m.rc, "%s", m.msg);
    add_counts(ev->sum, &m.c);
    return 0;
}

/* workers_ops.stopping */
static void rep_stopping(void *ctx, size_t inflight)
{
    (void)ctx;
    fprintf(stderr, "portsim capacity: stopping after the %zu run%s in flight (signal again "
            "to drop them)\n", inflight, inflight == 1 ? "" : "s");
}

/* The replications 0..reps-1 on 'n' worker processes, added into 'out'. */
static int run_parallel(struct cap_eval *ev, uint32_t reps, unsigned n,
                        struct capacity_counts *out, struct err *e)
{
    static const struct workers_ops ops = {rep_job, rep_done, NULL, rep_stopping};
    size_t *jobs = xcalloc(reps, sizeof(*jobs));
    int signals = 0, rc;

    for (uint32_t i = 0; i < reps; i++)
        jobs[i] = i;
    ev->sum = out;
    rc = workers_run(&ops, ev, n, jobs, reps, &signals, e);
    ev->sum = NULL;
    free(jobs);
    if (rc == 0 && signals)
        rc = err_set(e, PS_EINTR, "interrupted at %.4g requests/s",
                     ev->sc->p.workload.rate_per_s);
    return rc;
}

static int evaluate(double rate_per_s, uint32_t reps, struct capacity_counts *out, void *arg,
                    struct err *e)
{
    struct cap_eval *ev = arg;
    unsigned n = ev->jobs < reps ? ev->jobs : reps;
    int rc;

    ev->sc->p.workload.rate_per_s = rate_per_s;
    if ((rc = scenario_refresh(ev->sc, e)) != 0)
        return rc;
    if (n > 1)
        return run_parallel(ev, reps, n, out, e);
    for (uint32_t i = 0; i < reps; i++) {
        struct rep_msg m;

        run_replication(ev->sc, i, &m);
        if (m.rc != 0)
            return err_set(e, m.rc, "%s", m.msg);
        add_counts(out, &m.c);
    }
    return 0;
}

/* ---- Printing ---- */

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* capacity_step_fn for --json: the step appended to the array 'arg'. */
static void json_step(const struct capacity_step *s, void *arg)
{
    json_t *o = json_object();

    json_object_set_new(o, "step", json_integer(s->step));
    json_object_set_new(o, "phase", json_string(s->phase));
    json_object_set_new(o, "rate_per_s", num_or_null(s->rate_per_s));
    json_object_set_new(o, "replications", json_integer(s->replications));
    json_object_set_new(o, "requests", json_integer((json_int_t)s->c.requests));
    json_object_set_new(o, "requests_failed", json_integer((json_int_t)s->c.requests_failed));
    json_object_set_new(o, "share", num_or_null(s->share));
    json_object_set_new(o, "upper", num_or_null(s->upper));
    json_object_set_new(o, "pass", json_boolean(s->pass));
    json_array_append_new(arg, o);
}

static void print_json(const struct scenario *sc, json_t *steps, const struct capacity_result *r,
                       const struct theory *t, double target, uint32_t replications,
                       double erlang_rate)
{
    static const char *const outcome[] = {
        [CAPACITY_FOUND] = "found", [CAPACITY_ABOVE_MAX] = "above_max",
        [CAPACITY_BELOW_MIN] = "below_min", [CAPACITY_INCONCLUSIVE] = "inconclusive",
    };
    json_t *root = json_object(), *res = json_object();
    char *text;

    json_object_set_new(res, "outcome", json_string(outcome[r->outcome]));
    json_object_set_new(res, "rate_per_s", num_or_null(r->rate_per_s));
    json_object_set_new(res, "fail_rate_per_s", num_or_null(r->fail_rate_per_s));
    json_object_set_new(res, "requests_needed", json_integer((json_int_t)r->requests_needed));
    json_object_set_new(res, "theory_sustainable_rate_per_s",
                        num_or_null(t->sustainable_rate_per_s));
    json_object_set_new(res, "theory_erlang_b_rate_per_s", num_or_null(erlang_rate));
    json_object_set_new(root, "params", json_loads(sc->json, 0, NULL));
    json_object_set_new(root, "target", json_real(target));
    json_object_set_new(root, "replications", json_integer(replications));
    json_object_set_new(root, "steps", json_incref(steps));
    json_object_set_new(root, "result", res);
    text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    printf("%s\n", text ? text : "null");
    free(text);
    json_decref(root);
}

/* A share as a percentage with enough digits to compare with the target. */
static const char *pct(double share, char *buf, size_t size)
{
    if (isnan(share))
        snprintf(buf, size, "-");
    else if (share == 0)
        snprintf(buf, size, "0%%");
    else
        snprintf(buf, size, "%.3g%%", 100 * share);
    return buf;
}

static void print_step(const struct capacity_step *s, void *arg)
{
    char a[32], b[32], c[32], d[32];
    char frac[80];

    (void)arg;
    snprintf(frac, sizeof(frac), "%s/%s", fmt_count(s->c.requests_failed, a, sizeof(a)),
             fmt_count(s->c.requests, b, sizeof(b)));
    printf("%4u  %-6s  %10.4g  %4u  %24s  %9s  %9s  %s\n", s->step, s->phase, s->rate_per_s,
           s->replications, frac, pct(s->share, c, sizeof(c)), pct(s->upper, d, sizeof(d)),
           s->pass ? "pass" : "fail");
    fflush(stdout);
}

static void print_result(const struct scenario *sc, const struct capacity_result *r,
                         const struct theory *t, double target, double erlang_rate,
                         double tolerance)
{
    char a[32], b[32];

    printf("\n");
    switch (r->outcome) {
    case CAPACITY_FOUND:
        printf("capacity      %.4g requests/s keep failed requests under %s with 95%% "
               "confidence\n", r->rate_per_s, pct(target, a, sizeof(a)));
        printf("              (%s of %s requests failed there, ",
               fmt_count(r->best.c.requests_failed, a, sizeof(a)),
               fmt_count(r->best.c.requests, b, sizeof(b)));
        printf("upper bound %s; %.4g/s failed:\n", pct(r->best.upper, a, sizeof(a)),
               r->fail_rate_per_s);
        printf("              bracket %.2g%% wide, tolerance %.2g%%)\n",
               100 * (r->fail_rate_per_s - r->rate_per_s) / r->rate_per_s, 100 * tolerance);
        break;
    case CAPACITY_ABOVE_MAX:
        printf("capacity      at least %.4g requests/s: every rate tried passes, up to the\n"
               "              search's ceiling (raise it with --max-rate)\n", r->rate_per_s);
        break;
    case CAPACITY_BELOW_MIN:
        printf("capacity      none: even %.4g requests/s fails the target\n",
               r->fail_rate_per_s);
        break;
    case CAPACITY_INCONCLUSIVE:
        printf("capacity      inconclusive: at %.4g requests/s no request failed, but too few\n"
               "              ran to show a share under %s with 95%% confidence (needs %s\n"
               "              requests without a failure); raise --replications or "
               "run.duration\n", r->fail_rate_per_s, pct(target, a, sizeof(a)),
               fmt_count(r->requests_needed, b, sizeof(b)));
        break;
    }
    printf("closed form   sustainable %.4g connections/s (%s ports / %.4g s holding)\n",
           t->sustainable_rate_per_s, fmt_count(t->n, a, sizeof(a)), t->holding_s);
    printf("              Erlang B reaches %s at %.4g requests/s\n", pct(target, b, sizeof(b)),
           erlang_rate);
    if (t->flags & (THEORY_CACHED | THEORY_REUSE | THEORY_RETRIES | THEORY_MAX_TW |
                    THEORY_CONSTANT | THEORY_DIURNAL | THEORY_CONN_LIMIT))
        printf("              (%.40s leaves the closed form: 'portsim theory' says how)\n",
               sc->p.run.name);
}

static void print_head(const struct scenario *sc, double target, uint32_t replications,
                       unsigned jobs)
{
    printf("capacity of %s: failed requests under %g%% with 95%% confidence (upper end of\n"
           "the Clopper-Pearson interval), %u replications of %.6g s per step, %u jobs\n\n",
           sc->p.run.name, 100 * target, replications, simtime_to_s(sc->p.run.duration_ns)
           - simtime_to_s(sc->p.run.warmup_ns), jobs);
    printf("step  phase       rate/s  reps           failed/requests      share  95%% upper  "
           "verdict\n");
}

int cmd_capacity(void *args, int nops, char **ops)
{
    const struct cap_args *a = args;
    struct capacity_opts o;
    struct capacity_result r;
    struct cap_eval ev;
    struct scenario sc;
    struct theory t;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    double erlang_rate;
    int rc;

    err_clear(&e);
    if ((rc = scenario_load(&sc, nops ? datadir_find(ops[0], ".ini", where, sizeof(where)) : NULL,
                            a->so.sets.v, a->so.sets.n, &e)) != 0) {
        e.code = PS_EINVAL;
        return cli_fail("capacity", &e);
    }
    if ((rc = theory_compute(&sc.p, &t, &e)) != 0) {
        scenario_fini(&sc);
        return cli_fail("capacity", &e);
    }
    capacity_opts_default(&o, a->target);
    o.tolerance = a->tolerance;
    if (a->replications)
        o.replications = (uint32_t)a->replications;
    else if (scenario_key_is_set(&sc, "run.replications"))
        o.replications = sc.p.run.replications;
    erlang_rate = t.holding_s > 0 ? theory_rate_for_blocking((unsigned)t.n, t.holding_s, a->target)
                                        / t.busiest_share
                                  : (double)INFINITY;
    o.start_rate_per_s = isfinite(erlang_rate) && erlang_rate > 0 ? erlang_rate
                       : sc.p.workload.rate_per_s;
    /* A remedy that never fails (the cache holds every mailbox's connection)
     * would otherwise be doubled up to 1e7/s, simulating for hours. */
    o.max_rate_per_s = a->max_rate > 0 ? a->max_rate : fmin(1e7, 64 * o.start_rate_per_s);
    if (o.max_rate_per_s <= o.min_rate_per_s)
        o.max_rate_per_s = 2 * o.min_rate_per_s;
    ev.sc = &sc;
    ev.jobs = a->jobs ? (unsigned)a->jobs : (unsigned)workers_default_count();
    ev.sum = NULL;

    if (a->json) {
        json_t *steps = json_array();

        rc = capacity_search(&o, evaluate, &ev, json_step, steps, &r, &e);
        if (rc == 0)
            print_json(&sc, steps, &r, &t, a->target, o.replications, erlang_rate);
        json_decref(steps);
    } else {
        print_head(&sc, a->target, o.replications, ev.jobs);
        rc = capacity_search(&o, evaluate, &ev, print_step, NULL, &r, &e);
        if (rc == 0)
            print_result(&sc, &r, &t, a->target, erlang_rate, o.tolerance);
    }
    if (rc == 0) {
        if (r.outcome == CAPACITY_INCONCLUSIVE || r.outcome == CAPACITY_BELOW_MIN)
            rc = 1;
    }
    scenario_fini(&sc);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        err_set(&e, PS_EIO, "cannot write the output to standard output: %s",
                errno ? strerror(errno) : "write error");
        return cli_fail("capacity", &e);
    }
    if (rc < 0)
        return cli_fail("capacity", &e);
    return rc;
}
