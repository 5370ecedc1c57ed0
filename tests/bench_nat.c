/* bench_nat.c - the NAT layer at fleet scale (issue 12): 1,000 hosts behind
 * a 16-IP Azure NAT gateway, 50,000 new flows/s for 10 simulated minutes.
 *
 * What is timed: the NAT alone (models/nat.c), driven with the flows the
 * fleet would send: flow k opens at k / 50,000 s from a random host and
 * host port to one of 100 destinations, lives 1 s, closes with a FIN and
 * is held 65 s.  The host stacks are benched by bench_connect.c and
 * bench_run.c; a full run of 1,000 host stacks would time them, not the
 * NAT.  At steady state about 50,000 x 66 = 3.3 M translations are live or
 * held.  Figures: nat_flows_per_wall_s (opens and closes of 30 M flows over
 * wall time; target >= 1 M) and nat_bytes_per_translation (the NAT's bytes
 * at the end over the translations it holds; target <= 64).
 */
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/nat.h"
#include "models/natprofiles.h"
#include "sim/xalloc.h"
#include "tests/benchutil.h"

#define HOSTS 1000u
#define DSTS 100u
#define RATE 50000u
#define SECONDS 600u
#define LIFE_NS UINT64_C(1000000000)

int main(void)
{
    struct nat_params p = natprofile_get(NAT_PROFILE_AZURE_NATGW)->defaults;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *w = gsl_rng_alloc(gsl_rng_mt19937);
    uint64_t n = (uint64_t)RATE * SECONDS, head = 0, drops = 0;
    size_t ring = RATE * 2;
    struct nat_flow *open = xcalloc(ring, sizeof(*open));
    simtime *opened = xcalloc(ring, sizeof(*opened));
    bool *ok = xcalloc(ring, sizeof(*ok));
    struct nat *nat;
    double t0, wall;

    bench_pin_one_core();
    gsl_rng_set(r, 1);
    gsl_rng_set(w, 2);
    p.public_ips = 16;
    nat = nat_new(&p, HOSTS, DSTS, r);
    t0 = bench_now();
    for (uint64_t k = 0; k < n; k++) {
        simtime now = k * (UINT64_C(1000000000) / RATE);
        size_t slot = (size_t)(k % ring);

        while (head < k && opened[head % ring] + LIFE_NS <= now) {
            if (ok[head % ring])
                nat_close(nat, opened[head % ring] + LIFE_NS, &open[head % ring], false);
            head++;
        }
        opened[slot] = now;
        ok[slot] = nat_open(nat, now, (uint32_t)gsl_rng_uniform_int(w, HOSTS),
                            32768 + (uint32_t)gsl_rng_uniform_int(w, 28232),
                            (uint32_t)gsl_rng_uniform_int(w, DSTS), &open[slot]) == NAT_OK;
        drops += !ok[slot];
    }
    wall = bench_now() - t0;
    printf("bench-nat: %llu flows, %llu dropped, %llu translations held at the end, %.2f s "
           "wall\n", (unsigned long long)n, (unsigned long long)drops,
           (unsigned long long)nat_translations(nat), wall);
    bench_line("nat_flows_per_wall_s", (double)n / wall, "flows/s");
    bench_line("nat_bytes_per_translation",
               (double)nat_bytes(nat) / (double)nat_translations(nat), "bytes");
    nat_free(nat);
    free(open);
    free(opened);
    free(ok);
    gsl_rng_free(r);
    gsl_rng_free(w);
    return 0;
}
