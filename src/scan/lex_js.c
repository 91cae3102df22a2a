/* JavaScript / TypeScript lexer for the static scanner: source bytes -> tokens (token.h), with
 * string escapes decoded and the code inside template `${...}` lexed as ordinary tokens, so rules
 * see `require("child_process")` however it is spelled and never match text in a comment. */
#include "token.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "../base/utf8.h"

/* Regex or division? A "/" starts a regular expression unless the previous significant token ends
 * an expression (a name, number, string, ")", "]", "}"); keywords such as return or typeof do
 * not end one. Where that rule is known to be wrong we keep a little context, in the style of
 * acorn's tokenizer, because a misread "/" can hide code inside a fake string or regex:
 *  - ")" closing the head of if/while/for/with is followed by a statement (`if (x) /re/`);
 *  - "}" closing a block is followed by a statement (`if (x) {} /re/`), "}" closing an object
 *    literal or the body of a function/class expression by an operator (`function () {} / 2`);
 *  - a keyword after "." or "?." is a property name (`a.return / 2`); "of" is a keyword only
 *    in a for head; TS interface/enum/namespace at statement start have block bodies.
 * Known limits: await and yield used as plain names (sloppy scripts) still allow a regex
 * (`await / 2`); a TS object type (`type T = {...}`) counts as an object literal, so a regex
 * statement right after it reads as division; `declare function f(): T` without ";" takes the
 * next "{" of that level for its body. A "/" taken for a regex that finds no closing "/" on its
 * line is re-read as division, and so is every later "/" on that line (this also keeps time
 * linear): text is then exposed as tokens rather than swallowed. JSX is not supported. */

enum js_frame_kind {
        FRAME_BASE,       /* the script itself */
        FRAME_PAREN,      /* ( ... ) of an expression, a call or a parameter list */
        FRAME_PAREN_STAT, /* ( ... ) after if/while/for/with: a statement follows */
        FRAME_BRACKET,    /* [ ... ] */
        FRAME_BLOCK,      /* { ... } of statements: a block, a declaration's body */
        FRAME_OBJECT,     /* { ... } in an expression: object literal, destructuring pattern */
        FRAME_FUNC_EXPR,  /* { ... } body of a function or class expression */
        FRAME_INTERP,     /* ${ ... } inside a template literal */
};

enum js_fn_pending {
        FN_NONE,
        FN_DECL, /* "function"/"class" at statement start: its body is a block */
        FN_EXPR, /* "function"/"class" in an expression: an operator may follow its body */
};

struct js_frame {
        uint8_t kind;       /* enum js_frame_kind */
        uint8_t fn_pending; /* enum js_fn_pending: the next "{" in this frame is that body */
        bool raw;           /* FRAME_INTERP: the template is String.raw */
        bool for_head;      /* FRAME_PAREN_STAT of a for: "of" here is the keyword */
        uint32_t ternary;   /* "?" still waiting for their ":" (tells them from labels) */
        uint32_t tok;       /* index of the opening token */
};

/* What the last significant token was, where it matters for the next one. */
enum js_prev {
        PREV_OTHER,
        PREV_DOT,       /* "." or "?.": a keyword after it is a property name */
        PREV_RPAREN,    /* ")": a "{" after it opens a block (function body, if, switch) */
        PREV_ARROW,     /* "=>" */
        PREV_RETURN,    /* "return": a "{" is an object unless a line break intervenes (ASI) */
        PREV_STAT_KW,   /* if, while, with */
        PREV_FOR,       /* for, and "await" in "for await" */
};

struct js_lexer {
        const char *s;
        size_t len, i;
        struct token_list *out;
        struct error *err;
        struct js_frame stack[TOKEN_MAX_NESTING + 1]; /* stack[0] is FRAME_BASE */
        size_t depth;        /* frames above stack[0] */
        size_t n_braces;     /* frames a "}" closes: BLOCK, OBJECT, FUNC_EXPR, INTERP */
        size_t n_interp;     /* FRAME_INTERP frames: tokens get TOKF_INTERP */
        bool regex_ok;       /* a "/" here starts a regex literal */
        bool stmt_start;     /* a statement starts here: "{" is a block, "function" a declaration */
        bool newline;        /* a line break since the last significant token */
        enum js_prev prev;
        size_t no_regex_until; /* a regex failed to close on this line: "/" is division up to here */
        char *scratch;       /* js_decode's output, copied into the token list's arena */
        size_t scratch_cap;
};

#define CC_ID 1u    /* A-Z a-z 0-9 _ $ */
#define CC_DIGIT 2u
#define CC_HEX 4u
#define CC_SPACE 8u /* ASCII blanks other than line terminators */
#define CC_IDSTART 16u /* A-Z a-z _ $: the common identifier, dispatched before anything else */

static const uint8_t js_cc[256] = {
        ['0' ... '9'] = CC_ID | CC_DIGIT | CC_HEX,
        ['A' ... 'F'] = CC_ID | CC_HEX | CC_IDSTART,
        ['a' ... 'f'] = CC_ID | CC_HEX | CC_IDSTART,
        ['G' ... 'Z'] = CC_ID | CC_IDSTART,
        ['g' ... 'z'] = CC_ID | CC_IDSTART,
        ['_'] = CC_ID | CC_IDSTART,
        ['$'] = CC_ID | CC_IDSTART,
        [' '] = CC_SPACE,
        ['\t'] = CC_SPACE,
        ['\v'] = CC_SPACE,
        ['\f'] = CC_SPACE,
};

static inline unsigned cc(const char *s, size_t len, size_t p) {
        return p < len ? js_cc[(unsigned char) s[p]] : 0;
}

static inline unsigned char byte_at(const char *s, size_t len, size_t p) {
        return p < len ? (unsigned char) s[p] : 0;
}

/* U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end lines (and // comments) in JS. */
static size_t unicode_lt_len(const char *s, size_t len, size_t p) {
        if (byte_at(s, len, p) == 0xE2 && byte_at(s, len, p + 1) == 0x80 &&
            (byte_at(s, len, p + 2) == 0xA8 || byte_at(s, len, p + 2) == 0xA9))
                return 3;
        return 0;
}

/* Unicode white space (Zs, BOM): JS skips it like a blank, so `require\u00A0(` is a call; taking
 * it for an identifier character would hide that call from the rules. */
static size_t unicode_space_len(const char *s, size_t len, size_t p) {
        unsigned char b0 = byte_at(s, len, p), b1 = byte_at(s, len, p + 1), b2 = byte_at(s, len, p + 2);
        switch (b0) {
        case 0xC2: /* U+00A0 */
                return b1 == 0xA0 ? 2 : 0;
        case 0xE1: /* U+1680 */
                return b1 == 0x9A && b2 == 0x80 ? 3 : 0;
        case 0xE2: /* U+2000..U+200A, U+202F, U+205F */
                if (b1 == 0x80 && (b2 <= 0x8A || b2 == 0xAF) && b2 >= 0x80)
                        return 3;
                return b1 == 0x81 && b2 == 0x9F ? 3 : 0;
        case 0xE3: /* U+3000 */
                return b1 == 0x80 && b2 == 0x80 ? 3 : 0;
        case 0xEF: /* U+FEFF */
                return b1 == 0xBB && b2 == 0xBF ? 3 : 0;
        default:
                return 0;
        }
}

static bool ident_start_at(const char *s, size_t len, size_t p) {
        unsigned char c = byte_at(s, len, p);
        if (p >= len)
                return false;
        if (js_cc[c] & CC_ID)
                return !(js_cc[c] & CC_DIGIT);
        if (c == '\\')
                return byte_at(s, len, p + 1) == 'u';
        return c >= 0x80 && !unicode_space_len(s, len, p) && !unicode_lt_len(s, len, p);
}

/* Past the body of an identifier escape; p is just after "\u". Malformed ones end early. */
static size_t skip_ident_escape(const char *s, size_t len, size_t p) {
        if (byte_at(s, len, p) == '{') {
                p++;
                while (cc(s, len, p) & CC_HEX)
                        p++;
                return byte_at(s, len, p) == '}' ? p + 1 : p;
        }
        for (size_t k = 0; k < 4 && (cc(s, len, p) & CC_HEX); k++)
                p++;
        return p;
}

static size_t scan_ident(const char *s, size_t len, size_t p) {
        while (p < len) {
                unsigned char c = (unsigned char) s[p];
                if (js_cc[c] & CC_ID) {
                        p++;
                        while (p < len && (js_cc[(unsigned char) s[p]] & CC_ID))
                                p++; /* the plain ASCII run, without the checks below */
                } else if (c >= 0x80 && !unicode_space_len(s, len, p) && !unicode_lt_len(s, len, p))
                        p++;
                else if (c == '\\' && byte_at(s, len, p + 1) == 'u')
                        p = skip_ident_escape(s, len, p + 2);
                else
                        break;
        }
        return p;
}

static size_t scan_number(const char *s, size_t len, size_t p) {
        unsigned char x = byte_at(s, len, p + 1) | 0x20;
        if (s[p] == '0' && (x == 'x' || x == 'o' || x == 'b')) {
                p += 2;
                while (cc(s, len, p) & CC_HEX || byte_at(s, len, p) == '_')
                        p++;
                return byte_at(s, len, p) == 'n' ? p + 1 : p;
        }
        while (cc(s, len, p) & CC_DIGIT || byte_at(s, len, p) == '_')
                p++;
        if (byte_at(s, len, p) == '.') {
                p++;
                while (cc(s, len, p) & CC_DIGIT || byte_at(s, len, p) == '_')
                        p++;
        }
        if ((byte_at(s, len, p) | 0x20) == 'e') {
                size_t q = p + 1;
                if (byte_at(s, len, q) == '+' || byte_at(s, len, q) == '-')
                        q++;
                if (cc(s, len, q) & CC_DIGIT) {
                        p = q;
                        while (cc(s, len, p) & CC_DIGIT || byte_at(s, len, p) == '_')
                                p++;
                }
        }
        return byte_at(s, len, p) == 'n' ? p + 1 : p;
}

/* Longest-match punctuator at s[0..avail), avail >= 1. */
static size_t punct_len(const char *s, size_t avail) {
        unsigned char c1 = byte_at(s, avail, 1), c2 = byte_at(s, avail, 2), c3 = byte_at(s, avail, 3);
        switch (s[0]) {
        case '>':
                if (c1 == '>') {
                        if (c2 == '>')
                                return c3 == '=' ? 4 : 3;
                        return c2 == '=' ? 3 : 2;
                }
                return c1 == '=' ? 2 : 1;
        case '<':
                if (c1 == '<')
                        return c2 == '=' ? 3 : 2;
                return c1 == '=' ? 2 : 1;
        case '=':
                if (c1 == '=')
                        return c2 == '=' ? 3 : 2;
                return c1 == '>' ? 2 : 1;
        case '!':
                if (c1 == '=')
                        return c2 == '=' ? 3 : 2;
                return 1;
        case '*':
        case '&':
        case '|':
                if (c1 == (unsigned char) s[0])
                        return c2 == '=' ? 3 : 2;
                return c1 == '=' ? 2 : 1;
        case '?':
                if (c1 == '?')
                        return c2 == '=' ? 3 : 2;
                /* `a?.5:b` is a conditional with the number .5, not optional chaining */
                return c1 == '.' && !(js_cc[c2] & CC_DIGIT) ? 2 : 1;
        case '.':
                return c1 == '.' && c2 == '.' ? 3 : 1;
        case '+':
        case '-':
                return c1 == (unsigned char) s[0] || c1 == '=' ? 2 : 1;
        case '/':
        case '%':
        case '^':
                return c1 == '=' ? 2 : 1;
        default:
                return 1;
        }
}

/* --- string values ------------------------------------------------------------------------ */

static unsigned hex_val(unsigned char c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* A \u escape whose "u" is just before k: returns the position after it, or 0 if malformed. */
static size_t parse_unicode_escape(const char *s, size_t k, size_t to, uint32_t *ret_cp) {
        uint32_t v = 0;
        if (k < to && s[k] == '{') {
                size_t p = k + 1;
                for (; p < to && (js_cc[(unsigned char) s[p]] & CC_HEX); p++)
                        if (v <= 0x10FFFF) /* saturates: leading zeros are fine, overflow is not */
                                v = v * 16 + hex_val((unsigned char) s[p]);
                if (p == k + 1 || p >= to || s[p] != '}' || v > 0x10FFFF)
                        return 0;
                *ret_cp = v;
                return p + 1;
        }
        if (to - k < 4)
                return 0;
        for (size_t p = k; p < k + 4; p++) {
                if (!(js_cc[(unsigned char) s[p]] & CC_HEX))
                        return 0;
                v = v * 16 + hex_val((unsigned char) s[p]);
        }
        *ret_cp = v;
        return k + 4;
}

/* Decode the body s[from..to) of a string or template piece; NULL on ENOMEM. Every escape is at
 * least as long as its UTF-8 result (\xHH 4 -> 2, \uXXXX 6 -> 3, pairs 12 -> 4, \u{10000} 9 -> 4,
 * \377 4 -> 2), so to - from + 1 bytes always suffice. Templates also turn CR LF and CR into LF. */
static char *js_decode(struct js_lexer *lx, size_t from, size_t to, bool template, size_t *ret_len) {
        const char *s = lx->s;
        if (lx->scratch_cap < to - from + 1) {
                size_t cap = to - from + 1 > 256 ? to - from + 1 : 256;
                char *grown = realloc(lx->scratch, cap);
                if (!grown)
                        return NULL;
                lx->scratch = grown;
                lx->scratch_cap = cap;
        }
        char *buf = lx->scratch;
        size_t n = 0, k = from;
        while (k < to) {
                unsigned char c = (unsigned char) s[k++];
                if (c == '\r' && template) {
                        buf[n++] = '\n';
                        if (k < to && s[k] == '\n')
                                k++;
                        continue;
                }
                if (c != '\\') {
                        buf[n++] = (char) c;
                        continue;
                }
                if (k >= to)
                        break; /* a lone "\" at the end of an unterminated literal */
                c = (unsigned char) s[k++];
                uint32_t cp;
                size_t next;
                switch (c) {
                case 'n': buf[n++] = '\n'; break;
                case 't': buf[n++] = '\t'; break;
                case 'r': buf[n++] = '\r'; break;
                case 'b': buf[n++] = '\b'; break;
                case 'f': buf[n++] = '\f'; break;
                case 'v': buf[n++] = '\v'; break;
                case '\r': /* line continuation */
                        if (k < to && s[k] == '\n')
                                k++;
                        break;
                case '\n':
                        break;
                case '0' ... '7': /* legacy octal: \0 .. \377 */
                        cp = c - '0';
                        if (k < to && s[k] >= '0' && s[k] <= '7') {
                                cp = cp * 8 + (uint32_t) (s[k++] - '0');
                                if (c <= '3' && k < to && s[k] >= '0' && s[k] <= '7')
                                        cp = cp * 8 + (uint32_t) (s[k++] - '0');
                        }
                        n += utf8_encode(cp, buf + n);
                        break;
                case 'x':
                        if (to - k >= 2 && (js_cc[(unsigned char) s[k]] & CC_HEX) &&
                            (js_cc[(unsigned char) s[k + 1]] & CC_HEX)) {
                                cp = hex_val((unsigned char) s[k]) * 16 + hex_val((unsigned char) s[k + 1]);
                                n += utf8_encode(cp, buf + n);
                                k += 2;
                        } else
                                buf[n++] = 'x';
                        break;
                case 'u':
                        next = parse_unicode_escape(s, k, to, &cp);
                        if (!next) {
                                buf[n++] = 'u';
                                break;
                        }
                        k = next;
                        if (cp >= 0xD800 && cp <= 0xDBFF && to - k >= 2 && s[k] == '\\' && s[k + 1] == 'u') {
                                uint32_t lo;
                                next = parse_unicode_escape(s, k + 2, to, &lo);
                                if (next && lo >= 0xDC00 && lo <= 0xDFFF) {
                                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                        k = next;
                                }
                        }
                        n += utf8_encode(cp, buf + n);
                        break;
                default:
                        if (c == 0xE2 && unicode_lt_len(s, to, k - 1)) {
                                k += 2; /* line continuation over U+2028 / U+2029 */
                                break;
                        }
                        buf[n++] = (char) c; /* \' \" \\ and unknown escapes: the character */
                        break;
                }
        }
        buf[n] = '\0';
        *ret_len = n;
        return buf;
}

/* --- token and frame bookkeeping ---------------------------------------------------------- */

static int js_push_failed(struct js_lexer *lx, int r) {
        if (r == -E2BIG)
                return error_set(lx->err, r, "lex_js: more than %u tokens", TOKEN_MAX_TOKENS);
        return error_set(lx->err, r, "lex_js: out of memory");
}

/* A significant token without a value: inlined into the two hottest callers (names, operators). */
static inline __attribute__((always_inline)) int js_push_sig(struct js_lexer *lx, enum token_kind kind,
                                                             size_t offset, size_t len) {
        int r = token_push(lx->out, kind, lx->n_interp > 0 ? TOKF_INTERP : 0, offset, len, NULL, 0);
        if (r < 0)
                return js_push_failed(lx, r);
        lx->newline = false;
        return 0;
}

static int js_push(struct js_lexer *lx, enum token_kind kind, uint32_t flags, size_t offset, size_t len,
                   char *value, size_t value_len) {
        if (lx->n_interp > 0)
                flags |= TOKF_INTERP;
        int r = token_push(lx->out, kind, flags, offset, len, value, value_len);
        if (r < 0)
                return js_push_failed(lx, r);
        if (kind != TOK_COMMENT && kind != TOK_NEWLINE)
                lx->newline = false;
        return 0;
}

/* A string, template piece or regex: value (NULL when decoding ran out of memory) is copied into
 * the token list's arena. */
static int js_push_string(struct js_lexer *lx, uint32_t flags, size_t offset, size_t len,
                          const char *value, size_t value_len) {
        if (!value)
                return error_set(lx->err, -ENOMEM, "lex_js: out of memory");
        if (lx->n_interp > 0)
                flags |= TOKF_INTERP;
        int r = token_push_copy(lx->out, TOK_STRING, flags, offset, len, value, value_len);
        if (r < 0)
                return js_push_failed(lx, r);
        lx->newline = false;
        return 0;
}

static bool frame_is_brace(uint8_t kind) {
        return kind == FRAME_BLOCK || kind == FRAME_OBJECT || kind == FRAME_FUNC_EXPR || kind == FRAME_INTERP;
}

static int frame_push(struct js_lexer *lx, enum js_frame_kind kind, bool raw) {
        if (lx->depth >= TOKEN_MAX_NESTING)
                return error_set(lx->err, -E2BIG, "lex_js: more than %u brackets or interpolations open at line %u",
                                 TOKEN_MAX_NESTING, token_line_slow(lx->s, lx->len, lx->i));
        lx->stack[++lx->depth] = (struct js_frame) { .kind = (uint8_t) kind, .raw = raw,
                                                     .tok = (uint32_t) (lx->out->n - 1) };
        lx->n_braces += frame_is_brace(kind);
        lx->n_interp += kind == FRAME_INTERP;
        return 0;
}

static uint8_t frame_pop(struct js_lexer *lx) {
        uint8_t kind = lx->stack[lx->depth--].kind;
        lx->n_braces -= frame_is_brace(kind);
        lx->n_interp -= kind == FRAME_INTERP;
        return kind;
}

/* After a line break, a token that cannot continue the expression starts a statement (ASI). */
static bool at_statement_start(const struct js_lexer *lx) {
        return lx->stmt_start || (lx->newline && !lx->regex_ok);
}

/* --- the token kinds ---------------------------------------------------------------------- */

static int lex_newline(struct js_lexer *lx, size_t n) {
        size_t at = lx->i;
        lx->i += n;
        lx->newline = true;
        if (lx->out->n > 0 && lx->out->v[lx->out->n - 1].kind == TOK_NEWLINE)
                return 0; /* blank lines collapse into one NEWLINE */
        return js_push(lx, TOK_NEWLINE, 0, at, n, NULL, 0);
}

static int lex_line_comment(struct js_lexer *lx) {
        const char *s = lx->s;
        size_t start = lx->i, p = start;
        while (p < lx->len && s[p] != '\n' && s[p] != '\r' && !unicode_lt_len(s, lx->len, p))
                p++;
        lx->i = p;
        return js_push(lx, TOK_COMMENT, 0, start, p - start, NULL, 0);
}

static int lex_block_comment(struct js_lexer *lx) {
        const char *s = lx->s;
        size_t start = lx->i, p = start + 2;
        uint32_t flags = TOKF_UNTERMINATED;
        bool line_break = false;
        for (; p < lx->len; p++) {
                if (s[p] == '*' && p + 1 < lx->len && s[p + 1] == '/') {
                        p += 2;
                        flags = 0;
                        break;
                }
                if (s[p] == '\n' || s[p] == '\r' || unicode_lt_len(s, lx->len, p))
                        line_break = true;
        }
        lx->i = p;
        bool newline = lx->newline || line_break; /* a multi-line comment counts as a line break for ASI */
        int r = js_push(lx, TOK_COMMENT, flags, start, p - start, NULL, 0);
        lx->newline = newline;
        return r;
}

static int lex_number(struct js_lexer *lx) {
        size_t start = lx->i;
        lx->i = scan_number(lx->s, lx->len, start);
        lx->regex_ok = lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        return js_push(lx, TOK_NUMBER, 0, start, lx->i - start, NULL, 0);
}

static int lex_string(struct js_lexer *lx) {
        const char *s = lx->s;
        size_t start = lx->i, p = start + 1, len = lx->len, value_len = 0;
        char quote = s[start];
        bool closed = false;
        while (p < len) {
                if (s[p] == quote) {
                        closed = true;
                        break;
                }
                if (s[p] == '\n' || s[p] == '\r')
                        break;
                if (s[p] == '\\' && p + 1 < len)
                        p += s[p + 1] == '\r' && byte_at(s, len, p + 2) == '\n' ? 3 : 2;
                else
                        p++;
        }
        const char *value = js_decode(lx, start + 1, p, false, &value_len);
        lx->i = closed ? p + 1 : p;
        lx->regex_ok = lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        return js_push_string(lx, closed ? 0 : TOKF_UNTERMINATED, start, lx->i - start, value, value_len);
}

/* One constant piece of a template: from start (the opening "`", or just after the "}" of an
 * interpolation) up to and including the closing "`", or up to a "${" that opens the next
 * interpolation (then the "${" token and its frame are pushed too). */
static int lex_template_piece(struct js_lexer *lx, size_t start, size_t content, bool raw) {
        const char *s = lx->s;
        size_t p = content, len = lx->len, value_len = 0;
        bool closed = false, interp = false;
        while (p < len) {
                if (s[p] == '`') {
                        closed = true;
                        break;
                }
                if (s[p] == '$' && byte_at(s, len, p + 1) == '{') {
                        interp = true;
                        break;
                }
                p += s[p] == '\\' && p + 1 < len ? 2 : 1;
        }
        const char *value = raw ? s + content : js_decode(lx, content, p, true, &value_len);
        if (raw)
                value_len = p - content;
        uint32_t flags = TOKF_TEMPLATE | (raw ? TOKF_RAW : 0) | (closed || interp ? 0 : TOKF_UNTERMINATED);
        size_t end = closed ? p + 1 : p;
        int r = js_push_string(lx, flags, start, end - start, value, value_len);
        if (r < 0)
                return r;
        lx->i = end;
        lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        if (!interp) {
                lx->regex_ok = false;
                return 0;
        }
        lx->i = p + 2;
        lx->regex_ok = true;
        r = js_push(lx, TOK_PUNCT, TOKF_INTERP, p, 2, NULL, 0);
        return r < 0 ? r : frame_push(lx, FRAME_INTERP, raw);
}

/* Are the last significant tokens String . raw? Looked up only here, at a template's start, by
 * walking back over comments and line breaks: each of those is passed by at most three such
 * looks (every template is itself significant), so this stays linear. */
static bool after_string_raw(const struct js_lexer *lx) {
        static const struct {
                enum token_kind kind;
                const char *text;
        } want[3] = { { TOK_IDENT, "raw" }, { TOK_PUNCT, "." }, { TOK_IDENT, "String" } };
        const struct token_list *l = lx->out;
        size_t k = 0;
        for (size_t i = l->n; i-- > 0 && k < 3;) {
                const struct token *t = &l->v[i];
                if (t->kind == TOK_COMMENT || t->kind == TOK_NEWLINE)
                        continue;
                if (!token_is(l, t, want[k].kind, want[k].text))
                        return false;
                k++;
        }
        return k == 3;
}

static int lex_template(struct js_lexer *lx) {
        return lex_template_piece(lx, lx->i, lx->i + 1, after_string_raw(lx));
}

/* A regex literal at lx->i (a "/"): returns 1 if there was none on this line. */
static int lex_regex(struct js_lexer *lx) {
        const char *s = lx->s;
        size_t start = lx->i, p = start + 1, len = lx->len;
        bool in_class = false;
        for (;;) {
                if (p >= len || s[p] == '\n' || s[p] == '\r' || unicode_lt_len(s, len, p)) {
                        lx->no_regex_until = p;
                        return 1;
                }
                if (s[p] == '\\') {
                        p++;
                        if (p < len && s[p] != '\n' && s[p] != '\r' && !unicode_lt_len(s, len, p))
                                p++;
                        continue;
                }
                if (s[p] == '[')
                        in_class = true;
                else if (s[p] == ']')
                        in_class = false;
                else if (s[p] == '/' && !in_class)
                        break;
                p++;
        }
        size_t body = start + 1, body_len = p - body;
        p++;
        while (cc(s, len, p) & CC_ID)
                p++; /* flags */
        lx->i = p;
        lx->regex_ok = lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        return js_push_string(lx, TOKF_REGEX, start, p - start, s + body, body_len);
}

enum js_kw {
        KW_NONE,
        KW_EXPR,    /* an operand follows: typeof, case, in, new, delete, void, throw, ... */
        KW_RETURN,
        KW_AWAIT,
        KW_STMT,    /* else, do, try, finally: a statement follows */
        KW_PAREN,   /* if, while, with: "(" heads a statement */
        KW_FOR,
        KW_KEEP,    /* export, default: keep "statement start"; an operand may follow */
        KW_OF,      /* a keyword only directly in a for head */
        KW_ASYNC,   /* async, abstract, declare: keep "statement start" for a following declaration */
        KW_DECL,    /* function, class */
        KW_TS_DECL, /* TS interface, enum, namespace: a declaration with a block body at statement start */
};

/* Keywords that matter for regex-vs-division and for braces (every identifier comes here). */
static enum js_kw js_keyword(const char *t, size_t n) {
#define IS(word) (n == sizeof(word) - 1 && memcmp(t, word, sizeof(word) - 1) == 0)
        switch (t[0]) {
        case 'a': return IS("await") ? KW_AWAIT : IS("async") || IS("abstract") ? KW_ASYNC : KW_NONE;
        case 'c': return IS("case") ? KW_EXPR : IS("class") ? KW_DECL : KW_NONE;
        case 'd': return IS("delete") ? KW_EXPR : IS("do") ? KW_STMT : IS("default") ? KW_KEEP :
                         IS("declare") ? KW_ASYNC : KW_NONE;
        case 'e': return IS("else") ? KW_STMT : IS("export") ? KW_KEEP : IS("enum") ? KW_TS_DECL : KW_NONE;
        case 'f': return IS("finally") ? KW_STMT : IS("for") ? KW_FOR : IS("function") ? KW_DECL : KW_NONE;
        case 'i': return IS("in") || IS("instanceof") ? KW_EXPR : IS("if") ? KW_PAREN :
                         IS("interface") ? KW_TS_DECL : KW_NONE;
        case 'n': return IS("new") ? KW_EXPR : IS("namespace") ? KW_TS_DECL : KW_NONE;
        case 'o': return IS("of") ? KW_OF : KW_NONE;
        case 'r': return IS("return") ? KW_RETURN : KW_NONE;
        case 't': return IS("typeof") || IS("throw") ? KW_EXPR : IS("try") ? KW_STMT : KW_NONE;
        case 'v': return IS("void") ? KW_EXPR : KW_NONE;
        case 'w': return IS("while") || IS("with") ? KW_PAREN : KW_NONE;
        case 'y': return IS("yield") ? KW_EXPR : KW_NONE;
        default: return KW_NONE;
        }
#undef IS
}

static int lex_ident(struct js_lexer *lx) {
        size_t start = lx->i;
        size_t end = scan_ident(lx->s, lx->len, lx->s[start] == '#' ? start + 1 : start);
        enum js_kw kw = lx->prev == PREV_DOT || lx->s[start] == '#' ? KW_NONE : js_keyword(lx->s + start, end - start);
        bool stmt = at_statement_start(lx), was_for = lx->prev == PREV_FOR;

        lx->i = end;
        lx->regex_ok = lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        switch (kw) {
        case KW_NONE:
                break;
        case KW_EXPR:
                lx->regex_ok = true;
                break;
        case KW_RETURN:
                lx->regex_ok = true;
                lx->prev = PREV_RETURN;
                break;
        case KW_AWAIT:
                lx->regex_ok = true;
                lx->prev = was_for ? PREV_FOR : PREV_OTHER;
                break;
        case KW_STMT:
                lx->regex_ok = lx->stmt_start = true;
                break;
        case KW_PAREN:
                lx->prev = PREV_STAT_KW;
                break;
        case KW_FOR:
                lx->prev = PREV_FOR;
                break;
        case KW_KEEP:
                lx->regex_ok = true;
                lx->stmt_start = stmt;
                break;
        case KW_ASYNC:
                lx->stmt_start = stmt;
                break;
        case KW_OF:
                lx->regex_ok = lx->stack[lx->depth].for_head;
                break;
        case KW_DECL:
                lx->stack[lx->depth].fn_pending = stmt ? FN_DECL : FN_EXPR;
                break;
        case KW_TS_DECL:
                if (stmt)
                        lx->stack[lx->depth].fn_pending = FN_DECL;
                break;
        }
        return js_push_sig(lx, TOK_IDENT, start, end - start);
}

static int lex_open_brace(struct js_lexer *lx) {
        struct js_frame *top = &lx->stack[lx->depth];
        enum js_frame_kind kind;
        if (top->fn_pending != FN_NONE)
                kind = top->fn_pending == FN_DECL ? FRAME_BLOCK : FRAME_FUNC_EXPR;
        else if (at_statement_start(lx) || lx->prev == PREV_RPAREN || lx->prev == PREV_ARROW ||
                 (lx->prev == PREV_RETURN && lx->newline))
                kind = FRAME_BLOCK;
        else
                kind = FRAME_OBJECT;
        top->fn_pending = FN_NONE;
        int r = js_push(lx, TOK_PUNCT, 0, lx->i, 1, NULL, 0);
        if (r < 0)
                return r;
        lx->i++;
        lx->regex_ok = true;
        lx->stmt_start = kind != FRAME_OBJECT;
        lx->prev = PREV_OTHER;
        return frame_push(lx, kind, false);
}

static int lex_close_brace(struct js_lexer *lx) {
        size_t at = lx->i;
        uint8_t kind = FRAME_BASE; /* a stray "}" */
        bool raw = false;
        /* Unclosed ( and [ inside the braces are dropped: the braces decide where a template's
         * interpolation ends, as in the JS grammar. */
        while (lx->n_braces > 0) {
                raw = lx->stack[lx->depth].raw;
                kind = frame_pop(lx);
                if (frame_is_brace(kind))
                        break;
        }
        lx->i = at + 1;
        if (kind == FRAME_INTERP) {
                int r = js_push(lx, TOK_PUNCT, TOKF_INTERP, at, 1, NULL, 0);
                return r < 0 ? r : lex_template_piece(lx, at + 1, at + 1, raw);
        }
        lx->regex_ok = lx->stmt_start = kind == FRAME_BLOCK;
        lx->prev = PREV_OTHER;
        return js_push(lx, TOK_PUNCT, 0, at, 1, NULL, 0);
}

static int lex_punct(struct js_lexer *lx) {
        size_t at = lx->i, n = punct_len(lx->s + at, lx->len - at);
        struct js_frame *top = &lx->stack[lx->depth];
        enum js_frame_kind open = FRAME_BASE;
        bool stat_paren = lx->prev == PREV_STAT_KW || lx->prev == PREV_FOR, for_head = lx->prev == PREV_FOR;

        lx->i += n;
        lx->regex_ok = true;
        lx->stmt_start = false;
        lx->prev = PREV_OTHER;
        if (n == 2 && lx->s[at] == lx->s[at + 1] && (lx->s[at] == '+' || lx->s[at] == '-'))
                lx->regex_ok = false; /* `a++ / 2`: a regex cannot follow a postfix ++ */
        else if (n == 2 && lx->s[at] == '=' && lx->s[at + 1] == '>')
                lx->prev = PREV_ARROW;
        else if (n == 2 && lx->s[at] == '?' && lx->s[at + 1] == '.')
                lx->prev = PREV_DOT;
        else if (n == 1)
                switch (lx->s[at]) {
                case '.':
                        lx->prev = PREV_DOT;
                        break;
                case '(':
                        open = stat_paren ? FRAME_PAREN_STAT : FRAME_PAREN;
                        break;
                case '[':
                        open = FRAME_BRACKET;
                        break;
                case ')':
                        if (top->kind == FRAME_PAREN || top->kind == FRAME_PAREN_STAT)
                                lx->regex_ok = lx->stmt_start = frame_pop(lx) == FRAME_PAREN_STAT;
                        else
                                lx->regex_ok = false;
                        lx->prev = PREV_RPAREN;
                        break;
                case ']':
                        if (top->kind == FRAME_BRACKET)
                                (void) frame_pop(lx);
                        lx->regex_ok = false;
                        break;
                case ';':
                        top->fn_pending = FN_NONE;
                        top->ternary = 0;
                        lx->stmt_start = true;
                        break;
                case '?':
                        if (top->ternary < UINT32_MAX)
                                top->ternary++;
                        break;
                case ':':
                        if (top->ternary > 0)
                                top->ternary--;
                        else /* a label, case or default: a statement follows */
                                lx->stmt_start = top->kind == FRAME_BASE || top->kind == FRAME_BLOCK ||
                                                 top->kind == FRAME_FUNC_EXPR;
                        break;
                default:
                        break;
                }
        int r = js_push_sig(lx, TOK_PUNCT, at, n);
        if (r < 0 || open == FRAME_BASE)
                return r;
        r = frame_push(lx, open, false);
        if (r >= 0)
                lx->stack[lx->depth].for_head = open == FRAME_PAREN_STAT && for_head;
        return r;
}

static int lex_slash(struct js_lexer *lx) {
        unsigned char next = byte_at(lx->s, lx->len, lx->i + 1);
        if (next == '/')
                return lex_line_comment(lx);
        if (next == '*')
                return lex_block_comment(lx);
        if (lx->regex_ok && lx->i >= lx->no_regex_until) {
                int r = lex_regex(lx);
                if (r <= 0)
                        return r;
        }
        return lex_punct(lx);
}

static int lex_token(struct js_lexer *lx) {
        const char *s = lx->s;
        size_t i = lx->i, len = lx->len, n;
        unsigned char c = (unsigned char) s[i];

        if (js_cc[c] & CC_IDSTART)
                return lex_ident(lx);
        switch (c) {
        case '\n':
                return lex_newline(lx, 1);
        case '\r':
                return lex_newline(lx, byte_at(s, len, i + 1) == '\n' ? 2 : 1);
        case '"':
        case '\'':
                return lex_string(lx);
        case '`':
                return lex_template(lx);
        case '{':
                return lex_open_brace(lx);
        case '}':
                return lex_close_brace(lx);
        case '/':
                return lex_slash(lx);
        case '0' ... '9':
                return lex_number(lx);
        case '.':
                return cc(s, len, i + 1) & CC_DIGIT ? lex_number(lx) : lex_punct(lx);
        case '#':
                return ident_start_at(s, len, i + 1) ? lex_ident(lx) : lex_punct(lx);
        default:
                break;
        }
        if (c < 0x80 && c != '\\')
                return lex_punct(lx); /* ASCII names and digits were dispatched above */
        if (c >= 0x80) {
                if ((n = unicode_lt_len(s, len, i)))
                        return lex_newline(lx, n);
                if ((n = unicode_space_len(s, len, i))) {
                        lx->i += n;
                        return 0;
                }
        }
        if (ident_start_at(s, len, i))
                return lex_ident(lx);
        return lex_punct(lx);
}

int lex_js(const char *src, size_t len, struct token_list *out, struct error *err) {
        out->src = src;
        out->src_len = len;
        if (len > TOKEN_MAX_SOURCE)
                return error_set(err, -E2BIG, "lex_js: %zu bytes of source, more than the %u allowed",
                                 len, TOKEN_MAX_SOURCE);

        struct js_lexer lx = {
                .s = src, .len = len, .out = out, .err = err,
                .regex_ok = true, .stmt_start = true,
        };
        int r = 0;
        if (len >= 2 && src[0] == '#' && src[1] == '!')
                r = lex_line_comment(&lx); /* hashbang */
        while (r >= 0) {
                size_t i = lx.i;
                while (i < len && (js_cc[(unsigned char) src[i]] & CC_SPACE))
                        i++; /* a run of blanks in one go */
                if (i >= len)
                        break;
                lx.i = i;
                r = lex_token(&lx);
        }
        free(lx.scratch);
        if (r < 0)
                return r;
        /* Flag the "${" of interpolations the input never closed. */
        for (size_t d = 1; d <= lx.depth; d++)
                if (lx.stack[d].kind == FRAME_INTERP)
                        out->v[lx.stack[d].tok].flags |= TOKF_UNTERMINATED;
        r = token_list_index_lines(out);
        return r < 0 ? error_set(err, r, "lex_js: out of memory") : 0;
}
