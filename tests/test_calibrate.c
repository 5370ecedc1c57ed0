/* test_calibrate.c - the pure logic of 'portsim calibrate': which scenarios
 * a kernel run accepts, the arrival schedule (the simulation's own), lines
 * of /proc/net/tcp, and the metrics made from a kernel run's observations. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/calibrate.h"
#include "models/run.h"
#include "tests/suites.h"

static const char *const linux_narrow[] = {
    "stack.profile=linux", "stack.port_min=40000", "stack.port_max=40099",
    "workload.arrivals=constant", "workload.rate=10", "run.duration=20",
    "run.sample_interval=0.25", "workload.mailboxes=1000000"};
#define NLN (sizeof(linux_narrow) / sizeof(linux_narrow[0]))

/* Load the narrow Linux scenario plus 'extra' (may be NULL). */
static void load(struct scenario *sc, const char *extra)
{
    const char *sets[NLN + 1];
    struct err e;

    memcpy(sets, linux_narrow, sizeof(linux_narrow));
    sets[NLN] = extra;
    err_clear(&e);
    ck_assert_msg(scenario_load(sc, NULL, sets, NLN + (extra != NULL), &e) == 0, "%s", e.msg);
}

START_TEST(check_accepts_and_refuses)
{
    static const char *const refused[] = {
        "stack.profile=win2000", "stack.time_wait=30", "stack.reuse_time_wait=any",
        "workload.cache_ttl=1", "workload.retries=2", "run.warmup=1",
        "run.duration=121", "workload.arrivals=diurnal", "workload.servers=201",
        "stack.local_addresses=2"};
    struct scenario sc;
    struct err e;

    load(&sc, NULL);
    err_clear(&e);
    ck_assert_int_eq(calibrate_check(&sc, &e), 0);
    scenario_fini(&sc);
    load(&sc, "stack.reuse_time_wait=after-delay");
    ck_assert_int_eq(calibrate_check(&sc, &e), 0);
    scenario_fini(&sc);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        char key[64];

        load(&sc, refused[i]);
        err_clear(&e);
        ck_assert_int_eq(calibrate_check(&sc, &e), PS_EINVAL);
        snprintf(key, sizeof(key), "'%.*s'", (int)strcspn(refused[i], "="), refused[i]);
        ck_assert_msg(strstr(e.msg, key) != NULL, "%s: %s", refused[i], e.msg);
        scenario_fini(&sc);
    }
}
END_TEST

START_TEST(schedule_constant_round_robin)
{
    struct scenario sc;
    struct cal_request *r;
    size_t n;
    struct err e;

    load(&sc, "workload.servers=4");
    err_clear(&e);
    ck_assert_int_eq(calibrate_schedule(&sc, 1, &r, &n, &e), 0);
    ck_assert_uint_eq(n, 200);
    ck_assert_uint_eq(r[0].t, 0);
    ck_assert_uint_eq(r[100].t, 10 * SIMTIME_NS_PER_S);     /* attempt 101 at 10.0 s */
    ck_assert_uint_eq(r[199].t, 19900000000u);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(r[i].server, i % 4);
        ck_assert_uint_eq(r[i].service, 50000000u);
    }
    free(r);
    scenario_fini(&sc);
}
END_TEST

/* A Poisson schedule is the simulation's: the same arrivals in every sample
 * interval as a simulated run of the same scenario and seed. */
START_TEST(schedule_poisson_matches_simulation)
{
    struct scenario sc;
    struct cal_request *r;
    struct run_output out;
    size_t n, j = 0;
    struct err e;

    load(&sc, "workload.arrivals=poisson");
    err_clear(&e);
    ck_assert_int_eq(calibrate_schedule(&sc, 7, &r, &n, &e), 0);
    ck_assert_int_eq(run_once(&sc, 7, NULL, &out, &e), 0);
    ck_assert_uint_eq(n, out.m.requests);
    for (size_t k = 0; k < out.nsamples; k++) {
        uint32_t count = 0;

        for (; j < n && r[j].t <= out.samples[k].t; j++)
            count++;
        ck_assert_uint_eq(count, out.samples[k].requests);
    }
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_gt(r[i].t, r[i - 1].t);
    run_output_fini(&out);
    free(r);
    scenario_fini(&sc);
}
END_TEST

START_TEST(schedule_bounded)
{
    struct scenario sc;
    struct cal_request *r;
    size_t n;
    struct err e;

    load(&sc, "workload.rate=200");     /* 4,000 in 20 s: fine */
    err_clear(&e);
    ck_assert_int_eq(calibrate_schedule(&sc, 1, &r, &n, &e), 0);
    ck_assert_uint_eq(n, 4000);
    free(r);
    scenario_fini(&sc);
    load(&sc, "workload.rate=1001");    /* 20,020 in 20 s: refused */
    ck_assert_int_eq(calibrate_schedule(&sc, 1, &r, &n, &e), PS_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(e.msg, "20000"));
    scenario_fini(&sc);
}
END_TEST

START_TEST(procnet_lines)
{
    static const char text[] =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100C90A:9C40 0200C90A:008F 06 00000000:00000000 03:00000DAC 00000000     0"
        "        0 0 3 0000000000000000\n"
        "   1: 0100C90A:9C41 0200C90A:008F 01 00000000:00000000 00:00000000 00000000     0"
        "        0 12345 1 0000000000000000 20 4 30 10 -1\n"
        "  12: 0100C90A:9C42 0300C90A:008F 06 00000000:00000000 03:00001770 00000000     0"
        "        0 0 3 0000000000000000\n"
        "garbage\n";
    struct procnet_entry x;

    ck_assert(!calibrate_procnet_line(text, &x));          /* the header */
    ck_assert(calibrate_procnet_line(strchr(text, '\n') + 1, &x));
    ck_assert_uint_eq(x.local_addr, 0x0ac90001u);          /* 10.201.0.1 */
    ck_assert_uint_eq(x.local_port, 40000);
    ck_assert_uint_eq(x.remote_addr, 0x0ac90002u);         /* 10.201.0.2 */
    ck_assert_uint_eq(x.remote_port, 143);
    ck_assert_uint_eq(x.state, PROCNET_TIME_WAIT);
    ck_assert(!calibrate_procnet_line("", &x));
    ck_assert(!calibrate_procnet_line("   0: 0100C90A:9C40", &x));
    ck_assert_uint_eq(calibrate_procnet_time_wait(text), 2);
    ck_assert_uint_eq(calibrate_procnet_time_wait(""), 0);
}
END_TEST

START_TEST(metrics_from_observations)
{
    struct scenario sc;
    struct cal_attempt a[4] = {
        {.t_sched = 0, .t_call = 1000, .err = 0, .port = 40000, .done = true},
        {.t_sched = 100000000, .t_call = 100002000, .err = 0, .port = 40002, .done = true},
        {.t_sched = 200000000, .t_call = 200003000, .err = EADDRNOTAVAIL, .done = true},
        {.t_sched = 300000000, .t_call = 300001000, .err = ECONNREFUSED, .done = true}};
    struct cal_tick t[2] = {{.t = 0, .time_wait = 0, .in_use = 1},
                            {.t = 250000000, .time_wait = 2, .server_time_wait = 1}};
    struct cal_observed o = {.attempts = a, .nattempts = 4, .ticks = t, .nticks = 2,
                             .peak_in_use = 1, .in_use_area = 2.0, .unfinished = 0};
    struct run_metrics m;
    struct run_sample *s;
    size_t ns;
    uint64_t other, first;

    load(&sc, NULL);
    calibrate_metrics(&sc, &o, &m, &s, &ns, &other, &first);
    ck_assert_uint_eq(m.requests, 4);
    ck_assert_uint_eq(m.connect_attempts, 4);
    ck_assert_uint_eq(m.connects, 2);
    ck_assert_uint_eq(m.connect_failures, 2);
    ck_assert_uint_eq(m.failures_exhausted, 1);
    ck_assert_uint_eq(m.failures_collision, 0);
    ck_assert_uint_eq(other, 1);
    ck_assert_uint_eq(first, 3);
    ck_assert(m.has_first_failure);
    ck_assert_double_eq_tol(m.first_failure_time, 0.200003, 1e-12);
    ck_assert_uint_eq(m.peak_time_wait, 2);
    ck_assert_double_eq_tol(m.mean_time_wait, 1.0, 1e-12);
    ck_assert_uint_eq(m.peak_server_time_wait, 1);
    ck_assert_double_eq_tol(m.mean_in_use, 0.1, 1e-12);   /* 2 port-s over 20 s */
    ck_assert_uint_eq(ns, 2);
    ck_assert_uint_eq(s[0].requests, 1);                    /* arrival at 0 */
    ck_assert_uint_eq(s[0].connects, 1);
    ck_assert_uint_eq(s[1].requests, 2);                    /* 0.1 and 0.2 s */
    ck_assert_uint_eq(s[1].connects, 1);
    ck_assert_uint_eq(s[1].failures, 1);
    ck_assert_uint_eq(s[1].time_wait, 2);
    free(s);
    scenario_fini(&sc);
}
END_TEST

Suite *calibrate_suite(void)
{
    Suite *s = suite_create("calibrate");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, check_accepts_and_refuses);
    tcase_add_test(tc, schedule_constant_round_robin);
    tcase_add_test(tc, schedule_poisson_matches_simulation);
    tcase_add_test(tc, schedule_bounded);
    tcase_add_test(tc, procnet_lines);
    tcase_add_test(tc, metrics_from_observations);
    suite_add_tcase(s, tc);
    return s;
}
