/* datadir.c - experiments by name: the working directory, then the
 * installed share/portsim/experiments (see datadir.h).
 *
 * Cost: at most four stat(2) calls, once per command.
 */
#include "cli/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PORTSIM_DATADIR
#define PORTSIM_DATADIR "/usr/local/share/portsim"
#endif

/* A regular file we may read (a folder named like an experiment is not). */
static int readable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

const char *datadir_root(void)
{
    const char *env = getenv("PORTSIM_DATADIR");

    return env && *env ? env : PORTSIM_DATADIR;
}

const char *datadir_find(const char *name, const char *ext, char *buf, size_t size)
{
    const char *root = datadir_root();
    const char *base;
    int n;

    if (!name || name[0] == '/' || readable(name))
        return name;
    base = strrchr(name, '/');
    base = base ? base + 1 : name;
    n = snprintf(buf, size, "%s/experiments/%s", root, name);
    if (n > 0 && (size_t)n < size && readable(buf))
        return buf;
    n = snprintf(buf, size, "%s/experiments/%s%s", root, name, ext);
    if (n > 0 && (size_t)n < size && readable(buf))
        return buf;
    n = snprintf(buf, size, "%s/experiments/%s/%s%s", root, name, base, ext);
    if (n > 0 && (size_t)n < size && readable(buf))
        return buf;
    return name;
}
