/* gauge.h - a level over simulated time: its peak and its exact
 * time-weighted mean, for the run's ports in use / TIME_WAIT / BOUND and
 * the NAT's ports in use.
 *
 * The area under the level is an integer (level x ns in 128 bits), so the
 * mean is exact whatever the run's length: 2^64 ns at a level of 2^64 still
 * fits.  A gauge is folded only when its level changes (gauge_set), so a
 * run pays for the gauges that move, not for every event.  Cost: O(1).
 */
#ifndef PORTSIM_MODELS_GAUGE_H
#define PORTSIM_MODELS_GAUGE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/simtime.h"

__extension__ typedef unsigned __int128 gauge_area;    /* GCC and Clang */

struct gauge {
    uint64_t level;         /* current value */
    uint64_t peak;          /* since the warm-up */
    gauge_area area;        /* integral of level dt over [warmup, now), ns */
    simtime since;          /* time of the last change (or of the warm-up) */
};

/* The level becomes 'level' at 'now'; with 'warm' (past the warm-up) the
 * time since the last change counts toward the mean and the peak.  Inline:
 * the run calls it on every change of the stack. */
static inline void gauge_set(struct gauge *g, bool warm, simtime now, uint64_t level)
{
    if (warm) {
        g->area += (gauge_area)g->level * (now - g->since);
        if (level > g->peak)
            g->peak = level;
    }
    g->since = now;
    g->level = level;
}

/* Start measuring at 'now' (the warm-up ends): area 0, peak the level. */
void gauge_restart(struct gauge *g, simtime now);

/* The time-weighted mean over a span of 'span' ns (the level if 0). */
double gauge_mean(const struct gauge *g, simtime span);

#endif /* PORTSIM_MODELS_GAUGE_H */
