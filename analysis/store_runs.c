/* store_runs.c - writing and reading runs, their metrics and sample series.
 *
 * Writing a run is one transaction (BEGIN IMMEDIATE ... COMMIT: the runs
 * row, its metrics, its series); any failure rolls it back, so a crash or
 * an error leaves no partial run, and a sweep run that another writer
 * recorded first is kept, not doubled.  Reading takes a database as
 * untrusted input: each metric must be of its kind, and the counts must
 * agree with each other.
 *
 * Samples: a run's samples are one row of 'sample_series', a compact JSON
 * array [[t, in_use, time_wait, connects, failures, requests], ...] in
 * time order, t in seconds written as an exact decimal (at most 9 digits
 * after the point, so every nanosecond survives), formatted by
 * analysis/series.c into a buffer the store keeps between runs and read
 * back by its exact parser.  'samples' is a view that unpacks it with json_each.  Cost of
 * recording 3,600 samples: one ~90 kB row, ~0.45 ms in all, against
 * ~1.8 ms for the 3,600 rows (64-row INSERTs) of schema version 1.
 */
#include "analysis/store_int.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analysis/series.h"
#include "sim/xalloc.h"

/* ---- Binding ---- */

/* Seeds are TEXT, the unsigned decimal (schema version 4). */
static void bind_seed(sqlite3_stmt *s, int i, uint64_t seed)
{
    char text[24];

    snprintf(text, sizeof(text), "%" PRIu64, seed);
    sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
}

static uint64_t column_seed(sqlite3_stmt *s, int i)
{
    const char *text = (const char *)sqlite3_column_text(s, i);

    return text ? (uint64_t)strtoull(text, NULL, 10) : 0;
}

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id == 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int64(s, i, id);
}

/* ---- Sample series ---- */

/* Format 'n' samples as the JSON text of a series into 'st->series' (grown
 * as needed, kept for the next run); '*len' gets its length.  PS_EINVAL
 * unless the times strictly increase, which the view and the reader rely on
 * (it was the primary key of schema version 1).  O(n), no allocation once
 * the buffer has grown to a run's size. */
static int format_series(struct store *st, const struct run_sample *smp, size_t n, size_t *len,
                         struct err *e)
{
    size_t need = series_max_len(n), bad = 0;

    if (need > st->series_cap) {
        st->series = xrealloc(st->series, need);
        st->series_cap = need;
    }
    if (!series_format(smp, n, st->series, len, &bad))
        return err_set(e, PS_EINVAL, "%s: sample %zu at %" PRIu64 " ns does not follow "
                       "the one before (%" PRIu64 " ns)", st->path, bad, smp[bad].t,
                       smp[bad - 1].t);
    return 0;
}

/* Insert the series of run 'run_id' (inside the caller's transaction).  A
 * run without samples gets no row. */
int store_insert_series(struct store *st, int64_t run_id, const struct run_sample *samples,
                        size_t n, struct err *e)
{
    sqlite3_stmt *s;
    size_t len = 0;
    int rc;

    if (n == 0)
        return 0;
    if ((rc = format_series(st, samples, n, &len, e)) != 0 ||
        (rc = store_prepare(st, ST_SERIES_INSERT, &s, e)) != 0)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, (int64_t)n);
    /* STATIC: 'st->series' is not touched again before the step */
    if (sqlite3_bind_text64(s, 3, st->series, len, SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
        return store_db_error(st, e);
    return store_step_done(st, s, e);
}

/* The samples of run 'run_id' into a new array '*out' (NULL, '*n' 0 when
 * it has none).  PS_EDB if its series is malformed. */
static int load_series(struct store *st, int64_t run_id, struct run_sample **out, size_t *n,
                       struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_prepare(st, ST_SERIES_SELECT, &s, e)) != 0)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    rc = sqlite3_step(s);
    *out = NULL;
    *n = 0;
    if (rc == SQLITE_ROW) {
        int64_t count = sqlite3_column_int64(s, 0);
        const char *text = (const char *)sqlite3_column_text(s, 1);
        size_t len = (size_t)sqlite3_column_bytes(s, 1);

        rc = 0;
        if (!text || !series_parse(text, len, count, out))
            rc = err_set(e, PS_EDB, "%s: run %" PRId64 ": malformed sample series", st->path,
                         run_id);
        else
            *n = (size_t)count;
    } else if (rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = store_db_error(st, e);
    }
    sqlite3_reset(s);
    return rc;
}

/* ---- Writing runs ---- */

static int exists(struct store *st, enum stmt_id id, int64_t sweep_id, const char *hash,
                  uint64_t seed, uint32_t replication, bool *found, struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_prepare(st, id, &s, e)) != 0)
        return rc;
    store_bind_text(s, 1, hash, "");
    bind_seed(s, 2, seed);
    sqlite3_bind_int64(s, 3, replication);
    if (id == ST_SWEEP_RUN_EXISTS)
        bind_id(s, 4, sweep_id);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, e);
    *found = rc == SQLITE_ROW;
    return 0;
}

int store_run_exists(struct store *st, const char *params_hash, uint64_t seed,
                     uint32_t replication, bool *found, struct err *e)
{
    return exists(st, ST_RUN_EXISTS, 0, params_hash, seed, replication, found, e);
}

int store_sweep_run_exists(struct store *st, int64_t sweep_id, const char *params_hash,
                           uint64_t seed, uint32_t replication, bool *found, struct err *e)
{
    return exists(st, ST_SWEEP_RUN_EXISTS, sweep_id, params_hash, seed, replication, found, e);
}

int store_sweep_any_run(struct store *st, int64_t sweep_id, bool *found, struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_prepare(st, ST_SWEEP_ANY_RUN, &s, e)) != 0)
        return rc;
    bind_id(s, 1, sweep_id);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, e);
    *found = rc == SQLITE_ROW;
    return 0;
}

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Insert the runs row (inside the caller's transaction). */
int store_insert_run(struct store *st, const struct store_run *run, const char *status,
                     const char *error, const struct run_metrics *m, int64_t *run_id,
                     struct err *e)
{
    sqlite3_stmt *s;
    char started[32], host[256], digest[17];
    int rc;

    if (run->sweep_id != 0) {
        bool found;

        /* another writer of the same sweep recorded it first (two 'portsim
         * sweep' of one sweep at once): the run is there, keep that one */
        if ((rc = exists(st, ST_SWEEP_RUN_EXISTS, run->sweep_id, run->params_hash, run->seed,
                         run->replication, &found, e)) != 0)
            return rc;
        if (found)
            return STORE_ALREADY_RECORDED;
    }
    if ((rc = store_prepare(st, ST_DELETE_FAILED, &s, e)) != 0)
        return rc;
    store_bind_text(s, 1, run->params_hash, "");
    bind_seed(s, 2, run->seed);
    sqlite3_bind_int64(s, 3, run->replication);
    bind_id(s, 4, run->sweep_id);
    if ((rc = store_step_done(st, s, e)) != 0)
        return rc;
    if ((rc = store_prepare(st, ST_RUN_INSERT, &s, e)) != 0)
        return rc;
    if (!run->started_at)
        now_iso(started, sizeof(started));
    if (!run->host && gethostname(host, sizeof(host)) != 0)
        host[0] = '\0';
    host[sizeof(host) - 1] = '\0';
    bind_id(s, 1, run->sweep_id);
    store_bind_text(s, 2, run->remedy, "");
    store_bind_text(s, 3, run->point_json, "{}");
    store_bind_text(s, 4, run->scenario_name, "");
    store_bind_text(s, 5, run->params_json, "");
    store_bind_text(s, 6, run->params_hash, "");
    bind_seed(s, 7, run->seed);
    sqlite3_bind_int64(s, 8, run->replication);
    store_bind_text(s, 9, run->version, "");
    if (m) {
        snprintf(digest, sizeof(digest), "%016" PRIx64, m->digest);
        store_bind_text(s, 10, digest, "");
    }
    store_bind_text(s, 11, status, "");
    if (error)
        store_bind_text(s, 12, error, "");
    sqlite3_bind_double(s, 13, m ? m->wall_seconds : run->wall_seconds);
    store_bind_text(s, 14, run->started_at ? run->started_at : started, "");
    store_bind_text(s, 15, run->host ? run->host : host, "");
    store_bind_text(s, 16, run->source, "sim");
    if (run->truncated)
        sqlite3_bind_double(s, 17, run->truncated_at);
    if ((rc = store_step_done(st, s, e)) != 0)
        return rc;
    *run_id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int store_insert_metrics(struct store *st, int64_t run_id, const struct run_metrics *m,
                         struct err *e)
{
    sqlite3_stmt *s;
    char digest[17];
    int i = 1, rc;

    if ((rc = store_prepare(st, ST_METRICS_INSERT, &s, e)) != 0)
        return rc;
    sqlite3_bind_int64(s, i++, run_id);
#define BIND_U(n) sqlite3_bind_int64(s, i++, (int64_t)m->n);
#define BIND_D(n) sqlite3_bind_double(s, i++, m->n);
#define BIND_T(n)                                  \
    if (m->has_first_failure)                      \
        sqlite3_bind_double(s, i++, m->n);         \
    else                                           \
        sqlite3_bind_null(s, i++);
#define BIND_H(n)                                              \
    snprintf(digest, sizeof(digest), "%016" PRIx64, m->n);     \
    store_bind_text(s, i++, digest, "");
#define BIND(name, kind) BIND_##kind(name)
    METRICS_FIELDS(BIND)
#undef BIND
    assert(i == NMETRICS + 2);
    return store_step_done(st, s, e);
}

int store_record_run(struct store *st, const struct store_run *run, const struct run_metrics *m,
                     const struct run_sample *samples, size_t nsamples, int64_t *run_id,
                     struct err *e)
{
    return store_record_run_nat(st, run, m, NULL, samples, nsamples, run_id, e);
}

int store_record_failed_run(struct store *st, const struct store_run *run, const char *error,
                            int64_t *run_id, struct err *e)
{
    int64_t id = 0;
    int rc;

    if ((rc = store_exec(st, "BEGIN IMMEDIATE", e)) != 0)
        return rc;
    if ((rc = store_insert_run(st, run, "failed", error ? error : "", NULL, &id, e)) != 0 ||
        (rc = store_exec(st, "COMMIT", e)) != 0) {
        store_rollback(st);
        if (rc == STORE_ALREADY_RECORDED && run_id)
            *run_id = 0;
        return rc == STORE_ALREADY_RECORDED ? 0 : rc;
    }
    if (run_id)
        *run_id = id;
    return 0;
}

/* ---- Reading runs ---- */

/* Fill 'run' from a row of "SELECT id, RUN_COLS": strings copied into one
 * allocation that 'run' owns. */
static void read_run(sqlite3_stmt *s, struct store_run *run)
{
    /* column of each string field, in RUN_COLS order (+1 for id) */
    static const int cols[] = {2, 3, 4, 5, 6, 9, 10, 11, 12, 14, 15, 16};
    const char **dst[] = {&run->remedy, &run->point_json, &run->scenario_name,
                          &run->params_json, &run->params_hash, &run->version, NULL,
                          &run->status, &run->error, &run->started_at, &run->host,
                          &run->source};
    size_t total = 0, used = 0;
    const char *digest;

    memset(run, 0, sizeof(*run));
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        total += (size_t)sqlite3_column_bytes(s, cols[i]) + 1;
    run->strings_ = xmalloc(total);
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        const unsigned char *text = sqlite3_column_text(s, cols[i]);
        size_t len = (size_t)sqlite3_column_bytes(s, cols[i]);

        if (!dst[i])
            continue;
        if (!text) {
            *dst[i] = NULL;
            continue;
        }
        memcpy(run->strings_ + used, text, len + 1);
        *dst[i] = run->strings_ + used;
        used += len + 1;
    }
    run->id = sqlite3_column_int64(s, 0);
    run->sweep_id = sqlite3_column_type(s, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 1);
    run->seed = column_seed(s, 7);
    run->replication = (uint32_t)sqlite3_column_int64(s, 8);
    digest = (const char *)sqlite3_column_text(s, 10);
    run->digest = digest ? (uint64_t)strtoull(digest, NULL, 16) : 0;
    run->wall_seconds = sqlite3_column_double(s, 13);
    run->truncated = sqlite3_column_type(s, 17) != SQLITE_NULL;
    run->truncated_at = run->truncated ? sqlite3_column_double(s, 17) : 0;
}

/* Whether column 'i' of 's' holds a whole number >= 0 (a U metric). */
static bool is_count(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_INTEGER && sqlite3_column_int64(s, i) >= 0;
}

/* Whether column 'i' holds a finite number >= 0 (a D or T metric). */
static bool is_amount(sqlite3_stmt *s, int i)
{
    int t = sqlite3_column_type(s, i);
    double v = sqlite3_column_double(s, i);

    return (t == SQLITE_INTEGER || t == SQLITE_FLOAT) && isfinite(v) && v >= 0;
}

/* Whether column 'i' holds 1..16 hex digits (the digest). */
static bool is_hex64(sqlite3_stmt *s, int i)
{
    const char *hex = (const char *)sqlite3_column_text(s, i);
    size_t n = hex ? strlen(hex) : 0;

    return n >= 1 && n <= 16 && strspn(hex, "0123456789abcdefABCDEF") == n;
}

/* Fill 'm' from a row of "SELECT run_id METRIC_COLS".  A database is
 * untrusted input (a shard from elsewhere, a damaged file): the name of
 * the first metric that is not of its kind (a count, a finite amount, a
 * digest) is returned, NULL when every one is. */
static const char *read_metrics(sqlite3_stmt *s, struct run_metrics *m)
{
    const char *bad = NULL;
    int i = 1;
    const char *hex;

    memset(m, 0, sizeof(*m));
#define BAD(n, ok) if (!bad && !(ok)) bad = #n;
#define GET_U(n) BAD(n, is_count(s, i)) m->n = (uint64_t)sqlite3_column_int64(s, i++);
#define GET_D(n) BAD(n, is_amount(s, i)) m->n = sqlite3_column_double(s, i++);
#define GET_T(n)                                                  \
    m->has_first_failure = sqlite3_column_type(s, i) != SQLITE_NULL; \
    BAD(n, !m->has_first_failure || is_amount(s, i))                 \
    m->n = m->has_first_failure ? sqlite3_column_double(s, i) : 0;   \
    i++;
#define GET_H(n)                                                      \
    BAD(n, is_hex64(s, i))                                            \
    hex = (const char *)sqlite3_column_text(s, i++);                  \
    m->n = hex ? (uint64_t)strtoull(hex, NULL, 16) : 0;
#define GET(name, kind) GET_##kind(name)
    METRICS_FIELDS(GET)
#undef GET
#undef BAD
    assert(i == NMETRICS + 1);
    return bad;
}

/* The first way 'm' contradicts itself, or NULL (the counts of a run that
 * ran: no more failures than calls, no more failed requests than
 * requests). */
static const char *inconsistent(const struct run_metrics *m)
{
    if (m->connect_failures > m->connect_attempts)
        return "connect_failures > connect_attempts";
    if (m->connects > m->connect_attempts)
        return "connects > connect_attempts";
    if (m->connect_failures != m->failures_exhausted + m->failures_collision)
        return "connect_failures != failures_exhausted + failures_collision";
    if (m->requests_failed > m->requests)
        return "requests_failed > requests";
    if (m->cache_hits > m->requests)
        return "cache_hits > requests";
    return NULL;
}

static int load_metrics(struct store *st, int64_t run_id, struct run_metrics *m, bool *found,
                        struct err *e)
{
    const char *bad = NULL;
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_prepare(st, ST_METRICS_SELECT, &s, e)) != 0)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        bad = read_metrics(s, m);
    else
        memset(m, 0, sizeof(*m));
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, e);
    if (bad)
        return err_set(e, PS_EDB, "%s: run %" PRId64 ": metric %s is not a valid value "
                       "(a damaged or crafted database?)", st->path, run_id, bad);
    if (*found && (bad = inconsistent(m)) != NULL)
        return err_set(e, PS_EDB, "%s: run %" PRId64 ": inconsistent metrics: %s (a damaged "
                       "or crafted database?)", st->path, run_id, bad);
    return 0;
}

int store_run_load(struct store *st, int64_t run_id, struct store_run *run,
                   struct run_metrics *m, struct run_sample **samples, size_t *n,
                   struct err *e)
{
    sqlite3_stmt *s;
    bool found;
    int rc;

    if ((rc = store_prepare(st, ST_RUN_SELECT, &s, e)) != 0)
        return rc;
    sqlite3_bind_int64(s, 1, run_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return err_set(e, PS_EINVAL, "%s: no run %" PRId64, st->path, run_id);
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_db_error(st, e);
    }
    read_run(s, run);
    sqlite3_reset(s);
    if (m && (rc = load_metrics(st, run_id, m, &found, e)) != 0)
        goto out_fini;
    if (samples) {
        size_t count;

        if ((rc = load_series(st, run_id, samples, &count, e)) != 0)
            goto out_fini;
        if (n)
            *n = count;
    }
    return 0;

out_fini:
    store_run_fini(run);
    return rc;
}

void store_run_fini(struct store_run *run)
{
    free(run->strings_);
    memset(run, 0, sizeof(*run));
}

int store_runs_each(struct store *st, int64_t sweep_id, store_run_fn *fn, void *arg,
                    struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    /* Own statement: 'fn' may call back into the store. */
    if (sqlite3_prepare_v2(st->db,
                           sweep_id ? "SELECT id FROM runs WHERE sweep_id = ?1 ORDER BY id"
                                    : "SELECT id FROM runs ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    if (sweep_id)
        sqlite3_bind_int64(s, 1, sweep_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_run run;
        struct run_metrics m;
        bool found;
        int cb;

        if ((rc = store_run_load(st, sqlite3_column_int64(s, 0), &run, NULL, NULL, NULL,
                                 e)) != 0)
            goto out;
        if ((rc = load_metrics(st, run.id, &m, &found, e)) != 0) {
            store_run_fini(&run);
            goto out;
        }
        cb = fn(&run, found ? &m : NULL, arg);
        store_run_fini(&run);
        if (cb != 0) {
            rc = cb;
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : store_db_error(st, e);
out:
    sqlite3_finalize(s);
    return rc;
}

int store_kernel_pairs(struct store *st, struct store_kernel_pair **out, size_t *n,
                       struct err *e)
{
    static const char sql[] =
        "SELECT k.id, k.scenario_name, k.seed, "
        "(SELECT s.id FROM runs s WHERE s.source = 'sim' AND s.status = 'ok' "
        "AND s.params_hash = k.params_hash AND s.seed = k.seed "
        "AND s.replication = k.replication AND s.id < k.id ORDER BY s.id DESC LIMIT 1) "
        "FROM runs k WHERE k.source = 'kernel' AND k.status = 'ok' ORDER BY k.id";
    struct store_kernel_pair *v = NULL;
    size_t cap = 0, k = 0;
    sqlite3_stmt *s;
    int rc;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(s, 1);
        struct store_kernel_pair *p;

        v = xgrow(v, &cap, k + 1, sizeof(*v));
        p = &v[k++];
        p->kernel_id = sqlite3_column_int64(s, 0);
        snprintf(p->name, sizeof(p->name), "%s", name ? (const char *)name : "");
        p->seed = column_seed(s, 2);
        p->sim_id = sqlite3_column_type(s, 3) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 3);
    }
    rc = rc == SQLITE_DONE ? 0 : store_db_error(st, e);
    sqlite3_finalize(s);
    if (rc != 0) {
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return 0;
}
