/* watch.c - progress, interrupts and a memory bound for long runs (see
 * watch.h). */
#include "cli/watch.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/fmt.h"
#include "sim/numparse.h"
#include "sim/sim.h"

static double watch_clock(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t watch_default_max_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 2 : 0;
}

int watch_parse_size(const char *text, uint64_t *bytes, struct err *e)
{
    static const char units[] = "KMGT";
    double v, scale = 1;
    size_t len;
    const char *u;

    if (numparse_double_prefix(text, &v, &len) != 0 || v < 0)
        goto bad;
    if (text[len] != '\0') {
        if (!(u = strchr(units, text[len])) || text[len + 1] != '\0')
            goto bad;
        scale = pow(1024, (double)(u - units + 1));
    }
    if (v * scale < 1 || v * scale >= 1.8e19)
        goto bad;
    *bytes = (uint64_t)(v * scale);
    return 0;
bad:
    return err_set(e, PS_EINVAL, "--max-memory must be a size in bytes, with K, M, G or T "
                   "for powers of 1024, at least 1 byte (got '%s')", text);
}

int watch_check_estimate(const struct scenario *sc, bool force, struct err *e)
{
    double events = run_estimate_events(sc);
    char est[32], lim[32], req[32];

    if (force || events <= WATCH_EVENTS_LIMIT)
        return 0;
    fmt_count_d(events, est, sizeof(est));
    fmt_count_d(WATCH_EVENTS_LIMIT, lim, sizeof(lim));
    return err_set(e, PS_EINVAL, "this run would fire about %s events (%s requests x %d events "
                   "each, plus samples): above the limit of %s events (about half an hour "
                   "at 5 M events/s); shorten run.duration or lower workload.rate, or give "
                   "--force to run it anyway", est,
                   fmt_count_d(run_estimate_requests(sc), req, sizeof(req)),
                   RUN_EVENTS_PER_REQUEST, lim);
}

/* Resident bytes of this process, 0 if unknown. */
static uint64_t watch_rss(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    int n;

    if (!f)
        return 0;
    n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

/* "1:02:03" or "2:03" for 's' seconds. */
static const char *watch_hms(double s, char *buf, size_t size)
{
    unsigned long t = s > 0 && s < 1e9 ? (unsigned long)(s + 0.5) : 0;

    if (t >= 3600)
        snprintf(buf, size, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%lu:%02lu", t / 60, t % 60);
    return buf;
}

static void watch_show(struct watch *w, const struct sim *s, double now)
{
    double done = w->duration ? (double)sim_now(s) / (double)w->duration : 0;
    double spent = now - w->t0;
    char ev[32], eta[32], el[32];

    fprintf(stderr, "\r%s: %5.1f%% simulated, %s events, %s elapsed, ETA %s   ", w->label,
            100 * done, fmt_count(sim_events(s), ev, sizeof(ev)),
            watch_hms(spent, el, sizeof(el)),
            done > 0 ? watch_hms(spent * (1 - done) / done, eta, sizeof(eta)) : "?");
    fflush(stderr);
    w->shown = true;
    w->last_shown = now;
}

/* The run's watcher (sim_watch_fn): a signal, the memory bound, progress. */
static bool watch_check(void *ctx, const struct sim *s)
{
    struct watch *w = ctx;
    sigset_t pending;
    double now;

    if (sigpending(&pending) == 0 &&
        (sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1)) {
        struct timespec zero = {0, 0};

        w->signal = sigtimedwait(&w->blocked, NULL, &zero);
        w->stop = WATCH_INTERRUPTED;
        return true;
    }
    w->rss = watch_rss();
    if (w->max_memory && w->rss > w->max_memory) {
        w->stop = WATCH_MEMORY;
        return true;
    }
    if (w->progress) {
        now = watch_clock();
        if (now - w->t0 >= WATCH_QUIET_SECONDS && now - w->last_shown >= 0.5)
            watch_show(w, s, now);
    }
    return false;
}

void watch_begin(struct watch *w, struct run_options *opt)
{
    sigemptyset(&w->blocked);
    sigaddset(&w->blocked, SIGINT);
    sigaddset(&w->blocked, SIGTERM);
    sigprocmask(SIG_BLOCK, &w->blocked, &w->old_mask);
    w->t0 = watch_clock();
    w->last_shown = 0;
    w->shown = false;
    w->stop = WATCH_RUNNING;
    w->signal = 0;
    opt->watch = watch_check;
    opt->watch_ctx = w;
    opt->watch_every = WATCH_EVERY;
}

void watch_end(struct watch *w)
{
    sigset_t pending;

    if (w->shown)
        fprintf(stderr, "\r\033[K");
    if (w->stop == WATCH_RUNNING && sigpending(&pending) == 0 &&
        (sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1)) {
        struct timespec zero = {0, 0};

        w->signal = sigtimedwait(&w->blocked, NULL, &zero);   /* after the run: stop after */
    }
    sigprocmask(SIG_SETMASK, &w->old_mask, NULL);
}

void watch_describe(const struct watch *w, const struct run_output *out, char *buf,
                    size_t size)
{
    char at[32], dur[32], rss[32], max[32];

    fmt_seconds(out->stopped_at, at, sizeof(at));
    fmt_seconds(w->duration, dur, sizeof(dur));
    if (w->stop == WATCH_MEMORY) {
        fmt_count_d((double)w->rss / 1048576.0, rss, sizeof(rss));
        fmt_count_d((double)w->max_memory / 1048576.0, max, sizeof(max));
        snprintf(buf, size, "stopped at %s s of %s s simulated: the run's memory (%s MiB) "
                 "passed --max-memory (%s MiB); shorten the run, lower the rate or "
                 "stack.time_wait, or raise --max-memory", at, dur, rss, max);
    } else {
        snprintf(buf, size, "interrupted (%s) at %s s of %s s simulated",
                 w->signal == SIGTERM ? "SIGTERM" : "SIGINT", at, dur);
    }
}
