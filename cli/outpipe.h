/* outpipe.h - '--out -': standard output for commands whose writer wants a
 * file name (plot's gnuplot, html's page).
 *
 * outpipe_begin() gives the name to write: the one asked for, or for "-" a
 * new private file in $TMPDIR (else /tmp) (the writers choose their format
 * from options, not from this name);
 * outpipe_end() then copies that file to standard output and removes it
 * (on failure it only removes it).  Cost: one copy of the output.
 */
#ifndef PORTSIM_CLI_OUTPIPE_H
#define PORTSIM_CLI_OUTPIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/err.h"

struct outpipe {
    const char *path;           /* what to write: the name asked for, or 'tmp' */
    bool to_stdout;             /* "-" was asked for */
    char tmp[4096];
};

/* Whether 'out' means standard output. */
bool outpipe_is_stdout(const char *out);

/* Set up 'o' for 'out'.  PS_EIO if no temporary file can be made. */
int outpipe_begin(struct outpipe *o, const char *out, struct err *e);

/* After writing 'o->path' ('ok': the writer succeeded): for "-", copy it to
 * standard output when 'ok', and remove it.  0, or PS_EIO. */
int outpipe_end(struct outpipe *o, bool ok, struct err *e);

#endif /* PORTSIM_CLI_OUTPIPE_H */
