/* fmt.h - numbers and text for people and for files, one way each.
 *
 * Every figure the program shows goes through here, so the summary, the
 * report, the trace, the database and the HTML page print a value alike:
 * counts with thousands separators, durations as exact seconds, doubles in
 * the shortest form that reads back to the same double ("0.05", never
 * "0.050000000000000003"), CSV fields quoted only when they must be.
 * Each function writes into the caller's buffer, truncates safely and
 * returns 'buf'; none allocates.  Cost: O(digits).
 */
#ifndef PORTSIM_SIM_FMT_H
#define PORTSIM_SIM_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/simtime.h"

/* Room for any figure below, terminating NUL included. */
#define FMT_BUF 40

/* 'v' with thousands separators: 3976 -> "3,976". */
const char *fmt_count(uint64_t v, char *buf, size_t size);

/* 'v' >= 0 rounded to a whole number, with thousands separators; "unbounded"
 * when 'v' is not finite. */
const char *fmt_count_d(double v, char *buf, size_t size);

/* 't' as a decimal number of seconds, exact to the nanosecond and as short
 * as that allows: "3600", "0.25", "12.000000001". */
const char *fmt_seconds(simtime t, char *buf, size_t size);

/* The shortest decimal text (%.1g ... %.17g) that strtod() reads back to
 * exactly 'v': 0.05 -> "0.05", 1e-7 -> "1e-07", 3600 -> "3600".  Non-finite
 * values give "inf", "-inf" or "nan" (callers writing JSON check first). */
const char *fmt_double(double v, char *buf, size_t size);

/* Write 's' to 'f' as one CSV field (RFC 4180): as it is, or in double
 * quotes with inner quotes doubled when it holds a comma, a quote, CR or LF,
 * or begins or ends with a blank. */
void fmt_csv_field(FILE *f, const char *s);

#endif /* PORTSIM_SIM_FMT_H */
