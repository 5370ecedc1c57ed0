/* keys.c - the key tables and the parsing of one value (see keys.h).
 *
 * The tables below are the only place a key is spelt.  Defaults are the
 * text a file would hold and are applied through keys_parse() like any
 * value, so a default is always in range.  Ranges: durations in ns,
 * counts as integers, doubles with an open or closed lower bound.
 */
#include "models/keys.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"
#include "sim/err.h"
#include "sim/fmt.h"
#include "sim/numparse.h"
#include "sim/rng.h"
#include "sim/simtime.h"
#include "sim/suggest.h"

#define NS_MS UINT64_C(1000000)
#define NS_S UINT64_C(1000000000)
#define BYTES_MIB (UINT64_C(1) << 20)
#define NS_DAY (UINT64_C(86400) * NS_S)
#define NS_10Y (UINT64_C(3650) * NS_DAY)
#define OFF(f) offsetof(struct scenario_params, f)
#define SZ(f) sizeof(((struct scenario_params *)0)->f)
#define PROF "from the profile"

#define DURATION_HINT "a number of seconds with an optional unit ns, us, ms, s, min, h or d"

/* One macro per type keeps each row of the table on a few lines. */
#define STR(sec, k, t, f, fl, allowed, def, note, help) \
    {sec, k, t, OFF(f), 0, SZ(f), NULL, 0, 0, 0, 0, fl, allowed, "", def, note, help}
#define DUR(sec, k, f, lo, hi, fl, allowed, def, help) \
    {sec, k, KEY_DUR, OFF(f), 0, 0, NULL, lo, hi, 0, 0, fl, allowed, "s", def, PROF, help}
#define INT(sec, k, t, f, lo, hi, fl, allowed, unit, def, help) \
    {sec, k, t, OFF(f), 0, 0, NULL, lo, hi, 0, 0, fl, allowed, unit, def, PROF, help}
#define DBL(sec, k, f, lo, hi, fl, allowed, unit, def, help) \
    {sec, k, KEY_DBL, OFF(f), 0, 0, NULL, 0, 0, lo, hi, fl, allowed, unit, def, PROF, help}
#define ENUM(sec, k, f, n, fl, def, help) \
    {sec, k, KEY_ENUM, OFF(f), 0, 0, &n, 0, 0, 0, 0, fl, NULL, "", def, PROF, help}

#define NATPROF "from nat.profile"
#define NAT_INT(k, f, lo, hi, allowed, unit, help) \
    {"nat", k, KEY_U32, OFF(f), 0, 0, NULL, lo, hi, 0, 0, KEY_PROFILE, allowed, unit, NULL, \
     NATPROF, help}
#define NAT_DUR(k, f, lo, hi, allowed, help) \
    {"nat", k, KEY_DUR, OFF(f), 0, 0, NULL, lo, hi, 0, 0, KEY_PROFILE, allowed, "s", NULL, \
     NATPROF, help}

static const struct key_def scenario_keys[] = {
    STR("run", "base", KEY_PATH, run.name, KEY_NOHASH | KEY_NOFIELD,
        "a scenario file (relative to this file), and the first key of the file", NULL,
        "none", "a base scenario whose keys this file's keys override"),
    STR("run", "name", KEY_NAME, run.name, 0, "a name of 1..127 printable characters", NULL,
        "file name without .ini ('scenario')", "the name recorded with each run"),
    DUR("run", "duration", run.duration_ns, 1, NS_10Y, 0, "> 0 s and at most 3650 d", "3600",
        "simulated time of one run"),
    DUR("run", "warmup", run.warmup_ns, 0, NS_10Y, 0, "0..3650 d and below 'run.duration'",
        "0", "time at the start left out of the metrics"),
    INT("run", "seed", KEY_U64, run.seed, 0, UINT64_MAX, KEY_NOHASH,
        "an integer 0..18446744073709551615", "", "1", "seed of the first replication"),
    INT("run", "replications", KEY_U32, run.replications, 1, 100000, KEY_NOHASH,
        "an integer 1..100000", "", "1", "runs with seeds derived from run.seed"),
    DUR("run", "sample_interval", run.sample_interval_ns, NS_MS, NS_10Y, KEY_ZERO_OR,
        "0 (no samples) or 1 ms..3650 d", "1", "time between samples (at most 10^7 a run)"),
    STR("run", "rng", KEY_RNG, run.rng, 0,
        "a GSL generator name, e.g. mt19937, ranlxd2, taus2", "mt19937", NULL,
        "the GSL random number generator"),
    ENUM("stack", "profile", stack.profile, names_profile, 0, "win2000",
         "the operating system whose defaults the stack.* keys take"),
    INT("stack", "port_min", KEY_U32, stack.port_min, 1, 65535, KEY_PROFILE,
        "an integer 1..65535", "port", NULL, "lowest ephemeral port (<= port_max)"),
    INT("stack", "port_max", KEY_U32, stack.port_max, 1, 65535, KEY_PROFILE,
        "an integer 1..65535", "port", NULL, "highest ephemeral port (MaxUserPort)"),
    DUR("stack", "time_wait", stack.time_wait_ns, 0, 86400 * NS_S, KEY_PROFILE, "0..86400 s",
        NULL, "TIME_WAIT length (TcpTimedWaitDelay, 2 MSL)"),
    ENUM("stack", "allocator", stack.allocator, names_allocator, KEY_PROFILE, NULL,
         "how connect() picks an ephemeral port"),
    ENUM("stack", "port_sharing", stack.port_sharing, names_sharing, KEY_PROFILE, NULL,
         "whether a port serves one connection or one per destination"),
    ENUM("stack", "pool", stack.pool, names_pool, KEY_PROFILE, NULL,
         "one port pool for the host or one per local address"),
    ENUM("stack", "reuse_time_wait", stack.reuse_time_wait, names_reuse, KEY_PROFILE, NULL,
         "when a port in TIME_WAIT may be taken again"),
    DUR("stack", "tw_reuse_delay", stack.tw_reuse_delay_ns, NS_MS, 60 * NS_S, KEY_PROFILE,
        "1 ms..60 s", NULL, "reuse_time_wait after-delay: the delay"),
    ENUM("stack", "collision", stack.collision, names_collision, KEY_PROFILE, NULL,
         "a picked port in use: fail the connect() or skip to another"),
    INT("stack", "max_time_wait", KEY_U32, stack.max_time_wait, 0, 100000000, KEY_PROFILE,
        "an integer 0..100000000 (0 = no cap)", "connections", NULL,
        "cap on TIME_WAIT entries (0 = no cap)"),
    ENUM("stack", "tw_overflow", stack.tw_overflow, names_tw_overflow, KEY_PROFILE, NULL,
         "what happens at max_time_wait"),
    {"stack", "reserved_ports", KEY_PORTS, OFF(stack.reserved), OFF(stack.nreserved), 0, NULL,
     0, 0, 0, 0, 0, "a comma list of ports and ranges 1..65535, e.g. '1080, 3000-3100', "
     "at most 32 entries", "port", "", NULL,
     "ports never handed out (must leave one free)"},
    INT("stack", "local_addresses", KEY_U32, stack.local_addresses, 1, 256, KEY_PROFILE,
        "an integer 1..256", "addresses", NULL, "local IP addresses of the client host"),
    DUR("stack", "timer_tick", stack.timer_tick_ns, 0, 86400 * NS_S, KEY_PROFILE,
        "0..86400 s (0 = exact)", NULL,
        "granularity of the TIME_WAIT timer (0 = exact; default from hz)"),
    INT("stack", "random_fallback_cps", KEY_U32, stack.random_fallback_cps, 0, 1000000,
        KEY_PROFILE, "an integer 0..1000000 (0 = off)", "connections/s", NULL,
        "FreeBSD: sequential above this rate (0 = off)"),
    DUR("stack", "random_fallback_time", stack.random_fallback_time_ns, 0, 86400 * NS_S,
        KEY_PROFILE, "0..86400 s", NULL, "FreeBSD: back to random after this quiet time"),
    /* issue 11: the host's kernel */
    INT("stack", "memory", KEY_U64, stack.memory_bytes, BYTES_MIB, UINT64_C(1) << 50,
        KEY_PROFILE | KEY_BYTES, "a size 1 MiB..1 PiB: bytes or a number with KiB, MiB, GiB "
        "or TiB", "bytes", NULL, "host RAM (Linux sizes max_time_wait from it)"),
    INT("stack", "hz", KEY_U32, stack.hz, 100, 1000, KEY_PROFILE | KEY_ZERO_OR,
        "0, 100, 250, 300 or 1000", "Hz", NULL,
        "Linux CONFIG_HZ: sets timer_tick from the timer wheel (0 = not Linux)"),
    /* issue 17: the cost of a connect() and the clock wrap */
    DUR("stack", "connect_cost", stack.connect_cost_ns, 0, NS_S, KEY_PROFILE, "0..1 s", NULL,
        "fixed time of a connect() (the cost model)"),
    DUR("stack", "candidate_cost", stack.candidate_cost_ns, 0, NS_MS, KEY_PROFILE, "0..1 ms",
        NULL, "time per candidate port a connect() examines"),
    DUR("stack", "lookup_cost", stack.lookup_cost_ns, 0, NS_MS, KEY_PROFILE, "0..1 ms", NULL,
        "time per table lookup (a candidate that holds a socket)"),
    DUR("stack", "uptime", stack.uptime_ns, 0, NS_10Y, 0, "0..3650 d", "0",
        "the host's uptime at the start of the run"),
    DUR("stack", "clock_wrap", stack.clock_wrap_ns, 0, NS_10Y, KEY_PROFILE,
        "0..3650 d (0 = never)", NULL,
        "uptime at which the TCP clock wraps and TIME_WAIT stops expiring (0 = never)"),
    ENUM("stack", "clock_wrap_fix", stack.clock_wrap_fix, names_yesno, 0, "no",
         "yes: the clock wrap fix is installed (KB 2553549)"),
    ENUM("workload", "arrivals", workload.arrivals, names_arrivals, 0, "poisson",
         "arrival process of requests (trace needs trace_file)"),
    DBL("workload", "rate", workload.rate_per_s, 0, 1e7, KEY_GT,
        "a number > 0 and at most 1e7 (requests/s)", "requests/s", "10",
        "mean request rate"),
    DBL("workload", "amplitude", workload.amplitude, 0, 1, 0, "a number 0..1", "", "0.5",
        "diurnal: relative swing of the rate"),
    DUR("workload", "period", workload.period_ns, 1, NS_10Y, 0, "> 0 s and at most 3650 d",
        "86400", "diurnal: period of the swing"),
    STR("workload", "trace_file", KEY_PATH, workload.trace_file, 0,
        "a path of at most 511 characters", "", NULL,
        "CSV of arrival times in s, first column (relative to the file that sets it)"),
    INT("workload", "mailboxes", KEY_U32, workload.mailboxes, 1, 1000000000, 0,
        "an integer 1..1000000000", "mailboxes", "1000", "distinct mailboxes requested"),
    ENUM("workload", "popularity", workload.popularity, names_popularity, 0, "uniform",
         "which mailbox a request names"),
    DBL("workload", "zipf_s", workload.zipf_s, 0, 10, KEY_GT, "a number > 0 and at most 10", "",
        "1", "zipf: exponent"),
    DUR("workload", "cache_ttl", workload.cache_ttl_ns, 0, 86400 * NS_S, 0, "0..86400 s", "0",
        "how long a mailbox lookup is cached (MailboxCacheTTL)"),
    INT("workload", "connection_limit", KEY_U32, workload.connection_limit, 0, 10000000, 0,
        "an integer 0..10000000 (0 = no limit)", "connections", "0",
        "open connections allowed at once (0 = no limit)"),
    INT("workload", "pool_size", KEY_U32, workload.pool_size, 0, 1000000, KEY_HASH_SET,
        "an integer 0..1000000 (0 = one shared connection per mailbox)", "connections", "0",
        "a mailbox is a pool keeping up to this many idle connections (LIFO) for cache_ttl"),
    DUR("workload", "service_time", workload.service_time_ns, 0, 86400 * NS_S, 0, "0..86400 s",
        "0.05", "mean time a connection is held"),
    ENUM("workload", "service_dist", workload.service_dist, names_service_dist, 0, "constant",
         "distribution of the service time"),
    DBL("workload", "service_sigma", workload.service_sigma, 0, 10, 0, "a number 0..10", "",
        "0.5", "lognormal: sigma of the service time"),
    INT("workload", "servers", KEY_U32, workload.servers, 1, 65536, 0, "an integer 1..65536",
        "servers", "1", "back-end servers (destinations)"),
    ENUM("workload", "close", workload.close, names_close, 0, "client",
         "which side closes first (and keeps TIME_WAIT)"),
    INT("workload", "retries", KEY_U32, workload.retries, 0, 100, 0, "an integer 0..100", "",
        "0", "retries of a failed connect(); backoff doubles each time"),
    DUR("workload", "retry_backoff", workload.retry_backoff_ns, 0, 86400 * NS_S, 0, "0..86400 s",
        "1", "wait before the first retry"),
    /* issue 11: binding and load balancing */
    ENUM("workload", "bind", workload.bind, names_bind, 0, "none",
         "bind() before connect(): none, bind(addr, 0), IP_BIND_ADDRESS_NO_PORT"),
    ENUM("workload", "balance", workload.balance, names_balance, 0, "by-mailbox",
         "which server a new connection goes to"),
    /* issue 17: leaked sockets */
    DBL("workload", "leak", workload.leak, 0, 1, 0, "a number 0..1", "", "0",
        "share of connections whose socket is never closed (BOUND)"),
    DUR("workload", "restart_interval", workload.restart_interval_ns, 0, NS_10Y, 0,
        "0..3650 d (0 = never)", "0", "process restart: frees every leaked port (0 = never)"),
    /* ---- [nat] and [fleet] (issue 12): defaults from nat.profile ---- */
    ENUM("nat", "profile", nat.profile, names_nat_profile, 0, "none",
         "the NAT between the hosts and the servers (none: no NAT)"),
    NAT_INT("public_ips", nat.public_ips, 1, 16, "an integer 1..16", "addresses",
            "public IPs of the NAT (frontends)"),
    NAT_INT("port_min", nat.port_min, 1, 65535, "an integer 1..65535", "port",
            "lowest public port (<= port_max)"),
    NAT_INT("port_max", nat.port_max, 1, 65535, "an integer 1..65535", "port",
            "highest public port"),
    NAT_INT("per_destination_limit", nat.per_dst_limit, 0, 65535,
            "an integer 0..65535 (0 = the ports)", "flows",
            "flows per public IP to one destination (0 = no cap but the ports)"),
    NAT_INT("ports_per_host", nat.ports_per_host, 0, 65536,
            "an integer 0..65536 (0 = the azure-lb table)", "ports",
            "ports reserved per host (azure-lb, gcp-cloudnat minimum)"),
    NAT_INT("max_ports_per_host", nat.max_ports_per_host, 0, 65536,
            "an integer 0..65536 (0 = static)", "ports",
            "gcp-cloudnat dynamic allocation: doubles up to this (0 = static)"),
    NAT_DUR("hold_fin", nat.hold_fin_ns, 0, 86400 * NS_S, "0..86400 s",
            "a public port held for its destination after a FIN"),
    NAT_DUR("hold_rst", nat.hold_rst_ns, 0, 86400 * NS_S, "0..86400 s",
            "a public port held for its destination after an RST"),
    NAT_DUR("idle_timeout", nat.idle_timeout_ns, NS_S, 432000 * NS_S, "1..432000 s",
            "an idle flow's mapping is dropped after this"),
    NAT_INT("random_fully", nat.random_fully, 0, 1, "0 or 1", "",
            "linux-conntrack: 1 = never keep the source port (--random-fully)"),
    NAT_INT("eim", nat.eim, 0, 1, "0 or 1", "",
            "gcp-cloudnat: endpoint-independent mapping"),
    NAT_INT("syn_retries", nat.syn_retries, 0, 30, "an integer 0..30", "",
            "SYN retransmissions before connect() times out (default: stack.profile's)"),
    NAT_DUR("syn_rto", nat.syn_rto_ns, NS_MS, 60 * NS_S, "1 ms..60 s",
            "first SYN retransmission timeout; doubles"),
    INT("fleet", "hosts", KEY_U32, fleet.hosts, 1, 32767, 0, "an integer 1..32767", "hosts",
        "1", "client hosts (VMs, nodes), each with the stack of stack.profile"),
};

/* scenario.h's 'set_mask' has one bit per key of this table (issues 11, 12
 * and 17 took it past 64 keys): past SCENARIO_KEYS_MAX the mask must grow. */
_Static_assert(sizeof(scenario_keys) / sizeof(scenario_keys[0]) <= SCENARIO_KEYS_MAX,
               "struct scenario's set_mask holds one bit per scenario key");

#define SOFF(f) offsetof(struct sweep_keys, f)
#define SSZ(f) sizeof(((struct sweep_keys *)0)->f)

static const struct key_def sweep_keys_table[] = {
    {"sweep", "name", KEY_NAME, SOFF(name), 0, SSZ(name), NULL, 0, 0, 0, 0, 0,
     "a name of 1..127 printable characters", "", NULL, "file name without .sweep",
     "the sweep's name in the database"},
    {"sweep", "scenario", KEY_PATH, SOFF(scenario), 0, SSZ(scenario), NULL, 0, 0, 0, 0, 0,
     "a scenario file (relative to the sweep file)", "", NULL, "required",
     "the scenario the remedies and varied keys apply to"},
    {"sweep", "replications", KEY_U32, SOFF(replications), 0, 0, NULL, 1, 100000, 0, 0, 0,
     "a whole number 1..100000", "", NULL, "the scenario's run.replications",
     "replications of every remedy and point"},
    {"sweep", "seed", KEY_U64, SOFF(seed), 0, 0, NULL, 0, UINT64_MAX, 0, 0, 0,
     "a whole number 0..18446744073709551615", "", NULL, "the scenario's run.seed",
     "base seed; replication i runs with rng_derive(seed, i)"},
};

const char *const keys_sections[KEYS_NSECTIONS] = {"run", "stack", "workload", "nat", "fleet"};

const char *keys_sections_text(bool brackets, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < KEYS_NSECTIONS && used < size; i++) {
        int w = snprintf(buf + used, size - used, brackets ? "%s[%s]" : "%s%s", i ? ", " : "",
                         keys_sections[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

const struct key_def *keys_scenario(size_t *n)
{
    *n = sizeof(scenario_keys) / sizeof(scenario_keys[0]);
    return scenario_keys;
}

const struct key_def *keys_sweep(size_t *n)
{
    *n = sizeof(sweep_keys_table) / sizeof(sweep_keys_table[0]);
    return sweep_keys_table;
}

const struct key_def *keys_find(const struct key_def *table, size_t n, const char *section,
                                const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].section, section) == 0 && strcmp(table[i].name, name) == 0)
            return &table[i];
    }
    return NULL;
}

const char *keys_allowed(const struct key_def *k, bool form, char *buf, size_t size)
{
    char words[256];

    if (k->type == KEY_ENUM)
        snprintf(buf, size, "one of %s", names_allowed(k->names, words, sizeof(words)));
    else if (k->type == KEY_DUR && form)
        snprintf(buf, size, "%s, %s", k->allowed, DURATION_HINT);
    else
        snprintf(buf, size, "%s", k->allowed);
    return buf;
}

const char *keys_type_name(const struct key_def *k)
{
    switch (k->type) {
    case KEY_NAME: return "text";
    case KEY_RNG: return "word";
    case KEY_PATH: return "path";
    case KEY_DUR: return "duration";
    case KEY_U32: return "integer";
    case KEY_U64: return (k->flags & KEY_BYTES) ? "size" : "integer";
    case KEY_DBL: return "number";
    case KEY_ENUM: return "word";
    case KEY_PORTS: return "port list";
    }
    return "?";
}

const char *keys_list(const struct key_def *table, size_t n, const char *section, char *buf,
                      size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        if (strcmp(table[i].section, section) != 0)
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", table[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

const char *keys_suggest(const struct key_def *table, size_t n, const char *section,
                         const char *name, char *buf, size_t size)
{
    char typed[SUGGEST_MAX_LEN + 2], cand[SUGGEST_MAX_LEN + 2];
    size_t bestd = SUGGEST_MAX_LEN + 1, best = n;

    snprintf(typed, sizeof(typed), "%s.%s", section, name);
    for (size_t i = 0; i < n; i++) {
        size_t d;

        snprintf(cand, sizeof(cand), "%s.%s", table[i].section, table[i].name);
        d = suggest_distance(typed, cand);
        if (d < bestd && suggest_near(typed, cand)) {
            bestd = d;
            best = i;
        }
    }
    if (best == n)
        return NULL;
    snprintf(buf, size, "%s.%s", table[best].section, table[best].name);
    return buf;
}

/* ---- One value ---- */

static void *field(void *base, const struct key_def *k)
{
    return (char *)base + k->off;
}

static const void *cfield(const void *base, const struct key_def *k)
{
    return (const char *)base + k->off;
}

/* Enums are stored through memcpy of an int: every enum of params.h has
 * small non-negative values, whose representation is the same in any
 * compatible integer type. */
static unsigned get_enum(const void *base, const struct key_def *k)
{
    int v;

    _Static_assert(sizeof(enum allocator_id) == sizeof(int), "enums are int-sized");
    memcpy(&v, cfield(base, k), sizeof(v));
    return (unsigned)v;
}

static int cmp_range(const void *a, const void *b)
{
    const struct port_range *x = a, *y = b;

    return x->lo != y->lo ? (x->lo < y->lo ? -1 : 1) : (x->hi < y->hi ? -1 : x->hi > y->hi);
}

static const char *skip_blanks(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* One port "1080" at 'p' (digits only, 1..65535); the text after it. */
static const char *parse_port(const char *p, unsigned long *out)
{
    char digits[8];
    size_t n = strspn(p, "0123456789");
    uint64_t v;

    if (n == 0 || n >= sizeof(digits))
        return NULL;
    memcpy(digits, p, n);
    digits[n] = '\0';
    if (numparse_u64(digits, &v) != 0 || v < 1 || v > 65535)
        return NULL;
    *out = (unsigned long)v;
    return skip_blanks(p + n);
}

/* "1080, 3000-3100" into sorted, merged ranges; "" is no range. */
static int parse_ports(const char *text, struct port_range *out, uint32_t *nout)
{
    struct port_range r[PARAMS_RESERVED_MAX];
    uint32_t n = 0, m = 0;
    const char *p = skip_blanks(text);

    while (*p) {
        unsigned long lo, hi;

        if (n == PARAMS_RESERVED_MAX || !(p = parse_port(p, &lo)))
            return PS_EINVAL;
        hi = lo;
        if (*p == '-' && !(p = parse_port(skip_blanks(p + 1), &hi)))
            return PS_EINVAL;
        if (lo > hi)
            return PS_EINVAL;
        r[n].lo = (uint16_t)lo;
        r[n].hi = (uint16_t)hi;
        n++;
        if (*p == ',') {
            p = skip_blanks(p + 1);
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

bool keys_in_range(const struct key_def *k, const void *base)
{
    uint64_t u = 0;

    switch (k->type) {
    case KEY_NAME: {
        const char *s = cfield(base, k);
        bool ok = s[0] != '\0';
        for (; *s; s++)
            ok = ok && !iscntrl((unsigned char)*s);
        return ok;
    }
    case KEY_RNG:
        return rng_type_by_name(cfield(base, k)) != NULL;
    case KEY_PATH:
    case KEY_ENUM:
    case KEY_PORTS:
        return true;
    case KEY_DUR:
    case KEY_U64:
        memcpy(&u, cfield(base, k), sizeof(u));
        break;
    case KEY_U32: {
        uint32_t v;
        memcpy(&v, cfield(base, k), sizeof(v));
        u = v;
        break;
    }
    case KEY_DBL: {
        double v;
        memcpy(&v, cfield(base, k), sizeof(v));
        return ((k->flags & KEY_GT) ? v > k->dlo : v >= k->dlo) && v <= k->dhi;
    }
    }
    return (u >= k->lo && u <= k->hi) || (u == 0 && (k->flags & KEY_ZERO_OR));
}

/* A size: whole bytes, or a number and one of KiB, MiB, GiB, TiB (blanks
 * allowed between), "8GiB", "1.5 GiB"; rounded to whole bytes. */
static int parse_bytes(const char *value, uint64_t *out)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v;
    size_t len;

    if (numparse_u64(value, out) == 0)
        return 0;
    if (numparse_double_prefix(value, &v, &len) != 0 || v < 0)
        return PS_EINVAL;
    value += len;
    while (*value == ' ')
        value++;
    for (unsigned i = 0; i < 4; i++) {
        if (strcmp(value, units[i]) == 0) {
            v *= (double)(UINT64_C(1) << (10 * (i + 1)));
            if (v >= 18446744073709551615.0)
                return PS_EINVAL;
            *out = (uint64_t)(v + 0.5);
            return 0;
        }
    }
    return PS_EINVAL;
}

/* 'v' bytes as a file would write it: "8GiB" when whole, else bytes. */
static void format_bytes(uint64_t v, char *buf, size_t size)
{
    static const char *const units[] = {"TiB", "GiB", "MiB", "KiB"};

    for (unsigned i = 0; i < 4; i++) {
        unsigned shift = 10 * (4 - i);

        if (v != 0 && v % (UINT64_C(1) << shift) == 0) {
            snprintf(buf, size, "%llu%s", (unsigned long long)(v >> shift), units[i]);
            return;
        }
    }
    snprintf(buf, size, "%llu", (unsigned long long)v);
}

/* Parse into 'tmp' (a copy of the field's struct) without a range check. */
static int parse_raw(const struct key_def *k, const char *value, void *tmp)
{
    uint64_t u;

    switch (k->type) {
    case KEY_NAME:
    case KEY_RNG:
    case KEY_PATH:
        if (strlen(value) >= k->size)
            return PS_EINVAL;
        memcpy(field(tmp, k), value, strlen(value) + 1);
        return 0;
    case KEY_DUR: {
        simtime t;
        if (numparse_duration(value, &t) != 0)
            return PS_EINVAL;
        memcpy(field(tmp, k), &t, sizeof(t));
        return 0;
    }
    case KEY_U32:
    case KEY_U64:
        if ((k->flags & KEY_BYTES) ? parse_bytes(value, &u) != 0
                                   : numparse_u64(value, &u) != 0 || u > k->hi)
            return PS_EINVAL;
        if (k->type == KEY_U32) {
            uint32_t v32 = (uint32_t)u;
            memcpy(field(tmp, k), &v32, sizeof(v32));
        } else {
            memcpy(field(tmp, k), &u, sizeof(u));
        }
        return 0;
    case KEY_DBL: {
        double v;
        if (numparse_double(value, &v) != 0)
            return PS_EINVAL;
        memcpy(field(tmp, k), &v, sizeof(v));
        return 0;
    }
    case KEY_ENUM: {
        unsigned v;
        int iv;
        if (names_find(k->names, value, &v) != 0)
            return PS_EINVAL;
        iv = (int)v;
        memcpy(field(tmp, k), &iv, sizeof(iv));
        return 0;
    }
    case KEY_PORTS: {
        struct port_range r[PARAMS_RESERVED_MAX];
        uint32_t n;
        memset(r, 0, sizeof(r));        /* unused entries are zero: structs compare */
        if (parse_ports(value, r, &n) != 0)
            return PS_EINVAL;
        memcpy(field(tmp, k), r, sizeof(r));
        memcpy((char *)tmp + k->off_n, &n, sizeof(n));
        return 0;
    }
    }
    return PS_EINVAL;
}

/* The largest struct a table describes, for a scratch copy. */
union key_scratch {
    struct scenario_params p;
    struct sweep_keys s;
};

int keys_parse(const struct key_def *k, const char *value, void *base)
{
    union key_scratch tmp;
    size_t size = strcmp(k->section, "sweep") == 0 ? sizeof(struct sweep_keys)
                                                   : sizeof(struct scenario_params);

    if (k->flags & KEY_NOFIELD)
        return 0;
    memcpy(&tmp, base, size);
    if (parse_raw(k, value, &tmp) != 0)
        return KEYS_EFORM;
    if (!keys_in_range(k, &tmp))
        return KEYS_ERANGE;
    memcpy(base, &tmp, size);
    return 0;
}

static void format_ports(const void *base, const struct key_def *k, char *buf, size_t size)
{
    struct port_range r[PARAMS_RESERVED_MAX];
    uint32_t n;
    size_t used = 0;

    memcpy(r, cfield(base, k), sizeof(r));
    memcpy(&n, (const char *)base + k->off_n, sizeof(n));
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && used < size; i++) {
        int w = r[i].lo == r[i].hi
                    ? snprintf(buf + used, size - used, "%s%u", i ? ", " : "", r[i].lo)
                    : snprintf(buf + used, size - used, "%s%u-%u", i ? ", " : "", r[i].lo,
                               r[i].hi);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

void keys_format(const struct key_def *k, const void *base, char *buf, size_t size)
{
    switch (k->type) {
    case KEY_NAME:
    case KEY_RNG:
    case KEY_PATH:
        snprintf(buf, size, "%s", (k->flags & KEY_NOFIELD) ? "" : (const char *)cfield(base, k));
        return;
    case KEY_DUR: {
        simtime t;
        memcpy(&t, cfield(base, k), sizeof(t));
        fmt_seconds(t, buf, size);
        return;
    }
    case KEY_U32: {
        uint32_t v;
        memcpy(&v, cfield(base, k), sizeof(v));
        snprintf(buf, size, "%lu", (unsigned long)v);
        return;
    }
    case KEY_U64: {
        uint64_t v;
        memcpy(&v, cfield(base, k), sizeof(v));
        if (k->flags & KEY_BYTES)
            format_bytes(v, buf, size);
        else
            snprintf(buf, size, "%llu", (unsigned long long)v);
        return;
    }
    case KEY_DBL: {
        double v;
        memcpy(&v, cfield(base, k), sizeof(v));
        fmt_double(v, buf, size);
        return;
    }
    case KEY_ENUM:
        snprintf(buf, size, "%s", names_of(k->names, get_enum(base, k)));
        return;
    case KEY_PORTS:
        format_ports(base, k, buf, size);
        return;
    }
}
