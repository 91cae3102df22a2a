/* The JavaScript rules on input and output: network clients and the host they reach (against
 * the declared grants), file operations on secret and persistence paths, destructive deletes,
 * setuid bits, the whole environment leaving the process, and files written from the network
 * that are run later. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "rules_js_int.h"

/* ---- download and run ----------------------------------------------------------------------------- */

static bool same_path(const char *a, size_t an, const char *b, size_t bn) {
        while (an > 2 && a[0] == '.' && a[1] == '/')
                a += 2, an -= 2;
        while (bn > 2 && b[0] == '.' && b[1] == '/')
                b += 2, bn -= 2;
        return an == bn && memcmp(a, b, an) == 0;
}

/* A file written with data from the network: remembered for the whole file (pass 1 sees every
 * write before pass 2 judges the runs). */
void js_record_download(struct jsa *a, const char *s, size_t n) {
        struct jshared *sh = a->sh;
        if (!s || n == 0 || n > 4096 || sh->ndl >= ELEMENTSOF(sh->dl))
                return;
        for (size_t i = 0; i < sh->ndl; i++)
                if (same_path(sh->dl[i].p, sh->dl[i].n, s, n))
                        return;
        char *p = malloc(n + 1);
        if (!p) {
                sh->err = -ENOMEM;
                return;
        }
        memcpy(p, s, n);
        p[n] = '\0';
        sh->dl[sh->ndl].p = p;
        sh->dl[sh->ndl++].n = n;
}

static bool was_downloaded(const struct jsa *a, const char *s, size_t n) {
        for (size_t i = 0; i < a->sh->ndl; i++)
                if (same_path(a->sh->dl[i].p, a->sh->dl[i].n, s, n))
                        return true;
        return false;
}

bool js_report_download_run(struct jsa *a, uint32_t k, const struct who *w, const char *s, size_t n) {
        if (!a->reporting || !was_downloaded(a, s, n))
                return false;
        js_report(a, k, "js.download.exec", SEV_CRITICAL, "download_exec", ESC_NONE,
                  "%s runs %.*s, which this file writes with data downloaded from the network", w->text,
                  (int) (n > 80 ? 80 : n), s);
        return true;
}

/* ---- network ------------------------------------------------------------------------------------- */

static bool ip_literal(const char *h) {
        bool digits_dots = *h != '\0';
        for (const char *p = h; *p; p++)
                if (!((*p >= '0' && *p <= '9') || *p == '.'))
                        digits_dots = false;
        return digits_dots || strchr(h, ':') != NULL;
}

void js_env_exfil(struct jsa *a, uint32_t k, const struct jv *args, size_t n, const char *how) {
        for (size_t i = 0; i < n; i++)
                if (args[i].kind == JV_ENV || (args[i].flags & VF_ENVDATA)) {
                        js_report(a, k, "js.env_harvest.exfil", SEV_HIGH, "env_harvest", ESC_HARVEST,
                                  "the whole environment (process.env) is %s", how);
                        return;
                }
}

void js_net_report(struct jsa *a, uint32_t k, const char *rule, const struct who *w, const char *host,
                       uint16_t port, const struct jv *args, size_t n) {
        if (!a->reporting)
                return;
        a->sh->has_network = true;
        if (host && scan_perm_network(a->ctx->perms, host, port))
                js_report(a, k, rule, SEV_SAFE, "network", ESC_NONE, "%s connects to %s (declared)", w->text, host);
        else if (host)
                js_report(a, k, rule, SEV_MEDIUM, "network", ip_literal(host) ? ESC_NET : ESC_NONE,
                          "%s connects to %s, which the skill does not declare", w->text, host);
        else
                js_report(a, k, rule, SEV_MEDIUM, "network", ESC_NET, "%s connects to a host only known at run time",
                          w->text);
        js_env_exfil(a, k, args, n, "sent over the network");
}

/* The host of a URL value (a string, maybe with holes in its path). */
bool js_url_host(const struct jv *v, char *host, size_t cap, uint16_t *port) {
        if (v->kind != JV_STR)
                return false;
        return scan_url_host(v->s, v->n, host, cap, port);
}

bool js_str_host(const struct jv *v, char *host, size_t cap) {
        if (!jv_is_str(v) || v->n == 0 || v->n >= cap || memchr(v->s, '/', v->n) || memchr(v->s, ' ', v->n))
                return false;
        for (size_t i = 0; i < v->n; i++)
                host[i] = (char) (v->s[i] >= 'A' && v->s[i] <= 'Z' ? v->s[i] + 32 : v->s[i]);
        host[v->n] = '\0';
        return true;
}

enum hosts { HOSTS_UNKNOWN, HOSTS_DECLARED, HOSTS_UNDECLARED };

/* The URLs a parameter receives at every call site (fetch(url) in a helper called with
 * constant URLs): all declared, one undeclared (its host in bad), or not all known. */
static enum hosts param_hosts(struct jsa *a, const char *fn, size_t fnlen, uint32_t idx, unsigned hops, char *bad,
                              size_t badcap, uint16_t *badport) {
        const struct jsum *s = sum_get(a, fn, fnlen);
        if (!s || !s->ncalls || idx >= JS_ARGS_MAX || hops > JS_PARAM_HOPS)
                return HOSTS_UNKNOWN;
        const struct jsum_pos *ps = &s->pos[idx];
        if (ps->nonstr || ps->over)
                return HOSTS_UNKNOWN;
        enum hosts v = HOSTS_DECLARED;
        for (size_t i = 0; i < ps->nconst; i++) {
                char host[256];
                uint16_t port = 0;
                if (!js_url_host(ps->consts[i].v, host, sizeof(host), &port))
                        return HOSTS_UNKNOWN;
                if (!scan_perm_network(a->ctx->perms, host, port) && v == HOSTS_DECLARED) {
                        v = HOSTS_UNDECLARED;
                        snprintf(bad, badcap, "%s", host);
                        *badport = port;
                }
        }
        for (size_t i = 0; i < ps->nlinks; i++) {
                if (sum_get(a, ps->links[i].fn, ps->links[i].fnlen) == s)
                        return HOSTS_UNKNOWN;
                enum hosts r = param_hosts(a, ps->links[i].fn, ps->links[i].fnlen, ps->links[i].idx, hops + 1, bad,
                                           badcap, badport);
                if (r == HOSTS_UNKNOWN)
                        return r;
                if (r == HOSTS_UNDECLARED)
                        v = r;
        }
        return v;
}

void js_net_url(struct jsa *a, uint32_t k, const char *rule, const struct who *w, const struct jv *url,
                    const struct jv *args, size_t n) {
        char host[256];
        uint16_t port = 0;
        const struct jv *u = url;
        if (u->kind == JV_PARAM && a->reporting) {
                switch (param_hosts(a, u->s, u->n, u->aux, 0, host, sizeof(host), &port)) {
                case HOSTS_DECLARED:
                        a->sh->has_network = true;
                        js_report(a, k, rule, SEV_SAFE, "network", ESC_NONE,
                                  "%s connects to declared hosts (every caller passes a constant URL)", w->text);
                        js_env_exfil(a, k, args, n, "sent over the network");
                        return;
                case HOSTS_UNDECLARED:
                        js_net_report(a, k, rule, w, host, port, args, n);
                        return;
                case HOSTS_UNKNOWN:
                        break;
                }
        }
        if (u->kind == JV_OBJECT) {
                const struct jv *p = jv_prop(u, "url");
                if (!p)
                        p = jv_prop(u, "baseURL");
                u = p ? p : u;
        }
        if (js_url_host(u, host, sizeof(host), &port))
                js_net_report(a, k, rule, w, host, port, args, n);
        else
                js_net_report(a, k, rule, w, NULL, 0, args, n);
}

/* net.connect(port, host) / (options) and socket.connect(...) */
void js_net_host(struct jsa *a, uint32_t k, const struct who *w, const struct jv *args, size_t n) {
        char host[256];
        const struct jv *h = NULL, *p = NULL;
        if (n > 0 && args[0].kind == JV_OBJECT) {
                h = jv_prop(&args[0], "host");
                p = jv_prop(&args[0], "port");
                if (!h && jv_prop(&args[0], "path"))
                        return; /* a local IPC socket */
        } else if (n > 0 && args[0].kind == JV_STR && !(args[0].flags & VF_PARTIAL) && n == 1) {
                return; /* net.connect("/tmp/x.sock") */
        } else {
                p = n > 0 ? &args[0] : NULL;
                h = n > 1 ? &args[1] : NULL;
        }
        if (a->reporting) {
                js_pos(a, k, &a->sh->socket_line, &a->sh->socket_col, &a->sh->socket_off);
                a->sh->has_socket = true;
        }
        uint16_t port = p && p->kind == JV_NUM && p->num > 0 && p->num < 65536 ? (uint16_t) p->num : 0;
        if (h && h->kind == JV_STR && js_str_host(h, host, sizeof(host)))
                js_net_report(a, k, "js.network.socket", w, host, port, args, n);
        else if (!h || h->kind != JV_STR)
                js_net_report(a, k, "js.network.socket", w, h ? NULL : "localhost", port, args, n);
        else
                js_net_report(a, k, "js.network.socket", w, NULL, port, args, n);
}

/* ---- files --------------------------------------------------------------------------------------- */

enum scan_path_kind js_classify(const struct jv *p, struct scan_path_hit *hit) {
        *hit = (struct scan_path_hit) { SCAN_PATH_NONE, NULL };
        if (p->kind != JV_STR)
                return SCAN_PATH_NONE;
        return scan_path_classify(p->s, p->n, hit);
}

static bool home_or_abs(const struct jv *p) {
        return (p->flags & VF_HOME) || (p->n > 0 && (p->s[0] == '/' || p->s[0] == '~'));
}

static void secret_read(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p,
                        const struct scan_path_hit *hit, const char *verb) {
        if (!a->reporting)
                return;
        uint32_t key = p->origin != JS_NONE ? p->origin : k;
        if (hit->what && strstr(hit->what, "process environment")) {
                if (!js_seen(a, key, "js.env_harvest.proc-environ"))
                        js_report(a, k, "js.env_harvest.proc-environ", SEV_HIGH, "env_harvest", ESC_HARVEST,
                                  "%s %s /proc/self/environ, the whole environment of the process", w->text, verb);
                return;
        }
        if (hit->what && strstr(hit->what, ".env") && !home_or_abs(p)) {
                /* dotenv next to the script: how honest tools load their own configuration */
                js_report(a, k, "js.sensitive_file.dotenv", SEV_LOW, "sensitive_file", ESC_NONE, "%s %s a .env file",
                          w->text, verb);
                return;
        }
        if (js_seen(a, key, "js.sensitive_file"))
                return;
        js_report(a, k, "js.sensitive_file.read", SEV_HIGH, "sensitive_file", ESC_HARVEST, "%s %s %s (%.*s)", w->text,
                  verb, hit->what, (int) (p->n > 80 ? 80 : p->n), p->s);
}

void js_fs_read(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const char *verb) {
        struct scan_path_hit hit;
        enum scan_path_kind kind = js_classify(p, &hit);
        if (kind == SCAN_PATH_SECRET)
                secret_read(a, k, w, p, &hit, verb);
        else if (kind == SCAN_PATH_PERSIST && a->reporting)
                js_report(a, k, "js.persistence.read", SEV_LOW, "persistence", ESC_NONE, "%s %s %s", w->text, verb,
                          hit.what);
}

void js_fs_write(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const char *verb) {
        if (!a->reporting)
                return;
        struct scan_path_hit hit;
        enum scan_path_kind kind = js_classify(p, &hit);
        if (kind == SCAN_PATH_PERSIST)
                js_report(a, k, "js.persistence.write", SEV_CRITICAL, "persistence", ESC_NONE, "%s %s %s (%.*s)",
                          w->text, verb, hit.what, (int) (p->n > 80 ? 80 : p->n), p->s);
        else if (kind == SCAN_PATH_SECRET && !(hit.what && strstr(hit.what, ".env") && !home_or_abs(p)))
                js_report(a, k, "js.sensitive_file.write", SEV_HIGH, "sensitive_file", ESC_NONE, "%s %s %s", w->text,
                          verb, hit.what);
}

static bool mode_value(const struct jv *m, unsigned long *out, bool *setid_symbolic, bool *exec_symbolic) {
        *setid_symbolic = *exec_symbolic = false;
        if (m->kind == JV_NUM && m->num >= 0 && m->num < 65536) {
                *out = (unsigned long) m->num;
                return true;
        }
        if (!jv_is_str(m) || m->n == 0 || m->n > 16)
                return false;
        if (strspn(m->s, "01234567") == m->n) {
                *out = strtoul(m->s, NULL, 8);
                return true;
        }
        *setid_symbolic = memchr(m->s, 's', m->n) && memchr(m->s, '+', m->n);
        *exec_symbolic = memchr(m->s, 'x', m->n) && memchr(m->s, '+', m->n);
        return false;
}

void js_fs_chmod(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const struct jv *mode) {
        if (!a->reporting)
                return;
        unsigned long m = 0;
        bool sym_s, sym_x;
        bool num = mode_value(mode, &m, &sym_s, &sym_x);
        if ((num && (m & 06000)) || sym_s)
                js_report(a, k, "js.privilege.setuid-bit", SEV_CRITICAL, "privilege", ESC_NONE,
                          "%s sets the set-user-ID or set-group-ID bit", w->text);
        struct scan_path_hit hit;
        if (js_classify(p, &hit) == SCAN_PATH_PERSIST && ((num && (m & 0111)) || sym_x))
                js_report(a, k, "js.persistence.chmod", SEV_CRITICAL, "persistence", ESC_NONE,
                          "%s makes %s executable", w->text, hit.what);
}

static bool dangerous_rm_path(const struct jv *p) {
        static const char *const ROOTS[] = { "/", "/*", "~", "~/", "~/*", "..", "../", "/home", "/root", "/etc", "/usr",
                                             "/var", "/bin", "/lib", "/boot", "/opt", "/Users" };
        if (p->kind != JV_STR || (p->flags & VF_PARTIAL))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(ROOTS); i++)
                if (jv_streq(p, ROOTS[i]))
                        return true;
        struct scan_path_hit hit;
        return (p->flags & VF_HOME) && scan_path_classify(p->s, p->n, &hit) != SCAN_PATH_NONE;
}

void js_fs_rm(struct jsa *a, uint32_t k, const struct who *w, const struct jv *p, const struct jv *opts,
              bool recursive) {
        if (!a->reporting)
                return;
        if (opts) {
                const struct jv *r = jv_prop(opts, "recursive");
                recursive |= r && jv_truthy_const(r);
        }
        if (recursive && dangerous_rm_path(p))
                js_report(a, k, "js.destructive.rm", SEV_CRITICAL, "destructive", ESC_NONE,
                          "%s deletes %.*s recursively", w->text, (int) (p->n > 64 ? 64 : p->n), p->s);
}

/* ---- paths ----------------------------------------------------------------------------------------- */

struct jv js_path_join(struct jsa *a, uint32_t k, const struct who *w, const struct jv *args, size_t n) {
        if (n == 0)
                return jv_unknown(0);
        struct jfold f = { 0 };
        for (size_t i = 0; i < n; i++) {
                if (i)
                        jfold_add(&f, "/", 1);
                jfold_add_jv(&f, &args[i]);
        }
        struct jv v = jfold_end(a, &f, k);
        if (v.kind != JV_STR)
                return v;
        v.flags &= (uint16_t) ~(VF_BUILT | VF_EVASION);
        v.how = NULL;
        struct scan_path_hit hit;
        if (a->reporting && home_or_abs(&v) && scan_path_classify(v.s, v.n, &hit) == SCAN_PATH_SECRET &&
            !(hit.what && strstr(hit.what, "process environment")))
                secret_read(a, k, w, &v, &hit, "builds the path of");
        return v;
}

