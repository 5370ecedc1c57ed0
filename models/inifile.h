/* inifile.h - an INI file read with libinih, one line at a time, with line
 * numbers.
 *
 * The scenario and sweep readers share it.  inih's own handler does not
 * get line numbers in Debian's build, so the file is handed to
 * ini_parse_stream() through our line reader, which counts lines, strips
 * leading blanks (an indented key is not a continuation line), cuts a
 * " #" or " ;" comment (a comment line has no length limit; the rest of a
 * line at most INI_MAX_LINE - 2 characters), and reports section headers
 * and problems to the caller while the line number is known: bytes that
 * are not UTF-8, a CR that does not end the line (CR-only line endings;
 * CRLF is fine), text after a section header's ']', a section given twice,
 * an over-long line.  Cost: one pass over the text.
 */
#ifndef PORTSIM_MODELS_INIFILE_H
#define PORTSIM_MODELS_INIFILE_H

#include <ini.h>

#include "sim/err.h"

/* A larger file is refused (as bad input) after reading this much: so
 * 'base = /dev/zero' is an error, not all of memory. */
#define INIFILE_BYTES_MAX (16 << 20)

/* A '[name]' header at line 'lineno'. */
typedef void inifile_section_fn(void *user, const char *name);
/* A line inih cannot take whole ('what' says why, e.g. too long). */
typedef void inifile_problem_fn(void *user, const char *what);

struct inifile {
    const char *path;
    char *text;                     /* the whole file, owned */
    const char *pos;                /* next unread byte; private */
    unsigned long lineno;           /* line being handled, from 1 */
    inifile_section_fn *on_section; /* may be NULL */
    inifile_problem_fn *on_problem; /* may be NULL */
    void *user;                     /* passed to both */
    struct inifile_section {        /* the sections seen, to refuse repeats; private */
        char *name;
        unsigned long line;
    } *sections;
    size_t nsections, section_cap;
};

/* Read 'path' into 'f' (a UTF-8 byte order mark is skipped).  PS_EIO with
 * strerror's words, PS_EINVAL for a file with a NUL byte. */
int inifile_open(struct inifile *f, const char *path, struct err *e);

/* Run inih over the file with 'on_key' (inih's handler, given 'user').
 * Returns 0, or the line of inih's first syntax error. */
int inifile_parse(struct inifile *f, ini_handler on_key, void *user);

/* The message for inih's syntax error at 'line': PS_EINVAL. */
int inifile_syntax_error(const struct inifile *f, int line, struct err *e);

void inifile_fini(struct inifile *f);

/* A path named in the file 'path' (a base scenario, a sweep's scenario, a
 * remedy's keys_from, a trace file): 'value' relative to the directory of
 * 'path' unless absolute.  Caller frees. */
char *inifile_relative_to(const char *path, const char *value);

#endif /* PORTSIM_MODELS_INIFILE_H */
