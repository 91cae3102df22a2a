/* Unit tests for src/skill/scripts: language by extension and shebang, the scripts/ listing
 * (exclusions, symlinks, cap) and the default entry order. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/macros.h"
#include "../../src/skill/scripts.h"

static char *tmp;
static int tmp_fd = -1;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-scripts-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
        tmp_fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(tmp_fd, 0);
}

static void teardown(void) {
        close(tmp_fd);
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp);
}

/* Write rel (below the temp dir), creating parent directories. */
static void put(const char *rel, const char *content) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", tmp, rel);
        for (char *s = path + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "create %s", path);
        fputs(content, f);
        fclose(f);
}

static void put_dir(const char *rel) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", tmp, rel);
        cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s", path);
}

static void put_link(const char *target, const char *rel) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", tmp, rel);
        cr_assert_eq(symlink(target, path), 0, "symlink %s", path);
}

/* --- language --- */

Test(scripts, language_from_extension) {
        cr_assert_eq(skill_language_from_extension("scripts/main.py"), SKILL_LANG_PYTHON);
        cr_assert_eq(skill_language_from_extension("a.js"), SKILL_LANG_NODE);
        cr_assert_eq(skill_language_from_extension("a.mjs"), SKILL_LANG_NODE);
        cr_assert_eq(skill_language_from_extension("a.cjs"), SKILL_LANG_NODE);
        cr_assert_eq(skill_language_from_extension("a.ts"), SKILL_LANG_NODE);
        cr_assert_eq(skill_language_from_extension("a.sh"), SKILL_LANG_SHELL);
        cr_assert_eq(skill_language_from_extension("a.bash"), SKILL_LANG_SHELL);
        cr_assert_eq(skill_language_from_extension("a.rb"), SKILL_LANG_NONE);
        cr_assert_eq(skill_language_from_extension("a.txt"), SKILL_LANG_NONE);
        cr_assert_eq(skill_language_from_extension("noext"), SKILL_LANG_NONE);
        cr_assert_eq(skill_language_from_extension(".py"), SKILL_LANG_NONE, "a dotfile, not .py");
        cr_assert_eq(skill_language_from_extension("dir.py/run"), SKILL_LANG_NONE);
        cr_assert_eq(skill_language_from_extension("a.PY"), SKILL_LANG_NONE);
        cr_assert_eq(skill_language_from_extension("a.py.bak"), SKILL_LANG_NONE);
}

Test(scripts, language_names) {
        cr_assert_str_eq(skill_language_to_string(SKILL_LANG_PYTHON), "python");
        cr_assert_str_eq(skill_language_to_string(SKILL_LANG_NODE), "node");
        cr_assert_str_eq(skill_language_to_string(SKILL_LANG_SHELL), "bash");
        cr_assert_null(skill_language_to_string(SKILL_LANG_NONE));
}

static enum skill_language shebang(const char *s) {
        return skill_language_from_shebang(s, strlen(s));
}

Test(scripts, shebang_detection) {
        cr_assert_eq(shebang("#!/usr/bin/env python3\nprint(1)\n"), SKILL_LANG_PYTHON);
        cr_assert_eq(shebang("#!/usr/bin/python\n"), SKILL_LANG_PYTHON);
        cr_assert_eq(shebang("#!/usr/bin/python3.11 -u\n"), SKILL_LANG_PYTHON);
        cr_assert_eq(shebang("#!/bin/bash\n"), SKILL_LANG_SHELL);
        cr_assert_eq(shebang("#!/bin/sh -e\n"), SKILL_LANG_SHELL);
        cr_assert_eq(shebang("#!/usr/bin/env bash\r\necho\r\n"), SKILL_LANG_SHELL);
        cr_assert_eq(shebang("#!/bin/dash"), SKILL_LANG_SHELL);
        cr_assert_eq(shebang("#!/usr/bin/env -S node --flag\n"), SKILL_LANG_NODE);
        cr_assert_eq(shebang("#!/usr/bin/env node\n"), SKILL_LANG_NODE);
        cr_assert_eq(shebang("#!/usr/bin/nodejs\n"), SKILL_LANG_NODE);
        cr_assert_eq(shebang("#! /bin/bash\n"), SKILL_LANG_SHELL, "blank after #!");
        cr_assert_eq(shebang("#!\t/usr/bin/env\tpython3\n"), SKILL_LANG_PYTHON);
}

Test(scripts, shebang_not_recognised) {
        cr_assert_eq(shebang(""), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!\n/bin/bash\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("# /bin/bash\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang(" #!/bin/bash\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!/usr/bin/env ruby\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!/usr/bin/perl\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!/usr/bin/env\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("#!/usr/bin/env -S\n"), SKILL_LANG_NONE);
        cr_assert_eq(shebang("print('no shebang')\n"), SKILL_LANG_NONE);
        /* The length given is respected: the interpreter lies past n. */
        cr_assert_eq(skill_language_from_shebang("#!/bin/bash", 5), SKILL_LANG_NONE);
}

Test(scripts, shebang_long_line_is_bounded) {
        char head[SKILL_SCRIPT_HEAD_MAX * 2];
        memset(head, 'x', sizeof(head));
        memcpy(head, "#!/", 3);
        cr_assert_eq(skill_language_from_shebang(head, sizeof(head)), SKILL_LANG_NONE);
        memset(head, ' ', sizeof(head));
        memcpy(head, "#!", 2);
        cr_assert_eq(skill_language_from_shebang(head, sizeof(head)), SKILL_LANG_NONE);
}

TestSuite(scripts_fs, .init = setup, .fini = teardown);

Test(scripts_fs, detect_language_extension_then_shebang) {
        put("scripts/a.py", "no shebang needed\n");
        put("scripts/run", "#!/usr/bin/env python3\n");
        put("scripts/tool", "#!/bin/bash\necho\n");
        put("scripts/data", "plain data\n");
        put("scripts/empty", "");
        put("scripts/x.js", "#!/bin/bash\n"); /* the extension wins */
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/a.py"), SKILL_LANG_PYTHON);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/run"), SKILL_LANG_PYTHON);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/tool"), SKILL_LANG_SHELL);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/data"), SKILL_LANG_NONE);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/empty"), SKILL_LANG_NONE);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/x.js"), SKILL_LANG_NODE);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts/missing"), SKILL_LANG_NONE);
        cr_assert_eq(skill_detect_language(tmp_fd, "scripts"), SKILL_LANG_NONE, "a directory");
}

Test(scripts_fs, detect_language_does_not_read_outside) {
        put("outside/evil", "#!/bin/bash\n");
        put_dir("skill");
        put_link("../outside/evil", "skill/link");
        char path[4096];
        snprintf(path, sizeof(path), "%s/skill", tmp);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(fd, 0);
        cr_assert_eq(skill_detect_language(fd, "link"), SKILL_LANG_NONE);
        cr_assert_eq(skill_detect_language(fd, "../outside/evil"), SKILL_LANG_NONE);
}

Test(scripts_fs, no_scripts_directory) {
        struct skill_script *list = (void *) 1;
        size_t n = 99;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        cr_assert_null(list);
        cr_assert_eq(n, 0);
}

Test(scripts_fs, scripts_is_a_file) {
        put("scripts", "not a directory\n");
        struct skill_script *list = NULL;
        size_t n = 0;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        cr_assert_eq(n, 0);
}

Test(scripts_fs, symlinked_scripts_directory_ignored) {
        put("elsewhere/main.py", "print(1)\n");
        put_link("elsewhere", "scripts");
        struct skill_script *list = NULL;
        size_t n = 0;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        cr_assert_eq(n, 0, "scripts/ as a symlink is not followed");
}

Test(scripts_fs, listing_sorted_with_exclusions) {
        put("scripts/util.js", "module.exports = 1;\n");
        put("scripts/main.py", "print(1)\n");
        put("scripts/run", "#!/bin/bash\necho\n");
        put("scripts/helper.ts", "export {};\n");
        put("scripts/README.md", "# docs\n");
        put("scripts/data.json", "{}\n");
        put("scripts/notes", "just text\n");
        put("scripts/test_main.py", "def test(): pass\n");
        put("scripts/test_run.sh", "echo\n");
        put("scripts/main_test.py", "def test(): pass\n");
        put("scripts/__init__.py", "");
        put("scripts/.hidden.py", "print(1)\n");
        put("scripts/.env", "#!/bin/bash\n");
        put("scripts/sub/deep.py", "print(1)\n");
        put_link("main.py", "scripts/alias.py");
        put("outside.py", "print(1)\n");
        put_link("../outside.py", "scripts/escape.py");

        struct skill_script *list = NULL;
        size_t n = 0;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        const char *paths[] = { "scripts/helper.ts", "scripts/main.py", "scripts/run",
                                "scripts/util.js" };
        enum skill_language langs[] = { SKILL_LANG_NODE, SKILL_LANG_PYTHON, SKILL_LANG_SHELL,
                                        SKILL_LANG_NODE };
        for (size_t i = 0; i < n; i++)
                cr_log_info("%s", list[i].path);
        cr_assert_eq(n, ELEMENTSOF(paths));
        for (size_t i = 0; i < n; i++) {
                cr_assert_str_eq(list[i].path, paths[i]);
                cr_assert_eq(list[i].language, langs[i], "%s", paths[i]);
        }
        skill_scripts_free(list, n);
}

Test(scripts_fs, exclusion_edges) {
        put("scripts/_test.py", "print(1)\n");         /* "_test.py" itself is a name, not a suffix */
        put("scripts/contest_x.py", "print(1)\n");     /* "test_" only as a prefix */
        put("scripts/testing.py", "print(1)\n");
        put("scripts/x_test.js", "1;\n");              /* *_test only for .py */
        put("scripts/__init__.sh", "echo\n");
        struct skill_script *list = NULL;
        size_t n = 0;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        const char *paths[] = { "scripts/__init__.sh", "scripts/_test.py", "scripts/contest_x.py",
                                "scripts/testing.py", "scripts/x_test.js" };
        cr_assert_eq(n, ELEMENTSOF(paths));
        for (size_t i = 0; i < n; i++)
                cr_assert_str_eq(list[i].path, paths[i]);
        skill_scripts_free(list, n);
}

Test(scripts_fs, script_cap_boundary) {
        char rel[64];
        for (int i = 0; i < SKILL_SCRIPTS_MAX; i++) {
                snprintf(rel, sizeof(rel), "scripts/s%03d.py", i);
                put(rel, "");
        }
        put("scripts/ignored.txt", ""); /* not a script: does not count */
        struct skill_script *list = NULL;
        size_t n = 0;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), 0);
        cr_assert_eq(n, SKILL_SCRIPTS_MAX);
        cr_assert_str_eq(list[0].path, "scripts/s000.py");
        skill_scripts_free(list, n);

        put("scripts/one-more.sh", "");
        list = (void *) 1;
        n = 7;
        cr_assert_eq(skill_list_scripts(tmp_fd, &list, &n), -E2BIG);
        cr_assert_null(list);
        cr_assert_eq(n, 0);
}

/* --- default entry --- */

static const char *entry_of(const char *const *paths, size_t n) {
        static struct skill_script scripts[16];
        for (size_t i = 0; i < n; i++)
                scripts[i] = (struct skill_script) { (char *) paths[i], SKILL_LANG_PYTHON };
        return skill_default_entry(scripts, n);
}
#define ENTRY(...)                                                                                 \
        ({                                                                                         \
                const char *const _p[] = { __VA_ARGS__ };                                          \
                entry_of(_p, ELEMENTSOF(_p));                                                      \
        })

static void expect_entry(const char *got, const char *want) {
        if (!want)
                cr_assert_null(got, "expected no entry, got %s", got);
        else {
                cr_assert_not_null(got, "expected %s", want);
                cr_assert_str_eq(got, want);
        }
}

Test(scripts, default_entry_order) {
        expect_entry(ENTRY("scripts/main.sh", "scripts/main.ts", "scripts/main.js", "scripts/main.py"),
                     "scripts/main.py");
        expect_entry(ENTRY("scripts/main.sh", "scripts/main.ts", "scripts/main.js"), "scripts/main.js");
        expect_entry(ENTRY("scripts/main.sh", "scripts/main.ts"), "scripts/main.ts");
        expect_entry(ENTRY("scripts/index.py", "scripts/main.sh"), "scripts/main.sh");
        expect_entry(ENTRY("scripts/a.py", "scripts/index.js", "scripts/index.sh"), "scripts/index.js");
        expect_entry(ENTRY("scripts/a.py", "scripts/index.ts", "scripts/index.sh"), "scripts/index.ts");
        expect_entry(ENTRY("scripts/index.sh", "scripts/z.py"), "scripts/index.sh");
        expect_entry(ENTRY("scripts/index.py", "scripts/index.js"), "scripts/index.py");
}

Test(scripts, default_entry_only_script_or_none) {
        expect_entry(ENTRY("scripts/tool.py"), "scripts/tool.py");
        expect_entry(ENTRY("scripts/run"), "scripts/run");
        expect_entry(ENTRY("scripts/a.py", "scripts/b.py"), NULL);
        expect_entry(ENTRY("scripts/main.mjs", "scripts/b.py"), NULL);
        expect_entry(skill_default_entry(NULL, 0), NULL);
}
