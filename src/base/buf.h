/* A growable byte buffer with a hard cap (like curl's dynbuf): appending past the cap fails
 * with -E2BIG instead of growing without bound. Always NUL-terminated for convenience. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "macros.h"

struct buf {
        char *data;
        size_t len;
        size_t alloc;
        size_t cap;     /* hard maximum for len */
};

#define BUF_INIT(max) { NULL, 0, 0, (max) }

void buf_init(struct buf *b, size_t cap);
/* Room for extra more bytes (and the NUL) without growing again: -E2BIG past the cap. */
int buf_reserve(struct buf *b, size_t extra) _warn_unused_;
int buf_append(struct buf *b, const void *data, size_t n) _warn_unused_;
int buf_printf(struct buf *b, const char *fmt, ...) _printf_(2, 3) _warn_unused_;
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) _printf_(2, 0) _warn_unused_;
/* Hand the contents over (NUL-terminated, never NULL on success); the buffer becomes empty. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);
static inline void buf_freep(struct buf *b) {
        buf_free(b);
}
#define _cleanup_buf_ _cleanup_(buf_freep)
