/* runset.c - recorded runs for the report and the pictures (see runset.h).
 *
 * How: one pass over the runs (store_runs_each) copies what the report needs
 * and the params JSON of each new parameter set; then two sorts of an index
 * settle the labels (does a scenario name at a point carry more than one
 * parameter set?) and the repeats (same key twice: keep the latest id); the
 * kept runs are compacted in id order.  Resolving the parameter sets (the
 * request rate, the closed form) is the caller's: this module reads rows and
 * never runs model logic (DESIGN §1).  Every sort ends on the run id, so
 * the result is a function of the database alone.
 */
#include "analysis/runset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

/* What the walk collects per run before labels are settled. */
struct raw {
    int64_t id;
    const char *remedy;             /* "" if none */
    const char *name;               /* scenario name */
    const char *point;
    size_t param;                   /* index into the set's params */
    uint64_t seed;
    uint32_t replication;
    struct run_metrics m;
    const char *label;              /* remedy, name or name@hash6 */
    bool drop;
};

struct walk {
    struct runset *rs;
    struct raw *raw;
    size_t n, cap;
    char **json;                    /* params JSON of each parameter set */
    size_t capjson, capparams;
};

static const char *keep(struct runset *rs, const char *s)
{
    rs->strings_ = xgrow(rs->strings_, &rs->capstrings_, rs->nstrings_ + 1,
                         sizeof(*rs->strings_));
    rs->strings_[rs->nstrings_] = xstrdup(s ? s : "");
    return rs->strings_[rs->nstrings_++];
}

static size_t param_index(struct walk *w, const struct store_run *run)
{
    struct runset *rs = w->rs;

    for (size_t i = rs->nparams; i-- > 0;) {
        if (strcmp(rs->params[i].hash, run->params_hash) == 0)
            return i;
    }
    rs->params = xgrow(rs->params, &w->capparams, rs->nparams + 1, sizeof(*rs->params));
    w->json = xgrow(w->json, &w->capjson, rs->nparams + 1, sizeof(*w->json));
    memset(&rs->params[rs->nparams], 0, sizeof(rs->params[0]));
    snprintf(rs->params[rs->nparams].hash, sizeof(rs->params[0].hash), "%s", run->params_hash);
    w->json[rs->nparams] = xstrdup(run->params_json);
    return rs->nparams++;
}

static int collect(const struct store_run *run, const struct run_metrics *m, void *arg)
{
    struct walk *w = arg;
    struct raw *r;

    if (!m) {
        w->rs->failed++;
        return 0;
    }
    if (run->source && strcmp(run->source, "sim") != 0) {
        w->rs->kernel++;            /* portsim calibrate's: report --calibration */
        return 0;
    }
    if (run->truncated) {           /* stopped early: its figures cover less time */
        w->rs->truncated++;
        return 0;
    }
    w->raw = xgrow(w->raw, &w->cap, w->n + 1, sizeof(*w->raw));
    r = &w->raw[w->n++];
    memset(r, 0, sizeof(*r));
    r->id = run->id;
    r->remedy = keep(w->rs, run->remedy);
    r->name = keep(w->rs, run->scenario_name);
    r->point = keep(w->rs, run->point_json && *run->point_json ? run->point_json : "{}");
    r->param = param_index(w, run);
    r->seed = run->seed;
    r->replication = run->replication;
    r->m = *m;
    return 0;
}

/* ---- Labels and repeats ---- */

static int cmp_id(const struct raw *a, const struct raw *b)
{
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Unlabelled runs by (name, point, params), then id. */
static int cmp_name(const void *pa, const void *pb)
{
    const struct raw *a = *(struct raw *const *)pa, *b = *(struct raw *const *)pb;
    int c;

    if ((c = strcmp(a->name, b->name)) != 0 || (c = strcmp(a->point, b->point)) != 0)
        return c;
    if (a->param != b->param)
        return a->param < b->param ? -1 : 1;
    return cmp_id(a, b);
}

/* Every run by (label, point, params, seed, replication), then id. */
static int cmp_key(const void *pa, const void *pb)
{
    const struct raw *a = *(struct raw *const *)pa, *b = *(struct raw *const *)pb;
    int c;

    if ((c = strcmp(a->label, b->label)) != 0 || (c = strcmp(a->point, b->point)) != 0)
        return c;
    if (a->param != b->param)
        return a->param < b->param ? -1 : 1;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->replication != b->replication)
        return a->replication < b->replication ? -1 : 1;
    return cmp_id(a, b);
}

static void settle_labels(struct walk *w, struct raw **idx)
{
    struct runset *rs = w->rs;
    size_t m = 0, relabelled = 0;

    for (size_t i = 0; i < w->n; i++) {
        w->raw[i].label = w->raw[i].remedy;
        if (w->raw[i].remedy[0] == '\0')
            idx[m++] = &w->raw[i];
    }
    rs->by_name = m > 0;
    qsort(idx, m, sizeof(*idx), cmp_name);
    for (size_t s = 0, e; s < m; s = e) {
        bool mixed = false;

        for (e = s + 1; e < m && strcmp(idx[e]->name, idx[s]->name) == 0 &&
                        strcmp(idx[e]->point, idx[s]->point) == 0; e++)
            mixed = mixed || idx[e]->param != idx[s]->param;
        for (size_t i = s; i < e; i++) {
            char buf[PARAMS_NAME_MAX + 16];

            if (!mixed) {
                idx[i]->label = idx[i]->name;
                continue;
            }
            snprintf(buf, sizeof(buf), "%s@%.6s", idx[i]->name, rs->params[idx[i]->param].hash);
            idx[i]->label = keep(rs, buf);
            relabelled++;
        }
    }
    if (relabelled > 0) {
        size_t used = strlen(rs->notes);
        snprintf(rs->notes + used, sizeof(rs->notes) - used,
                 "%zu runs of one scenario name with different parameters are labelled "
                 "NAME@HASH (the params hash)\n", relabelled);
    }
}

static void drop_repeats(struct walk *w, struct raw **idx)
{
    for (size_t i = 0; i < w->n; i++)
        idx[i] = &w->raw[i];
    qsort(idx, w->n, sizeof(*idx), cmp_key);
    for (size_t i = 0; i + 1 < w->n; i++) {
        const struct raw *a = idx[i], *b = idx[i + 1];

        if (strcmp(a->label, b->label) == 0 && strcmp(a->point, b->point) == 0 &&
            a->param == b->param && a->seed == b->seed && a->replication == b->replication) {
            idx[i]->drop = true;        /* b has the larger id: keep the latest */
            w->rs->repeats++;
        }
    }
}

/* ---- Issue 12: the NAT figures of the runs ---- */

/* store_nat_row_fn: one nat_metrics row into the run of that id (ids are
 * ascending: a binary search), if the run is in the set. */
static void take_nat(void *arg, int64_t run_id, const char *name, double value,
                     const char *text)
{
    struct runset *rs = arg;
    size_t lo = 0, hi = rs->n;
    struct report_nat *n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (rs->ids[mid] < run_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == rs->n || rs->ids[lo] != run_id)
        return;
    n = &rs->runs[lo].nat;
    n->on = true;
    if (text && strcmp(name, "failure_words") == 0)
        n->failure_words = keep(rs, text);
    else if (strcmp(name, "nat_flows") == 0)
        n->nat_flows = (uint64_t)value;
    else if (strcmp(name, "nat_failures") == 0)
        n->nat_failures = (uint64_t)value;
    else if (strcmp(name, "nat_ports_peak") == 0)
        n->nat_ports_peak = (uint64_t)value;
    else if (strcmp(name, "connect_latency_p50") == 0)
        n->connect_p50_s = value;
    else if (strcmp(name, "connect_latency_p99") == 0)
        n->connect_p99_s = value;
    else if (strcmp(name, "syn_retransmits") == 0)
        n->syn_retransmits = (uint64_t)value;
    else if (strcmp(name, "connect_timeouts") == 0)
        n->connect_timeouts = (uint64_t)value;
    else if (strcmp(name, "pool_resets") == 0)
        n->pool_resets = (uint64_t)value;
}

/* ---- Public functions ---- */

int runset_load(struct runset *rs, struct store *st, int64_t sweep_id, struct err *e)
{
    struct walk w;
    struct raw **idx;
    size_t k = 0;
    int rc;

    memset(rs, 0, sizeof(*rs));
    memset(&w, 0, sizeof(w));
    w.rs = rs;
    if ((rc = store_runs_each(st, sweep_id, collect, &w, e)) != 0)
        goto out;
    idx = xcalloc(w.n + 1, sizeof(*idx));
    settle_labels(&w, idx);
    drop_repeats(&w, idx);
    free(idx);

    rs->runs = xcalloc(w.n + 1, sizeof(*rs->runs));
    rs->ids = xcalloc(w.n + 1, sizeof(*rs->ids));
    rs->param_of = xcalloc(w.n + 1, sizeof(*rs->param_of));
    for (size_t i = 0; i < w.n; i++) {      /* raw is in id order already */
        const struct raw *r = &w.raw[i];
        struct report_run *o = &rs->runs[k];

        if (r->drop)
            continue;
        o->remedy = r->label;
        o->point = r->point;
        o->rate = NAN;
        o->replication = r->replication;
        o->seed = r->seed;
        o->m = r->m;
        o->theory_blocking = NAN;
        o->theory_sustainable_per_s = NAN;
        rs->ids[k] = r->id;
        rs->param_of[k] = r->param;
        k++;
    }
    rs->n = k;
    if ((rc = store_nat_rows(st, sweep_id, take_nat, rs, e)) != 0)
        goto out;
    {
        size_t used = strlen(rs->notes);
        if (rs->by_name && sweep_id == 0)
            used += (size_t)snprintf(rs->notes + used, sizeof(rs->notes) - used,
                                     "runs recorded without a remedy (portsim run) are "
                                     "grouped by their scenario name\n");
        if (rs->failed && used < sizeof(rs->notes))
            used += (size_t)snprintf(rs->notes + used, sizeof(rs->notes) - used,
                                     "%zu failed runs left out (select error from runs where "
                                     "status = 'failed')\n", rs->failed);
        if (rs->truncated && used < sizeof(rs->notes))
            used += (size_t)snprintf(rs->notes + used, sizeof(rs->notes) - used,
                                     "%zu truncated runs left out (stopped early: select id, "
                                     "truncated_at from runs where truncated_at is not null)\n",
                                     rs->truncated);
        if (rs->kernel && used < sizeof(rs->notes))
            used += (size_t)snprintf(rs->notes + used, sizeof(rs->notes) - used,
                                     "%zu kernel runs left out (portsim calibrate; see "
                                     "portsim report --calibration)\n", rs->kernel);
        if (rs->repeats && used < sizeof(rs->notes))
            snprintf(rs->notes + used, sizeof(rs->notes) - used,
                     "%zu repeated runs left out (same parameters, seed and "
                     "replication: the latest is kept)\n", rs->repeats);
    }
out:
    for (size_t i = 0; i < rs->nparams; i++)
        rs->params[i].json = w.json[i];         /* the set owns them now */
    free(w.json);
    free(w.raw);
    return rc;
}

void runset_fini(struct runset *rs)
{
    for (size_t i = 0; i < rs->nstrings_; i++)
        free(rs->strings_[i]);
    for (size_t i = 0; i < rs->nparams; i++)
        free(rs->params[i].json);
    free(rs->strings_);
    free(rs->runs);
    free(rs->ids);
    free(rs->param_of);
    free(rs->params);
    memset(rs, 0, sizeof(*rs));
}

const struct scenario_params *runset_params_of(const struct runset *rs, size_t i)
{
    const struct runset_params *pp = &rs->params[rs->param_of[i]];

    return pp->resolved ? &pp->p : NULL;
}

void runset_set_params(struct runset *rs, size_t param, double rate, double blocking,
                       double sustainable_per_s)
{
    for (size_t i = 0; i < rs->n; i++) {
        if (rs->param_of[i] != param)
            continue;
        rs->runs[i].rate = rate;
        rs->runs[i].theory_blocking = blocking;
        rs->runs[i].theory_sustainable_per_s = sustainable_per_s;
    }
}

void runset_note_unresolved(struct runset *rs)
{
    size_t used = strlen(rs->notes);

    if (rs->unresolved && used < sizeof(rs->notes))
        snprintf(rs->notes + used, sizeof(rs->notes) - used,
                 "%zu parameter sets could not be resolved: no closed form for them\n",
                 rs->unresolved);
}
