/* run.h - one run: engine + host stack + workload, measured.
 *
 * run_once() builds a fresh simulation for (scenario, seed), runs it over
 * [0, duration) and returns the metrics of DESIGN.md §6 over [warmup,
 * duration) and a sample every run.sample_interval from t = 0.  It is a
 * pure function of (scenario, seed, program version): it reads no clock
 * (the caller fills wall_seconds) and prints nothing.  Observers see every
 * event in words (the trace) without changing the run.
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
    struct nat_run_metrics nat;     /* issue 12: [nat]; arrays freed by run_output_fini() */
};

/* Run 'sc' with seed 'seed' ('opt' may be NULL).  0, or PS_EINVAL if the
 * scenario names an unknown generator. */
int run_once(const struct scenario *sc, uint64_t seed, const struct run_options *opt,
             struct run_output *out, struct err *e);

void run_output_fini(struct run_output *out);

#endif /* PORTSIM_MODELS_RUN_H */
