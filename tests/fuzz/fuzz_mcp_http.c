/* libFuzzer target: request-head bytes -> the `mcp --http` parser (src/rpc/http_request.c), and
 * every header value through the host, origin, Accept and bearer checks. Must never crash, hang,
 * leak or read past size, and what it accepts must hold the invariants the server relies on. */
#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/rpc/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a NUL-terminated string inside the request's own copy of the head */
static void assert_in_text(const struct httpd_request *r, const char *s) {
        assert(s >= r->text && s < r->text + sizeof(r->text));
        assert(memchr(s, '\0', (size_t) (r->text + sizeof(r->text) - s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static struct httpd_request req;
        int n = httpd_request_parse((const char *) data, size, &req);
        if (n == HTTPD_PARSE_INCOMPLETE) {
                assert(size < HTTPD_HEAD_MAX);
                return 0;
        }
        if (n < 0) {
                assert(n == HTTPD_PARSE_MALFORMED || n == HTTPD_PARSE_TOO_LARGE || n == HTTPD_PARSE_TARGET_TOO_LONG ||
                       n == HTTPD_PARSE_VERSION);
                return 0;
        }
        assert((size_t) n == req.head_len && req.head_len <= size && req.head_len <= HTTPD_HEAD_MAX);
        assert(data[n - 1] == '\n');
        assert_in_text(&req, req.method_name);
        assert_in_text(&req, req.path);
        assert(req.path[0] == '/' || strcmp(req.path, "*") == 0);
        assert(strlen(req.path) <= HTTPD_TARGET_MAX);
        assert(req.minor >= 0 && req.minor <= 9);
        assert(req.n_headers <= HTTPD_HEADERS_MAX);
        assert(req.has_length || req.content_length == 0);
        assert(req.content_length < 10000000000000000000ull);
        if (req.minor >= 1)
                assert(httpd_request_header_count(&req, "host") == 1);
        for (size_t i = 0; i < req.n_headers; i++) {
                const struct httpd_header *h = &req.headers[i];
                assert_in_text(&req, h->name);
                assert_in_text(&req, h->value);
                assert(h->name[0] && !strpbrk(h->name, " \t:\r\n"));
                assert(!strpbrk(h->value, "\r\n"));
                size_t vl = strlen(h->value);
                assert(!vl || (h->value[0] != ' ' && h->value[vl - 1] != ' ' && h->value[vl - 1] != '\t'));
                (void) httpd_host_is_loopback(h->value);
                (void) httpd_origin_is_loopback(h->value);
                (void) httpd_accepts(h->value, "application/json");
                (void) httpd_accepts(h->value, "text/event-stream");
                (void) httpd_bearer_matches(h->value, "fuzz-token-0123456789");
                assert(httpd_request_header(&req, h->name) != NULL);
        }
        /* a loopback host is always one of the three spellings */
        const char *host = httpd_request_header(&req, "Host");
        if (host && httpd_host_is_loopback(host))
                assert(strncasecmp(host, "localhost", 9) == 0 || strncmp(host, "127.", 4) == 0 ||
                       strncmp(host, "[::1]", 5) == 0);
        return 0;
}
