/* cmd_calibrate.c - 'portsim calibrate': a scenario on the host's own Linux
 * TCP stack, recorded beside its simulation.
 *
 * Order of work, so that bad input writes nothing: parse flags, load the
 * scenario and check that the kernel can run it (calibrate_check(), the
 * schedule's size: exit 2), then root and 'ip' (exit 1), open the database
 * (exit 1), run the simulation, run the kernel (cli/kernelrun.c: private
 * namespaces, removed afterwards), and record both in one go: the
 * simulated run with source 'sim', the kernel's with source 'kernel', the
 * same scenario and seed.  An interrupted kernel run records nothing and
 * exits 1.  --json prints one object: scenario, seed, the sysctls set, and
 * for 'sim' and 'kernel' the metrics, the run id and the number of the
 * first failed attempt; the kernel's also every attempt (time, errno,
 * local port, server).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analysis/calibration.h"
#include "analysis/store.h"
#include "cli/calibrate.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/kernelrun.h"
#include "cli/runner.h"
#include "models/names.h"

/* The simulation's first failed request, from the workload's events. */
static void first_give_up(void *ctx, const struct wl_event *ev)
{
    uint64_t *first = ctx;

    if (ev->kind == WL_EV_GIVE_UP && *first == 0)
        *first = ev->request;
}

static const char *errno_name(int err)
{
    const char *s = err ? strerrorname_np(err) : NULL;

    return s ? s : err ? "?" : "ok";
}

/* "EADDRNOTAVAIL 100, ECONNREFUSED 2" for the failed attempts. */
static void error_counts(const struct cal_observed *o, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < o->nattempts; i++) {
        int err = o->attempts[i].err;
        size_t count = 0;
        bool seen = false;

        if (!o->attempts[i].done || err == 0)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = o->attempts[j].done && o->attempts[j].err == err;
        if (seen)
            continue;
        for (size_t j = i; j < o->nattempts; j++)
            count += o->attempts[j].done && o->attempts[j].err == err;
        if (used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s %zu", used ? ", " : "",
                                     errno_name(err), count);
    }
    if (!buf[0])
        snprintf(buf, size, "none");
}

/* How late connect() was called against the schedule: the largest delay
 * (s) and the number of calls later than 10 ms. */
static double lateness(const struct cal_observed *o, size_t *late10)
{
    double worst = 0;

    *late10 = 0;
    for (size_t i = 0; i < o->nattempts; i++) {
        double d = simtime_to_s(o->attempts[i].t_call) - simtime_to_s(o->attempts[i].t_sched);

        if (d > worst)
            worst = d;
        *late10 += d > 0.010;
    }
    return worst;
}

static json_t *metrics_json(const struct run_metrics *m)
{
    json_t *o = json_object();
    char hex[17];

#define PUT_U(n) json_object_set_new(o, #n, json_integer((json_int_t)m->n));
#define PUT_D(n) json_object_set_new(o, #n, json_real(m->n));
#define PUT_T(n) json_object_set_new(o, #n, m->has_first_failure ? json_real(m->n) : json_null());
#define PUT_H(n)                                         \
    snprintf(hex, sizeof(hex), "%016" PRIx64, m->n);    \
    json_object_set_new(o, #n, json_string(hex));
#define PUT(name, kind) PUT_##kind(name)
    METRICS_FIELDS(PUT)
#undef PUT
    return o;
}

static json_t *id_json(int64_t id)
{
    return id ? json_integer((json_int_t)id) : json_null();
}

static void print_json(const struct scenario *sc, const char *settings,
                       const struct run_metrics *sm, uint64_t sim_first, int64_t sim_id,
                       const struct run_metrics *km, uint64_t k_first, uint64_t other,
                       int64_t k_id, const struct cal_observed *o,
                       const struct cal_request *reqs)
{
    json_t *root = json_object(), *sim = json_object(), *ker = json_object();
    json_t *set = json_object(), *att = json_array();
    char *text;

    for (const char *p = settings; *p;) {
        size_t len = strcspn(p, "\n");
        const char *eq = memchr(p, '=', len);

        if (eq && eq - p > 1) {
            char key[96], val[512];

            snprintf(key, sizeof(key), "%.*s", (int)(eq - p - 1), p);
            snprintf(val, sizeof(val), "%.*s", (int)(len - (size_t)(eq - p) - 2), eq + 2);
            json_object_set_new(set, key, json_string(val));
        }
        p += len + (p[len] == '\n');
    }
    json_object_set_new(root, "scenario", json_string(sc->p.run.name));
    json_object_set_new(root, "seed", json_integer((json_int_t)sc->p.run.seed));
    json_object_set_new(root, "params", json_loads(sc->json, 0, NULL));
    json_object_set_new(root, "sysctls", set);
    json_object_set_new(sim, "run_id", id_json(sim_id));
    json_object_set_new(sim, "first_failure_attempt",
                        sim_first ? json_integer((json_int_t)sim_first) : json_null());
    json_object_set_new(sim, "metrics", metrics_json(sm));
    json_object_set_new(ker, "run_id", id_json(k_id));
    json_object_set_new(ker, "first_failure_attempt",
                        k_first ? json_integer((json_int_t)k_first) : json_null());
    json_object_set_new(ker, "other_failures", json_integer((json_int_t)other));
    {
        size_t late10;
        double worst = lateness(o, &late10);

        json_object_set_new(ker, "max_connect_delay", json_real(worst));
        json_object_set_new(ker, "connects_late_10ms", json_integer((json_int_t)late10));
    }
    json_object_set_new(ker, "metrics", metrics_json(km));
    for (size_t i = 0; i < o->nattempts; i++) {
        const struct cal_attempt *a = &o->attempts[i];
        json_t *x = json_object();

        json_object_set_new(x, "t", json_real(simtime_to_s(a->t_call)));
        json_object_set_new(x, "errno", !a->done ? json_string("in progress")
                                        : a->err ? json_string(errno_name(a->err))
                                                 : json_null());
        json_object_set_new(x, "port", json_integer(a->port));
        json_object_set_new(x, "server", json_integer(reqs[i].server));
        json_array_append_new(att, x);
    }
    json_object_set_new(ker, "attempts", att);
    json_object_set_new(root, "sim", sim);
    json_object_set_new(root, "kernel", ker);
    text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (text)
        puts(text);
    free(text);
    json_decref(root);
}

static void print_text(const struct scenario *sc, size_t nreqs, const char *settings,
                       const struct run_metrics *sm, uint64_t sim_first,
                       const struct run_metrics *km, uint64_t k_first,
                       const struct cal_observed *o)
{
    char errs[256];
    const struct workload_params *w = &sc->p.workload;

    printf("calibrate %s (seed %" PRIu64 "): %zu connects over %.9g s, %s arrivals at "
           "%.9g/s, %u server%s, close %s\n", sc->p.run.name, sc->p.run.seed, nreqs,
           simtime_to_s(sc->p.run.duration_ns), names_of(&names_arrivals, w->arrivals),
           w->rate_per_s, w->servers, w->servers == 1 ? "" : "s",
           names_of(&names_close, w->close));
    printf("kernel (client namespace):\n");
    for (const char *p = settings; *p;) {
        size_t len = strcspn(p, "\n");

        printf("  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
    error_counts(o, errs, sizeof(errs));
    printf("kernel connect() errors: %s\n", errs);
    {
        size_t late10;
        double worst = lateness(o, &late10);

        printf("kernel connect() calls against the schedule: at most %.1f ms late, %zu later "
               "than 10 ms\n", worst * 1e3, late10);
    }
    if (k_first)
        printf("first failure: kernel at attempt %" PRIu64 " (%.3f s, %s)", k_first,
               km->first_failure_time, errno_name(o->attempts[k_first - 1].err));
    else
        printf("first failure: kernel none");
    if (sim_first)
        printf("; simulation at attempt %" PRIu64 " (%.3f s)\n", sim_first,
               sm->first_failure_time);
    else
        printf("; simulation none\n");
    printf("\n");
    calibration_table(stdout, NULL, km, sm);
    printf("\nTIME_WAIT figures of the kernel are sampled every %.9g s from /proc/net/tcp; "
           "the simulation's are exact.\n", simtime_to_s(sc->p.run.sample_interval_ns));
}

static int calibrate(struct cal_args *a, struct scenario *sc, struct err *e)
{
    struct cal_request *reqs = NULL;
    size_t nreqs = 0;
    struct store *st = NULL;
    struct runner_job job = {.sc = sc, .seed = sc->p.run.seed};
    struct run_options opt = {0};
    struct run_output out;
    struct cal_observed obs;
    struct run_metrics km;
    struct run_sample *ksamples = NULL;
    size_t nks = 0;
    uint64_t sim_first = 0, k_first = 0, other = 0;
    int64_t sim_id = 0, k_id = 0;
    char settings[1024];
    const char *ip;
    int rc;

    memset(&out, 0, sizeof(out));
    memset(&obs, 0, sizeof(obs));
    if ((rc = calibrate_check(sc, e)) != 0 ||
        (rc = calibrate_schedule(sc, sc->p.run.seed, &reqs, &nreqs, e)) != 0)
        return rc;
    if ((rc = kernelrun_check(&ip, e)) != 0)
        goto out;
    if (!a->no_db && (rc = store_open(&st, cli_db_path(a->db), STORE_CREATE, e)) != 0)
        goto out;
    opt.wl_obs = first_give_up;
    opt.obs_ctx = &sim_first;
    if ((rc = runner_run(&job, &opt, &out, e)) != 0)
        goto out;
    if (!a->json)
        fprintf(stderr, "portsim calibrate: running %s on the kernel for %.9g s...\n",
                sc->p.run.name, simtime_to_s(sc->p.run.duration_ns));
    if ((rc = kernelrun_run(sc, reqs, nreqs, &obs, settings, sizeof(settings), e)) != 0)
        goto out;
    if (obs.interrupted) {
        rc = err_set(e, PS_EINTR, "interrupted; nothing recorded");
        goto out;
    }
    calibrate_metrics(sc, &obs, &km, &ksamples, &nks, &other, &k_first);
    if (st) {
        struct store_run r;

        if ((rc = runner_record(st, &job, &out, &sim_id, e)) != 0)
            goto out;
        runner_store_run(&job, obs.wall_seconds, &r);
        r.source = "kernel";
        if ((rc = store_record_run(st, &r, &km, ksamples, nks, &k_id, e)) != 0)
            goto out;
    }
    if (a->json)
        print_json(sc, settings, &out.m, sim_first, sim_id, &km, k_first, other, k_id, &obs,
                   reqs);
    else
        print_text(sc, nreqs, settings, &out.m, sim_first, &km, k_first, &obs);
    if (!a->json && st)
        printf("recorded in %s: simulated run %" PRId64 ", kernel run %" PRId64
               " (portsim report --calibration)\n", cli_db_path(a->db), sim_id, k_id);
out:
    free(ksamples);
    cal_observed_fini(&obs);
    run_output_fini(&out);
    store_close(st);
    free(reqs);
    return rc;
}

int cmd_calibrate(void *args, int nops, char **ops)
{
    struct cal_args *a = args;
    struct scenario sc;
    struct err e;
    int rc;

    err_clear(&e);
    if (nops == 0)
        rc = err_set(&e, PS_EINVAL, "which scenario? (portsim calibrate SCENARIO)");
    else if (a->db && a->no_db)
        rc = err_set(&e, PS_EINVAL, "--db and --no-db exclude each other");
    else if ((rc = scenario_load(&sc, ops[0], a->so.sets.v, a->so.sets.n, &e)) != 0)
        e.code = PS_EINVAL;
    if (rc != 0)
        return cli_fail("calibrate", &e);
    if (a->so.has_seed)
        sc.p.run.seed = a->so.seed;
    rc = calibrate(a, &sc, &e);
    scenario_fini(&sc);
    return rc ? cli_fail("calibrate", &e) : 0;
}
