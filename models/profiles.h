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
#include <stdint.h>

#include "models/params.h"

/* How a profile's max_time_wait follows other keys (issue 11). */
enum profile_cap_rule {
    PROFILE_CAP_FIXED,              /* the profile's value as it stands */
    PROFILE_CAP_LINUX_EHASH,        /* from stack.memory, as Linux sizes it */
    PROFILE_CAP_FREEBSD_HALF_RANGE  /* from the port range: tcptw_auto_size() */
};

struct profile {
    const char *name;               /* "win2000" */
    const char *systems;            /* "Windows 2000, XP" */
    struct stack_params defaults;   /* every stack.* key */
    const char *exhausted_error;    /* "WSAEADDRINUSE (10048)" */
    const char *exhausted_event;    /* "event 4231" or NULL */
    const char *collision_error;    /* "WSAEADDRINUSE (10048)" */
    const char *collision_event;    /* "event 4227" or NULL */
    enum profile_cap_rule cap_rule; /* issue 11: how max_time_wait is derived */
    const char *overflow_words;     /* what the system calls a TIME_WAIT overflow */
};

/* The profile 'id' (< PROFILE_COUNT); a constant owned by the library. */
const struct profile *profile_get(enum profile_id id);

/* What a user of 'pr' sees when connect() fails by exhaustion or, with
 * 'collision', by a TIME_WAIT collision: "WSAENOBUFS (10055), event 4231".
 * Written into 'buf' (truncated to 'size'), which is returned. */
const char *profile_error_words(const struct profile *pr, bool collision, char *buf,
                                size_t size);

/* Issue 11: the kernels' own sizing (profiles.c says which source lines).
 * Linux tcp_max_tw_buckets for 'memory_bytes' of RAM; FreeBSD maxtcptw for
 * the range 'first'..'last'; the TIME_WAIT timer's granularity on Linux's
 * timer wheel at 'hz' (0 if 'hz' is 0). */
uint32_t profile_linux_tw_buckets(uint64_t memory_bytes);
uint32_t profile_freebsd_maxtcptw(uint32_t first, uint32_t last);
simtime profile_linux_timer_tick(simtime time_wait_ns, uint32_t hz);

/* The derived values of 'p' (profile p->profile): max_time_wait unless
 * 'cap_set' (set explicitly), timer_tick from hz unless 'tick_set'. */
void profile_derive(struct stack_params *p, bool cap_set, bool tick_set);

#endif /* PORTSIM_MODELS_PROFILES_H */
