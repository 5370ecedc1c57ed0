/* heap.h - binary min-heap of timers ordered by (due, seq).
 *
 * The reference event queue that the timer wheel is tested and benchmarked
 * against, and the wheel's own "ready" set for the slot being fired.  Each
 * timer records its index (t->pos), so removal from the middle is
 * O(log n).  Push, pop and remove are O(log n); peek is O(1).  The heap
 * links timers and does not own them.
 */
#ifndef PORTSIM_SIM_HEAP_H
#define PORTSIM_SIM_HEAP_H

#include <stddef.h>

#include "sim/timer.h"

struct heap {
    struct timer **a;   /* a[0] is the earliest; private */
    size_t n;           /* timers held */
    size_t cap;         /* slots allocated in 'a' */
};

void heap_init(struct heap *h);
void heap_fini(struct heap *h);

/* Add 't', whose 'due' and 'seq' are set and which is not armed elsewhere. */
void heap_push(struct heap *h, struct timer *t);

/* The earliest timer, or NULL when empty. */
static inline struct timer *heap_peek(const struct heap *h)
{
    return h->n ? h->a[0] : NULL;
}

/* Remove and return the earliest timer (disarmed), or NULL when empty. */
struct timer *heap_pop(struct heap *h);

/* Remove 't', which must be in 'h'; 't' is left disarmed. */
void heap_remove(struct heap *h, struct timer *t);

#endif /* PORTSIM_SIM_HEAP_H */
