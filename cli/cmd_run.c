/* cmd_run.c - 'portsim run': one scenario, its replications, recorded.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the scenario (exit 2), open the database (exit 1, before any
 * run), then run each replication and record it in its own transaction.
 * Replication i runs with seed rng_derive(run.seed, i): replication 0 is
 * the seed itself.  --json prints one JSON object per replication, one per
 * line (a single object for a single run).  A run whose estimated events
 * pass the limit is refused unless --force; each run is watched (progress
 * on a terminal, SIGINT/SIGTERM, --max-memory: cli/watch.h) and one that
 * was stopped is recorded as truncated, then the command fails (exit 1).
 * A run that cannot be recorded (the database locked past the busy
 * timeout, a write failed) is kept beside it and recorded by the next
 * writer (cli/pending.h): computed work is never lost.
 * The human form ends, after two or more replications, with the mean and
 * 95 % interval of the headline metrics over them (summary_replications()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/pending.h"
#include "cli/runner.h"
#include "cli/summary.h"
#include "cli/watch.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

/* The watcher of every run of 'a' (cli/watch.h); PS_EINVAL for a bad
 * --max-memory. */
static int watch_setup(const struct run_args *a, const struct scenario *sc, struct watch *w,
                       struct err *e)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->progress = !a->quiet && isatty(STDERR_FILENO);
    w->duration = sc->p.run.duration_ns;
    if (a->max_memory)
        rc = watch_parse_size(a->max_memory, &w->max_memory, e);
    else
        rc = (w->max_memory = watch_default_max_memory(), 0);
    return rc;
}

/* A run the watcher stopped: recorded as truncated (metrics so far), then
 * the error that ends the command: PS_EINTR for a signal, PS_ERUN for the
 * memory bound. */
static int stopped(const struct watch *w, const struct run_output *out, int64_t run_id,
                   struct err *e)
{
    char why[600];

    watch_describe(w, out, why, sizeof(why));
    if (run_id)
        return err_set(e, w->stop == WATCH_MEMORY ? PS_ERUN : PS_EINTR, "%s; recorded as "
                       "truncated (run %lld)", why, (long long)run_id);
    return err_set(e, w->stop == WATCH_MEMORY ? PS_ERUN : PS_EINTR, "%s; not recorded "
                   "(--no-db)", why);
}

static int run_all(const struct run_args *a, struct scenario *sc, struct watch *wp,
                   struct store *st, struct err *e)
{
    uint32_t reps = sc->p.run.replications;
    struct watch w = *wp;
    char started_at[32];
    struct run_metrics *ms = xcalloc(reps ? reps : 1, sizeof(*ms));
    int rc = 0;

    for (uint32_t i = 0; i < reps && rc == 0; i++) {
        struct runner_job job = {.sc = sc, .seed = rng_derive(sc->p.run.seed, i),
                                 .replication = i};
        struct run_options opt = {.queue = EVQ_WHEEL};
        struct run_output out;
        int64_t run_id = 0;
        char label[64];

        snprintf(label, sizeof(label), reps > 1 ? "run %u/%u" : "run", i + 1, reps);
        w.label = label;
        watch_begin(&w, &opt);
        pending_now(started_at, sizeof(started_at));
        rc = runner_run(&job, &opt, &out, e);
        watch_end(&w);
        if (rc != 0)
            break;
        if (st && (rc = pending_record(st, cli_db_path(a->db), &job, &out, started_at, &run_id,
                                       e)) != 0) {
            run_output_fini(&out);
            break;
        }
        if (a->json)
            summary_json(stdout, sc, job.seed, i, &out, run_id);
        else if (!a->quiet)
            summary_print(stdout, sc, job.seed, i, &out, run_id);
        ms[i] = out.m;
        if (out.truncated)
            rc = stopped(&w, &out, st ? run_id : 0, e);
        else if (w.signal && i + 1 < reps)
            rc = err_set(e, PS_EINTR, "interrupted after replication %u of %u (recorded)",
                         i + 1, reps);
        run_output_fini(&out);
    }
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
    struct watch w;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    int rc;

    err_clear(&e);
    if (a->db && a->no_db)
        rc = err_set(&e, PS_EINVAL, "--db and --no-db exclude each other");
    else if ((rc = scenario_load(&sc,
                                 nops ? datadir_find(ops[0], ".ini", where, sizeof(where)) : NULL,
                                 a->so.sets.v, a->so.sets.n,
                                 &e)) != 0)
        e.code = PS_EINVAL;     /* a scenario that cannot be read is bad input too */
    if (rc != 0)
        return cli_fail("run", &e);
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    if (a->replications)
        sc.p.run.replications = (uint32_t)a->replications;
    /* too much work or a bad --max-memory: bad input, before the database */
    if ((rc = watch_check_estimate(&sc, a->force, &e)) != 0 ||
        (rc = watch_setup(a, &sc, &w, &e)) != 0)
        goto out;
    if (!a->no_db && (rc = pending_open(&st, cli_db_path(a->db), "run", &e)) != 0) {
        char why[ERR_MSG_MAX];

        snprintf(why, sizeof(why), "%s", e.msg);
        err_set(&e, rc, "%s (nothing was run)", why);
        goto out;
    }
    rc = run_all(a, &sc, &w, st, &e);
    if (rc == 0 && st && !a->quiet && !a->json)
        printf("recorded in %s\n", cli_db_path(a->db));
out:
    store_close(st);
    scenario_fini(&sc);
    return rc ? cli_fail("run", &e) : 0;
}
