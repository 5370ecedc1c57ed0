/* test_wheel.c - the timer wheel against the reference heap.
 *
 * The oracle drives two queues with one random stream of operations (arm at
 * the current time, soon, on a few shared due times, more than a day ahead,
 * centuries ahead; cancel; fire with re-arm and cancel "from inside the
 * callback") and requires the identical firing sequence, exactly: same
 * timer, same due time, same sequence number.  20 seeds x 60,000 operations
 * per geometry.  Timers belong to STREAMS callbacks, more than the wheel
 * has lanes, and half the arms use their stream's own constant delay, so
 * lanes are claimed, filled, left with holes, refused out-of-order timers
 * and handed to other streams; some arms use a sequence number taken
 * earlier (evq_take_seq()), as the stack's TIME_WAIT clocks do.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "sim/evq.h"
#include "sim/lane.h"
#include "sim/wheel.h"
#include "sim/xalloc.h"
#include "tests/suites.h"
#include "tests/testutil.h"

enum { POOL = 3000, OPS = 60000, STREAMS = 6, TAKEN = 64 };

struct twin {
    struct timer w;     /* armed in the wheel queue */
    struct timer h;     /* armed in the heap queue */
};

static void never_called(struct sim *s, struct timer *t)
{
    (void)s;
    (void)t;
}

/* Distinct callbacks: the wheel's lanes are per callback. */
#define STREAM_FN(n) \
    static void stream##n(struct sim *s, struct timer *t) { (void)s; (void)t; }
STREAM_FN(0)
STREAM_FN(1)
STREAM_FN(2)
STREAM_FN(3)
STREAM_FN(4)
STREAM_FN(5)
static timer_fn *const stream_fn[STREAMS] = {stream0, stream1, stream2,
                                             stream3, stream4, stream5};

struct oracle {
    gsl_rng *r;
    struct evq *wq;
    struct evq *hq;
    struct twin *tw;
    simtime now;
    unsigned seed;
    uint64_t taken[TAKEN];      /* sequence numbers taken in both queues */
    size_t ntaken;
};

static simtime random_delay(gsl_rng *r)
{
    switch (gsl_rng_uniform_int(r, 8)) {
    case 0:
        return 0;                                           /* at now */
    case 1:
        return gsl_rng_uniform_int(r, 4) * 1000;            /* shared due times */
    case 2:
        return gsl_rng_uniform_int(r, 100000);              /* within a tick */
    case 3:
        return (simtime)gsl_rng_uniform_int(r, 1u << 30) * 64;  /* up to a minute */
    case 4:
        return UINT64_C(86400000000000) + gsl_rng_get(r);   /* more than a day */
    case 5:
        return ((simtime)gsl_rng_get(r) << 20) | gsl_rng_get(r); /* up to ~140 years */
    default:
        return (simtime)gsl_rng_uniform_int(r, 1u << 26) * 16;   /* ~1 s */
    }
}

/* Arm twin k at 'due' in both queues: by its stream's callback, with a
 * fresh sequence number or, one time in eight, one taken earlier. */
static void arm_both(struct oracle *o, size_t k, simtime due)
{
    timer_fn *fn = stream_fn[k % STREAMS];

    if (o->ntaken > 0 && gsl_rng_uniform_int(o->r, 8) == 0) {
        uint64_t seq = o->taken[--o->ntaken];

        evq_arm_seq(o->wq, &o->tw[k].w, due, seq, fn);
        evq_arm_seq(o->hq, &o->tw[k].h, due, seq, fn);
        return;
    }
    evq_arm(o->wq, &o->tw[k].w, due, fn);
    evq_arm(o->hq, &o->tw[k].h, due, fn);
}

/* Half the time the stream's own delay (its timers come due in arming
 * order, as a lane wants), else any delay. */
static simtime oracle_delay(struct oracle *o, size_t k)
{
    if (gsl_rng_uniform(o->r) < 0.5)
        return (simtime)(k % STREAMS + 1) * 1000000;
    return random_delay(o->r);
}

static void take_both(struct oracle *o)
{
    uint64_t a = evq_take_seq(o->wq), b = evq_take_seq(o->hq);

    ck_assert_uint_eq(a, b);
    if (o->ntaken < TAKEN)
        o->taken[o->ntaken++] = a;
}

static void cancel_both(struct oracle *o, size_t k)
{
    ck_assert(timer_is_armed(&o->tw[k].w) == timer_is_armed(&o->tw[k].h));
    evq_cancel(o->wq, &o->tw[k].w);
    evq_cancel(o->hq, &o->tw[k].h);
}

/* Pop one event from each queue and require the same one. */
static int fire_one(struct oracle *o)
{
    struct timer *a = evq_pop(o->wq);
    struct timer *b = evq_pop(o->hq);
    size_t ka, kb;

    if (!a || !b) {
        ck_assert_msg(a == NULL && b == NULL, "seed %u: one queue empty, not the other", o->seed);
        return 0;
    }
    ka = (size_t)(TIMER_OWNER(a, struct twin, w) - o->tw);
    kb = (size_t)(TIMER_OWNER(b, struct twin, h) - o->tw);
    ck_assert_msg(ka == kb && a->due == b->due && a->seq == b->seq,
                  "seed %u: wheel fired %zu@%llu#%llu, heap %zu@%llu#%llu", o->seed, ka,
                  (unsigned long long)a->due, (unsigned long long)a->seq, kb,
                  (unsigned long long)b->due, (unsigned long long)b->seq);
    ck_assert_msg(a->due >= o->now, "seed %u: fired in the past", o->seed);
    o->now = a->due;
    /* what a callback might do: re-arm itself, cancel another, arm another */
    if (gsl_rng_uniform(o->r) < 0.5)
        arm_both(o, ka, o->now + oracle_delay(o, ka));
    if (gsl_rng_uniform(o->r) < 0.2)
        cancel_both(o, gsl_rng_uniform_int(o->r, POOL));
    return 1;
}

static void run_oracle(unsigned seed, unsigned shift)
{
    struct oracle o = {.seed = seed};

    o.r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(o.r, seed);
    o.wq = evq_new(EVQ_WHEEL, shift);
    o.hq = evq_new(EVQ_HEAP, 0);
    o.tw = xcalloc(POOL, sizeof(*o.tw));
    for (size_t op = 0; op < OPS; op++) {
        size_t k = gsl_rng_uniform_int(o.r, POOL);
        double u = gsl_rng_uniform(o.r);

        if (u < 0.45) {
            if (!timer_is_armed(&o.tw[k].w))
                arm_both(&o, k, o.now + oracle_delay(&o, k));
        } else if (u < 0.47) {
            take_both(&o);
        } else if (u < 0.60) {
            cancel_both(&o, k);
        } else {
            fire_one(&o);
        }
        ck_assert_uint_eq(evq_size(o.wq), evq_size(o.hq));
    }
    while (fire_one(&o) && evq_size(o.hq) > 0)
        ;
    evq_free(o.wq);
    evq_free(o.hq);
    free(o.tw);
    gsl_rng_free(o.r);
}

START_TEST(test_wheel_matches_heap)
{
    run_oracle((unsigned)_i + 1, WHEEL_SHIFT_DEFAULT);
}
END_TEST

START_TEST(test_wheel_geometry_independent)
{
    static const unsigned shifts[] = {0, 4, 10, 24, 40};

    run_oracle(1000u + (unsigned)_i, shifts[_i]);
}
END_TEST

START_TEST(test_equal_times_fire_in_arming_order)
{
    enum { N = 10000 };
    struct evq *q = evq_new(EVQ_WHEEL, WHEEL_SHIFT_DEFAULT);
    struct timer *t = xcalloc(N, sizeof(*t));

    for (size_t k = 0; k < N; k++)
        evq_arm(q, &t[k], UINT64_C(5000000000), never_called);
    for (size_t k = 0; k < N; k++)
        ck_assert_ptr_eq(evq_pop(q), &t[k]);
    ck_assert_ptr_null(evq_pop(q));
    evq_free(q);
    free(t);
}
END_TEST

START_TEST(test_far_future_and_max)
{
    struct evq *q = evq_new(EVQ_WHEEL, WHEEL_SHIFT_DEFAULT);
    struct timer a = {0}, b = {0}, c = {0};

    evq_arm(q, &a, SIMTIME_NEVER, never_called);
    evq_arm(q, &b, UINT64_C(86400000000000) * 400, never_called);
    evq_arm(q, &c, 1, never_called);
    ck_assert_ptr_eq(evq_pop(q), &c);
    ck_assert_ptr_eq(evq_pop(q), &b);
    ck_assert_ptr_eq(evq_pop(q), &a);
    ck_assert(!timer_is_armed(&a));
    evq_free(q);
}
END_TEST

START_TEST(test_arm_before_current_tick)
{
    /* peek advances the wheel to a far tick; a later arm for an earlier
     * time must still come out first */
    struct evq *q = evq_new(EVQ_WHEEL, WHEEL_SHIFT_DEFAULT);
    struct timer far = {0}, near = {0};

    evq_arm(q, &far, UINT64_C(10000000000), never_called);
    ck_assert_ptr_eq(evq_peek(q), &far);
    evq_arm(q, &near, 5, never_called);
    ck_assert_ptr_eq(evq_pop(q), &near);
    ck_assert_ptr_eq(evq_pop(q), &far);
    evq_free(q);
}
END_TEST

/* A lane across the wrap of its 32-bit counters, growing twice, with holes
 * at the front and in the middle: the front is always the earliest timer
 * left and holes never show. */
START_TEST(test_lane_counters_wrap)
{
    enum { N = 40 };
    struct lane l;
    struct timer t[N] = {{0}};
    uint32_t c[N];

    lane_init(&l, UINT32_MAX - 5);
    for (size_t k = 0; k < N; k++) {
        t[k].due = 100 + k / 2;    /* pairs share a due time: seq decides */
        t[k].seq = k;
        ck_assert(lane_accepts(&l, &t[k]));
        c[k] = lane_add(&l, &t[k]);
    }
    ck_assert(!lane_accepts(&l, &t[3]));            /* earlier than the last */
    ck_assert_uint_eq(l.cap, 64);
    lane_cancel(&l, c[0] & 0x0fffffffu);            /* the front */
    lane_cancel(&l, c[1] & 0x0fffffffu);
    lane_cancel(&l, c[7] & 0x0fffffffu);            /* the middle, across the wrap */
    for (size_t k = 2; k < N; k++) {
        if (k == 7)
            continue;
        ck_assert_ptr_eq(lane_front(&l), &t[k]);
        ck_assert_uint_eq(l.front_due, t[k].due);
        lane_pop(&l);
    }
    ck_assert(lane_is_empty(&l));
    ck_assert_ptr_null(lane_front(&l));
    ck_assert_uint_eq(l.front_due, SIMTIME_NEVER);  /* after every other lane */
    lane_fini(&l);
}
END_TEST

/* Streams of one callback go to its lane in order; an out-of-order timer
 * of that callback goes to the slots; a fifth callback finds no lane.  All
 * still come out in (due, seq) order. */
START_TEST(test_lanes_and_slots_interleave)
{
    struct evq *q = evq_new(EVQ_WHEEL, WHEEL_SHIFT_DEFAULT);
    struct timer t[12] = {{0}};
    static const simtime due[12] = {50, 60, 70, 55, 10, 20, 30, 5, 65, 15, 65, 0};

    for (size_t k = 0; k < 12; k++)
        evq_arm(q, &t[k], due[k] * 1000000, stream_fn[k % 5]);
    for (struct timer *prev = NULL, *x; (x = evq_pop(q)) != NULL; prev = x)
        ck_assert(!prev || timer_before(prev, x));
    for (size_t k = 0; k < 12; k++)
        ck_assert(!timer_is_armed(&t[k]));
    ck_assert_ptr_null(evq_pop(q));
    evq_free(q);
}
END_TEST

START_TEST(test_double_arm_aborts)
{
    struct evq *q = evq_new(EVQ_WHEEL, WHEEL_SHIFT_DEFAULT);
    struct timer t = {0};

    evq_arm(q, &t, 10, never_called);
    testutil_expect_abort("test_double_arm_aborts", "a timer armed twice");
    evq_arm(q, &t, 20, never_called);   /* asserts */
}
END_TEST

Suite *wheel_suite(void)
{
    Suite *s = suite_create("wheel");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *oracle = tcase_create("oracle");
    TCase *misuse = tcase_create("misuse");

    tcase_add_test(core, test_equal_times_fire_in_arming_order);
    tcase_add_test(edge, test_far_future_and_max);
    tcase_add_test(edge, test_arm_before_current_tick);
    tcase_add_test(edge, test_lane_counters_wrap);
    tcase_add_test(edge, test_lanes_and_slots_interleave);
    tcase_set_timeout(oracle, 120);
    tcase_set_tags(oracle, "slow");     /* left out by make check-quick */
    tcase_add_loop_test(oracle, test_wheel_matches_heap, 0, 20);
    tcase_add_loop_test(oracle, test_wheel_geometry_independent, 0, 5);
    tcase_add_test_raise_signal(misuse, test_double_arm_aborts, SIGABRT);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, oracle);
    suite_add_tcase(s, misuse);
    return s;
}
