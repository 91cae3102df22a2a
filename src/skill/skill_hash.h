/* The hash of a whole skill: every directory, file (content and mode bits) and symlink (its
 * target text) below the skill directory, nothing excluded. Approvals are keyed by it (any change
 * asks again), the scan cache is keyed by it, and the integrity record of installed skills will
 * be too. Records are length-prefixed so no two different trees serialise alike. */
#pragma once

#include <stdint.h>

#include "../base/error.h"
#include "../base/sha256.h"

#define SKILL_HASH_MAX_ENTRIES 4096
#define SKILL_HASH_MAX_DEPTH 32
#define SKILL_HASH_MAX_BYTES (256ull * 1024 * 1024)

/* Hash the tree below dirfd. Symlinks are never followed. Returns 0 with the lower-case hex
 * digest in out, or -errno with err set (unreadable entry, limits exceeded: -E2BIG). */
int skill_hash_dir(int dirfd, char out[SHA256_HEX_BYTES], struct error *err);
