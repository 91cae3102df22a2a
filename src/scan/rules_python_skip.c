/* The reporting pass steps over function bodies that cannot lead to a finding.
 *
 * The learning passes walk every token; the reporting pass walks them again with what was
 * learnt, and on a big file that second walk is a third of the scan. But every finding the
 * walk makes comes from a library name (a call, attribute or constant in the tables of
 * rules_python_lib.c), from a user function, class or object, or from tainted data, and the
 * reporting pass sees each name as the learning passes left it (the join of every assignment,
 * read from the previous pass). So a function body is dull - walking it again cannot report
 * anything or change what the rest of the file sees - when none of its tokens:
 *   - is a name that is ever bound to such a value, a builtin the tables know, or a dunder;
 *   - is `import`, `from`, `global` or `nonlocal` (they reach outside the body);
 *   - is a string written with escape sequences, or one long enough to be a blob (a name
 *     spelled out in a plain string reaches code only through getattr, __import__, eval and
 *     their like, which are names that matter);
 *   - is on a line where the last learning pass reached a finding (one it could not report
 *     yet), or where a finding it reached was placed - that catches what only the walk knows,
 *     such as expressions nested too deep.
 * The tables are per logical line: a body is whole lines, and a line costs 4 bytes where a
 * token would cost 4 per token.
 * What the body contributes to the others - its return value, the values of its parameters -
 * they read from the learning pass, which walked it. Only `def` bodies are stepped over
 * (module code and class bodies always run), only in files big enough for it to matter
 * (PY_SKIP_MIN_TOKENS), and never under `from m import *` (any name may be a library one). */
#include "rules_python_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"
#include "rules_common.h"

#ifndef PY_SKIP_MIN_TOKENS /* (bench/scan_same.py checks a build with 0: every file steps over) */
#define PY_SKIP_MIN_TOKENS 8192u
#endif

/* Modules some code tests by prefix rather than only through the tables (py_ref_has_prefix in
 * py_call() and ref_new()): everything under them counts. (h_getattr()'s list needs no entry:
 * getattr is a builtin the tables know, so every call of it is interesting already.) */
static const char *const PREFIX_ROOTS[] = { "ctypes", "cffi", "socket", "requests", "httpx", "aiohttp", "urllib" };

static int put_name(struct py_map *m, const char *s, size_t n) {
        return py_map_put(m, py_hash(s, n) | 1, 1);
}

static bool has_hash(const struct py_map *m, uint64_t h) {
        uint32_t v;
        return py_map_get(m, h | 1, &v);
}

/* What the tables know, as two sets of names: `ext`, every name some table entry starts
 * with (at a dot), and `under`, the names below which everything is interesting (the table
 * entries themselves and PREFIX_ROOTS). A hash collision only makes a name interesting. */
struct py_lib_names {
        struct py_map ext, under;
        uint8_t *ref_memo;    /* per ref: 0 not judged yet, 1 dull, 2 matters */
        size_t cap_memo;
        struct py_map danger; /* py_dangerous_name()'s names, hashed: one lookup per string */
        size_t danger_max;    /* the longest of them */
};

static int lib_names_build(struct py_lib_names *L) {
        for (int t = PY_TABLE_HANDLER; t <= PY_TABLE_TAG; t++)
                for (size_t i = 0; i < py_table_count(t); i++) {
                        if (py_table_entry_only_folds(t, i))
                                continue; /* str(), list(): values from values */
                        const char *s = py_table_entry(t, i);
                        size_t n = strlen(s);
                        if (put_name(&L->under, s, n) < 0)
                                return -ENOMEM;
                        for (size_t k = 1; k <= n; k++)
                                if ((k == n || s[k] == '.') && put_name(&L->ext, s, k) < 0)
                                        return -ENOMEM;
                }
        for (size_t k = 0; py_dangerous_name_at(k); k++) {
                const char *d = py_dangerous_name_at(k);
                size_t n = strlen(d);
                if (put_name(&L->danger, d, n) < 0)
                        return -ENOMEM;
                if (n > L->danger_max)
                        L->danger_max = n;
        }
        for (size_t i = 0; i < ELEMENTSOF(PREFIX_ROOTS); i++)
                if (put_name(&L->under, PREFIX_ROOTS[i], strlen(PREFIX_ROOTS[i])) < 0)
                        return -ENOMEM;
        return 0;
}

static void lib_names_free(struct py_lib_names *L) {
        py_map_free(&L->ext);
        py_map_free(&L->under);
        py_map_free(&L->danger);
        free(L->ref_memo);
        L->ref_memo = NULL;
}

/* py_dangerous_name(), with a hash instead of a walk over the list (a collision only makes a
 * string interesting). */
static bool dangerous(const struct py_lib_names *L, const char *s, size_t n) {
        return n <= L->danger_max && has_hash(&L->danger, py_hash(s, n));
}

/* A qualified name that is, leads to, or lies under something the tables know. h: the hash of
 * the bytes before s (PY_HASH_START, or the hash of "builtins." for a builtin's bare name). */
static bool lib_name_matters(const struct py_lib_names *L, uint64_t h, const char *s, size_t n) {
        if (n == 0 || s[0] == '@')
                return true;
        for (size_t k = 0; k < n; k++) {
                if ((s[k] == '.' || s[k] == '(') && has_hash(&L->under, h))
                        return true;
                h = py_hash_step(h, (unsigned char) s[k]);
        }
        return has_hash(&L->under, h) || has_hash(&L->ext, h);
}

static bool ref_matters_uncached(const struct py *P, const struct py_lib_names *L, uint32_t id) {
        const struct py_ref *r = &P->refs[id];
        if ((r->handler >= 0 && !py_table_entry_only_folds(PY_TABLE_HANDLER, (size_t) r->handler)) || r->attr >= 0 ||
            r->native || (r->tag != 0 && r->tag != PY_NOREF) || !r->name)
                return true;
        if (id == P->ref_builtins || id == P->ref_os_environ || id == P->ref_globals || id == P->ref_builtins_dict ||
            id == P->ref_sys_modules)
                return true;
        return lib_name_matters(L, PY_HASH_START, r->name, r->len);
}

static bool ref_matters(const struct py *P, struct py_lib_names *L, uint32_t id) {
        if (id >= P->n_refs)
                return true;
        if (id >= L->cap_memo) {
                size_t cap = P->cap_refs > id ? P->cap_refs : (size_t) id + 1;
                uint8_t *g = realloc(L->ref_memo, cap);
                if (!g)
                        return true;
                memset(g + L->cap_memo, 0, cap - L->cap_memo);
                L->ref_memo = g;
                L->cap_memo = cap;
        }
        if (!L->ref_memo[id])
                L->ref_memo[id] = ref_matters_uncached(P, L, id) ? 2 : 1;
        return L->ref_memo[id] == 2;
}

/* A short word ("value", "utf-8", "0-" with a hole): cannot name a program, a path or code. */
static bool plain_word(const struct py_lib_names *L, const char *s, size_t n) {
        if (n > 64)
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == ' ' || c == '.' || c == ',' || c == ':' || c == '-' || c == (unsigned char) PY_HOLE))
                        return false;
        }
        return !dangerous(L, s, n);
}

/* A value a name can hold without making the code that reads it interesting. */
static bool value_matters(const struct py *P, struct py_lib_names *L, struct pv v, unsigned depth) {
        if (v.ev != EV_NONE ||
            (v.fl & (PVF_TAINTS | PVF_PATHOBJ | PVF_FILEOBJ | PVF_CODE | PVF_DYNATTR | PVF_REQUEST | PVF_ESCAPED |
                     PVF_ALT | PVF_ALTCONST | PVF_BOUND | PVF_PATH_SEEN)))
                return true;
        switch (v.kind) {
        case PV_UNKNOWN:
        case PV_NONE:
        case PV_NUM:
                return false;
        case PV_STR:
                return !plain_word(L, v.u.s, v.n);
        case PV_LIST:
                if (depth == 0)
                        return true;
                for (uint32_t k = 0; k < v.n; k++)
                        if (value_matters(P, L, v.u.items[k], depth - 1))
                                return true;
                return false;
        case PV_REF:
                return ref_matters(P, L, v.u.id);
        default: /* user functions, classes and objects: calling them runs code elsewhere */
                return true;
        }
}

/* hot[] has room for every symbol so far (0 for the new ones); false on ENOMEM. */
static bool hot_room(struct py *P) {
        if (P->cap_hot >= P->n_syms + 1)
                return true;
        size_t cap = (P->cap_syms > P->n_syms ? P->cap_syms : P->n_syms) + 1;
        uint8_t *g = big_reallocarray(P->hot, cap, 1);
        if (!g)
                return false;
        memset(g + P->cap_hot, 0, cap - P->cap_hot);
        P->hot = g;
        P->cap_hot = cap;
        return true;
}

/* Called by py_finish_binds() for every binding of the last learning pass, in order, while
 * the binding is in the cache: these are the values the reporting pass will read. Which name
 * and scope it binds is looked up later, from the map (py_skip_plan). */
void py_skip_note_bind(struct py *P, size_t id, struct pv final) {
        if (P->err)
                return;
        if (id >= P->cap_bind_hot) {
                size_t cap = P->cap_binds[P->pass & 1] > id ? P->cap_binds[P->pass & 1] : id + 1;
                uint8_t *g = big_reallocarray(P->bind_hot, cap, 1);
                if (!g) {
                        P->err = -ENOMEM;
                        return;
                }
                P->bind_hot = g;
                P->cap_bind_hot = cap;
        }
        P->bind_hot[id] = value_matters(P, P->lib, final, 3);
}

/* The logical line of token tok: the first line whose NEWLINE is at or after it. */
static uint32_t line_of(const struct py *P, uint32_t tok) {
        uint32_t lo = 0, hi = P->n_nl;
        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (P->nl[mid] < tok)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

/* A name bound in a function (or in a comprehension or lambda inside one) to a value that
 * matters is read as that binding only inside the function: its lines are marked where the
 * name occurs (in attempt[], which count_interest() counts per line), not every use of the
 * name in the file. Elsewhere - module or class level - the name matters everywhere. The
 * marking reads each function's lines once per such name; past a budget of a few times the
 * file, the names left matter everywhere (nesting could make it quadratic). */
struct local_marks {
        uint64_t *v; /* function scope << 32 | symbol */
        size_t n, cap;
};

static void bound_hot(struct py *P, struct local_marks *m, uint32_t scope, uint32_t sym) {
        if (sym >= P->n_syms)
                return;
        uint32_t f = scope;
        while (f < P->n_scopes && f != 0 && (P->scopes[f].kind == SCOPE_COMP || P->scopes[f].kind == SCOPE_LAMBDA))
                f = P->scopes[f].parent;
        if (f == 0 || f >= P->n_scopes || P->scopes[f].kind != SCOPE_FUNC || P->scopes[f].tok >= P->n) {
                P->hot[sym] = 1; /* module or class level: everywhere */
                return;
        }
        if (m->n == m->cap) {
                size_t cap = m->cap ? m->cap * 2 : 256;
                uint64_t *g = big_reallocarray(m->v, cap, sizeof(*g));
                if (!g) {
                        P->hot[sym] = 1;
                        return;
                }
                m->v = g;
                m->cap = cap;
        }
        m->v[m->n++] = (uint64_t) f << 32 | sym;
}

static void mark_locals(struct py *P, const struct local_marks *m) {
        size_t budget = (size_t) 4 * P->n + 65536;
        for (size_t j = 0; j < m->n; j++) {
                uint32_t f = (uint32_t) (m->v[j] >> 32), sym = (uint32_t) m->v[j];
                if (P->hot[sym])
                        continue; /* already everywhere */
                uint32_t k0 = line_of(P, P->scopes[f].tok);
                uint32_t k1 = P->line_end[k0]; /* the end of the def's block (line_of() <= n_nl) */
                uint32_t from = k0 ? P->nl[k0 - 1] + 1 : 0;
                uint32_t to = k1 <= P->n_nl ? P->nl[k1 - 1] + 1 : P->n;
                if (to <= from)
                        continue;
                if (to - from > budget) {
                        P->hot[sym] = 1;
                        continue;
                }
                budget -= to - from;
                uint32_t k = k0;
                for (uint32_t i = from; i < to; i++) {
                        while (k < P->n_nl && P->nl[k] < i)
                                k++;
                        if (py_sym(P, i) == sym)
                                P->attempt[k] = 1;
                }
        }
}

/* hot[] and the marks of local names: bindings whose value matters and names that have held
 * tainted data (both by scope), dunders, builtins the tables know, and the keywords that reach
 * outside the body they are in. */
static void hot_names_finish(struct py *P) {
        uint8_t *hot = P->hot;
        struct local_marks m = { 0 };
        int prev = ((unsigned) P->n_passes - 2) & 1; /* the last learning pass */
        const struct py_map *bm = &P->bind_map[prev];
        for (size_t j = 0; j < bm->cap; j++)
                if (bm->keys[j] && bm->vals[j] < P->cap_bind_hot && P->bind_hot[bm->vals[j]]) {
                        uint64_t key = bm->keys[j] - 1;
                        bound_hot(P, &m, (uint32_t) (key >> 32), (uint32_t) key);
                }
        for (size_t j = 0; j < P->taint_map.cap; j++)
                if (P->taint_map.keys[j]) {
                        uint64_t key = P->taint_map.keys[j] - 1;
                        bound_hot(P, &m, (uint32_t) (key >> 32), (uint32_t) key);
                }
        uint64_t builtins = PY_HASH_START;
        for (const char *b = "builtins."; *b; b++)
                builtins = py_hash_step(builtins, (unsigned char) *b);
        for (uint32_t s = KW_STATICMETHOD; s < P->n_syms; s++) {
                if (hot[s])
                        continue;
                const struct py_sym *y = &P->syms[s];
                if (y->len >= 2 && y->s[0] == '_' && y->s[1] == '_')
                        hot[s] = 1; /* __import__, __builtins__, __dict__, __class__ ... */
                else if (lib_name_matters(P->lib, builtins, y->s, y->len))
                        hot[s] = 1; /* a builtin the tables know (open, eval, getattr, bytes.fromhex ...) */
        }
        for (uint32_t s = 0; s < KW_STATICMETHOD; s++)
                hot[s] = 0; /* keywords are not names ... */
        hot[KW_IMPORT] = hot[KW_FROM] = hot[KW_GLOBAL] = hot[KW_NONLOCAL] = 1; /* ... but these reach out */
        mark_locals(P, &m); /* last: a name that matters everywhere needs no marks */
        big_free(m.v);
}

/* interest[k]: how many tokens before logical line k matter (see the top of this file), for
 * k = 0 .. n_nl + 1. Names are judged by symbol, strings by what prepare() noted of them (in
 * esc[], so that no token is read again), lines by their learning-pass mark. */
static void count_interest(struct py *P) {
        const uint8_t *hot = P->hot;
        uint32_t *in = P->interest, n_syms = (uint32_t) P->n_syms, c = 0, i = 0, si = 0;
        uint32_t next_str = P->n_strs ? P->strs[0] : UINT32_MAX;
        for (uint32_t k = 0; k <= P->n_nl; k++) {
                in[k] = c;
                uint32_t e = k < P->n_nl ? P->nl[k] + 1 : P->n; /* line k is [i, e), its NEWLINE included */
                c += P->attempt[k];
                for (; i < e; i++) {
                        uint32_t s = py_sym(P, i); /* PY_NOSYM: not a name (never a name past the cap: see py_skip_plan) */
                        c += s < n_syms ? hot[s] : 0;
                        if (i == next_str) {
                                c += P->esc[i] != 0;
                                next_str = ++si < P->n_strs ? P->strs[si] : UINT32_MAX;
                        }
                }
        }
        in[P->n_nl + 1] = c;
}

/* line_end[] held each line's column (py_walk() noted them in the last learning pass); now
 * line_end[k] becomes the first logical line after k whose column is at most k's (n_nl + 1 when
 * none): a def on line k has its body on the lines k + 1 .. line_end[k] - 1. One walk with a
 * stack of the lines still open. Lines without tokens end nothing (as in py_walk). */
static int block_ends(struct py *P) {
        uint32_t *end = P->line_end;
        uint32_t *stack = big_mallocarray((size_t) P->n_nl + 1, 2 * sizeof(*stack));
        if (!stack)
                return -ENOMEM;
        size_t depth = 0;
        for (uint32_t k = 0; k <= P->n_nl; k++) {
                uint32_t col = end[k];
                end[k] = P->n_nl + 1;
                if (col == UINT32_MAX)
                        continue;
                while (depth > 0 && stack[2 * (depth - 1) + 1] >= col) {
                        end[stack[2 * (depth - 1)]] = k;
                        depth--;
                }
                stack[2 * depth] = k;
                stack[2 * depth + 1] = col;
                depth++;
        }
        big_free(stack);
        return 0;
}

static void lib_free(struct py *P) {
        if (P->lib) {
                lib_names_free(P->lib);
                free(P->lib);
                P->lib = NULL;
        }
}

int py_skip_learn(struct py *P) {
        if (P->n < PY_SKIP_MIN_TOKENS || P->n_passes < 2)
                return 0;
        P->lib = calloc(1, sizeof(*P->lib));
        P->attempt = big_calloc((size_t) P->n_nl + 1, 1);
        P->line_end = big_mallocarray((size_t) P->n_nl + 1, sizeof(*P->line_end));
        int r = P->lib && P->attempt && P->line_end && hot_room(P) ? lib_names_build(P->lib) : -ENOMEM;
        if (r < 0) {
                py_skip_free(P);
                return r;
        }
        memset(P->line_end, 0xff, ((size_t) P->n_nl + 1) * sizeof(*P->line_end)); /* no tokens */
        return 0;
}

int py_skip_plan(struct py *P) {
        if (!P->attempt)
                return 0;
        int r = P->err;
        if (r >= 0 && !P->n_star && P->n_syms < PY_SYMS_MAX) {
                P->interest = big_mallocarray((size_t) P->n_nl + 2, sizeof(*P->interest));
                r = P->interest && hot_room(P) ? block_ends(P) : -ENOMEM;
        } else
                r = r < 0 ? r : 1; /* nothing to skip */
        if (r == 0) {
                hot_names_finish(P);
                count_interest(P);
        }
        /* the learning pass's tables are done with */
        big_free(P->attempt);
        P->attempt = NULL;
        big_free(P->hot);
        P->hot = NULL;
        P->cap_hot = 0;
        big_free(P->bind_hot);
        P->bind_hot = NULL;
        P->cap_bind_hot = 0;
        lib_free(P);
        if (r != 0)
                py_skip_free(P);
        return r < 0 ? r : 0;
}

uint32_t py_skip_body(const struct py *P, uint32_t k) {
        if (!P->interest || k >= P->n_nl)
                return k;
        uint32_t m = P->line_end[k]; /* the body is lines k + 1 .. m - 1 */
        if (m <= k + 1 || m > P->n_nl + 1 || P->interest[m] != P->interest[k + 1])
                return k;
        return m - 1;
}

void py_would_report_slow(struct py *P, uint32_t tok) {
        P->attempt[P->line_k <= P->n_nl ? P->line_k : P->n_nl] = 1;
        if (tok < P->n)
                P->attempt[line_of(P, tok)] = 1;
}

void py_skip_free(struct py *P) {
        big_free(P->attempt);
        big_free(P->interest);
        big_free(P->line_end);
        big_free(P->hot);
        big_free(P->bind_hot);
        lib_free(P);
        P->attempt = P->hot = P->bind_hot = NULL;
        P->cap_bind_hot = 0;
        P->interest = P->line_end = NULL;
        P->cap_hot = 0;
}
