/* The bounded HTTP/1.1 request-head parser of `mcp --http` (pure, fuzzed): request line and
 * headers of one request, with the origin and host checks that keep a loopback server from
 * being driven by a web page (DNS rebinding). Only what a JSON-RPC endpoint needs; anything else
 * is refused rather than guessed at. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTPD_HEAD_MAX (16u << 10)   /* request line + headers + blank line */
#define HTTPD_HEADERS_MAX 64         /* header lines in one request */
#define HTTPD_TARGET_MAX 2048        /* bytes of the request target */

enum httpd_method { HTTPD_GET, HTTPD_POST, HTTPD_DELETE, HTTPD_OPTIONS, HTTPD_HEAD, HTTPD_OTHER };

struct httpd_header {
        const char *name;  /* as sent (compare case-insensitively) */
        const char *value; /* surrounding whitespace trimmed */
};

struct httpd_request {
        enum httpd_method method;
        const char *method_name;
        const char *path;       /* the request target up to its '?' */
        const char *query;      /* after the '?', or NULL */
        int minor;              /* HTTP/1.<minor> */
        struct httpd_header headers[HTTPD_HEADERS_MAX];
        size_t n_headers;
        bool has_length;        /* a Content-Length header */
        uint64_t content_length;
        bool has_transfer_encoding;
        bool keep_alive;        /* what the request asks for (1.1 default, Connection header) */
        size_t head_len;        /* bytes of the head in the input, blank line included */
        char text[HTTPD_HEAD_MAX + 1]; /* NUL-split copy the pointers above point into */
};

/* Why a head was refused: the caller answers 400, 414 or 431 and closes. */
enum httpd_parse_error {
        HTTPD_PARSE_INCOMPLETE = 0,
        HTTPD_PARSE_MALFORMED = -1,     /* 400 */
        HTTPD_PARSE_TOO_LARGE = -2,     /* 431: head over HTTPD_HEAD_MAX or too many headers */
        HTTPD_PARSE_TARGET_TOO_LONG = -3, /* 414 */
        HTTPD_PARSE_VERSION = -4,       /* 505: not HTTP/1.x */
};

/* Parse the head at the start of buf[0..len). Returns the head's length (> 0) with *ret filled,
 * HTTPD_PARSE_INCOMPLETE when the blank line has not arrived yet (and len < HTTPD_HEAD_MAX), or a
 * negative enum httpd_parse_error. Lines end in CRLF or a bare LF; folded (obs-fold) lines, control
 * characters, an invalid or repeated Content-Length and a repeated Host are malformed. */
int httpd_request_parse(const char *buf, size_t len, struct httpd_request *ret);

/* The first header of that name (case-insensitive), or NULL. */
const char *httpd_request_header(const struct httpd_request *r, const char *name);
/* How many headers of that name. */
size_t httpd_request_header_count(const struct httpd_request *r, const char *name);

/* Host names that are this machine: "localhost", "127.0.0.1" (any 127/8), "[::1]", each with an
 * optional ":port". */
bool httpd_host_is_loopback(const char *host);
/* An Origin header naming a loopback page: "http(s)://<loopback host>[:port]" exactly (no path).
 * "null" and anything else are not. */
bool httpd_origin_is_loopback(const char *origin);
/* Does the comma-separated Accept value list this media type (or a matching wildcard)? A missing
 * header (NULL) accepts everything. Parameters (";q=...") are ignored except q=0, which refuses. */
bool httpd_accepts(const char *accept, const char *type);
/* A bearer token check that takes the same time whatever the mismatch: "Bearer <token>". */
bool httpd_bearer_matches(const char *authorization, const char *token);
/* The reason phrase of a status we send. */
const char *httpd_status_text(int status);
