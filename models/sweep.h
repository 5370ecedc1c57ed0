/* sweep.h - a sweep file, read, validated and expanded into runs.
 *
 * A sweep file is INI (read with libinih, like a scenario):
 *
 *     [sweep]                    name, scenario (relative to the sweep file),
 *                                replications, seed (the sweep key table of
 *                                models/keys.c: 'portsim keys')
 *     [remedy NAME]              "section.key = value" overrides, one section
 *                                per remedy (none at all: one remedy 'baseline');
 *                                "keys_from = FILE" takes the keys a scenario
 *                                file sets itself (not its base's, not
 *                                run.name), relative to the sweep file
 *     [vary]                     "section.key = values": a list "5, 10, 20",
 *                                an arithmetic range "5..80 step 5" or a
 *                                geometric one "5..80 x2"
 *
 * Expansion, in this fixed order (job index 0, 1, ...): remedies in file
 * order; within a remedy, the points of the product of the varied keys'
 * values, keys in file order, the last key varying fastest; within a point,
 * replications 0..R-1.  So index = (remedy * npoints + point) * R + rep.
 * Each expanded scenario is the base scenario, then the remedy's keys, then
 * the point's values (a varied key wins over a remedy's key), with run.seed
 * = the sweep's seed.  Replication i runs with seed rng_derive(seed, i)
 * under every remedy and point: common random numbers, so remedies are
 * compared on the same arrivals.
 *
 * sweep_load() validates everything before returning, the expanded
 * scenarios included, with the messages of 'portsim run' ("FILE:LINE:
 * 'key' must be ... (got 'value')"); the first problem gives PS_EINVAL (a
 * missing or unreadable scenario file too: it is bad input of the sweep).
 *
 * Cost: one resolved scenario per (remedy, point), built once, O(remedies x
 * points) memory (a few KB each); at most SWEEP_SCENARIOS_MAX of them and
 * SWEEP_JOBS_MAX jobs.  A job is computed from its index in O(1).
 */
#ifndef PORTSIM_MODELS_SWEEP_H
#define PORTSIM_MODELS_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "models/scenario.h"
#include "sim/err.h"

#define SWEEP_VALUES_MAX 10000          /* values of one varied key */
#define SWEEP_SCENARIOS_MAX 100000      /* remedies x points */
#define SWEEP_JOBS_MAX 100000000        /* remedies x points x replications */

/* One "section.key = value" line of a remedy (plain data). */
struct sweep_set {
    char *key;                  /* "stack.port_max"; owned */
    char *value;                /* owned */
    unsigned long line;         /* line in 'file' */
    char *file;                 /* NULL: the sweep file; else the keys_from file; owned */
};

struct sweep_remedy {
    char *name;                 /* owned */
    unsigned long line;         /* line of its [remedy NAME] header; 0 if implicit */
    struct sweep_set *sets;     /* owned, in file order */
    size_t nsets;
    size_t cap;
};

/* One varied key and its values, as text (given to scenario_set_key()). */
struct sweep_axis {
    char *key;                  /* owned */
    unsigned long line;
    char **values;              /* owned */
    size_t nvalues;
};

/* A loaded sweep.  Every field is owned and read-only after sweep_load(). */
struct sweep {
    char *path;                 /* the sweep file, as given */
    char *name;                 /* [sweep] name, default: file name without .sweep */
    char *text;                 /* the file's text: the sweep's definition */
    char *scenario_path;        /* resolved against the sweep file's directory */
    uint64_t seed;              /* base seed (default: the scenario's run.seed) */
    uint32_t replications;      /* default: the scenario's run.replications */
    struct sweep_remedy *remedies;
    size_t nremedies;
    struct sweep_axis *axes;
    size_t naxes;
    size_t npoints;             /* product of the axes' value counts (1 if none) */
    size_t njobs;               /* nremedies * npoints * replications */
    struct scenario *scen;      /* [remedy * npoints + point], resolved and validated */
    char **point_json;          /* [point]: {"workload.rate":20}; "{}" without [vary] */
};

/* One run of the sweep; pointers borrowed from the sweep. */
struct sweep_job {
    size_t index;               /* 0..njobs-1 */
    size_t remedy;              /* index into 'remedies' */
    size_t point;               /* index into 'point_json' */
    uint32_t replication;
    uint64_t seed;              /* rng_derive(sweep seed, replication) */
    const struct scenario *sc;
    const char *remedy_name;
    const char *point_json;
};

/* Read, validate and expand the sweep file 'path' into 'sw'.  0, or
 * PS_EINVAL (bad sweep or scenario) / PS_EIO (the sweep file itself
 * cannot be read) with the message in 'e'; on failure 'sw' holds nothing
 * to free. */
int sweep_load(struct sweep *sw, const char *path, struct err *e);

void sweep_fini(struct sweep *sw);

/* Job 'index' (< sw->njobs) of 'sw'. */
void sweep_job(const struct sweep *sw, size_t index, struct sweep_job *job);

/* Parse the values of a [vary] key: a list, "A..B step S" or "A..B xF".
 * '*values' (caller frees each and the array) gets '*n' >= 1 strings;
 * ranges give numbers printed with %.15g ("0.1..0.3 step 0.1" gives 0.1,
 * 0.2, 0.3).  PS_EINVAL with "WHERE: 'KEY' must be ... (got 'TEXT')". */
int sweep_parse_values(const char *where, const char *key, const char *text, char ***values,
                       size_t *n, struct err *e);

/* Parse "K/N" (1 <= K <= N <= 100000) for --shard. */
int sweep_parse_shard(const char *text, uint32_t *k, uint32_t *n, struct err *e);

/* True if job 'index' belongs to shard K of N (index mod N == K - 1). */
static inline int sweep_in_shard(size_t index, uint32_t k, uint32_t n)
{
    return index % n == (size_t)(k - 1);
}

#endif /* PORTSIM_MODELS_SWEEP_H */
