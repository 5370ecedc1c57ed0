/* replay.c - a plain main() for a libFuzzer harness: feed it every file
 * named on the command line (a directory: each regular file in it), so the
 * regression inputs of tests/fuzz/ are replayed by 'make check' with any
 * compiler, no libFuzzer needed.  Exit 0 after the last file; a finding
 * that still crashes ends the process as it did under the fuzzer.
 * Cost: one read and one harness call per file.
 */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

/* Read 'path' whole and call the harness; 0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    do {
        if (n + 4096 > cap) {
            cap = 2 * cap + 4096;
            if (!(buf = realloc(buf, cap)))
                abort();
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

/* A file, or each regular file of a directory; the number replayed. */
static long replay_path(const char *path, int *failed)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    long count = 0;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *failed |= replay_file(path) != 0;
        return 1;
    }
    if (!(d = opendir(path)))
        return 0;
    while ((de = readdir(d)) != NULL) {
        char sub[4096];

        snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
        if (de->d_name[0] == '.' || stat(sub, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        *failed |= replay_file(sub) != 0;
        count++;
    }
    closedir(d);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    int failed = 0;

    for (int i = 1; i < argc; i++)
        total += replay_path(argv[i], &failed);
    printf("replayed %ld inputs\n", total);
    return failed;
}
