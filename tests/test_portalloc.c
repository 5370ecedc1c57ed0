/* test_portalloc.c - candidate orders of the six allocators: golden
 * sequences on a ten-port range for seed 42, and that a free port is found
 * whenever one exists (random-each and random-increment may give up, as
 * RFC 6056 algorithms 2 and 5 do, but only after their tries). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/portalloc.h"
#include "models/profiles.h"
#include "models/stack.h"
#include "tests/suites.h"

static struct stack_params small_params(enum allocator_id a)
{
    struct stack_params p = profile_get(PROFILE_LINUX)->defaults;

    p.port_min = 100;
    p.port_max = 109;
    p.allocator = a;
    p.timer_tick_ns = 0;
    return p;
}

/* Three connects from pool 0 to remote 1 at t = 0; each takes the first
 * candidate.  Up to ten candidates of each order, as ports. */
static void orders(enum allocator_id a, uint64_t seed, unsigned got[3][10])
{
    struct sim *s = sim_new_for_test(seed);
    struct stack_params p = small_params(a);
    struct portalloc *pa = portalloc_new(s, &p, 10, 10);

    for (int c = 0; c < 3; c++) {
        struct pa_order o;
        uint32_t off, d;

        portalloc_begin(pa, s, 0, 1, &o);
        for (d = 0; d < 10; d++) {
            off = o.shape == PA_EACH ? portalloc_next(pa, s, &o) : portalloc_at(&o, d);
            got[c][d] = 100 + off;
        }
        portalloc_commit(pa, s, &o, o.shape == PA_EACH ? 0 : portalloc_at(&o, 0), 0);
    }
    portalloc_free(pa);
    sim_free(s);
}

static void expect(enum allocator_id a, const unsigned want[3][10])
{
    unsigned got[3][10];

    orders(a, 42, got);
    for (int c = 0; c < 3; c++)
        for (int d = 0; d < 10; d++)
            ck_assert_msg(got[c][d] == want[c][d],
                          "seed 42 allocator %d connect %d candidate %d: got %u, want %u", a, c,
                          d, got[c][d], want[c][d]);
}

/* Fully determined: port_min first, then one past the last port handed out. */
START_TEST(test_sequential_golden)
{
    static const unsigned want[3][10] = {
        {100, 101, 102, 103, 104, 105, 106, 107, 108, 109},
        {101, 102, 103, 104, 105, 106, 107, 108, 109, 100},
        {102, 103, 104, 105, 106, 107, 108, 109, 100, 101}};

    expect(ALLOC_SEQUENTIAL, want);
}
END_TEST

/* A random start, then linear with wrap: each row is a rotation. */
START_TEST(test_random_golden)
{
    static const unsigned want[3][10] = {
        {102, 103, 104, 105, 106, 107, 108, 109, 100, 101},
        {101, 102, 103, 104, 105, 106, 107, 108, 109, 100},
        {106, 107, 108, 109, 100, 101, 102, 103, 104, 105}};

    expect(ALLOC_RANDOM, want);
}
END_TEST

/* Same destination: one fixed hash offset, the counter moves by one try per
 * connect, so each start is one past the previous. */
START_TEST(test_hash_golden)
{
    static const unsigned want[3][10] = {
        {109, 100, 101, 102, 103, 104, 105, 106, 107, 108},
        {100, 101, 102, 103, 104, 105, 106, 107, 108, 109},
        {101, 102, 103, 104, 105, 106, 107, 108, 109, 100}};

    expect(ALLOC_HASH, want);
}
END_TEST

/* Even offsets from the start in steps of 2, then the odd ones from start+1.
 * After a success at i = 0 the table slot moves by max(0, 2 u) + 2 with u
 * uniform in 0..7: +2 (u = 0) then +6 (u = 2). */
START_TEST(test_double_hash_golden)
{
    static const unsigned want[3][10] = {
        {106, 108, 100, 102, 104, 107, 109, 101, 103, 105},
        {108, 100, 102, 104, 106, 109, 101, 103, 105, 107},
        {104, 106, 108, 100, 102, 105, 107, 109, 101, 103}};

    expect(ALLOC_DOUBLE_HASH, want);
}
END_TEST

/* Fresh uniform draws: repeats allowed. */
START_TEST(test_random_each_golden)
{
    static const unsigned want[3][10] = {
        {102, 101, 106, 108, 100, 106, 103, 105, 100, 102},
        {108, 107, 106, 103, 104, 104, 108, 105, 105, 109},
        {107, 109, 108, 108, 103, 106, 104, 104, 100, 109}};

    expect(ALLOC_RANDOM_EACH, want);
}
END_TEST

/* A 16-bit counter plus 1..500 per try, mod 10. */
START_TEST(test_random_increment_golden)
{
    static const unsigned want[3][10] = {
        {104, 104, 107, 105, 100, 104, 104, 101, 107, 101},
        {107, 108, 102, 106, 101, 100, 105, 106, 102, 106},
        {108, 100, 100, 103, 109, 104, 107, 108, 108, 103}};

    expect(ALLOC_RANDOM_INCREMENT, want);
}
END_TEST

/* Linear and parity orders visit every offset exactly once (parity: as many
 * distinct offsets of the range as its even-rounded length; which ones is
 * test_stack's 7-port golden). */
START_TEST(test_orders_are_permutations)
{
    for (int a = 0; a < ALLOC_COUNT; a++) {
        struct sim *s = sim_new_for_test((uint64_t)_i + 1);
        struct stack_params p = small_params((enum allocator_id)a);
        uint32_t n = 7 + (uint32_t)_i % 9;
        struct portalloc *pa;
        struct pa_order o;
        unsigned seen[32] = {0};

        p.port_max = p.port_min + n - 1;
        pa = portalloc_new(s, &p, n, n);
        portalloc_begin(pa, s, 0, (uint32_t)_i % 3, &o);
        if (o.shape != PA_EACH) {
            uint32_t want = o.shape == PA_PARITY ? (n & ~1u) : n;

            ck_assert_uint_eq(portalloc_ranks(&o), want);
            for (uint32_t d = 0; d < want; d++) {
                ck_assert_uint_lt(portalloc_at(&o, d), n);
                seen[portalloc_at(&o, d)]++;
            }
            for (uint32_t k = 0; k < n; k++)
                ck_assert_msg(o.shape == PA_PARITY && n % 2 ? seen[k] <= 1 : seen[k] == 1,
                              "seed %d alloc %d n %u offset %u seen %u", _i + 1, a, n, k,
                              seen[k]);
            ck_assert_uint_eq(portalloc_at(&o, want), PA_NIL);
        } else {
            ck_assert_uint_eq(portalloc_ranks(&o), n);
        }
        portalloc_free(pa);
        sim_free(s);
    }
}
END_TEST

/* All ports but one held by open connections (exclusive): every allocator
 * that walks its whole order finds the last one; the two that draw may give
 * up, but only after their tries. */
START_TEST(test_finds_last_free_port)
{
    uint64_t seed = (uint64_t)_i + 1;

    for (int a = 0; a < ALLOC_COUNT; a++) {
        struct sim *s = sim_new_for_test(seed);
        struct stack_params p = small_params((enum allocator_id)a);
        struct stack *st;
        struct stack_conn c, conns[64];
        uint32_t n = 64, freeport, k = 0, ok = 0;

        p.port_max = p.port_min + n - 1;
        p.port_sharing = SHARING_EXCLUSIVE;
        p.pool = POOL_HOST;
        st = stack_new(s, &p, 1);
        freeport = p.port_min + (uint32_t)gsl_rng_uniform_int(sim_rng(s, 0), n);
        /* fill every port with sequential-like effort: connect until full */
        while (stack_counters(st)->open_conns < n && k < 100000) {
            if (stack_connect(st, 0, 0, &c) == STACK_OK)
                conns[stack_counters(st)->open_conns - 1] = c;
            k++;
        }
        ck_assert_uint_eq(stack_counters(st)->open_conns, n);
        for (uint32_t j = 0; j < n; j++)
            if (conns[j].port == freeport)
                stack_close(st, &conns[j], CLOSE_ABORT);
        ck_assert_int_eq(stack_port_state(st, 0, freeport), 0);
        for (int t = 0; t < 20; t++) {
            if (stack_connect(st, 0, 0, &c) == STACK_OK) {
                ok++;
                ck_assert_uint_eq(c.port, freeport);
                stack_close(st, &c, CLOSE_ABORT);
            }
        }
        if (a == ALLOC_RANDOM_EACH || a == ALLOC_RANDOM_INCREMENT)
            ck_assert_msg(ok + stack_counters(st)->failures_exhausted >= 20, "seed %llu",
                          (unsigned long long)seed);
        else
            ck_assert_msg(ok == 20, "seed %llu alloc %d found the free port %u of 20 times",
                          (unsigned long long)seed, a, ok);
        stack_free(st);
        sim_free(s);
    }
}
END_TEST

/* random-each gives up only after (usable ports) draws: count them. */
struct count_ctx {
    unsigned skips;
    unsigned fails;
};

static void count_obs(void *ctx, const struct stack_event *ev)
{
    struct count_ctx *cc = ctx;

    cc->skips += ev->kind == STACK_EV_SKIP;
    cc->fails += ev->kind == STACK_EV_FAIL;
}

START_TEST(test_drawing_allocators_give_up_after_tries)
{
    enum allocator_id algs[2] = {ALLOC_RANDOM_EACH, ALLOC_RANDOM_INCREMENT};

    for (int a = 0; a < 2; a++) {
        struct sim *s = sim_new_for_test((uint64_t)_i + 1);
        struct stack_params p = small_params(algs[a]);
        struct stack *st;
        struct stack_conn c;
        struct count_ctx cc = {0, 0};

        p.port_max = 131;   /* 32 ports */
        p.nreserved = 1;
        p.reserved[0] = (struct port_range){110, 111};
        p.port_sharing = SHARING_EXCLUSIVE;
        st = stack_new(s, &p, 1);
        ck_assert_uint_eq(stack_pool_ports(st), 30);
        while (stack_counters(st)->open_conns < 30)
            stack_connect(st, 0, 0, &c);
        stack_observe(st, count_obs, &cc, 1);
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
        ck_assert_msg(cc.skips == (a == 0 ? 30u : 32u), "seed %d: %u tries", _i + 1, cc.skips);
        ck_assert_uint_eq(cc.fails, 1);
        stack_free(st);
        sim_free(s);
    }
}
END_TEST

Suite *portalloc_suite(void)
{
    Suite *su = suite_create("portalloc");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_sequential_golden);
    tcase_add_test(core, test_random_golden);
    tcase_add_test(core, test_hash_golden);
    tcase_add_test(core, test_double_hash_golden);
    tcase_add_test(core, test_random_each_golden);
    tcase_add_test(core, test_random_increment_golden);
    tcase_add_loop_test(edge, test_orders_are_permutations, 0, 30);
    tcase_add_loop_test(edge, test_finds_last_free_port, 0, 10);
    tcase_add_loop_test(edge, test_drawing_allocators_give_up_after_tries, 0, 5);
    suite_add_tcase(su, core);
    suite_add_tcase(su, edge);
    return su;
}
