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

/* Values copied into the arena: small ones share chunks, big ones get their own, NULs survive,
 * and owned (malloc'd) values mixed in are freed exactly once (ASan/valgrind check the frees). */
Test(token, arena_values_mixed_with_owned_ones) {
        static char src[300000];
        memset(src, 'a', sizeof(src));
        src[10] = '\0';
        struct token_list l = { .src = src, .src_len = sizeof(src) };
        struct line_pos pos = LINE_POS_INIT;
        size_t off = 0;
        for (int i = 0; i < 20000; i++, off += 5)
                cr_assert_eq(token_push_copy(&l, &pos, TOK_STRING, 0, off, 5, src + off, 5), 0);
        cr_assert_eq(token_push_copy(&l, &pos, TOK_STRING, 0, off, 200000, src + off, 200000), 0);
        cr_assert_eq(token_push(&l, &pos, TOK_STRING, 0, off + 200000, 1, strdup("z"), 1), 0);
        cr_assert_eq(token_push_copy(&l, &pos, TOK_STRING, 0, off + 200001, 0, NULL, 0), 0);
        cr_assert_eq(l.n, 20003);
        cr_expect_eq(l.n_owned, 1);
        cr_expect_eq(l.v[3].value_len, 5);
        cr_expect_eq(memcmp(l.v[3].value, "aaaaa", 6), 0, "NUL-terminated copy of src[15..20)");
        cr_expect_eq(memcmp(l.v[2].value, "\0aaaa", 6), 0, "src[10] is a NUL and stays one");
        cr_expect_eq(l.v[20000].value_len, 200000);
        cr_expect_eq(l.v[20000].value[200000], '\0');
        cr_expect_eq(memcmp(l.v[20000].value, src + 100000, 200000), 0);
        cr_expect_str_eq(l.v[20001].value, "z");
        cr_expect(l.v[20001].owned);
        cr_expect_str_eq(l.v[20002].value, "");
        /* a value holding a NUL byte keeps it */
        struct token_list m = { .src = src, .src_len = sizeof(src) };
        struct line_pos mp = LINE_POS_INIT;
        cr_assert_eq(token_push_copy(&m, &mp, TOK_STRING, 0, 8, 4, src + 8, 4), 0);
        cr_expect_eq(m.v[0].value[2], '\0');
        cr_expect_eq(m.v[0].value[3], 'a');
        token_list_done(&m);
        /* truncation releases the owned value it drops, keeps the rest usable */
        token_list_truncate(&l, 20001);
        cr_expect_eq(l.n, 20001);
        cr_expect_eq(l.n_owned, 0);
        cr_expect_eq(memcmp(l.v[19999].value, "aaaaa", 5), 0);
        token_list_done(&l);
        cr_expect_null(l.arena);
        cr_expect_eq(l.n_owned, 0);
}
