/* theory.h - closed-form predictions for a scenario: Erlang B on the port pool.
 *
 * The model: every connection holds one port for its holding time h = service
 * time + client-side TIME_WAIT (expiry rounded up to the next timer tick, on
 * average +tick/2).  The ports a connection may take form N "servers" of a
 * loss system (Erlang B, M/G/N/N: the blocking depends on the holding time
 * only through its mean).  Opening at rate lambda offers A = lambda * h
 * Erlangs; B(N, A) of the connect() calls find no port; N / h connections per
 * second can be sustained; an empty pool is used up after N / lambda seconds
 * when A > N.  'note' says in plain words where the scenario leaves the
 * model, and what the figures then are (a bound, or an estimate).
 *
 * Sharing decides N:
 *   exclusive         one pool for every destination: N = ports * pools, one
 *                     loss system for the whole host.
 *   per-destination   each server (remote endpoint) sees its own copy of the
 *                     pool: N = ports * pools per server, and the load splits
 *                     over the servers (mailbox i talks to server i mod
 *                     servers), so there are 'servers' independent loss
 *                     systems, the busiest of which fails first.
 * pools = 1 for stack.pool = host, local_addresses for per-address.
 *
 * Cost: O(range) for the reserved ports, O(mailboxes + servers * N) at worst
 * for the load split and the blocking (the Erlang recursion stops early once
 * B underflows); well under a millisecond for the profiles' defaults.
 */
#ifndef PORTSIM_MODELS_THEORY_H
#define PORTSIM_MODELS_THEORY_H

#include <stdint.h>

#include "models/params.h"
#include "sim/err.h"

#define THEORY_NOTE_MAX 2048

/* Where the closed form does not hold as it stands (bits of 'flags'). */
enum theory_flag {
    THEORY_CACHED = 1u << 0,        /* cache_ttl > 0: figures are an upper bound on load */
    THEORY_REUSE = 1u << 1,         /* reuse_time_wait != no: sustainable is a lower bound */
    THEORY_RETRIES = 1u << 2,       /* retries > 0: blocking is a lower bound */
    THEORY_CONSTANT = 1u << 3,      /* constant arrivals: the N/h bound is exact */
    THEORY_CONN_LIMIT = 1u << 4,    /* connection_limit > 0: ignored by the model */
    THEORY_DIURNAL = 1u << 5,       /* diurnal arrivals: figures at the mean rate */
    THEORY_TRACE = 1u << 6,         /* trace arrivals: figures at workload.rate */
    THEORY_UNEVEN = 1u << 7,        /* per-destination, servers unevenly loaded */
    THEORY_MAX_TW = 1u << 8,        /* max_time_wait caps TIME_WAIT: sustainable is a lower bound */
    THEORY_COLLISION = 1u << 9,     /* reuse + collision = fail toward few servers */
    THEORY_NO_HOLD = 1u << 10,      /* holding time 0: no port is ever short */
    THEORY_TW_CAPPED = 1u << 11     /* issue 11: max_time_wait < N: TIME_WAIT cannot fill it */
};

struct theory {
    uint32_t ports;                 /* usable ports per pool: range minus reserved */
    uint32_t reserved;              /* reserved ports inside the range */
    uint32_t pools;                 /* 1 (pool = host) or local_addresses (per-address) */
    uint32_t groups;                /* independent loss systems: 1, or servers (per-dest.) */
    uint64_t n;                     /* N: ports one connection may take = ports * pools */
    double busiest_share;           /* share of the opens on the busiest group, (0, 1] */
    double request_rate_per_s;      /* workload.rate */
    double open_rate_per_s;         /* connection opens/s used: = request rate (a bound
                                     * when cache_ttl > 0) */
    double cached_open_rate_per_s;  /* cache_ttl > 0: estimated opens/s (per-mailbox
                                     * Poisson); else = open_rate_per_s */
    double service_s;               /* mean service time */
    double idle_s;                  /* cache_ttl: idle time before the close */
    double time_wait_s;             /* client-side TIME_WAIT held, +tick/2; 0 if none */
    double holding_s;               /* h = service + idle + time_wait_s */
    double offered_erlangs;         /* A = open rate * h, whole host */
    double busiest_erlangs;         /* A on the busiest group */
    double blocking;                /* Erlang B, weighted over the groups */
    double blocking_fluid;          /* max(0, 1 - sustainable / open rate): the
                                     * deterministic (constant arrivals) share */
    double sustainable_rate_per_s;  /* open rate at which the busiest group gets N
                                     * Erlangs: N / (h * busiest_share); INFINITY if h = 0 */
    double exhaustion_s;            /* empty pool used up after this; INFINITY = never */
    double carried_rate_per_s;      /* opens that succeed: rate * (1 - B), or the
                                     * fluid value for constant arrivals */
    double time_wait_population;    /* Little: carried close rate * client TIME_WAIT */
    double server_time_wait_population;  /* close = server: on the servers, all together */
    double peak_rate_per_s;         /* diurnal: rate * (1 + amplitude); else rate */
    unsigned flags;                 /* enum theory_flag bits */
    char note[THEORY_NOTE_MAX];     /* one plain sentence a line, per flag; "" if none */
};

/* Compute every figure of 't' from the resolved scenario 'p' alone.  0, or
 * PS_EINVAL when 'p' leaves no usable port (every port of the range is
 * reserved), with the message in 'e'.  'p' must be valid (port_min <=
 * port_max, rate > 0, servers >= 1, ...; asserted). */
int theory_compute(const struct scenario_params *p, struct theory *out, struct err *e);

/* Issue 17: the expected number of candidate ports a connect() examines
 * when 'k' of the 'n' usable ports of a pool are taken (k < n; k >= n gives
 * n, the failing walk).
 *   sequential   the mean over one cycle of the cursor, the taken ports held
 *                longer than a cycle: every port is examined once a cycle
 *                and n - k are handed out, so n / (n - k), exactly.
 *   double-hash  connect() takes even ports first (Linux), so the k taken
 *                fill the e = n / 2 even ports first.  They were handed out
 *                by the same walk from hashed starts, so they lie in
 *                clusters: linear probing, whose unsuccessful search
 *                examines (1 + 1 / (1 - a)^2) / 2 slots at load a (Knuth,
 *                TAOCP 6.4), with a = k / e while k < e; past that every even
 *                port is walked, then the odd ones: e + the same at
 *                a = (k - e) / o, o = n - e.
 * The second is the knee of Cloudflare's "connect() - why are you so slow?"
 * (2024): a few candidates until the even half is full, then e + 1. */
double theory_candidates_sequential(uint64_t n, uint64_t k);
double theory_candidates_double_hash(uint64_t n, uint64_t k);

/* Erlang B: the blocking of a loss system of 'n' servers offered 'a' >= 0
 * Erlangs, by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
 * Never overflows (every step is in [0, 1]).  O(n), less once B underflows. */
double theory_erlang_b(unsigned n, double a);

/* The arrival rate (per s) at which Erlang B with 'n' servers and mean holding
 * time 'holding_s' (> 0) equals 'target': bisection on A to a relative
 * 1e-12.  'target' <= 0 gives 0; 'target' >= 1 gives INFINITY.  O(n log). */
double theory_rate_for_blocking(unsigned n, double holding_s, double target);

#endif /* PORTSIM_MODELS_THEORY_H */
