/* Shared state and helpers of the dependency readers (deps.c, deps_python.c, deps_pyproject.c,
 * deps_npm.c, deps_compat.c). Not a public interface: deps.h is. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/macros.h"
#include "deps.h"

#define DEP_F_INDIRECT (1u << 0)  /* a transitive lockfile entry */
#define DEP_F_DEV (1u << 1)
#define DEP_F_URL (1u << 2)       /* spec is a URL / VCS / path, not a version range */
#define DEP_F_LOCKED (1u << 3)    /* spec is the exact locked version */
#define DEP_F_BARE_EXACT (1u << 4) /* a bare PEP 440 version means "==" (Poetry) */
#define DEP_F_KEEP_BLANKS (1u << 5) /* collapse blanks in spec instead of removing them */
#define DEP_F_CONSTRAINT (1u << 6) /* goes to the constraints list, not to the dependencies */

#define DEP_SPEC_MAX 4096 /* a longer spec or URL is a finding, not a dependency */

struct deps_ctx {
        const struct scan_files *files;
        struct findings *f;
        struct dependencies deps;
        uint32_t *slots;          /* open-addressing set over deps (index + 1; 0 = empty) */
        size_t nslots;
        bool limit_reported;
        char **visited;           /* requirement files read: "r:path" or "c:path" */
        size_t n_visited;
        struct dependencies constraints; /* entries of -c files (they pin, they do not add) */
};

/* Add one dependency (see deps.h for the fields). name and spec are spans of untrusted bytes:
 * the name is checked and normalised for its ecosystem, the spec normalised; a bad name or spec
 * becomes a low finding. Duplicates and entries past DEPS_MAX are dropped (the cap once as a
 * finding). Returns 0 or -ENOMEM. */
int deps_add(struct deps_ctx *c, enum dep_ecosystem eco, const char *name, size_t name_len, const char *spec,
             size_t spec_len, const char *file, uint32_t line, unsigned flags);
/* A "supply_chain" finding; the message is made valid UTF-8. 0 or -ENOMEM. */
int deps_finding(struct deps_ctx *c, const char *rule_id, enum severity sev, const char *file, uint32_t line,
                 const char *snippet, size_t snippet_len, const char *fmt, ...) _printf_(8, 9);
/* A valid package name of the ecosystem (PEP 508 name; npm "[@scope/]name")? */
bool deps_name_ok(enum dep_ecosystem eco, const char *s, size_t n);
/* The file of the skill at path (relative, '/'-separated), or NULL. */
const struct scan_file *deps_find_file(const struct deps_ctx *c, const char *path);

/* A PEP 508 requirement "name [extras] (spec | @ url) [; marker]". Spans point into the input. */
struct pep508 {
        const char *name;
        size_t name_len;
        const char *spec; /* version clauses (parentheses removed) or the URL; may be empty */
        size_t spec_len;
        bool is_url;
};
/* Parse s[0..n) as a whole; 0 or -EINVAL. */
int pep508_parse(const char *s, size_t n, struct pep508 *ret);
/* Add a PEP 508 string found in file at line: a URL requirement becomes a finding plus a url
 * dependency, an unparsable one a low finding. 0 or -ENOMEM. */
int deps_add_pep508(struct deps_ctx *c, const char *s, size_t n, const char *file, uint32_t line, unsigned flags);
/* A PyPI dependency installed from url (spec "@ url", flag DEP_F_URL). 0 or -ENOMEM. */
int deps_add_pypi_url(struct deps_ctx *c, const char *name, size_t name_len, const char *url, size_t url_len,
                      const char *file, uint32_t line, unsigned flags);
/* The "dependency from a URL/VCS/path" finding. */
int deps_url_finding(struct deps_ctx *c, const char *file, uint32_t line, const char *snippet, size_t snippet_len,
                     const char *what, size_t what_len);

/* Readers, one per manifest kind. Each returns 0 or -ENOMEM. */
int deps_read_requirements(struct deps_ctx *c, const struct scan_file *x);
int deps_read_setup_py(struct deps_ctx *c, const struct scan_file *x);
int deps_read_setup_cfg(struct deps_ctx *c, const struct scan_file *x);
int deps_read_pyproject(struct deps_ctx *c, const struct scan_file *x);
int deps_read_package_json(struct deps_ctx *c, const struct scan_file *x);
int deps_read_npm_lock(struct deps_ctx *c, const struct scan_file *x);
int deps_read_compat(struct deps_ctx *c, const char *text);
/* Requirements-file syntax from another manifest (setup.cfg "file:" values). */
int deps_include_requirements(struct deps_ctx *c, const char *from_file, uint32_t line, const char *path,
                              size_t path_len);
