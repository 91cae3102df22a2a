/* Thin syscall wrappers: the seam where later code (and tests) meet the kernel.
 * Each returns 0/fd on success and -errno on failure, never touching global state. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* openat2() with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS: the path cannot leave dirfd, even
 * through symlinks or "..". Falls back to -ENOSYS on kernels older than 5.6. */
int sys_open_beneath(int dirfd, const char *path, int flags, mode_t mode);
/* Like sys_open_beneath, but symlinks are refused outright (RESOLVE_NO_SYMLINKS). */
int sys_open_beneath_nofollow(int dirfd, const char *path, int flags, mode_t mode);
/* close_range(first, ~0U, 0): close every fd from first upwards. */
int sys_close_range_from(unsigned int first);
