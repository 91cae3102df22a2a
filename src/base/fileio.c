/* EINTR-safe, bounded file I/O helpers. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bigarray.h"
#include "buf.h"

int write_all(int fd, const void *data, size_t n) {
        const char *p = data;
        while (n > 0) {
                ssize_t k = write(fd, p, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

ssize_t read_retry(int fd, void *data, size_t n) {
        for (;;) {
                ssize_t k = read(fd, data, n);
                if (k >= 0)
                        return k;
                if (errno != EINTR)
                        return -errno;
        }
}

int read_fd_bounded(int fd, size_t max, char **ret_data, size_t *ret_len) {
        return read_fd_bounded_sized(fd, max, 0, ret_data, ret_len);
}

int read_fd_bounded_sized(int fd, size_t max, uint64_t size, char **ret_data, size_t *ret_len) {
        _cleanup_buf_ struct buf b = BUF_INIT(max);
        /* With the size known: room for all of it and one byte more, so that it is read with one
         * allocation and the read that finds its end needs no growth (a file that grows meanwhile
         * still reads to its end or to the cap). Read straight into the buffer. */
        size_t want = 16384;
        if (size > 0)
                want = size < max ? (size_t) size + 1 : max;
        for (;;) {
                if (b.len == max) { /* full: one byte more makes the file too big */
                        char probe;
                        ssize_t k = read_retry(fd, &probe, 1);
                        if (k < 0)
                                return (int) k;
                        if (k > 0)
                                return -EFBIG;
                        break;
                }
                size_t before = b.alloc;
                int r = buf_reserve(&b, want < max - b.len ? want : max - b.len);
                if (r < 0)
                        return r;
                if (before == 0) /* a big file: huge pages for what is about to be written */
                        big_advise(b.data, b.alloc);
                ssize_t k = read_retry(fd, b.data + b.len, b.alloc - 1 - b.len);
                if (k < 0)
                        return (int) k;
                if (k == 0)
                        break;
                b.len += (size_t) k;
                b.data[b.len] = '\0';
                want = 16384;
        }
        size_t len = b.len;
        char *data = buf_steal(&b);
        if (!data)
                return -ENOMEM;
        *ret_data = data;
        if (ret_len)
                *ret_len = len;
        return 0;
}

int read_file_at_bounded(int dirfd, const char *path, size_t max, char **ret_data,
                         size_t *ret_len) {
        return read_file_at_bounded_flags(dirfd, path, 0, max, ret_data, ret_len);
}

int read_file_at_bounded_flags(int dirfd, const char *path, int open_flags, size_t max,
                               char **ret_data, size_t *ret_len) {
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | open_flags);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        if ((unsigned long long) st.st_size > max)
                return -EFBIG;
        return read_fd_bounded_sized(fd, max, (uint64_t) st.st_size, ret_data, ret_len);
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        (void) st;
        (void) ftw;
        return (type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

int rm_rf(const char *path) {
        return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}

int fd_set_nonblock(int fd) {
        int fl = fcntl(fd, F_GETFL);
        return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -errno : 0;
}
