/* connmap.c - open addressing keyed by mailbox (see connmap.h).
 *
 * Slot of a key: the top bits of key * 2^32/phi (Fibonacci hashing), which
 * spreads arithmetic progressions (mailbox i, i + servers, ...) as well as
 * random keys.  Deletion shifts back every later entry of the cluster whose
 * home slot does not lie cyclically in (hole, entry], so a lookup stops at
 * the first empty slot and no tombstone ever lengthens a probe.
 */
#include "models/connmap.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/xalloc.h"

static uint32_t home(const struct connmap *m, uint32_t key)
{
    return (key * UINT32_C(0x9e3779b9)) >> m->shift;
}

static void alloc_slots(struct connmap *m, uint32_t nslots)
{
    uint32_t bits = (uint32_t)__builtin_ctz(nslots);

    m->slot = xcalloc(nslots, sizeof(*m->slot));
    m->mask = nslots - 1;
    m->shift = 32 - bits;
}

static void insert(struct connmap *m, uint32_t key, void *val)
{
    uint32_t i = home(m, key);

    while (m->slot[i].val) {
        assert(m->slot[i].key != key);
        i = (i + 1) & m->mask;
    }
    m->slot[i].key = key;
    m->slot[i].val = val;
}

static void resize(struct connmap *m, uint32_t nslots)
{
    struct connmap_slot *old = m->slot;
    uint32_t nold = m->mask + 1;

    alloc_slots(m, nslots);
    for (uint32_t i = 0; i < nold; i++) {
        if (old[i].val)
            insert(m, old[i].key, old[i].val);
    }
    free(old);
}

void connmap_init(struct connmap *m)
{
    alloc_slots(m, CONNMAP_MIN_SLOTS);
    m->n = 0;
}

void connmap_fini(struct connmap *m)
{
    free(m->slot);
    m->slot = NULL;
    m->n = 0;
}

void connmap_put(struct connmap *m, uint32_t key, void *val)
{
    assert(val);
    if ((uint64_t)(m->n + 1) * 2 > (uint64_t)m->mask + 1)
        resize(m, (m->mask + 1) * 2);
    insert(m, key, val);
    m->n++;
}

void *connmap_del(struct connmap *m, uint32_t key)
{
    uint32_t i = home(m, key), j;
    void *val;

    for (;;) {
        if (!m->slot[i].val)
            return NULL;
        if (m->slot[i].key == key)
            break;
        i = (i + 1) & m->mask;
    }
    val = m->slot[i].val;
    /* backward shift: i is the hole; move up any later entry that may */
    for (j = (i + 1) & m->mask; m->slot[j].val; j = (j + 1) & m->mask) {
        uint32_t h = home(m, m->slot[j].key);

        /* the entry at j stays if its home lies cyclically in (i, j] */
        if (((j - h) & m->mask) < ((j - i) & m->mask))
            continue;
        m->slot[i] = m->slot[j];
        i = j;
    }
    m->slot[i].val = NULL;
    m->n--;
    if (m->mask + 1 > CONNMAP_MIN_SLOTS && (uint64_t)m->n * 8 < (uint64_t)m->mask + 1)
        resize(m, (m->mask + 1) / 2);
    return val;
}
