/* plot.h - gnuplot pictures: ports over time for runs, failures against
 * request rate for a sweep.
 *
 * The script builders write a complete gnuplot script (data inline in
 * '$NAME << EOD' blocks, so one script is one picture and needs no temp
 * files) to a FILE; plot_gnuplot() pipes a script into 'gnuplot' found on
 * PATH and turns any complaint into PS_ERUN with gnuplot's own words.
 * Terminals: pngcairo for .png (png when gnuplot lacks cairo: decided in the
 * script from GPVAL_TERMINALS), svg for .svg; always 'noenhanced', so that
 * TIME_WAIT is not typeset as TIME subscript WAIT.
 *
 * Pictures:
 *   time series  ports in use and in TIME_WAIT against simulated time, one
 *                pair of lines per run, the pool size as a dashed line,
 *                failed connect() calls per sample as impulses on a second
 *                axis;
 *   remedies     the pooled share of failed requests (%) against request
 *                rate, one line per remedy (and per other varied value), with
 *                95 % Clopper-Pearson bars, and the baseline's closed-form
 *                Erlang-B blocking across the rate range, dashed: points
 *                the caller computed (cli/cmd_plot.c with models/theory.h)
 *                at the rates plot_range_at() gives, since analysis/ runs
 *                no model logic (DESIGN §1).
 * Cost: O(samples) or O(groups + 200 curve points) of text.
 */
#ifndef PORTSIM_ANALYSIS_PLOT_H
#define PORTSIM_ANALYSIS_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/report.h"
#include "models/metrics.h"
#include "sim/err.h"

enum plot_term {
    PLOT_PNG,
    PLOT_SVG
};

/* Where and how big (plain data). */
struct plot_out {
    const char *path;               /* borrowed */
    enum plot_term term;
    unsigned width;                 /* pixels */
    unsigned height;
};

#define PLOT_WIDTH 960
#define PLOT_HEIGHT 600

/* Fill 'o' from an output path ending in .png or .svg and an optional
 * "WxH" ('size' NULL: PLOT_WIDTH x PLOT_HEIGHT; each 100..10000).
 * PS_EINVAL otherwise. */
int plot_out_parse(struct plot_out *o, const char *path, const char *size, struct err *e);

/* One run of a time-series picture (plain data; borrowed). */
struct plot_run {
    const char *label;              /* e.g. "run 3 kb319502" */
    const struct run_sample *samples;
    size_t n;
    uint64_t pool_ports;            /* 0: unknown, no pool line */
};

/* The script of the time-series picture of 'runs[0..n)' (n >= 1). */
void plot_script_timeseries(FILE *f, const struct plot_out *o, const char *title,
                            const struct plot_run *runs, size_t n);

/* The x range of the remedies picture: the sweep's request rates, with a
 * margin, on a log axis when they span a factor of 8 or more. */
struct plot_range {
    double lo, hi;                  /* requests/s, 0 < lo < hi */
    bool logx;
};

/* Points of the closed-form curve that the caller computes (plain data). */
#define PLOT_CURVE_POINTS 200

/* The closed-form curve: 'n' points (x, y), x a request rate, y the share
 * of failed requests in [0, 1] (Erlang B of the baseline); borrowed. */
struct plot_curve {
    const double *x;
    const double *y;
    size_t n;
};

/* The x range of the remedies picture of 'g[0..n)'. */
void plot_remedies_range(const struct report_group *g, size_t n, struct plot_range *r);

/* Point 'k' (< PLOT_CURVE_POINTS) of 'r': evenly spread on the picture's
 * axis (log or linear), from r->lo at 0 to r->hi at PLOT_CURVE_POINTS - 1:
 * where the caller evaluates the curve. */
double plot_range_at(const struct plot_range *r, size_t k);

/* The script of the remedies picture of the report groups 'g[0..n)'
 * (report_compute() order) and the closed-form 'curve' (NULL: none),
 * drawn dashed. */
void plot_script_remedies(FILE *f, const struct plot_out *o, const char *title,
                          const struct report_group *g, size_t n,
                          const struct plot_curve *curve);

/* Run 'gnuplot' (from PATH) on 'script'.  PS_ERUN when it cannot be
 * started ("gnuplot not found on PATH ..."), exits non-zero, writes
 * anything to stderr (its words are the message), or leaves
 * 'out_path' missing or empty; PS_EIO when the picture it wrote is cut
 * short (no PNG IEND chunk, no closing </svg>). */
int plot_gnuplot(const char *script, size_t len, const char *out_path, struct err *e);

#endif /* PORTSIM_ANALYSIS_PLOT_H */
