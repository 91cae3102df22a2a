/* Scripts of a skill: listing scripts/, language detection, default entry resolution. */
#pragma once

#include <stddef.h>

#include "skill.h"

enum skill_language skill_language_from_extension(const char *path);
enum skill_language skill_language_from_shebang(const char *head, size_t n);
/* Extension first, then the shebang of the file at relpath (resolved beneath dirfd). */
enum skill_language skill_detect_language(int dirfd, const char *relpath);

/* Regular files directly in scripts/ with a known language, sorted by path. Tests
 * (test_*, *_test.py), __init__.py and hidden files are left out; at most SKILL_SCRIPTS_MAX. */
int skill_list_scripts(int dirfd, struct skill_script **ret, size_t *ret_n);
void skill_scripts_free(struct skill_script *scripts, size_t n);

/* scripts/main.{py,js,ts,sh}, then scripts/index.*, then the only script; NULL when ambiguous
 * or none. Points into scripts[]. */
const char *skill_default_entry(const struct skill_script *scripts, size_t n);
