/* scenario_trace.c - the trace file of arrival times (see scenario_int.h).
 *
 * CSV, first column, seconds; '#' comments and blank lines skipped; one
 * header line allowed before the first value; times must not decrease.  A
 * relative path is taken from the directory of the file that set
 * workload.trace_file.  Cost: O(lines), one allocation growing geometrically.
 */
#include "models/scenario_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/numparse.h"
#include "sim/xalloc.h"

#define OFF(f) offsetof(struct scenario_params, f)

static const char *origin_of(const struct origin *org, size_t off)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n), *k = scen_key_at(off);

    return org && org[k - keys].seq ? org[k - keys].where : NULL;
}

/* Read the trace of arrival times: CSV, first column, seconds; '#' comments
 * and blank lines skipped; one header line allowed before the first value. */
int scen_load_trace(struct scenario *sc, const struct origin *org, struct err *e)
{
    char path[2 * PARAMS_PATH_MAX], subj[700];
    const char *tf = sc->p.workload.trace_file;
    const char *where = origin_of(org, OFF(workload.trace_file));
    simtime *t = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    unsigned long lineno = 0;
    bool seen_data = false, seen_header = false;
    FILE *f;
    int rc = 0;

    /* One pass; a long function because the loop's cases share its state. */

    if (tf[0] == '/' || sc->base_dir[0] == '\0')
        snprintf(path, sizeof(path), "%s", tf);
    else
        snprintf(path, sizeof(path), "%s/%s", sc->base_dir, tf);
    if (sc->trace && strcmp(sc->trace_loaded, path) == 0)
        return 0;
    scen_subject(where, scen_key_at(OFF(workload.trace_file)), subj, sizeof(subj));
    if (!(f = fopen(path, "r")))
        return err_set(e, PS_EIO, "%s cannot be read: %s: %s", subj, path, strerror(errno));
    while (getline(&line, &linecap, f) >= 0) {
        char *s = line, *end;
        double v;

        lineno++;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        end = s + strcspn(s, ",\r\n");
        while (end > s && isspace((unsigned char)end[-1]))
            end--;
        *end = '\0';
        if (numparse_double(s, &v) != 0 || v < 0) {
            if (!seen_data && !seen_header && numparse_double(s, &v) != 0) {
                seen_header = true;     /* a header line such as "time" */
                continue;
            }
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival time must be a number of seconds >= 0 "
                         "(got '%s')", path, lineno, s);
            goto out;
        }
        if ((double)simtime_from_s(v) / 1e9 > 3650.0 * 86400.0 * 2) {
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival time must be at most 7300 d (got '%s')",
                         path, lineno, s);
            goto out;
        }
        t = xgrow(t, &cap, n + 1, sizeof(*t));
        t[n] = simtime_from_s(v);
        if (n > 0 && t[n] < t[n - 1]) {
            rc = err_set(e, PS_EINVAL, "%s:%lu: arrival times must not decrease (got '%s' "
                         "after %.9g)", path, lineno, s, simtime_to_s(t[n - 1]));
            goto out;
        }
        n++;
        seen_data = true;
    }
    if (ferror(f)) {
        rc = err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (n == 0) {
        rc = err_set(e, PS_EINVAL, "%s: no arrival times (in '%s')", subj, path);
        goto out;
    }
    free(sc->trace);
    sc->trace = t;
    sc->ntrace = n;
    t = NULL;
    snprintf(sc->trace_loaded, sizeof(sc->trace_loaded), "%s", path);
out:
    free(t);
    free(line);
    fclose(f);
    return rc;
}

