/* series.h - a run's samples as one compact JSON text, and back.
 *
 * The text is [[t, in_use, time_wait, connects, failures, requests, bound,
 * candidates_max], ...] (rows of the first six only, written before issue
 * 17, are read with zeros for the last two)
 * in time order, t in seconds as an exact decimal (at most 9 digits after
 * the point, so every nanosecond survives: "3600", "0.25",
 * "12.000000001"), the rest unsigned integers.  The store keeps it as one
 * row of 'sample_series' (analysis/schema.sql); the 'samples' view unpacks
 * it with json_each.  Times strictly increase: the writer refuses anything
 * else and the reader does too.
 *
 * Invariant: pure functions, no SQLite, no I/O (DESIGN §1: only
 * analysis/store*.c speaks SQL).  Cost: O(n) either way, no allocation when
 * formatting (the caller's buffer), one when parsing.
 */
#ifndef PORTSIM_ANALYSIS_SERIES_H
#define PORTSIM_ANALYSIS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metrics.h"

/* Bytes enough for the text of 'n' samples (no NUL is written). */
size_t series_max_len(size_t n);

/* Write the text of 'smp[0..n)' to 'buf' (series_max_len(n) bytes);
 * '*len' gets its length.  False, with '*bad' the first sample whose time
 * does not follow the one before, unless the times strictly increase. */
bool series_format(const struct run_sample *smp, size_t n, char *buf, size_t *len,
                   size_t *bad);

/* Parse the text 'text' ('len' bytes, no NUL needed) of 'n' samples into a
 * new array '*out' (caller frees; NULL when 'n' is 0).  False, with nothing
 * allocated, on anything but exactly 'n' rows in strictly increasing time
 * with every value in range. */
bool series_parse(const char *text, size_t len, int64_t n, struct run_sample **out);

#endif /* PORTSIM_ANALYSIS_SERIES_H */
