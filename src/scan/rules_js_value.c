/* Values of the JavaScript analyser: an arena for what the walker builds, a name map, constant
 * folding (pieces, decoders) and the per-file bindings and call summaries. Pure code, bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"
#include "../base/utf8.h"
#include "rules_js_int.h"
#include "../base/codec.h"

/* ---- arena --------------------------------------------------------------------------------- */

struct arena_chunk {
        struct arena_chunk *next;
        size_t used, cap;
        _Alignas(16) char data[];
};

/* Chunks: big arrays (base/bigarray.h), each twice the size of the one before up to
 * ARENA_CHUNK_MAX, so that a big file's values land in a few that can be huge pages. */
#define ARENA_CHUNK BIG_CHUNK_FIRST
#define ARENA_CHUNK_MAX ((size_t) 8 << 20)

void arena_init(struct arena *ar, size_t budget) {
        *ar = (struct arena) { .budget = budget };
}

void arena_done(struct arena *ar) {
        struct arena_chunk *c = ar->head;
        while (c) {
                struct arena_chunk *next = c->next;
                big_free(c);
                c = next;
        }
        big_free(ar->spare);
        ar->head = ar->spare = NULL;
}

void *arena_alloc(struct jsa *a, size_t n) {
        struct arena *ar = &a->arena;
        n = (n + 15) & ~(size_t) 15;
        if (n == 0)
                n = 16;
        struct arena_chunk *c = ar->head;
        if (!c || c->cap - c->used < n) {
                if (ar->spare && ar->spare->cap >= n) {
                        c = ar->spare; /* pass 2 gives its chunks back after every statement */
                        ar->spare = NULL;
                } else {
                        size_t cap = big_chunk_after(c ? c->cap : 0, ARENA_CHUNK, ARENA_CHUNK_MAX);
                        if (n > cap)
                                cap = n;
                        c = big_mallocarray(1, sizeof(*c) + cap);
                        if (!c) {
                                a->sh->err = -ENOMEM;
                                return NULL;
                        }
                        c->cap = cap;
                }
                c->used = 0;
                c->next = ar->head;
                ar->head = c;
        }
        void *p = c->data + c->used;
        c->used += n;
        ar->total += n;
        return p;
}

struct arena_mark arena_mark(const struct arena *ar) {
        return (struct arena_mark) { ar->head, ar->head ? ar->head->used : 0, ar->total };
}

void arena_reset(struct arena *ar, struct arena_mark m) {
        while (ar->head && ar->head != m.chunk) {
                struct arena_chunk *next = ar->head->next;
                if (!ar->spare || ar->head->cap > ar->spare->cap) {
                        big_free(ar->spare);
                        ar->spare = ar->head;
                } else {
                        big_free(ar->head);
                }
                ar->head = next;
        }
        if (ar->head)
                ar->head->used = m.used;
        ar->total = m.total;
}

char *arena_strndup(struct jsa *a, const char *s, size_t n) {
        char *p = arena_alloc(a, n + 1);
        if (!p)
                return NULL;
        if (n)
                memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

struct jv *arena_jv(struct jsa *a, const struct jv *v) {
        struct jv *p = arena_alloc(a, sizeof(*p));
        if (p)
                *p = *v;
        return p;
}

/* ---- name map ------------------------------------------------------------------------------ */

uint32_t js_hash(const char *s, size_t n) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char) s[i]) * 16777619u;
        return h;
}

static int jmap_grow(struct jmap *m) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct jmap_slot *v = big_calloc(cap, sizeof(*v));
        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
                if (!m->v[i].key)
                        continue;
                size_t j = m->v[i].hash & (cap - 1);
                while (v[j].key)
                        j = (j + 1) & (cap - 1);
                v[j] = m->v[i];
        }
        big_free(m->v);
        m->v = v;
        m->cap = cap;
        return 0;
}

static uint32_t hash_key(uint32_t scope, const char *s, size_t n) {
        return js_hash(s, n) ^ (scope * 2654435761u);
}

static struct jmap_slot *jmap_find(const struct jmap *m, uint32_t scope, const char *key, size_t len, uint32_t h) {
        if (!m->cap)
                return NULL;
        size_t j = h & (m->cap - 1);
        while (m->v[j].key) {
                if (m->v[j].hash == h && m->v[j].scope == scope && m->v[j].len == len &&
                    memcmp(m->v[j].key, key, len) == 0)
                        return &m->v[j];
                j = (j + 1) & (m->cap - 1);
        }
        return &m->v[j];
}

void *jmap_get(const struct jmap *m, uint32_t scope, const char *key, size_t len) {
        struct jmap_slot *s = jmap_find(m, scope, key, len, hash_key(scope, key, len));
        return s && s->key ? s->val : NULL;
}

void *jmap_get_h(const struct jmap *m, uint32_t scope, const char *key, size_t len, uint32_t bytes_hash) {
        if (!m->n)
                return NULL;
        struct jmap_slot *s = jmap_find(m, scope, key, len, bytes_hash ^ (scope * 2654435761u));
        return s && s->key ? s->val : NULL;
}

int jmap_get_or_add(struct jmap *m, struct jsa *a, uint32_t scope, const char *key, size_t len,
                    size_t valsize, void **ret) {
        uint32_t h = hash_key(scope, key, len);
        struct jmap_slot *s = jmap_find(m, scope, key, len, h);
        if (s && s->key) {
                *ret = s->val;
                return 0;
        }
        if ((m->n + 1) * 2 > m->cap) {
                if (jmap_grow(m) < 0)
                        return a->sh->err = -ENOMEM;
                s = jmap_find(m, scope, key, len, h);
        }
        void *val = arena_alloc(a, valsize);
        if (!val)
                return -ENOMEM;
        memset(val, 0, valsize);
        /* keys point into the token list or the arena: both outlive the map */
        *s = (struct jmap_slot) { key, (uint32_t) len, h, scope, val };
        m->n++;
        *ret = val;
        return 1;
}

void jmap_done(struct jmap *m) {
        big_free(m->v);
        *m = (struct jmap) { 0 };
}

/* ---- values -------------------------------------------------------------------------------- */

bool jv_streq(const struct jv *v, const char *s) {
        size_t n = strlen(s);
        return jv_is_str(v) && v->n == n && memcmp(v->s, s, n) == 0;
}

bool jv_truthy_const(const struct jv *v) {
        switch (v->kind) {
        case JV_BOOL:
        case JV_NUM:
                return v->num != 0;
        case JV_STR:
                return v->n > 0;
        case JV_OBJECT:
        case JV_ARRAY:
                return true;
        default:
                return false;
        }
}

bool jv_interesting(const struct jv *v, unsigned depth) {
        if (v->flags & (VF_TAINT | VF_EVASION | VF_SOCKET | VF_XHR | VF_WSTREAM | VF_HOME))
                return true;
        switch (v->kind) {
        case JV_MODULE:
                return !js_mod_boring(v->mod);
        case JV_MEMBER:
                if (v->mod == MOD_GLOBAL)
                        return !v->s || js_find_sink(MOD_GLOBAL, v->s, v->n) != 0;
                return !js_mod_boring(v->mod);
        case JV_ENV:
        case JV_METHOD:
        case JV_PROTO:
        case JV_META:
        case JV_THIS:
                return true;
        case JV_FUNC: /* () => require("child_process") */
                return v->ret && (v->ret->kind == JV_THIS || (depth > 0 && jv_interesting(v->ret, depth - 1)));
        case JV_ARRAY:
        case JV_OBJECT:
                if (depth == 0)
                        return true;
                for (uint32_t i = 0; i < (v->kind == JV_OBJECT ? 2 * v->n : v->n); i++)
                        if (jv_interesting(&v->items[i], depth - 1))
                                return true;
                return false;
        default:
                return false;
        }
}

bool jv_one_of(const struct jv *items, uint32_t n, uint32_t stride, struct jv *out) {
        if (n == 0)
                return false;
        uint32_t best = 0;
        int best_rank = -1;
        for (uint32_t i = 0; i < n; i++) {
                const struct jv *x = &items[i * stride];
                if (!jv_is_str(x))
                        return false;
                /* the entry that matters most stands for the others: a secret path, then a
                 * start-up file, then the first */
                enum scan_path_kind k = scan_path_classify(x->s, x->n, NULL);
                int rank = k == SCAN_PATH_SECRET ? 2 : k == SCAN_PATH_PERSIST ? 1 : 0;
                if (rank > best_rank) {
                        best_rank = rank;
                        best = i;
                }
        }
        *out = items[best * stride];
        out->flags |= VF_ONEOF | VF_BUILT;
        out->how = "a name chosen from a table";
        return true;
}

const struct jv *jv_prop(const struct jv *obj, const char *key) {
        if (obj->kind != JV_OBJECT)
                return NULL;
        size_t kl = strlen(key);
        for (uint32_t i = 0; i < obj->n; i++) {
                const struct jv *k = &obj->items[2 * i];
                if (k->kind == JV_STR && k->n == kl && memcmp(k->s, key, kl) == 0)
                        return &obj->items[2 * i + 1];
        }
        return NULL;
}

int jv_str_class(const struct jv *v) {
        if (v->kind != JV_STR)
                return 2;
        if (!(v->flags & VF_PARTIAL))
                return 0;
        /* "git log ${x}": the program is a constant even if its arguments are not */
        size_t i = 0;
        while (i < v->n && (v->s[i] == ' ' || v->s[i] == '\t'))
                i++;
        size_t w = i;
        while (i < v->n && v->s[i] != ' ' && v->s[i] != '\t' && v->s[i] != JS_HOLE)
                i++;
        if (i == w || i >= v->n || v->s[i] == JS_HOLE)
                return 2;
        return 1;
}

bool jv_piece(const struct jv *v, char *tmp, size_t tmpcap, const char **s, size_t *n) {
        if (v->kind == JV_STR) {
                *s = v->s;
                *n = v->n;
                return true;
        }
        if (v->kind == JV_NUM) {
                int k;
                if (v->num > -1e15 && v->num < 1e15 && v->num == (double) (long long) v->num) {
                        /* "%lld" by hand: folding numbers into strings is common ("id-" + n) */
                        long long x = (long long) v->num;
                        unsigned long long u = x < 0 ? 0ull - (unsigned long long) x : (unsigned long long) x;
                        char digits[24];
                        size_t nd = 0;
                        do {
                                digits[nd++] = (char) ('0' + u % 10);
                                u /= 10;
                        } while (u);
                        k = (int) nd + (x < 0);
                        if ((size_t) k >= tmpcap)
                                return false;
                        char *o = tmp;
                        if (x < 0)
                                *o++ = '-';
                        while (nd)
                                *o++ = digits[--nd];
                        *o = '\0';
                } else
                        k = snprintf(tmp, tmpcap, "%g", v->num);
                if (k < 0 || (size_t) k >= tmpcap)
                        return false;
                *s = tmp;
                *n = (size_t) k;
                return true;
        }
        if (v->kind == JV_BOOL) {
                *s = v->num ? "true" : "false";
                *n = strlen(*s);
                return true;
        }
        return false;
}

/* ---- folding ------------------------------------------------------------------------------- */

void jfold_add(struct jfold *f, const char *s, size_t n) {
        if (f->over)
                return;
        if (f->n + n > JS_FOLD_MAX) {
                f->over = true;
                return;
        }
        if (f->n + n + 1 > f->cap) {
                size_t cap = f->cap ? f->cap : 64;
                while (cap < f->n + n + 1)
                        cap *= 2;
                char *p = realloc(f->p, cap);
                if (!p) {
                        f->over = true;
                        return;
                }
                f->p = p;
                f->cap = cap;
        }
        if (n)
                memcpy(f->p + f->n, s, n);
        f->n += n;
}

void jfold_add_jv(struct jfold *f, const struct jv *v) {
        char tmp[64];
        const char *s;
        size_t n;
        if (f->n == 0 && !f->over && (v->flags & VF_HOME))
                f->flags |= VF_HOME;
        if (jv_piece(v, tmp, sizeof(tmp), &s, &n)) {
                jfold_add(f, s, n);
                f->flags |= v->flags & (VF_TAINT | VF_PARTIAL | VF_BUILT | VF_EVASION);
        } else {
                char hole = JS_HOLE;
                jfold_add(f, &hole, 1);
                f->flags |= VF_PARTIAL | (v->flags & VF_TAINT);
        }
}

struct jv jfold_end(struct jsa *a, struct jfold *f, uint32_t origin) {
        struct jv v;
        if (f->over || !arena_fold_ok(a)) {
                v = jv_unknown(f->flags & VF_TAINT);
        } else {
                char *s = arena_strndup(a, f->p ? f->p : "", f->n);
                v = s ? jv_str(s, f->n, f->flags, origin) : jv_unknown(f->flags & VF_TAINT);
        }
        free(f->p);
        *f = (struct jfold) { 0 };
        return v;
}

/* ---- decoders ------------------------------------------------------------------------------ */

bool js_b64_decode(struct jsa *a, const char *s, size_t n, struct jv *out) {
        if (n > 4 * JS_FOLD_MAX || !arena_fold_ok(a))
                return false;
        char *p = arena_alloc(a, n / 4 * 3 + 4);
        if (!p)
                return false;
        size_t o = 0;
        uint32_t acc = 0;
        int bits = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
                        continue;
                int d = base64_digit(c);
                if (d < 0)
                        return false;
                acc = (acc << 6) | (uint32_t) d;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        p[o++] = (char) ((acc >> bits) & 0xff);
                }
        }
        p[o] = '\0';
        *out = jv_str(p, o, VF_BUILT | VF_DECODED, JS_NONE);
        out->how = "decoded from base64";
        return true;
}

bool js_hex_decode(struct jsa *a, const char *s, size_t n, struct jv *out) {
        if (n % 2 || n > 2 * JS_FOLD_MAX || !arena_fold_ok(a))
                return false;
        char *p = arena_alloc(a, n / 2 + 1);
        if (!p)
                return false;
        for (size_t i = 0; i < n; i += 2) {
                int h = hex_digit((unsigned char) s[i]), l = hex_digit((unsigned char) s[i + 1]);
                if (h < 0 || l < 0)
                        return false;
                p[i / 2] = (char) (h * 16 + l);
        }
        p[n / 2] = '\0';
        *out = jv_str(p, n / 2, VF_BUILT | VF_DECODED, JS_NONE);
        out->how = "decoded from hex";
        return true;
}

bool js_pct_decode(struct jsa *a, const char *s, size_t n, bool u_escapes, struct jv *out) {
        if (n > 3 * JS_FOLD_MAX || !arena_fold_ok(a) || !memchr(s, '%', n))
                return false;
        char *p = arena_alloc(a, n + 1);
        if (!p)
                return false;
        size_t o = 0;
        for (size_t i = 0; i < n;) {
                if (s[i] == '%' && u_escapes && i + 6 <= n && (s[i + 1] | 0x20) == 'u') {
                        int d0 = hex_digit((unsigned char) s[i + 2]), d1 = hex_digit((unsigned char) s[i + 3]);
                        int d2 = hex_digit((unsigned char) s[i + 4]), d3 = hex_digit((unsigned char) s[i + 5]);
                        if (d0 >= 0 && d1 >= 0 && d2 >= 0 && d3 >= 0) {
                                char u[4];
                                size_t k = utf8_encode((uint32_t) (d0 << 12 | d1 << 8 | d2 << 4 | d3), u);
                                memcpy(p + o, u, k);
                                o += k;
                                i += 6;
                                continue;
                        }
                }
                if (s[i] == '%' && i + 3 <= n) {
                        int h = hex_digit((unsigned char) s[i + 1]), l = hex_digit((unsigned char) s[i + 2]);
                        if (h >= 0 && l >= 0) {
                                p[o++] = (char) (h * 16 + l);
                                i += 3;
                                continue;
                        }
                }
                p[o++] = s[i++];
        }
        p[o] = '\0';
        *out = jv_str(p, o, VF_BUILT | VF_DECODED, JS_NONE);
        out->how = "percent-decoded";
        return true;
}

char *js_ident_unescape(struct jsa *a, const char *s, size_t n, size_t *out_len) {
        char *p = arena_alloc(a, n + 1);
        if (!p)
                return NULL;
        size_t o = 0;
        for (size_t i = 0; i < n;) {
                if (s[i] != '\\' || i + 1 >= n || s[i + 1] != 'u') {
                        p[o++] = s[i++];
                        continue;
                }
                size_t j = i + 2;
                uint32_t cp = 0;
                bool ok = false;
                if (j < n && s[j] == '{') {
                        j++;
                        size_t digits = 0;
                        while (j < n && hex_digit((unsigned char) s[j]) >= 0 && cp <= 0x10FFFF) {
                                cp = cp * 16 + (uint32_t) hex_digit((unsigned char) s[j]);
                                j++, digits++;
                        }
                        ok = digits > 0 && j < n && s[j] == '}' && cp <= 0x10FFFF;
                        j++;
                } else {
                        size_t digits = 0;
                        while (digits < 4 && j < n && hex_digit((unsigned char) s[j]) >= 0) {
                                cp = cp * 16 + (uint32_t) hex_digit((unsigned char) s[j]);
                                j++, digits++;
                        }
                        ok = digits == 4;
                }
                if (!ok) {
                        /* not a valid escape: keep the bytes (an encoded form can only be shorter) */
                        p[o++] = s[i++];
                        continue;
                }
                char u[4];
                size_t k = utf8_encode(cp, u);
                /* the escape is at least 6 bytes, its encoding at most 4 */
                memcpy(p + o, u, k);
                o += k;
                i = j;
        }
        p[o] = '\0';
        *out_len = o;
        return p;
}

bool js_has_escape(const char *raw, size_t n) {
        for (size_t i = 0; i + 1 < n; i++) {
                if (raw[i] != '\\')
                        continue;
                char c = raw[i + 1];
                if (c == 'x' || c == 'u' || (c >= '0' && c <= '7'))
                        return true;
                i++; /* skip the escaped character (so "\\\\x" is not an escape) */
        }
        return false;
}

/* Names whose escaped or assembled spelling is an attempt to hide a dangerous call. */
#define N(s) { s, sizeof(s) - 1 }
static const struct {
        const char *name;
        size_t len;
} DANGEROUS[] = {
        N("eval"), N("Function"), N("constructor"), N("require"), N("import"), N("child_process"), N("exec"),
        N("execSync"), N("execFile"), N("execFileSync"), N("spawn"), N("spawnSync"), N("fork"), N("process"),
        N("mainModule"), N("binding"), N("_linkedBinding"), N("dlopen"), N("_load"), N("_compile"), N("vm"),
        N("runInNewContext"), N("runInThisContext"), N("runInContext"), N("compileFunction"), N("Script"),
        N("setTimeout"), N("setInterval"), N("atob"), N("fromCharCode"), N("Buffer"), N("globalThis"),
        N("global"), N("window"), N("fetch"), N("XMLHttpRequest"), N("WebSocket"), N("env"), N("homedir"),
        N("readFileSync"), N("readFile"), N("writeFileSync"), N("writeFile"), N("appendFileSync"), N("http"),
        N("https"), N("net"), N("dgram"), N("tls"), N("fs"), N("os"), N("module"), N("Reflect"),
        N("WebAssembly"), N("createRequire"),
};
#undef N

bool js_dangerous_name(const char *s, size_t n) {
        if (n > 5 && memcmp(s, "node:", 5) == 0)
                s += 5, n -= 5;
        if (n < 2 || n > 16)
                return false; /* the longest is "runInThisContext" */
        for (size_t i = 0; i < ELEMENTSOF(DANGEROUS); i++)
                if (DANGEROUS[i].len == n && DANGEROUS[i].name[0] == s[0] && memcmp(DANGEROUS[i].name, s, n) == 0)
                        return true;
        return false;
}

/* ---- bindings ------------------------------------------------------------------------------ */

static struct jbind *bind_in(struct jsa *a, uint32_t scope, const char *name, size_t len) {
        void *p = NULL;
        if (jmap_get_or_add(&a->binds, a, scope, name, len, sizeof(struct jbind), &p) < 0)
                return NULL;
        return p;
}

/* The binding of name seen from the current function scope, or NULL. */
static struct jbind *bind_find_h(const struct jsa *a, const char *name, size_t len, uint32_t h) {
        if (!a->binds.n)
                return NULL;
        for (size_t s = a->nfscope; s-- > 0;) {
                struct jbind *b = jmap_get_h(&a->binds, a->fscope[s], name, len, h);
                if (b)
                        return b;
        }
        return NULL;
}

static struct jbind *bind_find(const struct jsa *a, const char *name, size_t len) {
        return bind_find_h(a, name, len, js_hash(name, len));
}

/* Values worth keeping even for a name bound more than once: whichever branch ran, the name
 * may be that module or function. */
static bool strong(const struct jv *v) {
        return v->kind == JV_MODULE || v->kind == JV_MEMBER || v->kind == JV_ENV;
}

static void bind_set(struct jbind *b, const struct jv *v, uint32_t add) {
        b->count = b->count > UINT32_MAX - add ? UINT32_MAX : b->count + add;
        b->flags |= v->flags & VF_TAINT;
        if (!b->has_val || (strong(v) && !strong(&b->val))) {
                b->val = *v;
                b->has_val = true;
        }
}

void bind_decl(struct jsa *a, const char *name, size_t len, const struct jv *v) {
        if (a->reporting || len == 0)
                return; /* bindings are collected in pass 1 and frozen after */
        struct jbind *b = bind_in(a, a->nfscope ? a->fscope[a->nfscope - 1] : JS_TOP_SCOPE, name, len);
        if (b)
                bind_set(b, v, 1);
}

void bind_assign(struct jsa *a, const char *name, size_t len, const struct jv *v) {
        if (a->reporting || len == 0)
                return;
        struct jbind *b = bind_find(a, name, len);
        if (!b)
                b = bind_in(a, JS_TOP_SCOPE, name, len); /* an implicit global */
        if (b)
                bind_set(b, v, 1);
}

void bind_mutate(struct jsa *a, const char *name, size_t len) {
        struct jv u = jv_unknown(0);
        if (a->reporting || len == 0)
                return;
        struct jbind *b = bind_find(a, name, len);
        if (!b)
                b = bind_in(a, JS_TOP_SCOPE, name, len);
        if (b)
                bind_set(b, &u, 2);
}

struct jv bind_lookup(struct jsa *a, const char *name, size_t len, uint32_t hash, bool *found) {
        struct jbind *b = bind_find_h(a, name, len, hash);
        *found = b != NULL;
        if (!b)
                return jv_unknown(0);
        if (b->has_val && (b->count <= 1 || strong(&b->val))) {
                struct jv v = b->val;
                v.flags |= b->flags;
                return v;
        }
        return jv_unknown(b->flags);
}

/* ---- call summaries ------------------------------------------------------------------------ */

void sum_record(struct jsa *a, const char *fn, size_t fnlen, const struct jv *args, size_t nargs,
                const uint32_t *argtok) {
        if (a->reporting || fnlen == 0)
                return;
        void *p = NULL;
        if (jmap_get_or_add(&a->sums, a, 0, fn, fnlen, sizeof(struct jsum), &p) < 0)
                return;
        struct jsum *s = p;
        if (s->ncalls < UINT32_MAX)
                s->ncalls++;
        for (size_t i = 0; i < JS_ARGS_MAX; i++) {
                struct jsum_pos *ps = &s->pos[i];
                if (i >= nargs) {
                        ps->cls = 2; /* not passed: undefined */
                        ps->nonstr = true;
                        continue;
                }
                const struct jv *v = &args[i];
                ps->flags |= v->flags & VF_TAINT;
                if (v->kind == JV_PARAM) {
                        if (ps->nlinks < JS_LINKS_MAX)
                                ps->links[ps->nlinks++] = (typeof(ps->links[0])) { v->s, v->n, v->aux };
                        else
                                ps->cls = 2, ps->over = true;
                        continue;
                }
                int c = jv_str_class(v);
                if (c > ps->cls)
                        ps->cls = (uint8_t) c;
                if (v->kind != JV_STR) {
                        ps->nonstr = true;
                } else if (ps->nconst < JS_CONSTS_MAX) {
                        const struct jv *copy = arena_jv(a, v);
                        if (copy)
                                ps->consts[ps->nconst++] = (typeof(ps->consts[0])) { copy, argtok[i] };
                        else
                                ps->over = true;
                } else
                        ps->over = true;
        }
}

const struct jsum *sum_get(struct jsa *a, const char *fn, size_t fnlen) {
        return fn && fnlen ? jmap_get(&a->sums, 0, fn, fnlen) : NULL;
}

int sum_resolve(struct jsa *a, const char *fn, size_t fnlen, uint32_t idx, unsigned hops,
                uint16_t *flags) {
        const struct jsum *s = fn && fnlen ? sum_get(a, fn, fnlen) : NULL;
        if (!s || s->ncalls == 0 || idx >= JS_ARGS_MAX || hops > JS_PARAM_HOPS)
                return 2;
        const struct jsum_pos *ps = &s->pos[idx];
        *flags |= ps->flags;
        int cls = ps->cls;
        for (size_t i = 0; i < ps->nlinks && cls < 2; i++) {
                if (ps->links[i].fnlen == fnlen && memcmp(ps->links[i].fn, fn, fnlen) == 0 &&
                    ps->links[i].idx == idx)
                        continue; /* passes its own parameter to itself */
                int c = sum_resolve(a, ps->links[i].fn, ps->links[i].fnlen, ps->links[i].idx, hops + 1, flags);
                if (c > cls)
                        cls = c;
        }
        return cls;
}
