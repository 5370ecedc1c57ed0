/* test_host.c - issue 11, "hosts as they really are": TIME_WAIT caps as
 * the kernels size them, stack.hz, Linux's wrap in odd-sized ranges, bind
 * modes, load balancing and the Windows TIME_WAIT defaults.  One test (or
 * a few) per item, every expected figure worked out by hand in the comment.
 * Runs go through scenario_load() and run_once(), as 'portsim run' does.
 * Cost: well under a second.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "models/portalloc.h"
#include "models/profiles.h"
#include "models/run.h"
#include "models/scenario.h"
#include "models/stack.h"
#include "models/theory.h"
#include "sim/sim.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define SEC(x) ((simtime)(x) * SIMTIME_NS_PER_S)
#define GIB (UINT64_C(1) << 30)

enum { MAX_MISS = 64 };

/* The servers of the first MAX_MISS connect()s (WL_EV_MISS), in order. */
struct misses {
    uint32_t server[MAX_MISS];
    unsigned n;
};

static void on_wl(void *ctx, const struct wl_event *ev)
{
    struct misses *m = ctx;

    if (ev->kind == WL_EV_MISS && m->n < MAX_MISS)
        m->server[m->n++] = ev->server;
}

static void load(struct scenario *sc, const char *const *sets, size_t n)
{
    struct err e;

    err_clear(&e);
    ck_assert_msg(scenario_load(sc, NULL, sets, n, &e) == 0, "scenario: %s", e.msg);
}

/* Run 'sets' (after constant arrivals, 0.05 s constant service, no warm-up,
 * no samples) with seed 1. */
static void run_sets(const char *const *sets, size_t n, struct run_output *out,
                     struct misses *m)
{
    static const char *const common[] = {
        "workload.arrivals=constant", "workload.service_dist=constant",
        "workload.service_time=0.05", "run.warmup=0", "run.sample_interval=0",
    };
    const char *all[32];
    struct scenario sc;
    struct run_options opt;
    struct err e;
    size_t k = 0;

    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        all[k++] = common[i];
    for (size_t i = 0; i < n; i++)
        all[k++] = sets[i];
    load(&sc, all, k);
    memset(&opt, 0, sizeof(opt));
    if (m) {
        memset(m, 0, sizeof(*m));
        opt.wl_obs = on_wl;
        opt.obs_ctx = m;
    }
    err_clear(&e);
    ck_assert_msg(run_once(&sc, 1, &opt, out, &e) == 0, "run: %s", e.msg);
    scenario_fini(&sc);
}

#define RUN(out, m, ...)                                                         \
    do {                                                                         \
        static const char *const sets_[] = {__VA_ARGS__};                        \
        run_sets(sets_, sizeof(sets_) / sizeof(sets_[0]), (out), (m));           \
    } while (0)

#define LOAD(sc, ...)                                                            \
    do {                                                                         \
        static const char *const sets_[] = {__VA_ARGS__};                        \
        load((sc), sets_, sizeof(sets_) / sizeof(sets_[0]));                     \
    } while (0)

/* ---- 1. TIME_WAIT caps as the kernels size them ---- */

/* Linux: pages = RAM / 4 KiB rounded up to a MiB (256 pages), one bucket
 * per 32 pages, at least 512, rounded up to a power of two, at most 2^19;
 * tcp_max_tw_buckets is half.
 *   4 GiB  = 1,048,576 pages / 32 = 32,768 -> 16,384
 *   8 GiB  = 2,097,152 / 32 = 65,536 -> 32,768
 *   24 GiB = 6,291,456 / 32 = 196,608 -> 262,144 -> 131,072 (measured, §10)
 *   64 GiB = 524,288 -> 262,144;  1 TiB: 2^23 capped at 2^19 -> 262,144
 *   16 MiB = 4,096 / 32 = 128 -> 512 -> 256
 *   5 GiB  = 1,310,720 / 32 = 40,960 -> 65,536 -> 32,768
 * FreeBSD tcptw_auto_size(): (65535 - 10000) / 2 = 27,767; (30000 - 20000)
 * / 2 = 5,000; (1010 - 1000) / 2 = 5, at least 32. */
START_TEST(test_cap_sizing)
{
    ck_assert_uint_eq(profile_linux_tw_buckets(4 * GIB), 16384);
    ck_assert_uint_eq(profile_linux_tw_buckets(8 * GIB), 32768);
    ck_assert_uint_eq(profile_linux_tw_buckets(24 * GIB), 131072);
    ck_assert_uint_eq(profile_linux_tw_buckets(64 * GIB), 262144);
    ck_assert_uint_eq(profile_linux_tw_buckets(1024 * GIB), 262144);
    ck_assert_uint_eq(profile_linux_tw_buckets(16u << 20), 256);
    ck_assert_uint_eq(profile_linux_tw_buckets(5 * GIB), 32768);
    ck_assert_uint_eq(profile_freebsd_maxtcptw(10000, 65535), 27767);
    ck_assert_uint_eq(profile_freebsd_maxtcptw(20000, 30000), 5000);
    ck_assert_uint_eq(profile_freebsd_maxtcptw(1000, 1010), 32);
}
END_TEST

/* The scenario derives the cap unless set: linux at 4 GiB 16,384 (and the
 * table's 32,768 at the default 8 GiB); an explicit max_time_wait = 50
 * wins whatever the memory; freebsd from its range; Windows has none. */
START_TEST(test_cap_derived)
{
    struct scenario sc;

    LOAD(&sc, "stack.profile=linux");
    ck_assert_uint_eq(sc.p.stack.max_time_wait, 32768);
    ck_assert_uint_eq(sc.p.stack.memory_bytes, 8 * GIB);
    scenario_fini(&sc);
    LOAD(&sc, "stack.memory=4GiB", "stack.profile=linux");
    ck_assert_uint_eq(sc.p.stack.max_time_wait, 16384);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=linux", "stack.max_time_wait=50", "stack.memory=24 GiB");
    ck_assert_uint_eq(sc.p.stack.max_time_wait, 50);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=freebsd", "stack.port_min=20000", "stack.port_max=30000");
    ck_assert_uint_eq(sc.p.stack.max_time_wait, 5000);
    ck_assert_int_eq(sc.p.stack.tw_overflow, TW_OVERFLOW_RECYCLE_OLDEST);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=win8");
    ck_assert_uint_eq(sc.p.stack.max_time_wait, 0);
    scenario_fini(&sc);
}
END_TEST

/* linux, 100 ports (1000-1099), one server, 10 connects/s for 90 s,
 * max_time_wait = 50, drop-new (§10: measured in a namespace, 900 of 900).
 * Close k at 0.1 k + 0.05 s (k = 0..899).  Closes 0..49 (to 4.95 s) keep
 * TIME_WAIT; 60 s later, rounded up to the 2.048 s tick: closes 0..13 (to
 * 1.35) end at 61.44, 14..34 (to 3.45) at 63.488, 35..49 at 65.536.  In
 * between the table is full: closes 614..627 (61.45..62.75) fill the 14
 * places, 635..654 (63.55..65.45) 20 of the 21, 655..670 16 after 65.536.
 * Kept 50 + 14 + 21 + 15 = 100; overflows 900 - 100 = 800.  TIME_WAIT
 * never passes 50 and at most 51 ports are ever held, so every connect
 * succeeds; without the cap attempt 101 (10.0 s) fails. */
START_TEST(test_cap_drop_new)
{
    struct run_output out;

    RUN(&out, NULL, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "stack.max_time_wait=50", "workload.rate=10", "run.duration=90");
    ck_assert_uint_eq(out.m.connect_attempts, 900);
    ck_assert_uint_eq(out.m.connects, 900);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    ck_assert_uint_eq(out.m.peak_time_wait, 50);
    ck_assert_uint_eq(out.m.time_wait_overflows, 800);
    run_output_fini(&out);
    RUN(&out, NULL, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.rate=10", "run.duration=90");
    ck_assert(out.m.has_first_failure);
    ck_assert_double_eq_tol(out.m.first_failure_time, 10.0, 1e-9);
    ck_assert_uint_eq(out.m.time_wait_overflows, 0);
    run_output_fini(&out);
}
END_TEST

/* freebsd, 100 ports (1000-1099): maxtcptw = max(99 / 2, 32) = 49,
 * recycle-oldest.  Closes 0..48 keep TIME_WAIT; every later close ends the
 * oldest entry, which is then 4.9 s old, far from its 60 s: 900 - 49 = 851
 * overflows, TIME_WAIT held at 49, every connect succeeds. */
START_TEST(test_cap_recycle_oldest)
{
    struct run_output out;

    RUN(&out, NULL, "stack.profile=freebsd", "stack.port_min=1000", "stack.port_max=1099",
        "workload.rate=10", "run.duration=90");
    ck_assert_uint_eq(out.m.connects, 900);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    ck_assert_uint_eq(out.m.peak_time_wait, 49);
    ck_assert_uint_eq(out.m.time_wait_overflows, 851);
    run_output_fini(&out);
}
END_TEST

/* The closed form: N = 100, h = 0.05 + 60 + 1.024 = 61.074 s.  A cap of 50
 * (< N): TIME_WAIT cannot fill the pool; 50 ports for 0.05 s: 1,000/s
 * sustainable, never exhausted, TIME_WAIT population min(10 x 61.024, 50)
 * = 50.  A cap of 100 (= N, one server): changes nothing, 100 / 61.074 =
 * 1.6374/s. */
START_TEST(test_cap_theory)
{
    struct scenario sc;
    struct theory t;
    struct err e;

    LOAD(&sc, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
         "stack.max_time_wait=50", "workload.rate=10", "workload.service_time=0.05");
    ck_assert_int_eq(theory_compute(&sc.p, &t, &e), 0);
    ck_assert(t.flags & THEORY_TW_CAPPED);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 1000.0, 1e-9);
    ck_assert(isinf(t.exhaustion_s));
    ck_assert_double_eq_tol(t.time_wait_population, 50.0, 1e-12);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
         "stack.max_time_wait=100", "workload.rate=10", "workload.service_time=0.05");
    ck_assert_int_eq(theory_compute(&sc.p, &t, &e), 0);
    ck_assert(!(t.flags & (THEORY_TW_CAPPED | THEORY_MAX_TW)));
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 100.0 / 61.074, 1e-9);
    scenario_fini(&sc);
}
END_TEST

/* ---- 2. stack.hz ---- */

/* 60 s on the wheel: 6,000 jiffies at 100 Hz, 15,000 at 250, 18,000 at
 * 300: level 3 (4,032..32,255), slots of 8^3 = 512 jiffies: 5.12 s,
 * 2.048 s, 1.706666667 s; 60,000 at 1000 Hz: level 4 (32,256..258,047),
 * 4,096 jiffies: 4.096 s.  10 s at 250 Hz: 2,500 jiffies, level 2
 * (504..4,031), 64 jiffies = 0.256 s. */
START_TEST(test_hz_tick)
{
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(60), 100), 5120000000u);
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(60), 250), 2048000000u);
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(60), 300), 1706666667u);
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(60), 1000), 4096000000u);
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(10), 250), 256000000u);
    ck_assert_uint_eq(profile_linux_timer_tick(SEC(60), 0), 0);
}
END_TEST

/* In a scenario: hz = 1000 gives the 4.096 s tick, 100 the 5.12 s one, an
 * explicit timer_tick wins.  In a run (no connect() cost, so that times are
 * exact): one request at 0 s held 3.05 s, closed at 3.05 s; TIME_WAIT due
 * 63.05 s, rounded up to 13 x 5.12 = 66.56 s at 100 Hz (after the 66.5 s
 * run: mean (66.5 - 3.05) / 66.5), to 31 x 2.048 = 63.488 s at 250 Hz
 * (mean (63.488 - 3.05) / 66.5). */
START_TEST(test_hz_scenario)
{
    struct scenario sc;
    struct run_output out;

    LOAD(&sc, "stack.profile=linux", "stack.hz=1000");
    ck_assert_uint_eq(sc.p.stack.timer_tick_ns, 4096000000u);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=linux", "stack.hz=1000", "stack.timer_tick=1");
    ck_assert_uint_eq(sc.p.stack.timer_tick_ns, SEC(1));
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=linux", "stack.hz=100");
    ck_assert_uint_eq(sc.p.stack.timer_tick_ns, 5120000000u);
    scenario_fini(&sc);
    RUN(&out, NULL, "stack.profile=linux", "stack.hz=100", "stack.connect_cost=0",
        "workload.rate=0.01", "workload.service_time=3.05", "run.duration=66.5");
    ck_assert_double_eq_tol(out.m.mean_time_wait, (66.5 - 3.05) / 66.5, 1e-9);
    run_output_fini(&out);
    RUN(&out, NULL, "stack.profile=linux", "stack.hz=250", "stack.connect_cost=0",
        "workload.rate=0.01", "workload.service_time=3.05", "run.duration=66.5");
    ck_assert_double_eq_tol(out.m.mean_time_wait, (63.488 - 3.05) / 66.5, 1e-9);
    run_output_fini(&out);
}
END_TEST

/* ---- 3. Linux's wrap in an odd-sized range (golden, 7 ports) ---- */

/* 7 ports, offsets 0..6: remaining = 6, starts 0, 2 or 4 (even).  Even
 * pass port = start + 2 i, 'if (port >= 7) port -= 6'; then start + 1:
 *   start 0: 0 2 4 | 1 3 5          (the top, 6, never)
 *   start 2: 2 4 6 | 3 5 1          (the first, 0, never)
 *   start 4: 4 6 2 | 5 1 3          (0 never) */
START_TEST(test_odd_range_golden)
{
    static const uint32_t want[3][6] = {{0, 2, 4, 1, 3, 5}, {2, 4, 6, 3, 5, 1},
                                        {4, 6, 2, 5, 1, 3}};
    struct pa_order o;

    memset(&o, 0, sizeof(o));
    o.shape = PA_PARITY;
    o.len = 6;
    o.span = 7;
    for (unsigned s = 0; s < 3; s++) {
        o.start = 2 * s;
        for (uint32_t d = 0; d < 6; d++)
            ck_assert_msg(portalloc_at(&o, d) == want[s][d], "start %u rank %u: %u, want %u",
                          o.start, d, portalloc_at(&o, d), want[s][d]);
        ck_assert_uint_eq(portalloc_at(&o, 6), PA_NIL);
    }
}
END_TEST

struct ports_seen {
    uint32_t port[16];
    unsigned n;
};

static void on_stack(void *ctx, const struct stack_event *ev)
{
    struct ports_seen *p = ctx;

    if (ev->kind == STACK_EV_CONNECT && p->n < 16)
        p->port[p->n++] = ev->conn.port;
}

/* A stack on 1000-1006 (linux double-hash), one server, connections kept
 * open: one walk sees 6 of the 7 ports (remaining = 6), but the start moves
 * after each success (table_perturb += i + 2, plus the random jump), so a
 * later walk from start 2 or 4 reaches 1006 when start 0 took 1000: 6 or 7
 * connects succeed on distinct ports, then one fails; with and without the
 * trace's detail (the fast find-next-set walk and the candidate-by-
 * candidate one) the same ports, for 20 seeds. */
START_TEST(test_odd_range_stack)
{
    uint32_t first[7] = {0};
    unsigned nfirst = 0;

    for (int detail = 0; detail < 2; detail++) {
        struct sim *s = sim_new_for_test((uint64_t)_i + 1);
        struct stack_params p = profile_get(PROFILE_LINUX)->defaults;
        struct ports_seen seen;
        struct stack *st;
        struct stack_conn c;
        unsigned mask = 0;

        p.port_min = 1000;
        p.port_max = 1006;
        st = stack_new(s, &p, 1);
        memset(&seen, 0, sizeof(seen));
        stack_observe(st, on_stack, &seen, detail);
        for (int k = 0; k < 6; k++)
            ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        if (stack_connect(st, 0, 0, &c) == STACK_OK)
            ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
        if (detail == 0)
            nfirst = seen.n;
        ck_assert_uint_eq(seen.n, nfirst);
        ck_assert(seen.n == 6 || seen.n == 7);
        for (unsigned k = 0; k < seen.n; k++) {
            ck_assert_uint_ge(seen.port[k], 1000);
            ck_assert_uint_le(seen.port[k], 1006);
            mask |= 1u << (seen.port[k] - 1000);
            if (detail == 0)
                first[k] = seen.port[k];
            else
                ck_assert_uint_eq(seen.port[k], first[k]);
        }
        ck_assert_uint_eq(__builtin_popcount(mask), seen.n);
        stack_free(st);
        sim_free(s);
    }
}
END_TEST

/* ---- 4. Bind modes ---- */

/* linux, 100 ports, 4 servers in round robin, 10 connects/s for 30 s (300
 * connects, TIME_WAIT ends after 61 s): connect() alone shares a port over
 * the servers (75 each < 100): no failure; bind(addr, 0) makes each port
 * the socket's: attempts 1..100 succeed, 101 (10.0 s) to 300 fail (200);
 * IP_BIND_ADDRESS_NO_PORT keeps the sharing: no failure. */
START_TEST(test_bind_linux)
{
    struct run_output out;

    RUN(&out, NULL, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.balance=round-robin", "workload.rate=10",
        "run.duration=30", "workload.bind=none");
    ck_assert_uint_eq(out.m.connects, 300);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    run_output_fini(&out);
    RUN(&out, NULL, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.balance=round-robin", "workload.rate=10",
        "run.duration=30", "workload.bind=address");
    ck_assert_uint_eq(out.m.connects, 100);
    ck_assert_uint_eq(out.m.connect_failures, 200);
    ck_assert_double_eq_tol(out.m.first_failure_time, 10.0, 1e-9);
    run_output_fini(&out);
    RUN(&out, NULL, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.balance=round-robin", "workload.rate=10",
        "run.duration=30", "workload.bind=address-no-port");
    ck_assert_uint_eq(out.m.connect_failures, 0);
    run_output_fini(&out);
}
END_TEST

/* macOS, 100 ports, 4 local addresses, 10 connects/s for 30 s (TIME_WAIT
 * 30 s: the first entry ends at 30.05 s, after the run): the implicit bind
 * of connect() is host-wide, one pool of 100: 100 connects, attempt 101 at
 * 10.0 s fails, 200 failures; bind(addr, 0) draws from each address's own
 * 100 ports (75 connects each): no failure. */
START_TEST(test_bind_macos_host_wide)
{
    struct run_output out;

    RUN(&out, NULL, "stack.profile=macos", "stack.port_min=1000", "stack.port_max=1099",
        "stack.local_addresses=4", "workload.rate=10", "run.duration=30");
    ck_assert_uint_eq(out.pools, 1);
    ck_assert_uint_eq(out.m.connects, 100);
    ck_assert_uint_eq(out.m.connect_failures, 200);
    ck_assert_double_eq_tol(out.m.first_failure_time, 10.0, 1e-9);
    run_output_fini(&out);
    RUN(&out, NULL, "stack.profile=macos", "stack.port_min=1000", "stack.port_max=1099",
        "stack.local_addresses=4", "workload.rate=10", "run.duration=30",
        "workload.bind=address");
    ck_assert_uint_eq(out.pools, 4);
    ck_assert_uint_eq(out.m.connects, 300);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    run_output_fini(&out);
}
END_TEST

/* ---- 5. Load balancing ---- */

/* linux, 100 ports, 4 servers, ONE mailbox, 10 connects/s for 30 s.
 * by-mailbox: mailbox 0 lives on server 0: all 300 go there, 100 succeed,
 * 200 fail (first at 10.0 s).  round-robin: servers 0 1 2 3 0 1 ..., 75
 * each < 100 ports: no failure.  least-connections: each connection is
 * closed (0.05 s) before the next arrives, all four servers tie at 0 and
 * the tie goes round robin: the same 0 1 2 3 order, no failure.  random:
 * seed 1 draws; 300 draws on 4 servers stay below 100 each (checked: no
 * failure) and use every server. */
START_TEST(test_balance)
{
    struct run_output out;
    struct misses m;
    unsigned used = 0;

    RUN(&out, &m, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.mailboxes=1", "workload.rate=10", "run.duration=30");
    ck_assert_uint_eq(out.m.connects, 100);
    ck_assert_uint_eq(out.m.connect_failures, 200);
    ck_assert_uint_eq(m.server[7], 0);
    run_output_fini(&out);
    RUN(&out, &m, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.mailboxes=1", "workload.rate=10", "run.duration=30",
        "workload.balance=round-robin");
    ck_assert_uint_eq(out.m.connects, 300);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    for (unsigned k = 0; k < 8; k++)
        ck_assert_uint_eq(m.server[k], k % 4);
    run_output_fini(&out);
    RUN(&out, &m, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.mailboxes=1", "workload.rate=10", "run.duration=30",
        "workload.balance=least-connections");
    ck_assert_uint_eq(out.m.connect_failures, 0);
    for (unsigned k = 0; k < 8; k++)
        ck_assert_uint_eq(m.server[k], k % 4);
    run_output_fini(&out);
    RUN(&out, &m, "stack.profile=linux", "stack.port_min=1000", "stack.port_max=1099",
        "workload.servers=4", "workload.mailboxes=1", "workload.rate=10", "run.duration=30",
        "workload.balance=random");
    ck_assert_uint_eq(out.m.connect_failures, 0);
    for (unsigned k = 0; k < m.n; k++)
        used |= 1u << m.server[k];
    ck_assert_uint_eq(used, 15);
    run_output_fini(&out);
}
END_TEST

/* least-connections with connections that stay open: 2 servers, mailboxes
 * cached for 100 s, 1 request/s over 4 s, each to a new mailbox (1e9
 * mailboxes: a repeat is a 1e-9 chance).  Opens go 0, 1, 0, 1: the server
 * with fewer open connections, ties to the next in turn. */
START_TEST(test_balance_least_connections_open)
{
    struct run_output out;
    struct misses m;

    RUN(&out, &m, "stack.profile=linux", "workload.servers=2", "workload.mailboxes=1000000000",
        "workload.rate=1", "run.duration=4", "workload.cache_ttl=100",
        "workload.balance=least-connections");
    ck_assert_uint_eq(m.n, 4);
    ck_assert_uint_eq(m.server[0], 0);
    ck_assert_uint_eq(m.server[1], 1);
    ck_assert_uint_eq(m.server[2], 0);
    ck_assert_uint_eq(m.server[3], 1);
    run_output_fini(&out);
}
END_TEST

/* ---- 6. Windows TIME_WAIT defaults ---- */

/* KB 314053: 2000 240 s, XP and 2003 120 s; Vista and later 120 s (0x78,
 * BizTalk guide; "4 minutes" in the troubleshooting page).  Theory at
 * 10/s, service 0.05 s: winxp 3,976 / 120.05 = 33.12/s, win2000 3,976 /
 * 240.05 = 16.56/s.  A run of winxp at 40/s for 110 s, service 0.01 s (no
 * request finds its mailbox's connection open): attempts at k / 40
 * (k = 0..4399), 3,976 ports, nothing ends before 120.05 s: attempt 3,977
 * (99.4 s) fails first, 4,400 - 3,976 = 424 failures. */
START_TEST(test_windows_defaults)
{
    struct scenario sc;
    struct theory t;
    struct err e;
    struct run_output out;

    ck_assert_uint_eq(profile_get(PROFILE_WIN2000)->defaults.time_wait_ns, SEC(240));
    ck_assert_uint_eq(profile_get(PROFILE_WINXP)->defaults.time_wait_ns, SEC(120));
    ck_assert_uint_eq(profile_get(PROFILE_WINXP)->defaults.port_min, 1025);
    ck_assert_uint_eq(profile_get(PROFILE_WINXP)->defaults.port_max, 5000);
    ck_assert_uint_eq(profile_get(PROFILE_WIN2003)->defaults.time_wait_ns, SEC(120));
    ck_assert_uint_eq(profile_get(PROFILE_WIN7)->defaults.time_wait_ns, SEC(120));
    ck_assert_uint_eq(profile_get(PROFILE_WIN8)->defaults.time_wait_ns, SEC(120));
    LOAD(&sc, "stack.profile=winxp", "workload.rate=10", "workload.service_time=0.05");
    ck_assert_int_eq(theory_compute(&sc.p, &t, &e), 0);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 3976.0 / 120.05, 1e-9);
    scenario_fini(&sc);
    LOAD(&sc, "stack.profile=win2000", "workload.rate=10", "workload.service_time=0.05");
    ck_assert_int_eq(theory_compute(&sc.p, &t, &e), 0);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 3976.0 / 240.05, 1e-9);
    scenario_fini(&sc);
    RUN(&out, NULL, "stack.profile=winxp", "workload.rate=40", "run.duration=110",
        "workload.service_time=0.01");
    ck_assert_uint_eq(out.m.connect_attempts, 4400);
    ck_assert_uint_eq(out.m.connects, 3976);
    ck_assert_uint_eq(out.m.connect_failures, 424);
    ck_assert_double_eq_tol(out.m.first_failure_time, 99.4, 1e-9);
    run_output_fini(&out);
}
END_TEST

Suite *host_suite(void)
{
    Suite *s = suite_create("host");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_cap_sizing);
    tcase_add_test(tc, test_cap_derived);
    tcase_add_test(tc, test_cap_drop_new);
    tcase_add_test(tc, test_cap_recycle_oldest);
    tcase_add_test(tc, test_cap_theory);
    tcase_add_test(tc, test_hz_tick);
    tcase_add_test(tc, test_hz_scenario);
    tcase_add_test(tc, test_odd_range_golden);
    tcase_add_loop_test(tc, test_odd_range_stack, 0, 20);
    tcase_add_test(tc, test_bind_linux);
    tcase_add_test(tc, test_bind_macos_host_wide);
    tcase_add_test(tc, test_balance);
    tcase_add_test(tc, test_balance_least_connections_open);
    tcase_add_test(tc, test_windows_defaults);
    suite_add_tcase(s, tc);
    return s;
}
