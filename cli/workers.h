/* workers.h - a pool of worker processes for jobs given by index (sweep,
 * capacity).
 *
 * workers_run() forks N workers and hands out job indices, one at a time
 * per worker, over a pipe; a worker runs the job function on the index and
 * sends back whatever bytes it produced; the parent gives that worker its
 * next job *before* it consumes the result (so that the parent's work, a
 * database write, overlaps a run instead of delaying it).  The workers
 * inherit the caller's data by fork() (copy-on-write) and both ends are one
 * binary, so results may be raw structs.
 *
 * Wire: parent -> worker one uint64_t job index; worker -> parent a header
 * (uint64_t index, uint64_t length) and 'length' bytes.
 *
 * A worker that dies (a crash, a kill) has its job reported as failed (the
 * result function gets no bytes and the reason) and is replaced, up to
 * WORKERS_RESPAWN_MAX times per call.  A worker exits when its job pipe
 * reaches EOF: when the parent closes it, or when the parent dies (even by
 * SIGKILL), so no worker outlives its parent for longer than one job.
 *
 * Signals.  The library may hold no writable static data (make globals),
 * so there is no "stop" flag: the parent blocks SIGINT and SIGTERM and
 * unblocks them only inside pselect(), with a handler that does nothing.
 * A pselect() that returns EINTR *is* the notification, and a signal never
 * lands in the middle of the caller's work (a database write).  First
 * signal: hand out no more jobs, wait for those in flight and report them.
 * Second signal: kill the workers (their jobs are dropped, not reported)
 * and return.  The workers ignore SIGINT and SIGTERM (a terminal's ^C
 * reaches the whole process group): the parent decides for them.  SIGPIPE
 * is ignored in the parent while the pool runs (a dead worker is an EPIPE,
 * not a death).  Every disposition and the mask are restored on return.
 */
#ifndef PORTSIM_CLI_WORKERS_H
#define PORTSIM_CLI_WORKERS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

#define WORKERS_MAX 256             /* two pipes each: every fd stays below FD_SETSIZE */
#define WORKERS_RESPAWN_MAX 64      /* replacements for dead workers, per workers_run() */

/* A worker's answer to one job, built by the job function. */
struct workers_buf {
    char *p;
    size_t len, cap;
};

/* Append 'n' bytes of 'data' to 'b'. */
void workers_buf_add(struct workers_buf *b, const void *data, size_t n);

struct workers_ops {
    /* In a worker: run job 'index' and put its answer in 'out' (empty on
     * entry).  Must not exit. */
    void (*run)(void *ctx, uint64_t index, struct workers_buf *out);
    /* In the parent: job 'index' ended.  'data' ('len' bytes) is run()'s
     * answer; NULL when the worker died instead, and 'why' then says how
     * ("worker process died of signal 9 during the run").  A non-zero
     * return stops the pool (the workers are killed) and is returned. */
    int (*done)(void *ctx, uint64_t index, const void *data, size_t len, const char *why,
                struct err *e);
    /* In the parent, optional: after every wait (at least every 0.2 s), with
     * the number of signals received so far (progress). */
    void (*tick)(void *ctx, int signals);
    /* In the parent, optional: the first signal arrived; 'inflight' jobs
     * will still finish and be reported. */
    void (*stopping)(void *ctx, size_t inflight);
};

/* Run jobs 'jobs[0..njobs)' in this order on min(nworkers, njobs,
 * WORKERS_MAX) worker processes.  Returns 0 when the pool ended (all jobs
 * done, or stopped by a signal, or every worker died and may not be
 * replaced); '*signals' then gets the number of SIGINT/SIGTERM received.
 * Returns done()'s error, or PS_EIO when a pipe, fork or pselect failed. */
int workers_run(const struct workers_ops *ops, void *ctx, size_t nworkers, const size_t *jobs,
                size_t njobs, int *signals, struct err *e);

/* The default number of workers: the CPUs this process may run on (its
 * affinity mask: taskset, cgroup cpusets, a batch system's allocation),
 * at least 1. */
size_t workers_default_count(void);

#endif /* PORTSIM_CLI_WORKERS_H */
