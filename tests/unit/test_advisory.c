/* Unit tests for src/scan/advisory_*.c: the SQLite store (open, schema, status), OSV import from
 * a directory, a zip and a file (counts, replace by id + modified, withdrawn, malformed entries,
 * caps, atomicity), lookup, and OSV range evaluation for exact versions and version specs. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/fileio.h"
#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/scan/advisory_db.h"

#define FIXTURES TEST_DATA_DIR "/osv"

static char tmpdir[PATH_MAX];

static void make_tmpdir(void) {
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/skilllite-advisory-XXXXXX");
        cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
        if (tmpdir[0])
                rm_rf(tmpdir);
}

TestSuite(advisory, .init = make_tmpdir, .fini = remove_tmpdir);

static char *tmp_path(const char *rel) {
        char *p = NULL;
        cr_assert_geq(asprintf(&p, "%s/%s", tmpdir, rel), 0);
        return p;
}

static void write_file(const char *rel, const char *text) {
        _cleanup_free_ char *p = tmp_path(rel);
        FILE *f = fopen(p, "we");
        cr_assert_not_null(f, "%s", p);
        cr_assert_eq(fputs(text, f) >= 0, true);
        cr_assert_eq(fclose(f), 0);
}

static void make_dir(const char *rel) {
        _cleanup_free_ char *p = tmp_path(rel);
        cr_assert_eq(mkdir(p, 0700), 0, "%s", p);
}

static struct advisory_db *open_db(const char *rel, unsigned flags) {
        _cleanup_free_ char *p = tmp_path(rel);
        struct advisory_db *db = NULL;
        struct error err = ERROR_INIT;
        int r = advisory_db_open(p, flags, &db, &err);
        cr_assert_eq(r, 0, "open %s: %d %s", p, r, err.msg);
        return db;
}

static struct advisory_import_stats import_ok(struct advisory_db *db, const char *path) {
        struct advisory_import_stats st;
        struct error err = ERROR_INIT;
        int r = advisory_db_import(db, path, &st, &err);
        cr_assert_eq(r, 0, "import %s: %d %s", path, r, err.msg);
        return st;
}

static size_t lookup_n(struct advisory_db *db, enum dep_ecosystem eco, const char *name, struct advisory_list *l) {
        struct error err = ERROR_INIT;
        int r = advisory_lookup(db, eco, name, l, &err);
        cr_assert_eq(r, 0, "lookup %s: %d %s", name, r, err.msg);
        return l->n;
}

/* One advisory in OSV form for the tests that write their own. */
static char *osv(const char *id, const char *modified, const char *eco, const char *name, const char *affected_extra) {
        char *s = NULL;
        cr_assert_geq(asprintf(&s,
                               "{\"id\": \"%s\", \"modified\": \"%s\", \"summary\": \"s\", \"affected\": "
                               "[{\"package\": {\"ecosystem\": \"%s\", \"name\": \"%s\"}%s}]}",
                               id, modified, eco, name, affected_extra),
                      0);
        return s;
}

/* ---- opening --------------------------------------------------------------------------------- */

Test(advisory, open_creates_private_directories_and_file) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("a/b/adv.db", ADVISORY_DB_WRITE);
        struct stat st;
        _cleanup_free_ char *dir = tmp_path("a/b"), *file = tmp_path("a/b/adv.db");
        cr_assert_eq(stat(dir, &st), 0);
        cr_expect_eq(st.st_mode & 07777, 0700);
        cr_assert_eq(stat(file, &st), 0);
        cr_expect_eq(st.st_mode & 07777, 0600);
        cr_expect_str_eq(advisory_db_path(db), file);
        struct advisory_db_status s;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_status(db, &s, &err), 0, "%s", err.msg);
        cr_expect_eq(s.advisories, 0);
        cr_expect_eq(s.last_import, 0);
        cr_expect_str_eq(s.last_source, "");
}

Test(advisory, open_read_only_missing_is_enoent) {
        _cleanup_free_ char *p = tmp_path("missing.db");
        struct advisory_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_expect_eq(advisory_db_open(p, ADVISORY_DB_READONLY, &db, &err), -ENOENT);
        cr_expect_null(db);
        cr_expect_neq(access(p, F_OK), 0, "read-only open must not create the file");
}

Test(advisory, open_rejects_foreign_files) {
        write_file("text.db", "this is not a database, just some text that is long enough......"
                              "...............................................................");
        _cleanup_free_ char *text = tmp_path("text.db"), *other = tmp_path("other.db");
        struct advisory_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_expect_eq(advisory_db_open(text, ADVISORY_DB_WRITE, &db, &err), -EPROTO, "%s", err.msg);
        /* an SQLite file of some other program */
        sqlite3 *h = NULL;
        cr_assert_eq(sqlite3_open(other, &h), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        error_clear(&err);
        cr_expect_eq(advisory_db_open(other, ADVISORY_DB_WRITE, &db, &err), -EPROTO);
        cr_expect(strstr(err.msg, "not a SkillLite advisory database"), "%s", err.msg);
        /* our schema, another version */
        advisory_db_close(open_db("v.db", ADVISORY_DB_WRITE));
        _cleanup_free_ char *v = tmp_path("v.db");
        cr_assert_eq(sqlite3_open(v, &h), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(h, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        error_clear(&err);
        cr_expect_eq(advisory_db_open(v, ADVISORY_DB_READONLY, &db, &err), -EPROTO);
        cr_expect(strstr(err.msg, "schema version 99"), "%s", err.msg);
        cr_expect_null(db);
}

Test(advisory, read_only_database_refuses_import) {
        advisory_db_close(open_db("ro.db", ADVISORY_DB_WRITE));
        _cleanup_advisory_db_ struct advisory_db *db = open_db("ro.db", ADVISORY_DB_READONLY);
        struct advisory_import_stats st;
        struct error err = ERROR_INIT;
        cr_expect_eq(advisory_db_import(db, FIXTURES, &st, &err), -EROFS);
}

Test(advisory, default_path_follows_the_environment) {
        char *p = NULL;
        struct error err = ERROR_INIT;
        setenv("SKILLLITE_ADVISORY_DB", "/x/custom.db", 1);
        cr_assert_eq(advisory_db_default_path(&p, &err), 0);
        cr_expect_str_eq(p, "/x/custom.db");
        free(p);
        unsetenv("SKILLLITE_ADVISORY_DB");
        setenv("XDG_DATA_HOME", "/data", 1);
        setenv("HOME", "/home/u", 1);
        cr_assert_eq(advisory_db_default_path(&p, &err), 0);
        cr_expect_str_eq(p, "/data/skilllite/advisories.db");
        free(p);
        setenv("XDG_DATA_HOME", "relative/ignored", 1);
        cr_assert_eq(advisory_db_default_path(&p, &err), 0);
        cr_expect_str_eq(p, "/home/u/.local/share/skilllite/advisories.db");
        free(p);
        unsetenv("XDG_DATA_HOME");
        unsetenv("HOME");
        p = NULL;
        cr_expect_eq(advisory_db_default_path(&p, &err), -ENOENT);
        cr_expect_null(p);
}

/* ---- import ---------------------------------------------------------------------------------- */

Test(advisory, import_fixture_directory) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        struct advisory_import_stats st = import_ok(db, FIXTURES);
        cr_expect_eq(st.documents, 18, "hidden directories and non-.json files are not read");
        cr_expect_eq(st.imported, 9);
        cr_expect_eq(st.replaced, 0);
        cr_expect_eq(st.unchanged, 0);
        cr_expect_eq(st.withdrawn, 1);
        cr_expect_eq(st.ignored, 2, "a Go-only and a GIT-ranges-only advisory");
        cr_expect_eq(st.malformed, 6);
        cr_expect_eq(st.ecosystem[DEP_PYPI], 5);
        cr_expect_eq(st.ecosystem[DEP_NPM], 4);

        struct advisory_db_status s;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_status(db, &s, &err), 0);
        cr_expect_eq(s.advisories, 9);
        cr_expect_eq(s.malicious, 3, "MAL- id, malicious-packages-origins, CWE-506");
        cr_expect_eq(s.ecosystem[DEP_PYPI], 5);
        cr_expect_eq(s.ecosystem[DEP_NPM], 4);
        cr_expect_eq(s.packages[DEP_NPM], 4);
        cr_expect_gt(s.last_import, 0);
        cr_expect_str_eq(s.last_source, FIXTURES);
        _cleanup_json_ json_t *j = advisory_db_status_to_json(db, &s);
        cr_assert_not_null(j);
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "ecosystems"), "PyPI")), 5);
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "ecosystems"), "npm")), 4);
        cr_expect_eq(json_integer_value(json_object_get(j, "advisories")), 9);

        /* the same data again: nothing changes */
        st = import_ok(db, FIXTURES);
        cr_expect_eq(st.imported, 0);
        cr_expect_eq(st.unchanged, 9);
        cr_expect_eq(st.ecosystem[DEP_PYPI] + st.ecosystem[DEP_NPM], 0);
        cr_assert_eq(advisory_db_status(db, &s, &err), 0);
        cr_expect_eq(s.advisories, 9);
}

Test(advisory, lookup_returns_the_stored_fields) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        import_ok(db, FIXTURES);
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        /* stored PEP 503-normalised: any spelling finds it */
        cr_assert_eq(lookup_n(db, DEP_PYPI, "EXAMPLE__pkg", &l), 1);
        const struct advisory *a = &l.v[0];
        cr_expect_str_eq(a->id, "PYSEC-2099-1");
        cr_expect_str_eq(a->modified, "2099-01-01T00:00:00Z");
        cr_expect_str_eq(a->summary, "Example_Pkg: code execution through crafted input");
        cr_expect_str_eq(a->severity, "medium", "MODERATE");
        cr_expect_null(a->cvss);
        cr_expect_not(a->malicious);
        cr_expect_eq(json_array_size(a->aliases), 2);
        cr_expect_str_eq(json_string_value(json_array_get(a->aliases, 0)), "CVE-2099-0001");
        cr_expect_eq(json_array_size(a->ranges), 1, "the GIT range is dropped");
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(a->ranges, 0), "type")), "ECOSYSTEM");
        cr_expect_eq(json_array_size(json_object_get(json_array_get(a->ranges, 0), "events")), 4);
        advisory_list_done(&l);

        cr_assert_eq(lookup_n(db, DEP_PYPI, "critpkg", &l), 1);
        cr_expect_str_eq(l.v[0].severity, "critical");
        cr_expect_str_eq(l.v[0].cvss, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        advisory_list_done(&l);

        cr_assert_eq(lookup_n(db, DEP_PYPI, "cvsspkg", &l), 1);
        cr_expect_str_eq(l.v[0].severity, "high", "a CVSS vector alone means high");
        cr_expect_str_eq(l.v[0].summary, "cvsspkg: only a CVSS vector.", "first line of details");
        advisory_list_done(&l);

        /* two affected[] entries of one package are merged, the Go entry is not ours */
        cr_assert_eq(lookup_n(db, DEP_NPM, "LEFT-PADDER", &l), 1);
        cr_expect_eq(json_array_size(l.v[0].ranges), 2);
        cr_expect_eq(json_array_size(l.v[0].versions), 1);
        cr_expect_str_eq(l.v[0].severity, "high");
        advisory_list_done(&l);
        cr_expect_eq(lookup_n(db, DEP_NPM, "left_padder", &l), 0, "npm names are not PEP 503-normalised");
        cr_expect_eq(lookup_n(db, DEP_PYPI, "left-padder", &l), 0, "other ecosystem");

        cr_assert_eq(lookup_n(db, DEP_NPM, "evil-pkg", &l), 1);
        cr_expect(l.v[0].malicious);
        cr_expect(advisory_affects_all(&l.v[0]));
        advisory_list_done(&l);
        cr_assert_eq(lookup_n(db, DEP_NPM, "hijacked", &l), 1);
        cr_expect(l.v[0].malicious, "CWE-506");
        cr_expect_not(advisory_affects_all(&l.v[0]));
        advisory_list_done(&l);
        /* a malicious report without ranges covers every version */
        cr_assert_eq(lookup_n(db, DEP_PYPI, "noranges", &l), 1);
        cr_expect(advisory_affects_all(&l.v[0]));
        cr_expect_eq(advisory_affects_version(&l.v[0], DEP_PYPI, "7.0"), 1);
        advisory_list_done(&l);

        cr_expect_eq(lookup_n(db, DEP_PYPI, "withdrawnpkg", &l), 0);
        cr_expect_eq(lookup_n(db, DEP_PYPI, "gitonly", &l), 0);
        cr_expect_eq(lookup_n(db, DEP_PYPI, "hidden", &l), 0);
        cr_expect_eq(lookup_n(db, DEP_PYPI, "noid", &l), 0);
        cr_expect_eq(lookup_n(db, DEP_PYPI, "badevent", &l), 0);
        cr_expect_eq(lookup_n(db, DEP_PYPI, "badid", &l), 0);
}

Test(advisory, reimport_with_new_modified_replaces_whole) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        make_dir("v1");
        make_dir("v2");
        _cleanup_free_ char *a1 = osv("GHSA-x", "2099-01-01T00:00:00Z", "PyPI", "first", ", \"versions\": [\"1.0\"]");
        _cleanup_free_ char *a2 = osv("GHSA-x", "2099-06-01T00:00:00Z", "PyPI", "second", ", \"versions\": [\"2.0\"]");
        write_file("v1/x.json", a1);
        write_file("v2/x.json", a2);
        _cleanup_free_ char *v1 = tmp_path("v1"), *v2 = tmp_path("v2");
        struct advisory_import_stats st = import_ok(db, v1);
        cr_expect_eq(st.imported, 1);
        st = import_ok(db, v2);
        cr_expect_eq(st.imported, 0);
        cr_expect_eq(st.replaced, 1);
        cr_expect_eq(st.ecosystem[DEP_PYPI], 1);
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        cr_expect_eq(lookup_n(db, DEP_PYPI, "first", &l), 0, "the old package row went with the old version");
        cr_assert_eq(lookup_n(db, DEP_PYPI, "second", &l), 1);
        cr_expect_str_eq(l.v[0].modified, "2099-06-01T00:00:00Z");
        struct advisory_db_status s;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_status(db, &s, &err), 0);
        cr_expect_eq(s.advisories, 1);
        /* importing the first again replaces back (the import is what the user asked for) */
        st = import_ok(db, v1);
        cr_expect_eq(st.replaced, 1);
        st = import_ok(db, v1);
        cr_expect_eq(st.unchanged, 1);
}

Test(advisory, withdrawn_removes_a_stored_advisory) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        _cleanup_free_ char *a = osv("GHSA-w", "2099-01-01T00:00:00Z", "npm", "wpkg", ", \"versions\": [\"1.0.0\"]");
        write_file("a.json", a);
        write_file("b.json", "{\"id\": \"GHSA-w\", \"modified\": \"2099-02-01T00:00:00Z\", \"withdrawn\": "
                             "\"2099-02-01T00:00:00Z\", \"affected\": []}");
        _cleanup_free_ char *pa = tmp_path("a.json"), *pb = tmp_path("b.json");
        import_ok(db, pa);
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        cr_expect_eq(lookup_n(db, DEP_NPM, "wpkg", &l), 1);
        advisory_list_done(&l);
        struct advisory_import_stats st = import_ok(db, pb);
        cr_expect_eq(st.withdrawn, 1);
        cr_expect_eq(lookup_n(db, DEP_NPM, "wpkg", &l), 0);
}

Test(advisory, single_files_and_malformed_documents) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        struct advisory_import_stats st = import_ok(db, FIXTURES "/GHSA-npm-semver.json");
        cr_expect_eq(st.documents, 1);
        cr_expect_eq(st.imported, 1);
        /* malformed: counted, never fatal, nothing stored */
        static const char *const bad[] = {
                "", "null", "[]", "{}", "{\"id\": \"X-1\"}",                      /* no modified */
                "{\"id\": \"\", \"modified\": \"m\"}",                               /* empty id */
                "{\"id\": \"X 1\", \"modified\": \"m\"}",                            /* blank in id */
                "{\"id\": \"X-1\", \"modified\": 5}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": {}}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [5]}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\"}}]}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
                "\"name\": \"p\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": []}]}]}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
                "\"name\": \"p\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"fixed\": 1}]}]}]}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
                "\"name\": \"p\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"broken\": \"1\"}]}]}]}",
                "{\"id\": \"X-1\", \"modified\": \"m\", \"id\": \"X-2\"}",          /* duplicate key */
                "{\"id\": \"X-1\", \"modified\": \"m\", \"affected\": [{\"package\": {\"ecosystem\": \"PyPI\", "
                "\"name\": \"p\\u0000q\"}, \"versions\": [\"1\"]}]}",               /* NUL in a name */
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                write_file("bad.json", bad[i]);
                _cleanup_free_ char *p = tmp_path("bad.json");
                st = import_ok(db, p);
                cr_expect_eq(st.malformed, 1, "case %zu: %s", i, bad[i]);
                cr_expect_eq(st.imported, 0, "case %zu", i);
        }
        struct advisory_db_status s;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_status(db, &s, &err), 0);
        cr_expect_eq(s.advisories, 1);
}

Test(advisory, oversized_document_is_skipped) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        make_dir("d");
        _cleanup_free_ char *small = osv("GHSA-s", "m", "PyPI", "small", "");
        write_file("d/small.json", small);
        _cleanup_free_ char *big = tmp_path("d/big.json");
        FILE *f = fopen(big, "we");
        cr_assert_not_null(f);
        fputs("{\"id\": \"GHSA-big\", \"modified\": \"m\", \"pad\": \"", f);
        for (size_t i = 0; i < ADVISORY_FILE_MAX; i += 64)
                fputs("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", f);
        fputs("\"}", f);
        cr_assert_eq(fclose(f), 0);
        _cleanup_free_ char *d = tmp_path("d");
        struct advisory_import_stats st = import_ok(db, d);
        cr_expect_eq(st.malformed, 1);
        cr_expect_eq(st.documents, 1);
        cr_expect_eq(st.ignored, 1, "small has no ranges or versions: nothing to match");
}

Test(advisory, failed_import_changes_nothing) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        import_ok(db, FIXTURES "/PYSEC-2099-1.json");
        /* "a.json" sorts first and is stored, then a tree nested too deep fails the import */
        make_dir("t");
        _cleanup_free_ char *a = osv("GHSA-atomic", "m", "PyPI", "atomic", ", \"versions\": [\"1.0\"]");
        write_file("t/a.json", a);
        char rel[PATH_MAX] = "t";
        for (int i = 0; i <= ADVISORY_DIR_DEPTH_MAX; i++) {
                size_t n = strlen(rel);
                snprintf(rel + n, sizeof(rel) - n, "/d%d", i);
                make_dir(rel);
        }
        _cleanup_free_ char *t = tmp_path("t");
        struct advisory_import_stats st = { .imported = 12345 };
        struct error err = ERROR_INIT;
        cr_expect_eq(advisory_db_import(db, t, &st, &err), -ELOOP, "%s", err.msg);
        cr_expect_eq(st.imported, 12345, "stats are written only on success");
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        cr_expect_eq(lookup_n(db, DEP_PYPI, "atomic", &l), 0, "rolled back");
        cr_expect_eq(lookup_n(db, DEP_PYPI, "example-pkg", &l), 1, "earlier imports are kept");
        struct advisory_db_status s;
        cr_assert_eq(advisory_db_status(db, &s, &err), 0);
        cr_expect_str_eq(s.last_source, FIXTURES "/PYSEC-2099-1.json");
        /* unreadable input */
        error_clear(&err);
        _cleanup_free_ char *missing = tmp_path("nope");
        cr_expect_eq(advisory_db_import(db, missing, &st, &err), -ENOENT);
        error_clear(&err);
        cr_expect_eq(advisory_db_import(db, "/dev/null", &st, &err), -EINVAL);
        /* and the database still works after the rollbacks */
        advisory_list_done(&l);
        import_ok(db, FIXTURES "/GHSA-crit-0001.json");
        cr_expect_eq(lookup_n(db, DEP_PYPI, "critpkg", &l), 1);
}

/* ---- zip ------------------------------------------------------------------------------------- */

struct zip_entry {
        const char *name;
        const char *data; /* NULL: a directory */
        size_t len;       /* 0: strlen(data) */
};

static void write_zip(const char *rel, const struct zip_entry *e, size_t n) {
        _cleanup_free_ char *p = tmp_path(rel);
        struct archive *a = archive_write_new();
        cr_assert_not_null(a);
        cr_assert_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
        cr_assert_eq(archive_write_open_filename(a, p), ARCHIVE_OK);
        for (size_t i = 0; i < n; i++) {
                struct archive_entry *ae = archive_entry_new();
                size_t len = e[i].data ? (e[i].len ? e[i].len : strlen(e[i].data)) : 0;
                archive_entry_set_pathname(ae, e[i].name);
                archive_entry_set_filetype(ae, e[i].data ? AE_IFREG : AE_IFDIR);
                archive_entry_set_perm(ae, 0644);
                archive_entry_set_size(ae, (la_int64_t) len);
                cr_assert_eq(archive_write_header(a, ae), ARCHIVE_OK, "%s", archive_error_string(a));
                if (len)
                        cr_assert_eq(archive_write_data(a, e[i].data, len), (la_ssize_t) len);
                archive_entry_free(ae);
        }
        cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
        archive_write_free(a);
}

Test(advisory, zip_import_skips_unsafe_and_oversized_entries) {
        _cleanup_free_ char *good = osv("GHSA-zip-1", "m", "npm", "zipped", ", \"versions\": [\"1.0.0\"]");
        _cleanup_free_ char *evil = osv("GHSA-zip-2", "m", "npm", "climber", ", \"versions\": [\"1.0.0\"]");
        size_t big_len = ADVISORY_FILE_MAX + 1;
        char *big = malloc(big_len);
        cr_assert_not_null(big);
        memset(big, ' ', big_len);
        const struct zip_entry entries[] = {
                { "osv/", NULL, 0 },
                { "osv/GHSA-zip-1.json", good, 0 },
                { "../GHSA-zip-2.json", evil, 0 },
                { "osv/../../GHSA-zip-2.json", evil, 0 },
                { "/GHSA-zip-2.json", evil, 0 },
                { "..\\GHSA-zip-2.json", evil, 0 },
                { "osv/big.json", big, big_len },
                { "osv/notes.txt", "hello", 0 },
                { "osv/bad.json", "{", 0 },
        };
        write_zip("all.zip", entries, ELEMENTSOF(entries));
        free(big);
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        _cleanup_free_ char *zip = tmp_path("all.zip");
        struct advisory_import_stats st = import_ok(db, zip);
        cr_expect_eq(st.documents, 2, "GHSA-zip-1 and bad.json");
        cr_expect_eq(st.imported, 1);
        cr_expect_eq(st.malformed, 6, "4 unsafe names, 1 oversized, 1 bad JSON");
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        cr_expect_eq(lookup_n(db, DEP_NPM, "zipped", &l), 1);
        advisory_list_done(&l);
        cr_expect_eq(lookup_n(db, DEP_NPM, "climber", &l), 0);
}

Test(advisory, zip_detected_by_content_and_corrupt_zip_fails) {
        _cleanup_free_ char *good = osv("GHSA-zip-1", "m", "npm", "zipped", ", \"versions\": [\"1.0.0\"]");
        const struct zip_entry entries[] = { { "GHSA-zip-1.json", good, 0 } };
        write_zip("data.bin", entries, 1);
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        _cleanup_free_ char *bin = tmp_path("data.bin"), *bad = tmp_path("bad.zip");
        struct advisory_import_stats st = import_ok(db, bin);
        cr_expect_eq(st.imported, 1, "a zip without the .zip name");
        /* a zip cut short: an error for the whole import, not a malformed count */
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        cr_assert_eq(read_file_at_bounded(AT_FDCWD, bin, 1 << 20, &data, &len), 0);
        FILE *f = fopen(bad, "we");
        cr_assert_not_null(f);
        cr_assert_eq(fwrite(data, 1, len / 2, f), len / 2);
        cr_assert_eq(fclose(f), 0);
        struct error err = ERROR_INIT;
        cr_expect_lt(advisory_db_import(db, bad, &st, &err), 0);
        cr_expect(strlen(err.msg) > 0);
        /* ".zip" that is not a zip at all */
        write_file("fake.zip", "{\"id\": \"GHSA-fake\", \"modified\": \"m\"}");
        _cleanup_free_ char *fake = tmp_path("fake.zip");
        error_clear(&err);
        cr_expect_lt(advisory_db_import(db, fake, &st, &err), 0);
}

Test(advisory, damaged_rows_are_an_error_not_a_match) {
        _cleanup_advisory_db_ struct advisory_db *db = open_db("adv.db", ADVISORY_DB_WRITE);
        import_ok(db, FIXTURES "/PYSEC-2099-1.json");
        _cleanup_free_ char *p = tmp_path("adv.db");
        sqlite3 *h = NULL;
        cr_assert_eq(sqlite3_open(p, &h), SQLITE_OK);
        cr_assert_eq(sqlite3_exec(h, "UPDATE affected SET ranges = '{'", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        _cleanup_(advisory_list_done) struct advisory_list l = { 0 };
        struct error err = ERROR_INIT;
        cr_expect_eq(advisory_lookup(db, DEP_PYPI, "example-pkg", &l, &err), -EPROTO);
}

/* ---- names ----------------------------------------------------------------------------------- */

Test(advisory, names_are_normalised_per_ecosystem) {
        static const struct {
                enum dep_ecosystem eco;
                const char *in, *out;
        } cases[] = {
                { DEP_PYPI, "Foo.Bar__baz", "foo-bar-baz" }, { DEP_PYPI, "a-_.b", "a-b" },
                { DEP_PYPI, "requests", "requests" },        { DEP_PYPI, "-x-", "-x-" },
                { DEP_PYPI, "jeIlyfish", "jeilyfish" },      { DEP_NPM, "@Scope/Pkg.Name_x", "@scope/pkg.name_x" },
                { DEP_NPM, "JSONStream", "jsonstream" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *n = advisory_normalize_name(cases[i].eco, cases[i].in);
                cr_assert_not_null(n);
                cr_expect_str_eq(n, cases[i].out);
        }
}

/* ---- evaluation ------------------------------------------------------------------------------ */

/* An advisory from JSON ranges and versions, without a database. */
static struct advisory make_adv(const char *ranges, const char *versions) {
        struct advisory a = { .id = (char *) "TEST-1" };
        a.ranges = json_loads(ranges, 0, NULL);
        a.versions = json_loads(versions, 0, NULL);
        cr_assert_not_null(a.ranges);
        cr_assert_not_null(a.versions);
        return a;
}

static void adv_done(struct advisory *a) {
        json_decref(a->ranges);
        json_decref(a->versions);
}

struct vcase {
        const char *version;
        int want;
};

static void expect_versions(const struct advisory *a, enum dep_ecosystem eco, const struct vcase *c, size_t n) {
        for (size_t i = 0; i < n; i++)
                cr_expect_eq(advisory_affects_version(a, eco, c[i].version), c[i].want, "version %s: got %d want %d",
                             c[i].version, advisory_affects_version(a, eco, c[i].version), c[i].want);
}

Test(advisory, pypi_ranges_follow_osv_semantics) {
        /* unsorted on purpose: evaluation sorts by version */
        struct advisory a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"2.0\"}, "
                                     "{\"last_affected\": \"2.3\"}, {\"introduced\": \"1.0\"}, {\"fixed\": \"1.5\"}]}]",
                                     "[]");
        static const struct vcase c[] = {
                { "0.9", 0 },   { "1.0", 1 },    { "1.0.0", 1 },   { "1.4.99", 1 }, { "1.5rc1", 1 },
                { "1.5", 0 },   { "1.5.0", 0 },  { "1.9", 0 },     { "2.0a1", 0 },  { "2.0", 1 },
                { "2.3", 1 },   { "2.3.0", 1 },  { "2.3.post1", 0 }, { "2.4", 0 },  { "10.0", 0 },
                { "v1.2", 1 },  { "not a version", -EINVAL },
        };
        expect_versions(&a, DEP_PYPI, c, ELEMENTSOF(c));
        adv_done(&a);

        a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"3.0\"}]}]", "[]");
        static const struct vcase zero[] = { { "0", 1 }, { "0.0.1", 1 }, { "2.99", 1 }, { "3.0", 0 }, { "1!0.1", 0 } };
        expect_versions(&a, DEP_PYPI, zero, ELEMENTSOF(zero));
        adv_done(&a);
}

Test(advisory, semver_ranges_limits_and_version_lists) {
        struct advisory a = make_adv("[{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.2.3\"}]},"
                                     " {\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"2.0.0\"}, {\"fixed\": \"2.1.0\"}]},"
                                     " {\"type\": \"GIT\", \"events\": [{\"introduced\": \"0\"}]}]",
                                     "[\"3.0.0\"]");
        static const struct vcase c[] = {
                { "0.0.1", 1 }, { "1.2.2", 1 },       { "1.2.3-beta.1", 1 }, { "1.2.3", 0 }, { "1.9.9", 0 },
                { "2.0.0", 1 }, { "2.0.9", 1 },       { "2.1.0", 0 },         { "3.0.0", 1 }, { "3.0.1", 0 },
                { "v1.0.0", 1 }, { "1.0", -EINVAL },
        };
        expect_versions(&a, DEP_NPM, c, ELEMENTSOF(c));
        adv_done(&a);

        a = make_adv("[{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\"}, {\"limit\": \"2.0.0\"}]}]", "[]");
        static const struct vcase lim[] = { { "1.9.9", 1 }, { "2.0.0", 0 }, { "2.0.0-rc.1", 1 }, { "5.0.0", 0 } };
        expect_versions(&a, DEP_NPM, lim, ELEMENTSOF(lim));
        adv_done(&a);

        /* versions only: PEP 440 equality, not just string equality */
        a = make_adv("[]", "[\"0.9\", \"1.0.post1\", \"1.1\"]");
        static const struct vcase vl[] = { { "1.1", 1 }, { "1.1.0", 1 }, { "1.0.post1", 1 }, { "1.0", 0 }, { "1.2", 0 } };
        expect_versions(&a, DEP_PYPI, vl, ELEMENTSOF(vl));
        adv_done(&a);
}

Test(advisory, unparseable_boundaries_are_undecided) {
        struct advisory a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1.0\"}, "
                                     "{\"fixed\": \"not-a-version\"}]}]", "[]");
        cr_expect_eq(advisory_affects_version(&a, DEP_PYPI, "1.2"), -EINVAL);
        cr_expect_eq(advisory_affects_spec(&a, DEP_PYPI, ">=1.0"), -EINVAL);
        adv_done(&a);
        a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1.0\"}, {\"bogus\": \"2\"}]}]", "[]");
        cr_expect_eq(advisory_affects_version(&a, DEP_PYPI, "1.2"), -EINVAL);
        adv_done(&a);
        /* an undecided range does not hide a decided one */
        a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"x\"}, {\"fixed\": \"y\"}]},"
                     " {\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1.0\"}]}]", "[]");
        cr_expect_eq(advisory_affects_version(&a, DEP_PYPI, "1.2"), 1);
        adv_done(&a);
}

Test(advisory, specs_may_admit_affected_versions) {
        struct advisory a = make_adv("[{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1.0\"}, {\"fixed\": \"1.5\"}, "
                                     "{\"introduced\": \"2.0\"}, {\"last_affected\": \"2.3\"}]}]", "[]");
        static const struct {
                const char *spec;
                int want;
        } c[] = {
                { "", 1 },         { ">=1.0", 1 },     { "<1.0", 0 },       { ">=1.5,<2", 0 }, { "==1.2.*", 1 },
                { "~=1.4", 1 },    { ">=2.4", 0 },     { ">1.6,<2.1", 1 },  { "==2.3", 1 },    { "==2.3.1", 0 },
                { "!=1.0", 1 },    { "<0.5", 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(c); i++)
                cr_expect_eq(advisory_affects_spec(&a, DEP_PYPI, c[i].spec), c[i].want, "spec '%s'", c[i].spec);
        cr_expect_eq(advisory_affects_spec(&a, DEP_PYPI, "latest!!"), -EINVAL, "an unreadable spec is no answer");
        cr_expect_eq(advisory_affects_spec(&a, DEP_PYPI, NULL), 1);
        adv_done(&a);

        a = make_adv("[{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"1.2.3\"}]}]", "[\"4.0.0\"]");
        static const struct {
                const char *spec;
                int want;
        } n[] = {
                { "^1.2.0", 1 }, { "^1.2.3", 0 }, { "~1.2.4", 0 }, { "1.x", 1 },  { ">=2 <4", 0 },
                { "^4.0.0", 1 }, { "*", 1 },      { "1.2.3", 0 },  { "^0.1", 1 }, { "2.0.0 - 3.9.9", 0 },
                { ">=1.2.3 || <1.0.0", 1 },
        };
        for (size_t i = 0; i < ELEMENTSOF(n); i++)
                cr_expect_eq(advisory_affects_spec(&a, DEP_NPM, n[i].spec), n[i].want, "npm spec '%s'", n[i].spec);
        adv_done(&a);

        /* open-ended range: every later version, whatever the spec's lower bound */
        a = make_adv("[{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"1.0.0\"}]}]", "[]");
        cr_expect_eq(advisory_affects_spec(&a, DEP_NPM, "^7.1.0"), 1);
        cr_expect_eq(advisory_affects_spec(&a, DEP_NPM, "<1.0.0"), 0);
        cr_expect_not(advisory_affects_all(&a));
        adv_done(&a);
}
