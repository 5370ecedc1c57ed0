/* portspace.h - who holds which local port: open connections and TIME_WAIT
 * entries, per pool, with bitmaps that answer "which ports are free" 64
 * ports at a time.
 *
 * A pool is a set of ports [port_min, port_max] (minus reserved ranges),
 * addressed by 'off' = port - port_min.  For every pool and port it keeps the
 * number of open connections and of client TIME_WAIT entries, and the list of
 * TIME_WAIT entries (client and server side) on that port.  Bitmaps (bit set =
 * true), one bit per port:
 *   usable          not reserved (the same for every pool)
 *   busy            >= 1 open connection                      (per pool)
 *   tw              >= 1 client TIME_WAIT entry               (per pool)
 *   conn_r, tw_r    the same, toward one remote only          (per pool and remote,
 *                                                              allocated on first use)
 * Invariant: every bit equals the count it summarises; tests check it.
 *
 * TIME_WAIT entries are 40 bytes and live in two FIFOs, client and server,
 * in closing order.  Because 'time_wait' is the same for all entries,
 * closing order is also expiry order: the oldest entry is at the head, and
 * an entry ended early is a tombstone until the head passes it (so one
 * timer per FIFO times them all).  Memory: 40 bytes per entry plus 12 bytes
 * per port and pool, plus n/4 bytes per (pool, remote) used.  Cost: add O(1), remove
 * O(entries on that port), find-next-free O(words scanned).
 */
#ifndef PORTSIM_MODELS_PORTSPACE_H
#define PORTSIM_MODELS_PORTSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"
#include "sim/timer.h"

#define PS_NIL UINT32_MAX
#define PS_POOLS_MAX 32767u
#define PS_REMOTES_MAX 0x7fffffffu

struct portspace;

/* A TIME_WAIT entry, 40 bytes.  'due' and 'seq' are the owner's (the stack
 * times a whole FIFO with one timer, armed with its oldest entry's 'due' and
 * 'seq'); the other fields are private to portspace.c: read them with the
 * accessors below. */
struct ps_tw {
    simtime due;            /* when it expires */
    uint64_t seq;           /* the event sequence number it fires with */
    uint32_t since_lo;      /* closing time mod 2^32 ns: see ps_tw_since() */
    uint32_t next;          /* next entry on the same port, PS_NIL */
    uint32_t prev;          /* previous entry on the same port, PS_NIL: O(1) unlink */
    uint32_t remote;        /* server index; bit 31: ended (tombstone) */
    uint16_t port;          /* offset from port_min */
    uint16_t pool;          /* pool index; bit 15: server-side entry */
};

/* Which bitmaps make up a candidate test (see portspace_word()):
 * acceptable = usable & ~h & ~(t & ~tor) & ~c.  Missing ones point to zeros. */
struct ps_view {
    const uint64_t *usable;
    const uint64_t *h;      /* hard blockers: open connections */
    const uint64_t *t;      /* TIME_WAIT that blocks ... */
    const uint64_t *tor;    /* ... unless also set here (takeover candidates) */
    const uint64_t *c;      /* collision candidates to skip */
};

/* A port space for 'p' (range, reserved ports) with 'npools' pools and
 * 'nremotes' remotes.  Owned by the caller; portspace_free() it after every
 * entry's timer has been cancelled. */
struct portspace *portspace_new(const struct stack_params *p, uint32_t npools,
                                uint32_t nremotes);
void portspace_free(struct portspace *ps);

/* Ports in the range (n) and usable ports (range minus reserved). */
uint32_t portspace_nports(const struct portspace *ps);
uint32_t portspace_usable(const struct portspace *ps);
bool portspace_is_usable(const struct portspace *ps, uint32_t off);

/* Counts for one port. */
uint32_t portspace_nconn(const struct portspace *ps, uint32_t pool, uint32_t off);
uint32_t portspace_ntw(const struct portspace *ps, uint32_t pool, uint32_t off);
bool portspace_conn_to(const struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r);
bool portspace_tw_to(const struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r);

/* An open connection (pool, off) -> remote 'r' begins or ends.  Return the
 * port's connection count after the change. */
uint32_t portspace_conn_add(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r);
uint32_t portspace_conn_del(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r);

/* A new TIME_WAIT entry (pool, off) -> 'r', closed at 'now', expiring at
 * 'due' (the caller sets 'seq').  Valid until portspace_tw_del(). */
struct ps_tw *portspace_tw_add(struct portspace *ps, uint32_t pool, uint32_t off, uint32_t r,
                               bool server, simtime now, simtime due);

/* End entry 'e'. */
void portspace_tw_del(struct portspace *ps, struct ps_tw *e);

/* The entry of (pool, off, r) of the given side, or NULL. */
struct ps_tw *portspace_tw_find(const struct portspace *ps, uint32_t pool, uint32_t off,
                                uint32_t r, bool server);

/* Entries on one port: first, then next (NULL at the end), newest first. */
struct ps_tw *portspace_tw_first(const struct portspace *ps, uint32_t pool, uint32_t off);
struct ps_tw *portspace_tw_next(const struct portspace *ps, const struct ps_tw *e);

/* The oldest live entry of one side, or NULL. */
struct ps_tw *portspace_tw_oldest(struct portspace *ps, bool server);

/* Fetch into the cache what ending the entry 'ahead' places behind the
 * oldest of one side will touch (its port's counts and bitmap words): the
 * FIFO says which entries expire next, long before they do.  A hint only. */
void portspace_tw_prefetch(const struct portspace *ps, bool server, uint32_t ahead);

/* Entry fields. */
static inline uint32_t ps_tw_remote(const struct ps_tw *e)
{
    return e->remote & 0x7fffffffu;
}
static inline uint32_t ps_tw_off(const struct ps_tw *e)
{
    return e->port;
}
static inline uint32_t ps_tw_pool(const struct ps_tw *e)
{
    return e->pool & 0x7fffu;
}
static inline bool ps_tw_is_server(const struct ps_tw *e)
{
    return (e->pool & 0x8000u) != 0;
}
/* When the entry entered TIME_WAIT: its timer's due time minus 'time_wait',
 * minus the tick rounding, recovered exactly from the low 32 bits as long as
 * the rounding is below 2^32 ns (4.29 s); above that the age is known to the
 * nearest 4.29 s multiple below 'due - time_wait' (see portspace.c). */
simtime ps_tw_since(const struct ps_tw *e, simtime time_wait_ns);

/* The view for candidate tests in 'pool' toward 'r': h = busy or conn_r,
 * t = tw or tw_r (exclusive or per-destination).  'tor' and 'c' are zeros;
 * the caller may point them at portspace_tw_bits(). */
void portspace_view(const struct portspace *ps, uint32_t pool, uint32_t r, bool exclusive,
                    struct ps_view *v);
/* Usable ports that a fresh candidate must avoid toward 'r': with an open
 * connection or a client TIME_WAIT entry toward 'r' (per-destination), or
 * toward anyone (exclusive).  O(1): counted as the bitmaps change.  When it
 * equals portspace_usable(), no port is fresh and no walk is needed. */
uint32_t portspace_blocked(const struct portspace *ps, uint32_t pool, uint32_t r, bool exclusive);

/* The tw_r bitmap of (pool, r) (zeros if none yet). */
const uint64_t *portspace_tw_bits(const struct portspace *ps, uint32_t pool, uint32_t r);

/* One 64-port word of a view: bit j is port 64 * w + j acceptable. */
static inline uint64_t portspace_word(const struct ps_view *v, uint32_t w)
{
    return v->usable[w] & ~v->h[w] & ~(v->t[w] & ~v->tor[w]) & ~v->c[w];
}

static inline bool portspace_test(const struct ps_view *v, uint32_t off)
{
    return (portspace_word(v, off >> 6) >> (off & 63)) & 1u;
}

/* The first acceptable offset in [from, to) among bits set in 'mask' (a
 * 64-bit pattern repeated for every word: ~0 for all, 0x5555... for even
 * offsets), or PS_NIL.  O((to - from) / 64). */
uint32_t portspace_find(const struct ps_view *v, uint32_t from, uint32_t to, uint64_t mask);

/* Self-check of every count and bitmap (for tests; O(pools * ports)). */
bool portspace_check(const struct portspace *ps);

#endif /* PORTSIM_MODELS_PORTSPACE_H */
