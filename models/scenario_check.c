/* scenario_check.c - checks across keys (see scenario_int.h).
 *
 * Each key's own range is the key table's; here are the rules that tie keys
 * together (port_min <= port_max, a free port, warmup below duration, the
 * number of samples, trace needs trace_file, the last retry's wait).  Of two
 * keys in conflict the one set last gets the blame and its FILE:LINE.
 * Cost: O(keys).
 */
#include "models/scenario_int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/natprofiles.h"

#define OFF(f) offsetof(struct scenario_params, f)
#define NS_S UINT64_C(1000000000)
#define NS_10Y (UINT64_C(3650) * 86400 * NS_S)
#define MAX_SAMPLES 10000000.0

static void fmtv(const struct scenario_params *p, const struct key_def *k, char *buf,
                 size_t size)
{
    keys_format(k, p, buf, size);
}

const struct key_def *scen_key_at(size_t off)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n);

    for (size_t i = 0; i < n; i++) {
        if (keys[i].off == off && !(keys[i].flags & KEY_NOFIELD))
            return &keys[i];
    }
    assert(!"no such key");
    return NULL;
}

/* Of two keys in conflict, the one set last (by the user) gets the blame. */
static const struct key_def *blame(const struct origin *org, const struct key_def *a,
                                   const struct key_def *b, const char **where)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n), *k = a;

    if (org && org[b - keys].seq > org[a - keys].seq)
        k = b;
    *where = org && org[k - keys].seq ? org[k - keys].where : NULL;
    return k;
}

static int conflict(struct err *e, const struct scenario_params *p, const struct origin *org,
                    size_t off_a, size_t off_b, const char *fmt_a, const char *fmt_b)
{
    const struct key_def *a = scen_key_at(off_a), *b = scen_key_at(off_b), *k;
    const char *where;
    char subj[700], va[700], vb[700];

    k = blame(org, a, b, &where);
    fmtv(p, a, va, sizeof(va));
    fmtv(p, b, vb, sizeof(vb));
    if (k == a)
        return err_set(e, PS_EINVAL, "%s must be %s '%s.%s' (%s) (got '%s')",
                       scen_subject(where, a, subj, sizeof(subj)), fmt_a, b->section, b->name, vb,
                       va);
    return err_set(e, PS_EINVAL, "%s must be %s '%s.%s' (%s) (got '%s')",
                   scen_subject(where, b, subj, sizeof(subj)), fmt_b, a->section, a->name, va, vb);
}

static const char *origin_of(const struct origin *org, size_t off)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n), *k = scen_key_at(off);

    return org && org[k - keys].seq ? org[k - keys].where : NULL;
}

/* Each key's own range (a caller may have changed 'sc->p' directly). */
static int check_ranges(const struct scenario_params *p, const struct origin *org,
                        struct err *e)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n);
    char v[700], what[400];

    for (size_t i = 0; i < n; i++) {
        if (keys[i].flags & KEY_NOFIELD || keys_in_range(&keys[i], p))
            continue;
        keys_format(&keys[i], p, v, sizeof(v));
        return scen_bad_value(e, org && org[i].seq ? org[i].where : NULL, &keys[i],
                              keys_allowed(&keys[i], false, what, sizeof(what)), v);
    }
    return 0;
}

int scen_validate(const struct scenario *sc, const struct origin *org, struct err *e)
{
    const struct scenario_params *p = &sc->p;
    char subj[700], v[700], v2[700];
    int rc;

    if ((rc = check_ranges(p, org, e)) != 0)
        return rc;
    if (p->stack.hz != 0 && p->stack.hz != 100 && p->stack.hz != 250 && p->stack.hz != 300 &&
        p->stack.hz != 1000) {
        const struct key_def *k = scen_key_at(OFF(stack.hz));

        fmtv(p, k, v, sizeof(v));
        return scen_bad_value(e, origin_of(org, OFF(stack.hz)), k, k->allowed, v);
    }
    if (p->stack.port_min > p->stack.port_max)
        return conflict(e, p, org, OFF(stack.port_min), OFF(stack.port_max), "<=", ">=");
    {
        uint32_t free_ports = p->stack.port_max - p->stack.port_min + 1;

        for (uint32_t i = 0; i < p->stack.nreserved; i++) {
            uint32_t lo = p->stack.reserved[i].lo, hi = p->stack.reserved[i].hi;

            lo = lo < p->stack.port_min ? p->stack.port_min : lo;
            hi = hi > p->stack.port_max ? p->stack.port_max : hi;
            if (lo <= hi)
                free_ports -= hi - lo + 1;   /* ranges are merged: no double count */
        }
        if (free_ports == 0) {
            const struct key_def *kr = scen_key_at(OFF(stack.reserved)), *k, *k2;
            const char *where;

            k = blame(org, kr, scen_key_at(OFF(stack.port_min)), &where);
            k2 = blame(org, k, scen_key_at(OFF(stack.port_max)), &where);
            fmtv(p, k2, v, sizeof(v));
            if (k2 == kr)
                return err_set(e, PS_EINVAL, "%s must leave at least one port of %lu..%lu "
                               "free (got '%s')", scen_subject(where, kr, subj, sizeof(subj)),
                               (unsigned long)p->stack.port_min,
                               (unsigned long)p->stack.port_max, v);
            fmtv(p, kr, v2, sizeof(v2));
            return err_set(e, PS_EINVAL, "%s must leave at least one port free of "
                           "'stack.reserved_ports' (%s) (got '%s')",
                           scen_subject(where, k2, subj, sizeof(subj)), v2, v);
        }
    }
    if (p->run.warmup_ns >= p->run.duration_ns)
        return conflict(e, p, org, OFF(run.warmup_ns), OFF(run.duration_ns), "below",
                        "above");
    if (p->run.sample_interval_ns > 0 &&
        (double)p->run.duration_ns / (double)p->run.sample_interval_ns > MAX_SAMPLES)
        return conflict(e, p, org, OFF(run.sample_interval_ns), OFF(run.duration_ns),
                        "0 or at least 1/10000000 of", "at most 10000000 times");
    if (p->workload.arrivals == ARRIVALS_TRACE && p->workload.trace_file[0] == '\0') {
        const struct key_def *k = scen_key_at(OFF(workload.arrivals));

        return err_set(e, PS_EINVAL, "%s 'trace' needs 'workload.trace_file' (got 'trace' "
                       "and no trace_file)",
                       scen_subject(origin_of(org, OFF(workload.arrivals)), k, subj, sizeof(subj)));
    }
    if (p->workload.retries > 0 && p->workload.retry_backoff_ns > 0 &&
        ldexpl((long double)p->workload.retry_backoff_ns, (int)p->workload.retries - 1) >
            (long double)NS_10Y) {
        return conflict(e, p, org, OFF(workload.retries), OFF(workload.retry_backoff_ns),
                        "small enough that the last retry waits at most 3650 d with",
                        "small enough that the last retry waits at most 3650 d with");
    }
    return scen_validate_nat(sc, org, e);
}


/* ---- [nat] and [fleet] (issue 12) ---- */

bool scen_section_in_json(const struct scenario_params *p, const char *section)
{
    if (strcmp(section, "nat") == 0)
        return p->nat.profile != NAT_PROFILE_NONE;
    if (strcmp(section, "fleet") == 0)
        return p->fleet.hosts != 1;
    return true;
}

/* "where: 'nat.key' <what> (got 'value')" for the key at 'off'. */
static int nat_bad(struct err *e, const struct scenario_params *p, const struct origin *org,
                   size_t off, const char *what)
{
    const struct key_def *k = scen_key_at(off);
    char subj[700], v[700];

    fmtv(p, k, v, sizeof(v));
    return err_set(e, PS_EINVAL, "%s %s (got '%s')",
                   scen_subject(origin_of(org, off), k, subj, sizeof(subj)), what, v);
}

static bool is_pow2(uint32_t x)
{
    return x && !(x & (x - 1));
}

/* Keys that only some profiles read: set for another profile is a mistake. */
static int nat_check_applies(const struct scenario *sc, const struct origin *org,
                             struct err *e)
{
    static const struct { size_t off; unsigned profiles; const char *what; } only[] = {
        {OFF(nat.ports_per_host), 1u << NAT_PROFILE_AZURE_LB | 1u << NAT_PROFILE_GCP_CLOUDNAT,
         "applies to azure-lb and gcp-cloudnat only (nat.profile)"},
        {OFF(nat.max_ports_per_host), 1u << NAT_PROFILE_GCP_CLOUDNAT,
         "applies to gcp-cloudnat only (nat.profile)"},
        {OFF(nat.eim), 1u << NAT_PROFILE_GCP_CLOUDNAT,
         "applies to gcp-cloudnat only (nat.profile)"},
        {OFF(nat.random_fully), 1u << NAT_PROFILE_LINUX_CONNTRACK,
         "applies to linux-conntrack only (nat.profile)"},
    };
    const struct scenario_params *p = &sc->p;
    /* Set to 0 or false (their value for every other profile) they do no
     * harm: a recorded scenario's JSON (scenario_from_json) carries every
     * key, and must come back. */
    const bool nonzero[] = {p->nat.ports_per_host != 0, p->nat.max_ports_per_host != 0,
                            p->nat.eim != 0, p->nat.random_fully != 0};
    size_t n;
    const struct key_def *keys = scen_keys(&n);

    _Static_assert(sizeof(nonzero) / sizeof(nonzero[0]) == sizeof(only) / sizeof(only[0]),
                   "a value for every key of 'only'");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i].section, "nat") == 0 && keys[i].off != OFF(nat.profile) &&
            p->nat.profile == NAT_PROFILE_NONE && scen_is_set(sc, i))
            return nat_bad(e, p, org, keys[i].off, "needs a NAT: set 'nat.profile' to "
                           "azure-lb, azure-natgw, aws-natgw, gcp-cloudnat or linux-conntrack");
    }
    for (size_t j = 0; j < sizeof(only) / sizeof(only[0]); j++) {
        const struct key_def *k = scen_key_at(only[j].off);

        if (!((only[j].profiles >> p->nat.profile) & 1u) && nonzero[j] &&
            scen_is_set(sc, (size_t)(k - keys)))
            return nat_bad(e, p, org, only[j].off, only[j].what);
    }
    return 0;
}

static int nat_check_reserved(const struct scenario_params *p, const struct origin *org,
                              struct err *e)
{
    const struct nat_params *np = &p->nat;
    uint64_t room = (uint64_t)(np->port_max - np->port_min + 1) * np->public_ips;
    char what[300];

    if (np->profile == NAT_PROFILE_AZURE_LB && np->ports_per_host % 8 != 0)
        return nat_bad(e, p, org, OFF(nat.ports_per_host),
                       "must be a multiple of 8 (allocatedOutboundPorts; 0 = the table)");
    if (np->profile == NAT_PROFILE_AZURE_LB &&
        (uint64_t)np->ports_per_host * p->fleet.hosts > room) {
        snprintf(what, sizeof(what), "must be at most %llu for %u hosts and %u public IPs "
                 "(ports per instance = IPs x ports / instances)",
                 (unsigned long long)(room / p->fleet.hosts / 8 * 8), p->fleet.hosts,
                 np->public_ips);
        return nat_bad(e, p, org, OFF(nat.ports_per_host), what);
    }
    if (np->profile == NAT_PROFILE_GCP_CLOUDNAT && np->ports_per_host == 0)
        return nat_bad(e, p, org, OFF(nat.ports_per_host), "must be 1..65536 for gcp-cloudnat");
    if (np->max_ports_per_host) {
        if (!is_pow2(np->ports_per_host) || np->ports_per_host < 32)
            return nat_bad(e, p, org, OFF(nat.ports_per_host), "must be a power of two >= 32 "
                           "with dynamic allocation (nat.max_ports_per_host)");
        if (!is_pow2(np->max_ports_per_host) || np->max_ports_per_host <= np->ports_per_host)
            return nat_bad(e, p, org, OFF(nat.max_ports_per_host), "must be 0 or a power of "
                           "two above 'nat.ports_per_host'");
        if (np->eim)
            return conflict(e, p, org, OFF(nat.eim), OFF(nat.max_ports_per_host),
                            "0 (EIM and dynamic allocation exclude each other) with",
                            "0 (EIM and dynamic allocation exclude each other) with");
    }
    return 0;
}

int scen_validate_nat(const struct scenario *sc, const struct origin *org, struct err *e)
{
    const struct scenario_params *p = &sc->p;
    const struct nat_params *np = &p->nat;
    char what[200];
    int rc;

    if ((uint64_t)p->fleet.hosts * p->stack.local_addresses > 32767)
        return conflict(e, p, org, OFF(fleet.hosts), OFF(stack.local_addresses),
                        "at most 32767 host addresses in all with",
                        "at most 32767 host addresses in all with");
    if ((rc = nat_check_applies(sc, org, e)) != 0 || np->profile == NAT_PROFILE_NONE)
        return rc;
    if (np->public_ips > natprofile_get(np->profile)->ips_max) {
        snprintf(what, sizeof(what), "must be 1..%u for %s",
                 natprofile_get(np->profile)->ips_max, natprofile_get(np->profile)->name);
        return nat_bad(e, p, org, OFF(nat.public_ips), what);
    }
    if (np->port_min > np->port_max)
        return conflict(e, p, org, OFF(nat.port_min), OFF(nat.port_max), "<=", ">=");
    if ((np->profile == NAT_PROFILE_AZURE_LB || np->profile == NAT_PROFILE_AZURE_NATGW) &&
        (np->idle_timeout_ns < 240 * NS_S || np->idle_timeout_ns > 7200 * NS_S))
        return nat_bad(e, p, org, OFF(nat.idle_timeout_ns),
                       "must be 240..7200 s (4..120 min) on Azure");
    return nat_check_reserved(p, org, e);
}
