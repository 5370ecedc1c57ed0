/* scenario_int.h - declarations shared by the files of the scenario module
 * and its tests; not for other modules.
 *
 * The module: scenario.c (reading files with their bases, the public
 * functions), scenario_keys.c (defaults, setting one key, messages),
 * scenario_check.c (checks across keys), scenario_trace.c (the trace file),
 * scenario_json.c (canonical JSON and back).  The key table is
 * models/keys.c's.  Cost: nothing here runs.
 */
#ifndef PORTSIM_MODELS_SCENARIO_INT_H
#define PORTSIM_MODELS_SCENARIO_INT_H

#include <stddef.h>

#include "models/keys.h"
#include "models/scenario.h"

/* Where each key was set during one scenario_load(), for messages about
 * combinations (which key to blame: the one set last). */
struct origin {
    char where[600];
    unsigned seq;       /* 0: not set explicitly */
};

/* The scenario key table and its size. */
const struct key_def *scen_keys(size_t *n);

/* The entry whose field is at offset 'off' of struct scenario_params. */
const struct key_def *scen_key_at(size_t off);

/* The subject of a message: "kb.ini:12: 'stack.time_wait'", "--set
 * stack.time_wait:", or "'stack.time_wait'" ('where' NULL). */
const char *scen_subject(const char *where, const struct key_def *k, char *buf, size_t size);

/* "SUBJECT must be WHAT (got 'VALUE')": PS_EINVAL. */
int scen_bad_value(struct err *e, const char *where, const struct key_def *k, const char *what,
                   const char *value);

/* 'sc' with every default of the key table, run.name from 'path'. */
void scen_defaults(struct scenario *sc, const char *path);

/* Split "section.key", set it; 'org' (may be NULL) records the origin. */
int scen_set_key(struct scenario *sc, const char *where, const char *section_key,
                 const char *value, struct origin *org, unsigned seq, struct err *e);

/* Unknown section or key: the message naming the keys there are. */
int scen_unknown_key(struct err *e, const char *where, const char *section, const char *key);

/* Every range and every check across keys. */
int scen_validate(const struct scenario *sc, const struct origin *org, struct err *e);

/* Read the trace named by workload.trace_file into 'sc'. */
int scen_load_trace(struct scenario *sc, const struct origin *org, struct err *e);

/* 'sc->json' and 'sc->hash' from 'sc->p'. */
void scen_make_json(struct scenario *sc);

/* Issue 12: whether 'section' goes into the canonical JSON: [nat] only with
 * a NAT, [fleet] only with more than one host, so that a scenario without
 * them keeps the JSON (and the hash) it had before they existed. */
bool scen_section_in_json(const struct scenario_params *p, const char *section);

/* Issue 12: the checks of [nat] and [fleet] (see scenario_check.c). */
int scen_validate_nat(const struct scenario *sc, const struct origin *org, struct err *e);

#endif /* PORTSIM_MODELS_SCENARIO_INT_H */
