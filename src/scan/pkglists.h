/* Package lists bundled with the scanner (pkglists.c): known-malicious packages and compromised
 * releases, the most-downloaded packages (what a typosquat imitates), and legitimate packages whose
 * names happen to sit next to a popular one. Every list is sorted (strcmp) and binary-searched;
 * names are stored as dependencies carry them (PyPI: PEP 503, npm: lower case). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "deps.h"

struct pkg_malicious {
        const char *name;
        const char *versions; /* "*" = every version, else blank-separated exact versions */
        const char *note;     /* what it was and who reported it, for the finding */
};

const struct pkg_malicious *pkglist_malicious_find(enum dep_ecosystem eco, const char *name);
/* Does the entry cover this exact version? ("*" covers everything, also NULL = unknown) */
bool pkglist_malicious_covers(const struct pkg_malicious *m, enum dep_ecosystem eco, const char *version);
/* Popular (a typosquat target) - never itself a typosquat. */
bool pkglist_is_popular(enum dep_ecosystem eco, const char *name);
/* A known legitimate near-neighbour of a popular name ("pyaml" beside "pyyaml"). */
bool pkglist_is_legit(enum dep_ecosystem eco, const char *name);

/* The whole lists, for the typosquat scan and the tests. */
const char *const *pkglist_popular(enum dep_ecosystem eco, size_t *ret_n);
const char *const *pkglist_legit(enum dep_ecosystem eco, size_t *ret_n);
const struct pkg_malicious *pkglist_malicious(enum dep_ecosystem eco, size_t *ret_n);
