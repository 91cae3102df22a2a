/* argparse -> JSON Schema: the add_argument() calls of a Python script, read from the scanner's
 * tokens without running anything. Only what is written as a constant counts: an option name,
 * type, action, nargs, choices, default, help, dest or required that is computed is skipped (a
 * call whose names are computed is skipped whole). Two passes: first the names bound to
 * argparse (imports, aliases) and to parsers (x = argparse.ArgumentParser(...), its argument
 * groups), then every <parser>.add_argument(...). Linear in the tokens: a call's arguments are
 * walked once and nested calls inside them are not looked at again. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/utf8.h"
#include "input_schema.h"
#include "token.h"

#define NAME_LEN_MAX 128   /* a dotted name ("self.parser") */
#define ALIASES_MAX 16     /* names of the argparse module, of ArgumentParser, ... */
#define PARSERS_MAX 32     /* names bound to a parser or one of its argument groups */
#define CALL_ARGS_MAX 32   /* arguments of one add_argument() call looked at */
#define OPTION_NAMES_MAX 8 /* "-v", "--verbose", ... of one argument */
#define PAREN_STRIP_MAX 8  /* ((("text"))) */

struct names {
        char v[ALIASES_MAX > PARSERS_MAX ? ALIASES_MAX : PARSERS_MAX][NAME_LEN_MAX];
        size_t n, max;
};

struct span {
        size_t a, b; /* significant tokens [a, b) */
};

struct ctx {
        const struct token_list *l;
        const struct token **t; /* the tokens without comments */
        size_t n;
        struct names modules, classes, boolopt, parsers;
        size_t ctor_calls;
        json_t *description; /* the first parser's literal description */
        json_t *props, *required;
        bool oom;
};

/* ---- tokens ---------------------------------------------------------------------------------- */

static bool is_punct(const struct ctx *c, size_t i, const char *p) {
        return i < c->n && token_is(c->l, c->t[i], TOK_PUNCT, p);
}

static bool is_ident(const struct ctx *c, size_t i) {
        return i < c->n && c->t[i]->kind == TOK_IDENT;
}

static bool ident_is(const struct ctx *c, size_t i, const char *name) {
        return i < c->n && token_is(c->l, c->t[i], TOK_IDENT, name);
}

/* The character of a one-byte punctuation token, else 0 (the bracket tests run on every token
 * of a call). */
static char punct1(const struct ctx *c, size_t i) {
        if (i >= c->n || c->t[i]->kind != TOK_PUNCT || c->t[i]->len != 1)
                return 0;
        return token_text(c->l, c->t[i])[0];
}

static bool is_open(const struct ctx *c, size_t i) {
        char ch = punct1(c, i);
        return ch == '(' || ch == '[' || ch == '{';
}

static bool is_close(const struct ctx *c, size_t i) {
        char ch = punct1(c, i);
        return ch == ')' || ch == ']' || ch == '}';
}

/* Append identifier i to a dotted name being built; false when it would not fit. */
static bool name_append(const struct ctx *c, size_t i, char buf[NAME_LEN_MAX], size_t *len) {
        size_t k = c->t[i]->len, dot = *len > 0;
        if (*len + dot + k >= NAME_LEN_MAX)
                return false;
        if (dot)
                buf[(*len)++] = '.';
        memcpy(buf + *len, token_text(c->l, c->t[i]), k);
        *len += k;
        buf[*len] = '\0';
        return true;
}

/* The dotted name a.b.c starting at i; *end is the index after it. */
static bool dotted_fwd(const struct ctx *c, size_t i, char buf[NAME_LEN_MAX], size_t *end) {
        size_t len = 0;
        if (!is_ident(c, i) || !name_append(c, i, buf, &len))
                return false;
        while (is_punct(c, i + 1, ".") && is_ident(c, i + 2)) {
                if (!name_append(c, i + 2, buf, &len))
                        return false;
                i += 2;
        }
        *end = i + 1;
        return true;
}

/* The dotted name ending at identifier `last`, read backwards: "self.parser" in
 * self.parser.add_argument; *ret_first is its first token. False when it is part of something
 * larger (x().parser). */
static bool dotted_back(const struct ctx *c, size_t last, char buf[NAME_LEN_MAX], size_t *ret_first) {
        if (!is_ident(c, last))
                return false;
        size_t first = last;
        while (first >= 2 && is_punct(c, first - 1, ".") && is_ident(c, first - 2))
                if ((first -= 2) + NAME_LEN_MAX < last)
                        return false; /* longer than any name we keep */
        if (first >= 1 && is_punct(c, first - 1, "."))
                return false;
        size_t len = 0;
        buf[0] = '\0';
        for (size_t i = first; i <= last; i += 2)
                if (!name_append(c, i, buf, &len))
                        return false;
        *ret_first = first;
        return true;
}

static bool names_has(const struct names *s, const char *name) {
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->v[i], name))
                        return true;
        return false;
}

/* Names beyond the cap are dropped: a script binding more than that is not worth a schema. */
static void names_add(struct names *s, const char *name) {
        if (s->n >= s->max || names_has(s, name) || strlen(name) >= NAME_LEN_MAX)
                return;
        memcpy(s->v[s->n++], name, strlen(name) + 1);
}

static void names_add_token(const struct ctx *c, struct names *s, size_t i) {
        char buf[NAME_LEN_MAX];
        size_t len = 0;
        if (name_append(c, i, buf, &len))
                names_add(s, buf);
}

/* "mod.Attr" with mod one of the argparse module's names, or Attr imported from it. */
static bool is_argparse_attr(const struct ctx *c, const char *name, const char *attr, const struct names *imported) {
        const char *dot = strrchr(name, '.');
        if (!dot)
                return imported && names_has(imported, name);
        if (!streq(dot + 1, attr) || (size_t) (dot - name) >= NAME_LEN_MAX)
                return false;
        char mod[NAME_LEN_MAX];
        memcpy(mod, name, (size_t) (dot - name));
        mod[dot - name] = '\0';
        return names_has(&c->modules, mod);
}

/* The arguments of the call whose "(" is at open: spans split at top-level commas (at most
 * CALL_ARGS_MAX, *n_args one more when there were more). Returns the index of the ")" , or 0
 * when the call is not closed before the end of the tokens. */
static size_t call_args(const struct ctx *c, size_t open, struct span *args, size_t *n_args) {
        size_t depth = 0, start = open + 1, n = 0;
        for (size_t i = open; i < c->n; i++) {
                if (is_open(c, i))
                        depth++;
                else if (is_close(c, i) && --depth == 0) {
                        if (i > start && n <= CALL_ARGS_MAX) {
                                if (n < CALL_ARGS_MAX)
                                        args[n] = (struct span) { start, i };
                                n++;
                        }
                        *n_args = n;
                        return i;
                } else if (depth == 1 && is_punct(c, i, ",")) {
                        if (n < CALL_ARGS_MAX)
                                args[n] = (struct span) { start, i };
                        if (n <= CALL_ARGS_MAX)
                                n++;
                        start = i + 1;
                }
        }
        return 0;
}

/* ---- constant literals ----------------------------------------------------------------------- */

/* The span without redundant parentheses around all of it: ("a" "b") is a string. */
static struct span strip_parens(const struct ctx *c, struct span s) {
        for (size_t k = 0; k < PAREN_STRIP_MAX && s.b - s.a >= 2 && is_punct(c, s.a, "(") && is_punct(c, s.b - 1, ")"); k++) {
                size_t depth = 0;
                for (size_t i = s.a; i < s.b; i++) {
                        if (is_open(c, i))
                                depth++;
                        else if (is_close(c, i))
                                depth--;
                        else if (depth == 1 && is_punct(c, i, ","))
                                return s; /* a tuple */
                        if (depth == 0 && i + 1 < s.b)
                                return s; /* (a) + (b) */
                }
                s.a++, s.b--;
        }
        return s;
}

/* A string constant (adjacent literals concatenate), at most INPUT_SCHEMA_STRING_MAX bytes cut
 * at a character boundary; *ret malloc'd and NUL-terminated (it may hold NULs). False when the
 * span is anything else (f-strings and bytes included) or out of memory (c->oom). */
static bool string_literal(struct ctx *c, struct span s, char **ret, size_t *ret_len) {
        s = strip_parens(c, s);
        if (s.a >= s.b)
                return false;
        size_t total = 0;
        for (size_t i = s.a; i < s.b; i++) {
                const struct token *t = c->t[i];
                if (t->kind != TOK_STRING || (t->flags & (TOKF_FSTRING | TOKF_BYTES | TOKF_INTERP | TOKF_UNTERMINATED)))
                        return false;
                total += t->value_len < INPUT_SCHEMA_STRING_MAX + 1 ? t->value_len : INPUT_SCHEMA_STRING_MAX + 1;
                if (total > INPUT_SCHEMA_STRING_MAX)
                        total = INPUT_SCHEMA_STRING_MAX + 1;
        }
        char *buf = malloc(total + 1);
        if (!buf) {
                c->oom = true;
                return false;
        }
        size_t len = 0;
        for (size_t i = s.a; i < s.b && len < total; i++) {
                size_t k = c->t[i]->value_len < total - len ? c->t[i]->value_len : total - len;
                memcpy(buf + len, c->t[i]->value, k);
                len += k;
        }
        len = utf8_cut(buf, len, INPUT_SCHEMA_STRING_MAX); /* never half a UTF-8 sequence */
        buf[len] = '\0';
        *ret = buf;
        *ret_len = len;
        return true;
}

/* A literal's text as a JSON string of at most INPUT_SCHEMA_STRING_MAX bytes. string_literal()
 * cut the bytes already, but each byte that is not UTF-8 becomes U+FFFD (3 bytes) here: cut
 * again, at a character boundary. NULL when out of memory. */
static json_t *schema_string(const char *s, size_t len) {
        json_t *j = json_stringn_lossy(s, len);
        if (!j || json_string_length(j) <= INPUT_SCHEMA_STRING_MAX)
                return j;
        const char *u = json_string_value(j);
        json_t *cut = json_stringn(u, utf8_cut(u, json_string_length(j), INPUT_SCHEMA_STRING_MAX));
        json_decref(j);
        return cut;
}

/* An int or float literal, with an optional sign. NULL when not a number we represent exactly
 * enough (complex, out of range) or out of memory (c->oom). */
static json_t *number_literal(struct ctx *c, struct span s) {
        bool neg = false;
        if (s.b - s.a == 2 && (is_punct(c, s.a, "-") || is_punct(c, s.a, "+"))) {
                neg = is_punct(c, s.a, "-");
                s.a++;
        }
        if (s.b - s.a != 1 || c->t[s.a]->kind != TOK_NUMBER)
                return NULL;
        const char *text = token_text(c->l, c->t[s.a]);
        size_t n = c->t[s.a]->len;
        char buf[72];
        size_t len = 0;
        if (neg)
                buf[len++] = '-';
        int base = 10;
        if (n > 2 && text[0] == '0' && text[1] != '\0' && strchr("xXoObB", text[1])) {
                base = (text[1] | 0x20) == 'x' ? 16 : (text[1] | 0x20) == 'o' ? 8 : 2;
                text += 2, n -= 2;
        }
        bool real = false;
        for (size_t i = 0; i < n; i++) {
                char ch = text[i];
                if (ch == '_')
                        continue;
                if (ch == 'j' || ch == 'J' || len + 1 >= sizeof(buf))
                        return NULL;
                if (base == 10 && (ch == '.' || ch == 'e' || ch == 'E'))
                        real = true;
                buf[len++] = ch;
        }
        buf[len] = '\0';
        char *end = NULL;
        errno = 0;
        json_t *j = NULL;
        if (real) {
                double d = strtod(buf, &end);
                if (*end || errno || !isfinite(d))
                        return NULL;
                j = json_real(d);
        } else {
                long long v = strtoll(buf, &end, base);
                if (*end || errno || end == buf + neg)
                        return NULL;
                j = json_integer(v);
        }
        if (!j)
                c->oom = true;
        return j;
}

/* A string, number, True/False/None. NULL when not one (or c->oom). */
static json_t *scalar_literal(struct ctx *c, struct span s) {
        s = strip_parens(c, s);
        if (s.a >= s.b)
                return NULL;
        json_t *j = NULL;
        if (c->t[s.a]->kind == TOK_STRING) {
                _cleanup_free_ char *v = NULL;
                size_t len = 0;
                if (!string_literal(c, s, &v, &len))
                        return NULL;
                j = schema_string(v, len);
        } else if (s.b - s.a == 1 && ident_is(c, s.a, "True"))
                j = json_true();
        else if (s.b - s.a == 1 && ident_is(c, s.a, "False"))
                j = json_false();
        else if (s.b - s.a == 1 && ident_is(c, s.a, "None"))
                j = json_null();
        else
                return number_literal(c, s);
        if (!j)
                c->oom = true;
        return j;
}

/* A scalar, or a flat list / tuple / set of scalars (at most INPUT_SCHEMA_LIST_MAX) as an
 * array. NULL when not constant (or c->oom). */
static json_t *literal(struct ctx *c, struct span s) {
        s = strip_parens(c, s);
        if (s.a >= s.b)
                return NULL;
        bool tuple = is_punct(c, s.a, "(") && is_punct(c, s.b - 1, ")");
        bool list = (is_punct(c, s.a, "[") && is_punct(c, s.b - 1, "]")) ||
                    (is_punct(c, s.a, "{") && is_punct(c, s.b - 1, "}"));
        if (!tuple && !list)
                return scalar_literal(c, s);
        _cleanup_json_ json_t *arr = json_array();
        if (!arr) {
                c->oom = true;
                return NULL;
        }
        size_t start = s.a + 1, end = s.b - 1; /* the elements are in [start, end) */
        if (start == end && is_punct(c, s.a, "{"))
                return NULL; /* {} is a dict */
        for (size_t i = start; i <= end && start < end; i++) {
                if (i < end && !is_punct(c, i, ","))
                        continue;
                if (i == start) {
                        if (i == end && json_array_size(arr) > 0)
                                break; /* the trailing comma of [a, b,] */
                        return NULL;   /* [,] or [a,,b] */
                }
                if (json_array_size(arr) >= INPUT_SCHEMA_LIST_MAX)
                        return NULL;
                json_t *e = scalar_literal(c, (struct span) { start, i });
                if (!e || json_array_append_new(arr, e) < 0) {
                        c->oom |= e != NULL;
                        return NULL;
                }
                start = i + 1;
        }
        return TAKE_PTR(arr);
}

/* ---- pass 1: names bound to argparse and to parsers ------------------------------------------ */

/* Where a statement may start: "import" after these is the import statement. */
static bool at_statement_start(const struct ctx *c, size_t i) {
        return i == 0 || c->t[i - 1]->kind == TOK_NEWLINE || is_punct(c, i - 1, ";") || is_punct(c, i - 1, ":");
}

/* import argparse [as ap], ... ; i is after "import". Returns the index after the statement. */
static size_t take_import(struct ctx *c, size_t i) {
        char name[NAME_LEN_MAX];
        size_t end;
        while (dotted_fwd(c, i, name, &end)) {
                i = end;
                if (ident_is(c, i, "as") && is_ident(c, i + 1)) {
                        if (streq(name, "argparse"))
                                names_add_token(c, &c->modules, i + 1);
                        i += 2;
                } else if (streq(name, "argparse"))
                        names_add(&c->modules, name);
                if (!is_punct(c, i, ","))
                        break;
                i++;
        }
        return i;
}

/* from argparse import ArgumentParser [as AP], BooleanOptionalAction, ... | * ; i is after
 * "from". */
static size_t take_from_import(struct ctx *c, size_t i) {
        char name[NAME_LEN_MAX];
        size_t end;
        if (!dotted_fwd(c, i, name, &end) || !ident_is(c, end, "import"))
                return i;
        i = end + 1;
        if (!streq(name, "argparse"))
                return i;
        if (is_punct(c, i, "(")) /* from argparse import (ArgumentParser,\n SUPPRESS) */
                i++;
        if (is_punct(c, i, "*")) {
                names_add(&c->classes, "ArgumentParser");
                names_add(&c->boolopt, "BooleanOptionalAction");
                return i + 1;
        }
        while (is_ident(c, i)) {
                size_t alias = ident_is(c, i + 1, "as") && is_ident(c, i + 2) ? i + 2 : i;
                if (ident_is(c, i, "ArgumentParser"))
                        names_add_token(c, &c->classes, alias);
                else if (ident_is(c, i, "BooleanOptionalAction"))
                        names_add_token(c, &c->boolopt, alias);
                i = alias + 1;
                if (!is_punct(c, i, ","))
                        break;
                i++;
        }
        return i;
}

/* The description= of an ArgumentParser(...) call whose "(" is at open. */
static void take_description(struct ctx *c, size_t open) {
        struct span args[CALL_ARGS_MAX];
        size_t n = 0;
        if (call_args(c, open, args, &n) == 0)
                return;
        for (size_t k = 0; k < n && k < CALL_ARGS_MAX && !c->description; k++)
                if (ident_is(c, args[k].a, "description") && is_punct(c, args[k].a + 1, "=")) {
                        _cleanup_free_ char *v = NULL;
                        size_t len = 0;
                        if (string_literal(c, (struct span) { args[k].a + 2, args[k].b }, &v, &len) &&
                            !(c->description = schema_string(v, len)))
                                c->oom = true;
                }
}

/* target = argparse.ArgumentParser(...) | AP(...) | parser.add_argument_group(...) |
 * parser.add_mutually_exclusive_group(...); eq is the "=". */
static void take_assignment(struct ctx *c, size_t eq) {
        char target[NAME_LEN_MAX], annotated[NAME_LEN_MAX] = "", value[NAME_LEN_MAX];
        size_t end, first, first2;
        if (eq == 0 || !dotted_back(c, eq - 1, target, &first) || !dotted_fwd(c, eq + 1, value, &end) ||
            !is_punct(c, end, "("))
                return;
        /* parser: argparse.ArgumentParser = argparse.ArgumentParser(): the target is before
         * the ":" (when that starts a statement: not "if x: p = ...") */
        if (!(first >= 2 && is_punct(c, first - 1, ":") && dotted_back(c, first - 2, annotated, &first2) &&
              at_statement_start(c, first2)))
                annotated[0] = '\0';
        if (is_argparse_attr(c, value, "ArgumentParser", &c->classes)) {
                names_add(&c->parsers, target);
                if (annotated[0])
                        names_add(&c->parsers, annotated);
                /* at most PARSERS_MAX calls read: the same line 10^5 times costs no more */
                if (c->ctor_calls++ < PARSERS_MAX && !c->description)
                        take_description(c, end);
                return;
        }
        char *dot = strrchr(value, '.');
        if (!dot || !(streq(dot + 1, "add_argument_group") || streq(dot + 1, "add_mutually_exclusive_group")))
                return;
        *dot = '\0';
        if (names_has(&c->parsers, value)) {
                names_add(&c->parsers, target);
                if (annotated[0])
                        names_add(&c->parsers, annotated);
        }
}

static void find_bindings(struct ctx *c) {
        for (size_t i = 0; i < c->n; i++) {
                if (ident_is(c, i, "import") && at_statement_start(c, i))
                        i = take_import(c, i + 1) - 1;
                else if (ident_is(c, i, "from") && at_statement_start(c, i))
                        i = take_from_import(c, i + 1) - 1;
                else if (is_punct(c, i, "="))
                        take_assignment(c, i);
        }
}

/* ---- pass 2: add_argument() ------------------------------------------------------------------ */

/* What one add_argument() call says, keyword by keyword. */
struct argument {
        const char *type;         /* JSON type of one value; NULL: any */
        bool type_given;          /* by type= (a type we know) or by the action */
        bool valueless;           /* store_true/false/const, count, BooleanOptionalAction: no nargs */
        bool is_array;            /* nargs '*', '+', N, '...' or action append/extend */
        bool any_items;           /* append_const: items of any type */
        size_t min_items, max_items; /* 0: no bound */
        bool optional_positional; /* nargs '?' or '*' on a positional */
        bool required;
        bool skip;                /* action help/version: not input */
        int implicit_default;     /* store_true: 0 (false), store_false: 1 (true), else -1 */
        json_t *choices, *dflt, *help;
        char *dest;
};

static void argument_done(struct argument *a) {
        json_decref(a->choices);
        json_decref(a->dflt);
        json_decref(a->help);
        free(a->dest);
}

static void set_type(struct argument *a, const char *type, bool valueless) {
        a->type = type;
        a->type_given = true;
        a->valueless = valueless;
}

static void take_action(struct ctx *c, struct span v, struct argument *a) {
        char name[NAME_LEN_MAX];
        size_t end;
        if (dotted_fwd(c, v.a, name, &end) && end == v.b) {
                if (is_argparse_attr(c, name, "BooleanOptionalAction", &c->boolopt)) /* --x / --no-x */
                        set_type(a, "boolean", true);
                return; /* a custom Action class: nothing known */
        }
        _cleanup_free_ char *s = NULL;
        size_t len = 0;
        if (!string_literal(c, v, &s, &len))
                return;
        if (streq(s, "store_true") || streq(s, "store_false") || streq(s, "store_const")) {
                set_type(a, "boolean", true);
                a->implicit_default = streq(s, "store_true") ? 0 : streq(s, "store_false") ? 1 : -1;
        } else if (streq(s, "count"))
                set_type(a, "integer", true);
        else if (streq(s, "append") || streq(s, "extend"))
                a->is_array = true;
        else if (streq(s, "append_const"))
                a->is_array = a->any_items = a->valueless = true;
        else if (streq(s, "help") || streq(s, "version"))
                a->skip = true;
}

static void take_type(struct ctx *c, struct span v, struct argument *a) {
        static const char *const TYPES[][2] = {
                { "int", "integer" }, { "float", "number" }, { "str", "string" }, { "bool", "boolean" },
        };
        if (v.b - v.a != 1 || a->type_given)
                return;
        for (size_t k = 0; k < ELEMENTSOF(TYPES); k++)
                if (ident_is(c, v.a, TYPES[k][0]))
                        set_type(a, TYPES[k][1], false);
}

/* nargs: '?', '*', '+', '...', an int, or argparse.OPTIONAL / ZERO_OR_MORE / ONE_OR_MORE /
 * REMAINDER (whose values are those strings). An int is a list even when it is 1. */
static void take_nargs(struct ctx *c, struct span v, struct argument *a) {
        static const char *const CONSTS[][2] = {
                { "OPTIONAL", "?" }, { "ZERO_OR_MORE", "*" }, { "ONE_OR_MORE", "+" }, { "REMAINDER", "..." },
        };
        char name[NAME_LEN_MAX];
        size_t end;
        const char *s = NULL;
        if (dotted_fwd(c, v.a, name, &end) && end == v.b)
                for (size_t k = 0; k < ELEMENTSOF(CONSTS); k++)
                        if (is_argparse_attr(c, name, CONSTS[k][0], NULL))
                                s = CONSTS[k][1];
        _cleanup_json_ json_t *lit = s ? NULL : literal(c, v);
        if (json_is_string(lit))
                s = json_string_value(lit);
        if (json_is_integer(lit) && json_integer_value(lit) >= 1) {
                a->is_array = true;
                a->min_items = a->max_items = (size_t) json_integer_value(lit);
        } else if (s && (streq(s, "*") || streq(s, "..."))) {
                a->is_array = a->optional_positional = true;
        } else if (s && streq(s, "+")) {
                a->is_array = true;
                a->min_items = 1;
        } else if (s && streq(s, "?"))
                a->optional_positional = true;
}

static void take_keyword(struct ctx *c, const char *kw, struct span v, struct argument *a, bool positional) {
        if (streq(kw, "action"))
                take_action(c, v, a);
        else if (streq(kw, "type"))
                take_type(c, v, a);
        else if (streq(kw, "nargs"))
                take_nargs(c, v, a);
        else if (streq(kw, "choices") && !a->choices) {
                a->choices = literal(c, v);
                if (!json_is_array(a->choices) || json_array_size(a->choices) == 0) {
                        json_decref(a->choices);
                        a->choices = NULL;
                }
        } else if (streq(kw, "default") && !a->dflt) {
                a->dflt = literal(c, v);
                if (json_is_null(a->dflt)) {
                        json_decref(a->dflt);
                        a->dflt = NULL;
                }
        } else if (streq(kw, "help") && !a->help) {
                _cleanup_free_ char *s = NULL;
                size_t len = 0;
                if (string_literal(c, v, &s, &len) && !(a->help = schema_string(s, len)))
                        c->oom = true;
        } else if (streq(kw, "required"))
                a->required = v.b - v.a == 1 && ident_is(c, v.a, "True");
        else if (streq(kw, "dest") && !positional && !a->dest) {
                size_t len = 0;
                if (string_literal(c, v, &a->dest, &len) && (len == 0 || memchr(a->dest, '\0', len))) {
                        free(a->dest);
                        a->dest = NULL;
                }
        }
}

/* The option strings ("-v", "--verbose") or the one positional name of a call. */
struct option_names {
        char *v[OPTION_NAMES_MAX];
        size_t n;
        bool positional;
};

static void option_names_done(struct option_names *o) {
        for (size_t j = 0; j < o->n; j++)
                free(o->v[j]);
}

/* The arguments before the first keyword: all constant, non-empty, either one positional name
 * or option strings that each start with '-' (what argparse accepts). *k is set to the first
 * keyword's index. */
static bool take_names(struct ctx *c, const struct span *args, size_t n_args, struct option_names *o, size_t *k) {
        for (*k = 0; *k < n_args && !(is_ident(c, args[*k].a) && is_punct(c, args[*k].a + 1, "=")); (*k)++) {
                size_t len = 0;
                if (o->n == OPTION_NAMES_MAX || !string_literal(c, args[*k], &o->v[o->n], &len))
                        return false; /* a computed name or *names: which property is unknown */
                o->n++;
                if (len == 0 || memchr(o->v[o->n - 1], '\0', len))
                        return false;
        }
        if (o->n == 0)
                return false;
        o->positional = o->v[0][0] != '-';
        if (o->positional)
                return o->n == 1;
        for (size_t j = 0; j < o->n; j++)
                if (o->v[j][0] != '-' || o->v[j][1] == '\0')
                        return false;
        return true;
}

/* argparse's dest for option strings: the first long one ("--x") without its leading dashes,
 * else the first short one; the other dashes become underscores. */
static char *option_dest(const struct option_names *o) {
        const char *pick = o->v[0];
        for (size_t j = 0; j < o->n; j++)
                if (o->v[j][1] == '-') {
                        pick = o->v[j];
                        break;
                }
        while (*pick == '-')
                pick++;
        char *dest = strdup(pick);
        for (char *p = dest; p && *p; p++)
                if (*p == '-')
                        *p = '_';
        return dest;
}

/* Whether a default or a choice has a JSON type (NULL: any). */
static bool fits_type(const json_t *v, const char *type) {
        if (!type)
                return true;
        if (streq(type, "integer"))
                return json_is_integer(v);
        if (streq(type, "number"))
                return json_is_number(v);
        if (streq(type, "boolean"))
                return json_is_boolean(v);
        if (streq(type, "array"))
                return json_is_array(v);
        return json_is_string(v);
}

/* The type all choices share, for an argument without type=. */
static const char *choices_type(const json_t *choices) {
        static const char *const TYPES[] = { "string", "integer", "number", "boolean" };
        for (size_t k = 0; k < ELEMENTSOF(TYPES); k++) {
                size_t i;
                json_t *e;
                bool all = true;
                json_array_foreach(choices, i, e)
                        all = all && fits_type(e, TYPES[k]);
                if (all)
                        return TYPES[k];
        }
        return NULL;
}

static void set_new(struct ctx *c, json_t *obj, const char *key, json_t *v) {
        if (!v || json_object_set_new(obj, key, v) < 0)
                c->oom = true;
}

/* The property for an argument; NULL only with c->oom. */
static json_t *argument_schema(struct ctx *c, const struct argument *a) {
        const char *type = a->type_given ? a->type : a->choices ? choices_type(a->choices) : "string";
        json_t *prop = json_object();
        if (!prop) {
                c->oom = true;
                return NULL;
        }
        if (a->is_array && (!a->valueless || a->any_items)) {
                json_t *item = json_object();
                if (item && type && !a->any_items)
                        set_new(c, item, "type", json_string(type));
                if (item && a->choices && !a->any_items)
                        set_new(c, item, "enum", json_incref(a->choices));
                set_new(c, prop, "type", json_string("array"));
                set_new(c, prop, "items", item);
                if (a->min_items)
                        set_new(c, prop, "minItems", json_integer((json_int_t) a->min_items));
                if (a->max_items)
                        set_new(c, prop, "maxItems", json_integer((json_int_t) a->max_items));
                type = "array";
        } else {
                if (type)
                        set_new(c, prop, "type", json_string(type));
                if (a->choices)
                        set_new(c, prop, "enum", json_incref(a->choices));
        }
        if (a->help)
                set_new(c, prop, "description", json_incref(a->help));
        if (a->dflt && fits_type(a->dflt, type))
                set_new(c, prop, "default", json_incref(a->dflt));
        else if (!a->dflt && a->implicit_default >= 0)
                set_new(c, prop, "default", json_boolean(a->implicit_default));
        return prop;
}

/* One add_argument(args...) call. */
static void take_add_argument(struct ctx *c, const struct span *args, size_t n_args) {
        _cleanup_(option_names_done) struct option_names names = { 0 };
        _cleanup_(argument_done) struct argument a = { .implicit_default = -1 };
        size_t k = 0;
        if (n_args > CALL_ARGS_MAX || !take_names(c, args, n_args, &names, &k))
                return;
        for (; k < n_args; k++) {
                if (!is_ident(c, args[k].a) || !is_punct(c, args[k].a + 1, "="))
                        continue; /* **kwargs */
                char kw[NAME_LEN_MAX];
                size_t len = 0;
                if (name_append(c, args[k].a, kw, &len) && args[k].a + 2 < args[k].b)
                        take_keyword(c, kw, (struct span) { args[k].a + 2, args[k].b }, &a, names.positional);
        }
        if (a.skip || c->oom)
                return;
        _cleanup_free_ char *dest = a.dest            ? TAKE_PTR(a.dest)
                                    : names.positional ? strdup(names.v[0])
                                                       : option_dest(&names);
        if (!dest) {
                c->oom = true;
                return;
        }
        if (!*dest || !utf8_is_valid(dest, strlen(dest)) || json_object_get(c->props, dest))
                return; /* the first argument with a dest wins */
        set_new(c, c->props, dest, argument_schema(c, &a));
        bool required = names.positional ? !a.optional_positional : a.required;
        if (!c->oom && required && json_array_append_new(c->required, json_string(dest)) < 0)
                c->oom = true;
}

static void find_arguments(struct ctx *c) {
        struct span args[CALL_ARGS_MAX];
        for (size_t i = 2; i + 1 < c->n && !c->oom; i++) {
                char recv[NAME_LEN_MAX];
                size_t first;
                if (!ident_is(c, i, "add_argument") || !is_punct(c, i - 1, ".") || !is_punct(c, i + 1, "(") ||
                    !dotted_back(c, i - 2, recv, &first) || !names_has(&c->parsers, recv))
                        continue;
                size_t n_args = 0, close = call_args(c, i + 1, args, &n_args);
                if (close == 0)
                        break; /* not closed: everything after is inside it */
                take_add_argument(c, args, n_args);
                i = close;
                if (json_object_size(c->props) >= INPUT_SCHEMA_PROPERTIES_MAX)
                        break;
        }
}

/* ---- the schema ------------------------------------------------------------------------------ */

/* additionalProperties stays true. The skill receives the whole JSON value on stdin, never
 * argv, and nothing enforces this schema: it tells a client what the script's options look like.
 * Inference misses what it cannot see (computed names, arguments added by helper functions,
 * parents=, subparsers), and a closed schema would make clients refuse or strip input the
 * script does accept. */
static json_t *assemble(struct ctx *c) {
        _cleanup_json_ json_t *o = json_object();
        if (!o) {
                c->oom = true;
                return NULL;
        }
        set_new(c, o, "type", json_string("object"));
        if (c->description)
                set_new(c, o, "description", json_incref(c->description));
        set_new(c, o, "properties", json_incref(c->props));
        if (json_array_size(c->required) > 0)
                set_new(c, o, "required", json_incref(c->required));
        set_new(c, o, "additionalProperties", json_true());
        set_new(c, o, "x-skilllite-source", json_string("argparse"));
        return c->oom ? NULL : TAKE_PTR(o);
}

int input_schema_python(const char *src, size_t len, json_t **ret) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_python(src, len, &l, &err);
        if (r < 0) {
                token_list_done(&l);
                if (r != -ENOMEM) {
                        *ret = NULL; /* beyond the lexer's limits: no inference */
                        return 0;
                }
                return r;
        }
        _cleanup_free_ const struct token **t = l.n ? malloc(l.n * sizeof(*t)) : NULL;
        if (l.n && !t) {
                token_list_done(&l);
                return -ENOMEM;
        }
        struct ctx c = { .l = &l, .t = t };
        for (size_t i = 0; i < l.n; i++)
                if (l.v[i].kind != TOK_COMMENT)
                        t[c.n++] = &l.v[i];
        c.modules.max = c.classes.max = c.boolopt.max = ALIASES_MAX;
        c.parsers.max = PARSERS_MAX;
        names_add(&c.modules, "argparse");

        json_t *schema = NULL;
        find_bindings(&c);
        if (c.parsers.n > 0 && !c.oom) {
                c.props = json_object();
                c.required = json_array();
                c.oom = !c.props || !c.required;
                if (!c.oom)
                        find_arguments(&c);
                if (!c.oom)
                        schema = assemble(&c);
        }
        json_decref(c.description);
        json_decref(c.props);
        json_decref(c.required);
        token_list_done(&l);
        if (c.oom)
                return -ENOMEM;
        *ret = schema;
        return 0;
}

json_t *input_schema_from_python(const char *src, size_t len) {
        json_t *schema = NULL;
        return input_schema_python(src, len, &schema) < 0 ? NULL : schema;
}
