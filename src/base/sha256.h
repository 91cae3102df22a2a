/* SHA-256 over OpenSSL's EVP interface, with an incremental form for hashing file trees. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "macros.h"

#define SHA256_DIGEST_BYTES 32
#define SHA256_HEX_BYTES 65 /* 64 hex digits + NUL */

struct sha256_ctx {
        void *evp; /* EVP_MD_CTX */
};

int sha256_init(struct sha256_ctx *ctx) _warn_unused_;
int sha256_update(struct sha256_ctx *ctx, const void *data, size_t n) _warn_unused_;
int sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]) _warn_unused_;
void sha256_ctx_free(struct sha256_ctx *ctx);

int sha256_buffer(const void *data, size_t n, uint8_t out[SHA256_DIGEST_BYTES]) _warn_unused_;
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_BYTES], char out[SHA256_HEX_BYTES]);
