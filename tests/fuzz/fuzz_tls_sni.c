/* libFuzzer target: first bytes of a CONNECT tunnel -> tls_sni_parse. Must never crash, hang or
 * read past size, and whatever it returns must satisfy the invariants the proxy relies on. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sandbox/tls_sni.h"

#define SNI_HOST_MAX 253

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_lower_host_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* Parse into a heap buffer of exactly host_size bytes, so ASan catches a write past it; check that
 * the buffer is touched only on TLS_SNI_FOUND. */
static enum tls_sni_status parse_into(const uint8_t *data, size_t size, char *host, size_t host_size) {
        memset(host, 0x7f, host_size);
        enum tls_sni_status st = tls_sni_parse(data, size, host, host_size);
        if (st != TLS_SNI_FOUND)
                for (size_t i = 0; i < host_size; i++)
                        assert(host[i] == 0x7f);
        return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const size_t host_size = SNI_HOST_MAX + 1;
        char *host = malloc(host_size);
        if (!host)
                return 0;

        enum tls_sni_status st = parse_into(data, size, host, host_size);
        switch (st) {
        case TLS_SNI_FOUND: {
                const char *nul = memchr(host, '\0', host_size);
                assert(nul);
                size_t n = (size_t) (nul - host);
                assert(n > 0 && n < host_size);
                for (size_t i = 0; i < n; i++)
                        assert(is_lower_host_char(host[i]));
                assert(host[0] != '.' && host[n - 1] != '.');
                assert(!strstr(host, ".."));

                /* The name fits a buffer of exactly its size, and not one byte less. */
                char *exact = malloc(n + 1);
                assert(exact);
                assert(parse_into(data, size, exact, n + 1) == TLS_SNI_FOUND);
                assert(memcmp(exact, host, n + 1) == 0);
                assert(parse_into(data, size, exact, n) == TLS_SNI_MALFORMED);
                free(exact);
                break;
        }
        case TLS_SNI_NOT_TLS:
                assert(size > 0 && data[0] != 0x16);
                break;
        case TLS_SNI_NEED_MORE:
                /* Never asks for more than one record's worth. */
                assert(size < TLS_SNI_PEEK_MAX);
                assert(size == 0 || data[0] == 0x16);
                break;
        case TLS_SNI_ABSENT:
                /* No name to store: the buffer is not needed. */
                assert(tls_sni_parse(data, size, NULL, 0) == TLS_SNI_ABSENT);
                break;
        case TLS_SNI_MALFORMED:
                assert(size > 0 && data[0] == 0x16);
                break;
        default:
                assert(!"unknown status");
        }

        /* Only the first record counts: cutting the input at TLS_SNI_PEEK_MAX changes nothing. */
        if (size > TLS_SNI_PEEK_MAX)
                assert(parse_into(data, TLS_SNI_PEEK_MAX, host, host_size) == st);
        free(host);
        return 0;
}
