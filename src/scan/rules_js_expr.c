/* The JavaScript walker, expressions: names, operators, calls and `new`, each computing the
 * abstract value of what it evaluates (a constant, a module member, tainted data) so that calls
 * are judged by what they resolve to rather than by how they are spelled. Not a full parser:
 * precedence is approximate, and anything unexpected ends the expression for the caller's
 * recovery to walk. */
#include <string.h>

#include "rules_js_int.h"

/* ---- names ----------------------------------------------------------------------------------- */

void js_push_scope(struct jsa *a, const char *name, size_t len, const struct jv *v) {
        if (a->nscope >= JS_SCOPE_MAX || len == 0)
                return;
        a->scope[a->nscope++] = (struct jscope) { name, (uint32_t) len, *v };
}

struct jv js_lookup(struct jsa *a, size_t i) {
        const struct jtok *t = &a->tk[i];
        struct jv v;
        for (size_t s = a->nscope; s-- > 0;)
                if (a->scope[s].len == t->len && a->scope[s].name[0] == t->text[0] &&
                    memcmp(a->scope[s].name, t->text, t->len) == 0) {
                        v = a->scope[s].val;
                        goto out;
                }
        bool found;
        v = bind_lookup(a, t->text, t->len, t->hash, &found);
        if (!found) {
                struct jv g = jv_module(MOD_GLOBAL);
                v = js_member(a, &g, t->text, t->len, false, NULL);
        }
out:
        if (t->f & JT_ESCAPED) {
                v.flags |= VF_EVASION;
                if (!v.how)
                        v.how = "a \\u-escaped identifier";
        }
        if (v.origin == JS_NONE)
                v.origin = (uint32_t) i;
        return v;
}

void js_set_hint(struct jsa *a, size_t name_tok) {
        a->hint = a->tk[name_tok].text;
        a->hint_len = a->tk[name_tok].len;
}

/* ---- calls ----------------------------------------------------------------------------------- */

static struct jv eval_call_args(struct jsa *a, const struct jv *callee, size_t *pi, size_t end, bool is_new,
                                uint32_t name_tok, uint32_t callee_from) {
        size_t i = *pi, m = jt_close(a, i, end);
        /* a few arguments on the stack; String.fromCharCode(99, 104, ...) may need more */
        struct jv small[JS_ARGS_MAX], *args = small;
        uint32_t smalltok[JS_ARGS_MAX], *argtok = smalltok;
        size_t n = 0, cap = JS_ARGS_MAX;
        bool over = false;
        size_t j = i + 1;
        while (j < m) {
                if (IS_P(a, j, m, ",")) {
                        j++;
                        continue;
                }
                bool spread = IS_P(a, j, m, "...");
                if (spread)
                        j++;
                uint32_t at = (uint32_t) j;
                if (js_starts_function(a, j, m))
                        a->pend = js_callback_value(a, callee, args, n, &a->pend_val);
                struct jv v = js_expr(a, &j, m);
                a->pend = PEND_NONE;
                bool items = spread && v.kind == JV_ARRAY;
                if (spread && !items)
                        v = jv_unknown(v.flags & VF_TAINT);
                for (uint32_t c = 0; c < (items ? v.n : 1); c++) {
                        if (n == cap && cap < JS_CALL_ARGS_MAX) {
                                struct jv *na = arena_alloc(a, 2 * cap * sizeof(*na));
                                uint32_t *nt = arena_alloc(a, 2 * cap * sizeof(*nt));
                                if (na && nt) {
                                        memcpy(na, args, n * sizeof(*na));
                                        memcpy(nt, argtok, n * sizeof(*nt));
                                        args = na, argtok = nt, cap *= 2;
                                }
                        }
                        if (n == cap) {
                                over = true;
                                break;
                        }
                        args[n] = items ? v.items[c] : v;
                        argtok[n++] = at;
                }
                while (j < m && !IS_P(a, j, m, ","))
                        j = js_fragment(a, j, m);
        }
        *pi = m < end ? m + 1 : end;
        if (over && n > 0)
                args[n - 1] = jv_unknown(args[n - 1].flags & VF_TAINT); /* not all arguments are known */
        uint32_t k = name_tok != JS_NONE ? name_tok : callee_from;
        a->callee_to = i > callee_from ? (uint32_t) i - 1 : k;
        return js_call(a, callee, args, n, is_new, k, name_tok, callee_from, argtok);
}

static struct jv eval_new(struct jsa *a, size_t *pi, size_t end);

static struct jv eval_new_bounded(struct jsa *a, size_t *pi, size_t end) {
        if (!js_enter(a, *pi)) { /* new new new ... */
                (*pi)++;
                return jv_unknown(0);
        }
        struct jv v = eval_new(a, pi, end);
        js_leave(a);
        return v;
}

/* `new X(...)`: X is a member expression (no call), then the arguments. */
static struct jv eval_new(struct jsa *a, size_t *pi, size_t end) {
        size_t i = *pi + 1;
        if (IS_P(a, i, end, ".")) { /* new.target */
                *pi = i + 2 <= end ? i + 2 : end;
                return jv_unknown(0);
        }
        uint32_t from = (uint32_t) i, name_tok = JS_NONE;
        struct jv v;
        if (IS_K(a, i, end, "new")) {
                *pi = i;
                v = eval_new_bounded(a, pi, end);
                i = *pi;
        } else if (IS_K(a, i, end, "this") || IS_K(a, i, end, "super")) {
                v = IS_K(a, i, end, "this") ? (struct jv) { .kind = JV_THIS, .origin = JS_NONE } : jv_unknown(0);
                i++;
        } else if (jt_is_kind(a, i, end, TOK_IDENT) && !IS_K(a, i, end, "function") && !IS_K(a, i, end, "class")) {
                js_check_ident(a, i);
                v = js_lookup(a, i);
                name_tok = (uint32_t) i;
                i++;
        } else if (IS_P(a, i, end, "(")) {
                size_t m = jt_close(a, i, end), j = i + 1;
                v = js_seq(a, &j, m);
                js_walk_rest(a, j, m);
                i = m < end ? m + 1 : end;
        } else {
                *pi = i;
                return jv_unknown(0);
        }
        for (;;) {
                if ((IS_P(a, i, end, ".") || IS_P(a, i, end, "?.")) && jt_is_kind(a, i + 1, end, TOK_IDENT)) {
                        js_check_ident(a, i + 1);
                        v = js_member(a, &v, a->tk[i + 1].text, a->tk[i + 1].len, false, NULL);
                        name_tok = (uint32_t) (i + 1);
                        i += 2;
                        continue;
                }
                if (IS_P(a, i, end, "[")) {
                        size_t m = jt_close(a, i, end), j = i + 1;
                        struct jv key = js_seq(a, &j, m);
                        js_walk_rest(a, j, m);
                        i = m < end ? m + 1 : end;
                        v = jv_is_str(&key) ? js_member(a, &v, key.s, key.n, true, &key)
                                            : js_member(a, &v, NULL, 0, true, &key);
                        continue;
                }
                break;
        }
        if (IS_P(a, i, end, "<") && !(a->tk[i].f & JT_NL_BEFORE)) {
                size_t j = js_skip_angle(a, i, end, 32);
                if (IS_P(a, j, end, "("))
                        i = j; /* new Map<string, T>() */
        }
        if (IS_P(a, i, end, "(")) {
                *pi = i;
                return eval_call_args(a, &v, pi, end, true, name_tok, from);
        }
        *pi = i;
        a->callee_to = i > from ? (uint32_t) i - 1 : from;
        return js_call(a, &v, NULL, 0, true, name_tok != JS_NONE ? name_tok : from, name_tok, from, NULL);
}

/* ---- expressions ----------------------------------------------------------------------------- */

static struct jv eval_primary(struct jsa *a, size_t *pi, size_t end, uint32_t *lone, uint32_t *name_tok) {
        const char *hint = a->hint;
        size_t hlen = hint ? a->hint_len : 0;
        a->hint = NULL;
        size_t i = *pi;
        if (i >= end)
                return jv_unknown(0);
        const struct jtok *t = &a->tk[i];
        switch (t->kind) {
        case TOK_STRING:
                if (t->f & JT_REGEX) {
                        *pi = i + 1;
                        return jv_unknown(0);
                }
                if (js_template_start(a, i, end))
                        return js_template(a, pi, end);
                *pi = i + 1;
                return js_string_value(a, i);
        case TOK_NUMBER:
                *pi = i + 1;
                return jv_num(js_number(t));
        case TOK_PUNCT:
                if (TEXT_IS(t, "(")) {
                        if (js_arrow_paren(a, i, end))
                                return js_arrow(a, pi, end, hint, hlen);
                        size_t m = jt_close(a, i, end), j = i + 1;
                        struct jv v = js_seq(a, &j, m);
                        js_walk_rest(a, j, m);
                        *pi = m < end ? m + 1 : end;
                        return v;
                }
                if (TEXT_IS(t, "["))
                        return js_array(a, pi, end);
                if (TEXT_IS(t, "{"))
                        return js_object(a, pi, end);
                if (TEXT_IS(t, "<")) { /* TS cast <T>x, or a generic arrow <T>(x) => x */
                        *pi = js_skip_angle(a, i, end, 256);
                        if (*pi == i)
                                *pi = i + 1;
                        return jv_unknown(0);
                }
                if (TEXT_IS(t, "@") || TEXT_IS(t, "#")) {
                        *pi = i + 1;
                        return jv_unknown(0);
                }
                return jv_unknown(0); /* a terminator: the caller decides */
        case TOK_IDENT:
                break;
        default:
                *pi = i + 1;
                return jv_unknown(0);
        }
        js_check_ident(a, i);
        if (!(t->f & JT_ESCAPED)) {
                if (TEXT_IS(t, "function"))
                        return js_function(a, pi, end, hint, hlen);
                if (TEXT_IS(t, "async")) {
                        if (IS_K(a, i + 1, end, "function")) {
                                *pi = i + 1;
                                return js_function(a, pi, end, hint, hlen);
                        }
                        if ((jt_is_kind(a, i + 1, end, TOK_IDENT) && IS_P(a, i + 2, end, "=>")) ||
                            (IS_P(a, i + 1, end, "(") && js_arrow_paren(a, i + 1, end))) {
                                *pi = i + 1;
                                return js_arrow(a, pi, end, hint, hlen);
                        }
                }
                if (TEXT_IS(t, "class"))
                        return js_class(a, pi, end);
                if (TEXT_IS(t, "new"))
                        return eval_new_bounded(a, pi, end);
                if (TEXT_IS(t, "import")) {
                        if (IS_P(a, i + 1, end, "(")) {
                                struct jv imp = jv_member(MOD_GLOBAL, "import", 6);
                                *pi = i + 1;
                                *name_tok = (uint32_t) i;
                                return eval_call_args(a, &imp, pi, end, false, (uint32_t) i, (uint32_t) i);
                        }
                        if (IS_P(a, i + 1, end, ".") && IS_I(a, i + 2, end, "meta")) {
                                *pi = i + 3;
                                return (struct jv) { .kind = JV_META, .origin = JS_NONE };
                        }
                }
                if (TEXT_IS(t, "this")) {
                        *pi = i + 1;
                        return (struct jv) { .kind = JV_THIS, .origin = JS_NONE };
                }
                if (TEXT_IS(t, "true") || TEXT_IS(t, "false")) {
                        *pi = i + 1;
                        struct jv b = jv_num(TEXT_IS(t, "true"));
                        b.kind = JV_BOOL;
                        return b;
                }
                if (TEXT_IS(t, "null") || TEXT_IS(t, "undefined") || TEXT_IS(t, "super")) {
                        *pi = i + 1;
                        return jv_unknown(0);
                }
        }
        if (IS_P(a, i + 1, end, "=>"))
                return js_arrow(a, pi, end, hint, hlen);
        *pi = i + 1;
        *lone = (uint32_t) i;
        *name_tok = (uint32_t) i;
        return js_lookup(a, i);
}

static bool nonnull_follows(const struct jsa *a, size_t i, size_t end) {
        if (i >= end)
                return true;
        const struct jtok *t = &a->tk[i];
        return t->kind == TOK_PUNCT && (TEXT_IS(t, ".") || TEXT_IS(t, "[") || TEXT_IS(t, "(") || TEXT_IS(t, ")") ||
                                        TEXT_IS(t, "]") || TEXT_IS(t, ",") || TEXT_IS(t, ";") || TEXT_IS(t, "}") ||
                                        TEXT_IS(t, "?."));
}

struct jv js_postfix(struct jsa *a, size_t *pi, size_t end, uint32_t *lone) {
        uint32_t start = (uint32_t) *pi, name_tok = JS_NONE, l = JS_NONE;
        struct jv v = eval_primary(a, pi, end, &l, &name_tok);
        bool plain = true;
        for (;;) {
                size_t i = *pi;
                if (i >= end)
                        break;
                const struct jtok *t = &a->tk[i];
                if (t->kind == TOK_PUNCT) {
                        bool opt = TEXT_IS(t, "?.");
                        if (opt && (IS_P(a, i + 1, end, "(") || IS_P(a, i + 1, end, "["))) {
                                *pi = i + 1;
                                continue;
                        }
                        if (TEXT_IS(t, ".") || opt) {
                                if (jt_is_kind(a, i + 1, end, TOK_IDENT)) {
                                        if (a->tk[i + 1].f & JT_ESCAPED)
                                                js_check_ident(a, i + 1);
                                        v = js_member(a, &v, a->tk[i + 1].text, a->tk[i + 1].len, false, NULL);
                                        if (a->tk[i + 1].f & JT_ESCAPED) {
                                                v.flags |= VF_EVASION;
                                                if (!v.how)
                                                        v.how = "a \\u-escaped property name";
                                        }
                                        name_tok = (uint32_t) (i + 1);
                                        *pi = i + 2;
                                } else
                                        *pi = i + 1;
                                plain = false;
                                continue;
                        }
                        if (TEXT_IS(t, "[")) {
                                size_t m = jt_close(a, i, end), j = i + 1;
                                struct jv key = js_seq(a, &j, m);
                                js_walk_rest(a, j, m);
                                *pi = m < end ? m + 1 : end;
                                if (jv_is_str(&key))
                                        v = js_member(a, &v, key.s, key.n, true, &key);
                                else if (key.kind == JV_NUM && (v.kind == JV_ARRAY || v.kind == JV_STR)) {
                                        double d = key.num;
                                        if (d >= 0 && d < v.n && v.kind == JV_ARRAY)
                                                v = v.items[(uint32_t) d];
                                        else if (d >= 0 && d < v.n)
                                                v = jv_str(v.s + (uint32_t) d, 1, v.flags | VF_BUILT, v.origin);
                                        else
                                                v = jv_unknown(v.flags & VF_TAINT);
                                } else
                                        v = js_member(a, &v, NULL, 0, true, &key);
                                name_tok = JS_NONE;
                                plain = false;
                                continue;
                        }
                        if (TEXT_IS(t, "(")) {
                                v = eval_call_args(a, &v, pi, end, false, name_tok, start);
                                name_tok = JS_NONE;
                                plain = false;
                                continue;
                        }
                        if (TEXT_IS(t, "!") && nonnull_follows(a, i + 1, end)) {
                                *pi = i + 1;
                                continue;
                        }
                        if ((TEXT_IS(t, "++") || TEXT_IS(t, "--")) && !(t->f & JT_NL_BEFORE)) {
                                if (plain && l != JS_NONE)
                                        bind_mutate(a, a->tk[l].text, a->tk[l].len);
                                *pi = i + 1;
                                v = jv_unknown(0);
                                plain = false;
                                continue;
                        }
                        if (TEXT_IS(t, "<") && !(t->f & JT_NL_BEFORE) && name_tok != JS_NONE) {
                                /* f<T>(x): a generic call, if a "(" follows the closing ">" (a
                                 * short look: most "<" after a name are comparisons) */
                                size_t j = js_skip_angle(a, i, end, 16);
                                if (j > i + 1 && IS_P(a, j, end, "(") && (a->tk[j - 1].text[0] == '>')) {
                                        *pi = j;
                                        continue;
                                }
                        }
                        break;
                }
                if (js_template_start(a, i, end)) { /* a tagged template */
                        uint32_t at = (uint32_t) i;
                        struct jv tv = js_template(a, pi, end);
                        a->callee_to = at > start ? at - 1 : start;
                        v = js_call(a, &v, &tv, 1, false, name_tok != JS_NONE ? name_tok : start, name_tok, start, &at);
                        name_tok = JS_NONE;
                        plain = false;
                        continue;
                }
                break;
        }
        if (lone && plain)
                *lone = l;
        return v;
}

static struct jv eval_unary(struct jsa *a, size_t *pi, size_t end, uint32_t *lone) {
        bool neg = false, kill = false;
        unsigned prefixes = 0;
        for (;;) {
                size_t i = *pi;
                if (i >= end)
                        return jv_unknown(0);
                const struct jtok *t = &a->tk[i];
                if (t->kind == TOK_PUNCT) {
                        if (TEXT_IS(t, "-"))
                                neg = !neg;
                        else if (TEXT_IS(t, "!") || TEXT_IS(t, "~") || TEXT_IS(t, "++") || TEXT_IS(t, "--"))
                                kill = true;
                        else if (!TEXT_IS(t, "+") && !TEXT_IS(t, "..."))
                                break;
                        *pi = i + 1;
                        prefixes++;
                        continue;
                }
                if (t->kind == TOK_IDENT && !(t->f & JT_ESCAPED) && i + 1 < end && !nonnull_follows(a, i + 1, end) &&
                    !IS_P(a, i + 1, end, "=") && !IS_P(a, i + 1, end, "=>")) {
                        if (TEXT_IS(t, "typeof") || TEXT_IS(t, "void") || TEXT_IS(t, "delete")) {
                                kill = true;
                                *pi = i + 1;
                                prefixes++;
                                continue;
                        }
                        if (TEXT_IS(t, "await") || TEXT_IS(t, "yield")) {
                                *pi = i + 1;
                                if (IS_P(a, i + 1, end, "*"))
                                        *pi = i + 2;
                                prefixes++;
                                continue;
                        }
                }
                break;
        }
        uint32_t inner = JS_NONE;
        struct jv v = js_postfix(a, pi, end, prefixes ? &inner : lone);
        if (inner != JS_NONE && *pi > 0 && (IS_P(a, inner - 1, end, "++") || IS_P(a, inner - 1, end, "--")))
                bind_mutate(a, a->tk[inner].text, a->tk[inner].len);
        if (kill)
                return jv_unknown(v.flags & VF_TAINT);
        if (neg) {
                if (v.kind == JV_NUM)
                        v.num = -v.num;
                else
                        v = jv_unknown(v.flags & VF_TAINT);
        }
        return v;
}

enum binop { OP_NONE, OP_PLUS, OP_OTHER, OP_ASSIGN, OP_COMPOUND, OP_COND, OP_OR, OP_AND, OP_TYPE };

static enum binop binop(const struct jsa *a, size_t i) {
        const struct jtok *t = &a->tk[i];
        if (t->kind == TOK_IDENT) {
                if (t->f & JT_ESCAPED)
                        return OP_NONE;
                if (TEXT_IS(t, "instanceof") || TEXT_IS(t, "in"))
                        return OP_OTHER;
                if (TEXT_IS(t, "as") || TEXT_IS(t, "satisfies"))
                        return (t->f & JT_NL_BEFORE) ? OP_NONE : OP_TYPE;
                return OP_NONE;
        }
        if (t->kind != TOK_PUNCT || t->len > 4)
                return OP_NONE;
        const char *p = t->text;
        char c0 = p[0], c1 = t->len > 1 ? p[1] : 0;
        if (t->len == 1) {
                switch (c0) {
                case '+':
                        return OP_PLUS;
                case '=':
                        return OP_ASSIGN;
                case '?':
                        return OP_COND;
                case '-': case '*': case '/': case '%': case '<': case '>': case '&': case '|': case '^':
                        return OP_OTHER;
                default:
                        return OP_NONE;
                }
        }
        if (t->len == 2 && ((c0 == '|' && c1 == '|') || (c0 == '?' && c1 == '?')))
                return OP_OR;
        if (t->len == 2 && c0 == '&' && c1 == '&')
                return OP_AND;
        if (c0 == '=' && c1 == '>')
                return OP_NONE;
        if ((c0 == '=' || c0 == '!') && c1 == '=')
                return OP_OTHER; /* == === != !== */
        if ((c0 == '<' || c0 == '>') && t->len == 2 && c1 == '=')
                return OP_OTHER; /* <= >= */
        if (p[t->len - 1] == '=')
                return OP_COMPOUND; /* += -= **= <<= >>>= &&= ||= ??= ... */
        if (t->len == 2 && ((c0 == '*' && c1 == '*') || (c0 == '<' && c1 == '<') || (c0 == '>' && c1 == '>')))
                return OP_OTHER;
        if (t->len == 3 && c0 == '>' && c1 == '>' && p[2] == '>')
                return OP_OTHER;
        return OP_NONE;
}

struct jv js_expr(struct jsa *a, size_t *pi, size_t end) {
        if (*pi >= end)
                return jv_unknown(0);
        if (!js_enter(a, *pi)) {
                (*pi)++;
                return jv_unknown(0);
        }
        uint32_t lone = JS_NONE;
        struct jv v = eval_unary(a, pi, end, &lone);
        struct jfold acc = { 0 };
        bool folding = false;
        uint32_t origin = v.origin;
        for (;;) {
                size_t i = *pi;
                if (i >= end)
                        break;
                enum binop op = binop(a, i);
                if (op == OP_NONE)
                        break;
                if (op == OP_TYPE) {
                        size_t j = js_skip_as_type(a, i + 1, end);
                        *pi = j > i + 1 ? j : i + 1;
                        continue;
                }
                if (folding && op != OP_PLUS) {
                        v = jfold_end(a, &acc, origin);
                        if (v.kind == JV_STR && !v.how)
                                v.how = "a name built from string pieces";
                        folding = false;
                }
                if (op == OP_ASSIGN || op == OP_COMPOUND) {
                        *pi = i + 1;
                        if (lone != JS_NONE && op == OP_ASSIGN)
                                js_set_hint(a, lone);
                        struct jv r = js_expr(a, pi, end);
                        a->hint = NULL;
                        if (lone != JS_NONE) {
                                struct jv b = op == OP_ASSIGN ? r : jv_unknown((r.flags | v.flags) & VF_TAINT);
                                bind_assign(a, a->tk[lone].text, a->tk[lone].len, &b);
                        }
                        v = r;
                        break;
                }
                if (op == OP_COND) {
                        *pi = i + 1;
                        struct jv t = js_expr(a, pi, end);
                        struct jv f = jv_unknown(0);
                        if (IS_P(a, *pi, end, ":")) {
                                (*pi)++;
                                f = js_expr(a, pi, end);
                        }
                        uint16_t fl = (t.flags | f.flags | v.flags) & VF_TAINT;
                        v = t.kind != JV_UNKNOWN ? t : f;
                        v.flags |= fl;
                        break;
                }
                *pi = i + 1;
                struct jv r = eval_unary(a, pi, end, NULL);
                lone = JS_NONE;
                if (op == OP_PLUS && (folding || v.kind == JV_STR || r.kind == JV_STR)) {
                        if (!folding) {
                                folding = true;
                                jfold_add_jv(&acc, &v);
                        }
                        jfold_add_jv(&acc, &r);
                        acc.flags |= VF_BUILT;
                        continue;
                }
                uint16_t fl = (v.flags | r.flags) & VF_TAINT;
                if (op == OP_OR)
                        v = v.kind != JV_UNKNOWN ? v : r;
                else if (op == OP_AND)
                        v = r;
                else if (op == OP_PLUS && v.kind == JV_NUM && r.kind == JV_NUM)
                        v = jv_num(v.num + r.num);
                else
                        v = jv_unknown(0);
                v.flags |= fl;
        }
        if (folding) {
                v = jfold_end(a, &acc, origin);
                if (v.kind == JV_STR && !v.how)
                        v.how = "a name built from string pieces";
        }
        js_leave(a);
        return v;
}

struct jv js_seq(struct jsa *a, size_t *pi, size_t end) {
        struct jv v = js_expr(a, pi, end);
        unsigned count = 1;
        while (IS_P(a, *pi, end, ",")) {
                (*pi)++;
                v = js_expr(a, pi, end);
                count++;
        }
        if (count > 1 && jv_is_fn(&v))
                v.flags |= VF_INDIRECT;
        return v;
}

