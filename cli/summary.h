/* summary.h - a run told to a person, and as one JSON object for scripts.
 *
 * The human summary speaks the profile's language: the error a user of
 * that system would see (WSAEADDRINUSE (10048), WSAENOBUFS (10055) with
 * event 4231, EADDRNOTAVAIL, event 4227 for a collision), when it started
 * and the state of the pool at that moment.  The JSON object has 'params'
 * (the canonical scenario), 'seed', 'replication', 'metrics' (the names of
 * DESIGN.md §6) and 'run_id' (null without a database).
 */
#ifndef PORTSIM_CLI_SUMMARY_H
#define PORTSIM_CLI_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "models/run.h"
#include "models/scenario.h"

void summary_print(FILE *f, const struct scenario *sc, uint64_t seed, uint32_t replication,
                   const struct run_output *out, int64_t run_id);

/* One line of compact JSON, ending in a newline. */
void summary_json(FILE *f, const struct scenario *sc, uint64_t seed, uint32_t replication,
                  const struct run_output *out, int64_t run_id);

/* After N >= 2 replications: the mean and 95 % Student t interval over
 * them of the headline metrics (failed connect() and request shares,
 * TIME_WAIT peak and mean, peak ports in use), one line each.  Nothing for
 * n < 2.  Cost: O(n). */
void summary_replications(FILE *f, const struct run_metrics *ms, size_t n);

#endif /* PORTSIM_CLI_SUMMARY_H */
