/* cmd_profiles.c - 'portsim profiles': the seven stack profiles as a table,
 * then the NAT profiles (issue 12, models/natprofiles.c).
 *
 * One row per profile with the values a scenario gets when it names the
 * profile and sets nothing else (models/profiles.c); the sources of every
 * value are in the README ("Stack profiles").
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "models/names.h"
#include "models/natprofiles.h"
#include "models/profiles.h"

static void row(const struct profile *pf)
{
    const struct stack_params *p = &pf->defaults;
    char range[32], tw[64], errs[128];

    snprintf(range, sizeof(range), "%u-%u", p->port_min, p->port_max);
    if (p->timer_tick_ns)
        snprintf(tw, sizeof(tw), "%g s (tick %g s)", simtime_to_s(p->time_wait_ns),
                 simtime_to_s(p->timer_tick_ns));
    else
        snprintf(tw, sizeof(tw), "%g s", simtime_to_s(p->time_wait_ns));
    snprintf(errs, sizeof(errs), "%s%s%s / %s%s%s", pf->exhausted_error,
             pf->exhausted_event ? " " : "", pf->exhausted_event ? pf->exhausted_event : "",
             pf->collision_error, pf->collision_event ? " " : "",
             pf->collision_event ? pf->collision_event : "");
    printf("%-8s %-12s %6u  %-20s %-11s %-15s %-11s %-14s %-9s %s\n", pf->name, range,
           p->port_max - p->port_min + 1, tw,
           p->allocator == ALLOC_RANDOM && p->random_fallback_cps ? "random*"
                                                                   : names_of(&names_allocator,
                                                                              p->allocator),
           names_of(&names_sharing, p->port_sharing), names_of(&names_pool, p->pool),
           names_of(&names_reuse, p->reuse_time_wait), names_of(&names_collision, p->collision),
           errs);
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
    (void)args;
    (void)nops;
    (void)ops;
    printf("%-8s %-12s %6s  %-20s %-11s %-15s %-11s %-14s %-9s %s\n", "profile", "range",
           "ports", "time_wait", "allocator", "sharing", "pool", "reuse", "collision",
           "errors (exhausted / collision)");
    for (int i = 0; i < PROFILE_COUNT; i++)
        row(profile_get((enum profile_id)i));
    printf("\n* random, sequential above %u allocations/s until %g s below "
           "(FreeBSD ipport_randomcps/randomtime)\n",
           profile_get(PROFILE_FREEBSD)->defaults.random_fallback_cps,
           simtime_to_s(profile_get(PROFILE_FREEBSD)->defaults.random_fallback_time_ns));
    printf("sources and doubts: README.md, \"Stack profiles\"\n");
    nat_rows();
    return 0;
}
