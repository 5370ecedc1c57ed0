/* test_plot.c - the gnuplot scripts analysis/plot.c writes, read as text
 * (gnuplot is not run, except to see it missing): the output's terminal and
 * size, titles quoted for gnuplot, one inline data block per run or series
 * with a line per sample or point, the pool line, the closed-form curve, and
 * plot_out_parse's checks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "models/scenario.h"
#include "tests/suites.h"

static unsigned occurrences(const char *text, const char *what)
{
    unsigned n = 0;

    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* Lines of the inline block "$NAME << EOD" ... "EOD"; -1 if none. */
static int block_lines(const char *text, const char *name)
{
    char head[64];
    const char *p, *end;
    int n = 0;

    snprintf(head, sizeof(head), "%s << EOD\n", name);
    if (!(p = strstr(text, head)))
        return -1;
    p += strlen(head);
    end = strstr(p, "\nEOD\n");
    if (!end)
        return p[0] == 'E' && strncmp(p, "EOD\n", 4) == 0 ? 0 : -1;
    for (; p <= end; p++)
        n += *p == '\n';
    return n;
}

START_TEST(test_out_parse)
{
    struct plot_out o;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(plot_out_parse(&o, "a.png", NULL, &e), 0);
    ck_assert_int_eq(o.term, PLOT_PNG);
    ck_assert_uint_eq(o.width, PLOT_WIDTH);
    ck_assert_uint_eq(o.height, PLOT_HEIGHT);
    ck_assert_int_eq(plot_out_parse(&o, "dir/b.svg", "800x500", &e), 0);
    ck_assert_int_eq(o.term, PLOT_SVG);
    ck_assert_uint_eq(o.width, 800);
    ck_assert_uint_eq(o.height, 500);
    ck_assert_str_eq(o.path, "dir/b.svg");
    ck_assert_int_eq(plot_out_parse(&o, "c.jpg", NULL, &e), PS_EINVAL);
    ck_assert_int_eq(plot_out_parse(&o, "c.png", "10x10", &e), PS_EINVAL);
    ck_assert_int_eq(plot_out_parse(&o, "c.png", "800x", &e), PS_EINVAL);
    ck_assert_int_eq(plot_out_parse(&o, "c.png", "20000x500", &e), PS_EINVAL);
}
END_TEST

/* A script into a string (caller frees). */
#define SCRIPT(text, call)                                                       \
    do {                                                                         \
        size_t len_;                                                             \
        FILE *f = open_memstream(&(text), &len_);                               \
        ck_assert_ptr_nonnull(f);                                                \
        call;                                                                    \
        ck_assert_int_eq(fclose(f), 0);                                          \
    } while (0)

static void samples(struct run_sample *s, size_t n, unsigned fail_at)
{
    memset(s, 0, n * sizeof(*s));
    for (size_t i = 0; i < n; i++) {
        s[i].t = simtime_from_s((double)(i + 1));
        s[i].in_use = (uint32_t)i;
        s[i].time_wait = (uint32_t)(2 * i);
        s[i].failures = i == fail_at ? 3 : 0;
    }
}

/* One run of 5 samples to an SVG: the terminal, the quoted title, 5 data
 * lines, the pool line in words, no second axis (no failure). */
START_TEST(test_timeseries_one_run)
{
    struct run_sample s[5];
    struct plot_run r = {"run 1 kb", s, 5, 3976};
    struct plot_out o = {"out.svg", PLOT_SVG, 800, 500};
    char *text = NULL;

    samples(s, 5, 99);
    SCRIPT(text, plot_script_timeseries(f, &o, "it's a test", &r, 1));
    ck_assert_ptr_nonnull(strstr(text, "set terminal svg size 800,500 dynamic noenhanced"));
    ck_assert_ptr_nonnull(strstr(text, "set output 'out.svg'\n"));
    ck_assert_ptr_nonnull(strstr(text, "set title 'it''s a test'\n"));
    ck_assert_int_eq(block_lines(text, "$RUN0"), 5);
    ck_assert_ptr_nonnull(strstr(text, "\n1 0 0 0 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n5 4 8 0 0\n"));
    ck_assert_ptr_null(strstr(text, "BOUND"));     /* no leaked socket: no series */
    ck_assert_ptr_nonnull(strstr(text, "3976 with lines dt 2"));
    ck_assert_ptr_nonnull(strstr(text, "'port pool: 3,976 ports'"));
    ck_assert_ptr_nonnull(strstr(text, "title 'ports in use'"));
    ck_assert_ptr_null(strstr(text, "y2label"));
    free(text);
    /* issue 17: 7 ports BOUND at t = 3 s: the fifth column, its own series */
    s[2].bound = 7;
    SCRIPT(text, plot_script_timeseries(f, &o, "it's a test", &r, 1));
    ck_assert_ptr_nonnull(strstr(text, "\n3 2 4 0 7\n"));
    ck_assert_ptr_nonnull(strstr(text, "using 1:5 with lines lw 2 lc rgb '#e377c2' title "
                                       "'ports BOUND by leaked sockets'"));
    free(text);
}
END_TEST

/* Two runs to a PNG, one with failures: two blocks, runs named in the key,
 * one pool line for a shared pool size, failures on the right axis. */
START_TEST(test_timeseries_two_runs)
{
    struct run_sample a[3], b[4];
    struct plot_run r[2] = {{"run 1", a, 3, 100}, {"run 2", b, 4, 100}};
    struct plot_out o = {"out.png", PLOT_PNG, 960, 600};
    char *text = NULL;

    samples(a, 3, 99);
    samples(b, 4, 2);
    SCRIPT(text, plot_script_timeseries(f, &o, "t", r, 2));
    ck_assert_ptr_nonnull(strstr(text, "set terminal pngcairo size 960,600 noenhanced"));
    ck_assert_ptr_nonnull(strstr(text, "set terminal png size 960,600 noenhanced"));
    ck_assert_int_eq(block_lines(text, "$RUN0"), 3);
    ck_assert_int_eq(block_lines(text, "$RUN1"), 4);
    ck_assert_ptr_nonnull(strstr(text, "'run 1: ports in use'"));
    ck_assert_ptr_nonnull(strstr(text, "'run 2: ports in TIME_WAIT'"));
    ck_assert_uint_eq(occurrences(text, "port pool: 100 ports"), 1);
    ck_assert_ptr_nonnull(strstr(text, "set y2range [0:4.8]"));      /* 3 failures x 1.6 */
    ck_assert_uint_eq(occurrences(text, "axes x1y2 with impulses"), 2);
    free(text);
}
END_TEST

/* Report groups of 2 remedies x rates 10 and 40 x 2 seeds (1000 requests a
 * run; the baseline fails 100 and 300 at 10/s, 500 and 700 at 40/s; the fix
 * fails none at 10/s, 10 and 30 at 40/s). */
static void groups(struct report_group **g, size_t *n, struct report_run *runs)
{
    static const char *const remedy[2] = {"baseline", "fix"};
    static const char *const point[2] = {"{\"workload.rate\":10}", "{\"workload.rate\":40}"};
    static const uint64_t failed[2][2][2] = {{{100, 300}, {500, 700}}, {{0, 0}, {10, 30}}};
    struct err e;
    size_t k = 0;

    for (int r = 0; r < 2; r++)
        for (int p = 0; p < 2; p++)
            for (int s = 0; s < 2; s++) {
                struct report_run *x = &runs[k++];

                memset(x, 0, sizeof(*x));
                x->remedy = remedy[r];
                x->point = point[p];
                x->rate = p ? 40 : 10;
                x->replication = (uint32_t)s;
                x->seed = (uint64_t)s + 1;
                x->m.requests = 1000;
                x->m.connect_attempts = 1000;
                x->m.connect_failures = failed[r][p][s];
                x->m.requests_failed = failed[r][p][s];
                x->m.connects = 1000 - failed[r][p][s];
                x->theory_blocking = 0.5;
                x->theory_sustainable_per_s = 16;
            }
    err_clear(&e);
    ck_assert_msg(report_compute(runs, k, NULL, g, n, &e) == 0, "%s", e.msg);
}

START_TEST(test_remedies_script)
{
    struct report_run runs[8];
    struct report_group *g;
    size_t n;
    struct plot_out o = {"rem.svg", PLOT_SVG, 960, 600};
    /* the closed-form curve is handed in as points (cli/ computes them) */
    double cx[120], cy[120];
    struct plot_curve curve = {cx, cy, 120};
    char *text = NULL, *bare = NULL;

    for (int i = 0; i < 120; i++) {
        cx[i] = 5.0 + (double)i;
        cy[i] = (double)i / 2.0;
    }
    groups(&g, &n, runs);
    ck_assert_uint_eq(n, 4);
    SCRIPT(text, plot_script_remedies(f, &o, "remedies", g, n, &curve));
    /* baseline first: pooled 400/2000 = 20 % at 10/s, 1200/2000 = 60 % at 40/s */
    ck_assert_int_eq(block_lines(text, "$S0"), 2);
    ck_assert_int_eq(block_lines(text, "$S1"), 2);
    ck_assert_ptr_nonnull(strstr(text, "$S0 << EOD\n10 20 "));
    ck_assert_ptr_nonnull(strstr(text, "\n40 60 "));
    ck_assert_ptr_nonnull(strstr(text, "$S1 << EOD\n10 0 "));
    ck_assert_ptr_nonnull(strstr(text, "\n40 2 "));        /* 40/2000 */
    ck_assert_int_eq(block_lines(text, "$THEORY"), 120);
    ck_assert_ptr_nonnull(strstr(text, "$THEORY << EOD\n5 0\n6 50\n"));
    ck_assert_ptr_nonnull(strstr(text, "title 'Erlang B of the baseline'"));
    ck_assert_ptr_nonnull(strstr(text, "'baseline'"));
    ck_assert_ptr_nonnull(strstr(text, "'fix'"));
    /* without a curve, no closed-form line */
    SCRIPT(bare, plot_script_remedies(f, &o, "remedies", g, n, NULL));
    ck_assert_int_eq(block_lines(bare, "$THEORY"), -1);
    ck_assert_ptr_null(strstr(bare, "Erlang B"));
    free(text);
    free(bare);
    report_groups_free(g);
}
END_TEST

/* No gnuplot on PATH: PS_ERUN, said so. */
START_TEST(test_gnuplot_missing)
{
    const char *old = getenv("PATH");
    char *saved = old ? strdup(old) : NULL;
    struct err e;
    int rc;

    setenv("PATH", "/nonexistent-portsim-test", 1);
    err_clear(&e);
    rc = plot_gnuplot("plot x\n", 7, "/tmp/nonexistent-portsim-test.png", &e);
    if (saved) {
        setenv("PATH", saved, 1);
        free(saved);
    }
    ck_assert_int_eq(rc, PS_ERUN);
    ck_assert_msg(strstr(e.msg, "gnuplot not found on PATH") != NULL, "%s", e.msg);
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("script");

    tcase_add_test(tc, test_out_parse);
    tcase_add_test(tc, test_timeseries_one_run);
    tcase_add_test(tc, test_timeseries_two_runs);
    tcase_add_test(tc, test_remedies_script);
    tcase_add_test(tc, test_gnuplot_missing);
    suite_add_tcase(s, tc);
    return s;
}
