/* wheel.c - the hierarchical timer wheel (see wheel.h for the contract).
 *
 * Geometry, for the default shift of 16 (tick = 65.536 us):
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
 *   - occupied[L] has bit s set iff slot s of level L is not empty.
 * So every timer in the slots fires after every timer in the ready heap,
 * and the earliest slot timer is in the lowest set bit of the lowest
 * non-empty level.  Advancing 'cur' to that slot either moves the slot into
 * the ready heap (level 0) or re-inserts its timers one level lower or more.
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

struct wheel {
    unsigned shift;                 /* tick = due >> shift */
    uint64_t cur;                   /* current tick */
    size_t n;                       /* timers held, ready ones included */
    uint64_t occupied[LEVELS];      /* bit s: slot s of the level is in use */
    struct heap ready;              /* timers with tick <= cur */
    struct timer slot[LEVELS][SLOTS];   /* circular list heads (sentinels) */
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

static void link_tail(struct timer *head, struct timer *t)
{
    t->next = head;
    t->u.prev = head->u.prev;
    head->u.prev->next = t;
    head->u.prev = t;
}

static void unlink_timer(struct timer *t)
{
    t->u.prev->next = t->next;
    t->next->u.prev = t->u.prev;
    t->next = NULL;
    t->u.pos = 0;
}

static void place(struct wheel *w, struct timer *t)
{
    uint64_t tick = t->due >> w->shift;
    unsigned level, s;

    if (tick <= w->cur) {
        heap_push(&w->ready, t);
        return;
    }
    level = level_of(tick, w->cur);
    s = digit(tick, level);
    link_tail(&w->slot[level][s], t);
    w->occupied[level] |= UINT64_C(1) << s;
}

/* Move 'cur' to the earliest occupied slot and empty that slot, into the
 * ready heap (level 0) or into lower levels (cascade).  Needs n > 0. */
static void advance(struct wheel *w)
{
    for (unsigned level = 0; level < LEVELS; level++) {
        struct timer *head, *t;
        unsigned s;

        if (w->occupied[level] == 0)
            continue;
        s = (unsigned)__builtin_ctzll(w->occupied[level]);
        w->occupied[level] &= ~(UINT64_C(1) << s);
        w->cur = (w->cur & ~low_mask((level + 1) * SLOT_BITS)) |
                 ((uint64_t)s << (level * SLOT_BITS));
        head = &w->slot[level][s];
        while ((t = head->next) != head) {
            unlink_timer(t);
            place(w, t);
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
    for (unsigned l = 0; l < LEVELS; l++) {
        for (unsigned s = 0; s < SLOTS; s++) {
            w->slot[l][s].next = &w->slot[l][s];
            w->slot[l][s].u.prev = &w->slot[l][s];
        }
    }
    return w;
}

void wheel_free(struct wheel *w)
{
    if (!w)
        return;
    heap_fini(&w->ready);
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
    assert(timer_is_armed(t) && w->n > 0);
    w->n--;
    if (t->next == NULL) {
        heap_remove(&w->ready, t);
        return;
    }
    {
        uint64_t tick = t->due >> w->shift;
        unsigned level = level_of(tick, w->cur);
        unsigned s = digit(tick, level);
        struct timer *head = &w->slot[level][s];

        unlink_timer(t);
        if (head->next == head)
            w->occupied[level] &= ~(UINT64_C(1) << s);
    }
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
