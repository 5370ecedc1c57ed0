/* test_names.c - the words of the scenario language: each enum's table
 * indexed by value, lookups both ways, and the "a, b or c" list.
 */
#include <check.h>
#include <string.h>

#include "models/names.h"
#include "sim/err.h"
#include "tests/suites.h"

START_TEST(test_tables_match_enums)
{
    ck_assert_uint_eq(names_profile.count, PROFILE_COUNT);
    ck_assert_uint_eq(names_allocator.count, ALLOC_COUNT);
    ck_assert_str_eq(names_of(&names_profile, PROFILE_WIN2000), "win2000");
    ck_assert_str_eq(names_of(&names_profile, PROFILE_MACOS), "macos");
    ck_assert_str_eq(names_of(&names_allocator, ALLOC_DOUBLE_HASH), "double-hash");
    ck_assert_str_eq(names_of(&names_close, CLOSE_SERVER), "server");
    ck_assert_str_eq(names_of(&names_popularity, POPULARITY_ZIPF), "zipf");
    ck_assert_uint_eq(names_close.count, 3);
    /* every list is NULL-terminated at 'count' */
    ck_assert_ptr_null(names_close.list[names_close.count]);
    ck_assert_ptr_null(names_profile.list[names_profile.count]);
}
END_TEST

START_TEST(test_out_of_range)
{
    ck_assert_str_eq(names_of(&names_close, 3), "?");
    ck_assert_str_eq(names_of(&names_profile, 1000000), "?");
}
END_TEST

START_TEST(test_find_round_trip)
{
    const struct names *all[] = {
        &names_profile,    &names_allocator, &names_sharing,      &names_pool,
        &names_reuse,      &names_collision, &names_tw_overflow,  &names_arrivals,
        &names_popularity, &names_service_dist, &names_close,
    };

    for (size_t t = 0; t < sizeof(all) / sizeof(all[0]); t++) {
        ck_assert_uint_ge(all[t]->count, 2);
        for (unsigned v = 0; v < all[t]->count; v++) {
            unsigned got = 99;

            ck_assert_int_eq(names_find(all[t], names_of(all[t], v), &got), 0);
            ck_assert_uint_eq(got, v);
        }
    }
}
END_TEST

START_TEST(test_find_is_exact)
{
    unsigned v = 42;

    ck_assert_int_eq(names_find(&names_profile, "Win2000", &v), PS_EINVAL);
    ck_assert_int_eq(names_find(&names_profile, "win", &v), PS_EINVAL);
    ck_assert_int_eq(names_find(&names_profile, "", &v), PS_EINVAL);
    ck_assert_uint_eq(v, 42);       /* untouched on failure */
    ck_assert_int_eq(names_find(&names_reuse, "when-exhausted", &v), 0);
    ck_assert_uint_eq(v, 1);
}
END_TEST

START_TEST(test_allowed)
{
    char buf[256], tiny[12];

    ck_assert_str_eq(names_allowed(&names_close, buf, sizeof(buf)), "client, server or abort");
    ck_assert_str_eq(names_allowed(&names_sharing, buf, sizeof(buf)),
                     "exclusive or per-destination");
    ck_assert_str_eq(names_allowed(&names_profile, buf, sizeof(buf)),
                     "win2000, winxp, win2003, win7, win8, linux, freebsd or macos");
    /* a short buffer is cut, still terminated */
    names_allowed(&names_close, tiny, sizeof(tiny));
    ck_assert_uint_lt(strlen(tiny), sizeof(tiny));
    ck_assert_str_eq(tiny, "client, ser");
}
END_TEST

Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("words");

    tcase_add_test(tc, test_tables_match_enums);
    tcase_add_test(tc, test_out_of_range);
    tcase_add_test(tc, test_find_round_trip);
    tcase_add_test(tc, test_find_is_exact);
    tcase_add_test(tc, test_allowed);
    suite_add_tcase(s, tc);
    return s;
}
