/* Mount assembly with the new mount API (open_tree/move_mount/mount_setattr/fsopen): recursive
 * binds become read-only recursively, which the old remount API cannot do. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../sys/sys.h"
#include "skill_copy.h"

/* Where the new root is assembled before pivot_root; any existing directory works because all
 * bind sources are already cloned into fds when it gets covered. */
#define STAGING_DIR "/tmp"
#define ROOT_TMPFS_SIZE "8m"

static uint64_t mount_attrs(unsigned flags) {
        uint64_t a = MOUNT_ATTR_NOSUID;
        if (flags & MNT_F_RDONLY)
                a |= MOUNT_ATTR_RDONLY;
        if (flags & MNT_F_NOEXEC)
                a |= MOUNT_ATTR_NOEXEC;
        if (flags & MNT_F_NODEV)
                a |= MOUNT_ATTR_NODEV;
        return a;
}

/* mkdirat(rootfd, path) and, when a parent is missing, its parents first. Bottom-up: one system
 * call when the parent exists (most of the ~20 paths pid 1 makes share theirs), not one per
 * component. path is modified and restored. */
static int mkdir_with_parents(int rootfd, char *path, mode_t mode) {
        if (mkdirat(rootfd, path, mode) == 0 || errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return -errno;
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
                return -ENOENT;
        *slash = '\0';
        int r = mkdir_with_parents(rootfd, path, 0755);
        *slash = '/';
        if (r < 0)
                return r;
        return mkdirat(rootfd, path, mode) == 0 || errno == EEXIST ? 0 : -errno;
}

/* mkdir -p of a path relative to rootfd (no leading '/'), or of its parent directory only. */
static int mkdir_parents(int rootfd, const char *rel, bool include_last, mode_t mode) {
        char buf[4096];
        size_t n = strlen(rel);
        if (n >= sizeof(buf))
                return -ENAMETOOLONG;
        memcpy(buf, rel, n + 1);
        if (include_last)
                return *buf ? mkdir_with_parents(rootfd, buf, mode) : 0;
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf)
                return 0;
        *slash = '\0';
        return mkdir_with_parents(rootfd, buf, 0755);
}

static int new_tmpfs(const char *size, unsigned mode, int uid, uint64_t attrs, struct error *err) {
        _cleanup_close_ int fs = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
        if (fs < 0)
                return error_set(err, fs, "fsopen(tmpfs): %s", strerror(-fs));
        char mode_s[16], uid_s[16];
        snprintf(mode_s, sizeof(mode_s), "%o", mode);
        int r = sys_fsconfig(fs, FSCONFIG_SET_STRING, "size", size, 0);
        r = r ?: sys_fsconfig(fs, FSCONFIG_SET_STRING, "mode", mode_s, 0);
        if (r == 0 && uid >= 0) {
                snprintf(uid_s, sizeof(uid_s), "%d", uid);
                r = sys_fsconfig(fs, FSCONFIG_SET_STRING, "uid", uid_s, 0);
                r = r ?: sys_fsconfig(fs, FSCONFIG_SET_STRING, "gid", uid_s, 0);
        }
        r = r ?: sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
        if (r < 0)
                return error_set(err, r, "configuring tmpfs: %s", strerror(-r));
        int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, (unsigned) attrs);
        if (mnt < 0)
                return error_set(err, mnt, "fsmount(tmpfs): %s", strerror(-mnt));
        return mnt;
}

static int new_proc(struct error *err) {
        _cleanup_close_ int fs = sys_fsopen("proc", FSOPEN_CLOEXEC);
        if (fs < 0)
                return error_set(err, fs, "fsopen(proc): %s", strerror(-fs));
        /* subset=pid (5.8+) leaves out /proc/sys, /proc/kcore, /proc/kallsyms, /proc/modules...:
         * only our own processes are visible. */
        int r = sys_fsconfig(fs, FSCONFIG_SET_STRING, "subset", "pid", 0);
        r = r ?: sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
        if (r < 0)
                return error_set(err, r, "configuring proc: %s", strerror(-r));
        int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (mnt < 0)
                return error_set(err, mnt, "fsmount(proc): %s", strerror(-mnt));
        return mnt;
}

static int write_stub(int rootfd, const char *rel, const char *content, unsigned mode) {
        _cleanup_close_ int fd = openat(rootfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return -errno;
        int r = write_all(fd, content, strlen(content));
        if (r == 0 && fchmod(fd, mode) < 0)
                r = -errno;
        return r;
}

/* A private read-only copy of the skill: nothing about the host's directory layout shows in
 * the sandbox (a bind mount's source path is visible in /proc/self/mountinfo). */
static int copy_into_tmpfs(const struct plan_mount *m, const struct snapshot *snap, struct error *err) {
        char size[32];
        snprintf(size, sizeof(size), "%llu", (unsigned long long) m->size);
        int mnt = new_tmpfs(size, m->mode, -1, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, err);
        if (mnt < 0)
                return mnt;
        int r = snapshot_write(snap, mnt);
        if (r < 0) {
                close(mnt);
                return error_set(err, r, "copying the skill into the sandbox: %s", strerror(-r));
        }
        r = sys_mount_setattr(mnt, "", AT_EMPTY_PATH, mount_attrs(m->flags), 0);
        if (r < 0) {
                close(mnt);
                return error_set(err, r, "making the skill copy read-only: %s", strerror(-r));
        }
        return mnt;
}

static bool in_scratch(const char *target) {
        size_t n = strlen(SANDBOX_SCRATCH_DIR);
        return strncmp(target, SANDBOX_SCRATCH_DIR, n) == 0 && (target[n] == '/' || target[n] == '\0');
}

/* A plan tmpfs: the scratch space belongs to the sandbox user, the rest to pid 1. */
static int new_tmpfs_for(const struct plan_mount *m, struct error *err) {
        char size[32];
        snprintf(size, sizeof(size), "%llu", (unsigned long long) m->size);
        return new_tmpfs(size, m->mode, in_scratch(m->target) ? SANDBOX_UID : -1, mount_attrs(m->flags), err);
}

/* Attach a detached mount fd at rel, creating the mount point (dir, or empty file for a file). */
static int attach(int rootfd, int mntfd, const char *rel, bool is_dir, struct error *err) {
        int r = mkdir_parents(rootfd, rel, is_dir, 0755);
        struct stat st;
        if (r == 0 && !is_dir && fstatat(rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                /* a file mount point in our tmpfs; over an existing file (the interpreter inside
                 * a bound /usr/bin) the file itself serves */
                int fd = openat(rootfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
                if (fd >= 0)
                        close(fd);
                else
                        r = -errno;
        }
        if (r < 0)
                return error_set(err, r, "creating mount point /%s: %s", rel, strerror(-r));
        r = sys_move_mount(mntfd, "", rootfd, rel, MOVE_MOUNT_F_EMPTY_PATH);
        if (r < 0)
                return error_set(err, r, "mounting /%s: %s", rel, strerror(-r));
        return 0;
}

int sandbox_mounts_setup(const struct sandbox_plan *plan, int (*switch_identity)(void *), void *arg,
                         struct error *err) {
        /* Nothing we do may propagate back to the host's mount namespace. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return error_set(err, -errno, "making / private: %s", strerror(errno));

        /* 1. Clone every bind source while the host tree is fully visible. */
        int *fds = calloc(plan->n_mounts ? plan->n_mounts : 1, sizeof(int));
        bool *is_dir = calloc(plan->n_mounts ? plan->n_mounts : 1, sizeof(bool));
        if (!fds || !is_dir) {
                free(fds);
                free(is_dir);
                return error_set(err, -ENOMEM, "out of memory");
        }
        int r = 0;
        _cleanup_(snapshot_free) struct snapshot snap = { 0 };
        for (size_t i = 0; i < plan->n_mounts; i++)
                fds[i] = -1;
        for (size_t i = 0; r == 0 && i < plan->n_mounts; i++) {
                const struct plan_mount *m = &plan->mounts[i];
                if (m->kind == MOUNT_COPY) {
                        _cleanup_close_ int dfd = open(m->source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (dfd < 0) {
                                r = error_set(err, -errno, "skill directory %s: %s", m->source, strerror(errno));
                                break;
                        }
                        r = snapshot_read(dfd, PLAN_SKILL_COPY_MAX_ENTRIES, m->size, &snap);
                        if (r < 0)
                                r = error_set(err, r, "reading the skill %s: %s", m->source, strerror(-r));
                        continue;
                }
                if (m->kind != MOUNT_BIND)
                        continue;
                struct stat st;
                if (stat(m->source, &st) < 0) {
                        if (errno == ENOENT && (m->flags & MNT_F_OPTIONAL))
                                continue;
                        r = error_set(err, -errno, "bind source %s: %s", m->source, strerror(errno));
                        break;
                }
                is_dir[i] = S_ISDIR(st.st_mode);
                fds[i] = sys_open_tree(AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
                if (fds[i] < 0) {
                        r = error_set(err, fds[i], "open_tree %s: %s", m->source, strerror(-fds[i]));
                        break;
                }
                r = sys_mount_setattr(fds[i], "", AT_EMPTY_PATH | AT_RECURSIVE, mount_attrs(m->flags), 0);
                if (r < 0)
                        r = error_set(err, r, "mount_setattr %s: %s", m->source, strerror(-r));
        }

        /* Sources are open: from here on pid 1 is the sandbox user, so what it creates in the
         * new tmpfs has an owner that exists in the user namespace. */
        if (r == 0 && switch_identity && (r = switch_identity(arg)) < 0)
                error_set(err, r, "switching pid 1 to the sandbox user: %s", strerror(-r));

        /* 2. A tmpfs root, assembled at the staging dir. */
        _cleanup_close_ int rootfd = -1;
        if (r == 0) {
                _cleanup_close_ int root_mnt = new_tmpfs(ROOT_TMPFS_SIZE, 0755, -1,
                                                         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, err);
                if (root_mnt < 0)
                        r = root_mnt;
                else if ((r = sys_move_mount(root_mnt, "", AT_FDCWD, STAGING_DIR, MOVE_MOUNT_F_EMPTY_PATH)) < 0)
                        r = error_set(err, r, "mounting the root tmpfs: %s", strerror(-r));
                else if ((rootfd = open(STAGING_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                        r = error_set(err, -errno, "opening the new root: %s", strerror(errno));
        }

        /* 3. Everything else, in plan order (parents before children). */
        for (size_t i = 0; r == 0 && i < plan->n_mounts; i++) {
                const struct plan_mount *m = &plan->mounts[i];
                const char *rel = m->target + 1;
                switch (m->kind) {
                case MOUNT_BIND:
                        if (fds[i] >= 0)
                                r = attach(rootfd, fds[i], rel, is_dir[i], err);
                        break;
                case MOUNT_TMPFS:
                case MOUNT_COPY:
                case MOUNT_PROC: {
                        /* a new detached mount, then attached at its target */
                        int mnt = m->kind == MOUNT_TMPFS ? new_tmpfs_for(m, err)
                                  : m->kind == MOUNT_COPY ? copy_into_tmpfs(m, &snap, err)
                                                          : new_proc(err);
                        r = mnt < 0 ? mnt : attach(rootfd, mnt, rel, true, err);
                        safe_close(mnt);
                        break;
                }
                case MOUNT_DIR:
                        r = mkdir_parents(rootfd, rel, true, m->mode);
                        if (r == 0 && fchmodat(rootfd, rel, m->mode, 0) < 0)
                                r = -errno;
                        if (r == 0 && in_scratch(m->target) &&
                            fchownat(rootfd, rel, SANDBOX_UID, SANDBOX_GID, AT_SYMLINK_NOFOLLOW) < 0)
                                r = -errno;
                        if (r < 0)
                                r = error_set(err, r, "creating %s: %s", m->target, strerror(-r));
                        break;
                case MOUNT_FILE:
                        r = mkdir_parents(rootfd, rel, false, 0755);
                        r = r ?: write_stub(rootfd, rel, m->source, m->mode);
                        if (r < 0)
                                r = error_set(err, r, "writing %s: %s", m->target, strerror(-r));
                        break;
                case MOUNT_SYMLINK:
                        r = mkdir_parents(rootfd, rel, false, 0755);
                        if (r == 0 && symlinkat(m->source, rootfd, rel) < 0)
                                r = -errno;
                        if (r < 0)
                                r = error_set(err, r, "symlink %s: %s", m->target, strerror(-r));
                        break;
                }
        }
        for (size_t i = 0; i < plan->n_mounts; i++)
                safe_close(fds[i]);
        free(fds);
        free(is_dir);
        if (r < 0)
                return r;

        /* 4. pivot_root(".", ".") stacks the old root on the new one; detaching "." drops it. */
        if (fchdir(rootfd) < 0)
                return error_set(err, -errno, "entering the new root: %s", strerror(errno));
        r = sys_pivot_root(".", ".");
        if (r < 0)
                return error_set(err, r, "pivot_root: %s", strerror(-r));
        if (umount2(".", MNT_DETACH) < 0)
                return error_set(err, -errno, "detaching the host root: %s", strerror(errno));
        if (chdir("/") < 0)
                return error_set(err, -errno, "chdir /: %s", strerror(errno));

        /* 5. The root itself becomes read-only (not recursively: /sandbox stays writable). */
        r = sys_mount_setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0);
        if (r < 0)
                return error_set(err, r, "making / read-only: %s", strerror(-r));
        if (sethostname(SANDBOX_HOSTNAME, strlen(SANDBOX_HOSTNAME)) < 0 ||
            setdomainname("", 0) < 0)
                return error_set(err, -errno, "sethostname: %s", strerror(errno));
        return 0;
}
