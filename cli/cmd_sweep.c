/* cmd_sweep.c - 'portsim sweep': expand a sweep file and run it with N
 * worker processes, one writer, resumable, in shards.
 *
 * Order of work, so that bad input writes nothing: parse flags, load and
 * validate the whole sweep (exit 2, no database created), open the
 * database, list the runs of this shard that are not recorded yet (resume:
 * store_sweep_run_exists() on (sweep, params hash, seed, replication); a
 * failed run is not "recorded" and is retried), then run them.
 *
 * Process model.  The parent forks N workers after the database is open;
 * the workers never touch SQLite (they inherit the expanded sweep by
 * fork(), copy-on-write).  Each worker has two pipes: the parent writes a
 * job index (one uint64_t) to it, the worker runs the job and writes back
 * one result message:
 *
 *     struct wire_result (index, status, nsamples, error length, metrics)
 *     nsamples x struct run_sample
 *     error length bytes of message (status != 0 only)
 *
 * Raw structs are fine: both ends are one binary.  A worker has at most
 * one job in flight, so stopping never leaves a queued job behind.  The
 * parent is the only writer: each run is recorded in its own transaction
 * (store_record_run / store_record_failed_run), so a run that did not
 * finish leaves nothing.  A worker that dies mid-run (a crash) gets its run
 * recorded as failed and is replaced.  A worker exits when its job pipe
 * reaches EOF: when the parent closes it, or when the parent dies (even by
 * SIGKILL), so no worker outlives a killed sweep for longer than its run.
 *
 * Signals.  The library may hold no writable static data (make globals),
 * so there is no "stop" flag at all: the parent blocks SIGINT and SIGTERM
 * and unblocks them only inside pselect(), with a handler that does
 * nothing.  A pselect() that returns EINTR *is* the notification, and a
 * signal can never land in the middle of a database write.  First signal:
 * hand out no more work, wait for the runs in flight and record them.
 * Second signal: kill the workers (their runs are dropped) and stop.  The
 * workers ignore SIGINT and SIGTERM (a terminal's ^C reaches the whole
 * process group): the parent decides for them.  SIGKILL or a power cut
 * leaves at most the open transaction, which SQLite rolls back.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/cmd.h"
#include "cli/pipeio.h"
#include "cli/runner.h"
#include "cli/sweep.h"
#include "sim/xalloc.h"

#define JOBS_MAX 256            /* workers; keeps every pipe below FD_SETSIZE */
#define RESPAWN_MAX 64          /* replacements for crashed workers, per sweep */

static const char usage_text[] =
    "usage: portsim sweep SWEEP [--jobs N] [--db FILE] [--shard K/N] [--dry-run] [--quiet]\n"
    "\n"
    "Expand a sweep file (remedies x varied values x replications) and run every run\n"
    "not yet recorded in the database, N at a time.  Interrupt it (^C, SIGTERM) or\n"
    "kill it at any moment: the same command resumes where it stopped.\n"
    "\n"
    "  --jobs N       worker processes (default: the number of online cores)\n"
    "  --db FILE      database (default: $PORTSIM_DB, else portsim.db)\n"
    "  --shard K/N    run only the K-th of N disjoint slices (job index mod N = K-1),\n"
    "                 e.g. one per cluster task; merge the databases with 'portsim merge'\n"
    "  --dry-run      list the runs (index, remedy, point, replication, seed, params\n"
    "                 hash, recorded) and their count; run nothing\n"
    "  --quiet        no progress on stderr\n"
    "\n"
    "Exit status: 0 when every run of the shard is recorded, 1 when the sweep is\n"
    "incomplete (interrupted, or runs failed: run the same command again), 2 for a\n"
    "bad sweep file or bad usage (nothing is written).\n";

struct sweep_args {
    const char *file;
    uint64_t jobs;              /* 0: online cores */
    const char *db;
    uint32_t shard_k, shard_n;
    bool dry_run;
    bool quiet;
};

/* The header of a worker's answer; samples and the message follow. */
struct wire_result {
    uint64_t index;             /* job index */
    int32_t status;             /* 0, or the PS_E* of the failed run */
    uint32_t errlen;            /* bytes of message after the samples */
    uint64_t nsamples;
    struct run_metrics m;
};

struct worker {
    pid_t pid;                  /* 0: no process */
    int job_fd;                 /* parent writes job indices here */
    int res_fd;                 /* parent reads results here */
    bool busy;                  /* a job is in flight */
    size_t job;                 /* ... this one */
};

/* The parent's state for one sweep. */
struct pool {
    const struct sweep *sw;
    struct store *st;
    int64_t sweep_id;
    struct worker *w;
    size_t nworkers;
    size_t *todo;               /* job indices to run, in order */
    size_t ntodo;
    size_t next;                /* next of 'todo' to hand out */
    unsigned respawns;
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
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- The worker ---- */

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

/* Run jobs until the job pipe closes; never returns. */
static void worker_main(const struct sweep *sw, int job_fd, int res_fd)
{
    sigset_t none;
    uint64_t index;

    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_DFL);   /* the parent is gone: die quietly */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    while (pipeio_read(job_fd, &index, sizeof(index)) == 0) {
        struct runner_job job;
        struct run_output out;
        struct wire_result h;
        struct err e;
        int rc;

        job_of(sw, (size_t)index, 0, &job);
        err_clear(&e);
        memset(&out, 0, sizeof(out));
        rc = runner_run(&job, NULL, &out, &e);
        memset(&h, 0, sizeof(h));
        h.index = index;
        h.status = rc;
        if (rc == 0) {
            h.m = out.m;
            h.nsamples = out.nsamples;
        } else {
            h.errlen = (uint32_t)strlen(e.msg);
        }
        if (pipeio_write(res_fd, &h, sizeof(h)) != 0 ||
            (h.nsamples && pipeio_write(res_fd, out.samples, out.nsamples *
                                      sizeof(*out.samples)) != 0) ||
            (h.errlen && pipeio_write(res_fd, e.msg, h.errlen) != 0))
            _exit(1);
        if (rc == 0)
            run_output_fini(&out);
    }
    _exit(0);
}

/* Fork worker 'i'.  The child closes the other workers' pipe ends, so that
 * closing a job pipe in the parent is seen as EOF by its worker alone. */
static int spawn(struct pool *pl, size_t i, struct err *e)
{
    int job[2], res[2];
    pid_t pid;

    if (pipe(job) != 0)
        return err_set(e, PS_EIO, "pipe: %s", strerror(errno));
    if (pipe(res) != 0) {
        close(job[0]);
        close(job[1]);
        return err_set(e, PS_EIO, "pipe: %s", strerror(errno));
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(job[0]);
        close(job[1]);
        close(res[0]);
        close(res[1]);
        return err_set(e, PS_EIO, "fork: %s", strerror(saved));
    }
    if (pid == 0) {
        for (size_t k = 0; k < pl->nworkers; k++) {
            if (pl->w[k].pid) {
                close(pl->w[k].job_fd);
                close(pl->w[k].res_fd);
            }
        }
        close(job[1]);
        close(res[0]);
        worker_main(pl->sw, job[0], res[1]);
    }
    close(job[0]);
    close(res[1]);
    pl->w[i].pid = pid;
    pl->w[i].job_fd = job[1];
    pl->w[i].res_fd = res[0];
    pl->w[i].busy = false;
    return 0;
}

/* Close worker 'i''s pipes and reap it; '*status' gets its wait status. */
static void reap(struct worker *w, int *status)
{
    int st = 0;

    close(w->job_fd);
    close(w->res_fd);
    while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (status)
        *status = st;
    w->pid = 0;
    w->busy = false;
}

/* ---- Recording ---- */

static int record_ok(struct pool *pl, size_t index, const struct run_metrics *m,
                     const struct run_sample *samples, size_t nsamples, struct err *e)
{
    struct runner_job job;
    struct store_run r;
    double t = now_s();
    int rc;

    job_of(pl->sw, index, pl->sweep_id, &job);
    runner_store_run(&job, m->wall_seconds, &r);
    rc = store_record_run(pl->st, &r, m, samples, nsamples, NULL, e);
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

/* A worker's answer, as read by the parent. */
struct result {
    struct wire_result h;
    struct run_sample *samples;     /* owned */
    char msg[ERR_MSG_MAX];
};

/* Read worker 'i''s answer into 'res': 0, or 1 if the worker died instead
 * (it is then reaped, and 'msg' says how it ended; 'h.index' is its job,
 * 'h.status' PS_ERUN, or 'h.index' SIZE_MAX when it had no job). */
static int collect(struct pool *pl, size_t i, struct result *res)
{
    struct worker *w = &pl->w[i];
    int got, status;

    res->samples = NULL;
    res->msg[0] = '\0';
    got = pipeio_read(w->res_fd, &res->h, sizeof(res->h));
    if (got == 0 && res->h.nsamples) {
        res->samples = xmalloc(res->h.nsamples * sizeof(*res->samples));
        got = pipeio_read(w->res_fd, res->samples, res->h.nsamples * sizeof(*res->samples));
    }
    if (got == 0 && res->h.errlen) {
        size_t n = res->h.errlen < sizeof(res->msg) ? res->h.errlen : sizeof(res->msg) - 1;
        got = pipeio_read(w->res_fd, res->msg, n);
        res->msg[n] = '\0';
    }
    if (got == 0) {
        assert(w->busy && res->h.index == w->job);
        w->busy = false;
        return 0;
    }
    free(res->samples);
    res->samples = NULL;
    memset(&res->h, 0, sizeof(res->h));
    res->h.index = w->busy ? w->job : SIZE_MAX;
    res->h.status = PS_ERUN;
    reap(w, &status);
    if (WIFSIGNALED(status))
        snprintf(res->msg, sizeof(res->msg), "worker process died of signal %d during the run",
                 WTERMSIG(status));
    else
        snprintf(res->msg, sizeof(res->msg), "worker process exited with status %d during the "
                 "run", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 1;
}

/* Record 'res' (ok or failed) and release its samples. */
static int record(struct pool *pl, struct result *res, struct err *e)
{
    int rc = 0;

    if (res->h.index == SIZE_MAX)
        rc = 0;                 /* an idle worker died: nothing to record */
    else if (res->h.status == 0)
        rc = record_ok(pl, (size_t)res->h.index, &res->h.m, res->samples,
                       (size_t)res->h.nsamples, e);
    else
        rc = record_failed(pl, (size_t)res->h.index, res->msg[0] ? res->msg : "run failed", e);
    free(res->samples);
    res->samples = NULL;
    return rc;
}

/* ---- Progress ---- */

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

/* ---- The parent's loop ---- */

static void on_signal(int sig)
{
    (void)sig;                  /* the EINTR of pselect() is the message */
}

/* Hand job 'todo[next]' to idle worker 'i'. */
static void hand_out(struct pool *pl, size_t i)
{
    uint64_t index = pl->todo[pl->next];
    struct worker *w = &pl->w[i];

    if (pipeio_write(w->job_fd, &index, sizeof(index)) != 0)
        return;                 /* it died; its EOF is read by the loop */
    w->busy = true;
    w->job = (size_t)index;
    pl->next++;
}

static int run_pool(struct pool *pl, const sigset_t *waitmask, struct err *e)
{
    int rc = 0;

    for (;;) {
        fd_set rd;
        int maxfd = -1, n;
        size_t busy = 0;
        struct timespec tmo = {.tv_sec = 0, .tv_nsec = 200000000};

        for (size_t i = 0; i < pl->nworkers && !pl->stopping; i++) {
            struct worker *w = &pl->w[i];

            if (!w->pid && pl->next < pl->ntodo && pl->respawns < RESPAWN_MAX) {
                pl->respawns++;
                if ((rc = spawn(pl, i, e)) != 0)
                    return rc;
            }
            if (w->pid && !w->busy && pl->next < pl->ntodo)
                hand_out(pl, i);
        }
        FD_ZERO(&rd);
        for (size_t i = 0; i < pl->nworkers; i++) {
            if (!pl->w[i].pid)
                continue;
            busy += pl->w[i].busy;
            FD_SET(pl->w[i].res_fd, &rd);
            if (pl->w[i].res_fd > maxfd)
                maxfd = pl->w[i].res_fd;
        }
        if (busy == 0 && (pl->stopping || pl->next == pl->ntodo || maxfd < 0))
            return 0;
        n = pselect(maxfd + 1, &rd, NULL, NULL, &tmo, waitmask);
        if (n < 0 && errno == EINTR) {
            if (++pl->stopping >= 2) {
                for (size_t i = 0; i < pl->nworkers; i++) {
                    if (pl->w[i].pid) {
                        kill(pl->w[i].pid, SIGKILL);
                        pl->w[i].busy = false;      /* its run is dropped */
                        reap(&pl->w[i], NULL);
                    }
                }
                return 0;
            }
            if (!pl->quiet) {
                size_t inflight = 0;
                for (size_t i = 0; i < pl->nworkers; i++)
                    inflight += pl->w[i].pid && pl->w[i].busy;
                fprintf(stderr, "%sportsim sweep: stopping after the %zu run%s in flight (signal "
                        "again to drop them)\n", pl->tty ? "\n" : "", inflight,
                        inflight == 1 ? "" : "s");
            }
            continue;
        }
        if (n < 0)
            return err_set(e, PS_EIO, "pselect: %s", strerror(errno));
        for (size_t i = 0; i < pl->nworkers && n > 0; i++) {
            struct result res;

            if (!pl->w[i].pid || !FD_ISSET(pl->w[i].res_fd, &rd))
                continue;
            /* Give the worker its next job before recording this one, so
             * that the database write overlaps a run instead of delaying it. */
            if (collect(pl, i, &res) == 0 && !pl->stopping && pl->next < pl->ntodo)
                hand_out(pl, i);
            if ((rc = record(pl, &res, e)) != 0)
                return rc;          /* the database failed: stop */
        }
        progress(pl, false);
    }
}

/* ---- The command ---- */

static int parse_args(int argc, char **argv, struct sweep_args *a, struct err *e)
{
    static const struct option opts[] = {
        {"jobs", required_argument, NULL, 'j'}, {"db", required_argument, NULL, 'd'},
        {"shard", required_argument, NULL, 's'}, {"dry-run", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;

    opterr = 0;
    optind = 1;
    a->shard_k = a->shard_n = 1;
    while ((c = getopt_long(argc, argv, "hj:q", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            if ((rc = cli_u64("--jobs", optarg, 1, JOBS_MAX, &a->jobs, e)) != 0)
                return rc;
            break;
        case 'd': a->db = optarg; break;
        case 's':
            if ((rc = sweep_parse_shard(optarg, &a->shard_k, &a->shard_n, e)) != 0)
                return rc;
            break;
        case 'n': a->dry_run = true; break;
        case 'q': a->quiet = true; break;
        case 'h': return 1;
        default:
            return cli_bad_option(argv, e);
        }
    }
    if (optind < argc)
        a->file = argv[optind++];
    if (optind < argc)
        return err_set(e, PS_EINVAL, "unexpected argument '%s'", argv[optind]);
    if (!a->file)
        return err_set(e, PS_EINVAL, "missing the sweep file (usage: portsim sweep SWEEP "
                       "[--jobs N] [--db FILE] [--shard K/N] [--dry-run] [--quiet])");
    return 0;
}

/* Fill 'pl->todo' with the shard's runs not yet recorded; with 'list',
 * print every run of the shard as well (--dry-run). */
static int plan(struct pool *pl, const struct sweep_args *a, bool list, struct err *e)
{
    const struct sweep *sw = pl->sw;
    size_t cap = 0;
    int rc;

    if (list)
        printf("index\tremedy\tpoint\treplication\tseed\tparams_hash\trecorded\n");
    for (size_t i = 0; i < sw->njobs; i++) {
        struct sweep_job j;
        bool found = false;

        if (!sweep_in_shard(i, a->shard_k, a->shard_n))
            continue;
        sweep_job(sw, i, &j);
        pl->total++;
        if (pl->st && (rc = store_sweep_run_exists(pl->st, pl->sweep_id, j.sc->hash, j.seed,
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
    return 0;
}

static int dry_run(struct pool *pl, const struct sweep_args *a, struct err *e)
{
    const char *path = cli_db_path(a->db);
    bool found = false;
    int rc;

    /* Only look at an existing database: a dry run creates nothing. */
    if (access(path, F_OK) == 0) {
        if ((rc = store_open(&pl->st, path, e)) != 0)
            return rc;
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

static int run_sweep(struct pool *pl, const struct sweep_args *a, struct err *e)
{
    struct sigaction sa, old_int, old_term, old_pipe;
    sigset_t block, oldmask, waitmask;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = a->jobs ? (size_t)a->jobs : (size_t)(cores > 0 ? cores : 1);
    int rc;

    if ((rc = store_open(&pl->st, cli_db_path(a->db), e)) != 0)
        return rc;
    /* WAL with synchronous = NORMAL: a commit does not wait for the disk.
     * A crash or power cut may lose the last runs recorded, never the
     * database's consistency, and resume runs them again: exactly the
     * guarantee a sweep needs, at a fraction of the cost per run. */
    if (sqlite3_exec(store_db(pl->st), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) !=
        SQLITE_OK)
        return err_set(e, PS_EDB, "%s: %s", cli_db_path(a->db),
                       sqlite3_errmsg(store_db(pl->st)));
    if ((rc = store_sweep_ensure(pl->st, pl->sw->name, pl->sw->text, &pl->sweep_id, e)) != 0)
        return rc;
    if ((rc = plan(pl, a, false, e)) != 0)
        return rc;
    if (jobs > JOBS_MAX)
        jobs = JOBS_MAX;
    if (jobs > pl->ntodo)
        jobs = pl->ntodo;
    pl->nworkers = jobs;
    pl->w = xcalloc(jobs ? jobs : 1, sizeof(*pl->w));

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &oldmask);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);     /* a dead worker: EPIPE, not death */
    waitmask = oldmask;
    sigdelset(&waitmask, SIGINT);
    sigdelset(&waitmask, SIGTERM);

    pl->t0 = pl->last_draw = now_s();
    for (size_t i = 0; i < jobs && rc == 0; i++)
        rc = spawn(pl, i, e);
    if (rc == 0)
        rc = run_pool(pl, &waitmask, e);
    for (size_t i = 0; i < pl->nworkers; i++) {
        if (pl->w[i].pid) {
            if (rc != 0)
                kill(pl->w[i].pid, SIGKILL);
            reap(&pl->w[i], NULL);
        }
    }
    progress(pl, true);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigprocmask(SIG_SETMASK, &oldmask, NULL);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    struct sweep_args a;
    struct sweep sw;
    struct pool pl;
    struct err e;
    char where[4096];           /* the sweep found by datadir_find() */
    double el;
    int rc;

    memset(&a, 0, sizeof(a));
    memset(&pl, 0, sizeof(pl));
    err_clear(&e);
    rc = parse_args(argc, argv, &a, &e);
    if (rc == 1) {
        fputs(usage_text, stdout);
        return 0;
    }
    a.file = datadir_find(a.file, ".sweep", where, sizeof(where));
    if (rc != 0 || (rc = sweep_load(&sw, a.file, &e)) != 0)
        return cli_fail("sweep", &e);
    pl.sw = &sw;
    pl.quiet = a.quiet;
    pl.tty = isatty(STDERR_FILENO);
    if (a.dry_run) {
        rc = dry_run(&pl, &a, &e);
        goto out;
    }
    rc = run_sweep(&pl, &a, &e);
    el = now_s() - pl.t0;
    if (rc == 0 && !a.quiet) {
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
    free(pl.w);
    free(pl.todo);
    sweep_fini(&sw);
    return rc ? cli_fail("sweep", &e) : 0;
}
