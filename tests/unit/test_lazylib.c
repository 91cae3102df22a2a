/* Libraries loaded on first use (base/lazylib.h). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <string.h>

#include "../../src/base/lazylib.h"
#include "../../src/base/macros.h"
#include "../../src/base/sqlite_lib.h"

static void *cos_slot, *missing_slot;
static const struct lazylib_sym LIBM_SYMS[] = { { "cos", &cos_slot } };
static const struct lazylib_sym LIBM_MISSING[] = { { "cos", &cos_slot }, { "no_such_function_xyz", &missing_slot } };
static const char *const LIBM[] = { "libm.so.6", NULL };
static const char *const NOWHERE[] = { "libskilllite-no-such-library.so.0", "libskilllite-neither.so", NULL };

Test(lazylib, loads_once_and_fills_every_slot) {
        struct lazylib lib = { LIBM, LIBM_SYMS, ELEMENTSOF(LIBM_SYMS), NULL };
        struct error err = ERROR_INIT;
        cr_assert_eq(lazylib_load(&lib, &err), 0, "%s", err.msg);
        cr_assert_not_null(lib.handle);
        cr_assert_not_null(cos_slot);
        void *first = lib.handle;
        cr_assert_eq(lazylib_load(&lib, &err), 0);
        cr_expect_eq(lib.handle, first, "a second call does not load again");
}

Test(lazylib, a_missing_library_or_symbol_is_an_error_naming_it) {
        struct lazylib none = { NOWHERE, LIBM_SYMS, ELEMENTSOF(LIBM_SYMS), NULL };
        struct error err = ERROR_INIT;
        cr_assert_eq(lazylib_load(&none, &err), -ENOENT);
        cr_expect(strstr(err.msg, "libskilllite-no-such-library.so.0"), "%s", err.msg);
        cr_expect_null(none.handle);
        struct lazylib partial = { LIBM, LIBM_MISSING, ELEMENTSOF(LIBM_MISSING), NULL };
        err = (struct error) ERROR_INIT;
        cr_assert_eq(lazylib_load(&partial, &err), -ENOENT);
        cr_expect(strstr(err.msg, "no_such_function_xyz"), "%s", err.msg);
        cr_expect_null(partial.handle, "a library missing a symbol is not kept");
}

/* What the dynamic loader does for a linked library that is missing: say so and exit 127. */
Test(lazylib, require_ends_the_process_when_the_library_cannot_be_loaded, .exit_code = 127,
     .init = cr_redirect_stderr) {
        struct lazylib none = { NOWHERE, LIBM_SYMS, ELEMENTSOF(LIBM_SYMS), NULL };
        lazylib_require(&none);
        cr_assert_fail("lazylib_require returned");
}

Test(lazylib, the_sqlite_table_works_through_its_macros) {
        sqlite3 *db = NULL;
        cr_assert_eq(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
        cr_expect_eq(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), SQLITE_OK);
        cr_expect_eq(sqlite3_changes(db), 1);
        sqlite3_close(db);
}
