/* simtime.h - simulated time: an unsigned count of nanoseconds since t = 0.
 *
 * Time is an integer so that event order never depends on floating-point
 * rounding.  Doubles (seconds) appear only at the boundary: a duration read
 * from a scenario is converted once, rounded to the nearest nanosecond, and
 * figures meant for people are converted back with simtime_to_s().
 * 2^64 ns is about 584 years; SIMTIME_NEVER marks "no time".
 */
#ifndef PORTSIM_SIM_SIMTIME_H
#define PORTSIM_SIM_SIMTIME_H

#include <stdint.h>

#include "sim/err.h"

typedef uint64_t simtime;

#define SIMTIME_NS_PER_S UINT64_C(1000000000)
#define SIMTIME_NEVER UINT64_MAX

/* 's' seconds (finite, >= 0, below 2^64 ns) rounded to the nearest ns. */
simtime simtime_from_s(double s);

/* 't' in seconds, for statistics and printing. */
double simtime_to_s(simtime t);

/* Parse a duration: a decimal number of seconds >= 0, optionally followed by
 * a unit: ns, us, ms, s, min, h or d ("240", "240s", "0.05", "50ms", "2min",
 * "1h").  Leading and trailing blanks are ignored.  On success stores the
 * rounded nanoseconds in '*out' and returns 0.  On failure returns PS_EINVAL
 * with a message of the form "must be a duration ... (got 'text')", meant to
 * follow the name of whatever was being parsed. */
int simtime_parse(const char *text, simtime *out, struct err *e);

/* Write 't' as seconds with millisecond precision ("198.800") into 'buf'. */
const char *simtime_fmt_ms(simtime t, char *buf, unsigned size);

#endif /* PORTSIM_SIM_SIMTIME_H */
