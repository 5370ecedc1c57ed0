/* cmd_html.c - 'portsim html': a self-contained page of one run.
 *
 * From a SCENARIO: run it once (seed run.seed, nothing recorded) with a
 * portlog attached, so the page gets the strip chart (or the heat map).
 * From --run ID: the database has the metrics and samples but not the
 * state of each port, so the recorded scenario is rebuilt from its params
 * JSON (every "section" -> "key" -> value through scenario_set_key) and run
 * again with the recorded seed.  The page shows the port chart only if the
 * rebuilt parameters hash to the recorded params_hash and the new run's
 * digest equals the recorded one, i.e. it is provably the same run; else
 * the page says why the chart is missing and shows the recorded figures.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/html.h"
#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/outpipe.h"
#include "cli/portlog.h"
#include "models/names.h"
#include "models/nat.h"
#include "models/profiles.h"
#include "sim/fmt.h"

int cmd_html_take_run(void *args, const char *arg, struct err *e)
{
    struct html_args *a = args;
    uint64_t v;
    int rc;

    if ((rc = cli_u64("--run", arg, 1, INT64_MAX, &v, e)) != 0)
        return rc;
    a->run_id = (int64_t)v;
    return 0;
}

/* The checks across options, after parsing. */
static int check_args(const struct html_args *a, struct err *e)
{
    if (!a->out)
        return err_set(e, PS_EINVAL, "--out FILE.html is required");
    if (a->run_id && (a->scenario || a->so.sets.n || a->so.has_seed))
        return err_set(e, PS_EINVAL, "--run takes no SCENARIO, --set or --seed");
    if (!a->run_id && a->db)
        return err_set(e, PS_EINVAL, "--db goes with --run");
    if (!a->run_id && !a->scenario && a->so.sets.n == 0)
        return err_set(e, PS_EINVAL, "give a SCENARIO or --run ID (see --help)");
    return 0;
}

/* ---- The page ---- */

/* What the page needs of a scenario; from a loaded one, or from the recorded
 * JSON alone when it cannot be rebuilt. */
struct page_src {
    const char *name;
    const char *params_json;
    enum profile_id profile;
    simtime duration;
};

static struct page_src src_of(const struct scenario *sc)
{
    struct page_src p = {sc->p.run.name, sc->json, sc->p.stack.profile, sc->p.run.duration_ns};

    return p;
}

/* Issue 12: the lanes 'v' ([n x nips]) of a run as the page reads them,
 * with the limits of 'sc' (NULL: none) in 'limit' and the words of NAT
 * profile 'prof'.  NULL when there are none. */
static const struct nat_lanes *lanes_of(struct nat_lanes *nl, uint64_t *limit,
                                        const struct scenario *sc, enum nat_profile_id prof,
                                        uint32_t nips, const struct nat_ip_sample *v)
{
    if (!v || nips == 0 || nips > NAT_IPS_MAX)
        return NULL;
    for (uint32_t i = 0; sc && i < nips; i++)
        limit[i] = nat_ip_limit(&sc->p, i);
    *nl = (struct nat_lanes){nips, v, sc ? limit : NULL, nat_failure_words(prof,
                                                                           NAT_DROP_EXHAUSTED)};
    return nl;
}

static int write_page(const char *path, const struct page_src *src, const char *subtitle,
                      const struct run_metrics *m, const struct run_sample *samples,
                      size_t nsamples, uint64_t pool_ports, const struct portlog *pl,
                      const char *note, const struct nat_lanes *lanes, struct err *e)
{
    const struct profile *pr = profile_get(src->profile);
    char ew[96], cw[96];
    struct html_page pg = {
        .title = src->name,
        .subtitle = subtitle,
        .params_json = src->params_json,
        .m = m,
        .exhausted_words = profile_error_words(pr, false, ew, sizeof(ew)),
        .collision_words = profile_error_words(pr, true, cw, sizeof(cw)),
        .samples = samples,
        .nsamples = nsamples,
        .pool_ports = pool_ports,
        .duration = src->duration,
        .strip = pl ? portlog_strip(pl) : NULL,
        .heat = pl ? portlog_heat(pl) : NULL,
        .note = note,
        .lanes = lanes,
    };

    return html_write(path, &pg, e);
}

/* Run 'sc' with 'seed' and a portlog; '*out' and '*pl' to the caller. */
static int run_logged(const struct scenario *sc, uint64_t seed, struct run_output *out,
                      struct portlog **pl, struct err *e)
{
    struct run_options opt = {0};
    int rc;

    *pl = portlog_new(sc, sc->p.run.duration_ns);
    opt.queue = EVQ_WHEEL;
    portlog_attach(*pl, &opt);
    if ((rc = run_once(sc, seed, &opt, out, e)) != 0) {
        portlog_free(*pl);
        *pl = NULL;
        return rc;
    }
    portlog_finish(*pl);
    return 0;
}

static int from_scenario(const struct html_args *a, struct err *e)
{
    struct scenario sc;
    struct run_output out;
    struct portlog *pl;
    char sub[256];
    int rc;

    if ((rc = scenario_load(&sc, a->scenario, a->so.sets.v, a->so.sets.n, e)) != 0)
        return e->code = PS_EINVAL;     /* a scenario that cannot be read is bad input too */
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    if ((rc = run_logged(&sc, sc.p.run.seed, &out, &pl, e)) == 0) {
        const struct profile *pr = profile_get(sc.p.stack.profile);
        struct page_src src = src_of(&sc);
        struct nat_lanes nl;
        uint64_t limit[NAT_IPS_MAX];
        const struct nat_lanes *lanes = out.nat.nlanes == out.nsamples ?
            lanes_of(&nl, limit, &sc, sc.p.nat.profile, out.nat.nips, out.nat.lanes) : NULL;

        snprintf(sub, sizeof(sub), "%s rules (%s), seed %" PRIu64 ", %g s simulated; "
                 "scenario %s", pr->name, pr->systems, sc.p.run.seed,
                 simtime_to_s(sc.p.run.duration_ns), a->scenario ? a->scenario : "(--set)");
        rc = write_page(a->out, &src, sub, &out.m, out.samples, out.nsamples,
                        (uint64_t)out.pool_ports * out.pools, pl, NULL, lanes, e);
        portlog_free(pl);
        run_output_fini(&out);
    }
    scenario_fini(&sc);
    return rc;
}

/* ---- A recorded run ---- */

/* A JSON value in the form a scenario file would hold it. */
static int value_text(json_t *v, char *buf, size_t size)
{
    char num[FMT_BUF];
    size_t used = 0, i;
    json_t *x;

    if (json_is_string(v))
        return snprintf(buf, size, "%s", json_string_value(v)) < (int)size ? 0 : -1;
    if (json_is_integer(v))
        return snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < (int)size
                   ? 0 : -1;
    if (json_is_real(v))
        return snprintf(buf, size, "%s", fmt_double(json_real_value(v), num, sizeof(num)))
                   < (int)size ? 0 : -1;
    if (!json_is_array(v))
        return -1;
    buf[0] = '\0';
    json_array_foreach(v, i, x) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         json_is_string(x) ? json_string_value(x) : "");

        if (n < 0 || (size_t)n >= size - used)
            return -1;
        used += (size_t)n;
    }
    return 0;
}

/* Rebuild the scenario of params JSON 'json' into 'sc'; 0 if its hash is
 * 'hash', else non-zero with the reason in 'why'. */
static int rebuild(struct scenario *sc, const char *json, const char *hash, char *why,
                   size_t size)
{
    json_t *root = json_loads(json, 0, NULL), *sec, *v;
    const char *section, *key;
    struct err e;
    int rc = 0;

    err_clear(&e);
    if (!json_is_object(root)) {
        snprintf(why, size, "its parameters are not a JSON object");
        json_decref(root);
        return -1;
    }
    if (scenario_load(sc, NULL, NULL, 0, &e) != 0) {
        snprintf(why, size, "%s", e.msg);
        json_decref(root);
        return -1;
    }
    json_object_foreach(root, section, sec) {
        json_object_foreach(sec, key, v) {
            char sk[128], val[1024];

            snprintf(sk, sizeof(sk), "%s.%s", section, key);
            if (json_is_array(v) && json_array_size(v) == 0)
                continue;       /* no reserved ports: the default */
            if (value_text(v, val, sizeof(val)) != 0 ||
                scenario_set_key(sc, "recorded parameters", sk, val, &e) != 0) {
                snprintf(why, size, "its parameter '%s' cannot be set again (%s)", sk,
                         e.msg[0] ? e.msg : "value too long");
                rc = -1;
                goto out;
            }
        }
    }
    if (scenario_refresh(sc, &e) != 0) {
        snprintf(why, size, "its parameters do not validate (%s)", e.msg);
        rc = -1;
    } else if (strcmp(sc->hash, hash) != 0) {
        snprintf(why, size, "its parameters, read back, hash differently (another program "
                 "version?)");
        rc = -1;
    }
out:
    json_decref(root);
    if (rc != 0)
        scenario_fini(sc);
    return rc;
}

/* The NAT profile named in params JSON 'json' (none if it names none). */
static enum nat_profile_id nat_profile_of(const char *json)
{
    json_t *root = json_loads(json, 0, NULL);
    const char *name = json_string_value(json_object_get(json_object_get(root, "nat"),
                                                         "profile"));
    unsigned id = NAT_PROFILE_NONE;

    if (!name || names_find(&names_nat_profile, name, &id) != 0)
        id = NAT_PROFILE_NONE;
    json_decref(root);
    return (enum nat_profile_id)id;
}

/* The page of a run that cannot be made again: recorded figures only. */
static int page_recorded(const struct html_args *a, const char *db, const struct store_run *run,
                         const struct run_metrics *m, const struct run_sample *samples,
                         size_t n, const char *note, const struct nat_lanes *lanes,
                         struct err *e)
{
    json_t *root = json_loads(run->params_json, 0, NULL);
    json_t *stk = json_object_get(root, "stack");
    const char *prof = json_string_value(json_object_get(stk, "profile"));
    double dur = json_number_value(json_object_get(json_object_get(root, "run"), "duration"));
    json_int_t lo = json_integer_value(json_object_get(stk, "port_min"));
    json_int_t hi = json_integer_value(json_object_get(stk, "port_max"));
    struct page_src src = {run->scenario_name, run->params_json, PROFILE_WIN2000, 0};
    unsigned id = 0;
    uint64_t pool;
    char sub[400];
    int rc;

    if (prof && names_find(&names_profile, prof, &id) == 0)
        src.profile = (enum profile_id)id;
    src.duration = dur > 0 ? simtime_from_s(dur) : n ? samples[n - 1].t : 1;
    snprintf(sub, sizeof(sub), "run %" PRId64 " of %s, seed %" PRIu64 ", replication %u, "
             "recorded %s by portsim %s", a->run_id, db, run->seed, run->replication,
             run->started_at ? run->started_at : "?", run->version);
    /* the bounds come from a database, untrusted: a pool only for real ports */
    pool = lo >= 1 && hi >= lo && hi <= 65535 ? (uint64_t)(hi - lo + 1) : 0;
    rc = write_page(a->out, &src, sub, m, samples, n, pool, NULL, note, lanes, e);
    json_decref(root);
    return rc;
}

static int from_run(const struct html_args *a, struct err *e)
{
    struct store *st = NULL;
    struct store_run run;
    struct run_metrics m;
    struct run_sample *samples = NULL;
    struct run_output out;
    struct portlog *pl = NULL;
    struct scenario sc;
    struct page_src src;
    struct nat_ip_sample *lv = NULL;     /* issue 12: the recorded lanes */
    struct nat_lanes nl;
    uint64_t limit[NAT_IPS_MAX];
    uint32_t nips = 0;
    size_t n = 0, nl_n = 0;
    char why[2 * ERR_MSG_MAX], note[2 * ERR_MSG_MAX + 400], sub[400];
    const char *db = cli_db_path(a->db);
    bool same = false;
    int rc;

    if ((rc = store_open(&st, db, STORE_READ_ONLY, e)) != 0)
        return rc == PS_EIO ? (e->code = PS_EINVAL) : rc;  /* no database to read: bad input */
    if ((rc = store_run_load(st, a->run_id, &run, &m, &samples, &n, e)) != 0)
        goto out_close;
    if (strcmp(run.status, "ok") != 0) {
        rc = err_set(e, PS_EINVAL, "run %" PRId64 " failed (%s): nothing to chart", a->run_id,
                     run.error ? run.error : "no reason recorded");
        goto out_run;
    }
    if ((rc = store_nat_lanes_load(st, a->run_id, &nips, &lv, &nl_n, e)) != 0)
        goto out_run;
    if (nl_n != n)
        nips = 0;               /* lanes that do not match the samples: none */
    if (rebuild(&sc, run.params_json, run.params_hash, why, sizeof(why)) != 0) {
        /* no scenario to run: a page from the recorded figures alone */
        snprintf(note, sizeof(note), "No port chart: run %" PRId64 " could not be made again "
                 "because %s. 'portsim html SCENARIO' draws it from a scenario file.",
                 a->run_id, why);
        rc = page_recorded(a, db, &run, &m, samples, n, note,
                           lanes_of(&nl, limit, NULL, nat_profile_of(run.params_json), nips,
                                    lv), e);
        goto out_run;
    }
    if ((rc = run_logged(&sc, run.seed, &out, &pl, e)) != 0)
        goto out_sc;
    same = out.m.digest == m.digest;
    if (!same) {
        snprintf(note, sizeof(note), "No port chart: the run made again from the recorded "
                 "parameters and seed has digest %016" PRIx64 ", not the recorded %016" PRIx64
                 " (recorded by portsim %s).", out.m.digest, m.digest, run.version);
    }
    snprintf(sub, sizeof(sub), "run %" PRId64 " of %s (%s rules), seed %" PRIu64
             ", replication %u, recorded %s by portsim %s", a->run_id, db,
             profile_get(sc.p.stack.profile)->name, run.seed, run.replication,
             run.started_at ? run.started_at : "?", run.version);
    src = src_of(&sc);
    rc = write_page(a->out, &src, sub, &m, samples, n, (uint64_t)out.pool_ports * out.pools,
                    same ? pl : NULL, same ? NULL : note,
                    lanes_of(&nl, limit, &sc, sc.p.nat.profile, nips, lv), e);
    portlog_free(pl);
    run_output_fini(&out);
out_sc:
    scenario_fini(&sc);
out_run:
    free(lv);
    free(samples);
    store_run_fini(&run);
out_close:
    store_close(st);
    return rc;
}

int cmd_html(void *args, int nops, char **ops)
{
    struct html_args *a = args;
    struct outpipe of = {0};
    const char *out = a->out;
    struct err e;
    int rc;

    err_clear(&e);
    a->scenario = nops ? ops[0] : NULL;
    rc = check_args(a, &e);
    if (rc == 0 && (rc = outpipe_begin(&of, out, &e)) == 0) {
        a->out = of.path;       /* '--out -': a temporary file, then standard output */
        rc = a->run_id ? from_run(a, &e) : from_scenario(a, &e);
        a->out = out;
        if (rc == 0)
            rc = outpipe_end(&of, true, &e);
        else
            outpipe_end(&of, false, &e);
    }
    return rc ? cli_fail("html", &e) : 0;
}
