/* Unit tests for src/scan/token.c: the token list and line/column counting that every lexer
 * shares ("\n", "\r\n" and a lone "\r" each end one line). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/token.h"

/* Line and column of an offset, with the line index (as after a lexer) and without (counting):
 * both must agree. */
static void pos2(const char *src, size_t to, uint32_t *line, uint32_t *col) {
        struct token_list l = { .src = src, .src_len = strlen(src) };
        uint32_t line2, col2;
        token_pos(&l, to, &line2, &col2);
        cr_assert_eq(token_list_index_lines(&l), 0);
        token_pos(&l, to, line, col);
        cr_expect_eq(*line, line2, "offset %zu: line %u with the index, %u without", to, *line, line2);
        cr_expect_eq(*col, col2, "offset %zu: column %u with the index, %u without", to, *col, col2);
        token_list_done(&l);
}

Test(token, line_ends_lf_crlf_and_lone_cr) {
        const char *src = "a\nb\r\nc\rd";
        struct { size_t off; uint32_t line, col; } want[] = {
                { 0, 1, 1 }, { 2, 2, 1 }, { 3, 2, 2 }, { 4, 2, 2 }, { 5, 3, 1 }, { 7, 4, 1 }, { 8, 4, 2 }, { 99, 4, 2 },
        };
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
                uint32_t line, col;
                pos2(src, want[i].off, &line, &col);
                cr_expect_eq(line, want[i].line, "offset %zu: line %u, want %u", want[i].off, line, want[i].line);
                cr_expect_eq(col, want[i].col, "offset %zu: column %u, want %u", want[i].off, col, want[i].col);
        }
}

Test(token, every_offset_agrees_with_and_without_the_index) {
        const char *srcs[] = { "", "\n", "\r", "\r\n", "x\r\n\r\ny\rz\n", "\n\n\r\r\n\rq", "no line end" };
        for (size_t k = 0; k < sizeof(srcs) / sizeof(srcs[0]); k++)
                for (size_t to = 0; to <= strlen(srcs[k]) + 1; to++) {
                        uint32_t line, col;
                        pos2(srcs[k], to, &line, &col);
                        cr_expect_geq(line, 1);
                        cr_expect_geq(col, 1);
                }
        uint32_t line, col;
        pos2("x\r\n\r\ny\rz\n", 10, &line, &col);
        /* sequential lookups, forwards and then backwards, answer as token_pos */
        const char *src = "ab\ncd\r\n\r\ne\rfg\n";
        struct token_list l = { .src = src, .src_len = strlen(src) };
        cr_assert_eq(token_list_index_lines(&l), 0);
        struct token_cursor c = { 0 };
        for (int pass = 0; pass < 2; pass++)
                for (size_t k = 0; k <= l.src_len + 1; k++) {
                        size_t to = pass ? l.src_len + 1 - k : k;
                        uint32_t l1, c1, l2, c2;
                        token_pos(&l, to, &l1, &c1);
                        token_pos_seq(&l, &c, to, &l2, &c2);
                        cr_expect(l1 == l2 && c1 == c2, "offset %zu: %u:%u, sequentially %u:%u", to, l1, c1, l2, c2);
                }
        token_list_done(&l);
        cr_expect_eq(line, 5);
        cr_expect_eq(col, 1);
}

Test(token, push_sets_position_and_owns_value) {
        const char *src = "ab\ncd";
        struct token_list l = { .src = src, .src_len = strlen(src) };
        cr_assert_eq(token_push(&l, TOK_IDENT, 0, 0, 2, NULL, 0), 0);
        cr_assert_eq(token_push(&l, TOK_NEWLINE, 0, 2, 1, NULL, 0), 0);
        char *v = strdup("cd");
        cr_assert_eq(token_push(&l, TOK_STRING, 0, 3, 2, v, 2), 0);
        cr_assert_eq(l.n, 3);
        cr_assert_eq(token_list_index_lines(&l), 0);
        cr_expect_eq(l.n_lines, 2);
        cr_expect_eq(token_line(&l, &l.v[2]), 2);
        cr_expect_eq(token_column(&l, &l.v[2]), 1);
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
        for (size_t i = 0; i < sizeof(src); i++)
                cr_assert_eq(token_push(&l, TOK_PUNCT, 0, i, 1, NULL, 0), 0);
        cr_expect_eq(l.n, sizeof(src));
        cr_assert_eq(token_list_index_lines(&l), 0);
        cr_expect_eq(token_column(&l, &l.v[4999]), 5000);
        token_list_done(&l);
}

/* Values copied into the arena: small ones share chunks, big ones get their own, NULs survive,
 * and owned (malloc'd) values mixed in are freed exactly once (ASan/valgrind check the frees). */
Test(token, arena_values_mixed_with_owned_ones) {
        static char src[300000];
        memset(src, 'a', sizeof(src));
        src[10] = '\0';
        struct token_list l = { .src = src, .src_len = sizeof(src) };
        size_t off = 0;
        for (int i = 0; i < 20000; i++, off += 5)
                cr_assert_eq(token_push_copy(&l, TOK_STRING, 0, off, 5, src + off, 5), 0);
        cr_assert_eq(token_push_copy(&l, TOK_STRING, 0, off, 200000, src + off, 200000), 0);
        cr_assert_eq(token_push(&l, TOK_STRING, 0, off + 200000, 1, strdup("z"), 1), 0);
        cr_assert_eq(token_push_copy(&l, TOK_STRING, 0, off + 200001, 0, NULL, 0), 0);
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
        cr_assert_eq(token_push_copy(&m, TOK_STRING, 0, 8, 4, src + 8, 4), 0);
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
