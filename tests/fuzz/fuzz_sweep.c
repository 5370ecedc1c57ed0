/* fuzz_sweep.c - the sweep reader and expansion (models/sweep.c) on any
 * file.  The input is the sweep file's bytes; beside it is a small scenario
 * 'base.ini' (the seeds name it), so the fuzzer gets past 'scenario'. */
#include "tests/fuzz/fuzz.h"

#include "models/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    struct sweep sw;
    struct err e;

    static const char base[] = "[run]\nduration = 10s\n[workload]\nrate = 5\n";

    if (fuzz_temp_file((const uint8_t *)base, sizeof(base) - 1, "base.ini", path,
                       sizeof(path)) != 0 ||
        fuzz_temp_file(data, size, "x.sweep", path, sizeof(path)) != 0)
        return 0;
    err_clear(&e);
    if (sweep_load(&sw, path, &e) == 0) {
        struct sweep_job job;

        sweep_job(&sw, sw.njobs - 1, &job);
        sweep_fini(&sw);
    }
    unlink(path);
    return 0;
}
