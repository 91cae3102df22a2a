/* Dependency extraction for the supply-chain audit: every package a skill declares, from
 * requirements*.txt (with -r/-c includes), pyproject.toml, setup.py/setup.cfg, package.json,
 * package-lock.json / npm-shrinkwrap.json and explicit install lines in SKILL.md's
 * `compatibility` text. Nothing is executed, fetched or resolved: declarations are read from the
 * files scan_discover() already loaded. What cannot be audited (URL/VCS/path sources, custom
 * indexes, unreadable includes) becomes a "supply_chain" finding. Pure code, no I/O. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "files.h"
#include "finding.h"

#define DEPS_MAX 2000                /* dependencies kept per skill; more is a finding */
#define DEP_NAME_MAX 214             /* npm's limit, used for both ecosystems */
#define DEPS_INCLUDE_MAX_DEPTH 8     /* nested -r / -c includes of requirements files */
#define DEPS_COMPAT_MAX_BYTES 65536  /* of the compatibility text that is read */

enum dep_ecosystem { DEP_PYPI, DEP_NPM };

struct dependency {
        enum dep_ecosystem eco;
        char *name;     /* PyPI: PEP 503 normalised (lower-case, runs of -_. -> "-"); npm: as
                         * written (scoped "@a/b" kept), lower-cased */
        char *spec;     /* the constraint as written, whitespace-normalised (PyPI: blanks removed;
                         * npm: runs of blanks -> one space); "" = any version. For url entries the
                         * source ("@ git+https://..." for PyPI, the npm spec as written); for lock
                         * entries the locked version */
        char *version;  /* exact version when pinned ("==1.2.3", "===x", npm "1.2.3"/"=1.2.3") or
                         * locked (lockfile); NULL otherwise */
        char *file;     /* where it was declared ("requirements.txt", "sub/package-lock.json",
                         * "SKILL.md" for the compatibility text) */
        uint32_t line;  /* 1-based; 0 when unknown */
        bool direct;    /* false for transitive entries of a lockfile */
        bool dev;       /* devDependencies, Poetry dev groups, lockfile "dev": true */
        bool url;       /* from a URL, VCS, local path or alias: spec is not a version range */
};

struct dependencies {
        struct dependency *v;
        size_t n, cap;
};

/* Every dependency the skill declares, deduplicated on (ecosystem, name, spec, file).
 * compatibility = SKILL.md's free-text `compatibility` field (may be NULL). Problems become
 * findings in f (category "supply_chain"). out must be zero-initialised and is written only on
 * success. Returns 0 or -ENOMEM. */
int deps_extract(const struct scan_files *files, const char *compatibility, struct dependencies *out,
                 struct findings *f);
void deps_done(struct dependencies *d);
/* [{"ecosystem":"PyPI"|"npm","name","spec","version"|null,"file","line","direct","dev","url"}];
 * NULL on allocation failure. */
json_t *deps_to_json(const struct dependencies *d);
const char *dep_ecosystem_to_string(enum dep_ecosystem e); /* OSV names: "PyPI", "npm" */
