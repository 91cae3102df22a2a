/* libsqlite3, dlopen()ed on first use (base/lazylib.h: only commands that touch the state or
 * advisory database need it). A file that includes this header instead of the library's own calls
 * it through the table below: each name is a macro for its slot, and the first call loads the
 * library (lazylib_require(): a library that cannot be loaded ends the process as the dynamic
 * loader would have). */
#pragma once

#include <sqlite3.h>

/* Every function the engine calls, one X(name) each. Add a name here and a #define below. */
#define SQLITE_LIB_SYMBOLS(X)                                                                      \
        X(sqlite3_bind_int)                                                                        \
        X(sqlite3_bind_int64)                                                                      \
        X(sqlite3_bind_null)                                                                       \
        X(sqlite3_bind_text)                                                                       \
        X(sqlite3_busy_timeout)                                                                    \
        X(sqlite3_changes)                                                                         \
        X(sqlite3_clear_bindings)                                                                  \
        X(sqlite3_close)                                                                           \
        X(sqlite3_column_bytes)                                                                    \
        X(sqlite3_column_int)                                                                      \
        X(sqlite3_column_int64)                                                                    \
        X(sqlite3_column_text)                                                                     \
        X(sqlite3_column_type)                                                                     \
        X(sqlite3_db_config)                                                                       \
        X(sqlite3_errcode)                                                                         \
        X(sqlite3_errmsg)                                                                          \
        X(sqlite3_exec)                                                                            \
        X(sqlite3_finalize)                                                                        \
        X(sqlite3_open_v2)                                                                         \
        X(sqlite3_prepare_v2)                                                                      \
        X(sqlite3_reset)                                                                           \
        X(sqlite3_step)

struct sqlite_lib_table {
#define SQLITE_LIB_SLOT(f) __typeof__(f) *f##_p;
        SQLITE_LIB_SYMBOLS(SQLITE_LIB_SLOT)
#undef SQLITE_LIB_SLOT
};

/* The table, the library loaded (once, thread-safe). */
const struct sqlite_lib_table *sqlite_lib(void);

#define sqlite3_bind_int (*sqlite_lib()->sqlite3_bind_int_p)
#define sqlite3_bind_int64 (*sqlite_lib()->sqlite3_bind_int64_p)
#define sqlite3_bind_null (*sqlite_lib()->sqlite3_bind_null_p)
#define sqlite3_bind_text (*sqlite_lib()->sqlite3_bind_text_p)
#define sqlite3_busy_timeout (*sqlite_lib()->sqlite3_busy_timeout_p)
#define sqlite3_changes (*sqlite_lib()->sqlite3_changes_p)
#define sqlite3_clear_bindings (*sqlite_lib()->sqlite3_clear_bindings_p)
#define sqlite3_close (*sqlite_lib()->sqlite3_close_p)
#define sqlite3_column_bytes (*sqlite_lib()->sqlite3_column_bytes_p)
#define sqlite3_column_int (*sqlite_lib()->sqlite3_column_int_p)
#define sqlite3_column_int64 (*sqlite_lib()->sqlite3_column_int64_p)
#define sqlite3_column_text (*sqlite_lib()->sqlite3_column_text_p)
#define sqlite3_column_type (*sqlite_lib()->sqlite3_column_type_p)
#define sqlite3_db_config (*sqlite_lib()->sqlite3_db_config_p)
#define sqlite3_errcode (*sqlite_lib()->sqlite3_errcode_p)
#define sqlite3_errmsg (*sqlite_lib()->sqlite3_errmsg_p)
#define sqlite3_exec (*sqlite_lib()->sqlite3_exec_p)
#define sqlite3_finalize (*sqlite_lib()->sqlite3_finalize_p)
#define sqlite3_open_v2 (*sqlite_lib()->sqlite3_open_v2_p)
#define sqlite3_prepare_v2 (*sqlite_lib()->sqlite3_prepare_v2_p)
#define sqlite3_reset (*sqlite_lib()->sqlite3_reset_p)
#define sqlite3_step (*sqlite_lib()->sqlite3_step_p)
