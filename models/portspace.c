/* portspace.c - ports, open connections and TIME_WAIT entries (see
 * portspace.h for the picture and the invariant).
 *
 * Layout.  Per pool, an array of struct port indexed by port offset (the
 * head of the port's TIME_WAIT list, its connection count, its client
 * TIME_WAIT count, side by side) and two bitmaps (busy, tw).  Per (pool,
 * remote), allocated the first time a connection or entry toward that
 * remote appears, one block holding the conn_r and tw_r bitmaps.  Bits past
 * the end of the range are 0 in 'usable' so no search ever returns them.
 *
 * TIME_WAIT FIFOs.  Entries are appended at the tail of a deque of
 * 1024-entry chunks and never move (the stack's FIFO clock points at the
 * oldest).  A 31-bit sequence number names a slot; bit 31 of a list link
 * says which FIFO.  An ended entry is marked (bit 31 of 'remote') and the
 * head skips marked slots, freeing a chunk once the head has left it.
 * Since all entries last 'time_wait' (plus the tick rounding, which is
 * monotone too), expiry happens at the head, and a tombstone in the middle
 * waits at most 'time_wait' for the head.
 *
 * Finding.  portspace_find() combines the bitmaps of a view word by word and
 * takes the lowest set bit with ctz: 64 ports per step, so a walk near
 * exhaustion costs (ports passed) / 64 word operations.
 */
#include "models/portspace.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

_Static_assert(sizeof(struct ps_tw) == 40, "a TIME_WAIT entry is 40 bytes (portspace.h)");

#define CHUNK_SHIFT 10u
#define CHUNK_N (1u << CHUNK_SHIFT)
#define SEQ_MASK 0x7fffffffu                    /* 31-bit slot numbers */
#define CHUNKNO_MASK (SEQ_MASK >> CHUNK_SHIFT)  /* 21-bit chunk numbers */
#define IDX_SERVER 0x80000000u                  /* link bit: server FIFO */
#define TW_DEAD 0x80000000u                     /* 'remote' bit: ended */
#define TW_SERVER 0x8000u                       /* 'pool' bit: server side */

struct fifo {
    struct ps_tw **ring;    /* chunk pointers, slot = chunk number & (cap - 1) */
    uint32_t cap;           /* power of two, <= 2^21 */
    uint32_t head;          /* oldest slot not yet passed */
    uint32_t tail;          /* next slot to fill */
    uint32_t live;          /* entries not ended */
    struct ps_tw *spare;    /* one released chunk kept for reuse */
};

/* What a pool knows of one port, side by side: a connect, a close or an
 * expiry on a cold port misses one line here, not one per array. */
struct port {
    uint32_t head;          /* first TIME_WAIT entry on the port, PS_NIL */
    uint32_t nconn;         /* open connections */
    uint32_t ntw;           /* client TIME_WAIT entries */
};

struct portspace {
    uint32_t n;             /* ports in the range */
    uint32_t nwords;        /* 64-bit words per bitmap */
    uint32_t nusable;
    uint32_t npools;
    uint32_t nremotes;
    uint64_t *usable;       /* nwords */
    uint64_t *zeros;        /* nwords, all 0 */
    uint64_t *busy;         /* npools * nwords */
    uint64_t *tw;           /* npools * nwords */
    struct port *port;      /* npools * n */
    uint64_t *occupied;     /* npools: ports with a connection or a client entry */
    uint64_t **rbits;       /* npools * nremotes: conn_r then tw_r, or NULL */
    struct fifo fifo[2];    /* client, server */
};

/* ---- Bits ---- */

static inline void bit_set(uint64_t *b, uint32_t i)
{
    b[i >> 6] |= UINT64_C(1) << (i & 63);
}

static inline void bit_clear(uint64_t *b, uint32_t i)
{
    b[i >> 6] &= ~(UINT64_C(1) << (i & 63));
}

static inline bool bit_get(const uint64_t *b, uint32_t i)
{
    return (b[i >> 6] >> (i & 63)) & 1u;
}

static uint64_t *rbits_of(struct portspace *ps, uint32_t pool, uint32_t r)
{
    uint64_t **slot = &ps->rbits[(size_t)pool * ps->nremotes + r];

    if (!*slot)     /* conn_r, tw_r, then the count of ports set in either */
        *slot = xcalloc(2 * (size_t)ps->nwords + 1, sizeof(uint64_t));
    return *slot;
}

static const uint64_t *rbits_peek(const struct portspace *ps, uint32_t pool, uint32_t r)
{
    return ps->rbits[(size_t)pool * ps->nremotes + r];
}

/* Set or clear bit 'off' of map 'mine' ('other' is its partner: conn_r and
 * tw_r, or busy and tw of a pool) keeping '*count' = ports set in either. */
static void pair_set(uint64_t *mine, const uint64_t *other, uint32_t off, uint64_t *count)
{
    if (!bit_get(other, off))
        ++*count;
    bit_set(mine, off);
}

static void pair_clear(uint64_t *mine, const uint64_t *other, uint32_t off, uint64_t *count)
{
    if (!bit_get(other, off))
        --*count;
    bit_clear(mine, off);
}

/* ---- TIME_WAIT FIFOs ---- */

static struct ps_tw *slot_ptr(const struct fifo *f, uint32_t seq)
{
    struct ps_tw *chunk = f->ring[(seq >> CHUNK_SHIFT) & (f->cap - 1)];

    assert(chunk);
    return &chunk[seq & (CHUNK_N - 1)];
}

static struct ps_tw *idx_ptr(const struct portspace *ps, uint32_t idx)
{
    return slot_ptr(&ps->fifo[idx >> 31], idx & SEQ_MASK);
}

static uint32_t chunks_allocated(const struct fifo *f)
{
    uint32_t endc = ((f->tail + CHUNK_N - 1) & SEQ_MASK) >> CHUNK_SHIFT;

    return (endc - (f->head >> CHUNK_SHIFT)) & CHUNKNO_MASK;
}

static void fifo_grow(struct fifo *f)
{
    uint32_t count = chunks_allocated(f), headc = f->head >> CHUNK_SHIFT;
    uint32_t ncap = f->cap * 2;
    struct ps_tw **nring = xcalloc(ncap, sizeof(*nring));

    assert(ncap <= CHUNKNO_MASK + 1);
    for (uint32_t k = 0; k < count; k++) {
        uint32_t c = (headc + k) & CHUNKNO_MASK;
        nring[c & (ncap - 1)] = f->ring[c & (f->cap - 1)];
    }
    free(f->ring);
    f->ring = nring;
    f->cap = ncap;
}

/* A fresh slot at the tail; returns its sequence number. */
static uint32_t fifo_push(struct fifo *f)
{
    uint32_t seq = f->tail;

    if ((seq & (CHUNK_N - 1)) == 0) {
        if (chunks_allocated(f) == f->cap)
            fifo_grow(f);
        struct ps_tw *chunk = f->spare ? f->spare : xmalloc(CHUNK_N * sizeof(struct ps_tw));
        f->spare = NULL;
        f->ring[(seq >> CHUNK_SHIFT) & (f->cap - 1)] = chunk;
    }
    f->tail = (seq + 1) & SEQ_MASK;
    f->live++;
    return seq;
}

/* Move the head past ended slots, releasing chunks it leaves. */
static void fifo_trim(struct fifo *f)
{
    while (f->head != f->tail && (slot_ptr(f, f->head)->remote & TW_DEAD)) {
        f->head = (f->head + 1) & SEQ_MASK;
        if ((f->head & (CHUNK_N - 1)) == 0) {
            uint32_t c = ((f->head >> CHUNK_SHIFT) - 1) & CHUNKNO_MASK;
            struct ps_tw **slot = &f->ring[c & (f->cap - 1)];

            if (f->spare)
                free(*slot);
            else
                f->spare = *slot;
            *slot = NULL;
        }
    }
}

static void fifo_fini(struct fifo *f)
{
    uint32_t count = chunks_allocated(f), headc = f->head >> CHUNK_SHIFT;

    for (uint32_t k = 0; k < count; k++)
        free(f->ring[((headc + k) & CHUNKNO_MASK) & (f->cap - 1)]);
    free(f->ring);
    free(f->spare);
}

/* ---- Public ---- */

struct portspace *portspace_new(const struct stack_params *p, uint32_t npools, uint32_t nremotes)
{
    struct portspace *ps = xcalloc(1, sizeof(*ps));
    size_t pn;

    assert(p->port_min >= 1 && p->port_min <= p->port_max && p->port_max <= 65535);
    assert(npools >= 1 && npools <= PS_POOLS_MAX);
    assert(nremotes >= 1 && nremotes <= PS_REMOTES_MAX);
    ps->n = p->port_max - p->port_min + 1;
    ps->nwords = (ps->n + 63) / 64;
    ps->npools = npools;
    ps->nremotes = nremotes;
    pn = (size_t)npools * ps->n;
    ps->usable = xcalloc(ps->nwords, sizeof(uint64_t));
    ps->zeros = xcalloc(ps->nwords, sizeof(uint64_t));
    ps->busy = xcalloc((size_t)npools * ps->nwords, sizeof(uint64_t));
    ps->tw = xcalloc((size_t)npools * ps->nwords, sizeof(uint64_t));
    ps->port = xcalloc(pn, sizeof(*ps->port));
    ps->occupied = xcalloc(npools, sizeof(uint64_t));
    ps->rbits = xcalloc((size_t)npools * nremotes, sizeof(uint64_t *));
    for (size_t i = 0; i < pn; i++)
        ps->port[i].head = PS_NIL;
    for (uint32_t i = 0; i < ps->n; i++) {
        uint32_t port = p->port_min + i;
        bool reserved = false;

        for (uint32_t k = 0; k < p->nreserved && !reserved; k++)
            reserved = port >= p->reserved[k].lo && port <= p->reserved[k].hi;
        if (!reserved) {
            bit_set(ps->usable, i);
            ps->nusable++;
        }
    }
    for (int k = 0; k < 2; k++) {
        ps->fifo[k].cap = 4;
        ps->fifo[k].ring = xcalloc(4, sizeof(struct ps_tw *));
    }
    return ps;
}

void portspace_free(struct portspace *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < (size_t)ps->npools * ps->nremotes; i++)
        free(ps->rbits[i]);
    fifo_fini(&ps->fifo[0]);
    fifo_fini(&ps->fifo[1]);
    free(ps->rbits);
    free(ps->port);
    free(ps->occupied);
    free(ps->tw);
    free(ps->busy);
    free(ps->zeros);
    free(ps->usable);
    free(ps);
}

uint32_t portspace_nports(const struct portspace *ps)
{
    return ps->n;
}

uint32_t portspace_usable(const struct portspace *ps)
{
    return ps->nusable;
}

bool portspace_is_usable(const struct portspace *ps, uint32_t off)
{
    return off < ps->n && bit_get(ps->usable, off);
}

uint32_t portspace_nconn(const struct portspace *ps, uint32_t pool, uint32_t off)
{
    return ps->port[(size_t)pool * ps->n + off].nconn;
}

uint32_t portspace_ntw(const struct portspace *ps, uint32_t pool, uint32_t off)
{
    return ps->port[(size_t)pool * ps->n + off].ntw;
}

bool portspace_conn_to(const struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r)
{
    const uint64_t *b = rbits_peek(ps, pool, r);

    return b && bit_get(b, off);
}

bool portspace_tw_to(const struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r)
{
    const uint64_t *b = rbits_peek(ps, pool, r);

    return b && bit_get(b + ps->nwords, off);
}

uint32_t portspace_conn_add(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r)
{
    uint64_t *b = rbits_of(ps, pool, r);
    uint32_t *nc = &ps->port[(size_t)pool * ps->n + off].nconn;

    size_t pw = (size_t)pool * ps->nwords;

    assert(off < ps->n && !bit_get(b, off));    /* one live connection per 4-tuple */
    pair_set(b, b + ps->nwords, off, &b[2 * ps->nwords]);
    if ((*nc)++ == 0)
        pair_set(ps->busy + pw, ps->tw + pw, off, &ps->occupied[pool]);
    return *nc;
}

uint32_t portspace_conn_del(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r)
{
    uint64_t *b = rbits_of(ps, pool, r);
    uint32_t *nc = &ps->port[(size_t)pool * ps->n + off].nconn;

    size_t pw = (size_t)pool * ps->nwords;

    assert(off < ps->n && bit_get(b, off) && *nc > 0);
    pair_clear(b, b + ps->nwords, off, &b[2 * ps->nwords]);
    if (--*nc == 0)
        pair_clear(ps->busy + pw, ps->tw + pw, off, &ps->occupied[pool]);
    return *nc;
}

struct ps_tw *portspace_tw_add(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r,
                               bool server, simtime now, simtime due)
{
    struct fifo *f = &ps->fifo[server];
    uint32_t seq = fifo_push(f);
    struct ps_tw *e = slot_ptr(f, seq);
    size_t pi = (size_t)pool * ps->n + off;

    assert(off < ps->n && pool < ps->npools && r < ps->nremotes);
    e->due = due;
    e->seq = 0;
    e->next = ps->port[pi].head;
    e->prev = PS_NIL;
    if (e->next != PS_NIL)
        idx_ptr(ps, e->next)->prev = seq | (server ? IDX_SERVER : 0);
    e->remote = r;
    e->port = (uint16_t)off;
    e->pool = (uint16_t)(pool | (server ? TW_SERVER : 0));
    e->since_lo = (uint32_t)now;
    ps->port[pi].head = seq | (server ? IDX_SERVER : 0);
    if (!server) {
        uint64_t *b = rbits_of(ps, pool, r);

        size_t pw = (size_t)pool * ps->nwords;

        assert(!bit_get(b + ps->nwords, off));  /* one client entry per 4-tuple */
        pair_set(b + ps->nwords, b, off, &b[2 * ps->nwords]);
        if (ps->port[pi].ntw++ == 0)
            pair_set(ps->tw + pw, ps->busy + pw, off, &ps->occupied[pool]);
    }
    return e;
}

void portspace_tw_del(struct portspace *ps, struct ps_tw *e)
{
    uint32_t pool = ps_tw_pool(e), off = e->port, r = ps_tw_remote(e);
    bool server = ps_tw_is_server(e);
    size_t pi = (size_t)pool * ps->n + off;

    assert(!(e->remote & TW_DEAD));
    if (e->prev == PS_NIL)
        ps->port[pi].head = e->next;
    else
        idx_ptr(ps, e->prev)->next = e->next;
    if (e->next != PS_NIL)
        idx_ptr(ps, e->next)->prev = e->prev;
    if (!server) {
        uint64_t *b = rbits_of(ps, pool, r);

        size_t pw = (size_t)pool * ps->nwords;

        pair_clear(b + ps->nwords, b, off, &b[2 * ps->nwords]);
        if (--ps->port[pi].ntw == 0)
            pair_clear(ps->tw + pw, ps->busy + pw, off, &ps->occupied[pool]);
    }
    e->remote |= TW_DEAD;
    ps->fifo[server].live--;
    fifo_trim(&ps->fifo[server]);
}

struct ps_tw *portspace_tw_find(const struct portspace *ps, uint32_t pool, uint32_t off,
                                uint32_t r, bool server)
{
    for (struct ps_tw *e = portspace_tw_first(ps, pool, off); e; e = portspace_tw_next(ps, e))
        if (ps_tw_remote(e) == r && ps_tw_is_server(e) == server)
            return e;
    return NULL;
}

struct ps_tw *portspace_tw_first(const struct portspace *ps, uint32_t pool, uint32_t off)
{
    uint32_t idx = ps->port[(size_t)pool * ps->n + off].head;

    return idx == PS_NIL ? NULL : idx_ptr(ps, idx);
}

struct ps_tw *portspace_tw_next(const struct portspace *ps, const struct ps_tw *e)
{
    return e->next == PS_NIL ? NULL : idx_ptr(ps, e->next);
}

struct ps_tw *portspace_tw_oldest(struct portspace *ps, bool server)
{
    struct fifo *f = &ps->fifo[server];

    fifo_trim(f);
    return f->head == f->tail ? NULL : slot_ptr(f, f->head);
}

void portspace_tw_prefetch(const struct portspace *ps, bool server, uint32_t ahead)
{
    const struct fifo *f = &ps->fifo[server];
    uint32_t seq = (f->head + ahead) & SEQ_MASK;
    const struct ps_tw *e;
    uint32_t pool, off, w;
    size_t pi;
    const uint64_t *b;

    if (((seq - f->head) & SEQ_MASK) >= ((f->tail - f->head) & SEQ_MASK))
        return;
    e = slot_ptr(f, seq);
    if (e->remote & TW_DEAD)
        return;
    pool = ps_tw_pool(e);
    off = e->port;
    w = off >> 6;
    pi = (size_t)pool * ps->n + off;
    __builtin_prefetch(&ps->port[pi], 1);
    __builtin_prefetch(&ps->busy[(size_t)pool * ps->nwords + w], 1);
    __builtin_prefetch(&ps->tw[(size_t)pool * ps->nwords + w], 1);
    b = rbits_peek(ps, pool, ps_tw_remote(e));
    if (b) {
        __builtin_prefetch(&b[w], 1);
        __builtin_prefetch(&b[ps->nwords + w], 1);
        __builtin_prefetch(&b[2 * ps->nwords], 1);
    }
}

simtime ps_tw_since(const struct ps_tw *e, simtime time_wait_ns)
{
    /* since = due - time_wait - rounding, 0 <= rounding < tick: the low 32
     * bits pin it down when the rounding is below 2^32 ns. */
    simtime top = e->due - time_wait_ns;

    return top - (uint32_t)((uint32_t)top - e->since_lo);
}

uint32_t portspace_blocked(const struct portspace *ps, uint32_t pool, uint32_t r, bool exclusive)
{
    const uint64_t *b = rbits_peek(ps, pool, r);

    if (exclusive)
        return (uint32_t)ps->occupied[pool];
    return b ? (uint32_t)b[2 * ps->nwords] : 0;
}

void portspace_view(const struct portspace *ps, uint32_t pool, uint32_t r, bool exclusive,
                    struct ps_view *v)
{
    const uint64_t *b = rbits_peek(ps, pool, r);

    v->usable = ps->usable;
    v->tor = ps->zeros;
    v->c = ps->zeros;
    if (exclusive) {
        v->h = ps->busy + (size_t)pool * ps->nwords;
        v->t = ps->tw + (size_t)pool * ps->nwords;
    } else {
        v->h = b ? b : ps->zeros;
        v->t = b ? b + ps->nwords : ps->zeros;
    }
}

const uint64_t *portspace_tw_bits(const struct portspace *ps, uint32_t pool, uint32_t r)
{
    const uint64_t *b = rbits_peek(ps, pool, r);

    return b ? b + ps->nwords : ps->zeros;
}

uint32_t portspace_find(const struct ps_view *v, uint32_t from, uint32_t to, uint64_t mask)
{
    uint32_t w, wend;
    uint64_t x;

    if (from >= to)
        return PS_NIL;
    w = from >> 6;
    wend = (to - 1) >> 6;
    x = portspace_word(v, w) & mask & (~UINT64_C(0) << (from & 63));
    for (;;) {
        if (w == wend) {
            unsigned top = (to - 1) & 63;
            x &= top == 63 ? ~UINT64_C(0) : (UINT64_C(1) << (top + 1)) - 1;
            return x ? (w << 6) + (uint32_t)__builtin_ctzll(x) : PS_NIL;
        }
        if (x)
            return (w << 6) + (uint32_t)__builtin_ctzll(x);
        x = portspace_word(v, ++w) & mask;
    }
}

bool portspace_check(const struct portspace *ps)
{
    for (uint32_t pool = 0; pool < ps->npools; pool++) {
        for (uint32_t off = 0; off < ps->n; off++) {
            size_t pi = (size_t)pool * ps->n + off;
            uint32_t nc = 0, nt = 0;

            for (uint32_t r = 0; r < ps->nremotes; r++) {
                nc += portspace_conn_to(ps, pool, off, r);
                nt += portspace_tw_to(ps, pool, off, r);
            }
            if (nc != ps->port[pi].nconn || nt != ps->port[pi].ntw)
                return false;
            if (bit_get(ps->busy + (size_t)pool * ps->nwords, off) != (nc > 0) ||
                bit_get(ps->tw + (size_t)pool * ps->nwords, off) != (nt > 0))
                return false;
            nt = 0;
            for (struct ps_tw *e = portspace_tw_first(ps, pool, off); e;
                 e = portspace_tw_next(ps, e)) {
                if ((e->remote & TW_DEAD) || e->port != off || ps_tw_pool(e) != pool)
                    return false;
                if (!ps_tw_is_server(e)) {
                    nt++;
                    if (!portspace_tw_to(ps, pool, off, ps_tw_remote(e)))
                        return false;
                }
            }
            if (nt != ps->port[pi].ntw)
                return false;
        }
    }
    return true;
}
