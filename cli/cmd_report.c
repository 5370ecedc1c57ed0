/* cmd_report.c - 'portsim report': compare remedies from the database.
 *
 * Reads the finished runs of one sweep (--sweep) or of the whole database
 * (analysis/runset.h: runs without a remedy are grouped by scenario name,
 * repeats and failed runs are left out, and the notes say so), gives each
 * its closed-form figures, and prints analysis/report.h's comparison in one
 * of four formats.  The notes go below a table or markdown, and to stderr
 * for csv and json so that stdout stays machine-readable.
 *
 * Exit status: 0; 2 for bad usage, an unknown sweep (the message lists the
 * sweeps of the database) or an unknown --baseline (it lists the remedies);
 * 1 when the database is missing, unreadable or holds no finished run.  A
 * missing database is never created.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/calibration.h"
#include "analysis/report.h"
#include "analysis/runset.h"
#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/dbsel.h"

int cmd_report_take_format(void *args, const char *arg, struct err *e)
{
    struct report_args *a = args;
    enum report_format fmt;
    int rc;

    if ((rc = report_format_parse(arg, &fmt, e)) == 0)
        a->fmt = (int)fmt;
    return rc;
}

/* report --calibration: every kernel run beside its simulated twin. */
static int calibration(struct store *st, const struct report_args *a, struct err *e)
{
    struct calibration_pair *p;
    size_t n;
    int rc;

    if ((rc = calibration_load(st, &p, &n, e)) != 0)
        return rc;
    if (n == 0)
        rc = err_set(e, PS_ERUN, "%s: no kernel run recorded (portsim calibrate records one)",
                     cli_db_path(a->db));
    else
        rc = calibration_print(stdout, p, n, (enum report_format)a->fmt, e);
    free(p);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = err_set(e, PS_EIO, "cannot write to standard output");
    return rc;
}

/* PS_EINVAL unless some run has remedy 'name'; the message lists them. */
static int check_baseline(const struct runset *rs, const char *name, struct err *e)
{
    char list[600];
    size_t used = 0;

    list[0] = '\0';
    for (size_t i = 0; i < rs->n; i++) {
        bool seen = false;

        if (strcmp(rs->runs[i].remedy, name) == 0)
            return 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(rs->runs[j].remedy, rs->runs[i].remedy) == 0;
        if (!seen && used < sizeof(list))
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
                                     used ? ", " : "", rs->runs[i].remedy);
    }
    return err_set(e, PS_EINVAL, "no remedy '%s' among the runs (remedies: %s)", name, list);
}

int cmd_report(void *args, int nops, char **ops)
{
    const struct report_args *a = args;
    enum report_format fmt = (enum report_format)a->fmt;
    struct store *st = NULL;
    struct runset rs;
    int64_t sweep_id = 0;
    struct err e;
    int rc = 0;

    (void)nops;
    (void)ops;
    memset(&rs, 0, sizeof(rs));
    err_clear(&e);
    if (a->calibration && (a->sweep || a->baseline))
        rc = err_set(&e, PS_EINVAL, "--calibration takes no --sweep or --baseline");
    else if (a->calibration && fmt == REPORT_JSON)
        rc = err_set(&e, PS_EINVAL, "--calibration prints table, csv or markdown (got 'json')");
    if (rc != 0)
        return cli_fail("report", &e);
    if ((rc = dbsel_open(cli_db_path(a->db), a->sweep, &st, &sweep_id, &e)) != 0)
        return cli_fail("report", &e);
    if (a->calibration) {
        rc = calibration(st, a, &e);
        goto out;
    }
    if ((rc = dbsel_runs(&rs, st, sweep_id, &e)) != 0)
        goto out;
    if (rs.n == 0) {
        rc = dbsel_empty(cli_db_path(a->db), a->sweep, &rs, &e);
        goto out;
    }
    if (a->baseline && (rc = check_baseline(&rs, a->baseline, &e)) != 0)
        goto out;
    if ((rc = report_write(stdout, rs.runs, rs.n, a->baseline, fmt, &e)) != 0)
        goto out;
    if (rs.notes[0]) {
        bool below = fmt == REPORT_TABLE || fmt == REPORT_MARKDOWN;
        FILE *f = below ? stdout : stderr;
        const char *s = rs.notes;

        if (below)
            fputc('\n', f);
        while (*s) {
            size_t len = strcspn(s, "\n");
            fprintf(f, "%s%.*s\n", below ? "Note: " : "portsim report: note: ", (int)len, s);
            s += len + (s[len] == '\n');
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = err_set(&e, PS_EIO, "cannot write to standard output");
out:
    runset_fini(&rs);
    store_close(st);
    return rc ? cli_fail("report", &e) : 0;
}
