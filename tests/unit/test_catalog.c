/* Unit tests for src/skill/catalog: which directories are searched (flag, then
 * $SKILLLITE_SKILLS_DIR, then ./.skills and ./skills), discovery order, invalid entries and
 * duplicate names across directories. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/skill/catalog.h"

static char *tmp;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-catalog-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
        /* Each test runs in its own process: changing directory and environment is local. */
        cr_assert_eq(chdir(tmp), 0);
        unsetenv("SKILLLITE_SKILLS_DIR");
}

static void teardown(void) {
        if (chdir("/") != 0)
                cr_log_warn("chdir /: %s", strerror(errno));
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp);
}

TestSuite(catalog, .init = setup, .fini = teardown);

/* Paths are relative to the temp dir, which is the cwd. */
static void put(const char *rel, const char *content) {
        char path[4096];
        snprintf(path, sizeof(path), "%s", rel);
        for (char *s = path; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "create %s", path);
        fputs(content, f);
        fclose(f);
}

static void put_skill(const char *dir, const char *name) {
        char rel[512], text[512];
        snprintf(rel, sizeof(rel), "%s/%s/SKILL.md", dir, name);
        snprintf(text, sizeof(text), "---\nname: %s\ndescription: Skill %s in %s.\n---\n", name, name,
                 dir);
        put(rel, text);
}

static size_t strv_len(char **v) {
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

/* --- catalog_resolve_dirs --- */

static char **resolve(const char *explicit_dir) {
        char **dirs = NULL;
        cr_assert_eq(catalog_resolve_dirs(explicit_dir, &dirs), 0);
        cr_assert_not_null(dirs);
        return dirs;
}

Test(catalog, resolve_default_when_nothing_exists) {
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], ".skills");
}

Test(catalog, resolve_plain_skills_dir) {
        cr_assert_eq(mkdir("skills", 0755), 0);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], "skills");
}

Test(catalog, resolve_dot_skills_dir) {
        cr_assert_eq(mkdir(".skills", 0755), 0);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], ".skills");
}

Test(catalog, resolve_both_dirs) {
        cr_assert_eq(mkdir(".skills", 0755), 0);
        cr_assert_eq(mkdir("skills", 0755), 0);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 2);
        cr_assert_str_eq(dirs[0], ".skills");
        cr_assert_str_eq(dirs[1], "skills");
}

Test(catalog, resolve_skills_file_is_not_a_dir) {
        put("skills", "not a directory\n");
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], ".skills");
}

Test(catalog, resolve_env_overrides_defaults) {
        cr_assert_eq(mkdir("skills", 0755), 0);
        cr_assert_eq(setenv("SKILLLITE_SKILLS_DIR", "/opt/my-skills", 1), 0);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], "/opt/my-skills");
}

Test(catalog, resolve_empty_env_is_ignored) {
        cr_assert_eq(mkdir("skills", 0755), 0);
        cr_assert_eq(setenv("SKILLLITE_SKILLS_DIR", "", 1), 0);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], "skills");
}

Test(catalog, resolve_flag_overrides_env) {
        cr_assert_eq(setenv("SKILLLITE_SKILLS_DIR", "/from/env", 1), 0);
        _cleanup_strv_free_ char **dirs = resolve("from-flag");
        cr_assert_eq(strv_len(dirs), 1);
        cr_assert_str_eq(dirs[0], "from-flag");
        _cleanup_strv_free_ char **empty_flag = resolve("");
        cr_assert_str_eq(empty_flag[0], "/from/env", "an empty flag counts as not given");
}

/* --- catalog_load --- */

static struct catalog load(char **dirs) {
        struct catalog c = { 0 };
        struct error err = ERROR_INIT;
        int r = catalog_load(dirs, &c, &err);
        cr_assert_eq(r, 0, "catalog_load: %d %s", r, err.msg);
        return c;
}

Test(catalog, loads_sorted_with_invalid_entries) {
        put_skill("skills", "zeta");
        put_skill("skills", "alpha");
        put_skill("skills", "mid");
        put("skills/broken/SKILL.md", "---\nname: other-name\ndescription: d\n---\n");
        put("skills/no-skill-md/README.md", "not a skill\n");
        put_skill("skills", ".hidden");
        put("skills/a-file", "x\n");
        char *dirs[] = { "skills", NULL };
        struct catalog c = load(dirs);
        const char *order[] = { "alpha", "broken", "mid", "zeta" };
        cr_assert_eq(c.n, ELEMENTSOF(order));
        for (size_t i = 0; i < c.n; i++) {
                cr_assert_str_eq(c.entries[i].dir_name, order[i]);
                char expected[64];
                snprintf(expected, sizeof(expected), "skills/%s", order[i]);
                cr_assert_str_eq(c.entries[i].path, expected);
        }
        cr_assert_not_null(c.entries[0].skill);
        cr_assert_str_eq(c.entries[0].skill->name, "alpha");
        cr_assert_null(c.entries[1].skill, "the invalid skill is listed without a skill");
        cr_assert_gt(json_array_size(c.entries[1].report.errors), 0);
        cr_assert_eq(json_array_size(c.duplicates), 0);
        cr_assert_eq(json_array_size(c.dirs), 1);
        cr_assert_str_eq(json_string_value(json_array_get(c.dirs, 0)), "skills");
        catalog_done(&c);
        cr_assert_eq(c.n, 0);
        cr_assert_null(c.entries);
}

Test(catalog, missing_directory_is_empty) {
        char *dirs[] = { "nowhere", NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 0);
        cr_assert_eq(json_array_size(c.dirs), 1);
        catalog_done(&c);
}

Test(catalog, no_directories) {
        char *dirs[] = { NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 0);
        catalog_done(&c);
}

Test(catalog, skills_dir_that_is_a_file_is_an_error) {
        put("skills", "x\n");
        char *dirs[] = { "skills", NULL };
        struct catalog c = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(catalog_load(dirs, &c, &err), -ENOTDIR);
        cr_assert(strstr(err.msg, "skills"), "%s", err.msg);
}

Test(catalog, non_utf8_skills_dir_is_a_clear_error) {
        put_skill("sk\xff", "tool");
        char *dirs[] = { "sk\xff", NULL };
        struct catalog c = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(catalog_load(dirs, &c, &err), -EINVAL);
        cr_assert(strstr(err.msg, "UTF-8"), "%s", err.msg);
        cr_assert_eq(c.n, 0);
}

Test(catalog, duplicates_across_two_dirs) {
        put_skill(".skills", "shared");
        put_skill(".skills", "only-dot");
        put_skill("skills", "shared");
        put_skill("skills", "only-plain");
        char *dirs[] = { ".skills", "skills", NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 4);
        cr_assert_str_eq(c.entries[0].path, ".skills/only-dot");
        cr_assert_str_eq(c.entries[1].path, ".skills/shared");
        cr_assert_str_eq(c.entries[2].path, "skills/only-plain");
        cr_assert_str_eq(c.entries[3].path, "skills/shared");

        cr_assert_eq(json_array_size(c.duplicates), 1);
        json_t *d = json_array_get(c.duplicates, 0);
        cr_assert_str_eq(json_string_value(json_object_get(d, "name")), "shared");
        json_t *paths = json_object_get(d, "paths");
        cr_assert_eq(json_array_size(paths), 2);
        cr_assert_str_eq(json_string_value(json_array_get(paths, 0)), ".skills/shared",
                         "the first directory wins");
        cr_assert_str_eq(json_string_value(json_array_get(paths, 1)), "skills/shared");

        const struct catalog_entry *e = catalog_find(&c, "shared");
        cr_assert_not_null(e);
        cr_assert_str_eq(e->path, ".skills/shared");
        catalog_done(&c);
}

Test(catalog, duplicates_across_three_dirs) {
        put_skill("a", "tool");
        put_skill("b", "tool");
        put_skill("c", "tool");
        char *dirs[] = { "a", "b", "c", NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 3);
        cr_assert_eq(json_array_size(c.duplicates), 1);
        json_t *paths = json_object_get(json_array_get(c.duplicates, 0), "paths");
        cr_assert_eq(json_array_size(paths), 3);
        cr_assert_str_eq(json_string_value(json_array_get(paths, 2)), "c/tool");
        catalog_done(&c);
}

Test(catalog, invalid_copies_are_not_duplicates) {
        put_skill("a", "tool");
        put("b/tool/SKILL.md", "---\nname: tool\n---\n"); /* no description: invalid */
        char *dirs[] = { "a", "b", NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 2);
        cr_assert_eq(json_array_size(c.duplicates), 0);
        catalog_done(&c);
}

Test(catalog, find_by_name_then_directory) {
        put_skill("skills", "good");
        put("skills/bad/SKILL.md", "---\nname: bad\n---\n");
        char *dirs[] = { "skills", NULL };
        struct catalog c = load(dirs);
        const struct catalog_entry *g = catalog_find(&c, "good");
        cr_assert_not_null(g);
        cr_assert_not_null(g->skill);
        const struct catalog_entry *b = catalog_find(&c, "bad");
        cr_assert_not_null(b, "an invalid skill is found by its directory name");
        cr_assert_null(b->skill);
        cr_assert_null(catalog_find(&c, "missing"));
        cr_assert_null(catalog_find(&c, ""));
        catalog_done(&c);
}

Test(catalog, resolved_dirs_load_end_to_end) {
        put_skill(".skills", "one");
        put_skill("skills", "two");
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 2);
        cr_assert_str_eq(c.entries[0].skill->name, "one");
        cr_assert_str_eq(c.entries[1].skill->name, "two");
        catalog_done(&c);
}

Test(catalog, env_dir_loads) {
        put_skill("custom", "env-skill");
        put_skill("skills", "ignored");
        char *abs = NULL;
        cr_assert_geq(asprintf(&abs, "%s/custom", tmp), 0);
        cr_assert_eq(setenv("SKILLLITE_SKILLS_DIR", abs, 1), 0);
        free(abs);
        _cleanup_strv_free_ char **dirs = resolve(NULL);
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 1);
        cr_assert_str_eq(c.entries[0].skill->name, "env-skill");
        catalog_done(&c);
}

Test(catalog, symlinked_skill_directory) {
        put_skill("elsewhere", "linked");
        cr_assert_eq(mkdir("skills", 0755), 0);
        cr_assert_eq(symlink("../elsewhere/linked", "skills/linked"), 0);
        char *dirs[] = { "skills", NULL };
        struct catalog c = load(dirs);
        cr_assert_eq(c.n, 1);
        cr_assert_not_null(c.entries[0].skill);
        catalog_done(&c);
}

Test(catalog, done_twice_is_safe) {
        char *dirs[] = { "nowhere", NULL };
        struct catalog c = load(dirs);
        catalog_done(&c);
        catalog_done(&c);
}
