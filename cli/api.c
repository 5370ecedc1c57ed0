/* api.c - the public C API of libportsim (include/portsim/portsim.h).
 *
 * The entry point the Python package and C programs call: the scenario keys
 * come in as "section.key=value" lines or a JSON object and become the
 * --set list of 'portsim run'; the run is runner_run() (run_once() with a
 * stopwatch); the answer is the very object summary_json() prints for
 * 'portsim run --json', read back and completed with "version" and
 * "samples".  So the API and the program cannot drift apart.
 *
 * Invariant: nothing here keeps state between calls (no static data), and
 * every string handed out is malloc'd, released by portsim_free().  Only
 * the functions marked PORTSIM_API are visible outside libportsim.so.
 * Cost: one run plus O(samples) of JSON.
 */
#include "include/portsim/portsim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <jansson.h>

#include "cli/runner.h"
#include "cli/summary.h"
#include "cli/version.h"
#include "models/scenario.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

/* The --set list being built: owned strings. */
struct api_sets {
    char **v;
    size_t n;
    size_t cap;
};

/* ---- The scenario text to a --set list ---- */

static void sets_add(struct api_sets *s, char *owned)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = owned;
}

static void sets_fini(struct api_sets *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

/* "key=value" lines: blank lines and '#' comments skipped, spaces trimmed. */
static int sets_from_lines(struct api_sets *s, const char *text, struct err *e)
{
    const char *p = text;

    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *a = p, *b = p + len;

        while (a < b && strchr(" \t\r", *a))
            a++;
        while (b > a && strchr(" \t\r", b[-1]))
            b--;
        if (a < b && *a != '#') {
            char *line = xmalloc((size_t)(b - a) + 1);

            memcpy(line, a, (size_t)(b - a));
            line[b - a] = '\0';
            if (!strchr(line, '=')) {
                err_set(e, PS_EINVAL, "'%s' is not section.key=value", line);
                free(line);
                return PS_EINVAL;
            }
            sets_add(s, line);
        }
        p += len + (end != NULL);
    }
    return 0;
}

/* The text of one JSON value as a scenario file would hold it, or NULL. */
static char *value_text(const json_t *v)
{
    char buf[64];

    switch (json_typeof(v)) {
    case JSON_STRING: return xstrdup(json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return xstrdup(buf);
    case JSON_REAL:
        snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
        return xstrdup(buf);
    case JSON_TRUE: return xstrdup("yes");
    case JSON_FALSE: return xstrdup("no");
    default: return NULL;
    }
}

/* An array of scalars joined with ", " (reserved_ports), or NULL. */
static char *array_text(const json_t *a)
{
    size_t i, len = 1;
    json_t *v;
    char *out = xcalloc(1, 1);

    json_array_foreach(a, i, v) {
        char *t = value_text(v);

        if (!t) {
            free(out);
            return NULL;
        }
        len += strlen(t) + 2;
        out = xrealloc(out, len);
        if (i > 0)
            strcat(out, ", ");
        strcat(out, t);
        free(t);
    }
    return out;
}

static int add_pair(struct api_sets *s, const char *key, const json_t *v, struct err *e)
{
    char *t = json_is_array(v) ? array_text(v) : value_text(v);
    char *line;

    if (!t)
        return err_set(e, PS_EINVAL, "'%s': the value must be a number, a string, a boolean "
                       "or an array of them", key);
    line = xmalloc(strlen(key) + strlen(t) + 2);
    sprintf(line, "%s=%s", key, t);
    free(t);
    sets_add(s, line);
    return 0;
}

/* A JSON object: "section.key": value, or "section": {"key": value}. */
static int sets_from_json(struct api_sets *s, const char *text, struct err *e)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *v, *w;
    const char *k, *k2;
    char key[256];
    int rc = 0;

    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(e, PS_EINVAL, "scenario JSON: %s", root ? "not an object" : je.text);
    }
    json_object_foreach(root, k, v) {
        if (!json_is_object(v)) {
            if ((rc = add_pair(s, k, v, e)) != 0)
                break;
            continue;
        }
        json_object_foreach(v, k2, w) {
            snprintf(key, sizeof(key), "%s.%s", k, k2);
            if ((rc = add_pair(s, key, w, e)) != 0)
                break;
        }
        if (rc != 0)
            break;
    }
    json_decref(root);
    return rc;
}

/* ---- The answer ---- */

static json_t *samples_json(const struct run_output *out)
{
    json_t *a = json_array();

    for (size_t i = 0; i < out->nsamples; i++) {
        const struct run_sample *r = &out->samples[i];

        json_array_append_new(a, json_pack("[f,I,I,I,I,I]", simtime_to_s(r->t),
                                           (json_int_t)r->in_use, (json_int_t)r->time_wait,
                                           (json_int_t)r->connects, (json_int_t)r->failures,
                                           (json_int_t)r->requests));
    }
    return a;
}

/* summary_json()'s line for 'portsim run --json', plus version and samples. */
static char *answer(const struct scenario *sc, uint64_t seed, const struct run_output *out,
                    struct err *e)
{
    char *line = NULL, *text;
    size_t size = 0;
    FILE *f = open_memstream(&line, &size);
    json_t *root;

    if (!f) {
        err_set(e, PS_EIO, "open_memstream: out of memory");
        return NULL;
    }
    summary_json(f, sc, seed, 0, out, 0);
    fclose(f);
    root = json_loads(line, 0, NULL);
    free(line);
    if (!root) {
        err_set(e, PS_ERUN, "the run's JSON could not be read back");
        return NULL;
    }
    json_object_set_new(root, "version", json_string(PORTSIM_VERSION));
    json_object_set_new(root, "samples", samples_json(out));
    text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(root);
    return text;
}

static int run_sets(const struct api_sets *s, uint64_t seed, char **result, struct err *e)
{
    struct scenario sc;
    struct runner_job job = {0};
    struct run_output out;
    int rc;

    if ((rc = scenario_load(&sc, NULL, (const char *const *)s->v, s->n, e)) != 0)
        return PS_EINVAL;       /* as 'portsim run': a scenario that cannot load is bad input */
    job.sc = &sc;
    job.seed = seed ? seed : sc.p.run.seed;
    if ((rc = runner_run(&job, NULL, &out, e)) == 0) {
        char *text = answer(&sc, job.seed, &out, e);

        if (!text)
            rc = e->code ? e->code : PS_ERUN;
        else if (result)
            *result = text;
        else
            free(text);
        run_output_fini(&out);
    }
    scenario_fini(&sc);
    return rc;
}

/* ---- Public functions ---- */

int portsim_run_json(const char *scenario, uint64_t seed, char **result_json, char **error)
{
    struct api_sets s = {0};
    struct err e;
    const char *p = scenario ? scenario : "";
    int rc;

    err_clear(&e);
    gsl_set_error_handler_off();    /* as main() does: GSL statuses are checked */
    if (result_json)
        *result_json = NULL;
    if (error)
        *error = NULL;
    p += strspn(p, " \t\r\n");
    rc = *p == '{' ? sets_from_json(&s, p, &e) : sets_from_lines(&s, p, &e);
    if (rc == 0)
        rc = run_sets(&s, seed, result_json, &e);
    sets_fini(&s);
    if (rc != 0 && error)
        *error = xstrdup(e.msg[0] ? e.msg : "portsim: run failed");
    return rc == 0 ? 0 : rc == PS_EINVAL ? 2 : 1;
}

void portsim_free(char *p)
{
    free(p);
}

const char *portsim_version(void)
{
    return PORTSIM_VERSION;
}

uint64_t portsim_seed_derive(uint64_t seed, uint32_t replication)
{
    return rng_derive(seed, replication);
}
