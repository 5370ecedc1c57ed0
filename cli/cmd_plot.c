/* cmd_plot.c - 'portsim plot': pictures of recorded runs through gnuplot.
 *
 * --run ID...  per run a column: TIME_WAIT against the pool and failed
 *              connect() per second above, ports in use below
 *              (analysis/plot.h); titles in words (scenario, profile,
 *              rate), the seeds in the small print; one run with [nat]
 *              (issue 12): a lane per public IP instead, its limit per
 *              destination from models/nat.h, the vendor's words;
 * --sweep NAME failed requests (linear and log) and headroom against --x
 *              (default the rate), one line per --series value (default
 *              the remedy), one column per --facet value; the groups are
 *              'portsim report's (analysis/runset.h, report.h); each
 *              point's closed form is its runs' own (report's column B %),
 *              its pool from models/theory.h, its keys in words from a
 *              small table and the key table's units.
 * The script is built in memory (open_memstream) and piped to gnuplot;
 * --script FILE also keeps it, to restyle by hand.  Exit status: 0; 2 for
 * bad usage, an unknown sweep or run; 1 when the database is missing or
 * gnuplot is missing or fails (its words are printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "analysis/runset.h"
#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/outpipe.h"
#include "cli/dbsel.h"
#include "models/scenario_json.h"
#include "models/keys.h"
#include "models/nat.h"
#include "models/names.h"
#include "models/theory.h"
#include "sim/fmt.h"
#include "sim/outfile.h"
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

/* ---- Runs over time ---- */

struct loaded {
    struct store_run run;
    struct run_sample *samples;
    size_t n;
    char label[200];
    uint64_t pool;
};

/* Load run 'id' into 'x' with its panel title ("run 3: kb319502, win2000,
 * 40 requests/s") and its pool size from the closed form. */
static int load_run(struct store *st, int64_t id, struct loaded *x, struct err *e)
{
    struct scenario sc;
    char rate[FMT_BUF];
    int rc;

    if ((rc = store_run_load(st, id, &x->run, NULL, &x->samples, &x->n, e)) != 0)
        return rc;
    if (x->n == 0) {
        store_run_fini(&x->run);
        free(x->samples);
        return err_set(e, PS_EINVAL, "run %" PRId64 " has no samples (run.sample_interval "
                       "= 0, or the run failed)", id);
    }
    snprintf(x->label, sizeof(x->label), "run %" PRId64 ": %s", id,
             x->run.remedy[0] ? x->run.remedy : x->run.scenario_name);
    if (scenario_from_json(&sc, x->run.params_json, NULL) == 0) {
        struct theory t;
        size_t used = strlen(x->label);

        if (theory_compute(&sc.p, &t, NULL) == 0)
            x->pool = t.n;
        snprintf(x->label + used, sizeof(x->label) - used, ", %s, %s requests/s",
                 names_of(&names_profile, sc.p.stack.profile),
                 fmt_double(sc.p.workload.rate_per_s, rate, sizeof(rate)));
        scenario_fini(&sc);
    }
    return 0;
}

/* Issue 12: a run with NAT lanes gets one panel per public IP: its limit
 * per destination and the vendor's words from its recorded parameters.
 * '*drawn' false (nothing written) for a run without lanes. */
static int lanes(FILE *f, struct store *st, const struct plot_args *a, const struct plot_out *o,
                 const struct loaded *x, bool *drawn, struct err *e)
{
    struct nat_ip_sample *v = NULL;
    uint64_t limit[NAT_IPS_MAX];
    struct nat_lanes nl = {0};
    struct plot_lanes pl = {x->samples, x->n, &nl, 0};
    struct scenario sc;
    uint32_t nips;
    size_t n;
    char title[400], foot[200];
    int rc;

    *drawn = false;
    if ((rc = store_nat_lanes_load(st, x->run.id, &nips, &v, &n, e)) != 0)
        return rc;
    if (nips == 0 || nips > NAT_IPS_MAX || n != x->n) {
        free(v);
        return 0;
    }
    nl.nips = nips;
    nl.v = v;
    memset(limit, 0, sizeof(limit));
    if (scenario_from_json(&sc, x->run.params_json, NULL) == 0) {
        for (uint32_t i = 0; i < nips; i++)
            limit[i] = nat_ip_limit(&sc.p, i);
        nl.limit = limit;
        nl.words = nat_failure_words(sc.p.nat.profile, NAT_DROP_EXHAUSTED);
        pl.ip_ports = sc.p.nat.profile != NAT_PROFILE_NONE ?
                      (uint64_t)sc.p.nat.port_max - sc.p.nat.port_min + 1 : 0;
        scenario_fini(&sc);
    }
    if (a->title)
        snprintf(title, sizeof(title), "%s", a->title);
    else
        snprintf(title, sizeof(title), "NAT ports per public IP over time, %s", x->label);
    snprintf(foot, sizeof(foot), "run %" PRId64 " seed %" PRIu64, x->run.id, x->run.seed);
    plot_script_lanes(f, o, title, &pl, foot);
    free(v);
    *drawn = true;
    return 0;
}

static int timeseries(FILE *f, struct store *st, const struct plot_args *a,
                      const struct plot_out *o, struct err *e)
{
    struct loaded *l = xcalloc(a->nruns, sizeof(*l));
    struct plot_run pr[PLOT_MAX_RUNS];
    char title[400], foot[400];
    size_t done = 0, used = 0;
    int rc = 0;

    for (; done < a->nruns; done++) {
        if ((rc = load_run(st, a->runs[done], &l[done], e)) != 0)
            break;
        pr[done] = (struct plot_run){l[done].label, l[done].samples, l[done].n, l[done].pool};
    }
    if (rc == 0 && a->nruns == 1) {
        bool drawn;

        if ((rc = lanes(f, st, a, o, &l[0], &drawn, e)) != 0 || drawn)
            goto out;
    }
    if (rc == 0) {
        if (a->title)
            snprintf(title, sizeof(title), "%s", a->title);
        else if (a->nruns == 1)
            snprintf(title, sizeof(title), "Ephemeral ports over time, %s", l[0].label);
        else
            snprintf(title, sizeof(title), "Ephemeral ports over time");
        if (a->nruns == 1)
            pr[0].label = "";
        foot[0] = '\0';
        for (size_t i = 0; i < a->nruns && used < sizeof(foot); i++)
            used += (size_t)snprintf(foot + used, sizeof(foot) - used, "%srun %" PRId64
                                     " seed %" PRIu64, i ? ", " : "", l[i].run.id,
                                     l[i].run.seed);
        plot_script_timeseries(f, o, title, pr, a->nruns, foot);
    }
out:
    for (size_t i = 0; i < done; i++) {
        store_run_fini(&l[i].run);
        free(l[i].samples);
    }
    free(l);
    return rc;
}

/* ---- Sweeps ---- */

/* Keys in words for the picture; others go by their own name. */
static const struct {
    const char *key;
    const char *words;
} key_words[] = {
    {"workload.rate", "request rate"},
    {"stack.time_wait", "TIME_WAIT"},
    {"workload.cache_ttl", "cache TTL"},
    {"stack.port_max", "highest port"},
    {"stack.port_min", "lowest port"},
    {"stack.profile", "profile"},
    {"stack.allocator", "allocator"},
    {"workload.service_time", "service time"},
    {"remedy", "remedy"},
};

static const char *words_of(const char *key)
{
    for (size_t i = 0; i < sizeof(key_words) / sizeof(key_words[0]); i++)
        if (strcmp(key_words[i].key, key) == 0)
            return key_words[i].words;
    return key;
}

/* The unit of 'key' from the key table ("" for none or unknown). */
static const char *unit_of(const char *key)
{
    const struct key_def *k = NULL, *table;
    const char *dot = strchr(key, '.');
    size_t n;

    if (dot && (size_t)(dot - key) < 32) {
        char section[32];

        memcpy(section, key, (size_t)(dot - key));
        section[dot - key] = '\0';
        table = keys_scenario(&n);
        k = keys_find(table, n, section, dot + 1);
    }
    return k && k->unit ? k->unit : "";
}

/* The value of 'key' at group 'g' as text ("" if the point lacks it) and,
 * when it is a number, in '*x'. */
static void value_of(const struct report_group *g, const char *key, char *buf, size_t size,
                     double *x)
{
    json_t *root, *v;

    buf[0] = '\0';
    *x = NAN;
    if (strcmp(key, "remedy") == 0) {
        snprintf(buf, size, "%s", g->remedy);
        return;
    }
    if (strcmp(key, "workload.rate") == 0) {
        *x = g->rate;
        fmt_double(g->rate, buf, size);
        return;
    }
    root = json_loads(g->point, 0, NULL);
    v = json_object_get(root, key);
    if (json_is_number(v)) {
        *x = json_number_value(v);
        fmt_double(*x, buf, size);
    } else if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
    }
    json_decref(root);
}

/* "TIME_WAIT 240 s", "remedy-x", "allocator random" into 'buf'. */
static void label_part(const struct report_group *g, const char *key, char *buf, size_t size)
{
    char v[128];
    double x;
    const char *unit = unit_of(key);

    value_of(g, key, v, sizeof(v), &x);
    if (strcmp(key, "remedy") == 0)
        snprintf(buf, size, "%s", v);
    else
        snprintf(buf, size, "%s %s%s%s", words_of(key), v, unit[0] ? " " : "", unit);
}

/* The keys that vary over the groups: "remedy" when more than one, then the
 * points' keys in the order first met (at most 'max'; borrowed from a
 * json object the caller frees with json_decref(*keep)). */
static size_t varied_keys(const struct report_group *g, size_t ng, const char **keys,
                          size_t max, json_t **keep)
{
    size_t k = 0;

    *keep = json_array();
    for (size_t i = 1; i < ng && k == 0; i++)
        if (strcmp(g[i].remedy, g[0].remedy) != 0)
            keys[k++] = "remedy";
    for (size_t i = 0; i < ng; i++) {
        json_t *root = json_loads(g[i].point, 0, NULL);
        const char *key;
        json_t *v;

        json_object_foreach(root, key, v) {
            size_t j;

            (void)v;
            for (j = 0; j < k && strcmp(keys[j], key) != 0; j++)
                ;
            if (j == k && k < max) {
                json_array_append_new(*keep, json_string(key));
                keys[k++] = json_string_value(json_array_get(*keep,
                                                            json_array_size(*keep) - 1));
            }
        }
        json_decref(root);
    }
    return k;
}

/* 'key' ("--x", ...) must be one of the varied keys. */
static int check_key(const char *opt, const char *key, const char *const *keys, size_t nk,
                     struct err *e)
{
    char list[600];
    size_t used = 0;

    for (size_t i = 0; i < nk; i++)
        if (strcmp(keys[i], key) == 0)
            return 0;
    if (strcmp(opt, "--x") == 0 ? strcmp(key, "workload.rate") == 0
                                 : strcmp(key, "remedy") == 0)
        return 0;                       /* the rate is always known; one remedy is a series */
    list[0] = '\0';
    for (size_t i = 0; i < nk && used < sizeof(list); i++)
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
                                 keys[i]);
    return err_set(e, PS_EINVAL, "%s %s: the sweep does not vary it (it varies: %s)", opt, key,
                   nk ? list : "nothing");
}

/* The pool of group 'g' from the parameters of one of its runs (0: unknown). */
static uint64_t pool_of(const struct runset *rs, const struct report_group *g)
{
    for (size_t i = 0; i < rs->n; i++) {
        const struct scenario_params *p;
        struct theory t;

        if (strcmp(rs->runs[i].remedy, g->remedy) != 0 || strcmp(rs->runs[i].point,
                                                                   g->point) != 0)
            continue;
        p = runset_params_of(rs, i);
        if (p && theory_compute(p, &t, NULL) == 0)
            return t.n;
    }
    return 0;
}

/* The words of the sweep's keys: x, series, facet (NULL: none). */
struct sweep_keys_sel {
    const char *x, *series, *facet;
};

/* Point 'i' of the picture from group 'g': the labels go to 'sl' and 'fl'
 * (each 200 bytes). */
static void sweep_point(const struct runset *rs, const struct report_group *g,
                        const struct sweep_keys_sel *k, const char *const *keys, size_t nk,
                        char *sl, char *fl, struct plot_point *p)
{
    char part[200], v[128];
    size_t used;
    uint64_t pool = pool_of(rs, g);

    value_of(g, k->x, v, sizeof(v), &p->x);
    label_part(g, k->series, sl, 200);
    used = strlen(sl);
    for (size_t j = 0; j < nk; j++) {
        if (strcmp(keys[j], k->x) == 0 || strcmp(keys[j], k->series) == 0 ||
            (k->facet && strcmp(keys[j], k->facet) == 0))
            continue;
        label_part(g, keys[j], part, sizeof(part));
        used += (size_t)snprintf(sl + used, used < 200 ? 200 - used : 0, ", %s", part);
    }
    if (g->is_baseline && strcmp(k->series, "remedy") == 0 &&
        strcmp(g->remedy, REPORT_BASELINE) != 0 && used < 200)
        snprintf(sl + used, 200 - used, " (baseline)");
    if (k->facet)
        label_part(g, k->facet, fl, 200);
    else
        fl[0] = '\0';
    p->series = sl;
    p->facet = fl;
    p->fail = g->request_fail_pooled;
    p->closed_form = g->theory_blocking;
    p->headroom = pool ? (g->peak_time_wait + g->peak_in_use) / (double)pool : (double)NAN;
}

/* The rate when it varies, else the first varied key but the remedy. */
static const char *default_x(const char *const *keys, size_t nk)
{
    for (size_t j = 0; j < nk; j++)
        if (strcmp(keys[j], "workload.rate") == 0)
            return keys[j];
    for (size_t j = 0; j < nk; j++)
        if (strcmp(keys[j], "remedy") != 0)
            return keys[j];
    return "workload.rate";
}

static int sweep_picture(FILE *f, const struct runset *rs, const struct report_group *g,
                         size_t ng, const struct plot_args *a, const struct plot_out *o,
                         struct err *e)
{
    const char *keys[32];
    json_t *keep;
    size_t nk = varied_keys(g, ng, keys, 32, &keep);
    struct sweep_keys_sel k = {a->xkey, a->serieskey ? a->serieskey : "remedy", a->facetkey};
    struct plot_point *p = xcalloc(ng + 1, sizeof(*p));
    char *labels = xcalloc(ng + 1, 400), title[400], xlabel[200], foot[300];
    int rc = 0;

    if (!k.x)
        k.x = default_x(keys, nk);
    if ((rc = check_key("--x", k.x, keys, nk, e)) == 0 &&
        (rc = check_key("--series", k.series, keys, nk, e)) == 0 && k.facet)
        rc = check_key("--facet", k.facet, keys, nk, e);
    if (rc == 0 && strcmp(k.x, "remedy") == 0)
        rc = err_set(e, PS_EINVAL, "--x must be a numeric key, not remedy");
    for (size_t i = 0; rc == 0 && i < ng; i++)
        sweep_point(rs, &g[i], &k, keys, nk, labels + 400 * i, labels + 400 * i + 200, &p[i]);
    if (rc == 0) {
        const char *unit = unit_of(k.x);

        snprintf(xlabel, sizeof(xlabel), "%s%s%s%s", words_of(k.x), unit[0] ? " (" : "", unit,
                 unit[0] ? ")" : "");
        snprintf(title, sizeof(title), "%s", a->title ? a->title : "");
        if (!a->title)
            snprintf(title, sizeof(title), "Sweep %s: failed requests and headroom against %s",
                     a->sweep, words_of(k.x));
        snprintf(foot, sizeof(foot), "Baseline remedy: %s. Bars: 95%% Clopper-Pearson interval "
                 "of the failed requests pooled over the replications.", ng ? g[0].baseline : "-");
        plot_script_sweep(f, o, &(struct plot_sweep){title, xlabel, foot, p, ng});
    }
    json_decref(keep);
    free(labels);
    free(p);
    return rc;
}

static int sweep(FILE *f, struct store *st, int64_t sweep_id, const struct plot_args *a,
                 const struct plot_out *o, struct err *e)
{
    struct report_group *g = NULL;
    struct runset rs;
    size_t ng = 0;
    int rc;

    if ((rc = dbsel_runs(&rs, st, sweep_id, e)) != 0)
        goto out;
    if (rs.n == 0) {
        rc = dbsel_empty(cli_db_path(a->db), a->sweep, &rs, e);
        goto out;
    }
    if ((rc = report_compute(rs.runs, rs.n, a->baseline, &g, &ng, e)) != 0)
        goto out;
    rc = sweep_picture(f, &rs, g, ng, a, o, e);
out:
    report_groups_free(g);
    runset_fini(&rs);
    return rc;
}

static int save_script(const char *path, const char *text, size_t len, struct err *e)
{
    struct outfile out;
    int rc;

    if ((rc = outfile_open(&out, path, e)) != 0)
        return rc;
    fwrite(text, 1, len, out.f);
    return outfile_commit(&out, e);
}

/* The script drawing into 'o' (into '*script', caller frees). */
static int make_script(struct store *st, int64_t sweep_id, const struct plot_args *a,
                       const struct plot_out *o, char **script, size_t *len, struct err *e)
{
    FILE *f;
    int rc;

    *script = NULL;
    if (!(f = open_memstream(script, len)))
        return err_set(e, PS_EIO, "open_memstream: %s", strerror(errno));
    rc = a->sweep ? sweep(f, st, sweep_id, a, o, e) : timeseries(f, st, a, o, e);
    fclose(f);
    return rc;
}

/* gnuplot draws into a temporary file beside --out, renamed over it only
 * when the picture is complete: a failure never leaves a truncated one. */
static int draw(struct store *st, int64_t sweep_id, const struct plot_args *a,
                const struct plot_out *o, struct err *e)
{
    struct plot_out tmp_o = *o;
    char tmp[4096];
    char *script;
    size_t len = 0;
    int rc;

    outfile_tmpname(tmp, sizeof(tmp), o->path);
    tmp_o.path = tmp;
    if ((rc = make_script(st, sweep_id, a, &tmp_o, &script, &len, e)) == 0 &&
        (rc = plot_gnuplot(script, len, tmp, e)) == 0 && rename(tmp, o->path) != 0)
        rc = err_set(e, PS_EIO, "%s: %s", o->path, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    free(script);
    return rc;
}

/* The picture's size when --size is not given: a sweep's three panels
 * need height; runs side by side need width. */
static const char *default_size(const struct plot_args *a, char *buf, size_t size)
{
    if (a->sweep)
        snprintf(buf, size, "1000x900");
    else
        snprintf(buf, size, "%zux600", a->nruns > 1 ? 520 * a->nruns : (size_t)PLOT_WIDTH);
    return buf;
}

/* The height of run 'id''s picture: its lanes' if it has some, else
 * 'dflt' (errors are left to the drawing, which reports them). */
static unsigned lanes_height(struct store *st, int64_t id, unsigned dflt)
{
    struct nat_ip_sample *v = NULL;
    uint32_t nips = 0;
    size_t n;
    struct err e;

    err_clear(&e);
    if (store_nat_lanes_load(st, id, &nips, &v, &n, &e) != 0)
        nips = 0;
    free(v);
    return nips ? plot_lanes_height(nips) : dflt;
}

int cmd_plot(void *args, int nops, char **ops)
{
    const struct plot_args *a = args;
    struct outpipe of = {0};
    struct plot_out o;
    char size[32];
    struct store *st = NULL;
    int64_t sweep_id = 0;
    char *script = NULL;
    size_t len = 0;
    struct err e;
    int rc = 0;

    (void)nops;
    (void)ops;
    err_clear(&e);
    if ((a->sweep != NULL) == (a->nruns > 0))
        rc = err_set(&e, PS_EINVAL, "give either --sweep NAME or --run ID (see --help)");
    else if (!a->out)
        rc = err_set(&e, PS_EINVAL, "'--out FILE.png' or '--out FILE.svg' is required");
    else if (!a->sweep && (a->xkey || a->serieskey || a->facetkey))
        rc = err_set(&e, PS_EINVAL, "--x, --series and --facet go with --sweep");
    if (rc == 0)                /* '--out -': SVG on standard output */
        rc = plot_out_parse(&o, outpipe_is_stdout(a->out) ? "-.svg" : a->out,
                            a->size ? a->size : default_size(a, size, sizeof(size)), &e);
    if (rc == 0)
        rc = outpipe_begin(&of, a->out, &e);
    if (rc != 0)
        return cli_fail("plot", &e);
    o.path = of.path;
    if ((rc = dbsel_open(cli_db_path(a->db), a->sweep, &st, &sweep_id, &e)) != 0)
        goto out;
    if (!a->size && a->nruns == 1)  /* issue 12: a NAT run's lanes need height */
        o.height = lanes_height(st, a->runs[0], o.height);
    if (a->script && (rc = make_script(st, sweep_id, a, &o, &script, &len, &e)) == 0)
        rc = save_script(a->script, script, len, &e);
    if (rc == 0)
        rc = draw(st, sweep_id, a, &o, &e);
    if (rc == 0 && !of.to_stdout)
        printf("wrote %s (%ux%u)\n", o.path, o.width, o.height);
out:
    if (rc == 0)
        rc = outpipe_end(&of, true, &e);
    else
        outpipe_end(&of, false, &e);
    free(script);
    store_close(st);
    return rc ? cli_fail("plot", &e) : 0;
}
