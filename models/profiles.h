/* profiles.h - the stack profiles: defaults for every stack.* key, and the
 * words a user of that system would see when connect() fails.
 *
 * Values and their sources: README.md ("Stack profiles") and
 * ../shared/reference/port-allocation-facts.md.  A scenario names a profile;
 * any stack.* key it sets overrides the profile's value.
 */
#ifndef PORTSIM_MODELS_PROFILES_H
#define PORTSIM_MODELS_PROFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "models/params.h"

struct profile {
    const char *name;               /* "win2000" */
    const char *systems;            /* "Windows 2000, XP" */
    struct stack_params defaults;   /* every stack.* key */
    const char *exhausted_error;    /* "WSAEADDRINUSE (10048)" */
    const char *exhausted_event;    /* "event 4231" or NULL */
    const char *collision_error;    /* "WSAEADDRINUSE (10048)" */
    const char *collision_event;    /* "event 4227" or NULL */
};

/* The profile 'id' (< PROFILE_COUNT); a constant owned by the library. */
const struct profile *profile_get(enum profile_id id);

/* What a user of 'pr' sees when connect() fails by exhaustion or, with
 * 'collision', by a TIME_WAIT collision: "WSAENOBUFS (10055), event 4231".
 * Written into 'buf' (truncated to 'size'), which is returned. */
const char *profile_error_words(const struct profile *pr, bool collision, char *buf,
                                size_t size);

#endif /* PORTSIM_MODELS_PROFILES_H */
