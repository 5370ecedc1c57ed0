/* evq.h - the event queue: one interface, two interchangeable backends.
 *
 * EVQ_WHEEL is the hierarchical timer wheel the simulator runs on; EVQ_HEAP
 * is a plain binary heap kept as the reference it is tested and benchmarked
 * against.  The queue stamps each arm with the next value of its sequence
 * counter, so the order is (due, seq) for both and does not depend on the
 * backend or the wheel's geometry.  Timers are embedded in their owners;
 * the queue never allocates per timer.
 */
#ifndef PORTSIM_SIM_EVQ_H
#define PORTSIM_SIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "sim/timer.h"

enum evq_kind {
    EVQ_WHEEL,
    EVQ_HEAP
};

struct evq;

/* A new empty queue; 'wheel_shift' is the wheel's tick (2^shift ns), ignored
 * by the heap.  Use WHEEL_SHIFT_DEFAULT unless testing geometry. */
struct evq *evq_new(enum evq_kind kind, unsigned wheel_shift);
void evq_free(struct evq *q);

/* Arm the disarmed timer 't' to fire at 'due' with callback 'fn'. */
void evq_arm(struct evq *q, struct timer *t, simtime due, timer_fn *fn);

/* A sequence number taken now for a timer armed later with evq_arm_seq().
 * An owner of many events that fire in the order it makes them (TIME_WAIT
 * entries of one length) keeps them in a FIFO with one timer: it takes a
 * 'seq' as each event is made, where it would have armed it, and arms the
 * one timer for the FIFO's head with the head's (due, seq).  The order of
 * firing is then exactly that of one timer per event, for a queue of one. */
uint64_t evq_take_seq(struct evq *q);

/* Arm 't' like evq_arm() but with 'seq' from evq_take_seq(). */
void evq_arm_seq(struct evq *q, struct timer *t, simtime due, uint64_t seq, timer_fn *fn);

/* Disarm 't'; a disarmed timer is left alone. */
void evq_cancel(struct evq *q, struct timer *t);

/* The earliest timer without removing it, or NULL when empty. */
struct timer *evq_peek(struct evq *q);

/* Remove and return the earliest timer, disarmed, or NULL when empty. */
struct timer *evq_pop(struct evq *q);

/* Remove 't', returned by the last evq_peek() with nothing armed or
 * cancelled since: evq_pop() without finding the front again. */
void evq_take(struct evq *q, struct timer *t);

size_t evq_size(const struct evq *q);

/* Arms so far: the next timer armed gets this 'seq'. */
uint64_t evq_arms(const struct evq *q);

#endif /* PORTSIM_SIM_EVQ_H */
