/* cli.c - shared command-line helpers (see cli.h). */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/numparse.h"
#include "sim/xalloc.h"

void cli_sets_add(struct cli_sets *s, const char *assignment)
{
    s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
    s->v[s->n++] = assignment;
}

void cli_sets_fini(struct cli_sets *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

int cli_scenario_opt(struct cli_scenario_opts *o, int code, const char *arg, struct err *e)
{
    int rc;

    if (code == CLI_OPT_SET) {
        cli_sets_add(&o->sets, arg);
        return 1;
    }
    if (code != CLI_OPT_SEED)
        return 0;
    if ((rc = cli_u64("--seed", arg, 0, UINT64_MAX, &o->seed, e)) != 0)
        return rc;
    o->has_seed = true;
    return 1;
}

int cli_bad_option(char **argv, struct err *e)
{
    return err_set(e, PS_EINVAL, "unknown or incomplete option '%s' (see --help)",
                   argv[optind - 1]);
}

int cli_u64(const char *flag, const char *text, uint64_t lo, uint64_t hi, uint64_t *out,
            struct err *e)
{
    uint64_t v;

    if (numparse_u64(text, &v) != 0 || v < lo || v > hi)
        return err_set(e, PS_EINVAL, "'%s' must be a whole number %llu..%llu (got '%s')", flag,
                       (unsigned long long)lo, (unsigned long long)hi, text);
    *out = v;
    return 0;
}

int cli_double(const char *flag, const char *text, double lo, double hi, double *out,
               struct err *e)
{
    double v;

    if (numparse_double(text, &v) != 0 || v < lo || v > hi)
        return err_set(e, PS_EINVAL, "'%s' must be a number %g..%g (got '%s')", flag, lo, hi,
                       text);
    *out = v;
    return 0;
}

const char *cli_db_path(const char *flag_value)
{
    const char *env = getenv("PORTSIM_DB");

    if (flag_value)
        return flag_value;
    return env && *env ? env : "portsim.db";
}

int cli_fail(const char *cmd, const struct err *e)
{
    const char *s = e->msg;

    do {                        /* several problems (models/inierrs.h): one line each */
        size_t len = strcspn(s, "\n");

        fprintf(stderr, "portsim %s: %.*s\n", cmd, (int)len, s);
        s += len + (s[len] == '\n');
    } while (*s);
    return err_exit_status(e->code ? e->code : PS_ERUN);
}
