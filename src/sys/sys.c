/* Syscall wrappers for calls glibc 2.36 lacks or wraps awkwardly. */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_how(int dirfd, const char *path, int flags, mode_t mode, uint64_t resolve) {
        struct open_how how;
        memset(&how, 0, sizeof(how));
        how.flags = (uint64_t) flags | O_CLOEXEC;
        how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
        how.resolve = resolve;
        long fd;
        /* RESOLVE_BENEATH returns EAGAIN when a rename anywhere on the system races with a ".."
         * step; the kernel asks us to retry. Bounded, so a rename storm cannot hang us. */
        int again = 0;
        do
                fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
        while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++again < 64)));
        return fd < 0 ? -errno : (int) fd;
}

int sys_open_beneath(int dirfd, const char *path, int flags, mode_t mode) {
        return open_how(dirfd, path, flags, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}

int sys_open_beneath_nofollow(int dirfd, const char *path, int flags, mode_t mode) {
        return open_how(dirfd, path, flags, mode,
                        RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS);
}

int sys_close_range_from(unsigned int first) {
        if (syscall(SYS_close_range, first, ~0U, 0) < 0)
                return -errno;
        return 0;
}

int sys_clone3(uint64_t flags, int cgroup_fd, int *ret_pidfd) {
        struct clone_args args;
        int pidfd = -1;
        memset(&args, 0, sizeof(args));
        args.flags = flags;
        args.exit_signal = SIGCHLD;
        if (flags & CLONE_PIDFD)
                args.pidfd = (uint64_t) (uintptr_t) &pidfd;
        if (flags & CLONE_INTO_CGROUP)
                args.cgroup = (uint64_t) cgroup_fd;
        long pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0)
                return -errno;
        if (pid > 0 && ret_pidfd)
                *ret_pidfd = pidfd;
        return (int) pid;
}

int sys_pidfd_send_signal(int pidfd, int sig) {
        return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
}

int sys_pivot_root(const char *new_root, const char *put_old) {
        return syscall(SYS_pivot_root, new_root, put_old) < 0 ? -errno : 0;
}

int sys_open_tree(int dirfd, const char *path, unsigned int flags) {
        long fd = syscall(SYS_open_tree, dirfd, path, flags);
        return fd < 0 ? -errno : (int) fd;
}

int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path,
                   unsigned int flags) {
        return syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags) < 0 ? -errno
                                                                                            : 0;
}

int sys_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set,
                      uint64_t attr_clr) {
        struct mount_attr attr;
        memset(&attr, 0, sizeof(attr));
        attr.attr_set = attr_set;
        attr.attr_clr = attr_clr;
        return syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof(attr)) < 0 ? -errno : 0;
}

int sys_fsopen(const char *fsname, unsigned int flags) {
        long fd = syscall(SYS_fsopen, fsname, flags);
        return fd < 0 ? -errno : (int) fd;
}

int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux) {
        return syscall(SYS_fsconfig, fd, cmd, key, value, aux) < 0 ? -errno : 0;
}

int sys_fsmount(int fd, unsigned int flags, unsigned int attr_flags) {
        long r = syscall(SYS_fsmount, fd, flags, attr_flags);
        return r < 0 ? -errno : (int) r;
}
