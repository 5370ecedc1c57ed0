/* err.c - error messages for the three kinds of failure (STYLE.md §5).
 *
 * Bugs are asserts, not errors.  Bad input is PS_EINVAL and exits 2; every
 * other failure exits 1.  Messages are lowercase, without a final period.
 */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    char head[ERR_MSG_MAX];
    char old[ERR_MSG_MAX];
    va_list ap;

    if (!e)
        return 0;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof(old));
    /* A long message is truncated, as err.h says; using the result tells
     * GCC so (-Wformat-truncation warns only when it is ignored). */
    if (snprintf(e->msg, sizeof(e->msg), "%s: %s", head, old) >= (int)sizeof(e->msg))
        e->msg[sizeof(e->msg) - 1] = '\0';
    return e->code;
}

int err_exit_status(int code)
{
    if (code == 0)
        return 0;
    return code == PS_EINVAL ? 2 : 1;
}
