/* calibrate.c - the pure logic of 'portsim calibrate' (see calibrate.h). */
#include "cli/calibrate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/names.h"
#include "models/stack.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

/* ---- Which scenarios ---- */

int calibrate_check(const struct scenario *sc, struct err *e)
{
    const struct scenario_params *p = &sc->p;
    const char *why = NULL, *key = NULL;
    char got[64] = "";

#define NOPE(k, w, ...) \
    do { key = k; why = w; snprintf(got, sizeof(got), __VA_ARGS__); } while (0)
    if (p->stack.profile != PROFILE_LINUX)
        NOPE("stack.profile", "linux (the host's kernel is Linux)", "%s",
             names_of(&names_profile, p->stack.profile));
    else if (p->stack.time_wait_ns != 60 * SIMTIME_NS_PER_S)
        NOPE("stack.time_wait", "60 s (the kernel's fixed TCP_TIMEWAIT_LEN)", "%.9g s",
             simtime_to_s(p->stack.time_wait_ns));
    else if (p->stack.reuse_time_wait != REUSE_NO && p->stack.reuse_time_wait != REUSE_AFTER_DELAY)
        NOPE("stack.reuse_time_wait", "no or after-delay (tcp_tw_reuse 0 or 1)", "%s",
             names_of(&names_reuse, p->stack.reuse_time_wait));
    else if (p->stack.local_addresses != 1)
        NOPE("stack.local_addresses", "1", "%u", p->stack.local_addresses);
    else if (p->workload.arrivals != ARRIVALS_CONSTANT && p->workload.arrivals != ARRIVALS_POISSON)
        NOPE("workload.arrivals", "constant or poisson", "%s",
             names_of(&names_arrivals, p->workload.arrivals));
    else if (p->workload.cache_ttl_ns != 0)
        NOPE("workload.cache_ttl", "0 (one connection per request)", "%.9g s",
             simtime_to_s(p->workload.cache_ttl_ns));
    else if (p->workload.connection_limit != 0)
        NOPE("workload.connection_limit", "0", "%u", p->workload.connection_limit);
    else if (p->workload.retries != 0)
        NOPE("workload.retries", "0", "%u", p->workload.retries);
    else if (p->run.warmup_ns != 0)
        NOPE("run.warmup", "0", "%.9g s", simtime_to_s(p->run.warmup_ns));
    else if (p->run.duration_ns > (simtime)CALIBRATE_MAX_DURATION_S * SIMTIME_NS_PER_S)
        NOPE("run.duration", "at most 120 s for a kernel run", "%.9g s",
             simtime_to_s(p->run.duration_ns));
    else if (p->workload.servers > CALIBRATE_MAX_SERVERS)
        NOPE("workload.servers", "at most 200 for a kernel run", "%u", p->workload.servers);
#undef NOPE
    if (!why)
        return 0;
    return err_set(e, PS_EINVAL, "%s: '%s' must be %s for calibrate (got '%s')",
                   p->run.name, key, why, got);
}

/* ---- The schedule ---- */

/* As models/workload.c service_time(). */
static simtime draw_service(const struct workload_params *w, gsl_rng *r)
{
    double mean = simtime_to_s(w->service_time_ns);

    if (w->service_dist == SERVICE_CONSTANT || w->service_time_ns == 0)
        return w->service_time_ns;
    if (w->service_dist == SERVICE_EXPONENTIAL)
        return simtime_from_s(gsl_ran_exponential(r, mean));
    return simtime_from_s(gsl_ran_lognormal(
        r, log(mean) - w->service_sigma * w->service_sigma / 2, w->service_sigma));
}

int calibrate_schedule(const struct scenario *sc, uint64_t seed, struct cal_request **out,
                       size_t *n, struct err *e)
{
    const struct workload_params *w = &sc->p.workload;
    struct cal_request *v = NULL;
    size_t cap = 0, k = 0;
    struct rngset rs;
    simtime t = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = rngset_init(&rs, sc->p.run.rng, seed, e)) != 0)
        return rc;
    for (;; k++) {
        if (w->arrivals == ARRIVALS_CONSTANT)
            t = (simtime)((long double)k * 1e9L / (long double)w->rate_per_s + 0.5L);
        else
            t += simtime_from_s(gsl_ran_exponential(rngset_get(&rs, RNG_ARRIVALS),
                                                    1.0 / w->rate_per_s));
        if (t >= sc->p.run.duration_ns)
            break;
        if (k >= CALIBRATE_MAX_ATTEMPTS) {
            free(v);
            rngset_fini(&rs);
            return err_set(e, PS_EINVAL, "%s: more than %d connects in %.9g s at %.9g/s; "
                           "calibrate makes at most %d (shorten run.duration or lower "
                           "workload.rate)", sc->p.run.name, CALIBRATE_MAX_ATTEMPTS,
                           simtime_to_s(sc->p.run.duration_ns), w->rate_per_s,
                           CALIBRATE_MAX_ATTEMPTS);
        }
        v = xgrow(v, &cap, k + 1, sizeof(*v));
        v[k].t = t;
        v[k].service = draw_service(w, rngset_get(&rs, RNG_SERVICE));
        v[k].server = (uint32_t)(k % w->servers);
    }
    rngset_fini(&rs);
    *out = v;
    *n = k;
    return 0;
}

/* ---- /proc/net/tcp ---- */

bool calibrate_procnet_line(const char *line, struct procnet_entry *out)
{
    unsigned slot, la, lp, ra, rp, st;
    int used = 0;

    if (sscanf(line, " %u: %8x:%4x %8x:%4x %2x%n", &slot, &la, &lp, &ra, &rp, &st, &used) != 6 ||
        used == 0 || lp > 0xffff || rp > 0xffff || st == 0 || st > 0x0f)
        return false;
    /* the kernel prints the address as the 32-bit word in memory: network
     * order read as a host (little-endian) word; swap it into host order */
    out->local_addr = __builtin_bswap32(la);
    out->remote_addr = __builtin_bswap32(ra);
    out->local_port = (uint16_t)lp;
    out->remote_port = (uint16_t)rp;
    out->state = st;
    return true;
}

uint32_t calibrate_procnet_time_wait(const char *text)
{
    uint32_t n = 0;

    while (text && *text) {
        const char *nl = strchr(text, '\n');
        struct procnet_entry x;

        if (calibrate_procnet_line(text, &x) && x.state == PROCNET_TIME_WAIT)
            n++;
        text = nl ? nl + 1 : NULL;
    }
    return n;
}

/* ---- Metrics ---- */

void cal_observed_fini(struct cal_observed *o)
{
    free(o->attempts);
    free(o->ticks);
    memset(o, 0, sizeof(*o));
}

void calibrate_metrics(const struct scenario *sc, const struct cal_observed *o,
                       struct run_metrics *m, struct run_sample **samples, size_t *nsamples,
                       uint64_t *other_failures, uint64_t *first_failure_attempt)
{
    simtime si = sc->p.run.sample_interval_ns;
    struct run_sample *s = NULL;
    double tw_sum = 0, stw_sum = 0;
    uint64_t h = 0x9e3779b97f4a7c15u;
    size_t j = 0;

    memset(m, 0, sizeof(*m));
    *other_failures = 0;
    *first_failure_attempt = 0;
    for (size_t i = 0; i < o->nattempts; i++) {
        const struct cal_attempt *a = &o->attempts[i];

        m->requests++;
        m->connect_attempts++;
        h = rng_mix64(h ^ ((uint64_t)i << 20) ^ (uint64_t)(a->done ? a->err + 1 : 0));
        if (!a->done)
            continue;
        if (a->err == 0) {
            m->connects++;
            continue;
        }
        m->connect_failures++;
        m->requests_failed++;
        if (a->err == EADDRNOTAVAIL)
            m->failures_exhausted++;
        else if (a->err == EADDRINUSE)
            m->failures_collision++;
        else
            (*other_failures)++;
        if (!m->has_first_failure) {
            m->has_first_failure = true;
            m->first_failure_time = simtime_to_s(a->t_call);
            *first_failure_attempt = i + 1;
        }
    }
    m->peak_in_use = o->peak_in_use;
    m->mean_in_use = sc->p.run.duration_ns ? o->in_use_area / simtime_to_s(sc->p.run.duration_ns)
                                           : 0;
    for (size_t k = 0; k < o->nticks; k++) {
        const struct cal_tick *t = &o->ticks[k];

        if (t->time_wait > m->peak_time_wait)
            m->peak_time_wait = t->time_wait;
        if (t->server_time_wait > m->peak_server_time_wait)
            m->peak_server_time_wait = t->server_time_wait;
        tw_sum += t->time_wait;
        stw_sum += t->server_time_wait;
    }
    if (o->nticks) {
        m->mean_time_wait = tw_sum / (double)o->nticks;
        m->mean_server_time_wait = stw_sum / (double)o->nticks;
    }
    m->requests_unfinished = o->unfinished;
    m->time_wait_overflows = o->tw_overflows;
    m->wall_seconds = o->wall_seconds;
    m->digest = h;

    /* samples: the state at each tick, the counts of (t - interval, t] by
     * arrival time, as the simulation counts them */
    if (si && o->nticks)
        s = xcalloc(o->nticks, sizeof(*s));
    for (size_t k = 0; s && k < o->nticks; k++) {
        simtime t = o->ticks[k].t;

        s[k].t = t;
        s[k].in_use = o->ticks[k].in_use;
        s[k].time_wait = o->ticks[k].time_wait;
        for (; j < o->nattempts && o->attempts[j].t_sched <= t; j++) {
            s[k].requests++;
            if (o->attempts[j].done && o->attempts[j].err == 0)
                s[k].connects++;
            else if (o->attempts[j].done)
                s[k].failures++;
        }
    }
    *samples = s;
    *nsamples = s ? o->nticks : 0;
}
