/* The environment store: where environments live, the per-key lock, "find or build" for a
 * skill, and listing/removal for clean-env. Layout of the root (0700):
 *   python-<key>/, node-<key>/    completed environments (the only names that count)
 *   .tmp-<name>-XXXXXX/           a build in progress, or the remains of a crashed one
 *   .trash-<name>-XXXXXX/         an environment being removed
 *   .lock-<name>                  flock()ed while building or removing <name>
 *   .log-<name>.txt               the installer's output of the last failed build
 *   .runtime-<id>                 cached interpreter versions */
#include "env.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/path.h"
#include "../base/xdg.h"

#define LOCK_PREFIX ".lock-"
#define TMP_PREFIX ".tmp-"
#define TRASH_PREFIX ".trash-"
#define LOG_PREFIX ".log-"
#define ENV_LIST_MAX 100000 /* entries of the root directory looked at */

/* ---- the root ------------------------------------------------------------------------------- */

static int mkdir_p(const char *path, mode_t mode) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++) {
                if (*s != '/')
                        continue;
                *s = '\0';
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        if (mkdir(p, mode) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

int env_root(const char *explicit_root, bool create, char **ret) {
        const char *dir = explicit_root && *explicit_root ? explicit_root : getenv(ENV_DIR_VAR);
        if (!dir || !*dir)
                return xdg_path(XDG_CACHE, "envs", create, ret);
        char *path = NULL;
        if (dir[0] == '/')
                path = strdup(dir);
        else {
                /* the path is handed to the sandbox's pid 1 as a bind source: make it absolute */
                _cleanup_free_ char *cwd = getcwd(NULL, 0);
                path = cwd ? path_join(cwd, dir) : NULL;
        }
        if (!path)
                return -ENOMEM;
        int r = create ? mkdir_p(path, 0700) : 0;
        if (r < 0) {
                free(path);
                return r;
        }
        *ret = path;
        return 0;
}

static bool is_dir(const char *path) {
        struct stat st;
        return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- locks ---------------------------------------------------------------------------------- */

/* flock() on root/.lock-<name>. Returns the fd, -EWOULDBLOCK when !wait and someone holds it, or
 * -errno. A lock file removed and re-created while we waited (env_remove() unlinks it) is a
 * different lock: take the one that is at the path now. */
static int lock_take(const char *root, const char *name, bool wait) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/" LOCK_PREFIX "%s", root, name) < 0)
                return -ENOMEM;
        for (int tries = 0; tries < 64; tries++) {
                _cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        return -errno;
                int r;
                while ((r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) < 0 && errno == EINTR)
                        ;
                if (r < 0)
                        return errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
                struct stat a, b;
                if (fstat(fd, &a) < 0)
                        return -errno;
                if (stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
                        return TAKE_FD(fd);
        }
        return -EAGAIN;
}

/* Drop a lock and, when we are done with name for good, its file (while still holding it, so a
 * waiter sees the inode change and starts over). */
static void lock_release(const char *root, const char *name, int fd, bool unlink_file) {
        if (unlink_file) {
                _cleanup_free_ char *path = NULL;
                if (asprintf(&path, "%s/" LOCK_PREFIX "%s", root, name) >= 0)
                        unlink(path);
        }
        safe_close(fd);
}

/* ---- find or build -------------------------------------------------------------------------- */

static uint64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static void progress(const struct env_options *o, enum env_event ev, const struct env_spec *s, uint64_t ms) {
        if (!o || !o->progress)
                return;
        struct env_progress p = { ev, s->lang, s->name, s->n_reqs, ms };
        o->progress(&p, o->userdata);
}

/* Remains of builds of name that died (we hold its lock, so none of them is running). */
static void remove_stale_builds(const char *root, const char *name) {
        DIR *d = opendir(root);
        if (!d)
                return;
        size_t plen = strlen(TMP_PREFIX), nlen = strlen(name);
        struct dirent *e;
        for (size_t seen = 0; (e = readdir(d)) && seen < ENV_LIST_MAX; seen++) {
                if (!strneq(e->d_name, TMP_PREFIX, plen) || !strneq(e->d_name + plen, name, nlen) ||
                    e->d_name[plen + nlen] != '-')
                        continue;
                _cleanup_free_ char *path = path_join(root, e->d_name);
                if (path)
                        env_rm_tree(path);
        }
        closedir(d);
}

static int ensure(const char *root, const struct skill *s, const struct env_spec *spec,
                  const struct host_caps *host, const struct env_options *o, char **ret, struct error *err) {
        _cleanup_free_ char *final = path_join(root, spec->name);
        if (!final)
                return error_set(err, -ENOMEM, "out of memory");
        if (is_dir(final)) {
                *ret = TAKE_PTR(final);
                return 0;
        }
        if (o && o->no_build)
                return error_set(err, -ENOENT, "the %s environment of '%s' (%s) is not built yet",
                                 env_lang_to_string(spec->lang), s->name, spec->name);
        if (!host->userns || host->landlock_abi < 1 || !host->seccomp)
                return error_set(err, -ENOTSUP, "dependency environments are built inside the sandbox, "
                                 "which is not available on this host (see 'skilllite doctor')");
        int fd = lock_take(root, spec->name, false);
        if (fd == -EWOULDBLOCK) {
                progress(o, ENV_EVENT_WAITING, spec, 0);
                fd = lock_take(root, spec->name, true);
        }
        if (fd < 0)
                return error_set(err, fd, "locking %s/" LOCK_PREFIX "%s: %s", root, spec->name, strerror(-fd));
        int r = 0;
        if (!is_dir(final)) { /* nobody finished it while we waited */
                remove_stale_builds(root, spec->name);
                progress(o, ENV_EVENT_BUILDING, spec, 0);
                uint64_t t0 = now_ms();
                r = env_build(root, spec, host, err);
                progress(o, r < 0 ? ENV_EVENT_FAILED : ENV_EVENT_BUILT, spec, now_ms() - t0);
        }
        lock_release(root, spec->name, fd, false);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(final);
        return 0;
}

int env_prepare(const struct skill *s, const struct host_caps *host, const struct env_options *o,
                struct env_ref *ret, struct error *err) {
        /* Skills without dependencies (most) need no store at all: no HOME is fine for them, and
         * nothing is created. */
        _cleanup_free_ char *root = NULL;
        int r = env_root(o ? o->root : NULL, false, &root);
        struct env_spec specs[2] = { 0 };
        int mask = env_skill_specs(s, host, r < 0 ? NULL : root, specs, err);
        if (mask <= 0)
                return mask;
        if (r == 0) {
                free(root);
                root = NULL;
                r = env_root(o ? o->root : NULL, true, &root);
        }
        if (r < 0) {
                env_spec_done(&specs[0]);
                env_spec_done(&specs[1]);
                return error_set(err, r, "skill '%s' has dependencies, but there is no environment directory "
                                 "(%s, or under XDG_CACHE_HOME or HOME): %s", s->name, ENV_DIR_VAR, strerror(-r));
        }
        struct env_ref ref = { 0 };
        for (int l = 0; r >= 0 && l < 2; l++) {
                if (!(mask & (1 << l)))
                        continue;
                char **dir = l == ENV_PYTHON ? &ref.python_dir : &ref.node_dir;
                r = ensure(root, s, &specs[l], host, o, dir, err);
                snprintf(l == ENV_PYTHON ? ref.python_name : ref.node_name, ENV_NAME_MAX, "%s", specs[l].name);
        }
        env_spec_done(&specs[0]);
        env_spec_done(&specs[1]);
        if (r < 0) {
                env_ref_done(&ref);
                return r;
        }
        *ret = ref;
        return 1;
}

void env_ref_done(struct env_ref *r) {
        free(r->python_dir);
        free(r->node_dir);
        *r = (struct env_ref) { 0 };
}

void env_ref_apply(const struct env_ref *r, struct run_options *o) {
        o->env_python = r->python_dir;
        o->env_node = r->node_dir;
        o->env_build = false;
}

/* ---- listing and removal -------------------------------------------------------------------- */

static bool is_env_name(const char *n) {
        const char *hex = strneq(n, "python-", 7) ? n + 7 : strneq(n, "node-", 5) ? n + 5 : NULL;
        if (!hex || strlen(hex) != SHA256_HEX_BYTES - 1)
                return false;
        return strspn(hex, "0123456789abcdef") == SHA256_HEX_BYTES - 1;
}

/* "<prefix><env name><suffix>": the environment name in out, or false. */
static bool owner_of(const char *n, const char *prefix, char sep, char out[ENV_NAME_MAX]) {
        size_t plen = strlen(prefix);
        if (!strneq(n, prefix, plen))
                return false;
        const char *start = n + plen;
        const char *end = sep == '.' ? strrchr(start, '.') : strrchr(start, '-');
        size_t len = end ? (size_t) (end - start) : 0;
        if (!end || len == 0 || len >= ENV_NAME_MAX || !end[1])
                return false;
        memcpy(out, start, len);
        out[len] = '\0';
        return is_env_name(out) && (sep != '.' || streq(end, ".txt"));
}

/* What our builds and removals leave: .tmp-<env>-X, .trash-<env>-X, .log-<env>.txt. */
static bool is_leftover_name(const char *n) {
        char owner[ENV_NAME_MAX];
        return owner_of(n, TMP_PREFIX, '-', owner) || owner_of(n, TRASH_PREFIX, '-', owner) ||
               owner_of(n, LOG_PREFIX, '.', owner);
}

static uint64_t tree_bytes_acc;
static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) path, (void) ftw;
        if (flag == FTW_F && S_ISREG(st->st_mode))
                tree_bytes_acc += (uint64_t) st->st_size;
        return 0;
}

static uint64_t tree_bytes(const char *path) {
        tree_bytes_acc = 0;
        if (nftw(path, add_size, 16, FTW_PHYS | FTW_MOUNT) < 0) {
                /* a partial sum is still the best estimate */
        }
        return tree_bytes_acc;
}

static int entry_cmp(const void *a, const void *b) {
        return strcmp(((const struct env_entry *) a)->name, ((const struct env_entry *) b)->name);
}

void env_list_done(struct env_list *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->v[i].name);
        free(l->v);
        *l = (struct env_list) { 0 };
}

int env_list(const char *root, struct env_list *ret, struct error *err) {
        struct env_list l = { 0 };
        DIR *d = opendir(root);
        if (!d) {
                if (errno == ENOENT) {
                        *ret = l;
                        return 0;
                }
                return error_set(err, -errno, "reading %s: %s", root, strerror(errno));
        }
        struct dirent *e;
        int r = 0;
        for (size_t seen = 0; r == 0 && (e = readdir(d)) && seen < ENV_LIST_MAX; seen++) {
                bool complete = is_env_name(e->d_name);
                if (!complete && !is_leftover_name(e->d_name))
                        continue; /* locks, caches, and anything we did not create */
                struct env_entry *grown = reallocarray(l.v, l.n + 1, sizeof(*grown));
                _cleanup_free_ char *path = path_join(root, e->d_name);
                char *name = strdup(e->d_name);
                if (!grown || !path || !name) {
                        free(name);
                        r = -ENOMEM;
                        break;
                }
                l.v = grown;
                l.v[l.n++] = (struct env_entry) { name, tree_bytes(path), complete };
        }
        closedir(d);
        if (r < 0) {
                env_list_done(&l);
                return error_set(err, r, "out of memory");
        }
        if (l.n > 1)
                qsort(l.v, l.n, sizeof(*l.v), entry_cmp);
        *ret = l;
        return 0;
}

int env_remove(const char *root, const char *name, struct error *err) {
        if (!*name || strchr(name, '/') || (!is_env_name(name) && !is_leftover_name(name)))
                return error_set(err, -EINVAL, "'%s' is not an environment name", name);
        _cleanup_free_ char *path = path_join(root, name);
        if (!path)
                return error_set(err, -ENOMEM, "out of memory");
        if (!is_dir(root))
                return 1; /* no store yet: nothing to remove */
        int r = 0;
        if (strneq(name, LOG_PREFIX, strlen(LOG_PREFIX))) {
                r = unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        } else if (strneq(name, TRASH_PREFIX, strlen(TRASH_PREFIX))) {
                r = env_rm_tree(path); /* a removal that was interrupted */
        } else if (strneq(name, TMP_PREFIX, strlen(TMP_PREFIX))) {
                char owner[ENV_NAME_MAX];
                if (!owner_of(name, TMP_PREFIX, '-', owner))
                        return error_set(err, -EINVAL, "'%s' is not a build directory", name);
                int fd = lock_take(root, owner, false);
                if (fd == -EWOULDBLOCK)
                        return 0; /* a build is using it */
                if (fd < 0)
                        return error_set(err, fd, "locking %s: %s", owner, strerror(-fd));
                r = env_rm_tree(path);
                _cleanup_free_ char *final = path_join(root, owner);
                /* no environment of that name: its lock file has no more use */
                lock_release(root, owner, fd, r == 0 && final && !is_dir(final));
        } else if (is_env_name(name)) {
                int fd = lock_take(root, name, false);
                if (fd == -EWOULDBLOCK)
                        return 0; /* being (re)built right now */
                if (fd < 0)
                        return error_set(err, fd, "locking %s: %s", name, strerror(-fd));
                /* Renamed first: a run looking it up finds it whole or not at all. */
                _cleanup_free_ char *trash = NULL;
                if (asprintf(&trash, "%s/" TRASH_PREFIX "%s-XXXXXX", root, name) < 0) {
                        lock_release(root, name, fd, false);
                        return error_set(err, -ENOMEM, "out of memory");
                }
                bool made = mkdtemp(trash) != NULL;
                if (!made || rename(path, trash) < 0)
                        r = -errno;
                if (r == 0)
                        r = env_rm_tree(trash);
                else if (made)
                        rmdir(trash);
                if (r == -ENOENT)
                        r = 0; /* not there (any more): nothing to remove */
                lock_release(root, name, fd, r == 0);
        } else
                return error_set(err, -EINVAL, "'%s' is not an environment name", name);
        if (r < 0)
                return error_set(err, r, "removing %s: %s", path, strerror(-r));
        return 1;
}
