/* The staging copy of a skill (stage.h). */
#include "stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "link_rule.h"
#include "skill_hash.h"

#define STAGE_COPY_CHUNK 65536

struct stage_walk {
        size_t entries;
        uint64_t bytes;
        struct error *err;
};

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

static int copy_file(struct stage_walk *w, int srcdir, int dstdir, const char *name, const char *rel,
                     mode_t mode) {
        _cleanup_close_ int in = openat(srcdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (in < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        struct stat st;
        if (fstat(in, &st) < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        if (!S_ISREG(st.st_mode)) /* replaced between the listing and the open */
                return error_set(w->err, -EPERM, "%s: changed while being copied", rel);
        _cleanup_close_ int out = openat(dstdir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                         mode);
        if (out < 0)
                return error_set(w->err, -errno, "%s: creating the copy: %s", rel, strerror(errno));
        char buf[STAGE_COPY_CHUNK];
        for (;;) {
                ssize_t k = read_retry(in, buf, sizeof(buf));
                if (k < 0)
                        return error_set(w->err, (int) k, "%s: %s", rel, strerror((int) -k));
                if (k == 0)
                        break;
                w->bytes += (uint64_t) k;
                if (w->bytes > SKILL_HASH_MAX_BYTES)
                        return error_set(w->err, -E2BIG, "the skill is larger than %llu MiB",
                                         SKILL_HASH_MAX_BYTES >> 20);
                int r = write_all(out, buf, (size_t) k);
                if (r < 0)
                        return error_set(w->err, r, "%s: writing the copy: %s", rel, strerror(-r));
        }
        /* the umask may have taken bits the skill needs (an executable script) */
        if (fchmod(out, mode) < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        return 0;
}

static int copy_dir(struct stage_walk *w, int srcfd, int dstfd, const char *rel, unsigned depth) {
        if (depth > SKILL_HASH_MAX_DEPTH)
                return error_set(w->err, -E2BIG, "%s: nested deeper than %d levels", rel, SKILL_HASH_MAX_DEPTH);
        int dupfd = fcntl(srcfd, F_DUPFD_CLOEXEC, 3);
        if (dupfd < 0)
                return -errno;
        _cleanup_(closedirp) DIR *d = fdopendir(dupfd);
        if (!d) {
                safe_close(dupfd);
                return error_set(w->err, -errno, "%s: %s", *rel ? rel : ".", strerror(errno));
        }
        for (;;) {
                errno = 0;
                struct dirent *de = readdir(d);
                if (!de) {
                        if (errno)
                                return error_set(w->err, -errno, "%s: %s", *rel ? rel : ".", strerror(errno));
                        return 0;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (++w->entries > SKILL_HASH_MAX_ENTRIES)
                        return error_set(w->err, -E2BIG, "the skill has more than %d entries", SKILL_HASH_MAX_ENTRIES);
                _cleanup_free_ char *child = *rel ? path_join(rel, de->d_name) : strdup(de->d_name);
                if (!child)
                        return -ENOMEM;
                struct stat st;
                if (fstatat(srcfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                /* setuid/setgid/sticky and write for others never survive the copy */
                mode_t mode = st.st_mode & 0755;
                int r;
                if (S_ISDIR(st.st_mode)) {
                        if (mkdirat(dstfd, de->d_name, 0700) < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                        _cleanup_close_ int s = openat(srcfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        _cleanup_close_ int t = openat(dstfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (s < 0 || t < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                        r = copy_dir(w, s, t, child, depth + 1);
                        if (r < 0)
                                return r;
                        if (fchmod(t, mode | 0700) < 0) /* we must be able to remove it later */
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                } else if (S_ISREG(st.st_mode)) {
                        r = copy_file(w, srcfd, dstfd, de->d_name, child, mode | 0600);
                        if (r < 0)
                                return r;
                } else if (S_ISLNK(st.st_mode)) {
                        char target[PATH_MAX];
                        ssize_t k = readlinkat(srcfd, de->d_name, target, sizeof(target) - 1);
                        if (k < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                        target[k] = '\0';
                        if (!link_rule_ok(child, target))
                                return error_set(w->err, -EPERM,
                                                 "%s: a symbolic link that leaves the skill (to '%.200s') is not allowed",
                                                 child, target);
                        if (symlinkat(target, dstfd, de->d_name) < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                } else {
                        return error_set(w->err, -EPERM, "%s: %s are not allowed in a skill", child,
                                         S_ISFIFO(st.st_mode)   ? "named pipes (FIFOs)"
                                         : S_ISSOCK(st.st_mode) ? "sockets"
                                                                : "device files");
                }
        }
}

int stage_copy(int srcfd, int dstfd, struct error *err) {
        struct stage_walk w = { .err = err };
        return copy_dir(&w, srcfd, dstfd, "", 0);
}
