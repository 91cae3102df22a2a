/* The Python analyser's expressions (rules_python_internal.h): precedence climbing over the
 * tokens (brackets jumped with the precomputed match table), calls with their arguments,
 * attribute and subscript trailers, operators on abstract values, lambdas and parameter lists.
 * Malformed code never stops it: a token that fits nowhere ends the expression and the caller
 * steps over it. */
#include "rules_python_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- calls, trailers ---- */

static void parse_args(struct py *P, uint32_t open, uint32_t close, struct py_args *a) {
        a->npos = 0;
        a->nkw = 0;
        a->pos_more = false;
        a->kw_unpack = false;
        a->kw_unpack_fl = 0;
        a->taints = 0;
        uint32_t i = open + 1, e = close;
        uint32_t for_idx = py_first_for(P, open, e);
        if (for_idx < e) {
                uint32_t f = for_idx > i && py_kw(P, for_idx - 1, KW_ASYNC) ? for_idx - 1 : for_idx;
                struct pv v = py_comprehension(P, i, f, for_idx, e, false);
                a->pos[0] = v;
                a->pos_tok[0] = i;
                a->npos = 1;
                a->taints = py_taints(v);
                return;
        }
        while (i < e) {
                uint32_t seg = i;
                if (py_punct(P, i, "*") || py_punct(P, i, "**")) {
                        bool dstar = py_punct(P, i, "**");
                        i++;
                        struct pv v = py_expr(P, &i, e);
                        a->taints |= py_taints(v);
                        if (dstar) {
                                a->kw_unpack = true;
                                a->kw_unpack_fl |= py_taints(v);
                        } else if (v.kind == PV_LIST && !(v.fl & PVF_HOLES) && !a->pos_more) {
                                for (uint32_t k = 0; k < v.n; k++) {
                                        if (a->npos >= PY_ARGS_MAX) {
                                                a->pos_more = true;
                                                break;
                                        }
                                        a->pos_tok[a->npos] = seg;
                                        a->pos[a->npos++] = v.u.items[k];
                                }
                        } else
                                a->pos_more = true;
                } else if (py_is_ident(P, i) && py_punct(P, i + 1, "=")) {
                        uint32_t sym = py_sym(P, i);
                        i += 2;
                        struct pv v = py_expr(P, &i, e);
                        a->taints |= py_taints(v);
                        if (a->nkw < PY_KWARGS_MAX) {
                                a->kw[a->nkw].sym = sym;
                                a->kw[a->nkw++].v = v;
                        }
                } else {
                        struct pv v = py_expr(P, &i, e);
                        a->taints |= py_taints(v);
                        if (a->pos_more || a->npos >= PY_ARGS_MAX)
                                a->pos_more = true;
                        else {
                                a->pos_tok[a->npos] = seg;
                                a->pos[a->npos++] = v;
                        }
                }
                while (i < e && !py_punct(P, i, ",")) {
                        uint32_t before = i;
                        (void) py_expr(P, &i, e);
                        if (i == before)
                                i++;
                }
                if (i < e)
                        i++;
                if (i == seg)
                        i++;
        }
}

/* x.append(v), x.extend(l), x.insert(0, v) change what x holds (argv lists are built so). */
static void mutate_by_method(struct py *P, uint32_t sym, struct pv recv, uint32_t name, const struct py_args *a) {
        if (sym == PY_NOSYM)
                return;
        const struct py_sym *m = &P->syms[name];
        static const char *const ADDS[] = { "append", "extend", "insert", "update", "setdefault", "add",
                                            "appendleft", "write", "writelines" };
        for (size_t k = 0; k < ELEMENTSOF(ADDS); k++)
                if (m->len == strlen(ADDS[k]) && memcmp(m->s, ADDS[k], m->len) == 0) {
                        py_taint_name(P, sym, a->taints | a->kw_unpack_fl);
                        break;
                }
        if (recv.kind != PV_LIST)
                return;
        struct pv nv;
        if (m->len == 6 && memcmp(m->s, "append", 6) == 0 && a->npos == 1)
                nv = py_concat(P, recv, py_list(P, &a->pos[0], 1, 0));
        else if (m->len == 6 && memcmp(m->s, "extend", 6) == 0 && a->npos == 1)
                nv = py_concat(P, recv, a->pos[0].kind == PV_LIST ? a->pos[0] : pv_unknown(py_taints(a->pos[0])));
        else if (m->len == 6 && memcmp(m->s, "insert", 6) == 0 && a->npos == 2 && a->pos[0].kind == PV_NUM &&
                 a->pos[0].u.num == 0)
                nv = py_concat(P, py_list(P, &a->pos[1], 1, 0), recv);
        else
                return;
        int cur = P->pass & 1;
        for (uint32_t s = P->scope;; s = P->scopes[s].parent) {
                struct py_bind *b = py_bind_get(P, cur, s, sym, false);
                if (b) {
                        b->last = nv;
                        return;
                }
                if (s == 0)
                        return;
        }
}

static struct pv subscript(struct py *P, uint32_t tok, uint32_t open, uint32_t close, struct pv v) {
        uint32_t i = open + 1, e = close;
        uint32_t colon = py_find_top_punct(P, i, e, ":");
        if (colon >= e) {
                struct pv key = py_exprlist(P, &i, e);
                while (i < e) {
                        uint32_t before = i;
                        (void) py_exprlist(P, &i, e);
                        if (i == before)
                                i++;
                }
                return py_subscript(P, tok, v, key, false);
        }
        /* a slice: [start:stop:step] */
        struct pv part[3] = { { .kind = PV_NONE }, { .kind = PV_NONE }, { .kind = PV_NONE } };
        int k = 0;
        while (i < e && k < 3) {
                if (py_punct(P, i, ":")) {
                        k++;
                        i++;
                        continue;
                }
                uint32_t before = i;
                part[k] = py_expr(P, &i, e);
                if (i == before)
                        i++;
        }
        uint32_t t = py_taints(v);
        if (part[2].kind == PV_NUM && part[2].u.num == -1 && part[0].kind == PV_NONE && part[1].kind == PV_NONE)
                return py_subscript(P, tok, v, pv_unknown(0), true);
        bool step1 = part[2].kind == PV_NONE || (part[2].kind == PV_NUM && part[2].u.num == 1);
        if (step1 && py_is_const_str(v) && (part[0].kind == PV_NONE || part[0].kind == PV_NUM) &&
            (part[1].kind == PV_NONE || part[1].kind == PV_NUM)) {
                int64_t n = v.n;
                int64_t a = part[0].kind == PV_NUM ? part[0].u.num : 0;
                int64_t b = part[1].kind == PV_NUM ? part[1].u.num : n;
                if (a < 0)
                        a = a + n < 0 ? 0 : a + n;
                if (b < 0)
                        b = b + n < 0 ? 0 : b + n;
                if (a > n)
                        a = n;
                if (b > n)
                        b = n;
                if (b < a)
                        b = a;
                struct pv r = py_str(P, v.u.s + a, (size_t) (b - a), (v.fl & (PVF_TAINTS | PVF_BYTES)) | PVF_PIECES);
                r.ev = v.ev > EV_PIECES ? v.ev : EV_PIECES;
                return r;
        }
        if (v.kind == PV_LIST && step1 && part[0].kind == PV_NUM && part[0].u.num >= 0 &&
            part[0].u.num <= (int64_t) v.n && part[1].kind == PV_NONE && !(v.fl & PVF_HOLES))
                return py_list(P, v.u.items + part[0].u.num, v.n - (uint32_t) part[0].u.num, v.fl);
        if (v.kind == PV_LIST && step1 && part[0].kind == PV_NONE)
                return py_list(P, v.u.items, v.n, v.fl | PVF_HOLES);
        return pv_unknown(t & ~PVF_ENV);
}

/* The trailers after the primary v that starts at `start`: .name, calls, subscripts. Kept out of
 * line: most primaries have none, and their path stays small. */
static __attribute__((noinline)) struct pv trailers(struct py *P, uint32_t *ip, uint32_t end, uint32_t start,
                                                    struct pv v) {
        uint32_t name_sym = *ip == start + 1 ? P->atom_name_sym : PY_NOSYM;
        bool first = true;
        /* arguments live in a pool slot of this depth: deeper calls (in the arguments, or in a
         * helper inlined by the call) use deeper slots */
        unsigned slot = P->depth < PY_EXPR_DEPTH ? P->depth : PY_EXPR_DEPTH;
        if (!P->argpool[slot] && !(P->argpool[slot] = malloc(sizeof(struct py_args)))) {
                P->err = -ENOMEM;
                return v;
        }
        struct py_args *a = P->argpool[slot];
        while (*ip < end) {
                uint32_t i = *ip;
                if (py_punct(P, i, ".") && py_is_ident(P, i + 1)) {
                        uint32_t sym = py_sym(P, i + 1);
                        *ip = i + 2;
                        bool called = *ip < end && py_punct(P, *ip, "(");
                        uint32_t dummy;
                        uint8_t ev = P->folded.n && py_map_get(&P->folded, (uint64_t) i + 2, &dummy) ? EV_UNICODE : 0;
                        if (called && v.kind != PV_REF && v.kind != PV_OBJ && v.kind != PV_CLASS) {
                                uint32_t open = *ip, c = py_closer(P, open, end);
                                parse_args(P, open, c, a);
                                py_skip_past(P, ip, c, end);
                                if (first && name_sym != PY_NOSYM)
                                        mutate_by_method(P, name_sym, v, sym, a);
                                v = py_method(P, start, v, sym, a);
                        } else {
                                v = py_attr(P, i + 1, v, sym);
                                if (ev > v.ev)
                                        v.ev = ev;
                        }
                } else if (py_punct(P, i, "(")) {
                        uint32_t c = py_closer(P, i, end);
                        parse_args(P, i, c, a);
                        py_skip_past(P, ip, c, end);
                        struct py_call call = { .tok = start, .open = i, .callee = v, .a = a };
                        v = py_call(P, &call);
                } else if (py_punct(P, i, "[")) {
                        uint32_t c = py_closer(P, i, end);
                        v = subscript(P, start, i, c, v);
                        py_skip_past(P, ip, c, end);
                } else
                        break;
                first = false;
        }
        return v;
}

/* ---- operators ---- */

struct pv py_numeric(char op, struct pv a, struct pv b) {
        uint32_t t = py_taints(a) | py_taints(b);
        if (op == '|' && (a.kind == PV_NUM) != (b.kind == PV_NUM) && (a.kind == PV_UNKNOWN || b.kind == PV_UNKNOWN ||
                                                                     a.kind == PV_REF || b.kind == PV_REF)) {
                /* mode | stat.S_ISUID: at least these bits (HOLES: the others are unknown) */
                struct pv r = py_num(a.kind == PV_NUM ? a.u.num : b.u.num);
                r.fl |= PVF_HOLES;
                return r;
        }
        if (a.kind != PV_NUM || b.kind != PV_NUM)
                return pv_unknown(t);
        uint64_t x = (uint64_t) a.u.num, y = (uint64_t) b.u.num;
        switch (op) {
        case '-': return py_num((int64_t) (x - y));
        case '*': return py_num((int64_t) (x * y));
        case '|': {
                struct pv r = py_num((int64_t) (x | y));
                r.fl |= (a.fl | b.fl) & PVF_HOLES;
                return r;
        }
        case '&': return py_num((int64_t) (x & y));
        case '^': return py_num((int64_t) (x ^ y));
        case '<': return y < 63 ? py_num((int64_t) (x << y)) : pv_unknown(t);
        case '>': return y < 63 ? py_num(a.u.num >> y) : pv_unknown(t);
        case '%': return b.u.num > 0 && a.u.num >= 0 ? py_num(a.u.num % b.u.num) : pv_unknown(t);
        case '/': return b.u.num > 0 && a.u.num >= 0 ? py_num(a.u.num / b.u.num) : pv_unknown(t);
        }
        return pv_unknown(t);
}

static struct pv binop(struct py *P, uint32_t op, struct pv a, struct pv b) {
        const struct token *t = py_tk(P, op);
        const char *s = P->toks->src + t->offset;
        uint32_t taints = py_taints(a) | py_taints(b);
        if (t->kind == TOK_IDENT) {
                if (py_kw(P, op, KW_OR) || py_kw(P, op, KW_AND))
                        return py_join(P, a, b);
                return pv_unknown(0); /* in, is, not in */
        }
        if (t->len == 1) {
                switch (s[0]) {
                case '+':
                        return py_concat(P, a, b);
                case '%':
                        if (a.kind == PV_STR) {
                                py_env_sink(P, op, b, "formatted into a string");
                                return py_format(P, a, NULL, true, b);
                        }
                        return py_numeric('%', a, b);
                case '/':
                        /* pathlib: a str on either side is no number, so an unknown left is a path */
                        if ((a.kind == PV_STR && (a.fl & PVF_PATHOBJ)) ||
                            (b.kind == PV_STR && (a.kind == PV_UNKNOWN || a.kind == PV_REF))) {
                                struct pv parts[2] = { a, b };
                                return py_path_join(P, parts, 2, PVF_PATHOBJ | (a.fl & PVF_PATH_SEEN));
                        }
                        return py_numeric('/', a, b);
                case '-': case '*': case '|': case '&': case '^':
                        return py_numeric(s[0], a, b);
                case '<': case '>':
                        return pv_unknown(0);
                }
        }
        if (t->len == 2 && (memcmp(s, "<<", 2) == 0 || memcmp(s, ">>", 2) == 0))
                return py_numeric(s[0], a, b);
        if (t->len == 2 && memcmp(s, "//", 2) == 0)
                return py_numeric('/', a, b);
        if (t->len == 2 && (s[1] == '=' || s[0] == '!'))
                return pv_unknown(0); /* comparisons */
        return pv_unknown(taints);
}

static struct pv postfix(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t start = *ip;
        P->atom_name_sym = PY_NOSYM;
        struct pv v;
        if (py_sym(P, start) >= KW_N && py_tk(P, start)->kind == TOK_IDENT) {
                /* a plain name, the most common primary: py_atom's tests skipped */
                *ip = start + 1;
                v = py_name(P, start);
        } else
                v = py_atom(P, ip, end);
        if (*ip == start || *ip >= end || !(P->tf[*ip] & PY_TF_TRAILER))
                return v;
        return trailers(P, ip, end, start, v);
}

/* not x, -x, lambda, yield, *x...: out of line, as trailers() */
static __attribute__((noinline)) struct pv prefix_op(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t i = *ip;
        if (py_kw(P, i, KW_NOT)) {
                *ip = i + 1;
                struct pv v = py_binary(P, ip, end, BP_NOT);
                return pv_unknown(py_taints(v) & ~PVF_ENV);
        }
        if (py_punct(P, i, "-") || py_punct(P, i, "+") || py_punct(P, i, "~")) {
                *ip = i + 1;
                struct pv v = py_binary(P, ip, end, BP_UNARY);
                if (v.kind == PV_NUM) {
                        if (py_punct(P, i, "-"))
                                return py_num((int64_t) (0 - (uint64_t) v.u.num));
                        if (py_punct(P, i, "~"))
                                return py_num(~v.u.num);
                        return v;
                }
                return pv_unknown(py_taints(v));
        }
        if (py_kw(P, i, KW_AWAIT)) {
                *ip = i + 1;
                return py_binary(P, ip, end, BP_AWAIT);
        }
        if (py_kw(P, i, KW_LAMBDA))
                return py_lambda(P, ip, end);
        if (py_kw(P, i, KW_YIELD)) {
                *ip = i + 1;
                if (py_kw(P, *ip, KW_FROM))
                        (*ip)++;
                (void) py_exprlist(P, ip, end);
                return pv_unknown(0);
        }
        if (py_punct(P, i, "*") || py_punct(P, i, "**")) {
                *ip = i + 1;
                return py_binary(P, ip, end, BP_UNARY);
        }
        return postfix(P, ip, end);
}

static struct pv prefix(struct py *P, uint32_t *ip, uint32_t end) {
        if (!(P->tf[*ip] & PY_TF_PREFIX))
                return postfix(P, ip, end);
        return prefix_op(P, ip, end);
}

static void too_deep(struct py *P, uint32_t i) {
        if (P->too_deep_reported)
                return;
        P->too_deep_reported = P->report && !P->quiet;
        py_report(P, i, "py.structure.too-deep", SEV_HIGH, "structure",
                  "expressions nested more than %d deep: the rest of this statement was not analysed",
                  PY_EXPR_DEPTH);
}

struct pv py_binary(struct py *P, uint32_t *ip, uint32_t end, int minbp) {
        if (*ip >= end)
                return pv_unknown(0);
        if (P->depth >= PY_EXPR_DEPTH) {
                too_deep(P, *ip);
                *ip = end;
                return pv_unknown(0);
        }
        P->depth++;
        uint32_t start = *ip;
        struct pv left = prefix(P, ip, end);
        while (*ip < end && *ip > start) {
                uint32_t op = *ip;
                bool right = P->ibp[op] & PY_BP_RIGHT;
                int bp = P->ibp[op] & ~PY_BP_RIGHT;
                if (bp == 0 || bp < minbp)
                        break;
                if (bp == BP_TERNARY) {
                        *ip = op + 1;
                        struct pv cond = py_binary(P, ip, end, BP_OR);
                        (void) cond;
                        if (py_kw(P, *ip, KW_ELSE)) {
                                (*ip)++;
                                struct pv other = py_binary(P, ip, end, BP_TERNARY);
                                left = py_join(P, left, other);
                        }
                        continue;
                }
                *ip = op + 1;
                if (py_kw(P, op, KW_NOT) || (py_kw(P, op, KW_IS) && py_kw(P, op + 1, KW_NOT)))
                        (*ip)++;
                struct pv rhs = py_binary(P, ip, end, right ? bp : bp + 1);
                if (bp == BP_WALRUS) {
                        if (op == start + 1 && py_is_ident(P, start))
                                py_assign(P, P->scope, py_sym(P, start), rhs);
                        left = rhs;
                        continue;
                }
                left = binop(P, op, left, rhs);
        }
        P->depth--;
        return left;
}

struct pv py_exprlist(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t start = *ip;
        bool star = py_punct(P, start, "*");
        struct pv v = py_expr(P, ip, end);
        if (!py_punct(P, *ip, ",") || *ip >= end) {
                if (!star)
                        return v;
        }
        /* a tuple without parentheses */
        struct pv *items = py_scratch(P);
        if (!items)
                return pv_unknown(py_taints(v));
        size_t n = 0;
        uint32_t fl = 0;
        if (star)
                fl |= PVF_HOLES | py_taints(v);
        else
                items[n++] = v;
        while (*ip < end && py_punct(P, *ip, ",")) {
                (*ip)++;
                if (!py_starts_expr(P, *ip, end))
                        break;
                bool st = py_punct(P, *ip, "*");
                uint32_t before = *ip;
                struct pv x = py_expr(P, ip, end);
                if (*ip == before)
                        break;
                if (st)
                        fl |= PVF_HOLES | py_taints(x);
                else if (n < PY_LIST_MAX)
                        items[n++] = x;
        }
        return py_list(P, items, n, fl);
}

/* ---- functions ---- */

/* Parameters in [s, e): names, kinds and defaults (evaluated in the enclosing scope). */
void py_params(struct py *P, uint32_t scope, uint32_t s, uint32_t e, bool annotations) {
        struct py_scope *sc = &P->scopes[scope];
        struct pv defaults[PY_PARAMS_MAX];
        uint8_t n = 0;
        uint32_t i = s;
        while (i < e) {
                uint32_t seg = i;
                uint8_t kind = PARAM_PLAIN;
                if (py_punct(P, i, "*")) {
                        kind = PARAM_STAR;
                        i++;
                } else if (py_punct(P, i, "**")) {
                        kind = PARAM_DSTAR;
                        i++;
                }
                uint32_t sym = py_is_ident(P, i) ? py_sym(P, i) : PY_NOSYM;
                if (sym != PY_NOSYM)
                        i++;
                if (annotations && py_punct(P, i, ":")) {
                        i++;
                        (void) py_expr(P, &i, e);
                }
                bool has_default = false;
                struct pv d = pv_unknown(0);
                if (py_punct(P, i, "=")) {
                        i++;
                        d = py_expr(P, &i, e);
                        has_default = true;
                }
                if (sym != PY_NOSYM && n < PY_PARAMS_MAX) {
                        /* the parameter list is the same every pass: only the first fills it */
                        sc = &P->scopes[scope];
                        sc->params[n] = (struct py_param) { sym, kind, has_default };
                        defaults[n++] = d;
                }
                while (i < e && !py_punct(P, i, ",")) {
                        uint32_t before = i;
                        (void) py_expr(P, &i, e);
                        if (i == before)
                                i++;
                }
                if (i < e)
                        i++;
                if (i == seg)
                        i++;
        }
        sc = &P->scopes[scope];
        sc->n_params = n;
        struct pv *d = n ? py_alloc(P, py_cur_arena(P), n * sizeof(*d)) : NULL;
        if (d)
                memcpy(d, defaults, n * sizeof(*d));
        sc->defaults = d;
        if (!d)
                for (uint8_t k = 0; k < n; k++)
                        sc->params[k].has_default = false;
}

struct pv py_lambda(struct py *P, uint32_t *ip, uint32_t end) {
        uint32_t i = *ip;
        uint32_t colon = py_header_colon(P, i + 1, end);
        uint32_t scope = py_scope_for(P, i, SCOPE_LAMBDA);
        py_params(P, scope, i + 1, colon, false);
        uint32_t saved = P->scope;
        P->scope = scope;
        *ip = colon < end ? colon + 1 : end;
        uint32_t body_s = *ip;
        struct pv body = py_binary(P, ip, end, BP_TERNARY);
        P->scope = saved;
        struct py_scope *sc = &P->scopes[scope];
        int w = P->pass & 1;
        sc->n_stmts[w] = 1;
        sc->ret_s[w] = body_s;
        sc->ret_e[w] = *ip;
        sc->ret[w] = sc->has_ret[w] ? py_join(P, sc->ret[w], body) : body;
        sc->has_ret[w] = true;
        return (struct pv) { .kind = PV_FUNC, .u.id = scope };
}

