/* libFuzzer target: proxy request head bytes -> http_head_parse. Must never crash, hang, leak or
 * read past size, and whatever it accepts must satisfy the invariants the proxy relies on. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../src/sandbox/http_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool ends_with(const char *s, size_t n, const char *suffix) {
        size_t m = strlen(suffix);
        return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct http_request req;
        const char *why = NULL;
        enum http_head_status st = http_head_parse((const char *) data, size, &req, &why);

        switch (st) {
        case HTTP_HEAD_OK:
                assert(!why);
                assert(req.head_len >= 4 && req.head_len <= size && req.head_len <= HTTP_HEAD_MAX);
                assert(memcmp(data + req.head_len - 4, "\r\n\r\n", 4) == 0);
                assert(memchr(req.host, '\0', sizeof(req.host)) && req.host[0] != '\0');
                assert(memchr(req.method, '\0', sizeof(req.method)) && req.method[0] != '\0');
                assert(req.port != 0);
                if (req.is_connect) {
                        assert(!req.upstream_head && req.upstream_head_len == 0);
                } else {
                        assert(req.upstream_head);
                        assert(strlen(req.upstream_head) == req.upstream_head_len);
                        assert(ends_with(req.upstream_head, req.upstream_head_len, "\r\n\r\n"));
                        assert(strstr(req.upstream_head, "Connection: close\r\n"));
                        /* One empty line only: the rebuilt head ends where it says it does. */
                        assert(strstr(req.upstream_head, "\r\n\r\n") ==
                               req.upstream_head + req.upstream_head_len - 4);
                }
                break;
        case HTTP_HEAD_INCOMPLETE:
                assert(!why && size < HTTP_HEAD_MAX);
                break;
        case HTTP_HEAD_BAD:
        case HTTP_HEAD_TOO_LARGE:
        case HTTP_HEAD_UNSUPPORTED:
                assert(why && why[0] != '\0');
                assert(!req.upstream_head);
                break;
        default:
                assert(!"unknown status");
        }
        http_request_done(&req);
        http_request_done(&req);
        return 0;
}
