/* portsim.c - the portsim program: sub-command dispatch.
 *
 * Each sub-command lives in its own file (cli/cmd_*.c) and is listed
 * in the table below.  Exit status: 0 ok, 1 run-time failure, 2 bad usage or
 * bad input.
 */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cmd.h"

static int usage(FILE *out)
{
    fprintf(out, "usage: portsim <command> [options]\n\ncommands:\n");
    for (const struct cmd *c = cmd_table(); c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\n'portsim <command> --help' describes one command.  Version %s.\n",
            PORTSIM_VERSION);
    return out == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0)
        return usage(stdout);
    if (strcmp(argv[1], "--version") == 0) {
        printf("portsim %s\n", PORTSIM_VERSION);
        return 0;
    }
    for (const struct cmd *c = cmd_table(); c->name; c++) {
        if (strcmp(argv[1], c->name) == 0)
            return c->fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "portsim: unknown command '%s' (try 'portsim --help')\n", argv[1]);
    return 2;
}
