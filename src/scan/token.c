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

int token_list_grow(struct token_list *l) {
        if (l->n >= TOKEN_MAX_TOKENS)
                return -E2BIG;
        if (l->n < l->cap)
                return 0;
        size_t cap = l->cap ? l->cap * 2 : 256;
        if (cap > TOKEN_MAX_TOKENS)
                cap = TOKEN_MAX_TOKENS;
        struct token *grown = reallocarray(l->v, cap, sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        l->v = grown;
        l->cap = cap;
        return 0;
}

bool token_is(const struct token_list *l, const struct token *t, enum token_kind kind, const char *text) {
        size_t n = strlen(text);
        return t->kind == kind && t->len == n && memcmp(l->src + t->offset, text, n) == 0;
}
