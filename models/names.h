/* names.h - the words of the scenario language for every enumerated value.
 *
 * One table per enum, shared by the scenario reader, the canonical JSON,
 * `portsim profiles` and the reports, so that a value is spelt one way
 * everywhere ("double-hash", "per-destination", "when-exhausted").
 */
#ifndef PORTSIM_MODELS_NAMES_H
#define PORTSIM_MODELS_NAMES_H

#include "models/params.h"

/* A NULL-terminated list of the names of one enum, indexed by value. */
struct names {
    const char *const *list;
    unsigned count;
};

extern const struct names names_profile;
extern const struct names names_allocator;
extern const struct names names_sharing;
extern const struct names names_pool;
extern const struct names names_reuse;
extern const struct names names_collision;
extern const struct names names_tw_overflow;
extern const struct names names_arrivals;
extern const struct names names_popularity;
extern const struct names names_service_dist;
extern const struct names names_close;
extern const struct names names_bind;
extern const struct names names_balance;
extern const struct names names_yesno;
extern const struct names names_nat_profile;     /* issue 12 */

/* The name of 'value', or "?" if out of range. */
const char *names_of(const struct names *n, unsigned value);

/* Find 'word'; 0 and '*value' set, or PS_EINVAL. */
int names_find(const struct names *n, const char *word, unsigned *value);

/* "a, b or c" into 'buf', for messages that say what is allowed. */
const char *names_allowed(const struct names *n, char *buf, unsigned size);

#endif /* PORTSIM_MODELS_NAMES_H */
