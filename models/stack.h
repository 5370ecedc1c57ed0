/* stack.h - the host's TCP stack as the workload sees it: connect() without
 * a bound port, close, and the TIME_WAIT state on the run's timer wheel.
 *
 * CONTRACT (implemented in stack.c, portspace.c, portalloc.c).  Semantics:
 * DESIGN.md §4 and §10.  A remote endpoint is a server index 0..nremotes-1
 * (server i is 10.0.0.(i+1):143 when printed).  All randomness comes from
 * the run's RNG_PORTALLOC stream; time from the run's clock.
 */
#ifndef PORTSIM_MODELS_STACK_H
#define PORTSIM_MODELS_STACK_H

#include <stdint.h>

#include "models/params.h"
#include "sim/sim.h"

/* The run's random streams (sim_rng ids); never renumber: seeds derive
 * from these ids. */
enum rng_stream {
    RNG_ARRIVALS = 0,
    RNG_MAILBOX = 1,
    RNG_SERVICE = 2,
    RNG_PORTALLOC = 3,
    RNG_RETRY = 4,
    RNG_BALANCE = 5,        /* issue 11: workload.balance = random */
    RNG_LEAK = 6,           /* issue 17: which connections leak */
    RNG_NAT = 7             /* issue 12: the NAT's port choice (models/nat.c) */
};

struct stack;

/* An open connection, as returned by stack_connect(). */
struct stack_conn {
    uint32_t laddr;         /* local address index, 0..local_addresses-1 */
    uint32_t port;          /* local port */
    uint32_t remote;        /* server index */
};

enum stack_result {
    STACK_OK = 0,
    STACK_FAIL_EXHAUSTED,   /* no candidate accepted */
    STACK_FAIL_COLLISION    /* handed-out port had TIME_WAIT to this remote */
};

/* Counters the run may read at any time. */
struct stack_counters {
    uint32_t in_use;            /* ports held by >= 1 open connection */
    uint32_t open_conns;        /* open connections */
    uint32_t time_wait;         /* client-side TIME_WAIT entries */
    uint32_t server_time_wait;  /* server-side TIME_WAIT entries */
    uint64_t connects;          /* successful connect() calls */
    uint64_t failures_exhausted;
    uint64_t failures_collision;
    uint64_t takeovers;         /* TIME_WAIT entries ended by a new connection */
    uint64_t overflows;         /* closes past max_time_wait */
    uint64_t expiries;          /* TIME_WAIT entries that ran their course */
    /* Slow and silent failures (issue 17) */
    uint32_t last_candidates;   /* ports the last connect() examined */
    uint32_t last_lookups;      /* table lookups it made (candidates holding a socket) */
    simtime last_cost_ns;       /* its time under the cost model */
    uint32_t bound;             /* ports held by leaked sockets only (BOUND) */
    uint32_t leaked;            /* leaked sockets (not closed by the application) */
    uint64_t stuck;             /* TIME_WAIT entries that never expire (clock wrap) */
};

/* What the stack tells an observer (trace, metrics), after the change. */
enum stack_event_kind {
    STACK_EV_CONNECT,       /* port chosen: conn, 'why' says how */
    STACK_EV_SKIP,          /* candidate 'port' rejected: 'why' says why */
    STACK_EV_FAIL,          /* connect() failed: 'result' */
    STACK_EV_CLOSE,         /* conn closed; 'tw_until' if TIME_WAIT was kept */
    STACK_EV_TW_EXPIRE,     /* TIME_WAIT entry of (laddr, port, remote) ended */
    STACK_EV_TAKEOVER,      /* a TIME_WAIT entry was taken over by a connect */
    STACK_EV_OVERFLOW,      /* max_time_wait reached: drop-new or recycle */
    STACK_EV_LEAK,          /* conn's socket leaked: its port is BOUND */
    STACK_EV_RELEASE        /* a leaked socket closed by a process restart */
};

struct stack_event {
    enum stack_event_kind kind;
    struct stack_conn conn;     /* the connection or entry concerned */
    enum stack_result result;   /* STACK_EV_FAIL */
    int server_side;            /* CLOSE/TW_EXPIRE: the server keeps TIME_WAIT */
    simtime tw_until;           /* CLOSE: TIME_WAIT end, SIMTIME_NEVER if none;
                                   SKIP: until when the blocking entry lasts */
    const char *why;            /* words for people, e.g. "next after 1027 in
                                   round-robin"; valid during the call only */
};

typedef void stack_observer_fn(void *ctx, const struct stack_event *ev);

/* Issue 11: the stack rules a connection sees after the application's
 * bind (workload.bind).  none and address-no-port: 'p' as it is (connect()
 * picks the port; IP_BIND_ADDRESS_NO_PORT is Linux's and defers the choice
 * to connect(), so sharing stays).  address, bind(addr, 0): the port
 * belongs to the socket for every destination (Linux: a bind bucket with
 * fastreuse >= 0 that connect() skips; BSDs: in_pcbbind on the address),
 * so port_sharing becomes exclusive, and the pool is the address's
 * (per-address), except on Windows, whose wildcard ports come from one
 * machine-wide range whatever the address (SO_PORT_SCALABILITY off). */
struct stack_params stack_params_bound(const struct stack_params *p, enum bind_id bind);

/* A stack with every port free.  'nremotes' >= 1.  Borrowed: 's'; 'p' is
 * copied.  Owned by the caller; free with stack_free() before sim_free(). */
struct stack *stack_new(struct sim *s, const struct stack_params *p, uint32_t nremotes);
void stack_free(struct stack *st);

/* Called after every change of the counters ('fn' NULL to stop).  With
 * 'detail' set, the stack also reports skipped candidates and fills 'why'
 * (slower: for the trace only).  Observing never changes the run. */
void stack_observe(struct stack *st, stack_observer_fn *fn, void *ctx, int detail);

/* connect() to server 'remote' from local address 'laddr' ('laddr' is
 * ignored with a host-wide pool: every address draws from pool 0, and
 * '*out' keeps the 'laddr' given).  STACK_OK and '*out' set, or a failure
 * (counted; no port consumed).  A collision still moves the allocator past
 * the port it handed out (DESIGN §10.4). */
enum stack_result stack_connect(struct stack *st, uint32_t laddr, uint32_t remote,
                                struct stack_conn *out);

/* Close 'c' (open) in 'mode': client keeps TIME_WAIT, server keeps it (the
 * client's port is free at once), abort leaves none. */
void stack_close(struct stack *st, const struct stack_conn *c, enum close_id mode);

const struct stack_counters *stack_counters(const struct stack *st);

/* Issue 17.  The application never closes 'c' (open): the connection is
 * gone but its socket keeps the port, in state BOUND, blocking it as the
 * connection did, until stack_restart(). */
void stack_leak(struct stack *st, const struct stack_conn *c);

/* The process restarts: every leaked socket is closed and its port freed at
 * once (no TIME_WAIT: nothing is left to send).  Returns the sockets freed. */
uint32_t stack_restart(struct stack *st);

/* Simulated time at which the TCP clock wraps (stack.clock_wrap -
 * stack.uptime, 0 if the uptime is already past it), or SIMTIME_NEVER when
 * the profile has no wrap or the fix is installed.  A TIME_WAIT entry due
 * at or after it never expires. */
simtime stack_wrap_time(const struct stack *st);

/* Usable ports per pool (range minus reserved) and the number of pools. */
uint32_t stack_pool_ports(const struct stack *st);
uint32_t stack_pools(const struct stack *st);

/* For the strip chart and tests: the state of 'port' in pool 'laddr':
 * 0 free, 1 in use (>= 1 open connection), 2 TIME_WAIT only (client side),
 * 3 never handed out (reserved, or outside [port_min, port_max]),
 * 4 BOUND: held by leaked sockets only (issue 17). */
int stack_port_state(const struct stack *st, uint32_t laddr, uint32_t port);

#endif /* PORTSIM_MODELS_STACK_H */
