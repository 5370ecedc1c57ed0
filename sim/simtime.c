/* simtime.c - conversions between seconds and integer nanoseconds.
 *
 * Parsing is sim/numparse.c's (one set of rules for every number); this
 * file adds the message.
 */
#include "sim/simtime.h"

#include <stdio.h>

#include "sim/numparse.h"

#define EXPECTED "must be a duration >= 0 in seconds, with an optional unit " \
                 "ns, us, ms, s, min, h or d (e.g. 240, 0.05, 50ms, 2min)"

simtime simtime_from_s(double s)
{
    long double ns = (long double)s * 1e9L;

    if (!(ns >= 0))
        return 0;
    if (ns >= 18446744073709551615.0L)
        return SIMTIME_NEVER;
    return (simtime)(ns + 0.5L);
}

double simtime_to_s(simtime t)
{
    return (double)(t / SIMTIME_NS_PER_S) + (double)(t % SIMTIME_NS_PER_S) / 1e9;
}

int simtime_parse(const char *text, simtime *out, struct err *e)
{
    if (numparse_duration(text, out) != 0)
        return err_set(e, PS_EINVAL, EXPECTED " (got '%s')", text);
    return 0;
}

const char *simtime_fmt_ms(simtime t, char *buf, unsigned size)
{
    simtime ms = (t + 500000) / 1000000;

    snprintf(buf, size, "%llu.%03llu", (unsigned long long)(ms / 1000),
             (unsigned long long)(ms % 1000));
    return buf;
}
