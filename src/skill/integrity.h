/* Integrity of installed skills: a manifest of every entry of the skill (path, type, mode, size,
 * content digest; nothing excluded - bytecode, __pycache__ and node_modules included), the tree
 * hash over it (the same digest as skill_hash_dir(), so approvals and integrity agree), and the
 * installed-skills records in the state DB, each authenticated with an HMAC-SHA256 under a per-user
 * key (created on first use, 0600, next to the state DB). A record edited without the key - a
 * changed hash, name, path or permission - fails its MAC and is refused like a tampered skill.
 * Library code: no output. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../base/sha256.h"
#include "state_db.h"

#define INTEGRITY_KEY_BYTES 32

enum integrity_type {
        INTEGRITY_DIR = 'd',
        INTEGRITY_FILE = 'f',
        INTEGRITY_LINK = 'l', /* a symlink that stays inside the skill (others are refused) */
};

struct integrity_entry {
        char *path;     /* relative to the skill directory, "/"-separated; in walk order: pre-order,
                         * siblings sorted bytewise (= bytewise with '/' below every other byte) */
        char type;      /* enum integrity_type */
        uint32_t mode;  /* permission bits (07777) */
        uint64_t size;  /* FILE: bytes; LINK: target length; DIR: 0 */
        char digest[SHA256_HEX_BYTES]; /* FILE: sha256 of the content; LINK: of the target; DIR: "" */
};

struct integrity_manifest {
        struct integrity_entry *v;
        size_t n;
        char tree_hash[SHA256_HEX_BYTES]; /* == skill_hash_dir() of the same tree */
};
void integrity_manifest_done(struct integrity_manifest *m);

/* Walk the tree below dirfd (symlinks never followed) under the skill_hash.h caps. Refuses
 * (-EPERM, err naming the entry) a symlink whose target is absolute or leaves the skill (or has a
 * ".." after a name, which another link could turn into a way out), a device, FIFO or socket;
 * and (-EILSEQ) a name that is not UTF-8, which the JSON record could not hold. 0 or -errno with
 * err set. */
int integrity_manifest_build(int dirfd, struct integrity_manifest *ret, struct error *err);
/* [{"path", "type", "mode", "size", "digest"}] and back (for the state DB). from_json validates
 * every field and returns -EBADMSG on anything malformed. */
json_t *integrity_manifest_to_json(const struct integrity_manifest *m);
int integrity_manifest_from_json(const json_t *j, struct integrity_manifest *ret, struct error *err);

/* What differs between the recorded manifest and the tree now, sorted by path:
 * [{"path", "change": "modified" | "added" | "removed" | "type" | "mode"}]; an empty array when
 * they are the same. NULL on ENOMEM. */
json_t *integrity_compare(const struct integrity_manifest *recorded, const struct integrity_manifest *now);

/* ---- installed-skills records ----------------------------------------------------------- */

struct installed_skill {
        char *skills_dir;   /* absolute, canonical (realpath) */
        char *name;         /* the validated SKILL.md name == the directory name */
        char *source;       /* what `add` was given (credentials removed) */
        char *version;      /* metadata version, or "" */
        char *verdict;      /* the scan verdict approved at install ("safe".."high") */
        char *channel;      /* how it was approved: "tty", "flag", "env", "init" */
        json_t *permissions;/* {"network": [...], "exec": [...], "requests": [...]} as shown */
        int64_t installed_at;
        struct integrity_manifest manifest; /* its tree_hash is the record's tree hash */
};
void installed_skill_done(struct installed_skill *s);

/* Record (insert or replace) s, with its MAC, in one transaction. skills_dir must be absolute,
 * name a single path component; NULL source/version/verdict/channel are stored as "", NULL
 * permissions as null. 0 or -errno with err set (-EINVAL on a malformed s). */
int installed_put(struct state_db *db, const struct installed_skill *s, struct error *err);
/* 1 with *ret filled, 0 when there is no record, -EBADMSG when the record fails its MAC or does
 * not parse (err says so: "the state database entry for X was modified without the key"), other
 * -errno with err set. */
int installed_get(struct state_db *db, const char *skills_dir, const char *name, struct installed_skill *ret,
                  struct error *err);
/* Every record of skills_dir (NULL: of every directory), sorted by (skills_dir, name), as a
 * NULL-name-terminated array the caller frees with installed_list_free(). Records failing their
 * MAC are returned with mac_ok false rather than dropped, so `list` and `verify` can show them. */
struct installed_listed {
        struct installed_skill s;
        bool mac_ok;
};
int installed_list(struct state_db *db, const char *skills_dir, struct installed_listed **ret, size_t *ret_n,
                   struct error *err);
void installed_list_free(struct installed_listed *v, size_t n);
/* 1 when a record was removed, 0 when there was none. */
int installed_remove(struct state_db *db, const char *skills_dir, const char *name, struct error *err);

/* ---- verification ----------------------------------------------------------------------- */

enum integrity_status {
        INTEGRITY_OK,          /* recorded and unchanged */
        INTEGRITY_NOT_INSTALLED, /* no record: not an installed skill */
        INTEGRITY_CHANGED,     /* files differ: changes lists them */
        INTEGRITY_BAD_RECORD,  /* the record fails its MAC (edited without the key) */
};

struct integrity_result {
        enum integrity_status status;
        json_t *changes; /* CHANGED: integrity_compare() output; else NULL */
        char tree_hash[SHA256_HEX_BYTES]; /* of the tree now ("" when not computed) */
};
void integrity_result_done(struct integrity_result *r);
/* "ok", "not_installed", "changed", "bad_record" (the JSON form) */
const char *integrity_status_to_string(enum integrity_status s);

/* Verify the skill at skill_dir against its record: skills_dir = realpath of its parent, name =
 * its directory name. 0 with *ret filled (whatever the status), or -errno with err set when it
 * cannot be decided (unreadable tree, DB error, or a tree that now holds what
 * integrity_manifest_build() refuses: -EPERM naming it) - callers refuse to run then. */
int integrity_verify_dir(struct state_db *db, const char *skill_dir, struct integrity_result *ret,
                         struct error *err);

/* The key: read it, or create it (32 bytes from getrandom, 0600, O_EXCL so two first runs agree
 * on one key) as state.key in the state DB's directory. A key file that is not a regular file of
 * exactly 32 bytes owned by us with no group/other bits is refused (-EPERM). 0 or -errno with
 * err set. Public for the tests. */
int integrity_key_load(uint8_t key[INTEGRITY_KEY_BYTES], struct error *err);
