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

#include <jansson.h>

#include "sim/fmt.h"
#include "sim/xalloc.h"

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

/* ---- Time series ---- */

void plot_script_timeseries(FILE *f, const struct plot_out *o, const char *title,
                            const struct plot_run *runs, size_t n)
{
    static const char *const colours[][2] = {
        {"#1f77b4", "#ff7f0e"}, {"#2ca02c", "#d62728"}, {"#9467bd", "#8c564b"},
        {"#17becf", "#bcbd22"},
    };
    double tmax = 0, ymax = 1, failmax = 0;
    bool any_fail = false;

    header(f, o, title);
    for (size_t r = 0; r < n; r++) {
        const struct plot_run *pr = &runs[r];

        fprintf(f, "$RUN%zu << EOD\n", r);
        for (size_t i = 0; i < pr->n; i++) {
            const struct run_sample *s = &pr->samples[i];
            double t = simtime_to_s(s->t);

            fprintf(f, "%.9g %u %u %u\n", t, s->in_use, s->time_wait, s->failures);
            tmax = fmax(tmax, t);
            ymax = fmax(ymax, fmax((double)s->in_use, (double)s->time_wait));
            failmax = fmax(failmax, (double)s->failures);
            any_fail = any_fail || s->failures > 0;
        }
        fputs("EOD\n", f);
        ymax = fmax(ymax, (double)pr->pool_ports);
    }
    fprintf(f, "set xlabel 'simulated time (s)'\nset ylabel 'ports'\n"
            "set xrange [0:%.9g]\nset yrange [0:%.9g]\nset ytics nomirror\n"
            "set format y '%%.0f'\n", tmax > 0 ? tmax : 1, ymax * 1.12);
    if (any_fail)
        fprintf(f, "set y2label 'failed connect() calls per sample'\nset y2tics\n"
                "set y2range [0:%.9g]\n", failmax * 1.6);
    fputs("set key below horizontal\nplot \\\n", f);
    for (size_t r = 0; r < n; r++) {
        const struct plot_run *pr = &runs[r];
        const char *const *c = colours[r % (sizeof(colours) / sizeof(colours[0]))];
        char label[256];

        snprintf(label, sizeof(label), "%s%sports in use", pr->label, n > 1 ? ": " : "");
        if (n == 1)
            snprintf(label, sizeof(label), "ports in use");
        fprintf(f, "  $RUN%zu using 1:2 with lines lw 2 lc rgb '%s' title ", r, c[0]);
        quoted(f, label);
        snprintf(label, sizeof(label), "%s%sports in TIME_WAIT", n > 1 ? pr->label : "",
                 n > 1 ? ": " : "");
        fprintf(f, ", \\\n  $RUN%zu using 1:3 with lines lw 2 lc rgb '%s' title ", r, c[1]);
        quoted(f, label);
        if (pr->pool_ports > 0) {
            bool dup = false;

            for (size_t k = 0; k < r; k++)
                dup = dup || runs[k].pool_ports == pr->pool_ports;
            if (!dup) {
                char num[32];

                snprintf(label, sizeof(label), "port pool: %s ports",
                         fmt_count(pr->pool_ports, num, sizeof(num)));
                fprintf(f, ", \\\n  %llu with lines dt 2 lw 2 lc rgb '#000000' title ",
                        (unsigned long long)pr->pool_ports);
                quoted(f, label);
            }
        }
        if (any_fail) {
            snprintf(label, sizeof(label), "%s%sfailed connect() (right axis)",
                     n > 1 ? pr->label : "", n > 1 ? ": " : "");
            fprintf(f, ", \\\n  $RUN%zu using 1:($4 > 0 ? $4 : 1/0) axes x1y2 with impulses "
                    "lw 1 lc rgb '%s' title ", r, r == 0 ? "#e06060" : c[0]);
            quoted(f, label);
        }
        fputs(r + 1 < n ? ", \\\n" : "\n", f);
    }
}

/* ---- Remedies against rate ---- */

/* The point without workload.rate, as compact sorted JSON ("" if nothing
 * else was varied); caller frees. */
static char *other_values(const char *point)
{
    json_t *j = json_loads(point, 0, NULL);
    char *s;

    if (!j || !json_is_object(j)) {
        json_decref(j);
        return xstrdup("");
    }
    json_object_del(j, "workload.rate");
    if (json_object_size(j) == 0) {
        json_decref(j);
        return xstrdup("");
    }
    s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(j);
    if (!s)
        return xstrdup("");
    {
        char *copy = xstrdup(s);
        free(s);
        return copy;
    }
}

struct series {
    char *label;
    size_t *idx;                    /* groups of this series, sorted by rate */
    size_t n;
};

static int cmp_rate_idx(const void *pa, const void *pb, const void *base)
{
    const struct report_group *g = base;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

    if (g[a].rate != g[b].rate)
        return g[a].rate < g[b].rate ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Insertion sort by rate (series are short; qsort has no context argument). */
static void sort_by_rate(size_t *idx, size_t n, const struct report_group *g)
{
    for (size_t i = 1; i < n; i++) {
        size_t v = idx[i], j = i;

        while (j > 0 && cmp_rate_idx(&idx[j - 1], &v, g) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

/* Line colours of the remedies: no black (the closed form is black). */
static const char *const series_colours[] = {
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22",
};

/* Tics at the rates of the sweep when there are few of them (5, 10, 20, 40,
 * 80 reads better than gnuplot's 10, 100 on a log axis). */
static void xtics(FILE *f, const struct report_group *g, size_t n)
{
    double seen[12];
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        bool dup = !isfinite(g[i].rate);

        for (size_t j = 0; j < k && !dup; j++)
            dup = seen[j] == g[i].rate;
        if (dup)
            continue;
        if (k == sizeof(seen) / sizeof(seen[0]))
            return;                     /* many rates: gnuplot's tics */
        seen[k++] = g[i].rate;
    }
    fputs("set xtics (", f);
    for (size_t j = 0; j < k; j++)
        fprintf(f, "%s%.9g", j ? ", " : "", seen[j]);
    fputs(")\n", f);
}

/* The series of the picture, in the order their remedy is first met,
 * baseline first; '*ymax' rises to the highest upper bar end (%). */
static struct series *collect_series(const struct report_group *g, size_t n, size_t *nser,
                                     double *ymax)
{
    struct series *ser = xcalloc(n + 1, sizeof(*ser));

    *nser = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            char *other;
            char label[512];
            size_t s;

            if ((pass == 0) != g[i].is_baseline)
                continue;
            other = other_values(g[i].point);
            snprintf(label, sizeof(label), "%s%s%s%s", g[i].remedy, other[0] ? " " : "", other,
                     g[i].is_baseline && strcmp(g[i].remedy, REPORT_BASELINE) != 0
                         ? " (baseline)" : "");
            free(other);
            for (s = 0; s < *nser && strcmp(ser[s].label, label) != 0; s++)
                ;
            if (s == *nser) {
                ser[s].label = xstrdup(label);
                ser[s].idx = xcalloc(n, sizeof(size_t));
                (*nser)++;
            }
            ser[s].idx[ser[s].n++] = i;
            if (g[i].request_fail_pooled.n > 0)
                *ymax = fmax(*ymax, 100 * g[i].request_fail_pooled.hi);
        }
    }
    return ser;
}

void plot_remedies_range(const struct report_group *g, size_t n, struct plot_range *r)
{
    double rmin = INFINITY, rmax = 0;

    for (size_t i = 0; i < n; i++) {
        if (isfinite(g[i].rate) && g[i].rate > 0) {
            rmin = fmin(rmin, g[i].rate);
            rmax = fmax(rmax, g[i].rate);
        }
    }
    if (!(rmax > 0)) {
        rmin = 1;
        rmax = 1;
    }
    r->logx = rmax / rmin >= 8;
    r->lo = r->logx ? rmin / 1.25 : rmin - 0.05 * (rmax - rmin + 1);
    r->hi = r->logx ? rmax * 1.25 : rmax + 0.05 * (rmax - rmin + 1);
    if (r->lo <= 0)
        r->lo = rmin / 2;
}

double plot_range_at(const struct plot_range *r, size_t k)
{
    double u = (double)k / (PLOT_CURVE_POINTS - 1);

    return r->logx ? r->lo * pow(r->hi / r->lo, u) : r->lo + (r->hi - r->lo) * u;
}

/* The data blocks: one per series, sorted by rate, then the curve. */
static void write_data(FILE *f, const struct report_group *g, struct series *ser, size_t nser,
                       const struct plot_curve *curve, double *ymax)
{
    for (size_t s = 0; s < nser; s++) {
        sort_by_rate(ser[s].idx, ser[s].n, g);
        fprintf(f, "$S%zu << EOD\n", s);
        for (size_t k = 0; k < ser[s].n; k++) {
            const struct report_group *x = &g[ser[s].idx[k]];
            const struct stats_prop *p = &x->request_fail_pooled;

            if (p->n == 0 || !isfinite(x->rate))
                continue;
            fprintf(f, "%.9g %.9g %.9g %.9g\n", x->rate, 100 * p->p, 100 * p->lo, 100 * p->hi);
        }
        fputs("EOD\n", f);
    }
    if (!curve)
        return;
    fputs("$THEORY << EOD\n", f);
    for (size_t k = 0; k < curve->n; k++) {
        fprintf(f, "%.9g %.9g\n", curve->x[k], 100 * curve->y[k]);
        *ymax = fmax(*ymax, 100 * curve->y[k]);
    }
    fputs("EOD\n", f);
}

void plot_script_remedies(FILE *f, const struct plot_out *o, const char *title,
                          const struct report_group *g, size_t n,
                          const struct plot_curve *curve)
{
    struct plot_range r;
    size_t nser;
    double ymax = 1;
    struct series *ser = collect_series(g, n, &nser, &ymax);

    plot_remedies_range(g, n, &r);
    header(f, o, title);
    write_data(f, g, ser, nser, curve, &ymax);
    xtics(f, g, n);
    fprintf(f, "set xlabel 'request rate (requests/s)'\nset ylabel 'failed requests (%%)'\n"
            "set xrange [%.9g:%.9g]\nset yrange [0:%.9g]\n%s"
            "set key outside right top vertical Left reverse width 1\n"
            "set label 1 'bars: 95%% Clopper-Pearson interval of the failures pooled over "
            "the replications; lines on 0: no request failed' at screen 0.01, screen 0.025 "
            "left font ',9'\nset bmargin 5\n"
            "set pointsize 1.2\nplot \\\n",
            r.lo, r.hi, fmin(100, ymax * 1.1) > 0 ? fmin(105, ymax * 1.1) : 1,
            r.logx ? "set logscale x\nset mxtics 10\n" : "");
    for (size_t s = 0; s < nser; s++) {
        fprintf(f, "  $S%zu using 1:2:3:4 with yerrorlines lw 2 pt %zu ps %.1f lc rgb '%s' "
                "title ", s, 5 + 2 * (s % 5), 1.6 - 0.1 * (double)(s % 8),
                series_colours[s % (sizeof(series_colours) / sizeof(series_colours[0]))]);
        quoted(f, ser[s].label);
        fputs(s + 1 < nser || curve ? ", \\\n" : "\n", f);
    }
    if (curve) {
        fputs("  $THEORY using 1:2 with lines dt 2 lw 2 lc rgb '#000000' title "
              "'Erlang B of the baseline'\n", f);
    }
    for (size_t s = 0; s < nser; s++) {
        free(ser[s].label);
        free(ser[s].idx);
    }
    free(ser);
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

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
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
    if (write_all(p[1], script, len) != 0)
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
