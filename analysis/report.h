/* report.h - the remedy report: compare remedies over replications.
 *
 * Input is a plain list of runs (struct report_run), one per replication,
 * each tagged with its remedy and its point (the values a sweep varied, as
 * JSON).  Runs of one (remedy, point) form a group.  Per group:
 *   - the share of failed connect() calls and of failed requests, twice:
 *     the mean over replications of the per-replication share with a 95 %
 *     Student t interval, and the pooled share (sum of failures / sum of
 *     trials) with its exact Clopper-Pearson interval.  Near 0 or 1 the t
 *     interval can leave [0, 1]; the table shows the pooled share and
 *     Clopper-Pearson, csv and json carry both;
 *   - the paired difference in failed-request share from the baseline remedy
 *     at the same point: per seed, this remedy's share minus the baseline's,
 *     mean and t interval over the seeds both ran (common random numbers make
 *     this far sharper than comparing two intervals);
 *   - TIME_WAIT peak and mean, ports in use at the peak (means over
 *     replications, and the largest peak), first failure time (earliest, and
 *     mean over the replications that failed; null if none failed);
 *   - optionally the closed form (theory.h) the caller computed for the group;
 *   - issue 12, csv and json only, and only when some group had a NAT: the
 *     NAT's flows, dropped SYNs (and their pooled share), words, peak ports,
 *     connect latency, retransmissions, timeouts and pool resets.
 * Order: points in the order they first appear; within a point the best
 * remedy first: by pooled failed-request share, then mean TIME_WAIT peak,
 * then the remedy's first appearance.  Deterministic for a given input.
 *
 * Cost: O(n log n) in runs (one sort), O(n) memory.
 */
#ifndef PORTSIM_ANALYSIS_REPORT_H
#define PORTSIM_ANALYSIS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/stats.h"
#include "models/metrics.h"
#include "sim/err.h"

#define REPORT_BASELINE "baseline"  /* the baseline remedy's default name */
#define REPORT_WIDTH 100            /* the table never prints wider than this */

enum report_format {
    REPORT_TABLE,                   /* for people: fits REPORT_WIDTH columns, legend below */
    REPORT_CSV,                     /* header + one row per group, snake_case names */
    REPORT_JSON,                    /* an array of objects, the csv's names as keys */
    REPORT_MARKDOWN                 /* a GitHub table */
};

/* Issue 12: a run's NAT figures (table nat_metrics, scope 'run'; plain
 * data, 'failure_words' borrowed like the run's strings). */
struct report_nat {
    bool on;                        /* the run had a [nat] */
    uint64_t nat_flows;
    uint64_t nat_failures;          /* SYNs dropped */
    const char *failure_words;      /* the vendor's words; NULL if unknown */
    uint64_t nat_ports_peak;
    double connect_p50_s;           /* connect latency through the NAT, s */
    double connect_p99_s;
    uint64_t syn_retransmits;
    uint64_t connect_timeouts;
    uint64_t pool_resets;
};

/* One run, as the database reader hands it over (plain data; strings are
 * borrowed and must outlive the report). */
struct report_run {
    const char *remedy;             /* remedy name, e.g. "baseline", "maxuserport" */
    const char *point;              /* JSON of the varied values, e.g.
                                     * {"workload.rate":20}, or "{}" */
    double rate;                    /* requests/s of this run */
    uint32_t replication;           /* 0, 1, ... */
    uint64_t seed;                  /* the run's seed: pairs runs across remedies */
    struct run_metrics m;
    double theory_blocking;         /* Erlang B for this scenario; NaN if unknown */
    double theory_sustainable_per_s;/* theory's sustainable rate; NaN if unknown */
    struct report_nat nat;          /* issue 12: the run's NAT figures ('on': it had one) */
};

/* One (remedy, point) group, computed (plain data).  Pointers borrow the
 * runs' strings. */
struct report_group {
    const char *point;
    const char *remedy;
    const char *baseline;           /* the baseline remedy of the report */
    bool is_baseline;
    double rate;                    /* the rate of the group's first run */
    size_t replications;
    struct stats_mean connect_fail;         /* per-replication share, t interval */
    struct stats_prop connect_fail_pooled;  /* k = connect_failures, n = attempts */
    struct stats_mean request_fail;         /* per-replication share, t interval */
    struct stats_prop request_fail_pooled;  /* k = requests_failed, n = requests */
    struct stats_mean diff;         /* paired request_fail - baseline's; n = pairs,
                                     * 0 for the baseline or without one */
    double peak_time_wait;          /* mean over replications */
    uint64_t peak_time_wait_max;
    double time_wait_overflows;     /* issue 11: mean over replications */
    double mean_time_wait;          /* mean over replications of the time mean */
    double peak_in_use;             /* mean over replications */
    uint64_t peak_in_use_max;
    size_t failed_replications;     /* replications with a failed connect() */
    double first_failure_min;       /* s; NaN if none failed */
    double first_failure_mean;      /* s, over the failed replications; NaN if none */
    double theory_blocking;         /* first non-NaN of the group's runs, or NaN */
    double theory_sustainable_per_s;
    /* issue 17 (csv and json): the worst replication's connect() figures,
     * and leaked sockets */
    uint64_t candidates_p99_max;    /* candidates per connect(), p99 */
    uint64_t connect_latency_p99_ns_max;
    double peak_bound;              /* ports held by leaked sockets, mean of peaks */
    /* issue 12 (csv and json, only when some group has a NAT): sums over the
     * replications with a NAT, the worst replication's peak and p99, the
     * mean p50; the pooled share of SYNs dropped */
    size_t nat_runs;                /* replications with a NAT (0: the fields are null) */
    uint64_t nat_flows;
    uint64_t nat_failures;
    double nat_drop_pooled;         /* nat_failures / (nat_flows + nat_failures) */
    const char *nat_failure_words;  /* the first run's */
    uint64_t nat_ports_peak_max;
    double connect_p50_s_mean;
    double connect_p99_s_max;
    uint64_t syn_retransmits;
    uint64_t connect_timeouts;
    uint64_t pool_resets;
    size_t point_rank;              /* private: order of the point's first appearance */
    size_t remedy_rank;             /* private: index of the remedy's first run */
};

/* "table", "csv", "json" or "markdown" into '*out'; PS_EINVAL otherwise. */
int report_format_parse(const char *word, enum report_format *out, struct err *e);

/* Group and compute 'runs[0..n)'.  'baseline' names the baseline remedy (NULL:
 * REPORT_BASELINE); if no run has it, the remedy of runs[0] is the baseline.
 * On success '*out' (release with report_groups_free()) holds '*ngroups'
 * groups in report order.  PS_EINVAL if a seed appears twice in one group
 * (the pairing would be ambiguous).  Every run's 'remedy' and 'point' must
 * be non-NULL (asserted). */
int report_compute(const struct report_run *runs, size_t n, const char *baseline,
                   struct report_group **out, size_t *ngroups, struct err *e);

void report_groups_free(struct report_group *g);

/* Write the groups 'g[0..n)' (as report_compute() ordered them) to 'f' in
 * 'fmt'.  PS_EIO if writing failed. */
int report_print(FILE *f, const struct report_group *g, size_t n, enum report_format fmt,
                 struct err *e);

/* report_compute() + report_print() + report_groups_free(). */
int report_write(FILE *f, const struct report_run *runs, size_t n, const char *baseline,
                 enum report_format fmt, struct err *e);

#endif /* PORTSIM_ANALYSIS_REPORT_H */
