/* Shell analyser: variables and functions of a script. A variable assigned a constant once
 * has that value; assigned again, or from input (read, for), it is unknown. Functions are kept by
 * name with their body, so that a call carries what the body's output carries. */
#include "rules_shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- variables ---- */

uint32_t sh_name_hash(const char *s, size_t n) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char) s[i]) * 16777619u;
        return h;
}

static int32_t var_find_local(const struct sh_unit *u, const char *name, size_t n) {
        if (!u->vhash_cap)
                return -1;
        for (size_t k = sh_name_hash(name, n) & (u->vhash_cap - 1);; k = (k + 1) & (u->vhash_cap - 1)) {
                int32_t i = u->vhash[k];
                if (i < 0)
                        return -1;
                if (u->vars[i].nlen == n && memcmp(u->vars[i].name, name, n) == 0)
                        return i;
        }
}

/* The variable, in this unit or the ones it is nested in; *owner gets the unit that has it. */
struct sh_var *sh_var_find(struct sh_unit *u, const char *name, size_t n, struct sh_unit **owner) {
        for (; u; u = u->parent) {
                int32_t i = var_find_local(u, name, n);
                if (i >= 0) {
                        *owner = u;
                        return &u->vars[i];
                }
        }
        return NULL;
}

static int vhash_rebuild(struct sh_unit *u, size_t cap) {
        int32_t *h = malloc(cap * sizeof(*h));
        if (!h)
                return -ENOMEM;
        for (size_t i = 0; i < cap; i++)
                h[i] = -1;
        for (size_t i = 0; i < u->nvars; i++) {
                size_t k = sh_name_hash(u->vars[i].name, u->vars[i].nlen) & (cap - 1);
                while (h[k] >= 0)
                        k = (k + 1) & (cap - 1);
                h[k] = (int32_t) i;
        }
        free(u->vhash);
        u->vhash = h;
        u->vhash_cap = cap;
        return 0;
}

/* Record one assignment of name: word w from byte skip of its first token (w < 0: a value that
 * comes from input, read/for/getopts). */
static int var_assign(struct sh_unit *u, const char *name, size_t n, int32_t w, uint32_t skip) {
        int32_t i = var_find_local(u, name, n);
        if (i < 0) {
                if ((u->nvars + 1) * 2 > u->vhash_cap) {
                        int r = vhash_rebuild(u, u->vhash_cap ? u->vhash_cap * 2 : 64);
                        if (r < 0)
                                return r;
                }
                int r = sh_grow((void **) &u->vars, &u->capvars, u->nvars + 1, sizeof(*u->vars));
                if (r < 0)
                        return r;
                i = (int32_t) u->nvars++;
                u->vars[i] = (struct sh_var){ .name = name, .nlen = (uint32_t) n };
                size_t k = sh_name_hash(name, n) & (u->vhash_cap - 1);
                while (u->vhash[k] >= 0)
                        k = (k + 1) & (u->vhash_cap - 1);
                u->vhash[k] = i;
        }
        struct sh_var *v = &u->vars[i];
        v->count++;
        if (v->nrhs < SH_VAR_RHS) {
                v->rhs[v->nrhs] = w;
                v->rhs_skip[v->nrhs] = skip;
                v->nrhs++;
        }
        return 0;
}

/* "NAME=" / "NAME+=" at the start of word w: the name length and where the value starts. */
bool sh_assign_word(const struct sh_unit *u, int32_t w, size_t *nlen, uint32_t *skip) {
        const struct token *t = &u->toks->v[u->w[w].tb];
        if (t->kind != TOK_WORD || !t->value || t->value_len < 2)
                return false;
        /* the raw text's first byte: when the prefix below matches, it is the value's too */
        const char *s = u->toks->src + t->offset;
        if (!sh_name_char(s[0], true))
                return false;
        size_t i = 1;
        while (i < t->len && sh_name_char(s[i], false))
                i++;
        size_t n = i;
        if (i < t->len && s[i] == '+')
                i++;
        if (i >= t->len || s[i] != '=')
                return false;
        if (!sh_word_is_raw(t) && memcmp(t->value, s, i + 1) != 0)
                return false;
        *nlen = n;
        *skip = (uint32_t) (i + 1);
        return true;
}

/* The text of a single-token literal word (no quotes, no escapes), or NULL. */
const char *sh_plain_word(const struct sh_unit *u, int32_t w, size_t *n) {
        const struct sh_word *x = &u->w[w];
        if (x->te - x->tb != 1)
                return NULL;
        const struct token *t = &u->toks->v[x->tb];
        if (t->kind != TOK_WORD || !t->value || t->value_len != t->len || (t->len && t->value[0] == '$'))
                return NULL;
        *n = t->len;
        return t->value;
}

static bool word_eq(const struct sh_unit *u, int32_t w, const char *s) {
        size_t n;
        const char *p = sh_plain_word(u, w, &n);
        return p && n == strlen(s) && memcmp(p, s, n) == 0;
}

/* Names of variables a builtin sets from input. */
static int assign_names_from(struct sh_unit *u, int32_t w, const char *opts_with_value) {
        bool opts = true;
        for (; w >= 0; w = u->w[w].next) {
                size_t n;
                const char *p = sh_plain_word(u, w, &n);
                if (!p)
                        continue;
                if (opts && n >= 2 && p[0] == '-') {
                        if (n == 2 && p[1] == '-') {
                                opts = false;
                                continue;
                        }
                        if (strchr(opts_with_value, p[n - 1]) && u->w[w].next >= 0)
                                w = u->w[w].next;
                        continue;
                }
                opts = false;
                if (n > 0 && sh_name_char(p[0], true)) {
                        size_t k = 0;
                        while (k < n && sh_name_char(p[k], k == 0))
                                k++;
                        if (k == n) {
                                int r = var_assign(u, p, n, -1, 0);
                                if (r < 0)
                                        return r;
                        }
                }
        }
        return 0;
}

/* ---- functions ---- */

static int32_t func_find_local(const struct sh_unit *u, const char *name, size_t n) {
        if (!u->fhash_cap)
                return -1;
        for (size_t k = sh_name_hash(name, n) & (u->fhash_cap - 1);; k = (k + 1) & (u->fhash_cap - 1)) {
                int32_t i = u->fhash[k];
                if (i < 0)
                        return -1;
                if (u->funcs[i].nlen == n && memcmp(u->funcs[i].name, name, n) == 0)
                        return i;
        }
}

static int func_add(struct sh_unit *u, const char *name, size_t n, uint32_t tb, uint32_t te) {
        if (func_find_local(u, name, n) >= 0)
                return 0; /* defined twice: the first body is as good a guess as the last */
        if ((u->nfuncs + 1) * 2 > u->fhash_cap) {
                size_t cap = u->fhash_cap ? u->fhash_cap * 2 : 32;
                int32_t *h = malloc(cap * sizeof(*h));
                if (!h)
                        return -ENOMEM;
                for (size_t i = 0; i < cap; i++)
                        h[i] = -1;
                for (size_t i = 0; i < u->nfuncs; i++) {
                        size_t k = sh_name_hash(u->funcs[i].name, u->funcs[i].nlen) & (cap - 1);
                        while (h[k] >= 0)
                                k = (k + 1) & (cap - 1);
                        h[k] = (int32_t) i;
                }
                free(u->fhash);
                u->fhash = h;
                u->fhash_cap = cap;
        }
        int r = sh_grow((void **) &u->funcs, &u->capfuncs, u->nfuncs + 1, sizeof(*u->funcs));
        if (r < 0)
                return r;
        int32_t i = (int32_t) u->nfuncs++;
        u->funcs[i] = (struct sh_func){ .name = name, .nlen = (uint32_t) n, .body_tb = tb, .body_te = te };
        size_t k = sh_name_hash(name, n) & (u->fhash_cap - 1);
        while (u->fhash[k] >= 0)
                k = (k + 1) & (u->fhash_cap - 1);
        u->fhash[k] = i;
        return 0;
}

#define FUNC_BODY_SCAN (1u << 20)

/* "name() { ... }" / "function name { ... }": the body is the brace group after the name. */
static int func_collect(struct sh_unit *u, size_t c) {
        const struct sh_cmd *cmd = &u->c[c];
        int32_t w = cmd->w_last;
        size_t n;
        if (w < 0)
                return 0;
        if (!(cmd->flags & SHC_FUNCDEF)) {
                const struct token *t0 = &u->toks->v[u->w[cmd->w_first].tb];
                if (t0->len != 8 || u->toks->src[t0->offset] != 'f' || cmd->w_first == w ||
                    !word_eq(u, cmd->w_first, "function"))
                        return 0;
        }
        const char *name = sh_plain_word(u, w, &n);
        if (!name || n == 0)
                return 0;
        uint32_t i = u->w[w].te;
        if (i + 1 < u->toks->n && token_is(u->toks, &u->toks->v[i], TOK_PUNCT, "(") &&
            token_is(u->toks, &u->toks->v[i + 1], TOK_PUNCT, ")"))
                i += 2;
        while (i < u->toks->n && u->toks->v[i].kind == TOK_NEWLINE)
                i++;
        if (i >= u->toks->n || !token_is(u->toks, &u->toks->v[i], TOK_PUNCT, "{"))
                return 0;
        uint32_t start = i, depth = 0;
        for (; i < u->toks->n && i - start < FUNC_BODY_SCAN; i++) {
                const struct token *t = &u->toks->v[i];
                if (t->kind != TOK_PUNCT || t->len != 1)
                        continue;
                char ch = u->toks->src[t->offset];
                if (ch == '{')
                        depth++;
                else if (ch == '}' && --depth == 0)
                        break;
        }
        return func_add(u, name, n, start, i);
}

int sh_vars_collect(struct sh_unit *u) {
        for (size_t c = 0; c < u->nc; c++) {
                int rf = func_collect(u, c);
                if (rf < 0)
                        return rf;
                int32_t w = u->c[c].w_first;
                int32_t first = w;
                size_t nlen;
                uint32_t skip;
                int r;
                while (w >= 0 && sh_assign_word(u, w, &nlen, &skip))
                        w = u->w[w].next;
                if (w < 0) { /* only assignments: shell variables */
                        for (int32_t a = first; a >= 0; a = u->w[a].next) {
                                if (!sh_assign_word(u, a, &nlen, &skip))
                                        break;
                                r = var_assign(u, u->toks->v[u->w[a].tb].value, nlen, a, skip);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }
                size_t n;
                const char *name = sh_plain_word(u, w, &n);
                /* only builtins that assign: export local declare typeset readonly read for select
                 * getopts mapfile readarray printf */
                if (!name || n < 3 || n > 9)
                        continue;
                switch (name[0]) {
                case 'd': case 'e': case 'f': case 'l': case 'm': case 'p': case 'r': case 's': case 't':
                        break;
                default:
                        continue;
                }
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
                if (IS("export") || IS("local") || IS("declare") || IS("typeset") || IS("readonly")) {
                        bool creates = !IS("export") && !IS("readonly");
                        for (int32_t a = u->w[w].next; a >= 0; a = u->w[a].next) {
                                if (sh_assign_word(u, a, &nlen, &skip)) {
                                        r = var_assign(u, u->toks->v[u->w[a].tb].value, nlen, a, skip);
                                        if (r < 0)
                                                return r;
                                        continue;
                                }
                                size_t pn;
                                const char *p = sh_plain_word(u, a, &pn);
                                if (creates && p && pn && sh_name_char(p[0], true) &&
                                    (r = var_assign(u, p, pn, -1, 0)) < 0)
                                        return r;
                        }
                } else if (IS("read")) {
                        if ((r = assign_names_from(u, u->w[w].next, "adnNptu")) < 0)
                                return r;
                } else if (IS("for") || IS("select")) {
                        int32_t a = u->w[w].next;
                        size_t pn;
                        const char *p = a >= 0 ? sh_plain_word(u, a, &pn) : NULL;
                        if (p && pn && sh_name_char(p[0], true) && (r = var_assign(u, p, pn, -1, 0)) < 0)
                                return r;
                } else if (IS("getopts")) {
                        int32_t a = u->w[w].next;
                        if (a >= 0)
                                a = u->w[a].next;
                        size_t pn;
                        const char *p = a >= 0 ? sh_plain_word(u, a, &pn) : NULL;
                        if (p && pn && sh_name_char(p[0], true) && (r = var_assign(u, p, pn, -1, 0)) < 0)
                                return r;
                } else if (IS("mapfile") || IS("readarray")) {
                        if ((r = assign_names_from(u, u->w[w].next, "dnOsuC")) < 0)
                                return r;
                } else if (IS("printf")) {
                        int32_t a = u->w[w].next;
                        if (a >= 0 && word_eq(u, a, "-v") && u->w[a].next >= 0) {
                                size_t pn;
                                const char *p = sh_plain_word(u, u->w[a].next, &pn);
                                if (p && pn && sh_name_char(p[0], true) &&
                                    (r = var_assign(u, p, pn, -1, 0)) < 0)
                                        return r;
                        }
                }
#undef IS
        }
        return 0;
}

uint8_t sh_func_taint(struct sh_unit *u, const char *name, size_t n, unsigned depth) {
        struct sh_unit *o = u;
        int32_t i = -1;
        for (; o && (i = func_find_local(o, name, n)) < 0; o = o->parent)
                ;
        if (i < 0)
                return 0;
        struct sh_func *f = &o->funcs[i];
        if (f->taint_done)
                return f->taint;
        if (f->taint_busy || (depth >= SH_EVAL_DEPTH && sh_cut(u)))
                return 0;
        size_t cuts = u->sc->cuts;
        f->taint_busy = true;
        /* commands are in source order: those that start inside the body */
        size_t lo = 0, hi = o->nc;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (o->c[mid].tok <= f->body_tb)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        uint8_t t = 0;
        for (size_t c = lo; c < o->nc && o->c[c].tok < f->body_te; c++)
                t |= sh_cmd_own_taint(o, (int32_t) c, depth + 1);
        f = &o->funcs[i];
        f->taint = t;
        f->taint_busy = false;
        f->taint_done = u->sc->cuts == cuts;
        return t;
}

void sh_vars_free(struct sh_unit *u) {
        big_free(u->funcs);
        free(u->fhash);
        u->funcs = NULL;
        u->fhash = NULL;
        u->nfuncs = u->capfuncs = u->fhash_cap = 0;
        for (size_t i = 0; i < u->nvars; i++)
                free(u->vars[i].value);
        big_free(u->vars);
        free(u->vhash);
        u->vars = NULL;
        u->vhash = NULL;
        u->nvars = u->capvars = u->vhash_cap = 0;
}

/* Resolve a variable's constant value once (memoised); NULL when it is not one constant. */
const struct sh_var *sh_var_value(struct sh_unit *owner, struct sh_var *v, unsigned depth) {
        if (v->state == 2)
                return v->value ? v : NULL;
        if (v->state == 1)
                return NULL; /* a cycle: unknown */
        if (depth >= SH_EVAL_DEPTH && sh_cut(owner))
                return NULL; /* too deep: unknown, not memoised */
        if (v->count != 1 || v->nrhs != 1 || v->rhs[0] < 0) {
                v->state = 2;
                return NULL;
        }
        v->state = 1;
        size_t cuts = owner->sc->cuts;
        char *buf = malloc(SH_WORD_MAX);
        if (!buf) {
                v->state = 0;
                return NULL;
        }
        struct sh_arg info;
        size_t n = sh_word_value(owner, v->rhs[0], v->rhs_skip[0], buf, SH_WORD_MAX, &info, depth + 1);
        v->state = 2;
        if (info.vflags & (SHV_UNKNOWN | SHV_TRUNC)) {
                free(buf);
                if (owner->sc->cuts != cuts)
                        v->state = 0; /* maybe unknown only because it was cut short */
                return NULL;
        }
        char *exact = realloc(buf, n + 1); /* values are short; 4 KiB each would add up */
        v->value = exact ? exact : buf;
        v->vlen = (uint32_t) n;
        v->vflags = info.vflags;
        return v;
}

uint8_t sh_var_taint(struct sh_unit *owner, struct sh_var *v, unsigned depth) {
        if (v->taint_done)
                return v->taint;
        if (v->taint_busy)
                return 0;
        if (depth >= SH_EVAL_DEPTH && sh_cut(owner))
                return 0;
        size_t cuts = owner->sc->cuts;
        v->taint_busy = true;
        uint8_t t = 0;
        char *buf = malloc(SH_WORD_MAX);
        if (buf) {
                for (size_t i = 0; i < v->nrhs; i++) {
                        if (v->rhs[i] < 0)
                                continue;
                        struct sh_arg info;
                        sh_word_value(owner, v->rhs[i], v->rhs_skip[i], buf, SH_WORD_MAX, &info, depth + 1);
                        t |= info.taint;
                }
                free(buf);
        }
        v->taint_busy = false;
        v->taint_done = buf != NULL && owner->sc->cuts == cuts;
        v->taint = t;
        return t;
}
