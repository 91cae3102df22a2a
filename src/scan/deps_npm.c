/* npm manifests: package.json's four dependency maps (with the specs that bypass the registry:
 * URLs, git, GitHub shorthands, local paths, aliases) and the exact versions of
 * package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (nested "dependencies") and 2/3
 * ("packages" keyed by node_modules paths). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/json.h"
#include "deps_internal.h"
#include "version.h"

#define LOCK_MAX_DEPTH 64           /* nesting of a v1 lockfile's "dependencies" tree */
#define LOCK_RESOLVED_FINDINGS 20   /* per lockfile; the rest are counted in one more finding */
#define LINE_SEARCH_BUDGET (32u * 1024 * 1024) /* bytes searched for line numbers per file */

static const struct {
        const char *key;
        unsigned flags;
} SECTIONS[] = {
        { "dependencies", 0 },
        { "devDependencies", DEP_F_DEV },
        { "optionalDependencies", 0 },
        { "peerDependencies", 0 },
};

/* Line numbers of JSON keys, by text search: jansson keeps no positions. Bounded by a budget. */
struct line_finder {
        const char *data;
        size_t len, budget;
};

static size_t find_quoted(struct line_finder *lf, size_t from, const char *key, size_t key_len) {
        if (from >= lf->len || key_len + 2 > lf->len - from || lf->budget < lf->len - from)
                return SIZE_MAX;
        lf->budget -= lf->len - from;
        for (const char *p = lf->data + from; (p = memmem(p, (size_t) (lf->data + lf->len - p), key, key_len));
             p++)
                if (p > lf->data && p[-1] == '"' && p + key_len < lf->data + lf->len && p[key_len] == '"')
                        return (size_t) (p - lf->data);
        return SIZE_MAX;
}

static uint32_t line_at(const struct line_finder *lf, size_t off) {
        uint32_t line = 1;
        if (off == SIZE_MAX)
                return 0;
        for (size_t i = 0; i < off; i++)
                if (lf->data[i] == '\n' || (lf->data[i] == '\r' && (i + 1 >= lf->len || lf->data[i + 1] != '\n')))
                        line++;
        return line;
}

/* ---- package.json ---------------------------------------------------------------------------- */

static bool has_prefix(const char *s, const char *p) {
        return strncasecmp(s, p, strlen(p)) == 0;
}

/* A spec that does not name a registry version: URL, git, hosted shorthand, path. */
static bool spec_is_source(const char *s) {
        static const char *const PREFIXES[] = { "http:", "https:", "git:", "git+", "git@", "github:", "gitlab:",
                                                "bitbucket:", "gist:", "file:", "link:", "portal:", "workspace:",
                                                "./", "../", "~/", "/" };
        for (size_t k = 0; k < ELEMENTSOF(PREFIXES); k++)
                if (has_prefix(s, PREFIXES[k]))
                        return true;
        return strchr(s, '/') != NULL; /* "user/repo[#ref]": ranges never hold a '/' */
}

/* One "name": "spec" entry of a dependency map. */
static int npm_entry(struct deps_ctx *c, const char *file, uint32_t line, const char *name, size_t name_len,
                     const char *spec, size_t spec_len, unsigned flags) {
        if (spec_len > DEP_SPEC_MAX || memchr(spec, '\0', spec_len))
                return deps_add(c, DEP_NPM, name, name_len, spec, spec_len, file, line, flags); /* reports it */
        if (has_prefix(spec, "npm:")) {
                /* "npm:real@range": the code says `name`, npm installs `real` */
                const char *real = spec + 4;
                const char *at = strchr(real + (real[0] == '@'), '@');
                size_t real_len = at ? (size_t) (at - real) : strlen(real);
                int r = deps_finding(c, "dep.npm.alias", SEV_MEDIUM, file, line, spec, spec_len,
                                     "\"%.*s\" is an alias: npm installs the package \"%.*s\" under that name",
                                     (int) (name_len > 100 ? 100 : name_len), name,
                                     (int) (real_len > 100 ? 100 : real_len), real);
                if (r < 0)
                        return r;
                const char *range = at ? at + 1 : "";
                return deps_add(c, DEP_NPM, real, real_len, range, strlen(range), file, line, flags);
        }
        if (spec_is_source(spec)) {
                int r = deps_url_finding(c, file, line, spec, spec_len, spec, spec_len);
                if (r < 0)
                        return r;
                flags |= DEP_F_URL;
        }
        return deps_add(c, DEP_NPM, name, name_len, spec, spec_len, file, line, flags);
}

/* Parse a manifest into *ret (NULL when it is not JSON). Duplicate keys are a finding (npm keeps
 * the last one, and so does jansson without JSON_REJECT_DUPLICATES). 0 or -ENOMEM. */
static int load_json(struct deps_ctx *c, const struct scan_file *x, bool report_invalid, json_t **ret) {
        json_error_t jerr;
        *ret = json_loadb(x->data, x->len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
        if (*ret)
                return 0;
        int line = jerr.line;
        *ret = json_loadb(x->data, x->len, JSON_ALLOW_NUL, &jerr);
        if (*ret)
                return deps_finding(c, "dep.json.duplicate-keys", SEV_MEDIUM, x->path, line > 0 ? (uint32_t) line : 0,
                                    NULL, 0, "a key appears twice in %s: npm and other readers may disagree on "
                                    "what it declares", x->path);
        if (!report_invalid)
                return 0;
        return deps_finding(c, "dep.json.invalid", SEV_LOW, x->path, jerr.line > 0 ? (uint32_t) jerr.line : 0, NULL,
                            0, "%s is not valid JSON; the dependencies it locks are not audited", x->path);
}

int deps_read_package_json(struct deps_ctx *c, const struct scan_file *x) {
        _cleanup_json_ json_t *root = NULL;
        struct line_finder lf = { x->data, x->len, LINE_SEARCH_BUDGET };
        /* not valid JSON: scan_discover() reports it already (file.bad-json) */
        int r = load_json(c, x, false, &root);
        if (r < 0 || !json_is_object(root))
                return r;
        for (size_t s = 0; s < ELEMENTSOF(SECTIONS); s++) {
                json_t *map = json_object_get(root, SECTIONS[s].key);
                const char *name;
                size_t name_len;
                json_t *spec;
                if (!json_is_object(map))
                        continue;
                size_t section = find_quoted(&lf, 0, SECTIONS[s].key, strlen(SECTIONS[s].key));
                json_object_keylen_foreach(map, name, name_len, spec) {
                        if (!json_is_string(spec))
                                continue; /* npm refuses it */
                        size_t at = find_quoted(&lf, section == SIZE_MAX ? 0 : section, name, name_len);
                        uint32_t line = line_at(&lf, at);
                        r = npm_entry(c, x->path, line, name, name_len, json_string_value(spec),
                                          json_string_length(spec), SECTIONS[s].flags);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* ---- lockfiles ------------------------------------------------------------------------------- */

struct lock {
        struct deps_ctx *c;
        const struct scan_file *x;
        json_t *manifest;      /* the package.json next to it (or the lockfile's root entry) */
        size_t resolved_reported, resolved_more;
};

static bool is_direct_name(const struct lock *l, const char *name) {
        for (size_t s = 0; l->manifest && s < ELEMENTSOF(SECTIONS); s++)
                if (json_object_get(json_object_get(l->manifest, SECTIONS[s].key), name))
                        return true;
        return false;
}

static int check_resolved(struct lock *l, const char *name, const char *version, json_t *entry) {
        const char *resolved = json_string_value(json_object_get(entry, "resolved"));
        if (!resolved || has_prefix(resolved, "https://registry.npmjs.org/"))
                return 0;
        if (l->resolved_reported >= LOCK_RESOLVED_FINDINGS) {
                l->resolved_more++;
                return 0;
        }
        l->resolved_reported++;
        return deps_finding(l->c, "dep.lock.resolved", SEV_MEDIUM, l->x->path, 0, resolved, strlen(resolved),
                            "%.100s@%.40s is downloaded from %.160s, not from registry.npmjs.org", name,
                            version ? version : "?", resolved);
}

/* One locked package installed as node_modules/<key_name>. version may be an alias
 * ("npm:real@1.2.3") or a source (git, file:). */
static int lock_entry(struct lock *l, const char *name, size_t name_len, const char *key_name, json_t *entry,
                      bool top_level) {
        const char *version = json_string_value(json_object_get(entry, "version"));
        unsigned flags = DEP_F_LOCKED;
        if (!json_is_object(entry) || json_is_true(json_object_get(entry, "link")) || !version)
                return 0;
        int r = check_resolved(l, name, version, entry);
        if (r < 0)
                return r;
        if (json_is_true(json_object_get(entry, "dev")))
                flags |= DEP_F_DEV;
        /* package.json names the install folder: for an alias that is not the real name */
        if (!top_level || !is_direct_name(l, key_name))
                flags |= DEP_F_INDIRECT;
        if (has_prefix(version, "npm:")) { /* v1 alias */
                const char *real = version + 4, *at = strchr(real + (real[0] == '@'), '@');
                if (at) {
                        name = real, name_len = (size_t) (at - real);
                        version = at + 1;
                }
        }
        if (!semver_valid(version)) {
                r = deps_url_finding(l->c, l->x->path, 0, NULL, 0, version, strlen(version));
                if (r < 0)
                        return r;
                flags = (flags & ~(unsigned) DEP_F_LOCKED) | DEP_F_URL;
        }
        return deps_add(l->c, DEP_NPM, name, name_len, version, strlen(version), l->x->path, 0, flags);
}

/* v2/v3: "packages": { "": root, "node_modules/a": {...}, "node_modules/a/node_modules/@s/b": ... } */
static int lock_packages(struct lock *l, json_t *packages) {
        const char *key;
        json_t *entry;
        json_object_foreach(packages, key, entry) {
                const char *nm = NULL;
                for (const char *p = key; (p = strstr(p, "node_modules/")); p++)
                        if (p == key || p[-1] == '/')
                                nm = p;
                if (!nm)
                        continue; /* the root, or a workspace folder: local source */
                const char *folder = nm + strlen("node_modules/");
                const char *name = json_string_value(json_object_get(entry, "name"));
                if (!name) /* an aliased install records the real name */
                        name = folder;
                int r = lock_entry(l, name, strlen(name), folder, entry, nm == key);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* v1: "dependencies": { "a": { "version", "dependencies": { nested } } }, walked with an explicit
 * stack so a hostile nesting costs no C stack. */
static int lock_tree(struct lock *l, json_t *deps) {
        struct {
                json_t *map;
                void *iter;
        } stack[LOCK_MAX_DEPTH];
        size_t depth = 0;
        stack[depth++] = (typeof(stack[0])) { deps, json_object_iter(deps) };
        while (depth > 0) {
                void *it = stack[depth - 1].iter;
                if (!it) {
                        depth--;
                        continue;
                }
                stack[depth - 1].iter = json_object_iter_next(stack[depth - 1].map, it);
                const char *name = json_object_iter_key(it);
                json_t *entry = json_object_iter_value(it);
                int r = lock_entry(l, name, strlen(name), name, entry, depth == 1);
                if (r < 0)
                        return r;
                json_t *nested = json_object_get(entry, "dependencies");
                if (json_is_object(nested) && depth < LOCK_MAX_DEPTH)
                        stack[depth++] = (typeof(stack[0])) { nested, json_object_iter(nested) };
        }
        return 0;
}

static const struct scan_file *sibling_manifest(struct deps_ctx *c, const char *lock_path, char **ret_path) {
        const char *slash = strrchr(lock_path, '/');
        size_t dir = slash ? (size_t) (slash - lock_path + 1) : 0;
        char *p = malloc(dir + sizeof("package.json"));
        if (!p)
                return NULL;
        memcpy(p, lock_path, dir);
        memcpy(p + dir, "package.json", sizeof("package.json"));
        *ret_path = p;
        return deps_find_file(c, p);
}

int deps_read_npm_lock(struct deps_ctx *c, const struct scan_file *x) {
        _cleanup_json_ json_t *root = NULL;
        _cleanup_json_ json_t *manifest = NULL;
        _cleanup_free_ char *manifest_path = NULL;
        int r = load_json(c, x, true, &root);
        if (r < 0 || !json_is_object(root))
                return r;
        const struct scan_file *m = sibling_manifest(c, x->path, &manifest_path);
        if (!manifest_path)
                return -ENOMEM;
        if (m && m->data)
                manifest = json_loadb(m->data, m->len, JSON_ALLOW_NUL, NULL);
        if (!json_is_object(manifest)) { /* fall back to the lockfile's own record of the root */
                json_decref(manifest);
                manifest = json_incref(json_object_get(json_object_get(root, "packages"), ""));
        }
        struct lock l = { .c = c, .x = x, .manifest = manifest };
        json_t *packages = json_object_get(root, "packages");
        json_t *deps = json_object_get(root, "dependencies");
        if (json_is_object(packages))
                r = lock_packages(&l, packages);
        else if (json_is_object(deps))
                r = lock_tree(&l, deps);
        if (r >= 0 && l.resolved_more)
                r = deps_finding(c, "dep.lock.resolved", SEV_MEDIUM, x->path, 0, NULL, 0,
                                 "%zu more packages are downloaded from outside registry.npmjs.org", l.resolved_more);
        return r;
}
