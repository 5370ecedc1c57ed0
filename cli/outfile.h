/* outfile.h - '--out -': standard output for commands whose writer wants a
 * file name (plot's gnuplot, html's page).
 *
 * outfile_begin() gives the name to write: the one asked for, or for "-" a
 * new private file in $TMPDIR (else /tmp) (the writers choose their format
 * from options, not from this name);
 * outfile_end() then copies that file to standard output and removes it
 * (on failure it only removes it).  Cost: one copy of the output.
 */
#ifndef PORTSIM_CLI_OUTFILE_H
#define PORTSIM_CLI_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/err.h"

struct outfile {
    const char *path;           /* what to write: the name asked for, or 'tmp' */
    bool to_stdout;             /* "-" was asked for */
    char tmp[4096];
};

/* Whether 'out' means standard output. */
bool outfile_is_stdout(const char *out);

/* Set up 'o' for 'out'.  PS_EIO if no temporary file can be made. */
int outfile_begin(struct outfile *o, const char *out, struct err *e);

/* After writing 'o->path' ('ok': the writer succeeded): for "-", copy it to
 * standard output when 'ok', and remove it.  0, or PS_EIO. */
int outfile_end(struct outfile *o, bool ok, struct err *e);

#endif /* PORTSIM_CLI_OUTFILE_H */
