/* The advisory database (advisory_db.h): the SQLite schema, opening, imports stored in one
 * transaction each (documents from advisory_source.c, reduced by advisory_osv.c), status and lookup. */
#include "advisory_db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/json.h"
#include "../base/sqlite_lib.h"
#include "../base/xdg.h"
#include "advisory_osv.h"

_Static_assert(DEP_PYPI == 0 && DEP_NPM == 1, "ecosystems index the per-ecosystem arrays");

#define ADVISORY_SCHEMA_VERSION 1
#define ADVISORY_SOURCE_MAX 255 /* bytes of the import path kept as last_import_source */

struct advisory_db {
        sqlite3 *h;
        char *path;
        bool writable;
};

/* One table per kind of thing; `affected` holds one row per (advisory, ecosystem, package) with
 * that package's ranges and versions merged from every affected[] entry naming it. */
static const char SCHEMA[] =
        "CREATE TABLE schema_version(version INTEGER NOT NULL);"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE advisories(id TEXT PRIMARY KEY, modified TEXT NOT NULL, summary TEXT NOT NULL,"
        " aliases TEXT NOT NULL, malicious INTEGER NOT NULL, severity TEXT, cvss TEXT);"
        "CREATE TABLE affected(id TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
        " ranges TEXT NOT NULL, versions TEXT NOT NULL, PRIMARY KEY (id, ecosystem, package));"
        "CREATE INDEX affected_by_package ON affected(ecosystem, package);"
        "INSERT INTO schema_version VALUES (1);";

/* Cleanups test for NULL themselves: each sqlite3_* call goes through sqlite_lib(), which loads
 * libsqlite3 on first use - ~1.5 M instructions for a no-op on a handle that was never made. */
static void stmt_finalizep(sqlite3_stmt **s) {
        if (*s)
                sqlite3_finalize(*s);
}
#define _cleanup_stmt_ _cleanup_(stmt_finalizep)

static int sql_code(int rc) {
        switch (rc & 0xff) {
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT: return -EPROTO;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return -EBUSY;
        case SQLITE_NOMEM: return -ENOMEM;
        case SQLITE_READONLY: return -EROFS;
        case SQLITE_FULL: return -ENOSPC;
        case SQLITE_PERM:
        case SQLITE_AUTH: return -EACCES;
        case SQLITE_TOOBIG: return -E2BIG;
        default: return -EIO;
        }
}

static int sql_error(const struct advisory_db *db, struct error *err, const char *what) {
        return error_set(err, sql_code(sqlite3_errcode(db->h)), "%s: %s: %s", db->path, what,
                         sqlite3_errmsg(db->h));
}

static int sql_exec(struct advisory_db *db, const char *sql, struct error *err) {
        if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
                return sql_error(db, err, sql);
        return 0;
}

static int sql_prepare(struct advisory_db *db, const char *sql, sqlite3_stmt **ret, struct error *err) {
        if (sqlite3_prepare_v2(db->h, sql, -1, ret, NULL) != SQLITE_OK)
                return sql_error(db, err, "preparing a query");
        return 0;
}

/* A text bind that copies (SQLITE_TRANSIENT): our strings die before the statement runs again. */
static bool bind_text(sqlite3_stmt *s, int i, const char *v) {
        return (v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i)) == SQLITE_OK;
}

static const char *ecosystem_name(int eco) {
        return dep_ecosystem_to_string((enum dep_ecosystem) eco);
}

/* ---- paths and opening ----------------------------------------------------------------------- */

int advisory_db_default_path(char **ret_path, struct error *err) {
        const char *env = getenv("SKILLLITE_ADVISORY_DB");
        if (env && *env) {
                char *p = strdup(env);
                if (!p)
                        return error_set(err, -ENOMEM, "out of memory");
                *ret_path = p;
                return 0;
        }
        int r = xdg_path(XDG_STATE, "advisories.db", false, ret_path);
        if (r == -ENOENT)
                return error_set(err, r, "no advisory database path: set SKILLLITE_ADVISORY_DB or HOME");
        return r < 0 ? error_set(err, r, "advisory database path: %s", strerror(-r)) : 0;
}

/* mkdir -p of path's parent directories, each new one 0700 (the database is per user). */
static int mkdir_parents(const char *path, struct error *err) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return error_set(err, -ENOMEM, "out of memory");
        for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = '\0';
                if (mkdir(p, 0700) < 0 && errno != EEXIST) {
                        int r = -errno;
                        return error_set(err, r, "creating %s: %s", p, strerror(-r));
                }
                *s = '/';
        }
        return 0;
}

/* 0 when the schema is ours (creating it in an empty writable file), -EPROTO otherwise. */
static int schema_check(struct advisory_db *db, struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db->h, "SELECT version FROM schema_version", -1, &s, NULL) == SQLITE_OK) {
                int rc = sqlite3_step(s);
                if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                        return sql_error(db, err, "reading the schema version");
                int v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
                if (v != ADVISORY_SCHEMA_VERSION)
                        return error_set(err, -EPROTO, "%s: advisory database schema version %d, this build "
                                         "reads %d (re-import into a new file)", db->path, v,
                                         ADVISORY_SCHEMA_VERSION);
                return 0;
        }
        if ((sqlite3_errcode(db->h) & 0xff) == SQLITE_NOTADB)
                return error_set(err, -EPROTO, "%s: not an SQLite database", db->path);
        _cleanup_stmt_ sqlite3_stmt *c = NULL;
        int r = sql_prepare(db, "SELECT count(*) FROM sqlite_master", &c, err);
        if (r < 0)
                return r;
        if (sqlite3_step(c) != SQLITE_ROW)
                return sql_error(db, err, "reading the schema");
        if (sqlite3_column_int64(c, 0) != 0 || !db->writable)
                return error_set(err, -EPROTO, "%s: not a SkillLite advisory database", db->path);
        r = sql_exec(db, "BEGIN IMMEDIATE", err);
        if (r < 0)
                return r;
        r = sql_exec(db, SCHEMA, err);
        if (r < 0) {
                (void) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
                return r;
        }
        return sql_exec(db, "COMMIT", err);
}

int advisory_db_open(const char *path, unsigned flags, struct advisory_db **ret_db, struct error *err) {
        _cleanup_advisory_db_ struct advisory_db *db = calloc(1, sizeof(*db));
        if (!db || !(db->path = strdup(path)))
                return error_set(err, -ENOMEM, "out of memory");
        db->writable = flags & ADVISORY_DB_WRITE;
        if (db->writable) {
                int r = mkdir_parents(path, err);
                if (r < 0)
                        return r;
                /* Created here so the file (and the -wal/-shm files SQLite derives from it) is 0600. */
                _cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
                if (fd < 0) {
                        r = -errno;
                        return error_set(err, r, "%s: %s", path, strerror(-r));
                }
        } else {
                struct stat st;
                if (stat(path, &st) < 0) {
                        int r = -errno;
                        return error_set(err, r, "%s: %s", path, strerror(-r));
                }
                if (!S_ISREG(st.st_mode))
                        return error_set(err, -EINVAL, "%s: not a regular file", path);
        }
        int rc = sqlite3_open_v2(path, &db->h, db->writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                                 NULL);
        if (rc != SQLITE_OK)
                return db->h ? sql_error(db, err, "opening") : error_set(err, -ENOMEM, "out of memory");
        /* The file may come from anywhere ($SKILLLITE_ADVISORY_DB): no triggers, views or schema
         * functions of its own run with our statements. */
        sqlite3_busy_timeout(db->h, 5000);
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
        sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
        int r = schema_check(db, err);
        if (r < 0)
                return r;
        if (db->writable) {
                r = sql_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", err);
                if (r < 0)
                        return r;
        }
        *ret_db = TAKE_PTR(db);
        return 0;
}

struct advisory_db *advisory_db_close(struct advisory_db *db) {
        if (db) {
                if (db->h) /* absent DB: never opened, and libsqlite3 never loaded */
                        sqlite3_close(db->h);
                free(db->path);
                free(db);
        }
        return NULL;
}

const char *advisory_db_path(const struct advisory_db *db) {
        return db->path;
}

/* ---- import ---------------------------------------------------------------------------------- */

struct import_ctx {
        struct advisory_db *db;
        struct advisory_import_stats st;
        sqlite3_stmt *get, *del_adv, *del_aff, *ins_adv, *ins_aff;
        struct error *err;
};

static int step_done(struct import_ctx *c, sqlite3_stmt *s, const char *what) {
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return rc == SQLITE_DONE ? 0 : sql_error(c->db, c->err, what);
}

static int store_delete(struct import_ctx *c, const char *id) {
        if (!bind_text(c->del_aff, 1, id) || !bind_text(c->del_adv, 1, id))
                return error_set(c->err, -ENOMEM, "out of memory");
        int r = step_done(c, c->del_aff, "deleting an advisory");
        return r < 0 ? r : step_done(c, c->del_adv, "deleting an advisory");
}

static int store_insert(struct import_ctx *c, const struct osv_adv *a) {
        _cleanup_free_ char *aliases = json_to_string(a->aliases, 0);
        if (!aliases || !bind_text(c->ins_adv, 1, a->id) || !bind_text(c->ins_adv, 2, a->modified) ||
            !bind_text(c->ins_adv, 3, a->summary) || !bind_text(c->ins_adv, 4, aliases) ||
            sqlite3_bind_int(c->ins_adv, 5, a->malicious) != SQLITE_OK ||
            !bind_text(c->ins_adv, 6, a->severity) || !bind_text(c->ins_adv, 7, a->cvss))
                return error_set(c->err, -ENOMEM, "out of memory");
        int r = step_done(c, c->ins_adv, "storing an advisory");
        if (r < 0)
                return r;
        bool seen[ADVISORY_ECOSYSTEMS] = { false };
        const char *key;
        json_t *p;
        json_object_foreach(a->packages, key, p) {
                int eco = (int) json_integer_value(json_object_get(p, "eco"));
                _cleanup_free_ char *ranges = json_to_string(json_object_get(p, "ranges"), 0);
                _cleanup_free_ char *versions = json_to_string(json_object_get(p, "versions"), 0);
                if (!ranges || !versions || !bind_text(c->ins_aff, 1, a->id) ||
                    !bind_text(c->ins_aff, 2, ecosystem_name(eco)) ||
                    !bind_text(c->ins_aff, 3, json_string_value(json_object_get(p, "name"))) ||
                    !bind_text(c->ins_aff, 4, ranges) || !bind_text(c->ins_aff, 5, versions))
                        return error_set(c->err, -ENOMEM, "out of memory");
                r = step_done(c, c->ins_aff, "storing an affected package");
                if (r < 0)
                        return r;
                if (!seen[eco])
                        c->st.ecosystem[eco]++;
                seen[eco] = true;
        }
        return 0;
}

/* Replace by id: the same `modified` already stored is left alone, anything else replaces the
 * advisory whole (rows of packages it no longer names go too). */
static int store_advisory(struct import_ctx *c, const struct osv_adv *a) {
        if (!bind_text(c->get, 1, a->id))
                return error_set(c->err, -ENOMEM, "out of memory");
        int rc = sqlite3_step(c->get);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                sqlite3_reset(c->get);
                return sql_error(c->db, c->err, "looking up an advisory");
        }
        bool exists = rc == SQLITE_ROW;
        const char *old = exists ? (const char *) sqlite3_column_text(c->get, 0) : NULL;
        bool same = old && streq(old, a->modified);
        sqlite3_reset(c->get);
        sqlite3_clear_bindings(c->get);
        bool drop = a->withdrawn || json_object_size(a->packages) == 0;
        if (same && !drop) {
                c->st.unchanged++;
                return 0;
        }
        if (exists) {
                int r = store_delete(c, a->id);
                if (r < 0)
                        return r;
        }
        if (drop) {
                if (a->withdrawn)
                        c->st.withdrawn++;
                else
                        c->st.ignored++;
                return 0;
        }
        if (exists)
                c->st.replaced++;
        else
                c->st.imported++;
        return store_insert(c, a);
}

static int import_document(void *userdata, const char *name, const char *data, size_t len) {
        struct import_ctx *c = userdata;
        c->st.documents++;
        _cleanup_json_ json_t *doc = json_parse_strict(data, len, ADVISORY_FILE_MAX, NULL);
        struct osv_adv a = { 0 };
        int r = doc ? osv_reduce(doc, &a) : -EINVAL;
        if (r == -EINVAL) {
                c->st.malformed++;
                r = 0;
        } else if (r == 0) {
                r = store_advisory(c, &a);
        }
        osv_adv_done(&a);
        return r;
}

static int meta_set(struct advisory_db *db, const char *key, const char *value, struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *s = NULL;
        int r = sql_prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", &s, err);
        if (r < 0)
                return r;
        if (!bind_text(s, 1, key) || !bind_text(s, 2, value))
                return error_set(err, -ENOMEM, "out of memory");
        return sqlite3_step(s) == SQLITE_DONE ? 0 : sql_error(db, err, "storing import metadata");
}

/* What status reports, counted once per import (counting on every status call would cost a scan
 * of the tables on every skill scan) and kept in meta as "advisories malicious e0 p0 e1 p1". */
static int store_counts(struct advisory_db *db, struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *all = NULL, *eco = NULL;
        int r;
        if ((r = sql_prepare(db, "SELECT count(*), coalesce(sum(malicious != 0), 0) FROM advisories", &all,
                             err)) < 0 ||
            (r = sql_prepare(db, "SELECT count(DISTINCT id), count(DISTINCT package) FROM affected"
                                 " WHERE ecosystem = ?1", &eco, err)) < 0)
                return r;
        if (sqlite3_step(all) != SQLITE_ROW)
                return sql_error(db, err, "counting advisories");
        char counts[160];
        int n = snprintf(counts, sizeof(counts), "%lld %lld", (long long) sqlite3_column_int64(all, 0),
                         (long long) sqlite3_column_int64(all, 1));
        for (int e = 0; e < ADVISORY_ECOSYSTEMS; e++) {
                if (!bind_text(eco, 1, ecosystem_name(e)))
                        return error_set(err, -ENOMEM, "out of memory");
                if (sqlite3_step(eco) != SQLITE_ROW)
                        return sql_error(db, err, "counting advisories");
                n += snprintf(counts + n, sizeof(counts) - (size_t) n, " %lld %lld",
                              (long long) sqlite3_column_int64(eco, 0), (long long) sqlite3_column_int64(eco, 1));
                sqlite3_reset(eco);
        }
        return meta_set(db, "counts", counts, err);
}

static int import_in_transaction(struct import_ctx *c, const char *path) {
        struct advisory_db *db = c->db;
        int r;
        if ((r = sql_prepare(db, "SELECT modified FROM advisories WHERE id = ?1", &c->get, c->err)) < 0 ||
            (r = sql_prepare(db, "DELETE FROM advisories WHERE id = ?1", &c->del_adv, c->err)) < 0 ||
            (r = sql_prepare(db, "DELETE FROM affected WHERE id = ?1", &c->del_aff, c->err)) < 0 ||
            (r = sql_prepare(db, "INSERT INTO advisories(id, modified, summary, aliases, malicious, severity, cvss)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &c->ins_adv, c->err)) < 0 ||
            (r = sql_prepare(db, "INSERT INTO affected(id, ecosystem, package, ranges, versions)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)", &c->ins_aff, c->err)) < 0)
                return r;
        size_t skipped = 0;
        r = advisory_source_read(path, import_document, c, &skipped, c->err);
        if (r < 0)
                return r;
        c->st.malformed += skipped;
        char now[32], source[ADVISORY_SOURCE_MAX + 1];
        snprintf(now, sizeof(now), "%lld", (long long) time(NULL));
        snprintf(source, sizeof(source), "%s", path);
        if ((r = meta_set(db, "last_import", now, c->err)) < 0 ||
            (r = meta_set(db, "last_import_source", source, c->err)) < 0 ||
            (r = store_counts(db, c->err)) < 0)
                return r;
        return 0;
}

int advisory_db_import(struct advisory_db *db, const char *path, struct advisory_import_stats *ret_stats,
                       struct error *err) {
        if (!db->writable)
                return error_set(err, -EROFS, "%s: opened read-only", db->path);
        int r = sql_exec(db, "BEGIN IMMEDIATE", err);
        if (r < 0)
                return r;
        struct import_ctx c = { .db = db, .err = err };
        r = import_in_transaction(&c, path);
        sqlite3_finalize(c.get);
        sqlite3_finalize(c.del_adv);
        sqlite3_finalize(c.del_aff);
        sqlite3_finalize(c.ins_adv);
        sqlite3_finalize(c.ins_aff);
        if (r >= 0)
                r = sql_exec(db, "COMMIT", err);
        if (r < 0) {
                (void) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
                return r;
        }
        if (ret_stats)
                *ret_stats = c.st;
        return 0;
}

/* ---- status ---------------------------------------------------------------------------------- */

int advisory_db_status(struct advisory_db *db, struct advisory_db_status *ret, struct error *err) {
        struct advisory_db_status st = { 0 };
        _cleanup_stmt_ sqlite3_stmt *meta = NULL;
        int r = sql_prepare(db, "SELECT key, value FROM meta WHERE key IN ('last_import', 'last_import_source',"
                                " 'counts')", &meta, err);
        if (r < 0)
                return r;
        int rc;
        while ((rc = sqlite3_step(meta)) == SQLITE_ROW) {
                const char *k = (const char *) sqlite3_column_text(meta, 0);
                const char *v = (const char *) sqlite3_column_text(meta, 1);
                if (!k || !v)
                        continue;
                if (streq(k, "last_import")) {
                        st.last_import = strtoll(v, NULL, 10);
                } else if (streq(k, "counts")) {
                        uint64_t *out[] = { &st.advisories, &st.malicious, &st.ecosystem[0], &st.packages[0],
                                            &st.ecosystem[1], &st.packages[1] };
                        char *end = (char *) v;
                        for (size_t i = 0; i < ELEMENTSOF(out); i++)
                                *out[i] = strtoull(end, &end, 10);
                } else {
                        snprintf(st.last_source, sizeof(st.last_source), "%s", v);
                }
        }
        if (rc != SQLITE_DONE)
                return sql_error(db, err, "reading import metadata");
        *ret = st;
        return 0;
}

json_t *advisory_db_status_to_json(const struct advisory_db *db, const struct advisory_db_status *s) {
        _cleanup_json_ json_t *o = json_pack("{s:s, s:I, s:I, s:{}, s:{}}", "path", db->path, "advisories",
                                             (json_int_t) s->advisories, "malicious", (json_int_t) s->malicious,
                                             "ecosystems", "packages");
        if (!o)
                return NULL;
        for (int e = 0; e < ADVISORY_ECOSYSTEMS; e++)
                if (json_object_set_new(json_object_get(o, "ecosystems"), ecosystem_name(e),
                                        json_integer((json_int_t) s->ecosystem[e])) < 0 ||
                    json_object_set_new(json_object_get(o, "packages"), ecosystem_name(e),
                                        json_integer((json_int_t) s->packages[e])) < 0)
                        return NULL;
        if (json_object_set_new(o, "last_import", s->last_import ? json_integer(s->last_import) : json_null()) < 0 ||
            json_object_set_string_or_null(o, "last_import_source", s->last_source[0] ? s->last_source : NULL) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* ---- lookup ---------------------------------------------------------------------------------- */

static void advisory_done(struct advisory *a) {
        free(a->id);
        free(a->modified);
        free(a->summary);
        free(a->severity);
        free(a->cvss);
        json_decref(a->aliases);
        json_decref(a->ranges);
        json_decref(a->versions);
}

void advisory_list_done(struct advisory_list *l) {
        for (size_t i = 0; i < l->n; i++)
                advisory_done(&l->v[i]);
        free(l->v);
        *l = (struct advisory_list) { 0 };
}

static char *column_dup(sqlite3_stmt *s, int i) {
        const char *v = (const char *) sqlite3_column_text(s, i);
        return v ? strdup(v) : NULL;
}

/* A JSON array stored by us; anything else means the file was edited or damaged. */
static json_t *column_array(sqlite3_stmt *s, int i) {
        const char *v = (const char *) sqlite3_column_text(s, i);
        if (!v)
                return NULL;
        json_t *j = json_parse_strict(v, strlen(v), ADVISORY_FILE_MAX, NULL);
        if (j && !json_is_array(j)) {
                json_decref(j);
                return NULL;
        }
        return j;
}

static int lookup_row(sqlite3_stmt *s, struct advisory *a) {
        *a = (struct advisory) {
                .id = column_dup(s, 0),
                .modified = column_dup(s, 1),
                .summary = column_dup(s, 2),
                .severity = column_dup(s, 3),
                .cvss = column_dup(s, 4),
                .aliases = column_array(s, 5),
                .malicious = sqlite3_column_int(s, 6) != 0,
                .ranges = column_array(s, 7),
                .versions = column_array(s, 8),
        };
        const char *sev = a->severity;
        if (!a->id || !a->modified || !a->summary || !a->aliases || !a->ranges || !a->versions ||
            (sev && !osv_severity_word(sev))) {
                advisory_done(a);
                return -EPROTO;
        }
        return 0;
}

int advisory_lookup(struct advisory_db *db, enum dep_ecosystem eco, const char *name,
                    struct advisory_list *l, struct error *err) {
        if ((unsigned) eco >= ADVISORY_ECOSYSTEMS)
                return error_set(err, -EINVAL, "unknown ecosystem");
        _cleanup_free_ char *norm = advisory_normalize_name(eco, name);
        _cleanup_stmt_ sqlite3_stmt *s = NULL;
        if (!norm)
                return error_set(err, -ENOMEM, "out of memory");
        int r = sql_prepare(db, "SELECT a.id, a.modified, a.summary, a.severity, a.cvss, a.aliases, a.malicious,"
                                " f.ranges, f.versions FROM affected f JOIN advisories a ON a.id = f.id"
                                " WHERE f.ecosystem = ?1 AND f.package = ?2 ORDER BY a.id LIMIT ?3", &s, err);
        if (r < 0)
                return r;
        if (!bind_text(s, 1, ecosystem_name(eco)) || !bind_text(s, 2, norm) ||
            sqlite3_bind_int(s, 3, ADVISORY_LOOKUP_MAX) != SQLITE_OK)
                return error_set(err, -ENOMEM, "out of memory");
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
                if (l->n == l->cap) {
                        size_t cap = l->cap ? l->cap * 2 : 8;
                        struct advisory *grown = reallocarray(l->v, cap, sizeof(*grown));
                        if (!grown)
                                return error_set(err, -ENOMEM, "out of memory");
                        l->v = grown;
                        l->cap = cap;
                }
                r = lookup_row(s, &l->v[l->n]);
                if (r < 0)
                        return error_set(err, r, "%s: damaged advisory row for %s", db->path, norm);
                l->n++;
        }
        if (rc != SQLITE_DONE)
                return sql_error(db, err, "looking up advisories");
        return 0;
}
