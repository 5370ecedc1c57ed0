/* suggest.h - "did you mean": the nearest word by edit distance.
 *
 * The distance is the optimal-string-alignment form of Damerau-Levenshtein:
 * one insertion, deletion, substitution or swap of two adjacent characters
 * costs 1 ("rnu" -> "run" is 1, "workload.rat" -> "workload.rate" is 1).
 * A candidate is suggested when its distance is at most 1 for words of up
 * to 4 characters, else at most 2 (so "x" does not suggest every one-letter
 * word but a short typo still finds its command); the first of equal
 * candidates wins.  Cost: O(length^2) per candidate; words longer than
 * SUGGEST_MAX_LEN are never near anything.
 */
#ifndef PORTSIM_SIM_SUGGEST_H
#define PORTSIM_SIM_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX_LEN 63

/* The distance of 'a' and 'b'; SUGGEST_MAX_LEN + 1 when either is longer. */
size_t suggest_distance(const char *a, const char *b);

/* Whether 'cand' is near enough to 'word' to be suggested (see above). */
int suggest_near(const char *word, const char *cand);

/* The nearest of the 'n' candidates that is near enough, or NULL. */
const char *suggest_best(const char *word, const char *const *cands, size_t n);

#endif /* PORTSIM_SIM_SUGGEST_H */
