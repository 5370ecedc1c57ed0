/* test_runset.c - the recorded runs as the report sees them: runs of a sweep
 * with their rates and closed forms, failed runs and repeats left out and
 * counted, runs without a remedy labelled by scenario name (NAME@HASH6 when
 * one name has several parameter sets), unresolvable parameters, and an
 * empty database (through cli/dbsel.c, which adds the closed form to
 * analysis/runset.c's rows).  Runs are recorded here through the store with made-up
 * metrics; each one's parameters are a real scenario's canonical JSON.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runset.h"
#include "analysis/store.h"
#include "cli/dbsel.h"
#include "models/scenario.h"
#include "tests/suites.h"
#include "tests/testutil.h"

struct fixture {
    char *dir;
    struct store *st;
    struct scenario a, b;           /* rate 25 and rate 10, both win2000 */
};

static void load(struct scenario *sc, const char *rate)
{
    const char *sets[] = {"stack.profile=win2000", "run.name=kb", rate};
    struct err e;

    err_clear(&e);
    ck_assert_msg(scenario_load(sc, NULL, sets, 3, &e) == 0, "%s", e.msg);
}

static void setup(struct fixture *fx)
{
    char path[4096];
    struct err e;

    fx->dir = testutil_tmpdir();
    snprintf(path, sizeof(path), "%s/r.db", fx->dir);
    err_clear(&e);
    ck_assert_msg(store_open(&fx->st, path, STORE_CREATE, &e) == 0, "%s", e.msg);
    load(&fx->a, "workload.rate=25");
    load(&fx->b, "workload.rate=10");
}

static void teardown(struct fixture *fx)
{
    store_close(fx->st);
    scenario_fini(&fx->a);
    scenario_fini(&fx->b);
    testutil_rmrf(fx->dir);
    free(fx->dir);
}

/* Record one run of 'sc' with 'failed' failed requests of 1000. */
static int64_t record(struct fixture *fx, int64_t sweep, const char *remedy, const char *point,
                      const struct scenario *sc, const char *json, uint64_t seed, uint32_t rep,
                      uint64_t failed)
{
    struct store_run r;
    struct run_metrics m;
    struct err e;
    int64_t id = 0;

    memset(&r, 0, sizeof(r));
    memset(&m, 0, sizeof(m));
    r.sweep_id = sweep;
    r.remedy = remedy;
    r.point_json = point;
    r.scenario_name = "kb";
    r.params_json = json ? json : sc->json;
    r.params_hash = sc->hash;
    r.seed = seed;
    r.replication = rep;
    r.version = "test";
    r.started_at = "2024-01-01T00:00:00Z";
    r.host = "h";
    m.requests = 1000;
    m.connect_attempts = 1000;
    m.connects = 1000 - failed;
    m.connect_failures = failed;
    m.failures_exhausted = failed;
    m.requests_failed = failed;
    m.digest = seed * 1000 + failed;
    err_clear(&e);
    ck_assert_msg(store_record_run(fx->st, &r, &m, NULL, 0, &id, &e) == 0, "%s", e.msg);
    return id;
}

/* 2 remedies (rate 25 and rate 10: a sweep's remedies differ in their
 * parameters) x 2 seeds in sweep "s", plus a failed run and a run outside
 * the sweep: the set holds the 4, in id order, each with its rate (from its
 * parameters) and the closed form of win2000's 3,976 ports. */
START_TEST(test_sweep_runs)
{
    struct fixture fx;
    struct runset rs;
    struct store_run fr;
    struct err e;
    int64_t sweep, ids[4];
    size_t k = 0;

    setup(&fx);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(fx.st, "s", "def", &sweep, &e), 0);
    for (uint64_t seed = 1; seed <= 2; seed++) {
        ids[k++] = record(&fx, sweep, "baseline", "{}", &fx.a, NULL, seed, (uint32_t)seed - 1,
                          100 * seed);
        ids[k++] = record(&fx, sweep, "fix", "{}", &fx.b, NULL, seed, (uint32_t)seed - 1, 0);
    }
    memset(&fr, 0, sizeof(fr));
    fr.sweep_id = sweep;
    fr.remedy = "fix";
    fr.scenario_name = "kb";
    fr.params_json = fx.b.json;
    fr.params_hash = fx.b.hash;
    fr.seed = 3;
    fr.replication = 2;
    fr.version = "test";
    ck_assert_int_eq(store_record_failed_run(fx.st, &fr, "boom", NULL, &e), 0);
    record(&fx, 0, "", "{}", &fx.a, NULL, 9, 0, 0);     /* not in the sweep */

    ck_assert_msg(dbsel_runs(&rs, fx.st, sweep, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(rs.n, 4);
    ck_assert_uint_eq(rs.failed, 1);
    ck_assert_uint_eq(rs.repeats, 0);
    ck_assert_uint_eq(rs.unresolved, 0);
    ck_assert(!rs.by_name);
    ck_assert_uint_eq(rs.nparams, 2);
    ck_assert_ptr_nonnull(strstr(rs.notes, "1 failed runs left out"));
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(rs.ids[i], ids[i]);
        ck_assert_double_eq_tol(rs.runs[i].rate, i % 2 ? 10 : 25, 1e-12);
        ck_assert(!isnan(rs.runs[i].theory_blocking));
        ck_assert_double_eq_tol(rs.runs[i].theory_sustainable_per_s, 3976.0 / 240.05, 1e-3);
        ck_assert_ptr_nonnull(runset_params_of(&rs, i));
        ck_assert_double_eq_tol(runset_params_of(&rs, i)->workload.rate_per_s,
                                i % 2 ? 10 : 25, 1e-12);
    }
    ck_assert_str_eq(rs.runs[0].remedy, "baseline");
    ck_assert_str_eq(rs.runs[1].remedy, "fix");
    ck_assert_uint_eq(rs.runs[2].seed, 2);
    ck_assert_uint_eq(rs.runs[2].m.requests_failed, 200);
    ck_assert_uint_eq(rs.params[rs.param_of[0]].pool_ports, 3976);
    ck_assert_uint_eq(rs.params[rs.param_of[1]].pool_ports, 3976);
    ck_assert_uint_ne(rs.param_of[0], rs.param_of[1]);
    runset_fini(&rs);
    teardown(&fx);
}
END_TEST

/* Runs without a remedy: labelled by scenario name; a repeat (same params,
 * seed, replication) is left out and the latest kept; the whole database
 * says so in its notes. */
START_TEST(test_by_name_and_repeats)
{
    struct fixture fx;
    struct runset rs;
    struct err e;
    int64_t latest;

    setup(&fx);
    record(&fx, 0, "", "{}", &fx.a, NULL, 1, 0, 5);
    latest = record(&fx, 0, "", "{}", &fx.a, NULL, 1, 0, 7);   /* a repeat */
    record(&fx, 0, "", "{}", &fx.a, NULL, 2, 1, 9);
    err_clear(&e);
    ck_assert_msg(dbsel_runs(&rs, fx.st, 0, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(rs.n, 2);
    ck_assert_uint_eq(rs.repeats, 1);
    ck_assert(rs.by_name);
    ck_assert_str_eq(rs.runs[0].remedy, "kb");
    ck_assert_int_eq(rs.ids[0], latest);
    ck_assert_uint_eq(rs.runs[0].m.requests_failed, 7);
    ck_assert_ptr_nonnull(strstr(rs.notes, "grouped by their scenario name"));
    ck_assert_ptr_nonnull(strstr(rs.notes, "1 repeated runs left out"));
    runset_fini(&rs);
    teardown(&fx);
}
END_TEST

/* One scenario name run with two parameter sets at one point: each set gets
 * its own label, NAME@ and its hash's first 6 hex digits. */
START_TEST(test_name_at_hash)
{
    struct fixture fx;
    struct runset rs;
    struct err e;
    char la[64], lb[64];

    setup(&fx);
    record(&fx, 0, "", "{}", &fx.a, NULL, 1, 0, 0);
    record(&fx, 0, "", "{}", &fx.b, NULL, 1, 0, 0);
    snprintf(la, sizeof(la), "kb@%.6s", fx.a.hash);
    snprintf(lb, sizeof(lb), "kb@%.6s", fx.b.hash);
    err_clear(&e);
    ck_assert_msg(dbsel_runs(&rs, fx.st, 0, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(rs.n, 2);
    ck_assert_uint_eq(rs.repeats, 0);
    ck_assert_str_eq(rs.runs[0].remedy, la);
    ck_assert_str_eq(rs.runs[1].remedy, lb);
    ck_assert_double_eq_tol(rs.runs[0].rate, 25, 1e-12);
    ck_assert_double_eq_tol(rs.runs[1].rate, 10, 1e-12);
    ck_assert_ptr_nonnull(strstr(rs.notes, "2 runs of one scenario name with different "
                                           "parameters are labelled NAME@HASH"));
    runset_fini(&rs);
    teardown(&fx);
}
END_TEST

/* Parameters that are not a scenario: the run stays, without a closed form. */
START_TEST(test_unresolved_params)
{
    struct fixture fx;
    struct runset rs;
    struct err e;

    setup(&fx);
    record(&fx, 0, "x", "{}", &fx.a, "{\"stack\":{\"nosuch\":1}}", 1, 0, 0);
    err_clear(&e);
    ck_assert_msg(dbsel_runs(&rs, fx.st, 0, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(rs.n, 1);
    ck_assert_uint_eq(rs.unresolved, 1);
    ck_assert_ptr_null(runset_params_of(&rs, 0));
    ck_assert(isnan(rs.runs[0].rate));
    ck_assert(isnan(rs.runs[0].theory_blocking));
    ck_assert_ptr_nonnull(strstr(rs.notes, "1 parameter sets could not be resolved"));
    runset_fini(&rs);
    teardown(&fx);
}
END_TEST

START_TEST(test_empty)
{
    struct fixture fx;
    struct runset rs;
    struct err e;

    setup(&fx);
    err_clear(&e);
    ck_assert_int_eq(dbsel_runs(&rs, fx.st, 0, &e), 0);
    ck_assert_uint_eq(rs.n, 0);
    ck_assert_str_eq(rs.notes, "");
    runset_fini(&rs);
    teardown(&fx);
}
END_TEST

Suite *runset_suite(void)
{
    Suite *s = suite_create("runset");
    TCase *tc = tcase_create("load");

    tcase_add_test(tc, test_sweep_runs);
    tcase_add_test(tc, test_by_name_and_repeats);
    tcase_add_test(tc, test_name_at_hash);
    tcase_add_test(tc, test_unresolved_params);
    tcase_add_test(tc, test_empty);
    suite_add_tcase(s, tc);
    return s;
}
