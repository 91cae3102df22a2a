/* SHA-256 via libcrypto. */
#include "sha256.h"

#include <errno.h>
#include "crypto_lib.h"


int sha256_init(struct sha256_ctx *ctx) {
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        if (!c)
                return -ENOMEM;
        if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(c);
                return -EIO;
        }
        ctx->evp = c;
        return 0;
}

int sha256_update(struct sha256_ctx *ctx, const void *data, size_t n) {
        return EVP_DigestUpdate(ctx->evp, data, n) == 1 ? 0 : -EIO;
}

int sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_BYTES]) {
        unsigned int len = 0;
        int ok = EVP_DigestFinal_ex(ctx->evp, out, &len) == 1 && len == SHA256_DIGEST_BYTES;
        sha256_ctx_free(ctx);
        return ok ? 0 : -EIO;
}

void sha256_ctx_free(struct sha256_ctx *ctx) {
        if (ctx->evp) /* each EVP_* call loads libcrypto on first use (crypto_lib.h) */
                EVP_MD_CTX_free(ctx->evp);
        ctx->evp = NULL;
}

int sha256_buffer(const void *data, size_t n, uint8_t out[SHA256_DIGEST_BYTES]) {
        struct sha256_ctx ctx;
        int r = sha256_init(&ctx);
        if (r < 0)
                return r;
        r = sha256_update(&ctx, data, n);
        if (r < 0) {
                sha256_ctx_free(&ctx);
                return r;
        }
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

