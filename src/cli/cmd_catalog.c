/* `list` and `show`: the skills of a skills directory. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/utf8.h"
#include "../scan/input_schema.h"
#include "../skill/catalog.h"
#include "../skill/integrity.h"
#include "../skill/skill_json.h"
#include "../skill/state_db.h"
#include "cli.h"

static int cmd_list(int argc, char **argv);
static int cmd_show(int argc, char **argv);

#define SKILLS_DIR_HELP                                                                            \
        "  -s, --skills-dir DIR  where skills live (default: $SKILLLITE_SKILLS_DIR, else\n"         \
        "                        ./.skills, then ./skills)\n"

const struct command command_list = {
        .name = "list",
        .synopsis = "list [--json] [-s DIR]",
        .summary = "List the skills in the skills directory (valid and invalid ones).",
        .help = "Options:\n" SKILLS_DIR_HELP "  --json                print a JSON object\n",
        .run = cmd_list,
};

const struct command command_show = {
        .name = "show",
        .synopsis = "show [--json] [-s DIR] <name>",
        .summary = "Show one skill of the skills directory in detail.",
        .help = "Options:\n" SKILLS_DIR_HELP "  --json                print a JSON object\n"
                "\nExit status: 0 found, 1 no such skill.\n",
        .run = cmd_show,
};

static int parse_catalog_opts(const struct command *cmd, int argc, char **argv, bool *json,
                              const char **skills_dir) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "skills-dir", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "js:h", opts, NULL)) != -1) {
                switch (c) {
                case 'j': *json = true; break;
                case 's': *skills_dir = optarg; break;
                case 'h': return cli_usage(cmd, false);
                default: return cli_usage(cmd, true);
                }
        }
        return -1;
}

static int load_catalog(const char *skills_dir, struct catalog *cat) {
        _cleanup_strv_free_ char **dirs = NULL;
        if (catalog_resolve_dirs(skills_dir, &dirs) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct error err = ERROR_INIT;
        int r = catalog_load(dirs, cat, &err);
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        size_t i;
        json_t *d;
        json_array_foreach(cat->duplicates, i, d) {
                json_t *paths = json_object_get(d, "paths");
                cli_warn("duplicate skill name '%s' in %s and %s; using the first",
                         json_string_value(json_object_get(d, "name")),
                         json_string_value(json_array_get(paths, 0)),
                         json_string_value(json_array_get(paths, 1)));
        }
        return -1;
}

/* The state DB when there is one (NULL: nothing was installed with `add` yet). */
static struct state_db *open_state_db(void) {
        struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        int r = state_db_open(false, &db, &err);
        if (r < 0 && r != -ENOENT)
                cli_warn("%s (integrity not shown)", err.msg);
        return r < 0 ? NULL : db;
}

/* A JSON string for a file name, which may be any bytes: invalid UTF-8 becomes U+FFFD, so one
 * oddly named directory cannot make the whole listing fail (jansson refuses invalid UTF-8). */
static json_t *json_string_lossy(const char *s) {
        size_t n = strlen(s);
        _cleanup_free_ char *buf = NULL;
        if (n > (SIZE_MAX - 1) / 3 || !(buf = malloc(n * 3 + 1)))
                return NULL;
        size_t len = 0;
        while (n > 0) {
                size_t ok = utf8_first_invalid(s, n);
                memcpy(buf + len, s, ok);
                len += ok;
                if (ok == n)
                        break;
                memcpy(buf + len, "\xEF\xBF\xBD", 3);
                len += 3;
                s += ok + 1;
                n -= ok + 1;
        }
        return json_stringn(buf, len);
}

/* What the state DB knows about an entry: {"status", "source", "version", "installed_at",
 * "verdict", "approved_by", "permissions", "changes"?}; status is "ok", "changed", "bad_record"
 * or "unrecorded" (not installed through `add`), or "error". */
static json_t *install_info(struct state_db *db, const struct catalog_entry *e) {
        if (!db)
                return json_pack("{s:s}", "status", "unrecorded");
        struct integrity_result res = { 0 };
        struct error err = ERROR_INIT;
        if (integrity_verify_dir(db, e->path, &res, &err) < 0) {
                integrity_result_done(&res);
                return json_pack("{s:s, s:s}", "status", "error", "error", err.msg);
        }
        static const char *const WORDS[] = { [INTEGRITY_OK] = "ok", [INTEGRITY_NOT_INSTALLED] = "unrecorded",
                                             [INTEGRITY_CHANGED] = "changed", [INTEGRITY_BAD_RECORD] = "bad_record" };
        json_t *o = json_pack("{s:s}", "status", WORDS[res.status]);
        if (o && res.changes)
                json_object_set(o, "changes", res.changes);
        integrity_result_done(&res);
        /* the record's fields, shown only when its MAC holds */
        _cleanup_free_ char *parent = strdup(e->path);
        char *slash = parent ? strrchr(parent, '/') : NULL;
        struct installed_skill rec = { 0 };
        if (o && slash && slash != parent) {
                *slash = '\0';
                _cleanup_free_ char *canon = realpath(parent, NULL);
                if (canon && installed_get(db, canon, e->dir_name, &rec, &err) == 1) {
                        json_t *fields = json_pack("{s:s, s:s, s:I, s:s, s:s, s:O}", "source", rec.source, "version",
                                                   rec.version, "installed_at", (json_int_t) rec.installed_at,
                                                   "verdict", rec.verdict, "approved_by", rec.channel,
                                                   "permissions", rec.permissions);
                        if (fields)
                                json_object_update(o, fields);
                        json_decref(fields);
                }
                installed_skill_done(&rec);
        }
        return o;
}

static json_t *entry_to_json(struct state_db *db, const struct catalog_entry *e) {
        json_t *o = e->skill ? skill_to_json(e->skill)
                             : json_pack("{s:o, s:o}", "name", json_string_lossy(e->dir_name),
                                         "path", json_string_lossy(e->path));
        if (!o)
                return NULL;
        if (json_object_set_new(o, "valid", json_boolean(e->skill != NULL)) < 0 ||
            json_object_set(o, "errors", e->report.errors) < 0 ||
            json_object_set(o, "warnings", e->report.warnings) < 0 ||
            json_object_set_new(o, "install", install_info(db, e)) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

/* Print s padded to width with line breaks and control characters (terminal escapes) as
 * spaces: names and descriptions come from untrusted skill directories and SKILL.md files. */
static void print_cell(const char *s, size_t width) {
        size_t n = 0;
        for (const char *p = s ? s : ""; *p; p++, n++)
                putchar((unsigned char) *p < 0x20 || *p == 0x7f ? ' ' : *p);
        for (; n < width; n++)
                putchar(' ');
}

/* One table row per skill, always one line. */
static void print_row(const char *name, const char *kind, const char *status, const char *text) {
        print_cell(name, 24);
        putchar(' ');
        print_cell(kind, 13);
        putchar(' ');
        print_cell(status, 11);
        putchar(' ');
        print_cell(text, 0);
        putchar('\n');
}

static int cmd_list(int argc, char **argv) {
        bool json = false;
        const char *skills_dir = NULL;
        int r = parse_catalog_opts(&command_list, argc, argv, &json, &skills_dir);
        if (r >= 0)
                return r;
        if (optind != argc)
                return cli_usage(&command_list, true);
        _cleanup_(catalog_done) struct catalog cat = { 0 };
        r = load_catalog(skills_dir, &cat);
        if (r >= 0)
                return r;
        _cleanup_state_db_ struct state_db *db = open_state_db();

        if (json) {
                _cleanup_json_ json_t *arr = json_array();
                if (!arr)
                        return cli_fail(EXIT_FAILED, "out of memory");
                for (size_t i = 0; i < cat.n; i++) {
                        const struct catalog_entry *e = &cat.entries[i];
                        /* The tool input schema too: `mcp` lists every skill as a tool from this. */
                        json_t *o = entry_to_json(db, e);
                        if (!o || (e->skill && input_schema_json_set(o, e->skill, -1) < 0) ||
                            json_array_append_new(arr, o) < 0)
                                return cli_fail(EXIT_FAILED, "out of memory");
                }
                _cleanup_json_ json_t *out = json_pack("{s:O, s:O, s:O}", "skills_dirs", cat.dirs,
                                                       "skills", arr, "duplicates", cat.duplicates);
                return out ? cli_print_json(out) : cli_fail(EXIT_FAILED, "out of memory");
        }
        if (cat.n == 0) {
                printf("No skills found in %s.\n",
                       json_string_value(json_array_get(cat.dirs, 0)));
                return EXIT_OK;
        }
        for (size_t i = 0; i < cat.n; i++) {
                const struct catalog_entry *e = &cat.entries[i];
                _cleanup_json_ json_t *info = install_info(db, e);
                const char *st = json_string_value(json_object_get(info, "status"));
                const char *status = !st                      ? "?"
                                     : streq(st, "ok")         ? "verified"
                                     : streq(st, "changed")    ? "CHANGED"
                                     : streq(st, "bad_record") ? "TAMPERED"
                                                               : st;
                if (e->skill)
                        print_row(e->skill->name, skill_kind_to_string(e->skill->kind), status,
                                  e->skill->description);
                else
                        print_row(e->dir_name, "INVALID", status,
                                  json_string_value(json_object_get(json_array_get(e->report.errors, 0),
                                                                    "message")));
        }
        return EXIT_OK;
}

/* prefix + untrusted value made terminal-safe + newline */
static void line(const char *prefix, const char *value) {
        fputs(prefix, stdout);
        cli_fputs_safe(stdout, value, false);
        putchar('\n');
}

static int cmd_show(int argc, char **argv) {
        bool json = false;
        const char *skills_dir = NULL;
        int r = parse_catalog_opts(&command_show, argc, argv, &json, &skills_dir);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_show, true);
        const char *name = argv[optind];
        _cleanup_(catalog_done) struct catalog cat = { 0 };
        r = load_catalog(skills_dir, &cat);
        if (r >= 0)
                return r;
        _cleanup_state_db_ struct state_db *db = open_state_db();
        const struct catalog_entry *e = catalog_find(&cat, name);
        if (!e)
                return cli_fail(EXIT_FAILED, "no skill named '%s' in %s", name,
                                json_string_value(json_array_get(cat.dirs, 0)));
        if (json) {
                _cleanup_json_ json_t *o = entry_to_json(db, e);
                if (!o || (e->skill && input_schema_json_set(o, e->skill, -1) < 0))
                        return cli_fail(EXIT_FAILED, "out of memory");
                return cli_print_json(o);
        }
        if (!e->skill) {
                cli_fputs_safe(stdout, e->dir_name, false);
                printf(" (INVALID) at ");
                cli_fputs_safe(stdout, e->path, false);
                putchar('\n');
                size_t i;
                json_t *f;
                json_array_foreach(e->report.errors, i, f)
                        line("  error: ", json_string_value(json_object_get(f, "message")));
                return EXIT_OK;
        }
        const struct skill *s = e->skill;
        const char *lang = skill_language_to_string(s->language);
        line("", s->name);
        printf("  ");
        cli_fputs_safe(stdout, s->description, true);
        printf("\n\n");
        line("  path:          ", s->dir);
        line("  kind:          ", skill_kind_to_string(s->kind));
        line("  entry point:   ", s->entry_point ? s->entry_point : "(none)");
        line("  language:      ", lang ? lang : "(none)");
        line("  license:       ", s->license ? s->license : "(none)");
        line("  compatibility: ", s->compatibility ? s->compatibility : "(none)");
        if (s->allowed_tools)
                line("  allowed tools: ", s->allowed_tools);
        const char *key;
        json_t *v;
        if (json_object_size(s->metadata)) {
                printf("  metadata:\n");
                json_object_foreach(s->metadata, key, v) {
                        printf("    ");
                        cli_fputs_safe(stdout, key, false);
                        line(": ", json_string_value(v));
                }
        }
        if (s->n_scripts) {
                printf("  scripts:\n");
                for (size_t i = 0; i < s->n_scripts; i++) {
                        printf("    ");
                        cli_fputs_safe(stdout, s->scripts[i].path, false);
                        printf(" (%s)\n", skill_language_to_string(s->scripts[i].language));
                }
        }
        _cleanup_json_ json_t *info = install_info(db, e);
        const char *st = json_string_value(json_object_get(info, "status"));
        line("  integrity:     ", !st ? "?" : streq(st, "ok") ? "verified (unchanged since it was approved)"
                                 : streq(st, "changed")    ? "CHANGED since it was approved (`skilllite verify`)"
                                 : streq(st, "bad_record") ? "RECORD TAMPERED WITH (fails its MAC)"
                                 : streq(st, "unrecorded") ? "unrecorded (not installed with `add`)"
                                                           : st);
        if (json_object_get(info, "source")) {
                line("  source:        ", json_string_value(json_object_get(info, "source")));
                line("  approved scan: ", json_string_value(json_object_get(info, "verdict")));
                line("  approved by:   ", json_string_value(json_object_get(info, "approved_by")));
        }
        size_t i;
        json_t *w;
        json_array_foreach(e->report.warnings, i, w)
                line("  warning: ", json_string_value(json_object_get(w, "message")));
        return EXIT_OK;
}
