/* dbsel.c - open a database and pick a sweep for reading (see dbsel.h). */
#include "cli/dbsel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

/* "a, b, c" of the sweeps in 'st' into 'buf' ("none" if there are none). */
static int sweep_names(struct store *st, char *buf, size_t size, struct err *e)
{
    sqlite3_stmt *s;
    size_t used = 0;
    int rc;

    buf[0] = '\0';
    if (sqlite3_prepare_v2(store_db(st), "SELECT name FROM sweeps ORDER BY name", -1, &s,
                           NULL) != SQLITE_OK)
        return err_set(e, PS_EDB, "%s", sqlite3_errmsg(store_db(st)));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && used < size) {
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                         (const char *)sqlite3_column_text(s, 0));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    sqlite3_finalize(s);
    if (used == 0)
        snprintf(buf, size, "none");
    return 0;
}

int dbsel_open(const char *path, const char *sweep, struct store **st, int64_t *sweep_id,
               struct err *e)
{
    char names[600];
    bool found;
    int rc;

    *st = NULL;
    *sweep_id = 0;
    if (access(path, F_OK) != 0)
        return err_set(e, PS_EIO, "%s: no such database (%s); record runs with 'portsim run' "
                       "or 'portsim sweep', or name one with --db or $PORTSIM_DB", path,
                       strerror(errno));
    if ((rc = store_open(st, path, e)) != 0)
        return rc;
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
