/* cmd_theory.c - 'portsim theory SCENARIO [--set key=value]...': the closed form.
 *
 * Loads and resolves the scenario exactly as 'portsim run' does (scenario.h),
 * computes models/theory.h's figures from the parameters alone (no run, no
 * database) and prints them (cli/theory_text.h) with the notes that say
 * where the closed form is only a bound.  SCENARIO may be left out when
 * --set gives what differs from the defaults.  Exit status: 0, 2 on bad
 * usage or a bad scenario, 1 otherwise.
 */
#include <math.h>
#include <stdio.h>

#include "cli/theory_text.h"
#include "models/theory.h"
#include "cli/cmd.h"
#include "models/names.h"
#include "models/nat.h"
#include "models/scenario.h"
#include "sim/err.h"

/* ---- Issue 12: the NAT's closed forms ---- */

static void nat_theory_print(FILE *f, const struct scenario_params *p)
{
    struct nat_theory t;

    nat_theory(p, &t);
    fprintf(f, "\nNAT %s (%u public IP(s), %u host(s)); a port is held %g s (service + FIN "
               "hold)\n", names_of(&names_nat_profile, p->nat.profile), p->nat.public_ips,
            p->fleet.hosts, t.hold_s);
    if (t.ports_per_host)
        fprintf(f, "  ports per host %u; hosts placed %u of %u; one host sustains %.4g new "
                   "flows/s to one destination\n", t.ports_per_host, t.hosts_placed,
                p->fleet.hosts, t.per_host_dst_per_s);
    fprintf(f, "  ports toward one destination %llu: the fleet sustains %.6g new flows/s to "
               "one destination\n", (unsigned long long)t.ports_per_dst, t.per_dst_per_s);
    fprintf(f, "  offered (every request a new flow) %.6g/s per destination: ",
            t.offered_per_dst_per_s);
    if (isfinite(t.exhaustion_s))
        fprintf(f, "exhausted after %.6g s, then SYNs dropped (%s)\n", t.exhaustion_s,
                nat_failure_words(p->nat.profile, NAT_DROP_EXHAUSTED));
    else
        fprintf(f, "sustainable\n");
}

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
    if ((rc = scenario_load(&sc, nops ? ops[0] : NULL, a->so.sets.v, a->so.sets.n, &e)) != 0)
        goto out_usage;
    if ((rc = theory_compute(&sc.p, &t, &e)) == 0)
        theory_text_print(stdout, &sc.p, &t);
    if (rc == 0 && sc.p.nat.profile != NAT_PROFILE_NONE)
        nat_theory_print(stdout, &sc.p);        /* issue 12 */
    scenario_fini(&sc);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = err_set(&e, PS_EIO, "cannot write to standard output");

out_usage:
    if (rc != 0)
        fprintf(stderr, "portsim theory: %s\n", e.msg);
    return err_exit_status(rc);
}
