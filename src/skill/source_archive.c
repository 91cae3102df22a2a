/* Secure extraction of an untrusted archive. libarchive only reads the entries; every directory,
 * file and symlink is created here with *at() calls relative to the destination's fd, each parent
 * opened with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so no entry can land outside the
 * tree or be redirected by an earlier symlink entry. Anything unsafe refuses the whole archive. */
#include "source.h"

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
#include "../base/strv.h"
#include "../sys/sys.h"
#include "archive_lib.h" /* libarchive, loaded on first use */
#include "link_rule.h"
#include "source_internal.h"

#define EXTRACT_CHUNK 65536

const struct source_archive_limits SOURCE_ARCHIVE_LIMITS = {
        .max_entries = SOURCE_ARCHIVE_MAX_ENTRIES,
        .max_file_bytes = SOURCE_ARCHIVE_MAX_FILE_BYTES,
        .max_total_bytes = SOURCE_ARCHIVE_MAX_TOTAL_BYTES,
        .max_ratio = SOURCE_ARCHIVE_MAX_RATIO,
        .ratio_floor = SOURCE_ARCHIVE_RATIO_FLOOR,
        .max_depth = SOURCE_ARCHIVE_MAX_DEPTH,
};

/* ---- names ---------------------------------------------------------------------------------- */

static uint64_t name_hash(const char *s) {
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 0x100000001b3ull;
        return h;
}

int source_names_init(struct source_names *s, uint64_t max_entries) {
        size_t slots = 16;
        while (slots < 2 * max_entries && slots < ((size_t) 1 << 24))
                slots <<= 1;
        s->slots = calloc(slots, sizeof(char *));
        s->mask = slots - 1;
        s->n = 0;
        return s->slots ? 0 : -ENOMEM;
}

void source_names_done(struct source_names *s) {
        if (s->slots)
                for (size_t i = 0; i <= s->mask; i++)
                        free(s->slots[i]);
        free(s->slots);
        *s = (struct source_names) { 0 };
}

int source_names_add(struct source_names *s, const char *name) {
        if (s->n >= (s->mask + 1) / 2)
                return -E2BIG;
        for (size_t i = name_hash(name) & s->mask;; i = (i + 1) & s->mask) {
                if (!s->slots[i]) {
                        s->slots[i] = strdup(name);
                        if (!s->slots[i])
                                return -ENOMEM;
                        s->n++;
                        return 1;
                }
                if (streq(s->slots[i], name))
                        return 0;
        }
}

int source_clean_name(const char *raw, bool is_dir, unsigned max_depth, char *out, size_t out_size,
                      struct error *err) {
        if (!raw || !*raw)
                return error_set(err, -EPERM, "an entry without a name");
        if (raw[0] == '/')
                return error_set(err, -EPERM, "'%.200s' is an absolute path", raw);
        size_t len = 0;
        unsigned depth = 0;
        for (const char *p = raw; *p;) {
                size_t n = strcspn(p, "/");
                const char *c = p;
                p += n;
                if (*p)
                        p++;
                if (n == 0 || (n == 1 && c[0] == '.'))
                        continue;
                if (n == 2 && c[0] == '.' && c[1] == '.')
                        return error_set(err, -EPERM, "'%.200s' has a '..' component", raw);
                for (size_t i = 0; i < n; i++) {
                        unsigned char ch = (unsigned char) c[i];
                        /* A backslash is a separator to Windows tools ("..\\x" is a zip-slip
                         * there); control characters make names that lie when printed. */
                        if (ch == '\\' || ch < 0x20 || ch == 0x7f)
                                return error_set(err, -EPERM, "'%.200s' has a backslash or a control character",
                                                 raw);
                }
                if (n > NAME_MAX)
                        return error_set(err, -E2BIG, "'%.200s' has a component longer than %d bytes", raw,
                                         NAME_MAX);
                if (++depth > max_depth)
                        return error_set(err, -E2BIG, "'%.200s' is nested more than %u deep", raw, max_depth);
                if (len + (len > 0) + n + 1 > out_size)
                        return error_set(err, -E2BIG, "'%.200s' is too long", raw);
                if (len > 0)
                        out[len++] = '/';
                memcpy(out + len, c, n);
                len += n;
        }
        out[len] = '\0';
        if (len == 0) {
                if (is_dir)
                        return 1;
                return error_set(err, -EPERM, "'%.200s' names the archive's root but is not a directory", raw);
        }
        return 0;
}

/* ---- emptying on failure -------------------------------------------------------------------- */

int source_list_dir(int dfd, char ***ret, size_t *ret_n) {
        int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        DIR *d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return r;
        }
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = 0;
        for (;;) {
                errno = 0;
                struct dirent *de = readdir(d);
                if (!de) {
                        r = -errno;
                        break;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                r = strv_pushn(&names, &n, de->d_name, strlen(de->d_name));
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(names);
        *ret_n = n;
        return 0;
}

int source_empty_dir(int dfd, unsigned max_depth) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = source_list_dir(dfd, &names, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                struct stat st;
                if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                if (S_ISDIR(st.st_mode)) {
                        if (max_depth == 0)
                                return -ELOOP;
                        _cleanup_close_ int sub =
                                openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                return -errno;
                        r = source_empty_dir(sub, max_depth - 1);
                        if (r < 0)
                                return r;
                }
                if (unlinkat(dfd, names[i], S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
                        return -errno;
        }
        return 0;
}

/* ---- extraction ----------------------------------------------------------------------------- */

struct extract {
        struct archive *a;
        int dstfd;
        const struct source_archive_limits *lim;
        uint64_t archive_bytes;
        uint64_t entries;
        uint64_t total; /* bytes decompressed so far, of every file */
        struct source_names seen;
        char *chunk;
        struct error *err;
};

static void archive_freep(struct archive **a) {
        if (*a)
                archive_read_free(*a);
}

static int sys_error(struct error *err, int r, const char *name, const char *what) {
        return error_set(err, r, "%.200s: %s: %s", name, what, strerror(-r));
}

/* One component below cur, as a directory, never through a symlink. */
static int open_dir_nofollow(int cur, const char *name) {
        int fd = sys_open_beneath_nofollow(cur, name, O_RDONLY | O_DIRECTORY, 0);
        if (fd != -ENOSYS)
                return fd;
        /* No openat2 (kernel < 5.6): for one component O_NOFOLLOW does the same. */
        fd = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

/* Open (creating what is missing, 0755) the parent directories of the clean name; *ret_leaf
 * points at its last component. An existing symlink or file on the way is a refusal: an earlier
 * entry may not redirect a later one. */
static int open_parent(struct extract *x, const char *name, const char **ret_leaf) {
        const char *slash = strrchr(name, '/');
        *ret_leaf = slash ? slash + 1 : name;
        int cur = fcntl(x->dstfd, F_DUPFD_CLOEXEC, 3);
        if (cur < 0)
                return sys_error(x->err, -errno, name, "duplicating the destination");
        for (const char *p = name; slash && p <= slash;) {
                size_t n = strcspn(p, "/");
                char comp[NAME_MAX + 1];
                memcpy(comp, p, n); /* source_clean_name() capped n at NAME_MAX */
                comp[n] = '\0';
                p += n + 1;
                int next = open_dir_nofollow(cur, comp);
                if (next == -ENOENT) {
                        if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST) {
                                int r = -errno;
                                safe_close(cur);
                                return sys_error(x->err, r, name, "creating its directory");
                        }
                        next = open_dir_nofollow(cur, comp);
                        /* umask must not change the tree (the skill hash covers modes). */
                        if (next >= 0 && fchmod(next, 0755) < 0) {
                                int r = -errno;
                                safe_close(next);
                                safe_close(cur);
                                return sys_error(x->err, r, name, "chmod");
                        }
                }
                safe_close(cur);
                if (next == -ELOOP || next == -ENOTDIR || next == -EXDEV)
                        return error_set(x->err, -EPERM,
                                         "'%.200s' would be written through a symlink or below a file", name);
                if (next < 0)
                        return sys_error(x->err, next, name, "opening its directory");
                cur = next;
        }
        return cur;
}

static int conflict(struct extract *x, int r, const char *name, const char *what) {
        if (r == -EEXIST)
                return error_set(x->err, -EPERM, "'%.200s' conflicts with an earlier entry", name);
        return sys_error(x->err, r, name, what);
}

static int make_dir(struct extract *x, int parentfd, const char *leaf, const char *name) {
        if (mkdirat(parentfd, leaf, 0755) < 0) {
                if (errno != EEXIST)
                        return sys_error(x->err, -errno, name, "mkdir");
                /* Created already as the parent of an earlier entry: fine, if a directory. */
                struct stat st;
                if (fstatat(parentfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return sys_error(x->err, -errno, name, "stat");
                if (!S_ISDIR(st.st_mode))
                        return conflict(x, -EEXIST, name, "mkdir");
        }
        if (fchmodat(parentfd, leaf, 0755, 0) < 0) /* leaf is a directory we made: no symlink */
                return sys_error(x->err, -errno, name, "chmod");
        return 0;
}

/* Counted on the bytes libarchive hands out, never on a header's claim: a zip whose header
 * lies about the size must not get further than an honest one. */
static int account(struct extract *x, uint64_t *file_bytes, size_t n, const char *name) {
        *file_bytes += n;
        x->total += n;
        const struct source_archive_limits *lim = x->lim;
        if (*file_bytes > lim->max_file_bytes)
                return error_set(x->err, -E2BIG, "'%.200s' is larger than %llu bytes", name,
                                 (unsigned long long) lim->max_file_bytes);
        if (x->total > lim->max_total_bytes)
                return error_set(x->err, -E2BIG, "the archive holds more than %llu bytes",
                                 (unsigned long long) lim->max_total_bytes);
        uint64_t allowed;
        if (lim->max_ratio && x->total > lim->ratio_floor &&
            !__builtin_mul_overflow(x->archive_bytes, lim->max_ratio, &allowed) && x->total > allowed)
                return error_set(x->err, -E2BIG,
                                 "the archive expands more than %llu times its size (a zip bomb?)",
                                 (unsigned long long) lim->max_ratio);
        return 0;
}

static int write_file(struct extract *x, struct archive_entry *e, int parentfd, const char *leaf,
                      const char *name) {
        if (archive_entry_size_is_set(e) &&
            (uint64_t) archive_entry_size(e) > x->lim->max_file_bytes) /* cheap early refusal */
                return error_set(x->err, -E2BIG, "'%.200s' is larger than %llu bytes", name,
                                 (unsigned long long) x->lim->max_file_bytes);
        _cleanup_close_ int fd =
                openat(parentfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd < 0)
                return conflict(x, -errno, name, "create");
        uint64_t bytes = 0;
        for (;;) {
                la_ssize_t n = archive_read_data(x->a, x->chunk, EXTRACT_CHUNK);
                if (n == 0)
                        break;
                if (n < 0)
                        return error_set(x->err, -EIO, "reading '%.200s': %s", name,
                                         archive_error_string(x->a) ?: "corrupt data");
                int r = account(x, &bytes, (size_t) n, name);
                if (r < 0)
                        return r;
                r = write_all(fd, x->chunk, (size_t) n);
                if (r < 0)
                        return sys_error(x->err, r, name, "write");
        }
        /* Never setuid/setgid/sticky, never writable by others; the owner can always read it
         * (zips from some tools carry mode 0). */
        mode_t mode = (archive_entry_perm(e) & 0755) | 0400;
        if (fchmod(fd, mode) < 0)
                return sys_error(x->err, -errno, name, "chmod");
        return 0;
}

static int make_symlink(struct extract *x, struct archive_entry *e, int parentfd, const char *leaf,
                        const char *name) {
        const char *target = archive_entry_symlink(e);
        if (!target)
                target = archive_entry_symlink_utf8(e);
        if (!target || strlen(target) >= PATH_MAX)
                return error_set(x->err, -EPERM, "symlink '%.200s' has no usable target", name);
        if (!link_rule_ok(name, target))
                return error_set(x->err, -EPERM, "symlink '%.200s' -> '%.200s' leaves the archive", name,
                                 target);
        if (symlinkat(target, parentfd, leaf) < 0)
                return conflict(x, -errno, name, "symlink");
        return 0;
}

static int extract_entry(struct extract *x, struct archive_entry *e) {
        if (++x->entries > x->lim->max_entries)
                return error_set(x->err, -E2BIG, "the archive has more than %llu entries",
                                 (unsigned long long) x->lim->max_entries);
        const char *raw = archive_entry_pathname(e);
        if (!raw)
                raw = archive_entry_pathname_utf8(e);
        mode_t type = archive_entry_filetype(e);
        /* A hard link (tar) can name any file, also one outside the tree when extracted by a
         * careless tool, and makes two names for one content: never. */
        if (archive_entry_hardlink(e))
                return error_set(x->err, -EPERM, "'%.200s' is a hard link", raw ? raw : "?");
        if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK)
                return error_set(x->err, -EPERM, "'%.200s' is a device, FIFO or socket", raw ? raw : "?");
        char name[PATH_MAX];
        int r = source_clean_name(raw, type == AE_IFDIR, x->lim->max_depth, name, sizeof(name), x->err);
        if (r == 1)
                return 0; /* "./": the root */
        if (r < 0)
                return r;
        r = source_names_add(&x->seen, name);
        if (r == 0)
                return error_set(x->err, -EPERM, "'%.200s' appears twice in the archive", name);
        if (r < 0)
                return error_set(x->err, r, "%s", r == -ENOMEM ? "out of memory" : "too many entries");
        const char *leaf;
        _cleanup_close_ int parentfd = open_parent(x, name, &leaf);
        if (parentfd < 0)
                return parentfd;
        if (type == AE_IFDIR)
                return make_dir(x, parentfd, leaf, name);
        if (type == AE_IFLNK)
                return make_symlink(x, e, parentfd, leaf, name);
        return write_file(x, e, parentfd, leaf, name);
}

int source_extract_archive_limited(const char *path, int dstfd, const struct source_archive_limits *lim,
                                   struct error *err) {
        int r = archive_lib_load(err);
        if (r < 0)
                return r;
        /* O_NONBLOCK: a FIFO given by mistake must not hang the open. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return error_set(err, -errno, "%s: %s", path, strerror(errno));
        struct stat st;
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s: %s", path, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EIO, "%s: not a regular file", path);
        _cleanup_(archive_freep) struct archive *a = archive_read_new();
        _cleanup_free_ char *chunk = malloc(EXTRACT_CHUNK);
        if (!a || !chunk)
                return error_set(err, -ENOMEM, "out of memory");
        struct extract x = {
                .a = a, .dstfd = dstfd, .lim = lim, .archive_bytes = (uint64_t) st.st_size,
                .chunk = chunk, .err = err,
        };
        if (source_names_init(&x.seen, lim->max_entries) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
            archive_read_support_format_tar(a) != ARCHIVE_OK ||
            archive_read_support_format_zip(a) != ARCHIVE_OK)
                r = error_set(err, -EIO, "libarchive lacks built-in gzip, tar or zip support");
        else if (archive_read_open_fd(a, fd, EXTRACT_CHUNK) != ARCHIVE_OK)
                r = error_set(err, -EIO, "%s: not a zip or tar archive: %s", path,
                              archive_error_string(a) ?: "unknown format");
        while (r == 0) {
                struct archive_entry *e = NULL;
                int k = archive_read_next_header(a, &e);
                if (k == ARCHIVE_EOF)
                        break;
                /* WARN: e.g. a name not in the locale's charset; the name is checked below. */
                if (k != ARCHIVE_OK && k != ARCHIVE_WARN) {
                        r = error_set(err, -EIO, "%s: corrupt archive: %s", path,
                                      archive_error_string(a) ?: "?");
                        break;
                }
                r = extract_entry(&x, e);
        }
        source_names_done(&x.seen);
        if (r < 0) {
                /* Leave nothing half-extracted that anyone could pick up. */
                int k = source_empty_dir(dstfd, lim->max_depth + 1);
                if (k < 0)
                        error_prefix(err, "(and emptying the destination failed: %s)", strerror(-k));
                return r;
        }
        return 0;
}

int source_extract_archive(const char *path, int dstfd, struct error *err) {
        return source_extract_archive_limited(path, dstfd, &SOURCE_ARCHIVE_LIMITS, err);
}
