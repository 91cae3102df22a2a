/* The Python analyser's reporting and shared judgements (rules_python_internal.h): findings
 * with their messages (the resolved name, how it was written, the evasion seen), the facts a
 * pass learns about the whole file, and the rules on paths (credentials, start-up files, the
 * whole home) and on the environment that several calls share. */
#include "rules_python_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- reporting ---- */

static void report_v(struct py *P, const struct token *t, const char *rule, enum severity sev, const char *cat,
                     const char *fmt, va_list ap) {
        char msg[512];
        vsnprintf(msg, sizeof(msg), fmt, ap);
        int r;
        if (P->at)
                r = scan_report_at(P->ctx, P->at->line, P->at->column, P->at->offset, rule, sev, cat,
                                   "in code this call runs: %s", msg);
        else
                r = scan_report(P->ctx, P->toks, t, rule, sev, cat, "%s", msg);
        if (r < 0)
                P->err = r;
}

void py_report(struct py *P, uint32_t tok, const char *rule, enum severity sev, const char *cat,
               const char *fmt, ...) {
        if (!P->report) {
                py_would_report(P, tok);
                return;
        }
        if (P->quiet || P->err)
                return;
        uint64_t key = (py_hash(rule, strlen(rule)) ^ ((uint64_t) tok * 0x9e3779b97f4a7c15ull)) | 1;
        uint32_t dummy;
        if (py_map_get(&P->reported, key, &dummy))
                return;
        if (py_map_put(&P->reported, key, 1) < 0) {
                P->err = -ENOMEM;
                return;
        }
        va_list ap;
        va_start(ap, fmt);
        report_v(P, tok < P->n ? py_tk(P, tok) : NULL, rule, sev, cat, fmt, ap);
        va_end(ap);
}

/* A finding at a token outside the evaluated stream (a comment). */
void py_report_token(struct py *P, const struct token *t, const char *rule, enum severity sev, const char *cat,
                     const char *fmt, ...) {
        if (P->err)
                return;
        va_list ap;
        va_start(ap, fmt);
        report_v(P, t, rule, sev, cat, fmt, ap);
        va_end(ap);
}

/* Constant code run by exec/eval/compile/python -c: analysed as Python of its own. */
void py_nested_code(struct py *P, struct pv code) {
        if (!P->report)
                py_would_report(P, P->code_tok);
        if (!P->report || P->quiet || P->err || P->nest >= PY_NEST_MAX || code.kind != PV_STR || (code.fl & PVF_HOLES) ||
            code.n == 0 || P->n_nested >= PY_NESTED_MAX || P->depth > 32)
                return; /* (deep inside an expression the nested analysis would stack on top of it) */
        P->n_nested++;
        char *buf = malloc(code.n);
        if (!buf) {
                P->err = -ENOMEM;
                return;
        }
        memcpy(buf, code.u.s, code.n);
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_python(buf, code.n, &l, &err);
        if (r == -ENOMEM)
                P->err = r;
        else if (r >= 0) {
                struct scan_pos here = P->at ? *P->at : scan_pos_of(P->toks, py_tk(P, P->code_tok));
                r = py_analyse(P->ctx, &l, &here, P->nest + 1, P->tables);
                if (r < 0)
                        P->err = r;
        }
        token_list_done(&l);
        free(buf);
}

/* Printable ASCII of a value or source text for a message, cut to fit. */
void py_quote(char *out, size_t cap, const char *s, size_t n) {
        size_t k = 0;
        for (size_t i = 0; i < n && k + 4 < cap; i++) {
                unsigned char c = (unsigned char) s[i];
                out[k++] = c >= 0x20 && c < 0x7f ? (char) c : c == (unsigned char) PY_HOLE ? '*' : '?';
        }
        if (n > 0 && k + 4 >= cap && k >= 3)
                out[k - 3] = out[k - 2] = out[k - 1] = '.';
        out[k] = '\0';
}

const char *const PY_EV_TEXT[] = {
        [EV_NONE] = "",
        [EV_GETATTR] = ", reached through getattr()",
        [EV_NAMESPACE] = ", looked up through a namespace (globals(), __builtins__, sys.modules)",
        [EV_PIECES] = ", its name built from string pieces",
        [EV_ESCAPED] = ", its name spelled with escape sequences",
        [EV_UNICODE] = ", its name spelled with look-alike Unicode letters",
        [EV_DECODED] = ", its name decoded at runtime",
};

/* What a tag stands for in messages: "@sock.connect" reads "socket .connect()". */
static const char *tag_text(const char *qname, const char **method) {
        static const struct {
                const char *tag, *text;
        } T[] = { { "@http", "an HTTP session" }, { "@sock", "a socket" }, { "@ssh", "an SSH client" },
                  { "@opener", "a URL opener" }, { "@tar", "a tar archive" }, { "@zip", "a zip archive" },
                  { "@smtp", "an SMTP client" }, { "@ftp", "an FTP client" }, { "@telnet", "a telnet client" },
                  { "@codeint", "a code.InteractiveInterpreter" }, { "@ffi", "a cffi FFI" },
                  { "@globals", "globals()" }, { "@builtins_dict", "__builtins__" }, { "@sys_modules", "sys.modules" } };
        const char *dot = strchr(qname, '.');
        size_t l = dot ? (size_t) (dot - qname) : strlen(qname);
        *method = dot ? dot + 1 : "";
        for (size_t k = 0; k < ELEMENTSOF(T); k++)
                if (strlen(T[k].tag) == l && strncmp(T[k].tag, qname, l) == 0)
                        return T[k].text;
        return "an object";
}

/* "os.system (written as `s`)" for the callee of c. */
void py_callee_text(const struct py *P, const struct py_call *c, const char *qname, char *out, size_t cap) {
        const struct token *a = py_tk(P, c->tok), *b = py_tk(P, c->open);
        const char *src = P->toks->src + a->offset;
        size_t n = b->offset > a->offset ? b->offset - a->offset : 0;
        char written[64];
        py_quote(written, sizeof(written), src, n);
        if (qname[0] == '@') {
                const char *m;
                const char *what = tag_text(qname, &m);
                if (*m)
                        snprintf(out, cap, "`%s` (.%s of %s)", n ? written : qname, m, what);
                else
                        snprintf(out, cap, "`%s` (%s)", n ? written : qname, what);
        } else if (strcmp(written, qname) == 0 || (strncmp(qname, "builtins.", 9) == 0 && strcmp(written, qname + 9) == 0) ||
                   n == 0)
                snprintf(out, cap, "%s", qname);
        else
                snprintf(out, cap, "%s (written as `%s`)", qname, written);
}

struct py_facts *py_prev_facts(struct py *P) {
        return &P->facts[(P->pass + 1) & 1];
}

struct py_facts *py_cur_facts(struct py *P) {
        return &P->facts[P->pass & 1];
}

enum severity py_at_least(enum severity s, enum severity min) {
        return s > min ? s : min;
}

/* ---- arguments ---- */

const struct pv *py_arg(struct py *P, const struct py_args *a, int pos, const char *kw) {
        if (pos >= 0 && pos < a->npos)
                return &a->pos[pos];
        if (kw)
                for (size_t k = 0; k < a->nkw; k++) {
                        uint32_t s = a->kw[k].sym;
                        if (s != PY_NOSYM && P->syms[s].len == strlen(kw) && memcmp(P->syms[s].s, kw, P->syms[s].len) == 0)
                                return &a->kw[k].v;
                }
        return NULL;
}

const struct pv *py_kwarg(const struct py_args *a, uint32_t sym) {
        for (size_t k = 0; k < a->nkw; k++)
                if (a->kw[k].sym == sym)
                        return &a->kw[k].v;
        return NULL;
}

bool py_truthy(struct pv v) {
        if (v.kind == PV_NUM)
                return v.u.num != 0;
        if (v.kind == PV_NONE)
                return false;
        return true;
}

/* ---- facts and path judgements ---- */

static bool skel_eq(const char *a, size_t an, const char *b, size_t bn) {
        return an == bn && memcmp(a, b, an) == 0;
}

void py_note_download(struct py *P, struct pv path) {
        struct py_facts *f = py_cur_facts(P);
        if (path.kind != PV_STR || path.n == 0 || f->n_dl >= PY_DOWNLOADS_MAX)
                return;
        for (size_t k = 0; k < f->n_dl; k++)
                if (skel_eq(f->dl[k].path, f->dl[k].len, path.u.s, path.n))
                        return;
        char *c = malloc(path.n + 1);
        if (!c) {
                P->err = -ENOMEM;
                return;
        }
        memcpy(c, path.u.s, path.n);
        c[path.n] = '\0';
        f->dl[f->n_dl++] = (struct py_download) { c, path.n };
}

bool py_was_downloaded(struct py *P, struct pv path) {
        if (path.kind != PV_STR || path.n == 0)
                return false;
        for (int w = 0; w < 2; w++) {
                struct py_facts *f = &P->facts[w];
                for (size_t k = 0; k < f->n_dl; k++)
                        if (skel_eq(f->dl[k].path, f->dl[k].len, path.u.s, path.n))
                                return true;
        }
        return false;
}

/* "~", "/", "/root", "/home/x", "$HOME", also with a trailing slash or star: the whole home or
 * a system directory. */
bool py_is_home_or_root(struct pv v) {
        if (v.kind != PV_STR)
                return false;
        size_t n = v.n;
        const char *s = v.u.s;
        while (n > 1 && (s[n - 1] == '/' || s[n - 1] == '*' || s[n - 1] == '.'))
                n--;
        if (n == 0)
                return false;
        static const char *const HOME[] = { "~", "/", "/root", "/home", "$HOME", "${HOME}", "/etc", "/usr", "/var", "/boot" };
        for (size_t k = 0; k < ELEMENTSOF(HOME); k++)
                if (skel_eq(s, n, HOME[k], strlen(HOME[k])))
                        return true;
        if (n > 6 && memcmp(s, "/home/", 6) == 0 && !memchr(s + 6, '/', n - 6) && !memchr(s + 6, PY_HOLE, n - 6))
                return true;
        return false;
}

/* A path reaching a file operation: credentials, start-up files, the whole home. Returns the
 * value marked as reported so that the same path is not reported at every step. */
struct pv py_judge_path(struct py *P, uint32_t tok, struct pv v, enum path_op op, const char *what) {
        if (v.kind != PV_STR)
                return v;
        if (op == OP_REMOVE && py_is_home_or_root(v)) {
                char q[80];
                py_quote(q, sizeof(q), v.u.s, v.n);
                py_report(P, tok, "py.destructive.remove-home", SEV_CRITICAL, "destructive",
                          "%s deletes `%s`, the home directory or a system directory", what, q);
                return v;
        }
        if ((op == OP_WRITE || op == OP_CHMOD) &&
            (memmem(v.u.s, v.n, "site-packages/", 14) || memmem(v.u.s, v.n, "dist-packages/", 14))) {
                char q[80];
                py_quote(q, sizeof(q), v.u.s, v.n);
                py_report(P, tok, "py.persistence.site-packages", SEV_CRITICAL, "persistence",
                          "%s writes `%s` among installed Python packages: a .pth or module there runs in every "
                          "Python program", what, q);
                return v;
        }
        struct scan_path_hit hit;
        enum scan_path_kind k = scan_path_classify(v.u.s, v.n, &hit);
        if (k == SCAN_PATH_NONE && (v.fl & PVF_ALT_SECRET))
                k = SCAN_PATH_SECRET, hit.what = "credentials, among other paths it loops over";
        else if (k == SCAN_PATH_NONE && (v.fl & PVF_ALT_PERSIST))
                k = SCAN_PATH_PERSIST, hit.what = "a start-up file, among other paths it loops over";
        if (k == SCAN_PATH_NONE)
                return v;
        char q[80];
        py_quote(q, sizeof(q), v.u.s, v.n);
        if (k == SCAN_PATH_SECRET) {
                py_cur_facts(P)->secret = true;
                if ((v.fl & PVF_PATH_SEEN) && op != OP_WRITE && op != OP_REMOVE)
                        return v;
                bool net = py_prev_facts(P)->network;
                py_report(P, tok, "py.sensitive_file.secret-path", net ? SEV_CRITICAL : SEV_HIGH, "sensitive_file",
                          "%s uses `%s` (%s)%s", what, q, hit.what,
                          net ? " and this file also talks to the network" : "");
                v.fl |= PVF_PATH_SEEN;
                return v;
        }
        if (op == OP_WRITE || op == OP_CHMOD)
                py_report(P, tok, "py.persistence.write", SEV_CRITICAL, "persistence",
                          "%s writes `%s` (%s): code there runs again later, outside this skill", what, q, hit.what);
        else if (op == OP_READ && !(v.fl & PVF_PATH_SEEN)) {
                py_report(P, tok, "py.persistence.read", SEV_LOW, "persistence", "%s reads `%s` (%s)", what, q, hit.what);
                v.fl |= PVF_PATH_SEEN;
        }
        return v;
}

void py_env_sink(struct py *P, uint32_t tok, struct pv v, const char *how) {
        if (!py_is_env(P, v))
                return;
        py_cur_facts(P)->env = true;
        /* one finding per line: f"{k}={v}" inside a join is one act, not three */
        uint32_t line = tok < P->n ? token_line(P->toks, py_tk(P, tok)) : 0;
        if (line == P->env_line && P->report && !P->quiet)
                return;
        if (P->report && !P->quiet)
                P->env_line = line;
        bool net = py_prev_facts(P)->network;
        py_report(P, tok, "py.env_harvest.environ", net ? SEV_CRITICAL : SEV_HIGH, "env_harvest",
                  "the whole environment (os.environ, with every secret in it) is %s%s", how,
                  net ? " in a file that also talks to the network" : "");
}

void py_env_sink_args(struct py *P, uint32_t tok, const struct py_args *a, const char *how) {
        for (size_t k = 0; k < a->npos; k++)
                py_env_sink(P, tok, a->pos[k], how);
        for (size_t k = 0; k < a->nkw; k++)
                py_env_sink(P, tok, a->kw[k].v, how);
        if (a->kw_unpack && (a->kw_unpack_fl & PVF_ENV))
                py_env_sink(P, tok, pv_unknown(PVF_ENV), how);
}

