/* fuzz_trace.c - the trace file of arrival times (models/scenario_trace.c):
 * the input is the trace file, read by a scenario with arrivals = trace. */
#include "tests/fuzz/fuzz.h"

#include "models/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128], set[200];
    const char *sets[2] = { "workload.arrivals=trace", set };
    struct scenario sc;
    struct err e;

    if (fuzz_temp_file(data, size, "trace.csv", path, sizeof(path)) != 0)
        return 0;
    snprintf(set, sizeof(set), "workload.trace_file=%s", path);
    err_clear(&e);
    if (scenario_load(&sc, NULL, sets, 2, &e) == 0)
        scenario_fini(&sc);
    unlink(path);
    return 0;
}
