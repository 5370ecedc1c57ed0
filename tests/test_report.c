/* test_report.c - the remedy report on a hand-made set of runs.
 *
 * Two remedies x two points x three replications (seeds 1, 2, 3), 100
 * requests per run.  Failed requests, and the figures expected (by hand):
 *
 *   point rate 20   baseline     10 20 30   shares .1 .2 .3   mean .2, s .1
 *                   maxuserport   0  5 10   shares 0 .05 .1   mean .05, s .05
 *                   paired (maxuserport - baseline) by seed: -.1 -.15 -.2,
 *                   mean -.15, s .05
 *   point rate 40   baseline     50 60 70   mean .6, s .1
 *                   maxuserport   0  0  0   mean 0, s 0; pooled 0/300
 *                   paired: -.5 -.6 -.7, mean -.6, s .1
 *
 * t(0.975, 2) = 4.302653, so s .1 gives a half-width of 4.302653 * .1 /
 * sqrt(3) = 0.248414 and s .05 gives 0.124207.  Pooled 0/300 has the
 * Clopper-Pearson upper bound 1 - 0.025^(1/300) = 0.012222.  Connect
 * attempts are requests + 10 x seed with connect failures = failed
 * requests + 10 x seed (retries that failed).  Peaks: baseline TIME_WAIT
 * 3976 in every run; maxuserport 5000, 6000, 7000 (mean 6000, max 7000).
 * First failure: baseline at rate 20 at 100, 200, 300 s (min 100, mean 200);
 * maxuserport at rate 40 never fails (null).  The input lists the baseline
 * first and maxuserport's seeds out of order, so sorting and pairing by seed
 * are both exercised.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/report.h"
#include "tests/suites.h"

#define NRUNS 12
#define T975_2 4.302653

static const char *const P20 = "{\"workload.rate\":20}";
static const char *const P40 = "{\"workload.rate\":40}";

static struct report_run mk(const char *remedy, const char *point, double rate, uint64_t seed,
                            uint64_t failed, uint64_t peak_tw, double first_failure)
{
    struct report_run r;

    memset(&r, 0, sizeof(r));
    r.remedy = remedy;
    r.point = point;
    r.rate = rate;
    r.replication = (uint32_t)(seed - 1);
    r.seed = seed;
    r.m.requests = 100;
    r.m.requests_failed = failed;
    r.m.connect_attempts = 100 + 10 * seed;
    r.m.connect_failures = failed + 10 * seed;
    r.m.connects = r.m.connect_attempts - r.m.connect_failures;
    r.m.peak_time_wait = peak_tw;
    r.m.mean_time_wait = (double)peak_tw / 2.0;
    r.m.peak_in_use = 10 * seed;
    r.m.has_first_failure = !isnan(first_failure);
    r.m.first_failure_time = isnan(first_failure) ? 0.0 : first_failure;
    r.theory_blocking = (double)NAN;
    r.theory_sustainable_per_s = (double)NAN;
    return r;
}

static void make_runs(struct report_run *r)
{
    const double none = (double)NAN;
    size_t i = 0;

    r[i++] = mk("baseline", P20, 20, 1, 10, 3976, 100);
    r[i++] = mk("baseline", P20, 20, 2, 20, 3976, 200);
    r[i++] = mk("baseline", P20, 20, 3, 30, 3976, 300);
    r[i++] = mk("maxuserport", P20, 20, 3, 10, 7000, 50);
    r[i++] = mk("maxuserport", P20, 20, 1, 0, 5000, none);
    r[i++] = mk("maxuserport", P20, 20, 2, 5, 6000, 70);
    r[i++] = mk("baseline", P40, 40, 1, 50, 3976, 10);
    r[i++] = mk("baseline", P40, 40, 2, 60, 3976, 20);
    r[i++] = mk("baseline", P40, 40, 3, 70, 3976, 30);
    r[i++] = mk("maxuserport", P40, 40, 1, 0, 5000, none);
    r[i++] = mk("maxuserport", P40, 40, 2, 0, 6000, none);
    r[i++] = mk("maxuserport", P40, 40, 3, 0, 7000, none);
    ck_assert_uint_eq(i, NRUNS);
}

static struct report_group *compute(const struct report_run *runs, size_t n,
                                    const char *baseline, size_t *ng)
{
    struct report_group *g = NULL;
    struct err e;

    err_clear(&e);
    ck_assert_msg(report_compute(runs, n, baseline, &g, ng, &e) == 0, "%s", e.msg);
    return g;
}

static char *render(const struct report_run *runs, size_t n, enum report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct err e;

    ck_assert_ptr_nonnull(f);
    err_clear(&e);
    ck_assert_msg(report_write(f, runs, n, NULL, fmt, &e) == 0, "%s", e.msg);
    fclose(f);
    return buf;
}

/* ---- core: the figures ---- */

START_TEST(test_groups_and_order)
{
    struct report_run runs[NRUNS];
    struct report_group *g;
    size_t ng;

    make_runs(runs);
    g = compute(runs, NRUNS, NULL, &ng);
    ck_assert_uint_eq(ng, 4);
    /* Points in input order; within a point the best remedy first. */
    ck_assert_str_eq(g[0].point, P20);
    ck_assert_str_eq(g[0].remedy, "maxuserport");
    ck_assert_str_eq(g[1].point, P20);
    ck_assert_str_eq(g[1].remedy, "baseline");
    ck_assert_str_eq(g[2].point, P40);
    ck_assert_str_eq(g[2].remedy, "maxuserport");
    ck_assert_str_eq(g[3].remedy, "baseline");
    for (size_t k = 0; k < ng; k++) {
        ck_assert_str_eq(g[k].baseline, "baseline");
        ck_assert_uint_eq(g[k].replications, 3);
        ck_assert(g[k].is_baseline == (strcmp(g[k].remedy, "baseline") == 0));
    }
    report_groups_free(g);
}
END_TEST

START_TEST(test_means_and_intervals)
{
    struct report_run runs[NRUNS];
    struct report_group *g, *b20, *m20, *m40;
    size_t ng;

    make_runs(runs);
    g = compute(runs, NRUNS, "baseline", &ng);
    m20 = &g[0];
    b20 = &g[1];
    m40 = &g[2];

    /* Baseline at 20: mean .2 +- 0.248414 (t), pooled 60/300. */
    ck_assert_double_eq_tol(b20->request_fail.mean, 0.2, 1e-12);
    ck_assert_double_eq_tol(b20->request_fail.half_width, T975_2 * 0.1 / sqrt(3.0), 1e-6);
    ck_assert_double_eq_tol(b20->request_fail.lo, 0.2 - 0.248414, 1e-6);   /* below 0 */
    ck_assert_uint_eq(b20->request_fail_pooled.k, 60);
    ck_assert_uint_eq(b20->request_fail_pooled.n, 300);
    ck_assert_double_eq_tol(b20->request_fail_pooled.p, 0.2, 1e-15);
    ck_assert(b20->request_fail_pooled.lo > 0.0 && b20->request_fail_pooled.lo < 0.2);
    /* Connects: (20 + 40 + 60) / (110 + 120 + 130) pooled = 120/360. */
    ck_assert_uint_eq(b20->connect_fail_pooled.k, 120);
    ck_assert_uint_eq(b20->connect_fail_pooled.n, 360);
    ck_assert_double_eq_tol(b20->connect_fail.mean,
                            (20.0 / 110 + 40.0 / 120 + 60.0 / 130) / 3.0, 1e-12);
    ck_assert_uint_eq(b20->diff.n, 0);                  /* the baseline itself */
    ck_assert_double_eq(b20->first_failure_min, 100.0);
    ck_assert_double_eq_tol(b20->first_failure_mean, 200.0, 1e-12);
    ck_assert_uint_eq(b20->failed_replications, 3);

    /* maxuserport at 20: mean .05 +- 0.124207; paired -.15 +- 0.124207. */
    ck_assert_double_eq_tol(m20->request_fail.mean, 0.05, 1e-12);
    ck_assert_double_eq_tol(m20->request_fail.half_width, T975_2 * 0.05 / sqrt(3.0), 1e-6);
    ck_assert_uint_eq(m20->diff.n, 3);
    ck_assert_double_eq_tol(m20->diff.mean, -0.15, 1e-12);
    ck_assert_double_eq_tol(m20->diff.sd, 0.05, 1e-12);
    ck_assert_double_eq_tol(m20->diff.half_width, 0.124207, 1e-6);
    ck_assert_double_eq(m20->peak_time_wait, 6000.0);
    ck_assert_uint_eq(m20->peak_time_wait_max, 7000);
    ck_assert_double_eq_tol(m20->mean_time_wait, 3000.0, 1e-9);
    ck_assert_double_eq_tol(m20->peak_in_use, 20.0, 1e-12);
    ck_assert_uint_eq(m20->peak_in_use_max, 30);
    ck_assert_uint_eq(m20->failed_replications, 2);     /* seeds 2 and 3 */
    ck_assert_double_eq(m20->first_failure_min, 50.0);
    ck_assert_double_eq_tol(m20->first_failure_mean, 60.0, 1e-12);

    /* maxuserport at 40: 0/300, t interval of zero width, CP up to 0.012222;
     * paired -.6 +- 0.248414; never failed. */
    ck_assert_double_eq(m40->request_fail.mean, 0.0);
    ck_assert_double_eq_tol(m40->request_fail.half_width, 0.0, 1e-15);
    ck_assert_double_eq_tol(m40->request_fail_pooled.hi, 1.0 - pow(0.025, 1.0 / 300), 1e-9);
    ck_assert_double_eq_tol(m40->diff.mean, -0.6, 1e-12);
    ck_assert_double_eq_tol(m40->diff.half_width, 0.248414, 1e-6);
    ck_assert(isnan(m40->first_failure_min) && isnan(m40->first_failure_mean));
    report_groups_free(g);
}
END_TEST

START_TEST(test_baseline_choice)
{
    struct report_run runs[NRUNS];
    struct report_group *g;
    size_t ng;

    make_runs(runs);
    /* Named: maxuserport is the baseline; the old baseline is +.15 worse. */
    g = compute(runs, NRUNS, "maxuserport", &ng);
    ck_assert_str_eq(g[1].remedy, "baseline");
    ck_assert_double_eq_tol(g[1].diff.mean, 0.15, 1e-12);
    ck_assert_uint_eq(g[0].diff.n, 0);
    report_groups_free(g);
    /* Absent: the first run's remedy. */
    g = compute(runs + 3, NRUNS - 3, "nope", &ng);
    ck_assert_str_eq(g[0].baseline, "maxuserport");
    report_groups_free(g);
}
END_TEST

/* ---- edge: duplicates, one replication, nothing ---- */

START_TEST(test_edges)
{
    struct report_run runs[NRUNS];
    struct report_group *g = NULL;
    size_t ng = 0;
    struct err e;
    char *out;

    make_runs(runs);
    runs[1].seed = 1;                                   /* seed 1 twice for baseline@20 */
    err_clear(&e);
    ck_assert_int_eq(report_compute(runs, NRUNS, NULL, &g, &ng, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "seed 1 appears twice"));

    /* One replication per group: means, no t interval. */
    make_runs(runs);
    g = compute(runs + 2, 2, NULL, &ng);                /* baseline@20 s3, maxuserport s3 */
    ck_assert_uint_eq(ng, 2);
    ck_assert(isnan(g[0].request_fail.half_width));
    ck_assert_uint_eq(g[0].diff.n, 1);
    ck_assert(isnan(g[0].diff.half_width));
    report_groups_free(g);

    out = render(runs, 0, REPORT_TABLE);
    ck_assert_ptr_nonnull(strstr(out, "no runs"));
    free(out);
    out = render(runs, 0, REPORT_JSON);
    ck_assert_str_eq(out, "[]\n");
    free(out);
}
END_TEST

/* ---- formats ---- */

/* Fields of one CSV line, quotes respected. */
static size_t csv_fields(const char *line, size_t len)
{
    size_t n = 1;
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (line[i] == ',' && !quoted)
            n++;
    }
    return n;
}

START_TEST(test_csv)
{
    struct report_run runs[NRUNS];
    char *out, *p, *nl;
    size_t header = 0, rows = 0;

    make_runs(runs);
    out = render(runs, NRUNS, REPORT_CSV);
    ck_assert_msg(strncmp(out, "point,remedy,baseline,is_baseline,rate,replications,", 52) == 0,
                  "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "request_fail_cp_lo"));
    ck_assert_ptr_nonnull(strstr(out, "diff_request_fail_t_hi"));
    for (p = out; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        size_t nf = csv_fields(p, (size_t)(nl - p));

        if (header == 0) {
            header = nf;
        } else {
            ck_assert_uint_eq(nf, header);
            rows++;
        }
    }
    ck_assert_uint_eq(rows, 4);
    /* 36 + time_wait_overflows_mean (issue 11) + issue 17's three */
    ck_assert_uint_eq(header, 40);
    /* The point is quoted, its quotes doubled; the best remedy comes first. */
    ck_assert_ptr_nonnull(strstr(out, "\n\"{\"\"workload.rate\"\":20}\",maxuserport,baseline,"));
    free(out);
}
END_TEST

START_TEST(test_json)
{
    struct report_run runs[NRUNS];
    json_error_t je;
    json_t *root, *o;
    char *out;

    make_runs(runs);
    runs[0].theory_blocking = 0.25;
    out = render(runs, NRUNS, REPORT_JSON);
    root = json_loads(out, 0, &je);
    ck_assert_msg(root != NULL, "json: %s at line %d\n%s", je.text, je.line, out);
    ck_assert(json_is_array(root));
    ck_assert_uint_eq(json_array_size(root), 4);
    o = json_array_get(root, 0);
    ck_assert_str_eq(json_string_value(json_object_get(o, "remedy")), "maxuserport");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(o, "point"),
                                                        "workload.rate")), 20);
    ck_assert_double_eq_tol(json_real_value(json_object_get(o, "request_fail_mean")), 0.05,
                            1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(o, "diff_request_fail_mean")),
                            -0.15, 1e-9);
    ck_assert(json_is_real(json_object_get(o, "request_fail_t_lo")));
    ck_assert(json_is_real(json_object_get(o, "request_fail_cp_hi")));
    ck_assert(json_is_null(json_object_get(o, "theory_blocking")));
    ck_assert(json_is_false(json_object_get(o, "is_baseline")));
    o = json_array_get(root, 1);
    ck_assert(json_is_true(json_object_get(o, "is_baseline")));
    ck_assert(json_is_null(json_object_get(o, "diff_request_fail_mean")));
    ck_assert_double_eq(json_real_value(json_object_get(o, "theory_blocking")), 0.25);
    o = json_array_get(root, 2);
    ck_assert(json_is_null(json_object_get(o, "first_failure_min")));
    ck_assert_int_eq(json_integer_value(json_object_get(o, "requests")), 300);
    json_decref(root);
    free(out);
}
END_TEST

START_TEST(test_markdown)
{
    struct report_run runs[NRUNS];
    char *out, *m, *b;
    size_t lines = 0;

    make_runs(runs);
    out = render(runs, NRUNS, REPORT_MARKDOWN);
    ck_assert_msg(strncmp(out, "| point | remedy |", 18) == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "\n|---|---|---|---:|"));
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 2 + 4);
    m = strstr(out, "maxuserport");
    b = strstr(out, "baseline (baseline)");
    ck_assert(m && b && m < b);
    free(out);
}
END_TEST

static void check_width(const char *out)
{
    const char *p = out, *nl;

    for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
        ck_assert_msg(nl - p <= REPORT_WIDTH, "line too wide (%d): %.*s", (int)(nl - p),
                      (int)(nl - p), p);
}

START_TEST(test_table)
{
    struct report_run runs[NRUNS];
    char *out, *m, *b;

    make_runs(runs);
    out = render(runs, NRUNS, REPORT_TABLE);
    check_width(out);
    ck_assert_ptr_nonnull(strstr(out, "point: workload.rate=20 (rate 20/s, 3 replications)"));
    ck_assert_ptr_nonnull(strstr(out, "Clopper-Pearson"));
    ck_assert_ptr_nonnull(strstr(out, "(baseline)"));
    m = strstr(out, "\nmaxuserport");
    b = strstr(out, "\nbaseline");
    ck_assert_msg(m && b && m < b, "%s", out);
    /* maxuserport at 20: pooled 15/300 = 5.00 %; paired -15.0 pp [-27.4,-2.58]. */
    ck_assert_msg(strstr(out, "5.00 [") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "-15.0 [-27.4,-2.58]") != NULL, "%s", out);
    free(out);

    /* Long names and closed-form columns still fit, names abbreviated. */
    for (size_t i = 0; i < NRUNS; i++) {
        if (strcmp(runs[i].remedy, "maxuserport") == 0)
            runs[i].remedy = "raise-maxuserport-and-lower-tcptimedwaitdelay";
        runs[i].theory_blocking = 0.5858;
        runs[i].theory_sustainable_per_s = 16.5667;
    }
    out = render(runs, NRUNS, REPORT_TABLE);
    check_width(out);
    ck_assert_ptr_nonnull(strstr(out, "abbreviated:"));
    ck_assert_ptr_nonnull(strstr(out, "sust/s"));
    ck_assert_ptr_nonnull(strstr(out, "58.6"));
    free(out);
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");
    TCase *formats = tcase_create("formats");

    tcase_add_test(core, test_groups_and_order);
    tcase_add_test(core, test_means_and_intervals);
    tcase_add_test(core, test_baseline_choice);
    tcase_add_test(edge, test_edges);
    tcase_add_test(formats, test_csv);
    tcase_add_test(formats, test_json);
    tcase_add_test(formats, test_markdown);
    tcase_add_test(formats, test_table);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    suite_add_tcase(s, formats);
    return s;
}
