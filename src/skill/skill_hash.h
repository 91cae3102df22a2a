/* The hash of a whole skill: every directory, file (content and mode bits) and symlink (its
 * target text) below the skill directory, nothing excluded. Approvals are keyed by it (any change
 * asks again), the scan cache is keyed by it, and the integrity record of installed skills
 * (integrity.h) is too: one walker produces the hash and, for integrity, each entry it hashed.
 * Records are length-prefixed so no two different trees serialise alike. */
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

/* One entry as the walk hashes it. Pointers are valid during the visit only. */
struct skill_hash_entry {
        const char *path;      /* relative to the skill directory, "/"-separated */
        unsigned depth;        /* 0 for an entry of the skill directory itself */
        char type;             /* 'd', 'f', 'l', or 'o' (FIFO, socket, device) */
        uint32_t mode;         /* st_mode & 07777 */
        uint32_t format;       /* st_mode & S_IFMT */
        uint64_t size;         /* 'f': content bytes; 'l': target length; else 0 */
        const uint8_t *digest; /* 'f': SHA-256 of the content; else NULL */
        const char *target;    /* 'l': the target, NUL-terminated; else NULL */
};

/* Called for every entry in walk order (pre-order, siblings sorted bytewise by name; a directory
 * before what it holds, a file after its content was hashed). A negative return stops the walk
 * and is returned by skill_hash_walk(); set err when returning one. */
typedef int (*skill_hash_visit_fn)(const struct skill_hash_entry *e, void *userdata, struct error *err);

/* skill_hash_dir() with a visitor (NULL: none). The digest is the same whatever the visitor does,
 * as long as it lets the walk finish. */
int skill_hash_walk(int dirfd, skill_hash_visit_fn visit, void *userdata, char out[SHA256_HEX_BYTES],
                    struct error *err);
