/* Unit tests for skill_validate_front_matter (pure) and skill_name_problem: every spec rule on
 * both sides of its limit, lengths in Unicode characters, and the skilllite.* metadata formats.
 * Each finding is checked by its "field" and "rule", and its message must name the field. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/base/utf8.h"
#include "../../src/skill/skill.h"
#include "../../src/skill/yaml_tree.h"

struct result {
        int r;
        struct skill_report rep;
};

static void result_done(struct result *res) {
        skill_report_done(&res->rep);
}
#define _cleanup_result_ _cleanup_(result_done)

static struct result validate_tree(const json_t *fm, const char *dir_name) {
        struct result res = { 0 };
        cr_assert_eq(skill_report_init(&res.rep), 0);
        res.r = skill_validate_front_matter(fm, dir_name, &res.rep);
        cr_assert_eq(res.r == 0, skill_report_ok(&res.rep), "return value agrees with the report");
        cr_assert(res.r == 0 || res.r == -EINVAL);
        return res;
}

static struct result validate_yaml(const char *yaml, const char *dir_name) {
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *fm = yaml_tree_parse(yaml, strlen(yaml), 2, &err);
        cr_assert_not_null(fm, "test YAML must parse: %s\n%s", err.msg, yaml);
        return validate_tree(fm, dir_name);
}

/* The front matter "name: <dir>\ndescription: ...\n" followed by extra lines. */
static struct result validate_with(const char *extra) {
        char *yaml = NULL;
        cr_assert_geq(asprintf(&yaml, "name: my-skill\ndescription: Does a thing.\n%s", extra), 0);
        struct result res = validate_yaml(yaml, "my-skill");
        free(yaml);
        return res;
}

static const json_t *find(const json_t *list, const char *field, const char *rule) {
        size_t i;
        const json_t *f;
        json_array_foreach(list, i, f) {
                if (streq(json_string_value(json_object_get(f, "field")), field) &&
                    streq(json_string_value(json_object_get(f, "rule")), rule))
                        return f;
        }
        return NULL;
}

static void dump(const struct result *res) {
        _cleanup_free_ char *e = json_dumps(res->rep.errors, 0);
        _cleanup_free_ char *w = json_dumps(res->rep.warnings, 0);
        cr_log_info("errors: %s\nwarnings: %s", e, w);
}

/* Exactly one error, with this field and rule, whose message names the field. */
static void expect_only_error(const struct result *res, const char *field, const char *rule) {
        if (json_array_size(res->rep.errors) != 1)
                dump(res);
        cr_assert_eq(res->r, -EINVAL);
        cr_assert_eq(json_array_size(res->rep.errors), 1, "expected exactly one error (%s/%s)",
                     field, rule);
        const json_t *f = find(res->rep.errors, field, rule);
        if (!f)
                dump(res);
        cr_assert_not_null(f, "expected an error with field '%s' rule '%s'", field, rule);
        const char *msg = json_string_value(json_object_get(f, "message"));
        cr_assert_not_null(msg);
        char spoken[64]; /* "front_matter" is written "front matter" in prose */
        snprintf(spoken, sizeof(spoken), "%s", field);
        for (char *c = spoken; *c; c++)
                if (*c == '_' && streq(field, "front_matter"))
                        *c = ' ';
        cr_assert(strstr(msg, field) || strstr(msg, spoken),
                  "message '%s' should name the field '%s'", msg, field);
        cr_assert(utf8_is_valid(msg, strlen(msg)));
}

static void expect_warning(const struct result *res, const char *field, const char *rule) {
        const json_t *f = find(res->rep.warnings, field, rule);
        if (!f)
                dump(res);
        cr_assert_not_null(f, "expected a warning with field '%s' rule '%s'", field, rule);
        const char *msg = json_string_value(json_object_get(f, "message"));
        cr_assert(strstr(msg, field), "message '%s' should name the field '%s'", msg, field);
}

static void expect_clean(const struct result *res) {
        if (json_array_size(res->rep.errors) || json_array_size(res->rep.warnings))
                dump(res);
        cr_assert_eq(res->r, 0);
        cr_assert_eq(json_array_size(res->rep.errors), 0);
        cr_assert_eq(json_array_size(res->rep.warnings), 0);
}

static void expect_valid(const struct result *res) {
        if (json_array_size(res->rep.errors))
                dump(res);
        cr_assert_eq(res->r, 0);
        cr_assert_eq(json_array_size(res->rep.errors), 0);
}

/* n copies of a (possibly multi-byte) character. */
static char *repeat_char(const char *ch, size_t n) {
        size_t l = strlen(ch);
        char *s = malloc(l * n + 1);
        cr_assert_not_null(s);
        for (size_t i = 0; i < n; i++)
                memcpy(s + i * l, ch, l);
        s[l * n] = '\0';
        return s;
}

/* validate_with("<key>: '<n copies of ch>'") */
static struct result validate_repeated(const char *key, const char *ch, size_t n) {
        _cleanup_free_ char *value = repeat_char(ch, n);
        char *extra = NULL;
        cr_assert_geq(asprintf(&extra, "%s: '%s'\n", key, value), 0);
        struct result res = validate_with(extra);
        free(extra);
        return res;
}

static struct result validate_metadata(const char *key, const char *value) {
        char *extra = NULL;
        cr_assert_geq(asprintf(&extra, "metadata:\n  %s: %s\n", key, value), 0);
        struct result res = validate_with(extra);
        free(extra);
        return res;
}

/* --- the minimal valid skill --- */

Test(validate, minimal_front_matter_is_clean) {
        _cleanup_result_ struct result res = validate_with("");
        expect_clean(&res);
}

Test(validate, all_spec_fields_are_clean) {
        _cleanup_result_ struct result res =
                validate_with("license: MIT\n"
                              "compatibility: Requires Python 3.10+\n"
                              "metadata:\n  author: someone\n  version: '1.0'\n"
                              "allowed-tools: Bash(git:*) Read\n");
        expect_clean(&res);
}

Test(validate, front_matter_must_be_a_mapping) {
        const char *cases[] = { "- a\n- b\n", "just a string\n", "42\n" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_result_ struct result res = validate_yaml(cases[i], "x");
                expect_only_error(&res, "front_matter", "type");
        }
        _cleanup_json_ json_t *null = json_null();
        _cleanup_result_ struct result res = validate_tree(null, "x");
        expect_only_error(&res, "front_matter", "type");
}

Test(validate, errors_accumulate) {
        _cleanup_result_ struct result res =
                validate_yaml("name: Bad_Name\nlicense: 3\ncompatibility: ''\n", "x");
        cr_assert_eq(res.r, -EINVAL);
        cr_assert_not_null(find(res.rep.errors, "name", "format"));
        cr_assert_not_null(find(res.rep.errors, "description", "required"));
        cr_assert_not_null(find(res.rep.errors, "license", "type"));
        cr_assert_not_null(find(res.rep.errors, "compatibility", "length"));
        cr_assert_eq(json_array_size(res.rep.errors), 4);
}

/* --- name --- */

Test(validate, name_required) {
        _cleanup_result_ struct result res = validate_yaml("description: d\n", "x");
        expect_only_error(&res, "name", "required");
}

Test(validate, name_wrong_types) {
        const char *cases[] = { "name: 123\n", "name: true\n", "name: [a]\n", "name: {a: b}\n",
                                "name:\n", "name: 1.5\n" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *yaml = NULL;
                cr_assert_geq(asprintf(&yaml, "%sdescription: d\n", cases[i]), 0);
                _cleanup_result_ struct result res = validate_yaml(yaml, "x");
                free(yaml);
                expect_only_error(&res, "name", "type");
        }
        _cleanup_result_ struct result res = validate_yaml("name: 123\ndescription: d\n", "123");
        const char *msg = json_string_value(json_object_get(json_array_get(res.rep.errors, 0), "message"));
        cr_assert(strstr(msg, "quote"), "a number that should be a string gets a hint: %s", msg);
}

Test(validate, name_length_boundary) {
        _cleanup_free_ char *n64 = repeat_char("a", 64);
        _cleanup_free_ char *n65 = repeat_char("a", 65);
        char *yaml = NULL;
        cr_assert_geq(asprintf(&yaml, "name: %s\ndescription: d\n", n64), 0);
        _cleanup_result_ struct result ok = validate_yaml(yaml, n64);
        free(yaml);
        expect_clean(&ok);

        cr_assert_geq(asprintf(&yaml, "name: %s\ndescription: d\n", n65), 0);
        _cleanup_result_ struct result bad = validate_yaml(yaml, n65);
        free(yaml);
        expect_only_error(&bad, "name", "length");
        const char *msg = json_string_value(json_object_get(json_array_get(bad.rep.errors, 0), "message"));
        cr_assert(strstr(msg, "65"), "%s", msg);

        _cleanup_result_ struct result one = validate_yaml("name: a\ndescription: d\n", "a");
        expect_clean(&one);
}

Test(validate, name_format) {
        const char *bad[] = {
                "''", "My-Skill", "my_skill", "my skill", "'-skill'", "skill-", "my--skill", "'-'",
                "'../x'", "a/b", "'.'", "'..'", "/abs", "'/etc'", "caf\xc3\xa9", "a.b", "a\\\\b",
                "'a\tb'", "'~x'",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *yaml = NULL;
                cr_assert_geq(asprintf(&yaml, "name: %s\ndescription: d\n", bad[i]), 0);
                _cleanup_result_ struct result res = validate_yaml(yaml, "x");
                free(yaml);
                expect_only_error(&res, "name", "format");
        }
}

Test(validate, name_good_forms) {
        const char *good[] = { "a", "abc", "a-b", "a1", "1a", "0", "pdf-tools-2", "x-y-z" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                char *yaml = NULL;
                cr_assert_geq(asprintf(&yaml, "name: '%s'\ndescription: d\n", good[i]), 0);
                _cleanup_result_ struct result res = validate_yaml(yaml, good[i]);
                free(yaml);
                expect_clean(&res);
        }
}

Test(validate, name_must_equal_directory) {
        _cleanup_result_ struct result res = validate_yaml("name: alpha\ndescription: d\n", "beta");
        expect_only_error(&res, "name", "directory");
        const char *msg = json_string_value(json_object_get(json_array_get(res.rep.errors, 0), "message"));
        cr_assert(strstr(msg, "alpha") && strstr(msg, "beta"), "%s", msg);
        /* No directory to compare with: the rule is skipped. */
        _cleanup_result_ struct result none = validate_yaml("name: alpha\ndescription: d\n", NULL);
        expect_clean(&none);
}

Test(validate, name_with_nul_escape_rejected) {
        /* "abc\0../../x" would compare equal to the directory "abc" as a C string. */
        _cleanup_result_ struct result res =
                validate_yaml("name: \"abc\\0../../x\"\ndescription: d\n", "abc");
        expect_only_error(&res, "name", "format");
}

Test(validate, name_problem_direct) {
        cr_assert_null(skill_name_problem("good-name"));
        cr_assert_null(skill_name_problem("a"));
        cr_assert_not_null(skill_name_problem(""));
        cr_assert_not_null(skill_name_problem("-a"));
        cr_assert_not_null(skill_name_problem("a-"));
        cr_assert_not_null(skill_name_problem("a--b"));
        cr_assert_not_null(skill_name_problem("A"));
        cr_assert_not_null(skill_name_problem(".."));
        cr_assert_not_null(skill_name_problem("."));
        cr_assert_not_null(skill_name_problem("../x"));
        cr_assert_not_null(skill_name_problem("a/b"));
        cr_assert_not_null(skill_name_problem("/abs"));
        _cleanup_free_ char *n64 = repeat_char("z", 64);
        _cleanup_free_ char *n65 = repeat_char("z", 65);
        cr_assert_null(skill_name_problem(n64));
        cr_assert(strstr(skill_name_problem(n65), "64"));
}

/* --- description --- */

Test(validate, description_required) {
        _cleanup_result_ struct result res = validate_yaml("name: x\n", "x");
        expect_only_error(&res, "description", "required");
}

Test(validate, description_wrong_types) {
        const char *cases[] = { "42", "true", "[a, b]", "{a: b}", "", "~" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *yaml = NULL;
                cr_assert_geq(asprintf(&yaml, "name: x\ndescription: %s\n", cases[i]), 0);
                _cleanup_result_ struct result res = validate_yaml(yaml, "x");
                free(yaml);
                expect_only_error(&res, "description", "type");
        }
}

Test(validate, description_empty_or_blank) {
        const char *cases[] = { "''", "'   '", "\"\\t\\n\"" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *yaml = NULL;
                cr_assert_geq(asprintf(&yaml, "name: x\ndescription: %s\n", cases[i]), 0);
                _cleanup_result_ struct result res = validate_yaml(yaml, "x");
                free(yaml);
                expect_only_error(&res, "description", "length");
        }
}

/* The helper adds its own description, so description tests build the whole document. */
static struct result validate_description(const char *ch, size_t n) {
        _cleanup_free_ char *value = repeat_char(ch, n);
        char *yaml = NULL;
        cr_assert_geq(asprintf(&yaml, "name: x\ndescription: '%s'\n", value), 0);
        struct result res = validate_yaml(yaml, "x");
        free(yaml);
        return res;
}

Test(validate, description_length_boundary_ascii) {
        _cleanup_result_ struct result one = validate_description("d", 1);
        expect_clean(&one);
        _cleanup_result_ struct result ok = validate_description("d", SKILL_DESCRIPTION_MAX);
        expect_clean(&ok);
        _cleanup_result_ struct result bad = validate_description("d", SKILL_DESCRIPTION_MAX + 1);
        expect_only_error(&bad, "description", "length");
}

Test(validate, description_length_counts_characters_not_bytes) {
        /* 1024 'é' are 2048 bytes but 1024 characters. */
        _cleanup_result_ struct result ok = validate_description("\xc3\xa9", 1024);
        expect_clean(&ok);
        _cleanup_result_ struct result bad = validate_description("\xc3\xa9", 1025);
        expect_only_error(&bad, "description", "length");
        const char *msg = json_string_value(json_object_get(json_array_get(bad.rep.errors, 0), "message"));
        cr_assert(strstr(msg, "1025"), "%s", msg);
        /* 4-byte characters too */
        _cleanup_result_ struct result emoji = validate_description("\xf0\x9f\x98\x80", 1024);
        expect_clean(&emoji);
        _cleanup_result_ struct result emoji_bad = validate_description("\xe2\x82\xac", 1025);
        expect_only_error(&emoji_bad, "description", "length");
}

Test(validate, description_block_scalar) {
        _cleanup_result_ struct result res =
                validate_yaml("name: x\ndescription: |\n  Line one.\n  Line two.\n", "x");
        expect_clean(&res);
}

Test(validate, description_with_nul_escape_rejected) {
        _cleanup_result_ struct result res = validate_yaml("name: x\ndescription: \"a\\0b\"\n", "x");
        expect_only_error(&res, "description", "format");
}

/* --- license --- */

Test(validate, license_optional_string) {
        _cleanup_result_ struct result ok = validate_with("license: Apache-2.0\n");
        expect_clean(&ok);
        _cleanup_result_ struct result num = validate_with("license: 2\n");
        expect_only_error(&num, "license", "type");
        _cleanup_result_ struct result list = validate_with("license: [MIT]\n");
        expect_only_error(&list, "license", "type");
        _cleanup_result_ struct result empty = validate_with("license: ''\n");
        expect_only_error(&empty, "license", "length");
        _cleanup_result_ struct result null = validate_with("license:\n");
        expect_only_error(&null, "license", "type");
}

/* --- compatibility --- */

Test(validate, compatibility_length_boundary) {
        _cleanup_result_ struct result one = validate_repeated("compatibility", "c", 1);
        expect_clean(&one);
        _cleanup_result_ struct result ok = validate_repeated("compatibility", "c", SKILL_COMPATIBILITY_MAX);
        expect_clean(&ok);
        _cleanup_result_ struct result bad =
                validate_repeated("compatibility", "c", SKILL_COMPATIBILITY_MAX + 1);
        expect_only_error(&bad, "compatibility", "length");
        _cleanup_result_ struct result empty = validate_repeated("compatibility", "c", 0);
        expect_only_error(&empty, "compatibility", "length");
}

Test(validate, compatibility_counts_characters) {
        _cleanup_result_ struct result ok = validate_repeated("compatibility", "\xc3\xa9", 500);
        expect_clean(&ok);
        _cleanup_result_ struct result bad = validate_repeated("compatibility", "\xc3\xa9", 501);
        expect_only_error(&bad, "compatibility", "length");
}

Test(validate, compatibility_wrong_type) {
        _cleanup_result_ struct result res = validate_with("compatibility: [python]\n");
        expect_only_error(&res, "compatibility", "type");
}

/* --- allowed-tools --- */

Test(validate, allowed_tools_optional_string) {
        _cleanup_result_ struct result ok = validate_with("allowed-tools: Bash(git:*)\n");
        expect_clean(&ok);
        _cleanup_result_ struct result list = validate_with("allowed-tools: [Bash, Read]\n");
        expect_only_error(&list, "allowed-tools", "type");
        _cleanup_result_ struct result num = validate_with("allowed-tools: 1\n");
        expect_only_error(&num, "allowed-tools", "type");
}

/* --- metadata --- */

Test(validate, metadata_must_be_a_mapping) {
        const char *cases[] = { "metadata: [a]\n", "metadata: text\n", "metadata: 3\n", "metadata:\n" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_result_ struct result res = validate_with(cases[i]);
                expect_only_error(&res, "metadata", "type");
        }
        _cleanup_result_ struct result empty = validate_with("metadata: {}\n");
        expect_clean(&empty);
}

Test(validate, metadata_values_must_be_strings) {
        const char *cases[] = { "1", "1.5", "true", "[a]", "{a: b}", "", "~" };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_result_ struct result res = validate_metadata("version", cases[i]);
                expect_only_error(&res, "metadata.version", "type");
        }
        _cleanup_result_ struct result num = validate_metadata("version", "2");
        const char *msg = json_string_value(json_object_get(json_array_get(num.rep.errors, 0), "message"));
        cr_assert(strstr(msg, "quote"), "%s", msg);
        _cleanup_result_ struct result ok = validate_metadata("version", "'2'");
        expect_clean(&ok);
}

Test(validate, metadata_non_string_value_under_long_multibyte_key) {
        /* The field name is cut to a bounded length; cutting inside a character must not make
         * the finding unrepresentable (and so silently dropped). */
        _cleanup_free_ char *tail = repeat_char("\xc3\xa9", 120);
        char *key = NULL;
        cr_assert_geq(asprintf(&key, "a%s", tail), 0); /* byte 100 falls inside an 'é' */
        _cleanup_result_ struct result res = validate_metadata(key, "1");
        free(key);
        cr_assert_eq(res.r, -EINVAL);
        cr_assert_eq(json_array_size(res.rep.errors), 1);
        const json_t *f = json_array_get(res.rep.errors, 0);
        const char *field = json_string_value(json_object_get(f, "field"));
        cr_assert(strncmp(field, "metadata.a\xc3\xa9", 12) == 0, "%s", field);
        cr_assert(utf8_is_valid(field, strlen(field)));
        cr_assert_str_eq(json_string_value(json_object_get(f, "rule")), "type");
}

Test(validate, metadata_value_with_nul_escape_rejected) {
        _cleanup_result_ struct result res = validate_metadata("skilllite.exec", "\"git\\0rm\"");
        cr_assert_eq(res.r, -EINVAL);
        cr_assert_not_null(find(res.rep.errors, "metadata.skilllite.exec", "format"));
}

Test(validate, metadata_other_keys_are_free_form) {
        _cleanup_result_ struct result res =
                validate_with("metadata:\n  author: Someone <a@b.c>\n  tags: 'a, b'\n  '': x\n");
        expect_clean(&res);
}

Test(validate, skilllite_timeout) {
        const char *good[] = { "'1'", "'30'", "'86400'", "'007'" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.timeout", good[i]);
                expect_clean(&res);
        }
        const char *bad[] = { "'0'", "'86401'", "'-1'", "'+5'", "'1.5'", "'30s'", "''", "' 30'",
                              "'30 '", "abc", "'99999999999999999999999'" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.timeout", bad[i]);
                expect_only_error(&res, "metadata.skilllite.timeout", "format");
        }
        _cleanup_result_ struct result unquoted = validate_metadata("skilllite.timeout", "30");
        expect_only_error(&unquoted, "metadata.skilllite.timeout", "type");
}

Test(validate, skilllite_memory) {
        const char *good[] = { "'1'", "'512'", "'1048576'" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.memory", good[i]);
                expect_clean(&res);
        }
        const char *bad[] = { "'0'", "'1048577'", "'512M'", "'-5'", "''", "'1e3'" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.memory", bad[i]);
                expect_only_error(&res, "metadata.skilllite.memory", "format");
        }
}

Test(validate, skilllite_network) {
        const char *good[] = { "api.example.com", "'api.example.com:443'", "'*.example.com'",
                               "'a.com, b.org:8080'", "'a.com,b.com'", "localhost",
                               "'127.0.0.1:8000'", "'*.github.com,api.openai.com:443'",
                               "'[::1]:8080'", "'[2001:db8::1]'", "'a.com:65535'", "'a.com:1'",
                               /* "*": any host name (warned at run time); deny rules; FQDN dot */
                               "'*'", "'*.example.com, !bad.example.com'", "'a.com.'", "'2001:db8::1'" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.network", good[i]);
                expect_clean(&res);
        }
        const char *bad[] = { "''", "'a.com,,b.com'", "'a.com,'", "',a.com'", "'a.com b.com'",
                              "'https://a.com'", "'a.com/path'", "'a.com:'", "'a.com:0'",
                              "'a.com:65536'", "'a.com:http'", "'a.*.com'", "'*.com'", "'a.com:80:80'",
                              "'user@a.com'", "\"a.com\\tb.com\"", "'[]'", "'[::1'",
                              "'[::1]x'", "'[zz]'", "'a..com'", "'.a.com'",
                              "'*.'", "'a.com:-1'", "'a.com:123456'", "'1.2.3'", "'0x7f000001'",
                              "'caf\u00e9.com'", "'!'" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.network", bad[i]);
                expect_only_error(&res, "metadata.skilllite.network", "format");
        }
}

Test(validate, skilllite_exec) {
        const char *good[] = { "git", "'git,curl'", "'git, jq'", "python3.11", "g++" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.exec", good[i]);
                expect_clean(&res);
        }
        /* paths are refused: a skill may not pull an arbitrary host file in as an executable */
        const char *bad[] = { "''", "'git,,jq'", "'git,'", "'git jq'", "' , '", "/usr/bin/git",
                              "../bin/sh", "'./x'", "'-rf'" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.exec", bad[i]);
                expect_only_error(&res, "metadata.skilllite.exec", "format");
        }
}

Test(validate, skilllite_processes) {
        const char *good[] = { "'1'", "'4096'", "'32'" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.processes", good[i]);
                expect_clean(&res);
        }
        const char *bad[] = { "'0'", "'4097'", "'-1'", "'many'", "''" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_result_ struct result res = validate_metadata("skilllite.processes", bad[i]);
                expect_only_error(&res, "metadata.skilllite.processes", "format");
        }
}

Test(validate, unknown_skilllite_metadata_key_warns) {
        _cleanup_result_ struct result res = validate_metadata("skilllite.netwrok", "a.com");
        expect_valid(&res);
        expect_warning(&res, "metadata.skilllite.netwrok", "unknown");
        cr_assert_eq(json_array_size(res.rep.warnings), 1);
}

/* --- extensions and unknown keys --- */

Test(validate, unknown_keys_warn) {
        _cleanup_result_ struct result res = validate_with("version: '1.0'\nauthor: me\n");
        expect_valid(&res);
        expect_warning(&res, "version", "unknown");
        expect_warning(&res, "author", "unknown");
        cr_assert_eq(json_array_size(res.rep.warnings), 2);
}

Test(validate, capabilities_extension_warns) {
        _cleanup_result_ struct result res = validate_with("capabilities: [network]\n");
        expect_valid(&res);
        expect_warning(&res, "capabilities", "extension");
        cr_assert_eq(json_array_size(res.rep.warnings), 1);
}

Test(validate, entry_point_extension_warns) {
        _cleanup_result_ struct result res = validate_with("entry_point: scripts/run.py\n");
        expect_valid(&res);
        expect_warning(&res, "entry_point", "extension");
        cr_assert_eq(json_array_size(res.rep.warnings), 1);
}

Test(validate, entry_point_must_stay_inside) {
        const char *bad[] = { "../x", "/etc/passwd", "scripts/../../x", "''", "a/..", "..",
                              "'scripts/../..'" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *extra = NULL;
                cr_assert_geq(asprintf(&extra, "entry_point: %s\n", bad[i]), 0);
                _cleanup_result_ struct result res = validate_with(extra);
                free(extra);
                expect_only_error(&res, "entry_point", "path");
        }
        _cleanup_result_ struct result ok = validate_with("entry_point: ./main.py\n");
        expect_valid(&ok);
}

Test(validate, entry_point_wrong_type) {
        _cleanup_result_ struct result res = validate_with("entry_point: [a.py]\n");
        expect_only_error(&res, "entry_point", "type");
}

Test(validate, entry_point_with_nul_escape_rejected) {
        _cleanup_result_ struct result res = validate_with("entry_point: \"main.py\\0/../../x\"\n");
        cr_assert_eq(res.r, -EINVAL);
        cr_assert_not_null(find(res.rep.errors, "entry_point", "format"));
}

/* --- the report itself --- */

Test(validate, report_add_and_ok) {
        struct skill_report rep;
        cr_assert_eq(skill_report_init(&rep), 0);
        cr_assert(skill_report_ok(&rep));
        cr_assert_eq(skill_report_add(&rep, false, "f", "r", "warn %d", 1), 0);
        cr_assert(skill_report_ok(&rep), "warnings do not fail");
        cr_assert_eq(skill_report_add(&rep, true, "f", "r", "err %s", "x"), 0);
        cr_assert_not(skill_report_ok(&rep));
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rep.errors, 0), "message")),
                         "err x");
        skill_report_done(&rep);
        cr_assert_null(rep.errors);
        skill_report_done(&rep);
}

Test(validate, report_keeps_json_valid_when_cut_mid_character) {
        struct skill_report rep;
        cr_assert_eq(skill_report_init(&rep), 0);
        _cleanup_free_ char *long_text = repeat_char("\xc3\xa9", 400); /* 800 bytes > 600 */
        cr_assert_eq(skill_report_add(&rep, true, "f", "r", "%s", long_text), 0);
        const char *msg = json_string_value(json_object_get(json_array_get(rep.errors, 0), "message"));
        cr_assert(utf8_is_valid(msg, strlen(msg)));
        /* A field cut mid-character is kept; the broken byte shows as U+FFFD. */
        cr_assert_eq(skill_report_add(&rep, true, "ab\xc3", "r", "m"), 0);
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rep.errors, 1), "field")),
                         "ab\xef\xbf\xbd");
        skill_report_done(&rep);
}

Test(validate, long_bad_name_message_is_valid_utf8) {
        /* The message quotes at most 80 bytes of the name, which may split a character. */
        _cleanup_free_ char *name = repeat_char("\xc3\xa9", 100);
        char *yaml = NULL;
        cr_assert_geq(asprintf(&yaml, "name: %s\ndescription: d\n", name), 0);
        _cleanup_result_ struct result res = validate_yaml(yaml, "x");
        free(yaml);
        expect_only_error(&res, "name", "format");
}
