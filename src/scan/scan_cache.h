/* The scan cache: a skill's scan report, keyed by the hash of the whole skill, the rules version
 * and the advisory database's state, in <XDG cache>/scan/<key>.json. A repeated level-3 run of
 * an unchanged skill costs a hash and a small read, not a scan. SKILLLITE_SCAN_CACHE=0 turns it
 * off. The cache only ever saves work: a missing or unreadable entry means "scan again". */
#pragma once

#include <jansson.h>

#include "../base/sha256.h"

/* db_stamp: anything that changes when the advisory DB changes ("" for none). */
int scan_cache_key(const char *skill_hash, const char *db_stamp, char out[SHA256_HEX_BYTES]);
/* The cached report, or NULL on a miss (or when the cache is off / unreadable). */
json_t *scan_cache_load(const char *key);
/* Store a report; failures are ignored by callers (returns 0 or -errno for tests). */
int scan_cache_store(const char *key, const json_t *report);
