/* inifile.c - libinih fed line by line, with line numbers (see inifile.h). */
#include "models/inifile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/utf8.h"
#include "sim/xalloc.h"

/* Read the whole file into memory ('*text', caller frees). */
static int slurp(const char *path, char **text, struct err *e)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!f)
        return err_set(e, PS_EIO, "%s: %s", path, strerror(errno));
    do {
        buf = xgrow(buf, &cap, n + 4097, 1);
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0 && n <= INIFILE_BYTES_MAX);
    if (n > INIFILE_BYTES_MAX) {
        free(buf);
        fclose(f);
        return err_set(e, PS_EINVAL, "%s: larger than %d MiB: not a scenario or sweep file",
                       path, INIFILE_BYTES_MAX >> 20);
    }
    if (ferror(f)) {
        int saved = errno;

        free(buf);
        fclose(f);
        return err_set(e, PS_EIO, "%s: %s", path, strerror(saved));
    }
    fclose(f);
    buf[n] = '\0';
    if (strlen(buf) != n) {
        free(buf);
        return err_set(e, PS_EINVAL, "%s: not a text file (contains a NUL byte)", path);
    }
    *text = buf;
    return 0;
}

/* Problems of the raw line 'p[0..len)' (its LF excluded): bytes that are
 * not UTF-8, a CR anywhere but last (CR-only line endings would make the
 * whole file one line).  True if the line is fine. */
static bool check_raw(struct inifile *f, const char *p, size_t len)
{
    char what[160];
    size_t bad;
    const char *cr = memchr(p, '\r', len);

    if (!utf8_valid(p, len, &bad)) {
        snprintf(what, sizeof(what), "not UTF-8 text at column %zu (byte 0x%02X); "
                 "save the file as UTF-8", bad + 1, (unsigned)(unsigned char)p[bad]);
    } else if (cr && (size_t)(cr - p) != len - 1) {
        snprintf(what, sizeof(what), "a carriage return inside the line at column %zu: "
                 "line endings must be LF or CRLF, not CR alone", (size_t)(cr - p) + 1);
    } else {
        return true;
    }
    if (f->on_problem)
        f->on_problem(f->user, what);
    return false;
}

/* Length of the part of 'p[0..len)' that is not a comment: 0 for a
 * comment line ('#' or ';' first), else up to a " #" or " ;" comment. */
static size_t content_len(const char *p, size_t len)
{
    if (len > 0 && (p[0] == '#' || p[0] == ';'))
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] == '#' || p[i] == ';') && (p[i - 1] == ' ' || p[i - 1] == '\t'))
            return i - 1;
    }
    return len;
}

/* A section header 'str' ("[name] ...\n"): text after ']' is an error;
 * a name seen before is one too, after the caller's own say (on_section). */
static void check_section(struct inifile *f, const char *str)
{
    char name[256], what[400];
    const char *close = strchr(str, ']'), *after;
    size_t n;

    if (!close)
        return;                 /* inih reports it as a syntax error */
    n = (size_t)(close - str - 1);
    if (n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, str + 1, n);
    name[n] = '\0';
    if (f->on_section)
        f->on_section(f->user, name);
    for (after = close + 1; *after == ' ' || *after == '\t' || *after == '\r'; after++)
        continue;
    if (*after != '\n' && *after != '\0') {
        snprintf(what, sizeof(what), "text after ']' in a section header (got '%.*s'); "
                 "put each key on its own line", (int)strcspn(after, "\r\n"), after);
        if (f->on_problem)
            f->on_problem(f->user, what);
        return;
    }
    for (size_t i = 0; i < f->nsections; i++) {
        if (strcmp(f->sections[i].name, name) == 0) {
            snprintf(what, sizeof(what), "section '[%s]' appears twice (first at line %lu); "
                     "put its keys in one section", name, f->sections[i].line);
            if (f->on_problem)
                f->on_problem(f->user, what);
            return;
        }
    }
    f->sections = xgrow(f->sections, &f->section_cap, f->nsections + 1,
                        sizeof(*f->sections));
    f->sections[f->nsections].name = xstrdup(name);
    f->sections[f->nsections++].line = f->lineno;
}

/* inih's reader: one line without its leading blanks and without a comment
 * (a comment line becomes empty, so comments have no length limit); problems
 * of the line and section headers are reported here, where the line number
 * is known. */
static char *read_line(char *str, int num, void *stream)
{
    struct inifile *f = stream;
    const char *start = f->pos, *eol;
    size_t len;

    if (*start == '\0')
        return NULL;
    eol = strchr(start, '\n');
    len = eol ? (size_t)(eol - start) : strlen(start);
    f->pos = eol ? eol + 1 : start + len;
    f->lineno++;
    if (!check_raw(f, start, len))
        len = 0;                /* reported: inih gets an empty line */
    while (len > 0 && (*start == ' ' || *start == '\t')) {
        start++;
        len--;
    }
    len = content_len(start, len);
    if (len > (size_t)num - 2) {
        char what[120];

        snprintf(what, sizeof(what), "line too long (at most %d characters before a comment; "
                 "got '%.30s...')", num - 2, start);
        if (f->on_problem)
            f->on_problem(f->user, what);
        len = (size_t)num - 2;
    }
    memcpy(str, start, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    if (str[0] == '[')
        check_section(f, str);
    return str;
}

int inifile_open(struct inifile *f, const char *path, struct err *e)
{
    int rc;

    memset(f, 0, sizeof(*f));
    f->path = path;
    if ((rc = slurp(path, &f->text, e)) != 0)
        return rc;
    f->pos = f->text;
    if (strncmp(f->pos, "\xEF\xBB\xBF", 3) == 0)
        f->pos += 3;            /* a UTF-8 byte order mark */
    return 0;
}

int inifile_parse(struct inifile *f, ini_handler on_key, void *user)
{
    return ini_parse_stream(read_line, f, on_key, user);
}

int inifile_syntax_error(const struct inifile *f, int line, struct err *e)
{
    const char *s = f->text;
    size_t len;

    for (int i = 1; i < line && strchr(s, '\n'); i++)
        s = strchr(s, '\n') + 1;
    while (*s == ' ' || *s == '\t')
        s++;
    len = strcspn(s, "\r\n");
    return err_set(e, PS_EINVAL, "%s:%d: expected 'key = value' or '[section]' (got '%.*s')",
                   f->path, line, (int)(len > 60 ? 60 : len), s);
}

void inifile_fini(struct inifile *f)
{
    for (size_t i = 0; i < f->nsections; i++)
        free(f->sections[i].name);
    free(f->sections);
    f->sections = NULL;
    f->nsections = 0;
    free(f->text);
    f->text = NULL;
}

char *inifile_relative_to(const char *path, const char *value)
{
    const char *slash = strrchr(path, '/');
    size_t dlen;
    char *out;

    if (value[0] == '/' || !slash)
        return xstrdup(value);
    dlen = (size_t)(slash - path) + 1;
    out = xmalloc(dlen + strlen(value) + 1);
    memcpy(out, path, dlen);
    strcpy(out + dlen, value);
    return out;
}
