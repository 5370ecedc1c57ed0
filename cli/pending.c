/* pending.c - keep a run that could not be recorded, record it later (see
 * pending.h). */
#include "cli/pending.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/xalloc.h"

void pending_now(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void pending_remove_db(const char *path)
{
    size_t size = strlen(path) + 8;
    char *side = xmalloc(size);

    unlink(path);
    snprintf(side, size, "%s-wal", path);
    unlink(side);
    snprintf(side, size, "%s-shm", path);
    unlink(side);
    free(side);
}

/* Record the run in 'st', with its NAT metrics if it had [nat] (issue 12). */
static int record(struct store *st, const struct store_run *r, const struct run_output *out,
                  int64_t *run_id, struct err *e)
{
    if (out->nat.on)
        return store_record_run_nat(st, r, &out->m, &out->nat, out->samples, out->nsamples,
                                    run_id, e);
    return store_record_run(st, r, &out->m, out->samples, out->nsamples, run_id, e);
}

/* Record the run in a new side database 'final' (made as 'tmp'). */
static int keep(const char *tmp, const char *final, const struct store_run *r,
                const struct run_output *out, struct err *e)
{
    struct store *side = NULL;
    int rc;

    if ((rc = store_open(&side, tmp, STORE_CREATE, e)) == 0)
        rc = record(side, r, out, NULL, e);
    store_close(side);
    if (rc == 0 && rename(tmp, final) != 0)
        rc = err_set(e, PS_EIO, "%s: cannot rename it", tmp);
    if (rc != 0)
        pending_remove_db(tmp);
    return rc;
}

int pending_record(struct store *st, const char *path, const struct runner_job *job,
                   const struct run_output *out, const char *started_at, int64_t *run_id,
                   struct err *e)
{
    char why[ERR_MSG_MAX], tmp[4128], final[4096];
    struct store_run r;
    struct err e2;
    int rc;

    runner_store_run(job, out->m.wall_seconds, &r);
    r.started_at = started_at;
    r.truncated = out->truncated;
    r.truncated_at = simtime_to_s(out->stopped_at);
    if ((rc = record(st, &r, out, run_id, e)) == 0)
        return 0;
    snprintf(why, sizeof(why), "%s", e->msg);
    /* one file per process and replication */
    snprintf(final, sizeof(final), "%s.pending-%ld-%u.db", path, (long)getpid(),
             job->replication);
    snprintf(tmp, sizeof(tmp), "%s.tmp", final);
    err_clear(&e2);
    if (keep(tmp, final, &r, out, &e2) == 0)
        err_set(e, rc, "%s; the run is kept in %s and the next 'portsim run', 'sweep' or "
                "'merge' into %s records it", why, final, path);
    else
        err_set(e, rc, "%s; the run could not be kept beside it either (%s)", why, e2.msg);
    return rc;
}

int pending_absorb(struct store *st, const char *path, int64_t *added, struct err *e)
{
    char *pattern = xmalloc(strlen(path) * 2 + 32);
    char *o = pattern;
    glob_t g;
    int rc = 0;

    *added = 0;
    for (const char *p = path; *p; p++) {   /* the path itself matched literally */
        if (strchr("*?[\\", *p))
            *o++ = '\\';
        *o++ = *p;
    }
    strcpy(o, ".pending-*.db");
    memset(&g, 0, sizeof(g));
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && rc == 0; i++) {
            int64_t n = 0;

            if ((rc = store_merge(st, g.gl_pathv[i], &n, e)) == 0) {
                pending_remove_db(g.gl_pathv[i]);
                *added += n;
            }
        }
    }
    globfree(&g);
    free(pattern);
    return rc;
}

int pending_open(struct store **st, const char *path, const char *cmd, struct err *e)
{
    int64_t added = 0;
    int rc;

    if ((rc = store_open(st, path, STORE_CREATE, e)) != 0)
        return rc;
    if ((rc = pending_absorb(*st, path, &added, e)) != 0) {
        store_close(*st);
        *st = NULL;
        return rc;
    }
    if (added > 0)
        fprintf(stderr, "portsim %s: recorded %lld run%s kept beside %s by an earlier "
                "writer\n", cmd, (long long)added, added == 1 ? "" : "s", path);
    return 0;
}
