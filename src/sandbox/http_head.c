/* Parser for the head of a request a sandboxed skill sends to the proxy. Every byte is
 * attacker-controlled: all work is bounded by HTTP_HEAD_MAX, nothing assumes a NUL terminator,
 * and anything ambiguous between us and the upstream (smuggling, fronting) is refused. */
#include "http_head.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

#define CONNECTION_CLOSE "Connection: close\r\n"

/* A host[:port] as it appears in a request target or a Host header. */
struct authority {
        char host[sizeof(((struct http_request *) NULL)->host)];
        uint16_t port;
        bool has_port;
};

static enum http_head_status fail(const char **why, enum http_head_status status, const char *reason) {
        if (why)
                *why = reason;
        return status;
}

static char ascii_lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 9110 tchar. */
static bool is_tchar(char c) {
        return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const char *s, size_t n) {
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!is_tchar(s[i]))
                        return false;
        return true;
}

/* s[0..n) equals the NUL-terminated lit, ignoring ASCII case. */
static bool span_eq_ci(const char *s, size_t n, const char *lit) {
        size_t m = strlen(lit);
        if (n != m)
                return false;
        for (size_t i = 0; i < n; i++)
                if (ascii_lower(s[i]) != ascii_lower(lit[i]))
                        return false;
        return true;
}

static bool span_eq(const char *s, size_t n, const char *lit) {
        return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static bool is_ows(char c) {
        return c == ' ' || c == '\t';
}

/* Length of the head including the final CRLFCRLF, or 0 when there is none within the first
 * HTTP_HEAD_MAX bytes. Looking no further is what bounds the work, whatever len is. */
static size_t head_end(const char *buf, size_t len) {
        size_t lim = len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX;
        size_t i = 0;
        while (lim - i >= 4) {
                const char *cr = memchr(buf + i, '\r', lim - i - 3);
                if (!cr)
                        return 0;
                i = (size_t) (cr - buf);
                if (memcmp(cr, "\r\n\r\n", 4) == 0)
                        return i + 4;
                i++;
        }
        return 0;
}

/* 1..65535 in at most five plain digits: no sign, no spaces, nothing strtoul would forgive. */
static bool parse_port(const char *s, size_t n, uint16_t *ret) {
        if (n == 0 || n > 5)
                return false;
        uint32_t v = 0;
        for (size_t i = 0; i < n; i++) {
                if (!is_digit(s[i]))
                        return false;
                v = v * 10 + (uint32_t) (s[i] - '0');
        }
        if (v == 0 || v > 65535)
                return false;
        *ret = (uint16_t) v;
        return true;
}

static bool is_name_char(char c) {
        return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

static bool is_ipv6_char(char c) {
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

/* host[:port] or [ipv6][:port]. Names are limited to a conservative character set so that what
 * the policy checks is what the resolver sees: no '%', no userinfo, no zone ids. */
static enum http_head_status parse_authority(const char *s, size_t n, struct authority *ret,
                                             const char **why) {
        const char *host, *rest;
        size_t host_n;

        if (n == 0)
                return fail(why, HTTP_HEAD_BAD, "the request target has an empty host");
        bool ipv6 = s[0] == '[';
        if (memchr(s, '@', n))
                return fail(why, HTTP_HEAD_BAD, "userinfo in the request target is not allowed");
        if (ipv6) {
                const char *close = memchr(s, ']', n);
                if (!close)
                        return fail(why, HTTP_HEAD_BAD, "unterminated IPv6 literal in the request target");
                host = s + 1;
                host_n = (size_t) (close - host);
                rest = close + 1;
        } else {
                const char *colon = memchr(s, ':', n);
                host = s;
                host_n = colon ? (size_t) (colon - s) : n;
                rest = s + host_n;
        }
        size_t rest_n = n - (size_t) (rest - s);

        if (host_n == 0)
                return fail(why, HTTP_HEAD_BAD, "the request target has an empty host");
        if (host_n >= sizeof(ret->host))
                return fail(why, HTTP_HEAD_BAD, "the host is longer than 255 bytes");
        for (size_t i = 0; i < host_n; i++)
                if (ipv6 ? !is_ipv6_char(host[i]) : !is_name_char(host[i]))
                        return fail(why, HTTP_HEAD_BAD, "the host contains a character that is not allowed");
        for (size_t i = 0; i < host_n; i++)
                ret->host[i] = ascii_lower(host[i]);
        ret->host[host_n] = '\0';
        if (ipv6) {
                struct in6_addr a;
                if (inet_pton(AF_INET6, ret->host, &a) != 1)
                        return fail(why, HTTP_HEAD_BAD, "the IPv6 literal in the request target is invalid");
        }

        ret->has_port = rest_n > 0;
        ret->port = 0;
        if (rest_n > 0 && (rest[0] != ':' || !parse_port(rest + 1, rest_n - 1, &ret->port)))
                return fail(why, HTTP_HEAD_BAD, "the port is not a number from 1 to 65535");
        return HTTP_HEAD_OK;
}

/* scheme ":" as in RFC 3986, to tell "some other scheme" from plain garbage. */
static bool has_scheme(const char *s, size_t n) {
        if (n == 0 || !is_alpha(s[0]))
                return false;
        for (size_t i = 1; i < n; i++) {
                if (s[i] == ':')
                        return true;
                if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.')
                        return false;
        }
        return false;
}

struct target {
        struct authority auth;
        const char *authority; /* as written, for the Host header we add */
        size_t authority_n;
        const char *path;      /* path and query; empty means "/" */
        size_t path_n;
};

static enum http_head_status parse_absolute_target(const char *t, size_t n, struct target *ret,
                                                   const char **why) {
        static const char scheme[] = "http://";
        const size_t scheme_n = sizeof(scheme) - 1;

        for (size_t i = 0; i < n; i++)
                if (t[i] <= ' ' || t[i] >= 0x7f)
                        return fail(why, HTTP_HEAD_BAD,
                                    "the request target contains a control byte, space or non-ASCII byte");
        if (memchr(t, '#', n))
                return fail(why, HTTP_HEAD_BAD, "the request target contains a fragment");
        if (n < scheme_n || !span_eq_ci(t, scheme_n, scheme)) {
                if (t[0] == '/')
                        return fail(why, HTTP_HEAD_UNSUPPORTED,
                                    "origin-form target: a proxy request needs http://host/ or CONNECT");
                if (n == 1 && t[0] == '*')
                        return fail(why, HTTP_HEAD_UNSUPPORTED,
                                    "asterisk-form request target is not proxied");
                if (has_scheme(t, n))
                        return fail(why, HTTP_HEAD_UNSUPPORTED,
                                    "only http:// is proxied (use CONNECT for https)");
                return fail(why, HTTP_HEAD_BAD, "the request target is not absolute-form http://host/path");
        }

        const char *a = t + scheme_n, *end = t + n, *p = a;
        while (p < end && *p != '/' && *p != '?')
                p++;
        ret->authority = a;
        ret->authority_n = (size_t) (p - a);
        ret->path = p;
        ret->path_n = (size_t) (end - p);
        if (ret->authority_n == 0)
                return fail(why, HTTP_HEAD_BAD, "the request target has an empty host");
        enum http_head_status r = parse_authority(a, ret->authority_n, &ret->auth, why);
        if (r < 0)
                return r;
        if (!ret->auth.has_port)
                ret->auth.port = 80;
        return HTTP_HEAD_OK;
}

static enum http_head_status parse_connect_target(const char *t, size_t n, struct target *ret,
                                                  const char **why) {
        enum http_head_status r = parse_authority(t, n, &ret->auth, why);
        if (r < 0)
                return r;
        if (!ret->auth.has_port)
                return fail(why, HTTP_HEAD_BAD, "CONNECT needs host:port");
        ret->authority = t;
        ret->authority_n = n;
        ret->path = NULL;
        ret->path_n = 0;
        return HTTP_HEAD_OK;
}

/* Hop-by-hop headers that must not reach the upstream; Proxy-Authorization would leak whatever
 * the skill put there, and our own "Connection: close" replaces the client's choice. */
static bool is_dropped_header(const char *name, size_t n) {
        return span_eq_ci(name, n, "Proxy-Connection") || span_eq_ci(name, n, "Proxy-Authorization") ||
               span_eq_ci(name, n, "Connection") || span_eq_ci(name, n, "Keep-Alive");
}

/* Header lines are forwarded upstream unless hop-by-hop; line is validated, so it has a ':'. */
static bool header_is_forwarded(const char *line, size_t n) {
        const char *colon = memchr(line, ':', n);
        return !is_dropped_header(line, (size_t) (colon - line));
}

/* One header line (without CRLF) split into name and OWS-trimmed value. */
static enum http_head_status split_header(const char *line, size_t n, const char **ret_name,
                                          size_t *ret_name_n, const char **ret_value,
                                          size_t *ret_value_n, const char **why) {
        if (is_ows(line[0]))
                return fail(why, HTTP_HEAD_BAD, "obsolete line folding in a header");
        const char *colon = memchr(line, ':', n);
        if (!colon)
                return fail(why, HTTP_HEAD_BAD, "a header line has no ':'");
        size_t name_n = (size_t) (colon - line);
        if (name_n == 0)
                return fail(why, HTTP_HEAD_BAD, "a header has an empty name");
        if (is_ows(line[name_n - 1]))
                return fail(why, HTTP_HEAD_BAD, "whitespace between a header name and ':'");
        if (!is_token(line, name_n))
                return fail(why, HTTP_HEAD_BAD, "a header name is not a token");
        const char *v = colon + 1, *end = line + n;
        while (v < end && is_ows(*v))
                v++;
        while (end > v && is_ows(end[-1]))
                end--;
        *ret_name = line;
        *ret_name_n = name_n;
        *ret_value = v;
        *ret_value_n = (size_t) (end - v);
        return HTTP_HEAD_OK;
}

static bool host_header_matches(const char *v, size_t n, const struct target *t, bool is_connect) {
        struct authority h;
        if (n == 0 || parse_authority(v, n, &h, NULL) < 0)
                return false;
        uint16_t port = h.has_port ? h.port : is_connect ? t->auth.port : 80;
        return streq(h.host, t->auth.host) && port == t->auth.port;
}

/* Origin-form request line, the client's headers minus the dropped ones, Host if missing,
 * Connection: close, empty line. Everything copied was validated above and fits in a size
 * bounded by the head plus the target once more, so the arithmetic cannot overflow. */
static char *build_upstream_head(const char *headers, const char *headers_end,
                                 const char *method, size_t method_n, const char *version,
                                 const struct target *t, bool has_host, size_t *ret_len) {
        size_t kept = 0;
        for (const char *p = headers; p < headers_end;) {
                const char *eol = memchr(p, '\r', (size_t) (headers_end - p));
                if (header_is_forwarded(p, (size_t) (eol - p)))
                        kept += (size_t) (eol - p) + 2;
                p = eol + 2;
        }
        bool slash = t->path_n == 0 || t->path[0] != '/';
        size_t n = method_n + 1 + (slash ? 1 : 0) + t->path_n + 1 + 8 + 2 + kept +
                   (has_host ? 0 : strlen("Host: ") + t->authority_n + 2) + strlen(CONNECTION_CLOSE) + 2;
        assert(n <= 2 * HTTP_HEAD_MAX);

        char *out = malloc(n + 1);
        if (!out)
                return NULL;
        char *w = out;
        w = mempcpy(w, method, method_n);
        *w++ = ' ';
        if (slash)
                *w++ = '/';
        w = mempcpy(w, t->path, t->path_n);
        *w++ = ' ';
        w = mempcpy(w, version, 8);
        w = mempcpy(w, "\r\n", 2);
        for (const char *p = headers; p < headers_end;) {
                const char *eol = memchr(p, '\r', (size_t) (headers_end - p));
                if (header_is_forwarded(p, (size_t) (eol - p)))
                        w = mempcpy(w, p, (size_t) (eol - p) + 2);
                p = eol + 2;
        }
        if (!has_host) {
                w = mempcpy(w, "Host: ", strlen("Host: "));
                w = mempcpy(w, t->authority, t->authority_n);
                w = mempcpy(w, "\r\n", 2);
        }
        w = mempcpy(w, CONNECTION_CLOSE, strlen(CONNECTION_CLOSE));
        w = mempcpy(w, "\r\n", 2);
        *w = '\0';
        assert((size_t) (w - out) == n);
        *ret_len = n;
        return out;
}

/* Every line ends in CRLF; no bare CR or LF (the classic smuggling desync) and no control bytes
 * but HTAB, which only header values may carry (the line parsers refuse it everywhere else). */
static enum http_head_status check_bytes(const char *h, size_t n, size_t *ret_lines, const char **why) {
        size_t lines = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) h[i];
                if (c == '\r') {
                        if (i + 1 >= n || h[i + 1] != '\n')
                                return fail(why, HTTP_HEAD_BAD, "bare CR in the request head");
                        i++;
                        lines++;
                } else if (c == '\n')
                        return fail(why, HTTP_HEAD_BAD, "bare LF in the request head");
                else if ((c < 0x20 && c != '\t') || c == 0x7f)
                        return fail(why, HTTP_HEAD_BAD, "control byte in the request head");
        }
        *ret_lines = lines;
        return HTTP_HEAD_OK;
}

enum http_head_status http_head_parse(const char *buf, size_t len, struct http_request *req,
                                      const char **why) {
        struct http_request r = {};
        struct target t = {};
        enum http_head_status st;

        /* Zeroed whatever happens, so http_request_done() is always safe after a parse. */
        *req = (struct http_request) {};
        if (why)
                *why = NULL;
        if (len == 0)
                return HTTP_HEAD_INCOMPLETE;

        size_t head_len = head_end(buf, len);
        if (head_len == 0)
                return len >= HTTP_HEAD_MAX ?
                       fail(why, HTTP_HEAD_TOO_LARGE, "the request head is larger than 16384 bytes") :
                       HTTP_HEAD_INCOMPLETE;
        assert(head_len <= HTTP_HEAD_MAX);

        size_t lines;
        st = check_bytes(buf, head_len, &lines, why);
        if (st < 0)
                return st;
        /* lines counts the request line and the final empty one too. */
        assert(lines >= 2);
        if (lines - 2 > HTTP_HEAD_MAX_HEADERS)
                return fail(why, HTTP_HEAD_TOO_LARGE, "the request has more than 100 headers");

        /* Request line: METHOD SP target SP HTTP/1.x, single spaces only. */
        const char *end = buf + head_len - 2; /* the final empty line */
        const char *rl_end = memchr(buf, '\r', head_len);
        size_t rl_n = (size_t) (rl_end - buf);
        const char *sp1 = memchr(buf, ' ', rl_n);
        const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t) (rl_end - sp1 - 1)) : NULL;
        if (!sp2 || sp1 == buf || sp2 == sp1 + 1)
                return fail(why, HTTP_HEAD_BAD, "request line is not METHOD SP TARGET SP HTTP/1.x");
        const char *method = buf, *target = sp1 + 1, *version = sp2 + 1;
        size_t method_n = (size_t) (sp1 - buf), target_n = (size_t) (sp2 - target),
               version_n = (size_t) (rl_end - version);
        if (!is_token(method, method_n))
                return fail(why, HTTP_HEAD_BAD, "request line is not METHOD SP TARGET SP HTTP/1.x");
        if (method_n >= sizeof(r.method))
                return fail(why, HTTP_HEAD_BAD, "the method is too long");
        if (!span_eq(version, version_n, "HTTP/1.1") && !span_eq(version, version_n, "HTTP/1.0")) {
                /* HTTP/2.0, HTTP/3, HTTP/1.2: well-formed, just not ours. */
                bool versioned = version_n >= 6 && memcmp(version, "HTTP/", 5) == 0 && is_digit(version[5]) &&
                                 (version_n == 6 ||
                                  (version_n == 8 && version[6] == '.' && is_digit(version[7])));
                return versioned ?
                       fail(why, HTTP_HEAD_UNSUPPORTED, "only HTTP/1.0 and HTTP/1.1 are proxied") :
                       fail(why, HTTP_HEAD_BAD, "request line is not METHOD SP TARGET SP HTTP/1.x");
        }

        r.is_connect = span_eq(method, method_n, "CONNECT");
        st = r.is_connect ? parse_connect_target(target, target_n, &t, why) :
                            parse_absolute_target(target, target_n, &t, why);
        if (st < 0)
                return st;

        /* Headers. The head ends at the first CRLFCRLF, so no line before `end` is empty. */
        const char *headers = rl_end + 2;
        bool has_host = false, has_te = false, has_cl = false;
        for (const char *p = headers; p < end;) {
                const char *eol = memchr(p, '\r', (size_t) (end - p));
                const char *name, *value;
                size_t name_n, value_n;
                st = split_header(p, (size_t) (eol - p), &name, &name_n, &value, &value_n, why);
                if (st < 0)
                        return st;
                if (span_eq_ci(name, name_n, "Host")) {
                        if (has_host)
                                return fail(why, HTTP_HEAD_BAD, "more than one Host header");
                        has_host = true;
                        /* Otherwise the skill could be granted one host and talk to another
                         * behind it (domain fronting through our proxy). */
                        if (!host_header_matches(value, value_n, &t, r.is_connect))
                                return fail(why, HTTP_HEAD_BAD,
                                            "Host header does not match the request target");
                } else if (span_eq_ci(name, name_n, "Content-Length")) {
                        if (has_cl)
                                return fail(why, HTTP_HEAD_BAD, "more than one Content-Length header");
                        has_cl = true;
                        if (value_n == 0)
                                return fail(why, HTTP_HEAD_BAD, "Content-Length is not a number");
                        for (size_t i = 0; i < value_n; i++)
                                if (!is_digit(value[i]))
                                        return fail(why, HTTP_HEAD_BAD, "Content-Length is not a number");
                } else if (span_eq_ci(name, name_n, "Transfer-Encoding"))
                        has_te = true;
                p = eol + 2;
        }
        /* Both framings at once is how requests get smuggled past one parser to another. */
        if (has_te && has_cl)
                return fail(why, HTTP_HEAD_BAD, "both Transfer-Encoding and Content-Length");

        if (!r.is_connect) {
                r.upstream_head = build_upstream_head(headers, end, method, method_n, version, &t,
                                                      has_host, &r.upstream_head_len);
                if (!r.upstream_head)
                        return fail(why, HTTP_HEAD_BAD, "out of memory building the upstream request head");
        }
        memcpy(r.method, method, method_n);
        r.method[method_n] = '\0';
        memcpy(r.host, t.auth.host, sizeof(r.host));
        r.port = t.auth.port;
        r.head_len = head_len;
        *req = r;
        return HTTP_HEAD_OK;
}

void http_request_done(struct http_request *req) {
        if (!req)
                return;
        free(req->upstream_head);
        *req = (struct http_request) {};
}
