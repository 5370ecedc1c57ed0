/* summary.c - the human and JSON forms of one run (see summary.h). */
#include "cli/summary.h"

#include <inttypes.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli/cli.h"
#include "models/names.h"
#include "models/profiles.h"

static void print_failures(FILE *f, const struct profile *pr, const struct run_output *o)
{
    const struct run_metrics *m = &o->m;
    char a[32], b[32], w[96];
    uint64_t pool = (uint64_t)o->pool_ports * o->pools;

    if (m->failures_exhausted) {
        fprintf(f, "  %s connects failed with %s: no port left\n",
                cli_count(m->failures_exhausted, a, sizeof(a)),
                profile_error_words(pr, false, w, sizeof(w)));
    }
    if (m->failures_collision) {
        fprintf(f, "  %s connects failed with %s: TIME_WAIT collision with the same server\n",
                cli_count(m->failures_collision, a, sizeof(a)),
                profile_error_words(pr, true, w, sizeof(w)));
    }
    if (m->has_first_failure) {
        const char *all = o->fail_time_wait >= pool ? "all " : "";

        fprintf(f, "  the first failure came at t = %.1f s, while %s%s of %s ports were in "
                   "TIME_WAIT and %s in use\n",
                m->first_failure_time, all, cli_count(o->fail_time_wait, a, sizeof(a)),
                cli_count(pool, b, sizeof(b)),
                cli_count(o->fail_in_use, w, sizeof(w)));
    }
}

/* ---- Issue 12: the NAT ---- */

static void print_nat(FILE *f, const struct scenario_params *p, const struct nat_run_metrics *n)
{
    const struct nat_scope_metrics *t = &n->total;
    char a[32], b[32], c[32];

    fprintf(f, "  NAT %s, %u public IP(s), %u host(s): %s flows, %s SYNs dropped (%s)\n",
            names_of(&names_nat_profile, p->nat.profile), n->nips, n->nhosts,
            cli_count(t->nat_flows, a, sizeof(a)), cli_count(t->nat_failures, b, sizeof(b)),
            n->failure_words);
    if (t->nat_first_failure >= 0)
        fprintf(f, "  the NAT dropped its first SYN at t = %.1f s\n", t->nat_first_failure);
    fprintf(f, "  SYN retransmits %s, connect timeouts %s, connect latency p50 %g s, "
               "p99 %g s\n", cli_count(t->syn_retransmits, a, sizeof(a)),
            cli_count(t->connect_timeouts, b, sizeof(b)), n->connect_p50_s, n->connect_p99_s);
    fprintf(f, "  NAT ports in use: peak %s, mean %.1f; idle timeouts %s, pooled connections "
               "reset %s\n", cli_count(t->nat_ports_peak, a, sizeof(a)), t->nat_ports_mean,
            cli_count(t->nat_idle_timeouts, b, sizeof(b)),
            cli_count(n->pool_resets, c, sizeof(c)));
    for (uint32_t i = 0; i < n->nips; i++) {
        char first[48] = "";

        if (n->ip[i].nat_first_failure >= 0)
            snprintf(first, sizeof(first), ", first drop at %.1f s", n->ip[i].nat_first_failure);
        fprintf(f, "    IP %u: %s flows, %s dropped, ports peak %s mean %.1f%s\n", i,
                cli_count(n->ip[i].nat_flows, a, sizeof(a)),
                cli_count(n->ip[i].nat_failures, b, sizeof(b)),
                cli_count(n->ip[i].nat_ports_peak, c, sizeof(c)), n->ip[i].nat_ports_mean,
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
    fprintf(f, "  ports %u-%u: %s per pool x %u pool(s); TIME_WAIT %.0f s; %s, %s\n",
            p->stack.port_min, p->stack.port_max, cli_count(o->pool_ports, a, sizeof(a)),
            o->pools, simtime_to_s(p->stack.time_wait_ns),
            names_of(&names_allocator, p->stack.allocator),
            names_of(&names_sharing, p->stack.port_sharing));
    fprintf(f, "  %s requests: %s from the cache, %s connect() calls, %s connected, "
               "%s requests failed\n",
            cli_count(m->requests, a, sizeof(a)), cli_count(m->cache_hits, b, sizeof(b)),
            cli_count(m->connect_attempts, c, sizeof(c)), cli_count(m->connects, d, sizeof(d)),
            cli_count(m->requests_failed, g, sizeof(g)));
    if (m->connect_failures == 0)
        fprintf(f, "  no connect() failed\n");
    print_failures(f, pr, o);
    fprintf(f, "  TIME_WAIT: peak %s, mean %.1f; ports in use: peak %s, mean %.1f",
            cli_count(m->peak_time_wait, a, sizeof(a)), m->mean_time_wait,
            cli_count(m->peak_in_use, b, sizeof(b)), m->mean_in_use);
    if (m->peak_server_time_wait)
        fprintf(f, "; server-side TIME_WAIT: peak %s",
                cli_count(m->peak_server_time_wait, c, sizeof(c)));
    fprintf(f, "\n");
    if (o->nat.on)
        print_nat(f, p, &o->nat);
    fprintf(f, "  digest %016" PRIx64 ", %s events\n", m->digest,
            cli_count(m->events, a, sizeof(a)));
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
    text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    fprintf(f, "%s\n", text);
    free(text);
    json_decref(root);
}
