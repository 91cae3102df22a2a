/* The token list shared by the lexers (token.h). */
#include "token.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void token_list_done(struct token_list *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i].value);
        free(l->v);
        l->v = NULL;
        l->n = l->cap = 0;
}

void line_pos_advance(struct line_pos *p, const char *src, size_t src_len, size_t to) {
        for (size_t i = p->offset; i < to && i < src_len; i++) {
                if (src[i] == '\n' || (src[i] == '\r' && (i + 1 >= src_len || src[i + 1] != '\n'))) {
                        p->line++;
                        p->column = 1;
                } else if (src[i] != '\r')
                        p->column++; /* the "\r" of "\r\n" takes no column */
        }
        if (to > p->offset)
                p->offset = to;
}

int token_push(struct token_list *l, struct line_pos *pos, enum token_kind kind, uint32_t flags,
               size_t offset, size_t len, char *value, size_t value_len) {
        if (l->n >= TOKEN_MAX_TOKENS) {
                free(value);
                return -E2BIG;
        }
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 256;
                struct token *grown = reallocarray(l->v, cap, sizeof(*grown));
                if (!grown) {
                        free(value);
                        return -ENOMEM;
                }
                l->v = grown;
                l->cap = cap;
        }
        line_pos_advance(pos, l->src, l->src_len, offset);
        l->v[l->n++] = (struct token) { .kind = kind, .flags = flags, .line = pos->line,
                                        .column = pos->column, .offset = (uint32_t) offset,
                                        .len = (uint32_t) len, .value = value,
                                        .value_len = (uint32_t) value_len };
        return 0;
}

bool token_is(const struct token_list *l, const struct token *t, enum token_kind kind, const char *text) {
        size_t n = strlen(text);
        return t->kind == kind && t->len == n && memcmp(l->src + t->offset, text, n) == 0;
}
