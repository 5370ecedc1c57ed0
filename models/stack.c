/* stack.c - connect(), close and TIME_WAIT: the rules of DESIGN §4 and §10
 * on top of the port space (portspace.c) and the candidate orders
 * (portalloc.c).
 *
 * A connect() walks the allocator's order in one or two passes, each pass a
 * view of the port space (which bitmaps block):
 *   reuse_time_wait   passes
 *   no                fresh
 *   after-delay       fresh, but a same-4-tuple entry older than
 *                     tw_reuse_delay does not block (checked port by port)
 *   when-exhausted    fresh, then no-live-connection
 *   any               no-live-connection
 * fresh = no live connection and no client TIME_WAIT that counts (exclusive:
 * any on the port; per-destination: the same 4-tuple's).  On a
 * no-live-connection pass, collision = skip also hides ports with TIME_WAIT
 * toward this remote; collision = fail hands out the first port and fails
 * if it has one (event 4227; the allocator still moves on).
 *
 * Fast and slow paths.  Without an observer asking for detail, linear orders
 * jump with find-next-set over 64-port words: a walk costs (ports passed) /
 * 64.  With detail the same walk goes candidate by candidate and reports
 * every skipped one in words; both give the same answer (tested), and
 * neither consumes a draw the other does not, so observing never changes
 * the run.  Every decision is folded into the run's digest.
 *
 * Issue 17 (slow and silent failures).  Every connect() counts the
 * candidates it examined, as the kernel's loop would: a pass that hands out
 * rank d examined d + 1; a pass that finds nothing examined the whole order
 * (also when the O(1) test spared us the walk); and the table lookups: every
 * rejected candidate, plus the accepted one if it holds a socket toward
 * another destination (Linux __inet_check_established).  The cost model turns
 * them into time.  A leaked socket stays in the port space as the connection
 * was (it blocks what the connection blocked) and is counted per port, so
 * 'in_use' counts live connections only and 'bound' the ports held by leaked
 * sockets only.  After the clock wrap, a closing connection's TIME_WAIT is
 * entered but never expires.
 *
 * TIME_WAIT timers.  Every entry lasts time_wait (rounded up to the timer
 * tick), so the entries of each FIFO (client side, server side) expire in
 * the order they were made.  Each FIFO has one timer (struct tw_clock),
 * armed for its oldest live entry; an entry takes its sequence number when
 * it is made (sim_take_seq()) and the clock fires with the entry's own
 * (due, seq), so events come out in exactly the order, and with the digest,
 * of one timer per entry, while the queue holds two timers, not one per
 * entry, each re-armed just ahead of now.
 */
#include "models/stack.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/portalloc.h"
#include "models/portspace.h"
#include "sim/xalloc.h"

enum pass { PASS_FRESH, PASS_DELAY, PASS_NOCONN };

#define WHY_MAX 160
#define TW_PREFETCH_AHEAD 8  /* expiries fetched ahead (portspace_tw_prefetch) ... */
#define TW_PREFETCH_FROM 262144u    /* ... once the entries outgrow the caches */

/* The timer of one TIME_WAIT FIFO: armed for 'next', its oldest live entry
 * unless that one never expires (after the clock wrap); NULL when unarmed. */
struct tw_clock {
    struct timer timer;
    struct stack *st;
    struct ps_tw *next;
    bool server;
};

struct stack {
    struct sim *s;
    struct tw_clock tw[2];      /* client-side, server-side FIFO */
    struct stack_params p;
    uint32_t nremotes;
    uint32_t npools;
    struct portspace *ps;
    struct portalloc *pa;
    struct stack_counters c;
    stack_observer_fn *obs;
    void *obs_ctx;
    int detail;
    /* issue 17 */
    simtime wrap_at;            /* stack_wrap_time() */
    uint32_t *lk;               /* leaked sockets per (pool, port); NULL before a leak */
    struct stack_conn *leaks;   /* the leaked sockets, for stack_restart() */
    size_t nleaks;
    size_t cap_leaks;
};

static const uint64_t MASK_ALL = ~UINT64_C(0);
static const uint64_t MASK_EVEN = UINT64_C(0x5555555555555555);
static const uint64_t MASK_ODD = UINT64_C(0xaaaaaaaaaaaaaaaa);

/* ---- Small helpers ---- */

static uint32_t pool_of(const struct stack *st, uint32_t laddr)
{
    assert(laddr < st->p.local_addresses);
    if (st->p.pool == POOL_HOST && st->p.hosts > 1)     /* a fleet: a pool per host */
        return laddr / (st->p.local_addresses / st->p.hosts);
    return st->p.pool == POOL_HOST ? 0 : laddr;
}

static void emit(struct stack *st, enum stack_event_kind kind, const struct stack_conn *conn,
                 enum stack_result result, int server_side, simtime until, const char *why)
{
    struct stack_event ev = {kind, *conn, result, server_side, until, why};

    if (st->obs)
        st->obs(st->obs_ctx, &ev);
}

static simtime tw_due(const struct stack *st, simtime now)
{
    simtime due = now + st->p.time_wait_ns, tick = st->p.timer_tick_ns;

    if (due < now)
        return SIMTIME_NEVER;
    if (tick > 0 && due % tick != 0)
        due += tick - due % tick;
    return due;
}

static void tw_fire(struct sim *s, struct timer *t);

/* Arm FIFO 'k''s timer for its oldest live entry, if that one expires. */
static void tw_clock_arm(struct stack *st, struct tw_clock *k)
{
    struct ps_tw *e = portspace_tw_oldest(st->ps, k->server);

    assert(!timer_is_armed(&k->timer));
    k->next = NULL;
    if (!e || e->due >= st->wrap_at)
        return;
    k->next = e;
    sim_arm_seq(st->s, &k->timer, e->due, e->seq, tw_fire);
    if ((k->server ? st->c.server_time_wait : st->c.time_wait) > TW_PREFETCH_FROM)
        portspace_tw_prefetch(st->ps, k->server, TW_PREFETCH_AHEAD);
}

/* Entry 'e' leaves TIME_WAIT (expiry, takeover or recycling); if its FIFO's
 * timer was armed for it, the timer moves on to the next entry. */
static void tw_end(struct stack *st, struct ps_tw *e)
{
    struct tw_clock *k = &st->tw[ps_tw_is_server(e)];

    if (k->server)
        st->c.server_time_wait--;
    else
        st->c.time_wait--;
    portspace_tw_del(st->ps, e);
    if (k->next == e) {
        sim_cancel(st->s, &k->timer);
        tw_clock_arm(st, k);
    }
}

static void tw_fire(struct sim *s, struct timer *t)
{
    struct tw_clock *k = TIMER_OWNER(t, struct tw_clock, timer);
    struct stack *st = k->st;
    struct ps_tw *e = k->next;
    struct stack_conn conn = {ps_tw_pool(e), st->p.port_min + ps_tw_off(e), ps_tw_remote(e)};
    int server = k->server;

    (void)s;
    tw_end(st, e);
    st->c.expiries++;
    emit(st, STACK_EV_TW_EXPIRE, &conn, STACK_OK, server, SIMTIME_NEVER, NULL);
}

/* ---- Issue 17: candidates, leaks ---- */

/* Leaked sockets on (pool, off). */
static uint32_t lk_of(const struct stack *st, uint32_t pool, uint32_t off)
{
    return st->lk ? st->lk[(size_t)pool * portspace_nports(st->ps) + off] : 0;
}

/* Candidates examined by a pass that handed out nothing. */
static uint32_t pass_ranks(const struct pa_order *o)
{
    return o->shape == PA_EACH ? o->drawn : portalloc_ranks(o);
}

/* Record what the connect() examined and what it cost. */
static void note_cost(struct stack *st, uint64_t candidates, uint64_t lookups)
{
    const struct stack_params *p = &st->p;

    st->c.last_candidates = candidates > UINT32_MAX ? UINT32_MAX : (uint32_t)candidates;
    st->c.last_lookups = lookups > UINT32_MAX ? UINT32_MAX : (uint32_t)lookups;
    st->c.last_cost_ns = p->connect_cost_ns + candidates * p->candidate_cost_ns +
                         lookups * p->lookup_cost_ns;
}

/* ---- Walking the candidate order ---- */

/* After-delay: may candidate 'off' (acceptable in the view) be handed out?
 * Only a port blocked by TIME_WAIT needs a look: it must hold exactly one
 * client entry that counts, toward 'r', older than tw_reuse_delay. */
static bool delay_ok(const struct stack *st, const struct ps_view *v, uint32_t pool, uint32_t r,
                     uint32_t off)
{
    const struct ps_tw *e;

    if (!((v->t[off >> 6] >> (off & 63)) & 1u))
        return true;
    if (st->p.port_sharing == SHARING_EXCLUSIVE && portspace_ntw(st->ps, pool, off) != 1)
        return false;
    e = portspace_tw_find(st->ps, pool, off, r, false);
    assert(e);
    return sim_now(st->s) - ps_tw_since(e, st->p.time_wait_ns) > st->p.tw_reuse_delay_ns;
}

static bool accept(const struct stack *st, const struct ps_view *v, enum pass k, uint32_t pool,
                   uint32_t r, uint32_t off)
{
    return portspace_test(v, off) && (k != PASS_DELAY || delay_ok(st, v, pool, r, off));
}

static uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* First rank >= 'from' whose candidate is acceptable in 'v' (bits only),
 * for LINEAR and PARITY orders; PA_NIL if none. */
static uint32_t seek(const struct pa_order *o, const struct ps_view *v, uint32_t from)
{
    uint32_t f, pos, lo, len = o->len, half, s1, span = o->span;

    if (o->shape == PA_LINEAR) {
        pos = o->start + from;
        if (pos < len && (f = portspace_find(v, pos, len, MASK_ALL)) != PA_NIL)
            return f - o->start;
        lo = pos >= len ? pos - len : 0;
        f = portspace_find(v, lo, o->start, MASK_ALL);
        return f == PA_NIL ? PA_NIL : f + len - o->start;
    }
    assert(o->shape == PA_PARITY);
    if (len <= 1)
        return from == 0 && portspace_test(v, 0) ? 0 : PA_NIL;
    /* an offset p >= span wraps to p - len (Linux: port -= remaining), so
     * each pass is [pos, min(span, start + len)) then [max(pos, span) - len,
     * start); with an even range span == len and this is a plain rotation */
    half = len / 2;
    if (from < half) {
        pos = o->start + 2 * from;
        if (pos < span && (f = portspace_find(v, pos, min32(span, o->start + len), MASK_EVEN)) !=
                              PA_NIL)
            return (f - o->start) / 2;
        lo = (pos > span ? pos : span) - len;
        if ((f = portspace_find(v, lo, o->start, MASK_EVEN)) != PA_NIL)
            return (f + len - o->start) / 2;
        from = half;
    }
    s1 = o->start + 1;
    pos = s1 + 2 * (from - half);
    if (pos < span && (f = portspace_find(v, pos, min32(span, s1 + len), MASK_ODD)) != PA_NIL)
        return half + (f - s1) / 2;
    lo = (pos > span ? pos : span) - len;
    f = portspace_find(v, lo, s1, MASK_ODD);
    return f == PA_NIL ? PA_NIL : half + (f + len - s1) / 2;
}

/* Why candidate 'off' was passed over, in words; returns until when the
 * blocking TIME_WAIT entry lasts (SIMTIME_NEVER if none). */
static simtime skip_why(const struct stack *st, const struct ps_view *v, enum pass k,
                        uint32_t pool, uint32_t r, uint32_t off, char *buf, unsigned size)
{
    uint32_t port = st->p.port_min + off;
    const struct ps_tw *e = NULL;
    const char *what = "";
    char rs[32], ts[32];

    if (!portspace_is_usable(st->ps, off)) {
        snprintf(buf, size, "%u: reserved", port);
        return SIMTIME_NEVER;
    }
    if ((v->h[off >> 6] >> (off & 63)) & 1u) {
        if (st->p.port_sharing == SHARING_EXCLUSIVE)
            snprintf(buf, size, "%u: in use", port);
        else
            snprintf(buf, size, "%u: in use toward %s", port,
                     portalloc_remote_str(r, rs, sizeof(rs)));
        return SIMTIME_NEVER;
    }
    if ((v->c[off >> 6] >> (off & 63)) & 1u) {
        e = portspace_tw_find(st->ps, pool, off, r, false);
        what = " (same remote: skipped, not a collision)";
    } else {
        if (st->p.port_sharing == SHARING_PER_DESTINATION)
            e = portspace_tw_find(st->ps, pool, off, r, false);
        for (e = e ? e : portspace_tw_first(st->ps, pool, off); e && ps_tw_is_server(e);
             e = portspace_tw_next(st->ps, e)) {
        }
        if (k == PASS_DELAY)
            what = ps_tw_remote(e) == r ? " (younger than tw_reuse_delay)"
                                        : " (another remote's entry blocks)";
        else if (st->p.reuse_time_wait == REUSE_WHEN_EXHAUSTED)
            what = " (fresh ports first)";
    }
    assert(e);
    snprintf(buf, size, "%u: TIME_WAIT to %s until t = %s s%s", port,
             portalloc_remote_str(ps_tw_remote(e), rs, sizeof(rs)),
             simtime_fmt_ms(e->due, ts, sizeof(ts)), what);
    return e->due;
}

static void report_skip(struct stack *st, const struct ps_view *v, enum pass k, uint32_t laddr,
                        uint32_t pool, uint32_t r, uint32_t off)
{
    char why[WHY_MAX];
    struct stack_conn conn = {laddr, st->p.port_min + off, r};
    simtime until = skip_why(st, v, k, pool, r, off, why, sizeof(why));

    emit(st, STACK_EV_SKIP, &conn, STACK_OK, 0, until, why);
}

/* One walk of the order over view 'v'; the offset handed out (rank in
 * '*rank') or PA_NIL. */
static uint32_t walk(struct stack *st, struct pa_order *o, const struct ps_view *v, enum pass k,
                     uint32_t laddr, uint32_t pool, uint32_t r, uint32_t *rank)
{
    bool slow = st->obs && st->detail;
    uint32_t off, d;

    if (o->shape == PA_EACH) {
        portalloc_rewind(o);
        while ((off = portalloc_next(st->pa, st->s, o)) != PA_NIL) {
            if (accept(st, v, k, pool, r, off)) {
                *rank = o->drawn - 1;
                return off;
            }
            if (slow)
                report_skip(st, v, k, laddr, pool, r, off);
        }
        return PA_NIL;
    }
    if (slow) {
        for (d = 0; (off = portalloc_at(o, d)) != PA_NIL; d++) {
            if (accept(st, v, k, pool, r, off)) {
                *rank = d;
                return off;
            }
            report_skip(st, v, k, laddr, pool, r, off);
        }
        return PA_NIL;
    }
    for (d = seek(o, v, 0); d != PA_NIL; d = seek(o, v, d + 1)) {
        off = portalloc_at(o, d);
        if (k != PASS_DELAY || delay_ok(st, v, pool, r, off)) {
            *rank = d;
            return off;
        }
    }
    return PA_NIL;
}

/* ---- Public ---- */

struct stack_params stack_params_bound(const struct stack_params *p, enum bind_id bind)
{
    struct stack_params b = *p;
    bool windows = p->profile <= PROFILE_WIN8;

    if (bind == BIND_ADDRESS) {
        b.port_sharing = SHARING_EXCLUSIVE;
        if (!windows)
            b.pool = POOL_PER_ADDRESS;
    }
    return b;
}

struct stack *stack_new(struct sim *s, const struct stack_params *p, uint32_t nremotes)
{
    struct stack *st = xcalloc(1, sizeof(*st));

    assert(nremotes >= 1 && p->local_addresses >= 1);
    st->s = s;
    st->p = *p;
    st->nremotes = nremotes;
    for (int side = 0; side < 2; side++) {
        st->tw[side].st = st;
        st->tw[side].server = side;
    }
    st->npools = p->pool == POOL_HOST ? (p->hosts > 1 ? p->hosts : 1) : p->local_addresses;
    st->ps = portspace_new(p, st->npools, nremotes);
    st->pa = portalloc_new(s, p, portspace_nports(st->ps), portspace_usable(st->ps));
    if (p->clock_wrap_ns == 0 || p->clock_wrap_fix == YESNO_YES)
        st->wrap_at = SIMTIME_NEVER;
    else
        st->wrap_at = p->uptime_ns >= p->clock_wrap_ns ? 0 : p->clock_wrap_ns - p->uptime_ns;
    return st;
}

void stack_free(struct stack *st)
{
    struct ps_tw *e;

    if (!st)
        return;
    for (int side = 0; side < 2; side++) {
        sim_cancel(st->s, &st->tw[side].timer);
        while ((e = portspace_tw_oldest(st->ps, side)) != NULL)
            portspace_tw_del(st->ps, e);
    }
    portalloc_free(st->pa);
    portspace_free(st->ps);
    free(st->lk);
    free(st->leaks);
    free(st);
}

void stack_observe(struct stack *st, stack_observer_fn *fn, void *ctx, int detail)
{
    st->obs = fn;
    st->obs_ctx = ctx;
    st->detail = detail;
}

static enum stack_result fail(struct stack *st, enum stack_result res, uint32_t laddr,
                              uint32_t port, uint32_t r)
{
    struct stack_conn conn = {laddr, port, r};

    if (res == STACK_FAIL_EXHAUSTED)
        st->c.failures_exhausted++;
    else
        st->c.failures_collision++;
    sim_digest_mix(st->s, ((uint64_t)res << 56) ^ ((uint64_t)laddr << 32) ^
                              ((uint64_t)r << 16) ^ port);
    emit(st, STACK_EV_FAIL, &conn, res, 0, SIMTIME_NEVER,
         res == STACK_FAIL_EXHAUSTED ? "no candidate port accepted"
                                     : "handed-out port has TIME_WAIT to this remote");
    return res;
}

/* The walks a connect() makes over the candidate order, by reuse mode
 * (DESIGN §10.6); their number. */
static int passes_of(const struct stack *st, enum pass passes[2])
{
    switch (st->p.reuse_time_wait) {
    case REUSE_NO:
        passes[0] = PASS_FRESH;
        return 1;
    case REUSE_AFTER_DELAY:
        passes[0] = PASS_DELAY;
        return 1;
    case REUSE_WHEN_EXHAUSTED:
        passes[0] = PASS_FRESH;
        passes[1] = PASS_NOCONN;
        return 2;
    default:
        passes[0] = PASS_NOCONN;
        return 1;
    }
}

/* The new connection 'c' ends a TIME_WAIT entry of its 4-tuple: 'e' (our
 * own, taken over after the delay) or the server's, which a new SYN
 * reopens (RFC 1122 4.2.2.13).  Nothing when there is neither. */
static void take_over(struct stack *st, const struct stack_conn *c, uint32_t pool, uint32_t off,
                      struct ps_tw *e)
{
    simtime until;
    int server;

    if (!e && (st->c.server_time_wait == 0 ||
               (e = portspace_tw_find(st->ps, pool, off, c->remote, true)) == NULL))
        return;
    until = e->due;
    server = ps_tw_is_server(e);
    tw_end(st, e);
    st->c.takeovers++;
    emit(st, STACK_EV_TAKEOVER, c, STACK_OK, server, until, NULL);
}

enum stack_result stack_connect(struct stack *st, uint32_t laddr, uint32_t remote,
                                struct stack_conn *out)
{
    uint32_t pool = pool_of(st, laddr), off = PA_NIL, rank = 0, port;
    bool excl = st->p.port_sharing == SHARING_EXCLUSIVE;
    enum pass passes[2];
    int npasses = 0, i;
    struct ps_view views[2];
    struct pa_order o;
    struct ps_tw *e;
    struct stack_conn conn;
    char why[WHY_MAX];
    uint64_t cand = 0;

    assert(remote < st->nremotes);
    npasses = passes_of(st, passes);
    portalloc_begin(st->pa, st->s, pool, remote, &o);
    for (i = 0; i < npasses; i++) {
        struct ps_view *v = &views[i];

        portspace_view(st->ps, pool, remote, excl, v);
        if (passes[i] == PASS_DELAY) {
            v->tor = portspace_tw_bits(st->ps, pool, remote);
        } else if (passes[i] == PASS_NOCONN) {
            v->t = v->tor;      /* zeros: TIME_WAIT does not block */
            if (st->p.collision == COLLISION_SKIP)
                v->c = portspace_tw_bits(st->ps, pool, remote);
        }
        /* no fresh port at all: the walk would find nothing (O(1) test; the
         * walk draws no random numbers except in the PA_EACH shape, and the
         * trace wants every skipped candidate, so those still walk) */
        if (passes[i] == PASS_FRESH && o.shape != PA_EACH && !st->detail &&
            portspace_blocked(st->ps, pool, remote, excl) == portspace_usable(st->ps)) {
            cand += portalloc_ranks(&o);
            continue;
        }
        off = walk(st, &o, v, passes[i], laddr, pool, remote, &rank);
        if (off != PA_NIL)
            break;
        cand += pass_ranks(&o);
    }
    if (off == PA_NIL) {
        note_cost(st, cand, cand);
        portalloc_fail(st->pa, &o);
        return fail(st, STACK_FAIL_EXHAUSTED, laddr, 0, remote);
    }
    cand += (uint64_t)rank + 1;
    note_cost(st, cand, cand - 1 + (portspace_nconn(st->ps, pool, off) > 0 ||
                                    portspace_ntw(st->ps, pool, off) > 0));
    port = st->p.port_min + off;
    if (st->obs && st->detail)
        portalloc_why(st->pa, &o, off, rank, remote, why, sizeof(why));
    portalloc_commit(st->pa, st->s, &o, off, rank);
    /* the bitmaps say whether there is an entry to look for: skip the walk */
    e = NULL;
    if ((portspace_tw_bits(st->ps, pool, remote)[off >> 6] >> (off & 63)) & 1u)
        e = portspace_tw_find(st->ps, pool, off, remote, false);
    if (e && passes[i] == PASS_NOCONN) {
        assert(st->p.collision == COLLISION_FAIL);
        return fail(st, STACK_FAIL_COLLISION, laddr, port, remote);
    }
    conn = (struct stack_conn){laddr, port, remote};
    take_over(st, &conn, pool, off, e);
    if (portspace_conn_add(st->ps, pool, off, remote) - lk_of(st, pool, off) == 1)
        st->c.in_use++;
    st->c.open_conns++;
    st->c.connects++;
    sim_digest_mix(st->s, ((uint64_t)laddr << 32) ^ ((uint64_t)remote << 16) ^ port);
    emit(st, STACK_EV_CONNECT, &conn, STACK_OK, 0, SIMTIME_NEVER,
         st->obs && st->detail ? why : NULL);
    *out = conn;
    return STACK_OK;
}

void stack_close(struct stack *st, const struct stack_conn *c, enum close_id mode)
{
    uint32_t pool = pool_of(st, c->laddr), off = c->port - st->p.port_min;
    simtime now = sim_now(st->s), until = SIMTIME_NEVER;
    bool keep = mode != CLOSE_ABORT && st->p.time_wait_ns > 0;
    bool server = mode == CLOSE_SERVER;
    struct ps_tw *e;
    const char *stuck = NULL;

    assert(c->port >= st->p.port_min && off < portspace_nports(st->ps));
    assert(portspace_conn_to(st->ps, pool, off, c->remote));
    if (portspace_conn_del(st->ps, pool, off, c->remote) == lk_of(st, pool, off))
        st->c.in_use--;
    st->c.open_conns--;
    if (keep && !server && st->p.max_time_wait > 0 && st->c.time_wait >= st->p.max_time_wait) {
        st->c.overflows++;
        if (st->p.tw_overflow == TW_OVERFLOW_DROP_NEW) {
            keep = false;
            emit(st, STACK_EV_OVERFLOW, c, STACK_OK, 0, SIMTIME_NEVER,
                 "max_time_wait reached: no TIME_WAIT for this connection");
        } else {
            struct ps_tw *old = portspace_tw_oldest(st->ps, false);
            struct stack_conn oc = {ps_tw_pool(old), st->p.port_min + ps_tw_off(old),
                                    ps_tw_remote(old)};
            simtime ountil = old->due;

            tw_end(st, old);
            emit(st, STACK_EV_OVERFLOW, &oc, STACK_OK, 0, ountil,
                 "max_time_wait reached: oldest TIME_WAIT entry recycled");
        }
    }
    if (keep) {
        until = tw_due(st, now);
        e = portspace_tw_add(st->ps, pool, off, c->remote, server, now, until);
        if (until >= st->wrap_at) {
            /* the TCP clock wraps before this entry is due: it never expires */
            st->c.stuck++;
            stuck = "the TCP clock wraps before it is due: this TIME_WAIT never ends";
        } else {
            e->seq = sim_take_seq(st->s);
            if (!st->tw[server].next)
                tw_clock_arm(st, &st->tw[server]);
        }
        if (server)
            st->c.server_time_wait++;
        else
            st->c.time_wait++;
    }
    sim_digest_mix(st->s, (UINT64_C(0xc1) << 56) ^ ((uint64_t)mode << 48) ^
                              ((uint64_t)c->laddr << 32) ^ ((uint64_t)c->remote << 16) ^ c->port ^
                              until);
    emit(st, STACK_EV_CLOSE, c, STACK_OK, server, until, stuck);
}

void stack_leak(struct stack *st, const struct stack_conn *c)
{
    uint32_t pool = pool_of(st, c->laddr), off = c->port - st->p.port_min;
    size_t n = portspace_nports(st->ps), at = (size_t)pool * n + off;

    assert(c->port >= st->p.port_min && off < n);
    assert(portspace_conn_to(st->ps, pool, off, c->remote));
    if (!st->lk)
        st->lk = xcalloc((size_t)st->npools * n, sizeof(*st->lk));
    st->leaks = xgrow(st->leaks, &st->cap_leaks, st->nleaks + 1, sizeof(*st->leaks));
    st->leaks[st->nleaks++] = *c;
    if (st->lk[at]++ == 0)
        st->c.bound++;
    if (portspace_nconn(st->ps, pool, off) == st->lk[at])
        st->c.in_use--;         /* no live connection left on the port */
    st->c.open_conns--;
    st->c.leaked++;
    sim_digest_mix(st->s, (UINT64_C(0x1e) << 56) ^ ((uint64_t)c->laddr << 32) ^
                              ((uint64_t)c->remote << 16) ^ c->port);
    emit(st, STACK_EV_LEAK, c, STACK_OK, 0, SIMTIME_NEVER,
         "the application never closes the socket: the port stays BOUND");
}

uint32_t stack_restart(struct stack *st)
{
    size_t n = portspace_nports(st->ps);
    uint32_t freed = 0;

    /* in leak order, so the events come out the same every run */
    for (size_t i = 0; i < st->nleaks; i++) {
        const struct stack_conn *c = &st->leaks[i];
        uint32_t pool = pool_of(st, c->laddr), off = c->port - st->p.port_min;
        size_t at = (size_t)pool * n + off;

        portspace_conn_del(st->ps, pool, off, c->remote);
        if (--st->lk[at] == 0)
            st->c.bound--;
        st->c.leaked--;
        freed++;
        emit(st, STACK_EV_RELEASE, c, STACK_OK, 0, SIMTIME_NEVER,
             "process restart: the leaked socket is closed and its port freed");
    }
    st->nleaks = 0;
    sim_digest_mix(st->s, (UINT64_C(0x2e) << 56) ^ freed);
    return freed;
}

simtime stack_wrap_time(const struct stack *st)
{
    return st->wrap_at;
}

const struct stack_counters *stack_counters(const struct stack *st)
{
    return &st->c;
}

uint32_t stack_pool_ports(const struct stack *st)
{
    return portspace_usable(st->ps);
}

uint32_t stack_pools(const struct stack *st)
{
    return st->npools;
}

int stack_port_state(const struct stack *st, uint32_t laddr, uint32_t port)
{
    uint32_t pool = pool_of(st, laddr), off = port - st->p.port_min;

    if (port < st->p.port_min || port > st->p.port_max || !portspace_is_usable(st->ps, off))
        return 3;
    if (portspace_nconn(st->ps, pool, off) > 0)
        return portspace_nconn(st->ps, pool, off) == lk_of(st, pool, off) ? 4 : 1;
    return portspace_ntw(st->ps, pool, off) > 0 ? 2 : 0;
}
