/* libcrypto (OpenSSL 3), dlopen()ed on first use (base/lazylib.h: its symbol relocations cost ~1
 * ms at every start). A file that includes this header instead of the library's own calls it
 * through the table below: each name is a macro for its slot, and the first call loads the library
 * (lazylib_require(): a library that cannot be loaded ends the process as the dynamic loader would
 * have). */
#pragma once

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

/* Every function the engine calls, one X(name) each. Add a name here and a #define below. */
#define CRYPTO_LIB_SYMBOLS(X)                                                                      \
        X(CRYPTO_memcmp)                                                                           \
        X(EVP_DigestFinal_ex)                                                                      \
        X(EVP_DigestInit_ex)                                                                       \
        X(EVP_DigestUpdate)                                                                        \
        X(EVP_MAC_CTX_free)                                                                        \
        X(EVP_MAC_CTX_new)                                                                         \
        X(EVP_MAC_fetch)                                                                           \
        X(EVP_MAC_final)                                                                           \
        X(EVP_MAC_free)                                                                            \
        X(EVP_MAC_init)                                                                            \
        X(EVP_MAC_update)                                                                          \
        X(EVP_MD_CTX_free)                                                                         \
        X(EVP_MD_CTX_new)                                                                          \
        X(EVP_sha256)                                                                              \
        X(OPENSSL_cleanse)                                                                         \
        X(OSSL_PARAM_construct_end)                                                                \
        X(OSSL_PARAM_construct_utf8_string)

struct crypto_lib_table {
#define CRYPTO_LIB_SLOT(f) __typeof__(f) *f##_p;
        CRYPTO_LIB_SYMBOLS(CRYPTO_LIB_SLOT)
#undef CRYPTO_LIB_SLOT
};

/* The table, the library loaded (once, thread-safe). */
const struct crypto_lib_table *crypto_lib(void);

#define CRYPTO_memcmp (*crypto_lib()->CRYPTO_memcmp_p)
#define EVP_DigestFinal_ex (*crypto_lib()->EVP_DigestFinal_ex_p)
#define EVP_DigestInit_ex (*crypto_lib()->EVP_DigestInit_ex_p)
#define EVP_DigestUpdate (*crypto_lib()->EVP_DigestUpdate_p)
#define EVP_MAC_CTX_free (*crypto_lib()->EVP_MAC_CTX_free_p)
#define EVP_MAC_CTX_new (*crypto_lib()->EVP_MAC_CTX_new_p)
#define EVP_MAC_fetch (*crypto_lib()->EVP_MAC_fetch_p)
#define EVP_MAC_final (*crypto_lib()->EVP_MAC_final_p)
#define EVP_MAC_free (*crypto_lib()->EVP_MAC_free_p)
#define EVP_MAC_init (*crypto_lib()->EVP_MAC_init_p)
#define EVP_MAC_update (*crypto_lib()->EVP_MAC_update_p)
#define EVP_MD_CTX_free (*crypto_lib()->EVP_MD_CTX_free_p)
#define EVP_MD_CTX_new (*crypto_lib()->EVP_MD_CTX_new_p)
#define EVP_sha256 (*crypto_lib()->EVP_sha256_p)
#define OPENSSL_cleanse (*crypto_lib()->OPENSSL_cleanse_p)
#define OSSL_PARAM_construct_end (*crypto_lib()->OSSL_PARAM_construct_end_p)
#define OSSL_PARAM_construct_utf8_string (*crypto_lib()->OSSL_PARAM_construct_utf8_string_p)
