/* test_run.c - whole runs against closed forms: the articles' arithmetic,
 * Erlang B, Little's law; determinism; the connection cache.
 *
 * Statistical checks use independent replications (seeds 1..R) and a 99 %
 * Student-t interval of their mean, wide enough never to flake, and every
 * message carries the seed.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "models/run.h"
#include "models/scenario.h"
#include "tests/suites.h"

/* Load a scenario from --set style assignments only (no file). */
static void load(struct scenario *sc, const char *const *sets, size_t n)
{
    struct err e;

    err_clear(&e);
    ck_assert_msg(scenario_load(sc, NULL, sets, n, &e) == 0, "scenario: %s", e.msg);
}

static void run(const struct scenario *sc, uint64_t seed, struct run_output *out)
{
    struct err e;

    err_clear(&e);
    ck_assert_msg(run_once(sc, seed, NULL, out, &e) == 0, "seed %llu: %s",
                  (unsigned long long)seed, e.msg);
}

/* ---- The articles' arithmetic: 3,976 ports / 240 s ---- */

static const char *const articles[] = {
    "stack.profile=win2000", "workload.arrivals=constant", "workload.cache_ttl=0",
    "workload.service_time=0", "workload.mailboxes=1", "workload.servers=1",
    "run.duration=1h", "run.sample_interval=1s",
};

START_TEST(test_articles_16_per_s_never_fails)
{
    const char *sets[16];
    struct scenario sc;
    struct run_output out;

    memcpy(sets, articles, sizeof(articles));
    sets[8] = "workload.rate=16";
    load(&sc, sets, 9);
    run(&sc, 1, &out);
    ck_assert_uint_eq(out.m.requests, 16 * 3600);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    ck_assert_uint_eq(out.m.connects, 16 * 3600);
    ck_assert(!out.m.has_first_failure);
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_articles_17_per_s_fails_at_attempt_3977)
{
    const char *sets[16];
    struct scenario sc;
    struct run_output out;
    uint64_t ok_after_480 = 0;
    double span;

    memcpy(sets, articles, sizeof(articles));
    sets[8] = "workload.rate=17";
    load(&sc, sets, 9);
    run(&sc, 1, &out);
    /* attempt k (k = 1..) is at (k - 1) / 17 s: attempt 3,977 at 3,976 / 17 s */
    ck_assert(out.m.has_first_failure);
    ck_assert_double_eq_tol(out.m.first_failure_time, 3976.0 / 17.0, 1e-9);
    ck_assert_uint_eq(out.fail_time_wait, 3976);
    /* from t = 480 s on, successes run at 3,976 per 240 s, within 1 % */
    for (size_t i = 0; i < out.nsamples; i++) {
        if (out.samples[i].t > simtime_from_s(480))
            ok_after_480 += out.samples[i].connects;
    }
    span = 3600.0 - 480.0 - 1.0;   /* samples cover (480 s + 1 s, 3599 s] */
    ck_assert_double_eq_tol((double)ok_after_480 / span, 3976.0 / 240.0, 3976.0 / 240.0 * 0.01);
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

/* ---- Erlang B: Poisson arrivals, 100 ports, holding time 60 s ---- */

static double erlang_b(unsigned n, double a)
{
    double b = 1.0;

    for (unsigned k = 1; k <= n; k++)
        b = a * b / (k + a * b);
    return b;
}

static const double loads[] = {80, 90, 100, 110};
static const char *const services[] = {"constant", "exponential"};

START_TEST(test_erlang_b)
{
    enum { REPS = 8 };
    double a = loads[_i % 4];
    const char *dist = services[_i / 4];
    char rate[64], svc[64], tw[64];
    const char *sets[16] = {
        "stack.profile=win2000", "stack.port_min=2000", "stack.port_max=2099",
        "workload.arrivals=poisson", "workload.cache_ttl=0", "workload.mailboxes=100000",
        "run.duration=60000s", "run.warmup=600s", "run.sample_interval=0", rate, svc, tw,
        "workload.service_dist=exponential",
    };
    double share[REPS], mean, sd, half, b = erlang_b(100, a);
    struct scenario sc;

    /* constant: holding = 60 s of TIME_WAIT; exponential: 30 s of service
     * (exponential) + 30 s of TIME_WAIT: the same 60 s mean */
    snprintf(rate, sizeof(rate), "workload.rate=%.17g", a / 60.0);
    snprintf(svc, sizeof(svc), "workload.service_time=%s", _i / 4 ? "30s" : "0");
    snprintf(tw, sizeof(tw), "stack.time_wait=%s", _i / 4 ? "30s" : "60s");
    load(&sc, sets, _i / 4 ? 13 : 12);
    for (unsigned r = 0; r < REPS; r++) {
        struct run_output out;

        run(&sc, r + 1, &out);
        share[r] = (double)out.m.connect_failures / (double)out.m.connect_attempts;
        run_output_fini(&out);
    }
    mean = gsl_stats_mean(share, 1, REPS);
    sd = gsl_stats_sd(share, 1, REPS);
    half = gsl_cdf_tdist_Pinv(0.995, REPS - 1) * sd / sqrt(REPS);
    ck_assert_msg(fabs(mean - b) <= half, "%s, A = %g: simulated %.5f +- %.5f, Erlang B %.5f",
                  dist, a, mean, half, b);
    scenario_fini(&sc);
}
END_TEST

/* ---- Little's law: mean TIME_WAIT = close rate x time_wait ---- */

START_TEST(test_littles_law)
{
    const char *sets[] = {
        "stack.profile=linux", "workload.arrivals=poisson", "workload.rate=50",
        "workload.cache_ttl=0", "workload.mailboxes=100000", "workload.servers=4",
        "workload.service_time=0.2", "run.duration=7200s", "run.warmup=300s",
        "stack.timer_tick=0",
    };
    struct scenario sc;
    struct run_output out;
    double closes_per_s;

    load(&sc, sets, sizeof(sets) / sizeof(sets[0]));
    run(&sc, 11, &out);
    ck_assert_uint_eq(out.m.connect_failures, 0);
    closes_per_s = (double)out.m.connects / (7200.0 - 300.0);
    ck_assert_msg(fabs(out.m.mean_time_wait - closes_per_s * 60.0) <= 0.01 * closes_per_s * 60.0,
                  "seed 11: mean TIME_WAIT %.2f, close rate x 60 s = %.2f", out.m.mean_time_wait,
                  closes_per_s * 60.0);
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

/* ---- Determinism ---- */

START_TEST(test_same_seed_same_digest_and_metrics)
{
    struct scenario sc;
    struct run_output a, b, c, h;
    struct run_options heap = {.queue = EVQ_HEAP};
    struct err e;
    const char *sets[] = {"run.duration=600s", "workload.rate=40", "workload.cache_ttl=1s",
                          "workload.mailboxes=2000", "workload.service_dist=exponential",
                          "workload.retries=2"};

    load(&sc, sets, 6);
    run(&sc, 5, &a);
    run(&sc, 5, &b);
    run(&sc, 6, &c);
    ck_assert_int_eq(run_once(&sc, 5, &heap, &h, &e), 0);
    a.m.wall_seconds = b.m.wall_seconds = h.m.wall_seconds = 0;
    ck_assert_uint_eq(a.m.digest, b.m.digest);
    ck_assert_int_eq(memcmp(&a.m, &b.m, sizeof(a.m)), 0);
    ck_assert_uint_eq(a.nsamples, b.nsamples);
    ck_assert_int_eq(memcmp(a.samples, b.samples, a.nsamples * sizeof(*a.samples)), 0);
    ck_assert_uint_eq(a.m.digest, h.m.digest);      /* the queue does not matter */
    ck_assert_uint_ne(a.m.digest, c.m.digest);
    run_output_fini(&a);
    run_output_fini(&b);
    run_output_fini(&c);
    run_output_fini(&h);
    scenario_fini(&sc);
}
END_TEST

/* ---- Watching a run (issue 13) ---- */

struct watch_count {
    unsigned calls, stop_at;        /* stop at call 'stop_at' (0: never) */
    uint64_t events_seen[8];
};

static bool count_watch(void *ctx, const struct sim *s)
{
    struct watch_count *w = ctx;

    if (w->calls < 8)
        w->events_seen[w->calls] = sim_events(s);
    return ++w->calls == w->stop_at;
}

/* A watcher that only looks changes nothing (digest, metrics, samples); it
 * is called every 1000 events exactly; one that stops at its 3rd call ends
 * the run after exactly 3000 events, truncated at the time it reached. */
START_TEST(test_watch_keeps_determinism_and_truncates)
{
    struct scenario sc;
    struct run_output a, b, c;
    struct watch_count look = {0, 0, {0}}, stop = {0, 3, {0}};
    struct run_options wl = {.queue = EVQ_WHEEL, .watch = count_watch, .watch_ctx = &look,
                             .watch_every = 1000};
    struct run_options ws = wl;
    struct err e;
    const char *sets[] = {"run.duration=600s", "workload.rate=40"};

    ws.watch_ctx = &stop;
    load(&sc, sets, 2);
    run(&sc, 5, &a);
    ck_assert_int_eq(run_once(&sc, 5, &wl, &b, &e), 0);
    ck_assert_int_eq(run_once(&sc, 5, &ws, &c, &e), 0);
    a.m.wall_seconds = b.m.wall_seconds = 0;
    ck_assert_int_eq(memcmp(&a.m, &b.m, sizeof(a.m)), 0);
    ck_assert_uint_eq(a.nsamples, b.nsamples);
    ck_assert_int_eq(memcmp(a.samples, b.samples, a.nsamples * sizeof(*a.samples)), 0);
    ck_assert(!a.truncated && !b.truncated);
    ck_assert_uint_eq(b.stopped_at, sc.p.run.duration_ns);
    /* 40/s x 600 s x ~2.4 events: some 57,000 events, so 57 calls */
    ck_assert_uint_eq(look.calls, a.m.events / 1000);
    ck_assert_uint_eq(look.events_seen[0], 1000);
    ck_assert_uint_eq(look.events_seen[1], 2000);
    ck_assert(c.truncated);
    ck_assert_uint_eq(c.m.events, 3000);
    ck_assert_uint_gt(c.stopped_at, 0);
    ck_assert_uint_lt(c.stopped_at, sc.p.run.duration_ns);
    ck_assert_uint_lt(c.m.requests, a.m.requests);
    run_output_fini(&a);
    run_output_fini(&b);
    run_output_fini(&c);
    scenario_fini(&sc);
}
END_TEST

/* The estimate before a run: rate x duration x 4 + samples; a trace's
 * arrivals instead of rate x duration. */
START_TEST(test_estimate_events)
{
    struct scenario sc;
    const char *sets[] = {"run.duration=1h", "workload.rate=10", "run.sample_interval=1s"};

    load(&sc, sets, 3);
    /* 10/s x 3600 s = 36,000 requests; x 4 = 144,000; + 3,600 samples */
    ck_assert_double_eq(run_estimate_requests(&sc), 36000);
    ck_assert_double_eq(run_estimate_events(&sc), 147600);
    scenario_fini(&sc);
}
END_TEST

/* ---- The cache ---- */

START_TEST(test_cache_hits_with_long_ttl)
{
    const char *sets[] = {"run.duration=600s", "workload.arrivals=constant", "workload.rate=10",
                          "workload.mailboxes=5", "workload.cache_ttl=1h",
                          "workload.service_time=0.01"};
    struct scenario sc;
    struct run_output out;

    load(&sc, sets, 6);
    run(&sc, 1, &out);
    ck_assert_uint_eq(out.m.requests, 6000);
    ck_assert_uint_le(out.m.connects, 5);           /* one per mailbox */
    ck_assert_uint_eq(out.m.cache_hits + out.m.connects, 6000);
    ck_assert_uint_eq(out.m.peak_time_wait, 0);     /* nothing ever closed */
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_connection_limit_waits)
{
    const char *sets[] = {"run.duration=100s", "workload.arrivals=constant", "workload.rate=10",
                          "workload.mailboxes=1000", "workload.cache_ttl=1h",
                          "workload.connection_limit=3", "workload.service_time=0.01"};
    struct scenario sc;
    struct run_output out;

    load(&sc, sets, 7);
    run(&sc, 1, &out);
    ck_assert_uint_le(out.m.peak_in_use, 3);
    /* every new connection past the third evicted an idle one: TIME_WAIT */
    ck_assert_uint_eq(out.m.peak_time_wait > 0, 1);
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

Suite *run_suite(void)
{
    Suite *s = suite_create("run");
    TCase *core = tcase_create("core");
    TCase *closed = tcase_create("closed_form");

    tcase_add_test(core, test_same_seed_same_digest_and_metrics);
    tcase_add_test(core, test_cache_hits_with_long_ttl);
    tcase_add_test(core, test_connection_limit_waits);
    tcase_add_test(core, test_watch_keeps_determinism_and_truncates);
    tcase_add_test(core, test_estimate_events);
    tcase_set_timeout(closed, 300);
    tcase_set_tags(closed, "slow");     /* left out by make check-quick */
    tcase_add_test(closed, test_articles_16_per_s_never_fails);
    tcase_add_test(closed, test_articles_17_per_s_fails_at_attempt_3977);
    tcase_add_loop_test(closed, test_erlang_b, 0, 8);
    tcase_add_test(closed, test_littles_law);
    suite_add_tcase(s, core);
    suite_add_tcase(s, closed);
    return s;
}
