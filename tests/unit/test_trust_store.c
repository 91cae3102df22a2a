/* The pieces level 3 relies on: the whole-skill hash (every byte, mode bit, name and link counts;
 * readdir order does not), the state DB's approvals, the scan cache and the XDG paths. Each test
 * works in its own temp dir with HOME / XDG_* pointed there. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/macros.h"
#include "../../src/base/xdg.h"
#include "../../src/scan/scan_cache.h"
#include "../../src/skill/skill_hash.h"
#include "../../src/skill/state_db.h"

static char tmp[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static void setup(void) {
        snprintf(tmp, sizeof(tmp), "/tmp/skilllite-trust-XXXXXX");
        cr_assert_not_null(mkdtemp(tmp));
        setenv("HOME", tmp, 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("XDG_CACHE_HOME");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("SKILLLITE_STATE_DB");
        unsetenv("SKILLLITE_SCAN_CACHE");
}

static void teardown(void) {
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(skill_hash, .init = setup, .fini = teardown);
TestSuite(state_db, .init = setup, .fini = teardown);
TestSuite(scan_cache, .init = setup, .fini = teardown);
TestSuite(xdg, .init = setup, .fini = teardown);

static void put(const char *rel, const char *content, mode_t mode) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", tmp, rel);
        for (char *s = path + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
                *s = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fputs(content, f);
        fclose(f);
        cr_assert_eq(chmod(path, mode), 0);
}

static void hash_of(const char *sub, char out[SHA256_HEX_BYTES]) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", tmp, sub);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(fd, 0);
        struct error err = ERROR_INIT;
        cr_assert_eq(skill_hash_dir(fd, out, &err), 0, "%s", err.msg);
        close(fd);
}

Test(skill_hash, every_change_changes_it) {
        put("s/SKILL.md", "---\nname: s\n---\n", 0644);
        put("s/scripts/main.py", "print(1)\n", 0644);
        char a[SHA256_HEX_BYTES], b[SHA256_HEX_BYTES];
        hash_of("s", a);
        hash_of("s", b);
        cr_expect_str_eq(a, b, "stable");
        cr_expect_eq(strlen(a), 64);

        put("s/scripts/main.py", "print(2)\n", 0644); /* content */
        hash_of("s", b);
        cr_expect_str_neq(a, b);
        put("s/scripts/main.py", "print(1)\n", 0644);
        hash_of("s", b);
        cr_expect_str_eq(a, b, "back to the same content, same hash");

        put("s/scripts/main.py", "print(1)\n", 0755); /* mode */
        hash_of("s", b);
        cr_expect_str_neq(a, b);
        put("s/scripts/main.py", "print(1)\n", 0644);

        /* a new file in a directory the original excluded from its hash */
        put("s/__pycache__/x.pyc", "junk", 0644);
        hash_of("s", b);
        cr_expect_str_neq(a, b);
}

Test(skill_hash, names_and_boundaries_are_unambiguous) {
        /* "ab" + "c" vs "a" + "bc": length prefixes keep them apart */
        put("x/ab", "c", 0644);
        put("y/a", "bc", 0644);
        char a[SHA256_HEX_BYTES], b[SHA256_HEX_BYTES];
        hash_of("x", a);
        hash_of("y", b);
        cr_expect_str_neq(a, b);
        /* a file vs an empty directory of the same name */
        put("p/d", "", 0644);
        char path[512];
        snprintf(path, sizeof(path), "%s/q", tmp);
        cr_assert_eq(mkdir(path, 0755), 0);
        snprintf(path, sizeof(path), "%s/q/d", tmp);
        cr_assert_eq(mkdir(path, 0755), 0);
        hash_of("p", a);
        hash_of("q", b);
        cr_expect_str_neq(a, b);
}

Test(skill_hash, symlinks_are_hashed_not_followed) {
        put("s/SKILL.md", "x", 0644);
        put("target1", "one", 0644);
        char link[512], a[SHA256_HEX_BYTES], b[SHA256_HEX_BYTES];
        snprintf(link, sizeof(link), "%s/s/l", tmp);
        cr_assert_eq(symlink("../target1", link), 0);
        hash_of("s", a);
        put("target1", "changed outside the skill", 0644);
        hash_of("s", b);
        cr_expect_str_eq(a, b, "the target's content is not part of the skill");
        unlink(link);
        cr_assert_eq(symlink("../target2", link), 0);
        hash_of("s", b);
        cr_expect_str_neq(a, b, "but where the link points is");
}

Test(state_db, approvals_round_trip) {
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(state_db_open(false, &db, &err), -ENOENT, "no DB and no create: -ENOENT");
        cr_assert_eq(state_db_open(true, &db, &err), 0, "%s", err.msg);
        struct approval ap;
        cr_expect_eq(state_db_approval_get(db, "abc", &ap, &err), 0);
        cr_assert_eq(state_db_approval_put(db, "abc", "my-skill", "high", "tty", &err), 0, "%s", err.msg);
        cr_assert_eq(state_db_approval_get(db, "abc", &ap, &err), 1);
        cr_expect_str_eq(ap.verdict, "high");
        cr_expect_str_eq(ap.channel, "tty");
        cr_expect_gt(ap.approved_at, 0);
        cr_expect_eq(state_db_approval_get(db, "abd", &ap, &err), 0, "another hash is not approved");
        state_db_close(db);
        /* persisted, 0700 directory */
        char path[512];
        snprintf(path, sizeof(path), "%s/.local/share/skilllite", tmp);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0);
        cr_expect_eq(st.st_mode & 0777, 0700);
        cr_assert_eq(state_db_open(false, &db, &err), 0);
        cr_expect_eq(state_db_approval_get(db, "abc", &ap, &err), 1);
        state_db_close(db);
}

Test(state_db, sql_in_names_is_data) {
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(state_db_open(true, &db, &err), 0);
        const char *evil = "x'); DROP TABLE approvals; --";
        cr_assert_eq(state_db_approval_put(db, evil, evil, "medium", "flag", &err), 0);
        struct approval ap;
        cr_expect_eq(state_db_approval_get(db, evil, &ap, &err), 1);
        cr_expect_eq(state_db_approval_get(db, "x", &ap, &err), 0);
        state_db_close(db);
}

Test(scan_cache, keyed_and_switchable) {
        char k1[SHA256_HEX_BYTES], k2[SHA256_HEX_BYTES], k3[SHA256_HEX_BYTES];
        cr_assert_eq(scan_cache_key("h1", "no-db", k1), 0);
        cr_assert_eq(scan_cache_key("h2", "no-db", k2), 0);
        cr_assert_eq(scan_cache_key("h1", "db:5:100", k3), 0);
        cr_expect_str_neq(k1, k2);
        cr_expect_str_neq(k1, k3, "an advisory import invalidates cached reports");
        cr_expect_null(scan_cache_load(k1));
        json_t *rep = json_pack("{s:s, s:[]}", "verdict", "medium", "findings");
        cr_assert_eq(scan_cache_store(k1, rep), 0);
        json_t *got = scan_cache_load(k1);
        cr_assert_not_null(got);
        cr_expect(json_equal(got, rep));
        json_decref(got);
        cr_expect_null(scan_cache_load(k2));
        setenv("SKILLLITE_SCAN_CACHE", "0", 1);
        cr_expect_null(scan_cache_load(k1), "cache off: always a miss");
        unsetenv("SKILLLITE_SCAN_CACHE");
        /* a corrupt or foreign entry is a miss, never a verdict */
        char path[512];
        snprintf(path, sizeof(path), "%s/.cache/skilllite/scan/%s.json", tmp, k1);
        FILE *f = fopen(path, "w");
        fputs("{\"verdict\": 3}", f);
        fclose(f);
        cr_expect_null(scan_cache_load(k1));
        json_decref(rep);
}

Test(xdg, paths_follow_the_spec) {
        char *p = NULL;
        cr_assert_eq(xdg_path(XDG_CACHE, "scan", false, &p), 0);
        char want[512];
        snprintf(want, sizeof(want), "%s/.cache/skilllite/scan", tmp);
        cr_expect_str_eq(p, want);
        free(p);
        setenv("XDG_CACHE_HOME", "relative/ignored", 1);
        cr_assert_eq(xdg_path(XDG_CACHE, NULL, false, &p), 0);
        snprintf(want, sizeof(want), "%s/.cache/skilllite", tmp);
        cr_expect_str_eq(p, want, "a relative XDG value is ignored");
        free(p);
        snprintf(want, sizeof(want), "%s/xc", tmp);
        setenv("XDG_CACHE_HOME", want, 1);
        cr_assert_eq(xdg_path(XDG_CACHE, "a/b", true, &p), 0);
        struct stat st;
        cr_assert_eq(stat(p, &st), 0);
        cr_expect_eq(st.st_mode & 0777, 0700);
        free(p);
        unsetenv("XDG_CACHE_HOME");
        unsetenv("HOME");
        cr_expect_eq(xdg_path(XDG_STATE, NULL, false, &p), -ENOENT);
}
