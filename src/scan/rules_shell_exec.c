/* Shell analyser: rules about running code and talking to the network. Interpreters fed
 * downloaded or decoded code (pipes, -c strings, process substitution, here-documents, files
 * downloaded earlier), eval, reverse shells, uploads of secrets, and network clients (medium, or
 * safe when the host is declared). */
#include "rules_shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"

/* ---- interpreters ---- */

struct interp {
        int32_t code;   /* -c / -e argument */
        int32_t script; /* script file */
        bool stdin_code, module;
};

static bool stdin_path(const struct sh_arg *a) {
        return sh_arg_is(a, "-") || sh_arg_is(a, "/dev/stdin") || sh_arg_is(a, "/dev/fd/0") ||
               sh_arg_is(a, "/proc/self/fd/0");
}

static void interp_parse(const struct chk *k, struct interp *ip) {
        static const char *const SH_LONG[] = { "rcfile", "init-file", NULL };
        static const char *const NODE_LONG[] = { "eval", "print", "require", "input-type", "import", NULL };
        const struct sh_argv *av = k->av;
        *ip = (struct interp){ .code = -1, .script = -1 };
        struct optit it;
        enum sh_tool t = k->ci.tool;
        const char *sv;
        switch (t) {
        case TL_SHELL: sv = "oO"; break;
        case TL_PYTHON: sv = "cmWXQ"; break;
        case TL_PERL: sv = "eE"; break;
        case TL_RUBY: sv = "erIC"; break;
        case TL_NODE: sv = "eprC"; break;
        case TL_PHP: sv = "rfdcz"; break;
        case TL_LUA: sv = "el"; break;
        default: sv = ""; break;
        }
        if (t == TL_SOURCE) {
                if (k->ci.name + 1 < av->n)
                        ip->script = (int32_t) k->ci.name + 1;
                if (ip->script >= 0 && stdin_path(&av->v[ip->script]))
                        ip->stdin_code = true;
                return;
        }
        sh_optit_init(&it, av, k->ci.name + 1, sv, t == TL_SHELL ? SH_LONG : t == TL_NODE ? NODE_LONG : NULL);
        bool dash_c = false, dash_s = false;
        while (sh_optit_next(&it)) {
                if (!it.opt) {
                        if (dash_c && ip->code < 0)
                                ip->code = (int32_t) it.arg;
                        else if (ip->script < 0 && ip->code < 0 && !ip->module)
                                ip->script = (int32_t) it.arg;
                        if (t == TL_SHELL && !dash_c && !dash_s)
                                break; /* the rest are the script's arguments */
                        continue;
                }
                switch (t) {
                case TL_SHELL:
                        if (it.opt == 'c')
                                dash_c = true;
                        else if (it.opt == 's')
                                dash_s = true;
                        break;
                case TL_PYTHON:
                        if (it.opt == 'c' && it.val)
                                ip->code = (int32_t) it.arg;
                        else if (it.opt == 'm')
                                ip->module = true;
                        break;
                case TL_NODE:
                        if ((it.opt == 'e' || it.opt == 'p' || sh_long_is(&it, "eval") ||
                             sh_long_is(&it, "print")) &&
                            it.val)
                                ip->code = (int32_t) it.arg;
                        break;
                case TL_PHP:
                        if (it.opt == 'r' && it.val)
                                ip->code = (int32_t) it.arg;
                        else if (it.opt == 'f' && it.val)
                                ip->script = (int32_t) it.arg;
                        break;
                default: /* perl -e, ruby -e, lua -e */
                        if ((it.opt == 'e' || it.opt == 'E') && it.val)
                                ip->code = (int32_t) it.arg;
                        break;
                }
                if (it.opt == 0 || ip->code >= 0)
                        continue;
        }
        if (t == TL_SHELL && dash_s)
                ip->stdin_code = true, ip->script = -1;
        if (ip->script >= 0 && stdin_path(&av->v[ip->script]))
                ip->stdin_code = true;
        if (ip->code < 0 && ip->script < 0 && !ip->module && !dash_c)
                ip->stdin_code = true;
}

/* Reverse-shell, download-and-run and decode-and-run tells in inline code of another language
 * (python -c, perl -e, awk programs): the analysers for those languages do not see it. */
static const char *inline_code_tell(const char *s, size_t n, const char **rule) {
        if (n > SH_FOLD_MAX)
                n = SH_FOLD_MAX;
        char *low = malloc(n + 1);
        if (!low)
                return NULL;
        for (size_t i = 0; i < n; i++)
                low[i] = (char) tolower((unsigned char) s[i]);
        low[n] = '\0';
#define HAS(x) (memmem(low, n, (x), strlen(x)) != NULL)
        const char *what = NULL;
        bool sock = HAS("socket") || HAS("fsockopen") || HAS("net.connect") || HAS("createconnection") ||
                    HAS("io::socket");
        bool shell = HAS("/bin/sh") || HAS("/bin/bash") || HAS("pty.spawn") || HAS("dup2") ||
                     HAS("subprocess") || HAS("proc_open") || HAS("shell_exec") || HAS("child_process") ||
                     HAS("exec(") || HAS("system(") || HAS("popen") || HAS("spawn(");
        bool run = HAS("exec(") || HAS("eval(") || HAS("eval ") || HAS("system(") || HAS("execsync") ||
                   HAS("os.system") || HAS("subprocess") || HAS("popen");
        bool fetch = HAS("urlopen") || HAS("requests.get") || HAS("urllib") || HAS("http.get") ||
                     HAS("fetch(") || HAS("lwp::simple") || HAS("net::http") || HAS("open-uri") ||
                     HAS("file_get_contents(\"http") || HAS("file_get_contents('http");
        bool decode = HAS("b64decode") || HAS("decode_base64") || HAS("base64.decode") || HAS("atob(") ||
                      HAS("'base64')") || HAS("\"base64\")") || HAS("unhexlify") || HAS("fromhex") ||
                      HAS("base64_decode") || HAS("unpack(\"m") || HAS("unpack('m");
        if (HAS("/dev/tcp/") || HAS("/dev/udp/") || HAS("/inet/tcp/") || HAS("/inet/udp/") ||
            (sock && shell)) {
                what = "connects a shell or a program to a network socket (reverse shell)";
                *rule = "sh.download.reverse-shell";
        } else if (fetch && run) {
                what = "downloads code and runs it";
                *rule = "sh.download.inline-exec";
        } else if (decode && run) {
                what = "decodes hidden code and runs it";
                *rule = "sh.obfuscation.decoded-exec";
        }
#undef HAS
        free(low);
        return what;
}

const char *sh_taint_source(uint8_t t) {
        if (t & SHT_DOWNLOAD)
                return "downloaded";
        return "decoded";
}

/* Code that comes from somewhere it should not: downloaded or decoded text about to run. */
static int code_taint(struct chk *k, uint32_t tok, uint8_t t, const char *how) {
        if (t & SHT_DOWNLOAD)
                return sh_rep(k, tok, "sh.download.subst-exec", SEV_CRITICAL, "download_exec", false,
                              "%s runs code downloaded from the network: it runs without review", how);
        if (t & SHT_DECODED)
                return sh_rep(k, tok, "sh.obfuscation.decoded-exec", SEV_CRITICAL, "obfuscation", false,
                              "%s runs text decoded at run time (hidden code)", how);
        return 0;
}

int sh_check_inline(struct chk *k, const struct sh_arg *code, bool shell) {
        struct sh_unit *u = k->u;
        if (!sh_arg_known(code))
                return 0;
        if (shell) {
                /* a constant command string: analyse it where it is when it is written verbatim */
                const struct token *t = &u->toks->v[code->tok];
                const char *raw = u->toks->src + t->offset;
                bool verbatim = code->word >= 0 && u->w[code->word].te == u->w[code->word].tb + 1 &&
                                t->kind == TOK_STRING && t->len >= 2 && (raw[0] == '\'' || raw[0] == '"') &&
                                t->value_len == t->len - 2 && code->n == t->value_len &&
                                memcmp(t->value, raw + 1, t->value_len) == 0;
                return sh_analyse_inner(u, code->tok, code->s, code->n, verbatim, 1);
        }
        const char *rule = NULL;
        const char *what;
        if (k->ci.tool == TL_AWK) { /* gawk's /inet/tcp special files are its only way out */
                what = memmem(code->s, code->n, "/inet/", 6)
                               ? "connects a shell or a program to a network socket (reverse shell)"
                               : NULL;
                rule = "sh.download.reverse-shell";
        } else
                what = inline_code_tell(code->s, code->n, &rule);
        if (what)
                return sh_rep(k, code->tok, rule, SEV_CRITICAL,
                              strcmp(rule, "sh.obfuscation.decoded-exec") == 0 ? "obfuscation"
                                                                               : "download_exec",
                              false, "%s inline code %s", k->ci.base, what);
        return 0;
}

static int check_stdin_code(struct chk *k, bool shell) {
        struct sh_unit *u = k->u;
        int r;
        const char *n = k->ci.base;
        /* what a here-doc body's substitutions or a here-string bring in */
        uint8_t fed = sh_redir_in_taint(u, k->c, 1) & (SHT_DOWNLOAD | SHT_DECODED);
        if (fed && !(sh_stdin_taint(k) & (SHT_DOWNLOAD | SHT_DECODED)))
                return code_taint(k, k->tok, fed, n);
        if (sh_stdin_taint(k) & SHT_DOWNLOAD)
                return sh_rep(k, k->tok, "sh.download.pipe-to-shell", SEV_CRITICAL, "download_exec", false,
                              "downloaded data is piped into %s: remote code runs without review", n);
        if (sh_stdin_taint(k) & SHT_NETSOCK)
                return sh_rep(k, k->tok, "sh.download.reverse-shell", SEV_CRITICAL, "download_exec", false,
                              "%s reads its commands from a network socket (reverse shell)", n);
        if (sh_stdin_taint(k) & SHT_DECODED) {
                r = sh_rep(k, k->tok, "sh.obfuscation.decoded-exec", SEV_CRITICAL, "obfuscation", false,
                           "decoded data is piped into %s: hidden code runs", n);
                if (r < 0 || !shell || k->feeder < 0)
                        return r;
                char *buf = malloc(SH_FOLD_MAX);
                if (!buf)
                        return -ENOMEM;
                long fl = sh_fold_pipeline(u, k->c, buf, SH_FOLD_MAX, 1);
                r = fl > 0 ? sh_analyse_inner(u, u->c[k->feeder].tok, buf, (size_t) fl, false, 0) : 0;
                free(buf);
                return r;
        }
        /* here-documents and here-strings are code for a shell */
        for (int32_t rd = u->c[k->c].r_first; rd >= 0; rd = u->r[rd].next) {
                const struct sh_redir *x = &u->r[rd];
                if (x->kind == SHR_HEREDOC && x->body_tok >= 0 && shell) {
                        const struct token *b = &u->toks->v[x->body_tok];
                        r = sh_analyse_inner(u, (uint32_t) x->body_tok, u->toks->src + b->offset, b->len,
                                             true, 0);
                        if (r < 0)
                                return r;
                } else if (x->kind == SHR_HERESTR && x->word >= 0 && shell) {
                        char buf[SH_WORD_MAX];
                        struct sh_arg a;
                        sh_word_value(u, x->word, 0, buf, sizeof(buf), &a, 1);
                        if (sh_arg_known(&a) && (r = sh_analyse_inner(u, a.tok, a.s, a.n, false, 0)) < 0)
                                return r;
                } else if (x->kind == SHR_IN && x->word >= 0) {
                        char buf[512];
                        struct sh_arg a;
                        sh_word_value(u, x->word, 0, buf, sizeof(buf), &a, 1);
                        const struct sh_file *f = sh_file_find(k, &a, SHT_DOWNLOAD | SHT_DECODED);
                        if (f)
                                return sh_rep(
                                        k, k->tok, "sh.download.file-exec", SEV_CRITICAL, "download_exec",
                                        false,
                                        "%s runs %s, written by %s on line %u: %s code runs without review",
                                        n, f->path, f->how, f->line, sh_taint_source(f->taint));
                }
        }
        if (k->feeder < 0)
                return 0;
        char *buf = malloc(SH_FOLD_MAX);
        if (!buf)
                return -ENOMEM;
        long fl = sh_fold_pipeline(u, k->c, buf, SH_FOLD_MAX, 1);
        if (fl >= 0) {
                /* echo "constant" | sh: the constant is the code */
                r = shell && fl > 0 ? sh_analyse_inner(u, u->c[k->feeder].tok, buf, (size_t) fl, false, 0)
                                    : 0;
                free(buf);
                return r;
        }
        free(buf);
        struct sh_argv *fav = sh_argv_at(u->sc, 1);
        bool known = false;
        if (fav) {
                struct sh_cmdinfo fci;
                sh_argv_build(u, k->feeder, fav, 1);
                sh_resolve(u, k->feeder, fav, &fci);
                known = fci.name_known || u->c[k->feeder].body >= 0;
        }
        return sh_rep(k, k->tok, "sh.code.pipe-to-shell", known ? SEV_MEDIUM : SEV_HIGH, "code_injection",
                      false, "%s runs commands generated by %s", n,
                      known ? "another command" : "a command that is not a constant");
}

int sh_check_interp(struct chk *k) {
        struct interp ip;
        interp_parse(k, &ip);
        bool shell = k->ci.tool == TL_SHELL || k->ci.tool == TL_SOURCE;
        const struct sh_argv *av = k->av;
        int r;
        if (ip.code >= 0) {
                const struct sh_arg *c = &av->v[ip.code];
                if (c->taint & (SHT_DOWNLOAD | SHT_DECODED))
                        return code_taint(k, c->tok, c->taint, k->ci.base);
                if (sh_arg_known(c))
                        return sh_check_inline(k, c, k->ci.tool == TL_SHELL);
                return sh_rep(k, c->tok, "sh.code.shell-string", SEV_MEDIUM, "code_injection", false,
                              "%s runs a command string built at run time (%s)", k->ci.base, DISP(c));
        }
        if (ip.script >= 0 && !ip.stdin_code) {
                const struct sh_arg *s = &av->v[ip.script];
                if (s->vflags & SHV_PROCSUB) {
                        if (s->taint & SHT_DOWNLOAD)
                                return sh_rep(k, s->tok, "sh.download.subst-exec", SEV_CRITICAL,
                                              "download_exec", false,
                                              "%s runs a download through process substitution: remote code "
                                              "runs without review",
                                              k->ci.base);
                        return code_taint(k, s->tok, s->taint, k->ci.base);
                }
                const struct sh_file *f = sh_file_find(k, s, SHT_DOWNLOAD | SHT_DECODED);
                if (f)
                        return sh_rep(k, s->tok, "sh.download.file-exec", SEV_CRITICAL, "download_exec",
                                      false,
                                      "%s runs %s, written by %s on line %u: %s code runs without review",
                                      k->ci.base, DISP(s), f->how, f->line, sh_taint_source(f->taint));
                if (k->ci.tool == TL_SOURCE) {
                        struct scan_path_hit hit;
                        enum scan_path_kind kind = sh_classify(s, &hit);
                        if (kind == SCAN_PATH_SECRET)
                                return sh_rep(k, s->tok, "sh.sensitive_file.read",
                                              sh_local_dotenv(s, &hit) ? SEV_LOW : SEV_HIGH, "sensitive_file",
                                              !sh_local_dotenv(s, &hit), "%s loads %s (%s)", k->ci.base,
                                              DISP(s), hit.what);
                        if (kind == SCAN_PATH_PERSIST)
                                return sh_rep(k, s->tok, "sh.persistence.read", SEV_LOW, "persistence", false,
                                              "%s reads %s (%s)", k->ci.base, DISP(s), hit.what);
                }
                return 0;
        }
        if (ip.stdin_code && (r = check_stdin_code(k, shell)) < 0)
                return r;
        return 0;
}

int sh_check_eval(struct chk *k) {
        const struct sh_argv *av = k->av;
        uint8_t t = 0;
        uint16_t fl = 0;
        size_t total = 0;
        for (size_t i = k->ci.name + 1; i < av->n; i++) {
                t |= av->v[i].taint;
                fl |= av->v[i].vflags;
                total += av->v[i].n + 1;
        }
        if (k->ci.name + 1 >= av->n)
                return 0;
        if (t & (SHT_DOWNLOAD | SHT_DECODED)) {
                int r = code_taint(k, k->tok, t, "eval");
                if (r < 0 || (fl & SHV_UNKNOWN))
                        return r;
        } else if (fl & SHV_UNKNOWN) {
                bool output_only = (fl & SHV_SUBST) && !(fl & SHV_VAR);
                return sh_rep(k, k->tok, "sh.code.eval", output_only ? SEV_MEDIUM : SEV_HIGH,
                              "code_injection", false, "eval runs %s",
                              output_only ? "the output of a command" : "text built at run time");
        } else if (!(fl & SHV_DECODED)) {
                int r = sh_rep(k, k->tok, "sh.code.eval", SEV_MEDIUM, "code_injection", false,
                               "eval runs a constant string");
                if (r < 0)
                        return r;
        } else {
                int r = sh_rep(k, k->tok, "sh.obfuscation.decoded-exec", SEV_CRITICAL, "obfuscation", false,
                               "eval runs text decoded at run time (hidden code)");
                if (r < 0)
                        return r;
        }
        /* the text eval runs: the arguments joined by spaces */
        char *buf = malloc(total + 1);
        if (!buf)
                return -ENOMEM;
        size_t o = 0;
        for (size_t i = k->ci.name + 1; i < av->n; i++) {
                if (o)
                        buf[o++] = ' ';
                memcpy(buf + o, av->v[i].s, av->v[i].n);
                o += av->v[i].n;
        }
        const struct sh_arg *one = &av->v[k->ci.name + 1];
        int r;
        if (k->ci.name + 2 == av->n)
                r = sh_check_inline(k, one, true);
        else
                r = sh_analyse_inner(k->u, k->tok, buf, o, false, 0);
        free(buf);
        return r;
}

/* ---- network ---- */

static const char *net_rule(enum sh_tool t) {
        switch (t) {
        case TL_CURL: return "sh.network.curl";
        case TL_WGET: return "sh.network.wget";
        case TL_FETCH: return "sh.network.fetch";
        case TL_ARIA2C: return "sh.network.aria2c";
        case TL_HTTPIE: return "sh.network.httpie";
        case TL_NC: return "sh.network.nc";
        case TL_SOCAT: return "sh.network.socat";
        case TL_TELNET: return "sh.network.telnet";
        case TL_OPENSSL: return "sh.network.openssl";
        case TL_SSH: return "sh.network.ssh";
        case TL_SCP: return "sh.network.scp";
        case TL_SFTP: return "sh.network.sftp";
        case TL_RSYNC: return "sh.network.rsync";
        case TL_FTP: return "sh.network.ftp";
        case TL_GIT: return "sh.network.git";
        case TL_DNS: return "sh.network.dns";
        case TL_MAIL: return "sh.network.mail";
        default: return "sh.network.nmap";
        }
}

struct hosts {
        size_t n, undeclared, unknown;
        char first_bad[128], first[128];
};

/* A host written without a scheme: "example.com/x", "user@host:path", "10.0.0.1". */
static bool bare_host(const char *s, size_t n, char *host, size_t cap, uint16_t *port) {
        const char *at = memchr(s, '@', n);
        if (at && (size_t) (at - s) < n) {
                n -= (size_t) (at + 1 - s);
                s = at + 1;
        }
        size_t e = 0;
        while (e < n && s[e] != '/' && s[e] != ':')
                e++;
        if (e == 0 || e >= cap)
                return false;
        bool dot = false;
        for (size_t i = 0; i < e; i++) {
                char c = s[i];
                if (!(isalnum((unsigned char) c) || c == '.' || c == '-' || c == '_'))
                        return false;
                dot |= c == '.';
                host[i] = (char) tolower((unsigned char) c);
        }
        host[e] = '\0';
        if (!dot && strcmp(host, "localhost") != 0)
                return false;
        *port = 0;
        if (e < n && s[e] == ':') {
                unsigned long v = 0;
                size_t i = e + 1;
                for (; i < n && isdigit((unsigned char) s[i]) && v <= 65535; i++)
                        v = v * 10 + (unsigned) (s[i] - '0');
                if (i > e + 1 && v <= 65535)
                        *port = (uint16_t) v;
        }
        return true;
}

static void host_add(struct chk *k, struct hosts *h, const struct sh_arg *a, bool bare_ok) {
        char host[256];
        uint16_t port = 0;
        /* "https://api.x/v1?q=$Q" has a constant host; "https://$H/x" does not */
        bool ok = scan_url_host(a->s, a->n, host, sizeof(host), &port);
        if (!ok && !sh_arg_known(a)) {
                if (sh_arg_has(a, "://") || bare_ok)
                        h->unknown++;
                return;
        }
        if (!ok && bare_ok &&
            !(a->n && (a->s[0] == '/' || a->s[0] == '.' || a->s[0] == '~' || a->s[0] == '-')))
                ok = bare_host(a->s, a->n, host, sizeof(host), &port);
        if (!ok)
                return;
        h->n++;
        if (!h->first[0])
                snprintf(h->first, sizeof(h->first), "%.100s", host);
        if (!scan_perm_network(k->u->sc->ctx->perms, host, port)) {
                if (!h->undeclared++)
                        snprintf(h->first_bad, sizeof(h->first_bad), "%.100s", host);
        }
}

static int net_report(struct chk *k, const struct hosts *h) {
        const char *rule = net_rule(k->ci.tool);
        const char *t = k->ci.base;
        bool any = scan_perm_network(k->u->sc->ctx->perms, NULL, 0);
        sh_note_network(k->u);
        if (h->n && !h->undeclared && !h->unknown)
                return sh_rep(k, k->tok, rule, SEV_SAFE, "network", false,
                              "%s talks to %s (declared in skilllite.network)", t, h->first);
        if (h->undeclared)
                return sh_rep(k, k->tok, rule, SEV_MEDIUM, "network", false, "%s talks to %s, %s", t,
                              h->first_bad,
                              any ? "which skilllite.network does not declare"
                                  : "and no network access is declared");
        if (h->unknown)
                return sh_rep(k, k->tok, rule, SEV_MEDIUM, "network", false,
                              "%s talks to a host that is not a constant%s", t,
                              any ? "" : " (no network access declared)");
        return sh_rep(k, k->tok, rule, SEV_MEDIUM, "network", false, "%s uses the network%s", t,
                      any ? "" : " (no network access declared)");
}

/* ---- the families ---- */

int sh_check_network(struct chk *k) {
        const struct sh_argv *av = k->av;
        const struct sh_cmdinfo *ci = &k->ci;
        struct hosts h = { 0 };
        struct optit it;
        int r;
        uint8_t sent = sh_stdin_taint(k) & (SHT_SECRET | SHT_ENV);
        const struct sh_arg *secret = NULL;
        struct scan_path_hit hit = { 0 };
        for (size_t i = ci->name + 1; i < av->n; i++)
                sent |= av->v[i].taint & (SHT_SECRET | SHT_ENV);
        switch (ci->tool) {
        case TL_CURL:
        case TL_WGET:
        case TL_FETCH:
        case TL_ARIA2C:
        case TL_HTTPIE: {
                bool curl = ci->tool == TL_CURL;
                sh_optit_init(&it, av, ci->name + 1,
                              curl                  ? SH_CURL_SV
                              : ci->tool == TL_WGET ? SH_WGET_SV
                                                    : "odxsjUio",
                              curl ? sh_curl_long : sh_wget_long);
                while (sh_optit_next(&it)) {
                        if (!it.opt || (curl && sh_long_is(&it, "url"))) {
                                host_add(k, &h, &av->v[it.arg], true);
                                continue;
                        }
                        /* uploads: -d @f, -F k=@f, -T f, --data-binary @f, --post-file=f */
                        const char *v = it.val;
                        size_t vn = it.vn;
                        bool upload = false;
                        if (curl && (it.opt == 'd' || it.opt == 'F' || sh_long_is(&it, "data") ||
                                     sh_long_is(&it, "data-binary") || sh_long_is(&it, "data-urlencode") ||
                                     sh_long_is(&it, "data-ascii") || sh_long_is(&it, "json") ||
                                     sh_long_is(&it, "form"))) {
                                const char *at = v ? memchr(v, '@', vn) : NULL;
                                const char *lt = v ? memchr(v, '<', vn) : NULL;
                                const char *p = at ? at : lt;
                                if (p) {
                                        vn -= (size_t) (p + 1 - v);
                                        v = p + 1;
                                        upload = true;
                                }
                        } else if ((curl && (it.opt == 'T' || sh_long_is(&it, "upload-file"))) ||
                                   sh_long_is(&it, "post-file") || sh_long_is(&it, "body-file"))
                                upload = true;
                        if (!upload || !v)
                                continue;
                        struct sh_arg f = av->v[it.arg];
                        f.s = v, f.n = (uint32_t) vn, f.pkind = -1;
                        if (vn == 1 && v[0] == '-')
                                continue; /* stdin: the taint says what it is */
                        if (!secret && (sh_classify(&f, &hit) == SCAN_PATH_SECRET || sh_proc_environ(&f))) {
                                if (!hit.what)
                                        hit.what = "the environment of a process";
                                secret = &av->v[it.arg];
                        } else if (!secret && sh_secret_copy(k, &f)) {
                                hit.what = "a file filled with secrets earlier in the script";
                                secret = &av->v[it.arg];
                        }
                }
                struct dl d;
                sh_dl_parse(k, &d);
                for (size_t i = 0; i < d.nout; i++) {
                        struct sh_arg o = av->v[d.out[i].arg];
                        o.s = d.out[i].s, o.n = (uint32_t) d.out[i].n, o.pkind = -1;
                        struct scan_path_hit ph;
                        if (!d.out[i].remote_name && sh_classify(&o, &ph) == SCAN_PATH_PERSIST &&
                            (r = sh_rep(k, o.tok, "sh.persistence.write", SEV_CRITICAL, "persistence", false,
                                        "%s downloads into %s (%s): it runs at every start", ci->base,
                                        DISP(&o), ph.what)) < 0)
                                return r;
                        char path[256];
                        int pn = snprintf(path, sizeof(path), "%.*s%s%.*s", (int) (d.dir ? d.dirn : 0),
                                          d.dir ? d.dir : "", d.dir ? "/" : "", (int) o.n, o.s);
                        if (pn > 0)
                                sh_file_add(k, path,
                                            (size_t) pn < sizeof(path) ? (size_t) pn : sizeof(path) - 1,
                                            SHT_DOWNLOAD, ci->base);
                }
                break;
        }
        case TL_NC:
        case TL_TELNET: {
                /* -e / -c / --exec / --sh-exec hand a program to the peer */
                sh_optit_init(&it, av, ci->name + 1, ci->tool == TL_NC ? "ecpsiwqxXIMOPTV" : "bn", NULL);
                bool first = true;
                while (sh_optit_next(&it)) {
                        if (it.opt == 'e' || it.opt == 'c' || sh_long_is(&it, "exec") ||
                            sh_long_is(&it, "sh-exec") || sh_long_is(&it, "lua-exec")) {
                                sh_note_network(k->u);
                                return sh_rep(k, k->tok, "sh.download.reverse-shell", SEV_CRITICAL,
                                              "download_exec", false,
                                              "%s -%s hands a program to whoever is on the other end of the "
                                              "connection (reverse shell)",
                                              ci->base,
                                              it.opt == '-' ? "-exec" : (it.opt == 'e' ? "e" : "c"));
                        }
                        if (!it.opt && first) {
                                host_add(k, &h, &av->v[it.arg], true);
                                if (!h.n && !h.unknown && sh_arg_known(&av->v[it.arg])) {
                                        /* a bare name or an IP without a dot-name: still a host */
                                        h.n++;
                                        if (!scan_perm_network(k->u->sc->ctx->perms, av->v[it.arg].s, 0) &&
                                            !h.undeclared++)
                                                snprintf(h.first_bad, sizeof(h.first_bad), "%s",
                                                         DISP(&av->v[it.arg]));
                                }
                                first = false;
                        }
                }
                if ((sh_stdin_taint(k) & SHT_SHELL) &&
                    (r = sh_rep(k, k->tok, "sh.download.reverse-shell", SEV_CRITICAL, "download_exec", false,
                                "a shell's output is sent over %s (reverse shell)", ci->base)) < 0)
                        return r;
                break;
        }
        case TL_SOCAT:
                for (size_t i = ci->name + 1; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (a->n >= 5 &&
                            (strncasecmp(a->s, "exec:", 5) == 0 || strncasecmp(a->s, "system:", 7) == 0)) {
                                sh_note_network(k->u);
                                return sh_rep(
                                        k, a->tok, "sh.download.reverse-shell", SEV_CRITICAL, "download_exec",
                                        false,
                                        "socat connects a program (%s) to a network peer (reverse shell)",
                                        DISP(a));
                        }
                        const char *colon = memchr(a->s, ':', a->n);
                        if (colon && a->n > 4 &&
                            (strncasecmp(a->s, "tcp", 3) == 0 || strncasecmp(a->s, "udp", 3) == 0 ||
                             strncasecmp(a->s, "openssl", 7) == 0)) {
                                struct sh_arg hostpart = *a;
                                hostpart.pkind = -1;
                                hostpart.s = colon + 1;
                                hostpart.n = (uint32_t) (a->n - (size_t) (colon + 1 - a->s));
                                host_add(k, &h, &hostpart, true);
                        }
                        if (!secret && sh_classify(a, &hit) == SCAN_PATH_SECRET)
                                secret = a;
                }
                if ((sh_stdin_taint(k) & SHT_SHELL) &&
                    (r = sh_rep(k, k->tok, "sh.download.reverse-shell", SEV_CRITICAL, "download_exec", false,
                                "a shell's output is sent over socat (reverse shell)")) < 0)
                        return r;
                break;
        case TL_OPENSSL:
                if (ci->name + 1 >= av->n || !sh_arg_is(&av->v[ci->name + 1], "s_client"))
                        return 0;
                for (size_t i = ci->name + 2; i + 1 < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-connect"))
                                host_add(k, &h, &av->v[i + 1], true);
                if ((sh_stdin_taint(k) & SHT_SHELL) &&
                    (r = sh_rep(k, k->tok, "sh.download.reverse-shell", SEV_CRITICAL, "download_exec", false,
                                "a shell's output is sent over openssl (reverse shell)")) < 0)
                        return r;
                break;
        case TL_SSH: {
                size_t op = sh_first_operand(k, "bcDEeFIiJLlmOopQRSWw", NULL);
                if (op < av->n)
                        host_add(k, &h, &av->v[op], true);
                break;
        }
        case TL_SCP:
        case TL_SFTP:
        case TL_RSYNC: {
                /* remote when an operand is host:path or rsync://; the sources go out */
                const char *sv = ci->tool == TL_RSYNC ? "eBfT" : "cFiJloPS";
                sh_optit_init(&it, av, ci->name + 1, sv, NULL);
                size_t ops[SH_ARGV_MAX], nops = 0;
                while (sh_optit_next(&it))
                        if (!it.opt && nops < ELEMENTSOF(ops))
                                ops[nops++] = it.arg;
                bool remote = false;
                for (size_t i = 0; i < nops; i++) {
                        const struct sh_arg *a = &av->v[ops[i]];
                        const char *colon = memchr(a->s, ':', a->n);
                        const char *slash = memchr(a->s, '/', a->n);
                        if (sh_arg_has(a, "://") || (colon && colon > a->s && (!slash || colon < slash))) {
                                remote = true;
                                host_add(k, &h, a, true);
                        }
                }
                if (!remote && ci->tool != TL_SFTP)
                        return 0; /* a local copy */
                for (size_t i = 0; i + 1 < nops && !secret; i++) {
                        if (sh_classify(&av->v[ops[i]], &hit) == SCAN_PATH_SECRET)
                                secret = &av->v[ops[i]];
                        else if (sh_secret_copy(k, &av->v[ops[i]])) {
                                hit.what = "a file filled with secrets earlier in the script";
                                secret = &av->v[ops[i]];
                        }
                }
                break;
        }
        case TL_GIT: {
                size_t op = sh_first_operand(k, "Cc", NULL);
                static const char *const REMOTE[] = { "clone",   "fetch",     "pull",   "push", "ls-remote",
                                                      "archive", "submodule", "remote", NULL };
                if (op >= av->n || !sh_in_list(av->v[op].s, av->v[op].n, REMOTE))
                        return 0;
                for (size_t i = op + 1; i < av->n; i++)
                        if (sh_arg_has(&av->v[i], "://") || sh_arg_has(&av->v[i], "git@"))
                                host_add(k, &h, &av->v[i], sh_arg_has(&av->v[i], "git@"));
                if (!h.n && !h.unknown)
                        return 0; /* a named remote: configured elsewhere */
                break;
        }
        case TL_DNS:
        case TL_FTP:
        case TL_NMAP: {
                bool any = false;
                for (size_t i = ci->name + 1; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (a->n && a->s[0] != '-' && a->s[0] != '+' && a->s[0] != '@') {
                                host_add(k, &h, a, true);
                                any = true;
                        }
                }
                if (!any)
                        return 0;
                break;
        }
        default: /* mail */ break;
        }
        if (secret) {
                sh_note_network(k->u);
                if ((r = sh_rep(k, secret->tok, "sh.sensitive_file.upload", SEV_CRITICAL, "sensitive_file",
                                false, "%s sends %s (%s) over the network", ci->base, DISP(secret),
                                hit.what)) < 0)
                        return r;
        } else if (sent) {
                sh_note_network(k->u);
                if ((r = sh_rep(k, k->tok,
                                sent & SHT_SECRET ? "sh.sensitive_file.upload" : "sh.env_harvest.upload",
                                SEV_CRITICAL, sent & SHT_SECRET ? "sensitive_file" : "env_harvest", false,
                                "%s sends %s over the network", ci->base,
                                sent & SHT_SECRET ? "the content of a secret file"
                                                  : "a dump of the environment")) < 0)
                        return r;
        }
        return net_report(k, &h);
}
