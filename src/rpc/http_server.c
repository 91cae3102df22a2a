/* The bounded HTTP/1.1 server (http_server.h). A connection reads one request (head, then a
 * Content-Length body), hands it to the handler and stops reading until the answer is out; then
 * it either waits for the next request (keep-alive) or closes. Everything read or queued has a
 * cap, and reading a request or idling has a deadline, so a slow or hostile client holds one
 * connection slot and a bounded amount of memory, never the loop. */
#include "http_server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/log.h"
#include "../base/macros.h"

#define READ_CHUNK 65536

enum conn_state {
        CONN_READING,   /* waiting for (the rest of) a request */
        CONN_HANDLING,  /* the handler owes an answer */
        CONN_STREAMING, /* a response of unknown length is being written */
        CONN_FLUSHING,  /* the answer is queued; then keep-alive or close */
        CONN_LINGER,    /* an early error answer is out: read and drop what the client still
                         * sends, so it gets to read the answer instead of a reset */
};

#define LINGER_MS 2000
#define LINGER_MAX (16u << 20)

struct http_conn {
        struct http_server *srv;
        int fd;
        enum conn_state state;
        struct buf in;
        struct buf out;
        size_t out_off;
        bool keep_alive;      /* after this answer */
        bool close_after;     /* close once the output is flushed */
        bool linger;          /* ... after a lingering read (an error answered mid-request) */
        size_t lingered;
        bool want_out;        /* EPOLLOUT registered */
        bool in_callback;     /* inside one of our callbacks: free later */
        bool dead;
        struct loop_timer *timer;
        http_gone_fn gone;
        void *gone_arg;
        struct httpd_request *req;
        struct http_conn *next;
};

struct http_server {
        struct loop *loop;
        int listen_fd;
        struct http_server_limits lim;
        http_handler_fn handler;
        void *ctx;
        struct http_conn *conns;
        unsigned n_conns;
};

static void conn_update_events(struct http_conn *c);
static void conn_drive(struct http_conn *c);
static void conn_free(struct http_conn *c);

/* Public entry points run as if in a callback of the connection: a close inside them frees it
 * on the way out, and a keep-alive connection back to reading handles what is buffered. */
static bool enter(struct http_conn *c) {
        bool was = c->in_callback;
        c->in_callback = true;
        return was;
}

static void leave(struct http_conn *c, bool was) {
        c->in_callback = was;
        if (was)
                return;
        if (c->dead)
                conn_free(c);
        else if (c->state == CONN_READING && c->in.len)
                conn_drive(c);
}

static void conn_free(struct http_conn *c) {
        struct http_server *s = c->srv;
        for (struct http_conn **p = &s->conns; *p; p = &(*p)->next)
                if (*p == c) {
                        *p = c->next;
                        s->n_conns--;
                        break;
                }
        loop_timer_cancel(s->loop, c->timer);
        loop_del(s->loop, c->fd);
        close(c->fd);
        buf_free(&c->in);
        buf_free(&c->out);
        free(c->req);
        free(c);
}

/* Close now; inside a callback of this connection, the free waits for its end. */
static void conn_kill(struct http_conn *c) {
        if (c->dead)
                return;
        c->dead = true;
        c->gone = NULL;
        if (!c->in_callback)
                conn_free(c);
        else {
                loop_del(c->srv->loop, c->fd);
                loop_timer_cancel(c->srv->loop, c->timer);
                c->timer = NULL;
        }
}

/* The client is gone: tell whoever owes it an answer, then close. */
static void conn_lost(struct http_conn *c) {
        http_gone_fn gone = c->gone;
        void *arg = c->gone_arg;
        c->gone = NULL;
        if (gone)
                gone(arg);
        conn_kill(c);
}

static void on_timer(void *arg);

static void conn_arm_timer(struct http_conn *c, unsigned ms) {
        loop_timer_cancel(c->srv->loop, c->timer);
        c->timer = ms ? loop_timer_add(c->srv->loop, ms, on_timer, c) : NULL;
}

static int queue(struct http_conn *c, const void *data, size_t len) {
        int r = buf_append(&c->out, data, len);
        if (r < 0) {
                log_info("http: output for a connection over %zu bytes: closing it", c->srv->lim.max_out);
                return r;
        }
        return 0;
}

static void flush(struct http_conn *c) {
        while (c->out_off < c->out.len) {
                ssize_t k = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        break;
                if (k < 0) {
                        conn_lost(c);
                        return;
                }
                c->out_off += (size_t) k;
        }
        if (c->out_off == c->out.len) {
                c->out.len = 0;
                c->out_off = 0;
                if (c->out.data)
                        c->out.data[0] = '\0';
                if (c->state == CONN_FLUSHING) {
                        if (c->linger) {
                                (void) shutdown(c->fd, SHUT_WR);
                                c->state = CONN_LINGER;
                                conn_arm_timer(c, LINGER_MS);
                                conn_update_events(c);
                                return;
                        }
                        if (c->close_after || !c->keep_alive) {
                                conn_kill(c);
                                return;
                        }
                        /* keep-alive: next request (one may already be buffered: the caller
                         * drives it, never this function, so pipelining cannot recurse) */
                        c->state = CONN_READING;
                        conn_arm_timer(c, c->in.len ? c->srv->lim.read_timeout_ms : c->srv->lim.idle_timeout_ms);
                }
        }
        conn_update_events(c);
}

static void conn_update_events(struct http_conn *c) {
        if (c->dead)
                return;
        uint32_t ev = EPOLLRDHUP;
        if (c->state == CONN_READING || c->state == CONN_LINGER)
                ev |= EPOLLIN;
        if (c->out_off < c->out.len)
                ev |= EPOLLOUT;
        if (loop_mod(c->srv->loop, c->fd, ev) < 0)
                conn_kill(c);
}

static int write_head(struct http_conn *c, int status, const char *headers, const char *content_type, bool length,
                      size_t len) {
        char head[512];
        int n = snprintf(head, sizeof(head),
                         "HTTP/1.1 %d %s\r\n"
                         "Cache-Control: no-store\r\n"
                         "X-Content-Type-Options: nosniff\r\n",
                         status, httpd_status_text(status));
        int r = queue(c, head, (size_t) n);
        if (r == 0 && content_type) {
                n = snprintf(head, sizeof(head), "Content-Type: %s\r\n", content_type);
                r = queue(c, head, (size_t) n);
        }
        if (r == 0 && length) {
                n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n", len);
                r = queue(c, head, (size_t) n);
        }
        if (r == 0 && headers)
                r = queue(c, headers, strlen(headers));
        if (r == 0) {
                const char *conn = c->keep_alive && !c->close_after ? "Connection: keep-alive\r\n\r\n"
                                                                    : "Connection: close\r\n\r\n";
                r = queue(c, conn, strlen(conn));
        }
        return r;
}

/* An answer of ours (errors while reading): the connection closes after it. */
static void respond_and_close(struct http_conn *c, int status, const char *text) {
        c->close_after = true;
        c->linger = true;
        c->state = CONN_FLUSHING;
        size_t len = strlen(text);
        if (write_head(c, status, NULL, "text/plain; charset=utf-8", true, len) < 0 || queue(c, text, len) < 0) {
                conn_kill(c);
                return;
        }
        flush(c);
}

int http_conn_respond(struct http_conn *c, int status, const char *headers, const char *content_type,
                      const void *body, size_t len) {
        if (c->dead || c->state != CONN_HANDLING)
                return -EINVAL;
        bool was = enter(c);
        c->gone = NULL;
        c->state = CONN_FLUSHING;
        int r = write_head(c, status, headers, content_type, true, len);
        if (r == 0)
                r = queue(c, body, len);
        if (r < 0)
                conn_kill(c);
        else
                flush(c);
        leave(c, was);
        return r;
}

/* After queueing part of a stream (r < 0: it could not be queued): send what is queued; 0, or
 * -EPIPE / r when the client is gone. */
static int stream_sent(struct http_conn *c, bool was, int r) {
        if (r < 0)
                conn_lost(c);
        else
                flush(c);
        r = r < 0 ? r : c->dead ? -EPIPE : 0;
        leave(c, was);
        return r;
}

int http_conn_stream_begin(struct http_conn *c, int status, const char *headers, const char *content_type) {
        if (c->dead || c->state != CONN_HANDLING)
                return -EINVAL;
        bool was = enter(c);
        c->state = CONN_STREAMING;
        c->close_after = true;
        int r = write_head(c, status, headers, content_type, false, 0);
        return stream_sent(c, was, r);
}

int http_conn_stream_write(struct http_conn *c, const void *data, size_t len) {
        if (c->dead || c->state != CONN_STREAMING)
                return -EPIPE;
        bool was = enter(c);
        int r = queue(c, data, len);
        return stream_sent(c, was, r);
}

void http_conn_stream_end(struct http_conn *c) {
        if (c->dead)
                return;
        bool was = enter(c);
        c->gone = NULL;
        c->state = CONN_FLUSHING;
        flush(c);
        leave(c, was);
}

void http_conn_on_gone(struct http_conn *c, http_gone_fn fn, void *arg) {
        c->gone = fn;
        c->gone_arg = arg;
}

void http_conn_close(struct http_conn *c) {
        bool was = enter(c);
        conn_kill(c);
        leave(c, was);
}

/* Parse what is buffered; hand over one complete request. Runs inside conn_drive(). */
static void conn_process(struct http_conn *c) {
        struct http_server *s = c->srv;
        if (c->state != CONN_READING || !c->in.len)
                return;
        if (!c->req && !(c->req = malloc(sizeof(*c->req)))) {
                conn_kill(c);
                return;
        }
        int n = httpd_request_parse(c->in.data, c->in.len, c->req);
        switch (n) {
        case HTTPD_PARSE_INCOMPLETE:
                return;
        case HTTPD_PARSE_TOO_LARGE:
                respond_and_close(c, 431, "request head too large\n");
                return;
        case HTTPD_PARSE_TARGET_TOO_LONG:
                respond_and_close(c, 414, "request target too long\n");
                return;
        case HTTPD_PARSE_VERSION:
                respond_and_close(c, 505, "HTTP/1.x only\n");
                return;
        case HTTPD_PARSE_MALFORMED:
                respond_and_close(c, 400, "malformed request\n");
                return;
        default:
                break;
        }
        struct httpd_request *req = c->req;
        if (req->has_transfer_encoding) {
                respond_and_close(c, 501, "Transfer-Encoding is not supported: send a Content-Length\n");
                return;
        }
        if (req->content_length > s->lim.max_body) {
                respond_and_close(c, 413, "request body too large\n");
                return;
        }
        if (!req->has_length && req->method == HTTPD_POST) {
                respond_and_close(c, 411, "Content-Length required\n");
                return;
        }
        size_t need = req->head_len + (size_t) req->content_length;
        if (c->in.len < need)
                return;
        c->state = CONN_HANDLING;
        c->keep_alive = req->keep_alive;
        loop_timer_cancel(s->loop, c->timer);
        c->timer = NULL;
        /* the body is copied out so the input buffer can keep the next (pipelined) request */
        _cleanup_free_ char *body = malloc((size_t) req->content_length + 1);
        if (!body) {
                conn_kill(c);
                return;
        }
        memcpy(body, c->in.data + req->head_len, (size_t) req->content_length);
        body[req->content_length] = '\0';
        memmove(c->in.data, c->in.data + need, c->in.len - need);
        c->in.len -= need;
        c->in.data[c->in.len] = '\0';
        conn_update_events(c);
        s->handler(s->ctx, c, req, body, (size_t) req->content_length);
}

/* Handle every complete request buffered, one after the other (a loop, not recursion). */
static void conn_drive(struct http_conn *c) {
        bool was = c->in_callback;
        c->in_callback = true;
        while (!c->dead && c->state == CONN_READING && c->in.len) {
                size_t before = c->in.len;
                conn_process(c);
                if (!c->dead && c->state == CONN_READING && c->in.len == before)
                        break; /* incomplete */
        }
        c->in_callback = was;
        if (c->dead && !was)
                conn_free(c);
}

static void on_conn_event(int fd, uint32_t events, void *arg) {
        struct http_conn *c = arg;
        (void) fd;
        c->in_callback = true;
        if (events & EPOLLOUT) {
                flush(c);
                if (!c->dead && c->state == CONN_READING && c->in.len)
                        conn_drive(c);
        }
        if (!c->dead && (events & EPOLLIN) && c->state == CONN_READING) {
                for (int rounds = 0; rounds < 8 && !c->dead && c->state == CONN_READING; rounds++) {
                        char chunk[READ_CHUNK];
                        ssize_t k = recv(c->fd, chunk, sizeof(chunk), 0);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0 && errno == EAGAIN)
                                break;
                        if (k <= 0) {
                                conn_lost(c);
                                break;
                        }
                        /* the first byte of a request starts its deadline */
                        if (c->in.len == 0)
                                conn_arm_timer(c, c->srv->lim.read_timeout_ms);
                        if (buf_append(&c->in, chunk, (size_t) k) < 0) {
                                respond_and_close(c, 413, "request too large\n");
                                break;
                        }
                        conn_drive(c);
                }
        }
        if (!c->dead && c->state == CONN_LINGER && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                for (;;) {
                        char chunk[READ_CHUNK];
                        ssize_t k = recv(c->fd, chunk, sizeof(chunk), 0);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0 && errno == EAGAIN)
                                break;
                        c->lingered += k > 0 ? (size_t) k : 0;
                        if (k <= 0 || c->lingered > LINGER_MAX) {
                                conn_kill(c);
                                break;
                        }
                }
        }
        if (!c->dead && (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && c->state != CONN_READING)
                conn_lost(c);
        else if (!c->dead && (events & (EPOLLHUP | EPOLLERR)))
                conn_lost(c);
        c->in_callback = false;
        if (c->dead)
                conn_free(c);
}

static void on_timer(void *arg) {
        struct http_conn *c = arg;
        c->timer = NULL; /* fired */
        if (c->state == CONN_LINGER) {
                conn_kill(c);
                return;
        }
        if (c->state != CONN_READING)
                return;
        c->in_callback = true;
        if (c->in.len)
                respond_and_close(c, 408, "request not complete in time\n");
        else
                conn_kill(c);
        c->in_callback = false;
        if (c->dead)
                conn_free(c);
}

static void on_accept(int fd, uint32_t events, void *arg) {
        struct http_server *s = arg;
        (void) events;
        for (int i = 0; i < 64; i++) {
                int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (cfd < 0) {
                        if (errno != EAGAIN && errno != EINTR)
                                log_warn("http: accept: %s", strerror(errno));
                        return;
                }
                if (s->n_conns >= s->lim.max_conns) {
                        static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                                   "Connection: close\r\n\r\n";
                        (void) !send(cfd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
                        close(cfd);
                        continue;
                }
                struct http_conn *c = calloc(1, sizeof(*c));
                if (!c) {
                        close(cfd);
                        continue;
                }
                c->srv = s;
                c->fd = cfd;
                c->state = CONN_READING;
                buf_init(&c->in, HTTPD_HEAD_MAX + s->lim.max_body + READ_CHUNK);
                buf_init(&c->out, s->lim.max_out);
                if (loop_add(s->loop, cfd, EPOLLIN | EPOLLRDHUP, on_conn_event, c) < 0) {
                        close(cfd);
                        free(c);
                        continue;
                }
                c->next = s->conns;
                s->conns = c;
                s->n_conns++;
                conn_arm_timer(c, s->lim.idle_timeout_ms);
        }
}

int http_server_new(struct loop *l, int listen_fd, const struct http_server_limits *lim, http_handler_fn fn,
                    void *ctx, struct http_server **ret) {
        struct http_server *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        *s = (struct http_server) { .loop = l, .listen_fd = listen_fd, .lim = *lim, .handler = fn, .ctx = ctx };
        int r = fd_set_nonblock(listen_fd);
        if (r == 0)
                r = loop_add(l, listen_fd, EPOLLIN, on_accept, s);
        if (r < 0) {
                free(s);
                return r;
        }
        *ret = s;
        return 0;
}

void http_server_free(struct http_server *s) {
        if (!s)
                return;
        while (s->conns) {
                s->conns->gone = NULL;
                conn_free(s->conns);
        }
        loop_del(s->loop, s->listen_fd);
        close(s->listen_fd);
        free(s);
}
