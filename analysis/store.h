/* store.h - the SQLite run database: record runs, read them back, merge shards.
 *
 * Schema: analysis/schema.sql, the current version (tables sweeps, runs,
 * metrics, sample_series: a run's samples as one row of JSON, analysis/
 * series.h; views run_summary, samples; runs.source: 'sim', or 'kernel' for
 * a run of the host's kernel by portsim calibrate), embedded in the library.
 * store_open() creates a new database at the current version, or upgrades
 * an older one in place through store_migrate.c's steps (PRAGMA
 * user_version = STORE_SCHEMA_VERSION, a fixed PRAGMA application_id), in
 * WAL mode with a 10 s busy timeout and foreign keys on.  Each run is
 * written in one transaction (BEGIN IMMEDIATE): a run that did not finish
 * leaves nothing.  A run of a sweep is identified
 * by (sweep, params_hash, seed, replication); resume asks store_run_exists().
 * Seeds are uint64_t, stored as their unsigned decimal text (schema version
 * 4; older databases are migrated).
 *
 * Errors: PS_EDB with "FILE: sqlite's words" (or "FILE: not a portsim
 * database"), PS_EIO when the file cannot be created or read.  Strings
 * passed in are borrowed for the call (bound SQLITE_TRANSIENT).
 */
#ifndef PORTSIM_ANALYSIS_STORE_H
#define PORTSIM_ANALYSIS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metrics.h"
#include "sim/err.h"

#define STORE_SCHEMA_VERSION 9
#define STORE_APPLICATION_ID 0x5053494d     /* "PSIM" */
#define STORE_BUSY_TIMEOUT_MS 10000         /* the longest wait for another writer */

struct store;                   /* opaque: see store_int.h */

/* One run, as recorded (plain data).  When recording, the strings are
 * borrowed; NULL means "" except: started_at NULL = now (UTC), host NULL =
 * this machine's name, point_json NULL = "{}".  When loaded by
 * store_run_load() or store_runs_each(), every string is owned by the
 * struct (release with store_run_fini()). */
struct store_run {
    int64_t id;                 /* loaded: runs.id; ignored when recording */
    int64_t sweep_id;           /* 0: not part of a sweep */
    const char *remedy;
    const char *point_json;     /* JSON object of the varied values */
    const char *scenario_name;
    const char *params_json;    /* canonical JSON (struct scenario 'json') */
    const char *params_hash;    /* struct scenario 'hash' */
    uint64_t seed;
    uint32_t replication;
    const char *version;        /* program version */
    const char *started_at;     /* ISO-8601 UTC, e.g. "2024-05-01T12:00:00Z" */
    const char *host;
    double wall_seconds;
    uint64_t digest;            /* loaded only; recorded from the metrics */
    const char *status;         /* loaded only: "ok" or "failed" */
    const char *error;          /* loaded only: why a failed run failed, or NULL */
    const char *source;         /* "sim" (NULL when recording) or "kernel" */
    bool truncated;             /* the run was stopped early (runs.truncated_at) */
    double truncated_at;        /* then: the simulated seconds its metrics cover */
    char *strings_;             /* private: owns the loaded strings */
};

/* How store_open() opens. */
enum store_mode {
    STORE_CREATE,       /* read-write; a missing file is created */
    STORE_MUST_EXIST,   /* read-write; a missing file is PS_EIO, nothing created */
    STORE_READ_ONLY     /* reading only, never creating, on a read-only file or
                         * directory too; an older schema is upgraded first
                         * when the file can be written (else PS_EDB) */
};

/* Open the database at 'path' as 'mode' says; '*out' is released with
 * store_close().  Fails before writing anything if the file is missing
 * (PS_EIO "FILE: no such database (...)"; STORE_CREATE: if the directory
 * does not exist or is not writable), if 'path' is not an SQLite file or
 * is an SQLite file of another program (PS_EDB "FILE: not a portsim
 * database"), if its schema is newer than this program's (PS_EDB), or if
 * 'path' is "" or ":memory:" (PS_EINVAL: SQLite would lose the runs). */
int store_open(struct store **out, const char *path, enum store_mode mode, struct err *e);

/* Close 'st' (NULL is fine), finalizing every statement. */
void store_close(struct store *st);

/* The id of sweep 'name', created with 'definition' if it does not exist
 * (an existing sweep keeps its definition). */
int store_sweep_ensure(struct store *st, const char *name, const char *definition,
                       int64_t *sweep_id, struct err *e);

/* The id of sweep 'name': '*found' false if there is none. */
int store_sweep_find(struct store *st, const char *name, int64_t *sweep_id, bool *found,
                     struct err *e);

/* The names of the sweeps, "a, b, c" in name order, into 'buf' ("" when
 * there are none; cut short when 'size' is too small). */
int store_sweep_names(struct store *st, char *buf, size_t size, struct err *e);

/* A kernel run (portsim calibrate) and its simulated twin: the latest
 * 'sim' run recorded before it with the same params_hash, seed and
 * replication (sim_id 0: none). */
struct store_kernel_pair {
    int64_t kernel_id;
    int64_t sim_id;
    uint64_t seed;
    char name[128];             /* scenario name */
};

/* Every kernel run with its twin, in kernel run id order ('*out' caller
 * frees; NULL and 0 when there is none). */
int store_kernel_pairs(struct store *st, struct store_kernel_pair **out, size_t *n,
                       struct err *e);

/* Commit without waiting for the disk (PRAGMA synchronous = NORMAL, WAL):
 * a crash may lose the last transactions, never the database's
 * consistency.  For writers that can redo lost work, such as a sweep. */
int store_sync_normal(struct store *st, struct err *e);

/* '*found': a run with status ok and this (params_hash, seed, replication)
 * is recorded, in any sweep or none. */
int store_run_exists(struct store *st, const char *params_hash, uint64_t seed,
                     uint32_t replication, bool *found, struct err *e);

/* The same, restricted to sweep 'sweep_id' (0: runs outside any sweep). */
int store_sweep_run_exists(struct store *st, int64_t sweep_id, const char *params_hash,
                           uint64_t seed, uint32_t replication, bool *found, struct err *e);

/* Whether sweep 'sweep_id' has any run recorded ok: when not, a resume
 * need not look its runs up one by one (a fresh sweep of 10^8 runs). */
int store_sweep_any_run(struct store *st, int64_t sweep_id, bool *found, struct err *e);

/* Record a finished run, its metrics and its 'nsamples' samples in one
 * transaction; replaces a failed record of the same sweep run.  A sweep
 * run recorded ok already (by another writer of the same sweep) is kept
 * and nothing is written ('*run_id' 0; the same for a failed run).  '*run_id'
 * (may be NULL) gets the new id.  On any error nothing is written:
 * PS_EINVAL if the samples' times do not strictly increase.  Cost: one
 * row for all the samples (3,600 samples: ~90 kB, ~0.5 ms in all). */
int store_record_run(struct store *st, const struct store_run *run, const struct run_metrics *m,
                     const struct run_sample *samples, size_t nsamples, int64_t *run_id,
                     struct err *e);

/* Issue 12: store_record_run() plus the NAT metrics of 'nat' (when not NULL
 * and 'nat->on'; table nat_metrics) and its lanes (table nat_lanes: one row per
 * public IP when 'nat->nlanes' = 'nsamples' > 0; 'nat->lane_all' is not
 * recorded), in the same transaction. */
int store_record_run_nat(struct store *st, const struct store_run *run,
                         const struct run_metrics *m, const struct nat_run_metrics *nat,
                         const struct run_sample *samples, size_t nsamples, int64_t *run_id,
                         struct err *e);

/* Issue 12: the mean over the ok, whole runs of sweep 'sweep_id' (0: every
 * run, as report reads them) of NAT metric 'name' of scope 'run', per
 * remedy, in remedy order of first run: 'fn' gets (remedy, mean, runs).
 * Nothing for runs without a NAT; truncated runs are left out, as report
 * leaves them out. */
typedef void store_nat_fn(void *arg, const char *remedy, double mean, int64_t runs);
int store_nat_means(struct store *st, int64_t sweep_id, const char *name, store_nat_fn *fn,
                    void *arg, struct err *e);

/* Issue 12: the lanes of run 'run_id' into a new array '*lanes' ([*n x
 * *nips], sample k, IP i at k * nips + i; caller frees), '*nips' public IPs
 * and '*n' samples; all zero and NULL for a run without lanes (no NAT, no
 * samples, or recorded before schema version 9).  PS_EDB when its rows are
 * malformed (IPs not 0..nips-1, counts that differ, values out of range). */
int store_nat_lanes_load(struct store *st, int64_t run_id, uint32_t *nips,
                         struct nat_ip_sample **lanes, size_t *n, struct err *e);

/* Issue 12: every scope-'run' row of nat_metrics of the runs of sweep
 * 'sweep_id' (0: every run of the database), in run id order: 'fn' gets
 * (run id, name, value; 'text' for a text value such as failure_words,
 * else NULL; valid during the call only). */
typedef void store_nat_row_fn(void *arg, int64_t run_id, const char *name, double value,
                              const char *text);
int store_nat_rows(struct store *st, int64_t sweep_id, store_nat_row_fn *fn, void *arg,
                   struct err *e);

/* Record a run that failed with 'error' (status failed, no metrics). */
int store_record_failed_run(struct store *st, const struct store_run *run, const char *error,
                            int64_t *run_id, struct err *e);

/* Load run 'run_id': '*run' (release with store_run_fini()), '*m' (all zero
 * for a failed run), and '*samples' (caller frees; NULL when '*n' is 0), in
 * time order and exactly as recorded.  'm', 'samples' and 'n' may be NULL
 * when not wanted.  PS_EINVAL if there is no such run, PS_EDB if its
 * samples are malformed. */
int store_run_load(struct store *st, int64_t run_id, struct store_run *run,
                   struct run_metrics *m, struct run_sample **samples, size_t *n,
                   struct err *e);

/* Release the strings of a loaded run. */
void store_run_fini(struct store_run *run);

/* Called for each run; 'm' is NULL for a failed run.  Both are valid for
 * the call only.  A non-zero return stops the walk and is returned. */
typedef int store_run_fn(const struct store_run *run, const struct run_metrics *m, void *arg);

/* The name of sweep 'sweep_id' into 'buf' ("" when there is none). */
int store_sweep_name(struct store *st, int64_t sweep_id, char *buf, size_t size, struct err *e);

/* Call 'fn' for every run of sweep 'sweep_id' (0: every run), in id order. */
int store_runs_each(struct store *st, int64_t sweep_id, store_run_fn *fn, void *arg,
                    struct err *e);

/* Copy into 'st' every sweep and run of the database at 'other_path' that
 * 'st' lacks (sweeps by name; sweep runs by (sweep, params_hash, seed,
 * replication); other runs also by started_at and host), with their
 * metrics and samples, in one transaction.  Idempotent: merging twice adds
 * nothing.  '*added' (may be NULL) gets the number of runs added. */
int store_merge(struct store *st, const char *other_path, int64_t *added, struct err *e);

#endif /* PORTSIM_ANALYSIS_STORE_H */
