/* gauge.c - a level over simulated time (see gauge.h). */
#include "models/gauge.h"

void gauge_restart(struct gauge *g, simtime now)
{
    g->area = 0;
    g->peak = g->level;
    g->since = now;
}

double gauge_mean(const struct gauge *g, simtime span)
{
    return span ? (double)((long double)g->area / (long double)span) : (double)g->level;
}
