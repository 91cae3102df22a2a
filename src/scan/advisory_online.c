/* The OSV API as an advisory source (advisory_online.h): batched queries with pagination, then one
 * fetch per distinct advisory, every answer bounded and validated before use. */
#include "advisory_online.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "../base/utf8.h"

/* ---- configuration --------------------------------------------------------------------------- */

static bool url_ok(const char *u) {
        size_t skip;
        if (strncasecmp(u, "http://", 7) == 0)
                skip = 7;
        else if (strncasecmp(u, "https://", 8) == 0)
                skip = 8;
        else
                return false;
        if (!u[skip] || u[skip] == '/')
                return false; /* no host */
        /* Blanks and control characters would reach a request line; a query or fragment would swallow
         * the path we append. */
        for (const char *p = u; *p; p++)
                if ((unsigned char) *p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#')
                        return false;
        return true;
}

int osv_config_from_env(struct osv_config *c, struct error *err) {
        *c = (struct osv_config) { 0 };
        const char *base = getenv("SKILLLITE_OSV_API");
        const char *timeout = getenv("SKILLLITE_OSV_TIMEOUT_SECS");
        if (!base || !*base)
                base = OSV_API_DEFAULT;
        if (strlen(base) > OSV_URL_MAX || !url_ok(base))
                return error_set(err, -EINVAL, "SKILLLITE_OSV_API: expected an http:// or https:// URL without a "
                                               "query (e.g. %s)", OSV_API_DEFAULT);
        long secs = OSV_TIMEOUT_DEFAULT_SECS;
        if (timeout && *timeout) {
                char *end = NULL;
                errno = 0;
                long v = strtol(timeout, &end, 10);
                if (errno || end == timeout || *end || v < 1 || v > OSV_TIMEOUT_MAX_SECS)
                        return error_set(err, -EINVAL,
                                         "SKILLLITE_OSV_TIMEOUT_SECS: expected whole seconds from 1 to %d",
                                         OSV_TIMEOUT_MAX_SECS);
                secs = v;
        }
        c->api_base = strdup(base);
        if (!c->api_base)
                return error_set(err, -ENOMEM, "out of memory");
        c->timeout_ms = secs * 1000;
        return 0;
}

void osv_config_done(struct osv_config *c) {
        free(c->api_base);
        *c = (struct osv_config) { 0 };
}

/* ---- pieces ---------------------------------------------------------------------------------- */

bool osv_id_valid(const char *id, size_t len) {
        if (!id || len == 0 || len > OSV_ID_MAX || id[0] == '.')
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = id[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-'))
                        return false;
                if (c == '.' && i + 1 < len && id[i + 1] == '.')
                        return false;
        }
        return true;
}

char *osv_api_url(const char *base, const char *path) {
        size_t n = strlen(base);
        while (n && base[n - 1] == '/')
                n--;
        if (n >= 3 && strncmp(base + n - 3, "/v1", 3) == 0)
                n -= 3;
        while (n && base[n - 1] == '/')
                n--;
        char *url = NULL;
        if (asprintf(&url, "%.*s%s", (int) n, base, path) < 0)
                return NULL;
        return url;
}

json_t *osv_batch_request(const struct osv_query *q, size_t n) {
        _cleanup_json_ json_t *queries = json_array();
        if (!queries)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                json_t *one = json_pack("{s:{s:s, s:s}}", "package", "name", q[i].name, "ecosystem",
                                        dep_ecosystem_to_string(q[i].eco));
                if (!one)
                        return NULL;
                if ((q[i].version && json_object_set_new(one, "version", json_string(q[i].version)) < 0) ||
                    (q[i].page_token && json_object_set_new(one, "page_token", json_string(q[i].page_token)) < 0) ||
                    json_array_append_new(queries, one) < 0)
                        return NULL;
        }
        return json_pack("{s:O}", "queries", queries);
}

/* One entry of "results": {"vulns": [{"id", "modified"}...], "next_page_token"?}; {} = none. */
static json_t *parse_result(const json_t *res) {
        if (!json_is_object(res))
                return json_pack("{s:s}", "error", "a result is not an object");
        _cleanup_json_ json_t *ids = json_array();
        if (!ids)
                return NULL;
        const json_t *vulns = json_object_get(res, "vulns");
        if (vulns && !json_is_array(vulns))
                return json_pack("{s:s}", "error", "\"vulns\" is not an array");
        size_t i;
        const json_t *v;
        json_array_foreach(vulns, i, v) {
                const json_t *id = json_object_get(v, "id");
                if (!json_is_string(id) || !osv_id_valid(json_string_value(id), json_string_length(id)))
                        return json_pack("{s:s}", "error", "the OSV API named an invalid advisory id");
                if (json_array_append(ids, (json_t *) id) < 0)
                        return NULL;
        }
        const json_t *next = json_object_get(res, "next_page_token");
        if (!next || json_is_null(next) || (json_is_string(next) && json_string_length(next) == 0))
                return json_pack("{s:O}", "ids", ids);
        if (!json_is_string(next) || json_string_length(next) > OSV_PAGE_TOKEN_MAX ||
            strlen(json_string_value(next)) != json_string_length(next))
                return json_pack("{s:s}", "error", "invalid next_page_token");
        return json_pack("{s:O, s:O}", "ids", ids, "next", next);
}

int osv_parse_batch(const char *body, size_t len, size_t n, json_t **ret, struct error *err) {
        struct error perr = ERROR_INIT;
        _cleanup_json_ json_t *j = json_parse_strict(body, len, OSV_BATCH_RESPONSE_MAX, &perr);
        if (!j)
                return error_set(err, -EBADMSG, "the answer is not JSON");
        const json_t *results = json_object_get(j, "results");
        if (!json_is_array(results))
                return error_set(err, -EBADMSG, "the answer has no \"results\" array");
        if (json_array_size(results) != n)
                return error_set(err, -EBADMSG, "the answer has %zu results for %zu queries",
                                 json_array_size(results), n);
        _cleanup_json_ json_t *out = json_array();
        if (!out)
                return error_set(err, -ENOMEM, "out of memory");
        size_t i;
        const json_t *res;
        json_array_foreach(results, i, res)
                if (json_array_append_new(out, parse_result(res)) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        *ret = TAKE_PTR(out);
        return 0;
}

static void advisory_free_fields(struct advisory *a) {
        free(a->id);
        free(a->modified);
        free(a->summary);
        free(a->severity);
        free(a->cvss);
        json_decref(a->aliases);
        json_decref(a->ranges);
        json_decref(a->versions);
        *a = (struct advisory) { 0 };
}

/* Does doc's affected[] name d's package at all (whatever its ranges)? */
static bool doc_names_package(const json_t *doc, const struct dependency *d, const char *norm) {
        size_t i;
        const json_t *aff;
        json_array_foreach(json_object_get(doc, "affected"), i, aff) {
                const json_t *pkg = json_object_get(aff, "package");
                const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
                const char *name = json_string_value(json_object_get(pkg, "name"));
                if (!eco || !name || !streq(eco, dep_ecosystem_to_string(d->eco)))
                        continue;
                _cleanup_free_ char *n = advisory_normalize_name(d->eco, name);
                if (n && streq(n, norm))
                        return true;
        }
        return false;
}

int osv_advisory_for_dep(const json_t *doc, const struct osv_adv *a, const struct dependency *d,
                         struct advisory *ret) {
        _cleanup_free_ char *norm = advisory_normalize_name(d->eco, d->name);
        if (!norm)
                return -ENOMEM;
        const json_t *entry = NULL;
        const char *key;
        const json_t *p;
        json_object_foreach(a->packages, key, p) {
                const char *name = json_string_value(json_object_get(p, "name"));
                if (json_integer_value(json_object_get(p, "eco")) == (json_int_t) d->eco && name && streq(name, norm)) {
                        entry = p;
                        break;
                }
        }
        json_t *ranges = NULL, *versions = NULL;
        if (entry) {
                ranges = json_incref(json_object_get(entry, "ranges"));
                versions = json_incref(json_object_get(entry, "versions"));
        } else if (d->version && !d->url && doc_names_package(doc, d, norm)) {
                /* OSV listed the advisory for this exact version, but with ranges we do not evaluate
                 * (GIT): its answer stands rather than a silent "clean". */
                ranges = json_array();
                versions = json_pack("[s]", d->version);
        } else {
                return 0;
        }
        struct advisory x = {
                .id = strdup(a->id),
                .modified = strdup(a->modified),
                .summary = strdup(a->summary ? a->summary : ""),
                .severity = a->severity ? strdup(a->severity) : NULL,
                .cvss = a->cvss ? strdup(a->cvss) : NULL,
                .aliases = json_incref(a->aliases),
                .malicious = a->malicious,
                .ranges = ranges,
                .versions = versions,
        };
        if (!x.id || !x.modified || !x.summary || (a->severity && !x.severity) || (a->cvss && !x.cvss) ||
            !x.aliases || !x.ranges || !x.versions) {
                advisory_free_fields(&x);
                return -ENOMEM;
        }
        *ret = x;
        return 1;
}

/* ---- the run --------------------------------------------------------------------------------- */

struct dep_state {
        json_t *ids;      /* every id named on every page: id -> true, in the order named */
        char *token;      /* the next page to ask, NULL when done */
        unsigned pages;   /* pages read */
};

struct run {
        const struct osv_config *c;
        osv_fetch_fn fetch;
        void *userdata;
        const struct dependencies *deps;
        struct supply_answer *ans;
        struct dep_state *st;
        unsigned failures_in_row;
        size_t listed;    /* ids listed, all dependencies together */
        uint64_t bytes;
        char *shown_base;
        struct error gave_up; /* set once OSV_FAILURES_IN_A_ROW_MAX transport failures happened */
};

static bool failed(const struct run *r, size_t i) {
        return r->ans[i].note != NULL;
}

/* Record why dependency i has no complete answer (the first reason wins). 0 or -ENOMEM. */
static int fail(struct run *r, size_t i, const char *fmt, ...) _printf_(3, 4);
static int fail(struct run *r, size_t i, const char *fmt, ...) {
        if (failed(r, i))
                return 0;
        va_list ap;
        va_start(ap, fmt);
        int k = vasprintf(&r->ans[i].note, fmt, ap);
        va_end(ap);
        if (k < 0) {
                r->ans[i].note = NULL;
                return -ENOMEM;
        }
        free(r->st[i].token);
        r->st[i].token = NULL;
        return 0;
}

/* One request through the transport, counting transport failures in a row. 0 with *resp (any
 * status), or -errno with err set (then nothing to release). */
static int request(struct run *r, const char *url, const char *post, size_t max, struct http_response *resp,
                   struct error *err) {
        if (r->gave_up.code)
                return error_set(err, r->gave_up.code, "not asked after %d failures in a row: %s",
                                 OSV_FAILURES_IN_A_ROW_MAX, r->gave_up.msg);
        if (r->bytes >= OSV_FETCH_BYTES_MAX)
                return error_set(err, -EFBIG, "not asked: the answers of this run passed %llu bytes",
                                 (unsigned long long) OSV_FETCH_BYTES_MAX);
        int k = r->fetch(r->userdata, url, post, max, r->c->timeout_ms, resp, err);
        if (k == -ENOMEM)
                return k;
        if (k < 0) {
                if (++r->failures_in_row >= OSV_FAILURES_IN_A_ROW_MAX && !r->gave_up.code)
                        error_set(&r->gave_up, k, "%s", err->msg);
                return k;
        }
        r->failures_in_row = 0;
        r->bytes += resp->len;
        return 0;
}

/* Apply one parsed result to dependency i: its ids, and whether another page is to be asked. */
static int take_result(struct run *r, size_t i, const json_t *res) {
        const json_t *e = json_object_get(res, "error");
        if (e)
                return fail(r, i, "%s: %s", r->shown_base, json_string_value(e));
        size_t k;
        const json_t *id;
        json_array_foreach(json_object_get(res, "ids"), k, id) {
                const char *s = json_string_value(id);
                if (json_object_get(r->st[i].ids, s))
                        continue;
                /* A server listing without end must not cost unbounded memory or time. */
                if (json_object_size(r->st[i].ids) >= OSV_IDS_MAX || r->listed >= OSV_LISTED_MAX)
                        return fail(r, i, "%s: more than %d advisories listed", r->shown_base,
                                    json_object_size(r->st[i].ids) >= OSV_IDS_MAX ? OSV_IDS_MAX : OSV_LISTED_MAX);
                if (json_object_set(r->st[i].ids, s, json_true()) < 0)
                        return -ENOMEM;
                r->listed++;
        }
        free(r->st[i].token);
        r->st[i].token = NULL;
        r->st[i].pages++;
        const json_t *next = json_object_get(res, "next");
        if (!next)
                return 0;
        if (r->st[i].pages >= OSV_PAGES_MAX)
                return fail(r, i, "%s: more than %d pages of advisories", r->shown_base, OSV_PAGES_MAX);
        r->st[i].token = strdup(json_string_value(next));
        return r->st[i].token ? 0 : -ENOMEM;
}

/* One querybatch for the dependencies idx[0..n). */
static int ask_batch(struct run *r, const char *url, const char *shown, const size_t *idx, size_t n) {
        _cleanup_free_ struct osv_query *q = calloc(n, sizeof(*q));
        if (!q)
                return -ENOMEM;
        for (size_t j = 0; j < n; j++) {
                const struct dependency *d = &r->deps->v[idx[j]];
                q[j] = (struct osv_query) { d->eco, d->name, d->url ? NULL : d->version, r->st[idx[j]].token };
        }
        _cleanup_json_ json_t *body = osv_batch_request(q, n);
        _cleanup_free_ char *post = body ? json_dumps(body, JSON_COMPACT) : NULL;
        if (!post)
                return -ENOMEM;
        struct error err = ERROR_INIT;
        _cleanup_(http_response_done) struct http_response resp = { .retry_after = -1 };
        int k = request(r, url, post, OSV_BATCH_RESPONSE_MAX, &resp, &err);
        if (k == -ENOMEM)
                return k;
        if (k == 0 && resp.status != 200)
                k = http_status_error(&resp, shown, NULL, &err);
        _cleanup_json_ json_t *results = NULL;
        if (k == 0 && osv_parse_batch(resp.body, resp.len, n, &results, &err) < 0) {
                if (err.code == -ENOMEM)
                        return -ENOMEM;
                error_prefix(&err, "%s", shown);
                k = -EBADMSG;
        }
        for (size_t j = 0; j < n; j++) {
                int m = k < 0 ? fail(r, idx[j], "%s", err.msg) : take_result(r, idx[j], json_array_get(results, j));
                if (m < 0)
                        return m;
        }
        return 0;
}

/* Every dependency's ids, page after page. */
static int ask_all(struct run *r) {
        _cleanup_free_ char *url = osv_api_url(r->c->api_base, "/v1/querybatch");
        _cleanup_free_ char *shown = url ? http_display_url(url) : NULL;
        _cleanup_free_ size_t *idx = calloc(r->deps->n ? r->deps->n : 1, sizeof(*idx));
        if (!url || !shown || !idx)
                return -ENOMEM;
        for (size_t i = 0; i < r->deps->n; i++) {
                const struct dependency *d = &r->deps->v[i];
                /* JSON carries UTF-8 only; the extractors never produce anything else. */
                if (!utf8_is_valid(d->name, strlen(d->name)) ||
                    (d->version && !utf8_is_valid(d->version, strlen(d->version)))) {
                        int k = fail(r, i, "not asked: the name or version is not UTF-8");
                        if (k < 0)
                                return k;
                }
        }
        /* Round 0 asks every dependency; each later round the ones with another page. */
        for (unsigned round = 0; round <= OSV_PAGES_MAX; round++) {
                size_t n = 0;
                for (size_t i = 0; i < r->deps->n; i++)
                        if (!failed(r, i) && (round == 0 || r->st[i].token))
                                idx[n++] = i;
                if (n == 0)
                        break;
                for (size_t at = 0; at < n; at += OSV_BATCH_MAX) {
                        int k = ask_batch(r, url, shown, idx + at, n - at < OSV_BATCH_MAX ? n - at : OSV_BATCH_MAX);
                        if (k < 0)
                                return k;
                }
        }
        return 0;
}

/* The distinct ids -> the dependencies naming them, at most OSV_IDS_MAX ids. */
static int index_ids(struct run *r, json_t *byid) {
        for (size_t i = 0; i < r->deps->n; i++) {
                if (failed(r, i))
                        continue;
                const char *s;
                json_t *unused;
                json_object_foreach(r->st[i].ids, s, unused) {
                        json_t *users = json_object_get(byid, s);
                        if (!users) {
                                if (json_object_size(byid) >= OSV_IDS_MAX) {
                                        int m = fail(r, i, "%s: more than %d distinct advisories to fetch",
                                                     r->shown_base, OSV_IDS_MAX);
                                        if (m < 0)
                                                return m;
                                        break;
                                }
                                if (json_object_set_new(byid, s, users = json_array()) < 0 || !users)
                                        return -ENOMEM;
                        }
                        if (json_array_append_new(users, json_integer((json_int_t) i)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int push_advisory(struct advisory_list *l, struct advisory *a) {
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 8;
                struct advisory *grown = reallocarray(l->v, cap, sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                l->v = grown;
                l->cap = cap;
        }
        l->v[l->n++] = *a;
        *a = (struct advisory) { 0 };
        return 0;
}

static int fail_users(struct run *r, const json_t *users, const char *msg) {
        size_t k;
        const json_t *x;
        json_array_foreach(users, k, x) {
                int m = fail(r, (size_t) json_integer_value(x), "%s", msg);
                if (m < 0)
                        return m;
        }
        return 0;
}

/* GET one advisory and hand it to every dependency that named it. */
static int fetch_one(struct run *r, const char *id, const json_t *users) {
        bool wanted = false;
        size_t k;
        const json_t *x;
        json_array_foreach(users, k, x)
                wanted |= !failed(r, (size_t) json_integer_value(x));
        if (!wanted)
                return 0;
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "/v1/vulns/%s", id) < 0)
                return -ENOMEM;
        _cleanup_free_ char *url = osv_api_url(r->c->api_base, path);
        _cleanup_free_ char *shown = url ? http_display_url(url) : NULL;
        if (!url || !shown)
                return -ENOMEM;
        struct error err = ERROR_INIT;
        _cleanup_(http_response_done) struct http_response resp = { .retry_after = -1 };
        int m = request(r, url, NULL, OSV_VULN_RESPONSE_MAX, &resp, &err);
        if (m == -ENOMEM)
                return m;
        if (m == 0 && resp.status != 200)
                m = http_status_error(&resp, shown, NULL, &err);
        if (m < 0)
                return fail_users(r, users, err.msg);
        _cleanup_json_ json_t *doc = json_parse_strict(resp.body, resp.len, OSV_VULN_RESPONSE_MAX, NULL);
        _cleanup_(osv_adv_done) struct osv_adv a = { 0 };
        m = doc ? osv_reduce(doc, &a) : -EINVAL;
        if (m == -ENOMEM)
                return m;
        char msg[ERROR_MSG_MAX];
        if (m < 0 || !streq(a.id, id)) {
                snprintf(msg, sizeof(msg), "%s: %s", shown,
                         m < 0 ? "not a usable OSV advisory" : "the answer is about another advisory");
                return fail_users(r, users, msg);
        }
        if (a.withdrawn)
                return 0; /* withdrawn since the query: no longer an advisory */
        json_array_foreach(users, k, x) {
                size_t i = (size_t) json_integer_value(x);
                if (failed(r, i))
                        continue;
                struct advisory adv = { 0 };
                m = osv_advisory_for_dep(doc, &a, &r->deps->v[i], &adv);
                if (m > 0 && (m = push_advisory(&r->ans[i].advisories, &adv)) < 0)
                        advisory_free_fields(&adv);
                if (m < 0)
                        return m;
        }
        return 0;
}

static int fetch_all(struct run *r) {
        _cleanup_json_ json_t *byid = json_object();
        if (!byid)
                return -ENOMEM;
        int k = index_ids(r, byid);
        const char *id;
        json_t *users;
        json_object_foreach(byid, id, users) {
                if (k < 0)
                        break;
                k = fetch_one(r, id, users);
        }
        return k;
}

static void run_done(struct run *r) {
        for (size_t i = 0; r->st && i < r->deps->n; i++) {
                json_decref(r->st[i].ids);
                free(r->st[i].token);
        }
        free(r->st);
        free(r->shown_base);
}

int advisory_online_query_with(const struct osv_config *c, osv_fetch_fn fetch, void *userdata,
                               const struct dependencies *deps, struct supply_online *ret) {
        struct supply_online out = { 0 };
        _cleanup_(run_done) struct run r = { .c = c, .fetch = fetch, .userdata = userdata, .deps = deps };
        size_t n = deps->n;
        out.n = n;
        out.v = calloc(n ? n : 1, sizeof(*out.v));
        r.st = calloc(n ? n : 1, sizeof(*r.st));
        r.shown_base = http_display_url(c->api_base);
        out.source = r.shown_base ? strdup(r.shown_base) : NULL;
        int k = out.v && r.st && out.source ? 0 : -ENOMEM;
        r.ans = out.v;
        for (size_t i = 0; k == 0 && i < n; i++)
                if (!(r.st[i].ids = json_object()))
                        k = -ENOMEM;
        if (k == 0)
                k = ask_all(&r);
        if (k == 0)
                k = fetch_all(&r);
        if (k < 0) {
                supply_online_done(&out);
                return k;
        }
        for (size_t i = 0; i < n; i++)
                out.v[i].answered = !failed(&r, i);
        *ret = out;
        return 0;
}

/* ---- over libcurl ---------------------------------------------------------------------------- */

struct curl_transport {
        struct http_client *h;
        struct error init_err; /* libcurl could not be loaded: every request fails alike */
};

static int curl_fetch(void *userdata, const char *url, const char *post_body, size_t max_body, long timeout_ms,
                      struct http_response *ret, struct error *err) {
        struct curl_transport *t = userdata;
        if (!t->h && !t->init_err.code) {
                int k = http_client_new(&t->h, &t->init_err);
                if (k == -ENOMEM)
                        return error_set(err, k, "out of memory");
        }
        if (!t->h)
                return error_set(err, t->init_err.code, "%s", t->init_err.msg);
        const struct http_request req = { .url = url, .body = post_body, .timeout_ms = timeout_ms,
                                          .max_body = max_body };
        return http_perform(t->h, &req, ret, err);
}

int advisory_online_query(const struct osv_config *c, const struct dependencies *deps, struct supply_online *ret) {
        struct curl_transport t = { 0 };
        int k = advisory_online_query_with(c, curl_fetch, &t, deps, ret);
        http_client_free(t.h);
        return k;
}

int advisory_online_hook(const void *ctx, const struct dependencies *deps, struct supply_online *ret) {
        return advisory_online_query(ctx, deps, ret);
}
