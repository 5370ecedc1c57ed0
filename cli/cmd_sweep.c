/* cmd_sweep.c - 'portsim sweep': expand a sweep file and run it with N
 * worker processes, one writer, resumable, in shards.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the whole sweep (exit 2, no database created), open the
 * database, list the runs of this shard that are not recorded yet (resume:
 * store_sweep_run_exists() on (sweep, params hash, seed, replication); a
 * failed run is not "recorded" and is retried), then run them.
 *
 * Process model: cli/workers.h.  The parent forks N workers after the
 * database is open; the workers never touch SQLite (they inherit the
 * expanded sweep by fork(), copy-on-write).  A worker runs the job of an
 * index and answers with one message:
 *
 *     struct wire_result (status, nsamples, error length, metrics)
 *     nsamples x struct run_sample
 *     error length bytes of message (status != 0 only)
 *     nat.nips + nat.nhosts x struct nat_scope_metrics (issue 12: a run
 *     with [nat]; the pointers of 'nat' in the header mean nothing here)
 *     nat.nlanes x (nat.nips + 1) struct nat_ip_sample: the lanes, then
 *     the run's own column (issue 12, a run with [nat])
 *
 * The parent is the only writer: each run is recorded in its own
 * transaction (store_record_run / store_record_failed_run), so a run that
 * did not finish leaves nothing.  A worker that dies mid-run (a crash) gets
 * its run recorded as failed and is replaced.
 *
 * Signals (workers.h): the first SIGINT or SIGTERM hands out no more runs
 * and records those in flight; the second drops them and stops.  No signal
 * lands in the middle of a database write.  SIGKILL or a power cut leaves
 * at most the open transaction, which SQLite rolls back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/pending.h"
#include "cli/runner.h"
#include "cli/workers.h"
#include "models/nat.h"
#include "models/sweep.h"
#include "sim/xalloc.h"

/* The header of a worker's answer; samples and the message follow. */
struct wire_result {
    int32_t status;             /* 0, or the PS_E* of the failed run */
    uint32_t errlen;            /* bytes of message after the samples */
    uint64_t nsamples;
    struct run_metrics m;
    struct nat_run_metrics nat;     /* issue 12: arrays follow the message */
};

/* The parent's state for one sweep. */
struct pool {
    const struct sweep *sw;
    struct store *st;
    int64_t sweep_id;
    size_t *todo;               /* job indices to run, in order */
    size_t ntodo;
    int stopping;               /* signals received */
    /* counts, for progress and the exit status */
    size_t total;               /* runs of this shard */
    size_t before;              /* recorded before this command */
    size_t ok;                  /* recorded ok by this command */
    size_t failed;              /* recorded failed by this command */
    double t0;                  /* start of the runs, monotonic s */
    double db_seconds;          /* parent's time inside store calls */
    /* progress */
    bool quiet, tty;
    double last_draw;
    double plan_quiet_s;        /* planning shows progress after this long (1 s;
                                 * $PORTSIM_PLAN_PROGRESS_AFTER, for tests) */
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void job_of(const struct sweep *sw, size_t index, int64_t sweep_id,
                   struct runner_job *job)
{
    struct sweep_job sj;

    sweep_job(sw, index, &sj);
    memset(job, 0, sizeof(*job));
    job->sc = sj.sc;
    job->seed = sj.seed;
    job->replication = sj.replication;
    job->sweep_id = sweep_id;
    job->remedy = sj.remedy_name;
    job->point_json = sj.point_json;
}

/* ---- In a worker ---- */

/* Run job 'index' and put the answer in 'out' (workers_ops.run). */
static void run_job(void *ctx, uint64_t index, struct workers_buf *out)
{
    const struct pool *pl = ctx;
    struct runner_job job;
    struct run_output res;
    struct wire_result h;
    struct err e;

    job_of(pl->sw, (size_t)index, 0, &job);
    err_clear(&e);
    memset(&res, 0, sizeof(res));
    memset(&h, 0, sizeof(h));
    h.status = runner_run(&job, NULL, &res, &e);
    if (h.status == 0) {
        h.m = res.m;
        h.nsamples = res.nsamples;
        h.nat = res.nat;
    } else {
        h.errlen = (uint32_t)strlen(e.msg);
    }
    workers_buf_add(out, &h, sizeof(h));
    workers_buf_add(out, res.samples, h.nsamples * sizeof(*res.samples));
    workers_buf_add(out, e.msg, h.errlen);
    if (h.status == 0 && h.nat.on) {
        workers_buf_add(out, res.nat.ip, h.nat.nips * sizeof(*res.nat.ip));
        workers_buf_add(out, res.nat.host, h.nat.nhosts * sizeof(*res.nat.host));
        workers_buf_add(out, res.nat.lanes, h.nat.nlanes * h.nat.nips * sizeof(*res.nat.lanes));
        workers_buf_add(out, res.nat.lane_all, h.nat.nlanes * sizeof(*res.nat.lane_all));
    }
    if (h.status == 0)
        run_output_fini(&res);
}

/* ---- In the parent: recording ---- */

static int record_ok(struct pool *pl, size_t index, const struct run_metrics *m,
                     const struct nat_run_metrics *nat, const struct run_sample *samples,
                     size_t nsamples, struct err *e)
{
    struct runner_job job;
    struct store_run r;
    double t = now_s();
    int rc;

    job_of(pl->sw, index, pl->sweep_id, &job);
    runner_store_run(&job, m->wall_seconds, &r);
    if (nat->on) {  /* issue 12: the words by the profile (a pointer did not travel) */
        struct nat_run_metrics words = *nat;

        words.failure_words = nat_failure_words(job.sc->p.nat.profile, NAT_DROP_EXHAUSTED);
        rc = store_record_run_nat(pl->st, &r, m, &words, samples, nsamples, NULL, e);
    } else {
        rc = store_record_run(pl->st, &r, m, samples, nsamples, NULL, e);
    }
    pl->db_seconds += now_s() - t;
    if (rc == 0)
        pl->ok++;
    return rc;
}

static int record_failed(struct pool *pl, size_t index, const char *why, struct err *e)
{
    struct runner_job job;
    struct store_run r;
    double t = now_s();
    int rc;

    job_of(pl->sw, index, pl->sweep_id, &job);
    runner_store_run(&job, 0, &r);
    rc = store_record_failed_run(pl->st, &r, why, NULL, e);
    pl->db_seconds += now_s() - t;
    if (rc == 0)
        pl->failed++;
    return rc;
}

/* Record the answer to job 'index' (workers_ops.done): 'data' is a
 * wire_result and what follows it, or NULL when the worker died ('why'). */
static int record(void *ctx, uint64_t index, const void *data, size_t len, const char *why,
                  struct err *e)
{
    struct pool *pl = ctx;
    const char *p = data;
    struct wire_result h;
    char msg[ERR_MSG_MAX];
    size_t n, nat_len, lanes_len;

    if (!data)
        return record_failed(pl, (size_t)index, why, e);
    if (len < sizeof(h))
        return record_failed(pl, (size_t)index, "worker's answer cut short", e);
    memcpy(&h, p, sizeof(h));
    nat_len = h.status == 0 && h.nat.on ?
              ((size_t)h.nat.nips + h.nat.nhosts) * sizeof(struct nat_scope_metrics) : 0;
    lanes_len = h.status == 0 && h.nat.on ?
                h.nat.nlanes * ((size_t)h.nat.nips + 1) * sizeof(struct nat_ip_sample) : 0;
    if (len != sizeof(h) + h.nsamples * sizeof(struct run_sample) + h.errlen + nat_len +
               lanes_len)
        return record_failed(pl, (size_t)index, "worker's answer of the wrong length", e);
    if (h.status == 0) {
        struct run_sample *samples = xmalloc(h.nsamples ? h.nsamples * sizeof(*samples) : 1);
        const char *natp = p + sizeof(h) + h.nsamples * sizeof(*samples) + h.errlen;
        int rc;

        memcpy(samples, p + sizeof(h), h.nsamples * sizeof(*samples));
        if (h.nat.on) {         /* issue 12: the arrays after the message */
            h.nat.ip = xmalloc(nat_len);
            memcpy(h.nat.ip, natp, nat_len);
            h.nat.host = h.nat.ip + h.nat.nips;
            h.nat.lanes = xmalloc(lanes_len ? lanes_len : 1);
            memcpy(h.nat.lanes, natp + nat_len, lanes_len);
            h.nat.lane_all = h.nat.lanes + h.nat.nlanes * h.nat.nips;
        }
        rc = record_ok(pl, (size_t)index, &h.m, &h.nat, samples, (size_t)h.nsamples, e);
        free(samples);
        free(h.nat.ip);
        free(h.nat.lanes);
        return rc;
    }
    n = h.errlen < sizeof(msg) ? h.errlen : sizeof(msg) - 1;
    memcpy(msg, p + sizeof(h), n);
    msg[n] = '\0';
    return record_failed(pl, (size_t)index, msg[0] ? msg : "run failed", e);
}

/* ---- In the parent: progress ---- */

static void progress(struct pool *pl, bool final)
{
    double now = now_s(), el = now - pl->t0;
    size_t done = pl->before + pl->ok, left = pl->total - done - pl->failed;
    double rate = el > 0 ? (double)(pl->ok + pl->failed) / el : 0;
    char eta[32];

    if (pl->quiet)
        return;
    if (!final && now - pl->last_draw < (pl->tty ? 0.2 : 5.0))
        return;
    pl->last_draw = now;
    if (rate > 0)
        snprintf(eta, sizeof(eta), "%.0f s left", (double)left / rate);
    else
        snprintf(eta, sizeof(eta), "? s left");
    if (pl->tty) {
        char bar[31];
        size_t fill = pl->total ? (done + pl->failed) * 30 / pl->total : 30;

        for (size_t k = 0; k < 30; k++)
            bar[k] = k < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu runs, %zu failed, %.1f runs/s, %s%s\033[K", bar, done,
                pl->total, pl->failed, rate, eta, pl->stopping ? " (stopping)" : "");
        if (final)
            fputc('\n', stderr);
    } else if (!final) {
        fprintf(stderr, "sweep %s: %zu/%zu runs, %zu failed, %.1f runs/s, %s%s\n", pl->sw->name,
                done, pl->total, pl->failed, rate, eta, pl->stopping ? " (stopping)" : "");
    }
    fflush(stderr);
}

/* workers_ops.tick */
static void tick(void *ctx, int signals)
{
    struct pool *pl = ctx;

    pl->stopping = signals;
    progress(pl, false);
}

/* workers_ops.stopping */
static void stopping(void *ctx, size_t inflight)
{
    struct pool *pl = ctx;

    pl->stopping = 1;
    if (!pl->quiet)
        fprintf(stderr, "%sportsim sweep: stopping after the %zu run%s in flight (signal again "
                "to drop them)\n", pl->tty ? "\n" : "", inflight, inflight == 1 ? "" : "s");
}

/* ---- The command ---- */

int cmd_sweep_take_shard(void *args, const char *arg, struct err *e)
{
    struct sweep_args *a = args;

    return sweep_parse_shard(arg, &a->shard_k, &a->shard_n, e);
}

/* Planning progress on stderr: on a terminal a line redrawn every 0.2 s
 * after the first second, else a line every 10 s; 'i' jobs of the sweep's
 * 'n' looked at ('final': clear the line). */
static void plan_progress(struct pool *pl, size_t i, size_t n, double t0, bool final)
{
    double now = now_s();

    if (pl->quiet ||
        (!final && (now - t0 < pl->plan_quiet_s || now - pl->last_draw < (pl->tty ? 0.2 : 10))))
        return;
    if (final) {
        if (pl->tty && pl->last_draw > 0)
            fprintf(stderr, "\r\033[K");
        pl->last_draw = 0;
        return;
    }
    pl->last_draw = now;
    fprintf(stderr, "%ssweep %s: planning, %zu of %zu runs looked at (%.0f%%)%s",
            pl->tty ? "\r" : "", pl->sw->name, i, n, 100.0 * (double)i / (double)n,
            pl->tty ? "\033[K" : "\n");
    fflush(stderr);
}

/* Fill 'pl->todo' with the shard's runs not yet recorded; with 'list',
 * print every run of the shard as well (--dry-run).  A sweep with no run
 * recorded yet is not looked up run by run; progress is shown while
 * planning takes more than a second (10^8 runs). */
static int plan(struct pool *pl, const struct sweep_args *a, bool list, struct err *e)
{
    const struct sweep *sw = pl->sw;
    size_t cap = 0;
    bool any = false;
    double t0 = now_s();
    int rc;

    if (pl->st && (rc = store_sweep_any_run(pl->st, pl->sweep_id, &any, e)) != 0)
        return rc;
    if (list)
        printf("index\tremedy\tpoint\treplication\tseed\tparams_hash\trecorded\n");
    pl->last_draw = 0;
    for (size_t i = 0; i < sw->njobs; i++) {
        struct sweep_job j;
        bool found = false;

        if ((i & 0xFFFF) == 0)
            plan_progress(pl, i, sw->njobs, t0, false);
        if (!sweep_in_shard(i, a->shard_k, a->shard_n))
            continue;
        sweep_job(sw, i, &j);
        pl->total++;
        if (any && (rc = store_sweep_run_exists(pl->st, pl->sweep_id, j.sc->hash, j.seed,
                                                j.replication, &found, e)) != 0)
            return rc;
        if (list)
            printf("%zu\t%s\t%s\t%u\t%llu\t%s\t%s\n", i, j.remedy_name, j.point_json,
                   j.replication, (unsigned long long)j.seed, j.sc->hash, found ? "yes" : "no");
        if (found) {
            pl->before++;
        } else {
            pl->todo = xgrow(pl->todo, &cap, pl->ntodo + 1, sizeof(*pl->todo));
            pl->todo[pl->ntodo++] = i;
        }
    }
    plan_progress(pl, sw->njobs, sw->njobs, t0, true);
    return 0;
}

static int dry_run(struct pool *pl, const struct sweep_args *a, struct err *e)
{
    const char *path = cli_db_path(a->db);
    bool found = false;
    int rc;

    /* Only look at an existing database: a dry run creates nothing.  No
     * database (PS_EIO) means nothing recorded yet. */
    rc = store_open(&pl->st, path, STORE_READ_ONLY, e);
    if (rc != 0 && rc != PS_EIO)
        return rc;
    if (rc == 0) {
        if ((rc = store_sweep_find(pl->st, pl->sw->name, &pl->sweep_id, &found, e)) != 0)
            return rc;
        if (!found) {
            store_close(pl->st);
            pl->st = NULL;
        }
    }
    if ((rc = plan(pl, a, true, e)) != 0)
        return rc;
    printf("%zu runs (%zu already recorded, %zu to run)\n", pl->total, pl->before, pl->ntodo);
    return 0;
}

/* Open the database for writing runs and register the sweep. */
static int open_db(struct pool *pl, const char *path, struct err *e)
{
    int rc;

    if ((rc = pending_open(&pl->st, path, "sweep", e)) != 0)
        return rc;
    /* WAL with synchronous = NORMAL: a commit does not wait for the disk.
     * A crash or power cut may lose the last runs recorded, never the
     * database's consistency, and resume runs them again: exactly the
     * guarantee a sweep needs, at a fraction of the cost per run. */
    if ((rc = store_sync_normal(pl->st, e)) != 0)
        return rc;
    return store_sweep_ensure(pl->st, pl->sw->name, pl->sw->text, &pl->sweep_id, e);
}

static int run_sweep(struct pool *pl, const struct sweep_args *a, struct err *e)
{
    static const struct workers_ops ops = {run_job, record, tick, stopping};
    size_t jobs = a->jobs ? (size_t)a->jobs : workers_default_count();
    int rc;

    if ((rc = open_db(pl, cli_db_path(a->db), e)) != 0)
        return rc;
    if ((rc = plan(pl, a, false, e)) != 0)
        return rc;
    pl->t0 = pl->last_draw = now_s();
    rc = workers_run(&ops, pl, jobs, pl->todo, pl->ntodo, &pl->stopping, e);
    progress(pl, true);
    return rc;
}

int cmd_sweep(void *args, int nops, char **ops)
{
    const struct sweep_args *a = args;
    struct sweep sw;
    struct pool pl;
    struct err e;
    char where[4096];           /* the sweep found by datadir_find() */
    double el;
    int rc;

    memset(&pl, 0, sizeof(pl));
    err_clear(&e);
    if (nops == 0) {
        err_set(&e, PS_EINVAL, "missing the sweep file (usage: portsim sweep SWEEP "
                "[--jobs N] [--db FILE] [--shard K/N] [--dry-run] [--quiet])");
        return cli_fail("sweep", &e);
    }
    if ((rc = sweep_load(&sw, datadir_find(ops[0], ".sweep", where, sizeof(where)), &e)) != 0) {
        e.code = PS_EINVAL;     /* a sweep file that cannot be read is bad input too */
        return cli_fail("sweep", &e);
    }
    pl.sw = &sw;
    pl.quiet = a->quiet;
    pl.tty = isatty(STDERR_FILENO);
    pl.plan_quiet_s = 1.0;
    if (getenv("PORTSIM_PLAN_PROGRESS_AFTER"))
        pl.plan_quiet_s = atof(getenv("PORTSIM_PLAN_PROGRESS_AFTER"));
    if (a->dry_run) {
        rc = dry_run(&pl, a, &e);
        goto out;
    }
    rc = run_sweep(&pl, a, &e);
    el = now_s() - pl.t0;
    if (rc == 0 && !a->quiet) {
        fprintf(stderr, "sweep %s: %zu of %zu runs recorded (%zu this time, %zu failed) in "
                "%.2f s: %.2f runs/s, database %.2f s (%.1f%% of the time)\n", sw.name,
                pl.before + pl.ok, pl.total, pl.ok, pl.failed, el,
                el > 0 ? (double)(pl.ok + pl.failed) / el : 0.0, pl.db_seconds,
                el > 0 ? 100 * pl.db_seconds / el : 0.0);
    }
    if (rc == 0 && pl.before + pl.ok < pl.total) {
        if (pl.failed)
            rc = err_set(&e, PS_EINTR, "sweep incomplete: %zu of %zu runs recorded (%zu "
                         "failed; see the runs' error column); run the same command to resume",
                         pl.before + pl.ok, pl.total, pl.failed);
        else
            rc = err_set(&e, PS_EINTR, "sweep incomplete: %zu of %zu runs recorded; run the "
                         "same command to resume", pl.before + pl.ok, pl.total);
    }
out:
    store_close(pl.st);
    free(pl.todo);
    sweep_fini(&sw);
    return rc ? cli_fail("sweep", &e) : 0;
}
