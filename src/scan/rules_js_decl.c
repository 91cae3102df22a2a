/* The JavaScript walker, functions and classes: parameters (with the values a callback receives
 * from the call it is passed to), bodies in their own binding scope, class members, and the
 * TypeScript types that are skipped. */
#include <string.h>

#include "rules_js_int.h"

/* ---- TypeScript types -------------------------------------------------------------------------- */

static bool type_continues(const struct jtok *t) {
        return t->kind == TOK_PUNCT && (TEXT_IS(t, "|") || TEXT_IS(t, "&") || TEXT_IS(t, ".") || TEXT_IS(t, "[") ||
                                        TEXT_IS(t, "<") || TEXT_IS(t, "=>") || TEXT_IS(t, "?") || TEXT_IS(t, ":"));
}

static bool type_complete(const struct jtok *t) {
        if (t->kind == TOK_IDENT || t->kind == TOK_STRING || t->kind == TOK_NUMBER)
                return true;
        return t->kind == TOK_PUNCT && (TEXT_IS(t, ")") || TEXT_IS(t, "]") || TEXT_IS(t, "}") || TEXT_IS(t, ">") ||
                                        TEXT_IS(t, ">>") || TEXT_IS(t, ">>>"));
}

/* Skip a type annotation starting at i; returns the index of the token that ends it. */
size_t js_skip_type(const struct jsa *a, size_t i, size_t end, unsigned stops) {
        size_t start = i;
        int angle = 0;
        while (i < end) {
                const struct jtok *t = &a->tk[i];
                if (i > start && (t->f & JT_NL_BEFORE) && angle == 0 && type_complete(&a->tk[i - 1]) &&
                    !type_continues(t))
                        return i;
                if (t->kind == TOK_PUNCT) {
                        if (TEXT_IS(t, "{") && (stops & STOP_BRACE) && angle == 0 && i > start &&
                            type_complete(&a->tk[i - 1]))
                                return i;
                        if (jt_opener(t)) {
                                i = jt_after(a, i, end);
                                continue;
                        }
                        if (TEXT_IS(t, "<")) {
                                angle++;
                        } else if (TEXT_IS(t, ">") || TEXT_IS(t, ">>") || TEXT_IS(t, ">>>")) {
                                angle -= (int) t->len;
                                if (angle < 0)
                                        angle = 0;
                        } else if (angle == 0) {
                                if ((TEXT_IS(t, "=") && (stops & STOP_EQ)) ||
                                    (TEXT_IS(t, "=>") && (stops & STOP_ARROW)))
                                        return i;
                                if (TEXT_IS(t, ",") || TEXT_IS(t, ";") || TEXT_IS(t, ")") || TEXT_IS(t, "]") ||
                                    TEXT_IS(t, "}") || TEXT_IS(t, "=") || TEXT_IS(t, "{"))
                                        return i;
                        }
                } else if (t->kind == TOK_STRING && !(t->f & JT_TEMPLATE) && i > start &&
                           type_complete(&a->tk[i - 1]) && angle == 0)
                        return i;
                i++;
        }
        return i;
}

/* `x as T`, `x satisfies T`: T is a name, maybe qualified, generic, or an array type. */
size_t js_skip_as_type(const struct jsa *a, size_t i, size_t end) {
        if (IS_K(a, i, end, "const"))
                return i + 1;
        if (jt_opener(&a->tk[i < end ? i : 0]) && i < end)
                return jt_after(a, i, end);
        while (i < end && a->tk[i].kind == TOK_IDENT) {
                i++;
                if (IS_P(a, i, end, ".")) {
                        i++;
                        continue;
                }
                break;
        }
        if (IS_P(a, i, end, "<")) {
                int angle = 0;
                for (size_t k = 0; i < end && k < 256; k++) {
                        const struct jtok *t = &a->tk[i];
                        if (TEXT_IS(t, "<"))
                                angle++;
                        else if (TEXT_IS(t, ">") || TEXT_IS(t, ">>") || TEXT_IS(t, ">>>"))
                                angle -= (int) t->len;
                        i = jt_opener(t) ? jt_after(a, i, end) : i + 1;
                        if (angle <= 0)
                                break;
                }
        }
        while (IS_P(a, i, end, "[") && IS_P(a, i + 1, end, "]"))
                i += 2;
        return i;
}

size_t js_skip_angle(const struct jsa *a, size_t i, size_t end, size_t max) {
        int angle = 0;
        for (size_t k = 0; i < end && k < max; k++) {
                const struct jtok *t = &a->tk[i];
                if (TEXT_IS(t, "<"))
                        angle++;
                else if (t->kind == TOK_PUNCT && (TEXT_IS(t, ">") || TEXT_IS(t, ">>") || TEXT_IS(t, ">>>")))
                        angle -= (int) t->len;
                else if (t->kind == TOK_PUNCT && (TEXT_IS(t, ";") || TEXT_IS(t, "=") || TEXT_IS(t, "}")))
                        return i;
                i = jt_opener(t) ? jt_after(a, i, end) : i + 1;
                if (angle <= 0)
                        return i;
        }
        return i;
}

/* ---- functions ------------------------------------------------------------------------------- */

/* Does `(` at i open an arrow function's parameters? */
bool js_arrow_paren(const struct jsa *a, size_t i, size_t end) {
        size_t m = jt_close(a, i, end);
        if (m >= end)
                return false;
        if (IS_P(a, m + 1, end, "=>"))
                return true;
        if (!IS_P(a, m + 1, end, ":"))
                return false;
        /* (a: T): R => ... : look a little way for the arrow */
        size_t j = m + 2;
        for (size_t k = 0; j < end && k < 64; k++) {
                const struct jtok *t = &a->tk[j];
                if (TEXT_IS(t, "=>") && t->kind == TOK_PUNCT)
                        return true;
                if (t->kind == TOK_PUNCT && (TEXT_IS(t, ";") || TEXT_IS(t, ",") || TEXT_IS(t, ")") ||
                                             TEXT_IS(t, "]") || TEXT_IS(t, "}") || TEXT_IS(t, "=")))
                        return false;
                j = jt_opener(t) ? jt_after(a, j, end) : j + 1;
        }
        return false;
}

bool js_starts_function(const struct jsa *a, size_t j, size_t end) {
        if (IS_K(a, j, end, "function"))
                return true;
        if (IS_K(a, j, end, "async"))
                return IS_K(a, j + 1, end, "function") || IS_P(a, j + 2, end, "=>") ||
                       (IS_P(a, j + 1, end, "(") && js_arrow_paren(a, j + 1, end));
        if (jt_is_kind(a, j, end, TOK_IDENT) && IS_P(a, j + 1, end, "=>"))
                return true;
        return IS_P(a, j, end, "(") && js_arrow_paren(a, j, end);
}

static struct jv param_value(const char *fname, size_t flen, uint32_t idx, enum pend_mode pm,
                             const struct jv *pv) {
        if (pm == PEND_ALL || (pm == PEND_FIRST && idx == 0))
                return *pv;
        return (struct jv) { .kind = JV_PARAM, .s = fname, .n = fname ? (uint32_t) flen : 0, .aux = idx,
                             .origin = JS_NONE };
}

size_t js_next_comma(const struct jsa *a, size_t j, size_t end) {
        while (j < end && !IS_P(a, j, end, ","))
                j = jt_opener(&a->tk[j]) ? jt_after(a, j, end) : j + 1;
        return j;
}

/* Parameters in [ps, pe): names pushed on the scope with their values, defaults walked. */
static void params(struct jsa *a, size_t ps, size_t pe, const char *fname, size_t flen, enum pend_mode pm,
                   const struct jv *pv) {
        size_t j = ps;
        uint32_t idx = 0;
        while (j < pe) {
                size_t el = js_next_comma(a, j, pe), k = j;
                while (k < el && (IS_P(a, k, el, "@") || js_member_modifier(a, k, el)))
                        k += IS_P(a, k, el, "@") ? 2 : 1;
                if (IS_P(a, k, el, "..."))
                        k++;
                struct jv v = param_value(fname, flen, idx, pm, pv);
                if (jt_is_kind(a, k, el, TOK_IDENT) && !IS_K(a, k, el, "this")) {
                        js_push_scope(a, a->tk[k].text, a->tk[k].len, &v);
                        k++;
                } else if (IS_P(a, k, el, "{") || IS_P(a, k, el, "[")) {
                        if (v.kind != JV_PARAM)
                                js_destructure(a, k, el, &v, true);
                        k = jt_after(a, k, el);
                }
                /* a default value: walk it (it runs when the argument is missing) */
                while (k < el && !IS_P(a, k, el, "="))
                        k = jt_opener(&a->tk[k]) ? jt_after(a, k, el) : k + 1;
                if (k < el) {
                        k++;
                        (void) js_expr(a, &k, el);
                        js_walk_rest(a, k, el);
                }
                j = el + 1;
                idx++;
        }
}

static struct jv fn_body(struct jsa *a, size_t *pi, size_t end, struct jv fn, enum pend_mode pm) {
        size_t i = *pi;
        if (IS_P(a, i, end, "{")) {
                size_t m = jt_close(a, i, end);
                fn.aux = (uint32_t) i;
                fn.n = (uint32_t) m;
                /* a callback whose parameters receive values (a module, network data) is walked
                 * whatever its tokens look like */
                struct jv ret = jv_unknown(0), *saved = a->ret_slot;
                a->ret_slot = &ret;
                if (pm != PEND_NONE || !js_dull(a, i + 1, m)) {
                        js_statements(a, i + 1, m);
                } else {
                        const struct jv *r1 = jmap_get(&a->rets, (uint32_t) i, "", 0);
                        if (r1)
                                ret = *r1;
                }
                a->ret_slot = saved;
                if (ret.kind != JV_UNKNOWN) {
                        fn.ret = arena_jv(a, &ret);
                        void *slot = NULL;
                        if (!a->reporting && jmap_get_or_add(&a->rets, a, (uint32_t) i, "", 0, sizeof(ret), &slot) > 0)
                                memcpy(slot, &ret, sizeof(ret));
                }
                *pi = m < end ? m + 1 : end;
        } else if (i < end) {
                uint32_t from = (uint32_t) i;
                struct jv r = js_expr(a, pi, end);
                fn.aux = from;
                fn.n = (uint32_t) *pi;
                fn.ret = arena_jv(a, &r);
        }
        return fn;
}

static size_t scope_enter(struct jsa *a, size_t id) {
        size_t saved = a->nfscope;
        if (a->nfscope < JS_FSCOPE_MAX)
                a->fscope[a->nfscope++] = (uint32_t) id;
        return saved;
}

/* At `(` or `<` of a function's parameters (a method, a function after its name). */
struct jv js_fn_params(struct jsa *a, size_t *pi, size_t end, const char *name, size_t nlen) {
        enum pend_mode pm = a->pend;
        struct jv pv = a->pend_val;
        a->pend = PEND_NONE;
        size_t i = *pi, save = a->nscope, fsave = scope_enter(a, *pi);
        struct jv fn = { .kind = JV_FUNC, .origin = (uint32_t) i };
        if (IS_P(a, i, end, "<"))
                i = js_skip_angle(a, i, end, 256);
        if (IS_P(a, i, end, "(")) {
                size_t m = jt_close(a, i, end);
                params(a, i + 1, m, name, nlen, pm, &pv);
                i = m < end ? m + 1 : end;
        }
        if (IS_P(a, i, end, ":"))
                i = js_skip_type(a, i + 1, end, STOP_BRACE);
        if (IS_P(a, i, end, "{"))
                fn = fn_body(a, &i, end, fn, pm);
        a->nscope = save;
        a->nfscope = fsave;
        *pi = i;
        return fn;
}

struct jv js_function(struct jsa *a, size_t *pi, size_t end, const char *hint, size_t hlen) {
        size_t i = *pi + 1; /* after `function` */
        if (IS_P(a, i, end, "*"))
                i++;
        if (jt_is_kind(a, i, end, TOK_IDENT) && !IS_P(a, i, end, "(")) {
                if (!hint) {
                        hint = a->tk[i].text;
                        hlen = a->tk[i].len;
                }
                i++;
        }
        *pi = i;
        return js_fn_params(a, pi, end, hint, hlen);
}

/* At the parameter (an identifier) or `(` of an arrow function. */
struct jv js_arrow(struct jsa *a, size_t *pi, size_t end, const char *name, size_t nlen) {
        enum pend_mode pm = a->pend;
        struct jv pv = a->pend_val;
        a->pend = PEND_NONE;
        size_t i = *pi, save = a->nscope, fsave = scope_enter(a, *pi);
        struct jv fn = { .kind = JV_FUNC, .origin = (uint32_t) i };
        if (a->tk[i].kind == TOK_IDENT) {
                struct jv v = param_value(name, nlen, 0, pm, &pv);
                js_push_scope(a, a->tk[i].text, a->tk[i].len, &v);
                i++;
        } else {
                size_t m = jt_close(a, i, end);
                params(a, i + 1, m, name, nlen, pm, &pv);
                i = m < end ? m + 1 : end;
                if (IS_P(a, i, end, ":"))
                        i = js_skip_type(a, i + 1, end, STOP_ARROW);
        }
        if (IS_P(a, i, end, "=>"))
                i++;
        fn = fn_body(a, &i, end, fn, pm);
        a->nscope = save;
        a->nfscope = fsave;
        *pi = i;
        return fn;
}

/* ---- classes --------------------------------------------------------------------------------- */

static void class_body(struct jsa *a, size_t i, size_t end) {
        while (i < end) {
                if (IS_P(a, i, end, ";")) {
                        i++;
                        continue;
                }
                if (IS_P(a, i, end, "@")) {
                        i++;
                        (void) js_postfix(a, &i, end, NULL);
                        continue;
                }
                if (IS_K(a, i, end, "static") && IS_P(a, i + 1, end, "{")) {
                        size_t m = jt_close(a, i + 1, end);
                        js_statements(a, i + 2, m);
                        i = m < end ? m + 1 : end;
                        continue;
                }
                while (js_member_modifier(a, i, end))
                        i++;
                if (IS_P(a, i, end, "*"))
                        i++;
                const char *name = NULL;
                size_t nlen = 0;
                if (i < end && js_key_token(&a->tk[i])) {
                        if (a->tk[i].kind == TOK_STRING)
                                js_check_string(a, i);
                        name = a->tk[i].text;
                        nlen = a->tk[i].len;
                        i++;
                } else if (IS_P(a, i, end, "[")) {
                        size_t m = jt_close(a, i, end), j = i + 1;
                        (void) js_seq(a, &j, m);
                        js_walk_rest(a, j, m);
                        i = m < end ? m + 1 : end;
                } else {
                        i = js_fragment(a, i, end);
                        continue;
                }
                if (IS_P(a, i, end, "?") || IS_P(a, i, end, "!"))
                        i++;
                if (IS_P(a, i, end, "(") || IS_P(a, i, end, "<")) {
                        (void) js_fn_params(a, &i, end, name, nlen);
                        continue;
                }
                if (IS_P(a, i, end, ":"))
                        i = js_skip_type(a, i + 1, end, STOP_EQ);
                if (IS_P(a, i, end, "=")) {
                        i++;
                        a->hint = name;
                        a->hint_len = (uint32_t) nlen;
                        (void) js_expr(a, &i, end);
                        a->hint = NULL;
                }
        }
}

struct jv js_class(struct jsa *a, size_t *pi, size_t end) {
        size_t i = *pi + 1;
        if (jt_is_kind(a, i, end, TOK_IDENT) && !IS_K(a, i, end, "extends") && !IS_K(a, i, end, "implements"))
                i++;
        if (IS_P(a, i, end, "<"))
                i = js_skip_angle(a, i, end, 256);
        size_t b = i;
        while (b < end && !IS_P(a, b, end, "{"))
                b = jt_opener(&a->tk[b]) ? jt_after(a, b, end) : b + 1;
        if (IS_K(a, i, end, "extends")) {
                size_t j = i + 1;
                (void) js_expr(a, &j, b);
                /* `implements X, Y` and type arguments: types */
        }
        struct jv fn = { .kind = JV_FUNC, .origin = (uint32_t) *pi };
        if (b < end) {
                size_t m = jt_close(a, b, end);
                class_body(a, b + 1, m);
                *pi = m < end ? m + 1 : end;
        } else
                *pi = b;
        return fn;
}

