/* portalloc.h - the allocation algorithms: where a connect() starts looking
 * for a port and in which order it goes on (RFC 6056 algorithms 1-5).
 *
 * An allocator only produces candidate orders; whether a candidate is
 * acceptable is the stack's business (stack.c, with portspace's bitmaps).
 * Three shapes of order:
 *   PA_LINEAR   offsets start, start+1, ... wrapping at 'len' (sequential,
 *               random, hash): the stack jumps with find-next-set;
 *   PA_PARITY   offsets of start's parity, step 2, then the other parity
 *               (double-hash, as Linux): find-next-set on a masked word.
 *               As __inet_hash_connect: an offset past the range's last
 *               wraps by 'port -= remaining' (remaining = len, the range
 *               rounded down to even), so an odd-sized range can hand out
 *               its top port and then usually misses its first;
 *   PA_EACH     one candidate per draw (random-each, random-increment), at
 *               most 'tries': tested one at a time.
 * A candidate's 'dist' is its rank in the order: for PA_PARITY, dist < len is
 * the first parity pass (i = dist) and len + i the second.
 *
 * State (cursor, counters, the 65,536-entry perturbation table, hash keys)
 * belongs to the allocator and is shared by all pools, as in the kernels
 * (one 'lastport', one 'table_perturb').  Every draw comes from the run's
 * RNG_PORTALLOC stream, so allocation is a function of the seed.
 * Memory: 256 KB for double-hash's table, a few words otherwise.
 */
#ifndef PORTSIM_MODELS_PORTALLOC_H
#define PORTSIM_MODELS_PORTALLOC_H

#include <stdint.h>

#include "models/params.h"
#include "sim/sim.h"

#define PA_TABLE_SIZE 65536u        /* Linux INET_TABLE_PERTURB_SIZE, order 16 */
#define PA_RANDINC_N 500u           /* NetBSD algo_randinc N */
#define PA_NIL UINT32_MAX
#define PA_EPOCH_NS (10 * SIMTIME_NS_PER_S) /* Linux re-salts its hash every 10 s */

struct portalloc;

enum pa_shape { PA_LINEAR, PA_PARITY, PA_EACH };

/* One connect()'s candidate order; plain data filled by portalloc_begin(). */
struct pa_order {
    enum pa_shape shape;
    uint32_t start;         /* first candidate offset (LINEAR, PARITY) */
    uint32_t len;           /* offsets in the cycle: [0, len) */
    uint32_t span;          /* PARITY: ports in the range; len is it rounded down to even,
                               and an offset >= span wraps by -len (issue 11) */
    uint32_t tries;         /* EACH: candidates per walk */
    uint32_t drawn;         /* EACH: candidates drawn in this walk */
    uint32_t index;         /* double-hash: perturbation table slot */
    uint32_t prev;          /* sequential: the previous cursor (offset), for 'why' */
    int fallback;           /* random: 1 when FreeBSD's fall-back made it sequential */
};

/* An allocator 'id' for a range of 'n' ports of which 'nusable' are usable.
 * Draws its keys and table from sim_rng(s, RNG_PORTALLOC) at once.  Owned by
 * the caller. */
struct portalloc *portalloc_new(struct sim *s, const struct stack_params *p, uint32_t n,
                                uint32_t nusable);
void portalloc_free(struct portalloc *pa);

/* Start the order for a connect() from pool 'pool' to remote 'remote' at the
 * run's current time (draws the random start where the algorithm has one). */
void portalloc_begin(struct portalloc *pa, struct sim *s, uint32_t pool, uint32_t remote,
                     struct pa_order *o);

/* PA_EACH only: restart a walk (when-exhausted walks twice). */
void portalloc_rewind(struct pa_order *o);

/* The candidate of rank 'dist' (LINEAR, PARITY); PA_NIL past the end. */
uint32_t portalloc_at(const struct pa_order *o, uint32_t dist);

/* Walk length in ranks (LINEAR: len; PARITY: 2 len, or 1 if len == 1;
 * EACH: tries). */
uint32_t portalloc_ranks(const struct pa_order *o);

/* PA_EACH: the next candidate (drawn now), or PA_NIL when the walk's tries
 * are used up. */
uint32_t portalloc_next(struct portalloc *pa, struct sim *s, struct pa_order *o);

/* A port was handed out: candidate 'off' at rank 'dist'.  Advances the
 * cursor, counter or perturbation entry. */
void portalloc_commit(struct portalloc *pa, struct sim *s, const struct pa_order *o,
                      uint32_t off, uint32_t dist);

/* The walk(s) handed out nothing. */
void portalloc_fail(struct portalloc *pa, const struct pa_order *o);

/* Words for a trace: how port 'off' (rank 'dist') was chosen for 'remote',
 * e.g. "next after 1027 in round-robin".  Writes into 'buf'. */
const char *portalloc_why(const struct portalloc *pa, const struct pa_order *o, uint32_t off,
                          uint32_t dist, uint32_t remote, char *buf, unsigned size);

/* "10.0.0.1:143" for remote index 'r' (server r is 10.0.0.(r+1)). */
const char *portalloc_remote_str(uint32_t r, char *buf, unsigned size);

#endif /* PORTSIM_MODELS_PORTALLOC_H */
