/* scenario_json.c - the canonical JSON back into a scenario (see scenario_json.h).
 *
 * How: each value is written back in its scenario-file spelling and handed
 * to scenario_set_key(), so that the one key table of scenario.c decides
 * what is valid, exactly as for a file or --set.  Strings go as they are,
 * integers in decimal, reals with 17 significant digits (a double's exact
 * round trip; durations are then rounded to the nearest ns, which gives back
 * the recorded ns), arrays (reserved ports) joined with ", ".  stack.profile
 * goes first: setting it re-applies the profile under the stack keys set so
 * far, and every later stack key then overrides it.
 *
 * The canonical JSON itself (scen_make_json) is written here by hand, not
 * by jansson, so that doubles take fmt_double()'s shortest round-trip form
 * ("0.05") and durations fmt_seconds()'s exact seconds ("3600", "0.05"):
 * sections and keys sorted, compact, every key but those marked KEY_NOHASH
 * (and those marked KEY_HASH_SET while 0: workload.pool_size).
 */
#include "models/scenario_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xxhash.h>

#include "models/scenario_int.h"
#include "sim/fmt.h"
#include "sim/xalloc.h"

#define WHERE "params JSON"

/* 'v' in scenario-file spelling into 'buf'; PS_EINVAL for objects, nulls
 * and booleans, which no key takes. */
static int spell(const char *section_key, json_t *v, char *buf, size_t size, struct err *e)
{
    size_t used = 0, i;
    json_t *item;

    switch (json_typeof(v)) {
    case JSON_STRING:
        snprintf(buf, size, "%s", json_string_value(v));
        return 0;
    case JSON_INTEGER:
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        return 0;
    case JSON_REAL:
        /* the shortest form, the text the writer wrote: "%.17g" would give
         * 42949672.960000001 for win7's clock wrap, 1 ns off */
        fmt_double(json_real_value(v), buf, size);
        return 0;
    case JSON_ARRAY:
        buf[0] = '\0';
        json_array_foreach(v, i, item) {
            int w;

            if (!json_is_string(item))
                break;
            w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         json_string_value(item));
            if (w < 0 || (size_t)w >= size - used)
                return err_set(e, PS_EINVAL, WHERE ": '%s' is too long", section_key);
            used += (size_t)w;
        }
        if (i == json_array_size(v))
            return 0;
        break;
    default:
        break;
    }
    return err_set(e, PS_EINVAL, WHERE ": '%s' must be a string, a number or an array of "
                   "port ranges", section_key);
}

static int set_one(struct scenario *sc, const char *section, const char *key, json_t *v,
                   struct err *e)
{
    char section_key[160], value[1024];
    int rc;

    snprintf(section_key, sizeof(section_key), "%s.%s", section, key);
    if ((rc = spell(section_key, v, value, sizeof(value), e)) != 0)
        return rc;
    return scenario_set_key(sc, WHERE, section_key, value, e);
}

int scenario_from_json(struct scenario *sc, const char *json, struct err *e)
{
    static const char *const sections[] = {"run", "stack", "workload", "nat", "fleet"};
    json_error_t jerr;
    json_t *root, *sec, *profile, *v;
    const char *name, *key;
    int rc;

    if (!(root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr)))
        return err_set(e, PS_EINVAL, WHERE ": %s (line %d, column %d)", jerr.text, jerr.line,
                       jerr.column);
    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(e, PS_EINVAL, WHERE ": must be an object of sections run, stack, "
                       "workload");
    }
    if ((rc = scenario_load(sc, NULL, NULL, 0, e)) != 0) {
        json_decref(root);
        return rc;
    }
    json_object_foreach(root, name, sec) {
        size_t i;

        for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
            if (strcmp(name, sections[i]) == 0)
                break;
        }
        if (i == sizeof(sections) / sizeof(sections[0]) || !json_is_object(sec)) {
            rc = err_set(e, PS_EINVAL, WHERE ": '%s' must be one of the objects run, stack, "
                         "workload, nat, fleet", name);
            goto out;
        }
    }
    sec = json_object_get(root, "stack");
    if (sec && (profile = json_object_get(sec, "profile")) != NULL &&
        (rc = set_one(sc, "stack", "profile", profile, e)) != 0)
        goto out;
    sec = json_object_get(root, "nat");         /* issue 12: nat.profile first too */
    if (sec && (profile = json_object_get(sec, "profile")) != NULL &&
        (rc = set_one(sc, "nat", "profile", profile, e)) != 0)
        goto out;
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (!(sec = json_object_get(root, sections[i])))
            continue;
        json_object_foreach(sec, key, v) {
            if ((i == 1 || i == 3) && strcmp(key, "profile") == 0)
                continue;
            if ((rc = set_one(sc, sections[i], key, v, e)) != 0)
                goto out;
        }
    }
    rc = scenario_refresh(sc, e);
out:
    json_decref(root);
    if (rc != 0)
        scenario_fini(sc);
    return rc;
}

/* ---- The canonical JSON of a scenario ---- */

struct jbuf {
    char *s;
    size_t n, cap;
};

static void jput(struct jbuf *b, const char *text)
{
    size_t len = strlen(text);

    b->s = xgrow(b->s, &b->cap, b->n + len + 1, 1);
    memcpy(b->s + b->n, text, len + 1);
    b->n += len;
}

static void jstr(struct jbuf *b, const char *text)
{
    json_t *j = json_string(text);
    char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

    if (!q) {
        fprintf(stderr, "portsim: out of memory (or not UTF-8) in the canonical JSON\n");
        abort();
    }
    jput(b, q);
    free(q);
    json_decref(j);
}

/* One value: strings and enums quoted, durations in exact seconds, doubles
 * in their shortest round-trip form, ports as ["lo-hi", ...]. */
static void jvalue(struct jbuf *b, const struct scenario_params *p, const struct key_def *k)
{
    char buf[700];

    if (k->type == KEY_PORTS) {
        jput(b, "[");
        for (uint32_t i = 0; i < p->stack.nreserved; i++) {
            snprintf(buf, sizeof(buf), "%u-%u", p->stack.reserved[i].lo,
                     p->stack.reserved[i].hi);
            jput(b, i ? "," : "");
            jstr(b, buf);
        }
        jput(b, "]");
        return;
    }
    keys_format(k, p, buf, sizeof(buf));      /* fmt_seconds, fmt_double, %lu, names */
    if ((k->type == KEY_DUR || k->type == KEY_U32 || k->type == KEY_U64 ||
         k->type == KEY_DBL) && !(k->flags & KEY_BYTES))
        jput(b, buf);
    else
        jstr(b, buf);
}

/* The value of 'k' is 0 (KEY_HASH_SET keys: left out of the JSON). */
static bool is_zero(const struct scenario_params *p, const struct key_def *k)
{
    char buf[64];

    keys_format(k, p, buf, sizeof(buf));
    return strcmp(buf, "0") == 0;
}

static int cmp_key_name(const void *a, const void *b)
{
    const struct key_def *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

void scen_make_json(struct scenario *sc)
{
    size_t n, m;
    const struct key_def *t = scen_keys(&n);
    const struct key_def *sorted[64];
    struct jbuf b = {NULL, 0, 0};
    XXH128_canonical_t c;
    XXH128_hash_t h;

    jput(&b, "{");
    for (size_t s = 0; s < KEYS_NSECTIONS; s++) {     /* run, stack, workload: sorted */
        if (!scen_section_in_json(&sc->p, keys_sections[s]))
            continue;
        m = 0;
        for (size_t i = 0; i < n && m < 64; i++) {
            if (strcmp(t[i].section, keys_sections[s]) == 0 && !(t[i].flags & KEY_NOHASH) &&
                !((t[i].flags & KEY_HASH_SET) && is_zero(&sc->p, &t[i])))
                sorted[m++] = &t[i];
        }
        qsort(sorted, m, sizeof(sorted[0]), cmp_key_name);
        jput(&b, s ? ",\"" : "\"");
        jput(&b, keys_sections[s]);
        jput(&b, "\":{");
        for (size_t i = 0; i < m; i++) {
            jput(&b, i ? ",\"" : "\"");
            jput(&b, sorted[i]->name);
            jput(&b, "\":");
            jvalue(&b, &sc->p, sorted[i]);
        }
        jput(&b, "}");
    }
    jput(&b, "}");
    free(sc->json);
    sc->json = b.s;
    h = XXH3_128bits(sc->json, strlen(sc->json));
    if (sc->ntrace > 0)         /* a trace's arrivals are parameters too */
        h = XXH3_128bits_withSeed(sc->trace, sc->ntrace * sizeof(*sc->trace), h.low64);
    XXH128_canonicalFromHash(&c, h);
    for (size_t i = 0; i < sizeof(c.digest); i++)
        snprintf(sc->hash + 2 * i, 3, "%02x", c.digest[i]);
}
