/* store_merge.c - merging shards: copy another database's runs into this one.
 *
 * The other file is attached as 'src' and must be a portsim database at
 * this program's schema version.  Then, in one transaction, its sweeps
 * missing here are added (matched by name), and every run of it that is
 * not here yet (same params_hash, seed, replication, source and sweep; a
 * run outside a sweep also the same started_at and host) is copied with
 * its metrics, samples, NAT rows and lanes, in its id order.  Invariant:
 * merging one shard twice adds nothing the second time, and a failure
 * adds nothing at all.  Cost: per source run, one indexed look-up here
 * and one INSERT ... SELECT per table.
 */
#include "analysis/store_int.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#define SRC_SWEEP "(SELECT ms.id FROM main.sweeps ms JOIN src.sweeps ss ON ss.name = ms.name " \
                  "WHERE ss.id = r.sweep_id)"

/* The statements of a merge: which source runs to copy, and the copies. */
struct merge_stmts {
    sqlite3_stmt *pick, *run, *metrics, *samples;
    sqlite3_stmt *nat;          /* issue 12: nat_metrics rows */
    sqlite3_stmt *lanes;        /* issue 12: nat_lanes rows */
};

static void merge_finalize(struct merge_stmts *m)
{
    sqlite3_finalize(m->pick);
    sqlite3_finalize(m->run);
    sqlite3_finalize(m->metrics);
    sqlite3_finalize(m->samples);
    sqlite3_finalize(m->nat);
    sqlite3_finalize(m->lanes);
    memset(m, 0, sizeof(*m));
}

/* Attach 'other_path' as 'src' and check that it is a portsim database at
 * this program's version.  On failure the caller still detaches. */
static int merge_attach(struct store *st, const char *other_path, struct err *e)
{
    sqlite3_stmt *att = NULL;
    int app_id, version, rc;

    if (access(other_path, R_OK) != 0)
        return err_set(e, PS_EIO, "%s: %s", other_path, strerror(errno));
    if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS src", -1, &att, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    store_bind_text(att, 1, other_path, "");
    rc = sqlite3_step(att);
    sqlite3_finalize(att);
    if (rc != SQLITE_DONE)
        return err_set(e, PS_EDB, "%s: %s", other_path, sqlite3_errmsg(st->db));
    if (store_pragma_int(st, "PRAGMA src.application_id", &app_id, e) != 0)
        return err_set(e, PS_EDB, "%s: %s", other_path, sqlite3_errmsg(st->db));
    if ((rc = store_pragma_int(st, "PRAGMA src.user_version", &version, e)) != 0)
        return rc;
    if (app_id != STORE_APPLICATION_ID)
        return err_set(e, PS_EDB, "%s: not a portsim database", other_path);
    if (version != STORE_SCHEMA_VERSION)
        return err_set(e, PS_EDB, "%s: schema version %d, expected %d (open it with this "
                       "portsim first to upgrade it)", other_path, version,
                       STORE_SCHEMA_VERSION);
    return 0;
}

static int merge_prepare(struct store *st, struct merge_stmts *m, struct err *e)
{
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT r.id FROM src.runs r WHERE NOT EXISTS (SELECT 1 FROM main.runs m "
            "WHERE m.params_hash = r.params_hash AND m.seed = r.seed "
            "AND m.replication = r.replication AND m.source = r.source "
            "AND m.sweep_id IS " SRC_SWEEP " "
            "AND (r.sweep_id IS NOT NULL OR (m.started_at = r.started_at AND m.host = r.host)))"
            " ORDER BY r.id", -1, &m->pick, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO main.runs (" RUN_COLS ") SELECT " SRC_SWEEP
                           ", remedy, point, scenario_name, params_json, params_hash, seed, "
                           "replication, version, digest, status, error, wall_seconds, "
                           "started_at, host, source, truncated_at FROM src.runs r "
                           "WHERE r.id = ?1",
                           -1, &m->run, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO main.metrics (run_id" METRIC_COLS ") SELECT ?2"
                           METRIC_COLS " FROM src.metrics WHERE run_id = ?1",
                           -1, &m->metrics, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO main.sample_series (run_id, n, data) "
                           "SELECT ?2, n, data FROM src.sample_series WHERE run_id = ?1",
                           -1, &m->samples, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO main.nat_metrics (run_id, scope, idx, name, value) "
                           "SELECT ?2, scope, idx, name, value FROM src.nat_metrics "
                           "WHERE run_id = ?1", -1, &m->nat, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db,
                           "INSERT INTO main.nat_lanes (run_id, ip, n, data) "
                           "SELECT ?2, ip, n, data FROM src.nat_lanes WHERE run_id = ?1",
                           -1, &m->lanes, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    return 0;
}

/* Copy every run that 'm->pick' yields, with its metrics and samples. */
static int merge_copy(struct store *st, struct merge_stmts *m, int64_t *count, struct err *e)
{
    int rc;

    while ((rc = sqlite3_step(m->pick)) == SQLITE_ROW) {
        int64_t src_id = sqlite3_column_int64(m->pick, 0), dst_id;

        sqlite3_bind_int64(m->run, 1, src_id);
        if ((rc = store_step_done(st, m->run, e)) != 0)
            return rc;
        dst_id = sqlite3_last_insert_rowid(st->db);
        sqlite3_bind_int64(m->metrics, 1, src_id);
        sqlite3_bind_int64(m->metrics, 2, dst_id);
        sqlite3_bind_int64(m->samples, 1, src_id);
        sqlite3_bind_int64(m->samples, 2, dst_id);
        sqlite3_bind_int64(m->nat, 1, src_id);
        sqlite3_bind_int64(m->nat, 2, dst_id);
        sqlite3_bind_int64(m->lanes, 1, src_id);
        sqlite3_bind_int64(m->lanes, 2, dst_id);
        if ((rc = store_step_done(st, m->metrics, e)) != 0 ||
            (rc = store_step_done(st, m->samples, e)) != 0 ||
            (rc = store_step_done(st, m->nat, e)) != 0 ||
            (rc = store_step_done(st, m->lanes, e)) != 0)
            return rc;
        (*count)++;
    }
    return rc == SQLITE_DONE ? 0 : store_db_error(st, e);
}

int store_merge(struct store *st, const char *other_path, int64_t *added, struct err *e)
{
    struct merge_stmts m;
    int64_t count = 0;
    int rc;

    memset(&m, 0, sizeof(m));
    if ((rc = merge_attach(st, other_path, e)) != 0)
        goto out_detach;
    if ((rc = store_exec(st, "BEGIN IMMEDIATE", e)) != 0)
        goto out_detach;
    if ((rc = store_exec(st, "INSERT INTO main.sweeps (name, definition, created) "
                       "SELECT name, definition, created FROM src.sweeps s "
                       "WHERE NOT EXISTS (SELECT 1 FROM main.sweeps m WHERE m.name = s.name) "
                       "ORDER BY id", e)) != 0 ||
        (rc = merge_prepare(st, &m, e)) != 0 || (rc = merge_copy(st, &m, &count, e)) != 0) {
        merge_finalize(&m);
        store_rollback(st);
        goto out_detach;
    }
    merge_finalize(&m);
    if ((rc = store_exec(st, "COMMIT", e)) != 0) {
        store_rollback(st);
        goto out_detach;
    }
    if (added)
        *added = count;
out_detach:
    merge_finalize(&m);
    sqlite3_exec(st->db, "DETACH DATABASE src", NULL, NULL, NULL);
    return rc;
}
