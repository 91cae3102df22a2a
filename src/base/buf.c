/* Bounded growable buffer. */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void buf_init(struct buf *b, size_t cap) {
        *b = (struct buf) BUF_INIT(cap);
}

int buf_reserve(struct buf *b, size_t extra) {
        size_t need;
        if (SIZE_ADD_OVERFLOWS(b->len, extra, &need) || need > b->cap)
                return -E2BIG;
        if (SIZE_ADD_OVERFLOWS(need, 1, &need)) /* room for the NUL */
                return -E2BIG;
        if (need <= b->alloc)
                return 0;
        size_t n = b->alloc ? b->alloc : 64;
        while (n < need) {
                if (SIZE_MUL_OVERFLOWS(n, 2, &n))
                        return -E2BIG;
        }
        if (b->cap < SIZE_MAX && n > b->cap + 1)
                n = b->cap + 1;
        char *p = realloc(b->data, n);
        if (!p)
                return -ENOMEM;
        b->data = p;
        b->alloc = n;
        return 0;
}

int buf_append(struct buf *b, const void *data, size_t n) {
        int r = buf_reserve(b, n);
        if (r < 0)
                return r;
        if (n)
                memcpy(b->data + b->len, data, n);
        b->len += n;
        b->data[b->len] = '\0';
        return 0;
}

/* The least free space a read asks for: smaller reads only cost syscalls. */
#define BUF_READ_MIN 4096
#define BUF_SPILL 1024

/* Past the cap, or out of memory: read and drop up to BUF_SPILL bytes, so that a caller who goes
 * on calling drains fd instead of spinning. */
static ssize_t spill(int fd, int why) {
        char sink[BUF_SPILL];
        ssize_t k = read(fd, sink, sizeof(sink));
        if (k < 0)
                return -errno;
        return k == 0 ? 0 : why;
}

ssize_t buf_read_fd(struct buf *b, int fd) {
        size_t room = b->cap > b->len ? b->cap - b->len : 0;
        if (room == 0)
                return spill(fd, -E2BIG);
        size_t free_space = b->alloc > b->len + 1 ? b->alloc - b->len - 1 : 0;
        if (free_space < BUF_READ_MIN && free_space < room) {
                /* double what is held (at least BUF_READ_MIN), never past the cap */
                size_t want = b->len > BUF_READ_MIN ? b->len : BUF_READ_MIN;
                if (buf_reserve(b, want < room ? want : room) < 0)
                        return spill(fd, -ENOMEM);
                free_space = b->alloc - b->len - 1;
        }
        ssize_t k = read(fd, b->data + b->len, free_space < room ? free_space : room);
        if (k < 0)
                return -errno;
        b->len += (size_t) k;
        b->data[b->len] = '\0';
        return k;
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = vsnprintf(NULL, 0, fmt, aq);
        va_end(aq);
        if (n < 0)
                return -EINVAL;
        int r = buf_reserve(b, (size_t) n);
        if (r < 0)
                return r;
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
        b->len += (size_t) n;
        return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = buf_vprintf(b, fmt, ap);
        va_end(ap);
        return r;
}

char *buf_steal(struct buf *b) {
        if (!b->data && buf_reserve(b, 0) < 0)
                return NULL;
        if (b->len == 0)
                b->data[0] = '\0';
        char *p = b->data;
        b->data = NULL;
        b->len = b->alloc = 0;
        return p;
}

void buf_free(struct buf *b) {
        free(b->data);
        b->data = NULL;
        b->len = b->alloc = 0;
}
