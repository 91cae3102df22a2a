/* SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written here rather than taken from libcrypto:
 * loading libcrypto and setting up its default provider cost every process that hashes ~9 M
 * instructions and 2.5-5 ms (bench/sha256_speed.c start-*; docs/ARCHITECTURE.md) - and the
 * level-3 run and every run of an installed skill hash the skill. On x86-64 CPUs with the SHA
 * extensions the compression runs on them (sha256rnds2/msg1/msg2), else in portable C. The unit
 * tests check both against the FIPS/NIST and RFC 4231 vectors and against libcrypto. */
#include "sha256.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* the first 32 bits of the fractional parts of the cube roots of the first 64 primes */
static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
        0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
        0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
        0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
        0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
        0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* ... of the square roots of the first 8 primes */
static const uint32_t H0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

static inline uint32_t rotr(uint32_t x, unsigned n) {
        return (x >> n) | (x << (32 - n));
}

static inline uint32_t load_be32(const uint8_t *p) {
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks) {
        for (; nblocks > 0; nblocks--, p += 64) {
                uint32_t w[64];
                for (int t = 0; t < 16; t++)
                        w[t] = load_be32(p + 4 * t);
                for (int t = 16; t < 64; t++) {
                        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
                        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
                        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
                }
                uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
                for (int t = 0; t < 64; t++) {
                        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
                        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
                        hh = g;
                        g = f;
                        f = e;
                        e = d + t1;
                        d = c;
                        c = b;
                        b = a;
                        a = t1 + t2;
                }
                h[0] += a, h[1] += b, h[2] += c, h[3] += d;
                h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
        }
}

#if defined(__x86_64__)
/* The SHA extensions keep the state as two vectors, ABEF and CDGH (A in the highest lane);
 * sha256rnds2 does two rounds with the two low words of its third operand (W + K) and returns
 * the new ABEF, the old one becoming CDGH. The message schedule: W[t..t+3] =
 * msg2(msg1(W[t-16..], W[t-12..]) + W[t-7..t-4], W[t-4..t-1]). */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks) {
        const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
        __m128i dcba = _mm_loadu_si128((const __m128i *) &h[0]);
        __m128i hgfe = _mm_loadu_si128((const __m128i *) &h[4]);
        __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
        __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
        __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
        __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
        for (; nblocks > 0; nblocks--, p += 64) {
                __m128i abef0 = abef, cdgh0 = cdgh, m[4];
                for (int g = 0; g < 16; g++) {
                        if (g < 4)
                                m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *) (p + 16 * g)), bswap);
                        else
                                m[g & 3] = _mm_sha256msg2_epu32(
                                        _mm_add_epi32(_mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]),
                                                      _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4)),
                                        m[(g + 3) & 3]);
                        __m128i wk = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *) &K[4 * g]));
                        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
                        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
                }
                abef = _mm_add_epi32(abef, abef0);
                cdgh = _mm_add_epi32(cdgh, cdgh0);
        }
        __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
        __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        _mm_storeu_si128((__m128i *) &h[0], _mm_blend_epi16(feba, dchg, 0xF0));
        _mm_storeu_si128((__m128i *) &h[4], _mm_alignr_epi8(dchg, feba, 8));
}

/* CPUID once per process (on a VM it traps to the hypervisor). */
static bool have_shani(void) {
        static int known = -1;
        if (known < 0) {
                unsigned a, b, c, d;
                bool sse = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
                known = sse && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
        }
        return known;
}

bool sha256_blocks_hw(uint32_t h[8], const uint8_t *p, size_t nblocks) {
        if (!have_shani())
                return false;
        blocks_shani(h, p, nblocks);
        return true;
}
#else
bool sha256_blocks_hw(uint32_t h[8], const uint8_t *p, size_t nblocks) {
        (void) h, (void) p, (void) nblocks;
        return false;
}
#endif

static void blocks(uint32_t h[8], const uint8_t *p, size_t nblocks) {
        if (!sha256_blocks_hw(h, p, nblocks))
                sha256_blocks_portable(h, p, nblocks);
}

int sha256_init(struct sha256_ctx *ctx) {
        memcpy(ctx->h, H0, sizeof(H0));
        ctx->bytes = 0;
        ctx->n_buf = 0;
        return 0;
}

int sha256_update(struct sha256_ctx *ctx, const void *data, size_t n) {
        const uint8_t *p = data;
        ctx->bytes += n;
        if (ctx->n_buf > 0) {
                size_t take = 64 - ctx->n_buf < n ? 64 - ctx->n_buf : n;
                memcpy(ctx->buf + ctx->n_buf, p, take);
                ctx->n_buf += take;
                p += take;
                n -= take;
                if (ctx->n_buf < 64)
                        return 0;
                blocks(ctx->h, ctx->buf, 1);
                ctx->n_buf = 0;
        }
        if (n >= 64) {
                blocks(ctx->h, p, n / 64);
                p += n & ~(size_t) 63;
                n &= 63;
        }
        memcpy(ctx->buf, p, n);
        ctx->n_buf = n;
        return 0;
}

int sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]) {
        uint64_t bits = ctx->bytes * 8;
        /* padding: 0x80, zeros to 56 mod 64, the length in bits big-endian */
        ctx->buf[ctx->n_buf++] = 0x80;
        if (ctx->n_buf > 56) {
                memset(ctx->buf + ctx->n_buf, 0, 64 - ctx->n_buf);
                blocks(ctx->h, ctx->buf, 1);
                ctx->n_buf = 0;
        }
        memset(ctx->buf + ctx->n_buf, 0, 56 - ctx->n_buf);
        for (int i = 0; i < 8; i++)
                ctx->buf[56 + i] = (uint8_t) (bits >> (56 - 8 * i));
        blocks(ctx->h, ctx->buf, 1);
        for (int i = 0; i < 8; i++) {
                out[4 * i] = (uint8_t) (ctx->h[i] >> 24);
                out[4 * i + 1] = (uint8_t) (ctx->h[i] >> 16);
                out[4 * i + 2] = (uint8_t) (ctx->h[i] >> 8);
                out[4 * i + 3] = (uint8_t) ctx->h[i];
        }
        sha256_ctx_free(ctx);
        return 0;
}

void sha256_ctx_free(struct sha256_ctx *ctx) {
        explicit_bzero(ctx, sizeof(*ctx)); /* it may have held a key (HMAC) */
}

int sha256_buffer(const void *data, size_t n, uint8_t out[SHA256_DIGEST_BYTES]) {
        struct sha256_ctx ctx;
        (void) sha256_init(&ctx);
        (void) sha256_update(&ctx, data, n);
        return sha256_final(&ctx, out);
}

void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_BYTES], char out[SHA256_HEX_BYTES]) {
        static const char hex[] = "0123456789abcdef";
        for (size_t i = 0; i < SHA256_DIGEST_BYTES; i++) {
                out[2 * i] = hex[digest[i] >> 4];
                out[2 * i + 1] = hex[digest[i] & 0xF];
        }
        out[64] = '\0';
}

/* ---- HMAC-SHA256 ---------------------------------------------------------------------------- */

void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len) {
        uint8_t k[64] = { 0 }, pad[64];
        if (key_len > 64)
                (void) sha256_buffer(key, key_len, k); /* a long key is hashed first */
        else
                memcpy(k, key, key_len);
        for (int i = 0; i < 64; i++)
                pad[i] = k[i] ^ 0x36;
        (void) sha256_init(&ctx->inner);
        (void) sha256_update(&ctx->inner, pad, sizeof(pad));
        for (int i = 0; i < 64; i++)
                pad[i] = k[i] ^ 0x5c;
        (void) sha256_init(&ctx->outer);
        (void) sha256_update(&ctx->outer, pad, sizeof(pad));
        explicit_bzero(k, sizeof(k));
        explicit_bzero(pad, sizeof(pad));
}

void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t n) {
        (void) sha256_update(&ctx->inner, data, n);
}

void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]) {
        uint8_t inner[SHA256_DIGEST_BYTES];
        (void) sha256_final(&ctx->inner, inner);
        (void) sha256_update(&ctx->outer, inner, sizeof(inner));
        (void) sha256_final(&ctx->outer, out);
        explicit_bzero(inner, sizeof(inner));
}

bool memeq_consttime(const void *a, const void *b, size_t n) {
        const volatile uint8_t *x = a, *y = b;
        uint8_t d = 0;
        for (size_t i = 0; i < n; i++)
                d |= x[i] ^ y[i];
        return d == 0;
}
