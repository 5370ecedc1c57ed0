/* sim.h - one run of the discrete-event engine.
 *
 * 'struct sim' owns every piece of mutable state of a run: the clock, the
 * event queue, the random streams and the digest of what fired.  A run is a
 * pure function of its configuration and seed: time is integer ns, events
 * fire in (due, seq) order, and every draw comes from sim_rng().  Callbacks
 * may arm and cancel any timer, including at the current time; such a timer
 * fires after every event already armed for that time.
 */
#ifndef PORTSIM_SIM_SIM_H
#define PORTSIM_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sim/err.h"
#include "sim/evq.h"
#include "sim/simtime.h"
#include "sim/timer.h"

struct sim;

struct sim_config {
    uint64_t seed;              /* run seed; streams derive from it */
    const char *rng;            /* GSL generator name; NULL = mt19937 */
    enum evq_kind queue;        /* EVQ_WHEEL normally; EVQ_HEAP as reference */
    unsigned wheel_shift;       /* 0 = WHEEL_SHIFT_DEFAULT */
};

/* Create a run at t = 0.  PS_EINVAL if the generator name is unknown. */
int sim_new(struct sim **out, const struct sim_config *cfg, struct err *e);

/* A run with seed 'seed' and every other setting at its default. */
struct sim *sim_new_for_test(uint64_t seed);

void sim_free(struct sim *s);

/* The current simulated time, ns. */
simtime sim_now(const struct sim *s);

/* Arm the disarmed timer 't' for absolute time 'due' (>= now). */
void sim_arm(struct sim *s, struct timer *t, simtime due, timer_fn *fn);

/* One timer for a FIFO of events (evq_take_seq()): take each event's
 * sequence number when it is made, arm the timer for the head with its own
 * (due, seq).  Neither changes the order events fire in. */
uint64_t sim_take_seq(struct sim *s);
void sim_arm_seq(struct sim *s, struct timer *t, simtime due, uint64_t seq, timer_fn *fn);

/* Arm 't' for now + 'delay' (saturating at SIMTIME_NEVER). */
void sim_arm_in(struct sim *s, struct timer *t, simtime delay, timer_fn *fn);

/* Disarm 't' if armed. */
void sim_cancel(struct sim *s, struct timer *t);

/* Fire every event with due < 'until', in order; then, unless stopped or
 * 'until' is SIMTIME_NEVER, set the clock to 'until'.  Returns the number of
 * events fired by this call. */
uint64_t sim_run(struct sim *s, simtime until);

/* Make sim_run() return after the event being fired. */
void sim_stop(struct sim *s);

/* A watcher of a long run (progress, an interrupt, a memory bound): called
 * between two events, never inside one.  It only looks (it must not arm,
 * cancel or draw), so watching never changes what fires; returning true
 * stops the run there, as sim_stop() would. */
typedef bool sim_watch_fn(void *ctx, const struct sim *s);

/* Call 'fn(ctx, s)' every 'every' (> 0) events fired from now on; NULL fn:
 * no watcher.  Cost: one comparison per event. */
void sim_watch(struct sim *s, uint64_t every, sim_watch_fn *fn, void *ctx);

/* Events fired so far and events still pending. */
uint64_t sim_events(const struct sim *s);
size_t sim_pending(const struct sim *s);

/* Random stream 'id' (< RNG_STREAMS_MAX); owned by the run. */
gsl_rng *sim_rng(struct sim *s, unsigned id);

uint64_t sim_seed(const struct sim *s);

/* Fold 'v' into the run's digest (the engine folds each fired (due, seq)). */
void sim_digest_mix(struct sim *s, uint64_t v);
uint64_t sim_digest(const struct sim *s);

#endif /* PORTSIM_SIM_SIM_H */
