/* theory.c - closed-form predictions: Erlang B on the ephemeral port pool.
 *
 * How: count the usable ports (the range minus the reserved ranges, through a
 * bitmap so that overlapping reserved ranges count once), decide N and the
 * groups from the sharing rule (theory.h), split the opens over the groups by
 * the mailboxes' popularity (mailbox i, counted from 0, has weight 1 under
 * 'uniform' and 1 / (i + 1)^zipf_s under 'zipf', and talks to server i mod
 * servers), then apply Erlang B to each group.  Blocking on the whole host is
 * the opens-weighted mean of the groups' blocking: Poisson opens split at
 * random stay Poisson and independent, so this is exact for Poisson arrivals.
 *
 * Invariant: every figure is a pure function of the scenario; no figure reads
 * a run.  Doubles throughout; N fits 64 bits (65,535 ports * 2^32 addresses).
 *
 * Cost: O(port range) for the reserved bitmap, O(mailboxes) for a zipf split,
 * O(groups * N) for the blocking at worst (the recursion stops once B
 * underflows to 0, after a few hundred steps when A is well below N).
 */
#include "models/theory.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/stack.h"
#include "sim/xalloc.h"

/* ---- Erlang B ---- */

/* The recursion for any 'n'.  Every step keeps b in [0, 1], so nothing
 * overflows; once b underflows to 0 it stays 0, and the loop may stop. */
static double erlang_b(uint64_t n, double a)
{
    double b = 1.0;

    assert(a >= 0.0);
    if (a == 0.0)
        return n == 0 ? 1.0 : 0.0;
    for (uint64_t k = 1; k <= n; k++) {
        b = a * b / ((double)k + a * b);
        if (b == 0.0)
            break;
    }
    return b;
}

/* ---- Ports and load split ---- */

static uint32_t count_reserved(const struct stack_params *s)
{
    uint64_t bits[65536 / 64];
    uint32_t count = 0;

    memset(bits, 0, sizeof(bits));
    for (uint32_t r = 0; r < s->nreserved; r++) {
        uint32_t lo = s->reserved[r].lo > s->port_min ? s->reserved[r].lo : s->port_min;
        uint32_t hi = s->reserved[r].hi < s->port_max ? s->reserved[r].hi : s->port_max;

        for (uint32_t port = lo; port <= hi; port++) {
            if (!(bits[port / 64] & (UINT64_C(1) << (port % 64)))) {
                bits[port / 64] |= UINT64_C(1) << (port % 64);
                count++;
            }
        }
    }
    return count;
}

/* Zipf popularity: fill 'share[g]' (g < groups) with the share of the
 * requests that go to server g, and return the largest share.  O(mailboxes);
 * the uniform case has a closed form in theory_compute(). */
static double split_zipf(const struct workload_params *w, double *share, uint32_t groups)
{
    double total = 0.0;
    double top = 0.0;

    for (uint32_t g = 0; g < groups; g++)
        share[g] = 0.0;
    for (uint32_t i = 0; i < w->mailboxes; i++) {
        double wt = pow((double)i + 1.0, -w->zipf_s);

        share[i % groups] += wt;
        total += wt;
    }
    for (uint32_t g = 0; g < groups; g++) {
        share[g] /= total;
        if (share[g] > top)
            top = share[g];
    }
    return top;
}

/* Estimated connection opens per second with a connection cache: a mailbox
 * with Poisson requests at rate r keeps its connection while the next request
 * comes within service + cache_ttl of the last one, so a connection serves
 * e^{r (s + ttl)} requests on average and opens come at r e^{-r (s + ttl)}.
 * Ignores queueing on the connection: an estimate, said so in the note. */
static double cached_opens(const struct workload_params *w, double s_plus_ttl)
{
    double lambda = w->rate_per_s;
    double total = 0.0;
    double norm = 0.0;

    if (w->popularity == POPULARITY_UNIFORM) {
        double r = lambda / (double)w->mailboxes;

        return lambda * exp(-r * s_plus_ttl);
    }
    for (uint32_t i = 0; i < w->mailboxes; i++)
        norm += pow((double)i + 1.0, -w->zipf_s);
    for (uint32_t i = 0; i < w->mailboxes; i++) {
        double r = lambda * pow((double)i + 1.0, -w->zipf_s) / norm;

        total += r * exp(-r * s_plus_ttl);
    }
    return total;
}

/* ---- Notes ---- */

static void note_add(struct theory *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note_add(struct theory *t, const char *fmt, ...)
{
    size_t used = strlen(t->note);
    va_list ap;

    if (used + 1 >= sizeof(t->note))
        return;
    va_start(ap, fmt);
    vsnprintf(t->note + used, sizeof(t->note) - used, fmt, ap);
    va_end(ap);
    used = strlen(t->note);
    if (used + 1 < sizeof(t->note)) {
        t->note[used] = '\n';
        t->note[used + 1] = '\0';
    }
}

static void write_notes(const struct scenario_params *p, struct theory *t)
{
    const struct workload_params *w = &p->workload;
    const struct stack_params *s = &p->stack;

    t->note[0] = '\0';
    if (t->flags & THEORY_NO_HOLD)
        note_add(t, "a connection holds its port for no time (service 0, no client TIME_WAIT): "
                    "the pool is never short");
    if (t->flags & THEORY_CACHED)
        note_add(t, "cache_ttl > 0: connections are reused, so the open rate is at most the "
                    "request rate; the figures take one connection per request held for "
                    "service + cache_ttl + TIME_WAIT, an upper bound on the load (estimated "
                    "opens with the cache: %.4g/s)", t->cached_open_rate_per_s);
    if (t->flags & THEORY_REUSE) {
        if (s->reuse_time_wait == REUSE_ANY)
            note_add(t, "reuse_time_wait = any: a port in TIME_WAIT can be handed out at once, "
                        "so the sustainable rate is a lower bound (TIME_WAIT holds no port: "
                        "up to %.4g/s)", t->holding_s > t->time_wait_s
                        ? (double)t->n / ((t->holding_s - t->time_wait_s) * t->busiest_share)
                        : HUGE_VAL);
        else if (s->reuse_time_wait == REUSE_WHEN_EXHAUSTED)
            note_add(t, "reuse_time_wait = when-exhausted: once no fresh port is left a port "
                        "still in TIME_WAIT is handed out, so the sustainable rate is a lower "
                        "bound and exhaustion means the start of reuse, not of failures");
        else
            note_add(t, "reuse_time_wait = after-delay: a TIME_WAIT entry of the same 4-tuple "
                        "may be taken over after %.4g s, so the sustainable rate is a lower "
                        "bound", simtime_to_s(s->tw_reuse_delay_ns));
    }
    if (t->flags & THEORY_COLLISION)
        note_add(t, "collision = fail: a reused TIME_WAIT port toward the same server makes "
                    "connect() fail (event 4227); with %u server(s) most reuses collide, so "
                    "reuse helps little", w->servers);
    if (t->flags & THEORY_TW_CAPPED)
        note_add(t, "max_time_wait = %u is below the N = %llu ports: TIME_WAIT alone can never "
                    "fill the pool (past the cap a close keeps no TIME_WAIT or ends the oldest); "
                    "the figures are those of N - %u ports held for the service and idle time "
                    "only", s->max_time_wait, (unsigned long long)t->n, s->max_time_wait);
    else if (t->flags & THEORY_MAX_TW)
        note_add(t, "max_time_wait = %u caps the TIME_WAIT entries: past it a close frees its "
                    "port at once, so the sustainable rate is a lower bound", s->max_time_wait);
    else if (s->max_time_wait > 0 && w->close == CLOSE_CLIENT && s->time_wait_ns > 0)
        note_add(t, "max_time_wait = %u is at or above the %llu TIME_WAIT entries the ports "
                    "can hold: it changes nothing", s->max_time_wait,
                 (unsigned long long)t->n * t->groups);
    if (t->flags & THEORY_RETRIES)
        note_add(t, "retries = %u: a failed connect() is tried again, which adds load, so the "
                    "blocking is a lower bound (for the attempts; a request fails only when "
                    "all its attempts do)", w->retries);
    if (t->flags & THEORY_CONSTANT)
        note_add(t, "constant arrivals: Erlang B assumes Poisson arrivals; for constant "
                    "arrivals the deterministic bound N/h = %.4g/s is exact: no failure below "
                    "it, a share 1 - N/(rate h) = %.4g of the opens failing above it",
                 t->sustainable_rate_per_s, t->blocking_fluid);
    if (t->flags & THEORY_CONN_LIMIT)
        note_add(t, "connection_limit = %u: the model ignores it; it caps open connections but "
                    "not TIME_WAIT, and its evictions close connections early",
                 w->connection_limit);
    if (t->flags & THEORY_DIURNAL)
        note_add(t, "diurnal arrivals: the figures use the mean rate; the peak rate is %.4g/s "
                    "(blocking there: %.4g)", t->peak_rate_per_s,
                 erlang_b(t->n, t->peak_rate_per_s * t->holding_s * t->busiest_share));
    if (t->flags & THEORY_TRACE)
        note_add(t, "trace arrivals: the figures use workload.rate = %.4g/s, which the trace "
                    "may not match", w->rate_per_s);
    if (t->flags & THEORY_UNEVEN)
        note_add(t, "the servers are unevenly loaded (busiest %.3g%% of the opens, even %.3g%%): "
                    "the busiest server's pool runs out first", 100.0 * t->busiest_share,
                 100.0 / (double)t->groups);
}

/* ---- The figures, step by step ---- */

/* Usable ports, pools, N and the groups.  PS_EINVAL when no port is usable. */
static int size_pool(const struct scenario_params *p, struct theory *t, struct err *e)
{
    const struct stack_params *s = &p->stack;
    uint32_t range = s->port_max - s->port_min + 1;

    t->reserved = count_reserved(s);
    t->ports = range - t->reserved;
    if (t->ports == 0)
        return err_set(e, PS_EINVAL, "'stack.reserved_ports' leave no usable port in %u-%u",
                       s->port_min, s->port_max);
    t->pools = s->pool == POOL_PER_ADDRESS ? s->local_addresses : 1;
    t->n = (uint64_t)t->ports * t->pools;
    t->groups = s->port_sharing == SHARING_PER_DESTINATION ? p->workload.servers : 1;
    return 0;
}

/* Holding time: the port is held through service, the cache's idle time
 * and, when the client closes first, TIME_WAIT rounded up to a tick. */
static void hold(const struct scenario_params *p, struct theory *t, bool client_tw)
{
    const struct stack_params *s = &p->stack;
    const struct workload_params *w = &p->workload;
    double lambda = w->rate_per_s;

    t->request_rate_per_s = lambda;
    t->open_rate_per_s = lambda;
    t->service_s = simtime_to_s(w->service_time_ns);
    t->idle_s = simtime_to_s(w->cache_ttl_ns);
    t->time_wait_s = client_tw ? simtime_to_s(s->time_wait_ns) +
                                     simtime_to_s(s->timer_tick_ns) / 2
                               : 0.0;
    t->holding_s = t->service_s + t->idle_s + t->time_wait_s;
    t->cached_open_rate_per_s = w->cache_ttl_ns > 0 ? cached_opens(w, t->service_s + t->idle_s)
                                                    : lambda;
}

/* Split the opens over the groups, and the blocking of each. */
static void split_load(const struct workload_params *w, struct theory *t)
{
    t->busiest_share = 1.0;
    t->offered_erlangs = w->rate_per_s * t->holding_s;
    if (t->groups == 1) {
        t->blocking = erlang_b(t->n, t->offered_erlangs);
    } else if (w->balance != BALANCE_BY_MAILBOX) {
        /* issue 11: a balancer spreads the opens evenly over the servers */
        t->busiest_share = 1.0 / (double)t->groups;
        t->blocking = erlang_b(t->n, t->offered_erlangs * t->busiest_share);
    } else if (w->popularity == POPULARITY_UNIFORM) {
        /* 'big' servers get ceil(M/S) mailboxes, the others floor(M/S). */
        uint32_t big = w->mailboxes % t->groups;
        uint32_t per = w->mailboxes / t->groups;
        double m = (double)w->mailboxes;
        double share_hi = (double)(per + (big > 0)) / m;
        double share_lo = (double)per / m;

        t->busiest_share = share_hi;
        t->blocking = (big > 0 ? big : t->groups) * share_hi *
                      erlang_b(t->n, t->offered_erlangs * share_hi);
        if (big > 0 && per > 0)
            t->blocking += (t->groups - big) * share_lo *
                           erlang_b(t->n, t->offered_erlangs * share_lo);
    } else {
        double *share = xcalloc(t->groups, sizeof(*share));

        t->busiest_share = split_zipf(w, share, t->groups);
        for (uint32_t g = 0; g < t->groups; g++) {
            if (share[g] > 0.0)
                t->blocking += share[g] * erlang_b(t->n, t->offered_erlangs * share[g]);
        }
        free(share);
    }
    /* Uneven enough to matter: the busiest server has 5 % more than its part. */
    if (t->groups > 1 && t->busiest_share > 1.05 / (double)t->groups)
        t->flags |= THEORY_UNEVEN;
    t->busiest_erlangs = t->offered_erlangs * t->busiest_share;
}

/* Bounds: what the busiest group can carry, when it runs out, what is
 * carried and how many TIME_WAIT entries that leaves. */
static void bound(const struct scenario_params *p, struct theory *t)
{
    const struct stack_params *s = &p->stack;
    const struct workload_params *w = &p->workload;
    double lambda = w->rate_per_s;

    if (t->holding_s > 0.0) {
        t->sustainable_rate_per_s = (double)t->n / (t->holding_s * t->busiest_share);
        t->exhaustion_s = t->busiest_erlangs > (double)t->n
                              ? (double)t->n / (lambda * t->busiest_share) : HUGE_VAL;
    } else {
        t->sustainable_rate_per_s = HUGE_VAL;
        t->exhaustion_s = HUGE_VAL;
        t->flags |= THEORY_NO_HOLD;
    }
    t->blocking_fluid = lambda > t->sustainable_rate_per_s
                            ? 1.0 - t->sustainable_rate_per_s / lambda : 0.0;
    if (w->arrivals == ARRIVALS_CONSTANT)
        t->carried_rate_per_s = lambda * (1.0 - t->blocking_fluid);
    else
        t->carried_rate_per_s = lambda * (1.0 - t->blocking);
    t->time_wait_population = t->carried_rate_per_s * t->time_wait_s;
    if (s->max_time_wait > 0 && t->time_wait_population > (double)s->max_time_wait)
        t->time_wait_population = (double)s->max_time_wait;
    if (w->close == CLOSE_SERVER)
        t->server_time_wait_population = t->carried_rate_per_s * simtime_to_s(s->time_wait_ns);
    t->peak_rate_per_s = w->arrivals == ARRIVALS_DIURNAL ? lambda * (1.0 + w->amplitude)
                                                         : lambda;
}

/* Issue 11: a cap C = max_time_wait on the TIME_WAIT entries (host-wide).
 * C at or above every TIME_WAIT entry the ports can hold (N per group)
 * changes nothing.  C below N: at most C ports of any group are in
 * TIME_WAIT, so TIME_WAIT alone can never fill the pool; the figures are
 * then those of N - C ports held for the service and idle time only (the
 * worst case, every entry on the busiest group's ports).  In between the
 * figures stand as a lower bound. */
static void cap(const struct scenario_params *p, struct theory *t, bool client_tw)
{
    uint64_t c = p->stack.max_time_wait, n = t->n;
    double h = t->holding_s;

    if (!client_tw || c == 0 || c >= n * t->groups)
        return;
    t->flags |= THEORY_MAX_TW;
    if (c >= n)
        return;
    t->flags |= THEORY_TW_CAPPED;
    t->n = n - c;
    t->holding_s = t->service_s + t->idle_s;
    t->blocking = 0.0;
    split_load(&p->workload, t);
    bound(p, t);
    t->n = n;
    t->holding_s = h;
    t->offered_erlangs = p->workload.rate_per_s * h;
    t->busiest_erlangs = t->offered_erlangs * t->busiest_share;
    t->time_wait_population = t->carried_rate_per_s * t->time_wait_s;
    if (t->time_wait_population > (double)c)
        t->time_wait_population = (double)c;
}

/* Where the closed form does not hold as it stands. */
static unsigned limits(const struct scenario_params *p, bool client_tw)
{
    const struct stack_params *s = &p->stack;
    const struct workload_params *w = &p->workload;
    bool reuse = s->reuse_time_wait != REUSE_NO && client_tw;
    unsigned flags = 0;

    flags |= w->cache_ttl_ns > 0 ? THEORY_CACHED : 0;
    flags |= reuse ? THEORY_REUSE : 0;
    flags |= reuse && s->collision == COLLISION_FAIL && w->servers <= 4 ? THEORY_COLLISION : 0;
    flags |= w->retries > 0 ? THEORY_RETRIES : 0;
    flags |= w->arrivals == ARRIVALS_CONSTANT ? THEORY_CONSTANT : 0;
    flags |= w->connection_limit > 0 ? THEORY_CONN_LIMIT : 0;
    flags |= w->arrivals == ARRIVALS_DIURNAL ? THEORY_DIURNAL : 0;
    flags |= w->arrivals == ARRIVALS_TRACE ? THEORY_TRACE : 0;
    return flags;
}

/* ---- Public functions ---- */

int theory_compute(const struct scenario_params *p, struct theory *out, struct err *e)
{
    const struct stack_params *s = &p->stack;
    const struct workload_params *w = &p->workload;
    struct theory t;
    bool client_tw = w->close == CLOSE_CLIENT && s->time_wait_ns > 0;
    struct scenario_params bound_p = *p;
    int rc;

    assert(s->port_min >= 1 && s->port_min <= s->port_max && s->port_max <= 65535);
    assert(w->rate_per_s > 0.0 && w->servers >= 1 && w->mailboxes >= 1);
    assert(s->local_addresses >= 1);
    memset(&t, 0, sizeof(t));
    /* issue 11: the stack as the application's bind leaves it */
    bound_p.stack = stack_params_bound(s, w->bind);
    p = &bound_p;
    if ((rc = size_pool(p, &t, e)) != 0)
        return rc;
    hold(p, &t, client_tw);
    split_load(w, &t);
    bound(p, &t);
    cap(p, &t, client_tw);
    t.flags |= limits(p, client_tw);
    write_notes(p, &t);
    *out = t;
    return 0;
}

/* Linear probing: slots an unsuccessful search examines at load 'a' < 1. */
static double knuth_unsuccessful(double a)
{
    return (1.0 + 1.0 / ((1.0 - a) * (1.0 - a))) / 2.0;
}

double theory_candidates_sequential(uint64_t n, uint64_t k)
{
    return k >= n ? (double)n : (double)n / (double)(n - k);
}

double theory_candidates_double_hash(uint64_t n, uint64_t k)
{
    uint64_t e = n / 2, o = n - e;

    if (k >= n)
        return (double)n;
    if (k < e)
        return knuth_unsuccessful((double)k / (double)e);
    return (double)e + knuth_unsuccessful((double)(k - e) / (double)o);
}

double theory_erlang_b(unsigned n, double a)
{
    return erlang_b(n, a);
}

double theory_rate_for_blocking(unsigned n, double holding_s, double target)
{
    double lo = 0.0;
    double hi = (double)n + 1.0;

    assert(holding_s > 0.0);
    if (target <= 0.0)
        return 0.0;
    if (target >= 1.0)
        return HUGE_VAL;
    /* B rises with A from 0 to 1: find a bracket, then halve it. */
    while (erlang_b(n, hi) < target)
        hi *= 2.0;
    while (hi - lo > 1e-12 * hi) {
        double mid = lo + (hi - lo) / 2.0;

        if (mid <= lo || mid >= hi)
            break;
        if (erlang_b(n, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + (hi - lo) / 2.0) / holding_s;
}
