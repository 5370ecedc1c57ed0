/* bench_vs_simpy.c - the question portsim is timed on against SimPy.
 *
 * tests/fixtures/vs-simpy.ini: 64,512 ports, 60 s TIME_WAIT, Poisson 1,100
 * new connections/s for 600 s, one connection per request, 10^6 mailboxes.
 * An idiomatic SimPy model answers it in 6.8 s (issue 16).  Prints the
 * wall time of one run (best of five, after one to warm the caches; no
 * database), the ratio to SimPy's 6.8 s and the simulated connect() calls
 * per wall second.  Targets (issue 16): >= 40x SimPy, >= 5 M connections
 * per wall second.  BENCH_PROFILE=N runs it N times and prints nothing else
 * (for perf record).
 */
#include <stdio.h>
#include <stdlib.h>

#include "models/run.h"
#include "models/scenario.h"
#include "tests/benchutil.h"

#define SIMPY_WALL_S 6.8

static double one(const struct scenario *sc, struct run_output *keep)
{
    struct run_output out;
    struct err e;
    double t0 = bench_now(), t;

    if (run_once(sc, sc->p.run.seed, NULL, &out, &e) != 0) {
        fprintf(stderr, "bench_vs_simpy: %s\n", e.msg);
        exit(1);
    }
    t = bench_now() - t0;
    if (keep)
        *keep = out;
    else
        run_output_fini(&out);
    return t;
}

int main(void)
{
    struct scenario sc;
    struct run_output out;
    struct err e;
    double best = 1e30;
    const char *prof = getenv("BENCH_PROFILE");

    bench_pin_one_core();
    if (scenario_load(&sc, "tests/fixtures/vs-simpy.ini", NULL, 0, &e) != 0) {
        fprintf(stderr, "bench_vs_simpy: %s\n", e.msg);
        return 1;
    }
    if (prof) {
        for (int i = 0, n = atoi(prof); i < n; i++)
            one(&sc, NULL);
        scenario_fini(&sc);
        return 0;
    }
    one(&sc, &out);
    for (int i = 0; i < 5; i++) {
        double t = one(&sc, NULL);

        best = t < best ? t : best;
    }
    printf("vs-simpy: %llu connect() calls (%llu failed), %llu events, best %.3f s wall\n",
           (unsigned long long)out.m.connect_attempts, (unsigned long long)out.m.connect_failures,
           (unsigned long long)out.m.events, best);
    bench_line("vs_simpy_question_wall", best, "s");
    bench_line("vs_simpy_speedup", SIMPY_WALL_S / best, "x");
    bench_line("vs_simpy_connects_per_s", (double)out.m.connect_attempts / best / 1e6, "M/s");
    bench_line("vs_simpy_events_per_s", (double)out.m.events / best / 1e6, "Mev/s");
    run_output_fini(&out);
    scenario_fini(&sc);
    return 0;
}
