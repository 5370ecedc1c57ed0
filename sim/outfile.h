/* outfile.h - an output file that appears only when it is complete.
 *
 * outfile_open() creates "PATH.tmp-PID" beside PATH (same directory, so the
 * rename is atomic); outfile_commit() checks every write, flushes, syncs,
 * closes and renames it over PATH; outfile_abort() removes it.  A full disk,
 * a file-size limit or a closed stream therefore never leaves a truncated
 * PATH behind, and an existing PATH stays whole until the new one replaces
 * it.  Cost: one fsync and one rename per file.
 */
#ifndef PORTSIM_SIM_OUTFILE_H
#define PORTSIM_SIM_OUTFILE_H

#include <stdio.h>

#include "sim/err.h"

struct outfile {
    FILE *f;            /* write here between open and commit/abort */
    char *path;         /* the final name (owned) */
    char *tmp;          /* the temporary name (owned) */
};

/* Create the temporary file for 'path': PS_EIO "PATH: why" on failure. */
int outfile_open(struct outfile *o, const char *path, struct err *e);

/* Finish: PS_EIO "PATH: why" (and the temporary file removed) if any write,
 * the flush, the sync, the close or the rename failed.  Releases 'o'. */
int outfile_commit(struct outfile *o, struct err *e);

/* Drop the temporary file and release 'o' (a zeroed 'o' is fine). */
void outfile_abort(struct outfile *o);

/* The temporary name for 'path' into 'buf' (for a file another program
 * writes, such as gnuplot's picture): "PATH.tmp-PID". */
void outfile_tmpname(char *buf, size_t size, const char *path);

#endif /* PORTSIM_SIM_OUTFILE_H */
