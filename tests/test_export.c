/* test_export.c - the export tables (analysis/export.h): the column naming
 * rule, and one row written as csv, json and jsonl with its exact text. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/export.h"
#include "tests/suites.h"

START_TEST(test_metric_columns)
{
    ck_assert_str_eq(export_metric_column("peak_time_wait"), "peak_time_wait_entries");
    ck_assert_str_eq(export_metric_column("mean_in_use"), "mean_in_use_ports");
    ck_assert_str_eq(export_metric_column("first_failure_time"), "first_failure_time_s");
    ck_assert_str_eq(export_metric_column("requests"), "requests");   /* a count: no unit */
}
END_TEST

/* Two rows, the second with a column the first lacks and a field that
 * needs CSV quoting. */
static char *written(enum export_format fmt)
{
    json_t *rows = json_array(), *a = json_object(), *b = json_object();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct err e;

    json_object_set_new(a, "seed", json_string("18446744073709551615"));
    json_object_set_new(a, "workload.rate", json_real(0.05));
    json_object_set_new(b, "seed", json_string("2"));
    json_object_set_new(b, "workload.rate", json_integer(40));
    json_object_set_new(b, "error", json_string("a, \"b\""));
    json_array_append_new(rows, a);
    json_array_append_new(rows, b);
    err_clear(&e);
    ck_assert_int_eq(export_write(f, rows, fmt, &e), 0);
    fclose(f);
    json_decref(rows);
    return buf;
}

START_TEST(test_write)
{
    char *csv = written(EXPORT_CSV), *jl = written(EXPORT_JSONL), *js = written(EXPORT_JSON);

    ck_assert_str_eq(csv, "seed,workload.rate,error\n"
                          "18446744073709551615,0.05,\n"
                          "2,40,\"a, \"\"b\"\"\"\n");
    ck_assert_str_eq(jl, "{\"seed\":\"18446744073709551615\",\"workload.rate\":0.05}\n"
                         "{\"seed\":\"2\",\"workload.rate\":40,\"error\":\"a, \\\"b\\\"\"}\n");
    ck_assert_str_eq(js, "[\n{\"seed\":\"18446744073709551615\",\"workload.rate\":0.05},\n"
                         "{\"seed\":\"2\",\"workload.rate\":40,\"error\":\"a, \\\"b\\\"\"}\n]\n");
    free(csv);
    free(jl);
    free(js);
}
END_TEST

START_TEST(test_format_parse)
{
    enum export_format f = EXPORT_CSV;
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(export_format_parse("jsonl", &f, &e), 0);
    ck_assert_int_eq(f, EXPORT_JSONL);
    ck_assert_int_eq(export_format_parse("xml", &f, &e), PS_EINVAL);
    ck_assert_int_eq(f, EXPORT_JSONL);
}
END_TEST

Suite *export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_metric_columns);
    tcase_add_test(tc, test_write);
    tcase_add_test(tc, test_format_parse);
    suite_add_tcase(s, tc);
    return s;
}
