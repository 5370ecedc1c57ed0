/* suites.h - every Check suite, listed once.
 *
 * tests/test_<name>.c defines 'Suite *<name>_suite(void)'; add one line
 * X(<name>) here and check_main.c runs it.  CK_RUN_SUITE=<name> runs one.
 */
#ifndef PORTSIM_TESTS_SUITES_H
#define PORTSIM_TESTS_SUITES_H

#include <check.h>

#define PORTSIM_SUITES(X) \
    X(simtime) \
    X(numparse) \
    X(suggest) \
    X(export) \
    X(inierrs) \
    X(fmt) \
    X(gauge) \
    X(heap) \
    X(wheel) \
    X(rng) \
    X(sim) \
    X(connmap) \
    X(portspace) \
    X(portalloc) \
    X(stack) \
    X(scenario) \
    X(scenario_json) \
    X(series) \
    X(store) \
    X(run) \
    X(theory) \
    X(stats) \
    X(report) \
    X(html) \
    X(capacity) \
    X(trace) \
    X(sweep) \
    X(workload) \
    X(html) \
    X(inifile) \
    X(names) \
    X(runset) \
    X(plot) \
    X(calibrate) \
    X(cli) \
    X(api) \
    X(datadir) \
    X(host) \
    X(cli) \
    X(hist) \
    X(slow) \
    X(nat)

#define PORTSIM_DECLARE_SUITE(name) Suite *name##_suite(void);
PORTSIM_SUITES(PORTSIM_DECLARE_SUITE)
#undef PORTSIM_DECLARE_SUITE

#endif /* PORTSIM_TESTS_SUITES_H */
