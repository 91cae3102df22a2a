/* `validate` and `info`: look at one skill directory. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../base/json.h"
#include "../scan/input_schema.h"
#include "../skill/skill.h"
#include "../skill/skill_json.h"
#include "cli.h"

/* Parse "[--json] <skill-dir>"; returns -1 to continue, or an exit code. */
static int parse_json_and_dir(const struct command *cmd, int argc, char **argv, bool *json,
                              const char **dir) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
                switch (c) {
                case 'j': *json = true; break;
                case 'h': return cli_usage(cmd, false);
                default: return cli_usage(cmd, true);
                }
        }
        if (argc - optind != 1)
                return cli_usage(cmd, true);
        *dir = argv[optind];
        return -1;
}

static void print_findings(FILE *f, const char *label, const json_t *list) {
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e) {
                fprintf(f, "  %s: ", label);
                cli_fputs_safe(f, json_string_value(json_object_get(e, "field")), false);
                fprintf(f, " [%s]: ", json_string_value(json_object_get(e, "rule")));
                cli_fputs_safe(f, json_string_value(json_object_get(e, "message")), false);
                fputc('\n', f);
        }
}

/* "  Label:         value" with the value made terminal-safe. */
static void field(const char *label, const char *value) {
        char l[32];
        snprintf(l, sizeof(l), "%s:", label);
        printf("  %-15s", l);
        cli_fputs_safe(stdout, value, false);
        putchar('\n');
}

static int cmd_validate(int argc, char **argv);
static int cmd_info(int argc, char **argv);

const struct command command_validate = {
        .name = "validate",
        .synopsis = "validate [--json] <skill-dir>",
        .summary = "Check a skill directory against the Agent Skills specification.",
        .help = "Options:\n"
                "  --json    print {\"valid\", \"errors\", \"warnings\", \"skill\"} as JSON\n"
                "\nExit status: 0 valid, 2 invalid or unreadable.\n",
        .run = cmd_validate,
};

const struct command command_info = {
        .name = "info",
        .synopsis = "info [--json] <skill-dir>",
        .summary = "Show what a skill is: name, kind, entry point, language, scripts, permissions.",
        .help = "Options:\n"
                "  --json    print the skill as JSON (same object as validate's \"skill\")\n",
        .run = cmd_info,
};

static int cmd_validate(int argc, char **argv) {
        bool json = false;
        const char *dir = NULL;
        int r = parse_json_and_dir(&command_validate, argc, argv, &json, &dir);
        if (r >= 0)
                return r;

        _cleanup_(skill_report_done) struct skill_report rep = { 0 };
        if (skill_report_init(&rep) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        _cleanup_(skill_freep) struct skill *s = NULL;
        struct error err = ERROR_INIT;
        r = skill_load(dir, &s, &rep, &err);
        if (r < 0 && r != -EINVAL)
                (void) skill_report_add(&rep, true, "skill", "load", "%s", err.msg);
        bool valid = r == 0;

        if (json) {
                _cleanup_json_ json_t *out = json_pack("{s:b, s:O, s:O}", "valid", valid, "errors",
                                                       rep.errors, "warnings", rep.warnings);
                json_t *sj = s ? skill_to_json(s) : json_null();
                if (!out || !sj || json_object_set_new(out, "skill", sj) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
                int code = cli_print_json(out);
                return code ? code : (valid ? EXIT_OK : EXIT_USAGE);
        }
        if (valid)
                printf("Skill validation passed: %s (%s)\n", s->name, skill_kind_to_string(s->kind));
        else
                printf("Skill validation failed: %s\n", dir);
        print_findings(stdout, "error", rep.errors);
        print_findings(stdout, "warning", rep.warnings);
        return valid ? EXIT_OK : EXIT_USAGE;
}

static int cmd_info(int argc, char **argv) {
        bool json = false;
        const char *dir = NULL;
        int r = parse_json_and_dir(&command_info, argc, argv, &json, &dir);
        if (r >= 0)
                return r;
        _cleanup_(skill_report_done) struct skill_report rep = { 0 };
        if (skill_report_init(&rep) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        _cleanup_(skill_freep) struct skill *s = NULL;
        struct error err = ERROR_INIT;
        r = skill_load(dir, &s, &rep, &err);
        if (r == -EINVAL) {
                fprintf(stderr, "skilllite: error: '%s' is not a valid skill:\n", dir);
                print_findings(stderr, "error", rep.errors);
                return EXIT_USAGE;
        }
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        if (json) {
                _cleanup_json_ json_t *sj = skill_to_json(s);
                if (!sj || input_schema_json_set(sj, s, -1) < 0)
                        return cli_fail(EXIT_FAILED, "out of memory");
                return cli_print_json(sj);
        }
        const char *lang = skill_language_to_string(s->language);
        const char *net = skill_metadata_get(s, "skilllite.network");
        const char *exe = skill_metadata_get(s, "skilllite.exec");
        printf("Skill Information:\n");
        field("Name", s->name);
        field("Description", s->description);
        field("Path", s->dir);
        field("Kind", skill_kind_to_string(s->kind));
        if (s->entry_point) {
                printf("  %-15s", "Entry Point:");
                cli_fputs_safe(stdout, s->entry_point, false);
                printf("%s\n", s->entry_declared ? " (declared)" : "");
        } else
                field("Entry Point", s->kind == SKILL_KIND_PROMPT_ONLY
                                             ? "(none - prompt-only skill)"
                                             : "(none - use 'skilllite exec' with one of the scripts)");
        field("Language", lang ? lang : "(none)");
        if (s->license)
                field("License", s->license);
        if (s->compatibility)
                field("Compatibility", s->compatibility);
        if (s->allowed_tools)
                field("Allowed tools", s->allowed_tools);
        field("Network", net ? net : "(none)");
        field("Extra exec", exe ? exe : "(none)");
        if (s->n_scripts) {
                printf("  Scripts:\n");
                for (size_t i = 0; i < s->n_scripts; i++) {
                        printf("    ");
                        cli_fputs_safe(stdout, s->scripts[i].path, false);
                        printf(" (%s)\n", skill_language_to_string(s->scripts[i].language));
                }
        }
        return EXIT_OK;
}
