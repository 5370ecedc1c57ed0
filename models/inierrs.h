/* inierrs.h - every error of an INI file at once: the scenario and sweep
 * readers collect the problems of a file (FILE:LINE: what) instead of
 * stopping at the first, and report them together.
 *
 * The first INIERRS_MAX problems in line order are kept whole; the message
 * (one struct err, ERR_MSG_MAX bytes) holds as many as fit, one a line,
 * and ends with "(N more errors)" when some do not.  A caller prints each
 * line as an error of its own (cli_fail() does).  Cost: O(INIERRS_MAX) per
 * problem; the struct is ~8 kB, kept on the reader's stack.
 */
#ifndef PORTSIM_MODELS_INIERRS_H
#define PORTSIM_MODELS_INIERRS_H

#include "sim/err.h"

#define INIERRS_MAX 8

struct inierrs {
    unsigned n;                             /* problems seen (may exceed INIERRS_MAX) */
    unsigned long line[INIERRS_MAX];        /* kept in line order */
    int code[INIERRS_MAX];                  /* PS_EINVAL, or PS_EIO (a base unread) */
    char msg[INIERRS_MAX][ERR_MSG_MAX];
};

/* Record the problem 'msg' (code 'code') of line 'line' ('msg' names
 * FILE:LINE itself). */
void inierrs_add(struct inierrs *l, unsigned long line, int code, const char *msg);

/* 0 when there was no problem; else the first problem's code with the
 * problems in 'e'. */
int inierrs_result(const struct inierrs *l, struct err *e);

#endif /* PORTSIM_MODELS_INIERRS_H */
