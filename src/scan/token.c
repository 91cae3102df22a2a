/* The token list shared by the lexers (token.h). */
#include "token.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void token_list_truncate(struct token_list *l, size_t n) {
        for (size_t i = n; i < l->n; i++)
                if (l->v[i].owned) {
                        free(l->v[i].value);
                        l->n_owned--;
                }
        if (n < l->n)
                l->n = n;
}

void token_list_done(struct token_list *l) {
        for (size_t i = 0; l->n_owned > 0 && i < l->n; i++)
                if (l->v[i].owned) {
                        free(l->v[i].value);
                        l->n_owned--;
                }
        for (struct token_chunk *c = l->arena, *next; c; c = next) {
                next = c->next;
                free(c);
        }
        free(l->v);
        l->v = NULL;
        l->arena = NULL;
        l->n = l->cap = l->n_owned = 0;
}

char *token_value_copy_slow(struct token_list *l, const char *data, size_t n) {
        if (n >= TOKEN_MAX_SOURCE) /* a value never exceeds its source */
                return NULL;
        struct token_chunk *c = l->arena;
        if (!c || c->size - c->used < n + 1) {
                size_t size = n + 1 > TOKEN_CHUNK_BYTES ? n + 1 : TOKEN_CHUNK_BYTES;
                struct token_chunk *fresh = malloc(sizeof(*fresh) + size);
                if (!fresh)
                        return NULL;
                fresh->size = size;
                fresh->used = 0;
                /* A big value gets a chunk of its own behind the current one, so the current
                 * chunk's free space is not wasted. */
                if (c && size > TOKEN_CHUNK_BYTES) {
                        fresh->next = c->next;
                        c->next = fresh;
                } else {
                        fresh->next = c;
                        l->arena = fresh;
                }
                c = fresh;
        }
        char *v = c->data + c->used;
        if (n)
                memcpy(v, data, n);
        v[n] = '\0';
        c->used += n + 1;
        return v;
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
