/* timer.h - the event record, embedded in whatever owns the event.
 *
 * A timer is armed with a due time and a callback; the queue links it and
 * never allocates or frees it (libuv, the Linux timer wheel).  Events fire in
 * (due, seq) order, where 'seq' is the per-run count of arms: equal due times
 * fire in arming order.  32 bytes on LP64.
 *
 * 'pos' is private to the queues (heap.c, wheel.c): 0 when the timer is not
 * armed, else 1 + its index in the array that holds it (a heap, or a wheel
 * slot; the wheel knows which from 'due'); queues hold fewer than 2^32
 * timers.  'aux' is the owner's: the queues never touch it (a TIME_WAIT
 * entry keeps its closing time there, saving 8 bytes per entry).  A
 * zero-filled timer is a valid unarmed timer.
 */
#ifndef PORTSIM_SIM_TIMER_H
#define PORTSIM_SIM_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/simtime.h"

struct sim;
struct timer;

/* Called when 't' fires; 't' is already disarmed and may be re-armed. */
typedef void timer_fn(struct sim *s, struct timer *t);

struct timer {
    simtime due;                /* absolute firing time, ns */
    uint64_t seq;               /* arming order, breaks ties of 'due' */
    timer_fn *fn;               /* callback */
    uint32_t pos;               /* 1 + index in its queue array, 0 = unarmed */
    uint32_t aux;               /* free for the owner; queues never touch it */
};

/* Make 't' a disarmed timer (same as zero-filling it). */
static inline void timer_init(struct timer *t)
{
    t->pos = 0;
}

static inline bool timer_is_armed(const struct timer *t)
{
    return t->pos != 0;
}

/* True when 'a' fires before 'b': the (due, seq) order of the design. */
static inline bool timer_before(const struct timer *a, const struct timer *b)
{
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

/* The owner of an embedded timer: TIMER_OWNER(t, struct conn, timer). */
#define TIMER_OWNER(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif /* PORTSIM_SIM_TIMER_H */
