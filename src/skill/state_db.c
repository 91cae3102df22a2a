/* The engine's state database (state_db.h). */
#include "state_db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/macros.h"
#include "../base/sqlite_lib.h"
#include "../base/xdg.h"
#include "state_db_internal.h"

struct state_db {
        sqlite3 *db;
};

/* The schema, one migration per version: MIGRATIONS[v] takes a DB from user_version v to v + 1.
 * Migrations only ever append; a DB from a newer engine is refused rather than guessed at. */
static const char *const MIGRATIONS[STATE_DB_SCHEMA_VERSION] = {
        /* v1: what a human approved, keyed by the whole-skill hash */
        "CREATE TABLE IF NOT EXISTS approvals ("
        "  skill_hash TEXT PRIMARY KEY,"
        "  skill_name TEXT NOT NULL,"
        "  verdict TEXT NOT NULL,"
        "  channel TEXT NOT NULL,"
        "  approved_at INTEGER NOT NULL);",
        /* v2: the installed skills and their integrity records (installed.c); mac authenticates
         * every other column under the per-user key */
        "CREATE TABLE IF NOT EXISTS installed ("
        "  skills_dir TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  source TEXT NOT NULL,"
        "  version TEXT NOT NULL,"
        "  verdict TEXT NOT NULL,"
        "  channel TEXT NOT NULL,"
        "  permissions TEXT NOT NULL,"
        "  installed_at INTEGER NOT NULL,"
        "  tree_hash TEXT NOT NULL,"
        "  manifest TEXT NOT NULL,"
        "  mac TEXT NOT NULL,"
        "  PRIMARY KEY (skills_dir, name));",
};

static int db_error(sqlite3 *db, struct error *err, const char *what) {
        return error_set(err, -EIO, "state database: %s: %s", what,
                         db ? sqlite3_errmsg(db) : "out of memory");
}

int state_db_error(struct state_db *s, struct error *err, const char *what) {
        return db_error(s ? s->db : NULL, err, what);
}

sqlite3 *state_db_sqlite(struct state_db *s) {
        return s->db;
}

int state_db_path(bool create_dir, char **ret, struct error *err) {
        const char *env = getenv("SKILLLITE_STATE_DB");
        if (env && env[0]) {
                char *path = strdup(env);
                if (!path)
                        return -ENOMEM;
                *ret = path;
                return 0;
        }
        _cleanup_free_ char *path = NULL;
        int r = xdg_path(XDG_STATE, "state.db", false, &path);
        if (r < 0)
                return error_set(err, r, "state database: no home directory ($HOME unset)");
        /* only the directory is created here; sqlite creates the file */
        _cleanup_free_ char *dir = NULL;
        if (create_dir && (r = xdg_path(XDG_STATE, NULL, true, &dir)) < 0)
                return error_set(err, r, "state database: creating its directory: %s", strerror(-r));
        *ret = TAKE_PTR(path);
        return 0;
}

int state_db_dir(bool create_dir, char **ret, struct error *err) {
        char *path = NULL;
        int r = state_db_path(create_dir, &path, err);
        if (r < 0)
                return r;
        char *slash = strrchr(path, '/');
        if (!slash) {
                free(path);
                path = strdup(".");
                if (!path)
                        return -ENOMEM;
        } else if (slash == path)
                slash[1] = '\0';
        else
                *slash = '\0';
        *ret = path;
        return 0;
}

static int schema_version(sqlite3 *db) {
        sqlite3_stmt *st = NULL;
        int version = -1;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
                version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return version;
}

/* Bring the schema to STATE_DB_SCHEMA_VERSION. An up-to-date DB costs one read; otherwise the
 * version is read again inside the write transaction, so two first runs racing on a new DB
 * migrate it once. */
static int schema_migrate(sqlite3 *db, struct error *err) {
        int version = schema_version(db);
        if (version == STATE_DB_SCHEMA_VERSION)
                return 0;
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
                return db_error(db, err, "migrating the schema");
        version = schema_version(db);
        int r = 0;
        if (version < 0)
                r = db_error(db, err, "reading the schema version");
        else if (version > STATE_DB_SCHEMA_VERSION)
                r = error_set(err, -EPROTO,
                              "state database: schema version %d is newer than this SkillLite knows (%d)",
                              version, STATE_DB_SCHEMA_VERSION);
        for (int v = version; r >= 0 && v < STATE_DB_SCHEMA_VERSION; v++)
                if (sqlite3_exec(db, MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK)
                        r = db_error(db, err, "migrating the schema");
        if (r >= 0 && version < STATE_DB_SCHEMA_VERSION) {
                char pragma[64];
                snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", STATE_DB_SCHEMA_VERSION);
                if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK)
                        r = db_error(db, err, "migrating the schema");
        }
        if (r >= 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                r = db_error(db, err, "migrating the schema");
        if (r < 0)
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return r;
}

void state_db_close(struct state_db *s) {
        if (!s)
                return;
        if (s->db) /* each sqlite3_* call loads libsqlite3 on first use */
                sqlite3_close(s->db);
        free(s);
}

int state_db_open(bool create, struct state_db **ret, struct error *err) {
        _cleanup_free_ char *path = NULL;
        int r = state_db_path(create, &path, err);
        if (r < 0)
                return r;
        /* Every run asks; most hosts that never ran `add` have no DB. Answer that without loading
         * libsqlite3 (sqlite_lib.h). A DB created right after this check is a run that started
         * before the skill was installed. */
        struct stat st;
        if (!create && lstat(path, &st) < 0 && errno == ENOENT)
                return -ENOENT;
        struct state_db *s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
        int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
        if (rc != SQLITE_OK) {
                r = (rc == SQLITE_CANTOPEN && !create) ? -ENOENT : db_error(s->db, err, path);
                state_db_close(s);
                return r;
        }
        /* Concurrent runs share the DB: WAL lets readers go on while one writes, and a writer
         * waits instead of failing with SQLITE_BUSY. */
        sqlite3_busy_timeout(s->db, 5000);
        if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) != SQLITE_OK) {
                r = db_error(s->db, err, "opening");
                state_db_close(s);
                return r;
        }
        if ((r = schema_migrate(s->db, err)) < 0) {
                state_db_close(s);
                return r;
        }
        *ret = s;
        return 0;
}

int state_db_approval_get(struct state_db *s, const char *skill_hash, struct approval *ret,
                          struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
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
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
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
