/* datadir.h - where the commands find an experiment named on the command
 * line: the working directory first, then the installed experiments.
 *
 * 'portsim run kb319502/kb319502.ini' works in a checkout's experiments/
 * folder and, once installed, from anywhere: the name is looked up as given,
 * then under $PORTSIM_DATADIR/experiments (the Makefile compiles in
 * $(PREFIX)/share/portsim; the environment variable PORTSIM_DATADIR, when
 * set, replaces it).  A bare name may leave out the extension or, for a
 * folder's main file, the folder: 'linux-default', 'kb319502'.
 */
#ifndef PORTSIM_CLI_DATADIR_H
#define PORTSIM_CLI_DATADIR_H

#include <stddef.h>

/* The path to open for 'name' (a scenario when 'ext' is ".ini", a sweep
 * when ".sweep"): 'name' itself if it exists or is absolute or NULL, else
 * the first existing of D/name, D/name+ext, D/name/name+ext with D the
 * installed experiments folder; else 'name' unchanged, so that the error
 * names what the user typed.  The result is 'name' or 'buf'. */
const char *datadir_find(const char *name, const char *ext, char *buf, size_t size);

/* The installed data folder ($PORTSIM_DATADIR, else the compiled-in one). */
const char *datadir_root(void);

#endif /* PORTSIM_CLI_DATADIR_H */
