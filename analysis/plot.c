/* plot.c - gnuplot scripts and the gnuplot process (see plot.h).
 *
 * Strings in scripts are single-quoted: gnuplot takes them literally, a
 * quote inside is written twice and a control byte (newline: the end of a
 * command) becomes a space; an output path with a control byte is refused.
 * Data blocks hold numbers only.  Ranges are set explicitly wherever
 * autoscaling could meet an empty range (every share 0, say), since gnuplot
 * warns on stderr then and plot_gnuplot() treats any output on stderr as
 * failure.
 *
 * The process: fork, the child's stdin is a pipe, its stderr an unlinked
 * temporary file and its stdout /dev/null, execvp("gnuplot"); the parent writes the
 * script with SIGPIPE ignored (a gnuplot that dies early gives EPIPE, not a
 * killed portsim), closes the pipe, waits, and reads the file back.
 */
#include "analysis/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/fmt.h"
#include "sim/xalloc.h"
#include "sim/pipeio.h"

/* ---- Script pieces ---- */

/* A label or title as a gnuplot string.  A newline (or CR, or ';' outside
 * a string) would end the command and start another, so every control
 * byte becomes a space: text from a database or --title is never code. */
static void quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\'')
            fputc('\'', f);
        fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
    }
    fputc('\'', f);
}

static void header(FILE *f, const struct plot_out *o, const char *title)
{
    if (o->term == PLOT_SVG) {
        fprintf(f, "set terminal svg size %u,%u dynamic noenhanced font 'sans,13' "
                "background rgb 'white'\n", o->width, o->height);
    } else {
        fprintf(f, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                "    set terminal pngcairo size %u,%u noenhanced font 'sans,11'\n"
                "} else {\n"
                "    set terminal png size %u,%u noenhanced\n"
                "}\n", o->width, o->height, o->width, o->height);
    }
    fputs("set output ", f);
    quoted(f, o->path);
    fputs("\nset title ", f);
    quoted(f, title);
    fputs("\nset grid lc rgb '#d0d0d0'\nset border lc rgb '#404040'\n", f);
}

/* ---- Colours: one per meaning, the same in every panel ---- */

#define C_TW "#e07b00"              /* TIME_WAIT: orange */
#define C_IN_USE "#1f5fa8"          /* ports in use: blue */
#define C_FAIL "#d62728"            /* failures: red */
#define C_BOUND "#e377c2"           /* ports BOUND by leaked sockets (issue 17): pink */
#define C_POOL "#000000"            /* the pool: black, dashed */

/* The small print under a picture and the title over a multiplot. */
static void foot_label(FILE *f, const char *foot)
{
    if (!foot || !foot[0])
        return;
    fputs("set label 99 ", f);
    quoted(f, foot);
    fputs(" at screen 0.01, screen 0.015 left font ',9'\n", f);
}

static void multiplot_begin(FILE *f, const char *title)
{
    fputs("unset title\nset multiplot title ", f);
    quoted(f, title);
    fputs("\n", f);
}

/* ---- Time series ---- */

/* The data block of one run: t, in use, TIME_WAIT, failures per second
 * over the interval since the previous sample, that interval's start,
 * ports BOUND by leaked sockets (issue 17). */
static void run_block(FILE *f, size_t r, const struct plot_run *pr, double *tmax,
                      double *twmax, double *usemax, double *failmax)
{
    double prev = 0;

    fprintf(f, "$RUN%zu << EOD\n", r);
    for (size_t i = 0; i < pr->n; i++) {
        const struct run_sample *s = &pr->samples[i];
        double t = simtime_to_s(s->t), dt = t - prev;
        double rate = dt > 0 ? (double)s->failures / dt : 0;

        fprintf(f, "%.9g %u %u %.9g %.9g %u\n", t, s->in_use, s->time_wait, rate, prev,
                s->bound);
        *tmax = fmax(*tmax, t);
        *twmax = fmax(*twmax, fmax((double)s->time_wait, (double)s->bound));
        *usemax = fmax(*usemax, (double)s->in_use);
        *failmax = fmax(*failmax, rate);
        prev = t;
    }
    fputs("EOD\n", f);
}

/* Whether any sample of 'pr' has a port held by a leaked socket. */
static bool any_bound(const struct plot_run *pr)
{
    for (size_t i = 0; i < pr->n; i++)
        if (pr->samples[i].bound > 0)
            return true;
    return false;
}

/* The upper panel of column 'r': failures per second behind, TIME_WAIT,
 * then the pool on top; the key only in column 0. */
static void run_upper(FILE *f, size_t r, const struct plot_run *pr, double ymax,
                      double failmax, bool any_fail)
{
    char num[32], label[64];
    const char *t = r == 0 ? "title " : "notitle";

    /* each column its own pool line and its own key: the pools differ */

    if (pr->label[0]) {
        fputs("set title ", f);
        quoted(f, pr->label);
        fputs("\n", f);
    }
    fprintf(f, "set ylabel %s\nset yrange [0:%.9g]\nset format x ''\nunset xlabel\n",
            r == 0 ? "'ports in TIME_WAIT'" : "''", ymax);
    if (any_fail)
        fprintf(f, "set y2label 'failed connect() per second'\nset y2tics\n"
                "set y2range [0:%.9g]\n", failmax > 0 ? failmax * 1.25 : 1);
    else
        fputs("unset y2label\nunset y2tics\n", f);
    fputs("plot \\\n", f);
    if (any_fail) {
        fprintf(f, "  $RUN%zu using 5:4 axes x1y2 with fillsteps fs solid 0.35 noborder "
                "lc rgb '%s' %s%s, \\\n", r, C_FAIL, t,
                r == 0 ? "'failed connect() per second (right axis)'" : "");
    }
    fprintf(f, "  $RUN%zu using 1:3 with lines lw 2 lc rgb '%s' %s%s", r, C_TW, t,
            r == 0 ? "'ports in TIME_WAIT'" : "");
    if (any_bound(pr))
        fprintf(f, ", \\\n  $RUN%zu using 1:6 with lines lw 2 lc rgb '%s' title "
                "'ports BOUND by leaked sockets'", r, C_BOUND);
    if (pr->pool_ports > 0) {
        snprintf(label, sizeof(label), "pool: %s ports",
                 fmt_count(pr->pool_ports, num, sizeof(num)));
        fprintf(f, ", \\\n  %llu with lines dt 2 lw 2 lc rgb '%s' title ",
                (unsigned long long)pr->pool_ports, C_POOL);
        quoted(f, label);
    }
    fputs("\n", f);
}

void plot_script_timeseries(FILE *f, const struct plot_out *o, const char *title,
                            const struct plot_run *runs, size_t n, const char *foot)
{
    double tmax = 0, usemax = 1, failmax = 0, w = 1.0 / (double)n;
    double *twmax = xcalloc(n, sizeof(double));

    header(f, o, title);
    for (size_t r = 0; r < n; r++) {
        twmax[r] = fmax(1, (double)runs[r].pool_ports);
        run_block(f, r, &runs[r], &tmax, &twmax[r], &usemax, &failmax);
    }
    multiplot_begin(f, title);
    foot_label(f, foot);
    fprintf(f, "set xrange [0:%.9g]\nset ytics nomirror\nset format y '%%.0f'\n"
            "set lmargin 10\nset rmargin %d\nset key inside top left opaque samplen 2 "
            "box lc rgb '#c0c0c0'\n", tmax > 0 ? tmax : 1, failmax > 0 ? 9 : 3);
    for (size_t r = 0; r < n; r++) {
        fprintf(f, "set origin %.4f, 0.43\nset size %.4f, 0.5\nset tmargin 2\nset bmargin 0.5\n",
                w * (double)r, w);
        run_upper(f, r, &runs[r], twmax[r] * 1.45, failmax, failmax > 0);
        fprintf(f, "unset title\nset origin %.4f, 0.1\nset size %.4f, 0.33\nset tmargin 0.5\n"
                "set bmargin 3\nset format x '%%g'\nset xlabel 'simulated time (s)'\n"
                "set ylabel %s\nset yrange [0:%.9g]\nunset y2label\nset y2tics "
                "format ''\nset y2range [0:1]\n"
                "plot $RUN%zu using 1:2 with lines lw 2 lc rgb '%s' %s%s\n",
                w * (double)r, w, r == 0 ? "'ports in use'" : "''", usemax * 1.4, r, C_IN_USE,
                r == 0 ? "title " : "notitle", r == 0 ? "'ports in use (own scale)'" : "");
    }
    fputs("unset multiplot\n", f);
    free(twmax);
}

/* ---- NAT lanes (issue 12) ---- */

#define C_RANGE "#909090"           /* an IP's port range: grey, dotted */

unsigned plot_lanes_height(uint32_t nips)
{
    unsigned h = 150 * nips + 160;

    return h < PLOT_HEIGHT ? PLOT_HEIGHT : h > 4000 ? 4000 : h;
}

/* The data block of IP 'ip': t, ports in use, drops per second over the
 * interval since the previous sample, that interval's start.  '*dropped'
 * gets the IP's drops over the run, the maxima are raised. */
static void lane_block(FILE *f, const struct plot_lanes *pl, uint32_t ip, double *portmax,
                       double *ratemax, uint64_t *dropped)
{
    const struct nat_lanes *l = pl->lanes;
    double prev = 0;

    fprintf(f, "$LANE%u << EOD\n", ip);
    for (size_t k = 0; k < pl->n; k++) {
        const struct nat_ip_sample *x = &l->v[k * l->nips + ip];
        double t = simtime_to_s(pl->samples[k].t), dt = t - prev;
        double rate = dt > 0 ? (double)x->drops / dt : 0;

        fprintf(f, "%.9g %u %.9g %.9g\n", t, x->ports, rate, prev);
        *portmax = fmax(*portmax, (double)x->ports);
        *ratemax = fmax(*ratemax, rate);
        *dropped += x->drops;
        prev = t;
    }
    fputs("EOD\n", f);
}

/* Panel 'ip': its title, the drop bars, the ports in use, the lines. */
static void lane_panel(FILE *f, const struct plot_lanes *pl, uint32_t ip, uint64_t dropped,
                       double ymax, double ratemax)
{
    const struct nat_lanes *l = pl->lanes;
    uint64_t limit = l->limit ? l->limit[ip] : 0;
    char num[32], text[200];
    const char *t = ip == 0 ? "title " : "notitle";

    snprintf(text, sizeof(text), "public IP %u: %s SYNs dropped (%s)", ip,
             fmt_count(dropped, num, sizeof(num)), l->words && l->words[0] ? l->words :
             "dropped SYN");
    fputs("set title ", f);
    quoted(f, text);
    fprintf(f, "\nset yrange [0:%.9g]\nset y2range [0:%.9g]\nplot \\\n", ymax,
            ratemax > 0 ? ratemax * 1.25 : 1);
    if (ratemax > 0)
        fprintf(f, "  $LANE%u using 4:3 axes x1y2 with fillsteps fs solid 0.35 noborder "
                "lc rgb '%s' %s%s, \\\n", ip, C_FAIL, t,
                ip == 0 ? "'SYNs dropped per second (right axis)'" : "");
    fprintf(f, "  $LANE%u using 1:2 with lines lw 2 lc rgb '%s' %s%s", ip, C_IN_USE, t,
            ip == 0 ? "'public ports in use'" : "");
    if (pl->ip_ports > 0) {
        fprintf(f, ", \\\n  %llu with lines dt 3 lw 1.5 lc rgb '%s' %s%s",
                (unsigned long long)pl->ip_ports, C_RANGE, t,
                ip == 0 ? "'ports of the IP'" : "");
    }
    if (limit > 0) {         /* titled again below only where it differs from IP 0's */
        snprintf(text, sizeof(text), "limit toward one destination: %s",
                 fmt_count(limit, num, sizeof(num)));
        fprintf(f, ", \\\n  %llu with lines dt 2 lw 2 lc rgb '%s' ",
                (unsigned long long)limit, C_POOL);
        if (ip == 0 || limit != l->limit[0]) {
            fputs("title ", f);
            quoted(f, text);
        } else {
            fputs("notitle", f);
        }
    }
    fputs("\n", f);
}

void plot_script_lanes(FILE *f, const struct plot_out *o, const char *title,
                       const struct plot_lanes *pl, const char *foot)
{
    const struct nat_lanes *l = pl->lanes;
    uint32_t nips = l->nips ? l->nips : 1;
    double portmax = 1, ratemax = 0, tmax = 0, top = 0.93, bottom = 0.08;
    double h = (top - bottom) / (double)nips;
    uint64_t *dropped = xcalloc(nips, sizeof(*dropped));

    header(f, o, title);
    for (uint32_t ip = 0; ip < l->nips; ip++) {
        double pm = 1;

        lane_block(f, pl, ip, &pm, &ratemax, &dropped[ip]);
        portmax = fmax(portmax, fmax(pm, (double)(l->limit ? l->limit[ip] : 0)));
    }
    portmax = fmax(portmax, (double)pl->ip_ports);
    if (pl->n)
        tmax = simtime_to_s(pl->samples[pl->n - 1].t);
    multiplot_begin(f, title);
    foot_label(f, foot);
    fprintf(f, "set xrange [0:%.9g]\nset ytics nomirror\nset format y '%%.0f'\n"
            "set lmargin 10\nset rmargin 9\nset tmargin 1.6\nset bmargin 0.4\n"
            "set key inside bottom right opaque samplen 2 box lc rgb '#c0c0c0' font ',9'\n"
            "set ylabel 'public ports'\nset y2tics\nset format x ''\nunset xlabel\n",
            tmax > 0 ? tmax : 1);
    for (uint32_t ip = 0; ip < l->nips; ip++) {
        if (ip + 1 == l->nips)      /* the bottom panel carries the time axis */
            fprintf(f, "set format x '%%g'\nset xlabel 'simulated time (s)'\n"
                    "set bmargin 3\n");
        fprintf(f, "set origin 0, %.4f\nset size 1, %.4f\n",
                ip + 1 == l->nips ? 0.0 : top - h * (ip + 1), ip + 1 == l->nips ?
                h + bottom : h);
        lane_panel(f, pl, ip, dropped[ip], portmax * 1.15, ratemax);
    }
    fputs("unset multiplot\n", f);
    free(dropped);
}

/* ---- Sweeps ---- */

/* Line colours of the series: no black (the pool and frames are black). */
static const char *const series_colours[] = {
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22",
};
#define NCOLOURS (sizeof(series_colours) / sizeof(series_colours[0]))

/* The distinct values of 'field' of the points, in the order first met:
 * index of each point's value in '*idx' (caller frees both arrays). */
static size_t distinct(const struct plot_point *p, size_t n, bool facet, const char ***out,
                       size_t **idx)
{
    const char **v = xcalloc(n + 1, sizeof(*v));
    size_t k = 0;

    *idx = xcalloc(n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        const char *s = facet ? p[i].facet : p[i].series;
        size_t j;

        for (j = 0; j < k && strcmp(v[j], s) != 0; j++)
            ;
        if (j == k)
            v[k++] = s;
        (*idx)[i] = j;
    }
    *out = v;
    return k;
}

void plot_sweep_range(const struct plot_point *p, size_t n, struct plot_range *r)
{
    double xmin = INFINITY, xmax = -INFINITY;

    for (size_t i = 0; i < n; i++) {
        if (isfinite(p[i].x)) {
            xmin = fmin(xmin, p[i].x);
            xmax = fmax(xmax, p[i].x);
        }
    }
    if (!(xmax >= xmin)) {
        xmin = 0;
        xmax = 1;
    }
    r->logx = xmin > 0 && xmax / xmin >= 8;
    if (r->logx) {
        r->lo = xmin / 1.25;
        r->hi = xmax * 1.25;
    } else {
        double m = xmax > xmin ? 0.06 * (xmax - xmin) : fmax(1, fabs(xmin) * 0.1);

        r->lo = xmin - m;
        r->hi = xmax + m;
    }
}

/* Tics at the x values when there are few of them (5, 10, 20, 40, 80 reads
 * better than gnuplot's 10, 100 on a log axis). */
static void xtics(FILE *f, const struct plot_point *p, size_t n)
{
    double seen[12];
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        bool dup = !isfinite(p[i].x);

        for (size_t j = 0; j < k && !dup; j++)
            dup = seen[j] == p[i].x;
        if (dup)
            continue;
        if (k == sizeof(seen) / sizeof(seen[0])) {
            fputs("set xtics autofreq\n", f);
            return;
        }
        seen[k++] = p[i].x;
    }
    fputs("set xtics (", f);
    for (size_t j = 0; j < k; j++)
        fprintf(f, "%s%.9g", j ? ", " : "", seen[j]);
    fputs(")\n", f);
}

/* Points of one series, sorted by x (insertion sort: series are short). */
static size_t series_points(const struct plot_point *p, size_t n, const size_t *sidx,
                            const size_t *fidx, size_t s, size_t fc, size_t *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        size_t j;

        if (sidx[i] != s || fidx[i] != fc || !isfinite(p[i].x))
            continue;
        for (j = k; j > 0 && p[out[j - 1]].x > p[i].x; j--)
            out[j] = out[j - 1];
        out[j] = i;
        k++;
    }
    return k;
}

/* ' v' or ' NaN' (gnuplot skips NaN points). */
static void num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, " %.9g", v);
    else
        fputs(" NaN", f);
}

/* Data block $F<fc>S<s>: x, failed %, lo %, hi %, closed form % (NaN: ?),
 * log-panel value % (the share, or the upper bound when 0 failed), zero
 * flag, headroom %.  Widens the y maxima. */
static void sweep_block(FILE *f, const struct plot_point *p, const size_t *pts, size_t k,
                        size_t fc, size_t s, double *ymax, double *hmax, double *lmin)
{
    fprintf(f, "$F%zuS%zu << EOD\n", fc, s);
    for (size_t j = 0; j < k; j++) {
        const struct plot_point *x = &p[pts[j]];
        const struct stats_prop *q = &x->fail;
        double cf = isfinite(x->closed_form) ? 100 * x->closed_form : (double)NAN;
        double lg = q->n == 0 ? (double)NAN : q->k > 0 ? 100 * q->p : 100 * q->hi;

        fprintf(f, "%.9g", x->x);
        num(f, q->n ? 100 * q->p : (double)NAN);
        num(f, q->n ? 100 * q->lo : (double)NAN);
        num(f, q->n ? 100 * q->hi : (double)NAN);
        num(f, cf);
        num(f, lg);
        fprintf(f, " %d", q->n > 0 && q->k == 0);
        num(f, isfinite(x->headroom) ? 100 * x->headroom : (double)NAN);
        fputc('\n', f);
        if (q->n > 0)
            *ymax = fmax(*ymax, 100 * q->hi);
        if (isfinite(cf))
            *ymax = fmax(*ymax, cf);
        if (isfinite(lg) && lg > 0)
            *lmin = fmin(*lmin, lg);
        if (isfinite(x->headroom))
            *hmax = fmax(*hmax, 100 * x->headroom);
    }
    fputs("EOD\n", f);
}

/* One panel's plot command: for each series of facet 'fc', 'what'. */
enum sweep_panel { PANEL_LINEAR, PANEL_LOG, PANEL_HEADROOM };

static void sweep_plot(FILE *f, enum sweep_panel what, size_t fc, size_t nser,
                       const char *const *names, const bool *has, const bool *key)
{
    bool first = true;

    fputs("plot \\\n", f);
    if (what == PANEL_HEADROOM) {
        fprintf(f, "  100 with lines dt 2 lw 1.5 lc rgb '%s' notitle", C_POOL);
        first = false;
    }
    for (size_t s = 0; s < nser; s++) {
        const char *c = series_colours[s % NCOLOURS];
        int pt = 5 + 2 * (int)(s % 5);

        if (!has[s])
            continue;
        fputs(first ? "" : ", \\\n", f);
        first = false;
        if (what == PANEL_LINEAR) {
            fprintf(f, "  $F%zuS%zu using 1:2:3:4 with yerrorlines lw 2 pt %d ps 1.3 "
                    "lc rgb '%s' %s", fc, s, pt, c, key && key[s] ? "title " : "notitle");
            if (key && key[s])
                quoted(f, names[s]);
            fprintf(f, ", \\\n  $F%zuS%zu using 1:5 with linespoints dt 2 lw 1.2 pt 6 ps 0.8 "
                    "lc rgb '%s' notitle", fc, s, c);
        } else if (what == PANEL_LOG) {
            fprintf(f, "  $F%zuS%zu using 1:($7 > 0 ? 1/0 : $6) with linespoints lw 2 pt %d "
                    "ps 1.3 lc rgb '%s' notitle, \\\n  $F%zuS%zu using 1:($7 > 0 ? $6 : 1/0) "
                    "with points pt 11 ps 1.5 lc rgb '%s' notitle", fc, s, pt, c, fc, s, c);
        } else {
            fprintf(f, "  $F%zuS%zu using 1:8 with linespoints lw 2 pt %d ps 1.3 "
                    "lc rgb '%s' notitle", fc, s, pt, c);
        }
    }
    fputs("\n", f);
}

/* The three panels of facet 'fc' in column 'fc' of 'nf'. */
static void sweep_column(FILE *f, const struct plot_sweep *sw, size_t fc, size_t nf,
                         const char *facet, size_t nser, const char *const *names,
                         const bool *has, const bool *key, const double *lim)
{
    double w = 0.72 / (double)nf, x0 = w * (double)fc;

    fprintf(f, "set origin %.4f, 0.66\nset size %.4f, 0.28\nset tmargin 2\nset bmargin 0.5\n"
            "set format x ''\nunset xlabel\nset yrange [0:%.9g]\nset ylabel %s\n"
            "unset logscale y\nset format y '%%g'\nset title ", x0, w, lim[0],
            fc == 0 ? "'failed requests (%)'" : "''");
    quoted(f, facet);
    fputs("\n", f);
    sweep_plot(f, PANEL_LINEAR, fc, nser, names, has, key);
    fprintf(f, "unset title\nset origin %.4f, 0.38\nset size %.4f, 0.28\nset tmargin 0.5\n"
            "set logscale y\nset yrange [%.9g:%.9g]\nset format y '%%g'\nset ylabel %s\n",
            x0, w, lim[1], lim[2], fc == 0 ? "'failed requests (%, log)'" : "''");
    sweep_plot(f, PANEL_LOG, fc, nser, names, has, NULL);
    fprintf(f, "unset logscale y\nset origin %.4f, 0.08\nset size %.4f, 0.30\nset bmargin 3\n"
            "set format x '%%g'\nset xlabel ", x0, w);
    quoted(f, sw->xlabel);
    fprintf(f, "\nset yrange [0:%.9g]\nset ylabel %s\n", lim[3],
            fc == 0 ? "'headroom: peak pool use (%)'" : "''");
    sweep_plot(f, PANEL_HEADROOM, fc, nser, names, has, NULL);
}

void plot_script_sweep(FILE *f, const struct plot_out *o, const struct plot_sweep *sw)
{
    const char **snames, **fnames;
    size_t *sidx, *fidx, *pts = xcalloc(sw->n + 1, sizeof(size_t));
    size_t nser = distinct(sw->p, sw->n, false, &snames, &sidx);
    size_t nf = distinct(sw->p, sw->n, true, &fnames, &fidx);
    bool *has = xcalloc(nser * (nf ? nf : 1) + 1, sizeof(bool));
    bool *key = xcalloc(nser * (nf ? nf : 1) + 1, sizeof(bool));    /* legend entry here */
    bool *titled = xcalloc(nser + 1, sizeof(bool));
    double ymax = 1, hmax = 100, lmin = 100, lim[4];
    struct plot_range r;

    header(f, o, sw->title);
    for (size_t fc = 0; fc < nf; fc++)
        for (size_t s = 0; s < nser; s++) {
            size_t k = series_points(sw->p, sw->n, sidx, fidx, s, fc, pts);

            has[fc * nser + s] = k > 0;
            key[fc * nser + s] = k > 0 && !titled[s];     /* where the series first shows */
            titled[s] = titled[s] || k > 0;
            if (k > 0)
                sweep_block(f, sw->p, pts, k, fc, s, &ymax, &hmax, &lmin);
        }
    lim[0] = fmin(105, ymax * 1.1);
    lim[1] = pow(10, floor(log10(lmin)));
    lim[2] = 200;
    lim[3] = hmax * 1.1;
    plot_sweep_range(sw->p, sw->n, &r);
    multiplot_begin(f, sw->title);
    fputs("set label 97 'Dashed, open circles: the closed form (Erlang B) of each point, "
          "from its own parameters. Log panel, down triangles: no request failed (at "
          "the 95% upper bound).' at screen 0.01, screen 0.055 left font ',9'\n"
          "set label 98 'Headroom: (peak TIME_WAIT + peak ports in use) / pool, means over "
          "the replications; above 100%: the pool was full.' at screen 0.01, screen 0.035 "
          "left font ',9'\n", f);
    foot_label(f, sw->foot);
    xtics(f, sw->p, sw->n);
    fprintf(f, "set xrange [%.9g:%.9g]\n%sset lmargin 10\nset rmargin 2\nset pointsize 1.2\n"
            "set key at screen 0.73, screen 0.92 left top vertical Left reverse samplen 2\n",
            r.lo, r.hi, r.logx ? "set logscale x\nset mxtics 10\n" : "");
    for (size_t fc = 0; fc < nf; fc++)
        sweep_column(f, sw, fc, nf, fnames[fc], nser, snames, has + fc * nser,
                     key + fc * nser, lim);
    fputs("unset multiplot\n", f);
    free(has);
    free(key);
    free(titled);
    free(pts);
    free(sidx);
    free(fidx);
    free(snames);
    free(fnames);
}

/* ---- Output and the gnuplot process ---- */

int plot_out_parse(struct plot_out *o, const char *path, const char *size, struct err *e)
{
    const char *dot = strrchr(path, '.');
    unsigned w = PLOT_WIDTH, h = PLOT_HEIGHT;

    memset(o, 0, sizeof(*o));
    o->path = path;
    for (const char *c = path; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return err_set(e, PS_EINVAL, "'--out' must not hold control characters such as "
                           "a newline");
    if (dot && strcmp(dot, ".png") == 0)
        o->term = PLOT_PNG;
    else if (dot && strcmp(dot, ".svg") == 0)
        o->term = PLOT_SVG;
    else
        return err_set(e, PS_EINVAL, "'--out' must end in .png or .svg (got '%s')", path);
    if (size) {
        char tail;

        if (sscanf(size, "%ux%u%c", &w, &h, &tail) != 2 || w < 100 || w > 10000 || h < 100 ||
            h > 10000)
            return err_set(e, PS_EINVAL, "'--size' must be WIDTHxHEIGHT in pixels, each "
                           "100..10000, e.g. 960x600 (got '%s')", size);
    }
    o->width = w;
    o->height = h;
    return 0;
}

/* Whether the picture at 'path' ends as a whole one does: a PNG with its
 * IEND chunk, an SVG with its closing tag (gnuplot does not report a write
 * that failed, a full disk say). */
static bool is_complete(const char *path)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D',
                                           0xae, 0x42, 0x60, 0x82};
    unsigned char tail[16];
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    long size;

    if (!f)
        return false;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= (long)sizeof(tail) &&
        fseek(f, size - (long)sizeof(tail), SEEK_SET) == 0)
        n = fread(tail, 1, sizeof(tail), f);
    fclose(f);
    if (n != sizeof(tail))
        return false;
    if (memcmp(tail + 4, iend, sizeof(iend)) == 0)
        return true;
    for (size_t i = 0; i + 6 <= sizeof(tail); i++)
        if (memcmp(tail + i, "</svg>", 6) == 0)
            return true;
    return false;
}

/* The first 'size' - 1 bytes of what gnuplot said, trimmed, one line. */
static void read_words(FILE *tmp, char *buf, size_t size)
{
    size_t n;

    rewind(tmp);
    n = fread(buf, 1, size - 1, tmp);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    for (size_t i = 0, o = 0; i <= n; i++) {     /* one line, blanks squeezed */
        char c = buf[i] == '\n' || buf[i] == '\t' ? ' ' : buf[i];

        if (c == ' ' && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = c;
    }
}

int plot_gnuplot(const char *script, size_t len, const char *out_path, struct err *e)
{
    struct sigaction ign, old;
    char words[700];
    FILE *tmp = tmpfile();
    struct stat sb;
    int p[2], status, rc = 0, werr = 0;
    pid_t pid;

    if (!tmp)
        return err_set(e, PS_ERUN, "gnuplot: cannot make a temporary file: %s",
                       strerror(errno));
    if (pipe(p) != 0) {
        rc = err_set(e, PS_ERUN, "gnuplot: pipe: %s", strerror(errno));
        goto out_tmp;
    }
    fflush(NULL);
    if ((pid = fork()) < 0) {
        rc = err_set(e, PS_ERUN, "gnuplot: fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        goto out_tmp;
    }
    if (pid == 0) {
        static const char msg[] = "not found";
        char *const argv[] = {(char *)"gnuplot", NULL};

        int null = open("/dev/null", O_WRONLY);

        close(p[1]);
        dup2(p[0], 0);
        dup2(null >= 0 ? null : fileno(tmp), 1);    /* a picture lost to stdout is no word */
        dup2(fileno(tmp), 2);
        close(p[0]);
        execvp("gnuplot", argv);
        if (errno == ENOENT && write(2, msg, sizeof(msg) - 1) < 0)
            _exit(126);
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(p[0]);
    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    if (pipeio_write(p[1], script, len) != 0)
        werr = errno;
    close(p[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGPIPE, &old, NULL);
    read_words(tmp, words, sizeof(words));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && strcmp(words, "not found") == 0) {
        rc = err_set(e, PS_ERUN, "gnuplot not found on PATH; install it (Debian, Ubuntu: "
                     "apt-get install gnuplot-nox) to draw pictures");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            rc = err_set(e, PS_ERUN, "gnuplot was killed by signal %d%s%s", WTERMSIG(status),
                         words[0] ? ": " : "", words);
        else
            rc = err_set(e, PS_ERUN, "gnuplot failed (exit status %d)%s%s",
                         WEXITSTATUS(status), words[0] ? ": " : "", words);
    } else if (words[0]) {
        rc = err_set(e, PS_ERUN, "gnuplot complained: %s", words);
    } else if (werr) {
        rc = err_set(e, PS_ERUN, "gnuplot: writing the script: %s", strerror(werr));
    } else if (stat(out_path, &sb) != 0 || sb.st_size == 0) {
        rc = err_set(e, PS_ERUN, "gnuplot wrote no picture to %s", out_path);
    } else if (!is_complete(out_path)) {
        rc = err_set(e, PS_EIO, "gnuplot wrote an incomplete picture to %s (a full disk or "
                     "a file-size limit?)", out_path);
    }
out_tmp:
    fclose(tmp);
    return rc;
}
