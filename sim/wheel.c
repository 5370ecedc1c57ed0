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
 * The ready set is two parts: the "run", the last level-0 slot emptied,
 * sorted by (due, seq) and handed out from its front, and a binary heap for
 * timers armed later at a tick <= cur.  The next timer is the earlier of
 * the run's front and the heap's top.  A slot's timers mostly come out of
 * the cascade already in order, so the run costs one pass to check that
 * (a natural merge of its ascending runs otherwise), and every pop after
 * is O(1); the heap stays small.
 * This matters when many timers share one tick (TIME_WAIT on a 2.048 s
 * timer tick: 40,000 entries expire at one instant in bench-linux-20k),
 * where a heap of them all cost a sift-down through ~15 levels per pop.
 * A timer in the run has RUN_BIT set in 'pos'; cancelling it leaves a
 * NULL hole that the front skips.
 *
 * Invariants ('cur' is the current tick):
 *   - every timer in the ready set (run or heap) has tick <= cur;
 *   - a timer in slot s of level L has tick > cur, agrees with cur in every
 *     base-64 digit above L, and its digit L is s > digit L of cur;
 *   - occupied[L] has bit s set iff slot s of level L is not empty;
 *   - t->pos is 1 + the timer's index in its slot array, in the heap, or
 *     (with RUN_BIT) in the run; slot or ready set follows from the first
 *     two invariants and 'due';
 *   - the run is consumed (or empty) whenever a level-0 slot is emptied:
 *     advance() runs only when the whole ready set is empty.
 * So every timer in the slots fires after every timer in the ready heap,
 * and the earliest slot timer is in the lowest set bit of the lowest
 * non-empty level.  Advancing 'cur' to that slot either moves the slot into
 * the ready heap (level 0) or re-inserts its timers one level lower or more.
 *
 * Lanes.  In front of the slots the wheel keeps LANES lanes (lane.h):
 * FIFOs of timers added in (due, seq) order.  A timer that extends a lane's
 * stream goes there and is never placed or cascaded; the front of the wheel
 * is the earliest of the ready set and the lanes' fronts, and the slots are
 * advanced only when they may hold something earlier than every lane's
 * front.  A lane holds the timers of one callback as long as they come in
 * order (pick_lane()); the order is exact whatever it picks.  A lane timer
 * has LANE_BIT set in 'pos', its lane in the three bits above the lane's
 * 27-bit counter.  This is what makes a run's common streams cheap: a
 * constant service time, connection TTLs, and the stack's TIME_WAIT FIFO
 * clocks, re-armed just ahead of now for every entry, all fire from lanes.
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
#include <string.h>

#include "sim/heap.h"
#include "sim/lane.h"
#include "sim/xalloc.h"

#define LEVELS 11       /* 11 x 6 bits >= 64: every tick has a level */
#define SLOT_BITS 6
#define SLOTS (1u << SLOT_BITS)
#define PREFETCH_AHEAD 8
#define SLOT_KEEP 256   /* entries a cascaded slot may keep allocated */
#define RUN_BIT UINT32_C(0x80000000)    /* in 'pos': the timer is in the run */
#define LANE_BIT UINT32_C(0x40000000)   /* in 'pos': the timer is in a lane */
#define LANE_SHIFT 27                   /* 'pos' bits 27-29: which lane */
#define LANE_COUNTER LANE_COUNTER_MASK
#define LANES 4u
#define INSERTION_MAX 32    /* runs this short are sorted by insertion */

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
    struct heap ready;              /* timers armed at a tick <= cur */
    struct timer **run;             /* a level-0 slot's timers, sorted */
    size_t run_head;                /* next to hand out (NULL: cancelled) */
    size_t run_n;                   /* end of the run */
    size_t run_cap;                 /* entries allocated in 'run' */
    size_t nlane;                   /* timers in lanes */
    uint64_t slots_lo;              /* no slot timer has a tick below this */
    struct lane lane[LANES];
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

/* The first tick the slots can hold: the start of the lowest occupied slot
 * of the lowest occupied level (UINT64_MAX when they are empty).  Kept as
 * 'slots_lo', a lower bound: set after every advance, lowered by place(),
 * left by removals (a bound that is too low only costs an advance). */
static uint64_t slots_first_tick(const struct wheel *w)
{
    for (unsigned level = 0; level < LEVELS; level++) {
        if (w->occupied[level] != 0) {
            uint64_t s = (uint64_t)__builtin_ctzll(w->occupied[level]);

            return (w->cur & ~low_mask((level + 1) * SLOT_BITS)) | (s << (level * SLOT_BITS));
        }
    }
    return UINT64_MAX;
}

static void place(struct wheel *w, struct timer *t)
{
    uint64_t tick = t->due >> w->shift;
    unsigned level, s;
    struct slot *sl;

    if (tick <= w->cur) {
        heap_push(&w->ready, t);
        assert(t->pos < LANE_BIT);
        return;
    }
    level = level_of(tick, w->cur);
    s = digit(tick, level);
    sl = &w->slot[level][s];
    if (sl->n == sl->cap)
        sl->a = xgrow(sl->a, &sl->cap, sl->n + 1, sizeof(*sl->a));
    sl->a[sl->n++] = t;
    assert(sl->n < LANE_BIT);
    t->pos = (uint32_t)sl->n;
    w->occupied[level] |= UINT64_C(1) << s;
    if (tick < w->slots_lo)
        w->slots_lo = tick;
}

/* End of the ascending run of a[i..n) that starts at i. */
static size_t run_end(struct timer *const *a, size_t i, size_t n)
{
    for (i++; i < n && timer_before(a[i - 1], a[i]); i++)
        ;
    return i;
}

/* Sort a[0..n) that has 'runs' >= 2 ascending runs: insertion when short,
 * else a natural merge sort, O(n log runs).  A slot is mostly a few long
 * runs (a tick's TIME_WAIT entries in arming order, and the odd timer of
 * another kind), so this is close to one pass where qsort was n log n. */
static void sort_timers(struct timer **a, size_t n, size_t runs)
{
    struct timer **buf, **src = a, **dst;

    if (n <= INSERTION_MAX) {
        for (size_t i = 1; i < n; i++) {
            struct timer *t = a[i];
            size_t j = i;

            for (; j > 0 && timer_before(t, a[j - 1]); j--)
                a[j] = a[j - 1];
            a[j] = t;
        }
        return;
    }
    buf = xmalloc(n * sizeof(*buf));
    dst = buf;
    while (runs > 1) {
        struct timer **tmp;

        runs = 0;
        for (size_t i = 0; i < n; runs++) {
            size_t m = run_end(src, i, n), e = m < n ? run_end(src, m, n) : n;
            size_t x = i, y = m, o = i;

            while (x < m && y < e)
                dst[o++] = timer_before(src[y], src[x]) ? src[y++] : src[x++];
            while (x < m)
                dst[o++] = src[x++];
            while (y < e)
                dst[o++] = src[y++];
            i = e;
        }
        tmp = src;
        src = dst;
        dst = tmp;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
    free(buf);
}

/* Make level-0 slot 'sl' (n timers) the run; the run is empty.  The slot
 * takes the run's old array, so nothing is copied. */
static void make_run(struct wheel *w, struct slot *sl, size_t n)
{
    struct timer **a = sl->a;
    size_t cap = sl->cap;
    size_t runs = 1;

    assert(w->run_head == w->run_n);
    sl->a = w->run;
    sl->cap = w->run_cap;
    sl->n = 0;
    w->run = a;
    w->run_cap = cap;
    w->run_head = 0;
    w->run_n = n;
    for (size_t i = 1; i < n; i++) {
        if (i + PREFETCH_AHEAD < n)
            __builtin_prefetch(a[i + PREFETCH_AHEAD], 1);
        runs += !timer_before(a[i - 1], a[i]);
    }
    if (runs > 1)
        sort_timers(a, n, runs);
    assert(n < LANE_BIT);
    for (size_t i = 0; i < n; i++)
        a[i]->pos = RUN_BIT | (uint32_t)(i + 1);
}

/* Move 'cur' to the earliest occupied slot and empty that slot, into the
 * run (level 0) or into lower levels (cascade).  Needs n > 0 and an empty
 * ready set. */
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
        if (level == 0) {
            make_run(w, sl, n);
        } else {
            sl->n = 0;  /* no timer lands back in this slot: see invariants */
            for (size_t i = 0; i < n; i++) {
                if (i + PREFETCH_AHEAD < n)
                    __builtin_prefetch(sl->a[i + PREFETCH_AHEAD], 1);
                sl->a[i]->pos = 0;
                place(w, sl->a[i]);
            }
        }
        if (sl->cap > SLOT_KEEP) {
            free(sl->a);
            sl->a = NULL;
            sl->cap = 0;
        }
        w->slots_lo = slots_first_tick(w);
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
    w->slots_lo = UINT64_MAX;
    heap_init(&w->ready);
    for (unsigned k = 0; k < LANES; k++)
        lane_init(&w->lane[k], 0);
    return w;
}

void wheel_free(struct wheel *w)
{
    if (!w)
        return;
    heap_fini(&w->ready);
    free(w->run);
    for (unsigned k = 0; k < LANES; k++)
        lane_fini(&w->lane[k]);
    for (unsigned l = 0; l < LEVELS; l++) {
        for (unsigned s = 0; s < SLOTS; s++)
            free(w->slot[l][s].a);
    }
    free(w);
}

/* ---- Lanes ---- */

static bool in_lane(const struct timer *t)
{
    return (t->pos & (RUN_BIT | LANE_BIT)) == LANE_BIT;
}

/* The lane for 't', or -1 for the slots.  A stream is the timers of one
 * callback (arrivals, service completions, a FIFO clock): 't' goes to its
 * callback's lane if it comes no earlier than that lane's last timer, else
 * to the slots; a callback without a lane takes an empty one. */
static int pick_lane(struct wheel *w, const struct timer *t)
{
    int empty = -1;

    for (unsigned k = 0; k < LANES; k++) {
        struct lane *l = &w->lane[k];

        if (l->key == t->fn)
            return lane_accepts(l, t) ? (int)k : -1;
        if (empty < 0 && lane_is_empty(l))
            empty = (int)k;
    }
    if (empty >= 0)
        w->lane[empty].key = t->fn;
    return empty;
}

/* The earliest lane front, or NULL: empty lanes' keys are the largest. */
static struct timer *lanes_front(const struct wheel *w)
{
    unsigned best = 0;

    for (unsigned k = 1; k < LANES; k++)
        best = lane_before(&w->lane[k], &w->lane[best]) ? k : best;
    return lane_front(&w->lane[best]);
}

void wheel_insert(struct wheel *w, struct timer *t)
{
    int k;

    assert(!timer_is_armed(t));
    w->n++;
    k = pick_lane(w, t);
    if (k < 0) {
        place(w, t);
        return;
    }
    t->pos = LANE_BIT | ((uint32_t)k << LANE_SHIFT) |
             (lane_add(&w->lane[k], t) & LANE_COUNTER);
    w->nlane++;
}

void wheel_remove(struct wheel *w, struct timer *t)
{
    uint64_t tick = t->due >> w->shift;
    unsigned level, s;
    struct slot *sl;
    struct timer *last;

    assert(timer_is_armed(t) && w->n > 0);
    w->n--;
    if (in_lane(t)) {
        lane_cancel(&w->lane[(t->pos >> LANE_SHIFT) & 7u], t->pos & LANE_COUNTER);
        w->nlane--;
        t->pos = 0;
        return;
    }
    if (tick <= w->cur) {
        if (t->pos & RUN_BIT) {
            assert(w->run[(t->pos & ~RUN_BIT) - 1] == t);
            w->run[(t->pos & ~RUN_BIT) - 1] = NULL;
            t->pos = 0;
        } else {
            heap_remove(&w->ready, t);
        }
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

/* The run's front, past cancelled entries; NULL when it is consumed. */
static struct timer *run_front(struct wheel *w)
{
    while (w->run_head < w->run_n) {
        if (w->run[w->run_head])
            return w->run[w->run_head];
        w->run_head++;
    }
    w->run_head = w->run_n = 0;
    return NULL;
}

struct timer *wheel_peek(struct wheel *w)
{
    struct timer *l = w->nlane ? lanes_front(w) : NULL, *r, *h, *best;

    for (;;) {
        r = run_front(w);
        h = heap_peek(&w->ready);
        if (r || h || w->n == w->nlane)
            break;
        if (l && (l->due >> w->shift) < w->slots_lo)
            break;      /* every slot timer comes after the lane's front */
        advance(w);
    }
    best = l;
    if (r && (!best || timer_before(r, best)))
        best = r;
    if (h && (!best || timer_before(h, best)))
        best = h;
    return best;
}

struct timer *wheel_pop(struct wheel *w)
{
    struct timer *t = wheel_peek(w);

    if (t)
        wheel_take(w, t);
    return t;
}

void wheel_take(struct wheel *w, struct timer *t)
{
    if (in_lane(t)) {
        lane_pop(&w->lane[(t->pos >> LANE_SHIFT) & 7u]);
        w->nlane--;
        t->pos = 0;
    } else if (t->pos & RUN_BIT) {
        assert(w->run_head < w->run_n && w->run[w->run_head] == t);
        w->run[w->run_head++] = NULL;
        t->pos = 0;
    } else {
        assert(heap_peek(&w->ready) == t);
        heap_pop(&w->ready);
    }
    w->n--;
}

size_t wheel_size(const struct wheel *w)
{
    return w->n;
}
