/* Our SHA-256 and HMAC-SHA256 (base/sha256.c): the FIPS 180-4 / RFC 4231 vectors, and libcrypto
 * as the reference on random inputs given in random pieces; the SHA-extension compression against
 * the portable one. */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/sha256.h"

static void hex_of(const void *data, size_t n, char out[SHA256_HEX_BYTES]) {
        uint8_t d[SHA256_DIGEST_BYTES];
        cr_assert_eq(sha256_buffer(data, n, d), 0);
        sha256_to_hex(d, out);
}

Test(sha256, fips_180_vectors) {
        char hex[SHA256_HEX_BYTES];
        hex_of("", 0, hex);
        cr_expect_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        hex_of("abc", 3, hex);
        cr_expect_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 448 bits: padding spills */
        hex_of(two, strlen(two), hex);
        cr_expect_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        /* a million 'a', fed in pieces of 1000 */
        char a[1000];
        memset(a, 'a', sizeof(a));
        struct sha256_ctx c;
        cr_assert_eq(sha256_init(&c), 0);
        for (int i = 0; i < 1000; i++)
                cr_assert_eq(sha256_update(&c, a, sizeof(a)), 0);
        uint8_t d[SHA256_DIGEST_BYTES];
        cr_assert_eq(sha256_final(&c, d), 0);
        sha256_to_hex(d, hex);
        cr_expect_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void fill(uint8_t *p, size_t n, unsigned *seed) {
        for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t) rand_r(seed);
}

/* Every length from 0 to 1100 (all paddings, block boundaries, partial buffers), each fed in
 * random pieces, against libcrypto's one-shot digest. */
Test(sha256, matches_libcrypto_for_every_length_and_split) {
        static uint8_t data[1100];
        unsigned seed = 12345;
        fill(data, sizeof(data), &seed);
        for (size_t n = 0; n <= sizeof(data); n++) {
                uint8_t want[EVP_MAX_MD_SIZE], got[SHA256_DIGEST_BYTES];
                unsigned wl = 0;
                cr_assert_eq(EVP_Digest(data, n, want, &wl, EVP_sha256(), NULL), 1);
                struct sha256_ctx c;
                cr_assert_eq(sha256_init(&c), 0);
                for (size_t off = 0; off < n;) {
                        size_t k = (size_t) rand_r(&seed) % 150;
                        if (k > n - off)
                                k = n - off;
                        cr_assert_eq(sha256_update(&c, data + off, k), 0);
                        off += k;
                }
                cr_assert_eq(sha256_final(&c, got), 0);
                cr_assert_eq(memcmp(got, want, SHA256_DIGEST_BYTES), 0, "length %zu", n);
        }
}

Test(sha256, big_input_matches_libcrypto) {
        size_t n = (3u << 20) + 17;
        uint8_t *data = malloc(n);
        cr_assert_not_null(data);
        unsigned seed = 7;
        fill(data, n, &seed);
        uint8_t want[EVP_MAX_MD_SIZE], got[SHA256_DIGEST_BYTES];
        unsigned wl = 0;
        cr_assert_eq(EVP_Digest(data, n, want, &wl, EVP_sha256(), NULL), 1);
        cr_assert_eq(sha256_buffer(data, n, got), 0);
        cr_expect_eq(memcmp(got, want, SHA256_DIGEST_BYTES), 0);
        free(data);
}

/* The two compression functions agree block for block (skipped where the CPU lacks the SHA
 * extensions: then only the portable one runs anyway). */
Test(sha256, sha_extensions_match_the_portable_compression) {
        uint8_t blocks[64 * 40];
        unsigned seed = 99;
        uint32_t h0[8];
        fill((uint8_t *) h0, sizeof(h0), &seed);
        if (!sha256_blocks_hw(h0, blocks, 0)) {
                cr_log_warn("no SHA extensions on this CPU: only the portable compression was tested");
                return;
        }
        for (size_t nb = 1; nb <= 40; nb++) {
                fill(blocks, sizeof(blocks), &seed);
                uint32_t a[8], b[8];
                fill((uint8_t *) a, sizeof(a), &seed);
                memcpy(b, a, sizeof(a));
                sha256_blocks_portable(a, blocks, nb);
                cr_assert(sha256_blocks_hw(b, blocks, nb));
                cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "%zu blocks", nb);
        }
}

static void hmac_hex(const void *key, size_t kn, const void *data, size_t n, char out[SHA256_HEX_BYTES]) {
        struct hmac_sha256_ctx c;
        hmac_sha256_init(&c, key, kn);
        hmac_sha256_update(&c, data, n);
        uint8_t d[SHA256_DIGEST_BYTES];
        hmac_sha256_final(&c, d);
        sha256_to_hex(d, out);
}

Test(hmac_sha256, rfc_4231_vectors) {
        char hex[SHA256_HEX_BYTES];
        uint8_t k1[20];
        memset(k1, 0x0b, sizeof(k1));
        hmac_hex(k1, sizeof(k1), "Hi There", 8, hex);
        cr_expect_str_eq(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        const char *q = "what do ya want for nothing?";
        hmac_hex("Jefe", 4, q, strlen(q), hex);
        cr_expect_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        uint8_t k6[131]; /* longer than a block: hashed first */
        memset(k6, 0xaa, sizeof(k6));
        const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
        hmac_hex(k6, sizeof(k6), m6, strlen(m6), hex);
        cr_expect_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

Test(hmac_sha256, matches_libcrypto_for_keys_and_messages_of_many_lengths) {
        uint8_t key[200], msg[300];
        unsigned seed = 4231;
        for (size_t kn = 0; kn <= sizeof(key); kn += 7) {
                size_t n = (size_t) rand_r(&seed) % sizeof(msg);
                fill(key, kn, &seed);
                fill(msg, n, &seed);
                uint8_t want[EVP_MAX_MD_SIZE];
                unsigned wl = 0;
                cr_assert_not_null(HMAC(EVP_sha256(), key, (int) kn, msg, n, want, &wl));
                struct hmac_sha256_ctx c;
                hmac_sha256_init(&c, key, kn);
                hmac_sha256_update(&c, msg, n / 2); /* in two pieces */
                hmac_sha256_update(&c, msg + n / 2, n - n / 2);
                uint8_t got[SHA256_DIGEST_BYTES];
                hmac_sha256_final(&c, got);
                cr_assert_eq(memcmp(got, want, SHA256_DIGEST_BYTES), 0, "key %zu, message %zu", kn, n);
        }
}

Test(sha256, memeq_consttime) {
        cr_expect(memeq_consttime("abcd", "abcd", 4));
        cr_expect_not(memeq_consttime("abcd", "abce", 4));
        cr_expect_not(memeq_consttime("xbcd", "abcd", 4));
        cr_expect(memeq_consttime("", "", 0));
}
