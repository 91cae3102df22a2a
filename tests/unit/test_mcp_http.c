/* Unit tests for src/rpc/http_request: the request-head parser of `mcp --http` (limits, what is
 * refused as malformed or smuggling-prone, keep-alive), and the checks that keep a loopback
 * server away from web pages: Host and Origin, Accept, the bearer token. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/rpc/http_request.h"

/* An exact-size heap copy with no NUL after it: a sanitizer build catches any read past len. */
static int parse_n(const char *s, size_t len, struct httpd_request *req) {
        _cleanup_free_ char *copy = malloc(len ? len : 1);
        cr_assert_not_null(copy);
        memcpy(copy, s, len);
        return httpd_request_parse(copy, len, req);
}

static int parse(const char *s, struct httpd_request *req) {
        return parse_n(s, strlen(s), req);
}

static struct httpd_request *new_req(void) {
        struct httpd_request *r = calloc(1, sizeof(*r));
        cr_assert_not_null(r);
        return r;
}

Test(mcp_http, simple_post) {
        _cleanup_free_ struct httpd_request *r = new_req();
        const char *s = "POST /mcp?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type:  application/json \r\n"
                        "Content-Length: 12\r\nmcp-session-id: abc\r\n\r\n{\"a\":1}xxxxx";
        int n = parse(s, r);
        cr_assert_eq(n, (int) (strstr(s, "\r\n\r\n") - s) + 4);
        cr_expect_eq(r->method, HTTPD_POST);
        cr_expect_str_eq(r->method_name, "POST");
        cr_expect_str_eq(r->path, "/mcp");
        cr_expect_str_eq(r->query, "x=1");
        cr_expect_eq(r->minor, 1);
        cr_expect(r->has_length);
        cr_expect_eq(r->content_length, 12);
        cr_expect_not(r->has_transfer_encoding);
        cr_expect(r->keep_alive);
        cr_expect_str_eq(httpd_request_header(r, "content-type"), "application/json");
        cr_expect_str_eq(httpd_request_header(r, "MCP-Session-Id"), "abc");
        cr_expect_null(httpd_request_header(r, "Origin"));
        cr_expect_eq(httpd_request_header_count(r, "host"), 1);
        cr_expect_eq(r->head_len, (size_t) n);
}

Test(mcp_http, incomplete_until_blank_line) {
        _cleanup_free_ struct httpd_request *r = new_req();
        const char *full = "GET /mcp HTTP/1.1\r\nHost: localhost\r\n\r\n";
        for (size_t len = 0; len < strlen(full); len++)
                cr_expect_eq(parse_n(full, len, r), HTTPD_PARSE_INCOMPLETE, "prefix of %zu bytes", len);
        cr_expect_eq(parse(full, r), (int) strlen(full));
}

Test(mcp_http, bare_lf_and_leading_empty_lines) {
        _cleanup_free_ struct httpd_request *r = new_req();
        cr_assert_eq(parse("\r\n\r\nGET / HTTP/1.1\nHost: localhost\n\n", r), 36);
        cr_expect_eq(r->method, HTTPD_GET);
        cr_expect_str_eq(httpd_request_header(r, "host"), "localhost");
}

Test(mcp_http, methods) {
        _cleanup_free_ struct httpd_request *r = new_req();
        static const struct {
                const char *m;
                enum httpd_method want;
        } cases[] = { { "GET", HTTPD_GET },         { "POST", HTTPD_POST }, { "DELETE", HTTPD_DELETE },
                      { "OPTIONS", HTTPD_OPTIONS }, { "HEAD", HTTPD_HEAD }, { "PATCH", HTTPD_OTHER },
                      { "get", HTTPD_OTHER } };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char buf[128];
                snprintf(buf, sizeof(buf), "%s /mcp HTTP/1.1\r\nHost: localhost\r\n\r\n", cases[i].m);
                cr_assert_gt(parse(buf, r), 0, "%s", cases[i].m);
                cr_expect_eq(r->method, cases[i].want, "%s", cases[i].m);
        }
        cr_expect_gt(parse("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", r), 0);
        cr_expect_str_eq(r->path, "*");
}

Test(mcp_http, malformed_heads) {
        _cleanup_free_ struct httpd_request *r = new_req();
        static const char *const bad[] = {
                "GET\r\n\r\n",
                "GET /mcp\r\nHost: x\r\n\r\n",
                "GET  /mcp HTTP/1.1\r\nHost: x\r\n\r\n",            /* two spaces */
                "GET /mcp HTTP/1.1 \r\nHost: x\r\n\r\n",            /* trailing space */
                "GET http://evil/mcp HTTP/1.1\r\nHost: x\r\n\r\n",  /* absolute form: no proxy here */
                "GET * HTTP/1.1\r\nHost: x\r\n\r\n",                /* '*' only for OPTIONS */
                "G(T /mcp HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /mcp HTTPS/1.1\r\nHost: x\r\n\r\n",
                "GET /mcp HTTP/1.10\r\nHost: x\r\n\r\n",
                "GET /m\x01p HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /mcp HTTP/1.1\r\n\r\n",                        /* 1.1 without Host */
                "GET /mcp HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /mcp HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", /* obs-fold */
                "GET /mcp HTTP/1.1\r\nHost : x\r\n\r\n",            /* space before the colon */
                "GET /mcp HTTP/1.1\r\nHost x\r\n\r\n",
                "GET /mcp HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n",
                "GET /mcp HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n",
                "GET /mcp HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", /* bare CR */
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                cr_expect_eq(parse(bad[i], r), HTTPD_PARSE_MALFORMED, "case %zu: %s", i, bad[i]);
        /* a NUL byte inside the head */
        static const char nul[] = "GET /mcp HTTP/1.1\r\nHost: x\0y\r\n\r\n";
        cr_expect_eq(parse_n(nul, sizeof(nul) - 1, r), HTTPD_PARSE_MALFORMED);
}

Test(mcp_http, versions) {
        _cleanup_free_ struct httpd_request *r = new_req();
        cr_expect_eq(parse("GET /mcp HTTP/2.0\r\nHost: x\r\n\r\n", r), HTTPD_PARSE_VERSION);
        cr_expect_eq(parse("GET /mcp HTTP/0.9\r\nHost: x\r\n\r\n", r), HTTPD_PARSE_VERSION);
        cr_assert_gt(parse("GET /mcp HTTP/1.0\r\n\r\n", r), 0); /* 1.0 needs no Host */
        cr_expect_eq(r->minor, 0);
        cr_expect_not(r->keep_alive);
        cr_assert_gt(parse("GET /mcp HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", r), 0);
        cr_expect(r->keep_alive);
        cr_assert_gt(parse("GET /mcp HTTP/1.1\r\nHost: x\r\nConnection: TE, close\r\n\r\n", r), 0);
        cr_expect_not(r->keep_alive);
}

Test(mcp_http, limits) {
        _cleanup_free_ struct httpd_request *r = new_req();
        /* no blank line within the cap: too large, however much follows */
        size_t n = HTTPD_HEAD_MAX + 100;
        _cleanup_free_ char *big = malloc(n + 1);
        cr_assert_not_null(big);
        memset(big, 'a', n);
        memcpy(big, "GET /mcp HTTP/1.1\r\nX: ", 22);
        big[n] = '\0';
        cr_expect_eq(parse(big, r), HTTPD_PARSE_TOO_LARGE);
        cr_expect_eq(parse_n(big, HTTPD_HEAD_MAX, r), HTTPD_PARSE_TOO_LARGE);
        cr_expect_eq(parse_n(big, HTTPD_HEAD_MAX - 1, r), HTTPD_PARSE_INCOMPLETE);
        /* too many headers */
        char many[8192];
        size_t len = (size_t) snprintf(many, sizeof(many), "GET /mcp HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < HTTPD_HEADERS_MAX; i++)
                len += (size_t) snprintf(many + len, sizeof(many) - len, "X-%d: %d\r\n", i, i);
        len += (size_t) snprintf(many + len, sizeof(many) - len, "\r\n");
        cr_expect_eq(parse(many, r), HTTPD_PARSE_TOO_LARGE);
        /* exactly the cap of headers is fine */
        len = (size_t) snprintf(many, sizeof(many), "GET /mcp HTTP/1.1\r\nHost: x\r\n");
        for (int i = 1; i < HTTPD_HEADERS_MAX; i++)
                len += (size_t) snprintf(many + len, sizeof(many) - len, "X-%d: %d\r\n", i, i);
        snprintf(many + len, sizeof(many) - len, "\r\n");
        cr_expect_gt(parse(many, r), 0);
        cr_expect_eq(r->n_headers, HTTPD_HEADERS_MAX);
        /* a long target */
        char target[HTTPD_TARGET_MAX + 64];
        memset(target, 'a', sizeof(target));
        target[0] = '/';
        char line[sizeof(target) + 64];
        snprintf(line, sizeof(line), "GET %.*s HTTP/1.1\r\nHost: x\r\n\r\n", HTTPD_TARGET_MAX + 1, target);
        cr_expect_eq(parse(line, r), HTTPD_PARSE_TARGET_TOO_LONG);
        snprintf(line, sizeof(line), "GET %.*s HTTP/1.1\r\nHost: x\r\n\r\n", HTTPD_TARGET_MAX, target);
        cr_expect_gt(parse(line, r), 0);
}

Test(mcp_http, transfer_encoding_is_flagged) {
        _cleanup_free_ struct httpd_request *r = new_req();
        cr_assert_gt(parse("POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", r), 0);
        cr_expect(r->has_transfer_encoding);
        cr_expect_not(r->has_length);
}

Test(mcp_http, loopback_hosts) {
        static const char *const yes[] = { "localhost", "LocalHost:8080", "127.0.0.1", "127.1.2.3:1",
                                           "[::1]",     "[::1]:443",      "127.0.0.1:65535" };
        static const char *const no[] = { "localhost.evil.example", "127.0.0.1.evil.example", "0177.0.0.1",
                                          "128.0.0.1", "127.0.0.256", "127.0.0", "127.0.0.1.", "[::2]",
                                          "::1", "", "localhost:", "localhost:99999", "localhost:123456",
                                          "localhost:12a", "evil.example", "localhost@evil", "127.0.0.1:80:80",
                                          "0.0.0.0", "[::ffff:127.0.0.1]" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                cr_expect(httpd_host_is_loopback(yes[i]), "%s", yes[i]);
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                cr_expect_not(httpd_host_is_loopback(no[i]), "%s", no[i]);
        cr_expect_not(httpd_host_is_loopback(NULL));
}

Test(mcp_http, loopback_origins) {
        cr_expect(httpd_origin_is_loopback("http://localhost:6274"));
        cr_expect(httpd_origin_is_loopback("https://127.0.0.1"));
        cr_expect(httpd_origin_is_loopback("HTTP://[::1]:3000"));
        cr_expect_not(httpd_origin_is_loopback("http://localhost:6274/"));
        cr_expect_not(httpd_origin_is_loopback("null"));
        cr_expect_not(httpd_origin_is_loopback("file://localhost"));
        cr_expect_not(httpd_origin_is_loopback("http://evil.example"));
        cr_expect_not(httpd_origin_is_loopback("http://localhost.evil.example"));
        cr_expect_not(httpd_origin_is_loopback("http://user@localhost"));
        cr_expect_not(httpd_origin_is_loopback(""));
        cr_expect_not(httpd_origin_is_loopback(NULL));
}

Test(mcp_http, accept_header) {
        cr_expect(httpd_accepts(NULL, "application/json"));
        cr_expect(httpd_accepts("", "text/event-stream"));
        cr_expect(httpd_accepts("application/json, text/event-stream", "application/json"));
        cr_expect(httpd_accepts("application/json, text/event-stream", "text/event-stream"));
        cr_expect(httpd_accepts("*/*", "text/event-stream"));
        cr_expect(httpd_accepts("text/*;q=0.5", "text/event-stream"));
        cr_expect(httpd_accepts("Application/JSON", "application/json"));
        cr_expect(httpd_accepts("application/json;q=0.9", "application/json"));
        cr_expect_not(httpd_accepts("application/json", "text/event-stream"));
        cr_expect_not(httpd_accepts("text/html", "application/json"));
        cr_expect_not(httpd_accepts("application/jsonx", "application/json"));
        cr_expect_not(httpd_accepts("text/event-stream;q=0", "text/event-stream"));
        cr_expect_not(httpd_accepts("text/event-stream; q=0.000", "text/event-stream"));
        cr_expect(httpd_accepts("text/event-stream;q=0.001", "text/event-stream"));
        cr_expect_not(httpd_accepts("application/*", "text/event-stream"));
}

Test(mcp_http, bearer_token) {
        const char *tok = "s3cret-token-0123456789";
        cr_expect(httpd_bearer_matches("Bearer s3cret-token-0123456789", tok));
        cr_expect(httpd_bearer_matches("bearer s3cret-token-0123456789", tok));
        cr_expect_not(httpd_bearer_matches("Bearer s3cret-token-012345678", tok));
        cr_expect_not(httpd_bearer_matches("Bearer s3cret-token-01234567890", tok));
        cr_expect_not(httpd_bearer_matches("Basic s3cret-token-0123456789", tok));
        cr_expect_not(httpd_bearer_matches("s3cret-token-0123456789", tok));
        cr_expect_not(httpd_bearer_matches(NULL, tok));
        cr_expect_not(httpd_bearer_matches("Bearer ", ""));
        cr_expect_not(httpd_bearer_matches("Bearer x", NULL));
}

Test(mcp_http, status_texts) {
        cr_expect_str_eq(httpd_status_text(200), "OK");
        cr_expect_str_eq(httpd_status_text(413), "Content Too Large");
        cr_expect_str_eq(httpd_status_text(431), "Request Header Fields Too Large");
        cr_expect_str_eq(httpd_status_text(599), "Unknown");
}
