/* OSV documents reduced to rows (advisory_osv.h) and package-name normalisation. Wrong types in
 * the required structure (id, modified, affected, ranges, events, versions) make a document
 * malformed; wrong types in optional decorations (severity, aliases, database_specific) are
 * ignored. */
#include "advisory_osv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/json.h"
#include "version.h"

#define ADVISORY_MODIFIED_MAX 64
#define ADVISORY_CVSS_MAX 256

static const char *ecosystem_name(int eco) {
        return dep_ecosystem_to_string((enum dep_ecosystem) eco);
}

char *advisory_normalize_name(enum dep_ecosystem eco, const char *name) {
        char *out = malloc(strlen(name) + 1), *o = out;
        if (!out)
                return NULL;
        bool in_separators = false;
        for (const char *p = name; *p; p++) {
                char c = *p;
                if (c >= 'A' && c <= 'Z')
                        c = (char) (c - 'A' + 'a');
                if (eco == DEP_PYPI && (c == '-' || c == '_' || c == '.')) {
                        if (in_separators)
                                continue; /* PEP 503: a run of separators is one "-" */
                        in_separators = true;
                        c = '-';
                } else {
                        in_separators = false;
                }
                *o++ = c;
        }
        *o = '\0';
        return out;
}

/* A string member of 1..max bytes without NUL, or NULL. */
static const char *str_member(const json_t *o, const char *key, size_t max) {
        const json_t *v = json_object_get(o, key);
        if (!json_is_string(v))
                return NULL;
        size_t n = json_string_length(v);
        const char *s = json_string_value(v);
        return n >= 1 && n <= max && strlen(s) == n ? s : NULL;
}

static bool id_is_valid(const char *id) {
        for (const char *p = id; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr("._:+-", *p)))
                        return false;
        return true;
}

void osv_adv_done(struct osv_adv *a) {
        free(a->summary);
        json_decref(a->aliases);
        json_decref(a->packages);
}

/* summary, else the first line of details; cut to ADVISORY_SUMMARY_MAX on a character boundary. */
static char *osv_summary(const json_t *doc) {
        const char *s = str_member(doc, "summary", SIZE_MAX);
        size_t n = s ? strlen(s) : 0;
        if (!s) {
                s = str_member(doc, "details", SIZE_MAX);
                n = s ? strcspn(s, "\r\n") : 0;
        }
        if (n > ADVISORY_SUMMARY_MAX) {
                n = ADVISORY_SUMMARY_MAX;
                while (n && ((unsigned char) s[n] & 0xc0) == 0x80)
                        n--;
        }
        return strndup(s ? s : "", n);
}

const char *osv_severity_word(const char *s) {
        if (!s)
                return NULL;
        if (strcasecmp(s, "LOW") == 0)
                return "low";
        if (strcasecmp(s, "MODERATE") == 0 || strcasecmp(s, "MEDIUM") == 0)
                return "medium";
        if (strcasecmp(s, "HIGH") == 0)
                return "high";
        if (strcasecmp(s, "CRITICAL") == 0)
                return "critical";
        return NULL;
}

/* Severity, CVSS vector and the malicious flag from the optional decorations (wrong types there
 * are ignored, not fatal). We do not compute CVSS scores: a vector alone means "high". */
static void osv_decorations(const json_t *doc, struct osv_adv *a) {
        a->malicious = strneq(a->id, "MAL-", 4);
        const json_t *ds = json_object_get(doc, "database_specific");
        if (json_is_object(ds)) {
                a->severity = osv_severity_word(str_member(ds, "severity", 32));
                if (json_object_get(ds, "malicious-packages-origins"))
                        a->malicious = true;
                size_t i;
                const json_t *cwe;
                json_array_foreach(json_object_get(ds, "cwe_ids"), i, cwe)
                        if (json_is_string(cwe) && streq(json_string_value(cwe), "CWE-506"))
                                a->malicious = true; /* "Embedded Malicious Code": GitHub's malware */
        }
        size_t i;
        const json_t *sev;
        json_array_foreach(json_object_get(doc, "severity"), i, sev) {
                const char *type = str_member(sev, "type", 32);
                const char *score = str_member(sev, "score", ADVISORY_CVSS_MAX);
                if (type && score && strneq(type, "CVSS_", 5)) {
                        a->cvss = score;
                        break;
                }
        }
        if (!a->severity && a->cvss)
                a->severity = "high";
}

/* Copy one range if we evaluate its type. 1 = kept, 0 = a type we ignore (GIT), -EINVAL bad. */
static int osv_range(const json_t *range, json_t *out_ranges) {
        const char *type = str_member(range, "type", 32);
        const json_t *events = json_object_get(range, "events");
        if (!json_is_object(range) || !type || !json_is_array(events) || json_array_size(events) == 0 ||
            json_array_size(events) > ADVISORY_EVENTS_MAX)
                return -EINVAL;
        if (!streq(type, "ECOSYSTEM") && !streq(type, "SEMVER"))
                return 0;
        _cleanup_json_ json_t *copy = json_array();
        if (!copy)
                return -ENOMEM;
        size_t i;
        const json_t *ev;
        json_array_foreach(events, i, ev) {
                static const char *const KINDS[] = { "introduced", "fixed", "last_affected", "limit" };
                if (!json_is_object(ev) || json_object_size(ev) != 1)
                        return -EINVAL;
                const char *kind = json_object_iter_key(json_object_iter((json_t *) ev));
                bool known = false;
                for (size_t k = 0; k < ELEMENTSOF(KINDS); k++)
                        known |= streq(kind, KINDS[k]);
                const char *v = str_member(ev, kind, VERSION_MAX_LEN);
                if (!known || !v)
                        return -EINVAL;
                if (json_array_append_new(copy, json_pack("{s:s}", kind, v)) < 0)
                        return -ENOMEM;
        }
        if (json_array_append_new(out_ranges, json_pack("{s:s, s:O}", "type", type, "events", copy)) < 0)
                return -ENOMEM;
        return 1;
}

/* The package entry for (eco, name), created on first use. */
static json_t *osv_package(json_t *packages, int eco, const char *name) {
        _cleanup_free_ char *norm = advisory_normalize_name((enum dep_ecosystem) eco, name);
        _cleanup_free_ char *key = NULL;
        if (!norm || asprintf(&key, "%d:%s", eco, norm) < 0)
                return NULL;
        json_t *p = json_object_get(packages, key);
        if (p)
                return p;
        p = json_pack("{s:i, s:s, s:[], s:[]}", "eco", eco, "name", norm, "ranges", "versions");
        if (!p || json_object_set_new(packages, key, p) < 0)
                return NULL;
        return p;
}

static int osv_affected(const json_t *aff, json_t *packages) {
        if (!json_is_object(aff))
                return -EINVAL;
        const json_t *pkg = json_object_get(aff, "package");
        if (!pkg)
                return 0; /* OSV allows affected[] without a package (e.g. a git repository) */
        const char *eco_s = str_member(pkg, "ecosystem", 64);
        const char *name = str_member(pkg, "name", ADVISORY_NAME_MAX);
        if (!json_is_object(pkg) || !eco_s || !name)
                return -EINVAL;
        int eco = -1;
        for (int e = 0; e < ADVISORY_ECOSYSTEMS; e++)
                if (streq(eco_s, ecosystem_name(e)))
                        eco = e;
        if (eco < 0)
                return 0;
        json_t *p = osv_package(packages, eco, name);
        if (!p)
                return -ENOMEM;
        const json_t *ranges = json_object_get(aff, "ranges");
        if (ranges && (!json_is_array(ranges) || json_array_size(ranges) > ADVISORY_RANGES_MAX))
                return -EINVAL;
        size_t i;
        const json_t *x;
        json_array_foreach(ranges, i, x) {
                int r = osv_range(x, json_object_get(p, "ranges"));
                if (r < 0)
                        return r;
        }
        if (json_array_size(json_object_get(p, "ranges")) > ADVISORY_RANGES_MAX)
                return -EINVAL;
        const json_t *versions = json_object_get(aff, "versions");
        if (versions && !json_is_array(versions))
                return -EINVAL;
        json_t *out = json_object_get(p, "versions");
        json_array_foreach(versions, i, x) {
                if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > VERSION_MAX_LEN ||
                    strlen(json_string_value(x)) != json_string_length(x))
                        return -EINVAL;
                if (json_array_size(out) >= ADVISORY_VERSIONS_MAX)
                        return -EINVAL;
                if (json_array_append(out, (json_t *) x) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int osv_reduce(const json_t *doc, struct osv_adv *a) {
        if (!json_is_object(doc))
                return -EINVAL;
        a->id = str_member(doc, "id", ADVISORY_ID_MAX);
        a->modified = str_member(doc, "modified", ADVISORY_MODIFIED_MAX);
        if (!a->id || !id_is_valid(a->id) || !a->modified)
                return -EINVAL;
        a->withdrawn = json_object_get(doc, "withdrawn") != NULL;
        osv_decorations(doc, a);
        a->summary = osv_summary(doc);
        a->aliases = json_array();
        a->packages = json_object();
        if (!a->summary || !a->aliases || !a->packages)
                return -ENOMEM;
        size_t i;
        const json_t *x;
        json_array_foreach(json_object_get(doc, "aliases"), i, x) {
                if (i >= ADVISORY_ALIASES_MAX)
                        break;
                if (json_is_string(x) && json_string_length(x) <= ADVISORY_ID_MAX &&
                    id_is_valid(json_string_value(x)) && json_array_append(a->aliases, (json_t *) x) < 0)
                        return -ENOMEM;
        }
        const json_t *affected = json_object_get(doc, "affected");
        if (affected && (!json_is_array(affected) || json_array_size(affected) > ADVISORY_AFFECTED_MAX))
                return -EINVAL;
        json_array_foreach(affected, i, x) {
                int r = osv_affected(x, a->packages);
                if (r < 0)
                        return r;
        }
        /* A package named with no range we evaluate: for a malicious-package report the name is
         * the finding (every version); for anything else there is nothing to match. */
        const char *key;
        json_t *p, *tmp;
        json_object_foreach_safe(a->packages, tmp, key, p) {
                if (json_array_size(json_object_get(p, "ranges")) || json_array_size(json_object_get(p, "versions")))
                        continue;
                if (!a->malicious) {
                        json_object_del(a->packages, key);
                        continue;
                }
                json_t *all = json_pack("{s:s, s:[{s:s}]}", "type", "ECOSYSTEM", "events", "introduced", "0");
                if (!all || json_array_append_new(json_object_get(p, "ranges"), all) < 0)
                        return -ENOMEM;
        }
        return 0;
}
