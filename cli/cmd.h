/* cmd.h - the sub-commands of portsim: one table (cli/cmd.c), one file of
 * work each (cli/cmd_*.c).
 *
 * An entry of the table says everything about a command's command line:
 * its name, a one-line summary, the synopsis, a paragraph about it, its
 * options (opts.h) and how many operands it takes.  cmd_main() reads the
 * options into the command's argument struct (declared below, so that the
 * table can name its fields) and calls the command with the operands.
 * --help, 'portsim help CMD' and the top-level list are printed from the
 * table; a man page or shell completion can be generated from it too.
 *
 * Adding a command: its argument struct below, its function, one entry
 * (with its options) in cmd.c's table.
 *
 * Exit status: 0 ok, 1 run-time failure, 2 bad usage or bad input.
 */
#ifndef PORTSIM_CLI_CMD_H
#define PORTSIM_CLI_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/version.h"
#include "sim/simtime.h"

struct cmd {
    const char *name;
    const char *summary;        /* one line, for the list of commands */
    const char *synopsis;       /* after "usage: portsim NAME "; '\n' breaks a line */
    const char *about;          /* the paragraph(s) after the usage line; lines end
                                 * with '\n' for the terminal (a man page may rejoin) */
    const char *notes;          /* after the options, or NULL */
    const struct cmd_opt *opts; /* ends with a NULL name; --help is implied */
    int max_operands;           /* more is "unexpected argument"; -1: no limit */
    size_t args_size;           /* the argument struct (0: none) ... */
    const void *defaults;       /* ... and its values before parsing (NULL: zeros) */
    /* The work: 'args' as parsed, then the 'nops' operands. */
    int (*fn)(void *args, int nops, char **ops);
};

/* The table, in the order the list shows them, ending with a NULL name. */
const struct cmd *cmd_table(void);

/* The command named 'name', or NULL. */
const struct cmd *cmd_find(const char *name);

/* Run command 'c' on argv (argv[0] is its name): options, then the work. */
int cmd_main(const struct cmd *c, int argc, char **argv);

/* The --help of 'c'. */
void cmd_help(FILE *f, const struct cmd *c);

/* The top-level usage: every command with its summary. */
void cmd_list(FILE *f);

/* ---- Each command's arguments ---- */

struct run_args {
    struct cli_scenario_opts so;    /* --set, --seed */
    uint64_t replications;          /* 0: from the scenario */
    const char *db;
    bool no_db;
    bool json;
    bool quiet;
    bool force;                     /* run above the event limit (cli/watch.h) */
    const char *max_memory;         /* NULL: half of physical memory */
};

struct sweep_args {
    uint64_t jobs;                  /* 0: the CPUs this process may use */
    const char *db;
    uint32_t shard_k, shard_n;
    bool dry_run;
    bool quiet;
};

struct merge_args {
    bool quiet;
};

struct report_args {
    const char *db;
    const char *sweep;
    const char *baseline;
    int fmt;                        /* enum report_format */
    bool calibration;               /* kernel runs beside their simulated twins */
};

struct export_args {
    const char *db;
    const char *sweep;
    const char *format;             /* csv, json or jsonl */
    const char *out;                /* NULL or "-": standard output */
};

struct keys_args {
    const char *format;             /* table, markdown or json */
};

struct cal_args {
    struct cli_scenario_opts so;    /* --set, --seed */
    const char *db;
    bool no_db;
    bool json;
};

struct cap_args {
    struct cli_scenario_opts so;    /* --set */
    double target;
    uint64_t replications;          /* 0: default */
    uint64_t jobs;                  /* 0: the CPUs this process may use */
    double tolerance;
    double max_rate;                /* 0: 64 x the start */
    bool json;
    const char *metric;             /* issue 12: failed, nat-drops, connect-p99; NULL:
                                       nat-drops with [nat], else failed */
};

struct profiles_args {
    bool json;
};

struct theory_args {
    struct cli_scenario_opts so;    /* --set */
    bool json;
};

#define PLOT_MAX_RUNS 8

struct plot_args {
    const char *db;
    const char *sweep;
    const char *out;
    const char *size;
    const char *title;
    const char *baseline;
    const char *script;
    const char *xkey;               /* --x: NULL for the rate (or the varied key) */
    const char *serieskey;          /* --series: NULL for "remedy" */
    const char *facetkey;           /* --facet: NULL for one column */
    int64_t runs[PLOT_MAX_RUNS];
    size_t nruns;
};

struct trace_args {
    struct cli_scenario_opts so;    /* --set, --seed */
    simtime until;                  /* 0: run.duration */
    uint64_t limit;                 /* 0: none */
    int fmt;                        /* enum trace_format */
};

struct html_args {
    const char *scenario;
    struct cli_scenario_opts so;    /* --set, --seed */
    int64_t run_id;                 /* 0: SCENARIO */
    const char *db;
    const char *out;
};

/* ---- The commands ---- */

int cmd_calibrate(void *args, int nops, char **ops);
int cmd_capacity(void *args, int nops, char **ops);
int cmd_engine(void *args, int nops, char **ops);
int cmd_keys(void *args, int nops, char **ops);
int cmd_plot(void *args, int nops, char **ops);
int cmd_run(void *args, int nops, char **ops);
int cmd_report(void *args, int nops, char **ops);
int cmd_theory(void *args, int nops, char **ops);
int cmd_profiles(void *args, int nops, char **ops);
int cmd_trace(void *args, int nops, char **ops);
int cmd_html(void *args, int nops, char **ops);
int cmd_sweep(void *args, int nops, char **ops);
int cmd_merge(void *args, int nops, char **ops);
int cmd_export(void *args, int nops, char **ops);
int cmd_manpage(void *args, int nops, char **ops);
int cmd_completion(void *args, int nops, char **ops);

/* Option handlers (CMD_OPT_CALL) that need a command's own types. */
int cmd_report_take_format(void *args, const char *arg, struct err *e);
int cmd_trace_take_until(void *args, const char *arg, struct err *e);
int cmd_trace_take_format(void *args, const char *arg, struct err *e);
int cmd_plot_take_run(void *args, const char *arg, struct err *e);
int cmd_html_take_run(void *args, const char *arg, struct err *e);
int cmd_sweep_take_shard(void *args, const char *arg, struct err *e);

#endif /* PORTSIM_CLI_CMD_H */
