/* The Python analyser's storage (rules_python_internal.h): arenas and maps, interned identifiers,
 * qualified references ("os.path.join") with the module aliases that normalize them, and the
 * bindings of names per scope and pass. Everything is capped: past a cap a name is unknown. */
#include "rules_python_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"

/* ---- arena ---- */

#define CHUNK_MIN BIG_CHUNK_FIRST
#define CHUNK_MAX ((size_t) 8 << 20)

struct py_chunk {
        struct py_chunk *next;
        size_t used, cap;
        _Alignas(16) char data[];
};

void *py_alloc(struct py *P, struct py_arena *a, size_t n) {
        n = (n + 15) & ~(size_t) 15;
        if (n == 0)
                n = 16;
        if (a->full || a->used_total + n > PY_ARENA_MAX) {
                a->full = true;
                return NULL;
        }
        struct py_chunk *c = a->head;
        if (!c || c->cap - c->used < n) {
                size_t cap = big_chunk_after(c ? c->cap : 0, CHUNK_MIN, CHUNK_MAX);
                if (n > cap)
                        cap = n;
                c = big_mallocarray(1, sizeof(*c) + cap);
                if (!c) {
                        a->oom = true;
                        P->err = -ENOMEM;
                        return NULL;
                }
                c->next = a->head;
                c->used = 0;
                c->cap = cap;
                a->head = c;
        }
        void *p = c->data + c->used;
        c->used += n;
        a->used_total += n;
        return p;
}

void py_arena_free(struct py_arena *a) {
        for (struct py_chunk *c = a->head, *next; c; c = next) {
                next = c->next;
                big_free(c);
        }
        *a = (struct py_arena) { 0 };
}

struct py_arena *py_cur_arena(struct py *P) {
        return &P->arena[P->pass];
}

/* ---- maps ---- */

uint64_t py_hash(const void *s, size_t n) {
        const unsigned char *p = s;
        uint64_t h = PY_HASH_START;
        for (size_t i = 0; i < n; i++)
                h = py_hash_step(h, p[i]);
        return h;
}

#define mix py_map_mix

static int map_grow(struct py_map *m) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        uint64_t *keys = big_calloc(cap, sizeof(*keys));
        uint32_t *vals = big_mallocarray(cap, sizeof(*vals));
        if (!keys || !vals) {
                big_free(keys);
                big_free(vals);
                return -ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
                if (!m->keys[i])
                        continue;
                size_t j = mix(m->keys[i]) & (cap - 1);
                while (keys[j])
                        j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
        }
        big_free(m->keys);
        big_free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
        return 0;
}

/* key must be non-zero; an existing key is overwritten */
int py_map_put(struct py_map *m, uint64_t key, uint32_t val) {
        if ((m->n + 1) * 2 > m->cap) { /* at most half full: a miss ends after a few probes */
                int r = map_grow(m);
                if (r < 0)
                        return r;
        }
        size_t j = mix(key) & (m->cap - 1);
        while (m->keys[j] && m->keys[j] != key)
                j = (j + 1) & (m->cap - 1);
        if (!m->keys[j])
                m->n++;
        m->keys[j] = key;
        m->vals[j] = val;
        return 0;
}

void py_map_free(struct py_map *m) {
        big_free(m->keys);
        big_free(m->vals);
        *m = (struct py_map) { 0 };
}

/* ---- symbols ---- */

/* Identifiers are short: hashed a word at a time (every identifier of the file is interned once
 * when the analysis starts, so this is on the hot path). */
uint32_t py_sym_hash(const char *s, size_t n, bool *ret_ascii) {
        uint64_t h = 0x9e3779b97f4a7c15ull ^ n, all = 0; /* all: every byte or'ed in */
        while (n >= 8) {
                uint64_t w;
                memcpy(&w, s, 8);
                all |= w;
                h = (h ^ w) * 0xff51afd7ed558ccdull;
                h ^= h >> 32;
                s += 8;
                n -= 8;
        }
        /* the last 0-7 bytes: two overlapping loads, or first, middle and last byte */
        uint64_t w = 0;
        if (n >= 4) {
                uint32_t lo, hi;
                memcpy(&lo, s, 4);
                memcpy(&hi, s + n - 4, 4);
                w = (uint64_t) lo | (uint64_t) hi << 32;
        } else if (n > 0)
                w = (uint64_t) (unsigned char) s[0] | (uint64_t) (unsigned char) s[n / 2] << 8 |
                    (uint64_t) (unsigned char) s[n - 1] << 16;
        all |= w;
        if (ret_ascii)
                *ret_ascii = !(all & 0x8080808080808080ull);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
        h *= 0xc4ceb9fe1a85ec53ull;
        return (uint32_t) (h >> 32);
}

static int sym_tab_grow(struct py *P) {
        size_t cap = P->sym_tab_cap ? P->sym_tab_cap * 2 : 1024;
        uint32_t *t = big_calloc(cap, sizeof(*t));
        if (!t)
                return -ENOMEM;
        for (size_t id = 0; id < P->n_syms; id++) {
                size_t j = P->syms[id].hash & (cap - 1);
                while (t[j])
                        j = (j + 1) & (cap - 1);
                t[j] = (uint32_t) id + 1;
        }
        big_free(P->sym_tab);
        P->sym_tab = t;
        P->sym_tab_cap = cap;
        return 0;
}

uint32_t py_intern(struct py *P, const char *s, size_t n, bool copy) {
        return py_intern_hashed(P, s, n, py_sym_hash(s, n, NULL), copy);
}

uint32_t py_intern_hashed(struct py *P, const char *s, size_t n, uint32_t h, bool copy) {
        if (n > UINT32_MAX)
                return PY_NOSYM;
        size_t j = 0;
        if (P->sym_tab_cap) {
                size_t mask = P->sym_tab_cap - 1;
                for (j = h & mask; P->sym_tab[j]; j = (j + 1) & mask) {
                        const struct py_sym *y = &P->syms[P->sym_tab[j] - 1];
                        if (y->hash == h && y->len == n && memcmp(y->s, s, n) == 0)
                                return P->sym_tab[j] - 1;
                }
        }
        if (P->n_syms >= PY_SYMS_MAX)
                return PY_NOSYM;
        if (P->n_syms == P->cap_syms) {
                size_t cap = P->cap_syms ? P->cap_syms * 2 : 1024;
                struct py_sym *g = big_reallocarray(P->syms, cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        return PY_NOSYM;
                }
                P->syms = g;
                P->cap_syms = cap;
        }
        if ((P->n_syms + 1) * 2 > P->sym_tab_cap) {
                if (sym_tab_grow(P) < 0) {
                        P->err = -ENOMEM;
                        return PY_NOSYM;
                }
                size_t mask = P->sym_tab_cap - 1;
                for (j = h & mask; P->sym_tab[j]; j = (j + 1) & mask)
                        ;
        }
        if (copy) {
                char *c = py_alloc(P, &P->perm, n + 1);
                if (!c)
                        return PY_NOSYM;
                memcpy(c, s, n);
                c[n] = '\0';
                s = c;
        }
        uint32_t id = (uint32_t) P->n_syms;
        P->syms[P->n_syms++] = (struct py_sym) { s, (uint32_t) n, h };
        P->sym_tab[j] = id + 1;
        return id;
}

/* ---- qualified references ---- */

/* The qualified name of a ref into buf (NUL-terminated); its length, or 0 when too long. */
static size_t ref_name_into(const struct py *P, uint32_t ref, char *buf, size_t cap) {
        uint32_t chain[PY_REF_NAME_MAX];
        size_t k = 0;
        for (uint32_t r = ref; r != PY_NOREF && k < PY_REF_NAME_MAX; r = P->refs[r].parent)
                chain[k++] = r;
        size_t len = 0;
        while (k > 0) {
                const struct py_ref *x = &P->refs[chain[--k]];
                const struct py_sym *s = &P->syms[x->sym];
                bool call = x->sym == P->sym_call;
                size_t need = s->len + (len && !call ? 1 : 0);
                if (len + need + 1 > cap)
                        return 0;
                if (len && !call)
                        buf[len++] = '.';
                memcpy(buf + len, s->s, s->len);
                len += s->len;
        }
        buf[len] = '\0';
        return len;
}

const char *py_ref_name(const struct py *P, uint32_t ref) {
        /* for messages: one static buffer per call site is not thread-safe, so the name is
         * kept in the ref table (built once) */
        return ref < P->n_refs && P->refs[ref].name ? P->refs[ref].name : "?";
}

bool py_ref_has_prefix(const struct py *P, uint32_t ref, const char *module) {
        if (ref >= P->n_refs)
                return false;
        const char *n = P->refs[ref].name;
        size_t l = strlen(module);
        return n && strncmp(n, module, l) == 0 && (n[l] == '\0' || n[l] == '.' || n[l] == '(');
}


static uint32_t ref_new(struct py *P, uint32_t parent, uint32_t sym) {
        if (P->n_refs >= PY_REFS_MAX)
                return PY_NOREF;
        if (P->n_refs == P->cap_refs) {
                size_t cap = P->cap_refs ? P->cap_refs * 2 : 256;
                struct py_ref *g = big_reallocarray(P->refs, cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        return PY_NOREF;
                }
                P->refs = g;
                P->cap_refs = cap;
        }
        uint32_t id = (uint32_t) P->n_refs;
        P->refs[id] = (struct py_ref) { .parent = parent, .sym = sym, .handler = -1, .attr = -1 };
        char buf[PY_REF_NAME_MAX + 1];
        P->n_refs++;
        size_t len = ref_name_into(P, id, buf, sizeof(buf));
        if (len == 0) {
                P->n_refs--;
                return PY_NOREF;
        }
        char *name = py_alloc(P, &P->perm, len + 1);
        if (!name) {
                P->n_refs--;
                return PY_NOREF;
        }
        memcpy(name, buf, len + 1);
        P->refs[id].name = name;
        P->refs[id].len = (uint16_t) len;
        P->refs[id].handler = (int16_t) py_table_find(P, PY_TABLE_HANDLER, name);
        P->refs[id].attr = (int16_t) py_table_find(P, PY_TABLE_ATTR, name);
        P->refs[id].native = py_ref_has_prefix(P, id, "ctypes") || py_ref_has_prefix(P, id, "cffi") ? PY_NATIVE_MODULE
                             : py_ref_has_prefix(P, id, "@ffi") ? PY_NATIVE_FFI : 0;
        uint64_t key = ((uint64_t) parent << 32 | sym) + 1;
        if (py_map_put(&P->ref_map, key, id) < 0) {
                P->err = -ENOMEM;
                return PY_NOREF;
        }
        return id;
}

static uint32_t ref_get(struct py *P, uint32_t parent, uint32_t sym) {
        if (sym == PY_NOSYM)
                return PY_NOREF;
        uint64_t key = ((uint64_t) parent << 32 | sym) + 1;
        uint32_t id;
        if (py_map_get(&P->ref_map, key, &id))
                return id;
        return ref_new(P, parent, sym);
}

/* Module names that are another module under a different name. */
#define A(f, t) { f, t, sizeof(f) - 1 }
static const struct {
        const char *from, *to;
        size_t from_len;
} MODULE_ALIASES[] = {
        A("posix", "os"),           A("nt", "os"),
        A("posixpath", "os.path"),  A("ntpath", "os.path"),
        A("__builtin__", "builtins"), A("__builtins__", "builtins"),
        A("cPickle", "pickle"),     A("_pickle", "pickle"),
        A("urllib2", "urllib.request"), A("httplib", "http.client"),
        A("subprocess32", "subprocess"), A("_subprocess", "subprocess"),
        A("pathlib2", "pathlib"),   A("asyncio.subprocess", "asyncio"),
        A("ConfigParser", "configparser"), A("cStringIO", "io"),
        A("StringIO", "io"),        A("urlparse", "urllib.parse"),
        A("xmlrpclib", "xmlrpc.client"), A("Tkinter", "tkinter"),
        A("_io", "io"),             A("_posixsubprocess", "subprocess"),
        A("_ctypes", "ctypes"),     A("_socket", "socket"),
        A("_winapi", "subprocess"), A("_thread", "threading"),
};

uint32_t py_ref_root(struct py *P, uint32_t sym) {
        return ref_get(P, PY_NOREF, sym);
}

uint32_t py_ref_child(struct py *P, uint32_t parent, uint32_t sym) {
        if (parent == PY_NOREF)
                return PY_NOREF;
        uint32_t id = ref_get(P, parent, sym);
        if (id == PY_NOREF || sym != P->sym_call)
                return id;
        /* instances of well-known classes share one tag: "requests.Session()" -> "@http" */
        if (P->refs[id].tag == 0) {
                int tag = py_table_find(P, PY_TABLE_TAG, P->refs[id].name);
                uint32_t t = tag >= 0 ? py_ref_dotted(P, py_tag_name(tag), strlen(py_tag_name(tag))) : PY_NOREF;
                P->refs[id].tag = t == PY_NOREF ? PY_NOREF : t + 1;
        }
        return P->refs[id].tag != PY_NOREF ? P->refs[id].tag - 1 : id;
}

uint32_t py_ref_dotted(struct py *P, const char *s, size_t n) {
        uint32_t ref = PY_NOREF;
        size_t i = 0;
        while (i <= n) {
                size_t j = i;
                while (j < n && s[j] != '.')
                        j++;
                if (j == i)
                        return PY_NOREF;
                uint32_t sym = py_intern(P, s + i, j - i, true);
                if (sym == PY_NOSYM)
                        return PY_NOREF;
                ref = ref == PY_NOREF ? py_ref_root(P, sym) : py_ref_child(P, ref, sym);
                if (ref == PY_NOREF)
                        return PY_NOREF;
                i = j + 1;
        }
        return ref;
}

/* A module name as imported: aliases resolved ("posix.path" is "os.path"). */
uint32_t py_module_ref(struct py *P, const char *s, size_t n) {
        for (size_t k = 0; k < ELEMENTSOF(MODULE_ALIASES); k++) {
                size_t fl = MODULE_ALIASES[k].from_len;
                if (n < fl || s[0] != MODULE_ALIASES[k].from[0])
                        continue;
                if (n >= fl && memcmp(s, MODULE_ALIASES[k].from, fl) == 0 && (n == fl || s[fl] == '.')) {
                        char buf[PY_REF_NAME_MAX + 1];
                        size_t tl = strlen(MODULE_ALIASES[k].to);
                        if (tl + (n - fl) > PY_REF_NAME_MAX)
                                return PY_NOREF;
                        memcpy(buf, MODULE_ALIASES[k].to, tl);
                        memcpy(buf + tl, s + fl, n - fl);
                        return py_ref_dotted(P, buf, tl + n - fl);
                }
        }
        return py_ref_dotted(P, s, n);
}

/* ---- bindings ---- */

struct py_bind *py_bind_get(struct py *P, int which, uint32_t scope, uint32_t sym, bool create) {
        if (sym == PY_NOSYM)
                return NULL;
        uint64_t key = ((uint64_t) scope << 32 | sym) + 1;
        uint32_t id;
        if (py_map_get(&P->bind_map[which], key, &id))
                return &P->binds[which][id];
        if (!create)
                return NULL;
        if (P->n_binds[which] == P->cap_binds[which]) {
                size_t cap = P->cap_binds[which] ? P->cap_binds[which] * 2 : 256;
                struct py_bind *g = big_reallocarray(P->binds[which], cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        return NULL;
                }
                P->binds[which] = g;
                P->cap_binds[which] = cap;
        }
        id = (uint32_t) P->n_binds[which];
        if (py_map_put(&P->bind_map[which], key, id) < 0) {
                P->err = -ENOMEM;
                return NULL;
        }
        P->binds[which][P->n_binds[which]++] = (struct py_bind) { 0 };
        return &P->binds[which][id];
}

struct pv py_bind_value(const struct py_bind *b) {
        return b->final;
}

/* `before` is the join of every value but the latest; the latest stays apart so that x += ...
 * and x.append(...) can change it. */
void py_assign(struct py *P, uint32_t scope, uint32_t sym, struct pv v) {
        struct py_bind *b = py_bind_get(P, P->pass & 1, scope, sym, true);
        if (!b)
                return;
        if (sym >= P->cap_bound) {
                size_t cap = P->cap_syms > sym ? P->cap_syms : (size_t) sym + 1;
                uint8_t *g = big_reallocarray(P->bound, cap, 1);
                if (!g) {
                        P->err = -ENOMEM;
                        return;
                }
                memset(g + P->cap_bound, 0, cap - P->cap_bound);
                P->bound = g;
                P->cap_bound = cap;
        }
        P->bound[sym] = 1;
        if (b->n_assign > 0) {
                b->before = b->has_before ? py_join(P, b->before, b->last) : b->last;
                b->has_before = true;
        }
        b->last = v;
        b->n_assign++;
}

void py_finish_binds(struct py *P) {
        int w = P->pass & 1;
        for (size_t i = 0; i < P->n_binds[w]; i++) {
                struct py_bind *b = &P->binds[w][i];
                b->final = b->has_before ? py_join(P, b->before, b->last) : b->last;
                if (P->attempt)
                        py_skip_note_bind(P, i, b->final);
        }
}

static struct pv builtin_or_star(struct py *P, uint32_t sym) {
        /* `from m import *`: a name the tables know under m (remembered per name) */
        uint32_t memo;
        if (P->n_star && py_map_get(&P->star_memo, (uint64_t) sym + 1, &memo)) {
                if (memo)
                        return py_ref(memo - 1, memo - 1 == P->ref_os_environ ? PVF_ENV : 0, EV_NONE);
        } else
        for (size_t k = 0; k < P->n_star; k++) {
                const struct py_ref *m = &P->refs[P->star_mods[k]];
                const struct py_sym *s = &P->syms[sym];
                char buf[PY_REF_NAME_MAX + 1];
                if ((size_t) m->len + 1 + s->len > PY_REF_NAME_MAX)
                        continue;
                memcpy(buf, m->name, m->len);
                buf[m->len] = '.';
                memcpy(buf + m->len + 1, s->s, s->len);
                buf[m->len + 1 + s->len] = '\0';
                if (py_table_find(P, PY_TABLE_HANDLER, buf) >= 0 || py_table_find(P, PY_TABLE_ATTR, buf) >= 0) {
                        uint32_t r = py_ref_child(P, P->star_mods[k], sym);
                        if (r != PY_NOREF) {
                                if (py_map_put(&P->star_memo, (uint64_t) sym + 1, r + 1) < 0)
                                        P->err = -ENOMEM;
                                return py_ref(r, r == P->ref_os_environ ? PVF_ENV : 0, EV_NONE);
                        }
                }
                if (k + 1 == P->n_star && py_map_put(&P->star_memo, (uint64_t) sym + 1, 0) < 0)
                        P->err = -ENOMEM;
        }
        const struct py_sym *s = &P->syms[sym];
        if (s->len == 12 && memcmp(s->s, "__builtins__", 12) == 0)
                return py_ref(P->ref_builtins, 0, EV_NONE);
        /* the script itself: paths next to it are files the skill ships (a constant program) */
        if (s->len == 8 && memcmp(s->s, "__file__", 8) == 0)
                return py_str(P, "./__file__.py", 13, 0);
        /* the same for every use of the name: remembered (refs are never dropped) */
        if (sym < P->cap_builtin_ref && P->builtin_ref[sym])
                return py_ref(P->builtin_ref[sym] - 1, 0, EV_NONE);
        uint32_t r = py_ref_child(P, P->ref_builtins, sym);
        if (r == PY_NOREF)
                return pv_unknown(0);
        if (sym >= P->cap_builtin_ref) {
                size_t cap = P->cap_syms > sym ? P->cap_syms : (size_t) sym + 1;
                uint32_t *g = big_reallocarray(P->builtin_ref, cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        return py_ref(r, 0, EV_NONE);
                }
                memset(g + P->cap_builtin_ref, 0, (cap - P->cap_builtin_ref) * sizeof(*g));
                P->builtin_ref = g;
                P->cap_builtin_ref = cap;
        }
        P->builtin_ref[sym] = r + 1;
        return py_ref(r, 0, EV_NONE);
}

/* The scope a name is bound in, seen from the current one (the current one when nowhere). */
static uint32_t binding_scope(struct py *P, uint32_t sym) {
        int cur = P->pass & 1, prev = cur ^ 1;
        uint32_t s = P->scope;
        for (bool first = true;; first = false) {
                if (first || P->scopes[s].kind != SCOPE_CLASS) {
                        if ((P->pass > 0 && py_bind_get(P, prev, s, sym, false)) || py_bind_get(P, cur, s, sym, false))
                                return s;
                }
                if (s == 0)
                        return P->scope;
                s = P->scopes[s].parent;
        }
}

void py_taint_name(struct py *P, uint32_t sym, uint32_t taints) {
        taints &= PVF_TAINTS;
        if (!taints || sym == PY_NOSYM)
                return;
        uint64_t key = ((uint64_t) binding_scope(P, sym) << 32 | sym) + 1;
        uint32_t old = 0;
        (void) py_map_get(&P->taint_map, key, &old);
        if ((old | taints) != old && py_map_put(&P->taint_map, key, old | taints) < 0)
                P->err = -ENOMEM;
}

static struct pv with_stored_taints(struct py *P, uint32_t scope, uint32_t sym, struct pv v) {
        uint32_t t;
        if (P->taint_map.n && py_map_get(&P->taint_map, ((uint64_t) scope << 32 | sym) + 1, &t))
                v.fl |= t;
        return v;
}

struct pv py_lookup_slow(struct py *P, uint32_t sym, uint32_t tok) {
        if (sym == PY_NOSYM)
                return pv_unknown(0);
        for (uint32_t k = P->n_over; k > P->over_base; k--)
                if (P->over[k - 1].sym == sym)
                        return P->over[k - 1].val;
        if (sym >= P->cap_bound || !P->bound[sym])
                return builtin_or_star(P, sym);
        int cur = P->pass & 1, prev = cur ^ 1;
        uint32_t s = P->scope;
        for (bool first = true;; first = false) {
                if (first || P->scopes[s].kind != SCOPE_CLASS) {
                        struct py_bind *b = NULL;
                        if (P->pass > 0)
                                b = py_bind_get(P, prev, s, sym, false);
                        if (b)
                                return with_stored_taints(P, s, sym, py_bind_value(b));
                        b = py_bind_get(P, cur, s, sym, false);
                        if (b)
                                return with_stored_taints(P, s, sym, b->last);
                }
                if (s == 0)
                        break;
                s = P->scopes[s].parent;
        }
        return builtin_or_star(P, sym);
}

