/* cmd_trace.c - 'portsim trace': one run's events in words, for teaching.
 *
 * Loads and validates the scenario (exit 2 on bad input, nothing printed),
 * then runs it once with seed run.seed and a trace attached (trace.h).
 * --until stops the run at that simulated time; --limit stops the run once
 * that many records are out (so a look at a long scenario stays cheap; the
 * closing line says so).  Nothing is recorded in the database: a trace is a
 * way of looking at a run, not a run to compare.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/trace.h"

static const char usage_text[] =
    "usage: portsim trace SCENARIO [--set section.key=value]... [--seed N] [--until T]\n"
    "                     [--limit N] [--format text|csv|json]\n"
    "\n"
    "Run a scenario once and print every event in words: requests arriving, each\n"
    "connect() with the port it got and why, every port it skipped and why, closes\n"
    "and who keeps TIME_WAIT until when, expiries, and failures with the error the\n"
    "system's user would see and the state of the pool at that moment.\n"
    "\n"
    "  --set K=V           override one key, e.g. --set stack.time_wait=30\n"
    "  --seed N            seed (default: run.seed)\n"
    "  --until T           stop the run at simulated time T (e.g. 30, 2min)\n"
    "  --limit N           stop the run after N records\n"
    "  --format F          text (default), csv (with a header line) or json (JSON Lines)\n"
    "\n"
    "Fields of csv and json: t, event, request, mailbox, server, port, until,\n"
    "in_use, time_wait, free (at failures), detail.  Times in seconds.\n";

struct trace_args {
    const char *scenario;
    struct cli_scenario_opts so;   /* --set, --seed */
    simtime until;              /* 0: run.duration */
    uint64_t limit;             /* 0: none */
    enum trace_format fmt;
};

static int parse_args(int argc, char **argv, struct trace_args *a, struct err *e)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, CLI_OPT_SET},    {"seed", required_argument, NULL, CLI_OPT_SEED},
        {"until", required_argument, NULL, 'u'},  {"limit", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if ((rc = cli_scenario_opt(&a->so, c, optarg, e)) != 0) {
            if (rc < 0)
                return rc;
            continue;
        }
        switch (c) {
        case 'u':
            if (simtime_parse(optarg, &a->until, e) != 0 || a->until == 0)
                return err_set(e, PS_EINVAL, "--until must be a duration above 0 (got '%s')",
                               optarg);
            break;
        case 'l':
            if ((rc = cli_u64("--limit", optarg, 1, UINT64_MAX, &a->limit, e)) != 0)
                return rc;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                a->fmt = TRACE_TEXT;
            else if (strcmp(optarg, "csv") == 0)
                a->fmt = TRACE_CSV;
            else if (strcmp(optarg, "json") == 0)
                a->fmt = TRACE_JSON;
            else
                return err_set(e, PS_EINVAL, "--format must be text, csv or json (got '%s')",
                               optarg);
            break;
        case 'h': return 1;
        default:
            return cli_bad_option(argv, e);
        }
    }
    if (optind < argc)
        a->scenario = argv[optind++];
    if (optind < argc)
        return err_set(e, PS_EINVAL, "unexpected argument '%s'", argv[optind]);
    if (!a->scenario && a->so.sets.n == 0)
        return err_set(e, PS_EINVAL, "no scenario (see --help)");
    return 0;
}

int cmd_trace(int argc, char **argv)
{
    struct trace_args a = {0};
    struct run_options opt = {0};
    struct run_output out;
    struct scenario sc;
    struct trace *t;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    simtime until;
    int rc;

    err_clear(&e);
    rc = parse_args(argc, argv, &a, &e);
    if (rc == 1) {
        fputs(usage_text, stdout);
        cli_sets_fini(&a.so.sets);
        return 0;
    }
    a.scenario = datadir_find(a.scenario, ".ini", where, sizeof(where));
    if (rc != 0 || (rc = scenario_load(&sc, a.scenario, a.so.sets.v, a.so.sets.n, &e)) != 0) {
        cli_sets_fini(&a.so.sets);
        return cli_fail("trace", &e);
    }
    if (a.so.has_seed)
        sc.p.run.seed = a.so.seed;
    until = a.until && a.until < sc.p.run.duration_ns ? a.until : sc.p.run.duration_ns;
    t = trace_new(stdout, a.fmt, &sc, a.limit);
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
    cli_sets_fini(&a.so.sets);
    if (fflush(stdout) != 0 && rc == 0)
        rc = err_set(&e, PS_EIO, "stdout: write failed");
    return rc ? cli_fail("trace", &e) : 0;
}
