/* What a dependency environment holds and its key: requirement names normalised per ecosystem,
 * lists sorted and de-duplicated, hashed as length-prefixed records; and the network grant a
 * build gets from the package index URL. Pure code, unit-tested in tests/unit/test_env.c. */
#include "env.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/buf.h"
#include "../skill/netgrant.h"

#define ENV_KEY_TAG "skilllite-env-v1"
#define ENV_REQ_NAME_MAX 214  /* npm's limit; PyPI names are shorter in practice */
#define ENV_REQ_SPEC_MAX 4096
#define ENV_REQS_MAX 4096     /* per list (the extraction keeps at most DEPS_MAX anyway) */

const char *env_lang_to_string(enum env_lang l) {
        return l == ENV_NODE ? "node" : "python";
}

static bool is_alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/* PEP 503: lower-case, every run of "-", "_", "." becomes one "-". The name must be a PEP 508
 * name ([A-Za-z0-9] at both ends, [A-Za-z0-9._-] between). */
static int pypi_normalize(const char *s, char **ret) {
        size_t n = strlen(s);
        if (n == 0 || n > ENV_REQ_NAME_MAX || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
                return -EINVAL;
        char *out = malloc(n + 1), *o = out;
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (is_alnum(s[i]))
                        *o++ = lower(s[i]);
                else if (s[i] == '-' || s[i] == '_' || s[i] == '.') {
                        if (o[-1] != '-') /* s[0] is alnum, so o > out here */
                                *o++ = '-';
                } else {
                        free(out);
                        return -EINVAL;
                }
        }
        *o = '\0';
        *ret = out;
        return 0;
}

/* npm: "[@scope/]name" in URL-safe characters, lower-cased; no leading "." or "_". */
static int npm_normalize(const char *s, char **ret) {
        static const char EXTRA[] = "-._~!*'()";
        size_t n = strlen(s), slashes = 0;
        if (n == 0 || n > ENV_REQ_NAME_MAX || s[0] == '.' || s[0] == '_')
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == '/') {
                        /* only "@scope/name", with both parts non-empty */
                        if (s[0] != '@' || ++slashes > 1 || i < 2 || i + 1 == n)
                                return -EINVAL;
                } else if (!(is_alnum(s[i]) || (s[i] && strchr(EXTRA, s[i])) || (i == 0 && s[i] == '@')))
                        return -EINVAL;
        }
        if (s[0] == '@' && slashes != 1)
                return -EINVAL;
        char *out = strdup(s);
        if (!out)
                return -ENOMEM;
        for (char *c = out; *c; c++)
                *c = lower(*c);
        *ret = out;
        return 0;
}

/* A spec goes into a requirements file (pip) or JSON (npm). For pip it must be version clauses
 * only: no blank (pip splits per-requirement options at one), no ';', '@', '#' or newline. */
static bool spec_ok(enum env_lang lang, const char *spec) {
        size_t n = strlen(spec);
        if (n > ENV_REQ_SPEC_MAX)
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) spec[i];
                if (c < 0x20 || c == 0x7f)
                        return false;
                if (lang == ENV_PYTHON && !is_alnum((char) c) && !strchr("<>=!~,.*+_-", (char) c))
                        return false;
        }
        return true;
}

int env_spec_add(struct env_spec *s, bool locked, const char *name, const char *spec) {
        struct env_req **list = locked ? &s->locked : &s->reqs;
        size_t *n = locked ? &s->n_locked : &s->n_reqs;
        if (!name || !spec || (locked && s->lang != ENV_NODE) || !spec_ok(s->lang, spec))
                return -EINVAL;
        if (*n >= ENV_REQS_MAX)
                return -E2BIG;
        char *norm = NULL;
        int r = s->lang == ENV_PYTHON ? pypi_normalize(name, &norm) : npm_normalize(name, &norm);
        if (r < 0)
                return r;
        char *spec_copy = strdup(spec);
        struct env_req *grown = spec_copy ? reallocarray(*list, *n + 1, sizeof(**list)) : NULL;
        if (!grown) {
                free(norm);
                free(spec_copy);
                return -ENOMEM;
        }
        *list = grown;
        grown[(*n)++] = (struct env_req) { norm, spec_copy };
        return 0;
}

static int req_cmp(const void *a, const void *b) {
        const struct env_req *x = a, *y = b;
        int c = strcmp(x->name, y->name);
        return c ? c : strcmp(x->spec, y->spec);
}

static void reqs_sort_unique(struct env_req *v, size_t *n) {
        if (*n < 2)
                return;
        qsort(v, *n, sizeof(*v), req_cmp);
        size_t w = 1;
        for (size_t i = 1; i < *n; i++) {
                if (req_cmp(&v[w - 1], &v[i]) == 0) {
                        free(v[i].name);
                        free(v[i].spec);
                        continue;
                }
                v[w++] = v[i];
        }
        *n = w;
}

static int put_record(struct sha256_ctx *ctx, const char *s, size_t n) {
        unsigned char len[8];
        for (int i = 0; i < 8; i++)
                len[i] = (unsigned char) ((uint64_t) n >> (56 - 8 * i));
        int r = sha256_update(ctx, len, sizeof(len));
        return r < 0 ? r : sha256_update(ctx, s, n);
}

static int put_string(struct sha256_ctx *ctx, const char *s) {
        return put_record(ctx, s, strlen(s));
}

static int put_list(struct sha256_ctx *ctx, const char *label, const struct env_req *v, size_t n) {
        char count[32];
        snprintf(count, sizeof(count), "%zu", n);
        int r = put_string(ctx, label);
        r = r < 0 ? r : put_string(ctx, count);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = put_string(ctx, v[i].name);
                r = r < 0 ? r : put_string(ctx, v[i].spec);
        }
        return r;
}

int env_key(const struct env_spec *s, char out[SHA256_HEX_BYTES]) {
        if (!s->runtime || !s->index)
                return -EINVAL;
        struct sha256_ctx ctx = { 0 };
        uint8_t digest[SHA256_DIGEST_BYTES];
        int r = sha256_init(&ctx);
        r = r < 0 ? r : put_string(&ctx, ENV_KEY_TAG);
        r = r < 0 ? r : put_string(&ctx, env_lang_to_string(s->lang));
        r = r < 0 ? r : put_string(&ctx, s->runtime);
        r = r < 0 ? r : put_string(&ctx, s->index);
        r = r < 0 ? r : put_string(&ctx, s->allow_sdist ? "sdist" : "binary-only");
        r = r < 0 ? r : put_list(&ctx, "requirements", s->reqs, s->n_reqs);
        r = r < 0 ? r : put_list(&ctx, "locked", s->locked, s->n_locked);
        r = r < 0 ? r : sha256_final(&ctx, digest);
        sha256_ctx_free(&ctx);
        if (r < 0)
                return r;
        sha256_to_hex(digest, out);
        return 0;
}

int env_spec_finish(struct env_spec *s) {
        reqs_sort_unique(s->reqs, &s->n_reqs);
        reqs_sort_unique(s->locked, &s->n_locked);
        char hex[SHA256_HEX_BYTES];
        int r = env_key(s, hex);
        if (r < 0)
                return r;
        snprintf(s->name, sizeof(s->name), "%s-%s", env_lang_to_string(s->lang), hex);
        return 0;
}

static void reqs_free(struct env_req *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(v[i].name);
                free(v[i].spec);
        }
        free(v);
}

void env_spec_done(struct env_spec *s) {
        reqs_free(s->reqs, s->n_reqs);
        reqs_free(s->locked, s->n_locked);
        free(s->runtime);
        free(s->index);
        free(s->lockfile);
        free(s->lockfile_name);
        *s = (struct env_spec) { 0 };
}

char *env_req_pip_line(const struct env_req *r) {
        char *line = NULL;
        return asprintf(&line, "%s%s", r->name, r->spec) < 0 ? NULL : line;
}

/* ---- the package index ---------------------------------------------------------------------- */

const char *env_index_url(enum env_lang lang) {
        const char *v = NULL;
        if (lang == ENV_PYTHON)
                v = getenv("PIP_INDEX_URL");
        else {
                v = getenv("NPM_CONFIG_REGISTRY");
                if (!v || !*v)
                        v = getenv("npm_config_registry");
        }
        return v && *v ? v : lang == ENV_PYTHON ? ENV_DEFAULT_PIP_INDEX : ENV_DEFAULT_NPM_REGISTRY;
}

/* A literal IPv4 (dotted quad only) or IPv6 address in 127/8 or ::1. Names ("localhost") do not
 * count: what they resolve to is the resolver's business, and the rule is about what the
 * operator wrote. */
static bool literal_loopback(const char *host, bool v6) {
        struct sockaddr_storage ss = { 0 };
        if (v6) {
                struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;
                a->sin6_family = AF_INET6;
                if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
                        return false;
        } else {
                struct sockaddr_in *a = (struct sockaddr_in *) &ss;
                a->sin_family = AF_INET;
                if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
                        return false;
        }
        return net_addr_classify((const struct sockaddr *) &ss) == NET_ADDR_LOOPBACK;
}

int env_index_grants(const char *url, char **ret_grants, bool *ret_loopback, char **ret_public,
                     struct error *err) {
        size_t n = url ? strlen(url) : 0;
        if (n == 0 || n > ENV_URL_MAX)
                return error_set(err, -EINVAL, "the package index URL is empty or longer than %d bytes",
                                 ENV_URL_MAX);
        for (size_t i = 0; i < n; i++)
                if ((unsigned char) url[i] <= 0x20 || url[i] == 0x7f)
                        return error_set(err, -EINVAL, "the package index URL contains a blank or a "
                                         "control character");
        uint16_t port;
        size_t scheme_len;
        if (strncasecmp(url, "https://", 8) == 0)
                port = 443, scheme_len = 8;
        else if (strncasecmp(url, "http://", 7) == 0)
                port = 80, scheme_len = 7;
        else
                return error_set(err, -EINVAL, "the package index URL must start with http:// or https://");
        const char *auth = url + scheme_len;
        size_t auth_len = strcspn(auth, "/?#");
        /* user:password@ stays out of the grant, the key and anything shown */
        const char *at = memrchr(auth, '@', auth_len);
        const char *hostport = at ? at + 1 : auth;
        size_t hp_len = auth_len - (size_t) (hostport - auth);
        char host[256];
        const char *port_s = NULL;
        size_t host_len, port_len = 0;
        bool v6 = hp_len > 0 && hostport[0] == '[';
        if (v6) {
                const char *close = memchr(hostport, ']', hp_len);
                if (!close)
                        return error_set(err, -EINVAL, "the package index URL has an unclosed '['");
                host_len = (size_t) (close - hostport) - 1;
                memcpy(host, hostport + 1, host_len < sizeof(host) ? host_len : 0);
                if (close + 1 < hostport + hp_len) {
                        if (close[1] != ':')
                                return error_set(err, -EINVAL, "the package index URL has text after ']'");
                        port_s = close + 2;
                        port_len = (size_t) (hostport + hp_len - port_s);
                }
        } else {
                const char *colon = memchr(hostport, ':', hp_len);
                host_len = colon ? (size_t) (colon - hostport) : hp_len;
                memcpy(host, hostport, host_len < sizeof(host) ? host_len : 0);
                if (colon) {
                        port_s = colon + 1;
                        port_len = (size_t) (hostport + hp_len - port_s);
                }
        }
        if (host_len == 0 || host_len >= sizeof(host))
                return error_set(err, -EINVAL, "the package index URL has no usable host");
        host[host_len] = '\0';
        /* Only host-name or address characters: a ',' would add a grant of its own. */
        for (size_t i = 0; i < host_len; i++)
                if (!is_alnum(host[i]) && !strchr(v6 ? ":." : ".-_", host[i]))
                        return error_set(err, -EINVAL, "the package index URL's host '%s' is not a host name "
                                         "or an IP address", host);
        if (port_s) {
                unsigned v = 0;
                if (port_len == 0 || port_len > 5)
                        return error_set(err, -EINVAL, "the package index URL has a bad port");
                for (size_t i = 0; i < port_len; i++) {
                        if (port_s[i] < '0' || port_s[i] > '9')
                                return error_set(err, -EINVAL, "the package index URL has a bad port");
                        v = v * 10 + (unsigned) (port_s[i] - '0');
                }
                if (v == 0 || v > 65535)
                        return error_set(err, -EINVAL, "the package index URL has a bad port");
                port = (uint16_t) v;
        }
        _cleanup_buf_ struct buf grants = BUF_INIT(1024);
        int r = v6 ? buf_printf(&grants, "[%s]:%u", host, (unsigned) port)
                   : buf_printf(&grants, "%s:%u", host, (unsigned) port);
        /* pypi.org's simple pages link the files on another host */
        if (r == 0 && strcasecmp(host, "pypi.org") == 0)
                r = buf_printf(&grants, "," ENV_PYPI_FILES_HOST ":%u", (unsigned) port);
        if (r < 0)
                return error_set(err, -ENOMEM, "out of memory");
        /* The same grammar the plan will apply: what passes here is what the proxy enforces. */
        struct net_grants check = { 0 };
        struct error gerr = ERROR_INIT;
        r = net_grants_parse(&check, grants.data, "the package index URL", &gerr);
        net_grants_done(&check);
        if (r < 0)
                return error_set(err, r, "%s", gerr.msg);
        _cleanup_free_ char *public = NULL;
        if (asprintf(&public, "%.*s%s", (int) scheme_len, url, hostport) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        *ret_loopback = literal_loopback(host, v6);
        *ret_grants = buf_steal(&grants);
        if (!*ret_grants)
                return error_set(err, -ENOMEM, "out of memory");
        *ret_public = TAKE_PTR(public);
        return 0;
}
