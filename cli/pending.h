/* pending.h - computed runs are never lost: a run that cannot be recorded
 * is kept beside the database and recorded by the next writer.
 *
 * When recording a finished run fails (the database stays locked past the
 * busy timeout, a write fails), the run is recorded instead in a side
 * database "DB.pending-PID.db" beside DB (made under a temporary name and
 * renamed when complete, so a reader never sees half of one).  The next
 * 'portsim run', 'sweep' or 'merge' writing DB merges every such file into
 * DB with store_merge() (idempotent: a run that was recorded after all is
 * not recorded twice) and removes it.  Cost: nothing while recording works;
 * one glob() per writer start.
 */
#ifndef PORTSIM_CLI_PENDING_H
#define PORTSIM_CLI_PENDING_H

#include <stdint.h>

#include "analysis/store.h"
#include "cli/runner.h"
#include "models/run.h"
#include "sim/err.h"

/* Record 'out' of 'job' in 'st' (the database at 'path'), or keep it in a
 * side database when that fails: then the error of the database, followed
 * by where the run is kept ("...; the run is kept in DB.pending-PID.db and
 * the next run, sweep or merge into DB records it"), or that it could not
 * be kept either.  'started_at' is the run's time stamp in both. */
int pending_record(struct store *st, const char *path, const struct runner_job *job,
                   const struct run_output *out, const char *started_at, int64_t *run_id,
                   struct err *e);

/* Merge into 'st' (the database at 'path') every side database left beside
 * it, removing each one merged; '*added' gets the runs added. */
int pending_absorb(struct store *st, const char *path, int64_t *added, struct err *e);

/* store_open(STORE_CREATE), then pending_absorb() with a note on stderr
 * ("portsim CMD: recorded N runs kept beside PATH ...") when it added any. */
int pending_open(struct store **st, const char *path, const char *cmd, struct err *e);

/* Remove the database file 'path' and its -wal and -shm files. */
void pending_remove_db(const char *path);

/* The current UTC time as ISO-8601 into 'buf' (at least 21 bytes). */
void pending_now(char *buf, size_t size);

#endif /* PORTSIM_CLI_PENDING_H */
