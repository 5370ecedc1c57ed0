/* export.h - recorded runs as tidy tables: one row per run (or per sample),
 * one column per parameter and per metric, as CSV, a JSON array or JSON
 * Lines ('portsim export').
 *
 * Column names (the naming rule, README "Export"):
 *   - parameters keep the name of the INI file, "section.key"
 *     (workload.rate, stack.time_wait), in the unit 'portsim keys' gives
 *     (durations in seconds); every key of the run's recorded scenario;
 *   - a measured quantity with a unit ends in its unit: _s (simulated or
 *     wall seconds), _ports (ports held by open connections), _entries
 *     (TIME_WAIT entries); counts of events (requests, connects, failures...)
 *     and ratios have none;
 *   - identification first: run_id, sweep, remedy, scenario_name, seed (the
 *     unsigned decimal, as text in JSON so that no reader rounds it),
 *     replication, status, source, version, params_hash.
 * Rows are jansson objects, gathered in an array; the CSV header is the
 * union of their keys in first-seen order (runs of other versions may
 * have other keys), a missing or null value an empty field.
 * Cost: O(rows x columns) time and memory.
 */
#ifndef PORTSIM_ANALYSIS_EXPORT_H
#define PORTSIM_ANALYSIS_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "analysis/store.h"
#include "models/metrics.h"
#include "sim/err.h"

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_JSONL };

/* "csv", "json" or "jsonl" into '*out'; PS_EINVAL otherwise. */
int export_format_parse(const char *word, enum export_format *out, struct err *e);

/* The export column of metric 'name' (a METRICS_FIELDS name): the name with
 * its unit suffix, or the name itself. */
const char *export_metric_column(const char *name);

/* The row of one run ('m' NULL for a failed run: its metrics are null);
 * 'sweep' is the sweep's name or NULL.  PS_EDB if params_json is not an
 * object of sections. */
int export_run_row(const struct store_run *run, const struct run_metrics *m, const char *sweep,
                   json_t **row, struct err *e);

/* Append to 'rows' one row per sample of 'run': its identification, then
 * t_s, in_use_ports, time_wait_entries, connects, failures, requests. */
void export_sample_rows(json_t *rows, const struct store_run *run, const char *sweep,
                        const struct run_sample *samples, size_t n);

/* Write the array 'rows' to 'f' as 'fmt'.  PS_EIO if writing failed. */
int export_write(FILE *f, json_t *rows, enum export_format fmt, struct err *e);

#endif /* PORTSIM_ANALYSIS_EXPORT_H */
