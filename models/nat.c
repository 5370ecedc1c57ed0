/* nat.c - translations, sharing rules, holds and idle timeouts (see nat.h).
 *
 * State.  An entry per live, idle or held translation, from a pool that
 * grows and never shrinks (indices, not pointers: 40 bytes each).  Per
 * (public IP, destination) a bitmap over ports 0..65535 (8 KiB, made on
 * first use): bit set = the port carries a translation to that destination
 * (live, idle or held), the sharing rule of every profile.  Per (IP,
 * destination) the count of such translations (the per-destination cap);
 * per (IP, port) the count of destinations it carries (the 'ports in use'
 * gauge counts ports with at least one).
 *
 * Three FIFOs, one per timer length (idle timeout, FIN hold, RST hold),
 * hold the entries in order of expiry; expire() pops the earliest head
 * while it is due at or before 'now'.  No timer is armed: the event stream
 * of the run does not change with the NAT's bookkeeping.
 *
 * Port choice, per 'alloc':
 *   reserved   each host owns chunks of ports (azure-lb: its share of the
 *              backend-pool table or ports_per_host, gcp: min ports, doubled
 *              by dynamic allocation up to max); chunks are laid out on the
 *              first IP until it is full, then the next ("one after
 *              another"); the first free port of the host's chunks, lowest
 *              first.  EIM (gcp): the host port picks the NAT port.
 *   shared     a random IP, then the next ones; in each, a random offset
 *              and the next free port (wrapping); the per-destination cap.
 *   conntrack  the host's SNAT IP is host mod public_ips; a same-tuple
 *              entry in a hold is reopened (killed); keep the host port if
 *              free (not with random-fully); else nf_nat's search: 128
 *              probes from a random u16 offset, then 64, 32, 16, 8 from new
 *              offsets.  Tuples taken at this very instant by another flow
 *              look free during the search (another CPU has not confirmed
 *              yet); if the choice is such a tuple, the insert fails.
 */
#include "models/nat.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/gauge.h"
#include "models/natprofiles.h"
#include "sim/xalloc.h"


#define NIL UINT32_MAX
#define NWORDS 1024u                /* 65536 ports / 64 */
#define CHUNKS_MAX 16u
#define BORN_MAX 64u
#define ORIG_MIN_SLOTS 64u

enum { Q_IDLE, Q_FIN, Q_RST, NQ };
enum { E_FREE, E_LIVE, E_IDLE, E_HELD };

struct entry {
    simtime due;            /* in a FIFO: when it expires */
    uint32_t prev, next;    /* FIFO links; 'next' links the free list */
    uint32_t gen;           /* bumped when the entry is freed */
    uint32_t host;
    uint32_t dst;
    uint16_t ip, port;
    uint16_t hport;
    uint8_t state;
    uint8_t q;              /* the FIFO it is in, or NQ */
};

struct fifo {
    uint32_t head, tail;
    simtime len_ns;
};

struct chunk {
    uint16_t ip;
    uint16_t pad;
    uint32_t base;          /* first port */
    uint32_t len;           /* ports */
};

struct hostres {
    uint32_t nchunks;
    uint32_t total;         /* ports over all chunks */
    struct chunk c[CHUNKS_MAX];
};

struct hostc {
    uint64_t flows, failures, idle_timeouts, syn_retransmits, connect_timeouts;
    simtime first;              /* first drop since the warm-up, or SIMTIME_NEVER */
};

struct born {
    uint16_t ip, port;
    uint32_t dst;
};

struct origslot {
    uint64_t key;           /* (host, dst, hport) + 1; 0 = empty */
    uint32_t idx;
};

struct nat {
    struct nat_params p;
    uint32_t hosts, ndst, nips;
    gsl_rng *rng;
    struct entry *e;
    uint32_t ne, cap, free_head;
    uint64_t live;              /* entries not free */
    struct fifo q[NQ];
    uint64_t **bm;              /* [ip * ndst + dst] */
    uint32_t *per_dst;          /* [ip * ndst + dst]: translations */
    uint32_t *pref;             /* [ip * 65536 + port]: destinations carried */
    struct gauge g_ip[NAT_IPS_MAX];
    struct gauge g_all;
    uint64_t ip_flows[NAT_IPS_MAX], ip_fail[NAT_IPS_MAX], ip_idle[NAT_IPS_MAX];
    simtime ip_first[NAT_IPS_MAX];  /* first drop since the warm-up, or SIMTIME_NEVER */
    uint64_t lane_flows[NAT_IPS_MAX + 1];   /* since the last nat_lane(); [nips]: all */
    uint64_t lane_drops[NAT_IPS_MAX + 1];
    struct hostc *hc;
    struct hostres *res;        /* NAT_ALLOC_RESERVED */
    uint32_t ipcur[NAT_IPS_MAX];/* reserved: next free port on each IP */
    uint64_t lat[NAT_LATENCY_BUCKETS];
    struct born born[BORN_MAX]; /* conntrack: tuples taken at 'born_t' */
    uint32_t nborn;
    simtime born_t;
    struct origslot *orig;      /* conntrack: original tuple -> entry */
    uint32_t orig_mask, orig_n;
    bool warm;
    uint64_t digest;
};

/* ---- Small helpers ---- */

static void mix(struct nat *n, uint64_t v)
{
    uint64_t x = n->digest ^ (v + UINT64_C(0x9e3779b97f4a7c15));

    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    n->digest = x ^ (x >> 31);
}

static uint64_t *bitmap(struct nat *n, uint32_t ip, uint32_t dst)
{
    uint64_t **b = &n->bm[(size_t)ip * n->ndst + dst];

    if (!*b)
        *b = xcalloc(NWORDS, sizeof(uint64_t));
    return *b;
}

static bool bit_is_set(const uint64_t *b, uint32_t port)
{
    return (b[port >> 6] >> (port & 63)) & 1u;
}

/* First clear bit in [lo, hi] of 'b', or NIL. */
static uint32_t first_clear(const uint64_t *b, uint32_t lo, uint32_t hi)
{
    uint32_t w = lo >> 6;
    uint64_t word = ~b[w] & (~UINT64_C(0) << (lo & 63));

    for (;;) {
        if (word) {
            uint32_t port = (w << 6) + (uint32_t)__builtin_ctzll(word);

            return port <= hi ? port : NIL;
        }
        if (++w > (hi >> 6))
            return NIL;
        word = ~b[w];
    }
}

/* ---- The original-tuple map (conntrack reopen) ---- */

static uint64_t orig_key(uint32_t host, uint32_t dst, uint32_t hport)
{
    return (((uint64_t)host << 33) | ((uint64_t)dst << 16) | hport) + 1;
}

static uint32_t orig_slot(const struct nat *n, uint64_t key)
{
    return (uint32_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & n->orig_mask;
}

static void orig_put(struct nat *n, uint64_t key, uint32_t idx);

static void orig_grow(struct nat *n)
{
    struct origslot *old = n->orig;
    uint32_t oldn = n->orig_mask + 1;

    n->orig_mask = oldn * 2 - 1;
    n->orig = xcalloc(oldn * 2, sizeof(*n->orig));
    n->orig_n = 0;
    for (uint32_t i = 0; i < oldn; i++) {
        if (old[i].key)
            orig_put(n, old[i].key, old[i].idx);
    }
    free(old);
}

static void orig_put(struct nat *n, uint64_t key, uint32_t idx)
{
    uint32_t i;

    if ((n->orig_n + 1) * 2 > n->orig_mask + 1)
        orig_grow(n);
    for (i = orig_slot(n, key); n->orig[i].key; i = (i + 1) & n->orig_mask)
        assert(n->orig[i].key != key);
    n->orig[i].key = key;
    n->orig[i].idx = idx;
    n->orig_n++;
}

static uint32_t orig_get(const struct nat *n, uint64_t key)
{
    for (uint32_t i = orig_slot(n, key); n->orig[i].key; i = (i + 1) & n->orig_mask) {
        if (n->orig[i].key == key)
            return n->orig[i].idx;
    }
    return NIL;
}

/* Delete by backward shift (no tombstones). */
static void orig_del(struct nat *n, uint64_t key)
{
    uint32_t i = orig_slot(n, key), j;

    while (n->orig[i].key != key) {
        assert(n->orig[i].key);
        i = (i + 1) & n->orig_mask;
    }
    for (j = i;;) {
        uint32_t home;

        j = (j + 1) & n->orig_mask;
        if (!n->orig[j].key)
            break;
        home = orig_slot(n, n->orig[j].key);
        /* move j back to i unless its home lies cyclically in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
            n->orig[i] = n->orig[j];
            i = j;
        }
    }
    n->orig[i].key = 0;
    n->orig_n--;
}

/* ---- Entries and FIFOs ---- */

static uint32_t entry_new(struct nat *n)
{
    uint32_t i = n->free_head;

    if (i == NIL) {
        size_t cap = n->cap;

        n->e = xgrow(n->e, &cap, (size_t)n->ne + 1, sizeof(*n->e));
        n->cap = (uint32_t)cap;
        i = n->ne++;
        n->e[i].gen = 0;
    } else {
        n->free_head = n->e[i].next;
    }
    n->e[i].q = NQ;
    n->live++;
    return i;
}

static void fifo_push(struct nat *n, int qi, uint32_t i, simtime now)
{
    struct fifo *q = &n->q[qi];
    struct entry *x = &n->e[i];

    x->due = now + q->len_ns;
    x->q = (uint8_t)qi;
    x->next = NIL;
    x->prev = q->tail;
    if (q->tail != NIL)
        n->e[q->tail].next = i;
    else
        q->head = i;
    q->tail = i;
}

static void fifo_unlink(struct nat *n, uint32_t i)
{
    struct entry *x = &n->e[i];
    struct fifo *q;

    if (x->q == NQ)
        return;
    q = &n->q[x->q];
    if (x->prev != NIL)
        n->e[x->prev].next = x->next;
    else
        q->head = x->next;
    if (x->next != NIL)
        n->e[x->next].prev = x->prev;
    else
        q->tail = x->prev;
    x->q = NQ;
}

/* Take (ip, port) for 'dst' for a new entry 'i' at time 't'. */
static void occupy(struct nat *n, uint32_t i, simtime t)
{
    struct entry *x = &n->e[i];
    uint32_t *ref = &n->pref[(size_t)x->ip * 65536u + x->port];
    uint64_t *b = bitmap(n, x->ip, x->dst);

    b[x->port >> 6] |= UINT64_C(1) << (x->port & 63);
    n->per_dst[(size_t)x->ip * n->ndst + x->dst]++;
    if ((*ref)++ == 0) {
        gauge_set(&n->g_ip[x->ip], n->warm, t, n->g_ip[x->ip].level + 1);
        gauge_set(&n->g_all, n->warm, t, n->g_all.level + 1);
    }
}

/* Free entry 'i' at time 't' (its expiry, or now). */
static void entry_free(struct nat *n, uint32_t i, simtime t)
{
    struct entry *x = &n->e[i];
    uint32_t *ref = &n->pref[(size_t)x->ip * 65536u + x->port];
    uint64_t *b = n->bm[(size_t)x->ip * n->ndst + x->dst];

    fifo_unlink(n, i);
    b[x->port >> 6] &= ~(UINT64_C(1) << (x->port & 63));
    n->per_dst[(size_t)x->ip * n->ndst + x->dst]--;
    if (--(*ref) == 0) {
        gauge_set(&n->g_ip[x->ip], n->warm, t, n->g_ip[x->ip].level - 1);
        gauge_set(&n->g_all, n->warm, t, n->g_all.level - 1);
    }
    if (n->orig)
        orig_del(n, orig_key(x->host, x->dst, x->hport));
    x->state = E_FREE;
    x->gen++;
    x->next = n->free_head;
    n->free_head = i;
    n->live--;
}

/* Expire every entry due at or before 'now', earliest first. */
static void expire(struct nat *n, simtime now)
{
    for (;;) {
        int best = -1;
        simtime due = SIMTIME_NEVER;

        for (int qi = 0; qi < NQ; qi++) {
            uint32_t h = n->q[qi].head;

            if (h != NIL && n->e[h].due <= now && n->e[h].due < due) {
                due = n->e[h].due;
                best = qi;
            }
        }
        if (best < 0)
            return;
        {
            uint32_t i = n->q[best].head;
            struct entry *x = &n->e[i];

            if (best == Q_IDLE && n->warm) {
                n->ip_idle[x->ip]++;
                n->hc[x->host].idle_timeouts++;
            }
            mix(n, ((uint64_t)i << 8) | (unsigned)best);
            entry_free(n, i, due);
        }
    }
}

static bool flow_is_current(const struct nat *n, const struct nat_flow *f)
{
    return f->idx < n->ne && n->e[f->idx].gen == f->gen && n->e[f->idx].state != E_FREE;
}

/* ---- Reserved pools ---- */

/* Default ports per VM of the azure-lb backend-pool table, 2023 rule:
 * MIN(table value x frontend IPs, 1,024). */
static uint32_t azure_lb_table(uint32_t hosts, uint32_t ips)
{
    uint32_t v = hosts <= 50 ? 1024 : hosts <= 100 ? 512 : hosts <= 200 ? 256 :
                 hosts <= 400 ? 128 : hosts <= 800 ? 64 : 32;

    return v * ips < 1024 ? v * ips : 1024;
}

/* Reserve a chunk of 'len' ports for host 'h' on the first IP with room. */
static bool reserve(struct nat *n, uint32_t h, uint32_t len)
{
    struct hostres *r = &n->res[h];

    if (r->nchunks == CHUNKS_MAX || len == 0)
        return false;
    for (uint32_t ip = 0; ip < n->nips; ip++) {
        if (n->ipcur[ip] + len - 1 <= n->p.port_max) {
            r->c[r->nchunks++] = (struct chunk){(uint16_t)ip, 0, n->ipcur[ip], len};
            r->total += len;
            n->ipcur[ip] += len;
            return true;
        }
    }
    return false;
}

static enum nat_result pick_reserved(struct nat *n, uint32_t h, uint32_t hport, uint32_t dst,
                                     uint16_t *ip, uint32_t *port)
{
    struct hostres *r = &n->res[h];

    if (n->p.eim && r->total) {
        uint32_t k = hport % r->total;

        for (uint32_t c = 0; c < r->nchunks; k -= r->c[c].len, c++) {
            if (k < r->c[c].len) {
                *ip = r->c[c].ip;
                *port = r->c[c].base + k;
                return bit_is_set(bitmap(n, *ip, dst), *port) ? NAT_DROP_CONFLICT : NAT_OK;
            }
        }
    }
    for (uint32_t c = 0; c < r->nchunks; c++) {
        const struct chunk *ch = &r->c[c];
        uint32_t got = first_clear(bitmap(n, ch->ip, dst), ch->base, ch->base + ch->len - 1);

        if (got != NIL) {
            *ip = ch->ip;
            *port = got;
            return NAT_OK;
        }
    }
    /* dynamic allocation doubles the host's ports; this SYN is lost */
    if (n->p.max_ports_per_host > r->total && r->total > 0)
        reserve(n, h, r->total);
    *ip = r->nchunks ? r->c[0].ip : 0;
    return NAT_DROP_EXHAUSTED;
}

/* ---- Shared inventory ---- */

static enum nat_result pick_shared(struct nat *n, uint32_t dst, uint16_t *ip, uint32_t *port)
{
    uint32_t ip0 = (uint32_t)gsl_rng_uniform_int(n->rng, n->nips);
    uint32_t range = n->p.port_max - n->p.port_min + 1;
    uint32_t limit = n->p.per_dst_limit ? n->p.per_dst_limit : range;

    for (uint32_t k = 0; k < n->nips; k++) {
        uint32_t a = (ip0 + k) % n->nips, start, got;
        const uint64_t *b;

        if (n->per_dst[(size_t)a * n->ndst + dst] >= limit)
            continue;
        b = bitmap(n, a, dst);
        start = n->p.port_min + (uint32_t)gsl_rng_uniform_int(n->rng, range);
        got = first_clear(b, start, n->p.port_max);
        if (got == NIL && start > n->p.port_min)
            got = first_clear(b, n->p.port_min, start - 1);
        if (got != NIL) {
            *ip = (uint16_t)a;
            *port = got;
            return NAT_OK;
        }
    }
    *ip = (uint16_t)ip0;
    return NAT_DROP_EXHAUSTED;
}

/* ---- Conntrack ---- */

static bool born_now(const struct nat *n, uint32_t ip, uint32_t port, uint32_t dst)
{
    for (uint32_t k = 0; k < n->nborn; k++) {
        if (n->born[k].ip == ip && n->born[k].port == port && n->born[k].dst == dst)
            return true;
    }
    return false;
}

/* nf_nat_used_tuple(), where a tuple taken at this instant is not seen. */
static bool ct_used(struct nat *n, const uint64_t *b, uint32_t ip, uint32_t port, uint32_t dst)
{
    return bit_is_set(b, port) && !born_now(n, ip, port, dst);
}

static enum nat_result pick_conntrack(struct nat *n, simtime now, uint32_t h, uint32_t hport,
                                      uint32_t dst, uint16_t *ip, uint32_t *port)
{
    uint32_t a = h % n->nips, min = n->p.port_min, range = n->p.port_max - min + 1;
    uint32_t attempts = range < 128 ? range : 128, reopen;
    const uint64_t *b;
    uint16_t off;

    if ((reopen = orig_get(n, orig_key(h, dst, hport))) != NIL &&
        n->e[reopen].state == E_HELD) {
        mix(n, reopen);
        entry_free(n, reopen, now);     /* a new SYN reopens a closing entry */
    }
    if (now != n->born_t) {
        n->born_t = now;
        n->nborn = 0;
    }
    *ip = (uint16_t)a;
    b = bitmap(n, a, dst);
    if (!n->p.random_fully && !ct_used(n, b, a, hport, dst)) {
        *port = hport;
        goto confirm;
    }
    off = (uint16_t)gsl_rng_uniform_int(n->rng, 65536);
    for (;;) {
        for (uint32_t i = 0; i < attempts; i++, off++) {
            *port = min + off % range;
            if (!ct_used(n, b, a, *port, dst))
                goto confirm;
        }
        if (attempts >= range || attempts < 16)
            return NAT_DROP_EXHAUSTED;
        attempts /= 2;
        off = (uint16_t)gsl_rng_uniform_int(n->rng, 65536);
    }
confirm:
    if (bit_is_set(b, *port))
        return NAT_DROP_RACE;           /* __nf_conntrack_confirm: insert_failed */
    if (n->nborn < BORN_MAX)
        n->born[n->nborn++] = (struct born){(uint16_t)a, (uint16_t)*port, dst};
    return NAT_OK;
}

static void nat_reset_first(struct nat *n)
{
    for (uint32_t ip = 0; ip < NAT_IPS_MAX; ip++)
        n->ip_first[ip] = SIMTIME_NEVER;
    for (uint32_t h = 0; h < n->hosts; h++)
        n->hc[h].first = SIMTIME_NEVER;
}

static double first_s(simtime t)
{
    return t == SIMTIME_NEVER ? -1.0 : simtime_to_s(t);
}

/* ---- Public ---- */

struct nat *nat_new(const struct nat_params *p, uint32_t hosts, uint32_t ndst, gsl_rng *rng)
{
    struct nat *n = xcalloc(1, sizeof(*n));

    assert(p->profile != NAT_PROFILE_NONE && hosts >= 1 && ndst >= 1);
    assert(p->public_ips >= 1 && p->public_ips <= NAT_IPS_MAX);
    assert(p->port_min >= 1 && p->port_min <= p->port_max && p->port_max <= 65535);
    n->p = *p;
    n->hosts = hosts;
    n->ndst = ndst;
    n->nips = p->public_ips;
    n->rng = rng;
    n->free_head = NIL;
    n->warm = true;
    for (int qi = 0; qi < NQ; qi++)
        n->q[qi] = (struct fifo){NIL, NIL, 0};
    n->q[Q_IDLE].len_ns = p->idle_timeout_ns;
    n->q[Q_FIN].len_ns = p->hold_fin_ns;
    n->q[Q_RST].len_ns = p->hold_rst_ns;
    n->bm = xcalloc((size_t)n->nips * ndst, sizeof(*n->bm));
    n->per_dst = xcalloc((size_t)n->nips * ndst, sizeof(*n->per_dst));
    n->pref = xcalloc((size_t)n->nips * 65536u, sizeof(*n->pref));
    n->hc = xcalloc(hosts, sizeof(*n->hc));
    nat_reset_first(n);
    if (p->alloc == NAT_ALLOC_RESERVED) {
        uint32_t each = p->ports_per_host ? p->ports_per_host
                                          : azure_lb_table(hosts, n->nips);

        n->res = xcalloc(hosts, sizeof(*n->res));
        for (uint32_t ip = 0; ip < n->nips; ip++)
            n->ipcur[ip] = p->port_min;
        for (uint32_t h = 0; h < hosts; h++)
            reserve(n, h, each);
    }
    if (p->alloc == NAT_ALLOC_CONNTRACK) {
        n->orig_mask = ORIG_MIN_SLOTS - 1;
        n->orig = xcalloc(ORIG_MIN_SLOTS, sizeof(*n->orig));
    }
    n->born_t = SIMTIME_NEVER;
    return n;
}

void nat_free(struct nat *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < (size_t)n->nips * n->ndst; i++)
        free(n->bm[i]);
    free(n->bm);
    free(n->per_dst);
    free(n->pref);
    free(n->hc);
    free(n->res);
    free(n->orig);
    free(n->e);
    free(n);
}

enum nat_result nat_open(struct nat *n, simtime now, uint32_t host, uint32_t hport,
                         uint32_t dst, struct nat_flow *out)
{
    enum nat_result res;
    uint16_t ip = 0;
    uint32_t port = 0, i;
    struct entry *x;

    assert(host < n->hosts && dst < n->ndst && hport <= 65535);
    expire(n, now);
    if (n->p.alloc == NAT_ALLOC_RESERVED)
        res = pick_reserved(n, host, hport, dst, &ip, &port);
    else if (n->p.alloc == NAT_ALLOC_SHARED)
        res = pick_shared(n, dst, &ip, &port);
    else
        res = pick_conntrack(n, now, host, hport, dst, &ip, &port);
    mix(n, ((uint64_t)res << 48) | ((uint64_t)ip << 32) | port);
    if (res != NAT_OK) {
        n->lane_drops[ip]++;
        n->lane_drops[n->nips]++;
        if (n->warm) {
            n->ip_fail[ip]++;
            n->hc[host].failures++;
            if (n->ip_first[ip] == SIMTIME_NEVER)
                n->ip_first[ip] = now;
            if (n->hc[host].first == SIMTIME_NEVER)
                n->hc[host].first = now;
        }
        return res;
    }
    i = entry_new(n);
    x = &n->e[i];
    x->host = host;
    x->dst = dst;
    x->ip = ip;
    x->port = (uint16_t)port;
    x->hport = (uint16_t)hport;
    x->state = E_LIVE;
    occupy(n, i, now);
    if (n->orig)
        orig_put(n, orig_key(host, dst, hport), i);
    n->lane_flows[ip]++;
    n->lane_flows[n->nips]++;
    if (n->warm) {
        n->ip_flows[ip]++;
        n->hc[host].flows++;
    }
    *out = (struct nat_flow){i, x->gen, host, ip, (uint16_t)port};
    return NAT_OK;
}

void nat_close(struct nat *n, simtime now, const struct nat_flow *f, bool rst)
{
    int qi = rst ? Q_RST : Q_FIN;

    expire(n, now);
    if (!flow_is_current(n, f) || n->e[f->idx].state == E_HELD)
        return;
    fifo_unlink(n, f->idx);
    if (n->q[qi].len_ns == 0) {
        entry_free(n, f->idx, now);
        return;
    }
    n->e[f->idx].state = E_HELD;
    fifo_push(n, qi, f->idx, now);
}

void nat_idle(struct nat *n, simtime now, const struct nat_flow *f)
{
    expire(n, now);
    if (!flow_is_current(n, f) || n->e[f->idx].state != E_LIVE)
        return;
    n->e[f->idx].state = E_IDLE;
    fifo_push(n, Q_IDLE, f->idx, now);
}

bool nat_resume(struct nat *n, simtime now, const struct nat_flow *f)
{
    expire(n, now);
    if (!flow_is_current(n, f))
        return false;
    if (n->e[f->idx].state == E_IDLE) {
        fifo_unlink(n, f->idx);
        n->e[f->idx].state = E_LIVE;
    }
    return n->e[f->idx].state == E_LIVE;
}

bool nat_is_alive(struct nat *n, simtime now, const struct nat_flow *f)
{
    expire(n, now);
    return flow_is_current(n, f) && n->e[f->idx].state != E_HELD;
}

void nat_note_retransmit(struct nat *n, uint32_t host)
{
    if (n->warm)
        n->hc[host].syn_retransmits++;
}

void nat_note_timeout(struct nat *n, uint32_t host)
{
    if (n->warm)
        n->hc[host].connect_timeouts++;
}

void nat_note_connected(struct nat *n, uint32_t retransmits)
{
    if (n->warm)
        n->lat[retransmits < NAT_LATENCY_BUCKETS ? retransmits : NAT_LATENCY_BUCKETS - 1]++;
}

void nat_warmup(struct nat *n, simtime now)
{
    expire(n, now);
    n->warm = true;
    memset(n->ip_flows, 0, sizeof(n->ip_flows));
    memset(n->ip_fail, 0, sizeof(n->ip_fail));
    memset(n->ip_idle, 0, sizeof(n->ip_idle));
    memset(n->hc, 0, (size_t)n->hosts * sizeof(*n->hc));
    nat_reset_first(n);
    memset(n->lat, 0, sizeof(n->lat));
    for (uint32_t ip = 0; ip < n->nips; ip++) {
        gauge_set(&n->g_ip[ip], false, now, n->g_ip[ip].level);
        gauge_restart(&n->g_ip[ip], now);
    }
    gauge_set(&n->g_all, false, now, n->g_all.level);
    gauge_restart(&n->g_all, now);
}

void nat_finish(struct nat *n, simtime end)
{
    if (end > 0)
        expire(n, end - 1);     /* the run covers [0, end) */
    for (uint32_t ip = 0; ip < n->nips; ip++)
        gauge_set(&n->g_ip[ip], n->warm, end, n->g_ip[ip].level);
    gauge_set(&n->g_all, n->warm, end, n->g_all.level);
}

static void fill_ports(const struct gauge *g, simtime warmup, simtime end,
                       struct nat_counts *out)
{
    simtime span = end > warmup ? end - warmup : 0;

    out->peak_ports = g->peak;
    out->mean_ports = gauge_mean(g, span);
}

void nat_total(const struct nat *n, simtime warmup, simtime end, struct nat_counts *out)
{
    simtime first = SIMTIME_NEVER;

    memset(out, 0, sizeof(*out));
    for (uint32_t h = 0; h < n->hosts; h++) {
        if (n->hc[h].first < first)
            first = n->hc[h].first;
        out->flows += n->hc[h].flows;
        out->failures += n->hc[h].failures;
        out->idle_timeouts += n->hc[h].idle_timeouts;
        out->syn_retransmits += n->hc[h].syn_retransmits;
        out->connect_timeouts += n->hc[h].connect_timeouts;
    }
    out->first_failure_s = first_s(first);
    fill_ports(&n->g_all, warmup, end, out);
}

void nat_ip(const struct nat *n, uint32_t ip, simtime warmup, simtime end,
            struct nat_counts *out)
{
    memset(out, 0, sizeof(*out));
    out->first_failure_s = -1;
    if (ip >= n->nips)
        return;
    out->flows = n->ip_flows[ip];
    out->failures = n->ip_fail[ip];
    out->idle_timeouts = n->ip_idle[ip];
    out->first_failure_s = first_s(n->ip_first[ip]);
    fill_ports(&n->g_ip[ip], warmup, end, out);
}

void nat_host(const struct nat *n, uint32_t host, struct nat_counts *out)
{
    memset(out, 0, sizeof(*out));
    out->first_failure_s = -1;
    if (host >= n->hosts)
        return;
    out->flows = n->hc[host].flows;
    out->failures = n->hc[host].failures;
    out->idle_timeouts = n->hc[host].idle_timeouts;
    out->syn_retransmits = n->hc[host].syn_retransmits;
    out->connect_timeouts = n->hc[host].connect_timeouts;
    out->first_failure_s = first_s(n->hc[host].first);
}

double nat_latency_s(const struct nat *n, double q)
{
    uint64_t total = 0, acc = 0;

    for (uint32_t k = 0; k < NAT_LATENCY_BUCKETS; k++)
        total += n->lat[k];
    if (total == 0)
        return 0;
    for (uint32_t k = 0; k < NAT_LATENCY_BUCKETS; k++) {
        acc += n->lat[k];
        if ((double)acc >= q * (double)total)
            return simtime_to_s(n->p.syn_rto_ns) * (double)((UINT64_C(1) << k) - 1);
    }
    return 0;
}

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void nat_lane(struct nat *n, simtime now, struct nat_ip_sample *out)
{
    expire(n, now);
    for (uint32_t i = 0; i <= n->nips; i++) {
        const struct gauge *g = i < n->nips ? &n->g_ip[i] : &n->g_all;

        out[i].ports = clamp32(g->level);
        out[i].drops = clamp32(n->lane_drops[i]);
        out[i].flows = clamp32(n->lane_flows[i]);
        n->lane_drops[i] = 0;
        n->lane_flows[i] = 0;
    }
}

uint64_t nat_translations(const struct nat *n)
{
    return n->live;
}

size_t nat_bytes(const struct nat *n)
{
    size_t b = sizeof(*n) + (size_t)n->cap * sizeof(*n->e);

    b += (size_t)n->nips * n->ndst * (sizeof(*n->bm) + sizeof(*n->per_dst));
    for (size_t i = 0; i < (size_t)n->nips * n->ndst; i++)
        b += n->bm[i] ? NWORDS * sizeof(uint64_t) : 0;
    b += (size_t)n->nips * 65536u * sizeof(*n->pref);
    b += (size_t)n->hosts * sizeof(*n->hc);
    b += n->res ? (size_t)n->hosts * sizeof(*n->res) : 0;
    b += n->orig ? ((size_t)n->orig_mask + 1) * sizeof(*n->orig) : 0;
    return b;
}

uint32_t nat_host_ports(const struct nat *n, uint32_t host)
{
    return n->res && host < n->hosts ? n->res[host].total : 0;
}

uint64_t nat_digest(const struct nat *n)
{
    return n->digest;
}

void nat_theory(const struct scenario_params *p, struct nat_theory *t)
{
    const struct nat_params *np = &p->nat;
    uint32_t range = np->port_max - np->port_min + 1, each = 0, hosts = p->fleet.hosts;
    uint64_t per_ip = np->per_dst_limit && np->per_dst_limit < range ? np->per_dst_limit : range;
    double offered_host;

    memset(t, 0, sizeof(*t));
    t->hold_s = simtime_to_s(p->workload.service_time_ns) + simtime_to_s(np->hold_fin_ns);
    t->offered_per_dst_per_s = p->workload.rate_per_s / p->workload.servers;
    if (np->alloc == NAT_ALLOC_RESERVED) {
        uint32_t fit;

        each = np->ports_per_host ? np->ports_per_host : azure_lb_table(hosts, np->public_ips);
        fit = (range / each) * np->public_ips;
        t->ports_per_host = each;
        t->hosts_placed = fit < hosts ? fit : hosts;
        t->ports_per_dst = (uint64_t)each * t->hosts_placed;
    } else {
        t->ports_per_dst = per_ip * np->public_ips;
    }
    t->per_dst_per_s = t->hold_s > 0 ? (double)t->ports_per_dst / t->hold_s : (double)INFINITY;
    t->per_host_dst_per_s = each && t->hold_s > 0 ? each / t->hold_s : 0;
    t->exhaustion_s = (double)INFINITY;
    if (each) {             /* a host runs out of its own ports first */
        offered_host = t->offered_per_dst_per_s / hosts;
        if (offered_host > t->per_host_dst_per_s)
            t->exhaustion_s = each / offered_host;
    } else if (t->offered_per_dst_per_s > t->per_dst_per_s) {
        t->exhaustion_s = (double)t->ports_per_dst / t->offered_per_dst_per_s;
    }
}

uint64_t nat_ip_limit(const struct scenario_params *p, uint32_t ip)
{
    const struct nat_params *np = &p->nat;
    uint32_t range = np->port_max - np->port_min + 1, hosts = p->fleet.hosts;

    if (np->profile == NAT_PROFILE_NONE || ip >= np->public_ips)
        return 0;
    if (np->alloc == NAT_ALLOC_RESERVED) {
        /* reserve() fills IP 0 with range / each hosts, then IP 1, ... */
        uint32_t each = np->ports_per_host ? np->ports_per_host
                                           : azure_lb_table(hosts, np->public_ips);
        uint64_t fit = range / each, before = fit * ip;

        if (before >= hosts)
            return 0;
        return (hosts - before < fit ? hosts - before : fit) * each;
    }
    if (np->alloc == NAT_ALLOC_SHARED && np->per_dst_limit && np->per_dst_limit < range)
        return np->per_dst_limit;
    return range;
}

const char *nat_failure_words(enum nat_profile_id p, enum nat_result why)
{
    if (why == NAT_DROP_CONFLICT)
        return "ENDPOINT_INDEPENDENCE_CONFLICT";
    if (why == NAT_DROP_RACE)
        return "insert_failed";
    return p == NAT_PROFILE_NONE ? "" : natprofile_get(p)->failure_words;
}
