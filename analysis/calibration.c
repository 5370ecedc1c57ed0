/* calibration.c - kernel runs beside their simulated twins (calibration.h). */
#include "analysis/calibration.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>


#include "sim/xalloc.h"

/* The metrics compared, in order; 'kind' U count, D mean, T first failure. */
struct row {
    const char *name;
    char kind;
    size_t off;
};

#define R(n, k) {#n, k, offsetof(struct run_metrics, n)}
static const struct row rows[] = {
    R(requests, 'U'),           R(connect_attempts, 'U'),      R(connects, 'U'),
    R(connect_failures, 'U'),   R(failures_exhausted, 'U'),    R(failures_collision, 'U'),
    R(requests_failed, 'U'),    R(first_failure_time, 'T'),    R(peak_in_use, 'U'),
    R(mean_in_use, 'D'),        R(peak_time_wait, 'U'),        R(mean_time_wait, 'D'),
    R(peak_server_time_wait, 'U'), R(mean_server_time_wait, 'D'), R(requests_unfinished, 'U'),
    R(time_wait_overflows, 'U'),
};
#undef R
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The value of row 'r' of 'm'; NAN for a null first failure. */
static double value(const struct row *r, const struct run_metrics *m)
{
    const char *base = (const char *)m;

    if (r->kind == 'U')
        return (double)*(const uint64_t *)(const void *)(base + r->off);
    if (r->kind == 'T')
        return m->has_first_failure ? m->first_failure_time : (double)NAN;
    return *(const double *)(const void *)(base + r->off);
}

static void fmt_value(char *buf, size_t size, const struct row *r, double v)
{
    if (isnan(v))
        snprintf(buf, size, "none");
    else if (r->kind == 'U')
        snprintf(buf, size, "%.0f", v);
    else if (r->kind == 'T')
        snprintf(buf, size, "%.3f s", v);
    else
        snprintf(buf, size, "%.2f", v);
}

static void fmt_diff(char *buf, size_t size, const struct row *r, double k, double s)
{
    if (isnan(k) && isnan(s))
        snprintf(buf, size, "same");
    else if (isnan(k) || isnan(s))
        snprintf(buf, size, "differs");
    else if (k == s)
        snprintf(buf, size, "same");
    else if (r->kind == 'U')
        snprintf(buf, size, "%+.0f", k - s);
    else if (r->kind == 'T')
        snprintf(buf, size, "%+.3f s", k - s);
    else
        snprintf(buf, size, "%+.2f", k - s);
}

void calibration_table(FILE *f, const char *title, const struct run_metrics *kernel,
                       const struct run_metrics *sim)
{
    if (title)
        fprintf(f, "%s\n", title);
    fprintf(f, "  %-24s %14s %14s %14s\n", "metric", "kernel", "simulation", "kernel - sim");
    for (size_t i = 0; i < NROWS; i++) {
        double k = value(&rows[i], kernel), s = value(&rows[i], sim);
        char kb[32], sb[32], db[32];

        fmt_value(kb, sizeof(kb), &rows[i], k);
        fmt_value(sb, sizeof(sb), &rows[i], s);
        fmt_diff(db, sizeof(db), &rows[i], k, s);
        fprintf(f, "  %-24s %14s %14s %14s\n", rows[i].name, kb, sb, db);
    }
}

int calibration_load(struct store *st, struct calibration_pair **out, size_t *n, struct err *e)
{
    struct store_kernel_pair *pairs;
    struct calibration_pair *v;
    size_t k;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = store_kernel_pairs(st, &pairs, &k, e)) != 0)
        return rc;
    v = xcalloc(k ? k : 1, sizeof(*v));
    for (size_t i = 0; i < k; i++) {
        v[i].kernel_id = pairs[i].kernel_id;
        v[i].sim_id = pairs[i].sim_id;
        v[i].seed = pairs[i].seed;
        snprintf(v[i].name, sizeof(v[i].name), "%s", pairs[i].name);
    }
    free(pairs);
    for (size_t i = 0; i < k; i++) {
        struct store_run r;

        if ((rc = store_run_load(st, v[i].kernel_id, &r, &v[i].kernel, NULL, NULL, e)) != 0)
            goto fail;
        store_run_fini(&r);
        if (v[i].sim_id &&
            (rc = store_run_load(st, v[i].sim_id, &r, &v[i].sim, NULL, NULL, e)) != 0)
            goto fail;
        if (v[i].sim_id)
            store_run_fini(&r);
    }
    *out = v;
    *n = k;
    return 0;
fail:
    free(v);
    return rc;
}

/* Markdown: one row per pair; these rows of 'rows' as columns. */
static const char *const md_cols[] = {"connect_attempts", "connects", "connect_failures",
                                      "first_failure_time", "peak_in_use", "peak_time_wait",
                                      "mean_time_wait", "peak_server_time_wait",
                                      "time_wait_overflows"};     /* issue 11 */

static const struct row *row_named(const char *name)
{
    for (size_t i = 0; i < NROWS; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    return NULL;
}

int calibration_print(FILE *f, const struct calibration_pair *p, size_t n,
                      enum report_format fmt, struct err *e)
{
    char kb[32], sb[32];

    if (fmt == REPORT_JSON)
        return err_set(e, PS_EINVAL, "--calibration prints table, csv or markdown");
    if (fmt == REPORT_CSV)
        fprintf(f, "scenario,seed,kernel_run,sim_run,metric,kernel,sim,difference\n");
    if (fmt == REPORT_MARKDOWN) {
        fprintf(f, "| scenario |");
        for (size_t c = 0; c < sizeof(md_cols) / sizeof(md_cols[0]); c++)
            fprintf(f, " %s |", md_cols[c]);
        fprintf(f, "\n|---|");
        for (size_t c = 0; c < sizeof(md_cols) / sizeof(md_cols[0]); c++)
            fprintf(f, "---|");
        fprintf(f, "\n");
    }
    for (size_t i = 0; i < n; i++) {
        char title[256];

        if (fmt == REPORT_TABLE) {
            if (!p[i].sim_id) {
                fprintf(f, "%s (seed %" PRIu64 "): kernel run %" PRId64 " has no simulated "
                        "twin in the database\n\n", p[i].name, p[i].seed, p[i].kernel_id);
                continue;
            }
            snprintf(title, sizeof(title), "%s (seed %" PRIu64 "): kernel run %" PRId64
                     ", simulated run %" PRId64, p[i].name, p[i].seed, p[i].kernel_id,
                     p[i].sim_id);
            calibration_table(f, title, &p[i].kernel, &p[i].sim);
            fputc('\n', f);
            continue;
        }
        if (fmt == REPORT_MARKDOWN) {
            fprintf(f, "| %s |", p[i].name);
            for (size_t c = 0; c < sizeof(md_cols) / sizeof(md_cols[0]); c++) {
                const struct row *r = row_named(md_cols[c]);

                fmt_value(kb, sizeof(kb), r, value(r, &p[i].kernel));
                if (p[i].sim_id)
                    fmt_value(sb, sizeof(sb), r, value(r, &p[i].sim));
                else
                    snprintf(sb, sizeof(sb), "-");
                fprintf(f, " %s / %s |", kb, sb);
            }
            fprintf(f, "\n");
            continue;
        }
        for (size_t r = 0; r < NROWS; r++) {
            double k = value(&rows[r], &p[i].kernel);
            double s = p[i].sim_id ? value(&rows[r], &p[i].sim) : (double)NAN;

            fprintf(f, "%s,%" PRIu64 ",%" PRId64 ",", p[i].name, p[i].seed, p[i].kernel_id);
            if (p[i].sim_id)
                fprintf(f, "%" PRId64, p[i].sim_id);
            fprintf(f, ",%s,", rows[r].name);
            if (!isnan(k))
                fprintf(f, "%.17g", k);
            fputc(',', f);
            if (!isnan(s))
                fprintf(f, "%.17g", s);
            fputc(',', f);
            if (!isnan(k) && !isnan(s))
                fprintf(f, "%.17g", k - s);
            fputc('\n', f);
        }
    }
    if (fmt == REPORT_MARKDOWN)
        fprintf(f, "\nEach cell: kernel / simulation.\n");
    return 0;
}
