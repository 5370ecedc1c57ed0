/* workers.c - a pool of worker processes (see workers.h). */

/* sched_getaffinity() and CPU_COUNT() are GNU extensions: glibc declares
 * them in <sched.h> only under _GNU_SOURCE, which must come before the
 * first header.  This file alone needs them, so it alone asks for them
 * (the Makefile's _POSIX_C_SOURCE stays the rule elsewhere). */
#define _GNU_SOURCE
#include "cli/workers.h"

#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/pipeio.h"
#include "sim/xalloc.h"

/* The header of a worker's answer; 'len' bytes follow. */
struct wire {
    uint64_t index;
    uint64_t len;
};

struct worker {
    pid_t pid;                  /* 0: no process */
    int job_fd;                 /* the parent writes job indices here */
    int res_fd;                 /* the parent reads answers here */
    bool busy;                  /* a job is in flight */
    size_t job;                 /* ... this one */
};

/* The parent's state for one workers_run(). */
struct pool {
    const struct workers_ops *ops;
    void *ctx;
    struct worker *w;
    size_t n;
    const size_t *jobs;
    size_t njobs;
    size_t next;                /* next of 'jobs' to hand out */
    unsigned respawns;
    int signals;
};

void workers_buf_add(struct workers_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    b->p = xgrow(b->p, &b->cap, b->len + n, 1);
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

size_t workers_default_count(void)
{
    cpu_set_t set;
    long online;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return (size_t)CPU_COUNT(&set);
    online = sysconf(_SC_NPROCESSORS_ONLN);     /* more than 1024 CPUs, or no such call */
    return online > 0 ? (size_t)online : 1;
}

/* ---- The worker ---- */

/* Run jobs until the job pipe closes; never returns. */
static void worker_main(const struct workers_ops *ops, void *ctx, int job_fd, int res_fd)
{
    struct workers_buf out = {NULL, 0, 0};
    sigset_t none;
    uint64_t index;

    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_DFL);   /* the parent is gone: die quietly */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    while (pipeio_read(job_fd, &index, sizeof(index)) == 0) {
        struct wire h;

        out.len = 0;
        ops->run(ctx, index, &out);
        h.index = index;
        h.len = out.len;
        if (pipeio_write(res_fd, &h, sizeof(h)) != 0 ||
            (out.len && pipeio_write(res_fd, out.p, out.len) != 0))
            _exit(1);
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
    fflush(stdout);             /* or the child would print it again */
    fflush(stderr);
    if ((pid = fork()) < 0) {
        int saved = errno;

        close(job[0]);
        close(job[1]);
        close(res[0]);
        close(res[1]);
        return err_set(e, PS_EIO, "fork: %s", strerror(saved));
    }
    if (pid == 0) {
        for (size_t k = 0; k < pl->n; k++) {
            if (pl->w[k].pid) {
                close(pl->w[k].job_fd);
                close(pl->w[k].res_fd);
            }
        }
        close(job[1]);
        close(res[0]);
        worker_main(pl->ops, pl->ctx, job[0], res[1]);
    }
    close(job[0]);
    close(res[1]);
    pl->w[i] = (struct worker){pid, job[1], res[0], false, 0};
    return 0;
}

/* Close worker 'w''s pipes and reap it; '*status' gets its wait status. */
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

/* ---- The parent ---- */

/* Hand job 'jobs[next]' to idle worker 'i'. */
static void hand_out(struct pool *pl, size_t i)
{
    uint64_t index = pl->jobs[pl->next];
    struct worker *w = &pl->w[i];

    if (pipeio_write(w->job_fd, &index, sizeof(index)) != 0)
        return;                 /* it died; its EOF is read by the loop */
    w->busy = true;
    w->job = (size_t)index;
    pl->next++;
}

/* Read worker 'i''s answer: 0 with '*data' (owned by the caller) and
 * '*len'; or 1 when the worker died instead: it is then reaped, '*had_job'
 * says whether it was running one ('*index') and 'why' how it ended. */
static int collect(struct pool *pl, size_t i, uint64_t *index, char **data, size_t *len,
                   bool *had_job, char *why, size_t why_size)
{
    struct worker *w = &pl->w[i];
    struct wire h;
    int got, status;

    *data = NULL;
    *len = 0;
    *had_job = w->busy;
    *index = w->job;
    got = pipeio_read(w->res_fd, &h, sizeof(h));
    if (got == 0 && h.len) {
        *data = xmalloc((size_t)h.len);
        got = pipeio_read(w->res_fd, *data, (size_t)h.len);
    }
    if (got == 0) {
        assert(w->busy && h.index == w->job);
        w->busy = false;
        *len = (size_t)h.len;
        return 0;
    }
    free(*data);
    *data = NULL;
    reap(w, &status);
    if (WIFSIGNALED(status))
        snprintf(why, why_size, "worker process died of signal %d during the run",
                 WTERMSIG(status));
    else
        snprintf(why, why_size, "worker process exited with status %d during the run",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 1;
}

/* Worker 'i' has something to read: hand it its next job, then report the
 * one that ended (nothing for an idle worker that died). */
static int answer(struct pool *pl, size_t i, struct err *e)
{
    char why[ERR_MSG_MAX];
    uint64_t index;
    char *data;
    size_t len;
    bool had_job;
    int rc = 0;

    if (collect(pl, i, &index, &data, &len, &had_job, why, sizeof(why)) == 0) {
        if (!pl->signals && pl->next < pl->njobs)
            hand_out(pl, i);
        rc = pl->ops->done(pl->ctx, index, data ? data : "", len, NULL, e);
    } else if (had_job) {
        rc = pl->ops->done(pl->ctx, index, NULL, 0, why, e);
    }
    free(data);
    return rc;
}

/* Replace dead workers and give idle ones a job, unless stopping. */
static int feed(struct pool *pl, struct err *e)
{
    int rc;

    for (size_t i = 0; i < pl->n && !pl->signals; i++) {
        struct worker *w = &pl->w[i];

        if (!w->pid && pl->next < pl->njobs && pl->respawns < WORKERS_RESPAWN_MAX) {
            pl->respawns++;
            if ((rc = spawn(pl, i, e)) != 0)
                return rc;
        }
        if (w->pid && !w->busy && pl->next < pl->njobs)
            hand_out(pl, i);
    }
    return 0;
}

/* A signal arrived: 1 when the pool must end now (the second one). */
static int on_interrupt(struct pool *pl)
{
    size_t inflight = 0;

    if (++pl->signals >= 2) {
        for (size_t i = 0; i < pl->n; i++) {
            if (pl->w[i].pid) {
                kill(pl->w[i].pid, SIGKILL);
                reap(&pl->w[i], NULL);      /* its job is dropped */
            }
        }
        return 1;
    }
    for (size_t i = 0; i < pl->n; i++)
        inflight += pl->w[i].pid && pl->w[i].busy;
    if (pl->ops->stopping)
        pl->ops->stopping(pl->ctx, inflight);
    return 0;
}

static int loop(struct pool *pl, const sigset_t *waitmask, struct err *e)
{
    int rc;

    for (;;) {
        struct timespec tmo = {.tv_sec = 0, .tv_nsec = 200000000};
        int maxfd = -1, n;
        size_t busy = 0;
        fd_set rd;

        if ((rc = feed(pl, e)) != 0)
            return rc;
        FD_ZERO(&rd);
        for (size_t i = 0; i < pl->n; i++) {
            if (!pl->w[i].pid)
                continue;
            busy += pl->w[i].busy;
            FD_SET(pl->w[i].res_fd, &rd);
            if (pl->w[i].res_fd > maxfd)
                maxfd = pl->w[i].res_fd;
        }
        if (busy == 0 && (pl->signals || pl->next == pl->njobs || maxfd < 0))
            return 0;
        n = pselect(maxfd + 1, &rd, NULL, NULL, &tmo, waitmask);
        if (n < 0 && errno == EINTR) {
            if (on_interrupt(pl))
                return 0;
            continue;
        }
        if (n < 0)
            return err_set(e, PS_EIO, "pselect: %s", strerror(errno));
        for (size_t i = 0; i < pl->n && n > 0; i++) {
            if (pl->w[i].pid && FD_ISSET(pl->w[i].res_fd, &rd) && (rc = answer(pl, i, e)) != 0)
                return rc;
        }
        if (pl->ops->tick)
            pl->ops->tick(pl->ctx, pl->signals);
    }
}

static void on_signal(int sig)
{
    (void)sig;                  /* the EINTR of pselect() is the message */
}

int workers_run(const struct workers_ops *ops, void *ctx, size_t nworkers, const size_t *jobs,
                size_t njobs, int *signals, struct err *e)
{
    struct pool pl = {ops, ctx, NULL, 0, jobs, njobs, 0, 0, 0};
    struct sigaction sa, old_int, old_term, old_pipe;
    sigset_t block, oldmask, waitmask;
    int rc = 0;

    pl.n = nworkers < njobs ? nworkers : njobs;
    if (pl.n > WORKERS_MAX)
        pl.n = WORKERS_MAX;
    pl.w = xcalloc(pl.n ? pl.n : 1, sizeof(*pl.w));

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
    sigaction(SIGPIPE, &sa, &old_pipe);
    waitmask = oldmask;
    sigdelset(&waitmask, SIGINT);
    sigdelset(&waitmask, SIGTERM);

    for (size_t i = 0; i < pl.n && rc == 0; i++)
        rc = spawn(&pl, i, e);
    if (rc == 0)
        rc = loop(&pl, &waitmask, e);
    for (size_t i = 0; i < pl.n; i++) {
        if (pl.w[i].pid) {
            if (rc != 0)
                kill(pl.w[i].pid, SIGKILL);
            reap(&pl.w[i], NULL);
        }
    }
    free(pl.w);
    *signals = pl.signals;

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigprocmask(SIG_SETMASK, &oldmask, NULL);
    return rc;
}
