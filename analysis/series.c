/* series.c - a run's samples as compact JSON text and back (see series.h).
 *
 * Formatting is by hand (two digits per division, no printf), since a sweep
 * writes one series per run in its single writing process: 3,600 samples
 * in ~0.1 ms.  The time is written exactly as sim/fmt.h's fmt_seconds()
 * writes it (tests/test_series.c checks the two agree), without its
 * snprintf.  Parsing is a small exact reader of that grammar (blanks
 * allowed between tokens), integers only, so every value comes back
 * bit for bit.
 *
 * Invariant: pure functions of their arguments; no I/O, no SQLite.
 * Cost: O(n) each way; series_parse() allocates the rows once.
 */
#include "analysis/series.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

/* The longest row of a series: "[" t "," 7 x uint32 "],", where t is at
 * most 11 digits, a point and 9 digits: 1 + 21 + 7 * 11 + 2. */
#define SERIES_ROW_MAX 101

/* "00".."99", for formatting two digits per division. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Append the decimal digits of 'v' at 'p', left-padded with zeros to
 * 'width' digits (0: no padding); returns the new end. */
static char *put_uint(char *p, uint64_t v, int width)
{
    char tmp[24];
    char *q = tmp + sizeof(tmp);
    size_t len;

    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;

        v /= 100;
        *--q = digit_pairs[d + 1];
        *--q = digit_pairs[d];
    }
    if (v >= 10) {
        *--q = digit_pairs[v * 2 + 1];
        *--q = digit_pairs[v * 2];
    } else {
        *--q = (char)('0' + v);
    }
    while (tmp + sizeof(tmp) - q < width)
        *--q = '0';
    len = (size_t)(tmp + sizeof(tmp) - q);
    memcpy(p, q, len);
    return p + len;
}

/* Append 't' as a decimal number of seconds, exact to the nanosecond and
 * as short as that allows: "3600", "0.25", "12.000000001". */
static char *put_seconds(char *p, simtime t)
{
    uint64_t frac = t % SIMTIME_NS_PER_S;
    int width = 9;

    p = put_uint(p, t / SIMTIME_NS_PER_S, 0);
    if (frac == 0)
        return p;
    while (frac % 10 == 0) {
        frac /= 10;
        width--;
    }
    *p++ = '.';
    return put_uint(p, frac, width);
}

size_t series_max_len(size_t n)
{
    assert(n < (SIZE_MAX - 2) / SERIES_ROW_MAX);
    return n * SERIES_ROW_MAX + 2;
}

bool series_format(const struct run_sample *smp, size_t n, char *buf, size_t *len,
                   size_t *bad)
{
    char *p = buf;

    *p++ = '[';
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && smp[k].t <= smp[k - 1].t) {
            *bad = k;
            return false;
        }
        if (k > 0)
            *p++ = ',';
        *p++ = '[';
        p = put_seconds(p, smp[k].t);
        *p++ = ',';
        p = put_uint(p, smp[k].in_use, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].time_wait, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].connects, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].failures, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].requests, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].bound, 0);
        *p++ = ',';
        p = put_uint(p, smp[k].candidates_max, 0);
        *p++ = ']';
    }
    *p++ = ']';
    *len = (size_t)(p - buf);
    assert(*len <= series_max_len(n));
    return true;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Consume 'c' (after blanks) at '*p'. */
static bool eat(const char **p, const char *end, char c)
{
    *p = skip_blanks(*p, end);
    if (*p == end || **p != c)
        return false;
    (*p)++;
    return true;
}

/* Consume an unsigned decimal integer no greater than 'max' at '*p'. */
static bool eat_uint(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *q = skip_blanks(*p, end);
    uint64_t v = 0;

    if (q == end || *q < '0' || *q > '9')
        return false;
    for (; q < end && *q >= '0' && *q <= '9'; q++) {
        unsigned d = (unsigned)(*q - '0');

        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *p = q;
    *out = v;
    return true;
}

/* Consume a decimal number of seconds with at most 9 digits after the
 * point ("3600", "0.25") at '*p', as exact nanoseconds. */
static bool eat_seconds(const char **p, const char *end, simtime *out)
{
    uint64_t s, frac = 0;
    int width = 0;

    if (!eat_uint(p, end, UINT64_MAX / SIMTIME_NS_PER_S, &s))
        return false;
    if (*p < end && **p == '.') {
        for ((*p)++; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
            if (++width > 9)
                return false;
            frac = frac * 10 + (uint64_t)(**p - '0');
        }
        if (width == 0)
            return false;
        for (; width < 9; width++)
            frac *= 10;
    }
    if (s * SIMTIME_NS_PER_S > UINT64_MAX - frac)
        return false;
    *out = s * SIMTIME_NS_PER_S + frac;
    return true;
}

bool series_parse(const char *text, size_t len, int64_t n, struct run_sample **out)
{
    const char *p = text, *end = text + len;
    struct run_sample *rows;
    uint32_t *fields[7];

    /* a row takes at least 13 bytes, "[0,0,0,0,0,0]": bounds the allocation */
    if (n < 0 || (uint64_t)n > len / 13)
        return false;
    rows = n ? xcalloc((size_t)n, sizeof(*rows)) : NULL;
    if (!eat(&p, end, '['))
        goto fail;
    for (int64_t k = 0; k < n; k++) {
        struct run_sample *x = &rows[k];
        uint64_t v;

        fields[0] = &x->in_use;
        fields[1] = &x->time_wait;
        fields[2] = &x->connects;
        fields[3] = &x->failures;
        fields[4] = &x->requests;
        fields[5] = &x->bound;              /* issue 17: optional (older runs) */
        fields[6] = &x->candidates_max;
        if ((k > 0 && !eat(&p, end, ',')) || !eat(&p, end, '[') ||
            !eat_seconds(&p, end, &x->t) || (k > 0 && x->t <= rows[k - 1].t))
            goto fail;
        for (int f = 0; f < 7; f++) {
            if (f == 5 && skip_blanks(p, end) < end && *skip_blanks(p, end) == ']')
                break;      /* a row of the 6 columns before issue 17 */
            if (!eat(&p, end, ',') || !eat_uint(&p, end, UINT32_MAX, &v))
                goto fail;
            *fields[f] = (uint32_t)v;
        }
        if (!eat(&p, end, ']'))
            goto fail;
    }
    if (!eat(&p, end, ']') || skip_blanks(p, end) != end)
        goto fail;
    *out = rows;
    return true;

fail:
    free(rows);
    return false;
}
