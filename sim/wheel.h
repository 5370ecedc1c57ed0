/* wheel.h - hashed hierarchical timer wheel (Varghese & Lauck) with exact order.
 *
 * Time is cut into ticks of 2^shift ns.  Level L has 64 slots of 64^L ticks
 * each; a timer sits at the level of the highest base-64 digit in which its
 * tick differs from the wheel's current tick, so inserting is O(1) and a
 * timer moves down at most once per level (amortised O(1) expiry).  When the
 * current tick reaches a level-0 slot, its timers become the "ready" set:
 * the slot sorted by (due, seq) (usually already in order), plus a small
 * binary heap for timers armed later at a tick already reached; the ready
 * set hands them out in exact (due, seq) order: the slots are only buckets
 * and nothing is rounded.  Hence the firing order is the same for every
 * 'shift' (the tests check this against a plain heap).  Cost: insert O(1)
 * amortised; remove O(1) (O(log k) in a ready heap of k timers); pop O(1)
 * from the sorted slot, O(log k) from the heap, plus the amortised cascades.
 * Memory: 8 bytes a pending timer in slot arrays (a cascaded slot gives back
 * a large array), plus about 17 KiB of slot headers.
 */
#ifndef PORTSIM_SIM_WHEEL_H
#define PORTSIM_SIM_WHEEL_H

#include <stddef.h>

#include "sim/timer.h"

struct wheel;

/* Default tick: 2^14 ns = 16.4 us (tests/bench_evq.c: 14 beat 10-22 at 10^5 events/s). */
#define WHEEL_SHIFT_DEFAULT 14u

/* A new empty wheel at time 0 with ticks of 2^'shift' ns ('shift' <= 40). */
struct wheel *wheel_new(unsigned shift);
void wheel_free(struct wheel *w);

/* Add 't' ('due' and 'seq' set, not armed elsewhere).  Any 'due' is fine,
 * including one before the last timer handed out (it goes to the ready set
 * and still fires in (due, seq) order). */
void wheel_insert(struct wheel *w, struct timer *t);

/* Remove 't', which must be in 'w'; 't' is left disarmed. */
void wheel_remove(struct wheel *w, struct timer *t);

/* The earliest timer, or NULL when empty.  May cascade internally. */
struct timer *wheel_peek(struct wheel *w);

/* Remove and return the earliest timer (disarmed), or NULL when empty. */
struct timer *wheel_pop(struct wheel *w);

/* Remove 't', which the last wheel_peek() returned (nothing armed since):
 * wheel_pop() without looking for the front again. */
void wheel_take(struct wheel *w, struct timer *t);

size_t wheel_size(const struct wheel *w);

#endif /* PORTSIM_SIM_WHEEL_H */
