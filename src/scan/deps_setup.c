/* setup.py and setup.cfg, read without running anything: the constant strings of
 * install_requires / setup_requires / extras_require (Python tokens from lex_python), and the same
 * keys of setup.cfg's [options] and [options.extras_require] sections. A value computed at build
 * time cannot be audited and is reported as such. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deps_internal.h"
#include "token.h"

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\n' || c == '\r';
}

static void trim(const char **s, size_t *n) {
        while (*n && is_blank(**s))
                (*s)++, (*n)--;
        while (*n && is_blank((*s)[*n - 1]))
                (*n)--;
}

/* ---- setup.py -------------------------------------------------------------------------------- */

static const char *const SETUP_KEYS[] = { "install_requires", "setup_requires", "extras_require" };

static bool is_setup_key(const struct token_list *l, const struct token *t) {
        for (size_t k = 0; k < ELEMENTSOF(SETUP_KEYS); k++) {
                size_t n = strlen(SETUP_KEYS[k]);
                if (t->kind == TOK_IDENT && t->len == n && memcmp(token_text(l, t), SETUP_KEYS[k], n) == 0)
                        return true;
                if (t->kind == TOK_STRING && t->value_len == n && memcmp(t->value, SETUP_KEYS[k], n) == 0)
                        return true;
        }
        return false;
}

/* Index of the next token at or after i that is not a comment or a line break inside brackets. */
static size_t next_code(const struct token_list *l, size_t i) {
        while (i < l->n && l->v[i].kind == TOK_COMMENT)
                i++;
        return i;
}

static bool is_punct(const struct token_list *l, size_t i, const char *p) {
        return i < l->n && token_is(l, &l->v[i], TOK_PUNCT, p);
}

static bool is_open(const struct token_list *l, size_t i) {
        return is_punct(l, i, "[") || is_punct(l, i, "(") || is_punct(l, i, "{");
}

static bool is_close(const struct token_list *l, size_t i) {
        return is_punct(l, i, "]") || is_punct(l, i, ")") || is_punct(l, i, "}");
}

/* The literal after "key =" / "key:" at index i: each constant string that is not a dict key is
 * a requirement. Returns the index after the literal; *computed is set when anything else is in
 * it (a name, a call, an operator). */
static size_t take_literal(struct deps_ctx *c, const struct scan_file *x, const struct token_list *l, size_t i,
                           bool *computed, int *ret) {
        *ret = 0;
        if (!is_open(l, i)) {
                *computed = true;
                return i;
        }
        size_t depth = 0;
        for (; i < l->n; i++) {
                const struct token *t = &l->v[i];
                if (is_open(l, i))
                        depth++;
                else if (is_close(l, i)) {
                        if (--depth == 0)
                                return i + 1;
                } else if (t->kind == TOK_STRING) {
                        if (t->flags & (TOKF_FSTRING | TOKF_BYTES | TOKF_INTERP | TOKF_UNTERMINATED)) {
                                *computed = true;
                                continue;
                        }
                        if (is_punct(l, next_code(l, i + 1), ":"))
                                continue; /* extras_require = {"group": [...]} */
                        *ret = deps_add_pep508(c, t->value, t->value_len, x->path, token_line(l, t), 0);
                        if (*ret < 0)
                                return l->n;
                } else if (!is_punct(l, i, ",") && !is_punct(l, i, ":") && t->kind != TOK_COMMENT &&
                           t->kind != TOK_NEWLINE)
                        *computed = true;
        }
        return i;
}

int deps_read_setup_py(struct deps_ctx *c, const struct scan_file *x) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_python(x->data, x->len, &l, &err);
        if (r < 0) {
                token_list_done(&l);
                return r == -ENOMEM ? r : 0; /* too complex: the code scanner reports it */
        }
        for (size_t i = 0; r >= 0 && i < l.n; i++) {
                const struct token *key = &l.v[i];
                if (!is_setup_key(&l, key))
                        continue;
                size_t j = next_code(&l, i + 1);
                if (!(key->kind == TOK_IDENT ? is_punct(&l, j, "=") : is_punct(&l, j, ":")))
                        continue;
                bool computed = false;
                size_t end = take_literal(c, x, &l, next_code(&l, j + 1), &computed, &r);
                if (r >= 0 && computed)
                        r = deps_finding(c, "dep.setup-py.computed", SEV_LOW, x->path, token_line(&l, key), NULL, 0,
                                         "setup.py computes %.*s at build time; only its constant strings are "
                                         "audited", (int) key->len, token_text(&l, key));
                if (end > i + 1)
                        i = end - 1;
        }
        token_list_done(&l);
        return r;
}

/* ---- setup.cfg ------------------------------------------------------------------------------- */

struct cfg_value {
        bool active;  /* the current key is one we read */
        bool multi;   /* continuation lines seen */
        const char *first;
        size_t first_len;
        uint32_t first_line;
};

/* One requirement item of a value (a line, or a ';'-separated piece of a one-line value). */
static int cfg_item(struct deps_ctx *c, const struct scan_file *x, const char *s, size_t n, uint32_t line) {
        trim(&s, &n);
        if (n == 0 || s[0] == '#')
                return 0;
        return deps_add_pep508(c, s, n, x->path, line, 0);
}

/* The first line of a value: "file: a.txt, b.txt" includes requirements files (setuptools). */
static int cfg_first_line(struct deps_ctx *c, const struct scan_file *x, struct cfg_value *v) {
        const char *s = v->first;
        size_t n = v->first_len;
        trim(&s, &n);
        if (n >= 5 && strncasecmp(s, "file:", 5) == 0) {
                s += 5, n -= 5;
                for (size_t i = 0; i < n;) {
                        size_t end = i;
                        while (end < n && s[end] != ',')
                                end++;
                        const char *p = s + i;
                        size_t pn = end - i;
                        trim(&p, &pn);
                        if (pn) {
                                int r = deps_include_requirements(c, x->path, v->first_line, p, pn);
                                if (r < 0)
                                        return r;
                        }
                        i = end + 1;
                }
                return 0;
        }
        if (v->multi)
                return cfg_item(c, x, s, n, v->first_line);
        /* a one-line value is a ';'-separated list in setuptools */
        for (size_t i = 0; i < n;) {
                size_t end = i;
                while (end < n && s[end] != ';')
                        end++;
                int r = cfg_item(c, x, s + i, end - i, v->first_line);
                if (r < 0)
                        return r;
                i = end + 1;
        }
        return 0;
}

static int cfg_flush(struct deps_ctx *c, const struct scan_file *x, struct cfg_value *v) {
        int r = v->active ? cfg_first_line(c, x, v) : 0;
        *v = (struct cfg_value) { 0 };
        return r;
}

int deps_read_setup_cfg(struct deps_ctx *c, const struct scan_file *x) {
        const char *s = x->data;
        size_t n = x->len, i = 0;
        uint32_t line = 0;
        bool in_options = false, in_extras = false;
        struct cfg_value v = { 0 };
        int r = 0;
        if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
                i = 3;
        while (r >= 0 && i < n) {
                size_t start = i;
                while (i < n && s[i] != '\n' && s[i] != '\r')
                        i++;
                const char *p = s + start;
                size_t pn = i - start;
                if (i < n)
                        i += (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                if (line < UINT32_MAX)
                        line++;
                const char *t = p;
                size_t tn = pn;
                trim(&t, &tn);
                if (tn == 0 || t[0] == '#' || t[0] == ';')
                        continue;
                if (is_blank(p[0])) { /* a continuation line of the current value */
                        if (v.active) {
                                if (!v.multi) {
                                        v.multi = true;
                                        r = cfg_first_line(c, x, &v); /* usually empty */
                                        v.first_len = 0;
                                }
                                if (r >= 0)
                                        r = cfg_item(c, x, t, tn, line);
                        }
                        continue;
                }
                if ((r = cfg_flush(c, x, &v)) < 0)
                        break;
                if (t[0] == '[') {
                        const char *end = memchr(t, ']', tn);
                        size_t hn = end ? (size_t) (end - t - 1) : 0;
                        const char *h = t + 1;
                        trim(&h, &hn);
                        in_options = hn == 7 && strncasecmp(h, "options", 7) == 0;
                        in_extras = hn == 22 && strncasecmp(h, "options.extras_require", 22) == 0;
                        continue;
                }
                size_t k = 0;
                while (k < tn && t[k] != '=' && t[k] != ':')
                        k++;
                if (k == tn)
                        continue;
                const char *key = t;
                size_t kn = k;
                trim(&key, &kn);
                bool requires = (kn == 16 && strncasecmp(key, "install_requires", 16) == 0) ||
                                (kn == 14 && strncasecmp(key, "setup_requires", 14) == 0);
                bool wanted = in_extras || (in_options && requires);
                v = (struct cfg_value) { .active = wanted, .first = t + k + 1, .first_len = tn - k - 1,
                                         .first_line = line };
        }
        if (r >= 0)
                r = cfg_flush(c, x, &v);
        return r;
}
