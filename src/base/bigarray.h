/* Arrays that may grow to many MiB - the scanner's per-token tables and hash maps.
 *
 * Small ones are ordinary malloc blocks. From BIG_ARRAY_MAP_MIN bytes on, each is a private
 * mapping of its own, advised for transparent huge pages (MADV_HUGEPAGE) and grown in place or
 * moved by mremap without copying. Why: a 10 MB script needs 100-200 MiB of such tables; with
 * 4 KiB pages faulting them in was a third to a half of the scan's time, and glibc's malloc only
 * asks for huge pages when GLIBC_TUNABLES says so. Where the kernel has no THP, or it is set to
 * "never", the mappings just keep small pages.
 *
 * Allocate, grow and free such an array only with these functions: a block carries a 16-byte
 * header that says which kind it is. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* AddressSanitizer only guards malloc blocks: in a sanitizer build every big array stays one, so
 * that an overflow in a table of a big input is caught too (the mapping code is tested by the
 * release build's unit tests and under valgrind). */
#if defined(__SANITIZE_ADDRESS__) /* GCC */
#define BIG_ARRAY_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang (the fuzz targets) */
#define BIG_ARRAY_UNDER_ASAN 1
#endif
#endif
#ifdef BIG_ARRAY_UNDER_ASAN
#define BIG_ARRAY_MAP_MIN SIZE_MAX
#else
#define BIG_ARRAY_MAP_MIN ((size_t) 256 << 10)
#endif

/* n * size zeroed bytes, NULL on overflow or when out of memory. */
void *big_calloc(size_t n, size_t size);
/* n * size bytes, unspecified contents (zeros only when it is a mapping). */
void *big_mallocarray(size_t n, size_t size);
/* Resize to n * size bytes (p may be NULL). The bytes beyond the old size are unspecified; on
 * failure NULL is returned and p is untouched. */
void *big_reallocarray(void *p, size_t n, size_t size);
void big_free(void *p);

/* The first chunk of the scanner's arenas: a page with room for the chunk's and malloc's
 * headers. A small skill's file fits; bigger ones double from here. (It was 64 KiB: a fresh
 * 64 KiB malloc touches at least two pages, its first and the page after it where malloc writes
 * the next chunk's header, and each arena had one: ~3-14 more page faults per scan of a typical
 * skill, ~10 us each on the VMs we run on.) */
#define BIG_CHUNK_FIRST (4096u - 64u)

/* The size of an arena's next chunk: first for the first (prev 0), then twice the one before
 * up to max - a big input's values land in a few chunks big enough for huge pages, a small one's
 * in one small chunk. */
static inline size_t big_chunk_after(size_t prev, size_t first, size_t max) {
        if (!prev)
                return first;
        return prev < max / 2 ? prev * 2 : max;
}

/* For a large block that is not a big array (a malloc'd file buffer): ask for huge pages on
 * the whole 2 MiB pages inside p[0..n). Only before the block is written; best effort. */
void big_advise(void *p, size_t n);
