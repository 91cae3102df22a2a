/* Discovery: the skills in a skills directory (one level deep, sorted), valid or not, with
 * duplicate names reported. */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "../base/error.h"
#include "skill.h"

#define CATALOG_MAX_ENTRIES 4096

struct catalog_entry {
        char *path;         /* the skill directory */
        char *dir_name;
        struct skill *skill; /* NULL when invalid */
        struct skill_report report;
};

struct catalog {
        struct catalog_entry *entries;
        size_t n;
        json_t *duplicates; /* [{"name", "paths": [...]}] — the first path wins */
        json_t *dirs;       /* the skills directories searched, in order */
};

/* Which directories to search: the explicit one (flag), else $SKILLLITE_SKILLS_DIR, else
 * ./.skills and ./skills (both when both exist; at least one of them, existing or not). */
int catalog_resolve_dirs(const char *explicit_dir, char ***ret_dirs);

/* Load every child directory holding a SKILL.md. Missing directories are simply empty. */
int catalog_load(char *const *dirs, struct catalog *ret, struct error *err);
void catalog_done(struct catalog *c);

/* Find a valid skill by its name, or an entry by its directory name. */
const struct catalog_entry *catalog_find(const struct catalog *c, const char *name);
