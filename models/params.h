/* params.h - every parameter of a scenario, resolved (plain data).
 *
 * These structs are the contract between the scenario reader (scenario.c),
 * the stack profiles (profiles.c), the host stack (stack.c), the workload
 * (workload.c) and the run (run.c).  Field names follow the scenario keys of
 * DESIGN.md §6a ("stack.time_wait" is 'stack.time_wait_ns').  Durations are
 * simtime (ns).  A value of 0 means "off" where the comment says so.
 * The structs are copied by value; 'trace_file' and 'name' are fixed buffers
 * so that a copy owns nothing.
 */
#ifndef PORTSIM_MODELS_PARAMS_H
#define PORTSIM_MODELS_PARAMS_H

#include <stdint.h>

#include "sim/simtime.h"

#define PARAMS_NAME_MAX 128
#define PARAMS_PATH_MAX 512
#define PARAMS_RESERVED_MAX 32
#define PARAMS_RNG_MAX 32

enum profile_id {
    PROFILE_WIN2000,
    PROFILE_WINXP,
    PROFILE_WIN2003,
    PROFILE_WIN7,
    PROFILE_WIN8,
    PROFILE_LINUX,
    PROFILE_FREEBSD,
    PROFILE_MACOS,
    PROFILE_COUNT
};

enum allocator_id {
    ALLOC_SEQUENTIAL,       /* round-robin from the last port handed out */
    ALLOC_RANDOM,           /* RFC 6056 alg. 1: random start, linear probe */
    ALLOC_RANDOM_EACH,      /* RFC 6056 alg. 2: fresh random port each try */
    ALLOC_HASH,             /* RFC 6056 alg. 3: hash + one global counter */
    ALLOC_DOUBLE_HASH,      /* RFC 6056 alg. 4, Linux __inet_hash_connect */
    ALLOC_RANDOM_INCREMENT, /* RFC 6056 alg. 5 */
    ALLOC_COUNT
};

enum sharing_id {
    SHARING_EXCLUSIVE,      /* a port serves one connection, any destination */
    SHARING_PER_DESTINATION /* a port is taken only for the same 4-tuple */
};

enum pool_id {
    POOL_HOST,              /* one pool of ports for all local addresses */
    POOL_PER_ADDRESS        /* one pool per local address */
};

enum reuse_id {
    REUSE_NO,               /* TIME_WAIT blocks until it expires */
    REUSE_WHEN_EXHAUSTED,   /* fresh ports first, then TIME_WAIT ports */
    REUSE_AFTER_DELAY,      /* same 4-tuple entry older than tw_reuse_delay */
    REUSE_ANY               /* TIME_WAIT treated as free */
};

enum collision_id {
    COLLISION_FAIL,         /* same-remote TIME_WAIT on the port: 10048/4227 */
    COLLISION_SKIP          /* such a candidate is skipped */
};

enum tw_overflow_id {
    TW_OVERFLOW_DROP_NEW,       /* past max_time_wait: no TIME_WAIT at all */
    TW_OVERFLOW_RECYCLE_OLDEST  /* past max_time_wait: end the oldest entry */
};

/* Issue 11: how the application binds before connect(), how requests
 * pick a server. */
enum bind_id {
    BIND_NONE,              /* connect() alone: the kernel picks address and port */
    BIND_ADDRESS,           /* bind(addr, 0) first: the port is the socket's alone */
    BIND_ADDRESS_NO_PORT    /* IP_BIND_ADDRESS_NO_PORT: the port is picked at connect() */
};

enum balance_id {
    BALANCE_BY_MAILBOX,     /* mailbox i lives on server i mod servers */
    BALANCE_ROUND_ROBIN,    /* each new connection to the next server */
    BALANCE_RANDOM,         /* each new connection to a server drawn at random */
    BALANCE_LEAST_CONNECTIONS /* the server with the fewest open connections */
};

enum yesno_id {
    YESNO_NO,
    YESNO_YES
};

struct port_range {
    uint16_t lo;            /* first port, inclusive */
    uint16_t hi;            /* last port, inclusive */
};

struct stack_params {
    enum profile_id profile;
    uint32_t port_min;              /* 1..65535 */
    uint32_t port_max;              /* port_min..65535 */
    simtime time_wait_ns;           /* 2MSL; 0 = no TIME_WAIT */
    enum allocator_id allocator;
    enum sharing_id port_sharing;
    enum pool_id pool;              /* stack.pool (added key): host, per-address */
    enum reuse_id reuse_time_wait;
    simtime tw_reuse_delay_ns;      /* for REUSE_AFTER_DELAY */
    enum collision_id collision;
    uint32_t max_time_wait;         /* cap on TIME_WAIT entries; 0 = none */
    enum tw_overflow_id tw_overflow;
    uint32_t nreserved;             /* entries used in 'reserved' */
    struct port_range reserved[PARAMS_RESERVED_MAX];
    uint32_t local_addresses;       /* >= 1 */
    simtime timer_tick_ns;          /* TIME_WAIT expiry granularity; 0 = exact */
    uint32_t random_fallback_cps;   /* ALLOC_RANDOM: go sequential above; 0 = off */
    simtime random_fallback_time_ns;/* ... until this long at or below the rate */
    /* issue 11: the host's kernel */
    uint64_t memory_bytes;          /* host RAM: Linux sizes tcp_max_tw_buckets from it */
    uint32_t hz;                    /* Linux CONFIG_HZ; 0 = no Linux timer wheel */
    /* Slow and silent failures (issue 17): the cost of a connect() and the
     * clock wrap.  Cost = connect_cost + candidates x candidate_cost +
     * lookups x lookup_cost. */
    simtime connect_cost_ns;        /* fixed cost of a connect() */
    simtime candidate_cost_ns;      /* per candidate port examined */
    simtime lookup_cost_ns;         /* per established/TIME_WAIT table lookup */
    simtime uptime_ns;              /* host uptime at t = 0 */
    simtime clock_wrap_ns;          /* uptime at which the TCP clock wraps; 0 = never */
    enum yesno_id clock_wrap_fix;   /* yes: the wrap does no harm */
    uint32_t hosts;                 /* not a key: fleet.hosts, set by the run; the
                                       local addresses are 'hosts' equal groups, one
                                       host each (0 or 1: one host) */
};

enum arrivals_id {
    ARRIVALS_POISSON,
    ARRIVALS_CONSTANT,      /* arrival k at round(k * 1e9 / rate) ns */
    ARRIVALS_DIURNAL,       /* rate * (1 + amplitude * sin(2 pi t / period)) */
    ARRIVALS_TRACE          /* arrival times read from 'trace_file' */
};

enum popularity_id {
    POPULARITY_UNIFORM,
    POPULARITY_ZIPF
};

enum service_dist_id {
    SERVICE_CONSTANT,
    SERVICE_EXPONENTIAL,
    SERVICE_LOGNORMAL       /* mean service_time, log-sd service_sigma */
};

enum close_id {
    CLOSE_CLIENT,           /* client closes first, keeps TIME_WAIT */
    CLOSE_SERVER,           /* server keeps TIME_WAIT; client port freed */
    CLOSE_ABORT             /* RST: no TIME_WAIT anywhere */
};

struct workload_params {
    enum arrivals_id arrivals;
    double rate_per_s;              /* requests per second, > 0 */
    double amplitude;               /* diurnal, 0..1 */
    simtime period_ns;              /* diurnal period */
    char trace_file[PARAMS_PATH_MAX];   /* ARRIVALS_TRACE: CSV path */
    uint32_t mailboxes;             /* cache keys, >= 1 */
    enum popularity_id popularity;
    double zipf_s;                  /* zipf exponent, > 0 */
    simtime cache_ttl_ns;           /* MailboxCacheTTL; 0 = one conn per request */
    uint32_t connection_limit;      /* open connections at most; 0 = no limit */
    uint32_t pool_size;             /* idle connections per pool (mailbox) at most;
                                       0 = the mailbox cache: one shared connection */
    simtime service_time_ns;        /* mean service time */
    enum service_dist_id service_dist;
    double service_sigma;           /* lognormal shape */
    uint32_t servers;               /* distinct remote endpoints, >= 1 */
    enum close_id close;
    uint32_t retries;               /* connect() retries per request */
    simtime retry_backoff_ns;       /* first retry delay; doubles */
    /* issue 11: binding and load balancing */
    enum bind_id bind;
    enum balance_id balance;
    /* Leaked sockets (issue 17) */
    double leak;                    /* share of connections never closed, 0..1 */
    simtime restart_interval_ns;    /* process restart frees leaked ports; 0 = never */
};

struct run_params {
    char name[PARAMS_NAME_MAX];
    simtime duration_ns;            /* the run covers [0, duration) */
    simtime warmup_ns;              /* metrics cover [warmup, duration) */
    uint64_t seed;                  /* base seed */
    uint32_t replications;          /* >= 1 */
    simtime sample_interval_ns;     /* 0 = no samples */
    char rng[PARAMS_RNG_MAX];       /* GSL generator name */
};

/* ---- NAT layer and fleet (issue 12; models/nat.h, models/natprofiles.c) ---- */

enum nat_profile_id {
    NAT_PROFILE_NONE,       /* no NAT: the hosts talk to the servers directly */
    NAT_PROFILE_AZURE_LB,
    NAT_PROFILE_AZURE_NATGW,
    NAT_PROFILE_AWS_NATGW,
    NAT_PROFILE_GCP_CLOUDNAT,
    NAT_PROFILE_LINUX_CONNTRACK,
    NAT_PROFILE_COUNT
};

enum nat_alloc_id {
    NAT_ALLOC_RESERVED,     /* ports reserved per host in chunks, first free lowest */
    NAT_ALLOC_SHARED,       /* one inventory for all hosts, random choice */
    NAT_ALLOC_CONNTRACK     /* keep the source port, else random probing (nf_nat) */
};

struct nat_params {
    enum nat_profile_id profile;    /* NAT_PROFILE_NONE: no [nat] */
    enum nat_alloc_id alloc;
    uint32_t public_ips;            /* 1..16 */
    uint32_t port_min;              /* public ports, inclusive */
    uint32_t port_max;
    uint32_t per_dst_limit;         /* flows per IP per destination; 0 = ports */
    uint32_t ports_per_host;        /* reserved: per host (0 = azure-lb table) */
    uint32_t max_ports_per_host;    /* reserved: dynamic allocation up to; 0 = static */
    simtime hold_fin_ns;            /* port held for its destination after a FIN */
    simtime hold_rst_ns;            /* ... after an RST */
    simtime idle_timeout_ns;        /* idle flow's mapping dropped */
    uint32_t random_fully;          /* conntrack: 1 = never keep the source port */
    uint32_t eim;                   /* gcp: endpoint-independent mapping, 0/1 */
    uint32_t syn_retries;           /* host: SYN retransmissions before a timeout */
    simtime syn_rto_ns;             /* host: first SYN retransmission timeout */
};

struct fleet_params {
    uint32_t hosts;                 /* VMs or nodes, each a host stack; >= 1 */
};

struct scenario_params {
    struct run_params run;
    struct stack_params stack;
    struct workload_params workload;
    struct nat_params nat;          /* [nat] (issue 12) */
    struct fleet_params fleet;      /* [fleet] (issue 12) */
};

#endif /* PORTSIM_MODELS_PARAMS_H */
