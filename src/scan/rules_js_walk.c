/* The JavaScript/TypeScript walker, statements: declarations, imports, destructuring, control
 * flow, and the recovery path that walks whatever is not understood one token at a time, so
 * nothing is skipped unseen (except TypeScript types). Recursion is bounded by JS_DEPTH_MAX;
 * past it the tokens are stepped over and a finding says so. Each token is visited once per
 * pass: pass 1 collects bindings, pass 2 judges (see rules_js.c). */
#include <string.h>

#include "rules_js_int.h"

bool js_enter_too_deep(struct jsa *a, size_t i) {
        if (a->reporting && !a->sh->too_deep) {
                a->sh->too_deep = true;
                js_report(a, (uint32_t) i, "js.obfuscation.too-deep", SEV_MEDIUM, "obfuscation", ESC_NONE,
                          "code nested too deeply to analyse (more than %u levels)", JS_DEPTH_MAX);
        }
        return false;
}

/* Step over one token or one bracketed group, walking what is inside: the recovery path. */
size_t js_fragment(struct jsa *a, size_t i, size_t end) {
        if (i >= end)
                return end;
        const struct jtok *t = &a->tk[i];
        if (jt_opener(t)) {
                size_t m = jt_close(a, i, end);
                js_statements(a, i + 1, m);
                return m < end ? m + 1 : end;
        }
        return i + 1;
}

void js_walk_rest(struct jsa *a, size_t j, size_t end) {
        while (j < end)
                j = js_statement(a, j, end);
}

/* ---- patterns ---------------------------------------------------------------------------------- */

void js_bind_target(struct jsa *a, size_t tok, const struct jv *v, bool to_scope) {
        const struct jtok *t = &a->tk[tok];
        js_check_ident(a, tok);
        if (to_scope)
                js_push_scope(a, t->text, t->len, v);
        else
                bind_decl(a, t->text, t->len, v);
}

/* A destructuring pattern at ps ({...} or [...]) taking its parts from val. */
void js_destructure(struct jsa *a, size_t ps, size_t end, const struct jv *val, bool to_scope) {
        if (!js_enter(a, ps))
                return;
        size_t m = jt_close(a, ps, end);
        bool obj = IS_P(a, ps, end, "{");
        size_t j = ps + 1;
        uint32_t idx = 0;
        while (j < m) {
                if (IS_P(a, j, m, ",")) {
                        j++;
                        idx++;
                        continue;
                }
                struct jv part = jv_unknown(val->flags & VF_TAINT);
                if (IS_P(a, j, m, "...")) {
                        j++;
                        if (jt_is_kind(a, j, m, TOK_IDENT)) {
                                if (val->kind == JV_ENV)
                                        part.flags |= VF_ENVDATA;
                                js_bind_target(a, j, &part, to_scope);
                                j++;
                        }
                } else if (obj) {
                        struct jv key = jv_unknown(0);
                        size_t target = JS_NONE;
                        bool computed = false;
                        if (j < m && js_key_token(&a->tk[j])) {
                                key = jv_str(a->tk[j].text, a->tk[j].len, 0, (uint32_t) j);
                                if (a->tk[j].kind == TOK_IDENT)
                                        target = j;
                                j++;
                        } else if (IS_P(a, j, m, "[")) {
                                size_t km = jt_close(a, j, m), kj = j + 1;
                                key = js_seq(a, &kj, km);
                                js_walk_rest(a, kj, km);
                                j = km < m ? km + 1 : m;
                                computed = true;
                        } else {
                                j = js_fragment(a, j, m);
                                continue;
                        }
                        if (jv_is_str(&key))
                                part = js_member(a, val, key.s, key.n, computed, &key);
                        if (IS_P(a, j, m, ":")) {
                                j++;
                                target = JS_NONE;
                                if (jt_is_kind(a, j, m, TOK_IDENT)) {
                                        target = j;
                                        j++;
                                } else if (IS_P(a, j, m, "{") || IS_P(a, j, m, "[")) {
                                        js_destructure(a, j, m, &part, to_scope);
                                        j = jt_after(a, j, m);
                                }
                        }
                        if (IS_P(a, j, m, "=")) {
                                j++;
                                (void) js_expr(a, &j, m);
                        }
                        if (target != JS_NONE)
                                js_bind_target(a, target, &part, to_scope);
                } else {
                        if (val->kind == JV_ARRAY && idx < val->n)
                                part = val->items[idx];
                        if (jt_is_kind(a, j, m, TOK_IDENT)) {
                                js_bind_target(a, j, &part, to_scope);
                                j++;
                        } else if (IS_P(a, j, m, "{") || IS_P(a, j, m, "[")) {
                                js_destructure(a, j, m, &part, to_scope);
                                j = jt_after(a, j, m);
                        }
                        if (IS_P(a, j, m, "=")) {
                                j++;
                                (void) js_expr(a, &j, m);
                        }
                }
                while (j < m && !IS_P(a, j, m, ","))
                        j = js_fragment(a, j, m);
        }
        js_leave(a);
}

/* ---- statements -------------------------------------------------------------------------------- */

static size_t walk_declaration(struct jsa *a, size_t i, size_t end) {
        for (;;) {
                size_t name = JS_NONE, pat = JS_NONE;
                if (jt_is_kind(a, i, end, TOK_IDENT)) {
                        js_check_ident(a, i);
                        name = i++;
                } else if (IS_P(a, i, end, "{") || IS_P(a, i, end, "[")) {
                        pat = i;
                        i = jt_after(a, i, end);
                } else
                        return i;
                if (IS_P(a, i, end, "!"))
                        i++;
                if (IS_P(a, i, end, ":"))
                        i = js_skip_type(a, i + 1, end, STOP_EQ);
                if (IS_P(a, i, end, "=")) {
                        i++;
                        if (name != JS_NONE)
                                js_set_hint(a, name);
                        struct jv v = js_expr(a, &i, end);
                        a->hint = NULL;
                        if (name != JS_NONE)
                                bind_decl(a, a->tk[name].text, a->tk[name].len, &v);
                        else
                                js_destructure(a, pat, end, &v, false);
                }
                if (IS_P(a, i, end, ",")) {
                        i++;
                        continue;
                }
                if (IS_P(a, i, end, ";"))
                        i++;
                return i;
        }
}

static size_t walk_import(struct jsa *a, size_t i, size_t end) {
        size_t j = i + 1;
        if (IS_K(a, j, end, "type") && !IS_P(a, j + 1, end, ",") && !IS_K(a, j + 1, end, "from")) {
                /* import type {...} from "m": types only */
                while (j < end && a->tk[j].kind != TOK_STRING && !IS_P(a, j, end, ";"))
                        j = jt_opener(&a->tk[j]) ? jt_after(a, j, end) : j + 1;
                return j < end ? j + 1 : end;
        }
        size_t def = JS_NONE, ns = JS_NONE, brace = JS_NONE;
        if (jt_is_kind(a, j, end, TOK_IDENT) && !IS_K(a, j, end, "from")) {
                def = j++;
                if (IS_P(a, j, end, "=")) { /* TS: import x = require("m") */
                        j++;
                        struct jv v = js_expr(a, &j, end);
                        bind_decl(a, a->tk[def].text, a->tk[def].len, &v);
                        return IS_P(a, j, end, ";") ? j + 1 : j;
                }
        } else if (jt_is_kind(a, j, end, TOK_IDENT) && IS_K(a, j, end, "from") && IS_K(a, j + 1, end, "from")) {
                def = j++;
        }
        if (IS_P(a, j, end, ","))
                j++;
        if (IS_P(a, j, end, "*")) {
                j++;
                if (IS_K(a, j, end, "as"))
                        j++;
                if (jt_is_kind(a, j, end, TOK_IDENT))
                        ns = j++;
        } else if (IS_P(a, j, end, "{")) {
                brace = j;
                j = jt_after(a, j, end);
        }
        if (IS_K(a, j, end, "from"))
                j++;
        if (!jt_is_kind(a, j, end, TOK_STRING) || (a->tk[j].f & (JT_TEMPLATE | JT_REGEX)))
                return j > i + 1 ? j : i + 1;
        size_t modtok = j++;
        if ((IS_K(a, j, end, "assert") || IS_K(a, j, end, "with")) && IS_P(a, j + 1, end, "{"))
                j = jt_after(a, j + 1, end);
        if (IS_P(a, j, end, ";"))
                j++;

        js_check_string(a, modtok);
        const struct jtok *mt = &a->tk[modtok];
        struct jv mod = jv_module(js_module_by_name(mt->text, mt->len));
        mod.origin = (uint32_t) modtok;
        if (mt->f & JT_LIT_ESCAPE) {
                mod.flags |= VF_EVASION;
                mod.how = "a module name spelled with escape sequences";
        }
        js_module_loaded(a, (uint32_t) i, &mod, mt->text, mt->len);
        if (def != JS_NONE)
                js_bind_target(a, def, &mod, false);
        if (ns != JS_NONE)
                js_bind_target(a, ns, &mod, false);
        if (brace != JS_NONE) {
                size_t m = jt_close(a, brace, end);
                for (size_t k = brace + 1; k < m;) {
                        if (IS_K(a, k, m, "type") &&
                            (jt_is_kind(a, k + 1, m, TOK_IDENT) || jt_is_kind(a, k + 1, m, TOK_STRING))) {
                                /* import { type T } : skip the whole item */
                                k = js_next_comma(a, k, m) + 1;
                                continue;
                        }
                        if (!jt_is_kind(a, k, m, TOK_IDENT) && !jt_is_kind(a, k, m, TOK_STRING)) {
                                k++;
                                continue;
                        }
                        size_t name = k, alias = k;
                        k++;
                        if (IS_K(a, k, m, "as") && jt_is_kind(a, k + 1, m, TOK_IDENT)) {
                                alias = k + 1;
                                k += 2;
                        }
                        if (a->tk[alias].kind == TOK_IDENT) {
                                struct jv v =
                                        TEXT_IS(&a->tk[name], "default")
                                                ? mod
                                                : js_member(a, &mod, a->tk[name].text, a->tk[name].len, false, NULL);
                                if (a->tk[name].f & JT_ESCAPED) {
                                        v.flags |= VF_EVASION;
                                        v.how = "a \\u-escaped identifier";
                                }
                                js_bind_target(a, alias, &v, false);
                        }
                        k = js_next_comma(a, k, m) + 1;
                }
        }
        return j;
}

/* for (... in/of ...) or for (init; test; update) */
static void walk_for_head(struct jsa *a, size_t ps, size_t pe) {
        size_t k = ps;
        while (k < pe && !IS_K(a, k, pe, "in") && !IS_K(a, k, pe, "of"))
                k = jt_opener(&a->tk[k]) ? jt_after(a, k, pe) : k + 1;
        if (k >= pe) {
                js_statements(a, ps, pe);
                return;
        }
        size_t j = k + 1;
        struct jv over = js_seq(a, &j, pe);
        js_walk_rest(a, j, pe);
        if (IS_K(a, k, pe, "in"))
                js_for_in(a, (uint32_t) k, &over);
        struct jv item = jv_unknown(over.flags & VF_TAINT);
        if (over.kind == JV_ENV)
                item.flags |= VF_ENVDATA;
        size_t l = ps;
        if (IS_K(a, l, k, "const") || IS_K(a, l, k, "let") || IS_K(a, l, k, "var"))
                l++;
        struct jv entry;
        bool table = IS_K(a, k, pe, "of") && over.kind == JV_ARRAY && jv_one_of(over.items, over.n, 1, &entry);
        if (jt_is_kind(a, l, k, TOK_IDENT) && table) {
                /* for (const p of ["~/.ssh/id_rsa", ...]): one of the constants each time */
                js_bind_target(a, l, &entry, false);
        } else if (jt_is_kind(a, l, k, TOK_IDENT)) {
                js_bind_target(a, l, &item, false);
                js_bind_target(a, l, &item, false); /* bound once per iteration: never a constant */
        } else if (IS_P(a, l, k, "{") || IS_P(a, l, k, "["))
                js_destructure(a, l, k, &item, false);
}

/* A TypeScript declaration with no code: interface, type alias, enum. Returns 0 if not one. */
static size_t skip_ts_declaration(struct jsa *a, size_t i, size_t end) {
        const struct jtok *t = &a->tk[i];
        if (!jt_is_kind(a, i + 1, end, TOK_IDENT))
                return 0;
        if (TEXT_IS(t, "interface")) {
                size_t j = i + 2;
                while (j < end && !IS_P(a, j, end, "{") && !IS_P(a, j, end, ";"))
                        j = jt_opener(&a->tk[j]) ? jt_after(a, j, end) : j + 1;
                return IS_P(a, j, end, "{") ? jt_after(a, j, end) : j;
        }
        if (TEXT_IS(t, "type") && (IS_P(a, i + 2, end, "=") || IS_P(a, i + 2, end, "<"))) {
                size_t j = i + 2;
                if (IS_P(a, j, end, "<"))
                        j = js_skip_angle(a, j, end, 256);
                if (IS_P(a, j, end, "="))
                        j = js_skip_type(a, j + 1, end, 0);
                return IS_P(a, j, end, ";") ? j + 1 : j;
        }
        if (TEXT_IS(t, "enum") && IS_P(a, i + 2, end, "{"))
                return jt_after(a, i + 2, end);
        return 0;
}

static size_t walk_statement_inner(struct jsa *a, size_t i, size_t end) {
        const struct jtok *t = &a->tk[i];
        if (t->kind == TOK_PUNCT) {
                if (TEXT_IS(t, ";"))
                        return i + 1;
                if (TEXT_IS(t, "{")) {
                        size_t m = jt_close(a, i, end);
                        if (!js_dull(a, i + 1, m))
                                js_statements(a, i + 1, m);
                        return m < end ? m + 1 : end;
                }
        }
        if (t->kind == TOK_IDENT && !(t->f & JT_ESCAPED)) {
                size_t r;
                if ((TEXT_IS(t, "const") || TEXT_IS(t, "var") ||
                     (TEXT_IS(t, "let") && (jt_is_kind(a, i + 1, end, TOK_IDENT) || IS_P(a, i + 1, end, "{") ||
                                            IS_P(a, i + 1, end, "[")))) &&
                    !IS_K(a, i + 1, end, "enum"))
                        return walk_declaration(a, i + 1, end);
                if (TEXT_IS(t, "import") && !IS_P(a, i + 1, end, "(") && !IS_P(a, i + 1, end, "."))
                        return walk_import(a, i, end);
                if (TEXT_IS(t, "export")) {
                        size_t j = i + 1;
                        if (IS_K(a, j, end, "default"))
                                j++;
                        if (IS_P(a, j, end, "="))
                                j++;
                        if (IS_K(a, j, end, "type") && IS_P(a, j + 1, end, "{")) /* export type {...} */
                                j = jt_after(a, j + 1, end);
                        return j;
                }
                if (TEXT_IS(t, "function") || (TEXT_IS(t, "async") && IS_K(a, i + 1, end, "function"))) {
                        size_t j = TEXT_IS(t, "async") ? i + 1 : i;
                        size_t nm = j + 1 + (IS_P(a, j + 1, end, "*") ? 1 : 0);
                        bool named = jt_is_kind(a, nm, end, TOK_IDENT);
                        struct jv fn = js_function(a, &j, end, named ? a->tk[nm].text : NULL,
                                                     named ? a->tk[nm].len : 0);
                        if (named)
                                js_bind_target(a, nm, &fn, false);
                        return j;
                }
                if (TEXT_IS(t, "class") || (TEXT_IS(t, "abstract") && IS_K(a, i + 1, end, "class"))) {
                        size_t j = TEXT_IS(t, "abstract") ? i + 1 : i;
                        size_t nm = j + 1;
                        struct jv fn = js_class(a, &j, end);
                        if (jt_is_kind(a, nm, end, TOK_IDENT) && !IS_K(a, nm, end, "extends"))
                                js_bind_target(a, nm, &fn, false);
                        return j;
                }
                if (TEXT_IS(t, "if") || TEXT_IS(t, "while") || TEXT_IS(t, "switch") || TEXT_IS(t, "with") ||
                    TEXT_IS(t, "catch")) {
                        if (!IS_P(a, i + 1, end, "("))
                                return i + 1;
                        size_t m = jt_close(a, i + 1, end), j = i + 2;
                        if (TEXT_IS(t, "catch"))
                                j = m; /* the caught value: nothing to evaluate */
                        (void) js_seq(a, &j, m);
                        js_walk_rest(a, j, m);
                        return m < end ? m + 1 : end;
                }
                if (TEXT_IS(t, "for")) {
                        size_t j = i + 1;
                        if (IS_K(a, j, end, "await"))
                                j++;
                        if (!IS_P(a, j, end, "("))
                                return j;
                        size_t m = jt_close(a, j, end);
                        walk_for_head(a, j + 1, m);
                        return m < end ? m + 1 : end;
                }
                if (TEXT_IS(t, "case")) {
                        size_t j = i + 1;
                        (void) js_expr(a, &j, end);
                        return IS_P(a, j, end, ":") ? j + 1 : j;
                }
                if (TEXT_IS(t, "default") && IS_P(a, i + 1, end, ":"))
                        return i + 2;
                if (TEXT_IS(t, "break") || TEXT_IS(t, "continue"))
                        return jt_is_kind(a, i + 1, end, TOK_IDENT) && !(a->tk[i + 1].f & JT_NL_BEFORE) ? i + 2 : i + 1;
                if (TEXT_IS(t, "return") && a->ret_slot) {
                        size_t j = i + 1;
                        if (j < end && !(a->tk[j].f & JT_NL_BEFORE) && !IS_P(a, j, end, ";") && !IS_P(a, j, end, "}")) {
                                struct jv v = js_seq(a, &j, end);
                                if (a->ret_slot && a->ret_slot->kind == JV_UNKNOWN && v.kind != JV_UNKNOWN)
                                        *a->ret_slot = v;
                        }
                        return IS_P(a, j, end, ";") ? j + 1 : j;
                }
                if (TEXT_IS(t, "return") || TEXT_IS(t, "throw") || TEXT_IS(t, "else") || TEXT_IS(t, "do") ||
                    TEXT_IS(t, "try") || TEXT_IS(t, "finally") || TEXT_IS(t, "debugger") ||
                    (TEXT_IS(t, "declare") && jt_is_kind(a, i + 1, end, TOK_IDENT)))
                        return i + 1;
                if ((TEXT_IS(t, "namespace") || TEXT_IS(t, "module")) &&
                    (jt_is_kind(a, i + 1, end, TOK_IDENT) || jt_is_kind(a, i + 1, end, TOK_STRING)) &&
                    IS_P(a, i + 2, end, "{"))
                        return i + 2;
                if ((r = skip_ts_declaration(a, i, end)) > i)
                        return r;
                if (IS_P(a, i + 1, end, ":") && !IS_P(a, i + 2, end, ":"))
                        return i + 2; /* a label */
        }
        size_t j = i;
        (void) js_seq(a, &j, end);
        if (j == i)
                return js_fragment(a, i, end);
        if (IS_P(a, j, end, ";"))
                j++;
        return j;
}

size_t js_statement(struct jsa *a, size_t i, size_t end) {
        if (i >= end)
                return end;
        if (!js_enter(a, i))
                return i + 1;
        size_t r = walk_statement_inner(a, i, end);
        js_leave(a);
        return r > i ? r : i + 1;
}

void js_statements(struct jsa *a, size_t i, size_t end) {
        while (i < end && a->sh->err == 0) {
                if (!a->reporting) {
                        i = js_statement(a, i, end);
                        continue;
                }
                struct arena_mark mk = arena_mark(&a->arena);
                i = js_statement(a, i, end);
                arena_reset(&a->arena, mk);
        }
}

void js_walk(struct jsa *a) {
        a->depth = a->base_depth;
        a->fscope[0] = JS_TOP_SCOPE;
        a->nfscope = 1;
        if (js_dull(a, 0, a->n))
                return;
        a->nscope = 0;
        a->pend = PEND_NONE;
        a->hint = NULL;
        js_statements(a, 0, a->n);
}
