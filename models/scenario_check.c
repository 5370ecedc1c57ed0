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
    return 0;
}

