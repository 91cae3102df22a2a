/* Unit tests for src/scan/token.c: the token list and line/column counting that every lexer
 * shares ("\n", "\r\n" and a lone "\r" each end one line). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/token.h"

static struct line_pos at(const char *src, size_t to) {
        struct line_pos p = LINE_POS_INIT;
        line_pos_advance(&p, src, strlen(src), to);
        return p;
}

Test(token, line_ends_lf_crlf_and_lone_cr) {
        const char *src = "a\nb\r\nc\rd";
        struct { size_t off; uint32_t line, col; } want[] = {
                { 0, 1, 1 }, { 2, 2, 1 }, { 3, 2, 2 }, { 5, 3, 1 }, { 7, 4, 1 },
        };
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
                struct line_pos p = at(src, want[i].off);
                cr_expect_eq(p.line, want[i].line, "offset %zu: line %u, want %u", want[i].off, p.line, want[i].line);
                cr_expect_eq(p.column, want[i].col, "offset %zu: column %u, want %u", want[i].off, p.column,
                             want[i].col);
        }
}

Test(token, advancing_in_steps_equals_one_step) {
        const char *src = "x\r\n\r\ny\rz\n";
        size_t n = strlen(src);
        for (size_t split = 0; split <= n; split++) {
                struct line_pos a = LINE_POS_INIT, b = LINE_POS_INIT;
                line_pos_advance(&a, src, n, split);
                line_pos_advance(&a, src, n, n);
                line_pos_advance(&b, src, n, n);
                cr_expect_eq(a.line, b.line, "split at %zu", split);
                cr_expect_eq(a.column, b.column, "split at %zu", split);
        }
        cr_expect_eq(at(src, n).line, 5);
}

Test(token, push_sets_position_and_owns_value) {
        const char *src = "ab\ncd";
        struct token_list l = { .src = src, .src_len = strlen(src) };
        struct line_pos pos = LINE_POS_INIT;
        cr_assert_eq(token_push(&l, &pos, TOK_IDENT, 0, 0, 2, NULL, 0), 0);
        cr_assert_eq(token_push(&l, &pos, TOK_NEWLINE, 0, 2, 1, NULL, 0), 0);
        char *v = strdup("cd");
        cr_assert_eq(token_push(&l, &pos, TOK_STRING, 0, 3, 2, v, 2), 0);
        cr_assert_eq(l.n, 3);
        cr_expect_eq(l.v[2].line, 2);
        cr_expect_eq(l.v[2].column, 1);
        cr_expect(token_is(&l, &l.v[0], TOK_IDENT, "ab"));
        cr_expect(!token_is(&l, &l.v[0], TOK_IDENT, "a"));
        cr_expect(!token_is(&l, &l.v[0], TOK_STRING, "ab"));
        cr_expect_str_eq(l.v[2].value, "cd");
        token_list_done(&l);
        cr_expect_null(l.v);
        cr_expect_eq(l.n, 0);
}

Test(token, many_tokens_grow_the_list) {
        static char src[5000];
        memset(src, 'x', sizeof(src));
        struct token_list l = { .src = src, .src_len = sizeof(src) };
        struct line_pos pos = LINE_POS_INIT;
        for (size_t i = 0; i < sizeof(src); i++)
                cr_assert_eq(token_push(&l, &pos, TOK_PUNCT, 0, i, 1, NULL, 0), 0);
        cr_expect_eq(l.n, sizeof(src));
        cr_expect_eq(l.v[4999].column, 5000);
        token_list_done(&l);
}
