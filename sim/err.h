/* err.h - error codes and the message buffer that carries them.
 *
 * A function that can fail returns 0 or a negative PS_E* code and, when it
 * fails, fills the caller's 'struct err' with one message that says where,
 * what, the value given and what was expected.  err_set() returns the code so
 * that "return err_set(e, PS_EINVAL, ...)" reads as one statement.  A NULL
 * 'e' is allowed: the code is still returned, the message is dropped.
 */
#ifndef PORTSIM_SIM_ERR_H
#define PORTSIM_SIM_ERR_H

enum {
    PS_OK = 0,
    PS_EINVAL = -1, /* bad input: usage, scenario, sweep, value (exit 2) */
    PS_EIO = -2,    /* a file could not be read or written (exit 1) */
    PS_EDB = -3,    /* SQLite said no (exit 1) */
    PS_ERUN = -4,   /* a run or a tool failed at run time (exit 1) */
    PS_EINTR = -5   /* stopped by a signal before the work was done (exit 1) */
};

#define ERR_MSG_MAX 1024

struct err {
    int code;               /* last code set, 0 if none */
    char msg[ERR_MSG_MAX];  /* NUL-terminated message, truncated if long */
};

/* Clear 'e' (code 0, empty message). */
void err_clear(struct err *e);

/* Store a printf-formatted message and 'code' in 'e'; return 'code'. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of the message already in 'e'; return e->code. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The process exit status for 'code': 0 ok, 2 bad input, 1 anything else. */
int err_exit_status(int code);

#endif /* PORTSIM_SIM_ERR_H */
