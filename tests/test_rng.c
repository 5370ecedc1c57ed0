/* test_rng.c - stream seeding: reproducible, independent, no aliasing. */
#include <check.h>

#include "sim/rng.h"
#include "tests/suites.h"

START_TEST(test_reproducible)
{
    struct rngset a, b;

    ck_assert_int_eq(rngset_init(&a, "mt19937", 42, NULL), 0);
    ck_assert_int_eq(rngset_init(&b, "mt19937", 42, NULL), 0);
    for (int k = 0; k < 1000; k++)
        ck_assert_uint_eq(gsl_rng_get(rngset_get(&a, 3)), gsl_rng_get(rngset_get(&b, 3)));
    rngset_fini(&a);
    rngset_fini(&b);
}
END_TEST

START_TEST(test_stream_independent_of_use_and_order)
{
    /* drawing from stream 0 first, or creating streams in another order,
     * leaves stream 2's sequence alone */
    struct rngset a, b;
    unsigned long first[100];

    rngset_init(&a, NULL, 7, NULL);
    rngset_init(&b, NULL, 7, NULL);
    for (int k = 0; k < 100; k++)
        first[k] = gsl_rng_get(rngset_get(&a, 2));
    for (int k = 0; k < 5000; k++)
        gsl_rng_get(rngset_get(&b, 0));
    rngset_get(&b, 5);
    for (int k = 0; k < 100; k++)
        ck_assert_uint_eq(gsl_rng_get(rngset_get(&b, 2)), first[k]);
    rngset_fini(&a);
    rngset_fini(&b);
}
END_TEST

START_TEST(test_streams_differ)
{
    struct rngset a;

    rngset_init(&a, NULL, 1, NULL);
    for (unsigned i = 0; i < RNG_STREAMS_MAX; i++) {
        for (unsigned j = i + 1; j < RNG_STREAMS_MAX; j++)
            ck_assert_uint_ne(rng_stream_seed(1, i), rng_stream_seed(1, j));
    }
    ck_assert_uint_ne(gsl_rng_get(rngset_get(&a, 0)), gsl_rng_get(rngset_get(&a, 1)));
    rngset_fini(&a);
}
END_TEST

START_TEST(test_seed_0_and_4357_do_not_alias)
{
    struct rngset a, b;

    /* the trap: GSL's mt19937 treats seed 0 as 4357 */
    gsl_rng *r0 = gsl_rng_alloc(gsl_rng_mt19937), *r1 = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r0, 0);
    gsl_rng_set(r1, 4357);
    ck_assert_uint_eq(gsl_rng_get(r0), gsl_rng_get(r1));
    gsl_rng_free(r0);
    gsl_rng_free(r1);

    rngset_init(&a, NULL, 0, NULL);
    rngset_init(&b, NULL, 4357, NULL);
    for (unsigned id = 0; id < RNG_STREAMS_MAX; id++) {
        ck_assert_uint_ne(rng_stream_seed(0, id), 0);
        ck_assert_uint_ne(gsl_rng_get(rngset_get(&a, id)), gsl_rng_get(rngset_get(&b, id)));
    }
    rngset_fini(&a);
    rngset_fini(&b);
}
END_TEST

START_TEST(test_generator_by_name)
{
    struct rngset a;
    struct err e;

    ck_assert_int_eq(rngset_init(&a, "ranlxd2", 3, NULL), 0);
    ck_assert_str_eq(gsl_rng_name(rngset_get(&a, 0)), "ranlxd2");
    rngset_fini(&a);
    err_clear(&e);
    ck_assert_int_eq(rngset_init(&a, "dice", 3, &e), PS_EINVAL);
    ck_assert_str_eq(e.msg, "must name a GSL generator, e.g. mt19937, ranlxd2, taus2 (got 'dice')");
}
END_TEST

START_TEST(test_derive)
{
    ck_assert_uint_eq(rng_derive(5, 0), 5);
    ck_assert_uint_ne(rng_derive(5, 1), rng_derive(5, 2));
    ck_assert_uint_ne(rng_derive(5, 1), rng_derive(6, 1));
    ck_assert_uint_eq(rng_derive(5, 3), rng_derive(5, 3));
}
END_TEST

Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *core = tcase_create("core");

    tcase_add_test(core, test_reproducible);
    tcase_add_test(core, test_stream_independent_of_use_and_order);
    tcase_add_test(core, test_streams_differ);
    tcase_add_test(core, test_seed_0_and_4357_do_not_alias);
    tcase_add_test(core, test_generator_by_name);
    tcase_add_test(core, test_derive);
    suite_add_tcase(s, core);
    return s;
}
