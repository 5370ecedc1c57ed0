/* portsim.h - the public C API of libportsim: one run, as JSON.
 *
 * This is the only header installed for users (include/portsim/portsim.h,
 * found with 'pkg-config --cflags --libs portsim').  libportsim.so exports
 * exactly the functions below and nothing else (the library is built with
 * -fvisibility=hidden; a test reads 'nm -D').  The library keeps no state
 * between calls (runs from several threads at once are untested).  Like the
 * program, portsim_run_json() turns GSL's abort-on-error handler off
 * (gsl_set_error_handler_off(), process-wide): the library checks GSL's
 * status returns itself.
 *
 * A run is a pure function of (scenario, seed, version): the digest in the
 * result is the one 'portsim run --json' prints for the same keys and seed.
 * Cost: one run_once() (what 'portsim run --no-db' costs) plus the JSON.
 */
#ifndef PORTSIM_PORTSIM_H
#define PORTSIM_PORTSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PORTSIM_API __attribute__((visibility("default")))
#else
#define PORTSIM_API
#endif

/* Run one scenario with one seed.
 *
 * 'scenario' gives the keys of a scenario file (defaults fill the rest):
 * either lines of "section.key=value" (the assignments of 'portsim run
 * --set', one a line; blank lines and lines starting with '#' are skipped),
 * or a JSON object, flat ({"workload.rate": 40, "stack.profile": "win2000"})
 * or by section ({"stack": {"port_max": 65534}}, the form of the result's
 * "params"); numbers, strings, booleans and arrays of strings (joined with
 * ", ", as reserved_ports) are accepted.  NULL or "" means all defaults.
 * 'seed' is the run's seed; 0 means the scenario's run.seed (default 1).
 *
 * On success returns 0 and sets '*result_json' to one JSON object: the
 * object 'portsim run --json' prints ("params", "params_hash", "seed" as a
 * string, "replication" 0, "metrics", "run_id" null) plus "version" and
 * "samples", an array of [t_s, in_use, time_wait, connects, failures,
 * requests].  On failure returns 2 for bad input (unknown key, bad value:
 * the message 'portsim run' gives) or 1 for anything else, and sets
 * '*error' to the message.  Either out-pointer may be NULL; whatever is
 * returned through them is the caller's, to release with portsim_free(). */
PORTSIM_API int portsim_run_json(const char *scenario, uint64_t seed, char **result_json,
                                 char **error);

/* Release a string returned by this library (NULL is fine). */
PORTSIM_API void portsim_free(char *p);

/* The library's version, as 'portsim --version' prints it (static text). */
PORTSIM_API const char *portsim_version(void);

/* The seed replication 'replication' of a sweep or a run with base seed
 * 'seed' runs with (replication 0 is 'seed' itself), as 'portsim run
 * --replications' and 'portsim sweep' derive it. */
PORTSIM_API uint64_t portsim_seed_derive(uint64_t seed, uint32_t replication);

#ifdef __cplusplus
}
#endif

#endif /* PORTSIM_PORTSIM_H */
