/* scenario_trace.c - the trace file of arrival times (see scenario_int.h).
 *
 * CSV, first column, seconds; '#' comments and blank lines skipped; one
 * header line allowed before the first value; times must not decrease.  A
 * relative path is taken from the directory of the file that set
 * workload.trace_file.  Bounded: at most TRACE_BYTES_MAX bytes and lines of
 * at most TRACE_LINE_MAX characters (so /dev/zero is refused at once), LF or
 * CRLF line endings.  Cost: O(lines), one allocation growing geometrically.
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
#define TRACE_BYTES_MAX (256 << 20)     /* 256 MiB: some 20 million arrivals */
#define TRACE_LINE_MAX 4096

static const char *origin_of(const struct origin *org, size_t off)
{
    size_t n;
    const struct key_def *keys = scen_keys(&n), *k = scen_key_at(off);

    return org && org[k - keys].seq ? org[k - keys].where : NULL;
}

/* One line of 'f' into 'buf' (its LF and CR cut, NUL-terminated): 1, 0 at
 * the end, or a PS_EINVAL message: a line longer than 'size' - 1, a NUL
 * byte, a CR inside the line (CR-only line endings), or the file past
 * TRACE_BYTES_MAX ('*total' counts the bytes read). */
static int trace_line(FILE *f, char *buf, size_t size, size_t *total, const char *path,
                      unsigned long lineno, struct err *e)
{
    size_t len = 0;
    int c;

    while ((c = getc(f)) != EOF && c != '\n') {
        if (++*total > TRACE_BYTES_MAX)
            return err_set(e, PS_EINVAL, "%s: larger than %d MiB: not a trace file "
                           "(at most %d MiB)", path, TRACE_BYTES_MAX >> 20, TRACE_BYTES_MAX >> 20);
        if (c == '\0')
            return err_set(e, PS_EINVAL, "%s:%lu: not a text file (contains a NUL byte)",
                           path, lineno);
        if (len + 1 >= size)
            return err_set(e, PS_EINVAL, "%s:%lu: line longer than %zu characters", path,
                           lineno, size - 1);
        buf[len++] = (char)c;
    }
    if (c == EOF && len == 0)
        return 0;
    ++*total;
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    if (memchr(buf, '\r', len))
        return err_set(e, PS_EINVAL, "%s:%lu: a carriage return inside the line: line "
                       "endings must be LF or CRLF, not CR alone", path, lineno);
    return 1;
}

/* One arrival time from the text 's' of line 'lineno' into '*t' (after 'n'
 * others, the last 'prev'): 0, 1 for a header line to skip, or PS_EINVAL. */
static int trace_value(char *s, simtime *t, size_t n, simtime prev, bool *seen_header,
                       const char *path, unsigned long lineno, struct err *e)
{
    char *end = s + strcspn(s, ",");
    double v;

    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    if (numparse_double(s, &v) != 0 || v < 0) {
        if (n == 0 && !*seen_header && numparse_double(s, &v) != 0) {
            *seen_header = true;        /* a header line such as "time" */
            return 1;
        }
        return err_set(e, PS_EINVAL, "%s:%lu: arrival time must be a number of seconds >= 0 "
                       "(got '%s')", path, lineno, s);
    }
    if ((double)simtime_from_s(v) / 1e9 > 3650.0 * 86400.0 * 2)
        return err_set(e, PS_EINVAL, "%s:%lu: arrival time must be at most 7300 d (got '%s')",
                       path, lineno, s);
    *t = simtime_from_s(v);
    if (n > 0 && *t < prev)
        return err_set(e, PS_EINVAL, "%s:%lu: arrival times must not decrease (got '%s' "
                       "after %.9g)", path, lineno, s, simtime_to_s(prev));
    return 0;
}

/* Read the trace of arrival times: CSV, first column, seconds; '#' comments
 * and blank lines skipped; one header line allowed before the first value;
 * at most TRACE_BYTES_MAX bytes, lines of at most TRACE_LINE_MAX. */
int scen_load_trace(struct scenario *sc, const struct origin *org, struct err *e)
{
    char path[2 * PARAMS_PATH_MAX], subj[700], line[TRACE_LINE_MAX + 1];
    const char *tf = sc->p.workload.trace_file;
    const char *where = origin_of(org, OFF(workload.trace_file));
    simtime *t = NULL;
    size_t n = 0, cap = 0, total = 0;
    unsigned long lineno = 0;
    bool seen_header = false;
    FILE *f;
    int rc;

    if (tf[0] == '/' || sc->base_dir[0] == '\0')
        snprintf(path, sizeof(path), "%s", tf);
    else
        snprintf(path, sizeof(path), "%s/%s", sc->base_dir, tf);
    if (sc->trace && strcmp(sc->trace_loaded, path) == 0)
        return 0;
    scen_subject(where, scen_key_at(OFF(workload.trace_file)), subj, sizeof(subj));
    if (!(f = fopen(path, "r")))
        return err_set(e, PS_EIO, "%s cannot be read: %s: %s", subj, path, strerror(errno));
    while ((rc = trace_line(f, line, sizeof(line), &total, path, ++lineno, e)) == 1) {
        char *s = line;

        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        t = xgrow(t, &cap, n + 1, sizeof(*t));
        if ((rc = trace_value(s, &t[n], n, n ? t[n - 1] : 0, &seen_header, path, lineno,
                              e)) < 0)
            goto out;
        n += rc == 0;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
    else if (rc == 0 && n == 0)
        rc = err_set(e, PS_EINVAL, "%s: no arrival times (in '%s')", subj, path);
    if (rc != 0)
        goto out;
    free(sc->trace);
    sc->trace = t;
    sc->ntrace = n;
    t = NULL;
    snprintf(sc->trace_loaded, sizeof(sc->trace_loaded), "%s", path);
out:
    free(t);
    fclose(f);
    return rc;
}
