/* numparse.h - the one parser of numbers and durations in text.
 *
 * Scenario keys, sweep values and ranges, and command-line options all read
 * numbers here, under one set of rules:
 *   - decimal only: digits, one optional '.', an optional exponent "e[+-]N";
 *     no hexadecimal ("0x10"), no "inf" or "nan", no leading '+', no
 *     leading or trailing blanks (callers trim first), no trailing text;
 *   - a whole number (numparse_u64) is digits only, below 2^64: no sign, no
 *     '.', no exponent;
 *   - a number (numparse_double) may start with '-' and must be finite:
 *     "1e400" (overflow) and "1e-400" (underflow to 0) are refused, so a
 *     value is never silently rounded to infinity or to zero;
 *   - a duration (numparse_duration) is a number >= 0 followed by an optional
 *     unit ns, us, ms, s, min, h or d (blanks allowed between number and
 *     unit, and around the whole), seconds without a unit, below 2^64 ns,
 *     rounded to the nearest nanosecond.
 * Every function returns 0 and stores the value, or PS_EINVAL and leaves
 * '*out' alone; none writes a message (the caller knows what was being
 * parsed).  Cost: O(length of the text).
 */
#ifndef PORTSIM_SIM_NUMPARSE_H
#define PORTSIM_SIM_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/simtime.h"

/* A whole number 0..2^64-1: digits only. */
int numparse_u64(const char *text, uint64_t *out);

/* A finite decimal number, e.g. "0.05", "-3", "1e-7". */
int numparse_double(const char *text, double *out);

/* The longest decimal number at the start of 'text' (rules above, without
 * the "no trailing text" one); '*len' gets its length.  For ranges such as
 * "5..80 x2". */
int numparse_double_prefix(const char *text, double *out, size_t *len);

/* A duration: "240", "0.05", "50ms", "2 min", "1h". */
int numparse_duration(const char *text, simtime *out);

#endif /* PORTSIM_SIM_NUMPARSE_H */
