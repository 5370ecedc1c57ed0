/* kernelrun.c - a calibration schedule on the host's kernel (see kernelrun.h).
 *
 * Order: block SIGINT and SIGTERM (they are looked at between setup steps
 * and end the ppoll() of the loop, which alone unblocks them); make the
 * namespaces and the veth pair; enter the server namespace (listeners on
 * every server address, port 143; its /proc/net/tcp opened), then the
 * client namespace (sysctls; its /proc/net/tcp opened); run the loop; close
 * every socket; return to the original namespace; delete both namespaces
 * (which deletes the veth pair); restore the signal mask and handlers.
 */
#define _GNU_SOURCE
#include "cli/kernelrun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/xalloc.h"

#define NET_PREFIX 0x0ac90000u      /* 10.201.0.0/24 */
#define CLIENT_HOST 1               /* 10.201.0.1 */
#define SERVER_HOST0 2              /* server i: 10.201.0.(2 + i) */
#define SERVER_PORT 143

/* ---- Checks and 'ip' ---- */

static const char *const ip_paths[] = {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"};

int kernelrun_check(const char **ip, struct err *e)
{
    *ip = NULL;
    if (geteuid() != 0)
        return err_set(e, PS_ERUN, "needs root: it makes network namespaces and sets their "
                       "sysctls (run it as root, e.g. with sudo)");
    for (size_t i = 0; i < sizeof(ip_paths) / sizeof(ip_paths[0]); i++) {
        if (access(ip_paths[i], X_OK) == 0) {
            *ip = ip_paths[i];
            return 0;
        }
    }
    return err_set(e, PS_ERUN, "'ip' (iproute2) is missing: install it with 'apt-get install "
                   "iproute2' (tools/deps.sh does it when run as root)");
}

/* Run "ip ARGS" (ARGS split at spaces, no shell); PS_ERUN with ip's own
 * words if it fails. */
static int run_ip(const char *ip, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int run_ip(const char *ip, struct err *e, const char *fmt, ...)
{
    char line[512], copy[512], msg[512];
    char *argv[40];
    int argc = 0, pfd[2], status;
    size_t got = 0;
    ssize_t r;
    pid_t pid;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    memcpy(copy, line, sizeof(copy));
    argv[argc++] = (char *)"ip";
    for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok && argc < 39;
         tok = strtok_r(NULL, " ", &save))
        argv[argc++] = tok;
    argv[argc] = NULL;
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return err_set(e, PS_ERUN, "pipe: %s", strerror(errno));
    pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return err_set(e, PS_ERUN, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        sigset_t none;
        int devnull = open("/dev/null", O_RDWR);

        /* a Ctrl-C meant for portsim must not cut an 'ip' call short:
         * portsim sees it and cleans up after the call */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
        }
        dup2(pfd[1], 2);
        execv(ip, argv);
        _exit(127);
    }
    close(pfd[1]);
    while (got < sizeof(msg) - 1 &&
           ((r = read(pfd[0], msg + got, sizeof(msg) - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
        got += r > 0 ? (size_t)r : 0;
    msg[got] = '\0';
    while (got > 0 && (msg[got - 1] == '\n' || msg[got - 1] == ' '))
        msg[--got] = '\0';
    close(pfd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    return err_set(e, PS_ERUN, "ip %s: %s", line, got ? msg : "failed");
}

/* ---- Namespaces and sysctls ---- */

static int enter_netns(const char *name, struct err *e)
{
    char path[128];
    int fd, rc = 0;

    snprintf(path, sizeof(path), "/run/netns/%s", name);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(e, PS_ERUN, "%s: %s", path, strerror(errno));
    if (setns(fd, CLONE_NEWNET) != 0)
        rc = err_set(e, PS_ERUN, "setns %s: %s", name, strerror(errno));
    close(fd);
    return rc;
}

/* Write 'value' to net.ipv4.NAME of the current namespace; note it. */
static int set_sysctl(const char *name, const char *value, char *notes, size_t size,
                      struct err *e)
{
    char path[128];
    size_t used = strlen(notes);
    ssize_t len = (ssize_t)strlen(value);
    int fd;

    snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
        return err_set(e, PS_ERUN, "%s: %s", path, strerror(errno));
    if (write(fd, value, (size_t)len) != len) {
        int err = errno;

        close(fd);
        return err_set(e, PS_ERUN, "%s = %s: %s", path, value, strerror(err));
    }
    close(fd);
    if (used < size)
        snprintf(notes + used, size - used, "net.ipv4.%s = %s\n", name, value);
    return 0;
}

static int client_sysctls(const struct stack_params *s, char *notes, size_t size, struct err *e)
{
    char buf[512];
    size_t used = 0;
    int rc;

    snprintf(buf, sizeof(buf), "%u %u", s->port_min, s->port_max);
    if ((rc = set_sysctl("ip_local_port_range", buf, notes, size, e)) != 0)
        return rc;
    buf[0] = '\0';
    for (uint32_t i = 0; i < s->nreserved && used < sizeof(buf); i++) {
        if (s->reserved[i].lo == s->reserved[i].hi)
            used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u", i ? "," : "",
                                     s->reserved[i].lo);
        else
            used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%u-%u", i ? "," : "",
                                     s->reserved[i].lo, s->reserved[i].hi);
    }
    if (s->nreserved && (rc = set_sysctl("ip_local_reserved_ports", buf, notes, size, e)) != 0)
        return rc;
    if ((rc = set_sysctl("tcp_tw_reuse", s->reuse_time_wait == REUSE_AFTER_DELAY ? "1" : "0",
                         notes, size, e)) != 0)
        return rc;
    if (s->reuse_time_wait == REUSE_AFTER_DELAY &&
        access("/proc/sys/net/ipv4/tcp_tw_reuse_delay", W_OK) == 0) {
        snprintf(buf, sizeof(buf), "%llu",
                 (unsigned long long)(s->tw_reuse_delay_ns / 1000000u));
        if ((rc = set_sysctl("tcp_tw_reuse_delay", buf, notes, size, e)) != 0)
            return rc;
    }
    if (s->max_time_wait) {
        snprintf(buf, sizeof(buf), "%u", s->max_time_wait);
        if ((rc = set_sysctl("tcp_max_tw_buckets", buf, notes, size, e)) != 0)
            return rc;
    }
    return 0;
}

/* ---- The loop's state ---- */

enum cstate { C_CONNECTING, C_SERVING, C_WAIT_EOF };

struct cconn {                  /* a client socket */
    int fd;
    size_t req;                 /* index into the schedule */
    enum cstate state;
    simtime deadline;           /* C_SERVING: close then */
    uint16_t port;
};

struct sconn {                  /* an accepted socket */
    int fd;
    simtime deadline;           /* close=server: close then; else SIMTIME_NEVER */
};

struct krun {
    const struct scenario *sc;
    const struct cal_request *reqs;
    size_t nreqs;
    struct cal_observed *o;
    struct timespec t0;
    int listen_fd[CALIBRATE_MAX_SERVERS];
    uint32_t nlisten;
    int proc_client, proc_server;   /* /proc/self/net/tcp of each namespace */
    struct cconn *c;
    size_t nc, capc;
    struct sconn *s;
    size_t ns, caps;
    simtime *fifo;              /* service times of connects not yet accepted */
    size_t fifo_head, fifo_tail;
    uint16_t *portref;          /* open client sockets per local port */
    uint32_t in_use;
    simtime in_use_since;
    char *text;                 /* /proc/net/tcp read buffer */
    size_t captext;
    bool frozen;                /* the run is over: in_use no longer counts */
};

static simtime elapsed(const struct krun *k)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (simtime)(ts.tv_sec - k->t0.tv_sec) * SIMTIME_NS_PER_S +
           (simtime)((int64_t)ts.tv_nsec - (int64_t)k->t0.tv_nsec);
}

static void in_use_change(struct krun *k, int delta)
{
    simtime now = elapsed(k);

    if (k->frozen)
        return;
    k->o->in_use_area += (double)k->in_use * simtime_to_s(now - k->in_use_since);
    k->in_use_since = now;
    k->in_use = (uint32_t)((int)k->in_use + delta);
    if (k->in_use > k->o->peak_in_use)
        k->o->peak_in_use = k->in_use;
}

static void port_hold(struct krun *k, uint16_t port)
{
    if (port && k->portref[port]++ == 0)
        in_use_change(k, +1);
}

static void port_release(struct krun *k, uint16_t port)
{
    if (port && k->portref[port] > 0 && --k->portref[port] == 0)
        in_use_change(k, -1);
}

static uint32_t time_wait_of(struct krun *k, int fd)
{
    size_t used = 0;
    ssize_t r;

    if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0)
        return 0;
    for (;;) {
        if (k->captext - used < 4096)
            k->text = xgrow(k->text, &k->captext, used + 65536, 1);
        r = read(fd, k->text + used, k->captext - used - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        used += (size_t)r;
    }
    k->text[used] = '\0';
    return calibrate_procnet_time_wait(k->text);
}

static void take_tick(struct krun *k, simtime t)
{
    struct cal_observed *o = k->o;
    struct cal_tick *x;

    o->ticks = xgrow(o->ticks, &o->cap_ticks, o->nticks + 1, sizeof(*o->ticks));
    x = &o->ticks[o->nticks++];
    x->t = t;
    x->time_wait = time_wait_of(k, k->proc_client);
    x->server_time_wait = time_wait_of(k, k->proc_server);
    x->in_use = k->in_use;
}

static void close_client(struct krun *k, size_t i, bool abort_it)
{
    struct cconn *c = &k->c[i];

    if (abort_it) {
        struct linger lg = {1, 0};

        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    close(c->fd);
    port_release(k, c->port);
    k->c[i] = k->c[--k->nc];
}

static void close_server(struct krun *k, size_t i)
{
    close(k->s[i].fd);
    k->s[i] = k->s[--k->ns];
}

/* connect() for request 'i'. */
static void start_connect(struct krun *k, size_t i)
{
    const struct cal_request *q = &k->reqs[i];
    struct cal_attempt *a = &k->o->attempts[i];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(SERVER_PORT)};
    struct sockaddr_in me;
    socklen_t len = sizeof(me);
    int fd, rc;

    to.sin_addr.s_addr = htonl(NET_PREFIX | (SERVER_HOST0 + q->server));
    a->t_sched = q->t;
    a->t_call = elapsed(k);
    k->o->nattempts = i + 1;
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        a->err = errno;
        a->done = true;
        return;
    }
    rc = connect(fd, (struct sockaddr *)&to, sizeof(to));
    if (rc != 0 && errno != EINPROGRESS) {
        a->err = errno;
        a->done = true;
        close(fd);
        return;
    }
    if (getsockname(fd, (struct sockaddr *)&me, &len) == 0)
        a->port = ntohs(me.sin_port);
    k->fifo[k->fifo_tail++] = q->service;
    k->c = xgrow(k->c, &k->capc, k->nc + 1, sizeof(*k->c));
    k->c[k->nc++] = (struct cconn){.fd = fd, .req = i, .state = C_CONNECTING,
                                   .deadline = SIMTIME_NEVER, .port = a->port};
    port_hold(k, a->port);
}

static void on_client(struct krun *k, size_t i, short revents)
{
    struct cconn *c = &k->c[i];
    struct cal_attempt *a = &k->o->attempts[c->req];
    enum close_id how = k->sc->p.workload.close;

    if (c->state == C_CONNECTING) {
        int soerr = 0;
        socklen_t len = sizeof(soerr);

        if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
            return;
        if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
            soerr = errno;
        a->done = true;
        a->err = soerr;
        if (soerr != 0) {
            close_client(k, i, false);
            return;
        }
        if (how == CLOSE_SERVER) {
            c->state = C_WAIT_EOF;
        } else {
            c->state = C_SERVING;
            c->deadline = elapsed(k) + k->reqs[c->req].service;
        }
        return;
    }
    if (c->state == C_WAIT_EOF && (revents & (POLLIN | POLLERR | POLLHUP))) {
        char buf[256];
        ssize_t r = recv(c->fd, buf, sizeof(buf), 0);

        if (r <= 0 && !(r < 0 && (errno == EAGAIN || errno == EINTR)))
            close_client(k, i, false);
    }
}

static void on_server(struct krun *k, size_t i, short revents)
{
    char buf[256];
    ssize_t r;

    if (!(revents & (POLLIN | POLLERR | POLLHUP)))
        return;
    r = recv(k->s[i].fd, buf, sizeof(buf), 0);
    if (r <= 0 && !(r < 0 && (errno == EAGAIN || errno == EINTR)))
        close_server(k, i);
}

static void on_listen(struct krun *k, int lfd)
{
    int fd;

    while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        simtime service = 0;

        if (k->fifo_head < k->fifo_tail)
            service = k->fifo[k->fifo_head++];
        k->s = xgrow(k->s, &k->caps, k->ns + 1, sizeof(*k->s));
        k->s[k->ns++] = (struct sconn){
            .fd = fd, .deadline = k->sc->p.workload.close == CLOSE_SERVER
                                      ? elapsed(k) + service : SIMTIME_NEVER};
    }
}

/* Due closes; returns the next deadline. */
static simtime closes_due(struct krun *k, simtime now)
{
    simtime next = SIMTIME_NEVER;
    bool abort_it = k->sc->p.workload.close == CLOSE_ABORT;

    for (size_t i = k->nc; i-- > 0;) {
        if (k->c[i].state != C_SERVING)
            continue;
        if (k->c[i].deadline <= now)
            close_client(k, i, abort_it);
        else if (k->c[i].deadline < next)
            next = k->c[i].deadline;
    }
    for (size_t i = k->ns; i-- > 0;) {
        if (k->s[i].deadline <= now)
            close_server(k, i);
        else if (k->s[i].deadline < next)
            next = k->s[i].deadline;
    }
    return next;
}

/* The run proper, inside the client namespace.  PS_EINTR on a signal. */
static int loop(struct krun *k, const sigset_t *waitmask, struct err *e)
{
    const struct run_params *rp = &k->sc->p.run;
    simtime next_tick = 0, end = rp->duration_ns;
    size_t next_req = 0;
    struct pollfd *pfd = NULL;
    size_t cappfd = 0;

    clock_gettime(CLOCK_MONOTONIC, &k->t0);
    for (;;) {
        simtime now = elapsed(k), wake = end, t;
        struct timespec ts;
        size_t n = 0;
        int rc;

        if (now >= end)
            break;
        while (next_req < k->nreqs && k->reqs[next_req].t <= now)
            start_connect(k, next_req++);
        while (rp->sample_interval_ns && next_tick < end && next_tick <= now) {
            take_tick(k, next_tick);
            next_tick += rp->sample_interval_ns;
        }
        now = elapsed(k);
        t = closes_due(k, now);
        if (t < wake)
            wake = t;
        if (next_req < k->nreqs && k->reqs[next_req].t < wake)
            wake = k->reqs[next_req].t;
        if (rp->sample_interval_ns && next_tick < wake)
            wake = next_tick;

        pfd = xgrow(pfd, &cappfd, k->nlisten + k->nc + k->ns + 1, sizeof(*pfd));
        for (uint32_t i = 0; i < k->nlisten; i++)
            pfd[n++] = (struct pollfd){.fd = k->listen_fd[i], .events = POLLIN};
        for (size_t i = 0; i < k->nc; i++)
            pfd[n++] = (struct pollfd){
                .fd = k->c[i].fd,
                .events = k->c[i].state == C_CONNECTING ? POLLOUT
                          : k->c[i].state == C_WAIT_EOF ? POLLIN : 0};
        for (size_t i = 0; i < k->ns; i++)
            pfd[n++] = (struct pollfd){
                .fd = k->s[i].fd, .events = k->s[i].deadline == SIMTIME_NEVER ? POLLIN : 0};
        now = elapsed(k);
        t = wake > now ? wake - now : 0;
        ts.tv_sec = (time_t)(t / SIMTIME_NS_PER_S);
        ts.tv_nsec = (long)(t % SIMTIME_NS_PER_S);
        rc = ppoll(pfd, n, &ts, waitmask);
        if (rc < 0 && errno == EINTR) {
            k->o->interrupted = true;
            free(pfd);
            return err_set(e, PS_EINTR, "interrupted at %.3f s of %.3f s",
                           simtime_to_s(elapsed(k)), simtime_to_s(end));
        }
        if (rc < 0) {
            free(pfd);
            return err_set(e, PS_ERUN, "ppoll: %s", strerror(errno));
        }
        if (rc == 0)
            continue;
        /* handle in reverse, so that swap-removal keeps indices valid; the
         * sockets accepted now are polled next time round */
        for (size_t i = k->ns; i-- > 0;)
            if (pfd[k->nlisten + k->nc + i].revents)
                on_server(k, i, pfd[k->nlisten + k->nc + i].revents);
        for (size_t i = k->nc; i-- > 0;)
            if (pfd[k->nlisten + i].revents)
                on_client(k, i, pfd[k->nlisten + i].revents);
        for (uint32_t i = 0; i < k->nlisten; i++)
            if (pfd[i].revents & POLLIN)
                on_listen(k, k->listen_fd[i]);
    }
    free(pfd);
    return 0;
}

/* Listeners on every server address (inside the server namespace). */
static int listeners(struct krun *k, struct err *e)
{
    int one = 1;

    for (uint32_t i = 0; i < k->sc->p.workload.servers; i++) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(SERVER_PORT)};
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

        if (fd < 0)
            return err_set(e, PS_ERUN, "socket: %s", strerror(errno));
        k->listen_fd[k->nlisten++] = fd;
        a.sin_addr.s_addr = htonl(NET_PREFIX | (SERVER_HOST0 + i));
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, SOMAXCONN) != 0)
            return err_set(e, PS_ERUN, "server 10.201.0.%u:%d: %s", SERVER_HOST0 + i,
                           SERVER_PORT, strerror(errno));
    }
    return 0;
}

static bool pending_stop(void)
{
    sigset_t p;

    return sigpending(&p) == 0 && (sigismember(&p, SIGINT) || sigismember(&p, SIGTERM));
}

static void on_signal(int sig)
{
    (void)sig;                  /* the EINTR of ppoll() is the message */
}

/* Issue 11: the TcpExt counter TCPTimeWaitOverflow of the current network
 * namespace (/proc/self/net/netstat: a line of names, then one of values);
 * 0 if it cannot be read. */
static uint64_t tw_overflow_counter(void)
{
    FILE *f = fopen("/proc/self/net/netstat", "r");
    char names[4096], values[4096];
    uint64_t v = 0;

    if (!f)
        return 0;
    while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
        char *sn, *sv, *n = strtok_r(names, " \n", &sn), *x = strtok_r(values, " \n", &sv);

        if (!n || strcmp(n, "TcpExt:") != 0)
            continue;
        while ((n = strtok_r(NULL, " \n", &sn)) && (x = strtok_r(NULL, " \n", &sv))) {
            if (strcmp(n, "TCPTimeWaitOverflow") == 0) {
                v = strtoull(x, NULL, 10);
                break;
            }
        }
        break;
    }
    fclose(f);
    return v;
}

/* Setup inside the namespaces, the loop, and closing every socket. */
static int run_inside(struct krun *k, const char *cns, const char *sns, const sigset_t *waitmask,
                      char *settings, size_t size, struct err *e)
{
    int rc;

    if ((rc = enter_netns(sns, e)) != 0)
        return rc;
    k->proc_server = open("/proc/self/net/tcp", O_RDONLY | O_CLOEXEC);
    if ((rc = listeners(k, e)) != 0)
        return rc;
    if ((rc = enter_netns(cns, e)) != 0)
        return rc;
    k->proc_client = open("/proc/self/net/tcp", O_RDONLY | O_CLOEXEC);
    if (k->proc_client < 0 || k->proc_server < 0)
        return err_set(e, PS_ERUN, "/proc/self/net/tcp: %s", strerror(errno));
    if ((rc = client_sysctls(&k->sc->p.stack, settings, size, e)) != 0)
        return rc;
    if (pending_stop())
        return err_set(e, PS_EINTR, "interrupted before the run began");
    k->o->tw_overflows = tw_overflow_counter();
    rc = loop(k, waitmask, e);
    in_use_change(k, 0);        /* the area up to the end */
    k->frozen = true;
    k->o->tw_overflows = tw_overflow_counter() - k->o->tw_overflows;
    if (rc != 0)
        return rc;
    k->o->unfinished = k->nc;
    return 0;
}

/* SIGINT and SIGTERM blocked, and caught by on_signal(); '*waitmask' is
 * the mask that lets them in (for ppoll()); the old dispositions and mask
 * go to the other arguments, for the caller to restore. */
static void catch_stop_signals(struct sigaction *old_int, struct sigaction *old_term,
                               sigset_t *oldmask, sigset_t *waitmask)
{
    struct sigaction sa;
    sigset_t block;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, oldmask);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
    *waitmask = *oldmask;
    sigdelset(waitmask, SIGINT);
    sigdelset(waitmask, SIGTERM);
}

/* The two namespaces, the veth pair between them and the addresses: the
 * client's, and one per server.  '*made_c' and '*made_s' say which
 * namespaces exist, for the caller to remove whatever happens. */
static int make_netns(const char *ip, const char *cns, const char *sns, uint32_t servers,
                      bool *made_c, bool *made_s, struct err *e)
{
    int rc;

    if ((rc = run_ip(ip, e, "netns add %s", cns)) != 0)
        return rc;
    *made_c = true;
    if ((rc = run_ip(ip, e, "netns add %s", sns)) != 0)
        return rc;
    *made_s = true;
    if ((rc = run_ip(ip, e, "-n %s link add psc0 type veth peer name pss0 netns %s", cns,
                     sns)) != 0 ||
        (rc = run_ip(ip, e, "-n %s addr add 10.201.0.%d/24 dev psc0", cns, CLIENT_HOST)) != 0 ||
        (rc = run_ip(ip, e, "-n %s link set psc0 up", cns)) != 0 ||
        (rc = run_ip(ip, e, "-n %s link set lo up", cns)) != 0)
        return rc;
    for (uint32_t i = 0; i < servers; i++) {
        if (pending_stop())
            return err_set(e, PS_EINTR, "interrupted before the run began");
        /* the first address is primary; 'nodad': usable at once */
        if ((rc = run_ip(ip, e, "-n %s addr add 10.201.0.%u/24 dev pss0 nodad", sns,
                         SERVER_HOST0 + i)) != 0)
            return rc;
    }
    if ((rc = run_ip(ip, e, "-n %s link set pss0 up", sns)) != 0)
        return rc;
    return run_ip(ip, e, "-n %s link set lo up", sns);
}

/* Close every socket and file of 'k' (the namespaces stay). */
static void close_all(struct krun *k)
{
    for (size_t i = k->nc; i-- > 0;)
        close_client(k, i, true);
    for (size_t i = k->ns; i-- > 0;)
        close_server(k, i);
    for (uint32_t i = 0; i < k->nlisten; i++)
        close(k->listen_fd[i]);
    if (k->proc_client >= 0)
        close(k->proc_client);
    if (k->proc_server >= 0)
        close(k->proc_server);
}

int kernelrun_run(const struct scenario *sc, const struct cal_request *reqs, size_t nreqs,
                  struct cal_observed *o, char *settings, size_t settings_size,
                  struct err *e)
{
    struct sigaction old_int, old_term;
    sigset_t oldmask, waitmask;
    struct timespec w0, w1;
    char cns[64], sns[64];
    bool made_c = false, made_s = false;
    struct krun k;
    struct rlimit rl;
    const char *ip;
    int self_ns, rc;
    struct err e2;

    memset(o, 0, sizeof(*o));
    memset(&k, 0, sizeof(k));
    settings[0] = '\0';
    if ((rc = kernelrun_check(&ip, e)) != 0)
        return rc;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    k.sc = sc;
    k.reqs = reqs;
    k.nreqs = nreqs;
    k.o = o;
    k.proc_client = k.proc_server = -1;
    o->attempts = xcalloc(nreqs + 1, sizeof(*o->attempts));
    k.fifo = xcalloc(nreqs + 1, sizeof(*k.fifo));
    k.portref = xcalloc(65536, sizeof(*k.portref));
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    catch_stop_signals(&old_int, &old_term, &oldmask, &waitmask);

    snprintf(cns, sizeof(cns), "portsim-cal-%ld-c", (long)getpid());
    snprintf(sns, sizeof(sns), "portsim-cal-%ld-s", (long)getpid());
    self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self_ns < 0) {
        rc = err_set(e, PS_ERUN, "/proc/self/ns/net: %s", strerror(errno));
        goto out;
    }
    if ((rc = make_netns(ip, cns, sns, sc->p.workload.servers, &made_c, &made_s, e)) != 0)
        goto out;
    rc = run_inside(&k, cns, sns, &waitmask, settings, settings_size, e);

out:
    close_all(&k);
    if (self_ns >= 0) {
        if (setns(self_ns, CLONE_NEWNET) != 0 && rc == 0)
            rc = err_set(e, PS_ERUN, "setns back: %s", strerror(errno));
        close(self_ns);
    }
    /* deleting a namespace deletes the veth pair in it; errors here come
     * second to the first one */
    err_clear(&e2);
    if (made_s && run_ip(ip, &e2, "netns del %s", sns) != 0 && rc == 0)
        rc = err_set(e, PS_ERUN, "%s", e2.msg);
    if (made_c && run_ip(ip, &e2, "netns del %s", cns) != 0 && rc == 0)
        rc = err_set(e, PS_ERUN, "%s", e2.msg);
    if (rc == 0 && pending_stop())
        o->interrupted = true;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigprocmask(SIG_SETMASK, &oldmask, NULL);   /* a pending signal acts now */
    clock_gettime(CLOCK_MONOTONIC, &w1);
    o->wall_seconds = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    free(k.fifo);
    free(k.portref);
    free(k.c);
    free(k.s);
    free(k.text);
    return rc;
}
