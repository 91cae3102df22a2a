/* Integrity of installed skills (src/skill/integrity.c, installed.c): the manifest and its tree
 * hash (== skill_hash_dir), what it refuses, comparison, the MAC'd records in the state DB and
 * what editing them without the key does, the key file, verification, and the schema migration.
 * Each test works in its own temp dir with SKILLLITE_STATE_DB pointed there. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/skill/integrity.h"
#include "../../src/skill/skill_hash.h"
#include "../../src/skill/state_db.h"

static char tmp[64];
static char db_path[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static void setup(void) {
        snprintf(tmp, sizeof(tmp), "/tmp/skilllite-integ-XXXXXX");
        cr_assert_not_null(mkdtemp(tmp));
        char state[128];
        snprintf(state, sizeof(state), "%s/state", tmp);
        cr_assert_eq(mkdir(state, 0700), 0);
        snprintf(db_path, sizeof(db_path), "%s/state.db", state);
        setenv("SKILLLITE_STATE_DB", db_path, 1);
        setenv("HOME", tmp, 1);
        umask(022);
}

static void teardown(void) {
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(integrity, .init = setup, .fini = teardown);

static void path_of(const char *rel, char out[512]) {
        snprintf(out, 512, "%s/%s", tmp, rel);
}

static void mkdirs_for(const char *rel) {
        char path[512];
        path_of(rel, path);
        for (char *s = path + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
                *s = '/';
        }
}

static void putn(const char *rel, const char *content, size_t n, mode_t mode) {
        mkdirs_for(rel);
        char path[512];
        path_of(rel, path);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "%s", path);
        cr_assert_eq(fwrite(content, 1, n, f), n);
        fclose(f);
        cr_assert_eq(chmod(path, mode), 0);
}

static void put(const char *rel, const char *content, mode_t mode) {
        putn(rel, content, strlen(content), mode);
}

static void mkdir_rel(const char *rel, mode_t mode) {
        mkdirs_for(rel);
        char path[512];
        path_of(rel, path);
        cr_assert(mkdir(path, mode) == 0 || errno == EEXIST);
        cr_assert_eq(chmod(path, mode), 0);
}

static void link_rel(const char *target, const char *rel) {
        mkdirs_for(rel);
        char path[512];
        path_of(rel, path);
        cr_assert_eq(symlink(target, path), 0);
}

static int open_rel(const char *rel) {
        char path[512];
        path_of(rel, path);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(fd, 0, "%s", path);
        return fd;
}

static int build(const char *rel, struct integrity_manifest *m, struct error *err) {
        _cleanup_close_ int fd = open_rel(rel);
        return integrity_manifest_build(fd, m, err);
}

static void build_ok(const char *rel, struct integrity_manifest *m) {
        struct error err = ERROR_INIT;
        cr_assert_eq(build(rel, m, &err), 0, "%s: %s", rel, err.msg);
}

static void hex_of(const void *data, size_t n, char out[SHA256_HEX_BYTES]) {
        uint8_t d[SHA256_DIGEST_BYTES];
        cr_assert_eq(sha256_buffer(data, n, d), 0);
        sha256_to_hex(d, out);
}

static void manifest_donep(struct integrity_manifest *m) {
        integrity_manifest_done(m);
}
#define _cleanup_manifest_ _cleanup_(manifest_donep)

/* ---- the manifest ------------------------------------------------------------------------- */

Test(integrity, manifest_fields_and_order) {
        put("s/SKILL.md", "---\nname: s\n---\n", 0644);
        put("s/a/b", "bee", 0600);
        put("s/a-c", "", 0644);
        put("s/exe", "#!/bin/sh\n", 0755);
        mkdir_rel("s/a", 0750);
        link_rel("SKILL.md", "s/l");
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        build_ok("s", &m);
        /* walk order: "a" < "a/b" < "a-c", although '-' < '/' bytewise */
        const char *paths[] = { "SKILL.md", "a", "a/b", "a-c", "exe", "l" };
        const char types[] = { 'f', 'd', 'f', 'f', 'f', 'l' };
        const uint32_t modes[] = { 0644, 0750, 0600, 0644, 0755, 0 };
        const uint64_t sizes[] = { 16, 0, 3, 0, 10, 8 };
        const char *contents[] = { "---\nname: s\n---\n", NULL, "bee", "", "#!/bin/sh\n", "SKILL.md" };
        cr_assert_eq(m.n, ELEMENTSOF(paths));
        for (size_t i = 0; i < m.n; i++) {
                cr_expect_str_eq(m.v[i].path, paths[i]);
                cr_expect_eq(m.v[i].type, types[i], "%s", paths[i]);
                cr_expect_eq(m.v[i].mode, modes[i], "%s: %o", paths[i], m.v[i].mode);
                cr_expect_eq(m.v[i].size, sizes[i], "%s", paths[i]);
                if (!contents[i]) {
                        cr_expect_str_eq(m.v[i].digest, "");
                        continue;
                }
                char want[SHA256_HEX_BYTES];
                hex_of(contents[i], strlen(contents[i]), want);
                cr_expect_str_eq(m.v[i].digest, want, "%s", paths[i]);
        }
        cr_expect_eq(strlen(m.tree_hash), 64);
}

static void expect_same_hash(const char *rel) {
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        build_ok(rel, &m);
        char h[SHA256_HEX_BYTES];
        struct error err = ERROR_INIT;
        _cleanup_close_ int fd = open_rel(rel);
        cr_assert_eq(skill_hash_dir(fd, h, &err), 0, "%s", err.msg);
        cr_expect_str_eq(m.tree_hash, h, "%s", rel);
}

Test(integrity, tree_hash_is_skill_hash_dir) {
        mkdir_rel("empty", 0755);
        expect_same_hash("empty");
        put("one/f", "hi\n", 0644);
        expect_same_hash("one");
        put("nest/SKILL.md", "x", 0644);
        put("nest/a/b/c/deep.py", "print(1)\n", 0755);
        put("nest/__pycache__/x.cpython-311.pyc", "\x00\x01", 0644);
        put("nest/node_modules/p/index.js", "module.exports = 1\n", 0644);
        put("nest/a-c", "k", 0444);
        put("nest/\xc3\xbc", "utf-8 name", 0644);
        mkdir_rel("nest/emptydir", 0700);
        link_rel("a/b/c/deep.py", "nest/link");
        link_rel("../..", "nest/a/b/up");
        char big[200000];
        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (char) (i * 7);
        putn("nest/big.bin", big, sizeof(big), 0644);
        expect_same_hash("nest");
        put("nest/a/b/c/deep.py", "print(2)\n", 0755);
        expect_same_hash("nest");
}

/* The walker was split out of skill_hash.c: this pins the digest of one tree (computed before
 * the split), since every approval in an existing state DB is keyed by it. */
Test(integrity, tree_hash_format_is_pinned) {
        put("kat/SKILL.md", "---\nname: kat\n---\n", 0644);
        put("kat/scripts/main.py", "print(1)\n", 0755);
        putn("kat/__pycache__/x.pyc", "ab\0c", 4, 0644);
        mkdir_rel("kat/scripts", 0755);
        mkdir_rel("kat/__pycache__", 0755);
        link_rel("scripts/main.py", "kat/l");
        char h[SHA256_HEX_BYTES];
        struct error err = ERROR_INIT;
        _cleanup_close_ int fd = open_rel("kat");
        cr_assert_eq(skill_hash_dir(fd, h, &err), 0, "%s", err.msg);
        cr_expect_str_eq(h, "758db372972912494114a44e071d6e9262f393294712474594c3e561e5619f82");
        expect_same_hash("kat");
}

static void expect_refused(const char *rel, int code, const char *needle) {
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(build(rel, &m, &err), code, "%s: %s", rel, err.msg);
        cr_expect_not_null(strstr(err.msg, needle), "'%s' should name '%s'", err.msg, needle);
        cr_expect_eq(m.n, 0);
        /* skill_hash_dir still hashes the tree: approvals of such a tree keep working */
        char h[SHA256_HEX_BYTES];
        struct error herr = ERROR_INIT;
        _cleanup_close_ int fd = open_rel(rel);
        cr_expect_eq(skill_hash_dir(fd, h, &herr), 0, "%s", herr.msg);
}

Test(integrity, symlinks_inside_are_recorded) {
        put("s/SKILL.md", "x", 0644);
        put("s/a/b/f", "y", 0644);
        link_rel("../SKILL.md", "s/a/l1");
        link_rel("../../SKILL.md", "s/a/b/l2");
        link_rel(".", "s/self");
        link_rel("./a//b/./f", "s/l3");
        link_rel("a/b/missing", "s/dangling"); /* dangling but inside: still inside */
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        build_ok("s", &m);
        size_t links = 0;
        for (size_t i = 0; i < m.n; i++)
                links += m.v[i].type == INTEGRITY_LINK;
        cr_expect_eq(links, 5);
        expect_same_hash("s");
}

Test(integrity, symlinks_leaving_the_skill_are_refused) {
        put("out/SKILL.md", "x", 0644);
        link_rel("../secret", "out/l");
        expect_refused("out", -EPERM, "l: the symbolic link to \"../secret\" leaves the skill");

        put("deep/a/b/f", "x", 0644);
        link_rel("../../../x", "deep/a/b/l");
        expect_refused("deep", -EPERM, "a/b/l");

        put("abs/SKILL.md", "x", 0644);
        link_rel("/etc/passwd", "abs/passwd");
        expect_refused("abs", -EPERM, "passwd: the symbolic link to \"/etc/passwd\" is absolute");

        /* d/up -> ".." stays inside, but d/up/../.. is the skill's parent for the kernel */
        put("chain/SKILL.md", "x", 0644);
        link_rel("..", "chain/d/up");
        link_rel("d/up/../..", "chain/z");
        expect_refused("chain", -EPERM, "has '..' after a name");
}

Test(integrity, fifos_sockets_and_bad_names_are_refused) {
        put("f/SKILL.md", "x", 0644);
        char path[512];
        path_of("f/pipe", path);
        cr_assert_eq(mkfifo(path, 0644), 0);
        expect_refused("f", -EPERM, "pipe: a FIFO is not allowed");

        put("k/SKILL.md", "x", 0644);
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        cr_assert_geq(s, 0);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/k/sock", tmp);
        cr_assert_eq(bind(s, (struct sockaddr *) &sa, sizeof(sa)), 0);
        close(s);
        expect_refused("k", -EPERM, "sock: a socket is not allowed");

        put("u/SKILL.md", "x", 0644);
        put("u/bad\xff", "x", 0644);
        expect_refused("u", -EILSEQ, "not valid UTF-8");
}

/* ---- JSON form ---------------------------------------------------------------------------- */

Test(integrity, manifest_json_round_trip) {
        put("s/SKILL.md", "x", 0644);
        put("s/a/b.py", "print()\n", 0755);
        link_rel("a/b.py", "s/l");
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        build_ok("s", &m);
        _cleanup_json_ json_t *j = integrity_manifest_to_json(&m);
        cr_assert_not_null(j);
        cr_assert_eq(json_array_size(j), 4);
        json_t *e = json_array_get(j, 1);
        cr_expect_str_eq(json_string_value(json_object_get(e, "path")), "a");
        cr_expect_str_eq(json_string_value(json_object_get(e, "type")), "d");
        cr_expect_eq(json_integer_value(json_object_get(e, "mode")), 0755);
        _cleanup_manifest_ struct integrity_manifest back = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(integrity_manifest_from_json(j, &back, &err), 0, "%s", err.msg);
        _cleanup_json_ json_t *diff = integrity_compare(&m, &back);
        cr_expect_eq(json_array_size(diff), 0);
        cr_assert_eq(back.n, m.n);
        for (size_t i = 0; i < m.n; i++) {
                cr_expect_str_eq(back.v[i].path, m.v[i].path);
                cr_expect_eq(back.v[i].type, m.v[i].type);
                cr_expect_eq(back.v[i].mode, m.v[i].mode);
                cr_expect_eq(back.v[i].size, m.v[i].size);
                cr_expect_str_eq(back.v[i].digest, m.v[i].digest);
        }
}

Test(integrity, manifest_json_malformed_is_refused) {
        const char *D = "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"";
        char ok_file[256];
        snprintf(ok_file, sizeof(ok_file), "[{\"path\":\"a\",\"type\":\"f\",\"mode\":420,\"size\":1,\"digest\":%s}]",
                 D);
        const char *bad[] = {
                "{}",
                "[1]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\",\"x\":1}]",
                "[{\"path\":\"a\",\"type\":\"x\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"dd\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":4096,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":-1,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":1,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"ab\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":\"493\",\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"f\",\"mode\":420,\"size\":-1,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"f\",\"mode\":420,\"size\":1,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"f\",\"mode\":420,\"size\":1,\"digest\":"
                "\"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"}]",
                "[{\"path\":\"\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"/a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"../a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a/..\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a//b\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a/./b\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a/\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\\u0000b\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                /* out of order, and repeated */
                "[{\"path\":\"b\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"},"
                "{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a-c\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"},"
                "{\"path\":\"a/b\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
                "[{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"},"
                "{\"path\":\"a\",\"type\":\"d\",\"mode\":493,\"size\":0,\"digest\":\"\"}]",
        };
        json_error_t jerr;
        _cleanup_json_ json_t *good = json_loads(ok_file, JSON_ALLOW_NUL, &jerr);
        cr_assert_not_null(good, "%s", jerr.text);
        _cleanup_manifest_ struct integrity_manifest m = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(integrity_manifest_from_json(good, &m, &err), 0, "%s", err.msg);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                json_t *j = json_loads(bad[i], JSON_ALLOW_NUL, &jerr);
                cr_assert_not_null(j, "%s: %s", bad[i], jerr.text);
                struct integrity_manifest x = { 0 };
                struct error e = ERROR_INIT;
                cr_expect_eq(integrity_manifest_from_json(j, &x, &e), -EBADMSG, "%s", bad[i]);
                cr_expect_eq(x.n, 0);
                integrity_manifest_done(&x);
                json_decref(j);
        }
}

/* ---- comparison --------------------------------------------------------------------------- */

static void expect_changes(json_t *changes, const char *want) {
        cr_assert_not_null(changes);
        char got[2048] = "";
        size_t i;
        json_t *c;
        json_array_foreach(changes, i, c) {
                size_t len = strlen(got);
                snprintf(got + len, sizeof(got) - len, "%s%s:%s", i ? " " : "",
                         json_string_value(json_object_get(c, "path")),
                         json_string_value(json_object_get(c, "change")));
        }
        cr_expect_str_eq(got, want);
}

static void make_skill(const char *dir) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/SKILL.md", dir);
        put(rel, "---\nname: demo\n---\n", 0644);
        snprintf(rel, sizeof(rel), "%s/scripts/main.py", dir);
        put(rel, "print('hello')\n", 0755);
        snprintf(rel, sizeof(rel), "%s/scripts/__pycache__/main.cpython-311.pyc", dir);
        put(rel, "BYTECODE", 0644);
        snprintf(rel, sizeof(rel), "%s/node_modules/pkg/index.js", dir);
        put(rel, "module.exports = 1;\n", 0644);
        snprintf(rel, sizeof(rel), "%s/data.txt", dir);
        put(rel, "data", 0644);
}

Test(integrity, compare_names_every_change) {
        make_skill("s");
        _cleanup_manifest_ struct integrity_manifest before = { 0 }, same = { 0 }, after = { 0 };
        build_ok("s", &before);
        build_ok("s", &same);
        _cleanup_json_ json_t *none = integrity_compare(&before, &same);
        expect_changes(none, "");

        put("s/scripts/__pycache__/main.cpython-311.pyc", "BYTECOD3", 0644); /* same size */
        put("s/node_modules/pkg/evil.js", "require('child_process')", 0644);
        put("s/SKILL.md", "---\nname: demo\n---\n", 0600);
        char path[512];
        path_of("s/data.txt", path);
        cr_assert_eq(unlink(path), 0);
        cr_assert_eq(mkdir(path, 0755), 0); /* a file became a directory */
        put("s/scripts/main.py", "import os\n", 0644); /* content and mode: one change */
        path_of("s/node_modules/pkg/index.js", path);
        cr_assert_eq(unlink(path), 0);
        build_ok("s", &after);
        _cleanup_json_ json_t *changes = integrity_compare(&before, &after);
        expect_changes(changes, "SKILL.md:mode data.txt:type node_modules/pkg/evil.js:added "
                                "node_modules/pkg/index.js:removed scripts/__pycache__/main.cpython-311.pyc:modified "
                                "scripts/main.py:modified");
        cr_expect_str_neq(before.tree_hash, after.tree_hash);
}

Test(integrity, compare_sees_link_retargets) {
        put("s/a", "x", 0644);
        put("s/b", "x", 0644);
        link_rel("a", "s/l");
        _cleanup_manifest_ struct integrity_manifest before = { 0 }, after = { 0 };
        build_ok("s", &before);
        char path[512];
        path_of("s/l", path);
        cr_assert_eq(unlink(path), 0);
        link_rel("b", "s/l"); /* same length, another target */
        build_ok("s", &after);
        _cleanup_json_ json_t *changes = integrity_compare(&before, &after);
        expect_changes(changes, "l:modified");
}

/* ---- records ------------------------------------------------------------------------------ */

static void skill_donep(struct installed_skill *s) {
        installed_skill_done(s);
}
#define _cleanup_skill_ _cleanup_(skill_donep)

/* A record for skill <tmp>/<dir>/<name> as it is on disk now. */
static void record_for(const char *dir, const char *name, struct installed_skill *s) {
        char rel[256], abs[512];
        snprintf(rel, sizeof(rel), "%s/%s", dir, name);
        path_of(dir, abs);
        char *real = realpath(abs, NULL);
        cr_assert_not_null(real);
        *s = (struct installed_skill) {
                .skills_dir = real,
                .name = strdup(name),
                .source = strdup("/src/x"),
                .version = strdup("1.0"),
                .verdict = strdup("medium"),
                .channel = strdup("tty"),
                .permissions = json_pack("{s:[s], s:[], s:[s]}", "network", "api.example.com", "exec", "requests",
                                         "python3"),
                .installed_at = 1700000000,
        };
        build_ok(rel, &s->manifest);
}

static struct state_db *open_db(void) {
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(state_db_open(true, &db, &err), 0, "%s", err.msg);
        return db;
}

static void put_ok(struct state_db *db, const struct installed_skill *s) {
        struct error err = ERROR_INIT;
        cr_assert_eq(installed_put(db, s, &err), 0, "%s", err.msg);
}

Test(integrity, records_round_trip) {
        make_skill("skills/alpha");
        make_skill("skills/beta");
        make_skill("other/alpha");
        _cleanup_state_db_ struct state_db *db = open_db();
        _cleanup_skill_ struct installed_skill a = { 0 }, b = { 0 }, o = { 0 };
        record_for("skills", "beta", &b);
        record_for("skills", "alpha", &a);
        record_for("other", "alpha", &o);
        put_ok(db, &b);
        put_ok(db, &a);
        put_ok(db, &o);

        struct error err = ERROR_INIT;
        _cleanup_skill_ struct installed_skill got = { 0 };
        cr_assert_eq(installed_get(db, a.skills_dir, "alpha", &got, &err), 1, "%s", err.msg);
        cr_expect_str_eq(got.skills_dir, a.skills_dir);
        cr_expect_str_eq(got.name, "alpha");
        cr_expect_str_eq(got.source, "/src/x");
        cr_expect_str_eq(got.version, "1.0");
        cr_expect_str_eq(got.verdict, "medium");
        cr_expect_str_eq(got.channel, "tty");
        cr_expect(json_equal(got.permissions, a.permissions));
        cr_expect_eq(got.installed_at, 1700000000);
        cr_expect_str_eq(got.manifest.tree_hash, a.manifest.tree_hash);
        cr_expect_eq(got.manifest.n, a.manifest.n);
        _cleanup_json_ json_t *diff = integrity_compare(&a.manifest, &got.manifest);
        cr_expect_eq(json_array_size(diff), 0);

        struct installed_skill none = { 0 };
        cr_expect_eq(installed_get(db, a.skills_dir, "gamma", &none, &err), 0);
        cr_expect_eq(installed_get(db, "/nowhere", "alpha", &none, &err), 0);

        /* replace: the newer record wins */
        free(a.verdict);
        a.verdict = strdup("high");
        json_decref(a.permissions);
        a.permissions = NULL;
        put_ok(db, &a);
        _cleanup_skill_ struct installed_skill again = { 0 };
        cr_assert_eq(installed_get(db, a.skills_dir, "alpha", &again, &err), 1, "%s", err.msg);
        cr_expect_str_eq(again.verdict, "high");
        cr_expect_null(again.permissions);

        struct installed_listed *v = NULL;
        size_t n = 0;
        cr_assert_eq(installed_list(db, NULL, &v, &n, &err), 0, "%s", err.msg);
        cr_assert_eq(n, 3);
        /* sorted by (skills_dir, name): <tmp>/other < <tmp>/skills */
        cr_expect_str_eq(v[0].s.skills_dir, o.skills_dir);
        cr_expect_str_eq(v[1].s.name, "alpha");
        cr_expect_str_eq(v[2].s.name, "beta");
        cr_expect_null(v[3].s.name, "NULL-name terminated");
        for (size_t i = 0; i < n; i++)
                cr_expect(v[i].mac_ok, "%s", v[i].s.name);
        installed_list_free(v, n);
        cr_assert_eq(installed_list(db, a.skills_dir, &v, &n, &err), 0, "%s", err.msg);
        cr_expect_eq(n, 2);
        installed_list_free(v, n);
        cr_assert_eq(installed_list(db, "/nowhere", &v, &n, &err), 0, "%s", err.msg);
        cr_expect_eq(n, 0);
        installed_list_free(v, n);

        cr_expect_eq(installed_remove(db, a.skills_dir, "alpha", &err), 1);
        cr_expect_eq(installed_remove(db, a.skills_dir, "alpha", &err), 0);
        cr_expect_eq(installed_get(db, a.skills_dir, "alpha", &none, &err), 0);
        cr_expect_eq(installed_get(db, o.skills_dir, "alpha", &none, &err), 1, "the other directory's alpha stays");
        installed_skill_done(&none);
}

Test(integrity, put_refuses_malformed_records) {
        make_skill("skills/alpha");
        _cleanup_state_db_ struct state_db *db = open_db();
        _cleanup_skill_ struct installed_skill a = { 0 };
        record_for("skills", "alpha", &a);
        struct error err = ERROR_INIT;
        char *keep = a.name;
        const char *bad_names[] = { "", ".", "..", "../x", "a/b" };
        for (size_t i = 0; i < ELEMENTSOF(bad_names); i++) {
                a.name = (char *) bad_names[i];
                cr_expect_eq(installed_put(db, &a, &err), -EINVAL, "%s", bad_names[i]);
        }
        a.name = keep;
        char *dir = a.skills_dir;
        a.skills_dir = (char *) "relative/dir";
        cr_expect_eq(installed_put(db, &a, &err), -EINVAL);
        a.skills_dir = dir;
        a.manifest.tree_hash[0] = '\0';
        cr_expect_eq(installed_put(db, &a, &err), -EINVAL);
        struct installed_listed *v = NULL;
        size_t n = 9;
        cr_assert_eq(installed_list(db, NULL, &v, &n, &err), 0);
        cr_expect_eq(n, 0, "nothing was recorded");
        installed_list_free(v, n);
}

/* Edit the DB as an attacker without the key would: with sqlite3 directly. */
static void tamper(const char *sql) {
        sqlite3 *h = NULL;
        cr_assert_eq(sqlite3_open(db_path, &h), SQLITE_OK);
        char *msg = NULL;
        cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg ? msg : "");
        cr_assert_eq(sqlite3_changes(h) > 0, 1, "%s changed nothing", sql);
        sqlite3_close(h);
}

static void expect_bad(struct state_db *db, const char *dir, const char *name) {
        struct error err = ERROR_INIT;
        struct installed_skill s = { 0 };
        cr_expect_eq(installed_get(db, dir, name, &s, &err), -EBADMSG, "%s", name);
        cr_expect_not_null(strstr(err.msg, "was modified without the key"), "%s", err.msg);
        cr_expect_null(s.name, "nothing is returned");
}

static bool listed_ok(struct state_db *db, const char *name) {
        struct installed_listed *v = NULL;
        size_t n = 0;
        struct error err = ERROR_INIT;
        cr_assert_eq(installed_list(db, NULL, &v, &n, &err), 0, "%s", err.msg);
        bool ok = false, seen = false;
        for (size_t i = 0; i < n; i++)
                if (v[i].s.name && streq(v[i].s.name, name)) {
                        ok = v[i].mac_ok;
                        seen = true;
                }
        installed_list_free(v, n);
        cr_assert(seen, "%s is listed", name);
        return ok;
}

Test(integrity, records_edited_without_the_key_are_refused) {
        const char *names[] = { "a", "b", "c", "d", "e", "f", "g" };
        _cleanup_state_db_ struct state_db *db = open_db();
        char dir[512];
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                char rel[64];
                snprintf(rel, sizeof(rel), "skills/%s", names[i]);
                make_skill(rel);
                _cleanup_skill_ struct installed_skill s = { 0 };
                record_for("skills", names[i], &s);
                snprintf(dir, sizeof(dir), "%s", s.skills_dir);
                put_ok(db, &s);
        }
        tamper("UPDATE installed SET tree_hash = '0000000000000000000000000000000000000000000000000000000000000000' "
               "WHERE name = 'a'");
        expect_bad(db, dir, "a");
        cr_expect_not(listed_ok(db, "a"));
        cr_expect(listed_ok(db, "g"), "the others are untouched");

        tamper("UPDATE installed SET name = 'b2' WHERE name = 'b'");
        expect_bad(db, dir, "b2");
        cr_expect_not(listed_ok(db, "b2"));

        tamper("UPDATE installed SET permissions = '{\"exec\":[],\"network\":[\"*\"],\"requests\":[]}' "
               "WHERE name = 'c'");
        expect_bad(db, dir, "c");

        tamper("UPDATE installed SET mac = (SELECT mac FROM installed WHERE name = 'e') WHERE name = 'd';"
               "UPDATE installed SET mac = (SELECT mac FROM installed WHERE name = 'g') WHERE name = 'e';"
               "UPDATE installed SET mac = (SELECT mac FROM installed WHERE name = 'd') WHERE name = 'g'");
        expect_bad(db, dir, "d");
        expect_bad(db, dir, "e");
        expect_bad(db, dir, "g");

        /* the manifest without the tampered file's entry (so a check would not see it change) */
        tamper("UPDATE installed SET manifest = json_remove(manifest, '$[0]') WHERE name = 'f'");
        expect_bad(db, dir, "f");
        cr_expect_not(listed_ok(db, "f"));
}

Test(integrity, records_edited_in_other_columns_are_refused) {
        const char *names[] = { "a", "b", "c", "d", "e" };
        _cleanup_state_db_ struct state_db *db = open_db();
        char dir[512];
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                char rel[64];
                snprintf(rel, sizeof(rel), "skills/%s", names[i]);
                make_skill(rel);
                _cleanup_skill_ struct installed_skill s = { 0 };
                record_for("skills", names[i], &s);
                snprintf(dir, sizeof(dir), "%s", s.skills_dir);
                put_ok(db, &s);
        }
        tamper("UPDATE installed SET verdict = 'safe' WHERE name = 'a'");
        expect_bad(db, dir, "a");
        tamper("UPDATE installed SET installed_at = installed_at + 1 WHERE name = 'b'");
        expect_bad(db, dir, "b");
        tamper("UPDATE installed SET skills_dir = '/elsewhere' WHERE name = 'c'");
        expect_bad(db, "/elsewhere", "c");
        tamper("UPDATE installed SET mac = upper(mac) WHERE name = 'd'");
        expect_bad(db, dir, "d");
        /* the same value as a BLOB: the MAC holds but the record is not what was written */
        tamper("UPDATE installed SET source = CAST(source AS BLOB) WHERE name = 'e'");
        expect_bad(db, dir, "e");
}

Test(integrity, a_lost_key_makes_every_record_bad) {
        make_skill("skills/a");
        _cleanup_state_db_ struct state_db *db = open_db();
        _cleanup_skill_ struct installed_skill s = { 0 };
        record_for("skills", "a", &s);
        put_ok(db, &s);
        char key[512];
        snprintf(key, sizeof(key), "%s/state/state.key", tmp);
        cr_assert_eq(unlink(key), 0);
        expect_bad(db, s.skills_dir, "a");
}

/* ---- the key ------------------------------------------------------------------------------ */

static void key_path(char out[512]) {
        snprintf(out, 512, "%s/state/state.key", tmp);
}

Test(integrity, key_is_created_private_and_reused) {
        uint8_t k1[INTEGRITY_KEY_BYTES], k2[INTEGRITY_KEY_BYTES];
        struct error err = ERROR_INIT;
        umask(0777); /* even a umask that leaves the owner nothing */
        cr_assert_eq(integrity_key_load(k1, &err), 0, "%s", err.msg);
        umask(022);
        char path[512];
        key_path(path);
        struct stat st;
        cr_assert_eq(lstat(path, &st), 0);
        cr_expect(S_ISREG(st.st_mode));
        cr_expect_eq(st.st_mode & 07777, 0600);
        cr_expect_eq(st.st_size, INTEGRITY_KEY_BYTES);
        cr_assert_eq(integrity_key_load(k2, &err), 0, "%s", err.msg);
        cr_expect_arr_eq(k1, k2, sizeof(k1));
        uint8_t zero[INTEGRITY_KEY_BYTES] = { 0 };
        cr_expect_arr_neq(k1, zero, sizeof(k1));
}

Test(integrity, key_in_the_xdg_state_dir) {
        unsetenv("SKILLLITE_STATE_DB");
        unsetenv("XDG_DATA_HOME");
        uint8_t k[INTEGRITY_KEY_BYTES];
        struct error err = ERROR_INIT;
        cr_assert_eq(integrity_key_load(k, &err), 0, "%s", err.msg);
        char path[512];
        snprintf(path, sizeof(path), "%s/.local/share/skilllite/state.key", tmp);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0);
        cr_expect_eq(st.st_mode & 07777, 0600);
        snprintf(path, sizeof(path), "%s/.local/share/skilllite", tmp);
        cr_assert_eq(stat(path, &st), 0);
        cr_expect_eq(st.st_mode & 0777, 0700);
}

static void expect_key_refused(const char *needle) {
        uint8_t k[INTEGRITY_KEY_BYTES];
        struct error err = ERROR_INIT;
        cr_expect_eq(integrity_key_load(k, &err), -EPERM, "%s", err.msg);
        cr_expect_not_null(strstr(err.msg, needle), "'%s' should say '%s'", err.msg, needle);
}

Test(integrity, bad_key_files_are_refused) {
        char path[512];
        key_path(path);
        put("state/state.key", "too short", 0600);
        expect_key_refused("is 9 bytes, not 32");
        put("state/state.key", "0123456789abcdef0123456789abcdef", 0644);
        expect_key_refused("accessible to group or others (mode 0644)");
        cr_assert_eq(chmod(path, 0620), 0);
        expect_key_refused("mode 0620");
        cr_assert_eq(chmod(path, 0604), 0);
        expect_key_refused("mode 0604");
        cr_assert_eq(chmod(path, 0600), 0);
        uint8_t k[INTEGRITY_KEY_BYTES];
        struct error err = ERROR_INIT;
        cr_expect_eq(integrity_key_load(k, &err), 0, "now it is fine: %s", err.msg);
        cr_expect_arr_eq(k, "0123456789abcdef0123456789abcdef", INTEGRITY_KEY_BYTES);
        if (geteuid() == 0) {
                cr_assert_eq(chown(path, 65534, 65534), 0);
                expect_key_refused("owned by uid 65534, not by you");
        }
        cr_assert_eq(unlink(path), 0);
        put("state/real.key", "0123456789abcdef0123456789abcdef", 0600);
        cr_assert_eq(symlink("real.key", path), 0);
        expect_key_refused("is a symbolic link");
        cr_assert_eq(unlink(path), 0);
        cr_assert_eq(mkfifo(path, 0600), 0);
        expect_key_refused("not a regular file"); /* and it did not hang */
        cr_assert_eq(unlink(path), 0);
        cr_assert_eq(mkdir(path, 0700), 0);
        expect_key_refused("not a regular file");
}

Test(integrity, first_use_race_ends_with_one_key) {
        enum { N = 6 };
        int fds[N][2];
        pid_t pids[N];
        for (int i = 0; i < N; i++) {
                cr_assert_eq(pipe(fds[i]), 0);
                pids[i] = fork();
                cr_assert_geq(pids[i], 0);
                if (pids[i] == 0) {
                        uint8_t k[INTEGRITY_KEY_BYTES];
                        struct error err = ERROR_INIT;
                        int r = integrity_key_load(k, &err);
                        if (r == 0 && write(fds[i][1], k, sizeof(k)) == (ssize_t) sizeof(k))
                                _exit(0);
                        _exit(1);
                }
                close(fds[i][1]);
        }
        uint8_t keys[N][INTEGRITY_KEY_BYTES];
        for (int i = 0; i < N; i++) {
                int status = 0;
                cr_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
                cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", i);
                cr_assert_eq(read(fds[i][0], keys[i], INTEGRITY_KEY_BYTES), INTEGRITY_KEY_BYTES);
                close(fds[i][0]);
        }
        uint8_t mine[INTEGRITY_KEY_BYTES];
        struct error err = ERROR_INIT;
        cr_assert_eq(integrity_key_load(mine, &err), 0, "%s", err.msg);
        for (int i = 0; i < N; i++)
                cr_expect_arr_eq(keys[i], mine, INTEGRITY_KEY_BYTES, "child %d has another key", i);
        /* no temp file left behind */
        char dir[512];
        snprintf(dir, sizeof(dir), "%s/state", tmp);
        DIR *d = opendir(dir);
        cr_assert_not_null(d);
        struct dirent *de;
        while ((de = readdir(d)))
                cr_expect_null(strstr(de->d_name, ".tmp."), "left behind: %s", de->d_name);
        closedir(d);
}

/* ---- verification ------------------------------------------------------------------------- */

static void install(struct state_db *db, const char *dir, const char *name) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/%s", dir, name);
        make_skill(rel);
        _cleanup_skill_ struct installed_skill s = { 0 };
        record_for(dir, name, &s);
        put_ok(db, &s);
}

static void result_donep(struct integrity_result *r) {
        integrity_result_done(r);
}

static enum integrity_status verify(struct state_db *db, const char *rel, struct integrity_result *res) {
        char path[512];
        path_of(rel, path);
        struct error err = ERROR_INIT;
        cr_assert_eq(integrity_verify_dir(db, path, res, &err), 0, "%s: %s", rel, err.msg);
        return res->status;
}

Test(integrity, verify_statuses) {
        _cleanup_state_db_ struct state_db *db = open_db();
        install(db, "skills", "demo");
        install(db, "skills", "other");
        {
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/demo", &res), INTEGRITY_OK);
                cr_expect_null(res.changes);
                cr_expect_eq(strlen(res.tree_hash), 64);
                cr_expect_str_eq(integrity_status_to_string(res.status), "ok");
        }
        {
                /* through a symlinked path: the record is found by the real one */
                char path[512];
                path_of("alias", path);
                char target[512];
                path_of("skills/demo", target);
                cr_assert_eq(symlink(target, path), 0);
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "alias", &res), INTEGRITY_OK);
                char trailing[] = "skills/demo/";
                cr_expect_eq(verify(db, trailing, &res), INTEGRITY_OK);
        }
        {
                /* a tampered file after install: named */
                put("skills/demo/scripts/main.py", "import subprocess; subprocess.run(['x'])\n", 0755);
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/demo", &res), INTEGRITY_CHANGED);
                expect_changes(res.changes, "scripts/main.py:modified");
                cr_expect_str_eq(integrity_status_to_string(res.status), "changed");
                put("skills/demo/scripts/main.py", "print('hello')\n", 0755);
        }
        {
                /* a tampered .pyc in __pycache__: bytecode is part of the skill */
                put("skills/other/scripts/__pycache__/main.cpython-311.pyc", "EVILCODE", 0644);
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/other", &res), INTEGRITY_CHANGED);
                expect_changes(res.changes, "scripts/__pycache__/main.cpython-311.pyc:modified");
        }
        {
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/demo", &res), INTEGRITY_OK, "restored");
        }
        {
                make_skill("skills/stray");
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/stray", &res), INTEGRITY_NOT_INSTALLED);
                cr_expect_null(res.changes);
        }
        {
                /* a record edited without the key */
                tamper("UPDATE installed SET tree_hash = "
                       "'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' WHERE name = 'demo'");
                _cleanup_(result_donep) struct integrity_result res = { 0 };
                cr_expect_eq(verify(db, "skills/demo", &res), INTEGRITY_BAD_RECORD);
                cr_expect_str_eq(integrity_status_to_string(res.status), "bad_record");
        }
}

Test(integrity, verify_refuses_what_cannot_be_decided) {
        _cleanup_state_db_ struct state_db *db = open_db();
        install(db, "skills", "demo");
        char path[512];
        path_of("skills/demo/pipe", path);
        cr_assert_eq(mkfifo(path, 0600), 0);
        struct integrity_result res = { 0 };
        struct error err = ERROR_INIT;
        path_of("skills/demo", path);
        cr_expect_eq(integrity_verify_dir(db, path, &res, &err), -EPERM);
        cr_expect_not_null(strstr(err.msg, "pipe"), "%s", err.msg);
        error_clear(&err);
        path_of("skills/missing", path);
        cr_expect_eq(integrity_verify_dir(db, path, &res, &err), -ENOENT);
        error_clear(&err);
        cr_expect_eq(integrity_verify_dir(db, "/", &res, &err), -EINVAL);
}

/* ---- schema ------------------------------------------------------------------------------- */

static int user_version(void) {
        sqlite3 *h = NULL;
        cr_assert_eq(sqlite3_open(db_path, &h), SQLITE_OK);
        sqlite3_stmt *st = NULL;
        cr_assert_eq(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        int v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
        return v;
}

static void raw_exec(const char *sql) {
        sqlite3 *h = NULL;
        cr_assert_eq(sqlite3_open(db_path, &h), SQLITE_OK);
        char *msg = NULL;
        cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
        sqlite3_close(h);
}

Test(integrity, schema_migrates_from_v1) {
        /* a DB as the previous engine wrote it */
        raw_exec("CREATE TABLE approvals (skill_hash TEXT PRIMARY KEY, skill_name TEXT NOT NULL,"
                 " verdict TEXT NOT NULL, channel TEXT NOT NULL, approved_at INTEGER NOT NULL);"
                 "INSERT INTO approvals VALUES ('h1', 'old-skill', 'high', 'tty', 1600000000);"
                 "PRAGMA user_version = 1;");
        cr_assert_eq(user_version(), 1);
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(state_db_open(false, &db, &err), 0, "%s", err.msg);
        cr_expect_eq(user_version(), 2);
        struct approval ap;
        cr_assert_eq(state_db_approval_get(db, "h1", &ap, &err), 1, "the old approval survives");
        cr_expect_str_eq(ap.verdict, "high");
        cr_expect_eq(ap.approved_at, 1600000000);
        make_skill("skills/a");
        _cleanup_skill_ struct installed_skill s = { 0 };
        record_for("skills", "a", &s);
        put_ok(db, &s);
        state_db_close(db);
        /* opening again changes nothing */
        cr_assert_eq(state_db_open(false, &db, &err), 0, "%s", err.msg);
        cr_expect_eq(user_version(), 2);
        _cleanup_skill_ struct installed_skill got = { 0 };
        cr_expect_eq(installed_get(db, s.skills_dir, "a", &got, &err), 1, "%s", err.msg);
        state_db_close(db);
}

Test(integrity, schema_fresh_and_future) {
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(state_db_open(true, &db, &err), 0, "%s", err.msg);
        state_db_close(db);
        cr_expect_eq(user_version(), 2);
        raw_exec("PRAGMA user_version = 99");
        cr_expect_eq(state_db_open(false, &db, &err), -EPROTO);
        cr_expect_not_null(strstr(err.msg, "schema version 99 is newer"), "%s", err.msg);
}
