/* numparse.c - decimal numbers and durations (rules in numparse.h).
 *
 * The shape of the text is checked by hand first (digits, '.', exponent),
 * then strtod() converts it: strtod alone would take hex, "inf", "nan",
 * leading blanks and a '+', which the rules refuse.  Durations multiply in
 * long double and round to the nearest nanosecond, exact for every duration
 * below 2^53 ns (104 days) and within 1 ns above; a plain decimal number of
 * seconds with at most 9 digits after the point ("42949672.96", win7's
 * clock wrap) is converted in integers, exact at any size, so that the
 * canonical JSON's durations read back to the same ns.
 */
#include "sim/numparse.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/err.h"

struct unit {
    const char *name;
    double ns;                  /* nanoseconds per unit */
};

static const struct unit units[] = {
    {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9},
    {"min", 60e9}, {"h", 3600e9}, {"d", 86400e9},
};

static size_t digits(const char *s)
{
    size_t n = 0;

    while (isdigit((unsigned char)s[n]))
        n++;
    return n;
}

/* Length of the decimal number at 's' ("-1.5e3"), 0 if there is none. */
static size_t number_len(const char *s)
{
    size_t n = 0, whole, frac = 0;

    if (s[n] == '-')
        n++;
    whole = digits(s + n);
    n += whole;
    if (s[n] == '.') {
        frac = digits(s + n + 1);
        n += 1 + frac;
    }
    if (whole == 0 && frac == 0)
        return 0;
    if (s[n] == 'e' || s[n] == 'E') {
        size_t m = n + 1, exp;

        if (s[m] == '-' || s[m] == '+')
            m++;
        exp = digits(s + m);
        if (exp > 0)
            n = m + exp;        /* else "5e" is the number 5 and the text "e" */
    }
    return n;
}

int numparse_u64(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!isdigit((unsigned char)text[0]) || text[digits(text)] != '\0')
        return PS_EINVAL;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno == ERANGE || *end != '\0')
        return PS_EINVAL;
    *out = (uint64_t)v;
    return 0;
}

int numparse_double_prefix(const char *text, double *out, size_t *len)
{
    size_t n = number_len(text);
    char buf[128];
    char *end;
    double v;

    if (n == 0 || n >= sizeof(buf))
        return PS_EINVAL;
    memcpy(buf, text, n);
    buf[n] = '\0';
    errno = 0;
    v = strtod(buf, &end);
    if ((size_t)(end - buf) != n || errno == ERANGE || !isfinite(v))
        return PS_EINVAL;
    *out = v;
    *len = n;
    return 0;
}

int numparse_double(const char *text, double *out)
{
    size_t n;
    double v;

    if (numparse_double_prefix(text, &v, &n) != 0 || text[n] != '\0')
        return PS_EINVAL;
    *out = v;
    return 0;
}

static const struct unit *find_unit(const char *p, size_t len)
{
    if (len == 0)
        return &units[3];       /* a bare number: seconds */
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strlen(units[i].name) == len && memcmp(units[i].name, p, len) == 0)
            return &units[i];
    }
    return NULL;
}

/* 'n' characters at 's' of the form digits[.digits] with at most 9 after
 * the point, in seconds, as exact ns; false if not of that form or too big. */
static bool exact_seconds(const char *s, size_t n, simtime *out)
{
    uint64_t whole = 0, frac = 0;
    size_t i = 0, w = 0;

    for (; i < n && isdigit((unsigned char)s[i]); i++) {
        if (whole > (UINT64_MAX / 1000000000u - 9) / 10)
            return false;
        whole = whole * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == 0)
        return false;
    if (i < n && s[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)s[i]); i++, w++) {
            if (w == 9)
                return false;
            frac = frac * 10 + (uint64_t)(s[i] - '0');
        }
    }
    if (i != n)
        return false;
    for (; w < 9; w++)
        frac *= 10;
    *out = whole * 1000000000u + frac;
    return true;
}

int numparse_duration(const char *text, simtime *out)
{
    const char *p = text, *num;
    const struct unit *u;
    long double ns;
    size_t n, len = 0;
    double v;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || numparse_double_prefix(p, &v, &n) != 0)
        return PS_EINVAL;
    num = p;
    p += n;
    while (isspace((unsigned char)*p))
        p++;
    while (isalpha((unsigned char)p[len]))
        len++;
    u = find_unit(p, len);
    p += len;
    while (isspace((unsigned char)*p))
        p++;
    if (!u || *p != '\0')
        return PS_EINVAL;
    if (u->ns == 1e9 && exact_seconds(text + (size_t)(num - text), n, out))
        return 0;
    ns = (long double)v * (long double)u->ns;
    if (ns >= 18446744073709551615.0L)
        return PS_EINVAL;
    *out = (simtime)(ns + 0.5L);
    return 0;
}
