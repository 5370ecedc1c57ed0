/* opts.c - the one option loop and the --help option list (see opts.h). */
#define _GNU_SOURCE             /* getopt_long() */
#include "cli/opts.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sim/xalloc.h"

#define HELP_CODE 'h'
#define LONG_BASE 256           /* getopt_long's answer for opts[i]: LONG_BASE + i */
#define HELP_COLUMN_MAX 24      /* widest "  -j, --name ARG" before help moves below */
#define WIDTH 79

static size_t count(const struct cmd_opt *opts)
{
    size_t n = 0;

    while (opts[n].name)
        n++;
    return n;
}

/* getopt_long's tables for 'opts', with --help added: 'lo' (n + 2 entries)
 * and 'sh' (short option letters, ':' after those with an argument). */
static void build(const struct cmd_opt *opts, size_t n, struct option *lo, char *sh)
{
    size_t k = 0;

    sh[k++] = HELP_CODE;
    for (size_t i = 0; i < n; i++) {
        lo[i] = (struct option){opts[i].name, opts[i].arg ? required_argument : no_argument,
                                NULL, LONG_BASE + (int)i};
        if (opts[i].short_name) {
            sh[k++] = opts[i].short_name;
            if (opts[i].arg)
                sh[k++] = ':';
        }
    }
    sh[k] = '\0';
    lo[n] = (struct option){"help", no_argument, NULL, HELP_CODE};
    lo[n + 1] = (struct option){NULL, 0, NULL, 0};
}

/* Store 'arg' for option 'o'. */
static int take(const struct cmd_opt *o, void *args, const char *arg, struct err *e)
{
    char *field = (char *)args + o->off;
    char flag[64];

    snprintf(flag, sizeof(flag), "--%s", o->name);
    switch (o->kind) {
    case CMD_OPT_FLAG:
        *(bool *)field = true;
        return 0;
    case CMD_OPT_STR:
        *(const char **)field = arg;
        return 0;
    case CMD_OPT_U64:
        return cli_u64(flag, arg, o->lo, o->hi, (uint64_t *)field, e);
    case CMD_OPT_DOUBLE:
        return cli_double(flag, arg, o->min, o->max, (double *)field, e);
    case CMD_OPT_SET:
        return cli_scenario_opt((struct cli_scenario_opts *)field, CLI_OPT_SET, arg, e) < 0
                   ? PS_EINVAL : 0;
    case CMD_OPT_SEED:
        return cli_scenario_opt((struct cli_scenario_opts *)field, CLI_OPT_SEED, arg, e) < 0
                   ? PS_EINVAL : 0;
    case CMD_OPT_CALL:
        return o->take(args, arg, e);
    }
    return err_set(e, PS_EINVAL, "option '%s': no rule to store it", flag);
}

int opts_parse(const struct cmd_opt *opts, void *args, int argc, char **argv, int *first,
               struct err *e)
{
    size_t n = count(opts);
    struct option *lo = xcalloc(n + 2, sizeof(*lo));
    char *sh = xmalloc(2 * n + 2);
    int c, rc = 0;

    build(opts, n, lo, sh);
    opterr = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, sh, lo, NULL)) != -1) {
        size_t i = n;

        if (c == HELP_CODE) {
            rc = 1;
            break;
        }
        if (c >= LONG_BASE) {
            i = (size_t)(c - LONG_BASE);
        } else {
            for (i = 0; i < n && opts[i].short_name != c; i++)
                ;                       /* '?' (not accepted) is no one's: i == n */
        }
        rc = i < n ? take(&opts[i], args, optarg, e) : cli_bad_option(argv, e);
    }
    *first = optind;
    free(sh);
    free(lo);
    return rc;
}

void opts_fini(const struct cmd_opt *opts, void *args)
{
    for (; opts->name; opts++) {
        if (opts->kind == CMD_OPT_SET || opts->kind == CMD_OPT_SEED)
            cli_sets_fini(&((struct cli_scenario_opts *)((char *)args + opts->off))->sets);
    }
}

/* "  -j, --jobs N" into 'buf'. */
static size_t left_side(const char *name, char short_name, const char *arg, char *buf,
                        size_t size)
{
    int n;

    if (short_name)
        n = snprintf(buf, size, "  -%c, --%s%s%s", short_name, name, arg ? " " : "",
                     arg ? arg : "");
    else
        n = snprintf(buf, size, "  --%s%s%s", name, arg ? " " : "", arg ? arg : "");
    return n < 0 ? 0 : (size_t)n;
}

/* 'text' in words from column 'col' (the cursor is at 'at'), wrapped. */
static void wrap(FILE *f, const char *text, size_t col, size_t at)
{
    while (*text) {
        size_t w = strcspn(text, " ");

        if (at > col && at + 1 + w > WIDTH) {
            fprintf(f, "\n%*s", (int)col, "");
            at = col;
        } else if (at > col) {
            fputc(' ', f);
            at++;
        }
        for (; at < col; at++)
            fputc(' ', f);
        fprintf(f, "%.*s", (int)w, text);
        at += w;
        text += w;
        while (*text == ' ')
            text++;
    }
    fputc('\n', f);
}

static void entry(FILE *f, const char *name, char short_name, const char *arg, const char *help,
                  size_t col)
{
    char lhs[128];
    size_t len = left_side(name, short_name, arg, lhs, sizeof(lhs));

    fputs(lhs, f);
    if (len + 2 > col) {
        fputc('\n', f);
        len = 0;
    }
    wrap(f, help, col, len);
}

void opts_help(FILE *f, const struct cmd_opt *opts)
{
    char lhs[128];
    size_t col = 0;

    for (const struct cmd_opt *o = opts; o->name; o++) {
        size_t len = left_side(o->name, o->short_name, o->arg, lhs, sizeof(lhs)) + 2;

        if (len > col && len <= HELP_COLUMN_MAX)
            col = len;
    }
    if (col < 16)
        col = 16;
    for (const struct cmd_opt *o = opts; o->name; o++)
        entry(f, o->name, o->short_name, o->arg, o->help, col);
    entry(f, "help", 'h', NULL, "this text", col);
}
