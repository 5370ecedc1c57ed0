/* heap.c - array-backed binary min-heap of timers (see heap.h).
 *
 * Invariant: for every i > 0, a[(i-1)/2] fires before a[i], and
 * a[i]->pos == i + 1.  The array grows by doubling and never shrinks.
 */
#include "sim/heap.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/xalloc.h"

/* ---- Sifting ---- */

static void place(struct heap *h, size_t i, struct timer *t)
{
    h->a[i] = t;
    assert(i < UINT32_MAX);
    t->pos = (uint32_t)(i + 1);
}

static void sift_up(struct heap *h, size_t i, struct timer *t)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;

        if (!timer_before(t, h->a[parent]))
            break;
        place(h, i, h->a[parent]);
        i = parent;
    }
    place(h, i, t);
}

static void sift_down(struct heap *h, size_t i, struct timer *t)
{
    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= h->n)
            break;
        if (c + 1 < h->n && timer_before(h->a[c + 1], h->a[c]))
            c++;
        if (!timer_before(h->a[c], t))
            break;
        place(h, i, h->a[c]);
        i = c;
    }
    place(h, i, t);
}

/* ---- Public ---- */

void heap_init(struct heap *h)
{
    h->a = NULL;
    h->n = 0;
    h->cap = 0;
}

void heap_fini(struct heap *h)
{
    free(h->a);
    heap_init(h);
}

void heap_push(struct heap *h, struct timer *t)
{
    assert(!timer_is_armed(t));
    h->a = xgrow(h->a, &h->cap, h->n + 1, sizeof(*h->a));
    h->n++;
    sift_up(h, h->n - 1, t);
}

struct timer *heap_pop(struct heap *h)
{
    struct timer *top;

    if (h->n == 0)
        return NULL;
    top = h->a[0];
    heap_remove(h, top);
    return top;
}

void heap_remove(struct heap *h, struct timer *t)
{
    size_t i = t->pos - 1;
    struct timer *last;

    assert(t->pos != 0 && i < h->n && h->a[i] == t);
    last = h->a[--h->n];
    t->pos = 0;
    if (last == t)
        return;
    /* 'last' takes the hole; it may need to move either way */
    if (i > 0 && timer_before(last, h->a[(i - 1) / 2]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}
