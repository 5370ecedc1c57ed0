/* workload.c - the mail front-end: arrivals, the connection cache, service,
 * connection limit and retries (see workload.h for the contract).
 *
 * State: a hash table from mailbox to its open connection (connmap.h:
 * sized by the open connections, not by the mailboxes, so 10^9 mailboxes
 * cost nothing until they connect); per connection a FIFO of requests
 * whose head is in service, a service timer and an idle timer; a list of
 * idle connections, least recently used first; a FIFO of requests waiting
 * for a connection slot.  Every request
 * and connection lives in a pool that grows by blocks and never shrinks.
 * Cost per request: O(1) plus one stack_connect() on a miss, one draw per
 * stream used, and O(log mailboxes) for a zipf draw.  Exponential draws
 * are inverted with log() on the run's stream (rng_exponential()), and
 * every factor they need (mean in ns) is worked out once in workload_new().
 *
 * Pools (workload.pool_size > 0): the map then holds, per mailbox (a
 * client's pool toward one destination), the most recently returned of
 * its idle connections; the others hang below it on a list, newest
 * first, and the newest carries the count.  A request takes the newest
 * idle connection (LIFO, as Go's net/http and HikariCP do: the surplus
 * sinks to the bottom and ages out at cache_ttl), else opens a new one;
 * busy connections are in no map.  Cost: O(1) per request as well.
 */
#include "models/workload.h"

#include <assert.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "models/connmap.h"
#include "models/nat.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

enum { POOL_BLOCK = 1024 };

struct req {
    struct timer retry;         /* retry after a failed connect() */
    struct workload *wl;        /* owner, for the timer callback */
    struct req *next;           /* connection queue, wait queue or free list */
    uint64_t id;                /* from 1, in arrival order */
    uint32_t mailbox;
    uint32_t attempt;           /* connect() attempts failed so far */
    uint32_t server;            /* issue 11: the server of its (next) connect() */
};

/* In the order a service completion and a close read it (on_done(),
 * close_conn()): those fields are in the first 128 bytes, which the wheel's
 * lanes fetch a few events ahead (sim/lane.c). */
struct conn {
    struct timer done;          /* end of the service of 'head' */
    struct workload *wl;        /* owner, for the timer callbacks */
    struct req *head;           /* in service */
    struct req *tail;
    struct stack_conn sc;
    uint32_t mailbox;
    struct nat_flow flow;       /* issue 12: the NAT's translation */
    uint32_t syns;              /* issue 12: retransmissions so far */
    bool connecting;            /* issue 12: SYN not yet through the NAT */
    bool idle_listed;
    bool pooled;                /* pool_size > 0: on its pool's idle list */
    struct timer idle;          /* cache_ttl expiry */
    struct conn *lru_prev;      /* idle list (or free list through lru_next) */
    struct conn *lru_next;
    struct timer syn;           /* issue 12: SYN retransmission (NAT dropped it) */
    uint32_t pool_idle;         /* the newest of a pool: idle connections in it */
    struct conn *pool_older;    /* the pool's idle list, newest first */
    struct conn *pool_newer;
};

_Static_assert(offsetof(struct conn, idle) + sizeof(struct timer) <= 128,
               "what closing a connection reads fits the two lines fetched ahead");

struct workload {
    struct sim *s;
    struct stack *st;
    struct workload_params p;
    const simtime *trace;       /* ARRIVALS_TRACE, borrowed */
    size_t ntrace;
    uint64_t arrivals;          /* arrivals armed so far */
    struct timer arrival;
    struct connmap open;        /* mailbox -> its open connection */
    double arrival_mean_ns;     /* ARRIVALS_POISSON: 1e9 / rate */
    double service_mean_ns;     /* SERVICE_EXPONENTIAL: service_time in ns */
    double service_mu;          /* SERVICE_LOGNORMAL: ln(mean s) - sigma^2 / 2 */
    double *zipf_cdf;           /* POPULARITY_ZIPF: cumulative weights */
    double rate_max;            /* ARRIVALS_DIURNAL: thinning bound */
    double inv_rate_max;        /* ... its mean gap, s */
    double period_s;            /* ... the period, s */
    struct req *free_reqs;
    struct conn *free_conns;
    void **blocks;              /* pool blocks, freed at the end */
    bool *block_is_conn;        /* per block: conns (else requests) */
    size_t nblocks, cap_blocks;
    struct conn lru;            /* sentinel: lru.lru_next is the oldest idle */
    uint32_t open_conns;
    struct req *wait_head;      /* waiting for a slot under connection_limit */
    struct req *wait_tail;
    uint32_t local_addresses;   /* connects go to each address in turn */
    uint32_t next_laddr;
    /* issue 11: workload.balance */
    uint32_t next_server;       /* round-robin: the next server; least-connections: tie start */
    uint32_t *server_conns;     /* least-connections: open connections per server */
    uint32_t hosts;             /* issue 12: fleet.hosts (1: one host) */
    uint32_t host_addresses;    /* issue 12: local addresses per host */
    struct nat *nat;            /* issue 12: borrowed, or NULL */
    uint32_t syn_retries;
    simtime syn_rto_ns;
    struct workload_counters c;
    wl_observer_fn *obs;
    void *obs_ctx;
    struct timer restart;       /* issue 17: process restart */
};

static void on_arrival(struct sim *s, struct timer *t);
static void on_retry(struct sim *s, struct timer *t);
static void on_done(struct sim *s, struct timer *t);
static void on_idle(struct sim *s, struct timer *t);
static void on_restart(struct sim *s, struct timer *t);
static void on_syn(struct sim *s, struct timer *t);
static void on_syn_sent(struct sim *s, struct timer *t);
static void attempt(struct workload *wl, struct req *r);

/* ---- Pools ---- */

static void *pool_block(struct workload *wl, size_t size, bool is_conn)
{
    void *b = xcalloc(POOL_BLOCK, size);
    size_t cap = wl->cap_blocks;

    wl->blocks = xgrow(wl->blocks, &wl->cap_blocks, wl->nblocks + 1, sizeof(*wl->blocks));
    wl->block_is_conn = xgrow(wl->block_is_conn, &cap, wl->nblocks + 1,
                              sizeof(*wl->block_is_conn));
    wl->block_is_conn[wl->nblocks] = is_conn;
    wl->blocks[wl->nblocks++] = b;
    return b;
}

static struct req *req_new(struct workload *wl)
{
    struct req *r;

    if (!wl->free_reqs) {
        struct req *b = pool_block(wl, sizeof(*b), false);

        for (size_t i = 0; i < POOL_BLOCK; i++) {
            b[i].next = wl->free_reqs;
            wl->free_reqs = &b[i];
        }
    }
    r = wl->free_reqs;
    wl->free_reqs = r->next;
    r->next = NULL;
    r->attempt = 0;
    r->wl = wl;
    return r;
}

static void req_free(struct workload *wl, struct req *r)
{
    assert(!timer_is_armed(&r->retry));
    r->next = wl->free_reqs;
    wl->free_reqs = r;
}

static struct conn *conn_new(struct workload *wl)
{
    struct conn *c;

    if (!wl->free_conns) {
        struct conn *b = pool_block(wl, sizeof(*b), true);

        for (size_t i = 0; i < POOL_BLOCK; i++) {
            b[i].lru_next = wl->free_conns;
            wl->free_conns = &b[i];
        }
    }
    c = wl->free_conns;
    wl->free_conns = c->lru_next;
    c->head = c->tail = NULL;
    c->lru_prev = c->lru_next = NULL;
    c->idle_listed = false;
    c->pooled = false;
    c->connecting = false;
    c->syns = 0;
    c->wl = wl;
    return c;
}

static void conn_free(struct workload *wl, struct conn *c)
{
    assert(!timer_is_armed(&c->done) && !timer_is_armed(&c->idle) && !c->head);
    assert(!timer_is_armed(&c->syn));
    c->lru_next = wl->free_conns;
    wl->free_conns = c;
}

/* ---- Observing ---- */

/* The server of an event: the mailbox's (by-mailbox), else the request's
 * connect(), else the mailbox's open connection's. */
static uint32_t server_of(const struct workload *wl, const struct req *r, uint32_t mailbox)
{
    const struct conn *c;

    if (wl->p.balance == BALANCE_BY_MAILBOX)
        return mailbox % wl->p.servers;
    if (r)
        return r->server;
    c = connmap_get(&wl->open, mailbox);
    return c ? c->sc.remote : mailbox % wl->p.servers;
}

static void notify(struct workload *wl, enum wl_event_kind kind, const struct req *r,
                   uint32_t mailbox, simtime until)
{
    struct wl_event ev;

    if (!wl->obs)
        return;
    ev.kind = kind;
    ev.request = r ? r->id : 0;
    ev.mailbox = mailbox;
    ev.server = server_of(wl, r, mailbox);
    ev.attempt = r ? r->attempt : 0;
    ev.until = until;
    wl->obs(wl->obs_ctx, &ev);
}

/* ---- Draws ---- */

static uint32_t pick_mailbox(struct workload *wl)
{
    gsl_rng *r = sim_rng(wl->s, RNG_MAILBOX);
    double u;
    size_t lo = 0, hi;

    if (wl->p.popularity == POPULARITY_UNIFORM)
        return (uint32_t)gsl_rng_uniform_int(r, wl->p.mailboxes);
    u = gsl_rng_uniform(r) * wl->zipf_cdf[wl->p.mailboxes - 1];
    hi = wl->p.mailboxes - 1;
    while (lo < hi) {               /* first k with cdf[k] > u */
        size_t mid = lo + (hi - lo) / 2;

        if (wl->zipf_cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (uint32_t)lo;
}

static simtime service_time(struct workload *wl)
{
    gsl_rng *r;

    if (wl->p.service_dist == SERVICE_CONSTANT || wl->p.service_time_ns == 0)
        return wl->p.service_time_ns;
    r = sim_rng(wl->s, RNG_SERVICE);
    if (wl->p.service_dist == SERVICE_EXPONENTIAL)
        return rng_ns(wl->service_mean_ns * rng_exponential(r));
    /* lognormal with the given mean: mu = ln(mean) - sigma^2 / 2 */
    return simtime_from_s(gsl_ran_lognormal(r, wl->service_mu, wl->p.service_sigma));
}

/* Time of arrival number 'k' (from 0), given the previous one at 'prev'. */
static simtime next_arrival(struct workload *wl, uint64_t k, simtime prev)
{
    gsl_rng *r = sim_rng(wl->s, RNG_ARRIVALS);
    double t;

    switch (wl->p.arrivals) {
    case ARRIVALS_CONSTANT:
        return (simtime)((long double)k * 1e9L / (long double)wl->p.rate_per_s + 0.5L);
    case ARRIVALS_TRACE:
        return k < wl->ntrace ? wl->trace[k] : SIMTIME_NEVER;
    case ARRIVALS_DIURNAL:
        /* thinning (Lewis & Shedler): candidates at rate_max, kept with
         * probability rate(t) / rate_max */
        t = simtime_to_s(prev);
        for (;;) {
            double rate;

            t += wl->inv_rate_max * rng_exponential(r);
            rate = wl->p.rate_per_s *
                   (1.0 + wl->p.amplitude * sin(2 * M_PI * t / wl->period_s));
            if (gsl_rng_uniform(r) * wl->rate_max < rate)
                return simtime_from_s(t);
        }
    case ARRIVALS_POISSON:
    default:
        return prev + rng_ns(wl->arrival_mean_ns * rng_exponential(r));
    }
}

static void arm_next_arrival(struct workload *wl, simtime prev)
{
    simtime due = next_arrival(wl, wl->arrivals, prev);

    if (due == SIMTIME_NEVER)
        return;
    wl->arrivals++;
    sim_arm(wl->s, &wl->arrival, due < sim_now(wl->s) ? sim_now(wl->s) : due, on_arrival);
}

/* ---- Connections ---- */

static void lru_unlink(struct conn *c)
{
    if (!c->idle_listed)
        return;
    c->lru_prev->lru_next = c->lru_next;
    c->lru_next->lru_prev = c->lru_prev;
    c->idle_listed = false;
}

static void lru_append(struct workload *wl, struct conn *c)
{
    c->lru_prev = wl->lru.lru_prev;
    c->lru_next = &wl->lru;
    wl->lru.lru_prev->lru_next = c;
    wl->lru.lru_prev = c;
    c->idle_listed = true;
}

/* ---- Pools (pool_size > 0) ---- */

/* Put the idle 'c' on top of its pool. */
static void pool_push(struct workload *wl, struct conn *c)
{
    struct conn *top = connmap_del(&wl->open, c->mailbox);

    c->pool_older = top;
    c->pool_newer = NULL;
    c->pool_idle = top ? top->pool_idle + 1 : 1;
    if (top)
        top->pool_newer = c;
    c->pooled = true;
    connmap_put(&wl->open, c->mailbox, c);
}

/* Take the pooled 'c' off its pool's idle list (any place in it). */
static void pool_remove(struct workload *wl, struct conn *c)
{
    assert(c->pooled);
    c->pooled = false;
    if (c->pool_newer) {            /* below the top: the top keeps the count */
        struct conn *top = connmap_get(&wl->open, c->mailbox);

        top->pool_idle--;
        c->pool_newer->pool_older = c->pool_older;
        if (c->pool_older)
            c->pool_older->pool_newer = c->pool_newer;
        return;
    }
    connmap_del(&wl->open, c->mailbox);
    if (c->pool_older) {
        c->pool_older->pool_newer = NULL;
        c->pool_older->pool_idle = c->pool_idle - 1;
        connmap_put(&wl->open, c->mailbox, c->pool_older);
    }
}

static bool pool_is_full(const struct workload *wl, uint32_t mailbox)
{
    const struct conn *top = connmap_get(&wl->open, mailbox);

    return top && top->pool_idle >= wl->p.pool_size;
}

/* 'c' no longer belongs to its mailbox: out of the map (one connection
 * per mailbox) or off its pool's idle list (pools; busy: nowhere). */
static void detach(struct workload *wl, struct conn *c)
{
    if (wl->p.pool_size == 0)
        connmap_del(&wl->open, c->mailbox);
    else if (c->pooled)
        pool_remove(wl, c);
}

/* Serve the head of 'c' after 'delay' (the connect()'s own time, or 0). */
static void start_service(struct workload *wl, struct conn *c, simtime delay)
{
    sim_arm_in(wl->s, &c->done, delay + service_time(wl), on_done);
}

static void enqueue(struct conn *c, struct req *r)
{
    r->next = NULL;
    if (c->tail)
        c->tail->next = r;
    else
        c->head = r;
    c->tail = r;
}

/* Give waiting requests the slots that are free under connection_limit. */
static void serve_waiting(struct workload *wl)
{
    while (wl->wait_head && wl->open_conns < wl->p.connection_limit) {
        struct req *r = wl->wait_head;

        wl->wait_head = r->next;
        if (!wl->wait_head)
            wl->wait_tail = NULL;
        r->next = NULL;
        attempt(wl, r);
    }
}

/* The idle 'c' leaves the open connections: no TTL, off the LRU list, its
 * mailbox or pool and its server's count.  The caller ends its socket. */
static void conn_unlist(struct workload *wl, struct conn *c)
{
    sim_cancel(wl->s, &c->idle);
    lru_unlink(c);
    detach(wl, c);
    wl->open_conns--;
    if (wl->server_conns)
        wl->server_conns[c->sc.remote]--;
}

/* Close the idle connection 'c' in the scenario's close mode. */
static void close_conn(struct workload *wl, struct conn *c)
{
    assert(!c->head);
    conn_unlist(wl, c);
    if (wl->p.leak > 0 && gsl_rng_uniform(sim_rng(wl->s, RNG_LEAK)) < wl->p.leak) {
        wl->c.leaks++;
        stack_leak(wl->st, &c->sc);
        if (wl->nat)            /* no FIN: the NAT's mapping dies at its idle timeout */
            nat_idle(wl->nat, sim_now(wl->s), &c->flow);
    } else {
        stack_close(wl->st, &c->sc, wl->p.close);
        if (wl->nat)
            nat_close(wl->nat, sim_now(wl->s), &c->flow, wl->p.close == CLOSE_ABORT);
    }
    conn_free(wl, c);
    serve_waiting(wl);
}

/* 'c' has served its last queued request. */
static void conn_idle(struct workload *wl, struct conn *c)
{
    if (wl->p.cache_ttl_ns == 0) {
        close_conn(wl, c);
    } else if (wl->wait_head) {
        notify(wl, WL_EV_EVICT, NULL, c->mailbox, 0);   /* a waiter needs the slot */
        close_conn(wl, c);
    } else if (wl->p.pool_size > 0 && pool_is_full(wl, c->mailbox)) {
        wl->c.pool_surplus++;
        notify(wl, WL_EV_POOL_FULL, NULL, c->mailbox, 0);
        close_conn(wl, c);
    } else {
        sim_arm_in(wl->s, &c->idle, wl->p.cache_ttl_ns, on_idle);
        lru_append(wl, c);
        if (wl->p.pool_size > 0)
            pool_push(wl, c);
        if (wl->nat)
            nat_idle(wl->nat, sim_now(wl->s), &c->flow);
    }
}

/* ---- Requests ---- */

static void count_failure(struct workload *wl, enum stack_result res)
{
    if (res == STACK_FAIL_COLLISION)
        wl->c.failures_collision++;
    else
        wl->c.failures_exhausted++;
    if (wl->c.first_failure == SIMTIME_NEVER)
        wl->c.first_failure = sim_now(wl->s);
}

/* Issue 11: the server a new connection for 'r' goes to (workload.balance).
 * least-connections breaks ties round-robin from 'next_server'. */
static uint32_t pick_server(struct workload *wl, const struct req *r)
{
    uint32_t n = wl->p.servers, best, i, k;

    switch (wl->p.balance) {
    case BALANCE_ROUND_ROBIN:
        best = wl->next_server;
        wl->next_server = (best + 1) % n;
        return best;
    case BALANCE_RANDOM:
        return (uint32_t)gsl_rng_uniform_int(sim_rng(wl->s, RNG_BALANCE), n);
    case BALANCE_LEAST_CONNECTIONS:
        best = wl->next_server;
        for (i = 1; i < n; i++) {
            k = (wl->next_server + i) % n;
            if (wl->server_conns[k] < wl->server_conns[best])
                best = k;
        }
        wl->next_server = (best + 1) % n;
        return best;
    default:
        return r->mailbox % n;
    }
}

/* A connect() of 'r' failed (already counted) after 'cost' (the connect()'s
 * own time, issue 17): retry later or give up. */
static void retry_or_give_up(struct workload *wl, struct req *r, simtime cost)
{
    if (r->attempt < wl->p.retries) {
        simtime delay = cost + (wl->p.retry_backoff_ns << (r->attempt < 40 ? r->attempt : 40));

        r->attempt++;
        sim_arm_in(wl->s, &r->retry, delay, on_retry);
        notify(wl, WL_EV_RETRY_LATER, r, r->mailbox, r->retry.due);
    } else {
        wl->c.requests_failed++;
        wl->c.live_requests--;
        notify(wl, WL_EV_GIVE_UP, r, r->mailbox, 0);
        req_free(wl, r);
    }
}

/* The local address of the next connect() for 'mailbox': its host's
 * addresses in turn (one host: every address in turn, as before fleets). */
static uint32_t pick_laddr(struct workload *wl, uint32_t mailbox)
{
    uint32_t host = (mailbox / wl->p.servers) % wl->hosts;
    uint32_t laddr = host * wl->host_addresses + wl->next_laddr;

    wl->next_laddr = (wl->next_laddr + 1) % wl->host_addresses;
    return laddr;
}

/* ---- Issue 12: the SYN through the NAT ---- */

static uint32_t host_of(const struct workload *wl, const struct conn *c)
{
    return c->sc.laddr / wl->host_addresses;
}

/* Ask the NAT for a translation of 'c': true if the SYN went through. */
static bool nat_try(struct workload *wl, struct conn *c)
{
    if (nat_open(wl->nat, sim_now(wl->s), host_of(wl, c), c->sc.port, c->sc.remote,
                 &c->flow) == NAT_OK) {
        nat_note_connected(wl->nat, c->syns);
        c->connecting = false;
        return true;
    }
    c->connecting = true;
    sim_arm_in(wl->s, &c->syn, wl->syn_rto_ns << (c->syns < 40 ? c->syns : 40), on_syn);
    return false;
}

/* connect() timed out: the port goes (no TIME_WAIT), every request queued
 * on the connection fails like a failed connect(). */
static void syn_timeout(struct workload *wl, struct conn *c)
{
    struct req *r = c->head;

    wl->c.connect_timeouts++;
    nat_note_timeout(wl->nat, host_of(wl, c));
    detach(wl, c);
    wl->open_conns--;
    if (wl->server_conns)
        wl->server_conns[c->sc.remote]--;
    stack_close(wl->st, &c->sc, CLOSE_ABORT);
    c->head = c->tail = NULL;
    conn_free(wl, c);
    while (r) {
        struct req *next = r->next;

        r->next = NULL;
        retry_or_give_up(wl, r, 0);    /* ETIMEDOUT: not a port failure of the host */
        r = next;
    }
    serve_waiting(wl);
}

static void on_syn(struct sim *s, struct timer *t)
{
    struct conn *c = TIMER_OWNER(t, struct conn, syn);
    struct workload *wl = c->wl;

    (void)s;
    if (c->syns == wl->syn_retries) {
        syn_timeout(wl, c);
        return;
    }
    c->syns++;
    nat_note_retransmit(wl->nat, host_of(wl, c));
    if (nat_try(wl, c))
        start_service(wl, c, 0);
}

/* The first SYN leaves once connect() has taken its own time (issue 17):
 * only then does the NAT see it. */
static void on_syn_sent(struct sim *s, struct timer *t)
{
    struct conn *c = TIMER_OWNER(t, struct conn, syn);

    (void)s;
    if (nat_try(c->wl, c))
        start_service(c->wl, c, 0);
}

static void open_conn(struct workload *wl, struct req *r)
{
    uint32_t server = r->server;
    struct stack_conn sc;
    enum stack_result res;
    struct conn *c;
    simtime cost;

    wl->c.connect_attempts++;
    if (r->attempt > 0)
        wl->c.retries++;
    res = stack_connect(wl->st, pick_laddr(wl, r->mailbox), server, &sc);
    cost = stack_counters(wl->st)->last_cost_ns;
    if (res != STACK_OK) {
        count_failure(wl, res);
        retry_or_give_up(wl, r, cost);
        return;
    }
    wl->c.connects++;
    if (wl->server_conns)
        wl->server_conns[server]++;
    c = conn_new(wl);
    c->sc = sc;
    c->mailbox = r->mailbox;
    if (wl->p.pool_size == 0)           /* pools: a busy connection is in no map */
        connmap_put(&wl->open, r->mailbox, c);
    wl->open_conns++;
    enqueue(c, r);
    if (wl->nat && cost > 0) {
        c->connecting = true;
        sim_arm_in(wl->s, &c->syn, cost, on_syn_sent);
        return;
    }
    if (wl->nat && !nat_try(wl, c))
        return;                         /* SYN dropped: retransmitted by on_syn */
    start_service(wl, c, cost);
}

/* A request looks for its mailbox's connection (pools: the newest idle
 * one), else opens one. */
static void attempt(struct workload *wl, struct req *r)
{
    struct conn *c = connmap_get(&wl->open, r->mailbox);

    if (c && wl->nat && !c->head && !nat_resume(wl->nat, sim_now(wl->s), &c->flow)) {
        /* issue 12: the NAT dropped this idle connection; the request meets
         * an RST and the pool opens a new one (a pool's older idle ones stay:
         * the client cannot know they are dead too) */
        wl->c.nat_resets++;
        conn_unlist(wl, c);
        stack_close(wl->st, &c->sc, CLOSE_ABORT);
        conn_free(wl, c);
        c = NULL;
    }
    if (c) {
        bool was_idle = c->head == NULL;

        wl->c.cache_hits++;
        r->server = c->sc.remote;
        notify(wl, WL_EV_HIT, r, r->mailbox, 0);
        if (c->pooled)                  /* pools: taken off the list, busy */
            pool_remove(wl, c);
        enqueue(c, r);
        if (was_idle) {
            sim_cancel(wl->s, &c->idle);
            lru_unlink(c);
            start_service(wl, c, 0);
        }
        return;
    }
    r->server = pick_server(wl, r);
    notify(wl, WL_EV_MISS, r, r->mailbox, 0);
    if (wl->p.connection_limit && wl->open_conns >= wl->p.connection_limit) {
        struct conn *victim = wl->lru.lru_next;

        if (victim == &wl->lru) {       /* nothing idle: wait for a slot */
            r->next = NULL;
            if (wl->wait_tail)
                wl->wait_tail->next = r;
            else
                wl->wait_head = r;
            wl->wait_tail = r;
            notify(wl, WL_EV_WAIT, r, r->mailbox, 0);
            return;
        }
        notify(wl, WL_EV_EVICT, r, victim->mailbox, 0);
        close_conn(wl, victim);
    }
    open_conn(wl, r);
}

/* ---- Events ---- */

static void on_arrival(struct sim *s, struct timer *t)
{
    struct workload *wl = TIMER_OWNER(t, struct workload, arrival);
    struct req *r;

    arm_next_arrival(wl, sim_now(s));   /* known now: armed before anything else */
    r = req_new(wl);
    r->id = ++wl->c.requests;
    r->mailbox = pick_mailbox(wl);
    r->server = r->mailbox % wl->p.servers;
    wl->c.live_requests++;
    notify(wl, WL_EV_ARRIVE, r, r->mailbox, 0);
    attempt(wl, r);
}

static void on_retry(struct sim *s, struct timer *t)
{
    struct req *r = TIMER_OWNER(t, struct req, retry);
    (void)s;
    attempt(r->wl, r);
}

static void on_done(struct sim *s, struct timer *t)
{
    (void)s;
    struct conn *c = TIMER_OWNER(t, struct conn, done);
    struct workload *wl = c->wl;
    struct req *r = c->head;

    c->head = r->next;
    if (!c->head)
        c->tail = NULL;
    wl->c.requests_done++;
    wl->c.live_requests--;
    notify(wl, WL_EV_SERVED, r, r->mailbox, 0);
    req_free(wl, r);
    if (c->head)
        start_service(wl, c, 0);
    else
        conn_idle(wl, c);
}

static void on_idle(struct sim *s, struct timer *t)
{
    (void)s;
    struct conn *c = TIMER_OWNER(t, struct conn, idle);
    struct workload *wl = c->wl;

    notify(wl, WL_EV_IDLE_CLOSE, NULL, c->mailbox, 0);
    close_conn(wl, c);
}

/* Issue 17: the process restarts; its leaked sockets go with it. */
static void on_restart(struct sim *s, struct timer *t)
{
    struct workload *wl = TIMER_OWNER(t, struct workload, restart);

    wl->c.restarts++;
    stack_restart(wl->st);
    sim_arm_in(s, t, wl->p.restart_interval_ns, on_restart);
}

/* ---- Public ---- */

struct workload *workload_new(struct sim *s, struct stack *st, const struct workload_params *p,
                              uint32_t local_addresses, const simtime *trace, size_t ntrace)
{
    struct workload *wl = xcalloc(1, sizeof(*wl));

    assert(p->mailboxes >= 1 && p->servers >= 1 && local_addresses >= 1);
    wl->s = s;
    wl->st = st;
    wl->p = *p;
    wl->local_addresses = local_addresses;
    wl->hosts = 1;
    wl->host_addresses = local_addresses;
    wl->trace = trace;
    wl->ntrace = ntrace;
    connmap_init(&wl->open);
    wl->arrival_mean_ns = 1e9 / p->rate_per_s;
    wl->service_mean_ns = (double)p->service_time_ns;
    wl->service_mu =
        log(simtime_to_s(p->service_time_ns)) - p->service_sigma * p->service_sigma / 2;
    wl->lru.lru_next = wl->lru.lru_prev = &wl->lru;
    wl->c.first_failure = SIMTIME_NEVER;
    wl->rate_max = p->rate_per_s * (1.0 + p->amplitude);
    wl->inv_rate_max = 1.0 / wl->rate_max;
    wl->period_s = simtime_to_s(p->period_ns);
    if (p->popularity == POPULARITY_ZIPF) {
        double sum = 0;

        wl->zipf_cdf = xmalloc(p->mailboxes * sizeof(*wl->zipf_cdf));
        for (uint32_t k = 0; k < p->mailboxes; k++) {
            sum += pow((double)k + 1, -p->zipf_s);
            wl->zipf_cdf[k] = sum;
        }
    }
    if (p->balance == BALANCE_LEAST_CONNECTIONS)
        wl->server_conns = xcalloc(p->servers, sizeof(*wl->server_conns));
    arm_next_arrival(wl, 0);
    if (p->restart_interval_ns > 0)
        sim_arm(s, &wl->restart, p->restart_interval_ns, on_restart);
    return wl;
}

void workload_free(struct workload *wl)
{
    if (!wl)
        return;
    /* disarm every timer before its memory goes: the queue links them */
    sim_cancel(wl->s, &wl->arrival);
    sim_cancel(wl->s, &wl->restart);
    for (size_t i = 0; i < wl->nblocks; i++) {
        if (wl->block_is_conn[i]) {
            struct conn *c = wl->blocks[i];

            for (size_t k = 0; k < POOL_BLOCK; k++) {
                sim_cancel(wl->s, &c[k].done);
                sim_cancel(wl->s, &c[k].idle);
                sim_cancel(wl->s, &c[k].syn);
            }
        } else {
            struct req *r = wl->blocks[i];

            for (size_t k = 0; k < POOL_BLOCK; k++)
                sim_cancel(wl->s, &r[k].retry);
        }
        free(wl->blocks[i]);
    }
    free(wl->block_is_conn);
    free(wl->blocks);
    connmap_fini(&wl->open);
    free(wl->zipf_cdf);
    free(wl->server_conns);
    free(wl);
}

void workload_observe(struct workload *wl, wl_observer_fn *fn, void *ctx)
{
    wl->obs = fn;
    wl->obs_ctx = ctx;
}

const struct workload_counters *workload_counters(const struct workload *wl)
{
    return &wl->c;
}

void workload_set_fleet(struct workload *wl, uint32_t hosts, struct nat *nat,
                        uint32_t syn_retries, simtime syn_rto_ns)
{
    assert(hosts >= 1 && wl->local_addresses % hosts == 0);
    wl->hosts = hosts;
    wl->host_addresses = wl->local_addresses / hosts;
    wl->nat = nat;
    wl->syn_retries = syn_retries;
    wl->syn_rto_ns = syn_rto_ns;
}
