/* test_portspace.c - the port space alone: counts and bitmaps agree, the
 * find-next-set search matches a port-by-port scan, and TIME_WAIT entries
 * survive many chunks of FIFO with tombstones in the middle. */
#include <check.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "models/portspace.h"
#include "models/profiles.h"
#include "sim/sim.h"
#include "tests/suites.h"

static struct stack_params params(uint32_t lo, uint32_t hi)
{
    struct stack_params p = profile_get(PROFILE_LINUX)->defaults;

    p.port_min = lo;
    p.port_max = hi;
    return p;
}

START_TEST(test_reserved_not_usable)
{
    struct stack_params p = params(1000, 1199);
    struct portspace *ps;

    p.nreserved = 2;
    p.reserved[0] = (struct port_range){1000, 1009};
    p.reserved[1] = (struct port_range){1150, 1300};
    ps = portspace_new(&p, 1, 1);
    ck_assert_uint_eq(portspace_nports(ps), 200);
    ck_assert_uint_eq(portspace_usable(ps), 140);
    ck_assert(!portspace_is_usable(ps, 0));
    ck_assert(portspace_is_usable(ps, 10));
    ck_assert(!portspace_is_usable(ps, 150));
    ck_assert(!portspace_is_usable(ps, 200));
    portspace_free(ps);
}
END_TEST

/* Random connections and entries; find() against a plain scan. */
START_TEST(test_find_matches_scan)
{
    uint64_t seed = (uint64_t)_i + 1;
    struct sim *s = sim_new_for_test(seed);
    gsl_rng *r = sim_rng(s, 0);
    uint32_t n = 1 + (uint32_t)gsl_rng_uniform_int(r, 300);
    struct stack_params p = params(2000, 2000 + n - 1);
    struct portspace *ps = portspace_new(&p, 2, 3);
    struct ps_tw *e[600];
    unsigned ne = 0;

    for (int step = 0; step < 400; step++) {
        uint32_t pool = (uint32_t)gsl_rng_uniform_int(r, 2);
        uint32_t off = (uint32_t)gsl_rng_uniform_int(r, n);
        uint32_t rem = (uint32_t)gsl_rng_uniform_int(r, 3);
        double u = gsl_rng_uniform(r);

        if (u < 0.3) {
            if (!portspace_conn_to(ps, pool, off, rem))
                portspace_conn_add(ps, pool, off, rem);
            else
                portspace_conn_del(ps, pool, off, rem);
        } else if (u < 0.6 && ne < 600) {
            if (!portspace_tw_to(ps, pool, off, rem))
                e[ne++] = portspace_tw_add(ps, pool, off, rem, false, 0, 0);
        } else if (u < 0.7 && ne < 600) {
            if (!portspace_tw_find(ps, pool, off, rem, true))
                e[ne++] = portspace_tw_add(ps, pool, off, rem, true, 0, 0);
        } else if (ne > 0) {
            unsigned k = (unsigned)gsl_rng_uniform_int(r, ne);

            portspace_tw_del(ps, e[k]);
            e[k] = e[--ne];
        }
        ck_assert_msg(portspace_check(ps), "seed %llu step %d", (unsigned long long)seed, step);
        for (int excl = 0; excl < 2; excl++) {
            struct ps_view v;
            uint32_t from = (uint32_t)gsl_rng_uniform_int(r, n);
            uint64_t mask = (step & 1) ? ~UINT64_C(0) : UINT64_C(0x5555555555555555);
            uint32_t want = PS_NIL;

            portspace_view(ps, pool, rem, excl, &v);
            for (uint32_t k = from; k < n && want == PS_NIL; k++) {
                bool blocked = excl ? portspace_nconn(ps, pool, k) || portspace_ntw(ps, pool, k)
                                    : portspace_conn_to(ps, pool, k, rem) ||
                                          portspace_tw_to(ps, pool, k, rem);
                if (!blocked && ((mask >> (k & 63)) & 1u))
                    want = k;
            }
            ck_assert_msg(portspace_find(&v, from, n, mask) == want,
                          "seed %llu step %d from %u", (unsigned long long)seed, step, from);
        }
    }
    while (ne > 0)
        portspace_tw_del(ps, e[--ne]);
    ck_assert(portspace_tw_oldest(ps, false) == NULL);
    portspace_free(ps);
    sim_free(s);
}
END_TEST

/* 10,000 entries through the FIFO (ten chunks), every third ended early:
 * the oldest is always the first live one added. */
START_TEST(test_fifo_oldest)
{
    struct stack_params p = params(1, 65535);
    struct portspace *ps = portspace_new(&p, 1, 4);
    enum { N = 10000 };
    struct ps_tw **e = calloc(N, sizeof(*e));
    unsigned head = 0;

    for (unsigned k = 0; k < N; k++)
        e[k] = portspace_tw_add(ps, 0, k % 65535, k % 4, false, k, k);
    for (unsigned k = 0; k < N; k += 3) {
        portspace_tw_del(ps, e[k]);
        e[k] = NULL;
    }
    while (head < N) {
        while (head < N && !e[head])
            head++;
        if (head == N)
            break;
        ck_assert_ptr_eq(portspace_tw_oldest(ps, false), e[head]);
        ck_assert_uint_eq(ps_tw_remote(e[head]), head % 4);
        portspace_tw_del(ps, e[head]);
        e[head] = NULL;
    }
    ck_assert_ptr_null(portspace_tw_oldest(ps, false));
    ck_assert(portspace_check(ps));
    portspace_free(ps);
    free(e);
}
END_TEST

START_TEST(test_entry_is_64_bytes)
{
    ck_assert_uint_le(sizeof(struct ps_tw), 64);
}
END_TEST

Suite *portspace_suite(void)
{
    Suite *su = suite_create("portspace");
    TCase *core = tcase_create("core");
    TCase *oracle = tcase_create("oracle");

    tcase_add_test(core, test_reserved_not_usable);
    tcase_add_test(core, test_fifo_oldest);
    tcase_add_test(core, test_entry_is_64_bytes);
    tcase_add_loop_test(oracle, test_find_matches_scan, 0, 40);
    suite_add_tcase(su, core);
    suite_add_tcase(su, oracle);
    return su;
}
