/* `advisories`: the offline advisory database - import OSV data, show its status, check one
 * package the way a scan does. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../base/json.h"
#include "../scan/advisory_db.h"
#include "../scan/supply_chain.h"
#include "../scan/version.h"
#include "cli.h"
#ifdef SKILLLITE_FULL
#include "../scan/advisory_online.h"
#endif

static int cmd_advisories(int argc, char **argv);

const struct command command_advisories = {
        .name = "advisories",
        .synopsis = "advisories import [--json] <all.zip | dir | file.json>\n"
                    "       skilllite advisories status [--json]\n"
                    "       skilllite advisories check [--json] [--online] <PyPI|npm> <name> [version | spec]",
        .summary = "Manage the offline advisory database used to audit dependencies.",
        .help = "Subcommands:\n"
                "  import   add OSV advisories: a zip as published by OSV (e.g. PyPI/all.zip,\n"
                "           npm/all.zip from osv-vulnerabilities.storage.googleapis.com), a\n"
                "           directory tree of OSV .json files, or one file. Only PyPI and npm\n"
                "           entries are kept; an advisory already stored is replaced when its\n"
                "           `modified` differs. The import is one transaction.\n"
                "  status   where the database is, how many advisories, the last import\n"
                "  check    audit one package as a scan would (bundled malicious list,\n"
                "           typosquat check, advisories). An exact version is checked as pinned;\n"
                "           anything else is a version spec (\">=2,<3\", \"^1.2\").\n"
                "\nOptions:\n"
                "  --json   print a JSON object\n"
                "  --online (check) also ask the OSV API (SKILLLITE_OSV_API, default\n"
                "           https://api.osv.dev; full skilllite binary only)\n"
                "\nDatabase: $SKILLLITE_ADVISORY_DB, else $XDG_DATA_HOME/skilllite/advisories.db\n"
                "(default ~/.local/share/skilllite/advisories.db).\n"
                "\nExit status: 0 done (check: whatever the status), 1 unreadable input or database,\n"
                "2 usage.\n",
        .run = cmd_advisories,
};

/* "[--json] [--online] ARGS...": positional arguments left at argv[optind..]; online is NULL for
 * subcommands without --online. -1 to go on, else exit code. */
static int parse_flags(int argc, char **argv, bool *json, bool *online) {
        enum { OPT_ONLINE = 256 };
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "online", no_argument, NULL, OPT_ONLINE },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
                switch (c) {
                case 'j': *json = true; break;
                case OPT_ONLINE:
                        if (!online)
                                return cli_usage(&command_advisories, true);
#ifndef SKILLLITE_FULL
                        /* Never a silent offline answer: the person asked for the online one. */
                        return cli_fail(EXIT_USAGE, "--online needs the full skilllite binary "
                                                    "(skilllite-sandbox has no HTTP client)");
#endif
                        *online = true;
                        break;
                case 'h': return cli_usage(&command_advisories, false);
                default: return cli_usage(&command_advisories, true);
                }
        }
        return -1;
}

/* 0 opened; -ENOENT no file yet (read-only; *ret_path still set when asked for); -1 after an
 * error was printed. */
static int open_db(unsigned flags, struct advisory_db **ret, char **ret_path) {
        struct error err = ERROR_INIT;
        _cleanup_free_ char *path = NULL;
        int r = advisory_db_default_path(&path, &err);
        if (r >= 0)
                r = advisory_db_open(path, flags, ret, &err);
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        if (r == -ENOENT && !(flags & ADVISORY_DB_WRITE) && ret_path && *ret_path)
                return -ENOENT;
        if (r < 0) {
                cli_fail(EXIT_FAILED, "advisory database: %s", err.msg);
                return -1;
        }
        return 0;
}

static json_t *stats_to_json(const char *db, const char *source, const struct advisory_import_stats *s) {
        json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I}}", "database", db,
                              "source", source, "documents", (json_int_t) s->documents, "imported",
                              (json_int_t) s->imported, "replaced", (json_int_t) s->replaced, "unchanged",
                              (json_int_t) s->unchanged, "withdrawn", (json_int_t) s->withdrawn, "ignored",
                              (json_int_t) s->ignored, "malformed", (json_int_t) s->malformed, "ecosystems",
                              dep_ecosystem_to_string(DEP_PYPI), (json_int_t) s->ecosystem[DEP_PYPI],
                              dep_ecosystem_to_string(DEP_NPM), (json_int_t) s->ecosystem[DEP_NPM]);
        return o;
}

static int do_import(int argc, char **argv) {
        bool json = false;
        int r = parse_flags(argc, argv, &json, NULL);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_advisories, true);
        const char *source = argv[optind];
        _cleanup_advisory_db_ struct advisory_db *db = NULL;
        if (open_db(ADVISORY_DB_WRITE, &db, NULL) < 0)
                return EXIT_FAILED;
        struct advisory_import_stats st;
        struct error err = ERROR_INIT;
        r = advisory_db_import(db, source, &st, &err);
        if (r < 0)
                return cli_fail(EXIT_FAILED, "import failed, nothing was changed: %s", err.msg);
        if (json) {
                _cleanup_json_ json_t *o = stats_to_json(advisory_db_path(db), source, &st);
                return o ? cli_print_json(o) : cli_fail(EXIT_FAILED, "out of memory");
        }
        printf("Imported ");
        cli_fputs_safe(stdout, source, false);
        printf(" into ");
        cli_fputs_safe(stdout, advisory_db_path(db), false);
        printf("\n  documents read   %zu\n  imported         %zu\n  replaced         %zu\n"
               "  unchanged        %zu\n  withdrawn        %zu\n  ignored          %zu  (no PyPI or npm package)\n"
               "  malformed        %zu  (skipped)\n  PyPI             %zu\n  npm              %zu\n",
               st.documents, st.imported, st.replaced, st.unchanged, st.withdrawn, st.ignored, st.malformed,
               st.ecosystem[DEP_PYPI], st.ecosystem[DEP_NPM]);
        return EXIT_OK;
}

static int do_status(int argc, char **argv) {
        bool json = false;
        int r = parse_flags(argc, argv, &json, NULL);
        if (r >= 0)
                return r;
        if (argc - optind != 0)
                return cli_usage(&command_advisories, true);
        _cleanup_advisory_db_ struct advisory_db *db = NULL;
        _cleanup_free_ char *path = NULL;
        r = open_db(ADVISORY_DB_READONLY, &db, &path);
        if (r == -ENOENT) {
                if (json) {
                        _cleanup_json_ json_t *o = json_pack("{s:s, s:b}", "path", path, "present", false);
                        return o ? cli_print_json(o) : cli_fail(EXIT_FAILED, "out of memory");
                }
                printf("No advisory database at ");
                cli_fputs_safe(stdout, path, false);
                printf("\nDependencies are not audited (\"unknown\") until one is imported:\n"
                       "  skilllite advisories import PyPI-all.zip\n");
                return EXIT_OK;
        }
        if (r < 0)
                return EXIT_FAILED;
        struct advisory_db_status st;
        struct error err = ERROR_INIT;
        if (advisory_db_status(db, &st, &err) < 0)
                return cli_fail(EXIT_FAILED, "advisory database: %s", err.msg);
        if (json) {
                _cleanup_json_ json_t *o = advisory_db_status_to_json(db, &st);
                if (!o || json_object_set_new(o, "present", json_true()) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
                return cli_print_json(o);
        }
        printf("Advisory database: ");
        cli_fputs_safe(stdout, advisory_db_path(db), false);
        printf("\n  advisories       %llu (%llu malicious-package reports)\n", (unsigned long long) st.advisories,
               (unsigned long long) st.malicious);
        for (int e = 0; e < ADVISORY_ECOSYSTEMS; e++)
                printf("  %-16s %llu advisories, %llu packages\n", dep_ecosystem_to_string((enum dep_ecosystem) e),
                       (unsigned long long) st.ecosystem[e], (unsigned long long) st.packages[e]);
        if (st.last_import) {
                char when[64] = "?";
                time_t t = (time_t) st.last_import;
                struct tm tm;
                if (gmtime_r(&t, &tm))
                        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
                printf("  last import      %s from ", when);
                cli_fputs_safe(stdout, st.last_source, false);
                putchar('\n');
        } else {
                printf("  last import      never\n");
        }
        return EXIT_OK;
}

/* PyPI "==1.2.3" is as pinned as "1.2.3"; anything that is not one exact version is a spec. */
static void split_version(enum dep_ecosystem eco, const char *arg, const char **ret_version, const char **ret_spec) {
        *ret_version = NULL;
        *ret_spec = arg ? arg : "";
        if (!arg)
                return;
        const char *v = eco == DEP_PYPI && strneq(arg, "==", 2) && !strpbrk(arg, ",*") ? arg + 2 : arg;
        if (eco == DEP_PYPI ? pep440_valid(v) : semver_valid(v))
                *ret_version = v;
}

/* The OSV API's answer for deps (full binary only). 0, or an exit code after a message. */
static int ask_online(const struct dependencies *deps, struct supply_online *ret) {
#ifdef SKILLLITE_FULL
        _cleanup_(osv_config_done) struct osv_config c = { 0 };
        struct error err = ERROR_INIT;
        if (osv_config_from_env(&c, &err) < 0)
                return cli_fail(err.code == -ENOMEM ? EXIT_FAILED : EXIT_USAGE, "--online: %s", err.msg);
        if (advisory_online_query(&c, deps, ret) < 0)
                return cli_fail(EXIT_FAILED, "--online: out of memory");
        return 0;
#else
        return cli_fail(EXIT_USAGE, "--online needs the full skilllite binary");
#endif
}

static int do_check(int argc, char **argv) {
        bool json = false, online = false;
        int r = parse_flags(argc, argv, &json, &online);
        if (r >= 0)
                return r;
        int n = argc - optind;
        if (n < 2 || n > 3)
                return cli_usage(&command_advisories, true);
        const char *eco_s = argv[optind];
        enum dep_ecosystem eco;
        if (strcasecmp(eco_s, "pypi") == 0)
                eco = DEP_PYPI;
        else if (strcasecmp(eco_s, "npm") == 0)
                eco = DEP_NPM;
        else
                return cli_fail(EXIT_USAGE, "unknown ecosystem '%s' (PyPI or npm)", eco_s);
        _cleanup_free_ char *name = advisory_normalize_name(eco, argv[optind + 1]);
        if (!name)
                return cli_fail(EXIT_FAILED, "out of memory");
        bool printable = true;
        for (const char *p = name; *p; p++)
                printable &= *p > ' ' && *p < 0x7f;
        if (!*name || strlen(name) > DEP_NAME_MAX || !printable)
                return cli_fail(EXIT_USAGE, "invalid package name");
        const char *version, *spec;
        split_version(eco, n == 3 ? argv[optind + 2] : NULL, &version, &spec);
        if (strlen(spec) > VERSION_SPEC_MAX_LEN)
                return cli_fail(EXIT_USAGE, "version spec too long");
        _cleanup_free_ char *version_copy = version ? strdup(version) : NULL, *spec_copy = strdup(spec);
        struct dependency d = {
                .eco = eco, .name = name, .spec = spec_copy, .version = version_copy,
                .file = (char *) "", .line = 0, .direct = true,
        };
        if (!spec_copy || (version && !version_copy))
                return cli_fail(EXIT_FAILED, "out of memory");
        struct dependencies deps = { .v = &d, .n = 1, .cap = 1 };

        _cleanup_advisory_db_ struct advisory_db *db = NULL;
        _cleanup_free_ char *path = NULL;
        r = open_db(ADVISORY_DB_READONLY, &db, &path);
        if (r < 0 && r != -ENOENT)
                return EXIT_FAILED;
        _cleanup_(supply_online_done) struct supply_online answers = { 0 };
        if (online && (r = ask_online(&deps, &answers)) != 0)
                return r;
        struct findings f = { 0 };
        _cleanup_json_ json_t *report = NULL;
        r = supply_chain_audit_online(&deps, db, online ? &answers : NULL, &f, &report);
        if (r < 0) {
                findings_done(&f);
                return cli_fail(EXIT_FAILED, "check failed: %s", strerror(-r));
        }
        _cleanup_json_ json_t *fj = findings_to_json(&f);
        findings_done(&f);
        json_t *entry = json_array_get(json_object_get(report, "dependencies"), 0);
        if (!fj || !entry)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (json) {
                _cleanup_json_ json_t *o = json_pack("{s:O, s:O, s:O, s:O*}", "dependency", entry, "findings", fj,
                                                     "database", json_object_get(report, "database"), "online",
                                                     json_object_get(report, "online"));
                return o ? cli_print_json(o) : cli_fail(EXIT_FAILED, "out of memory");
        }
        printf("%s %s %s: %s\n", dep_ecosystem_to_string(eco), name, version ? version : *spec ? spec : "(any version)",
               json_string_value(json_object_get(entry, "status")));
        size_t i;
        json_t *x;
        json_array_foreach(fj, i, x) {
                printf("  [%s] ", json_string_value(json_object_get(x, "severity")));
                cli_fputs_safe(stdout, json_string_value(json_object_get(x, "message")), false);
                putchar('\n');
        }
        return EXIT_OK;
}

static int cmd_advisories(int argc, char **argv) {
        if (argc < 2)
                return cli_usage(&command_advisories, true);
        const char *sub = argv[1];
        if (streq(sub, "--help") || streq(sub, "-h"))
                return cli_usage(&command_advisories, false);
        if (streq(sub, "import"))
                return do_import(argc - 1, argv + 1);
        if (streq(sub, "status"))
                return do_status(argc - 1, argv + 1);
        if (streq(sub, "check"))
                return do_check(argc - 1, argv + 1);
        return cli_usage(&command_advisories, true);
}
