/* Unit tests for src/sandbox/tls_sni: the server name in the first TLS record of a CONNECT tunnel,
 * from real ClientHellos (captured from OpenSSL and Python clients) and hand-built bad ones. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/sandbox/tls_sni.h"

/* ---- real ClientHellos ----------------------------------------------------------------------- */

/* The first bytes each client wrote to a local TCP listener (the same captures as
 * tests/fuzz/corpus/fuzz_tls_sni/). */
/* Python 3 ssl, OpenSSL 3.0, server_hostname="api.example.com" (517 bytes) */
static const unsigned char HELLO_PYTHON_API[] = {
        0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x61, 0x07, 0x49, 0xa8, 0x32,
        0x1d, 0xdc, 0x27, 0x40, 0x9b, 0x83, 0x38, 0x17, 0x4b, 0xe6, 0xcc, 0x59, 0xfb, 0x05, 0x45, 0x90,
        0xf4, 0x31, 0x43, 0x3a, 0x25, 0xd7, 0x49, 0x7c, 0xc7, 0xf1, 0x31, 0x20, 0x68, 0x7f, 0x19, 0xfc,
        0x71, 0x12, 0x5b, 0xf2, 0x15, 0x57, 0x30, 0x48, 0x67, 0xbe, 0xab, 0xe0, 0x6b, 0x5d, 0x83, 0x06,
        0x11, 0xdd, 0xed, 0x66, 0xd0, 0x14, 0x67, 0xfc, 0x6e, 0x0b, 0x79, 0x4b, 0x00, 0x24, 0x13, 0x02,
        0x13, 0x03, 0x13, 0x01, 0xc0, 0x2c, 0xc0, 0x30, 0xc0, 0x2b, 0xc0, 0x2f, 0xcc, 0xa9, 0xcc, 0xa8,
        0xc0, 0x24, 0xc0, 0x28, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x9f, 0x00, 0x9e, 0x00, 0x6b, 0x00, 0x67,
        0x00, 0xff, 0x01, 0x00, 0x01, 0x8f, 0x00, 0x00, 0x00, 0x14, 0x00, 0x12, 0x00, 0x00, 0x0f, 0x61,
        0x70, 0x69, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f, 0x6d, 0x00, 0x0b,
        0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00, 0x1d, 0x00, 0x17,
        0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04,
        0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a,
        0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a,
        0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03,
        0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x05, 0x04, 0x03,
        0x04, 0x03, 0x03, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00,
        0x1d, 0x00, 0x20, 0x6d, 0x79, 0x93, 0xed, 0x7f, 0x07, 0xb9, 0x5a, 0x0e, 0x41, 0x6e, 0x2f, 0x41,
        0xf9, 0xb2, 0xd5, 0x69, 0x0e, 0x5e, 0x79, 0x6e, 0x70, 0x31, 0x31, 0x7f, 0x4e, 0xdf, 0xae, 0x50,
        0x01, 0x29, 0x2b, 0x00, 0x15, 0x00, 0xde, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00,
};

/* "openssl s_client -tls1_3 -servername x", OpenSSL 3.0 (no post-quantum groups) (235 bytes) */
static const unsigned char HELLO_OPENSSL_TLS13[] = {
        0x16, 0x03, 0x01, 0x00, 0xe6, 0x01, 0x00, 0x00, 0xe2, 0x03, 0x03, 0x7a, 0x5d, 0xfa, 0x2c, 0x04,
        0x9c, 0xf2, 0x47, 0x0d, 0xdf, 0x9b, 0xc0, 0xd0, 0x6d, 0x21, 0x5d, 0x6a, 0x0b, 0x0e, 0xe6, 0x92,
        0xc1, 0xc8, 0x37, 0x20, 0xa5, 0xe2, 0x97, 0x67, 0xbe, 0x97, 0x80, 0x20, 0x3e, 0xf9, 0xfb, 0xbd,
        0xb9, 0x06, 0x0b, 0x28, 0xa8, 0x9e, 0x19, 0x75, 0xff, 0x0f, 0x5f, 0xbd, 0xa5, 0x5e, 0x27, 0x09,
        0xec, 0x96, 0xc4, 0xfd, 0x9f, 0x17, 0x67, 0x4c, 0x17, 0x9d, 0x34, 0x37, 0x00, 0x08, 0x13, 0x02,
        0x13, 0x03, 0x13, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0x91, 0x00, 0x00, 0x00, 0x06, 0x00, 0x04,
        0x00, 0x00, 0x01, 0x78, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16,
        0x00, 0x14, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01,
        0x01, 0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17,
        0x00, 0x00, 0x00, 0x0d, 0x00, 0x1e, 0x00, 0x1c, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07,
        0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01,
        0x05, 0x01, 0x06, 0x01, 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04, 0x00, 0x2d, 0x00, 0x02, 0x01,
        0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x8d, 0x52, 0x71, 0x96, 0x1d,
        0x96, 0x8b, 0x0b, 0x55, 0xf4, 0x44, 0x76, 0xfd, 0xed, 0x73, 0xb7, 0x5f, 0xe5, 0x82, 0xe5, 0x64,
        0x8a, 0xaf, 0xb1, 0x83, 0x9f, 0x21, 0xbc, 0xde, 0x99, 0x66, 0x23,
};

/* "openssl s_client -noservername", OpenSSL 3.0 (297 bytes) */
static const unsigned char HELLO_OPENSSL_NO_SNI[] = {
        0x16, 0x03, 0x01, 0x01, 0x24, 0x01, 0x00, 0x01, 0x20, 0x03, 0x03, 0x68, 0x69, 0x72, 0x75, 0x5c,
        0x6b, 0x5f, 0x39, 0x14, 0x44, 0x6b, 0x67, 0x37, 0xf4, 0xc7, 0x6f, 0x57, 0xe4, 0xdd, 0xa1, 0x7e,
        0xe6, 0x1d, 0xb2, 0x20, 0x5b, 0x26, 0xb5, 0xbc, 0x87, 0xf4, 0x97, 0x20, 0x69, 0x41, 0x6e, 0xe3,
        0x86, 0x6d, 0x5a, 0xd8, 0xa1, 0x09, 0xa4, 0xd8, 0xdf, 0x72, 0x51, 0xfc, 0xa5, 0x65, 0xf0, 0x8f,
        0x1b, 0xba, 0x48, 0xca, 0xa2, 0xd6, 0xaa, 0x28, 0xbb, 0xb3, 0x10, 0x79, 0x00, 0x3e, 0x13, 0x02,
        0x13, 0x03, 0x13, 0x01, 0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa,
        0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27,
        0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d,
        0x00, 0x9c, 0x00, 0x3d, 0x00, 0x3c, 0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0x99,
        0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00, 0x14, 0x00, 0x1d,
        0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03,
        0x01, 0x04, 0x00, 0x23, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d,
        0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09,
        0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01,
        0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x09,
        0x08, 0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00,
        0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x7b, 0x0b, 0x4c, 0xb8, 0x34, 0xc0, 0x5f,
        0x81, 0x8c, 0xfe, 0x9a, 0xe3, 0x42, 0x92, 0x42, 0x04, 0x3b, 0xca, 0x94, 0xcb, 0xfb, 0xc3, 0xe5,
        0x93, 0x9e, 0xa1, 0x8e, 0x55, 0x8b, 0xe3, 0x40, 0x78,
};

/* "openssl s_client -tls1_2 -servername Upper.Example.COM", OpenSSL 3.0 (214 bytes) */
static const unsigned char HELLO_OPENSSL_TLS12_UPPER[] = {
        0x16, 0x03, 0x01, 0x00, 0xd1, 0x01, 0x00, 0x00, 0xcd, 0x03, 0x03, 0x59, 0x66, 0x1d, 0x22, 0xc3,
        0xfa, 0xed, 0x32, 0x61, 0x09, 0x75, 0x98, 0x8d, 0x0e, 0x14, 0x24, 0xf5, 0x1e, 0xdd, 0x7c, 0xac,
        0xa6, 0x6e, 0xf4, 0xce, 0x0c, 0x72, 0x08, 0xf3, 0xf0, 0x8b, 0x05, 0x00, 0x00, 0x38, 0xc0, 0x2c,
        0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e,
        0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14,
        0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00, 0x3c,
        0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00, 0x16, 0x00, 0x14,
        0x00, 0x00, 0x11, 0x55, 0x70, 0x70, 0x65, 0x72, 0x2e, 0x45, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65,
        0x2e, 0x43, 0x4f, 0x4d, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x0c,
        0x00, 0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x00, 0x23, 0x00, 0x00,
        0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03,
        0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04,
        0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02,
        0x04, 0x02, 0x05, 0x02, 0x06, 0x02,
};

struct real_hello {
        const char *what;
        const unsigned char *bytes;
        size_t len;
        enum tls_sni_status status;
        const char *host;
};

static const struct real_hello REAL_HELLOS[] = {
        { "python", HELLO_PYTHON_API, sizeof(HELLO_PYTHON_API), TLS_SNI_FOUND, "api.example.com" },
        { "openssl tls1.3", HELLO_OPENSSL_TLS13, sizeof(HELLO_OPENSSL_TLS13), TLS_SNI_FOUND, "x" },
        { "openssl no sni", HELLO_OPENSSL_NO_SNI, sizeof(HELLO_OPENSSL_NO_SNI), TLS_SNI_ABSENT, NULL },
        { "openssl tls1.2 upper", HELLO_OPENSSL_TLS12_UPPER, sizeof(HELLO_OPENSSL_TLS12_UPPER), TLS_SNI_FOUND,
          "upper.example.com" },
};

/* ---- helpers --------------------------------------------------------------------------------- */

#define HOST_SENTINEL "untouched"

/* Every parse goes through an exact-size heap copy, so a sanitizer build catches any read past
 * len (the proxy hands over raw socket bytes). host is pre-filled to check it is written only on
 * TLS_SNI_FOUND. */
static enum tls_sni_status parse_sized(const void *bytes, size_t len, char *host, size_t host_size) {
        _cleanup_free_ unsigned char *copy = malloc(len ? len : 1);
        cr_assert_not_null(copy);
        if (len)
                memcpy(copy, bytes, len);
        return tls_sni_parse(copy, len, host, host_size);
}

static void expect_status(const char *what, const void *bytes, size_t len, enum tls_sni_status want) {
        char host[256] = HOST_SENTINEL;
        enum tls_sni_status st = parse_sized(bytes, len, host, sizeof(host));
        cr_assert_eq(st, want, "%s (%zu bytes): status %d, want %d", what, len, st, want);
        if (st != TLS_SNI_FOUND)
                cr_expect_str_eq(host, HOST_SENTINEL, "%s: host written on status %d", what, st);
}

static void expect_host(const char *what, const void *bytes, size_t len, const char *want) {
        char host[256] = HOST_SENTINEL;
        enum tls_sni_status st = parse_sized(bytes, len, host, sizeof(host));
        cr_assert_eq(st, TLS_SNI_FOUND, "%s: status %d, want FOUND", what, st);
        cr_expect_str_eq(host, want, "%s", what);
}

static void expect_str_status(const char *s, enum tls_sni_status want) {
        expect_status(s, s, strlen(s), want);
}

/* A byte string being built; big enough for one maximal record and then some. */
struct bytes {
        unsigned char b[TLS_SNI_PEEK_MAX + 64];
        size_t len;
};

static void put(struct bytes *s, const void *p, size_t n) {
        cr_assert_leq(n, sizeof(s->b) - s->len, "test buffer overflow");
        memcpy(s->b + s->len, p, n);
        s->len += n;
}

static void put_u8(struct bytes *s, unsigned v) {
        unsigned char c = (unsigned char) v;
        put(s, &c, 1);
}

static void put_u16(struct bytes *s, size_t v) {
        put_u8(s, (unsigned) (v >> 8) & 0xff);
        put_u8(s, (unsigned) v & 0xff);
}

static void put_u24(struct bytes *s, size_t v) {
        put_u8(s, (unsigned) (v >> 16) & 0xff);
        put_u16(s, v & 0xffff);
}

static void put_fill(struct bytes *s, unsigned char c, size_t n) {
        for (size_t i = 0; i < n; i++)
                put(s, &c, 1);
}

static void put_bytes(struct bytes *s, const struct bytes *t) {
        put(s, t->b, t->len);
}

/* A ClientHello body up to the extensions: version 0x0303, random, then a session id, cipher
 * suites and compression methods of the given lengths. */
static void put_hello_start(struct bytes *body, size_t sid_len, size_t suites_len, size_t comp_len) {
        put_u16(body, 0x0303);
        put_fill(body, 0xab, 32);
        put_u8(body, (unsigned) sid_len);
        put_fill(body, 0x11, sid_len);
        put_u16(body, suites_len);
        put_fill(body, 0x13, suites_len);
        put_u8(body, (unsigned) comp_len);
        put_fill(body, 0x00, comp_len);
}

/* One record holding one handshake message of the given type around body. */
static void wrap_handshake(struct bytes *out, unsigned type, const struct bytes *body) {
        out->len = 0;
        put(out, "\x16\x03\x01", 3);
        put_u16(out, 4 + body->len);
        put_u8(out, type);
        put_u24(out, body->len);
        put_bytes(out, body);
}

/* A well-formed ClientHello record carrying the given extension block contents. */
static void build_hello(struct bytes *out, const struct bytes *exts) {
        struct bytes body = {};
        put_hello_start(&body, 32, 4, 1);
        put_u16(&body, exts->len);
        put_bytes(&body, exts);
        wrap_handshake(out, 1, &body);
}

static void put_ext(struct bytes *exts, unsigned type, const void *data, size_t n) {
        put_u16(exts, type);
        put_u16(exts, n);
        put(exts, data, n);
}

/* A server_name extension with one host_name entry of n bytes. */
static void put_sni_ext_n(struct bytes *exts, const char *name, size_t n) {
        put_u16(exts, 0);
        put_u16(exts, n + 5);
        put_u16(exts, n + 3);
        put_u8(exts, 0);
        put_u16(exts, n);
        put(exts, name, n);
}

static void put_sni_ext(struct bytes *exts, const char *name) {
        put_sni_ext_n(exts, name, strlen(name));
}

/* Some ordinary extensions around where the name goes: supported_groups, signature_algorithms. */
static void put_common_exts(struct bytes *exts) {
        put_ext(exts, 10, "\x00\x04\x00\x1d\x00\x17", 6);
        put_ext(exts, 13, "\x00\x04\x04\x03\x08\x04", 6);
}

static void build_sni_hello(struct bytes *out, const char *name, size_t n) {
        struct bytes exts = {};
        put_common_exts(&exts);
        put_sni_ext_n(&exts, name, n);
        put_ext(&exts, 43, "\x02\x03\x04", 3);
        build_hello(out, &exts);
}

static void expect_name(const char *name, const char *want) {
        struct bytes h;
        build_sni_hello(&h, name, strlen(name));
        expect_host(name, h.b, h.len, want);
}

static void expect_name_malformed(const char *what, const char *name, size_t n) {
        struct bytes h;
        build_sni_hello(&h, name, n);
        expect_status(what, h.b, h.len, TLS_SNI_MALFORMED);
}

static void expect_exts(const char *what, const struct bytes *exts, enum tls_sni_status want) {
        struct bytes h;
        build_hello(&h, exts);
        expect_status(what, h.b, h.len, want);
}

/* ---- real hellos ----------------------------------------------------------------------------- */

Test(tls_sni_real, python_openssl_and_no_sni) {
        for (size_t i = 0; i < ELEMENTSOF(REAL_HELLOS); i++) {
                const struct real_hello *r = &REAL_HELLOS[i];
                if (r->status == TLS_SNI_FOUND)
                        expect_host(r->what, r->bytes, r->len, r->host);
                else
                        expect_status(r->what, r->bytes, r->len, r->status);
        }
}

Test(tls_sni_real, upper_case_name_is_lower_cased) {
        /* The capture really does carry the name as the client was given it. */
        cr_assert_not_null(memmem(HELLO_OPENSSL_TLS12_UPPER, sizeof(HELLO_OPENSSL_TLS12_UPPER),
                                  "Upper.Example.COM", 17));
        expect_host("tls1.2 upper", HELLO_OPENSSL_TLS12_UPPER, sizeof(HELLO_OPENSSL_TLS12_UPPER),
                    "upper.example.com");
        expect_name("API.Example.COM", "api.example.com");
}

Test(tls_sni_real, every_prefix_needs_more) {
        for (size_t i = 0; i < ELEMENTSOF(REAL_HELLOS); i++) {
                const struct real_hello *r = &REAL_HELLOS[i];
                for (size_t n = 0; n < r->len; n++)
                        expect_status(r->what, r->bytes, n, TLS_SNI_NEED_MORE);
        }
}

Test(tls_sni_real, bytes_after_the_record_are_ignored) {
        struct bytes b = {};
        put(&b, HELLO_PYTHON_API, sizeof(HELLO_PYTHON_API));
        put(&b, "\x14\x03\x03\x00\x01\x01", 6); /* a TLS 1.3 middlebox-compat ChangeCipherSpec */
        put(&b, "GET / HTTP/1.1\r\n", 16);
        expect_host("hello + more", b.b, b.len, "api.example.com");
}

Test(tls_sni_real, truncated_inside_the_record_is_malformed) {
        /* Shorten the record (and the bytes) to every smaller size: the hello then claims more
         * than the record holds, which is what a fragmented hello looks like. */
        for (size_t i = 0; i < ELEMENTSOF(REAL_HELLOS); i++) {
                const struct real_hello *r = &REAL_HELLOS[i];
                struct bytes b = {};
                put(&b, r->bytes, r->len);
                for (size_t rec = 1; rec < r->len - 5; rec++) {
                        b.b[3] = (unsigned char) (rec >> 8);
                        b.b[4] = (unsigned char) rec;
                        expect_status(r->what, b.b, 5 + rec, TLS_SNI_MALFORMED);
                }
        }
}

Test(tls_sni_real, fragmented_over_two_records_is_malformed) {
        const size_t first = 100; /* handshake bytes in the first record, before the name */
        struct bytes b = {};
        put(&b, "\x16\x03\x01", 3);
        put_u16(&b, first);
        put(&b, HELLO_PYTHON_API + 5, first);
        put(&b, "\x16\x03\x01", 3);
        put_u16(&b, sizeof(HELLO_PYTHON_API) - 5 - first);
        put(&b, HELLO_PYTHON_API + 5 + first, sizeof(HELLO_PYTHON_API) - 5 - first);
        expect_status("fragmented", b.b, b.len, TLS_SNI_MALFORMED);
        /* Only the first record counts, and it alone says: malformed. */
        expect_status("fragmented, first record", b.b, 5 + first, TLS_SNI_MALFORMED);
}

Test(tls_sni_real, host_size) {
        char exact[sizeof("api.example.com")];
        cr_assert_eq(parse_sized(HELLO_PYTHON_API, sizeof(HELLO_PYTHON_API), exact, sizeof(exact)),
                     TLS_SNI_FOUND);
        cr_expect_str_eq(exact, "api.example.com");

        char small[sizeof("api.example.com") - 1];
        memset(small, 'Z', sizeof(small));
        cr_expect_eq(parse_sized(HELLO_PYTHON_API, sizeof(HELLO_PYTHON_API), small, sizeof(small)),
                     TLS_SNI_MALFORMED);
        for (size_t i = 0; i < sizeof(small); i++)
                cr_expect_eq(small[i], 'Z', "host left untouched when too small");

        cr_expect_eq(parse_sized(HELLO_PYTHON_API, sizeof(HELLO_PYTHON_API), NULL, 0), TLS_SNI_MALFORMED);
        /* Without a name there is nothing to store, so no buffer is needed. */
        cr_expect_eq(parse_sized(HELLO_OPENSSL_NO_SNI, sizeof(HELLO_OPENSSL_NO_SNI), NULL, 0), TLS_SNI_ABSENT);
}

/* ---- not TLS --------------------------------------------------------------------------------- */

Test(tls_sni_not_tls, other_protocols) {
        expect_str_status("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", TLS_SNI_NOT_TLS);
        expect_str_status("SSH-2.0-OpenSSH_9.6\r\n", TLS_SNI_NOT_TLS);
        expect_str_status("SSH-2.0-", TLS_SNI_NOT_TLS);
        expect_str_status("G", TLS_SNI_NOT_TLS);
        expect_str_status("S", TLS_SNI_NOT_TLS);
        expect_str_status("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", TLS_SNI_NOT_TLS);
        /* Other TLS record types, and an SSLv2-compatible hello, are not a handshake record. */
        expect_status("alert", "\x15\x03\x03\x00\x02\x02\x28", 7, TLS_SNI_NOT_TLS);
        expect_status("application data", "\x17\x03\x03\x00\x01\x00", 6, TLS_SNI_NOT_TLS);
        expect_status("ccs", "\x14\x03\x03\x00\x01\x01", 6, TLS_SNI_NOT_TLS);
        expect_status("sslv2 hello", "\x80\x2e\x01\x03\x01", 5, TLS_SNI_NOT_TLS);
        expect_status("nul", "\x00", 1, TLS_SNI_NOT_TLS);
}

Test(tls_sni_not_tls, empty_needs_more) {
        expect_status("empty", "", 0, TLS_SNI_NEED_MORE);
        expect_status("0x16", "\x16", 1, TLS_SNI_NEED_MORE);
}

/* ---- record header --------------------------------------------------------------------------- */

Test(tls_sni_record, versions) {
        for (unsigned minor = 0; minor <= 4; minor++) {
                struct bytes b = {};
                put(&b, HELLO_OPENSSL_TLS13, sizeof(HELLO_OPENSSL_TLS13));
                b.b[2] = (unsigned char) minor;
                expect_host("record minor", b.b, b.len, "x");
        }
        expect_status("major 2", "\x16\x02", 2, TLS_SNI_MALFORMED);
        expect_status("major 4", "\x16\x04\x01\x00\x10", 5, TLS_SNI_MALFORMED);
        expect_status("minor 5", "\x16\x03\x05", 3, TLS_SNI_MALFORMED);
        expect_status("minor ff", "\x16\x03\xff\x00\x10", 5, TLS_SNI_MALFORMED);
        expect_status("header prefix", "\x16\x03", 2, TLS_SNI_NEED_MORE);
        expect_status("header prefix", "\x16\x03\x01", 3, TLS_SNI_NEED_MORE);
        expect_status("header prefix", "\x16\x03\x01\x40", 4, TLS_SNI_NEED_MORE);
}

Test(tls_sni_record, length_bounds) {
        expect_status("length 0", "\x16\x03\x01\x00\x00", 5, TLS_SNI_MALFORMED);
        expect_status("length 0 + more", "\x16\x03\x01\x00\x00\x01\x00\x00\x00", 9, TLS_SNI_MALFORMED);
        expect_status("length 16385", "\x16\x03\x01\x40\x01", 5, TLS_SNI_MALFORMED);
        expect_status("length 65535", "\x16\x03\x01\xff\xff", 5, TLS_SNI_MALFORMED);
        /* Too long already shows in the high byte. */
        expect_status("length 0x41xx", "\x16\x03\x01\x41", 4, TLS_SNI_MALFORMED);
        expect_status("length 16384, 1 byte", "\x16\x03\x01\x40\x00\x01", 6, TLS_SNI_NEED_MORE);
}

Test(tls_sni_record, largest_record_holds_a_hello) {
        /* Pad with the padding extension (21) to fill exactly TLS_SNI_PEEK_MAX bytes. */
        struct bytes exts = {}, h, probe;
        put_sni_ext(&exts, "big.example");
        build_hello(&probe, &exts);
        size_t pad = TLS_SNI_PEEK_MAX - probe.len - 4;
        put_u16(&exts, 21);
        put_u16(&exts, pad);
        put_fill(&exts, 0, pad);
        build_hello(&h, &exts);
        cr_assert_eq(h.len, TLS_SNI_PEEK_MAX);
        expect_host("16384-byte record", h.b, h.len, "big.example");
        expect_status("16384-byte record less one", h.b, h.len - 1, TLS_SNI_NEED_MORE);

        /* One more byte of padding: the record is too long. */
        put_u8(&exts, 0);
        exts.b[exts.len - pad - 3] = (unsigned char) ((pad + 1) >> 8);
        exts.b[exts.len - pad - 2] = (unsigned char) (pad + 1);
        build_hello(&h, &exts);
        cr_assert_eq(h.len, TLS_SNI_PEEK_MAX + 1);
        expect_status("16385-byte record", h.b, h.len, TLS_SNI_MALFORMED);
}

/* ---- handshake and ClientHello body ---------------------------------------------------------- */

Test(tls_sni_hello, wrong_handshake_type) {
        struct bytes exts = {}, body = {}, h;
        put_sni_ext(&exts, "a.example");
        put_hello_start(&body, 32, 4, 1);
        put_u16(&body, exts.len);
        put_bytes(&body, &exts);
        for (unsigned type = 0; type < 256; type++) {
                wrap_handshake(&h, type, &body);
                if (type == 1)
                        expect_host("client hello", h.b, h.len, "a.example");
                else
                        expect_status("not a client hello", h.b, h.len, TLS_SNI_MALFORMED);
        }
}

Test(tls_sni_hello, handshake_length_vs_record) {
        struct bytes exts = {}, h;
        put_sni_ext(&exts, "a.example");
        build_hello(&h, &exts);
        size_t body_len = h.len - 9;

        /* Longer than the record: MALFORMED however much more, up to the 24-bit maximum. */
        size_t longer[] = { body_len + 1, body_len + 1000, 0xffffff };
        for (size_t i = 0; i < ELEMENTSOF(longer); i++) {
                h.b[6] = (unsigned char) (longer[i] >> 16);
                h.b[7] = (unsigned char) (longer[i] >> 8);
                h.b[8] = (unsigned char) longer[i];
                expect_status("handshake longer than record", h.b, h.len, TLS_SNI_MALFORMED);
        }
        /* Shorter: then the hello itself is cut short inside its extensions. */
        h.b[6] = 0;
        h.b[7] = (unsigned char) ((body_len - 1) >> 8);
        h.b[8] = (unsigned char) (body_len - 1);
        expect_status("handshake shorter than its content", h.b, h.len, TLS_SNI_MALFORMED);

        /* A record with only part of the handshake header. */
        expect_status("3-byte record", "\x16\x03\x01\x00\x03\x01\x00\x00", 8, TLS_SNI_MALFORMED);
        expect_status("1-byte record", "\x16\x03\x01\x00\x01\x01", 6, TLS_SNI_MALFORMED);
        expect_status("empty hello", "\x16\x03\x01\x00\x04\x01\x00\x00\x00", 9, TLS_SNI_MALFORMED);
}

Test(tls_sni_hello, bytes_after_the_hello_in_its_record_are_ignored) {
        struct bytes exts = {}, body = {}, h;
        put_sni_ext(&exts, "a.example");
        put_hello_start(&body, 0, 2, 1);
        put_u16(&body, exts.len);
        put_bytes(&body, &exts);
        wrap_handshake(&h, 1, &body);
        put(&h, "junk", 4);
        h.b[3] = (unsigned char) ((h.len - 5) >> 8);
        h.b[4] = (unsigned char) (h.len - 5);
        expect_host("hello + junk in record", h.b, h.len, "a.example");
}

static void expect_body(const char *what, const struct bytes *body, enum tls_sni_status want) {
        struct bytes h;
        wrap_handshake(&h, 1, body);
        expect_status(what, h.b, h.len, want);
}

Test(tls_sni_hello, fixed_fields) {
        struct bytes body = {};
        put_hello_start(&body, 32, 2, 1);
        expect_body("no extensions at all", &body, TLS_SNI_ABSENT);

        body.len = 0;
        put_hello_start(&body, 0, 2, 1);
        body.b[0] = 0x02;
        expect_body("client version 2.x", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 33, 2, 1);
        expect_body("session id 33", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 0, 1);
        expect_body("no cipher suites", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 3, 1);
        expect_body("odd cipher suites", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 2, 0);
        expect_body("no compression methods", &body, TLS_SNI_MALFORMED);

        /* Cut the fixed part short at every byte. */
        struct bytes full = {};
        put_hello_start(&full, 32, 4, 2);
        for (size_t n = 0; n < full.len; n++) {
                body.len = 0;
                put(&body, full.b, n);
                expect_body("truncated fixed part", &body, TLS_SNI_MALFORMED);
        }
}

/* ---- extensions ------------------------------------------------------------------------------ */

Test(tls_sni_ext, absent_and_empty) {
        struct bytes exts = {};
        expect_exts("empty extension block", &exts, TLS_SNI_ABSENT);
        put_common_exts(&exts);
        put_ext(&exts, 0xff01, "\x00", 1);
        put_ext(&exts, 0x0017, "", 0);
        expect_exts("no server_name", &exts, TLS_SNI_ABSENT);
}

Test(tls_sni_ext, block_length_must_match) {
        struct bytes exts = {}, body = {};
        put_sni_ext(&exts, "a.example");

        put_hello_start(&body, 0, 2, 1);
        put_u16(&body, exts.len + 1);
        put_bytes(&body, &exts);
        expect_body("block longer than hello", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 2, 1);
        put_u16(&body, exts.len - 1);
        put_bytes(&body, &exts);
        expect_body("block shorter than hello", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 2, 1);
        put_u16(&body, exts.len);
        put_bytes(&body, &exts);
        put_u8(&body, 0);
        expect_body("a byte after the block", &body, TLS_SNI_MALFORMED);

        body.len = 0;
        put_hello_start(&body, 0, 2, 1);
        put_u8(&body, 0);
        expect_body("one byte of block length", &body, TLS_SNI_MALFORMED);
}

Test(tls_sni_ext, truncated_extension) {
        struct bytes exts = {};
        put_common_exts(&exts);
        put_u16(&exts, 10);
        put_u16(&exts, 10);
        put(&exts, "12345", 5);
        expect_exts("extension data cut short", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_common_exts(&exts);
        put(&exts, "\x00\x0a\x00", 3);
        expect_exts("extension header cut short", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_sni_ext(&exts, "a.example");
        put_u8(&exts, 0);
        expect_exts("one stray byte after the name", &exts, TLS_SNI_MALFORMED);
}

Test(tls_sni_ext, extension_length_overflow) {
        struct bytes exts = {};
        put_sni_ext(&exts, "a.example");
        put_u16(&exts, 10);
        put_u16(&exts, 0xffff);
        put(&exts, "\x00\x04\x00\x1d\x00\x17", 6);
        expect_exts("extension length 0xffff", &exts, TLS_SNI_MALFORMED);

        /* An SNI extension whose length runs past the block, hiding what follows. */
        exts.len = 0;
        put_sni_ext(&exts, "a.example");
        exts.b[3] = (unsigned char) (exts.b[3] + 4);
        put_common_exts(&exts);
        expect_exts("server_name length past its end", &exts, TLS_SNI_MALFORMED);
}

Test(tls_sni_ext, sni_after_other_extensions_is_found) {
        struct bytes exts = {};
        put_common_exts(&exts);
        put_ext(&exts, 0x0015, "\x00\x00\x00\x00", 4);
        put_sni_ext(&exts, "late.example");
        struct bytes h;
        build_hello(&h, &exts);
        expect_host("sni last", h.b, h.len, "late.example");
}

Test(tls_sni_ext, two_server_name_extensions) {
        struct bytes exts = {};
        put_sni_ext(&exts, "granted.example");
        put_common_exts(&exts);
        put_sni_ext(&exts, "evil.example");
        expect_exts("two server_name extensions", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_sni_ext(&exts, "same.example");
        put_sni_ext(&exts, "same.example");
        expect_exts("two equal server_name extensions", &exts, TLS_SNI_MALFORMED);
}

/* ---- the server_name extension itself -------------------------------------------------------- */

Test(tls_sni_name, list_structure) {
        struct bytes exts = {};
        put_ext(&exts, 0, "", 0);
        expect_exts("empty extension", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00", 1);
        expect_exts("1-byte extension", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x00", 2);
        expect_exts("empty list", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x06\x00\x00\x02\x61\x62", 7);
        expect_exts("list length past extension", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x03\x00\x00\x01\x61\x00", 7);
        expect_exts("byte after list", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x04\x00\x00\x02\x61", 6);
        expect_exts("list length past its data", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x05\x00\x00\x03\x61\x62", 7);
        expect_exts("name length past list", &exts, TLS_SNI_MALFORMED);

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x02\x00\x00", 4);
        expect_exts("entry header cut short", &exts, TLS_SNI_MALFORMED);
}

Test(tls_sni_name, other_name_types) {
        struct bytes exts = {}, h;
        /* An unknown name type is skipped over by its length, then the host_name is used. */
        put_ext(&exts, 0, "\x00\x0b\x07\x00\x02zz\x00\x00\x03" "a.b", 13);
        build_hello(&h, &exts);
        expect_host("unknown type first", h.b, h.len, "a.b");

        exts.len = 0;
        put_ext(&exts, 0, "\x00\x05\x07\x00\x02zz", 7);
        expect_exts("no host_name entry", &exts, TLS_SNI_MALFORMED);
}

Test(tls_sni_name, two_host_names_in_one_list) {
        struct bytes exts = {};
        put_ext(&exts, 0, "\x00\x0c\x00\x00\x03" "a.b" "\x00\x00\x03" "c.d", 14);
        expect_exts("two host_names", &exts, TLS_SNI_MALFORMED);
}

Test(tls_sni_name, valid_names) {
        expect_name("example.com", "example.com");
        expect_name("a", "a");
        expect_name("xn--bcher-kva.example", "xn--bcher-kva.example");
        expect_name("_dmarc.under_score.example", "_dmarc.under_score.example");
        expect_name("-leading-hyphen.example", "-leading-hyphen.example");
        expect_name("0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ.abcdefghijklmnopqrstuvwxyz",
                    "0123456789.abcdefghijklmnopqrstuvwxyz.abcdefghijklmnopqrstuvwxyz");
        /* Forbidden by RFC 6066, but harmless as text: the proxy compares strings. */
        expect_name("127.0.0.1", "127.0.0.1");
        expect_name("1.2.3.4.5", "1.2.3.4.5");
}

Test(tls_sni_name, bad_names) {
        expect_name_malformed("empty", "", 0);
        expect_name_malformed("dot", ".", 1);
        expect_name_malformed("leading dot", ".example.com", 12);
        expect_name_malformed("trailing dot", "example.com.", 12);
        expect_name_malformed("empty label", "example..com", 12);
        expect_name_malformed("space", "exa mple.com", 12);
        expect_name_malformed("nul inside", "example\0.com", 12);
        expect_name_malformed("nul at end", "example.com\0", 12);
        expect_name_malformed("colon", "example.com:443", 15);
        expect_name_malformed("slash", "example.com/x", 13);
        expect_name_malformed("at", "granted.example@evil.example", 28);
        expect_name_malformed("star", "*.example.com", 13);
        expect_name_malformed("ipv6", "::1", 3);
        expect_name_malformed("brackets", "[::1]", 5);
        expect_name_malformed("utf-8", "b\xc3\xbc" "cher.example", 14);
        expect_name_malformed("high byte", "\xff", 1);
        expect_name_malformed("crlf", "a.example\r\nX: y", 15);
        expect_name_malformed("tab", "a\t.example", 10);
}

Test(tls_sni_name, length_limit) {
        char name[255];
        /* 253 bytes: labels of 63 with dots in between, the longest DNS name. */
        for (size_t i = 0; i < sizeof(name); i++)
                name[i] = (i % 64 == 63) ? '.' : 'a';
        name[253] = '\0';
        cr_assert_neq(name[252], '.');
        struct bytes h;
        build_sni_hello(&h, name, 253);
        char host[254];
        cr_assert_eq(parse_sized(h.b, h.len, host, sizeof(host)), TLS_SNI_FOUND);
        cr_expect_eq(strlen(host), 253);
        cr_expect_eq(memcmp(host, name, 253), 0);

        name[253] = 'a';
        expect_name_malformed("254 bytes", name, 254);
        name[254] = 'a';
        expect_name_malformed("255 bytes", name, 255);

        char longest[1000];
        memset(longest, 'a', sizeof(longest));
        expect_name_malformed("1000 bytes", longest, sizeof(longest));
}
