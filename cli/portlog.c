/* portlog.c - per-port stretches and failures (see portlog.h).
 *
 * Row r is port port_min + r % nports of pool r / nports, as in the strip
 * chart.  state[r] and since[r] hold the open stretch of each row; a
 * stretch of state free is never stored (white is the background).  The
 * server's TIME_WAIT for a port (close = server) is a stretch of its own
 * (HTML_SERVER_TW) from the server's close to its expiry or the takeover by
 * a new SYN; one per row at a time (a later close on the row ends the
 * earlier stretch: with several servers the band shows the latest entry).
 */
#include "cli/portlog.h"

#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

struct portlog {
    simtime end;
    uint32_t port_min;
    uint32_t nports;            /* per pool, reserved ones included */
    uint32_t npools;
    uint32_t nrows;
    struct sim *s;              /* from on_start; borrowed for the run */
    const struct stack *st;
    uint8_t *state;             /* per row: enum html_state */
    simtime *since;             /* per row: start of the open stretch */
    simtime *srv_since;         /* per row: start of the server's open TIME_WAIT
                                 * stretch, SIMTIME_NEVER if none */
    bool heat_mode;
    struct html_strip strip;
    struct html_span *spans;
    size_t cap_spans;
    struct html_mark *marks;
    size_t cap_marks;
    struct html_heat heat;
    double *heat_use;           /* ns x ports until portlog_finish(), then fractions */
    double *heat_tw;
};

/* ---- Stretches ---- */

static void heat_add(struct portlog *pl, uint32_t row, uint32_t state, simtime t0, simtime t1)
{
    struct html_heat *h = &pl->heat;
    uint32_t hr = row / h->ports_per_row;
    double col_ns = (double)pl->end / h->ncols;
    double *a = state == HTML_TIME_WAIT ? pl->heat_tw : pl->heat_use;   /* BOUND: held */
    uint32_t c0, c1;

    if (t1 > pl->end)
        t1 = pl->end;
    if (t0 >= t1)
        return;
    c0 = (uint32_t)((double)t0 / col_ns);
    c1 = (uint32_t)((double)t1 / col_ns);
    if (c1 >= h->ncols)
        c1 = h->ncols - 1;
    for (uint32_t c = c0; c <= c1; c++) {
        double lo = c * col_ns, hi = lo + col_ns;
        double a0 = (double)t0 > lo ? (double)t0 : lo, a1 = (double)t1 < hi ? (double)t1 : hi;

        if (a1 > a0)
            a[(size_t)hr * h->ncols + c] += a1 - a0;
    }
}

static void close_stretch(struct portlog *pl, uint32_t row, simtime now)
{
    uint32_t state = pl->state[row];
    struct html_strip *s = &pl->strip;

    if (state == HTML_FREE)
        return;
    if (pl->heat_mode) {
        heat_add(pl, row, state, pl->since[row], now);
        return;
    }
    if (s->complete_until != pl->end)
        return;                 /* cap reached earlier: recording stopped */
    if (s->nspans == PORTLOG_MAX_SPANS) {
        s->complete_until = now;
        return;
    }
    pl->spans = xgrow(pl->spans, &pl->cap_spans, s->nspans + 1, sizeof(*pl->spans));
    pl->spans[s->nspans++] = (struct html_span){pl->since[row], now, row, state};
    s->spans = pl->spans;
}

/* The server's TIME_WAIT stretch of 'row', if open, ends at 'now'. */
static void close_server(struct portlog *pl, uint32_t row, simtime now)
{
    uint8_t keep = pl->state[row];
    simtime since = pl->since[row];

    if (pl->srv_since[row] == SIMTIME_NEVER)
        return;
    pl->state[row] = HTML_SERVER_TW;
    pl->since[row] = pl->srv_since[row];
    if (!pl->heat_mode)             /* the heat map counts the client's side only */
        close_stretch(pl, row, now);
    pl->state[row] = keep;
    pl->since[row] = since;
    pl->srv_since[row] = SIMTIME_NEVER;
}

static uint32_t row_of(const struct portlog *pl, const struct stack_conn *c)
{
    uint32_t pool = pl->npools == 1 ? 0 : c->laddr;

    return pool * pl->nports + (c->port - pl->port_min);
}

/* The port of 'c' may have changed state: look and record. */
static void update(struct portlog *pl, const struct stack_conn *c)
{
    uint32_t row = row_of(pl, c);
    int st = stack_port_state(pl->st, c->laddr, c->port);
    uint8_t state = st == 1   ? HTML_IN_USE
                    : st == 2 ? HTML_TIME_WAIT
                    : st == 4 ? HTML_BOUND
                              : HTML_FREE;
    simtime now = sim_now(pl->s);

    if (row >= pl->nrows || state == pl->state[row])
        return;
    close_stretch(pl, row, now);
    pl->state[row] = state;
    pl->since[row] = now;
}

static void on_stack(void *ctx, const struct stack_event *ev)
{
    struct portlog *pl = ctx;
    struct html_strip *s = &pl->strip;

    switch (ev->kind) {
    case STACK_EV_SKIP:
        return;
    case STACK_EV_CLOSE:
    case STACK_EV_TW_EXPIRE:
    case STACK_EV_TAKEOVER:
        if (ev->server_side && row_of(pl, &ev->conn) < pl->nrows) {
            uint32_t row = row_of(pl, &ev->conn);

            close_server(pl, row, sim_now(pl->s));
            if (ev->kind == STACK_EV_CLOSE && ev->tw_until != SIMTIME_NEVER)
                pl->srv_since[row] = sim_now(pl->s);
        }
        update(pl, &ev->conn);
        return;
    case STACK_EV_FAIL:
        if (pl->heat_mode)
            return;
        if (s->nmarks == PORTLOG_MAX_MARKS) {
            s->marks_dropped++;
            return;
        }
        pl->marks = xgrow(pl->marks, &pl->cap_marks, s->nmarks + 1, sizeof(*pl->marks));
        pl->marks[s->nmarks++] = (struct html_mark){
            sim_now(pl->s),
            ev->result == STACK_FAIL_COLLISION ? row_of(pl, &ev->conn) : HTML_NO_ROW,
            ev->result == STACK_FAIL_COLLISION};
        s->marks = pl->marks;
        return;
    default:
        update(pl, &ev->conn);
        return;
    }
}

static void on_start(void *ctx, struct sim *s, const struct stack *st)
{
    struct portlog *pl = ctx;

    pl->s = s;
    pl->st = st;
    pl->npools = stack_pools(st);
    pl->nrows = pl->npools * pl->nports;
    pl->state = xcalloc(pl->nrows, sizeof(*pl->state));
    pl->since = xcalloc(pl->nrows, sizeof(*pl->since));
    pl->srv_since = xcalloc(pl->nrows, sizeof(*pl->srv_since));
    for (uint32_t r = 0; r < pl->nrows; r++)
        pl->srv_since[r] = SIMTIME_NEVER;
    pl->heat_mode = pl->nrows > HTML_STRIP_MAX_ROWS;
    if (pl->heat_mode) {
        struct html_heat *h = &pl->heat;

        h->ports_per_row = (pl->nrows + PORTLOG_HEAT_ROWS - 1) / PORTLOG_HEAT_ROWS;
        h->nrows = (pl->nrows + h->ports_per_row - 1) / h->ports_per_row;
        h->ncols = PORTLOG_HEAT_COLS;
        h->first_port = pl->port_min;
        h->nports = pl->nrows;
        pl->heat_use = xcalloc((size_t)h->nrows * h->ncols, sizeof(double));
        pl->heat_tw = xcalloc((size_t)h->nrows * h->ncols, sizeof(double));
    } else {
        pl->strip.nrows = pl->nrows;
        pl->strip.first_port = pl->port_min;
        pl->strip.ports_per_pool = pl->nports;
        pl->strip.complete_until = pl->end;
    }
}

/* ---- Public ---- */

struct portlog *portlog_new(const struct scenario *sc, simtime end)
{
    struct portlog *pl = xcalloc(1, sizeof(*pl));

    pl->end = end;
    pl->port_min = sc->p.stack.port_min;
    pl->nports = sc->p.stack.port_max - sc->p.stack.port_min + 1;
    return pl;
}

void portlog_free(struct portlog *pl)
{
    if (!pl)
        return;
    free(pl->state);
    free(pl->since);
    free(pl->srv_since);
    free(pl->spans);
    free(pl->marks);
    free(pl->heat_use);
    free(pl->heat_tw);
    free(pl);
}

void portlog_attach(struct portlog *pl, struct run_options *opt)
{
    opt->stack_obs = on_stack;
    opt->on_start = on_start;
    opt->obs_ctx = pl;
}

void portlog_finish(struct portlog *pl)
{
    struct html_heat *h = &pl->heat;

    for (uint32_t r = 0; r < pl->nrows; r++)
        close_stretch(pl, r, pl->end);
    for (uint32_t r = 0; r < pl->nrows; r++)
        close_server(pl, r, pl->end);
    if (!pl->heat_mode)
        return;
    for (uint32_t r = 0; r < h->nrows; r++) {
        uint32_t lo = r * h->ports_per_row, hi = lo + h->ports_per_row;
        double ports = (double)((hi > pl->nrows ? pl->nrows : hi) - lo);
        double area = ports * (double)pl->end / h->ncols;

        for (uint32_t c = 0; c < h->ncols; c++) {
            pl->heat_use[(size_t)r * h->ncols + c] /= area;
            pl->heat_tw[(size_t)r * h->ncols + c] /= area;
        }
    }
    h->in_use = pl->heat_use;
    h->time_wait = pl->heat_tw;
}

const struct html_strip *portlog_strip(const struct portlog *pl)
{
    return pl->heat_mode || !pl->state ? NULL : &pl->strip;
}

const struct html_heat *portlog_heat(const struct portlog *pl)
{
    return pl->heat_mode ? &pl->heat : NULL;
}
