/* scenario.h - a scenario: read, overridden, validated and resolved.
 *
 * CONTRACT (implemented in scenario.c).  A scenario file is INI (read with
 * libinih) with the sections and keys of DESIGN.md §6a; '--set
 * section.key=value' overrides come after the file.  Resolution: the
 * profile's defaults for every stack.* key, then every stack.* key the
 * scenario set, whatever its order in the file.  Every key is validated
 * before anything runs; the first problem gives PS_EINVAL and one message
 * "FILE:LINE: 'section.key' must be ... (got 'value')" (for --set: "--set
 * section.key: ...").  The resolved scenario has one canonical JSON form
 * (every key, sorted, compact) and a hash of it that identifies the
 * parameters of a run in the database.
 */
#ifndef PORTSIM_MODELS_SCENARIO_H
#define PORTSIM_MODELS_SCENARIO_H

#include <stddef.h>

#include "models/params.h"
#include "sim/err.h"

#define SCENARIO_HASH_HEX 33    /* 32 hex digits + NUL */

struct scenario {
    struct scenario_params p;   /* every parameter, resolved */
    simtime *trace;             /* ARRIVALS_TRACE: sorted arrival times; owned */
    size_t ntrace;
    char *json;                 /* canonical JSON of 'p'; owned */
    char hash[SCENARIO_HASH_HEX];   /* hash of 'json', hex */
};

/* One override, "section.key=value", as given to --set. */
struct scenario_set {
    const char *assignment;
};

/* Read 'path' (NULL: no file, defaults only), apply the 'nsets' overrides,
 * validate and resolve into 'sc'.  0, or PS_EINVAL/PS_EIO with the message
 * in 'e'; on failure 'sc' holds nothing to free. */
int scenario_load(struct scenario *sc, const char *path, const char *const *sets,
                  size_t nsets, struct err *e);

/* Re-validate and recompute 'json' and 'hash' after a caller changed 'sc->p'
 * (a sweep setting a value, capacity search changing the rate, a new seed). */
int scenario_refresh(struct scenario *sc, struct err *e);

/* Deep copy: 'dst' owns its own trace and json. */
void scenario_copy(struct scenario *dst, const struct scenario *src);

void scenario_fini(struct scenario *sc);

/* Apply one "section.key=value" to 'sc->p' ('where' names the source in
 * messages, e.g. "sweep.ini:12").  PS_EINVAL on an unknown key or a bad
 * value; call scenario_refresh() after the last one. */
int scenario_set_key(struct scenario *sc, const char *where, const char *section_key,
                     const char *value, struct err *e);

#endif /* PORTSIM_MODELS_SCENARIO_H */
