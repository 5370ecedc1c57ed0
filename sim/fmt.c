/* fmt.c - numbers and text for people and for files (see fmt.h).
 *
 * fmt_double() tries precisions 1..17 and keeps the first whose text
 * strtod() reads back to the same bits; 17 significant digits always
 * round-trip an IEEE double, so the loop ends.  Whole numbers below 1e17 are
 * printed without an exponent, as people write them.  The loop costs up to 17
 * snprintf/strtod pairs; it is meant for output, never for the hot path.
 */
#include "sim/fmt.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Copy the decimal digits 'digits' into 'buf' with a comma every three. */
static const char *group_digits(const char *digits, char *buf, size_t size)
{
    size_t n = strlen(digits);
    size_t o = 0;

    if (size == 0)
        return buf;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

const char *fmt_count(uint64_t v, char *buf, size_t size)
{
    char digits[24];

    snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
    return group_digits(digits, buf, size);
}

const char *fmt_count_d(double v, char *buf, size_t size)
{
    char digits[400];

    if (!isfinite(v)) {
        snprintf(buf, size, "unbounded");
        return buf;
    }
    snprintf(digits, sizeof(digits), "%.0f", v < 0.0 ? 0.0 : v);
    return group_digits(digits, buf, size);
}

const char *fmt_seconds(simtime t, char *buf, size_t size)
{
    uint64_t whole = t / SIMTIME_NS_PER_S;
    uint64_t frac = t % SIMTIME_NS_PER_S;
    int width = 9;

    if (frac == 0) {
        snprintf(buf, size, "%llu", (unsigned long long)whole);
        return buf;
    }
    while (frac % 10 == 0) {
        frac /= 10;
        width--;
    }
    snprintf(buf, size, "%llu.%0*llu", (unsigned long long)whole, width,
             (unsigned long long)frac);
    return buf;
}

const char *fmt_double(double v, char *buf, size_t size)
{
    char tmp[40];

    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return buf;
    }
    if (v == floor(v) && fabs(v) < 1e17) {         /* whole: "3600", not "3.6e+03" */
        snprintf(buf, size, "%.0f", v);
        return buf;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    snprintf(buf, size, "%s", tmp);
    return buf;
}

void fmt_csv_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL ||
                 (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));

    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
