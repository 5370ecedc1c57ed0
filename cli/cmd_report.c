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
#include "sim/xalloc.h"

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
/* ---- Issue 12: the NAT table ---- */

#define NAT_COLS 7
#define NAT_REMEDIES 64

static const char *const nat_cols[NAT_COLS] = {
    "nat_flows", "nat_failures", "nat_first_failure", "connect_timeouts", "nat_ports_peak",
    "connect_latency_p99", "pool_resets"};

struct nat_table {
    char remedy[NAT_REMEDIES][64];
    double v[NAT_REMEDIES][NAT_COLS];
    int64_t runs[NAT_REMEDIES];
    size_t n;
    size_t col;
};

static void nat_take(void *arg, const char *remedy, double mean, int64_t runs)
{
    struct nat_table *t = arg;
    size_t i;

    for (i = 0; i < t->n && strcmp(t->remedy[i], remedy ? remedy : "") != 0; i++)
        ;
    if (i == t->n) {
        if (t->n == NAT_REMEDIES)
            return;
        snprintf(t->remedy[t->n++], sizeof(t->remedy[0]), "%s", remedy ? remedy : "");
    }
    t->v[i][t->col] = mean;
    t->runs[i] = runs;
}

/* Means over replications of the NAT metrics, per remedy (table and
 * markdown only); nothing when no run had a NAT. */
static int nat_report(FILE *f, struct store *st, int64_t sweep_id, bool md, struct err *e)
{
    struct nat_table *t = xcalloc(1, sizeof(*t));
    int rc = 0;

    for (t->col = 0; t->col < NAT_COLS && rc == 0; t->col++)
        rc = store_nat_means(st, sweep_id, nat_cols[t->col], nat_take, t, e);
    if (rc == 0 && t->n > 0) {
        fprintf(f, md ? "\n| remedy | runs |" : "\nNAT (means over runs)\n%-16s %5s", "remedy",
                "runs");
        for (size_t c = 0; c < NAT_COLS; c++)
            fprintf(f, md ? " %s |" : " %19s", nat_cols[c]);
        fputc('\n', f);
        if (md) {
            fprintf(f, "|---|---:|");
            for (size_t c = 0; c < NAT_COLS; c++)
                fprintf(f, "---:|");
            fputc('\n', f);
        }
        for (size_t i = 0; i < t->n; i++) {
            fprintf(f, md ? "| %s | %lld |" : "%-16s %5lld", t->remedy[i][0] ? t->remedy[i] : "-",
                    (long long)t->runs[i]);
            for (size_t c = 0; c < NAT_COLS; c++)
                fprintf(f, md ? " %.6g |" : " %19.6g", t->v[i][c]);
            fputc('\n', f);
        }
    }
    free(t);
    return rc;
}

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
    if ((fmt == REPORT_TABLE || fmt == REPORT_MARKDOWN) &&
        (rc = nat_report(stdout, st, sweep_id, fmt == REPORT_MARKDOWN, &e)) != 0)
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
