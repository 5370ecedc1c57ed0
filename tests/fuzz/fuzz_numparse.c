/* fuzz_numparse.c - the one number and duration parser (sim/numparse.c):
 * the input as text through every entry point. */
#include "tests/fuzz/fuzz.h"

#include "sim/numparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strdup(data, size);
    uint64_t u;
    double d;
    size_t len;
    simtime t;

    if (!text)
        return 0;
    (void)numparse_u64(text, &u);
    (void)numparse_double(text, &d);
    if (numparse_double_prefix(text, &d, &len) == 0 && len > size)
        abort();                /* the prefix cannot be longer than the text */
    (void)numparse_duration(text, &t);
    free(text);
    return 0;
}
