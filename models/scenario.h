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
 * (every key but run.seed and run.replications, sorted, compact) and a hash
 * of it (XXH3-128, 32 hex digits; with a trace, of the JSON and the
 * trace's arrival times, so a changed trace file is a new run under the
 * same file name) that identifies the parameters of a run
 * apart from its seed and replication: the database keeps those in their
 * own columns, and resume matches (hash, seed, replication).  Keys, defaults
 * and ranges: the key table in models/keys.c ('portsim keys').  A file may
 * name a base scenario ('base', the first key of [run]).  To change the
 * profile after loading, use scenario_set_key("stack.profile"), which
 * re-applies the profile under the stack keys set explicitly; a direct
 * change of 'p.stack.profile' does not.
 */
#ifndef PORTSIM_MODELS_SCENARIO_H
#define PORTSIM_MODELS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/params.h"
#include "sim/err.h"

#define SCENARIO_HASH_HEX 33    /* 32 hex digits + NUL */
#define SCENARIO_KEYS_MAX 128   /* scenario keys that 'set_mask' can hold */

struct scenario {
    struct scenario_params p;   /* every parameter, resolved */
    simtime *trace;             /* ARRIVALS_TRACE: sorted arrival times; owned */
    size_t ntrace;
    char *json;                 /* canonical JSON of 'p'; owned */
    char hash[SCENARIO_HASH_HEX];   /* hash of 'json' (and 'trace' if any), hex */
    /* Private to the scenario module (scenario_int.h): */
    uint64_t set_mask[SCENARIO_KEYS_MAX / 64];  /* bit i: key i was set explicitly */
    char base_dir[PARAMS_PATH_MAX]; /* the scenario file's directory: trace_file base */
    char trace_loaded[2 * PARAMS_PATH_MAX]; /* path whose arrivals 'trace' holds */
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

/* True if 'section_key' (e.g. "stack.time_wait") was set by the file, a
 * --set or scenario_set_key() rather than left to its default or profile. */
bool scenario_key_is_set(const struct scenario *sc, const char *section_key);

/* The value of 'section_key' in 'sc->p' written as a scenario file would
 * hold it ("240 s" is written "240", enums by name, reserved ports as
 * "1080, 3000-3100") into 'buf'.  PS_EINVAL if the key is unknown. */
int scenario_key_format(const struct scenario *sc, const char *section_key, char *buf,
                        size_t size, struct err *e);

/* Apply one "section.key=value" to 'sc->p' ('where' names the source in
 * messages, e.g. "sweep.ini:12").  PS_EINVAL on an unknown key or a bad
 * value; call scenario_refresh() after the last one. */
int scenario_set_key(struct scenario *sc, const char *where, const char *section_key,
                     const char *value, struct err *e);

#endif /* PORTSIM_MODELS_SCENARIO_H */
