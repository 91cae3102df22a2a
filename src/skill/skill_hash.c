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
        skill_hash_visit_fn visit;
        void *userdata;
        size_t entries;
        uint64_t bytes;
        struct error *err;
        char *chunk; /* HASH_CHUNK bytes: on the heap, see hash_file() */
};

#define HASH_CHUNK 65536

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

/* The digest and size of a file's content. The content goes into the tree hash as its own digest,
 * so the record stays length-prefixed whatever the content is. */
static int hash_file(struct hash_walk *w, int dfd, const char *name, const char *rel, uint64_t *ret_size,
                     uint8_t ret_digest[SHA256_DIGEST_BYTES]) {
        /* O_NONBLOCK: if the file was swapped for a FIFO since fstatat(), open must not hang */
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        struct stat st;
        if (fstat(fd, &st) < 0)
                return error_set(w->err, -errno, "%s: %s", rel, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(w->err, -ESTALE, "%s: changed while the skill was being read", rel);
        struct sha256_ctx fc = { 0 };
        int r = sha256_init(&fc);
        if (r < 0)
                return r;
        uint64_t size = 0;
        /* Not a 64 KiB array on the stack: -fstack-clash-protection would touch all its 16 pages at
         * every call, and every run of an installed skill hashes it (a page fault is ~10 us on the
         * VMs we run on). Only the pages a read fills are touched in the walk's heap chunk. */
        for (;;) {
                ssize_t k = read_retry(fd, w->chunk, HASH_CHUNK);
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
                if ((r = sha256_update(&fc, w->chunk, (size_t) k)) < 0) {
                        sha256_ctx_free(&fc);
                        return r;
                }
        }
        r = sha256_final(&fc, ret_digest);
        sha256_ctx_free(&fc);
        if (r < 0)
                return r;
        *ret_size = size;
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

/* The names in directory fd, sorted. */
static int read_names(struct hash_walk *w, int fd, const char *rel, char ***ret, size_t *ret_n) {
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
        *ret = TAKE_PTR(names);
        *ret_n = n;
        return 0;
}

static int visit(struct hash_walk *w, const struct skill_hash_entry *e) {
        return w->visit ? w->visit(e, w->userdata, w->err) : 0;
}

static int hash_dir(struct hash_walk *w, int fd, const char *rel, unsigned depth);

/* One entry: its record in the tree hash, then the visitor, then (directories) what it holds. */
static int hash_entry(struct hash_walk *w, int fd, const char *name, const char *child, unsigned depth) {
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
        struct skill_hash_entry e = {
                .path = child,
                .depth = depth,
                .mode = (uint32_t) (st.st_mode & 07777),
                .format = (uint32_t) (st.st_mode & S_IFMT),
        };
        int r;
        if (S_ISDIR(st.st_mode)) {
                e.type = 'd';
                if ((r = put_record(w->ctx, 'd', child, e.mode)) < 0 || (r = visit(w, &e)) < 0)
                        return r;
                _cleanup_close_ int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                return hash_dir(w, sub, child, depth + 1);
        }
        if (S_ISREG(st.st_mode)) {
                uint8_t d[SHA256_DIGEST_BYTES];
                e.type = 'f';
                e.digest = d;
                if ((r = hash_file(w, fd, name, child, &e.size, d)) < 0 ||
                    (r = put_record(w->ctx, 'f', child, e.mode)) < 0 || (r = put_u64(w->ctx, e.size)) < 0 ||
                    (r = sha256_update(w->ctx, d, sizeof(d))) < 0)
                        return r;
                return visit(w, &e);
        }
        if (S_ISLNK(st.st_mode)) {
                /* a Linux symlink target is at most PATH_MAX - 1 bytes, so it always fits */
                char target[4097];
                ssize_t k = readlinkat(fd, name, target, sizeof(target) - 1);
                if (k < 0)
                        return error_set(w->err, -errno, "%s: %s", child, strerror(errno));
                target[k] = '\0';
                e.type = 'l';
                e.mode = 0;
                e.size = (uint64_t) k;
                e.target = target;
                if ((r = put_record(w->ctx, 'l', child, 0)) < 0 || (r = put_str(w->ctx, target, (size_t) k)) < 0)
                        return r;
                return visit(w, &e);
        }
        /* FIFOs, sockets, devices: their existence and type, no content */
        e.type = 'o';
        if ((r = put_record(w->ctx, 'o', child, e.format | e.mode)) < 0)
                return r;
        return visit(w, &e);
}

static int hash_dir(struct hash_walk *w, int fd, const char *rel, unsigned depth) {
        if (depth > SKILL_HASH_MAX_DEPTH)
                return error_set(w->err, -E2BIG, "%s: nested deeper than %d levels", rel,
                                 SKILL_HASH_MAX_DEPTH);
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = read_names(w, fd, rel, &names, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *child = *rel ? path_join(rel, names[i]) : strdup(names[i]);
                if (!child)
                        return -ENOMEM;
                if ((r = hash_entry(w, fd, names[i], child, depth)) < 0)
                        return r;
        }
        return 0;
}

int skill_hash_walk(int dirfd, skill_hash_visit_fn visit_fn, void *userdata, char out[SHA256_HEX_BYTES],
                    struct error *err) {
        struct sha256_ctx ctx = { 0 };
        int r = sha256_init(&ctx);
        if (r < 0)
                return error_set(err, r, "sha256: %s", strerror(-r));
        _cleanup_free_ char *chunk = malloc(HASH_CHUNK);
        if (!chunk) {
                sha256_ctx_free(&ctx);
                return error_set(err, -ENOMEM, "out of memory");
        }
        struct hash_walk w = { .ctx = &ctx, .visit = visit_fn, .userdata = userdata, .err = err, .chunk = chunk };
        r = sha256_update(&ctx, DOMAIN, sizeof(DOMAIN));
        if (r >= 0)
                r = hash_dir(&w, dirfd, "", 0);
        uint8_t d[SHA256_DIGEST_BYTES];
        if (r >= 0)
                r = sha256_final(&ctx, d);
        sha256_ctx_free(&ctx);
        if (r < 0)
                return err && err->code ? r : error_set(err, r, "hashing the skill: %s", strerror(-r));
        sha256_to_hex(d, out);
        return 0;
}

int skill_hash_dir(int dirfd, char out[SHA256_HEX_BYTES], struct error *err) {
        return skill_hash_walk(dirfd, NULL, NULL, out, err);
}
