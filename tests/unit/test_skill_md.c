/* Unit tests for src/skill/skill_md: front matter splitting (BOM, CRLF, lone CR, trailing
 * whitespace), and the whole-file rules (1 MiB cap, NUL bytes, strict UTF-8, tab messages). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/skill/skill_md.h"

static int parse_len(const char *text, size_t len, struct skill_md *md, struct error *err) {
        *md = (struct skill_md) { 0 };
        return skill_md_parse(text, len, md, err);
}

static int parse(const char *text, struct skill_md *md, struct error *err) {
        return parse_len(text, strlen(text), md, err);
}

static void expect_ok(const char *text, const char *name, const char *body) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        int r = parse(text, &md, &err);
        cr_assert_eq(r, 0, "should parse (%d): %s", r, err.msg);
        cr_assert(json_is_object(md.front_matter));
        cr_assert_str_eq(json_string_value(json_object_get(md.front_matter, "name")), name);
        cr_assert_str_eq(md.body, body);
        skill_md_done(&md);
}

static void expect_error(const char *text, size_t len, int code, const char *needle) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        int r = parse_len(text, len, &md, &err);
        cr_assert_eq(r, code, "expected %d, got %d (%s)", code, r, err.msg);
        cr_assert_eq(err.code, code);
        cr_assert_null(md.front_matter, "nothing is returned on error");
        cr_assert_null(md.body);
        if (needle)
                cr_assert(strstr(err.msg, needle), "'%s' not in '%s'", needle, err.msg);
}

Test(skill_md, splits_front_matter_and_body) {
        expect_ok("---\nname: x\ndescription: y\n---\n# Title\n\nText.\n", "x", "# Title\n\nText.\n");
}

Test(skill_md, body_keeps_later_delimiters) {
        expect_ok("---\nname: x\n---\nintro\n---\nmore\n", "x", "intro\n---\nmore\n");
}

Test(skill_md, closing_delimiter_at_end_of_file) {
        expect_ok("---\nname: x\n---", "x", "");
        expect_ok("---\nname: x\n---\n", "x", "");
}

Test(skill_md, utf8_bom_tolerated) {
        expect_ok("\xEF\xBB\xBF---\nname: x\n---\nbody\n", "x", "body\n");
}

Test(skill_md, crlf_tolerated) {
        expect_ok("---\r\nname: x\r\ndescription: y\r\n---\r\nbody\r\n", "x", "body\r\n");
        expect_ok("\xEF\xBB\xBF---\r\nname: x\r\n---\r\n", "x", "");
}

Test(skill_md, lone_cr_tolerated) {
        expect_ok("---\rname: x\rdescription: y\r---\rbody", "x", "body");
}

Test(skill_md, trailing_whitespace_on_delimiters_tolerated) {
        expect_ok("---   \nname: x\n---\t \nbody\n", "x", "body\n");
        expect_ok("--- \r\nname: x\r\n---\t\r\n", "x", "");
}

Test(skill_md, values_keep_multibyte_text) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        cr_assert_eq(parse("---\nname: x\ndescription: caf\xc3\xa9 \xe2\x82\xac\n---\n", &md, &err), 0,
                     "%s", err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(md.front_matter, "description")),
                         "caf\xc3\xa9 \xe2\x82\xac");
        skill_md_done(&md);
}

Test(skill_md, empty_front_matter_is_null) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        cr_assert_eq(parse("---\n---\nbody\n", &md, &err), 0, "%s", err.msg);
        cr_assert(json_is_null(md.front_matter), "the validator reports the missing mapping");
        cr_assert_str_eq(md.body, "body\n");
        skill_md_done(&md);
}

Test(skill_md, non_mapping_front_matter_is_returned) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        cr_assert_eq(parse("---\n- a\n- b\n---\n", &md, &err), 0, "%s", err.msg);
        cr_assert(json_is_array(md.front_matter));
        skill_md_done(&md);
}

Test(skill_md, missing_front_matter) {
        const char *cases[] = {
                "",
                "# Just markdown\n",
                "\n---\nname: x\n---\n",      /* not at the top */
                " ---\nname: x\n---\n",       /* indented */
                "----\nname: x\n----\n",      /* four dashes */
                "--- x\nname: x\n---\n",      /* text after the dashes */
                "\xEF\xBB\xBF\xEF\xBB\xBF---\nname: x\n---\n", /* two BOMs */
                "--\nname: x\n--\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                expect_error(cases[i], strlen(cases[i]), -EINVAL, "no front matter");
}

Test(skill_md, unterminated_front_matter) {
        const char *cases[] = {
                "---",
                "---\n",
                "---\nname: x\n",
                "---\nname: x\ndescription: y",
                "---\nname: x\n----\n",
                "---\nname: x\n ---\n",
                "---\nname: x\n...\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                expect_error(cases[i], strlen(cases[i]), -EINVAL, "not terminated");
}

Test(skill_md, size_cap_boundary) {
        const char *head = "---\nname: x\ndescription: y\n---\n";
        size_t hl = strlen(head);
        char *text = malloc(SKILL_MD_MAX_BYTES + 1);
        cr_assert_not_null(text);
        memcpy(text, head, hl);
        memset(text + hl, 'a', SKILL_MD_MAX_BYTES + 1 - hl);

        struct skill_md md;
        struct error err = ERROR_INIT;
        int r = parse_len(text, SKILL_MD_MAX_BYTES, &md, &err);
        cr_assert_eq(r, 0, "exactly 1 MiB is allowed: %s", err.msg);
        cr_assert_eq(strlen(md.body), SKILL_MD_MAX_BYTES - hl);
        skill_md_done(&md);

        expect_error(text, SKILL_MD_MAX_BYTES + 1, -EFBIG, "1 MiB");
        free(text);
}

Test(skill_md, nul_byte_rejected_with_line) {
        const char text[] = "---\nname: x\n---\nbody\nmore\0hidden\n";
        expect_error(text, sizeof(text) - 1, -EINVAL, "NUL byte at line 5");
        const char in_yaml[] = "---\nname: x\0y\n---\n";
        expect_error(in_yaml, sizeof(in_yaml) - 1, -EINVAL, "NUL byte at line 2");
        const char first[] = "\0---\nname: x\n---\n";
        expect_error(first, sizeof(first) - 1, -EINVAL, "NUL byte at line 1");
}

Test(skill_md, invalid_utf8_rejected) {
        const char *cases[] = {
                "---\nname: x\n---\nbad \xff byte\n",
                "---\nname: \xc3\n---\n",                /* truncated sequence */
                "---\nname: x\n---\n\xc0\xaf\n",        /* overlong '/' */
                "---\nname: x\n---\n\xed\xa0\x80\n",    /* surrogate */
                "---\nname: x\n---\n\xf4\x90\x80\x80\n", /* past U+10FFFF */
                "\xEF\xBB---\nname: x\n---\n",          /* half a BOM */
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                expect_error(cases[i], strlen(cases[i]), -EINVAL, "not valid UTF-8");
        const char *with_line = "---\nname: x\n---\nok\nbad \xff\n";
        expect_error(with_line, strlen(with_line), -EINVAL, "line 5");
}

Test(skill_md, tab_indentation_named) {
        const char *text = "---\nname: x\nmetadata:\n\tkey: value\n---\n";
        expect_error(text, strlen(text), -EINVAL, "tab character in indentation");
        expect_error(text, strlen(text), -EINVAL, "line 4");
        const char *after_spaces = "---\nname: x\nmetadata:\n  \tkey: value\n---\n";
        expect_error(after_spaces, strlen(after_spaces), -EINVAL, "tab character in indentation");
}

Test(skill_md, tab_inside_block_scalar_is_not_blamed_for_other_errors) {
        /* A tab after the indentation of a block scalar is content, not an error; a later
         * duplicate key must be reported as what it is. */
        const char *text = "---\nname: x\ndescription: |\n  text\n  \tindented code\nname: y\n---\n";
        expect_error(text, strlen(text), -EINVAL, "duplicate key 'name'");
        expect_error(text, strlen(text), -EINVAL, "line 6");
}

Test(skill_md, tab_inside_valid_block_scalar_is_fine) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        cr_assert_eq(parse("---\nname: x\ndescription: |\n  a\n  \tb\n---\n", &md, &err), 0, "%s",
                     err.msg);
        cr_assert_str_eq(json_string_value(json_object_get(md.front_matter, "description")),
                         "a\n\tb\n");
        skill_md_done(&md);
}

Test(skill_md, yaml_errors_are_prefixed_and_use_file_lines) {
        const char *text = "---\nname: x\ndescription: [oops\n---\n";
        expect_error(text, strlen(text), -EINVAL, "SKILL.md front matter");
        const char *dup = "---\nname: x\ndescription: y\nname: z\n---\n";
        expect_error(dup, strlen(dup), -EINVAL, "duplicate key 'name'");
        expect_error(dup, strlen(dup), -EINVAL, "line 4");
        const char *dup_crlf = "\xEF\xBB\xBF---\r\nname: x\r\ndescription: y\r\nname: z\r\n---\r\n";
        expect_error(dup_crlf, strlen(dup_crlf), -EINVAL, "line 4");
}

Test(skill_md, billion_laughs_fails_fast) {
        const char *text = "---\n"
                           "name: lol\n"
                           "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                           "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                           "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                           "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                           "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                           "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                           "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                           "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
                           "---\n";
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        expect_error(text, strlen(text), -E2BIG, "too many nodes");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double) (t1.tv_sec - t0.tv_sec) + (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
        cr_assert_lt(secs, 1.0, "took %.3f s", secs);
}

Test(skill_md, deep_nesting_fails_cleanly) {
        size_t n = 10000;
        char *text = malloc(n + 32);
        cr_assert_not_null(text);
        size_t at = (size_t) snprintf(text, 32, "---\nname: ");
        memset(text + at, '[', n);
        at += n;
        memcpy(text + at, "\n---\n", 5);
        at += 5;
        expect_error(text, at, -E2BIG, "nesting");
        free(text);
}

Test(skill_md, null_error_pointer_is_allowed) {
        struct skill_md md = { 0 };
        cr_assert_eq(skill_md_parse("no front matter", 15, &md, NULL), -EINVAL);
        cr_assert_lt(skill_md_parse("---\na: [\n---\n", 12, &md, NULL), 0);
}

Test(skill_md, done_is_idempotent) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        cr_assert_eq(parse("---\nname: x\n---\n", &md, &err), 0);
        skill_md_done(&md);
        cr_assert_null(md.front_matter);
        cr_assert_null(md.body);
        skill_md_done(&md);
}
