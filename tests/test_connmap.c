/* test_connmap.c - the open-connection map: basic use, keys at the edges of
 * the key space, clusters that wrap around the table's end, growth and
 * shrinking, and an oracle test against a plain array over a million
 * random operations (puts, gets, deletes, present and absent keys). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/connmap.h"
#include "tests/suites.h"

/* Values are addresses inside this array: any non-NULL pointer will do. */
static char vals[1 << 16];

static void *val_of(uint32_t i)
{
    return &vals[i % sizeof(vals)];
}

START_TEST(test_basic)
{
    struct connmap m;

    connmap_init(&m);
    ck_assert_ptr_null(connmap_get(&m, 0));
    connmap_put(&m, 0, val_of(1));
    connmap_put(&m, UINT32_MAX, val_of(2));
    connmap_put(&m, 999999999, val_of(3));
    ck_assert_uint_eq(connmap_size(&m), 3);
    ck_assert_ptr_eq(connmap_get(&m, 0), val_of(1));
    ck_assert_ptr_eq(connmap_get(&m, UINT32_MAX), val_of(2));
    ck_assert_ptr_eq(connmap_get(&m, 999999999), val_of(3));
    ck_assert_ptr_null(connmap_get(&m, 1));
    ck_assert_ptr_null(connmap_del(&m, 1));
    ck_assert_ptr_eq(connmap_del(&m, 0), val_of(1));
    ck_assert_ptr_null(connmap_get(&m, 0));
    ck_assert_ptr_eq(connmap_get(&m, UINT32_MAX), val_of(2));
    ck_assert_uint_eq(connmap_size(&m), 2);
    connmap_fini(&m);
}
END_TEST

/* Keys that share one home slot form a cluster; deleting from its middle
 * must keep every later key reachable, also across the table's end. */
START_TEST(test_clusters)
{
    struct connmap m;
    uint32_t same[6], n = 0;

    connmap_init(&m);
    /* find keys whose home is the last slot, so the cluster wraps */
    for (uint32_t k = 0; n < 6; k++) {
        if (((k * UINT32_C(0x9e3779b9)) >> m.shift) == m.mask)
            same[n++] = k;
    }
    for (uint32_t i = 0; i < 6; i++)
        connmap_put(&m, same[i], val_of(i + 1));
    ck_assert_uint_eq(m.mask + 1, CONNMAP_MIN_SLOTS);    /* 6 of 16: no growth */
    ck_assert_ptr_eq(connmap_del(&m, same[2]), val_of(3));
    ck_assert_ptr_eq(connmap_del(&m, same[0]), val_of(1));
    for (uint32_t i = 0; i < 6; i++) {
        if (i == 0 || i == 2)
            ck_assert_ptr_null(connmap_get(&m, same[i]));
        else
            ck_assert_ptr_eq(connmap_get(&m, same[i]), val_of(i + 1));
    }
    connmap_fini(&m);
}
END_TEST

/* The table follows the entries: grows past half full, shrinks back. */
START_TEST(test_size_follows_entries)
{
    struct connmap m;

    connmap_init(&m);
    for (uint32_t i = 0; i < 100000; i++)
        connmap_put(&m, i * 7919u, val_of(i + 1));
    ck_assert_uint_le(m.n * 2, m.mask + 1);
    ck_assert_uint_le(connmap_bytes(&m), 262144 * sizeof(struct connmap_slot));
    for (uint32_t i = 0; i < 100000; i++)
        ck_assert_ptr_eq(connmap_get(&m, i * 7919u), val_of(i + 1));
    for (uint32_t i = 0; i < 99990; i++)
        ck_assert_ptr_eq(connmap_del(&m, i * 7919u), val_of(i + 1));
    ck_assert_uint_eq(connmap_size(&m), 10);
    ck_assert_uint_le(m.mask + 1, 128);
    for (uint32_t i = 99990; i < 100000; i++)
        ck_assert_ptr_eq(connmap_get(&m, i * 7919u), val_of(i + 1));
    connmap_fini(&m);
}
END_TEST

/* Oracle: random operations on a small key space (so that keys collide,
 * clusters form and break, and the table grows and shrinks many times)
 * and on a sparse one, checked against a plain array after every step. */
static void oracle(uint32_t keyspace, uint32_t stride, unsigned long seed, int ops)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    void **ref = calloc(keyspace, sizeof(*ref));
    uint32_t live = 0;
    struct connmap m;

    gsl_rng_set(r, seed);
    connmap_init(&m);
    for (int op = 0; op < ops; op++) {
        uint32_t i = (uint32_t)gsl_rng_uniform_int(r, keyspace);
        uint32_t key = i * stride;
        /* phases: mostly puts, then mostly deletes, so the size swings */
        int grow = (op / 20000) % 2 == 0;
        unsigned long what = gsl_rng_uniform_int(r, 10);

        if (what < (grow ? 6u : 3u)) {
            if (!ref[i]) {
                ref[i] = val_of((uint32_t)op + 1);
                connmap_put(&m, key, ref[i]);
                live++;
            }
        } else if (what < 8) {
            ck_assert_ptr_eq(connmap_del(&m, key), ref[i]);
            if (ref[i])
                live--;
            ref[i] = NULL;
        } else {
            ck_assert_ptr_eq(connmap_get(&m, key), ref[i]);
        }
        ck_assert_uint_eq(connmap_size(&m), live);
        ck_assert_uint_le((uint64_t)live * 2, (uint64_t)m.mask + 1);
        if (op % 50000 == 0) {
            for (uint32_t k = 0; k < keyspace; k++)
                ck_assert_ptr_eq(connmap_get(&m, k * stride), ref[k]);
        }
    }
    for (uint32_t k = 0; k < keyspace; k++)
        ck_assert_ptr_eq(connmap_get(&m, k * stride), ref[k]);
    connmap_fini(&m);
    free(ref);
    gsl_rng_free(r);
}

START_TEST(test_oracle_dense)
{
    oracle(5000, 1, 1, 1000000);
}
END_TEST

START_TEST(test_oracle_sparse)
{
    oracle(20000, 214013u, 2, 1000000);     /* keys spread over 2^32 */
}
END_TEST

Suite *connmap_suite(void)
{
    Suite *s = suite_create("connmap");
    TCase *tc = tcase_create("connmap");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_basic);
    tcase_add_test(tc, test_clusters);
    tcase_add_test(tc, test_size_follows_entries);
    tcase_add_test(tc, test_oracle_dense);
    tcase_add_test(tc, test_oracle_sparse);
    suite_add_tcase(s, tc);
    return s;
}
