/* cmd.h - the sub-commands of portsim, one file each (cli/cmd_*.c).
 *
 * A sub-command gets argv with its own name in argv[0] and returns the exit
 * status: 0 ok, 1 run-time failure, 2 bad usage or bad input.
 */
#ifndef PORTSIM_CLI_CMD_H
#define PORTSIM_CLI_CMD_H

#include "cli/version.h"

struct cmd {
    const char *name;
    const char *summary;
    int (*fn)(int argc, char **argv);
};

/* The table, ending with a NULL name. */
const struct cmd *cmd_table(void);

int cmd_capacity(int argc, char **argv);
int cmd_engine(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_theory(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_html(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif /* PORTSIM_CLI_CMD_H */
