/* In-memory skill snapshot (see skill_copy.h). */
#include "skill_copy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/path.h"

#define SNAPSHOT_MAX_DEPTH 16

struct reader {
        struct snapshot *s;
        size_t max_entries;
        uint64_t max_bytes;
};

static int add(struct reader *rd, char *path, mode_t mode, char *data, size_t len) {
        struct snapshot *s = rd->s;
        if (s->n >= rd->max_entries) {
                free(path);
                free(data);
                return -E2BIG;
        }
        struct snapshot_entry *grown = reallocarray(s->entries, s->n + 1, sizeof(*grown));
        if (!grown) {
                free(path);
                free(data);
                return -ENOMEM;
        }
        s->entries = grown;
        s->entries[s->n++] = (struct snapshot_entry) { path, mode, data, len };
        return 0;
}

static int read_dir(struct reader *rd, int dirfd, const char *prefix, int depth) {
        if (depth > SNAPSHOT_MAX_DEPTH)
                return -E2BIG;
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                int r = -errno;
                safe_close(fd);
                return r;
        }
        int r = 0;
        struct dirent *de;
        while (r == 0 && (de = readdir(d))) {
                const char *n = de->d_name;
                if (streq(n, ".") || streq(n, ".."))
                        continue;
                struct stat st;
                if (fstatat(dirfd, n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        r = -errno;
                        break;
                }
                char *path = *prefix ? path_join(prefix, n) : strdup(n);
                if (!path) {
                        r = -ENOMEM;
                        break;
                }
                mode_t perm = (st.st_mode & 0755) | 0400;
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(dirfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0) {
                                r = -errno;
                                free(path);
                                break;
                        }
                        r = add(rd, path, S_IFDIR | perm | 0700, NULL, 0);
                        r = r ?: read_dir(rd, sub, rd->s->entries[rd->s->n - 1].path, depth + 1);
                } else if (S_ISREG(st.st_mode)) {
                        if ((uint64_t) st.st_size > rd->max_bytes - rd->s->bytes) {
                                free(path);
                                r = -E2BIG;
                                break;
                        }
                        char *data = NULL;
                        size_t len = 0;
                        _cleanup_close_ int f = openat(dirfd, n, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
                        r = f < 0 ? -errno : read_fd_bounded_sized(f, rd->max_bytes - rd->s->bytes, (uint64_t) st.st_size, &data, &len);
                        if (r < 0) {
                                free(path);
                                break;
                        }
                        rd->s->bytes += len;
                        r = add(rd, path, S_IFREG | perm, data, len);
                } else if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t k = readlinkat(dirfd, n, target, sizeof(target) - 1);
                        if (k < 0) {
                                r = -errno;
                                free(path);
                                break;
                        }
                        r = add(rd, path, S_IFLNK | 0777, strndup(target, (size_t) k), (size_t) k);
                } else
                        free(path); /* devices, FIFOs, sockets are not part of a skill */
        }
        closedir(d);
        return r;
}

int snapshot_read(int dirfd, size_t max_entries, uint64_t max_bytes, struct snapshot *ret) {
        *ret = (struct snapshot) { 0 };
        struct reader rd = { ret, max_entries, max_bytes };
        int r = read_dir(&rd, dirfd, "", 1);
        if (r < 0)
                snapshot_free(ret);
        return r;
}

int snapshot_write(const struct snapshot *s, int dstfd) {
        for (size_t i = 0; i < s->n; i++) {
                const struct snapshot_entry *e = &s->entries[i];
                if (S_ISDIR(e->mode)) {
                        if (mkdirat(dstfd, e->path, e->mode & 07777) < 0)
                                return -errno;
                } else if (S_ISLNK(e->mode)) {
                        if (!e->data || symlinkat(e->data, dstfd, e->path) < 0)
                                return e->data ? -errno : -ENOMEM;
                } else {
                        _cleanup_close_ int fd = openat(dstfd, e->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                                        e->mode & 07777);
                        if (fd < 0)
                                return -errno;
                        int r = write_all(fd, e->data ? e->data : "", e->len);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

void snapshot_free(struct snapshot *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->entries[i].path);
                free(s->entries[i].data);
        }
        free(s->entries);
        *s = (struct snapshot) { 0 };
}
