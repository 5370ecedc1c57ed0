/* scenario_json.h - a recorded run's scenario, back from its canonical JSON.
 *
 * The database keeps every resolved parameter of a run as the canonical JSON
 * of models/scenario.h ({"run":{...},"stack":{...},"workload":{...}}, every
 * key but run.seed and run.replications, durations in seconds, enums by
 * name, reserved ports as an array of "lo-hi").  scenario_from_json() turns
 * that text back into a resolved struct scenario, so that the closed form,
 * capacity and pictures can be put beside recorded runs.
 *
 * Invariant (tested): for any scenario S, scenario_from_json(S.json).json is
 * S.json byte for byte, and the hash is the same.  Seed and replications are
 * not in the JSON: they keep their defaults (1 and 1).  Cost: O(keys).
 */
#ifndef PORTSIM_MODELS_SCENARIO_JSON_H
#define PORTSIM_MODELS_SCENARIO_JSON_H

#include "models/scenario.h"
#include "sim/err.h"

/* Resolve 'json' into 'sc' (release with scenario_fini()): the defaults,
 * then stack.profile, then every other key of the text through
 * scenario_set_key(), then scenario_refresh().  PS_EINVAL with a message
 * naming the key ("params JSON: 'stack.port_max' must be ...") if the text
 * is not such an object or a value is out of range; on failure 'sc' holds
 * nothing to free.  A trace scenario needs its trace file where it was. */
int scenario_from_json(struct scenario *sc, const char *json, struct err *e);

#endif /* PORTSIM_MODELS_SCENARIO_JSON_H */
