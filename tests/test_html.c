/* test_html.c - the page analysis/html.c writes, read back as text: the
 * headline's numbers, the Content-Security-Policy, one strip-chart row per
 * port and a mark per failure, the heat map, escaping, and an unwritable
 * path.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/html.h"
#include "tests/suites.h"
#include "tests/testutil.h"

#define NS_S SIMTIME_NS_PER_S

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static unsigned occurrences(const char *text, const char *what)
{
    unsigned n = 0;

    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The page of 'pg', as text (caller frees). */
static char *page(const struct html_page *pg)
{
    char *dir = testutil_tmpdir(), path[4096], *text;
    struct err e;

    snprintf(path, sizeof(path), "%s/page.html", dir);
    err_clear(&e);
    ck_assert_msg(html_write(path, pg, &e) == 0, "%s", e.msg);
    text = slurp(path);
    testutil_rmrf(dir);
    free(dir);
    return text;
}

static void base_page(struct html_page *pg, struct run_metrics *m)
{
    memset(m, 0, sizeof(*m));
    memset(pg, 0, sizeof(*pg));
    pg->title = "kb319502";
    pg->subtitle = "win2000 rules, seed 1";
    pg->params_json = "{\"stack\": {\"profile\": \"win2000\"}}";
    pg->m = m;
    pg->exhausted_words = "WSAEADDRINUSE (10048)";
    pg->collision_words = "WSAEADDRINUSE (10048), event 4227";
    pg->pool_ports = 3976;
    pg->duration = simtime_from_s(100);
}

/* The headline names each figure once: failures of calls, lost requests of
 * requests.  (It used to print the call count where it says requests, from
 * one buffer passed to two count() calls in one fprintf.) */
START_TEST(test_headline_numbers)
{
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    m.requests = 144357;
    m.connect_attempts = 143053;
    m.connects = 59640;
    m.connect_failures = 83413;
    m.failures_exhausted = 83413;
    m.requests_failed = 83413;
    m.has_first_failure = true;
    m.first_failure_time = 233.882;
    text = page(&pg);
    ck_assert_ptr_nonnull(strstr(text, "<strong>83,413 of 143,053 <code>connect()</code> calls "
                                       "failed (58.3%)</strong>; the first at t = 233.882 s."));
    ck_assert_ptr_nonnull(strstr(text, "83,413 of 144,357 requests were lost."));
    free(text);
}
END_TEST

START_TEST(test_headline_no_failure)
{
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    m.requests = 1000;
    m.connect_attempts = 1000;
    m.connects = 1000;
    text = page(&pg);
    ck_assert_ptr_nonnull(strstr(text, "No <code>connect()</code> failed: 1,000 of 1,000 calls "
                                       "connected."));
    ck_assert_ptr_null(strstr(text, "requests were lost"));
    free(text);
}
END_TEST

/* No request, one script: the CSP forbids everything but inline style,
 * data: images and the time control's script (by its hash), the page holds
 * that one script and its data block, and names no http(s) resource. */
START_TEST(test_csp_and_no_request)
{
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    text = page(&pg);
    ck_assert_ptr_nonnull(strstr(text, "<meta http-equiv=\"Content-Security-Policy\" "
                                       "content=\"default-src 'none'; style-src 'unsafe-inline'; "
                                       "img-src data:; script-src 'sha256-"));
    ck_assert_uint_eq(occurrences(text, "<script>"), 1);
    ck_assert_uint_eq(occurrences(text, "<script type=\"application/json\" id=\"series\">"), 1);
    ck_assert_uint_eq(occurrences(text, "<script"), 2);
    ck_assert_ptr_nonnull(strstr(text, "{\"t\":[],\"u\":[],\"w\":[],\"f\":[]}"));
    ck_assert_ptr_null(strstr(text, "src=\"http"));
    ck_assert_ptr_null(strstr(text, "href=\"http"));
    ck_assert_ptr_null(strstr(text, "src=\"//"));
    /* no samples: said so instead of a chart */
    ck_assert_ptr_nonnull(strstr(text, "No samples (run.sample_interval = 0)."));
    free(text);
}
END_TEST

/* Strip chart of 2 pools of 3 ports (6 rows), 2 spans, 3 failures. */
START_TEST(test_strip_rows_and_marks)
{
    static const struct html_span spans[] = {
        {0, 10 * NS_S, 0, HTML_IN_USE},
        {10 * NS_S, 50 * NS_S, 0, HTML_TIME_WAIT},
        {0, 4 * NS_S, 1, HTML_SERVER_TW},
    };
    static const struct html_mark marks[] = {
        {20 * NS_S, HTML_NO_ROW, 0},
        {30 * NS_S, HTML_NO_ROW, 0},
        {40 * NS_S, 4, 1},
    };
    struct html_strip s = {
        .nrows = 6, .first_port = 1025, .ports_per_pool = 3,
        .spans = spans, .nspans = 3, .marks = marks, .nmarks = 3,
        .complete_until = SIMTIME_NEVER,
    };
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    pg.strip = &s;
    text = page(&pg);
    ck_assert_uint_eq(occurrences(text, "class=\"row\""), 6);
    ck_assert_ptr_nonnull(strstr(text, "class=\"strip\""));
    ck_assert_ptr_null(strstr(text, "class=\"heat\""));
    ck_assert_ptr_nonnull(strstr(text, "data-port=\"1027\""));
    ck_assert_ptr_null(strstr(text, "data-port=\"1028\""));
    ck_assert_uint_eq(occurrences(text, "class=\"inuse\""), 1);
    /* hover text and the times the time control reads; the server's band */
    ck_assert_ptr_nonnull(strstr(text, "data-t0=\"0\" data-t1=\"10\" data-what=\"port 1025: "
                                       "in use\"><title>port 1025: in use, 0-10 s</title>"));
    ck_assert_ptr_nonnull(strstr(text, "<title>port 1025: TIME_WAIT (client), 10-50 s</title>"));
    ck_assert_uint_eq(occurrences(text, "class=\"srvtw\""), 1);
    ck_assert_ptr_nonnull(strstr(text, "<title>port 1026: TIME_WAIT kept by the server, 0-4 s"));
    ck_assert_ptr_nonnull(strstr(text, "<title>t = 20 s: connect() failed, no port left</title>"));
    ck_assert_ptr_nonnull(strstr(text, "<title>t = 40 s: connect() failed, TIME_WAIT collision"));
    ck_assert_ptr_nonnull(strstr(text, "class=\"cursor\""));
    /* marks carry counts that add up to the failures */
    {
        unsigned sum = 0;

        for (const char *p = strstr(text, "class=\"fail\" data-n=\""); p;
             p = strstr(p + 1, "class=\"fail\" data-n=\""))
            sum += (unsigned)atoi(p + strlen("class=\"fail\" data-n=\""));
        ck_assert_uint_eq(sum, 3);
    }
    free(text);
}
END_TEST

START_TEST(test_heat_map)
{
    static const double in_use[2 * 3] = {0, 0.5, 1, 0, 0, 0};
    static const double tw[2 * 3] = {0, 0.5, 0, 1, 1, 1};
    struct html_heat h = {
        .nrows = 2, .ncols = 3, .first_port = 1025, .ports_per_row = 100, .nports = 200,
        .in_use = in_use, .time_wait = tw,
    };
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    pg.heat = &h;
    text = page(&pg);
    ck_assert_ptr_nonnull(strstr(text, "class=\"heat\""));
    ck_assert_ptr_null(strstr(text, "class=\"strip\""));
    ck_assert_uint_eq(occurrences(text, "class=\"row\""), 0);
    /* distinct hues: white + use x (dark blue - white) + tw x (orange - white):
     * all in use #1f3556, all TIME_WAIT #e07b00, half and half
     * (255 - 112 - 15.5, 255 - 101 - 66, 255 - 84.5 - 127.5) = #80582b */
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#1f3556\"/>"));
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#e07b00\"/>"));
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#80582b\"/>"));
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#ffffff\"/>"));
    /* the legend: a ramp of each hue (two shades in one fprintf once shared
     * one buffer, and both ramps came out alike) */
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#1f3556\" stroke=\"#555\" stroke-width=\"0.5\">"
                                       "<title>100% in use</title>"));
    ck_assert_ptr_nonnull(strstr(text, "fill=\"#e07b00\" stroke=\"#555\" stroke-width=\"0.5\">"
                                       "<title>100% in TIME_WAIT</title>"));
    free(text);
}
END_TEST

/* Three samples at 1, 2, 3 s (in use 1, 3, 2; TIME_WAIT 0, 1, 2; 4
 * failures in (1, 2]): the line chart steps (H then V), the failures lane
 * has one bar of 4/s with its hover text, the script's data holds the
 * cumulative failures 0, 4, 4, and the mean figures are in shortest form. */
START_TEST(test_steps_lane_series)
{
    struct run_sample sm[3] = {
        {NS_S, 1, 0, 1, 0, 1, 0, 0}, {2 * NS_S, 3, 1, 0, 4, 4, 0, 0},
        {3 * NS_S, 2, 2, 1, 0, 1, 0, 0},
    };
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    pg.samples = sm;
    pg.nsamples = 3;
    pg.pool_ports = 4;
    pg.duration = simtime_from_s(10);
    m.mean_in_use = 1.23456789;
    text = page(&pg);
    /* x = 80 + 900 t / 10; ymax = 4 x 1.08 = 4.32, y = 290 - 260 v / 4.32 */
    ck_assert_ptr_nonnull(strstr(text, "d=\"M170.0 229.8H260.0V109.4H350.0V169.6H980.0\">"));
    ck_assert_uint_eq(occurrences(text, "class=\"failrate\""), 1);
    ck_assert_ptr_nonnull(strstr(text, "<title>1-2 s: 4 failed, 4/s</title>"));
    ck_assert_ptr_nonnull(strstr(text, "{\"t\":[1,2,3],\"u\":[1,3,2],\"w\":[0,1,2],"
                                       "\"f\":[0,4,4]}"));
    ck_assert_ptr_nonnull(strstr(text, "peak; mean 1.2 ports"));
    ck_assert_ptr_nonnull(strstr(text, "max=\"10\" step=\"0.01\""));
    free(text);
}
END_TEST

START_TEST(test_escaped_title)
{
    struct html_page pg;
    struct run_metrics m;
    char *text;

    base_page(&pg, &m);
    pg.title = "<b>&\"x\"";
    text = page(&pg);
    ck_assert_ptr_null(strstr(text, "<b>&"));
    ck_assert_ptr_nonnull(strstr(text, "&lt;b&gt;&amp;"));
    free(text);
}
END_TEST

START_TEST(test_unwritable_path)
{
    struct html_page pg;
    struct run_metrics m;
    struct err e;

    base_page(&pg, &m);
    err_clear(&e);
    ck_assert_int_eq(html_write("/nonexistent-dir/x/page.html", &pg, &e), PS_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent-dir/x/page.html"));
}
END_TEST

/* The page of 'm' and 'params_json', no chart; caller frees. */
static char *page_params(const struct run_metrics *m, const char *params_json)
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

START_TEST(test_params_shortest)
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
    text = page_params(&m, "{\"workload\":{\"service_time\":0.05,\"rate\":40.0,\"servers\":1}}");
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
    TCase *tc = tcase_create("page");

    tcase_add_test(tc, test_headline_numbers);
    tcase_add_test(tc, test_headline_no_failure);
    tcase_add_test(tc, test_csp_and_no_request);
    tcase_add_test(tc, test_strip_rows_and_marks);
    tcase_add_test(tc, test_heat_map);
    tcase_add_test(tc, test_steps_lane_series);
    tcase_add_test(tc, test_escaped_title);
    tcase_add_test(tc, test_unwritable_path);
    tcase_add_test(tc, test_params_shortest);
    suite_add_tcase(s, tc);
    return s;
}
