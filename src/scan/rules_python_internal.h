/* Private to the Python analyser (rules_python*.c): the abstract values an expression evaluates
 * to, the tables that resolve names (symbols, qualified references, bindings per scope), and the
 * analyser state shared by its parts:
 *   rules_python.c        entry point, token preparation, passes, single-token rules
 *   rules_python_stmt.c   statements, scopes by indentation, imports, assignments
 *   rules_python_expr.c   expressions: operators, calls, trailers, lambdas, parameters
 *   rules_python_atoms.c  literals, f-strings, displays, comprehensions, names
 *   rules_python_store.c  arenas, maps, symbols, qualified references, bindings
 *   rules_python_values.c folding: join, concatenation, decoders, formatting, look-alikes
 *   rules_python_lib.c    the library tables (what a qualified name does)
 *   rules_python_calls.c  calls of user functions, classes and library functions
 *   rules_python_attr.c   attributes, subscripts, methods of strings/paths/files
 *   rules_python_exec.c   process and dynamic-code rules
 *   rules_python_report.c findings, messages, facts, path and environment rules
 *   rules_python_skip.c   which function bodies the reporting pass may step over
 *
 * The analysis is an abstract interpretation over tokens, not a parser that can fail: every
 * expression yields a value (unknown when nothing better is known), every token is visited a
 * bounded number of times, and all tables have hard caps. The file is walked in passes: the
 * first ones only learn (what each name is bound to over the whole file - the join of all its
 * assignments -, what user functions are called with and return, which facts hold for the file
 * such as "talks to the network"), the last one reports with that knowledge. Big files get one
 * learning pass instead of two (PY_BIG_TOKENS), and in files of some size the reporting pass
 * steps over function bodies in which nothing can lead to a finding (rules_python_skip.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules_common.h"

#define PY_STR_MAX 4096          /* longest folded string */
#define PY_LIST_MAX 256          /* elements kept of a folded list or tuple */
#define PY_EXPR_DEPTH 300        /* expressions open at once (brackets, unary chains, ternaries) */
#define PY_ARGS_MAX 128          /* positional arguments kept per call (chr(...) helpers take many) */
#define PY_KWARGS_MAX 16         /* keyword arguments kept per call */
#define PY_PARAMS_MAX 16         /* parameters kept per function */
#define PY_ARENA_MAX (64u << 20) /* bytes of folded values per pass */
#define PY_REFS_MAX (1u << 20)   /* distinct qualified names */
#define PY_SYMS_MAX (4u << 20)   /* distinct identifiers */
#define PY_SCOPES_MAX (1u << 20) /* functions, classes, lambdas, comprehensions */
#define PY_REF_NAME_MAX 200      /* longest qualified name ("os.path.join") */
#define PY_PASSES 3              /* two learning passes, then the reporting one */
#define PY_BIG_TOKENS (256u * 1024) /* past this, one learning pass (a 10 MB file stays fast) */
#define PY_BLOCKS_MAX 256        /* nested def/class blocks tracked by indentation */
#define PY_FOLD_BUDGET (1u << 20)/* tokens re-evaluated per pass to fold comprehensions */
#define PY_STAR_MAX 16           /* `from m import *` modules remembered */
#define PY_DOWNLOADS_MAX 16      /* files written with network data, remembered per pass */
#define PY_ALTS_MAX 8            /* constants a value can be one of (more: it counts as unknown) */

/* A byte standing for an unknown part of a string ("{x}" in an f-string): prefix and suffix
 * around it stay visible to the path, URL and command checks. */
#define PY_HOLE '\x01'

#define PY_NOSYM UINT32_MAX

#define PY_ESC_ESCAPES 1u /* esc[]: the string is written with escape sequences */
#define PY_ESC_LONG 2u    /* esc[]: its value is SCAN_BLOB_MIN bytes or more */
#define PY_NOREF UINT32_MAX

enum pv_kind {
        PV_UNKNOWN = 0,
        PV_NONE,
        PV_NUM,
        PV_STR,   /* u.s, n bytes; with PVF_HOLES the unknown parts are PY_HOLE */
        PV_LIST,  /* list or tuple: u.items, n elements; PVF_HOLES = more elements unknown */
        PV_REF,   /* a module, module attribute or library object: u.id into the ref table */
        PV_FUNC,  /* a user function or lambda: u.id = its scope */
        PV_CLASS, /* a user class: u.id = its scope */
        PV_OBJ,   /* an instance of a user class (self): u.id = the class scope */
};

/* How a name was reached when it was not simply written out: the evasion a message names.
 * Ordered: a value keeps the strongest. */
enum pv_ev {
        EV_NONE = 0,
        EV_GETATTR,   /* getattr(module, "name") */
        EV_NAMESPACE, /* globals()[...], __builtins__.__dict__[...], sys.modules[...], x.os */
        EV_PIECES,    /* the name was assembled from pieces (concatenation, join, chr, reversal) */
        EV_ESCAPED,   /* the name was spelled with \x / \u escapes */
        EV_UNICODE,   /* the name was spelled with look-alike Unicode letters */
        EV_DECODED,   /* the name was decoded at runtime (base64, hex, rot13...) */
};

#define PVF_PIECES (1u << 0)      /* a string assembled from pieces */
#define PVF_HOLES (1u << 1)       /* STR with unknown parts / LIST with unknown elements */
#define PVF_BYTES (1u << 2)
#define PVF_DECODED (1u << 3)     /* passed through a decoder (taint) */
#define PVF_NET (1u << 4)         /* data received from the network (taint) */
#define PVF_ENV (1u << 5)         /* the whole process environment (taint) */
#define PVF_SECRETDATA (1u << 6)  /* contents of a credentials file (taint) */
#define PVF_PATHOBJ (1u << 7)     /* a pathlib path: u.s is its text */
#define PVF_FILEOBJ (1u << 8)     /* an open file: u.s is the path it was opened on */
#define PVF_WRITE (1u << 9)       /* FILEOBJ opened for writing */
#define PVF_PATH_SEEN (1u << 10)  /* a sensitive path already reported once */
#define PVF_CODE (1u << 11)       /* a compiled code object */
#define PVF_BOOL (1u << 12)       /* NUM from True/False */
#define PVF_ESCAPED (1u << 13)    /* a literal written with escape sequences */
#define PVF_DYNATTR (1u << 14)    /* REF whose last attribute is unknown: getattr(mod, name) */
#define PVF_BOUND (1u << 15)      /* FUNC reached through an instance: self is implicit */
#define PVF_REQUEST (1u << 16)    /* a urllib Request object (its URL was reported) */
#define PVF_LITERAL (1u << 17)    /* STR straight from one literal, nothing folded */
#define PVF_ALT_SECRET (1u << 18) /* one of the strings joined into this one named credentials */
#define PVF_ALT_PERSIST (1u << 19)/* ... or a start-up file */
#define PVF_ALT (PVF_ALT_SECRET | PVF_ALT_PERSIST)
#define PVF_ALTCONST (1u << 20)   /* STR: its holes stand for constants ("cls" if nt else "clear") */
#define PVF_DICT (1u << 21)       /* LIST holding the values of a dict display (keys not kept) */

#define PVF_TAINTS (PVF_DECODED | PVF_NET | PVF_ENV | PVF_SECRETDATA)

struct pv {
        uint8_t kind; /* enum pv_kind */
        uint8_t ev;   /* enum pv_ev */
        uint32_t fl;  /* PVF_* */
        uint32_t n;
        union {
                const char *s;
                const struct pv *items;
                int64_t num;
                uint32_t id;
        } u;
};

static inline struct pv pv_unknown(uint32_t fl) {
        return (struct pv) { .kind = PV_UNKNOWN, .fl = fl & PVF_TAINTS };
}

/* The tiny value constructors are inline: every literal and name goes through them. */
struct py;

static inline struct pv py_str(struct py *P, const char *s, size_t n, uint32_t fl) {
        (void) P;
        if (n > PY_STR_MAX) {
                n = PY_STR_MAX;
                fl |= PVF_HOLES;
        }
        return (struct pv) { .kind = PV_STR, .fl = fl, .n = (uint32_t) n, .u.s = s };
}

static inline struct pv py_num(int64_t v) {
        return (struct pv) { .kind = PV_NUM, .u.num = v };
}

static inline struct pv py_ref(uint32_t ref, uint32_t fl, uint8_t ev) {
        if (ref == PY_NOREF)
                return pv_unknown(fl);
        return (struct pv) { .kind = PV_REF, .ev = ev, .fl = fl, .u.id = ref };
}

static inline uint32_t py_taints(struct pv v) {
        return v.fl & PVF_TAINTS;
}

/* ---- storage ---- */

struct py_chunk;
struct py_arena {
        struct py_chunk *head;
        size_t used_total;
        bool full;  /* PY_ARENA_MAX reached: further folding yields unknown values */
        bool oom;   /* malloc failed: the scan ends with -ENOMEM */
};

/* Open-addressing map from a non-zero 64-bit key to a 32-bit value. */
struct py_map {
        uint64_t *keys;
        uint32_t *vals;
        size_t cap, n; /* cap is a power of two (or 0) */
};

struct py_sym {
        const char *s;
        uint32_t len;
        uint32_t hash; /* py_sym_hash(s, len), for the symbol table */
};

struct py_ref {
        uint32_t parent; /* PY_NOREF for a root (a top-level module name) */
        uint32_t sym;    /* the last component ("()" for a call result) */
        char *name;      /* the qualified name, NUL-terminated */
        uint16_t len;
        int16_t handler; /* index into the call table, -1 when calling it is nothing special */
        int16_t attr;    /* index into the attribute table (constants, special objects), -1 */
        uint32_t tag;    /* a call result: the shared instance tag ref + 1, PY_NOREF when none, 0 unknown */
        uint8_t native;  /* PY_NATIVE_*: under ctypes/cffi (kept here: tested at every call) */
};
#define PY_NATIVE_MODULE 1 /* ctypes..., cffi... */
#define PY_NATIVE_FFI 2    /* @ffi... (a cffi FFI instance) */

/* A name bound in one scope during one pass: every assignment joins into `before`, the latest
 * value stays in `last` (so `x += ...`, x.append() change the latest assignment only). */
struct py_bind {
        struct pv last, before, final; /* final: join of all, computed when the pass ends */
        uint32_t n_assign;
        bool has_before;
};

enum py_scope_kind { SCOPE_MODULE, SCOPE_FUNC, SCOPE_CLASS, SCOPE_LAMBDA, SCOPE_COMP };

#define PARAM_PLAIN 0
#define PARAM_STAR 1  /* *args */
#define PARAM_DSTAR 2 /* **kwargs */

struct py_param {
        uint32_t sym;
        uint8_t kind;
        bool has_default;
};

struct py_scope {
        uint32_t tok;    /* the def/class/lambda/for token that opens it */
        uint32_t parent;
        uint8_t kind;    /* enum py_scope_kind */
        bool is_method, is_static, is_classmethod;
        uint8_t n_params;
        struct py_param params[PY_PARAMS_MAX];
        const struct pv *defaults;   /* n_params values, from the pass that last saw the def */
        /* [pass & 1]: statements in its body, and the expression of its return: a body that is
         * one return is evaluated again at each call with the arguments (helpers that decode) */
        uint32_t n_stmts[2], ret_s[2], ret_e[2];
        struct pv ret[2];            /* join of its return values: [pass & 1] */
        bool has_ret[2];
        uint32_t name_sym;           /* def/class name, for messages */
};

/* The constants an PVF_ALTCONST string is one of, found by its skeleton pointer. */
struct py_alts {
        const char *skel;
        uint32_t skel_n;
        uint32_t count;
        struct pv v[PY_ALTS_MAX];
};

struct py_download {
        char *path; /* skeleton of a path written with network data (malloc'd) */
        uint32_t len;
};

/* What one pass learned about the whole file; the next pass decides severities with it. */
struct py_facts {
        bool network;     /* any network client, or curl/wget & co. run */
        bool secret;      /* a credentials path reached a file operation */
        bool env;         /* the whole environment was read out */
        bool ctypes_used;
        struct py_download dl[PY_DOWNLOADS_MAX];
        size_t n_dl;
};

struct py_args {
        struct pv pos[PY_ARGS_MAX];
        uint32_t pos_tok[PY_ARGS_MAX]; /* first token of each positional argument */
        uint16_t npos;
        bool pos_more;  /* *args of unknown length, or more than PY_ARGS_MAX */
        struct {
                uint32_t sym;
                struct pv v;
        } kw[PY_KWARGS_MAX];
        uint8_t nkw;
        uint32_t kw_unpack_fl; /* **mapping: its taints */
        bool kw_unpack;
        uint32_t taints;       /* union of every argument's taints */
};

/* One call being judged. */
struct py_call {
        uint32_t tok;   /* first token of the callee expression: where findings point */
        uint32_t open;  /* the "(" token: identifies the call */
        struct pv callee;
        const struct py_args *a;
};

struct py {
        const struct scan_ctx *ctx;
        struct token_list *toks; /* ours: prepare() and py_scope_for() write to its tokens */
        /* code found in a string (exec("...")) is analysed by a nested analyser whose findings
         * point at the call in the file: `at`, in ctx->src */
        const struct scan_pos *at;
        unsigned nest;
        uint32_t code_tok;       /* the call whose constant code is being analysed */
        /* comments on the first two lines (all other comments left the token list: prepare()) */
        struct token cookie[4];
        size_t n_cookie;
        uint32_t n;
        /* What prepare() learns of each token that is not a string lives in the token itself
         * (token.h: `info`, `link`; read through py_sym(), py_punct(), py_closer(),
         * py_first_for()): 12 bytes a token that were unused, instead of four tables of 4.
         *   info: a TOK_IDENT's symbol; a TOK_PUNCT's text packed by py_pack() when up to 3
         *         bytes, else 0 (py_punct() is one integer compare); PY_NOSYM otherwise
         *   link.a: an opener's closer (UINT32_MAX when unclosed or not an opener); the scope
         *           that a def/class/lambda/comprehension `for` keyword opens (py_scope_for())
         *   link.b: an opener's first `for` at its top level, UINT32_MAX: none */
        bool topfor_ok;          /* link.b is valid (false when brackets nested deeper than
                                  * prepare() follows) */
        uint8_t *ibp;            /* token -> its binding power as an infix operator (0: none),
                                  * PY_BP_RIGHT when right-associative */
        uint8_t *tf;             /* token -> PY_TF_* */
        uint32_t *nl;            /* the NEWLINE tokens, in order: the logical lines */
        uint32_t n_nl;
        uint32_t *strs;          /* the STRING tokens, in order */
        uint32_t n_strs;
        bool has_semicolon;      /* any ';' at all (else a logical line is one statement) */
        uint8_t *esc;            /* STRING token -> PY_ESC_*: written with \\x, \\u, \\N or octal
                                  * escapes, a value long enough to be a blob */
        /* arguments of the call open at each expression depth, allocated on first use */
        struct py_args *argpool[PY_EXPR_DEPTH + 1];
        /* one list buffer per expression depth (displays, tuples, folds), allocated on first
         * use: nested lists would otherwise put PY_LIST_MAX values on the stack per level */
        struct pv *scratch[PY_EXPR_DEPTH + 2];
        int err;                 /* sticky -ENOMEM */

        struct py_sym *syms;
        size_t n_syms, cap_syms;
        uint8_t *bound;          /* per symbol: assigned somewhere (else a lookup goes to builtins) */
        size_t cap_bound;
        uint32_t *builtin_ref;   /* per symbol: builtins.NAME + 1, 0 when not looked up yet */
        size_t cap_builtin_ref;
        uint32_t *sym_tab;       /* open addressing by py_sym_hash: sym + 1, 0 = empty */
        size_t sym_tab_cap;      /* a power of two */
        struct py_arena perm;    /* lives for the whole scan: symbol names, ref names */

        struct py_ref *refs;
        size_t n_refs, cap_refs;
        struct py_map ref_map;   /* (parent, sym) -> ref */

        struct py_scope *scopes; /* the keyword that opens one has its id in link.a */
        size_t n_scopes, cap_scopes;

        int pass;                /* 0 .. n_passes-1 */
        int n_passes;            /* PY_PASSES, or 2 for big files */
        bool report;             /* the last pass */
        unsigned quiet;          /* > 0: evaluating again for folding only, no findings */
        /* values of each pass: they flow into the next passes' bindings, so all live to the end */
        struct py_arena arena[PY_PASSES];
        struct py_bind *binds[2];
        size_t n_binds[2], cap_binds[2];
        struct py_map bind_map[2]; /* (scope, sym) -> bind, per pass */
        struct py_facts facts[2];

        uint32_t scope;          /* current scope */
        unsigned depth;          /* expression nesting */
        bool too_deep_reported;
        bool native_reported;
        uint32_t env_line;       /* line of the last environment finding */
        uint32_t fold_budget;

        /* names bound while folding a comprehension or inlining a helper: looked up first,
         * from over_base up (the frame of the innermost inlined call) */
        struct {
                uint32_t sym;
                struct pv val;
        } over[64];
        uint32_t n_over, over_base;
        unsigned inline_depth;

        uint32_t star_mods[PY_STAR_MAX];
        size_t n_star;
        struct py_map star_memo; /* sym -> what an unbound name is under the star imports (+1) */

        /* def/class blocks open, by indentation */
        struct {
                uint32_t indent, scope;
        } blk[PY_BLOCKS_MAX];
        size_t nblk;

        /* decorators seen on the lines before a def */
        bool pending_static, pending_classmethod;

        /* set by atom(): the expression just parsed was a bare name (for x.append, x += ) */
        uint32_t atom_name_sym;
        uint32_t atom_name_tok;

        struct py_map own_tables;/* qualified name -> entry of the library tables (lib.c) */
        const struct py_map *tables; /* own_tables, or the outer analyser's for nested code */
        unsigned n_nested;       /* nested analyses started (capped: PY_NESTED_MAX) */
        struct py_map alt_map;   /* skeleton pointer -> its alternatives in `alts` */
        struct py_alts *alts;
        size_t n_alts, cap_alts;
        struct py_map taint_map; /* (scope, sym) -> taints stored into the container it names
                                  * (d[k] = v, l.append(v)); kept over all passes */
        struct py_map reported;  /* (token, rule) pairs already reported */
        struct py_map folded;    /* IDENT tokens whose name was folded from look-alike letters */
        uint32_t ctypes_import_tok;

        /* stepping over dull function bodies in the reporting pass (rules_python_skip.c) */
        uint8_t *attempt;   /* last learning pass, per logical line: a finding was reached
                             * on it (or at a token of it); then also the lines where a name
                             * local to a function matters (mark_locals). NULL when nothing is
                             * skipped */
        uint32_t *interest; /* reporting pass, per logical line k: how many tokens before line
                             * k could lead to a finding; NULL: skip nothing */
        uint32_t *line_end; /* last learning pass: the column of logical line k's first token
                             * (UINT32_MAX: no tokens); reporting pass: the first line after k's
                             * block */
        uint8_t *hot;       /* per symbol: the name can lead to a finding wherever it is read */
        size_t cap_hot;
        uint8_t *bind_hot;  /* last learning pass, per binding: its final value matters */
        size_t cap_bind_hot;
        struct py_lib_names *lib; /* what the tables know, by name (rules_python_skip.c) */
        uint32_t line_k;    /* the logical line being walked */

        /* well-known symbols and refs, interned at start */
        uint32_t kw[64];
        uint32_t ref_builtins, ref_os_environ, ref_globals, ref_builtins_dict, ref_sys_modules;
        uint32_t sym_call; /* "()" */
};

/* Keyword and well-known symbol indices into py.kw (interned first, in this order). */
enum py_kw {
        KW_FALSE, KW_NONE, KW_TRUE, KW_AND, KW_AS, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_BREAK,
        KW_CLASS, KW_CONTINUE, KW_DEF, KW_DEL, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FINALLY, KW_FOR,
        KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_IN, KW_IS, KW_LAMBDA, KW_NONLOCAL, KW_NOT,
        KW_OR, KW_PASS, KW_RAISE, KW_RETURN, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD,
        /* not keywords, but compared often */
        KW_STATICMETHOD, KW_CLASSMETHOD, KW_SELF, KW_INIT, KW_SHELL, KW_EXECUTABLE, KW_ARGS,
        KW_MODE, KW_FILE, KW_URL, KW_HOST, KW_PORT, KW_LOADER, KW_HOSTNAME, KW_CMD, KW_COMMAND,
        KW_FILENAME, KW_PATH, KW_ENV, KW_SRC, KW_DST, KW_DATA, KW_JSON, KW_N
};

/* ---- rules_python_store.c, rules_python_values.c ---- */
void *py_alloc(struct py *P, struct py_arena *a, size_t n);
void py_arena_free(struct py_arena *a);
struct py_arena *py_cur_arena(struct py *P);
int py_map_put(struct py_map *m, uint64_t key, uint32_t val);
static inline uint64_t py_map_mix(uint64_t k) {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdull;
        k ^= k >> 33;
        return k;
}

/* Inline: the analyser looks names and bindings up several times per token. */
static inline bool py_map_get(const struct py_map *m, uint64_t key, uint32_t *val) {
        if (!m->cap)
                return false;
        size_t j = py_map_mix(key) & (m->cap - 1);
        while (m->keys[j]) {
                if (m->keys[j] == key) {
                        *val = m->vals[j];
                        return true;
                }
                j = (j + 1) & (m->cap - 1);
        }
        return false;
}
void py_map_free(struct py_map *m);
/* FNV-1a: py_hash() of a whole buffer, or a byte at a time (every prefix of a name in one walk). */
#define PY_HASH_START 1469598103934665603ull
static inline uint64_t py_hash_step(uint64_t h, unsigned char c) {
        return (h ^ c) * 1099511628211ull;
}
uint64_t py_hash(const void *s, size_t n);
/* A name worth hiding ("system", "eval", "socket" ...): rules_python.c */
bool py_dangerous_name(const char *s, size_t n);
const char *py_dangerous_name_at(size_t k); /* the k-th of them, NULL past the last */

/* ---- rules_python_skip.c ---- */
int py_skip_learn(struct py *P); /* before the last learning pass: 0 or -ENOMEM */
int py_skip_plan(struct py *P);  /* before the reporting pass: 0 or -ENOMEM */
/* Logical line k just opened a function body: the last line of the body when the reporting
 * pass may step over all of it, else k. */
uint32_t py_skip_body(const struct py *P, uint32_t k);
void py_skip_free(struct py *P);
/* The last learning pass has finished binding id (binds[]) to final: remember whether it matters. */
void py_skip_note_bind(struct py *P, size_t id, struct pv final);
/* A finding reached while it cannot be reported (a learning pass): remembered for the line
 * being walked and the line of its token, so that the reporting pass walks them again. */
void py_would_report_slow(struct py *P, uint32_t tok);
static inline void py_would_report(struct py *P, uint32_t tok) {
        if (P->attempt)
                py_would_report_slow(P, tok);
}

/* The hash of a name (*ret_ascii, when not NULL: whether all its bytes are ASCII). */
uint32_t py_sym_hash(const char *s, size_t n, bool *ret_ascii);
uint32_t py_intern(struct py *P, const char *s, size_t n, bool copy);
uint32_t py_intern_hashed(struct py *P, const char *s, size_t n, uint32_t hash, bool copy);
uint32_t py_ref_root(struct py *P, uint32_t sym);
uint32_t py_ref_child(struct py *P, uint32_t parent, uint32_t sym);
uint32_t py_ref_dotted(struct py *P, const char *s, size_t n);
uint32_t py_module_ref(struct py *P, const char *s, size_t n);
const char *py_ref_name(const struct py *P, uint32_t ref);
bool py_ref_has_prefix(const struct py *P, uint32_t ref, const char *module);

struct py_bind *py_bind_get(struct py *P, int which, uint32_t scope, uint32_t sym, bool create);
struct pv py_bind_value(const struct py_bind *b);
void py_assign(struct py *P, uint32_t scope, uint32_t sym, struct pv v);
void py_finish_binds(struct py *P);
void py_taint_name(struct py *P, uint32_t sym, uint32_t taints);
struct pv py_lookup_slow(struct py *P, uint32_t sym, uint32_t tok);

struct pv py_list(struct py *P, const struct pv *items, size_t n, uint32_t fl);
struct pv *py_scratch(struct py *P); /* PY_LIST_MAX values for this depth, NULL without memory */
struct pv py_join(struct py *P, struct pv a, struct pv b);
struct pv py_concat(struct py *P, struct pv a, struct pv b);
struct pv py_to_text(struct py *P, struct pv v);
struct pv py_path_join(struct py *P, const struct pv *parts, size_t n, uint32_t fl);
bool py_is_const_str(struct pv v);
bool py_is_constish(struct pv v); /* constant, or one of several constants */
/* The constants an PVF_ALTCONST value is one of; 0 when it is not such a value. */
size_t py_alts(const struct py *P, struct pv v, const struct pv **ret);
bool py_is_env(const struct py *P, struct pv v);
struct pv py_decode(struct py *P, struct pv v, int how);
struct pv py_reverse(struct py *P, struct pv v);
struct pv py_format(struct py *P, struct pv fmt, const struct py_args *a, bool percent, struct pv pct_arg);
size_t py_fold_ident(const char *s, size_t n, char *out, size_t cap);
bool py_str_eq(struct pv v, const char *lit);

/* Iterating the environment is also how an honest script picks a few variables for a child
 * process: elements of os.environ carry the PVF_ENV taint and only the sinks (py_env_sink)
 * report. */
enum py_decoder { DEC_NONE, DEC_B64, DEC_B32, DEC_HEX, DEC_ROT13, DEC_OPAQUE };

/* ---- rules_python_atoms.c, _expr.c, _stmt.c: the evaluator ---- */
/* binding powers of the precedence climbing (rules_python_expr.c) */
enum {
        BP_WALRUS = 1,
        BP_TERNARY = 2,
        BP_OR = 3,
        BP_AND = 4,
        BP_NOT = 5,
        BP_CMP = 6,
        BP_BOR = 7,
        BP_XOR = 8,
        BP_BAND = 9,
        BP_SHIFT = 10,
        BP_ADD = 11,
        BP_MUL = 12,
        BP_UNARY = 13,
        BP_POW = 14,
        BP_AWAIT = 15,
};
#define PY_BP_RIGHT 0x80 /* in py.ibp: right-associative (**, :=) */

/* Classes of a token (py.tf), fixed per token: the hot loops test one bit instead of several
 * keyword and punctuation compares. */
#define PY_TF_OPENER (1u << 0) /* ( [ { */
#define PY_TF_PREFIX (1u << 1) /* starts a prefix form: not - + ~ await lambda yield * ** */
#define PY_TF_TRAILER (1u << 2) /* may continue a primary: . ( [ */
#define PY_TF_ASSIGN (1u << 3)  /* matters to an assignment: = : lambda, and every operator ending in = */

struct pv py_exprlist(struct py *P, uint32_t *ip, uint32_t end);
struct pv py_binary(struct py *P, uint32_t *ip, uint32_t end, int minbp);
/* One expression (no bare tuple) from *ip, *ip moved past it. */
static inline struct pv py_expr(struct py *P, uint32_t *ip, uint32_t end) {
        return py_binary(P, ip, end, BP_WALRUS);
}
struct pv py_atom(struct py *P, uint32_t *ip, uint32_t end);
struct pv py_name(struct py *P, uint32_t i); /* the name at IDENT token i (not a keyword) */
struct pv py_comprehension(struct py *P, uint32_t s, uint32_t elt_end, uint32_t for_idx, uint32_t e, bool dict);
struct pv py_element_of(struct py *P, struct pv v);
bool py_starts_expr(const struct py *P, uint32_t i, uint32_t end);
struct pv py_numeric(char op, struct pv a, struct pv b);
void py_params(struct py *P, uint32_t scope, uint32_t s, uint32_t e, bool annotations);
struct pv py_lambda(struct py *P, uint32_t *ip, uint32_t end);
void py_bind_target(struct py *P, uint32_t a, uint32_t b, struct pv v);
bool py_is_stop_kw(const struct py *P, uint32_t i);
uint32_t py_find_top_kw(const struct py *P, uint32_t s, uint32_t e, enum py_kw kw);
uint32_t py_find_top_punct(const struct py *P, uint32_t s, uint32_t e, const char *p);
uint32_t py_header_colon(const struct py *P, uint32_t s, uint32_t e);
uint32_t py_scope_for(struct py *P, uint32_t tok, uint8_t kind);
void py_walk(struct py *P);

/* Up to 3 bytes of punctuation packed into an integer (no Python operator is longer); longer
 * text packs to a value no token has. With a literal argument this folds to a constant. */
static inline uint32_t py_pack(const char *text) {
        if (!text[0])
                return UINT32_MAX;
        uint32_t v = (uint8_t) text[0];
        if (!text[1])
                return v;
        v |= (uint32_t) (uint8_t) text[1] << 8;
        if (!text[2])
                return v;
        v |= (uint32_t) (uint8_t) text[2] << 16;
        return text[3] ? UINT32_MAX : v;
}

/* Token i (the list has no comments: the per-token tables index it directly). */
static inline const struct token *py_tk(const struct py *P, uint32_t i) {
        return &P->toks->v[i];
}

/* The symbol of token i when it is a name, else PY_NOSYM (also past the end). */
static inline uint32_t py_sym(const struct py *P, uint32_t i) {
        return i < P->n && py_tk(P, i)->kind == TOK_IDENT ? py_tk(P, i)->info : PY_NOSYM;
}

/* Token i's text packed by py_pack() when it is punctuation of up to 3 bytes, else 0. */
static inline uint32_t py_pw(const struct py *P, uint32_t i) {
        return i < P->n && py_tk(P, i)->kind == TOK_PUNCT ? py_tk(P, i)->info : 0;
}

static inline bool py_punct(const struct py *P, uint32_t i, const char *text) {
        return i < P->n && py_pw(P, i) == py_pack(text);
}

static inline bool py_kw(const struct py *P, uint32_t i, enum py_kw kw) {
        return py_sym(P, i) == P->kw[kw];
}

/* link.a / link.b of token i (UINT32_MAX for a string, whose room holds its value, and past the
 * end) */
static inline uint32_t py_link(const struct py *P, uint32_t i, bool second) {
        if (i >= P->n || py_tk(P, i)->kind == TOK_STRING)
                return UINT32_MAX;
        return second ? py_tk(P, i)->link.b : py_tk(P, i)->link.a;
}

static inline bool py_is_ident(const struct py *P, uint32_t i) {
        return i < P->n && py_tk(P, i)->kind == TOK_IDENT;
}

static inline bool py_is_opener(const struct py *P, uint32_t i) {
        return i < P->n && (P->tf[i] & PY_TF_OPENER);
}

/* The first `for` at the top level of the bracket opened at `open`, whose closer (clamped) is c;
 * c when none (what py_find_top_kw(P, open + 1, c, KW_FOR) finds, precomputed). */
static inline uint32_t py_first_for(const struct py *P, uint32_t open, uint32_t c) {
        if (!P->topfor_ok)
                return py_find_top_kw(P, open + 1, c, KW_FOR);
        uint32_t f = py_link(P, open, true);
        return f < c ? f : c;
}

/* The closer of the bracket opened at `open`, clamped to end (end when it is not closed). */
static inline uint32_t py_closer(const struct py *P, uint32_t open, uint32_t end) {
        uint32_t m = py_link(P, open, false);
        return m < end && m > open ? m : end;
}

static inline void py_skip_past(const struct py *P, uint32_t *ip, uint32_t close, uint32_t end) {
        (void) P;
        *ip = close < end ? close + 1 : end;
}

/* What the name sym means at token tok. Inline for its most common case: a builtin never
 * assigned in the file, already looked up once (never __builtins__ or __file__), with no
 * comprehension or inlined call binding names and no `from m import *`. */
static inline struct pv py_lookup(struct py *P, uint32_t sym, uint32_t tok) {
        if (sym < P->cap_builtin_ref && P->builtin_ref[sym] && P->n_over == P->over_base && !P->n_star &&
            (sym >= P->cap_bound || !P->bound[sym]))
                return py_ref(P->builtin_ref[sym] - 1, 0, EV_NONE);
        return py_lookup_slow(P, sym, tok);
}

/* ---- rules_python_lib.c: the library tables ---- */
enum handler_kind {
        H_SHELL = 1, H_SUBPROCESS, H_EXECV, H_EXECL, H_EXEC_ARGS, H_PTY, H_CMDSTR,
        H_EVAL, H_COMPILE, H_CODEOBJ, H_RUNPY, H_IMPORT, H_GETATTR, H_GLOBALS,
        H_CHR, H_ORD, H_BYTES, H_STR, H_MAP, H_REVERSED, H_LIST, H_DICT, H_SHLEX,
        H_DECODE, H_CODECS, H_OPEN, H_OSOPEN, H_PATH, H_PATH_HOME, H_PATHJOIN, H_PATHID,
        H_GETENV, H_FILEREAD, H_COPY, H_CHMOD, H_REMOVE, H_SETUID, H_COPYFILEOBJ,
        H_NET, H_URLOPEN, H_REQUEST, H_URLRETRIEVE, H_NETDATA, H_DESER, H_NATIVE,
        H_ENV_SINK, H_ENV_ITER, H_ENV_KEEP, H_NSGET, H_DUP2, H_SITEPKG, H_CREDSTORE, H_WHICH, H_DIRNAME,
};

/* Network address forms (H_NET b). */
enum { NET_URL, NET_HOST, NET_ADDR };

struct py_handler {
        const char *name;
        uint8_t kind;
        int8_t a, b; /* argument positions / sub-kinds, per kind */
        const char *kw; /* keyword name of argument a, when it has one */
};

enum attr_kind { A_NUM = 1, A_ENV, A_PYTHON, A_TAG, A_PROT_EXEC, A_STR };

struct py_attrdef {
        const char *name;
        uint8_t kind;
        int64_t num;
        const char *s;
};

extern const struct py_handler PY_HANDLERS[];
extern const struct py_attrdef PY_ATTRS[];
enum { PY_TABLE_HANDLER, PY_TABLE_ATTR, PY_TABLE_TAG };
int py_table_find(const struct py *P, int table, const char *qname);
/* The qualified names of a table, one by one (rules_python_skip.c reads them all). */
size_t py_table_count(int table);
const char *py_table_entry(int table, size_t i);
/* An entry whose handler only computes a value from its arguments (str(), list(), chr() ...):
 * it reports nothing unless an argument is tainted. Keep in step with dispatch(). */
bool py_table_entry_only_folds(int table, size_t i);
const char *py_tag_name(int tag);
int py_init_tables(struct py *P);

/* ---- rules_python_report.c: findings, facts, paths, environment ---- */
void py_report(struct py *P, uint32_t tok, const char *rule, enum severity sev, const char *cat,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void py_report_token(struct py *P, const struct token *t, const char *rule, enum severity sev, const char *cat,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
extern const char *const PY_EV_TEXT[];
void py_quote(char *out, size_t cap, const char *s, size_t n);
void py_callee_text(const struct py *P, const struct py_call *c, const char *qname, char *out, size_t cap);
struct py_facts *py_prev_facts(struct py *P);
struct py_facts *py_cur_facts(struct py *P);
enum severity py_at_least(enum severity s, enum severity min);
const struct pv *py_arg(struct py *P, const struct py_args *a, int pos, const char *kw);
const struct pv *py_kwarg(const struct py_args *a, uint32_t sym);
bool py_truthy(struct pv v);
void py_note_download(struct py *P, struct pv path);
bool py_was_downloaded(struct py *P, struct pv path);
bool py_is_home_or_root(struct pv v);
enum path_op { OP_BUILD, OP_READ, OP_WRITE, OP_CHMOD, OP_REMOVE };
struct pv py_judge_path(struct py *P, uint32_t tok, struct pv v, enum path_op op, const char *what);
void py_env_sink(struct py *P, uint32_t tok, struct pv v, const char *how);
void py_env_sink_args(struct py *P, uint32_t tok, const struct py_args *a, const char *how);
void py_nested_code(struct py *P, struct pv code);

/* ---- rules_python_exec.c: processes and dynamic code ---- */
struct py_exec_req {
        bool shell;            /* cmd is a shell command line */
        struct pv cmd;         /* shell: the command text */
        struct pv prog;        /* argv form: the program */
        const struct pv *argv; /* argv form: the arguments after the program */
        size_t argc;
        const char *rule;      /* py.process.* */
};
void py_judge_code(struct py *P, uint32_t tok, const char *rule, const char *who, struct pv v, uint8_t ev);
void py_judge_exec(struct py *P, const struct py_call *c, const char *qname, struct py_exec_req *x, int depth);
void py_exec_from_value(struct py *P, const struct py_call *c, const char *qname, struct pv v, const char *rule);
void py_h_subprocess(struct py *P, const struct py_call *c, const char *qname, const struct py_handler *h);

/* ---- rules_python_calls.c: calls ---- */
struct pv py_call(struct py *P, const struct py_call *c);
struct pv py_class_lookup(struct py *P, uint32_t cls, uint32_t sym);
bool py_not_found(struct pv v);
struct pv py_getenv_value(struct py *P, struct pv key);
struct pv py_split_words(struct py *P, struct pv v, struct pv sep);
void py_native(struct py *P, uint32_t tok, const char *what);
void py_note_import(struct py *P, uint32_t tok, uint32_t ref);

/* ---- rules_python_attr.c: attributes, subscripts, methods of values ---- */
struct pv py_method(struct py *P, uint32_t tok, struct pv recv, uint32_t name_sym, const struct py_args *a);
struct pv py_attr(struct py *P, uint32_t tok, struct pv v, uint32_t name_sym);
struct pv py_subscript(struct py *P, uint32_t tok, struct pv v, struct pv key, bool is_slice_rev);

/* ---- rules_python.c: the analysis of one token list (nest > 0: code from a string, reported at `at`) */
int py_analyse(const struct scan_ctx *ctx, struct token_list *toks, const struct scan_pos *at, unsigned nest,
               const struct py_map *tables);
#define PY_NEST_MAX 2     /* code in a string in a string */
#define PY_NESTED_MAX 32  /* nested analyses per file: each costs a setup, a file can have many exec("x") */
