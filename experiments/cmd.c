/* cmd.c - the table of sub-commands, in the order --help lists them. */
#include "experiments/cmd.h"

#include <stddef.h>

static const struct cmd table[] = {
    {"engine", "run the engine's hold-model demonstration", cmd_engine},
    {"sweep", "run a sweep: remedies x values x replications, resumable", cmd_sweep},
    {"merge", "merge shard databases, without duplicates", cmd_merge},
    {NULL, NULL, NULL},
};

const struct cmd *cmd_table(void)
{
    return table;
}
