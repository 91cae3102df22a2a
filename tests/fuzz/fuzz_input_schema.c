/* libFuzzer target: arbitrary bytes as a Python script -> argparse inference. Must never crash,
 * hang or leak, and a schema must hold the caps and shape the MCP server relies on: an object
 * schema marked "argparse", at most INPUT_SCHEMA_PROPERTIES_MAX properties, every string within
 * INPUT_SCHEMA_STRING_MAX bytes, every list within INPUT_SCHEMA_LIST_MAX, "required" naming only
 * properties, serialisable (valid UTF-8), and the same answer twice. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/input_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

/* Strings and lists anywhere in the schema, which is at most a few levels deep. */
static void check_values(const json_t *v, int depth) {
        check(depth < 6);
        if (json_is_string(v))
                check(json_string_length(v) <= INPUT_SCHEMA_STRING_MAX);
        else if (json_is_array(v)) {
                check(json_array_size(v) <= INPUT_SCHEMA_LIST_MAX);
                size_t i;
                json_t *e;
                json_array_foreach(v, i, e)
                        check_values(e, depth + 1);
        } else if (json_is_object(v)) {
                const char *k;
                json_t *e;
                json_object_foreach((json_t *) v, k, e) {
                        check(strlen(k) <= INPUT_SCHEMA_STRING_MAX && *k);
                        check_values(e, depth + 1);
                }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        json_t *s = NULL;
        int r = input_schema_python((const char *) data, size, &s);
        check(r == 0 || r == -ENOMEM);
        if (!s)
                return 0;
        check(json_is_object(s));
        const char *type = json_string_value(json_object_get(s, "type"));
        const char *source = json_string_value(json_object_get(s, "x-skilllite-source"));
        check(type && strcmp(type, "object") == 0);
        check(source && strcmp(source, "argparse") == 0);
        check(json_is_true(json_object_get(s, "additionalProperties")));
        json_t *props = json_object_get(s, "properties");
        check(json_is_object(props) && json_object_size(props) <= INPUT_SCHEMA_PROPERTIES_MAX);
        const char *k;
        json_t *p;
        json_object_foreach(props, k, p)
                check(json_is_object(p));
        json_t *req = json_object_get(s, "required");
        check(!req || (json_is_array(req) && json_array_size(req) > 0));
        size_t i;
        json_t *e;
        json_array_foreach(req, i, e)
                check(json_is_string(e) && json_object_get(props, json_string_value(e)));
        check_values(s, 0);
        char *text = json_dumps(s, JSON_COMPACT);
        check(text != NULL);
        free(text);

        json_t *again = NULL;
        if (input_schema_python((const char *) data, size, &again) == 0)
                check(json_equal(s, again));
        json_decref(again);
        json_decref(s);
        return 0;
}
