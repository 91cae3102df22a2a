/* Tokens of a script, for the scanner's rules: rules match token sequences, never raw lines, so
 * text inside a string or a comment is never mistaken for a call. One token model for the three
 * lexers (lex_python.c, lex_js.c, lex_shell.c). Pure code on untrusted bytes: bounded, no
 * recursion deeper than TOKEN_MAX_NESTING, never reads past len, never assumes NUL termination
 * or valid UTF-8 (bytes >= 0x80 are identifier characters where the language allows Unicode
 * identifiers, and are kept verbatim inside strings and comments). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/error.h"

enum token_kind {
        TOK_IDENT,    /* names and keywords (keywords are not a separate kind: rules compare text) */
        TOK_NUMBER,
        TOK_STRING,   /* a string literal, or one constant piece of an f-string / template / shell word */
        TOK_PUNCT,    /* operators and punctuation, longest match ("**", "=>", "...", "&&", "|", ";") */
        TOK_COMMENT,  /* a whole comment; text is the raw comment including its markers */
        TOK_NEWLINE,  /* a logical line break that ends a statement (Python: outside brackets; shell:
                       * unescaped newline; JS: every line break, rules decide about ASI) */
        TOK_WORD,     /* shell only: a word that is not a name/number/operator, e.g. "/dev/tcp/x/1" */
};

#define TOKF_UNTERMINATED (1u << 0) /* a string/comment/heredoc ran to the end of input (or, for a
                                     * single-line string, to the end of its line) */
#define TOKF_INTERP (1u << 1)       /* inside an interpolation: f"{...}", `${...}`, $(...), `...` */
#define TOKF_RAW (1u << 2)          /* raw string (r"..", String.raw): value has no escape processing */
#define TOKF_BYTES (1u << 3)        /* Python bytes literal */
#define TOKF_FSTRING (1u << 4)      /* a constant piece of a Python f-string */
#define TOKF_TEMPLATE (1u << 5)     /* a constant piece of a JS template literal */
#define TOKF_HEREDOC (1u << 6)      /* shell here-document body */
#define TOKF_REGEX (1u << 7)        /* JS regular expression literal (kind TOK_STRING) */
/* (flags is 16 bits wide: bits 8..15 are free) */

/* 24 bytes: a 10 MB script has ~2.5 M tokens, so every byte here is ~2.5 MB of memory to fault in.
 * That is why a token has no line and column: token_line()/token_column() compute them from the
 * offset (only findings and a few rules need them). */
struct token {
        uint8_t kind;     /* enum token_kind */
        uint8_t owned;    /* value is a malloc'd block of its own (token_push), not arena memory */
        uint16_t flags;   /* TOKF_* */
        uint32_t offset;  /* byte offset of text in the source */
        uint32_t len;     /* length of the raw text */
        /* TOK_STRING (and the shell's TOK_WORD): the decoded value (escapes resolved, quotes
         * removed; for RAW the content as written), malloc'd, NUL-terminated (value_len excludes
         * the NUL; the value may contain NULs). NULL for other kinds. Shell word parts that touch
         * (offset + len == next offset) form one shell word.
         * A token of another kind has no value, and an analyser that owns the list may keep 12
         * bytes of its own facts in that room instead (`info`, `link`: rules_python.c's prepare()
         * does), rather than in per-token tables beside the list. */
        union {
                uint32_t value_len;
                uint32_t info;
        };
        union {
                char *value;
                struct {
                        uint32_t a, b;
                } link;
        };
};
_Static_assert(sizeof(struct token) == 24, "struct token grew");

/* The arena that holds copied values: big arrays (base/bigarray.h) of TOKEN_CHUNK_BYTES, each
 * twice the size of the one before up to TOKEN_CHUNK_MAX (or one value's size). */
#define TOKEN_CHUNK_BYTES BIG_CHUNK_FIRST
#define TOKEN_CHUNK_MAX ((size_t) 8 << 20)
struct token_chunk {
        struct token_chunk *next;
        size_t used, size;
        char data[];
};

struct token_list {
        struct token *v;
        size_t n, cap;
        const char *src; /* the source the offsets refer to (not owned) */
        size_t src_len;
        struct token_chunk *arena; /* values copied by token_push_copy(), freed as a whole */
        size_t n_owned;            /* tokens whose value is their own malloc'd block */
        /* Where each line starts (line k + 1 at line_starts[k]; line_starts[0] is 0), built by
         * token_list_index_lines() when a lexer has finished. "\n", "\r\n" and a lone "\r" each
         * end a line. */
        uint32_t *line_starts;
        size_t n_lines;
};

/* Limits: beyond them a lexer fails with -E2BIG (the scanner reports "too complex to scan" as a
 * finding; it never silently stops). */
#define TOKEN_MAX_TOKENS (4u * 1024 * 1024)
#define TOKEN_MAX_NESTING 256       /* brackets / interpolations open at once */
#define TOKEN_MAX_SOURCE (64u * 1024 * 1024)

/* Each lexer: tokens appended to out (which must be zero-initialised or cleared); returns 0, or
 * -ENOMEM / -E2BIG with err set. Malformed input is NOT an error: lexers recover (an unknown
 * byte becomes a one-byte TOK_PUNCT, an unterminated string gets TOKF_UNTERMINATED). */
int lex_python(const char *src, size_t len, struct token_list *out, struct error *err);
int lex_js(const char *src, size_t len, struct token_list *out, struct error *err);   /* JS and TS */
int lex_shell(const char *src, size_t len, struct token_list *out, struct error *err);

void token_list_done(struct token_list *l);
/* Drop the tokens from index n on (a lexer undoing a failed run); their values are released. */
void token_list_truncate(struct token_list *l, size_t n);

/* Shared helpers for the lexers (token.c). */
/* The line index of l's source (see line_starts): every lexer calls it once it has pushed its
 * last token. 0 or -ENOMEM. */
int token_list_index_lines(struct token_list *l);
/* Line and column (1-based, the column in bytes) of a byte offset of l's source. The "\r" of a
 * "\r\n" is the last byte of its line: an offset at the "\n" itself gets the "\r"'s column. */
void token_pos(const struct token_list *l, size_t offset, uint32_t *line, uint32_t *column);
static inline uint32_t token_line(const struct token_list *l, const struct token *t) {
        uint32_t line, column;
        token_pos(l, t->offset, &line, &column);
        return line;
}
static inline uint32_t token_column(const struct token_list *l, const struct token *t) {
        uint32_t line, column;
        token_pos(l, t->offset, &line, &column);
        return column;
}
/* token_pos() for offsets visited in increasing order (a walk over the tokens): amortized O(1)
 * instead of a binary search. Start with a zeroed cursor; a smaller offset than the last one is
 * still answered right (by a search). */
struct token_cursor {
        size_t line; /* index in line_starts of the last answer's line */
};
void token_pos_seq(const struct token_list *l, struct token_cursor *c, size_t offset, uint32_t *line,
                   uint32_t *column);
/* The line of an offset by counting from the start (no index needed: for error messages). */
uint32_t token_line_slow(const char *src, size_t len, size_t offset);
/* Room for one more token: 0, -ENOMEM, or -E2BIG at TOKEN_MAX_TOKENS (token_push's slow path). */
int token_list_grow(struct token_list *l);
static inline int token_push_at(struct token_list *l, enum token_kind kind, uint32_t flags, size_t offset,
                                size_t len, char *value, size_t value_len, bool owned) {
        if (l->n == l->cap) {
                int r = token_list_grow(l);
                if (r < 0)
                        return r;
        }
        l->v[l->n++] = (struct token) { .kind = kind, .owned = owned, .flags = (uint16_t) flags,
                                        .offset = (uint32_t) offset, .len = (uint32_t) len,
                                        .value = value, .value_len = (uint32_t) value_len };
        l->n_owned += owned;
        return 0;
}
/* Append a token at [offset, offset + len) (tokens are pushed in source order); value (may be
 * NULL) is a malloc'd block taken over, also on failure. Returns 0, -ENOMEM or -E2BIG. Inline:
 * the lexers call it once per token, so it is on the scanner's hottest path. */
static inline int token_push(struct token_list *l, enum token_kind kind, uint32_t flags, size_t offset, size_t len,
                             char *value, size_t value_len) {
        int r = token_push_at(l, kind, flags, offset, len, value, value_len, value != NULL);
        if (r < 0)
                free(value);
        return r;
}
/* token_value_copy() when the current chunk is full (or there is none). */
char *token_value_copy_slow(struct token_list *l, const char *data, size_t n);
/* A NUL-terminated copy of data[0..n) in the list's arena (one malloc per 64 KB of values
 * instead of one per token: a 1 MB script has ~150 k string values). NULL on ENOMEM. */
static inline char *token_value_copy(struct token_list *l, const char *data, size_t n) {
        struct token_chunk *c = l->arena;
        if (!c || c->size - c->used <= n)
                return token_value_copy_slow(l, data, n);
        char *v = c->data + c->used;
        if (n)
                memcpy(v, data, n);
        v[n] = '\0';
        c->used += n + 1;
        return v;
}
/* token_push() with the value copied into the arena (data may be NULL when n is 0: the value is
 * then ""). */
static inline int token_push_copy(struct token_list *l, enum token_kind kind, uint32_t flags, size_t offset,
                                  size_t len, const char *data, size_t n) {
        char *v = token_value_copy(l, data, n);
        if (!v)
                return -ENOMEM;
        return token_push_at(l, kind, flags, offset, len, v, n, false);
}
/* The raw text of a token (not NUL-terminated). */
static inline const char *token_text(const struct token_list *l, const struct token *t) {
        return l->src + t->offset;
}
bool token_is(const struct token_list *l, const struct token *t, enum token_kind kind, const char *text);
