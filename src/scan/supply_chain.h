/* The supply-chain audit of a skill's dependencies: the bundled malicious-package list, the
 * typosquat check and the offline advisory database give each dependency a status and add
 * "supply_chain" findings. Without a database nothing is "clean": unknown is not clean. */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "advisory_db.h"
#include "deps.h"
#include "finding.h"

/* Ordered: a dependency gets the highest status any check gives it. */
enum supply_status {
        SUPPLY_UNKNOWN,          /* no database, or it has nothing for this ecosystem */
        SUPPLY_CLEAN,            /* the database answered and nothing matched */
        SUPPLY_MAYBE_VULNERABLE, /* not pinned, and the spec admits an affected version */
        SUPPLY_TYPOSQUAT,        /* a near-copy of a popular package's name */
        SUPPLY_VULNERABLE,       /* the pinned or locked version is affected */
        SUPPLY_MALICIOUS,        /* bundled list or a malicious-package advisory */
};
const char *supply_status_to_string(enum supply_status s); /* "unknown", "clean", "maybe_vulnerable", ... */

/* The popular package that `name` (normalised) imitates, or NULL: Damerau-Levenshtein distance 1
 * (names of 5+ characters), the same skeleton once separators are dropped and 0/o, 1/l/i are
 * folded, or a popular name with a decoration added ("python-", "py", "-py" for PyPI; "node-",
 * "js-", ".js", "-js", "js" for npm). Popular and known-legit names are never typosquats, nor
 * are npm names in a scope that a popular package lives in (scopes have owners). */
const char *supply_typosquat_target(enum dep_ecosystem eco, const char *name);

/* What an online source (the OSV API, advisory_online.h: full binary only) says about each
 * dependency. v[i] answers deps->v[i]. An unanswered dependency may still carry the advisories that
 * were fetched before the failure: they count, but the dependency is never "clean". */
struct supply_answer {
        bool answered;                   /* the source gave a complete answer for this dependency */
        char *note;                      /* why not, when !answered */
        struct advisory_list advisories; /* advisories naming the dependency's package */
};
struct supply_online {
        struct supply_answer *v;
        size_t n;
        char *source; /* shown in the report (the API's URL), may be NULL */
};
void supply_online_done(struct supply_online *o);

/* Audit every dependency. db may be NULL (no database). Findings go to f; *ret_report is
 * {"database": {"path", "advisories", "ecosystems": {...}, ...} | null,
 *  "dependencies": [{...deps_to_json() fields..., "status", "advisories": [ids], "typosquat_of"?}]}.
 * 0 or -ENOMEM; a database that fails to answer is a finding, not an error. */
int supply_chain_audit(const struct dependencies *deps, struct advisory_db *db, struct findings *f,
                       json_t **ret_report);
/* The same with the answers of an online source (NULL = offline only, as supply_chain_audit). A
 * dependency is answered when the database has data for its ecosystem or the source answered; it
 * is malicious/vulnerable/... when either says so; an unanswered online query keeps it from
 * "clean" (it stays "unknown" unless something worse was found) and adds a "note" to its entry.
 * The report gains "online": {"source", "answered", "unanswered"}. */
int supply_chain_audit_online(const struct dependencies *deps, struct advisory_db *db,
                              const struct supply_online *online, struct findings *f, json_t **ret_report);
