/* What the state DB's other tables (installed.c) and the integrity key (integrity.c) need from
 * state_db.c: the SQLite handle, the DB's path and its error reporting. Not for cli/. */
#pragma once

#include <stdbool.h>

#include "../base/error.h"
#include "../base/sqlite_lib.h"
#include "state_db.h"

/* The schema version this engine writes (PRAGMA user_version). */
#define STATE_DB_SCHEMA_VERSION 2

sqlite3 *state_db_sqlite(struct state_db *db);
/* $SKILLLITE_STATE_DB, or <XDG state>/state.db (with create_dir, that directory is made 0700).
 * 0 with *ret malloc'd, or -errno with err set. */
int state_db_path(bool create_dir, char **ret, struct error *err);
/* The directory the state DB is in (its HMAC key lives there too), same rules. */
int state_db_dir(bool create_dir, char **ret, struct error *err);
/* -EIO with "state database: <what>: <sqlite's message>" in err. */
int state_db_error(struct state_db *db, struct error *err, const char *what);

static inline void state_db_finalizep(sqlite3_stmt **st) {
        sqlite3_finalize(*st);
}
#define _cleanup_stmt_ __attribute__((cleanup(state_db_finalizep)))
