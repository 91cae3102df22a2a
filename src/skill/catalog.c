/* Skills-directory discovery. */
#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/json.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../base/utf8.h"

int catalog_resolve_dirs(const char *explicit_dir, char ***ret_dirs) {
        char **dirs = calloc(3, sizeof(char *));
        if (!dirs)
                return -ENOMEM;
        const char *env = getenv("SKILLLITE_SKILLS_DIR");
        size_t n = 0;
        if (explicit_dir && *explicit_dir)
                dirs[n++] = strdup(explicit_dir);
        else if (env && *env)
                dirs[n++] = strdup(env);
        else {
                bool dot = path_is_dir(".skills"), plain = path_is_dir("skills");
                if (dot || !plain)
                        dirs[n++] = strdup(".skills");
                if (plain)
                        dirs[n++] = strdup("skills");
        }
        for (size_t i = 0; i < n; i++)
                if (!dirs[i]) {
                        /* Not strv_free(): it would stop at this NULL and leak what follows. */
                        for (size_t j = 0; j < n; j++)
                                free(dirs[j]);
                        free(dirs);
                        return -ENOMEM;
                }
        *ret_dirs = dirs;
        return 0;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sorted child directory names of dir that contain SKILL.md; missing dir -> empty list. */
static int list_skill_dirs(const char *dir, char ***ret, size_t *ret_n) {
        *ret = NULL;
        *ret_n = 0;
        DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        char **names = NULL;
        size_t n = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                struct stat st;
                if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                char probe[NAME_MAX + 16];
                snprintf(probe, sizeof(probe), "%s/SKILL.md", de->d_name);
                if (faccessat(dirfd(d), probe, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (n >= CATALOG_MAX_ENTRIES) {
                        r = -E2BIG;
                        break;
                }
                r = strv_pushn(&names, &n, de->d_name, strlen(de->d_name));
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0) {
                strv_free(names);
                return r;
        }
        if (n > 1)
                qsort(names, n, sizeof(char *), cmp_names);
        *ret = names;
        *ret_n = n;
        return 0;
}

static int note_duplicate(struct catalog *c, const char *name, const char *first, const char *again) {
        size_t i;
        json_t *d;
        json_array_foreach(c->duplicates, i, d) {
                if (streq(json_string_value(json_object_get(d, "name")), name))
                        return json_array_append_string(json_object_get(d, "paths"), again);
        }
        d = json_pack("{s:s, s:[s,s]}", "name", name, "paths", first, again);
        if (!d)
                return -ENOMEM;
        return json_array_append_new(c->duplicates, d) == 0 ? 0 : -ENOMEM;
}

int catalog_load(char *const *dirs, struct catalog *ret, struct error *err) {
        struct catalog c = { .duplicates = json_array(), .dirs = json_array() };
        if (!c.duplicates || !c.dirs) {
                catalog_done(&c);
                return error_set(err, -ENOMEM, "out of memory");
        }
        for (char *const *dir = dirs; *dir; dir++) {
                /* Paths end up in JSON (dirs, duplicates), which jansson keeps valid UTF-8;
                 * say so instead of failing later with a misleading "out of memory". */
                if (!utf8_is_valid(*dir, strlen(*dir))) {
                        catalog_done(&c);
                        return error_set(err, -EINVAL, "skills directory path is not valid UTF-8");
                }
                if (json_array_append_string(c.dirs, *dir) < 0) {
                        catalog_done(&c);
                        return error_set(err, -ENOMEM, "out of memory");
                }
                _cleanup_strv_free_ char **names = NULL;
                size_t n = 0;
                int r = list_skill_dirs(*dir, &names, &n);
                if (r < 0) {
                        catalog_done(&c);
                        return error_set(err, r, "reading skills directory '%s': %s", *dir,
                                         strerror(-r));
                }
                for (size_t i = 0; i < n; i++) {
                        if (c.n >= CATALOG_MAX_ENTRIES) {
                                catalog_done(&c);
                                return error_set(err, -E2BIG, "more than %d skills", CATALOG_MAX_ENTRIES);
                        }
                        struct catalog_entry *grown = reallocarray(c.entries, c.n + 1, sizeof(*grown));
                        if (!grown) {
                                catalog_done(&c);
                                return error_set(err, -ENOMEM, "out of memory");
                        }
                        c.entries = grown;
                        struct catalog_entry *e = &c.entries[c.n];
                        *e = (struct catalog_entry) { .path = path_join(*dir, names[i]),
                                                      .dir_name = strdup(names[i]) };
                        c.n++;
                        if (!e->path || !e->dir_name || skill_report_init(&e->report) < 0) {
                                catalog_done(&c);
                                return error_set(err, -ENOMEM, "out of memory");
                        }
                        struct error lerr = ERROR_INIT;
                        r = skill_load(e->path, &e->skill, &e->report, &lerr);
                        if (r < 0 && r != -EINVAL)
                                (void) skill_report_add(&e->report, true, "skill", "load", "%s", lerr.msg);
                }
        }
        /* Duplicate names: the first occurrence (in directory order) is the one used. */
        for (size_t i = 0; i < c.n; i++) {
                if (!c.entries[i].skill)
                        continue;
                for (size_t j = 0; j < i; j++) {
                        if (c.entries[j].skill &&
                            streq(c.entries[j].skill->name, c.entries[i].skill->name)) {
                                if (note_duplicate(&c, c.entries[i].skill->name, c.entries[j].path,
                                                   c.entries[i].path) < 0) {
                                        catalog_done(&c);
                                        return error_set(err, -ENOMEM, "out of memory");
                                }
                                break;
                        }
                }
        }
        *ret = c;
        return 0;
}

void catalog_done(struct catalog *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->entries[i].path);
                free(c->entries[i].dir_name);
                skill_free(c->entries[i].skill);
                skill_report_done(&c->entries[i].report);
        }
        free(c->entries);
        json_decref(c->duplicates);
        json_decref(c->dirs);
        *c = (struct catalog) { 0 };
}

const struct catalog_entry *catalog_find(const struct catalog *c, const char *name) {
        for (size_t i = 0; i < c->n; i++)
                if (c->entries[i].skill && streq(c->entries[i].skill->name, name))
                        return &c->entries[i];
        for (size_t i = 0; i < c->n; i++)
                if (streq(c->entries[i].dir_name, name))
                        return &c->entries[i];
        return NULL;
}
