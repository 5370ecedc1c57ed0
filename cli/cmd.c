/* cmd.c - the table of sub-commands, in the order --help lists them. */
#include "cli/cmd.h"

#include <stddef.h>

static const struct cmd table[] = {
    {"run", "run a scenario and record it", cmd_run},
    {"sweep", "run a sweep: remedies x values x replications, resumable", cmd_sweep},
    {"merge", "merge shard databases, without duplicates", cmd_merge},
    {"report", "compare remedies recorded in the database", cmd_report},
    {"capacity", "the highest request rate that meets a failure target", cmd_capacity},
    {"theory", "closed-form predictions for a scenario", cmd_theory},
    {"plot", "gnuplot pictures of runs or of a sweep", cmd_plot},
    {"trace", "print one run's events in words, for teaching", cmd_trace},
    {"html", "write a self-contained HTML page of one run, with a port strip chart", cmd_html},
    {"profiles", "the stack profiles and their values", cmd_profiles},
    {"keys", "every key of scenario and sweep files: default, range, meaning", cmd_keys},
    {"engine", "run the engine's hold-model demonstration", cmd_engine},
    {NULL, NULL, NULL},
};

const struct cmd *cmd_table(void)
{
    return table;
}
