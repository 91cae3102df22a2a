/* The libarchive symbol table, filled on first use (archive_lib.h). */
#include "archive_lib.h"

#include "../base/lazylib.h"
#include "../base/macros.h"

struct archive_lib_table archive_lib;

/* # and ## take the argument unexpanded, so the macros of archive_lib.h do not interfere. */
#define ARCHIVE_LIB_SYM(f) { #f, (void **) &archive_lib.f##_p },
static const struct lazylib_sym SYMS[] = { ARCHIVE_LIB_SYMBOLS(ARCHIVE_LIB_SYM) };
#undef ARCHIVE_LIB_SYM

static const char *const SONAMES[] = { "libarchive.so.13", "libarchive.so", NULL };
static struct lazylib lib = { SONAMES, SYMS, ELEMENTSOF(SYMS), NULL };

int archive_lib_load(struct error *err) {
        return lazylib_load(&lib, err);
}
