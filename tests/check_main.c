/* check_main.c - runs every suite of suites.h; exit status 1 on any failure.
 *
 * Honours Check's environment: CK_RUN_SUITE, CK_RUN_CASE, CK_FORK,
 * CK_VERBOSITY, CK_INCLUDE_TAGS and CK_EXCLUDE_TAGS (TCases tagged "slow" are
 * left out by 'make check-quick').  Ends with Check's summary line.
 */
#include <stdlib.h>

#include <check.h>
#include <gsl/gsl_errno.h>

#include "tests/suites.h"

int main(void)
{
    SRunner *sr = srunner_create(NULL);
    int failed;

    gsl_set_error_handler_off();
#define PORTSIM_ADD_SUITE(name) srunner_add_suite(sr, name##_suite());
    PORTSIM_SUITES(PORTSIM_ADD_SUITE)
#undef PORTSIM_ADD_SUITE
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
