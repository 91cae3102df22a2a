/* Shell lexer (POSIX sh, bash, dash) for the scanner. Rules look for `curl | sh`, reverse shells
 * and eval of decoded text wherever they hide, so the commands inside $(...), `...`, $((...)),
 * "..." and here-documents are lexed as ordinary tokens, and every word is split into its parts
 * (unquoted text, '...', "...", $'...', $var) with their decoded values.
 *
 * One loop over an explicit stack of contexts (no recursion); every step consumes input or
 * opens/closes a context, and every byte is looked at a bounded number of times. */
#include "token.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "../base/utf8.h"
#include "../base/codec.h"

/* Here-doc bodies in a here-doc body overlap it, and each level copies its body into a value:
 * nesting them makes work and memory grow with size times depth. Side by side, bodies add up to
 * at most the script; beyond this many times that, the script is too complex to scan. */
#define HEREDOC_BYTES_FACTOR 4

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

enum {
        C_BLANK = 1u << 0,  /* space, tab: between words */
        C_NL = 1u << 1,     /* "\n", "\r" */
        C_META = 1u << 2,   /* | & ; < > ( ) */
        C_SQ = 1u << 3,
        C_DQ = 1u << 4,
        C_DOLLAR = 1u << 5,
        C_BQ = 1u << 6,     /* ` */
        C_BS = 1u << 7,     /* \ */
        C_BRACE = 1u << 8,  /* { } */
        C_DIGIT = 1u << 9,
        C_ALPHA = 1u << 10, /* A-Z a-z _ */
};
#define C_WORD_END (C_BLANK | C_NL | C_META)
#define C_WORD_STOP (C_WORD_END | C_SQ | C_DQ | C_DOLLAR | C_BQ | C_BS)
#define C_DQ_STOP (C_DQ | C_DOLLAR | C_BQ | C_BS)
#define C_PARAM_STOP (C_SQ | C_DQ | C_DOLLAR | C_BQ | C_BS | C_BRACE)
#define C_NAME (C_DIGIT | C_ALPHA)

static const uint16_t cls[256] = {
        [' '] = C_BLANK, ['\t'] = C_BLANK, ['\n'] = C_NL, ['\r'] = C_NL,
        ['|'] = C_META, ['&'] = C_META, [';'] = C_META, ['<'] = C_META, ['>'] = C_META,
        ['('] = C_META, [')'] = C_META, ['\''] = C_SQ, ['"'] = C_DQ, ['$'] = C_DOLLAR,
        ['`'] = C_BQ, ['\\'] = C_BS, ['{'] = C_BRACE, ['}'] = C_BRACE,
        ['0' ... '9'] = C_DIGIT, ['A' ... 'Z'] = C_ALPHA, ['a' ... 'z'] = C_ALPHA, ['_'] = C_ALPHA,
};

static inline uint16_t cls_of(char ch) {
        return cls[(unsigned char) ch];
}

enum ctx_kind {
        CTX_TOP,      /* the script */
        CTX_SUBSHELL, /* ( ... ), also <( ... ) */
        CTX_CMDSUB,   /* $( ... ) */
        CTX_BACKTICK, /* ` ... ` */
        CTX_ARITH,    /* $(( ... )) and (( ... )) */
        CTX_DQUOTE,   /* " ... " and $" ... " */
        CTX_PARAM,    /* ${ ... } */
        CTX_HEREDOCS, /* the here-document bodies that follow one line */
};

static bool ctx_is_list(enum ctx_kind k) {
        return k <= CTX_BACKTICK;
}

struct ctx {
        enum ctx_kind kind;
        uint32_t flags;       /* of the tokens of this context's own text */
        uint32_t close_flags; /* of its closing token: those of the token that opened it */
        unsigned bt_level;    /* backtick substitutions open, counted from the nearest here-doc */
        size_t piece;         /* DQUOTE, PARAM: where the piece being read starts */
        /* command lists (TOP, SUBSHELL, CMDSUB, BACKTICK) */
        size_t word;          /* start of the current word */
        size_t hd_base;       /* here-docs queued at or after this index belong to this context */
        unsigned case_depth;  /* `case` without its `esac` yet: a lone ")" ends a pattern */
        unsigned case_words;  /* words left before the patterns of a `case` (subject, `in`) */
        bool in_word, word_plain, cmd_start, hd_expect, hd_strip;
        /* ARITH */
        size_t parens;
        bool dollar;          /* opened by "$((", not "((": what it becomes if it is no arithmetic */
        /* PARAM */
        size_t braces;
        bool sq, dq, in_dquote;
        /* HEREDOCS: queue entries [hd_first, hd_end), the next one hd_next */
        size_t hd_first, hd_next, hd_end, saved_limit, term_end;
        bool in_body;
};

struct heredoc {
        char *delim; /* after quote removal */
        size_t delim_len;
        uint32_t flags;
        bool quoted, strip;
};

enum { BT_NONE, BT_LITERAL, BT_OPEN, BT_CLOSE };

struct bt {
        int act;
        unsigned level; /* BT_CLOSE: how many backtick levels stay open */
        size_t at;      /* offset of the backtick */
};

struct lexer {
        const char *s;
        size_t len, pos, limit; /* limit: len, or the end of the here-doc body being lexed */
        struct token_list *out;
        char *v; /* value being built; no value is longer than its raw text, so len + 1 bytes do */
        size_t vn, vcap;
        struct heredoc *hd; /* here-docs whose bodies are not read yet, in source order */
        size_t nhd, hdcap;
        size_t bs_checked; /* backslash runs before this offset are decided */
        size_t run_from;   /* the run decided last starts here ... */
        struct bt run;     /* ... and this is what its backtick does */
        size_t hd_bytes;         /* here-doc body bytes read so far */
        const char *too_complex; /* why lexing stopped with -E2BIG, unless for the token count */
        size_t depth;
        struct ctx stack[TOKEN_MAX_NESTING + 1];
};

static void lexer_free(struct lexer *lx) {
        if (!lx)
                return;
        for (size_t i = 0; i < lx->nhd; i++)
                free(lx->hd[i].delim);
        free(lx->hd);
        free(lx->v);
        free(lx);
}
static inline void lexer_freep(struct lexer **lx) {
        lexer_free(*lx);
}

static inline struct ctx *ctx_top(struct lexer *lx) {
        return &lx->stack[lx->depth - 1];
}

static inline void vput(struct lexer *lx, const char *p, size_t n) {
        assert(n <= lx->vcap - lx->vn);
        if (n) {
                memcpy(lx->v + lx->vn, p, n);
                lx->vn += n;
        }
}

static inline void vputc(struct lexer *lx, unsigned char ch) {
        assert(lx->vn < lx->vcap);
        lx->v[lx->vn++] = (char) ch;
}

/* Length of the line end at p: 1 for "\n" and a lone "\r", 2 for "\r\n", 0 for anything else. */
static size_t newline_len(const struct lexer *lx, size_t p) {
        if (p >= lx->limit)
                return 0;
        if (lx->s[p] == '\n')
                return 1;
        if (lx->s[p] == '\r')
                return p + 1 < lx->limit && lx->s[p + 1] == '\n' ? 2 : 1;
        return 0;
}

static int push_tok(struct lexer *lx, enum token_kind kind, uint32_t flags, size_t off, size_t n) {
        return token_push(lx->out, kind, flags, off, n, NULL, 0);
}

/* Push a token whose value is the one built in lx->v (always set, maybe empty). */
static int push_value(struct lexer *lx, enum token_kind kind, uint32_t flags, size_t off, size_t n) {
        size_t vn = lx->vn;
        lx->vn = 0;
        return token_push_copy(lx->out, kind, flags, off, n, lx->v, vn);
}

/* Push a token whose value is its raw text. */
static int push_copy(struct lexer *lx, enum token_kind kind, uint32_t flags, size_t off, size_t n) {
        lx->vn = 0;
        return token_push_copy(lx->out, kind, flags, off, n, lx->s + off, n);
}

static int ctx_push(struct lexer *lx, enum ctx_kind kind, uint32_t flags, uint32_t close_flags,
                    struct ctx **ret) {
        if (lx->depth > TOKEN_MAX_NESTING) {
                lx->too_complex = "nests substitutions, quotes or subshells deeper than " STRINGIFY(TOKEN_MAX_NESTING);
                return -E2BIG;
        }
        unsigned bt_level = ctx_top(lx)->bt_level;
        struct ctx *c = &lx->stack[lx->depth++];
        *c = (struct ctx) { .kind = kind, .flags = flags, .close_flags = close_flags,
                            .bt_level = bt_level, .piece = lx->pos, .hd_base = lx->nhd,
                            .cmd_start = true };
        *ret = c;
        return 0;
}

static void ctx_pop(struct lexer *lx) {
        assert(lx->depth > 1);
        lx->depth--;
        ctx_top(lx)->piece = lx->pos; /* the enclosing string or ${...} goes on from here */
}

/* Backticks nest by escaping: inside N levels, the backtick that closes level N is preceded by
 * 2^(N-1)-1 backslashes and one that opens level N+1 by 2^N-1, because each level removes one
 * layer of backslashes before the next parses. And the first backtick a level sees unescaped
 * ends it, even inside quotes or a comment: bash finds the end of `...` before parsing it. So a
 * run of b backslashes before a backtick is decided by peeling the levels one at a time. */
static struct bt bt_decide(size_t b, unsigned level, size_t at) {
        for (unsigned j = 0;; j++) {
                if (b % 2 == 0)
                        return j < level ? (struct bt) { BT_CLOSE, j, at } : (struct bt) { BT_OPEN, 0, at };
                if (j == level)
                        return (struct bt) { BT_LITERAL, 0, at };
                b = (b - 1) / 2;
        }
}

/* What the backtick at p, or the backslash run starting at p, does. Each run is measured once
 * (bs_checked), which keeps long runs linear; the decision is remembered for its first byte. */
static struct bt bt_at(struct lexer *lx, unsigned level, size_t p) {
        const char *s = lx->s;
        if (s[p] == '`') {
                if (p > 0 && p == lx->bs_checked && s[p - 1] == '\\')
                        return (struct bt) { BT_LITERAL, 0, p }; /* ends a run decided literal */
                return level == 0 ? (struct bt) { BT_OPEN, 0, p } : (struct bt) { BT_CLOSE, 0, p };
        }
        if (level == 0)
                return (struct bt) { BT_NONE, 0, p }; /* backslashes are plain escapes */
        if (p == lx->run_from)
                return lx->run;
        if (p < lx->bs_checked)
                return (struct bt) { BT_NONE, 0, p };
        size_t e = p;
        while (e < lx->limit && s[e] == '\\')
                e++;
        lx->bs_checked = e;
        lx->run_from = p;
        lx->run = e < lx->limit && s[e] == '`' ? bt_decide(e - p, level, e) : (struct bt) { BT_NONE, 0, p };
        return lx->run;
}

enum dollar { D_NONE, D_NAME, D_BRACE, D_PAREN, D_ARITH, D_ANSI, D_LOCALE };

/* What the "$" at p starts; for D_NAME, *ret_len is the length of "$name". */
static enum dollar dollar_kind(const struct lexer *lx, size_t p, size_t *ret_len) {
        const char *s = lx->s;
        if (p + 1 >= lx->limit)
                return D_NONE;
        char n = s[p + 1];
        if (cls_of(n) & C_ALPHA) {
                size_t q = p + 2;
                while (q < lx->limit && (cls_of(s[q]) & C_NAME))
                        q++;
                *ret_len = q - p;
                return D_NAME;
        }
        switch (n) {
        case '0' ... '9':
        case '@': case '*': case '#': case '?': case '-': case '$': case '!':
                *ret_len = 2;
                return D_NAME;
        case '{':
                return D_BRACE;
        case '(':
                return p + 2 < lx->limit && s[p + 2] == '(' ? D_ARITH : D_PAREN;
        case '\'':
                return D_ANSI;
        case '"':
                return D_LOCALE;
        default:
                return D_NONE;
        }
}

static int word_finish(struct lexer *lx, struct ctx *c);
/* The word being read (if any) ends at lx->pos. Inline: asked at every blank and operator. */
static inline int word_end(struct lexer *lx, struct ctx *c) {
        return c->in_word ? word_finish(lx, c) : 0;
}
static int heredocs_drop(struct lexer *lx, size_t from, size_t at);

/* Pop the innermost context as unterminated: what it read so far becomes its last token. */
static int ctx_finish(struct lexer *lx) {
        struct ctx *c = ctx_top(lx);
        int r = 0;
        switch (c->kind) {
        case CTX_DQUOTE:
                r = push_value(lx, TOK_STRING, c->flags | TOKF_UNTERMINATED, c->piece, lx->pos - c->piece);
                break;
        case CTX_PARAM:
                r = push_copy(lx, TOK_WORD, c->flags | TOKF_UNTERMINATED, c->piece, lx->pos - c->piece);
                break;
        case CTX_ARITH:
        case CTX_HEREDOCS: /* never unwound this way: bt_close stops above it */
                break;
        default:
                r = word_end(lx, c);
                break;
        }
        ctx_pop(lx);
        return r;
}

static int bt_open(struct lexer *lx, const struct ctx *c, uint32_t flags, size_t at) {
        int r = push_tok(lx, TOK_PUNCT, flags, at, 1);
        if (r < 0)
                return r;
        lx->pos = at + 1;
        unsigned level = c->bt_level + 1;
        struct ctx *n;
        r = ctx_push(lx, CTX_BACKTICK, TOKF_INTERP, flags, &n);
        if (r < 0)
                return r;
        n->bt_level = level;
        return 0;
}

/* Close backtick levels down to `level`; lx->pos is where the text before the backslashes ends. */
static int bt_close(struct lexer *lx, unsigned level, size_t at) {
        for (;;) {
                struct ctx *t = ctx_top(lx);
                if (t->kind == CTX_BACKTICK && t->bt_level == level + 1)
                        break;
                if (t->bt_level == 0 || t->kind == CTX_TOP || t->kind == CTX_HEREDOCS) {
                        assert(!"no backtick level to close");
                        lx->pos = at + 1;
                        return 0;
                }
                int r = ctx_finish(lx);
                if (r < 0)
                        return r;
        }
        struct ctx *t = ctx_top(lx);
        int r = word_end(lx, t);
        if (r < 0)
                return r;
        r = push_tok(lx, TOK_PUNCT, t->close_flags, at, 1);
        lx->pos = at + 1;
        ctx_pop(lx);
        return r;
}

/* "$x", "${", "$(", "$((" at lx->pos, as a part of the enclosing context c. */
static int expansion(struct lexer *lx, struct ctx *c, enum dollar d, size_t n, uint32_t flags) {
        size_t p = lx->pos;
        struct ctx *in;
        int r;
        switch (d) {
        case D_NAME:
                lx->pos = p + n;
                r = push_copy(lx, TOK_WORD, flags, p, n);
                c->piece = lx->pos;
                return r;
        case D_BRACE: {
                bool in_dquote = c->kind == CTX_DQUOTE || c->kind == CTX_HEREDOCS || c->in_dquote;
                r = ctx_push(lx, CTX_PARAM, flags, flags, &in);
                if (r < 0)
                        return r;
                in->braces = 1;
                in->in_dquote = in_dquote;
                lx->pos = p + 2;
                return 0;
        }
        case D_PAREN:
        case D_ARITH:
                n = d == D_PAREN ? 2 : 3;
                r = push_tok(lx, TOK_PUNCT, flags, p, n);
                if (r < 0)
                        return r;
                lx->pos = p + n;
                r = ctx_push(lx, d == D_PAREN ? CTX_CMDSUB : CTX_ARITH, TOKF_INTERP, flags, &in);
                if (r < 0)
                        return r;
                in->dollar = true;
                return 0;
        default:
                assert(!"not an expansion");
                return 0;
        }
}

/* '...' at lx->pos: the value is the text as written. */
static int lex_squote(struct lexer *lx, unsigned level, uint32_t flags) {
        const char *s = lx->s;
        size_t start = lx->pos, p = start + 1, lim = lx->limit, end;
        for (;;) {
                if (level == 0) {
                        const char *q = p < lim ? memchr(s + p, '\'', lim - p) : NULL;
                        p = q ? (size_t) (q - s) : lim;
                }
                if (p >= lim) {
                        flags |= TOKF_UNTERMINATED;
                        end = p;
                        break;
                }
                if (s[p] == '\'') {
                        end = p + 1;
                        break;
                }
                if (s[p] == '`' || s[p] == '\\') {
                        struct bt b = bt_at(lx, level, p);
                        if (b.act == BT_CLOSE) {
                                flags |= TOKF_UNTERMINATED;
                                end = p;
                                break;
                        }
                        if (b.act == BT_OPEN) {
                                p = b.at + 1;
                                continue;
                        }
                }
                p++;
        }
        lx->vn = 0;
        vput(lx, s + start + 1, p - start - 1);
        lx->pos = end;
        return push_value(lx, TOK_STRING, flags, start, end - start);
}

static void put_utf8(struct lexer *lx, uint32_t cp) {
        char u[4];
        size_t n = utf8_encode(cp, u);
        for (size_t k = 0; k < n; k++)
                vputc(lx, (unsigned char) u[k]);
}

/* One escape of $'...' at p (a backslash): decoded into lx->v (never longer than the escape
 * itself). Returns the offset after it. */
static size_t ansi_escape(struct lexer *lx, size_t p) {
        const char *s = lx->s;
        size_t lim = lx->limit, q = p + 2;
        if (p + 1 >= lim) {
                vputc(lx, '\\');
                return p + 1;
        }
        char e = s[p + 1];
        static const char simple_from[] = "abeEfnrtv\\'\"?";
        static const char simple_to[] = "\a\b\033\033\f\n\r\t\v\\'\"?";
        const char *k = e ? memchr(simple_from, e, sizeof(simple_from) - 1) : NULL;
        if (k) {
                vputc(lx, (unsigned char) simple_to[k - simple_from]);
                return q;
        }
        uint32_t v = 0;
        size_t digits = 0, max = 0;
        switch (e) {
        case '0' ... '7':
                v = (uint32_t) (e - '0');
                while (q < lim && q < p + 4 && s[q] >= '0' && s[q] <= '7')
                        v = v * 8 + (uint32_t) (s[q++] - '0');
                vputc(lx, (unsigned char) (v & 0xff));
                return q;
        case 'c':
                if (q >= lim)
                        break;
                e = s[q];
                vputc(lx, e == '?' ? 0x7f : (unsigned char) ((e >= 'a' && e <= 'z' ? e - 32 : e) & 0x1f));
                return q + 1;
        case 'x':
                max = 2;
                break;
        case 'u':
                max = 4;
                break;
        case 'U':
                max = 8;
                break;
        default:
                break;
        }
        for (; digits < max && q < lim && hex_digit(s[q]) >= 0; digits++, q++)
                v = v * 16 + (uint32_t) hex_digit(s[q]);
        if (digits == 0) { /* unknown escape, or \x \u \c with nothing after: kept as written */
                vputc(lx, '\\');
                vputc(lx, (unsigned char) e);
                return p + 2;
        }
        if (e == 'x')
                vputc(lx, (unsigned char) v);
        else if (v <= 0x10ffff)
                put_utf8(lx, v);
        else
                vput(lx, s + p, q - p);
        return q;
}

/* $'...' at lx->pos (ANSI-C quoting): the value has its escapes decoded. */
static int lex_ansi(struct lexer *lx, unsigned level, uint32_t flags) {
        const char *s = lx->s;
        size_t start = lx->pos, p = start + 2, lim = lx->limit;
        lx->vn = 0;
        for (;;) {
                if (p >= lim) {
                        flags |= TOKF_UNTERMINATED;
                        break;
                }
                char ch = s[p];
                if (ch == '\'') {
                        p++;
                        break;
                }
                if (level && (ch == '`' || ch == '\\')) {
                        struct bt b = bt_at(lx, level, p);
                        if (b.act == BT_CLOSE) {
                                flags |= TOKF_UNTERMINATED;
                                break;
                        }
                        if (b.act == BT_OPEN) {
                                vput(lx, s + p, b.at + 1 - p);
                                p = b.at + 1;
                                continue;
                        }
                }
                if (ch == '\\')
                        p = ansi_escape(lx, p);
                else {
                        vputc(lx, (unsigned char) ch);
                        p++;
                }
        }
        lx->pos = p;
        return push_value(lx, TOK_STRING, flags, start, p - start);
}

static int dquote_open(struct lexer *lx, uint32_t flags, size_t start, size_t content) {
        struct ctx *c;
        lx->pos = content;
        int r = ctx_push(lx, CTX_DQUOTE, flags, flags, &c);
        if (r < 0)
                return r;
        c->piece = start;
        lx->vn = 0;
        return 0;
}

/* The constant piece of a "..." read so far, as a TOK_STRING ending at end. Pieces with only a
 * quote in them ("$x" has two) are kept: the parts of a word then tile it, and rules join
 * touching parts into the word the shell sees ("$HOME"/.bashrc). */
static int dquote_piece(struct lexer *lx, struct ctx *c, size_t end) {
        if (lx->vn == 0 && end == c->piece)
                return 0;
        return push_value(lx, TOK_STRING, c->flags, c->piece, end - c->piece);
}

static int step_dquote(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit;
        int r;
        for (;;) {
                size_t chunk = p;
                while (p < lim && !(cls_of(s[p]) & C_DQ_STOP))
                        p++;
                vput(lx, s + chunk, p - chunk);
                if (p >= lim) {
                        lx->pos = p; /* ctx_finish ends it as unterminated */
                        return 0;
                }
                char ch = s[p];
                if (ch == '"') {
                        lx->pos = p + 1;
                        r = dquote_piece(lx, c, p + 1);
                        ctx_pop(lx);
                        return r;
                }
                if (ch == '$') {
                        size_t n = 0;
                        enum dollar d = dollar_kind(lx, p, &n);
                        if (d == D_NONE || d == D_ANSI || d == D_LOCALE) {
                                vputc(lx, '$');
                                p++;
                                continue;
                        }
                        lx->pos = p;
                        r = dquote_piece(lx, c, p);
                        if (r < 0)
                                return r;
                        return expansion(lx, c, d, n, TOKF_INTERP);
                }
                if (ch == '`' || c->bt_level) {
                        struct bt b = bt_at(lx, c->bt_level, p);
                        if (b.act == BT_CLOSE) {
                                lx->pos = p;
                                return bt_close(lx, b.level, b.at);
                        }
                        if (b.act == BT_OPEN) {
                                lx->pos = p;
                                r = dquote_piece(lx, c, p);
                                if (r < 0)
                                        return r;
                                return bt_open(lx, c, TOKF_INTERP, b.at);
                        }
                        if (ch == '`') {
                                vputc(lx, '`');
                                p++;
                                continue;
                        }
                }
                /* a backslash: it escapes only $ ` " \ and the line end */
                if (p + 1 >= lim) {
                        vputc(lx, '\\');
                        p++;
                        continue;
                }
                char n = s[p + 1];
                size_t nl = newline_len(lx, p + 1);
                if (nl)
                        p += 1 + nl;
                else if (n == '$' || n == '`' || n == '"' || n == '\\') {
                        vputc(lx, (unsigned char) n);
                        p += 2;
                } else {
                        vputc(lx, '\\');
                        p++;
                }
        }
}

/* A piece of ${...} text up to end, as a TOK_WORD (value: the text as written). */
static int param_piece(struct lexer *lx, struct ctx *c, size_t end) {
        if (end <= c->piece)
                return 0;
        return push_copy(lx, TOK_WORD, c->flags, c->piece, end - c->piece);
}

static int step_param(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit;
        int r;
        for (;;) {
                while (p < lim && !(cls_of(s[p]) & C_PARAM_STOP))
                        p++;
                if (p >= lim) {
                        lx->pos = p;
                        return 0;
                }
                char ch = s[p];
                if (c->sq) {
                        if (ch == '\'')
                                c->sq = false;
                        else if (c->bt_level && (ch == '`' || ch == '\\')) {
                                struct bt b = bt_at(lx, c->bt_level, p);
                                if (b.act == BT_CLOSE) {
                                        lx->pos = p;
                                        return bt_close(lx, b.level, b.at);
                                }
                                if (b.act == BT_OPEN)
                                        p = b.at;
                        }
                        p++;
                        continue;
                }
                switch (ch) {
                case '\'':
                        if (!c->dq && !c->in_dquote)
                                c->sq = true;
                        p++;
                        continue;
                case '"':
                        c->dq = !c->dq;
                        p++;
                        continue;
                case '{':
                        if (!c->dq)
                                c->braces++;
                        p++;
                        continue;
                case '}':
                        if (!c->dq && --c->braces == 0) {
                                lx->pos = p + 1;
                                r = param_piece(lx, c, p + 1);
                                ctx_pop(lx);
                                return r;
                        }
                        p++;
                        continue;
                case '$': {
                        size_t n = 0;
                        enum dollar d = dollar_kind(lx, p, &n);
                        if (d == D_BRACE) {
                                c->braces++;
                                p += 2;
                                continue;
                        }
                        if (d == D_PAREN || d == D_ARITH) {
                                lx->pos = p;
                                r = param_piece(lx, c, p);
                                if (r < 0)
                                        return r;
                                return expansion(lx, c, d, n, TOKF_INTERP);
                        }
                        p++;
                        continue;
                }
                default: { /* ` or \ */
                        struct bt b = bt_at(lx, c->bt_level, p);
                        if (b.act == BT_CLOSE) {
                                lx->pos = p;
                                return bt_close(lx, b.level, b.at);
                        }
                        if (b.act == BT_OPEN) {
                                lx->pos = p;
                                r = param_piece(lx, c, p);
                                if (r < 0)
                                        return r;
                                return bt_open(lx, c, TOKF_INTERP, b.at);
                        }
                        p += ch == '\\' && p + 1 < lim ? 2 : 1;
                        continue;
                }
                }
        }
}

/* Operators inside $((...)), longest first within each leading byte. */
static size_t arith_op_len(const char *s, size_t avail) {
        static const char *const ops[] = {
                "<<=", ">>=", "**", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
                "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=",
        };
        for (size_t i = 0; i < ELEMENTSOF(ops); i++) {
                size_t n = strlen(ops[i]);
                if (n <= avail && memcmp(s, ops[i], n) == 0)
                        return n;
        }
        return 1;
}

static int step_arith(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit, q = p + 1;
        char ch = s[p];
        uint16_t k = cls_of(ch);
        int r;
        if (k & (C_BLANK | C_NL)) {
                while (q < lim && (cls_of(s[q]) & (C_BLANK | C_NL)))
                        q++;
                lx->pos = q;
                return 0;
        }
        if (k & C_DIGIT) { /* 42, 0x2a, 16#2a, 64#@_ */
                while (q < lim && ((cls_of(s[q]) & C_NAME) || s[q] == '#' || s[q] == '@'))
                        q++;
                lx->pos = q;
                return push_tok(lx, TOK_NUMBER, c->flags, p, q - p);
        }
        if ((k & C_ALPHA) || (unsigned char) ch >= 0x80) {
                while (q < lim && ((cls_of(s[q]) & C_NAME) || (unsigned char) s[q] >= 0x80))
                        q++;
                lx->pos = q;
                return push_copy(lx, TOK_WORD, c->flags, p, q - p);
        }
        switch (ch) {
        case '$': {
                size_t n = 0;
                enum dollar d = dollar_kind(lx, p, &n);
                if (d != D_NONE && d != D_ANSI && d != D_LOCALE)
                        return expansion(lx, c, d, n, c->flags);
                break;
        }
        case '"':
                return dquote_open(lx, c->flags, p, p + 1);
        case '\'':
                return lex_squote(lx, c->bt_level, c->flags);
        case '`':
        case '\\': {
                struct bt b = bt_at(lx, c->bt_level, p);
                if (b.act == BT_CLOSE)
                        return bt_close(lx, b.level, b.at);
                if (b.act == BT_OPEN)
                        return bt_open(lx, c, c->flags, b.at);
                if (ch == '`')
                        break;
                size_t nl = newline_len(lx, p + 1);
                if (nl) {
                        lx->pos = p + 1 + nl;
                        return 0;
                }
                q = p + 1 < lim ? p + 2 : p + 1;
                lx->pos = q;
                return push_tok(lx, TOK_PUNCT, c->flags, p, q - p);
        }
        case '(':
                c->parens++;
                break;
        case ')':
                if (c->parens > 0) {
                        c->parens--;
                        break;
                }
                if (q < lim && s[q] == ')') {
                        lx->pos = p + 2;
                        r = push_tok(lx, TOK_PUNCT, c->close_flags, p, 2);
                        ctx_pop(lx);
                        return r;
                }
                /* "$((a) | b)" is a command substitution holding a subshell: go on as one */
                c->kind = c->dollar ? CTX_CMDSUB : CTX_SUBSHELL;
                c->cmd_start = true;
                break;
        default:
                lx->pos = p + arith_op_len(s + p, lim - p);
                return push_tok(lx, TOK_PUNCT, c->flags, p, lx->pos - p);
        }
        lx->pos = p + 1;
        return push_tok(lx, TOK_PUNCT, c->flags, p, 1);
}

/* Queue the here-doc whose delimiter word is [ws, we): its body starts after the line. */
static int heredoc_queue(struct lexer *lx, const struct ctx *c, size_t ws, size_t we) {
        const char *s = lx->s;
        if (lx->nhd == lx->hdcap) {
                size_t cap = lx->hdcap ? lx->hdcap * 2 : 8;
                struct heredoc *grown = reallocarray(lx->hd, cap, sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                lx->hd = grown;
                lx->hdcap = cap;
        }
        char *d = malloc(we - ws + 1);
        if (!d)
                return -ENOMEM;
        size_t n = 0;
        bool quoted = false;
        for (size_t p = ws; p < we;) { /* quote removal: any quoting makes the body literal */
                char ch = s[p];
                if (ch == '\\' && p + 1 < we) {
                        quoted = true;
                        d[n++] = s[p + 1];
                        p += 2;
                } else if (ch == '\'' || ch == '"') {
                        quoted = true;
                        for (p++; p < we && s[p] != ch; p++) {
                                if (ch == '"' && s[p] == '\\' && p + 1 < we &&
                                    (s[p + 1] == '"' || s[p + 1] == '\\' || s[p + 1] == '$' || s[p + 1] == '`'))
                                        p++;
                                d[n++] = s[p];
                        }
                        if (p < we)
                                p++;
                } else if (ch == '$' && p + 1 < we && (s[p + 1] == '\'' || s[p + 1] == '"')) {
                        p++;
                } else {
                        d[n++] = ch;
                        p++;
                }
        }
        d[n] = '\0';
        lx->hd[lx->nhd++] = (struct heredoc) { .delim = d, .delim_len = n, .flags = c->flags,
                                               .quoted = quoted, .strip = c->hd_strip };
        return 0;
}

/* Queued here-docs [from, nhd) that never got a body: empty, unterminated, at offset at. */
static int heredocs_drop(struct lexer *lx, size_t from, size_t at) {
        int r = 0;
        for (size_t i = from; i < lx->nhd; i++) {
                if (r >= 0) {
                        lx->vn = 0;
                        r = push_value(lx, TOK_STRING, lx->hd[i].flags | TOKF_HEREDOC | TOKF_UNTERMINATED, at, 0);
                }
                free(lx->hd[i].delim);
        }
        if (from < lx->nhd)
                lx->nhd = from;
        return r;
}

/* Reserved words after which the next word is still in command position. */
static bool keeps_cmd_position(const char *w, size_t n) {
        switch (n) {
        case 1:
                return w[0] == '!';
        case 2:
                return memcmp(w, "if", 2) == 0 || memcmp(w, "do", 2) == 0;
        case 4:
                return memcmp(w, "then", 4) == 0 || memcmp(w, "else", 4) == 0 || memcmp(w, "elif", 4) == 0 ||
                       memcmp(w, "time", 4) == 0;
        case 5:
                return memcmp(w, "while", 5) == 0 || memcmp(w, "until", 5) == 0;
        default:
                return false;
        }
}

/* The word that started at c->word ends at lx->pos. */
static int word_finish(struct lexer *lx, struct ctx *c) {
        c->in_word = false;
        const char *w = lx->s + c->word;
        size_t n = lx->pos - c->word;
        bool at_cmd = c->cmd_start;
        c->cmd_start = false;
        if (c->case_words > 0) {
                if (--c->case_words == 0)
                        c->cmd_start = true; /* after `case x in`: a pattern, or `esac` */
        } else if (c->word_plain && at_cmd) {
                c->cmd_start = keeps_cmd_position(w, n);
                if (n == 4 && memcmp(w, "case", 4) == 0) {
                        c->case_depth++;
                        c->case_words = 2;
                } else if (n == 4 && memcmp(w, "esac", 4) == 0 && c->case_depth > 0)
                        c->case_depth--;
        }
        if (!c->hd_expect)
                return 0;
        c->hd_expect = false;
        return heredoc_queue(lx, c, c->word, lx->pos);
}

static size_t shell_op_len(const char *s, size_t avail) {
        char a = s[0], b = avail > 1 ? s[1] : 0, c = avail > 2 ? s[2] : 0;
        switch (a) {
        case '&':
                if (b == '&')
                        return 2;
                if (b == '>')
                        return c == '>' ? 3 : 2;
                return 1;
        case '|':
                return b == '|' || b == '&' ? 2 : 1;
        case ';':
                if (b == ';')
                        return c == '&' ? 3 : 2;
                return b == '&' ? 2 : 1;
        case '<':
                if (b == '<')
                        return c == '<' || c == '-' ? 3 : 2;
                return b == '&' || b == '>' ? 2 : 1;
        case '>':
                return b == '>' || b == '&' || b == '|' ? 2 : 1;
        default:
                return 1;
        }
}

static int list_operator(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit;
        struct ctx *in;
        int r = word_end(lx, c);
        if (r < 0)
                return r;
        c->hd_expect = false;
        if (s[p] == '(') {
                /* "((" is arithmetic, as bash tries first; but "<((" is a process substitution */
                bool arith = p + 1 < lim && s[p + 1] == '(' && !(p > 0 && (s[p - 1] == '<' || s[p - 1] == '>'));
                size_t n = arith ? 2 : 1;
                r = push_tok(lx, TOK_PUNCT, c->flags, p, n);
                if (r < 0)
                        return r;
                lx->pos = p + n;
                c->cmd_start = true;
                return ctx_push(lx, arith ? CTX_ARITH : CTX_SUBSHELL, c->flags, c->flags, &in);
        }
        if (s[p] == ')') {
                bool closes = c->case_depth == 0 && (c->kind == CTX_SUBSHELL || c->kind == CTX_CMDSUB);
                r = push_tok(lx, TOK_PUNCT, closes ? c->close_flags : c->flags, p, 1);
                lx->pos = p + 1;
                c->cmd_start = true;
                if (closes)
                        ctx_pop(lx);
                return r;
        }
        size_t n = shell_op_len(s + p, lim - p);
        r = push_tok(lx, TOK_PUNCT, c->flags, p, n);
        lx->pos = p + n;
        if (s[p] == '<' && n >= 2 && s[p + 1] == '<' && !(n == 3 && s[p + 2] == '<')) {
                c->hd_expect = true;
                c->hd_strip = n == 3;
        } else if (s[p] == '|' || s[p] == ';' || (s[p] == '&' && !(n >= 2 && s[p + 1] == '>')))
                c->cmd_start = true; /* a control operator; redirections leave it as it was */
        return r;
}

static int list_newline(struct lexer *lx, struct ctx *c) {
        size_t p = lx->pos, n = newline_len(lx, p);
        struct ctx *h;
        int r = word_end(lx, c);
        if (r < 0)
                return r;
        r = push_tok(lx, TOK_NEWLINE, c->flags, p, n);
        if (r < 0)
                return r;
        lx->pos = p + n;
        c->cmd_start = true;
        c->hd_expect = false;
        if (lx->nhd <= c->hd_base)
                return 0;
        size_t first = c->hd_base, end = lx->nhd;
        uint32_t flags = c->flags;
        r = ctx_push(lx, CTX_HEREDOCS, flags, flags, &h);
        if (r < 0)
                return r;
        h->bt_level = 0; /* a body is its own text: backticks outside cannot end inside it */
        h->hd_first = h->hd_next = first;
        h->hd_end = end;
        return 0;
}

static int list_comment(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t start = lx->pos, p = start + 1, lim = lx->limit;
        for (; p < lim; p++) {
                char ch = s[p];
                if (ch == '\n' || ch == '\r')
                        break;
                if (c->bt_level && (ch == '`' || ch == '\\')) {
                        struct bt b = bt_at(lx, c->bt_level, p);
                        if (b.act == BT_CLOSE)
                                break;
                        if (b.act == BT_OPEN)
                                p = b.at;
                }
        }
        lx->pos = p;
        return push_tok(lx, TOK_COMMENT, c->flags, start, p - start);
}

/* Unquoted text of a word: value without its backslash escapes and line continuations. */
static int list_literal(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t start = lx->pos, p = start, chunk = start, lim = lx->limit;
        bool escaped = false;
        lx->vn = 0;
        if (s[p] == '`')
                p++; /* a backtick that a run of backslashes made literal */
        for (;;) {
                while (p < lim && !(cls_of(s[p]) & C_WORD_STOP))
                        p++;
                if (p >= lim)
                        break;
                char ch = s[p];
                if (ch == '$') {
                        size_t n;
                        if (dollar_kind(lx, p, &n) != D_NONE)
                                break;
                        p++;
                        continue;
                }
                if (ch != '\\')
                        break;
                if (c->bt_level) {
                        struct bt b = bt_at(lx, c->bt_level, p);
                        if (b.act == BT_OPEN || b.act == BT_CLOSE)
                                break;
                }
                escaped = true;
                vput(lx, s + chunk, p - chunk);
                if (p + 1 >= lim) { /* a backslash at the very end stays */
                        chunk = p++;
                        continue;
                }
                size_t nl = newline_len(lx, p + 1);
                if (!nl)
                        vputc(lx, (unsigned char) s[p + 1]);
                p += 1 + (nl ? nl : 1);
                chunk = p;
        }
        assert(p > start);
        lx->pos = p;
        if (escaped || start != c->word)
                c->word_plain = false;
        if (c->word_plain && p - start == 1 && (s[start] == '{' || s[start] == '}') && !c->hd_expect &&
            (p >= lim || (cls_of(s[p]) & C_WORD_END))) {
                lx->vn = 0;
                c->in_word = false;
                c->cmd_start = s[start] == '{';
                return push_tok(lx, TOK_PUNCT, c->flags, start, 1);
        }
        if (!escaped)
                return push_copy(lx, TOK_WORD, c->flags, start, p - start);
        /* the value may be empty: line continuations alone between two quoted parts are still a
         * part, so that the parts keep tiling the word */
        vput(lx, s + chunk, p - chunk);
        return push_value(lx, TOK_WORD, c->flags, start, p - start);
}

static int step_list(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit;
        char ch = s[p];
        uint16_t k = cls_of(ch);
        int r;

        if (k & C_BLANK) {
                if ((r = word_end(lx, c)) < 0)
                        return r;
                do
                        p++;
                while (p < lim && (cls_of(s[p]) & C_BLANK));
                lx->pos = p;
                if (p >= lim)
                        return 0;
                /* what follows the blanks is read in the same step: the context is the same */
                ch = s[p];
                k = cls_of(ch);
        }
        if (k & C_NL)
                return list_newline(lx, c);
        if (k & C_META)
                return list_operator(lx, c);
        if (ch == '\\' && !c->in_word) {
                size_t nl = newline_len(lx, p + 1);
                if (nl) { /* a line continuation between words joins nothing */
                        lx->pos = p + 1 + nl;
                        return 0;
                }
        }
        if (ch == '#' && !c->in_word)
                return list_comment(lx, c);
        struct bt b = { BT_NONE, 0, p };
        if (ch == '`' || (ch == '\\' && c->bt_level)) {
                b = bt_at(lx, c->bt_level, p);
                if (b.act == BT_CLOSE)
                        return bt_close(lx, b.level, b.at);
        }
        if (!c->in_word) {
                if ((k & C_DIGIT) && !c->hd_expect) { /* an IO number: "2>", "0>&1" */
                        size_t q = p;
                        while (q < lim && (cls_of(s[q]) & C_DIGIT))
                                q++;
                        if (q < lim && (s[q] == '<' || s[q] == '>')) {
                                lx->pos = q;
                                return push_tok(lx, TOK_NUMBER, c->flags, p, q - p);
                        }
                }
                c->in_word = true;
                c->word_plain = true;
                c->word = p;
        }
        if (b.act == BT_OPEN) {
                c->word_plain = false;
                return bt_open(lx, c, c->flags, b.at);
        }
        if (ch == '\'') {
                c->word_plain = false;
                return lex_squote(lx, c->bt_level, c->flags);
        }
        if (ch == '"') {
                c->word_plain = false;
                return dquote_open(lx, c->flags, p, p + 1);
        }
        if (ch == '$') {
                size_t n = 0;
                enum dollar d = dollar_kind(lx, p, &n);
                if (d != D_NONE) {
                        c->word_plain = false;
                        if (d == D_ANSI)
                                return lex_ansi(lx, c->bt_level, c->flags);
                        if (d == D_LOCALE)
                                return dquote_open(lx, c->flags, p, p + 2);
                        return expansion(lx, c, d, n, c->flags);
                }
        }
        return list_literal(lx, c);
}

/* Here-doc body extent from `from`: [from, *ret_body_end), then the delimiter line up to
 * *ret_term_end. Returns false when no line matches before the limit. */
static bool heredoc_extent(const struct lexer *lx, const struct heredoc *h, size_t from,
                           size_t *ret_body_end, size_t *ret_term_end) {
        const char *s = lx->s;
        size_t lim = lx->limit;
        for (size_t p = from; p < lim;) {
                size_t q = p;
                if (h->strip)
                        while (q < lim && s[q] == '\t')
                                q++;
                size_t e = q;
                while (e < lim && s[e] != '\n' && s[e] != '\r')
                        e++;
                size_t next = e + newline_len(lx, e);
                if (e - q == h->delim_len && memcmp(s + q, h->delim, h->delim_len) == 0) {
                        *ret_body_end = p;
                        *ret_term_end = next;
                        return true;
                }
                p = next;
        }
        *ret_body_end = *ret_term_end = lim;
        return false;
}

/* The value of a body: leading tabs stripped for <<-; for an unquoted delimiter, \\ \$ \` and
 * line continuations resolved as the shell does before expanding. */
static void heredoc_value(struct lexer *lx, const struct heredoc *h, size_t from, size_t end) {
        const char *s = lx->s;
        bool bol = true;
        lx->vn = 0;
        for (size_t p = from; p < end;) {
                char ch = s[p];
                if (bol && h->strip && ch == '\t') {
                        p++;
                        continue;
                }
                bol = ch == '\n' || ch == '\r';
                if (ch == '\\' && !h->quoted && p + 1 < end) {
                        char n = s[p + 1];
                        if (n == '\\' || n == '$' || n == '`') {
                                vputc(lx, (unsigned char) n);
                                p += 2;
                                continue;
                        }
                        size_t nl = newline_len(lx, p + 1);
                        if (nl) {
                                p += 1 + nl;
                                bol = true;
                                continue;
                        }
                }
                vputc(lx, (unsigned char) ch);
                p++;
        }
}

/* Expansions in an unquoted here-doc body, as interpolation tokens (the body itself is already
 * one TOK_STRING). */
static int step_body(struct lexer *lx, struct ctx *c) {
        const char *s = lx->s;
        size_t p = lx->pos, lim = lx->limit;
        for (;;) {
                while (p < lim && !(cls_of(s[p]) & (C_DOLLAR | C_BQ | C_BS)))
                        p++;
                if (p >= lim) {
                        lx->pos = p;
                        return 0;
                }
                if (s[p] == '\\') {
                        p += p + 1 < lim ? 2 : 1;
                        continue;
                }
                if (s[p] == '`') {
                        lx->pos = p;
                        return bt_open(lx, c, TOKF_INTERP, p);
                }
                size_t n = 0;
                enum dollar d = dollar_kind(lx, p, &n);
                if (d == D_NAME || d == D_BRACE || d == D_PAREN || d == D_ARITH) {
                        lx->pos = p;
                        return expansion(lx, c, d, n, TOKF_INTERP);
                }
                p++;
        }
}

static int step_heredocs(struct lexer *lx, struct ctx *c) {
        int r;
        if (c->in_body) {
                if (lx->pos < lx->limit)
                        return step_body(lx, c);
                /* here-docs opened in this body with no line end after them get no body */
                r = heredocs_drop(lx, c->hd_end, lx->pos);
                lx->limit = c->saved_limit;
                lx->pos = c->term_end;
                c->in_body = false;
                c->hd_next++;
                return r;
        }
        if (c->hd_next == c->hd_end) {
                for (size_t i = c->hd_first; i < lx->nhd; i++)
                        free(lx->hd[i].delim);
                lx->nhd = c->hd_first;
                ctx_pop(lx);
                return 0;
        }
        const struct heredoc *h = &lx->hd[c->hd_next];
        size_t from = lx->pos, body_end, term_end;
        bool found = heredoc_extent(lx, h, from, &body_end, &term_end);
        lx->hd_bytes += body_end - from;
        if (lx->hd_bytes > HEREDOC_BYTES_FACTOR * lx->len) {
                lx->too_complex = "nests here-documents too deeply";
                return -E2BIG;
        }
        bool lex_body = !h->quoted && body_end > from;
        heredoc_value(lx, h, from, body_end);
        r = push_value(lx, TOK_STRING, h->flags | TOKF_HEREDOC | (found ? 0 : TOKF_UNTERMINATED), from,
                       body_end - from);
        if (lex_body) {
                c->in_body = true;
                c->saved_limit = lx->limit;
                c->term_end = term_end;
                lx->limit = body_end;
        } else {
                lx->pos = term_end;
                c->hd_next++;
        }
        return r;
}

static int lex_run(struct lexer *lx) {
        for (;;) {
                struct ctx *c = ctx_top(lx);
                int r;
                if (c->kind == CTX_HEREDOCS)
                        r = step_heredocs(lx, c);
                else if (lx->pos >= lx->limit) {
                        if (c->kind == CTX_TOP) {
                                r = word_end(lx, c);
                                if (r < 0)
                                        return r;
                                return heredocs_drop(lx, 0, lx->pos);
                        }
                        r = ctx_finish(lx);
                } else if (ctx_is_list(c->kind)) {
                        /* most steps leave the same command list on top (a step never pops
                         * and pushes at once): go on with it without the dispatch above */
                        size_t depth = lx->depth;
                        do
                                r = step_list(lx, c);
                        while (r >= 0 && lx->depth == depth && lx->pos < lx->limit);
                } else if (c->kind == CTX_DQUOTE)
                        r = step_dquote(lx, c);
                else if (c->kind == CTX_PARAM)
                        r = step_param(lx, c);
                else
                        r = step_arith(lx, c);
                if (r < 0)
                        return r;
        }
}

int lex_shell(const char *src, size_t len, struct token_list *out, struct error *err) {
        out->src = src;
        out->src_len = len;
        if (len > TOKEN_MAX_SOURCE)
                return error_set(err, -E2BIG, "shell script of %zu bytes is over the %u byte limit", len,
                                 TOKEN_MAX_SOURCE);
        _cleanup_(lexer_freep) struct lexer *lx = calloc(1, sizeof(*lx));
        if (!lx)
                return error_set(err, -ENOMEM, "lexing shell: out of memory");
        lx->v = malloc(len + 1);
        if (!lx->v)
                return error_set(err, -ENOMEM, "lexing shell: out of memory");
        lx->s = src;
        lx->len = lx->limit = len;
        lx->vcap = len + 1;
        lx->out = out;
        lx->run_from = SIZE_MAX;
        lx->depth = 1;
        lx->stack[0] = (struct ctx) { .kind = CTX_TOP, .cmd_start = true };
        int r = lex_run(lx);
        if (r == -E2BIG && lx->too_complex)
                return error_set(err, r, "shell script %s", lx->too_complex);
        if (r == -E2BIG)
                return error_set(err, r, "shell script has more than %u tokens", TOKEN_MAX_TOKENS);
        if (r >= 0)
                r = token_list_index_lines(out);
        if (r < 0)
                return error_set(err, r, "lexing shell: out of memory");
        return 0;
}
