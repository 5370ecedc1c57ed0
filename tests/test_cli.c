/* test_cli.c - the command line's core: the option loop (cli/opts.h), the
 * command table as data (cli/cmd.h) and the worker pool (cli/workers.h). */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/opts.h"
#include "cli/summary.h"
#include "cli/workers.h"
#include "tests/suites.h"

/* ---- The option loop ---- */

struct t_args {
    struct cli_scenario_opts so;
    bool flag;
    const char *str;
    uint64_t n;
    double x;
    int calls;
};

static int t_take(void *args, const char *arg, struct err *e)
{
    struct t_args *a = args;

    if (strcmp(arg, "bad") == 0)
        return err_set(e, PS_EINVAL, "--call: bad");
    a->calls++;
    return 0;
}

static const struct cmd_opt t_opts[] = {
    {"flag", 'f', NULL, "a flag", CMD_OPT_FLAG, offsetof(struct t_args, flag), 0, 0, 0, 0, NULL},
    {"str", 0, "S", "a string", CMD_OPT_STR, offsetof(struct t_args, str), 0, 0, 0, 0, NULL},
    {"num", 'n', "N", "a whole number", CMD_OPT_U64, offsetof(struct t_args, n), 1, 10, 0, 0,
     NULL},
    {"real", 0, "X", "a number", CMD_OPT_DOUBLE, offsetof(struct t_args, x), 0, 0, 0.5, 2, NULL},
    {"set", 0, "K=V", "a key", CMD_OPT_SET, offsetof(struct t_args, so), 0, 0, 0, 0, NULL},
    {"seed", 0, "N", "a seed", CMD_OPT_SEED, offsetof(struct t_args, so), 0, 0, 0, 0, NULL},
    {"call", 0, "C", "a call, with a help text long enough to be wrapped onto a second line "
     "by the printer", CMD_OPT_CALL, 0, 0, 0, 0, 0, t_take},
    {NULL, 0, NULL, NULL, CMD_OPT_FLAG, 0, 0, 0, 0, 0, NULL},
};

#define ARGV_MAX 20

/* Writable copies of 'list' (NULL-terminated) into 'argv'; the count. */
static int argv_of(const char *const *list, char **argv)
{
    int n = 0;

    for (; list[n] && n < ARGV_MAX - 1; n++)
        argv[n] = strdup(list[n]);
    argv[n] = NULL;
    return n;
}

static void argv_free(char **argv)
{
    for (; *argv; argv++)
        free(*argv);
}

/* Parse 'list' into 'a' (the argv after parsing in 'argv'). */
static int parse(struct t_args *a, const char *const *list, char **argv, int *first,
                 struct err *e)
{
    int argc = argv_of(list, argv);

    memset(a, 0, sizeof(*a));
    err_clear(e);
    return opts_parse(t_opts, a, argc, argv, first, e);
}

START_TEST(test_opts_parse)
{
    static const char *const list[] = {"t",     "op1",   "-f",     "--str", "s",      "-n",
                                       "7",     "--real=1.5", "--set", "a.b=1", "--set",
                                       "c.d=2", "--seed", "9",    "--call", "x",     "op2",
                                       "--call=y", NULL};
    char *argv[ARGV_MAX];
    struct t_args a;
    struct err e;
    int first;

    ck_assert_int_eq(parse(&a, list, argv, &first, &e), 0);
    ck_assert(a.flag);
    ck_assert_str_eq(a.str, "s");
    ck_assert_uint_eq(a.n, 7);
    ck_assert(a.x == 1.5);
    ck_assert_uint_eq(a.so.sets.n, 2);
    ck_assert_str_eq(a.so.sets.v[1], "c.d=2");
    ck_assert(a.so.has_seed);
    ck_assert_uint_eq(a.so.seed, 9);
    ck_assert_int_eq(a.calls, 2);
    ck_assert_int_eq(first, 16);            /* the operands, moved to the end */
    ck_assert_str_eq(argv[16], "op1");
    ck_assert_str_eq(argv[17], "op2");
    opts_fini(t_opts, &a);
    ck_assert_uint_eq(a.so.sets.n, 0);
    argv_free(argv);
}
END_TEST

START_TEST(test_opts_errors)
{
    static const char *const help[] = {"t", "--flag", "--help", "--frob", NULL};
    static const char *const unknown[] = {"t", "--frob", NULL};
    static const char *const missing[] = {"t", "--str", NULL};
    static const char *const range[] = {"t", "--num", "11", NULL};
    static const char *const call[] = {"t", "--call", "bad", NULL};
    char *argv[ARGV_MAX];
    struct t_args a;
    struct err e;
    int first;

    ck_assert_int_eq(parse(&a, help, argv, &first, &e), 1);
    argv_free(argv);
    ck_assert_int_eq(parse(&a, unknown, argv, &first, &e), PS_EINVAL);
    ck_assert_str_eq(e.msg, "unknown or incomplete option '--frob' (see --help)");
    argv_free(argv);
    ck_assert_int_eq(parse(&a, missing, argv, &first, &e), PS_EINVAL);
    ck_assert_str_eq(e.msg, "unknown or incomplete option '--str' (see --help)");
    argv_free(argv);
    ck_assert_int_eq(parse(&a, range, argv, &first, &e), PS_EINVAL);
    ck_assert_str_eq(e.msg, "'--num' must be a whole number 1..10 (got '11')");
    argv_free(argv);
    ck_assert_int_eq(parse(&a, call, argv, &first, &e), PS_EINVAL);
    ck_assert_str_eq(e.msg, "--call: bad");
    argv_free(argv);
}
END_TEST

START_TEST(test_opts_help)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *line;

    opts_help(f, t_opts);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "  -f, --flag  "));
    ck_assert_ptr_nonnull(strstr(text, "  -n, --num N "));
    ck_assert_ptr_nonnull(strstr(text, "  --call C "));
    ck_assert_ptr_nonnull(strstr(text, "  -h, --help "));
    for (line = text; *line; line += strcspn(line, "\n") + 1)
        ck_assert_uint_le(strcspn(line, "\n"), 79);
    free(text);
}
END_TEST

/* The table is data a man page and a completion will be made from: every
 * field there, names unique, -h left to --help. */
START_TEST(test_cmd_table)
{
    for (const struct cmd *c = cmd_table(); c->name; c++) {
        ck_assert_ptr_eq(cmd_find(c->name), c);
        ck_assert(c->summary && *c->summary && c->synopsis && c->about && *c->about);
        ck_assert_ptr_nonnull(c->opts);
        ck_assert(c->fn != NULL);
        for (const struct cmd_opt *o = c->opts; o->name; o++) {
            ck_assert_msg(o->help && *o->help && !strchr(o->help, '\n'), "%s --%s", c->name,
                          o->name);
            ck_assert_msg(strcmp(o->name, "help") != 0 && o->short_name != 'h', "%s", c->name);
            ck_assert(o->kind != CMD_OPT_CALL || o->take);
            ck_assert(o->kind == CMD_OPT_CALL || o->off < c->args_size);
            for (const struct cmd_opt *p = c->opts; p < o; p++) {
                ck_assert_msg(strcmp(p->name, o->name) != 0, "%s --%s", c->name, o->name);
                ck_assert(!o->short_name || p->short_name != o->short_name);
            }
        }
    }
    ck_assert_ptr_null(cmd_find("nosuch"));
}
END_TEST

/* ---- The worker pool ---- */

#define NJOBS 40

struct t_pool {
    int seen[NJOBS];
    uint64_t sum;
    int died;
    char why[ERR_MSG_MAX];
    uint64_t crash;                 /* this job kills its worker; NJOBS: none */
};

static void t_run(void *ctx, uint64_t index, struct workers_buf *out)
{
    const struct t_pool *p = ctx;
    uint64_t v = 3 * index;

    if (index == p->crash)
        raise(SIGKILL);
    workers_buf_add(out, &v, sizeof(v));
}

static int t_done(void *ctx, uint64_t index, const void *data, size_t len, const char *why,
                  struct err *e)
{
    struct t_pool *p = ctx;
    uint64_t v;

    (void)e;
    ck_assert_uint_lt(index, NJOBS);
    p->seen[index]++;
    if (!data) {
        p->died++;
        snprintf(p->why, sizeof(p->why), "%s", why);
        return 0;
    }
    ck_assert_uint_eq(len, sizeof(v));
    memcpy(&v, data, sizeof(v));
    ck_assert_uint_eq(v, 3 * index);
    p->sum += v;
    return 0;
}

static void run_pool(struct t_pool *p, size_t nworkers)
{
    static const struct workers_ops ops = {t_run, t_done, NULL, NULL};
    size_t jobs[NJOBS];
    struct err e;
    int signals = -1;

    for (size_t i = 0; i < NJOBS; i++)
        jobs[i] = i;
    err_clear(&e);
    ck_assert_int_eq(workers_run(&ops, p, nworkers, jobs, NJOBS, &signals, &e), 0);
    ck_assert_int_eq(signals, 0);
    for (size_t i = 0; i < NJOBS; i++)
        ck_assert_int_eq(p->seen[i], 1);
}

START_TEST(test_workers_all_jobs)
{
    struct t_pool p;

    for (size_t n = 1; n <= 5; n += 2) {
        memset(&p, 0, sizeof(p));
        p.crash = NJOBS;
        run_pool(&p, n);
        ck_assert_uint_eq(p.sum, 3 * NJOBS * (NJOBS - 1) / 2);
        ck_assert_int_eq(p.died, 0);
    }
}
END_TEST

START_TEST(test_workers_crash)
{
    struct t_pool p;

    memset(&p, 0, sizeof(p));
    p.crash = 7;
    run_pool(&p, 3);
    ck_assert_int_eq(p.died, 1);
    ck_assert_str_eq(p.why, "worker process died of signal 9 during the run");
    ck_assert_uint_eq(p.sum, 3 * NJOBS * (NJOBS - 1) / 2 - 3 * 7);
    ck_assert_uint_ge(workers_default_count(), 1);
}
END_TEST

/* The replications' closing lines: 3 runs, 100 connect() calls each with 0,
 * 10 and 20 failures (shares 0, 10, 20 %) and TIME_WAIT peaks 10, 20, 30.
 * Mean 10 % and 20, sd 10 % and 10; t(0.975, 2) = 4.302652729911275, so
 * the half-width is 4.3027 x 10 / sqrt(3) = 24.8414: [-14.8414 %, 34.8414 %]
 * and [-4.8, 44.8].  One run prints nothing. */
START_TEST(test_summary_replications)
{
    struct run_metrics ms[3];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    memset(ms, 0, sizeof(ms));
    for (int i = 0; i < 3; i++) {
        ms[i].connect_attempts = 100;
        ms[i].connect_failures = (uint64_t)(10 * i);
        ms[i].requests = 100;
        ms[i].peak_time_wait = (uint64_t)(10 * (i + 1));
        ms[i].mean_time_wait = 5.0;
        ms[i].peak_in_use = 7;
    }
    summary_replications(f, ms, 1);
    fflush(f);
    ck_assert_uint_eq(len, 0);
    summary_replications(f, ms, 3);
    fclose(f);
    ck_assert_str_eq(buf, "over 3 replications: mean [95% Student t interval]\n"
                          "  failed connect() share   10.0000% [-14.8414%, 34.8414%]\n"
                          "  failed request share     0.0000% [0.0000%, 0.0000%]\n"
                          "  TIME_WAIT peak           20.0 [-4.8, 44.8]\n"
                          "  TIME_WAIT mean           5.0 [5.0, 5.0]\n"
                          "  ports in use, peak       7.0 [7.0, 7.0]\n");
    free(buf);
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_opts_parse);
    tcase_add_test(tc, test_opts_errors);
    tcase_add_test(tc, test_opts_help);
    tcase_add_test(tc, test_cmd_table);
    tcase_add_test(tc, test_summary_replications);
    tcase_add_test(tc, test_workers_all_jobs);
    tcase_add_test(tc, test_workers_crash);
    suite_add_tcase(s, tc);
    return s;
}
