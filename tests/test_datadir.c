/* test_datadir.c - experiments by name: the working directory first, then
 * $PORTSIM_DATADIR/experiments, with or without extension or folder. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/datadir.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* A data folder D with experiments/a.ini, experiments/kb/kb.ini,
 * experiments/kb/r.sweep, and a working directory W holding local.ini and a
 * folder 'kb' (a folder is never taken for a file). */
struct fix {
    char *root;
    char d[512];
    char w[512];
    char old[512];
};

static void fix_init(struct fix *f)
{
    char p[600];

    f->root = testutil_tmpdir();
    snprintf(f->d, sizeof(f->d), "%s/share", f->root);
    snprintf(f->w, sizeof(f->w), "%s/work", f->root);
    ck_assert_int_eq(mkdir(f->d, 0755), 0);
    snprintf(p, sizeof(p), "%s/experiments", f->d);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof(p), "%s/experiments/kb", f->d);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(testutil_write(p, "kb.ini", "[run]\n"));
    free(testutil_write(p, "r.sweep", "[sweep]\n"));
    snprintf(p, sizeof(p), "%s/experiments", f->d);
    free(testutil_write(p, "a.ini", "[run]\n"));
    ck_assert_int_eq(mkdir(f->w, 0755), 0);
    snprintf(p, sizeof(p), "%s/kb", f->w);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(testutil_write(f->w, "local.ini", "[run]\n"));
    ck_assert_ptr_nonnull(getcwd(f->old, sizeof(f->old)));
    ck_assert_int_eq(chdir(f->w), 0);
    ck_assert_int_eq(setenv("PORTSIM_DATADIR", f->d, 1), 0);
}

static void fix_fini(struct fix *f)
{
    ck_assert_int_eq(chdir(f->old), 0);
    unsetenv("PORTSIM_DATADIR");
    testutil_rmrf(f->root);
    free(f->root);
}

static void expect(struct fix *f, const char *name, const char *ext, const char *rel)
{
    char buf[1024], want[1024];
    const char *got = datadir_find(name, ext, buf, sizeof(buf));

    if (rel[0] == '=') {                    /* the name itself, unchanged */
        ck_assert_ptr_eq(got, name);
        return;
    }
    snprintf(want, sizeof(want), "%s/experiments/%s", f->d, rel);
    ck_assert_str_eq(got, want);
}

START_TEST(test_datadir_order)
{
    struct fix f;

    fix_init(&f);
    ck_assert_str_eq(datadir_root(), f.d);
    expect(&f, "local.ini", ".ini", "=");           /* working directory first */
    expect(&f, "a.ini", ".ini", "a.ini");            /* then the data folder */
    expect(&f, "a", ".ini", "a.ini");                /* extension left out */
    expect(&f, "kb/kb.ini", ".ini", "kb/kb.ini");    /* W/kb is a folder: skipped */
    expect(&f, "kb", ".ini", "kb/kb.ini");           /* a folder's main file */
    expect(&f, "kb/r", ".sweep", "kb/r.sweep");
    expect(&f, "nosuch.ini", ".ini", "=");           /* not found: as typed */
    expect(&f, "/abs/nosuch.ini", ".ini", "=");      /* absolute: as typed */
    ck_assert_ptr_null(datadir_find(NULL, ".ini", NULL, 0));
    fix_fini(&f);
}
END_TEST

START_TEST(test_datadir_short_buffer)
{
    struct fix f;
    char tiny[8];

    fix_init(&f);
    /* no candidate fits in 8 bytes: the name comes back, never a cut path */
    ck_assert_str_eq(datadir_find("a.ini", ".ini", tiny, sizeof(tiny)), "a.ini");
    fix_fini(&f);
}
END_TEST

Suite *datadir_suite(void)
{
    Suite *s = suite_create("datadir");
    TCase *core = tcase_create("core");
    TCase *edge = tcase_create("edge");

    tcase_add_test(core, test_datadir_order);
    tcase_add_test(edge, test_datadir_short_buffer);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edge);
    return s;
}
