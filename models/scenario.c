/* scenario.c - read a scenario file and its bases, apply --set overrides,
 * validate and resolve (see scenario.h; the module's files: scenario_int.h).
 *
 * The INI file is read with libinih through models/inifile.c (messages name
 * FILE:LINE, an indented key is a key, unknown sections are caught at their
 * header).  A file may name a base scenario with 'base' as the first key of
 * [run], relative to the file: the base is read first (with its own bases,
 * to any depth), then the file's keys override its keys.  A cycle is
 * refused with a message naming the files.  Defaults of every key are the
 * key table's (models/keys.c, 'portsim keys').  Every problem of a file is
 * reported at once (models/inierrs.h: unknown sections and keys, bad
 * values, keys set twice, a syntax error), not only the first.
 * Cost: O(keys) per key set, O(trace) per trace load.
 */
#include "models/scenario_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/inierrs.h"
#include "models/inifile.h"
#include "sim/xalloc.h"

#define OFF(f) offsetof(struct scenario_params, f)
#define BASE_DEPTH_MAX 16

static int refresh(struct scenario *sc, const struct origin *org, struct err *e)
{
    int rc;

    scen_derive(sc);
    if ((rc = scen_validate(sc, org, e)) != 0)
        return rc;
    if (sc->p.workload.arrivals == ARRIVALS_TRACE) {
        if ((rc = scen_load_trace(sc, org, e)) != 0)
            return rc;
    } else {
        free(sc->trace);
        sc->trace = NULL;
        sc->ntrace = 0;
        sc->trace_loaded[0] = '\0';
    }
    scen_make_json(sc);
    return 0;
}

/* ---- Reading the INI file and its bases ---- */

struct reader {
    struct inifile ini;         /* the file and the line being handled */
    struct scenario *sc;
    struct origin *org;
    unsigned *seq;
    const char **chain;         /* the files being read: [0] the first, [depth] this one */
    int depth;
    bool seen_key;              /* a key before this line: 'base' comes too late */
    struct err err;             /* the problem of the line being handled */
    struct inierrs errs;        /* every problem of the file */
};

static int read_file(struct scenario *sc, const char **chain, int depth, struct origin *org,
                     unsigned *seq, struct err *e);

/* Record a problem: 'what' follows "FILE:LINE: ". */
static void reader_fail(struct reader *r, const char *what)
{
    struct err e;

    err_set(&e, PS_EINVAL, "%s:%lu: %s", r->ini.path, r->ini.lineno, what);
    inierrs_add(&r->errs, r->ini.lineno, PS_EINVAL, e.msg);
}

static void on_problem(void *user, const char *what)
{
    reader_fail(user, what);
}

static bool known_section(const char *name)
{
    for (size_t i = 0; i < KEYS_NSECTIONS; i++) {
        if (strcmp(keys_sections[i], name) == 0)
            return true;
    }
    return false;
}

static void on_section(void *user, const char *name)
{
    if (known_section(name))
        return;
    char what[300], secs[64];

    snprintf(what, sizeof(what), "unknown section '[%s]' (sections: %s)", name,
             keys_sections_text(false, secs, sizeof(secs)));
    reader_fail(user, what);
}

/* The directory of 'path' into 'dir' ("" for a bare file name). */
static void dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 0;

    if (slash && len == 0)
        len = 1;                /* "/x.ini": the root */
    if (len >= size)
        len = size - 1;
    memcpy(dir, path, len);
    dir[len] = '\0';
}

/* True if 'a' and 'b' name the same file. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* [run] base = FILE: read FILE (relative to this file) into the scenario. */
static int on_base(struct reader *r, const char *where, const char *value)
{
    char msg[ERR_MSG_MAX];
    char *path;
    size_t used;
    int rc;

    if (r->seen_key || value[0] == '\0') {
        err_set(&r->err, PS_EINVAL, "%s: 'run.base' must be %s (got '%s')", where,
                r->seen_key ? "the first key of the file" : "a scenario file", value);
        return PS_EINVAL;
    }
    path = inifile_relative_to(r->ini.path, value);
    for (int i = 0; i <= r->depth; i++) {
        if (!same_file(r->chain[i], path))
            continue;
        used = (size_t)snprintf(msg, sizeof(msg),
                                "%s: 'run.base' must not make a cycle (got '%s': ", where, value);
        for (int j = i; j <= r->depth && used < sizeof(msg); j++)
            used += (size_t)snprintf(msg + used, sizeof(msg) - used, "%s -> ", r->chain[j]);
        err_set(&r->err, PS_EINVAL, "%s%s)", msg, path);
        free(path);
        return PS_EINVAL;
    }
    if (r->depth + 1 >= BASE_DEPTH_MAX) {
        free(path);
        err_set(&r->err, PS_EINVAL, "%s: 'run.base' must nest at most %d files deep (got '%s')",
                where, BASE_DEPTH_MAX, value);
        return PS_EINVAL;
    }
    r->chain[r->depth + 1] = path;
    rc = read_file(r->sc, r->chain, r->depth + 1, r->org, r->seq, &r->err);
    if (rc == PS_EIO)
        err_prefix(&r->err, "%s: 'run.base'", where);
    free(path);
    return rc;
}

/* The key was set in this very file before (a base may set it too). */
static bool set_here(const struct reader *r, const char *where)
{
    size_t len = strlen(r->ini.path);

    return strncmp(where, r->ini.path, len) == 0 && where[len] == ':';
}

/* One key: 1, or 0 with the problem in r->err. */
static int take_key(struct reader *r, const char *section, const char *name, const char *value)
{
    char where[600], section_key[160];
    size_t n;
    const struct key_def *k, *t = scen_keys(&n);

    snprintf(where, sizeof(where), "%s:%lu", r->ini.path, r->ini.lineno);
    if (section[0] == '\0') {
        char secs[64];

        err_set(&r->err, PS_EINVAL, "%s: key '%s' outside any section (sections: %s)", where,
                name, keys_sections_text(true, secs, sizeof(secs)));
        return 0;
    }
    if (strcmp(section, "run") == 0 && strcmp(name, "base") == 0) {
        if (on_base(r, where, value) != 0)
            return 0;
    } else {
        snprintf(section_key, sizeof(section_key), "%s.%s", section, name);
        if ((k = keys_find(t, n, section, name)) != NULL && r->org[k - t].seq &&
            set_here(r, r->org[k - t].where)) {
            err_set(&r->err, PS_EINVAL, "%s: '%s' is set twice (first at %s)", where,
                    section_key, r->org[k - t].where);
            return 0;
        }
        if (scen_set_key(r->sc, where, section_key, value, r->org, ++*r->seq, &r->err) != 0)
            return 0;
        if (k && k->off == OFF(workload.trace_file))
            dir_of(r->ini.path, r->sc->base_dir, sizeof(r->sc->base_dir));
    }
    r->seen_key = true;
    return 1;
}

/* inih's handler: every key is tried, its problem recorded, and reading
 * goes on (returning 1: inih's own error line stays for syntax errors). */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct reader *r = user;

    if (section[0] && !known_section(section))
        return 1;               /* its header is reported: not each of its keys */
    err_clear(&r->err);
    if (take_key(r, section, name, value) == 0)
        inierrs_add(&r->errs, r->ini.lineno, r->err.code, r->err.msg);
    return 1;
}

static int read_file(struct scenario *sc, const char **chain, int depth, struct origin *org,
                     unsigned *seq, struct err *e)
{
    struct reader r;
    int rc, line;

    memset(&r, 0, sizeof(r));
    if ((rc = inifile_open(&r.ini, chain[depth], e)) != 0)
        return rc;
    r.ini.on_section = on_section;
    r.ini.on_problem = on_problem;
    r.ini.user = &r;
    r.sc = sc;
    r.org = org;
    r.seq = seq;
    r.chain = chain;
    r.depth = depth;
    err_clear(&r.err);
    line = inifile_parse(&r.ini, on_key, &r);
    if (line > 0) {                     /* neither a key nor a section */
        struct err syn;

        inifile_syntax_error(&r.ini, line, &syn);
        inierrs_add(&r.errs, (unsigned long)line, PS_EINVAL, syn.msg);
    }
    rc = inierrs_result(&r.errs, e);
    inifile_fini(&r.ini);
    return rc;
}

/* ---- Public functions ---- */

static int apply_sets(struct scenario *sc, const char *const *sets, size_t nsets,
                      struct origin *org, unsigned *seq, struct err *e)
{
    for (size_t i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        char section_key[160];
        size_t len;
        int rc;

        if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof(section_key))
            return err_set(e, PS_EINVAL, "--set '%s': must be section.key=value", sets[i]);
        len = (size_t)(eq - sets[i]);
        memcpy(section_key, sets[i], len);
        section_key[len] = '\0';
        while (len > 0 && (section_key[len - 1] == ' ' || section_key[len - 1] == '\t'))
            section_key[--len] = '\0';      /* "key = value" */
        if ((rc = scen_set_key(sc, "--set", section_key, eq + 1, org, ++*seq, e)) != 0)
            return rc;
    }
    return 0;
}

int scenario_load(struct scenario *sc, const char *path, const char *const *sets,
                  size_t nsets, struct err *e)
{
    size_t nkeys;
    struct origin *org = xcalloc((scen_keys(&nkeys), nkeys), sizeof(*org));
    const char *chain[BASE_DEPTH_MAX];
    unsigned seq = 0;
    int rc = 0;

    scen_defaults(sc, path);
    if (path) {
        dir_of(path, sc->base_dir, sizeof(sc->base_dir));
        chain[0] = path;
        if ((rc = read_file(sc, chain, 0, org, &seq, e)) != 0)
            goto out;
    }
    if ((rc = apply_sets(sc, sets, nsets, org, &seq, e)) != 0)
        goto out;
    rc = refresh(sc, org, e);
out:
    free(org);
    if (rc != 0)
        scenario_fini(sc);
    return rc;
}

int scenario_refresh(struct scenario *sc, struct err *e)
{
    return refresh(sc, NULL, e);
}

void scenario_copy(struct scenario *dst, const struct scenario *src)
{
    *dst = *src;
    dst->json = src->json ? xstrdup(src->json) : NULL;
    dst->trace = NULL;
    if (src->ntrace > 0) {
        dst->trace = xmalloc(src->ntrace * sizeof(*dst->trace));
        memcpy(dst->trace, src->trace, src->ntrace * sizeof(*dst->trace));
    }
}

void scenario_fini(struct scenario *sc)
{
    free(sc->trace);
    free(sc->json);
    sc->trace = NULL;
    sc->ntrace = 0;
    sc->json = NULL;
    sc->trace_loaded[0] = '\0';
}

int scenario_set_key(struct scenario *sc, const char *where, const char *section_key,
                     const char *value, struct err *e)
{
    return scen_set_key(sc, where, section_key, value, NULL, 0, e);
}

/* 'section_key' split and found; NULL if it names no key. */
static const struct key_def *lookup(const char *section_key, size_t *idx)
{
    const char *dot = strchr(section_key, '.');
    char section[64];
    size_t n;
    const struct key_def *t = scen_keys(&n), *k;

    if (!dot || (size_t)(dot - section_key) >= sizeof(section))
        return NULL;
    memcpy(section, section_key, (size_t)(dot - section_key));
    section[dot - section_key] = '\0';
    if (!(k = keys_find(t, n, section, dot + 1)) || (k->flags & KEY_NOFIELD))
        return NULL;
    *idx = (size_t)(k - t);
    return k;
}

bool scenario_key_is_set(const struct scenario *sc, const char *section_key)
{
    size_t idx;

    return lookup(section_key, &idx) && scen_is_set(sc, idx);
}

int scenario_key_format(const struct scenario *sc, const char *section_key, char *buf,
                        size_t size, struct err *e)
{
    const char *dot = strchr(section_key, '.');
    const struct key_def *k;
    size_t idx;
    char section[64];

    if (!dot || (size_t)(dot - section_key) >= sizeof(section))
        return err_set(e, PS_EINVAL, "unknown key '%s', expected section.key", section_key);
    if (!(k = lookup(section_key, &idx))) {
        memcpy(section, section_key, (size_t)(dot - section_key));
        section[dot - section_key] = '\0';
        return scen_unknown_key(e, NULL, section, dot + 1);
    }
    keys_format(k, &sc->p, buf, size);
    return 0;
}
