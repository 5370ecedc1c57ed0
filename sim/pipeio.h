/* pipeio.h - whole reads and writes on pipes: between a parent and its
 * worker processes (cli/workers.c, for sweep and capacity), and to gnuplot
 * (analysis/plot.c).
 *
 * Both retry on EINTR and on short transfers; both ends are the same
 * binary, so records cross as raw structs.
 */
#ifndef PORTSIM_SIM_PIPEIO_H
#define PORTSIM_SIM_PIPEIO_H

#include <stddef.h>

/* Write all 'n' bytes: 0, or -1 if the pipe failed or closed. */
int pipeio_write(int fd, const void *buf, size_t n);

/* Read exactly 'n' bytes: 0; 1 at end of file before the first byte (the
 * other end closed cleanly); -1 for an error or a record cut short. */
int pipeio_read(int fd, void *buf, size_t n);

#endif /* PORTSIM_SIM_PIPEIO_H */
