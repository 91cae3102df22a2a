/* Measuring a skill's file tree without following symlinks: how many entries and bytes, with
 * caps, so callers can decide whether copying it is cheap enough. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SKILL_TREE_MAX_DEPTH 16

struct skill_tree_size {
        uint64_t bytes;  /* regular file contents */
        size_t entries;  /* files, directories, symlinks */
};

/* Walk dir; -E2BIG as soon as more than max_entries entries, max_bytes bytes or
 * SKILL_TREE_MAX_DEPTH levels are seen; other -errno on I/O errors. */
int skill_tree_measure(const char *dir, size_t max_entries, uint64_t max_bytes, struct skill_tree_size *ret);
