/* calibration.h - kernel runs beside their simulated twins, metric by metric.
 *
 * A calibration ('portsim calibrate') records two runs of one scenario and
 * seed: the simulation (runs.source = 'sim') and the host's kernel
 * (runs.source = 'kernel').  A pair is a kernel run and the latest sim run
 * recorded before it with the same params_hash, seed and replication.
 * Printed as a table (one block per pair: metric, kernel, sim, kernel -
 * sim), csv (one row per pair and metric) or markdown (one row per pair,
 * the main metrics as "kernel / sim").  Cost: one query, O(pairs).
 */
#ifndef PORTSIM_ANALYSIS_CALIBRATION_H
#define PORTSIM_ANALYSIS_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/report.h"
#include "analysis/store.h"
#include "models/metrics.h"
#include "sim/err.h"

struct calibration_pair {
    char name[128];             /* scenario name */
    uint64_t seed;
    int64_t kernel_id, sim_id;  /* sim_id 0: no simulated twin recorded */
    struct run_metrics kernel, sim;
};

/* Every pair of the database, in kernel run id order ('*out' caller frees). */
int calibration_load(struct store *st, struct calibration_pair **out, size_t *n,
                     struct err *e);

/* The metrics of one pair, as a table for people (fits 100 columns). */
void calibration_table(FILE *f, const char *title, const struct run_metrics *kernel,
                       const struct run_metrics *sim);

/* All pairs in 'fmt' (REPORT_TABLE, REPORT_CSV or REPORT_MARKDOWN;
 * REPORT_JSON is PS_EINVAL). */
int calibration_print(FILE *f, const struct calibration_pair *p, size_t n,
                      enum report_format fmt, struct err *e);

#endif /* PORTSIM_ANALYSIS_CALIBRATION_H */
