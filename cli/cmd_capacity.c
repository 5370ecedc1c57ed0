/* cmd_capacity.c - 'portsim capacity': the highest request rate that keeps
 * the failed-request share under a target with 95 % confidence.
 *
 * The search itself is analysis/capacity.c; this file gives it an
 * evaluator that runs the replications of one rate in parallel worker
 * processes.  Per step the parent flushes stdout, forks min(jobs,
 * replications) workers; worker w runs replications w, w + jobs, ... with
 * the seeds 'portsim run' would use (rng_derive(run.seed, i)), adds up four
 * counts and writes one fixed-size record to its pipe, then _exit()s.  The
 * parent reads every record, reaps every worker and fails the step (PS_ERUN)
 * if one died, was killed or wrote a short record.  With one job nothing is
 * forked.  Nothing is recorded in the database: capacity is a question
 * about a scenario, and its runs are throw-away points of a search.
 *
 * Exit status: 0 when a capacity was found (or every rate up to 1e7/s
 * passes); 1 when the search is inconclusive or no rate passes; 2 for bad
 * usage or a bad scenario.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/capacity.h"
#include "analysis/theory.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/pipeio.h"
#include "models/run.h"
#include "models/scenario.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

static const char usage_text[] =
    "usage: portsim capacity [SCENARIO] [--target SHARE] [--replications N] [--jobs N]\n"
    "                        [--tolerance REL] [--set section.key=value]...\n"
    "\n"
    "The highest workload.rate at which the share of failed requests stays under the\n"
    "target with 95% confidence: the upper end of the exact Clopper-Pearson interval\n"
    "of the failed requests pooled over the replications must be below the target.\n"
    "Starts at the closed form's Erlang-B rate for the target, doubles or halves\n"
    "until one rate passes and one fails, then bisects; prints every step and the\n"
    "answer beside the closed form.  Replications run in parallel; nothing is\n"
    "recorded in the database.\n"
    "\n"
    "  --target SHARE      failed-request share to stay under, 0..1 (default 0.001)\n"
    "  --replications N    runs per step, seeds as 'portsim run' derives them\n"
    "                      (default: run.replications if set, else 10)\n"
    "  --jobs N            worker processes (default: the online cores)\n"
    "  --tolerance REL     stop when the bracket is narrower than REL x rate\n"
    "                      (default 0.01)\n"
    "  --max-rate R        search no higher (default: 64 x the starting rate)\n"
    "  --set K=V           override one scenario key (repeatable)\n";

struct cap_args {
    const char *scenario;
    struct cli_sets sets;
    double target;
    uint64_t replications;          /* 0: default */
    uint64_t jobs;                  /* 0: online cores */
    double tolerance;
    double max_rate;                /* 0: 64 x the start */
};

/* What one worker sends back. */
struct worker_msg {
    int rc;
    struct capacity_counts c;
    char msg[ERR_MSG_MAX];
};

/* The evaluator's context. */
struct cap_eval {
    struct scenario *sc;
    unsigned jobs;
};

static int parse_args(int argc, char **argv, struct cap_args *a, struct err *e)
{
    static const struct option opts[] = {
        {"target", required_argument, NULL, 't'},  {"replications", required_argument, NULL, 'r'},
        {"jobs", required_argument, NULL, 'j'},    {"tolerance", required_argument, NULL, 'T'},
        {"set", required_argument, NULL, 's'},     {"help", no_argument, NULL, 'h'},
        {"max-rate", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = 0;

    opterr = 0;
    optind = 1;
    a->target = 0.001;
    a->tolerance = 0.01;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't': rc = cli_double("--target", optarg, 1e-9, 0.5, &a->target, e); break;
        case 'r': rc = cli_u64("--replications", optarg, 1, 100000, &a->replications, e); break;
        case 'j': rc = cli_u64("--jobs", optarg, 1, 1024, &a->jobs, e); break;
        case 'T': rc = cli_double("--tolerance", optarg, 1e-6, 1, &a->tolerance, e); break;
        case 'm': rc = cli_double("--max-rate", optarg, 1e-6, 1e7, &a->max_rate, e); break;
        case 's': cli_sets_add(&a->sets, optarg); break;
        case 'h': return 1;
        default:
            return cli_bad_option(argv, e);
        }
        if (rc != 0)
            return rc;
    }
    if (optind < argc)
        a->scenario = argv[optind++];
    if (optind < argc)
        return err_set(e, PS_EINVAL, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* ---- Running replications ---- */

/* Replications first, first + stride, ... below 'reps', added into 'm'. */
static void run_share(const struct scenario *sc, uint32_t first, uint32_t stride, uint32_t reps,
                      struct worker_msg *m)
{
    memset(m, 0, sizeof(*m));
    for (uint32_t i = first; i < reps; i += stride) {
        struct run_output out;
        struct err e;

        err_clear(&e);
        memset(&out, 0, sizeof(out));
        if ((m->rc = run_once(sc, rng_derive(sc->p.run.seed, i), NULL, &out, &e)) != 0) {
            snprintf(m->msg, sizeof(m->msg), "%s", e.msg);
            return;
        }
        m->c.requests += out.m.requests;
        m->c.requests_failed += out.m.requests_failed;
        m->c.connect_attempts += out.m.connect_attempts;
        m->c.connect_failures += out.m.connect_failures;
        run_output_fini(&out);
    }
}

static void add_counts(struct capacity_counts *to, const struct capacity_counts *c)
{
    to->requests += c->requests;
    to->requests_failed += c->requests_failed;
    to->connect_attempts += c->connect_attempts;
    to->connect_failures += c->connect_failures;
}

/* Fork 'n' workers; gather their counts. */
static int run_parallel(const struct scenario *sc, uint32_t reps, unsigned n,
                        struct capacity_counts *out, struct err *e)
{
    pid_t *pid = xcalloc(n, sizeof(*pid));
    int *fd = xcalloc(n, sizeof(*fd));
    struct worker_msg *m = xmalloc(sizeof(*m));
    unsigned started = 0;
    int rc = 0;

    fflush(stdout);             /* or the children would print it again */
    fflush(stderr);
    for (; started < n; started++) {
        int p[2];

        if (pipe(p) != 0) {
            rc = err_set(e, PS_ERUN, "pipe: %s", strerror(errno));
            break;
        }
        if ((pid[started] = fork()) < 0) {
            rc = err_set(e, PS_ERUN, "fork: %s", strerror(errno));
            close(p[0]);
            close(p[1]);
            break;
        }
        if (pid[started] == 0) {
            close(p[0]);
            for (unsigned k = 0; k < started; k++)
                close(fd[k]);
            run_share(sc, started, n, reps, m);
            _exit(pipeio_write(p[1], m, sizeof(*m)) == 0 ? 0 : 1);
        }
        close(p[1]);
        fd[started] = p[0];
    }
    for (unsigned k = 0; k < started; k++) {
        int got = pipeio_read(fd[k], m, sizeof(*m));
        int status;

        close(fd[k]);
        while (waitpid(pid[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (rc != 0)
            continue;
        if (got != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (WIFSIGNALED(status))
                rc = err_set(e, PS_ERUN, "worker %u (pid %ld) was killed by signal %d", k,
                             (long)pid[k], WTERMSIG(status));
            else
                rc = err_set(e, PS_ERUN, "worker %u (pid %ld) ended without its counts", k,
                             (long)pid[k]);
        } else if (m->rc != 0) {
            rc = err_set(e, m->rc, "%s", m->msg);
        } else {
            add_counts(out, &m->c);
        }
    }
    free(m);
    free(fd);
    free(pid);
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
    if (n <= 1) {
        struct worker_msg m;

        run_share(ev->sc, 0, 1, reps, &m);
        if (m.rc != 0)
            return err_set(e, m.rc, "%s", m.msg);
        add_counts(out, &m.c);
        return 0;
    }
    return run_parallel(ev->sc, reps, n, out, e);
}

/* ---- Printing ---- */

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
    snprintf(frac, sizeof(frac), "%s/%s", cli_count(s->c.requests_failed, a, sizeof(a)),
             cli_count(s->c.requests, b, sizeof(b)));
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
               cli_count(r->best.c.requests_failed, a, sizeof(a)),
               cli_count(r->best.c.requests, b, sizeof(b)));
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
               cli_count(r->requests_needed, b, sizeof(b)));
        break;
    }
    printf("closed form   sustainable %.4g connections/s (%s ports / %.4g s holding)\n",
           t->sustainable_rate_per_s, cli_count(t->n, a, sizeof(a)), t->holding_s);
    printf("              Erlang B reaches %s at %.4g requests/s\n", pct(target, b, sizeof(b)),
           erlang_rate);
    if (t->flags & (THEORY_CACHED | THEORY_REUSE | THEORY_RETRIES | THEORY_MAX_TW |
                    THEORY_CONSTANT | THEORY_DIURNAL | THEORY_CONN_LIMIT))
        printf("              (%.40s leaves the closed form: 'portsim theory' says how)\n",
               sc->p.run.name);
}

int cmd_capacity(int argc, char **argv)
{
    struct cap_args a = {0};
    struct capacity_opts o;
    struct capacity_result r;
    struct cap_eval ev;
    struct scenario sc;
    struct theory t;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    double erlang_rate;
    long cores;
    int rc;

    err_clear(&e);
    if ((rc = parse_args(argc, argv, &a, &e)) == 1) {
        fputs(usage_text, stdout);
        cli_sets_fini(&a.sets);
        return 0;
    }
    a.scenario = datadir_find(a.scenario, ".ini", where, sizeof(where));
    if (rc == 0 && (rc = scenario_load(&sc, a.scenario, a.sets.v, a.sets.n, &e)) != 0)
        e.code = PS_EINVAL;
    cli_sets_fini(&a.sets);
    if (rc != 0)
        return cli_fail("capacity", &e);
    if ((rc = theory_compute(&sc.p, &t, &e)) != 0) {
        scenario_fini(&sc);
        return cli_fail("capacity", &e);
    }
    capacity_opts_default(&o, a.target);
    o.tolerance = a.tolerance;
    if (a.replications)
        o.replications = (uint32_t)a.replications;
    else if (scenario_key_is_set(&sc, "run.replications"))
        o.replications = sc.p.run.replications;
    erlang_rate = t.holding_s > 0 ? theory_rate_for_blocking((unsigned)t.n, t.holding_s, a.target)
                                        / t.busiest_share
                                  : (double)INFINITY;
    o.start_rate_per_s = isfinite(erlang_rate) && erlang_rate > 0 ? erlang_rate
                       : sc.p.workload.rate_per_s;
    /* A remedy that never fails (the cache holds every mailbox's connection)
     * would otherwise be doubled up to 1e7/s, simulating for hours. */
    o.max_rate_per_s = a.max_rate > 0 ? a.max_rate : fmin(1e7, 64 * o.start_rate_per_s);
    if (o.max_rate_per_s <= o.min_rate_per_s)
        o.max_rate_per_s = 2 * o.min_rate_per_s;
    cores = sysconf(_SC_NPROCESSORS_ONLN);
    ev.sc = &sc;
    ev.jobs = a.jobs ? (unsigned)a.jobs : cores > 0 ? (unsigned)cores : 1;

    printf("capacity of %s: failed requests under %g%% with 95%% confidence (upper end of\n"
           "the Clopper-Pearson interval), %u replications of %.6g s per step, %u jobs\n\n",
           sc.p.run.name, 100 * a.target, o.replications, simtime_to_s(sc.p.run.duration_ns)
           - simtime_to_s(sc.p.run.warmup_ns), ev.jobs);
    printf("step  phase       rate/s  reps           failed/requests      share  95%% upper  "
           "verdict\n");
    rc = capacity_search(&o, evaluate, &ev, print_step, NULL, &r, &e);
    if (rc == 0) {
        print_result(&sc, &r, &t, a.target, erlang_rate, o.tolerance);
        if (r.outcome == CAPACITY_INCONCLUSIVE || r.outcome == CAPACITY_BELOW_MIN)
            rc = 1;
    }
    scenario_fini(&sc);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail("capacity", &e);
    if (rc < 0)
        return cli_fail("capacity", &e);
    return rc;
}
