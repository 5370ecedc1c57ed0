/* test_trace.c - the teaching views watch a run without changing it.
 *
 * For every teaching scenario: the digest is the same with no observer,
 * with a trace and with a portlog; the trace's records agree with the run's
 * metrics (connects, failures, requests, cache hits); the strip chart has a
 * row per port and a mark per failure; --limit stops after N records.
 * Paths are relative to the repository root, where 'make check' runs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/portlog.h"
#include "cli/trace.h"
#include "tests/suites.h"

static const char *const teach[] = {
    "experiments/teach/eight-ports.ini",     "experiments/teach/server-closes.ini",
    "experiments/teach/four-servers.ini",    "experiments/teach/reuse-one-server.ini",
    "experiments/teach/reuse-four-servers.ini", "experiments/teach/linux-tw-reuse.ini",
};

static void load(struct scenario *sc, const char *path)
{
    struct err e;

    err_clear(&e);
    ck_assert_msg(scenario_load(sc, path, NULL, 0, &e) == 0, "%s: %s", path, e.msg);
}

static void plain_run(const struct scenario *sc, struct run_output *out)
{
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(run_once(sc, sc->p.run.seed, NULL, out, &e), 0);
}

/* Records of 'event' in a CSV trace held in 'buf'. */
static uint64_t csv_count(const char *buf, const char *event)
{
    char pat[64];
    uint64_t n = 0;

    snprintf(pat, sizeof(pat), ",%s,", event);
    for (const char *p = strstr(buf, pat); p; p = strstr(p + 1, pat))
        n++;
    return n;
}

START_TEST(test_trace_keeps_digest_and_counts)
{
    const char *path = teach[_i];
    struct scenario sc;
    struct run_output plain, traced;
    struct run_options opt = {0};
    struct trace *t;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct err e;

    load(&sc, path);
    plain_run(&sc, &plain);
    t = trace_new(f, TRACE_CSV, &sc, 0);
    trace_attach(t, &opt);
    trace_begin(t, sc.p.run.seed, sc.p.run.duration_ns);
    err_clear(&e);
    ck_assert_int_eq(run_once(&sc, sc.p.run.seed, &opt, &traced, &e), 0);
    trace_end(t, &traced);
    fclose(f);
    ck_assert_msg(plain.m.digest == traced.m.digest, "%s: tracing changed the digest", path);
    ck_assert_uint_eq(plain.m.events, traced.m.events);
    ck_assert_uint_eq(trace_counts(t)->connects, plain.m.connects);
    ck_assert_uint_eq(trace_counts(t)->failures, plain.m.connect_failures);
    ck_assert_uint_eq(trace_counts(t)->arrivals, plain.m.requests);
    ck_assert_uint_eq(trace_counts(t)->hits, plain.m.cache_hits);
    /* the printed records say the same */
    ck_assert_uint_eq(csv_count(buf, "connect"), plain.m.connects);
    ck_assert_uint_eq(csv_count(buf, "fail"), plain.m.connect_failures);
    ck_assert_uint_eq(csv_count(buf, "miss") + csv_count(buf, "hit"),
                      plain.m.connect_attempts + plain.m.cache_hits);
    trace_free(t);
    free(buf);
    run_output_fini(&plain);
    run_output_fini(&traced);
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_portlog_keeps_digest_and_marks_failures)
{
    const char *path = teach[_i];
    struct scenario sc;
    struct run_output plain, logged;
    struct run_options opt = {0};
    struct portlog *pl;
    const struct html_strip *s;
    struct err e;
    uint64_t spans_in_use = 0;

    load(&sc, path);
    plain_run(&sc, &plain);
    pl = portlog_new(&sc, sc.p.run.duration_ns);
    portlog_attach(pl, &opt);
    err_clear(&e);
    ck_assert_int_eq(run_once(&sc, sc.p.run.seed, &opt, &logged, &e), 0);
    portlog_finish(pl);
    ck_assert_msg(plain.m.digest == logged.m.digest, "%s: the portlog changed the digest", path);
    s = portlog_strip(pl);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_null(portlog_heat(pl));
    ck_assert_uint_eq(s->nrows, 8);
    ck_assert_uint_eq(s->nmarks, plain.m.connect_failures);
    ck_assert_uint_eq(s->marks_dropped, 0);
    for (size_t i = 0; i < s->nspans; i++) {
        ck_assert(s->spans[i].t0 <= s->spans[i].t1);
        ck_assert(s->spans[i].row < s->nrows);
        spans_in_use += s->spans[i].state == HTML_IN_USE;
    }
    /* each connection is one in-use stretch here: no port carries two at once */
    ck_assert_uint_eq(spans_in_use, plain.m.connects);
    portlog_free(pl);
    run_output_fini(&plain);
    run_output_fini(&logged);
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_trace_limit_stops)
{
    struct scenario sc;
    struct run_output out;
    struct run_options opt = {0};
    struct trace *t;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct err e;
    size_t lines = 0;

    load(&sc, teach[0]);
    t = trace_new(f, TRACE_JSON, &sc, 10);
    trace_attach(t, &opt);
    err_clear(&e);
    ck_assert_int_eq(run_once(&sc, sc.p.run.seed, &opt, &out, &e), 0);
    fclose(f);
    ck_assert_uint_eq(trace_records(t), 10);
    for (const char *p = buf; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 10);
    ck_assert(strncmp(buf, "{\"t\":0.000,\"event\":\"miss\",\"request\":1,", 38) == 0);
    trace_free(t);
    free(buf);
    run_output_fini(&out);
    scenario_fini(&sc);
}
END_TEST

Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *core = tcase_create("core");
    int n = (int)(sizeof(teach) / sizeof(teach[0]));

    tcase_add_loop_test(core, test_trace_keeps_digest_and_counts, 0, n);
    tcase_add_loop_test(core, test_portlog_keeps_digest_and_marks_failures, 0, n);
    tcase_add_test(core, test_trace_limit_stops);
    suite_add_tcase(s, core);
    return s;
}
