/* The skill model: a directory with SKILL.md (+ scripts), loaded and validated against the
 * Agent Skills specification plus SkillLite's structured-permission extensions. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "../base/macros.h"

#define SKILL_NAME_MAX 64
#define SKILL_DESCRIPTION_MAX 1024
#define SKILL_COMPATIBILITY_MAX 500
#define SKILL_SCRIPTS_MAX 256     /* scripts listed per skill */
#define SKILL_SCRIPT_HEAD_MAX 256 /* bytes read to sniff a shebang */

enum skill_language {
        SKILL_LANG_NONE = 0,
        SKILL_LANG_PYTHON,
        SKILL_LANG_NODE,
        SKILL_LANG_SHELL,
};
const char *skill_language_to_string(enum skill_language lang); /* NULL for NONE */

enum skill_kind {
        SKILL_KIND_STANDARD,     /* has an entry script */
        SKILL_KIND_MULTI_SCRIPT, /* several scripts, no entry: one tool per script */
        SKILL_KIND_BASH_TOOL,    /* allowed-tools with Bash(...) patterns, no entry */
        SKILL_KIND_PROMPT_ONLY,  /* no scripts at all */
};
const char *skill_kind_to_string(enum skill_kind kind);

struct skill_script {
        char *path; /* relative to the skill directory, e.g. "scripts/main.py" */
        enum skill_language language;
};

struct skill {
        char *dir;      /* canonical absolute path of the skill directory */
        char *dir_name; /* its last component */
        char *name;
        char *description;
        char *license;
        char *compatibility;
        char *allowed_tools;
        char *entry_point; /* relative path, NULL when none */
        bool entry_declared; /* entry_point came from the front matter */
        json_t *metadata;    /* object of string -> string (never NULL) */
        char *body;          /* Markdown after the front matter */
        enum skill_language language;
        enum skill_kind kind;
        struct skill_script *scripts;
        size_t n_scripts;
};

/* Validation findings: arrays of {"field", "rule", "message"} objects. */
struct skill_report {
        json_t *errors;
        json_t *warnings;
};

int skill_report_init(struct skill_report *rep) _warn_unused_;
void skill_report_done(struct skill_report *rep);
bool skill_report_ok(const struct skill_report *rep);
/* Record a finding (errors when is_error). Returns 0 or -ENOMEM. */
int skill_report_add(struct skill_report *rep, bool is_error, const char *field, const char *rule,
                     const char *fmt, ...) _printf_(5, 6);

/* Load and validate the skill in dir. Returns 0 with *ret set when the skill is valid (warnings
 * may exist), -EINVAL when it is invalid (findings in rep, *ret untouched), or another -errno
 * with err set when it could not be examined at all (no such directory, I/O error). */
int skill_load(const char *dir, struct skill **ret, struct skill_report *rep, struct error *err);
struct skill *skill_free(struct skill *s);
static inline void skill_freep(struct skill **s) {
        skill_free(*s);
}
#define _cleanup_skill_ _cleanup_(skill_freep)

/* Validate a parsed front matter against the rules; dir_name is what `name` must equal.
 * Pure: no file system access. Exposed for unit tests and fuzzing. */
int skill_validate_front_matter(const json_t *fm, const char *dir_name, struct skill_report *rep);

/* The `name` rule alone: 1-64 of [a-z0-9-], no leading/trailing/double hyphen.
 * Returns NULL when valid, else the rule broken. */
const char *skill_name_problem(const char *name);

/* Value of metadata key (string) or NULL. */
const char *skill_metadata_get(const struct skill *s, const char *key);
