/* test_suggest.c - "did you mean" (sim/suggest.h): the distance on pairs
 * counted by hand, and which candidate is suggested. */
#include <check.h>

#include "sim/suggest.h"
#include "tests/suites.h"

START_TEST(test_distance)
{
    ck_assert_uint_eq(suggest_distance("abc", "abc"), 0);
    ck_assert_uint_eq(suggest_distance("", "abc"), 3);         /* three insertions */
    ck_assert_uint_eq(suggest_distance("rnu", "run"), 1);      /* one swap (n,u) */
    ck_assert_uint_eq(suggest_distance("workload.rat", "workload.rate"), 1); /* insert e */
    /* kitten -> sitten (k/s) -> sittin (e/i) -> sitting (+g): 3 */
    ck_assert_uint_eq(suggest_distance("kitten", "sitting"), 3);
    /* optimal string alignment: "ca" -> "abc" is 3 (a swap cannot then be edited) */
    ck_assert_uint_eq(suggest_distance("ca", "abc"), 3);
    ck_assert_uint_eq(suggest_distance("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
                                       "0123456789ab", "a"), SUGGEST_MAX_LEN + 1);
}
END_TEST

START_TEST(test_best)
{
    static const char *const cmds[] = {"run", "sweep", "merge", "report", "theory", "trace"};
    size_t n = sizeof(cmds) / sizeof(cmds[0]);

    ck_assert_str_eq(suggest_best("rnu", cmds, n), "run");
    ck_assert_str_eq(suggest_best("swep", cmds, n), "sweep");
    ck_assert_str_eq(suggest_best("thoery", cmds, n), "theory");    /* swap: 1 */
    ck_assert_str_eq(suggest_best("reprot", cmds, n), "report");
    ck_assert_ptr_null(suggest_best("x", cmds, n));     /* "run": 3 */
    ck_assert_ptr_null(suggest_best("frobnicate", cmds, n));
    /* short words allow 1: "rxx" is 2 from "run" */
    ck_assert_ptr_null(suggest_best("rxx", cmds, n));
}
END_TEST

Suite *suggest_suite(void)
{
    Suite *s = suite_create("suggest");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_distance);
    tcase_add_test(tc, test_best);
    suite_add_tcase(s, tc);
    return s;
}
