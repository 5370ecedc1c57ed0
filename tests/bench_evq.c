/* bench_evq.c - the hold model on the timer wheel and on the reference heap.
 *
 * The classic hold model (Vaucher & Duval): N timers pending; pop the next
 * event, advance the clock to it, re-arm the same timer at now + an
 * increment.  Increments come from a precomputed table (mean 1 s,
 * exponential, or constant 1 s plus up to 1 us of jitter), initial phases
 * spread over one second so the figure is the queue's cost, not the RNG's.  Both
 * queues run the same table in the same process, pinned to one core.
 * Prints a table and one "bench hold_<queue>_<dist>_<n> <value> Mev/s"
 * line per figure, plus the wheel/heap ratios.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/evq.h"
#include "sim/wheel.h"
#include "sim/xalloc.h"
#include "tests/benchutil.h"

enum { TABLE = 1 << 20 };

static void nop(struct sim *s, struct timer *t)
{
    (void)s;
    (void)t;
}

/* Events per second of the hold model with 'n' pending timers. */
static double hold(enum evq_kind kind, size_t n, const simtime *inc, uint64_t events)
{
    /* initial phases spread uniformly over one mean increment: with constant
     * increments, arming every timer at 'inc' would keep all N within a
     * microsecond of each other forever, a degenerate queue */
    struct evq *q = evq_new(kind, WHEEL_SHIFT_DEFAULT);
    struct timer *t = xcalloc(n, sizeof(*t));
    size_t k = 0;
    double t0, dt;

    for (size_t i = 0; i < n; i++)
        evq_arm(q, &t[i], SIMTIME_NS_PER_S * i / n, nop);
    for (uint64_t e = 0; e < events / 10; e++) {    /* warm up to steady state */
        struct timer *x = evq_pop(q);
        evq_arm(q, x, x->due + inc[k++ & (TABLE - 1)], nop);
    }
    t0 = bench_now();
    for (uint64_t e = 0; e < events; e++) {
        struct timer *x = evq_pop(q);
        evq_arm(q, x, x->due + inc[k++ & (TABLE - 1)], nop);
    }
    dt = bench_now() - t0;
    evq_free(q);
    free(t);
    return (double)events / dt;
}

int main(void)
{
    static const size_t sizes[] = {1000, 100000, 1000000};
    static const char *const dists[] = {"exp", "const"};
    simtime *inc = xmalloc(TABLE * sizeof(*inc));
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    char name[64];

    bench_pin_one_core();
    printf("hold model: events per second (millions), one core\n");
    printf("%-6s %9s %10s %10s %7s\n", "incr", "pending", "wheel", "heap", "ratio");
    for (int d = 0; d < 2; d++) {
        gsl_rng_set(r, 1);
        for (size_t i = 0; i < TABLE; i++) {
            double s = d == 0 ? gsl_ran_exponential(r, 1.0) : 1.0 + (double)(i % 1000) * 1e-9;
            inc[i] = simtime_from_s(s);
        }
        for (size_t z = 0; z < 3; z++) {
            uint64_t events = sizes[z] >= 1000000 ? 10000000 : 20000000;
            double w = hold(EVQ_WHEEL, sizes[z], inc, events);
            double h = hold(EVQ_HEAP, sizes[z], inc, events);

            printf("%-6s %9zu %10.2f %10.2f %7.2f\n", dists[d], sizes[z], w / 1e6, h / 1e6, w / h);
            snprintf(name, sizeof(name), "hold_wheel_%s_%zu", dists[d], sizes[z]);
            bench_line(name, w / 1e6, "Mev/s");
            snprintf(name, sizeof(name), "hold_heap_%s_%zu", dists[d], sizes[z]);
            bench_line(name, h / 1e6, "Mev/s");
            snprintf(name, sizeof(name), "hold_ratio_%s_%zu", dists[d], sizes[z]);
            bench_line(name, w / h, "x");
        }
    }
    gsl_rng_free(r);
    free(inc);
    return 0;
}
