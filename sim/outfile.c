/* outfile.c - write to a temporary file, rename when complete (see outfile.h). */
#include "sim/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "sim/xalloc.h"

void outfile_tmpname(char *buf, size_t size, const char *path)
{
    snprintf(buf, size, "%s.tmp-%ld", path, (long)getpid());
}

static void release(struct outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    o->f = NULL;
}

int outfile_open(struct outfile *o, const char *path, struct err *e)
{
    size_t size = strlen(path) + 32;

    o->path = xstrdup(path);
    o->tmp = xmalloc(size);
    outfile_tmpname(o->tmp, size, path);
    if (!(o->f = fopen(o->tmp, "w"))) {
        int rc = err_set(e, PS_EIO, "%s: cannot create %s: %s", path, o->tmp, strerror(errno));

        release(o);
        return rc;
    }
    return 0;
}

int outfile_commit(struct outfile *o, struct err *e)
{
    int failed = ferror(o->f), saved = 0;

    errno = 0;
    if (!failed && (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0))
        failed = 1;
    saved = errno;
    if (fclose(o->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    o->f = NULL;
    if (!failed && rename(o->tmp, o->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        int rc = err_set(e, PS_EIO, "%s: cannot write it: %s (nothing written)", o->path,
                         saved ? strerror(saved) : "write error");

        outfile_abort(o);
        return rc;
    }
    release(o);
    return 0;
}

void outfile_abort(struct outfile *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}
