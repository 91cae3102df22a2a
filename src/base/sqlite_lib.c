/* The libsqlite3 symbol table, filled on first use (sqlite_lib.h). */
#include "sqlite_lib.h"

#include "lazylib.h"
#include "macros.h"

static struct sqlite_lib_table table;

/* # and ## take the argument unexpanded, so the macros of sqlite_lib.h do not interfere. */
#define SQLITE_LIB_SYM(f) { #f, (void **) &table.f##_p },
static const struct lazylib_sym SYMS[] = { SQLITE_LIB_SYMBOLS(SQLITE_LIB_SYM) };
#undef SQLITE_LIB_SYM

static const char *const SONAMES[] = { "libsqlite3.so.0", NULL };
static struct lazylib lib = { SONAMES, SYMS, ELEMENTSOF(SYMS), NULL };

const struct sqlite_lib_table *sqlite_lib(void) {
        lazylib_require(&lib);
        return &table;
}
