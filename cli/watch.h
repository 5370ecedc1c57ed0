/* watch.h - a long 'portsim run' that can be watched and stopped.
 *
 * Before a run: its event count is estimated (run_estimate_events()) and a
 * run above WATCH_EVENTS_LIMIT is refused unless --force.  During a run, a
 * watcher called every WATCH_EVERY events (models/run.h) shows progress
 * with an ETA on stderr when it is a terminal and the run is longer than
 * WATCH_QUIET_SECONDS, stops the run when SIGINT or SIGTERM arrives, and
 * stops it when the process's resident memory passes the bound
 * (--max-memory; default half of physical memory).  A stopped run is
 * truncated: its metrics are those up to the time it stopped.
 *
 * Signals: SIGINT and SIGTERM are blocked while a run is watched and
 * looked for with sigpending(); no handler, no writable static data, and
 * the run's events do not depend on when a signal comes (only where the
 * run stops).  Cost: per check, one sigpending() and one read of
 * /proc/self/statm, every WATCH_EVERY events (well under 0.1 %).
 */
#ifndef PORTSIM_CLI_WATCH_H
#define PORTSIM_CLI_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/run.h"
#include "sim/err.h"

#define WATCH_EVERY 65536               /* events between two checks */
#define WATCH_EVENTS_LIMIT 1e10         /* above: refused unless --force (~30 min here) */
#define WATCH_QUIET_SECONDS 2.0         /* no progress line before this */

enum watch_stop { WATCH_RUNNING, WATCH_INTERRUPTED, WATCH_MEMORY };

struct watch {
    /* set by the caller */
    bool progress;              /* show progress (stderr is a terminal) */
    uint64_t max_memory;        /* bytes of resident memory; 0: no bound */
    simtime duration;           /* simulated time of one run */
    const char *label;          /* "run 1/3" */
    /* private */
    sigset_t blocked, old_mask;
    double t0, last_shown;
    bool shown;
    enum watch_stop stop;       /* why the run stopped, if it did */
    int signal;                 /* the signal that stopped it */
    uint64_t rss;               /* resident bytes at the last check */
};

/* Half of physical memory, the default of --max-memory (0 if unknown). */
uint64_t watch_default_max_memory(void);

/* "2G", "512M", "1.5G", "100000000" (bytes; K, M, G, T are powers of 1024)
 * into '*bytes'; PS_EINVAL otherwise. */
int watch_parse_size(const char *text, uint64_t *bytes, struct err *e);

/* Refuse (PS_EINVAL, naming the estimate and the limit) a scenario whose
 * estimated events exceed WATCH_EVENTS_LIMIT, unless 'force'. */
int watch_check_estimate(const struct scenario *sc, bool force, struct err *e);

/* Block SIGINT and SIGTERM and point 'opt' at 'w' for one run. */
void watch_begin(struct watch *w, struct run_options *opt);

/* After the run: clear the progress line, take a signal that came after the
 * last check (it stops what follows), restore the signal mask. */
void watch_end(struct watch *w);

/* Why the run stopped, as a sentence for 'portsim run: ...'. */
void watch_describe(const struct watch *w, const struct run_output *out, char *buf,
                    size_t size);

#endif /* PORTSIM_CLI_WATCH_H */
