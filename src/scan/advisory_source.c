/* Reading OSV documents for an import: a directory tree of *.json, a zip as OSV publishes it
 * (libarchive; entries are only ever read into memory, never extracted), or one JSON file. Every
 * cap on the whole import lives here; parsing and storing is advisory_db.c's job. */
#include "advisory_db.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/macros.h"
#include "../base/fileio.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../skill/archive_lib.h" /* libarchive, loaded on first use */

struct source {
        advisory_doc_fn fn;
        void *userdata;
        size_t *skipped;
        size_t documents;
        uint64_t bytes;
        struct error *err;
};

/* errno as a -errno code with "what: reason" in err. */
static int sys_error(struct error *err, const char *what) {
        int r = -errno;
        return error_set(err, r, "%s: %s", what, strerror(-r));
}

static bool has_json_suffix(const char *name) {
        size_t n = strlen(name);
        return n > 5 && streq(name + n - 5, ".json");
}

/* Bytes read (also of skipped documents) against the cap of the whole import: a zip of many
 * entries just over the per-file cap must not keep us decompressing for hours. */
static int source_account(struct source *s, size_t len) {
        s->bytes += len;
        if (s->bytes > ADVISORY_IMPORT_BYTES_MAX)
                return error_set(s->err, -E2BIG, "more than %llu bytes of advisories in one import",
                                 (unsigned long long) ADVISORY_IMPORT_BYTES_MAX);
        return 0;
}

/* Count one more document against the caps of the whole import, then hand it on. */
static int source_emit(struct source *s, const char *name, const char *data, size_t len) {
        if (++s->documents > ADVISORY_IMPORT_DOCS_MAX)
                return error_set(s->err, -E2BIG, "more than %u advisory documents in one import",
                                 ADVISORY_IMPORT_DOCS_MAX);
        int r = s->fn(s->userdata, name, data, len);
        if (r < 0)
                return error_set(s->err, r, "importing %s: %s", name, strerror(-r));
        return 0;
}

/* A zip entry name that could climb out of a directory if anyone ever extracted it: absolute, or
 * a ".." component with either slash as the separator. Such an archive was not made by OSV. */
static bool zip_name_is_unsafe(const char *name) {
        if (!*name || name[0] == '/' || name[0] == '\\')
                return true;
        for (const char *p = name; *p;) {
                size_t len = strcspn(p, "/\\");
                if (len == 2 && p[0] == '.' && p[1] == '.')
                        return true;
                p += len;
                if (*p)
                        p++;
        }
        return false;
}

static void archive_freep(struct archive **a) {
        if (*a)
                archive_read_free(*a);
}

/* Read the current entry into out (capped). 1 = read, 0 = skipped (too large or unreadable
 * entry), -errno = the archive itself is broken. */
static int zip_read_entry(struct archive *a, struct archive_entry *e, struct buf *out, struct error *err) {
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t) ADVISORY_FILE_MAX)
                return archive_read_data_skip(a) == ARCHIVE_FATAL
                               ? error_set(err, -EIO, "reading zip: %s", archive_error_string(a))
                               : 0;
        char chunk[65536];
        for (;;) {
                la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));
                if (n == 0)
                        return 1;
                if (n == ARCHIVE_FATAL)
                        return error_set(err, -EIO, "reading zip: %s", archive_error_string(a));
                if (n < 0) /* a bad CRC, an unsupported method or encryption: this entry only */
                        return 0;
                int r = buf_append(out, chunk, (size_t) n);
                if (r == -E2BIG)
                        return archive_read_data_skip(a) == ARCHIVE_FATAL
                                       ? error_set(err, -EIO, "reading zip: %s", archive_error_string(a))
                                       : 0;
                if (r < 0)
                        return error_set(err, r, "out of memory");
        }
}

static int read_zip(struct source *s, int fd, const char *path) {
        int lr = archive_lib_load(s->err);
        if (lr < 0)
                return lr;
        _cleanup_(archive_freep) struct archive *a = archive_read_new();
        if (!a)
                return error_set(s->err, -ENOMEM, "out of memory");
        if (archive_read_support_format_zip(a) != ARCHIVE_OK ||
            archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK)
                return error_set(s->err, -EIO, "%s: not a readable zip: %s", path, archive_error_string(a));
        size_t entries = 0;
        for (;;) {
                struct archive_entry *e = NULL;
                int r = archive_read_next_header(a, &e);
                if (r == ARCHIVE_EOF)
                        return 0;
                if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
                        return error_set(s->err, -EIO, "%s: corrupt zip: %s", path, archive_error_string(a));
                if (++entries > ADVISORY_ZIP_ENTRIES_MAX)
                        return error_set(s->err, -E2BIG, "%s: more than %u zip entries", path,
                                         ADVISORY_ZIP_ENTRIES_MAX);
                const char *name = archive_entry_pathname(e);
                if (archive_entry_filetype(e) != AE_IFREG)
                        continue;
                if (!name || zip_name_is_unsafe(name)) {
                        (*s->skipped)++;
                        continue;
                }
                if (!has_json_suffix(name))
                        continue;
                _cleanup_buf_ struct buf data = BUF_INIT(ADVISORY_FILE_MAX);
                r = zip_read_entry(a, e, &data, s->err);
                if (r < 0)
                        return r;
                int k = source_account(s, data.len);
                if (k < 0)
                        return k;
                if (r == 0) {
                        (*s->skipped)++;
                        continue;
                }
                r = source_emit(s, name, data.data ? data.data : "", data.len);
                if (r < 0)
                        return r;
        }
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Names in one directory, sorted so an import is deterministic (a later duplicate id wins). */
static int list_dir(int dirfd, const char *label, char ***ret, size_t *ret_n, struct error *err) {
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return sys_error(err, label);
        DIR *d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return error_set(err, r, "%s: %s", label, strerror(-r));
        }
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = 0;
        for (;;) {
                errno = 0;
                struct dirent *de = readdir(d);
                if (!de) {
                        if (errno)
                                r = sys_error(err, label);
                        break;
                }
                if (de->d_name[0] == '.') /* ".", "..", and hidden entries such as .git */
                        continue;
                if (n >= ADVISORY_IMPORT_DOCS_MAX) {
                        r = error_set(err, -E2BIG, "%s: more than %u entries", label, ADVISORY_IMPORT_DOCS_MAX);
                        break;
                }
                if (strv_pushn(&names, &n, de->d_name, strlen(de->d_name)) < 0) {
                        r = error_set(err, -ENOMEM, "out of memory");
                        break;
                }
        }
        closedir(d);
        if (r < 0)
                return r;
        if (n)
                qsort(names, n, sizeof(*names), cmp_names);
        *ret = TAKE_PTR(names);
        *ret_n = n;
        return 0;
}

/* Depth-first over a directory tree; the recursion is bounded by ADVISORY_DIR_DEPTH_MAX. */
static int walk_dir(struct source *s, int dirfd, const char *label, unsigned depth) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = list_dir(dirfd, label, &names, &n, s->err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *sub = path_join(label, names[i]);
                if (!sub)
                        return error_set(s->err, -ENOMEM, "out of memory");
                struct stat st;
                if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return sys_error(s->err, sub);
                if (S_ISDIR(st.st_mode)) {
                        if (depth + 1 > ADVISORY_DIR_DEPTH_MAX)
                                return error_set(s->err, -ELOOP, "%s: directories nested more than %d deep",
                                                 sub, ADVISORY_DIR_DEPTH_MAX);
                        _cleanup_close_ int fd =
                                openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (fd < 0)
                                return sys_error(s->err, sub);
                        r = walk_dir(s, fd, sub, depth + 1);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!S_ISREG(st.st_mode) || !has_json_suffix(names[i]))
                        continue; /* symlinks, sockets, READMEs */
                _cleanup_free_ char *data = NULL;
                size_t len = 0;
                r = read_file_at_bounded(dirfd, names[i], ADVISORY_FILE_MAX, &data, &len);
                if (r == -EFBIG) {
                        (*s->skipped)++;
                        continue;
                }
                if (r < 0)
                        return error_set(s->err, r, "%s: %s", sub, strerror(-r));
                r = source_account(s, len);
                if (r < 0)
                        return r;
                r = source_emit(s, sub, data, len);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool is_zip(int fd, const char *path) {
        size_t n = strlen(path);
        if (n >= 4 && strcasecmp(path + n - 4, ".zip") == 0)
                return true;
        unsigned char magic[4];
        if (pread(fd, magic, sizeof(magic), 0) != (ssize_t) sizeof(magic))
                return false;
        /* local file header, or the end-of-central-directory record of an empty archive */
        return magic[0] == 'P' && magic[1] == 'K' &&
               ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

int advisory_source_read(const char *path, advisory_doc_fn fn, void *userdata, size_t *skipped,
                         struct error *err) {
        struct source s = { .fn = fn, .userdata = userdata, .skipped = skipped, .err = err };
        /* O_NONBLOCK: a FIFO given by mistake must not hang the open. */
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return sys_error(err, path);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return sys_error(err, path);
        if (S_ISDIR(st.st_mode))
                return walk_dir(&s, fd, path, 0);
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "%s: not a directory, zip or JSON file", path);
        if (is_zip(fd, path))
                return read_zip(&s, fd, path);
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = read_fd_bounded(fd, ADVISORY_FILE_MAX, &data, &len);
        if (r == -EFBIG) {
                (*skipped)++;
                return 0;
        }
        if (r < 0)
                return error_set(err, r, "%s: %s", path, strerror(-r));
        return source_emit(&s, path, data, len);
}
