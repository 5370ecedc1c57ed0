/* test_scenario_json.c - a recorded scenario back from its canonical JSON:
 * load -> json -> from_json -> json is the same text byte for byte (and the
 * same hash), for the experiment files (the cloud NAT ones too), every
 * profile, odd values and reserved ports; bad JSON gives PS_EINVAL with words that say why. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"
#include "models/scenario_json.h"
#include "tests/suites.h"

struct case_ {
    const char *path;               /* scenario file (from the repo root), or NULL */
    const char *sets[6];
};

static const struct case_ cases[] = {
    {NULL, {NULL}},
    {"experiments/kb319502/kb319502.ini", {NULL}},
    {"experiments/kb319502/remedy-maxuserport.ini", {NULL}},
    {"experiments/kb319502/remedy-hotfix.ini", {NULL}},
    {"experiments/kb319502/remedy-retry.ini", {NULL}},
    {"experiments/linux-default.ini", {NULL}},
    /* issue 12: keys of other NAT profiles come back as 0 and must pass */
    {"experiments/cloud/fleet.ini", {NULL}},
    {"experiments/cloud/aws-900.ini", {NULL}},
    {"experiments/cloud/k8s-conntrack.ini", {NULL}},
    {"experiments/cloud/gcp-1008.ini", {NULL}},
    {"experiments/cloud/azure-lb-table.ini", {NULL}},
    {NULL, {"stack.profile=linux", "stack.reserved_ports=40000, 41000-41999, 32768",
            "workload.rate=0.1", "workload.service_time=1.000000001", NULL}},
    {NULL, {"stack.profile=freebsd", "stack.time_wait=0.001", "workload.arrivals=diurnal",
            "workload.amplitude=0.3", "run.warmup=17.25", NULL}},
    {NULL, {"stack.port_min=2000", "stack.port_max=2199", "stack.profile=win8",
            "workload.popularity=zipf", "workload.zipf_s=1.1", NULL}},
    {NULL, {"run.name=a name with spaces", "workload.rate=3.3333333333333335",
            "stack.timer_tick=2.048", "stack.max_time_wait=100", NULL}},
    {NULL, {"workload.pool_size=3", "workload.cache_ttl=9", NULL}},
};

START_TEST(test_round_trip)
{
    const struct case_ *c = &cases[_i];
    struct scenario a, b;
    struct err e;
    size_t nsets = 0;

    while (c->sets[nsets])
        nsets++;
    err_clear(&e);
    ck_assert_msg(scenario_load(&a, c->path, c->sets, nsets, &e) == 0, "case %d: %s", _i,
                  e.msg);
    ck_assert_msg(scenario_from_json(&b, a.json, &e) == 0, "case %d: %s", _i, e.msg);
    ck_assert_str_eq(b.json, a.json);
    ck_assert_str_eq(b.hash, a.hash);
    ck_assert_mem_eq(&b.p.stack, &a.p.stack, sizeof(a.p.stack));
    ck_assert_uint_eq(b.p.workload.service_time_ns, a.p.workload.service_time_ns);
    ck_assert_uint_eq(b.p.run.duration_ns, a.p.run.duration_ns);
    ck_assert_double_eq(b.p.workload.rate_per_s, a.p.workload.rate_per_s);
    ck_assert_uint_eq(b.p.workload.pool_size, a.p.workload.pool_size);
    ck_assert(a.p.workload.pool_size == 0 || strstr(a.json, "\"pool_size\":"));
    scenario_fini(&b);
    scenario_fini(&a);
}
END_TEST

/* workload.pool_size (KEY_HASH_SET) is in the JSON only when set: a run
 * without it keeps the params hash it had before the key existed. */
START_TEST(test_pool_size_only_when_set)
{
    const char *sets[] = {"workload.pool_size=0"};
    struct scenario a;
    struct err e;

    err_clear(&e);
    ck_assert_msg(scenario_load(&a, NULL, sets, 1, &e) == 0, "%s", e.msg);
    ck_assert_ptr_null(strstr(a.json, "pool_size"));
    ck_assert_ptr_nonnull(strstr(a.json, "\"mailboxes\":1000,\"period\":86400,"));
    scenario_fini(&a);
}
END_TEST

struct bad_ {
    const char *json;
    const char *words;
};

static const struct bad_ bad[] = {
    {"not json", "params JSON"},
    {"[1,2]", "must be an object"},
    {"{\"net\":{}}", "'net' must be one of"},
    {"{\"stack\":{\"port_max\":70000}}", "'stack.port_max' must be an integer 1..65535"},
    {"{\"stack\":{\"allocator\":\"magic\"}}", "one of"},
    {"{\"workload\":{\"colour\":\"red\"}}", "unknown key"},
    {"{\"workload\":{\"rate\":null}}", "must be a string, a number"},
    {"{\"stack\":{\"port_min\":5000,\"port_max\":1025}}", "port_min"},
};

START_TEST(test_bad_json)
{
    struct scenario sc;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(scenario_from_json(&sc, bad[_i].json, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, bad[_i].words) != NULL, "'%s': got '%s'", bad[_i].json, e.msg);
}
END_TEST

START_TEST(test_partial_json_takes_defaults)
{
    struct scenario a, b;
    struct err e;
    const char *sets[] = {"stack.profile=win7", "workload.rate=160"};

    err_clear(&e);
    ck_assert_int_eq(scenario_load(&a, NULL, sets, 2, &e), 0);
    ck_assert_int_eq(scenario_from_json(&b, "{\"stack\":{\"profile\":\"win7\"},"
                                            "\"workload\":{\"rate\":160}}", &e), 0);
    ck_assert_str_eq(b.json, a.json);
    scenario_fini(&b);
    scenario_fini(&a);
}
END_TEST

Suite *scenario_json_suite(void)
{
    Suite *s = suite_create("scenario_json");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_loop_test(core, test_round_trip, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(core, test_partial_json_takes_defaults);
    tcase_add_test(core, test_pool_size_only_when_set);
    tcase_add_loop_test(edge, test_bad_json, 0, (int)(sizeof(bad) / sizeof(bad[0])));
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
