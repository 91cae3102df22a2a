/* Unit tests for src/scan/lex_js: JavaScript/TypeScript tokens for the scanner's rules (decoded
 * strings, template interpolations as real tokens, regex vs division, positions, limits). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/token.h"

/* The invariants every token list must keep (also checked by the fuzz target). */
static void check_invariants(const struct token_list *l, const char *src, size_t len) {
        cr_assert_eq(l->src, src);
        cr_assert_eq(l->src_len, len);
        for (size_t i = 0; i < l->n; i++) {
                const struct token *t = &l->v[i];
                cr_assert_leq((size_t) t->offset + t->len, len, "token %zu ends past the input", i);
                cr_assert_geq(token_line(l, t), 1u);
                cr_assert_geq(token_column(l, t), 1u);
                if (i > 0)
                        cr_assert_geq(t->offset, l->v[i - 1].offset + l->v[i - 1].len, "token %zu overlaps", i);
                if (t->kind == TOK_STRING) {
                        cr_assert_not_null(t->value, "token %zu: string without a value", i);
                        cr_assert_eq(t->value[t->value_len], '\0');
                } else
                        cr_assert_null(t->value);
        }
}

static void put_escaped(FILE *f, const char *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c == '\n')
                        fputs("\\n", f);
                else if (c < 0x20 || c >= 0x7f)
                        fprintf(f, "\\x%02x", c);
                else
                        fputc(c, f);
        }
}

/* Tokens as words "KIND[flags]:text": kinds I N S P C NL, flags t(emplate) r(egex) w (raw)
 * i(nterp) u(nterminated); a string shows its decoded value, other kinds their raw text. */
static char *render(const struct token_list *l) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        cr_assert_not_null(f);
        for (size_t i = 0; i < l->n; i++) {
                const struct token *t = &l->v[i];
                static const char *const kinds[] = {
                        [TOK_IDENT] = "I", [TOK_NUMBER] = "N", [TOK_STRING] = "S", [TOK_PUNCT] = "P",
                        [TOK_COMMENT] = "C", [TOK_NEWLINE] = "NL", [TOK_WORD] = "W",
                };
                fprintf(f, "%s%s%s%s%s%s%s", i ? " " : "", kinds[t->kind],
                        t->flags & TOKF_TEMPLATE ? "t" : "", t->flags & TOKF_REGEX ? "r" : "",
                        t->flags & TOKF_RAW ? "w" : "", t->flags & TOKF_INTERP ? "i" : "",
                        t->flags & TOKF_UNTERMINATED ? "u" : "");
                if (t->kind == TOK_NEWLINE)
                        continue;
                fputc(':', f);
                if (t->kind == TOK_STRING)
                        put_escaped(f, t->value, t->value_len);
                else
                        put_escaped(f, token_text(l, t), t->len);
        }
        cr_assert_eq(fclose(f), 0);
        return buf;
}

static void lex_ok(const char *src, size_t len, struct token_list *l) {
        struct error err = ERROR_INIT;
        *l = (struct token_list) { 0 };
        int r = lex_js(src, len, l, &err);
        cr_assert_eq(r, 0, "lex_js: %d %s", r, err.msg);
        check_invariants(l, src, len);
}

static void expect_tokens_n(const char *src, size_t len, const char *want) {
        struct token_list l;
        lex_ok(src, len, &l);
        _cleanup_free_ char *got = render(&l);
        cr_expect_str_eq(got, want, "source: %.*s\n got: %s\nwant: %s", (int) len, src, got, want);
        token_list_done(&l);
}

static void expect_tokens(const char *src, const char *want) {
        expect_tokens_n(src, strlen(src), want);
}

/* The rendering of src contains want (a run of consecutive tokens). */
static void expect_contains(const char *src, const char *want) {
        struct token_list l;
        lex_ok(src, strlen(src), &l);
        _cleanup_free_ char *got = render(&l);
        cr_expect_not_null(strstr(got, want), "'%s' not in %s", want, got);
        token_list_done(&l);
}

static void expect_pos(const struct token_list *l, size_t i, uint32_t line, uint32_t column) {
        cr_assert_lt(i, l->n);
        uint32_t got_line = token_line(l, &l->v[i]), got_column = token_column(l, &l->v[i]);
        cr_expect_eq(got_line, line, "token %zu '%.*s': line %u, want %u", i, (int) l->v[i].len,
                     token_text(l, &l->v[i]), got_line, line);
        cr_expect_eq(got_column, column, "token %zu '%.*s': column %u, want %u", i, (int) l->v[i].len,
                     token_text(l, &l->v[i]), got_column, column);
}

/* ---- basics ---------------------------------------------------------------------------- */

Test(lex_js_basic, empty_input) {
        struct token_list l;
        lex_ok("", 0, &l);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
        lex_ok(" \t\v\f", 4, &l);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
        lex_ok(NULL, 0, &l);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
}

Test(lex_js_basic, identifiers_and_keywords) {
        expect_tokens("const x = $a_1 + _b;", "I:const I:x P:= I:$a_1 P:+ I:_b P:;");
        expect_tokens("await import('fs')", "I:await I:import P:( S:fs P:)");
}

Test(lex_js_basic, numbers) {
        expect_tokens("0x1F 0o17 0b1010 1_000_000 10n 0xFFn 1.5e-3 .5 5. 1e10 017 2E+8",
                      "N:0x1F N:0o17 N:0b1010 N:1_000_000 N:10n N:0xFFn N:1.5e-3 N:.5 N:5. N:1e10 N:017 N:2E+8");
        expect_tokens("1..toString() 1.e", "N:1. P:. I:toString P:( P:) N:1. I:e");
        expect_tokens("a.b[0]", "I:a P:. I:b P:[ N:0 P:]");
}

Test(lex_js_basic, punctuation_longest_match) {
        expect_tokens("a >>>= b ... c === d !== e **= f <<= g >>= h >>> i &&= j ||= k ?\?= l",
                      "I:a P:>>>= I:b P:... I:c P:=== I:d P:!== I:e P:**= I:f P:<<= I:g P:>>= I:h "
                      "P:>>> I:i P:&&= I:j P:||= I:k P:?\?= I:l");
        expect_tokens("a => b == c != d <= e >= f && g || h ?? i ** j << k >> l",
                      "I:a P:=> I:b P:== I:c P:!= I:d P:<= I:e P:>= I:f P:&& I:g P:|| I:h P:?? I:i "
                      "P:** I:j P:<< I:k P:>> I:l");
        expect_tokens("a += 1; b -= 1; c *= 1; d /= 1; e %= 1; f &= 1; g |= 1; h ^= 1; i++; j--",
                      "I:a P:+= N:1 P:; I:b P:-= N:1 P:; I:c P:*= N:1 P:; I:d P:/= N:1 P:; I:e P:%= N:1 P:; "
                      "I:f P:&= N:1 P:; I:g P:|= N:1 P:; I:h P:^= N:1 P:; I:i P:++ P:; I:j P:--");
        expect_tokens("@dec ~x; a\\b", "P:@ I:dec P:~ I:x P:; I:a P:\\ I:b");
        expect_tokens("<!-- x -->", "P:< P:! P:-- I:x P:-- P:>");
}

Test(lex_js_basic, optional_chaining_vs_conditional_number) {
        expect_tokens("a?.b?.[0]?.(x)", "I:a P:?. I:b P:?. P:[ N:0 P:] P:?. P:( I:x P:)");
        expect_tokens("a?.5:1", "I:a P:? N:.5 P:: N:1");
        expect_tokens("a ?. b", "I:a P:?. I:b");
}

Test(lex_js_basic, private_names) {
        expect_tokens("this.#priv = #x in o; #", "I:this P:. I:#priv P:= I:#x I:in I:o P:; P:#");
        expect_tokens("# x", "P:# I:x");
}

Test(lex_js_basic, non_ascii_and_invalid_utf8) {
        expect_tokens("caf\xc3\xa9 = \xff\xfe;", "I:caf\\xc3\\xa9 P:= I:\\xff\\xfe P:;");
        /* Unicode blanks separate tokens, as in JS: the call must stay visible */
        expect_tokens("require\xc2\xa0(\"fs\")", "I:require P:( S:fs P:)");
        expect_tokens("\xef\xbb\xbfx\xe3\x80\x80y\xe2\x80\x89z", "I:x I:y I:z");
        expect_tokens("\xe2", "I:\\xe2");
        expect_tokens("\xe2\x80", "I:\\xe2\\x80");
}

Test(lex_js_basic, identifier_escapes_keep_raw_text) {
        expect_tokens("\\u0072equire(\"fs\")", "I:\\u0072equire P:( S:fs P:)");
        expect_tokens("\\u{72}equire \\u00", "I:\\u{72}equire I:\\u00");
}

Test(lex_js_basic, nul_bytes) {
        expect_tokens_n("a\0b", 3, "I:a P:\\x00 I:b");
        struct token_list l;
        lex_ok("'x\0y'", 5, &l);
        cr_assert_eq(l.n, 1);
        cr_expect_eq(l.v[0].value_len, 3);
        cr_expect_eq(memcmp(l.v[0].value, "x\0y", 4), 0);
        token_list_done(&l);
}

/* ---- lines and columns ------------------------------------------------------------------ */

Test(lex_js_lines, all_line_endings) {
        struct token_list l;
        const char *src = "a\nbb c\r\n  d\re\r\r\nf";
        lex_ok(src, strlen(src), &l);
        _cleanup_free_ char *got = render(&l);
        cr_expect_str_eq(got, "I:a NL I:bb I:c NL I:d NL I:e NL I:f");
        expect_pos(&l, 0, 1, 1);
        expect_pos(&l, 1, 1, 2);
        expect_pos(&l, 2, 2, 1);
        expect_pos(&l, 3, 2, 4);
        expect_pos(&l, 4, 2, 5);
        expect_pos(&l, 5, 3, 3);
        expect_pos(&l, 7, 4, 1);
        expect_pos(&l, 9, 6, 1);
        token_list_done(&l);
}

Test(lex_js_lines, cr_only_file) {
        struct token_list l;
        const char *src = "x = 1\r  y('a')\r\rz";
        lex_ok(src, strlen(src), &l);
        _cleanup_free_ char *got = render(&l);
        cr_expect_str_eq(got, "I:x P:= N:1 NL I:y P:( S:a P:) NL I:z");
        expect_pos(&l, 4, 2, 3);
        expect_pos(&l, 6, 2, 5);
        expect_pos(&l, 9, 4, 1);
        token_list_done(&l);
}

Test(lex_js_lines, blank_lines_collapse) {
        expect_tokens("a\n\n  \r\n\r\t\nb", "I:a NL I:b");
        expect_tokens("\n\na", "NL I:a");
        expect_tokens("a // c\n\nb", "I:a C:// c NL I:b");
}

Test(lex_js_lines, unicode_line_separators) {
        expect_tokens("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", "I:a NL I:b NL I:c");
}

Test(lex_js_lines, positions_after_multiline_tokens) {
        struct token_list l;
        const char *src = "/*\n\n*/ x `a\r\nb${c}` '\\\nq' y";
        lex_ok(src, strlen(src), &l);
        _cleanup_free_ char *got = render(&l);
        cr_expect_str_eq(got, "C:/*\\n\\n*/ I:x St:a\\nb Pi:${ Ii:c Pi:} St: S:q I:y");
        expect_pos(&l, 1, 3, 4);
        expect_pos(&l, 2, 3, 6);
        expect_pos(&l, 3, 4, 2);
        expect_pos(&l, 4, 4, 4);
        expect_pos(&l, 7, 4, 8);
        expect_pos(&l, 8, 5, 4);
        token_list_done(&l);
}

/* ---- comments --------------------------------------------------------------------------- */

Test(lex_js_comments, shebang) {
        expect_tokens("#!/usr/bin/env node\nrequire('fs')", "C:#!/usr/bin/env node NL I:require P:( S:fs P:)");
        expect_tokens("#!", "C:#!");
        expect_tokens("x\n#!y", "I:x NL P:# P:! I:y");
}

Test(lex_js_comments, comments_hide_code) {
        expect_tokens("// require(\"child_process\")\nx", "C:// require(\"child_process\") NL I:x");
        expect_tokens("a /* require('x') */ b", "I:a C:/* require('x') */ I:b");
        expect_tokens("a /**/ b /* * / */", "I:a C:/**/ I:b C:/* * / */");
        expect_tokens("// a\rb", "C:// a NL I:b");
        expect_tokens("// a\xe2\x80\xa9" "b", "C:// a NL I:b");
}

Test(lex_js_comments, strings_are_not_comments) {
        expect_tokens("\"require('x')\"", "S:require('x')");
        expect_tokens("\"// no\" + '/* nor */' // yes", "S:// no P:+ S:/* nor */ C:// yes");
}

Test(lex_js_comments, unterminated_block_comment) {
        expect_tokens("a /* b\nc", "I:a Cu:/* b\\nc");
        expect_tokens("/*", "Cu:/*");
        expect_tokens("/*/", "Cu:/*/");
}

/* ---- strings ---------------------------------------------------------------------------- */

Test(lex_js_strings, hex_and_unicode_escapes_are_decoded) {
        expect_tokens("\"\\x65\\x76\\x61\\x6c\"", "S:eval");
        expect_tokens("\"\\u{65}val\" '\\u0065val' \"\\u{000000065}v\\u{61}l\"", "S:eval S:eval S:eval");
        expect_tokens("'\\u00e9' '\\u{1F600}' '\\uD83D\\uDE00' '\\uD800' '\\xe9'",
                      "S:\\xc3\\xa9 S:\\xf0\\x9f\\x98\\x80 S:\\xf0\\x9f\\x98\\x80 S:\\xed\\xa0\\x80 S:\\xc3\\xa9");
}

Test(lex_js_strings, simple_and_unknown_escapes) {
        expect_tokens("'\\n\\t\\r\\b\\f\\v\\\\\\'\\\"'", "S:\\n\\x09\\x0d\\x08\\x0c\\x0b\\'\"");
        expect_tokens("'\\q\\e\\x4\\u12\\u{110000}\\u{}\\8'", "S:qex4u12u{110000}u{}8");
        expect_tokens("'\\\xc3\xa9'", "S:\\xc3\\xa9");
}

Test(lex_js_strings, legacy_octal) {
        struct token_list l;
        const char *src = "'\\101\\60\\0x\\377\\400\\08'";
        lex_ok(src, strlen(src), &l);
        cr_assert_eq(l.n, 1);
        static const char want[] = "A0\0x\xc3\xbf" " 0\0" "8";
        cr_expect_eq(l.v[0].value_len, sizeof(want) - 1);
        cr_expect_eq(memcmp(l.v[0].value, want, sizeof(want)), 0);
        token_list_done(&l);
}

Test(lex_js_strings, line_continuations_are_removed) {
        expect_tokens("'a\\\nb\\\r\nc\\\rd\\\xe2\x80\xa8" "e' x", "S:abcde I:x");
        /* U+2028 is allowed inside a string since ES2019 */
        expect_tokens("'a\xe2\x80\xa8" "b'", "S:a\\xe2\\x80\\xa8b");
}

Test(lex_js_strings, concatenated_module_name) {
        expect_tokens("require(\"child\" + \"_process\")", "I:require P:( S:child P:+ S:_process P:)");
}

Test(lex_js_strings, unterminated) {
        expect_tokens("'abc\nx", "Su:abc NL I:x");
        expect_tokens("'abc\r\nx", "Su:abc NL I:x");
        expect_tokens("\"abc", "Su:abc");
        expect_tokens("'a\\", "Su:a");
        expect_tokens("'", "Su:");
        expect_tokens("'\\x4", "Su:x4");
}

Test(lex_js_strings, empty_strings_have_a_value) {
        struct token_list l;
        lex_ok("'' \"\"", 5, &l);
        cr_assert_eq(l.n, 2);
        for (size_t i = 0; i < 2; i++) {
                cr_assert_not_null(l.v[i].value);
                cr_expect_eq(l.v[i].value_len, 0);
        }
        token_list_done(&l);
}

/* ---- template literals ------------------------------------------------------------------ */

Test(lex_js_template, interpolation_tokens) {
        const char *src = "`a${require(\"child_process\").exec(\"id\")}b`";
        expect_tokens(src, "St:a Pi:${ Ii:require Pi:( Si:child_process Pi:) Pi:. Ii:exec Pi:( Si:id Pi:) "
                           "Pi:} St:b");
        struct token_list l;
        lex_ok(src, strlen(src), &l);
        cr_assert_eq(l.n, 13);
        cr_expect_eq(l.v[0].len, 2, "the first piece holds the opening backtick");
        cr_expect_eq(l.v[12].len, 2, "the last piece holds the closing backtick");
        token_list_done(&l);
}

Test(lex_js_template, plain_and_empty_pieces) {
        expect_tokens("`plain\\x41\\`` x", "St:plainA` I:x");
        expect_tokens("`${x}`", "St: Pi:${ Ii:x Pi:} St:");
        expect_tokens("`\\${x}$x$`", "St:${x}$x$");
        expect_tokens("`a\r\nb\rc`", "St:a\\nb\\nc");
}

Test(lex_js_template, nested_templates) {
        expect_tokens("`a${`b${c}d`}e`", "St:a Pi:${ Sti:b Pi:${ Ii:c Pi:} Sti:d Pi:} St:e");
        expect_tokens("`${ `${ `${x}` }` }`", "St: Pi:${ Sti: Pi:${ Sti: Pi:${ Ii:x Pi:} Sti: Pi:} Sti: Pi:} St:");
}

Test(lex_js_template, braces_strings_comments_inside_interpolation) {
        expect_tokens("`${ {a: \"}\"}.a }x`", "St: Pi:${ Pi:{ Ii:a Pi:: Si:} Pi:} Pi:. Ii:a Pi:} St:x");
        expect_tokens("`${ a /* } ` */ }b`", "St: Pi:${ Ii:a Ci:/* } ` */ Pi:} St:b");
        expect_tokens("`${ a // }`\n}b`", "St: Pi:${ Ii:a Ci:// }` NLi Pi:} St:b");
        expect_tokens("`${ f(() => { return 1 }) }`",
                      "St: Pi:${ Ii:f Pi:( Pi:( Pi:) Pi:=> Pi:{ Ii:return Ni:1 Pi:} Pi:) Pi:} St:");
        expect_tokens("`${ /}`/.test(x) }`", "St: Pi:${ Sri:}` Pi:. Ii:test Pi:( Ii:x Pi:) Pi:} St:");
}

Test(lex_js_template, string_raw_tag) {
        expect_tokens("String.raw`\\x41${y}\\n`", "I:String P:. I:raw Stw:\\x41 Pi:${ Ii:y Pi:} Stw:\\n");
        expect_tokens("tag`\\x41`", "I:tag St:A");
        expect_tokens("String.raw `a${`\\n`}`", "I:String P:. I:raw Stw:a Pi:${ Sti:\\n Pi:} Stw:");
}

Test(lex_js_template, unterminated) {
        expect_tokens("`abc", "Stu:abc");
        expect_tokens("`a${b", "St:a Piu:${ Ii:b");
        expect_tokens("`a${b}c", "St:a Pi:${ Ii:b Pi:} Stu:c");
        expect_tokens("`a${`b${", "St:a Piu:${ Sti:b Piu:${");
        expect_tokens("`\\", "Stu:");
}

Test(lex_js_template, unbalanced_brackets_inside_interpolation) {
        expect_tokens("`${ ( }x` y", "St: Pi:${ Pi:( Pi:} St:x I:y");
        expect_tokens("`${ ) ] }x`", "St: Pi:${ Pi:) Pi:] Pi:} St:x");
}

static char *nested_templates(size_t depth) {
        char *s = malloc(depth * 3 + 1);
        cr_assert_not_null(s);
        for (size_t i = 0; i < depth; i++)
                memcpy(s + i * 3, "`${", 3);
        s[depth * 3] = '\0';
        return s;
}

Test(lex_js_template, deep_nesting_is_e2big) {
        _cleanup_free_ char *ok = nested_templates(TOKEN_MAX_NESTING);
        struct token_list l;
        lex_ok(ok, strlen(ok), &l);
        token_list_done(&l);

        _cleanup_free_ char *deep = nested_templates(TOKEN_MAX_NESTING + 1);
        struct error err = ERROR_INIT;
        l = (struct token_list) { 0 };
        cr_expect_eq(lex_js(deep, strlen(deep), &l, &err), -E2BIG);
        cr_expect_eq(err.code, -E2BIG);
        cr_expect_neq(err.msg[0], '\0');
        token_list_done(&l);
}

/* ---- regex or division ------------------------------------------------------------------ */

Test(lex_js_regex, division) {
        expect_tokens("a / b / c", "I:a P:/ I:b P:/ I:c");
        expect_tokens("f(a)/2 + x[1]/2 + 3/4 + 's'/5", "I:f P:( I:a P:) P:/ N:2 P:+ I:x P:[ N:1 P:] P:/ N:2 "
                                                   "P:+ N:3 P:/ N:4 P:+ S:s P:/ N:5");
        expect_tokens("i++ / 2; `t` / 3", "I:i P:++ P:/ N:2 P:; St:t P:/ N:3");
        expect_tokens("a /= 2", "I:a P:/= N:2");
        /* no ASI before "/": the next line continues the expression */
        expect_tokens("i = 1\n/re/g.test(s)", "I:i P:= N:1 NL P:/ I:re P:/ I:g P:. I:test P:( I:s P:)");
}

Test(lex_js_regex, regex_literals) {
        expect_tokens("x = /ab+c/gi.test(s)", "I:x P:= Sr:ab+c P:. I:test P:( I:s P:)");
        expect_tokens("return /x/", "I:return Sr:x");
        expect_tokens("/[/]/.test(s); /a\\/b/; /[\\]/]/", "Sr:[/] P:. I:test P:( I:s P:) P:; Sr:a\\/b P:; Sr:[\\]/]");
        expect_tokens("x = /=/", "I:x P:= Sr:=");
        expect_tokens("f(/a/, [/b/], {k: /c/}, !/d/)", "I:f P:( Sr:a P:, P:[ Sr:b P:] P:, P:{ I:k P:: Sr:c P:} P:, "
                                                       "P:! Sr:d P:)");
        struct token_list l;
        lex_ok("x = /ab+c/gi;", 13, &l);
        cr_assert_eq(l.n, 4);
        cr_expect_eq(l.v[2].len, 8, "raw text includes the flags");
        token_list_done(&l);
}

Test(lex_js_regex, after_keywords) {
        expect_tokens("typeof /x/; case /y/: throw /z/", "I:typeof Sr:x P:; I:case Sr:y P:: I:throw Sr:z");
        expect_tokens("yield /a/; await /b/; x instanceof /c/; a in /d/", "I:yield Sr:a P:; I:await Sr:b P:; "
                      "I:x I:instanceof Sr:c P:; I:a I:in Sr:d");
        expect_tokens("do /a/.exec(s); else /b/", "I:do Sr:a P:. I:exec P:( I:s P:) P:; I:else Sr:b");
        /* a keyword after "." is a property name */
        expect_tokens("a.return / 2 / 3", "I:a P:. I:return P:/ N:2 P:/ N:3");
        expect_tokens("x.if(1) / 2 / 3", "I:x P:. I:if P:( N:1 P:) P:/ N:2 P:/ N:3");
        /* "of" is a keyword only in a for head */
        expect_tokens("for (x of /a/g.exec(s)) of / 2 / 3", "I:for P:( I:x I:of Sr:a P:. I:exec P:( I:s P:) P:) "
                                                           "I:of P:/ N:2 P:/ N:3");
        expect_tokens("for await (x of /a/) f(of / 2 / 3)", "I:for I:await P:( I:x I:of Sr:a P:) I:f P:( I:of P:/ N:2 "
                                                           "P:/ N:3 P:)");
}

Test(lex_js_regex, statement_heads_and_blocks) {
        expect_tokens("if (x) /re/.test(y)", "I:if P:( I:x P:) Sr:re P:. I:test P:( I:y P:)");
        expect_tokens("while (a(b)) /c/g.exec(d)", "I:while P:( I:a P:( I:b P:) P:) Sr:c P:. I:exec P:( I:d P:)");
        expect_tokens("for await (x of y) /r/", "I:for I:await P:( I:x I:of I:y P:) Sr:r");
        expect_tokens("if (x) {} /re/", "I:if P:( I:x P:) P:{ P:} Sr:re");
        expect_tokens("function f() {}\n/re/", "I:function I:f P:( P:) P:{ P:} NL Sr:re");
        expect_tokens("x = {} / 2", "I:x P:= P:{ P:} P:/ N:2");
        expect_tokens("x = {a: 1}\n/re/g", "I:x P:= P:{ I:a P:: N:1 P:} NL P:/ I:re P:/ I:g");
        expect_tokens("x = function () {} / 2 / 3", "I:x P:= I:function P:( P:) P:{ P:} P:/ N:2 P:/ N:3");
        expect_tokens("x = async function () {} / 2 / 3",
                      "I:x P:= I:async I:function P:( P:) P:{ P:} P:/ N:2 P:/ N:3");
        expect_tokens("a ? b : function () {} / 2 / 3",
                      "I:a P:? I:b P:: I:function P:( P:) P:{ P:} P:/ N:2 P:/ N:3");
        expect_tokens("foo: {} /re/", "I:foo P:: P:{ P:} Sr:re");
        expect_tokens("class A {}\n/re/", "I:class I:A P:{ P:} NL Sr:re");
        expect_tokens("x = class A {} / 2 / 3", "I:x P:= I:class I:A P:{ P:} P:/ N:2 P:/ N:3");
        expect_tokens("interface I { a: 1 }\n/re/", "I:interface I:I P:{ I:a P:: N:1 P:} NL Sr:re");
        expect_tokens("export abstract class A {}\n/re/", "I:export I:abstract I:class I:A P:{ P:} NL Sr:re");
        expect_tokens("x = () => {}\n/re/", "I:x P:= P:( P:) P:=> P:{ P:} NL Sr:re");
}

/* A "/" misread either way could swallow code into a fake string or regex: each of these must
 * leave `require` visible as an identifier. */
Test(lex_js_regex, misreads_do_not_hide_code) {
        expect_contains("if (1) /\"/; require('child_process'); //\"", "I:require P:( S:child_process P:)");
        expect_contains("if(1){}/\"/;require('child_process');//\"", "I:require P:( S:child_process P:)");
        expect_contains("x = function(){} / 1; require(\"child_process\"); /1/",
                        "I:require P:( S:child_process P:)");
        expect_contains("x = {} / 1; require(\"child_process\"); /1/", "I:require P:( S:child_process P:)");
        expect_contains("let of = 4; x = of / 1; require('child_process'); 1/ 2", "I:require P:( S:child_process P:)");
        expect_contains("enum E {}\n/\"/; require('child_process'); //\"", "I:require P:( S:child_process P:)");
}

Test(lex_js_regex, unterminated_regex_is_division) {
        expect_tokens("x = /abc\ny", "I:x P:= P:/ I:abc NL I:y");
        expect_tokens("(/[/\n/x/", "P:( P:/ P:[ P:/ NL Sr:x");
        expect_tokens("= /a\\", "P:= P:/ I:a P:\\");
        expect_tokens("= /\\\n/", "P:= P:/ P:\\ NL P:/");
        expect_tokens("x = a //c", "I:x P:= I:a C://c");
}

/* ---- limits ----------------------------------------------------------------------------- */

Test(lex_js_limits, source_too_large) {
        size_t len = (size_t) TOKEN_MAX_SOURCE + 1;
        _cleanup_free_ char *big = calloc(1, len);
        cr_assert_not_null(big);
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(lex_js(big, len, &l, &err), -E2BIG);
        cr_expect_eq(err.code, -E2BIG);
        cr_expect_eq(l.n, 0);
        cr_expect_eq(l.src, big);
        token_list_done(&l);
}

static char *repeat(const char *unit, size_t times) {
        size_t n = strlen(unit);
        char *s = malloc(n * times + 1);
        cr_assert_not_null(s);
        for (size_t i = 0; i < times; i++)
                memcpy(s + i * n, unit, n);
        s[n * times] = '\0';
        return s;
}

Test(lex_js_limits, deep_brackets) {
        struct token_list l;
        _cleanup_free_ char *ok = repeat("([{", TOKEN_MAX_NESTING / 3);
        lex_ok(ok, strlen(ok), &l);
        token_list_done(&l);

        _cleanup_free_ char *deep = repeat("(", TOKEN_MAX_NESTING + 1);
        struct error err = ERROR_INIT;
        l = (struct token_list) { 0 };
        cr_expect_eq(lex_js(deep, strlen(deep), &l, &err), -E2BIG);
        token_list_done(&l);

        /* closed brackets do not add up */
        _cleanup_free_ char *flat = repeat("(a[{}]) ", 10000);
        lex_ok(flat, strlen(flat), &l);
        cr_expect_eq(l.n, 70000);
        token_list_done(&l);
}

Test(lex_js_limits, stray_closers) {
        expect_tokens(")]}}", "P:) P:] P:} P:}");
        _cleanup_free_ char *many = repeat("(})", 5000);
        struct token_list l;
        lex_ok(many, strlen(many), &l);
        cr_expect_eq(l.n, 15000);
        token_list_done(&l);
}

Test(lex_js_limits, too_many_tokens) {
        _cleanup_free_ char *src = repeat(";", TOKEN_MAX_TOKENS + 1);
        struct token_list l = { 0 };
        cr_expect_eq(lex_js(src, strlen(src), &l, NULL), -E2BIG, "err may be NULL");
        cr_expect_eq(l.n, TOKEN_MAX_TOKENS);
        token_list_done(&l);
}

/* Inputs that would make a careless lexer quadratic: each must finish at once. */
Test(lex_js_limits, linear_time, .timeout = 20) {
        static const char *const units[] = { "/\\", "/[", "= /(", "}(", "`${}", "'\\", "/*", "#", "\\u{" };
        for (size_t k = 0; k < ELEMENTSOF(units); k++) {
                _cleanup_free_ char *src = repeat(units[k], 200000);
                struct token_list l = { 0 };
                struct error err = ERROR_INIT;
                int r = lex_js(src, strlen(src), &l, &err);
                cr_expect(r == 0 || r == -E2BIG, "unit '%s': %d %s", units[k], r, err.msg);
                token_list_done(&l);
        }
}

/* ---- a realistic script ----------------------------------------------------------------- */

static const char node_script[] =
        "#!/usr/bin/env node\n"
        "'use strict';\n"
        "// Fetch helper for the skill (comments must not count)\n"
        "const {exec: run} = require(\"node:child_process\");\n"
        "const cp = require(\"child\" + \"_process\");\n"
        "const path = require('path');\n"
        "\n"
        "/* config */\n"
        "const RE = /^https?:\\/\\/[^/]+\\//i;\n"
        "let count = 0, ratio = 10 / 2;\n"
        "\n"
        "async function main(argv) {\n"
        "        const fs = await import(\"fs\");\n"
        "        if (!RE.test(argv[2] ?? '')) {\n"
        "                throw new Error(`bad url: ${argv[2]}`);\n"
        "        }\n"
        "        const f = new Function(\"return process\")();\n"
        "        eval(atob(\"cmVxdWlyZSgiZnMiKQ==\"));\n"
        "        process.binding(\"spawn_sync\");\n"
        "        for (const p of argv.slice(2)) {\n"
        "                count += p.length / 2;\n"
        "        }\n"
        "        run(`ls ${path.join(\"/tmp\", `x${count}`)}`, (err, out) => {\n"
        "                if (err) return console.error(err?.message);\n"
        "                console.log(out.trim());\n"
        "        });\n"
        "        return fs.existsSync?.(\"/etc/passwd\") ? 1 : 0;\n"
        "}\n"
        "\n"
        "main(process.argv).catch((e) => { process.exitCode = 1; });\n";

Test(lex_js_script, node_script) {
        struct token_list l;
        lex_ok(node_script, strlen(node_script), &l);
        size_t counts[TOK_WORD + 1] = { 0 };
        for (size_t i = 0; i < l.n; i++)
                counts[l.v[i].kind]++;
        cr_expect_eq(l.n, 264, "%zu tokens", l.n);
        cr_expect_eq(counts[TOK_COMMENT], 3);
        cr_expect_eq(counts[TOK_NEWLINE], 27);
        cr_expect_eq(token_line(&l, &l.v[l.n - 1]), 30);
        token_list_done(&l);

        expect_contains(node_script, "I:const P:{ I:exec P:: I:run P:} P:= I:require P:( S:node:child_process P:)");
        expect_contains(node_script, "I:require P:( S:child P:+ S:_process P:)");
        expect_contains(node_script, "I:import P:( S:fs P:)");
        expect_contains(node_script, "I:new I:Function P:( S:return process P:)");
        expect_contains(node_script, "I:eval P:( I:atob P:( S:cmVxdWlyZSgiZnMiKQ== P:) P:)");
        expect_contains(node_script, "I:process P:. I:binding P:( S:spawn_sync P:)");
        expect_contains(node_script, "Sr:^https?:\\/\\/[^/]+\\/ P:;");
        expect_contains(node_script, "N:10 P:/ N:2");
        expect_contains(node_script, "I:p P:. I:length P:/ N:2");
        expect_contains(node_script, "St:ls  Pi:${ Ii:path Pi:. Ii:join Pi:( Si:/tmp Pi:, Sti:x Pi:${ Ii:count Pi:} "
                                     "Sti: Pi:) Pi:} St:");
}
