/* nat.h - one layer out: the translating box between a fleet of hosts and the
 * servers (cloud NAT gateway, load-balancer outbound SNAT, conntrack
 * MASQUERADE).
 *
 * Every new flow (host, host port, destination) needs a translation (public
 * IP, public port) under the NAT's sharing rule: a public port serves many
 * destinations at once but one flow per destination, counting the flows it
 * still holds after close (FIN hold, RST hold).  An idle flow's mapping is
 * dropped at the idle timeout; the host does not know.  A flow the NAT
 * cannot translate is dropped (the SYN): the caller retransmits.
 *
 * Time is lazy: the NAT arms no timer.  Holds and idle timeouts have one
 * length each, so each lives in a FIFO in order of expiry; every call first
 * expires what is due at or before 'now' (a hold ending at t frees its port
 * for a flow at t), in expiry order, and folds the gauges at the exact
 * expiry times.  Calls must come in nondecreasing 'now'.  Randomness: only
 * the 'rng' given (the run's RNG_NAT stream).  Cost: O(1) per open/close
 * plus the port search (find-next over 64-bit words of a per (IP,
 * destination) bitmap; conntrack probes at most 248 ports); memory: about
 * 40 bytes per live or held translation (56 in all at 3.3 M, bench_nat.c),
 * 8 KiB per (IP, destination) used.
 */
#ifndef PORTSIM_MODELS_NAT_H
#define PORTSIM_MODELS_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/metrics.h"
#include "models/params.h"
#include "sim/simtime.h"

#define NAT_IPS_MAX 16u
#define NAT_LATENCY_BUCKETS 32u     /* connects by SYN retransmissions 0..31 */

struct nat;

/* A translation as the caller keeps it: stale once the NAT dropped it. */
struct nat_flow {
    uint32_t idx;           /* entry; private */
    uint32_t gen;           /* generation of the entry when opened; private */
    uint32_t host;
    uint16_t ip;            /* public IP index */
    uint16_t port;          /* public port */
};

enum nat_result {
    NAT_OK = 0,
    NAT_DROP_EXHAUSTED,     /* no public port for this destination */
    NAT_DROP_CONFLICT,      /* gcp EIM: ENDPOINT_INDEPENDENCE_CONFLICT */
    NAT_DROP_RACE           /* conntrack: two flows took one tuple at one instant */
};

/* Counters of one scope (the run, one public IP or one host). */
struct nat_counts {
    uint64_t flows;             /* translations made */
    uint64_t failures;          /* SYNs dropped, any cause */
    uint64_t idle_timeouts;     /* mappings dropped by the idle timeout */
    uint64_t syn_retransmits;   /* counted by the caller (nat_note_syn) */
    uint64_t connect_timeouts;  /* ... */
    double first_failure_s;     /* simulated s of the first drop; -1 if none */
    uint64_t peak_ports;        /* public ports held by >= 1 translation */
    double mean_ports;          /* time-weighted over [warmup, end) */
};

/* A NAT for 'hosts' hosts and 'ndst' destinations, with parameters 'p'
 * (copied; p->profile != NAT_PROFILE_NONE).  'rng' is borrowed.  Hosts the
 * reserved pool cannot place get no ports (all their flows drop). */
struct nat *nat_new(const struct nat_params *p, uint32_t hosts, uint32_t ndst, gsl_rng *rng);
void nat_free(struct nat *n);

/* Translate the new flow from 'host':'hport' to destination 'dst' at 'now'.
 * NAT_OK and '*out' set, or a drop (counted against 'host' and an IP). */
enum nat_result nat_open(struct nat *n, simtime now, uint32_t host, uint32_t hport,
                         uint32_t dst, struct nat_flow *out);

/* The flow ended (FIN, or RST with 'rst'): its port stays held for its
 * destination for the hold time.  A stale flow is ignored. */
void nat_close(struct nat *n, simtime now, const struct nat_flow *f, bool rst);

/* The flow went idle at 'now' (its mapping dies at now + idle timeout
 * unless nat_resume() comes first). */
void nat_idle(struct nat *n, simtime now, const struct nat_flow *f);

/* The idle flow carries a packet again at 'now': true if its mapping is
 * alive (no longer idle), false if the idle timeout dropped it (the next
 * packet meets an RST; the flow is stale). */
bool nat_resume(struct nat *n, simtime now, const struct nat_flow *f);

/* Whether 'f' is still mapped at 'now'. */
bool nat_is_alive(struct nat *n, simtime now, const struct nat_flow *f);

/* The caller's side of a dropped SYN, for the metrics: a retransmission
 * by 'host', a connect() that timed out, or a connect() that succeeded
 * after 'retransmits' retransmissions (the latency distribution). */
void nat_note_retransmit(struct nat *n, uint32_t host);
void nat_note_timeout(struct nat *n, uint32_t host);
void nat_note_connected(struct nat *n, uint32_t retransmits);

/* Start the metrics at 'now' (the warm-up): counters and gauges restart. */
void nat_warmup(struct nat *n, simtime now);

/* Expire everything due before 'end' and fold the gauges up to 'end'. */
void nat_finish(struct nat *n, simtime end);

/* Counters since the warm-up, after nat_finish(): the run's total, public
 * IP 'ip' or host 'host'.  Per-IP and per-host counts sum to the total
 * (a drop counts against the IP its search began at); ports are per IP
 * (a host's peak_ports and mean_ports are 0). */
void nat_total(const struct nat *n, simtime warmup, simtime end, struct nat_counts *out);
void nat_ip(const struct nat *n, uint32_t ip, simtime warmup, simtime end,
            struct nat_counts *out);
void nat_host(const struct nat *n, uint32_t host, struct nat_counts *out);

/* Connect latency percentile 'q' (0..1) over connects made through the
 * NAT since the warm-up, in s: SYN retransmissions k cost rto * (2^k - 1). */
double nat_latency_s(const struct nat *n, double q);

/* The lanes at 'now' (a sample of the run), into 'out[0..nips]': for each
 * public IP, then at out[nips] for the whole NAT, the ports in use at
 * 'now' and the drops and flows since the previous call (or nat_new()),
 * whatever the warm-up.  It first expires what is due at or before 'now':
 * the expiries the next call would make anyway, in the same order, so the
 * run's decisions and its digest do not change; it draws nothing. */
void nat_lane(struct nat *n, simtime now, struct nat_ip_sample *out);

/* Live and held translations now, and the bytes the NAT holds. */
uint64_t nat_translations(const struct nat *n);
size_t nat_bytes(const struct nat *n);

/* Ports a host holds (reserved pools: its chunks), 0 for shared pools. */
uint32_t nat_host_ports(const struct nat *n, uint32_t host);

/* A digest of every decision, for the run's determinism witness. */
uint64_t nat_digest(const struct nat *n);

/* ---- Closed forms (theory) ---- */

/* What a NAT allows, by Little's law on its ports: a flow holds its port
 * for the service time, then the FIN hold, so one destination sustains
 * (ports usable for it) / (service + hold) new flows a second. */
struct nat_theory {
    uint64_t ports_per_dst;         /* usable toward one destination, all IPs */
    uint32_t ports_per_host;        /* reserved pools: each host's; 0 shared */
    uint32_t hosts_placed;          /* reserved pools: hosts that get ports */
    double hold_s;                  /* service time + FIN hold */
    double per_dst_per_s;           /* sustainable new flows/s to one destination */
    double per_host_dst_per_s;      /* reserved: one host to one destination */
    double offered_per_dst_per_s;   /* rate / servers: every request a new flow */
    double exhaustion_s;            /* at the offered rate, from empty; INFINITY if none */
};

/* The closed forms of 'p' (p->nat.profile != NAT_PROFILE_NONE). */
void nat_theory(const struct scenario_params *p, struct nat_theory *t);

/* Ports usable toward one destination on public IP 'ip' of 'p' (a
 * lane's limit): the per-destination cap or the port range (shared,
 * conntrack), or the hosts' reserved ports laid out on that IP at the
 * start (reserved pools; dynamic allocation may add more later). */
uint64_t nat_ip_limit(const struct scenario_params *p, uint32_t ip);

/* The drop words of profile 'p' ("SnatConnectionCount Failed"). */
const char *nat_failure_words(enum nat_profile_id p, enum nat_result why);

#endif /* PORTSIM_MODELS_NAT_H */
