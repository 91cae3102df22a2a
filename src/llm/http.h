/* JSON over HTTP with libcurl, loaded on first use (base/lazylib.h): one GET or POST at a time on a
 * reusable handle, http and https only, no redirects, a capped response body, a whole-transfer
 * timeout, and transport failures mapped to -errno with a message that shows no credentials.
 * Shared by the LLM client and the OSV online queries. Never part of skilllite-sandbox. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "../base/macros.h"

#define HTTP_CONNECT_TIMEOUT_MAX_MS 10000L
#define HTTP_ERROR_EXCERPT_MAX 200 /* bytes of an error body quoted in messages */
#define HTTP_HEADERS_MAX 16        /* extra request headers */

struct http_request {
        const char *url;             /* http:// or https:// (anything else fails in libcurl) */
        const char *body;            /* POSTed as application/json; NULL = GET */
        const char *const *headers;  /* extra "Name: value" lines, NULL-terminated; may be NULL */
        long timeout_ms;             /* the whole transfer, > 0 */
        size_t max_body;             /* response bytes kept; the transfer aborts beyond (-EFBIG) */
};

struct http_response {
        long status;
        char *body;       /* NUL-terminated, never NULL; may hold NULs (see len) */
        size_t len;
        long retry_after; /* a Retry-After in seconds, -1 when absent or an HTTP date */
};
void http_response_done(struct http_response *r);

struct http_client;

/* Load libcurl (once per process) and make a handle; connections are kept between requests.
 * 0, -EIO (libcurl missing or failing to initialise; err says why) or -ENOMEM. */
int http_client_new(struct http_client **ret, struct error *err);
struct http_client *http_client_free(struct http_client *c); /* returns NULL */
static inline void http_client_freep(struct http_client **c) {
        *c = http_client_free(*c);
}
#define _cleanup_http_client_ _cleanup_(http_client_freep)

/* One exchange. 0 when a whole response arrived, whatever its status (ret filled, release with
 * http_response_done); otherwise ret untouched and -ETIMEDOUT, -EFBIG (over max_body),
 * -ECONNREFUSED, -EHOSTUNREACH (name resolution), -EIO (other transport errors, a scheme other
 * than http/https), -EINVAL (bad request fields), -ENOMEM, with err naming the URL as
 * http_display_url() shows it. */
int http_perform(struct http_client *c, const struct http_request *req, struct http_response *ret,
                 struct error *err);

/* The error for a response whose status the caller did not want: "HTTP <status> from <url>: <the
 * server's {"error": {"message"}} or {"error": "..."}, else the start of the body>", sanitized,
 * with secret (when non-NULL and non-empty) redacted. Returns -EACCES (401, 403), -EBUSY (429),
 * -EINVAL (other 4xx), -EIO (3xx: redirects are not followed; 5xx; anything else). */
int http_status_error(const struct http_response *r, const char *shown_url, const char *secret,
                      struct error *err);

/* url without userinfo, query and fragment (they may hold credentials), for messages. NULL on
 * ENOMEM. */
char *http_display_url(const char *url);
/* A printable, single-line excerpt (at most max bytes plus "...") of an untrusted body, with every
 * occurrence of secret (when non-NULL and non-empty) replaced by "[redacted]". Fresh string. */
char *http_sanitize_excerpt(const char *body, size_t len, size_t max, const char *secret);
