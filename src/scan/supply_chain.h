/* The supply-chain audit of a skill's dependencies: the bundled malicious-package list, the
 * typosquat check and the offline advisory database give each dependency a status and add
 * "supply_chain" findings. Without a database nothing is "clean": unknown is not clean. */
#pragma once

#include <jansson.h>

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

/* Audit every dependency. db may be NULL (no database). Findings go to f; *ret_report is
 * {"database": {"path", "advisories", "ecosystems": {...}, ...} | null,
 *  "dependencies": [{...deps_to_json() fields..., "status", "advisories": [ids], "typosquat_of"?}]}.
 * 0 or -ENOMEM; a database that fails to answer is a finding, not an error. */
int supply_chain_audit(const struct dependencies *deps, struct advisory_db *db, struct findings *f,
                       json_t **ret_report);
