/* The supply-chain audit (supply_chain.h): per dependency the bundled malicious list, the
 * typosquat check, then the advisory database; one status and at most a few findings each. */
#include "supply_chain.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "pkglists.h"
#include "version.h"

#define SUPPLY_NAME_MAX 256   /* longer names are not compared for typosquatting */
#define SUPPLY_IDS_IN_MESSAGE 5
#define SUPPLY_LABEL_SPEC_MAX 80 /* bytes of a spec quoted in a message */

static const char *const STATUSES[] = {
        [SUPPLY_UNKNOWN] = "unknown",
        [SUPPLY_CLEAN] = "clean",
        [SUPPLY_MAYBE_VULNERABLE] = "maybe_vulnerable",
        [SUPPLY_TYPOSQUAT] = "typosquat",
        [SUPPLY_VULNERABLE] = "vulnerable",
        [SUPPLY_MALICIOUS] = "malicious",
};

const char *supply_status_to_string(enum supply_status s) {
        return (size_t) s < ELEMENTSOF(STATUSES) ? STATUSES[s] : "unknown";
}

/* ---- typosquats ------------------------------------------------------------------------------ */

/* Optimal-string-alignment distance exactly 1: one substitution, insertion, deletion, or a swap
 * of two neighbours. Linear: past the first difference the rest must line up. */
static bool distance_is_one(const char *a, size_t la, const char *b, size_t lb) {
        if (la > lb + 1 || lb > la + 1)
                return false;
        size_t i = 0;
        while (i < la && i < lb && a[i] == b[i])
                i++;
        if (la == lb) {
                if (i == la)
                        return false; /* equal */
                if (streq(a + i + 1, b + i + 1))
                        return true;
                return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && streq(a + i + 2, b + i + 2);
        }
        return la > lb ? streq(a + i + 1, b + i) : streq(a + i, b + i + 1);
}

/* Separators dropped, look-alike characters folded: "l0-dash" and "lodash" share a skeleton. */
static size_t skeleton(const char *s, char *out, size_t outsz) {
        size_t n = 0;
        for (; *s && n + 1 < outsz; s++) {
                char c = *s;
                if (c == '-' || c == '_' || c == '.')
                        continue;
                out[n++] = c == '0' ? 'o' : (c == '1' || c == 'i') ? 'l' : c;
        }
        out[n] = '\0';
        return n;
}

/* The list's own copy of a popular name (so callers may keep the pointer). */
static const char *popular_entry(enum dep_ecosystem eco, const char *name) {
        size_t n;
        const char *const *v = pkglist_popular(eco, &n);
        for (size_t i = 0; i < n; i++)
                if (streq(v[i], name))
                        return v[i];
        return NULL;
}

/* "python-requests", "requests-py", "jquery.js": a popular name with a decoration. */
static const char *affix_target(enum dep_ecosystem eco, const char *name) {
        static const char *const PY_PREFIX[] = { "python-", "python3-", "py-", "py" };
        static const char *const PY_SUFFIX[] = { "-python", "-python3", "-py" };
        static const char *const NPM_PREFIX[] = { "node-", "js-" };
        static const char *const NPM_SUFFIX[] = { ".js", "-js", "js" };
        const char *const *pre = eco == DEP_PYPI ? PY_PREFIX : NPM_PREFIX;
        const char *const *suf = eco == DEP_PYPI ? PY_SUFFIX : NPM_SUFFIX;
        size_t npre = eco == DEP_PYPI ? ELEMENTSOF(PY_PREFIX) : ELEMENTSOF(NPM_PREFIX);
        size_t nsuf = eco == DEP_PYPI ? ELEMENTSOF(PY_SUFFIX) : ELEMENTSOF(NPM_SUFFIX);
        /* Short bases make too many accidental words ("py" + "test"); npm's ".js" squats of
         * two-letter names ("d3.js") are a known pattern, so npm allows them. */
        size_t min_base = eco == DEP_PYPI ? 5 : 2;
        size_t len = strlen(name);
        char base[SUPPLY_NAME_MAX + 1];
        for (size_t k = 0; k < npre + nsuf; k++) {
                const char *a = k < npre ? pre[k] : suf[k - npre];
                size_t alen = strlen(a);
                if (len <= alen || len - alen < min_base)
                        continue;
                if (k < npre ? !strneq(name, a, alen) : !streq(name + len - alen, a))
                        continue;
                size_t blen = len - alen;
                memcpy(base, k < npre ? name + alen : name, blen);
                base[blen] = '\0';
                const char *p = popular_entry(eco, base);
                if (p)
                        return p;
        }
        return NULL;
}

/* A scoped npm name in a scope some popular package lives in: "@types/whatever" can only be
 * published by the scope's owners, so it is no typosquat ("@typse/node" still is). */
static bool in_popular_scope(const char *name) {
        const char *slash = strchr(name, '/');
        if (name[0] != '@' || !slash)
                return false;
        size_t scope = (size_t) (slash - name) + 1;
        size_t n;
        const char *const *v = pkglist_popular(DEP_NPM, &n);
        for (size_t i = 0; i < n; i++)
                if (strneq(v[i], name, scope))
                        return true;
        return false;
}

const char *supply_typosquat_target(enum dep_ecosystem eco, const char *name) {
        size_t len = name ? strlen(name) : 0;
        if (len == 0 || len > SUPPLY_NAME_MAX || pkglist_is_popular(eco, name) || pkglist_is_legit(eco, name))
                return NULL;
        if (eco == DEP_NPM && in_popular_scope(name))
                return NULL;
        char sk[SUPPLY_NAME_MAX + 1], psk[SUPPLY_NAME_MAX + 1];
        skeleton(name, sk, sizeof(sk));
        size_t n;
        const char *const *v = pkglist_popular(eco, &n);
        for (size_t i = 0; i < n; i++) {
                size_t plen = strlen(v[i]);
                /* Between short names one edit is mostly another word ("attr", "attrs"). */
                if (len >= 5 && plen >= 5 && distance_is_one(name, len, v[i], plen))
                        return v[i];
                if (plen >= 3 && plen <= SUPPLY_NAME_MAX) {
                        skeleton(v[i], psk, sizeof(psk));
                        if (streq(sk, psk))
                                return v[i];
                }
        }
        return affix_target(eco, name);
}

/* ---- the audit ------------------------------------------------------------------------------- */

/* "A, B, C, D, E and 7 more" */
static char *ids_text(const json_t *ids) {
        _cleanup_buf_ struct buf b = BUF_INIT(4096);
        size_t i;
        const json_t *x;
        json_array_foreach(ids, i, x) {
                if (i == SUPPLY_IDS_IN_MESSAGE) {
                        if (buf_printf(&b, " and %zu more", json_array_size(ids) - i) < 0)
                                return NULL;
                        break;
                }
                if (buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(x)) < 0)
                        return NULL;
        }
        return buf_steal(&b);
}

/* "requests 2.0.1", "requests >=2,<3", "requests (any version)": valid UTF-8 (spec and version
 * are the skill's bytes) and short, for messages. */
static char *dep_label(const struct dependency *d) {
        const char *v = d->version ? d->version : d->spec && *d->spec ? d->spec : NULL;
        char *raw = NULL;
        int k = v ? asprintf(&raw, "%s %.*s%s", d->name, SUPPLY_LABEL_SPEC_MAX, v,
                             strlen(v) > SUPPLY_LABEL_SPEC_MAX ? "..." : "")
                  : asprintf(&raw, "%s (any version)", d->name);
        if (k < 0)
                return NULL;
        json_t *j = json_stringn_lossy(raw, strlen(raw));
        free(raw);
        char *out = j ? strdup(json_string_value(j)) : NULL;
        json_decref(j);
        return out;
}

struct dep_result {
        enum supply_status status;
        json_t *ids;        /* every advisory that matched in any way */
        json_t *malicious;  /* MAL advisories covering the dependency */
        json_t *vulnerable; /* advisories affecting the pinned version */
        json_t *maybe;      /* advisories that may apply */
        bool critical;      /* some vulnerable advisory is CRITICAL */
        bool maybe_malicious;
};

static void dep_result_done(struct dep_result *r) {
        json_decref(r->ids);
        json_decref(r->malicious);
        json_decref(r->vulnerable);
        json_decref(r->maybe);
}

static void raise_status(struct dep_result *r, enum supply_status s) {
        if (s > r->status)
                r->status = s;
}

static int add_finding(struct findings *f, const struct dependency *d, const char *rule, enum severity sev,
                       const char *fmt, ...) _printf_(5, 6);
static int add_finding(struct findings *f, const struct dependency *d, const char *rule, enum severity sev,
                       const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *msg = NULL;
        int k = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        return findings_add(f, rule, sev, "supply_chain", d ? d->file : "", d ? d->line : 0, 0, NULL, 0, "%s",
                            msg);
}

/* The bundled list: a malicious name, a compromised release pinned, or a spec that admits one. */
static int check_bundled(const struct dependency *d, const char *label, struct dep_result *r, struct findings *f) {
        const struct pkg_malicious *m = pkglist_malicious_find(d->eco, d->name);
        if (!m)
                return 0;
        if (pkglist_malicious_covers(m, d->eco, d->version)) {
                raise_status(r, SUPPLY_MALICIOUS);
                return add_finding(f, d, "supply.malicious", SEV_CRITICAL, "%s is a known malicious %s: %s", label,
                                   streq(m->versions, "*") ? "package" : "release", m->note);
        }
        if (d->version || d->url)
                return 0;
        /* Unpinned: may the spec pick one of the bad releases? */
        for (const char *p = m->versions; *p;) {
                size_t len = strcspn(p, " ");
                char v[VERSION_MAX_LEN + 1];
                if (len <= VERSION_MAX_LEN) {
                        memcpy(v, p, len);
                        v[len] = '\0';
                        const char *spec = d->spec ? d->spec : "";
                        int k = !*spec ? 1 : d->eco == DEP_PYPI ? pep440_spec_match(spec, v) : semver_range_match(spec, v);
                        if (k != 0) { /* allowed, or a spec we cannot read */
                                raise_status(r, SUPPLY_MAYBE_VULNERABLE);
                                return add_finding(f, d, "supply.maybe-malicious", SEV_MEDIUM,
                                                   "%s may allow known compromised releases (%s): %s; pin a clean version",
                                                   label, m->versions, m->note);
                        }
                }
                p += len;
                p += strspn(p, " ");
        }
        return 0;
}

static int check_typosquat(const struct dependency *d, struct dep_result *r, const char **ret_target,
                           struct findings *f) {
        const char *t = supply_typosquat_target(d->eco, d->name);
        *ret_target = t;
        if (!t)
                return 0;
        raise_status(r, SUPPLY_TYPOSQUAT);
        return add_finding(f, d, "supply.typosquat", SEV_HIGH,
                           "%s looks like a typosquat of the popular package %s; check the name", d->name, t);
}

static int append_unique(json_t *arr, const char *id) {
        size_t i;
        json_t *x;
        json_array_foreach(arr, i, x)
                if (streq(json_string_value(x), id))
                        return 0;
        return json_array_append_string(arr, id);
}

static int classify_advisory(const struct dependency *d, const struct advisory *a, struct dep_result *r) {
        json_t *into = NULL;
        if (d->url) {
                /* Not a version range: only "every version is malicious" can be said. */
                if (a->malicious && advisory_affects_all(a))
                        into = r->malicious;
        } else if (d->version) {
                int k = advisory_affects_version(a, d->eco, d->version);
                if (k > 0)
                        into = a->malicious ? r->malicious : r->vulnerable;
                else if (k < 0)
                        into = r->maybe; /* cannot compare: not "clean" */
                if (k > 0 && !a->malicious && a->severity && streq(a->severity, "critical"))
                        r->critical = true;
        } else if (a->malicious && advisory_affects_all(a)) {
                into = r->malicious;
        } else if (advisory_affects_spec(a, d->eco, d->spec) != 0) {
                into = r->maybe;
                r->maybe_malicious |= a->malicious;
        }
        if (!into)
                return 0;
        /* The database and the online source may both know an advisory: list it once. */
        if (append_unique(into, a->id) < 0 || append_unique(r->ids, a->id) < 0)
                return -ENOMEM;
        return 0;
}

/* The database's advisories for d, classified into r. 1 when it answered, 0 when it failed (a
 * finding says so), -ENOMEM. */
static int check_database(const struct dependency *d, const char *label, struct advisory_db *db,
                          struct dep_result *r, struct findings *f) {
        struct advisory_list l = { 0 };
        struct error err = ERROR_INIT;
        int k = advisory_lookup(db, d->eco, d->name, &l, &err);
        if (k < 0) {
                advisory_list_done(&l);
                if (k == -ENOMEM)
                        return k;
                k = add_finding(f, d, "supply.not-audited", SEV_LOW, "%s not audited: %s", label, err.msg);
                return k < 0 ? k : 0;
        }
        for (size_t i = 0; i < l.n && k >= 0; i++)
                k = classify_advisory(d, &l.v[i], r);
        advisory_list_done(&l);
        return k < 0 ? k : 1;
}

/* One finding per kind of match, whichever source found it. */
static int report_matches(const struct dependency *d, const char *label, struct dep_result *r, struct findings *f) {
        int k;
        _cleanup_free_ char *mal = ids_text(r->malicious), *vuln = ids_text(r->vulnerable), *maybe = ids_text(r->maybe);
        if (!mal || !vuln || !maybe)
                return -ENOMEM;
        if (json_array_size(r->malicious)) {
                raise_status(r, SUPPLY_MALICIOUS);
                k = add_finding(f, d, "supply.malicious", SEV_CRITICAL, "%s is reported malicious (%s)", label, mal);
                if (k < 0)
                        return k;
        }
        if (json_array_size(r->vulnerable)) {
                raise_status(r, SUPPLY_VULNERABLE);
                k = add_finding(f, d, "supply.vulnerable", r->critical ? SEV_CRITICAL : SEV_HIGH,
                                "%s is affected by %zu known %s (%s); upgrade to a fixed version", label,
                                json_array_size(r->vulnerable),
                                json_array_size(r->vulnerable) == 1 ? "vulnerability" : "vulnerabilities", vuln);
                if (k < 0)
                        return k;
        }
        if (json_array_size(r->maybe)) {
                raise_status(r, SUPPLY_MAYBE_VULNERABLE);
                k = add_finding(f, d, r->maybe_malicious ? "supply.maybe-malicious" : "supply.maybe-vulnerable",
                                SEV_MEDIUM, "%s may resolve to an affected version: %zu %s (%s); pin a fixed version",
                                label, json_array_size(r->maybe),
                                r->maybe_malicious ? "malicious-release report(s)"
                                : json_array_size(r->maybe) == 1 ? "advisory" : "advisories", maybe);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* db: NULL when it has nothing for d's ecosystem. online: NULL when not asked. */
static int audit_one(const struct dependency *d, struct advisory_db *db, const struct supply_answer *online,
                     json_t *entry, struct findings *f) {
        _cleanup_(dep_result_done) struct dep_result r = {
                .ids = json_array(), .malicious = json_array(), .vulnerable = json_array(), .maybe = json_array(),
        };
        _cleanup_free_ char *label = dep_label(d);
        if (!label || !r.ids || !r.malicious || !r.vulnerable || !r.maybe)
                return -ENOMEM;
        int k = check_bundled(d, label, &r, f);
        const char *target = NULL;
        if (k >= 0 && r.status != SUPPLY_MALICIOUS)
                k = check_typosquat(d, &r, &target, f);
        bool answered = false;
        if (k >= 0 && db) {
                k = check_database(d, label, db, &r, f);
                answered = k > 0;
        }
        /* Advisories fetched before an online failure still count; only "clean" needs an answer. */
        for (size_t i = 0; k >= 0 && online && i < online->advisories.n; i++)
                k = classify_advisory(d, &online->advisories.v[i], &r);
        if (k < 0)
                return k;
        answered |= online && online->answered;
        if (answered && !d->url) /* a URL or VCS source has no version to be clean at */
                raise_status(&r, SUPPLY_CLEAN);
        if ((k = report_matches(d, label, &r, f)) < 0)
                return k;
        /* A source that could not answer never lets "clean" stand: the user asked for it. */
        if (online && !online->answered && r.status == SUPPLY_CLEAN)
                r.status = SUPPLY_UNKNOWN;
        const char *note = online && !online->answered ? online->note ? online->note : "no answer" : NULL;
        if (json_object_set_new(entry, "status", json_string(supply_status_to_string(r.status))) < 0 ||
            json_object_set(entry, "advisories", r.ids) < 0 ||
            (target && json_object_set_new(entry, "typosquat_of", json_string(target)) < 0) ||
            (note && json_object_set_new(entry, "note", json_stringn_lossy(note, strlen(note))) < 0))
                return -ENOMEM;
        return 0;
}

void supply_online_done(struct supply_online *o) {
        for (size_t i = 0; o->v && i < o->n; i++) {
                free(o->v[i].note);
                advisory_list_done(&o->v[i].advisories);
        }
        free(o->v);
        free(o->source);
        *o = (struct supply_online) { 0 };
}

/* One finding for every dependency the online source did not answer: "3 dependencies not audited
 * online (a 1.0, b, c): <the first note>". */
static int report_unanswered(const struct dependencies *deps, const struct supply_online *online, struct findings *f,
                             size_t *ret_unanswered) {
        _cleanup_buf_ struct buf labels = BUF_INIT(4096);
        const char *note = NULL;
        const struct dependency *first = NULL;
        size_t n = 0;
        for (size_t i = 0; i < deps->n; i++) {
                if (online->v[i].answered)
                        continue;
                if (!first) {
                        first = &deps->v[i];
                        note = online->v[i].note ? online->v[i].note : "no answer";
                }
                if (n++ >= SUPPLY_IDS_IN_MESSAGE)
                        continue;
                _cleanup_free_ char *label = dep_label(&deps->v[i]);
                if (!label || buf_printf(&labels, "%s%s", n > 1 ? ", " : "", label) < 0)
                        return -ENOMEM;
        }
        *ret_unanswered = n;
        if (n == 0)
                return 0;
        _cleanup_json_ json_t *safe_note = json_stringn_lossy(note, strlen(note));
        if (!safe_note)
                return -ENOMEM;
        return add_finding(f, n == 1 ? first : NULL, "supply.not-audited", SEV_LOW,
                           "%zu %s not audited online (%s%s): %s", n, n == 1 ? "dependency" : "dependencies",
                           labels.data ? labels.data : "", n > SUPPLY_IDS_IN_MESSAGE ? ", ..." : "",
                           json_string_value(safe_note));
}

int supply_chain_audit(const struct dependencies *deps, struct advisory_db *db, struct findings *f,
                       json_t **ret_report) {
        return supply_chain_audit_online(deps, db, NULL, f, ret_report);
}

int supply_chain_audit_online(const struct dependencies *deps, struct advisory_db *db,
                              const struct supply_online *online, struct findings *f, json_t **ret_report) {
        if (online && online->n != deps->n)
                return -EINVAL;
        _cleanup_json_ json_t *list = deps_to_json(deps);
        if (!list || json_array_size(list) != deps->n)
                return -ENOMEM;
        struct advisory_db_status st;
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *dbj = NULL;
        if (db && advisory_db_status(db, &st, &err) < 0) {
                int k = add_finding(f, NULL, "supply.not-audited", SEV_LOW,
                                    "supply chain not audited: the advisory database does not answer: %s", err.msg);
                if (k < 0)
                        return k;
                db = NULL;
        }
        if (db && !(dbj = advisory_db_status_to_json(db, &st)))
                return -ENOMEM;
        bool eco_missing[ADVISORY_ECOSYSTEMS] = { false };
        for (size_t i = 0; i < deps->n; i++) {
                const struct dependency *d = &deps->v[i];
                /* A database without data for this ecosystem says nothing: unknown, never clean. */
                bool has_data = db && (unsigned) d->eco < ADVISORY_ECOSYSTEMS && st.ecosystem[d->eco] > 0;
                if (db && !has_data && (unsigned) d->eco < ADVISORY_ECOSYSTEMS)
                        eco_missing[d->eco] = true;
                int k = audit_one(d, has_data ? db : NULL, online ? &online->v[i] : NULL, json_array_get(list, i), f);
                if (k < 0)
                        return k;
        }
        int k = 0;
        size_t unanswered = 0;
        /* Online, the source's own failures say what went unaudited. */
        if (online)
                k = report_unanswered(deps, online, f, &unanswered);
        else if (!db && deps->n > 0)
                k = add_finding(f, NULL, "supply.not-audited", SEV_LOW,
                                "supply chain not audited: no advisory database (skilllite advisories import ...)");
        for (int e = 0; e < ADVISORY_ECOSYSTEMS && k >= 0 && !online; e++)
                if (eco_missing[e])
                        k = add_finding(f, NULL, "supply.not-audited", SEV_LOW,
                                        "%s dependencies not audited: the advisory database has no %s advisories "
                                        "(skilllite advisories import ...)",
                                        dep_ecosystem_to_string((enum dep_ecosystem) e),
                                        dep_ecosystem_to_string((enum dep_ecosystem) e));
        if (k < 0)
                return k;
        _cleanup_json_ json_t *report = json_pack("{s:o, s:O}", "database", dbj ? TAKE_PTR(dbj) : json_null(),
                                                  "dependencies", list);
        if (!report)
                return -ENOMEM;
        if (online && json_object_set_new(report, "online",
                                          json_pack("{s:s?, s:I, s:I}", "source", online->source, "answered",
                                                    (json_int_t) (deps->n - unanswered), "unanswered",
                                                    (json_int_t) unanswered)) < 0)
                return -ENOMEM;
        *ret_report = TAKE_PTR(report);
        return 0;
}
