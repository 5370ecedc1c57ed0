/* cmd_profiles.c - 'portsim profiles': the eight stack profiles as a table.
 *
 * One row per profile with the values a scenario gets when it names the
 * profile and sets nothing else (models/profiles.c); the sources of every
 * value are in the README ("Stack profiles").  --json: one array, an object
 * per profile with the stack.* keys' names (durations in seconds) and the
 * errors a user sees ("kind": "stack"), then one per NAT profile with the
 * nat.* keys' names and the vendor's words ("kind": "nat", issue 12).
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cli/cmd.h"
#include "models/names.h"
#include "models/natprofiles.h"
#include "models/profiles.h"

static void row(const struct profile *pf)
{
    const struct stack_params *p = &pf->defaults;
    char range[32], tw[64], errs[128], cap[48];

    snprintf(range, sizeof(range), "%u-%u", p->port_min, p->port_max);
    if (p->timer_tick_ns)
        snprintf(tw, sizeof(tw), "%g s (tick %g s)", simtime_to_s(p->time_wait_ns),
                 simtime_to_s(p->timer_tick_ns));
    else
        snprintf(tw, sizeof(tw), "%g s", simtime_to_s(p->time_wait_ns));
    if (p->max_time_wait)       /* issue 11: the cap at the default memory and range */
        snprintf(cap, sizeof(cap), "%u %s%s", p->max_time_wait,
                 p->tw_overflow == TW_OVERFLOW_DROP_NEW ? "drop-new" : "recycle",
                 pf->cap_rule != PROFILE_CAP_FIXED ? "+" : "");
    else
        snprintf(cap, sizeof(cap), "none");
    snprintf(errs, sizeof(errs), "%s%s%s / %s%s%s", pf->exhausted_error,
             pf->exhausted_event ? " " : "", pf->exhausted_event ? pf->exhausted_event : "",
             pf->collision_error, pf->collision_event ? " " : "",
             pf->collision_event ? pf->collision_event : "");
    printf("%-8s %-12s %6u  %-20s %-15s %-11s %-15s %-11s %-14s %-9s %s\n", pf->name, range,
           p->port_max - p->port_min + 1, tw, cap,
           p->allocator == ALLOC_RANDOM && p->random_fallback_cps ? "random*"
                                                                   : names_of(&names_allocator,
                                                                              p->allocator),
           names_of(&names_sharing, p->port_sharing), names_of(&names_pool, p->pool),
           names_of(&names_reuse, p->reuse_time_wait), names_of(&names_collision, p->collision),
           errs);
}

/* Issue 17: the profiles with a connect() cost model or a TCP clock wrap. */
static void slow_notes(void)
{
    for (int i = 0; i < PROFILE_COUNT; i++) {
        const struct profile *pf = profile_get((enum profile_id)i);
        const struct stack_params *p = &pf->defaults;

        if (p->connect_cost_ns || p->candidate_cost_ns || p->lookup_cost_ns)
            printf("%s: connect() costs %g us + %g ns a candidate + %g ns a lookup "
                   "(stack.connect_cost, candidate_cost, lookup_cost)\n", pf->name,
                   (double)p->connect_cost_ns / 1e3, (double)p->candidate_cost_ns,
                   (double)p->lookup_cost_ns);
        if (p->clock_wrap_ns)
            printf("%s: the TCP clock wraps at %.3f days of uptime: TIME_WAIT then never "
                   "expires (stack.clock_wrap, stack.uptime, stack.clock_wrap_fix)\n", pf->name,
                   simtime_to_s(p->clock_wrap_ns) / 86400.0);
    }
}

static json_t *profile_json(const struct profile *pf)
{
    const struct stack_params *p = &pf->defaults;
    json_t *o = json_object();

    json_object_set_new(o, "profile", json_string(pf->name));
    json_object_set_new(o, "kind", json_string("stack"));
    json_object_set_new(o, "port_min", json_integer(p->port_min));
    json_object_set_new(o, "port_max", json_integer(p->port_max));
    json_object_set_new(o, "ports", json_integer(p->port_max - p->port_min + 1));
    json_object_set_new(o, "time_wait", json_real(simtime_to_s(p->time_wait_ns)));
    json_object_set_new(o, "timer_tick", json_real(simtime_to_s(p->timer_tick_ns)));
    json_object_set_new(o, "allocator", json_string(names_of(&names_allocator, p->allocator)));
    json_object_set_new(o, "random_fallback_cps", json_integer(p->random_fallback_cps));
    json_object_set_new(o, "random_fallback_time",
                        json_real(simtime_to_s(p->random_fallback_time_ns)));
    json_object_set_new(o, "port_sharing", json_string(names_of(&names_sharing, p->port_sharing)));
    json_object_set_new(o, "pool", json_string(names_of(&names_pool, p->pool)));
    json_object_set_new(o, "reuse_time_wait",
                        json_string(names_of(&names_reuse, p->reuse_time_wait)));
    json_object_set_new(o, "collision", json_string(names_of(&names_collision, p->collision)));
    json_object_set_new(o, "max_time_wait", json_integer(p->max_time_wait));
    json_object_set_new(o, "tw_overflow", json_string(names_of(&names_tw_overflow,
                                                                p->tw_overflow)));
    json_object_set_new(o, "memory_bytes", json_integer((json_int_t)p->memory_bytes));
    json_object_set_new(o, "hz", json_integer(p->hz));
    json_object_set_new(o, "clock_wrap", json_real(simtime_to_s(p->clock_wrap_ns)));
    json_object_set_new(o, "exhausted_error", json_string(pf->exhausted_error));
    json_object_set_new(o, "exhausted_event",
                        pf->exhausted_event ? json_string(pf->exhausted_event) : json_null());
    json_object_set_new(o, "collision_error", json_string(pf->collision_error));
    json_object_set_new(o, "collision_event",
                        pf->collision_event ? json_string(pf->collision_event) : json_null());
    return o;
}

static const char *const nat_alloc_names[] = {"reserved", "shared", "conntrack"};

/* Issue 12: one NAT profile, with the nat.* keys' names (durations in s). */
static json_t *nat_profile_json(const struct natprofile *np)
{
    const struct nat_params *p = &np->defaults;
    json_t *o = json_object();

    json_object_set_new(o, "profile", json_string(np->name));
    json_object_set_new(o, "kind", json_string("nat"));
    json_object_set_new(o, "systems", json_string(np->systems));
    json_object_set_new(o, "port_min", json_integer(p->port_min));
    json_object_set_new(o, "port_max", json_integer(p->port_max));
    json_object_set_new(o, "ports", json_integer(p->port_max - p->port_min + 1));
    json_object_set_new(o, "public_ips", json_integer(p->public_ips));
    json_object_set_new(o, "public_ips_max", json_integer(np->ips_max));
    json_object_set_new(o, "alloc", json_string(nat_alloc_names[p->alloc]));
    json_object_set_new(o, "per_dst_limit", json_integer(p->per_dst_limit));
    json_object_set_new(o, "ports_per_host", json_integer(p->ports_per_host));
    json_object_set_new(o, "max_ports_per_host", json_integer(p->max_ports_per_host));
    json_object_set_new(o, "hold_fin", json_real(simtime_to_s(p->hold_fin_ns)));
    json_object_set_new(o, "hold_rst", json_real(simtime_to_s(p->hold_rst_ns)));
    json_object_set_new(o, "idle_timeout", json_real(simtime_to_s(p->idle_timeout_ns)));
    json_object_set_new(o, "random_fully", json_integer(p->random_fully));
    json_object_set_new(o, "eim", json_integer(p->eim));
    json_object_set_new(o, "failure_words", json_string(np->failure_words));
    json_object_set_new(o, "metric_words",
                        np->metric_words ? json_string(np->metric_words) : json_null());
    return o;
}

static int print_json(void)
{
    json_t *a = json_array();
    char *text;

    for (int i = 0; i < PROFILE_COUNT; i++)
        json_array_append_new(a, profile_json(profile_get((enum profile_id)i)));
    for (int i = NAT_PROFILE_NONE + 1; i < NAT_PROFILE_COUNT; i++)
        json_array_append_new(a, nat_profile_json(natprofile_get((enum nat_profile_id)i)));
    text = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(a);
    if (!text)
        return 1;
    printf("%s\n", text);
    free(text);
    return 0;
}

/* ---- Issue 12: the NAT profiles ---- */

static void nat_rows(void)
{
    static const char *const alloc[] = {"reserved per host", "shared", "conntrack"};

    printf("\n%-16s %-12s %3s  %-18s %7s  %-9s %-9s %-9s %s\n", "NAT profile", "ports",
           "IPs", "choice", "cap/dst", "hold FIN", "hold RST", "idle", "drop words");
    for (int i = NAT_PROFILE_NONE + 1; i < NAT_PROFILE_COUNT; i++) {
        const struct natprofile *np = natprofile_get((enum nat_profile_id)i);
        const struct nat_params *p = &np->defaults;
        char range[32], hf[16], hr[16], idle[16];

        snprintf(range, sizeof(range), "%u-%u", p->port_min, p->port_max);
        snprintf(hf, sizeof(hf), "%g s", simtime_to_s(p->hold_fin_ns));
        snprintf(hr, sizeof(hr), "%g s", simtime_to_s(p->hold_rst_ns));
        snprintf(idle, sizeof(idle), "%g s", simtime_to_s(p->idle_timeout_ns));
        printf("%-16s %-12s %3u  %-18s %7u  %-9s %-9s %-9s %s\n", np->name, range, np->ips_max,
               alloc[p->alloc], p->per_dst_limit, hf, hr, idle, np->failure_words);
    }
    printf("NAT sources and doubts: README.md, \"Cloud NAT and fleets\"\n");
}

int cmd_profiles(void *args, int nops, char **ops)
{
    const struct profiles_args *a = args;

    (void)nops;
    (void)ops;
    if (a->json)
        return print_json();
    printf("%-8s %-12s %6s  %-20s %-15s %-11s %-15s %-11s %-14s %-9s %s\n", "profile",
           "range", "ports", "time_wait", "max_time_wait", "allocator", "sharing", "pool", "reuse",
           "collision", "errors (exhausted / collision)");
    for (int i = 0; i < PROFILE_COUNT; i++)
        row(profile_get((enum profile_id)i));
    printf("\n* random, sequential above %u allocations/s until %g s below "
           "(FreeBSD ipport_randomcps/randomtime)\n",
           profile_get(PROFILE_FREEBSD)->defaults.random_fallback_cps,
           simtime_to_s(profile_get(PROFILE_FREEBSD)->defaults.random_fallback_time_ns));
    printf("+ derived: linux from stack.memory (%u at the default 8 GiB) as the kernel sizes "
           "tcp_max_tw_buckets, freebsd from the port range (tcptw_auto_size); linux's tick "
           "from stack.hz (%u)\n", profile_get(PROFILE_LINUX)->defaults.max_time_wait,
           profile_get(PROFILE_LINUX)->defaults.hz);
    slow_notes();
    printf("sources and doubts: README.md, \"Stack profiles\"\n");
    nat_rows();
    return 0;
}
