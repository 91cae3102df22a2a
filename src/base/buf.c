/* Bounded growable buffer. */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
