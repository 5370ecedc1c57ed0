/* test_slow.c - issue 17, slow and silent failures: the candidates a
 * connect() examines (exact on small ranges, the mean against theory on a
 * large one), the cost model's time, leaked sockets (BOUND) and restarts,
 * and the TCP clock wraps of macOS (2^32 ms) and Windows 7 (2^32 x 10 ms).
 * Every expected number is worked out by hand in the comment above it.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "models/profiles.h"
#include "models/run.h"
#include "models/scenario.h"
#include "models/stack.h"
#include "models/theory.h"
#include "sim/sim.h"
#include "tests/suites.h"

#define SEC(x) ((simtime)(x) * SIMTIME_NS_PER_S)

static struct stack_params prof(enum profile_id id)
{
    return profile_get(id)->defaults;
}

/* ---- Candidates and cost ---- */

/* win2000's round-robin on ports 1000-1015 (n = 16) with 1001-1003 and
 * 1008 reserved (k = 4), every connection aborted at once.  The cursor
 * starts at 1000: connect 1 takes 1000 (1 candidate); 2 passes 1001-1003
 * and takes 1004 (4); 3-5 take 1005-1007 (1 each); 6 passes 1008, takes
 * 1009 (2); 7-12 take 1010-1015 (1 each).  Sum 16 = n over the n - k = 12
 * connects: the mean is theory's n / (n - k) = 16 / 12.  Cost model 10 us +
 * 60 ns a candidate + 70 ns a lookup: connect 2 made 3 lookups (the three
 * reserved candidates; 1004 holds nothing), 10,000 + 240 + 210 = 10,450 ns.
 * Then 12 connections kept open: the 13th connect() walks all 16 ranks and
 * fails, 16 candidates and 16 lookups, 10,000 + 960 + 1,120 = 12,080 ns. */
START_TEST(test_sequential_exact)
{
    static const uint32_t want[12] = {1, 4, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1};
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_WIN2000);
    struct stack *st;
    struct stack_conn c;
    uint64_t sum = 0;

    p.port_min = 1000;
    p.port_max = 1015;
    p.nreserved = 2;
    p.reserved[0] = (struct port_range){1001, 1003};
    p.reserved[1] = (struct port_range){1008, 1008};
    p.connect_cost_ns = 10000;
    p.candidate_cost_ns = 60;
    p.lookup_cost_ns = 70;
    st = stack_new(s, &p, 1);
    for (int i = 0; i < 12; i++) {
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        ck_assert_uint_eq(stack_counters(st)->last_candidates, want[i]);
        if (i == 1)
            ck_assert_uint_eq(stack_counters(st)->last_cost_ns, 10450);
        sum += stack_counters(st)->last_candidates;
        stack_close(st, &c, CLOSE_ABORT);
    }
    ck_assert_uint_eq(sum, 16);
    ck_assert_double_eq(theory_candidates_sequential(16, 4), 16.0 / 12.0);
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
    ck_assert_uint_eq(stack_counters(st)->last_candidates, 16);
    ck_assert_uint_eq(stack_counters(st)->last_lookups, 16);
    ck_assert_uint_eq(stack_counters(st)->last_cost_ns, 12080);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* Linux's double-hash on ports 1000-1007 (len 8: even offsets 0, 2, 4, 6
 * first, then odd), one server.  Nothing taken: 1 candidate.  The four even
 * ports reserved: whatever the start, the walk passes the 4 even ports and
 * takes the first odd one: 5 candidates.  All 8 held by open connections:
 * the 9th connect() walks 4 + 4 and fails with 8. */
START_TEST(test_double_hash_exact)
{
    struct sim *s = sim_new_for_test(3);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *st;
    struct stack_conn c;

    p.port_min = 1000;
    p.port_max = 1007;
    st = stack_new(s, &p, 1);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    ck_assert_uint_eq(stack_counters(st)->last_candidates, 1);
    for (int i = 1; i < 8; i++)
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
    ck_assert_uint_eq(stack_counters(st)->last_candidates, 8);
    stack_free(st);
    p.nreserved = 4;
    for (uint16_t i = 0; i < 4; i++)
        p.reserved[i] = (struct port_range){(uint16_t)(1000 + 2 * i), (uint16_t)(1000 + 2 * i)};
    st = stack_new(s, &p, 1);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        ck_assert_uint_eq(c.port % 2, 1);
        ck_assert_uint_eq(stack_counters(st)->last_candidates, 5);
        stack_close(st, &c, CLOSE_ABORT);
    }
    stack_free(st);
    sim_free(s);
}
END_TEST

/* Double-hash on 20,000 ports (e = 10,000 even), exclusive so that a port
 * taken toward one server blocks every other: 5,000 connections to servers
 * 0..4,999 kept open fill half the even ports (a = 0.5), in clusters as the
 * walks from hashed starts leave them.  20,000 connect()s to new servers
 * (each aborted at once) must examine theory's (1 + 1 / (1 - a)^2) / 2 =
 * 2.5 candidates on average, within 4 standard errors of their mean plus
 * 5 % for the finite table. */
START_TEST(test_double_hash_mean)
{
    struct sim *s = sim_new_for_test(11);
    struct stack_params p = prof(PROFILE_LINUX);
    struct stack *st;
    struct stack_conn c;
    double sum = 0, sum2 = 0, mean, se, want = theory_candidates_double_hash(20000, 5000);
    const int m = 20000;

    p.port_min = 10000;
    p.port_max = 29999;
    p.port_sharing = SHARING_EXCLUSIVE;
    st = stack_new(s, &p, 65536);
    for (uint32_t r = 0; r < 5000; r++)
        ck_assert_int_eq(stack_connect(st, 0, r, &c), STACK_OK);
    for (int i = 0; i < m; i++) {
        double x;

        ck_assert_int_eq(stack_connect(st, 0, 5000 + (uint32_t)i, &c), STACK_OK);
        x = stack_counters(st)->last_candidates;
        sum += x;
        sum2 += x * x;
        stack_close(st, &c, CLOSE_ABORT);
    }
    mean = sum / m;
    se = sqrt((sum2 / m - mean * mean) / m);
    ck_assert_double_eq(want, 2.5);
    ck_assert_msg(fabs(mean - want) < 4 * se + 0.05 * want, "mean %.4f, theory %.4f, se %.4f",
                  mean, want, se);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* ---- Leaks ---- */

/* A pool of N = 16 ports (win2000, 1000-1015): 16 connections whose sockets
 * all leak hold the 16 ports BOUND (none in use); the 17th connect() fails;
 * the restart frees all 16 and the next connect() succeeds. */
START_TEST(test_leak_drains_stack)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_WIN2000);
    struct stack *st;
    struct stack_conn c;

    p.port_min = 1000;
    p.port_max = 1015;
    st = stack_new(s, &p, 1);
    for (int i = 0; i < 16; i++) {
        ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
        stack_leak(st, &c);
    }
    ck_assert_uint_eq(stack_counters(st)->bound, 16);
    ck_assert_uint_eq(stack_counters(st)->in_use, 0);
    ck_assert_uint_eq(stack_counters(st)->open_conns, 0);
    ck_assert_int_eq(stack_port_state(st, 0, 1007), 4);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_FAIL_EXHAUSTED);
    ck_assert_uint_eq(stack_restart(st), 16);
    ck_assert_uint_eq(stack_counters(st)->bound, 0);
    ck_assert_int_eq(stack_port_state(st, 0, 1007), 0);
    ck_assert_int_eq(stack_connect(st, 0, 0, &c), STACK_OK);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* Run 'sets' (seed 1, constant arrivals and service, one server). */
static void run_sets(const char *const *sets, size_t n, struct run_output *out)
{
    static const char *const common[] = {
        "workload.arrivals=constant", "workload.service_dist=constant", "workload.servers=1",
        "workload.cache_ttl=0",       "workload.service_time=50ms",      "run.warmup=0",
        "run.sample_interval=0",
    };
    const char *all[32];
    struct scenario sc;
    struct err e;
    size_t k = 0;

    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        all[k++] = common[i];
    for (size_t i = 0; i < n; i++)
        all[k++] = sets[i];
    err_clear(&e);
    ck_assert_msg(scenario_load(&sc, NULL, all, k, &e) == 0, "scenario: %s", e.msg);
    ck_assert_msg(run_once(&sc, 1, NULL, out, &e) == 0, "run: %s", e.msg);
    scenario_fini(&sc);
}

#define RUN(out, ...)                                                  \
    do {                                                               \
        static const char *const sets_[] = {__VA_ARGS__};              \
        run_sets(sets_, sizeof(sets_) / sizeof(sets_[0]), (out));      \
    } while (0)

/* Through the workload: leak = 1 on 16 ports, one request a second (t = 0,
 * 1, ...), restart every 20 s.  Requests 0-15 connect and leak; 16-19 fail
 * (4); the restart at t = 20 s comes before request 20 (armed first) and
 * frees the 16 ports; requests 20-29 connect (10): 26 connects, peak 16
 * BOUND, first failure at t = 16 s. */
START_TEST(test_leak_run)
{
    struct run_output out;

    RUN(&out, "stack.profile=win2000", "stack.port_min=1000", "stack.port_max=1015",
        "workload.rate=1", "workload.leak=1", "workload.restart_interval=20s",
        "run.duration=30s");
    ck_assert_uint_eq(out.m.requests, 30);
    ck_assert_uint_eq(out.m.connects, 26);
    ck_assert_uint_eq(out.m.connect_failures, 4);
    ck_assert_uint_eq(out.m.peak_bound, 16);
    ck_assert_uint_eq(out.bound_end, 10);
    ck_assert_double_eq(out.m.first_failure_time, 16.0);
    run_output_fini(&out);
}
END_TEST

/* ---- Clock wraps ---- */

/* macOS, uptime one minute before 2^32 ms = 4,294,967.296 s: the wrap is at
 * t = 60 s.  An entry made at t = 0 (due 30 s) expires; one made at t = 61 s
 * (due 91 s) is still there at t = 3,661 s, an hour later. */
START_TEST(test_macos_entries_stay)
{
    struct sim *s = sim_new_for_test(1);
    struct stack_params p = prof(PROFILE_MACOS);
    struct stack *st;
    struct stack_conn a, b;

    p.uptime_ns = UINT64_C(4294907296) * 1000000u;
    st = stack_new(s, &p, 1);
    ck_assert_uint_eq(stack_wrap_time(st), SEC(60));
    ck_assert_int_eq(stack_connect(st, 0, 0, &a), STACK_OK);
    stack_close(st, &a, CLOSE_CLIENT);
    sim_run(s, SEC(61));
    ck_assert_uint_eq(stack_counters(st)->time_wait, 0);
    ck_assert_int_eq(stack_connect(st, 0, 0, &b), STACK_OK);
    stack_close(st, &b, CLOSE_CLIENT);
    sim_run(s, SEC(3661));
    ck_assert_uint_eq(stack_counters(st)->time_wait, 1);
    ck_assert_int_eq(stack_port_state(st, 0, b.port), 2);
    ck_assert_uint_eq(stack_counters(st)->stuck, 1);
    stack_free(st);
    sim_free(s);
}
END_TEST

/* The same Mac under 10 connections/s (request k at k / 10 s, held 50 ms,
 * 30 s of TIME_WAIT): the entry of request k is due at k / 10 + 30.05 s and
 * never expires when that is >= 60 s, i.e. k >= 300.  The 16,384 ports are
 * gone after 16,384 such entries: request 300 + 16,384 = 16,684 fails first,
 * at t = 1,668.4 s, after exactly 16,684 connects.  By t = 3,700 s (entries
 * from t = 60 s still there over an hour later) all 16,384 are stuck, and
 * the remaining 37,000 - 16,684 = 20,316 requests failed. */
START_TEST(test_macos_drain)
{
    struct run_output out;

    RUN(&out, "stack.profile=macos", "stack.uptime=4294907.296", "workload.rate=10",
        "run.duration=3700s");
    ck_assert_uint_eq(out.m.connects, 16684);
    ck_assert_uint_eq(out.m.connect_failures, 37000 - 16684);
    ck_assert_double_eq_tol(out.m.first_failure_time, 1668.4, 1e-9);
    ck_assert_uint_eq(out.tw_stuck, 16384);
    ck_assert_uint_eq(out.wrap_at, SEC(60));
    run_output_fini(&out);
    /* the fix: TIME_WAIT expires; the entry of request k - 300 ends at
     * k / 10 + 0.05 s, the moment request k closes (armed earlier, it goes
     * first): 300 entries at most */
    RUN(&out, "stack.profile=macos", "stack.uptime=4294907.296", "workload.rate=10",
        "run.duration=3700s", "stack.clock_wrap_fix=yes");
    ck_assert_uint_eq(out.m.connect_failures, 0);
    ck_assert_uint_eq(out.m.peak_time_wait, 300);
    run_output_fini(&out);
}
END_TEST

/* Windows 7, uptime one minute before 2^32 x 10 ms = 42,949,672.96 s: the
 * wrap is at t = 60 s, and every entry (120 s of TIME_WAIT, due at k / 10 +
 * 120.05 s >= 60 s) never expires.  The 16,384 ports (49152-65535) are used
 * up by requests 0..16,383; request 16,384, at t = 1,638.4 s, is the first
 * to fail: win7 hands out a port still in TIME_WAIT (when-exhausted), and
 * its entry is toward the same server, a collision (10048, event 4227).
 * With the fix (KB 2553549) nothing fails. */
START_TEST(test_win7_drain)
{
    struct run_output out;

    RUN(&out, "stack.profile=win7", "stack.uptime=42949612.96", "workload.rate=10",
        "run.duration=1700s");
    ck_assert_uint_eq(out.m.connects, 16384);
    ck_assert_uint_eq(out.m.failures_collision, 17000 - 16384);
    ck_assert_double_eq_tol(out.m.first_failure_time, 1638.4, 1e-9);
    ck_assert_uint_eq(out.wrap_at, SEC(60));
    run_output_fini(&out);
    RUN(&out, "stack.profile=win7", "stack.uptime=42949612.96", "workload.rate=10",
        "run.duration=1700s", "stack.clock_wrap_fix=yes");
    ck_assert_uint_eq(out.m.connect_failures, 0);
    run_output_fini(&out);
}
END_TEST

Suite *slow_suite(void)
{
    Suite *s = suite_create("slow");
    TCase *cand = tcase_create("candidates");
    TCase *leak = tcase_create("leak");
    TCase *wrap = tcase_create("wrap");

    tcase_add_test(cand, test_sequential_exact);
    tcase_add_test(cand, test_double_hash_exact);
    tcase_add_test(cand, test_double_hash_mean);
    tcase_add_test(leak, test_leak_drains_stack);
    tcase_add_test(leak, test_leak_run);
    tcase_add_test(wrap, test_macos_entries_stay);
    tcase_add_test(wrap, test_macos_drain);
    tcase_add_test(wrap, test_win7_drain);
    suite_add_tcase(s, cand);
    suite_add_tcase(s, leak);
    suite_add_tcase(s, wrap);
    return s;
}
