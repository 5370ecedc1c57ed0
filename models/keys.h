/* keys.h - the tables of keys: every key of a scenario file and of a sweep
 * file, described once.
 *
 * A key's entry carries its section, name, type, unit, range and the words
 * that say what is allowed, its default (the text a file would hold, or a
 * note such as "from the profile"), one line of help, and where its value
 * lives in the struct the table describes (struct scenario_params for the
 * scenario table, struct sweep_keys for the sweep table).  Parsing, range
 * checks, defaults, messages, the canonical JSON, the section list and
 * 'portsim keys' all walk these tables; nothing else spells a key.
 *
 * Invariant: keys_parse() stores a value only if it is in range, so a
 * struct filled only through it holds no out-of-range value.  Cost: O(keys)
 * per lookup (about 40 keys), O(length) per parse.
 */
#ifndef PORTSIM_MODELS_KEYS_H
#define PORTSIM_MODELS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/names.h"
#include "models/params.h"

enum key_type {
    KEY_NAME,       /* char[size]: 1.. printable characters */
    KEY_RNG,        /* char[size]: a GSL generator name */
    KEY_PATH,       /* char[size]: a file name, may be empty */
    KEY_DUR,        /* simtime (ns): 'lo'..'hi' ns */
    KEY_U32,        /* uint32_t: 'lo'..'hi' */
    KEY_U64,        /* uint64_t: 'lo'..'hi' */
    KEY_DBL,        /* double: 'dlo'..'dhi' */
    KEY_ENUM,       /* an enum (int-sized), by the words of 'names' */
    KEY_PORTS       /* struct port_range[PARAMS_RESERVED_MAX] at 'off', count at 'off_n' */
};

#define KEY_ZERO_OR 1u      /* 0 is allowed besides 'lo'..'hi' */
#define KEY_GT 2u           /* double: strictly greater than 'dlo' */
#define KEY_NOHASH 4u       /* not in the canonical JSON */
#define KEY_PROFILE 8u      /* default: the stack profile's value */
#define KEY_NOFIELD 16u     /* no field: handled by the reader (run.base) */
#define KEY_BYTES 32u       /* U64: a size, "8GiB" or bytes (issue 11) */
#define KEY_HASH_SET 64u    /* in the canonical JSON only when not 0: a key added
                               later keeps the hashes of runs that leave it at 0 */

struct key_def {
    const char *section;
    const char *name;
    enum key_type type;
    size_t off;                 /* offset of the field */
    size_t off_n;               /* KEY_PORTS: offset of the count (uint32_t) */
    size_t size;                /* KEY_NAME, KEY_RNG, KEY_PATH: size of the char array */
    const struct names *names;  /* KEY_ENUM */
    uint64_t lo, hi;            /* KEY_DUR (ns), KEY_U32, KEY_U64 */
    double dlo, dhi;            /* KEY_DBL */
    unsigned flags;
    const char *allowed;        /* "must be <allowed>"; NULL for KEY_ENUM (its words) */
    const char *unit;           /* "s", "requests/s", "" */
    const char *def;            /* default, as a file would write it; NULL: see 'def_note' */
    const char *def_note;       /* the default in words when 'def' is NULL */
    const char *help;           /* one line */
};

/* The values of the [sweep] section (plain data; see models/sweep.h). */
struct sweep_keys {
    char name[PARAMS_NAME_MAX];
    char scenario[PARAMS_PATH_MAX];
    uint32_t replications;
    uint64_t seed;
};

/* The tables: every key of a scenario file, in the order of 'sections';
 * the [sweep] keys of a sweep file. */
const struct key_def *keys_scenario(size_t *n);
const struct key_def *keys_sweep(size_t *n);

/* The sections of a scenario file, "run, stack, workload, nat, fleet". */
#define KEYS_NSECTIONS 5
extern const char *const keys_sections[KEYS_NSECTIONS];

/* "run, stack, workload" ('brackets': "[run], [stack], [workload]") into
 * 'buf', for messages. */
const char *keys_sections_text(bool brackets, char *buf, size_t size);

/* The entry of 'section'.'name' in 'table' of 'n' keys, or NULL. */
const struct key_def *keys_find(const struct key_def *table, size_t n, const char *section,
                                const char *name);

/* "did you mean": the key of 'table' nearest to 'section'.'name' by edit
 * distance over the whole "section.key" (sim/suggest.h), written into 'buf'
 * as "section.key"; NULL when none is near. */
const char *keys_suggest(const struct key_def *table, size_t n, const char *section,
                         const char *name, char *buf, size_t size);

/* The words after "must be" for 'k' (enums: "one of a, b or c"); with
 * 'form' (the text was not even a duration) durations add the units. */
const char *keys_allowed(const struct key_def *k, bool form, char *buf, size_t size);

/* The type of 'k' in words: "duration", "whole number", "number", "word"... */
const char *keys_type_name(const struct key_def *k);

#define KEYS_EFORM 1        /* not a value of the key's type */
#define KEYS_ERANGE 2       /* a value of the type, out of the key's range */

/* Parse 'value' (no leading or trailing blanks) for 'k' into the struct at
 * 'base'; check the key's own range.  0, KEYS_EFORM or KEYS_ERANGE with
 * nothing stored. */
int keys_parse(const struct key_def *k, const char *value, void *base);

/* Check the range of the value 'k' holds in 'base': true if allowed. */
bool keys_in_range(const struct key_def *k, const void *base);

/* The value 'k' holds in 'base' as a file would write it ("240", "win7",
 * "1080, 3000-3100", doubles in the shortest round-trip form). */
void keys_format(const struct key_def *k, const void *base, char *buf, size_t size);

/* "a, b, c": the names of the keys of 'section' in 'table'. */
const char *keys_list(const struct key_def *table, size_t n, const char *section, char *buf,
                      size_t size);

#endif /* PORTSIM_MODELS_KEYS_H */
