/* test_sim.c - the run loop: order, the run interval, determinism. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "sim/sim.h"
#include "sim/xalloc.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* ---- A small random model: agents that re-arm and cancel each other ---- */

enum { AGENTS = 200 };

struct agent {
    struct timer t;
    struct model *m;
    unsigned id;
};

struct model {
    struct agent a[AGENTS];
    uint64_t fired;
};

static void agent_fire(struct sim *s, struct timer *t)
{
    struct agent *ag = TIMER_OWNER(t, struct agent, t);
    struct model *m = ag->m;
    gsl_rng *r = sim_rng(s, 0);
    double u = gsl_rng_uniform(r);

    m->fired++;
    sim_digest_mix(s, ag->id);
    if (u < 0.1) {
        sim_arm(s, t, sim_now(s), agent_fire);          /* again at this time */
    } else if (u < 0.9) {
        sim_arm_in(s, t, simtime_from_s(gsl_ran_exponential(r, 0.5)), agent_fire);
    }
    if (gsl_rng_uniform(sim_rng(s, 1)) < 0.05) {
        struct agent *other = &m->a[gsl_rng_uniform_int(sim_rng(s, 1), AGENTS)];

        if (other != ag) {             /* cancel and re-arm another agent */
            sim_cancel(s, &other->t);
            sim_arm_in(s, &other->t, simtime_from_s(2.0), agent_fire);
        }
    }
    if (!timer_is_armed(t))
        sim_arm_in(s, t, simtime_from_s(1.0), agent_fire);
}

static uint64_t run_model(uint64_t seed, enum evq_kind kind, unsigned shift, uint64_t *events)
{
    struct sim_config cfg = {.seed = seed, .rng = NULL, .queue = kind, .wheel_shift = shift};
    struct sim *s;
    struct model *m = xcalloc(1, sizeof(*m));
    uint64_t digest;

    ck_assert_int_eq(sim_new(&s, &cfg, NULL), 0);
    for (unsigned i = 0; i < AGENTS; i++) {
        m->a[i].m = m;
        m->a[i].id = i;
        sim_arm(s, &m->a[i].t, i % 7 * 1000, agent_fire);
    }
    sim_run(s, simtime_from_s(200));
    ck_assert_uint_eq(sim_now(s), simtime_from_s(200));
    digest = sim_digest(s);
    *events = sim_events(s);
    sim_free(s);
    free(m);
    return digest;
}

START_TEST(test_same_seed_same_digest)
{
    uint64_t e1, e2, e3;
    uint64_t d1 = run_model((uint64_t)_i + 1, EVQ_WHEEL, 0, &e1);
    uint64_t d2 = run_model((uint64_t)_i + 1, EVQ_WHEEL, 0, &e2);
    uint64_t d3 = run_model((uint64_t)_i + 2, EVQ_WHEEL, 0, &e3);

    ck_assert_uint_gt(e1, 10000);
    ck_assert_uint_eq(d1, d2);
    ck_assert_uint_eq(e1, e2);
    ck_assert_uint_ne(d1, d3);
}
END_TEST

START_TEST(test_wheel_heap_same_digest)
{
    uint64_t e1, e2, e3;
    uint64_t d1 = run_model((uint64_t)_i + 1, EVQ_WHEEL, 0, &e1);
    uint64_t d2 = run_model((uint64_t)_i + 1, EVQ_HEAP, 0, &e2);
    uint64_t d3 = run_model((uint64_t)_i + 1, EVQ_WHEEL, 3, &e3);

    ck_assert_uint_eq(d1, d2);
    ck_assert_uint_eq(d1, d3);
    ck_assert_uint_eq(e1, e2);
}
END_TEST

/* ---- The run interval and equal times ---- */

struct probe {
    struct timer t;
    simtime fired_at;
    int order;
    int *counter;
};

static void probe_fire(struct sim *s, struct timer *t)
{
    struct probe *p = TIMER_OWNER(t, struct probe, t);

    p->fired_at = sim_now(s);
    p->order = ++*p->counter;
}

START_TEST(test_until_is_exclusive)
{
    struct sim *s = sim_new_for_test(1);
    int counter = 0;
    struct probe before = {.counter = &counter}, at = {.counter = &counter};

    sim_arm(s, &before.t, 999, probe_fire);
    sim_arm(s, &at.t, 1000, probe_fire);
    ck_assert_uint_eq(sim_run(s, 1000), 1);
    ck_assert_int_eq(before.order, 1);
    ck_assert_int_eq(at.order, 0);              /* t = until does not fire */
    ck_assert(timer_is_armed(&at.t));
    ck_assert_uint_eq(sim_now(s), 1000);
    ck_assert_uint_eq(sim_pending(s), 1);
    ck_assert_uint_eq(sim_run(s, SIMTIME_NEVER), 1);
    ck_assert_uint_eq(at.fired_at, 1000);
    sim_free(s);
}
END_TEST

static void arm_now_fire(struct sim *s, struct timer *t);

struct chain {
    struct timer t;
    struct probe *late;
};

static void arm_now_fire(struct sim *s, struct timer *t)
{
    struct chain *c = TIMER_OWNER(t, struct chain, t);

    sim_arm(s, &c->late->t, sim_now(s), probe_fire);  /* at the current time */
}

START_TEST(test_arm_at_current_time_fires_after_earlier_arms)
{
    struct sim *s = sim_new_for_test(1);
    int counter = 0;
    struct probe early = {.counter = &counter}, late = {.counter = &counter};
    struct chain c = {.late = &late};

    sim_arm(s, &c.t, 50, arm_now_fire);
    sim_arm(s, &early.t, 50, probe_fire);
    sim_run(s, SIMTIME_NEVER);
    ck_assert_int_eq(early.order, 1);
    ck_assert_int_eq(late.order, 2);
    ck_assert_uint_eq(late.fired_at, 50);
    sim_free(s);
}
END_TEST

static void stopper(struct sim *s, struct timer *t)
{
    (void)t;
    sim_stop(s);
}

START_TEST(test_stop)
{
    struct sim *s = sim_new_for_test(1);
    struct timer a = {0};
    int counter = 0;
    struct probe b = {.counter = &counter};

    sim_arm(s, &a, 10, stopper);
    sim_arm(s, &b.t, 20, probe_fire);
    ck_assert_uint_eq(sim_run(s, 100), 1);
    ck_assert_uint_eq(sim_now(s), 10);
    ck_assert_uint_eq(sim_run(s, 100), 1);
    ck_assert_uint_eq(sim_now(s), 100);
    sim_free(s);
}
END_TEST

START_TEST(test_unknown_generator)
{
    struct sim_config cfg = {.seed = 1, .rng = "nope", .queue = EVQ_WHEEL};
    struct sim *s = NULL;
    struct err e;

    ck_assert_int_eq(sim_new(&s, &cfg, &e), PS_EINVAL);
    ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_arm_in_past_aborts)
{
    struct sim *s = sim_new_for_test(1);
    struct timer a = {0}, b = {0};

    sim_arm(s, &a, 100, stopper);
    sim_run(s, 1000);
    testutil_expect_abort("test_arm_in_past_aborts", "sim_arm() before now");
    sim_arm(s, &b, 5, stopper);     /* asserts: before now */
}
END_TEST

Suite *sim_suite(void)
{
    Suite *s = suite_create("sim");
    TCase *core = tcase_create("core");
    TCase *determinism = tcase_create("determinism");
    TCase *misuse = tcase_create("misuse");

    tcase_add_test(core, test_until_is_exclusive);
    tcase_add_test(core, test_arm_at_current_time_fires_after_earlier_arms);
    tcase_add_test(core, test_stop);
    tcase_add_test(core, test_unknown_generator);
    tcase_set_timeout(determinism, 60);
    tcase_add_loop_test(determinism, test_same_seed_same_digest, 0, 3);
    tcase_add_loop_test(determinism, test_wheel_heap_same_digest, 0, 3);
    tcase_add_test_raise_signal(misuse, test_arm_in_past_aborts, SIGABRT);
    suite_add_tcase(s, core);
    suite_add_tcase(s, determinism);
    suite_add_tcase(s, misuse);
    return s;
}
