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
 * Issue 12: --metric chooses the criterion (analysis/capacity.h): failed
 * requests, the share of SYNs the NAT drops (the default with [nat]: a
 * dropped SYN mostly costs seconds, a request fails only when connect()
 * times out) or the p99 connect latency; with [nat] the search starts at,
 * and the answer is shown beside, the NAT's closed form (nat_theory():
 * sustainable new flows per destination x servers, every request a flow).
 *
 * --json: no progress text; one object at the end with 'params', 'metric',
 * 'target', 'replications', 'steps' (every step) and 'result' (outcome,
 * rate_per_s, fail_rate_per_s, closed-form rates; infinity as null).
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
#include "models/nat.h"
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
    if (out.nat.on) {
        m->c.syns_dropped = out.nat.total.nat_failures;
        m->c.syns = out.nat.total.nat_flows + out.nat.total.nat_failures;
        m->c.connect_p99_max_s = out.nat.connect_p99_s;
    }
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
    to->syns += c->syns;
    to->syns_dropped += c->syns_dropped;
    if (c->connect_p99_max_s > to->connect_p99_max_s)
        to->connect_p99_max_s = c->connect_p99_max_s;
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

static const char *const metric_names[] = {
    [CAPACITY_FAILED] = "failed", [CAPACITY_NAT_DROPS] = "nat-drops",
    [CAPACITY_CONNECT_P99] = "connect-p99",
};

/* What the printers need besides a step. */
struct cap_print {
    enum capacity_metric metric;
    json_t *steps;                  /* --json: the array of steps */
};

/* What 'm' counts, in words, for the head and the result. */
static const char *metric_words(enum capacity_metric m)
{
    switch (m) {
    case CAPACITY_NAT_DROPS:
        return "SYNs the NAT drops";
    case CAPACITY_CONNECT_P99:
        return "the p99 connect latency";
    default:
        return "failed requests";
    }
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* capacity_step_fn for --json: the step appended to the array of 'arg'. */
static void json_step(const struct capacity_step *s, void *arg)
{
    const struct cap_print *pr = arg;
    json_t *o = json_object();
    uint64_t n, k;

    json_object_set_new(o, "step", json_integer(s->step));
    json_object_set_new(o, "phase", json_string(s->phase));
    json_object_set_new(o, "rate_per_s", num_or_null(s->rate_per_s));
    json_object_set_new(o, "replications", json_integer(s->replications));
    json_object_set_new(o, "requests", json_integer((json_int_t)s->c.requests));
    json_object_set_new(o, "requests_failed", json_integer((json_int_t)s->c.requests_failed));
    if (pr->metric != CAPACITY_FAILED) {
        capacity_trials(&s->c, pr->metric, &n, &k);
        json_object_set_new(o, "syns", json_integer((json_int_t)n));
        json_object_set_new(o, "syns_dropped", json_integer((json_int_t)k));
        json_object_set_new(o, "connect_p99_s", num_or_null(s->c.connect_p99_max_s));
    }
    json_object_set_new(o, "share", num_or_null(s->share));
    json_object_set_new(o, "upper", num_or_null(s->upper));
    json_object_set_new(o, "pass", json_boolean(s->pass));
    json_array_append_new(pr->steps, o);
}

/* The NAT's closed form for the whole workload: sustainable new flows per
 * destination x servers (every request a new flow); 0 without [nat]. */
static double nat_rate(const struct scenario *sc)
{
    struct nat_theory nt;

    if (sc->p.nat.profile == NAT_PROFILE_NONE)
        return 0;
    nat_theory(&sc->p, &nt);
    return nt.per_dst_per_s * sc->p.workload.servers;
}

static void print_json(const struct scenario *sc, const struct cap_print *pr,
                       const struct capacity_result *r, const struct theory *t, double target,
                       uint32_t replications, double erlang_rate)
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
    if (sc->p.nat.profile != NAT_PROFILE_NONE)
        json_object_set_new(res, "theory_nat_rate_per_s", num_or_null(nat_rate(sc)));
    json_object_set_new(root, "params", json_loads(sc->json, 0, NULL));
    json_object_set_new(root, "metric", json_string(metric_names[pr->metric]));
    json_object_set_new(root, "target", json_real(target));
    json_object_set_new(root, "replications", json_integer(replications));
    json_object_set_new(root, "steps", json_incref(pr->steps));
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

/* The metric's value: a share in %, or a p99 in s. */
static const char *value(enum capacity_metric m, double v, char *buf, size_t size)
{
    if (m != CAPACITY_CONNECT_P99)
        return pct(v, buf, size);
    snprintf(buf, size, "%.4g s", v);
    return buf;
}

static void print_step(const struct capacity_step *s, void *arg)
{
    const struct cap_print *pr = arg;
    char a[32], b[32], c[32], d[32];
    char frac[80];
    uint64_t n, k;

    capacity_trials(&s->c, pr->metric, &n, &k);
    snprintf(frac, sizeof(frac), "%s/%s", fmt_count(k, a, sizeof(a)), fmt_count(n, b, sizeof(b)));
    printf("%4u  %-6s  %10.4g  %4u  %24s  %9s  %9s  %s\n", s->step, s->phase, s->rate_per_s,
           s->replications, frac, value(pr->metric, s->share, c, sizeof(c)),
           value(pr->metric, s->upper, d, sizeof(d)), s->pass ? "pass" : "fail");
    fflush(stdout);
}

static void print_result(const struct scenario *sc, enum capacity_metric m,
                         const struct capacity_result *r, const struct theory *t, double target,
                         double erlang_rate, double tolerance)
{
    char a[32], b[32];
    uint64_t n, k;

    printf("\n");
    switch (r->outcome) {
    case CAPACITY_FOUND:
        capacity_trials(&r->best.c, m, &n, &k);
        if (m == CAPACITY_CONNECT_P99) {
            printf("capacity      %.4g requests/s keep the p99 connect latency at most %s\n",
                   r->rate_per_s, value(m, target, a, sizeof(a)));
            printf("              (p99 %s there, the worst replication; %.4g/s failed:\n",
                   value(m, r->best.upper, a, sizeof(a)), r->fail_rate_per_s);
        } else {
            printf("capacity      %.4g requests/s keep %s under %s with 95%% "
                   "confidence\n", r->rate_per_s, metric_words(m), pct(target, a, sizeof(a)));
            printf("              (%s of %s %s there, ", fmt_count(k, a, sizeof(a)),
                   fmt_count(n, b, sizeof(b)), m == CAPACITY_FAILED ? "requests failed"
                                                                  : "SYNs dropped");
            printf("upper bound %s; %.4g/s failed:\n", pct(r->best.upper, a, sizeof(a)),
                   r->fail_rate_per_s);
        }
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
        printf("capacity      inconclusive: at %.4g requests/s no %s, but too few\n"
               "              ran to show a share under %s with 95%% confidence (needs %s\n"
               "              %s without a failure); raise --replications or "
               "run.duration\n", r->fail_rate_per_s,
               m == CAPACITY_FAILED ? "request failed" : "SYN was dropped",
               pct(target, a, sizeof(a)), fmt_count(r->requests_needed, b, sizeof(b)),
               m == CAPACITY_FAILED ? "requests" : "SYNs");
        break;
    }
    if (sc->p.nat.profile != NAT_PROFILE_NONE) {
        struct nat_theory nt;

        nat_theory(&sc->p, &nt);
        printf("NAT form      %.4g requests/s: %.4g new flows/s per destination (%s ports /\n"
               "              %.4g s held) x %u server%s, if every request opens a flow\n",
               nat_rate(sc), nt.per_dst_per_s, fmt_count(nt.ports_per_dst, a, sizeof(a)),
               nt.hold_s, sc->p.workload.servers, sc->p.workload.servers == 1 ? "" : "s");
    }
    printf("closed form   sustainable %.4g connections/s (%s ports / %.4g s holding)\n",
           t->sustainable_rate_per_s, fmt_count(t->n, a, sizeof(a)), t->holding_s);
    if (m != CAPACITY_CONNECT_P99)
        printf("              Erlang B reaches %s at %.4g requests/s%s\n",
               pct(target, b, sizeof(b)), erlang_rate,
               sc->p.nat.profile != NAT_PROFILE_NONE ? " (the hosts' own ports)" : "");
    if (t->flags & (THEORY_CACHED | THEORY_REUSE | THEORY_RETRIES | THEORY_MAX_TW |
                    THEORY_CONSTANT | THEORY_DIURNAL | THEORY_CONN_LIMIT))
        printf("              (%.40s leaves the closed form: 'portsim theory' says how)\n",
               sc->p.run.name);
}

static void print_head(const struct scenario *sc, enum capacity_metric m, double target,
                       uint32_t replications, unsigned jobs)
{
    double span = simtime_to_s(sc->p.run.duration_ns) - simtime_to_s(sc->p.run.warmup_ns);

    if (m == CAPACITY_CONNECT_P99) {
        printf("capacity of %s: p99 connect latency at most %g s (the worst replication),\n"
               "%u replications of %.6g s per step, %u jobs\n\n", sc->p.run.name, target,
               replications, span, jobs);
        printf("step  phase       rate/s  reps              dropped/SYNs        p99        p99  "
               "verdict\n");
        return;
    }
    printf("capacity of %s: %s under %g%% with 95%% confidence (upper end of\n"
           "the Clopper-Pearson interval), %u replications of %.6g s per step, %u jobs\n\n",
           sc->p.run.name, metric_words(m), 100 * target, replications, span, jobs);
    if (m == CAPACITY_NAT_DROPS)
        printf("step  phase       rate/s  reps              dropped/SYNs      share  95%% upper  "
               "verdict\n");
    else
        printf("step  phase       rate/s  reps           failed/requests      share  95%% upper  "
               "verdict\n");
}

/* --metric and --target into 'o', with the defaults of the scenario: 0, or
 * PS_EINVAL with the message in 'e'. */
static int pick_metric(const struct cap_args *a, const struct scenario *sc,
                       struct capacity_opts *o, struct err *e)
{
    bool nat = sc->p.nat.profile != NAT_PROFILE_NONE;
    size_t i;

    o->metric = nat ? CAPACITY_NAT_DROPS : CAPACITY_FAILED;
    if (a->metric) {
        for (i = 0; i < sizeof(metric_names) / sizeof(metric_names[0]); i++) {
            if (strcmp(a->metric, metric_names[i]) == 0)
                break;
        }
        if (i == sizeof(metric_names) / sizeof(metric_names[0]))
            return err_set(e, PS_EINVAL, "'--metric' must be failed, nat-drops or connect-p99 "
                           "(got '%s')", a->metric);
        o->metric = (enum capacity_metric)i;
        if (o->metric != CAPACITY_FAILED && !nat)
            return err_set(e, PS_EINVAL, "'--metric %s' needs a scenario with [nat] "
                           "(nat.profile is none)", a->metric);
    }
    if (o->metric == CAPACITY_CONNECT_P99) {
        o->target = a->target > 0 ? a->target : 1;
        return 0;
    }
    o->target = a->target > 0 ? a->target : 0.001;
    if (o->target > 0.5)
        return err_set(e, PS_EINVAL, "'--target' must be a share 1e-09..0.5 for --metric %s "
                       "(got %g)", metric_names[o->metric], o->target);
    return 0;
}

int cmd_capacity(void *args, int nops, char **ops)
{
    const struct cap_args *a = args;
    struct capacity_opts o;
    struct capacity_result r;
    struct cap_eval ev;
    struct cap_print pr;
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
    capacity_opts_default(&o, 0.001);
    if ((rc = pick_metric(a, &sc, &o, &e)) != 0) {
        scenario_fini(&sc);
        return cli_fail("capacity", &e);
    }
    o.tolerance = a->tolerance;
    if (a->replications)
        o.replications = (uint32_t)a->replications;
    else if (scenario_key_is_set(&sc, "run.replications"))
        o.replications = sc.p.run.replications;
    erlang_rate = t.holding_s > 0 && o.metric != CAPACITY_CONNECT_P99
                ? theory_rate_for_blocking((unsigned)t.n, t.holding_s, o.target)
                                        / t.busiest_share
                                  : (double)INFINITY;
    o.start_rate_per_s = isfinite(erlang_rate) && erlang_rate > 0 ? erlang_rate
                       : sc.p.workload.rate_per_s;
    if (nat_rate(&sc) > 0 && isfinite(nat_rate(&sc)))  /* the NAT runs out first, as a rule */
        o.start_rate_per_s = nat_rate(&sc);
    /* A remedy that never fails (the cache holds every mailbox's connection)
     * would otherwise be doubled up to 1e7/s, simulating for hours. */
    o.max_rate_per_s = a->max_rate > 0 ? a->max_rate : fmin(1e7, 64 * o.start_rate_per_s);
    if (o.max_rate_per_s <= o.min_rate_per_s)
        o.max_rate_per_s = 2 * o.min_rate_per_s;
    ev.sc = &sc;
    ev.jobs = a->jobs ? (unsigned)a->jobs : (unsigned)workers_default_count();
    ev.sum = NULL;

    pr.metric = o.metric;
    pr.steps = NULL;
    if (a->json) {
        pr.steps = json_array();
        rc = capacity_search(&o, evaluate, &ev, json_step, &pr, &r, &e);
        if (rc == 0)
            print_json(&sc, &pr, &r, &t, o.target, o.replications, erlang_rate);
        json_decref(pr.steps);
    } else {
        print_head(&sc, o.metric, o.target, o.replications, ev.jobs);
        rc = capacity_search(&o, evaluate, &ev, print_step, &pr, &r, &e);
        if (rc == 0)
            print_result(&sc, o.metric, &r, &t, o.target, erlang_rate, o.tolerance);
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
