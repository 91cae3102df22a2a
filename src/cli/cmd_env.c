/* `build-env` (find or build a skill's dependency environments) and `clean-env` (remove the
 * environments no installed skill uses). The work is in sandbox/env*.c. */
#include "cmd_env.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/json.h"
#include "../sandbox/probe.h"
#include "../skill/catalog.h"
#include "cli.h"

static int cmd_build_env(int argc, char **argv);
static int cmd_clean_env(int argc, char **argv);

const struct command command_build_env = {
        .name = "build-env",
        .synopsis = "build-env [--json] [--rebuild] <skill-dir>",
        .summary = "Build (or find) a skill's dependency environments.",
        .help = "Reads requirements.txt, package.json (+ package-lock.json / npm-shrinkwrap.json) and the\n"
                "packages named in SKILL.md `compatibility`, and builds a Python venv and/or a\n"
                "node_modules tree inside the sandbox: network only to PIP_INDEX_URL /\n"
                "NPM_CONFIG_REGISTRY, wheels only (pip --only-binary=:all:), no npm install scripts.\n"
                "Identical needs share one environment under $SKILLLITE_ENV_DIR\n"
                "(default ~/.cache/skilllite/envs). add and run do this by themselves.\n\n"
                "  --rebuild   remove the skill's environments first, then build them again\n"
                "  --json      print {\"skill\", \"environments\": [{\"language\", \"name\", \"path\"}]}\n",
        .run = cmd_build_env,
};

const struct command command_clean_env = {
        .name = "clean-env",
        .synopsis = "clean-env [--dry-run] [--json] [--skills-dir DIR]",
        .summary = "Remove dependency environments that no installed skill uses.",
        .help = "Installed skills are the directories holding SKILL.md in the skills directories\n"
                "(--skills-dir, else $SKILLLITE_SKILLS_DIR, else ./.skills and ./skills). Each one's\n"
                "environment names are computed (nothing is built) and kept; every other environment\n"
                "under $SKILLLITE_ENV_DIR (default ~/.cache/skilllite/envs) is removed, with the\n"
                "remains of interrupted builds and failed-build logs. An environment being built\n"
                "right now is skipped.\n\n"
                "  --dry-run   only say what would be removed\n"
                "  --json      print {\"root\", \"dry_run\", \"removed\", \"kept\", \"skipped\", \"freed_bytes\"}\n",
        .run = cmd_clean_env,
};

void cli_env_progress(const struct env_progress *p, void *userdata) {
        (void) userdata;
        if (!isatty(STDERR_FILENO))
                return;
        const char *lang = env_lang_to_string(p->lang);
        switch (p->event) {
        case ENV_EVENT_WAITING:
                fprintf(stderr, "skilllite: waiting for another process building the same %s environment...\n",
                        lang);
                break;
        case ENV_EVENT_BUILDING:
                fprintf(stderr, "skilllite: building the %s environment (%zu package%s) in the sandbox...\n",
                        lang, p->n_packages, p->n_packages == 1 ? "" : "s");
                break;
        case ENV_EVENT_BUILT:
                fprintf(stderr, "skilllite: %s environment ready (%.1f s)\n", lang, (double) p->elapsed_ms / 1000);
                break;
        case ENV_EVENT_FAILED:
                fprintf(stderr, "skilllite: building the %s environment failed after %.1f s\n", lang,
                        (double) p->elapsed_ms / 1000);
                break;
        }
}

static const char *human_size(uint64_t n, char *buf, size_t len) {
        if (n < 1024)
                snprintf(buf, len, "%llu B", (unsigned long long) n);
        else if (n < 1024 * 1024)
                snprintf(buf, len, "%.1f KiB", (double) n / 1024);
        else
                snprintf(buf, len, "%.1f MiB", (double) n / (1024 * 1024));
        return buf;
}

static int load_skill(const char *dir, struct skill **ret) {
        _cleanup_(skill_report_done) struct skill_report rep = { 0 };
        if (skill_report_init(&rep) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct error err = ERROR_INIT;
        int r = skill_load(dir, ret, &rep, &err);
        if (r == -EINVAL) {
                size_t i;
                json_t *e;
                fprintf(stderr, "skilllite: error: '%s' is not a valid skill:\n", dir);
                json_array_foreach(rep.errors, i, e) {
                        fputs("  error: ", stderr);
                        cli_fputs_safe(stderr, json_string_value(json_object_get(e, "message")), false);
                        fputc('\n', stderr);
                }
                return EXIT_USAGE;
        }
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        return -1;
}

static int cmd_build_env(int argc, char **argv) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "rebuild", no_argument, NULL, 'r' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, rebuild = false;
        int ch;
        optind = 0;
        while ((ch = getopt_long(argc, argv, "+jrh", opts, NULL)) != -1) {
                switch (ch) {
                case 'j': json = true; break;
                case 'r': rebuild = true; break;
                case 'h': return cli_usage(&command_build_env, false);
                default: return cli_usage(&command_build_env, true);
                }
        }
        if (argc - optind != 1)
                return cli_usage(&command_build_env, true);
        _cleanup_skill_ struct skill *skill = NULL;
        int r = load_skill(argv[optind], &skill);
        if (r >= 0)
                return r;
        struct host_caps host = { 0 };
        host_probe(&host);
        struct error err = ERROR_INIT;
        _cleanup_free_ char *root = NULL;
        if (rebuild && (r = env_root(NULL, false, &root)) < 0) {
                host_caps_done(&host);
                return cli_fail(EXIT_FAILED, "the environment directory: %s", strerror(-r));
        }
        if (rebuild) {
                struct env_spec specs[2] = { 0 };
                int mask = env_skill_specs(skill, &host, root, specs, &err);
                for (int l = 0; mask > 0 && l < 2; l++) {
                        if ((mask & (1 << l)) && env_remove(root, specs[l].name, &err) == 0)
                                cli_warn("%s is being built by another process: not removed", specs[l].name);
                        env_spec_done(&specs[l]);
                }
                if (mask < 0 || err.code) {
                        host_caps_done(&host);
                        return cli_fail(cli_exit_for_errno(mask < 0 ? mask : err.code), "%s", err.msg);
                }
        }
        struct env_options eo = { .progress = cli_env_progress };
        struct env_ref ref = { 0 };
        r = env_prepare(skill, &host, &eo, &ref, &err);
        host_caps_done(&host);
        if (r < 0)
                return cli_fail(r == -ENOTSUP ? EXIT_SANDBOX_UNAVAILABLE : r == -EINVAL ? EXIT_USAGE : EXIT_FAILED,
                                "%s", err.msg);
        _cleanup_json_ json_t *envs = json_array();
        const char *dirs[2] = { ref.python_dir, ref.node_dir };
        const char *names[2] = { ref.python_name, ref.node_name };
        for (int l = 0; envs && l < 2; l++)
                if (dirs[l] && json_array_append_new(envs, json_pack("{s:s, s:s, s:s}", "language",
                                                                     env_lang_to_string((enum env_lang) l), "name",
                                                                     names[l], "path", dirs[l])) < 0) {
                        env_ref_done(&ref);
                        return cli_fail(EXIT_FAILED, "out of memory");
                }
        env_ref_done(&ref);
        if (!envs)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:O}", "skill", skill->name, "environments", envs);
                return out ? cli_print_json(out) : cli_fail(EXIT_FAILED, "out of memory");
        }
        if (json_array_size(envs) == 0)
                printf("%s has no dependencies\n", skill->name);
        size_t i;
        json_t *e;
        json_array_foreach(envs, i, e)
                printf("%s: %s\n", json_string_value(json_object_get(e, "language")),
                       json_string_value(json_object_get(e, "path")));
        return EXIT_OK;
}

/* ---- clean-env ------------------------------------------------------------------------------ */

/* used: {env name: [skill names]} for every valid installed skill. */
static int collect_used(const char *skills_dir, const char *root, json_t *used, bool quiet) {
        _cleanup_strv_free_ char **dirs = NULL;
        if (catalog_resolve_dirs(skills_dir, &dirs) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct catalog cat = { 0 };
        struct error err = ERROR_INIT;
        int r = catalog_load(dirs, &cat, &err);
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        struct host_caps host = { 0 };
        host_probe(&host);
        int code = -1;
        for (size_t i = 0; code < 0 && i < cat.n; i++) {
                const struct skill *s = cat.entries[i].skill;
                if (!s)
                        continue; /* an invalid skill cannot run, so it uses nothing */
                struct env_spec specs[2] = { 0 };
                error_clear(&err);
                int mask = env_skill_specs(s, &host, root, specs, &err);
                if (mask == -EINVAL || mask == -ENOENT) {
                        /* dependencies no environment can hold, or no interpreter for them */
                        if (!quiet)
                                cli_warn("%s: %s", s->name, err.msg);
                        continue;
                }
                if (mask < 0) {
                        /* without knowing what this skill uses, removing anything could hit it */
                        code = cli_fail(EXIT_FAILED, "%s: %s; nothing was removed", s->name, err.msg);
                        break;
                }
                for (int l = 0; l < 2; l++) {
                        if (!(mask & (1 << l)))
                                continue;
                        json_t *list = json_object_get(used, specs[l].name);
                        if (!list && json_object_set_new(used, specs[l].name, list = json_array()) < 0)
                                list = NULL;
                        if (!list || json_array_append_new(list, json_string(s->name)) < 0)
                                code = cli_fail(EXIT_FAILED, "out of memory");
                        env_spec_done(&specs[l]);
                }
        }
        host_caps_done(&host);
        catalog_done(&cat);
        return code;
}

static int cmd_clean_env(int argc, char **argv) {
        static const struct option opts[] = {
                { "dry-run", no_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                { "skills-dir", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool dry = false, json = false;
        const char *skills_dir = NULL;
        int ch;
        optind = 0;
        while ((ch = getopt_long(argc, argv, "+njs:h", opts, NULL)) != -1) {
                switch (ch) {
                case 'n': dry = true; break;
                case 'j': json = true; break;
                case 's': skills_dir = optarg; break;
                case 'h': return cli_usage(&command_clean_env, false);
                default: return cli_usage(&command_clean_env, true);
                }
        }
        if (argc != optind)
                return cli_usage(&command_clean_env, true);
        _cleanup_free_ char *root = NULL;
        int r = env_root(NULL, false, &root);
        if (r < 0)
                return cli_fail(EXIT_FAILED, "the environment directory: %s", strerror(-r));
        _cleanup_json_ json_t *used = json_object();
        _cleanup_json_ json_t *removed = json_array(), *kept = json_array(), *skipped = json_array();
        if (!used || !removed || !kept || !skipped)
                return cli_fail(EXIT_FAILED, "out of memory");
        int code = collect_used(skills_dir, root, used, false);
        if (code >= 0)
                return code;
        struct env_list list = { 0 };
        struct error err = ERROR_INIT;
        if (env_list(root, &list, &err) < 0)
                return cli_fail(EXIT_FAILED, "%s", err.msg);
        uint64_t freed = 0;
        code = EXIT_OK;
        for (size_t i = 0; i < list.n; i++) {
                const struct env_entry *e = &list.v[i];
                json_t *users = e->complete ? json_object_get(used, e->name) : NULL;
                char size[32];
                if (users) {
                        if (json_array_append_new(kept, json_pack("{s:s, s:I, s:O}", "name", e->name, "bytes",
                                                                  (json_int_t) e->bytes, "used_by", users)) < 0)
                                code = cli_fail(EXIT_FAILED, "out of memory");
                        if (!json) {
                                printf("kept     %s  %s  (", e->name, human_size(e->bytes, size, sizeof(size)));
                                size_t k;
                                json_t *u;
                                json_array_foreach(users, k, u)
                                        printf("%s%s", k ? ", " : "", json_string_value(u));
                                printf(")\n");
                        }
                        continue;
                }
                int rr = dry ? 1 : env_remove(root, e->name, &err);
                if (rr < 0) {
                        code = cli_fail(EXIT_FAILED, "%s", err.msg);
                        error_clear(&err);
                        continue;
                }
                json_t *target = rr ? removed : skipped;
                if (json_array_append_new(target, json_pack("{s:s, s:I}", "name", e->name, "bytes",
                                                            (json_int_t) e->bytes)) < 0)
                        code = cli_fail(EXIT_FAILED, "out of memory");
                if (rr)
                        freed += e->bytes;
                if (!json)
                        printf("%s %s  %s\n", !rr ? "skipped " : dry ? "would remove" : "removed ", e->name,
                               !rr ? "(a build holds it)" : human_size(e->bytes, size, sizeof(size)));
        }
        env_list_done(&list);
        if (json) {
                _cleanup_json_ json_t *out = json_pack("{s:s, s:b, s:O, s:O, s:O, s:I}", "root", root, "dry_run", dry,
                                                       "removed", removed, "kept", kept, "skipped", skipped,
                                                       "freed_bytes", (json_int_t) freed);
                if (!out)
                        return cli_fail(EXIT_FAILED, "out of memory");
                int pr = cli_print_json(out);
                return code != EXIT_OK ? code : pr;
        }
        char size[32];
        printf("%s %zu, kept %zu, %s%s\n", dry ? "would remove" : "removed", json_array_size(removed),
               json_array_size(kept), human_size(freed, size, sizeof(size)), dry ? " would be freed" : " freed");
        return code;
}
