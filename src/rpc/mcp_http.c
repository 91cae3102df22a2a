/* The Streamable HTTP transport of `skilllite mcp --http`: one endpoint, /mcp.
 *
 * POST carries one JSON-RPC message. A request is answered with application/json, unless the
 * server has to ask the client something first (elicitation): then the answer is a
 * text/event-stream carrying that question and, last, the response; the client's answer to the
 * question comes as another POST (202). Notifications and responses get 202. GET is 405 (no
 * server-initiated stream), DELETE ends the session. The session id is issued with the initialize
 * response (Mcp-Session-Id) and required afterwards; MCP-Protocol-Version must be one we speak
 * (and the session's). DNS rebinding: the Host must name this machine (unless --allow-remote)
 * and an Origin must be a loopback page or one allowed explicitly. A closed connection cancels
 * the request it carried. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/log.h"
#include "http_server.h"
#include "mcp_internal.h"

#define SESSION_IDLE_MS (3600u * 1000)  /* a session without requests for this long is forgotten */
#define SWEEP_MS (60u * 1000)
#define HEADERS_MAX 1024                /* our extra response headers */

struct http_session;

struct http_stream {
        struct mcp_stream st;   /* first: the core hands this pointer back */
        struct http_conn *conn; /* NULL once the client is gone */
        struct http_session *hs;
        bool sse, sse_only;
        char headers[HEADERS_MAX];
        struct http_stream *next;
};

struct http_session {
        char id[MCP_TOKEN_ID_LEN + 1];
        struct mcp_session *ss;
        struct http_stream *streams; /* POSTs waiting for their answer */
        struct http_session *next;
};

struct mcp_http {
        struct mcp_server *srv;
        struct http_server *server;
        struct http_session *sessions;
        unsigned n_sessions;
        struct loop_timer *sweep;
};

/* ---- streams -------------------------------------------------------------------------- */

static void stream_free(struct http_stream *s);

/* The client closed the connection of a pending request: cancel the request. */
static void stream_gone(void *arg) {
        struct http_stream *s = arg;
        s->conn = NULL;
        if (s->hs)
                mcp_session_stream_gone(s->hs->ss, &s->st);
        stream_free(s);
}

static void stream_unlink(struct http_stream *s) {
        if (!s->hs)
                return;
        for (struct http_stream **p = &s->hs->streams; *p; p = &(*p)->next)
                if (*p == s) {
                        *p = s->next;
                        break;
                }
        s->hs = NULL;
}

static void stream_free(struct http_stream *s) {
        stream_unlink(s);
        if (s->conn)
                http_conn_on_gone(s->conn, NULL, NULL);
        free(s);
}

static int stream_send(struct mcp_stream *st, const json_t *msg, bool final) {
        struct http_stream *s = (struct http_stream *) st;
        struct http_conn *conn = s->conn;
        if (!conn) {
                if (final)
                        stream_free(s);
                return -EPIPE;
        }
        /* No gone callback into us while we write: a failed write closes the connection, and
         * the request learns it from the return value. */
        http_conn_on_gone(conn, NULL, NULL);
        _cleanup_free_ char *text = json_dumps(msg, JSON_COMPACT);
        int r = text ? 0 : -ENOMEM;
        if (r == 0 && final && !s->sse && !s->sse_only) {
                r = http_conn_respond(conn, 200, s->headers[0] ? s->headers : NULL, "application/json", text,
                                      strlen(text));
                s->conn = NULL;
                stream_free(s);
                return r;
        }
        if (r == 0 && !s->sse) {
                r = http_conn_stream_begin(conn, 200, s->headers[0] ? s->headers : NULL, "text/event-stream");
                s->sse = r == 0;
        }
        /* compact JSON has no newline, so one data line holds it */
        if (r == 0)
                r = http_conn_stream_write(conn, "event: message\ndata: ", 21);
        if (r == 0)
                r = http_conn_stream_write(conn, text, strlen(text));
        if (r == 0)
                r = http_conn_stream_write(conn, "\n\n", 2);
        if (r == -ENOMEM && text == NULL)
                http_conn_close(conn); /* nothing was written: drop it */
        if (r < 0 || final) {
                /* on a write error the connection is already closed (and freed) */
                if (r == 0)
                        http_conn_stream_end(conn);
                s->conn = NULL;
                if (final)
                        stream_free(s);
                return r;
        }
        http_conn_on_gone(conn, stream_gone, s);
        return 0;
}

/* A cancelled request gets no answer: its connection is dropped. */
static void stream_abandon(struct mcp_stream *st) {
        struct http_stream *s = (struct http_stream *) st;
        struct http_conn *conn = s->conn;
        s->conn = NULL;
        if (conn) {
                http_conn_on_gone(conn, NULL, NULL);
                http_conn_close(conn);
        }
        stream_free(s);
}

static const struct mcp_stream_ops stream_ops = { .send = stream_send, .abandon = stream_abandon };

/* ---- sessions ------------------------------------------------------------------------- */

static void session_end(struct mcp_http *h, struct http_session *hs) {
        for (struct http_session **p = &h->sessions; *p; p = &(*p)->next)
                if (*p == hs) {
                        *p = hs->next;
                        h->n_sessions--;
                        break;
                }
        mcp_session_free(hs->ss); /* uses none of the streams */
        while (hs->streams) {
                struct http_stream *s = hs->streams;
                struct http_conn *conn = s->conn;
                s->conn = NULL;
                stream_free(s);
                if (conn)
                        http_conn_close(conn);
        }
        free(hs);
}

static struct http_session *session_find(struct mcp_http *h, const char *id) {
        for (struct http_session *hs = h->sessions; id && hs; hs = hs->next)
                if (streq(hs->id, id))
                        return hs;
        return NULL;
}

static void on_sweep(void *arg) {
        struct mcp_http *h = arg;
        h->sweep = NULL;
        uint64_t now = loop_now_ms();
        for (struct http_session *hs = h->sessions, *next; hs; hs = next) {
                next = hs->next;
                if (hs->ss->n_calls == 0 && now - hs->ss->last_active_ms > SESSION_IDLE_MS) {
                        log_info("mcp: session %.8s... idle for an hour: ended", hs->id);
                        session_end(h, hs);
                }
        }
        h->sweep = loop_timer_add(h->srv->loop, SWEEP_MS, on_sweep, h);
}

/* ---- requests ------------------------------------------------------------------------- */

/* Our response headers are few and short; one that does not fit is left out (and logged). */
static void hdr_printf(struct buf *b, const char *fmt, ...) _printf_(2, 3);
static void hdr_printf(struct buf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = buf_vprintf(b, fmt, ap);
        va_end(ap);
        if (r < 0)
                log_warn("mcp: a response header was left out: %s", strerror(-r));
}

static bool origin_allowed(const struct mcp_http *h, const char *origin) {
        if (httpd_origin_is_loopback(origin))
                return true;
        for (char **o = h->srv->opts.allowed_origins; o && *o; o++)
                if (strcasecmp(*o, origin) == 0)
                        return true;
        return false;
}

/* CORS for allowed browser pages (the MCP Inspector talks to us from its own origin). */
static void cors_headers(const char *origin, struct buf *b) {
        if (!origin)
                return;
        hdr_printf(b,
                          "Access-Control-Allow-Origin: %s\r\n"
                          "Access-Control-Expose-Headers: Mcp-Session-Id, MCP-Protocol-Version\r\n"
                          "Vary: Origin\r\n",
                          origin);
}

static void respond_text(struct http_conn *c, int status, const char *extra, const char *text) {
        http_conn_respond(c, status, extra, "text/plain; charset=utf-8", text, strlen(text));
}

/* An HTTP error carrying a JSON-RPC error body (clients show its message). */
static void respond_rpc_error(struct http_conn *c, int status, const char *extra, const json_t *id, int code,
                              const char *message) {
        _cleanup_json_ json_t *e = mcp_error_new(id, code, message, NULL);
        _cleanup_free_ char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
        if (!text) {
                respond_text(c, 500, extra, "out of memory\n");
                return;
        }
        http_conn_respond(c, status, extra, "application/json", text, strlen(text));
}

static bool content_type_is_json(const char *ct) {
        if (!ct || strncasecmp(ct, "application/json", 16) != 0)
                return false;
        return ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ';
}

/* Clients that end a session by closing their connection (never DELETE) leave it behind: when
 * the table is full, the session idle the longest (nothing in flight) makes room. Its client, if
 * it comes back, gets 404 and initializes again. */
static bool evict_idle_session(struct mcp_http *h) {
        struct http_session *oldest = NULL;
        for (struct http_session *hs = h->sessions; hs; hs = hs->next)
                if (hs->ss->n_calls == 0 && !hs->streams &&
                    (!oldest || hs->ss->last_active_ms < oldest->ss->last_active_ms))
                        oldest = hs;
        if (!oldest)
                return false;
        log_info("mcp: session %.8s... idle the longest: ended to make room", oldest->id);
        session_end(h, oldest);
        return true;
}

/* server/discover outside any session: answered by a session of its own, at once. */
static void answer_discover(struct mcp_http *h, struct http_conn *c, json_t *msg, struct buf *hdr, bool json_ok) {
        struct mcp_session *tmp = mcp_session_new(h->srv);
        struct http_stream *s = calloc(1, sizeof(*s));
        if (!tmp || !s || !hdr->data || hdr->len >= sizeof(s->headers)) {
                free(s);
                mcp_session_free(tmp);
                respond_text(c, 500, hdr->data, "out of memory\n");
                return;
        }
        s->st = (struct mcp_stream) { .ops = &stream_ops, .can_request = false };
        s->conn = c;
        s->sse_only = !json_ok;
        memcpy(s->headers, hdr->data, hdr->len + 1);
        http_conn_on_gone(c, stream_gone, s);
        mcp_session_handle(tmp, msg, &s->st); /* answers (and frees s) before it returns */
        mcp_session_free(tmp);
}

static void handle_post(struct mcp_http *h, struct http_conn *c, const struct httpd_request *req, const char *body,
                        size_t len, struct buf *hdr) {
        if (!content_type_is_json(httpd_request_header(req, "Content-Type"))) {
                respond_text(c, 415, hdr->data, "Content-Type must be application/json\n");
                return;
        }
        const char *accept = httpd_request_header(req, "Accept");
        bool json_ok = httpd_accepts(accept, "application/json");
        bool sse_ok = httpd_accepts(accept, "text/event-stream");
        if (!json_ok && !sse_ok) {
                respond_text(c, 406, hdr->data, "Accept must allow application/json or text/event-stream\n");
                return;
        }
        const char *pv = httpd_request_header(req, "MCP-Protocol-Version");
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *msg = json_parse_strict(body, len, MCP_HTTP_BODY_MAX, &err);
        if (!msg) {
                char text[ERROR_MSG_MAX + 32];
                snprintf(text, sizeof(text), "Parse error: %s", err.msg);
                respond_rpc_error(c, 400, hdr->data, NULL, MCP_PARSE_ERROR, text);
                return;
        }
        const char *why;
        enum mcp_msg_kind kind = mcp_msg_classify(msg, &why);
        if (kind == MCP_MSG_INVALID) {
                json_t *id = json_object_get(msg, "id");
                respond_rpc_error(c, 400, hdr->data, json_is_string(id) || json_is_integer(id) ? id : NULL,
                                  MCP_INVALID_REQUEST, why);
                return;
        }
        const char *method = json_string_value(json_object_get(msg, "method"));
        json_t *id = json_object_get(msg, "id");
        bool discover = kind == MCP_MSG_REQUEST && streq(method, "server/discover");
        if (pv && !mcp_version_supported(pv) && !discover) {
                _cleanup_json_ json_t *e = mcp_error_unsupported_version(kind == MCP_MSG_REQUEST ? id : NULL, pv);
                _cleanup_free_ char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
                if (text)
                        http_conn_respond(c, 400, hdr->data, "application/json", text, strlen(text));
                else
                        respond_text(c, 500, hdr->data, "out of memory\n");
                return;
        }
        /* server/discover is stateless (2026-07-28): no session needed */
        if (discover && !httpd_request_header(req, "Mcp-Session-Id")) {
                answer_discover(h, c, msg, hdr, json_ok);
                return;
        }
        struct http_session *hs;
        bool fresh = kind == MCP_MSG_REQUEST && streq(method, "initialize");
        if (fresh) {
                if (h->n_sessions >= h->srv->opts.max_sessions && !evict_idle_session(h)) {
                        respond_rpc_error(c, 503, hdr->data, id, MCP_SERVER_BUSY, "too many sessions");
                        return;
                }
                hs = calloc(1, sizeof(*hs));
                if (!hs || mcp_random_hex(hs->id) < 0 || !(hs->ss = mcp_session_new(h->srv))) {
                        free(hs);
                        respond_text(c, 500, hdr->data, "cannot start a session\n");
                        return;
                }
                hs->next = h->sessions;
                h->sessions = hs;
                h->n_sessions++;
        } else {
                const char *sid = httpd_request_header(req, "Mcp-Session-Id");
                if (!sid) {
                        respond_rpc_error(c, 400, hdr->data, id, MCP_INVALID_REQUEST,
                                          "Bad Request: Mcp-Session-Id header is required (initialize first)");
                        return;
                }
                hs = session_find(h, sid);
                if (!hs) {
                        respond_rpc_error(c, 404, hdr->data, id, MCP_INVALID_REQUEST,
                                          "Session not found: initialize a new one");
                        return;
                }
                if (pv && hs->ss->version && !streq(pv, hs->ss->version)) {
                        respond_rpc_error(c, 400, hdr->data, id, MCP_INVALID_REQUEST,
                                          "Bad Request: MCP-Protocol-Version differs from the session's");
                        return;
                }
        }
        hdr_printf(hdr, "Mcp-Session-Id: %s\r\n", hs->id);
        hs->ss->last_active_ms = loop_now_ms();
        if (kind != MCP_MSG_REQUEST) {
                mcp_session_handle(hs->ss, msg, NULL);
                http_conn_respond(c, 202, hdr->data, NULL, "", 0);
                return;
        }
        struct http_stream *s = calloc(1, sizeof(*s));
        if (!s || !hdr->data || hdr->len >= sizeof(s->headers)) {
                free(s);
                respond_text(c, 500, hdr->data, "out of memory\n");
                return;
        }
        s->st = (struct mcp_stream) { .ops = &stream_ops, .can_request = sse_ok };
        s->conn = c;
        s->hs = hs;
        s->sse_only = !json_ok;
        memcpy(s->headers, hdr->data, hdr->len + 1);
        s->next = hs->streams;
        hs->streams = s;
        http_conn_on_gone(c, stream_gone, s);
        /* s may be answered (and freed) before this returns */
        mcp_session_handle(hs->ss, msg, &s->st);
        if (fresh && !hs->ss->version) {
                /* initialize failed: no session */
                session_end(h, hs);
        }
}

static void on_request(void *ctx, struct http_conn *c, const struct httpd_request *req, const char *body, size_t len) {
        struct mcp_http *h = ctx;
        const struct mcp_options *o = &h->srv->opts;
        _cleanup_buf_ struct buf hdr = BUF_INIT(HEADERS_MAX - 1);
        hdr_printf(&hdr, "%s", "");
        if (!streq(req->path, "/mcp")) {
                respond_text(c, 404, NULL, "not found: the MCP endpoint is /mcp\n");
                return;
        }
        /* DNS rebinding: a page on attacker.example that resolves to 127.0.0.1 still says so */
        if (!o->allow_remote && !httpd_host_is_loopback(httpd_request_header(req, "Host"))) {
                respond_text(c, 403, NULL, "forbidden: the Host header does not name this machine\n");
                return;
        }
        const char *origin = httpd_request_header(req, "Origin");
        if (origin && !origin_allowed(h, origin)) {
                log_info("mcp: refused a request from origin %.200s", origin);
                respond_text(c, 403, NULL, "forbidden: origin not allowed\n");
                return;
        }
        cors_headers(origin, &hdr);
        if (req->method == HTTPD_OPTIONS) {
                hdr_printf(&hdr, "Allow: GET, POST, DELETE, OPTIONS\r\n");
                if (origin)
                        hdr_printf(&hdr, "Access-Control-Allow-Methods: GET, POST, DELETE, OPTIONS\r\n"
                                                "Access-Control-Allow-Headers: Content-Type, Accept, Authorization, "
                                                "Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID\r\n"
                                                "Access-Control-Max-Age: 600\r\n");
                http_conn_respond(c, 204, hdr.data, NULL, "", 0);
                return;
        }
        if (o->token && !httpd_bearer_matches(httpd_request_header(req, "Authorization"), o->token)) {
                hdr_printf(&hdr, "WWW-Authenticate: Bearer realm=\"skilllite-mcp\"\r\n");
                respond_text(c, 401, hdr.data, "unauthorized: a valid bearer token is required\n");
                return;
        }
        switch (req->method) {
        case HTTPD_POST:
                handle_post(h, c, req, body, len, &hdr);
                return;
        case HTTPD_DELETE: {
                const char *sid = httpd_request_header(req, "Mcp-Session-Id");
                struct http_session *hs = session_find(h, sid);
                if (!sid)
                        respond_text(c, 400, hdr.data, "Mcp-Session-Id header is required\n");
                else if (!hs)
                        respond_text(c, 404, hdr.data, "session not found\n");
                else {
                        log_info("mcp: session %.8s... ended by the client", hs->id);
                        session_end(h, hs);
                        http_conn_respond(c, 204, hdr.data, NULL, "", 0);
                }
                return;
        }
        default:
                /* GET: no server-initiated stream (allowed by the spec); the rest is not ours */
                hdr_printf(&hdr, "Allow: POST, DELETE, OPTIONS\r\n");
                respond_text(c, 405, hdr.data, "method not allowed\n");
                return;
        }
}

/* ---- listening ------------------------------------------------------------------------ */

static bool addr_is_loopback(const struct sockaddr_storage *ss) {
        if (ss->ss_family == AF_INET) {
                const struct sockaddr_in *in = (const struct sockaddr_in *) ss;
                return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        }
        if (ss->ss_family == AF_INET6) {
                const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) ss;
                if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
                        return true;
                return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
        }
        return false;
}

/* "HOST:PORT" (HOST may be [v6], "localhost" or empty for all addresses) -> a listening socket
 * and the URL it serves. */
static int listen_on(const char *spec, bool allow_remote, char **ret_url, struct error *err) {
        const char *colon = strrchr(spec, ':');
        if (!colon)
                return error_set(err, -EINVAL, "--http wants HOST:PORT (e.g. 127.0.0.1:0), not \"%s\"", spec);
        _cleanup_free_ char *given = strndup(spec, (size_t) (colon - spec));
        const char *port = colon + 1;
        if (!given)
                return error_set(err, -ENOMEM, "out of memory");
        size_t hl = strlen(given);
        if (hl >= 2 && given[0] == '[' && given[hl - 1] == ']') {
                memmove(given, given + 1, hl - 2);
                given[hl - 2] = '\0';
        }
        const char *host = streq(given, "localhost") ? "127.0.0.1" : given;
        char *end;
        errno = 0;
        unsigned long pn = strtoul(port, &end, 10);
        if (!*port || *end || errno || pn > 65535)
                return error_set(err, -EINVAL, "--http: invalid port \"%s\"", port);
        struct sockaddr_storage sa = { 0 };
        socklen_t salen;
        struct sockaddr_in *in = (struct sockaddr_in *) &sa;
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &sa;
        if (!*host || streq(host, "0.0.0.0")) {
                in->sin_family = AF_INET;
                in->sin_addr.s_addr = htonl(INADDR_ANY);
                in->sin_port = htons((uint16_t) pn);
                salen = sizeof(*in);
        } else if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
                in->sin_family = AF_INET;
                in->sin_port = htons((uint16_t) pn);
                salen = sizeof(*in);
        } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
                in6->sin6_family = AF_INET6;
                in6->sin6_port = htons((uint16_t) pn);
                salen = sizeof(*in6);
        } else
                return error_set(err, -EINVAL, "--http: \"%s\" is not an IP address (or localhost)", host);
        if (!addr_is_loopback(&sa) && !allow_remote)
                return error_set(err, -EPERM,
                                 "--http %s is not a loopback address: refusing to serve other machines "
                                 "without --allow-remote (and a bearer token)",
                                 spec);
        _cleanup_close_ int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return error_set(err, -errno, "socket: %s", strerror(errno));
        int one = 1;
        (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *) &sa, salen) < 0)
                return error_set(err, -errno, "--http %s: bind: %s", spec, strerror(errno));
        if (listen(fd, 64) < 0)
                return error_set(err, -errno, "listen: %s", strerror(errno));
        struct sockaddr_storage got = { 0 };
        socklen_t glen = sizeof(got);
        if (getsockname(fd, (struct sockaddr *) &got, &glen) < 0)
                return error_set(err, -errno, "getsockname: %s", strerror(errno));
        char addr[INET6_ADDRSTRLEN] = "";
        unsigned short bound_port;
        if (got.ss_family == AF_INET6) {
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *) &got)->sin6_addr, addr, sizeof(addr));
                bound_port = ntohs(((struct sockaddr_in6 *) &got)->sin6_port);
        } else {
                inet_ntop(AF_INET, &((struct sockaddr_in *) &got)->sin_addr, addr, sizeof(addr));
                bound_port = ntohs(((struct sockaddr_in *) &got)->sin_port);
        }
        if (asprintf(ret_url, got.ss_family == AF_INET6 ? "http://[%s]:%u/mcp" : "http://%s:%u/mcp", addr,
                     bound_port) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        return TAKE_FD(fd);
}

int mcp_http_serve(struct mcp_server *srv, struct error *err) {
        struct mcp_options *o = &srv->opts;
        if (o->allow_remote && (!o->token || !*o->token))
                return error_set(err, -EINVAL, "--allow-remote needs a bearer token (SKILLLITE_MCP_TOKEN or --token-file)");
        if (!o->max_sessions)
                o->max_sessions = 32;
        if (!o->max_connections)
                o->max_connections = 64;
        _cleanup_free_ char *url = NULL;
        int fd = listen_on(o->http_listen, o->allow_remote, &url, err);
        if (fd < 0)
                return fd;
        struct mcp_http h = { .srv = srv };
        struct http_server_limits lim = { .max_body = MCP_HTTP_BODY_MAX, .max_conns = o->max_connections,
                                          .read_timeout_ms = 30 * 1000, .idle_timeout_ms = 120 * 1000,
                                          .max_out = 256u << 20 };
        int r = http_server_new(srv->loop, fd, &lim, on_request, &h, &h.server);
        if (r < 0) {
                close(fd);
                return error_set(err, r, "http server: %s", strerror(-r));
        }
        h.sweep = loop_timer_add(srv->loop, SWEEP_MS, on_sweep, &h);
        if (o->on_listening)
                o->on_listening(url, o->on_listening_ctx);
        while (!mcp_stop_requested()) {
                r = loop_run_once(srv->loop, -1);
                if (r < 0) {
                        error_set(err, r, "event loop: %s", strerror(-r));
                        break;
                }
        }
        loop_timer_cancel(srv->loop, h.sweep);
        while (h.sessions)
                session_end(&h, h.sessions);
        /* let cancelled children stop, so their calls are freed before the engine goes */
        uint64_t deadline = loop_now_ms() + 5000;
        while (engine_inflight(srv->engine) && loop_now_ms() < deadline)
                loop_run_once(srv->loop, 100);
        http_server_free(h.server);
        return r < 0 ? r : 0;
}
