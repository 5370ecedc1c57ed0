/* inifile.c - libinih fed line by line, with line numbers (see inifile.h). */
#include "models/inifile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    } while (got > 0);
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

/* inih's reader: one line without its leading blanks and without a " #"
 * comment; section headers and over-long lines are reported here, where
 * the line number is known. */
static char *read_line(char *str, int num, void *stream)
{
    struct inifile *f = stream;
    const char *start = f->pos, *eol;
    size_t len;
    char *hash;

    if (*start == '\0')
        return NULL;
    eol = strchr(start, '\n');
    len = eol ? (size_t)(eol - start) : strlen(start);
    f->pos = eol ? eol + 1 : start + len;
    f->lineno++;
    while (len > 0 && (*start == ' ' || *start == '\t')) {
        start++;
        len--;
    }
    if (len > (size_t)num - 2) {
        char what[120];

        snprintf(what, sizeof(what), "line too long (at most %d characters; got '%.30s...')",
                 num - 2, start);
        if (f->on_problem)
            f->on_problem(f->user, what);
        len = (size_t)num - 2;
    }
    memcpy(str, start, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    if (str[0] != '#' && str[0] != ';' && (hash = strstr(str, " #")) != NULL) {
        hash[0] = '\n';
        hash[1] = '\0';
    }
    if (str[0] == '[' && f->on_section) {
        char name[256];
        char *close = strchr(str, ']');

        if (close) {
            size_t n = (size_t)(close - str - 1);

            if (n >= sizeof(name))
                n = sizeof(name) - 1;
            memcpy(name, str + 1, n);
            name[n] = '\0';
            f->on_section(f->user, name);
        }
    }
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
    free(f->text);
    f->text = NULL;
}
