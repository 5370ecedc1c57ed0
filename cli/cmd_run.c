/* cmd_run.c - 'portsim run': one scenario, its replications, recorded.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the scenario (exit 2), open the database (exit 1, before any
 * run), then run each replication and record it in its own transaction.
 * Replication i runs with seed rng_derive(run.seed, i): replication 0 is
 * the seed itself.  A run that cannot be recorded (the database locked past
 * the busy timeout, a write failed) is kept beside it and recorded by the
 * next writer (cli/pending.h): computed work is never lost.  --json prints one JSON object per replication, one per
 * line (a single object for a single run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/pending.h"
#include "cli/runner.h"
#include "cli/summary.h"
#include "sim/rng.h"

static int run_all(const struct run_args *a, struct scenario *sc, struct store *st, struct err *e)
{
    uint32_t reps = sc->p.run.replications;
    char started_at[32];

    for (uint32_t i = 0; i < reps; i++) {
        struct runner_job job = {.sc = sc, .seed = rng_derive(sc->p.run.seed, i),
                                 .replication = i};
        struct run_output out;
        int64_t run_id = 0;
        int rc;

        pending_now(started_at, sizeof(started_at));
        if ((rc = runner_run(&job, NULL, &out, e)) != 0)
            return rc;
        if (st && (rc = pending_record(st, cli_db_path(a->db), &job, &out, started_at, &run_id,
                                       e)) != 0) {
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

int cmd_run(void *args, int nops, char **ops)
{
    struct run_args *a = args;
    struct scenario sc;
    struct store *st = NULL;
    struct err e;
    int rc;

    err_clear(&e);
    if (a->db && a->no_db)
        rc = err_set(&e, PS_EINVAL, "--db and --no-db exclude each other");
    else if ((rc = scenario_load(&sc, nops ? ops[0] : NULL, a->so.sets.v, a->so.sets.n,
                                 &e)) != 0)
        e.code = PS_EINVAL;     /* a scenario that cannot be read is bad input too */
    if (rc != 0)
        return cli_fail("run", &e);
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    if (a->replications)
        sc.p.run.replications = (uint32_t)a->replications;
    if (!a->no_db && (rc = pending_open(&st, cli_db_path(a->db), "run", &e)) != 0) {
        char why[ERR_MSG_MAX];

        snprintf(why, sizeof(why), "%s", e.msg);
        err_set(&e, rc, "%s (nothing was run)", why);
        goto out;
    }
    rc = run_all(a, &sc, st, &e);
    if (rc == 0 && st && !a->quiet && !a->json)
        printf("recorded in %s\n", cli_db_path(a->db));
out:
    store_close(st);
    scenario_fini(&sc);
    return rc ? cli_fail("run", &e) : 0;
}
