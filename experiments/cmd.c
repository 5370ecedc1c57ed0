/* cmd.c - the table of sub-commands, in the order --help lists them. */
#include "experiments/cmd.h"

#include <stddef.h>

static const struct cmd table[] = {
    {"run", "run a scenario and record it", cmd_run},
    {"theory", "closed-form predictions for a scenario", cmd_theory},
    {"report", "compare remedies recorded in the database", cmd_report},
    {"capacity", "the highest request rate that meets a failure target", cmd_capacity},
    {"plot", "gnuplot pictures of runs or of a sweep", cmd_plot},
    {"engine", "run the engine's hold-model demonstration", cmd_engine},
    {NULL, NULL, NULL},
};

const struct cmd *cmd_table(void)
{
    return table;
}
