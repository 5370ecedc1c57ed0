/* test_workload.c - the connection cache of models/workload.c, counted
 * exactly: cache hit and miss, LRU eviction at connection_limit, the FIFO
 * queue of waiting requests, retries with doubling backoff, and the three
 * close modes; pools (pool_size): LIFO reuse, surplus closed, TTL expiry
 * and the NAT's idle timeout killing a pooled connection.
 *
 * Every scenario has constant arrivals and constant service, so each count
 * follows from a timeline worked out by hand in the test's comment.  Where
 * several mailboxes are needed, there are 1,000,000 of them: the seed-1 run
 * asks for no mailbox twice (asserted: no cache hit), so every request is a
 * new mailbox, and the counts are exact.  Runs go through run_once() with an
 * observer that tallies the workload's events (wl_event_kind).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/run.h"
#include "models/scenario.h"
#include "tests/suites.h"
#include "tests/testutil.h"

enum { MAX_EV = 256 };

struct tally {
    unsigned n[WL_EV_POOL_FULL + 1];    /* events by kind */
    struct wl_event ev[MAX_EV];         /* the first MAX_EV events, in order */
    unsigned nev;
    uint32_t arrive_mailbox[MAX_EV];    /* mailbox of request k (from 1) */
    uint16_t closed_port[MAX_EV];       /* stack: ports closed, in order */
    simtime closed_at[MAX_EV];          /* ... and when */
    unsigned nclosed;
    struct sim *s;                      /* the run, for the time of a close */
};

static void on_wl(void *ctx, const struct wl_event *ev)
{
    struct tally *t = ctx;

    t->n[ev->kind]++;
    if (t->nev < MAX_EV)
        t->ev[t->nev++] = *ev;
    if (ev->kind == WL_EV_ARRIVE && ev->request < MAX_EV)
        t->arrive_mailbox[ev->request] = ev->mailbox;
}

static void on_start(void *ctx, struct sim *s, const struct stack *st)
{
    (void)st;
    ((struct tally *)ctx)->s = s;
}

static void on_stack(void *ctx, const struct stack_event *ev)
{
    struct tally *t = ctx;

    if (ev->kind == STACK_EV_CLOSE && t->nclosed < MAX_EV) {
        t->closed_at[t->nclosed] = sim_now(t->s);
        t->closed_port[t->nclosed++] = ev->conn.port;
    }
}

/* Run the scenario of 'sets' (after the common ones below), seed 1. */
static void run_sets(const char *const *sets, size_t n, struct tally *t, struct run_output *out)
{
    static const char *const common[] = {
        "stack.profile=win2000", "workload.arrivals=constant", "workload.service_dist=constant",
        "workload.servers=1",    "run.warmup=0",               "run.sample_interval=0",
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
    err_clear(&e);
    ck_assert_msg(scenario_load(&sc, NULL, all, k, &e) == 0, "scenario: %s", e.msg);
    memset(t, 0, sizeof(*t));
    memset(&opt, 0, sizeof(opt));
    opt.wl_obs = on_wl;
    opt.stack_obs = on_stack;
    opt.on_start = on_start;
    opt.obs_ctx = t;
    ck_assert_msg(run_once(&sc, 1, &opt, out, &e) == 0, "run: %s", e.msg);
    scenario_fini(&sc);
}

#define RUN(t, out, ...)                                                         \
    do {                                                                         \
        static const char *const sets_[] = {__VA_ARGS__};                        \
        run_sets(sets_, sizeof(sets_) / sizeof(sets_[0]), (t), (out));           \
    } while (0)

/* One mailbox, 1 request/s over [0, 10 s): requests at t = 0, 1, ..., 9.
 * Service 0.5 s; the connection stays open 2 s after its last request.
 * t = 0: miss, connect, served at 0.5, idle until 2.5.  t = 1 .. 9: the
 * connection is idle (closed only 2.5 s after a request): hit.  The last one
 * is served at 9.5; its idle close at 11.5 is after the run.
 * requests 10, hits 9, misses 1, connects 1, served 10, idle closes 0. */
START_TEST(test_cache_hit)
{
    struct tally t;
    struct run_output out;

    RUN(&t, &out, "workload.mailboxes=1", "workload.rate=1", "workload.service_time=0.5s",
        "workload.cache_ttl=2s", "run.duration=10s");
    ck_assert_uint_eq(out.m.requests, 10);
    ck_assert_uint_eq(out.m.cache_hits, 9);
    ck_assert_uint_eq(out.m.connect_attempts, 1);
    ck_assert_uint_eq(out.m.connects, 1);
    ck_assert_uint_eq(t.n[WL_EV_HIT], 9);
    ck_assert_uint_eq(t.n[WL_EV_MISS], 1);
    ck_assert_uint_eq(t.n[WL_EV_SERVED], 10);
    ck_assert_uint_eq(t.n[WL_EV_IDLE_CLOSE], 0);
    ck_assert_uint_eq(out.m.requests_unfinished, 0);
    run_output_fini(&out);
}
END_TEST

/* The same, with cache_ttl 0.5 s and service 0.25 s: each connection is
 * served at k + 0.25 and closed idle at k + 0.75, before the next request at
 * k + 1: every request misses.  requests 10, hits 0, connects 10, idle
 * closes 10 (the last at 9.75 < 10), client TIME_WAIT 10 at the end. */
START_TEST(test_cache_miss_after_ttl)
{
    struct tally t;
    struct run_output out;

    RUN(&t, &out, "workload.mailboxes=1", "workload.rate=1", "workload.service_time=0.25s",
        "workload.cache_ttl=0.5s", "run.duration=10s");
    ck_assert_uint_eq(out.m.requests, 10);
    ck_assert_uint_eq(out.m.cache_hits, 0);
    ck_assert_uint_eq(out.m.connects, 10);
    ck_assert_uint_eq(t.n[WL_EV_MISS], 10);
    ck_assert_uint_eq(t.n[WL_EV_IDLE_CLOSE], 10);
    ck_assert_uint_eq(out.m.peak_time_wait, 10);
    ck_assert_uint_eq(out.m.peak_in_use, 1);
    run_output_fini(&out);
}
END_TEST

/* connection_limit 2, a new mailbox per request (1 request/s, t = 0..9),
 * service 0.5 s, cache_ttl 100 s (no idle close within the run).
 * t = 0: open A (1 open), idle at 0.5.  t = 1: open B (2 open), idle at 1.5;
 * the idle list, least recently used first: A, B.  t = 2: at the limit,
 * evict A (not B, the most recent), open C: list B, C.  t = k >= 2: evict
 * the mailbox of request k - 1 (t = k - 2).  requests 10, misses 10,
 * connects 10, evictions 8, waits 0, peak in use 2. */
START_TEST(test_lru_eviction)
{
    struct tally t;
    struct run_output out;
    unsigned evictions = 0;

    RUN(&t, &out, "workload.mailboxes=1000000", "workload.rate=1", "workload.service_time=0.5s",
        "workload.cache_ttl=100s", "workload.connection_limit=2", "run.duration=10s");
    ck_assert_uint_eq(out.m.cache_hits, 0);     /* every request a new mailbox */
    ck_assert_uint_eq(out.m.requests, 10);
    ck_assert_uint_eq(out.m.connects, 10);
    ck_assert_uint_eq(t.n[WL_EV_MISS], 10);
    ck_assert_uint_eq(t.n[WL_EV_EVICT], 8);
    ck_assert_uint_eq(t.n[WL_EV_WAIT], 0);
    ck_assert_uint_eq(out.m.peak_in_use, 2);
    for (unsigned i = 0; i < t.nev; i++) {
        if (t.ev[i].kind != WL_EV_EVICT)
            continue;
        /* evicted for request k: the mailbox of request k - 2 */
        ck_assert_uint_ge(t.ev[i].request, 3);
        ck_assert_uint_eq(t.ev[i].mailbox, t.arrive_mailbox[t.ev[i].request - 2]);
        evictions++;
    }
    ck_assert_uint_eq(evictions, 8);
    run_output_fini(&out);
}
END_TEST

/* connection_limit 1, a new mailbox per request at t = 0, 1, ..., 9,
 * service 2.4 s, cache_ttl 0 (closed when its last request is served): the
 * one connection is never idle, so requests 2..10 wait.  Each close lets the
 * first waiter in: request 1 served at 2.4, then 2 opens, served at 4.8,
 * 3 at 7.2, 4 at 9.6; request 5 opens at 9.6 and is in service at the end.
 * A waiter let in looks for its mailbox again and reports a second miss.
 * requests 10, misses 14 (10 on arrival, 4 when requests 2..5 are let in),
 * waits 9, connects 5, served 1, 2, 3, 4 in that order, unfinished 6. */
START_TEST(test_waiting_fifo)
{
    struct tally t;
    struct run_output out;
    uint64_t served[4];
    unsigned nserved = 0;

    RUN(&t, &out, "workload.mailboxes=1000000", "workload.rate=1", "workload.service_time=2.4s",
        "workload.cache_ttl=0", "workload.connection_limit=1", "run.duration=10s");
    ck_assert_uint_eq(out.m.cache_hits, 0);
    ck_assert_uint_eq(out.m.requests, 10);
    ck_assert_uint_eq(t.n[WL_EV_MISS], 14);
    ck_assert_uint_eq(t.n[WL_EV_WAIT], 9);
    ck_assert_uint_eq(t.n[WL_EV_EVICT], 0);
    ck_assert_uint_eq(out.m.connects, 5);
    ck_assert_uint_eq(out.m.connect_attempts, 5);
    ck_assert_uint_eq(t.n[WL_EV_SERVED], 4);
    ck_assert_uint_eq(out.m.requests_unfinished, 6);
    for (unsigned i = 0; i < t.nev; i++)
        if (t.ev[i].kind == WL_EV_SERVED && nserved < 4)
            served[nserved++] = t.ev[i].request;
    ck_assert_uint_eq(nserved, 4);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(served[i], i + 1);
    run_output_fini(&out);
}
END_TEST

/* One port (2000-2000), TIME_WAIT 240 s (win2000), a request every 10 s
 * (t = 0, 10) over [0, 20 s), service 0.1 s, cache_ttl 0, retries 3 after
 * 1 s, doubling.  Request 1 connects at 0 and closes at 0.1: the port is in
 * TIME_WAIT until 240.1.  Request 2 at 10 fails; retries at 11 (+1 s),
 * 13 (+2 s), 17 (+4 s) fail too; after the third retry it gives up at 17.
 * requests 2, connect() calls 5, connects 1, failures 4, retries 3,
 * requests failed 1, first failure at 10 s. */
START_TEST(test_retries_doubling_backoff)
{
    static const double until_s[] = {11, 13, 17};
    struct tally t;
    struct run_output out;
    unsigned k = 0;

    RUN(&t, &out, "stack.port_min=2000", "stack.port_max=2000", "workload.mailboxes=1",
        "workload.rate=0.1", "workload.service_time=0.1s", "workload.cache_ttl=0",
        "workload.retries=3", "workload.retry_backoff=1s", "run.duration=20s");
    ck_assert_uint_eq(out.m.requests, 2);
    ck_assert_uint_eq(out.m.connect_attempts, 5);
    ck_assert_uint_eq(out.m.connects, 1);
    ck_assert_uint_eq(out.m.connect_failures, 4);
    ck_assert_uint_eq(out.m.retries, 3);
    ck_assert_uint_eq(out.m.requests_failed, 1);
    ck_assert(out.m.has_first_failure);
    ck_assert_double_eq_tol(out.m.first_failure_time, 10.0, 1e-9);
    ck_assert_uint_eq(t.n[WL_EV_RETRY_LATER], 3);
    ck_assert_uint_eq(t.n[WL_EV_GIVE_UP], 1);
    for (unsigned i = 0; i < t.nev; i++) {
        if (t.ev[i].kind != WL_EV_RETRY_LATER)
            continue;
        ck_assert_uint_eq(t.ev[i].request, 2);
        ck_assert_uint_eq(t.ev[i].attempt, k + 1);
        ck_assert_int_eq(t.ev[i].until, simtime_from_s(until_s[k]));
        k++;
    }
    ck_assert_uint_eq(k, 3);
    run_output_fini(&out);
}
END_TEST

/* One port, one mailbox, one server, a request each second (t = 0..9),
 * service 0.1 s, cache_ttl 0, no retries; only workload.close differs.
 *   client: request 1 connects and leaves the port in client TIME_WAIT for
 *           240 s; requests 2..10 find no port: connects 1, failures 9.
 *   server: the server keeps TIME_WAIT, the client's port is free at once:
 *           connects 10, failures 0, client TIME_WAIT 0, server TIME_WAIT
 *           > 0.
 *   abort:  RST, no TIME_WAIT on either side: connects 10, failures 0. */
static const char *const close_modes[] = {"client", "server", "abort"};

START_TEST(test_close_modes)
{
    char mode[64];
    const char *sets[] = {
        "stack.port_min=2000",         "stack.port_max=2000",  "workload.mailboxes=1",
        "workload.rate=1",             "workload.service_time=0.1s", "workload.cache_ttl=0",
        "run.duration=10s",            mode,
    };
    struct tally t;
    struct run_output out;

    snprintf(mode, sizeof(mode), "workload.close=%s", close_modes[_i]);
    run_sets(sets, sizeof(sets) / sizeof(sets[0]), &t, &out);
    ck_assert_uint_eq(out.m.requests, 10);
    ck_assert_uint_eq(out.m.connect_attempts, 10);
    switch (_i) {
    case 0:
        ck_assert_uint_eq(out.m.connects, 1);
        ck_assert_uint_eq(out.m.connect_failures, 9);
        ck_assert_uint_eq(out.m.requests_failed, 9);
        ck_assert_uint_eq(out.m.peak_time_wait, 1);
        ck_assert_uint_eq(out.m.peak_server_time_wait, 0);
        ck_assert_double_eq_tol(out.m.first_failure_time, 1.0, 1e-9);
        break;
    case 1:
        ck_assert_uint_eq(out.m.connects, 10);
        ck_assert_uint_eq(out.m.connect_failures, 0);
        ck_assert_uint_eq(out.m.peak_time_wait, 0);
        ck_assert_uint_gt(out.m.peak_server_time_wait, 0);
        break;
    default:
        ck_assert_uint_eq(out.m.connects, 10);
        ck_assert_uint_eq(out.m.connect_failures, 0);
        ck_assert_uint_eq(out.m.peak_time_wait, 0);
        ck_assert_uint_eq(out.m.peak_server_time_wait, 0);
        break;
    }
    ck_assert_uint_eq(t.n[WL_EV_SERVED], out.m.connects);
    run_output_fini(&out);
}
END_TEST

/* ---- Pools (workload.pool_size) ---- */

/* Run 'sets' with arrivals from a trace of 'times' (CSV text). */
static void run_trace(const char *times, const char **sets, size_t n, struct tally *t,
                      struct run_output *out)
{
    char *dir = testutil_tmpdir();
    char *path = testutil_write(dir, "arrivals.csv", times);
    char file[600];
    const char *all[24];
    size_t k = 0;

    snprintf(file, sizeof(file), "workload.trace_file=%s", path);
    all[k++] = "workload.arrivals=trace";
    all[k++] = file;
    for (size_t i = 0; i < n && k < 24; i++)
        all[k++] = sets[i];
    run_sets(all, k, t, out);
    free(path);
    testutil_rmrf(dir);
    free(dir);
}

/* One pool of at most 2 idle connections, TTL 5 s, service 1 s, win2000
 * (sequential ports from 1025).  Arrivals at 0, 0, 0, 2 and 9 s.
 *   t = 0: three misses: A 1025, B 1026, C 1027, each busy until 1.
 *   t = 1: A back (pool A), B back (pool B A), C back to a pool holding 2
 *          idle: closed (pool_full, port 1027 at 1 s).
 *   t = 2: the 4th request takes B, the most recently returned (LIFO; FIFO
 *          would take A); B back at 3, idle until 8.
 *   t = 6: A, idle since 1, reaches the TTL: closed (1025 at 6 s).
 *   t = 8: B closed (1026 at 8 s).  t = 9: the pool is empty: miss, D 1028.
 * requests 5, hits 1, connects 4, pool_full 1, idle closes 2, peak in use 3. */
START_TEST(test_pool_lifo_surplus_ttl)
{
    const char *sets[] = {"workload.mailboxes=1", "workload.pool_size=2",
                          "workload.cache_ttl=5s", "workload.service_time=1s",
                          "run.duration=9.5s"};
    struct tally t;
    struct run_output out;

    run_trace("0\n0\n0\n2\n9\n", sets, sizeof(sets) / sizeof(sets[0]), &t, &out);
    ck_assert_uint_eq(out.m.requests, 5);
    ck_assert_uint_eq(out.m.cache_hits, 1);
    ck_assert_uint_eq(out.m.connects, 4);
    ck_assert_uint_eq(t.n[WL_EV_POOL_FULL], 1);
    ck_assert_uint_eq(t.n[WL_EV_IDLE_CLOSE], 2);
    ck_assert_uint_eq(out.m.peak_in_use, 3);
    ck_assert_uint_eq(t.nclosed, 3);
    ck_assert_uint_eq(t.closed_port[0], 1027);
    ck_assert_uint_eq(t.closed_at[0], 1000000000u);
    ck_assert_uint_eq(t.closed_port[1], 1025);
    ck_assert_uint_eq(t.closed_at[1], 6000000000u);
    ck_assert_uint_eq(t.closed_port[2], 1026);
    ck_assert_uint_eq(t.closed_at[2], 8000000000u);
    run_output_fini(&out);
}
END_TEST

/* At most pool_size idle per destination: 2 mailboxes (2 pools, servers 2),
 * pool_size 1, TTL 100 s; 4 requests at t = 0 each open a connection
 * (nothing idle yet) and are back at 1 s: each pool keeps 1 and closes the
 * rest, whichever mailboxes the 4 draws name: 2 kept if both pools were
 * named, so pool_full = 4 - pools named, and no idle close before 100 s. */
START_TEST(test_pool_per_destination)
{
    const char *sets[] = {"workload.mailboxes=2", "workload.servers=2",
                          "workload.pool_size=1", "workload.cache_ttl=100s",
                          "workload.service_time=1s", "run.duration=50s"};
    struct tally t;
    struct run_output out;
    unsigned named = 0, seen[2] = {0, 0};

    run_trace("0\n0\n0\n0\n", sets, sizeof(sets) / sizeof(sets[0]), &t, &out);
    for (unsigned k = 1; k <= 4; k++)
        seen[t.arrive_mailbox[k]] = 1;
    named = seen[0] + seen[1];
    ck_assert_uint_eq(out.m.connects, 4);
    ck_assert_uint_eq(t.n[WL_EV_POOL_FULL], 4 - named);
    ck_assert_uint_eq(t.n[WL_EV_IDLE_CLOSE], 0);
    ck_assert_uint_eq(t.nclosed, 4 - named);
    run_output_fini(&out);
}
END_TEST

/* The pool outlives the NAT: pool_size 2, TTL 600 s, an Azure NAT gateway
 * (idle timeout 240 s), service 1 s.  Arrivals 0, 0, 100, 300, 300:
 *   t = 0: A and B open (2 flows), back at 1 (pool B A).
 *   t = 100: takes B (LIFO), back at 101 (pool B A; A idle since 1).
 *   t = 300: takes B (idle 199 s < 240: alive, a hit); the next takes A,
 *            idle 299 s: the NAT dropped it, the request meets an RST
 *            (pool_resets 1) and opens C (flow 3).
 * requests 5, hits 2, connects 3, NAT flows 3, pool_resets 1. */
START_TEST(test_pool_nat_idle_reset)
{
    const char *sets[] = {"stack.profile=linux", "workload.mailboxes=1",
                          "workload.pool_size=2", "workload.cache_ttl=600s",
                          "workload.service_time=1s", "run.duration=310s",
                          "nat.profile=azure-natgw", "stack.connect_cost=0",
                          "stack.candidate_cost=0", "stack.lookup_cost=0"};
    struct tally t;
    struct run_output out;

    run_trace("0\n0\n100\n300\n300\n", sets, sizeof(sets) / sizeof(sets[0]), &t, &out);
    ck_assert_uint_eq(out.m.requests, 5);
    ck_assert_uint_eq(out.m.cache_hits, 2);
    ck_assert_uint_eq(out.m.connects, 3);
    ck_assert_uint_eq(out.nat.total.nat_flows, 3);
    ck_assert_uint_eq(out.nat.pool_resets, 1);
    ck_assert_uint_eq(out.m.requests_failed, 0);
    run_output_fini(&out);
}
END_TEST

/* pool_size takes 0..1000000; the message names the key, the value and
 * what is allowed. */
START_TEST(test_pool_size_rejected)
{
    static const char *const bad[] = {"-1", "1000001", "2.5", "many"};
    struct scenario sc;
    struct err e;
    char set[64];
    const char *sets[1] = {set};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(set, sizeof(set), "workload.pool_size=%s", bad[i]);
        err_clear(&e);
        ck_assert_int_ne(scenario_load(&sc, NULL, sets, 1, &e), 0);
        ck_assert_msg(strstr(e.msg, "workload.pool_size") && strstr(e.msg, bad[i]) &&
                      strstr(e.msg, "0..1000000"), "%s", e.msg);
    }
}
END_TEST

Suite *workload_suite(void)
{
    Suite *s = suite_create("workload");
    TCase *tc = tcase_create("cache");

    tcase_add_test(tc, test_cache_hit);
    tcase_add_test(tc, test_cache_miss_after_ttl);
    tcase_add_test(tc, test_lru_eviction);
    tcase_add_test(tc, test_waiting_fifo);
    tcase_add_test(tc, test_retries_doubling_backoff);
    tcase_add_loop_test(tc, test_close_modes, 0, 3);
    suite_add_tcase(s, tc);
    tc = tcase_create("pool");
    tcase_add_test(tc, test_pool_lifo_surplus_ttl);
    tcase_add_test(tc, test_pool_per_destination);
    tcase_add_test(tc, test_pool_nat_idle_reset);
    tcase_add_test(tc, test_pool_size_rejected);
    suite_add_tcase(s, tc);
    return s;
}
