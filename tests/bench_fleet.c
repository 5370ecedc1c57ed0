/* bench_fleet.c - issue 12's benchmark: a whole run of 1,000 host stacks
 * behind a 16-IP Azure NAT gateway (tests/fixtures/bench-fleet-1000.ini:
 * 50,000 new flows/s for 10 simulated minutes, 30 M flows).
 *
 * Timed: the run itself (workload, 1,000 host stacks with their own ports
 * and TIME_WAIT, the NAT), no database.  Prints simulated flows through the
 * NAT per wall second (target >= 1 M), the NAT's bytes per live or held
 * translation at the end (target <= 64) and, for the whole picture, the
 * run's peak resident memory: the hosts' port spaces are most of it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "models/run.h"
#include "models/scenario.h"
#include "tests/benchutil.h"

int main(void)
{
    struct scenario sc;
    struct run_output out;
    struct err e;
    double t0, wall;
    const struct nat_run_metrics *m = &out.nat;

    bench_pin_one_core();
    if (scenario_load(&sc, "tests/fixtures/bench-fleet-1000.ini", NULL, 0, &e) != 0) {
        fprintf(stderr, "bench_fleet: %s\n", e.msg);
        return 1;
    }
    t0 = bench_now();
    if (run_once(&sc, sc.p.run.seed, NULL, &out, &e) != 0) {
        fprintf(stderr, "bench_fleet: %s\n", e.msg);
        return 1;
    }
    wall = bench_now() - t0;
    if (!m->on || m->total.nat_flows == 0 || m->translations_end == 0) {
        fprintf(stderr, "bench_fleet: the run made no NAT flows\n");
        return 1;
    }
    printf("bench-fleet-1000: %llu flows (%llu dropped), %llu translations at the end, "
           "%.2f s wall\n", (unsigned long long)m->total.nat_flows,
           (unsigned long long)m->total.nat_failures, (unsigned long long)m->translations_end,
           wall);
    bench_line("fleet_flows_per_wall_s", (double)m->total.nat_flows / wall / 1e6, "M/s");
    bench_line("fleet_nat_bytes_per_translation",
               (double)m->bytes_end / (double)m->translations_end, "bytes");
    bench_line("fleet_peak_rss", bench_peak_rss() / 1048576.0, "MiB");
    run_output_fini(&out);
    scenario_fini(&sc);
    return 0;
}
