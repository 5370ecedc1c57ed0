/* dbsel.h - what 'report' and 'plot' share: open an existing database
 * read-only, find a sweep in it, with messages that say what the database
 * holds, and load its runs with every parameter set resolved.
 *
 * A database that does not exist is never created (STORE_READ_ONLY).
 * Cost: one scenario_from_json() and theory_compute() per parameter set.
 */
#ifndef PORTSIM_CLI_DBSEL_H
#define PORTSIM_CLI_DBSEL_H

#include <stdint.h>

#include "analysis/runset.h"
#include "analysis/store.h"
#include "sim/err.h"

/* Open 'path' (which must exist: PS_EIO "FILE: no such database ...")
 * into '*st' and, if 'sweep' is not NULL, find its id ('*sweep_id'; 0
 * without 'sweep').  An unknown sweep is PS_EINVAL with the list of the
 * sweeps in the database.  On failure '*st' is NULL. */
int dbsel_open(const char *path, const char *sweep, struct store **st, int64_t *sweep_id,
               struct err *e);

/* runset_load() of sweep 'sweep_id', then each parameter set resolved
 * (scenario_from_json, theory_compute): the runs' request rates and the
 * closed form's blocking and sustainable rate, NaN where unknown; sets that
 * do not resolve are counted and noted.  Release with runset_fini(). */
int dbsel_runs(struct runset *rs, struct store *st, int64_t sweep_id, struct err *e);

/* The error for a selection without a finished run: PS_ERUN with words
 * that say what there is (nothing at all, or only failed runs). */
int dbsel_empty(const char *path, const char *sweep, const struct runset *rs, struct err *e);

#endif /* PORTSIM_CLI_DBSEL_H */
