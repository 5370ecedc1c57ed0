/* inierrs.c - the problems of an INI file, collected (see inierrs.h). */
#include "models/inierrs.h"

#include <stdio.h>
#include <string.h>

void inierrs_add(struct inierrs *l, unsigned long line, int code, const char *msg)
{
    unsigned kept = l->n < INIERRS_MAX ? l->n : INIERRS_MAX;
    unsigned at = kept;

    l->n++;
    while (at > 0 && l->line[at - 1] > line)
        at--;
    if (at == INIERRS_MAX)
        return;                 /* later than every kept one, and no room */
    if (kept == INIERRS_MAX)
        kept--;                 /* the last kept one falls out */
    memmove(&l->line[at + 1], &l->line[at], (kept - at) * sizeof(l->line[0]));
    memmove(&l->code[at + 1], &l->code[at], (kept - at) * sizeof(l->code[0]));
    memmove(&l->msg[at + 1], &l->msg[at], (kept - at) * sizeof(l->msg[0]));
    l->line[at] = line;
    l->code[at] = code ? code : PS_EINVAL;
    snprintf(l->msg[at], sizeof(l->msg[at]), "%s", msg);
}

int inierrs_result(const struct inierrs *l, struct err *e)
{
    unsigned kept = l->n < INIERRS_MAX ? l->n : INIERRS_MAX, shown = 0;
    char tail[48];
    size_t used = 0;

    if (l->n == 0)
        return 0;
    err_set(e, PS_EINVAL, "%s", l->msg[0]);
    used = strlen(e->msg);
    for (shown = 1; shown < kept; shown++) {
        size_t len = strlen(l->msg[shown]);

        /* keep room for the tail line */
        if (used + 1 + len + sizeof(tail) >= sizeof(e->msg))
            break;
        e->msg[used++] = '\n';
        memcpy(e->msg + used, l->msg[shown], len + 1);
        used += len;
    }
    if (shown < l->n) {
        snprintf(tail, sizeof(tail), "\n(%u more error%s)", l->n - shown,
                 l->n - shown == 1 ? "" : "s");
        snprintf(e->msg + used, sizeof(e->msg) - used, "%s", tail);
    }
    e->code = l->code[0];
    return e->code;
}
