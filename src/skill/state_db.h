/* The engine's state database (~/.local/share/skilllite/state.db, SQLite, WAL): what a human
 * approved, keyed by the hash of the whole skill, and the installed skills with their integrity
 * records (integrity.h). It lives outside anything a skill can write (the sandbox never mounts
 * the engine's state), so a skill cannot approve itself. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "../base/error.h"

struct state_db;

/* Open (creating it and its directory 0700 when create is set) the state DB at
 * $SKILLLITE_STATE_DB or <XDG state>/state.db, migrating its schema to the current version.
 * Returns 0, -ENOENT when it does not exist and create is false, -EPROTO when a newer engine
 * wrote it, or -errno / -EIO with err set. */
int state_db_open(bool create, struct state_db **ret, struct error *err);
void state_db_close(struct state_db *db);
static inline void state_db_closep(struct state_db **db) {
        state_db_close(*db);
}
#define _cleanup_state_db_ __attribute__((cleanup(state_db_closep)))

struct approval {
        char verdict[16];   /* the scan verdict that was approved ("medium", "high") */
        char channel[16];   /* how: "tty", "flag" (--yes), "env" (SKILLLITE_AUTO_APPROVE) */
        int64_t approved_at; /* unix seconds */
};
/* 1 with *ret filled when skill_hash is approved, 0 when not, or -errno/-EIO with err set. */
int state_db_approval_get(struct state_db *db, const char *skill_hash, struct approval *ret,
                          struct error *err);
int state_db_approval_put(struct state_db *db, const char *skill_hash, const char *skill_name,
                          const char *verdict, const char *channel, struct error *err);
