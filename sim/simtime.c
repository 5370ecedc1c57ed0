/* simtime.c - conversions between seconds and integer nanoseconds.
 *
 * Parsing uses strtod() for the number (any C decimal or exponent form) and a
 * fixed table of units; the product is rounded to the nearest nanosecond with
 * llround-like rounding in long double, which is exact for every duration a
 * scenario can hold below 2^53 ns (104 days) and within 1 ns above.
 */
#include "sim/simtime.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
    const char *name;
    double ns;      /* nanoseconds per unit */
};

static const struct unit units[] = {
    {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9},
    {"min", 60e9}, {"h", 3600e9}, {"d", 86400e9},
};

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

static const struct unit *find_unit(const char *p, size_t len)
{
    if (len == 0)
        return &units[3];       /* bare number: seconds */
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strlen(units[i].name) == len && memcmp(units[i].name, p, len) == 0)
            return &units[i];
    }
    return NULL;
}

int simtime_parse(const char *text, simtime *out, struct err *e)
{
    const char *p = text;
    char *end;
    double v;
    size_t len;
    const struct unit *u;
    long double ns;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0' || *p == '-' || *p == '+' || !(isdigit((unsigned char)*p) || *p == '.'))
        return err_set(e, PS_EINVAL, EXPECTED " (got '%s')", text);
    errno = 0;
    v = strtod(p, &end);
    /* strtod also takes hex and "inf"; allow only plain decimal forms */
    if (end == p || end != p + strspn(p, "0123456789.eE+-") || errno == ERANGE ||
        !isfinite(v) || v < 0)
        return err_set(e, PS_EINVAL, EXPECTED " (got '%s')", text);
    p = end;
    while (isspace((unsigned char)*p))
        p++;
    len = 0;
    while (isalpha((unsigned char)p[len]))
        len++;
    u = find_unit(p, len);
    p += len;
    while (isspace((unsigned char)*p))
        p++;
    if (!u || *p != '\0')
        return err_set(e, PS_EINVAL, EXPECTED " (got '%s')", text);
    ns = (long double)v * (long double)u->ns;
    if (ns >= 18446744073709551615.0L)
        return err_set(e, PS_EINVAL, "must be a duration below 584 years (got '%s')", text);
    *out = (simtime)(ns + 0.5L);
    return 0;
}

const char *simtime_fmt_ms(simtime t, char *buf, unsigned size)
{
    simtime ms = (t + 500000) / 1000000;

    snprintf(buf, size, "%llu.%03llu", (unsigned long long)(ms / 1000),
             (unsigned long long)(ms % 1000));
    return buf;
}
