/* See bigarray.h.
 *
 * A mapped block is laid out so that its data starts on a huge-page boundary and spans whole
 * huge pages:
 *
 *     [ one 4 KiB page, header in its last 16 bytes ][ data: n x 2 MiB ... ]
 *     ^ mapping start                                  ^ 2 MiB-aligned
 *
 * A transparent huge page can only back a 2 MiB-aligned stretch that lies wholly inside the
 * mapping and has no small page in it yet. With the header in front of the data (malloc's way), a
 * power-of-two array would end 16 bytes into the next huge page; writing its last element would
 * fault in a small page there, and once the array grew that whole 2 MiB would stay small pages
 * (measured: 256 faults per MiB of every grown table). */
#include "bigarray.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t) 2 << 20)
#define HEAD_PAGE ((size_t) 4096)

/* Right in front of every block's data; 16 bytes keep the data aligned for any type. */
struct big_header {
        size_t mapped; /* length of the block's own mapping, head page included; 0: a malloc block */
        size_t bytes;  /* a malloc block's size, header included */
};

static struct big_header *header_of(void *p) {
        return (struct big_header *) p - 1;
}

static void *mapping_of(struct big_header *h) {
        return (char *) (h + 1) - HEAD_PAGE;
}

/* The mapping for data bytes of data: the head page and whole huge pages. */
static size_t mapping_length(size_t data) {
        return HEAD_PAGE + ((data + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
}

/* len bytes of address space (PROT_NONE until used) whose byte HEAD_PAGE is on a huge-page
 * boundary. The kernel aligns anonymous mappings itself only when their length is a multiple
 * of 2 MiB, and not to this offset. */
static char *reserve(size_t len) {
        size_t over = len + HUGE_PAGE;
        char *r = mmap(NULL, over, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (r == MAP_FAILED)
                return NULL;
        uintptr_t data = ((uintptr_t) r + HEAD_PAGE + HUGE_PAGE - 1) & ~((uintptr_t) HUGE_PAGE - 1);
        char *a = (char *) (data - HEAD_PAGE);
        if (a > r)
                (void) munmap(r, (size_t) (a - r));
        if (r + over > a + len)
                (void) munmap(a + len, (size_t) (r + over - (a + len)));
        return a;
}

static void *map_block(size_t data) {
        size_t len = mapping_length(data);
        char *a = reserve(len);
        if (!a)
                return NULL;
        if (mmap(a, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
                (void) munmap(a, len);
                return NULL;
        }
        /* Before anything is written: only pages faulted in after the advice can be huge. Best
         * effort - EINVAL on a kernel built without THP. */
        (void) madvise(a, len, MADV_HUGEPAGE);
        struct big_header *h = (struct big_header *) (a + HEAD_PAGE) - 1;
        h->mapped = len;
        return h + 1;
}

/* A mapped block made len bytes long: grown in place when the address space after it is free,
 * else moved to a new reservation. mremap moves page tables, not data, and the mapping keeps its
 * huge-page advice. */
static struct big_header *grow_block(struct big_header *h, size_t len) {
        char *m = mapping_of(h);
        char *g = mremap(m, h->mapped, len, 0);
        if (g == MAP_FAILED) {
                char *a = reserve(len);
                if (!a)
                        return NULL;
                g = mremap(m, h->mapped, len, MREMAP_MAYMOVE | MREMAP_FIXED, a);
                if (g == MAP_FAILED) {
                        (void) munmap(a, len);
                        return NULL;
                }
        }
        h = (struct big_header *) (g + HEAD_PAGE) - 1;
        h->mapped = len;
        return h;
}

/* n * size; -1 when that is more than a quarter of the address space (so that no rounding
 * overflows) */
static int data_bytes(size_t n, size_t size, size_t *ret) {
        if (size && n > SIZE_MAX / 4 / size)
                return -1;
        *ret = n * size;
        return 0;
}

static void *new_block(size_t n, size_t size, bool zero) {
        size_t data;
        if (data_bytes(n, size, &data) < 0)
                return NULL;
        if (data >= BIG_ARRAY_MAP_MIN)
                return map_block(data); /* fresh anonymous memory reads as zeros */
        size_t bytes = sizeof(struct big_header) + data;
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

void *big_mallocarray(size_t n, size_t size) {
        return new_block(n, size, false);
}

void *big_reallocarray(void *p, size_t n, size_t size) {
        if (!p)
                return big_mallocarray(n, size);
        size_t data;
        if (data_bytes(n, size, &data) < 0)
                return NULL;
        struct big_header *h = header_of(p);
        if (h->mapped) {
                if (HEAD_PAGE + data <= h->mapped)
                        return p;
                struct big_header *g = grow_block(h, mapping_length(data));
                return g ? g + 1 : NULL;
        }
        if (data < BIG_ARRAY_MAP_MIN) {
                struct big_header *g = realloc(h, sizeof(*g) + data);
                if (!g)
                        return NULL;
                g->bytes = sizeof(*g) + data;
                return g + 1;
        }
        /* outgrowing malloc (a malloc block is always smaller than data here): one copy into a
         * mapping of its own */
        void *q = map_block(data);
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
                (void) munmap(mapping_of(h), h->mapped);
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
