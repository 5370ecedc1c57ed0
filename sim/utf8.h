/* utf8.h - is this text UTF-8?
 *
 * Every reader of text from outside (scenario and sweep files, --set, trace
 * files) refuses bytes that are not UTF-8, with their place, so that a name
 * never reaches the canonical JSON (which must be UTF-8) or a database in
 * a form it cannot keep.  Strict: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Pure function; cost O(len), no allocation.
 */
#ifndef PORTSIM_SIM_UTF8_H
#define PORTSIM_SIM_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if 's[0..len)' is UTF-8; else false with '*bad' (may be NULL) the
 * offset of the first byte of the first bad sequence. */
bool utf8_valid(const char *s, size_t len, size_t *bad);

#endif /* PORTSIM_SIM_UTF8_H */
