/* cmd_trace.c - 'portsim trace': one run's events in words, for teaching.
 *
 * Loads and validates the scenario (exit 2 on bad input, nothing printed),
 * then runs it once with seed run.seed and a trace attached (trace.h).
 * --until stops the run at that simulated time; --limit stops the run once
 * that many records are out (so a look at a long scenario stays cheap; the
 * closing line says so).  Nothing is recorded in the database: a trace is a
 * way of looking at a run, not a run to compare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/trace.h"

int cmd_trace_take_until(void *args, const char *arg, struct err *e)
{
    struct trace_args *a = args;

    if (simtime_parse(arg, &a->until, e) != 0 || a->until == 0)
        return err_set(e, PS_EINVAL, "--until must be a duration above 0 (got '%s')", arg);
    return 0;
}

int cmd_trace_take_format(void *args, const char *arg, struct err *e)
{
    struct trace_args *a = args;

    if (strcmp(arg, "text") == 0)
        a->fmt = TRACE_TEXT;
    else if (strcmp(arg, "csv") == 0)
        a->fmt = TRACE_CSV;
    else if (strcmp(arg, "json") == 0)
        a->fmt = TRACE_JSON;
    else
        return err_set(e, PS_EINVAL, "--format must be text, csv or json (got '%s')", arg);
    return 0;
}

int cmd_trace(void *args, int nops, char **ops)
{
    const struct trace_args *a = args;
    struct run_options opt = {0};
    struct run_output out;
    struct scenario sc;
    struct trace *t;
    struct err e;
    simtime until;
    int rc;

    err_clear(&e);
    if (nops == 0 && a->so.sets.n == 0)
        rc = err_set(&e, PS_EINVAL, "no scenario (see --help)");
    else
        rc = scenario_load(&sc, nops ? ops[0] : NULL, a->so.sets.v, a->so.sets.n, &e);
    if (rc != 0) {
        e.code = PS_EINVAL;     /* a scenario that cannot be read is bad input (2) */
        return cli_fail("trace", &e);
    }
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    until = a->until && a->until < sc.p.run.duration_ns ? a->until : sc.p.run.duration_ns;
    t = trace_new(stdout, (enum trace_format)a->fmt, &sc, a->limit);
    opt.queue = EVQ_WHEEL;
    opt.until = until;
    trace_attach(t, &opt);
    trace_begin(t, sc.p.run.seed, until);
    rc = run_once(&sc, sc.p.run.seed, &opt, &out, &e);
    if (rc == 0) {
        trace_end(t, &out);
        run_output_fini(&out);
    }
    trace_free(t);
    scenario_fini(&sc);
    if (fflush(stdout) != 0 && rc == 0)
        rc = err_set(&e, PS_EIO, "stdout: write failed");
    return rc ? cli_fail("trace", &e) : 0;
}
