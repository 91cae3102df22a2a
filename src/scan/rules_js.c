/* The scanner's JavaScript/TypeScript rules (scan_rules_js). Two walks over the significant
 * tokens of one file: pass 1 collects bindings (imports, aliases, constants, what functions
 * return and what their callers pass), pass 2 judges every call by what it resolves to; between
 * them the tokens that could lead to a finding are marked, so pass 2 steps over function bodies
 * with none. Findings are held until the file is done so that a secret read or an environment
 * dump in a file that also talks to the network is reported as the exfiltration it is. Constant
 * code handed to eval()/new Function() is lexed and analysed in turn (a few levels deep);
 * constant shell commands go to the shell rules. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"
#include "rules_js_int.h"

#define JS_MSG_MAX 400
#define JS_SHELL_TEXT_MAX (64u * 1024)

/* ---- findings ------------------------------------------------------------------------------------ */

void js_pos(const struct jsa *a, uint32_t k, uint32_t *line, uint32_t *col, size_t *off) {
        if (a->has_override || k >= a->n) {
                *line = a->has_override ? a->ov_line : 0;
                *col = a->has_override ? a->ov_col : 0;
                *off = a->has_override ? a->ov_off : 0;
                return;
        }
        const struct token *t = jt_tok(a, k);
        token_pos(a->toks, t->offset, line, col);
        *off = t->offset;
}

static uint64_t mix(uint64_t h, uint64_t v) {
        h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        return h;
}

static uint64_t str_hash(const char *s) {
        uint64_t h = 1469598103934665603ull;
        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 1099511628211ull;
        return h;
}

/* Insert h into the shared set; true if it was there already. */
static bool seen_insert(struct jshared *sh, uint64_t h) {
        if (h == 0)
                h = 1;
        if ((sh->nseen + 1) * 2 > sh->capseen) {
                size_t cap = sh->capseen ? sh->capseen * 2 : 256;
                uint64_t *v = big_calloc(cap, sizeof(*v));
                if (!v) {
                        sh->err = -ENOMEM;
                        return true;
                }
                for (size_t i = 0; i < sh->capseen; i++) {
                        if (!sh->seen[i])
                                continue;
                        size_t j = sh->seen[i] & (cap - 1);
                        while (v[j])
                                j = (j + 1) & (cap - 1);
                        v[j] = sh->seen[i];
                }
                big_free(sh->seen);
                sh->seen = v;
                sh->capseen = cap;
        }
        size_t j = h & (sh->capseen - 1);
        while (sh->seen[j]) {
                if (sh->seen[j] == h)
                        return true;
                j = (j + 1) & (sh->capseen - 1);
        }
        sh->seen[j] = h;
        sh->nseen++;
        return false;
}

bool js_seen(struct jsa *a, uint32_t key_pos, const char *rule) {
        uint64_t h = mix(mix(mix(str_hash(rule), a->embed), a->has_override ? a->ov_off : 0), key_pos);
        return seen_insert(a->sh, mix(h, 0x5eed));
}

void js_report(struct jsa *a, uint32_t k, const char *rule, enum severity sev, const char *cat, enum js_escalate esc,
               const char *fmt, ...) {
        struct jshared *sh = a->sh;
        if (!a->reporting || sh->err)
                return;
        uint32_t line, col;
        size_t off;
        js_pos(a, k, &line, &col, &off);
        /* the same rule at the same place once (nested eval analysis reports at the eval call) */
        if (seen_insert(sh, mix(mix(mix(str_hash(rule), line), col), off)))
                return;
        if (sh->n == sh->cap) {
                size_t cap = sh->cap ? sh->cap * 2 : 16;
                struct jpending *v = realloc(sh->v, cap * sizeof(*v));
                if (!v) {
                        sh->err = -ENOMEM;
                        return;
                }
                sh->v = v;
                sh->cap = cap;
        }
        char *msg = malloc(JS_MSG_MAX);
        if (!msg) {
                sh->err = -ENOMEM;
                return;
        }
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, JS_MSG_MAX, fmt, ap);
        va_end(ap);
        sh->v[sh->n++] = (struct jpending) { line, col, off, rule, cat, sev, esc, msg };
        if (esc == ESC_HARVEST && sev >= SEV_HIGH)
                sh->has_harvest = true;
}

static int js_flush(struct jshared *sh) {
        const struct scan_ctx *ctx = sh->ctx;
        int r = 0;
        if (sh->has_socket && sh->has_shell)
                r = scan_report_at(ctx, sh->shell_line, sh->shell_col, sh->shell_off, "js.download.reverse-shell",
                                   SEV_CRITICAL, "download_exec",
                                   "an interactive shell is started in a file that opens a raw socket "
                                   "(line %u): the pattern of a reverse shell", sh->socket_line);
        for (size_t i = 0; i < sh->n && r >= 0; i++) {
                struct jpending *p = &sh->v[i];
                enum severity sev = p->sev;
                const char *extra = "";
                if (p->esc == ESC_HARVEST && sh->has_network && sev >= SEV_HIGH) {
                        sev = SEV_CRITICAL;
                        extra = "; the same file sends data over the network";
                } else if (p->esc == ESC_NET && sh->has_harvest && sev < SEV_HIGH) {
                        sev = SEV_HIGH;
                        extra = "; the same file collects secrets or the environment";
                }
                r = scan_report_at(ctx, p->line, p->column, p->offset, p->rule, sev, p->category, "%s%s", p->msg,
                                   extra);
        }
        return r;
}

static void js_shared_done(struct jshared *sh) {
        for (size_t i = 0; i < sh->ndl; i++)
                free(sh->dl[i].p);
        for (size_t i = 0; i < sh->n; i++)
                free(sh->v[i].msg);
        free(sh->v);
        big_free(sh->seen);
}

/* ---- helpers for the rules ------------------------------------------------------------------------- */

void js_callee_text(const struct jsa *a, uint32_t from, uint32_t to, char *out, size_t cap) {
        out[0] = '\0';
        if (from >= a->n || to >= a->n || to < from || cap < 8)
                return;
        const char *src = a->toks->src;
        size_t s = jt_tok(a, from)->offset, e = jt_tok(a, to)->offset + jt_tok(a, to)->len, o = 0;
        bool space = false;
        for (size_t i = s; i < e && o + 4 < cap; i++) {
                unsigned char c = (unsigned char) src[i];
                if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
                        space = o > 0;
                        continue;
                }
                if (space && o + 5 < cap)
                        out[o++] = ' ';
                space = false;
                out[o++] = c < 0x20 || c == 0x7f ? '?' : (char) c;
        }
        if (s + (cap - 4) < e && o + 4 <= cap) {
                memcpy(out + o, "...", 3);
                o += 3;
        }
        out[o] = '\0';
}

static bool reanalyse_ok(struct jshared *sh, size_t n) {
        if (sh->reanalysed + n > sh->reanalyse_budget)
                return false;
        sh->reanalysed += n;
        return true;
}

void js_shell_text(struct jsa *a, uint32_t k, const char *cmd, size_t n, bool partial) {
        if (!a->reporting || a->sh->err || n == 0 || n > JS_SHELL_TEXT_MAX || !reanalyse_ok(a->sh, n))
                return;
        uint32_t line, col;
        size_t off;
        js_pos(a, k, &line, &col, &off);
        if (js_seen(a, (uint32_t) (mix(str_hash("shell"), k) & 0xffffffffu), "shell-text"))
                return;
        const char *text = cmd;
        char *tmp = NULL;
        size_t len = n;
        if (partial || memchr(cmd, JS_HOLE, n)) {
                /* a value only known at run time becomes a plain word for the shell rules */
                static const char WORD[] = "__js_value__";
                size_t holes = 0;
                for (size_t i = 0; i < n; i++)
                        holes += cmd[i] == JS_HOLE;
                tmp = malloc(n + holes * (sizeof(WORD) - 1) + 1);
                if (!tmp) {
                        a->sh->err = -ENOMEM;
                        return;
                }
                len = 0;
                for (size_t i = 0; i < n; i++) {
                        if (cmd[i] == JS_HOLE) {
                                memcpy(tmp + len, WORD, sizeof(WORD) - 1);
                                len += sizeof(WORD) - 1;
                        } else
                                tmp[len++] = cmd[i];
                }
                tmp[len] = '\0';
                text = tmp;
        }
        int r = scan_shell_command_text(a->ctx, text, len, line, col, off);
        free(tmp);
        if (r < 0)
                a->sh->err = r;
}

static int js_analyse(const struct scan_ctx *ctx, struct jshared *sh, const struct token_list *toks, unsigned embed,
                      const struct jsa *parent, uint32_t parent_k);

void js_embedded(struct jsa *a, uint32_t k, const struct jv *code) {
        if (!a->reporting || a->sh->err || a->embed >= JS_EMBED_MAX || code->kind != JV_STR || code->n == 0 ||
            !reanalyse_ok(a->sh, code->n))
                return;
        struct token_list toks = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_js(code->s, code->n, &toks, &err);
        if (r == -ENOMEM)
                a->sh->err = r;
        else if (r == 0)
                r = js_analyse(a->ctx, a->sh, &toks, a->embed + 1, a, k);
        if (r == -ENOMEM)
                a->sh->err = r;
        token_list_done(&toks);
}

/* ---- preparing the tokens ---------------------------------------------------------------------------- */

static bool has_line_break(const char *s, size_t n) {
        return memchr(s, '\n', n) || memchr(s, '\r', n);
}

static int stack_push(uint32_t **stack, size_t *depth, size_t *cap, uint32_t v) {
        if (*depth == *cap) {
                uint32_t *s = realloc(*stack, *cap * 2 * sizeof(*s));
                if (!s)
                        return -ENOMEM;
                *stack = s;
                *cap *= 2;
        }
        (*stack)[(*depth)++] = v;
        return 0;
}

/* The significant tokens (no comments, no line breaks) with decoded identifiers, the flags the
 * walker needs, and matching brackets. */
static int prepare(struct jsa *a) {
        const struct token_list *l = a->toks;
        /* one pass: as many slots as tokens (comments and line breaks leave some unused) */
        a->tk = big_mallocarray(l->n ? l->n : 1, sizeof(*a->tk));
        size_t cap = 64, depth = 0;
        _cleanup_free_ uint32_t *stack = malloc(cap * sizeof(*stack));
        if (!a->tk || !stack)
                return -ENOMEM;
        bool nl = false;
        size_t k = 0;
        for (size_t i = 0; i < l->n; i++) {
                const struct token *t = &l->v[i];
                if (t->kind == TOK_NEWLINE) {
                        nl = true;
                        continue;
                }
                if (t->kind == TOK_COMMENT) {
                        nl |= has_line_break(token_text(l, t), t->len);
                        continue;
                }
                struct jtok *j = &a->tk[k];
                *j = (struct jtok) { .ti = (uint32_t) i, .text = token_text(l, t), .len = t->len, .match = JS_NONE,
                                     .kind = (uint8_t) t->kind, .f = nl ? JT_NL_BEFORE : 0 };
                nl = false;
                switch (t->kind) {
                case TOK_STRING:
                        j->text = t->value ? t->value : "";
                        j->len = t->value_len;
                        if (t->flags & TOKF_REGEX)
                                j->f |= JT_REGEX;
                        else if (!(t->flags & TOKF_RAW) && js_has_escape(token_text(l, t), t->len))
                                j->f |= JT_LIT_ESCAPE;
                        if (t->flags & TOKF_TEMPLATE) {
                                j->f |= JT_TEMPLATE;
                                /* a piece after "${...}" starts right after its "}" (and may start
                                 * with the closing backtick); only a fresh one starts a template */
                                const struct token *p = i > 0 ? &l->v[i - 1] : NULL;
                                bool cont = p && p->kind == TOK_PUNCT && (p->flags & TOKF_INTERP) && p->len == 1 &&
                                            token_text(l, p)[0] == '}' && p->offset + p->len == t->offset;
                                if (!cont && t->len > 0 && token_text(l, t)[0] == '`')
                                        j->f |= JT_TPL_START;
                        }
                        break;
                case TOK_WORD:
                        j->kind = TOK_PUNCT;
                        break;
                case TOK_IDENT: {
                        /* hash the name and look for a \u escape in one go */
                        uint32_t h = 2166136261u;
                        bool esc = false;
                        for (size_t c = 0; c < j->len; c++) {
                                esc |= j->text[c] == '\\';
                                h = (h ^ (unsigned char) j->text[c]) * 16777619u;
                        }
                        if (esc) {
                                size_t dl = 0;
                                char *d = js_ident_unescape(a, j->text, j->len, &dl);
                                if (!d)
                                        return -ENOMEM;
                                j->text = d;
                                j->len = (uint32_t) dl;
                                j->f |= JT_ESCAPED;
                                h = js_hash(j->text, j->len);
                        }
                        j->hash = h;
                        break;
                }
                case TOK_PUNCT: {
                        char c = j->text[0];
                        if ((j->len == 1 && (c == '(' || c == '[' || c == '{')) ||
                            (j->len == 2 && c == '$' && j->text[1] == '{')) {
                                if (stack_push(&stack, &depth, &cap, (uint32_t) k) < 0)
                                        return -ENOMEM;
                                break;
                        }
                        if (j->len != 1 || (c != ')' && c != ']' && c != '}'))
                                break;
                        /* look down a bounded distance for the opener this closes; unclosed
                         * openers in between are dropped, as the lexer does ("}" closes "{" or "${") */
                        for (size_t d = depth, steps = 0; d > 0 && steps < 512; d--, steps++) {
                                char o = a->tk[stack[d - 1]].text[0];
                                if (c == ')' ? o == '(' : c == ']' ? o == '[' : (o == '{' || o == '$')) {
                                        a->tk[stack[d - 1]].match = (uint32_t) k;
                                        j->match = stack[d - 1];
                                        depth = d - 1;
                                        break;
                                }
                        }
                        break;
                }
                default:
                        break;
                }
                k++;
        }
        a->n = k;
        return 0;
}

static void hot_add(struct jsa *a, const char *name, size_t len) {
        void *p;
        (void) jmap_get_or_add(&a->hot, a, 0, name, len, 1, &p);
}

/* The Bloom filter in front of a->hot, sized to it (16 bits a name, so few false positives even
 * when every function of a big file is hot). */
static int hot_bloom_build(struct jsa *a) {
        size_t bits = 4096;
        while (bits < 16 * a->hot.n && bits < ((size_t) 1 << 30))
                bits *= 2;
        a->hot_bloom = calloc(bits / 64, sizeof(uint64_t));
        if (!a->hot_bloom)
                return -ENOMEM;
        a->hot_bloom_mask = (uint32_t) (bits - 1);
        for (size_t i = 0; i < a->hot.cap; i++) {
                const struct jmap_slot *s = &a->hot.v[i];
                if (s->key) {
                        uint32_t h = js_hash(s->key, s->len) & a->hot_bloom_mask;
                        a->hot_bloom[h / 64] |= 1ull << (h % 64);
                }
        }
        return 0;
}

static bool hot_has(const struct jsa *a, const struct jtok *t) {
        uint32_t h = t->hash & a->hot_bloom_mask;
        return (a->hot_bloom[h / 64] >> (h % 64) & 1) && jmap_get_h(&a->hot, 0, t->text, t->len, t->hash);
}

/* process.argv, process.exit(), module.exports: the everyday uses of two interesting names. */
static bool boring_use(const struct jsa *a, size_t i) {
        static const char *const PROCESS[] = { "argv", "exit", "exitCode", "cwd", "platform", "arch", "version",
                                               "versions", "pid", "ppid", "on", "once", "off", "nextTick",
                                               "hrtime", "memoryUsage", "uptime", "stdout", "stderr", "stdin",
                                               "emitWarning", "title", "umask", "chdir", "release", "execPath",
                                               "argv0", "kill", "resourceUsage", "cpuUsage", "execArgv" };
        const struct jtok *t = &a->tk[i];
        if (i + 2 >= a->n || a->tk[i + 1].kind != TOK_PUNCT || a->tk[i + 1].len != 1 || a->tk[i + 1].text[0] != '.' ||
            a->tk[i + 2].kind != TOK_IDENT || (a->tk[i + 2].f & JT_ESCAPED))
                return false;
        if (i > 0 && a->tk[i - 1].kind == TOK_PUNCT && a->tk[i - 1].len == 1 && a->tk[i - 1].text[0] == '.')
                return false; /* globalThis.process.exit: the receiver decides */
        const struct jtok *m = &a->tk[i + 2];
        if (t->len == 6 && memcmp(t->text, "module", 6) == 0)
                return js_name_is(m->text, m->len, "exports");
        if (t->len == 7 && memcmp(t->text, "process", 7) == 0) {
                for (size_t k = 0; k < ELEMENTSOF(PROCESS); k++)
                        if (js_name_is(m->text, m->len, PROCESS[k]))
                                return true;
        }
        return false;
}

/* After pass 1: which tokens could lead to a finding in pass 2 (see struct jsa.interest). A
 * name is interesting when it is a global that means something, or when it is bound anywhere
 * in the file to a value that does (a module, a member, tainted data). */
static int compute_interest(struct jsa *a) {
        js_each_global_name(a, hot_add);
        for (size_t i = 0; i < a->binds.cap; i++) {
                const struct jmap_slot *s = &a->binds.v[i];
                const struct jbind *b = s->val;
                if (s->key && ((b->flags & VF_TAINT) || (b->has_val && jv_interesting(&b->val, 2))))
                        hot_add(a, s->key, s->len);
        }
        if (a->sh->err)
                return a->sh->err;
        if (hot_bloom_build(a) < 0)
                return -ENOMEM;
        uint32_t *in = big_mallocarray(a->n + 1, sizeof(*in));
        if (!in)
                return -ENOMEM;
        uint32_t c = 0;
        for (size_t i = 0; i < a->n; i++) {
                in[i] = c;
                const struct jtok *t = &a->tk[i];
                bool x = false;
                if (t->kind == TOK_IDENT)
                        /* this["ev" + "al"]: `this` may be the global object */
                        x = (t->f & JT_ESCAPED) ||
                            (hot_has(a, t) && !boring_use(a, i)) ||
                            (t->len == 4 && memcmp(t->text, "this", 4) == 0 && i + 1 < a->n &&
                             a->tk[i + 1].kind == TOK_PUNCT && a->tk[i + 1].len == 1 && a->tk[i + 1].text[0] == '[');
                else if (t->kind == TOK_STRING && !(t->f & JT_REGEX))
                        /* an absolute or home path may name a secret (path.join("/etc", "shadow")) */
                        x = (t->f & JT_LIT_ESCAPE) || t->len >= SCAN_BLOB_MIN || js_dangerous_name(t->text, t->len) ||
                            (t->len > 0 && (t->text[0] == '/' || t->text[0] == '~'));
                c += x;
        }
        in[a->n] = c;
        a->interest = in;
        return 0;
}

static int js_analyse(const struct scan_ctx *ctx, struct jshared *sh, const struct token_list *toks, unsigned embed,
                      const struct jsa *parent, uint32_t parent_k) {
        struct jsa a = { .ctx = ctx, .sh = sh, .toks = toks, .embed = embed };
        /* folding may allocate a few times the source, never without bound */
        arena_init(&a.arena, (size_t) 32 * 1024 * 1024 + 8 * toks->src_len);
        if (parent) {
                a.base_depth = parent->depth;
                a.has_override = true;
                js_pos(parent, parent_k, &a.ov_line, &a.ov_col, &a.ov_off);
        }
        int r = prepare(&a);
        if (r >= 0) {
                a.reporting = false;
                js_walk(&a);
                r = sh->err < 0 ? sh->err : compute_interest(&a);
        }
        if (r >= 0) {
                a.reporting = true;
                js_walk(&a);
                r = sh->err;
        }
        big_free(a.interest);
        free(a.hot_bloom);
        jmap_done(&a.hot);
        jmap_done(&a.rets);
        big_free(a.tk);
        jmap_done(&a.binds);
        jmap_done(&a.sums);
        arena_done(&a.arena);
        return r < 0 ? r : 0;
}

int scan_rules_js(const struct scan_ctx *ctx, const struct token_list *toks) {
        struct jshared sh = { .ctx = ctx, .reanalyse_budget = (size_t) 4 * 1024 * 1024 + 4 * toks->src_len };
        int r = js_analyse(ctx, &sh, toks, 0, NULL, 0);
        if (r >= 0)
                r = js_flush(&sh);
        js_shared_done(&sh);
        return r < 0 ? r : 0;
}
