/* cmd_merge.c - 'portsim merge OUT.db IN.db...': gather shard databases.
 *
 * Each input is copied into OUT with store_merge(), one transaction per
 * input: sweeps by name, sweep runs by (sweep, params hash, seed,
 * replication), with their metrics and samples.  Idempotent: merging an
 * input twice, or merging OUT's own runs back, adds nothing.  OUT is
 * created if needed; every input must exist and be a portsim database
 * (each is opened read-only before anything is written; a version-1
 * input is upgraded in place then, when it can be written).  Prints one line per input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"

static const char usage_text[] =
    "usage: portsim merge OUT.db IN.db... [--quiet]\n"
    "\n"
    "Copy into OUT.db (created if needed) every sweep and run of each IN.db that\n"
    "OUT.db lacks: the shards of a sweep run with --shard become one database.\n"
    "Merging twice adds nothing.\n"
    "\n"
    "  --quiet    print nothing\n";

int cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    struct store *st = NULL;
    bool quiet = false;
    struct err e;
    int c, rc = 0;

    err_clear(&e);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            err_set(&e, PS_EINVAL, "unknown option '%s' (see --help)", argv[optind - 1]);
            return cli_fail("merge", &e);
        }
    }
    if (argc - optind < 2) {
        err_set(&e, PS_EINVAL, "expected OUT.db and at least one IN.db (usage: portsim merge "
                "OUT.db IN.db...)");
        return cli_fail("merge", &e);
    }
    for (int i = optind + 1; i < argc; i++) {
        /* each input opens as a portsim database before OUT is touched */
        if ((rc = store_open(&st, argv[i], STORE_READ_ONLY, &e)) != 0) {
            char why[ERR_MSG_MAX];

            snprintf(why, sizeof(why), "%s", e.msg);
            if (rc == PS_EIO)           /* a missing input is a usage error (exit 2) */
                err_set(&e, PS_EINVAL, "%s", why);
            return cli_fail("merge", &e);
        }
        store_close(st);
        st = NULL;
    }
    if ((rc = store_open(&st, argv[optind], STORE_CREATE, &e)) != 0)
        return cli_fail("merge", &e);
    for (int i = optind + 1; i < argc && rc == 0; i++) {
        int64_t added = 0;

        if ((rc = store_merge(st, argv[i], &added, &e)) == 0 && !quiet)
            printf("%s: %lld runs added\n", argv[i], (long long)added);
    }
    store_close(st);
    return rc ? cli_fail("merge", &e) : 0;
}
