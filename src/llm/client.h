/* A small client for OpenAI-compatible chat completions (POST {base}/chat/completions) over
 * libcurl, with its configuration read from the environment. Shared by the scan review and,
 * later, the agent layer. Never part of skilllite-sandbox. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"

#define LLM_RESPONSE_MAX (4u * 1024 * 1024) /* response body; the transfer aborts beyond it */
#define LLM_URL_MAX 2048
#define LLM_MODEL_MAX 256
#define LLM_KEY_MAX 4096
#define LLM_TIMEOUT_DEFAULT_SECS 60
#define LLM_TIMEOUT_MAX_SECS 3600
#define LLM_RETRIES_MAX 2        /* extra attempts after a 429 or 5xx */
#define LLM_RETRY_AFTER_MAX_SECS 10 /* a server's Retry-After is honoured up to this */
#define LLM_ERROR_EXCERPT_MAX 200   /* bytes of an error body quoted in err */

struct llm_config {
        char *base_url;  /* http:// or https://, with or without "/v1" and a trailing "/" */
        char *api_key;   /* NULL when none (local servers) */
        char *model;
        long timeout_ms; /* per attempt, whole transfer */
};

/* Read the configuration for a purpose ("review", later "agent"; NULL for the generic one).
 * With purpose P: model from SKILLLITE_<P>_MODEL, SKILLLITE_MODEL, OPENAI_MODEL; base URL from
 * SKILLLITE_<P>_API_BASE, SKILLLITE_API_BASE, OPENAI_API_BASE, OPENAI_BASE_URL; key from
 * SKILLLITE_<P>_API_KEY, SKILLLITE_API_KEY, OPENAI_API_KEY; timeout SKILLLITE_<P>_TIMEOUT_SECS
 * (default 60). Empty variables count as unset. Returns 1 when configured (model and base URL
 * set; c filled, free with llm_config_done), 0 when not configured (c zeroed), -EINVAL (err set,
 * naming the variable, never quoting a key) on a malformed value, -ENOMEM. */
int llm_config_from_env(struct llm_config *c, const char *purpose, struct error *err);
void llm_config_done(struct llm_config *c);

struct llm_message {
        const char *role;    /* "system", "user", "assistant" */
        const char *content; /* NUL-terminated UTF-8 */
};

struct llm_chat_opts {
        double temperature; /* < 0: not sent (server default) */
        long max_tokens;    /* <= 0: not sent */
        bool json_mode;     /* response_format {"type": "json_object"} */
};

struct llm_reply {
        char *content;      /* the first choice's message content (may hold NULs: see len) */
        size_t content_len;
        char *finish_reason; /* "" when the server sent none */
        long prompt_tokens, completion_tokens, total_tokens; /* -1 when not reported */
};
void llm_reply_done(struct llm_reply *r);

/* One chat completion. Retries 429 and 5xx up to LLM_RETRIES_MAX times with a short backoff
 * (or the server's Retry-After, capped). Follows no redirects; only http and https.
 * Returns 0 (ret filled) or: -EACCES (401/403), -EINVAL (other 4xx, or a bad request), -EBUSY
 * (429 after retries), -EIO (5xx after retries, other transport errors), -ETIMEDOUT, -EFBIG (body
 * over LLM_RESPONSE_MAX), -EBADMSG (not a chat completion), -ECONNREFUSED, -ENOMEM; err then
 * holds the HTTP status and a short sanitized excerpt of the body, never the API key. */
int llm_chat(const struct llm_config *c, const struct llm_message *msgs, size_t n,
             const struct llm_chat_opts *opts, struct llm_reply *ret, struct error *err);

/* Pieces of llm_chat, public for the unit tests. */
/* "{base}/chat/completions", whatever trailing slashes base has; NULL on ENOMEM or bad base. */
char *llm_chat_url(const char *base_url);
/* The request body. NULL on ENOMEM or a message that is not UTF-8 (err set). */
json_t *llm_request_json(const struct llm_config *c, const struct llm_message *msgs, size_t n,
                         const struct llm_chat_opts *opts, struct error *err);
/* Parse a 200 response body. 0 or -EBADMSG / -ENOMEM. */
int llm_parse_response(const char *body, size_t len, struct llm_reply *ret, struct error *err);
/* url without userinfo, query and fragment (they may hold credentials), for messages. */
char *llm_display_url(const char *url);
/* A printable, single-line excerpt (at most max bytes plus "...") of an untrusted body, with every
 * occurrence of secret (when non-NULL and non-empty) replaced by "[redacted]". Fresh string. */
char *llm_sanitize_excerpt(const char *body, size_t len, size_t max, const char *secret);
