/* html.c - the page of one run: parameters, figures and inline SVG charts.
 *
 * Every chart shares one horizontal geometry (PLOT_X0..PLOT_X1 in SVG user
 * units for t = 0..duration), so the line chart and the strip chart line up
 * when read one above the other, and the time control's cursor (an SVG
 * line of class "cursor" in each) moves over all of them.  Coordinates go
 * out with fixed precision (one decimal), figures for people in their
 * shortest form with their unit: the page of a run is the same bytes every
 * time.  Text from outside (scenario names, parameter values) is escaped.
 * The one script (clock_js) is a constant; its SHA-256 (CLOCK_JS_SHA256,
 * base64) is in the Content-Security-Policy.  After editing the script,
 * recompute it: the script's text (what the C literal holds) piped into
 * 'openssl dgst -sha256 -binary | base64'; tests/e2e_html.sh recomputes it
 * from the page and Chromium refuses a script whose hash differs.
 * The writer allocates only when it merges failure marks (one counter per
 * pixel column and row).
 */
#include "analysis/html.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sim/fmt.h"
#include "sim/outfile.h"
#include "sim/xalloc.h"

/* Horizontal geometry shared by the charts (SVG user units). */
#define SVG_W 1000
#define PLOT_X0 80.0
#define PLOT_X1 980.0
#define PLOT_COLS 900           /* pixel columns of the plot, for merging marks */

#define C_IN_USE "#1f3556"      /* solid dark: in use */
#define C_TW "#b4541a"          /* hatch lines and dashed line: TIME_WAIT */
#define C_TW_BG "#f7dcc0"
#define C_FAIL "#d0142c"
#define C_SRV_TW "#4f7f2a"      /* the server's TIME_WAIT: green band */

/* The time control (see the header comment; no backslash, no double quote). */
static const char clock_js[] =
    "(function(){var D=document,s=D.getElementById('clock-t'),o=D.getElementById('clock-now')"
    ",n=D.getElementById('clock-near'),b=D.getElementById('clock-play'),d=JSON.parse(D.getEle"
    "mentById('series').textContent),T=+s.max,X0=80,X1=980,timer=0,sp=Array.prototype.slice.c"
    "all(D.querySelectorAll('[data-t0]'));\n"
    "function idx(t){var lo=0,hi=d.t.length-1,i=0;while(lo<=hi){var m=(lo+hi)>>1;if(d.t[m]<=t"
    "){i=m;lo=m+1}else{hi=m-1}}return i}\n"
    "function fx(v){return String(+(+v).toFixed(3))}\n"
    "function show(t){t=Math.max(0,Math.min(T,+t||0));s.value=t;var x=X0+(X1-X0)*t/T,i=idx(t)"
    ",ev=[],msg='t = '+fx(t)+' s';\n"
    "D.querySelectorAll('.cursor').forEach(function(c){c.setAttribute('x1',x);c.setAttribute("
    "'x2',x);c.setAttribute('display','inline')});\n"
    "if(d.t.length){msg+=': '+d.u[i]+' ports in use, '+d.w[i]+' TIME_WAIT entries (the sample"
    " at '+fx(d.t[i])+' s); '+d.f[i]+' failed connect() calls so far'}\n"
    "o.textContent=msg;\n"
    "sp.forEach(function(r){var a=+r.getAttribute('data-t0'),e=+r.getAttribute('data-t1'),w=r"
    ".getAttribute('data-what');r.classList.toggle('on',a<=t&&t<e);if(Math.abs(a-t)<=1){ev.pu"
    "sh([a,w+' begins'])}if(Math.abs(e-t)<=1&&e<T){ev.push([e,w+' ends'])}});\n"
    "ev.sort(function(p,q){return p[0]-q[0]});\n"
    "n.textContent=ev.slice(0,16).map(function(v){return fx(v[0])+' s: '+v[1]}).join(String.f"
    "romCharCode(10))||'no port changes state within 1 s of this instant'}\n"
    "b.addEventListener('click',function(){if(timer){clearInterval(timer);timer=0;b.textConte"
    "nt='play';return}b.textContent='pause';timer=setInterval(function(){var t=+s.value+T/200"
    ";if(t>=T){t=T;clearInterval(timer);timer=0;b.textContent='play'}show(t)},50)});\n"
    "s.addEventListener('input',function(){show(s.value)});\n"
    "function fromHash(){var m=/^#t=([0-9.]+)$/.exec(location.hash);show(m?m[1]:s.value)}\n"
    "window.addEventListener('hashchange',fromHash);fromHash()})();\n";
#define CLOCK_JS_SHA256 "2kK2wWQ5AqI9gmFtP0vzih05SWaRUB+3cnPq6MfanVU="
#define C_BOUND "#e377c2"       /* issue 17: ports held by leaked sockets (BOUND) */

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "color:#111;max-width:1040px;margin:24px auto;padding:0 16px}"
    "h1{font-size:26px;margin:0 0 2px}h2{font-size:19px;margin:28px 0 6px;"
    "border-bottom:1px solid #999}"
    ".sub{color:#444;margin:0 0 12px}.headline{font-size:17px;margin:10px 0}"
    "table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 10px 2px 0;"
    "text-align:left;vertical-align:top}th{font-weight:600}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}"
    ".params{display:flex;gap:28px;flex-wrap:wrap}.params table td:first-child{color:#333}"
    ".params h3{font-size:15px;margin:6px 0 2px}"
    "code{font:13px ui-monospace,Menlo,Consolas,monospace}"
    "svg{display:block;width:100%;height:auto}svg text{font:12px system-ui,Helvetica,"
    "Arial,sans-serif;fill:#111}.note{background:#f3f3f3;border-left:4px solid #777;"
    "padding:8px 12px}"
    ".foot{color:#555;font-size:13px;margin-top:30px}"
    ".clock{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #ccc;"
    "z-index:1}.clock input{width:60%;vertical-align:middle}"
    ".clock output{display:block;font-variant-numeric:tabular-nums}"
    ".clock pre{margin:4px 0 0;font:12px ui-monospace,Menlo,Consolas,monospace;color:#333;"
    "max-height:8.5em;overflow:auto}.on{stroke:#000;stroke-width:1.2}"
    "@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg{break-inside:avoid}}";

/* ---- Small writers ---- */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

/* A tick step of 1, 2 or 5 times a power of ten giving about 'n' ticks. */
static double nice_step(double range, int n)
{
    double raw = range / n, p, m;

    if (!(raw > 0))
        return 1;
    p = pow(10, floor(log10(raw)));
    m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static double x_of(simtime t, simtime duration)
{
    double d = duration ? (double)duration : 1;

    return PLOT_X0 + (PLOT_X1 - PLOT_X0) * ((double)t / d);
}

/* 'v' seconds rounded to the millisecond, in shortest form: "100.3". */
static const char *secs(double v, char *buf, size_t size)
{
    return fmt_double(round(v * 1000) / 1000, buf, size);
}

/* 'v' rounded to one decimal, in shortest form: "3895.3", "17.6", "0". */
static const char *tenths(double v, char *buf, size_t size)
{
    return fmt_double(round(v * 10) / 10, buf, size);
}

/* The time control's cursor over a chart from 'top' to 'bottom'; hidden
 * until the script places it. */
static void cursor(FILE *f, double top, double bottom)
{
    fprintf(f, "<line class=\"cursor\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#c00000\" stroke-width=\"1.5\" display=\"none\"/>\n", PLOT_X0, top,
            PLOT_X0, bottom);
}

/* The time axis under a plot whose bottom is at 'y'. */
static void time_axis(FILE *f, double y, simtime duration)
{
    double dur_s = simtime_to_s(duration), step = nice_step(dur_s, 10);

    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\"/>\n",
            PLOT_X0, y, PLOT_X1, y);
    for (double s = 0; s <= dur_s + step * 1e-9; s += step) {
        double x = x_of(simtime_from_s(s), duration);

        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                x, y, x, y + 5, x, y + 18, s);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time (s)</text>\n",
            (PLOT_X0 + PLOT_X1) / 2, y + 36);
}

static void defs(FILE *f)
{
    fprintf(f, "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\""
            " patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            "<rect width=\"6\" height=\"6\" fill=\"%s\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"%s\" stroke-width=\"2.5\"/>"
            "</pattern></defs>\n", C_TW_BG, C_TW);
}

/* A cross (exhausted) or a triangle (collision) centred on (x, y); 'tip'
 * (NULL: none) is its hover text. */
static void mark_tip(FILE *f, double x, double y, double r, int collision, uint64_t n,
                     const char *tip)
{
    char cls[48];

    /* n = 0: a legend's sample, not a failure */
    if (n)
        snprintf(cls, sizeof(cls), "class=\"fail\" data-n=\"%" PRIu64 "\"", n);
    else
        snprintf(cls, sizeof(cls), "class=\"key\"");
    if (collision)
        fprintf(f, "<path %s d=\"M%.1f %.1fL%.1f %.1fL%.1f "
                "%.1fZ\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.7\">", cls, x, y - r,
                x + r, y + r, x - r, y + r, C_FAIL);
    else
        fprintf(f, "<path %s d=\"M%.1f %.1fL%.1f %.1fM%.1f "
                "%.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2.2\">", cls, x - r, y - r,
                x + r, y + r, x - r, y + r, x + r, y - r, C_FAIL);
    if (tip) {
        fputs("<title>", f);
        esc(f, tip);
        fputs("</title>", f);
    }
    fputs("</path>\n", f);
}

static void mark(FILE *f, double x, double y, double r, int collision, uint64_t n)
{
    mark_tip(f, x, y, r, collision, n, NULL);
}

/* ---- Parameters and figures ---- */

/* One parameter as a person reads it: a double in its shortest exact form
 * ("0.05", never "0.050000000000000003"), anything else as JSON. */
static void param_value(FILE *f, json_t *v)
{
    char num[FMT_BUF];
    char *text;

    if (json_is_string(v)) {
        esc(f, json_string_value(v));
    } else if (json_is_real(v) && isfinite(json_real_value(v))) {
        esc(f, fmt_double(json_real_value(v), num, sizeof(num)));
    } else {
        text = json_dumps(v, JSON_ENCODE_ANY);
        esc(f, text ? text : "");
        free(text);
    }
}

static void params_table(FILE *f, const char *json)
{
    json_error_t jerr;
    json_t *root = json ? json_loads(json, 0, &jerr) : NULL;
    const char *section, *key;
    json_t *sec, *v;

    if (!json_is_object(root)) {
        fputs("<p class=\"note\">The parameters are not available.</p>\n", f);
        json_decref(root);
        return;
    }
    fputs("<div class=\"params\">\n", f);
    json_object_foreach(root, section, sec) {
        if (!json_is_object(sec))
            continue;
        fputs("<div><h3>[", f);
        esc(f, section);
        fputs("]</h3><table>\n", f);
        json_object_foreach(sec, key, v) {
            fputs("<tr><td><code>", f);
            esc(f, key);
            fputs("</code></td><td><code>", f);
            param_value(f, v);
            fputs("</code></td></tr>\n", f);
        }
        fputs("</table></div>\n", f);
    }
    fputs("</div>\n", f);
    json_decref(root);
}

static void row_u(FILE *f, const char *label, uint64_t v, const char *note)
{
    char b[FMT_BUF];

    fprintf(f, "<tr><td>%s</td><td class=\"num\">%s</td><td>", label,
            fmt_count(v, b, sizeof(b)));
    esc(f, note);
    fputs("</td></tr>\n", f);
}

/* Issue 12: behind a NAT a dropped SYN is no failed connect(), only a
 * retransmission and seconds of waiting; say so beside the host's headline,
 * from the lanes (the first drop to the sample that counted it). */
static void nat_headline(FILE *f, const struct html_page *pg)
{
    const struct nat_lanes *nl = pg->lanes;
    uint64_t drops = 0;
    simtime first = SIMTIME_NEVER;
    char a[FMT_BUF], t[FMT_BUF];

    if (!nl)
        return;
    for (size_t k = 0; k < pg->nsamples; k++) {
        for (uint32_t i = 0; i < nl->nips; i++) {
            uint32_t d = nl->v[k * nl->nips + i].drops;

            drops += d;
            if (d > 0 && first == SIMTIME_NEVER)
                first = pg->samples[k].t;
        }
    }
    fputs("<p class=\"headline\">", f);
    if (drops == 0) {
        fputs("The NAT dropped no SYN.", f);
    } else {
        fprintf(f, "<strong>The NAT dropped %s SYNs (", fmt_count(drops, a, sizeof(a)));
        esc(f, nl->words);
        fprintf(f, ")</strong>, the first by t = %s s: a dropped SYN fails no connect() at "
                "once; the client retransmits it and waits seconds, and times out when the "
                "retransmissions run out (the lanes per public IP below).",
                secs(simtime_to_s(first), t, sizeof(t)));
    }
    fputs("</p>\n", f);
}

static void figures(FILE *f, const struct html_page *pg)
{
    const struct run_metrics *m = pg->m;
    char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF], d[FMT_BUF];
    double ratio = m->connect_attempts ? 100.0 * (double)m->connect_failures
                                             / (double)m->connect_attempts : 0;

    fputs("<p class=\"headline\">", f);
    if (m->connect_failures == 0) {
        fprintf(f, "No <code>connect()</code> failed: %s of %s calls connected.",
                fmt_count(m->connects, a, sizeof(a)),
                fmt_count(m->connect_attempts, b, sizeof(b)));
    } else {
        char e[FMT_BUF], t[FMT_BUF];

        fprintf(f, "<strong>%s of %s <code>connect()</code> calls failed (%s%%)</strong>; "
                "the first at t = %s s. %s of %s requests were lost.",
                fmt_count(m->connect_failures, a, sizeof(a)),
                fmt_count(m->connect_attempts, b, sizeof(b)), tenths(ratio, e, sizeof(e)),
                secs(m->first_failure_time, t, sizeof(t)),
                fmt_count(m->requests_failed, c, sizeof(c)), fmt_count(m->requests, d, sizeof(d)));
    }
    fputs("</p>\n", f);
    nat_headline(f, pg);
    fputs("<table>\n", f);
    row_u(f, "requests", m->requests, "");
    row_u(f, "cache hits", m->cache_hits, "served on an open connection");
    row_u(f, "<code>connect()</code> calls", m->connect_attempts, "retries included");
    row_u(f, "connected", m->connects, "");
    row_u(f, "failed: no port left", m->failures_exhausted, pg->exhausted_words);
    row_u(f, "failed: TIME_WAIT collision", m->failures_collision, pg->collision_words);
    row_u(f, "retries", m->retries, "");
    row_u(f, "requests failed", m->requests_failed, "after the last retry");
    row_u(f, "requests unfinished", m->requests_unfinished, "at the end of the run");
    fprintf(f, "<tr><td>ports in use</td><td class=\"num\">%s</td><td>peak; mean %s ports"
            "</td></tr>\n", fmt_count(m->peak_in_use, a, sizeof(a)),
            tenths(m->mean_in_use, b, sizeof(b)));
    fprintf(f, "<tr><td>TIME_WAIT entries</td><td class=\"num\">%s</td><td>peak; mean %s "
            "entries (client side)</td></tr>\n", fmt_count(m->peak_time_wait, a, sizeof(a)),
            tenths(m->mean_time_wait, b, sizeof(b)));
    if (m->peak_server_time_wait)
        fprintf(f, "<tr><td>server-side TIME_WAIT</td><td class=\"num\">%s</td><td>peak; mean "
                "%s entries (the server closes first)</td></tr>\n",
                fmt_count(m->peak_server_time_wait, a, sizeof(a)),
                tenths(m->mean_server_time_wait, b, sizeof(b)));
    if (m->time_wait_overflows)     /* issue 11 */
        row_u(f, "TIME_WAIT overflows", m->time_wait_overflows,
              "closes past max_time_wait (TCPTimeWaitOverflow on Linux)");
    row_u(f, "pool", pg->pool_ports, "usable ports");
    if (m->has_first_failure)
        fprintf(f, "<tr><td>first failure</td><td class=\"num\">%s s</td><td>simulated time"
                "</td></tr>\n", secs(m->first_failure_time, a, sizeof(a)));
    row_u(f, "events", m->events, "");
    fprintf(f, "<tr><td>digest</td><td class=\"num\"><code>%016" PRIx64 "</code></td><td>"
            "determinism witness</td></tr>\n</table>\n", m->digest);
}

/* ---- The line chart ---- */

static void line_chart(FILE *f, const struct html_page *pg)
{
    const double top = 30, bottom = 290;
    double ymax = (double)pg->pool_ports, ystep;
    size_t stride = pg->nsamples > 4000 ? (pg->nsamples + 3999) / 4000 : 1;
    bool any_bound = false;     /* issue 17: leaked sockets */

    for (size_t i = 0; i < pg->nsamples; i++) {
        any_bound = any_bound || pg->samples[i].bound > 0;
        if (pg->samples[i].bound > ymax)
            ymax = pg->samples[i].bound;
        if (pg->samples[i].in_use > ymax)
            ymax = pg->samples[i].in_use;
        if (pg->samples[i].time_wait > ymax)
            ymax = pg->samples[i].time_wait;
    }
    ymax = ymax < 1 ? 1 : ymax * 1.08;
    ystep = nice_step(ymax, 6);
    if (ystep < 1)
        ystep = 1;
    fprintf(f, "<svg class=\"lines\" viewBox=\"0 0 %d 340\" role=\"img\" aria-label=\"ports in "
            "use and in TIME_WAIT over time\">\n", SVG_W);
    for (double y = 0; y <= ymax; y += ystep) {
        double py = bottom - (bottom - top) * y / ymax;

        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", PLOT_X0, py,
                PLOT_X1, py, PLOT_X0 - 6, py + 4, y);
    }
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\"/>\n",
            PLOT_X0, top, PLOT_X0, bottom);
    fprintf(f, "<text transform=\"translate(22 %.1f) rotate(-90)\" text-anchor=\"middle\">"
            "ports (entries for TIME_WAIT)</text>\n", (top + bottom) / 2);
    time_axis(f, bottom, pg->duration);
    {
        double py = bottom - (bottom - top) * (double)pg->pool_ports / ymax;

        fprintf(f, "<line class=\"pool\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"1 3\"/>\n",
                PLOT_X0, py, PLOT_X1, py);
    }
    /* steps: a sample's value holds until the next sample */
    for (int which = 0; which < 2; which++) {
        fprintf(f, "<path class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
                "d=\"", which ? "tw" : "inuse", which ? C_TW : C_IN_USE,
                which ? " stroke-dasharray=\"7 4\"" : "");
        for (size_t i = 0; i < pg->nsamples; i += stride) {
            double v = which ? pg->samples[i].time_wait : pg->samples[i].in_use;
            double x = x_of(pg->samples[i].t, pg->duration);

            if (i == 0)
                fprintf(f, "M%.1f %.1f", x, bottom - (bottom - top) * v / ymax);
            else
                fprintf(f, "H%.1fV%.1f", x, bottom - (bottom - top) * v / ymax);
        }
        fprintf(f, "H%.1f\"><title>%s, one step per sample</title></path>\n", PLOT_X1,
                which ? "TIME_WAIT entries (client)" : "ports in use");
    }
    if (any_bound) {
        fprintf(f, "<polyline class=\"bound\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                "points=\"", C_BOUND);
        for (size_t i = 0; i < pg->nsamples; i += stride)
            fprintf(f, "%.1f,%.1f ", x_of(pg->samples[i].t, pg->duration),
                    bottom - (bottom - top) * pg->samples[i].bound / ymax);
        fprintf(f, "\"/>\n<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">ports BOUND by leaked "
                "sockets</text>\n", PLOT_X0 + 8, top + 14, C_BOUND);
    }
    cursor(f, top, bottom);
    /* legend, above the plot */
    fprintf(f, "<g transform=\"translate(%.1f 12)\">"
            "<line x1=\"0\" y1=\"0\" x2=\"28\" y2=\"0\" stroke=\"%s\" stroke-width=\"2\"/>"
            "<text x=\"34\" y=\"4\">ports in use</text>"
            "<line x1=\"150\" y1=\"0\" x2=\"178\" y2=\"0\" stroke=\"%s\" stroke-width=\"2\" "
            "stroke-dasharray=\"7 4\"/><text x=\"184\" y=\"4\">TIME_WAIT entries (client)"
            "</text><line x1=\"380\" y1=\"0\" x2=\"408\" y2=\"0\" stroke=\"#333\" "
            "stroke-width=\"1.5\" stroke-dasharray=\"1 3\"/><text x=\"414\" y=\"4\">pool size "
            "(%" PRIu64 " ports)</text></g>\n", PLOT_X0, C_IN_USE, C_TW, pg->pool_ports);
    fputs("</svg>\n", f);
}

/* ---- Failures over time ---- */

/* Failed connect() calls per second, one bar per sample interval (the
 * count over the time since the previous sample), under the line chart. */
static void fail_lane(FILE *f, const struct html_page *pg)
{
    const double top = 24, bottom = 104;
    double rmax = 0, prev = 0;
    char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF];

    for (size_t i = 0; i < pg->nsamples; i++) {
        double t = simtime_to_s(pg->samples[i].t);

        if (t > prev)
            rmax = fmax(rmax, pg->samples[i].failures / (t - prev));
        prev = t;
    }
    fprintf(f, "<svg class=\"faillane\" viewBox=\"0 0 %d 150\" role=\"img\" aria-label=\""
            "failed connect() calls per second over time\">\n", SVG_W);
    fprintf(f, "<text x=\"%.1f\" y=\"14\">failed <tspan font-family=\"monospace\">connect()"
            "</tspan> calls per second (peak %s/s)</text>\n", PLOT_X0,
            tenths(rmax, a, sizeof(a)));
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\"/>\n",
            PLOT_X0, top, PLOT_X0, bottom);
    prev = 0;
    for (size_t i = 0; i < pg->nsamples && rmax > 0; i++) {
        const struct run_sample *sm = &pg->samples[i];
        double t = simtime_to_s(sm->t), r = t > prev ? sm->failures / (t - prev) : 0;
        double x0 = x_of(simtime_from_s(prev), pg->duration), x1 = x_of(sm->t, pg->duration);
        double h = (bottom - top) * r / rmax;

        if (sm->failures > 0)
            fprintf(f, "<rect class=\"failrate\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
                    "height=\"%.1f\" fill=\"%s\"><title>%s-%s s: %u failed, %s/s</title>"
                    "</rect>\n", x0, bottom - h, fmax(x1 - x0, 0.6), h, C_FAIL,
                    secs(prev, a, sizeof(a)), secs(t, b, sizeof(b)), sm->failures,
                    tenths(r, c, sizeof(c)));
        prev = t;
    }
    if (!(rmax > 0))
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">none failed</text>\n",
                PLOT_X0 + 8, bottom - 8);
    cursor(f, top, bottom);
    time_axis(f, bottom, pg->duration);
    fputs("</svg>\n", f);
}

/* ---- NAT lanes (issue 12) ---- */

/* The largest ports value and drop rate over every IP's lane. */
static void lanes_max(const struct html_page *pg, double *ymax, double *rmax)
{
    const struct nat_lanes *l = pg->lanes;
    double prev = 0;

    *ymax = 1;
    *rmax = 0;
    for (uint32_t ip = 0; ip < l->nips; ip++)
        *ymax = fmax(*ymax, l->limit ? (double)l->limit[ip] : 0);
    for (size_t k = 0; k < pg->nsamples; k++) {
        double t = simtime_to_s(pg->samples[k].t);

        for (uint32_t ip = 0; ip < l->nips; ip++) {
            const struct nat_ip_sample *x = &l->v[k * l->nips + ip];

            *ymax = fmax(*ymax, x->ports);
            if (t > prev)
                *rmax = fmax(*rmax, x->drops / (t - prev));
        }
        prev = t;
    }
    *ymax *= 1.1;
}

/* The drop bars of IP 'ip' at the foot of its lane, on the scale 'rmax'
 * shared by every lane (bars reach 'band' units at most). */
static void lane_drops(FILE *f, const struct html_page *pg, uint32_t ip, double bottom,
                       double band, double rmax)
{
    const struct nat_lanes *l = pg->lanes;
    char a[FMT_BUF], b[FMT_BUF], c[FMT_BUF];
    double prev = 0;

    for (size_t k = 0; k < pg->nsamples && rmax > 0; k++) {
        const struct nat_ip_sample *x = &l->v[k * l->nips + ip];
        double t = simtime_to_s(pg->samples[k].t), r = t > prev ? x->drops / (t - prev) : 0;
        double x0 = x_of(simtime_from_s(prev), pg->duration);
        double x1 = x_of(pg->samples[k].t, pg->duration), h = band * r / rmax;

        if (x->drops > 0)
            fprintf(f, "<rect class=\"droprate\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
                    "height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.55\"><title>%s-%s s: %u "
                    "SYNs dropped, %s/s</title></rect>\n", x0, bottom - h, fmax(x1 - x0, 0.6),
                    h, C_FAIL, secs(prev, a, sizeof(a)), secs(t, b, sizeof(b)), x->drops,
                    tenths(r, c, sizeof(c)));
        prev = t;
    }
}

/* One lane: IP 'ip''s ports in use (steps), its limit, its drops. */
static void lane_svg(FILE *f, const struct html_page *pg, uint32_t ip, double ymax,
                     double rmax, bool last)
{
    const struct nat_lanes *l = pg->lanes;
    const double top = 26, bottom = 126;
    uint64_t limit = l->limit ? l->limit[ip] : 0, dropped = 0;
    size_t stride = pg->nsamples > 4000 ? (pg->nsamples + 3999) / 4000 : 1;
    char num[32];

    for (size_t k = 0; k < pg->nsamples; k++)
        dropped += l->v[k * l->nips + ip].drops;
    fprintf(f, "<svg class=\"lane\" data-ip=\"%u\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"public IP %u over time\">\n", ip, SVG_W, last ? 176 : 136, ip);
    fprintf(f, "<text x=\"%.1f\" y=\"16\"><tspan font-weight=\"bold\">public IP %u</tspan>"
            ": %s SYNs dropped (", PLOT_X0, ip, fmt_count(dropped, num, sizeof(num)));
    esc(f, l->words && l->words[0] ? l->words : "dropped SYN");
    fprintf(f, ")</text>\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#111\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
            PLOT_X0, top, PLOT_X0, bottom, PLOT_X0 - 6, top + 4,
            fmt_count((uint64_t)ymax, num, sizeof(num)));
    lane_drops(f, pg, ip, bottom, (bottom - top) * 0.5, rmax);
    if (limit > 0) {
        double py = bottom - (bottom - top) * (double)limit / ymax;

        fprintf(f, "<line class=\"limit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"><title>limit "
                "toward one destination: %s ports</title></line>\n<text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\" fill=\"#333\">limit %s</text>\n", PLOT_X0, py, PLOT_X1, py,
                fmt_count(limit, num, sizeof(num)), PLOT_X1, py - 4, num);
    }
    fprintf(f, "<path class=\"natports\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
            "d=\"", C_IN_USE);
    for (size_t k = 0; k < pg->nsamples; k += stride) {
        double v = l->v[k * l->nips + ip].ports, x = x_of(pg->samples[k].t, pg->duration);

        fprintf(f, k == 0 ? "M%.1f %.1f" : "H%.1fV%.1f", x, bottom - (bottom - top) * v / ymax);
    }
    fprintf(f, "H%.1f\"><title>public ports of IP %u in use, one step per sample</title>"
            "</path>\n", PLOT_X1, ip);
    cursor(f, top, bottom);
    if (last)
        time_axis(f, bottom, pg->duration);
    else
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#111\"/>\n", PLOT_X0, bottom, PLOT_X1, bottom);
    fputs("</svg>\n", f);
}

/* A lane per public IP, on the shared time axis, one scale for all. */
static void nat_lanes(FILE *f, const struct html_page *pg)
{
    double ymax, rmax;
    char num[FMT_BUF];

    lanes_max(pg, &ymax, &rmax);
    fprintf(f, "<p class=\"lanes-key\">Per public IP: public ports in use (blue steps), the "
            "limit toward one destination (dashed), SYNs dropped per second (red bars, "
            "tallest %s/s, one scale for every IP).</p>\n", tenths(rmax, num, sizeof(num)));
    for (uint32_t ip = 0; ip < pg->lanes->nips; ip++)
        lane_svg(f, pg, ip, ymax, rmax, ip + 1 == pg->lanes->nips);
}

/* ---- The strip chart ---- */

static double row_height(uint32_t nrows)
{
    return nrows <= 16 ? 22 : nrows <= 48 ? 10 : nrows <= 128 ? 4 : nrows <= 256 ? 2 : 1;
}

static void strip_marks(FILE *f, const struct html_strip *s, simtime duration, double y0,
                        double rh, double lane_y)
{
    double r = rh >= 14 ? 5 : rh >= 8 ? 4 : 3;

    if (s->nmarks <= HTML_MARKS_EACH) {
        for (size_t i = 0; i < s->nmarks; i++) {
            const struct html_mark *k = &s->marks[i];
            double x = x_of(k->t, duration);
            double y = k->row == HTML_NO_ROW ? lane_y : y0 + rh * k->row + rh / 2;

            char tip[160], t[FMT_BUF];

            snprintf(tip, sizeof(tip), "t = %s s: connect() failed, %s", secs(simtime_to_s(k->t),
                     t, sizeof(t)), k->collision ? "TIME_WAIT collision on this port"
                     : "no port left");
            mark_tip(f, x, y, k->row == HTML_NO_ROW ? 5 : r, (int)k->collision, 1, tip);
        }
        return;
    }
    /* many: one mark per pixel column and row, with its count; lane = row nrows */
    {
        size_t ncells = (size_t)(s->nrows + 1) * PLOT_COLS;
        uint32_t *n = xcalloc(ncells, sizeof(*n));
        uint8_t *coll = xcalloc(ncells, 1);

        for (size_t i = 0; i < s->nmarks; i++) {
            const struct html_mark *k = &s->marks[i];
            double fx = (x_of(k->t, duration) - PLOT_X0) / (PLOT_X1 - PLOT_X0);
            size_t col = fx <= 0 ? 0 : fx >= 1 ? PLOT_COLS - 1 : (size_t)(fx * PLOT_COLS);
            size_t row = k->row == HTML_NO_ROW ? s->nrows : k->row;

            n[row * PLOT_COLS + col]++;
            coll[row * PLOT_COLS + col] |= (uint8_t)k->collision;
        }
        for (size_t row = 0; row <= s->nrows; row++) {
            for (size_t col = 0; col < PLOT_COLS; col++) {
                size_t c = row * PLOT_COLS + col;
                double x = PLOT_X0 + (PLOT_X1 - PLOT_X0) * ((double)col + 0.5) / PLOT_COLS;

                char tip[64];

                snprintf(tip, sizeof(tip), "%u failed connect() calls here", n[c]);
                if (n[c])
                    mark_tip(f, x, row == s->nrows ? lane_y : y0 + rh * (double)row + rh / 2,
                             row == s->nrows ? 5 : r, coll[c], n[c], tip);
            }
        }
        free(coll);
        free(n);
    }
}

/* One stretch: a rect with its times for the time control and its hover
 * text; the server's TIME_WAIT is a band in the lower third of the row. */
static void strip_span(FILE *f, const struct html_strip *s, const struct html_span *sp,
                       simtime duration, double y0, double rh)
{
    static const char *const cls[] = {"", "inuse", "tw", "srvtw", "bound"};
    static const char *const words[] = {"", "in use", "TIME_WAIT (client)",
                                        "TIME_WAIT kept by the server",
                                        "BOUND: held by a leaked socket"};
    double x0 = x_of(sp->t0, duration), x1 = x_of(sp->t1, duration);
    double w = x1 - x0 < 0.6 ? 0.6 : x1 - x0, y = y0 + rh * sp->row, h = rh;
    uint32_t port = s->first_port + sp->row % s->ports_per_pool;
    uint32_t st = sp->state <= HTML_BOUND ? sp->state : HTML_FREE;
    char a[FMT_BUF], b[FMT_BUF], what[64];

    if (st == HTML_SERVER_TW) {
        y += rh * 2 / 3;
        h = rh / 3;
    }
    snprintf(what, sizeof(what), "port %u: %s", port, words[st]);
    fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
            "fill=\"%s\" data-t0=\"%s\" data-t1=\"%s\" data-what=\"%s\"><title>%s, %s-%s s"
            "</title></rect>\n", cls[st], x0, y, w, h,
            st == HTML_IN_USE ? C_IN_USE : st == HTML_TIME_WAIT ? "url(#hatch)"
            : st == HTML_BOUND ? C_BOUND : C_SRV_TW,
            secs(simtime_to_s(sp->t0), a, sizeof(a)), secs(simtime_to_s(sp->t1), b, sizeof(b)),
            what, what, a, b);
}

static void strip_chart(FILE *f, const struct html_page *pg)
{
    const struct html_strip *s = pg->strip;
    double rh = row_height(s->nrows), lane_y = 48, y0 = 64, h = rh * s->nrows;
    uint32_t every = rh >= 10 ? 1 : (uint32_t)ceil(14.0 / rh);

    fprintf(f, "<svg class=\"strip\" viewBox=\"0 0 %d %.0f\" role=\"img\" aria-label=\"state "
            "of every port over time\">\n", SVG_W, y0 + h + 50);
    defs(f);
    /* legend */
    fprintf(f, "<g transform=\"translate(%.1f 6)\">"
            "<rect x=\"0\" y=\"0\" width=\"22\" height=\"12\" fill=\"#fff\" stroke=\"#555\"/>"
            "<text x=\"28\" y=\"11\">free</text>"
            "<rect x=\"70\" y=\"0\" width=\"22\" height=\"12\" fill=\"%s\"/>"
            "<text x=\"98\" y=\"11\">in use</text>"
            "<rect x=\"154\" y=\"0\" width=\"22\" height=\"12\" fill=\"url(#hatch)\" "
            "stroke=\"%s\" stroke-width=\"0.5\"/><text x=\"182\" y=\"11\">TIME_WAIT</text>",
            PLOT_X0, C_IN_USE, C_TW);
    mark(f, 276, 6, 5, 0, 0);
    fputs("<text x=\"288\" y=\"11\">connect() failed: no port left (top lane)</text>", f);
    mark(f, 560, 6, 5, 1, 0);
    fprintf(f, "<text x=\"572\" y=\"11\">failed: TIME_WAIT collision (on its port)</text>"
            "<rect x=\"0\" y=\"20\" width=\"22\" height=\"5\" fill=\"%s\"/><text x=\"28\" "
            "y=\"27\">the server keeps TIME_WAIT for the port (lower band; the client's port "
            "is free)</text></g>\n", C_SRV_TW);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">failures</text>\n",
            PLOT_X0 - 6, lane_y + 4);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>\n",
            PLOT_X0, lane_y, PLOT_X1, lane_y);
    for (uint32_t r = 0; r < s->nrows; r++) {
        double y = y0 + rh * r;

        fprintf(f, "<rect class=\"row\" data-port=\"%u\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"#fff\" stroke=\"#bbb\" stroke-width=\"%s\"/>\n",
                s->first_port + r % s->ports_per_pool, PLOT_X0, y, PLOT_X1 - PLOT_X0, rh,
                rh >= 4 ? "0.5" : "0");
        if (r % every == 0) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", PLOT_X0 - 6,
                    y + rh / 2 + 4);
            if (s->nrows > s->ports_per_pool)
                fprintf(f, "%u/", r / s->ports_per_pool);
            fprintf(f, "%u</text>\n", s->first_port + r % s->ports_per_pool);
        }
    }
    for (size_t i = 0; i < s->nspans; i++)
        strip_span(f, s, &s->spans[i], pg->duration, y0, rh);
    strip_marks(f, s, pg->duration, y0, rh, lane_y);
    cursor(f, lane_y - 8, y0 + h);
    fprintf(f, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">"
            "local port</text>\n", y0 + h / 2);
    time_axis(f, y0 + h, pg->duration);
    fputs("</svg>\n", f);
    if (s->complete_until < pg->duration) {
        fprintf(f, "<p class=\"note\">The collector's cap on stretches was reached: the chart "
                "is complete up to t = %.3f s only.</p>\n", simtime_to_s(s->complete_until));
    }
    if (s->marks_dropped) {
        fprintf(f, "<p class=\"note\">%" PRIu64 " further failures are not marked (cap on "
                "marks).</p>\n", s->marks_dropped);
    }
}

/* ---- The heat map ---- */

/* The shade of a cell whose ports are 'use' in use and 'tw' in TIME_WAIT
 * (shares, use + tw <= 1): white moved toward dark blue by 'use' and toward
 * orange by 'tw', so a pool full of connections and one full of TIME_WAIT
 * look different. */
static const char *shade(double use, double tw, char *buf, size_t size)
{
    static const int in_use[3] = {0x1f, 0x35, 0x56}, twc[3] = {0xe0, 0x7b, 0x00};
    int c[3];

    use = use < 0 ? 0 : use > 1 ? 1 : use;
    tw = tw < 0 ? 0 : tw > 1 - use ? 1 - use : tw;
    for (int k = 0; k < 3; k++)
        c[k] = (int)lround(255 + use * (in_use[k] - 255) + tw * (twc[k] - 255));
    snprintf(buf, size, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

static void heat_map(FILE *f, const struct html_page *pg)
{
    const struct html_heat *h = pg->heat;
    double rh = 480.0 / h->nrows, y0 = 52, cw = (PLOT_X1 - PLOT_X0) / h->ncols;
    char g[16], g2[16];         /* two: both shades go into one fprintf */

    fprintf(f, "<svg class=\"heat\" shape-rendering=\"crispEdges\" viewBox=\"0 0 %d %.0f\" "
            "role=\"img\" aria-label=\"pool occupancy over time\">\n", SVG_W, y0 + 480 + 50);
    fprintf(f, "<g transform=\"translate(%.1f 8)\"><text x=\"0\" y=\"11\">share of each row's "
            "ports in use (blue) and in TIME_WAIT (orange):</text>", PLOT_X0);
    for (int i = 0; i <= 4; i++) {
        fprintf(f, "<rect x=\"%d\" y=\"0\" width=\"26\" height=\"12\" fill=\"%s\" "
                "stroke=\"#555\" stroke-width=\"0.5\"><title>%d%% in use</title></rect>"
                "<rect x=\"%d\" y=\"14\" width=\"26\" height=\"12\" fill=\"%s\" "
                "stroke=\"#555\" stroke-width=\"0.5\"><title>%d%% in TIME_WAIT</title></rect>"
                "<text x=\"%d\" y=\"38\" text-anchor=\"middle\">%d%%</text>", 400 + 36 * i,
                shade(i / 4.0, 0, g, sizeof(g)), 25 * i, 400 + 36 * i,
                shade(0, i / 4.0, g2, sizeof(g2)), 25 * i, 413 + 36 * i, 25 * i);
    }
    fputs("</g>\n", f);
    for (uint32_t r = 0; r < h->nrows; r++) {
        for (uint32_t c = 0; c < h->ncols; c++) {
            size_t k = (size_t)r * h->ncols + c;

            fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                    "fill=\"%s\"/>\n", PLOT_X0 + cw * c, y0 + rh * r, cw + 0.05, rh + 0.05,
                    shade(h->in_use[k], h->time_wait[k], g, sizeof(g)));
        }
        if (r % (uint32_t)ceil(16.0 / rh) == 0)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%u</text>\n",
                    PLOT_X0 - 6, y0 + rh * r + 10, h->first_port + r * h->ports_per_row);
    }
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"480\" fill=\"none\" "
            "stroke=\"#555\"/>\n", PLOT_X0, y0, PLOT_X1 - PLOT_X0);
    cursor(f, y0, y0 + 480);
    fprintf(f, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">"
            "local port (%u per row)</text>\n", y0 + 240, h->ports_per_row);
    time_axis(f, y0 + 480, pg->duration);
    fputs("</svg>\n", f);
}

/* ---- The time control ---- */

/* The samples for the script (at most 4000, as the line chart draws them):
 * t (s), in use, TIME_WAIT, failed connect() calls up to then. */
static void series_json(FILE *f, const struct html_page *pg)
{
    size_t stride = pg->nsamples > 4000 ? (pg->nsamples + 3999) / 4000 : 1;
    uint64_t sum = 0;
    char b[FMT_BUF];

    fputs("<script type=\"application/json\" id=\"series\">{\"t\":[", f);
    for (size_t i = 0; i < pg->nsamples; i += stride)
        fprintf(f, "%s%s", i ? "," : "", fmt_seconds(pg->samples[i].t, b, sizeof(b)));
    for (int k = 0; k < 2; k++) {
        fprintf(f, "],\"%s\":[", k ? "w" : "u");
        for (size_t i = 0; i < pg->nsamples; i += stride)
            fprintf(f, "%s%u", i ? "," : "", k ? pg->samples[i].time_wait
                                               : pg->samples[i].in_use);
    }
    fputs("],\"f\":[", f);
    for (size_t i = 0, j = 0; i < pg->nsamples; i++) {
        sum += pg->samples[i].failures;
        if (i == j) {
            fprintf(f, "%s%" PRIu64, i ? "," : "", sum);
            j += stride;
        }
    }
    fputs("]}</script>\n", f);
}

static void clock_block(FILE *f, const struct html_page *pg)
{
    char d[FMT_BUF], st[FMT_BUF];
    double dur = simtime_to_s(pg->duration);

    fprintf(f, "<div class=\"clock\"><label>time <input id=\"clock-t\" type=\"range\" "
            "min=\"0\" max=\"%s\" step=\"%s\" value=\"0\"></label> <button id=\"clock-play\" "
            "type=\"button\">play</button> <small>(or add <code>#t=SECONDS</code> to the "
            "address)</small><output id=\"clock-now\">t = 0 s</output>"
            "<pre id=\"clock-near\"></pre></div>\n", fmt_double(dur, d, sizeof(d)),
            fmt_double(dur / 1000, st, sizeof(st)));
}

/* ---- Public ---- */

int html_write(const char *path, const struct html_page *pg, struct err *e)
{
    struct outfile out;
    FILE *f;
    int rc;

    /* written beside 'path' and renamed over it when complete: an existing
     * page is never truncated first, a full disk never leaves half a page */
    if ((rc = outfile_open(&out, path, e)) != 0)
        return rc;
    f = out.f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" CLOCK_JS_SHA256 "'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    esc(f, pg->title);
    fputs(" - portsim</title>\n<style>", f);
    fputs(css, f);
    fputs("</style></head><body>\n<h1>", f);
    esc(f, pg->title);
    fputs("</h1>\n<p class=\"sub\">", f);
    esc(f, pg->subtitle);
    fputs("</p>\n<h2>Summary</h2>\n", f);
    figures(f, pg);
    clock_block(f, pg);
    fputs("<h2>Ports in use and in TIME_WAIT</h2>\n", f);
    if (pg->nsamples) {
        line_chart(f, pg);
        fail_lane(f, pg);
    } else
        fputs("<p class=\"note\">No samples (run.sample_interval = 0).</p>\n", f);
    if (pg->lanes && pg->lanes->nips && pg->nsamples) {
        fputs("<h2>NAT ports per public IP</h2>\n", f);
        nat_lanes(f, pg);
    }
    if (pg->strip) {
        fputs("<h2>Every port over time</h2>\n", f);
        strip_chart(f, pg);
    } else if (pg->heat) {
        fputs("<h2>Pool occupancy over time</h2>\n", f);
        heat_map(f, pg);
    }
    if (pg->note) {
        fputs("<p class=\"note\">", f);
        esc(f, pg->note);
        fputs("</p>\n", f);
    }
    fputs("<h2>Scenario</h2>\n", f);
    params_table(f, pg->params_json);
    series_json(f, pg);
    fputs("<script>", f);
    fputs(clock_js, f);
    fputs("</script>\n", f);
    fputs("<p class=\"foot\">Made by portsim, a deterministic simulator of TCP ephemeral ports "
          "and TIME_WAIT. Times are simulated seconds.</p>\n</body></html>\n", f);
    return outfile_commit(&out, e);
}
