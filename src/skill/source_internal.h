/* Shared by the source modules (source_archive.c, source_git.c): cleaning untrusted entry names,
 * the set of names already seen, and emptying a half-filled destination. Not a public API. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

/* An open-addressing set of entry names, sized once for max_entries names (load <= 1/2). */
struct source_names {
        char **slots;
        size_t mask; /* slots - 1, a power of two minus one */
        size_t n;
};
int source_names_init(struct source_names *s, uint64_t max_entries);
void source_names_done(struct source_names *s);
/* 1 when name was added, 0 when it was there already, -ENOMEM, -E2BIG when the set is full. */
int source_names_add(struct source_names *s, const char *name);

/* Clean the untrusted entry name raw into out ("a/b/c": no empty, "." or trailing components).
 * Returns 0, 1 for the tree's root itself ("./", only when is_dir), or -EPERM (absolute, "..",
 * a backslash or control character, empty) / -E2BIG (more than max_depth components, a
 * component longer than NAME_MAX, longer than out) with err saying which. */
int source_clean_name(const char *raw, bool is_dir, unsigned max_depth, char *out, size_t out_size,
                      struct error *err);

/* The entry names of the directory dfd (without "." and ".."), unsorted. 0 or -errno. */
int source_list_dir(int dfd, char ***ret_names, size_t *ret_n);

/* Remove everything below the directory dfd (not dfd itself), never following symlinks, at most
 * max_depth levels down. 0 or -errno. */
int source_empty_dir(int dfd, unsigned max_depth);
