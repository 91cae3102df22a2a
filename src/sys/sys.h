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

/* clone3() with the given flags (CLONE_NEW*, CLONE_PIDFD, CLONE_INTO_CGROUP). Returns 0 in the
 * child, the child's pid in the parent (with *ret_pidfd set when CLONE_PIDFD), or -errno. */
int sys_clone3(uint64_t flags, int cgroup_fd, int *ret_pidfd);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_pivot_root(const char *new_root, const char *put_old);

/* The new mount API (Linux 5.2+, mount_setattr 5.12+). */
int sys_open_tree(int dirfd, const char *path, unsigned int flags);
int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path,
                   unsigned int flags);
int sys_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set,
                      uint64_t attr_clr);
int sys_fsopen(const char *fsname, unsigned int flags);
int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags);
