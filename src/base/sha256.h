/* SHA-256 (FIPS 180-4) with an incremental form for hashing file trees, HMAC-SHA256, and a
 * constant-time comparison; our own code, no library (sha256.c says why). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


#define SHA256_DIGEST_BYTES 32
#define SHA256_HEX_BYTES 65 /* 64 hex digits + NUL */

struct sha256_ctx {
        uint32_t h[8];
        uint64_t bytes;  /* hashed so far */
        uint8_t buf[64]; /* the block being filled */
        size_t n_buf;
};

/* These cannot fail; they keep the int result of the interface they replaced. */
int sha256_init(struct sha256_ctx *ctx);
int sha256_update(struct sha256_ctx *ctx, const void *data, size_t n);
int sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]);
/* Wipes the context (sha256_final() does too). */
void sha256_ctx_free(struct sha256_ctx *ctx);

int sha256_buffer(const void *data, size_t n, uint8_t out[SHA256_DIGEST_BYTES]);
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_BYTES], char out[SHA256_HEX_BYTES]);

/* HMAC-SHA256 (RFC 2104) over data given in pieces. */
struct hmac_sha256_ctx {
        struct sha256_ctx inner, outer;
};
void hmac_sha256_init(struct hmac_sha256_ctx *ctx, const void *key, size_t key_len);
void hmac_sha256_update(struct hmac_sha256_ctx *ctx, const void *data, size_t n);
void hmac_sha256_final(struct hmac_sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]);

/* a and b equal, in a time that depends on n only (MACs) */
bool memeq_consttime(const void *a, const void *b, size_t n);

/* The compression function over whole 64-byte blocks; exported for the unit tests, which
 * compare the two. _hw returns false (and does nothing) without the CPU's SHA extensions. */
void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks);
bool sha256_blocks_hw(uint32_t h[8], const uint8_t *p, size_t nblocks);
