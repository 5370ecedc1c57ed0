/* cmd_run.c - 'portsim run': one scenario, its replications, recorded.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the scenario (exit 2), open the database (exit 1, before any
 * run), then run each replication and record it in its own transaction.
 * Replication i runs with seed rng_derive(run.seed, i): replication 0 is
 * the seed itself.  --json prints one JSON object per replication, one per
 * line (a single object for a single run).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/runner.h"
#include "cli/summary.h"
#include "sim/rng.h"

static const char usage_text[] =
    "usage: portsim run [SCENARIO] [--set section.key=value]... [--seed N]\n"
    "                   [--replications N] [--db FILE | --no-db] [--json] [--quiet]\n"
    "\n"
    "Run a scenario (an INI file; defaults fill whatever it and --set leave out),\n"
    "print a summary and record every replication in the database.\n"
    "\n"
    "  --set K=V           override one key, e.g. --set stack.port_max=65534\n"
    "  --seed N            base seed (default: run.seed)\n"
    "  --replications N    runs with seeds derived from the base seed\n"
    "  --db FILE           database (default: $PORTSIM_DB, else portsim.db)\n"
    "  --no-db             record nothing\n"
    "  --json              one JSON object per run: params, metrics, run_id\n"
    "  --quiet             no summary\n";

struct run_args {
    const char *scenario;
    struct cli_scenario_opts so;   /* --set, --seed */
    uint64_t replications;      /* 0: from the scenario */
    const char *db;
    bool no_db;
    bool json;
    bool quiet;
};

static int parse_args(int argc, char **argv, struct run_args *a, struct err *e)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, CLI_OPT_SET},     {"seed", required_argument, NULL, CLI_OPT_SEED},
        {"replications", required_argument, NULL, 'r'}, {"db", required_argument, NULL, 'd'},
        {"no-db", no_argument, NULL, 'n'},          {"json", no_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
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
        case 'r':
            if ((rc = cli_u64("--replications", optarg, 1, 100000, &a->replications, e)) != 0)
                return rc;
            break;
        case 'd': a->db = optarg; break;
        case 'n': a->no_db = true; break;
        case 'j': a->json = true; break;
        case 'q': a->quiet = true; break;
        case 'h': return 1;
        default:
            return cli_bad_option(argv, e);
        }
    }
    if (optind < argc)      /* GNU getopt has moved the operands to the end */
        a->scenario = argv[optind++];
    if (optind < argc)
        return err_set(e, PS_EINVAL, "unexpected argument '%s'", argv[optind]);
    if (a->db && a->no_db)
        return err_set(e, PS_EINVAL, "--db and --no-db exclude each other");
    return 0;
}

static int run_all(struct run_args *a, struct scenario *sc, struct store *st, struct err *e)
{
    uint32_t reps = sc->p.run.replications;

    for (uint32_t i = 0; i < reps; i++) {
        struct runner_job job = {.sc = sc, .seed = rng_derive(sc->p.run.seed, i),
                                 .replication = i};
        struct run_output out;
        int64_t run_id = 0;
        int rc;

        if ((rc = runner_run(&job, NULL, &out, e)) != 0)
            return rc;
        if (st && (rc = runner_record(st, &job, &out, &run_id, e)) != 0) {
            run_output_fini(&out);
            return rc;
        }
        if (a->json)
            summary_json(stdout, sc, job.seed, i, &out, run_id);
        else if (!a->quiet)
            summary_print(stdout, sc, job.seed, i, &out, run_id);
        run_output_fini(&out);
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_args a = {0};
    struct scenario sc;
    struct store *st = NULL;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    int rc;

    err_clear(&e);
    rc = parse_args(argc, argv, &a, &e);
    if (rc == 1) {
        fputs(usage_text, stdout);
        cli_sets_fini(&a.so.sets);
        return 0;
    }
    a.scenario = datadir_find(a.scenario, ".ini", where, sizeof(where));
    if (rc == 0 && (rc = scenario_load(&sc, a.scenario, a.so.sets.v, a.so.sets.n, &e)) != 0)
        e.code = PS_EINVAL;     /* a scenario that cannot be read is bad input too */
    if (rc != 0) {
        cli_sets_fini(&a.so.sets);
        return cli_fail("run", &e);
    }
    if (a.so.has_seed)
        sc.p.run.seed = a.so.seed;
    if (a.replications)
        sc.p.run.replications = (uint32_t)a.replications;
    if (!a.no_db && (rc = store_open(&st, cli_db_path(a.db), &e)) != 0)
        goto out;
    rc = run_all(&a, &sc, st, &e);
    if (rc == 0 && st && !a.quiet && !a.json)
        printf("recorded in %s\n", cli_db_path(a.db));
out:
    store_close(st);
    scenario_fini(&sc);
    cli_sets_fini(&a.so.sets);
    return rc ? cli_fail("run", &e) : 0;
}
