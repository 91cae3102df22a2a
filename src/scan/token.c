/* The token list shared by the lexers (token.h). */
#include "token.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"

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
                big_free(c);
        }
        big_free(l->v);
        big_free(l->line_starts);
        l->v = NULL;
        l->arena = NULL;
        l->line_starts = NULL;
        l->n = l->cap = l->n_owned = l->n_lines = 0;
}

/* Is s[i] the last byte of a line? "\n", or a "\r" not followed by "\n". */
static bool line_end_at(const unsigned char *s, size_t len, size_t i) {
        return s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'));
}

/* The offsets just past each line end, stored in out unless it is NULL; returns their number.
 * Without a "\r" in the source (cr false) memchr finds the line ends, much faster than a byte
 * loop. */
static size_t line_ends(const unsigned char *s, size_t len, bool cr, uint32_t *out) {
        size_t n = 0;
        if (cr) {
                for (size_t i = 0; i < len; i++)
                        if (s[i] <= '\r' && line_end_at(s, len, i)) {
                                if (out)
                                        out[n] = (uint32_t) (i + 1);
                                n++;
                        }
                return n;
        }
        for (const unsigned char *p = s; len > 0 && (p = memchr(p, '\n', len - (size_t) (p - s))); p++) {
                if (out)
                        out[n] = (uint32_t) (p - s + 1);
                n++;
        }
        return n;
}

int token_list_index_lines(struct token_list *l) {
        const unsigned char *s = (const unsigned char *) l->src;
        size_t len = l->src_len;
        big_free(l->line_starts);
        l->line_starts = NULL;
        l->n_lines = 0;
        bool cr = len > 0 && memchr(s, '\r', len) != NULL;
        size_t n = 1 + line_ends(s, len, cr, NULL); /* counted first: one allocation fits */
        uint32_t *starts = big_mallocarray(n, sizeof(*starts));
        if (!starts)
                return -ENOMEM;
        starts[0] = 0;
        line_ends(s, len, cr, starts + 1);
        l->line_starts = starts;
        l->n_lines = n;
        return 0;
}

/* The index of the last line that starts at or before end (the list has an index). */
static size_t line_index_of(const struct token_list *l, size_t end) {
        size_t lo = 0, hi = l->n_lines;
        while (hi - lo > 1) {
                size_t mid = lo + (hi - lo) / 2;
                if (l->line_starts[mid] <= end)
                        lo = mid;
                else
                        hi = mid;
        }
        return lo;
}

/* Line and column of end (<= src_len) on the line that starts at ls. */
static void pos_on_line(const struct token_list *l, size_t end, size_t ls, uint32_t ln, uint32_t *line,
                        uint32_t *column) {
        const unsigned char *s = (const unsigned char *) l->src;
        bool crlf_cr = end > ls && s[end - 1] == '\r' && end < l->src_len && s[end] == '\n';
        *line = ln;
        *column = (uint32_t) (end - ls + 1 - crlf_cr);
}

void token_pos(const struct token_list *l, size_t offset, uint32_t *line, uint32_t *column) {
        const unsigned char *s = (const unsigned char *) l->src;
        size_t len = l->src_len;
        size_t end = offset < len ? offset : len;
        if (l->n_lines > 0) {
                size_t k = line_index_of(l, end);
                pos_on_line(l, end, l->line_starts[k], (uint32_t) k + 1, line, column);
                return;
        }
        /* no index (a list no lexer finished): count */
        uint32_t ln = 1;
        size_t ls = 0;
        for (size_t i = 0; i < end; i++)
                if (s[i] <= '\r' && line_end_at(s, len, i))
                        ln++, ls = i + 1;
        pos_on_line(l, end, ls, ln, line, column);
}

void token_pos_seq(const struct token_list *l, struct token_cursor *c, size_t offset, uint32_t *line,
                   uint32_t *column) {
        size_t end = offset < l->src_len ? offset : l->src_len;
        if (l->n_lines == 0) {
                token_pos(l, offset, line, column);
                return;
        }
        size_t k = c->line;
        if (k >= l->n_lines || l->line_starts[k] > end)
                k = line_index_of(l, end);
        else
                while (k + 1 < l->n_lines && l->line_starts[k + 1] <= end)
                        k++;
        c->line = k;
        pos_on_line(l, end, l->line_starts[k], (uint32_t) k + 1, line, column);
}

uint32_t token_line_slow(const char *src, size_t len, size_t offset) {
        struct token_list l = { .src = src, .src_len = len };
        uint32_t line, column;
        token_pos(&l, offset, &line, &column);
        return line;
}

char *token_value_copy_slow(struct token_list *l, const char *data, size_t n) {
        if (n >= TOKEN_MAX_SOURCE) /* a value never exceeds its source */
                return NULL;
        struct token_chunk *c = l->arena;
        if (!c || c->size - c->used < n + 1) {
                size_t regular = big_chunk_after(c ? c->size : 0, TOKEN_CHUNK_BYTES, TOKEN_CHUNK_MAX);
                size_t size = n + 1 > regular ? n + 1 : regular;
                struct token_chunk *fresh = big_mallocarray(1, sizeof(*fresh) + size);
                if (!fresh)
                        return NULL;
                fresh->size = size;
                fresh->used = 0;
                /* A big value gets a chunk of its own behind the current one, so the current
                 * chunk's free space is not wasted. */
                if (c && size > regular) {
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
        struct token *grown = big_reallocarray(l->v, cap, sizeof(*grown));
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
