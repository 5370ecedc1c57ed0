/* fuzz_dbload.c - what is read back from a database: a run's params JSON
 * (scenario_from_json) and its sample series (series_parse).  The first
 * byte gives the series' claimed row count (0..255); the rest is the text,
 * given whole to both readers, as a crafted database would hold it. */
#include "tests/fuzz/fuzz.h"

#include "analysis/series.h"
#include "models/scenario_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    struct scenario sc;
    struct run_sample *smp = NULL;
    struct err e;
    int64_t n;

    if (size < 1)
        return 0;
    n = data[0];
    if (!(text = fuzz_strdup(data + 1, size - 1)))
        return 0;
    err_clear(&e);
    if (scenario_from_json(&sc, text, &e) == 0)
        scenario_fini(&sc);
    if (series_parse((const char *)data + 1, size - 1, n, &smp))
        free(smp);
    free(text);
    return 0;
}
