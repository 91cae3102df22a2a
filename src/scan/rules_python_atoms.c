/* The Python analyser's atoms (rules_python_internal.h): numbers, string literals and f-strings
 * (folded with their fields), list/tuple/set/dict displays and comprehensions (folded over a
 * constant list when small), names looked up in their scopes. */
#include "rules_python_internal.h"

#include <string.h>

#include "../base/macros.h"

/* ---- atoms ---- */

static struct pv number(const struct py *P, uint32_t i) {
        const struct token *t = py_tk(P, i);
        const char *s = P->toks->src + t->offset;
        size_t n = t->len, k = 0;
        unsigned base = 10;
        if (n > 2 && s[0] == '0') {
                char b = (char) (s[1] | 0x20);
                base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
                if (base != 10)
                        k = 2;
        }
        uint64_t v = 0;
        for (; k < n; k++) {
                unsigned char c = (unsigned char) s[k];
                if (c == '_')
                        continue;
                unsigned d;
                if (c >= '0' && c <= '9')
                        d = c - '0';
                else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                        d = (c | 0x20) - 'a' + 10;
                else
                        return pv_unknown(0); /* float, complex */
                if (d >= base || v > (UINT64_MAX - d) / base || v * base + d > INT64_MAX)
                        return pv_unknown(0);
                v = v * base + d;
        }
        return py_num((int64_t) v);
}

static bool has_escapes(const struct py *P, const struct token *t) {
        return (P->esc[t - P->toks->v] & PY_ESC_ESCAPES) != 0;
}

static struct pv literal(struct py *P, uint32_t i) {
        const struct token *t = py_tk(P, i);
        uint32_t fl = PVF_LITERAL | (t->flags & TOKF_BYTES ? PVF_BYTES : 0) |
                      (has_escapes(P, t) ? PVF_ESCAPED : 0);
        struct pv v = py_str(P, t->value, t->value_len, fl);
        if (fl & PVF_ESCAPED)
                v.ev = EV_ESCAPED;
        return v;
}

/* One replacement field of an f-string, [s, e) inside its braces: the expression, then any
 * "=", "!r", ":spec" (whose nested fields are evaluated too). */
static struct pv fstring_field(struct py *P, uint32_t s, uint32_t e) {
        uint32_t i = s;
        struct pv v = py_exprlist(P, &i, e);
        bool plain = true;
        py_env_sink(P, s, v, "formatted into a string");
        while (i < e) {
                if (py_punct(P, i, "{")) {
                        uint32_t c = py_closer(P, i, e), j = i + 1;
                        while (j < c) {
                                uint32_t before = j;
                                (void) py_exprlist(P, &j, c);
                                if (j == before)
                                        j++;
                        }
                        py_skip_past(P, &i, c, e);
                        plain = false;
                        continue;
                }
                if (py_punct(P, i, "!") && py_is_ident(P, i + 1)) {
                        const struct token *c = py_tk(P, i + 1);
                        if (!(c->len == 1 && P->toks->src[c->offset] == 's'))
                                plain = false;
                        i += 2;
                        continue;
                }
                if (py_tk(P, i)->kind == TOK_STRING && (py_tk(P, i)->flags & TOKF_FSTRING) && py_tk(P, i)->value_len == 0) {
                        i++;
                        continue;
                }
                plain = false;
                i++;
        }
        if (!plain)
                return py_str(P, "\x01", 1, py_taints(v) | PVF_HOLES);
        return py_to_text(P, v);
}

static struct pv fstring(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t i = *ip;
        const struct token *t = py_tk(P, i);
        struct pv acc = py_str(P, t->value, t->value_len, has_escapes(P, t) ? PVF_ESCAPED : 0);
        uint32_t last_end = t->offset + t->len;
        bool after_field = false, fields = false;
        i++;
        while (i < end) {
                t = py_tk(P, i);
                if (py_punct(P, i, "{") && (t->flags & TOKF_INTERP) && t->offset == last_end) {
                        uint32_t c = py_closer(P, i, end);
                        struct pv f = fstring_field(P, i + 1, c);
                        acc = py_concat(P, acc, f);
                        fields = true;
                        if (c >= end) {
                                i = end;
                                break;
                        }
                        last_end = py_tk(P, c)->offset + py_tk(P, c)->len;
                        i = c + 1;
                        after_field = true;
                        continue;
                }
                if (after_field && t->kind == TOK_STRING && (t->flags & TOKF_FSTRING) && t->offset == last_end) {
                        acc = py_concat(P, acc, py_str(P, t->value, t->value_len, has_escapes(P, t) ? PVF_ESCAPED : 0));
                        last_end = t->offset + t->len;
                        after_field = false;
                        i++;
                        continue;
                }
                break;
        }
        *ip = i;
        if (!fields && acc.kind == PV_STR)
                acc.fl |= PVF_LITERAL;
        return acc;
}

/* Adjacent literals concatenate ("sys" "tem"); each may be an f-string. */
static struct pv strings(struct py *P, uint32_t *ip, uint32_t end) {
        struct pv acc = { .kind = PV_NONE };
        unsigned n = 0;
        while (*ip < end && py_tk(P, *ip)->kind == TOK_STRING) {
                struct pv v;
                if (py_tk(P, *ip)->flags & TOKF_FSTRING)
                        v = fstring(P, ip, end);
                else
                        v = literal(P, (*ip)++);
                acc = n++ ? py_concat(P, acc, v) : v;
        }
        if (n > 1 && acc.kind == PV_STR) {
                acc.fl &= ~PVF_LITERAL;
                if (acc.ev < EV_PIECES)
                        acc.ev = EV_PIECES;
        }
        return acc;
}

bool py_starts_expr(const struct py *P, uint32_t i, uint32_t end) {
        if (i >= end)
                return false;
        const struct token *t = py_tk(P, i);
        if (t->kind == TOK_STRING || t->kind == TOK_NUMBER)
                return true;
        if (t->kind == TOK_IDENT)
                return !py_is_stop_kw(P, i);
        return py_punct(P, i, "(") || py_punct(P, i, "[") || py_punct(P, i, "{") || py_punct(P, i, "-") ||
               py_punct(P, i, "+") || py_punct(P, i, "~") || py_punct(P, i, "*") || py_punct(P, i, "...");
}

/* The value an iteration over v yields. */
struct pv py_element_of(struct py *P, struct pv v) {
        uint32_t t = py_taints(v);
        if (v.kind == PV_LIST && !(v.fl & (PVF_HOLES | PVF_DICT)) && v.n > 0) {
                struct pv acc = v.u.items[0];
                for (uint32_t k = 1; k < v.n; k++)
                        acc = py_join(P, acc, v.u.items[k]);
                return acc;
        }
        return pv_unknown(t);
}

/* A comprehension in [s, e) (inside its brackets): the element in [s, elt_end), its first
 * `for` at for_idx. Folded over a constant list when small and simple, so
 * ''.join(chr(c) for c in [...]) gives the string. */
struct pv py_comprehension(struct py *P, uint32_t s, uint32_t elt_end, uint32_t for_idx, uint32_t e, bool dict) {
        uint32_t saved = P->scope;
        uint32_t comp = py_scope_for(P, for_idx, SCOPE_COMP);
        struct pv fold_iter = pv_unknown(0);
        uint32_t fold_sym = PY_NOSYM;
        unsigned n_for = 0, n_if = 0;
        uint32_t taints = 0;
        uint32_t i = for_idx;
        while (i < e) {
                if (py_kw(P, i, KW_ASYNC)) {
                        i++;
                        continue;
                }
                if (py_kw(P, i, KW_FOR)) {
                        uint32_t in = py_find_top_kw(P, i + 1, e, KW_IN);
                        uint32_t j = in < e ? in + 1 : e;
                        struct pv it = py_binary(P, &j, e, BP_OR);
                        P->scope = comp;
                        taints |= py_taints(it);
                        py_bind_target(P, i + 1, in, py_element_of(P, it));
                        if (n_for++ == 0) {
                                fold_iter = it;
                                if (in == i + 2 && py_is_ident(P, i + 1))
                                        fold_sym = py_sym(P, i + 1);
                        }
                        i = j;
                        continue;
                }
                if (py_kw(P, i, KW_IF)) {
                        uint32_t j = i + 1;
                        P->scope = comp;
                        (void) py_binary(P, &j, e, BP_OR);
                        n_if++;
                        i = j > i + 1 ? j : i + 1;
                        continue;
                }
                i++;
        }
        P->scope = comp;
        uint32_t j = s;
        struct pv elt = py_expr(P, &j, elt_end);
        if (dict && py_punct(P, j, ":")) {
                j++;
                elt = py_expr(P, &j, elt_end);
        }
        struct pv result = pv_unknown(taints | py_taints(elt));
        size_t cost = (size_t) (elt_end - s) * (fold_iter.kind == PV_LIST ? fold_iter.n : 0);
        if (!dict && n_for == 1 && n_if == 0 && fold_sym != PY_NOSYM && fold_iter.kind == PV_LIST &&
            !(fold_iter.fl & PVF_HOLES) && fold_iter.n > 0 && cost <= P->fold_budget) {
                struct pv *items = py_scratch(P);
                if (!items)
                        return result;
                P->fold_budget -= (uint32_t) cost;
                P->quiet++;
                for (uint32_t k = 0; k < fold_iter.n; k++) {
                        if (P->n_over >= ELEMENTSOF(P->over)) {
                                items[k] = pv_unknown(0);
                                continue;
                        }
                        P->over[P->n_over].sym = fold_sym;
                        P->over[P->n_over++].val = fold_iter.u.items[k];
                        j = s;
                        items[k] = py_expr(P, &j, elt_end);
                        P->n_over--;
                }
                P->quiet--;
                result = py_list(P, items, fold_iter.n, PVF_PIECES);
        }
        P->scope = saved;
        return result;
}

/* A list, tuple or set display's elements in [s, e): starred ones spliced in when known. */
static struct pv display(struct py *P, uint32_t s, uint32_t e, bool *ret_comma) {
        struct pv *items = py_scratch(P);
        if (!items)
                return pv_unknown(0);
        size_t n = 0;
        uint32_t fl = 0;
        uint32_t i = s;
        bool comma = false;
        while (i < e) {
                uint32_t before = i;
                struct pv v;
                bool star = py_punct(P, i, "*");
                if (star)
                        i++;
                v = py_expr(P, &i, e);
                if (star) {
                        if (v.kind == PV_LIST && !(v.fl & PVF_HOLES)) {
                                for (uint32_t k = 0; k < v.n && n < PY_LIST_MAX; k++)
                                        items[n++] = v.u.items[k];
                        } else
                                fl |= PVF_HOLES | py_taints(v);
                } else if (n < PY_LIST_MAX)
                        items[n++] = v;
                else
                        fl |= PVF_HOLES;
                while (i < e && !py_punct(P, i, ",")) {
                        uint32_t b2 = i;
                        (void) py_expr(P, &i, e);
                        if (i == b2)
                                i++;
                        fl |= PVF_HOLES;
                }
                if (i < e) {
                        comma = true;
                        i++;
                }
                if (i == before)
                        i++;
        }
        if (ret_comma)
                *ret_comma = comma;
        /* once an element is unknown nothing after it is placed reliably */
        return py_list(P, items, n, fl);
}

/* A dict display: its values (keys are not kept), so TOOLS[kind] is one of the constants. */
static struct pv dict_display(struct py *P, uint32_t s, uint32_t e) {
        struct pv *vals = py_scratch(P);
        if (!vals)
                return pv_unknown(0);
        size_t n = 0;
        uint32_t fl = PVF_DICT, i = s;
        while (i < e) {
                uint32_t before = i;
                if (py_punct(P, i, "**")) {
                        i++;
                        struct pv v = py_expr(P, &i, e);
                        fl |= py_taints(v);
                        if (v.kind == PV_LIST && (v.fl & PVF_DICT) && !(v.fl & PVF_HOLES))
                                for (uint32_t k = 0; k < v.n && n < PY_LIST_MAX; k++)
                                        vals[n++] = v.u.items[k];
                        else
                                fl |= PVF_HOLES;
                } else {
                        struct pv k = py_expr(P, &i, e);
                        fl |= py_taints(k) & ~PVF_ENV;
                        if (py_punct(P, i, ":")) {
                                i++;
                                struct pv v = py_expr(P, &i, e);
                                fl |= py_taints(v);
                                if (n < PY_LIST_MAX)
                                        vals[n++] = v;
                                else
                                        fl |= PVF_HOLES;
                        }
                }
                while (i < e && !py_punct(P, i, ",")) {
                        uint32_t b2 = i;
                        (void) py_expr(P, &i, e);
                        if (i == b2)
                                i++;
                }
                if (i < e)
                        i++;
                if (i == before)
                        i++;
        }
        return py_list(P, vals, n, fl);
}

struct pv py_name(struct py *P, uint32_t i) {
        P->atom_name_sym = py_sym(P, i);
        P->atom_name_tok = i;
        struct pv v = py_lookup(P, py_sym(P, i), i);
        uint32_t dummy;
        if (P->folded.n && py_map_get(&P->folded, (uint64_t) i + 1, &dummy) && v.ev < EV_UNICODE)
                v.ev = EV_UNICODE;
        return v;
}

struct pv py_atom(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t i = *ip;
        const struct token *t = py_tk(P, i);
        switch (t->kind) {
        case TOK_NUMBER:
                *ip = i + 1;
                return number(P, i);
        case TOK_STRING:
                return strings(P, ip, end);
        case TOK_IDENT: {
                /* keywords (and a few well-known names) are the first symbols: a plain name skips
                 * the tests */
                if (py_sym(P, i) >= KW_N)
                        goto name;
                if (py_kw(P, i, KW_TRUE) || py_kw(P, i, KW_FALSE)) {
                        *ip = i + 1;
                        struct pv v = py_num(py_kw(P, i, KW_TRUE));
                        v.fl |= PVF_BOOL;
                        return v;
                }
                if (py_kw(P, i, KW_NONE)) {
                        *ip = i + 1;
                        return (struct pv) { .kind = PV_NONE };
                }
                if (py_is_stop_kw(P, i) || py_kw(P, i, KW_NOT) || py_kw(P, i, KW_LAMBDA) || py_kw(P, i, KW_YIELD))
                        return pv_unknown(0);
        name:
                *ip = i + 1;
                return py_name(P, i);
        }
        case TOK_PUNCT: {
                if (py_punct(P, i, "...")) {
                        *ip = i + 1;
                        return pv_unknown(0);
                }
                bool paren = py_punct(P, i, "("), bracket = py_punct(P, i, "["), brace = py_punct(P, i, "{");
                if (!paren && !bracket && !brace)
                        return pv_unknown(0);
                uint32_t c = py_closer(P, i, end);
                uint32_t s = i + 1;
                struct pv v;
                uint32_t for_idx = py_first_for(P, i, c);
                if (for_idx < c) {
                        uint32_t f = for_idx;
                        if (f > s && py_kw(P, f - 1, KW_ASYNC))
                                f--;
                        v = py_comprehension(P, s, f, for_idx, c, brace);
                        /* a generator over something unknown is still a list-like value */
                } else if (brace) {
                        /* a dict when a ':' or '**' is at its top, else a set */
                        uint32_t colon = py_find_top_punct(P, s, c, ":");
                        uint32_t dstar = py_find_top_punct(P, s, c, "**");
                        if (colon < c || dstar < c || s == c)
                                v = dict_display(P, s, c);
                        else
                                v = display(P, s, c, NULL);
                } else if (bracket) {
                        v = display(P, s, c, NULL);
                } else if (s == c) {
                        v = py_list(P, NULL, 0, 0); /* () */
                } else {
                        bool comma = false;
                        if (py_kw(P, s, KW_YIELD)) {
                                uint32_t j = s + 1;
                                if (py_kw(P, j, KW_FROM))
                                        j++;
                                (void) py_exprlist(P, &j, c);
                                v = pv_unknown(0);
                        } else {
                                uint32_t j = s;
                                v = py_expr(P, &j, c);
                                if (j < c) {
                                        /* a tuple, or junk: evaluate all of it */
                                        v = display(P, s, c, &comma);
                                        if (!comma && v.kind == PV_LIST && v.n == 1)
                                                v = v.u.items[0];
                                }
                        }
                }
                py_skip_past(P, ip, c, end);
                return v;
        }
        default:
                return pv_unknown(0);
        }
}

