/* The offline advisory database: OSV advisories for PyPI and npm kept in SQLite, imported from a
 * directory of OSV JSON files, one file, or the all.zip OSV publishes per ecosystem, and evaluated
 * against a dependency's version or version spec (OSV range semantics). Library code: no output. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../base/macros.h"
#include "deps.h"

/* Caps on untrusted input (the files being imported, the rows read back). */
#define ADVISORY_FILE_MAX (4u << 20)               /* one advisory document */
#define ADVISORY_IMPORT_DOCS_MAX 2000000u          /* documents (files, zip entries) per import */
#define ADVISORY_ZIP_ENTRIES_MAX 2000000u          /* entries of any kind in one zip */
#define ADVISORY_IMPORT_BYTES_MAX (16ull << 30)    /* decompressed bytes read by one import */
#define ADVISORY_DIR_DEPTH_MAX 16                  /* nesting of an imported directory tree */
#define ADVISORY_ID_MAX 128
#define ADVISORY_NAME_MAX 256                      /* package name */
#define ADVISORY_SUMMARY_MAX 1024                  /* bytes kept of summary (or details) */
#define ADVISORY_ALIASES_MAX 64
#define ADVISORY_AFFECTED_MAX 4096                 /* affected[] entries of one advisory */
#define ADVISORY_RANGES_MAX 256                    /* ranges of one affected[] entry */
#define ADVISORY_EVENTS_MAX 256                    /* events of one range */
#define ADVISORY_VERSIONS_MAX 65536                /* versions[] of one package */
#define ADVISORY_LOOKUP_MAX 8192                   /* advisories returned for one package */

#define ADVISORY_ECOSYSTEMS 2 /* DEP_PYPI, DEP_NPM: the ecosystems stored; others are ignored */

enum {
        ADVISORY_DB_READONLY = 0,
        ADVISORY_DB_WRITE = 1 << 0, /* create the file (0600) and its directories (0700) */
};

struct advisory_db;

/* $SKILLLITE_ADVISORY_DB, else $XDG_DATA_HOME/skilllite/advisories.db, else
 * ~/.local/share/skilllite/advisories.db. 0 or -errno (no usable HOME). */
int advisory_db_default_path(char **ret_path, struct error *err);

/* Open (and with ADVISORY_DB_WRITE create) the database. Read-only on a missing file: -ENOENT.
 * A file that is not an advisory database of this schema version: -EPROTO. */
int advisory_db_open(const char *path, unsigned flags, struct advisory_db **ret_db, struct error *err);
struct advisory_db *advisory_db_close(struct advisory_db *db); /* returns NULL */
static inline void advisory_db_closep(struct advisory_db **db) {
        *db = advisory_db_close(*db);
}
#define _cleanup_advisory_db_ _cleanup_(advisory_db_closep)
const char *advisory_db_path(const struct advisory_db *db);

struct advisory_db_status {
        uint64_t advisories;                          /* stored ids */
        uint64_t malicious;                           /* of which malicious-package reports */
        uint64_t ecosystem[ADVISORY_ECOSYSTEMS];      /* ids naming a package of the ecosystem */
        uint64_t packages[ADVISORY_ECOSYSTEMS];       /* distinct packages per ecosystem */
        int64_t last_import;                          /* unix time, 0 = never */
        char last_source[256];                        /* what the last import read, "" = never */
};
int advisory_db_status(struct advisory_db *db, struct advisory_db_status *ret, struct error *err);
/* {"path", "advisories", "malicious", "ecosystems": {"PyPI": n, "npm": n}, "packages": {...},
 *  "last_import": unix time or null, "last_import_source"} */
json_t *advisory_db_status_to_json(const struct advisory_db *db, const struct advisory_db_status *s);

/* ---- import ---------------------------------------------------------------------------------- */

struct advisory_import_stats {
        size_t documents;  /* JSON documents read */
        size_t imported;   /* ids new to the database */
        size_t replaced;   /* ids already stored with another `modified`: replaced whole */
        size_t unchanged;  /* ids already stored with the same `modified` */
        size_t withdrawn;  /* withdrawn advisories (removed when stored) */
        size_t ignored;    /* valid OSV, but about no PyPI or npm package */
        size_t malformed;  /* not OSV, over ADVISORY_FILE_MAX, unsafe zip name: skipped */
        size_t ecosystem[ADVISORY_ECOSYSTEMS]; /* imported + replaced, per ecosystem named */
};

/* The reading half of an import (advisory_source.c), without SQLite: every JSON document of path
 * - a directory tree walked for *.json (hidden entries and symlinks skipped, at most
 * ADVISORY_DIR_DEPTH_MAX deep), a zip (by content or a ".zip" name), or one JSON file - is handed
 * to fn with its name inside the source. Documents over ADVISORY_FILE_MAX and zip entries with an
 * absolute name or a ".." component are skipped and counted in *skipped. fn returns 0 to go on
 * or -errno to stop. 0, or -errno with err set (unreadable input, corrupt zip, -E2BIG over a cap
 * of the whole import, or fn's code). */
typedef int (*advisory_doc_fn)(void *userdata, const char *name, const char *data, size_t len);
int advisory_source_read(const char *path, advisory_doc_fn fn, void *userdata, size_t *skipped,
                         struct error *err);

/* Import path (a directory walked for *.json, a zip, or one JSON file) in one transaction: the
 * import lands whole or not at all. Malformed advisories are counted, never fatal; I/O errors,
 * a corrupt zip or a cap on the whole import (-E2BIG) are, and roll everything back. */
int advisory_db_import(struct advisory_db *db, const char *path, struct advisory_import_stats *ret_stats,
                       struct error *err);

/* ---- lookup and evaluation ------------------------------------------------------------------ */

struct advisory {
        char *id;
        char *modified;
        char *summary;  /* "" when the advisory has none */
        char *severity; /* "low", "medium", "high", "critical", or NULL when not derivable */
        char *cvss;     /* the CVSS vector string, or NULL */
        json_t *aliases;  /* array of strings */
        bool malicious;   /* a malicious-package report (MAL-..., or the database says so) */
        json_t *ranges;   /* [{"type": "ECOSYSTEM"|"SEMVER", "events": [{"introduced": "0"}, ...]}] */
        json_t *versions; /* ["1.0", ...] */
};

struct advisory_list {
        struct advisory *v;
        size_t n, cap;
};
void advisory_list_done(struct advisory_list *l);

/* Advisories naming package `name` (normalised here: PEP 503 for PyPI, lower case for npm), in id
 * order, appended to *l. 0 or -errno. */
int advisory_lookup(struct advisory_db *db, enum dep_ecosystem eco, const char *name,
                    struct advisory_list *l, struct error *err);

/* Name as stored: PEP 503 for PyPI (lower case, runs of "-_." become "-"), lower case for npm.
 * NULL on allocation failure. */
char *advisory_normalize_name(enum dep_ecosystem eco, const char *name);

/* Is this exact version affected? 1, 0, or -EINVAL when it cannot be decided (a version or a
 * range boundary that does not parse) - callers must not read -EINVAL as "not affected". */
int advisory_affects_version(const struct advisory *a, enum dep_ecosystem eco, const char *version);
/* May a version allowed by spec ("" = any) be affected? An approximation (see advisory_match.c):
 * 1 when some candidate version - each range boundary, each listed version, each version named
 * in spec - is both affected and allowed by spec; 0 otherwise; -EINVAL when the spec or a range
 * cannot be read (not "no"). */
int advisory_affects_spec(const struct advisory *a, enum dep_ecosystem eco, const char *spec);
/* True when every version is affected (a range whose only events are `introduced: 0`). */
bool advisory_affects_all(const struct advisory *a);
