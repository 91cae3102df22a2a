/* Front matter rules of the Agent Skills specification, plus SkillLite's metadata extensions.
 * Pure: works on the parsed tree only. Every message names the field and the rule. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/path.h"
#include "../base/utf8.h"
#include "netgrant.h"
#include "skill.h"

int skill_report_init(struct skill_report *rep) {
        rep->errors = json_array();
        rep->warnings = json_array();
        if (!rep->errors || !rep->warnings) {
                skill_report_done(rep);
                return -ENOMEM;
        }
        return 0;
}

void skill_report_done(struct skill_report *rep) {
        json_decref(rep->errors);
        json_decref(rep->warnings);
        rep->errors = rep->warnings = NULL;
}

bool skill_report_ok(const struct skill_report *rep) {
        return json_array_size(rep->errors) == 0;
}

int skill_report_add(struct skill_report *rep, bool is_error, const char *field, const char *rule,
                     const char *fmt, ...) {
        char msg[600];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        /* Messages and field names ("metadata.<key>") may quote untrusted text that is not UTF-8
         * or was cut mid-character; jansson refuses invalid UTF-8 and a refused finding would be
         * lost, so invalid bytes become U+FFFD. */
        json_t *f = json_pack("{s:o*, s:s, s:o*}", "field", json_stringn_lossy(field, strnlen(field, 255)),
                              "rule", rule, "message", json_stringn_lossy(msg, strlen(msg)));
        if (!f)
                return -ENOMEM;
        return json_array_append_new(is_error ? rep->errors : rep->warnings, f) == 0 ? 0 : -ENOMEM;
}

#define ERR(field, rule, ...) skill_report_add(rep, true, field, rule, __VA_ARGS__)
#define WARN(field, rule, ...) skill_report_add(rep, false, field, rule, __VA_ARGS__)

const char *skill_name_problem(const char *name) {
        size_t n = strlen(name);
        if (n == 0)
                return "must not be empty";
        for (const char *p = name; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                        return "may contain only lowercase letters a-z, digits and hyphens";
        if (n > SKILL_NAME_MAX)
                return "must be at most 64 characters";
        if (name[0] == '-' || name[n - 1] == '-')
                return "must not start or end with a hyphen";
        if (strstr(name, "--"))
                return "must not contain consecutive hyphens";
        return NULL;
}

static const char *json_type_name(const json_t *j) {
        switch (json_typeof(j)) {
        case JSON_OBJECT: return "a mapping";
        case JSON_ARRAY: return "a list";
        case JSON_STRING: return "a string";
        case JSON_INTEGER: return "an integer";
        case JSON_REAL: return "a number";
        case JSON_TRUE:
        case JSON_FALSE: return "a boolean";
        case JSON_NULL: return "empty (null)";
        }
        return "unknown";
}

/* A "\0" escape in YAML yields a string that C code would silently cut ("abc\0../x" would
 * compare equal to "abc"); such values are refused, never truncated. */
static bool has_nul(const json_t *str) {
        return strlen(json_string_value(str)) != json_string_length(str);
}

/* A string field: returns its value or NULL after recording a type error. */
static const char *string_field(const json_t *fm, const char *key, struct skill_report *rep) {
        const json_t *v = json_object_get(fm, key);
        if (!v)
                return NULL;
        if (!json_is_string(v)) {
                ERR(key, "type", "%s must be a string, not %s%s", key, json_type_name(v),
                    json_is_number(v) || json_is_boolean(v) ? " (quote the value)" : "");
                return NULL;
        }
        if (has_nul(v)) {
                ERR(key, "format", "%s must not contain a NUL byte", key);
                return NULL;
        }
        return json_string_value(v);
}

static bool is_blank(const char *s) {
        for (; *s; s++)
                if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
                        return false;
        return true;
}

static void check_length(const char *key, const char *value, size_t max, struct skill_report *rep) {
        size_t chars = utf8_length(value);
        if (is_blank(value))
                ERR(key, "length", "%s must not be empty", key);
        else if (chars > max)
                ERR(key, "length", "%s is %zu characters; the maximum is %zu", key, chars, max);
}

static void check_name(const json_t *fm, const char *dir_name, struct skill_report *rep) {
        if (!json_object_get(fm, "name")) {
                ERR("name", "required", "name is required");
                return;
        }
        const char *name = string_field(fm, "name", rep);
        if (!name)
                return;
        const char *problem = skill_name_problem(name);
        if (problem) {
                if (strstr(problem, "64"))
                        ERR("name", "length", "name %s (it has %zu)", problem, utf8_length(name));
                else
                        ERR("name", "format", "name '%.80s' %s", name, problem);
                return;
        }
        if (dir_name && !streq(name, dir_name))
                ERR("name", "directory", "name '%s' must equal the skill's directory name '%.80s'",
                    name, dir_name);
}

/* Positive integer in [1, max] written as decimal digits. */
static bool parse_bounded_uint(const char *s, unsigned long max, unsigned long *ret) {
        if (!*s)
                return false;
        unsigned long v = 0;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return false;
                v = v * 10 + (unsigned long) (*s - '0');
                if (v > max)
                        return false;
        }
        if (v == 0)
                return false;
        *ret = v;
        return true;
}

/* Comma-separated list with non-empty, whitespace-free items (blanks around commas are fine),
 * each accepted by item_ok when given. */
/* A program name looked up on the sandbox PATH: no '/', so a skill cannot pull an arbitrary
 * host file into its sandbox as an executable. */
static bool is_program_name(const char *s, size_t n) {
        if (n == 0 || n > 64 || s[0] == '.' || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '+' ||
                      s[i] == '-'))
                        return false;
        return true;
}

static bool is_clean_list(const char *s, bool (*item_ok)(const char *item, size_t n)) {
        const char *p = s;
        bool any = false;
        while (*p) {
                while (*p == ' ')
                        p++;
                const char *start = p;
                while (*p && *p != ',' && (unsigned char) *p > ' ')
                        p++;
                const char *stop = p;
                while (*p == ' ')
                        p++;
                if (stop == start || (*p && *p != ','))
                        return false;
                if (item_ok && !item_ok(start, (size_t) (stop - start)))
                        return false;
                any = true;
                if (*p == ',') {
                        p++;
                        if (!*p)
                                return false;
                }
        }
        return any;
}

static void check_skilllite_metadata(const char *key, const char *value, struct skill_report *rep) {
        char field[128];
        snprintf(field, sizeof(field), "metadata.%s", key);
        unsigned long v;
        if (streq(key, "skilllite.timeout")) {
                if (!parse_bounded_uint(value, 86400, &v))
                        ERR(field, "format", "%s must be a whole number of seconds from 1 to 86400",
                            field);
        } else if (streq(key, "skilllite.memory")) {
                if (!parse_bounded_uint(value, 1024 * 1024, &v))
                        ERR(field, "format", "%s must be a whole number of megabytes from 1 to 1048576",
                            field);
        } else if (streq(key, "skilllite.processes")) {
                if (!parse_bounded_uint(value, 4096, &v))
                        ERR(field, "format", "%s must be a whole number of processes from 1 to 4096",
                            field);
        } else if (streq(key, "skilllite.network")) {
                /* The proxy's own parser decides, so validation and enforcement cannot disagree. */
                struct net_grants g = { 0 };
                struct error err = ERROR_INIT;
                if (!is_clean_list(value, NULL))
                        ERR(field, "format", "%s must be a comma-separated list of host[:port], "
                            "*.domain[:port], IP[:port] or !deny rules", field);
                else if (net_grants_parse(&g, value, field, &err) < 0)
                        ERR(field, "format", "%s", err.msg);
                net_grants_done(&g);
        } else if (streq(key, "skilllite.exec")) {
                if (!is_clean_list(value, is_program_name))
                        ERR(field, "format", "%s must be a comma-separated list of program names "
                            "(no paths: they are found on /usr/local/bin:/usr/bin:/bin)", field);
        } else if (streq(key, "skilllite.input-schema")) {
                /* Only the path's shape here (this file is pure): the file itself is read and
                 * checked where the schema is asked for (src/scan/input_schema.c). */
                if (!path_is_safe_relative(value))
                        ERR(field, "path", "%s must be a relative path inside the skill (no '..', "
                            "not absolute) to a JSON Schema file", field);
        } else
                WARN(field, "unknown", "%s is not a SkillLite metadata key "
                     "(known: skilllite.network, skilllite.exec, skilllite.processes, "
                     "skilllite.timeout, skilllite.memory, skilllite.input-schema)",
                     field);
}

static void check_metadata(const json_t *fm, struct skill_report *rep) {
        const json_t *md = json_object_get(fm, "metadata");
        if (!md)
                return;
        if (!json_is_object(md)) {
                ERR("metadata", "type", "metadata must be a mapping of string keys to string values, "
                    "not %s", json_type_name(md));
                return;
        }
        const char *key;
        json_t *v;
        json_object_foreach((json_t *) md, key, v) {
                char field[128];
                snprintf(field, sizeof(field), "metadata.%.100s", key);
                if (!json_is_string(v)) {
                        ERR(field, "type", "%s must be a string, not %s%s", field, json_type_name(v),
                            json_is_number(v) || json_is_boolean(v) ? " (quote the value)" : "");
                        continue;
                }
                if (has_nul(v)) {
                        ERR(field, "format", "%s must not contain a NUL byte", field);
                        continue;
                }
                if (strneq(key, "skilllite.", 10))
                        check_skilllite_metadata(key, json_string_value(v), rep);
        }
}

int skill_validate_front_matter(const json_t *fm, const char *dir_name, struct skill_report *rep) {
        if (!json_is_object(fm)) {
                ERR("front_matter", "type", "the front matter must be a YAML mapping, not %s",
                    json_type_name(fm));
                return skill_report_ok(rep) ? 0 : -EINVAL;
        }
        check_name(fm, dir_name, rep);

        if (!json_object_get(fm, "description"))
                ERR("description", "required", "description is required");
        const char *desc = string_field(fm, "description", rep);
        if (desc)
                check_length("description", desc, SKILL_DESCRIPTION_MAX, rep);

        const char *lic = string_field(fm, "license", rep);
        if (lic && is_blank(lic))
                ERR("license", "length", "license must not be empty when present");

        const char *compat = string_field(fm, "compatibility", rep);
        if (compat)
                check_length("compatibility", compat, SKILL_COMPATIBILITY_MAX, rep);

        check_metadata(fm, rep);
        (void) string_field(fm, "allowed-tools", rep);

        const char *entry = string_field(fm, "entry_point", rep);
        if (json_object_get(fm, "entry_point"))
                WARN("entry_point", "extension",
                     "entry_point is a SkillLite extension, not part of the Agent Skills spec");
        if (entry && !path_is_safe_relative(entry))
                ERR("entry_point", "path", "entry_point '%.200s' must be a relative path inside the "
                    "skill (no leading '/', no '..')", entry);

        const char *key;
        json_t *v;
        json_object_foreach((json_t *) fm, key, v) {
                static const char *const known[] = { "name", "description", "license",
                                                     "compatibility", "metadata", "allowed-tools",
                                                     "entry_point", NULL };
                bool is_known = false;
                for (const char *const *k = known; *k; k++)
                        is_known = is_known || streq(key, *k);
                if (is_known)
                        continue;
                if (streq(key, "capabilities"))
                        WARN(key, "extension", "capabilities is a SkillLite extension, not part of "
                             "the Agent Skills spec; it grants nothing (use metadata skilllite.*)");
                else
                        WARN(key, "unknown", "unknown front matter key '%.100s' is ignored", key);
        }
        return skill_report_ok(rep) ? 0 : -EINVAL;
}
