/* test_inierrs.c - every problem of an INI file at once (models/inierrs.h):
 * kept in line order, the first INIERRS_MAX, the message as many lines as
 * fit with the count of the others, the first problem's code; and the
 * scenario reader reporting three problems of one file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/inierrs.h"
#include "models/scenario.h"
#include "tests/suites.h"
#include "tests/testutil.h"

START_TEST(test_order_and_code)
{
    struct inierrs l;
    struct err e;

    memset(&l, 0, sizeof(l));
    err_clear(&e);
    ck_assert_int_eq(inierrs_result(&l, &e), 0);
    inierrs_add(&l, 7, PS_EINVAL, "f:7: c");
    inierrs_add(&l, 2, PS_EIO, "f:2: a");       /* a syntax error found last, line 2 */
    inierrs_add(&l, 5, PS_EINVAL, "f:5: b");
    ck_assert_int_eq(inierrs_result(&l, &e), PS_EIO);   /* line 2's code */
    ck_assert_str_eq(e.msg, "f:2: a\nf:5: b\nf:7: c");
}
END_TEST

START_TEST(test_more_than_kept)
{
    struct inierrs l;
    struct err e;
    char msg[32];

    memset(&l, 0, sizeof(l));
    for (unsigned long i = 1; i <= INIERRS_MAX + 3; i++) {
        snprintf(msg, sizeof(msg), "f:%lu: x", i);
        inierrs_add(&l, i, PS_EINVAL, msg);
    }
    ck_assert_uint_eq(l.n, INIERRS_MAX + 3);
    ck_assert_int_eq(inierrs_result(&l, &e), PS_EINVAL);
    /* 8 kept and shown, 3 more: "f:1: x\n...\nf:8: x\n(3 more errors)" */
    ck_assert_ptr_nonnull(strstr(e.msg, "f:8: x\n(3 more errors)"));
    ck_assert_ptr_null(strstr(e.msg, "f:9:"));
}
END_TEST

/* Long messages: only what fits in ERR_MSG_MAX is shown, the rest counted. */
START_TEST(test_long_messages)
{
    struct inierrs l;
    struct err e;
    char msg[400];

    memset(&l, 0, sizeof(l));
    memset(msg, 'x', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = '\0';
    for (unsigned long i = 1; i <= 4; i++)
        inierrs_add(&l, i, PS_EINVAL, msg);
    ck_assert_int_eq(inierrs_result(&l, &e), PS_EINVAL);
    /* 399 + 1 + 399 = 799; a third would need 1199 + room > 1024: 2 shown, 2 more */
    ck_assert_ptr_nonnull(strstr(e.msg, "\n(2 more errors)"));
    ck_assert_uint_lt(strlen(e.msg), ERR_MSG_MAX);
}
END_TEST

/* The scenario reader reports every problem of the file, in line order. */
START_TEST(test_scenario_every_problem)
{
    char *dir = testutil_tmpdir();
    char *path = testutil_write(dir, "bad.ini", "[workload]\nrat = 5\nrate = abc\n[nope]\n"
                                "x = 1\n[stack]\nport_min = 1\nport_min = 2\n");
    struct scenario sc;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, path, NULL, 0, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "bad.ini:2: unknown key 'workload.rat'"));
    ck_assert_ptr_nonnull(strstr(e.msg, "\n"));
    ck_assert_ptr_nonnull(strstr(e.msg, "bad.ini:3: 'workload.rate' must be"));
    ck_assert_ptr_nonnull(strstr(e.msg, "bad.ini:4: unknown section '[nope]'"));
    ck_assert_ptr_null(strstr(e.msg, "bad.ini:5:"));    /* keys of [nope]: not again */
    ck_assert_ptr_nonnull(strstr(e.msg, "bad.ini:8: 'stack.port_min' is set twice"));
    testutil_rmrf(dir);
    free(path);
    free(dir);
}
END_TEST

Suite *inierrs_suite(void)
{
    Suite *s = suite_create("inierrs");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_order_and_code);
    tcase_add_test(tc, test_more_than_kept);
    tcase_add_test(tc, test_long_messages);
    tcase_add_test(tc, test_scenario_every_problem);
    suite_add_tcase(s, tc);
    return s;
}
