/* export.c - runs and samples as tidy tables (see export.h).
 *
 * Every row is built as a jansson object (keys in column order) and written
 * by one writer per format; numbers are printed here rather than by
 * jansson so that a double is the shortest text that reads back exactly
 * (sim/fmt.h), in CSV and JSON alike.  Cost: O(rows x columns).
 */
#include "analysis/export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fmt.h"
#include "sim/simtime.h"

int export_format_parse(const char *word, enum export_format *out, struct err *e)
{
    if (strcmp(word, "csv") == 0)
        *out = EXPORT_CSV;
    else if (strcmp(word, "json") == 0)
        *out = EXPORT_JSON;
    else if (strcmp(word, "jsonl") == 0)
        *out = EXPORT_JSONL;
    else
        return err_set(e, PS_EINVAL, "--format must be csv, json or jsonl (got '%s')", word);
    return 0;
}

/* Metrics whose value has a unit: the column says it (export.h). */
static const char *const metric_units[][2] = {
    {"peak_in_use", "peak_in_use_ports"},
    {"mean_in_use", "mean_in_use_ports"},
    {"peak_time_wait", "peak_time_wait_entries"},
    {"mean_time_wait", "mean_time_wait_entries"},
    {"peak_server_time_wait", "peak_server_time_wait_entries"},
    {"mean_server_time_wait", "mean_server_time_wait_entries"},
    {"first_failure_time", "first_failure_time_s"},
    {"wall_seconds", "wall_time_s"},
};

const char *export_metric_column(const char *name)
{
    for (size_t i = 0; i < sizeof(metric_units) / sizeof(metric_units[0]); i++) {
        if (strcmp(metric_units[i][0], name) == 0)
            return metric_units[i][1];
    }
    return name;
}

static void set_ident(json_t *row, const struct store_run *run, const char *sweep)
{
    char seed[24];

    snprintf(seed, sizeof(seed), "%" PRIu64, run->seed);
    json_object_set_new(row, "run_id", json_integer(run->id));
    json_object_set_new(row, "sweep", sweep ? json_string(sweep) : json_null());
    json_object_set_new(row, "remedy", json_string(run->remedy ? run->remedy : ""));
    json_object_set_new(row, "scenario_name",
                        json_string(run->scenario_name ? run->scenario_name : ""));
    json_object_set_new(row, "seed", json_string(seed));
    json_object_set_new(row, "replication", json_integer(run->replication));
}

/* Every "section.key" of the recorded scenario, in its (sorted) order. */
static int set_params(json_t *row, const char *params_json, struct err *e)
{
    json_error_t je;
    json_t *p = json_loads(params_json ? params_json : "", 0, &je);
    const char *section, *key;
    json_t *sec, *v;

    if (!json_is_object(p)) {
        json_decref(p);
        return err_set(e, PS_EDB, "a run's params_json is not a JSON object");
    }
    json_object_foreach(p, section, sec) {
        if (!json_is_object(sec))
            continue;
        json_object_foreach(sec, key, v) {
            char name[160];

            snprintf(name, sizeof(name), "%s.%s", section, key);
            json_object_set(row, name, v);
        }
    }
    json_decref(p);
    return 0;
}

#define SET_U(name, kind) \
    json_object_set_new(row, export_metric_column(#name), \
                        m ? json_integer((json_int_t)m->name) : json_null());
#define SET_D(name, kind) \
    json_object_set_new(row, export_metric_column(#name), m ? json_real(m->name) : json_null());
#define SET_T(name, kind) \
    json_object_set_new(row, export_metric_column(#name), \
                        m && m->has_first_failure ? json_real(m->name) : json_null());
#define SET_H(name, kind) \
    do { \
        char hex[17]; \
        snprintf(hex, sizeof(hex), "%016" PRIx64, m ? m->name : 0); \
        json_object_set_new(row, export_metric_column(#name), \
                            m ? json_string(hex) : json_null()); \
    } while (0);
#define SET_METRIC(name, kind) SET_##kind(name, kind)

static double ratio(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : 0.0;
}

static void set_metrics(json_t *row, const struct run_metrics *m)
{
    METRICS_FIELDS(SET_METRIC)
    json_object_set_new(row, "connect_failure_ratio",
                        m ? json_real(ratio(m->connect_failures, m->connect_attempts))
                          : json_null());
    json_object_set_new(row, "request_failure_ratio",
                        m ? json_real(ratio(m->requests_failed, m->requests)) : json_null());
}

int export_run_row(const struct store_run *run, const struct run_metrics *m, const char *sweep,
                   json_t **out, struct err *e)
{
    json_t *row = json_object();
    int rc;

    set_ident(row, run, sweep);
    json_object_set_new(row, "status", json_string(run->status ? run->status : ""));
    json_object_set_new(row, "source", json_string(run->source ? run->source : "sim"));
    json_object_set_new(row, "version", json_string(run->version ? run->version : ""));
    json_object_set_new(row, "params_hash",
                        json_string(run->params_hash ? run->params_hash : ""));
    if ((rc = set_params(row, run->params_json, e)) != 0) {
        json_decref(row);
        return rc;
    }
    set_metrics(row, m);
    json_object_set_new(row, "error", run->error ? json_string(run->error) : json_null());
    *out = row;
    return 0;
}

void export_sample_rows(json_t *rows, const struct store_run *run, const char *sweep,
                        const struct run_sample *samples, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_object();

        set_ident(row, run, sweep);
        json_object_set_new(row, "t_s", json_real(simtime_to_s(samples[i].t)));
        json_object_set_new(row, "in_use_ports", json_integer(samples[i].in_use));
        json_object_set_new(row, "time_wait_entries", json_integer(samples[i].time_wait));
        json_object_set_new(row, "connects", json_integer(samples[i].connects));
        json_object_set_new(row, "failures", json_integer(samples[i].failures));
        json_object_set_new(row, "requests", json_integer(samples[i].requests));
        json_array_append_new(rows, row);
    }
}

/* ---- Writing ---- */

/* A scalar as text: numbers in their shortest exact form, strings as they
 * are ('quote': as JSON strings), arrays and objects as compact JSON. */
static void put_value(FILE *f, const json_t *v, bool quote)
{
    char buf[40];

    if (!v || json_is_null(v)) {
        if (quote)
            fputs("null", f);
    } else if (json_is_integer(v)) {
        fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        fputs(fmt_double(json_real_value(v), buf, sizeof(buf)), f);
    } else if (json_is_true(v) || json_is_false(v)) {
        fputs(json_is_true(v) ? "true" : "false", f);
    } else if (json_is_string(v) && !quote) {
        fmt_csv_field(f, json_string_value(v));
    } else {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

        if (quote)
            fputs(s ? s : "null", f);
        else
            fmt_csv_field(f, s ? s : "");
        free(s);
    }
}

static void put_object(FILE *f, const json_t *row)
{
    const char *key;
    json_t *v;
    bool first = true;

    fputc('{', f);
    json_object_foreach((json_t *)row, key, v) {
        json_t *k = json_string(key);
        char *ks = json_dumps(k, JSON_ENCODE_ANY);

        fprintf(f, "%s%s:", first ? "" : ",", ks ? ks : "\"\"");
        free(ks);
        json_decref(k);
        put_value(f, v, true);
        first = false;
    }
    fputc('}', f);
}

/* The union of the rows' keys, in first-seen order (an object used as an
 * ordered set). */
static json_t *columns_of(const json_t *rows)
{
    json_t *cols = json_object();
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row) {
        const char *key;
        json_t *v;

        json_object_foreach(row, key, v) {
            if (!json_object_get(cols, key))
                json_object_set_new(cols, key, json_true());
        }
    }
    return cols;
}

static void write_csv(FILE *f, const json_t *rows)
{
    json_t *cols = columns_of(rows), *row, *v;
    const char *key;
    size_t i;
    bool first = true;

    json_object_foreach(cols, key, v) {
        if (!first)
            fputc(',', f);
        fmt_csv_field(f, key);
        first = false;
    }
    fputc('\n', f);
    json_array_foreach(rows, i, row) {
        first = true;
        json_object_foreach(cols, key, v) {
            if (!first)
                fputc(',', f);
            put_value(f, json_object_get(row, key), false);
            first = false;
        }
        fputc('\n', f);
    }
    json_decref(cols);
}

int export_write(FILE *f, json_t *rows, enum export_format fmt, struct err *e)
{
    size_t i;
    json_t *row;

    if (fmt == EXPORT_CSV) {
        write_csv(f, rows);
    } else {
        if (fmt == EXPORT_JSON)
            fputc('[', f);
        json_array_foreach(rows, i, row) {
            if (fmt == EXPORT_JSON)
                fputs(i ? ",\n" : "\n", f);
            put_object(f, row);
            if (fmt == EXPORT_JSONL)
                fputc('\n', f);
        }
        if (fmt == EXPORT_JSON)
            fputs(json_array_size(rows) ? "\n]\n" : "]\n", f);
    }
    if (fflush(f) != 0 || ferror(f))
        return err_set(e, PS_EIO, "cannot write the export");
    return 0;
}
