/* utf8.c - strict UTF-8 validation (see utf8.h). */
#include "sim/utf8.h"

/* Length of the sequence at 's' (at most 'left' bytes), 0 if not UTF-8. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;     /* allowed range of the 2nd byte */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;               /* continuation byte, C0/C1 (overlong), F5.. */
    if (c == 0xE0)
        lo = 0xA0;              /* overlong 3-byte form */
    else if (c == 0xED)
        hi = 0x9F;              /* surrogates U+D800..U+DFFF */
    else if (c == 0xF0)
        lo = 0x90;              /* overlong 4-byte form */
    else if (c == 0xF4)
        hi = 0x8F;              /* above U+10FFFF */
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return n;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n;

    while (i < len) {
        if ((n = utf8_seq(u + i, len - i)) == 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}
