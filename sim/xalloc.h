/* xalloc.h - allocation that never returns NULL.
 *
 * Running out of memory is fatal (Redis's rule): these print the size asked
 * for and abort.  Everything else about them is the C library's.
 */
#ifndef PORTSIM_SIM_XALLOC_H
#define PORTSIM_SIM_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* Grow an array of 'n' items of 'size' bytes to hold at least 'need' items,
 * doubling; '*cap' is updated.  Returns the (possibly moved) array. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);

#endif /* PORTSIM_SIM_XALLOC_H */
