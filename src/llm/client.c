/* OpenAI-compatible chat completions over libcurl (client.h): one POST per attempt, a capped
 * response body, no redirects, http/https only, retries on 429/5xx. */
#include "client.h"

/* Plain prototypes (not curl's type-checking macros): the calls go through a table below. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/lazylib.h"
#include "../base/macros.h"
#include "config.h"

#define CONNECT_TIMEOUT_MAX_MS 10000L
#define BACKOFF_BASE_MS 250L

/* libcurl is loaded on the first request (base/lazylib.h: linked, it and its ~25 dependencies
 * would be mapped at every start of `skilllite run`). Calls below go through this table. */
static struct {
        __typeof__(curl_easy_cleanup) *curl_easy_cleanup;
        __typeof__(curl_easy_getinfo) *curl_easy_getinfo;
        __typeof__(curl_easy_init) *curl_easy_init;
        __typeof__(curl_easy_perform) *curl_easy_perform;
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

void llm_reply_done(struct llm_reply *r) {
        free(r->content);
        free(r->finish_reason);
        *r = (struct llm_reply) { 0 };
}

char *llm_chat_url(const char *base_url) {
        if (!base_url)
                return NULL;
        size_t n = strlen(base_url);
        while (n && base_url[n - 1] == '/')
                n--;
        if (n == 0)
                return NULL;
        static const char suffix[] = "/chat/completions";
        /* A base that already names the endpoint is taken as it is. */
        if (n >= sizeof(suffix) - 1 && strncmp(base_url + n - (sizeof(suffix) - 1), suffix, sizeof(suffix) - 1) == 0)
                return strndup(base_url, n);
        char *url = NULL;
        if (asprintf(&url, "%.*s%s", (int) n, base_url, suffix) < 0)
                return NULL;
        return url;
}

char *llm_display_url(const char *url) {
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

char *llm_sanitize_excerpt(const char *body, size_t len, size_t max, const char *secret) {
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

json_t *llm_request_json(const struct llm_config *c, const struct llm_message *msgs, size_t n,
                         const struct llm_chat_opts *opts, struct error *err) {
        _cleanup_json_ json_t *req = json_object();
        json_t *arr = json_array();
        if (!req || !arr || json_object_set_new(req, "model", json_string(c->model ? c->model : "")) < 0 ||
            json_object_set_new(req, "messages", arr) < 0) {
                error_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        for (size_t i = 0; i < n; i++) {
                if (!msgs[i].role || !msgs[i].content) {
                        error_set(err, -EINVAL, "chat message %zu has no role or content", i);
                        return NULL;
                }
                json_t *role = json_string(msgs[i].role), *content = json_string(msgs[i].content);
                json_t *m = json_object();
                if (!role || !content || !m) {
                        json_decref(role), json_decref(content), json_decref(m);
                        error_set(err, -EINVAL, "chat message %zu is not valid UTF-8", i);
                        return NULL;
                }
                if (json_object_set_new(m, "role", role) < 0 || json_object_set_new(m, "content", content) < 0 ||
                    json_array_append_new(arr, m) < 0) {
                        error_set(err, -ENOMEM, "out of memory");
                        return NULL;
                }
        }
        int r = json_object_set_new(req, "stream", json_false());
        if (r == 0 && opts && opts->temperature >= 0)
                r = json_object_set_new(req, "temperature", json_real(opts->temperature));
        if (r == 0 && opts && opts->max_tokens > 0)
                r = json_object_set_new(req, "max_tokens", json_integer(opts->max_tokens));
        if (r == 0 && opts && opts->json_mode)
                r = json_object_set_new(req, "response_format", json_pack("{s:s}", "type", "json_object"));
        if (r < 0) {
                error_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        return TAKE_PTR(req);
}

static long usage_field(json_t *usage, const char *key) {
        json_t *v = json_object_get(usage, key);
        return json_is_integer(v) && json_integer_value(v) >= 0 ? (long) json_integer_value(v) : -1;
}

int llm_parse_response(const char *body, size_t len, struct llm_reply *ret, struct error *err) {
        _cleanup_json_ json_t *j = json_parse_strict(body, len, LLM_RESPONSE_MAX, NULL);
        if (!j)
                return error_set(err, -EBADMSG, "the response is not JSON");
        if (!json_is_object(j))
                return error_set(err, -EBADMSG, "the response is not a JSON object");
        json_t *choices = json_object_get(j, "choices");
        if (!json_is_array(choices) || json_array_size(choices) == 0) {
                json_t *emsg = json_object_get(json_object_get(j, "error"), "message");
                if (json_is_string(emsg)) {
                        _cleanup_free_ char *x = llm_sanitize_excerpt(json_string_value(emsg), json_string_length(emsg),
                                                                      LLM_ERROR_EXCERPT_MAX, NULL);
                        return error_set(err, -EBADMSG, "the server reported an error: %s", x ? x : "");
                }
                return error_set(err, -EBADMSG, "the response has no choices");
        }
        json_t *choice = json_array_get(choices, 0);
        json_t *content = json_object_get(json_object_get(choice, "message"), "content");
        if (!json_is_string(content))
                return error_set(err, -EBADMSG, "the response has no message content (a refusal or a tool call?)");
        json_t *finish = json_object_get(choice, "finish_reason");
        json_t *usage = json_object_get(j, "usage");

        struct llm_reply r = {
                .content_len = json_string_length(content),
                .prompt_tokens = usage_field(usage, "prompt_tokens"),
                .completion_tokens = usage_field(usage, "completion_tokens"),
                .total_tokens = usage_field(usage, "total_tokens"),
        };
        r.content = malloc(r.content_len + 1);
        r.finish_reason = strdup(json_is_string(finish) ? json_string_value(finish) : "");
        if (!r.content || !r.finish_reason) {
                llm_reply_done(&r);
                return error_set(err, -ENOMEM, "out of memory");
        }
        memcpy(r.content, json_string_value(content), r.content_len);
        r.content[r.content_len] = '\0';
        *ret = r;
        return 0;
}

/* ---- transport ------------------------------------------------------------------------------ */

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
                /* Only the delta-seconds form; an HTTP date falls back to our own backoff. */
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

static void sleep_ms(long ms) {
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static void curl_easyp(CURL **h) {
        if (*h)
                curl_easy_cleanup(*h);
}
static void curl_slistp(struct curl_slist **l) {
        curl_slist_free_all(*l);
}

/* The message of a failed HTTP exchange: status plus the server's own error text if it sent the
 * usual {"error": {"message"}} shape, else the start of the body; the key is redacted from both. */
static int http_error(const struct llm_config *c, const char *url, long status, const struct transfer *t,
                      struct error *err) {
        const char *text = t->body.data ? t->body.data : "";
        size_t len = t->body.len;
        _cleanup_json_ json_t *j = json_loadb(text, len, 0, NULL);
        json_t *emsg = json_object_get(json_object_get(j, "error"), "message");
        if (!json_is_string(emsg))
                emsg = json_object_get(j, "error"); /* some servers send {"error": "text"} */
        if (json_is_string(emsg)) {
                text = json_string_value(emsg);
                len = json_string_length(emsg);
        }
        _cleanup_free_ char *x = llm_sanitize_excerpt(text, len, LLM_ERROR_EXCERPT_MAX, c->api_key);
        int code = status == 401 || status == 403 ? -EACCES
                 : status == 429                  ? -EBUSY
                 : status >= 400 && status < 500  ? -EINVAL
                                                  : -EIO;
        if (status >= 300 && status < 400)
                return error_set(err, -EIO, "HTTP %ld from %s: redirects are not followed", status, url);
        return error_set(err, code, "HTTP %ld from %s: %s", status, url, x && *x ? x : "(empty body)");
}

static int transport_error(CURLcode cc, const char *errbuf, const struct transfer *t, long timeout_ms,
                           const char *url, struct error *err) {
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
        switch (cc) {
        case CURLE_OPERATION_TIMEDOUT:
                return error_set(err, -ETIMEDOUT, "%s: no complete answer within %ld ms", url, timeout_ms);
        case CURLE_FILESIZE_EXCEEDED:
                return error_set(err, -EFBIG, "%s: the response is over %u bytes", url, LLM_RESPONSE_MAX);
        case CURLE_WRITE_ERROR:
                if (t->overflow)
                        return error_set(err, -EFBIG, "%s: the response is over %u bytes", url, LLM_RESPONSE_MAX);
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

static int setup_handle(CURL *h, const struct llm_config *c, const char *url, const char *payload,
                        struct curl_slist *headers, struct transfer *t, char *errbuf) {
        long connect_ms = c->timeout_ms < CONNECT_TIMEOUT_MAX_MS ? c->timeout_ms : CONNECT_TIMEOUT_MAX_MS;
        CURLcode cc = CURLE_OK;
#define SET(opt, val)                                                                               \
        if (cc == CURLE_OK)                                                                         \
        cc = curl_easy_setopt(h, opt, val)
        SET(CURLOPT_URL, url);
        /* A base URL from the environment must not become file://, and no Location header may send
         * the prompt (or the key) elsewhere. */
        SET(CURLOPT_PROTOCOLS_STR, "http,https");
        SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        SET(CURLOPT_FOLLOWLOCATION, 0L);
        SET(CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for DNS timeouts: we may run in threads */
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDS, payload);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen(payload));
        SET(CURLOPT_HTTPHEADER, headers);
        SET(CURLOPT_USERAGENT, "skilllite/" SKILLLITE_VERSION);
        SET(CURLOPT_TIMEOUT_MS, c->timeout_ms);
        SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) LLM_RESPONSE_MAX);
        SET(CURLOPT_WRITEFUNCTION, on_body);
        SET(CURLOPT_WRITEDATA, t);
        SET(CURLOPT_HEADERFUNCTION, on_header);
        SET(CURLOPT_HEADERDATA, t);
        SET(CURLOPT_ERRORBUFFER, errbuf);
#undef SET
        return cc == CURLE_OK ? 0 : -EINVAL;
}

static int chat(const struct llm_config *c, const struct llm_message *msgs, size_t n,
                const struct llm_chat_opts *opts, struct llm_reply *ret, struct error *err) {
        if (!c || !c->base_url || !c->model || c->timeout_ms <= 0)
                return error_set(err, -EINVAL, "the LLM client is not configured");
        _cleanup_free_ char *url = llm_chat_url(c->base_url);
        _cleanup_free_ char *shown = url ? llm_display_url(url) : NULL;
        if (!url || !shown)
                return error_set(err, -ENOMEM, "out of memory");
        struct error jerr = ERROR_INIT;
        _cleanup_json_ json_t *req = llm_request_json(c, msgs, n, opts, &jerr);
        if (!req)
                return error_set(err, jerr.code ? jerr.code : -ENOMEM, "%s", jerr.msg);
        _cleanup_free_ char *payload = json_dumps(req, JSON_COMPACT);
        if (!payload)
                return error_set(err, -ENOMEM, "out of memory");

        pthread_once(&curl_once, curl_init_once);
        if (curl_init_result != CURLE_OK)
                return error_set(err, -EIO, "libcurl initialisation failed%s%s",
                                 lc_err.msg[0] ? ": " : "", lc_err.msg);

        _cleanup_(curl_slistp) struct curl_slist *headers = NULL;
        static const char *const fixed[] = { "Content-Type: application/json", "Accept: application/json",
                                             "Expect:" /* no 100-continue round trip */ };
        for (size_t i = 0; i < ELEMENTSOF(fixed); i++) {
                struct curl_slist *l = curl_slist_append(headers, fixed[i]);
                if (!l)
                        return error_set(err, -ENOMEM, "out of memory");
                headers = l;
        }
        if (c->api_key && *c->api_key) {
                _cleanup_free_ char *auth = NULL;
                if (asprintf(&auth, "Authorization: Bearer %s", c->api_key) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                struct curl_slist *l = curl_slist_append(headers, auth);
                explicit_bzero(auth, strlen(auth));
                if (!l)
                        return error_set(err, -ENOMEM, "out of memory");
                headers = l;
        }

        _cleanup_(curl_easyp) CURL *h = curl_easy_init();
        if (!h)
                return error_set(err, -ENOMEM, "cannot create a libcurl handle");
        _cleanup_(transfer_done) struct transfer t = { .body = BUF_INIT(LLM_RESPONSE_MAX), .retry_after = -1 };
        char errbuf[CURL_ERROR_SIZE] = "";
        if (setup_handle(h, c, url, payload, headers, &t, errbuf) < 0)
                return error_set(err, -EINVAL, "libcurl rejected an option (built without http?)");

        for (int attempt = 0;; attempt++) {
                buf_free(&t.body);
                t.overflow = false;
                t.retry_after = -1;
                errbuf[0] = '\0';
                CURLcode cc = curl_easy_perform(h);
                if (cc != CURLE_OK)
                        return transport_error(cc, errbuf, &t, c->timeout_ms, shown, err);
                long status = 0;
                curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
                if (status >= 200 && status < 300)
                        break;
                bool retryable = status == 429 || (status >= 500 && status < 600);
                if (!retryable || attempt >= LLM_RETRIES_MAX)
                        return http_error(c, shown, status, &t, err);
                long wait_ms = BACKOFF_BASE_MS << attempt;
                if (t.retry_after >= 0)
                        wait_ms = (t.retry_after < LLM_RETRY_AFTER_MAX_SECS ? t.retry_after
                                                                            : LLM_RETRY_AFTER_MAX_SECS) * 1000L;
                sleep_ms(wait_ms);
        }
        struct error perr = ERROR_INIT;
        int r = llm_parse_response(t.body.data ? t.body.data : "", t.body.len, ret, &perr);
        if (r == -EBADMSG) {
                _cleanup_free_ char *x = llm_sanitize_excerpt(t.body.data ? t.body.data : "", t.body.len,
                                                              LLM_ERROR_EXCERPT_MAX / 2, c->api_key);
                return error_set(err, r, "%s: %s; the body starts with: %s", shown, perr.msg,
                                 x && *x ? x : "(empty)");
        }
        if (r < 0)
                return error_set(err, r, "%s", perr.msg);
        return 0;
}

/* The key must never reach a message (a server may echo the request); whatever path built the
 * message, a last pass replaces it. */
static void redact(struct error *err, const char *secret) {
        size_t slen = secret ? strlen(secret) : 0;
        if (!err || !err->code || !slen || !strstr(err->msg, secret))
                return;
        _cleanup_free_ char *clean = llm_sanitize_excerpt(err->msg, strlen(err->msg), ERROR_MSG_MAX - 1, secret);
        snprintf(err->msg, sizeof(err->msg), "%s", clean ? clean : "(message withheld)");
}

int llm_chat(const struct llm_config *c, const struct llm_message *msgs, size_t n,
             const struct llm_chat_opts *opts, struct llm_reply *ret, struct error *err) {
        int r = chat(c, msgs, n, opts, ret, err);
        if (r < 0 && c)
                redact(err, c->api_key);
        return r;
}
