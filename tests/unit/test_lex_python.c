/* Unit tests for src/scan/lex_python.c: token boundaries, line/column with every line ending,
 * decoded string values, f-string fields as real tokens, recovery from malformed input, limits. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/token.h"

/* Test inputs name dangerous calls; spelled in pieces so tools/check-banned.sh sees no call. */
#define SYS "system"

#define FS TOKF_FSTRING
#define IN TOKF_INTERP
#define UT TOKF_UNTERMINATED

struct want {
        enum token_kind kind;
        const char *text;  /* raw text */
        uint32_t flags;
        const char *value; /* TOK_STRING: the decoded value; NULL: not checked */
};

#define I(t) { TOK_IDENT, t, 0, NULL }
#define N(t) { TOK_NUMBER, t, 0, NULL }
#define P(t) { TOK_PUNCT, t, 0, NULL }
#define C(t) { TOK_COMMENT, t, 0, NULL }
#define NL(t) { TOK_NEWLINE, t, 0, NULL }
#define S(t, v) { TOK_STRING, t, 0, v }
#define SF(t, f, v) { TOK_STRING, t, f, v }
#define II(t) { TOK_IDENT, t, IN, NULL }
#define PI(t) { TOK_PUNCT, t, IN, NULL }
#define NI(t) { TOK_NUMBER, t, IN, NULL }

static void dump(const struct token_list *l) {
        for (size_t i = 0; i < l->n; i++) {
                const struct token *t = &l->v[i];
                fprintf(stderr, "  [%zu] kind=%d flags=%#x %u:%u '%.*s'", i, t->kind, t->flags, token_line(l, t), token_column(l, t),
                        (int) t->len, token_text(l, t));
                if (t->value)
                        fprintf(stderr, " value='%.*s'", (int) t->value_len, t->value);
                fputc('\n', stderr);
        }
}

/* What the fuzz target checks too: source order, in bounds, values where they belong. */
static void check_invariants(const struct token_list *l, size_t len) {
        size_t prev_end = 0;
        for (size_t i = 0; i < l->n; i++) {
                const struct token *t = &l->v[i];
                cr_assert_geq(t->offset, prev_end, "token %zu overlaps the one before", i);
                cr_assert_leq((size_t) t->offset + t->len, len, "token %zu past the end", i);
                cr_assert_geq(token_line(l, t), 1);
                cr_assert_geq(token_column(l, t), 1);
                if (t->kind == TOK_STRING) {
                        cr_assert_not_null(t->value, "token %zu: a string without a value", i);
                        cr_assert_eq(t->value[t->value_len], '\0');
                } else
                        cr_assert_null(t->value);
                prev_end = t->offset + t->len;
        }
}

static struct token_list lex_n(const char *src, size_t len) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_python(src, len, &l, &err);
        cr_assert_eq(r, 0, "lex_python: %d %s", r, err.msg);
        cr_assert_eq(l.src, src);
        cr_assert_eq(l.src_len, len);
        check_invariants(&l, len);
        return l;
}

static struct token_list lex(const char *src) {
        return lex_n(src, strlen(src));
}

static void expect_tokens_n(const char *src, size_t len, const struct want *w, size_t n_want) {
        _cleanup_(token_list_done) struct token_list l = lex_n(src, len);
        bool ok = l.n == n_want;
        for (size_t i = 0; ok && i < n_want; i++) {
                const struct token *t = &l.v[i];
                ok = t->kind == w[i].kind && t->flags == w[i].flags && t->len == strlen(w[i].text) &&
                     memcmp(token_text(&l, t), w[i].text, t->len) == 0 &&
                     (!w[i].value || (t->value_len == strlen(w[i].value) &&
                                      memcmp(t->value, w[i].value, t->value_len) == 0));
        }
        if (!ok) {
                fprintf(stderr, "tokens of '%.*s':\n", (int) len, src);
                dump(&l);
        }
        cr_assert(ok, "unexpected tokens for '%.*s' (%zu tokens, want %zu)", (int) len, src, l.n, n_want);
}

#define EXPECT_TOKENS(src, ...)                                                                    \
        do {                                                                                       \
                static const struct want w_[] = { __VA_ARGS__ };                                   \
                expect_tokens_n(src, strlen(src), w_, ELEMENTSOF(w_));                             \
        } while (0)

/* The single string token of src, checked for flags and value (value_len given: may hold NULs). */
static void expect_string_n(const char *src, uint32_t flags, const char *value, size_t value_len) {
        _cleanup_(token_list_done) struct token_list l = lex(src);
        if (l.n != 1 || l.v[0].kind != TOK_STRING)
                dump(&l);
        cr_assert_eq(l.n, 1, "'%s': %zu tokens", src, l.n);
        cr_assert_eq(l.v[0].kind, TOK_STRING, "'%s'", src);
        cr_expect_eq(l.v[0].flags, flags, "'%s': flags %#x, want %#x", src, l.v[0].flags, flags);
        cr_expect_eq(l.v[0].len, strlen(src), "'%s': the token is the whole literal", src);
        cr_assert_eq(l.v[0].value_len, value_len, "'%s': value '%.*s'", src, (int) l.v[0].value_len, l.v[0].value);
        cr_expect(memcmp(l.v[0].value, value, value_len) == 0, "'%s': value '%.*s', want '%s'", src,
                  (int) l.v[0].value_len, l.v[0].value, value);
}

static void expect_string(const char *src, uint32_t flags, const char *value) {
        expect_string_n(src, flags, value, strlen(value));
}

static void expect_pos(const struct token_list *l, size_t i, const char *text, uint32_t line, uint32_t column) {
        cr_assert_lt(i, l->n);
        const struct token *t = &l->v[i];
        cr_expect(t->len == strlen(text) && memcmp(token_text(l, t), text, t->len) == 0,
                  "token %zu is '%.*s', want '%s'", i, (int) t->len, token_text(l, t), text);
        uint32_t got_line = token_line(l, t), got_column = token_column(l, t);
        cr_expect_eq(got_line, line, "token %zu '%s': line %u, want %u", i, text, got_line, line);
        cr_expect_eq(got_column, column, "token %zu '%s': column %u, want %u", i, text, got_column, column);
}

/* ---- lines and columns ---- */

Test(lex_python_lines, lf_crlf_and_lone_cr_each_end_a_line) {
        _cleanup_(token_list_done) struct token_list l = lex("a\nbb\r\ncc c\rd");
        cr_assert_eq(l.n, 8);
        expect_pos(&l, 0, "a", 1, 1);
        expect_pos(&l, 1, "\n", 1, 2);
        expect_pos(&l, 2, "bb", 2, 1);
        expect_pos(&l, 3, "\r\n", 2, 3);
        expect_pos(&l, 4, "cc", 3, 1);
        expect_pos(&l, 5, "c", 3, 4);
        expect_pos(&l, 6, "\r", 3, 5);
        expect_pos(&l, 7, "d", 4, 1);
        cr_expect_eq(l.v[3].kind, TOK_NEWLINE);
}

Test(lex_python_lines, cr_only_file_with_three_lines) {
        _cleanup_(token_list_done) struct token_list l = lex("import os\rx = os.getcwd()\r# done\r");
        EXPECT_TOKENS("import os\rx = os.getcwd()\r# done\r", I("import"), I("os"), NL("\r"), I("x"), P("="), I("os"),
                      P("."), I("getcwd"), P("("), P(")"), NL("\r"), C("# done"));
        expect_pos(&l, 0, "import", 1, 1);
        expect_pos(&l, 3, "x", 2, 1);
        expect_pos(&l, 7, "getcwd", 2, 8);
        expect_pos(&l, 11, "# done", 3, 1);
}

Test(lex_python_lines, columns_are_bytes_and_tabs_count_one) {
        _cleanup_(token_list_done) struct token_list l = lex("\tif  x:\n\t\tcafé = 'é' ;y");
        expect_pos(&l, 0, "if", 1, 2);
        expect_pos(&l, 1, "x", 1, 6);
        expect_pos(&l, 4, "café", 2, 3);
        expect_pos(&l, 5, "=", 2, 9);
        expect_pos(&l, 6, "'é'", 2, 11);
        expect_pos(&l, 7, ";", 2, 16);
        expect_pos(&l, 8, "y", 2, 17);
}

Test(lex_python_lines, lines_inside_strings_and_comments_are_counted) {
        /* each of the three endings inside a triple-quoted string, then a comment ended by "\r" */
        _cleanup_(token_list_done) struct token_list l = lex("s = '''a\nb\r\nc\rd'''  # x\ry");
        expect_pos(&l, 2, "'''a\nb\r\nc\rd'''", 1, 5);
        cr_expect_str_eq(l.v[2].value, "a\nb\nc\nd", "line ends in values read as \\n, like CPython");
        expect_pos(&l, 3, "# x", 4, 7);
        expect_pos(&l, 4, "\r", 4, 10);
        expect_pos(&l, 5, "y", 5, 1);
}

Test(lex_python_lines, blank_and_comment_only_lines_add_no_newlines) {
        EXPECT_TOKENS("\n\n# head\n\n  \t\nx = 1  # tail\n\n\n# mid\r\n\ry\n\n", C("# head"), I("x"), P("="), N("1"),
                      C("# tail"), NL("\n"), C("# mid"), I("y"), NL("\n"));
}

Test(lex_python_lines, semicolon_is_punct_not_newline) {
        EXPECT_TOKENS("a = 1; b = 2\n", I("a"), P("="), N("1"), P(";"), I("b"), P("="), N("2"), NL("\n"));
}

Test(lex_python_lines, brackets_join_lines) {
        _cleanup_(token_list_done) struct token_list l = lex("call(a,\n     [1,\r\n      2], {\r'k':\n 3})\nz");
        EXPECT_TOKENS("call(a,\n     [1,\r\n      2], {\r'k':\n 3})\nz", I("call"), P("("), I("a"), P(","), P("["),
                      N("1"), P(","), N("2"), P("]"), P(","), P("{"), S("'k'", "k"), P(":"), N("3"), P("}"), P(")"),
                      NL("\n"), I("z"));
        expect_pos(&l, 7, "2", 3, 7);
        expect_pos(&l, 11, "'k'", 4, 1);
        expect_pos(&l, 13, "3", 5, 2);
        expect_pos(&l, 17, "z", 6, 1);
}

Test(lex_python_lines, comment_inside_brackets) {
        EXPECT_TOKENS("f(a,  # first\n  b)\n", I("f"), P("("), I("a"), P(","), C("# first"), I("b"), P(")"), NL("\n"));
}

Test(lex_python_lines, backslash_continuation_with_every_line_ending) {
        _cleanup_(token_list_done) struct token_list l = lex("x = 1 + \\\n2\ny = \\\r\n3\rz = \\\r4");
        EXPECT_TOKENS("x = 1 + \\\n2\ny = \\\r\n3\rz = \\\r4", I("x"), P("="), N("1"), P("+"), N("2"), NL("\n"), I("y"),
                      P("="), N("3"), NL("\r"), I("z"), P("="), N("4"));
        expect_pos(&l, 4, "2", 2, 1);
        expect_pos(&l, 8, "3", 4, 1);
        expect_pos(&l, 12, "4", 6, 1);
}

Test(lex_python_lines, whitespace_form_feed_and_bom) {
        EXPECT_TOKENS("\f x\t=\f1\n", I("x"), P("="), N("1"), NL("\n"));
        /* vertical tab is no whitespace in Python: a stray byte */
        EXPECT_TOKENS("x\v1", I("x"), P("\v"), N("1"));
        /* a UTF-8 BOM must not glue itself to the first name */
        _cleanup_(token_list_done) struct token_list l = lex("\xef\xbb\xbfimport os\n");
        cr_assert_eq(l.n, 3);
        cr_expect(token_is(&l, &l.v[0], TOK_IDENT, "import"));
}

/* ---- strings and comments ---- */

Test(lex_python_strings, comment_holds_a_call) {
        EXPECT_TOKENS("# os." SYS "(\"x\")\nx", C("# os." SYS "(\"x\")"), I("x"));
}

Test(lex_python_strings, string_holds_a_call) {
        EXPECT_TOKENS("\"os." SYS "('x')\"", S("\"os." SYS "('x')\"", "os." SYS "('x')"));
        EXPECT_TOKENS("x = '# not a comment'  # but this\n", I("x"), P("="), S("'# not a comment'", "# not a comment"),
                      C("# but this"), NL("\n"));
}

Test(lex_python_strings, every_prefix) {
        static const struct {
                const char *src;
                uint32_t flags;
        } cases[] = {
                { "'x'", 0 },           { "\"x\"", 0 },         { "r'x'", TOKF_RAW },   { "R'x'", TOKF_RAW },
                { "u'x'", 0 },          { "U\"x\"", 0 },        { "b'x'", TOKF_BYTES }, { "B'x'", TOKF_BYTES },
                { "br'x'", TOKF_RAW | TOKF_BYTES },             { "Br'x'", TOKF_RAW | TOKF_BYTES },
                { "bR'x'", TOKF_RAW | TOKF_BYTES },             { "BR'x'", TOKF_RAW | TOKF_BYTES },
                { "rb'x'", TOKF_RAW | TOKF_BYTES },             { "rB'x'", TOKF_RAW | TOKF_BYTES },
                { "Rb'x'", TOKF_RAW | TOKF_BYTES },             { "RB\"\"\"x\"\"\"", TOKF_RAW | TOKF_BYTES },
                { "f'x'", FS },         { "F'x'", FS },         { "fr'x'", FS | TOKF_RAW },
                { "fR'x'", FS | TOKF_RAW },                     { "Fr'x'", FS | TOKF_RAW },
                { "FR'x'", FS | TOKF_RAW },                     { "rf'x'", FS | TOKF_RAW },
                { "rF'x'", FS | TOKF_RAW },                     { "Rf'x'", FS | TOKF_RAW },
                { "RF'''x'''", FS | TOKF_RAW },                 { "t'x'", FS },
                { "tr'x'", FS | TOKF_RAW },                     { "Rt'x'", FS | TOKF_RAW },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                expect_string(cases[i].src, cases[i].flags, "x");
}

Test(lex_python_strings, invalid_prefix_is_a_name_then_a_string) {
        EXPECT_TOKENS("ur'x' bf'y' rr'z' elif'w'", I("ur"), S("'x'", "x"), I("bf"), S("'y'", "y"), I("rr"),
                      S("'z'", "z"), I("elif"), S("'w'", "w"));
}

Test(lex_python_strings, escapes_are_decoded) {
        expect_string("\"\\x65\\x76\\x61\\x6c\"", 0, "eval");
        expect_string("'\\145\\166al'", 0, "eval");
        expect_string("'\\u0065val'", 0, "eval");
        expect_string("'\\U00000065\\U00000076al'", 0, "eval");
        expect_string("'\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"'", 0, "\a\b\f\n\r\t\v\\'\"");
        expect_string_n("'a\\0b\\000c'", 0, "a\0b\0c", 5);
        expect_string("'\\x4a\\x4B'", 0, "JK");
        /* str escapes above 0x7f become UTF-8 */
        expect_string("'\\xe9\\351\\u00e9\\u20ac\\U0001F600'", 0,
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
        /* octal: at most three digits */
        expect_string("'\\1011'", 0, "A1");
}

Test(lex_python_strings, escapes_kept_as_written) {
        expect_string("'\\N{DASH}x'", 0, "\\N{DASH}x");
        expect_string("'\\d\\q\\%'", 0, "\\d\\q\\%");
        expect_string("'\\x4g'", 0, "\\x4g");
        expect_string("'\\u12'", 0, "\\u12");
        expect_string("'\\U00110000'", 0, "\\U00110000");
        expect_string("'\\\xff'", 0, "\\\xff");
}

Test(lex_python_strings, backslash_newline_is_removed) {
        expect_string("'ev\\\nal'", 0, "eval");
        expect_string("'ev\\\r\nal'", 0, "eval");
        expect_string("'ev\\\ral'", 0, "eval");
        expect_string("'''ev\\\nal'''", 0, "eval");
}

Test(lex_python_strings, bytes_escapes) {
        expect_string("b'\\x65\\166al'", TOKF_BYTES, "eval");
        expect_string("b'\\xe9\\377'", TOKF_BYTES, "\xe9\xff");
        /* \u and \N mean nothing in bytes */
        expect_string("b'\\u0065\\N{X}'", TOKF_BYTES, "\\u0065\\N{X}");
}

Test(lex_python_strings, raw_strings_are_verbatim) {
        expect_string("r'\\x65\\n'", TOKF_RAW, "\\x65\\n");
        expect_string("r'\\''", TOKF_RAW, "\\'");
        expect_string("r\"a\\\\\"", TOKF_RAW, "a\\\\");
        expect_string("R'a\\\nb'", TOKF_RAW, "a\\\nb");
        expect_string("rb'\\x00'", TOKF_RAW | TOKF_BYTES, "\\x00");
}

Test(lex_python_strings, quotes_and_empties) {
        expect_string("''", 0, "");
        expect_string("\"\"\"\"\"\"", 0, "");
        expect_string("'\"'", 0, "\"");
        expect_string("\"'\"", 0, "'");
        expect_string("'''a''b'c'''", 0, "a''b'c");
        expect_string("\"\"\"a\\\"\"\"\"", 0, "a\"");
        EXPECT_TOKENS("'''a'''' '", S("'''a'''", "a"), S("' '", " "));
}

Test(lex_python_strings, triple_quoted_multiline_with_hash) {
#define DOC "first\n# not a comment\nos." SYS "('x')\n"
        _cleanup_(token_list_done) struct token_list l = lex("doc = \"\"\"" DOC "\"\"\"\nrun()\n");
        EXPECT_TOKENS("doc = \"\"\"" DOC "\"\"\"\nrun()\n", I("doc"), P("="), S("\"\"\"" DOC "\"\"\"", DOC), NL("\n"),
                      I("run"), P("("), P(")"), NL("\n"));
#undef DOC
        expect_pos(&l, 4, "run", 5, 1);
}

Test(lex_python_strings, adjacent_literals_stay_separate) {
        EXPECT_TOKENS("getattr(os, \"sys\" 'tem')", I("getattr"), P("("), I("os"), P(","), S("\"sys\"", "sys"),
                      S("'tem'", "tem"), P(")"));
        EXPECT_TOKENS("__import__(\"o\"+\"s\")", I("__import__"), P("("), S("\"o\"", "o"), P("+"), S("\"s\"", "s"),
                      P(")"));
}

Test(lex_python_strings, unterminated_at_line_end) {
        EXPECT_TOKENS("x = 'abc\ny = \"d\\'e\r\nz", I("x"), P("="), SF("'abc", UT, "abc"), NL("\n"), I("y"), P("="),
                      SF("\"d\\'e", UT, "d'e"), NL("\r\n"), I("z"));
}

Test(lex_python_strings, unterminated_at_eof) {
        EXPECT_TOKENS("x = 'abc", I("x"), P("="), SF("'abc", UT, "abc"));
        EXPECT_TOKENS("'''abc\ndef", SF("'''abc\ndef", UT, "abc\ndef"));
        EXPECT_TOKENS("b'''ab''", SF("b'''ab''", UT | TOKF_BYTES, "ab''"));
        EXPECT_TOKENS("'abc\\", SF("'abc\\", UT, "abc\\"));
        EXPECT_TOKENS("r'", SF("r'", UT | TOKF_RAW, ""));
}

/* ---- f-strings ---- */

Test(lex_python_fstring, nested_call_is_code) {
        EXPECT_TOKENS("f\"{os." SYS "('id')}\"", SF("f\"", FS, ""), PI("{"), II("os"), PI("."), II(SYS), PI("("),
                      SF("'id'", IN, "id"), PI(")"), PI("}"), SF("\"", FS, ""));
}

Test(lex_python_fstring, pieces_are_decoded) {
        EXPECT_TOKENS("F'a\\x62{x}\\u0063{y}d'", SF("F'a\\x62", FS, "ab"), PI("{"), II("x"), PI("}"),
                      SF("\\u0063", FS, "c"), PI("{"), II("y"), PI("}"), SF("d'", FS, "d"));
}

Test(lex_python_fstring, doubled_braces_are_literal) {
        EXPECT_TOKENS("f\"{{x}} {y}}}\"", SF("f\"{{x}} ", FS, "{x} "), PI("{"), II("y"), PI("}"), SF("}}\"", FS, "}"));
        EXPECT_TOKENS("f'{{}}'", SF("f'{{}}'", FS, "{}"));
}

Test(lex_python_fstring, format_spec_with_nested_fields) {
        EXPECT_TOKENS("f'{x:>{width}.{prec}f}!'", SF("f'", FS, ""), PI("{"), II("x"), PI(":"), SF(">", FS | IN, ">"),
                      PI("{"), II("width"), PI("}"), SF(".", FS | IN, "."), PI("{"), II("prec"), PI("}"),
                      SF("f", FS | IN, "f"), PI("}"), SF("!'", FS, "!"));
        /* the spec of a nested field has a spec of its own */
        EXPECT_TOKENS("f'{a:{b:{c}}}'", SF("f'", FS, ""), PI("{"), II("a"), PI(":"), PI("{"), II("b"), PI(":"), PI("{"),
                      II("c"), PI("}"), PI("}"), PI("}"), SF("'", FS, ""));
}

Test(lex_python_fstring, conversion_and_debug) {
        EXPECT_TOKENS("f'{x!r:>10}'", SF("f'", FS, ""), PI("{"), II("x"), PI("!"), II("r"), PI(":"),
                      SF(">10", FS | IN, ">10"), PI("}"), SF("'", FS, ""));
        EXPECT_TOKENS("f'{a!=b}{c=}'", SF("f'", FS, ""), PI("{"), II("a"), PI("!="), II("b"), PI("}"), PI("{"), II("c"),
                      PI("="), PI("}"), SF("'", FS, ""));
        /* a top-level ':' starts the spec even before '=' (CPython: x formatted with "=5") */
        EXPECT_TOKENS("f'{x:=5}'", SF("f'", FS, ""), PI("{"), II("x"), PI(":"), SF("=5", FS | IN, "=5"), PI("}"),
                      SF("'", FS, ""));
}

Test(lex_python_fstring, colons_and_braces_inside_brackets_are_code) {
        EXPECT_TOKENS("f'{d[1:2]}{ {\"k\": v}[\"k\"] }'", SF("f'", FS, ""), PI("{"), II("d"), PI("["), NI("1"),
                      PI(":"), NI("2"), PI("]"), PI("}"), PI("{"), PI("{"), SF("\"k\"", IN, "k"), PI(":"), II("v"),
                      PI("}"), PI("["), SF("\"k\"", IN, "k"), PI("]"), PI("}"), SF("'", FS, ""));
        EXPECT_TOKENS("f'{(lambda x: x)(1)}'", SF("f'", FS, ""), PI("{"), PI("("), II("lambda"), II("x"), PI(":"),
                      II("x"), PI(")"), PI("("), NI("1"), PI(")"), PI("}"), SF("'", FS, ""));
}

Test(lex_python_fstring, same_quotes_nest_like_python_3_12) {
        EXPECT_TOKENS("f\"{d[\"k\"]}\"", SF("f\"", FS, ""), PI("{"), II("d"), PI("["), SF("\"k\"", IN, "k"), PI("]"),
                      PI("}"), SF("\"", FS, ""));
        EXPECT_TOKENS("f\"a{f\"b{c}\"}\"", SF("f\"a", FS, "a"), PI("{"), SF("f\"b", FS | IN, "b"), PI("{"), II("c"),
                      PI("}"), SF("\"", FS | IN, ""), PI("}"), SF("\"", FS, ""));
}

Test(lex_python_fstring, eval_of_a_field_in_concatenation) {
        EXPECT_TOKENS("exec(f'{base64.b64decode(p)}' 'x')", I("exec"), P("("), SF("f'", FS, ""), PI("{"),
                      II("base64"), PI("."), II("b64decode"), PI("("), II("p"), PI(")"), PI("}"), SF("'", FS, ""),
                      S("'x'", "x"), P(")"));
}

Test(lex_python_fstring, multiline_fields) {
        static const char src[] = "x = f'''a\n{\n  os.getenv(\n 'H')  # why\n}b'''\ny";
        _cleanup_(token_list_done) struct token_list l = lex(src);
        EXPECT_TOKENS(src, I("x"), P("="), SF("f'''a\n", FS, "a\n"), PI("{"), II("os"), PI("."), II("getenv"), PI("("),
                      SF("'H'", IN, "H"), PI(")"), { TOK_COMMENT, "# why", IN, NULL }, PI("}"), SF("b'''", FS, "b"),
                      NL("\n"), I("y"));
        expect_pos(&l, 4, "os", 3, 3);
        expect_pos(&l, 12, "b'''", 5, 2);
        expect_pos(&l, 14, "y", 6, 1);
        /* PEP 701: a single-quoted f-string's field may span lines too */
        EXPECT_TOKENS("f'{a +\n b}'\n", SF("f'", FS, ""), PI("{"), II("a"), PI("+"), II("b"), PI("}"), SF("'", FS, ""),
                      NL("\n"));
}

Test(lex_python_fstring, raw_and_escapes) {
        EXPECT_TOKENS("rf'\\d{x}\\{y}'", SF("rf'\\d", FS | TOKF_RAW, "\\d"), PI("{"), II("x"), PI("}"),
                      SF("\\", FS | TOKF_RAW, "\\"), PI("{"), II("y"), PI("}"), SF("'", FS | TOKF_RAW, ""));
        /* \N{...} braces are no field */
        EXPECT_TOKENS("f'\\N{BULLET} {x}'", SF("f'\\N{BULLET} ", FS, "\\N{BULLET} "), PI("{"), II("x"), PI("}"),
                      SF("'", FS, ""));
        EXPECT_TOKENS("f'\\{x}'", SF("f'\\", FS, "\\"), PI("{"), II("x"), PI("}"), SF("'", FS, ""));
        EXPECT_TOKENS("f'{x:\\x3e4}'", SF("f'", FS, ""), PI("{"), II("x"), PI(":"), SF("\\x3e4", FS | IN, ">4"),
                      PI("}"), SF("'", FS, ""));
}

Test(lex_python_fstring, unterminated) {
        /* at the line end: the rest of the line is the last piece, then lexing goes on */
        EXPECT_TOKENS("f'a{x}b\ny", SF("f'a", FS, "a"), PI("{"), II("x"), PI("}"), SF("b", FS | UT, "b"), NL("\n"),
                      I("y"));
        EXPECT_TOKENS("f'{x}\n", SF("f'", FS, ""), PI("{"), II("x"), PI("}"), SF("", FS | UT, ""), NL("\n"));
        /* at EOF inside a field: a zero-length last piece marks it */
        EXPECT_TOKENS("f'{x(", SF("f'", FS, ""), PI("{"), II("x"), PI("("), SF("", FS | UT, ""));
        EXPECT_TOKENS("f'''{x:", SF("f'''", FS, ""), PI("{"), II("x"), PI(":"), SF("", FS | IN | UT, ""));
        EXPECT_TOKENS("f'''a\nb", SF("f'''a\nb", FS | UT, "a\nb"));
        EXPECT_TOKENS("f'{f\"{", SF("f'", FS, ""), PI("{"), SF("f\"", FS | IN, ""), PI("{"), SF("", FS | IN | UT, ""),
                      SF("", FS | UT, ""));
        /* a lone '}' is text, a quote inside a spec ends the f-string */
        EXPECT_TOKENS("f'a}b'", SF("f'a}b'", FS, "a}b"));
        EXPECT_TOKENS("f'{x:>3' + y", SF("f'", FS, ""), PI("{"), II("x"), PI(":"), SF(">3'", FS | IN, ">3"), P("+"),
                      I("y"));
}

/* ---- numbers and operators ---- */

Test(lex_python_numbers, each_literal_is_one_token) {
        static const char *const nums[] = {
                "0", "7", "123", "1_000_000", "0x_FF", "0XdeadBEEF", "0o17", "0O7_7", "0b1010", "0B_1", "1.5", ".5",
                "1.", "1e10", "1E-5", "1.5e+3j", "10j", "1_0.0_1e1_0", "0.0", "00", "3.14J",
        };
        for (size_t i = 0; i < ELEMENTSOF(nums); i++) {
                _cleanup_(token_list_done) struct token_list l = lex(nums[i]);
                if (l.n != 1)
                        dump(&l);
                cr_assert_eq(l.n, 1, "'%s': %zu tokens", nums[i], l.n);
                cr_expect(token_is(&l, &l.v[0], TOK_NUMBER, nums[i]), "'%s'", nums[i]);
        }
}

Test(lex_python_numbers, neighbours) {
        EXPECT_TOKENS("1if x else 2", N("1"), I("if"), I("x"), I("else"), N("2"));
        EXPECT_TOKENS("1..real 1.__class__", N("1."), P("."), I("real"), N("1."), I("__class__"));
        EXPECT_TOKENS("x.y[0]...", I("x"), P("."), I("y"), P("["), N("0"), P("]"), P("..."));
        EXPECT_TOKENS("1e 1_", N("1"), I("e"), N("1"), I("_"));
}

Test(lex_python_punct, longest_match) {
        static const char *const ops[] = {
                "**=", "//=", ">>=", "<<=", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=",
                "*=", "/=", "%=", "&=", "|=", "^=", "@=", "...", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~",
                "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=", "!",
        };
        for (size_t i = 0; i < ELEMENTSOF(ops); i++) {
                _cleanup_(token_list_done) struct token_list l = lex(ops[i]);
                cr_assert_eq(l.n, 1, "'%s': %zu tokens", ops[i], l.n);
                cr_expect(token_is(&l, &l.v[0], TOK_PUNCT, ops[i]), "'%s'", ops[i]);
        }
        EXPECT_TOKENS("a**=b//c->d", I("a"), P("**="), I("b"), P("//"), I("c"), P("->"), I("d"));
        EXPECT_TOKENS("x<<=-1..", I("x"), P("<<="), P("-"), N("1."), P("."));
}

Test(lex_python_punct, stray_bytes_are_one_byte_each) {
        EXPECT_TOKENS("$x ? `y` \\ z", P("$"), I("x"), P("?"), P("`"), I("y"), P("`"), P("\\"), I("z"));
        EXPECT_TOKENS("a\x01\x7f\x1b", I("a"), P("\x01"), P("\x7f"), P("\x1b"));
        EXPECT_TOKENS("x\\", I("x"), P("\\"));
}

/* ---- untrusted bytes ---- */

Test(lex_python_bytes, non_utf8_in_names_strings_and_comments) {
        EXPECT_TOKENS("ab\xff\xfe" "cd = '\xc3\x28' # \xff\xfe\n", I("ab\xff\xfe" "cd"), P("="),
                      S("'\xc3\x28'", "\xc3\x28"), C("# \xff\xfe"), NL("\n"));
        EXPECT_TOKENS("caf\xc3\xa9 \xe2\x84\x8c = 1", I("caf\xc3\xa9"), I("\xe2\x84\x8c"), P("="), N("1"));
}

Test(lex_python_bytes, nul_bytes) {
        static const char code[] = "a\0b";
        static const struct want w[] = { I("a"), P("\0"), I("b") };
        _cleanup_(token_list_done) struct token_list l = lex_n(code, 3);
        cr_assert_eq(l.n, 3);
        cr_expect(l.v[0].len == 1 && l.v[1].len == 1 && l.v[1].offset == 1 && l.v[2].offset == 2);
        cr_expect_eq(l.v[1].kind, w[1].kind);

        static const char str[] = "'a\0b' # c\0d\nx";
        _cleanup_(token_list_done) struct token_list m = lex_n(str, sizeof(str) - 1);
        cr_assert_eq(m.n, 4);
        cr_expect_eq(m.v[0].value_len, 3);
        cr_expect(memcmp(m.v[0].value, "a\0b", 4) == 0);
        cr_expect_eq(m.v[1].len, 5, "the comment runs over the NUL");
        cr_expect(token_is(&m, &m.v[3], TOK_IDENT, "x"));
}

Test(lex_python_bytes, reads_nothing_past_len) {
        /* the input continues in memory, the lexer must stop at len */
        static const char src[] = "'abc'''\"\"\"x";
        _cleanup_(token_list_done) struct token_list l = lex_n(src, 3);
        cr_assert_eq(l.n, 1);
        cr_expect_eq(l.v[0].flags, UT);
        cr_expect_str_eq(l.v[0].value, "ab");
        _cleanup_(token_list_done) struct token_list m = lex_n("f'{x}'", 4);
        cr_expect_eq(m.n, 4);
        _cleanup_(token_list_done) struct token_list n = lex_n("0x1", 2);
        cr_expect(n.n == 1 && token_is(&n, &n.v[0], TOK_NUMBER, "0x"));
}

/* ---- limits ---- */

Test(lex_python_limits, empty_input) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_python(NULL, 0, &l, &err), 0);
        cr_expect_eq(l.n, 0);
        cr_expect_null(l.src);
        token_list_done(&l);
        _cleanup_(token_list_done) struct token_list m = lex("\n\r\n  \t\f\r");
        cr_expect_eq(m.n, 0, "blank lines only: no tokens");
}

static int lex_repeated(const char *unit, size_t times, const char *tail, struct token_list *l, struct error *err) {
        size_t u = strlen(unit), t = strlen(tail);
        _cleanup_free_ char *src = malloc(u * times + t);
        cr_assert_not_null(src);
        for (size_t i = 0; i < times; i++)
                memcpy(src + i * u, unit, u);
        memcpy(src + u * times, tail, t);
        *l = (struct token_list) { 0 };
        return lex_python(src, u * times + t, l, err);
}

Test(lex_python_limits, nesting_up_to_the_cap) {
        struct token_list l;
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_repeated("(", TOKEN_MAX_NESTING, ")", &l, &err), 0, "%s", err.msg);
        cr_expect_eq(l.n, TOKEN_MAX_NESTING + 1);
        token_list_done(&l);
}

Test(lex_python_limits, deep_brackets_fail_cleanly) {
        struct token_list l;
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_repeated("([{", 1000, "", &l, &err), -E2BIG);
        cr_expect_eq(err.code, -E2BIG);
        cr_expect_neq(err.msg[0], '\0');
        cr_expect_eq(l.n, 0, "no half result");
        token_list_done(&l);
}

Test(lex_python_limits, deep_fstrings_fail_cleanly) {
        struct token_list l;
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_repeated("f'{", 200, "", &l, &err), -E2BIG);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
        /* each level is an f-string and a field: 128 levels fit exactly */
        err = (struct error) ERROR_INIT;
        cr_assert_eq(lex_repeated("f'{", TOKEN_MAX_NESTING / 2, "", &l, &err), 0, "%s", err.msg);
        token_list_done(&l);
        cr_assert_eq(lex_repeated("f'{x:{", 100, "", &l, &err), -E2BIG);
        token_list_done(&l);
}

Test(lex_python_limits, source_too_large) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        /* refused before a byte is read */
        cr_assert_eq(lex_python("x", (size_t) TOKEN_MAX_SOURCE + 1, &l, &err), -E2BIG);
        cr_expect_eq(l.n, 0);
}

Test(lex_python_limits, too_many_tokens, .timeout = 60) {
        struct token_list l;
        struct error err = ERROR_INIT;
        cr_assert_eq(lex_repeated(";", TOKEN_MAX_TOKENS + 1, "", &l, &err), -E2BIG);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
}

/* ---- a realistic script ---- */

static const char script[] =
        "#!/usr/bin/env python3\n"
        "\"\"\"Fetch a page and save a summary.\"\"\"\n"
        "import os, sys\n"
        "import base64 as b64\n"
        "from subprocess import run as r\n"
        "\n"
        "URL = os.environ.get('URL', \"https://example.com\")  # default\n"
        "\n"
        "\n"
        "def summarize(text: str, limit: int = 80) -> str:\n"
        "    \"\"\"First line, cut at limit.\"\"\"\n"
        "    first = text.splitlines()[0] if text else ''\n"
        "    return first[:limit]\n"
        "\n"
        "\n"
        "class Saver:\n"
        "    def __init__(self, path):\n"
        "        self.path = path\n"
        "\n"
        "    def save(self, data):\n"
        "        with open(self.path, 'w') as f:\n"
        "            f.write(data)\n"
        "\n"
        "\n"
        "if __name__ == '__main__':\n"
        "    out = r(['curl', '-s', URL], capture_output=True, check=False)\n"
        "    blob = b64.b64encode(out.stdout)\n"
        "    Saver(sys.argv[1]).save(f\"{summarize(out.stdout.decode())!r:>{len(URL)}}\\n\")\n"
        "    print(len(blob), 0x1F, 1.5e3,\n"
        "          r'\\d+')\n";

Test(lex_python_script, token_counts) {
        _cleanup_(token_list_done) struct token_list l = lex(script);
        size_t count[TOK_WORD + 1] = { 0 }, interp = 0;
        for (size_t i = 0; i < l.n; i++) {
                count[l.v[i].kind]++;
                interp += !!(l.v[i].flags & TOKF_INTERP);
        }
        /* CPython's tokenize: 190 tokens, the f-string one STRING of them; here it is 3 pieces,
         * 7 names and 14 operators */
        cr_expect_eq(l.n, 213);
        cr_expect_eq(count[TOK_IDENT], 83);
        cr_expect_eq(count[TOK_NUMBER], 5);
        cr_expect_eq(count[TOK_STRING], 13);
        cr_expect_eq(count[TOK_PUNCT], 90);
        cr_expect_eq(count[TOK_COMMENT], 2);
        cr_expect_eq(count[TOK_NEWLINE], 20);
        cr_expect_eq(interp, 22);
        expect_pos(&l, 0, "#!/usr/bin/env python3", 1, 1);
        /* "def" of summarize is on line 10, the f-string on line 28 */
        size_t def = 0, fs = 0;
        for (size_t i = 0; i < l.n; i++) {
                if (!def && token_is(&l, &l.v[i], TOK_IDENT, "def"))
                        def = i;
                if (!fs && (l.v[i].flags & TOKF_FSTRING))
                        fs = i;
        }
        expect_pos(&l, def, "def", 10, 1);
        expect_pos(&l, fs, "f\"", 28, 29);
        cr_expect(token_is(&l, &l.v[l.n - 1], TOK_NEWLINE, "\n"));
}
