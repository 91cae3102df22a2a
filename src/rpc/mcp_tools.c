/* The tools of `skilllite mcp`: tools/list (the five built-in tools and one tool per installed
 * skill, or per script of a multi-script skill) and tools/call. Every call is a chain of engine
 * jobs - show the skill, scan it (level 3), run it - so each step is the CLI's own command with
 * its checks, integrity of installed skills included. Between scan and run sits the confirmation:
 * critical is refused, medium/high needs a person (elicitation, or a one-use scan_id presented
 * again with confirmed=true), and the approval is passed to the run as --yes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../scan/finding.h"
#include "../skill/skill_hash.h"
#include "../skill/skill_md.h"
#include "mcp_internal.h"

#define SKILL_MD_READ_MAX (256u << 10)  /* SKILL.md quoted by get_skill_info */
#define TOOLS_SKILLS_MAX 512            /* skills turned into tools */

static void flow_free(void *p) {
        struct flow *f = p;
        if (f->tmp) {
                int r = rm_rf(f->tmp);
                if (r < 0)
                        log_warn("mcp: cannot remove %s: %s", f->tmp, strerror(-r));
                free(f->tmp);
        }
        json_decref(f->skills);
        json_decref(f->details);
        json_decref(f->input);
        free(f->tool);
        free(f->skill);
        free(f->stem);
        free(f->script);
        free(f->command);
        free(f->dir);
        free(f->scan_id);
        free(f);
}

struct flow *mcp_flow_new(struct mcp_call *c, enum flow_kind kind) {
        struct flow *f = calloc(1, sizeof(*f));
        if (!f) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return NULL;
        }
        f->kind = kind;
        c->flow = f;
        c->flow_free = flow_free;
        return f;
}

/* ---- tool descriptions ----------------------------------------------------------------- */

static json_t *tool_new(const char *version, const char *name, const char *title, const char *description,
                        json_t *schema, bool read_only) {
        json_t *t = json_pack("{s:s, s:s, s:o}", "name", name, "description", description ? description : "",
                              "inputSchema", schema);
        if (t && title && mcp_version_at_least(version, "2025-06-18"))
                json_object_set_new(t, "title", json_string(title));
        if (t && read_only && mcp_version_at_least(version, "2025-06-18"))
                json_object_set_new(t, "annotations", json_pack("{s:b, s:b}", "readOnlyHint", 1, "openWorldHint", 0));
        return t;
}

static json_t *language_property(void) {
        return json_pack("{s:s, s:[s, s, s], s:s}", "type", "string", "enum", "python", "javascript", "bash",
                         "description", "python, javascript (node) or bash");
}

static json_t *confirm_properties(json_t *props) {
        if (!props)
                return NULL;
        json_object_set_new(props, "confirmed",
                            json_pack("{s:s, s:s}", "type", "boolean", "description",
                                      "true only after a person approved the findings of an earlier call; "
                                      "needs that call's scan_id"));
        json_object_set_new(props, "scan_id",
                            json_pack("{s:s, s:s}", "type", "string", "description",
                                      "the scan_id an earlier call or scan_code returned (works once, expires)"));
        return props;
}

static json_t *builtin_tools(const char *version) {
        json_t *run_props = confirm_properties(json_pack(
                "{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}", "skill_name", "type", "string", "description",
                "the installed skill's name", "input", "type", "object", "description",
                "the JSON input the skill reads on stdin (default {})", "script", "type", "string", "description",
                "multi-script skills: the script to run (a path inside the skill, e.g. scripts/length.py)",
                "command", "type", "string", "description", "bash-tool skills: the command line to run"));
        json_t *exec_props = confirm_properties(json_pack(
                "{s:o, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:i, s:i, s:s}}", "language", language_property(), "code",
                "type", "string", "description", "the program's source", "input", "type", "object", "description",
                "JSON given to the program on stdin (default {})", "sandbox_level", "type", "integer", "minimum", 1,
                "maximum", 3, "description", "raise the sandbox level for this run (never below the server's)"));
        return json_pack(
                "[o, o, o, o, o]",
                tool_new(version, "list_skills", "List skills",
                         "List the installed skills: name, description, kind, language and the tools each one offers.",
                         json_pack("{s:s, s:{}}", "type", "object", "properties"), true),
                tool_new(version, "get_skill_info", "Skill details",
                         "Show one installed skill: its SKILL.md instructions, scripts, input schema and metadata.",
                         json_pack("{s:s, s:{s:{s:s, s:s}}, s:[s]}", "type", "object", "properties", "skill_name",
                                   "type", "string", "description", "the installed skill's name", "required",
                                   "skill_name"),
                         true),
                tool_new(version, "run_skill", "Run a skill",
                         "Run an installed skill in the sandbox with JSON input and return its JSON output. At "
                         "sandbox level 3 the skill is scanned first; findings that need approval are asked about "
                         "or answered with a scan_id to confirm with.",
                         json_pack("{s:s, s:o, s:[s]}", "type", "object", "properties", run_props, "required",
                                   "skill_name"),
                         false),
                tool_new(version, "scan_code", "Scan code",
                         "Scan Python, JavaScript or shell code for dangerous behaviour (the scanner behind level 3) "
                         "without running it. Returns the verdict, the findings and, when execution would need "
                         "approval, a scan_id for execute_code.",
                         json_pack("{s:s, s:{s:o, s:{s:s}}, s:[s, s]}", "type", "object", "properties", "language",
                                   language_property(), "code", "type", "string", "required", "language", "code"),
                         true),
                tool_new(version, "execute_code", "Execute code",
                         "Run Python, JavaScript or shell code once in a throwaway sandboxed skill (no network). "
                         "Its stdout is the result (JSON output also comes back structured). At sandbox level 3 "
                         "the code is scanned first, as run_skill does.",
                         json_pack("{s:s, s:o, s:[s, s]}", "type", "object", "properties", exec_props, "required",
                                   "language", "code"),
                         false));
}

/* A declared or inferred schema the protocol accepts: type "object", properties of objects. */
static json_t *usable_schema(const json_t *s) {
        const char *type = json_string_value(json_object_get(s, "type"));
        bool ok = json_is_object(s) && type && streq(type, "object");
        json_t *props = json_object_get(s, "properties");
        if (ok && props) {
                const char *k;
                json_t *v;
                ok = json_is_object(props);
                json_object_foreach(props, k, v) ok = ok && json_is_object(v);
        }
        json_t *req = json_object_get(s, "required");
        if (ok && req) {
                size_t i;
                json_t *v;
                ok = json_is_array(req);
                json_array_foreach(req, i, v) ok = ok && json_is_string(v);
        }
        if (ok)
                return json_deep_copy(s);
        return json_pack("{s:s, s:{}, s:b}", "type", "object", "properties", "additionalProperties", 1);
}

const char *mcp_skill_kind(const json_t *s) {
        const char *k = json_string_value(json_object_get(s, "kind"));
        return k ? k : "";
}

static json_t *script_schema(const json_t *detail, const json_t *script) {
        json_t *s = json_object_get(script, "input_schema");
        if (!s)
                s = json_object_get(detail, "input_schema");
        return usable_schema(s);
}

/* The tools one skill offers (appended to out). detail: its `show --json` (or list entry). */
static int skill_tools(const char *version, const json_t *detail, json_t *out) {
        const char *name = json_string_value(json_object_get(detail, "name"));
        const char *desc = json_string_value(json_object_get(detail, "description"));
        const char *kind = mcp_skill_kind(detail);
        if (streq(kind, "standard") || streq(kind, "bash-tool")) {
                json_t *schema = json_object_get(detail, "input_schema");
                _cleanup_json_ json_t *bash = NULL;
                if (!schema && streq(kind, "bash-tool"))
                        schema = bash = json_pack("{s:s, s:{s:{s:s, s:s}}, s:[s]}", "type", "object", "properties",
                                                  "command", "type", "string", "description",
                                                  "the command line to run (one of the skill's allowed tools)",
                                                  "required", "command");
                return json_array_append_new(out, tool_new(version, name, name, desc, usable_schema(schema), false));
        }
        if (streq(kind, "prompt-only")) {
                _cleanup_free_ char *d = NULL;
                if (asprintf(&d, "Instructions of the skill '%s' (no code): %s", name, desc ? desc : "") < 0)
                        return -ENOMEM;
                return json_array_append_new(out, tool_new(version, name, name, d,
                                                           json_pack("{s:s, s:{}}", "type", "object", "properties"),
                                                           true));
        }
        if (streq(kind, "multi-script")) {
                size_t i;
                json_t *sc;
                json_array_foreach(json_object_get(detail, "scripts"), i, sc) {
                        const char *path = json_string_value(json_object_get(sc, "path"));
                        _cleanup_free_ char *tname = path ? mcp_script_tool_name(name, path) : NULL;
                        _cleanup_free_ char *d = NULL;
                        if (!tname)
                                continue;
                        /* two scripts with the same stem: the first keeps the name */
                        bool dup = false;
                        size_t k;
                        json_t *t;
                        json_array_foreach(out, k, t) dup = dup || streq(json_string_value(json_object_get(t, "name")), tname);
                        if (dup)
                                continue;
                        if (asprintf(&d, "%s (script %s of the skill '%s')", desc ? desc : "", path, name) < 0)
                                return -ENOMEM;
                        int r = json_array_append_new(out, tool_new(version, tname, tname, d, script_schema(detail, sc), false));
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int by_name(const void *a, const void *b) {
        const char *x = json_string_value(json_object_get(*(json_t *const *) a, "name"));
        const char *y = json_string_value(json_object_get(*(json_t *const *) b, "name"));
        return strcmp(x ? x : "", y ? y : "");
}

/* Valid skills whose names can be tool names, first of each name, sorted by name. */
static json_t *usable_skills(const json_t *list) {
        json_t *out = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(list, "skills"), i, s) {
                const char *name = json_string_value(json_object_get(s, "name"));
                const char *kind = mcp_skill_kind(s);
                if (!out || json_array_size(out) >= TOOLS_SKILLS_MAX)
                        break;
                if (!json_is_true(json_object_get(s, "valid")) || !mcp_skill_name_valid(name))
                        continue;
                if (!streq(kind, "standard") && !streq(kind, "multi-script") && !streq(kind, "bash-tool") &&
                    !streq(kind, "prompt-only"))
                        continue;
                bool dup = false;
                size_t k;
                json_t *t;
                json_array_foreach(out, k, t) dup = dup || streq(json_string_value(json_object_get(t, "name")), name);
                if (!dup && json_array_append(out, s) < 0) {
                        json_decref(out);
                        return NULL;
                }
        }
        size_t n = out ? json_array_size(out) : 0;
        if (n > 1) {
                json_t **v = calloc(n, sizeof(*v));
                if (!v) {
                        json_decref(out);
                        return NULL;
                }
                for (size_t k = 0; k < n; k++)
                        v[k] = json_incref(json_array_get(out, k));
                qsort(v, n, sizeof(*v), by_name);
                json_array_clear(out);
                for (size_t k = 0; k < n; k++)
                        json_array_append_new(out, v[k]);
                free(v);
        }
        return out;
}

/* ---- tools/list ------------------------------------------------------------------------ */

static void list_next_show(struct mcp_call *c);

static void tools_list_reply(struct mcp_call *c) {
        struct flow *f = c->flow;
        _cleanup_json_ json_t *tools = builtin_tools(version_of(c));
        _cleanup_json_ json_t *skill_tools_arr = json_array();
        if (!tools || !skill_tools_arr) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        size_t i;
        json_t *s;
        json_array_foreach(f->skills, i, s) {
                const char *name = json_string_value(json_object_get(s, "name"));
                json_t *detail = json_object_get(f->details, name);
                if (skill_tools(version_of(c), detail ? detail : s, skill_tools_arr) < 0) {
                        mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                        return;
                }
        }
        size_t n = json_array_size(skill_tools_arr);
        json_t **v = n ? calloc(n, sizeof(*v)) : NULL;
        if (n && !v) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        for (size_t k = 0; k < n; k++)
                v[k] = json_array_get(skill_tools_arr, k);
        qsort(v, n, sizeof(*v), by_name);
        for (size_t k = 0; k < n; k++)
                json_array_append(tools, v[k]);
        free(v);
        mcp_call_reply(c, json_pack("{s:O}", "tools", tools));
}

static void on_tools_list_show(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        json_t *s = json_array_get(f->skills, f->next_show);
        const char *name = json_string_value(json_object_get(s, "name"));
        if (json_is_object(r->json) && name)
                json_object_set(f->details, name, r->json);
        else
                log_warn("mcp: show %s failed: %s", name ? name : "?", r->message);
        f->next_show++;
        list_next_show(c);
}

/* Skills whose list entry lacks the input schema are shown one at a time (one child each). */
static void list_next_show(struct mcp_call *c) {
        struct flow *f = c->flow;
        while (f->next_show < json_array_size(f->skills)) {
                json_t *s = json_array_get(f->skills, f->next_show);
                if (json_object_get(s, "input_schema") || streq(mcp_skill_kind(s), "prompt-only")) {
                        f->next_show++;
                        continue;
                }
                mcp_call_submit(c, "get_skill", json_pack("{s:O}", "skill", json_object_get(s, "name")),
                                on_tools_list_show);
                return;
        }
        tools_list_reply(c);
}

static void on_tools_list_skills(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        if (!json_is_object(r->json)) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "listing the skills failed: %s", r->message);
                return;
        }
        f->skills = usable_skills(r->json);
        f->details = json_object();
        if (!f->skills || !f->details) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        list_next_show(c);
}

void mcp_tools_list(struct mcp_call *c) {
        if (!mcp_flow_new(c, FLOW_TOOLS_LIST))
                return;
        mcp_call_submit(c, "list_skills", json_object(), on_tools_list_skills);
}

/* ---- small tools ----------------------------------------------------------------------- */

/* A text result that is the JSON itself, plus the JSON as structuredContent. */
static void reply_json(struct mcp_call *c, json_t *value) {
        if (!value) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        _cleanup_free_ char *text = json_dumps(value, JSON_COMPACT);
        if (!text) {
                json_decref(value);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        mcp_call_reply(c, mcp_tool_result(version_of(c), text, false, value));
}

static void on_list_skills_tool(struct mcp_call *c, const struct job_result *r) {
        if (!json_is_object(r->json)) {
                mcp_call_tool_error(c, "Error: listing the skills failed: %s", r->message);
                return;
        }
        _cleanup_json_ json_t *usable = usable_skills(r->json);
        json_t *skills = json_array();
        json_t *invalid = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(usable, i, s) {
                _cleanup_json_ json_t *tools = json_array();
                if (!tools || skill_tools(version_of(c), s, tools) < 0)
                        break;
                json_t *names = json_array();
                size_t k;
                json_t *t;
                json_array_foreach(tools, k, t) json_array_append(names, json_object_get(t, "name"));
                json_array_append_new(skills, json_pack("{s:O, s:O*, s:O, s:O*, s:o}", "name", json_object_get(s, "name"),
                                                        "description", json_object_get(s, "description"), "kind",
                                                        json_object_get(s, "kind"), "language",
                                                        json_object_get(s, "language"), "tools", names));
        }
        json_array_foreach(json_object_get(r->json, "skills"), i, s) {
                if (json_is_true(json_object_get(s, "valid")))
                        continue;
                json_array_append_new(invalid, json_pack("{s:O*, s:O*, s:O*}", "name", json_object_get(s, "name"), "path",
                                                         json_object_get(s, "path"), "errors",
                                                         json_object_get(s, "errors")));
        }
        reply_json(c, json_pack("{s:o, s:I, s:o, s:O*}", "skills", skills, "count",
                                (json_int_t) json_array_size(skills), "invalid", invalid, "skills_dirs",
                                json_object_get(r->json, "skills_dirs")));
}

/* SKILL.md of a skill directory (never through a symlink), capped. NULL when unreadable. */
char *mcp_read_skill_md(const char *dir) {
        char *data = NULL;
        size_t len = 0;
        int r = skill_md_read(dir, SKILL_MD_READ_MAX, &data, &len);
        if (r == -EFBIG)
                return strdup("(SKILL.md is larger than 256 KiB; not shown)");
        if (r < 0)
                return NULL;
        return data;
}

static void on_skill_info(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        if (!json_is_object(r->json)) {
                mcp_call_tool_error(c, "Error: no skill '%s' in the skills directory%s%s", f->skill,
                                    r->message[0] ? ": " : "", r->message);
                return;
        }
        json_t *detail = json_deep_copy(r->json);
        const char *dir = json_string_value(json_object_get(r->json, "path"));
        _cleanup_free_ char *md = dir ? mcp_read_skill_md(dir) : NULL;
        _cleanup_json_ json_t *tools = json_array();
        if (!detail || !tools || skill_tools(version_of(c), r->json, tools) < 0) {
                json_decref(detail);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        json_t *names = json_array();
        size_t k;
        json_t *t;
        json_array_foreach(tools, k, t) json_array_append(names, json_object_get(t, "name"));
        json_object_set_new(detail, "tools", names);
        if (md)
                json_object_set_new(detail, "instructions", json_stringn_lossy(md, strlen(md)));
        _cleanup_free_ char *compact = json_dumps(detail, JSON_COMPACT);
        _cleanup_free_ char *text = NULL;
        if (!compact || asprintf(&text, "# Skill: %s\n\n%s\n\n## Details\n\n%s\n", f->skill,
                                 md ? md : "(SKILL.md could not be read)", compact) < 0) {
                json_decref(detail);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        mcp_call_reply(c, mcp_tool_result(version_of(c), text, false, detail));
}

/* ---- arguments ------------------------------------------------------------------------- */

/* Unknown argument names are refused: a typo ("scanid") must not silently change the meaning. */
static bool check_args(struct mcp_call *c, const json_t *args, const char *const *known) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *) args, key, v) {
                bool ok = false;
                for (const char *const *k = known; *k; k++)
                        ok = ok || streq(key, *k);
                if (!ok) {
                        mcp_call_tool_error(c, "Error: unknown argument \"%.64s\"", key);
                        return false;
                }
        }
        return true;
}

/* An optional string argument without NUL bytes; required ones must be non-empty. */
bool mcp_arg_string(struct mcp_call *c, const json_t *args, const char *key, bool required, const char **ret) {
        json_t *v = json_object_get(args, key);
        *ret = NULL;
        if (!v || json_is_null(v)) {
                if (required)
                        mcp_call_tool_error(c, "Error: the argument \"%s\" is required", key);
                return !required;
        }
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
            (required && !json_string_length(v))) {
                mcp_call_tool_error(c, "Error: the argument \"%s\" must be a non-empty string", key);
                return false;
        }
        *ret = json_string_value(v);
        return true;
}

static bool arg_bool(struct mcp_call *c, const json_t *args, const char *key, bool *ret) {
        json_t *v = json_object_get(args, key);
        *ret = false;
        if (!v || json_is_null(v))
                return true;
        if (!json_is_boolean(v)) {
                mcp_call_tool_error(c, "Error: the argument \"%s\" must be true or false", key);
                return false;
        }
        *ret = json_is_true(v);
        return true;
}

static bool arg_skill_name(struct mcp_call *c, const json_t *args, const char **ret) {
        if (!mcp_arg_string(c, args, "skill_name", true, ret))
                return false;
        if (!mcp_skill_name_valid(*ret)) {
                mcp_call_tool_error(c, "Error: \"%.128s\" is not an installed skill's name (lower-case letters, "
                                       "digits and hyphens)",
                                    *ret);
                return false;
        }
        return true;
}

/* confirmed + scan_id */
static bool arg_confirmation(struct mcp_call *c, struct flow *f, const json_t *args) {
        const char *scan_id;
        if (!arg_bool(c, args, "confirmed", &f->confirmed) || !mcp_arg_string(c, args, "scan_id", false, &scan_id))
                return false;
        if (scan_id && !(f->scan_id = strdup(scan_id))) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return false;
        }
        return true;
}

/* ---- tools/call ------------------------------------------------------------------------ */

static void call_builtin(struct mcp_call *c, const char *name, json_t *args) {
        struct mcp_session *ss = c->ss;
        if (streq(name, "list_skills")) {
                static const char *const known[] = { NULL };
                if (!mcp_flow_new(c, FLOW_LIST_SKILLS) || !check_args(c, args, known))
                        return;
                mcp_call_submit(c, "list_skills", json_object(), on_list_skills_tool);
        } else if (streq(name, "get_skill_info")) {
                static const char *const known[] = { "skill_name", NULL };
                const char *skill;
                struct flow *f = mcp_flow_new(c, FLOW_SKILL_INFO);
                if (!f || !check_args(c, args, known) || !arg_skill_name(c, args, &skill))
                        return;
                if (!(f->skill = strdup(skill))) {
                        mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                        return;
                }
                mcp_call_submit(c, "get_skill", json_pack("{s:s}", "skill", skill), on_skill_info);
        } else if (streq(name, "run_skill")) {
                static const char *const known[] = { "skill_name", "input", "script", "command", "confirmed", "scan_id", NULL };
                const char *skill, *script, *command;
                struct flow *f = mcp_flow_new(c, FLOW_RUN);
                if (!f || !check_args(c, args, known) || !arg_skill_name(c, args, &skill) ||
                    !mcp_arg_string(c, args, "script", false, &script) || !mcp_arg_string(c, args, "command", false, &command) ||
                    !arg_confirmation(c, f, args))
                        return;
                json_t *input = json_object_get(args, "input");
                f->via_run_skill = true;
                f->tool = strdup(name);
                f->skill = strdup(skill);
                f->script = script ? strdup(script) : NULL;
                f->command = command ? strdup(command) : NULL;
                f->input = input && !json_is_null(input) ? json_incref(input) : json_object();
                if (!f->tool || !f->skill || (script && !f->script) || (command && !f->command) || !f->input) {
                        mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                        return;
                }
                mcp_run_start_skill(c);
        } else if (streq(name, "scan_code")) {
                static const char *const known[] = { "language", "code", NULL };
                struct flow *f = mcp_flow_new(c, FLOW_SCAN_CODE);
                if (!f || !check_args(c, args, known))
                        return;
                mcp_run_scan_code(c, args);
        } else if (streq(name, "execute_code")) {
                static const char *const known[] = { "language", "code", "input", "confirmed", "scan_id", "sandbox_level", NULL };
                struct flow *f = mcp_flow_new(c, FLOW_RUN);
                if (!f || !check_args(c, args, known) || !arg_confirmation(c, f, args))
                        return;
                json_t *lv = json_object_get(args, "sandbox_level");
                f->level = ss->srv->level;
                if (lv && !json_is_null(lv)) {
                        if (!json_is_integer(lv) || json_integer_value(lv) < 1 || json_integer_value(lv) > 3) {
                                mcp_call_tool_error(c, "Error: sandbox_level must be 1, 2 or 3");
                                return;
                        }
                        if (json_integer_value(lv) < ss->srv->level) {
                                mcp_call_tool_error(c, "Error: sandbox_level %d is below this server's level %d; a "
                                                       "client may raise the level, not lower it",
                                                    (int) json_integer_value(lv), ss->srv->level);
                                return;
                        }
                        f->level = (int) json_integer_value(lv);
                }
                json_t *input = json_object_get(args, "input");
                f->input = input && !json_is_null(input) ? json_incref(input) : json_object();
                f->op = "run";
                if (!f->input) {
                        mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                        return;
                }
                mcp_run_execute_code(c, args);
        }
}

static bool is_builtin(const char *name) {
        static const char *const names[] = { "list_skills", "get_skill_info", "run_skill", "scan_code", "execute_code" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(name, names[i]))
                        return true;
        return false;
}

void mcp_tools_call(struct mcp_call *c) {
        json_t *nv = json_object_get(c->params, "name");
        const char *name = json_string_value(nv);
        if (!name || strlen(name) != json_string_length(nv)) {
                mcp_call_error(c, MCP_INVALID_PARAMS, "tools/call: params.name (the tool's name) is required");
                return;
        }
        json_t *args = json_object_get(c->params, "arguments");
        if (args && !json_is_null(args) && !json_is_object(args)) {
                mcp_call_error(c, MCP_INVALID_PARAMS, "tools/call: params.arguments must be an object");
                return;
        }
        _cleanup_json_ json_t *empty = NULL;
        if (!args || json_is_null(args))
                args = empty = json_object();
        if (!args) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        if (is_builtin(name)) {
                call_builtin(c, name, args);
                return;
        }
        char *skill, *stem;
        if (!mcp_tool_name_split(name, &skill, &stem)) {
                mcp_call_error(c, MCP_INVALID_PARAMS, "Unknown tool: %.128s", name);
                return;
        }
        struct flow *f = mcp_flow_new(c, FLOW_RUN);
        if (!f) {
                free(skill);
                free(stem);
                return;
        }
        f->skill = skill;
        f->stem = stem;
        f->tool = strdup(name);
        f->input = json_incref(args);
        if (!f->tool) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        mcp_run_start_skill(c);
}
