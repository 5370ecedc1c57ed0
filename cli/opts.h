/* opts.h - a command's options as data, and the one loop that reads them.
 *
 * Every option of every command is one struct cmd_opt in cli/cmd.c's
 * table: its names, its argument's name, one line of help, and where the
 * value goes (a field of the command's argument struct, by offset, or a
 * function for the few values that need one).  opts_parse() turns such a
 * list into getopt_long(3)'s and fills the struct; opts_help() prints a
 * command's --help from the same list, so the text cannot drift from what
 * is accepted.  A man page or a shell completion can be generated from it
 * too: nothing here is code that only a compiler can read.
 *
 * Every command gets -h/--help without listing it.  Bad usage is one line
 * "portsim CMD: ..." and exit status 2 (STYLE.md §5).
 */
#ifndef PORTSIM_CLI_OPTS_H
#define PORTSIM_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/err.h"

/* What an option's argument is and where it goes ('off' is the offset of
 * the field in the command's argument struct). */
enum cmd_opt_kind {
    CMD_OPT_FLAG,       /* bool: set to true; takes no argument */
    CMD_OPT_STR,        /* const char *: the argument itself (points into argv) */
    CMD_OPT_U64,        /* uint64_t: cli_u64() in [lo, hi] */
    CMD_OPT_DOUBLE,     /* double: cli_double() in [min, max] */
    CMD_OPT_SET,        /* struct cli_scenario_opts: --set K=V, repeatable */
    CMD_OPT_SEED,       /* struct cli_scenario_opts: --seed N */
    CMD_OPT_CALL,       /* take(args, arg, e) does it */
};

struct cmd_opt {
    const char *name;   /* long name, without "--"; NULL ends a list */
    char short_name;    /* 0: none */
    const char *arg;    /* the argument's name in usage ("N", "FILE"); NULL: none */
    const char *help;   /* one line (wrapped when printed) */
    enum cmd_opt_kind kind;
    size_t off;         /* the destination field, offsetof(args struct, field) */
    uint64_t lo, hi;    /* CMD_OPT_U64 bounds */
    double min, max;    /* CMD_OPT_DOUBLE bounds */
    /* CMD_OPT_CALL: store 'arg' in 'args'; 0 or PS_EINVAL with a message. */
    int (*take)(void *args, const char *arg, struct err *e);
};

/* Read the options of argv[1..argc-1] (argv[0] is the command's name) into
 * 'args' as 'opts' says.  Operands are moved to the end (GNU getopt);
 * '*first' gets the index of the first.  Returns 0, 1 when --help was
 * asked for (nothing else is then checked), or PS_EINVAL with a message. */
int opts_parse(const struct cmd_opt *opts, void *args, int argc, char **argv, int *first,
               struct err *e);

/* Free what opts_parse() allocated in 'args' (the --set lists). */
void opts_fini(const struct cmd_opt *opts, void *args);

/* The option list of --help: one "  -j, --jobs N   help" entry per option,
 * then -h/--help; the help column is aligned and wrapped. */
void opts_help(FILE *f, const struct cmd_opt *opts);

#endif /* PORTSIM_CLI_OPTS_H */
