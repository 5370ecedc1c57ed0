/* test_inifile.c - the INI reader shared by scenarios and sweeps: keys with
 * their sections and line numbers, leading blanks, " #" comments, a byte
 * order mark, section callbacks, over-long lines, syntax errors, a NUL byte
 * and a missing file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/inifile.h"
#include "tests/suites.h"
#include "tests/testutil.h"

enum { MAXK = 16 };

struct seen {
    struct inifile *f;
    unsigned nkeys;
    char key[MAXK][64];                 /* "section.name=value" */
    unsigned long key_line[MAXK];
    unsigned nsections;
    char section[MAXK][64];
    unsigned long section_line[MAXK];
    unsigned nproblems;
    char problem[256];
};

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct seen *s = user;

    if (s->nkeys < MAXK) {
        snprintf(s->key[s->nkeys], sizeof(s->key[0]), "%s.%s=%s", section, name, value);
        s->key_line[s->nkeys++] = s->f->lineno;
    }
    return 1;
}

static void on_section(void *user, const char *name)
{
    struct seen *s = user;

    if (s->nsections < MAXK) {
        snprintf(s->section[s->nsections], sizeof(s->section[0]), "%s", name);
        s->section_line[s->nsections++] = s->f->lineno;
    }
}

static void on_problem(void *user, const char *what)
{
    struct seen *s = user;

    s->nproblems++;
    snprintf(s->problem, sizeof(s->problem), "%s", what);
}

/* Parse 'text' as file 'name' in a fresh directory; returns inifile_parse's
 * result, and the syntax error's message in 'msg' if any. */
static int parse(const char *text, struct seen *s, char *msg, size_t msgsize)
{
    char *dir = testutil_tmpdir(), *path = testutil_write(dir, "t.ini", text);
    struct inifile f;
    struct err e;
    int rc;

    memset(s, 0, sizeof(*s));
    err_clear(&e);
    ck_assert_msg(inifile_open(&f, path, &e) == 0, "%s", e.msg);
    s->f = &f;
    f.on_section = on_section;
    f.on_problem = on_problem;
    f.user = s;
    rc = inifile_parse(&f, on_key, s);
    if (rc > 0 && msg) {
        ck_assert_int_eq(inifile_syntax_error(&f, rc, &e), PS_EINVAL);
        snprintf(msg, msgsize, "%s", e.msg);
    }
    inifile_fini(&f);
    testutil_rmrf(dir);
    free(path);
    free(dir);
    return rc;
}

START_TEST(test_keys_sections_lines)
{
    struct seen s;

    ck_assert_int_eq(parse("; a comment\n"
                           "[run]\n"
                           "duration = 60\n"
                           "\n"
                           "[stack]\n"
                           "  time_wait = 30 # seconds\n"
                           "\tprofile = win2000\n"
                           "# [not a section]\n",
                           &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nsections, 2);
    ck_assert_str_eq(s.section[0], "run");
    ck_assert_uint_eq(s.section_line[0], 2);
    ck_assert_str_eq(s.section[1], "stack");
    ck_assert_uint_eq(s.section_line[1], 5);
    ck_assert_uint_eq(s.nkeys, 3);
    ck_assert_str_eq(s.key[0], "run.duration=60");
    ck_assert_uint_eq(s.key_line[0], 3);
    /* indented: a key, not a continuation; " #" cuts the comment */
    ck_assert_str_eq(s.key[1], "stack.time_wait=30");
    ck_assert_uint_eq(s.key_line[1], 6);
    ck_assert_str_eq(s.key[2], "stack.profile=win2000");
    ck_assert_uint_eq(s.key_line[2], 7);
    ck_assert_uint_eq(s.nproblems, 0);
}
END_TEST

/* '#' not after a blank is part of the value */
START_TEST(test_hash_inside_value)
{
    struct seen s;

    ck_assert_int_eq(parse("[run]\nname = a#b\n", &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nkeys, 1);
    ck_assert_str_eq(s.key[0], "run.name=a#b");
}
END_TEST

START_TEST(test_byte_order_mark)
{
    struct seen s;

    ck_assert_int_eq(parse("\xEF\xBB\xBF[run]\nduration = 5\n", &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nsections, 1);
    ck_assert_str_eq(s.section[0], "run");
    ck_assert_str_eq(s.key[0], "run.duration=5");
}
END_TEST

START_TEST(test_no_final_newline)
{
    struct seen s;

    ck_assert_int_eq(parse("[run]\nduration = 7", &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nkeys, 1);
    ck_assert_str_eq(s.key[0], "run.duration=7");
    ck_assert_uint_eq(s.key_line[0], 2);
}
END_TEST

START_TEST(test_syntax_error_line)
{
    struct seen s;
    char msg[2048];

    ck_assert_int_eq(parse("[run]\nduration = 5\n   not a key line\n", &s, msg, sizeof(msg)), 3);
    ck_assert_msg(strstr(msg, "t.ini:3: expected 'key = value' or '[section]' "
                              "(got 'not a key line')") != NULL, "%s", msg);
}
END_TEST

START_TEST(test_long_line_is_a_problem)
{
    struct seen s;
    size_t n = 5000;
    char *text = malloc(n + 32);

    strcpy(text, "[run]\nname = ");
    memset(text + strlen(text), 'x', n);
    strcpy(text + strlen("[run]\nname = ") + n, "\n");
    parse(text, &s, NULL, 0);
    ck_assert_uint_ge(s.nproblems, 1);
    ck_assert_msg(strstr(s.problem, "line too long") != NULL, "%s", s.problem);
    free(text);
}
END_TEST

START_TEST(test_nul_byte)
{
    char *dir = testutil_tmpdir(), path[4096];
    struct inifile f;
    struct err e;
    FILE *out;

    snprintf(path, sizeof(path), "%s/nul.ini", dir);
    out = fopen(path, "wb");
    ck_assert_ptr_nonnull(out);
    fwrite("[run]\n\0x = 1\n", 1, 13, out);
    fclose(out);
    err_clear(&e);
    ck_assert_int_eq(inifile_open(&f, path, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "not a text file") != NULL, "%s", e.msg);
    testutil_rmrf(dir);
    free(dir);
}
END_TEST

START_TEST(test_missing_file)
{
    struct inifile f;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(inifile_open(&f, "/nonexistent/x.ini", &e), PS_EIO);
    ck_assert_msg(strstr(e.msg, "/nonexistent/x.ini: No such file") != NULL, "%s", e.msg);
}
END_TEST

Suite *inifile_suite(void)
{
    Suite *s = suite_create("inifile");
    TCase *tc = tcase_create("read");

    tcase_add_test(tc, test_keys_sections_lines);
    tcase_add_test(tc, test_hash_inside_value);
    tcase_add_test(tc, test_byte_order_mark);
    tcase_add_test(tc, test_no_final_newline);
    tcase_add_test(tc, test_syntax_error_line);
    tcase_add_test(tc, test_long_line_is_a_problem);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return s;
}
