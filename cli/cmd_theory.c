/* cmd_theory.c - 'portsim theory SCENARIO [--set key=value]...': the closed form.
 *
 * Loads and resolves the scenario exactly as 'portsim run' does (scenario.h),
 * computes models/theory.h's figures from the parameters alone (no run, no
 * database) and prints them (cli/theory_text.h) with the notes that say
 * where the closed form is only a bound.  SCENARIO may be left out when
 * --set gives what differs from the defaults.  Exit status: 0, 2 on bad
 * usage or a bad scenario, 1 otherwise.
 */
#include <stdio.h>

#include "cli/theory_text.h"
#include "models/theory.h"
#include "cli/cmd.h"
#include "models/scenario.h"
#include "sim/err.h"

int cmd_theory(void *args, int nops, char **ops)
{
    const struct theory_args *a = args;
    struct scenario sc;
    struct theory t;
    struct err e;
    int rc;

    err_clear(&e);
    if (nops > 1) {
        rc = err_set(&e, PS_EINVAL, "one scenario only (got '%s' and '%s')", ops[0], ops[1]);
        goto out_usage;
    }
    if ((rc = scenario_load(&sc, nops ? ops[0] : NULL, a->so.sets.v, a->so.sets.n, &e)) != 0) {
        rc = PS_EINVAL;         /* a scenario that cannot be read is bad input (2) */
        goto out_usage;
    }
    if ((rc = theory_compute(&sc.p, &t, &e)) == 0)
        theory_text_print(stdout, &sc.p, &t);
    scenario_fini(&sc);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = err_set(&e, PS_EIO, "cannot write to standard output");

out_usage:
    if (rc != 0)
        fprintf(stderr, "portsim theory: %s\n", e.msg);
    return err_exit_status(rc);
}
