/* The engine's state database (state_db.h). */
#include "state_db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/macros.h"
#include "../base/xdg.h"

struct state_db {
        sqlite3 *db;
};

/* Schema version 1. New versions append statements; user_version says how far a DB got. */
static const char SCHEMA_V1[] =
        "CREATE TABLE IF NOT EXISTS approvals ("
        "  skill_hash TEXT PRIMARY KEY,"
        "  skill_name TEXT NOT NULL,"
        "  verdict TEXT NOT NULL,"
        "  channel TEXT NOT NULL,"
        "  approved_at INTEGER NOT NULL);"
        "PRAGMA user_version = 1;";

static int db_error(sqlite3 *db, struct error *err, const char *what) {
        return error_set(err, -EIO, "state database: %s: %s", what,
                         db ? sqlite3_errmsg(db) : "out of memory");
}

void state_db_close(struct state_db *s) {
        if (!s)
                return;
        sqlite3_close(s->db);
        free(s);
}

int state_db_open(bool create, struct state_db **ret, struct error *err) {
        _cleanup_free_ char *path = NULL;
        const char *env = getenv("SKILLLITE_STATE_DB");
        if (env && env[0]) {
                path = strdup(env);
                if (!path)
                        return -ENOMEM;
        } else {
                int r = xdg_path(XDG_STATE, "state.db", false, &path);
                if (r < 0)
                        return error_set(err, r, "state database: no home directory ($HOME unset)");
                /* only the directory is created here; sqlite creates the file */
                _cleanup_free_ char *dir = NULL;
                if (create && (r = xdg_path(XDG_STATE, NULL, true, &dir)) < 0)
                        return error_set(err, r, "state database: creating its directory: %s",
                                         strerror(-r));
        }
        struct state_db *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
        int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
        if (rc != SQLITE_OK) {
                int r = (rc == SQLITE_CANTOPEN && !create) ? -ENOENT : db_error(s->db, err, path);
                state_db_close(s);
                return r;
        }
        /* Concurrent runs share the DB: WAL lets readers go on while one writes, and a writer
         * waits instead of failing with SQLITE_BUSY. */
        sqlite3_busy_timeout(s->db, 5000);
        if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, SCHEMA_V1, NULL, NULL, NULL) != SQLITE_OK) {
                int r = db_error(s->db, err, "creating the schema");
                state_db_close(s);
                return r;
        }
        *ret = s;
        return 0;
}

static void finalizep(sqlite3_stmt **st) {
        sqlite3_finalize(*st);
}

int state_db_approval_get(struct state_db *s, const char *skill_hash, struct approval *ret,
                          struct error *err) {
        __attribute__((cleanup(finalizep))) sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->db,
                               "SELECT verdict, channel, approved_at FROM approvals WHERE skill_hash = ?1",
                               -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, skill_hash, -1, SQLITE_STATIC) != SQLITE_OK)
                return db_error(s->db, err, "reading approvals");
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return 0;
        if (rc != SQLITE_ROW)
                return db_error(s->db, err, "reading approvals");
        *ret = (struct approval) { .approved_at = sqlite3_column_int64(st, 2) };
        const unsigned char *v = sqlite3_column_text(st, 0), *c = sqlite3_column_text(st, 1);
        snprintf(ret->verdict, sizeof(ret->verdict), "%s", v ? (const char *) v : "");
        snprintf(ret->channel, sizeof(ret->channel), "%s", c ? (const char *) c : "");
        return 1;
}

int state_db_approval_put(struct state_db *s, const char *skill_hash, const char *skill_name,
                          const char *verdict, const char *channel, struct error *err) {
        __attribute__((cleanup(finalizep))) sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->db,
                               "INSERT OR REPLACE INTO approvals "
                               "(skill_hash, skill_name, verdict, channel, approved_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, skill_hash, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, skill_name, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, channel, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 5, (sqlite3_int64) time(NULL)) != SQLITE_OK)
                return db_error(s->db, err, "recording an approval");
        if (sqlite3_step(st) != SQLITE_DONE)
                return db_error(s->db, err, "recording an approval");
        return 0;
}
