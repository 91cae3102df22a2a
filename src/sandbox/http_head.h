/* The head of a request a skill sends to our proxy: "CONNECT host:port HTTP/1.1" or an
 * absolute-form "GET http://host[:port]/path HTTP/1.1". Pure parser of untrusted bytes, no I/O;
 * unit tests in tests/unit/test_http_head.c, fuzz target tests/fuzz/fuzz_http_head.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX 16384 /* request line + headers, including the final empty line */
#define HTTP_HEAD_MAX_HEADERS 100

enum http_head_status {
        HTTP_HEAD_INCOMPLETE = 0,   /* no CRLFCRLF yet and under HTTP_HEAD_MAX: read more */
        HTTP_HEAD_OK = 1,
        HTTP_HEAD_BAD = -1,         /* malformed: answer 400 */
        HTTP_HEAD_TOO_LARGE = -2,   /* over HTTP_HEAD_MAX or too many headers: 431 */
        HTTP_HEAD_UNSUPPORTED = -3, /* well-formed but not something we proxy (https:// absolute
                                     * form, origin-form, HTTP/2, other schemes): 400 */
};

struct http_request {
        bool is_connect;
        char method[24];
        char host[256];    /* as written, lower-cased; IPv6 literal without brackets */
        uint16_t port;     /* explicit, or 80 for http:// without one (CONNECT requires one) */
        size_t head_len;   /* bytes of the head, including the final CRLFCRLF */
        /* Absolute-form only: the head to send upstream (malloc'd): origin-form request line with
         * the client's HTTP version, the client's headers minus Proxy-Connection,
         * Proxy-Authorization, Connection and Keep-Alive, a Host header if there was none, and
         * "Connection: close". NULL for CONNECT. */
        char *upstream_head;
        size_t upstream_head_len;
};

/* Parse the head at the start of buf[0..len). On HTTP_HEAD_OK req is filled (free with
 * http_request_done). On a negative status *why (optional) points to a static reason. */
enum http_head_status http_head_parse(const char *buf, size_t len, struct http_request *req,
                                      const char **why);
void http_request_done(struct http_request *req);
