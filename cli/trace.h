/* trace.h - the event stream of one run in words, for teaching ('portsim trace').
 *
 * A trace is an observer: trace_attach() fills a run_options so that
 * run_once() hands it every workload and stack event (stack detail on, so
 * every skipped candidate is reported with its reason), and it writes one
 * record per event as it comes: text for people, CSV or JSON Lines with the
 * same fields for scripts (t, event, request, mailbox, server, port, until,
 * in_use, time_wait, free, detail).  Observing never changes the run: the
 * digest is the same with or without a trace (tests/test_trace.c).
 *
 * It lives in cli/, not analysis/: it reads the model's events while
 * the run goes on (analysis/ knows runs only through the database), and
 * models/ must not print.  Memory: O(1) per run; cost per record: one
 * formatted line, plus a walk of the pool (O(ports)) for each failure, to
 * tell how many ports are in use, in TIME_WAIT and free at that moment.
 */
#ifndef PORTSIM_CLI_TRACE_H
#define PORTSIM_CLI_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "models/run.h"
#include "models/scenario.h"

enum trace_format { TRACE_TEXT, TRACE_CSV, TRACE_JSON };

/* Records by kind, counted whether or not they were printed. */
struct trace_counts {
    uint64_t arrivals;      /* requests that arrived */
    uint64_t hits;          /* attempts that joined an open connection */
    uint64_t misses;        /* attempts that needed a connect() */
    uint64_t connects;      /* successful connect() calls */
    uint64_t skips;         /* candidate ports passed over */
    uint64_t failures;      /* failed connect() calls */
    uint64_t closes;        /* connections closed */
    uint64_t expiries;      /* TIME_WAIT entries that ran their course */
    uint64_t takeovers;     /* TIME_WAIT entries ended by a new connection */
};

struct trace;

/* A trace of scenario 'sc' (borrowed for the trace's life) written to 'f'
 * in 'fmt'.  'limit' > 0: after that many records the trace stops the run
 * (sim_stop), so a short look at a long scenario stays cheap; 0: no limit.
 * Free with trace_free(). */
struct trace *trace_new(FILE *f, enum trace_format fmt, const struct scenario *sc,
                        uint64_t limit);
void trace_free(struct trace *t);

/* Set the observer fields of 'opt' (stack_obs, wl_obs, on_start, obs_ctx,
 * detail) to this trace; the other fields are left alone. */
void trace_attach(struct trace *t, struct run_options *opt);

/* The text header ("# ..." lines) before the run; nothing in CSV (its
 * column line instead) or JSON. */
void trace_begin(struct trace *t, uint64_t seed, simtime until);

/* The closing lines after the run (text only): where it ended and why. */
void trace_end(struct trace *t, const struct run_output *out);

/* Records written so far, and the counts by kind. */
uint64_t trace_records(const struct trace *t);
const struct trace_counts *trace_counts(const struct trace *t);

#endif /* PORTSIM_CLI_TRACE_H */
