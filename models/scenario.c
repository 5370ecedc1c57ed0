/* scenario.c - read, override, validate and resolve a scenario (see scenario.h).
 *
 * One table, 'keys' below, lists every key with its kind, its field in
 * struct scenario_params, its range and the words that say what is allowed;
 * parsing, range checks, the canonical JSON and scenario_key_format() all
 * walk it.  The INI file is read with libinih through models/inifile.c (so
 * messages name FILE:LINE, an indented key is a key and never an inih
 * continuation line, and unknown sections are caught at their header
 * line).  Resolution: the stack profile's defaults, then
 * every stack.* key set explicitly ('set_mask'), whatever the order; setting
 * stack.profile re-applies the profile under the explicit keys.
 *
 * Defaults of keys not given: run.name = the file's base name without
 * ".ini" ("scenario" without a file), duration 3600 s, warmup 0, seed 1,
 * replications 1, sample_interval 1 s, rng mt19937; stack.profile win2000
 * and the profile's values; workload: arrivals poisson, rate 10/s,
 * amplitude 0.5, period 86400 s, trace_file "", mailboxes 1000, popularity
 * uniform, zipf_s 1, cache_ttl 0, connection_limit 0, service_time 50 ms,
 * service_dist constant, service_sigma 0.5, servers 1, close client,
 * retries 0, retry_backoff 1 s.
 *
 * Canonical JSON: {"run":{...},"stack":{...},"workload":{...}} with every
 * key EXCEPT run.seed and run.replications (the database keeps those in
 * their own columns; the hash names a run's parameters apart from its seed
 * and replication, which is what resume matches on), sorted, compact,
 * doubles with 17 digits (exact round trip), durations as seconds, enums by
 * name, reserved ports as sorted, merged "lo-hi" strings.  Hash: XXH3
 * 128-bit of that text, 32 lowercase hex digits.  A trace's contents are not
 * in the hash, only its file name.  Cost: O(keys) per set, O(trace) per load.
 */
#include "models/scenario.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xxhash.h>

#include "models/inifile.h"
#include "models/names.h"
#include "models/profiles.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

/* ---- The key table ---- */

enum kind {
    K_NAME,     /* run.name: char[PARAMS_NAME_MAX], printable, not empty */
    K_RNG,      /* run.rng: a GSL generator name */
    K_PATH,     /* workload.trace_file: char[PARAMS_PATH_MAX], may be empty */
    K_DUR,      /* simtime, ns; 'lo'..'hi' ns */
    K_U32,      /* uint32_t; 'lo'..'hi' */
    K_U64,      /* uint64_t; 'lo'..'hi' */
    K_DBL,      /* double; 'dlo'..'dhi' */
    K_ENUM,     /* an enum, by the words of 'names' */
    K_PORTS     /* stack.reserved_ports */
};

#define F_ZERO_OR 1u    /* 0 is allowed besides 'lo'..'hi' */
#define F_GT 2u         /* double: strictly greater than 'dlo' */
#define F_NOHASH 4u     /* not in the canonical JSON (run.seed, run.replications) */

struct keydef {
    const char *section;
    const char *key;
    enum kind kind;
    size_t off;                 /* offset of the field in struct scenario_params */
    const struct names *names;  /* K_ENUM */
    uint64_t lo, hi;            /* K_DUR (ns), K_U32, K_U64 */
    double dlo, dhi;            /* K_DBL */
    unsigned flags;
    const char *allowed;        /* "must be <allowed>" */
};

#define NS_MS UINT64_C(1000000)
#define NS_S UINT64_C(1000000000)
#define NS_DAY (UINT64_C(86400) * NS_S)
#define NS_10Y (UINT64_C(3650) * NS_DAY)
#define MAX_SAMPLES 10000000.0
#define OFF(f) offsetof(struct scenario_params, f)

#define RUN(k, kind, f, lo, hi, fl, allowed) \
    {"run", k, kind, OFF(run.f), NULL, lo, hi, 0, 0, fl, allowed}
#define STK(k, kind, f, lo, hi, fl, allowed) \
    {"stack", k, kind, OFF(stack.f), NULL, lo, hi, 0, 0, fl, allowed}
#define WLD(k, kind, f, lo, hi, fl, allowed) \
    {"workload", k, kind, OFF(workload.f), NULL, lo, hi, 0, 0, fl, allowed}
#define WDBL(k, f, dlo, dhi, fl, allowed) \
    {"workload", k, K_DBL, OFF(workload.f), NULL, 0, 0, dlo, dhi, fl, allowed}
#define ENUM(sec, k, f, n) {sec, k, K_ENUM, OFF(f), &n, 0, 0, 0, 0, 0, NULL}

static const struct keydef keys[] = {
    RUN("name", K_NAME, name, 0, 0, 0, "a name of 1..127 printable characters"),
    RUN("duration", K_DUR, duration_ns, 1, NS_10Y, 0, "> 0 s and at most 3650 d"),
    RUN("warmup", K_DUR, warmup_ns, 0, NS_10Y, 0, "0..3650 d and below 'run.duration'"),
    RUN("seed", K_U64, seed, 0, UINT64_MAX, F_NOHASH, "an integer 0..18446744073709551615"),
    RUN("replications", K_U32, replications, 1, 100000, F_NOHASH, "an integer 1..100000"),
    RUN("sample_interval", K_DUR, sample_interval_ns, NS_MS, NS_10Y, F_ZERO_OR,
        "0 (no samples) or 1 ms..3650 d"),
    RUN("rng", K_RNG, rng, 0, 0, 0, "a GSL generator name, e.g. mt19937, ranlxd2, taus2"),
    ENUM("stack", "profile", stack.profile, names_profile),
    STK("port_min", K_U32, port_min, 1, 65535, 0, "an integer 1..65535"),
    STK("port_max", K_U32, port_max, 1, 65535, 0, "an integer 1..65535"),
    STK("time_wait", K_DUR, time_wait_ns, 0, 86400 * NS_S, 0, "0..86400 s"),
    ENUM("stack", "allocator", stack.allocator, names_allocator),
    ENUM("stack", "port_sharing", stack.port_sharing, names_sharing),
    ENUM("stack", "pool", stack.pool, names_pool),
    ENUM("stack", "reuse_time_wait", stack.reuse_time_wait, names_reuse),
    STK("tw_reuse_delay", K_DUR, tw_reuse_delay_ns, NS_MS, 60 * NS_S, 0, "1 ms..60 s"),
    ENUM("stack", "collision", stack.collision, names_collision),
    STK("max_time_wait", K_U32, max_time_wait, 0, 100000000, 0,
        "an integer 0..100000000 (0 = no cap)"),
    ENUM("stack", "tw_overflow", stack.tw_overflow, names_tw_overflow),
    STK("reserved_ports", K_PORTS, reserved, 0, 0, 0,
        "a comma list of ports and ranges 1..65535, e.g. '1080, 3000-3100', "
        "at most 32 entries"),
    STK("local_addresses", K_U32, local_addresses, 1, 256, 0, "an integer 1..256"),
    STK("timer_tick", K_DUR, timer_tick_ns, 0, 60 * NS_S, 0, "0..60 s (0 = exact)"),
    STK("random_fallback_cps", K_U32, random_fallback_cps, 0, 1000000, 0,
        "an integer 0..1000000 (0 = off)"),
    STK("random_fallback_time", K_DUR, random_fallback_time_ns, 0, 86400 * NS_S, 0,
        "0..86400 s"),
    ENUM("workload", "arrivals", workload.arrivals, names_arrivals),
    WDBL("rate", rate_per_s, 0, 1e7, F_GT, "a number > 0 and at most 1e7 (requests/s)"),
    WDBL("amplitude", amplitude, 0, 1, 0, "a number 0..1"),
    WLD("period", K_DUR, period_ns, 1, NS_10Y, 0, "> 0 s and at most 3650 d"),
    WLD("trace_file", K_PATH, trace_file, 0, 0, 0, "a path of at most 511 characters"),
    WLD("mailboxes", K_U32, mailboxes, 1, 1000000000, 0, "an integer 1..1000000000"),
    ENUM("workload", "popularity", workload.popularity, names_popularity),
    WDBL("zipf_s", zipf_s, 0, 10, F_GT, "a number > 0 and at most 10"),
    WLD("cache_ttl", K_DUR, cache_ttl_ns, 0, 86400 * NS_S, 0, "0..86400 s"),
    WLD("connection_limit", K_U32, connection_limit, 0, 10000000, 0,
        "an integer 0..10000000 (0 = no limit)"),
    WLD("service_time", K_DUR, service_time_ns, 0, 86400 * NS_S, 0, "0..86400 s"),
    ENUM("workload", "service_dist", workload.service_dist, names_service_dist),
    WDBL("service_sigma", service_sigma, 0, 10, 0, "a number 0..10"),
    WLD("servers", K_U32, servers, 1, 65536, 0, "an integer 1..65536"),
    ENUM("workload", "close", workload.close, names_close),
    WLD("retries", K_U32, retries, 0, 100, 0, "an integer 0..100"),
    WLD("retry_backoff", K_DUR, retry_backoff_ns, 0, 86400 * NS_S, 0, "0..86400 s"),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= 64, "set_mask holds one bit per key");

static const char *const sections[] = {"run", "stack", "workload"};

#define DURATION_HINT "a number of seconds with an optional unit ns, us, ms, s, min, h or d"

/* Where each key was set during one scenario_load(), for messages about
 * combinations (which key to blame: the one set last). */
struct origin {
    char where[96];
    unsigned seq;       /* 0: not set explicitly */
};

/* ---- Small helpers ---- */

static void *field(struct scenario_params *p, const struct keydef *k)
{
    return (char *)p + k->off;
}

static const void *cfield(const struct scenario_params *p, const struct keydef *k)
{
    return (const char *)p + k->off;
}

/* Enums are stored through memcpy of an int: every enum of params.h has
 * small non-negative values, whose representation is the same in any
 * compatible integer type. */
static unsigned get_enum(const struct scenario_params *p, const struct keydef *k)
{
    int v;

    _Static_assert(sizeof(enum allocator_id) == sizeof(int), "enums are int-sized");
    memcpy(&v, cfield(p, k), sizeof(v));
    return (unsigned)v;
}

static void put_enum(struct scenario_params *p, const struct keydef *k, unsigned value)
{
    int v = (int)value;

    memcpy(field(p, k), &v, sizeof(v));
}

static const struct keydef *find_key(const char *section, const char *key, size_t *index)
{
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0) {
            if (index)
                *index = i;
            return &keys[i];
        }
    }
    return NULL;
}

static bool is_section(const char *s)
{
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (strcmp(sections[i], s) == 0)
            return true;
    }
    return false;
}

/* "profile, port_min, ..." : the keys of 'section'. */
static const char *section_keys(const char *section, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < NKEYS && used < size; i++) {
        if (strcmp(keys[i].section, section) != 0)
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", keys[i].key);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* The subject of a message: "kb.ini:12: 'stack.time_wait'" for a file,
 * "--set stack.time_wait:" for the command line, "'stack.time_wait'" when
 * the source is unknown ('where' NULL). */
static const char *subject(const char *where, const struct keydef *k, char *buf, size_t size)
{
    if (!where)
        snprintf(buf, size, "'%s.%s'", k->section, k->key);
    else if (strncmp(where, "--set", 5) == 0)
        snprintf(buf, size, "%s %s.%s:", where, k->section, k->key);
    else
        snprintf(buf, size, "%s: '%s.%s'", where, k->section, k->key);
    return buf;
}

static int bad_value(struct err *e, const char *where, const struct keydef *k,
                     const char *what, const char *value)
{
    char subj[256];

    return err_set(e, PS_EINVAL, "%s must be %s (got '%s')", subject(where, k, subj, sizeof(subj)),
                   what, value);
}

static int unknown_key(struct err *e, const char *where, const char *section, const char *key)
{
    char list[512];

    if (!is_section(section)) {
        if (where && strncmp(where, "--set", 5) == 0)
            return err_set(e, PS_EINVAL, "%s %s.%s: unknown section '%s' "
                           "(sections: run, stack, workload)", where, section, key, section);
        return err_set(e, PS_EINVAL, "%s%sunknown section '%s' (sections: run, stack, "
                       "workload)", where ? where : "", where ? ": " : "", section);
    }
    section_keys(section, list, sizeof(list));
    if (where && strncmp(where, "--set", 5) == 0)
        return err_set(e, PS_EINVAL, "%s %s.%s: unknown key (%s keys: %s)", where, section, key,
                       section, list);
    return err_set(e, PS_EINVAL, "%s%sunknown key '%s.%s' (%s keys: %s)", where ? where : "",
                   where ? ": " : "", section, key, section, list);
}

/* A decimal integer, digits only (no sign, no blanks, no junk), below 2^64. */
static int parse_u64(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!isdigit((unsigned char)text[0]))
        return PS_EINVAL;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno == ERANGE || *end != '\0')
        return PS_EINVAL;
    *out = (uint64_t)v;
    return 0;
}

/* A finite decimal number (sign allowed; no hex, inf or nan). */
static int parse_double(const char *text, double *out)
{
    char *end;
    double v;

    if (text[0] == '\0' || text[strspn(text, "0123456789.eE+-")] != '\0')
        return PS_EINVAL;
    errno = 0;
    v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return PS_EINVAL;
    *out = v;
    return 0;
}

static int cmp_range(const void *a, const void *b)
{
    const struct port_range *x = a, *y = b;

    return x->lo != y->lo ? (x->lo < y->lo ? -1 : 1) : (x->hi < y->hi ? -1 : x->hi > y->hi);
}

/* "1080, 3000-3100" into sorted, merged ranges; "" is no range.  PS_EINVAL
 * on anything else. */
static int parse_ports(const char *text, struct port_range *out, uint32_t *nout)
{
    struct port_range r[PARAMS_RESERVED_MAX];
    uint32_t n = 0, m = 0;
    const char *p = text;

    while (isspace((unsigned char)*p))
        p++;
    while (*p) {
        unsigned long lo, hi;
        char *end;

        if (n == PARAMS_RESERVED_MAX || !isdigit((unsigned char)*p))
            return PS_EINVAL;
        lo = strtoul(p, &end, 10);
        hi = lo;
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '-') {
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (!isdigit((unsigned char)*p))
                return PS_EINVAL;
            hi = strtoul(p, &end, 10);
            p = end;
            while (isspace((unsigned char)*p))
                p++;
        }
        if (lo < 1 || hi > 65535 || lo > hi)
            return PS_EINVAL;
        r[n].lo = (uint16_t)lo;
        r[n].hi = (uint16_t)hi;
        n++;
        if (*p == ',') {
            p++;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == '\0')
                return PS_EINVAL;
        } else if (*p != '\0') {
            return PS_EINVAL;
        }
    }
    qsort(r, n, sizeof(r[0]), cmp_range);
    for (uint32_t i = 0; i < n; i++) {
        if (m > 0 && (uint32_t)r[i].lo <= (uint32_t)out[m - 1].hi + 1) {
            if (r[i].hi > out[m - 1].hi)
                out[m - 1].hi = r[i].hi;
        } else {
            out[m++] = r[i];
        }
    }
    *nout = m;
    return 0;
}

/* Seconds with up to 9 decimals, no trailing zeros: "240", "0.05". */
static void fmt_duration(simtime t, char *buf, size_t size)
{
    size_t len;

    snprintf(buf, size, "%llu.%09llu", (unsigned long long)(t / NS_S),
             (unsigned long long)(t % NS_S));
    len = strlen(buf);
    while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
}

static void fmt_value(const struct scenario_params *p, const struct keydef *k, char *buf,
                      size_t size)
{
    switch (k->kind) {
    case K_NAME:
    case K_RNG:
    case K_PATH:
        snprintf(buf, size, "%s", (const char *)cfield(p, k));
        break;
    case K_DUR: {
        simtime t;
        memcpy(&t, cfield(p, k), sizeof(t));
        fmt_duration(t, buf, size);
        break;
    }
    case K_U32: {
        uint32_t v;
        memcpy(&v, cfield(p, k), sizeof(v));
        snprintf(buf, size, "%lu", (unsigned long)v);
        break;
    }
    case K_U64: {
        uint64_t v;
        memcpy(&v, cfield(p, k), sizeof(v));
        snprintf(buf, size, "%llu", (unsigned long long)v);
        break;
    }
    case K_DBL: {
        double v;
        memcpy(&v, cfield(p, k), sizeof(v));
        snprintf(buf, size, "%.17g", v);
        break;
    }
    case K_ENUM:
        snprintf(buf, size, "%s", names_of(k->names, get_enum(p, k)));
        break;
    case K_PORTS: {
        size_t used = 0;
        buf[0] = '\0';
        for (uint32_t i = 0; i < p->stack.nreserved && used < size; i++) {
            const struct port_range *r = &p->stack.reserved[i];
            int w = r->lo == r->hi
                        ? snprintf(buf + used, size - used, "%s%u", i ? ", " : "", r->lo)
                        : snprintf(buf + used, size - used, "%s%u-%u", i ? ", " : "", r->lo,
                                   r->hi);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        break;
    }
    }
}

/* Range check of the value 'k' holds in 'p'; 'text' is what the user wrote
 * (NULL: format the value). */
static int check_range(const struct scenario_params *p, const struct keydef *k,
                       const char *where, const char *text, struct err *e)
{
    char buf[256];
    uint64_t u = 0;
    bool ok = true;

    switch (k->kind) {
    case K_NAME: {
        const char *s = cfield(p, k);
        ok = s[0] != '\0';
        for (; *s; s++)
            ok = ok && !iscntrl((unsigned char)*s);
        break;
    }
    case K_RNG:
        ok = rng_type_by_name(cfield(p, k)) != NULL;
        break;
    case K_PATH:
    case K_ENUM:
    case K_PORTS:
        break;
    case K_DUR:
    case K_U64:
        memcpy(&u, cfield(p, k), sizeof(u));
        break;
    case K_U32: {
        uint32_t v;
        memcpy(&v, cfield(p, k), sizeof(v));
        u = v;
        break;
    }
    case K_DBL: {
        double v;
        memcpy(&v, cfield(p, k), sizeof(v));
        ok = isfinite(v) && ((k->flags & F_GT) ? v > k->dlo : v >= k->dlo) && v <= k->dhi;
        break;
    }
    }
    if (k->kind == K_DUR || k->kind == K_U32 || k->kind == K_U64)
        ok = (u >= k->lo && u <= k->hi) || (u == 0 && (k->flags & F_ZERO_OR));
    if (ok)
        return 0;
    if (!text) {
        fmt_value(p, k, buf, sizeof(buf));
        text = buf;
    }
    return bad_value(e, where, k, k->allowed, text);
}

/* ---- Setting one key ---- */

static void apply_profile(struct scenario *sc, enum profile_id id)
{
    struct stack_params old = sc->p.stack;
    struct scenario_params tmp = sc->p;

    tmp.stack = profile_get(id)->defaults;
    tmp.stack.profile = id;
    /* keep every stack key set explicitly, whatever the order */
    for (size_t i = 0; i < NKEYS; i++) {
        const struct keydef *k = &keys[i];

        if (strcmp(k->section, "stack") != 0 || !(sc->set_mask & (UINT64_C(1) << i)) ||
            k->off == OFF(stack.profile))
            continue;
        if (k->kind == K_PORTS) {
            tmp.stack.nreserved = old.nreserved;
            memcpy(tmp.stack.reserved, old.reserved, sizeof(old.reserved));
        } else {
            size_t size = k->kind == K_DUR ? sizeof(simtime)
                        : k->kind == K_U32 ? sizeof(uint32_t) : sizeof(int);
            memcpy(field(&tmp, k), cfield(&sc->p, k), size);
        }
    }
    sc->p.stack = tmp.stack;
}

/* Parse 'value' for 'k' into 'sc->p'.  'value' has no leading or trailing
 * blanks. */
static int set_value(struct scenario *sc, const struct keydef *k, const char *where,
                     const char *value, struct err *e)
{
    struct scenario_params p = sc->p;
    char words[256];
    int rc;

    switch (k->kind) {
    case K_NAME:
    case K_RNG:
    case K_PATH: {
        size_t cap = k->kind == K_NAME ? PARAMS_NAME_MAX
                   : k->kind == K_RNG ? PARAMS_RNG_MAX : PARAMS_PATH_MAX;
        if (strlen(value) >= cap)
            return bad_value(e, where, k, k->allowed, value);
        memcpy(field(&p, k), value, strlen(value) + 1);
        break;
    }
    case K_DUR: {
        simtime t;
        if (simtime_parse(value, &t, NULL) != 0) {
            char what[256];
            snprintf(what, sizeof(what), "%s, %s", k->allowed, DURATION_HINT);
            return bad_value(e, where, k, what, value);
        }
        memcpy(field(&p, k), &t, sizeof(t));
        break;
    }
    case K_U32:
    case K_U64: {
        uint64_t v;
        if (parse_u64(value, &v) != 0 || v > k->hi)
            return bad_value(e, where, k, k->allowed, value);
        if (k->kind == K_U32) {
            uint32_t v32 = (uint32_t)v;
            memcpy(field(&p, k), &v32, sizeof(v32));
        } else {
            memcpy(field(&p, k), &v, sizeof(v));
        }
        break;
    }
    case K_DBL: {
        double v;
        if (parse_double(value, &v) != 0)
            return bad_value(e, where, k, k->allowed, value);
        memcpy(field(&p, k), &v, sizeof(v));
        break;
    }
    case K_ENUM: {
        unsigned v;
        if (names_find(k->names, value, &v) != 0) {
            char what[300];
            snprintf(what, sizeof(what), "one of %s",
                     names_allowed(k->names, words, sizeof(words)));
            return bad_value(e, where, k, what, value);
        }
        put_enum(&p, k, v);
        break;
    }
    case K_PORTS:
        if (parse_ports(value, p.stack.reserved, &p.stack.nreserved) != 0)
            return bad_value(e, where, k, k->allowed, value);
        break;
    }
    if ((rc = check_range(&p, k, where, value, e)) != 0)
        return rc;
    sc->p = p;
    sc->set_mask |= UINT64_C(1) << (k - keys);
    if (k->off == OFF(stack.profile))
        apply_profile(sc, sc->p.stack.profile);
    return 0;
}

/* Split "section.key" and set it; 'org' (may be NULL) records the origin. */
static int set_key(struct scenario *sc, const char *where, const char *section_key,
                   const char *value, struct origin *org, unsigned seq, struct err *e)
{
    char section[64], key[64], val[1024];
    const char *dot = strchr(section_key, '.');
    const struct keydef *k;
    size_t idx, len;
    int rc;

    if (!dot || (size_t)(dot - section_key) >= sizeof(section) ||
        strlen(dot + 1) >= sizeof(key)) {
        if (where && strncmp(where, "--set", 5) == 0)
            return err_set(e, PS_EINVAL, "%s %s: unknown key, expected section.key "
                           "(sections: run, stack, workload)", where, section_key);
        return err_set(e, PS_EINVAL, "%s%sunknown key '%s', expected section.key "
                       "(sections: run, stack, workload)", where ? where : "", where ? ": " : "",
                       section_key);
    }
    memcpy(section, section_key, (size_t)(dot - section_key));
    section[dot - section_key] = '\0';
    strcpy(key, dot + 1);
    if (!(k = find_key(section, key, &idx)))
        return unknown_key(e, where, section, key);
    /* trim blanks (inih already does for files) */
    while (isspace((unsigned char)*value))
        value++;
    len = strlen(value);
    while (len > 0 && isspace((unsigned char)value[len - 1]))
        len--;
    if (len >= sizeof(val))
        len = sizeof(val) - 1;
    memcpy(val, value, len);
    val[len] = '\0';
    if ((rc = set_value(sc, k, where, val, e)) != 0)
        return rc;
    if (org) {
        snprintf(org[idx].where, sizeof(org[idx].where), "%s", where ? where : "");
        org[idx].seq = seq;
    }
    return 0;
}

/* ---- Validation of combinations, trace, JSON, hash ---- */

static const struct keydef *key_at(size_t off)
{
    for (size_t i = 0; i < NKEYS; i++) {
        if (keys[i].off == off)
            return &keys[i];
    }
    assert(!"no such key");
    return NULL;
}

/* Of two keys in conflict, the one set last (by the user) gets the blame. */
static const struct keydef *blame(const struct origin *org, const struct keydef *a,
                                  const struct keydef *b, const char **where)
{
    const struct keydef *k = a;

    if (org && org[b - keys].seq > org[a - keys].seq)
        k = b;
    *where = org && org[k - keys].seq ? org[k - keys].where : NULL;
    return k;
}

static int conflict(struct err *e, const struct scenario_params *p, const struct origin *org,
                    size_t off_a, size_t off_b, const char *fmt_a, const char *fmt_b)
{
    const struct keydef *a = key_at(off_a), *b = key_at(off_b), *k;
    const char *where;
    char subj[256], va[256], vb[256];

    k = blame(org, a, b, &where);
    fmt_value(p, a, va, sizeof(va));
    fmt_value(p, b, vb, sizeof(vb));
    if (k == a)
        return err_set(e, PS_EINVAL, "%s must be %s '%s.%s' (%s) (got '%s')",
                       subject(where, a, subj, sizeof(subj)), fmt_a, b->section, b->key, vb, va);
    return err_set(e, PS_EINVAL, "%s must be %s '%s.%s' (%s) (got '%s')",
                   subject(where, b, subj, sizeof(subj)), fmt_b, a->section, a->key, va, vb);
}

static const char *origin_of(const struct origin *org, size_t off)
{
    const struct keydef *k = key_at(off);

    return org && org[k - keys].seq ? org[k - keys].where : NULL;
}

static int validate(const struct scenario *sc, const struct origin *org, struct err *e)
{
    const struct scenario_params *p = &sc->p;
    char subj[256], v[256], v2[256];
    int rc;

    for (size_t i = 0; i < NKEYS; i++) {
        if ((rc = check_range(p, &keys[i], org && org[i].seq ? org[i].where : NULL, NULL,
                              e)) != 0)
            return rc;
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
            const struct keydef *kr = key_at(OFF(stack.reserved)), *k, *k2;
            const char *where;

            k = blame(org, kr, key_at(OFF(stack.port_min)), &where);
            k2 = blame(org, k, key_at(OFF(stack.port_max)), &where);
            fmt_value(p, k2, v, sizeof(v));
            if (k2 == kr)
                return err_set(e, PS_EINVAL, "%s must leave at least one port of %lu..%lu "
                               "free (got '%s')", subject(where, kr, subj, sizeof(subj)),
                               (unsigned long)p->stack.port_min,
                               (unsigned long)p->stack.port_max, v);
            fmt_value(p, kr, v2, sizeof(v2));
            return err_set(e, PS_EINVAL, "%s must leave at least one port free of "
                           "'stack.reserved_ports' (%s) (got '%s')",
                           subject(where, k2, subj, sizeof(subj)), v2, v);
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
        const struct keydef *k = key_at(OFF(workload.arrivals));

        return err_set(e, PS_EINVAL, "%s 'trace' needs 'workload.trace_file' (got 'trace' "
                       "and no trace_file)",
                       subject(origin_of(org, OFF(workload.arrivals)), k, subj, sizeof(subj)));
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

/* Read the trace of arrival times: CSV, first column, seconds; '#' comments
 * and blank lines skipped; one header line allowed before the first value. */
static int load_trace(struct scenario *sc, const struct origin *org, struct err *e)
{
    char path[2 * PARAMS_PATH_MAX], subj[256];
    const char *tf = sc->p.workload.trace_file;
    const char *where = origin_of(org, OFF(workload.trace_file));
    simtime *t = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    unsigned long lineno = 0;
    bool seen_data = false, seen_header = false;
    FILE *f;
    int rc = 0;

    if (tf[0] == '/' || sc->base_dir[0] == '\0')
        snprintf(path, sizeof(path), "%s", tf);
    else
        snprintf(path, sizeof(path), "%s/%s", sc->base_dir, tf);
    if (sc->trace && strcmp(sc->trace_loaded, path) == 0)
        return 0;
    subject(where, key_at(OFF(workload.trace_file)), subj, sizeof(subj));
    if (!(f = fopen(path, "r")))
        return err_set(e, PS_EIO, "%s cannot be read: %s: %s", subj, path, strerror(errno));
    while (getline(&line, &linecap, f) >= 0) {
        char *s = line, *end;
        double v;

        lineno++;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        end = s + strcspn(s, ",\r\n");
        while (end > s && isspace((unsigned char)end[-1]))
            end--;
        *end = '\0';
        if (parse_double(s, &v) != 0 || v < 0) {
            if (!seen_data && !seen_header && parse_double(s, &v) != 0) {
                seen_header = true;     /* a header line such as "time" */
                continue;
            }
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival time must be a number of seconds >= 0 "
                         "(got '%s')", path, lineno, s);
            goto out;
        }
        if ((double)simtime_from_s(v) / 1e9 > 3650.0 * 86400.0 * 2) {
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival time must be at most 7300 d (got '%s')",
                         path, lineno, s);
            goto out;
        }
        t = xgrow(t, &cap, n + 1, sizeof(*t));
        t[n] = simtime_from_s(v);
        if (n > 0 && t[n] < t[n - 1]) {
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival times must not decrease (got '%s' "
                         "after %.9g)", path, lineno, s, simtime_to_s(t[n - 1]));
            goto out;
        }
        n++;
        seen_data = true;
    }
    if (ferror(f)) {
        rc = err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (n == 0) {
        rc = err_set(e, PS_EINVAL, "%s: no arrival times (in '%s')", subj, path);
        goto out;
    }
    free(sc->trace);
    sc->trace = t;
    sc->ntrace = n;
    t = NULL;
    snprintf(sc->trace_loaded, sizeof(sc->trace_loaded), "%s", path);
out:
    free(t);
    free(line);
    fclose(f);
    return rc;
}

static json_t *key_json(const struct scenario_params *p, const struct keydef *k)
{
    switch (k->kind) {
    case K_NAME:
    case K_RNG:
    case K_PATH:
        return json_string(cfield(p, k));
    case K_DUR: {
        simtime t;
        memcpy(&t, cfield(p, k), sizeof(t));
        return json_real(simtime_to_s(t));
    }
    case K_U32: {
        uint32_t v;
        memcpy(&v, cfield(p, k), sizeof(v));
        return json_integer((json_int_t)v);
    }
    case K_U64: {
        uint64_t v;
        memcpy(&v, cfield(p, k), sizeof(v));
        return json_integer((json_int_t)v);     /* only run.seed, never in the JSON */
    }
    case K_DBL: {
        double v;
        memcpy(&v, cfield(p, k), sizeof(v));
        return json_real(v);
    }
    case K_ENUM:
        return json_string(names_of(k->names, get_enum(p, k)));
    case K_PORTS: {
        json_t *a = json_array();
        for (uint32_t i = 0; i < p->stack.nreserved; i++) {
            char buf[16];
            snprintf(buf, sizeof(buf), "%u-%u", p->stack.reserved[i].lo,
                     p->stack.reserved[i].hi);
            json_array_append_new(a, json_string(buf));
        }
        return a;
    }
    }
    assert(!"unknown kind");
    return NULL;
}

static void make_json(struct scenario *sc)
{
    json_t *root = json_object();
    XXH128_hash_t h;
    XXH128_canonical_t c;

    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        json_object_set_new(root, sections[i], json_object());
    for (size_t i = 0; i < NKEYS; i++) {
        if (keys[i].flags & F_NOHASH)
            continue;
        json_object_set_new(json_object_get(root, keys[i].section), keys[i].key,
                            key_json(&sc->p, &keys[i]));
    }
    free(sc->json);
    sc->json = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!sc->json) {
        fprintf(stderr, "portsim: out of memory in json_dumps\n");
        abort();
    }
    h = XXH3_128bits(sc->json, strlen(sc->json));
    XXH128_canonicalFromHash(&c, h);
    for (size_t i = 0; i < sizeof(c.digest); i++)
        snprintf(sc->hash + 2 * i, 3, "%02x", c.digest[i]);
}

static int refresh(struct scenario *sc, const struct origin *org, struct err *e)
{
    int rc;

    if ((rc = validate(sc, org, e)) != 0)
        return rc;
    if (sc->p.workload.arrivals == ARRIVALS_TRACE) {
        if ((rc = load_trace(sc, org, e)) != 0)
            return rc;
    } else {
        free(sc->trace);
        sc->trace = NULL;
        sc->ntrace = 0;
        sc->trace_loaded[0] = '\0';
    }
    make_json(sc);
    return 0;
}

/* ---- Reading the INI file ---- */

struct reader {
    struct inifile ini;         /* the file and the line being handled */
    struct scenario *sc;
    struct origin *org;
    unsigned seq;
    unsigned long err_line;     /* line of the first problem, 0 if none */
    struct err err;             /* its message */
};

/* Record the first problem: 'what' follows "FILE:LINE: ". */
static void reader_fail(struct reader *r, const char *what)
{
    if (r->err_line)
        return;
    r->err_line = r->ini.lineno;
    err_set(&r->err, PS_EINVAL, "%s:%lu: %s", r->ini.path, r->ini.lineno, what);
}

static void on_problem(void *user, const char *what)
{
    reader_fail(user, what);
}

static void on_section(void *user, const char *name)
{
    if (!is_section(name)) {
        char what[300];

        snprintf(what, sizeof(what), "unknown section '[%s]' (sections: run, stack, workload)",
                 name);
        reader_fail(user, what);
    }
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct reader *r = user;
    char where[96], section_key[160];
    struct err e;

    if (r->err_line)
        return 1;               /* stop at the first problem: ignore the rest */
    snprintf(where, sizeof(where), "%s:%lu", r->ini.path, r->ini.lineno);
    if (section[0] == '\0') {
        err_set(&r->err, PS_EINVAL, "%s: key '%s' outside any section (sections: [run], "
                "[stack], [workload])", where, name);
        r->err_line = r->ini.lineno;
        return 0;
    }
    snprintf(section_key, sizeof(section_key), "%s.%s", section, name);
    {
        const struct keydef *k;
        size_t idx;

        if ((k = find_key(section, name, &idx)) != NULL && r->org[idx].seq &&
            strncmp(r->org[idx].where, r->ini.path, strlen(r->ini.path)) == 0) {
            err_set(&r->err, PS_EINVAL, "%s: '%s' is set twice (first at %s)", where,
                    section_key, r->org[idx].where);
            r->err_line = r->ini.lineno;
            return 0;
        }
    }
    err_clear(&e);
    if (set_key(r->sc, where, section_key, value, r->org, ++r->seq, &e) != 0) {
        r->err = e;
        r->err_line = r->ini.lineno;
        return 0;
    }
    return 1;
}

static int read_file(struct scenario *sc, const char *path, struct origin *org, unsigned *seq,
                     struct err *e)
{
    struct reader r;
    int rc, line;

    memset(&r, 0, sizeof(r));
    if ((rc = inifile_open(&r.ini, path, e)) != 0)
        return rc;
    r.ini.on_section = on_section;
    r.ini.on_problem = on_problem;
    r.ini.user = &r;
    r.sc = sc;
    r.org = org;
    err_clear(&r.err);
    line = inifile_parse(&r.ini, on_key, &r);
    if (line > 0 && (r.err_line == 0 || (unsigned long)line < r.err_line)) {
        rc = inifile_syntax_error(&r.ini, line, e);     /* neither a key nor a section */
    } else if (r.err_line) {
        *e = r.err;
        rc = r.err.code;
    }
    *seq = r.seq;
    inifile_fini(&r.ini);
    return rc;
}

/* ---- Public functions ---- */

static void set_defaults(struct scenario *sc, const char *path)
{
    struct scenario_params *p = &sc->p;
    const char *base;
    size_t len;

    memset(sc, 0, sizeof(*sc));
    snprintf(p->run.name, sizeof(p->run.name), "scenario");
    if (path) {
        base = strrchr(path, '/');
        base = base ? base + 1 : path;
        len = strlen(base);
        if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
            len -= 4;
        if (len > 0) {
            if (len >= sizeof(p->run.name))
                len = sizeof(p->run.name) - 1;
            memcpy(p->run.name, base, len);
            p->run.name[len] = '\0';
        }
        len = (size_t)(base - path);
        if (len > 0 && len < sizeof(sc->base_dir)) {
            memcpy(sc->base_dir, path, len - 1);
            sc->base_dir[len - 1] = '\0';
            if (sc->base_dir[0] == '\0')
                strcpy(sc->base_dir, "/");
        }
    }
    p->run.duration_ns = 3600 * NS_S;
    p->run.warmup_ns = 0;
    p->run.seed = 1;
    p->run.replications = 1;
    p->run.sample_interval_ns = NS_S;
    snprintf(p->run.rng, sizeof(p->run.rng), "%s", RNG_DEFAULT);
    p->stack = profile_get(PROFILE_WIN2000)->defaults;
    p->stack.profile = PROFILE_WIN2000;
    p->workload.arrivals = ARRIVALS_POISSON;
    p->workload.rate_per_s = 10;
    p->workload.amplitude = 0.5;
    p->workload.period_ns = 86400 * NS_S;
    p->workload.trace_file[0] = '\0';
    p->workload.mailboxes = 1000;
    p->workload.popularity = POPULARITY_UNIFORM;
    p->workload.zipf_s = 1;
    p->workload.cache_ttl_ns = 0;
    p->workload.connection_limit = 0;
    p->workload.service_time_ns = 50 * NS_MS;
    p->workload.service_dist = SERVICE_CONSTANT;
    p->workload.service_sigma = 0.5;
    p->workload.servers = 1;
    p->workload.close = CLOSE_CLIENT;
    p->workload.retries = 0;
    p->workload.retry_backoff_ns = NS_S;
}

int scenario_load(struct scenario *sc, const char *path, const char *const *sets,
                  size_t nsets, struct err *e)
{
    struct origin *org = xcalloc(NKEYS, sizeof(*org));
    unsigned seq = 0;
    int rc = 0;

    set_defaults(sc, path);
    if (path && (rc = read_file(sc, path, org, &seq, e)) != 0)
        goto out;
    for (size_t i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        char section_key[160];

        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof(section_key)) {
            rc = err_set(e, PS_EINVAL, "--set '%s': must be section.key=value", sets[i]);
            goto out;
        }
        memcpy(section_key, sets[i], (size_t)(eq - sets[i]));
        section_key[eq - sets[i]] = '\0';
        {
            size_t len = strlen(section_key);     /* "key = value" */
            while (len > 0 && isspace((unsigned char)section_key[len - 1]))
                section_key[--len] = '\0';
        }
        if ((rc = set_key(sc, "--set", section_key, eq + 1, org, ++seq, e)) != 0)
            goto out;
    }
    rc = refresh(sc, org, e);
out:
    free(org);
    if (rc != 0)
        scenario_fini(sc);
    return rc;
}

int scenario_refresh(struct scenario *sc, struct err *e)
{
    return refresh(sc, NULL, e);
}

void scenario_copy(struct scenario *dst, const struct scenario *src)
{
    *dst = *src;
    dst->json = src->json ? xstrdup(src->json) : NULL;
    dst->trace = NULL;
    if (src->ntrace > 0) {
        dst->trace = xmalloc(src->ntrace * sizeof(*dst->trace));
        memcpy(dst->trace, src->trace, src->ntrace * sizeof(*dst->trace));
    }
}

void scenario_fini(struct scenario *sc)
{
    free(sc->trace);
    free(sc->json);
    sc->trace = NULL;
    sc->ntrace = 0;
    sc->json = NULL;
    sc->trace_loaded[0] = '\0';
}

int scenario_set_key(struct scenario *sc, const char *where, const char *section_key,
                     const char *value, struct err *e)
{
    return set_key(sc, where, section_key, value, NULL, 0, e);
}

bool scenario_key_is_set(const struct scenario *sc, const char *section_key)
{
    const char *dot = strchr(section_key, '.');
    char section[64];
    size_t idx;

    if (!dot || (size_t)(dot - section_key) >= sizeof(section))
        return false;
    memcpy(section, section_key, (size_t)(dot - section_key));
    section[dot - section_key] = '\0';
    if (!find_key(section, dot + 1, &idx))
        return false;
    return (sc->set_mask >> idx) & 1u;
}

int scenario_key_format(const struct scenario *sc, const char *section_key, char *buf,
                        size_t size, struct err *e)
{
    const char *dot = strchr(section_key, '.');
    char section[64];
    const struct keydef *k;

    if (!dot || (size_t)(dot - section_key) >= sizeof(section))
        return err_set(e, PS_EINVAL, "unknown key '%s', expected section.key", section_key);
    memcpy(section, section_key, (size_t)(dot - section_key));
    section[dot - section_key] = '\0';
    if (!(k = find_key(section, dot + 1, NULL)))
        return unknown_key(e, NULL, section, dot + 1);
    fmt_value(&sc->p, k, buf, size);
    return 0;
}
