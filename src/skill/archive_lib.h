/* libarchive, dlopen()ed on first use (base/lazylib.h: linking it would make every start of the
 * engine map ICU, libxml2 and libstdc++). A file that includes this header calls libarchive
 * through the table below: the archive_* names used here are macros for its slots, so call
 * archive_lib_load() before the first of them. Only reading is offered. */
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include "../base/error.h"

/* Every function the engine calls, one X(name) each. Add a name here and a #define below. */
#define ARCHIVE_LIB_SYMBOLS(X)                                                                     \
        X(archive_entry_filetype)                                                                  \
        X(archive_entry_hardlink)                                                                  \
        X(archive_entry_pathname)                                                                  \
        X(archive_entry_pathname_utf8)                                                             \
        X(archive_entry_perm)                                                                      \
        X(archive_entry_size)                                                                      \
        X(archive_entry_size_is_set)                                                               \
        X(archive_entry_symlink)                                                                   \
        X(archive_entry_symlink_utf8)                                                              \
        X(archive_error_string)                                                                    \
        X(archive_read_data)                                                                       \
        X(archive_read_data_skip)                                                                  \
        X(archive_read_free)                                                                       \
        X(archive_read_new)                                                                        \
        X(archive_read_next_header)                                                                \
        X(archive_read_open_fd)                                                                    \
        X(archive_read_support_filter_gzip)                                                        \
        X(archive_read_support_format_tar)                                                         \
        X(archive_read_support_format_zip)

struct archive_lib_table {
#define ARCHIVE_LIB_SLOT(f) __typeof__(f) *f##_p;
        ARCHIVE_LIB_SYMBOLS(ARCHIVE_LIB_SLOT)
#undef ARCHIVE_LIB_SLOT
};
extern struct archive_lib_table archive_lib;

/* Load libarchive once (later calls return 0 at once). 0, or -ENOENT with err saying why. Not
 * thread-safe (lazylib_load()). */
int archive_lib_load(struct error *err);

#define archive_entry_filetype (*archive_lib.archive_entry_filetype_p)
#define archive_entry_hardlink (*archive_lib.archive_entry_hardlink_p)
#define archive_entry_pathname (*archive_lib.archive_entry_pathname_p)
#define archive_entry_pathname_utf8 (*archive_lib.archive_entry_pathname_utf8_p)
#define archive_entry_perm (*archive_lib.archive_entry_perm_p)
#define archive_entry_size (*archive_lib.archive_entry_size_p)
#define archive_entry_size_is_set (*archive_lib.archive_entry_size_is_set_p)
#define archive_entry_symlink (*archive_lib.archive_entry_symlink_p)
#define archive_entry_symlink_utf8 (*archive_lib.archive_entry_symlink_utf8_p)
#define archive_error_string (*archive_lib.archive_error_string_p)
#define archive_read_data (*archive_lib.archive_read_data_p)
#define archive_read_data_skip (*archive_lib.archive_read_data_skip_p)
#define archive_read_free (*archive_lib.archive_read_free_p)
#define archive_read_new (*archive_lib.archive_read_new_p)
#define archive_read_next_header (*archive_lib.archive_read_next_header_p)
#define archive_read_open_fd (*archive_lib.archive_read_open_fd_p)
#define archive_read_support_filter_gzip (*archive_lib.archive_read_support_filter_gzip_p)
#define archive_read_support_format_tar (*archive_lib.archive_read_support_format_tar_p)
#define archive_read_support_format_zip (*archive_lib.archive_read_support_format_zip_p)
