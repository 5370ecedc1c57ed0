/* dbsel.h - what 'report' and 'plot' share: open an existing database and
 * find a sweep in it, with messages that say what the database holds.
 *
 * A database that does not exist is never created (store_open() would).
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

/* The error for a selection without a finished run: PS_ERUN with words
 * that say what there is (nothing at all, or only failed runs). */
int dbsel_empty(const char *path, const char *sweep, const struct runset *rs, struct err *e);

#endif /* PORTSIM_CLI_DBSEL_H */
