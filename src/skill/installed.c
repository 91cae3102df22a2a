/* The installed-skills records in the state DB (integrity.h), each authenticated with
 * HMAC-SHA256 under the per-user key: the MAC covers every column, serialised length-prefixed
 * behind a domain string, and is checked on the stored bytes before anything is parsed. */
#include "integrity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "../base/sha256.h"
#include "state_db_internal.h"

#define MAC_DOMAIN "skilllite-installed-record-v1"
#define MAC_HEX_BYTES SHA256_HEX_BYTES /* HMAC-SHA256, in hex */
#define PERMISSIONS_JSON_MAX (1u << 20)
#define MANIFEST_JSON_MAX (32u << 20)

#define SELECT_COLUMNS                                                                                       \
        "SELECT skills_dir, name, source, version, verdict, channel, permissions, installed_at, tree_hash, " \
        "manifest, mac FROM installed"

/* The columns as stored: what the MAC is over. */
enum column { COL_SKILLS_DIR, COL_NAME, COL_SOURCE, COL_VERSION, COL_VERDICT, COL_CHANNEL, COL_PERMISSIONS,
              COL_INSTALLED_AT, COL_TREE_HASH, COL_MANIFEST, COL_MAC };

struct record {
        const char *text[COL_MAC + 1]; /* COL_INSTALLED_AT unused */
        size_t len[COL_MAC + 1];
        int64_t installed_at;
};

void installed_skill_done(struct installed_skill *s) {
        if (!s)
                return;
        free(s->skills_dir);
        free(s->name);
        free(s->source);
        free(s->version);
        free(s->verdict);
        free(s->channel);
        json_decref(s->permissions);
        integrity_manifest_done(&s->manifest);
        *s = (struct installed_skill) { 0 };
}

void installed_list_free(struct installed_listed *v, size_t n) {
        if (!v)
                return;
        for (size_t i = 0; i < n; i++)
                installed_skill_done(&v[i].s);
        free(v);
}

/* ---- the MAC -------------------------------------------------------------------------------- */

static void mac_u64(struct hmac_sha256_ctx *c, uint64_t v) {
        uint8_t b[8];
        for (int i = 0; i < 8; i++)
                b[i] = (uint8_t) (v >> (8 * i));
        hmac_sha256_update(c, b, sizeof(b));
}

static void mac_field(struct hmac_sha256_ctx *c, const char *s, size_t n) {
        mac_u64(c, n);
        hmac_sha256_update(c, s, n);
}

/* HMAC-SHA256 over the domain, then every column but the MAC in table order, each a u64 length
 * and its bytes (installed_at a fixed 8 bytes), as lower-case hex. */
static void record_mac(const uint8_t key[INTEGRITY_KEY_BYTES], const struct record *rec, char out[MAC_HEX_BYTES]) {
        struct hmac_sha256_ctx c;
        hmac_sha256_init(&c, key, INTEGRITY_KEY_BYTES);
        hmac_sha256_update(&c, MAC_DOMAIN, sizeof(MAC_DOMAIN));
        for (enum column i = COL_SKILLS_DIR; i < COL_MAC; i++)
                if (i == COL_INSTALLED_AT)
                        mac_u64(&c, (uint64_t) rec->installed_at);
                else
                        mac_field(&c, rec->text[i], rec->len[i]);
        uint8_t m[SHA256_DIGEST_BYTES];
        hmac_sha256_final(&c, m);
        sha256_to_hex(m, out);
        explicit_bzero(m, sizeof(m));
}

/* ---- writing -------------------------------------------------------------------------------- */

static bool is_tree_hash(const char *s) {
        if (strlen(s) != SHA256_HEX_BYTES - 1)
                return false;
        return strspn(s, "0123456789abcdef") == SHA256_HEX_BYTES - 1;
}

static int validate(const struct installed_skill *s, struct error *err) {
        if (!s->skills_dir || s->skills_dir[0] != '/')
                return error_set(err, -EINVAL, "installed skill: the skills directory must be an absolute path");
        if (!s->name || !s->name[0] || strchr(s->name, '/') || streq(s->name, ".") || streq(s->name, ".."))
                return error_set(err, -EINVAL, "installed skill: \"%s\" is not a skill directory name",
                                 s->name ? s->name : "");
        if (!is_tree_hash(s->manifest.tree_hash))
                return error_set(err, -EINVAL, "installed skill %s: no tree hash", s->name);
        if (s->permissions && !json_is_object(s->permissions))
                return error_set(err, -EINVAL, "installed skill %s: permissions must be an object", s->name);
        return 0;
}

static void set_text(struct record *rec, enum column c, const char *s) {
        rec->text[c] = s ? s : "";
        rec->len[c] = strlen(rec->text[c]);
}

static int bind_record(sqlite3_stmt *st, const struct record *rec, const char *mac) {
        for (enum column i = COL_SKILLS_DIR; i < COL_MAC; i++) {
                int rc = i == COL_INSTALLED_AT
                                 ? sqlite3_bind_int64(st, (int) i + 1, rec->installed_at)
                                 : sqlite3_bind_text(st, (int) i + 1, rec->text[i], (int) rec->len[i], SQLITE_STATIC);
                if (rc != SQLITE_OK)
                        return -EIO;
        }
        return sqlite3_bind_text(st, COL_MAC + 1, mac, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -EIO;
}

int installed_put(struct state_db *db, const struct installed_skill *s, struct error *err) {
        int r = validate(s, err);
        if (r < 0)
                return r;
        /* canonical JSON, so the bytes the MAC covers are the bytes stored */
        const size_t canon = JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY;
        _cleanup_free_ char *perms = s->permissions ? json_dumps(s->permissions, canon) : strdup("null");
        _cleanup_json_ json_t *mj = integrity_manifest_to_json(&s->manifest);
        _cleanup_free_ char *manifest = mj ? json_dumps(mj, canon) : NULL;
        if (!perms || !manifest)
                return error_set(err, -ENOMEM, "installed skill %s: encoding the record failed", s->name);
        if (strlen(manifest) > MANIFEST_JSON_MAX)
                return error_set(err, -E2BIG, "installed skill %s: the manifest is too large", s->name);
        struct record rec = { .installed_at = s->installed_at };
        set_text(&rec, COL_SKILLS_DIR, s->skills_dir);
        set_text(&rec, COL_NAME, s->name);
        set_text(&rec, COL_SOURCE, s->source);
        set_text(&rec, COL_VERSION, s->version);
        set_text(&rec, COL_VERDICT, s->verdict);
        set_text(&rec, COL_CHANNEL, s->channel);
        set_text(&rec, COL_PERMISSIONS, perms);
        set_text(&rec, COL_TREE_HASH, s->manifest.tree_hash);
        set_text(&rec, COL_MANIFEST, manifest);

        uint8_t key[INTEGRITY_KEY_BYTES];
        if ((r = integrity_key_load(key, err)) < 0)
                return r;
        char mac[MAC_HEX_BYTES];
        record_mac(key, &rec, mac);
        explicit_bzero(key, sizeof(key));

        sqlite3 *h = state_db_sqlite(db);
        if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
                return state_db_error(db, err, "recording an installed skill");
        {
                _cleanup_stmt_ sqlite3_stmt *st = NULL;
                if (sqlite3_prepare_v2(h,
                                       "INSERT OR REPLACE INTO installed (skills_dir, name, source, version, verdict, "
                                       "channel, permissions, installed_at, tree_hash, manifest, mac) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                       -1, &st, NULL) != SQLITE_OK ||
                    bind_record(st, &rec, mac) < 0 || sqlite3_step(st) != SQLITE_DONE)
                        r = state_db_error(db, err, "recording an installed skill");
        }
        if (r >= 0 && sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                r = state_db_error(db, err, "recording an installed skill");
        if (r < 0)
                sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        return r;
}

/* ---- reading -------------------------------------------------------------------------------- */

/* The stored bytes of a row; NULL or non-text where text belongs is a malformed record. */
static bool row_read(sqlite3_stmt *st, struct record *rec) {
        bool ok = true;
        for (enum column i = COL_SKILLS_DIR; i <= COL_MAC; i++) {
                if (i == COL_INSTALLED_AT) {
                        ok &= sqlite3_column_type(st, (int) i) == SQLITE_INTEGER;
                        rec->installed_at = sqlite3_column_int64(st, (int) i);
                        continue;
                }
                ok &= sqlite3_column_type(st, (int) i) == SQLITE_TEXT;
                const unsigned char *t = sqlite3_column_text(st, (int) i);
                rec->text[i] = t ? (const char *) t : "";
                rec->len[i] = t ? (size_t) sqlite3_column_bytes(st, (int) i) : 0;
                /* an embedded NUL would make the C string differ from what the MAC covered */
                ok &= t && memchr(t, '\0', rec->len[i]) == NULL;
        }
        return ok;
}

static bool mac_matches(const uint8_t key[INTEGRITY_KEY_BYTES], const struct record *rec) {
        char mac[MAC_HEX_BYTES];
        if (rec->len[COL_MAC] != MAC_HEX_BYTES - 1)
                return false;
        record_mac(key, rec, mac);
        return memeq_consttime(mac, rec->text[COL_MAC], MAC_HEX_BYTES - 1);
}

/* Fill s from a row, as far as it parses. 0 when all of it did, -EBADMSG when not (s still
 * holds what did), -ENOMEM. */
static int record_parse(const struct record *rec, struct installed_skill *s) {
        char **dst[] = { &s->skills_dir, &s->name, &s->source, &s->version, &s->verdict, &s->channel };
        for (size_t i = 0; i < ELEMENTSOF(dst); i++)
                if (!(*dst[i] = strndup(rec->text[i], rec->len[i])))
                        return -ENOMEM;
        s->installed_at = rec->installed_at;
        int r = 0;
        json_t *p = json_parse_strict(rec->text[COL_PERMISSIONS], rec->len[COL_PERMISSIONS], PERMISSIONS_JSON_MAX,
                                      NULL);
        if (json_is_object(p))
                s->permissions = p;
        else {
                if (!json_is_null(p))
                        r = -EBADMSG;
                json_decref(p);
        }
        _cleanup_json_ json_t *m = json_parse_strict(rec->text[COL_MANIFEST], rec->len[COL_MANIFEST],
                                                     MANIFEST_JSON_MAX, NULL);
        if (!m || integrity_manifest_from_json(m, &s->manifest, NULL) < 0)
                r = -EBADMSG;
        if (is_tree_hash(rec->text[COL_TREE_HASH]))
                memcpy(s->manifest.tree_hash, rec->text[COL_TREE_HASH], SHA256_HEX_BYTES);
        else
                r = -EBADMSG;
        return r;
}

int installed_get(struct state_db *db, const char *skills_dir, const char *name, struct installed_skill *ret,
                  struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(state_db_sqlite(db), SELECT_COLUMNS " WHERE skills_dir = ?1 AND name = ?2", -1, &st,
                               NULL) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, skills_dir, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK)
                return state_db_error(db, err, "reading installed skills");
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return 0;
        if (rc != SQLITE_ROW)
                return state_db_error(db, err, "reading installed skills");
        struct record rec = { 0 };
        bool well_formed = row_read(st, &rec);
        uint8_t key[INTEGRITY_KEY_BYTES];
        int r = integrity_key_load(key, err);
        if (r < 0)
                return r;
        bool ok = well_formed && mac_matches(key, &rec);
        explicit_bzero(key, sizeof(key));
        struct installed_skill s = { 0 };
        if (ok && (r = record_parse(&rec, &s)) == -ENOMEM) {
                installed_skill_done(&s);
                return -ENOMEM;
        }
        if (!ok || r < 0) {
                installed_skill_done(&s);
                return error_set(err, -EBADMSG,
                                 "the state database entry for %s was modified without the key; "
                                 "reinstall the skill (skilllite add --force) to trust it again",
                                 name);
        }
        *ret = s;
        return 1;
}

int installed_list(struct state_db *db, const char *skills_dir, struct installed_listed **ret, size_t *ret_n,
                   struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(state_db_sqlite(db),
                               skills_dir ? SELECT_COLUMNS " WHERE skills_dir = ?1 ORDER BY skills_dir, name"
                                          : SELECT_COLUMNS " ORDER BY skills_dir, name",
                               -1, &st, NULL) != SQLITE_OK ||
            (skills_dir && sqlite3_bind_text(st, 1, skills_dir, -1, SQLITE_STATIC) != SQLITE_OK))
                return state_db_error(db, err, "listing installed skills");
        struct installed_listed *v = NULL;
        size_t n = 0;
        uint8_t key[INTEGRITY_KEY_BYTES];
        bool have_key = false;
        int r = 0, rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (!have_key) {
                        if ((r = integrity_key_load(key, err)) < 0)
                                break;
                        have_key = true;
                }
                struct installed_listed *nv = reallocarray(v, n + 1, sizeof(*v));
                if (!nv) {
                        r = -ENOMEM;
                        break;
                }
                v = nv;
                v[n] = (struct installed_listed) { 0 };
                struct record rec = { 0 };
                bool ok = row_read(st, &rec) && mac_matches(key, &rec);
                int pr = record_parse(&rec, &v[n].s);
                n++;
                if (pr == -ENOMEM) {
                        r = -ENOMEM;
                        break;
                }
                v[n - 1].mac_ok = ok && pr == 0;
        }
        if (have_key)
                explicit_bzero(key, sizeof(key));
        if (r >= 0 && rc != SQLITE_DONE)
                r = state_db_error(db, err, "listing installed skills");
        /* the terminator: an entry with a NULL name */
        struct installed_listed *nv = r >= 0 ? reallocarray(v, n + 1, sizeof(*v)) : NULL;
        if (r >= 0 && !nv)
                r = -ENOMEM;
        if (r < 0) {
                installed_list_free(v, n);
                return r == -ENOMEM ? error_set(err, r, "listing installed skills: out of memory") : r;
        }
        v = nv;
        v[n] = (struct installed_listed) { 0 };
        *ret = v;
        *ret_n = n;
        return 0;
}

int installed_remove(struct state_db *db, const char *skills_dir, const char *name, struct error *err) {
        _cleanup_stmt_ sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(state_db_sqlite(db), "DELETE FROM installed WHERE skills_dir = ?1 AND name = ?2", -1,
                               &st, NULL) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, skills_dir, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
                return state_db_error(db, err, "removing an installed skill");
        return sqlite3_changes(state_db_sqlite(db)) > 0 ? 1 : 0;
}
