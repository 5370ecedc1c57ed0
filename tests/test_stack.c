/* test_stack.c - the stack's rules (DESIGN §4, §10): exhaustion at the exact
 * attempt on win2000, sharing, reuse and collision modes, TIME_WAIT caps,
 * reserved ports, close modes, timer ticks; and an oracle test against a
 * naive model scanned port by port, over every allocator and rule. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/profiles.h"
#include "models/stack.h"
#include "sim/sim.h"
#include "tests/suites.h"

#define MS(x) ((simtime)(x) * 1000000u)
#define SEC(x) ((simtime)(x) * SIMTIME_NS_PER_S)

static struct stack_params prof(enum profile_id id)
{
    return profile_get(id)->defaults;
}

static void advance(struct sim *s, simtime t)
{
    sim_run(s, t);
}

/* ---- Exhaustion at the exact attempt (win2000) ---- */

struct driver {
    struct timer t;
    struct stack *st;
    uint32_t attempt;           /* attempts made */
    uint32_t first_fail;        /* attempt number of the first failure */
    simtime first_fail_t;
    enum stack_result first_fail_res;
    uint32_t port_back;         /* port of the first success after a failure */
    simtime back_t;
};

static void drive(struct sim *s, struct timer *t)
{
    struct driver *d = TIMER_OWNER(t, struct driver, t);
    struct stack_conn c;
    enum stack_result r;

    d->attempt++;
    r = stack_connect(d->st, 0, 0, &c);
    if (r != STACK_OK && d->first_fail == 0) {
        d->first_fail = d->attempt;
        d->first_fail_t = sim_now(s);
        d->first_fail_res = r;
    }
    if (r == STACK_OK) {
        if (d->first_fail != 0 && d->port_back == 0) {
            d->port_back = c.port;
            d->back_t = sim_now(s);
        }
        stack_close(d->st, &c, CLOSE_CLIENT);
    }
    if (d->port_back == 0)
        sim_arm_in(s, t, MS(50), drive);
}

START_TEST(test_win2000_exhaustion)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_WIN2000);
    struct driver d = {0};

    d.st = stack_new(s, &p, 1);
    ck_assert_uint_eq(stack_pool_ports(d.st), 3976);
    sim_arm(s, &d.t, 0, drive);
    sim_run(s, SEC(300));
    ck_assert_uint_eq(d.first_fail, 3977);
    ck_assert_uint_eq(d.first_fail_t, MS(198800));
    ck_assert_int_eq(d.first_fail_res, STACK_FAIL_EXHAUSTED);
    ck_assert_uint_eq(d.port_back, 1025);
    ck_assert_uint_eq(d.back_t, SEC(240));
    ck_assert_uint_eq(stack_counters(d.st)->failures_exhausted, 4800 - 3976);
    ck_assert_uint_eq(stack_counters(d.st)->failures_collision, 0);
    ck_assert_str_eq(profile_get(PROFILE_WIN2000)->exhausted_error, "WSAEADDRINUSE (10048)");
    stack_free(d.st);
    sim_free(s);
}
END_TEST

/* ---- Sharing ---- */

static uint32_t fill(struct stack *st, uint32_t nremotes)
{
    struct stack_conn c;
    uint32_t ok = 0, fails = 0, r = 0;

    while (fails < nremotes) {
        if (stack_connect(st, 0, r, &c) == STACK_OK) {
            ok++;
            fails = 0;
        } else {
            fails++;
        }
        r = (r + 1) % nremotes;
    }
    return ok;
}

START_TEST(test_per_destination_holds_more)
{
    struct sim *s = sim_new_for_test(7);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *ex, *pd;

    p.port_min = 40000;
    p.port_max = 40099;
    p.port_sharing = SHARING_EXCLUSIVE;
    ex = stack_new(s, &p, 4);
    p.port_sharing = SHARING_PER_DESTINATION;
    pd = stack_new(s, &p, 4);
    ck_assert_uint_eq(fill(ex, 4), 100);
    ck_assert_uint_eq(fill(pd, 4), 400);
    ck_assert_uint_eq(stack_counters(pd)->in_use, 100);
    ck_assert_uint_eq(stack_counters(pd)->open_conns, 400);
    stack_free(ex);
    stack_free(pd);
    sim_free(s);
}
END_TEST

/* ---- when-exhausted and collisions ---- */

/* 50 ports, fill with connect+close (client) to random servers among
 * 'nservers', then 50 more attempts; returns successes of those. */
static uint32_t reuse_round(enum collision_id col, uint32_t nservers, uint64_t seed,
                            uint64_t *collisions, uint64_t *exhausted)
{
    struct sim *s = sim_new_for_test(seed);
    struct stack_params p = prof(PROFILE_WIN2003);
    struct stack *st;
    struct stack_conn c;
    uint32_t ok = 0;
    gsl_rng *r = sim_rng(s, 0);

    p.port_max = 1074;
    p.collision = col;
    st = stack_new(s, &p, nservers);
    for (int k = 0; k < 50; k++) {
        ck_assert_int_eq(stack_connect(st, 0, (uint32_t)gsl_rng_uniform_int(r, nservers), &c),
                         STACK_OK);
        stack_close(st, &c, CLOSE_CLIENT);
    }
    for (int k = 0; k < 50; k++) {
        if (stack_connect(st, 0, (uint32_t)gsl_rng_uniform_int(r, nservers), &c) == STACK_OK) {
            ok++;
            stack_close(st, &c, CLOSE_CLIENT);
        }
    }
    *collisions = stack_counters(st)->failures_collision;
    *exhausted = stack_counters(st)->failures_exhausted;
    stack_free(st);
    sim_free(s);
    return ok;
}

START_TEST(test_when_exhausted_collisions)
{
    uint64_t col, exh;

    ck_assert_uint_eq(reuse_round(COLLISION_FAIL, 1, 3, &col, &exh), 0);
    ck_assert_uint_eq(col, 50);
    ck_assert_uint_eq(exh, 0);
    ck_assert_uint_ge(reuse_round(COLLISION_FAIL, 4, 3, &col, &exh), 26);
    ck_assert_uint_eq(exh, 0);
    ck_assert_uint_gt(col, 0);
    /* skip: one server and every port in TIME_WAIT to it: exhausted, no 4227 */
    ck_assert_uint_eq(reuse_round(COLLISION_SKIP, 1, 3, &col, &exh), 0);
    ck_assert_uint_eq(col, 0);
    ck_assert_uint_eq(exh, 50);
    /* skip with 4 servers: a port without same-remote TIME_WAIT always exists
     * here (50 ports, at most 2 entries each): never fails */
    ck_assert_uint_eq(reuse_round(COLLISION_SKIP, 4, 3, &col, &exh), 50);
    ck_assert_uint_eq(col + exh, 0);
}
END_TEST

/* The sequential cursor moves past a port whose connect failed with a
 * collision (DESIGN §10.4). */
START_TEST(test_cursor_moves_past_collision)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_WIN2003);
    struct stack *st;
    struct stack_conn c;

    p.port_max = 1027;  /* 3 ports */
    st = stack_new(s, &p, 2);
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        stack_close(st, &c, CLOSE_CLIENT);
    }
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_COLLISION);   /* 1025 */
    ck_assert_int_eq(stack_connect(st, 0, 1, &c), STACK_OK);
    ck_assert_uint_eq(c.port, 1026);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 3);
    stack_close(st, &c, CLOSE_CLIENT);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 4);     /* more entries than ports */
    stack_free(st);
    sim_free(s);
}
END_TEST

/* ---- after-delay ---- */

START_TEST(test_after_delay)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *st;
    struct stack_conn c;

    p.port_min = 50000;
    p.port_max = 50003;
    p.reuse_time_wait = REUSE_AFTER_DELAY;
    p.tw_reuse_delay_ns = SEC(1);
    p.timer_tick_ns = MS(2048);
    st = stack_new(s, &p, 2);
    advance(s, MS(100));
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        stack_close(st, &c, CLOSE_CLIENT);
    }
    advance(s, MS(600));
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
    ck_assert_int_eq(stack_connect(st, 0, 1, &c), STACK_OK);   /* another remote: free */
    advance(s, MS(1100));   /* age exactly 1 s: not older than the delay */
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
    advance(s, MS(1100) + 1);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    ck_assert_uint_eq(stack_counters(st)->takeovers, 1);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 3);
    ck_assert_int_eq(stack_port_state(st, 0, c.port), 1);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* ---- max_time_wait ---- */

START_TEST(test_max_time_wait)
{
    for (int mode = 0; mode < 2; mode++) {
        struct sim *s = sim_new_for_test(1);
        struct stack_params p = prof(PROFILE_MACOS);
        struct stack *st;
        struct stack_conn c[3];

        p.max_time_wait = 2;
        p.tw_overflow = mode ? TW_OVERFLOW_RECYCLE_OLDEST : TW_OVERFLOW_DROP_NEW;
        st = stack_new(s, &p, 1);
        for (int k = 0; k < 3; k++)
            ck_assert_int_eq(stack_connect(st, 0, 0, &c[k]), STACK_OK);
        for (int k = 0; k < 3; k++)
            stack_close(st, &c[k], CLOSE_CLIENT);
        ck_assert_uint_eq(stack_counters(st)->time_wait, 2);
        ck_assert_uint_eq(stack_counters(st)->overflows, 1);
        ck_assert_uint_eq(sim_pending(s), 1);   /* the client FIFO's one clock */
        if (mode == 0) {
            ck_assert_int_eq(stack_port_state(st, 0, c[2].port), 0);
            ck_assert_int_eq(stack_port_state(st, 0, c[0].port), 2);
        } else {
            ck_assert_int_eq(stack_port_state(st, 0, c[0].port), 0);
            ck_assert_int_eq(stack_port_state(st, 0, c[2].port), 2);
        }
        /* the two kept entries expire, the dropped or recycled one never does */
        ck_assert_uint_eq(sim_run(s, SIMTIME_NEVER), 2);
        ck_assert_uint_eq(stack_counters(st)->expiries, 2);
        ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
        ck_assert_uint_eq(sim_pending(s), 0);
        stack_free(st);
        ck_assert_uint_eq(sim_pending(s), 0);
        sim_free(s);
    }
}
END_TEST

/* ---- reserved ports ---- */

START_TEST(test_reserved_never_handed_out)
{
    for (int a = 0; a < ALLOC_COUNT; a++) {
        struct sim *s = sim_new_for_test((uint64_t)_i + 1);
        struct stack_params p = prof(PROFILE_FREEBSD);
        struct stack *st;
        struct stack_conn c;

        p.allocator = (enum allocator_id)a;
        p.port_min = 100;
        p.port_max = 139;
        p.nreserved = 2;
        p.reserved[0] = (struct port_range){110, 119};
        p.reserved[1] = (struct port_range){139, 139};
        st = stack_new(s, &p, 1);
        for (int k = 0; k < 200; k++) {
            if (stack_connect(st, 0, 0, &c) == STACK_OK) {
                ck_assert_msg(!(c.port >= 110 && c.port <= 119) && c.port != 139,
                              "seed %d alloc %d port %u", _i + 1, a, c.port);
                if (k % 2)
                    stack_close(st, &c, CLOSE_ABORT);
            }
        }
        ck_assert_int_eq(stack_port_state(st, 0, 115), 3);
        stack_free(st);
        sim_free(s);
    }
}
END_TEST

/* ---- close modes and time_wait = 0 ---- */

START_TEST(test_close_modes)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_MACOS);
    struct stack *st;
    struct stack_conn c;

    p.port_max = p.port_min;    /* one port */
    st = stack_new(s, &p, 2);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_close(st, &c, CLOSE_ABORT);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
    ck_assert_int_eq(stack_port_state(st, 0, c.port), 0);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_close(st, &c, CLOSE_SERVER);
    ck_assert_uint_eq(stack_counters(st)->server_time_wait, 1);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
    ck_assert_int_eq(stack_port_state(st, 0, c.port), 0);
    ck_assert_int_eq(stack_connect(st, 0, 1, &c), STACK_OK);   /* other remote: entry stays */
    ck_assert_uint_eq(stack_counters(st)->server_time_wait, 1);
    stack_close(st, &c, CLOSE_ABORT);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);   /* same 4-tuple: takes it over */
    ck_assert_uint_eq(stack_counters(st)->server_time_wait, 0);
    ck_assert_uint_eq(stack_counters(st)->takeovers, 1);
    ck_assert_uint_eq(sim_pending(s), 0);
    stack_close(st, &c, CLOSE_CLIENT);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 1);
    stack_free(st);
    sim_free(s);

    s = sim_new_for_test(1);
    p.time_wait_ns = 0;
    st = stack_new(s, &p, 1);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_close(st, &c, CLOSE_CLIENT);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* ---- timer_tick ---- */

struct last_close {
    simtime until;
};

static void close_obs(void *ctx, const struct stack_event *ev)
{
    if (ev->kind == STACK_EV_CLOSE)
        ((struct last_close *)ctx)->until = ev->tw_until;
}

START_TEST(test_timer_tick_rounds_up)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *st;
    struct stack_conn c;
    struct last_close lc = {0};

    st = stack_new(s, &p, 1);
    stack_observe(st, close_obs, &lc, 0);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_close(st, &c, CLOSE_CLIENT);
    ck_assert_uint_eq(lc.until, MS(2048) * 30);     /* 61.44 s: first multiple >= 60 s */
    advance(s, MS(1000));
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_close(st, &c, CLOSE_CLIENT);
    ck_assert_uint_eq(lc.until, MS(2048) * 30);     /* 61 s rounds up to 61.44 s too */
    advance(s, MS(2048) * 30);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 2);   /* due == now: not fired yet */
    advance(s, MS(2048) * 30 + 1);
    ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
    ck_assert_uint_eq(stack_counters(st)->expiries, 2);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* ---- Oracle: a naive model, scanned port by port ---- */

enum { NPORTS = 16, MAXC = 256, MAXT = 512 };

struct nconn {
    uint32_t pool, port, remote;
    uint32_t laddr;
};

struct ntw {
    uint32_t pool, port, remote;
    int server;
    simtime since, due;
};

struct naive {
    struct stack_params p;
    uint32_t npools, nremotes;
    struct nconn c[MAXC];
    unsigned nc;
    struct ntw t[MAXT];             /* in closing order */
    unsigned nt;
    uint32_t cursor;                /* sequential: next start offset */
};

static bool n_reserved(const struct naive *m, uint32_t port)
{
    for (uint32_t k = 0; k < m->p.nreserved; k++)
        if (port >= m->p.reserved[k].lo && port <= m->p.reserved[k].hi)
            return true;
    return false;
}

static bool n_conn(const struct naive *m, uint32_t pool, uint32_t port, long remote)
{
    for (unsigned i = 0; i < m->nc; i++)
        if (m->c[i].pool == pool && m->c[i].port == port &&
            (remote < 0 || m->c[i].remote == (uint32_t)remote))
            return true;
    return false;
}

/* client entries on (pool, port) toward 'remote' (-1: any); count */
static unsigned n_tw(const struct naive *m, uint32_t pool, uint32_t port, long remote)
{
    unsigned k = 0;

    for (unsigned i = 0; i < m->nt; i++)
        k += !m->t[i].server && m->t[i].pool == pool && m->t[i].port == port &&
             (remote < 0 || m->t[i].remote == (uint32_t)remote);
    return k;
}

static int n_find(const struct naive *m, uint32_t pool, uint32_t port, uint32_t remote,
                  int server)
{
    for (unsigned i = 0; i < m->nt; i++)
        if (m->t[i].server == server && m->t[i].pool == pool && m->t[i].port == port &&
            m->t[i].remote == remote)
            return (int)i;
    return -1;
}

static void n_del(struct naive *m, unsigned i)
{
    memmove(&m->t[i], &m->t[i + 1], (m->nt - i - 1) * sizeof(m->t[0]));
    m->nt--;
}

/* Port states: 'fresh' (no live conn and no TIME_WAIT that counts), 'noconn'
 * (no live conn that counts), 'takeable' (after-delay). */
static bool n_fresh(const struct naive *m, uint32_t pool, uint32_t port, uint32_t r)
{
    bool excl = m->p.port_sharing == SHARING_EXCLUSIVE;

    if (n_reserved(m, port))
        return false;
    return !n_conn(m, pool, port, excl ? -1 : (long)r) &&
           n_tw(m, pool, port, excl ? -1 : (long)r) == 0;
}

static bool n_noconn(const struct naive *m, uint32_t pool, uint32_t port, uint32_t r)
{
    bool excl = m->p.port_sharing == SHARING_EXCLUSIVE;

    return !n_reserved(m, port) && !n_conn(m, pool, port, excl ? -1 : (long)r);
}

static bool n_takeable(const struct naive *m, uint32_t pool, uint32_t port, uint32_t r,
                       simtime now)
{
    bool excl = m->p.port_sharing == SHARING_EXCLUSIVE;
    int i;

    if (!n_noconn(m, pool, port, r))
        return false;
    if (n_fresh(m, pool, port, r))
        return true;
    if (excl && n_tw(m, pool, port, -1) != 1)
        return false;
    i = n_find(m, pool, port, r, 0);
    return i >= 0 && now - m->t[i].since > m->p.tw_reuse_delay_ns;
}

/* Is 'port' acceptable for 'r' under the rules, given what else is free? */
static bool n_acceptable(const struct naive *m, uint32_t pool, uint32_t port, uint32_t r,
                         simtime now, bool any_fresh)
{
    bool skip = m->p.collision == COLLISION_SKIP;

    switch (m->p.reuse_time_wait) {
    case REUSE_NO:
        return n_fresh(m, pool, port, r);
    case REUSE_AFTER_DELAY:
        return n_takeable(m, pool, port, r, now);
    case REUSE_WHEN_EXHAUSTED:
        if (n_fresh(m, pool, port, r))
            return true;
        return !any_fresh && n_noconn(m, pool, port, r) && !(skip && n_tw(m, pool, port, r));
    default:
        return n_noconn(m, pool, port, r) && !(skip && n_tw(m, pool, port, r));
    }
}

static bool n_any(const struct naive *m, uint32_t pool, uint32_t r, simtime now, bool fresh_only)
{
    bool any_fresh = false;

    for (uint32_t port = m->p.port_min; port <= m->p.port_max; port++)
        any_fresh = any_fresh || n_fresh(m, pool, port, r);
    if (fresh_only)
        return any_fresh;
    for (uint32_t port = m->p.port_min; port <= m->p.port_max; port++)
        if (n_acceptable(m, pool, port, r, now, any_fresh))
            return true;
    return false;
}

static simtime n_due(const struct naive *m, simtime now)
{
    simtime due = now + m->p.time_wait_ns, tick = m->p.timer_tick_ns, k = 0;

    if (!tick)
        return due;
    while (k < due)     /* the first multiple of the tick at or after 'due' */
        k += tick;
    return k;
}

static void n_check_states(const struct naive *m, const struct stack *st, uint64_t seed,
                           int step)
{
    const struct stack_counters *k = stack_counters(st);
    unsigned ctw = 0, stw = 0, inuse = 0;

    for (unsigned i = 0; i < m->nt; i++) {
        ctw += !m->t[i].server;
        stw += m->t[i].server;
    }
    for (uint32_t pool = 0; pool < m->npools; pool++) {
        for (uint32_t port = m->p.port_min; port <= m->p.port_max; port++) {
            int want = n_reserved(m, port) ? 3
                       : n_conn(m, pool, port, -1) ? 1
                       : n_tw(m, pool, port, -1) ? 2 : 0;

            inuse += want == 1;
            ck_assert_msg(stack_port_state(st, pool, port) == want,
                          "seed %llu step %d pool %u port %u: stack %d naive %d",
                          (unsigned long long)seed, step, pool, port,
                          stack_port_state(st, pool, port), want);
        }
    }
    ck_assert_msg(k->time_wait == ctw && k->server_time_wait == stw && k->in_use == inuse &&
                      k->open_conns == m->nc,
                  "seed %llu step %d: counters differ", (unsigned long long)seed, step);
}

struct trace {
    uint32_t cand[256];
    unsigned n;
    uint32_t fail_port;             /* port handed out by a collision failure */
};

static void trace_obs(void *ctx, const struct stack_event *ev)
{
    struct trace *t = ctx;

    if ((ev->kind == STACK_EV_SKIP || ev->kind == STACK_EV_CONNECT) && t->n < 256)
        t->cand[t->n++] = ev->conn.port;
    if (ev->kind == STACK_EV_SKIP || ev->kind == STACK_EV_CONNECT)
        ck_assert(ev->why && ev->why[0]);
    if (ev->kind == STACK_EV_FAIL && ev->result == STACK_FAIL_COLLISION)
        t->fail_port = ev->conn.port;
}

/* Combination _i: allocator, sharing, reuse, collision; two seeds each. */
START_TEST(test_oracle)
{
    int combo = _i;
    enum allocator_id alloc = (enum allocator_id)(combo % ALLOC_COUNT);
    enum sharing_id sharing = (enum sharing_id)(combo / ALLOC_COUNT % 2);
    enum reuse_id reuse = (enum reuse_id)(combo / (ALLOC_COUNT * 2) % 4);
    enum collision_id col = (enum collision_id)(combo / (ALLOC_COUNT * 8) % 2);

    for (uint64_t seed = (uint64_t)combo * 2 + 1; seed <= (uint64_t)combo * 2 + 2; seed++) {
        struct sim *s = sim_new_for_test(seed), *s2 = sim_new_for_test(seed);
        struct sim *drv = sim_new_for_test(seed + 1000);
        gsl_rng *r = sim_rng(drv, 0);
        struct naive *m = calloc(1, sizeof(*m));
        struct stack *st, *fast;
        struct trace tr;
        simtime now = 0;

        m->p = prof(PROFILE_LINUX);
        m->p.allocator = alloc;
        m->p.port_sharing = sharing;
        m->p.reuse_time_wait = reuse;
        m->p.collision = col;
        m->p.port_min = 1000 + (uint32_t)gsl_rng_uniform_int(r, 50);
        m->p.port_max = m->p.port_min + NPORTS - 1;
        m->p.pool = gsl_rng_uniform_int(r, 2) ? POOL_PER_ADDRESS : POOL_HOST;
        m->p.local_addresses = 2;
        m->p.time_wait_ns = SEC(1 + gsl_rng_uniform_int(r, 10));
        m->p.timer_tick_ns = gsl_rng_uniform_int(r, 2) ? MS(700) : 0;
        m->p.tw_reuse_delay_ns = MS(500);
        m->p.max_time_wait =
            gsl_rng_uniform_int(r, 2) ? 0 : 5 + (uint32_t)gsl_rng_uniform_int(r, 20);
        m->p.tw_overflow = (enum tw_overflow_id)gsl_rng_uniform_int(r, 2);
        m->p.random_fallback_cps = alloc == ALLOC_RANDOM ? 3 : 0;
        m->p.random_fallback_time_ns = SEC(3);
        if (gsl_rng_uniform_int(r, 2)) {
            m->p.nreserved = 1;
            m->p.reserved[0].lo = (uint16_t)(m->p.port_min + 3);
            m->p.reserved[0].hi = (uint16_t)(m->p.port_min + 4);
        }
        m->npools = m->p.pool == POOL_HOST ? 1 : 2;
        m->nremotes = 3;
        st = stack_new(s, &m->p, m->nremotes);
        fast = stack_new(s2, &m->p, m->nremotes);
        stack_observe(st, trace_obs, &tr, 1);

        for (int step = 0; step < 700; step++) {
            double u = gsl_rng_uniform(r);

            if (u < 0.5) {
                uint32_t laddr = (uint32_t)gsl_rng_uniform_int(r, 2);
                uint32_t rem = (uint32_t)gsl_rng_uniform_int(r, m->nremotes);
                uint32_t pool = m->npools == 1 ? 0 : laddr;
                bool drawing = alloc == ALLOC_RANDOM_EACH || alloc == ALLOC_RANDOM_INCREMENT;
                /* drawing allocators may miss the fresh ports on the first walk */
                bool any_fresh = !drawing && n_any(m, pool, rem, now, true);
                bool any_ok = n_any(m, pool, rem, now, false);
                struct stack_conn c, c2;
                enum stack_result res, res2;

                tr.n = 0;
                res = stack_connect(st, laddr, rem, &c);
                res2 = stack_connect(fast, laddr, rem, &c2);
                ck_assert_msg(res == res2 && (res != STACK_OK || c.port == c2.port),
                              "seed %llu step %d: detail and fast paths differ",
                              (unsigned long long)seed, step);
                for (unsigned k = 0; k + 1 < tr.n; k++)
                    ck_assert_msg(reuse == REUSE_WHEN_EXHAUSTED ||
                                      !n_acceptable(m, pool, tr.cand[k], rem, now, any_fresh),
                                  "seed %llu step %d: skipped acceptable port %u",
                                  (unsigned long long)seed, step, tr.cand[k]);
                if (res == STACK_OK) {
                    int i;

                    ck_assert_msg(n_acceptable(m, pool, c.port, rem, now, any_fresh),
                                  "seed %llu step %d: port %u not acceptable",
                                  (unsigned long long)seed, step, c.port);
                    ck_assert(!n_conn(m, pool, c.port, rem));   /* 4-tuple live once */
                    if (reuse == REUSE_NO)
                        ck_assert(n_tw(m, pool, c.port, sharing ? (long)rem : -1) == 0);
                    if (alloc == ALLOC_SEQUENTIAL)
                        for (uint32_t k = m->cursor; k != c.port - m->p.port_min;
                             k = (k + 1) % NPORTS)
                            ck_assert_msg(!n_acceptable(m, pool, m->p.port_min + k, rem, now,
                                                        any_fresh) ||
                                              (reuse == REUSE_WHEN_EXHAUSTED && !any_fresh &&
                                               col == COLLISION_FAIL),
                                          "seed %llu step %d: round-robin passed %u",
                                          (unsigned long long)seed, step, m->p.port_min + k);
                    if ((i = n_find(m, pool, c.port, rem, 0)) >= 0) {
                        ck_assert(reuse == REUSE_AFTER_DELAY);
                        n_del(m, (unsigned)i);
                    }
                    if ((i = n_find(m, pool, c.port, rem, 1)) >= 0)
                        n_del(m, (unsigned)i);
                    m->c[m->nc++] = (struct nconn){pool, c.port, rem, laddr};
                    m->cursor = (c.port - m->p.port_min + 1) % NPORTS;
                } else if (res == STACK_FAIL_COLLISION) {
                    ck_assert(n_tw(m, pool, tr.fail_port, rem) == 1);
                    m->cursor = (tr.fail_port - m->p.port_min + 1) % NPORTS;
                    ck_assert(col == COLLISION_FAIL && reuse != REUSE_NO &&
                              reuse != REUSE_AFTER_DELAY);
                    ck_assert(reuse != REUSE_WHEN_EXHAUSTED || !any_fresh);
                } else {
                    if (!drawing)
                        ck_assert_msg(!any_ok, "seed %llu step %d: exhausted but a port is free",
                                      (unsigned long long)seed, step);
                }
            } else if (u < 0.8 && m->nc > 0) {
                unsigned i = (unsigned)gsl_rng_uniform_int(r, m->nc);
                struct nconn nc = m->c[i];
                struct stack_conn c = {nc.laddr, nc.port, nc.remote};
                enum close_id mode = (enum close_id)gsl_rng_uniform_int(r, 3);
                unsigned nclient = 0;

                stack_close(st, &c, mode);
                stack_close(fast, &c, mode);
                m->c[i] = m->c[--m->nc];
                for (unsigned k = 0; k < m->nt; k++)
                    nclient += !m->t[k].server;
                if (mode != CLOSE_ABORT && m->p.time_wait_ns > 0) {
                    bool keep = true;

                    if (mode == CLOSE_CLIENT && m->p.max_time_wait &&
                        nclient >= m->p.max_time_wait) {
                        if (m->p.tw_overflow == TW_OVERFLOW_DROP_NEW) {
                            keep = false;
                        } else {
                            for (unsigned k = 0; k < m->nt; k++) {
                                if (!m->t[k].server) {
                                    n_del(m, k);
                                    break;
                                }
                            }
                        }
                    }
                    if (keep) {
                        ck_assert(m->nt < MAXT);
                        m->t[m->nt++] = (struct ntw){nc.pool, nc.port, nc.remote,
                                                     mode == CLOSE_SERVER, now, n_due(m, now)};
                    }
                }
            } else {
                simtime until = now + MS(gsl_rng_uniform_int(r, 1500));

                sim_run(s, until);
                sim_run(s2, until);
                now = until;
                for (unsigned k = 0; k < m->nt;) {
                    if (m->t[k].due < until)
                        n_del(m, k);
                    else
                        k++;
                }
            }
            n_check_states(m, st, seed, step);
            n_check_states(m, fast, seed, step);
        }
        ck_assert_uint_eq(sim_digest(s), sim_digest(s2));
        stack_free(st);
        stack_free(fast);
        sim_free(s);
        sim_free(s2);
        sim_free(drv);
        free(m);
    }
}
END_TEST

/* ---- Determinism ---- */

static uint64_t digest_run(uint64_t seed, enum allocator_id a)
{
    struct sim *s = sim_new_for_test(seed);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *st;
    struct stack_conn c[64];
    unsigned n = 0;
    uint64_t d;

    p.allocator = a;
    p.port_min = 40000;
    p.port_max = 40063;
    st = stack_new(s, &p, 2);
    for (int k = 0; k < 2000; k++) {
        if (n < 64 && stack_connect(st, 0, (uint32_t)k % 2, &c[n]) == STACK_OK)
            n++;
        if (k % 3 == 0 && n > 0)
            stack_close(st, &c[--n], CLOSE_CLIENT);
        sim_run(s, sim_now(s) + MS(300));
    }
    d = sim_digest(s);
    stack_free(st);
    sim_free(s);
    return d;
}

START_TEST(test_digest_witnesses_choices)
{
    for (int a = 0; a < ALLOC_COUNT; a++) {
        ck_assert_uint_eq(digest_run(5, (enum allocator_id)a), digest_run(5, (enum allocator_id)a));
        if (a != ALLOC_SEQUENTIAL)
            ck_assert_uint_ne(digest_run(5, (enum allocator_id)a),
                              digest_run(6, (enum allocator_id)a));
    }
}
END_TEST

Suite *stack_suite(void)
{
    Suite *su = suite_create("stack");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *oracle = tcase_create("oracle");

    tcase_add_test(core, test_win2000_exhaustion);
    tcase_add_test(core, test_per_destination_holds_more);
    tcase_add_test(core, test_when_exhausted_collisions);
    tcase_add_test(core, test_cursor_moves_past_collision);
    tcase_add_test(core, test_after_delay);
    tcase_add_test(core, test_max_time_wait);
    tcase_add_test(core, test_close_modes);
    tcase_add_test(core, test_digest_witnesses_choices);
    tcase_add_loop_test(edge, test_reserved_never_handed_out, 0, 5);
    tcase_add_test(edge, test_timer_tick_rounds_up);
    tcase_add_loop_test(oracle, test_oracle, 0, ALLOC_COUNT * 2 * 4 * 2);
    tcase_set_timeout(oracle, 60);
    tcase_set_tags(oracle, "slow");     /* left out by make check-quick */
    suite_add_tcase(su, core);
    suite_add_tcase(su, edge);
    suite_add_tcase(su, oracle);
    return su;
}
