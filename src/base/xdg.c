/* The engine's directories and atomic writes (xdg.h). */
#include "xdg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macros.h"

static const struct {
        const char *var, *fallback;
} BASES[] = {
        [XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
        [XDG_STATE] = { "XDG_DATA_HOME", ".local/share" },
        [XDG_CACHE] = { "XDG_CACHE_HOME", ".cache" },
};

/* mkdir -p with mode 0700 for every directory it creates (existing ones are left alone). */
static int mkdir_parents_0700(char *path) {
        for (char *s = path + 1;; s++) {
                if (*s != '/' && *s != '\0')
                        continue;
                char c = *s;
                *s = '\0';
                int r = mkdir(path, 0700);
                *s = c;
                if (r < 0 && errno != EEXIST)
                        return -errno;
                if (c == '\0')
                        return 0;
        }
}

int xdg_path(enum xdg_kind kind, const char *sub, bool create, char **ret) {
        if ((size_t) kind >= ELEMENTSOF(BASES))
                return -EINVAL;
        /* The XDG spec: a relative value is invalid and must be ignored. */
        const char *base = getenv(BASES[kind].var);
        char *path = NULL;
        int k;
        if (base && base[0] == '/') {
                k = asprintf(&path, "%s/skilllite%s%s", base, sub ? "/" : "", sub ? sub : "");
        } else {
                const char *home = getenv("HOME");
                if (!home || home[0] != '/')
                        return -ENOENT;
                k = asprintf(&path, "%s/%s/skilllite%s%s", home, BASES[kind].fallback,
                             sub ? "/" : "", sub ? sub : "");
        }
        if (k < 0)
                return -ENOMEM;
        if (create) {
                int r = mkdir_parents_0700(path);
                if (r < 0) {
                        free(path);
                        return r;
                }
        }
        *ret = path;
        return 0;
}

int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode) {
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp.%ld", path, (long) getpid()) < 0)
                return -ENOMEM;
        _cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        int r = write_all(fd, data, n);
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}
