/* cmd.c - the table of sub-commands, in the order the list shows them, with
 * each one's usage and options (see cmd.h), and the code that reads it. */
#include "cli/cmd.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

/* Entries of an option list.  T is the command's argument struct. */
#define FLAG(name, sh, T, field, help) \
    {name, sh, NULL, help, CMD_OPT_FLAG, offsetof(T, field), 0, 0, 0, 0, NULL}
#define STR(name, sh, arg, T, field, help) \
    {name, sh, arg, help, CMD_OPT_STR, offsetof(T, field), 0, 0, 0, 0, NULL}
#define U64(name, sh, arg, T, field, lo, hi, help) \
    {name, sh, arg, help, CMD_OPT_U64, offsetof(T, field), lo, hi, 0, 0, NULL}
#define DBL(name, sh, arg, T, field, min, max, help) \
    {name, sh, arg, help, CMD_OPT_DOUBLE, offsetof(T, field), 0, 0, min, max, NULL}
#define CALL(name, sh, arg, fn, help) \
    {name, sh, arg, help, CMD_OPT_CALL, 0, 0, 0, 0, 0, fn}
/* The shared scenario options (cli_scenario_opt): T's field 'so'. */
#define SET(T, help) \
    {"set", 0, "K=V", help, CMD_OPT_SET, offsetof(T, so), 0, 0, 0, 0, NULL}
#define SEED(T, help) \
    {"seed", 0, "N", help, CMD_OPT_SEED, offsetof(T, so), 0, 0, 0, 0, NULL}
#define DB(T) STR("db", 0, "FILE", T, db, "database (default: $PORTSIM_DB, else portsim.db)")
#define END {NULL, 0, NULL, NULL, CMD_OPT_FLAG, 0, 0, 0, 0, 0, NULL}

#define JOBS_HELP "worker processes (default: the CPUs this process may use)"

static const struct cmd_opt no_opts[] = {END};

static const struct cmd_opt run_opts[] = {
    SET(struct run_args, "override one key, e.g. --set stack.port_max=65534"),
    SEED(struct run_args, "base seed (default: run.seed)"),
    U64("replications", 0, "N", struct run_args, replications, 1, 100000,
        "runs with seeds derived from the base seed"),
    DB(struct run_args),
    FLAG("no-db", 0, struct run_args, no_db, "record nothing"),
    FLAG("json", 0, struct run_args, json, "one JSON object per run: params, metrics, run_id"),
    FLAG("quiet", 0, struct run_args, quiet, "no summary"),
    FLAG("force", 0, struct run_args, force,
         "run even if the run would fire more than 10^10 events (refused otherwise)"),
    STR("max-memory", 0, "SIZE", struct run_args, max_memory,
        "stop a run whose memory passes SIZE (e.g. 4G; default: half of physical memory)"),
    END,
};

static const struct cmd_opt sweep_opts[] = {
    U64("jobs", 'j', "N", struct sweep_args, jobs, 1, 256, JOBS_HELP),
    DB(struct sweep_args),
    CALL("shard", 0, "K/N", cmd_sweep_take_shard,
         "run only the K-th of N disjoint slices (job index mod N = K-1), e.g. one per "
         "cluster task; merge the databases with 'portsim merge'"),
    FLAG("dry-run", 0, struct sweep_args, dry_run,
         "list the runs (index, remedy, point, replication, seed, params hash, recorded) and "
         "their count; run nothing"),
    FLAG("quiet", 'q', struct sweep_args, quiet, "no progress on stderr"),
    END,
};
static const struct sweep_args sweep_defaults = {.shard_k = 1, .shard_n = 1};

static const struct cmd_opt merge_opts[] = {
    FLAG("quiet", 'q', struct merge_args, quiet, "print nothing"),
    END,
};

static const struct cmd_opt report_opts[] = {
    DB(struct report_args),
    STR("sweep", 0, "NAME", struct report_args, sweep,
        "the runs of this sweep (default: every run; runs recorded without a remedy are "
        "grouped by their scenario name)"),
    STR("baseline", 0, "NAME", struct report_args, baseline,
        "the remedy the others are compared with (default: 'baseline', else the first "
        "remedy recorded)"),
    CALL("format", 0, "F", cmd_report_take_format,
         "table (default; fits 100 columns), csv, json, markdown"),
    FLAG("calibration", 0, struct report_args, calibration,
         "kernel runs (portsim calibrate) beside their simulated twins (same scenario and "
         "seed), metric by metric, with the differences; the runs of the other reports are "
         "simulated"),
    END,
};

static const struct cmd_opt export_opts[] = {
    DB(struct export_args),
    STR("sweep", 0, "NAME", struct export_args, sweep,
        "the runs of this sweep (default: every run)"),
    STR("format", 0, "F", struct export_args, format, "csv (default), json (one array) or jsonl "
        "(JSON Lines: one object a line)"),
    STR("out", 'o', "FILE", struct export_args, out,
        "write FILE (whole or not at all) instead of standard output; '-': standard output"),
    END,
};
static const struct export_args export_defaults = {.format = "csv"};

static const struct cmd_opt keys_opts[] = {
    STR("format", 0, "F", struct keys_args, format, "table (default), markdown or json"),
    END,
};
static const struct keys_args keys_defaults = {.format = "table"};

static const struct cmd_opt calibrate_opts[] = {
    SET(struct cal_args, "override one key, e.g. --set stack.max_time_wait=50"),
    SEED(struct cal_args, "seed (default: run.seed)"),
    DB(struct cal_args),
    FLAG("no-db", 0, struct cal_args, no_db, "record nothing"),
    FLAG("json", 0, struct cal_args, json, "one JSON object, with every kernel attempt"),
    END,
};

static const struct cmd_opt capacity_opts[] = {
    STR("metric", 0, "M", struct cap_args, metric,
        "what to hold under the target: failed (requests), nat-drops (share of SYNs the NAT "
        "drops) or connect-p99 (s); default nat-drops with [nat], else failed"),
    DBL("target", 0, "T", struct cap_args, target, 1e-9, 86400,
        "share to stay under, 0..0.5 (default 0.001); connect-p99: seconds (default 1)"),
    U64("replications", 0, "N", struct cap_args, replications, 1, 100000,
        "runs per step, seeds as 'portsim run' derives them (default: run.replications if "
        "set, else 10)"),
    U64("jobs", 0, "N", struct cap_args, jobs, 1, 1024, JOBS_HELP),
    DBL("tolerance", 0, "REL", struct cap_args, tolerance, 1e-6, 1,
        "stop when the bracket is narrower than REL x rate (default 0.01)"),
    DBL("max-rate", 0, "R", struct cap_args, max_rate, 1e-6, 1e7,
        "search no higher (default: 64 x the starting rate)"),
    SET(struct cap_args, "override one scenario key (repeatable)"),
    FLAG("json", 0, struct cap_args, json,
         "one JSON object: params, target, every step and the answer (no progress text)"),
    END,
};
static const struct cap_args capacity_defaults = {.target = 0, .tolerance = 0.01};

static const struct cmd_opt theory_opts[] = {
    SET(struct theory_args, "override one scenario key (repeatable), e.g. --set "
        "stack.profile=win2000 --set workload.rate=40"),
    FLAG("json", 0, struct theory_args, json,
         "one JSON object: params, theory (every figure; infinity as null), notes"),
    END,
};

static const struct cmd_opt profiles_opts[] = {
    FLAG("json", 0, struct profiles_args, json,
         "one JSON array: an object per profile, keys named as stack.* (durations in s)"),
    END,
};

static const struct cmd_opt plot_opts[] = {
    CALL("run", 0, "ID", cmd_plot_take_run,
         "TIME_WAIT against the pool and failed connect() per second above, ports in use "
         "below, over simulated time; repeat (--run 1 --run 2) for up to 8 runs side by "
         "side"),
    STR("sweep", 0, "NAME", struct plot_args, sweep,
        "failed requests (%, linear and log) and headroom against a varied key, one line "
        "per remedy with 95% Clopper-Pearson bars and each point's closed form (Erlang B)"),
    STR("x", 0, "KEY", struct plot_args, xkey,
        "with --sweep: the varied key across (default workload.rate, or the one varied "
        "key)"),
    STR("series", 0, "KEY", struct plot_args, serieskey,
        "with --sweep: one line per value of KEY (default remedy)"),
    STR("facet", 0, "KEY", struct plot_args, facetkey,
        "with --sweep: one column of panels per value of KEY"),
    STR("out", 0, "FILE", struct plot_args, out,
        ".png (pngcairo) or .svg; '-': SVG on standard output"),
    STR("size", 0, "WxH", struct plot_args, size,
        "pixels (default: one run 960x600, N runs N x 520 by 600, a sweep 1000x900)"),
    STR("title", 0, "TEXT", struct plot_args, title, "instead of the default title"),
    STR("baseline", 0, "NAME", struct plot_args, baseline,
        "the remedy drawn as the baseline (as in 'portsim report')"),
    STR("script", 0, "FILE", struct plot_args, script, "also write the gnuplot script there"),
    DB(struct plot_args),
    END,
};

static const struct cmd_opt trace_opts[] = {
    SET(struct trace_args, "override one key, e.g. --set stack.time_wait=30"),
    SEED(struct trace_args, "seed (default: run.seed)"),
    CALL("until", 0, "T", cmd_trace_take_until,
         "stop the run at simulated time T (e.g. 30, 2min)"),
    U64("limit", 0, "N", struct trace_args, limit, 1, UINT64_MAX, "stop the run after N records"),
    CALL("format", 0, "F", cmd_trace_take_format,
         "text (default), csv (with a header line) or json (JSON Lines)"),
    END,
};

static const struct cmd_opt html_opts[] = {
    CALL("run", 0, "ID", cmd_html_take_run,
         "chart a recorded run (re-run from its parameters for the port chart, shown only if "
         "the digest matches)"),
    STR("db", 0, "FILE", struct html_args, db,
        "database for --run (default: $PORTSIM_DB, else portsim.db)"),
    SET(struct html_args, "override one key of SCENARIO"),
    SEED(struct html_args, "seed for SCENARIO (default: run.seed)"),
    STR("out", 0, "FILE.html", struct html_args, out,
        "the page to write (replaced); '-': standard output"),
    END,
};

/* One entry per command, in the order of the list.  A new command: its
 * argument struct and function in cmd.h, its options above (END closes the
 * list; no_opts for none), one entry here. */
static const struct cmd table[] = {
    {
        .name = "run",
        .summary = "run a scenario and record it",
        .synopsis = "[SCENARIO] [--set section.key=value]... [--seed N]\n"
                    "[--replications N] [--db FILE | --no-db] [--json] [--quiet]",
        .about = "Run a scenario (an INI file; defaults fill whatever it and --set leave out),\n"
                 "print a summary and record every replication in the database.  After two or\n"
                 "more replications the summary ends with the mean and 95% Student t interval\n"
                 "of the headline metrics over them.",
        .opts = run_opts,
        .max_operands = 1,
        .args_size = sizeof(struct run_args),
        .fn = cmd_run,
    },
    {
        .name = "sweep",
        .summary = "run a sweep: remedies x values x replications, resumable",
        .synopsis = "SWEEP [--jobs N] [--db FILE] [--shard K/N] [--dry-run] [--quiet]",
        .about = "Expand a sweep file (remedies x varied values x replications) and run every run\n"
                 "not yet recorded in the database, N at a time.  Interrupt it (^C, SIGTERM) or\n"
                 "kill it at any moment: the same command resumes where it stopped.",
        .notes = "Exit status: 0 when every run of the shard is recorded, 1 when the sweep is\n"
                 "incomplete (interrupted, or runs failed: run the same command again), 2 for a\n"
                 "bad sweep file or bad usage (nothing is written).",
        .opts = sweep_opts,
        .max_operands = 1,
        .args_size = sizeof(struct sweep_args),
        .defaults = &sweep_defaults,
        .fn = cmd_sweep,
    },
    {
        .name = "merge",
        .summary = "merge shard databases, without duplicates",
        .synopsis = "OUT.db IN.db... [--quiet]",
        .about = "Copy into OUT.db (created if needed) every sweep and run of each IN.db that\n"
                 "OUT.db lacks: the shards of a sweep run with --shard become one database.\n"
                 "Merging twice adds nothing.",
        .opts = merge_opts,
        .max_operands = -1,
        .args_size = sizeof(struct merge_args),
        .fn = cmd_merge,
    },
    {
        .name = "report",
        .summary = "compare remedies recorded in the database",
        .synopsis = "[--db FILE] [--sweep NAME] [--baseline NAME]\n"
                    "[--format table|csv|json|markdown]\n"
                    "--calibration [--db FILE] [--format table|csv|markdown]",
        .about = "Compare remedies over their replications: the share of failed connect() calls\n"
                 "and failed requests with 95% intervals, the paired difference from the\n"
                 "baseline (same seeds, same arrivals), TIME_WAIT and in-use peaks, the first\n"
                 "failure, and the closed form (Erlang B, sustainable rate) beside them.  One row\n"
                 "per remedy and point (the values a sweep varied); within a point the best\n"
                 "remedy comes first.",
        .opts = report_opts,
        .max_operands = 0,
        .args_size = sizeof(struct report_args),
        .fn = cmd_report,
    },
    {
        .name = "export",
        .summary = "recorded runs as tidy tables: csv, json or JSON Lines",
        .synopsis = "runs|samples|report [--db FILE] [--sweep NAME]\n"
                    "[--format csv|json|jsonl] [--out FILE|-]",
        .about = "Write the recorded runs as a table for pandas, R or a spreadsheet.  runs: one\n"
                 "row per run with its identification (run_id, sweep, remedy, scenario_name,\n"
                 "seed, replication, status, source, version, params_hash), one column per key\n"
                 "of its scenario named as in the INI file (workload.rate, durations in\n"
                 "seconds), one per metric and the two failure ratios.  samples: one row per\n"
                 "sample (t_s, in_use_ports, time_wait_entries, connects, failures, requests).\n"
                 "report: the rows of 'portsim report'.",
        .notes = "Column names: a quantity with a unit ends in it (_s seconds, _ports ports held,\n"
                 "_entries TIME_WAIT entries: peak_time_wait_entries, first_failure_time_s);\n"
                 "counts of events and ratios have none.  Seeds are unsigned decimals (text in\n"
                 "JSON).  A failed run has empty (null) metrics and its error.",
        .opts = export_opts,
        .max_operands = 1,
        .args_size = sizeof(struct export_args),
        .defaults = &export_defaults,
        .fn = cmd_export,
    },
    {
        .name = "keys",
        .summary = "every key of scenario and sweep files: default, range, meaning",
        .synopsis = "[--format table|markdown|json]",
        .about = "Every key of a scenario file ([run], [stack], [workload]) and of a sweep file\n"
                 "([sweep]): type, unit, default, what is allowed, meaning.  The README's key\n"
                 "table is the markdown form.",
        .opts = keys_opts,
        .max_operands = 0,
        .args_size = sizeof(struct keys_args),
        .defaults = &keys_defaults,
        .fn = cmd_keys,
    },
    {
        .name = "calibrate",
        .summary = "run a scenario on this host's kernel, beside its simulation",
        .synopsis = "SCENARIO [--set section.key=value]... [--seed N]\n"
                    "[--db FILE | --no-db] [--json]",
        .about = "Run the scenario on this host's own Linux TCP stack, inside two private\n"
                 "network namespaces joined by a veth pair (10.201.0.1 the client, 10.201.0.2..\n"
                 "the servers; nothing outside them is contacted, both are removed afterwards),\n"
                 "and simulate it with the same seed; print the two side by side and record\n"
                 "both (runs.source 'kernel' and 'sim').  Needs root and 'ip' (iproute2).\n"
                 "The scenario must use the linux profile, time_wait 60 s, constant or poisson\n"
                 "arrivals, no connection cache, no retries, no warm-up, at most 120 s and\n"
                 "20,000 connects.  See 'portsim report --calibration'.",
        .opts = calibrate_opts,
        .max_operands = 1,
        .args_size = sizeof(struct cal_args),
        .fn = cmd_calibrate,
    },
    {
        .name = "capacity",
        .summary = "the highest request rate that meets a failure target",
        .synopsis = "[SCENARIO] [--metric M] [--target T] [--replications N] [--jobs N]\n"
                    "[--tolerance REL] [--max-rate R] [--set section.key=value]... [--json]",
        .about = "The highest workload.rate at which the share of failed requests stays under the\n"
                 "target with 95% confidence: the upper end of the exact Clopper-Pearson interval\n"
                 "of the failed requests pooled over the replications must be below the target.\n"
                 "Starts at the closed form's Erlang-B rate for the target, doubles or halves\n"
                 "until one rate passes and one fails, then bisects; prints every step and the\n"
                 "answer beside the closed form.  Replications run in parallel; nothing is\n"
                 "recorded in the database.  With [nat] the default criterion is the share of\n"
                 "SYNs the NAT drops (a drop costs seconds of retransmission; a request fails\n"
                 "only when connect() times out), with the same interval, and the answer is\n"
                 "shown beside the NAT's closed form; --metric failed or connect-p99 (the\n"
                 "worst replication's p99 connect latency, in s) choose another.",
        .opts = capacity_opts,
        .max_operands = 1,
        .args_size = sizeof(struct cap_args),
        .defaults = &capacity_defaults,
        .fn = cmd_capacity,
    },
    {
        .name = "theory",
        .summary = "closed-form predictions for a scenario",
        .synopsis = "[SCENARIO] [--set section.key=value]... [--json]",
        .about = "Closed-form predictions for a scenario, without running it: usable ports,\n"
                 "holding time of a port (service + TIME_WAIT when the client closes), offered\n"
                 "load in Erlangs, Erlang-B blocking, the sustainable connection rate (ports /\n"
                 "holding time), the time an empty pool lasts, and the TIME_WAIT population by\n"
                 "Little's law.  Notes say when the scenario leaves the model (connection cache,\n"
                 "TIME_WAIT reuse, retries, constant or diurnal arrivals, connection limit) and\n"
                 "what the figures then are: an upper or a lower bound.",
        .opts = theory_opts,
        .max_operands = -1,
        .args_size = sizeof(struct theory_args),
        .fn = cmd_theory,
    },
    {
        .name = "plot",
        .summary = "gnuplot pictures of runs or of a sweep",
        .synopsis = "[--db FILE] (--sweep NAME [--x KEY] [--series KEY] [--facet KEY]\n"
                    "| --run ID [--run ID]...) --out FILE.png|FILE.svg|-\n"
                    "[--size WxH] [--title TEXT] [--baseline NAME] [--script FILE]",
        .about = "Draw recorded runs with gnuplot (it must be on PATH).  A sweep: failed\n"
                 "requests on a linear and a log axis and the headroom (peak share of the pool\n"
                 "in use or in TIME_WAIT) against a varied key, with each point's closed form.\n"
                 "Runs: one column each, TIME_WAIT against the pool and failures per second\n"
                 "above, ports in use below.  One run with [nat]: a panel per public IP, its\n"
                 "ports in use against its limit per destination and its dropped SYNs.",
        .opts = plot_opts,
        .max_operands = 0,
        .args_size = sizeof(struct plot_args),
        .fn = cmd_plot,
    },
    {
        .name = "trace",
        .summary = "print one run's events in words, for teaching",
        .synopsis = "SCENARIO [--set section.key=value]... [--seed N] [--until T]\n"
                    "[--limit N] [--format text|csv|json]",
        .about = "Run a scenario once and print every event in words: requests arriving, each\n"
                 "connect() with the port it got and why, every port it skipped and why, closes\n"
                 "and who keeps TIME_WAIT until when, expiries, and failures with the error the\n"
                 "system's user would see and the state of the pool at that moment.",
        .notes = "Fields of csv and json: t, event, request, mailbox, server, port, until,\n"
                 "in_use, time_wait, free (at failures), detail.  Times in seconds.",
        .opts = trace_opts,
        .max_operands = 1,
        .args_size = sizeof(struct trace_args),
        .fn = cmd_trace,
    },
    {
        .name = "html",
        .summary = "write a self-contained HTML page of one run, with a port strip chart",
        .synopsis = "(SCENARIO | --run ID) [--db FILE] [--set section.key=value]...\n"
                    "[--seed N] --out FILE.html|-",
        .about = "Write one self-contained HTML page of a run: its parameters, the summary\n"
                 "figures, ports in use and in TIME_WAIT over time against the pool size, and a\n"
                 "strip chart of every port (pools up to 512 ports; a heat map above that),\n"
                 "and for a run with [nat] a lane per public IP.\n"
                 "SCENARIO: run this scenario once (not recorded) and chart it.",
        .opts = html_opts,
        .max_operands = 1,
        .args_size = sizeof(struct html_args),
        .fn = cmd_html,
    },
    {
        .name = "profiles",
        .summary = "the stack profiles and their values, then the NAT profiles",
        .synopsis = "[--json]",
        .about = "The stack profiles (stack.profile) and the defaults each sets for the\n"
                 "stack.* keys: port range, ports, TIME_WAIT length, allocator, port sharing,\n"
                 "pool, TIME_WAIT reuse, collision rule, and the errors a user sees\n"
                 "(exhausted / collision).  Then the NAT profiles (nat.profile): public\n"
                 "ports, IPs allowed, port choice, cap per destination, holds after FIN and\n"
                 "RST, idle timeout, and the vendor's words for a dropped SYN.",
        .opts = profiles_opts,
        .max_operands = 0,
        .args_size = sizeof(struct profiles_args),
        .fn = cmd_profiles,
    },
    {
        .name = "engine",
        .summary = "run the engine's hold-model demonstration",
        .synopsis = "",
        .about = "The hold model (10^5 pending timers, exponential increments) on the timer\n"
                 "wheel and on the reference heap, twice with seed 1 and once with seed 2.",
        .opts = no_opts,
        .max_operands = 0,
        .fn = cmd_engine,
    },
    {
        .name = "manpage",
        .summary = "print the man page portsim(1), written from this table",
        .synopsis = "",
        .about = "Print the man page of every command (roff, for man -l or share/man/man1):\n"
                 "names, synopses, descriptions and options come from the same table as --help.",
        .opts = no_opts,
        .max_operands = 0,
        .fn = cmd_manpage,
    },
    {
        .name = "completion",
        .summary = "print the bash or zsh completion script",
        .synopsis = "bash|zsh",
        .about = "Print a completion script for bash (source it, or install it as\n"
                 "share/bash-completion/completions/portsim) or zsh (install it as _portsim in\n"
                 "a folder of $fpath): commands, each command's options, the scenario keys\n"
                 "after --set and the profile names after --set stack.profile=.",
        .opts = no_opts,
        .max_operands = 1,
        .fn = cmd_completion,
    },
    {.name = NULL},
};

const struct cmd *cmd_table(void)
{
    return table;
}

const struct cmd *cmd_find(const char *name)
{
    for (const struct cmd *c = table; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

void cmd_help(FILE *f, const struct cmd *c)
{
    int indent = (int)strlen("usage: portsim ") + (int)strlen(c->name) + 1;
    const char *s = c->synopsis;

    fprintf(f, "usage: portsim %s%s", c->name, *s ? " " : "");
    while (*s) {
        size_t len = strcspn(s, "\n");

        fprintf(f, "%.*s\n", (int)len, s);
        s += len;
        if (*s == '\n' && *++s)
            fprintf(f, "%*s", indent, "");
    }
    if (!*c->synopsis)
        fputc('\n', f);
    fprintf(f, "\n%s\n\noptions:\n", c->about);
    opts_help(f, c->opts);
    if (c->notes)
        fprintf(f, "\n%s\n", c->notes);
}

void cmd_list(FILE *f)
{
    fprintf(f, "usage: portsim <command> [options]\n\ncommands:\n");
    for (const struct cmd *c = table; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'portsim <command> --help' (or 'portsim help <command>') describes one "
            "command.\nVersion %s.\n", PORTSIM_VERSION);
}

int cmd_main(const struct cmd *c, int argc, char **argv)
{
    void *args = xcalloc(1, c->args_size ? c->args_size : 1);
    struct err e;
    int first, rc;

    err_clear(&e);
    if (c->defaults)
        memcpy(args, c->defaults, c->args_size);
    rc = opts_parse(c->opts, args, argc, argv, &first, &e);
    if (rc == 0 && c->max_operands >= 0 && argc - first > c->max_operands)
        rc = err_set(&e, PS_EINVAL, "unexpected argument '%s'", argv[first + c->max_operands]);
    if (rc == 1) {
        cmd_help(stdout, c);
        rc = 0;
    } else if (rc != 0) {
        rc = cli_fail(c->name, &e);
    } else {
        rc = c->fn(args, argc - first, argv + first);
    }
    opts_fini(c->opts, args);
    free(args);
    return rc;
}
