/* cmd_theory.c - 'portsim theory SCENARIO [--set key=value]...': the closed form.
 *
 * Loads and resolves the scenario exactly as 'portsim run' does (scenario.h),
 * computes models/theory.h's figures from the parameters alone (no run, no
 * database) and prints them (cli/theory_text.h) with the notes that say
 * where the closed form is only a bound (--json: one object, 'params' the
 * canonical scenario, 'theory' every figure of struct theory by its field
 * name, infinity as null, 'notes' a list; with [nat] also 'nat', the NAT's
 * closed forms of models/nat.h).  SCENARIO may be left out when
 * --set gives what differs from the defaults.  Exit status: 0, 2 on bad
 * usage or a bad scenario, 1 otherwise.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/theory_text.h"
#include "models/theory.h"
#include "cli/cmd.h"
#include "cli/datadir.h"
#include "models/names.h"
#include "models/nat.h"
#include "models/scenario.h"
#include "sim/err.h"

static json_t *real_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

/* The notes, one sentence a line in t->note, as a list. */
static json_t *notes_json(const char *note)
{
    json_t *a = json_array();

    while (*note) {
        size_t len = strcspn(note, "\n");

        if (len)
            json_array_append_new(a, json_stringn(note, len));
        note += len + (note[len] == '\n');
    }
    return a;
}

/* Issue 12: the NAT's closed forms (nat_theory()), every figure; the
 * fleet's sustainable request rate if every request opens a flow. */
static json_t *nat_theory_json(const struct scenario_params *p)
{
    struct nat_theory t;
    json_t *o = json_object();

    nat_theory(p, &t);
    json_object_set_new(o, "profile", json_string(names_of(&names_nat_profile, p->nat.profile)));
    json_object_set_new(o, "public_ips", json_integer(p->nat.public_ips));
    json_object_set_new(o, "hosts", json_integer(p->fleet.hosts));
    json_object_set_new(o, "ports_per_dst", json_integer((json_int_t)t.ports_per_dst));
    json_object_set_new(o, "ports_per_host", json_integer(t.ports_per_host));
    json_object_set_new(o, "hosts_placed", json_integer(t.hosts_placed));
    json_object_set_new(o, "hold_s", real_or_null(t.hold_s));
    json_object_set_new(o, "per_dst_per_s", real_or_null(t.per_dst_per_s));
    json_object_set_new(o, "per_host_dst_per_s", real_or_null(t.per_host_dst_per_s));
    json_object_set_new(o, "offered_per_dst_per_s", real_or_null(t.offered_per_dst_per_s));
    json_object_set_new(o, "sustainable_rate_per_s",
                        real_or_null(t.per_dst_per_s * p->workload.servers));
    json_object_set_new(o, "exhaustion_s", real_or_null(t.exhaustion_s));
    json_object_set_new(o, "failure_words",
                        json_string(nat_failure_words(p->nat.profile, NAT_DROP_EXHAUSTED)));
    return o;
}

#define THEORY_U(field) json_object_set_new(o, #field, json_integer((json_int_t)t->field));
#define THEORY_D(field) json_object_set_new(o, #field, real_or_null(t->field));

static void print_json(FILE *f, const struct scenario *sc, const struct theory *t)
{
    json_t *root = json_object(), *o = json_object();
    char *text;

    THEORY_U(ports) THEORY_U(reserved) THEORY_U(pools) THEORY_U(groups) THEORY_U(n)
    THEORY_D(busiest_share) THEORY_D(request_rate_per_s) THEORY_D(open_rate_per_s)
    THEORY_D(cached_open_rate_per_s) THEORY_D(service_s) THEORY_D(idle_s)
    THEORY_D(time_wait_s) THEORY_D(holding_s) THEORY_D(offered_erlangs)
    THEORY_D(busiest_erlangs) THEORY_D(blocking) THEORY_D(blocking_fluid)
    THEORY_D(sustainable_rate_per_s) THEORY_D(exhaustion_s) THEORY_D(carried_rate_per_s)
    THEORY_D(time_wait_population) THEORY_D(server_time_wait_population)
    THEORY_D(peak_rate_per_s)
    json_object_set_new(root, "params", json_loads(sc->json, 0, NULL));
    json_object_set_new(root, "theory", o);
    if (sc->p.nat.profile != NAT_PROFILE_NONE)
        json_object_set_new(root, "nat", nat_theory_json(&sc->p));
    json_object_set_new(root, "notes", notes_json(t->note));
    text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf(f, "%s\n", text ? text : "null");
    free(text);
    json_decref(root);
}

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
    char where[4096];           /* the scenario found by datadir_find() */
    int rc;

    err_clear(&e);
    if (nops > 1) {
        rc = err_set(&e, PS_EINVAL, "one scenario only (got '%s' and '%s')", ops[0], ops[1]);
        goto out_usage;
    }
    if ((rc = scenario_load(&sc, nops ? datadir_find(ops[0], ".ini", where, sizeof(where)) : NULL,
                            a->so.sets.v, a->so.sets.n, &e)) != 0) {
        rc = PS_EINVAL;         /* a scenario that cannot be read is bad input too */
        goto out_usage;
    }
    if ((rc = theory_compute(&sc.p, &t, &e)) == 0 && a->json)
        print_json(stdout, &sc, &t);
    else if (rc == 0)
        theory_text_print(stdout, &sc.p, &t);
    if (rc == 0 && !a->json && sc.p.nat.profile != NAT_PROFILE_NONE)
        nat_theory_print(stdout, &sc.p);        /* issue 12 */
    scenario_fini(&sc);
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
        rc = err_set(&e, PS_EIO, "cannot write to standard output");

out_usage:
    if (rc != 0)
        fprintf(stderr, "portsim theory: %s\n", e.msg);
    return err_exit_status(rc);
}
