/* fuzz.h - what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput() and nothing else;
 * it is linked either with libFuzzer ('make fuzz', clang) or with
 * tests/fuzz/replay.c ('make check', any compiler), which feeds it the
 * files of tests/fuzz/seeds/<name>/ and tests/fuzz/regressions/<name>/.
 * Readers that take a path get the bytes through a file of this process
 * (fuzz_temp_file) in a directory named by the pid, so parallel jobs do not
 * meet.
 * Invariant: a harness keeps no state between calls.  Cost: one small
 * file write per input for the file readers.
 */
#ifndef PORTSIM_TESTS_FUZZ_H
#define PORTSIM_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write 'data' to /tmp/portsim-fuzz-PID/TAG (named in 'path'); 0 or -1.
 * Files of one input meet in that directory (a sweep and its scenario). */
static inline int fuzz_temp_file(const uint8_t *data, size_t size, const char *tag,
                                 char *path, size_t pathsize)
{
    FILE *f;
    int ok;

    snprintf(path, pathsize, "/tmp/portsim-fuzz-%ld", (long)getpid());
    (void)mkdir(path, 0700);
    snprintf(path, pathsize, "/tmp/portsim-fuzz-%ld/%s", (long)getpid(), tag);
    if (!(f = fopen(path, "wb")))
        return -1;
    ok = fwrite(data, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    return ok ? 0 : -1;
}

/* A NUL-terminated copy of 'data' (caller frees), or NULL. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif /* PORTSIM_TESTS_FUZZ_H */
