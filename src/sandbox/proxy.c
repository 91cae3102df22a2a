/* The run's allowlist proxy (see proxy.h). One connection = one request: the head is parsed,
 * decided, and then bytes are relayed between the skill and the one granted host:port until
 * either side is done. An absolute-form request is forwarded with "Connection: close", so a second
 * request cannot ride the same upstream connection to a host that was never checked. */
#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/macros.h"
#include "../base/log.h"
#include "http_head.h"
#include "io.h"
#include "resolver.h"
#include "tls_sni.h"

#define RELAY_BUF (64 * 1024)
#define PROXY_MAX_RECORDS 256

enum conn_state {
        C_HEAD,       /* reading the request head */
        C_RESOLVING,  /* waiting for the resolver child */
        C_CONNECTING, /* non-blocking connect in progress */
        C_RELAY,      /* moving bytes both ways */
        C_RESPOND,    /* writing our own response (403, 400...), then close */
};

struct relay {
        char data[RELAY_BUF];
        size_t off, len; /* pending bytes are data[off, off + len) */
};

struct conn {
        enum conn_state state;
        int client, upstream;
        uint32_t id;
        char head[HTTP_HEAD_MAX];
        size_t head_len;
        struct http_request req;
        struct relay up, down;          /* client -> upstream, upstream -> client */
        bool client_eof, upstream_eof;  /* read side saw EOF */
        bool up_shut, down_shut;        /* shutdown(SHUT_WR) done after draining */
        bool peeking;                   /* CONNECT: the client's bytes wait in `up` until the TLS
                                         * ClientHello's server name is checked against the host */
        bool counted_allowed;
        struct sockaddr_storage addrs[RESOLVER_MAX_ADDRS];
        size_t n_addrs, next_addr;
        uint16_t port;
        uint64_t started, deadline;     /* deadline: of the current state, or idle */
        uint64_t bytes_up, bytes_down;
        json_t *record;                 /* borrowed from p->records (NULL when over the cap) */
        bool record_started;            /* record_start() ran (once per connection) */
};

enum slot_kind { SLOT_LISTEN, SLOT_RESOLVER, SLOT_CLIENT, SLOT_UPSTREAM };
struct slot {
        enum slot_kind kind;
        size_t conn;
};

struct proxy {
        const struct plan_network *net;
        void (*notice)(const char *line);
        int listen_fd;
        struct resolver resolver;
        struct conn **conns; /* net->max_conns entries, NULL when free */
        struct slot *slots;  /* what each entry of the last poll set was */
        uint32_t next_id;
        uint64_t requests, allowed, denied, bytes_up, bytes_down, dropped;
        json_t *records;
};

int proxy_new(const struct plan_network *net, int listen_fd, void (*notice)(const char *line),
              struct proxy **ret, struct error *err) {
        struct proxy *p = calloc(1, sizeof(*p));
        if (!p) {
                safe_close(listen_fd);
                return error_set(err, -ENOMEM, "out of memory");
        }
        p->net = net;
        p->notice = notice;
        p->listen_fd = listen_fd;
        p->resolver = (struct resolver) RESOLVER_INIT;
        p->conns = calloc(net->max_conns, sizeof(*p->conns));
        p->slots = calloc(proxy_poll_max(p), sizeof(*p->slots));
        p->records = json_array();
        if (!p->conns || !p->slots || !p->records) {
                proxy_free(p);
                return error_set(err, -ENOMEM, "out of memory");
        }
        int r = fd_set_nonblock(listen_fd);
        if (r < 0) {
                proxy_free(p);
                return error_set(err, r, "proxy listener: %s", strerror(-r));
        }
        *ret = p;
        return 0;
}

size_t proxy_poll_max(const struct proxy *p) {
        return 2 + 2 * (size_t) p->net->max_conns;
}

/* --- records and decisions ------------------------------------------------------------------ */

static void record_set(struct conn *c, const char *key, json_t *v) {
        if (c->record)
                json_object_set_new(c->record, key, v);
        else
                json_decref(v);
}

static void record_start(struct proxy *p, struct conn *c) {
        if (c->record_started)
                return;
        c->record_started = true;
        if (json_array_size(p->records) >= PROXY_MAX_RECORDS) {
                p->dropped++;
                return;
        }
        json_t *r = json_pack("{s:s, s:s, s:i, s:s, s:s}", "method", c->req.method[0] ? c->req.method : "?",
                              "host", c->req.host, "port", (int) c->req.port, "decision", "pending",
                              "reason", "pending");
        if (r && json_array_append_new(p->records, r) == 0)
                c->record = r;
}

/* Allowed: counted once, when the upstream connection is made. A later denial (byte budget, a
 * CONNECT tunnel's TLS server name) takes it back. */
static void decide_allowed(struct proxy *p, struct conn *c) {
        p->allowed++;
        c->counted_allowed = true;
        record_set(c, "decision", json_string("allowed"));
        record_set(c, "reason", json_string("ok"));
}

static const char *status_text(int status) {
        switch (status) {
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 408: return "Request Timeout";
        case 431: return "Request Header Fields Too Large";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        }
        return "Error";
}

/* Deny: recorded, said on the engine's stderr, and answered with an HTTP error the skill can read. */
static void deny(struct proxy *p, struct conn *c, int status, const char *reason, const char *fmt, ...)
        _printf_(5, 6);
static void deny(struct proxy *p, struct conn *c, int status, const char *reason, const char *fmt, ...) {
        char why[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        p->denied++;
        if (c->counted_allowed) {
                p->allowed--;
                c->counted_allowed = false;
        }
        if (c->state == C_HEAD)
                record_start(p, c); /* a request refused before decide() (malformed, timeout) */
        record_set(c, "decision", json_string("denied"));
        record_set(c, "reason", json_string(reason));
        record_set(c, "message", json_string(why));
        char line[sizeof(c->req.method) + sizeof(c->req.host) + 400 + 32];
        if (c->req.host[0])
                snprintf(line, sizeof(line), "denied %s %s:%u: %s", c->req.method, c->req.host,
                         (unsigned) c->req.port, why);
        else
                snprintf(line, sizeof(line), "denied a request: %s", why);
        if (p->notice)
                p->notice(line);
        /* The connection may already be relaying (limits): then it is just closed. */
        c->upstream = safe_close(c->upstream);
        if (c->state == C_RELAY) {
                c->client = safe_close(c->client);
                return;
        }
        int n = snprintf(c->down.data, sizeof(c->down.data),
                         "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
                         "Connection: close\r\nX-SkillLite-Proxy: denied\r\n\r\nskilllite proxy: %s\n",
                         status, status_text(status), strlen(why) + strlen("skilllite proxy: \n"), why);
        c->down.off = 0;
        c->down.len = n > 0 && (size_t) n < sizeof(c->down.data) ? (size_t) n : 0;
        c->state = C_RESPOND;
        c->deadline = now_ms() + 5000;
}

static void conn_close(struct proxy *p, size_t i) {
        struct conn *c = p->conns[i];
        if (!c)
                return;
        if (c->record) {
                record_set(c, "bytes_up", json_integer((json_int_t) c->bytes_up));
                record_set(c, "bytes_down", json_integer((json_int_t) c->bytes_down));
                record_set(c, "duration_ms", json_integer((json_int_t) (now_ms() - c->started)));
                /* closed before any decision: the client gave up while we were deciding */
                if (streq(json_string_value(json_object_get(c->record, "decision")) ?: "", "pending")) {
                        record_set(c, "decision", json_string("denied"));
                        record_set(c, "reason", json_string("client_closed"));
                }
        }
        safe_close(c->client);
        safe_close(c->upstream);
        http_request_done(&c->req);
        free(c);
        p->conns[i] = NULL;
}

void proxy_free(struct proxy *p) {
        if (!p)
                return;
        for (size_t i = 0; p->conns && i < p->net->max_conns; i++)
                conn_close(p, i);
        resolver_stop(&p->resolver);
        safe_close(p->listen_fd);
        free(p->conns);
        free(p->slots);
        json_decref(p->records);
        free(p);
}

/* --- the decision ---------------------------------------------------------------------------- */

/* An IP literal in any form the grants code treats as one (inet_aton's too). */
static bool ip_literal(const char *host, uint16_t port, struct sockaddr_storage *ss) {
        memset(ss, 0, sizeof(*ss));
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) ss;
        struct sockaddr_in *s4 = (struct sockaddr_in *) ss;
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
                s6->sin6_family = AF_INET6;
                s6->sin6_port = htons(port);
                return true;
        }
        if (inet_aton(host, &s4->sin_addr)) {
                s4->sin_family = AF_INET;
                s4->sin_port = htons(port);
                return true;
        }
        return false;
}

static void addr_text(const struct sockaddr_storage *ss, char *out, size_t n) {
        const void *a = ss->ss_family == AF_INET6 ? (const void *) &((const struct sockaddr_in6 *) ss)->sin6_addr
                                                  : (const void *) &((const struct sockaddr_in *) ss)->sin_addr;
        if (!inet_ntop(ss->ss_family, a, out, (socklen_t) n))
                snprintf(out, n, "?");
}

static void start_connect(struct proxy *p, struct conn *c);

/* Addresses known (resolved or literal): refuse the run's forbidden ranges, then connect. A name
 * with one forbidden address among public ones is refused as a whole: that mix is what DNS
 * rebinding looks like. */
static void check_addresses(struct proxy *p, struct conn *c) {
        json_t *list = json_array();
        for (size_t i = 0; i < c->n_addrs; i++) {
                char text[INET6_ADDRSTRLEN];
                addr_text(&c->addrs[i], text, sizeof(text));
                if (list)
                        json_array_append_new(list, json_string(text));
                enum net_addr_class cls = net_addr_classify((const struct sockaddr *) &c->addrs[i]);
                if (cls != NET_ADDR_PUBLIC && !p->net->allow_private) {
                        record_set(c, "address", json_string(text));
                        json_decref(list);
                        deny(p, c, 403, "private_address",
                             "%s resolves to %s, a %s address; the proxy only connects to public addresses "
                             "(the user can allow this with --allow-private-network)",
                             c->req.host, text, net_addr_class_to_string(cls));
                        return;
                }
        }
        record_set(c, "resolved", list);
        start_connect(p, c);
}

static void decide(struct proxy *p, struct conn *c) {
        record_start(p, c);
        c->port = c->req.port;
        if (p->requests > p->net->max_requests) {
                deny(p, c, 503, "connection_limit", "this run already made %u requests (the limit)",
                     (unsigned) p->net->max_requests);
                return;
        }
        if (p->bytes_up + p->bytes_down >= p->net->max_bytes) {
                deny(p, c, 403, "byte_limit", "this run's network budget of %llu bytes is used up",
                     (unsigned long long) p->net->max_bytes);
                return;
        }
        const struct net_rule *rule = NULL;
        enum net_verdict v = net_grants_match(&p->net->grants, c->req.host, c->req.port, &rule);
        switch (v) {
        case NET_ALLOW: break;
        case NET_DENY_RULE:
                deny(p, c, 403, "deny_rule", "%s:%u is denied by the rule '!%s'", c->req.host,
                     (unsigned) c->req.port, rule && rule->host ? rule->host : "?");
                return;
        case NET_DENY_BAD_HOST:
                deny(p, c, 400, "bad_host", "'%s' is not a valid host name or IP address", c->req.host);
                return;
        case NET_DENY_NOT_GRANTED: {
                struct sockaddr_storage ss;
                bool ip = ip_literal(c->req.host, c->req.port, &ss);
                deny(p, c, 403, "not_granted", "%s:%u is not in this skill's network grants%s", c->req.host,
                     (unsigned) c->req.port,
                     ip ? " (raw IP addresses must be granted literally)"
                        : " (declare it in metadata skilllite.network or pass --allow-network=HOST)");
                return;
        }
        }
        c->deadline = now_ms() + (uint64_t) PLAN_NET_CONNECT_SECS * 1000;
        if (ip_literal(c->req.host, c->req.port, &c->addrs[0])) {
                c->n_addrs = 1;
                check_addresses(p, c);
                return;
        }
        int r = resolver_lookup(&p->resolver, c->id, c->req.host);
        if (r < 0) {
                deny(p, c, 502, "resolve_failed", "cannot resolve %s: %s", c->req.host, strerror(-r));
                return;
        }
        c->state = C_RESOLVING;
}

static void on_resolved(struct proxy *p, const struct resolver_answer *a) {
        for (size_t i = 0; i < p->net->max_conns; i++) {
                struct conn *c = p->conns[i];
                if (!c || c->id != a->id || c->state != C_RESOLVING)
                        continue;
                if (a->gai_error || a->n == 0) {
                        deny(p, c, 502, "resolve_failed", "cannot resolve %s%s", c->req.host,
                             a->gai_error ? ": no such host (or the lookup failed)" : ": no addresses");
                        return;
                }
                c->n_addrs = a->n;
                for (size_t k = 0; k < a->n; k++) {
                        c->addrs[k] = a->addrs[k];
                        if (c->addrs[k].ss_family == AF_INET6)
                                ((struct sockaddr_in6 *) &c->addrs[k])->sin6_port = htons(c->port);
                        else
                                ((struct sockaddr_in *) &c->addrs[k])->sin_port = htons(c->port);
                }
                check_addresses(p, c);
                return;
        }
}

/* --- connecting and relaying ----------------------------------------------------------------- */

static void start_connect(struct proxy *p, struct conn *c) {
        while (c->next_addr < c->n_addrs) {
                const struct sockaddr_storage *ss = &c->addrs[c->next_addr++];
                socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
                int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                if (fd < 0)
                        continue;
                if (connect(fd, (const struct sockaddr *) ss, len) == 0 || errno == EINPROGRESS) {
                        c->upstream = fd;
                        c->state = C_CONNECTING;
                        char text[INET6_ADDRSTRLEN];
                        addr_text(ss, text, sizeof(text));
                        record_set(c, "address", json_string(text));
                        return;
                }
                close(fd);
        }
        deny(p, c, 502, "connect_failed", "cannot connect to %s:%u", c->req.host, (unsigned) c->port);
}

static void connected(struct proxy *p, struct conn *c) {
        int soerr = 0;
        socklen_t len = sizeof(soerr);
        if (getsockopt(c->upstream, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr) {
                c->upstream = safe_close(c->upstream);
                start_connect(p, c); /* the next address, or 502 */
                return;
        }
        decide_allowed(p, c);
        c->state = C_RELAY;
        c->deadline = now_ms() + (uint64_t) p->net->idle_secs * 1000;
        /* Bytes the client sent after its head (a request body, an early TLS hello) go first. */
        size_t extra = c->head_len - c->req.head_len;
        if (c->req.is_connect) {
                static const char ok[] = "HTTP/1.1 200 Connection Established\r\n\r\n";
                memcpy(c->down.data, ok, sizeof(ok) - 1);
                c->down.len = sizeof(ok) - 1;
                memcpy(c->up.data, c->head + c->req.head_len, extra);
                c->up.len = extra;
                c->peeking = true; /* released (and counted) by peek_check() */
                return;
        } else {
                /* the rewritten head plus the extra bytes always fit: both are under 16 KiB + 1 KiB */
                memcpy(c->up.data, c->req.upstream_head, c->req.upstream_head_len);
                memcpy(c->up.data + c->req.upstream_head_len, c->head + c->req.head_len, extra);
                c->up.len = c->req.upstream_head_len + extra;
        }
        c->bytes_up += c->up.len, p->bytes_up += c->up.len;
}

/* A CONNECT tunnel's first client bytes: a TLS ClientHello must name the host that was granted
 * and connected to (no domain fronting: "CONNECT granted:443" then SNI "other.example"). No
 * server name (IP clients) and non-TLS protocols pass: the bytes still only reach the granted
 * host. Returns false when the tunnel was refused. */
static bool peek_check(struct proxy *p, struct conn *c) {
        char sni[256];
        enum tls_sni_status st = tls_sni_parse((const unsigned char *) c->up.data, c->up.len, sni, sizeof(sni));
        if (st == TLS_SNI_NEED_MORE && c->up.len < TLS_SNI_PEEK_MAX && !c->client_eof)
                return true; /* wait for the rest of the record */
        if (st == TLS_SNI_FOUND && strcasecmp(sni, c->req.host) != 0) {
                record_set(c, "tls_sni", json_string(sni));
                deny(p, c, 403, "sni_mismatch", "the TLS server name '%s' is not the host the tunnel was "
                     "granted for (%s)", sni, c->req.host);
                return false;
        }
        if (st == TLS_SNI_MALFORMED) {
                deny(p, c, 400, "bad_request", "malformed or fragmented TLS ClientHello in the tunnel to %s",
                     c->req.host);
                return false;
        }
        record_set(c, "tls_sni", st == TLS_SNI_FOUND ? json_string(sni)
                                 : st == TLS_SNI_ABSENT ? json_string("(none)")
                                                        : json_string("(not TLS)"));
        c->peeking = false;
        c->bytes_up += c->up.len, p->bytes_up += c->up.len;
        return true;
}

/* Move what is pending in b to fd. Returns the bytes sent, or -1 when the peer is gone. */
static ssize_t flush(int fd, struct relay *b) {
        ssize_t sent = 0;
        while (b->len) {
                ssize_t k = send(fd, b->data + b->off, b->len, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return sent;
                if (k <= 0)
                        return -1;
                b->off += (size_t) k;
                b->len -= (size_t) k;
                sent += k;
        }
        b->off = 0;
        return sent;
}

/* Read into an empty buffer. Returns bytes read, 0 at EOF, -1 on error, -2 when nothing yet. */
static ssize_t fill(int fd, struct relay *b) {
        ssize_t k = recv(fd, b->data, sizeof(b->data), MSG_DONTWAIT);
        if (k < 0)
                return errno == EAGAIN || errno == EINTR ? -2 : -1;
        b->off = 0;
        b->len = (size_t) k;
        return k;
}

/* One direction of the relay: when its buffer is empty and `from` is ready, read, then push to
 * `to`; at EOF (and once drained) half-close `to`. Returns bytes read, or -1 when a peer is gone. */
static ssize_t relay_one_way(int from, int to, short from_ev, struct relay *b, bool *eof, bool *shut) {
        ssize_t k = 0;
        if (!*eof && b->len == 0 && (from_ev & (POLLIN | POLLHUP | POLLERR))) {
                k = fill(from, b);
                if (k == 0 || k == -1)
                        *eof = true, k = 0;
                else if (k > 0 && flush(to, b) < 0)
                        return -1;
                else if (k == -2)
                        k = 0;
        }
        if (*eof && !*shut && b->len == 0) {
                shutdown(to, SHUT_WR);
                *shut = true;
        }
        return k;
}

/* One relay step on readiness; returns false when the connection is finished. */
static bool relay_step(struct proxy *p, struct conn *c, short client_ev, short upstream_ev) {
        if ((client_ev | upstream_ev) & POLLNVAL)
                return false;
        bool moved = false;
        if (c->peeking) {
                if (!c->client_eof && (client_ev & (POLLIN | POLLHUP | POLLERR))) {
                        ssize_t k = recv(c->client, c->up.data + c->up.len, sizeof(c->up.data) - c->up.len,
                                         MSG_DONTWAIT);
                        if (k > 0)
                                c->up.len += (size_t) k, moved = true;
                        else if (k == 0 || (errno != EAGAIN && errno != EINTR))
                                c->client_eof = true;
                }
                if (!peek_check(p, c))
                        return false;
                client_ev = 0; /* what was readable has been read */
        }
        ssize_t a = c->peeking ? 0 : flush(c->upstream, &c->up), b = flush(c->client, &c->down);
        if (a < 0 || b < 0)
                return false;
        moved = moved || a > 0 || b > 0;
        ssize_t up = c->peeking ? 0
                                : relay_one_way(c->client, c->upstream, client_ev, &c->up, &c->client_eof,
                                                &c->up_shut);
        ssize_t down = relay_one_way(c->upstream, c->client, upstream_ev, &c->down, &c->upstream_eof,
                                     &c->down_shut);
        if (up < 0 || down < 0)
                return false;
        c->bytes_up += (uint64_t) up, p->bytes_up += (uint64_t) up;
        c->bytes_down += (uint64_t) down, p->bytes_down += (uint64_t) down;
        moved = moved || up > 0 || down > 0;
        if (p->bytes_up + p->bytes_down > p->net->max_bytes) {
                deny(p, c, 403, "byte_limit", "this run's network budget of %llu bytes is used up",
                     (unsigned long long) p->net->max_bytes);
                return false;
        }
        /* Idle means no bytes moved either way: readiness alone does not keep a tunnel alive. */
        if (moved)
                c->deadline = now_ms() + (uint64_t) p->net->idle_secs * 1000;
        return !(c->up_shut && c->down_shut);
}

/* --- reading the head ------------------------------------------------------------------------- */

static void read_head(struct proxy *p, struct conn *c) {
        ssize_t k = recv(c->client, c->head + c->head_len, sizeof(c->head) - c->head_len, MSG_DONTWAIT);
        if (k < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (k <= 0) {
                c->client = safe_close(c->client); /* gone before saying anything: nothing to record */
                return;
        }
        c->head_len += (size_t) k;
        const char *why = NULL;
        enum http_head_status st = http_head_parse(c->head, c->head_len, &c->req, &why);
        switch (st) {
        case HTTP_HEAD_INCOMPLETE: return;
        case HTTP_HEAD_OK:
                p->requests++;
                decide(p, c);
                return;
        case HTTP_HEAD_TOO_LARGE:
                http_request_done(&c->req); /* nothing half-parsed goes into the record */
                deny(p, c, 431, "bad_request", "%s", why ? why : "request head too large"); return;
        case HTTP_HEAD_UNSUPPORTED:
        case HTTP_HEAD_BAD:
                http_request_done(&c->req);
                deny(p, c, 400, "bad_request", "%s (the proxy takes CONNECT host:port and http:// "
                     "absolute-form requests)", why ? why : "malformed request");
                return;
        }
}

static void accept_all(struct proxy *p) {
        for (;;) {
                int fd = accept4(p->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0)
                        return; /* EAGAIN, or the sandbox is going away */
                size_t i = 0;
                while (i < p->net->max_conns && p->conns[i])
                        i++;
                struct conn *c = i < p->net->max_conns ? calloc(1, sizeof(*c)) : NULL;
                if (!c) {
                        static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                                   "Connection: close\r\nX-SkillLite-Proxy: denied\r\n\r\n";
                        (void) !send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
                        close(fd);
                        p->denied++;
                        if (p->notice) {
                                char line[128];
                                snprintf(line, sizeof(line), "denied a connection: %u connections are "
                                         "already open (the limit)", (unsigned) p->net->max_conns);
                                p->notice(line);
                        }
                        continue;
                }
                c->client = fd;
                c->upstream = -1;
                c->id = ++p->next_id;
                c->started = now_ms();
                c->deadline = c->started + (uint64_t) PLAN_NET_HEAD_SECS * 1000;
                c->state = C_HEAD;
                p->conns[i] = c;
        }
}

/* --- the poll set ----------------------------------------------------------------------------- */

size_t proxy_poll_fill(struct proxy *p, struct pollfd *pfd) {
        size_t n = 0;
        p->slots[n] = (struct slot) { SLOT_LISTEN, 0 };
        pfd[n++] = (struct pollfd) { p->listen_fd, POLLIN, 0 };
        if (p->resolver.fd >= 0) {
                p->slots[n] = (struct slot) { SLOT_RESOLVER, 0 };
                pfd[n++] = (struct pollfd) { p->resolver.fd, POLLIN, 0 };
        }
        for (size_t i = 0; i < p->net->max_conns; i++) {
                struct conn *c = p->conns[i];
                if (!c)
                        continue;
                short cev = 0, uev = 0;
                switch (c->state) {
                case C_HEAD: cev = POLLIN; break;
                case C_RESOLVING: break;
                case C_CONNECTING: uev = POLLOUT; break;
                case C_RESPOND: cev = POLLOUT; break;
                case C_RELAY:
                        cev = (short) ((!c->client_eof && (c->peeking ? c->up.len < TLS_SNI_PEEK_MAX : c->up.len == 0)
                                                ? POLLIN : 0) | (c->down.len ? POLLOUT : 0));
                        uev = (short) ((!c->upstream_eof && c->down.len == 0 ? POLLIN : 0) |
                                       (c->up.len && !c->peeking ? POLLOUT : 0));
                        break;
                }
                /* A side with nothing to do is left out: poll would report its hang-up again and
                 * again while the other side is still draining (a busy loop). When both are quiet
                 * both have reached EOF and the connection is already finished. */
                if (c->client >= 0 && cev) {
                        p->slots[n] = (struct slot) { SLOT_CLIENT, i };
                        pfd[n++] = (struct pollfd) { c->client, cev, 0 };
                }
                if (c->upstream >= 0 && uev) {
                        p->slots[n] = (struct slot) { SLOT_UPSTREAM, i };
                        pfd[n++] = (struct pollfd) { c->upstream, uev, 0 };
                }
        }
        return n;
}

uint64_t proxy_next_deadline(const struct proxy *p) {
        uint64_t d = UINT64_MAX;
        for (size_t i = 0; i < p->net->max_conns; i++)
                if (p->conns[i] && p->conns[i]->deadline < d)
                        d = p->conns[i]->deadline;
        return d;
}

static void expire(struct proxy *p, size_t i, uint64_t now) {
        struct conn *c = p->conns[i];
        if (now < c->deadline)
                return;
        switch (c->state) {
        case C_HEAD: deny(p, c, 408, "timeout", "no complete request head within %d s", PLAN_NET_HEAD_SECS); break;
        case C_RESOLVING:
        case C_CONNECTING:
                deny(p, c, 504, "timeout", "could not reach %s:%u within %d s", c->req.host, (unsigned) c->port,
                     PLAN_NET_CONNECT_SECS);
                break;
        case C_RELAY:
                record_set(c, "closed", json_string("idle timeout"));
                conn_close(p, i);
                return;
        case C_RESPOND: conn_close(p, i); return;
        }
        if (p->conns[i] && p->conns[i]->client < 0)
                conn_close(p, i);
}

void proxy_poll_handle(struct proxy *p, const struct pollfd *pfd, size_t n, uint64_t now) {
        /* Gather each connection's events first: client and upstream are two entries. */
        for (size_t k = 0; k < n; k++) {
                const struct slot *s = &p->slots[k];
                if (!pfd[k].revents)
                        continue;
                if (s->kind == SLOT_LISTEN) {
                        accept_all(p);
                        continue;
                }
                if (s->kind == SLOT_RESOLVER) {
                        struct resolver_answer a;
                        int r;
                        while ((r = resolver_read(&p->resolver, &a)) > 0)
                                on_resolved(p, &a);
                        if (r < 0)
                                resolver_stop(&p->resolver); /* pending lookups time out */
                        continue;
                }
                struct conn *c = p->conns[s->conn];
                if (!c)
                        continue;
                short cev = 0, uev = 0;
                if (s->kind == SLOT_CLIENT) {
                        cev = pfd[k].revents;
                        /* the matching upstream entry, if any, comes right after */
                        if (k + 1 < n && p->slots[k + 1].kind == SLOT_UPSTREAM && p->slots[k + 1].conn == s->conn)
                                uev = pfd[++k].revents;
                } else
                        uev = pfd[k].revents;
                switch (c->state) {
                case C_HEAD: read_head(p, c); break;
                case C_CONNECTING:
                        if (uev)
                                connected(p, c);
                        /* relay_step also checks bytes that came with the CONNECT head */
                        if (c->state == C_RELAY && !relay_step(p, c, 0, 0))
                                conn_close(p, s->conn);
                        break;
                case C_RELAY:
                        if (!relay_step(p, c, cev, uev))
                                conn_close(p, s->conn);
                        break;
                case C_RESPOND:
                        if (flush(c->client, &c->down) < 0 || c->down.len == 0 || (cev & (POLLERR | POLLHUP)))
                                conn_close(p, s->conn);
                        break;
                case C_RESOLVING: break;
                }
                if (p->conns[s->conn] && p->conns[s->conn]->client < 0)
                        conn_close(p, s->conn);
        }
        for (size_t i = 0; i < p->net->max_conns; i++)
                if (p->conns[i])
                        expire(p, i, now);
}

json_t *proxy_report(const struct proxy *p) {
        return json_pack("{s:b, s:s, s:s, s:o*, s:b, s:b, s:O, s:I, s:I, s:I, s:I, s:I}", "enabled", 1, "mode",
                         "proxy", "proxy", SANDBOX_PROXY_URL, "grants", net_grants_to_json(&p->net->grants),
                         "open", p->net->open, "private_allowed", p->net->allow_private, "requests", p->records,
                         "requests_dropped", (json_int_t) p->dropped, "allowed", (json_int_t) p->allowed,
                         "denied", (json_int_t) p->denied, "bytes_up", (json_int_t) p->bytes_up, "bytes_down",
                         (json_int_t) p->bytes_down);
}
