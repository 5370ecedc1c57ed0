/* portsim.c - the portsim program: sub-command dispatch.
 *
 * The commands, their usage and their options are the table of cli/cmd.c;
 * each one's work is in cli/cmd_*.c.  Exit status: 0 ok, 1 run-time
 * failure, 2 bad usage or bad input.  Every command's standard output is
 * checked once at the end (flushed and closed): output that could not be
 * written (a full disk, a closed pipe, > /dev/full) is exit 1 with a
 * message, never a silent success.  SIGXFSZ is ignored so that a file-size
 * limit is a write error with a message, not a death by signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cmd.h"
#include "sim/suggest.h"

/* An unknown command, with the nearest one when it is near (sim/suggest.h). */
static int unknown(const char *name)
{
    const char *best = NULL;
    size_t bestd = SUGGEST_MAX_LEN + 1;

    for (const struct cmd *c = cmd_table(); c->name; c++) {
        size_t d = suggest_distance(name, c->name);

        if (d < bestd && suggest_near(name, c->name)) {
            best = c->name;
            bestd = d;
        }
    }
    if (best)
        fprintf(stderr, "portsim: unknown command '%s'; did you mean '%s'? (try 'portsim "
                "--help')\n", name, best);
    else
        fprintf(stderr, "portsim: unknown command '%s' (try 'portsim --help')\n", name);
    return 2;
}

/* 'portsim help [CMD]': the list, or CMD's --help. */
static int help(int argc, char **argv)
{
    const struct cmd *c;

    if (argc < 3) {
        cmd_list(stdout);
        return 0;
    }
    if (argc > 3) {
        fprintf(stderr, "portsim help: unexpected argument '%s'\n", argv[3]);
        return 2;
    }
    if (!(c = cmd_find(argv[2])))
        return unknown(argv[2]);
    cmd_help(stdout, c);
    return 0;
}

/* 'status', or 1 with a message if standard output could not be written
 * (a command that failed has said why already). */
static int close_stdout(int status)
{
    int failed = ferror(stdout);

    errno = 0;
    if (fclose(stdout) != 0)
        failed = 1;
    if (!failed || status != 0)
        return status;
    fprintf(stderr, "portsim: cannot write the output to standard output: %s\n",
            errno ? strerror(errno) : "write error");
    return status ? status : 1;
}

static int dispatch(int argc, char **argv)
{
    const struct cmd *c;

    if (argc < 2) {
        cmd_list(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return help(1, argv);
    if (strcmp(argv[1], "help") == 0)
        return help(argc, argv);
    if (strcmp(argv[1], "--version") == 0) {
        printf("portsim %s\n", PORTSIM_VERSION);
        return 0;
    }
    if (!(c = cmd_find(argv[1])))
        return unknown(argv[1]);
    return cmd_main(c, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    signal(SIGXFSZ, SIG_IGN);
    return close_stdout(dispatch(argc, argv));
}
