/* lane.h - a lane: timers that fire in the order they were added.
 *
 * A stream of timers armed with one delay (a constant service time, a
 * connection's TTL, a FIFO clock re-armed for the next entry) comes due in
 * the order it is armed.  The wheel (wheel.c) keeps a few such streams in
 * lanes in front of its slots: a timer added to a lane is never placed or
 * cascaded, and the lane's front is its earliest.
 *
 * A lane also knows which timers fire next.  Popping from a lane longer
 * than LANE_PREFETCH_FROM fetches the timer LANE_PREFETCH_AHEAD places
 * further on, and the 64 bytes after it, into the cache: owners keep there
 * what their callback reads first (struct conn in models/workload.c), so a
 * cold owner does not stall its callback (a thousand hosts' connections,
 * bench_fleet.c: 9 % of the run).  Shorter lanes' owners are in cache
 * anyway, and fetching there cost 4 %.
 *
 * Invariant: the timers in [head, tail) are in (due, seq) order; a
 * cancelled one leaves a NULL hole, never at the front (the front moves
 * past holes at once), and the front's key is cached in the lane.
 * Counters run mod 2^32 and a timer's slot is (counter & (cap - 1)), so
 * growing the ring keeps every counter.  Cost: O(1) add (amortised: the
 * ring doubles), front, pop and cancel; memory 8 bytes per timer added and
 * not yet passed by the front, cancelled ones included.
 */
#ifndef PORTSIM_SIM_LANE_H
#define PORTSIM_SIM_LANE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/timer.h"

#define LANE_PREFETCH_AHEAD 8u
#define LANE_PREFETCH_FROM 1024u   /* shorter lanes' owners are in cache */

/* The wheel keeps a lane timer's counter in 27 bits of its 'pos'. */
#define LANE_COUNTER_MASK UINT32_C(0x07ffffff)
#define LANE_CAP_MAX (UINT32_C(1) << 26)  /* live counters differ in < 2^27 */

struct lane {
    timer_fn *key;          /* the callback of the stream it holds */
    struct timer **ring;    /* 'cap' slots; NULL: cancelled */
    uint32_t head;          /* counter of the front */
    uint32_t tail;          /* counter of the next timer added */
    uint32_t cap;           /* power of two, 0 before the first add */
    simtime last_due;       /* (due, seq) of the last timer added */
    uint64_t last_seq;
    simtime front_due;      /* (due, seq) of the front, compared without */
    uint64_t front_seq;     /* touching the timer; both max when empty */
};

/* An empty lane whose counters start at 'c' (0 normally). */
void lane_init(struct lane *l, uint32_t c);

static inline bool lane_is_empty(const struct lane *l)
{
    return l->head == l->tail;
}

/* Whether 't' may be added: no earlier than the last timer added, and the
 * ring not at LANE_CAP_MAX. */
static inline bool lane_accepts(const struct lane *l, const struct timer *t)
{
    if (l->tail - l->head >= LANE_CAP_MAX)
        return false;
    return lane_is_empty(l) || t->due > l->last_due ||
           (t->due == l->last_due && t->seq > l->last_seq);
}

/* Add 't' (lane_accepts() true); returns its counter. */
uint32_t lane_add(struct lane *l, struct timer *t);

/* The earliest timer (the front is never a hole); NULL when empty. */
static inline struct timer *lane_front(const struct lane *l)
{
    return l->head == l->tail ? NULL : l->ring[l->head & (l->cap - 1)];
}

/* Whether lane 'a''s front fires before lane 'b''s (an empty lane's front
 * is after everything): without branches, so a few lanes compare fast. */
static inline bool lane_before(const struct lane *a, const struct lane *b)
{
    return (a->front_due < b->front_due) |
           ((a->front_due == b->front_due) & (a->front_seq < b->front_seq));
}

/* Remove the front. */
void lane_pop(struct lane *l);

/* Leave a hole where the timer with counter 'c' (mod 2^27) was. */
void lane_cancel(struct lane *l, uint32_t c);

void lane_fini(struct lane *l);

#endif /* PORTSIM_SIM_LANE_H */
