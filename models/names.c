/* names.c - the spelling of every enumerated scenario value (see names.h). */
#include "models/names.h"

#include <stdio.h>
#include <string.h>

#include "sim/err.h"

#define NAMES(var, ...)                                                         \
    static const char *const var##_list[] = {__VA_ARGS__, NULL};                \
    const struct names var = {var##_list, sizeof(var##_list) / sizeof(var##_list[0]) - 1}

NAMES(names_profile, "win2000", "winxp", "win2003", "win7", "win8", "linux", "freebsd", "macos");
NAMES(names_allocator, "sequential", "random", "random-each", "hash", "double-hash",
      "random-increment");
NAMES(names_sharing, "exclusive", "per-destination");
NAMES(names_pool, "host", "per-address");
NAMES(names_reuse, "no", "when-exhausted", "after-delay", "any");
NAMES(names_collision, "fail", "skip");
NAMES(names_tw_overflow, "drop-new", "recycle-oldest");
NAMES(names_arrivals, "poisson", "constant", "diurnal", "trace");
NAMES(names_popularity, "uniform", "zipf");
NAMES(names_service_dist, "constant", "exponential", "lognormal");
NAMES(names_close, "client", "server", "abort");
NAMES(names_bind, "none", "address", "address-no-port");
NAMES(names_balance, "by-mailbox", "round-robin", "random", "least-connections");
NAMES(names_yesno, "no", "yes");
/* issue 12: the NAT profiles, "none" first (NAT_PROFILE_NONE) */
NAMES(names_nat_profile, "none", "azure-lb", "azure-natgw", "aws-natgw", "gcp-cloudnat",
      "linux-conntrack");

const char *names_of(const struct names *n, unsigned value)
{
    return value < n->count ? n->list[value] : "?";
}

int names_find(const struct names *n, const char *word, unsigned *value)
{
    for (unsigned i = 0; i < n->count; i++) {
        if (strcmp(n->list[i], word) == 0) {
            *value = i;
            return 0;
        }
    }
    return PS_EINVAL;
}

const char *names_allowed(const struct names *n, char *buf, unsigned size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned i = 0; i < n->count && used < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n->count ? " or " : ", ";
        int w = snprintf(buf + used, size - used, "%s%s", sep, n->list[i]);

        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}
