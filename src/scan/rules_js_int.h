/* Private to the JavaScript/TypeScript analyser: the abstract values the walker computes for
 * expressions, the significant-token view it walks, and the analyser state.
 *   rules_js.c          entry point, token preparation, passes, findings (held, escalated)
 *   rules_js_value.c    arena, name maps, values, constant folding, decoders, bindings, summaries
 *   rules_js_walk.c     statements, declarations, imports, destructuring
 *   rules_js_expr.c     expressions, calls, names
 *   rules_js_literals.c strings, templates, arrays, objects
 *   rules_js_decl.c     functions, classes, TypeScript types
 *   rules_js_resolve.c  modules and members: what a name and a call resolve to
 *   rules_js_sinks.c    processes, dynamic code, decoders, native code: the call judgements
 *   rules_js_io.c       network, files, environment, download-and-run
 *   rules_js_methods.c  string/array/function methods, promise chains, sockets */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rules_common.h"

#define JS_NONE UINT32_MAX
#define JS_FOLD_MAX 4096       /* a folded string longer than this is no longer a constant */
#define JS_DEPTH_MAX 600       /* walker recursion; beyond it, tokens are walked flat */
#define JS_ARGS_MAX 8          /* call arguments kept on the stack (and summarised per function) */
#define JS_CALL_ARGS_MAX 256   /* call arguments kept at all (later ones are still walked) */
#define JS_ITEMS_MAX 64        /* array items / object properties kept */
#define JS_SCOPE_MAX 64        /* function parameters in scope at once */
#define JS_FSCOPE_MAX 24       /* nested function scopes told apart (deeper ones share) */
#define JS_TOP_SCOPE (UINT32_MAX - 1)
#define JS_EMBED_MAX 3         /* eval("...") inside eval("...") inside ... */
#define JS_CONSTS_MAX 4        /* string arguments remembered per parameter of a function */
#define JS_LINKS_MAX 2
#define JS_PARAM_HOPS 4        /* f(x) -> g(x) -> exec(x): hops followed to find a constant */
#define JS_HOLE '\x01'         /* a part of a string only known at run time */

enum jv_kind {
        JV_UNKNOWN = 0,
        JV_STR,    /* s/n; VF_PARTIAL: holes are JS_HOLE bytes */
        JV_NUM,    /* num */
        JV_BOOL,   /* num = 0 or 1 */
        JV_ARRAY,  /* items[n] */
        JV_OBJECT, /* items[2n]: key (JV_STR), value (plain unknown values are not kept);
                    * aux: the number of properties written (UINT32_MAX: a spread) */
        JV_MODULE, /* mod: a module object (also the global object, process, Buffer ...) */
        JV_MEMBER, /* mod + s/n: a named member of a module; s == NULL: a computed unknown name */
        JV_ENV,    /* process.env as a whole */
        JV_FUNC,   /* a function or class of this file; ret: what it returns (the first value known);
                    * aux..n: its body's token range */
        JV_METHOD, /* recv + s/n: a method of a value (string, array, function, tainted object) */
        JV_PARAM,  /* s/n: the function's name, aux: the parameter's index */
        JV_THIS,
        JV_META,   /* import.meta */
        JV_PROTO,  /* recv.prototype */
};

/* What is known about where a value comes from. */
#define VF_EVASION (1u << 0)  /* reached through a trick (how says which) */
#define VF_BUILT (1u << 1)    /* a string assembled from pieces, escapes or a decoder */
#define VF_DECODED (1u << 2)  /* passed through a decoder (base64, hex, zlib, fromCharCode ...) */
#define VF_NETWORK (1u << 3)  /* data received from the network */
#define VF_SECRET (1u << 4)   /* contents of a secret file */
#define VF_ENVDATA (1u << 5)  /* holds the whole environment */
#define VF_HOME (1u << 6)     /* a path that starts at the home directory ("~") */
#define VF_PARTIAL (1u << 7)  /* a string with holes */
#define VF_SOCKET (1u << 8)   /* a raw socket object */
#define VF_XHR (1u << 9)      /* an XMLHttpRequest object */
#define VF_ESCAPED (1u << 10) /* a string literal written with \x / \u escapes */
#define VF_INDIRECT (1u << 11) /* (0, f) or an alias: f is called without its name */
#define VF_WSTREAM (1u << 12)  /* a file write stream (s/n: its path, when constant) */
#define VF_ONEOF (1u << 13)    /* one of the constants of a table looked up with an unknown key
                                * (the value is the first of them) */
#define VF_TAINT (VF_DECODED | VF_NETWORK | VF_SECRET | VF_ENVDATA)

struct jv {
        uint8_t kind;
        uint8_t mod;
        uint16_t flags;
        uint32_t n;
        uint32_t aux;
        uint32_t origin; /* significant-token index where the value was made (JS_NONE: nowhere) */
        const char *s;
        const char *how; /* how the evasion was done, for messages */
        union {
                double num;
                const struct jv *items;
                const struct jv *recv;
                const struct jv *ret;
        };
};

/* The significant tokens (no comments, no line breaks) with what the walker needs. */
#define JT_NL_BEFORE (1u << 0) /* a line break before this token */
#define JT_ESCAPED (1u << 1)   /* an identifier written with \u escapes (text is decoded) */
#define JT_TEMPLATE (1u << 2)  /* a piece of a template literal */
#define JT_TPL_START (1u << 3) /* ... its first piece */
#define JT_REGEX (1u << 4)
#define JT_LIT_ESCAPE (1u << 5) /* a string literal written with \x, \u or octal escapes */
struct jtok {
        const char *text; /* IDENT: the name (escapes decoded); STRING: the value; else raw */
        uint32_t len;
        union {
                uint32_t match; /* PUNCT: the matching bracket, or JS_NONE */
                uint32_t hash;  /* IDENT: js_hash(text, len), for the name maps */
        };
        uint32_t ti;    /* index in the token list */
        uint8_t kind;
        uint8_t f;
};

/* A string hash map: (scope, bytes, len) -> pointer. */
struct jmap {
        struct jmap_slot {
                const char *key;
                uint32_t len;
                uint32_t hash;
                uint32_t scope;
                void *val;
        } *v;
        size_t n, cap;
};

struct arena_chunk;
struct arena {
        struct arena_chunk *head;
        struct arena_chunk *spare; /* the largest chunk arena_reset() gave back, for reuse */
        size_t total, budget;      /* bytes handed out; folding stops at the budget */
};

/* A binding of a name in one function scope (blocks are not told apart). Bound once: its
 * value is known; bound again (reassigned, x++, a loop variable): only its taint is. */
struct jbind {
        uint32_t count;
        bool has_val;
        uint16_t flags;  /* union of the taint of every value bound */
        struct jv val;
};

/* What the calls of a function named NAME pass at each position (for a parameter that reaches a
 * command or eval: constant at every call site?). */
struct jsum_pos {
        uint8_t cls; /* 0: constant string, 1: string with a constant first word, 2: unknown */
        uint8_t nconst, nlinks;
        bool nonstr; /* some call passes something that is not a string (or nothing) */
        bool over;   /* more strings than consts[] holds */
        uint16_t flags;
        struct {
                const struct jv *v;
                uint32_t tok;
        } consts[JS_CONSTS_MAX];
        struct {
                const char *fn;
                uint32_t fnlen, idx;
        } links[JS_LINKS_MAX];
};
struct jsum {
        uint32_t ncalls;
        struct jsum_pos pos[JS_ARGS_MAX];
};

struct jscope {
        const char *name;
        uint32_t len;
        struct jv val;
};

/* A finding held back until the file is done: secret reads and environment dumps become
 * critical when the same file uses the network, and so on. */
enum js_escalate {
        ESC_NONE,
        ESC_HARVEST, /* critical if the file also uses the network */
        ESC_NET,     /* network to an unknown host or an IP literal: high if the file harvests */
};
struct jpending {
        uint32_t line, column;
        size_t offset;
        const char *rule, *category;
        enum severity sev;
        enum js_escalate esc;
        char *msg;
};
struct jshared {
        const struct scan_ctx *ctx;
        struct jpending *v;
        size_t n, cap;
        uint64_t *seen; /* dedupe: hashes of (position, rule) */
        size_t nseen, capseen;
        bool has_network, has_harvest;
        uint32_t socket_line, socket_col, shell_line, shell_col; /* reverse shell parts */
        size_t socket_off, shell_off;
        bool has_socket, has_shell, too_deep;
        /* bytes of constant code and commands analysed again (eval("..."), exec("...")): the
         * same constant used a thousand times must not cost a thousand analyses */
        size_t reanalysed, reanalyse_budget;
        /* files written with data from the network (a later run of one is download-and-execute) */
        struct {
                char *p;
                size_t n;
        } dl[16];
        size_t ndl;
        int err;
};

/* Callback parameters get values from the call they are passed to (`.then(cp => ...)` after
 * import("child_process"), `res.on("data", d => ...)` on a network response). */
enum pend_mode { PEND_NONE, PEND_FIRST, PEND_ALL };

struct jsa {
        const struct scan_ctx *ctx;
        struct jshared *sh;
        const struct token_list *toks;
        struct jtok *tk;
        size_t n;
        struct arena arena;
        struct jmap binds; /* name -> struct jbind */
        struct jmap sums;  /* function name -> struct jsum */
        /* interest[i]: how many tokens before i could lead to a finding (a global that matters, a
         * name bound to a module or to tainted data, a blob, an escape); pass 2 skips function
         * bodies and blocks that have none. NULL: skip nothing. */
        uint32_t *interest;
        struct jmap hot; /* names that make a token interesting */
        uint64_t *hot_bloom; /* a one-probe Bloom filter in front of hot (most names are not hot) */
        uint32_t hot_bloom_mask; /* its size in bits, minus one (a power of two) */
        struct jmap rets; /* body token -> struct jv: what a function returns (pass 1, for bodies
                           * pass 2 steps over) */
        bool reporting;    /* pass 2 */
        uint32_t fscope[JS_FSCOPE_MAX]; /* the function scopes around the walker */
        size_t nfscope;
        unsigned depth, base_depth;
        struct jscope scope[JS_SCOPE_MAX];
        size_t nscope;
        enum pend_mode pend;
        struct jv pend_val;
        uint32_t callee_to; /* last token of the callee of the call being judged (messages) */
        struct jv *ret_slot; /* the first known value the current function returns */
        const char *hint; /* the name the next function literal is bound to */
        uint32_t hint_len;
        unsigned embed;   /* nesting of eval("...") analysis */
        bool has_override;
        uint32_t ov_line, ov_col;
        size_t ov_off;
};

static inline const struct token *jt_tok(const struct jsa *a, size_t i) {
        return &a->toks->v[a->tk[i].ti];
}

/* ---- rules_js_value.c -------------------------------------------------------------------- */
struct arena_mark {
        struct arena_chunk *chunk;
        size_t used, total;
};
void arena_init(struct arena *ar, size_t budget);
/* Pass 2 computes nothing that outlives a statement: its scratch memory is given back after
 * each one, so memory stays proportional to pass 1's bindings. */
struct arena_mark arena_mark(const struct arena *ar);
void arena_reset(struct arena *ar, struct arena_mark m);
void arena_done(struct arena *ar);
void *arena_alloc(struct jsa *a, size_t n);       /* NULL (and a->sh->err) on failure */
char *arena_strndup(struct jsa *a, const char *s, size_t n);
struct jv *arena_jv(struct jsa *a, const struct jv *v); /* a copy that lives as long as a */
/* false once the folding budget is spent */
static inline bool arena_fold_ok(const struct jsa *a) {
        return a->arena.total < a->arena.budget;
}

int jmap_get_or_add(struct jmap *m, struct jsa *a, uint32_t scope, const char *key, size_t len,
                    size_t valsize, void **ret);
void *jmap_get(const struct jmap *m, uint32_t scope, const char *key, size_t len);
/* The same with the key's byte hash given (js_hash): identifiers are hashed once. */
void *jmap_get_h(const struct jmap *m, uint32_t scope, const char *key, size_t len, uint32_t hash);
uint32_t js_hash(const char *s, size_t n);
void jmap_done(struct jmap *m);

static inline struct jv jv_unknown(uint16_t flags) {
        return (struct jv) { .kind = JV_UNKNOWN, .flags = flags, .origin = JS_NONE };
}
/* The small constructors and tests are inline: the walker calls them for nearly every token. */
static inline struct jv jv_str(const char *s, size_t n, uint16_t flags, uint32_t origin) {
        return (struct jv) { .kind = JV_STR, .s = s, .n = (uint32_t) n, .flags = flags, .origin = origin };
}
static inline struct jv jv_num(double d) {
        return (struct jv) { .kind = JV_NUM, .num = d, .origin = JS_NONE };
}
static inline struct jv jv_module(uint8_t mod) {
        return (struct jv) { .kind = JV_MODULE, .mod = mod, .origin = JS_NONE };
}
static inline struct jv jv_member(uint8_t mod, const char *name, size_t len) {
        return (struct jv) { .kind = JV_MEMBER, .mod = mod, .s = name, .n = (uint32_t) len, .origin = JS_NONE };
}
/* a constant string without holes */
static inline bool jv_is_str(const struct jv *v) {
        return v->kind == JV_STR && !(v->flags & VF_PARTIAL);
}
/* something callable (module member, function) */
static inline bool jv_is_fn(const struct jv *v) {
        return v->kind == JV_MEMBER || v->kind == JV_MODULE || v->kind == JV_FUNC || v->kind == JV_METHOD;
}
bool jv_streq(const struct jv *v, const char *s);
bool jv_truthy_const(const struct jv *v); /* true / non-zero / non-empty constant */
/* A value that can lead to a finding where it is used (a module, a member, process.env,
 * tainted data, something reached by a trick), looking depth levels into objects and arrays. */
bool jv_interesting(const struct jv *v, unsigned depth);
const struct jv *jv_prop(const struct jv *obj, const char *key); /* object literal property */
/* One of n constant strings (items[i * stride]) standing for all: the one that names a secret or
 * a start-up file if any, else the first; false unless every entry is a constant string. */
bool jv_one_of(const struct jv *items, uint32_t n, uint32_t stride, struct jv *out);
int jv_str_class(const struct jv *v); /* 0 constant, 1 constant first word, 2 unknown */
/* The string form of a value for folding ("~", numbers, holes); false if it has none. */
bool jv_piece(const struct jv *v, char *tmp, size_t tmpcap, const char **s, size_t *n);

/* Folding buffer: appends pieces, refuses past JS_FOLD_MAX. */
struct jfold {
        char *p;
        size_t n, cap;
        bool over;
        uint16_t flags;
};
void jfold_add(struct jfold *f, const char *s, size_t n);
void jfold_add_jv(struct jfold *f, const struct jv *v);
struct jv jfold_end(struct jsa *a, struct jfold *f, uint32_t origin); /* frees f->p */

/* Decoders on constants (results in the arena; false when the input is not valid). */
bool js_b64_decode(struct jsa *a, const char *s, size_t n, struct jv *out);
bool js_hex_decode(struct jsa *a, const char *s, size_t n, struct jv *out);
bool js_pct_decode(struct jsa *a, const char *s, size_t n, bool u_escapes, struct jv *out);
/* \uXXXX and \u{...} in an identifier (the lexer keeps them raw). */
char *js_ident_unescape(struct jsa *a, const char *s, size_t n, size_t *out_len);
bool js_has_escape(const char *raw, size_t n); /* \x, \u or an octal escape in a literal */
bool js_dangerous_name(const char *s, size_t n);

/* Pass 1 only (bindings are frozen in pass 2). decl: in the innermost function scope; assign: in
 * the scope that declared the name (else the top level); mutate: x++ and the like. */
void bind_decl(struct jsa *a, const char *name, size_t len, const struct jv *v);
void bind_assign(struct jsa *a, const char *name, size_t len, const struct jv *v);
void bind_mutate(struct jsa *a, const char *name, size_t len);
struct jv bind_lookup(struct jsa *a, const char *name, size_t len, uint32_t hash, bool *found);

void sum_record(struct jsa *a, const char *fn, size_t fnlen, const struct jv *args, size_t nargs,
                const uint32_t *argtok);
/* Is parameter idx of function fn constant at every call site? cls as jv_str_class. */
int sum_resolve(struct jsa *a, const char *fn, size_t fnlen, uint32_t idx, unsigned hops,
                uint16_t *flags);
const struct jsum *sum_get(struct jsa *a, const char *fn, size_t fnlen);

/* ---- rules_js.c -------------------------------------------------------------------------- */
void js_report(struct jsa *a, uint32_t k, const char *rule, enum severity sev, const char *cat,
               enum js_escalate esc, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Dedupe key for findings that several tokens may lead to (a secret path built once, read twice). */
bool js_seen(struct jsa *a, uint32_t key_pos, const char *rule);
void js_pos(const struct jsa *a, uint32_t k, uint32_t *line, uint32_t *col, size_t *off);
void js_shell_text(struct jsa *a, uint32_t k, const char *cmd, size_t n, bool partial);
void js_embedded(struct jsa *a, uint32_t k, const struct jv *code);
/* The callee's source text for messages ("cp.exec", "run"), cut to fit. */
void js_callee_text(const struct jsa *a, uint32_t from, uint32_t to, char *out, size_t cap);

/* ---- the walker: rules_js_walk.c (statements), rules_js_expr.c (expressions),
 * rules_js_literals.c, rules_js_decl.c (functions, classes, types) ------------------------- */
static inline bool jt_is_tok(const struct jsa *a, size_t i, size_t end, int kind, const char *s, size_t n) {
        return i < end && a->tk[i].kind == kind && a->tk[i].len == n && memcmp(a->tk[i].text, s, n) == 0;
}
#define IS_P(a, i, end, lit) jt_is_tok((a), (i), (end), TOK_PUNCT, (lit), sizeof(lit) - 1)
#define IS_I(a, i, end, lit) jt_is_tok((a), (i), (end), TOK_IDENT, (lit), sizeof(lit) - 1)
#define TEXT_IS(t, lit) ((t)->len == sizeof(lit) - 1 && memcmp((t)->text, (lit), sizeof(lit) - 1) == 0)

static inline bool jt_is_kind(const struct jsa *a, size_t i, size_t end, int kind) {
        return i < end && a->tk[i].kind == kind;
}

/* A keyword only when written plainly (an escaped `\u0069f` is an identifier). */
static inline bool jt_is_kw(const struct jsa *a, size_t i, size_t end, const char *lit, size_t n) {
        return jt_is_tok(a, i, end, TOK_IDENT, lit, n) && !(a->tk[i].f & JT_ESCAPED);
}
#define IS_K(a, i, end, lit) jt_is_kw((a), (i), (end), (lit), sizeof(lit) - 1)

static inline bool jt_opener(const struct jtok *t) {
        return t->kind == TOK_PUNCT && t->match != JS_NONE &&
               (t->text[0] == '(' || t->text[0] == '[' || t->text[0] == '{' || t->text[0] == '$');
}

/* Index of the closing bracket of the opener at i, or end when it is not closed before end. */
static inline size_t jt_close(const struct jsa *a, size_t i, size_t end) {
        uint32_t m = a->tk[i].kind == TOK_PUNCT ? a->tk[i].match : JS_NONE;
        return m == JS_NONE || m >= end || m < i ? end : m;
}

static inline size_t jt_after(const struct jsa *a, size_t i, size_t end) {
        size_t m = jt_close(a, i, end);
        return m < end ? m + 1 : end;
}

#define STOP_EQ 1u
#define STOP_BRACE 2u
#define STOP_ARROW 4u

void js_walk(struct jsa *a);
/* Nothing in [from, to) can lead to a finding: pass 2 may step over it. */
static inline bool js_dull(const struct jsa *a, size_t from, size_t to) {
        return a->reporting && a->interest && from <= to && to <= a->n && a->interest[to] == a->interest[from];
}
bool js_enter_too_deep(struct jsa *a, size_t i); /* js_enter's slow path: reports once, false */
/* false past JS_DEPTH_MAX (reported once) */
static inline bool js_enter(struct jsa *a, size_t i) {
        if (a->depth >= JS_DEPTH_MAX)
                return js_enter_too_deep(a, i);
        a->depth++;
        return true;
}
static inline void js_leave(struct jsa *a) {
        a->depth--;
}
/* Step over one token or one bracketed group, walking what is inside: the recovery path. */
size_t js_fragment(struct jsa *a, size_t i, size_t end);
void js_walk_rest(struct jsa *a, size_t j, size_t end);
size_t js_statement(struct jsa *a, size_t i, size_t end);
void js_statements(struct jsa *a, size_t i, size_t end);
void js_bind_target(struct jsa *a, size_t tok, const struct jv *v, bool to_scope);
/* A destructuring pattern at ps ({...} or [...]) taking its parts from val. */
void js_destructure(struct jsa *a, size_t ps, size_t end, const struct jv *val, bool to_scope);

/* Expressions: each evaluates from *pi, stops before end, and leaves *pi after what it used. */
struct jv js_expr(struct jsa *a, size_t *pi, size_t end); /* no top-level comma */
struct jv js_seq(struct jsa *a, size_t *pi, size_t end);  /* a, b, c: the value of the last */
struct jv js_postfix(struct jsa *a, size_t *pi, size_t end, uint32_t *lone);
struct jv js_lookup(struct jsa *a, size_t i);
void js_set_hint(struct jsa *a, size_t name_tok);
void js_push_scope(struct jsa *a, const char *name, size_t len, const struct jv *v);

void js_check_string(struct jsa *a, size_t i); /* encoded blobs, escaped dangerous names */
void js_check_ident(struct jsa *a, size_t i);  /* \u-escaped identifiers */
double js_number(const struct jtok *t);
struct jv js_string_value(struct jsa *a, size_t i);
bool js_template_start(const struct jsa *a, size_t i, size_t end);
struct jv js_template(struct jsa *a, size_t *pi, size_t end);
struct jv js_array(struct jsa *a, size_t *pi, size_t end);
struct jv js_object(struct jsa *a, size_t *pi, size_t end);
bool js_key_token(const struct jtok *t);
bool js_member_modifier(const struct jsa *a, size_t i, size_t end);

/* TypeScript: the index of the token that ends a type starting at i. */
size_t js_skip_type(const struct jsa *a, size_t i, size_t end, unsigned stops);
size_t js_skip_as_type(const struct jsa *a, size_t i, size_t end);
size_t js_skip_angle(const struct jsa *a, size_t i, size_t end, size_t max); /* <...>, max steps */
bool js_arrow_paren(const struct jsa *a, size_t i, size_t end); /* `(` opens arrow parameters */
bool js_starts_function(const struct jsa *a, size_t j, size_t end);
size_t js_next_comma(const struct jsa *a, size_t j, size_t end);
/* At `(`/`<` of a function's parameters; at `function`; at an arrow's parameter; at `class`. */
struct jv js_fn_params(struct jsa *a, size_t *pi, size_t end, const char *name, size_t nlen);
struct jv js_function(struct jsa *a, size_t *pi, size_t end, const char *hint, size_t hlen);
struct jv js_arrow(struct jsa *a, size_t *pi, size_t end, const char *name, size_t nlen);
struct jv js_class(struct jsa *a, size_t *pi, size_t end);

/* ---- rules_js_resolve.c ------------------------------------------------------------------ */
struct jv js_member(struct jsa *a, const struct jv *recv, const char *name, size_t len,
                    bool computed, const struct jv *key);
/* Call callee with args; argtok: each argument's first token (NULL: none), for summaries. */
struct jv js_call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t nargs,
                  bool is_new, uint32_t k, uint32_t name_tok, uint32_t callee_from,
                  const uint32_t *argtok);

/* ---- rules_js_resolve.c, rules_js_sinks.c, rules_js_io.c, rules_js_methods.c -------------- */
enum js_mod {
        MOD_NONE = 0,
        MOD_OTHER,
        MOD_GLOBAL,
        MOD_PROCESS,
        MOD_MAINMODULE,
        MOD_MODULEOBJ,
        MOD_MODULE,
        MOD_CP,
        MOD_FS,
        MOD_PATH,
        MOD_OS,
        MOD_USERINFO,
        MOD_HTTP,
        MOD_NET,
        MOD_TLS,
        MOD_DGRAM,
        MOD_DNS,
        MOD_VM,
        MOD_ZLIB,
        MOD_BUFFER,
        MOD_STRING,
        MOD_JSON,
        MOD_OBJECT,
        MOD_REFLECT,
        MOD_WASM,
        MOD_V8,
        MOD_SERIALIZE,
        MOD_UTIL,
        MOD_WORKER,
        MOD_HTTPLIB,
        MOD_WS,
        MOD_EXECA,
        MOD_SHELLJS,
        MOD_XSPAWN,
        MOD_ZX,
        MOD_GLOB,
        MOD_RIMRAF,
        MOD_FFI,
        MOD_NATIVE, /* a .node addon */
        MOD_BUN,
        MOD_DENO,
        MOD_NAVIGATOR,
        MOD_TIMERS,
        MOD_TEXTDECODER,
        MOD_URL,
        MOD_CONSOLE,
        MOD_STDIO,
        MOD_STREAM,
        MOD__COUNT,
};
/* What calling a module member means. */
enum sink {
        SK_NONE,
        /* values */
        SK_REQUIRE, SK_IMPORT, SK_CREATE_REQUIRE, SK_PROMISIFY, SK_HOMEDIR, SK_USERINFO, SK_PATH_JOIN,
        SK_ATOB, SK_BUFFER_FROM, SK_FROMCHARCODE, SK_DECODE_URI, SK_UNESCAPE, SK_ZLIB, SK_NEW_URL,
        SK_PARSE_INT, SK_STRING, SK_STRING_RAW, SK_PASS, SK_SELF, SK_REFLECT_GET, SK_REFLECT_APPLY,
        SK_REFLECT_CONSTRUCT, SK_GETPROTO, SK_ENV_COPY, SK_JSON_STRINGIFY, SK_ENV_ENUM,
        /* findings */
        SK_EXEC_SHELL, SK_EXEC_FILE, SK_EXEC_ARRAY, SK_EXEC_OPTS, SK_DENO_COMMAND, SK_FORK, SK_SHELL_TAG,
        SK_EVAL, SK_FUNCTION, SK_TIMER, SK_VM, SK_WORKER, SK_WASM,
        SK_BINDING, SK_DLOPEN, SK_SETUID, SK_DESER,
        SK_NET_URL, SK_NET_WS, SK_NET_REQ, SK_NET_HOST, SK_NET_SOCKET, SK_NET_XHR, SK_NET_DNS,
        SK_FS_READ, SK_FS_WRITE, SK_FS_OPEN, SK_FS_COPY, SK_FS_LINK, SK_FS_CHMOD, SK_FS_RM, SK_FS_RM_R,
        SK_GLOB, SK_PRINT, SK_PIPELINE,
};


static inline bool js_name_is(const char *s, size_t n, const char *lit) {
        size_t l = strlen(lit);
        return s && n == l && memcmp(s, lit, l) == 0;
}

static inline enum severity js_max_sev(enum severity a, enum severity b) {
        return a > b ? a : b;
}

/* How a finding names the call: "child_process.exec (as `run`)". */
struct who {
        char text[200];
};

extern const struct jv JS_FUNCTION_CTOR; /* the global Function */
const char *js_mod_name(uint8_t mod);
bool js_mod_boring(uint8_t mod); /* leads to no finding by itself (path, JSON, Object ...) */
/* Every global name that means something to the rules (eval, require, process, fetch ...). */
void js_each_global_name(struct jsa *a, void (*fn)(struct jsa *a, const char *name, size_t len));
/* The module a require()/import names ("node:fs" -> MOD_FS), MOD_OTHER when unknown. */
uint8_t js_module_by_name(const char *s, size_t n);
uint8_t js_find_sink(uint8_t mod, const char *name, size_t n); /* SK_NONE when nothing */
void js_set_evasion(struct jv *v, const char *how);
/* A member of a module that is itself a module or a special value (process.env, fs.promises,
 * globalThis.process ...); false when it is a plain member. */
bool js_module_member(struct jsa *a, uint8_t mod, const char *name, size_t len, struct jv *out);
/* The meaning of calling callee (a module or module member): reports in pass 2 and returns the
 * call's value. handled = false when the callee means nothing special. */
struct jv js_sink_call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t nargs,
                       bool is_new, uint32_t k, uint32_t callee_from, bool *handled);
/* Callback parameters' value for a function passed as an argument of this call. */
enum pend_mode js_callback_value(struct jsa *a, const struct jv *callee, const struct jv *args,
                                 size_t nargs, struct jv *out);
/* A module was required or imported (native add-ons and FFI are findings). */
void js_module_loaded(struct jsa *a, uint32_t k, const struct jv *mod, const char *name, size_t n);
/* A `for (k in X)` over X. */
void js_for_in(struct jsa *a, uint32_t k, const struct jv *over);
/* Methods of strings/arrays/functions (fold), of tainted values (taint), of sockets. */
struct jv js_method_call(struct jsa *a, const struct jv *m, const struct jv *args, size_t nargs,
                         uint32_t k, uint32_t callee_from, uint32_t first_arg_tok);

/* Judgements shared by the sinks and the methods. */
void js_code_sink(struct jsa *a, uint32_t k, const char *rule, const struct jv *callee,
                  const struct jv *code, const struct who *w);
bool js_enc_is(const struct jv *e, const char *name); /* an encoding name, case-insensitive */
struct jv js_from_char_codes(struct jsa *a, const struct jv *args, size_t n);

/* rules_js_io.c */
void js_record_download(struct jsa *a, const char *s, size_t n);
bool js_report_download_run(struct jsa *a, uint32_t k, const struct who *w, const char *s, size_t n);
void js_env_exfil(struct jsa *a, uint32_t k, const struct jv *args, size_t n, const char *how);
void js_net_report(struct jsa *a, uint32_t k, const char *rule, const struct who *w, const char *host,
                   uint16_t port, const struct jv *args, size_t n);
bool js_url_host(const struct jv *v, char *host, size_t cap, uint16_t *port);
bool js_str_host(const struct jv *v, char *host, size_t cap);
void js_net_url(struct jsa *a, uint32_t k, const char *rule, const struct who *w, const struct jv *url,
                const struct jv *args, size_t n);
void js_net_host(struct jsa *a, uint32_t k, const struct who *w, const struct jv *args, size_t n);
enum scan_path_kind js_classify(const struct jv *p, struct scan_path_hit *hit);
void js_fs_read(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const char *verb);
void js_fs_write(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const char *verb);
void js_fs_chmod(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const struct jv *mode);
void js_fs_rm(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const struct jv *opts,
              bool recursive);
struct jv js_path_join(struct jsa *a, uint32_t k, const struct who *w, const struct jv *args, size_t n);
