/* test_theory.c - the closed form: pool sizes, sustainable rates, Erlang B
 * against published values, the inverse, and the notes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/theory_text.h"
#include "models/theory.h"
#include "models/profiles.h"
#include "tests/suites.h"

/* A scenario as the reader would resolve it, built by hand: the profile's
 * stack defaults and a plain Poisson workload (one connection per request,
 * no service time, one server, the client closes). */
static struct scenario_params params_for(enum profile_id id, double rate)
{
    struct scenario_params p;

    memset(&p, 0, sizeof(p));
    p.stack = profile_get(id)->defaults;
    p.run.duration_ns = 3600 * SIMTIME_NS_PER_S;
    p.run.replications = 1;
    p.workload.arrivals = ARRIVALS_POISSON;
    p.workload.rate_per_s = rate;
    p.workload.mailboxes = 1000;
    p.workload.popularity = POPULARITY_UNIFORM;
    p.workload.zipf_s = 1.0;
    p.workload.service_dist = SERVICE_CONSTANT;
    p.workload.servers = 1;
    p.workload.close = CLOSE_CLIENT;
    return p;
}

static struct theory compute(const struct scenario_params *p)
{
    struct theory t;
    struct err e;

    err_clear(&e);
    ck_assert_msg(theory_compute(p, &t, &e) == 0, "theory_compute: %s", e.msg);
    return t;
}

static char *print_to_string(const struct scenario_params *p, const struct theory *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    theory_text_print(f, p, t);
    fclose(f);
    return buf;
}

/* ---- core: the articles' numbers ---- */

START_TEST(test_win2000_defaults)
{
    struct scenario_params p = params_for(PROFILE_WIN2000, 10.0);
    struct theory t = compute(&p);
    char *out;

    ck_assert_uint_eq(t.ports, 3976);           /* 1025..5000 */
    ck_assert_uint_eq(t.pools, 1);
    ck_assert_uint_eq(t.groups, 1);
    ck_assert_uint_eq(t.n, 3976);
    ck_assert_double_eq_tol(t.holding_s, 240.0, 1e-12);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 3976.0 / 240.0, 1e-9);   /* 16.567 */
    ck_assert_double_eq_tol(t.offered_erlangs, 2400.0, 1e-9);
    ck_assert(t.blocking < 1e-12);              /* 2,400 Erlangs on 3,976 ports */
    ck_assert(isinf(t.exhaustion_s));
    ck_assert_double_eq_tol(t.time_wait_population, 2400.0, 1e-6);     /* Little */
    ck_assert_uint_eq(t.flags, 0);
    ck_assert_str_eq(t.note, "");
    out = print_to_string(&p, &t);
    ck_assert_msg(strstr(out, "3,976 ports (1025-5000) / 240 s TIME_WAIT = 16.57 "
                              "connections/s sustainable") != NULL, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "WSAEADDRINUSE (10048)"));
    free(out);
}
END_TEST

START_TEST(test_win2000_overloaded)
{
    /* The KB 319502 story: 40 opens/s on a 16.57/s pool. */
    struct scenario_params p = params_for(PROFILE_WIN2000, 40.0);
    struct theory t = compute(&p);

    ck_assert_double_eq_tol(t.offered_erlangs, 9600.0, 1e-9);
    ck_assert_double_eq_tol(t.exhaustion_s, 3976.0 / 40.0, 1e-9);     /* 99.4 s */
    /* Far past N, Erlang B tends to 1 - N/A = 0.5858; it is a little above. */
    ck_assert(t.blocking > 1.0 - 3976.0 / 9600.0 && t.blocking < 0.6);
    ck_assert_double_eq_tol(t.blocking_fluid, 1.0 - 3976.0 / 9600.0, 1e-12);
    ck_assert_double_eq_tol(t.carried_rate_per_s, 40.0 * (1.0 - t.blocking), 1e-9);
}
END_TEST

START_TEST(test_linux_one_server)
{
    struct scenario_params p = params_for(PROFILE_LINUX, 100.0);
    struct theory t;

    p.stack.timer_tick_ns = 0;                  /* the plain 60 s of the facts table */
    t = compute(&p);
    ck_assert_uint_eq(t.ports, 28232);
    ck_assert_uint_eq(t.groups, 1);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 28232.0 / 60.0, 1e-9);  /* 470.53 */

    /* The profile's 2.048 s tick holds a port 1.024 s longer on average. */
    p = params_for(PROFILE_LINUX, 100.0);
    t = compute(&p);
    ck_assert_double_eq_tol(t.time_wait_s, 61.024, 1e-9);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 28232.0 / 61.024, 1e-9);
}
END_TEST

START_TEST(test_per_destination_servers)
{
    /* Linux, 4 servers, 1000 mailboxes: each server gets a quarter of the
     * opens and its own copy of the pool, so the host sustains 4 times more. */
    struct scenario_params p = params_for(PROFILE_LINUX, 100.0);
    struct theory t;

    p.stack.timer_tick_ns = 0;
    p.workload.servers = 4;
    t = compute(&p);
    ck_assert_uint_eq(t.groups, 4);
    ck_assert_uint_eq(t.n, 28232);
    ck_assert_double_eq_tol(t.busiest_share, 0.25, 1e-15);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 4 * 28232.0 / 60.0, 1e-9);
    ck_assert(!(t.flags & THEORY_UNEVEN));

    /* 10 mailboxes on 4 servers: 3, 3, 2, 2 mailboxes; the busiest has 30 %. */
    p.workload.mailboxes = 10;
    p.workload.rate_per_s = 2000.0;
    t = compute(&p);
    ck_assert_double_eq_tol(t.busiest_share, 0.3, 1e-15);
    ck_assert(t.flags & THEORY_UNEVEN);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 28232.0 / 60.0 / 0.3, 1e-9);
    /* Blocking = 2 x 0.3 B(N, 0.3 A) + 2 x 0.2 B(N, 0.2 A). */
    ck_assert_double_eq_tol(t.blocking,
                            0.6 * theory_erlang_b(28232, 0.3 * 120000.0) +
                                0.4 * theory_erlang_b(28232, 0.2 * 120000.0), 1e-12);
    ck_assert_double_eq_tol(t.exhaustion_s, 28232.0 / (2000.0 * 0.3), 1e-9);

    /* Zipf: mailbox 0 weighs most; server 0 gets mailboxes 0, 4, 8. */
    p.workload.popularity = POPULARITY_ZIPF;
    t = compute(&p);
    {
        double h = 0.0, s0 = 1.0 + 1.0 / 5 + 1.0 / 9;

        for (int i = 1; i <= 10; i++)
            h += 1.0 / i;
        ck_assert_double_eq_tol(t.busiest_share, s0 / h, 1e-12);
    }
}
END_TEST

START_TEST(test_exclusive_pools)
{
    /* macOS with one pool per local address (bind(addr, 0); connect() alone
     * binds host-wide): 2 addresses, N doubles. */
    struct scenario_params p = params_for(PROFILE_MACOS, 100.0);
    struct theory t;

    p.stack.pool = POOL_PER_ADDRESS;
    p.stack.local_addresses = 2;
    p.workload.servers = 8;                     /* exclusive: servers change nothing */
    t = compute(&p);
    ck_assert_uint_eq(t.ports, 16384);
    ck_assert_uint_eq(t.pools, 2);
    ck_assert_uint_eq(t.groups, 1);
    ck_assert_uint_eq(t.n, 32768);
    ck_assert_double_eq_tol(t.sustainable_rate_per_s, 32768.0 / 30.0, 1e-9);
}
END_TEST

/* ---- edge: closes, zero TIME_WAIT, reserved ports ---- */

START_TEST(test_holding_by_close)
{
    struct scenario_params p = params_for(PROFILE_WIN2000, 10.0);
    struct theory t;

    p.workload.service_time_ns = 50 * 1000000u;         /* 50 ms */
    t = compute(&p);
    ck_assert_double_eq_tol(t.holding_s, 240.05, 1e-9);
    p.workload.close = CLOSE_SERVER;
    t = compute(&p);
    ck_assert_double_eq_tol(t.holding_s, 0.05, 1e-12);
    ck_assert_double_eq(t.time_wait_population, 0.0);
    ck_assert_double_eq_tol(t.server_time_wait_population, 10.0 * 240.0, 1e-6);
    p.workload.close = CLOSE_ABORT;
    t = compute(&p);
    ck_assert_double_eq_tol(t.holding_s, 0.05, 1e-12);
    p.workload.close = CLOSE_CLIENT;
    p.stack.time_wait_ns = 0;
    p.stack.timer_tick_ns = 1000000000u;                /* no TIME_WAIT, no tick */
    t = compute(&p);
    ck_assert_double_eq_tol(t.holding_s, 0.05, 1e-12);
    p.workload.service_time_ns = 0;
    t = compute(&p);
    ck_assert(isinf(t.sustainable_rate_per_s));
    ck_assert(isinf(t.exhaustion_s));
    ck_assert(t.flags & THEORY_NO_HOLD);
    ck_assert_double_eq(t.blocking, 0.0);
}
END_TEST

START_TEST(test_reserved_ports)
{
    struct scenario_params p = params_for(PROFILE_WIN2000, 10.0);
    struct theory t;
    struct err e;

    /* 1000-1099 overlaps the range in 1025-1099 (75 ports); 1050-1149
     * overlaps that and adds 1100-1149 (50 more); 6000-7000 is outside. */
    p.stack.nreserved = 3;
    p.stack.reserved[0] = (struct port_range){1000, 1099};
    p.stack.reserved[1] = (struct port_range){1050, 1149};
    p.stack.reserved[2] = (struct port_range){6000, 7000};
    t = compute(&p);
    ck_assert_uint_eq(t.reserved, 125);
    ck_assert_uint_eq(t.ports, 3976 - 125);

    p.stack.nreserved = 1;
    p.stack.reserved[0] = (struct port_range){1, 65535};
    err_clear(&e);
    ck_assert_int_eq(theory_compute(&p, &t, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "reserved_ports"));
}
END_TEST

/* ---- oracle: Erlang B against published values ---- */

START_TEST(test_erlang_b_values)
{
    ck_assert_double_eq_tol(theory_erlang_b(10, 5.0), 0.01838, 0.000005);
    ck_assert_double_eq_tol(theory_erlang_b(1, 1.0), 0.5, 1e-15);
    ck_assert_double_eq_tol(theory_erlang_b(100, 80.0), 0.004, 0.00005);
    ck_assert_double_eq_tol(theory_erlang_b(100, 80.0), 0.0039920286, 1e-9);
    ck_assert_double_eq(theory_erlang_b(0, 3.0), 1.0);
    ck_assert_double_eq(theory_erlang_b(5, 0.0), 0.0);
    ck_assert_double_eq_tol(theory_erlang_b(3976, 3976.0), 0.01254757, 1e-7);
}
END_TEST

START_TEST(test_erlang_b_large)
{
    /* 10,000 servers at 9,000 Erlangs: 2.0916e-26 (mpmath, 30 digits); the
     * naive formula A^n/n! overflows long before. */
    double b = theory_erlang_b(10000, 9000.0);

    ck_assert(isfinite(b));
    ck_assert_double_eq_tol(b / 2.09161979441929e-26, 1.0, 1e-9);
    /* Past capacity it tends to 1 - n/A. */
    b = theory_erlang_b(10000, 100000.0);
    ck_assert(isfinite(b) && b > 0.9 && b < 0.91);
}
END_TEST

START_TEST(test_rate_for_blocking)
{
    double r = theory_rate_for_blocking(10, 1.0, theory_erlang_b(10, 5.0));

    ck_assert_double_eq_tol(r, 5.0, 1e-9);
    /* 2 s holding: half the rate. */
    ck_assert_double_eq_tol(theory_rate_for_blocking(10, 2.0, theory_erlang_b(10, 5.0)), 2.5,
                            1e-9);
    /* Round trip on the win2000 pool at 1 % blocking. */
    r = theory_rate_for_blocking(3976, 240.0, 0.01);
    ck_assert_double_eq_tol(theory_erlang_b(3976, r * 240.0), 0.01, 1e-9);
    ck_assert(r < 3976.0 / 240.0);
    ck_assert_double_eq(theory_rate_for_blocking(10, 1.0, 0.0), 0.0);
    ck_assert(isinf(theory_rate_for_blocking(10, 1.0, 1.0)));
}
END_TEST

/* ---- core: the notes ---- */

START_TEST(test_notes)
{
    struct scenario_params p = params_for(PROFILE_WIN2000, 40.0);
    struct theory t;
    char *out;

    p.workload.cache_ttl_ns = 60 * SIMTIME_NS_PER_S;
    t = compute(&p);
    ck_assert(t.flags & THEORY_CACHED);
    ck_assert_ptr_nonnull(strstr(t.note, "cache_ttl > 0"));
    ck_assert_ptr_nonnull(strstr(t.note, "upper bound"));
    ck_assert_double_eq_tol(t.holding_s, 300.0, 1e-9);          /* 60 s idle + 240 s */
    /* 1000 mailboxes at 0.04/s, each keeps its connection for 60 s of quiet:
     * opens at 40 e^{-2.4} = 3.63/s. */
    ck_assert_double_eq_tol(t.cached_open_rate_per_s, 40.0 * exp(-2.4), 1e-9);

    p = params_for(PROFILE_WIN2003, 40.0);
    t = compute(&p);
    ck_assert(t.flags & THEORY_REUSE);
    ck_assert(t.flags & THEORY_COLLISION);
    ck_assert_ptr_nonnull(strstr(t.note, "when-exhausted"));
    ck_assert_ptr_nonnull(strstr(t.note, "lower bound"));

    p = params_for(PROFILE_WIN2000, 40.0);
    p.workload.retries = 3;
    t = compute(&p);
    ck_assert(t.flags & THEORY_RETRIES);
    ck_assert_ptr_nonnull(strstr(t.note, "retries = 3"));

    p = params_for(PROFILE_WIN2000, 40.0);
    p.workload.arrivals = ARRIVALS_CONSTANT;
    p.workload.connection_limit = 50;
    t = compute(&p);
    ck_assert(t.flags & THEORY_CONSTANT);
    ck_assert(t.flags & THEORY_CONN_LIMIT);
    ck_assert_ptr_nonnull(strstr(t.note, "exact"));
    ck_assert_double_eq_tol(t.carried_rate_per_s, 3976.0 / 240.0, 1e-9);
    out = print_to_string(&p, &t);
    ck_assert_ptr_nonnull(strstr(out, "notes:\n  - "));
    ck_assert_ptr_nonnull(strstr(out, "runs out after 99.4 s"));
    free(out);

    p = params_for(PROFILE_WIN2000, 10.0);
    p.workload.arrivals = ARRIVALS_DIURNAL;
    p.workload.amplitude = 0.5;
    t = compute(&p);
    ck_assert(t.flags & THEORY_DIURNAL);
    ck_assert_double_eq_tol(t.peak_rate_per_s, 15.0, 1e-12);
}
END_TEST

/* Every profile, with every note on, prints within 100 columns. */
START_TEST(test_print_width)
{
    struct scenario_params p = params_for((enum profile_id)_i, 2000.0);
    struct theory t;
    char *out;
    const char *line, *nl;

    p.workload.servers = 3;
    p.workload.service_time_ns = 50 * 1000000u;
    p.workload.cache_ttl_ns = SIMTIME_NS_PER_S;
    p.workload.retries = 2;
    p.workload.connection_limit = 100;
    p.workload.arrivals = ARRIVALS_DIURNAL;
    p.workload.amplitude = 0.3;
    p.stack.max_time_wait = 1000;
    t = compute(&p);
    out = print_to_string(&p, &t);
    for (line = out; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
        ck_assert_msg(nl - line <= 100, "profile %d: line too wide: %.*s", _i,
                      (int)(nl - line), line);
    ck_assert_ptr_nonnull(strstr(out, "notes:"));
    free(out);
}
END_TEST

Suite *theory_suite(void)
{
    Suite *s = suite_create("theory");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *oracle = tcase_create("oracle");

    tcase_add_test(core, test_win2000_defaults);
    tcase_add_test(core, test_win2000_overloaded);
    tcase_add_test(core, test_linux_one_server);
    tcase_add_test(core, test_per_destination_servers);
    tcase_add_test(core, test_exclusive_pools);
    tcase_add_test(core, test_notes);
    tcase_add_test(edge, test_holding_by_close);
    tcase_add_test(edge, test_reserved_ports);
    tcase_add_loop_test(edge, test_print_width, 0, PROFILE_COUNT);
    tcase_add_test(oracle, test_erlang_b_values);
    tcase_add_test(oracle, test_erlang_b_large);
    tcase_add_test(oracle, test_rate_for_blocking);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, oracle);
    return s;
}
