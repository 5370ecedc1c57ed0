/* runner.c - run_once() with a stopwatch, and its record (see runner.h). */
#include "cli/runner.h"

#include <string.h>
#include <time.h>

#include "cli/version.h"

static double wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int runner_run(const struct runner_job *job, const struct run_options *opt,
               struct run_output *out, struct err *e)
{
    double t0 = wall_now();
    int rc = run_once(job->sc, job->seed, opt, out, e);

    out->m.wall_seconds = wall_now() - t0;
    return rc;
}

void runner_store_run(const struct runner_job *job, double wall_seconds, struct store_run *r)
{
    memset(r, 0, sizeof(*r));
    r->sweep_id = job->sweep_id;
    r->remedy = job->remedy ? job->remedy : "";
    r->point_json = job->point_json ? job->point_json : "{}";
    r->scenario_name = job->sc->p.run.name;
    r->params_json = job->sc->json;
    r->params_hash = job->sc->hash;
    r->seed = job->seed;
    r->replication = job->replication;
    r->version = PORTSIM_VERSION;
    r->wall_seconds = wall_seconds;
}

int runner_record(struct store *st, const struct runner_job *job, const struct run_output *out,
                  int64_t *run_id, struct err *e)
{
    struct store_run r;

    runner_store_run(job, out->m.wall_seconds, &r);
    r.truncated = out->truncated;
    r.truncated_at = simtime_to_s(out->stopped_at);
    if (out->nat.on)        /* issue 12 */
        return store_record_run_nat(st, &r, &out->m, &out->nat, out->samples, out->nsamples,
                                    run_id, e);
    return store_record_run(st, &r, &out->m, out->samples, out->nsamples, run_id, e);
}
