/* test_sweep.c - sweep files: expansion order, count and seeds (common
 * random numbers), the three value forms, shards, and bad sweep files with
 * their messages (file:line, key, value, what is allowed). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/sweep.h"
#include "sim/rng.h"
#include "tests/suites.h"
#include "tests/testutil.h"

static const char base_ini[] =
    "[run]\n"
    "duration = 60\n"
    "seed = 7\n"
    "[stack]\n"
    "profile = win2000\n"
    "[workload]\n"
    "rate = 40\n";

/* Write base.ini and 'sweep_text' as t.sweep in a fresh directory; load it. */
static int load_text(const char *sweep_text, struct sweep *sw, struct err *e, char **dir,
                     char **path)
{
    char *ini;

    *dir = testutil_tmpdir();
    ini = testutil_write(*dir, "base.ini", base_ini);
    free(ini);
    *path = testutil_write(*dir, "t.sweep", sweep_text);
    err_clear(e);
    return sweep_load(sw, *path, e);
}

static void cleanup(char *dir, char *path)
{
    testutil_rmrf(dir);
    free(dir);
    free(path);
}

/* ---- core: expansion ---- */

static const char two_by_two[] =
    "[sweep]\n"
    "name = t2\n"
    "scenario = base.ini\n"
    "replications = 3\n"
    "seed = 11\n"
    "\n"
    "[remedy a]\n"
    "\n"
    "[remedy b]\n"
    "stack.port_max = 65534\n"
    "workload.rate = 99          ; overridden by [vary]\n"
    "\n"
    "[vary]\n"
    "workload.rate = 5, 10\n"
    "stack.time_wait = 30..60 step 30\n";

START_TEST(test_expansion_order_count_seeds)
{
    static const char *const points[] = {
        "{\"workload.rate\":5,\"stack.time_wait\":30}",
        "{\"workload.rate\":5,\"stack.time_wait\":60}",
        "{\"workload.rate\":10,\"stack.time_wait\":30}",
        "{\"workload.rate\":10,\"stack.time_wait\":60}",
    };
    struct sweep sw;
    struct err e;
    char *dir, *path;

    ck_assert_msg(load_text(two_by_two, &sw, &e, &dir, &path) == 0, "%s", e.msg);
    ck_assert_str_eq(sw.name, "t2");
    ck_assert_uint_eq(sw.nremedies, 2);
    ck_assert_uint_eq(sw.npoints, 4);
    ck_assert_uint_eq(sw.njobs, 2 * 4 * 3);
    for (size_t i = 0; i < sw.njobs; i++) {
        struct sweep_job job;

        sweep_job(&sw, i, &job);
        ck_assert_uint_eq(job.index, i);
        ck_assert_uint_eq(job.remedy, i / 12);
        ck_assert_uint_eq(job.point, (i / 3) % 4);
        ck_assert_uint_eq(job.replication, i % 3);
        ck_assert_str_eq(job.remedy_name, i < 12 ? "a" : "b");
        ck_assert_str_eq(job.point_json, points[job.point]);
        /* common random numbers: the seed depends on the replication only */
        ck_assert_uint_eq(job.seed, rng_derive(11, job.replication));
        ck_assert_uint_eq(job.sc->p.run.seed, 11);
        /* the varied value wins over the remedy's */
        ck_assert(job.sc->p.workload.rate_per_s == (job.point < 2 ? 5.0 : 10.0));
        ck_assert_uint_eq(job.sc->p.stack.time_wait_ns,
                          (job.point % 2 ? 60u : 30u) * 1000000000ull);
        ck_assert_uint_eq(job.sc->p.stack.port_max, job.remedy ? 65534 : 5000);
    }
    /* each (remedy, point) has its own parameters */
    for (size_t i = 0; i < 8; i++)
        for (size_t j = i + 1; j < 8; j++)
            ck_assert_str_ne(sw.scen[i].hash, sw.scen[j].hash);
    sweep_fini(&sw);
    cleanup(dir, path);
}
END_TEST

START_TEST(test_defaults_from_scenario)
{
    struct sweep sw;
    struct err e;
    char *dir, *path;

    ck_assert_msg(load_text("[sweep]\nscenario = base.ini\n", &sw, &e, &dir, &path) == 0, "%s",
                  e.msg);
    ck_assert_str_eq(sw.name, "t");             /* file name without .sweep */
    ck_assert_uint_eq(sw.seed, 7);              /* the scenario's run.seed */
    ck_assert_uint_eq(sw.replications, 1);
    ck_assert_uint_eq(sw.nremedies, 1);
    ck_assert_str_eq(sw.remedies[0].name, "baseline");
    ck_assert_uint_eq(sw.njobs, 1);
    ck_assert_str_eq(sw.point_json[0], "{}");
    sweep_fini(&sw);
    cleanup(dir, path);
}
END_TEST

START_TEST(test_shards_partition)
{
    uint32_t k, n;
    struct err e;
    size_t hits[100] = {0};

    ck_assert_int_eq(sweep_parse_shard("3/8", &k, &n, &e), 0);
    ck_assert_uint_eq(k, 3);
    ck_assert_uint_eq(n, 8);
    for (size_t i = 0; i < 100; i++)
        for (uint32_t s = 1; s <= 8; s++)
            hits[i] += (size_t)sweep_in_shard(i, s, 8);
    for (size_t i = 0; i < 100; i++)
        ck_assert_uint_eq(hits[i], 1);
    ck_assert_int_eq(sweep_parse_shard("0/8", &k, &n, &e), PS_EINVAL);
    ck_assert_int_eq(sweep_parse_shard("9/8", &k, &n, &e), PS_EINVAL);
    ck_assert_int_eq(sweep_parse_shard("1/", &k, &n, &e), PS_EINVAL);
    ck_assert_int_eq(sweep_parse_shard("x", &k, &n, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "'--shard' must be K/N") != NULL, "%s", e.msg);
}
END_TEST

/* ---- core: value forms ---- */

static void check_values(const char *text, const char *const *want, size_t nwant)
{
    char **v;
    size_t n;
    struct err e;

    err_clear(&e);
    ck_assert_msg(sweep_parse_values("f:1", "workload.rate", text, &v, &n, &e) == 0, "%s: %s",
                  text, e.msg);
    ck_assert_msg(n == nwant, "%s: %zu values, expected %zu", text, n, nwant);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(strcmp(v[i], want[i]) == 0, "%s: value %zu is '%s', expected '%s'", text,
                      i, v[i], want[i]);
        free(v[i]);
    }
    free(v);
}

START_TEST(test_value_forms)
{
    static const char *const list[] = {"5", "10", "20", "40", "80"};
    static const char *const units[] = {"30s", "2min"};
    static const char *const step[] = {"5", "10", "15", "20", "25", "30", "35", "40",
                                       "45", "50", "55", "60", "65", "70", "75", "80"};
    static const char *const tenths[] = {"0.1", "0.2", "0.3"};
    static const char *const geo3[] = {"1", "3", "9"};
    static const char *const one[] = {"7"};

    check_values("5, 10, 20,40 ,80", list, 5);
    check_values("30s, 2min", units, 2);
    check_values("5..80 step 5", step, 16);
    check_values("5 .. 80 step 5", step, 16);
    check_values("5..80 x2", list, 5);
    check_values("5..80 x 2", list, 5);
    check_values("0.1..0.3 step 0.1", tenths, 3);
    check_values("1..10 x3", geo3, 3);
    check_values("7..7 step 1", one, 1);
    check_values("7", one, 1);
}
END_TEST

START_TEST(test_value_forms_bad)
{
    static const char *const bad[] = {
        "", "5,,10", "5, 10,", "80..5 step 5", "5..80 step 0", "5..80 step -1", "5..80 x1",
        "0..80 x2", "5..80", "5..80 by 5", "a..b step 1", "5..80 step 5 junk", "1..1e9 step 1",
    };
    char **v;
    size_t n;
    struct err e;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        ck_assert_msg(sweep_parse_values("f.sweep:3", "workload.rate", bad[i], &v, &n, &e) ==
                          PS_EINVAL, "'%s' accepted", bad[i]);
        ck_assert_msg(strncmp(e.msg, "f.sweep:3: 'workload.rate' must ", 32) == 0, "%s",
                      e.msg);
        ck_assert_msg(strstr(e.msg, "(got '") != NULL, "%s", e.msg);
        ck_assert_ptr_null(v);
    }
}
END_TEST

/* ---- misuse: bad sweep files ---- */

/* Load 'text' and expect PS_EINVAL with a message containing each of
 * 'parts' (NULL-terminated; "@" stands for the sweep file's path). */
static void expect_bad(const char *text, const char *const *parts)
{
    struct sweep sw;
    struct err e;
    char *dir, *path;

    ck_assert_int_eq(load_text(text, &sw, &e, &dir, &path), PS_EINVAL);
    for (size_t i = 0; parts[i]; i++) {
        char want[4400];

        if (parts[i][0] == '@')
            snprintf(want, sizeof(want), "%s%s", path, parts[i] + 1);
        else
            snprintf(want, sizeof(want), "%s", parts[i]);
        ck_assert_msg(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'", e.msg, want);
    }
    cleanup(dir, path);
}

START_TEST(test_bad_unknown_remedy_key)
{
    expect_bad("[sweep]\nscenario = base.ini\n[remedy x]\nstack.frobnicate = 3\n",
               (const char *const[]){"@:4: ", "unknown key 'stack.frobnicate'", "stack keys:",
                                     "port_max", NULL});
}
END_TEST

START_TEST(test_bad_remedy_value)
{
    expect_bad("[sweep]\nscenario = base.ini\n\n[remedy x]\nstack.time_wait = -5\n",
               (const char *const[]){"@:5: 'stack.time_wait' must be ", "(got '-5')", NULL});
}
END_TEST

START_TEST(test_bad_vary_value_applied)
{
    /* the values parse, but 0 is no rate: the scenario's own message */
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 5, 0\n",
               (const char *const[]){"@:4: 'workload.rate' must be ", "(got '0')", NULL});
}
END_TEST

START_TEST(test_bad_empty_vary)
{
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate =\n",
               (const char *const[]){"@:4: 'workload.rate' must list at least one value",
                                     "(got '')", NULL});
}
END_TEST

START_TEST(test_bad_range)
{
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 80..5 step 5\n",
               (const char *const[]){"@:4: 'workload.rate' must be a list", "'A..B step S'",
                                     "(got '80..5 step 5')", NULL});
}
END_TEST

START_TEST(test_bad_missing_scenario)
{
    expect_bad("[sweep]\nreplications = 2\n",
               (const char *const[]){"@: missing 'scenario' in [sweep]", NULL});
    expect_bad("[sweep]\nscenario = nosuch.ini\n",
               (const char *const[]){"@:2: 'sweep.scenario' must name a readable scenario file",
                                     "(got 'nosuch.ini'", "No such file", NULL});
}
END_TEST

START_TEST(test_bad_unknown_section)
{
    expect_bad("[sweep]\nscenario = base.ini\n\n[remedies]\nx = 1\n",
               (const char *const[]){"@:4: unknown section '[remedies]'",
                                     "[sweep], [remedy NAME], [vary]", NULL});
}
END_TEST

START_TEST(test_bad_replications)
{
    expect_bad("[sweep]\nscenario = base.ini\nreplications = 0\n",
               (const char *const[]){"@:3: 'sweep.replications' must be a whole number "
                                     "1..100000 (got '0')", NULL});
    expect_bad("[sweep]\nscenario = base.ini\nreplications = ten\n",
               (const char *const[]){"@:3: ", "(got 'ten')", NULL});
}
END_TEST

START_TEST(test_bad_misc)
{
    expect_bad("[sweep]\nscenario = base.ini\ncolour = blue\n",
               (const char *const[]){"@:3: unknown key 'sweep.colour'", NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[remedy a]\n[remedy a]\n",
               (const char *const[]){"@:4: remedy 'a' is defined twice (first at line 3)",
                                     NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nrun.seed = 1, 2\n",
               (const char *const[]){"@:4: 'run.seed' cannot be set", NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 1, 2\n"
               "workload.rate = 3\n",
               (const char *const[]){"@:5: 'workload.rate' is varied twice", NULL});
    /* two remedies with one parameter set would share their runs */
    expect_bad("[sweep]\nscenario = base.ini\n[remedy a]\n[remedy b]\nstack.port_max = 5000\n",
               (const char *const[]){"remedy 'a' at {} and remedy 'b' at {} give the same "
                                     "parameters", NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[remedy a]\nstack.port_min = 6000\n",
               (const char *const[]){"remedy 'a' at {}", NULL});
}
END_TEST

/* The rules of scenario files (issue 13): a key or a section given twice is
 * refused with both places; text after ']', CR-only line endings and bytes
 * that are not UTF-8 are refused with their place. */
START_TEST(test_bad_like_scenario_files)
{
    expect_bad("[sweep]\nscenario = base.ini\nseed = 1\nseed = 2\n",
               (const char *const[]){"@:4: 'sweep.seed' is set twice (first at line 3)", NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 1, 2\n[sweep]\nseed = 2\n",
               (const char *const[]){"@:5: section '[sweep]' appears twice (first at line 1)",
                                     NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[vary]\nworkload.rate = 1\n[vary]\n"
               "stack.time_wait = 1\n",
               (const char *const[]){"@:5: section '[vary]' appears twice (first at line 3)",
                                     NULL});
    expect_bad("[sweep] scenario = base.ini\n",
               (const char *const[]){"@:1: text after ']' in a section header", NULL});
    expect_bad("[sweep]\rscenario = base.ini\r",
               (const char *const[]){"@:1: a carriage return inside the line at column 8",
                                     NULL});
    expect_bad("[sweep]\nscenario = base.ini\n[remedy a]\nrun.name = \xe9t\xe9\n",
               (const char *const[]){"@:4: not UTF-8 text at column 12 (byte 0xE9)", NULL});
}
END_TEST

/* keys_from: a remedy takes the keys its file sets itself (not the file's
 * base's, not run.name); the same parameters as writing them out; a bad
 * key in that file is named by the file's own FILE:LINE.  Seed 0 is a seed. */
START_TEST(test_keys_from)
{
    struct sweep sw, sw2;
    struct err e;
    char *dir, *path, *dir2, *path2, *f;

    ck_assert_msg(load_text("[sweep]\nscenario = base.ini\nseed = 0\n[remedy r]\n"
                            "stack.time_wait = 20\n[remedy s]\nstack.port_max = 5000\n",
                            &sw2, &e, &dir2, &path2) == 0, "%s", e.msg);
    ck_assert_uint_eq(sw2.seed, 0);
    dir = testutil_tmpdir();
    free(testutil_write(dir, "base.ini", base_ini));
    free(testutil_write(dir, "mid.ini", "[stack]\ntime_wait = 20\n"));
    /* rem.ini: base mid.ini (time_wait 20, not taken), sets port_max itself */
    free(testutil_write(dir, "rem.ini", "[run]\nbase = mid.ini\nname = rem\n[stack]\n"
                        "port_max = 5000\n"));
    free(testutil_write(dir, "bad.ini", "[run]\nname = x\n[stack]\nport_max = 99999\n"));
    path = testutil_write(dir, "t.sweep", "[sweep]\nscenario = base.ini\nseed = 0\n"
                          "[remedy r]\nstack.time_wait = 20\n[remedy s]\n"
                          "keys_from = rem.ini\n");
    err_clear(&e);
    ck_assert_msg(sweep_load(&sw, path, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(sw.remedies[1].nsets, 1);
    ck_assert_str_eq(sw.remedies[1].sets[0].key, "stack.port_max");
    ck_assert_str_eq(sw.scen[1].hash, sw2.scen[1].hash);    /* same as written out */
    ck_assert_str_eq(sw.scen[0].hash, sw2.scen[0].hash);
    sweep_fini(&sw);
    free(path);
    path = testutil_write(dir, "b.sweep", "[sweep]\nscenario = base.ini\n[remedy b]\n"
                          "keys_from = bad.ini\n");
    ck_assert_int_eq(sweep_load(&sw, path, &e), PS_EINVAL);
    f = strstr(e.msg, "bad.ini:4: 'stack.port_max' must be");
    ck_assert_msg(f != NULL, "%s", e.msg);
    sweep_fini(&sw2);
    cleanup(dir, path);
    cleanup(dir2, path2);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *core = tcase_create("core");
    TCase *misuse = tcase_create("misuse");

    tcase_add_test(core, test_expansion_order_count_seeds);
    tcase_add_test(core, test_defaults_from_scenario);
    tcase_add_test(core, test_shards_partition);
    tcase_add_test(core, test_value_forms);
    tcase_add_test(core, test_value_forms_bad);
    tcase_add_test(core, test_keys_from);
    tcase_add_test(misuse, test_bad_unknown_remedy_key);
    tcase_add_test(misuse, test_bad_remedy_value);
    tcase_add_test(misuse, test_bad_vary_value_applied);
    tcase_add_test(misuse, test_bad_empty_vary);
    tcase_add_test(misuse, test_bad_range);
    tcase_add_test(misuse, test_bad_missing_scenario);
    tcase_add_test(misuse, test_bad_unknown_section);
    tcase_add_test(misuse, test_bad_replications);
    tcase_add_test(misuse, test_bad_misc);
    tcase_add_test(misuse, test_bad_like_scenario_files);
    suite_add_tcase(s, core);
    suite_add_tcase(s, misuse);
    return s;
}
