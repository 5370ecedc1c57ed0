/* fuzz_set.c - the scenario reader's '--set section.key=value' overrides.
 * The input is split at newlines; each line is one --set (at most 64). */
#include "tests/fuzz/fuzz.h"

#include "models/scenario.h"

#define FUZZ_SETS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strdup(data, size), *line, *save = NULL;
    const char *sets[FUZZ_SETS_MAX];
    size_t n = 0;
    struct scenario sc;
    struct err e;

    if (!text)
        return 0;
    for (line = strtok_r(text, "\n", &save); line && n < FUZZ_SETS_MAX;
         line = strtok_r(NULL, "\n", &save))
        sets[n++] = line;
    err_clear(&e);
    if (scenario_load(&sc, NULL, sets, n, &e) == 0)
        scenario_fini(&sc);
    free(text);
    return 0;
}
