/* store.c - the SQLite run database: opening, the prepared statements,
 * closing, sweeps (see store.h and schema.sql).
 *
 * The store is five files that share analysis/store_int.h: this one,
 * store_migrate.c (the schema's versions), store_runs.c (runs, metrics,
 * sample series), store_nat.c (issue 12's NAT rows and lanes) and
 * store_merge.c (merging shards).
 *
 * Opening: check that the file can be created (STORE_CREATE) or exists
 * (the other modes), open it, read its application_id; an empty database
 * gets schema.sql, the current version, in one step; an older portsim one
 * is upgraded by the migration steps of store_migrate.c (each in the same
 * BEGIN IMMEDIATE transaction that bumps user_version); anything else is
 * refused.  STORE_READ_ONLY connections carry PRAGMA query_only, and fall
 * back to an immutable open where SQLite cannot make the WAL's -shm file.
 * Statements are prepared once, on first use, and kept until store_close()
 * (one owner: 'st->stmt').  Cost: an open reads a few pragmas (and writes
 * the schema, or upgrades it, in one transaction when the file is new or
 * old); each kept statement is compiled once per handle.
 */
#include "analysis/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analysis/store_int.h"
#include "sim/xalloc.h"

#define WAL_RETRY_MS 10     /* ensure_wal()'s pause between tries */

/* ---- Statements ---- */

static const char *const stmt_sql[ST_COUNT] = {
    [ST_SWEEP_FIND] = "SELECT id FROM sweeps WHERE name = ?1",
    [ST_SWEEP_INSERT] = "INSERT INTO sweeps (name, definition) VALUES (?1, ?2)",
    [ST_RUN_EXISTS] = "SELECT 1 FROM runs WHERE params_hash = ?1 AND seed = ?2 "
                      "AND replication = ?3 AND status = 'ok' LIMIT 1",
    [ST_SWEEP_RUN_EXISTS] = "SELECT 1 FROM runs WHERE sweep_id IS ?4 AND params_hash = ?1 "
                            "AND seed = ?2 AND replication = ?3 AND status = 'ok' LIMIT 1",
    [ST_DELETE_FAILED] = "DELETE FROM runs WHERE sweep_id IS ?4 AND params_hash = ?1 "
                         "AND seed = ?2 AND replication = ?3 AND status = 'failed' "
                         "AND sweep_id IS NOT NULL",
    [ST_RUN_INSERT] = "INSERT INTO runs (" RUN_COLS ") VALUES "
                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                      "?17)",
    [ST_METRICS_INSERT] = NULL,     /* built from METRICS_FIELDS in store_prepare() */
    [ST_SERIES_INSERT] = "INSERT INTO sample_series (run_id, n, data) VALUES (?1, ?2, ?3)",
    [ST_RUN_SELECT] = "SELECT id, " RUN_COLS " FROM runs WHERE id = ?1",
    [ST_METRICS_SELECT] = "SELECT run_id" METRIC_COLS " FROM metrics WHERE run_id = ?1",
    [ST_SERIES_SELECT] = "SELECT n, data FROM sample_series WHERE run_id = ?1",
    [ST_SWEEP_ANY_RUN] = "SELECT 1 FROM runs WHERE sweep_id = ?1 AND status = 'ok' "
                         "LIMIT 1",
};

/* ---- Helpers ---- */

int store_db_error(struct store *st, struct err *e)
{
    if (sqlite3_errcode(st->db) == SQLITE_BUSY)
        return err_set(e, PS_EDB, "%s: %s: another process held a write transaction for "
                       "longer than the %d s this one waits", st->path,
                       sqlite3_errmsg(st->db), STORE_BUSY_TIMEOUT_MS / 1000);
    return err_set(e, PS_EDB, "%s: %s", st->path, sqlite3_errmsg(st->db));
}

int store_exec(struct store *st, const char *sql, struct err *e)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = sqlite3_errcode(st->db) == SQLITE_BUSY
                     ? store_db_error(st, e)
                     : err_set(e, PS_EDB, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The statement 'id', reset and with its bindings cleared. */
int store_prepare(struct store *st, enum stmt_id id, sqlite3_stmt **out, struct err *e)
{
    if (!st->stmt[id]) {
        char buf[4096];
        const char *sql = stmt_sql[id];

        if (id == ST_METRICS_INSERT) {
            size_t used = (size_t)snprintf(buf, sizeof(buf),
                                           "INSERT INTO metrics (run_id" METRIC_COLS
                                           ") VALUES (?1");
            for (int i = 2; i <= NMETRICS + 1; i++)
                used += (size_t)snprintf(buf + used, sizeof(buf) - used, ", ?%d", i);
            snprintf(buf + used, sizeof(buf) - used, ")");
            sql = buf;
        }
        if (sqlite3_prepare_v2(st->db, sql, -1, &st->stmt[id], NULL) != SQLITE_OK)
            return store_db_error(st, e);
    }
    sqlite3_reset(st->stmt[id]);
    sqlite3_clear_bindings(st->stmt[id]);
    *out = st->stmt[id];
    return 0;
}

/* Step a statement that returns no row. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_db_error(st, e);
    return 0;
}

void store_bind_text(sqlite3_stmt *s, int i, const char *text, const char *dflt)
{
    sqlite3_bind_text(s, i, text ? text : dflt, -1, SQLITE_TRANSIENT);
}

/* ---- Opening ---- */

int store_pragma_int(struct store *st, const char *sql, int *out, struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_db_error(st, e);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0);
        rc = 0;
    } else {
        rc = store_db_error(st, e);
    }
    sqlite3_finalize(s);
    return rc;
}

/* PS_EIO unless 'path' exists or its directory lets us create it. */
static int check_creatable(const char *path, struct err *e)
{
    char *dir;
    char *slash;
    int rc = 0;

    if (access(path, F_OK) == 0) {
        if (access(path, R_OK) != 0)
            return err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
        return 0;
    }
    dir = xstrdup(path);
    slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    if (access(dir, W_OK | X_OK) != 0)
        rc = err_set(e, PS_EIO, "%s: cannot create the database: %s: %s", path, dir,
                     strerror(errno));
    free(dir);
    return rc;
}

/* PS_EIO "FILE: no such database (...)" unless 'path' is a readable file. */
static int check_exists(const char *path, struct err *e)
{
    if (access(path, R_OK) != 0)
        return err_set(e, PS_EIO, "%s: no such database (%s)", path, strerror(errno));
    return 0;
}

/* "file:PATH?immutable=1" with PATH percent-escaped where a URI needs it;
 * caller frees. */
static char *immutable_uri(const char *path)
{
    static const char tail[] = "?immutable=1";
    char *uri = xmalloc(5 + 3 * strlen(path) + sizeof(tail));
    char *p = uri;

    p += sprintf(p, "file:");
    for (; *path; path++) {
        if (*path == '%' || *path == '?' || *path == '#')
            p += sprintf(p, "%%%02X", (unsigned)(unsigned char)*path);
        else
            *p++ = *path;
    }
    memcpy(p, tail, sizeof(tail));
    return uri;
}

static void close_db(struct store *st)
{
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);  /* a migration may have prepared some */
        st->stmt[i] = NULL;
    }
    sqlite3_close(st->db);              /* harmless on NULL */
    st->db = NULL;
}

/* Open the connection of 'st' as 'mode' says, and read the first page
 * (which fails on a file that is not SQLite).  STORE_READ_ONLY opens
 * read-write without creating, so that closing cleans the WAL files up as a
 * writer would (the caller then forbids writes with PRAGMA query_only);
 * SQLite opens a file it may not write read-only by itself.  When SQLite
 * refuses that too (a WAL database in a directory we may not write, where
 * the -shm file cannot be made) the file is opened again as immutable:
 * nobody can be writing it through WAL then. */
static int connect_db(struct store *st, enum store_mode mode, struct err *e)
{
    int flags = mode == STORE_CREATE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                     : SQLITE_OPEN_READWRITE;
    int app_id, rc;

    if (sqlite3_open_v2(st->path, &st->db, flags, NULL) != SQLITE_OK)
        return err_set(e, PS_EDB, "%s: %s", st->path,
                       st->db ? sqlite3_errmsg(st->db) : "out of memory");
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    rc = store_pragma_int(st, "PRAGMA application_id", &app_id, e);
    if (rc != 0 && mode == STORE_READ_ONLY && (sqlite3_errcode(st->db) == SQLITE_CANTOPEN ||
                                               sqlite3_errcode(st->db) == SQLITE_READONLY)) {
        char *uri = immutable_uri(st->path);

        close_db(st);
        rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
        free(uri);
        if (rc != SQLITE_OK)
            return store_db_error(st, e);
        rc = store_pragma_int(st, "PRAGMA application_id", &app_id, e);
    }
    if (rc == 0 && app_id != 0 && app_id != STORE_APPLICATION_ID)
        rc = err_set(e, PS_EDB, "%s: not a portsim database", st->path);
    return rc;
}

/* Create or upgrade the schema in one transaction; then WAL. */
/* WAL is a property of the file: the first connection to find it in
 * rollback mode switches it.  The switch needs every other connection out
 * of the file for an instant, and SQLite answers BUSY at once instead of
 * calling the busy handler (waiting there could deadlock), so two processes
 * creating one database together lost one of them (tests/e2e_concurrent.sh
 * under ASan, 1 in 15).  Retried every 10 ms up to the busy timeout. */
static int ensure_wal(struct store *st, struct err *e)
{
    for (int waited = 0;; waited += WAL_RETRY_MS) {
        if (sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) == SQLITE_OK)
            return 0;
        if (sqlite3_errcode(st->db) != SQLITE_BUSY || waited >= STORE_BUSY_TIMEOUT_MS)
            return store_db_error(st, e);
        sqlite3_sleep(WAL_RETRY_MS);
    }
}

static int prepare_schema(struct store *st, struct err *e)
{
    int rc;

    /* Foreign keys are off while migrating: a step that rebuilds a table
     * (version 4's runs) must not cascade its DROP into metrics and samples. */
    if ((rc = store_exec(st, "PRAGMA foreign_keys = OFF", e)) != 0 ||
        (rc = store_exec(st, "BEGIN IMMEDIATE", e)) != 0)
        return rc;
    if ((rc = store_migrate(st, e)) != 0 || (rc = store_exec(st, "COMMIT", e)) != 0) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_exec(st, "PRAGMA foreign_keys = ON", e)) != 0)
        return rc;
    return ensure_wal(st, e);
}

/* A connection that reads only, to a database at the current version.  An
 * older one is upgraded first when the file can be written (else PS_EDB). */
static int open_read_only(struct store *st, struct err *e)
{
    int version, rc;

    if ((rc = connect_db(st, STORE_READ_ONLY, e)) != 0 ||
        (rc = store_schema_version(st, &version, e)) != 0)
        return rc;
    if (version < 0)
        return err_set(e, PS_EDB, "%s: an empty database, not a portsim one", st->path);
    if (version < STORE_SCHEMA_VERSION) {
        if (sqlite3_db_readonly(st->db, "main"))
            return err_set(e, PS_EDB, "%s: schema version %d is older than this program's "
                           "(%d) and the file cannot be written to upgrade it", st->path,
                           version, STORE_SCHEMA_VERSION);
        if ((rc = prepare_schema(st, e)) != 0)
            return rc;
    }
    return store_exec(st, "PRAGMA query_only = 1", e);
}

int store_open(struct store **out, const char *path, enum store_mode mode, struct err *e)
{
    struct store *st;
    int rc;

    /* SQLite keeps "" and ":memory:" in memory: the runs would vanish at exit */
    if (path[0] == '\0' || strcmp(path, ":memory:") == 0)
        return err_set(e, PS_EINVAL, "database '%s': name a file (SQLite would keep this one "
                       "in memory and lose every run at exit)", path);
    rc = mode == STORE_CREATE ? check_creatable(path, e) : check_exists(path, e);
    if (rc != 0)
        return rc;
    st = xcalloc(1, sizeof(*st));
    st->path = xstrdup(path);
    if (mode == STORE_READ_ONLY)
        rc = open_read_only(st, e);
    else if ((rc = connect_db(st, mode, e)) == 0)
        rc = prepare_schema(st, e);
    if (rc != 0) {
        store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    close_db(st);
    free(st->series);
    free(st->path);
    free(st);
}

int store_sync_normal(struct store *st, struct err *e)
{
    return store_exec(st, "PRAGMA synchronous = NORMAL", e);
}

/* ---- Sweeps ---- */

int store_sweep_find(struct store *st, const char *name, int64_t *sweep_id, bool *found,
                     struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    if ((rc = store_prepare(st, ST_SWEEP_FIND, &s, e)) != 0)
        return rc;
    store_bind_text(s, 1, name, "");
    rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        *sweep_id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_db_error(st, e);
    return 0;
}

int store_sweep_name(struct store *st, int64_t sweep_id, char *buf, size_t size, struct err *e)
{
    sqlite3_stmt *s;
    int rc;

    buf[0] = '\0';
    if (sqlite3_prepare_v2(st->db, "SELECT name FROM sweeps WHERE id = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return store_db_error(st, e);
    sqlite3_bind_int64(s, 1, sweep_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, e);
    sqlite3_finalize(s);
    return rc;
}

int store_sweep_names(struct store *st, char *buf, size_t size, struct err *e)
{
    sqlite3_stmt *s;
    size_t used = 0;
    int rc;

    buf[0] = '\0';
    if (sqlite3_prepare_v2(st->db, "SELECT name FROM sweeps ORDER BY name", -1, &s, NULL) !=
        SQLITE_OK)
        return store_db_error(st, e);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && used < size) {
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                         (const char *)sqlite3_column_text(s, 0));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(st, e);
    sqlite3_finalize(s);
    return rc;
}

int store_sweep_ensure(struct store *st, const char *name, const char *definition,
                       int64_t *sweep_id, struct err *e)
{
    sqlite3_stmt *s;
    bool found;
    int rc;

    if ((rc = store_sweep_find(st, name, sweep_id, &found, e)) != 0 || found)
        return rc;
    if ((rc = store_prepare(st, ST_SWEEP_INSERT, &s, e)) != 0)
        return rc;
    store_bind_text(s, 1, name, "");
    store_bind_text(s, 2, definition, "");
    if ((rc = store_step_done(st, s, e)) != 0)
        return rc;
    *sweep_id = sqlite3_last_insert_rowid(st->db);
    return 0;
}
