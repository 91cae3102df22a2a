/* The hash of a whole skill (skill_hash.h). Walk order: pre-order, siblings sorted by name
 * (bytewise), so the digest does not depend on readdir order or the file system. */
#include "skill_hash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../base/strv.h"

#define DOMAIN "skilllite-skill-hash-v1"

struct hash_walk {
        struct sha256_ctx *ctx;
        size_t entries;
        uint64_t bytes;
        struct error *err;
};

static int put_u64(struct sha256_ctx *c, uint64_t v) {
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
                b[i] = (uint8_t) (v >> (8 * i));
        return sha256_update(c, b, sizeof(b));
}

static int put_str(struct sha256_ctx *c, const char *s, size_t n) {
        int r = put_u64(c, n);
        return r < 0 ? r : sha256_update(c, s, n);
}

static int put_record(struct sha256_ctx *c, char type, const char *rel, uint32_t mode) {
        int r = sha256_update(c, &type, 1);
        if (r >= 0)
                r = put_str(c, rel, strlen(rel));
        if (r >= 0)
                r = put_u64(c, mode);
        return r;
}

/* A file's content goes in as its own digest, so the record stays length-prefixed whatever
 * the content is. */
static int hash_file(struct hash_walk *w, int dfd, const char *name, const char *rel) {
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        struct sha256_ctx fc = { 0 };
        int r = sha256_init(&fc);
        if (r < 0)
                return r;
        uint64_t size = 0;
        char buf[65536];
        for (;;) {
                ssize_t k = read_retry(fd, buf, sizeof(buf));
                if (k < 0) {
                        sha256_ctx_free(&fc);
                        return error_set(w->err, (int) k, "%s: %s", rel, strerror((int) -k));
                }
                if (k == 0)
                        break;
                size += (uint64_t) k;
                w->bytes += (uint64_t) k;
                if (w->bytes > SKILL_HASH_MAX_BYTES) {
                        sha256_ctx_free(&fc);
                        return error_set(w->err, -E2BIG, "the skill is larger than %llu MiB",
                                         SKILL_HASH_MAX_BYTES >> 20);
                }
                if ((r = sha256_update(&fc, buf, (size_t) k)) < 0) {
                        sha256_ctx_free(&fc);
                        return r;
                }
        }
        uint8_t d[SHA256_DIGEST_BYTES];
        r = sha256_final(&fc, d);
        sha256_ctx_free(&fc);
        if (r < 0)
                return r;
        r = put_u64(w->ctx, size);
        return r < 0 ? r : sha256_update(w->ctx, d, sizeof(d));
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

static int hash_dir(struct hash_walk *w, int fd, const char *rel, unsigned depth) {
        if (depth > SKILL_HASH_MAX_DEPTH)
                return error_set(w->err, -E2BIG, "%s: nested deeper than %d levels", rel,
                                 SKILL_HASH_MAX_DEPTH);
        int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dupfd < 0)
                return -errno;
        _cleanup_(closedirp) DIR *d = fdopendir(dupfd);
        if (!d) {
                safe_close(dupfd);
                return error_set(w->err, -errno, "%s: %s", *rel ? rel : ".", strerror(errno));
        }
        _cleanup_strv_free_ char **names = calloc(1, sizeof(char *));
        size_t n = 0;
        if (!names)
                return -ENOMEM;
        for (;;) {
                errno = 0;
                struct dirent *de = readdir(d);
                if (!de) {
                        if (errno)
                                return error_set(w->err, -errno, "%s: %s", *rel ? rel : ".",
                                                 strerror(errno));
                        break;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (++w->entries > SKILL_HASH_MAX_ENTRIES)
                        return error_set(w->err, -E2BIG, "the skill has more than %d entries",
                                         SKILL_HASH_MAX_ENTRIES);
                if (strv_pushn(&names, &n, de->d_name, strlen(de->d_name)) < 0)
                        return -ENOMEM;
        }
        qsort(names, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *child = *rel ? path_join(rel, names[i]) : strdup(names[i]);
                if (!child)
                        return -ENOMEM;
                struct stat st;
                if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                uint32_t mode = (uint32_t) (st.st_mode & 07777);
                int r;
                if (S_ISDIR(st.st_mode)) {
                        if ((r = put_record(w->ctx, 'd', child, mode)) < 0)
                                return r;
                        _cleanup_close_ int sub = openat(fd, names[i],
                                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                        r = hash_dir(w, sub, child, depth + 1);
                } else if (S_ISREG(st.st_mode)) {
                        if ((r = put_record(w->ctx, 'f', child, mode)) >= 0)
                                r = hash_file(w, fd, names[i], child);
                } else if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t k = readlinkat(fd, names[i], target, sizeof(target));
                        if (k < 0)
                                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                        if ((r = put_record(w->ctx, 'l', child, 0)) >= 0)
                                r = put_str(w->ctx, target, (size_t) k);
                } else {
                        /* fifos, sockets, devices: their existence and type, no content */
                        r = put_record(w->ctx, 'o', child, (uint32_t) (st.st_mode & S_IFMT) | mode);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int skill_hash_dir(int dirfd, char out[SHA256_HEX_BYTES], struct error *err) {
        struct sha256_ctx ctx = { 0 };
        int r = sha256_init(&ctx);
        if (r < 0)
                return error_set(err, r, "sha256: %s", strerror(-r));
        struct hash_walk w = { .ctx = &ctx, .err = err };
        r = sha256_update(&ctx, DOMAIN, sizeof(DOMAIN));
        if (r >= 0)
                r = hash_dir(&w, dirfd, "", 0);
        uint8_t d[SHA256_DIGEST_BYTES];
        if (r >= 0)
                r = sha256_final(&ctx, d);
        sha256_ctx_free(&ctx);
        if (r < 0)
                return err->code ? r : error_set(err, r, "hashing the skill: %s", strerror(-r));
        sha256_to_hex(d, out);
        return 0;
}
