/* cli.h - what every sub-command shares: numbers from flags, --set lists,
 * the database path rule, and the exit status of an error.
 *
 * Flags are read by the one option loop, cli/opts.c (getopt_long(3)), as
 * cli/cmd.c's table describes them.  Bad usage prints one line
 * "portsim CMD: ..." and exits 2; the message rules are STYLE.md §5.
 */
#ifndef PORTSIM_CLI_CLI_H
#define PORTSIM_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* The --set assignments of one command line (pointers into argv). */
struct cli_sets {
    const char **v;
    size_t n;
    size_t cap;
};

void cli_sets_add(struct cli_sets *s, const char *assignment);
void cli_sets_fini(struct cli_sets *s);

/* The scenario options several commands share: --set K=V (repeatable) and
 * --seed N.  'has_seed' tells whether --seed was given. */
struct cli_scenario_opts {
    struct cli_sets sets;
    bool has_seed;
    uint64_t seed;
};

/* Codes for them: the option loop passes CLI_OPT_SET for a CMD_OPT_SET
 * entry of the table and CLI_OPT_SEED for a CMD_OPT_SEED one. */
enum { CLI_OPT_SET = 1000, CLI_OPT_SEED = 1001 };

/* Take option 'code' with argument 'arg' if it is --set or --seed: 1 when
 * taken, 0 when it is another option, PS_EINVAL for a bad seed. */
int cli_scenario_opt(struct cli_scenario_opts *o, int code, const char *arg, struct err *e);

/* The message for an option getopt_long() did not accept (argv[optind - 1]):
 * PS_EINVAL. */
int cli_bad_option(char **argv, struct err *e);

/* Parse 'text' as a whole number in [lo, hi] for flag 'flag'. */
int cli_u64(const char *flag, const char *text, uint64_t lo, uint64_t hi, uint64_t *out,
            struct err *e);

/* Parse 'text' as a finite number in [lo, hi] for flag 'flag'. */
int cli_double(const char *flag, const char *text, double lo, double hi, double *out,
               struct err *e);

/* The database path: '--db' if given, else $PORTSIM_DB, else "portsim.db". */
const char *cli_db_path(const char *flag_value);

/* Print "portsim CMD: MESSAGE" to stderr (each line of a message of several,
 * e.g. every problem of a file, as a line of its own) and return the exit
 * status for e->code (2 for bad input, 1 otherwise). */
int cli_fail(const char *cmd, const struct err *e);


#endif /* PORTSIM_CLI_CLI_H */
