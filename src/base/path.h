/* Path helpers. Paths inside a skill are always handled relative to the skill's directory fd. */
#pragma once

#include <stdbool.h>

#include "macros.h"

/* "a" + "b" -> "a/b" (no doubled slash). Returns NULL on allocation failure. */
char *path_join(const char *a, const char *b);
/* Last component of a path, ignoring trailing slashes ("a/b/" -> "b"). Freshly allocated. */
char *path_basename(const char *path);
/* True when the relative path stays inside its base: not absolute, no ".." component,
 * no empty path. Used before any openat() of a path taken from untrusted input. */
bool path_is_safe_relative(const char *path);
/* True when path names a directory (symlinks followed); false for NULL. */
bool path_is_dir(const char *path);
/* Extension without the dot, or "" (points into path). */
const char *path_extension(const char *path);
