/* cmd_profiles.c - 'portsim profiles': the eight stack profiles as a table.
 *
 * One row per profile with the values a scenario gets when it names the
 * profile and sets nothing else (models/profiles.c); the sources of every
 * value are in the README ("Stack profiles").
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "models/names.h"
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

int cmd_profiles(void *args, int nops, char **ops)
{
    (void)args;
    (void)nops;
    (void)ops;
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
    return 0;
}
