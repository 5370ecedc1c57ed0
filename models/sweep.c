/* sweep.c - reading and expanding sweep files (see sweep.h for the format
 * and the expansion order).
 *
 * Reading: the file is read into memory and handed to inih line by line
 * through our own reader (as scenario.c does), so that every message knows
 * its line and a section header is checked where it stands (an empty
 * [remedy NAME] section, which inih never reports, is registered there).
 * Nothing is applied while reading: remedy keys and varied values are kept
 * as text with their line, then applied to copies of the base scenario by
 * scenario_set_key() with where = "FILE:LINE", so that a bad key or value
 * gets exactly the message 'portsim run' would give.
 *
 * Invariant after sweep_load(): every (remedy, point) scenario is resolved
 * and validated, and no two of them have the same parameters hash (two
 * would otherwise share their runs in the database).  Cost: O(remedies x
 * points) scenario copies and refreshes, once.
 */
#include "models/sweep.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "models/inierrs.h"
#include "models/inifile.h"
#include "models/keys.h"
#include "sim/numparse.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

#define WHERE_MAX 600           /* "FILE:LINE" */
#define SWEEP_KEYS_MAX 16       /* room for the sweep key table (asserted) */

/* ---- Small helpers ---- */

static char *trimmed_dup(const char *s, size_t len)
{
    char *out;

    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    out = xmalloc(len + 1);
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static void free_values(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A whole decimal number in [lo, hi] (sim/numparse.h's rules). */
static bool parse_whole(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v;

    if (numparse_u64(text, &v) != 0 || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* A number at the start of 's' after blanks (sim/numparse.h's rules);
 * '*end' after it. */
static bool parse_number(const char *s, double *out, const char **end)
{
    size_t n;

    while (isspace((unsigned char)*s))
        s++;
    if (numparse_double_prefix(s, out, &n) != 0)
        return false;
    *end = s + n;
    return true;
}

static char *fmt_number(double v)
{
    char buf[64];

    if (v == 0)
        v = 0;                  /* no "-0" */
    snprintf(buf, sizeof(buf), "%.15g", v);
    return xstrdup(buf);
}

/* ---- Values of a varied key ---- */

static int bad_values(const char *where, const char *key, const char *text, struct err *e)
{
    return err_set(e, PS_EINVAL, "%s: '%s' must be a list 'v1, v2, ...', a range 'A..B step S' "
                   "(S > 0) or 'A..B xF' (F > 1, A > 0), with A <= B and at most %d values "
                   "(got '%s')", where, key, SWEEP_VALUES_MAX, text);
}

static int parse_range(const char *where, const char *key, const char *text, const char *dots,
                       char ***values, size_t *n, struct err *e)
{
    double a, b, step = 0, factor = 0;
    const char *p, *end;
    char head[64];
    size_t count;
    char **v;

    if ((size_t)(dots - text) >= sizeof(head))
        return bad_values(where, key, text, e);
    memcpy(head, text, (size_t)(dots - text));
    head[dots - text] = '\0';
    if (!parse_number(head, &a, &end) || (*end != '\0' && !isspace((unsigned char)*end)))
        return bad_values(where, key, text, e);
    for (p = end; isspace((unsigned char)*p); p++)
        ;
    if (*p != '\0' || !parse_number(dots + 2, &b, &end))
        return bad_values(where, key, text, e);
    for (p = end; isspace((unsigned char)*p); p++)
        ;
    if (strncmp(p, "step", 4) == 0 && isspace((unsigned char)p[4])) {
        if (!parse_number(p + 5, &step, &end) || step <= 0)
            return bad_values(where, key, text, e);
    } else if (*p == 'x') {
        if (!parse_number(p + 1, &factor, &end) || factor <= 1 || a <= 0)
            return bad_values(where, key, text, e);
    } else {
        return bad_values(where, key, text, e);
    }
    for (p = end; isspace((unsigned char)*p); p++)
        ;
    if (*p != '\0' || a > b)
        return bad_values(where, key, text, e);
    /* Count first, with a relative tolerance so that 0.1..0.3 step 0.1 and
     * 5..80 x2 reach their end despite rounding. */
    if (step > 0) {
        double k = floor((b - a) / step * (1 + 1e-12) + 1e-9);
        if (k + 1 > SWEEP_VALUES_MAX)
            return bad_values(where, key, text, e);
        count = (size_t)k + 1;
    } else {
        double x = a;
        count = 0;
        while (x <= b * (1 + 1e-12)) {
            if (++count > SWEEP_VALUES_MAX)
                return bad_values(where, key, text, e);
            x *= factor;
        }
    }
    v = xcalloc(count, sizeof(*v));
    for (size_t i = 0; i < count; i++)
        v[i] = fmt_number(step > 0 ? a + (double)i * step : a * pow(factor, (double)i));
    *values = v;
    *n = count;
    return 0;
}

int sweep_parse_values(const char *where, const char *key, const char *text, char ***values,
                       size_t *n, struct err *e)
{
    const char *dots = strstr(text, "..");
    const char *s = text;
    char **v = NULL;
    size_t nv = 0, cap = 0;

    *values = NULL;
    *n = 0;
    if (dots)
        return parse_range(where, key, text, dots, values, n, e);
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char *item = trimmed_dup(s, len);

        if (item[0] == '\0' || nv >= SWEEP_VALUES_MAX) {
            int rc = item[0] == '\0' && nv == 0 && !comma
                         ? err_set(e, PS_EINVAL, "%s: '%s' must list at least one value "
                                   "(got '%s')", where, key, text)
                         : bad_values(where, key, text, e);
            free(item);
            free_values(v, nv);
            return rc;
        }
        v = xgrow(v, &cap, nv + 1, sizeof(*v));
        v[nv++] = item;
        if (!comma)
            break;
        s = comma + 1;
    }
    *values = v;
    *n = nv;
    return 0;
}

int sweep_parse_shard(const char *text, uint32_t *k, uint32_t *n, struct err *e)
{
    const char *slash = strchr(text, '/');
    char head[32];
    uint64_t kk, nn;

    if (!slash || (size_t)(slash - text) >= sizeof(head))
        goto bad;
    memcpy(head, text, (size_t)(slash - text));
    head[slash - text] = '\0';
    if (!parse_whole(head, 1, 100000, &kk) || !parse_whole(slash + 1, 1, 100000, &nn) || kk > nn)
        goto bad;
    *k = (uint32_t)kk;
    *n = (uint32_t)nn;
    return 0;
bad:
    return err_set(e, PS_EINVAL, "'--shard' must be K/N with 1 <= K <= N <= 100000 (got '%s')",
                   text);
}

/* ---- Reading the file ---- */

enum section_kind { SEC_NONE, SEC_SWEEP, SEC_REMEDY, SEC_VARY, SEC_BAD };

struct reader {
    struct sweep *sw;
    struct inifile ini;         /* the file and the line being handled */
    enum section_kind kind;     /* section of the current line */
    struct sweep_keys vals;     /* the [sweep] keys, through the key table */
    bool has_scenario, has_seed, has_reps, has_name;
    unsigned long scenario_line;
    unsigned long sweep_key_line[SWEEP_KEYS_MAX];   /* [k]: line of sweep key k, 0 if unset */
    struct inierrs errs;        /* every problem of the file (models/inierrs.h) */
};

static void fail(struct reader *r, struct err *e)
{
    inierrs_add(&r->errs, r->ini.lineno ? r->ini.lineno : 1, e->code, e->msg);
}

static void failf(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failf(struct reader *r, const char *fmt, ...)
{
    struct err e;
    char msg[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err_set(&e, PS_EINVAL, "%s:%lu: %s", r->sw->path, r->ini.lineno, msg);
    fail(r, &e);
}

/* A section header "[...]" seen by our reader, 'name' without brackets. */
static void on_section(void *user, const char *name)
{
    struct reader *r = user;
    struct sweep *sw = r->sw;

    if (strcmp(name, "sweep") == 0) {
        r->kind = SEC_SWEEP;
    } else if (strcmp(name, "vary") == 0) {
        r->kind = SEC_VARY;
    } else if (strncmp(name, "remedy", 6) == 0 && isspace((unsigned char)name[6])) {
        char *rname = trimmed_dup(name + 7, strlen(name + 7));
        bool ok = rname[0] != '\0';

        for (const char *c = rname; *c && ok; c++)
            ok = isgraph((unsigned char)*c) && *c != '"' && *c != '\\';
        if (!ok) {
            failf(r, "remedy name must be printable, without blanks or quotes (got '%s')",
                  name + 7);
            free(rname);
            r->kind = SEC_BAD;
            return;
        }
        for (size_t i = 0; i < sw->nremedies; i++) {
            if (strcmp(sw->remedies[i].name, rname) == 0) {
                failf(r, "remedy '%s' is defined twice (first at line %lu)", rname,
                      sw->remedies[i].line);
                free(rname);
                r->kind = SEC_BAD;
                return;
            }
        }
        sw->remedies = xrealloc(sw->remedies, (sw->nremedies + 1) * sizeof(*sw->remedies));
        memset(&sw->remedies[sw->nremedies], 0, sizeof(*sw->remedies));
        sw->remedies[sw->nremedies].name = rname;
        sw->remedies[sw->nremedies].line = r->ini.lineno;
        sw->nremedies++;
        r->kind = SEC_REMEDY;
    } else {
        failf(r, "unknown section '[%s]' (sections: [sweep], [remedy NAME], [vary])", name);
        r->kind = SEC_BAD;
    }
}

static void on_problem(void *user, const char *what)
{
    failf(user, "%s", what);
}

/* A [sweep] key, parsed and checked by the sweep key table (models/keys.c). */
static void on_sweep_key(struct reader *r, const char *name, const char *value)
{
    size_t n;
    const struct key_def *t = keys_sweep(&n), *k = keys_find(t, n, "sweep", name);
    char list[200], what[300], near[80];
    int rc;

    if (!k) {
        const char *sugg = keys_suggest(t, n, "sweep", name, near, sizeof(near));

        failf(r, "unknown key 'sweep.%s' (%s%s%ssweep keys: %s)", name,
              sugg ? "did you mean '" : "", sugg ? sugg : "", sugg ? "'? " : "",
              keys_list(t, n, "sweep", list, sizeof(list)));
        return;
    }
    assert(n <= SWEEP_KEYS_MAX);
    if (r->sweep_key_line[k - t]) {
        failf(r, "'sweep.%s' is set twice (first at line %lu)", name, r->sweep_key_line[k - t]);
        return;
    }
    r->sweep_key_line[k - t] = r->ini.lineno;
    if (k->type == KEY_PATH && value[0] == '\0')
        rc = KEYS_EFORM;        /* sweep.scenario: a file, never empty */
    else
        rc = keys_parse(k, value, &r->vals);
    if (rc != 0) {
        failf(r, "'sweep.%s' must be %s (got '%s')", name,
              keys_allowed(k, rc == KEYS_EFORM, what, sizeof(what)), value);
        return;
    }
    if (strcmp(name, "scenario") == 0) {
        r->has_scenario = true;
        r->scenario_line = r->ini.lineno;
    }
    r->has_name |= strcmp(name, "name") == 0;
    r->has_seed |= strcmp(name, "seed") == 0;
    r->has_reps |= strcmp(name, "replications") == 0;
}

/* run.seed and run.replications belong to the sweep, not to a point. */
static bool reserved_key(struct reader *r, const char *name)
{
    if (strcmp(name, "run.seed") == 0 || strcmp(name, "run.replications") == 0) {
        failf(r, "'%s' cannot be set by a remedy or [vary] (set 'seed' and 'replications' in "
              "[sweep])", name);
        return true;
    }
    return false;
}

static void on_vary_key(struct reader *r, const char *name, const char *value)
{
    struct sweep *sw = r->sw;
    char where[WHERE_MAX];
    struct sweep_axis *ax;
    struct err e;

    if (reserved_key(r, name))
        return;
    for (size_t i = 0; i < sw->naxes; i++) {
        if (strcmp(sw->axes[i].key, name) == 0) {
            failf(r, "'%s' is varied twice (first at line %lu)", name, sw->axes[i].line);
            return;
        }
    }
    sw->axes = xrealloc(sw->axes, (sw->naxes + 1) * sizeof(*sw->axes));
    ax = &sw->axes[sw->naxes++];
    memset(ax, 0, sizeof(*ax));
    ax->key = xstrdup(name);
    ax->line = r->ini.lineno;
    snprintf(where, sizeof(where), "%s:%lu", sw->path, r->ini.lineno);
    err_clear(&e);
    if (sweep_parse_values(where, name, value, &ax->values, &ax->nvalues, &e) != 0)
        fail(r, &e);
}

static void remedy_add(struct sweep_remedy *rem, const char *key, const char *value,
                       unsigned long line, const char *file)
{
    rem->sets = xgrow(rem->sets, &rem->cap, rem->nsets + 1, sizeof(*rem->sets));
    rem->sets[rem->nsets].key = xstrdup(key);
    rem->sets[rem->nsets].value = xstrdup(value);
    rem->sets[rem->nsets].line = line;
    rem->sets[rem->nsets].file = file ? xstrdup(file) : NULL;
    rem->nsets++;
}

/* Reading a keys_from file: its own keys go to 'rem'. */
struct from_reader {
    struct inifile ini;
    struct sweep_remedy *rem;
    struct err err;
    bool failed;
};

static int on_from_key(void *user, const char *section, const char *name, const char *value)
{
    struct from_reader *f = user;
    char key[160];

    if (f->failed)
        return 1;
    if (strcmp(section, "run") == 0 && (strcmp(name, "name") == 0 || strcmp(name, "base") == 0))
        return 1;               /* the file's own name and base are not the remedy's */
    snprintf(key, sizeof(key), "%s.%s", section, name);
    if (section[0] == '\0' || strcmp(key, "run.seed") == 0 ||
        strcmp(key, "run.replications") == 0) {
        err_set(&f->err, PS_EINVAL, "%s:%lu: '%s' cannot be taken by a remedy (keys_from "
                "takes scenario keys but run.name, run.base, run.seed and run.replications)",
                f->ini.path, f->ini.lineno, key);
        f->failed = true;
        return 1;
    }
    remedy_add(f->rem, key, value, f->ini.lineno, f->ini.path);
    return 1;
}


/* keys_from = FILE in a [remedy NAME]: the keys FILE sets itself. */
static void keys_from(struct reader *r, struct sweep_remedy *rem, const char *value)
{
    struct from_reader f;
    char *path = inifile_relative_to(r->sw->path, value);
    struct err e;
    int line;

    memset(&f, 0, sizeof(f));
    f.rem = rem;
    err_clear(&e);
    if (value[0] == '\0' || inifile_open(&f.ini, path, &e) != 0) {
        failf(r, "'keys_from' must name a readable scenario file (got '%s': %s)", value,
              e.msg);
        free(path);
        return;
    }
    line = inifile_parse(&f.ini, on_from_key, &f);
    if (line > 0) {
        inifile_syntax_error(&f.ini, line, &e);
        fail(r, &e);
    } else if (f.failed) {
        fail(r, &f.err);
    }
    inifile_fini(&f.ini);
    free(path);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct reader *r = user;
    struct sweep_remedy *rem;

    (void)section;
    switch (r->kind) {
    case SEC_NONE:
        failf(r, "key '%s' outside any section (sections: [sweep], [remedy NAME], [vary])",
              name);
        break;
    case SEC_SWEEP:
        on_sweep_key(r, name, value);
        break;
    case SEC_VARY:
        on_vary_key(r, name, value);
        break;
    case SEC_REMEDY:
        rem = &r->sw->remedies[r->sw->nremedies - 1];
        if (strcmp(name, "keys_from") == 0) {
            keys_from(r, rem, value);
            break;
        }
        if (reserved_key(r, name))
            break;
        for (size_t i = 0; i < rem->nsets; i++) {
            if (!rem->sets[i].file && strcmp(rem->sets[i].key, name) == 0) {
                failf(r, "'%s' is set twice in remedy '%s' (first at line %lu)", name,
                      rem->name, rem->sets[i].line);
                return 1;
            }
        }
        remedy_add(rem, name, value, r->ini.lineno, NULL);
        break;
    case SEC_BAD:
        break;                  /* already reported */
    }
    return 1;
}

/* The sweep's default name: the file name without its directory and ".sweep". */
static char *default_name(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t len;

    base = base ? base + 1 : path;
    len = strlen(base);
    if (len > 6 && strcmp(base + len - 6, ".sweep") == 0)
        len -= 6;
    if (len > 127)
        len = 127;
    return trimmed_dup(base, len);
}

static int read_sweep(struct sweep *sw, struct reader *r, struct err *e)
{
    int line;

    r->ini.on_section = on_section;
    r->ini.on_problem = on_problem;
    r->ini.user = r;
    line = inifile_parse(&r->ini, on_key, r);
    if (line > 0) {
        struct err syn;

        inifile_syntax_error(&r->ini, line, &syn);
        inierrs_add(&r->errs, (unsigned long)line, PS_EINVAL, syn.msg);
    }
    if (r->errs.n)
        return inierrs_result(&r->errs, e);
    if (!r->has_scenario)
        return err_set(e, PS_EINVAL, "%s: missing 'scenario' in [sweep] (the scenario file "
                       "the remedies and varied keys apply to)", sw->path);
    return 0;
}

/* ---- Expansion ---- */

/* Value index of axis 'a' at point 'pt' (the last axis varies fastest). */
static size_t axis_index(const struct sweep *sw, size_t a, size_t pt)
{
    size_t stride = 1;

    for (size_t b = a + 1; b < sw->naxes; b++)
        stride *= sw->axes[b].nvalues;
    return (pt / stride) % sw->axes[a].nvalues;
}

/* The JSON object of point 'pt': varied keys in file order.  A value that
 * reads as a number is a JSON number, anything else a string. */
static char *make_point_json(const struct sweep *sw, size_t pt)
{
    json_t *obj = json_object();
    char *out;

    for (size_t a = 0; a < sw->naxes; a++) {
        const struct sweep_axis *ax = &sw->axes[a];
        const char *text = ax->values[axis_index(sw, a, pt)];
        double v;
        json_t *jv;

        if (numparse_double(text, &v) == 0) {
            if (v == floor(v) && fabs(v) < 9007199254740992.0)
                jv = json_integer((json_int_t)v);
            else
                jv = json_real(v);
        } else {
            jv = json_string(text);
        }
        json_object_set_new(obj, ax->key, jv);
    }
    out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(obj);
    if (!out)
        out = xstrdup("{}");
    else {
        char *copy = xstrdup(out);
        free(out);
        out = copy;
    }
    return out;
}

static int build_one(struct sweep *sw, const struct scenario *base, size_t rem, size_t pt,
                     struct scenario *sc, struct err *e)
{
    const struct sweep_remedy *r = &sw->remedies[rem];
    char where[WHERE_MAX];
    int rc;

    scenario_copy(sc, base);
    for (size_t i = 0; i < r->nsets; i++) {
        snprintf(where, sizeof(where), "%s:%lu", r->sets[i].file ? r->sets[i].file : sw->path,
                 r->sets[i].line);
        if ((rc = scenario_set_key(sc, where, r->sets[i].key, r->sets[i].value, e)) != 0)
            goto fail;
    }
    for (size_t a = 0; a < sw->naxes; a++) {
        const struct sweep_axis *ax = &sw->axes[a];

        snprintf(where, sizeof(where), "%s:%lu", sw->path, ax->line);
        if ((rc = scenario_set_key(sc, where, ax->key, ax->values[axis_index(sw, a, pt)],
                                   e)) != 0)
            goto fail;
    }
    sc->p.run.seed = sw->seed;
    sc->p.run.replications = sw->replications;
    if ((rc = scenario_refresh(sc, e)) != 0) {
        /* A combination of keys (e.g. port_min > port_max): say which run. */
        err_prefix(e, "%s: remedy '%s' at %s", sw->path, r->name, sw->point_json[pt]);
        goto fail;
    }
    return 0;
fail:
    scenario_fini(sc);
    return rc;
}

struct hash_ref {
    const char *hash;
    size_t slot;
};

static int cmp_hash_ref(const void *a, const void *b)
{
    const struct hash_ref *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);

    return c ? c : (x->slot > y->slot) - (x->slot < y->slot);
}

/* Two (remedy, point) pairs with one parameter set would record each
 * other's runs: refuse, naming the first such pair in expansion order. */
static int check_distinct(struct sweep *sw, size_t nscen, struct err *e)
{
    struct hash_ref *refs = xmalloc(nscen * sizeof(*refs));
    size_t best_a = SIZE_MAX, best_b = 0;

    for (size_t i = 0; i < nscen; i++) {
        refs[i].hash = sw->scen[i].hash;
        refs[i].slot = i;
    }
    qsort(refs, nscen, sizeof(*refs), cmp_hash_ref);
    for (size_t i = 1; i < nscen; i++) {
        if (strcmp(refs[i - 1].hash, refs[i].hash) == 0 && refs[i].slot < best_a) {
            best_a = refs[i - 1].slot;
            best_b = refs[i].slot;
        }
    }
    free(refs);
    if (best_a == SIZE_MAX)
        return 0;
    return err_set(e, PS_EINVAL, "%s: remedy '%s' at %s and remedy '%s' at %s give the same "
                   "parameters (make them differ, or drop one)", sw->path,
                   sw->remedies[best_a / sw->npoints].name, sw->point_json[best_a % sw->npoints],
                   sw->remedies[best_b / sw->npoints].name, sw->point_json[best_b % sw->npoints]);
}

static int expand(struct sweep *sw, const struct scenario *base, struct err *e)
{
    size_t npoints = 1, nscen;
    int rc;

    for (size_t a = 0; a < sw->naxes; a++) {
        if (sw->axes[a].nvalues > SWEEP_SCENARIOS_MAX / npoints)
            goto too_many;
        npoints *= sw->axes[a].nvalues;
    }
    if (npoints > SWEEP_SCENARIOS_MAX / sw->nremedies)
        goto too_many;
    nscen = npoints * sw->nremedies;
    if (nscen > SWEEP_JOBS_MAX / sw->replications)
        goto too_many;
    sw->npoints = npoints;
    sw->njobs = nscen * sw->replications;
    sw->point_json = xcalloc(npoints, sizeof(*sw->point_json));
    for (size_t pt = 0; pt < npoints; pt++)
        sw->point_json[pt] = make_point_json(sw, pt);
    sw->scen = xcalloc(nscen, sizeof(*sw->scen));
    for (size_t i = 0; i < nscen; i++) {
        if ((rc = build_one(sw, base, i / npoints, i % npoints, &sw->scen[i], e)) != 0) {
            for (size_t j = 0; j < i; j++)
                scenario_fini(&sw->scen[j]);
            free(sw->scen);
            sw->scen = NULL;
            return rc;
        }
    }
    return check_distinct(sw, nscen, e);

too_many:
    return err_set(e, PS_EINVAL, "%s: the sweep expands to too many runs (at most %d remedies x "
                   "points and %d runs)", sw->path, SWEEP_SCENARIOS_MAX, SWEEP_JOBS_MAX);
}

/* ---- Public functions ---- */

int sweep_load(struct sweep *sw, const char *path, struct err *e)
{
    struct reader r;
    struct scenario base;
    int rc;

    memset(sw, 0, sizeof(*sw));
    memset(&r, 0, sizeof(r));
    sw->path = xstrdup(path);
    if ((rc = inifile_open(&r.ini, path, e)) != 0)
        goto fail;
    sw->text = r.ini.text;      /* the sweep's definition: the sweep owns it now */
    r.sw = sw;
    rc = read_sweep(sw, &r, e);
    r.ini.text = NULL;          /* the sweep's; the rest of the reader goes */
    inifile_fini(&r.ini);
    if (rc != 0)
        goto fail;
    sw->scenario_path = inifile_relative_to(path, r.vals.scenario);
    if ((rc = scenario_load(&base, sw->scenario_path, NULL, 0, e)) != 0) {
        /* A scenario that cannot be read is bad input of the sweep. */
        if (rc == PS_EIO) {
            char msg[ERR_MSG_MAX];
            snprintf(msg, sizeof(msg), "%s", e->msg);
            rc = err_set(e, PS_EINVAL, "%s:%lu: 'sweep.scenario' must name a readable scenario "
                         "file (got '%s': %s)", path, r.scenario_line, r.vals.scenario, msg);
        }
        goto fail;
    }
    sw->name = r.has_name ? xstrdup(r.vals.name) : default_name(path);
    sw->seed = r.has_seed ? r.vals.seed : base.p.run.seed;
    sw->replications = r.has_reps ? r.vals.replications : base.p.run.replications;
    if (sw->nremedies == 0) {
        sw->remedies = xcalloc(1, sizeof(*sw->remedies));
        sw->remedies[0].name = xstrdup("baseline");
        sw->nremedies = 1;
    }
    rc = expand(sw, &base, e);
    scenario_fini(&base);
    if (rc != 0)
        goto fail;
    return 0;

fail:
    sweep_fini(sw);
    return rc;
}

void sweep_fini(struct sweep *sw)
{
    size_t nscen = sw->npoints * sw->nremedies;

    if (sw->scen) {
        for (size_t i = 0; i < nscen; i++)
            scenario_fini(&sw->scen[i]);
        free(sw->scen);
    }
    if (sw->point_json) {
        for (size_t i = 0; i < sw->npoints; i++)
            free(sw->point_json[i]);
        free(sw->point_json);
    }
    for (size_t i = 0; i < sw->nremedies; i++) {
        struct sweep_remedy *r = &sw->remedies[i];
        for (size_t j = 0; j < r->nsets; j++) {
            free(r->sets[j].key);
            free(r->sets[j].value);
            free(r->sets[j].file);
        }
        free(r->sets);
        free(r->name);
    }
    free(sw->remedies);
    for (size_t i = 0; i < sw->naxes; i++) {
        free(sw->axes[i].key);
        free_values(sw->axes[i].values, sw->axes[i].nvalues);
    }
    free(sw->axes);
    free(sw->path);
    free(sw->name);
    free(sw->text);
    free(sw->scenario_path);
    memset(sw, 0, sizeof(*sw));
}

void sweep_job(const struct sweep *sw, size_t index, struct sweep_job *job)
{
    size_t slot = index / sw->replications;

    assert(index < sw->njobs);
    job->index = index;
    job->replication = (uint32_t)(index % sw->replications);
    job->remedy = slot / sw->npoints;
    job->point = slot % sw->npoints;
    job->seed = rng_derive(sw->seed, job->replication);
    job->sc = &sw->scen[slot];
    job->remedy_name = sw->remedies[job->remedy].name;
    job->point_json = sw->point_json[job->point];
}
