/* The JavaScript walker, literals: numbers, strings (with the encoded-blob and escaped-name
 * checks), template literals folded with their holes, arrays and object literals (keeping only
 * the items the rules can use). */
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "rules_js_int.h"

/* ---- reports on single tokens ---------------------------------------------------------------- */

void js_check_string(struct jsa *a, size_t i) {
        const struct jtok *t = &a->tk[i];
        if (!a->reporting)
                return;
        if (t->len >= SCAN_BLOB_MIN && scan_is_encoded_blob(t->text, t->len))
                js_report(a, (uint32_t) i, "js.obfuscation.encoded-blob", SEV_LOW, "obfuscation", ESC_NONE,
                          "a %u-byte string literal looks like an encoded payload (base64 or hex)", t->len);
        if (t->len > 0 && t->len <= 64 && (t->f & JT_LIT_ESCAPE) &&
            js_dangerous_name(t->text, t->len))
                js_report(a, (uint32_t) i, "js.obfuscation.escaped-string", SEV_HIGH, "obfuscation", ESC_NONE,
                          "a string literal spells \"%.*s\" with escape sequences to hide it", (int) t->len, t->text);
}

void js_check_ident(struct jsa *a, size_t i) {
        const struct jtok *t = &a->tk[i];
        if (!a->reporting || !(t->f & JT_ESCAPED))
                return;
        bool bad = js_dangerous_name(t->text, t->len);
        js_report(a, (uint32_t) i, "js.obfuscation.escaped-identifier", bad ? SEV_HIGH : SEV_LOW, "obfuscation",
                  ESC_NONE, "the identifier \"%.*s\" is written with \\u escapes%s", (int) (t->len > 64 ? 64 : t->len),
                  t->text, bad ? " to hide a dangerous name" : "");
}

/* ---- literals -------------------------------------------------------------------------------- */

/* Clinger's fast path: a decimal literal whose digits fit in 15 (exact in a double) with a power
 * of ten up to 22 (also exact) is correctly rounded by one multiplication or division, so it
 * equals what strtod returns. Legacy octal (0755), hex, separators and BigInt take the slow path. */
static bool number_fast(const char *s, size_t n, double *out) {
        static const double POW10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
        uint64_t m = 0;
        unsigned digits = 0;
        int exp10 = 0;
        size_t i = 0;
        if (n == 0 || n > 40 || (s[0] == '0' && n > 1 && s[1] >= '0' && s[1] <= '9'))
                return false;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
                m = m * 10 + (uint64_t) (s[i] - '0');
        if (i < n && s[i] == '.')
                for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, exp10--)
                        m = m * 10 + (uint64_t) (s[i] - '0');
        if (digits == 0 || digits > 15)
                return false;
        if (i < n && (s[i] | 0x20) == 'e') {
                bool neg = ++i < n && s[i] == '-';
                if (i < n && (s[i] == '-' || s[i] == '+'))
                        i++;
                int e = 0;
                size_t e0 = i;
                for (; i < n && s[i] >= '0' && s[i] <= '9' && e < 100; i++)
                        e = e * 10 + (s[i] - '0');
                if (i == e0)
                        return false;
                exp10 += neg ? -e : e;
        }
        if (i != n || exp10 < -22 || exp10 > 22)
                return false;
        *out = exp10 >= 0 ? (double) m * POW10[exp10] : (double) m / POW10[-exp10];
        return true;
}

double js_number(const struct jtok *t) {
        double d;
        if (number_fast(t->text, t->len, &d))
                return d;
        char buf[80];
        size_t n = 0;
        for (size_t i = 0; i < t->len && n + 1 < sizeof(buf); i++)
                if (t->text[i] != '_' && t->text[i] != 'n')
                        buf[n++] = t->text[i];
        buf[n] = '\0';
        if (n > 2 && buf[0] == '0' && (buf[1] | 0x20) == 'o')
                return (double) strtoull(buf + 2, NULL, 8);
        if (n > 2 && buf[0] == '0' && (buf[1] | 0x20) == 'b')
                return (double) strtoull(buf + 2, NULL, 2);
        if (n > 2 && buf[0] == '0' && (buf[1] | 0x20) == 'x')
                return (double) strtoull(buf + 2, NULL, 16);
        if (n > 1 && buf[0] == '0' && strspn(buf, "01234567") == n)
                return (double) strtoull(buf + 1, NULL, 8); /* legacy octal: 0755 */
        return strtod(buf, NULL);
}

struct jv js_string_value(struct jsa *a, size_t i) {
        const struct jtok *t = &a->tk[i];
        struct jv v = jv_str(t->text, t->len, 0, (uint32_t) i);
        if (t->f & JT_LIT_ESCAPE) {
                v.flags |= VF_ESCAPED | VF_BUILT;
                v.how = "a name spelled with escape sequences";
        }
        js_check_string(a, i);
        return v;
}

bool js_template_start(const struct jsa *a, size_t i, size_t end) {
        if (i >= end)
                return false;
        const struct jtok *t = &a->tk[i];
        return t->kind == TOK_STRING && (t->f & JT_TPL_START);
}

struct jv js_template(struct jsa *a, size_t *pi, size_t end) {
        size_t i = *pi;
        if (!IS_P(a, i + 1, end, "${")) { /* no holes: the piece itself, however long */
                *pi = i + 1;
                return js_string_value(a, i);
        }
        struct jfold f = { 0 };
        uint32_t origin = (uint32_t) i;
        bool holes = false, escaped = false;
        for (;;) {
                const struct jtok *t = &a->tk[i];
                js_check_string(a, i);
                escaped |= (t->f & JT_LIT_ESCAPE) != 0;
                jfold_add(&f, t->text, t->len);
                i++;
                if (!IS_P(a, i, end, "${"))
                        break;
                size_t m = jt_close(a, i, end);
                size_t j = i + 1;
                struct jv h = js_seq(a, &j, m);
                js_walk_rest(a, j, m);
                jfold_add_jv(&f, &h);
                holes = true;
                i = m < end ? m + 1 : end;
                if (!(m < end && i < end && (a->tk[i].f & JT_TEMPLATE) && !(a->tk[i].f & JT_TPL_START)))
                        break;
        }
        *pi = i;
        if (holes)
                f.flags |= VF_BUILT;
        struct jv v = jfold_end(a, &f, origin);
        if (holes && v.kind == JV_STR)
                v.how = "a name built from a template";
        if (escaped && v.kind == JV_STR) {
                v.flags |= VF_ESCAPED | VF_BUILT;
                v.how = "a name spelled with escape sequences";
        }
        return v;
}

/* Growable list of values in the arena (objects and arrays). Runs of plain unknown values are
 * not stored until something worth keeping follows: most literals of honest code hold nothing
 * the rules look at, and then cost no memory (items point to UNKNOWN_ITEMS). */
struct jvec {
        struct jv *v;
        uint32_t n, cap;
        bool over;
};

static const struct jv UNKNOWN_ITEMS[2 * JS_ITEMS_MAX] = { [0 ... 2 * JS_ITEMS_MAX - 1] = { .origin = JS_NONE } };

static bool plain_unknown(const struct jv *x) {
        return x->kind == JV_UNKNOWN && x->flags == 0;
}

static void jvec_push(struct jsa *a, struct jvec *vec, const struct jv *x) {
        if (vec->over)
                return;
        if (vec->n >= 2 * JS_ITEMS_MAX || !arena_fold_ok(a)) {
                vec->over = true;
                return;
        }
        if (!vec->v && plain_unknown(x)) {
                vec->n++;
                return;
        }
        if (vec->n >= vec->cap) {
                uint32_t cap = vec->cap ? vec->cap * 2 : 4;
                while (cap <= vec->n)
                        cap *= 2;
                struct jv *nv = arena_alloc(a, cap * sizeof(*nv));
                if (!nv) {
                        vec->over = true;
                        return;
                }
                for (uint32_t i = 0; i < vec->n; i++)
                        nv[i] = vec->v ? vec->v[i] : UNKNOWN_ITEMS[0];
                vec->v = nv;
                vec->cap = cap;
        }
        vec->v[vec->n++] = *x;
}

struct jv js_array(struct jsa *a, size_t *pi, size_t end) {
        size_t i = *pi, m = jt_close(a, i, end);
        struct jvec vec = { 0 };
        uint16_t flags = 0;
        size_t j = i + 1;
        while (j < m) {
                if (IS_P(a, j, m, ",")) {
                        struct jv u = jv_unknown(0);
                        jvec_push(a, &vec, &u);
                        j++;
                        continue;
                }
                bool spread = IS_P(a, j, m, "...");
                if (spread)
                        j++;
                struct jv v = js_expr(a, &j, m);
                flags |= v.flags & (VF_TAINT | VF_BUILT | VF_EVASION);
                if (spread && v.kind == JV_STR && jv_is_str(&v)) {
                        for (uint32_t c = 0; c < v.n; c++) {
                                struct jv ch = jv_str(v.s + c, 1, VF_BUILT, JS_NONE);
                                jvec_push(a, &vec, &ch);
                        }
                } else if (spread && v.kind == JV_ARRAY) {
                        for (uint32_t c = 0; c < v.n; c++)
                                jvec_push(a, &vec, &v.items[c]);
                } else if (spread) {
                        vec.over = true;
                } else
                        jvec_push(a, &vec, &v);
                while (j < m && !IS_P(a, j, m, ","))
                        j = js_fragment(a, j, m);
                if (j < m)
                        j++;
        }
        *pi = m < end ? m + 1 : end;
        if (vec.over)
                return jv_unknown(flags & VF_TAINT);
        struct jv r = { .kind = JV_ARRAY, .n = vec.n, .items = vec.v ? vec.v : UNKNOWN_ITEMS, .flags = flags,
                        .origin = (uint32_t) i };
        return r;
}

bool js_key_token(const struct jtok *t) {
        return t->kind == TOK_IDENT || t->kind == TOK_STRING || t->kind == TOK_NUMBER;
}

bool js_member_modifier(const struct jsa *a, size_t i, size_t end) {
        static const char *const MODS[] = { "static", "async", "get", "set", "public", "private", "protected",
                                            "readonly", "abstract", "override", "declare", "accessor" };
        if (!jt_is_kind(a, i, end, TOK_IDENT) || i + 1 >= end)
                return false;
        const struct jtok *t = &a->tk[i], *n = &a->tk[i + 1];
        /* `get() {}` is a method named get; `get x() {}` a getter */
        if (t->len < 3 || t->len > 9 || !(js_key_token(n) || IS_P(a, i + 1, end, "[") || IS_P(a, i + 1, end, "*")))
                return false;
        for (size_t k = 0; k < ELEMENTSOF(MODS); k++)
                if (t->len == strlen(MODS[k]) && memcmp(t->text, MODS[k], t->len) == 0)
                        return true;
        return false;
}

struct jv js_object(struct jsa *a, size_t *pi, size_t end) {
        size_t i = *pi, m = jt_close(a, i, end);
        struct jvec vec = { 0 };
        uint16_t flags = 0;
        uint32_t props = 0;
        size_t j = i + 1;
        while (j < m) {
                if (IS_P(a, j, m, ",") || IS_P(a, j, m, ";")) {
                        j++;
                        continue;
                }
                if (IS_P(a, j, m, "...")) {
                        j++;
                        props = UINT32_MAX;
                        struct jv v = js_expr(a, &j, m);
                        flags |= v.flags & VF_TAINT;
                        if (v.kind == JV_ENV)
                                flags |= VF_ENVDATA;
                        if (v.kind == JV_OBJECT)
                                for (uint32_t c = 0; c < 2 * v.n; c++)
                                        jvec_push(a, &vec, &v.items[c]);
                        goto next;
                }
                while (js_member_modifier(a, j, m))
                        j++;
                if (IS_P(a, j, m, "*"))
                        j++;
                struct jv key = jv_unknown(0);
                size_t ktok = j;
                if (j < m && js_key_token(&a->tk[j])) {
                        if (a->tk[j].kind == TOK_STRING)
                                js_check_string(a, j);
                        key = jv_str(a->tk[j].text, a->tk[j].len, 0, (uint32_t) j);
                        j++;
                } else if (IS_P(a, j, m, "[")) {
                        size_t km = jt_close(a, j, m), kj = j + 1;
                        key = js_seq(a, &kj, km);
                        js_walk_rest(a, kj, km);
                        j = km < m ? km + 1 : m;
                        ktok = JS_NONE;
                } else {
                        j = js_fragment(a, j, m);
                        continue;
                }
                if (IS_P(a, j, m, "?"))
                        j++; /* TS optional member of a type literal */
                struct jv v;
                if (IS_P(a, j, m, ":")) {
                        j++;
                        if (key.kind == JV_STR) {
                                a->hint = key.s;
                                a->hint_len = key.n;
                        }
                        v = js_expr(a, &j, m);
                } else if (IS_P(a, j, m, "(") || IS_P(a, j, m, "<")) {
                        v = js_fn_params(a, &j, m, key.kind == JV_STR ? key.s : NULL, key.kind == JV_STR ? key.n : 0);
                } else if (IS_P(a, j, m, "=")) {
                        j++;
                        v = js_expr(a, &j, m); /* a default in a pattern */
                } else if (ktok != JS_NONE && a->tk[ktok].kind == TOK_IDENT) {
                        v = js_lookup(a, ktok); /* shorthand {a} */
                        js_check_ident(a, ktok);
                } else
                        v = jv_unknown(0);
                flags |= v.flags & VF_TAINT;
                if (v.kind == JV_ENV)
                        flags |= VF_ENVDATA;
                if (props < UINT32_MAX)
                        props++;
                if (key.kind == JV_STR && !plain_unknown(&v)) {
                        jvec_push(a, &vec, &key);
                        jvec_push(a, &vec, &v);
                }
        next:
                while (j < m && !IS_P(a, j, m, ","))
                        j = js_fragment(a, j, m);
        }
        *pi = m < end ? m + 1 : end;
        struct jv r = { .kind = JV_OBJECT, .n = vec.over || !vec.v ? 0 : vec.n / 2, .items = vec.v, .flags = flags,
                        .aux = vec.over ? UINT32_MAX : props, .origin = (uint32_t) i };
        return r;
}

