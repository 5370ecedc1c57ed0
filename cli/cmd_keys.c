/* cmd_keys.c - 'portsim keys': every key of a scenario and of a sweep file,
 * from the key tables (models/keys.c), like ns-3's --PrintAttributes.
 *
 * Formats: table (for people), markdown (the README's table is this output
 * between its <!-- keys:begin --> and <!-- keys:end --> markers; an e2e test
 * compares them), json (one object per key).  Cost: O(keys).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cmd.h"
#include "models/keys.h"

static const char *default_of(const struct key_def *k)
{
    if (k->def)
        return k->def[0] ? k->def : "\"\"";
    return k->def_note;
}

static void print_table(const struct key_def *t, size_t n, const char *fmt)
{
    char allowed[400];

    for (size_t i = 0; i < n; i++) {
        char key[80];

        snprintf(key, sizeof(key), "%s.%s", t[i].section, t[i].name);
        keys_allowed(&t[i], false, allowed, sizeof(allowed));
        if (strcmp(fmt, "markdown") == 0)
            printf("| %s | %s | %s | %s | %s | %s |\n", key, keys_type_name(&t[i]), t[i].unit,
                   default_of(&t[i]), allowed, t[i].help);
        else
            printf("%-28s %-9s %-13s %-22s %s\n    %s\n", key, keys_type_name(&t[i]), t[i].unit,
                   default_of(&t[i]), t[i].help, allowed);
    }
}

static void add_json(json_t *a, const struct key_def *t, size_t n)
{
    char allowed[400];

    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();

        json_object_set_new(o, "section", json_string(t[i].section));
        json_object_set_new(o, "key", json_string(t[i].name));
        json_object_set_new(o, "type", json_string(keys_type_name(&t[i])));
        json_object_set_new(o, "unit", json_string(t[i].unit));
        json_object_set_new(o, "default", json_string(default_of(&t[i])));
        json_object_set_new(o, "allowed",
                            json_string(keys_allowed(&t[i], false, allowed, sizeof(allowed))));
        json_object_set_new(o, "help", json_string(t[i].help));
        json_array_append_new(a, o);
    }
}

int cmd_keys(void *args, int nops, char **ops)
{
    const struct keys_args *a = args;
    const char *fmt = a->format;
    size_t ns, nw;
    const struct key_def *s = keys_scenario(&ns), *w = keys_sweep(&nw);

    (void)nops;
    (void)ops;
    if (strcmp(fmt, "json") == 0) {
        json_t *arr = json_array();
        char *out;

        add_json(arr, s, ns);
        add_json(arr, w, nw);
        out = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        json_decref(arr);
        if (!out)
            return 1;
        printf("%s\n", out);
        free(out);
        return 0;
    }
    if (strcmp(fmt, "table") != 0 && strcmp(fmt, "markdown") != 0) {
        fprintf(stderr, "portsim keys: '--format' must be table, markdown or json (got '%s')\n",
                fmt);
        return 2;
    }
    if (strcmp(fmt, "markdown") == 0)
        printf("| key | type | unit | default | allowed | meaning |\n|---|---|---|---|---|---|\n");
    print_table(s, ns, fmt);
    print_table(w, nw, fmt);
    return 0;
}
