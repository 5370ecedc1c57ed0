/* lane.c - a FIFO of timers in (due, seq) order (see lane.h). */
#include "sim/lane.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/xalloc.h"

/* Double the ring, keeping every counter's slot (counter & (cap - 1)). */
static void grow(struct lane *l)
{
    uint32_t ncap = l->cap ? 2 * l->cap : 16;
    struct timer **nring = xmalloc(ncap * sizeof(*nring));

    for (uint32_t c = l->head; c != l->tail; c++)
        nring[c & (ncap - 1)] = l->ring[c & (l->cap - 1)];
    free(l->ring);
    l->ring = nring;
    l->cap = ncap;
}

uint32_t lane_add(struct lane *l, struct timer *t)
{
    assert(lane_accepts(l, t));
    if (l->tail - l->head == l->cap)
        grow(l);
    l->ring[l->tail & (l->cap - 1)] = t;
    l->last_due = t->due;
    l->last_seq = t->seq;
    if (l->head == l->tail) {
        l->front_due = t->due;
        l->front_seq = t->seq;
    }
    return l->tail++;
}

void lane_init(struct lane *l, uint32_t c)
{
    *l = (struct lane){.head = c, .tail = c, .front_due = SIMTIME_NEVER,
                       .front_seq = UINT64_MAX};
}

/* Move the front past holes and cache its key. */
static void settle(struct lane *l)
{
    for (; l->head != l->tail; l->head++) {
        struct timer *t = l->ring[l->head & (l->cap - 1)];

        if (t) {
            l->front_due = t->due;
            l->front_seq = t->seq;
            return;
        }
    }
    l->front_due = SIMTIME_NEVER;
    l->front_seq = UINT64_MAX;
}

void lane_pop(struct lane *l)
{
    assert(l->head != l->tail);
    l->head++;
    if (l->tail - l->head > LANE_PREFETCH_FROM) {
        const char *ahead = (const char *)l->ring[(l->head + LANE_PREFETCH_AHEAD) & (l->cap - 1)];

        if (ahead) {    /* the timer and the line after it: see lane.h */
            __builtin_prefetch(ahead);
            __builtin_prefetch(ahead + 64);
        }
    }
    settle(l);
}

void lane_cancel(struct lane *l, uint32_t c)
{
    /* the live counter whose low 27 bits are c: at most cap - 1 past head */
    uint32_t at = l->head + ((c - l->head) & LANE_COUNTER_MASK);

    assert(at - l->head < l->tail - l->head && l->ring[at & (l->cap - 1)]);
    l->ring[at & (l->cap - 1)] = NULL;
    if (at == l->head)
        settle(l);
}

void lane_fini(struct lane *l)
{
    free(l->ring);
    lane_init(l, 0);
}
