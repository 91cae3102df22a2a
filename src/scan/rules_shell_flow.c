/* Shell analyser: what flows. The taint a command produces (downloaded, decoded, read from
 * a socket, a secret, the environment, a shell's output), along pipes, substitutions, variables
 * and functions, computed lazily and bounded. */
#include "rules_shell.h"

#include <string.h>

#include "../base/macros.h"

/* ---- taints ---- */

const char *const sh_curl_long[] = {
        "output",     "data",          "data-binary", "data-raw",    "data-urlencode",
        "data-ascii", "json",          "form",        "form-string", "header",
        "user-agent", "user",          "upload-file", "url",         "proxy",
        "request",    "cookie",        "cookie-jar",  "referer",     "cert",
        "key",        "cacert",        "capath",      "config",      "connect-timeout",
        "max-time",   "retry",         "write-out",   "output-dir",  "dump-header",
        "range",      "resolve",       "connect-to",  "interface",   "limit-rate",
        "netrc-file", "oauth2-bearer", "proxy-user",  "retry-delay", "retry-max-time",
        "time-cond",  "trace",         "trace-ascii", "unix-socket", "max-filesize",
        "max-redirs", "noproxy",       "variable",    "aws-sigv4",   "mail-from",
        "mail-rcpt",  "ciphers",       NULL
};
const char *const sh_wget_long[] = { "output-document", "output-file",  "append-output", "directory-prefix",
                                     "user-agent",      "header",       "post-data",     "post-file",
                                     "body-data",       "body-file",    "method",        "user",
                                     "password",        "timeout",      "tries",         "wait",
                                     "input-file",      "execute",      "level",         "accept",
                                     "reject",          "load-cookies", "save-cookies",  "ca-certificate",
                                     "certificate",     "private-key",  "referer",       NULL };

void sh_dl_parse(const struct chk *k, struct dl *d) {
        const struct sh_cmdinfo *ci = &k->ci;
        struct optit it;
        *d = (struct dl){ .to_stdout = ci->tool == TL_CURL || ci->tool == TL_HTTPIE, .url = -1 };
        const char *sv = ci->tool == TL_CURL ? SH_CURL_SV : ci->tool == TL_WGET ? SH_WGET_SV : "odxsjUio";
        sh_optit_init(&it, k->av, ci->name + 1, sv, ci->tool == TL_CURL ? sh_curl_long : sh_wget_long);
        bool remote = false;
        while (sh_optit_next(&it)) {
                if (!it.opt) {
                        if (d->url < 0)
                                d->url = (int32_t) it.arg;
                        continue;
                }
                bool file_opt = false;
                switch (ci->tool) {
                case TL_CURL:
                        if ((it.opt == 'o' || sh_long_is(&it, "output")) && it.val)
                                file_opt = true;
                        else if (it.opt == 'O' || sh_long_is(&it, "remote-name") ||
                                 sh_long_is(&it, "remote-name-all"))
                                remote = true;
                        else if (sh_long_is(&it, "output-dir") && it.val)
                                d->dir = it.val, d->dirn = it.vn;
                        else if (sh_long_is(&it, "url") && it.val && d->url < 0)
                                d->url = (int32_t) it.arg;
                        break;
                case TL_WGET:
                        if ((it.opt == 'O' || sh_long_is(&it, "output-document")) && it.val)
                                file_opt = true;
                        else if ((it.opt == 'P' || sh_long_is(&it, "directory-prefix")) && it.val)
                                d->dir = it.val, d->dirn = it.vn;
                        break;
                case TL_HTTPIE:
                        if ((it.opt == 'o' || sh_long_is(&it, "output")) && it.val)
                                file_opt = true;
                        else if (it.opt == 'd' || sh_long_is(&it, "download"))
                                d->to_stdout = false, remote = true;
                        break;
                default: /* fetch -o, aria2c -o / -d */
                        if (it.opt == 'o' && it.val)
                                file_opt = true;
                        else if (it.opt == 'd' && it.val)
                                d->dir = it.val, d->dirn = it.vn;
                        break;
                }
                if (file_opt) {
                        if (it.vn == 1 && it.val[0] == '-')
                                d->to_stdout = true;
                        else if (d->nout < ELEMENTSOF(d->out)) {
                                d->out[d->nout].s = it.val, d->out[d->nout].n = it.vn;
                                d->out[d->nout].arg = it.arg, d->out[d->nout].remote_name = false;
                                d->nout++;
                                if (ci->tool == TL_CURL || ci->tool == TL_HTTPIE)
                                        d->to_stdout = false;
                        }
                }
        }
        bool default_file = ci->tool == TL_WGET || ci->tool == TL_FETCH || ci->tool == TL_ARIA2C;
        if ((remote || (default_file && !d->to_stdout && d->nout == 0)) && d->url >= 0 &&
            d->nout < ELEMENTSOF(d->out)) {
                const struct sh_arg *u = &k->av->v[d->url];
                const char *q = memchr(u->s, '?', u->n);
                size_t n = q ? (size_t) (q - u->s) : u->n;
                size_t b = n;
                while (b > 0 && u->s[b - 1] != '/')
                        b--;
                if (b < n) {
                        d->out[d->nout].s = u->s + b, d->out[d->nout].n = n - b;
                        d->out[d->nout].arg = (size_t) d->url, d->out[d->nout].remote_name = true;
                        d->nout++;
                }
                if (ci->tool == TL_CURL)
                        d->to_stdout = false;
        }
}

bool sh_is_decoder(const struct chk *k) {
        const struct sh_argv *av = k->av;
        size_t a = k->ci.name + 1;
        switch (k->ci.tool) {
        case TL_BASE64:
        case TL_BASE32:
                for (size_t i = a; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "--decode") ||
                            (av->v[i].n >= 2 && av->v[i].s[0] == '-' && av->v[i].s[1] != '-' &&
                             (memchr(av->v[i].s, 'd', av->v[i].n) || memchr(av->v[i].s, 'D', av->v[i].n))))
                                return true;
                return false;
        case TL_XXD:
                for (size_t i = a; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-r") || sh_arg_is(&av->v[i], "-revert") ||
                            sh_arg_is(&av->v[i], "-rp") || sh_arg_is(&av->v[i], "-pr"))
                                return true;
                return false;
        case TL_REV:
        case TL_UNCOMPRESS:
        case TL_UUDECODE: return true;
        case TL_TR:
                return av->n == a + 2 &&
                       (sh_arg_is(&av->v[a + 1], "N-ZA-Mn-za-m") || sh_arg_is(&av->v[a + 1], "n-za-mN-ZA-M"));
        case TL_READER: /* gzip -d, xz -d, openssl enc -d / base64 -d */
                if (!strchr("gxbz", k->ci.base[0])) /* most readers (sort, head, grep) are none of them */
                        return false;
                if (strcmp(k->ci.base, "gzip") == 0 || strcmp(k->ci.base, "xz") == 0 ||
                    strcmp(k->ci.base, "bzip2") == 0 || strcmp(k->ci.base, "zstd") == 0)
                        for (size_t i = a; i < av->n; i++)
                                if (sh_arg_is(&av->v[i], "-d") || sh_arg_is(&av->v[i], "-dc") ||
                                    sh_arg_is(&av->v[i], "-cd") || sh_arg_is(&av->v[i], "--decompress"))
                                        return true;
                return false;
        case TL_OPENSSL:
                for (size_t i = a; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-d") || sh_arg_is(&av->v[i], "-base64") ||
                            sh_arg_is(&av->v[i], "base64"))
                                return i > a &&
                                       (sh_arg_is(&av->v[a], "enc") || sh_arg_is(&av->v[a], "base64"));
                return false;
        default: return false;
        }
}

bool sh_env_dump(const struct chk *k) {
        const struct sh_argv *av = k->av;
        size_t a = k->ci.name + 1;
        switch (k->ci.tool) {
        case TL_ENV:
                for (size_t i = a; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-i") || sh_arg_is(&av->v[i], "--ignore-environment"))
                                return false;
                return true;
        case TL_PRINTENV:
                for (size_t i = a; i < av->n; i++)
                        if (av->v[i].n && av->v[i].s[0] != '-')
                                return false;
                return true;
        case TL_SET: return av->n == a;
        case TL_EXPORT:
                return strcmp(k->ci.base, "export") == 0 &&
                       (av->n == a || (av->n == a + 1 && sh_arg_is(&av->v[a], "-p")));
        case TL_DECLARE:
                for (size_t i = a; i < av->n; i++)
                        if (!(av->v[i].n >= 2 && av->v[i].s[0] == '-' &&
                              strspn(av->v[i].s + 1, "px") == av->v[i].n - 1))
                                return false;
                return true;
        case TL_COMPGEN:
                for (size_t i = a; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-v") || sh_arg_is(&av->v[i], "-e") ||
                            sh_arg_is(&av->v[i], "variable") || sh_arg_is(&av->v[i], "export"))
                                return true;
                return false;
        default: return false;
        }
}

bool sh_reads_files(enum sh_tool t) {
        return t == TL_READER || t == TL_AWK || t == TL_SED || t == TL_CP || t == TL_MV || t == TL_BASE64 ||
               t == TL_BASE32 || t == TL_XXD || t == TL_FIND || t == TL_DD || t == TL_INSTALL || t == TL_LN ||
               t == TL_OPENSSL || t == TL_SOURCE || t == TL_TEE;
}

/* The first argument naming a secret (for a file-reading command). */
const struct sh_arg *sh_secret_arg(const struct chk *k, struct scan_path_hit *hit) {
        if (!sh_reads_files(k->ci.tool) || k->ci.tool == TL_TEE)
                return NULL;
        for (size_t i = k->ci.name + 1; i < k->av->n; i++) {
                const struct sh_arg *a = &k->av->v[i];
                struct sh_arg v = *a;
                if (k->ci.tool == TL_DD) { /* dd if=FILE */
                        if (a->n < 4 || memcmp(a->s, "if=", 3) != 0)
                                continue;
                        v.s += 3, v.n -= 3;
                        v.pkind = -1;
                }
                if ((k->ci.tool == TL_CP || k->ci.tool == TL_MV || k->ci.tool == TL_INSTALL) &&
                    i + 1 == k->av->n)
                        break; /* the destination */
                if (sh_classify(k->ci.tool == TL_DD ? &v : a, hit) == SCAN_PATH_SECRET)
                        return a;
                if (sh_proc_environ(&v)) {
                        *hit = (struct scan_path_hit){ SCAN_PATH_SECRET, "the environment of a process" };
                        return a;
                }
        }
        return NULL;
}

/* A file the script filled with secrets earlier (tar czf k.tgz ~/.ssh; cat key > /tmp/k). */
const struct sh_file *sh_secret_copy(const struct chk *k, const struct sh_arg *a) {
        return sh_file_find(k, a, SHT_SECRET);
}

uint8_t sh_own_from(struct chk *k, unsigned depth) {
        struct sh_unit *u = k->u;
        uint8_t t = 0;
        for (size_t i = 0; i < k->av->n; i++)
                t |= k->av->v[i].taint;
        if (u->c[k->c].body >= 0)
                t |= sh_list_taint(u, u->c[k->c].body, depth + 1);
        t |= sh_redir_in_taint(u, k->c, depth + 1);
        if (!k->ci.name_known)
                return t;
        enum sh_tool tl = k->ci.tool;
        if (tl == TL_NONE)
                t |= sh_func_taint(u, k->ci.base, strlen(k->ci.base), depth);
        struct scan_path_hit hit;
        if (tl == TL_CURL || tl == TL_WGET || tl == TL_FETCH || tl == TL_HTTPIE) {
                struct dl d;
                sh_dl_parse(k, &d);
                if (d.to_stdout)
                        t |= SHT_DOWNLOAD;
        }
        if (sh_is_decoder(k))
                t |= SHT_DECODED;
        if (tl == TL_NC || tl == TL_SOCAT || tl == TL_TELNET ||
            (tl == TL_OPENSSL && k->ci.name + 1 < k->av->n &&
             sh_arg_is(&k->av->v[k->ci.name + 1], "s_client")))
                t |= SHT_NETSOCK;
        if (sh_env_dump(k))
                t |= SHT_ENV;
        const struct sh_arg *sa = sh_secret_arg(k, &hit);
        if (sa)
                t |= sh_proc_environ(sa) ? SHT_ENV : SHT_SECRET;
        else if (sh_reads_files(tl))
                for (size_t i = k->ci.name + 1; i < k->av->n; i++)
                        if (sh_secret_copy(k, &k->av->v[i]))
                                t |= SHT_SECRET;
        if (tl == TL_SHELL) {
                bool operand = false;
                for (size_t i = k->ci.name + 1; i < k->av->n; i++)
                        if (k->av->v[i].n && (k->av->v[i].s[0] != '-' || sh_arg_is(&k->av->v[i], "-c")))
                                operand = true;
                if (!operand)
                        t |= SHT_SHELL;
        }
        return t;
}

/* The taint of a command that is neither a tool nor a wrapper: what its words carry (echo "$X",
 * my_func "$(curl ..)"), its input redirections, its body, and a shell function's output. */
uint8_t sh_ordinary_own(struct chk *k, unsigned depth) {
        struct sh_unit *u = k->u;
        uint8_t t = 0;
        for (int32_t w = u->c[k->c].w_first; w >= 0; w = u->w[w].next)
                if (u->w[w].sub_first >= 0 || u->w[w].te > u->w[w].tb + 1 ||
                    u->toks->v[u->w[w].tb].kind == TOK_WORD)
                        t |= sh_word_taint(u, w, depth + 1);
        if (u->c[k->c].body >= 0)
                t |= sh_list_taint(u, u->c[k->c].body, depth + 1);
        t |= sh_redir_in_taint(u, k->c, depth + 1);
        t |= sh_func_taint(u, k->ci.base, strlen(k->ci.base), depth);
        return t;
}

uint8_t sh_cmd_own_taint(struct sh_unit *u, int32_t c, unsigned depth) {
        struct sh_cmd *cmd = &u->c[c];
        if (cmd->own_done)
                return cmd->own;
        if (cmd->own_busy)
                return 0;
        struct sh_argv *av = depth < SH_EVAL_DEPTH ? sh_argv_at(u->sc, depth) : NULL;
        if (!av) {
                sh_cut(u);
                return 0;
        }
        size_t cuts = u->sc->cuts;
        cmd->own_busy = true;
        struct chk k = { .u = u, .c = c, .av = av, .feeder = -1 };
        sh_argv_begin(u, c, av, depth);
        sh_resolve(u, c, av, &k.ci);
        uint8_t t;
        if (k.ci.name_known && sh_tool_ordinary(k.ci.tool) && !k.ci.wrap)
                t = sh_ordinary_own(&k, depth);
        else {
                sh_argv_complete(av);
                t = sh_own_from(&k, depth);
        }
        cmd = &u->c[c];
        cmd->own_busy = false;
        cmd->own_done = u->sc->cuts == cuts;
        cmd->own = t;
        return t;
}

uint8_t sh_list_taint(struct sh_unit *u, int32_t l, unsigned depth) {
        if (l < 0 || (size_t) l >= u->nl)
                return 0;
        if (u->l[l].taint_done)
                return u->l[l].taint;
        if ((depth >= SH_EVAL_DEPTH && sh_cut(u)) || !sh_step(u))
                return 0;
        size_t cuts = u->sc->cuts;
        uint8_t t = 0;
        uint8_t kind = u->l[l].kind;
        for (int32_t c = u->l[l].first_cmd; c >= 0 && kind != SHL_ARRAY && kind != SHL_PATTERN; c = u->c[c].next)
                t |= sh_cmd_own_taint(u, c, depth);
        u->l[l].taint = t;
        u->l[l].taint_done = u->sc->cuts == cuts;
        return t;
}

/* Taint arriving through redirections: a here-string's word, the substitutions of an unquoted
 * here-doc body, a secret file read with "<". */
uint8_t sh_redir_in_taint(struct sh_unit *u, int32_t c, unsigned depth) {
        uint8_t t = 0;
        for (int32_t r = u->c[c].r_first; r >= 0; r = u->r[r].next) {
                const struct sh_redir *rd = &u->r[r];
                for (int32_t l = rd->sub_first; l >= 0; l = u->l[l].next_sibling)
                        t |= sh_list_taint(u, l, depth);
                if ((rd->kind == SHR_HERESTR || rd->kind == SHR_IN) && rd->word >= 0 &&
                    depth < SH_EVAL_DEPTH) {
                        char buf[512];
                        struct sh_arg a;
                        sh_word_value(u, rd->word, 0, buf, sizeof(buf), &a, depth);
                        t |= a.taint;
                        struct scan_path_hit hit;
                        if (rd->kind == SHR_IN &&
                            (sh_classify(&a, &hit) == SCAN_PATH_SECRET || sh_proc_environ(&a)))
                                t |= SHT_SECRET;
                }
        }
        return t;
}
