/* suggest.c - edit distance for "did you mean" (see suggest.h).  Three rows
 * of the dynamic programme on the stack; no allocation. */
#include "sim/suggest.h"

#include <string.h>

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;

    return m < c ? m : c;
}

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];

    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return SUGGEST_MAX_LEN + 1;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];

            c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < c[j])
                c[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;

        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

int suggest_near(const char *word, const char *cand)
{
    size_t limit = strlen(word) <= 4 ? 1 : 2;

    return suggest_distance(word, cand) <= limit;
}

const char *suggest_best(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = SUGGEST_MAX_LEN + 1;

    for (size_t i = 0; i < n; i++) {
        size_t d = suggest_distance(word, cands[i]);

        if (d < bestd && suggest_near(word, cands[i])) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}
