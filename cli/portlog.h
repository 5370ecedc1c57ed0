/* portlog.h - the state of every port over one run, for the strip chart.
 *
 * A portlog is a stack observer (no detail needed, so the run keeps its
 * fast paths): after every event that touches a port it asks the stack for
 * that port's state (stack_port_state) and, when the state changed, closes
 * the port's current stretch.  Pools of up to HTML_STRIP_MAX_ROWS ports (all
 * pools together) keep every stretch (in use, TIME_WAIT) and every failure,
 * up to PORTLOG_MAX_SPANS stretches and PORTLOG_MAX_MARKS failures: past a
 * cap, recording stops and the chart says up to when it is complete.
 * Larger pools fold each stretch into a heat-map grid of PORTLOG_HEAT_ROWS
 * groups of ports by PORTLOG_HEAT_COLS time columns as it closes, so memory
 * stays O(ports + grid) however long the run.  Observing never changes the
 * run.
 */
#ifndef PORTSIM_CLI_PORTLOG_H
#define PORTSIM_CLI_PORTLOG_H

#include "analysis/html.h"
#include "models/run.h"
#include "models/scenario.h"

#define PORTLOG_MAX_SPANS 100000
#define PORTLOG_MAX_MARKS 200000
#define PORTLOG_HEAT_ROWS 64
#define PORTLOG_HEAT_COLS 240

struct portlog;

/* A log for a run of 'sc' that ends at 'end' (the run's duration or
 * --until).  Free with portlog_free(). */
struct portlog *portlog_new(const struct scenario *sc, simtime end);
void portlog_free(struct portlog *pl);

/* Set the observer fields of 'opt' (stack_obs, on_start, obs_ctx); detail
 * is left off. */
void portlog_attach(struct portlog *pl, struct run_options *opt);

/* After run_once(): close every stretch still open at 'end'. */
void portlog_finish(struct portlog *pl);

/* The strip chart (NULL for a large pool) or the heat map (NULL for a
 * small one); owned by 'pl'. */
const struct html_strip *portlog_strip(const struct portlog *pl);
const struct html_heat *portlog_heat(const struct portlog *pl);

#endif /* PORTSIM_CLI_PORTLOG_H */
