/* test_heap.c - the reference heap against a sorted array. */
#include <check.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "sim/heap.h"
#include "sim/xalloc.h"
#include "tests/suites.h"

START_TEST(test_heap_sorts)
{
    enum { N = 5000 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    struct timer *t = xcalloc(N, sizeof(*t));
    struct heap h;
    simtime last_due = 0;
    uint64_t last_seq = 0;

    gsl_rng_set(r, (unsigned long)_i + 1);
    heap_init(&h);
    for (size_t k = 0; k < N; k++) {
        t[k].due = gsl_rng_uniform_int(r, 100);       /* many ties */
        t[k].seq = k;
        heap_push(&h, &t[k]);
    }
    /* remove a third from the middle */
    for (size_t k = 0; k < N; k += 3)
        heap_remove(&h, &t[k]);
    ck_assert_uint_eq(h.n, N - (N + 2) / 3);
    for (size_t k = 0; h.n > 0; k++) {
        struct timer *x = heap_pop(&h);

        ck_assert_msg(x->due > last_due || (x->due == last_due && (k == 0 || x->seq > last_seq)),
                      "seed %d: out of order at %zu", _i + 1, k);
        ck_assert_uint_ne(x->seq % 3, 0);
        ck_assert(!timer_is_armed(x));
        last_due = x->due;
        last_seq = x->seq;
    }
    ck_assert_ptr_null(heap_pop(&h));
    heap_fini(&h);
    free(t);
    gsl_rng_free(r);
}
END_TEST

Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *oracle = tcase_create("oracle");

    tcase_add_loop_test(oracle, test_heap_sorts, 0, 10);
    suite_add_tcase(s, oracle);
    return s;
}
