/* cmd_plot.c - 'portsim plot': pictures of recorded runs through gnuplot.
 *
 * --run ID...  ports in use and in TIME_WAIT over time (from the samples),
 *              the pool size, failed connect() calls (analysis/plot.h);
 * --sweep NAME failed requests against request rate, one line per remedy
 *              with 95 % bars, and the baseline's Erlang-B curve; the
 *              groups are 'portsim report's (analysis/runset.h, report.h);
 *              the curve's points are computed here (models/theory.h).
 * The script is built in memory (open_memstream) and piped to gnuplot;
 * --script FILE also keeps it, to restyle by hand.  Exit status: 0; 2 for
 * bad usage, an unknown sweep or run; 1 when the database is missing or
 * gnuplot is missing or fails (its words are printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "analysis/runset.h"
#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/outfile.h"
#include "cli/dbsel.h"
#include "models/scenario_json.h"
#include "models/theory.h"
#include "sim/xalloc.h"

int cmd_plot_take_run(void *args, const char *arg, struct err *e)
{
    struct plot_args *a = args;
    uint64_t id;
    int rc;

    if ((rc = cli_u64("--run", arg, 1, INT64_MAX, &id, e)) != 0)
        return rc;
    if (a->nruns == PLOT_MAX_RUNS)
        return err_set(e, PS_EINVAL, "at most %d runs in one picture", PLOT_MAX_RUNS);
    a->runs[a->nruns++] = (int64_t)id;
    return 0;
}

/* ---- The two pictures ---- */

struct loaded {
    struct store_run run;
    struct run_sample *samples;
    size_t n;
    char label[200];
    uint64_t pool;
};

static int timeseries(FILE *f, struct store *st, const struct plot_args *a,
                      const struct plot_out *o, struct err *e)
{
    struct loaded *l = xcalloc(a->nruns, sizeof(*l));
    struct plot_run pr[PLOT_MAX_RUNS];
    char title[400];
    size_t done = 0, used;
    int rc = 0;

    for (; done < a->nruns; done++) {
        struct loaded *x = &l[done];
        struct scenario sc;
        struct theory t;

        if ((rc = store_run_load(st, a->runs[done], &x->run, NULL, &x->samples, &x->n, e)) != 0)
            break;
        if (x->n == 0) {
            rc = err_set(e, PS_EINVAL, "run %" PRId64 " has no samples (run.sample_interval "
                         "= 0, or the run failed)", a->runs[done]);
            store_run_fini(&x->run);
            break;
        }
        if (scenario_from_json(&sc, x->run.params_json, NULL) == 0) {
            if (theory_compute(&sc.p, &t, NULL) == 0)
                x->pool = t.n;
            scenario_fini(&sc);
        }
        snprintf(x->label, sizeof(x->label), "run %" PRId64 " %s", x->run.id,
                 x->run.remedy[0] ? x->run.remedy : x->run.scenario_name);
        pr[done] = (struct plot_run){x->label, x->samples, x->n, x->pool};
    }
    if (rc == 0) {
        if (a->title) {
            snprintf(title, sizeof(title), "%s", a->title);
        } else if (a->nruns == 1) {
            snprintf(title, sizeof(title), "Ephemeral ports over time: %s (run %" PRId64
                     ", seed %" PRIu64 ")", l[0].run.remedy[0] ? l[0].run.remedy
                     : l[0].run.scenario_name, l[0].run.id, l[0].run.seed);
        } else {
            used = (size_t)snprintf(title, sizeof(title), "Ephemeral ports over time: runs");
            for (size_t i = 0; i < a->nruns && used < sizeof(title); i++)
                used += (size_t)snprintf(title + used, sizeof(title) - used, "%s %" PRId64,
                                         i ? "," : "", l[i].run.id);
        }
        plot_script_timeseries(f, o, title, pr, a->nruns);
    }
    for (size_t i = 0; i < done; i++) {
        store_run_fini(&l[i].run);
        free(l[i].samples);
    }
    free(l);
    return rc;
}

/* The baseline's Erlang-B blocking along the picture's x range, at the
 * points plot_range_at() gives; rates where the closed form has no answer
 * are left out.  'x' and 'y' hold PLOT_CURVE_POINTS each. */
static void erlang_curve(const struct scenario_params *base, const struct report_group *g,
                         size_t ng, double *x, double *y, struct plot_curve *c)
{
    struct scenario_params p = *base;
    struct plot_range r;

    plot_remedies_range(g, ng, &r);
    c->x = x;
    c->y = y;
    c->n = 0;
    for (size_t k = 0; k < PLOT_CURVE_POINTS; k++) {
        struct theory t;

        p.workload.rate_per_s = plot_range_at(&r, k);
        if (theory_compute(&p, &t, NULL) != 0)
            continue;
        x[c->n] = p.workload.rate_per_s;
        y[c->n++] = t.blocking;
    }
}

static int remedies(FILE *f, struct store *st, int64_t sweep_id, const struct plot_args *a,
                    const struct plot_out *o, struct err *e)
{
    struct report_group *g = NULL;
    const struct scenario_params *base = NULL;
    double cx[PLOT_CURVE_POINTS], cy[PLOT_CURVE_POINTS];
    struct plot_curve curve;
    struct runset rs;
    size_t ng = 0;
    char title[400];
    int rc;

    if ((rc = dbsel_runs(&rs, st, sweep_id, e)) != 0)
        goto out;
    if (rs.n == 0) {
        rc = dbsel_empty(cli_db_path(a->db), a->sweep, &rs, e);
        goto out;
    }
    if ((rc = report_compute(rs.runs, rs.n, a->baseline, &g, &ng, e)) != 0)
        goto out;
    for (size_t i = 0; i < rs.n && !base; i++) {
        if (ng > 0 && strcmp(rs.runs[i].remedy, g[0].baseline) == 0)
            base = runset_params_of(&rs, i);
    }
    if (a->title)
        snprintf(title, sizeof(title), "%s", a->title);
    else
        snprintf(title, sizeof(title), "Failed requests against request rate: sweep %s",
                 a->sweep);
    if (base)
        erlang_curve(base, g, ng, cx, cy, &curve);
    plot_script_remedies(f, o, title, g, ng, base ? &curve : NULL);
out:
    report_groups_free(g);
    runset_fini(&rs);
    return rc;
}

static int save_script(const char *path, const char *text, size_t len, struct err *e)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
    if (fwrite(text, 1, len, f) != len || fclose(f) != 0)
        return err_set(e, PS_EIO, "%s: cannot write", path);
    return 0;
}

int cmd_plot(void *args, int nops, char **ops)
{
    const struct plot_args *a = args;
    struct outfile of = {0};
    struct plot_out o;
    struct store *st = NULL;
    int64_t sweep_id = 0;
    char *script = NULL;
    size_t len = 0;
    FILE *f;
    struct err e;
    int rc = 0;

    (void)nops;
    (void)ops;
    err_clear(&e);
    if ((a->sweep != NULL) == (a->nruns > 0))
        rc = err_set(&e, PS_EINVAL, "give either --sweep NAME or --run ID (see --help)");
    else if (!a->out)
        rc = err_set(&e, PS_EINVAL, "'--out FILE.png' or '--out FILE.svg' is required");
    if (rc == 0)                /* '--out -': SVG on standard output */
        rc = plot_out_parse(&o, outfile_is_stdout(a->out) ? "-.svg" : a->out, a->size, &e);
    if (rc == 0)
        rc = outfile_begin(&of, a->out, &e);
    if (rc != 0)
        return cli_fail("plot", &e);
    o.path = of.path;
    if ((rc = dbsel_open(cli_db_path(a->db), a->sweep, &st, &sweep_id, &e)) != 0)
        goto out;
    if (!(f = open_memstream(&script, &len))) {
        rc = err_set(&e, PS_EIO, "open_memstream: %s", strerror(errno));
        goto out;
    }
    rc = a->sweep ? remedies(f, st, sweep_id, a, &o, &e) : timeseries(f, st, a, &o, &e);
    fclose(f);
    if (rc == 0 && a->script)
        rc = save_script(a->script, script, len, &e);
    if (rc == 0)
        rc = plot_gnuplot(script, len, o.path, &e);
    if (rc == 0 && !of.to_stdout)
        printf("wrote %s (%ux%u)\n", o.path, o.width, o.height);
out:
    if (rc == 0)
        rc = outfile_end(&of, true, &e);
    else
        outfile_end(&of, false, &e);
    free(script);
    store_close(st);
    return rc ? cli_fail("plot", &e) : 0;
}
