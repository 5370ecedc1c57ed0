/* runset.h - the recorded runs of a sweep (or of the whole database), ready
 * for the report and the pictures.
 *
 * runset_load() reads every finished run through store_runs_each() into a
 * list of struct report_run (report.h), in id order, with its NAT figures
 * (store_nat_rows(), issue 12; 'nat.on' false without), and keeps the params
 * JSON of each distinct parameter set (params_hash).  It runs no model
 * logic (DESIGN §1): the caller resolves each parameter set (cli/dbsel.c:
 * scenario_from_json() and models/theory.h), fills 'p', 'resolved' and
 * 'pool_ports', and hands the request rate and the closed form's figures to
 * the runs with runset_set_params(); until then they are NaN.
 *
 * Labels: a run's remedy is its recorded remedy.  Runs recorded without one
 * (portsim run) are labelled by their scenario name; when one name was run
 * with different parameters at the same point, each parameter set gets its
 * own label "NAME@HASH6" (the first 6 hex digits of its params hash), so no
 * two parameter sets are ever pooled.  Left out, and counted: failed runs
 * (no metrics), truncated runs (stopped early by portsim run) and repeats
 * outside sweeps (the same label, point, params, seed and replication
 * recorded twice: runs are deterministic, so the latest is kept).  'notes'
 * says all this in words, one line each.
 *
 * Cost: one row read per run; O(n log n) for the repeats.
 */
#ifndef PORTSIM_ANALYSIS_RUNSET_H
#define PORTSIM_ANALYSIS_RUNSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/report.h"
#include "analysis/store.h"
#include "models/params.h"
#include "sim/err.h"

#define RUNSET_NOTES_MAX 1024

/* One distinct parameter set (plain data). */
struct runset_params {
    char hash[40];                  /* params_hash */
    char *json;                     /* params_json as recorded; owned by the set */
    bool resolved;                  /* 'p' and the theory figures are valid (caller sets) */
    struct scenario_params p;
    uint64_t pool_ports;            /* theory's N (ports one connection may take) */
};

struct runset {
    struct report_run *runs;        /* 'n' runs; strings owned by the set */
    int64_t *ids;                   /* runs.id of runs[i] */
    size_t *param_of;               /* index into 'params' of runs[i] */
    size_t n;
    struct runset_params *params;
    size_t nparams;
    size_t failed;                  /* failed runs left out */
    size_t repeats;                 /* repeated runs left out */
    size_t kernel;                  /* kernel runs (source 'kernel') left out */
    size_t truncated;               /* runs stopped early (runs.truncated_at) left out */
    size_t unresolved;              /* parameter sets without closed form (caller counts) */
    bool by_name;                   /* some labels are scenario names */
    char notes[RUNSET_NOTES_MAX];   /* what the lines above mean, in words; "" if none */
    char **strings_;                /* private: owned strings */
    size_t nstrings_, capstrings_;
};

/* Load the runs of sweep 'sweep_id' (0: every run of the database) into
 * 'rs' (release with runset_fini(), also after a failure).  PS_EDB on a
 * database error.  An empty set is not an error ('rs->n' = 0). */
int runset_load(struct runset *rs, struct store *st, int64_t sweep_id, struct err *e);

void runset_fini(struct runset *rs);

/* Give every run of parameter set 'param' its request rate and the closed
 * form's Erlang-B blocking and sustainable rate (plain numbers the caller
 * computed; NaN: unknown).  O(n). */
void runset_set_params(struct runset *rs, size_t param, double rate, double blocking,
                       double sustainable_per_s);

/* Say in 'notes' that 'rs->unresolved' parameter sets could not be
 * resolved (nothing when there are none). */
void runset_note_unresolved(struct runset *rs);

/* The parameters of run 'i', or NULL if they could not be resolved. */
const struct scenario_params *runset_params_of(const struct runset *rs, size_t i);

#endif /* PORTSIM_ANALYSIS_RUNSET_H */
