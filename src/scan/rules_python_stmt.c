/* The Python analyser's statements (rules_python_internal.h): logical lines, compound headers,
 * imports, def/class blocks found by indentation (each its own scope), assignments and their
 * targets. Every expression of the file is evaluated once per pass from here. */
#include "rules_python_internal.h"

#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"

/* Keywords that end an expression where they stand (keywords are the first symbols). */
bool py_is_stop_kw(const struct py *P, uint32_t i) {
        static const bool STOP[KW_N] = {
                [KW_AND] = true, [KW_AS] = true, [KW_ASSERT] = true, [KW_ASYNC] = true, [KW_BREAK] = true,
                [KW_CLASS] = true, [KW_CONTINUE] = true, [KW_DEF] = true, [KW_DEL] = true, [KW_ELIF] = true,
                [KW_ELSE] = true, [KW_EXCEPT] = true, [KW_FINALLY] = true, [KW_FOR] = true, [KW_FROM] = true,
                [KW_GLOBAL] = true, [KW_IF] = true, [KW_IMPORT] = true, [KW_IN] = true, [KW_IS] = true,
                [KW_NONLOCAL] = true, [KW_OR] = true, [KW_PASS] = true, [KW_RAISE] = true, [KW_RETURN] = true,
                [KW_TRY] = true, [KW_WHILE] = true, [KW_WITH] = true,
        };
        uint32_t s = py_sym(P, i);
        return s < KW_N && P->kw[s] == s && STOP[s];
}

/* The first token at bracket depth 0 in [s, e) for which pred holds; e when none. */
uint32_t py_find_top_kw(const struct py *P, uint32_t s, uint32_t e, enum py_kw kw) {
        for (uint32_t i = s; i < e; i++) {
                if (py_is_opener(P, i)) {
                        uint32_t c = py_closer(P, i, e);
                        if (c >= e)
                                return e;
                        i = c;
                        continue;
                }
                if (py_kw(P, i, kw))
                        return i;
        }
        return e;
}

uint32_t py_find_top_punct(const struct py *P, uint32_t s, uint32_t e, const char *p) {
        uint32_t want = py_pack(p), lim = e < P->n ? e : P->n; /* tokens past n match nothing */
        for (uint32_t i = s; i < lim; i++) {
                if (P->tf[i] & PY_TF_OPENER) {
                        uint32_t c = py_closer(P, i, e);
                        if (c >= e)
                                return e;
                        i = c;
                        continue;
                }
                if (py_pw(P, i) == want)
                        return i;
        }
        return e;
}

/* The ':' that ends a compound statement header (one ':' per lambda in it is the lambda's). */
uint32_t py_header_colon(const struct py *P, uint32_t s, uint32_t e) {
        unsigned lambdas = 0;
        for (uint32_t i = s; i < e; i++) {
                if (py_is_opener(P, i)) {
                        uint32_t c = py_closer(P, i, e);
                        if (c >= e)
                                return e;
                        i = c;
                        continue;
                }
                if (py_kw(P, i, KW_LAMBDA))
                        lambdas++;
                else if (py_punct(P, i, ":")) {
                        if (!lambdas)
                                return i;
                        lambdas--;
                }
        }
        return e;
}

uint32_t py_scope_for(struct py *P, uint32_t tok, uint8_t kind) {
        /* The keyword's link.a (a name has no other use for it) remembers the scope from pass to
         * pass. Always a keyword here; anything else is given the enclosing scope. */
        struct token *t = tok < P->n ? &P->toks->v[tok] : NULL;
        if (!t || t->kind != TOK_IDENT)
                return P->scope;
        if (t->link.a != UINT32_MAX)
                return t->link.a;
        if (P->n_scopes >= PY_SCOPES_MAX)
                return P->scope;
        if (P->n_scopes == P->cap_scopes) {
                size_t cap = P->cap_scopes * 2;
                struct py_scope *g = big_reallocarray(P->scopes, cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        return P->scope;
                }
                P->scopes = g;
                P->cap_scopes = cap;
        }
        uint32_t id = (uint32_t) P->n_scopes;
        t->link.a = id;
        P->scopes[P->n_scopes++] = (struct py_scope) { .tok = tok, .parent = P->scope, .kind = kind,
                                                        .name_sym = PY_NOSYM };
        return id;
}

/* ---- statements ---- */

static void eval_all(struct py *P, uint32_t s, uint32_t e) {
        uint32_t i = s;
        while (i < e) {
                uint32_t before = i;
                (void) py_exprlist(P, &i, e);
                if (i == before)
                        i++;
        }
}

void py_bind_target(struct py *P, uint32_t a, uint32_t b, struct pv v) {
        if (a >= b)
                return;
        if ((py_punct(P, a, "(") || py_punct(P, a, "[")) && py_closer(P, a, b) == b - 1) {
                py_bind_target(P, a + 1, b - 1, v.kind == PV_LIST ? v : v);
                return;
        }
        uint32_t comma = py_find_top_punct(P, a, b, ",");
        if (comma < b) {
                /* a, b = ... : element-wise when the shapes agree */
                uint32_t parts[PY_LIST_MAX + 1], np = 0, i = a;
                while (i < b && np < PY_LIST_MAX) {
                        uint32_t c = py_find_top_punct(P, i, b, ",");
                        parts[np++] = i;
                        i = c < b ? c + 1 : b;
                }
                parts[np] = b;
                bool exact = v.kind == PV_LIST && !(v.fl & (PVF_HOLES | PVF_DICT)) && v.n == np;
                for (uint32_t k = 0; k < np; k++) {
                        uint32_t pe = k + 1 < np ? parts[k + 1] - 1 : b;
                        if (k + 1 == np && pe > parts[k] && py_punct(P, pe - 1, ","))
                                pe--;
                        struct pv x = exact && !py_punct(P, parts[k], "*") ? v.u.items[k] : pv_unknown(py_taints(v));
                        uint32_t ps = py_punct(P, parts[k], "*") ? parts[k] + 1 : parts[k];
                        if (ps < pe)
                                py_bind_target(P, ps, pe, x);
                }
                return;
        }
        if (b == a + 1 && py_is_ident(P, a)) {
                py_assign(P, P->scope, py_sym(P, a), v);
                return;
        }
        if (b == a + 3 && py_is_ident(P, a) && py_punct(P, a + 1, ".") && py_is_ident(P, a + 2)) {
                struct pv recv = py_lookup(P, py_sym(P, a), a);
                if (recv.kind == PV_OBJ || recv.kind == PV_CLASS)
                        py_assign(P, recv.u.id, py_sym(P, a + 2), v);
                else
                        py_taint_name(P, py_sym(P, a), py_taints(v));
                return;
        }
        /* d[k] = v: what is stored taints the container */
        if (py_is_ident(P, a) && (py_punct(P, a + 1, "[") || py_punct(P, a + 1, ".")))
                py_taint_name(P, py_sym(P, a), py_taints(v));
        eval_all(P, a, b);
}

static struct py_bind *cur_binding(struct py *P, uint32_t sym) {
        int cur = P->pass & 1;
        for (uint32_t s = P->scope;; s = P->scopes[s].parent) {
                struct py_bind *b = py_bind_get(P, cur, s, sym, false);
                if (b || s == 0)
                        return b;
        }
}

static void augmented(struct py *P, uint32_t a, uint32_t op, uint32_t e) {
        uint32_t i = op + 1;
        struct pv rhs = py_exprlist(P, &i, e);
        eval_all(P, i, e);
        if (!(op == a + 1 && py_is_ident(P, a))) {
                eval_all(P, a, op);
                return;
        }
        uint32_t sym = py_sym(P, a);
        struct py_bind *b = cur_binding(P, sym);
        struct pv old = b ? b->last : py_lookup(P, sym, a);
        const struct token *t = py_tk(P, op);
        char c = P->toks->src[t->offset];
        struct pv nv;
        if (c == '+')
                nv = py_concat(P, old, rhs);
        else if (c == '|' || c == '&' || c == '^' || c == '-' || c == '*')
                nv = py_numeric(c, old, rhs);
        else
                nv = pv_unknown(py_taints(old) | py_taints(rhs));
        b = cur_binding(P, sym);
        if (b)
                b->last = nv;
        else
                py_assign(P, P->scope, sym, nv);
}

static bool is_aug_op(const struct py *P, uint32_t i) {
        const struct token *t = py_tk(P, i);
        if (t->kind != TOK_PUNCT || t->len < 2)
                return false;
        const char *s = P->toks->src + t->offset;
        if (s[t->len - 1] != '=')
                return false;
        static const char *const OPS[] = { "+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=",
                                           "^=", "|=", "@=" };
        for (size_t k = 0; k < ELEMENTSOF(OPS); k++)
                if (py_punct(P, i, OPS[k]))
                        return true;
        return false;
}

static void assignment_or_expr(struct py *P, uint32_t s, uint32_t e) {
        uint32_t eqs[8], n_eq = 0, ann = e;
        for (uint32_t i = s; i < e; i++) {
                if (!(P->tf[i] & (PY_TF_OPENER | PY_TF_ASSIGN)))
                        continue; /* none of the tokens tested below */
                if (py_is_opener(P, i)) {
                        uint32_t c = py_closer(P, i, e);
                        if (c >= e)
                                break;
                        i = c;
                        continue;
                }
                if (py_kw(P, i, KW_LAMBDA))
                        break;
                if (py_punct(P, i, "=")) {
                        if (n_eq < ELEMENTSOF(eqs))
                                eqs[n_eq++] = i;
                        continue;
                }
                if (n_eq == 0 && is_aug_op(P, i)) {
                        augmented(P, s, i, e);
                        return;
                }
                if (n_eq == 0 && ann == e && py_punct(P, i, ":"))
                        ann = i;
        }
        if (n_eq == 0) {
                if (ann < e)
                        return; /* x: int */
                eval_all(P, s, e);
                return;
        }
        uint32_t i = eqs[n_eq - 1] + 1;
        struct pv v = py_exprlist(P, &i, e);
        eval_all(P, i, e);
        for (uint32_t k = 0; k < n_eq; k++) {
                uint32_t a = k == 0 ? s : eqs[k - 1] + 1;
                uint32_t b = k == 0 && ann < eqs[0] ? ann : eqs[k];
                py_bind_target(P, a, b, v);
        }
}

static void record_return(struct py *P, struct pv v) {
        uint32_t s = P->scope;
        while (s != 0 && P->scopes[s].kind == SCOPE_COMP)
                s = P->scopes[s].parent;
        if (s == 0 || P->scopes[s].kind == SCOPE_CLASS)
                return;
        struct py_scope *sc = &P->scopes[s];
        int w = P->pass & 1;
        sc->ret[w] = sc->has_ret[w] ? py_join(P, sc->ret[w], v) : v;
        sc->has_ret[w] = true;
}

static void push_block(struct py *P, uint32_t indent, uint32_t scope) {
        if (P->nblk < PY_BLOCKS_MAX)
                P->blk[P->nblk++] = (typeof(P->blk[0])) { indent, scope };
        P->scope = scope;
}

/* Dotted module name at *ip ("os.path"), into buf; its length (0 when none). */
static size_t dotted(struct py *P, uint32_t *ip, uint32_t e, char *buf, size_t cap) {
        size_t n = 0;
        uint32_t i = *ip;
        while (i < e && py_is_ident(P, i)) {
                const struct py_sym *s = &P->syms[py_sym(P, i)];
                if (py_sym(P, i) == PY_NOSYM || n + s->len + 2 > cap)
                        return 0;
                if (n)
                        buf[n++] = '.';
                memcpy(buf + n, s->s, s->len);
                n += s->len;
                i++;
                if (!(i + 1 < e && py_punct(P, i, ".") && py_is_ident(P, i + 1)))
                        break;
                i++;
        }
        buf[n] = '\0';
        *ip = i;
        return n;
}

static void import_stmt(struct py *P, uint32_t s, uint32_t e) {
        uint32_t i = s + 1;
        while (i < e) {
                uint32_t first = i;
                char buf[PY_REF_NAME_MAX + 1];
                size_t n = dotted(P, &i, e, buf, sizeof(buf));
                if (n == 0) {
                        i++;
                        continue;
                }
                uint32_t full = py_module_ref(P, buf, n);
                py_note_import(P, first, full);
                if (py_kw(P, i, KW_AS) && py_is_ident(P, i + 1)) {
                        py_assign(P, P->scope, py_sym(P, i + 1), py_ref(full, full == P->ref_os_environ ? PVF_ENV : 0, EV_NONE));
                        i += 2;
                } else {
                        size_t l = 0;
                        while (l < n && buf[l] != '.')
                                l++;
                        uint32_t top = py_module_ref(P, buf, l);
                        py_assign(P, P->scope, py_sym(P, first), py_ref(top, 0, EV_NONE));
                }
                while (i < e && !py_punct(P, i, ","))
                        i++;
                i++;
        }
}

static void from_stmt(struct py *P, uint32_t s, uint32_t e) {
        uint32_t i = s + 1;
        bool relative = false;
        while (i < e && (py_punct(P, i, ".") || py_punct(P, i, "..."))) {
                relative = true;
                i++;
        }
        char buf[PY_REF_NAME_MAX + 1];
        size_t n = dotted(P, &i, e, buf, sizeof(buf));
        uint32_t mod = !relative && n ? py_module_ref(P, buf, n) : PY_NOREF;
        if (mod != PY_NOREF)
                py_note_import(P, s + 1, mod);
        if (!py_kw(P, i, KW_IMPORT))
                return;
        i++;
        if (py_punct(P, i, "*")) {
                if (mod != PY_NOREF && P->n_star < PY_STAR_MAX) {
                        for (size_t k = 0; k < P->n_star; k++)
                                if (P->star_mods[k] == mod)
                                        return;
                        P->star_mods[P->n_star++] = mod;
                        py_map_free(&P->star_memo); /* what unbound names resolve to has changed */
                }
                return;
        }
        if (py_punct(P, i, "(")) {
                uint32_t c = py_closer(P, i, e);
                e = c;
                i++;
        }
        while (i < e) {
                if (!py_is_ident(P, i)) {
                        i++;
                        continue;
                }
                uint32_t name = py_sym(P, i), target = name;
                uint32_t tok = i++;
                if (py_kw(P, i, KW_AS) && py_is_ident(P, i + 1)) {
                        target = py_sym(P, i + 1);
                        i += 2;
                }
                struct pv v = pv_unknown(0);
                if (mod != PY_NOREF) {
                        uint32_t r = py_ref_child(P, mod, name);
                        v = py_ref(r, r == P->ref_os_environ ? PVF_ENV : 0, EV_NONE);
                        py_note_import(P, tok, r);
                }
                py_assign(P, P->scope, target, v);
                while (i < e && !py_punct(P, i, ","))
                        i++;
                i++;
        }
}

/* def NAME(params) [-> ann]: ...  Returns where the body starts on this line. */
static uint32_t def_stmt(struct py *P, uint32_t s, uint32_t e, uint32_t indent) {
        uint32_t i = s + 1;
        bool is_static = P->pending_static, is_cm = P->pending_classmethod;
        P->pending_static = P->pending_classmethod = false;
        if (!py_is_ident(P, i))
                return s + 1;
        uint32_t name = py_sym(P, i);
        uint32_t scope = py_scope_for(P, s, SCOPE_FUNC);
        struct py_scope *sc = &P->scopes[scope];
        sc->name_sym = name;
        sc->is_method = P->scopes[P->scope].kind == SCOPE_CLASS && scope != P->scope;
        sc->is_static = is_static;
        sc->is_classmethod = is_cm;
        i++;
        if (py_punct(P, i, "(")) {
                uint32_t c = py_closer(P, i, e);
                py_params(P, scope, i + 1, c, true);
                i = c < e ? c + 1 : e;
        }
        uint32_t colon = py_header_colon(P, i, e);
        if (i < colon && py_punct(P, i, "->")) {
                i++;
                eval_all(P, i, colon);
        }
        py_assign(P, P->scope, name, (struct pv) { .kind = PV_FUNC, .u.id = scope });
        sc = &P->scopes[scope];
        uint32_t cls = P->scope;
        push_block(P, indent, scope);
        if (sc->is_method && !sc->is_static && sc->n_params > 0 && sc->params[0].kind == PARAM_PLAIN)
                py_assign(P, scope, sc->params[0].sym,
                          (struct pv) { .kind = is_cm ? PV_CLASS : PV_OBJ, .u.id = cls });
        return colon < e ? colon + 1 : e;
}

static uint32_t class_stmt(struct py *P, uint32_t s, uint32_t e, uint32_t indent) {
        uint32_t i = s + 1;
        P->pending_static = P->pending_classmethod = false;
        if (!py_is_ident(P, i))
                return s + 1;
        uint32_t name = py_sym(P, i++);
        if (py_punct(P, i, "(")) {
                uint32_t c = py_closer(P, i, e);
                eval_all(P, i + 1, c);
                i = c < e ? c + 1 : e;
        }
        uint32_t colon = py_header_colon(P, i, e);
        uint32_t scope = py_scope_for(P, s, SCOPE_CLASS);
        P->scopes[scope].name_sym = name;
        py_assign(P, P->scope, name, (struct pv) { .kind = PV_CLASS, .u.id = scope });
        push_block(P, indent, scope);
        return colon < e ? colon + 1 : e;
}

static uint32_t for_stmt(struct py *P, uint32_t s, uint32_t e) {
        uint32_t in = py_find_top_kw(P, s + 1, e, KW_IN);
        uint32_t colon = py_header_colon(P, in < e ? in + 1 : e, e);
        if (in < e) {
                uint32_t j = in + 1;
                struct pv it = py_exprlist(P, &j, colon);
                eval_all(P, j, colon);
                py_bind_target(P, s + 1, in, py_element_of(P, it));
        }
        return colon < e ? colon + 1 : e;
}

static uint32_t with_stmt(struct py *P, uint32_t s, uint32_t e) {
        uint32_t colon = py_header_colon(P, s + 1, e);
        uint32_t i = s + 1, end = colon;
        if (py_punct(P, i, "(") && py_closer(P, i, e) + 1 == colon && py_find_top_kw(P, i + 1, colon - 1, KW_AS) < colon - 1) {
                end = colon - 1;
                i++;
        }
        while (i < end) {
                uint32_t before = i;
                struct pv v = py_expr(P, &i, end);
                if (py_kw(P, i, KW_AS)) {
                        uint32_t t = i + 1;
                        uint32_t c = py_find_top_punct(P, t, end, ",");
                        py_bind_target(P, t, c, v);
                        i = c;
                }
                while (i < end && !py_punct(P, i, ",")) {
                        uint32_t b2 = i;
                        (void) py_expr(P, &i, end);
                        if (i == b2)
                                i++;
                }
                if (i < end)
                        i++;
                if (i == before)
                        i++;
        }
        return colon < e ? colon + 1 : e;
}

static void decorator(struct py *P, uint32_t s, uint32_t e) {
        uint32_t i = s + 1;
        if (i + 1 == e && py_kw(P, i, KW_STATICMETHOD))
                P->pending_static = true;
        else if (i + 1 == e && py_kw(P, i, KW_CLASSMETHOD))
                P->pending_classmethod = true;
        eval_all(P, i, e);
}

static bool docstring(const struct py *P, uint32_t s, uint32_t e) {
        for (uint32_t i = s; i < e; i++)
                if (py_tk(P, i)->kind != TOK_STRING)
                        return false;
        return true;
}

static void statement(struct py *P, uint32_t s, uint32_t e, uint32_t indent) {
        while (s < e) {
                if (!docstring(P, s, e))
                        P->scopes[P->scope].n_stmts[P->pass & 1]++;
                if (py_punct(P, s, "@")) {
                        decorator(P, s, e);
                        return;
                }
                if (py_tk(P, s)->kind != TOK_IDENT) {
                        assignment_or_expr(P, s, e);
                        return;
                }
                uint32_t sym = py_sym(P, s);
                if (sym >= KW_N) {
                        /* not a keyword (keywords are the first symbols): the common case */
                        assignment_or_expr(P, s, e);
                        return;
                }
                const uint32_t *kw = P->kw;
                if (sym == kw[KW_IMPORT]) {
                        import_stmt(P, s, e);
                        return;
                }
                if (sym == kw[KW_FROM]) {
                        from_stmt(P, s, e);
                        return;
                }
                if (sym == kw[KW_ASYNC]) {
                        s++;
                        continue;
                }
                if (sym == kw[KW_DEF]) {
                        s = def_stmt(P, s, e, indent);
                        continue;
                }
                if (sym == kw[KW_CLASS]) {
                        s = class_stmt(P, s, e, indent);
                        continue;
                }
                if (sym == kw[KW_IF] || sym == kw[KW_ELIF] || sym == kw[KW_WHILE]) {
                        uint32_t colon = py_header_colon(P, s + 1, e);
                        eval_all(P, s + 1, colon);
                        s = colon + 1;
                        continue;
                }
                if (sym == kw[KW_ELSE] || sym == kw[KW_TRY] || sym == kw[KW_FINALLY]) {
                        uint32_t colon = py_header_colon(P, s + 1, e);
                        s = colon + 1;
                        continue;
                }
                if (sym == kw[KW_EXCEPT]) {
                        uint32_t colon = py_header_colon(P, s + 1, e);
                        uint32_t as = py_find_top_kw(P, s + 1, colon, KW_AS);
                        eval_all(P, py_punct(P, s + 1, "*") ? s + 2 : s + 1, as);
                        if (as + 2 == colon && py_is_ident(P, as + 1))
                                py_assign(P, P->scope, py_sym(P, as + 1), pv_unknown(0));
                        s = colon + 1;
                        continue;
                }
                if (sym == kw[KW_FOR]) {
                        s = for_stmt(P, s, e);
                        continue;
                }
                if (sym == kw[KW_WITH]) {
                        s = with_stmt(P, s, e);
                        continue;
                }
                if (sym == kw[KW_RETURN]) {
                        uint32_t i = s + 1;
                        struct pv v = i < e ? py_exprlist(P, &i, e) : (struct pv) { .kind = PV_NONE };
                        eval_all(P, i, e);
                        record_return(P, v);
                        struct py_scope *sc = &P->scopes[P->scope];
                        if (sc->kind == SCOPE_FUNC) {
                                sc->ret_s[P->pass & 1] = s + 1;
                                sc->ret_e[P->pass & 1] = e;
                        }
                        return;
                }
                if (sym == kw[KW_GLOBAL] || sym == kw[KW_NONLOCAL] || sym == kw[KW_PASS] ||
                    sym == kw[KW_BREAK] || sym == kw[KW_CONTINUE])
                        return;
                if (sym == kw[KW_DEL] || sym == kw[KW_RAISE] || sym == kw[KW_ASSERT]) {
                        eval_all(P, s + 1, e);
                        return;
                }
                assignment_or_expr(P, s, e);
                return;
        }
}

/* One logical line: its statements are separated by ';'. */
static void logical_line(struct py *P, uint32_t s, uint32_t e, uint32_t indent) {
        if (!P->has_semicolon) {
                statement(P, s, e, indent);
                return;
        }
        while (s < e) {
                uint32_t semi = py_find_top_punct(P, s, e, ";");
                statement(P, s, semi, indent);
                s = semi + 1;
        }
}

void py_walk(struct py *P) {
        P->nblk = 0;
        P->scope = 0;
        uint32_t i = 0;
        struct token_cursor lines = { 0 };
        for (uint32_t k = 0; k <= P->n_nl; k++, i++) {
                uint32_t e = k < P->n_nl ? P->nl[k] : P->n; /* [i, e) is a logical line */
                if (i >= e) {
                        i = e;
                        continue;
                }
                uint32_t line, col;
                token_pos_seq(P->toks, &lines, py_tk(P, i)->offset, &line, &col);
                if (P->attempt)
                        P->line_end[k] = col; /* for py_skip_plan() */
                while (P->nblk && P->blk[P->nblk - 1].indent >= col)
                        P->nblk--;
                P->scope = P->nblk ? P->blk[P->nblk - 1].scope : 0;
                P->depth = 0;
                P->line_k = k;
                size_t open_before = P->nblk;
                logical_line(P, i, e, col);
                i = e;
                if (P->interest && P->nblk > open_before && P->scopes[P->blk[P->nblk - 1].scope].kind == SCOPE_FUNC) {
                        /* a def: its body may be dull (rules_python_skip.c) */
                        uint32_t last = py_skip_body(P, k);
                        if (last != k) {
                                if (P->ctx->py_lines_skipped)
                                        *P->ctx->py_lines_skipped += last - k;
                                k = last;
                                i = P->nl[k];
                        }
                }
        }
}
