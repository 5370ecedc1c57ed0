/* report.c - the remedy report: grouping, statistics and four formats.
 *
 * How: sort an index of the runs by (point, remedy, seed) so that each group
 * is one stretch of the index with its seeds in order; the paired difference
 * with the baseline is then a merge of two sorted stretches.  The groups are
 * finally sorted into report order (report.h).  One table of fields drives
 * both csv and json, so the two always carry the same names in the same
 * order; the table and markdown pick the columns people read.
 *
 * Invariant: the output is a function of the input list alone (all sorts end
 * on a unique key, the input index).  Cost: O(n log n) in runs, O(n) memory.
 */
#include "analysis/report.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim/fmt.h"
#include "sim/xalloc.h"

/* ---- Grouping ---- */

struct item {
    const struct report_run *r;
    size_t idx;                     /* position in the caller's list */
};

static int cmp_item(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int c;

    if ((c = strcmp(a->r->point, b->r->point)) != 0)
        return c;
    if ((c = strcmp(a->r->remedy, b->r->remedy)) != 0)
        return c;
    if (a->r->seed != b->r->seed)
        return a->r->seed < b->r->seed ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* NaN sorts after every number. */
static int cmp_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return a < b ? -1 : a > b;
}

static int cmp_group(const void *pa, const void *pb)
{
    const struct report_group *a = pa, *b = pb;
    int c;

    if (a->point_rank != b->point_rank)
        return a->point_rank < b->point_rank ? -1 : 1;
    if ((c = cmp_double(a->request_fail_pooled.p, b->request_fail_pooled.p)) != 0)
        return c;
    if ((c = cmp_double(a->peak_time_wait, b->peak_time_wait)) != 0)
        return c;
    return a->remedy_rank < b->remedy_rank ? -1 : a->remedy_rank > b->remedy_rank;
}

static double share(uint64_t k, uint64_t n)
{
    return n > 0 ? (double)k / (double)n : 0.0;
}

/* Issue 12: add run 'r''s NAT figures to 'g' (before fill_nat_end()). */
static void fill_nat(struct report_group *g, const struct report_nat *n)
{
    if (!n->on)
        return;
    if (g->nat_runs++ == 0)
        g->nat_failure_words = n->failure_words;
    g->nat_flows += n->nat_flows;
    g->nat_failures += n->nat_failures;
    if (n->nat_ports_peak > g->nat_ports_peak_max)
        g->nat_ports_peak_max = n->nat_ports_peak;
    g->connect_p50_s_mean += n->connect_p50_s;
    if (n->connect_p99_s > g->connect_p99_s_max)
        g->connect_p99_s_max = n->connect_p99_s;
    g->syn_retransmits += n->syn_retransmits;
    g->connect_timeouts += n->connect_timeouts;
    g->pool_resets += n->pool_resets;
}

static void fill_nat_end(struct report_group *g)
{
    uint64_t syns = g->nat_flows + g->nat_failures;

    if (g->nat_runs == 0)
        return;
    g->connect_p50_s_mean /= (double)g->nat_runs;
    g->nat_drop_pooled = syns ? (double)g->nat_failures / (double)syns : 0.0;
}

/* Runs items[start, end) of one group: everything but the paired difference. */
static void fill_group(struct report_group *g, const struct item *items, size_t start,
                       size_t end, double *scratch_c, double *scratch_r)
{
    uint64_t ck = 0, cn = 0, rk = 0, rn = 0;
    double ptw = 0.0, mtw = 0.0, piu = 0.0, ff = 0.0;
    size_t nrep = end - start;

    g->point = items[start].r->point;
    g->remedy = items[start].r->remedy;
    g->rate = items[start].r->rate;
    g->replications = nrep;
    g->remedy_rank = items[start].idx;
    g->first_failure_min = g->first_failure_mean = (double)NAN;
    g->theory_blocking = g->theory_sustainable_per_s = (double)NAN;
    for (size_t i = start; i < end; i++) {
        const struct report_run *r = items[i].r;
        const struct run_metrics *m = &r->m;

        if (items[i].idx < g->remedy_rank) {
            g->remedy_rank = items[i].idx;
            g->rate = r->rate;
        }
        assert(m->connect_failures <= m->connect_attempts);
        assert(m->requests_failed <= m->requests);
        ck += m->connect_failures;
        cn += m->connect_attempts;
        rk += m->requests_failed;
        rn += m->requests;
        scratch_c[i - start] = share(m->connect_failures, m->connect_attempts);
        scratch_r[i - start] = share(m->requests_failed, m->requests);
        ptw += (double)m->peak_time_wait;
        g->time_wait_overflows += (double)m->time_wait_overflows;
        mtw += m->mean_time_wait;
        piu += (double)m->peak_in_use;
        if (m->peak_time_wait > g->peak_time_wait_max)
            g->peak_time_wait_max = m->peak_time_wait;
        if (m->peak_in_use > g->peak_in_use_max)
            g->peak_in_use_max = m->peak_in_use;
        if (m->candidates_p99 > g->candidates_p99_max)
            g->candidates_p99_max = m->candidates_p99;
        if (m->connect_latency_p99_ns > g->connect_latency_p99_ns_max)
            g->connect_latency_p99_ns_max = m->connect_latency_p99_ns;
        g->peak_bound += (double)m->peak_bound / (double)nrep;
        if (m->has_first_failure) {
            if (g->failed_replications == 0 || m->first_failure_time < g->first_failure_min)
                g->first_failure_min = m->first_failure_time;
            ff += m->first_failure_time;
            g->failed_replications++;
        }
        if (isnan(g->theory_blocking))
            g->theory_blocking = r->theory_blocking;
        if (isnan(g->theory_sustainable_per_s))
            g->theory_sustainable_per_s = r->theory_sustainable_per_s;
        fill_nat(g, &r->nat);
    }
    fill_nat_end(g);
    stats_mean_ci(scratch_c, nrep, STATS_LEVEL, &g->connect_fail);
    stats_mean_ci(scratch_r, nrep, STATS_LEVEL, &g->request_fail);
    stats_clopper_pearson(ck, cn, STATS_LEVEL, &g->connect_fail_pooled);
    stats_clopper_pearson(rk, rn, STATS_LEVEL, &g->request_fail_pooled);
    g->peak_time_wait = ptw / (double)nrep;
    g->time_wait_overflows /= (double)nrep;
    g->mean_time_wait = mtw / (double)nrep;
    g->peak_in_use = piu / (double)nrep;
    if (g->failed_replications > 0)
        g->first_failure_mean = ff / (double)g->failed_replications;
}

/* Pair the seeds of two groups (stretches sorted by seed) and fill 'g->diff'
 * with this group's failed-request share minus the baseline's. */
static void pair_group(struct report_group *g, const struct item *items, size_t gs, size_t ge,
                       size_t bs, size_t be, double *a, double *b)
{
    size_t npair = 0;

    while (gs < ge && bs < be) {
        const struct run_metrics *mg = &items[gs].r->m, *mb = &items[bs].r->m;

        if (items[gs].r->seed < items[bs].r->seed) {
            gs++;
        } else if (items[gs].r->seed > items[bs].r->seed) {
            bs++;
        } else {
            a[npair] = share(mg->requests_failed, mg->requests);
            b[npair] = share(mb->requests_failed, mb->requests);
            npair++;
            gs++;
            bs++;
        }
    }
    stats_paired_diff(a, b, npair, STATS_LEVEL, &g->diff);
}

/* ---- Public: format names, compute ---- */

static const char *const format_names[] = {"table", "csv", "json", "markdown"};

int report_format_parse(const char *word, enum report_format *out, struct err *e)
{
    for (unsigned i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
        if (strcmp(word, format_names[i]) == 0) {
            *out = (enum report_format)i;
            return 0;
        }
    }
    return err_set(e, PS_EINVAL, "'--format' must be table, csv, json or markdown (got '%s')",
                   word);
}

int report_compute(const struct report_run *runs, size_t n, const char *baseline,
                   struct report_group **out, size_t *ngroups, struct err *e)
{
    struct item *items = xcalloc(n ? n : 1, sizeof(*items));
    struct report_group *g = xcalloc(n ? n : 1, sizeof(*g));
    size_t *start = xcalloc(n + 1, sizeof(*start));
    double *s1 = xcalloc(n ? n : 1, sizeof(*s1));
    double *s2 = xcalloc(n ? n : 1, sizeof(*s2));
    const char *base = NULL;
    size_t ng = 0;
    int rc = 0;

    assert(n == 0 || runs != NULL);
    if (!baseline)
        baseline = REPORT_BASELINE;
    for (size_t i = 0; i < n; i++) {
        assert(runs[i].remedy != NULL && runs[i].point != NULL);
        items[i].r = &runs[i];
        items[i].idx = i;
        if (!base && strcmp(runs[i].remedy, baseline) == 0)
            base = runs[i].remedy;
    }
    if (!base && n > 0)
        base = runs[0].remedy;
    qsort(items, n, sizeof(*items), cmp_item);

    /* Cut the sorted index into groups; a seed twice in one group is an error. */
    for (size_t i = 0; i < n; i++) {
        const struct report_run *r = items[i].r, *prev = i > 0 ? items[i - 1].r : NULL;

        if (!prev || strcmp(r->point, prev->point) != 0 || strcmp(r->remedy, prev->remedy) != 0) {
            start[ng++] = i;
        } else if (r->seed == prev->seed) {
            rc = err_set(e, PS_EINVAL, "remedy '%s' at point %s: seed %llu appears twice",
                         r->remedy, r->point, (unsigned long long)r->seed);
            goto out_free;
        }
    }
    start[ng] = n;
    for (size_t k = 0; k < ng; k++) {
        fill_group(&g[k], items, start[k], start[k + 1], s1, s2);
        g[k].baseline = base;
        g[k].is_baseline = strcmp(g[k].remedy, base) == 0;
    }

    /* Groups of one point are adjacent: rank the points, pair with the baseline. */
    for (size_t k = 0, first = 0; k < ng; k = first) {
        size_t rank = g[k].remedy_rank, b = ng;

        while (first < ng && strcmp(g[first].point, g[k].point) == 0) {
            if (g[first].remedy_rank < rank)
                rank = g[first].remedy_rank;
            if (g[first].is_baseline)
                b = first;
            first++;
        }
        for (size_t j = k; j < first; j++) {
            g[j].point_rank = rank;
            if (b < ng && j != b)
                pair_group(&g[j], items, start[j], start[j + 1], start[b], start[b + 1], s1, s2);
            else
                stats_mean_ci(NULL, 0, STATS_LEVEL, &g[j].diff);
        }
    }
    qsort(g, ng, sizeof(*g), cmp_group);
    *out = g;
    *ngroups = ng;
    g = NULL;

out_free:
    free(g);
    free(s2);
    free(s1);
    free(start);
    free(items);
    return rc;
}

void report_groups_free(struct report_group *g)
{
    free(g);
}

/* ---- Fields for csv and json ---- */

enum kind { K_POINT, K_STR, K_BOOL, K_SIZE, K_U64, K_DBL };

struct field {
    const char *name;               /* snake_case, the csv header and the json key */
    enum kind kind;
    size_t off;                     /* offset in struct report_group */
    bool nat;                       /* issue 12: a column only when some group has a
                                       NAT; null (empty in csv) for a group without */
};

#define F(name, kind, member) {name, kind, offsetof(struct report_group, member), false}
#define FN(name, kind, member) {name, kind, offsetof(struct report_group, member), true}

static const struct field fields[] = {
    F("point", K_POINT, point),
    F("remedy", K_STR, remedy),
    F("baseline", K_STR, baseline),
    F("is_baseline", K_BOOL, is_baseline),
    F("rate", K_DBL, rate),
    F("replications", K_SIZE, replications),
    F("connect_attempts", K_U64, connect_fail_pooled.n),
    F("connect_failures", K_U64, connect_fail_pooled.k),
    F("connect_fail_mean", K_DBL, connect_fail.mean),
    F("connect_fail_t_lo", K_DBL, connect_fail.lo),
    F("connect_fail_t_hi", K_DBL, connect_fail.hi),
    F("connect_fail_pooled", K_DBL, connect_fail_pooled.p),
    F("connect_fail_cp_lo", K_DBL, connect_fail_pooled.lo),
    F("connect_fail_cp_hi", K_DBL, connect_fail_pooled.hi),
    F("requests", K_U64, request_fail_pooled.n),
    F("requests_failed", K_U64, request_fail_pooled.k),
    F("request_fail_mean", K_DBL, request_fail.mean),
    F("request_fail_t_lo", K_DBL, request_fail.lo),
    F("request_fail_t_hi", K_DBL, request_fail.hi),
    F("request_fail_pooled", K_DBL, request_fail_pooled.p),
    F("request_fail_cp_lo", K_DBL, request_fail_pooled.lo),
    F("request_fail_cp_hi", K_DBL, request_fail_pooled.hi),
    F("diff_pairs", K_SIZE, diff.n),
    F("diff_request_fail_mean", K_DBL, diff.mean),
    F("diff_request_fail_t_lo", K_DBL, diff.lo),
    F("diff_request_fail_t_hi", K_DBL, diff.hi),
    F("peak_time_wait_mean", K_DBL, peak_time_wait),
    F("peak_time_wait_max", K_U64, peak_time_wait_max),
    F("mean_time_wait", K_DBL, mean_time_wait),
    F("peak_in_use_mean", K_DBL, peak_in_use),
    F("peak_in_use_max", K_U64, peak_in_use_max),
    F("failed_replications", K_SIZE, failed_replications),
    F("first_failure_min", K_DBL, first_failure_min),
    F("first_failure_mean", K_DBL, first_failure_mean),
    F("theory_blocking", K_DBL, theory_blocking),
    F("theory_sustainable_rate", K_DBL, theory_sustainable_per_s),
    F("time_wait_overflows_mean", K_DBL, time_wait_overflows),
    F("candidates_p99_max", K_U64, candidates_p99_max),
    F("connect_latency_p99_ns_max", K_U64, connect_latency_p99_ns_max),
    F("peak_bound_mean", K_DBL, peak_bound),
    FN("nat_flows", K_U64, nat_flows),
    FN("nat_failures", K_U64, nat_failures),
    FN("nat_drop_pooled", K_DBL, nat_drop_pooled),
    FN("nat_failure_words", K_STR, nat_failure_words),
    FN("nat_ports_peak_max", K_U64, nat_ports_peak_max),
    FN("connect_latency_p50_mean", K_DBL, connect_p50_s_mean),
    FN("connect_latency_p99_max", K_DBL, connect_p99_s_max),
    FN("syn_retransmits", K_U64, syn_retransmits),
    FN("connect_timeouts", K_U64, connect_timeouts),
    FN("pool_resets", K_U64, pool_resets),
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

#define AT(g, fl, type) (*(const type *)((const char *)(g) + (fl)->off))

/* The fields to print: all, or without the NAT's when no group had one
 * (so a report without a NAT keeps its columns). */
static size_t nfields(const struct report_group *g, size_t n)
{
    size_t k;

    for (k = 0; k < n && g[k].nat_runs == 0; k++)
        ;
    if (k < n)
        return NFIELDS;
    for (k = 0; k < NFIELDS && !fields[k].nat; k++)
        ;
    return k;
}

/* ---- csv ---- */

static void print_csv(FILE *f, const struct report_group *g, size_t n)
{
    size_t nf = nfields(g, n);

    for (size_t i = 0; i < nf; i++)
        fprintf(f, "%s%s", i ? "," : "", fields[i].name);
    fputc('\n', f);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < nf; i++) {
            const struct field *fl = &fields[i];
            double d;

            if (i > 0)
                fputc(',', f);
            if (fl->nat && g[k].nat_runs == 0)
                continue;           /* no NAT in this group: an empty field */
            switch (fl->kind) {
            case K_POINT:
            case K_STR:
                fmt_csv_field(f, AT(&g[k], fl, char *) ? AT(&g[k], fl, char *) : "");
                break;
            case K_BOOL:
                fputs(AT(&g[k], fl, bool) ? "true" : "false", f);
                break;
            case K_SIZE:
                fprintf(f, "%zu", AT(&g[k], fl, size_t));
                break;
            case K_U64:
                fprintf(f, "%llu", (unsigned long long)AT(&g[k], fl, uint64_t));
                break;
            case K_DBL:
                d = AT(&g[k], fl, double);
                if (isfinite(d))    /* null (NaN, or unbounded) is an empty field */
                    fprintf(f, "%.10g", d);
                break;
            }
        }
        fputc('\n', f);
    }
}

/* ---- json ---- */

static json_t *json_point(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

    return v ? v : json_string(text);
}

static int print_json(FILE *f, const struct report_group *g, size_t n)
{
    json_t *arr = json_array();
    int rc;

    size_t nf = nfields(g, n);

    for (size_t k = 0; k < n; k++) {
        json_t *o = json_object();

        for (size_t i = 0; i < nf; i++) {
            const struct field *fl = &fields[i];
            json_t *v = NULL;
            double d;

            if (fl->nat && g[k].nat_runs == 0) {
                json_object_set_new(o, fl->name, json_null());
                continue;
            }
            switch (fl->kind) {
            case K_POINT:
                v = json_point(AT(&g[k], fl, char *));
                break;
            case K_STR:
                v = AT(&g[k], fl, char *) ? json_string(AT(&g[k], fl, char *)) : json_null();
                break;
            case K_BOOL:
                v = json_boolean(AT(&g[k], fl, bool));
                break;
            case K_SIZE:
                v = json_integer((json_int_t)AT(&g[k], fl, size_t));
                break;
            case K_U64:
                v = json_integer((json_int_t)AT(&g[k], fl, uint64_t));
                break;
            case K_DBL:
                d = AT(&g[k], fl, double);
                v = isfinite(d) ? json_real(d) : json_null();
                break;
            }
            if (!v)                 /* jansson allocates: only an invalid UTF-8 string */
                v = json_null();
            json_object_set_new(o, fl->name, v);
        }
        json_array_append_new(arr, o);
    }
    rc = json_dumpf(arr, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    json_decref(arr);
    return rc;
}

/* ---- Words for people: numbers, points ---- */

/* A share in [0, 1] as a percentage of at most 5 characters; "n/a" if NaN. */
static const char *fmt_pct(double share_v, char *buf, size_t size)
{
    double x = 100.0 * share_v;
    double ax = fabs(x);

    if (isnan(x))
        snprintf(buf, size, "n/a");
    else if (x == 0.0)
        snprintf(buf, size, "0");
    else if (ax >= 9.95)
        snprintf(buf, size, "%.1f", x);
    else if (ax >= 0.9995)
        snprintf(buf, size, "%.2f", x);
    else if (ax >= 0.0005)
        snprintf(buf, size, "%.3f", x);
    else
        snprintf(buf, size, "%.0e", x);
    return buf;
}

/* The closed form's blocking: like fmt_pct(), but a share below 0.0005 %
 * (Erlang B far below the pool: 1e-18 and the like) is "~0", which is what
 * it means to a reader. */
static const char *fmt_blocking(double share_v, char *buf, size_t size)
{
    if (share_v > 0 && 100.0 * share_v < 0.0005) {
        snprintf(buf, size, "~0");
        return buf;
    }
    return fmt_pct(share_v, buf, size);
}

/* "12.3 [11.9,12.8]": pooled share and Clopper-Pearson, in %. */
static const char *fmt_cp(const struct stats_prop *p, char *buf, size_t size)
{
    char a[16], b[16], c[16];

    if (p->n == 0)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%s [%s,%s]", fmt_pct(p->p, a, sizeof(a)),
                 fmt_pct(p->lo, b, sizeof(b)), fmt_pct(p->hi, c, sizeof(c)));
    return buf;
}

/* "-12.3 [-13.1,-11.5]": a mean share difference and its t interval, in
 * percentage points; "-" when there is nothing to compare. */
static const char *fmt_diff(const struct stats_mean *m, char *buf, size_t size)
{
    char a[16], b[16], c[16];

    if (m->n == 0)
        snprintf(buf, size, "-");
    else if (m->n < 2)
        snprintf(buf, size, "%s [n/a]", fmt_pct(m->mean, a, sizeof(a)));
    else
        snprintf(buf, size, "%s [%s,%s]", fmt_pct(m->mean, a, sizeof(a)),
                 fmt_pct(m->lo, b, sizeof(b)), fmt_pct(m->hi, c, sizeof(c)));
    return buf;
}

/* A non-negative figure in at most 6 characters. */
static const char *fmt_num(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (!isfinite(v))
        snprintf(buf, size, "inf");
    else if (v < 100.0 && v != floor(v))
        snprintf(buf, size, "%.1f", v);
    else if (v < 999999.5)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.0e", v);
    return buf;
}

/* The point as "workload.rate=20, stack.time_wait=30"; "(as given)" for {}. */
static const char *fmt_point(const char *text, char *buf, size_t size)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    const char *key;
    json_t *val;
    size_t used = 0;

    if (!v || !json_is_object(v)) {
        snprintf(buf, size, "%s", text);
        json_decref(v);
        return buf;
    }
    buf[0] = '\0';
    if (json_object_size(v) == 0)
        snprintf(buf, size, "(the scenario as given)");
    json_object_foreach(v, key, val) {
        char num[FMT_BUF];
        bool real = json_is_real(val) && isfinite(json_real_value(val));
        char *s = json_is_string(val) || real
                      ? NULL : json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
        const char *shown = real ? fmt_double(json_real_value(val), num, sizeof(num))
                                 : s ? s : json_string_value(val);

        /* a double in its shortest exact form: "0.05", not "0.050000000000000003" */
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", used ? ", " : "", key,
                                     shown);
        free(s);
    }
    json_decref(v);
    return buf;
}

/* ---- table ---- */

/* Fixed columns after the remedy: width and header. */
struct col {
    int width;
    const char *head;
};

static const struct col table_cols[] = {
    {19, "req fail % [95% CP]"}, {22, "vs baseline pp [95% t]"}, {6, "TW pk"}, {6, "TW avg"},
    {6, "use pk"}, {6, "1st s"}, {5, "B %"}, {6, "sust/s"},
};

#define NCOLS_BASE 6                /* without the two closed-form columns */
#define NCOLS_ALL (sizeof(table_cols) / sizeof(table_cols[0]))

static void print_cell(FILE *f, int width, const char *s, bool left)
{
    fprintf(f, " %*.*s", left ? -width : width, width, s);
}

/* The heading of point g[k]: its values, rate and replication counts (which
 * go here, to leave room for names), then the column heads. */
static void table_heading(FILE *f, const struct report_group *g, size_t n, size_t k, int rw,
                          size_t ncols)
{
    const struct report_group *x = &g[k];
    char buf[REPORT_WIDTH + 64], cell[64], rate[32], reps[48];
    size_t lo = x->replications, hi = x->replications;

    for (size_t j = k; j < n && strcmp(g[j].point, x->point) == 0; j++) {
        lo = g[j].replications < lo ? g[j].replications : lo;
        hi = g[j].replications > hi ? g[j].replications : hi;
    }
    if (lo == hi)
        snprintf(reps, sizeof(reps), "%zu replication%s", lo, lo == 1 ? "" : "s");
    else
        snprintf(reps, sizeof(reps), "%zu-%zu replications", lo, hi);
    snprintf(buf, sizeof(buf), "point: %s (rate %s/s, %s)", fmt_point(x->point, cell, sizeof(cell)),
             fmt_num(x->rate, rate, sizeof(rate)), reps);
    fprintf(f, "\n%.*s\n", REPORT_WIDTH, buf);
    fprintf(f, "%-*s", rw, "remedy");
    for (size_t c = 0; c < ncols; c++)
        print_cell(f, table_cols[c].width, table_cols[c].head, c < 2);
    fputc('\n', f);
}

/* One group's row; true when its remedy had to be abbreviated to 'rw'. */
static bool table_row(FILE *f, const struct report_group *x, int rw, bool theory)
{
    bool abbreviated = strlen(x->remedy) > (size_t)rw;
    char cell[64];

    if (abbreviated)
        fprintf(f, "%.*s~", rw - 1, x->remedy);
    else
        fprintf(f, "%-*s", rw, x->remedy);
    print_cell(f, table_cols[0].width, fmt_cp(&x->request_fail_pooled, cell, sizeof(cell)),
               true);
    print_cell(f, table_cols[1].width,
               x->is_baseline ? "(baseline)" : fmt_diff(&x->diff, cell, sizeof(cell)), true);
    print_cell(f, table_cols[2].width, fmt_num(x->peak_time_wait, cell, sizeof(cell)), false);
    print_cell(f, table_cols[3].width, fmt_num(x->mean_time_wait, cell, sizeof(cell)), false);
    print_cell(f, table_cols[4].width, fmt_num(x->peak_in_use, cell, sizeof(cell)), false);
    print_cell(f, table_cols[5].width, fmt_num(x->first_failure_min, cell, sizeof(cell)), false);
    if (theory) {
        print_cell(f, table_cols[6].width, fmt_blocking(x->theory_blocking, cell, sizeof(cell)),
                   false);
        print_cell(f, table_cols[7].width,
                   fmt_num(x->theory_sustainable_per_s, cell, sizeof(cell)), false);
    }
    fputc('\n', f);
    return abbreviated;
}

/* What the columns mean, and the full names of abbreviated remedies. */
static void table_legend(FILE *f, const struct report_group *g, size_t n, int rw, bool theory,
                         bool abbreviated)
{
    fprintf(f,
            "\nreq fail %%: failed requests / requests, pooled over the replications, with the "
            "exact\n"
            "  Clopper-Pearson 95%% interval (csv/json also carry the mean per replication and "
            "its Student t\n"
            "  interval, which can leave [0, 100] near 0 or 100).\n"
            "vs baseline pp: failed-request share minus the baseline's, in percentage points, "
            "paired by seed\n"
            "  (same seed = same workload); mean and t interval; n/a: one pair, -: no baseline "
            "at this point.\n"
            "TW pk, TW avg: client TIME_WAIT entries, peak and time mean; use pk: ports in use "
            "at the peak\n"
            "  (means over replications); 1st s: earliest failed connect(), simulated s "
            "(-: none).\n");
    if (theory)
        fprintf(f, "B %%, sust/s: the closed form (portsim theory): Erlang-B blocking and "
                   "sustainable connections/s.\n");
    fprintf(f, "Best first within each point: lowest failed-request share, then lowest TW "
               "peak.\n");
    if (!abbreviated)
        return;
    fprintf(f, "abbreviated:");
    for (size_t k = 0; k < n; k++) {
        bool seen = false;

        if (strlen(g[k].remedy) <= (size_t)rw)
            continue;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(g[j].remedy, g[k].remedy) == 0;
        if (!seen)
            fprintf(f, "\n  %.*s~ = %s", rw - 1, g[k].remedy, g[k].remedy);
    }
    fputc('\n', f);
}

static void print_table(FILE *f, const struct report_group *g, size_t n)
{
    bool theory = false, abbreviated = false;
    size_t ncols, maxlen = 6;
    int rw = REPORT_WIDTH;

    if (n == 0) {
        fprintf(f, "no runs to report\n");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        theory |= isfinite(g[k].theory_blocking) || isfinite(g[k].theory_sustainable_per_s);
        if (strlen(g[k].remedy) > maxlen)
            maxlen = strlen(g[k].remedy);
    }
    ncols = theory ? NCOLS_ALL : NCOLS_BASE;
    for (size_t c = 0; c < ncols; c++)
        rw -= table_cols[c].width + 1;
    if ((size_t)rw > maxlen)
        rw = (int)maxlen;

    fprintf(f, "Remedies compared (baseline '%s'); 95%% intervals\n", g[0].baseline);
    for (size_t k = 0; k < n; k++) {
        if (k == 0 || strcmp(g[k].point, g[k - 1].point) != 0)
            table_heading(f, g, n, k, rw, ncols);
        abbreviated |= table_row(f, &g[k], rw, theory);
    }
    table_legend(f, g, n, rw, theory, abbreviated);
}

/* ---- markdown ---- */

static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

static void print_markdown(FILE *f, const struct report_group *g, size_t n)
{
    static const char *const head[] = {
        "point", "remedy", "reps", "failed requests % (pooled)", "95% CP",
        "failed requests % (mean)", "95% t", "vs baseline pp (paired)", "95% t",
        "failed connects % (pooled)", "95% CP", "TIME_WAIT peak", "TIME_WAIT mean",
        "ports in use peak", "first failure s", "Erlang B %", "sustainable /s",
    };
    const size_t nh = sizeof(head) / sizeof(head[0]);
    char p[1024], a[32], b[32];

    for (size_t i = 0; i < nh; i++)
        fprintf(f, "| %s ", head[i]);
    fprintf(f, "|\n");
    for (size_t i = 0; i < nh; i++)
        fprintf(f, "|%s", i < 3 ? "---" : "---:");
    fprintf(f, "|\n");
    for (size_t k = 0; k < n; k++) {
        const struct report_group *x = &g[k];

        fprintf(f, "| ");
        md_text(f, fmt_point(x->point, p, sizeof(p)));
        fprintf(f, " | ");
        md_text(f, x->remedy);
        fprintf(f, "%s | %zu", x->is_baseline ? " (baseline)" : "", x->replications);
        fprintf(f, " | %s", fmt_pct(x->request_fail_pooled.p, a, sizeof(a)));
        fprintf(f, " | %s", x->request_fail_pooled.n == 0 ? "n/a" : "");
        if (x->request_fail_pooled.n > 0)
            fprintf(f, "[%s, %s]", fmt_pct(x->request_fail_pooled.lo, a, sizeof(a)),
                    fmt_pct(x->request_fail_pooled.hi, b, sizeof(b)));
        fprintf(f, " | %s", fmt_pct(x->request_fail.mean, a, sizeof(a)));
        fprintf(f, " | [%s, %s]", fmt_pct(x->request_fail.lo, a, sizeof(a)),
                fmt_pct(x->request_fail.hi, b, sizeof(b)));
        if (x->diff.n == 0)
            fprintf(f, " | - | -");
        else
            fprintf(f, " | %s | [%s, %s]", fmt_pct(x->diff.mean, p, sizeof(p)),
                    fmt_pct(x->diff.lo, a, sizeof(a)), fmt_pct(x->diff.hi, b, sizeof(b)));
        fprintf(f, " | %s", fmt_pct(x->connect_fail_pooled.p, a, sizeof(a)));
        fprintf(f, " | %s", x->connect_fail_pooled.n == 0 ? "n/a" : "");
        if (x->connect_fail_pooled.n > 0)
            fprintf(f, "[%s, %s]", fmt_pct(x->connect_fail_pooled.lo, a, sizeof(a)),
                    fmt_pct(x->connect_fail_pooled.hi, b, sizeof(b)));
        fprintf(f, " | %s", fmt_num(x->peak_time_wait, a, sizeof(a)));
        fprintf(f, " | %s", fmt_num(x->mean_time_wait, a, sizeof(a)));
        fprintf(f, " | %s", fmt_num(x->peak_in_use, a, sizeof(a)));
        fprintf(f, " | %s", fmt_num(x->first_failure_min, a, sizeof(a)));
        fprintf(f, " | %s", isnan(x->theory_blocking)
                                ? "-" : fmt_blocking(x->theory_blocking, a, sizeof(a)));
        fprintf(f, " | %s |\n", fmt_num(x->theory_sustainable_per_s, a, sizeof(a)));
    }
}

/* ---- Public: printing ---- */

int report_print(FILE *f, const struct report_group *g, size_t n, enum report_format fmt,
                 struct err *e)
{
    int rc = 0;

    errno = 0;
    switch (fmt) {
    case REPORT_TABLE:
        print_table(f, g, n);
        break;
    case REPORT_CSV:
        print_csv(f, g, n);
        break;
    case REPORT_JSON:
        rc = print_json(f, g, n);
        break;
    case REPORT_MARKDOWN:
        print_markdown(f, g, n);
        break;
    }
    if (rc != 0 || fflush(f) != 0 || ferror(f))
        return err_set(e, PS_EIO, "cannot write the report: %s",
                       errno ? strerror(errno) : "write error");
    return 0;
}

int report_write(FILE *f, const struct report_run *runs, size_t n, const char *baseline,
                 enum report_format fmt, struct err *e)
{
    struct report_group *g = NULL;
    size_t ng = 0;
    int rc;

    if ((rc = report_compute(runs, n, baseline, &g, &ng, e)) != 0)
        return rc;
    rc = report_print(f, g, ng, fmt, e);
    report_groups_free(g);
    return rc;
}
