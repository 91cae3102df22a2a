/* Parse a YAML document (SKILL.md front matter) into a jansson tree, bounded:
 * nesting depth, total node count (alias expansions included, so "billion laughs" fails fast)
 * and duplicate keys are checked while the events stream in; scalar sizes are bounded by the
 * caller's input cap (SKILL_MD_MAX_BYTES). */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "../base/error.h"

#define YAML_TREE_MAX_DEPTH 16
#define YAML_TREE_MAX_NODES 10000

/* Plain scalars resolve per the YAML 1.2 core schema (null, true/false, ints, floats); quoted
 * and block scalars stay strings. An empty document yields JSON null.
 * On error returns NULL and fills err with the line/column and the rule broken. */
/* first_line: the line number of text's first line in the enclosing file, for messages. */
json_t *yaml_tree_parse(const char *text, size_t len, size_t first_line, struct error *err);
