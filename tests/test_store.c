/* test_store.c - the SQLite run database: round trips, resume lookups, the
 * summary view, atomic runs, schema version, refusing foreign files, merge,
 * sample series (exact values, the 'samples' view, deleting through it, the
 * upgrade of a version-1 database), issue 12's NAT lanes (round trip, view,
 * merge, a damaged row) and the upgrade of a version-8 database to a schema
 * equal to a new one. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analysis/store.h"
#include "sim/simtime.h"
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

/* A second connection to the database at 'path', beside the store's, with
 * foreign keys on as the store has them. */
static sqlite3 *side_open(const char *path)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static struct store *open_ok(const char *path)
{
    struct store *st = NULL;
    struct err e;

    err_clear(&e);
    ck_assert_msg(store_open(&st, path, STORE_CREATE, &e) == 0, "%s", e.msg);
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
    struct run_sample smp[3] = {{1000000000, 5, 6, 7, 8, 9, 0, 0},
                                {2000000000, 1, 2, 3, 4, 5, 0, 0},
                                {2500000000u, 4000000000u, 0, 0, 0, 1, 0, 0}};
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
    int64_t id, sweep, again = -1;
    bool found = true;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(st, "s", "", &sweep, &e), 0);
    r.sweep_id = sweep;
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_sweep_any_run(st, sweep, &found, &e), 0);
    ck_assert(!found);      /* a fresh sweep: planning skips the lookups */
    ck_assert_int_eq(store_record_failed_run(st, &r, "out of patience", &id, &e), 0);
    ck_assert_int_eq(store_sweep_any_run(st, sweep, &found, &e), 0);
    ck_assert(!found);      /* a failed run is not recorded: it runs again */
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
    ck_assert_int_eq(store_sweep_any_run(st, sweep, &found, &e), 0);
    ck_assert(found);
    ck_assert_int_eq(store_sweep_any_run(st, sweep + 1, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_sweep_run_exists(st, sweep, "aa", 5, 0, &found, &e), 0);
    ck_assert(found);
    ck_assert_int_eq(store_sweep_run_exists(st, 0, "aa", 5, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_run_exists(st, "aa", 6, 0, &found, &e), 0);
    ck_assert(!found);
    ck_assert_int_eq(store_run_exists(st, "aa", 5, 1, &found, &e), 0);
    ck_assert(!found);
    /* the same sweep run twice (two 'portsim sweep' of one sweep at once):
     * the first record stays, the second writes nothing and is no error
     * (it was SQLite's raw "UNIQUE constraint failed") */
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &again, &e), 0);
    ck_assert_int_eq(again, 0);
    ck_assert_int_eq(store_record_failed_run(st, &r, "late", &again, &e), 0);
    ck_assert_int_eq(again, 0);
    ck_assert_int_eq(store_run_load(st, id, &got, &gm, NULL, NULL, &e), 0);
    ck_assert_str_eq(got.status, "ok");
    store_run_fini(&got);
    ck_assert_int_eq(store_run_load(st, id + 1, &got, NULL, NULL, NULL, &e), PS_EINVAL);
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
    sqlite3 *side;
    struct store *st;
    struct store_run r = sample_run("bb", 1, 0);
    struct run_metrics m = sample_metrics(0);
    int64_t sweep;
    sqlite3_stmt *s;
    int rows = 0, counts[2] = {0, 0};
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    side = side_open(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_sweep_ensure(st, "s", "", &sweep, &e), 0);
    r.sweep_id = sweep;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), 0);
    r.seed = 2;
    m.connect_attempts = 0;     /* a run without calls: every count 0, consistent */
    m.connect_failures = 0;
    m.failures_exhausted = 0;
    m.failures_collision = 0;
    m.connects = 0;
    m.cache_hits = 0;
    m.requests = 0;
    m.requests_failed = 0;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), 0);
    r.seed = 3;
    ck_assert_int_eq(store_record_failed_run(st, &r, "boom", NULL, &e), 0);
    ck_assert_int_eq(sqlite3_prepare_v2(side,
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
    sqlite3_close(side);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* The first column of the first row of 'sql' on the database at 'path',
 * read through a connection of its own (the store hands out none). */
static int64_t count_rows(const char *path, const char *sql)
{
    sqlite3 *db = side_open(path);
    sqlite3_stmt *s;
    int64_t n;

    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* 'got' and 'want' hold the same 'n' samples, exactly. */
static void assert_samples_eq(const struct run_sample *got, const struct run_sample *want,
                              size_t n)
{
    for (size_t k = 0; k < n; k++) {
        ck_assert_msg(got[k].t == want[k].t, "sample %zu: t %llu, expected %llu", k,
                      (unsigned long long)got[k].t, (unsigned long long)want[k].t);
        ck_assert_uint_eq(got[k].in_use, want[k].in_use);
        ck_assert_uint_eq(got[k].time_wait, want[k].time_wait);
        ck_assert_uint_eq(got[k].connects, want[k].connects);
        ck_assert_uint_eq(got[k].failures, want[k].failures);
        ck_assert_uint_eq(got[k].requests, want[k].requests);
    }
}

START_TEST(test_failed_transaction_leaves_nothing)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("cc", 1, 0);
    struct run_metrics m = sample_metrics(0);
    /* two samples at the same time: refused after the run and metrics rows
     * went in (schema version 1 failed there too, on its primary key) */
    struct run_sample smp[3] = {{1000000000, 1, 1, 1, 1, 1, 0, 0},
                                {2000000000, 2, 2, 2, 2, 2, 0, 0},
                                {2000000000, 3, 3, 3, 3, 3, 0, 0}};
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 3, NULL, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, fx.path));
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs"), 0);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM metrics"), 0);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 0);
    /* and the store is usable afterwards */
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 2, NULL, &e), 0);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 2);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

START_TEST(test_pragmas)
{
    struct fixture fx;
    sqlite3 *side;
    struct store *st;
    sqlite3_stmt *s;

    fx_init(&fx);
    st = open_ok(fx.path);
    side = side_open(fx.path);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA application_id"), STORE_APPLICATION_ID);
    ck_assert_int_eq(sqlite3_prepare_v2(side, "PRAGMA journal_mode", -1, &s, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    store_close(st);
    st = open_ok(fx.path);      /* reopening leaves it as it is */
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    sqlite3_close(side);
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
    ck_assert_int_eq(store_open(&st, other, STORE_CREATE, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a portsim database"));
    ck_assert_ptr_nonnull(strstr(e.msg, other));
    /* the same without an application id */
    ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA application_id = 0", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(store_open(&st, other, STORE_CREATE, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "not a portsim database"));
    /* a text file */
    text = testutil_write(fx.dir, "notes.txt", "this is not a database, it is a long enough "
                          "text file to have something that looks like a header page\n");
    ck_assert_int_eq(store_open(&st, text, STORE_CREATE, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, text));
    ck_assert_ptr_nonnull(strstr(e.msg, "not a database"));
    free(text);
    /* a directory that does not exist */
    snprintf(other, sizeof(other), "%s/no/such/dir/portsim.db", fx.dir);
    ck_assert_int_eq(store_open(&st, other, STORE_CREATE, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "No such file or directory"));
    /* a newer schema */
    snprintf(newer, sizeof(newer), "%s/newer.db", fx.dir);
    st = open_ok(newer);
    store_close(st);
    db = side_open(newer);
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(store_open(&st, newer, STORE_CREATE, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "newer"));
    fx_fini(&fx);
}
END_TEST

static int count_cb_any(const struct store_run *run, const struct run_metrics *m, void *arg)
{
    (void)run;
    (void)m;
    (*(int *)arg)++;
    return 0;
}

/* The three ways to open: CREATE makes the file; MUST_EXIST and READ_ONLY
 * never do; READ_ONLY reads and refuses to write. */
START_TEST(test_open_modes)
{
    struct fixture fx;
    struct store *st = NULL;
    struct store_run r = sample_run("ab", 1, 0);
    struct run_metrics m = sample_metrics(0);
    char names[64];
    int64_t id;
    int n = 0;
    struct err e;

    fx_init(&fx);
    err_clear(&e);
    ck_assert_int_eq(store_open(&st, fx.path, STORE_MUST_EXIST, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "no such database"));
    ck_assert_int_eq(store_open(&st, fx.path, STORE_READ_ONLY, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, fx.path));
    ck_assert_int_ne(access(fx.path, F_OK), 0);         /* nothing created */

    st = open_ok(fx.path);
    ck_assert_int_eq(store_sweep_names(st, names, sizeof(names), &e), 0);
    ck_assert_str_eq(names, "");
    ck_assert_int_eq(store_sweep_ensure(st, "zeta", "", &id, &e), 0);
    ck_assert_int_eq(store_sweep_ensure(st, "alpha", "", &id, &e), 0);
    ck_assert_int_eq(store_sync_normal(st, &e), 0);
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), 0);
    store_close(st);

    ck_assert_int_eq(store_open(&st, fx.path, STORE_MUST_EXIST, &e), 0);
    store_close(st);
    ck_assert_msg(store_open(&st, fx.path, STORE_READ_ONLY, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(store_sweep_names(st, names, sizeof(names), &e), 0);
    ck_assert_str_eq(names, "alpha, zeta");
    ck_assert_int_eq(store_sweep_names(st, names, 8, &e), 0);        /* cut short */
    ck_assert_str_eq(names, "alpha, ");
    ck_assert_int_eq(store_runs_each(st, 0, count_cb_any, &n, &e), 0);
    ck_assert_int_eq(n, 1);
    r.seed = 2;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), PS_EDB);
    store_close(st);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs"), 1);
    fx_fini(&fx);
}
END_TEST

/* runs.truncated_at (version 4): NULL for a complete run, the simulated
 * seconds reached for one stopped early; read back as recorded. */
START_TEST(test_truncated_run_round_trip)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("aa", 5, 0), t = sample_run("bb", 5, 0), got;
    struct run_metrics m = sample_metrics(0), gm;
    int64_t id1, id2;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    t.truncated = true;
    t.truncated_at = 12.5;
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &id1, &e), 0);
    ck_assert_int_eq(store_record_run(st, &t, &m, NULL, 0, &id2, &e), 0);
    ck_assert_int_eq(store_run_load(st, id1, &got, &gm, NULL, NULL, &e), 0);
    ck_assert(!got.truncated);
    store_run_fini(&got);
    ck_assert_int_eq(store_run_load(st, id2, &got, &gm, NULL, NULL, &e), 0);
    ck_assert(got.truncated);
    ck_assert_double_eq(got.truncated_at, 12.5);
    store_run_fini(&got);
    store_close(st);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs WHERE truncated_at = 12.5"),
                     1);
    fx_fini(&fx);
}
END_TEST

/* Issue 12's lanes: recorded with a NAT run, one row per public IP, read
 * back exactly (2 IPs x 3 samples), unpacked by the nat_lane_samples view
 * (drops 0 + 5 + 7 + 1 + 2 + 0 = 15 over the 6 rows), copied by a merge;
 * a run without a NAT has none, and a damaged row is refused. */
START_TEST(test_nat_lanes_round_trip)
{
    struct fixture fx, fy;
    struct store *st;
    struct store_run r = sample_run("00112233445566778899aabbccddeeff", 7, 0);
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[3] = {{0, 1, 0, 0, 0, 0, 0, 0},
                                {1000000000, 2, 0, 0, 0, 0, 0, 0},
                                {2500000001u, 3, 0, 0, 0, 0, 0, 0}};
    struct nat_scope_metrics scope[2 + 1];
    struct nat_ip_sample lanes[6] = {{10, 0, 10}, {20, 1, 20}, {64512, 5, 3},
                                     {4000000000u, 7, 0}, {0, 2, 9}, {1, 0, 1}};
    struct nat_ip_sample all[3] = {{30, 1, 30}, {0, 12, 3}, {1, 2, 10}};
    struct nat_run_metrics nat;
    struct nat_ip_sample *got = NULL;
    uint32_t nips = 9;
    size_t n = 9;
    int64_t id = 0, plain = 0, added = 0;
    struct err e;

    memset(&nat, 0, sizeof(nat));
    memset(scope, 0, sizeof(scope));
    nat.on = true;
    nat.failure_words = "ErrorPortAllocation";
    nat.nips = 2;
    nat.nhosts = 1;
    nat.ip = scope;
    nat.host = scope + 2;
    nat.lanes = lanes;
    nat.lane_all = all;
    nat.nlanes = 3;
    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_record_run_nat(st, &r, &m, &nat, smp, 3, &id, &e), 0);
    r.replication = 1;
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 3, &plain, &e), 0);
    ck_assert_int_eq(store_nat_lanes_load(st, id, &nips, &got, &n, &e), 0);
    ck_assert_uint_eq(nips, 2);
    ck_assert_uint_eq(n, 3);
    ck_assert_mem_eq(got, lanes, sizeof(lanes));
    free(got);
    ck_assert_int_eq(store_nat_lanes_load(st, plain, &nips, &got, &n, &e), 0);
    ck_assert_uint_eq(nips, 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(got);
    store_close(st);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM nat_lanes"), 2);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM nat_lane_samples"), 6);
    ck_assert_int_eq(count_rows(fx.path, "SELECT sum(drops) FROM nat_lane_samples"), 15);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM nat_lane_samples WHERE ip = 1 "
                                         "AND t = 2.500000001 AND ports = 1"), 1);
    /* a merge carries the lanes */
    fx_init(&fy);
    st = open_ok(fy.path);
    ck_assert_int_eq(store_merge(st, fx.path, &added, &e), 0);
    ck_assert_int_eq(added, 2);
    store_close(st);
    ck_assert_int_eq(count_rows(fy.path, "SELECT sum(drops) FROM nat_lane_samples"), 15);
    fx_fini(&fy);
    /* a damaged row (a count past 2^32 - 1) is refused */
    {
        sqlite3 *side = side_open(fx.path);

        ck_assert_int_eq(sqlite3_exec(side, "UPDATE nat_lanes SET data = "
                                            "'[[0,1,0,0],[1,4294967296,0,0],[2.5,0,0,0]]' "
                                            "WHERE ip = 1", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(side);
    }
    st = open_ok(fx.path);
    ck_assert_int_eq(store_nat_lanes_load(st, id, &nips, &got, &n, &e), PS_EDB);
    ck_assert_ptr_nonnull(strstr(e.msg, "malformed NAT lanes"));
    ck_assert_ptr_null(got);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* The schema as SQLite keeps it: every object's type, name and text. */
static char *schema_text(const char *path)
{
    sqlite3 *db = side_open(path);
    sqlite3_stmt *s;
    char *out;

    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT group_concat(type || ' ' || name || ': ' "
                                            "|| coalesce(sql, ''), char(10)) FROM (SELECT * "
                                            "FROM sqlite_master ORDER BY type, name)", -1, &s,
                                        NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
    out = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

/* A version-8 database (tests/fixtures/schema-v8.sql, schema.sql as
 * version 8 had it) opened by this program becomes version 9 with the
 * same schema, object for object and word for word, as a new database made
 * from schema.sql; its NAT run keeps its rows and has no lanes. */
START_TEST(test_upgrade_from_v8)
{
    struct fixture fx, fresh;
    struct store *st;
    sqlite3 *db;
    char *v8, *a, *b;
    struct nat_ip_sample *got = NULL;
    uint32_t nips = 9;
    size_t n = 9;
    struct err e;
    FILE *f;
    static const char rows_sql[] =
        "INSERT INTO runs (id, scenario_name, params_json, params_hash, seed, replication, "
        "version, status, started_at) VALUES (1, 'fleet', '{}', 'h', '1', 0, '0.1', 'ok', 'x');"
        "INSERT INTO nat_metrics VALUES (1, 'ip', 1, 'nat_failures', 12);"
        "PRAGMA application_id = 1347635533; PRAGMA user_version = 8;";

    fx_init(&fx);
    ck_assert_ptr_nonnull(f = fopen("tests/fixtures/schema-v8.sql", "r"));
    ck_assert_ptr_nonnull(v8 = calloc(1, 1 << 16));
    n = fread(v8, 1, (1 << 16) - 1, f);
    fclose(f);
    ck_assert_uint_gt(n, 1000);
    ck_assert_int_eq(sqlite3_open(fx.path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, v8, NULL, NULL, NULL), SQLITE_OK);
    free(v8);
    ck_assert_int_eq(sqlite3_exec(db, rows_sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "name = 'nat_lanes'"), 0);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_nat_lanes_load(st, 1, &nips, &got, &n, &e), 0);
    ck_assert_uint_eq(nips, 0);
    store_close(st);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), 9);
    ck_assert_int_eq(count_rows(fx.path, "SELECT value FROM nat_metrics WHERE idx = 1"), 12);
    fx_init(&fresh);
    store_close(open_ok(fresh.path));
    a = schema_text(fx.path);
    b = schema_text(fresh.path);
    {
        size_t k = 0;

        while (a[k] && a[k] == b[k])
            k++;
        ck_assert_msg(a[k] == b[k], "the upgraded schema differs from a new one at byte %zu: "
                      "'%.60s' against '%.60s'", k, a + k, b + k);
    }
    ck_assert_ptr_nonnull(strstr(a, "view nat_lane_samples: CREATE VIEW"));
    free(a);
    free(b);
    fx_fini(&fresh);
    fx_fini(&fx);
}
END_TEST

/* A new database is made at the current version in one step: schema.sql
 * as it stands, the samples a view over sample_series from the start. */
START_TEST(test_new_database_is_current)
{
    struct fixture fx;
    struct store *st;

    fx_init(&fx);
    st = open_ok(fx.path);
    store_close(st);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    ck_assert_int_eq(STORE_SCHEMA_VERSION, 9);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM pragma_table_info('runs') "
                                         "WHERE name = 'truncated_at'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "name = 'nat_metrics'"), 1);     /* issue 12 */
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "name = 'nat_lanes'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM pragma_table_info('runs') "
                                         "WHERE name = 'source'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM pragma_table_info('runs') "
                                         "WHERE name = 'seed' AND type = 'TEXT'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "type = 'view' AND name = 'run_params'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "type = 'table' AND name = 'sample_series'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "type = 'view' AND name = 'samples'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "type = 'trigger' AND name = 'samples_delete'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "type = 'view' AND name = 'run_summary'"), 1);
    fx_fini(&fx);
}
END_TEST

START_TEST(test_merge)
{
    struct fixture fx;
    struct store *a, *b, *out;
    char pa[4300], pb[4300], po[4300];
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[2] = {{1000000000, 1, 2, 3, 4, 5, 0, 0},
                                {2000000000, 6, 7, 8, 9, 10, 0, 0}};
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
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM sweeps"), 2);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM runs"), 6);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM runs r JOIN sweeps s ON "
                                     "s.id = r.sweep_id WHERE s.name = 'sw'"), 4);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM metrics"), 5);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM samples"), 8);
    ck_assert_int_eq(count_rows(po, "SELECT sum(requests) FROM samples"), 4 * 15);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM sample_series"), 4);
    ck_assert_int_eq(count_rows(po, "SELECT count(*) FROM sample_series s JOIN runs r "
                                     "ON r.id = s.run_id WHERE r.params_hash = 'dd'"), 4);
    {
        struct store_run got;
        struct run_sample *gs = NULL;
        size_t n = 0;
        int64_t id = count_rows(po, "SELECT max(run_id) FROM sample_series");

        ck_assert_int_eq(store_run_load(out, id, &got, NULL, &gs, &n, &e), 0);
        ck_assert_uint_eq(n, 2);
        assert_samples_eq(gs, smp, 2);
        free(gs);
        store_run_fini(&got);
    }
    /* merging a file that is not there, or not portsim */
    ck_assert_int_eq(store_merge(out, "/nonexistent.db", &added, &e), PS_EIO);
    store_close(out);
    fx_fini(&fx);
}
END_TEST

/* Sample counts from none to an hour's worth (and around the 64-row block of
 * schema version 1): every row comes back, exactly, in order. */
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

/* Times that need every digit of the series' decimal seconds, and the
 * largest values of every field. */
static const struct run_sample odd_samples[] = {
    {0, 0, 0, 0, 0, 0, 0, 0},
    {1, 1, 2, 3, 4, 5, 0, 0},                                   /* 0.000000001 s */
    {250000000, 10, 20, 30, 40, 50, 0, 0},                      /* 0.25 s */
    {12000000001u, 7, 0, 7, 0, 7, 0, 0},                        /* 12.000000001 s */
    {UINT64_C(3600) * 1000000000u, 3976, 3975, 20, 0, 20, 0, 0}, /* 3600 s */
    {UINT64_C(315360000000000001), UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX,
     UINT32_MAX, UINT32_MAX, UINT32_MAX},                       /* 3650 d + 1 ns */
    {UINT64_MAX, 1, 1, 1, 1, 1, 0, 0},
};
#define NODD (sizeof(odd_samples) / sizeof(odd_samples[0]))

START_TEST(test_series_exact)
{
    struct fixture fx;
    struct store *st;
    struct store_run r = sample_run("ab", 1, 0), got;
    struct run_metrics m = sample_metrics(0);
    struct run_sample *gs = NULL;
    size_t n = 0;
    int64_t id = 0;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_msg(store_record_run(st, &r, &m, odd_samples, NODD, &id, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(count_rows(fx.path, "SELECT n FROM sample_series"), (int64_t)NODD);
    ck_assert_int_eq(store_run_load(st, id, &got, NULL, &gs, &n, &e), 0);
    ck_assert_uint_eq(n, NODD);
    assert_samples_eq(gs, odd_samples, NODD);
    free(gs);
    store_run_fini(&got);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* The 'samples' view has version 1's columns, in order, one row per sample
 * in time order; 't' is REAL and, for these times, the very value version 1
 * stored (simtime_to_s()). */
START_TEST(test_samples_view)
{
    static const char *const cols[] = {"run_id", "t", "in_use", "time_wait", "connects",
                                       "failures", "requests", "bound", "candidates_max"};
    struct fixture fx;
    sqlite3 *side;
    struct store *st;
    struct store_run r1 = sample_run("ab", 1, 0), r2 = sample_run("ab", 2, 0);
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[200];
    sqlite3_stmt *s;
    int64_t id1 = 0, id2 = 0;
    size_t k = 0;
    struct err e;

    memset(smp, 0, sizeof(smp));
    for (size_t i = 0; i < 200; i++) {      /* every 0.1 s, then every 1 s */
        smp[i].t = i < 100 ? (i + 1) * 100000000u : (i - 89) * UINT64_C(1000000000);
        smp[i].in_use = (uint32_t)(i * 37);
        smp[i].time_wait = (uint32_t)(i * 41);
        smp[i].connects = (uint32_t)(i % 13);
        smp[i].failures = (uint32_t)(i % 3);
        smp[i].requests = (uint32_t)(i % 17);
    }
    fx_init(&fx);
    st = open_ok(fx.path);
    side = side_open(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_record_run(st, &r1, &m, smp, 200, &id1, &e), 0);
    ck_assert_int_eq(store_record_run(st, &r2, &m, smp, 3, &id2, &e), 0);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 203);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples WHERE typeof(t) <> 'real' "
                                    "OR typeof(in_use) <> 'integer'"), 0);
    ck_assert_int_eq(sqlite3_prepare_v2(side, "SELECT * FROM samples WHERE run_id = ?1 "
                                        "ORDER BY t", -1, &s, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_column_count(s), 9);
    for (int c = 0; c < 9; c++)
        ck_assert_str_eq(sqlite3_column_name(s, c), cols[c]);
    sqlite3_bind_int64(s, 1, id1);
    for (; sqlite3_step(s) == SQLITE_ROW; k++) {
        ck_assert_int_eq(sqlite3_column_int64(s, 0), id1);
        ck_assert_msg(sqlite3_column_double(s, 1) == simtime_to_s(smp[k].t),
                      "row %zu: t %.17g, expected %.17g", k, sqlite3_column_double(s, 1),
                      simtime_to_s(smp[k].t));
        ck_assert_int_eq(sqlite3_column_int64(s, 2), smp[k].in_use);
        ck_assert_int_eq(sqlite3_column_int64(s, 3), smp[k].time_wait);
        ck_assert_int_eq(sqlite3_column_int64(s, 4), smp[k].connects);
        ck_assert_int_eq(sqlite3_column_int64(s, 5), smp[k].failures);
        ck_assert_int_eq(sqlite3_column_int64(s, 6), smp[k].requests);
    }
    ck_assert_uint_eq(k, 200);
    sqlite3_finalize(s);
    /* the view without ORDER BY comes in (run, time) order as the table did */
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM (SELECT t, lag(t) OVER () AS p, "
                                    "run_id, lag(run_id) OVER () AS pr FROM samples) "
                                    "WHERE run_id = pr AND t <= p"), 0);
    sqlite3_close(side);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* DELETE on the view goes through its trigger to the series; deleting a
 * run still cascades to its series. */
START_TEST(test_samples_view_delete)
{
    struct fixture fx;
    sqlite3 *side;
    struct store *st;
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[2] = {{1000000000, 1, 2, 3, 4, 5, 0, 0},
                                {2000000000, 6, 7, 8, 9, 10, 0, 0}};
    int64_t id[3];
    struct err e;
    char sql[128];

    fx_init(&fx);
    st = open_ok(fx.path);
    side = side_open(fx.path);
    err_clear(&e);
    for (int i = 0; i < 3; i++) {
        struct store_run r = sample_run("ab", (uint64_t)i + 1, 0);

        ck_assert_int_eq(store_record_run(st, &r, &m, smp, 2, &id[i], &e), 0);
    }
    snprintf(sql, sizeof(sql), "DELETE FROM samples WHERE run_id = %lld", (long long)id[0]);
    ck_assert_int_eq(sqlite3_exec(side, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sample_series"), 2);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 4);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs"), 3);
    snprintf(sql, sizeof(sql), "DELETE FROM runs WHERE id = %lld", (long long)id[1]);
    ck_assert_int_eq(sqlite3_exec(side, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 2);
    /* as e2e_report.sh clears a database */
    ck_assert_int_eq(sqlite3_exec(side, "DELETE FROM samples; DELETE FROM metrics; "
                                  "DELETE FROM runs", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sample_series"), 0);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs"), 0);
    sqlite3_close(side);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* A series that does not parse, or does not match its count, is PS_EDB. */
START_TEST(test_malformed_series)
{
    static const struct {
        const char *data;
        int n;
    } bad[] = {
        {"[[1,2,3,4,5]]", 1},                       /* a field short */
        {"[[1,2,3,4,5,6]", 1},                      /* unclosed */
        {"[[1,2,3,4,5,-6]]", 1},                    /* negative */
        {"[[1.5e3,2,3,4,5,6]]", 1},                 /* exponent */
        {"[[1,2,3,4,5,4294967296]]", 1},            /* over 32 bits */
        {"[[1.0000000001,2,3,4,5,6]]", 1},          /* finer than 1 ns */
        {"[[1.,2,3,4,5,6]]", 1},                    /* no digit after the point */
        {"[[18446744073.709551616,2,3,4,5,6]]", 1}, /* over 64 bits of ns */
        {"[[2,2,3,4,5,6],[1,2,3,4,5,6]]", 2},       /* out of order */
        {"[[1,2,3,4,5,6]] x", 1},                   /* trailing text */
        {"[[1,2,3,4,5,6]]", 2},                     /* wrong count */
        {"[[1,2,3,4,5,6]]", -1},
    };
    struct fixture fx;
    sqlite3 *side;
    struct store *st;
    struct store_run r = sample_run("ab", 1, 0), got;
    struct run_metrics m = sample_metrics(0);
    struct run_sample smp[1] = {{1000000000, 1, 2, 3, 4, 5, 0, 0}}, *gs = NULL;
    sqlite3_stmt *s;
    size_t n = 0;
    int64_t id = 0;
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    side = side_open(fx.path);
    err_clear(&e);
    ck_assert_int_eq(store_record_run(st, &r, &m, smp, 1, &id, &e), 0);
    ck_assert_int_eq(sqlite3_prepare_v2(side, "UPDATE sample_series SET data = ?1, "
                                        "n = ?2", -1, &s, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, bad[i].data, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, bad[i].n);
        ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
        ck_assert_msg(store_run_load(st, id, &got, NULL, &gs, &n, &e) == PS_EDB, "%s",
                      bad[i].data);
        ck_assert_ptr_nonnull(strstr(e.msg, "malformed sample series"));
    }
    /* blanks are fine */
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, " [ [ 1.5 , 2 ,3,4,5,6 ] ] ", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, 1);
    ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    ck_assert_int_eq(store_run_load(st, id, &got, NULL, &gs, &n, &e), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(gs[0].t, 1500000000u);
    ck_assert_uint_eq(gs[0].requests, 6);
    free(gs);
    store_run_fini(&got);
    sqlite3_close(side);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* tests/fixtures/schema-v1.sql, the first release's schema; caller frees. */
static char *schema_v1(void)
{
    FILE *f = fopen("tests/fixtures/schema-v1.sql", "r");
    char *text = calloc(1, 1 << 16);
    size_t n;

    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(text);
    n = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    ck_assert_uint_gt(n, 1000);
    return text;
}

/* A version-1 database, made by hand, opened by this program: every sample
 * survives the move into series, in time order, and the view returns what
 * the table held. */
START_TEST(test_upgrade_from_v1)
{
    struct fixture fx;
    sqlite3 *side;
    struct store *st;
    sqlite3 *db;
    sqlite3_stmt *s;
    double before[8][7];
    int nbefore = 0;
    char *v1;
    struct err e;
    /* run 1: rows inserted out of order, fractional times; run 2: one
     * sample; run 3: none */
    static const char rows_sql[] =
        "INSERT INTO runs (id, scenario_name, params_json, params_hash, seed, replication, "
        "version, status, started_at) VALUES (1, 'kb', '{}', 'h', 1, 0, '0.1', 'ok', 'x'), "
        "(2, 'kb', '{}', 'h', 2, 0, '0.1', 'ok', 'x'), "
        "(3, 'kb', '{}', 'h', 3, 0, '0.1', 'ok', 'x');"
        "INSERT INTO samples VALUES (1, 3.0, 30, 31, 32, 33, 34), (1, 0.5, 5, 6, 7, 8, 9), "
        "(1, 1.25, 10, 11, 12, 13, 14), (1, 2.0, 4294967295, 0, 0, 0, 0), "
        "(1, 0.001, 1, 1, 1, 1, 1), (2, 3600.0, 3976, 3975, 20, 0, 20);"
        "PRAGMA application_id = 1347635533; PRAGMA user_version = 1;";
    static const struct run_sample want1[] = {
        {1000000, 1, 1, 1, 1, 1, 0, 0},         {500000000, 5, 6, 7, 8, 9, 0, 0},
        {1250000000, 10, 11, 12, 13, 14, 0, 0}, {2000000000, 4294967295u, 0, 0, 0, 0, 0, 0},
        {3000000000u, 30, 31, 32, 33, 34, 0, 0},
    };
    static const struct run_sample want2[] = {
        {UINT64_C(3600000000000), 3976, 3975, 20, 0, 20, 0, 0}};

    fx_init(&fx);
    ck_assert_int_eq(STORE_APPLICATION_ID, 1347635533);
    ck_assert_int_eq(sqlite3_open(fx.path, &db), SQLITE_OK);
    v1 = schema_v1();
    ck_assert_int_eq(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
    free(v1);
    ck_assert_int_eq(sqlite3_exec(db, rows_sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT * FROM samples ORDER BY run_id, t", -1, &s,
                                        NULL), SQLITE_OK);
    for (; sqlite3_step(s) == SQLITE_ROW; nbefore++) {
        for (int c = 0; c < 7; c++)
            before[nbefore][c] = sqlite3_column_double(s, c);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    ck_assert_int_eq(nbefore, 6);

    st = open_ok(fx.path);
    side = side_open(fx.path);
    err_clear(&e);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs WHERE source = 'sim'"),
                     count_rows(fx.path, "SELECT count(*) FROM runs"));
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sqlite_master WHERE "
                                         "name = 'samples' AND type = 'view'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM sample_series"), 2);
    for (int64_t id = 1; id <= 3; id++) {
        const struct run_sample *want = id == 1 ? want1 : want2;
        size_t nwant = id == 1 ? 5 : id == 2 ? 1 : 0;
        struct store_run got;
        struct run_sample *gs = NULL;
        size_t n = 99;

        ck_assert_int_eq(store_run_load(st, id, &got, NULL, &gs, &n, &e), 0);
        ck_assert_uint_eq(n, nwant);
        assert_samples_eq(gs, want, n);
        free(gs);
        store_run_fini(&got);
    }
    ck_assert_int_eq(sqlite3_prepare_v2(side, "SELECT * FROM samples ORDER BY run_id, t",
                                        -1, &s, NULL), SQLITE_OK);
    for (int k = 0; k < nbefore; k++) {
        ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
        for (int c = 0; c < 7; c++)
            ck_assert_msg(sqlite3_column_double(s, c) == before[k][c], "row %d column %d: "
                          "%.17g, expected %.17g", k, c, sqlite3_column_double(s, c),
                          before[k][c]);
    }
    ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    store_close(st);
    /* opening again changes nothing */
    st = open_ok(fx.path);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 6);
    sqlite3_close(side);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* A version-3 database (tests/fixtures/schema-v3.sql) opened by this
 * program: seeds stored negative (2^64 - 2 as -2) come back unsigned, as
 * text, in SQL and through the store; metrics and samples survive the
 * rebuild of 'runs' (no cascade); run_params and run_summary answer. */
START_TEST(test_upgrade_from_v3)
{
    struct fixture fx;
    struct store *st;
    struct store_run got;
    struct run_metrics m;
    sqlite3 *db;
    char *v3;
    struct err e;
    FILE *f;
    size_t n;
    static const char rows_sql[] =
        "INSERT INTO runs (id, scenario_name, params_json, params_hash, seed, replication, "
        "version, status, started_at) VALUES "
        "(1, 'kb', '{\"stack\":{\"time_wait\":240},\"workload\":{\"rate\":40}}', 'h', -2, 0,"
        " '0.1', 'ok', 'x'), "
        "(2, 'kb', '{}', 'h', 5, 1, '0.1', 'ok', 'x');"
        "INSERT INTO metrics VALUES (1, 10, 0, 10, 9, 1, 1, 0, 0, 1, 3, 1.5, 4, 2.5, 0, 0, 0,"
        " 0.25, 40, 0.01, '00000000000000ab');"
        "INSERT INTO sample_series VALUES (1, 1, '[[0,1,2,3,4,5]]');"
        "PRAGMA application_id = 1347635533; PRAGMA user_version = 3;";

    fx_init(&fx);
    ck_assert_ptr_nonnull(f = fopen("tests/fixtures/schema-v3.sql", "r"));
    ck_assert_ptr_nonnull(v3 = calloc(1, 1 << 16));
    n = fread(v3, 1, (1 << 16) - 1, f);
    fclose(f);
    ck_assert_uint_gt(n, 1000);
    ck_assert_int_eq(sqlite3_open(fx.path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, v3, NULL, NULL, NULL), SQLITE_OK);
    free(v3);
    ck_assert_int_eq(sqlite3_exec(db, rows_sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    st = open_ok(fx.path);
    err_clear(&e);
    ck_assert_int_eq(count_rows(fx.path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    /* 2^64 - 2 = 18446744073709551614 */
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs WHERE id = 1 AND "
                                         "seed = '18446744073709551614'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM runs WHERE id = 2 AND "
                                         "seed = '5' AND typeof(seed) = 'text'"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM metrics"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM samples"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM run_params WHERE run_id = 1 AND"
                                         " key = 'workload.rate' AND value = 40"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM run_params"), 2);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM run_summary WHERE "
                                         "seed = '18446744073709551614' AND requests = 10"), 1);
    ck_assert_int_eq(store_run_load(st, 1, &got, &m, NULL, NULL, &e), 0);
    ck_assert_uint_eq(got.seed, UINT64_MAX - 1);
    ck_assert_uint_eq(m.connects, 9);
    store_run_fini(&got);
    /* the rebuilt table keeps its constraints and its foreign keys */
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM pragma_index_list('runs') "
                                         "WHERE \"unique\" = 1"), 1);
    ck_assert_int_eq(count_rows(fx.path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    store_close(st);
    fx_fini(&fx);
}
END_TEST

/* runs.source (version 3): 'sim' unless said otherwise, read back, and kept
 * apart by merge (a kernel run beside its simulated twin of the same
 * parameters, seed, start time and host is not a repeat). */
START_TEST(test_source)
{
    struct fixture fx;
    struct store *st, *other;
    struct store_run r = sample_run("aa", 5, 0), got;
    struct run_metrics m = sample_metrics(0);
    int64_t sim_id = 0, k_id = 0, added = 0;
    char other_path[4300];
    struct err e;

    fx_init(&fx);
    st = open_ok(fx.path);
    err_clear(&e);
    r.remedy = "";
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &sim_id, &e), 0);
    r.source = "kernel";
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, &k_id, &e), 0);
    ck_assert_int_eq(store_run_load(st, sim_id, &got, NULL, NULL, NULL, &e), 0);
    ck_assert_str_eq(got.source, "sim");
    store_run_fini(&got);
    ck_assert_int_eq(store_run_load(st, k_id, &got, NULL, NULL, NULL, &e), 0);
    ck_assert_str_eq(got.source, "kernel");
    store_run_fini(&got);
    r.source = "other";
    ck_assert_int_eq(store_record_run(st, &r, &m, NULL, 0, NULL, &e), PS_EDB);

    snprintf(other_path, sizeof(other_path), "%s/other.db", fx.dir);
    other = open_ok(other_path);
    ck_assert_int_eq(store_merge(other, fx.path, &added, &e), 0);
    ck_assert_int_eq(added, 2);
    ck_assert_int_eq(count_rows(other_path,
                                "SELECT count(*) FROM runs WHERE source = 'kernel'"), 1);
    ck_assert_int_eq(store_merge(other, fx.path, &added, &e), 0);
    ck_assert_int_eq(added, 0);
    store_close(other);
    store_close(st);
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
    tcase_add_test(core, test_samples_view);
    tcase_add_test(core, test_samples_view_delete);
    tcase_add_test(core, test_upgrade_from_v1);
    tcase_add_test(core, test_upgrade_from_v3);
    tcase_add_test(core, test_upgrade_from_v8);
    tcase_add_test(core, test_nat_lanes_round_trip);
    tcase_add_test(core, test_source);
    tcase_add_test(core, test_open_modes);
    tcase_add_test(core, test_new_database_is_current);
    tcase_add_test(core, test_truncated_run_round_trip);
    tcase_add_test(edge, test_pragmas);
    tcase_add_test(edge, test_refuses_foreign_files);
    tcase_add_test(edge, test_series_exact);
    tcase_add_test(edge, test_malformed_series);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
