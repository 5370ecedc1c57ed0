/* calibrate.h - the pure logic of 'portsim calibrate': which scenarios the
 * host's kernel can run, the arrival schedule, /proc/net/tcp lines, and the
 * kernel run's observations turned into the metrics of models/metrics.h.
 *
 * No system calls here (cli/kernelrun.c does those), so all of it is
 * unit-tested.  The schedule is the simulation's own: arrival k of a
 * constant workload at round(k * 1e9 / rate) ns, a Poisson workload's gaps
 * drawn from the run's RNG_ARRIVALS stream exactly as models/workload.c
 * draws them, service times from RNG_SERVICE in request order.  Request i
 * (from 0) goes to server i mod servers: round robin.
 */
#ifndef PORTSIM_CLI_CALIBRATE_H
#define PORTSIM_CLI_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metrics.h"
#include "models/scenario.h"
#include "sim/err.h"

#define CALIBRATE_MAX_DURATION_S 120      /* a kernel run lasts at most this */
#define CALIBRATE_MAX_ATTEMPTS 20000      /* ... and makes at most this many connects */
#define CALIBRATE_MAX_SERVERS 200         /* server addresses 10.201.0.2 .. .201 */

/* PS_EINVAL, with a message naming the key, unless the kernel can run 'sc'
 * as the simulation does: profile linux, time_wait 60 s (the kernel's fixed
 * TCP_TIMEWAIT_LEN), reuse_time_wait no or after-delay, one local address,
 * arrivals constant or poisson, no connection cache, no connection limit,
 * no retries, no warm-up, duration <= 120 s, servers <= 200. */
int calibrate_check(const struct scenario *sc, struct err *e);

/* One request of the schedule. */
struct cal_request {
    simtime t;              /* arrival, ns from the start */
    simtime service;        /* held this long after connect() before closing */
    uint32_t server;        /* index 0..servers-1 (round robin) */
};

/* The requests arriving in [0, duration) for 'sc' with 'seed', in time
 * order ('*out' caller frees).  PS_EINVAL if there are more than
 * CALIBRATE_MAX_ATTEMPTS. */
int calibrate_schedule(const struct scenario *sc, uint64_t seed, struct cal_request **out,
                       size_t *n, struct err *e);

/* One line of /proc/net/tcp ("  0: 0100C90A:9C40 0200C90A:008F 06 ..."):
 * addresses in host order, the state number (1 ESTABLISHED .. 6 TIME_WAIT
 * .. 10 LISTEN).  False for the header line or anything malformed. */
struct procnet_entry {
    uint32_t local_addr, remote_addr;
    uint16_t local_port, remote_port;
    unsigned state;
};

#define PROCNET_TIME_WAIT 6

bool calibrate_procnet_line(const char *line, struct procnet_entry *out);

/* The number of TIME_WAIT entries in the text of /proc/net/tcp. */
uint32_t calibrate_procnet_time_wait(const char *text);

/* What the kernel run saw of one connect() (cli/kernelrun.c fills it). */
struct cal_attempt {
    simtime t_sched;        /* the request's arrival in the schedule */
    simtime t_call;         /* when connect() was called, ns from the start */
    int err;                /* 0: connected; else errno (EADDRNOTAVAIL...) */
    uint16_t port;          /* local port, 0 if none was given */
    bool done;              /* connected or failed (false: still in progress at the end) */
};

/* The kernel's state at one sample time. */
struct cal_tick {
    simtime t;
    uint32_t time_wait;         /* client namespace */
    uint32_t server_time_wait;  /* server namespace */
    uint32_t in_use;            /* distinct local ports of open client sockets */
};

/* Everything a kernel run observed. */
struct cal_observed {
    struct cal_attempt *attempts;   /* one per request of the schedule; owned */
    size_t nattempts;               /* requests whose arrival came before the end */
    struct cal_tick *ticks;         /* at 0, interval, 2 interval... < duration; owned */
    size_t nticks;
    size_t cap_ticks;
    uint32_t peak_in_use;           /* exact, from the program's own sockets */
    double in_use_area;             /* integral of in_use over the run, port-seconds */
    uint64_t unfinished;            /* client sockets still open at the end */
    double wall_seconds;
    bool interrupted;               /* stopped by SIGINT/SIGTERM */
    uint64_t tw_overflows;          /* issue 11: TcpExt TCPTimeWaitOverflow in the client
                                       namespace over the run (end - start) */
};

void cal_observed_fini(struct cal_observed *o);

/* The metrics and samples of the kernel run ('*samples' caller frees), on
 * the simulation's definitions: counts by arrival time; failures_exhausted
 * = EADDRNOTAVAIL, failures_collision = EADDRINUSE, any other errno a
 * connect_failure only ('*other_failures'); time_wait peaks and means from
 * the samples (the simulation's are exact); first_failure_time the measured
 * time of the first failed connect(); '*first_failure_attempt' its number
 * from 1 (0: none); events 0; digest a hash of every attempt's outcome. */
void calibrate_metrics(const struct scenario *sc, const struct cal_observed *o,
                       struct run_metrics *m, struct run_sample **samples, size_t *nsamples,
                       uint64_t *other_failures, uint64_t *first_failure_attempt);

#endif /* PORTSIM_CLI_CALIBRATE_H */
