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

/* Bit 'i' of 'set_mask': key i of the key table was set explicitly. */
static inline bool scen_is_set(const struct scenario *sc, size_t i)
{
    return (sc->set_mask[i / 64] >> (i % 64)) & 1u;
}

static inline void scen_mark_set(struct scenario *sc, size_t i)
{
    sc->set_mask[i / 64] |= UINT64_C(1) << (i % 64);
}

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

/* Issue 11: the values the profile derives from other keys (max_time_wait
 * from stack.memory or the port range, timer_tick from stack.hz), unless
 * set explicitly. */
void scen_derive(struct scenario *sc);

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
