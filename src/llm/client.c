/* OpenAI-compatible chat completions (client.h): one POST per attempt over http.h (a capped
 * response body, no redirects, http/https only), retries on 429/5xx. */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "http.h"

#define BACKOFF_BASE_MS 250L

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
        return http_display_url(url);
}

char *llm_sanitize_excerpt(const char *body, size_t len, size_t max, const char *secret) {
        return http_sanitize_excerpt(body, len, max, secret);
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
                        _cleanup_free_ char *x = http_sanitize_excerpt(json_string_value(emsg), json_string_length(emsg),
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

/* ---- the exchange, with retries ------------------------------------------------------------ */

static void sleep_ms(long ms) {
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* POST payload until a 2xx, retrying 429 and 5xx; 0 with *ret filled, or -errno with err set. */
static int post_with_retries(struct http_client *h, const struct llm_config *c, const char *url,
                             const char *shown, const char *payload, struct http_response *ret,
                             struct error *err) {
        _cleanup_free_ char *auth = NULL;
        if (c->api_key && *c->api_key && asprintf(&auth, "Authorization: Bearer %s", c->api_key) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        const char *const headers[] = { auth, NULL };
        const struct http_request req = { .url = url, .body = payload, .headers = auth ? headers : NULL,
                                          .timeout_ms = c->timeout_ms, .max_body = LLM_RESPONSE_MAX };
        int r;
        for (int attempt = 0;; attempt++) {
                struct http_response resp;
                r = http_perform(h, &req, &resp, err);
                if (r < 0)
                        break;
                if (resp.status >= 200 && resp.status < 300) {
                        *ret = resp;
                        break;
                }
                bool retryable = resp.status == 429 || (resp.status >= 500 && resp.status < 600);
                if (!retryable || attempt >= LLM_RETRIES_MAX) {
                        r = http_status_error(&resp, shown, c->api_key, err);
                        http_response_done(&resp);
                        break;
                }
                long wait_ms = BACKOFF_BASE_MS << attempt;
                if (resp.retry_after >= 0)
                        wait_ms = (resp.retry_after < LLM_RETRY_AFTER_MAX_SECS ? resp.retry_after
                                                                               : LLM_RETRY_AFTER_MAX_SECS) * 1000L;
                http_response_done(&resp);
                sleep_ms(wait_ms);
        }
        if (auth)
                explicit_bzero(auth, strlen(auth));
        return r;
}

static int chat(const struct llm_config *c, const struct llm_message *msgs, size_t n,
                const struct llm_chat_opts *opts, struct llm_reply *ret, struct error *err) {
        if (!c || !c->base_url || !c->model || c->timeout_ms <= 0)
                return error_set(err, -EINVAL, "the LLM client is not configured");
        _cleanup_free_ char *url = llm_chat_url(c->base_url);
        _cleanup_free_ char *shown = url ? http_display_url(url) : NULL;
        if (!url || !shown)
                return error_set(err, -ENOMEM, "out of memory");
        struct error jerr = ERROR_INIT;
        _cleanup_json_ json_t *req = llm_request_json(c, msgs, n, opts, &jerr);
        if (!req)
                return error_set(err, jerr.code ? jerr.code : -ENOMEM, "%s", jerr.msg);
        _cleanup_free_ char *payload = json_dumps(req, JSON_COMPACT);
        if (!payload)
                return error_set(err, -ENOMEM, "out of memory");

        _cleanup_http_client_ struct http_client *h = NULL;
        int r = http_client_new(&h, err);
        if (r < 0)
                return r;
        _cleanup_(http_response_done) struct http_response resp = { .retry_after = -1 };
        r = post_with_retries(h, c, url, shown, payload, &resp, err);
        if (r < 0)
                return r;
        struct error perr = ERROR_INIT;
        r = llm_parse_response(resp.body, resp.len, ret, &perr);
        if (r == -EBADMSG) {
                _cleanup_free_ char *x = http_sanitize_excerpt(resp.body, resp.len, LLM_ERROR_EXCERPT_MAX / 2,
                                                               c->api_key);
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
        _cleanup_free_ char *clean = http_sanitize_excerpt(err->msg, strlen(err->msg), ERROR_MSG_MAX - 1, secret);
        snprintf(err->msg, sizeof(err->msg), "%s", clean ? clean : "(message withheld)");
}

int llm_chat(const struct llm_config *c, const struct llm_message *msgs, size_t n,
             const struct llm_chat_opts *opts, struct llm_reply *ret, struct error *err) {
        int r = chat(c, msgs, n, opts, ret, err);
        if (r < 0 && c)
                redact(err, c->api_key);
        return r;
}
