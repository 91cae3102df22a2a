/* Python tokenizer for the scanner's rules (token.h): string tokens carry their decoded value and
 * the code inside f-string replacement fields comes out as ordinary tokens, so a rule sees
 * exec(base64.b64decode(...)) or getattr(os, "sys" "tem") however it is spelled.
 *
 * Follows the CPython 3.12 tokenizer (PEP 701: any quote and any nesting inside replacement
 * fields; 3.14 t-strings are lexed like f-strings, their fields are evaluated the same way), minus
 * INDENT/DEDENT. Nesting (brackets, f-strings, replacement fields, format specs) lives on an
 * explicit stack capped at TOKEN_MAX_NESTING, so hostile input costs linear time and fixed stack.
 *
 * Identifiers are compared as bytes: CPython NFKC-normalizes them (exec in fullwidth letters is exec)
 * and we do not, so rules must treat a non-ASCII identifier as suspicious in itself. Likewise a coding
 * cookie ("# coding: unicode_escape") makes CPython decode the file before tokenizing, which can
 * turn what we lex as a comment into code: that cookie is visible here only as a TOK_COMMENT. */
#include "token.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error.h"
#include "../base/utf8.h"

enum frame_kind {
        FRAME_BRACKET, /* ( [ { in code: line ends inside are not NEWLINEs */
        FRAME_FSTRING, /* the literal text of an f-string */
        FRAME_INTERP,  /* the expression of a replacement field {...}: code */
        FRAME_SPEC,    /* the format spec after ':' in a replacement field: text, may hold {...} */
};

struct frame {
        uint8_t kind;
        char quote;     /* FSTRING: ' or " */
        bool triple;    /* FSTRING */
        bool raw;       /* FSTRING */
        bool started;   /* FSTRING: its first piece (with prefix and opening quote) is out */
        uint16_t owner; /* FSTRING, INTERP, SPEC: stack index of the f-string they belong to */
        size_t start;   /* FSTRING: offset of the prefix */
};

struct lexer {
        const char *s;
        size_t len, i;
        struct token_list *out;
        struct error *err;
        bool line_has_code; /* a token since the last NEWLINE: the next line end is a NEWLINE */
        size_t n_interp;    /* INTERP frames on the stack: tokens get TOKF_INTERP */
        size_t depth;
        struct frame stack[TOKEN_MAX_NESTING];
        char *buf; /* the value of the string being decoded */
        size_t buf_n, buf_cap;
};

static bool is_digit(unsigned char c) {
        return (unsigned) (c - '0') < 10;
}

static bool is_hex(unsigned char c) {
        return is_digit(c) || (unsigned) ((c | 0x20) - 'a') < 6;
}

/* Byte classes, one table lookup on the hot paths (identifiers, blank runs, string bodies). */
enum {
        CC_IDENT = 1 << 0, /* continues an identifier: letters, digits, '_', any byte >= 0x80 */
        CC_START = 1 << 1, /* starts one: the same without digits */
        CC_BLANK = 1 << 2, /* ' ', '\t', '\f' */
        CC_STOP = 1 << 3,  /* ends a plain run of string text: quotes, '\\', line ends */
        CC_BRACE = 1 << 4, /* ... of f-string text also: '{', '}' */
};

#define CC_LETTER (CC_IDENT | CC_START)
#define CC_ROW16(c) c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c
static const uint8_t CC[256] = {
        ['\t'] = CC_BLANK, ['\f'] = CC_BLANK, [' '] = CC_BLANK,
        ['\n'] = CC_STOP, ['\r'] = CC_STOP, ['\''] = CC_STOP, ['"'] = CC_STOP, ['\\'] = CC_STOP,
        ['{'] = CC_BRACE, ['}'] = CC_BRACE,
        ['0'] = CC_IDENT, ['1'] = CC_IDENT, ['2'] = CC_IDENT, ['3'] = CC_IDENT, ['4'] = CC_IDENT,
        ['5'] = CC_IDENT, ['6'] = CC_IDENT, ['7'] = CC_IDENT, ['8'] = CC_IDENT, ['9'] = CC_IDENT,
        ['_'] = CC_LETTER,
        ['A'] = CC_LETTER, ['B'] = CC_LETTER, ['C'] = CC_LETTER, ['D'] = CC_LETTER, ['E'] = CC_LETTER,
        ['F'] = CC_LETTER, ['G'] = CC_LETTER, ['H'] = CC_LETTER, ['I'] = CC_LETTER, ['J'] = CC_LETTER,
        ['K'] = CC_LETTER, ['L'] = CC_LETTER, ['M'] = CC_LETTER, ['N'] = CC_LETTER, ['O'] = CC_LETTER,
        ['P'] = CC_LETTER, ['Q'] = CC_LETTER, ['R'] = CC_LETTER, ['S'] = CC_LETTER, ['T'] = CC_LETTER,
        ['U'] = CC_LETTER, ['V'] = CC_LETTER, ['W'] = CC_LETTER, ['X'] = CC_LETTER, ['Y'] = CC_LETTER,
        ['Z'] = CC_LETTER,
        ['a'] = CC_LETTER, ['b'] = CC_LETTER, ['c'] = CC_LETTER, ['d'] = CC_LETTER, ['e'] = CC_LETTER,
        ['f'] = CC_LETTER, ['g'] = CC_LETTER, ['h'] = CC_LETTER, ['i'] = CC_LETTER, ['j'] = CC_LETTER,
        ['k'] = CC_LETTER, ['l'] = CC_LETTER, ['m'] = CC_LETTER, ['n'] = CC_LETTER, ['o'] = CC_LETTER,
        ['p'] = CC_LETTER, ['q'] = CC_LETTER, ['r'] = CC_LETTER, ['s'] = CC_LETTER, ['t'] = CC_LETTER,
        ['u'] = CC_LETTER, ['v'] = CC_LETTER, ['w'] = CC_LETTER, ['x'] = CC_LETTER, ['y'] = CC_LETTER,
        ['z'] = CC_LETTER,
        [0x80] = CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER),
        CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER), CC_ROW16(CC_LETTER),
};

/* Any byte >= 0x80 counts, so UTF-8 identifiers (and invalid UTF-8) stay one token. */
static bool is_ident_start(unsigned char c) {
        return CC[c] & CC_START;
}

static bool is_ident_char(unsigned char c) {
        return CC[c] & CC_IDENT;
}

static unsigned char at(const struct lexer *lx, size_t i) {
        return i < lx->len ? (unsigned char) lx->s[i] : 0;
}

/* Length of the line end at i: "\r\n" is 2, "\n" or a lone "\r" is 1, anything else 0. */
static size_t eol_len(const struct lexer *lx, size_t i) {
        unsigned char c = at(lx, i);
        if (c == '\n')
                return 1;
        if (c == '\r')
                return at(lx, i + 1) == '\n' ? 2 : 1;
        return 0;
}

/* Inline: called once per token. */
static inline __attribute__((always_inline)) int emit(struct lexer *lx, enum token_kind kind, uint32_t flags,
                                                      size_t offset, size_t n, char *value, size_t value_len) {
        if (lx->n_interp > 0)
                flags |= TOKF_INTERP;
        if (kind != TOK_COMMENT)
                lx->line_has_code = kind != TOK_NEWLINE;
        int r = token_push(lx->out, kind, flags, offset, n, value, value_len);
        if (r == -E2BIG)
                return error_set(lx->err, r, "python: more than %u tokens", TOKEN_MAX_TOKENS);
        if (r < 0)
                return error_set(lx->err, r, "python: out of memory for tokens");
        return 0;
}

static int buf_put(struct lexer *lx, unsigned char c) {
        if (lx->buf_n == lx->buf_cap) {
                /* The decoded value is never longer than the source, so this stays below 2 * len. */
                size_t cap = lx->buf_cap ? lx->buf_cap * 2 : 256;
                char *grown = realloc(lx->buf, cap);
                if (!grown)
                        return error_set(lx->err, -ENOMEM, "python: out of memory for a string");
                lx->buf = grown;
                lx->buf_cap = cap;
        }
        lx->buf[lx->buf_n++] = (char) c;
        return 0;
}

/* n plain bytes at once (a string's text between escapes). */
static int buf_append(struct lexer *lx, const char *p, size_t n) {
        if (lx->buf_cap - lx->buf_n < n) {
                size_t cap = lx->buf_cap ? lx->buf_cap : 256;
                while (cap - lx->buf_n < n)
                        cap *= 2; /* below 2 * (len + 256): the value is never longer than the source */
                char *grown = realloc(lx->buf, cap);
                if (!grown)
                        return error_set(lx->err, -ENOMEM, "python: out of memory for a string");
                lx->buf = grown;
                lx->buf_cap = cap;
        }
        memcpy(lx->buf + lx->buf_n, p, n);
        lx->buf_n += n;
        return 0;
}

/* The end of the run of bytes from i on that are taken as they are: none of the classes in stop,
 * and not the quote (which may close the string). */
static size_t plain_run(const struct lexer *lx, size_t i, char quote, uint8_t stop) {
        const unsigned char *s = (const unsigned char *) lx->s;
        while (i < lx->len && !(CC[s[i]] & stop) && s[i] != (unsigned char) quote)
                i++;
        return i;
}

/* Code points up to 0x10ffff; surrogates are encoded like any other (Python str allows them). */
static int buf_put_utf8(struct lexer *lx, uint32_t cp) {
        char u[4];
        size_t n = utf8_encode(cp, u);
        for (size_t k = 0; k < n; k++) {
                int r = buf_put(lx, (unsigned char) u[k]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int buf_put_n(struct lexer *lx, const char *p, size_t n) {
        for (size_t k = 0; k < n; k++) {
                int r = buf_put(lx, (unsigned char) p[k]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The buffer becomes the value of a TOK_STRING at [offset, offset + n), copied into the token
 * list's arena (no malloc per string). */
static int emit_string(struct lexer *lx, uint32_t flags, size_t offset, size_t n) {
        size_t vn = lx->buf_n;
        lx->buf_n = 0;
        if (lx->n_interp > 0)
                flags |= TOKF_INTERP;
        lx->line_has_code = true;
        int r = token_push_copy(lx->out, TOK_STRING, flags, offset, n, lx->buf, vn);
        if (r == -E2BIG)
                return error_set(lx->err, r, "python: more than %u tokens", TOKEN_MAX_TOKENS);
        if (r < 0)
                return error_set(lx->err, r, "python: out of memory for a string");
        return 0;
}

static int push_frame(struct lexer *lx, struct frame f) {
        if (lx->depth >= TOKEN_MAX_NESTING)
                return error_set(lx->err, -E2BIG, "python: more than %d brackets or f-string fields open at once",
                                 TOKEN_MAX_NESTING);
        lx->stack[lx->depth++] = f;
        if (f.kind == FRAME_INTERP)
                lx->n_interp++;
        return 0;
}

static void pop_frame(struct lexer *lx) {
        if (lx->stack[--lx->depth].kind == FRAME_INTERP)
                lx->n_interp--;
}

/* Fixed-width hex digits at i (\xHH, \uXXXX, \UXXXXXXXX); false when fewer are there. */
static bool hex_value(const struct lexer *lx, size_t i, size_t n, uint32_t *ret) {
        uint32_t v = 0;
        for (size_t k = 0; k < n; k++) {
                unsigned char c = at(lx, i + k);
                if (!is_hex(c))
                        return false;
                v = v * 16 + (uint32_t) (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        *ret = v;
        return true;
}

/* The backslash sequence at *io (s[*io] == '\\') into the buffer, *io moved past it. Anything
 * CPython rejects or merely warns about is kept as written, so nothing is silently lost. */
static int decode_escape(struct lexer *lx, size_t *io, bool raw, bool bytes, bool fstring) {
        size_t i = *io;
        unsigned char c = at(lx, i + 1);
        size_t eol = eol_len(lx, i + 1);
        uint32_t v;
        int r;

        if (i + 1 >= lx->len || (fstring && (c == '{' || c == '}'))) {
                /* A backslash at the end of input, or "\{" (a backslash, then a replacement field). */
                *io = i + 1;
                return buf_put(lx, '\\');
        }
        if (eol > 0) {
                /* Backslash-newline: removed, but kept (as "\\\n") in a raw string. */
                *io = i + 1 + eol;
                if (!raw)
                        return 0;
                r = buf_put(lx, '\\');
                return r < 0 ? r : buf_put(lx, '\n');
        }
        *io = i + 2;
        if (raw)
                goto verbatim; /* still skips the escaped quote: r"\"" is one string */

        switch (c) {
        case '\\': case '\'': case '"':
                return buf_put(lx, c);
        case 'a': return buf_put(lx, '\a');
        case 'b': return buf_put(lx, '\b');
        case 'f': return buf_put(lx, '\f');
        case 'n': return buf_put(lx, '\n');
        case 'r': return buf_put(lx, '\r');
        case 't': return buf_put(lx, '\t');
        case 'v': return buf_put(lx, '\v');
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                v = c - '0';
                for (int k = 0; k < 2 && (unsigned) (at(lx, *io) - '0') < 8; k++)
                        v = v * 8 + (at(lx, (*io)++) - '0');
                /* bytes b"\777" wraps like CPython's */
                return bytes ? buf_put(lx, (unsigned char) v) : buf_put_utf8(lx, v);
        case 'x':
                if (!hex_value(lx, *io, 2, &v))
                        break;
                *io += 2;
                return bytes ? buf_put(lx, (unsigned char) v) : buf_put_utf8(lx, v);
        case 'u':
        case 'U': {
                size_t n = c == 'u' ? 4 : 8;
                if (bytes || !hex_value(lx, *io, n, &v) || v > 0x10ffff)
                        break;
                *io += n;
                return buf_put_utf8(lx, v);
        }
        case 'N': {
                /* \N{NAME} is kept verbatim; in an f-string its braces are not a field. */
                if (bytes || !fstring || at(lx, *io) != '{')
                        break;
                size_t j = *io + 1;
                while (at(lx, j) < 0x80 && (is_ident_char(at(lx, j)) || at(lx, j) == ' ' || at(lx, j) == '-'))
                        j++;
                if (at(lx, j) == '}')
                        j++;
                r = buf_put_n(lx, lx->s + i, j - i);
                *io = j;
                return r;
        }
        default:
                break;
        }
verbatim:
        r = buf_put(lx, '\\');
        return r < 0 ? r : buf_put(lx, c);
}

/* Whether a closing quote starts at i: 1 or 3 bytes long, 0 when not. */
static size_t closing_quote(const struct lexer *lx, size_t i, char quote, bool triple) {
        if (at(lx, i) != (unsigned char) quote)
                return 0;
        if (!triple)
                return 1;
        return at(lx, i + 1) == (unsigned char) quote && at(lx, i + 2) == (unsigned char) quote ? 3 : 0;
}

/* A string literal other than an f-string: from start (its prefix) to the closing quote. */
static int lex_string(struct lexer *lx, size_t start, size_t quote_at, bool raw, bool bytes) {
        char quote = lx->s[quote_at];
        bool triple = at(lx, quote_at + 1) == (unsigned char) quote && at(lx, quote_at + 2) == (unsigned char) quote;
        uint32_t flags = (raw ? TOKF_RAW : 0) | (bytes ? TOKF_BYTES : 0);
        size_t i = quote_at + (triple ? 3 : 1), end;
        int r = 0;

        lx->buf_n = 0;
        for (;;) {
                size_t j = plain_run(lx, i, quote, CC_STOP);
                if (j > i) {
                        r = buf_append(lx, lx->s + i, j - i);
                        if (r < 0)
                                return r;
                        i = j;
                }
                if (i >= lx->len) {
                        flags |= TOKF_UNTERMINATED;
                        end = lx->len;
                        break;
                }
                size_t q = closing_quote(lx, i, quote, triple);
                if (q > 0) {
                        end = i + q;
                        break;
                }
                unsigned char c = (unsigned char) lx->s[i];
                if (c == '\\')
                        r = decode_escape(lx, &i, raw, bytes, false);
                else if (c == '\n' || c == '\r') {
                        if (!triple) {
                                flags |= TOKF_UNTERMINATED;
                                end = i;
                                break;
                        }
                        /* CPython reads "\r\n" and "\r" as "\n" before tokenizing */
                        i += eol_len(lx, i);
                        r = buf_put(lx, '\n');
                } else {
                        i++;
                        r = buf_put(lx, c);
                }
                if (r < 0)
                        return r;
        }
        lx->i = end;
        return emit_string(lx, flags, start, end - start);
}

/* The text of the f-string on top of the stack (or of a format spec): one constant piece up to
 * the next replacement field, the closing quote or the end of the line/input. The first piece
 * of an f-string always comes out (its raw text starts with the prefix) and the last one holds
 * the closing quote or has TOKF_UNTERMINATED, so rules can find where an f-string starts and
 * ends; empty pieces in between are left out. */
static int lex_fstring_text(struct lexer *lx) {
        struct frame *top = &lx->stack[lx->depth - 1];
        size_t owner = top->owner;
        struct frame *fs = &lx->stack[owner];
        bool spec = top->kind == FRAME_SPEC;
        size_t i = lx->i, start = fs->started ? i : fs->start, end;
        uint32_t flags = TOKF_FSTRING | (fs->raw ? TOKF_RAW : 0);
        enum { END_QUOTE, END_LINE, END_OPEN, END_CLOSE } why;
        int r = 0;

        lx->buf_n = 0;
        for (;;) {
                size_t j = plain_run(lx, i, fs->quote, CC_STOP | CC_BRACE);
                if (j > i) {
                        r = buf_append(lx, lx->s + i, j - i);
                        if (r < 0)
                                return r;
                        i = j;
                }
                if (i >= lx->len) {
                        why = END_LINE;
                        end = lx->len;
                        break;
                }
                size_t q = closing_quote(lx, i, fs->quote, fs->triple);
                if (q > 0) {
                        why = END_QUOTE;
                        end = i + q;
                        break;
                }
                unsigned char c = (unsigned char) lx->s[i];
                if (c == '{') {
                        if (spec || at(lx, i + 1) != '{') {
                                why = END_OPEN;
                                end = i;
                                break;
                        }
                        i += 2;
                        r = buf_put(lx, '{');
                } else if (c == '}') {
                        if (spec) {
                                why = END_CLOSE;
                                end = i;
                                break;
                        }
                        /* "}}" is a brace; a lone "}" is a SyntaxError, kept as text */
                        i += at(lx, i + 1) == '}' ? 2 : 1;
                        r = buf_put(lx, '}');
                } else if (c == '\\')
                        r = decode_escape(lx, &i, fs->raw, false, true);
                else if (c == '\n' || c == '\r') {
                        if (!fs->triple) {
                                why = END_LINE;
                                end = i;
                                break;
                        }
                        i += eol_len(lx, i);
                        r = buf_put(lx, '\n');
                } else {
                        i++;
                        r = buf_put(lx, c);
                }
                if (r < 0)
                        return r;
        }

        if (why == END_LINE)
                flags |= TOKF_UNTERMINATED;
        if (end > start || why == END_LINE) {
                fs->started = true;
                r = emit_string(lx, flags, start, end - start);
                if (r < 0)
                        return r;
        }
        lx->i = end;
        switch (why) {
        case END_QUOTE:
        case END_LINE:
                /* A quote or line end inside a format spec also ends the f-string (CPython: error). */
                while (lx->depth > owner)
                        pop_frame(lx);
                return 0;
        case END_OPEN:
                r = push_frame(lx, (struct frame) { .kind = FRAME_INTERP, .owner = (uint16_t) owner });
                if (r < 0)
                        return r;
                lx->i = end + 1;
                return emit(lx, TOK_PUNCT, TOKF_INTERP, end, 1, NULL, 0);
        case END_CLOSE:
                lx->i = end + 1;
                r = emit(lx, TOK_PUNCT, TOKF_INTERP, end, 1, NULL, 0);
                pop_frame(lx); /* the spec */
                pop_frame(lx); /* its replacement field */
                return r;
        }
        return 0;
}

/* String prefixes: r u b f t, and br fr tr in either order, any case ("ur", "bf" are not). */
static bool string_prefix(const char *p, size_t n, bool *ret_raw, bool *ret_bytes, bool *ret_fmt) {
        bool raw = false, bytes = false, fmt = false;
        if (n == 0 || n > 2)
                return false;
        for (size_t k = 0; k < n; k++) {
                switch ((unsigned char) p[k] | 0x20) {
                case 'r':
                        if (raw)
                                return false;
                        raw = true;
                        break;
                case 'b':
                case 'f':
                case 't':
                        if (bytes || fmt)
                                return false;
                        bytes = ((unsigned char) p[k] | 0x20) == 'b';
                        fmt = !bytes;
                        break;
                case 'u':
                        if (n != 1)
                                return false;
                        break;
                default:
                        return false;
                }
        }
        *ret_raw = raw;
        *ret_bytes = bytes;
        *ret_fmt = fmt;
        return true;
}

/* A string literal whose prefix is [start, quote_at). */
static int lex_string_start(struct lexer *lx, size_t start, size_t quote_at, bool raw, bool bytes, bool fmt) {
        if (!fmt)
                return lex_string(lx, start, quote_at, raw, bytes);
        char quote = lx->s[quote_at];
        bool triple = at(lx, quote_at + 1) == (unsigned char) quote && at(lx, quote_at + 2) == (unsigned char) quote;
        int r = push_frame(lx, (struct frame) { .kind = FRAME_FSTRING, .quote = quote, .triple = triple,
                                                 .raw = raw, .owner = (uint16_t) lx->depth, .start = start });
        if (r < 0)
                return r;
        lx->i = quote_at + (triple ? 3 : 1);
        return 0;
}

/* Python's number grammar, leniently: digits with single "_" between them, a fraction, an
 * exponent, an imaginary "j"; 0x/0o/0b integers. Returns the end offset. */
static size_t scan_digits(const struct lexer *lx, size_t i, bool (*digit)(unsigned char)) {
        for (;;) {
                if (digit(at(lx, i)))
                        i++;
                else if (at(lx, i) == '_' && digit(at(lx, i + 1)))
                        i += 2;
                else
                        return i;
        }
}

static bool is_octal(unsigned char c) {
        return (unsigned) (c - '0') < 8;
}

static bool is_binary(unsigned char c) {
        return c == '0' || c == '1';
}

static size_t scan_number(const struct lexer *lx, size_t i) {
        unsigned char base = at(lx, i + 1) | 0x20;
        if (at(lx, i) == '0' && (base == 'x' || base == 'o' || base == 'b'))
                return scan_digits(lx, i + 2, base == 'x' ? is_hex : base == 'o' ? is_octal : is_binary);
        i = scan_digits(lx, i, is_digit);
        if (at(lx, i) == '.')
                i = scan_digits(lx, i + 1, is_digit);
        if ((at(lx, i) | 0x20) == 'e') {
                size_t j = i + 1;
                if (at(lx, j) == '+' || at(lx, j) == '-')
                        j++;
                if (is_digit(at(lx, j)))
                        i = scan_digits(lx, j, is_digit);
        }
        if ((at(lx, i) | 0x20) == 'j')
                i++;
        return i;
}

/* Longest-match operator at i; any other byte is a one-byte TOK_PUNCT. */
static size_t punct_len(const struct lexer *lx, size_t i) {
        unsigned char c = at(lx, i), c1 = at(lx, i + 1), c2 = at(lx, i + 2);
        switch (c) {
        case '*': case '/': case '<': case '>':
                if (c1 == c) /* ** // << >> and their augmented forms */
                        return c2 == '=' ? 3 : 2;
                return c1 == '=' ? 2 : 1;
        case '.':
                return c1 == '.' && c2 == '.' ? 3 : 1;
        case '-':
                return c1 == '>' || c1 == '=' ? 2 : 1;
        case ':': case '=': case '!': case '+': case '%': case '&': case '|': case '^': case '@':
                return c1 == '=' ? 2 : 1;
        default:
                return 1;
        }
}

/* One token (or a run of blanks) of code: top level, inside brackets or a replacement field. */
static int lex_code(struct lexer *lx) {
        const char *s = lx->s;
        size_t i = lx->i, n;
        unsigned char c = (unsigned char) s[i];
        bool raw, bytes, fmt;
        struct frame *top; /* the innermost frame, for the closers and ':' */
        int r;

        switch (c) {
        case ' ': case '\t': case '\f':
                do
                        i++;
                while (i < lx->len && (CC[(unsigned char) s[i]] & CC_BLANK));
                lx->i = i;
                /* blanks change no frame: go on with the token after them (not a blank: this
                 * recurses once) */
                return i < lx->len ? lex_code(lx) : 0;
        case '\n': case '\r':
                n = eol_len(lx, i);
                lx->i = i + n;
                /* Inside brackets or a replacement field lines are joined; blank and comment-only
                 * lines end nothing. */
                if (lx->depth > 0 || !lx->line_has_code)
                        return 0;
                return emit(lx, TOK_NEWLINE, 0, i, n, NULL, 0);
        case '#':
                n = i + 1;
                while (n < lx->len && s[n] != '\n' && s[n] != '\r')
                        n++;
                lx->i = n;
                return emit(lx, TOK_COMMENT, 0, i, n - i, NULL, 0);
        case '\\':
                n = eol_len(lx, i + 1);
                if (n > 0) {
                        lx->i = i + 1 + n; /* explicit line joining */
                        return 0;
                }
                break;
        case '\'': case '"':
                return lex_string(lx, i, i, false, false);
        case '(': case '[': case '{':
                r = push_frame(lx, (struct frame) { .kind = FRAME_BRACKET });
                if (r < 0)
                        return r;
                break;
        case ')': case ']':
                top = lx->depth > 0 ? &lx->stack[lx->depth - 1] : NULL;
                if (top && top->kind == FRAME_BRACKET) /* a mismatched closer closes too: recover */
                        pop_frame(lx);
                break;
        case '}':
                top = lx->depth > 0 ? &lx->stack[lx->depth - 1] : NULL;
                if (top && top->kind == FRAME_INTERP) {
                        lx->i = i + 1;
                        r = emit(lx, TOK_PUNCT, TOKF_INTERP, i, 1, NULL, 0);
                        pop_frame(lx);
                        return r;
                }
                if (top && top->kind == FRAME_BRACKET)
                        pop_frame(lx);
                break;
        case ':':
                top = lx->depth > 0 ? &lx->stack[lx->depth - 1] : NULL;
                /* At the top of a replacement field ':' starts the format spec (even before '=':
                 * f"{x:=5}" is x formatted with "=5"). */
                if (top && top->kind == FRAME_INTERP) {
                        r = push_frame(lx, (struct frame) { .kind = FRAME_SPEC, .owner = top->owner });
                        if (r < 0)
                                return r;
                        lx->i = i + 1;
                        return emit(lx, TOK_PUNCT, 0, i, 1, NULL, 0);
                }
                break;
        default:
                if (is_digit(c) || (c == '.' && is_digit(at(lx, i + 1)))) {
                        n = scan_number(lx, i);
                        lx->i = n;
                        return emit(lx, TOK_NUMBER, 0, i, n - i, NULL, 0);
                }
                if (is_ident_start(c)) {
                        n = i + 1;
                        while (n < lx->len && is_ident_char((unsigned char) s[n]))
                                n++;
                        if ((at(lx, n) == '\'' || at(lx, n) == '"') && string_prefix(s + i, n - i, &raw, &bytes, &fmt))
                                return lex_string_start(lx, i, n, raw, bytes, fmt);
                        lx->i = n;
                        return emit(lx, TOK_IDENT, 0, i, n - i, NULL, 0);
                }
                break;
        }
        n = punct_len(lx, i);
        lx->i = i + n;
        return emit(lx, TOK_PUNCT, 0, i, n, NULL, 0);
}

static int lex_all(struct lexer *lx) {
        /* CPython skips a UTF-8 byte order mark; as identifier bytes it would hide "import". */
        if (lx->len >= 3 && memcmp(lx->s, "\xef\xbb\xbf", 3) == 0)
                lx->i = 3;
        for (;;) {
                int r;
                if (lx->i >= lx->len) {
                        if (lx->depth == 0)
                                return 0;
                        uint8_t kind = lx->stack[lx->depth - 1].kind;
                        if (kind == FRAME_BRACKET || kind == FRAME_INTERP) {
                                pop_frame(lx);
                                continue;
                        }
                        /* an f-string still open: its text ends here, unterminated */
                }
                uint8_t kind = lx->depth > 0 ? lx->stack[lx->depth - 1].kind : FRAME_BRACKET;
                if (kind == FRAME_FSTRING || kind == FRAME_SPEC)
                        r = lex_fstring_text(lx);
                else
                        r = lex_code(lx);
                if (r < 0)
                        return r;
        }
}

int lex_python(const char *src, size_t len, struct token_list *out, struct error *err) {
        out->src = src;
        out->src_len = len;
        if (len > TOKEN_MAX_SOURCE)
                return error_set(err, -E2BIG, "python: source of %zu bytes is larger than %u", len, TOKEN_MAX_SOURCE);

        size_t n0 = out->n;
        struct lexer lx = { .s = src, .len = len, .out = out, .err = err };
        int r = lex_all(&lx);
        free(lx.buf);
        if (r >= 0 && (r = token_list_index_lines(out)) < 0)
                error_set(err, r, "python: out of memory");
        if (r < 0) {
                /* nothing half-done is handed out */
                token_list_truncate(out, n0);
        }
        return r;
}
