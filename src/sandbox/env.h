/* Dependency environments: a skill's requirements.txt (and packages named in SKILL.md
 * `compatibility`) become a Python venv, its package.json (+ lockfile) a node_modules tree. One
 * environment per key = hash(language, runtime, index, normalised requirements), shared by every
 * skill with the same needs, stored in ~/.cache/skilllite/envs/ (SKILLLITE_ENV_DIR). Builds run
 * inside the sandbox with network only to the package index and no install scripts; a build
 * happens in a temp dir under a lock and only a completed build is renamed into place. At run
 * time the environment is mounted read-only (policy/plan.h: run_options.env_python/env_node). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../base/sha256.h"
#include "../policy/host.h"
#include "../policy/plan.h"
#include "../skill/skill.h"

#define ENV_DIR_VAR "SKILLLITE_ENV_DIR"
#define ENV_DEFAULT_PIP_INDEX "https://pypi.org/simple"
#define ENV_PYPI_FILES_HOST "files.pythonhosted.org" /* where pypi.org's index links point */
#define ENV_DEFAULT_NPM_REGISTRY "https://registry.npmjs.org/"
#define ENV_URL_MAX 2048                 /* of an index URL */
#define ENV_RUNTIME_MAX 256              /* of an interpreter's --version answer */
#define ENV_NAME_MAX 80                  /* "python-<64 hex>" + NUL fits */
#define ENV_BUILD_TIMEOUT_SECS 900       /* default; SKILLLITE_ENV_BUILD_TIMEOUT_SECS */
#define ENV_BUILD_MEMORY_MB 2048
#define ENV_BUILD_PROCS 64
#define ENV_BUILD_FSIZE_BYTES (4ULL << 30) /* a single file (native libraries can be large) */
#define ENV_BUILD_NET_MAX_MB 8192
#define ENV_BUILD_NET_MAX_REQUESTS 65536 /* big npm trees: a packument and a tarball per package */
#define ENV_LOG_TAIL 1500                /* bytes of the installer's output kept in an error */

enum env_lang { ENV_PYTHON, ENV_NODE };
const char *env_lang_to_string(enum env_lang l); /* "python", "node" */

/* ---- what an environment holds (pure: env_key.c) -------------------------------------------- */

struct env_req {
        char *name; /* PyPI: PEP 503-normalised; npm: lower-case, "@scope/name" kept */
        char *spec; /* the constraint ("" = any); npm lock entries: the exact version */
};

struct env_spec {
        enum env_lang lang;
        char *runtime;          /* "<canonical interpreter path> <its --version answer>" */
        char *index;            /* package index URL, credentials removed (what the key covers) */
        bool allow_sdist;       /* pip may build source distributions (SKILLLITE_PIP_ALLOW_SDIST) */
        struct env_req *reqs;   /* requirements: sorted, unique after env_spec_finish() */
        size_t n_reqs;
        struct env_req *locked; /* npm lockfile entries (name, exact version): sorted, unique */
        size_t n_locked;
        char *lockfile;         /* npm: the lockfile's bytes, copied into the build; NULL if none */
        size_t lockfile_len;
        char *lockfile_name;    /* "package-lock.json" or "npm-shrinkwrap.json" */
        char name[ENV_NAME_MAX]; /* "<lang>-<key hex>", set by env_spec_finish() */
};

/* Add a requirement (locked: an npm lockfile entry). The name is checked (PEP 508 / npm name
 * characters) and normalised; the spec must not hold control characters. 0, -EINVAL, -ENOMEM. */
int env_spec_add(struct env_spec *s, bool locked, const char *name, const char *spec);
/* Sort and de-duplicate the lists, then compute the key and s->name. lang, runtime and index
 * must be set. 0, -EINVAL or -ENOMEM. */
int env_spec_finish(struct env_spec *s);
void env_spec_done(struct env_spec *s);
/* The key: SHA-256 over length-prefixed records (a version tag, language, runtime, index, sdist
 * policy, then each list's count and its (name, spec) pairs), so that no two different specs
 * share an input ("a" + "bc" vs "ab" + "c"). Order-independent once finished. */
int env_key(const struct env_spec *s, char out[SHA256_HEX_BYTES]);
/* A requirement as pip reads it from a requirements file ("name>=1,<2"). Fresh string or NULL. */
char *env_req_pip_line(const struct env_req *r);

/* The index URL of a language from the environment (PIP_INDEX_URL; NPM_CONFIG_REGISTRY, then
 * npm_config_registry), or the default. Points into the environment or a constant. */
const char *env_index_url(enum env_lang lang);
/* What the build may reach for an index URL (http or https only): the network grant list
 * ("pypi.org,files.pythonhosted.org", "127.0.0.1:8080", "[::1]:3141", "mirror.example") and
 * whether every granted host is a literal loopback address (127/8, ::1: only then may the build's
 * proxy connect to loopback). ret_public: the URL without user:password@ (fresh). */
int env_index_grants(const char *url, char **ret_grants, bool *ret_loopback, char **ret_public,
                     struct error *err);

/* ---- progress (for a terminal; library code never prints) ----------------------------------- */

enum env_event {
        ENV_EVENT_WAITING,  /* another process is building the same environment: waiting for it */
        ENV_EVENT_BUILDING, /* this process starts building */
        ENV_EVENT_BUILT,    /* done: elapsed_ms set */
        ENV_EVENT_FAILED,   /* the build failed (the error follows in struct error) */
};

struct env_progress {
        enum env_event event;
        enum env_lang lang;
        const char *name;   /* "python-<key>" */
        size_t n_packages;  /* requirements listed */
        uint64_t elapsed_ms;
};

typedef void (*env_progress_fn)(const struct env_progress *p, void *userdata);

/* ---- preparing a skill's environments (env.c) ----------------------------------------------- */

struct env_options {
        const char *root;          /* NULL: $SKILLLITE_ENV_DIR, else ~/.cache/skilllite/envs */
        bool no_build;             /* only look up: a missing environment is -ENOENT */
        env_progress_fn progress;  /* may be NULL */
        void *userdata;
};

/* The environments a skill uses. Paths are host paths of completed environments. */
struct env_ref {
        char *python_dir; /* a venv (bin/python, lib/python3.X/site-packages), or NULL */
        char *node_dir;   /* holds node_modules/, or NULL */
        char python_name[ENV_NAME_MAX];
        char node_name[ENV_NAME_MAX];
};
void env_ref_done(struct env_ref *r);
/* Point the run options at the environments (the strings stay owned by ref). */
void env_ref_apply(const struct env_ref *r, struct run_options *o);

/* The specs of what the skill needs: 0 when it needs nothing, else a bit mask (1 << ENV_PYTHON,
 * 1 << ENV_NODE) of the specs filled in ret[ENV_PYTHON] / ret[ENV_NODE]. Reads requirements.txt
 * (with its -r/-c includes), package.json, package-lock.json / npm-shrinkwrap.json at the top of
 * the skill and `compatibility`, through the scanner's dependency extraction. A dependency from a
 * URL, VCS or path is -EINVAL (environments install only from the index). root: for the cache of
 * interpreter versions (may be NULL: no cache). */
int env_skill_specs(const struct skill *s, const struct host_caps *host, const char *root,
                    struct env_spec ret[2], struct error *err);

/* Find, or build, the skill's environments. Returns 0 with ret empty when the skill has no
 * dependencies, 1 with ret filled when its environments are ready, or -errno with err set (the
 * build failed: nothing was stored; -ENOENT with no_build when one is missing; -EINVAL for a
 * dependency the builder refuses). The sandbox must be available (host->userns, Landlock,
 * seccomp): builds always run isolated. */
int env_prepare(const struct skill *s, const struct host_caps *host, const struct env_options *o,
                struct env_ref *ret, struct error *err);

/* The environment root directory, created 0700 when create is set. Fresh string in *ret. */
int env_root(const char *explicit_root, bool create, char **ret);

/* ---- the store (env.c), for clean-env ------------------------------------------------------- */

struct env_entry {
        char *name;    /* directory name under the root */
        uint64_t bytes; /* regular files' sizes */
        bool complete; /* "<lang>-<key>": a finished environment; else a leftover temp/trash dir */
};

struct env_list {
        struct env_entry *v;
        size_t n;
};
/* Every environment and leftover in root, sorted by name. A missing root is an empty list. */
int env_list(const char *root, struct env_list *ret, struct error *err);
void env_list_done(struct env_list *l);
/* Remove one entry of env_list() under its lock: 1 removed, 0 skipped because a build holds its
 * lock, or -errno. An environment is renamed away first, so nobody finds a half-deleted one. */
int env_remove(const char *root, const char *name, struct error *err);

/* ---- the sandboxed build (env_build.c) ------------------------------------------------------ */

/* Build spec into root/<spec->name>: temp dir, sandboxed installer, tree finalised (owned by the
 * engine, no group/other write, no special files), renamed into place. The caller holds the
 * lock. On failure the temp dir is removed and err holds the installer's last output. */
int env_build(const char *root, const struct env_spec *spec, const struct host_caps *host, struct error *err);
/* rm -rf that first opens up directories an installer left without write or search permission
 * (an unprivileged engine's sandbox user is the engine's own uid). 0 or -errno. */
int env_rm_tree(const char *path);
