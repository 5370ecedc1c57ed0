/* store_int.h - what the store's own files share; for analysis/store*.c only.
 *
 * The store (analysis/store.h) is one module in five files: store.c (opening,
 * modes, pragmas, the prepared statements, closing, sweeps), store_migrate.c
 * (the schema's versions), store_runs.c (runs, their metrics and sample
 * series), store_nat.c (issue 12's NAT rows and lanes) and store_merge.c
 * (merging shards).  This header gives them the handle's fields, the ids of
 * the statement table, the column lists and the helpers that more than one
 * of them calls; tools/check-layers.sh refuses it, as it refuses
 * <sqlite3.h>, anywhere but there.  Invariant: a statement in 'stmt' is
 * prepared by store_prepare() and finalized only by store_close(), its one
 * owner.  Cost: none; declarations only.
 */
#ifndef PORTSIM_ANALYSIS_STORE_INT_H
#define PORTSIM_ANALYSIS_STORE_INT_H

#include <stdint.h>
#include <stddef.h>

#include <sqlite3.h>

#include "analysis/store.h"
#include "models/metrics.h"
#include "sim/err.h"

/* ---- Columns ---- */

#define STORE_X_ONE(name, kind) +1
#define NMETRICS (0 METRICS_FIELDS(STORE_X_ONE))
#define STORE_X_COLNAME(name, kind) ", " #name
#define METRIC_COLS METRICS_FIELDS(STORE_X_COLNAME) /* ", requests, cache_hits, ..." */

#define RUN_COLS "sweep_id, remedy, point, scenario_name, params_json, params_hash, seed, " \
                 "replication, version, digest, status, error, wall_seconds, started_at, host, " \
                 "source, truncated_at"

/* ---- The handle and its statements ---- */

/* The statements prepared once and kept (their SQL: 'stmt_sql' in store.c). */
enum stmt_id {
    ST_SWEEP_FIND,
    ST_SWEEP_INSERT,
    ST_RUN_EXISTS,
    ST_SWEEP_RUN_EXISTS,
    ST_DELETE_FAILED,
    ST_RUN_INSERT,
    ST_METRICS_INSERT,
    ST_SERIES_INSERT,
    ST_RUN_SELECT,
    ST_METRICS_SELECT,
    ST_SERIES_SELECT,
    ST_SWEEP_ANY_RUN,
    ST_COUNT
};

struct store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt[ST_COUNT];   /* prepared on first use; owned */
    char *series;                   /* JSON text of the series being written; owned */
    size_t series_cap;              /* bytes allocated at 'series' */
};

/* ---- Helpers (store.c) ---- */

/* err_set() with PS_EDB and SQLite's words for the last error of 'st',
 * saying how long it waited when another writer held the database. */
int store_db_error(struct store *st, struct err *e);

/* Run 'sql' (one or more statements, no result rows wanted). */
int store_exec(struct store *st, const char *sql, struct err *e);

/* Roll back the open transaction, if there is one. */
void store_rollback(struct store *st);

/* The statement 'id', reset and with its bindings cleared. */
int store_prepare(struct store *st, enum stmt_id id, sqlite3_stmt **out, struct err *e);

/* Step a statement that returns no row. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e);

/* Bind 'text' (copied), or 'dflt' when it is NULL, to parameter 'i'. */
void store_bind_text(sqlite3_stmt *s, int i, const char *text, const char *dflt);

/* The integer that the query 'sql' (a PRAGMA, or a SELECT of one value) answers. */
int store_pragma_int(struct store *st, const char *sql, int *out, struct err *e);

/* ---- Schema versions (store_migrate.c) ---- */

/* The version of the database: -1 when it is empty (a new file), else its
 * user_version.  PS_EDB when it is not a portsim database, or is newer
 * than this program. */
int store_schema_version(struct store *st, int *version, struct err *e);

/* Inside the write transaction: create an empty database at the current
 * version (schema.sql), upgrade an old portsim one step by step, refuse
 * anything else. */
int store_migrate(struct store *st, struct err *e);

/* ---- Writing runs (store_runs.c) ---- */

/* store_insert_run()'s answer for a sweep run recorded ok already: nothing to do. */
#define STORE_ALREADY_RECORDED 1

/* Insert the runs row (inside the caller's transaction); '*run_id' gets its
 * id.  'm' NULL for a failed run.  STORE_ALREADY_RECORDED when another
 * writer recorded this sweep run first. */
int store_insert_run(struct store *st, const struct store_run *run, const char *status,
                     const char *error, const struct run_metrics *m, int64_t *run_id,
                     struct err *e);

/* Insert the metrics row of 'run_id' (inside the caller's transaction). */
int store_insert_metrics(struct store *st, int64_t run_id, const struct run_metrics *m,
                         struct err *e);

/* Insert the series of run 'run_id' (inside the caller's transaction).  A
 * run without samples gets no row. */
int store_insert_series(struct store *st, int64_t run_id, const struct run_sample *samples,
                        size_t n, struct err *e);

#endif /* PORTSIM_ANALYSIS_STORE_INT_H */
