/* theory_text.c - the words of 'portsim theory' (see theory_text.h).
 *
 * How: one labelled line per figure, the text wrapped under column 14 before
 * column 100 (a number keeps its unit), counts through sim/fmt.h; the notes
 * that models/theory.c wrote follow, one bullet each.
 * Invariant: prints only; every figure comes from struct theory or the
 * scenario.  Cost: O(length of the text).
 */
#include "cli/theory_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "models/names.h"
#include "models/profiles.h"
#include "models/stack.h"
#include "sim/fmt.h"


/* Seconds, with up to three decimals and no trailing zeros: "240", "61.024". */
static const char *fmt_s(double v, char *buf, size_t size)
{
    char *dot;
    size_t len;

    snprintf(buf, size, "%.3f", v);
    dot = strchr(buf, '.');
    if (dot) {
        len = strlen(buf);
        while (len > 0 && buf[len - 1] == '0')
            buf[--len] = '\0';
        if (len > 0 && buf[len - 1] == '.')
            buf[--len] = '\0';
    }
    return buf;
}

/* A rate that may be unbounded: "16.57", "40", "1,362". */
static const char *fmt_rate(double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "unbounded");
    else if (v >= 1000.0)
        fmt_count_d(v, buf, size);
    else if (v == floor(v))
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.2f", v);
    return buf;
}

/* Print 'text' from column 'col' on, breaking between words before column
 * 100 and going on at column 'indent'. */
static void wrap(FILE *f, const char *text, size_t len, size_t col, size_t indent)
{
    const size_t width = 100;
    size_t i = 0;
    bool first = true;

    while (i < len) {
        size_t w = 0;

        while (i + w < len && text[i + w] != ' ')
            w++;
        /* Keep a number with its unit: "1.024 s" never breaks. */
        if (i + w + 1 < len && text[i + w + 1] == 's' &&
            (i + w + 2 == len || strchr(" ),;.:", text[i + w + 2]) != NULL)) {
            w += 2;
            while (i + w < len && text[i + w] != ' ')
                w++;
        }
        if (!first && col + 1 + w > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", (int)w, text + i);
        col += w;
        i += w;
        first = false;
        while (i < len && text[i] == ' ')
            i++;
    }
    fputc('\n', f);
}

#define LABEL_WIDTH 14

/* One labelled line of the output: "label         text", wrapped under the text. */
static void line(FILE *f, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line(FILE *f, const char *label, const char *fmt, ...)
{
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fprintf(f, "%-*s", LABEL_WIDTH, label);
    wrap(f, text, strlen(text), LABEL_WIDTH, LABEL_WIDTH);
}

/* Append to 'buf' (of 'size'), keeping it NUL-terminated when it fills. */
static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;

    if (used + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

static void print_holding(FILE *f, const struct scenario_params *p, const struct theory *t)
{
    char text[512] = "";
    char a[32], b[32];

    append(text, sizeof(text), "%s s a connection = %s s service",
           fmt_s(t->holding_s, a, sizeof(a)), fmt_s(t->service_s, b, sizeof(b)));
    if (t->idle_s > 0.0)
        append(text, sizeof(text), " + %s s idle (cache_ttl)", fmt_s(t->idle_s, a, sizeof(a)));
    if (t->time_wait_s > 0.0) {
        append(text, sizeof(text), " + %s s TIME_WAIT",
               fmt_s(simtime_to_s(p->stack.time_wait_ns), a, sizeof(a)));
        if (p->stack.timer_tick_ns > 0)
            append(text, sizeof(text), " + %s s (half the %s s timer tick)",
                   fmt_s(simtime_to_s(p->stack.timer_tick_ns) / 2, a, sizeof(a)),
                   fmt_s(simtime_to_s(p->stack.timer_tick_ns), b, sizeof(b)));
    } else if (p->workload.close != CLOSE_CLIENT) {
        append(text, sizeof(text), " (close = %s: no client TIME_WAIT)",
               names_of(&names_close, p->workload.close));
    } else {
        append(text, sizeof(text), " (time_wait 0)");
    }
    line(f, "holding time", "%s", text);
}

/* Issue 17: candidates per connect() at a few occupancies and at this
 * scenario's (busiest group's Erlangs / N), with the cost model's time. */
static void print_candidates(FILE *f, const struct stack_params *s, const struct theory *t)
{
    static const double occ[] = {0.25, 0.49, 0.5, 0.75, 0.9, 0.99, -1};
    bool cost = s->connect_cost_ns || s->candidate_cost_ns || s->lookup_cost_ns;
    char a[32], b[32], text[160];

    line(f, "candidates", "ports a connect() examines when a share of the N = %s is taken "
         "(sequential: n / (n - k); double-hash: even ports first)%s",
         fmt_count(t->n, a, sizeof(a)), cost ? ", and double-hash's time" : "");
    for (size_t i = 0; i < sizeof(occ) / sizeof(occ[0]); i++) {
        double share = occ[i] >= 0 ? occ[i] : fmin(1.0, t->busiest_erlangs / (double)t->n);
        uint64_t k = (uint64_t)(share * (double)t->n + 0.5);
        double seq = theory_candidates_sequential(t->n, k);
        double dh = theory_candidates_double_hash(t->n, k);

        snprintf(text, sizeof(text), "%s%.4g%% taken: sequential %s, double-hash %s",
                 occ[i] >= 0 ? "" : "this scenario, ", 100.0 * share,
                 fmt_s(seq, a, sizeof(a)), fmt_s(dh, b, sizeof(b)));
        if (cost) {
            /* every candidate but the last one taken needs a lookup */
            double ns = (double)s->connect_cost_ns + dh * (double)s->candidate_cost_ns +
                        (dh - 1) * (double)s->lookup_cost_ns;
            size_t used = strlen(text);

            if (ns >= 1e6)
                snprintf(text + used, sizeof(text) - used, " (%.3g ms)", ns / 1e6);
            else
                snprintf(text + used, sizeof(text) - used, " (%.3g us)", ns / 1e3);
        }
        line(f, "", "%s", text);
    }
}

/* Issue 17: when the TCP clock wraps within the run, TIME_WAIT closed from
 * t_wrap - TIME_WAIT on never ends, and the N ports last N / open rate. */
static void print_wrap(FILE *f, const struct scenario_params *p, const struct theory *t)
{
    const struct stack_params *s = &p->stack;
    simtime at;
    double from, gone;
    char a[32], b[32], c[32], d[32], g[32];

    if (s->clock_wrap_ns == 0 || s->clock_wrap_fix == YESNO_YES)
        return;
    at = s->uptime_ns >= s->clock_wrap_ns ? 0 : s->clock_wrap_ns - s->uptime_ns;
    if (at >= p->run.duration_ns)
        return;
    from = fmax(0.0, simtime_to_s(at) - t->time_wait_s);
    gone = from + (double)t->n / t->open_rate_per_s;
    line(f, "clock wrap", "at t = %s s the TCP clock wraps: TIME_WAIT closed from t = %s s on "
         "never ends; the %s ports are gone %s s later, at about t = %s s",
         fmt_s(simtime_to_s(at), a, sizeof(a)), fmt_s(from, b, sizeof(b)),
         fmt_count(t->n, c, sizeof(c)), fmt_s((double)t->n / t->open_rate_per_s, d, sizeof(d)),
         fmt_s(gone, g, sizeof(g)));
}

/* The pool: its ports, reserved ones, pools, and how destinations share it. */
static void print_pool(FILE *f, const struct stack_params *s, const struct theory *t)
{
    char text[512] = "";
    char a[32];

    append(text, sizeof(text), "%s ports (%u-%u", fmt_count(t->ports, a, sizeof(a)), s->port_min,
           s->port_max);
    if (t->reserved > 0)
        append(text, sizeof(text), ", %s reserved", fmt_count(t->reserved, a, sizeof(a)));
    append(text, sizeof(text), ") x %u pool%s (pool = %s) = N = %s", t->pools,
           t->pools == 1 ? "" : "s", names_of(&names_pool, s->pool),
           fmt_count(t->n, a, sizeof(a)));
    line(f, "port pool", "%s", text);
    if (t->groups == 1)
        line(f, "sharing", "%s: one pool for every destination",
             names_of(&names_sharing, s->port_sharing));
    else
        line(f, "sharing", "%s: each of the %u servers has its own copy of the pool (N each) "
                           "and its part of the load; the busiest gets %.3g%% of the opens",
             names_of(&names_sharing, s->port_sharing), t->groups, 100.0 * t->busiest_share);
}

/* The headline: the sustainable rate in the profile's own numbers,
 * "3,976 ports (1025-5000) / 240 s TIME_WAIT = 16.57 connections/s". */
static void print_sustainable(FILE *f, const struct stack_params *s, const struct theory *t)
{
    char text[512] = "";
    char a[32], b[32], c[32];

    if (t->flags & THEORY_TW_CAPPED)    /* issue 11: TIME_WAIT held to max_time_wait */
        append(text, sizeof(text), "%s ports (N - max_time_wait %u)%s / %s s service and idle",
               fmt_count(t->n - s->max_time_wait, a, sizeof(a)), s->max_time_wait,
               t->groups > 1 ? " per server" : "",
               fmt_s(t->service_s + t->idle_s, b, sizeof(b)));
    else
        append(text, sizeof(text), "%s ports (%u-%u)%s / %s s %s", fmt_count(t->n, a, sizeof(a)),
               s->port_min, s->port_max, t->groups > 1 ? " per server" : "",
               fmt_s(t->holding_s, b, sizeof(b)),
               t->time_wait_s > 0.0 && t->holding_s == simtime_to_s(s->time_wait_ns)
                   ? "TIME_WAIT" : "holding");
    if (t->groups > 1 && t->busiest_share < 1.0)
        append(text, sizeof(text), " / %.3g%% (busiest server)", 100.0 * t->busiest_share);
    append(text, sizeof(text), " = %s connections/s sustainable",
           fmt_rate(t->sustainable_rate_per_s, c, sizeof(c)));
    line(f, "sustainable", "%s", text);
}

/* The closed form's caveats, one wrapped item each. */
static void print_notes(FILE *f, const struct theory *t)
{
    const char *note = t->note;

    if (note[0] == '\0')
        return;
    fprintf(f, "notes:\n");
    while (*note) {
        const char *end = strchr(note, '\n');
        size_t len = end ? (size_t)(end - note) : strlen(note);

        fprintf(f, "  - ");
        wrap(f, note, len, 4, 4);
        note += len + (end != NULL);
    }
}

void theory_text_print(FILE *f, const struct scenario_params *p, const struct theory *t)
{
    const struct profile *prof = profile_get(p->stack.profile);
    /* issue 11: the stack as workload.bind leaves it, as theory_compute() sees it */
    const struct stack_params bound = stack_params_bound(&p->stack, p->workload.bind);
    const struct stack_params *s = &bound;
    char text[512] = "";
    char a[32], b[32], c[32];

    line(f, "profile", "%s: %s", prof->name, prof->systems);
    print_pool(f, s, t);
    print_holding(f, p, t);
    print_sustainable(f, s, t);

    if (t->offered_erlangs >= 1000.0)
        fmt_count_d(t->offered_erlangs, c, sizeof(c));
    else
        snprintf(c, sizeof(c), "%.4g", t->offered_erlangs);
    line(f, "offered", "%s requests/s -> %s connections/s x %s s = %s Erlangs",
         fmt_rate(t->request_rate_per_s, a, sizeof(a)), fmt_rate(t->open_rate_per_s, b, sizeof(b)),
         fmt_s(t->holding_s, text, sizeof(text)), c);
    line(f, "blocking", "Erlang B = %.4g: %.3g%% of connect() calls fail with %s%s%s",
         t->blocking, 100.0 * t->blocking, prof->exhausted_error,
         prof->exhausted_event ? " and " : "", prof->exhausted_event ? prof->exhausted_event : "");
    if (isfinite(t->exhaustion_s))
        line(f, "exhaustion", "an empty pool runs out after %s s at this rate",
             fmt_s(t->exhaustion_s, a, sizeof(a)));
    else if (t->flags & THEORY_TW_CAPPED)
        line(f, "exhaustion", "never through TIME_WAIT: at most max_time_wait = %u of the N "
                              "ports are in TIME_WAIT", s->max_time_wait);
    else
        line(f, "exhaustion", "never at this rate (%.4g Erlangs <= N on the busiest pool)",
             t->busiest_erlangs);
    line(f, "TIME_WAIT", "about %s client entries (Little: %s closes/s x %s s)",
         fmt_count_d(t->time_wait_population, a, sizeof(a)),
         fmt_rate(t->carried_rate_per_s, b, sizeof(b)), fmt_s(t->time_wait_s, c, sizeof(c)));
    if (p->workload.close == CLOSE_SERVER)
        line(f, "server side", "about %s TIME_WAIT entries on the servers",
             fmt_count_d(t->server_time_wait_population, a, sizeof(a)));
    print_candidates(f, s, t);
    print_wrap(f, p, t);
    print_notes(f, t);
}
