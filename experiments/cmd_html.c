/* cmd_html.c - placeholder */
#include "experiments/cmd.h"
int cmd_html(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
