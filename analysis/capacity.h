/* capacity.h - the capacity search: the highest request rate whose failed-
 * request share stays under a target, with 95 % confidence.
 *
 * The verdict at one rate: run R replications (the caller's evaluator, so
 * this module starts no process and runs no model), pool their counts, k
 * failed requests of n, and take the upper end of the exact Clopper-Pearson
 * interval at STATS_LEVEL (the interval 'portsim report' shows; two-sided
 * 95 %, so the upper end is a one-sided 97.5 % bound).  The rate passes when
 * that bound is below the target.
 *
 * The search: start at 'start_rate' (the caller gives the closed form's
 * Erlang-B rate for the target); while it passes, double the rate, while it
 * fails, halve it, until one rate passes and one fails; then bisect until
 * the bracket is narrower than 'tolerance' relative to its lower end.  The
 * answer is the highest rate that passed.  The same replication seeds at
 * every rate (common random numbers) make the verdict nearly monotone in
 * the rate.  A rate can also fail for want of data: with no failure at all
 * the bound is about 3.7 / n; such a failure ends the search as
 * 'inconclusive' (more replications or a longer run.duration is needed),
 * never as a capacity.
 *
 * Issue 12: the criterion can be another metric (capacity_opts.metric):
 * the share of SYNs a NAT dropped (dropped / (dropped + translated),
 * pooled, with the same Clopper-Pearson bound), or the connect latency's
 * p99 (the worst replication's, against a target in seconds: a dropped
 * SYN costs whole seconds, and p99 <= 1 s means at most one
 * retransmission for 99 % of connects).
 *
 * Cost: steps = log2(bracket) + log2(1 / tolerance), about 10-15
 * evaluations; the evaluator's cost dominates.
 */
#ifndef PORTSIM_ANALYSIS_CAPACITY_H
#define PORTSIM_ANALYSIS_CAPACITY_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/err.h"

/* Counts pooled over the replications at one rate (plain data). */
struct capacity_counts {
    uint64_t requests;
    uint64_t requests_failed;
    uint64_t connect_attempts;
    uint64_t connect_failures;
    uint64_t syns;                  /* issue 12: SYNs through the NAT (translated + dropped) */
    uint64_t syns_dropped;          /* ... dropped by the NAT (retransmissions included) */
    double connect_p99_max_s;       /* the highest replication's connect p99, s */
};

/* What the search holds under the target (issue 12). */
enum capacity_metric {
    CAPACITY_FAILED,                /* failed requests / requests */
    CAPACITY_NAT_DROPS,             /* SYNs dropped / SYNs through the NAT */
    CAPACITY_CONNECT_P99            /* connect latency p99, s (no interval) */
};

/* Run 'replications' replications at 'rate_per_s' and add up their counts
 * into '*out'.  0, or a negative PS_E* with the message in 'e' (the search
 * stops and returns it). */
typedef int capacity_eval_fn(double rate_per_s, uint32_t replications,
                             struct capacity_counts *out, void *arg, struct err *e);

/* One evaluation of the search (plain data). */
struct capacity_step {
    unsigned step;                  /* 1, 2, ... */
    const char *phase;              /* "start", "up", "down", "bisect" */
    double rate_per_s;
    uint32_t replications;
    struct capacity_counts c;
    double share;                   /* requests_failed / requests (or the metric's
                                       share, or the p99 in s); NaN if none */
    double upper;                   /* upper Clopper-Pearson bound (p99: the p99) */
    bool pass;                      /* upper < target (p99: <= target) */
};

typedef void capacity_step_fn(const struct capacity_step *s, void *arg);

struct capacity_opts {
    enum capacity_metric metric;    /* CAPACITY_FAILED unless set */
    double target;                  /* share, (0, 1); CAPACITY_CONNECT_P99: s, > 0 */
    uint32_t replications;          /* per step, >= 1 */
    double start_rate_per_s;        /* > 0 */
    double tolerance;               /* relative bracket width to stop at, e.g. 0.01 */
    double min_rate_per_s;          /* stop halving below this (> 0) */
    double max_rate_per_s;          /* stop doubling above this */
    unsigned max_steps;             /* evaluations at most, e.g. 60 */
};

enum capacity_outcome {
    CAPACITY_FOUND,                 /* lo passes, hi fails, (hi - lo) <= tolerance * lo
                                     * (or max_steps reached: 'steps' says) */
    CAPACITY_ABOVE_MAX,             /* even max_rate_per_s passes */
    CAPACITY_BELOW_MIN,             /* even min_rate_per_s fails with failures seen */
    CAPACITY_INCONCLUSIVE           /* a rate failed with no failure at all: too few
                                     * requests to show a share below the target */
};

struct capacity_result {
    enum capacity_outcome outcome;
    double rate_per_s;              /* the highest rate that passed; 0 if none */
    double fail_rate_per_s;         /* the lowest rate that failed; INFINITY if none */
    struct capacity_step best;      /* the step at 'rate_per_s' (if one passed) */
    unsigned steps;                 /* evaluations made */
    uint64_t requests_needed;       /* INCONCLUSIVE: requests for a bound below the
                                     * target with no failure */
};

/* Defaults for 'o' given a target: 10 replications, tolerance 0.01, rates
 * 1e-6 .. 1e7, 60 steps; the caller sets start_rate_per_s. */
void capacity_opts_default(struct capacity_opts *o, double target);

/* Search as described above; 'on_step' (may be NULL) sees every step as
 * it is made.  The options must be sane (asserted).  0, or the evaluator's
 * error. */
int capacity_search(const struct capacity_opts *o, capacity_eval_fn *eval, void *eval_arg,
                    capacity_step_fn *on_step, void *step_arg, struct capacity_result *out,
                    struct err *e);

/* The pooled verdict of counts 'c' against 'target' on failed requests
 * (exposed for tests): fills share, upper and pass of 's'. */
void capacity_verdict(const struct capacity_counts *c, double target, struct capacity_step *s);

/* The same on 'metric' (used by the search). */
void capacity_judge(const struct capacity_counts *c, enum capacity_metric metric, double target,
                    struct capacity_step *s);

/* The trials and failures 'metric' counts in 'c' (CAPACITY_CONNECT_P99:
 * connects through the NAT and the dropped SYNs, for the record). */
void capacity_trials(const struct capacity_counts *c, enum capacity_metric metric,
                     uint64_t *trials, uint64_t *failures);

#endif /* PORTSIM_ANALYSIS_CAPACITY_H */
