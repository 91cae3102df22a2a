/* A growable byte buffer with a hard cap (like curl's dynbuf): appending past the cap fails
 * with -E2BIG instead of growing without bound. Always NUL-terminated for convenience. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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
/* One read(2) from fd straight into the buffer's free space, which grows geometrically up to the
 * cap. Returns the bytes read, 0 at end of file, -errno (-EAGAIN, -EINTR: call again); -E2BIG
 * when the buffer is at its cap and fd had more, -ENOMEM when it could not grow: then up to 1 KiB
 * was read and dropped, so a caller that goes on calling drains fd. In place rather than through
 * a chunk on the stack: with -fstack-clash-protection a 64 KiB stack array touches all 16 of its
 * pages on every call, and a page fault costs ~10 us on the VMs we run on (bench/fault_cost.c). */
ssize_t buf_read_fd(struct buf *b, int fd) _warn_unused_;
/* Hand the contents over (NUL-terminated, never NULL on success); the buffer becomes empty. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);
static inline void buf_freep(struct buf *b) {
        buf_free(b);
}
#define _cleanup_buf_ _cleanup_(buf_freep)
