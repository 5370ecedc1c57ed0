/* bench_scaling.c - how the cost of a run grows with its work.
 *
 * One base run (Linux profile, ports 1024-65535, 16 servers, Poisson 1,000
 * requests/s, one connection per request, 50 ms service, 1 s TIME_WAIT
 * ended exactly (timer_tick 0, so the entries are rate x time_wait),
 * 10^6 mailboxes, 100 simulated seconds, samples every second) and one
 * dimension changed
 * at a time by factors of 10:
 *   rate       10^2..10^5 requests/s          (work grows with it)
 *   duration   10..10^4 s                     (work grows with it)
 *   ports      10^3, 10^4, 64,512 in range    (same work: ~70 ports used)
 *   servers    1..10^4                        (same work)
 *   mailboxes  10^3..10^9                     (same work)
 *   time_wait  0.1..100 s: TIME_WAIT entries 10^2..10^5 (same work)
 * Each point runs in a forked child (run_once, no database), which reports
 * its wall time and CPU time (each the best of BENCH_SCALING_REPS runs,
 * default 3) and its peak resident memory (ru_maxrss, the child's whole
 * process).  Prints
 *   bench scale_<dim>_<value>_wall <s> s
 *   bench scale_<dim>_<value>_cpu <s> s
 *   bench scale_<dim>_<value>_rss <MiB> MiB
 *   bench scale_<dim>_<value>_connects_per_s <M/s> M/s
 * per point, and per dimension the least-squares exponents k of
 * time ∝ value^k, for wall time and for CPU time (the machine is shared:
 * CPU time does not count the time other processes held the core, so
 * its exponent is the steadier figure), and of the resident growth over
 * the smallest point's.
 * Targets (issue 16): k <= 1.05 for rate and duration, near 0 for ports,
 * mailboxes; the 10^9-mailbox point under 50 MiB.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/run.h"
#include "models/scenario.h"
#include "tests/benchutil.h"

struct dim {
    const char *name;       /* in the bench line */
    const char *key;        /* scenario key */
    double offset;          /* key's value = value + offset */
    const char *unit;       /* after the key's value */
    double values[8];       /* 0-terminated */
};

static const struct dim dims[] = {
    {"rate", "workload.rate", 0, "", {1e2, 1e3, 1e4, 1e5}},
    {"duration", "run.duration", 0, "s", {1e1, 1e2, 1e3, 1e4}},
    {"ports", "stack.port_max", 1023, "", {1e3, 1e4, 64512}},   /* from 1024 */
    {"servers", "workload.servers", 0, "", {1, 1e1, 1e2, 1e3, 1e4}},
    {"mailboxes", "workload.mailboxes", 0, "", {1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}},
    {"time_wait", "stack.time_wait", 0, "s", {0.1, 1, 10, 100}},
};

static const char *const base[] = {
    "stack.profile=linux", "stack.port_min=1024", "stack.port_max=65535",
    "stack.time_wait=1s", "stack.timer_tick=0", "workload.servers=16", "workload.rate=1000",
    "workload.mailboxes=1000000", "workload.cache_ttl=0", "workload.service_time=50ms",
    "run.duration=100s", "run.sample_interval=1s",
};
#define NBASE (sizeof(base) / sizeof(base[0]))

struct point {
    double wall;            /* s, best of the repetitions */
    double cpu;             /* s, user + system, best of the repetitions */
    double rss;             /* bytes, peak of the child */
    double connects;
};

static double cpu_now(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Run one point in a child; its figures come back through a pipe. */
static struct point measure(const struct dim *d, double v, int reps)
{
    const char *sets[NBASE + 2];
    char kv[128];
    struct point pt = {0, 0, 0, 0};
    int fd[2];
    pid_t pid;

    memcpy(sets, base, sizeof(base));
    snprintf(kv, sizeof(kv), "%s=%.10g%s", d->key, v + d->offset, d->unit);
    sets[NBASE] = kv;
    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        perror("bench_scaling");
        exit(1);
    }
    if (pid == 0) {
        struct scenario sc;
        struct run_output out;
        struct rusage ru;
        struct err e;

        close(fd[0]);
        if (scenario_load(&sc, NULL, sets, NBASE + 1, &e) != 0) {
            fprintf(stderr, "bench_scaling: %s: %s\n", kv, e.msg);
            _exit(1);
        }
        pt.wall = pt.cpu = 1e30;
        for (int i = 0; i < reps; i++) {
            double t0 = bench_now(), t, c0 = cpu_now(), c;

            if (run_once(&sc, 1, NULL, &out, &e) != 0) {
                fprintf(stderr, "bench_scaling: %s: %s\n", kv, e.msg);
                _exit(1);
            }
            t = bench_now() - t0;
            c = cpu_now() - c0;
            pt.wall = t < pt.wall ? t : pt.wall;
            pt.cpu = c < pt.cpu ? c : pt.cpu;
            pt.connects = (double)out.m.connect_attempts;
            run_output_fini(&out);
        }
        scenario_fini(&sc);
        getrusage(RUSAGE_SELF, &ru);
        pt.rss = (double)ru.ru_maxrss * 1024.0;
        if (write(fd[1], &pt, sizeof(pt)) != (ssize_t)sizeof(pt))
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    if (read(fd[0], &pt, sizeof(pt)) != (ssize_t)sizeof(pt)) {
        fprintf(stderr, "bench_scaling: point %s failed\n", kv);
        exit(1);
    }
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return pt;
}

/* Least-squares slope of log y against log x. */
static double slope(const double *x, const double *y, int n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;

    for (int i = 0; i < n; i++) {
        double lx = log(x[i]), ly = log(y[i]);

        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

int main(void)
{
    const char *r = getenv("BENCH_SCALING_REPS");
    int reps = r ? atoi(r) : 3;
    double t0 = bench_now();

    bench_pin_one_core();
    for (size_t k = 0; k < sizeof(dims) / sizeof(dims[0]); k++) {
        const struct dim *d = &dims[k];
        double x[8], wall[8], cpu[8], grow[8];
        int n = 0;

        for (; n < 8 && d->values[n] > 0; n++) {
            struct point pt = measure(d, d->values[n], reps);
            char name[96];

            x[n] = d->values[n];
            wall[n] = pt.wall;
            cpu[n] = pt.cpu > 1e-4 ? pt.cpu : 1e-4;    /* rusage ticks: no 0 */
            grow[n] = pt.rss;
            snprintf(name, sizeof(name), "scale_%s_%g_wall", d->name, x[n]);
            bench_line(name, pt.wall, "s");
            snprintf(name, sizeof(name), "scale_%s_%g_cpu", d->name, x[n]);
            bench_line(name, pt.cpu, "s");
            snprintf(name, sizeof(name), "scale_%s_%g_rss", d->name, x[n]);
            bench_line(name, pt.rss / 1048576.0, "MiB");
            snprintf(name, sizeof(name), "scale_%s_%g_connects_per_s", d->name, x[n]);
            bench_line(name, pt.connects / pt.wall / 1e6, "M/s");
        }
        {
            char name[96];
            double floor_rss = grow[0];

            snprintf(name, sizeof(name), "scale_%s_wall_exponent", d->name);
            bench_line(name, slope(x, wall, n), "k");
            snprintf(name, sizeof(name), "scale_%s_cpu_exponent", d->name);
            bench_line(name, slope(x, cpu, n), "k");
            /* memory: exponent of the growth above the smallest point's
             * peak (the program itself), +1 MiB so that no growth is 0 */
            for (int i = 0; i < n; i++)
                grow[i] = grow[i] - floor_rss + 1048576.0;
            snprintf(name, sizeof(name), "scale_%s_rss_growth_exponent", d->name);
            bench_line(name, slope(x, grow, n), "k");
        }
    }
    bench_line("scale_bench_wall", bench_now() - t0, "s");
    return 0;
}
