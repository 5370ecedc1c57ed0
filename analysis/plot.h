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
 *   time series  per run, TIME_WAIT against the pool and failures per
 *                second above, ports in use below (plot_script_timeseries);
 *   lanes        a run with [nat]: a panel per public IP, ports in use
 *                against the limit, dropped SYNs (plot_script_lanes);
 *   sweep        failed requests, on a linear and a log axis, and headroom
 *                against any varied key, one line per series, one column
 *                per facet (plot_script_sweep).  The points, their words
 *                and their closed-form values come from the caller
 *                (cli/cmd_plot.c with models/theory.h and the key table),
 *                since analysis/ runs no model logic.
 * Cost: O(samples) or O(points) of text.
 */
#ifndef PORTSIM_ANALYSIS_PLOT_H
#define PORTSIM_ANALYSIS_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/stats.h"
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
    const char *label;              /* the panel's title, e.g. "run 3: kb319502, 40/s" */
    const struct run_sample *samples;
    size_t n;
    uint64_t pool_ports;            /* 0: unknown, no pool line */
};

/* The script of the time-series picture of 'runs[0..n)' (n >= 1), side by
 * side (one column each, gnuplot multiplot).  A column has two panels on
 * one time axis: above, TIME_WAIT entries against the pool (dashed, drawn
 * last so nothing hides it) and failed connect() calls per second (not per
 * sample: the count over the time since the previous sample) on a right
 * axis, as shaded bars behind the lines; below, ports in use on its own
 * scale, so that it shows at any pool size.  Each series keeps one colour
 * in every column; the key is drawn once.  'foot' (NULL: none) is a line
 * of small print under the picture, e.g. the seeds. */
void plot_script_timeseries(FILE *f, const struct plot_out *o, const char *title,
                            const struct plot_run *runs, size_t n, const char *foot);

/* Issue 12: the NAT lanes of one run with [nat] (plain data; borrowed):
 * the run's samples give the times, 'lanes' the values per public IP. */
struct plot_lanes {
    const struct run_sample *samples;
    size_t n;
    const struct nat_lanes *lanes;
    uint64_t ip_ports;              /* ports of one public IP (its range); 0: no line */
};

/* The script of the lanes picture: one panel per public IP, stacked from
 * IP 0 at the top, on one time axis (x labels on the bottom panel only).
 * A panel: the IP's public ports in use (blue), its limit toward one
 * destination (dashed black) and its port range (dotted grey), and the
 * SYNs dropped per second (per interval since the previous sample, as in
 * the time series) as shaded red bars on a right axis shared by every
 * panel; its title names the IP index and the vendor's words with the
 * number of drops ("public IP 1: 3,210 SYNs dropped (ErrorPortAllocation)").
 * Cost: O(samples x IPs) of text. */
void plot_script_lanes(FILE *f, const struct plot_out *o, const char *title,
                       const struct plot_lanes *pl, const char *foot);

/* The height of a lanes picture of 'nips' IPs when none is asked for. */
unsigned plot_lanes_height(uint32_t nips);

/* One point of the sweep picture: a (series, facet, x) group of runs as
 * cli/ computed it (plain data; strings borrowed). */
struct plot_point {
    const char *series;             /* the legend's words, e.g. "timedwaitdelay" */
    const char *facet;              /* the panel's words; "" when there is one */
    double x;                       /* the value of the x key */
    struct stats_prop fail;         /* failed requests, pooled (n = 0: none ran) */
    double closed_form;             /* Erlang B from this point's own parameters,
                                     * 0..1; NaN: the closed form has no answer */
    double headroom;                /* peak share of the pool in use or in
                                     * TIME_WAIT, 0..(above 1 with per-destination
                                     * sharing); NaN: unknown */
};

/* The sweep picture (plain data; borrowed). */
struct plot_sweep {
    const char *title;
    const char *xlabel;             /* e.g. "request rate (requests/s)" */
    const char *foot;               /* small print under the picture; NULL: none */
    const struct plot_point *p;
    size_t n;
};

/* The x range of a sweep picture: the points' x values, with a margin, on
 * a log axis when they are all > 0 and span a factor of 8 or more. */
struct plot_range {
    double lo, hi;
    bool logx;
};

void plot_sweep_range(const struct plot_point *p, size_t n, struct plot_range *r);

/* The script of the sweep picture: one column per facet (in the order
 * first met), three panels each on the x axis: the failed requests (%) with
 * 95 % Clopper-Pearson bars and, dashed in the series' colour, the closed
 * form of each point; the same on a log axis, where a point with no failed
 * request is drawn as a down triangle at its 95 % upper bound (remedies
 * that never fail are told apart by how much they ran); the headroom (%),
 * with the full pool at 100 %.  One colour and point type per series in
 * every panel, series in the order first met. */
void plot_script_sweep(FILE *f, const struct plot_out *o, const struct plot_sweep *sw);

/* Run 'gnuplot' (from PATH) on 'script'.  PS_ERUN when it cannot be
 * started ("gnuplot not found on PATH ..."), exits non-zero, writes
 * anything to stderr (its words are the message), or leaves
 * 'out_path' missing or empty; PS_EIO when the picture it wrote is cut
 * short (no PNG IEND chunk, no closing </svg>). */
int plot_gnuplot(const char *script, size_t len, const char *out_path, struct err *e);

#endif /* PORTSIM_ANALYSIS_PLOT_H */
