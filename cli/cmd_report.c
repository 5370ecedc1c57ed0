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
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report.h"
#include "analysis/runset.h"
#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/dbsel.h"

static const char usage_text[] =
    "usage: portsim report [--db FILE] [--sweep NAME] [--baseline NAME]\n"
    "                      [--format table|csv|json|markdown]\n"
    "\n"
    "Compare remedies over their replications: the share of failed connect() calls\n"
    "and failed requests with 95% intervals, the paired difference from the\n"
    "baseline (same seeds, same arrivals), TIME_WAIT and in-use peaks, the first\n"
    "failure, and the closed form (Erlang B, sustainable rate) beside them.  One row\n"
    "per remedy and point (the values a sweep varied); within a point the best\n"
    "remedy comes first.\n"
    "\n"
    "  --db FILE        database (default: $PORTSIM_DB, else portsim.db)\n"
    "  --sweep NAME     the runs of this sweep (default: every run; runs recorded\n"
    "                   without a remedy are grouped by their scenario name)\n"
    "  --baseline NAME  the remedy the others are compared with (default:\n"
    "                   'baseline', else the first remedy recorded)\n"
    "  --format F       table (default; fits 100 columns), csv, json, markdown\n";

struct report_args {
    const char *db;
    const char *sweep;
    const char *baseline;
    enum report_format fmt;
};

static int parse_args(int argc, char **argv, struct report_args *a, struct err *e)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"sweep", required_argument, NULL, 's'},
        {"baseline", required_argument, NULL, 'b'}, {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    int c, rc;

    opterr = 0;
    optind = 1;
    a->fmt = REPORT_TABLE;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 's': a->sweep = optarg; break;
        case 'b': a->baseline = optarg; break;
        case 'f':
            if ((rc = report_format_parse(optarg, &a->fmt, e)) != 0)
                return rc;
            break;
        case 'h': return 1;
        default:
            return cli_bad_option(argv, e);
        }
    }
    if (optind < argc)
        return err_set(e, PS_EINVAL, "unexpected argument '%s'", argv[optind]);
    return 0;
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

int cmd_report(int argc, char **argv)
{
    struct report_args a = {0};
    struct store *st = NULL;
    struct runset rs;
    int64_t sweep_id = 0;
    struct err e;
    int rc;

    memset(&rs, 0, sizeof(rs));
    err_clear(&e);
    if ((rc = parse_args(argc, argv, &a, &e)) == 1) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (rc != 0)
        return cli_fail("report", &e);
    if ((rc = dbsel_open(cli_db_path(a.db), a.sweep, &st, &sweep_id, &e)) != 0)
        return cli_fail("report", &e);
    if ((rc = dbsel_runs(&rs, st, sweep_id, &e)) != 0)
        goto out;
    if (rs.n == 0) {
        rc = dbsel_empty(cli_db_path(a.db), a.sweep, &rs, &e);
        goto out;
    }
    if (a.baseline && (rc = check_baseline(&rs, a.baseline, &e)) != 0)
        goto out;
    if ((rc = report_write(stdout, rs.runs, rs.n, a.baseline, a.fmt, &e)) != 0)
        goto out;
    if (rs.notes[0]) {
        bool below = a.fmt == REPORT_TABLE || a.fmt == REPORT_MARKDOWN;
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
