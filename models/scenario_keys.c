/* scenario_keys.c - defaults, one key set, and the messages that name a key
 * (see scenario_int.h).
 *
 * Defaults come from the key table (models/keys.c): each key's default text
 * is parsed like a value, then the profile's stack values fill the keys
 * marked "from the profile".  Setting stack.profile re-applies the profile
 * under every stack key set explicitly ('set_mask'), whatever the order.
 * Cost: O(keys) per set.
 */
#include "models/scenario_int.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "models/natprofiles.h"
#include "models/profiles.h"
#include "sim/utf8.h"

#define OFF(f) offsetof(struct scenario_params, f)

const struct key_def *scen_keys(size_t *n)
{
    return keys_scenario(n);
}

static bool is_section(const char *s)
{
    for (size_t i = 0; i < KEYS_NSECTIONS; i++) {
        if (strcmp(keys_sections[i], s) == 0)
            return true;
    }
    return false;
}

static bool is_set_opt(const char *where)
{
    return where && strncmp(where, "--set", 5) == 0;
}

const char *scen_subject(const char *where, const struct key_def *k, char *buf, size_t size)
{
    if (!where)
        snprintf(buf, size, "'%s.%s'", k->section, k->name);
    else if (is_set_opt(where))
        snprintf(buf, size, "%s %s.%s:", where, k->section, k->name);
    else
        snprintf(buf, size, "%s: '%s.%s'", where, k->section, k->name);
    return buf;
}

int scen_bad_value(struct err *e, const char *where, const struct key_def *k, const char *what,
                   const char *value)
{
    char subj[700];

    return err_set(e, PS_EINVAL, "%s must be %s (got '%s')",
                   scen_subject(where, k, subj, sizeof(subj)), what, value);
}

int scen_unknown_key(struct err *e, const char *where, const char *section, const char *key)
{
    char list[512], near[80], hint[112] = "";
    size_t n;
    const struct key_def *t = scen_keys(&n);

    char secs[64];

    if (keys_suggest(t, n, section, key, near, sizeof(near)))
        snprintf(hint, sizeof(hint), "did you mean '%s'? ", near);
    keys_sections_text(false, secs, sizeof(secs));
    if (!is_section(section)) {
        if (is_set_opt(where))
            return err_set(e, PS_EINVAL, "%s %s.%s: unknown section '%s' (%ssections: %s)",
                           where, section, key, section, hint, secs);
        return err_set(e, PS_EINVAL, "%s%sunknown section '%s' (%ssections: %s)",
                       where ? where : "", where ? ": " : "", section, hint, secs);
    }
    keys_list(t, n, section, list, sizeof(list));
    if (is_set_opt(where))
        return err_set(e, PS_EINVAL, "%s %s.%s: unknown key (%s%s keys: %s)", where, section,
                       key, hint, section, list);
    return err_set(e, PS_EINVAL, "%s%sunknown key '%s.%s' (%s%s keys: %s)", where ? where : "",
                   where ? ": " : "", section, key, hint, section, list);
}

static size_t field_size(const struct key_def *k)
{
    switch (k->type) {
    case KEY_DUR:
    case KEY_U64: return sizeof(uint64_t);
    case KEY_U32: return sizeof(uint32_t);
    case KEY_DBL: return sizeof(double);
    case KEY_ENUM: return sizeof(int);
    default: return k->size;
    }
}

/* The profile 'id' under every stack key set explicitly. */
static void apply_profile(struct scenario *sc, enum profile_id id)
{
    struct scenario_params tmp = sc->p;
    size_t n;
    const struct key_def *t = scen_keys(&n);

    tmp.stack = profile_get(id)->defaults;
    tmp.stack.profile = id;
    for (size_t i = 0; i < n; i++) {
        const struct key_def *k = &t[i];

        if (strcmp(k->section, "stack") != 0 || !scen_is_set(sc, i) ||
            k->off == OFF(stack.profile))
            continue;
        if (k->type == KEY_PORTS) {
            tmp.stack.nreserved = sc->p.stack.nreserved;
            memcpy(tmp.stack.reserved, sc->p.stack.reserved, sizeof(tmp.stack.reserved));
        } else {
            memcpy((char *)&tmp + k->off, (const char *)&sc->p + k->off, field_size(k));
        }
    }
    sc->p.stack = tmp.stack;
}

void scen_derive(struct scenario *sc)
{
    profile_derive(&sc->p.stack, scenario_key_is_set(sc, "stack.max_time_wait"),
                   scenario_key_is_set(sc, "stack.timer_tick"));
}

/* ---- [nat] (issue 12) ---- */

/* NAT profile 'id' under every nat key set explicitly; nat.syn_retries
 * follows stack.profile unless set.  'none' takes linux-conntrack's values
 * (unused, in range) with the profile 'none'. */
static void apply_nat_profile(struct scenario *sc, enum nat_profile_id id)
{
    struct scenario_params tmp = sc->p;
    size_t n;
    const struct key_def *t = scen_keys(&n);

    tmp.nat = natprofile_get(id == NAT_PROFILE_NONE ? NAT_PROFILE_LINUX_CONNTRACK : id)->defaults;
    tmp.nat.profile = id;
    tmp.nat.syn_retries = natprofile_syn_retries(sc->p.stack.profile);
    for (size_t i = 0; i < n; i++) {
        const struct key_def *k = &t[i];

        if (strcmp(k->section, "nat") != 0 || !scen_is_set(sc, i) ||
            k->off == OFF(nat.profile))
            continue;
        memcpy((char *)&tmp + k->off, (const char *)&sc->p + k->off, field_size(k));
    }
    sc->p.nat = tmp.nat;
}

void scen_defaults(struct scenario *sc, const char *path)
{
    struct scenario_params *p = &sc->p;
    size_t n, len;
    const struct key_def *t = scen_keys(&n);
    const char *base;

    memset(sc, 0, sizeof(*sc));
    for (size_t i = 0; i < n; i++) {
        int rc = t[i].def ? keys_parse(&t[i], t[i].def, p) : 0;

        assert(rc == 0);        /* a default out of range is a bug of the table */
        (void)rc;
    }
    apply_profile(sc, p->stack.profile);
    apply_nat_profile(sc, p->nat.profile);
    snprintf(p->run.name, sizeof(p->run.name), "scenario");
    if (!path)
        return;
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
        len -= 4;
    if (len > 0) {
        if (len >= sizeof(p->run.name))
            len = sizeof(p->run.name) - 1;
        memcpy(p->run.name, base, len);
        p->run.name[len] = '\0';
    }
}

/* Parse 'value' (trimmed) for 'k' into 'sc->p'. */
static int set_value(struct scenario *sc, const struct key_def *k, size_t idx,
                     const char *where, const char *value, struct err *e)
{
    char what[400];
    int rc = keys_parse(k, value, &sc->p);

    if (rc != 0)
        return scen_bad_value(e, where, k, keys_allowed(k, rc == KEYS_EFORM, what,
                                                         sizeof(what)), value);
    scen_mark_set(sc, idx);
    if (k->off == OFF(stack.profile))
        apply_profile(sc, sc->p.stack.profile);
    if (k->off == OFF(stack.profile) || k->off == OFF(nat.profile))
        apply_nat_profile(sc, sc->p.nat.profile);
    return 0;
}

int scen_set_key(struct scenario *sc, const char *where, const char *section_key,
                 const char *value, struct origin *org, unsigned seq, struct err *e)
{
    char section[64], key[64], val[1024];
    const char *dot = strchr(section_key, '.');
    const struct key_def *k, *t;
    size_t n, idx, len, bad;
    int rc;

    if (!dot || (size_t)(dot - section_key) >= sizeof(section) ||
        strlen(dot + 1) >= sizeof(key)) {
        char secs[64];

        keys_sections_text(false, secs, sizeof(secs));
        if (is_set_opt(where))
            return err_set(e, PS_EINVAL, "%s %s: unknown key, expected section.key "
                           "(sections: %s)", where, section_key, secs);
        return err_set(e, PS_EINVAL, "%s%sunknown key '%s', expected section.key "
                       "(sections: %s)", where ? where : "", where ? ": " : "", section_key,
                       secs);
    }
    memcpy(section, section_key, (size_t)(dot - section_key));
    section[dot - section_key] = '\0';
    strcpy(key, dot + 1);
    t = scen_keys(&n);
    if (!(k = keys_find(t, n, section, key)))
        return scen_unknown_key(e, where, section, key);
    if (k->flags & KEY_NOFIELD)     /* run.base: read by scenario.c's file reader */
        return scen_bad_value(e, where, k, "the first key of a scenario file", value);
    idx = (size_t)(k - t);
    while (isspace((unsigned char)*value))      /* inih already trims for files */
        value++;
    len = strlen(value);
    while (len > 0 && isspace((unsigned char)value[len - 1]))
        len--;
    if (len >= sizeof(val))
        len = sizeof(val) - 1;
    memcpy(val, value, len);
    val[len] = '\0';
    if (!utf8_valid(val, len, &bad)) {
        char what[80];

        snprintf(what, sizeof(what), "UTF-8 text (byte 0x%02X at column %zu is not)",
                 (unsigned)(unsigned char)val[bad], bad + 1);
        return scen_bad_value(e, where, k, what, val);
    }
    if ((rc = set_value(sc, k, idx, where, val, e)) != 0)
        return rc;
    if (org) {
        snprintf(org[idx].where, sizeof(org[idx].where), "%s", where ? where : "");
        org[idx].seq = seq;
    }
    return 0;
}
