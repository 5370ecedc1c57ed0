/* testutil.h - small helpers shared by the Check suites.
 *
 * Test-only; nothing in the library uses them.
 */
#ifndef PORTSIM_TESTS_TESTUTIL_H
#define PORTSIM_TESTS_TESTUTIL_H

#include <stddef.h>

/* A fresh empty directory under $TMPDIR (or /tmp) for one test; the caller
 * frees the returned path.  Aborts on failure. */
char *testutil_tmpdir(void);

/* Remove 'dir' and everything in it (best effort). */
void testutil_rmrf(const char *dir);

/* Write 'text' to 'dir'/'name'; returns the path (caller frees). */
char *testutil_write(const char *dir, const char *name, const char *text);

/* Say on stderr, before a misuse test provokes its assert(), that the
 * assertion message which follows is expected: the test passes by aborting
 * (tcase_add_test_raise_signal with SIGABRT).  'test' names the test,
 * 'what' the misuse.  So a reader of 'make check' is not alarmed by
 * "check_portsim: sim/sim.c:69: sim_arm: Assertion ... failed." */
void testutil_expect_abort(const char *test, const char *what);

#endif /* PORTSIM_TESTS_TESTUTIL_H */
