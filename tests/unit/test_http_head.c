/* Unit tests for src/sandbox/http_head: the proxy's parser of request heads from a skill
 * (CONNECT and absolute-form http://), the rules that refuse smuggling and fronting, and the
 * head it rebuilds for the upstream. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/sandbox/http_head.h"

/* Every parse goes through an exact-size heap copy with no NUL after it, so a sanitizer build
 * catches any read past len (the proxy hands over raw socket bytes). */
static enum http_head_status parse_n(const char *s, size_t len, struct http_request *req, const char **why) {
        _cleanup_free_ char *copy = malloc(len ? len : 1);
        cr_assert_not_null(copy);
        memcpy(copy, s, len);
        return http_head_parse(copy, len, req, why);
}

static enum http_head_status parse(const char *s, struct http_request *req, const char **why) {
        return parse_n(s, strlen(s), req, why);
}

static void expect_ok(const char *s, struct http_request *req) {
        const char *why = "unset";
        enum http_head_status st = parse(s, req, &why);
        cr_assert_eq(st, HTTP_HEAD_OK, "'%s': status %d (%s)", s, st, why ? why : "(null)");
        cr_expect_null(why, "no reason on success");
}

static void expect_status(const char *s, enum http_head_status want, const char *why_part) {
        struct http_request req;
        memset(&req, 0xa5, sizeof(req));
        const char *why = NULL;
        enum http_head_status st = parse(s, &req, &why);
        cr_assert_eq(st, want, "'%s': status %d (%s), want %d", s, st, why ? why : "(null)", want);
        cr_assert_not_null(why, "'%s': a reason for every refusal", s);
        cr_expect_gt(strlen(why), 0);
        if (why_part)
                cr_expect_not_null(strstr(why, why_part), "'%s': reason '%s' lacks '%s'", s, why, why_part);
        cr_expect_null(req.upstream_head, "'%s': nothing handed out on failure", s);
        cr_expect_eq(req.head_len, 0);
        http_request_done(&req);
}

static void expect_bad(const char *s, const char *why_part) {
        expect_status(s, HTTP_HEAD_BAD, why_part);
}

static void expect_unsupported(const char *s) {
        expect_status(s, HTTP_HEAD_UNSUPPORTED, NULL);
}

/* The upstream head for a GET with the given target and extra header lines. */
static void expect_upstream(const char *s, const char *want) {
        struct http_request req;
        expect_ok(s, &req);
        cr_assert_not_null(req.upstream_head);
        cr_expect_str_eq(req.upstream_head, want, "'%s'", s);
        cr_expect_eq(req.upstream_head_len, strlen(want));
        http_request_done(&req);
}

/* ---- CONNECT -------------------------------------------------------------------------------- */

Test(http_head_connect, host_name) {
        const char *s = "CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n"
                        "User-Agent: curl/8\r\n\r\n";
        struct http_request req;
        expect_ok(s, &req);
        cr_expect(req.is_connect);
        cr_expect_str_eq(req.method, "CONNECT");
        cr_expect_str_eq(req.host, "api.example.com");
        cr_expect_eq(req.port, 443);
        cr_expect_eq(req.head_len, strlen(s));
        cr_expect_null(req.upstream_head, "CONNECT has no upstream head");
        cr_expect_eq(req.upstream_head_len, 0);
        http_request_done(&req);
}

Test(http_head_connect, ipv4) {
        struct http_request req;
        expect_ok("CONNECT 10.0.0.7:8443 HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "10.0.0.7");
        cr_expect_eq(req.port, 8443);
        http_request_done(&req);
}

Test(http_head_connect, ipv6_loses_brackets_and_case) {
        struct http_request req;
        expect_ok("CONNECT [2001:DB8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "2001:db8::1");
        cr_expect_eq(req.port, 443);
        http_request_done(&req);
        expect_ok("CONNECT [::ffff:192.0.2.1]:65535 HTTP/1.0\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "::ffff:192.0.2.1");
        cr_expect_eq(req.port, 65535);
        http_request_done(&req);
}

Test(http_head_connect, host_is_lower_cased) {
        struct http_request req;
        expect_ok("CONNECT Api.EXAMPLE.com:1 HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "api.example.com");
        cr_expect_eq(req.port, 1);
        http_request_done(&req);
}

Test(http_head_connect, bytes_after_the_head_are_the_callers) {
        /* A client may pipeline its TLS ClientHello right behind the CONNECT. */
        static const char head[] = "CONNECT a.example:443 HTTP/1.1\r\n\r\n";
        static const char s[] = "CONNECT a.example:443 HTTP/1.1\r\n\r\n\x16\x03\x01\x00\xa5\r\n\r\n\n\0";
        struct http_request req;
        cr_assert_eq(parse_n(s, sizeof(s) - 1, &req, NULL), HTTP_HEAD_OK);
        cr_expect_eq(req.head_len, strlen(head));
        http_request_done(&req);
}

Test(http_head_connect, port_rules) {
        expect_bad("CONNECT a.example HTTP/1.1\r\n\r\n", "host:port");
        expect_bad("CONNECT a.example: HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:0 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:65536 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:+443 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:-1 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:000443 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:0x1bb HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT a.example:443:443 HTTP/1.1\r\n\r\n", "port");
        expect_bad("CONNECT [::1] HTTP/1.1\r\n\r\n", "host:port");
        expect_bad("CONNECT [::1]443 HTTP/1.1\r\n\r\n", "port");

        struct http_request req;
        expect_ok("CONNECT a.example:00443 HTTP/1.1\r\n\r\n", &req);
        cr_expect_eq(req.port, 443, "five digits are fine, leading zeros and all");
        http_request_done(&req);
}

Test(http_head_connect, host_rules) {
        expect_bad("CONNECT :443 HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("CONNECT user:pw@a.example:443 HTTP/1.1\r\n\r\n", "userinfo");
        expect_bad("CONNECT @a.example:443 HTTP/1.1\r\n\r\n", "userinfo");
        expect_bad("CONNECT a%2eexample:443 HTTP/1.1\r\n\r\n", "character");
        expect_bad("CONNECT a/b:443 HTTP/1.1\r\n\r\n", "character");
        expect_bad("CONNECT a\xc3\xa9.example:443 HTTP/1.1\r\n\r\n", "character");
        expect_bad("CONNECT http://a.example:443 HTTP/1.1\r\n\r\n", NULL);
        expect_bad("CONNECT []:443 HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("CONNECT [::1:443 HTTP/1.1\r\n\r\n", "IPv6");
        expect_bad("CONNECT [fe80::1%25eth0]:443 HTTP/1.1\r\n\r\n", "character");
        expect_bad("CONNECT [g::1]:443 HTTP/1.1\r\n\r\n", "character");
        expect_bad("CONNECT [1.2.3.4]:443 HTTP/1.1\r\n\r\n", "IPv6");
        expect_bad("CONNECT [1:::2]:443 HTTP/1.1\r\n\r\n", "IPv6");
        expect_bad("CONNECT ::1:443 HTTP/1.1\r\n\r\n", "empty host");
}

Test(http_head_connect, host_length_cap) {
        char name[300], line[400];
        memset(name, 'a', sizeof(name));
        name[255] = '\0';
        snprintf(line, sizeof(line), "CONNECT %s:443 HTTP/1.1\r\n\r\n", name);
        struct http_request req;
        expect_ok(line, &req);
        cr_expect_eq(strlen(req.host), 255);
        http_request_done(&req);

        name[255] = 'a';
        name[256] = '\0';
        snprintf(line, sizeof(line), "CONNECT %s:443 HTTP/1.1\r\n\r\n", name);
        expect_bad(line, "255");
}

Test(http_head_connect, method_is_case_sensitive) {
        /* "connect" is some other method, so its target has to be absolute-form. */
        expect_unsupported("connect a.example:443 HTTP/1.1\r\n\r\n");
}

Test(http_head_connect, host_header_must_match) {
        struct http_request req;
        expect_ok("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example\r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("CONNECT a.example:8443 HTTP/1.1\r\nhost: A.Example:8443\r\n\r\n", &req);
        http_request_done(&req);
        expect_bad("CONNECT a.example:443 HTTP/1.1\r\nHost: b.example\r\n\r\n",
                   "Host header does not match the request target");
        expect_bad("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:80\r\n\r\n",
                   "Host header does not match the request target");
        /* A Host without a port takes the CONNECT port, not 80. */
        expect_ok("CONNECT a.example:8443 HTTP/1.1\r\nHost: a.example\r\n\r\n", &req);
        http_request_done(&req);
        expect_bad("CONNECT a.example:8443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n",
                   "Host header does not match the request target");
        expect_bad("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::2]:443\r\n\r\n",
                   "Host header does not match the request target");
}

/* ---- absolute-form -------------------------------------------------------------------------- */

Test(http_head_get, without_port) {
        const char *s = "GET http://example.com/index.html HTTP/1.1\r\nAccept: */*\r\n\r\n";
        struct http_request req;
        expect_ok(s, &req);
        cr_expect_not(req.is_connect);
        cr_expect_str_eq(req.method, "GET");
        cr_expect_str_eq(req.host, "example.com");
        cr_expect_eq(req.port, 80);
        cr_expect_eq(req.head_len, strlen(s));
        cr_expect_str_eq(req.upstream_head, "GET /index.html HTTP/1.1\r\nAccept: */*\r\n"
                                            "Host: example.com\r\nConnection: close\r\n\r\n");
        cr_expect_eq(req.upstream_head_len, strlen(req.upstream_head));
        http_request_done(&req);
}

Test(http_head_get, with_port) {
        struct http_request req;
        expect_ok("GET http://127.0.0.1:8080/v1/models HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "127.0.0.1");
        cr_expect_eq(req.port, 8080);
        cr_expect_str_eq(req.upstream_head, "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                                            "Connection: close\r\n\r\n");
        http_request_done(&req);
}

Test(http_head_get, ipv6_target) {
        struct http_request req;
        expect_ok("GET http://[::1]:8000/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "::1");
        cr_expect_eq(req.port, 8000);
        cr_expect_str_eq(req.upstream_head, "GET / HTTP/1.1\r\nHost: [::1]:8000\r\nConnection: close\r\n\r\n");
        http_request_done(&req);
}

Test(http_head_get, query_and_empty_path) {
        expect_upstream("GET http://a.example/search?q=x&lang=en%20US HTTP/1.1\r\n\r\n",
                        "GET /search?q=x&lang=en%20US HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
        expect_upstream("GET http://a.example HTTP/1.1\r\n\r\n",
                        "GET / HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
        expect_upstream("GET http://a.example?q=1 HTTP/1.1\r\n\r\n",
                        "GET /?q=1 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
        expect_upstream("GET http://a.example:81 HTTP/1.1\r\n\r\n",
                        "GET / HTTP/1.1\r\nHost: a.example:81\r\nConnection: close\r\n\r\n");
}

Test(http_head_get, http_1_0_is_kept) {
        expect_upstream("GET http://a.example/ HTTP/1.0\r\n\r\n",
                        "GET / HTTP/1.0\r\nHost: a.example\r\nConnection: close\r\n\r\n");
}

Test(http_head_get, other_methods) {
        struct http_request req;
        expect_ok("M-SEARCH http://a.example/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.method, "M-SEARCH");
        http_request_done(&req);
        expect_ok("ABCDEFGHIJKLMNOPQRSTUVW http://a.example/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.method, "ABCDEFGHIJKLMNOPQRSTUVW", "23 characters fit");
        http_request_done(&req);
        expect_bad("ABCDEFGHIJKLMNOPQRSTUVWX http://a.example/ HTTP/1.1\r\n\r\n", "method");
}

Test(http_head_get, headers_kept_in_order_hop_by_hop_dropped) {
        expect_upstream("POST http://a.example/api HTTP/1.1\r\n"
                        "User-Agent: skill/1\r\n"
                        "Proxy-Connection: keep-alive\r\n"
                        "Accept: application/json\r\n"
                        "Proxy-Authorization: Basic c2VjcmV0\r\n"
                        "Connection: keep-alive\r\n"
                        "Keep-Alive: timeout=5\r\n"
                        "Content-Type: text/plain\r\n"
                        "X-Empty:\r\n"
                        "X-Tab:\tv\t\r\n"
                        "Content-Length: 5\r\n"
                        "\r\n",
                        "POST /api HTTP/1.1\r\n"
                        "User-Agent: skill/1\r\n"
                        "Accept: application/json\r\n"
                        "Content-Type: text/plain\r\n"
                        "X-Empty:\r\n"
                        "X-Tab:\tv\t\r\n"
                        "Content-Length: 5\r\n"
                        "Host: a.example\r\n"
                        "Connection: close\r\n"
                        "\r\n");
}

Test(http_head_get, dropped_names_are_case_insensitive) {
        expect_upstream("GET http://a.example/ HTTP/1.1\r\nproxy-CONNECTION: x\r\nPROXY-authorization: y\r\n"
                        "connection: Upgrade\r\nkeep-alive: 1\r\nUpgrade: h2c\r\n\r\n",
                        "GET / HTTP/1.1\r\nUpgrade: h2c\r\nHost: a.example\r\nConnection: close\r\n\r\n");
}

Test(http_head_get, connection_close_exactly_once) {
        static const char *const inputs[] = {
                "GET http://a.example/ HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nConnection: close\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nConnection: close\r\nConnection: close\r\n\r\n",
                "GET http://a.example/ HTTP/1.0\r\n\r\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(inputs); i++) {
                struct http_request req;
                expect_ok(inputs[i], &req);
                const char *first = strstr(req.upstream_head, "Connection: close\r\n");
                cr_assert_not_null(first, "'%s'", inputs[i]);
                cr_expect_null(strstr(first + 1, "Connection:"), "'%s': once", inputs[i]);
                cr_expect_null(strstr(req.upstream_head, "keep-alive"));
                http_request_done(&req);
        }
}

Test(http_head_get, client_host_is_kept_not_added) {
        expect_upstream("GET http://a.example/ HTTP/1.1\r\nhost: A.EXAMPLE:80\r\nAccept: */*\r\n\r\n",
                        "GET / HTTP/1.1\r\nhost: A.EXAMPLE:80\r\nAccept: */*\r\nConnection: close\r\n\r\n");
}

Test(http_head_get, case_insensitivity) {
        struct http_request req;
        expect_ok("GET HTTP://WWW.Example.COM:8080/Path/To HTTP/1.1\r\nHOST: www.example.com:8080\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "www.example.com");
        cr_expect_eq(req.port, 8080);
        cr_expect_str_eq(req.upstream_head, "GET /Path/To HTTP/1.1\r\nHOST: www.example.com:8080\r\n"
                                            "Connection: close\r\n\r\n",
                         "the path keeps its case");
        http_request_done(&req);
        expect_ok("GET hTtP://a.example/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.upstream_head, "GET / HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
        http_request_done(&req);
}

Test(http_head_get, body_after_the_head_is_untouched) {
        static const char head[] = "POST http://a.example/ HTTP/1.1\r\nContent-Length: 11\r\n\r\n";
        static const char s[] = "POST http://a.example/ HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello\r\n\r\nx";
        struct http_request req;
        cr_assert_eq(parse_n(s, sizeof(s) - 1, &req, NULL), HTTP_HEAD_OK);
        cr_expect_eq(req.head_len, strlen(head));
        cr_expect_null(strstr(req.upstream_head, "hello"));
        http_request_done(&req);
}

Test(http_head_get, target_rules) {
        expect_bad("GET http://user@a.example/ HTTP/1.1\r\n\r\n", "userinfo");
        expect_bad("GET http://user:pw@a.example/ HTTP/1.1\r\n\r\n", "userinfo");
        expect_bad("GET http:///path HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("GET http:// HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("GET http://?x HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("GET http://:80/ HTTP/1.1\r\n\r\n", "empty host");
        expect_bad("GET http://a.example/#frag HTTP/1.1\r\n\r\n", "fragment");
        expect_bad("GET http://a.example#frag HTTP/1.1\r\n\r\n", "fragment");
        expect_bad("GET http://a.example/\xc3\xa9 HTTP/1.1\r\n\r\n", "non-ASCII");
        expect_bad("GET http://a.example/\x7f HTTP/1.1\r\n\r\n", NULL);
        expect_bad("GET http://a.example/a\tb HTTP/1.1\r\n\r\n", NULL);
        expect_bad("GET http://a.example:/ HTTP/1.1\r\n\r\n", "port");
        expect_bad("GET http://a.example:0/ HTTP/1.1\r\n\r\n", "port");
        expect_bad("GET http://a.example:99999/ HTTP/1.1\r\n\r\n", "port");
        expect_bad("GET http://a.example:8o/ HTTP/1.1\r\n\r\n", "port");
        expect_bad("GET http://a_b%41.example/ HTTP/1.1\r\n\r\n", "character");
        expect_bad("GET http://[::1/ HTTP/1.1\r\n\r\n", "IPv6");
        expect_bad("GET a.example/ HTTP/1.1\r\n\r\n", "absolute-form");
        expect_bad("GET 10.0.0.1:80/ HTTP/1.1\r\n\r\n", "absolute-form");
        expect_unsupported("GET //a.example/ HTTP/1.1\r\n\r\n");
}

Test(http_head_get, underscore_host_is_fine) {
        struct http_request req;
        expect_ok("GET http://my_service.internal/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_str_eq(req.host, "my_service.internal");
        http_request_done(&req);
}

Test(http_head_get, unsupported_forms) {
        expect_unsupported("GET https://a.example/ HTTP/1.1\r\n\r\n");
        expect_unsupported("GET HTTPS://a.example/ HTTP/1.1\r\n\r\n");
        expect_unsupported("GET ftp://a.example/ HTTP/1.1\r\n\r\n");
        expect_unsupported("GET ws://a.example/ HTTP/1.1\r\n\r\n");
        expect_unsupported("GET file:///etc/passwd HTTP/1.1\r\n\r\n");
        expect_unsupported("GET /index.html HTTP/1.1\r\nHost: a.example\r\n\r\n");
        expect_unsupported("GET / HTTP/1.1\r\n\r\n");
        expect_unsupported("OPTIONS * HTTP/1.1\r\n\r\n");
}

Test(http_head_get, host_header_must_match) {
        struct http_request req;
        expect_ok("GET http://a.example/ HTTP/1.1\r\nHost: a.example:80\r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("GET http://a.example:80/ HTTP/1.1\r\nHost: a.example\r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("GET http://[::1]/ HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("GET http://a.example/ HTTP/1.1\r\nHost:  \ta.example \t\r\n\r\n", &req);
        http_request_done(&req);

        static const char *const fronted[] = {
                "GET http://a.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example:8080\r\n\r\n",
                "GET http://a.example:8080/ HTTP/1.1\r\nHost: a.example\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example.evil\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example.\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost:\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: x@a.example\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n",
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example:0\r\n\r\n",
                "GET http://[::1]/ HTTP/1.1\r\nHost: ::1\r\n\r\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(fronted); i++)
                expect_bad(fronted[i], "Host header does not match the request target");
}

Test(http_head_get, one_host_header) {
        expect_bad("GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n", "Host");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nhOsT: b.example\r\n\r\n", "Host");
        expect_bad("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n", "Host");
}

/* ---- request line --------------------------------------------------------------------------- */

Test(http_head_request_line, malformed) {
        static const char *const bad[] = {
                "\r\n\r\n",
                "\r\nGET http://a.example/ HTTP/1.1\r\n\r\n",
                "GET\r\n\r\n",
                "GET http://a.example/\r\n\r\n",
                "GET  http://a.example/ HTTP/1.1\r\n\r\n",
                "GET http://a.example/  HTTP/1.1\r\n\r\n",
                " GET http://a.example/ HTTP/1.1\r\n\r\n",
                "GET http://a.example/ HTTP/1.1 \r\n\r\n",
                "GET\thttp://a.example/ HTTP/1.1\r\n\r\n",
                "GET http://a.example/\tHTTP/1.1\r\n\r\n",
                "GET http://a.example/ http/1.1\r\n\r\n",
                "GET http://a.example/ HTTP/1.1x\r\n\r\n",
                "GET http://a.example/ HTTP/1.\r\n\r\n",
                "GET http://a.example/ HTTP/\r\n\r\n",
                "GET http://a.example/ HTTP/11\r\n\r\n",
                "GET http://a.example/ FTP/1.1\r\n\r\n",
                "GE(T http://a.example/ HTTP/1.1\r\n\r\n",
                "G\xc3\x89T http://a.example/ HTTP/1.1\r\n\r\n",
                "GET http://a.example/ b HTTP/1.1\r\n\r\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                expect_bad(bad[i], NULL);
        expect_bad("GET  http://a.example/ HTTP/1.1\r\n\r\n", "request line is not METHOD SP TARGET SP HTTP/1.x");
}

Test(http_head_request_line, other_versions_unsupported) {
        expect_unsupported("GET http://a.example/ HTTP/2.0\r\n\r\n");
        expect_unsupported("GET http://a.example/ HTTP/1.2\r\n\r\n");
        expect_unsupported("GET http://a.example/ HTTP/0.9\r\n\r\n");
        expect_unsupported("GET http://a.example/ HTTP/3\r\n\r\n");
        expect_unsupported("CONNECT a.example:443 HTTP/2.0\r\n\r\n");
        expect_unsupported("PRI * HTTP/2.0\r\n\r\n");
}

/* ---- bytes and line endings ----------------------------------------------------------------- */

Test(http_head_bytes, bare_lf_and_cr) {
        expect_bad("GET http://a.example/ HTTP/1.1\nHost: a.example\r\n\r\n", "bare LF");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\nb\r\n\r\n", "bare LF");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\rb\r\n\r\n", "bare CR");
        expect_bad("GET http://a.example/ HTTP/1.1\r\n\n\r\n\r\n", "bare LF");
        expect_bad("GET http://a.example/ HTTP/1.1\r\r\n\r\n", "bare CR");
}

Test(http_head_bytes, control_bytes) {
        static const char nul[] = "GET http://a.example/ HTTP/1.1\r\nX: a\0b\r\n\r\n";
        struct http_request req;
        const char *why = NULL;
        cr_expect_eq(parse_n(nul, sizeof(nul) - 1, &req, &why), HTTP_HEAD_BAD);
        cr_expect_not_null(why);
        static const char nul_rl[] = "GET http://a.example/\0 HTTP/1.1\r\n\r\n";
        cr_expect_eq(parse_n(nul_rl, sizeof(nul_rl) - 1, &req, NULL), HTTP_HEAD_BAD);

        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\x01\r\n\r\n", "control byte");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: \x1b[31m\r\n\r\n", "control byte");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\x7f\r\n\r\n", "control byte");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX\t: a\r\n\r\n", "whitespace");
        expect_bad("GET\x0bhttp://a.example/ HTTP/1.1\r\n\r\n", "control byte");
}

Test(http_head_bytes, tab_and_obs_text_in_values_are_fine) {
        expect_upstream("GET http://a.example/ HTTP/1.1\r\nX-A:\ta\tb\r\nX-B: caf\xc3\xa9\r\n\r\n",
                        "GET / HTTP/1.1\r\nX-A:\ta\tb\r\nX-B: caf\xc3\xa9\r\nHost: a.example\r\n"
                        "Connection: close\r\n\r\n");
}

/* ---- headers -------------------------------------------------------------------------------- */

Test(http_head_headers, malformed) {
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "folding");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX: a\r\n\tfolded\r\n\r\n", "folding");
        expect_bad("GET http://a.example/ HTTP/1.1\r\n Host: b.example\r\n\r\n", "folding");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nHost : b.example\r\n\r\n", "whitespace");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n", "whitespace");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nNoColon\r\n\r\n", "':'");
        expect_bad("GET http://a.example/ HTTP/1.1\r\n: value\r\n\r\n", "empty name");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX(y): value\r\n\r\n", "token");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX y: value\r\n\r\n", "token");
        expect_bad("GET http://a.example/ HTTP/1.1\r\nX\xc3\xa9: value\r\n\r\n", "token");
}

Test(http_head_headers, framing) {
        struct http_request req;
        expect_ok("POST http://a.example/ HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("POST http://a.example/ HTTP/1.1\r\nContent-Length: 12345 \r\n\r\n", &req);
        http_request_done(&req);
        expect_ok("POST http://a.example/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &req);
        http_request_done(&req);

        expect_bad("POST http://a.example/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                   "Transfer-Encoding and Content-Length");
        expect_bad("POST http://a.example/ HTTP/1.1\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n",
                   "Transfer-Encoding and Content-Length");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
                   "more than one Content-Length");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: 5\r\nCONTENT-LENGTH: 6\r\n\r\n",
                   "more than one Content-Length");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", "not a number");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: +5\r\n\r\n", "not a number");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "not a number");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", "not a number");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length:\r\n\r\n", "not a number");
        expect_bad("POST http://a.example/ HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n", "not a number");
        expect_bad("CONNECT a.example:443 HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: x\r\n\r\n",
                   "Transfer-Encoding and Content-Length");
}

/* ---- incomplete and too large --------------------------------------------------------------- */

Test(http_head_limits, every_prefix_is_incomplete) {
        static const char *const heads[] = {
                "CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n",
                "GET http://a.example:8080/x?y=1 HTTP/1.0\r\nAccept: */*\r\nX-A: \t1\r\n\r\n",
                "POST http://[::1]/ HTTP/1.1\r\nContent-Length: 3\r\n\r\n",
        };
        for (size_t h = 0; h < ELEMENTSOF(heads); h++) {
                size_t n = strlen(heads[h]);
                for (size_t i = 0; i < n; i++) {
                        struct http_request req;
                        memset(&req, 0x5a, sizeof(req));
                        const char *why = "unset";
                        enum http_head_status st = parse_n(heads[h], i, &req, &why);
                        cr_assert_eq(st, HTTP_HEAD_INCOMPLETE, "head %zu, prefix %zu: %d", h, i, st);
                        cr_expect_null(why);
                        cr_expect_null(req.upstream_head);
                        http_request_done(&req);
                }
                struct http_request req;
                cr_assert_eq(parse_n(heads[h], n, &req, NULL), HTTP_HEAD_OK, "head %zu whole", h);
                cr_expect_eq(req.head_len, n);
                http_request_done(&req);
        }
}

Test(http_head_limits, empty_and_garbage_prefixes_wait) {
        struct http_request req;
        cr_expect_eq(http_head_parse(NULL, 0, &req, NULL), HTTP_HEAD_INCOMPLETE);
        cr_expect_eq(parse("\r\n\r", &req, NULL), HTTP_HEAD_INCOMPLETE);
        cr_expect_eq(parse("\x16\x03\x01", &req, NULL), HTTP_HEAD_INCOMPLETE);
}

/* A head of exactly n bytes: "GET http://a.example/ HTTP/1.1\r\nX: aaa...\r\n\r\n". */
static char *head_of_size(size_t n, size_t *ret_len) {
        static const char start[] = "GET http://a.example/ HTTP/1.1\r\nX: ";
        static const char end[] = "\r\n\r\n";
        size_t fixed = strlen(start) + strlen(end);
        cr_assert_geq(n, fixed);
        char *s = malloc(n + 1);
        cr_assert_not_null(s);
        memcpy(s, start, strlen(start));
        memset(s + strlen(start), 'a', n - fixed);
        memcpy(s + n - strlen(end), end, strlen(end) + 1);
        *ret_len = n;
        return s;
}

Test(http_head_limits, head_size_cap) {
        size_t n;
        struct http_request req;
        const char *why = NULL;

        _cleanup_free_ char *max = head_of_size(HTTP_HEAD_MAX, &n);
        cr_assert_eq(parse_n(max, n, &req, &why), HTTP_HEAD_OK, "%s", why);
        cr_expect_eq(req.head_len, HTTP_HEAD_MAX);
        http_request_done(&req);

        _cleanup_free_ char *over = head_of_size(HTTP_HEAD_MAX + 1, &n);
        cr_expect_eq(parse_n(over, n, &req, &why), HTTP_HEAD_TOO_LARGE);
        cr_expect_not_null(why);
        cr_expect_null(req.upstream_head);
}

Test(http_head_limits, no_end_in_sight) {
        _cleanup_free_ char *s = malloc(HTTP_HEAD_MAX * 2);
        cr_assert_not_null(s);
        memset(s, 'a', HTTP_HEAD_MAX * 2);
        memcpy(s, "GET http://a.example/ HTTP/1.1\r\nX: ", 35);
        struct http_request req;
        const char *why = NULL;
        cr_expect_eq(parse_n(s, HTTP_HEAD_MAX - 1, &req, &why), HTTP_HEAD_INCOMPLETE);
        cr_expect_eq(parse_n(s, HTTP_HEAD_MAX, &req, &why), HTTP_HEAD_TOO_LARGE);
        cr_expect_not_null(why);
        cr_expect_eq(parse_n(s, HTTP_HEAD_MAX * 2, &req, NULL), HTTP_HEAD_TOO_LARGE);

        /* The end exists but only past the cap: still too large, not OK. */
        memcpy(s + HTTP_HEAD_MAX + 10, "\r\n\r\n", 4);
        cr_expect_eq(parse_n(s, HTTP_HEAD_MAX * 2, &req, NULL), HTTP_HEAD_TOO_LARGE);
}

static char *head_with_headers(size_t count) {
        size_t cap = 64 + count * 16;
        char *s = malloc(cap);
        cr_assert_not_null(s);
        size_t len = (size_t) snprintf(s, cap, "GET http://a.example/ HTTP/1.1\r\n");
        for (size_t i = 0; i < count; i++)
                len += (size_t) snprintf(s + len, cap - len, "X-%zu: v\r\n", i);
        snprintf(s + len, cap - len, "\r\n");
        return s;
}

Test(http_head_limits, header_count_cap) {
        struct http_request req;
        const char *why = NULL;
        _cleanup_free_ char *ok = head_with_headers(HTTP_HEAD_MAX_HEADERS);
        cr_assert_eq(parse(ok, &req, &why), HTTP_HEAD_OK, "%s", why);
        cr_expect_not_null(strstr(req.upstream_head, "X-99: v\r\nHost: a.example\r\n"));
        http_request_done(&req);

        _cleanup_free_ char *over = head_with_headers(HTTP_HEAD_MAX_HEADERS + 1);
        cr_expect_eq(parse(over, &req, &why), HTTP_HEAD_TOO_LARGE);
        cr_expect_not_null(strstr(why, "headers"));
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

Test(http_head_done, zeroed_and_twice) {
        struct http_request req = {};
        http_request_done(&req);
        http_request_done(&req);
        http_request_done(NULL);

        expect_ok("GET http://a.example/ HTTP/1.1\r\n\r\n", &req);
        cr_expect_not_null(req.upstream_head);
        http_request_done(&req);
        cr_expect_null(req.upstream_head);
        cr_expect_eq(req.upstream_head_len, 0);
        cr_expect_eq(req.head_len, 0);
        cr_expect_eq(req.port, 0);
        cr_expect_str_eq(req.host, "");
        http_request_done(&req);
}

Test(http_head_done, why_is_optional) {
        struct http_request req;
        cr_expect_eq(parse("GET / HTTP/1.1\r\n\r\n", &req, NULL), HTTP_HEAD_UNSUPPORTED);
        cr_expect_eq(parse("GET http://a.example/ HTTP/1.1\r\nHost: b\r\n\r\n", &req, NULL), HTTP_HEAD_BAD);
        cr_expect_eq(parse("GET http://a.example/ HTTP/1.1\r\n\r\n", &req, NULL), HTTP_HEAD_OK);
        http_request_done(&req);
}
