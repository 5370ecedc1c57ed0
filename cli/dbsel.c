/* dbsel.c - open a database and pick a sweep for reading, and resolve the
 * recorded runs' parameter sets (see dbsel.h).
 *
 * Resolving lives here, in the front end, because it is model logic
 * (scenario_from_json re-validates a recorded scenario, models/theory.h
 * computes the closed form) that analysis/ may not call (DESIGN §1).
 */
#include "cli/dbsel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/scenario.h"
#include "models/scenario_json.h"
#include "models/theory.h"

/* "a, b, c" of the sweeps in 'st' into 'buf' ("none" if there are none). */
static int sweep_names(struct store *st, char *buf, size_t size, struct err *e)
{
    int rc = store_sweep_names(st, buf, size, e);

    if (rc == 0 && buf[0] == '\0')
        snprintf(buf, size, "none");
    return rc;
}

int dbsel_open(const char *path, const char *sweep, struct store **st, int64_t *sweep_id,
               struct err *e)
{
    char names[600];
    bool found;
    int rc;

    *st = NULL;
    *sweep_id = 0;
    if ((rc = store_open(st, path, STORE_READ_ONLY, e)) != 0) {
        if (rc == PS_EIO) {         /* "FILE: no such database (why)": say what to do */
            char why[ERR_MSG_MAX];

            snprintf(why, sizeof(why), "%s", e->msg);
            /* a database to read that is not there is bad input, as for merge (exit 2) */
            rc = err_set(e, PS_EINVAL, "%s; record runs with 'portsim run' or 'portsim sweep', "
                         "or name one with --db or $PORTSIM_DB", why);
        }
        return rc;
    }
    if (!sweep)
        return 0;
    if ((rc = store_sweep_find(*st, sweep, sweep_id, &found, e)) != 0)
        goto fail;
    if (found)
        return 0;
    if ((rc = sweep_names(*st, names, sizeof(names), e)) != 0)
        goto fail;
    rc = err_set(e, PS_EINVAL, "no sweep '%s' in %s (sweeps: %s)", sweep, path, names);
fail:
    store_close(*st);
    *st = NULL;
    return rc;
}

int dbsel_empty(const char *path, const char *sweep, const struct runset *rs, struct err *e)
{
    if (rs->failed > 0)
        return err_set(e, PS_ERUN, "%s: no finished run%s%s%s, only %zu failed ones (select "
                       "error from runs where status = 'failed')", path, sweep ? " in sweep '" : "",
                       sweep ? sweep : "", sweep ? "'" : "", rs->failed);
    return err_set(e, PS_ERUN, "%s: no runs recorded%s%s%s; record some with 'portsim run' or "
                   "'portsim sweep'", path, sweep ? " in sweep '" : "", sweep ? sweep : "",
                   sweep ? "'" : "");
}

/* Resolve parameter set 'i' of 'rs': its scenario, request rate and closed form. */
static void resolve(struct runset *rs, size_t i)
{
    struct runset_params *pp = &rs->params[i];
    double blocking = NAN, sustainable = NAN;
    struct scenario sc;
    struct theory t;
    struct err e;

    err_clear(&e);
    if (scenario_from_json(&sc, pp->json, &e) != 0) {
        rs->unresolved++;
        return;
    }
    pp->p = sc.p;
    pp->resolved = true;
    if (theory_compute(&sc.p, &t, &e) == 0) {
        blocking = t.blocking;
        sustainable = t.sustainable_rate_per_s;
        pp->pool_ports = t.n;
    }
    runset_set_params(rs, i, sc.p.workload.rate_per_s, blocking, sustainable);
    scenario_fini(&sc);
}

int dbsel_runs(struct runset *rs, struct store *st, int64_t sweep_id, struct err *e)
{
    int rc = runset_load(rs, st, sweep_id, e);

    if (rc != 0)
        return rc;
    for (size_t i = 0; i < rs->nparams; i++)
        resolve(rs, i);
    runset_note_unresolved(rs);
    return 0;
}
