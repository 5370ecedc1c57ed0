/* testutil.c - temporary directories and files for tests (see testutil.h). */
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

char *testutil_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *path = xmalloc(4096);

    snprintf(path, 4096, "%s/portsim-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

void testutil_rmrf(const char *dir)
{
    char cmd[4200];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
}

char *testutil_write(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(n);
    FILE *f;

    snprintf(path, n, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

void testutil_expect_abort(const char *test, const char *what)
{
    fprintf(stderr, "check_portsim: expected abort follows (misuse test %s: %s); "
            "the assertion message below means the test passed\n", test, what);
    fflush(stderr);
}
