/* `scan`: the install-time scanner on a skill directory or one file, as text, JSON or SARIF. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/json.h"
#include "../scan/scan.h"
#include "../scan/scan_gate.h"
#include "../skill/skill.h"
#include "../skill/skill_hash.h"
#include "cli.h"
#ifdef SKILLLITE_FULL
#include "../scan/advisory_online.h"
#include "../scan/review.h"
#endif

static int cmd_scan(int argc, char **argv);

const struct command command_scan = {
        .name = "scan",
        .synopsis = "scan [--json | --sarif] [--fail-on SEVERITY] [--no-review] [--online] <skill-dir | file>",
        .summary = "Scan a skill (every file) or one script for dangerous code, hidden instructions "
                   "and risky dependencies.",
        .help = "Options:\n"
                "  --json             print the report as JSON\n"
                "  --sarif            print the report as SARIF 2.1.0 (for code-scanning tools)\n"
                "  --fail-on SEV      exit 3 when the verdict is SEV or worse (safe, low, medium,\n"
                "                     high, critical; default high)\n"
                "  --min-severity SEV text output: hide findings below SEV (default low)\n"
                "  --no-review        skip the LLM review even when a model is configured\n"
                "  --online           also ask the OSV API about the dependencies (SKILLLITE_OSV_API,\n"
                "                     default https://api.osv.dev; full skilllite binary only)\n"
                "\nThe verdict is the highest severity found. Permissions the skill declares\n"
                "(skilllite.network hosts, skilllite.exec programs) turn matching findings into\n"
                "information (severity safe). Dependencies are audited against the advisory\n"
                "database (`skilllite advisories import`); without one they are \"unknown\".\n"
                "With --online a dependency the OSV API could not answer for is never \"clean\".\n"
#ifdef SKILLLITE_FULL
                "With SKILLLITE_REVIEW_MODEL (or SKILLLITE_MODEL + SKILLLITE_API_BASE) set, the\n"
                "skill is also reviewed by that model; the review can only raise the verdict.\n"
#endif
                "\nExit status: 0 below --fail-on, 3 at or above it, 2 usage or unreadable path,\n"
                "1 the scan itself failed.\n",
        .run = cmd_scan,
};

enum scan_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };

struct scan_args {
        enum scan_format format;
        int fail_on;
        int min_severity;
        bool no_review;
        bool online;
        const char *path;
};

static int parse_args(int argc, char **argv, struct scan_args *a) {
        enum { OPT_FAIL_ON = 256, OPT_SARIF, OPT_MIN, OPT_NO_REVIEW, OPT_ONLINE };
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "sarif", no_argument, NULL, OPT_SARIF },
                { "fail-on", required_argument, NULL, OPT_FAIL_ON },
                { "min-severity", required_argument, NULL, OPT_MIN },
                { "no-review", no_argument, NULL, OPT_NO_REVIEW },
                { "online", no_argument, NULL, OPT_ONLINE },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        *a = (struct scan_args) { .fail_on = SEV_HIGH, .min_severity = SEV_LOW };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
                switch (c) {
                case 'j': a->format = FORMAT_JSON; break;
                case OPT_SARIF: a->format = FORMAT_SARIF; break;
                case OPT_FAIL_ON:
                case OPT_MIN: {
                        int s = severity_from_string(optarg);
                        if (s < 0)
                                return cli_fail(EXIT_USAGE, "%s: unknown severity '%s' (safe, low, medium, high, critical)",
                                                c == OPT_FAIL_ON ? "--fail-on" : "--min-severity", optarg);
                        *(c == OPT_FAIL_ON ? &a->fail_on : &a->min_severity) = s;
                        break;
                }
                case OPT_NO_REVIEW: a->no_review = true; break;
                case OPT_ONLINE:
#ifdef SKILLLITE_FULL
                        a->online = true;
                        break;
#else
                        /* Never a silent offline scan: the person asked for the online answer. */
                        return cli_fail(EXIT_USAGE, "--online needs the full skilllite binary "
                                                    "(skilllite-sandbox has no HTTP client)");
#endif
                case 'h': return cli_usage(&command_scan, false);
                default: return cli_usage(&command_scan, true);
                }
        }
        if (argc - optind != 1)
                return cli_usage(&command_scan, true);
        a->path = argv[optind];
        return -1;
}

#ifdef SKILLLITE_FULL
/* The optional LLM review: configured by the environment; a failure is reported in the review
 * object and as a low finding, never as a scan failure. */
static int review_if_configured(int dirfd, bool is_dir, const char *name, struct scan_report *rep) {
        _cleanup_(llm_config_done) struct llm_config c = { 0 };
        struct error err = { 0 };
        int r = llm_config_from_env(&c, "review", &err);
        if (r < 0) {
                cli_warn("review: %s", err.msg);
                return 0;
        }
        if (r == 0)
                return 0;
        char hash[SHA256_HEX_BYTES] = "";
        if (is_dir) {
                r = skill_hash_dir(dirfd, hash, &err);
                if (r < 0)
                        return cli_fail(EXIT_FAILED, "review: %s", err.msg);
        } else if (rep->files.n == 1 && rep->files.v[0].data) {
                uint8_t d[SHA256_DIGEST_BYTES];
                if (sha256_buffer(rep->files.v[0].data, rep->files.v[0].len, d) < 0)
                        return EXIT_FAILED;
                sha256_to_hex(d, hash);
        }
        struct scan_review_input in = { .skill_hash = hash, .skill_name = name,
                                        .files = rep->files.v, .n_files = rep->files.n,
                                        .static_findings = &rep->findings };
        err = (struct error) { 0 };
        r = scan_review(&c, &in, &rep->findings, &rep->review, &err);
        if (r == -ENOMEM)
                return cli_fail(EXIT_FAILED, "review: out of memory");
        return 0;
}
#endif

static int cmd_scan(int argc, char **argv) {
        struct scan_args a;
        int r = parse_args(argc, argv, &a);
        if (r >= 0)
                return r;
#ifdef SKILLLITE_FULL
        _cleanup_(osv_config_done) struct osv_config osv = { 0 };
        if (a.online) {
                struct error oerr = ERROR_INIT;
                if (osv_config_from_env(&osv, &oerr) < 0)
                        return cli_fail(oerr.code == -ENOMEM ? EXIT_FAILED : EXIT_USAGE, "--online: %s", oerr.msg);
        }
#endif

        struct stat st;
        if (stat(a.path, &st) < 0)
                return cli_fail(EXIT_USAGE, "%s: %s", a.path, strerror(errno));
        bool is_dir = S_ISDIR(st.st_mode);
        /* A file is scanned as an entry of its directory, so it is classified and read exactly
         * like a file of a skill (never through a symlink). */
        _cleanup_free_ char *copy = strdup(a.path), *copy2 = strdup(a.path);
        if (!copy || !copy2)
                return cli_fail(EXIT_FAILED, "out of memory");
        const char *dir = is_dir ? a.path : dirname(copy);
        const char *file = is_dir ? NULL : basename(copy2);
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return cli_fail(EXIT_USAGE, "%s: %s", dir, strerror(errno));

        /* A skill's declared permissions lower the findings they cover; a SKILL.md that does not
         * validate declares nothing (its text is still scanned). */
        _cleanup_skill_ struct skill *skill = NULL;
        struct scan_skill_perms perms = { 0 };
        if (is_dir) {
                struct skill_report srep = { 0 };
                struct error lerr = { 0 };
                if (skill_report_init(&srep) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
                (void) skill_load(a.path, &skill, &srep, &lerr);
                skill_report_done(&srep);
                if (skill && scan_skill_perms_init(&perms, skill) < 0) {
                        scan_skill_perms_done(&perms);
                        return cli_fail(EXIT_FAILED, "out of memory");
                }
        }
        _cleanup_(scan_advisory_db_closep) struct advisory_db *db = NULL;
        struct error err = { 0 };
        if (scan_advisory_db_open_if_present(&db, &err) < 0)
                cli_warn("advisory database: %s (dependencies are \"unknown\")", err.msg);
        struct scan_options o = { .perms = &perms.perms,
                                  .compatibility = skill ? skill->compatibility : NULL,
                                  .db = db };
#ifdef SKILLLITE_FULL
        /* `scan` neither reads nor writes the scan cache (only the level-3 gate does, and always
         * offline), so an online answer never mixes with cached offline reports. */
        if (a.online) {
                o.online = advisory_online_hook;
                o.online_ctx = &osv;
        }
#endif
        struct scan_report rep = { 0 };
        err = (struct error) { 0 };
        r = scan_run(dirfd, file, &o, &rep, &err);
        scan_skill_perms_done(&perms);
        if (r < 0) {
                scan_report_done(&rep);
                return cli_fail(r == -ENOENT || r == -ENOTDIR || r == -EISDIR ? EXIT_USAGE : EXIT_FAILED,
                                "scan: %s", err.msg);
        }
#ifdef SKILLLITE_FULL
        if (!a.no_review && (r = review_if_configured(dirfd, is_dir, skill ? skill->name : file, &rep)) != 0) {
                scan_report_done(&rep);
                return r;
        }
#endif
        enum severity verdict = scan_report_verdict(&rep);
        int code = (int) verdict >= a.fail_on ? EXIT_REFUSED : EXIT_OK;
        _cleanup_json_ json_t *j = NULL;
        if (a.format == FORMAT_SARIF) {
                _cleanup_free_ char *abs = realpath(dir, NULL);
                _cleanup_free_ char *uri = NULL;
                if (abs && asprintf(&uri, "file://%s/", streq(abs, "/") ? "" : abs) < 0)
                        uri = NULL;
                j = scan_report_to_sarif(&rep, uri);
        } else {
                j = scan_report_to_json(&rep);
        }
        scan_report_done(&rep);
        if (!j)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (a.format != FORMAT_TEXT) {
                int pr = cli_print_json(j);
                return pr != EXIT_OK ? pr : code;
        }
        cli_print_scan_report(stdout, j, a.min_severity);
        return code;
}
