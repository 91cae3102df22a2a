/* `add` and `init`: skills come in only through admission (admit.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../skill/source.h"
#include "admit.h"
#include "cli.h"
#include "config.h"
#ifdef SKILLLITE_FULL
#include "../llm/download.h"
#endif

static int cmd_add(int argc, char **argv);
static int cmd_init(int argc, char **argv);

const struct command command_add = {
        .name = "add",
        .synopsis = "add [--skills-dir DIR] [--yes] [--force] [--json] <source>",
        .summary = "Install skills from a directory, an archive, a git repository or GitHub, after a scan "
                   "and your confirmation.",
        .help = "Sources:\n"
                "  ./path/to/skill          a local directory (a skill, or a folder of skills)\n"
                "  skill.zip, skill.tar.gz  a local archive (extracted safely)\n"
                "  https://host/x.tar.gz    an archive URL (full `skilllite` binary only)\n"
                "  https://host/repo.git, ssh://..., file:///path/repo   a git repository\n"
                "  owner/repo[@skill-name]  a GitHub repository (base: $SKILLLITE_GIT_BASE)\n"
                "\nOptions:\n"
                "  -s, --skills-dir DIR  install into DIR (default: $SKILLLITE_SKILLS_DIR, else ./.skills)\n"
                "  -y, --yes             approve after reading the report (no prompt); `critical` is\n"
                "                        refused regardless\n"
                "  -f, --force           replace an installed skill of the same name\n"
                "  --json                print a JSON summary\n"
                "\nEach skill is copied into a private staging directory, validated, scanned (code,\n"
                "SKILL.md, dependencies), shown with the permissions it asks for, confirmed, recorded\n"
                "(integrity hash + HMAC in the state DB) and moved into place. A failure at any step\n"
                "leaves the skills directory as it was.\n"
                "\nExit status: 0 all installed, 2 bad source or invalid skill, 3 refused (scan,\n"
                "declined, no confirmation), 1 other failure.\n",
        .run = cmd_add,
};

const struct command command_init = {
        .name = "init",
        .synopsis = "init [--skills-dir DIR] [--json]",
        .summary = "Create the skills directory and install the bundled example skills through admission.",
        .help = "Options:\n"
                "  -s, --skills-dir DIR  the directory (default: $SKILLLITE_SKILLS_DIR, else ./.skills)\n"
                "  --json                print a JSON summary\n"
                "\nThe bundled skills come from $SKILLLITE_BUNDLED_SKILLS, else the data directory\n"
                "this binary was installed with, else the source tree it was built from. Running\n"
                "`init` is the approval for them; a `critical` verdict is still refused. Skills\n"
                "already installed with the same content are left alone.\n",
        .run = cmd_init,
};

struct lifecycle_opts {
        const char *skills_dir;
        bool yes, force, json;
};

static int parse_opts(const struct command *cmd, int argc, char **argv, struct lifecycle_opts *o) {
        static const struct option opts[] = {
                { "skills-dir", required_argument, NULL, 's' },
                { "yes", no_argument, NULL, 'y' },
                { "force", no_argument, NULL, 'f' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "s:yfh", opts, NULL)) != -1) {
                switch (c) {
                case 's': o->skills_dir = optarg; break;
                case 'y': o->yes = true; break;
                case 'f': o->force = true; break;
                case 'j': o->json = true; break;
                case 'h': return cli_usage(cmd, false);
                default: return cli_usage(cmd, true);
                }
        }
        return -1;
}

/* Admit every skill of the list; the exit code is the first failure's (0 when all went in). */
static int admit_all(char *const *paths, size_t n, const struct admit_opts *ao, const char *target, bool json) {
        _cleanup_json_ json_t *installed = json_array(), *failed = json_array();
        if (!installed || !failed)
                return cli_fail(EXIT_FAILED, "out of memory");
        int code = EXIT_OK;
        for (size_t i = 0; i < n; i++) {
                json_t *entry = NULL;
                int r = admit_skill(paths[i], ao, &entry);
                if (r != EXIT_OK && code == EXIT_OK)
                        code = r;
                if (entry && json_array_append_new(r == EXIT_OK ? installed : failed, entry) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
        }
        if (json) {
                _cleanup_free_ char *dir = realpath(target, NULL);
                _cleanup_json_ json_t *out = json_pack("{s:s, s:O, s:O}", "skills_dir", dir ? dir : target,
                                                       "installed", installed, "failed", failed);
                if (!out)
                        return cli_fail(EXIT_FAILED, "out of memory");
                int pr = cli_print_json(out);
                return pr ? pr : code;
        }
        return code;
}

static int cmd_add(int argc, char **argv) {
        struct lifecycle_opts o = { 0 };
        int r = parse_opts(&command_add, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_add, true);
        _cleanup_free_ char *target = admit_target_dir(o.skills_dir);
        if (!target)
                return cli_fail(EXIT_FAILED, "out of memory");

        struct source_spec spec = { 0 };
        struct error err = ERROR_INIT;
        r = source_parse(argv[optind], &spec, &err);
        if (r < 0)
                return cli_fail(EXIT_USAGE, "%s", err.msg);
        struct source_fetched got = { 0 };
#ifdef SKILLLITE_FULL
        source_download_hook = http_download_file; /* archive URLs need libcurl: full binary only */
#endif
        r = source_fetch(&spec, NULL, &got, &err);
        if (r < 0) {
                source_spec_done(&spec);
                return cli_fail(r == -EPERM ? EXIT_REFUSED : r == -EIO ? EXIT_FAILED : cli_exit_for_errno(r), "%s",
                                err.msg);
        }
        struct admit_opts ao = { .skills_dir = target, .source = spec.display, .yes = o.yes, .force = o.force,
                                 .json = o.json };
        r = admit_all(got.skills, got.n_skills, &ao, target, o.json);
        source_fetched_done(&got);
        source_spec_done(&spec);
        return r;
}

/* ---- init ---------------------------------------------------------------------------------- */

/* Where the bundled skills are: see command_init's help. */
static char *bundled_dir(void) {
        const char *env = getenv("SKILLLITE_BUNDLED_SKILLS");
        if (env && *env)
                return strdup(env);
        if (path_is_dir(SKILLLITE_DATADIR "/skills"))
                return strdup(SKILLLITE_DATADIR "/skills");
        if (path_is_dir(SKILLLITE_SOURCE_SKILLS))
                return strdup(SKILLLITE_SOURCE_SKILLS);
        return NULL;
}

static int cmd_init(int argc, char **argv) {
        struct lifecycle_opts o = { 0 };
        int r = parse_opts(&command_init, argc, argv, &o);
        if (r >= 0)
                return r;
        if (argc != optind)
                return cli_usage(&command_init, true);
        _cleanup_free_ char *target = admit_target_dir(o.skills_dir);
        _cleanup_free_ char *bundled = bundled_dir();
        if (!target)
                return cli_fail(EXIT_FAILED, "out of memory");
        if (!bundled)
                return cli_fail(EXIT_FAILED, "the bundled skills were not found (set SKILLLITE_BUNDLED_SKILLS)");
        struct error err = ERROR_INIT;
        _cleanup_strv_free_ char **found = NULL;
        size_t n = 0;
        r = source_find_skills(bundled, &found, &n, &err);
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        if (mkdir(target, 0755) < 0 && errno != EEXIST)
                return cli_fail(EXIT_FAILED, "%s: %s", target, strerror(errno));
        /* Skills already there are left alone: init never replaces what the user has. */
        _cleanup_strv_free_ char **todo = calloc(n + 1, sizeof(char *));
        size_t n_todo = 0, skipped = 0;
        if (!todo)
                return cli_fail(EXIT_FAILED, "out of memory");
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *base = path_basename(found[i]);
                _cleanup_free_ char *there = base ? path_join(target, base) : NULL;
                if (!there)
                        return cli_fail(EXIT_FAILED, "out of memory");
                if (path_is_dir(there)) {
                        skipped++;
                        if (!o.json)
                                printf("'%s' is already in %s: left as it is.\n", base, target);
                        continue;
                }
                if (!(todo[n_todo++] = strdup(found[i])))
                        return cli_fail(EXIT_FAILED, "out of memory");
        }
        struct admit_opts ao = { .skills_dir = target, .source = "bundled", .json = o.json, .channel = "init" };
        r = admit_all(todo, n_todo, &ao, target, o.json);
        if (!o.json && r == EXIT_OK)
                printf("%zu bundled skill%s installed into %s%s.\n", n_todo, n_todo == 1 ? "" : "s", target,
                       skipped ? " (others were already there)" : "");
        return r;
}
