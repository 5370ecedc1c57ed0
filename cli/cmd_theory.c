/* cmd_theory.c - 'portsim theory SCENARIO [--set key=value]...': the closed form.
 *
 * Loads and resolves the scenario exactly as 'portsim run' does (scenario.h),
 * computes analysis/theory.h's figures from the parameters alone (no run, no
 * database) and prints them with the notes that say where the closed form is
 * only a bound.  SCENARIO may be left out when --set gives what differs from
 * the defaults.  Exit status: 0, 2 on bad usage or a bad scenario, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/theory.h"
#include "cli/cmd.h"
#include "cli/datadir.h"
#include "models/scenario.h"
#include "sim/err.h"
#include "sim/xalloc.h"

static void help(FILE *f)
{
    fprintf(f,
            "usage: portsim theory [SCENARIO] [--set section.key=value]...\n"
            "\n"
            "Closed-form predictions for a scenario, without running it: usable ports,\n"
            "holding time of a port (service + TIME_WAIT when the client closes), offered\n"
            "load in Erlangs, Erlang-B blocking, the sustainable connection rate (ports /\n"
            "holding time), the time an empty pool lasts, and the TIME_WAIT population by\n"
            "Little's law.  Notes say when the scenario leaves the model (connection cache,\n"
            "TIME_WAIT reuse, retries, constant or diurnal arrivals, connection limit) and\n"
            "what the figures then are: an upper or a lower bound.\n"
            "\n"
            "options:\n"
            "  --set section.key=value   override one scenario key (repeatable), e.g.\n"
            "                            --set stack.profile=win2000 --set workload.rate=40\n"
            "  -h, --help                this text\n");
}

int cmd_theory(int argc, char **argv)
{
    const char **sets = xcalloc((size_t)argc + 1, sizeof(*sets));
    const char *path = NULL;
    size_t nsets = 0;
    struct scenario sc;
    struct theory t;
    struct err e;
    char where[4096];           /* the scenario found by datadir_find() */
    int rc;

    err_clear(&e);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help(stdout);
            free(sets);
            return 0;
        } else if (strcmp(a, "--set") == 0) {
            if (i + 1 >= argc) {
                rc = err_set(&e, PS_EINVAL, "'--set' needs section.key=value");
                goto out_usage;
            }
            sets[nsets++] = argv[++i];
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[nsets++] = a + 6;
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = err_set(&e, PS_EINVAL, "unknown option '%s' (try 'portsim theory --help')", a);
            goto out_usage;
        } else if (path) {
            rc = err_set(&e, PS_EINVAL, "one scenario only (got '%s' and '%s')", path, a);
            goto out_usage;
        } else {
            path = a;
        }
    }
    path = datadir_find(path, ".ini", where, sizeof(where));
    if ((rc = scenario_load(&sc, path, sets, nsets, &e)) != 0)
        goto out_usage;
    if ((rc = theory_compute(&sc.p, &t, &e)) == 0)
        theory_print(stdout, &sc.p, &t);
    scenario_fini(&sc);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = err_set(&e, PS_EIO, "cannot write to standard output");

out_usage:
    free(sets);
    if (rc != 0)
        fprintf(stderr, "portsim theory: %s\n", e.msg);
    return err_exit_status(rc);
}
