/* summary.c - the human and JSON forms of one run (see summary.h). */
#include "cli/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/stats.h"
#include "cli/cli.h"
#include "sim/xalloc.h"
#include "models/names.h"
#include "models/profiles.h"
#include "models/stack.h"
#include "sim/fmt.h"

static void print_failures(FILE *f, const struct profile *pr, const struct run_output *o)
{
    const struct run_metrics *m = &o->m;
    char a[32], b[32], w[96];
    uint64_t pool = (uint64_t)o->pool_ports * o->pools;

    if (m->failures_exhausted) {
        fprintf(f, "  %s connects failed with %s: no port left\n",
                fmt_count(m->failures_exhausted, a, sizeof(a)),
                profile_error_words(pr, false, w, sizeof(w)));
    }
    if (m->failures_collision) {
        fprintf(f, "  %s connects failed with %s: TIME_WAIT collision with the same server\n",
                fmt_count(m->failures_collision, a, sizeof(a)),
                profile_error_words(pr, true, w, sizeof(w)));
    }
    if (m->has_first_failure) {
        const char *all = o->fail_time_wait >= pool ? "all " : "";

        fprintf(f, "  the first failure came at t = %.1f s, while %s%s of %s ports were in "
                   "TIME_WAIT and %s in use\n",
                m->first_failure_time, all, fmt_count(o->fail_time_wait, a, sizeof(a)),
                fmt_count(pool, b, sizeof(b)),
                fmt_count(o->fail_in_use, w, sizeof(w)));
    }
}

/* Issue 11: closes past max_time_wait, in the profile's words. */
static void print_overflows(FILE *f, const struct profile *pr, const struct scenario_params *p,
                            const struct run_metrics *m)
{
    char a[32], b[32];

    if (!m->time_wait_overflows)
        return;
    fprintf(f, "\n  %s closes found TIME_WAIT full (max_time_wait %s, %s): %s",
            fmt_count(m->time_wait_overflows, a, sizeof(a)),
            fmt_count(p->stack.max_time_wait, b, sizeof(b)),
            names_of(&names_tw_overflow, p->stack.tw_overflow),
            p->stack.tw_overflow == TW_OVERFLOW_DROP_NEW
                ? "closed without TIME_WAIT, port free at once"
                : "the oldest TIME_WAIT entry ended early");
    if (pr->overflow_words)
        fprintf(f, " (%s)", pr->overflow_words);
}

/* "49 d 17 h 2 min 47.296 s" */
static const char *dhms(simtime t, char *buf, size_t size)
{
    uint64_t s = t / SIMTIME_NS_PER_S, ns = t % SIMTIME_NS_PER_S;
    char frac[16] = "";

    if (ns) {
        snprintf(frac, sizeof(frac), ".%09" PRIu64, ns);
        for (size_t n = strlen(frac); n > 1 && frac[n - 1] == '0'; n--)
            frac[n - 1] = '\0';
    }
    snprintf(buf, size, "%" PRIu64 " d %" PRIu64 " h %" PRIu64 " min %" PRIu64 "%s s",
             s / 86400, s / 3600 % 24, s / 60 % 60, s % 60, frac);
    return buf;
}

/* "12.3 us", "1.9 ms" */
static const char *dur_words(uint64_t ns, char *buf, size_t size)
{
    if (ns < 1000)
        snprintf(buf, size, "%" PRIu64 " ns", ns);
    else if (ns < 1000000)
        snprintf(buf, size, "%.1f us", (double)ns / 1e3);
    else if (ns < 1000000000)
        snprintf(buf, size, "%.1f ms", (double)ns / 1e6);
    else
        snprintf(buf, size, "%.2f s", (double)ns / 1e9);
    return buf;
}

/* Issue 17: what connect() cost, leaked sockets, the clock wrap. */
static void print_slow(FILE *f, const struct scenario_params *p, const struct run_output *o)
{
    const struct run_metrics *m = &o->m;
    const struct stack_params *k = &p->stack;
    char a[32], b[32], c[32], d[32], up[128];

    fprintf(f, "  connect() examined %.1f candidate ports on average (p50 %s, p99 %s, max %s)",
            m->candidates_mean, fmt_count(m->candidates_p50, a, sizeof(a)),
            fmt_count(m->candidates_p99, b, sizeof(b)),
            fmt_count(m->candidates_max, c, sizeof(c)));
    if (k->connect_cost_ns || k->candidate_cost_ns || k->lookup_cost_ns)
        fprintf(f, "; it took p50 %s, p99 %s", dur_words(m->connect_latency_p50_ns, a, sizeof(a)),
                dur_words(m->connect_latency_p99_ns, d, sizeof(d)));
    fprintf(f, "\n");
    if (m->peak_bound) {
        fprintf(f, "  %s ports held by leaked sockets (BOUND) at the peak, mean %.1f; %s at the "
                   "end\n", fmt_count(m->peak_bound, a, sizeof(a)), m->mean_bound,
                fmt_count(o->bound_end, b, sizeof(b)));
    }
    if (o->wrap_at < p->run.duration_ns) {
        fprintf(f, "  the TCP clock wrapped at t = %.1f s (uptime %s): %s TIME_WAIT entries "
                   "will never expire\n", simtime_to_s(o->wrap_at),
                dhms(k->clock_wrap_ns, up, sizeof(up)), fmt_count(o->tw_stuck, b, sizeof(b)));
    }
}

/* ---- Issue 12: the NAT ---- */

static void print_nat(FILE *f, const struct scenario_params *p, const struct nat_run_metrics *n)
{
    const struct nat_scope_metrics *t = &n->total;
    char a[32], b[32], c[32];

    fprintf(f, "  NAT %s, %u public IP(s), %u host(s): %s flows, %s SYNs dropped (%s)\n",
            names_of(&names_nat_profile, p->nat.profile), n->nips, n->nhosts,
            fmt_count(t->nat_flows, a, sizeof(a)), fmt_count(t->nat_failures, b, sizeof(b)),
            n->failure_words);
    if (t->nat_first_failure >= 0)
        fprintf(f, "  the NAT dropped its first SYN at t = %.1f s\n", t->nat_first_failure);
    fprintf(f, "  SYN retransmits %s, connect timeouts %s, connect latency p50 %g s, "
               "p99 %g s\n", fmt_count(t->syn_retransmits, a, sizeof(a)),
            fmt_count(t->connect_timeouts, b, sizeof(b)), n->connect_p50_s, n->connect_p99_s);
    fprintf(f, "  NAT ports in use: peak %s, mean %.1f; idle timeouts %s, pooled connections "
               "reset %s\n", fmt_count(t->nat_ports_peak, a, sizeof(a)), t->nat_ports_mean,
            fmt_count(t->nat_idle_timeouts, b, sizeof(b)),
            fmt_count(n->pool_resets, c, sizeof(c)));
    for (uint32_t i = 0; i < n->nips; i++) {
        char first[48] = "";

        if (n->ip[i].nat_first_failure >= 0)
            snprintf(first, sizeof(first), ", first drop at %.1f s", n->ip[i].nat_first_failure);
        fprintf(f, "    IP %u: %s flows, %s dropped, ports peak %s mean %.1f%s\n", i,
                fmt_count(n->ip[i].nat_flows, a, sizeof(a)),
                fmt_count(n->ip[i].nat_failures, b, sizeof(b)),
                fmt_count(n->ip[i].nat_ports_peak, c, sizeof(c)), n->ip[i].nat_ports_mean,
                first);
    }
}

static json_t *nat_scope_json(const struct nat_scope_metrics *m)
{
    json_t *o = json_object();

#define U(name) json_object_set_new(o, #name, json_integer((json_int_t)m->name));
#define D(name) json_object_set_new(o, #name, json_real(m->name));
#define FIELD(name, kind) kind(name)
    NAT_SCOPE_FIELDS(FIELD)
#undef FIELD
#undef U
#undef D
    return o;
}

static json_t *nat_json(const struct nat_run_metrics *n)
{
    json_t *o = nat_scope_json(&n->total), *ips = json_array(), *hosts = json_array();

    json_object_set_new(o, "failure_words", json_string(n->failure_words));
    json_object_set_new(o, "connect_latency_p50", json_real(n->connect_p50_s));
    json_object_set_new(o, "connect_latency_p99", json_real(n->connect_p99_s));
    json_object_set_new(o, "pool_resets", json_integer((json_int_t)n->pool_resets));
    for (uint32_t i = 0; i < n->nips; i++)
        json_array_append_new(ips, nat_scope_json(&n->ip[i]));
    for (uint32_t h = 0; h < n->nhosts; h++)
        json_array_append_new(hosts, nat_scope_json(&n->host[h]));
    json_object_set_new(o, "per_ip", ips);
    json_object_set_new(o, "per_host", hosts);
    return o;
}

void summary_print(FILE *f, const struct scenario *sc, uint64_t seed, uint32_t replication,
                   const struct run_output *o, int64_t run_id)
{
    const struct scenario_params *p = &sc->p;
    const struct profile *pr = profile_get(p->stack.profile);
    const struct run_metrics *m = &o->m;
    char a[32], b[32], c[32], d[32], g[32];
    char id[32] = "not recorded";

    if (run_id > 0)
        snprintf(id, sizeof(id), "run %" PRId64, run_id);
    fprintf(f, "%s (%s), %s, seed %" PRIu64 ", replication %u: %.0f s simulated in %.2f s\n",
            p->run.name, id, pr->name, seed, replication, simtime_to_s(p->run.duration_ns),
            m->wall_seconds);
    if (o->truncated)
        fprintf(f, "  TRUNCATED: stopped at %s s of %.0f s; the figures below cover only that\n",
                fmt_seconds(o->stopped_at, g, sizeof(g)), simtime_to_s(p->run.duration_ns));
    fprintf(f, "  ports %u-%u: %s per pool x %u pool(s); TIME_WAIT %.0f s; %s, %s\n",
            p->stack.port_min, p->stack.port_max, fmt_count(o->pool_ports, a, sizeof(a)),
            o->pools, simtime_to_s(p->stack.time_wait_ns),
            names_of(&names_allocator, p->stack.allocator),
            names_of(&names_sharing,    /* issue 11: as workload.bind leaves it */
                     stack_params_bound(&p->stack, p->workload.bind).port_sharing));
    fprintf(f, "  %s requests: %s from the cache, %s connect() calls, %s connected, "
               "%s requests failed\n",
            fmt_count(m->requests, a, sizeof(a)), fmt_count(m->cache_hits, b, sizeof(b)),
            fmt_count(m->connect_attempts, c, sizeof(c)), fmt_count(m->connects, d, sizeof(d)),
            fmt_count(m->requests_failed, g, sizeof(g)));
    if (m->connect_failures == 0)
        fprintf(f, "  no connect() failed\n");
    print_failures(f, pr, o);
    fprintf(f, "  TIME_WAIT: peak %s, mean %.1f; ports in use: peak %s, mean %.1f",
            fmt_count(m->peak_time_wait, a, sizeof(a)), m->mean_time_wait,
            fmt_count(m->peak_in_use, b, sizeof(b)), m->mean_in_use);
    if (m->peak_server_time_wait)
        fprintf(f, "; server-side TIME_WAIT: peak %s",
                fmt_count(m->peak_server_time_wait, c, sizeof(c)));
    print_overflows(f, pr, p, m);
    fprintf(f, "\n");
    print_slow(f, p, o);
    if (o->nat.on)
        print_nat(f, p, &o->nat);
    fprintf(f, "  digest %016" PRIx64 ", %s events\n", m->digest,
            fmt_count(m->events, a, sizeof(a)));
}

static json_t *metrics_json(const struct run_metrics *m)
{
    json_t *o = json_object();
    char hex[20];

#define U(name) json_object_set_new(o, #name, json_integer((json_int_t)m->name));
#define D(name) json_object_set_new(o, #name, json_real(m->name));
#define T(name) json_object_set_new(o, #name, \
                                   m->has_first_failure ? json_real(m->name) : json_null());
#define H(name) snprintf(hex, sizeof(hex), "%016" PRIx64, m->name); \
                json_object_set_new(o, #name, json_string(hex));
#define FIELD(name, kind) kind(name)
    METRICS_FIELDS(FIELD)
#undef FIELD
#undef U
#undef D
#undef T
#undef H
    return o;
}

void summary_json(FILE *f, const struct scenario *sc, uint64_t seed, uint32_t replication,
                  const struct run_output *out, int64_t run_id)
{
    json_t *root = json_object();
    json_t *params = json_loads(sc->json, 0, NULL);
    char seedbuf[24];
    char *text;

    snprintf(seedbuf, sizeof(seedbuf), "%" PRIu64, seed);
    json_object_set_new(root, "params", params ? params : json_null());
    json_object_set_new(root, "params_hash", json_string(sc->hash));
    /* seeds go up to 2^64 - 1, past JSON's safe integers: a string */
    json_object_set_new(root, "seed", json_string(seedbuf));
    json_object_set_new(root, "replication", json_integer(replication));
    json_object_set_new(root, "metrics", metrics_json(&out->m));
    if (out->nat.on)
        json_object_set_new(root, "nat", nat_json(&out->nat));
    json_object_set_new(root, "run_id", run_id > 0 ? json_integer(run_id) : json_null());
    if (out->truncated)         /* only then, so a complete run's JSON is as it was */
        json_object_set_new(root, "truncated_at", json_real(simtime_to_s(out->stopped_at)));
    text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    fprintf(f, "%s\n", text);
    free(text);
    json_decref(root);
}

/* The headline figures of one run, in the order of the lines below. */
enum { HEADLINES = 5 };

static void headlines(const struct run_metrics *m, double *x)
{
    x[0] = m->connect_attempts ? (double)m->connect_failures / (double)m->connect_attempts : 0;
    x[1] = m->requests ? (double)m->requests_failed / (double)m->requests : 0;
    x[2] = (double)m->peak_time_wait;
    x[3] = m->mean_time_wait;
    x[4] = (double)m->peak_in_use;
}

void summary_replications(FILE *f, const struct run_metrics *ms, size_t n)
{
    static const char *const label[HEADLINES] = {
        "failed connect() share", "failed request share", "TIME_WAIT peak",
        "TIME_WAIT mean", "ports in use, peak",
    };
    double *col;

    if (n < 2)
        return;
    col = xmalloc(n * sizeof(*col));
    fprintf(f, "over %zu replications: mean [95%% Student t interval]\n", n);
    for (int k = 0; k < HEADLINES; k++) {
        struct stats_mean sm;

        for (size_t i = 0; i < n; i++) {
            double x[HEADLINES];

            headlines(&ms[i], x);
            col[i] = x[k];
        }
        stats_mean_ci(col, n, STATS_LEVEL, &sm);
        if (k < 2)
            fprintf(f, "  %-24s %.4f%% [%.4f%%, %.4f%%]\n", label[k], 100 * sm.mean,
                    100 * sm.lo, 100 * sm.hi);
        else
            fprintf(f, "  %-24s %.1f [%.1f, %.1f]\n", label[k], sm.mean, sm.lo, sm.hi);
    }
    free(col);
}
