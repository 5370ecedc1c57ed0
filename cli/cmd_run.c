/* cmd_run.c - 'portsim run': one scenario, its replications, recorded.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the scenario (exit 2), open the database (exit 1, before any
 * run), then run each replication and record it in its own transaction.
 * Replication i runs with seed rng_derive(run.seed, i): replication 0 is
 * the seed itself.  --json prints one JSON object per replication, one per
 * line (a single object for a single run).  The human form ends, after two
 * or more replications, with the mean and 95 % interval of the headline
 * metrics over them (summary_replications()).
 */
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
#include "sim/xalloc.h"

/* Replication i: run, record, print; its metrics into '*m'. */
static int run_one(const struct run_args *a, struct scenario *sc, struct store *st, uint32_t i,
                   struct run_metrics *m, struct err *e)
{
    struct runner_job job = {.sc = sc, .seed = rng_derive(sc->p.run.seed, i), .replication = i};
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
    *m = out.m;
    run_output_fini(&out);
    return 0;
}

static int run_all(const struct run_args *a, struct scenario *sc, struct store *st, struct err *e)
{
    uint32_t reps = sc->p.run.replications;
    struct run_metrics *ms = xcalloc(reps ? reps : 1, sizeof(*ms));
    int rc = 0;

    for (uint32_t i = 0; i < reps && rc == 0; i++)
        rc = run_one(a, sc, st, i, &ms[i], e);
    if (rc == 0 && !a->json && !a->quiet)
        summary_replications(stdout, ms, reps);
    free(ms);
    return rc;
}

int cmd_run(void *args, int nops, char **ops)
{
    struct run_args *a = args;
    struct scenario sc;
    struct store *st = NULL;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    int rc;

    err_clear(&e);
    if (a->db && a->no_db)
        rc = err_set(&e, PS_EINVAL, "--db and --no-db exclude each other");
    else if ((rc = scenario_load(&sc, nops ? datadir_find(ops[0], ".ini", where, sizeof(where)) : NULL, a->so.sets.v, a->so.sets.n,
                                 &e)) != 0)
        e.code = PS_EINVAL;     /* a scenario that cannot be read is bad input too */
    if (rc != 0)
        return cli_fail("run", &e);
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    if (a->replications)
        sc.p.run.replications = (uint32_t)a->replications;
    if (!a->no_db && (rc = store_open(&st, cli_db_path(a->db), STORE_CREATE, &e)) != 0)
        goto out;
    rc = run_all(a, &sc, st, &e);
    if (rc == 0 && st && !a->quiet && !a->json)
        printf("recorded in %s\n", cli_db_path(a->db));
out:
    store_close(st);
    scenario_fini(&sc);
    return rc ? cli_fail("run", &e) : 0;
}
