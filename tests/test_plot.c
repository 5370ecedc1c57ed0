/* test_plot.c - the gnuplot scripts analysis/plot.c writes, read as text
 * (gnuplot is not run, except to see it missing): the output's terminal and
 * size, titles quoted for gnuplot, one inline data block per run or series
 * with a line per sample or point, one column per run or facet, the pool
 * line, each point's closed form, the log and headroom panels, and
 * plot_out_parse's checks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "analysis/plot.h"
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
 * lines (t, in use, TIME_WAIT, failures per second, interval start), the
 * pool line in words, no second axis (no failure), the foot. */
START_TEST(test_timeseries_one_run)
{
    struct run_sample s[5];
    struct plot_run r = {"", s, 5, 3976};
    struct plot_out o = {"out.svg", PLOT_SVG, 800, 500};
    char *text = NULL;

    samples(s, 5, 99);
    SCRIPT(text, plot_script_timeseries(f, &o, "it's a test", &r, 1, "run 1 seed 7"));
    ck_assert_ptr_nonnull(strstr(text, "set terminal svg size 800,500 dynamic noenhanced"));
    ck_assert_ptr_nonnull(strstr(text, "set output 'out.svg'\n"));
    ck_assert_ptr_nonnull(strstr(text, "set multiplot title 'it''s a test'\n"));
    ck_assert_int_eq(block_lines(text, "$RUN0"), 5);
    ck_assert_ptr_nonnull(strstr(text, "\n1 0 0 0 0 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n5 4 8 0 4 0\n"));
    ck_assert_ptr_null(strstr(text, "BOUND"));     /* no leaked socket: no series */
    ck_assert_ptr_nonnull(strstr(text, "3976 with lines dt 2"));
    ck_assert_ptr_nonnull(strstr(text, "'pool: 3,976 ports'"));
    ck_assert_ptr_nonnull(strstr(text, "title 'ports in TIME_WAIT'"));
    ck_assert_ptr_nonnull(strstr(text, "'ports in use (own scale)'"));
    ck_assert_ptr_nonnull(strstr(text, "'run 1 seed 7' at screen"));
    ck_assert_ptr_null(strstr(text, "y2label 'failed"));
    ck_assert_uint_eq(occurrences(text, "\nset title"), 1); /* one run: the header's only */
    free(text);
    /* issue 17: 7 ports BOUND at t = 3 s: the sixth column, its own series */
    s[2].bound = 7;
    SCRIPT(text, plot_script_timeseries(f, &o, "it's a test", &r, 1, "run 1 seed 7"));
    ck_assert_ptr_nonnull(strstr(text, "\n3 2 4 0 2 7\n"));
    ck_assert_ptr_nonnull(strstr(text, "using 1:6 with lines lw 2 lc rgb '#e377c2' title "
                                       "'ports BOUND by leaked sockets'"));
    free(text);
}
END_TEST

/* Two runs to a PNG, one with failures: two blocks, two columns (origins
 * 0 and 0.5), the runs' titles over their columns, a pool line each, the
 * series' titles in column 0 only (one colour per series: the TIME_WAIT
 * colour on both runs), failures per second on the right axis: sample 2 of
 * run b (t = 3 s, 3 failures since t = 2 s) gives 3/s; the sample at 0.5 s
 * after t = 0 with 3 failures in c gives 6/s: the axis reaches 6 x 1.25. */
START_TEST(test_timeseries_two_runs)
{
    struct run_sample a[3], b[4];
    struct plot_run r[2] = {{"run 1", a, 3, 100}, {"run 2", b, 4, 200}};
    struct plot_out o = {"out.png", PLOT_PNG, 960, 600};
    char *text = NULL;

    samples(a, 3, 99);
    samples(b, 4, 2);
    a[0].t = simtime_from_s(0.5);
    a[0].failures = 3;
    SCRIPT(text, plot_script_timeseries(f, &o, "t", r, 2, NULL));
    ck_assert_ptr_nonnull(strstr(text, "set terminal pngcairo size 960,600 noenhanced"));
    ck_assert_ptr_nonnull(strstr(text, "set terminal png size 960,600 noenhanced"));
    ck_assert_int_eq(block_lines(text, "$RUN0"), 3);
    ck_assert_int_eq(block_lines(text, "$RUN1"), 4);
    ck_assert_ptr_nonnull(strstr(text, "\n0.5 0 0 6 0 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n3 2 4 3 2 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "set origin 0.0000, 0.43"));
    ck_assert_ptr_nonnull(strstr(text, "set origin 0.5000, 0.43"));
    ck_assert_ptr_nonnull(strstr(text, "set title 'run 1'"));
    ck_assert_ptr_nonnull(strstr(text, "set title 'run 2'"));
    ck_assert_uint_eq(occurrences(text, "pool: 100 ports"), 1);
    ck_assert_uint_eq(occurrences(text, "pool: 200 ports"), 1);
    ck_assert_uint_eq(occurrences(text, "title 'ports in TIME_WAIT'"), 1);
    ck_assert_uint_eq(occurrences(text, "lc rgb '#e07b00'"), 2);
    ck_assert_ptr_nonnull(strstr(text, "set y2range [0:7.5]"));
    ck_assert_uint_eq(occurrences(text, "axes x1y2 with fillsteps"), 2);
    ck_assert_ptr_nonnull(strstr(text, "unset multiplot\n"));
    free(text);
}
END_TEST

/* Six points: series "a" at x 10 and 40 (fails 20 % and 60 %, closed form
 * 25 % and 65 %), series "b" at 10 (none failed of 2000: the log panel
 * shows its upper bound) and 40 (2 %), headroom 50 % .. 120 %; two facets
 * ("f1": a, b; "f2": a at x 20, closed form unknown). */
START_TEST(test_sweep_script)
{
    struct plot_point p[6] = {
        {"a", "f1", 40, {1200, 2000, 0.6, 0.55, 0.65}, 0.65, 1.2},
        {"b", "f1", 10, {0, 2000, 0, 0, 0.0018}, 0.001, 0.5},
        {"a", "f1", 10, {400, 2000, 0.2, 0.18, 0.22}, 0.25, 0.9},
        {"b", "f1", 40, {40, 2000, 0.02, 0.015, 0.027}, 0.03, 0.6},
        {"a", "f2", 20, {400, 2000, 0.2, 0.18, 0.22}, NAN, NAN},
        {"it's", "f2", 20, {0, 0, NAN, 0, 1}, NAN, NAN},
    };
    struct plot_sweep sw = {"sweep", "TIME_WAIT (s)", "small print", p, 6};
    struct plot_out o = {"rem.svg", PLOT_SVG, 960, 600};
    struct plot_range r;
    char *text = NULL;

    SCRIPT(text, plot_script_sweep(f, &o, &sw));
    /* series a of facet 0 sorted by x: x, %, lo, hi, closed form, log, zero, headroom */
    ck_assert_int_eq(block_lines(text, "$F0S0"), 2);
    ck_assert_ptr_nonnull(strstr(text, "$F0S0 << EOD\n10 20 18 22 25 20 0 90\n"
                                       "40 60 55 65 65 60 0 120\nEOD"));
    /* b: none failed at 10: the log value is the upper bound 0.18 %, flagged */
    ck_assert_ptr_nonnull(strstr(text, "$F0S1 << EOD\n10 0 0 0.18 0.1 0.18 1 50\n"));
    /* facet 2: a and the series with no runs (NaN everywhere but x) */
    ck_assert_ptr_nonnull(strstr(text, "$F1S0 << EOD\n20 20 18 22 NaN 20 0 NaN\nEOD"));
    ck_assert_ptr_nonnull(strstr(text, "$F1S2 << EOD\n20 NaN NaN NaN NaN NaN 0 NaN\nEOD"));
    ck_assert_int_eq(block_lines(text, "$F1S1"), -1);   /* b is not in f2 */
    /* the legend once, in words; quotes doubled */
    ck_assert_uint_eq(occurrences(text, "title 'a'"), 1);
    ck_assert_uint_eq(occurrences(text, "title 'it''s'"), 1);
    ck_assert_ptr_nonnull(strstr(text, "set title 'f1'"));
    ck_assert_ptr_nonnull(strstr(text, "set title 'f2'"));
    ck_assert_ptr_nonnull(strstr(text, "set xlabel 'TIME_WAIT (s)'"));
    ck_assert_ptr_nonnull(strstr(text, "set multiplot title 'sweep'"));
    ck_assert_ptr_nonnull(strstr(text, "'small print' at screen"));
    /* panels: linear to 65 x 1.1 = 71.5, log from 0.1 (10^floor(log10 0.18)),
     * headroom to 120 x 1.1 = 132 with the full pool at 100 */
    ck_assert_ptr_nonnull(strstr(text, "set yrange [0:71.5]"));
    ck_assert_ptr_nonnull(strstr(text, "set yrange [0.1:200]"));
    ck_assert_ptr_nonnull(strstr(text, "set yrange [0:132]"));
    ck_assert_ptr_nonnull(strstr(text, "100 with lines dt 2"));
    ck_assert_ptr_nonnull(strstr(text, "set xtics (40, 10, 20)"));
    /* series keep their colour across facets: a is red in both */
    ck_assert_uint_eq(occurrences(text, "using 1:2:3:4 with yerrorlines lw 2 pt 5 ps 1.3 "
                                        "lc rgb '#d62728'"), 2);
    free(text);
    /* x from 10 to 40: factor 4, linear, 6 % of 30 = 1.8 each side */
    plot_sweep_range(p, 4, &r);
    ck_assert(!r.logx);
    ck_assert_double_eq_tol(r.lo, 8.2, 1e-12);
    ck_assert_double_eq_tol(r.hi, 41.8, 1e-12);
    /* 5 .. 80: factor 16, log, 1/1.25 and x 1.25 */
    p[1].x = 5;
    p[0].x = 80;
    plot_sweep_range(p, 4, &r);
    ck_assert(r.logx);
    ck_assert_double_eq_tol(r.lo, 4, 1e-12);
    ck_assert_double_eq_tol(r.hi, 100, 1e-12);
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
    tcase_add_test(tc, test_sweep_script);
    tcase_add_test(tc, test_gnuplot_missing);
    suite_add_tcase(s, tc);
    return s;
}
