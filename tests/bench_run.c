/* bench_run.c - a whole run at speed: tests/fixtures/bench-linux-20k.ini.
 *
 * Linux defaults, 16 servers, Poisson 20,000 requests/s, one connection per
 * request, 10 simulated minutes, on one core.  Prints simulated connect()
 * calls and events per wall second, the peak resident memory, the bytes per
 * TIME_WAIT entry at the peak (resident growth of the run divided by the
 * peak number of entries: everything the run holds, not only the entries),
 * and the cost of sampling and recording: the same run without samples and
 * without a database against with both (one transaction into a fresh file).
 * Targets: >= 4 million simulated connections per second (issue 16; issue
 * 4 asked for 3), and sampling plus the database adding < 5 %.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "analysis/store.h"
#include "cli/runner.h"
#include "models/run.h"
#include "models/scenario.h"
#include "tests/benchutil.h"

static double one(struct scenario *sc, bool record, struct run_output *keep)
{
    struct runner_job job = {.sc = sc, .seed = 1};
    struct run_output out;
    struct err e;
    double t0 = bench_now();
    char path[] = "/tmp/portsim-bench-XXXXXX";
    int fd;

    if (runner_run(&job, NULL, &out, &e) != 0) {
        fprintf(stderr, "bench_run: %s\n", e.msg);
        exit(1);
    }
    if (record) {
        struct store *st;
        char db[64];

        fd = mkstemp(path);
        close(fd);
        unlink(path);
        snprintf(db, sizeof(db), "%s.db", path);
        if (store_open(&st, db, STORE_CREATE, &e) != 0 ||
            runner_record(st, &job, &out, NULL, &e) != 0) {
            fprintf(stderr, "bench_run: %s\n", e.msg);
            exit(1);
        }
        store_close(st);
        unlink(db);
    }
    if (keep)
        *keep = out;
    else
        run_output_fini(&out);
    return bench_now() - t0;
}

int main(void)
{
    const char *bare_sets[] = {"run.sample_interval=0"};
    struct scenario full, bare;
    struct run_output out;
    struct err e;
    double rss0, t_full, t_bare, best_full = 1e30, best_bare = 1e30;
    uint64_t peak_tw;

    bench_pin_one_core();
    if (scenario_load(&full, "tests/fixtures/bench-linux-20k.ini", NULL, 0, &e) != 0 ||
        scenario_load(&bare, "tests/fixtures/bench-linux-20k.ini", bare_sets, 1, &e) != 0) {
        fprintf(stderr, "bench_run: %s\n", e.msg);
        return 1;
    }
    rss0 = bench_peak_rss();
    t_full = one(&full, true, &out);
    printf("bench-linux-20k: %llu connect() calls (%llu failed), %llu events, %.2f s wall\n",
           (unsigned long long)out.m.connect_attempts, (unsigned long long)out.m.connect_failures,
           (unsigned long long)out.m.events, t_full);
    bench_line("run_connects_per_s", (double)out.m.connect_attempts / t_full / 1e6, "M/s");
    bench_line("run_events_per_s", (double)out.m.events / t_full / 1e6, "Mev/s");
    bench_line("run_peak_rss", bench_peak_rss() / 1048576.0, "MiB");
    peak_tw = out.m.peak_time_wait ? out.m.peak_time_wait : 1;
    bench_line("run_bytes_per_time_wait", (bench_peak_rss() - rss0) / (double)peak_tw, "bytes");
    run_output_fini(&out);
    for (int i = 0; i < 3; i++) {     /* best of three, alternating */
        t_bare = one(&bare, false, NULL);
        t_full = one(&full, true, NULL);
        best_bare = t_bare < best_bare ? t_bare : best_bare;
        best_full = t_full < best_full ? t_full : best_full;
    }
    bench_line("run_sampling_and_db_overhead", (best_full / best_bare - 1) * 100, "%");
    scenario_fini(&full);
    scenario_fini(&bare);
    return 0;
}
