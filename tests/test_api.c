/* test_api.c - the public C API (include/portsim/portsim.h): the scenario
 * as lines or as JSON gives one run; bad input is status 2 with the message
 * 'portsim run' gives; the result carries the samples. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "include/portsim/portsim.h"
#include "sim/rng.h"
#include "tests/suites.h"

/* 76 ports (1025-1100), 40 connects/s, TIME_WAIT 240 s: runs dry in ~2 s. */
#define LINES "stack.profile=win2000\n  stack.port_max = 1100\n# comment\n\n" \
              "workload.rate=40\r\nrun.duration=1min\nrun.sample_interval=10s\n"
#define FLAT  "{\"stack.profile\":\"win2000\",\"stack.port_max\":1100," \
              "\"workload.rate\":40.0,\"run.duration\":\"1min\",\"run.sample_interval\":10}"
#define NESTED "{\"stack\":{\"profile\":\"win2000\",\"port_max\":1100}," \
               "\"workload\":{\"rate\":40},\"run\":{\"duration\":60,\"sample_interval\":10}}"

static json_t *run_ok(const char *scenario, uint64_t seed)
{
    char *out = NULL, *err = NULL;
    json_t *j;

    ck_assert_int_eq(portsim_run_json(scenario, seed, &out, &err), 0);
    ck_assert_ptr_null(err);
    j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    portsim_free(out);
    return j;
}

static const char *digest(const json_t *j)
{
    return json_string_value(json_object_get(json_object_get(j, "metrics"), "digest"));
}

START_TEST(test_api_forms_agree)
{
    json_t *a = run_ok(LINES, 7), *b = run_ok(FLAT, 7), *c = run_ok(NESTED, 7);
    json_t *d = run_ok(LINES, 8);
    json_t *m = json_object_get(a, "metrics");

    ck_assert_str_eq(digest(a), digest(b));
    ck_assert_str_eq(digest(a), digest(c));
    ck_assert_str_ne(digest(a), digest(d));         /* another seed, another run */
    ck_assert_str_eq(json_string_value(json_object_get(a, "seed")), "7");
    ck_assert_int_gt(json_integer_value(json_object_get(m, "connect_failures")), 0);
    /* 60 s sampled every 10 s: t = 0, 10, ..., 50, six rows of six values */
    ck_assert_uint_eq(json_array_size(json_object_get(a, "samples")), 6);
    ck_assert_uint_eq(json_array_size(json_array_get(json_object_get(a, "samples"), 5)), 6);
    ck_assert_double_eq(json_real_value(json_array_get(
                            json_array_get(json_object_get(a, "samples"), 5), 0)), 50.0);
    ck_assert_str_eq(json_string_value(json_object_get(a, "version")), portsim_version());
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(d);
}
END_TEST

START_TEST(test_api_seed_zero_is_run_seed)
{
    json_t *a = run_ok("run.seed=5\nrun.duration=30s", 0);
    json_t *b = run_ok("run.duration=30s", 5);
    json_t *c = run_ok(NULL, 0);

    ck_assert_str_eq(digest(a), digest(b));
    ck_assert_str_eq(json_string_value(json_object_get(a, "seed")), "5");
    ck_assert_str_eq(json_string_value(json_object_get(c, "seed")), "1");  /* defaults */
    json_decref(a);
    json_decref(b);
    json_decref(c);
}
END_TEST

START_TEST(test_api_seed_derive)
{
    ck_assert_uint_eq(portsim_seed_derive(9, 0), 9);
    ck_assert_uint_eq(portsim_seed_derive(9, 3), rng_derive(9, 3));
}
END_TEST

static void bad(const char *scenario, int status, const char *part)
{
    char *out = (char *)1, *err = NULL;

    ck_assert_int_eq(portsim_run_json(scenario, 1, &out, &err), status);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strstr(err, part), "'%s': message '%s' lacks '%s'", scenario, err, part);
    portsim_free(err);
}

START_TEST(test_api_bad_input)
{
    bad("stack.nosuch=1", 2, "--set stack.nosuch: unknown key");
    bad("stack.time_wait=-5", 2, "stack.time_wait: must be 0..86400 s");
    bad("workload.rate", 2, "'workload.rate' is not section.key=value");
    bad("{\"workload.rate\": 40", 2, "scenario JSON:");
    bad("[1, 2]", 2, "not section.key=value");
    bad("{\"workload.rate\": null}", 2, "'workload.rate': the value must be");
    bad("{\"stack\": {\"port_max\": {\"x\": 1}}}", 2, "'stack.port_max': the value must be");
    /* either out-pointer may be NULL */
    ck_assert_int_eq(portsim_run_json("stack.nosuch=1", 1, NULL, NULL), 2);
    ck_assert_int_eq(portsim_run_json("run.duration=1s", 1, NULL, NULL), 0);
    portsim_free(NULL);
}
END_TEST

Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *core = tcase_create("core");
    TCase *misuse = tcase_create("misuse");

    tcase_add_test(core, test_api_forms_agree);
    tcase_add_test(core, test_api_seed_zero_is_run_seed);
    tcase_add_test(core, test_api_seed_derive);
    tcase_add_test(misuse, test_api_bad_input);
    suite_add_tcase(s, core);
    suite_add_tcase(s, misuse);
    return s;
}
