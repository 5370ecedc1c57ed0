/* connmap.h - the open connections of a workload, keyed by mailbox.
 *
 * An open-addressing hash table (linear probing, Fibonacci hashing,
 * deletion by backward shift, no tombstones) from a 32-bit key to a
 * non-NULL pointer.  Its size follows the entries it holds, not the key
 * space: a power of two with a load between 1/8 and 1/2 (it doubles past
 * 1/2 and halves below 1/8, never below CONNMAP_MIN_SLOTS), so a workload
 * of 10^9 mailboxes with a few dozen open connections holds a few hundred
 * bytes here.  A lookup reads one or two adjacent 16-byte slots, which
 * stay in cache, where an array indexed by mailbox read one random cache
 * line of an array of 8 bytes per mailbox.  Cost: O(1) expected per
 * operation; O(n) for the get/put/del that resizes (amortised O(1)).
 */
#ifndef PORTSIM_MODELS_CONNMAP_H
#define PORTSIM_MODELS_CONNMAP_H

#include <stddef.h>
#include <stdint.h>

#define CONNMAP_MIN_SLOTS 16u

struct connmap_slot {
    void *val;                  /* NULL: empty */
    uint32_t key;
};

struct connmap {
    struct connmap_slot *slot;  /* 'mask' + 1 slots */
    uint32_t mask;
    uint32_t shift;             /* 32 - log2(slots), for the hash */
    uint32_t n;                 /* entries */
};

/* An empty map of CONNMAP_MIN_SLOTS slots. */
void connmap_init(struct connmap *m);
void connmap_fini(struct connmap *m);

/* The value of 'key', or NULL. */
static inline void *connmap_get(const struct connmap *m, uint32_t key)
{
    uint32_t i = (key * UINT32_C(0x9e3779b9)) >> m->shift;

    for (;;) {
        const struct connmap_slot *s = &m->slot[i];

        if (!s->val || s->key == key)
            return s->val;
        i = (i + 1) & m->mask;
    }
}

/* Add 'key' (absent) with 'val' (not NULL). */
void connmap_put(struct connmap *m, uint32_t key, void *val);

/* Remove 'key' and return its value, or NULL if it was absent. */
void *connmap_del(struct connmap *m, uint32_t key);

static inline uint32_t connmap_size(const struct connmap *m)
{
    return m->n;
}

/* Bytes held by the table. */
static inline size_t connmap_bytes(const struct connmap *m)
{
    return ((size_t)m->mask + 1) * sizeof(struct connmap_slot);
}

#endif /* PORTSIM_MODELS_CONNMAP_H */
