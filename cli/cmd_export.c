/* cmd_export.c - 'portsim export runs|samples|report': recorded runs as
 * tidy tables for pandas, R or a spreadsheet (analysis/export.h has the
 * column naming rule).
 *
 * runs: one row per run; samples: one row per sample of every run; report:
 * the rows of 'portsim report' (one per remedy and point).  --out FILE
 * writes FILE.tmp and renames it, so a failed export leaves no half file;
 * --out - (the default) is standard output.  The database is opened read
 * only.  Cost: every selected run in memory at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/export.h"
#include "analysis/report.h"
#include "cli/cmd.h"
#include "analysis/runset.h"
#include "cli/dbsel.h"
#include "sim/xalloc.h"

struct export_walk {
    struct store *st;
    json_t *rows;
    bool samples;
    struct err *e;
};

static int one_run(const struct store_run *run, const struct run_metrics *m, void *arg)
{
    struct export_walk *w = arg;
    char sweep[256] = "";
    int rc;

    if (run->sweep_id && (rc = store_sweep_name(w->st, run->sweep_id, sweep, sizeof(sweep),
                                                w->e)) != 0)
        return rc;
    if (w->samples) {
        struct store_run r;
        struct run_sample *smp = NULL;
        size_t n = 0;

        if ((rc = store_run_load(w->st, run->id, &r, NULL, &smp, &n, w->e)) != 0)
            return rc;
        export_sample_rows(w->rows, run, run->sweep_id ? sweep : NULL, smp, n);
        free(smp);
        store_run_fini(&r);
        return 0;
    }
    json_t *row;

    if ((rc = export_run_row(run, m, run->sweep_id ? sweep : NULL, &row, w->e)) != 0)
        return rc;
    json_array_append_new(w->rows, row);
    return 0;
}

/* The report's rows: csv as 'portsim report --format csv' writes it, json
 * and jsonl from its JSON array. */
static int report_rows(FILE *f, struct store *st, int64_t sweep_id, const char *db,
                       const char *sweep, enum export_format fmt, struct err *e)
{
    struct runset rs;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem;
    json_t *rows;
    int rc;

    memset(&rs, 0, sizeof(rs));
    if ((rc = dbsel_runs(&rs, st, sweep_id, e)) != 0)
        goto out;
    if (rs.n == 0) {
        rc = dbsel_empty(db, sweep, &rs, e);
        goto out;
    }
    if (fmt == EXPORT_CSV) {
        rc = report_write(f, rs.runs, rs.n, NULL, REPORT_CSV, e);
        goto out;
    }
    if (!(mem = open_memstream(&buf, &len))) {
        rc = err_set(e, PS_EIO, "out of memory");
        goto out;
    }
    rc = report_write(mem, rs.runs, rs.n, NULL, REPORT_JSON, e);
    fclose(mem);
    if (rc == 0) {
        if (!(rows = json_loads(buf, 0, NULL)) || !json_is_array(rows))
            rc = err_set(e, PS_EINVAL, "the report's JSON did not read back");
        else
            rc = export_write(f, rows, fmt, e);
        json_decref(rows);
    }
out:
    free(buf);
    runset_fini(&rs);
    return rc;
}

static int export_to(FILE *f, const struct export_args *a, const char *what,
                     enum export_format fmt, struct err *e)
{
    struct store *st = NULL;
    int64_t sweep_id = 0;
    int rc;

    if ((rc = dbsel_open(cli_db_path(a->db), a->sweep, &st, &sweep_id, e)) != 0)
        return rc;
    if (strcmp(what, "report") == 0) {
        rc = report_rows(f, st, sweep_id, cli_db_path(a->db), a->sweep, fmt, e);
    } else {
        struct export_walk w = {st, json_array(), strcmp(what, "samples") == 0, e};

        rc = store_runs_each(st, sweep_id, one_run, &w, e);
        if (rc == 0)
            rc = export_write(f, w.rows, fmt, e);
        json_decref(w.rows);
    }
    store_close(st);
    return rc;
}

int cmd_export(void *args, int nops, char **ops)
{
    const struct export_args *a = args;
    enum export_format fmt;
    const char *what = nops ? ops[0] : "";
    struct err e;
    int rc;

    err_clear(&e);
    if (strcmp(what, "runs") != 0 && strcmp(what, "samples") != 0 &&
        strcmp(what, "report") != 0)
        rc = err_set(&e, PS_EINVAL, "say what to export: runs, samples or report");
    else
        rc = export_format_parse(a->format, &fmt, &e);
    if (rc != 0)
        return cli_fail("export", &e);
    if (!a->out || strcmp(a->out, "-") == 0) {
        rc = export_to(stdout, a, what, fmt, &e);
    } else {
        size_t n = strlen(a->out) + 5;
        char *tmp = xmalloc(n);
        FILE *f;

        snprintf(tmp, n, "%s.tmp", a->out);
        if (!(f = fopen(tmp, "w"))) {
            rc = err_set(&e, PS_EIO, "%s: cannot write", tmp);
        } else {
            rc = export_to(f, a, what, fmt, &e);
            if (fclose(f) != 0 && rc == 0)
                rc = err_set(&e, PS_EIO, "%s: cannot write", tmp);
            if (rc == 0 && rename(tmp, a->out) != 0)
                rc = err_set(&e, PS_EIO, "%s: cannot rename to %s", tmp, a->out);
            if (rc != 0)
                remove(tmp);
        }
        free(tmp);
    }
    return rc ? cli_fail("export", &e) : 0;
}
