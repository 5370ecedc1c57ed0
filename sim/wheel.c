/* wheel.c - the hierarchical timer wheel (see wheel.h for the contract).
 *
 * Geometry, shown for a shift of 16 (tick = 65.536 us; the default 14 is 4x finer):
 *
 *   level  slot width        level span
 *     0    65.5 us           4.19 ms
 *     1    4.19 ms           268 ms
 *     2    268 ms            17.2 s
 *     3    17.2 s            18.3 min
 *     4    18.3 min          19.5 h
 *     5    19.5 h            52 days
 *     6..  ...               up to 2^64 ns (11 levels cover any shift)
 *
 * Invariants ('cur' is the current tick):
 *   - every timer in the ready heap has tick <= cur;
 *   - a timer in slot s of level L has tick > cur, agrees with cur in every
 *     base-64 digit above L, and its digit L is s > digit L of cur;
 *   - occupied[L] has bit s set iff slot s of level L is not empty;
 *   - t->pos is 1 + the timer's index in its slot array or in the heap;
 *     which of the two follows from the first two invariants and 'due'.
 * So every timer in the slots fires after every timer in the ready heap,
 * and the earliest slot timer is in the lowest set bit of the lowest
 * non-empty level.  Advancing 'cur' to that slot either moves the slot into
 * the ready heap (level 0) or re-inserts its timers one level lower or more.
 *
 * Slots are arrays of pointers, not linked lists: cascading a slot walks an
 * array whose addresses are all known, so the loads of the timers overlap
 * (and are prefetched) instead of chasing one cold pointer after another.
 * Removal swaps the last entry into the hole.  A slot emptied by a cascade
 * keeps its array only if it is small (SLOT_KEEP entries): otherwise every
 * one of the 704 slots would keep the largest array it ever held, and a
 * run whose TIME_WAIT entries expire on a coarse tick (all of a tick's
 * entries in one slot) would grow by a peak's worth of slot every time
 * the cascade reached a new slot: 50 MB after 10 s, 200 MB after 100 s
 * at 10^5 connections/s.  Regrowing by doubling costs O(1) amortised per
 * timer, which the cascade pays anyway.  So memory follows the timers
 * pending now: 8 bytes each, up to 2x for doubling, plus small arrays.
 */
#include "sim/wheel.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim/heap.h"
#include "sim/xalloc.h"

#define LEVELS 11       /* 11 x 6 bits >= 64: every tick has a level */
#define SLOT_BITS 6
#define SLOTS (1u << SLOT_BITS)
#define PREFETCH_AHEAD 8
#define SLOT_KEEP 256   /* entries a cascaded slot may keep allocated */

struct slot {
    struct timer **a;   /* the timers, in no particular order */
    size_t n;           /* timers held */
    size_t cap;         /* entries allocated */
};

struct wheel {
    unsigned shift;                 /* tick = due >> shift */
    uint64_t cur;                   /* current tick */
    size_t n;                       /* timers held, ready ones included */
    uint64_t occupied[LEVELS];      /* bit s: slot s of the level is in use */
    struct heap ready;              /* timers with tick <= cur */
    struct slot slot[LEVELS][SLOTS];
};

/* ---- Slots and cascading ---- */

static uint64_t low_mask(unsigned bits)
{
    return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}

/* Level of a tick above 'cur': the index of its highest differing digit. */
static unsigned level_of(uint64_t tick, uint64_t cur)
{
    return (unsigned)(63 - __builtin_clzll(tick ^ cur)) / SLOT_BITS;
}

static unsigned digit(uint64_t tick, unsigned level)
{
    return (unsigned)(tick >> (level * SLOT_BITS)) & (SLOTS - 1);
}

static void place(struct wheel *w, struct timer *t)
{
    uint64_t tick = t->due >> w->shift;
    unsigned level, s;
    struct slot *sl;

    if (tick <= w->cur) {
        heap_push(&w->ready, t);
        return;
    }
    level = level_of(tick, w->cur);
    s = digit(tick, level);
    sl = &w->slot[level][s];
    if (sl->n == sl->cap)
        sl->a = xgrow(sl->a, &sl->cap, sl->n + 1, sizeof(*sl->a));
    sl->a[sl->n++] = t;
    assert(sl->n < UINT32_MAX);
    t->pos = (uint32_t)sl->n;
    w->occupied[level] |= UINT64_C(1) << s;
}

/* Move 'cur' to the earliest occupied slot and empty that slot, into the
 * ready heap (level 0) or into lower levels (cascade).  Needs n > 0. */
static void advance(struct wheel *w)
{
    for (unsigned level = 0; level < LEVELS; level++) {
        struct slot *sl;
        size_t n;
        unsigned s;

        if (w->occupied[level] == 0)
            continue;
        s = (unsigned)__builtin_ctzll(w->occupied[level]);
        w->occupied[level] &= ~(UINT64_C(1) << s);
        w->cur = (w->cur & ~low_mask((level + 1) * SLOT_BITS)) |
                 ((uint64_t)s << (level * SLOT_BITS));
        sl = &w->slot[level][s];
        n = sl->n;
        sl->n = 0;      /* no timer lands back in this slot: see invariants */
        for (size_t i = 0; i < n; i++) {
            if (i + PREFETCH_AHEAD < n)
                __builtin_prefetch(sl->a[i + PREFETCH_AHEAD], 1);
            sl->a[i]->pos = 0;
            place(w, sl->a[i]);
        }
        if (sl->cap > SLOT_KEEP) {
            free(sl->a);
            sl->a = NULL;
            sl->cap = 0;
        }
        return;
    }
    assert(!"wheel: advance on an empty wheel");
}

/* ---- Public ---- */

struct wheel *wheel_new(unsigned shift)
{
    struct wheel *w = xcalloc(1, sizeof(*w));

    assert(shift <= 40);
    w->shift = shift;
    heap_init(&w->ready);
    return w;
}

void wheel_free(struct wheel *w)
{
    if (!w)
        return;
    heap_fini(&w->ready);
    for (unsigned l = 0; l < LEVELS; l++) {
        for (unsigned s = 0; s < SLOTS; s++)
            free(w->slot[l][s].a);
    }
    free(w);
}

void wheel_insert(struct wheel *w, struct timer *t)
{
    assert(!timer_is_armed(t));
    place(w, t);
    w->n++;
}

void wheel_remove(struct wheel *w, struct timer *t)
{
    uint64_t tick = t->due >> w->shift;
    unsigned level, s;
    struct slot *sl;
    struct timer *last;

    assert(timer_is_armed(t) && w->n > 0);
    w->n--;
    if (tick <= w->cur) {
        heap_remove(&w->ready, t);
        return;
    }
    level = level_of(tick, w->cur);
    s = digit(tick, level);
    sl = &w->slot[level][s];
    assert(t->pos <= sl->n && sl->a[t->pos - 1] == t);
    last = sl->a[--sl->n];
    sl->a[t->pos - 1] = last;
    last->pos = t->pos;
    t->pos = 0;
    if (sl->n == 0)
        w->occupied[level] &= ~(UINT64_C(1) << s);
}

struct timer *wheel_peek(struct wheel *w)
{
    while (w->ready.n == 0 && w->n > 0)
        advance(w);
    return heap_peek(&w->ready);
}

struct timer *wheel_pop(struct wheel *w)
{
    struct timer *t = wheel_peek(w);

    if (t) {
        heap_remove(&w->ready, t);
        w->n--;
    }
    return t;
}

size_t wheel_size(const struct wheel *w)
{
    return w->n;
}
