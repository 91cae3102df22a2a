/* Does an advisory affect a version, or may it affect some version a spec allows? OSV range
 * semantics (https://ossf.github.io/osv-schema/#evaluation): per range the events are sorted by
 * version, "introduced: 0" is the start of time, and walking them toggles affected on at an
 * `introduced`, off at a `fixed` (that version is clean) or after a `last_affected` (that version
 * is still affected); a version at or above a `limit` is outside the range. Comparison is PEP 440
 * for PyPI ECOSYSTEM ranges and SemVer for SEMVER ranges and npm.
 *
 * For a dependency without an exact version the question "can the spec pick an affected
 * version?" has no exact answer without the registry's list of releases, which we do not have
 * offline. The approximation: candidate versions are every range boundary (the version at each
 * `introduced`, `fixed`, `last_affected`, `limit`), every listed version, and every version
 * written in the spec itself (its bounds); the spec may be affected when one candidate is both
 * affected and allowed by the spec. It misses an affected version that is strictly between a
 * spec's exclusive bound and a range boundary (">1.0,<1.5" against "introduced 0, fixed 1.2"
 * finds 1.0 excluded and 1.2 fixed, and never tries 1.1). */
#include "advisory_db.h"

#include <errno.h>
#include <string.h>

#include "version.h"

#define SPEC_CANDIDATES_MAX 64

typedef int (*version_cmp_fn)(const char *a, const char *b, int *ret_cmp);

enum event_kind { EV_INTRODUCED, EV_FIXED, EV_LAST_AFFECTED, EV_LIMIT };

struct event {
        enum event_kind kind;
        const char *v;
        bool zero; /* "introduced: 0": before every version, in any scheme */
};

struct range {
        struct event ev[ADVISORY_EVENTS_MAX];
        size_t n;
        version_cmp_fn cmp;
        bool invalid; /* a boundary that does not parse or cannot be ordered */
};

static version_cmp_fn eco_cmp(enum dep_ecosystem eco) {
        return eco == DEP_PYPI ? pep440_compare : semver_compare;
}

static int event_cmp(const struct range *r, const struct event *a, const struct event *b, int *ret) {
        if (a->zero || b->zero) {
                *ret = a->zero && b->zero ? 0 : a->zero ? -1 : 1;
                return 0;
        }
        return r->cmp(a->v, b->v, ret);
}

/* 1 = a range we evaluate (filled in r), 0 = a type we skip. */
static int range_prepare(const json_t *j, enum dep_ecosystem eco, struct range *r) {
        static const char *const KINDS[] = { "introduced", "fixed", "last_affected", "limit" };
        const char *type = json_string_value(json_object_get(j, "type"));
        const json_t *events = json_object_get(j, "events");
        r->n = 0;
        r->invalid = false;
        if (!type || (!streq(type, "ECOSYSTEM") && !streq(type, "SEMVER")))
                return 0;
        r->cmp = streq(type, "SEMVER") ? semver_compare : eco_cmp(eco);
        if (!json_is_array(events) || json_array_size(events) > ADVISORY_EVENTS_MAX) {
                r->invalid = true;
                return 1;
        }
        size_t i;
        const json_t *e;
        json_array_foreach(events, i, e) {
                const char *key = json_object_iter_key(json_object_iter((json_t *) e));
                const char *v = key ? json_string_value(json_object_get(e, key)) : NULL;
                size_t k = 0;
                while (k < ELEMENTSOF(KINDS) && !(key && streq(key, KINDS[k])))
                        k++;
                if (!v || k == ELEMENTSOF(KINDS)) {
                        r->invalid = true;
                        return 1;
                }
                r->ev[r->n++] = (struct event) { (enum event_kind) k, v, k == EV_INTRODUCED && streq(v, "0") };
        }
        /* Insertion sort: stable (equal versions keep the advisory's order) and n is capped. */
        for (size_t a = 1; a < r->n; a++) {
                struct event x = r->ev[a];
                size_t b = a;
                while (b > 0) {
                        int c;
                        if (event_cmp(r, &r->ev[b - 1], &x, &c) < 0) {
                                r->invalid = true;
                                return 1;
                        }
                        if (c <= 0)
                                break;
                        r->ev[b] = r->ev[b - 1];
                        b--;
                }
                r->ev[b] = x;
        }
        return 1;
}

/* 1, 0, or -EINVAL (the version or the range does not parse). */
static int range_affects(const struct range *r, const char *version) {
        if (r->invalid)
                return -EINVAL;
        bool has_limit = false, below_limit = false, affected = false;
        for (size_t i = 0; i < r->n; i++) {
                const struct event *e = &r->ev[i];
                int c = 1;
                if (!e->zero && r->cmp(version, e->v, &c) < 0)
                        return -EINVAL;
                switch (e->kind) {
                case EV_INTRODUCED:
                        if (c >= 0)
                                affected = true;
                        break;
                case EV_FIXED:
                        if (c >= 0)
                                affected = false;
                        break;
                case EV_LAST_AFFECTED:
                        if (c > 0)
                                affected = false;
                        break;
                case EV_LIMIT:
                        has_limit = true;
                        below_limit |= c < 0;
                        break;
                }
        }
        return affected && (!has_limit || below_limit);
}

static bool in_versions(const struct advisory *a, enum dep_ecosystem eco, const char *version) {
        size_t i;
        const json_t *x;
        json_array_foreach(a->versions, i, x) {
                const char *s = json_string_value(x);
                int c;
                if (s && (streq(s, version) || (eco_cmp(eco)(s, version, &c) == 0 && c == 0)))
                        return true;
        }
        return false;
}

int advisory_affects_version(const struct advisory *a, enum dep_ecosystem eco, const char *version) {
        if (in_versions(a, eco, version))
                return 1;
        struct range r;
        bool undecided = false;
        size_t i;
        const json_t *x;
        json_array_foreach(a->ranges, i, x) {
                if (range_prepare(x, eco, &r) == 0)
                        continue;
                int k = range_affects(&r, version);
                if (k > 0)
                        return 1;
                undecided |= k < 0;
        }
        return undecided ? -EINVAL : 0;
}

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}
static bool is_alnum(char c) {
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* npm partial versions ("1", "1.2", "1.x", "^2") as full ones: missing or wildcard parts are 0. */
static void semver_pad(const char *tok, size_t len, char *out, size_t outsz) {
        unsigned long long part[3] = { 0, 0, 0 };
        size_t k = 0;
        for (size_t i = 0; i < len && k < 3;) {
                if (!is_digit(tok[i]))
                        break;
                unsigned long long v = 0;
                while (i < len && is_digit(tok[i]) && v < 1000000000000ULL)
                        v = v * 10 + (unsigned) (tok[i++] - '0');
                part[k++] = v;
                if (i < len && tok[i] == '.')
                        i++;
                else
                        break;
        }
        snprintf(out, outsz, "%llu.%llu.%llu", part[0], part[1], part[2]);
}

/* The versions written in a spec (its bounds), as candidates. */
static size_t spec_candidates(const char *spec, enum dep_ecosystem eco,
                              char out[][VERSION_MAX_LEN + 1], size_t max) {
        size_t n = 0;
        for (const char *p = spec; *p && n < max;) {
                bool starts = is_digit(*p) &&
                              (p == spec || !is_alnum(p[-1]) ||
                               ((p[-1] == 'v' || p[-1] == 'V') && (p - 1 == spec || !is_alnum(p[-2]))));
                if (!starts) {
                        p++;
                        continue;
                }
                const char *q = p;
                while (*q && (is_alnum(*q) || strchr(".+!_-*", *q)))
                        q++;
                size_t len = (size_t) (q - p);
                while (len && strchr(".*-", p[len - 1])) /* "==1.2.*" -> 1.2 */
                        len--;
                if (len && len <= VERSION_MAX_LEN) {
                        memcpy(out[n], p, len);
                        out[n++][len] = '\0';
                        if (eco == DEP_NPM && n < max) {
                                semver_pad(p, len, out[n], sizeof(out[n]));
                                if (!streq(out[n], out[n - 1]))
                                        n++;
                        }
                }
                p = q;
        }
        return n;
}

/* 1, 0 or -EINVAL; "" allows everything (also pre-releases, which node-semver's "" would not). */
static int spec_allows(enum dep_ecosystem eco, const char *spec, const char *version) {
        if (!spec || !*spec)
                return 1;
        return eco == DEP_PYPI ? pep440_spec_match(spec, version) : semver_range_match(spec, version);
}

int advisory_affects_spec(const struct advisory *a, enum dep_ecosystem eco, const char *spec) {
        /* A spec we cannot read at all ("latest", a typo) leaves the question open. */
        if (spec && *spec && spec_allows(eco, spec, eco == DEP_PYPI ? "0" : "0.0.0") < 0)
                return json_array_size(a->versions) || json_array_size(a->ranges) ? -EINVAL : 0;
        size_t i;
        const json_t *x;
        json_array_foreach(a->versions, i, x) {
                const char *v = json_string_value(x);
                if (v && spec_allows(eco, spec, v) > 0)
                        return 1;
        }
        char cand[SPEC_CANDIDATES_MAX][VERSION_MAX_LEN + 1];
        size_t ncand = spec_candidates(spec ? spec : "", eco, cand, SPEC_CANDIDATES_MAX);
        struct range r;
        bool undecided = false;
        json_array_foreach(a->ranges, i, x) {
                if (range_prepare(x, eco, &r) == 0)
                        continue;
                if (r.invalid) {
                        undecided = true;
                        continue;
                }
                for (size_t e = 0; e < r.n + ncand; e++) {
                        const char *c = e < r.n ? r.ev[e].v : cand[e - r.n];
                        if (e < r.n && r.ev[e].zero)
                                c = r.cmp == semver_compare ? "0.0.0" : "0";
                        /* Candidates that do not parse (a spec's "1.x") are just not candidates. */
                        if (range_affects(&r, c) > 0 && spec_allows(eco, spec, c) > 0)
                                return 1;
                }
        }
        return undecided ? -EINVAL : 0;
}

bool advisory_affects_all(const struct advisory *a) {
        size_t i;
        const json_t *x;
        json_array_foreach(a->ranges, i, x) {
                const json_t *events = json_object_get(x, "events");
                size_t k;
                const json_t *e;
                bool all_zero = json_array_size(events) > 0;
                json_array_foreach(events, k, e) {
                        const char *intro = json_string_value(json_object_get(e, "introduced"));
                        all_zero &= json_object_size(e) == 1 && intro && streq(intro, "0");
                }
                if (all_zero)
                        return true;
        }
        return false;
}
