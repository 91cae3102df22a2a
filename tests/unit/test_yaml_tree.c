/* Unit tests for src/skill/yaml_tree: core-schema scalars, duplicate keys, aliases and the
 * depth/node caps that keep hostile front matter ("billion laughs", deep nesting) cheap. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/skill/yaml_tree.h"

static json_t *parse(const char *text, struct error *err) {
        return yaml_tree_parse(text, strlen(text), 1, err);
}

/* Parse "v: <scalar>" and return the value (borrowed from *root). */
static json_t *scalar(const char *yaml_value, json_t **root) {
        char doc[256];
        snprintf(doc, sizeof(doc), "v: %s\n", yaml_value);
        struct error err = ERROR_INIT;
        *root = parse(doc, &err);
        cr_assert_not_null(*root, "'%s' should parse: %s", yaml_value, err.msg);
        json_t *v = json_object_get(*root, "v");
        cr_assert_not_null(v);
        return v;
}

static void expect_string(const char *yaml_value, const char *expected) {
        _cleanup_json_ json_t *root = NULL;
        json_t *v = scalar(yaml_value, &root);
        cr_assert(json_is_string(v), "'%s' should stay a string", yaml_value);
        cr_assert_str_eq(json_string_value(v), expected);
}

static void expect_integer(const char *yaml_value, json_int_t expected) {
        _cleanup_json_ json_t *root = NULL;
        json_t *v = scalar(yaml_value, &root);
        cr_assert(json_is_integer(v), "'%s' should be an integer", yaml_value);
        cr_assert_eq(json_integer_value(v), expected, "'%s'", yaml_value);
}

static void expect_real(const char *yaml_value, double expected) {
        _cleanup_json_ json_t *root = NULL;
        json_t *v = scalar(yaml_value, &root);
        cr_assert(json_is_real(v), "'%s' should be a float", yaml_value);
        cr_assert_float_eq(json_real_value(v), expected, 1e-12, "'%s'", yaml_value);
}

static void expect_type(const char *yaml_value, json_type type) {
        _cleanup_json_ json_t *root = NULL;
        json_t *v = scalar(yaml_value, &root);
        cr_assert_eq(json_typeof(v), type, "'%s' has type %d, expected %d", yaml_value,
                     json_typeof(v), type);
}

static double seconds_since(const struct timespec *t0) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        return (double) (t1.tv_sec - t0->tv_sec) + (double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Append n copies of s to a fresh heap string with a prefix and suffix. */
static char *repeat(const char *prefix, const char *s, size_t n, const char *suffix) {
        size_t lp = strlen(prefix), ls = strlen(s), lx = strlen(suffix);
        char *out = malloc(lp + ls * n + lx + 1);
        cr_assert_not_null(out);
        char *p = out;
        memcpy(p, prefix, lp);
        p += lp;
        for (size_t i = 0; i < n; i++, p += ls)
                memcpy(p, s, ls);
        memcpy(p, suffix, lx + 1);
        return out;
}

Test(yaml_tree, simple_mapping) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("name: my-skill\ndescription: Does things.\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert(json_is_object(j));
        cr_assert_eq(json_object_size(j), 2);
        cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "my-skill");
        cr_assert_str_eq(json_string_value(json_object_get(j, "description")), "Does things.");
        cr_assert_eq(err.code, 0);
}

Test(yaml_tree, nested_mapping_and_sequences) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j =
                parse("metadata:\n  a: b\n  c: 'd'\nlist:\n  - 1\n  - two\nflow: [x, {y: z}]\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        json_t *md = json_object_get(j, "metadata");
        cr_assert(json_is_object(md));
        cr_assert_str_eq(json_string_value(json_object_get(md, "c")), "d");
        json_t *list = json_object_get(j, "list");
        cr_assert_eq(json_array_size(list), 2);
        cr_assert_eq(json_integer_value(json_array_get(list, 0)), 1);
        cr_assert_str_eq(json_string_value(json_array_get(list, 1)), "two");
        json_t *flow = json_object_get(j, "flow");
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(flow, 1), "y")), "z");
}

Test(yaml_tree, keys_keep_document_order) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("z: 1\na: 2\nm: 3\n", &err);
        cr_assert_not_null(j);
        const char *expected[] = { "z", "a", "m" };
        size_t i = 0;
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v)
                cr_assert_str_eq(key, expected[i++]);
}

Test(yaml_tree, empty_and_comment_only_documents_are_null) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *a = yaml_tree_parse("", 0, 1, &err);
        cr_assert(json_is_null(a));
        _cleanup_json_ json_t *b = parse("# just a comment\n\n", &err);
        cr_assert(json_is_null(b));
        cr_assert_eq(err.code, 0);
}

Test(yaml_tree, top_level_non_mappings) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *a = parse("- a\n- b\n", &err);
        cr_assert(json_is_array(a));
        _cleanup_json_ json_t *s = parse("just text\n", &err);
        cr_assert(json_is_string(s));
        cr_assert_str_eq(json_string_value(s), "just text");
}

Test(yaml_tree, core_schema_nulls) {
        expect_type("~", JSON_NULL);
        expect_type("null", JSON_NULL);
        expect_type("Null", JSON_NULL);
        expect_type("NULL", JSON_NULL);
        expect_type("", JSON_NULL);
        expect_string("nULL", "nULL");
        expect_string("'null'", "null");
        expect_string("\"~\"", "~");
}

Test(yaml_tree, core_schema_booleans_are_yaml_1_2) {
        expect_type("true", JSON_TRUE);
        expect_type("True", JSON_TRUE);
        expect_type("TRUE", JSON_TRUE);
        expect_type("false", JSON_FALSE);
        expect_type("False", JSON_FALSE);
        expect_type("FALSE", JSON_FALSE);
        /* YAML 1.1 booleans are plain strings in 1.2 (the "Norway problem"). */
        expect_string("yes", "yes");
        expect_string("no", "no");
        expect_string("on", "on");
        expect_string("off", "off");
        expect_string("y", "y");
        expect_string("NO", "NO");
        expect_string("tRUE", "tRUE");
        expect_string("'true'", "true");
}

Test(yaml_tree, core_schema_integers) {
        expect_integer("0", 0);
        expect_integer("42", 42);
        expect_integer("-7", -7);
        expect_integer("+3", 3);
        expect_integer("007", 7);
        expect_integer("0o17", 15);
        expect_integer("0x1F", 31);
        expect_integer("0xff", 255);
        expect_integer("9223372036854775807", INT64_MAX);
        expect_integer("-9223372036854775808", INT64_MIN);
}

Test(yaml_tree, integer_overflow_becomes_a_float) {
        expect_real("99999999999999999999", 1e20);
}

Test(yaml_tree, malformed_hex_and_octal_stay_strings) {
        /* The core schema is 0x[0-9a-fA-F]+ and 0o[0-7]+; strtoll alone would accept signs,
         * blanks and a second "0x" prefix after the first. */
        expect_string("0x", "0x");
        expect_string("0o", "0o");
        expect_string("0xg", "0xg");
        expect_string("0o8", "0o8");
        expect_string("0x-5", "0x-5");
        expect_string("0x+5", "0x+5");
        expect_string("0o-7", "0o-7");
        expect_string("0x 5", "0x 5");
        expect_string("0x0x5", "0x0x5");
        expect_string("-0x5", "-0x5");
        expect_string("+0o7", "+0o7");
        expect_string("0x1_0", "0x1_0");
        expect_string("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF");
}

Test(yaml_tree, core_schema_floats) {
        expect_real("1.5", 1.5);
        expect_real("-2.25", -2.25);
        expect_real(".5", 0.5);
        expect_real("5.", 5.0);
        expect_real("1e3", 1000.0);
        expect_real("-2.5E-2", -0.025);
        expect_real("+1.0e+2", 100.0);
}

Test(yaml_tree, not_numbers_stay_strings) {
        expect_string(".", ".");
        expect_string("1e", "1e");
        expect_string("1e+", "1e+");
        expect_string("1.2.3", "1.2.3");
        expect_string("1_000", "1_000");
        expect_string("12abc", "12abc");
        expect_string("-a", "-a");
        expect_string("+", "+");
        expect_string(".inf", ".inf");
        expect_string("-.inf", "-.inf");
        expect_string(".nan", ".nan");
        expect_string("1e400", "1e400"); /* not finite: JSON has no form for it */
        expect_string("'42'", "42");
        expect_string("\"3.5\"", "3.5");
        expect_string("!!str 42", "42");
        expect_string("1.0.0", "1.0.0");
        expect_string("v1", "v1");
}

Test(yaml_tree, block_scalars_are_strings) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("a: |\n  line one\n  42\nb: >\n  folded\n  text\nc: |-\n  true\n",
                                         &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(j, "a")), "line one\n42\n");
        cr_assert_str_eq(json_string_value(json_object_get(j, "b")), "folded text\n");
        cr_assert(json_is_string(json_object_get(j, "c")));
        cr_assert_str_eq(json_string_value(json_object_get(j, "c")), "true");
}

Test(yaml_tree, scalar_keys_are_used_by_their_text) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("1: one\ntrue: yes\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(j, "1")), "one");
        cr_assert_str_eq(json_string_value(json_object_get(j, "true")), "yes");
}

Test(yaml_tree, collection_keys_rejected) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("? [a, b]\n: x\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "mapping keys must be scalars"), "%s", err.msg);
        error_clear(&err);
        cr_assert_null(parse("{ {a: b}: c }\n", &err));
        cr_assert_eq(err.code, -EINVAL);
}

Test(yaml_tree, duplicate_keys_rejected_with_line) {
        struct error err = ERROR_INIT;
        cr_assert_null(yaml_tree_parse("name: a\ndescription: b\nname: c\n", 29, 2, &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "duplicate key 'name'"), "%s", err.msg);
        /* first_line = 2: the third YAML line is line 4 of SKILL.md */
        cr_assert(strstr(err.msg, "line 4"), "%s", err.msg);
}

Test(yaml_tree, duplicate_keys_nested_and_differently_quoted) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("metadata:\n  a: 1\n  a: 2\n", &err));
        cr_assert(strstr(err.msg, "duplicate key 'a'"), "%s", err.msg);
        error_clear(&err);
        cr_assert_null(parse("name: a\n\"name\": b\n", &err));
        cr_assert(strstr(err.msg, "duplicate key 'name'"), "%s", err.msg);
        error_clear(&err);
        cr_assert_null(parse("{x: 1, 'x': 2}\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        error_clear(&err);
        /* Same key in different mappings is fine. */
        _cleanup_json_ json_t *ok = parse("a: {k: 1}\nb: {k: 2}\n", &err);
        cr_assert_not_null(ok, "%s", err.msg);
}

Test(yaml_tree, duplicate_key_from_non_string_scalar) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("1: a\n'1': b\n", &err));
        cr_assert(strstr(err.msg, "duplicate key '1'"), "%s", err.msg);
}

Test(yaml_tree, syntax_error_reports_offset_line) {
        struct error err = ERROR_INIT;
        const char *doc = "a: 1\nb: [unclosed\n";
        cr_assert_null(yaml_tree_parse(doc, strlen(doc), 10, &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strncmp(err.msg, "line ", 5) == 0, "%s", err.msg);
        size_t line = 0;
        cr_assert_eq(sscanf(err.msg, "line %zu", &line), 1);
        cr_assert_geq(line, 10, "%s", err.msg);
}

Test(yaml_tree, tab_indentation_is_an_error) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("metadata:\n\ta: b\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "line 2"), "%s", err.msg);
}

Test(yaml_tree, multiple_documents_rejected) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("a: 1\n---\nb: 2\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "only one YAML document"), "%s", err.msg);
        error_clear(&err);
        cr_assert_null(parse("a: 1\n...\nb: 2\n", &err));
        cr_assert_eq(err.code, -EINVAL);
}

Test(yaml_tree, invalid_utf8_input_fails_cleanly) {
        struct error err = ERROR_INIT;
        const char doc[] = "a: \xff\xfe\n";
        cr_assert_null(yaml_tree_parse(doc, sizeof(doc) - 1, 1, &err));
        cr_assert_lt(err.code, 0);
        error_clear(&err);
        const char surrogate[] = "a: \"\\ud800\"\n";
        cr_assert_null(yaml_tree_parse(surrogate, sizeof(surrogate) - 1, 1, &err));
        cr_assert_lt(err.code, 0);
}

Test(yaml_tree, nul_escape_in_value_kept_for_validator) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("a: \"x\\0y\"\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        json_t *a = json_object_get(j, "a");
        cr_assert_eq(json_string_length(a), 3);
        cr_assert_eq(memcmp(json_string_value(a), "x\0y", 3), 0);
}

Test(yaml_tree, nul_escape_in_key_rejected) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("\"na\\0me\": x\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "NUL"), "%s", err.msg);
}

Test(yaml_tree, aliases_expand) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j =
                parse("a: &x hello\nb: *x\nl: &L [1, 2]\nm: *L\nk: &K {p: q}\nn: *K\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(j, "b")), "hello");
        cr_assert(json_equal(json_object_get(j, "l"), json_object_get(j, "m")));
        cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "n"), "p")), "q");
}

Test(yaml_tree, alias_as_key) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("a: &k name\n*k : value\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "value");
}

Test(yaml_tree, anchor_redefinition_shadows) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *j = parse("a: &x one\nb: &x two\nc: *x\n", &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(j, "c")), "two");
}

Test(yaml_tree, undefined_and_self_referencing_aliases_rejected) {
        struct error err = ERROR_INIT;
        cr_assert_null(parse("a: *nowhere\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        cr_assert(strstr(err.msg, "undefined anchor"), "%s", err.msg);
        error_clear(&err);
        /* An anchor is usable only once its node is complete: no cycles. */
        cr_assert_null(parse("a: &r [1, *r]\n", &err));
        cr_assert_eq(err.code, -EINVAL);
        error_clear(&err);
        cr_assert_null(parse("a: &m {k: *m}\n", &err));
        cr_assert_eq(err.code, -EINVAL);
}

Test(yaml_tree, depth_limit_boundary) {
        struct error err = ERROR_INIT;
        /* YAML_TREE_MAX_DEPTH nested sequences are fine, one more is not. */
        _cleanup_free_ char *ok_open = repeat("", "[", YAML_TREE_MAX_DEPTH, "");
        _cleanup_free_ char *ok = repeat(ok_open, "]", YAML_TREE_MAX_DEPTH, "\n");
        _cleanup_json_ json_t *j = parse(ok, &err);
        cr_assert_not_null(j, "%s", err.msg);

        _cleanup_free_ char *bad_open = repeat("", "[", YAML_TREE_MAX_DEPTH + 1, "");
        _cleanup_free_ char *bad = repeat(bad_open, "]", YAML_TREE_MAX_DEPTH + 1, "\n");
        cr_assert_null(parse(bad, &err));
        cr_assert_eq(err.code, -E2BIG);
        cr_assert(strstr(err.msg, "nesting"), "%s", err.msg);
}

Test(yaml_tree, depth_limit_counts_mappings) {
        struct error err = ERROR_INIT;
        _cleanup_free_ char *o16 = repeat("", "{k: ", YAML_TREE_MAX_DEPTH, "1");
        _cleanup_free_ char *d16 = repeat(o16, "}", YAML_TREE_MAX_DEPTH, "\n");
        _cleanup_json_ json_t *j = parse(d16, &err);
        cr_assert_not_null(j, "%s", err.msg);
        _cleanup_free_ char *o17 = repeat("", "{k: ", YAML_TREE_MAX_DEPTH + 1, "1");
        _cleanup_free_ char *d17 = repeat(o17, "}", YAML_TREE_MAX_DEPTH + 1, "\n");
        cr_assert_null(parse(d17, &err));
        cr_assert_eq(err.code, -E2BIG);
}

Test(yaml_tree, ten_thousand_open_brackets_fail_cleanly) {
        struct error err = ERROR_INIT;
        _cleanup_free_ char *doc = repeat("", "[", 10000, "");
        cr_assert_null(parse(doc, &err));
        cr_assert_eq(err.code, -E2BIG, "%d %s", err.code, err.msg);
        error_clear(&err);
        _cleanup_free_ char *closed_open = repeat("a: ", "[", 10000, "");
        _cleanup_free_ char *closed = repeat(closed_open, "]", 10000, "\n");
        cr_assert_null(parse(closed, &err));
        cr_assert_eq(err.code, -E2BIG);
        error_clear(&err);
        _cleanup_free_ char *braces = repeat("", "{a: ", 10000, "");
        cr_assert_null(parse(braces, &err));
        cr_assert_eq(err.code, -E2BIG);
}

Test(yaml_tree, thousands_of_nested_block_mappings_fail_cleanly) {
        /* k:\n k:\n  k:\n ... each level indented one more space; the text grows
         * quadratically, so 2000 levels (2 MB) stand in for "very deep". */
        size_t levels = 2000;
        size_t cap = levels * (levels + 4) + 16;
        char *doc = malloc(cap);
        cr_assert_not_null(doc);
        size_t at = 0;
        for (size_t i = 0; i < levels; i++) {
                memset(doc + at, ' ', i);
                at += i;
                memcpy(doc + at, "k:\n", 3);
                at += 3;
        }
        struct error err = ERROR_INIT;
        json_t *j = yaml_tree_parse(doc, at, 1, &err);
        free(doc);
        cr_assert_null(j);
        cr_assert_eq(err.code, -E2BIG, "%d %s", err.code, err.msg);
        cr_assert(strstr(err.msg, "line 17"), "%s", err.msg);
}

Test(yaml_tree, ten_thousand_nested_block_sequences_fail_cleanly) {
        struct error err = ERROR_INIT;
        _cleanup_free_ char *doc = repeat("", "- ", 10000, "x\n");
        cr_assert_null(parse(doc, &err));
        cr_assert_eq(err.code, -E2BIG, "%d %s", err.code, err.msg);
}

Test(yaml_tree, node_limit_boundary) {
        struct error err = ERROR_INIT;
        /* A sequence of N scalars is N + 1 nodes. */
        _cleanup_free_ char *ok = repeat("[", "1,", YAML_TREE_MAX_NODES - 1, "]");
        _cleanup_json_ json_t *j = parse(ok, &err);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_eq(json_array_size(j), YAML_TREE_MAX_NODES - 1);

        _cleanup_free_ char *bad = repeat("[", "1,", YAML_TREE_MAX_NODES, "]");
        cr_assert_null(parse(bad, &err));
        cr_assert_eq(err.code, -E2BIG);
        cr_assert(strstr(err.msg, "too many nodes"), "%s", err.msg);
}

Test(yaml_tree, aliases_count_toward_node_limit) {
        struct error err = ERROR_INIT;
        /* root + anchored scalar + k aliases = k + 2 nodes */
        _cleanup_free_ char *ok = repeat("[&a x", ", *a", YAML_TREE_MAX_NODES - 2, "]");
        _cleanup_json_ json_t *j = parse(ok, &err);
        cr_assert_not_null(j, "%s", err.msg);
        _cleanup_free_ char *bad = repeat("[&a x", ", *a", YAML_TREE_MAX_NODES - 1, "]");
        cr_assert_null(parse(bad, &err));
        cr_assert_eq(err.code, -E2BIG);

        /* An alias to a collection costs its full size: 1 + 100 nodes each. */
        error_clear(&err);
        _cleanup_free_ char *items = repeat("", "1,", 99, "1");
        char *doc = NULL;
        cr_assert_geq(asprintf(&doc, "a: &l [%s]\nb: [*l, *l, *l, *l, *l, *l, *l, *l, *l, *l, "
                                     "*l, *l, *l, *l, *l, *l, *l, *l, *l, *l]\n", items), 0);
        _cleanup_json_ json_t *small = parse(doc, &err); /* ~2.1k nodes */
        free(doc);
        cr_assert_not_null(small, "%s", err.msg);
        _cleanup_free_ char *many = repeat("", "*l, ", 120, "*l]\n"); /* > 12k nodes */
        cr_assert_geq(asprintf(&doc, "a: &l [%s]\nb: [%s", items, many), 0);
        json_t *big = parse(doc, &err);
        free(doc);
        cr_assert_null(big);
        cr_assert_eq(err.code, -E2BIG);
}

Test(yaml_tree, billion_laughs_fails_fast) {
        const char *doc = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                          "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                          "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                          "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                          "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                          "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                          "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                          "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct error err = ERROR_INIT;
        json_t *j = parse(doc, &err);
        double secs = seconds_since(&t0);
        cr_assert_null(j);
        cr_assert_eq(err.code, -E2BIG, "%d %s", err.code, err.msg);
        cr_assert(strstr(err.msg, "alias expansion"), "%s", err.msg);
        cr_assert_lt(secs, 1.0, "took %.3f s", secs);
}

Test(yaml_tree, many_anchors_and_aliases_stay_fast) {
        /* Worst case for the anchor lookup: thousands of anchors, each aliased. */
        size_t n = 4000;
        char *doc = malloc(n * 40 + 16);
        cr_assert_not_null(doc);
        size_t at = 0;
        at += (size_t) snprintf(doc + at, 16, "[");
        for (size_t i = 0; i < n; i++)
                at += (size_t) snprintf(doc + at, 40, "&a%zu x, ", i);
        for (size_t i = 0; i < n; i++)
                at += (size_t) snprintf(doc + at, 40, "*a%zu, ", i);
        at += (size_t) snprintf(doc + at, 16, "end]");
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        struct error err = ERROR_INIT;
        json_t *j = yaml_tree_parse(doc, at, 1, &err);
        double secs = seconds_since(&t0);
        free(doc);
        cr_assert_not_null(j, "%s", err.msg);
        cr_assert_eq(json_array_size(j), 2 * n + 1);
        json_decref(j);
        cr_assert_lt(secs, 2.0, "took %.3f s", secs);
}

Test(yaml_tree, null_error_pointer_is_allowed) {
        cr_assert_null(yaml_tree_parse("a: [", 4, 1, NULL));
        json_t *j = yaml_tree_parse("a: 1", 4, 1, NULL);
        cr_assert_not_null(j);
        json_decref(j);
}
