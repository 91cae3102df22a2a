/* Python code rules (rules.h): the entry point of the Python analyser. Prepares the token view
 * (comments out, identifiers interned, brackets matched), runs the evaluator over the file in
 * passes (rules_python_stmt.c) and adds the findings that need no evaluation: encoded blobs,
 * names spelled with escapes or look-alike letters, source-encoding cookies. */
#include "rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/bigarray.h"
#include "../base/macros.h"
#include "rules_python_internal.h"

static const char *const KEYWORDS[KW_N] = {
        [KW_FALSE] = "False",       [KW_NONE] = "None",         [KW_TRUE] = "True",
        [KW_AND] = "and",           [KW_AS] = "as",             [KW_ASSERT] = "assert",
        [KW_ASYNC] = "async",       [KW_AWAIT] = "await",       [KW_BREAK] = "break",
        [KW_CLASS] = "class",       [KW_CONTINUE] = "continue", [KW_DEF] = "def",
        [KW_DEL] = "del",           [KW_ELIF] = "elif",         [KW_ELSE] = "else",
        [KW_EXCEPT] = "except",     [KW_FINALLY] = "finally",   [KW_FOR] = "for",
        [KW_FROM] = "from",         [KW_GLOBAL] = "global",     [KW_IF] = "if",
        [KW_IMPORT] = "import",     [KW_IN] = "in",             [KW_IS] = "is",
        [KW_LAMBDA] = "lambda",     [KW_NONLOCAL] = "nonlocal", [KW_NOT] = "not",
        [KW_OR] = "or",             [KW_PASS] = "pass",         [KW_RAISE] = "raise",
        [KW_RETURN] = "return",     [KW_TRY] = "try",           [KW_WHILE] = "while",
        [KW_WITH] = "with",         [KW_YIELD] = "yield",
        [KW_STATICMETHOD] = "staticmethod", [KW_CLASSMETHOD] = "classmethod",
        [KW_SELF] = "self",         [KW_INIT] = "__init__",     [KW_SHELL] = "shell",
        [KW_EXECUTABLE] = "executable", [KW_ARGS] = "args",     [KW_MODE] = "mode",
        [KW_FILE] = "file",         [KW_URL] = "url",           [KW_HOST] = "host",
        [KW_PORT] = "port",         [KW_LOADER] = "Loader",     [KW_HOSTNAME] = "hostname",
        [KW_CMD] = "cmd",           [KW_COMMAND] = "command",   [KW_FILENAME] = "filename",
        [KW_PATH] = "path",         [KW_ENV] = "env",           [KW_SRC] = "src",
        [KW_DST] = "dst",           [KW_DATA] = "data",         [KW_JSON] = "json",
};

/* Names worth hiding: a string or identifier spelling one of these in a disguise is a finding. */
#define N(s) { s, sizeof(s) - 1 }
static const struct {
        const char *s;
        size_t n;
} DANGEROUS_NAMES[] = {
        N("system"), N("popen"), N("eval"), N("exec"), N("compile"), N("__import__"), N("import_module"),
        N("os"), N("subprocess"), N("builtins"), N("__builtins__"), N("getattr"), N("setattr"), N("globals"),
        N("check_output"), N("check_call"), N("Popen"), N("run"), N("call"), N("spawn"), N("execv"),
        N("execve"), N("execl"), N("execlp"), N("execvp"), N("posix_spawn"), N("b64decode"), N("loads"),
        N("marshal"), N("pickle"), N("socket"), N("connect"), N("ctypes"), N("CDLL"), N("urlopen"),
        N("requests"), N("environ"), N("getoutput"), N("pty"), N("commands"), N("open"), N("__dict__"),
        N("sh"), N("bash"), N("curl"), N("wget"),
};
#undef N

const char *py_dangerous_name_at(size_t k) {
        return k < ELEMENTSOF(DANGEROUS_NAMES) ? DANGEROUS_NAMES[k].s : NULL;
}

bool py_dangerous_name(const char *s, size_t n) {
        for (size_t k = 0; k < ELEMENTSOF(DANGEROUS_NAMES); k++)
                if (DANGEROUS_NAMES[k].n == n && memcmp(DANGEROUS_NAMES[k].s, s, n) == 0)
                        return true;
        return false;
}

static void py_free(struct py *P) {
        py_skip_free(P);
        big_free(P->esc);
        big_free(P->ibp);
        big_free(P->tf);
        big_free(P->nl);
        big_free(P->strs);
        for (size_t k = 0; k < ELEMENTSOF(P->argpool); k++)
                free(P->argpool[k]);
        for (size_t k = 0; k < ELEMENTSOF(P->scratch); k++)
                free(P->scratch[k]);
        big_free(P->syms);
        big_free(P->bound);
        big_free(P->builtin_ref);
        big_free(P->refs);
        big_free(P->scopes);
        big_free(P->sym_tab);
        py_map_free(&P->ref_map);
        py_map_free(&P->own_tables);
        py_map_free(&P->reported);
        py_map_free(&P->folded);
        py_map_free(&P->star_memo);
        py_map_free(&P->taint_map);
        py_map_free(&P->alt_map);
        big_free(P->alts);
        py_arena_free(&P->perm);
        for (int k = 0; k < PY_PASSES; k++)
                py_arena_free(&P->arena[k]);
        for (int w = 0; w < 2; w++) {
                big_free(P->binds[w]);
                py_map_free(&P->bind_map[w]);
                for (size_t k = 0; k < P->facts[w].n_dl; k++)
                        free(P->facts[w].dl[k].path);
        }
}

#define PK2(a, b) ((uint32_t) (uint8_t) (a) | (uint32_t) (uint8_t) (b) << 8)

/* A punctuation token (packed by py_pack) as an infix operator: its binding power, with
 * PY_BP_RIGHT when right-associative; 0 when it is none. Three-byte operators (**= //= >>= <<=
 * ...) end an expression. */
static uint8_t punct_bp(uint32_t pw) {
        switch (pw) {
        case ':' | '=' << 8: return BP_WALRUS | PY_BP_RIGHT;
        case PK2('=', '='): case PK2('<', '='): case PK2('>', '='): case PK2('!', '='): case PK2('<', '>'):
        case '<': case '>':
                return BP_CMP;
        case PK2('<', '<'): case PK2('>', '>'): return BP_SHIFT;
        case PK2('/', '/'): return BP_MUL;
        case PK2('*', '*'): return BP_POW | PY_BP_RIGHT;
        case '|': return BP_BOR;
        case '^': return BP_XOR;
        case '&': return BP_BAND;
        case '+': case '-': return BP_ADD;
        case '*': case '/': case '%': case '@': return BP_MUL;
        default: return 0;
        }
}

static uint8_t punct_class(uint32_t pw) {
        switch (pw) {
        case '(': case '[': return PY_TF_OPENER | PY_TF_TRAILER;
        case '{': return PY_TF_OPENER;
        case '.': return PY_TF_TRAILER;
        case '-': case '+': case '~': case '*': case PK2('*', '*'): return PY_TF_PREFIX;
        default: return 0;
        }
}

/* A keyword as an infix operator ("not" only before "in": set when that is seen) and its class. */
static uint8_t keyword_bp(uint32_t sym) {
        switch (sym) {
        case KW_IF: return BP_TERNARY;
        case KW_OR: return BP_OR;
        case KW_AND: return BP_AND;
        case KW_IN: case KW_IS: return BP_CMP;
        default: return 0;
        }
}

static uint8_t keyword_class(uint32_t sym) {
        switch (sym) {
        case KW_LAMBDA: return PY_TF_PREFIX | PY_TF_ASSIGN;
        case KW_NOT: case KW_AWAIT: case KW_YIELD: return PY_TF_PREFIX;
        default: return 0;
        }
}

/* \x, \u, \N, octal: characters spelled so that the name is not visible */
static bool string_has_escapes(const struct token_list *l, const struct token *t) {
        if (t->flags & TOKF_RAW)
                return false;
        const char *s = l->src + t->offset;
        const char *b = memchr(s, '\\', t->len);
        if (!b)
                return false;
        for (uint32_t k = (uint32_t) (b - s); k + 1 < t->len; k++)
                if (s[k] == '\\') {
                        char c = s[k + 1];
                        if (c == 'x' || c == 'u' || c == 'U' || c == 'N' || (c >= '0' && c <= '7'))
                                return true;
                        k++;
                }
        return false;
}

/* The identifier token i interned into *sym (look-alike letters folded as CPython's NFKC
 * would); -errno. */
static int intern_ident(struct py *P, uint32_t i, const char *s, uint32_t len, uint32_t *sym) {
        bool ascii;
        uint32_t h = py_sym_hash(s, len, &ascii);
        if (ascii) {
                *sym = py_intern_hashed(P, s, len, h, false);
                return 0;
        }
        char folded[256];
        size_t fl = py_fold_ident(s, len, folded, sizeof(folded));
        if (!fl) {
                *sym = py_intern_hashed(P, s, len, h, false);
                return 0;
        }
        *sym = py_intern(P, folded, fl, true);
        return py_map_put(&P->folded, (uint64_t) i + 1, 1);
}

/* Comments out, identifiers interned, every bracket matched to its closer the way the lexer
 * nested them, punctuation packed and infix binding powers looked up: one walk over the tokens,
 * so that the passes compare integers only. */
static int prepare(struct py *P, struct token_list *l) {
        /* per-token tables: big arrays (huge pages for large files); the rest is kept in the
         * tokens (struct py: info, link) */
        P->esc = big_calloc(l->n + 1, 1);
        P->ibp = big_calloc(l->n + 1, 1);
        P->tf = big_calloc(l->n + 1, 1);
        P->nl = big_mallocarray(l->n + 1, sizeof(*P->nl));
        P->strs = big_mallocarray(l->n + 1, sizeof(*P->strs));
        if (!P->esc || !P->ibp || !P->tf || !P->nl || !P->strs)
                return -ENOMEM;

        /* keywords first: their symbols are their enum py_kw values */
        for (int k = 0; k < KW_N; k++) {
                P->kw[k] = py_intern(P, KEYWORDS[k], strlen(KEYWORDS[k]), false);
                if (P->kw[k] == PY_NOSYM)
                        return P->err ? P->err : -ENOMEM;
        }
        P->sym_call = py_intern(P, "()", 2, false);

        _cleanup_free_ uint32_t *stack = malloc((TOKEN_MAX_NESTING + 1) * sizeof(*stack));
        if (!stack)
                return -ENOMEM;
        size_t depth = 0;
        uint32_t n = 0;
        bool nested_too_deep = false; /* an opener not on the stack: link.b would be wrong */
        /* comments leave the list (the tables index it directly); those on the first two lines
         * are kept aside for coding_cookie() */
        size_t cookie_end = l->n_lines > 2 ? l->line_starts[2] : SIZE_MAX;
        for (size_t k = 0; k < l->n; k++) {
                if (l->v[k].kind == TOK_COMMENT) {
                        if (l->v[k].offset < cookie_end && P->n_cookie < ELEMENTSOF(P->cookie))
                                P->cookie[P->n_cookie++] = l->v[k];
                        continue;
                }
                uint32_t i = n++;
                if (i != k)
                        l->v[i] = l->v[k];
                struct token *t = &l->v[i];
                if (t->kind != TOK_STRING) { /* no value: the room is ours (struct py) */
                        t->info = PY_NOSYM;
                        t->link.a = UINT32_MAX; /* never closed: py_closer() gives the end */
                        t->link.b = UINT32_MAX;
                }
                const char *s = l->src + t->offset;
                switch (t->kind) {
                case TOK_STRING:
                        P->esc[i] = (string_has_escapes(l, t) ? PY_ESC_ESCAPES : 0) |
                                    (t->value_len >= SCAN_BLOB_MIN ? PY_ESC_LONG : 0);
                        P->strs[P->n_strs++] = i;
                        break;
                case TOK_IDENT: {
                        uint32_t sym;
                        int r = intern_ident(P, i, s, t->len, &sym);
                        if (r < 0)
                                return r;
                        t->info = sym;
                        /* keywords are their own symbols (interned first) */
                        if (sym >= KW_N)
                                break;
                        P->ibp[i] = keyword_bp(sym);
                        P->tf[i] = keyword_class(sym);
                        if (sym == KW_IN && i > 0 && l->v[i - 1].kind == TOK_IDENT && l->v[i - 1].info == KW_NOT)
                                P->ibp[i - 1] = BP_CMP; /* not in */
                        if (sym == KW_FOR && depth > 0 && l->v[stack[depth - 1]].link.b == UINT32_MAX)
                                l->v[stack[depth - 1]].link.b = i;
                        break;
                }
                case TOK_NEWLINE:
                        P->nl[P->n_nl++] = i;
                        break;
                case TOK_PUNCT:
                        t->info = 0; /* py_pack() of no text of up to 3 bytes */
                        if (t->len == 0 || t->len > 3)
                                break;
                        t->info = (uint8_t) s[0] | (t->len > 1 ? (uint32_t) (uint8_t) s[1] << 8 : 0) |
                                  (t->len > 2 ? (uint32_t) (uint8_t) s[2] << 16 : 0);
                        P->ibp[i] = punct_bp(t->info);
                        P->tf[i] = punct_class(t->info);
                        if (s[t->len - 1] == '=' || s[0] == ':')
                                P->tf[i] |= PY_TF_ASSIGN; /* = : += ... (and == <= ... too) */
                        if (t->len != 1)
                                break;
                        P->has_semicolon |= s[0] == ';';
                        if (P->tf[i] & PY_TF_OPENER) {
                                if (depth < TOKEN_MAX_NESTING + 1)
                                        stack[depth++] = i;
                                else
                                        nested_too_deep = true;
                        } else if (s[0] == ')' || s[0] == ']' || s[0] == '}') {
                                /* as the lexer: a closer closes whatever is open (it recovers the same way) */
                                if (depth > 0)
                                        l->v[stack[--depth]].link.a = i;
                        }
                        break;
                default:
                        break;
                }
        }
        P->n = n;
        l->n = n;
        P->topfor_ok = !nested_too_deep;
        return P->err;
}

static int init_refs(struct py *P) {
        P->ref_builtins = py_module_ref(P, "builtins", 8);
        P->ref_os_environ = py_ref_dotted(P, "os.environ", 10);
        P->ref_globals = py_ref_dotted(P, "@globals", 8);
        P->ref_builtins_dict = py_ref_dotted(P, "@builtins_dict", 14);
        P->ref_sys_modules = py_ref_dotted(P, "@sys_modules", 12);
        if (P->ref_builtins == PY_NOREF || P->ref_os_environ == PY_NOREF || P->ref_globals == PY_NOREF ||
            P->ref_builtins_dict == PY_NOREF || P->ref_sys_modules == PY_NOREF)
                return P->err ? P->err : -ENOMEM;
        P->scopes = big_calloc(16, sizeof(*P->scopes));
        if (!P->scopes)
                return -ENOMEM;
        P->cap_scopes = 16;
        P->n_scopes = 1;
        P->scopes[0] = (struct py_scope) { .tok = UINT32_MAX, .parent = 0, .kind = SCOPE_MODULE, .name_sym = PY_NOSYM };
        return 0;
}

static void begin_pass(struct py *P, int pass) {
        int w = pass & 1;
        P->pass = pass;
        P->report = pass == P->n_passes - 1;
        P->n_binds[w] = 0;
        if (P->bind_map[w].cap)
                memset(P->bind_map[w].keys, 0, P->bind_map[w].cap * sizeof(*P->bind_map[w].keys));
        P->bind_map[w].n = 0;
        for (size_t k = 0; k < P->facts[w].n_dl; k++)
                free(P->facts[w].dl[k].path);
        P->facts[w] = (struct py_facts) { 0 };
        for (size_t k = 0; k < P->n_scopes; k++)
                P->scopes[k].has_ret[w] = false;
        P->fold_budget = PY_FOLD_BUDGET;
        P->n_over = P->over_base = 0;
        P->inline_depth = 0;
        for (size_t k = 0; k < P->n_scopes; k++)
                P->scopes[k].n_stmts[w] = P->scopes[k].ret_s[w] = P->scopes[k].ret_e[w] = 0;
        P->native_reported = false;
        P->env_line = 0;
        P->too_deep_reported = false;
        P->pending_static = P->pending_classmethod = false;
        P->ctypes_import_tok = UINT32_MAX;
        P->quiet = 0;
        P->depth = 0;
}

/* "# -*- coding: utf-7 -*-": CPython decodes the file with it before tokenizing, so what we
 * lexed as a comment can be code. Only encodings that can hide code are flagged. */
static void coding_cookie(struct py *P) {
        const struct token_list *l = P->toks;
        for (size_t i = 0; i < P->n_cookie; i++) {
                const struct token *t = &P->cookie[i];
                const char *s = l->src + t->offset;
                const char *c = memmem(s, t->len, "coding", 6);
                if (!c)
                        continue;
                size_t k = (size_t) (c - s) + 6;
                if (k >= t->len || (s[k] != ':' && s[k] != '='))
                        continue;
                k++;
                while (k < t->len && (s[k] == ' ' || s[k] == '\t'))
                        k++;
                size_t e = k;
                while (e < t->len && (s[e] == '-' || s[e] == '_' || s[e] == '.' || (s[e] >= '0' && s[e] <= '9') ||
                                      ((s[e] | 0x20) >= 'a' && (s[e] | 0x20) <= 'z')))
                        e++;
                static const char *const BAD[] = { "utf-7", "utf_7", "utf7", "u7", "unicode-7", "unicode_escape",
                                                   "unicode-escape", "raw_unicode_escape", "raw-unicode-escape",
                                                   "rot13", "rot-13", "rot_13", "hex", "base64", "zlib", "uu",
                                                   "punycode", "idna", "bz2", "quopri" };
                for (size_t b = 0; b < ELEMENTSOF(BAD); b++)
                        if (strlen(BAD[b]) == e - k && strncasecmp(BAD[b], s + k, e - k) == 0) {
                                py_report_token(P, t, "py.obfuscation.coding-cookie", SEV_HIGH, "obfuscation",
                                                "the file declares the source encoding `%s`: Python decodes the file "
                                                "with it before running it, which can turn comments and strings into code",
                                                BAD[b]);
                                return;
                        }
        }
}

/* Findings on single tokens: blobs, escaped names, look-alike identifiers. */
/* scan_is_encoded_blob lets blanks continue a run (wrapped base64), which also makes prose
 * look like a blob; a real blob has long stretches without a blank. */
static bool blob_like(const char *s, size_t n) {
        static const uint8_t B64[256] = {
                ['+'] = 1, ['/'] = 1, ['='] = 1, ['-'] = 1, ['_'] = 1,
                ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
                ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
                ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
                ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
                ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
                ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
                ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
        };
        size_t run = 0;
        for (size_t i = 0; i < n; i++) {
                run = B64[(unsigned char) s[i]] ? run + 1 : 0;
                if (run >= 40)
                        return scan_is_encoded_blob(s, n);
        }
        return false;
}

static void token_rules(struct py *P) {
        bool in_blob = false; /* the string before this one (implicitly concatenated) was a blob */
        /* without look-alike identifiers only the strings matter: walk their list */
        uint32_t n = P->folded.n ? P->n : P->n_strs;
        for (uint32_t k = 0; k < n; k++) {
                uint32_t i = P->folded.n ? k : P->strs[k];
                if (!P->folded.n && k > 0 && P->strs[k - 1] + 1 != i)
                        in_blob = false; /* something else came between */
                const struct token *t = py_tk(P, i);
                if (t->kind == TOK_STRING) {
                        bool blob = t->value_len >= SCAN_BLOB_MIN && blob_like(t->value, t->value_len);
                        if (blob && !in_blob)
                                py_report(P, i, "py.obfuscation.encoded-blob", SEV_LOW, "obfuscation",
                                          "a %u-byte encoded blob (base64 or hex): check what it decodes to", t->value_len);
                        in_blob = blob || (in_blob && t->value_len < SCAN_BLOB_MIN);
                        if (t->value_len <= 16 && (P->esc[t - P->toks->v] & PY_ESC_ESCAPES) && py_dangerous_name(t->value, t->value_len))
                                py_report(P, i, "py.obfuscation.escaped-name", SEV_HIGH, "obfuscation",
                                          "the string `%.*s` is spelled with escape sequences to hide the name",
                                          (int) t->value_len, t->value);
                        continue;
                }
                in_blob = false;
                uint32_t dummy;
                if (t->kind == TOK_IDENT && P->folded.n && py_map_get(&P->folded, (uint64_t) i + 1, &dummy) &&
                    py_sym(P, i) != PY_NOSYM) {
                        const struct py_sym *s = &P->syms[py_sym(P, i)];
                        bool bad = py_dangerous_name(s->s, s->len);
                        py_report(P, i, "py.obfuscation.unicode-name", bad ? SEV_HIGH : SEV_MEDIUM, "obfuscation",
                                  "an identifier written with look-alike Unicode letters that Python reads as `%.*s`",
                                  (int) (s->len > 64 ? 64 : s->len), s->s);
                }
        }
}

int py_analyse(const struct scan_ctx *ctx, struct token_list *toks, const struct scan_pos *at, unsigned nest,
               const struct py_map *tables) {
        struct py P = { .ctx = ctx, .toks = toks, .at = at, .nest = nest, .tables = tables };
        int r = prepare(&P, toks);
        if (r >= 0 && !tables)
                r = py_init_tables(&P);
        if (r >= 0)
                r = init_refs(&P);
        P.n_passes = P.n > PY_BIG_TOKENS ? 2 : PY_PASSES;
        for (int pass = 0; r >= 0 && pass < P.n_passes; pass++) {
                begin_pass(&P, pass);
                r = pass == P.n_passes - 2 ? py_skip_learn(&P) : pass == P.n_passes - 1 ? py_skip_plan(&P) : 0;
                if (r < 0)
                        break;
                py_walk(&P);
                py_finish_binds(&P);
                r = P.err;
        }
        if (r >= 0) {
                token_rules(&P);
                coding_cookie(&P);
                struct py_facts *f = &P.facts[(P.n_passes - 1) & 1];
                if (P.ctypes_import_tok != UINT32_MAX && !f->ctypes_used)
                        py_report(&P, P.ctypes_import_tok, "py.native_code.import", SEV_MEDIUM, "native_code",
                                  "imports ctypes/cffi, the door to native code");
                r = P.err;
        }
        for (int k = 0; k < PY_PASSES; k++)
                if (r >= 0 && P.arena[k].oom)
                        r = -ENOMEM;
        if (r >= 0 && P.perm.oom)
                r = -ENOMEM;
        py_free(&P);
        return r < 0 ? r : 0;
}

int scan_rules_python(const struct scan_ctx *ctx, struct token_list *toks) {
        return py_analyse(ctx, toks, NULL, 0, NULL);
}
