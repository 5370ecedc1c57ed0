/* run.h - one run: engine + host stack + workload, measured.
 *
 * run_once() builds a fresh simulation for (scenario, seed), runs it over
 * [0, duration) and returns the metrics of DESIGN.md §6 over [warmup,
 * duration) and a sample every run.sample_interval from t = 0.  It is a
 * pure function of (scenario, seed, program version): it reads no clock
 * (the caller fills wall_seconds) and prints nothing.  Observers see every
 * event in words (the trace) without changing the run.  A watcher (progress,
 * an interrupt, a memory bound) may stop it between two events: the run is
 * then truncated, its metrics those of [warmup, the time it stopped), and
 * what fired up to there is what an uninterrupted run fires.
 */
#ifndef PORTSIM_MODELS_RUN_H
#define PORTSIM_MODELS_RUN_H

#include <stddef.h>

#include "models/metrics.h"
#include "models/scenario.h"
#include "models/stack.h"
#include "models/workload.h"
#include "sim/evq.h"

/* Called once by run_once(), before the first event, with the run's clock and
 * stack (both borrowed until run_once() returns), for observers that need
 * the time (sim_now) or the state of the pool (stack_port_state).  It may
 * keep them and call sim_stop() later (trace --limit); it must not arm,
 * cancel or draw, so that observing never changes the events that fire. */
typedef void run_start_fn(void *ctx, struct sim *s, const struct stack *st);

struct run_options {
    enum evq_kind queue;            /* EVQ_WHEEL; EVQ_HEAP for the oracle */
    stack_observer_fn *stack_obs;   /* optional, with 'detail' */
    wl_observer_fn *wl_obs;         /* optional */
    run_start_fn *on_start;         /* optional, with 'obs_ctx' */
    void *obs_ctx;
    int detail;                     /* stack: report skipped candidates */
    simtime until;                  /* stop early (trace --until); 0 = duration */
    sim_watch_fn *watch;            /* optional: called every 'watch_every' events with */
    void *watch_ctx;                /* 'watch_ctx'; true stops the run there: truncated */
    uint64_t watch_every;
};

struct run_output {
    struct run_metrics m;
    struct run_sample *samples;     /* owned; run_output_fini() frees */
    size_t nsamples;
    size_t cap_samples;
    uint32_t pool_ports;            /* usable ports per pool */
    uint32_t pools;                 /* pools (local addresses or 1) */
    uint32_t fail_in_use;           /* at the first failure: ports in use */
    uint32_t fail_time_wait;        /* ... and client TIME_WAIT entries */
    /* issue 17 */
    simtime wrap_at;                /* the TCP clock wrap, SIMTIME_NEVER if none */
    uint64_t tw_stuck;              /* TIME_WAIT entries that never expire */
    uint32_t bound_end;             /* ports held by leaked sockets at the end */
    bool truncated;                 /* the watcher stopped the run: metrics over */
    simtime stopped_at;             /* [warmup, stopped_at) only (duration if not) */
    struct nat_run_metrics nat;     /* issue 12: [nat]; arrays freed by run_output_fini() */
};

/* Run 'sc' with seed 'seed' ('opt' may be NULL).  0, or PS_EINVAL if the
 * scenario names an unknown generator. */
int run_once(const struct scenario *sc, uint64_t seed, const struct run_options *opt,
             struct run_output *out, struct err *e);

void run_output_fini(struct run_output *out);

/* Events a request fires, about: its arrival, its service's end, its close
 * and its TIME_WAIT expiry (the experiments measure 1.7 to 5.4). */
#define RUN_EVENTS_PER_REQUEST 4

/* The requests a run of 'sc' makes, about: rate x duration, or the trace's
 * arrivals.  The events it fires, about: that x RUN_EVENTS_PER_REQUEST, plus
 * its samples.  Before a run, to refuse one that would not end. */
double run_estimate_requests(const struct scenario *sc);
double run_estimate_events(const struct scenario *sc);

#endif /* PORTSIM_MODELS_RUN_H */
