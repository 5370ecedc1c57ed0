/* run.c - one run and its measurements (see run.h).
 *
 * Gauges (ports in use, client and server TIME_WAIT entries) are updated
 * from the stack's observer after every change, so peaks see even a
 * connection of zero length, and time-weighted means integrate exactly in
 * integer ns.  A warm-up event at t = warmup snapshots the counters and
 * restarts the gauges; the metrics are final minus snapshot.  Samples are
 * events of their own (armed one interval ahead): they never change the
 * order of the model's events, but they are part of the event stream, so
 * run.sample_interval is a parameter of the run like any other (and in its
 * digest).  Observers only watch: the digest is the same with or without
 * them.  Cost: O(1) per stack change on top of the model: a gauge is
 * folded only when its level changed (a connect moves 'in use', an expiry
 * moves TIME_WAIT), which gives the same areas and peaks as folding all
 * three every time.  Areas are 128-bit integers, exact at any size, and
 * become a long double once, for the mean (as exact as the long double sum
 * they replace, which was exact below 2^64 ns x level).
 * Issue 17: every connect() (STACK_EV_CONNECT or STACK_EV_FAIL) adds its
 * candidates and its cost to two histograms (models/hist.h), restarted at
 * the warm-up; leaked sockets are a fourth gauge, 'bound'.
 * Issue 12: with [nat], each sample also takes the NAT's lanes (per public
 * IP: ports in use, drops and flows of the interval; nat_lane() draws
 * nothing and only makes expiries the NAT would make anyway), so the
 * digest is the same with or without them.
 */
#include "models/run.h"

#include <stdlib.h>
#include <string.h>

#include "models/gauge.h"
#include "models/hist.h"
#include "models/nat.h"
#include "sim/sim.h"
#include "sim/xalloc.h"


struct run {
    struct sim *s;
    struct stack *st;
    struct workload *wl;
    struct nat *nat;                    /* issue 12: [nat], or NULL */
    const struct scenario *sc;
    const struct run_options *opt;
    struct run_output *out;
    bool warm;                          /* past the warm-up */
    struct timer warmup_timer;
    struct timer sample_timer;
    struct gauge in_use, tw, server_tw;
    const struct stack_counters *counters;  /* the stack's, read in place */
    struct workload_counters base;      /* counters at the warm-up */
    uint64_t base_overflows;            /* stack overflows at the warm-up (issue 11) */
    struct workload_counters last;      /* counters at the last sample */
    simtime first_failure;              /* first failed connect after warm-up */
    /* issue 17 */
    struct gauge bound;                 /* ports held by leaked sockets */
    struct hist *cand;                  /* candidates per connect() */
    struct hist *cost;                  /* connect() time, ns */
    uint32_t cand_max_interval;         /* most candidates since the last sample */
    bool watch_stopped;                 /* the caller's watcher stopped the run */
    size_t cap_lanes, cap_lane_all;     /* issue 12: out->nat.lanes, lane_all */
};

/* ---- Gauges ---- */

static void gauges_update(struct run *r)
{
    const struct stack_counters *c = stack_counters(r->st);
    simtime now = sim_now(r->s);

    gauge_set(&r->in_use, r->warm, now, c->in_use);
    gauge_set(&r->tw, r->warm, now, c->time_wait);
    gauge_set(&r->server_tw, r->warm, now, c->server_time_wait);
    gauge_set(&r->bound, r->warm, now, c->bound);
}

/* After a change of the stack: fold only the gauges whose level moved. */
static void gauges_changed(struct run *r)
{
    const struct stack_counters *c = r->counters;

    if (c->in_use != r->in_use.level)
        gauge_set(&r->in_use, r->warm, sim_now(r->s), c->in_use);
    if (c->time_wait != r->tw.level)
        gauge_set(&r->tw, r->warm, sim_now(r->s), c->time_wait);
    if (c->server_time_wait != r->server_tw.level)
        gauge_set(&r->server_tw, r->warm, sim_now(r->s), c->server_time_wait);
    if (c->bound != r->bound.level)
        gauge_set(&r->bound, r->warm, sim_now(r->s), c->bound);
}

/* Issue 17: a connect() was made (handed out a port or failed). */
static void count_connect(struct run *r)
{
    const struct stack_counters *c = r->counters;

    if (c->last_candidates > r->cand_max_interval)
        r->cand_max_interval = c->last_candidates;
    if (!r->warm)
        return;
    hist_add(r->cand, c->last_candidates);
    hist_add(r->cost, c->last_cost_ns);
}

static void on_stack_event(void *ctx, const struct stack_event *ev)
{
    struct run *r = ctx;

    gauges_changed(r);
    if (ev->kind == STACK_EV_CONNECT || ev->kind == STACK_EV_FAIL)
        count_connect(r);
    if (ev->kind == STACK_EV_FAIL && r->warm && r->first_failure == SIMTIME_NEVER) {
        r->first_failure = sim_now(r->s);
        r->out->fail_in_use = (uint32_t)r->in_use.level;
        r->out->fail_time_wait = (uint32_t)r->tw.level;
    }
    if (r->opt && r->opt->stack_obs)
        r->opt->stack_obs(r->opt->obs_ctx, ev);
}

/* ---- Warm-up and samples ---- */

static void on_warmup(struct sim *s, struct timer *t)
{
    struct run *r = TIMER_OWNER(t, struct run, warmup_timer);

    gauges_update(r);
    r->warm = true;
    gauge_restart(&r->in_use, sim_now(s));
    gauge_restart(&r->tw, sim_now(s));
    gauge_restart(&r->server_tw, sim_now(s));
    gauge_restart(&r->bound, sim_now(s));
    r->base = *workload_counters(r->wl);
    r->base_overflows = stack_counters(r->st)->overflows;
    if (r->nat)
        nat_warmup(r->nat, sim_now(s));
}

static uint32_t delta32(uint64_t now, uint64_t before)
{
    uint64_t d = now - before;

    return d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* Issue 12: the NAT's lanes at this sample (no draw, no change of order:
 * nat_lane()), beside the run's sample. */
static void take_lanes(struct run *r)
{
    struct nat_run_metrics *m = &r->out->nat;
    struct nat_ip_sample x[NAT_IPS_MAX + 1];
    uint32_t nips = r->sc->p.nat.public_ips;

    nat_lane(r->nat, sim_now(r->s), x);
    m->lanes = xgrow(m->lanes, &r->cap_lanes, (m->nlanes + 1) * nips, sizeof(*m->lanes));
    m->lane_all = xgrow(m->lane_all, &r->cap_lane_all, m->nlanes + 1, sizeof(*m->lane_all));
    memcpy(&m->lanes[m->nlanes * nips], x, nips * sizeof(*x));
    m->lane_all[m->nlanes++] = x[nips];
}

static void take_sample(struct run *r)
{
    const struct workload_counters *c = workload_counters(r->wl);
    const struct stack_counters *sc = stack_counters(r->st);
    struct run_output *o = r->out;
    struct run_sample *x;

    o->samples = xgrow(o->samples, &o->cap_samples, o->nsamples + 1, sizeof(*o->samples));
    x = &o->samples[o->nsamples++];
    memset(x, 0, sizeof(*x));          /* padding too: samples compare with memcmp */
    x->t = sim_now(r->s);
    x->in_use = sc->in_use;
    x->time_wait = sc->time_wait;
    x->connects = delta32(c->connects, r->last.connects);
    x->failures = delta32(c->failures_exhausted + c->failures_collision,
                          r->last.failures_exhausted + r->last.failures_collision);
    x->requests = delta32(c->requests, r->last.requests);
    x->bound = sc->bound;
    x->candidates_max = r->cand_max_interval;
    r->cand_max_interval = 0;
    r->last = *c;
    if (r->nat)
        take_lanes(r);
}

static void on_sample(struct sim *s, struct timer *t)
{
    struct run *r = TIMER_OWNER(t, struct run, sample_timer);

    take_sample(r);
    sim_arm_in(s, t, r->sc->p.run.sample_interval_ns, on_sample);
}

/* ---- Issue 12: the fleet and the NAT ---- */

static void nat_scope(const struct nat_counts *c, struct nat_scope_metrics *m)
{
    m->nat_flows = c->flows;
    m->nat_failures = c->failures;
    m->nat_idle_timeouts = c->idle_timeouts;
    m->syn_retransmits = c->syn_retransmits;
    m->connect_timeouts = c->connect_timeouts;
    m->nat_first_failure = c->first_failure_s;
    m->nat_ports_peak = c->peak_ports;
    m->nat_ports_mean = c->mean_ports;
}

static void fill_nat(struct run *r, simtime end)
{
    const struct scenario_params *p = &r->sc->p;
    struct nat_run_metrics *m = &r->out->nat;
    simtime warmup = p->run.warmup_ns;
    struct nat_counts c;

    nat_finish(r->nat, end);
    m->on = true;
    m->translations_end = nat_translations(r->nat);
    m->bytes_end = nat_bytes(r->nat);
    m->failure_words = nat_failure_words(p->nat.profile, NAT_DROP_EXHAUSTED);
    nat_total(r->nat, warmup, end, &c);
    nat_scope(&c, &m->total);
    m->connect_p50_s = nat_latency_s(r->nat, 0.5);
    m->connect_p99_s = nat_latency_s(r->nat, 0.99);
    m->pool_resets = workload_counters(r->wl)->nat_resets - r->base.nat_resets;
    m->nips = p->nat.public_ips;
    m->nhosts = p->fleet.hosts;
    m->ip = xcalloc(m->nips, sizeof(*m->ip));
    m->host = xcalloc(m->nhosts, sizeof(*m->host));
    for (uint32_t i = 0; i < m->nips; i++) {
        nat_ip(r->nat, i, warmup, end, &c);
        nat_scope(&c, &m->ip[i]);
    }
    for (uint32_t h = 0; h < m->nhosts; h++) {
        nat_host(r->nat, h, &c);
        nat_scope(&c, &m->host[h]);
    }
    sim_digest_mix(r->s, nat_digest(r->nat));
}

/* The stack of a fleet: every host's addresses in one stack, a pool per
 * host (stack.c), so that each host keeps its own ports and TIME_WAIT. */
static struct stack_params fleet_stack(const struct scenario_params *p)
{
    struct stack_params sp = p->stack;

    if (p->fleet.hosts > 1) {
        /* issue 11's cap is each host's own (tcp_max_tw_buckets per kernel or
         * network namespace): the fleet's one stack gets hosts x the cap */
        uint64_t cap = (uint64_t)sp.max_time_wait * p->fleet.hosts;

        sp.local_addresses *= p->fleet.hosts;
        sp.hosts = p->fleet.hosts;
        sp.max_time_wait = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
    }
    return sp;
}

/* ---- Metrics ---- */

static void fill_metrics(struct run *r, simtime end)
{
    const struct workload_counters *c = workload_counters(r->wl);
    const struct workload_counters *b = &r->base;
    struct run_metrics *m = &r->out->m;
    simtime span = end - r->sc->p.run.warmup_ns;

    gauges_update(r);
    memset(m, 0, sizeof(*m));
    m->requests = c->requests - b->requests;
    m->cache_hits = c->cache_hits - b->cache_hits;
    m->connect_attempts = c->connect_attempts - b->connect_attempts;
    m->connects = c->connects - b->connects;
    m->failures_exhausted = c->failures_exhausted - b->failures_exhausted;
    m->failures_collision = c->failures_collision - b->failures_collision;
    m->connect_failures = m->failures_exhausted + m->failures_collision;
    m->retries = c->retries - b->retries;
    m->requests_failed = c->requests_failed - b->requests_failed;
    m->requests_unfinished = c->live_requests;
    m->time_wait_overflows = stack_counters(r->st)->overflows - r->base_overflows;
    m->peak_in_use = r->in_use.peak;
    m->mean_in_use = gauge_mean(&r->in_use, span);
    m->peak_time_wait = r->tw.peak;
    m->mean_time_wait = gauge_mean(&r->tw, span);
    m->peak_server_time_wait = r->server_tw.peak;
    m->mean_server_time_wait = gauge_mean(&r->server_tw, span);
    m->has_first_failure = r->first_failure != SIMTIME_NEVER;
    m->first_failure_time = m->has_first_failure ? simtime_to_s(r->first_failure) : 0;
    m->candidates_mean = hist_mean(r->cand);
    m->candidates_p50 = hist_quantile(r->cand, 0.5);
    m->candidates_p99 = hist_quantile(r->cand, 0.99);
    m->candidates_max = r->cand->max;
    m->connect_latency_p50_ns = hist_quantile(r->cost, 0.5);
    m->connect_latency_p99_ns = hist_quantile(r->cost, 0.99);
    m->peak_bound = r->bound.peak;
    m->mean_bound = gauge_mean(&r->bound, span);
    m->events = sim_events(r->s);
    if (r->nat)
        fill_nat(r, end);
    /* the digest witnesses the event stream and the final state */
    sim_digest_mix(r->s, m->requests);
    sim_digest_mix(r->s, m->connects);
    sim_digest_mix(r->s, m->connect_failures);
    sim_digest_mix(r->s, m->requests_failed);
    sim_digest_mix(r->s, m->peak_in_use);
    sim_digest_mix(r->s, m->peak_time_wait);
    sim_digest_mix(r->s, stack_counters(r->st)->time_wait);
    m->digest = sim_digest(r->s);
}

/* The caller's watcher, noting that it stopped the run. */
static bool on_watch(void *ctx, const struct sim *s)
{
    struct run *r = ctx;

    r->watch_stopped = r->opt->watch(r->opt->watch_ctx, s);
    return r->watch_stopped;
}

/* ---- Public ---- */

int run_once(const struct scenario *sc, uint64_t seed, const struct run_options *opt,
             struct run_output *out, struct err *e)
{
    const struct scenario_params *p = &sc->p;
    struct sim_config cfg = {.seed = seed, .rng = p->run.rng,
                             .queue = opt ? opt->queue : EVQ_WHEEL, .wheel_shift = 0};
    struct run r;
    struct stack_params sp;
    simtime end = p->run.duration_ns;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    if ((rc = sim_new(&r.s, &cfg, e)) != 0)
        return err_prefix(e, "'run.rng'");
    r.sc = sc;
    r.opt = opt;
    r.out = out;
    r.first_failure = SIMTIME_NEVER;
    r.cand = xcalloc(1, sizeof(*r.cand));
    r.cost = xcalloc(1, sizeof(*r.cost));
    sp = fleet_stack(p);                                        /* issue 12 */
    sp = stack_params_bound(&sp, p->workload.bind);             /* issue 11 */
    r.st = stack_new(r.s, &sp, p->workload.servers);
    r.counters = stack_counters(r.st);
    stack_observe(r.st, on_stack_event, &r, opt ? opt->detail : 0);
    out->pool_ports = stack_pool_ports(r.st);
    out->pools = stack_pools(r.st);
    /* warm-up and sampling are armed before the workload's first arrival,
     * so at equal times they see the state before that arrival */
    if (p->run.warmup_ns == 0) {
        r.warm = true;
    } else {
        sim_arm(r.s, &r.warmup_timer, p->run.warmup_ns, on_warmup);
    }
    if (p->run.sample_interval_ns)
        sim_arm(r.s, &r.sample_timer, 0, on_sample);
    r.wl = workload_new(r.s, r.st, &p->workload, sp.local_addresses, sc->trace,
                        sc->ntrace);
    if (p->nat.profile != NAT_PROFILE_NONE)
        r.nat = nat_new(&p->nat, p->fleet.hosts, p->workload.servers, sim_rng(r.s, RNG_NAT));
    if (r.nat || p->fleet.hosts > 1)
        workload_set_fleet(r.wl, p->fleet.hosts, r.nat, p->nat.syn_retries, p->nat.syn_rto_ns);
    if (opt && opt->wl_obs)
        workload_observe(r.wl, opt->wl_obs, opt->obs_ctx);
    if (opt && opt->on_start)
        opt->on_start(opt->obs_ctx, r.s, r.st);
    if (opt && opt->until && opt->until < end)
        end = opt->until;
    if (opt && opt->watch)
        sim_watch(r.s, opt->watch_every, on_watch, &r);
    sim_run(r.s, end);
    if (r.watch_stopped) {      /* metrics up to now (nothing before the warm-up ends) */
        out->truncated = true;
        end = sim_now(r.s) > p->run.warmup_ns ? sim_now(r.s) : p->run.warmup_ns;
    }
    out->stopped_at = end;
    fill_metrics(&r, end);
    out->wrap_at = stack_wrap_time(r.st);
    out->tw_stuck = r.counters->stuck;
    out->bound_end = r.counters->bound;
    /* Each model disarms its timers before their memory goes: a wheel
     * removal moves another timer of the same slot, which may belong to
     * the other model, so neither may leave a freed timer linked. */
    stack_free(r.st);
    workload_free(r.wl);
    nat_free(r.nat);
    sim_free(r.s);
    free(r.cand);
    free(r.cost);
    return 0;
}

double run_estimate_requests(const struct scenario *sc)
{
    const struct scenario_params *p = &sc->p;

    if (p->workload.arrivals == ARRIVALS_TRACE)
        return (double)sc->ntrace;
    return p->workload.rate_per_s * simtime_to_s(p->run.duration_ns);
}

double run_estimate_events(const struct scenario *sc)
{
    const struct scenario_params *p = &sc->p;
    double samples = p->run.sample_interval_ns ?
        (double)p->run.duration_ns / (double)p->run.sample_interval_ns : 0;

    return run_estimate_requests(sc) * RUN_EVENTS_PER_REQUEST + samples;
}

void run_output_fini(struct run_output *out)
{
    free(out->nat.ip);
    free(out->nat.host);
    free(out->nat.lanes);
    free(out->nat.lane_all);
    free(out->samples);
    memset(out, 0, sizeof(*out));
}
