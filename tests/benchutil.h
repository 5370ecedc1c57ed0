/* benchutil.h - timing and reporting for the benchmarks (tests/bench_*.c).
 *
 * Benchmarks are programs, not tests.  Every figure is printed as one line
 * "bench <name> <value> <unit>" that scripts can grep.
 */
#ifndef PORTSIM_TESTS_BENCHUTIL_H
#define PORTSIM_TESTS_BENCHUTIL_H

/* Monotonic wall-clock seconds. */
double bench_now(void);

/* Peak resident set size of this process, bytes. */
double bench_peak_rss(void);

/* Print "bench <name> <value> <unit>". */
void bench_line(const char *name, double value, const char *unit);

/* Pin this process to one core (the first it may use); best effort. */
void bench_pin_one_core(void);

#endif /* PORTSIM_TESTS_BENCHUTIL_H */
