/* Integrity of installed skills (integrity.h): the manifest of a tree (built by skill_hash.c's
 * walker, so its tree hash is skill_hash_dir()'s), its JSON form, the comparison of two manifests,
 * verification of a skill directory against its record, and the per-user HMAC key. */
#include "integrity.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/macros.h"
#include "../base/utf8.h"
#include "link_rule.h"
#include "skill_hash.h"
#include "state_db_internal.h"

#define KEY_NAME "state.key"
/* a manifest path: SKILL_HASH_MAX_DEPTH + 1 names of at most 255 bytes and their slashes */
#define MANIFEST_PATH_MAX ((SKILL_HASH_MAX_DEPTH + 1) * 256)

/* ---- manifests ------------------------------------------------------------------------------ */

void integrity_manifest_done(struct integrity_manifest *m) {
        if (!m)
                return;
        for (size_t i = 0; i < m->n; i++)
                free(m->v[i].path);
        free(m->v);
        *m = (struct integrity_manifest) { 0 };
}

/* Walk order as one comparison: bytewise, with the end of a path below '/' below every other
 * byte, so "a" < "a/b" < "a-c" exactly as a pre-order walk with sorted siblings visits them. */
static int path_cmp(const char *a, const char *b) {
        for (;; a++, b++) {
                int ca = *a == '\0' ? 0 : *a == '/' ? 1 : (unsigned char) *a + 2;
                int cb = *b == '\0' ? 0 : *b == '/' ? 1 : (unsigned char) *b + 2;
                if (ca != cb || ca == 0)
                        return ca - cb;
        }
}

static bool is_hex_digest(const char *s) {
        if (strlen(s) != SHA256_HEX_BYTES - 1)
                return false;
        for (const char *c = s; *c; c++)
                if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
                        return false;
        return true;
}

static int manifest_visit(const struct skill_hash_entry *e, void *userdata, struct error *err) {
        struct integrity_manifest *m = userdata;
        if (!utf8_is_valid(e->path, strlen(e->path))) {
                _cleanup_json_ json_t *shown = json_stringn_lossy(e->path, strlen(e->path));
                return error_set(err, -EILSEQ, "%s: the name is not valid UTF-8",
                                 shown ? json_string_value(shown) : "?");
        }
        uint8_t d[SHA256_DIGEST_BYTES];
        const uint8_t *digest = e->digest;
        if (e->type == 'o')
                return error_set(err, -EPERM, "%s: a %s is not allowed in an installed skill", e->path,
                                 e->format == S_IFIFO   ? "FIFO"
                                 : e->format == S_IFSOCK ? "socket"
                                                         : "device");
        if (e->type == 'l') {
                const char *why = link_rule_refusal(e->target, e->depth);
                if (why)
                        return error_set(err, -EPERM, "%s: the symbolic link to \"%s\" %s", e->path, e->target,
                                         why);
                int r = sha256_buffer(e->target, (size_t) e->size, d);
                if (r < 0)
                        return r;
                digest = d;
        }
        if (m->n % 64 == 0) {
                struct integrity_entry *v = reallocarray(m->v, m->n + 64, sizeof(*v));
                if (!v)
                        return -ENOMEM;
                m->v = v;
        }
        struct integrity_entry *ent = &m->v[m->n];
        *ent = (struct integrity_entry) { .type = e->type, .mode = e->mode, .size = e->size };
        if (!(ent->path = strdup(e->path)))
                return -ENOMEM;
        if (digest)
                sha256_to_hex(digest, ent->digest);
        m->n++;
        return 0;
}

int integrity_manifest_build(int dirfd, struct integrity_manifest *ret, struct error *err) {
        struct integrity_manifest m = { 0 };
        int r = skill_hash_walk(dirfd, manifest_visit, &m, m.tree_hash, err);
        if (r < 0) {
                integrity_manifest_done(&m);
                return r;
        }
        *ret = m;
        return 0;
}

json_t *integrity_manifest_to_json(const struct integrity_manifest *m) {
        _cleanup_json_ json_t *arr = json_array();
        if (!arr)
                return NULL;
        for (size_t i = 0; i < m->n; i++) {
                const struct integrity_entry *e = &m->v[i];
                char type[2] = { e->type, '\0' };
                json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s}", "path", e->path, "type", type, "mode",
                                      (json_int_t) e->mode, "size", (json_int_t) e->size, "digest", e->digest);
                if (!o || json_array_append_new(arr, o) < 0)
                        return NULL;
        }
        return TAKE_PTR(arr);
}

/* "a/b/c": names separated by single slashes, none empty, "." or "..". */
static bool path_is_canonical(const char *p) {
        for (;;) {
                size_t n = strcspn(p, "/");
                if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
                        return false;
                if (!p[n])
                        return true;
                p += n + 1;
        }
}

static int entry_from_json(const json_t *o, size_t i, struct integrity_entry *ret, struct error *err) {
        const json_t *path = json_object_get(o, "path"), *type = json_object_get(o, "type"),
                     *mode = json_object_get(o, "mode"), *size = json_object_get(o, "size"),
                     *digest = json_object_get(o, "digest");
        if (!json_is_object(o) || json_object_size(o) != 5 || !json_is_string(path) || !json_is_string(type) ||
            !json_is_integer(mode) || !json_is_integer(size) || !json_is_string(digest))
                return error_set(err, -EBADMSG, "manifest entry %zu: not {path, type, mode, size, digest}", i);
        const char *p = json_string_value(path), *t = json_string_value(type), *d = json_string_value(digest);
        size_t plen = json_string_length(path);
        if (plen > MANIFEST_PATH_MAX || strlen(p) != plen || !path_is_canonical(p) || !utf8_is_valid(p, plen))
                return error_set(err, -EBADMSG, "manifest entry %zu: a malformed path", i);
        if (json_string_length(type) != 1 || !strchr("dfl", t[0]))
                return error_set(err, -EBADMSG, "manifest entry %zu: unknown type", i);
        json_int_t mo = json_integer_value(mode), sz = json_integer_value(size);
        if (mo < 0 || mo > 07777 || (t[0] == INTEGRITY_LINK && mo != 0))
                return error_set(err, -EBADMSG, "manifest entry %zu: a bad mode", i);
        if (sz < 0 || (t[0] == INTEGRITY_DIR && sz != 0))
                return error_set(err, -EBADMSG, "manifest entry %zu: a bad size", i);
        if (t[0] == INTEGRITY_DIR ? d[0] != '\0' : !is_hex_digest(d))
                return error_set(err, -EBADMSG, "manifest entry %zu: a bad digest", i);
        *ret = (struct integrity_entry) { .type = t[0], .mode = (uint32_t) mo, .size = (uint64_t) sz };
        snprintf(ret->digest, sizeof(ret->digest), "%s", d);
        if (!(ret->path = strdup(p)))
                return -ENOMEM;
        return 0;
}

int integrity_manifest_from_json(const json_t *j, struct integrity_manifest *ret, struct error *err) {
        if (!json_is_array(j))
                return error_set(err, -EBADMSG, "the manifest is not an array");
        size_t n = json_array_size(j);
        if (n > SKILL_HASH_MAX_ENTRIES)
                return error_set(err, -EBADMSG, "the manifest has more than %d entries", SKILL_HASH_MAX_ENTRIES);
        struct integrity_manifest m = { .v = calloc(n ? n : 1, sizeof(struct integrity_entry)) };
        if (!m.v)
                return -ENOMEM;
        int r = 0;
        for (size_t i = 0; i < n && r >= 0; i++) {
                r = entry_from_json(json_array_get(j, i), i, &m.v[i], err);
                if (r < 0)
                        break;
                m.n++;
                if (i > 0 && path_cmp(m.v[i - 1].path, m.v[i].path) >= 0)
                        r = error_set(err, -EBADMSG, "manifest entry %zu: out of order or repeated", i);
        }
        if (r < 0) {
                integrity_manifest_done(&m);
                return r;
        }
        *ret = m;
        return 0;
}

/* ---- comparison ----------------------------------------------------------------------------- */

static int change_append(json_t *arr, const char *path, const char *change) {
        json_t *o = json_pack("{s:s, s:s}", "path", path, "change", change);
        return o && json_array_append_new(arr, o) == 0 ? 0 : -ENOMEM;
}

json_t *integrity_compare(const struct integrity_manifest *recorded, const struct integrity_manifest *now) {
        _cleanup_json_ json_t *out = json_array();
        if (!out)
                return NULL;
        size_t i = 0, k = 0;
        while (i < recorded->n || k < now->n) {
                const struct integrity_entry *a = i < recorded->n ? &recorded->v[i] : NULL;
                const struct integrity_entry *b = k < now->n ? &now->v[k] : NULL;
                int c = !a ? 1 : !b ? -1 : path_cmp(a->path, b->path);
                const char *change = NULL;
                if (c < 0) {
                        change = "removed";
                        i++;
                } else if (c > 0) {
                        change = "added";
                        k++;
                } else {
                        if (a->type != b->type)
                                change = "type";
                        else if (a->size != b->size || !streq(a->digest, b->digest))
                                change = "modified";
                        else if (a->mode != b->mode)
                                change = "mode";
                        i++, k++;
                }
                if (change && change_append(out, c > 0 ? b->path : a->path, change) < 0)
                        return NULL;
        }
        return TAKE_PTR(out);
}

/* ---- verification --------------------------------------------------------------------------- */

void integrity_result_done(struct integrity_result *r) {
        if (!r)
                return;
        json_decref(r->changes);
        *r = (struct integrity_result) { 0 };
}

const char *integrity_status_to_string(enum integrity_status s) {
        switch (s) {
        case INTEGRITY_OK:
                return "ok";
        case INTEGRITY_NOT_INSTALLED:
                return "not_installed";
        case INTEGRITY_CHANGED:
                return "changed";
        case INTEGRITY_BAD_RECORD:
                return "bad_record";
        }
        return "unknown";
}

static void installed_skill_donep(struct installed_skill *s) {
        installed_skill_done(s);
}

static void manifest_donep(struct integrity_manifest *m) {
        integrity_manifest_done(m);
}

int integrity_verify_dir(struct state_db *db, const char *skill_dir, struct integrity_result *ret,
                         struct error *err) {
        _cleanup_free_ char *real = realpath(skill_dir, NULL);
        if (!real)
                return error_set(err, -errno, "%s: %s", skill_dir, strerror(errno));
        char *slash = strrchr(real, '/');
        if (!slash || !slash[1])
                return error_set(err, -EINVAL, "%s: not a skill directory", skill_dir);
        _cleanup_free_ char *parent = slash == real ? strdup("/") : strndup(real, (size_t) (slash - real));
        if (!parent)
                return -ENOMEM;
        const char *name = slash + 1;
        _cleanup_close_ int fd = open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return error_set(err, -errno, "%s: %s", real, strerror(errno));

        struct integrity_result res = { .status = INTEGRITY_NOT_INSTALLED };
        _cleanup_(installed_skill_donep) struct installed_skill rec = { 0 };
        struct error gerr = ERROR_INIT;
        int r = installed_get(db, parent, name, &rec, &gerr);
        if (r == -EBADMSG) {
                res.status = INTEGRITY_BAD_RECORD;
                *ret = res;
                return 0;
        }
        if (r < 0)
                return error_set(err, r, "%s", gerr.msg);
        if (r == 0) {
                *ret = res;
                return 0;
        }
        _cleanup_(manifest_donep) struct integrity_manifest now = { 0 };
        if ((r = integrity_manifest_build(fd, &now, err)) < 0)
                return r;
        _cleanup_json_ json_t *changes = integrity_compare(&rec.manifest, &now);
        if (!changes)
                return -ENOMEM;
        memcpy(res.tree_hash, now.tree_hash, sizeof(res.tree_hash));
        if (json_array_size(changes) == 0 && streq(rec.manifest.tree_hash, now.tree_hash))
                res.status = INTEGRITY_OK;
        else {
                res.status = INTEGRITY_CHANGED;
                res.changes = TAKE_PTR(changes);
        }
        *ret = res;
        return 0;
}

/* ---- the key -------------------------------------------------------------------------------- */

/* 0 with the key, -ENOENT (err untouched) when there is none, or -errno with err set. */
static int key_read(int dirfd, const char *dir, uint8_t key[INTEGRITY_KEY_BYTES], struct error *err) {
        /* O_NONBLOCK: a FIFO planted as the key must be refused, not waited on */
        _cleanup_close_ int fd = openat(dirfd, KEY_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT)
                        return -ENOENT;
                if (errno == ELOOP)
                        return error_set(err, -EPERM, "%s/%s: the integrity key is a symbolic link; refusing it",
                                         dir, KEY_NAME);
                return error_set(err, -errno, "%s/%s: %s", dir, KEY_NAME, strerror(errno));
        }
        struct stat st;
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "%s/%s: %s", dir, KEY_NAME, strerror(errno));
        if (!S_ISREG(st.st_mode))
                return error_set(err, -EPERM, "%s/%s: the integrity key is not a regular file; refusing it", dir,
                                 KEY_NAME);
        if (st.st_uid != geteuid())
                return error_set(err, -EPERM, "%s/%s: the integrity key is owned by uid %u, not by you; refusing it",
                                 dir, KEY_NAME, (unsigned) st.st_uid);
        if (st.st_mode & 077)
                return error_set(err, -EPERM,
                                 "%s/%s: the integrity key is accessible to group or others (mode %04o); refusing "
                                 "it (it should be 0600)",
                                 dir, KEY_NAME, (unsigned) (st.st_mode & 07777));
        if (st.st_size != INTEGRITY_KEY_BYTES)
                return error_set(err, -EPERM, "%s/%s: the integrity key is %lld bytes, not %d; refusing it", dir,
                                 KEY_NAME, (long long) st.st_size, INTEGRITY_KEY_BYTES);
        uint8_t buf[INTEGRITY_KEY_BYTES + 1];
        size_t got = 0;
        while (got < sizeof(buf)) {
                ssize_t k = read_retry(fd, buf + got, sizeof(buf) - got);
                if (k < 0) {
                        explicit_bzero(buf, sizeof(buf));
                        return error_set(err, (int) k, "%s/%s: %s", dir, KEY_NAME, strerror((int) -k));
                }
                if (k == 0)
                        break;
                got += (size_t) k;
        }
        if (got != INTEGRITY_KEY_BYTES) {
                explicit_bzero(buf, sizeof(buf));
                return error_set(err, -EPERM, "%s/%s: the integrity key changed size while read; refusing it", dir,
                                 KEY_NAME);
        }
        memcpy(key, buf, INTEGRITY_KEY_BYTES);
        explicit_bzero(buf, sizeof(buf));
        return 0;
}

static int fill_random(void *p, size_t n) {
        for (size_t got = 0; got < n;) {
                ssize_t k = getrandom((uint8_t *) p + got, n - got, 0);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                got += (size_t) k;
        }
        return 0;
}

/* Write a fresh key to a private temp file, then link it into place: link() never replaces, so
 * when two first runs race, one key wins and both read it; nobody ever sees a short key. */
static int key_create(int dirfd, const char *dir, struct error *err) {
        struct {
                uint8_t key[INTEGRITY_KEY_BYTES];
                uint32_t tag;
        } fresh;
        int r = fill_random(&fresh, sizeof(fresh));
        if (r < 0)
                return error_set(err, r, "getrandom: %s", strerror(-r));
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%08x", KEY_NAME, (long) getpid(), (unsigned) fresh.tag);
        _cleanup_close_ int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                r = -errno;
                explicit_bzero(&fresh, sizeof(fresh));
                return error_set(err, r, "%s/%s: creating the integrity key: %s", dir, tmp, strerror(-r));
        }
        /* the umask may have taken the owner's bits too */
        r = fchmod(fd, 0600) < 0 ? -errno : 0;
        if (r >= 0)
                r = write_all(fd, fresh.key, sizeof(fresh.key));
        explicit_bzero(&fresh, sizeof(fresh));
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && linkat(dirfd, tmp, dirfd, KEY_NAME, 0) < 0) {
                if (errno == EEXIST)
                        r = 0; /* another run won the race: its key is the key */
                else if (errno == EPERM || errno == EOPNOTSUPP) {
                        /* no hard links on this file system: an exclusive rename does the same */
                        if (renameat2(dirfd, tmp, dirfd, KEY_NAME, RENAME_NOREPLACE) < 0 && errno != EEXIST)
                                r = -errno;
                } else
                        r = -errno;
        }
        unlinkat(dirfd, tmp, 0);
        if (r >= 0 && fsync(dirfd) < 0)
                r = -errno;
        if (r < 0)
                return error_set(err, r, "%s/%s: creating the integrity key: %s", dir, KEY_NAME, strerror(-r));
        return 0;
}

int integrity_key_load(uint8_t key[INTEGRITY_KEY_BYTES], struct error *err) {
        _cleanup_free_ char *dir = NULL;
        int r = state_db_dir(true, &dir, err);
        if (r < 0)
                return r;
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return error_set(err, -errno, "%s: %s", dir, strerror(errno));
        r = key_read(dirfd, dir, key, err);
        if (r != -ENOENT)
                return r;
        if ((r = key_create(dirfd, dir, err)) < 0)
                return r;
        r = key_read(dirfd, dir, key, err);
        return r == -ENOENT ? error_set(err, -EIO, "%s/%s: the integrity key vanished", dir, KEY_NAME) : r;
}
