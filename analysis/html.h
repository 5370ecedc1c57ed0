/* html.h - one run as a self-contained HTML page ('portsim html').
 *
 * The page holds the scenario's parameters, the summary figures, a step
 * chart of ports in use and in TIME_WAIT against the pool size (from the
 * samples: a value holds until the next sample, it is not interpolated), a
 * lane of failed connect() calls per second, and either a strip chart (one
 * row per port, time across, each stretch coloured by state, the server's
 * TIME_WAIT as a band of its own, failures marked) or, for large pools, a
 * heat map of pool occupancy with in use and TIME_WAIT in distinct hues.
 * Cells and marks carry <title> hover text (port, state, from-to).  A time
 * control (a slider, a play button, and '#t=SECONDS' in the URL) moves a
 * cursor over every chart and shows the pool's state at that instant and
 * the port changes around it; it is one small inline script, the only one,
 * allowed by its SHA-256 in the Content-Security-Policy, which forbids
 * everything else (no other script, no font, no request: a stray reference
 * would be blocked and logged by the browser).  States are told by pattern
 * as well as colour (solid dark = in use, hatched = TIME_WAIT, white =
 * free; failures are crosses and triangles), so the page reads when
 * printed in black and white.  A run with [nat] (issue 12) also gets a lane
 * per public IP: its public ports in use against its limit toward one
 * destination, and its dropped SYNs per second, titled with the IP's index
 * and the vendor's words.
 *
 * The writer is fed plain arrays and knows nothing of the model: samples
 * and metrics as the database holds them, spans and marks collected by the
 * caller.  Cost: O(samples + spans + marks) time and output size; marks
 * beyond HTML_MARKS_EACH are merged per pixel column and row (each mark
 * carries its count in data-n, so a script can still add them up).
 */
#ifndef PORTSIM_ANALYSIS_HTML_H
#define PORTSIM_ANALYSIS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/metrics.h"
#include "sim/err.h"
#include "sim/simtime.h"

#define HTML_STRIP_MAX_ROWS 512     /* above: heat map */
#define HTML_MARKS_EACH 2000        /* above: failure marks merged per pixel */
#define HTML_NO_ROW UINT32_MAX      /* a failure with no port: pool exhausted */

enum html_state { HTML_FREE = 0, HTML_IN_USE = 1, HTML_TIME_WAIT = 2, HTML_SERVER_TW = 3,
                  HTML_BOUND = 4 };    /* issue 17: held by leaked sockets only */

/* Row 'row' was in 'state' (in use or TIME_WAIT) over [t0, t1); a
 * HTML_SERVER_TW span is the server's TIME_WAIT entry for the row's port
 * (close = server), drawn as a band of its own under the port's state. */
struct html_span {
    simtime t0;
    simtime t1;
    uint32_t row;
    uint32_t state;             /* enum html_state, not HTML_FREE */
};

/* A failed connect() at 't'. */
struct html_mark {
    simtime t;
    uint32_t row;               /* the port's row (collision) or HTML_NO_ROW */
    uint32_t collision;         /* 1: TIME_WAIT collision (event 4227) */
};

/* One row per port: row r is port first_port + r % ports_per_pool of pool
 * r / ports_per_pool. */
struct html_strip {
    uint32_t nrows;
    uint32_t first_port;
    uint32_t ports_per_pool;
    const struct html_span *spans;
    size_t nspans;
    const struct html_mark *marks;
    size_t nmarks;
    uint64_t marks_dropped;     /* failures past the collector's cap */
    simtime complete_until;     /* spans are complete before this (cap reached) */
};

/* Occupancy of groups of ports over time: cell (r, c) holds the mean
 * fraction of ports of group r in use, and in TIME_WAIT, over time column c. */
struct html_heat {
    uint32_t nrows;
    uint32_t ncols;
    uint32_t first_port;
    uint32_t ports_per_row;     /* the last row may hold fewer */
    uint32_t nports;            /* ports in all rows */
    const double *in_use;       /* nrows * ncols, row-major, 0..1 */
    const double *time_wait;    /* same shape */
};

struct html_page {
    const char *title;              /* the scenario's name */
    const char *subtitle;           /* e.g. "win2000 rules, seed 1" */
    const char *params_json;        /* canonical JSON: {"section": {"key": value}} */
    const struct run_metrics *m;
    const char *exhausted_words;    /* "WSAEADDRINUSE (10048)" */
    const char *collision_words;    /* "WSAEADDRINUSE (10048), event 4227" */
    const struct run_sample *samples;
    size_t nsamples;
    uint64_t pool_ports;            /* usable ports, all pools */
    simtime duration;               /* time axis: [0, duration) */
    const struct html_strip *strip; /* NULL: none */
    const struct html_heat *heat;   /* NULL: none */
    const char *note;               /* shown where the port chart would be; NULL */
    const struct nat_lanes *lanes;  /* issue 12: a lane per public IP at the
                                       samples' times; NULL: no NAT */
};

/* Write 'pg' to 'path' (replaced).  0, or PS_EIO with the system's words. */
int html_write(const char *path, const struct html_page *pg, struct err *e);

#endif /* PORTSIM_ANALYSIS_HTML_H */
