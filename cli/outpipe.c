/* outpipe.c - '--out -' through a temporary file (see outfile.h). */
#include "cli/outpipe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool outpipe_is_stdout(const char *out)
{
    return out && strcmp(out, "-") == 0;
}

int outpipe_begin(struct outpipe *o, const char *out, struct err *e)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    memset(o, 0, sizeof(*o));
    o->path = out;
    if (!outpipe_is_stdout(out))
        return 0;
    o->to_stdout = true;
    snprintf(o->tmp, sizeof(o->tmp), "%s/portsim-out-XXXXXX", dir && *dir ? dir : "/tmp");
    if ((fd = mkstemp(o->tmp)) < 0)
        return err_set(e, PS_EIO, "%s: %s", o->tmp, strerror(errno));
    close(fd);
    o->path = o->tmp;
    return 0;
}

/* Copy 'path' to standard output; the name is removed once the file is
 * open, so that nothing is left behind even if a closed pipe kills us. */
static int copy_out(const char *path, struct err *e)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    int rc = 0;

    if (!f)
        return err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
    unlink(path);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (fwrite(buf, 1, n, stdout) != n) {
            rc = err_set(e, PS_EIO, "cannot write to standard output");
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, PS_EIO, "%s: read failed", path);
    fclose(f);
    if (rc == 0 && fflush(stdout) != 0)
        rc = err_set(e, PS_EIO, "cannot write to standard output");
    return rc;
}

int outpipe_end(struct outpipe *o, bool ok, struct err *e)
{
    int rc = 0;

    if (!o->to_stdout)
        return 0;
    if (ok)
        rc = copy_out(o->tmp, e);
    unlink(o->tmp);
    return rc;
}
