/* fuzz_scenario.c - the scenario reader (models/scenario.c) on any file.
 * The input is the file's bytes; a base or trace file it names is read too. */
#include "tests/fuzz/fuzz.h"

#include "models/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    struct scenario sc;
    struct err e;

    if (fuzz_temp_file(data, size, "scenario.ini", path, sizeof(path)) != 0)
        return 0;
    err_clear(&e);
    if (scenario_load(&sc, path, NULL, 0, &e) == 0)
        scenario_fini(&sc);
    unlink(path);
    return 0;
}
