/* Skill tree measurement (openat/fdopendir, no symlink following, bounded depth). */
#include "skill_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/macros.h"

static int walk(int dirfd, int depth, size_t max_entries, uint64_t max_bytes, struct skill_tree_size *acc) {
        if (depth > SKILL_TREE_MAX_DEPTH)
                return -E2BIG;
        int fd = dup(dirfd);
        if (fd < 0)
                return -errno;
        DIR *d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return r;
        }
        int r = 0;
        struct dirent *de;
        errno = 0;
        while (r == 0 && (de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        r = -errno;
                        break;
                }
                if (++acc->entries > max_entries) {
                        r = -E2BIG;
                        break;
                }
                if (S_ISREG(st.st_mode)) {
                        acc->bytes += (uint64_t) st.st_size;
                        if (acc->bytes > max_bytes)
                                r = -E2BIG;
                } else if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0) {
                                r = -errno;
                                break;
                        }
                        r = walk(sub, depth + 1, max_entries, max_bytes, acc);
                        close(sub);
                }
                errno = 0;
        }
        if (r == 0 && errno != 0)
                r = -errno;
        closedir(d);
        return r;
}

int skill_tree_measure(const char *dir, size_t max_entries, uint64_t max_bytes, struct skill_tree_size *ret) {
        *ret = (struct skill_tree_size) { 0 };
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return walk(fd, 1, max_entries, max_bytes, ret);
}
