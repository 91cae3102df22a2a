/* Unit tests for src/scan/supply_chain.c and pkglists.c: the bundled lists (sorted, normalised,
 * version matching), the typosquat check (true positives and the legitimate names it must leave
 * alone), and the audit's statuses, findings and report with and without an advisory database. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/fileio.h"
#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/scan/advisory_db.h"
#include "../../src/scan/pkglists.h"
#include "../../src/scan/supply_chain.h"

#define FIXTURES TEST_DATA_DIR "/osv"

static char tmpdir[PATH_MAX];

static void make_tmpdir(void) {
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/skilllite-supply-XXXXXX");
        cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
        if (tmpdir[0])
                rm_rf(tmpdir);
}

TestSuite(supply_chain, .init = make_tmpdir, .fini = remove_tmpdir);

/* A database in the test's directory with `source` imported. */
static struct advisory_db *db_with(const char *source) {
        _cleanup_free_ char *path = NULL;
        cr_assert_geq(asprintf(&path, "%s/adv.db", tmpdir), 0);
        struct advisory_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_open(path, ADVISORY_DB_WRITE, &db, &err), 0, "%s", err.msg);
        struct advisory_import_stats st;
        cr_assert_eq(advisory_db_import(db, source, &st, &err), 0, "%s", err.msg);
        return db;
}

#define DEP(e, n, s, v) { .eco = (e), .name = (char *) (n), .spec = (char *) (s), .version = (char *) (v), \
                          .file = (char *) "requirements.txt", .line = __LINE__, .direct = true }

struct audit {
        struct findings f;
        json_t *report;
};

static void audit_done(struct audit *a) {
        findings_done(&a->f);
        json_decref(a->report);
}

static void run_audit(struct dependency *v, size_t n, struct advisory_db *db, struct audit *a) {
        struct dependencies deps = { .v = v, .n = n, .cap = n };
        *a = (struct audit) { 0 };
        cr_assert_eq(supply_chain_audit(&deps, db, &a->f, &a->report), 0);
        cr_assert_not_null(a->report);
        cr_assert_eq(json_array_size(json_object_get(a->report, "dependencies")), n);
}

static const char *status_of(const struct audit *a, size_t i) {
        return json_string_value(json_object_get(json_array_get(json_object_get(a->report, "dependencies"), i), "status"));
}

/* The finding with this rule for a dependency declared at `line` (0: the whole skill). */
static const struct finding *finding_at(const struct audit *a, const char *rule, uint32_t line) {
        for (size_t i = 0; i < a->f.n; i++)
                if (streq(a->f.v[i].rule_id, rule) && a->f.v[i].line == line)
                        return &a->f.v[i];
        return NULL;
}

static size_t count_rule(const struct audit *a, const char *rule) {
        size_t n = 0;
        for (size_t i = 0; i < a->f.n; i++)
                n += streq(a->f.v[i].rule_id, rule);
        return n;
}

/* ---- the bundled lists ----------------------------------------------------------------------- */

Test(supply_chain, lists_are_sorted_unique_and_normalised) {
        for (int e = DEP_PYPI; e <= DEP_NPM; e++) {
                enum dep_ecosystem eco = (enum dep_ecosystem) e;
                size_t n;
                const char *const *lists[2];
                size_t sizes[2];
                lists[0] = pkglist_popular(eco, &sizes[0]);
                lists[1] = pkglist_legit(eco, &sizes[1]);
                cr_expect_geq(sizes[0], 200, "the most-downloaded packages");
                for (int k = 0; k < 2; k++)
                        for (size_t i = 0; i < sizes[k]; i++) {
                                if (i)
                                        cr_expect_lt(strcmp(lists[k][i - 1], lists[k][i]), 0, "%s before %s",
                                                     lists[k][i - 1], lists[k][i]);
                                _cleanup_free_ char *norm = advisory_normalize_name(eco, lists[k][i]);
                                cr_expect_str_eq(norm, lists[k][i]);
                                cr_expect(k == 0 ? pkglist_is_popular(eco, lists[k][i]) : pkglist_is_legit(eco, lists[k][i]));
                        }
                const struct pkg_malicious *m = pkglist_malicious(eco, &n);
                cr_expect_geq(n, 40);
                for (size_t i = 0; i < n; i++) {
                        if (i)
                                cr_expect_lt(strcmp(m[i - 1].name, m[i].name), 0, "%s before %s", m[i - 1].name, m[i].name);
                        _cleanup_free_ char *norm = advisory_normalize_name(eco, m[i].name);
                        cr_expect_str_eq(norm, m[i].name);
                        cr_expect_eq(pkglist_malicious_find(eco, m[i].name), &m[i]);
                        cr_expect(*m[i].versions && *m[i].note);
                        /* a name that is malicious in every version cannot also be popular or legit */
                        if (streq(m[i].versions, "*"))
                                cr_expect(!pkglist_is_popular(eco, m[i].name) && !pkglist_is_legit(eco, m[i].name),
                                          "%s", m[i].name);
                }
        }
        cr_expect_null(pkglist_malicious_find(DEP_PYPI, "requests"));
        cr_expect_null(pkglist_malicious_find(DEP_PYPI, NULL));
        cr_expect_not(pkglist_is_popular(DEP_PYPI, "requets"));
}

Test(supply_chain, malicious_entries_cover_their_versions) {
        const struct pkg_malicious *m = pkglist_malicious_find(DEP_NPM, "event-stream");
        cr_assert_not_null(m);
        cr_expect(pkglist_malicious_covers(m, DEP_NPM, "3.3.6"));
        cr_expect(pkglist_malicious_covers(m, DEP_NPM, "v3.3.6"), "semver equality, not string equality");
        cr_expect_not(pkglist_malicious_covers(m, DEP_NPM, "3.3.5"));
        cr_expect_not(pkglist_malicious_covers(m, DEP_NPM, "4.0.1"));
        cr_expect_not(pkglist_malicious_covers(m, DEP_NPM, NULL), "unpinned is not a match of a version list");
        m = pkglist_malicious_find(DEP_NPM, "ua-parser-js");
        cr_assert_not_null(m);
        cr_expect(pkglist_malicious_covers(m, DEP_NPM, "0.7.29") && pkglist_malicious_covers(m, DEP_NPM, "0.8.0") &&
                  pkglist_malicious_covers(m, DEP_NPM, "1.0.0"));
        cr_expect_not(pkglist_malicious_covers(m, DEP_NPM, "0.7.30"));
        m = pkglist_malicious_find(DEP_PYPI, "ultralytics");
        cr_assert_not_null(m);
        cr_expect(pkglist_malicious_covers(m, DEP_PYPI, "8.3.41"));
        cr_expect(pkglist_malicious_covers(m, DEP_PYPI, "8.3.46.0"), "PEP 440 equality");
        cr_expect_not(pkglist_malicious_covers(m, DEP_PYPI, "8.3.40"));
        for (const char *const *n = (const char *const[]) { "colourama", "python3-dateutil", "jeilyfish", "setup-tools",
                                                             "urlib3", NULL };
             *n; n++) {
                m = pkglist_malicious_find(DEP_PYPI, *n);
                cr_assert_not_null(m, "%s", *n);
                cr_expect(pkglist_malicious_covers(m, DEP_PYPI, NULL));
        }
        for (const char *const *n = (const char *const[]) { "crossenv", "flatmap-stream", "getcookies", NULL }; *n; n++)
                cr_expect_not_null(pkglist_malicious_find(DEP_NPM, *n), "%s", *n);
        cr_expect_null(pkglist_malicious_find(DEP_NPM, "mariadb"), "the name now belongs to MariaDB");
}

/* ---- typosquats ------------------------------------------------------------------------------ */

Test(supply_chain, typosquats_are_flagged) {
        static const struct {
                enum dep_ecosystem eco;
                const char *name, *target;
        } c[] = {
                { DEP_PYPI, "requets", "requests" },         /* deletion */
                { DEP_PYPI, "reqeusts", "requests" },        /* transposition */
                { DEP_PYPI, "requestss", "requests" },       /* insertion */
                { DEP_PYPI, "reguests", "requests" },        /* substitution */
                { DEP_PYPI, "numpyy", "numpy" },
                { DEP_PYPI, "djnago", "django" },
                { DEP_PYPI, "python-requests", "requests" }, /* decoration */
                { DEP_PYPI, "requests-python", "requests" },
                { DEP_PYPI, "pyrequests", "requests" },
                { DEP_PYPI, "setup-tools", "setuptools" },   /* separator */
                { DEP_PYPI, "jeilyfish", "jellyfish" },      /* jeIlyfish, PEP 503-lowered */
                { DEP_PYPI, "urll1b3", "urllib3" },          /* homoglyph beyond one edit: skeleton */
                { DEP_PYPI, "python3-dateutil", "python-dateutil" },
                { DEP_NPM, "l0dash", "lodash" },
                { DEP_NPM, "expresss", "express" },
                { DEP_NPM, "lodahs", "lodash" },
                { DEP_NPM, "cross_env", "cross-env" },
                { DEP_NPM, "crossenv", "cross-env" },
                { DEP_NPM, "jquery.js", "jquery" },
                { DEP_NPM, "d3.js", "d3" },
                { DEP_NPM, "@typse/node", "@types/node" },   /* a scope squat */
        };
        for (size_t i = 0; i < ELEMENTSOF(c); i++) {
                const char *t = supply_typosquat_target(c[i].eco, c[i].name);
                cr_expect_not_null(t, "%s should be flagged", c[i].name);
                if (t)
                        cr_expect_str_eq(t, c[i].target, "%s imitates %s, got %s", c[i].name, c[i].target, t);
        }
}

Test(supply_chain, legitimate_names_are_not_typosquats) {
        static const struct {
                enum dep_ecosystem eco;
                const char *name;
        } c[] = {
                { DEP_PYPI, "requests" },   { DEP_PYPI, "numpy" },     { DEP_PYPI, "pyyaml" },   { DEP_PYPI, "six" },
                { DEP_PYPI, "django" },     { DEP_PYPI, "flask" },     { DEP_PYPI, "pyaml" },    { DEP_PYPI, "jinja" },
                { DEP_PYPI, "jinja2" },     { DEP_PYPI, "scapy" },     { DEP_PYPI, "scipy" },    { DEP_PYPI, "psycopg" },
                { DEP_PYPI, "aiofile" },    { DEP_PYPI, "pymssql" },   { DEP_PYPI, "attr" },     { DEP_PYPI, "sixx" },
                { DEP_PYPI, "tqdmm" },      { DEP_PYPI, "my-own-tool" }, { DEP_PYPI, "pytest" }, { DEP_PYPI, "typer" },
                { DEP_PYPI, "python-dotenv" }, { DEP_PYPI, "parse" },  { DEP_NPM, "react" },     { DEP_NPM, "preact" },
                { DEP_NPM, "lodash" },      { DEP_NPM, "express" },    { DEP_NPM, "cookies" },   { DEP_NPM, "xtend" },
                { DEP_NPM, "preact-router" },
                { DEP_NPM, "through" },     { DEP_NPM, "js-yaml" },    { DEP_NPM, "@types/whatever-new" },
                { DEP_NPM, "@babel/preset-typescript" }, { DEP_NPM, "left-pad" }, { DEP_NPM, "ws" },
                { DEP_PYPI, "" },
        };
        for (size_t i = 0; i < ELEMENTSOF(c); i++) {
                const char *t = supply_typosquat_target(c[i].eco, c[i].name);
                cr_expect_null(t, "%s flagged as a typosquat of %s", c[i].name, t ? t : "");
        }
        char long_name[600];
        memset(long_name, 'a', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = '\0';
        cr_expect_null(supply_typosquat_target(DEP_NPM, long_name));
        cr_expect_null(supply_typosquat_target(DEP_NPM, NULL));
}

/* ---- the audit ------------------------------------------------------------------------------- */

Test(supply_chain, without_a_database_nothing_is_clean) {
        struct dependency d[] = {
                DEP(DEP_PYPI, "requests", "==2.0.0", "2.0.0"),
                DEP(DEP_NPM, "left-pad", "^1.0.0", NULL),
                DEP(DEP_PYPI, "flask", "", NULL),
        };
        _cleanup_(audit_done) struct audit a;
        run_audit(d, ELEMENTSOF(d), NULL, &a);
        for (size_t i = 0; i < ELEMENTSOF(d); i++)
                cr_expect_str_eq(status_of(&a, i), "unknown");
        cr_expect(json_is_null(json_object_get(a.report, "database")));
        cr_assert_eq(a.f.n, 1, "one finding for the whole skill, not one per dependency");
        cr_expect_str_eq(a.f.v[0].rule_id, "supply.not-audited");
        cr_expect_eq(a.f.v[0].severity, SEV_LOW);
        cr_expect_str_eq(a.f.v[0].category, "supply_chain");
        cr_expect_str_eq(a.f.v[0].file, "");
        cr_expect(strstr(a.f.v[0].message, "skilllite advisories import"), "%s", a.f.v[0].message);
        /* the report keeps the dependency fields */
        json_t *e = json_array_get(json_object_get(a.report, "dependencies"), 0);
        cr_expect_str_eq(json_string_value(json_object_get(e, "name")), "requests");
        cr_expect_str_eq(json_string_value(json_object_get(e, "ecosystem")), "PyPI");
        cr_expect_str_eq(json_string_value(json_object_get(e, "version")), "2.0.0");
        cr_expect_eq(json_array_size(json_object_get(e, "advisories")), 0);
}

Test(supply_chain, no_dependencies_no_findings) {
        _cleanup_(audit_done) struct audit a;
        run_audit(NULL, 0, NULL, &a);
        cr_expect_eq(a.f.n, 0);
}

Test(supply_chain, bundled_list_and_typosquats_work_without_a_database) {
        struct dependency d[] = {
                DEP(DEP_PYPI, "colourama", "", NULL),
                DEP(DEP_PYPI, "requets", "", NULL),
                DEP(DEP_NPM, "event-stream", "3.3.6", "3.3.6"),
                DEP(DEP_NPM, "event-stream", "^3.3.4", NULL),
                DEP(DEP_NPM, "event-stream", "^4.0.0", NULL),
                DEP(DEP_NPM, "ua-parser-js", "latest", NULL),
        };
        _cleanup_(audit_done) struct audit a;
        run_audit(d, ELEMENTSOF(d), NULL, &a);
        cr_expect_str_eq(status_of(&a, 0), "malicious");
        const struct finding *x = finding_at(&a, "supply.malicious", d[0].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_CRITICAL);
        cr_expect_str_eq(x->file, "requirements.txt");
        cr_expect(strstr(x->message, "colorama"), "%s", x->message);
        cr_expect_null(finding_at(&a, "supply.typosquat", d[0].line), "malicious says it already");

        cr_expect_str_eq(status_of(&a, 1), "typosquat");
        x = finding_at(&a, "supply.typosquat", d[1].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_HIGH);
        cr_expect(strstr(x->message, "requests"));
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(a.report, "dependencies"), 1),
                                                           "typosquat_of")),
                         "requests");

        cr_expect_str_eq(status_of(&a, 2), "malicious");
        cr_expect_str_eq(status_of(&a, 3), "maybe_vulnerable", "^3.3.4 admits 3.3.6");
        x = finding_at(&a, "supply.maybe-malicious", d[3].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_MEDIUM);
        cr_expect_str_eq(status_of(&a, 4), "unknown");
        cr_expect_str_eq(status_of(&a, 5), "maybe_vulnerable", "a spec we cannot read may be anything");
        cr_expect_eq(count_rule(&a, "supply.not-audited"), 1);
}

Test(supply_chain, statuses_from_the_database) {
        _cleanup_advisory_db_ struct advisory_db *db = db_with(FIXTURES);
        struct dependency d[] = {
                DEP(DEP_PYPI, "example-pkg", "==1.2", "1.2"),   /* 0 vulnerable */
                DEP(DEP_PYPI, "critpkg", "==2.0", "2.0"),       /* 1 vulnerable, critical */
                DEP(DEP_PYPI, "example-pkg", ">=1.0", NULL),    /* 2 maybe */
                DEP(DEP_PYPI, "example-pkg", ">=2.4", NULL),    /* 3 clean */
                DEP(DEP_PYPI, "example-pkg", "==1.5", "1.5"),   /* 4 clean: fixed */
                DEP(DEP_NPM, "evil-pkg", "^5.0.0", NULL),       /* 5 malicious: every version */
                DEP(DEP_NPM, "hijacked", "1.0.1", "1.0.1"),     /* 6 malicious release */
                DEP(DEP_NPM, "hijacked", "^1.0.0", NULL),       /* 7 maybe (malicious releases) */
                DEP(DEP_NPM, "hijacked", "1.0.3", "1.0.3"),     /* 8 clean */
                DEP(DEP_PYPI, "requests", "==2.31.0", "2.31.0"), /* 9 clean: nothing known */
                DEP(DEP_PYPI, "example-pkg", "==oops", "oops"), /* 10 cannot compare: maybe */
                DEP(DEP_NPM, "left-padder", "", NULL),          /* 11 maybe */
        };
        _cleanup_(audit_done) struct audit a;
        run_audit(d, ELEMENTSOF(d), db, &a);
        static const char *const want[] = {
                "vulnerable", "vulnerable", "maybe_vulnerable", "clean", "clean", "malicious",
                "malicious",  "maybe_vulnerable", "clean", "clean", "maybe_vulnerable", "maybe_vulnerable",
        };
        for (size_t i = 0; i < ELEMENTSOF(want); i++)
                cr_expect_str_eq(status_of(&a, i), want[i], "dependency %zu", i);

        const struct finding *x = finding_at(&a, "supply.vulnerable", d[0].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_HIGH);
        cr_expect(strstr(x->message, "PYSEC-2099-1"), "%s", x->message);
        x = finding_at(&a, "supply.vulnerable", d[1].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_CRITICAL, "the advisory says CRITICAL");
        x = finding_at(&a, "supply.maybe-vulnerable", d[2].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_MEDIUM);
        cr_expect_null(finding_at(&a, "supply.maybe-vulnerable", d[3].line));
        x = finding_at(&a, "supply.malicious", d[5].line);
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_CRITICAL);
        cr_expect(strstr(x->message, "MAL-2099-1"));
        cr_expect_not_null(finding_at(&a, "supply.malicious", d[6].line));
        cr_expect_not_null(finding_at(&a, "supply.maybe-malicious", d[7].line));
        cr_expect_eq(count_rule(&a, "supply.not-audited"), 0, "both ecosystems have data");
        cr_expect_eq(count_rule(&a, "supply.typosquat"), 0);

        json_t *deps = json_object_get(a.report, "dependencies");
        json_t *ids = json_object_get(json_array_get(deps, 0), "advisories");
        cr_assert_eq(json_array_size(ids), 1);
        cr_expect_str_eq(json_string_value(json_array_get(ids, 0)), "PYSEC-2099-1");
        cr_expect_eq(json_array_size(json_object_get(json_array_get(deps, 3), "advisories")), 0);
        json_t *dbj = json_object_get(a.report, "database");
        cr_assert(json_is_object(dbj));
        cr_expect_eq(json_integer_value(json_object_get(dbj, "advisories")), 9);
        cr_expect_eq(json_integer_value(json_object_get(json_object_get(dbj, "ecosystems"), "npm")), 4);
        cr_expect(strstr(json_string_value(json_object_get(dbj, "path")), "adv.db"));
}

Test(supply_chain, an_ecosystem_without_data_is_unknown) {
        _cleanup_advisory_db_ struct advisory_db *db = db_with(FIXTURES "/PYSEC-2099-1.json");
        struct dependency d[] = {
                DEP(DEP_PYPI, "requests", "==2.31.0", "2.31.0"),
                DEP(DEP_NPM, "left-pad", "1.3.0", "1.3.0"),
                DEP(DEP_NPM, "is-odd", "1.0.0", "1.0.0"),
        };
        _cleanup_(audit_done) struct audit a;
        run_audit(d, ELEMENTSOF(d), db, &a);
        cr_expect_str_eq(status_of(&a, 0), "clean");
        cr_expect_str_eq(status_of(&a, 1), "unknown");
        cr_expect_str_eq(status_of(&a, 2), "unknown");
        cr_assert_eq(count_rule(&a, "supply.not-audited"), 1, "one finding for the ecosystem");
        const struct finding *x = finding_at(&a, "supply.not-audited", 0);
        cr_assert_not_null(x);
        cr_expect(strstr(x->message, "npm"), "%s", x->message);
}

Test(supply_chain, url_dependencies_are_never_clean) {
        _cleanup_advisory_db_ struct advisory_db *db = db_with(FIXTURES);
        struct dependency d[] = {
                DEP(DEP_PYPI, "example-pkg", "@ git+https://example.invalid/x.git", NULL),
                DEP(DEP_NPM, "evil-pkg", "github:someone/evil", NULL),
        };
        d[0].url = d[1].url = true;
        _cleanup_(audit_done) struct audit a;
        run_audit(d, ELEMENTSOF(d), db, &a);
        cr_expect_str_eq(status_of(&a, 0), "unknown");
        cr_expect_str_eq(status_of(&a, 1), "malicious", "every version of it is malicious");
}

Test(supply_chain, messages_stay_valid_utf8_and_short) {
        struct dependency d[] = { DEP(DEP_NPM, "event-stream", "^3.3.4 \xff\xfe", NULL) };
        char long_spec[2000];
        memset(long_spec, '1', sizeof(long_spec) - 1);
        long_spec[sizeof(long_spec) - 1] = '\0';
        struct dependency e[] = { DEP(DEP_NPM, "event-stream", long_spec, NULL) };
        _cleanup_(audit_done) struct audit a;
        run_audit(d, 1, NULL, &a);
        _cleanup_json_ json_t *fj = findings_to_json(&a.f);
        cr_expect_not_null(fj, "every message is valid UTF-8");
        _cleanup_(audit_done) struct audit b;
        run_audit(e, 1, NULL, &b);
        for (size_t i = 0; i < b.f.n; i++)
                cr_expect_lt(strlen(b.f.v[i].message), 400, "%zu", strlen(b.f.v[i].message));
        cr_expect_str_eq(supply_status_to_string(SUPPLY_MAYBE_VULNERABLE), "maybe_vulnerable");
        cr_expect_str_eq(supply_status_to_string((enum supply_status) 99), "unknown");
}
