/* test_html.c - the run page's words: the headline counts each figure in
 * its own buffer (it once printed the connect() attempts where it said
 * requests), and doubles in the parameters read as people write them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/html.h"
#include "tests/suites.h"
#include "tests/testutil.h"

/* The page of 'm' and 'params_json', no chart; caller frees. */
static char *page(const struct run_metrics *m, const char *params_json)
{
    char *dir = testutil_tmpdir(), path[4200], *text;
    struct html_page pg;
    struct err e;
    FILE *f;
    long len;

    snprintf(path, sizeof(path), "%s/page.html", dir);
    memset(&pg, 0, sizeof(pg));
    pg.title = "t";
    pg.subtitle = "s";
    pg.params_json = params_json;
    pg.m = m;
    pg.exhausted_words = "WSAENOBUFS (10055)";
    pg.collision_words = "WSAEADDRINUSE (10048)";
    pg.duration = 10 * SIMTIME_NS_PER_S;
    pg.note = "no chart";
    err_clear(&e);
    ck_assert_msg(html_write(path, &pg, &e) == 0, "%s", e.msg);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)len + 1);
    ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    testutil_rmrf(dir);
    free(dir);
    return text;
}

START_TEST(test_headline_counts)
{
    struct run_metrics m;
    char *text;

    memset(&m, 0, sizeof(m));
    m.requests = 144357;
    m.requests_failed = 83413;
    m.connect_attempts = 143053;
    m.connects = 59640;
    m.connect_failures = 83413;
    m.first_failure_time = 12.5;
    text = page(&m, "{\"workload\":{\"service_time\":0.05,\"rate\":40.0,\"servers\":1}}");
    ck_assert_msg(strstr(text, "83,413 of 144,357 requests were lost") != NULL,
                  "headline: %.300s", strstr(text, "headline"));
    ck_assert_ptr_nonnull(strstr(text, "83,413 of 143,053 <code>connect()</code>"));
    /* 0.05 as written, not 0.050000000000000003; 40.0 as 40 */
    ck_assert_ptr_nonnull(strstr(text, "<code>service_time</code></td><td><code>0.05</code>"));
    ck_assert_ptr_nonnull(strstr(text, "<code>rate</code></td><td><code>40</code>"));
    ck_assert_ptr_nonnull(strstr(text, "<code>servers</code></td><td><code>1</code>"));
    free(text);
}
END_TEST

Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *core = tcase_create("core");

    tcase_add_test(core, test_headline_counts);
    suite_add_tcase(s, core);
    return s;
}
