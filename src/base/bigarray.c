/* See bigarray.h. */
#include "bigarray.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t) 2 << 20)

/* In front of every block; 16 bytes keep the data aligned for any type. */
struct big_header {
        size_t mapped; /* length of the block's own mapping, header included; 0: a malloc block */
        size_t bytes;  /* a malloc block's size, header included */
};

static struct big_header *header_of(void *p) {
        return (struct big_header *) p - 1;
}

static size_t page_round(size_t bytes) {
        return (bytes + 4095) & ~(size_t) 4095;
}

/* len bytes of address space starting on a huge-page boundary (PROT_NONE until used), so that
 * every whole 2 MiB of a block can be a huge page however long it is. The kernel aligns
 * anonymous mappings itself only when their length is a multiple of 2 MiB, and a block rounded up
 * that far would fault in a whole huge page for its last few bytes. */
static void *reserve_aligned(size_t len) {
        size_t over = len + HUGE_PAGE;
        char *r = mmap(NULL, over, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED)
                return NULL;
        char *a = (char *) (((uintptr_t) r + HUGE_PAGE - 1) & ~((uintptr_t) HUGE_PAGE - 1));
        if (a > r)
                (void) munmap(r, (size_t) (a - r));
        if (r + over > a + len)
                (void) munmap(a + len, (size_t) (r + over - (a + len)));
        return a;
}

static void *map_block(size_t bytes) {
        /* at least one whole huge page: it is faulted in at once, and growing up to it is free */
        size_t len = bytes < HUGE_PAGE ? HUGE_PAGE : page_round(bytes);
        void *a = reserve_aligned(len);
        if (!a)
                return NULL;
        struct big_header *h = mmap(a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (h == MAP_FAILED) {
                (void) munmap(a, len);
                return NULL;
        }
        /* Before anything is written: only pages faulted in after the advice can be huge. Best
         * effort - EINVAL on a kernel built without THP. */
        (void) madvise(h, len, MADV_HUGEPAGE);
        h->mapped = len;
        return h + 1;
}

/* A mapped block made len bytes long: grown in place when the address space after it is free,
 * else moved to an aligned reservation. mremap moves page tables, not data, and the mapping keeps
 * its huge-page advice. */
static struct big_header *grow_block(struct big_header *h, size_t len) {
        struct big_header *g = mremap(h, h->mapped, len, 0);
        if (g != MAP_FAILED)
                return g;
        void *a = reserve_aligned(len);
        if (!a)
                return NULL;
        g = mremap(h, h->mapped, len, MREMAP_MAYMOVE | MREMAP_FIXED, a);
        if (g == MAP_FAILED) {
                (void) munmap(a, len);
                return NULL;
        }
        return g;
}

/* n * size plus the header; -1 when that is more than half the address space (so that rounding
 * it up to pages cannot overflow) */
static int total_bytes(size_t n, size_t size, size_t *ret) {
        if (size && n > (SIZE_MAX / 2 - sizeof(struct big_header)) / size)
                return -1;
        *ret = n * size + sizeof(struct big_header);
        return 0;
}

static void *new_block(size_t n, size_t size, bool zero) {
        size_t bytes;
        if (total_bytes(n, size, &bytes) < 0)
                return NULL;
        if (bytes >= BIG_ARRAY_MAP_MIN)
                return map_block(bytes); /* fresh anonymous memory reads as zeros */
        struct big_header *h = zero ? calloc(1, bytes) : malloc(bytes);
        if (!h)
                return NULL;
        h->mapped = 0;
        h->bytes = bytes;
        return h + 1;
}

void *big_calloc(size_t n, size_t size) {
        return new_block(n, size, true);
}

void *big_reallocarray(void *p, size_t n, size_t size) {
        if (!p)
                return new_block(n, size, false);
        size_t bytes;
        if (total_bytes(n, size, &bytes) < 0)
                return NULL;
        struct big_header *h = header_of(p);
        if (h->mapped) {
                if (bytes <= h->mapped)
                        return p;
                size_t len = page_round(bytes);
                struct big_header *g = grow_block(h, len);
                if (!g)
                        return NULL;
                g->mapped = len;
                return g + 1;
        }
        if (bytes < BIG_ARRAY_MAP_MIN) {
                struct big_header *g = realloc(h, bytes);
                if (!g)
                        return NULL;
                g->bytes = bytes;
                return g + 1;
        }
        /* outgrowing malloc (a malloc block is always smaller than bytes here): one copy into a
         * mapping of its own */
        void *q = map_block(bytes);
        if (!q)
                return NULL;
        memcpy(q, p, h->bytes - sizeof(*h));
        free(h);
        return q;
}

void big_free(void *p) {
        if (!p)
                return;
        struct big_header *h = header_of(p);
        if (h->mapped)
                (void) munmap(h, h->mapped);
        else
                free(h);
}

void big_advise(void *p, size_t n) {
        if (!p || n < BIG_ARRAY_MAP_MIN)
                return;
        uintptr_t start = ((uintptr_t) p + HUGE_PAGE - 1) & ~((uintptr_t) HUGE_PAGE - 1);
        uintptr_t end = ((uintptr_t) p + n) & ~((uintptr_t) HUGE_PAGE - 1);
        /* Splits the block's mapping; glibc's realloc of it then copies instead of mremap. */
        if (end > start)
                (void) madvise((void *) start, end - start, MADV_HUGEPAGE);
}
