/* The libcrypto (OpenSSL 3) symbol table, filled on first use (crypto_lib.h). */
#include "crypto_lib.h"

#include "lazylib.h"
#include "macros.h"

static struct crypto_lib_table table;

/* # and ## take the argument unexpanded, so the macros of crypto_lib.h do not interfere. */
#define CRYPTO_LIB_SYM(f) { #f, (void **) &table.f##_p },
static const struct lazylib_sym SYMS[] = { CRYPTO_LIB_SYMBOLS(CRYPTO_LIB_SYM) };
#undef CRYPTO_LIB_SYM

static const char *const SONAMES[] = { "libcrypto.so.3", NULL };
static struct lazylib lib = { SONAMES, SYMS, ELEMENTSOF(SYMS), NULL };

const struct crypto_lib_table *crypto_lib(void) {
        lazylib_require(&lib);
        return &table;
}
