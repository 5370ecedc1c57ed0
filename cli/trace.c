/* trace.c - the event stream in words (see trace.h).
 *
 * The workload and the stack report separately, so the trace keeps a little
 * context to tie them together: a MISS names the request and mailbox of the
 * connect() that follows (its SKIP, TAKEOVER, CONNECT or FAIL events), and a
 * SERVED, IDLE_CLOSE or EVICT names the mailbox of the CLOSE that follows.
 * Both orders are fixed by workload.c (notify before stack_connect and
 * before stack_close).  An arrival is not a record of its own: it is told
 * with the HIT or MISS that always follows it at once.
 *
 * Every record has the same fields in every format; empty ones are blank in
 * CSV and null in JSON.  Times are seconds with millisecond precision
 * (simtime_fmt_ms), written as JSON numbers as they are ("0.050").
 */
#include "cli/trace.h"

#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "models/names.h"
#include "models/profiles.h"
#include "sim/xalloc.h"
#include "sim/fmt.h"

#define TEXT_MAX 512
#define NONE UINT64_MAX
#define SKIP_SLOTS 64           /* skipped candidates remembered per connect() */

struct trace {
    FILE *f;
    enum trace_format fmt;
    const struct scenario *sc;
    const struct profile *pr;
    uint64_t limit;             /* 0: none */
    uint64_t records;
    bool stopped;               /* the limit stopped the run */
    simtime last;               /* time of the last record */
    struct sim *s;              /* from on_start; borrowed for the run */
    const struct stack *st;
    uint64_t arrived;           /* request of the last ARRIVE, told with HIT/MISS */
    uint64_t conn_req;          /* request of the connect() under way */
    uint64_t conn_mbox;
    uint64_t close_req;         /* request (or NONE) and mailbox of the next close */
    uint64_t close_mbox;
    struct trace_counts n;
    /* The blocking server of candidates skipped by the connect() under way,
     * by port % SKIP_SLOTS (a later port in the same slot wins): tells a
     * port reused from TIME_WAIT when the second pass hands it out. */
    uint32_t skip_port[SKIP_SLOTS];
    char skip_remote[SKIP_SLOTS][32];
};

/* One record; integer fields are NONE when empty. */
struct rec {
    const char *event;
    uint64_t request;
    uint64_t mailbox;
    uint64_t server;
    uint64_t port;
    simtime until;              /* SIMTIME_NEVER: empty */
    bool has_pool;
    uint32_t in_use;
    uint32_t time_wait;
    uint32_t nfree;
    const char *detail;
};

/* ---- Words ---- */

/* "10.0.0.1:143" for server 'i' (the stack's spelling). */
static const char *server_str(uint64_t i, char *buf, size_t size)
{
    uint64_t a = i + 1;

    snprintf(buf, size, "10.%u.%u.%u:143", (unsigned)((a >> 16) & 255u),
             (unsigned)((a >> 8) & 255u), (unsigned)(a & 255u));
    return buf;
}

/* The stack says "1028: TIME_WAIT to ..."; the port has its own field. */
static const char *strip_port(const char *why, uint32_t port)
{
    char head[16];
    size_t n;

    if (!why)
        return "";
    n = (size_t)snprintf(head, sizeof(head), "%u: ", port);
    return strncmp(why, head, n) == 0 ? why + n : why;
}

/* Ports of every pool in use, in TIME_WAIT only, and free, right now. */
static void pool_state(const struct trace *t, struct rec *r)
{
    const struct stack_params *p = &t->sc->p.stack;
    uint32_t pools = stack_pools(t->st);

    r->has_pool = true;
    r->in_use = r->time_wait = r->nfree = 0;
    for (uint32_t pool = 0; pool < pools; pool++) {
        for (uint32_t port = p->port_min; port <= p->port_max; port++) {
            switch (stack_port_state(t->st, pool, port)) {
            case 0: r->nfree++; break;
            case 1: r->in_use++; break;
            case 2: r->time_wait++; break;
            default: break;     /* reserved: not in the pool */
            }
        }
    }
}

/* ---- Writing ---- */

static void put_u(FILE *f, uint64_t v, bool json)
{
    if (v != NONE)
        fprintf(f, "%" PRIu64, v);
    else if (json)
        fputs("null", f);
}

static void put_time(FILE *f, simtime v, bool json)
{
    char b[32];

    if (v != SIMTIME_NEVER)
        fputs(simtime_fmt_ms(v, b, sizeof(b)), f);
    else if (json)
        fputs("null", f);
}

static void put_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_fields(struct trace *t, const struct rec *r)
{
    bool json = t->fmt == TRACE_JSON;
    const char *sep = json ? "," : ",";
    FILE *f = t->f;
    char tb[32];

    simtime_fmt_ms(sim_now(t->s), tb, sizeof(tb));
    if (json) {
        fprintf(f, "{\"t\":%s,\"event\":\"%s\",\"request\":", tb, r->event);
    } else {
        fprintf(f, "%s,%s,", tb, r->event);
    }
    put_u(f, r->request, json);
    fprintf(f, "%s%s", sep, json ? "\"mailbox\":" : "");
    put_u(f, r->mailbox, json);
    fprintf(f, "%s%s", sep, json ? "\"server\":" : "");
    if (r->server != NONE) {
        char sb[32];

        server_str(r->server, sb, sizeof(sb));
        if (json)
            put_json_str(f, sb);
        else
            fputs(sb, f);
    } else if (json) {
        fputs("null", f);
    }
    fprintf(f, "%s%s", sep, json ? "\"port\":" : "");
    put_u(f, r->port, json);
    fprintf(f, "%s%s", sep, json ? "\"until\":" : "");
    put_time(f, r->until, json);
    fprintf(f, "%s%s", sep, json ? "\"in_use\":" : "");
    put_u(f, r->has_pool ? r->in_use : NONE, json);
    fprintf(f, "%s%s", sep, json ? "\"time_wait\":" : "");
    put_u(f, r->has_pool ? r->time_wait : NONE, json);
    fprintf(f, "%s%s", sep, json ? "\"free\":" : "");
    put_u(f, r->has_pool ? r->nfree : NONE, json);
    fprintf(f, "%s%s", sep, json ? "\"detail\":" : "");
    if (json) {
        put_json_str(f, r->detail ? r->detail : "");
        fputs("}\n", f);
    } else {
        fmt_csv_field(f, r->detail ? r->detail : "");
        fputc('\n', f);
    }
}

/* Write record 'r' ('text': the sentence for people; 'indent': a skipped
 * candidate, told under its connect()), and stop the run at the limit. */
static void emit(struct trace *t, const struct rec *r, const char *text, bool indent)
{
    char tb[32];

    if (t->stopped)
        return;
    t->last = sim_now(t->s);
    if (t->fmt == TRACE_TEXT) {
        fprintf(t->f, "%9s  %s%s\n", simtime_fmt_ms(sim_now(t->s), tb, sizeof(tb)),
                indent ? "    " : "", text);
    } else {
        write_fields(t, r);
    }
    t->records++;
    if (t->limit && t->records >= t->limit) {
        t->stopped = true;
        sim_stop(t->s);
    }
}

static struct rec rec_of(const char *event)
{
    struct rec r = {event, NONE, NONE, NONE, NONE, SIMTIME_NEVER, false, 0, 0, 0, NULL};

    return r;
}

/* Skipped candidate 'port' was blocked by TIME_WAIT toward the server that
 * 'detail' names ("TIME_WAIT to 10.0.0.1:143 until ..."): remember it. */
static void remember_skip(struct trace *t, uint32_t port, const char *detail)
{
    const char *p = strstr(detail, "TIME_WAIT to ");
    size_t slot = port % SKIP_SLOTS, n;

    if (!p || t->sc->p.stack.reuse_time_wait == REUSE_NO)
        return;
    p += strlen("TIME_WAIT to ");
    n = strcspn(p, " ");
    if (n >= sizeof(t->skip_remote[0]))
        return;
    memcpy(t->skip_remote[slot], p, n);
    t->skip_remote[slot][n] = '\0';
    t->skip_port[slot] = port;
}

/* The server 'port' was in TIME_WAIT toward when skipped, or NULL. */
static const char *reused_from(const struct trace *t, uint32_t port)
{
    size_t slot = port % SKIP_SLOTS;

    return t->skip_port[slot] == port ? t->skip_remote[slot] : NULL;
}

/* ---- The workload's events ---- */

/* A cache hit: at arrival ('arrival'), or on a retry.  'detail' is room
 * for r->detail. */
static void on_hit(struct trace *t, const struct wl_event *ev, bool arrival, struct rec *r,
                   char *text, size_t size, char *detail, size_t dsize)
{
    t->n.hits++;
    r->event = "hit";
    if (arrival) {
        r->detail = "arrives: cache hit";
        snprintf(text, size, "request %" PRIu64 " (mailbox %u) arrives: cache "
                 "hit, joins the open connection", ev->request, ev->mailbox);
    } else {
        snprintf(detail, dsize, "retry %u: cache hit", ev->attempt);
        r->detail = detail;
        snprintf(text, size, "request %" PRIu64 " tries again (retry %u): mailbox "
                 "%u's connection is open now, no connect()", ev->request, ev->attempt,
                 ev->mailbox);
    }
}

/* A cache miss, a connect() to come: as on_hit(). */
static void on_miss(struct trace *t, const struct wl_event *ev, bool arrival, struct rec *r,
                    char *text, size_t size, char *detail, size_t dsize)
{
    char sb[32];

    server_str(ev->server, sb, sizeof(sb));
    t->n.misses++;
    memset(t->skip_port, 0, sizeof(t->skip_port));
    t->conn_req = ev->request;
    t->conn_mbox = ev->mailbox;
    r->event = "miss";
    if (arrival) {
        r->detail = "arrives: cache miss";
        snprintf(text, size, "request %" PRIu64 " (mailbox %u) arrives: cache "
                 "miss, connect() to %s", ev->request, ev->mailbox, sb);
    } else {
        snprintf(detail, dsize, "retry %u: cache miss", ev->attempt);
        r->detail = detail;
        snprintf(text, size, "request %" PRIu64 " tries again (retry %u): "
                 "connect() to %s", ev->request, ev->attempt, sb);
    }
}

static void on_wl(void *ctx, const struct wl_event *ev)
{
    struct trace *t = ctx;
    struct rec r = rec_of("");
    char text[TEXT_MAX], tb[32], detail[64];
    bool arrival = ev->kind != WL_EV_ARRIVE && t->arrived == ev->request;

    if (t->stopped && ev->kind != WL_EV_ARRIVE)
        return;
    r.request = ev->request ? ev->request : NONE;
    r.mailbox = ev->mailbox;
    r.server = ev->server;
    switch (ev->kind) {
    case WL_EV_ARRIVE:
        t->arrived = ev->request;
        t->n.arrivals++;
        return;
    case WL_EV_HIT:
        on_hit(t, ev, arrival, &r, text, sizeof(text), detail, sizeof(detail));
        break;
    case WL_EV_MISS:
        on_miss(t, ev, arrival, &r, text, sizeof(text), detail, sizeof(detail));
        break;
    case WL_EV_WAIT:
        r.event = "wait";
        r.detail = "connection_limit reached, none idle";
        snprintf(text, sizeof(text), "request %" PRIu64 " waits: connection_limit reached "
                 "and no idle connection to close", ev->request);
        break;
    case WL_EV_EVICT:
        t->close_req = NONE;
        t->close_mbox = ev->mailbox;
        r.event = "evict";
        r.request = NONE;
        r.detail = "connection_limit reached: least recently used idle connection closed";
        snprintf(text, sizeof(text), "mailbox %u's idle connection is closed to make room "
                 "(connection_limit)", ev->mailbox);
        break;
    case WL_EV_RETRY_LATER:
        r.event = "retry_later";
        r.until = ev->until;
        r.detail = "connect() failed: retry after the backoff";
        snprintf(text, sizeof(text), "request %" PRIu64 " will try again at t = %s s",
                 ev->request, simtime_fmt_ms(ev->until, tb, sizeof(tb)));
        break;
    case WL_EV_GIVE_UP:
        r.event = "give_up";
        r.detail = "connect() failed: no retry left";
        snprintf(text, sizeof(text), "request %" PRIu64 " fails (%s)", ev->request,
                 ev->attempt ? "no retry left" : "no retries");
        break;
    case WL_EV_SERVED:
        t->close_req = ev->request;
        t->close_mbox = ev->mailbox;
        r.event = "served";
        r.detail = "request finished";
        snprintf(text, sizeof(text), "request %" PRIu64 " served", ev->request);
        break;
    case WL_EV_POOL_FULL:
        t->close_req = NONE;
        t->close_mbox = ev->mailbox;
        r.event = "pool_full";
        r.request = NONE;
        r.detail = "returned to a pool already holding pool_size idle connections";
        snprintf(text, sizeof(text), "mailbox %u's pool already holds pool_size idle "
                 "connections: the returned one is closed", ev->mailbox);
        break;
    default:
        t->close_req = NONE;
        t->close_mbox = ev->mailbox;
        r.event = "idle_close";
        r.request = NONE;
        r.detail = "idle for cache_ttl";
        snprintf(text, sizeof(text), "mailbox %u's connection has been idle for cache_ttl: "
                 "the client closes it", ev->mailbox);
        break;
    }
    emit(t, &r, text, false);
}

/* ---- The stack's events ---- */

/* After a client entry ended: what is left on its port. */
static const char *port_after(const struct trace *t, const struct stack_conn *c)
{
    switch (stack_port_state(t->st, c->laddr, c->port)) {
    case 0: return "the port is free";
    case 1: return "the port is still in use";
    default: return "the port is still in TIME_WAIT toward another server";
    }
}

static void on_close(struct trace *t, const struct stack_event *ev, struct rec *r, char *text,
                     size_t size)
{
    char sb[32], tb[32];

    t->n.closes++;
    r->event = "close";
    r->request = t->close_req;
    r->mailbox = t->close_mbox;
    r->until = ev->tw_until;
    server_str(ev->conn.remote, sb, sizeof(sb));
    if (ev->tw_until == SIMTIME_NEVER) {
        r->detail = "no TIME_WAIT: port free at once";
        snprintf(text, size, "port %u closed without TIME_WAIT (%s): the port is free",
                 ev->conn.port, t->sc->p.workload.close == CLOSE_ABORT
                     ? "reset" : t->sc->p.stack.time_wait_ns == 0 ? "time_wait = 0"
                     : "max_time_wait reached");
    } else if (ev->server_side) {
        r->detail = "server closed first: the server keeps TIME_WAIT, the client port is free";
        snprintf(text, size, "port %u closed by the server first: %s keeps TIME_WAIT until "
                 "t = %s s; port %u is free at once", ev->conn.port, sb,
                 simtime_fmt_ms(ev->tw_until, tb, sizeof(tb)), ev->conn.port);
    } else {
        r->detail = "client closed first: the client keeps TIME_WAIT";
        snprintf(text, size, "port %u closed by the client first: TIME_WAIT to %s until t = "
                 "%s s", ev->conn.port, sb, simtime_fmt_ms(ev->tw_until, tb, sizeof(tb)));
    }
    t->close_req = t->close_mbox = NONE;
}

/* connect() failed: no port left, or a collision. */
static void on_fail(struct trace *t, const struct stack_event *ev, struct rec *r, char *text,
                    size_t size, char *detail, size_t dsize)
{
    char sb[32], words[96];

    server_str(ev->conn.remote, sb, sizeof(sb));
    t->n.failures++;
    r->event = "fail";
    r->request = t->conn_req;
    r->mailbox = t->conn_mbox;
    pool_state(t, r);
    profile_error_words(t->pr, ev->result == STACK_FAIL_COLLISION, words, sizeof(words));
    if (ev->result == STACK_FAIL_COLLISION) {
        snprintf(detail, dsize, "%s: port %u has TIME_WAIT to %s (collision)",
                 words, ev->conn.port, sb);
        snprintf(text, size, "request %" PRIu64 ": connect() FAILS, %s: port %u "
                 "is reused, but its TIME_WAIT is toward %s too (%u in use, %u in "
                 "TIME_WAIT, %u free)", t->conn_req, words, ev->conn.port, sb, r->in_use,
                 r->time_wait, r->nfree);
    } else {
        snprintf(detail, dsize, "%s: no port left for %s", words, sb);
        snprintf(text, size, "request %" PRIu64 ": connect() FAILS, %s: no port "
                 "left for %s (%u in use, %u in TIME_WAIT, %u free)", t->conn_req, words, sb,
                 r->in_use, r->time_wait, r->nfree);
    }
    r->detail = detail;
}

/* A TIME_WAIT ended, the client's or the server's. */
static void on_expire(struct trace *t, const struct stack_event *ev, struct rec *r, char *text,
                      size_t size, char *detail, size_t dsize)
{
    char sb[32];

    server_str(ev->conn.remote, sb, sizeof(sb));
    t->n.expiries++;
    r->event = "tw_expire";
    if (ev->server_side) {
        r->detail = "the server's TIME_WAIT ended";
        snprintf(text, size, "%s ends its TIME_WAIT for port %u", sb,
                 ev->conn.port);
    } else {
        snprintf(detail, dsize, "TIME_WAIT ended: %s", port_after(t, &ev->conn));
        r->detail = detail;
        snprintf(text, size, "port %u: TIME_WAIT to %s ends; %s", ev->conn.port, sb,
                 port_after(t, &ev->conn));
    }
}

/* A new connection took a port out of TIME_WAIT early. */
static void on_takeover(struct trace *t, const struct stack_event *ev, struct rec *r, char *text,
                        size_t size)
{
    char sb[32], tb[32];

    server_str(ev->conn.remote, sb, sizeof(sb));
    t->n.takeovers++;
    r->event = "takeover";
    r->request = t->conn_req;
    r->mailbox = t->conn_mbox;
    r->until = ev->tw_until;
    simtime_fmt_ms(ev->tw_until, tb, sizeof(tb));
    if (ev->server_side) {
        r->detail = "the new SYN ends the server's TIME_WAIT";
        snprintf(text, size, "port %u: the new SYN ends %s's TIME_WAIT early (it "
                 "would have lasted until t = %s s)", ev->conn.port, sb, tb);
    } else {
        r->detail = "the client's TIME_WAIT is taken over";
        snprintf(text, size, "port %u: the new connection takes over the client's "
                 "TIME_WAIT to %s (it would have lasted until t = %s s)", ev->conn.port, sb,
                 tb);
    }
}

/* Issue 17: "; examined 14,208 candidates: 1.9 ms" after a connect() that
 * walked past at least one candidate (the time only with a cost model). */
static void append_cost(const struct trace *t, char *text, size_t size)
{
    const struct stack_counters *c = stack_counters(t->st);
    const struct stack_params *k = &t->sc->p.stack;
    size_t used = strlen(text);
    char n[32];

    if (c->last_candidates <= 1 || used >= size)
        return;
    fmt_count(c->last_candidates, n, sizeof(n));
    if (k->connect_cost_ns || k->candidate_cost_ns || k->lookup_cost_ns)
        snprintf(text + used, size - used, "; examined %s candidates: %.1f %s", n,
                 c->last_cost_ns >= 1000000 ? (double)c->last_cost_ns / 1e6
                                            : (double)c->last_cost_ns / 1e3,
                 c->last_cost_ns >= 1000000 ? "ms" : "us");
    else
        snprintf(text + used, size - used, "; examined %s candidates", n);
}

/* Issue 17: a socket leaked, or a restart closed a leaked one. */
static void on_leak(const struct stack_event *ev, struct rec *r, char *text, size_t size)
{
    r->detail = ev->why;
    if (ev->kind == STACK_EV_LEAK) {
        r->event = "leak";
        snprintf(text, size, "port %u: the connection is gone but its socket is never closed: "
                 "BOUND", ev->conn.port);
    } else {
        r->event = "release";
        snprintf(text, size, "port %u: the process restarts: its leaked socket is closed, the "
                 "port is free", ev->conn.port);
    }
}

static void on_stack(void *ctx, const struct stack_event *ev)
{
    struct trace *t = ctx;
    struct rec r = rec_of("");
    char text[TEXT_MAX], detail[TEXT_MAX];
    bool indent = false;

    if (t->stopped)
        return;
    r.server = ev->conn.remote;
    r.port = ev->conn.port ? ev->conn.port : NONE;
    switch (ev->kind) {
    case STACK_EV_SKIP:
        t->n.skips++;
        r.event = "skip";
        r.request = t->conn_req;
        r.mailbox = t->conn_mbox;
        r.until = ev->tw_until;
        r.detail = strip_port(ev->why, ev->conn.port);
        remember_skip(t, ev->conn.port, r.detail);
        snprintf(text, sizeof(text), "skip %u: %s", ev->conn.port, r.detail);
        indent = true;
        break;
    case STACK_EV_CONNECT:
        t->n.connects++;
        r.event = "connect";
        r.request = t->conn_req;
        r.mailbox = t->conn_mbox;
        r.detail = ev->why ? ev->why : "";
        if (reused_from(t, ev->conn.port)) {
            snprintf(text, sizeof(text), "request %" PRIu64 " gets port %u: %s; reused from "
                     "TIME_WAIT to %s, another server", t->conn_req, ev->conn.port, r.detail,
                     reused_from(t, ev->conn.port));
        } else {
            snprintf(text, sizeof(text), "request %" PRIu64 " gets port %u: %s", t->conn_req,
                     ev->conn.port, r.detail);
        }
        break;
    case STACK_EV_FAIL:
        on_fail(t, ev, &r, text, sizeof(text), detail, sizeof(detail));
        break;
    case STACK_EV_CLOSE:
        on_close(t, ev, &r, text, sizeof(text));
        if (ev->why) {          /* issue 17: the clock has wrapped */
            size_t used = strlen(text);

            snprintf(text + used, sizeof(text) - used, "; %s", ev->why);
            r.detail = ev->why;
        }
        break;
    case STACK_EV_LEAK:
    case STACK_EV_RELEASE:
        on_leak(ev, &r, text, sizeof(text));
        break;
    case STACK_EV_TW_EXPIRE:
        on_expire(t, ev, &r, text, sizeof(text), detail, sizeof(detail));
        break;
    case STACK_EV_TAKEOVER:
        on_takeover(t, ev, &r, text, sizeof(text));
        indent = true;
        break;
    default:    /* issue 11: the overflow in the profile's words, e.g. TCPTimeWaitOverflow */
        r.event = "overflow";
        r.until = ev->tw_until;
        r.detail = ev->why ? ev->why : "max_time_wait reached";
        snprintf(text, sizeof(text), "port %u: %s (max_time_wait %u%s%s)", ev->conn.port,
                 r.detail, t->sc->p.stack.max_time_wait, t->pr->overflow_words ? ", " : "",
                 t->pr->overflow_words ? t->pr->overflow_words : "");
        break;
    }
    if (ev->kind == STACK_EV_CONNECT || ev->kind == STACK_EV_FAIL)
        append_cost(t, text, sizeof(text));
    emit(t, &r, text, indent);
}

static void on_start(void *ctx, struct sim *s, const struct stack *st)
{
    struct trace *t = ctx;

    t->s = s;
    t->st = st;
}

/* ---- Public ---- */

struct trace *trace_new(FILE *f, enum trace_format fmt, const struct scenario *sc,
                        uint64_t limit)
{
    struct trace *t = xcalloc(1, sizeof(*t));

    t->f = f;
    t->fmt = fmt;
    t->sc = sc;
    t->pr = profile_get(sc->p.stack.profile);
    t->limit = limit;
    t->conn_req = t->conn_mbox = NONE;
    t->close_req = t->close_mbox = NONE;
    return t;
}

void trace_free(struct trace *t)
{
    free(t);
}

void trace_attach(struct trace *t, struct run_options *opt)
{
    opt->stack_obs = on_stack;
    opt->wl_obs = on_wl;
    opt->on_start = on_start;
    opt->obs_ctx = t;
    opt->detail = 1;
}

void trace_begin(struct trace *t, uint64_t seed, simtime until)
{
    const struct scenario_params *p = &t->sc->p;
    const struct stack_params *k = &p->stack;
    char a[32];

    if (t->fmt == TRACE_CSV) {
        fputs("t,event,request,mailbox,server,port,until,in_use,time_wait,free,detail\n", t->f);
        return;
    }
    if (t->fmt != TRACE_TEXT)
        return;
    fprintf(t->f, "# portsim trace of '%s', seed %" PRIu64 ", from t = 0 to %s s%s\n",
            p->run.name, seed, simtime_fmt_ms(until, a, sizeof(a)),
            until < p->run.duration_ns ? " (--until)" : "");
    fprintf(t->f, "# stack: %s; ports %u-%u; TIME_WAIT %g s; allocator %s; sharing %s\n",
            t->pr->name, k->port_min, k->port_max, simtime_to_s(k->time_wait_ns),
            names_of(&names_allocator, k->allocator), names_of(&names_sharing, k->port_sharing));
    fprintf(t->f, "#   reuse_time_wait %s; collision %s\n",
            names_of(&names_reuse, k->reuse_time_wait), names_of(&names_collision, k->collision));
    fprintf(t->f, "# workload: %s arrivals, %g/s; %u mailboxes on %u server(s); cache_ttl %g s\n",
            names_of(&names_arrivals, p->workload.arrivals), p->workload.rate_per_s,
            p->workload.mailboxes, p->workload.servers, simtime_to_s(p->workload.cache_ttl_ns));
    fprintf(t->f, "#   service %g s; %s closes first\n", simtime_to_s(p->workload.service_time_ns),
            p->workload.close == CLOSE_SERVER ? "the server"
                : p->workload.close == CLOSE_ABORT ? "nobody (reset)" : "the client");
    fprintf(t->f, "#\n#    t (s)  what happens\n");
}

void trace_end(struct trace *t, const struct run_output *out)
{
    const struct trace_counts *n = &t->n;
    char a[32];

    (void)out;
    if (t->fmt != TRACE_TEXT)
        return;
    if (t->stopped)
        fprintf(t->f, "# stopped after %" PRIu64 " lines (--limit) at t = %s s\n", t->records,
                simtime_fmt_ms(t->last, a, sizeof(a)));
    fprintf(t->f, "# %" PRIu64 " requests, %" PRIu64 " cache hits, %" PRIu64
            " connect() calls: %" PRIu64 " connected, %" PRIu64 " failed; %" PRIu64
            " closes, %" PRIu64 " TIME_WAIT expiries\n",
            n->arrivals, n->hits, n->connects + n->failures, n->connects, n->failures,
            n->closes, n->expiries);
}

uint64_t trace_records(const struct trace *t)
{
    return t->records;
}

const struct trace_counts *trace_counts(const struct trace *t)
{
    return &t->n;
}
