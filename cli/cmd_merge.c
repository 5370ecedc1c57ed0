/* cmd_merge.c - 'portsim merge OUT.db IN.db...': gather shard databases.
 *
 * Each input is copied into OUT with store_merge(), one transaction per
 * input: sweeps by name, sweep runs by (sweep, params hash, seed,
 * replication), with their metrics and samples.  Idempotent: merging an
 * input twice, or merging OUT's own runs back, adds nothing.  OUT is
 * created if needed, and removed again if the merge fails (a failed merge
 * leaves nothing behind); an input that is OUT itself is refused at once;
 * every input must exist and be a portsim database (each is opened
 * read-only before anything is written; a version-1 input is upgraded in
 * place then, when it can be written).  Runs kept beside OUT by a writer
 * that could not record them (cli/pending.h) are recorded first.  Prints
 * one line per input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/store.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/pending.h"

/* PS_EINVAL if 'in' is the file 'out' (same device and inode). */
static int check_not_self(const char *out, const char *in, struct err *e)
{
    struct stat so, si;

    if (stat(out, &so) != 0 || stat(in, &si) != 0)
        return 0;
    if (so.st_dev == si.st_dev && so.st_ino == si.st_ino)
        return err_set(e, PS_EINVAL, "%s is %s itself: a database cannot be merged into "
                       "itself", in, out);
    return 0;
}

int cmd_merge(void *args, int nops, char **ops)
{
    const struct merge_args *a = args;
    struct store *st = NULL;
    bool created;
    struct err e;
    int rc = 0;

    err_clear(&e);
    if (nops < 2) {
        err_set(&e, PS_EINVAL, "expected OUT.db and at least one IN.db (usage: portsim merge "
                "OUT.db IN.db...)");
        return cli_fail("merge", &e);
    }
    for (int i = 1; i < nops; i++) {
        /* each input opens as a portsim database before OUT is touched */
        if ((rc = store_open(&st, ops[i], STORE_READ_ONLY, &e)) != 0) {
            char why[ERR_MSG_MAX];

            snprintf(why, sizeof(why), "%s", e.msg);
            if (rc == PS_EIO)           /* a missing input is a usage error (exit 2) */
                err_set(&e, PS_EINVAL, "%s", why);
            return cli_fail("merge", &e);
        }
        store_close(st);
        st = NULL;
        if (check_not_self(ops[0], ops[i], &e) != 0)
            return cli_fail("merge", &e);
    }
    created = access(ops[0], F_OK) != 0;
    if ((rc = pending_open(&st, ops[0], "merge", &e)) != 0) {
        if (created)
            pending_remove_db(ops[0]);
        return cli_fail("merge", &e);
    }
    for (int i = 1; i < nops && rc == 0; i++) {
        int64_t added = 0;

        if ((rc = store_merge(st, ops[i], &added, &e)) == 0 && !a->quiet)
            printf("%s: %lld runs added\n", ops[i], (long long)added);
    }
    store_close(st);
    if (rc != 0 && created)
        pending_remove_db(ops[0]);
    return rc ? cli_fail("merge", &e) : 0;
}
