/* base/bigarray.c and the size-hinted read_fd_bounded(). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/bigarray.h"
#include "../../src/base/fileio.h"

#ifndef BIG_ARRAY_UNDER_ASAN
/* The VmFlags line of the mapping that holds p ("" when p is in none). */
static void vm_flags_of(const void *p, char *out, size_t cap) {
        FILE *f = fopen("/proc/self/smaps", "re");
        cr_assert_not_null(f);
        char line[512];
        bool inside = false;
        out[0] = '\0';
        while (fgets(line, sizeof(line), f)) {
                uintptr_t lo, hi;
                if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
                        inside = (uintptr_t) p >= lo && (uintptr_t) p < hi;
                        continue;
                }
                if (inside && strncmp(line, "VmFlags:", 8) == 0) {
                        snprintf(out, cap, "%.200s", line + 8);
                        break;
                }
        }
        fclose(f);
}

static bool thp_possible(void) {
        char mode[128] = "";
        FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
        if (!f)
                return false;
        bool ok = fgets(mode, sizeof(mode), f) && !strstr(mode, "[never]");
        fclose(f);
        return ok;
}
#endif

Test(bigarray, small_blocks_are_zeroed_aligned_and_grow_keeping_their_contents) {
        uint32_t *v = big_calloc(100, sizeof(*v));
        cr_assert_not_null(v);
        cr_assert_eq((uintptr_t) v % 16, 0);
        for (size_t i = 0; i < 100; i++) {
                cr_assert_eq(v[i], 0);
                v[i] = (uint32_t) i * 7;
        }
        v = big_reallocarray(v, 1000, sizeof(*v));
        cr_assert_not_null(v);
        for (size_t i = 0; i < 100; i++)
                cr_assert_eq(v[i], i * 7);
        big_free(v);
        big_free(NULL);
}

/* From malloc to a mapping of its own, then grown by mremap (in place or moved): every element
 * survives each step, and the mapping asks for huge pages. */
Test(bigarray, large_blocks_are_advised_mappings_that_grow_without_losing_data) {
        size_t n = 1000;
        uint64_t *v = big_reallocarray(NULL, n, sizeof(*v));
        cr_assert_not_null(v);
        for (size_t i = 0; i < n; i++)
                v[i] = i ^ 0x5a5a5a5a5a5aull;
        while (n < ((size_t) 40 << 20) / sizeof(*v)) { /* up to 40 MiB, doubling */
                /* another mapping right after it now and then, so that some growth must move */
                void *blocker = big_calloc(((size_t) 3 << 20) / 8, 8);
                size_t m = n * 2;
                uint64_t *g = big_reallocarray(v, m, sizeof(*g));
                cr_assert_not_null(g);
                v = g;
                for (size_t i = 0; i < n; i++)
                        cr_assert_eq(v[i], i ^ 0x5a5a5a5a5a5aull, "element %zu lost growing to %zu", i, m);
                for (size_t i = n; i < m; i++)
                        v[i] = i ^ 0x5a5a5a5a5a5aull;
                big_free(blocker);
                n = m;
        }
#ifndef BIG_ARRAY_UNDER_ASAN /* there, big arrays are malloc blocks (bigarray.h) */
        char flags[256];
        vm_flags_of(v, flags, sizeof(flags));
        cr_assert(strlen(flags) > 0, "no mapping found for the block");
        if (thp_possible())
                cr_assert(strstr(flags, " hg") != NULL, "no MADV_HUGEPAGE on the block: %s", flags);
        /* the data starts on a huge-page boundary, so a power-of-two array ends on one */
        cr_assert_eq((uintptr_t) v % ((uintptr_t) 2 << 20), 0);
#endif
        big_free(v);
}

Test(bigarray, large_calloc_reads_as_zeros_and_overflow_fails) {
        size_t n = ((size_t) 9 << 20) / sizeof(uint32_t);
        uint32_t *v = big_calloc(n, sizeof(*v));
        cr_assert_not_null(v);
        for (size_t i = 0; i < n; i += 997)
                cr_assert_eq(v[i], 0);
        cr_assert_eq(v[n - 1], 0);
        v[n - 1] = 1;
        big_free(v);
        cr_assert_null(big_calloc(SIZE_MAX / 4, 4));
        cr_assert_null(big_reallocarray(NULL, SIZE_MAX / 2, 2));
        void *p = big_calloc(4, 4);
        cr_assert_null(big_reallocarray(p, SIZE_MAX / 8, 16));
        big_free(p); /* untouched by the failed resize */
}

static void write_file(const char *path, size_t n) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        cr_assert_geq(fd, 0);
        char block[4096];
        for (size_t i = 0; i < sizeof(block); i++)
                block[i] = (char) ('a' + i % 26);
        for (size_t done = 0; done < n;) {
                size_t k = n - done < sizeof(block) ? n - done : sizeof(block);
                cr_assert_eq(write_all(fd, block, k), 0);
                done += k;
        }
        close(fd);
}

/* The regular-file path reads with the size known in advance: exactly the cap fits, one byte more
 * is -EFBIG, a big file arrives whole and NUL-terminated. */
Test(read_bounded, regular_files_at_and_over_the_cap) {
        char dir[] = "/tmp/skilllite-read-XXXXXX";
        cr_assert_not_null(mkdtemp(dir));
        char path[64];
        snprintf(path, sizeof(path), "%s/f", dir);
        size_t sizes[] = { 0, 1, 4095, 16384, 16385, ((size_t) 5 << 20) + 3 };
        for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
                write_file(path, sizes[k]);
                char *data = NULL;
                size_t len = 1;
                cr_assert_eq(read_file_at_bounded(AT_FDCWD, path, sizes[k], &data, &len), 0, "size %zu", sizes[k]);
                cr_assert_eq(len, sizes[k]);
                cr_assert_eq(data[len], '\0');
                for (size_t i = 0; i < len; i += 1021)
                        cr_assert_eq(data[i], (char) ('a' + i % 4096 % 26));
                free(data);
                if (sizes[k] > 0) {
                        data = NULL;
                        cr_assert_eq(read_file_at_bounded(AT_FDCWD, path, sizes[k] - 1, &data, &len), -EFBIG);
                        cr_assert_null(data);
                }
        }
        unlink(path);
        rmdir(dir);
}

/* A pipe has no size: read in chunks up to the cap. */
Test(read_bounded, pipes_without_a_size) {
        int p[2];
        cr_assert_eq(pipe(p), 0);
        const char msg[] = "hello through a pipe";
        cr_assert_eq(write_all(p[1], msg, sizeof(msg) - 1), 0);
        close(p[1]);
        char *data = NULL;
        size_t len = 0;
        cr_assert_eq(read_fd_bounded(p[0], 100, &data, &len), 0);
        cr_assert_eq(len, sizeof(msg) - 1);
        cr_assert_str_eq(data, msg);
        free(data);
        close(p[0]);
        cr_assert_eq(pipe(p), 0);
        cr_assert_eq(write_all(p[1], msg, sizeof(msg) - 1), 0);
        close(p[1]);
        cr_assert_eq(read_fd_bounded(p[0], sizeof(msg) - 2, &data, &len), -EFBIG);
        close(p[0]);
}
