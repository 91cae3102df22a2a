/* A tiny bounded HTTP/1.1 server on the event loop, for `mcp --http`: plain sockets, one request
 * at a time per connection (keep-alive, pipelined requests wait), Content-Length bodies only,
 * a cap on everything (head, body, connections, bytes queued for a slow reader) and deadlines for
 * reading a request and for idle keep-alive connections. A response is either whole
 * (http_conn_respond) or a stream that ends the connection (server-sent events). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "http_request.h"
#include "loop.h"

struct http_server;
struct http_conn;

struct http_server_limits {
        size_t max_body;          /* request body bytes; more: 413 */
        unsigned max_conns;       /* open connections; more are answered 503 and closed */
        unsigned read_timeout_ms; /* from a request's first byte to its last: 408 */
        unsigned idle_timeout_ms; /* a keep-alive connection with no request */
        size_t max_out;           /* bytes queued for one connection; more: it is closed */
};

/* One complete request. Answer now or later with http_conn_respond() or the stream functions;
 * until then nothing more is read from the connection. req and body are valid during the call
 * only. */
typedef void (*http_handler_fn)(void *ctx, struct http_conn *c, const struct httpd_request *req, const char *body,
                                size_t body_len);
/* The client closed the connection before the answer was complete. The connection is gone
 * after this call. */
typedef void (*http_gone_fn)(void *arg);

/* listen_fd: a listening socket (made non-blocking); the server owns it from now on. */
int http_server_new(struct loop *l, int listen_fd, const struct http_server_limits *lim, http_handler_fn fn,
                    void *ctx, struct http_server **ret);
/* Close every connection (no gone callbacks: the handler let go first) and the listener. */
void http_server_free(struct http_server *s);

/* A whole response. headers: extra "Name: value\r\n" lines, or NULL. Detaches the gone callback.
 * 0, or -errno (the connection is then closing). */
int http_conn_respond(struct http_conn *c, int status, const char *headers, const char *content_type,
                      const void *body, size_t len);
/* A response of unknown length, ended by closing the connection. */
int http_conn_stream_begin(struct http_conn *c, int status, const char *headers, const char *content_type);
int http_conn_stream_write(struct http_conn *c, const void *data, size_t len);
/* Flush what is queued, then close. Detaches the gone callback. */
void http_conn_stream_end(struct http_conn *c);
/* Be told when the client goes away while the answer is pending (fn NULL: stop). */
void http_conn_on_gone(struct http_conn *c, http_gone_fn fn, void *arg);
/* Drop the connection now, without an answer. Detaches the gone callback. */
void http_conn_close(struct http_conn *c);
