/* The dependency list (deps.h): adding with name checks, normalisation, de-duplication and the
 * DEPS_MAX cap, the JSON form, and deps_extract(), which hands each manifest to its reader. */
#include "deps.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "deps_internal.h"
#include "version.h"

const char *dep_ecosystem_to_string(enum dep_ecosystem e) {
        return e == DEP_NPM ? "npm" : "PyPI";
}

int deps_finding(struct deps_ctx *c, const char *rule_id, enum severity sev, const char *file, uint32_t line,
                 const char *snippet, size_t snippet_len, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        va_start(ap, fmt);
        int k = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        /* names and URLs in the message come from the skill: keep the report valid UTF-8 */
        _cleanup_json_ json_t *clean = json_stringn_lossy(msg, (size_t) k);
        if (!clean)
                return -ENOMEM;
        return findings_add(c->f, rule_id, sev, "supply_chain", file, line, 0, snippet, snippet_len, "%s",
                            json_string_value(clean));
}

int deps_url_finding(struct deps_ctx *c, const char *file, uint32_t line, const char *snippet, size_t snippet_len,
                     const char *what, size_t what_len) {
        return deps_finding(c, "dep.source.url", SEV_MEDIUM, file, line, snippet, snippet_len,
                            "dependency from a URL/VCS/path is not audited: %.*s",
                            (int) (what_len > 160 ? 160 : what_len), what);
}

const struct scan_file *deps_find_file(const struct deps_ctx *c, const char *path) {
        for (size_t i = 0; i < c->files->n; i++)
                if (streq(c->files->v[i].path, path))
                        return &c->files->v[i];
        return NULL;
}

/* ---- names and specs ------------------------------------------------------------------------- */

static bool is_alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/* PEP 508 names: [A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])? */
static bool pypi_name_ok(const char *s, size_t n) {
        if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
                        return false;
        return true;
}

/* npm names: "[@scope/]name", URL-safe characters, not starting with '.' or '_'. */
static bool npm_name_ok(const char *s, size_t n) {
        static const char EXTRA[] = "-._~!*'()";
        size_t i = 0, slashes = 0;
        if (n == 0)
                return false;
        if (s[0] == '@')
                i = 1;
        if (i >= n || s[i] == '.' || s[i] == '_')
                return false;
        for (size_t start = i; i < n; i++) {
                if (s[i] == '/' && s[0] == '@' && slashes == 0 && i > start && i + 1 < n) {
                        slashes++;
                        if (s[i + 1] == '.' || s[i + 1] == '_')
                                return false;
                        continue;
                }
                if (!is_alnum(s[i]) && (s[i] == '\0' || !strchr(EXTRA, s[i])))
                        return false;
        }
        return s[0] != '@' || slashes == 1;
}

bool deps_name_ok(enum dep_ecosystem eco, const char *s, size_t n) {
        return eco == DEP_PYPI ? pypi_name_ok(s, n) : npm_name_ok(s, n);
}

static char *normalise_name(enum dep_ecosystem eco, const char *s, size_t n) {
        char *out = malloc(n + 1);
        size_t o = 0;
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (eco == DEP_PYPI && (s[i] == '-' || s[i] == '_' || s[i] == '.')) {
                        if (o == 0 || out[o - 1] != '-')
                                out[o++] = '-';
                } else
                        out[o++] = lower(s[i]);
        }
        out[o] = '\0';
        return out;
}

/* Blanks removed (PEP 440 clauses), or trimmed and collapsed to single spaces (npm ranges). */
static char *normalise_spec(const char *s, size_t n, bool keep_blanks) {
        char *out = malloc(n + 1);
        size_t o = 0;
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (!is_blank(s[i]))
                        out[o++] = s[i];
                else if (keep_blanks && o > 0 && out[o - 1] != ' ')
                        out[o++] = ' ';
        }
        if (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = '\0';
        return out;
}

/* The exact version a normalised spec pins, or NULL (no allocation failure: *ret_oom). */
static char *exact_version(enum dep_ecosystem eco, const char *spec, unsigned flags, bool *ret_oom) {
        const char *v = NULL;
        *ret_oom = false;
        if (flags & DEP_F_URL)
                return NULL;
        if (flags & DEP_F_LOCKED)
                v = spec;
        else if (eco == DEP_PYPI) {
                if (strneq(spec, "===", 3) && spec[3] && !strchr(spec, ','))
                        v = spec + 3;
                else if (strneq(spec, "==", 2) && !strchr(spec, ',') && pep440_valid(spec + 2))
                        v = spec + 2;
                else if ((flags & DEP_F_BARE_EXACT) && pep440_valid(spec))
                        v = spec;
        } else if (semver_valid(spec)) {
                v = spec;
                while (*v == '=' || *v == 'v' || *v == ' ')
                        v++;
        }
        if (!v)
                return NULL;
        char *r = strdup(v);
        *ret_oom = !r;
        return r;
}

/* ---- the list -------------------------------------------------------------------------------- */

#define DEPS_SLOTS 4096 /* the de-duplication set: a power of two, over twice DEPS_MAX */
_Static_assert(DEPS_SLOTS >= 2 * DEPS_MAX && (DEPS_SLOTS & (DEPS_SLOTS - 1)) == 0, "DEPS_SLOTS");

static void dependency_free(struct dependency *d) {
        free(d->name);
        free(d->spec);
        free(d->version);
        free(d->file);
}

/* Append d (taken over, also on failure). */
static int list_push(struct dependencies *l, struct dependency *d) {
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 32;
                struct dependency *grown = reallocarray(l->v, cap, sizeof(*grown));
                if (!grown) {
                        dependency_free(d);
                        return -ENOMEM;
                }
                l->v = grown;
                l->cap = cap;
        }
        l->v[l->n++] = *d;
        return 0;
}

static uint64_t hash_bytes(uint64_t h, const char *s) {
        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * UINT64_C(0x100000001b3);
        return (h ^ 0xff) * UINT64_C(0x100000001b3); /* field separator */
}

static uint64_t dep_hash(enum dep_ecosystem eco, const char *name, const char *spec, const char *file) {
        uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t) eco;
        return hash_bytes(hash_bytes(hash_bytes(h, name), spec), file);
}

/* The slot for (eco, name, spec, file): holding it already, or the empty one to take. */
static uint32_t *dep_slot(struct deps_ctx *c, const struct dependency *x) {
        size_t mask = c->nslots - 1;
        for (size_t i = (size_t) dep_hash(x->eco, x->name, x->spec, x->file) & mask;; i = (i + 1) & mask) {
                uint32_t k = c->slots[i];
                if (k == 0)
                        return &c->slots[i];
                const struct dependency *d = &c->deps.v[k - 1];
                if (d->eco == x->eco && streq(d->name, x->name) && streq(d->spec, x->spec) && streq(d->file, x->file))
                        return &c->slots[i];
        }
}

int deps_add(struct deps_ctx *c, enum dep_ecosystem eco, const char *name, size_t name_len, const char *spec,
             size_t spec_len, const char *file, uint32_t line, unsigned flags) {
        if (name_len > DEP_NAME_MAX)
                return deps_finding(c, "dep.name.too-long", SEV_LOW, file, line, name, name_len,
                                    "a package name of %zu characters (over %d) is not audited", name_len,
                                    DEP_NAME_MAX);
        if (!deps_name_ok(eco, name, name_len))
                return deps_finding(c, "dep.name.invalid", SEV_LOW, file, line, name, name_len,
                                    "\"%.*s\" is not a valid %s package name; it is not audited",
                                    (int) (name_len > 100 ? 100 : name_len), name, dep_ecosystem_to_string(eco));
        if (spec_len > DEP_SPEC_MAX || memchr(spec, '\0', spec_len))
                return deps_finding(c, "dep.spec.invalid", SEV_LOW, file, line, spec, spec_len,
                                    "the version constraint of %.*s is too long or has NUL bytes; not audited",
                                    (int) name_len, name);

        struct dependency d = { .eco = eco, .line = line, .direct = !(flags & DEP_F_INDIRECT),
                                .dev = !!(flags & DEP_F_DEV), .url = !!(flags & DEP_F_URL) };
        bool oom;
        _cleanup_free_ char *n = normalise_name(eco, name, name_len);
        _cleanup_free_ char *s = normalise_spec(spec, spec_len, eco == DEP_NPM || (flags & DEP_F_KEEP_BLANKS));
        _cleanup_free_ char *fl = strdup(file);
        if (!n || !s || !fl)
                return -ENOMEM;
        _cleanup_free_ char *v = exact_version(eco, s, flags, &oom);
        if (oom)
                return -ENOMEM;

        d.name = TAKE_PTR(n), d.spec = TAKE_PTR(s), d.file = TAKE_PTR(fl), d.version = TAKE_PTR(v);
        if (flags & DEP_F_CONSTRAINT) {
                if (c->constraints.n < DEPS_MAX)
                        return list_push(&c->constraints, &d);
                dependency_free(&d);
                return 0;
        }
        uint32_t *slot = dep_slot(c, &d);
        if (*slot || c->deps.n >= DEPS_MAX) {
                bool report = !*slot && !c->limit_reported;
                dependency_free(&d);
                if (!report)
                        return 0;
                c->limit_reported = true;
                return deps_finding(c, "dep.limit", SEV_MEDIUM, file, line, NULL, 0,
                                    "more than %d dependencies: the rest are not audited", DEPS_MAX);
        }
        int r = list_push(&c->deps, &d);
        if (r == 0)
                *slot = (uint32_t) c->deps.n;
        return r;
}

void deps_done(struct dependencies *d) {
        for (size_t i = 0; i < d->n; i++)
                dependency_free(&d->v[i]);
        free(d->v);
        *d = (struct dependencies) { 0 };
}

json_t *deps_to_json(const struct dependencies *d) {
        _cleanup_json_ json_t *a = json_array();
        for (size_t i = 0; a && i < d->n; i++) {
                const struct dependency *x = &d->v[i];
                json_t *o = json_object();
                if (!o || json_array_append_new(a, o) < 0)
                        return NULL;
                /* names are checked ASCII; spec, version and file may be any bytes of the skill */
                if (json_object_set_new(o, "ecosystem", json_string(dep_ecosystem_to_string(x->eco))) < 0 ||
                    json_object_set_new(o, "name", json_stringn_lossy(x->name, strlen(x->name))) < 0 ||
                    json_object_set_new(o, "spec", json_stringn_lossy(x->spec, strlen(x->spec))) < 0 ||
                    json_object_set_new(o, "version", x->version ? json_stringn_lossy(x->version, strlen(x->version))
                                                                 : json_null()) < 0 ||
                    json_object_set_new(o, "file", json_stringn_lossy(x->file, strlen(x->file))) < 0 ||
                    json_object_set_new(o, "line", json_integer(x->line)) < 0 ||
                    json_object_set_new(o, "direct", json_boolean(x->direct)) < 0 ||
                    json_object_set_new(o, "dev", json_boolean(x->dev)) < 0 ||
                    json_object_set_new(o, "url", json_boolean(x->url)) < 0)
                        return NULL;
        }
        return TAKE_PTR(a);
}

/* ---- extraction ------------------------------------------------------------------------------ */

static bool visited_as_requirements(const struct deps_ctx *c, const char *file) {
        for (size_t i = 0; i < c->n_visited; i++)
                if (strneq(c->visited[i], "r:", 2) && streq(c->visited[i] + 2, file))
                        return true;
        return false;
}

/* A -c constraint pins the version of a requirement it names (pip installs the pinned one). */
static int apply_constraints(struct deps_ctx *c) {
        for (size_t i = 0; i < c->deps.n; i++) {
                struct dependency *d = &c->deps.v[i];
                if (d->eco != DEP_PYPI || d->version || d->url || !visited_as_requirements(c, d->file))
                        continue;
                for (size_t k = 0; k < c->constraints.n; k++) {
                        const struct dependency *x = &c->constraints.v[k];
                        if (x->version && streq(x->name, d->name)) {
                                d->version = strdup(x->version);
                                if (!d->version)
                                        return -ENOMEM;
                                break;
                        }
                }
        }
        return 0;
}

static const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

static int extract_file(struct deps_ctx *c, const struct scan_file *x) {
        const char *base = base_name(x->path);
        if (!x->data)
                return 0; /* unreadable or binary: scan_discover() reported it */
        switch (x->kind) {
        case SCAN_FILE_REQUIREMENTS:
                return deps_read_requirements(c, x);
        case SCAN_FILE_PYPROJECT:
                return deps_read_pyproject(c, x);
        case SCAN_FILE_SETUP_PY:
                return streq(base, "setup.cfg") ? deps_read_setup_cfg(c, x) : deps_read_setup_py(c, x);
        case SCAN_FILE_PACKAGE_JSON:
                return deps_read_package_json(c, x);
        case SCAN_FILE_TEXT:
                if (streq(base, "package-lock.json") || streq(base, "npm-shrinkwrap.json"))
                        return deps_read_npm_lock(c, x);
                return 0;
        default:
                return 0;
        }
}

static void ctx_done(struct deps_ctx *c) {
        deps_done(&c->deps);
        deps_done(&c->constraints);
        free(c->slots);
        for (size_t i = 0; i < c->n_visited; i++)
                free(c->visited[i]);
        free(c->visited);
}

int deps_extract(const struct scan_files *files, const char *compatibility, struct dependencies *out,
                 struct findings *f) {
        struct deps_ctx c = { .files = files, .f = f, .nslots = DEPS_SLOTS };
        int r = 0;
        c.slots = calloc(c.nslots, sizeof(*c.slots));
        if (!c.slots)
                return -ENOMEM;
        for (size_t i = 0; r >= 0 && i < files->n; i++)
                r = extract_file(&c, &files->v[i]);
        if (r >= 0 && compatibility)
                r = deps_read_compat(&c, compatibility);
        if (r >= 0)
                r = apply_constraints(&c);
        if (r < 0) {
                ctx_done(&c);
                return r;
        }
        *out = c.deps;
        c.deps = (struct dependencies) { 0 };
        ctx_done(&c);
        return 0;
}
