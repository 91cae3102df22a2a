/* Script discovery and entry-point resolution (the original's order, DESIGN.md §5):
 * entry_point if declared, else scripts/main.*, else scripts/index.*, else the only script. */
#include "scripts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/fileio.h"
#include "../base/path.h"
#include "../sys/sys.h"

const char *skill_language_to_string(enum skill_language lang) {
        switch (lang) {
        case SKILL_LANG_PYTHON: return "python";
        case SKILL_LANG_NODE: return "node";
        case SKILL_LANG_SHELL: return "bash";
        case SKILL_LANG_NONE: break;
        }
        return NULL;
}

enum skill_language skill_language_from_extension(const char *path) {
        const char *ext = path_extension(path);
        if (streq(ext, "py"))
                return SKILL_LANG_PYTHON;
        if (streq(ext, "js") || streq(ext, "mjs") || streq(ext, "cjs") || streq(ext, "ts"))
                return SKILL_LANG_NODE;
        if (streq(ext, "sh") || streq(ext, "bash"))
                return SKILL_LANG_SHELL;
        return SKILL_LANG_NONE;
}

enum skill_language skill_language_from_shebang(const char *head, size_t n) {
        if (n < 3 || head[0] != '#' || head[1] != '!')
                return SKILL_LANG_NONE;
        /* "#!/usr/bin/env python3 -u" -> "python3"; "#!/bin/bash" -> "bash" */
        char line[SKILL_SCRIPT_HEAD_MAX + 1];
        size_t len = 0;
        for (size_t i = 2; i < n && head[i] != '\n' && head[i] != '\r' && len < sizeof(line) - 1; i++)
                line[len++] = head[i];
        line[len] = '\0';
        char *save = NULL;
        char *word = strtok_r(line, " \t", &save);
        if (!word)
                return SKILL_LANG_NONE;
        const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
        if (streq(base, "env")) {
                word = strtok_r(NULL, " \t", &save);
                while (word && word[0] == '-') /* env -S ... */
                        word = strtok_r(NULL, " \t", &save);
                if (!word)
                        return SKILL_LANG_NONE;
                base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
        }
        if (strneq(base, "python", 6))
                return SKILL_LANG_PYTHON;
        if (streq(base, "node") || streq(base, "nodejs"))
                return SKILL_LANG_NODE;
        if (streq(base, "sh") || streq(base, "bash") || streq(base, "dash"))
                return SKILL_LANG_SHELL;
        return SKILL_LANG_NONE;
}

/* Files in scripts/ that are never entry candidates: tests, package markers, hidden files. */
static bool is_excluded_name(const char *name) {
        size_t n = strlen(name);
        return name[0] == '.' || strneq(name, "test_", 5) ||
               (n > 8 && streq(name + n - 8, "_test.py")) || streq(name, "__init__.py");
}

enum skill_language skill_detect_language(int dirfd, const char *relpath) {
        enum skill_language lang = skill_language_from_extension(relpath);
        if (lang != SKILL_LANG_NONE)
                return lang;
        _cleanup_close_ int fd = sys_open_beneath(dirfd, relpath, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        if (fd < 0)
                return SKILL_LANG_NONE;
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return SKILL_LANG_NONE;
        char head[SKILL_SCRIPT_HEAD_MAX];
        ssize_t k = read_retry(fd, head, sizeof(head));
        if (k <= 0)
                return SKILL_LANG_NONE;
        return skill_language_from_shebang(head, (size_t) k);
}

static int cmp_scripts(const void *a, const void *b) {
        return strcmp(((const struct skill_script *) a)->path, ((const struct skill_script *) b)->path);
}

void skill_scripts_free(struct skill_script *scripts, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(scripts[i].path);
        free(scripts);
}

int skill_list_scripts(int skill_fd, struct skill_script **ret, size_t *ret_n) {
        *ret = NULL;
        *ret_n = 0;
        int fd = sys_open_beneath_nofollow(skill_fd, "scripts", O_RDONLY | O_DIRECTORY, 0);
        if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
                return 0; /* no scripts/ directory (a symlinked one is ignored, not followed) */
        if (fd < 0)
                return fd;
        DIR *d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return r;
        }
        struct skill_script *list = NULL;
        size_t n = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (is_excluded_name(de->d_name))
                        continue;
                struct stat st;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                char *rel = path_join("scripts", de->d_name);
                if (!rel) {
                        r = -ENOMEM;
                        break;
                }
                enum skill_language lang = skill_detect_language(skill_fd, rel);
                if (lang == SKILL_LANG_NONE) {
                        free(rel);
                        continue;
                }
                if (n >= SKILL_SCRIPTS_MAX) {
                        free(rel);
                        r = -E2BIG;
                        break;
                }
                struct skill_script *grown = reallocarray(list, n + 1, sizeof(*list));
                if (!grown) {
                        free(rel);
                        r = -ENOMEM;
                        break;
                }
                list = grown;
                list[n++] = (struct skill_script) { rel, lang };
        }
        closedir(d);
        if (r < 0) {
                skill_scripts_free(list, n);
                return r;
        }
        if (n > 1)
                qsort(list, n, sizeof(*list), cmp_scripts);
        *ret = list;
        *ret_n = n;
        return 0;
}

const char *skill_default_entry(const struct skill_script *scripts, size_t n) {
        static const char *const order[] = {
                "scripts/main.py",  "scripts/main.js",  "scripts/main.ts",  "scripts/main.sh",
                "scripts/index.py", "scripts/index.js", "scripts/index.ts", "scripts/index.sh",
        };
        for (size_t i = 0; i < ELEMENTSOF(order); i++)
                for (size_t j = 0; j < n; j++)
                        if (streq(scripts[j].path, order[i]))
                                return scripts[j].path;
        return n == 1 ? scripts[0].path : NULL;
}
