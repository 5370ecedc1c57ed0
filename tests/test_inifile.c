/* test_inifile.c - the INI reader shared by scenarios and sweeps: keys with
 * their sections and line numbers, leading blanks, " #" comments, a byte
 * order mark, section callbacks, over-long lines, syntax errors, a NUL byte
 * and a missing file; the reader findings of issue 13: text after ']', CR-only
 * line endings (CRLF read), bytes that are not UTF-8, a section given twice,
 * comments of any length, a file too large.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    char problem[256];                  /* the first problem */
    unsigned long problem_line;         /* and its line */
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

    if (s->nproblems++ == 0) {
        snprintf(s->problem, sizeof(s->problem), "%s", what);
        s->problem_line = s->f->lineno;
    }
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


/* Expect exactly one problem, at 'line', whose text holds 'what'. */
static void expect_problem(const char *text, unsigned long line, const char *what)
{
    struct seen s;

    parse(text, &s, NULL, 0);
    ck_assert_msg(s.nproblems == 1, "%u problems for '%s'", s.nproblems, text);
    ck_assert_uint_eq(s.problem_line, line);
    ck_assert_msg(strstr(s.problem, what) != NULL, "%s", s.problem);
}

START_TEST(test_text_after_section_header)
{
    struct seen s;

    /* "[run] duration = 10s" once ran the default hour silently */
    expect_problem("[run] duration = 10s\n", 1, "text after ']' in a section header "
                   "(got 'duration = 10s')");
    expect_problem("; c\n[run]x\n", 2, "(got 'x')");
    /* blanks, a CR and a comment after ']' are fine */
    ck_assert_int_eq(parse("[run] \t\r\n[stack] # c\n[workload] ; c\nrate = 5\n", &s, NULL, 0),
                     0);
    ck_assert_uint_eq(s.nproblems, 0);
    ck_assert_uint_eq(s.nsections, 3);
    ck_assert_str_eq(s.key[0], "workload.rate=5");
}
END_TEST

START_TEST(test_cr_only_line_endings)
{
    struct seen s;

    /* one "line" of 30 bytes: the first CR is column 6 */
    expect_problem("[run]\rduration = 10s\rseed = 2\r", 1,
                   "a carriage return inside the line at column 6");
    /* CRLF is read: values without the CR, the lines counted */
    ck_assert_int_eq(parse("[run]\r\nduration = 10s\r\nseed = 2\r\n", &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nproblems, 0);
    ck_assert_uint_eq(s.nkeys, 2);
    ck_assert_str_eq(s.key[1], "run.seed=2");
    ck_assert_uint_eq(s.key_line[1], 3);
}
END_TEST

START_TEST(test_not_utf8)
{
    struct seen s;

    /* "name = a" is 8 bytes, so the 0xFF is column 9 */
    expect_problem("[run]\nname = a\xff" "b\n", 2, "not UTF-8 text at column 9 (byte 0xFF)");
    expect_problem("[run]\n# Latin-1 \xe9t\xe9\n", 2, "column 11 (byte 0xE9)");
    expect_problem("[run]\nname = \xc0\xaf\n", 2, "(byte 0xC0)");       /* overlong '/' */
    expect_problem("[run]\nname = \xed\xa0\x80\n", 2, "(byte 0xED)");  /* a surrogate */
    expect_problem("[run]\nname = \xf4\x90\x80\x80\n", 2, "(byte 0xF4)"); /* > U+10FFFF */
    expect_problem("[run]\nname = \xe2\x82\n", 2, "(byte 0xE2)");      /* cut short */
    /* UTF-8 itself is fine: 2-, 3- and 4-byte forms */
    ck_assert_int_eq(parse("[run]\nname = \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n", &s, NULL,
                           0), 0);
    ck_assert_uint_eq(s.nproblems, 0);
    ck_assert_str_eq(s.key[0], "run.name=\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}
END_TEST

START_TEST(test_section_twice)
{
    expect_problem("[run]\nduration = 1\n[stack]\n[run]\nseed = 2\n", 4,
                   "section '[run]' appears twice (first at line 1)");
}
END_TEST

START_TEST(test_long_comments)
{
    struct seen s;
    size_t n = 5000;
    char *text = malloc(3 * n + 100), *p = text;

    /* a comment line, a " #" and a " ;" comment, each 5000 characters */
    p += sprintf(p, "# ");
    memset(p, 'c', n);
    p += n;
    p += sprintf(p, "\n[run]\nname = x # ");
    memset(p, 'c', n);
    p += n;
    p += sprintf(p, "\nseed = 3 ; ");
    memset(p, 'c', n);
    p += n;
    strcpy(p, "\n");
    ck_assert_int_eq(parse(text, &s, NULL, 0), 0);
    ck_assert_uint_eq(s.nproblems, 0);
    ck_assert_uint_eq(s.nkeys, 2);
    ck_assert_str_eq(s.key[0], "run.name=x");
    ck_assert_str_eq(s.key[1], "run.seed=3");
    free(text);
}
END_TEST

START_TEST(test_file_too_large)
{
    char *dir = testutil_tmpdir(), path[4096];
    struct inifile f;
    struct err e;
    FILE *out;

    snprintf(path, sizeof(path), "%s/big.ini", dir);
    out = fopen(path, "wb");
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(ftruncate(fileno(out), INIFILE_BYTES_MAX + 1), 0);
    fclose(out);
    err_clear(&e);
    ck_assert_int_eq(inifile_open(&f, path, &e), PS_EINVAL);
    ck_assert_msg(strstr(e.msg, "big.ini: larger than 16 MiB") != NULL, "%s", e.msg);
    /* /dev/zero never ends: refused after 16 MiB, not all of memory */
    ck_assert_int_eq(inifile_open(&f, "/dev/zero", &e), PS_EINVAL);
    testutil_rmrf(dir);
    free(dir);
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
    tcase_add_test(tc, test_text_after_section_header);
    tcase_add_test(tc, test_cr_only_line_endings);
    tcase_add_test(tc, test_not_utf8);
    tcase_add_test(tc, test_section_twice);
    tcase_add_test(tc, test_long_comments);
    tcase_add_test(tc, test_file_too_large);
    suite_add_tcase(s, tc);
    return s;
}
