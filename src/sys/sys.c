/* Syscall wrappers for calls glibc 2.36 lacks or wraps awkwardly. */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
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
        do
                fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
        while (fd < 0 && errno == EINTR);
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
