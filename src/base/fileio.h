/* File I/O that loops over EINTR and short reads/writes, with size caps for untrusted files. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macros.h"

/* Write all n bytes; returns 0 or -errno. */
int write_all(int fd, const void *data, size_t n) _warn_unused_;
/* Read up to n bytes, retrying on EINTR; returns bytes read (0 at EOF) or -errno. */
ssize_t read_retry(int fd, void *data, size_t n);
/* Read a whole fd into a fresh NUL-terminated buffer; -EFBIG when it exceeds max bytes. */
int read_fd_bounded(int fd, size_t max, char **ret_data, size_t *ret_len) _warn_unused_;
/* The same for a file whose size the caller has from fstat (0: unknown): one buffer of that size. */
int read_fd_bounded_sized(int fd, size_t max, uint64_t size, char **ret_data, size_t *ret_len) _warn_unused_;
/* Open path relative to dirfd and read it bounded: a regular file only (-EISDIR for a directory,
 * -EINVAL for anything else), -EFBIG over max. */
int read_file_at_bounded(int dirfd, const char *path, size_t max, char **ret_data,
                         size_t *ret_len) _warn_unused_;
/* The same with more open flags: O_NOFOLLOW (never through a symlink: -ELOOP), O_NONBLOCK
 * (never hang on a FIFO put in the file's place). */
int read_file_at_bounded_flags(int dirfd, const char *path, int open_flags, size_t max,
                               char **ret_data, size_t *ret_len) _warn_unused_;
/* Remove a directory tree without following symlinks or crossing mount points. */
int rm_rf(const char *path);
/* Add O_NONBLOCK to fd's status flags. 0 or -errno. */
int fd_set_nonblock(int fd);
