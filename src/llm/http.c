/* JSON over HTTP with a lazily loaded libcurl (http.h): the symbol table, one-time global
 * initialisation, the per-request options that keep a URL from the environment on http/https and
 * a body within its cap, and the mapping of libcurl's failures to -errno. */
#include "http.h"

/* Plain prototypes (not curl's type-checking macros): the calls go through a table below. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/lazylib.h"
#include "config.h"

/* libcurl is loaded on the first request (base/lazylib.h: linked, it and its ~25 dependencies
 * would be mapped at every start of `skilllite run`). Calls below go through this table. */
static struct {
        __typeof__(curl_easy_cleanup) *curl_easy_cleanup;
        __typeof__(curl_easy_getinfo) *curl_easy_getinfo;
        __typeof__(curl_easy_init) *curl_easy_init;
        __typeof__(curl_easy_perform) *curl_easy_perform;
        __typeof__(curl_easy_reset) *curl_easy_reset;
        __typeof__(curl_easy_setopt) *curl_easy_setopt;
        __typeof__(curl_easy_strerror) *curl_easy_strerror;
        __typeof__(curl_global_init) *curl_global_init;
        __typeof__(curl_slist_append) *curl_slist_append;
        __typeof__(curl_slist_free_all) *curl_slist_free_all;
} lc;

static const struct lazylib_sym LC_SYMS[] = {
        { "curl_easy_cleanup", (void **) &lc.curl_easy_cleanup },
        { "curl_easy_getinfo", (void **) &lc.curl_easy_getinfo },
        { "curl_easy_init", (void **) &lc.curl_easy_init },
        { "curl_easy_perform", (void **) &lc.curl_easy_perform },
        { "curl_easy_reset", (void **) &lc.curl_easy_reset },
        { "curl_easy_setopt", (void **) &lc.curl_easy_setopt },
        { "curl_easy_strerror", (void **) &lc.curl_easy_strerror },
        { "curl_global_init", (void **) &lc.curl_global_init },
        { "curl_slist_append", (void **) &lc.curl_slist_append },
        { "curl_slist_free_all", (void **) &lc.curl_slist_free_all },
};
static const char *const LC_SONAMES[] = { "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL };
static struct lazylib lc_lib = { LC_SONAMES, LC_SYMS, ELEMENTSOF(LC_SYMS), NULL };
static struct error lc_err = ERROR_INIT;

#undef curl_easy_setopt /* curl.h wraps these two in macros of its own */
#undef curl_easy_getinfo
#define curl_easy_cleanup (*lc.curl_easy_cleanup)
#define curl_easy_getinfo (*lc.curl_easy_getinfo)
#define curl_easy_init (*lc.curl_easy_init)
#define curl_easy_perform (*lc.curl_easy_perform)
#define curl_easy_reset (*lc.curl_easy_reset)
#define curl_easy_setopt (*lc.curl_easy_setopt)
#define curl_easy_strerror (*lc.curl_easy_strerror)
#define curl_global_init (*lc.curl_global_init)
#define curl_slist_append (*lc.curl_slist_append)
#define curl_slist_free_all (*lc.curl_slist_free_all)

/* curl_global_init() is not thread-safe before libcurl 7.84 (and afterwards only when built with
 * CURL_VERSION_THREADSAFE), so it runs exactly once under pthread_once. Another library in the
 * same process calling it concurrently would still race; nothing in SkillLite does. We never call
 * curl_global_cleanup(): another thread may still use libcurl, and exit reclaims everything. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init_once(void) {
        if (lazylib_load(&lc_lib, &lc_err) < 0)
                return; /* curl_init_result stays CURLE_FAILED_INIT; lc_err says why */
        curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct http_client {
        CURL *h;
        char errbuf[CURL_ERROR_SIZE]; /* libcurl keeps the pointer between requests */
};

int http_client_new(struct http_client **ret, struct error *err) {
        pthread_once(&curl_once, curl_init_once);
        if (curl_init_result != CURLE_OK)
                return error_set(err, -EIO, "libcurl initialisation failed%s%s", lc_err.msg[0] ? ": " : "",
                                 lc_err.msg);
        struct http_client *c = calloc(1, sizeof(*c));
        if (!c)
                return error_set(err, -ENOMEM, "out of memory");
        c->h = curl_easy_init();
        if (!c->h) {
                free(c);
                return error_set(err, -ENOMEM, "cannot create a libcurl handle");
        }
        *ret = c;
        return 0;
}

struct http_client *http_client_free(struct http_client *c) {
        if (c) {
                curl_easy_cleanup(c->h);
                free(c);
        }
        return NULL;
}

void http_response_done(struct http_response *r) {
        free(r->body);
        *r = (struct http_response) { .retry_after = -1 };
}

char *http_display_url(const char *url) {
        /* Userinfo ("https://user:secret@host") and the query ("?api-key=...") may hold credentials. */
        const char *scheme_end = strstr(url, "://");
        const char *host = scheme_end ? scheme_end + 3 : url;
        size_t auth_len = strcspn(host, "/?#");
        const char *at = memchr(host, '@', auth_len);
        if (at)
                host = at + 1;
        size_t rest = strcspn(host, "?#");
        char *out = NULL;
        if (asprintf(&out, "%.*s%.*s", (int) (scheme_end ? scheme_end + 3 - url : 0), url, (int) rest, host) < 0)
                return NULL;
        return out;
}

char *http_sanitize_excerpt(const char *body, size_t len, size_t max, const char *secret) {
        _cleanup_buf_ struct buf b = BUF_INIT(max + 16);
        size_t slen = secret ? strlen(secret) : 0;
        bool cut = false;
        for (size_t i = 0; i < len;) {
                /* Redact on the whole body first, so a key cut at the end is not half shown. */
                if (slen && len - i >= slen && memcmp(body + i, secret, slen) == 0) {
                        if (buf_append(&b, "[redacted]", 10) < 0) {
                                cut = true;
                                break;
                        }
                        i += slen;
                        continue;
                }
                unsigned char ch = (unsigned char) body[i++];
                char out = (char) ch;
                if (ch == '\n' || ch == '\r' || ch == '\t')
                        out = ' ';
                else if (ch < 0x20 || ch >= 0x7f)
                        out = '?';
                if (out == ' ' && b.len && b.data[b.len - 1] == ' ')
                        continue;
                if (b.len >= max || buf_append(&b, &out, 1) < 0) {
                        cut = true;
                        break;
                }
        }
        if (b.len > max)
                b.len = max, b.data[max] = '\0';
        if (cut && buf_append(&b, "...", 3) < 0)
                return NULL;
        return buf_steal(&b);
}

int http_status_error(const struct http_response *r, const char *shown_url, const char *secret,
                      struct error *err) {
        const char *text = r->body ? r->body : "";
        size_t len = r->body ? r->len : 0;
        _cleanup_json_ json_t *j = json_loadb(text, len, 0, NULL);
        json_t *emsg = json_object_get(json_object_get(j, "error"), "message");
        if (!json_is_string(emsg))
                emsg = json_object_get(j, "error"); /* some servers send {"error": "text"} */
        if (!json_is_string(emsg))
                emsg = json_object_get(j, "message"); /* Google APIs (OSV): {"code", "message"} */
        if (json_is_string(emsg)) {
                text = json_string_value(emsg);
                len = json_string_length(emsg);
        }
        long status = r->status;
        if (status >= 300 && status < 400)
                return error_set(err, -EIO, "HTTP %ld from %s: redirects are not followed", status, shown_url);
        _cleanup_free_ char *x = http_sanitize_excerpt(text, len, HTTP_ERROR_EXCERPT_MAX, secret);
        int code = status == 401 || status == 403 ? -EACCES
                 : status == 429                  ? -EBUSY
                 : status >= 400 && status < 500  ? -EINVAL
                                                  : -EIO;
        return error_set(err, code, "HTTP %ld from %s: %s", status, shown_url, x && *x ? x : "(empty body)");
}

/* ---- one exchange --------------------------------------------------------------------------- */

struct transfer {
        struct buf body;
        bool overflow;
        long retry_after; /* seconds, -1 when absent */
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
        struct transfer *t = userdata;
        size_t n = size * nmemb;
        if (buf_append(&t->body, ptr, n) < 0) {
                t->overflow = true;
                return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
        }
        return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata) {
        struct transfer *t = userdata;
        size_t n = size * nmemb;
        static const char name[] = "retry-after:";
        if (n > sizeof(name) - 1 && strncasecmp(ptr, name, sizeof(name) - 1) == 0) {
                /* Only the delta-seconds form; an HTTP date falls back to the caller's backoff. */
                long v = 0;
                size_t i = sizeof(name) - 1, digits = 0;
                while (i < n && (ptr[i] == ' ' || ptr[i] == '\t'))
                        i++;
                for (; i < n && ptr[i] >= '0' && ptr[i] <= '9' && digits < 9; i++, digits++)
                        v = v * 10 + (ptr[i] - '0');
                if (digits)
                        t->retry_after = v;
        }
        return n;
}

static void transfer_done(struct transfer *t) {
        buf_free(&t->body);
}

static void curl_slistp(struct curl_slist **l) {
        if (*l) /* libcurl is loaded on first use */
                curl_slist_free_all(*l);
}

static int transport_error(CURLcode cc, const char *errbuf, const struct transfer *t,
                           const struct http_request *req, const char *url, struct error *err) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        switch (cc) {
        case CURLE_OPERATION_TIMEDOUT:
                return error_set(err, -ETIMEDOUT, "%s: no complete answer within %ld ms", url, req->timeout_ms);
        case CURLE_FILESIZE_EXCEEDED:
                return error_set(err, -EFBIG, "%s: the response is over %zu bytes", url, req->max_body);
        case CURLE_WRITE_ERROR:
                if (t->overflow)
                        return error_set(err, -EFBIG, "%s: the response is over %zu bytes", url, req->max_body);
                return error_set(err, -EIO, "%s: %s", url, why);
        case CURLE_COULDNT_CONNECT:
                return error_set(err, -ECONNREFUSED, "%s: cannot connect: %s", url, why);
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
                return error_set(err, -EHOSTUNREACH, "%s: %s", url, why);
        case CURLE_OUT_OF_MEMORY:
                return error_set(err, -ENOMEM, "out of memory");
        default:
                return error_set(err, -EIO, "%s: %s", url, why);
        }
}

static int set_options(struct http_client *c, const struct http_request *req, struct curl_slist *headers,
                       struct transfer *t) {
        CURL *h = c->h;
        long connect_ms = req->timeout_ms < HTTP_CONNECT_TIMEOUT_MAX_MS ? req->timeout_ms : HTTP_CONNECT_TIMEOUT_MAX_MS;
        CURLcode cc = CURLE_OK;
#define SET(opt, val)                                                                               \
        if (cc == CURLE_OK)                                                                         \
        cc = curl_easy_setopt(h, opt, val)
        SET(CURLOPT_URL, req->url);
        /* A URL from the environment must not become file://, and no Location header may send the
         * request (or a key) elsewhere. */
        SET(CURLOPT_PROTOCOLS_STR, "http,https");
        SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        SET(CURLOPT_FOLLOWLOCATION, 0L);
        SET(CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for DNS timeouts: we may run in threads */
        if (req->body) {
                SET(CURLOPT_POST, 1L);
                SET(CURLOPT_POSTFIELDS, req->body);
                SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen(req->body));
        } else {
                SET(CURLOPT_HTTPGET, 1L);
        }
        SET(CURLOPT_HTTPHEADER, headers);
        SET(CURLOPT_USERAGENT, "skilllite/" SKILLLITE_VERSION);
        SET(CURLOPT_TIMEOUT_MS, req->timeout_ms);
        SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) req->max_body);
        SET(CURLOPT_WRITEFUNCTION, on_body);
        SET(CURLOPT_WRITEDATA, t);
        SET(CURLOPT_HEADERFUNCTION, on_header);
        SET(CURLOPT_HEADERDATA, t);
        SET(CURLOPT_ERRORBUFFER, c->errbuf);
#undef SET
        return cc == CURLE_OK ? 0 : -EINVAL;
}

static int append_header(struct curl_slist **headers, const char *line) {
        struct curl_slist *l = curl_slist_append(*headers, line);
        if (!l)
                return -ENOMEM;
        *headers = l;
        return 0;
}

int http_perform(struct http_client *c, const struct http_request *req, struct http_response *ret,
                 struct error *err) {
        if (!c || !req || !req->url || req->timeout_ms <= 0 || req->max_body == 0)
                return error_set(err, -EINVAL, "http: incomplete request");
        _cleanup_free_ char *shown = http_display_url(req->url);
        if (!shown)
                return error_set(err, -ENOMEM, "out of memory");

        _cleanup_(curl_slistp) struct curl_slist *headers = NULL;
        int r = append_header(&headers, "Accept: application/json");
        if (r == 0 && req->body)
                r = append_header(&headers, "Content-Type: application/json");
        if (r == 0 && req->body)
                r = append_header(&headers, "Expect:"); /* no 100-continue round trip */
        for (size_t i = 0; r == 0 && req->headers && req->headers[i]; i++) {
                /* CR or LF would let a value inject headers of its own. */
                if (i >= HTTP_HEADERS_MAX || strpbrk(req->headers[i], "\r\n"))
                        return error_set(err, -EINVAL, "http: invalid extra header");
                r = append_header(&headers, req->headers[i]);
        }
        if (r < 0)
                return error_set(err, -ENOMEM, "out of memory");

        /* reset drops every option of the last request but keeps its connections. */
        curl_easy_reset(c->h);
        c->errbuf[0] = '\0';
        _cleanup_(transfer_done) struct transfer t = { .body = BUF_INIT(req->max_body), .retry_after = -1 };
        if (set_options(c, req, headers, &t) < 0) {
                curl_easy_reset(c->h);
                return error_set(err, -EINVAL, "libcurl rejected an option (built without http?)");
        }
        CURLcode cc = curl_easy_perform(c->h);
        long status = 0;
        if (cc == CURLE_OK)
                curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
        /* The handle must not keep pointers to this frame's header list and transfer. */
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
        curl_easy_setopt(c->h, CURLOPT_WRITEDATA, NULL);
        curl_easy_setopt(c->h, CURLOPT_HEADERDATA, NULL);
        if (cc != CURLE_OK)
                return transport_error(cc, c->errbuf, &t, req, shown, err);
        size_t len = t.body.len;
        char *body = buf_steal(&t.body);
        if (!body)
                return error_set(err, -ENOMEM, "out of memory");
        *ret = (struct http_response) { .status = status, .body = body, .len = len, .retry_after = t.retry_after };
        return 0;
}
