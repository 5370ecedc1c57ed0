/* test_store.c - the SQLite run database: round trips, resume lookups, the
 * summary view, atomic runs, schema version, refusing foreign files, merge. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "analysis/store.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* Each test gets a fresh directory 'dir' and database path 'db_path'. */
struct fixture {
    char *dir;
    char path[4200];
};

static void fx_init(struct fixture *fx)
{
    fx->dir = testutil_tmpdir();
    snprintf(fx->path, sizeof(fx->path), "%s/portsim.db", fx->dir);
}

static void fx_fini(struct fixture *fx)
{
    testutil_rmrf(fx->dir);
    free(fx->dir);
}

static struct store *open_ok(const char *path)
{
    struct store *st = NULL;
    struct err e;

    err_clear(&e);
    ck_assert_msg(store_open(&st, path, &e) == 0, "%s", e.msg);
    return st;
}

static struct store_run sample_run(const char *hash, uint64_t seed, uint32_t rep)
{
    struct store_run r;

    memset(&r, 0, sizeof(r));
    r.remedy = "baseline";
    r.point_json = "{\"workload.rate\":40}";
    r.scenario_name = "kb";
    r.params_json = "{\"stack\":{\"profile\":\"win2000\",\"port_min\":1025,\"port_max\":5000,"
                    "\"time_wait\":240.0,\"allocator\":\"sequential\"},\"workload\":{\"rate\":"
                    "40.0,\"cache_ttl\":1.0,\"close\":\"client\",\"servers\":1}}";
    r.params_hash = hash;
    r.seed = seed;
    r.replication = rep;
    r.version = "0.1.0";
    r.started_at = "2024-05-01T12:00:00Z";
    r.host = "testhost";
    return r;
}

static struct run_metrics sample_metrics(uint64_t k)
{
    struct run_metrics m;

    memset(&m, 0, sizeof(m));
    m.requests = 1000 + k;
    m.cache_hits = 17;
    m.connect_attempts = 900;
    m.connects = 850;
    m.connect_failures = 50;
    m.failures_exhausted = 30;
    m.failures_collision = 20;
    m.retries = 7;
    m.requests_failed = 25;
    m.peak_in_use = 3976;
    m.mean_in_use = 1234.5678901234567;
    m.peak_time_wait = 3975;
    m.mean_time_wait = 0.1 + 0.2;
    m.peak_server_time_wait = 0;
    m.mean_server_time_wait = 1e-300;
    m.requests_unfinished = 3;
    m.has_first_failure = false;
    m.events = UINT64_C(9007199254740993);     /* 2^53 + 1: exact as an integer */
    m.wall_seconds = 0.125;
    m.digest = UINT64_C(0xfedcba9876543210);
    return m;
}

START_TEST(test_round_trip)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("00112233445566778899aabbccddeeff", UINT64_MAX, 2), got;
    struct run_metrics m = sample_metrics(0), gm;
    struct run_sample smp[3] = {{1000000000, 5, 6, 7, 8, 9}, {2000000000, 1, 2, 3, 4, 5},
                                {2500000000u, 4000000000u, 0, 0, 0, 1}};
    struct run_sample *gs = NULL;
    size_t n = 0;
    int64_t id = 0, sweep = 0;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(st, "remedies", "[sweep]\n", &sweep, &e), 0);
    ck_assert_int_gt(sweep, 0);
    r.sweep_id = sweep;
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 3, &id, &e), 0);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(store_run_load(st, id, &got, &gm, &gs, &n, &e), 0);
    ck_assert_int_eq(got.id, id);
    ck_assert_int_eq(got.sweep_id, sweep);
    ck_assert_str_eq(got.remedy, "baseline");
    ck_assert_str_eq(got.point_json, r.point_json);
    ck_assert_str_eq(got.params_json, r.params_json);
    ck_assert_str_eq(got.params_hash, r.params_hash);
    ck_assert_str_eq(got.status, "ok");
    ck_assert_ptr_null(got.error);
    ck_assert_str_eq(got.host, "testhost");
    ck_assert_str_eq(got.started_at, "2024-05-01T12:00:00Z");
    ck_assert_uint_eq(got.seed, UINT64_MAX);
    ck_assert_uint_eq(got.replication, 2);
    ck_assert_uint_eq(got.digest, m.digest);
    ck_assert_uint_eq(gm.requests, m.requests);
    ck_assert_uint_eq(gm.events, m.events);
    ck_assert_uint_eq(gm.digest, m.digest);
    ck_assert(gm.mean_in_use == m.mean_in_use);         /* exact */
    ck_assert(gm.mean_time_wait == m.mean_time_wait);
    ck_assert(gm.mean_server_time_wait == m.mean_server_time_wait);
    ck_assert(gm.wall_seconds == m.wall_seconds);
    ck_assert(!gm.has_first_failure);
    ck_assert_uint_eq(gm.failures_collision, 20);
    ck_assert_uint_eq(n, 3);
    for (size_t k = 0; k < 3; k++) {
        ck_assert_uint_eq(gs[k].t, smp[k].t);
        ck_assert_uint_eq(gs[k].in_use, smp[k].in_use);
        ck_assert_uint_eq(gs[k].time_wait, smp[k].time_wait);
        ck_assert_uint_eq(gs[k].connects, smp[k].connects);
        ck_assert_uint_eq(gs[k].failures, smp[k].failures);
        ck_assert_uint_eq(gs[k].requests, smp[k].requests);
    }
    free(gs);
    store_run_fini(&got);
    /* first_failure_time, when there is one */
    m.has_first_failure = true;
    m.first_failure_time = 198.8;
    r.replication = 3;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &id, &e), 0);
    ck_assert_int_eq(store_run_load(st, id, &got, &gm, NULL, NULL, &e), 0);
    ck_assert(gm.has_first_failure);
    ck_assert(gm.first_failure_time == 198.8);
    store_run_fini(&got);
    ck_assert_int_eq(store_run_load(st, 999, &got, &gm, NULL, NULL, &e), PS_EINVAL);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

START_TEST(test_run_exists_and_failed)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("aa", 5, 0), got;
    struct run_metrics m = sample_metrics(0), gm;
    int64_t id, sweep;
    bool found = true;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(st, "s", "", &sweep, &e), 0);
    r.sweep_id = sweep;
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_record_failed_run(st, &r, "out of patience", &id, &e), 0);
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 0, &found, &e), 0);
    ck_assert(!found);      /* a failed run is run again on resume */
    ck_assert_int_eq(store_run_load(st, id, &got, &gm, NULL, NULL, &e), 0);
    ck_assert_str_eq(got.status, "failed");
    ck_assert_str_eq(got.error, "out of patience");
    ck_assert_uint_eq(gm.requests, 0);
    store_run_fini(&got);
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &id, &e), 0);   /* replaces it */
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 0, &found, &e), 0);
    ck_assert(found);
    ck_assert_int_eq(store_sweep_run_exists(st, sweep, "aa", 5, 0, &found, &e), 0);
    ck_assert(found);
    ck_assert_int_eq(store_sweep_run_exists(st, 0, "aa", 5, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_run_exists(st, "aa", 6, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 1, &found, &e), 0);
    ck_assert(!found);
    /* the same sweep run twice: the unique constraint says no */
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &id, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "UNIQUE"));
    store_close(st);
    fx_fini(&fx);
}
END_TEST

static int count_cb(const struct store_run *run, const struct run_metrics *m, void *arg)
{
    int *counts = arg;

    counts[0]++;
    if (m)
        counts[1]++;
    ck_assert_ptr_nonnull(run->params_hash);
    return 0;
}

START_TEST(test_summary_view)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("bb", 1, 0);
    struct run_metrics m = sample_metrics(0);
    int64_t sweep;
    sqlite3_stmt *s;
    int rows = 0, counts[2] = {0, 0};
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(st, "s", "", &sweep, &e), 0);
    r.sweep_id = sweep;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), 0);
    r.seed = 2;
    m.connect_attempts = 0;
    m.connect_failures = 0;
    m.requests = 0;
    m.requests_failed = 0;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), 0);
    r.seed = 3;
    ck_assert_int_eq(store_record_failed_run(st, &r, "boom", NULL, &e), 0);
    ck_assert_int_eq(sqlite3_prepare_v2(store_db(st),
                                        "SELECT seed, sweep, profile, port_max, time_wait, rate,"
                                        " cache_ttl, connect_failure_ratio, "
                                        "request_failure_ratio, peak_in_use, digest "
                                        "FROM run_summary ORDER BY run_id", -1, &s, NULL),
                     SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t seed = sqlite3_column_int64(s, 0);

        rows++;
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 1), "s");
        ck_assert_str_eq((const char *)sqlite3_column_text(s, 2), "win2000");
        ck_assert_int_eq(sqlite3_column_int64(s, 3), 5000);
        ck_assert(sqlite3_column_double(s, 4) == 240.0);
        ck_assert(sqlite3_column_double(s, 5) == 40.0);
        if (seed == 1) {
            ck_assert(sqlite3_column_double(s, 7) == 50.0 / 900.0);
            ck_assert(sqlite3_column_double(s, 8) == 25.0 / 1000.0);
            ck_assert_int_eq(sqlite3_column_int64(s, 9), 3976);
            ck_assert_str_eq((const char *)sqlite3_column_text(s, 10), "fedcba9876543210");
        } else if (seed == 2) {
            ck_assert(sqlite3_column_double(s, 7) == 0.0);
            ck_assert(sqlite3_column_double(s, 8) == 0.0);
        } else {
            ck_assert_int_eq(sqlite3_column_type(s, 7), SQLITE_NULL);
        }
    }
    sqlite3_finalize(s);
    ck_assert_int_eq(rows, 3);
    ck_assert_int_eq(store_runs_each(st, sweep, count_cb, counts, &e), 0);
    ck_assert_int_eq(counts[0], 3);
    ck_assert_int_eq(counts[1], 2);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

static int64_t count_rows(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    int64_t n;

    ck_assert_int_eq(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

START_TEST(test_failed_transaction_leaves_nothing)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("cc", 1, 0);
    struct run_metrics m = sample_metrics(0);
    /* two samples at the same time: the primary key fails mid-run */
    struct run_sample smp[3] = {{1000000000, 1, 1, 1, 1, 1}, {2000000000, 2, 2, 2, 2, 2},
                                {2000000000, 3, 3, 3, 3, 3}};
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 3, NULL, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, fx.path));
    ck_assert_int_eq(count_rows(st, "SELECT count(*) FROM runs"), 0);
    ck_assert_int_eq(count_rows(st, "SELECT count(*) FROM metrics"), 0);
    ck_assert_int_eq(count_rows(st, "SELECT count(*) FROM samples"), 0);
    /* and the store is usable afterwards */
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 2, NULL, &e), 0);
    ck_assert_int_eq(count_rows(st, "SELECT count(*) FROM samples"), 2);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

START_TEST(test_pragmas)
{
    struct fixture fx;
    struct store *st;
    sqlite3_stmt *s;

    fx_init(&fx);
    st = open_ok(fx.path);
    ck_assert_int_eq(count_rows(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    ck_assert_int_eq(count_rows(st, "PRAGMA application_id"), STORE_APPLICATION_ID);
    ck_assert_int_eq(count_rows(st, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(sqlite3_prepare_v2(store_db(st), "PRAGMA journal_mode", -1, &s, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    store_close(st);
    st = open_ok(fx.path);      /* reopening leaves it as it is */
    ck_assert_int_eq(count_rows(st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

START_TEST(test_refuses_foreign_files)
{
    struct fixture fx;
    struct store *st = NULL;
    sqlite3 *db;
    char *text, other[4300], newer[4300];
    struct err e;

    fx_init(&fx);
    /* an SQLite file of another program */
    snprintf(other, sizeof(other), "%s/other.db", fx.dir);
    ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t (x); PRAGMA application_id = 42", NULL,
                                  NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    err_clear(&e);
    ck_assert_int_eq(store_open(&st, other, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a portsim database"));
    ck_assert_ptr_nonnull(strstr(e.msg, other));
    /* the same without an application id */
    ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA application_id = 0", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(store_open(&st, other, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a portsim database"));
    /* a text file */
    text = testutil_write(fx.dir, "notes.txt", "this is not a database, it is a long enough "
                          "text file to have something that looks like a header page\n");
    ck_assert_int_eq(store_open(&st, text, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, text));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a database"));
    free(text);
    /* a directory that does not exist */
    snprintf(other, sizeof(other), "%s/no/such/dir/portsim.db", fx.dir);
    ck_assert_int_eq(store_open(&st, other, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "No such file or directory"));
    /* a newer schema */
    snprintf(newer, sizeof(newer), "%s/newer.db", fx.dir);
    st = open_ok(newer);
    ck_assert_int_eq(sqlite3_exec(store_db(st), "PRAGMA user_version = 99", NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(st);
    ck_assert_int_eq(store_open(&st, newer, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "newer"));
    fx_fini(&fx);
}
END_TEST

START_TEST(test_merge)
{
    struct fixture fx;
    struct store *a, *b, *out;
    char pa[4300], pb[4300], po[4300];
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[2] = {{1000000000, 1, 2, 3, 4, 5}, {2000000000, 6, 7, 8, 9, 10}};
    int64_t sa, sb, added = -1;
    struct err e;

    fx_init(&fx);
    snprintf(pa, sizeof(pa), "%s/a.db", fx.dir);
    snprintf(pb, sizeof(pb), "%s/b.db", fx.dir);
    snprintf(po, sizeof(po), "%s/out.db", fx.dir);
    a = open_ok(pa);
    b = open_ok(pb);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(a, "sw", "def", &sa, &e), 0);
    ck_assert_int_eq(store_sweep_ensure(b, "other", "x", &sb, &e), 0);  /* ids differ */
    ck_assert_int_eq(store_sweep_ensure(b, "sw", "def", &sb, &e), 0);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        struct store_run r = sample_run("dd", seed, 0);

        r.sweep_id = seed % 2 ? sa : sb;
        ck_assert_int_eq(store_record_run(seed % 2 ? a : b, &r, &m, smp, 2, NULL, &e), 0);
    }
    {
        struct store_run r = sample_run("ee", 9, 0);        /* outside any sweep */
        ck_assert_int_eq(store_record_run(a, &r, &m, NULL, 0, NULL, &e), 0);
        r.started_at = "2024-05-02T08:00:00Z";              /* another run of it */
        ck_assert_int_eq(store_record_failed_run(b, &r, "x", NULL, &e), 0);
    }
    store_close(a);
    store_close(b);
    out = open_ok(po);
    ck_assert_msg(store_merge(out, pa, &added, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(added, 3);
    ck_assert_int_eq(store_merge(out, pb, &added, &e), 0);
    ck_assert_int_eq(added, 3);
    ck_assert_int_eq(store_merge(out, pa, &added, &e), 0);
    ck_assert_int_eq(added, 0);
    ck_assert_int_eq(store_merge(out, pb, &added, &e), 0);
    ck_assert_int_eq(added, 0);
    ck_assert_int_eq(count_rows(out, "SELECT count(*) FROM sweeps"), 2);
    ck_assert_int_eq(count_rows(out, "SELECT count(*) FROM runs"), 6);
    ck_assert_int_eq(count_rows(out, "SELECT count(*) FROM runs r JOIN sweeps s ON "
                                     "s.id = r.sweep_id WHERE s.name = 'sw'"), 4);
    ck_assert_int_eq(count_rows(out, "SELECT count(*) FROM metrics"), 5);
    ck_assert_int_eq(count_rows(out, "SELECT count(*) FROM samples"), 8);
    ck_assert_int_eq(count_rows(out, "SELECT sum(requests) FROM samples"), 4 * 15);
    /* merging a file that is not there, or not portsim */
    ck_assert_int_eq(store_merge(out, "/nonexistent.db", &added, &e), PS_EIO);
    store_close(out);
    fx_fini(&fx);
}
END_TEST

/* Sample counts around the multi-row INSERT block (64 rows): every row
 * comes back, in order, whatever the split into blocks and single rows. */
START_TEST(test_many_samples)
{
    static const size_t counts[] = {0, 1, 63, 64, 65, 200, 3600};
    struct fixture fx;
    struct store *st;
    struct run_metrics m = sample_metrics(0);
    struct run_sample *smp = calloc(3600, sizeof(*smp));
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    for (size_t k = 0; k < 3600; k++) {
        smp[k].t = (uint64_t)(k + 1) * 1000000000u;
        smp[k].in_use = (uint32_t)k;
        smp[k].time_wait = (uint32_t)(3 * k);
        smp[k].connects = (uint32_t)(k % 7);
        smp[k].failures = (uint32_t)(k % 5);
        smp[k].requests = (uint32_t)(k % 11);
    }
    for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
        struct store_run r = sample_run("00112233445566778899aabbccddeeff", c + 1, 0), got;
        struct run_sample *gs = NULL;
        size_t n = 99;
        int64_t id = 0;

        ck_assert_msg(store_record_run(st, &r, &m, smp, counts[c], &id, &e) == 0, "%s", e.msg);
        ck_assert_int_eq(store_run_load(st, id, &got, NULL, &gs, &n, &e), 0);
        ck_assert_uint_eq(n, counts[c]);
        for (size_t k = 0; k < n; k++) {
            ck_assert_uint_eq(gs[k].t, smp[k].t);
            ck_assert_uint_eq(gs[k].in_use, smp[k].in_use);
            ck_assert_uint_eq(gs[k].time_wait, smp[k].time_wait);
            ck_assert_uint_eq(gs[k].connects, smp[k].connects);
            ck_assert_uint_eq(gs[k].failures, smp[k].failures);
            ck_assert_uint_eq(gs[k].requests, smp[k].requests);
        }
        free(gs);
        store_run_fini(&got);
    }
    store_close(st);
    free(smp);
    fx_fini(&fx);
}
END_TEST

Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_round_trip);
    tcase_add_test(core, test_many_samples);
    tcase_add_test(core, test_run_exists_and_failed);
    tcase_add_test(core, test_summary_view);
    tcase_add_test(core, test_failed_transaction_leaves_nothing);
    tcase_add_test(core, test_merge);
    tcase_add_test(edge, test_pragmas);
    tcase_add_test(edge, test_refuses_foreign_files);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
