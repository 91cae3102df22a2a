/* SKILL.md: split the front matter from the Markdown body and parse it into a tree.
 * The whole file is untrusted: size-capped, NUL-free, strict UTF-8. */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "../base/error.h"

#define SKILL_MD_MAX_BYTES (1024 * 1024)

struct skill_md {
        json_t *front_matter; /* the YAML mapping (object), or another type if the author erred */
        char *body;           /* Markdown after the closing delimiter */
};

/* Parse SKILL.md text. Errors (returned negative, message in err) are: too large, NUL byte,
 * invalid UTF-8, missing or unterminated front matter, YAML syntax, limits, duplicate keys. */
int skill_md_parse(const char *text, size_t len, struct skill_md *ret, struct error *err);
void skill_md_done(struct skill_md *md);

/* Read dir/SKILL.md, at most max bytes (-EFBIG beyond): never through a symlink, never hanging
 * on a FIFO, a regular file only (-EINVAL otherwise). 0 with *text (NUL-terminated) and *len, or
 * -errno. */
int skill_md_read(const char *dir, size_t max, char **text, size_t *len);
