/* test_scenario.c - the scenario reader: defaults, profiles, overrides,
 * canonical JSON and hash, traces, and a table of bad inputs with the
 * words their messages must contain. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "models/profiles.h"
#include "models/scenario.h"
#include "sim/xalloc.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define S(x) ((simtime)(x) * SIMTIME_NS_PER_S)

/* Load 'text' written as 'dir'/'name' with 'nsets' overrides; 0 or the code. */
static int load_text(struct scenario *sc, const char *dir, const char *name, const char *text,
                     const char *const *sets, size_t nsets, struct err *e)
{
    char *path = testutil_write(dir, name, text);
    int rc;

    err_clear(e);
    rc = scenario_load(sc, path, sets, nsets, e);
    free(path);
    return rc;
}

/* ---- core ---- */

START_TEST(test_defaults)
{
    struct scenario sc;
    struct err e;
    const struct stack_params *w2k = &profile_get(PROFILE_WIN2000)->defaults;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, NULL, NULL, 0, &e), 0);
    ck_assert_str_eq(sc.p.run.name, "scenario");
    ck_assert_uint_eq(sc.p.run.duration_ns, S(3600));
    ck_assert_uint_eq(sc.p.run.seed, 1);
    ck_assert_uint_eq(sc.p.run.replications, 1);
    ck_assert_uint_eq(sc.p.run.sample_interval_ns, S(1));
    ck_assert_str_eq(sc.p.run.rng, "mt19937");
    ck_assert_int_eq(sc.p.stack.profile, PROFILE_WIN2000);
    ck_assert_uint_eq(sc.p.stack.port_min, w2k->port_min);
    ck_assert_uint_eq(sc.p.stack.port_max, w2k->port_max);
    ck_assert_uint_eq(sc.p.stack.time_wait_ns, w2k->time_wait_ns);
    ck_assert_int_eq(sc.p.workload.arrivals, ARRIVALS_POISSON);
    ck_assert_double_eq(sc.p.workload.rate_per_s, 10);
    ck_assert_uint_eq(sc.p.workload.service_time_ns, 50000000);
    ck_assert_uint_eq(sc.p.workload.mailboxes, 1000);
    ck_assert_uint_eq(strlen(sc.hash), 32);
    ck_assert_ptr_null(strstr(sc.json, "seed"));
    ck_assert_ptr_null(strstr(sc.json, "replications"));
    ck_assert_ptr_nonnull(strstr(sc.json, "\"profile\":\"win2000\""));
    ck_assert_ptr_nonnull(strstr(sc.json, "\"reserved_ports\":[]"));
    scenario_fini(&sc);
}
END_TEST

/* Every default of the key table, and the canonical JSON of the defaults
 * byte for byte: doubles in their shortest form (0.5, 10), durations in
 * exact seconds (0.05 for 50 ms, 3600), enums by name, keys sorted. */
START_TEST(test_defaults_json)
{
    struct scenario sc;
    struct err e;
    static const char want[] =
        "{\"run\":{\"duration\":3600,\"name\":\"scenario\",\"rng\":\"mt19937\","
        "\"sample_interval\":1,\"warmup\":0},"
        "\"stack\":{\"allocator\":\"sequential\",\"candidate_cost\":0,\"clock_wrap\":0,"
        "\"clock_wrap_fix\":\"no\",\"collision\":\"fail\",\"connect_cost\":0,\"hz\":0,"
        "\"local_addresses\":1,\"lookup_cost\":0,\"max_time_wait\":0,\"memory\":\"8GiB\","
        "\"pool\":\"host\","
        "\"port_max\":5000,"
        "\"port_min\":1025,\"port_sharing\":\"exclusive\",\"profile\":\"win2000\","
        "\"random_fallback_cps\":0,\"random_fallback_time\":45,\"reserved_ports\":[],"
        "\"reuse_time_wait\":\"no\",\"time_wait\":240,\"timer_tick\":0,"
        "\"tw_overflow\":\"drop-new\",\"tw_reuse_delay\":1,\"uptime\":0},"
        "\"workload\":{\"amplitude\":0.5,\"arrivals\":\"poisson\",\"balance\":\"by-mailbox\","
        "\"bind\":\"none\",\"cache_ttl\":0,"
        "\"close\":\"client\",\"connection_limit\":0,\"leak\":0,\"mailboxes\":1000,"
        "\"period\":86400,\"popularity\":\"uniform\",\"rate\":10,\"restart_interval\":0,"
        "\"retries\":0,\"retry_backoff\":1,"
        "\"servers\":1,\"service_dist\":\"constant\",\"service_sigma\":0.5,"
        "\"service_time\":0.05,\"trace_file\":\"\",\"zipf_s\":1}}";

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, NULL, NULL, 0, &e), 0);
    ck_assert_uint_eq(sc.p.run.warmup_ns, 0);
    ck_assert_double_eq(sc.p.workload.amplitude, 0.5);
    ck_assert_uint_eq(sc.p.workload.period_ns, S(86400));
    ck_assert_int_eq(sc.p.workload.popularity, POPULARITY_UNIFORM);
    ck_assert_double_eq(sc.p.workload.zipf_s, 1);
    ck_assert_int_eq(sc.p.workload.service_dist, SERVICE_CONSTANT);
    ck_assert_double_eq(sc.p.workload.service_sigma, 0.5);
    ck_assert_uint_eq(sc.p.workload.servers, 1);
    ck_assert_int_eq(sc.p.workload.close, CLOSE_CLIENT);
    ck_assert_uint_eq(sc.p.workload.retry_backoff_ns, S(1));
    ck_assert_uint_eq(sc.set_mask[0] | sc.set_mask[1], 0);  /* defaults are not "set" */
    ck_assert_str_eq(sc.json, want);
    scenario_fini(&sc);
}
END_TEST

/* The number rules of sim/numparse.h hold for keys: no hex, no '+', no inf. */
START_TEST(test_number_rules)
{
    struct scenario sc;
    struct err e;
    static const char *const bad[] = {
        "workload.rate=0x10", "workload.rate=+5", "workload.rate=inf", "workload.rate=1e400",
        "workload.mailboxes=0x10", "workload.mailboxes=1e3", "run.duration=0x10",
        "run.seed=18446744073709551616",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        ck_assert_msg(scenario_load(&sc, NULL, &bad[i], 1, &e) == PS_EINVAL, "%s", bad[i]);
        ck_assert_msg(strstr(e.msg, "must be") && strstr(e.msg, "(got '"), "%s", e.msg);
    }
    {
        const char *ok[] = {"run.seed=0", "workload.mailboxes=1000000000"};

        err_clear(&e);
        ck_assert_msg(scenario_load(&sc, NULL, ok, 2, &e) == 0, "%s", e.msg);
        ck_assert_uint_eq(sc.p.run.seed, 0);
        ck_assert_uint_eq(sc.p.workload.mailboxes, 1000000000);
        scenario_fini(&sc);
    }
}
END_TEST

/* A base scenario: its keys first, the including file's after; nesting;
 * a cycle and a late 'base' refused with FILE:LINE. */
START_TEST(test_base)
{
    char *dir = testutil_tmpdir();
    struct scenario sc;
    struct err e;

    free(testutil_write(dir, "root.ini", "[workload]\nrate = 99\nmailboxes = 5\n"));
    free(testutil_write(dir, "mid.ini", "[run]\nbase = root.ini\n[workload]\nrate = 7\n"));
    ck_assert_msg(load_text(&sc, dir, "top.ini", "[run]\nbase = mid.ini\n[stack]\n"
                            "time_wait = 30\n", NULL, 0, &e) == 0, "%s", e.msg);
    /* rate: root 99, then mid 7; mailboxes from root; time_wait from top */
    ck_assert_double_eq(sc.p.workload.rate_per_s, 7.0);
    ck_assert_uint_eq(sc.p.workload.mailboxes, 5);
    ck_assert_uint_eq(sc.p.stack.time_wait_ns, S(30));
    ck_assert_str_eq(sc.p.run.name, "top");
    ck_assert(strstr(sc.json, "base") == NULL);      /* not a parameter */
    scenario_fini(&sc);

    free(testutil_write(dir, "x.ini", "[run]\nbase = y.ini\n"));
    free(testutil_write(dir, "y.ini", "[run]\nbase = x.ini\n"));
    ck_assert_int_eq(load_text(&sc, dir, "z.ini", "[run]\nbase = x.ini\n", NULL, 0, &e),
                     PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "y.ini:2: 'run.base' must not make a cycle") &&
                  strstr(e.msg, "x.ini -> ") && strstr(e.msg, "y.ini -> "), "%s", e.msg);
    ck_assert_int_eq(load_text(&sc, dir, "late.ini", "[run]\nname = l\nbase = root.ini\n",
                               NULL, 0, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "late.ini:3: 'run.base' must be the first key") != NULL, "%s",
                  e.msg);
    testutil_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(test_profile_and_override_order)
{
    const char *before = "[stack]\ntime_wait = 30\nprofile = linux\n";
    const char *after = "[stack]\nprofile = linux\ntime_wait = 30\n";
    struct scenario a, b;
    struct err e;
    char *dir = testutil_tmpdir();
    const struct stack_params *lx = &profile_get(PROFILE_LINUX)->defaults;

    ck_assert_int_eq(load_text(&a, dir, "a.ini", before, NULL, 0, &e), 0);
    ck_assert_int_eq(load_text(&b, dir, "b.ini", after, NULL, 0, &e), 0);
    ck_assert_uint_eq(a.p.stack.time_wait_ns, S(30));
    ck_assert_uint_eq(b.p.stack.time_wait_ns, S(30));
    ck_assert_uint_eq(a.p.stack.port_min, lx->port_min);
    ck_assert_int_eq(a.p.stack.allocator, ALLOC_DOUBLE_HASH);
    ck_assert_uint_eq(a.p.stack.timer_tick_ns, lx->timer_tick_ns);
    ck_assert_str_eq(a.p.run.name, "a");
    ck_assert_str_eq(b.p.run.name, "b");
    ck_assert(scenario_key_is_set(&a, "stack.time_wait"));
    ck_assert(!scenario_key_is_set(&a, "stack.port_min"));
    /* the names differ, so the JSON differs only there */
    scenario_fini(&a);
    scenario_fini(&b);
    
    free(dir);
}
END_TEST

START_TEST(test_set_overrides_file)
{
    const char *text = "[run]\nname = kb\nduration = 2min\n[stack]\nport_max = 4000\n"
                       "[workload]\nrate = 40\ncache_ttl = 1\nservice_time = 20ms\n";
    const char *sets[] = {"stack.port_max=4500", "workload.rate = 12.5"};
    struct scenario sc;
    struct err e;
    char *dir = testutil_tmpdir();

    ck_assert_msg(load_text(&sc, dir, "kb.ini", text, sets, 2, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(sc.p.run.name, "kb");
    ck_assert_uint_eq(sc.p.run.duration_ns, S(120));
    ck_assert_uint_eq(sc.p.stack.port_min, 1025);
    ck_assert_uint_eq(sc.p.stack.port_max, 4500);
    ck_assert_double_eq(sc.p.workload.rate_per_s, 12.5);
    ck_assert_uint_eq(sc.p.workload.cache_ttl_ns, S(1));
    ck_assert_uint_eq(sc.p.workload.service_time_ns, 20000000);
    scenario_fini(&sc);
    
    free(dir);
}
END_TEST

START_TEST(test_set_values)
{
    const char *sets[] = {"stack.profile=win7", "stack.port_min=2000", "stack.port_max=4500",
                          "workload.rate = 12.5", "workload.service_time=20ms",
                          "workload.cache_ttl=1.5min",
                          "stack.reserved_ports=1080, 3000-3100,3050-3200 ,1081"};
    struct scenario sc;
    struct err e;
    char buf[128];

    err_clear(&e);
    ck_assert_msg(scenario_load(&sc, NULL, sets, 7, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(sc.p.stack.profile, PROFILE_WIN7);
    ck_assert_uint_eq(sc.p.stack.port_min, 2000);
    ck_assert_uint_eq(sc.p.stack.port_max, 4500);
    ck_assert_uint_eq(sc.p.stack.time_wait_ns, S(120));     /* from win7 */
    ck_assert_double_eq(sc.p.workload.rate_per_s, 12.5);
    ck_assert_uint_eq(sc.p.workload.service_time_ns, 20000000);
    ck_assert_uint_eq(sc.p.workload.cache_ttl_ns, S(90));
    ck_assert_uint_eq(sc.p.stack.nreserved, 2);              /* sorted and merged */
    ck_assert_uint_eq(sc.p.stack.reserved[0].lo, 1080);
    ck_assert_uint_eq(sc.p.stack.reserved[0].hi, 1081);
    ck_assert_uint_eq(sc.p.stack.reserved[1].lo, 3000);
    ck_assert_uint_eq(sc.p.stack.reserved[1].hi, 3200);
    ck_assert_ptr_nonnull(strstr(sc.json, "\"reserved_ports\":[\"1080-1081\",\"3000-3200\"]"));
    ck_assert_int_eq(scenario_key_format(&sc, "stack.reserved_ports", buf, sizeof(buf), &e), 0);
    ck_assert_str_eq(buf, "1080-1081, 3000-3200");
    ck_assert_int_eq(scenario_key_format(&sc, "workload.service_time", buf, sizeof(buf), &e),
                     0);
    ck_assert_str_eq(buf, "0.02");
    ck_assert_int_eq(scenario_key_format(&sc, "stack.allocator", buf, sizeof(buf), &e), 0);
    ck_assert_str_eq(buf, "sequential");
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_canonical_json_stable)
{
    const char *one = "[run]\nname = x\nduration = 600\n[stack]\nprofile = win2003\n"
                      "time_wait = 120\n[workload]\nrate = 40\ncache_ttl = 1\n";
    const char *two = "; the same, in another order, with comments\n"
                      "# comment\n[workload]\n  cache_ttl = 1000ms ; ttl\nrate=40.0\n"
                      "[stack]\ntime_wait = 2min   # two minutes\nprofile = win2003\n"
                      "\n[run]\nduration = 10min\nname = x\nseed = 99\n";
    struct scenario a, b;
    struct err e;
    char *dir = testutil_tmpdir();

    ck_assert_int_eq(load_text(&a, dir, "one.ini", one, NULL, 0, &e), 0);
    ck_assert_msg(load_text(&b, dir, "two.ini", two, NULL, 0, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(a.json, b.json);
    ck_assert_str_eq(a.hash, b.hash);
    ck_assert_uint_eq(b.p.run.seed, 99);
    scenario_fini(&a);
    scenario_fini(&b);
    
    free(dir);
}
END_TEST

/* Every key changed from its default changes the hash, except seed and
 * replications. */
static const char *const changes[] = {
    "run.name=other", "run.duration=3599", "run.warmup=1", "run.sample_interval=2",
    "run.rng=taus2", "stack.profile=win2003", "stack.port_min=1026", "stack.port_max=4999",
    "stack.time_wait=239", "stack.allocator=random", "stack.port_sharing=per-destination",
    "stack.pool=per-address", "stack.reuse_time_wait=any", "stack.tw_reuse_delay=2",
    "stack.collision=skip", "stack.max_time_wait=5", "stack.tw_overflow=recycle-oldest",
    "stack.reserved_ports=1080", "stack.local_addresses=2", "stack.timer_tick=1",
    "stack.random_fallback_cps=10", "stack.random_fallback_time=44",
    "workload.arrivals=constant", "workload.rate=10.000000000000002", "workload.amplitude=0.4",
    "workload.period=1d1", "workload.trace_file=x.csv", "workload.mailboxes=999",
    "workload.popularity=zipf", "workload.zipf_s=1.5", "workload.cache_ttl=1ns",
    "workload.connection_limit=3", "workload.service_time=51ms",
    "workload.service_dist=exponential", "workload.service_sigma=0.6", "workload.servers=2",
    "workload.close=server", "workload.retries=1", "workload.retry_backoff=2",
};

START_TEST(test_hash_changes)
{
    struct scenario base, other;
    struct err e;
    const char *set = changes[_i];
    int rc;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&base, NULL, NULL, 0, &e), 0);
    if (strcmp(set, "workload.period=1d1") == 0)
        set = "workload.period=86401";
    rc = scenario_load(&other, NULL, &set, 1, &e);
    ck_assert_msg(rc == 0, "%s: %s", set, e.msg);
    ck_assert_msg(strcmp(base.hash, other.hash) != 0, "%s left the hash alone", set);
    scenario_fini(&base);
    scenario_fini(&other);
}
END_TEST

START_TEST(test_hash_ignores_seed)
{
    const char *sets[] = {"run.seed=12345", "run.replications=30"};
    struct scenario a, b, c;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&a, NULL, NULL, 0, &e), 0);
    ck_assert_int_eq(scenario_load(&b, NULL, sets, 2, &e), 0);
    ck_assert_str_eq(a.hash, b.hash);
    /* refresh after a direct change; copy is deep */
    scenario_copy(&c, &a);
    c.p.workload.rate_per_s = 11;
    ck_assert_int_eq(scenario_refresh(&c, &e), 0);
    ck_assert_str_ne(a.hash, c.hash);
    c.p.workload.rate_per_s = -1;
    ck_assert_int_eq(scenario_refresh(&c, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "'workload.rate'"));
    scenario_fini(&a);
    scenario_fini(&b);
    scenario_fini(&c);
}
END_TEST

START_TEST(test_set_key_api)
{
    struct scenario sc;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, NULL, NULL, 0, &e), 0);
    ck_assert_int_eq(scenario_set_key(&sc, "sweep.ini:3", "stack.time_wait", "30", &e), 0);
    ck_assert_int_eq(scenario_set_key(&sc, "sweep.ini:4", "stack.profile", "linux", &e), 0);
    ck_assert_int_eq(scenario_refresh(&sc, &e), 0);
    ck_assert_uint_eq(sc.p.stack.time_wait_ns, S(30));
    ck_assert_uint_eq(sc.p.stack.port_min, 32768);
    ck_assert_int_eq(scenario_set_key(&sc, "sweep.ini:5", "stack.time_wait", "x", &e),
                     PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "sweep.ini:5: 'stack.time_wait' must be 0..86400 s"));
    scenario_fini(&sc);
}
END_TEST

START_TEST(test_trace)
{
    const char *ini = "[workload]\narrivals = trace\ntrace_file = t.csv\n";
    struct scenario sc;
    struct err e;
    char *dir = testutil_tmpdir();
    char *t = testutil_write(dir, "t.csv", "time,who\n# comment\n0,a\n0.5,b\n\n0.5\n2.25,c\n");

    ck_assert_msg(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(sc.ntrace, 4);
    ck_assert_uint_eq(sc.trace[0], 0);
    ck_assert_uint_eq(sc.trace[1], 500000000);
    ck_assert_uint_eq(sc.trace[2], 500000000);
    ck_assert_uint_eq(sc.trace[3], 2250000000u);
    scenario_fini(&sc);
    free(t);

    t = testutil_write(dir, "t.csv", "time\n1\n0.5\n");
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "t.csv:3:"));
    ck_assert_ptr_nonnull(strstr(e.msg, "not decrease"));
    free(t);
    t = testutil_write(dir, "t.csv", "1\nabc\n");
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "t.csv:2:"));
    ck_assert_ptr_nonnull(strstr(e.msg, "'abc'"));
    free(t);
    t = testutil_write(dir, "t.csv", "1\n-2\n");
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "t.csv:2:"));
    free(t);
    t = testutil_write(dir, "t.csv", "# nothing\n");
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_ptr_nonnull(strstr(e.msg, "no arrival times"));
    free(t);
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini",
                               "[workload]\narrivals = trace\ntrace_file = missing.csv\n", NULL,
                               0, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "missing.csv: No such file or directory"));
    
    free(dir);
}
END_TEST


/* A trace file is bounded and read line by line: /dev/zero and a CR-only
 * file are refused at once with their place; CRLF is read. */
START_TEST(test_trace_bounded)
{
    const char *sets[2] = { "workload.arrivals=trace", "workload.trace_file=/dev/zero" };
    const char *ini = "[workload]\narrivals = trace\ntrace_file = t.csv\n";
    struct scenario sc;
    struct err e;
    char *dir = testutil_tmpdir(), *t, *big = malloc(5000);

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, NULL, sets, 2, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "/dev/zero:1: not a text file") != NULL, "%s", e.msg);
    t = testutil_write(dir, "t.csv", "0\r1\r2\r");
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "t.csv:1: a carriage return inside the line") != NULL, "%s",
                  e.msg);
    free(t);
    memset(big, '1', 4999);
    big[4999] = '\0';
    t = testutil_write(dir, "t.csv", big);
    ck_assert_int_eq(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "t.csv:1: line longer than 4096 characters") != NULL, "%s",
                  e.msg);
    free(t);
    t = testutil_write(dir, "t.csv", "time\r\n0.5\r\n1\r\n");
    ck_assert_msg(load_text(&sc, dir, "tr.ini", ini, NULL, 0, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(sc.ntrace, 2);
    ck_assert_uint_eq(sc.trace[1], 1000000000u);
    scenario_fini(&sc);
    free(t);
    free(big);
    testutil_rmrf(dir);
    free(dir);
}
END_TEST

/* The trace's arrivals are in the hash: the same file name with other
 * times is another run (a resumed sweep must not skip it); the JSON, which
 * names only the file, is the same. */
START_TEST(test_trace_in_hash)
{
    const char *ini = "[workload]\narrivals = trace\ntrace_file = t.csv\n";
    struct scenario a, b, c;
    struct err e;
    char *dir = testutil_tmpdir(), *t;

    t = testutil_write(dir, "t.csv", "0\n1\n2\n");
    ck_assert_msg(load_text(&a, dir, "tr.ini", ini, NULL, 0, &e) == 0, "%s", e.msg);
    free(t);
    t = testutil_write(dir, "t.csv", "0\n1\n3\n");
    ck_assert_msg(load_text(&b, dir, "tr.ini", ini, NULL, 0, &e) == 0, "%s", e.msg);
    free(t);
    t = testutil_write(dir, "t.csv", "# same times, other text\n0\n1.0\n2,x\n");
    ck_assert_msg(load_text(&c, dir, "tr.ini", ini, NULL, 0, &e) == 0, "%s", e.msg);
    free(t);
    ck_assert_str_eq(a.json, b.json);
    ck_assert_str_ne(a.hash, b.hash);
    ck_assert_str_eq(a.hash, c.hash);
    scenario_fini(&a);
    scenario_fini(&b);
    scenario_fini(&c);
    testutil_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(test_missing_file)
{
    struct scenario sc;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&sc, "/nonexistent/kb.ini", NULL, 0, &e), PS_EIO);
    ck_assert_str_eq(e.msg, "/nonexistent/kb.ini: No such file or directory");
}
END_TEST

/* ---- bad input ---- */

struct bad_case {
    const char *file;       /* file text, or NULL: 'set' alone */
    const char *set;        /* one --set, or NULL */
    const char *words[4];   /* substrings the message must contain */
};

static const struct bad_case bad[] = {
    {"[stack]\n\ntime_wait = -5\n", NULL,
     {"bad.ini:3: 'stack.time_wait' must be 0..86400 s", "(got '-5')"}},
    {"[stack]\ntime_wait = 86401\n", NULL, {"bad.ini:2:", "0..86400 s", "'86401'"}},
    {"[stack]\ntime_wait = 5 parsecs\n", NULL, {"bad.ini:2:", "unit", "'5 parsecs'"}},
    {"[stack]\ntim_wait = 5\n", NULL,
     {"bad.ini:2: unknown key 'stack.tim_wait' (did you mean 'stack.time_wait'? "
      "stack keys: profile, port_min,", "time_wait"}},
    {"[stak]\ntime_wait = 5\n", NULL, {"bad.ini:1: unknown section '[stak]'", "run, stack"}},
    {"time_wait = 5\n", NULL, {"bad.ini:1:", "outside any section", "[stack]"}},
    {"[stack]\nthis line has no equals sign\n", NULL, {"bad.ini:2:", "key = value"}},
    {"[stack]\nport_min = 0\n", NULL, {"bad.ini:2:", "'stack.port_min'", "1..65535", "'0'"}},
    {"[stack]\nport_max = 65536\n", NULL, {"'stack.port_max'", "1..65535", "'65536'"}},
    {"[stack]\nport_min = 12abc\n", NULL, {"'stack.port_min'", "'12abc'"}},
    {"[stack]\nport_min = 5000\nport_max = 4000\n", NULL,
     {"bad.ini:3: 'stack.port_max' must be >= 'stack.port_min' (5000)", "'4000'"}},
    {"[stack]\nport_max = 1000\n", NULL, {"bad.ini:2: 'stack.port_max'", ">=", "'1000'"}},
    {"[stack]\nprofile = win95\n", NULL,
     {"bad.ini:2: 'stack.profile' must be one of win2000", "macos", "'win95'"}},
    {"[stack]\nallocator = fastest\n", NULL, {"'stack.allocator'", "double-hash", "'fastest'"}},
    {"[stack]\nreserved_ports = 1000-6000\n", NULL,
     {"bad.ini:2: 'stack.reserved_ports' must leave at least one port", "1025..5000",
      "'1000-6000'"}},
    {"[stack]\nreserved_ports = 3000-2000\n", NULL, {"'stack.reserved_ports'", "'3000-2000'"}},
    {"[stack]\nreserved_ports = 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,"
     "24,25,26,27,28,29,30,31,32,33\n", NULL, {"'stack.reserved_ports'", "at most 32"}},
    {"[stack]\ntw_reuse_delay = 0\n", NULL, {"'stack.tw_reuse_delay'", "1 ms..60 s", "'0'"}},
    {"[stack]\nlocal_addresses = 257\n", NULL, {"'stack.local_addresses'", "1..256", "'257'"}},
    {"[stack]\ntimer_tick = 86401\n", NULL, {"'stack.timer_tick'", "0..86400 s", "'86401'"}},
    {"[stack]\nhz = 200\n", NULL, {"'stack.hz'", "0, 100, 250, 300 or 1000", "'200'"}},
    {"[stack]\nmemory = 8 GB\n", NULL, {"'stack.memory'", "GiB", "'8 GB'"}},
    {"[stack]\nmax_time_wait = 100000001\n", NULL, {"'stack.max_time_wait'", "0..100000000"}},
    {"[stack]\nrandom_fallback_cps = 1000001\n", NULL, {"'stack.random_fallback_cps'"}},
    {"[run]\nduration = 0\n", NULL, {"bad.ini:2: 'run.duration'", "> 0 s", "'0'"}},
    {"[run]\nduration = 3651d\n", NULL, {"'run.duration'", "3650 d", "'3651d'"}},
    {"[run]\nduration = 60\nwarmup = 60\n", NULL,
     {"bad.ini:3: 'run.warmup' must be below 'run.duration' (60)", "'60'"}},
    {"[run]\nreplications = 0\n", NULL, {"'run.replications'", "1..100000", "'0'"}},
    {"[run]\nseed = -1\n", NULL, {"'run.seed'", "0..18446744073709551615", "'-1'"}},
    {"[run]\nseed = 18446744073709551616\n", NULL, {"'run.seed'", "'18446744073709551616'"}},
    {"[run]\nsample_interval = 0.5ms\n", NULL, {"'run.sample_interval'", "1 ms", "'0.5ms'"}},
    {"[run]\nrng = dice\n", NULL, {"'run.rng'", "mt19937", "'dice'"}},
    {"[run]\nname =\n", NULL, {"'run.name'", "got ''"}},
    {"[run]\nduration = 1\nduration = 2\n", NULL, {"bad.ini:3:", "set twice", "bad.ini:2"}},
    {"[workload]\nrate = 0\n", NULL, {"'workload.rate'", "> 0", "1e7", "'0'"}},
    {"[workload]\nrate = nan\n", NULL, {"'workload.rate'", "'nan'"}},
    {"[workload]\nrate = 1e8\n", NULL, {"'workload.rate'", "'1e8'"}},
    {"[workload]\namplitude = 1.5\n", NULL, {"'workload.amplitude'", "0..1", "'1.5'"}},
    {"[workload]\nperiod = 0\n", NULL, {"'workload.period'", "> 0"}},
    {"[workload]\nmailboxes = 0\n", NULL, {"'workload.mailboxes'", "1..10000000"}},
    {"[workload]\nzipf_s = 0\n", NULL, {"'workload.zipf_s'", "> 0", "10"}},
    {"[workload]\nservers = 65537\n", NULL, {"'workload.servers'", "1..65536", "'65537'"}},
    {"[workload]\nretries = 101\n", NULL, {"'workload.retries'", "0..100"}},
    {"[workload]\nservice_sigma = -0.1\n", NULL, {"'workload.service_sigma'", "'-0.1'"}},
    {"[workload]\nclose = never\n", NULL, {"'workload.close'", "client, server or abort"}},
    {"[workload]\narrivals = trace\n", NULL,
     {"bad.ini:2: 'workload.arrivals'", "workload.trace_file", "'trace'"}},
    {"[workload]\nretries = 100\n", NULL, {"'workload.retries'", "3650 d"}},
    {NULL, "stack.time_wait=-5", {"--set stack.time_wait: must be 0..86400 s", "(got '-5')"}},
    {NULL, "stack.tim_wait=5",
     {"--set stack.tim_wait: unknown key (did you mean 'stack.time_wait'? stack keys: profile,"}},
    {NULL, "stak.time_wait=5", {"--set stak.time_wait: unknown section 'stak'"}},
    {NULL, "time_wait", {"--set 'time_wait': must be section.key=value"}},
    {NULL, "time_wait=5", {"--set time_wait: unknown key", "section.key"}},
    {NULL, "workload.popularity=pareto", {"--set workload.popularity:", "uniform or zipf"}},
    {"[stack]\nport_min = 3000\n", "stack.port_max=2000",
     {"--set stack.port_max: must be >= 'stack.port_min' (3000)", "'2000'"}},
    {"[run]\nduration = 200d\n", NULL, {"'run.sample_interval'", "10000000"}},
    /* issue 13: silent wrong input refused with its place */
    {"[run] duration = 10s\n", NULL, {"bad.ini:1: text after ']'", "'duration = 10s'"}},
    {"[run]\rduration = 10s\r", NULL, {"bad.ini:1: a carriage return", "column 6"}},
    {"[run]\nname = a\xff\n", NULL, {"bad.ini:2: not UTF-8 text at column 9 (byte 0xFF)"}},
    {"[run]\nduration = 1\n[run]\nseed = 2\n", NULL,
     {"bad.ini:3: section '[run]' appears twice (first at line 1)"}},
    {NULL, "run.name=a\xff", {"--set run.name: must be UTF-8 text (byte 0xFF at column 2"}},
};

START_TEST(test_bad_input)
{
    const struct bad_case *c = &bad[_i];
    struct scenario sc;
    struct err e;
    int rc;

    if (c->file) {
        char *dir = testutil_tmpdir();
        rc = load_text(&sc, dir, "bad.ini", c->file, &c->set, c->set ? 1 : 0, &e);
        
        free(dir);
    } else {
        err_clear(&e);
        rc = scenario_load(&sc, NULL, &c->set, 1, &e);
    }
    ck_assert_msg(rc == PS_EINVAL, "case %d: rc %d (%s)", _i, rc, e.msg);
    for (int w = 0; w < 4 && c->words[w]; w++) {
        ck_assert_msg(strstr(e.msg, c->words[w]) != NULL, "case %d: '%s' not in \"%s\"", _i,
                      c->words[w], e.msg);
    }
    if (c->file) /* every file message names the file and a line */
        ck_assert_msg(strstr(e.msg, "bad.ini:") || strstr(e.msg, "--set"), "%s", e.msg);
}
END_TEST

Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_defaults);
    tcase_add_test(core, test_base);
    tcase_add_test(core, test_defaults_json);
    tcase_add_test(core, test_number_rules);
    tcase_add_test(core, test_profile_and_override_order);
    tcase_add_test(core, test_set_overrides_file);
    tcase_add_test(core, test_set_values);
    tcase_add_test(core, test_canonical_json_stable);
    tcase_add_loop_test(core, test_hash_changes, 0, (int)(sizeof(changes) / sizeof(changes[0])));
    tcase_add_test(core, test_hash_ignores_seed);
    tcase_add_test(core, test_set_key_api);
    tcase_add_test(core, test_trace);
    tcase_add_test(core, test_trace_bounded);
    tcase_add_test(core, test_trace_in_hash);
    tcase_add_test(edge, test_missing_file);
    tcase_add_loop_test(edge, test_bad_input, 0, (int)(sizeof(bad) / sizeof(bad[0])));
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
