/* metrics.h - what a run produces: one value per metric, and samples.
 *
 * The metric names are the contract of DESIGN.md §6 (--json, database,
 * reports); METRICS_FIELDS lists them once so that every writer and reader
 * (store.c, the JSON output, the report) walks the same list in the same
 * order.  Counts are exact integers; means are time-weighted over
 * [warmup, duration).  Plain data.
 */
#ifndef PORTSIM_MODELS_METRICS_H
#define PORTSIM_MODELS_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/simtime.h"

struct run_metrics {
    uint64_t requests;              /* requests that arrived */
    uint64_t cache_hits;            /* served on an already open connection */
    uint64_t connect_attempts;      /* connect() calls, retries included */
    uint64_t connects;              /* successful connect() calls */
    uint64_t connect_failures;      /* = failures_exhausted + failures_collision */
    uint64_t failures_exhausted;    /* no candidate port accepted */
    uint64_t failures_collision;    /* TIME_WAIT collision (event 4227) */
    uint64_t retries;               /* connect() calls that were retries */
    uint64_t requests_failed;       /* gave up after the last retry */
    uint64_t peak_in_use;           /* ports held by >= 1 open connection */
    double mean_in_use;
    uint64_t peak_time_wait;        /* client-side TIME_WAIT entries */
    double mean_time_wait;
    uint64_t peak_server_time_wait; /* server-side TIME_WAIT (close = server) */
    double mean_server_time_wait;
    uint64_t requests_unfinished;   /* waiting or in service at the end */
    uint64_t time_wait_overflows;   /* closes past max_time_wait (TCPTimeWaitOverflow) */
    bool has_first_failure;         /* false: first_failure_time is null */
    double first_failure_time;      /* simulated s of the first failed connect() */
    uint64_t events;                /* events fired */
    double wall_seconds;            /* wall-clock time of the run */
    uint64_t digest;                /* determinism witness */
    /* Issue 17: what a connect() costs (every connect() call, failed ones
     * too), and leaked sockets.  Quantiles from models/hist.h: the upper end
     * of a log bucket (at most 3.1 % high), exact below 32; max exact. */
    double candidates_mean;         /* candidate ports examined per connect() */
    uint64_t candidates_p50;
    uint64_t candidates_p99;
    uint64_t candidates_max;
    uint64_t connect_latency_p50_ns;/* connect() time under the cost model */
    uint64_t connect_latency_p99_ns;
    uint64_t peak_bound;            /* ports held by leaked sockets (BOUND) */
    double mean_bound;
};

/* X(name, kind) for every metric, in contract order; kind is U (uint64_t),
 * D (double), T (first failure time: double or null), H (digest, hex). */
#define METRICS_FIELDS(X) \
    X(requests, U) X(cache_hits, U) X(connect_attempts, U) X(connects, U) \
    X(connect_failures, U) X(failures_exhausted, U) X(failures_collision, U) \
    X(retries, U) X(requests_failed, U) X(peak_in_use, U) X(mean_in_use, D) \
    X(peak_time_wait, U) X(mean_time_wait, D) X(peak_server_time_wait, U) \
    X(mean_server_time_wait, D) X(requests_unfinished, U) \
    X(time_wait_overflows, U) \
    X(first_failure_time, T) X(events, U) X(wall_seconds, D) X(digest, H) \
    METRICS_FIELDS_SLOW(X)

/* Issue 17's metrics, after the first ones (columns added by schema v4). */
#define METRICS_FIELDS_SLOW(X) \
    X(candidates_mean, D) X(candidates_p50, U) X(candidates_p99, U) X(candidates_max, U) \
    X(connect_latency_p50_ns, U) X(connect_latency_p99_ns, U) X(peak_bound, U) \
    X(mean_bound, D)

/* ---- Issue 12: the NAT layer's metrics (only when [nat] is set) ---- */

/* One scope: the run, one public IP or one host.  Per-IP and per-host
 * counts sum to the run's (a drop counts against the IP its search began
 * at); ports are per IP (a host's are 0); the SYN counts are per host (an
 * IP's are 0). */
struct nat_scope_metrics {
    uint64_t nat_flows;             /* translations made */
    uint64_t nat_failures;          /* SYNs the NAT dropped (the vendor's words) */
    uint64_t nat_idle_timeouts;     /* mappings dropped by the idle timeout */
    uint64_t syn_retransmits;       /* SYN retransmissions of the hosts */
    uint64_t connect_timeouts;      /* connect() calls that timed out */
    double nat_first_failure;       /* simulated s of the first drop; -1 if none */
    uint64_t nat_ports_peak;        /* public ports held by >= 1 translation */
    double nat_ports_mean;          /* time-weighted */
};

#define NAT_SCOPE_FIELDS(X) \
    X(nat_flows, U) X(nat_failures, U) X(nat_idle_timeouts, U) X(syn_retransmits, U) \
    X(connect_timeouts, U) X(nat_first_failure, D) X(nat_ports_peak, U) X(nat_ports_mean, D)

/* A lane (issue 12's picture): one public IP at one sample, the state at
 * the sample's time and the counts of the interval since the previous
 * sample (from t = 0, the warm-up included, like struct run_sample). */
struct nat_ip_sample {
    uint32_t ports;                 /* public ports of the IP held by >= 1 translation */
    uint32_t drops;                 /* SYNs dropped whose search began at the IP */
    uint32_t flows;                 /* translations made on the IP */
};

struct nat_run_metrics {
    bool on;                        /* false: no NAT, the rest is zero */
    const char *failure_words;      /* "ErrorPortAllocation"; static */
    struct nat_scope_metrics total;
    double connect_p50_s;           /* connect latency over NAT connects, s */
    double connect_p99_s;
    uint64_t pool_resets;           /* pooled connections the NAT had dropped */
    uint64_t translations_end;      /* live or held translations at the end */
    uint64_t bytes_end;             /* what the NAT holds then (bench_fleet.c) */
    uint32_t nips;
    uint32_t nhosts;
    struct nat_scope_metrics *ip;   /* [nips], owned by the run output */
    struct nat_scope_metrics *host; /* [nhosts], owned by the run output */
    /* The lanes: at each of the run's samples, every public IP, then the
     * run's own count (the NAT's gauge of all ports, its drops and flows).
     * NULL when the run has no samples. */
    struct nat_ip_sample *lanes;    /* [nlanes x nips], sample k, IP i at k * nips + i */
    struct nat_ip_sample *lane_all; /* [nlanes] */
    size_t nlanes;                  /* = the run's nsamples */
};

/* The lanes of a run as the pictures read them (plain data, borrowed):
 * the times are the run's samples'. */
struct nat_lanes {
    uint32_t nips;
    const struct nat_ip_sample *v;  /* [nsamples x nips], as in nat_run_metrics */
    const uint64_t *limit;          /* [nips]: ports usable toward one destination
                                       on each IP (0: unknown, no line) */
    const char *words;              /* the vendor's words for a drop */
};

/* One row every run.sample_interval: the state at time 't' and the counts
 * of the interval (t - sample_interval, t]. */
struct run_sample {
    simtime t;                      /* sample time, ns */
    uint32_t in_use;                /* ports held by open connections */
    uint32_t time_wait;             /* client-side TIME_WAIT entries */
    uint32_t connects;              /* successful connects in the interval */
    uint32_t failures;              /* failed connects in the interval */
    uint32_t requests;              /* requests that arrived in the interval */
    uint32_t bound;                 /* issue 17: ports held by leaked sockets */
    uint32_t candidates_max;        /* most candidates a connect() examined in
                                       the interval */
};

#endif /* PORTSIM_MODELS_METRICS_H */
