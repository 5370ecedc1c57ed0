/* store_nat.c - issue 12's NAT rows: a NAT run's metrics and its lanes.
 *
 * A NAT run is written as any run is (store_runs.c) and, in the same
 * transaction, gets its 'nat_metrics' rows, one per (scope, index, name):
 * the run's totals, each public IP's and each host's; and its lanes, one
 * row of 'nat_lanes' per (run, public IP) ([t, ports, drops, flows] per
 * sample, t the samples' own exact decimal seconds; read back with
 * jansson: a few thousand values, not worth a hand parser).  Invariant: a
 * run has a lane for every public IP or none, each with a row per sample;
 * the reader refuses anything else as malformed.  Cost: O(IPs + hosts)
 * metric rows and O(samples x IPs) lane text per run.
 */
#include "analysis/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>
#include <sqlite3.h>

#include "sim/fmt.h"
#include "sim/xalloc.h"

/* ---- Writing ---- */

static int nat_row(struct store *st, sqlite3_stmt *s, int64_t run_id, const char *scope,
                   uint32_t idx, const char *name, double value, const char *text,
                   struct err *e)
{
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, idx);
    sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
    if (text)
        sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_double(s, 5, value);
    return sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_error(st, e);
}

static int nat_scope_rows(struct store *st, sqlite3_stmt *s, int64_t run_id, const char *scope,
                          uint32_t idx, const struct nat_scope_metrics *m, struct err *e)
{
    int rc = 0;

#define U(name) if (rc == 0) rc = nat_row(st, s, run_id, scope, idx, #name, (double)m->name, \
                                           NULL, e);
#define D(name) U(name)
#define FIELD(name, kind) kind(name)
    NAT_SCOPE_FIELDS(FIELD)
#undef FIELD
#undef U
#undef D
    return rc;
}

/* Insert the NAT rows of 'run_id' (inside the caller's transaction). */
static int insert_nat(struct store *st, int64_t run_id, const struct nat_run_metrics *n,
                      struct err *e)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (!n || !n->on)
        return 0;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO nat_metrics (run_id, scope, idx, name, value) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    rc = nat_scope_rows(st, s, run_id, "run", 0, &n->total, e);
    if (rc == 0)
        rc = nat_row(st, s, run_id, "run", 0, "connect_latency_p50", n->connect_p50_s, NULL, e);
    if (rc == 0)
        rc = nat_row(st, s, run_id, "run", 0, "connect_latency_p99", n->connect_p99_s, NULL, e);
    if (rc == 0)
        rc = nat_row(st, s, run_id, "run", 0, "pool_resets", (double)n->pool_resets, NULL, e);
    if (rc == 0)
        rc = nat_row(st, s, run_id, "run", 0, "failure_words", 0,
                     n->failure_words ? n->failure_words : "", e);
    for (uint32_t i = 0; rc == 0 && i < n->nips; i++)
        rc = nat_scope_rows(st, s, run_id, "ip", i, &n->ip[i], e);
    for (uint32_t h = 0; rc == 0 && h < n->nhosts; h++)
        rc = nat_scope_rows(st, s, run_id, "host", h, &n->host[h], e);
    sqlite3_finalize(s);
    return rc;
}

/* The lane of IP 'ip' as JSON text, [[t, ports, drops, flows], ...] with t
 * the samples' (exact decimal seconds), into a new string '*out'. */
static char *lane_text(const struct nat_run_metrics *n, uint32_t ip,
                       const struct run_sample *samples)
{
    /* a row: "[" t (at most 21) "," 3 x (at most 10) "," "]," */
    size_t cap = n->nlanes * 64 + 3, len = 0;
    char *buf = xmalloc(cap), t[FMT_BUF];

    buf[len++] = '[';
    for (size_t k = 0; k < n->nlanes; k++) {
        const struct nat_ip_sample *x = &n->lanes[k * n->nips + ip];

        len += (size_t)snprintf(buf + len, cap - len, "%s[%s,%" PRIu32 ",%" PRIu32 ",%"
                                PRIu32 "]", k ? "," : "",
                                fmt_seconds(samples[k].t, t, sizeof(t)), x->ports, x->drops,
                                x->flows);
    }
    buf[len++] = ']';
    buf[len] = '\0';
    return buf;
}

/* Insert the lanes of 'run_id', a row per public IP (inside the caller's
 * transaction); nothing without lanes.  O(samples x IPs). */
static int insert_lanes(struct store *st, int64_t run_id, const struct nat_run_metrics *n,
                        const struct run_sample *samples, size_t nsamples, struct err *e)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;

    if (!n || !n->on || !n->lanes || n->nlanes == 0)
        return 0;
    if (n->nlanes != nsamples)      /* a bug of the caller */
        return err_set(e, PS_EINVAL, "%s: %zu lane samples for %zu samples", st->path,
                       n->nlanes, nsamples);
    if (sqlite3_prepare_v2(st->db, "INSERT INTO nat_lanes (run_id, ip, n, data) "
                           "VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    for (uint32_t ip = 0; rc == 0 && ip < n->nips; ip++) {
        char *text = lane_text(n, ip, samples);

        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run_id);
        sqlite3_bind_int64(s, 2, ip);
        sqlite3_bind_int64(s, 3, (int64_t)n->nlanes);
        sqlite3_bind_text(s, 4, text, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_error(st, e);
        free(text);
    }
    sqlite3_finalize(s);
    return rc;
}

int store_record_run_nat(struct store *st, const struct store_run *run,
                         const struct run_metrics *m, const struct nat_run_metrics *nat,
                         const struct run_sample *samples, size_t nsamples, int64_t *run_id,
                         struct err *e)
{
    int64_t id = 0;
    int rc;

    if ((rc = store_exec(st, "BEGIN IMMEDIATE", e)) != 0)
        return rc;
    if ((rc = store_insert_run(st, run, "ok", NULL, m, &id, e)) != 0 ||
        (rc = store_insert_metrics(st, id, m, e)) != 0 ||
        (rc = store_insert_series(st, id, samples, nsamples, e)) != 0 ||
        (rc = insert_nat(st, id, nat, e)) != 0 ||
        (rc = insert_lanes(st, id, nat, samples, nsamples, e)) != 0 ||
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

int store_nat_means(struct store *st, int64_t sweep_id, const char *name, store_nat_fn *fn,
                    void *arg, struct err *e)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "SELECT r.remedy, avg(n.value), count(*) FROM runs r "
                           "JOIN nat_metrics n ON n.run_id = r.id AND n.scope = 'run' "
                           "AND n.name = ?2 WHERE r.status = 'ok' AND "
                           "r.truncated_at IS NULL AND (?1 = 0 OR r.sweep_id = ?1) "
                           "GROUP BY r.remedy "
                           "ORDER BY min(r.id)", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    sqlite3_bind_int64(s, 1, sweep_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(s, 0), sqlite3_column_double(s, 1),
           sqlite3_column_int64(s, 2));
    rc = rc == SQLITE_DONE ? 0 : store_db_error(st, e);
    sqlite3_finalize(s);
    return rc;
}

/* Parse the lane 'text' of 'n' rows into column 'ip' of 'v' (stride
 * 'nips').  False on anything but n rows of [t, three counts <= 2^32 - 1]. */
static bool lane_parse(const char *text, size_t len, size_t n, uint32_t ip, uint32_t nips,
                       struct nat_ip_sample *v)
{
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    bool ok = root && json_is_array(root) && json_array_size(root) == n;

    for (size_t k = 0; ok && k < n; k++) {
        json_t *row = json_array_get(root, k);
        uint32_t c[3];

        ok = json_is_array(row) && json_array_size(row) == 4 &&
             json_is_number(json_array_get(row, 0));
        for (size_t j = 0; ok && j < 3; j++) {
            json_t *x = json_array_get(row, j + 1);

            ok = json_is_integer(x) && json_integer_value(x) >= 0 &&
                 json_integer_value(x) <= (json_int_t)UINT32_MAX;
            if (ok)
                c[j] = (uint32_t)json_integer_value(x);
        }
        if (ok)
            v[k * nips + ip] = (struct nat_ip_sample){c[0], c[1], c[2]};
    }
    json_decref(root);
    return ok;
}

int store_nat_lanes_load(struct store *st, int64_t run_id, uint32_t *nips,
                         struct nat_ip_sample **lanes, size_t *n, struct err *e)
{
    sqlite3_stmt *s = NULL;
    struct nat_ip_sample *v = NULL;
    int64_t rows = 0, count = 0, ip = 0;
    int rc;

    *nips = 0;
    *lanes = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT (SELECT count(*) FROM nat_lanes WHERE run_id = ?1),"
                           " ip, n, data FROM nat_lanes WHERE run_id = ?1 ORDER BY ip", -1, &s,
                           NULL) != SQLITE_OK)
        return store_db_error(st, e);
    sqlite3_bind_int64(s, 1, run_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(s, 3);
        size_t len = (size_t)sqlite3_column_bytes(s, 3);

        if (ip == 0) {
            rows = sqlite3_column_int64(s, 0);
            count = sqlite3_column_int64(s, 2);
            /* a row takes 9 bytes at least ("[0,0,0,0]"): no count past the text */
            if (rows < 1 || rows > 64 || count < 1 || (uint64_t)count > len / 9 + 1)
                break;
            v = xcalloc((size_t)(rows * count), sizeof(*v));
        }
        if (sqlite3_column_int64(s, 1) != ip || sqlite3_column_int64(s, 2) != count || !text ||
            !lane_parse(text, len, (size_t)count, (uint32_t)ip, (uint32_t)rows, v))
            break;
        ip++;
    }
    if (rc == SQLITE_ROW) {
        rc = err_set(e, PS_EDB, "%s: run %" PRId64 ": malformed NAT lanes", st->path, run_id);
        free(v);
    } else if (rc != SQLITE_DONE) {
        rc = store_db_error(st, e);
        free(v);
    } else {
        rc = 0;
        *nips = (uint32_t)ip;
        *lanes = v;
        *n = ip ? (size_t)count : 0;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_nat_rows(struct store *st, int64_t sweep_id, store_nat_row_fn *fn, void *arg,
                   struct err *e)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "SELECT n.run_id, n.name, n.value, typeof(n.value) = 'text' "
                           "FROM nat_metrics n JOIN runs r ON r.id = n.run_id "
                           "WHERE n.scope = 'run' AND (?1 = 0 OR r.sweep_id = ?1) "
                           "ORDER BY n.run_id, n.name", -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    sqlite3_bind_int64(s, 1, sweep_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *text = sqlite3_column_int(s, 3) ? (const char *)sqlite3_column_text(s, 2)
                                                    : NULL;

        fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
           sqlite3_column_double(s, 2), text);
    }
    rc = rc == SQLITE_DONE ? 0 : store_db_error(st, e);
    sqlite3_finalize(s);
    return rc;
}
