/* workload.h - the mail front-end of KB 319502 as a client workload.
 *
 * Requests arrive (poisson, constant, diurnal or a trace), each for one of
 * 'mailboxes' cache keys; a new connection goes to a server by
 * 'balance' (by-mailbox: mailbox i talks to server i mod 'servers'; or
 * round-robin, random from RNG_BALANCE, least-connections).  A
 * mailbox's connection is cached: a request to a mailbox with an open
 * connection joins it (FIFO behind the one in service); otherwise a new
 * connection is opened through the host stack.  After its last request a
 * connection is closed when it has been idle for 'cache_ttl' (0: at once).
 * At 'connection_limit' a new connection first evicts the least recently
 * used idle one, else the request waits.  With 'pool_size' > 0 a mailbox
 * is a client's pool toward one destination instead: a request takes the
 * most recently returned idle connection (LIFO), else opens a new one (no
 * queueing behind a busy one); a connection returned to a pool that holds
 * 'pool_size' idle ones is closed; an idle one closes after 'cache_ttl'.
 * A failed connect() is retried 'retries' times after 'retry_backoff',
 * doubling.  DESIGN.md §5 and §10.
 *
 * Every draw comes from its own stream (RNG_ARRIVALS, RNG_MAILBOX,
 * RNG_SERVICE), so two remedies run with one seed see the same requests.
 * Issue 17: a connect() takes the time the stack's cost model gives it
 * (service starts, or the retry waits, that much later); a closing
 * connection leaks its socket with probability 'leak' (RNG_LEAK, drawn only
 * when 'leak' > 0), and every 'restart_interval' the process restarts and
 * frees the leaked ports.
 * Requests and connections come from free lists: no malloc per event once
 * the pools have grown to the peak population.
 */
#ifndef PORTSIM_MODELS_WORKLOAD_H
#define PORTSIM_MODELS_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"
#include "models/stack.h"
#include "sim/sim.h"

struct workload;

/* Counters of the workload; the run reads them at any time. */
struct workload_counters {
    uint64_t requests;          /* arrived */
    uint64_t cache_hits;        /* joined an open connection */
    uint64_t connect_attempts;  /* connect() calls, retries included */
    uint64_t connects;          /* successful */
    uint64_t failures_exhausted;
    uint64_t failures_collision;
    uint64_t retries;           /* connect() calls that were retries */
    uint64_t requests_failed;   /* gave up after the last retry */
    uint64_t requests_done;     /* served */
    uint64_t live_requests;     /* arrived, not yet served or failed */
    simtime first_failure;      /* time of the first failed connect(), or NEVER */
    uint64_t leaks;             /* issue 17: connections whose socket leaked */
    uint64_t restarts;          /* process restarts */
    uint64_t connect_timeouts;  /* issue 12: SYNs dropped by the NAT until timeout */
    uint64_t nat_resets;        /* issue 12: pooled connections the NAT had dropped */
    uint64_t pool_surplus;      /* returned to a pool holding pool_size idle: closed */
};

/* What the workload tells an observer (the trace), after the change. */
enum wl_event_kind {
    WL_EV_ARRIVE,           /* request for 'mailbox' arrived */
    WL_EV_HIT,              /* joined the open connection */
    WL_EV_MISS,             /* no open connection: connect() next */
    WL_EV_WAIT,             /* at connection_limit, no idle one: waits */
    WL_EV_EVICT,            /* idle connection closed to make room */
    WL_EV_RETRY_LATER,      /* connect() failed; retry at 'until' */
    WL_EV_GIVE_UP,          /* connect() failed after the last retry */
    WL_EV_SERVED,           /* request finished */
    WL_EV_IDLE_CLOSE,       /* connection idle for cache_ttl: closed */
    WL_EV_POOL_FULL         /* returned to a pool holding pool_size idle: closed */
};

struct wl_event {
    enum wl_event_kind kind;
    uint64_t request;           /* request number, from 1 */
    uint32_t mailbox;
    uint32_t server;
    uint32_t attempt;           /* 0 first try, 1.. retries */
    simtime until;              /* RETRY_LATER: when */
};

typedef void wl_observer_fn(void *ctx, const struct wl_event *ev);

/* A workload on stack 'st'; it arms its first arrival at t = 0 or later.
 * Connections are opened from each of 'local_addresses' in turn.  'trace'
 * and 'ntrace' (ARRIVALS_TRACE) are borrowed for the run. */
struct workload *workload_new(struct sim *s, struct stack *st, const struct workload_params *p,
                              uint32_t local_addresses, const simtime *trace, size_t ntrace);
void workload_free(struct workload *wl);

void workload_observe(struct workload *wl, wl_observer_fn *fn, void *ctx);

/* ---- Issue 12: a fleet of hosts and a NAT (models/nat.h) ---- */

struct nat;

/* Spread the workload over 'hosts' hosts (>= 1; the stack's local
 * addresses are 'hosts' equal groups, one per host): mailbox m belongs to
 * client m / servers (a client talks to every server), client c to host
 * c mod hosts.  With 'nat' (borrowed; NULL: none) every new connection
 * needs a translation: a dropped SYN is retransmitted after 'syn_rto',
 * then twice that... 'syn_retries' times, then connect() times out (the
 * port is released, the request fails or retries as for any failure); a
 * pooled connection the NAT dropped while idle meets an RST on its next
 * request and is replaced.  Call before the run starts. */
void workload_set_fleet(struct workload *wl, uint32_t hosts, struct nat *nat,
                        uint32_t syn_retries, simtime syn_rto_ns);

const struct workload_counters *workload_counters(const struct workload *wl);

#endif /* PORTSIM_MODELS_WORKLOAD_H */
