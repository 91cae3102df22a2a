/* The HTTP/1.1 request-head parser and the loopback checks (http_request.h). The head is copied
 * once into the request and split there, so every pointer handed out is NUL-terminated and the
 * caller's buffer can move on. Strict where laxness would let two parsers disagree about where a
 * request ends (Content-Length, folding, whitespace before the colon). */
#include "http_request.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"
#include "../base/sha256.h"

/* RFC 9110 tchar */
static bool is_tchar(unsigned char c) {
        return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* VCHAR, obs-text, SP and HTAB: what a field value may hold. */
static bool is_field_char(unsigned char c) {
        return c == '\t' || c == ' ' || (c > 0x20 && c != 0x7f);
}

/* The end of the head: the index just past its blank line, or 0 when it is not there yet.
 * *skip counts leading empty lines (RFC 9112 §2.2 lets a server ignore them). */
static size_t find_head_end(const char *buf, size_t len, size_t *skip) {
        size_t i = 0;
        *skip = 0;
        while (i < len && (buf[i] == '\r' || buf[i] == '\n') && i < 8)
                i++;
        *skip = i;
        size_t line_start = i;
        for (; i < len; i++) {
                if (buf[i] != '\n')
                        continue;
                size_t line_len = i - line_start;
                if (line_len && buf[i - 1] == '\r')
                        line_len--;
                if (line_len == 0)
                        return i + 1;
                line_start = i + 1;
        }
        return 0;
}

static enum httpd_method method_of(const char *m) {
        static const struct {
                const char *name;
                enum httpd_method method;
        } table[] = {
                { "GET", HTTPD_GET }, { "POST", HTTPD_POST }, { "DELETE", HTTPD_DELETE },
                { "OPTIONS", HTTPD_OPTIONS }, { "HEAD", HTTPD_HEAD },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(m, table[i].name))
                        return table[i].method;
        return HTTPD_OTHER;
}

static int parse_request_line(char *line, struct httpd_request *r) {
        char *sp1 = strchr(line, ' ');
        if (!sp1 || sp1 == line || sp1 - line > 16)
                return HTTPD_PARSE_MALFORMED;
        *sp1 = '\0';
        for (const char *p = line; *p; p++)
                if (!is_tchar((unsigned char) *p))
                        return HTTPD_PARSE_MALFORMED;
        char *target = sp1 + 1;
        char *sp2 = strchr(target, ' ');
        if (!sp2 || sp2 == target)
                return HTTPD_PARSE_MALFORMED;
        *sp2 = '\0';
        if ((size_t) (sp2 - target) > HTTPD_TARGET_MAX)
                return HTTPD_PARSE_TARGET_TOO_LONG;
        for (const char *p = target; *p; p++)
                if ((unsigned char) *p <= 0x20 || (unsigned char) *p >= 0x7f)
                        return HTTPD_PARSE_MALFORMED;
        const char *version = sp2 + 1;
        if (!strneq(version, "HTTP/", 5))
                return HTTPD_PARSE_MALFORMED;
        if (!isdigit((unsigned char) version[5]) || version[6] != '.' || !isdigit((unsigned char) version[7]) ||
            version[8])
                return HTTPD_PARSE_MALFORMED;
        if (version[5] != '1')
                return HTTPD_PARSE_VERSION;
        r->minor = version[7] - '0';
        r->method_name = line;
        r->method = method_of(line);
        /* origin-form only ("*" for OPTIONS): we are nobody's proxy */
        if (target[0] != '/' && !(r->method == HTTPD_OPTIONS && streq(target, "*")))
                return HTTPD_PARSE_MALFORMED;
        r->path = target;
        return 0;
}

/* The next element of a comma-separated header list ("a, b;q=0"): [*start, *end) without the
 * whitespace around it; *p moves past it. False at the end of the list. */
static bool list_next(const char **p, const char **start, const char **end) {
        while (**p == ' ' || **p == '\t' || **p == ',')
                (*p)++;
        if (!**p)
                return false;
        *start = *p;
        while (**p && **p != ',')
                (*p)++;
        *end = *p;
        while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
                (*end)--;
        return true;
}

static bool token_list_has(const char *list, const char *token) {
        size_t n = strlen(token);
        const char *p = list, *start, *end;
        while (list_next(&p, &start, &end))
                if ((size_t) (end - start) == n && strncasecmp(start, token, n) == 0)
                        return true;
        return false;
}

static int parse_content_length(const char *v, uint64_t *ret) {
        uint64_t n = 0;
        if (!*v)
                return HTTPD_PARSE_MALFORMED;
        for (const char *p = v; *p; p++) {
                if (!isdigit((unsigned char) *p) || p - v >= 19)
                        return HTTPD_PARSE_MALFORMED;
                n = n * 10 + (uint64_t) (*p - '0');
        }
        *ret = n;
        return 0;
}

static int parse_header_line(char *line, struct httpd_request *r) {
        if (*line == ' ' || *line == '\t')
                return HTTPD_PARSE_MALFORMED; /* obs-fold */
        char *colon = strchr(line, ':');
        if (!colon || colon == line)
                return HTTPD_PARSE_MALFORMED;
        *colon = '\0';
        for (const char *p = line; *p; p++)
                if (!is_tchar((unsigned char) *p))
                        return HTTPD_PARSE_MALFORMED; /* includes whitespace before the colon */
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
                value++;
        size_t vlen = strlen(value);
        for (size_t i = 0; i < vlen; i++)
                if (!is_field_char((unsigned char) value[i]))
                        return HTTPD_PARSE_MALFORMED;
        while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
                value[--vlen] = '\0';
        if (r->n_headers >= HTTPD_HEADERS_MAX)
                return HTTPD_PARSE_TOO_LARGE;
        r->headers[r->n_headers++] = (struct httpd_header) { .name = line, .value = value };
        if (strcasecmp(line, "Content-Length") == 0) {
                /* Two lengths (even equal ones) are how request smuggling starts. */
                if (r->has_length)
                        return HTTPD_PARSE_MALFORMED;
                r->has_length = true;
                return parse_content_length(value, &r->content_length);
        }
        if (strcasecmp(line, "Transfer-Encoding") == 0)
                r->has_transfer_encoding = true;
        return 0;
}

int httpd_request_parse(const char *buf, size_t len, struct httpd_request *r) {
        size_t skip;
        size_t scan = len < HTTPD_HEAD_MAX ? len : HTTPD_HEAD_MAX;
        size_t end = find_head_end(buf, scan, &skip);
        if (!end)
                return len >= HTTPD_HEAD_MAX ? HTTPD_PARSE_TOO_LARGE : HTTPD_PARSE_INCOMPLETE;
        memset(r, 0, offsetof(struct httpd_request, text));
        size_t n = end - skip;
        memcpy(r->text, buf + skip, n);
        r->text[n] = '\0';
        for (size_t i = 0; i < n; i++)
                if (r->text[i] == '\0')
                        return HTTPD_PARSE_MALFORMED;

        char *p = r->text;
        bool first = true;
        int rc;
        for (;;) {
                char *nl = strchr(p, '\n');
                if (!nl)
                        return HTTPD_PARSE_MALFORMED; /* cannot happen: the head ends in a newline */
                *nl = '\0';
                if (nl > p && nl[-1] == '\r')
                        nl[-1] = '\0';
                if (!*p)
                        break;
                /* a bare CR inside a line is no line ending of ours */
                if (strchr(p, '\r'))
                        return HTTPD_PARSE_MALFORMED;
                rc = first ? parse_request_line(p, r) : parse_header_line(p, r);
                if (rc < 0)
                        return rc;
                first = false;
                p = nl + 1;
        }
        if (first)
                return HTTPD_PARSE_MALFORMED;
        size_t hosts = httpd_request_header_count(r, "Host");
        if (hosts > 1 || (r->minor >= 1 && hosts == 0))
                return HTTPD_PARSE_MALFORMED;
        char *q = strchr(r->path, '?');
        if (q) {
                *q = '\0';
                r->query = q + 1;
        }
        const char *conn = httpd_request_header(r, "Connection");
        r->keep_alive = r->minor >= 1;
        if (conn && token_list_has(conn, "close"))
                r->keep_alive = false;
        else if (conn && token_list_has(conn, "keep-alive"))
                r->keep_alive = true;
        r->head_len = end;
        return (int) end;
}

const char *httpd_request_header(const struct httpd_request *r, const char *name) {
        for (size_t i = 0; i < r->n_headers; i++)
                if (strcasecmp(r->headers[i].name, name) == 0)
                        return r->headers[i].value;
        return NULL;
}

size_t httpd_request_header_count(const struct httpd_request *r, const char *name) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_headers; i++)
                n += strcasecmp(r->headers[i].name, name) == 0;
        return n;
}

/* ":port" with 1-5 digits up to 65535, or nothing. */
static bool valid_port_suffix(const char *s) {
        if (!*s)
                return true;
        if (*s != ':' || !s[1])
                return false;
        unsigned long v = 0;
        size_t digits = 0;
        for (const char *p = s + 1; *p; p++, digits++) {
                if (!isdigit((unsigned char) *p) || digits >= 5)
                        return false;
                v = v * 10 + (unsigned long) (*p - '0');
        }
        return v <= 65535;
}

/* "127.a.b.c" in strict dotted decimal; *end just past it. */
static bool loopback_ipv4(const char *s, const char **end) {
        unsigned parts[4];
        const char *p = s;
        for (int i = 0; i < 4; i++) {
                if (!isdigit((unsigned char) *p))
                        return false;
                unsigned v = 0;
                size_t digits = 0;
                /* no leading zeros: "0177.0.0.1" is octal to some resolvers */
                if (*p == '0' && isdigit((unsigned char) p[1]))
                        return false;
                while (isdigit((unsigned char) *p) && digits < 4) {
                        v = v * 10 + (unsigned) (*p++ - '0');
                        digits++;
                }
                if (v > 255 || isdigit((unsigned char) *p))
                        return false;
                parts[i] = v;
                if (i < 3 && *p++ != '.')
                        return false;
        }
        *end = p;
        return parts[0] == 127;
}

bool httpd_host_is_loopback(const char *host) {
        if (!host)
                return false;
        const char *rest;
        if (strncasecmp(host, "localhost", 9) == 0)
                rest = host + 9;
        else if (strneq(host, "[::1]", 5))
                rest = host + 5;
        else if (!loopback_ipv4(host, &rest))
                return false;
        return valid_port_suffix(rest);
}

bool httpd_origin_is_loopback(const char *origin) {
        if (!origin)
                return false;
        const char *host;
        if (strncasecmp(origin, "http://", 7) == 0)
                host = origin + 7;
        else if (strncasecmp(origin, "https://", 8) == 0)
                host = origin + 8;
        else
                return false;
        return httpd_host_is_loopback(host);
}

/* q=0 in a media range's parameters */
static bool refused_by_q(const char *params, size_t n) {
        for (size_t i = 0; i + 1 < n; i++) {
                if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=' &&
                    (i == 0 || params[i - 1] == ';' || params[i - 1] == ' ')) {
                        const char *v = params + i + 2;
                        size_t left = n - (i + 2);
                        /* "0", "0.", "0.0", "0.00", "0.000" */
                        if (!left || *v != '0')
                                return false;
                        for (size_t k = 1; k < left && v[k] != ';' && v[k] != ' '; k++)
                                if (v[k] != '.' && v[k] != '0')
                                        return false;
                        return true;
                }
        }
        return false;
}

bool httpd_accepts(const char *accept, const char *type) {
        if (!accept || !*accept)
                return true;
        const char *slash = strchr(type, '/');
        size_t major_len = slash ? (size_t) (slash - type) : strlen(type);
        const char *p = accept, *start, *end;
        while (list_next(&p, &start, &end)) {
                const char *semi = memchr(start, ';', (size_t) (end - start));
                const char *range_end = semi ? semi : end;
                while (range_end > start && (range_end[-1] == ' ' || range_end[-1] == '\t'))
                        range_end--;
                size_t rlen = (size_t) (range_end - start);
                bool match = (rlen == 3 && strneq(start, "*/*", 3)) ||
                             (rlen == strlen(type) && strncasecmp(start, type, rlen) == 0) ||
                             (rlen == major_len + 2 && strncasecmp(start, type, major_len) == 0 &&
                              strneq(start + major_len, "/*", 2));
                /* the parameters up to p, the element's end before trimming, as always */
                if (match && !(semi && refused_by_q(semi + 1, (size_t) (p - semi - 1))))
                        return true;
        }
        return false;
}

bool httpd_bearer_matches(const char *authorization, const char *token) {
        if (!authorization || !token || strncasecmp(authorization, "Bearer ", 7) != 0)
                return false;
        const char *given = authorization + 7;
        while (*given == ' ')
                given++;
        /* Compare digests: equal-length inputs for the constant-time loop, whatever was sent. */
        uint8_t a[SHA256_DIGEST_BYTES], b[SHA256_DIGEST_BYTES];
        if (sha256_buffer(given, strlen(given), a) < 0 || sha256_buffer(token, strlen(token), b) < 0)
                return false;
        volatile uint8_t diff = 0;
        for (size_t i = 0; i < sizeof(a); i++)
                diff |= a[i] ^ b[i];
        return diff == 0 && *token;
}

const char *httpd_status_text(int status) {
        switch (status) {
        case 200: return "OK";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return "Unknown";
        }
}
