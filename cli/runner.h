/* runner.h - one run as the programs see it: run_once() plus wall time,
 * and its record in the database.
 *
 * Shared by 'run', 'sweep' and 'capacity'.  The only place that reads the
 * machine's clock around a run (wall_seconds is the one figure that is not
 * deterministic).
 */
#ifndef PORTSIM_CLI_RUNNER_H
#define PORTSIM_CLI_RUNNER_H

#include <stdint.h>

#include "analysis/store.h"
#include "models/run.h"
#include "models/scenario.h"

struct runner_job {
    const struct scenario *sc;
    uint64_t seed;              /* the seed this replication runs with */
    uint32_t replication;       /* 0.. */
    int64_t sweep_id;           /* 0: not in a sweep */
    const char *remedy;         /* NULL: "" */
    const char *point_json;     /* NULL: "{}" */
};

/* Run 'job' ('opt' may be NULL); fills 'out' including wall_seconds. */
int runner_run(const struct runner_job *job, const struct run_options *opt,
               struct run_output *out, struct err *e);

/* Record 'out' of 'job' in 'st' in one transaction; '*run_id' may be NULL. */
int runner_record(struct store *st, const struct runner_job *job, const struct run_output *out,
                  int64_t *run_id, struct err *e);

/* Fill 'r' (borrowing from 'job') for store_record_*(). */
void runner_store_run(const struct runner_job *job, double wall_seconds, struct store_run *r);

#endif /* PORTSIM_CLI_RUNNER_H */
