/* kernelrun.h - run a calibration schedule on the host's own Linux TCP stack.
 *
 * INVARIANT: every packet stays inside two private network namespaces this
 * process creates, "portsim-cal-PID-c" (the client, 10.201.0.1/24 on veth
 * 'psc0') and "portsim-cal-PID-s" (the servers, 10.201.0.2.. on its peer
 * 'pss0'), joined by one veth pair and connected to nothing else: no
 * route, no address or interface outside them is touched, and the host's
 * own sysctls are left alone (the ones set are per network namespace).
 * Both namespaces, and the veth pair with them, are deleted before
 * kernelrun_run() returns, on success, on error and on SIGINT/SIGTERM
 * (SIGKILL cannot be caught: 'ip netns list' then shows the leftovers,
 * 'ip netns del NAME' removes them).
 *
 * How: 'ip' (iproute2) makes the namespaces, the veth pair and the
 * addresses (fork/exec, no shell); the process enters each namespace with
 * setns(2) to set its sysctls and open its sockets (a socket stays in the
 * namespace it was made in), then runs one single-threaded ppoll(2) loop:
 * non-blocking connect()s at the scheduled times, accept()s, closes after
 * the service time, and a sample of /proc/net/tcp of both namespaces every
 * run.sample_interval.  Set in the client namespace: ip_local_port_range,
 * ip_local_reserved_ports, tcp_tw_reuse (after-delay 1, no 0),
 * tcp_tw_reuse_delay (if the kernel has it), tcp_max_tw_buckets (unless
 * stack.max_time_wait is 0).
 *
 * Cost: about 0.1 s of setup and teardown (ten 'ip' calls, one more per
 * server), then run.duration of wall clock: one socket per connect, and
 * per sample one read of /proc/net/tcp in each namespace (~1 ms each here:
 * the kernel walks its whole socket hash table).  Needs root
 * (CAP_NET_ADMIN, CAP_SYS_ADMIN for setns) and 'ip'.
 */
#ifndef PORTSIM_CLI_KERNELRUN_H
#define PORTSIM_CLI_KERNELRUN_H

#include <stddef.h>

#include "cli/calibrate.h"
#include "models/scenario.h"
#include "sim/err.h"

/* PS_ERUN with a message saying what is missing unless this process is root
 * and 'ip' (iproute2) is installed; '*ip' gets its path (static storage). */
int kernelrun_check(const char **ip, struct err *e);

/* Run 'reqs' (calibrate_schedule() of 'sc') on the kernel; fills '*o'
 * (release with cal_observed_fini()), and 'settings' with the sysctls set,
 * one "name = value" per line.  PS_ERUN if a namespace, the veth pair or a
 * server socket cannot be made; PS_EINTR on SIGINT or SIGTERM (the
 * observations so far are kept in '*o', o->interrupted set). */
int kernelrun_run(const struct scenario *sc, const struct cal_request *reqs, size_t nreqs,
                  struct cal_observed *o, char *settings, size_t settings_size,
                  struct err *e);

#endif /* PORTSIM_CLI_KERNELRUN_H */
