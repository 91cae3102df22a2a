/* Unit tests for src/scan/advisory_online.c (the OSV API as an advisory source) and src/llm/http.c:
 * configuration, ids that may go into a URL, the querybatch request and answer, the reduction of a
 * fetched advisory for one dependency, whole runs over a fake transport (pagination, caps, every
 * kind of failure leaving a dependency unanswered, never clean), the audit combining online and
 * offline answers, and the real libcurl path against the loopback responder of test_llm.c. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/base/fileio.h"
#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/llm/http.h"
#include "../../src/scan/advisory_online.h"
#include "../../src/scan/supply_chain.h"

#define FIXTURES TEST_DATA_DIR "/osv"

/* The scripted HTTP responder of test_llm.c. */
struct test_http_reply {
        int status;
        const char *headers;
        const char *body;
        size_t body_len;
        int delay_ms;
        bool no_length;
        size_t repeat_body;
};
struct test_http_server {
        pid_t pid;
        int port;
        int log_fd;
};
int test_http_start(struct test_http_server *s, const struct test_http_reply *script, size_t n);
void test_http_stop(struct test_http_server *s);
char *test_http_log(const struct test_http_server *s);
size_t test_http_count(const struct test_http_server *s);

static void server_donep(struct test_http_server *s) {
        test_http_stop(s);
}
#define _cleanup_server_ _cleanup_(server_donep)

#define DEP(e, n, v) { .eco = (e), .name = (char *) (n), .spec = (char *) ((v) ? (v) : ""), \
                       .version = (char *) (v), .file = (char *) "requirements.txt", .line = __LINE__, .direct = true }
#define SPEC(e, n, s) { .eco = (e), .name = (char *) (n), .spec = (char *) (s), \
                        .file = (char *) "requirements.txt", .line = __LINE__, .direct = true }

/* ---- a fake OSV API behind the transport hook ------------------------------------------------- */

struct fake_pkg {
        const char *name;     /* as queried */
        const char *ids[8];   /* what the package's query answers, NULL-terminated */
};
struct fake_doc {
        const char *id;
        const char *json;
};

#define FAKE_LOG_MAX 4096

struct fake_osv {
        const struct fake_pkg *pkgs;
        size_t n_pkgs;
        const struct fake_doc *docs;
        size_t n_docs;
        size_t page_size;         /* 0: every id on one page */
        const char *page_token;   /* sent as next_page_token on every page when set (endless) */
        size_t generate;          /* each page lists this many fresh ids, with another page after it */
        size_t generated;
        long batch_status;        /* 0: 200 */
        const char *batch_body;   /* raw querybatch answer */
        int batch_errno;          /* querybatch transport failure */
        int vuln_errno;           /* transport failure of every GET */
        const char *vuln_404;     /* this id answers 404 */
        char **log;               /* "POST <url> <body>" / "GET <url>", at most FAKE_LOG_MAX */
        size_t n_log;
};

static void fake_done(struct fake_osv *f) {
        for (size_t i = 0; i < f->n_log; i++)
                free(f->log[i]);
        free(f->log);
        f->log = NULL;
        f->n_log = 0;
}

static size_t fake_count(const struct fake_osv *f, const char *prefix) {
        size_t n = 0;
        for (size_t i = 0; i < f->n_log; i++)
                n += strneq(f->log[i], prefix, strlen(prefix));
        return n;
}

static const struct fake_pkg *fake_pkg(const struct fake_osv *f, const char *name) {
        for (size_t i = 0; i < f->n_pkgs; i++)
                if (streq(f->pkgs[i].name, name))
                        return &f->pkgs[i];
        return NULL;
}

static char *fake_batch(struct fake_osv *f, const char *post) {
        _cleanup_json_ json_t *req = json_loads(post, 0, NULL);
        cr_assert_not_null(req, "the request is JSON: %s", post);
        json_t *queries = json_object_get(req, "queries");
        cr_assert(json_is_array(queries));
        cr_assert_leq(json_array_size(queries), OSV_BATCH_MAX);
        _cleanup_json_ json_t *results = json_array();
        size_t i;
        json_t *q;
        json_array_foreach(queries, i, q) {
                const char *name = json_string_value(json_object_get(json_object_get(q, "package"), "name"));
                const char *tok = json_string_value(json_object_get(q, "page_token"));
                cr_assert_not_null(name);
                const struct fake_pkg *p = fake_pkg(f, name);
                size_t start = tok && tok[0] == 'p' ? strtoul(tok + 1, NULL, 10) : 0;
                size_t total = 0;
                while (p && total < ELEMENTSOF(p->ids) && p->ids[total])
                        total++;
                size_t end = f->page_size && start + f->page_size < total ? start + f->page_size : total;
                json_t *vulns = json_array(), *res = json_object();
                for (size_t k = start; k < end; k++)
                        json_array_append_new(vulns, json_pack("{s:s, s:s}", "id", p->ids[k], "modified", "x"));
                for (size_t k = 0; k < f->generate; k++) {
                        char id[32];
                        snprintf(id, sizeof(id), "GEN-%zu", f->generated++);
                        json_array_append_new(vulns, json_pack("{s:s}", "id", id));
                }
                if (f->generate)
                        json_object_set_new(res, "next_page_token", json_string("more"));
                if (json_array_size(vulns))
                        json_object_set(res, "vulns", vulns);
                json_decref(vulns);
                if (f->page_token)
                        json_object_set_new(res, "next_page_token", json_string(f->page_token));
                else if (end < total) {
                        char next[32];
                        snprintf(next, sizeof(next), "p%zu", end);
                        json_object_set_new(res, "next_page_token", json_string(next));
                }
                json_array_append_new(results, res);
        }
        _cleanup_json_ json_t *out = json_pack("{s:O}", "results", results);
        return json_dumps(out, JSON_COMPACT);
}

static int fake_fetch(void *userdata, const char *url, const char *post, size_t max_body, long timeout_ms,
                      struct http_response *ret, struct error *err) {
        struct fake_osv *f = userdata;
        cr_assert_gt(timeout_ms, 0);
        cr_assert_lt(f->n_log, FAKE_LOG_MAX, "too many requests");
        if (!f->log)
                cr_assert_not_null(f->log = calloc(FAKE_LOG_MAX, sizeof(*f->log)));
        cr_assert_geq(asprintf(&f->log[f->n_log++], "%s %s%s%s", post ? "POST" : "GET", url, post ? " " : "",
                               post ? post : ""), 0);
        long status = 200;
        char *body = NULL;
        const char *vulns = strstr(url, "/v1/vulns/");
        if (post) {
                cr_assert(strstr(url, "/v1/querybatch"), "%s", url);
                if (f->batch_errno)
                        return error_set(err, -f->batch_errno, "%s: fake transport failure", url);
                if (f->batch_status)
                        status = f->batch_status, body = strdup("{\"code\":13,\"message\":\"scripted\"}");
                else
                        body = f->batch_body ? strdup(f->batch_body) : fake_batch(f, post);
        } else {
                cr_assert_not_null(vulns, "%s", url);
                const char *id = vulns + strlen("/v1/vulns/");
                if (f->vuln_errno)
                        return error_set(err, -f->vuln_errno, "%s: fake transport failure", url);
                for (size_t i = 0; i < f->n_docs && !body; i++)
                        if (streq(f->docs[i].id, id) && !(f->vuln_404 && streq(f->vuln_404, id)))
                                body = strdup(f->docs[i].json);
                if (!body)
                        status = 404, body = strdup("{\"code\":5,\"message\":\"Bug not found.\"}");
        }
        cr_assert_not_null(body);
        if (strlen(body) > max_body) {
                free(body);
                return error_set(err, -EFBIG, "%s: over %zu bytes", url, max_body);
        }
        *ret = (struct http_response) { .status = status, .body = body, .len = strlen(body), .retry_after = -1 };
        return 0;
}

static const struct osv_config CFG = { .api_base = (char *) "http://osv.test/v1/", .timeout_ms = 1000 };

static void run_fake(struct fake_osv *f, struct dependency *v, size_t n, struct supply_online *out) {
        struct dependencies deps = { .v = v, .n = n, .cap = n };
        cr_assert_eq(advisory_online_query_with(&CFG, fake_fetch, f, &deps, out), 0);
        cr_assert_eq(out->n, n);
}

static bool has_advisory(const struct supply_answer *a, const char *id) {
        for (size_t i = 0; i < a->advisories.n; i++)
                if (streq(a->advisories.v[i].id, id))
                        return true;
        return false;
}

static const char DOC_REQ[] =
        "{\"id\":\"PYSEC-1\",\"modified\":\"2099-01-01T00:00:00Z\",\"summary\":\"requests leak\","
        "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"Requests\"},"
        "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.20.0\"}]}]}],"
        "\"database_specific\":{\"severity\":\"CRITICAL\"}}";
static const char DOC_REQ2[] =
        "{\"id\":\"GHSA-2\",\"modified\":\"2099-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":"
        "\"PyPI\",\"name\":\"requests\"},\"versions\":[\"1.0\"]}]}";
static const char DOC_REQ3[] =
        "{\"id\":\"GHSA-3\",\"modified\":\"2099-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":"
        "\"PyPI\",\"name\":\"requests\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"3.0\"}]}]}]}";
static const char DOC_MAL[] =
        "{\"id\":\"MAL-2099-9\",\"modified\":\"2099-01-01T00:00:00Z\",\"summary\":\"malware\","
        "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"evil-thing\"}}]}";
static const char DOC_GITONLY[] =
        "{\"id\":\"OSV-GIT\",\"modified\":\"2099-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":"
        "\"PyPI\",\"name\":\"gitpkg\"},\"ranges\":[{\"type\":\"GIT\",\"repo\":\"x\",\"events\":[{\"introduced\":\"0\"}]}]}]}";
static const char DOC_WITHDRAWN[] =
        "{\"id\":\"GHSA-gone\",\"modified\":\"2099-01-01T00:00:00Z\",\"withdrawn\":\"2099-01-02T00:00:00Z\","
        "\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"requests\"},\"versions\":[\"1.0\"]}]}";

static const struct fake_doc DOCS[] = {
        { "PYSEC-1", DOC_REQ },       { "GHSA-2", DOC_REQ2 },           { "GHSA-3", DOC_REQ3 },
        { "MAL-2099-9", DOC_MAL },    { "OSV-GIT", DOC_GITONLY },      { "GHSA-gone", DOC_WITHDRAWN },
        { "WRONG-ID", DOC_REQ2 /* its id is GHSA-2 */ },
};

/* ---- configuration and small pieces ----------------------------------------------------------- */

Test(osv_online, config_from_env) {
        unsetenv("SKILLLITE_OSV_API");
        unsetenv("SKILLLITE_OSV_TIMEOUT_SECS");
        struct osv_config c;
        struct error err = ERROR_INIT;
        cr_assert_eq(osv_config_from_env(&c, &err), 0, "%s", err.msg);
        cr_expect_str_eq(c.api_base, "https://api.osv.dev");
        cr_expect_eq(c.timeout_ms, 30000);
        osv_config_done(&c);

        setenv("SKILLLITE_OSV_API", "http://127.0.0.1:8080/", 1);
        setenv("SKILLLITE_OSV_TIMEOUT_SECS", "5", 1);
        cr_assert_eq(osv_config_from_env(&c, &err), 0, "%s", err.msg);
        cr_expect_str_eq(c.api_base, "http://127.0.0.1:8080/");
        cr_expect_eq(c.timeout_ms, 5000);
        osv_config_done(&c);

        setenv("SKILLLITE_OSV_API", "", 1); /* empty = unset */
        setenv("SKILLLITE_OSV_TIMEOUT_SECS", "", 1);
        cr_assert_eq(osv_config_from_env(&c, &err), 0, "%s", err.msg);
        cr_expect_str_eq(c.api_base, OSV_API_DEFAULT);
        osv_config_done(&c);

        static const char *const bad_api[] = { "file:///etc/passwd", "ftp://x", "http://", "https:///x", "api.osv.dev",
                                               "http://a b", "http://x/?q=1", "http://x/#f", "http://x\n" };
        unsetenv("SKILLLITE_OSV_TIMEOUT_SECS");
        for (size_t i = 0; i < ELEMENTSOF(bad_api); i++) {
                setenv("SKILLLITE_OSV_API", bad_api[i], 1);
                error_clear(&err);
                cr_expect_eq(osv_config_from_env(&c, &err), -EINVAL, "%s", bad_api[i]);
                cr_expect(strstr(err.msg, "SKILLLITE_OSV_API"), "%s", err.msg);
                cr_expect_null(c.api_base);
        }
        unsetenv("SKILLLITE_OSV_API");
        static const char *const bad_timeout[] = { "0", "-1", "3601", "1.5", "abc", "10s", "99999999999999999999" };
        for (size_t i = 0; i < ELEMENTSOF(bad_timeout); i++) {
                setenv("SKILLLITE_OSV_TIMEOUT_SECS", bad_timeout[i], 1);
                error_clear(&err);
                cr_expect_eq(osv_config_from_env(&c, &err), -EINVAL, "%s", bad_timeout[i]);
                cr_expect(strstr(err.msg, "SKILLLITE_OSV_TIMEOUT_SECS"), "%s", err.msg);
        }
        setenv("SKILLLITE_OSV_TIMEOUT_SECS", "3600", 1);
        cr_assert_eq(osv_config_from_env(&c, &err), 0);
        cr_expect_eq(c.timeout_ms, 3600000);
        osv_config_done(&c);
}

Test(osv_online, id_validation) {
        static const char *const good[] = { "PYSEC-2021-1", "GHSA-abcd-efgh-ijkl", "MAL-2024-1234", "RUSTSEC-2020-0001",
                                            "a", "A.b_c-1", "CVE-2099-0001" };
        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                cr_expect(osv_id_valid(good[i], strlen(good[i])), "%s", good[i]);
        static const char *const bad[] = { "", "../etc/passwd", "a/b", "..", ".", ".hidden", "a..b", "GHSA-1/../x",
                                           "a b", "a%2Fb", "a?b", "a#b", "a:b", "a\\b", "\xc3\xa9t\xc3\xa9", "a\nb" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                cr_expect_not(osv_id_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
        cr_expect_not(osv_id_valid("ab\0c", 4), "an embedded NUL");
        cr_expect_not(osv_id_valid(NULL, 0));
        char long_id[OSV_ID_MAX + 2];
        memset(long_id, 'A', sizeof(long_id));
        cr_expect(osv_id_valid(long_id, OSV_ID_MAX));
        cr_expect_not(osv_id_valid(long_id, OSV_ID_MAX + 1));
}

Test(osv_online, api_url) {
        static const char *const bases[] = { "https://api.osv.dev", "https://api.osv.dev/", "https://api.osv.dev/v1",
                                             "https://api.osv.dev/v1/", "https://api.osv.dev//" };
        for (size_t i = 0; i < ELEMENTSOF(bases); i++) {
                _cleanup_free_ char *u = osv_api_url(bases[i], "/v1/querybatch");
                cr_expect_str_eq(u, "https://api.osv.dev/v1/querybatch", "%s", bases[i]);
        }
        _cleanup_free_ char *p = osv_api_url("http://127.0.0.1:9/osv", "/v1/vulns/X-1");
        cr_expect_str_eq(p, "http://127.0.0.1:9/osv/v1/vulns/X-1");
}

Test(osv_online, batch_request) {
        const struct osv_query q[] = {
                { DEP_PYPI, "requests", "2.0.1", NULL },
                { DEP_NPM, "@scope/left-pad", NULL, "tok\"en" },
        };
        _cleanup_json_ json_t *j = osv_batch_request(q, 2);
        cr_assert_not_null(j);
        _cleanup_free_ char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        cr_expect_str_eq(s, "{\"queries\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"requests\"},\"version\":"
                            "\"2.0.1\"},{\"package\":{\"ecosystem\":\"npm\",\"name\":\"@scope/left-pad\"},"
                            "\"page_token\":\"tok\\\"en\"}]}");
        _cleanup_json_ json_t *empty = osv_batch_request(NULL, 0);
        cr_assert_not_null(empty);
        cr_expect_eq(json_array_size(json_object_get(empty, "queries")), 0);
        const struct osv_query bad = { DEP_PYPI, "\xff\xfe", NULL, NULL };
        cr_expect_null(osv_batch_request(&bad, 1), "a name that is not UTF-8 cannot be sent");
}

Test(osv_online, parse_batch) {
        static const char ok[] = "{\"results\":[{\"vulns\":[{\"id\":\"PYSEC-1\",\"modified\":\"x\"},{\"id\":\"GHSA-2\"}]},"
                                 "{},{\"vulns\":[],\"next_page_token\":\"abc\"},{\"next_page_token\":\"\"}]}";
        json_t *res = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(osv_parse_batch(ok, strlen(ok), 4, &res, &err), 0, "%s", err.msg);
        _cleanup_json_ json_t *r = res;
        _cleanup_free_ char *s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
        cr_expect_str_eq(s, "[{\"ids\":[\"PYSEC-1\",\"GHSA-2\"]},{\"ids\":[]},{\"ids\":[],\"next\":\"abc\"},{\"ids\":[]}]");

        /* Whole answers that cannot be used. */
        static const char *const broken[] = {
                "", "<html>oops</html>", "[]", "{}", "{\"results\":{}}", "{\"results\":[{}]}" /* 1 for 2 */,
                "{\"results\":[{},{},{}]}", "{\"results\":[{},{}],\"results\":[{},{}]}" /* duplicate key */,
                "{\"results\":[{},{}]", /* truncated */
        };
        for (size_t i = 0; i < ELEMENTSOF(broken); i++) {
                json_t *x = NULL;
                error_clear(&err);
                cr_expect_eq(osv_parse_batch(broken[i], strlen(broken[i]), 2, &x, &err), -EBADMSG, "%s", broken[i]);
                cr_expect_null(x);
                cr_expect(err.msg[0]);
        }

        /* One result that cannot be used spoils only itself. */
        static const char mixed[] =
                "{\"results\":[{\"vulns\":[{\"id\":\"../../etc/passwd\"}]},{\"vulns\":[{\"id\":\"a/b\"}]},"
                "{\"vulns\":{}},{\"vulns\":[{\"id\":7}]},{\"vulns\":[\"PYSEC-1\"]},{\"next_page_token\":5},"
                "{\"next_page_token\":\"a\\u0000b\"},[],{\"vulns\":[{\"id\":\"OK-1\"}]}]}";
        json_t *m = NULL;
        cr_assert_eq(osv_parse_batch(mixed, strlen(mixed), 9, &m, &err), 0, "%s", err.msg);
        _cleanup_json_ json_t *mm = m;
        for (size_t i = 0; i < 8; i++)
                cr_expect(json_is_string(json_object_get(json_array_get(mm, i), "error")), "result %zu", i);
        cr_expect(strstr(json_string_value(json_object_get(json_array_get(mm, 0), "error")), "invalid advisory id"));
        cr_expect_str_eq(json_string_value(json_array_get(json_object_get(json_array_get(mm, 8), "ids"), 0)), "OK-1");
}

/* An advisory filled by osv_advisory_for_dep, released the way the database's are. */
static void release(struct advisory *x) {
        struct advisory_list l = { .v = malloc(sizeof(*x)), .n = 1, .cap = 1 };
        cr_assert_not_null(l.v);
        l.v[0] = *x;
        advisory_list_done(&l);
}

Test(osv_online, advisory_for_dep) {
        struct dependency pinned = DEP(DEP_PYPI, "requests", "2.0.1");
        struct dependency spec = SPEC(DEP_PYPI, "requests", ">=2");
        struct dependency other = DEP(DEP_PYPI, "flask", "1.0");

        _cleanup_json_ json_t *doc = json_loads(DOC_REQ, 0, NULL);
        _cleanup_(osv_adv_done) struct osv_adv a = { 0 };
        cr_assert_eq(osv_reduce(doc, &a), 0);
        for (int k = 0; k < 2; k++) {
                struct advisory x;
                cr_assert_eq(osv_advisory_for_dep(doc, &a, k ? &spec : &pinned, &x), 1);
                cr_expect_str_eq(x.id, "PYSEC-1");
                cr_expect_str_eq(x.severity, "critical");
                cr_expect_str_eq(x.summary, "requests leak");
                cr_expect_not(x.malicious);
                cr_expect_eq(json_array_size(x.ranges), 1, "the name matched after normalising Requests");
                cr_expect_eq(advisory_affects_version(&x, DEP_PYPI, "2.0.1"), 1);
                cr_expect_eq(advisory_affects_version(&x, DEP_PYPI, "2.20.0"), 0);
                cr_expect_eq(advisory_affects_spec(&x, DEP_PYPI, ">=2.20"), 0);
                cr_expect_eq(advisory_affects_spec(&x, DEP_PYPI, ">=2"), 1);
                release(&x);
        }
        struct advisory none;
        cr_expect_eq(osv_advisory_for_dep(doc, &a, &other, &none), 0, "a pinned dependency of another package");

        /* GIT ranges only: for a pinned dependency OSV's listing stands, for a spec nothing. */
        _cleanup_json_ json_t *gdoc = json_loads(DOC_GITONLY, 0, NULL);
        _cleanup_(osv_adv_done) struct osv_adv g = { 0 };
        cr_assert_eq(osv_reduce(gdoc, &g), 0);
        struct dependency gpinned = DEP(DEP_PYPI, "gitpkg", "1.0");
        struct dependency gany = SPEC(DEP_PYPI, "gitpkg", "");
        struct advisory x;
        cr_assert_eq(osv_advisory_for_dep(gdoc, &g, &gpinned, &x), 1);
        cr_expect_eq(advisory_affects_version(&x, DEP_PYPI, "1.0"), 1);
        cr_expect_eq(advisory_affects_version(&x, DEP_PYPI, "1.1"), 0);
        release(&x);
        cr_expect_eq(osv_advisory_for_dep(gdoc, &g, &gany, &x), 0);

        /* A malicious-package report without ranges covers every version. */
        _cleanup_json_ json_t *mdoc = json_loads(DOC_MAL, 0, NULL);
        _cleanup_(osv_adv_done) struct osv_adv m = { 0 };
        cr_assert_eq(osv_reduce(mdoc, &m), 0);
        struct dependency evil = SPEC(DEP_NPM, "evil-thing", "^1.0.0");
        cr_assert_eq(osv_advisory_for_dep(mdoc, &m, &evil, &x), 1);
        cr_expect(x.malicious);
        cr_expect(advisory_affects_all(&x));
        release(&x);
}

/* ---- whole runs over the fake transport ------------------------------------------------------- */

Test(osv_online, pinned_and_spec_dependencies) {
        const struct fake_pkg pkgs[] = {
                { "requests", { "PYSEC-1", "GHSA-2", "GHSA-3", "GHSA-gone" } },
                { "evil-thing", { "MAL-2099-9" } },
        };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS) };
        struct dependency d[] = {
                DEP(DEP_PYPI, "requests", "2.0.1"),
                SPEC(DEP_NPM, "evil-thing", "^1.0.0"),
                DEP(DEP_PYPI, "flask", "2.0"),
                DEP(DEP_PYPI, "requests", "2.31.0"),
        };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        for (size_t i = 0; i < ELEMENTSOF(d); i++) {
                cr_expect(o.v[i].answered, "%zu: %s", i, o.v[i].note ? o.v[i].note : "");
                cr_expect_null(o.v[i].note);
        }
        cr_expect_eq(o.v[0].advisories.n, 3, "PYSEC-1, GHSA-2, GHSA-3; the withdrawn one dropped");
        cr_expect(has_advisory(&o.v[0], "PYSEC-1") && has_advisory(&o.v[0], "GHSA-3"));
        cr_expect_not(has_advisory(&o.v[0], "GHSA-gone"));
        cr_expect_eq(o.v[1].advisories.n, 1);
        cr_expect(o.v[1].advisories.v[0].malicious);
        cr_expect_eq(o.v[2].advisories.n, 0);
        cr_expect_str_eq(o.source, "http://osv.test/v1/");

        /* One querybatch for all four; each distinct id fetched once, though two dependencies name it. */
        cr_expect_eq(fake_count(&f, "POST http://osv.test/v1/querybatch "), 1);
        cr_expect_eq(fake_count(&f, "GET "), 5);
        cr_expect_eq(fake_count(&f, "GET http://osv.test/v1/vulns/PYSEC-1"), 1);
        const char *post = f.log[0] + strlen("POST http://osv.test/v1/querybatch ");
        _cleanup_json_ json_t *req = json_loads(post, 0, NULL);
        json_t *q = json_object_get(req, "queries");
        cr_assert_eq(json_array_size(q), 4);
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(q, 0), "version")), "2.0.1");
        cr_expect_null(json_object_get(json_array_get(q, 1), "version"), "a spec is not a version");
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(q, 1), "package"),
                                                           "ecosystem")), "npm");
        fake_done(&f);
}

Test(osv_online, pagination) {
        const struct fake_pkg pkgs[] = { { "requests", { "PYSEC-1", "GHSA-2", "GHSA-3" } } };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .page_size = 1 };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0"), DEP(DEP_PYPI, "flask", "1.0") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        cr_expect(o.v[0].answered, "%s", o.v[0].note ? o.v[0].note : "");
        cr_expect_eq(o.v[0].advisories.n, 3, "every page was read");
        cr_expect(o.v[1].answered);
        cr_expect_eq(fake_count(&f, "POST "), 3);
        /* Later pages ask only the query that has one, with its token. */
        cr_expect(strstr(f.log[1], "\"page_token\":\"p1\""), "%s", f.log[1]);
        cr_expect_null(strstr(f.log[1], "flask"), "%s", f.log[1]);
        cr_expect(strstr(f.log[2], "\"page_token\":\"p2\""), "%s", f.log[2]);
        fake_done(&f);
}

Test(osv_online, endless_pages_are_capped) {
        const struct fake_pkg pkgs[] = { { "requests", { "PYSEC-1" } } };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .page_token = "again" };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, 1, &o);
        cr_expect_not(o.v[0].answered);
        cr_expect(strstr(o.v[0].note, "pages"), "%s", o.v[0].note);
        cr_expect_eq(fake_count(&f, "POST "), OSV_PAGES_MAX);
        cr_expect_eq(fake_count(&f, "GET "), 0, "an unanswered dependency's ids are not fetched");
        fake_done(&f);
}

Test(osv_online, endless_listings_are_capped) {
        struct fake_osv f = { .generate = 999 };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, 1, &o);
        cr_expect_not(o.v[0].answered);
        cr_expect(strstr(o.v[0].note, "more than 2000 advisories listed"), "%s", o.v[0].note);
        cr_expect_eq(fake_count(&f, "POST "), 3, "the third page passed the cap");
        cr_expect_eq(fake_count(&f, "GET "), 0);
        fake_done(&f);
}

Test(osv_online, batch_failures_leave_every_dependency_unanswered) {
        const struct fake_pkg pkgs[] = { { "requests", { "PYSEC-1" } } };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0"), DEP(DEP_PYPI, "flask", "1.0") };
        struct {
                long status;
                const char *body;
                int err;
                const char *expect;
        } cases[] = {
                { 500, NULL, 0, "HTTP 500" },
                { 404, NULL, 0, "HTTP 404" },
                { 301, NULL, 0, "redirects are not followed" },
                { 0, "<html>captive portal</html>", 0, "not JSON" },
                { 0, "{\"results\":[{}]}", 0, "1 results for 2 queries" },
                { 0, "{\"results\":[{\"vulns\":[{\"id\":\"PYSEC-1\"}]},{}],\"results\":[]}", 0, "not JSON" },
                { 0, NULL, ETIMEDOUT, "fake transport failure" },
                { 0, NULL, ECONNREFUSED, "fake transport failure" },
        };
        for (size_t c = 0; c < ELEMENTSOF(cases); c++) {
                struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .batch_status = cases[c].status,
                                      .batch_body = cases[c].body, .batch_errno = cases[c].err };
                _cleanup_(supply_online_done) struct supply_online o = { 0 };
                run_fake(&f, d, ELEMENTSOF(d), &o);
                for (size_t i = 0; i < ELEMENTSOF(d); i++) {
                        cr_expect_not(o.v[i].answered, "case %zu dep %zu", c, i);
                        cr_assert_not_null(o.v[i].note);
                        cr_expect(strstr(o.v[i].note, cases[c].expect), "case %zu: %s", c, o.v[i].note);
                        cr_expect_eq(o.v[i].advisories.n, 0);
                }
                cr_expect_eq(fake_count(&f, "GET "), 0);
                fake_done(&f);
        }
}

Test(osv_online, invalid_ids_are_never_fetched) {
        const struct fake_pkg pkgs[] = {
                { "requests", { "PYSEC-1", "../../../etc/passwd" } },
                { "flask", { "GHSA-2/../../x" } },
                { "django", { ".." } },
                { "numpy", { "GHSA-3" } },
        };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS) };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0"), DEP(DEP_PYPI, "flask", "1.0"),
                                  DEP(DEP_PYPI, "django", "1.0"), DEP(DEP_PYPI, "numpy", "1.0") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        for (size_t i = 0; i < 3; i++) {
                cr_expect_not(o.v[i].answered, "%zu", i);
                cr_expect(strstr(o.v[i].note, "invalid advisory id"), "%s", o.v[i].note);
        }
        cr_expect(o.v[3].answered, "the other dependencies are not affected");
        for (size_t i = 0; i < f.n_log; i++)
                cr_expect(!strstr(f.log[i], "..") && !strstr(f.log[i], "/x"), "%s", f.log[i]);
        cr_expect_eq(fake_count(&f, "GET "), 1, "only GHSA-3 (PYSEC-1's dependency failed)");
        fake_done(&f);
}

Test(osv_online, vuln_failures_spoil_only_their_dependencies) {
        const struct fake_pkg pkgs[] = {
                { "requests", { "PYSEC-1", "GHSA-2" } },
                { "evil-thing", { "MAL-2099-9" } },
                { "flask", { "WRONG-ID" } },
                { "numpy", { "GHSA-404" } },
        };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .vuln_404 = "GHSA-2" };
        struct dependency d[] = {
                DEP(DEP_PYPI, "requests", "1.0"), DEP(DEP_NPM, "evil-thing", "1.0.0"),
                DEP(DEP_PYPI, "flask", "1.0"), DEP(DEP_PYPI, "numpy", "1.0"),
        };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        cr_expect_not(o.v[0].answered);
        cr_expect(strstr(o.v[0].note, "HTTP 404"), "%s", o.v[0].note);
        cr_expect(strstr(o.v[0].note, "/v1/vulns/GHSA-2"), "%s", o.v[0].note);
        cr_expect(has_advisory(&o.v[0], "PYSEC-1"), "what was fetched still counts");
        cr_expect(o.v[1].answered);
        cr_expect_not(o.v[2].answered, "an answer about another advisory");
        cr_expect(strstr(o.v[2].note, "another advisory"), "%s", o.v[2].note);
        cr_expect_not(o.v[3].answered);
        fake_done(&f);
}

Test(osv_online, malformed_advisory_documents) {
        static const struct fake_doc bad_docs[] = {
                { "X-1", "not json" },
                { "X-2", "{\"id\":\"X-2\"}" },                                     /* no modified */
                { "X-3", "[]" },
                { "X-4", "{\"id\":\"X-4\",\"modified\":\"m\",\"affected\":{}}" },
                { "X-5", "{\"id\":\"X-5\",\"modified\":\"m\",\"id\":\"X-5\"}" }, /* duplicate key */
        };
        const struct fake_pkg pkgs[] = { { "a", { "X-1" } }, { "b", { "X-2" } }, { "c", { "X-3" } },
                                         { "d", { "X-4" } }, { "e", { "X-5" } } };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), bad_docs, ELEMENTSOF(bad_docs) };
        struct dependency d[] = { DEP(DEP_PYPI, "a", "1"), DEP(DEP_PYPI, "b", "1"), DEP(DEP_PYPI, "c", "1"),
                                  DEP(DEP_PYPI, "d", "1"), DEP(DEP_PYPI, "e", "1") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        for (size_t i = 0; i < ELEMENTSOF(d); i++) {
                cr_expect_not(o.v[i].answered, "%zu", i);
                cr_expect(strstr(o.v[i].note, "not a usable OSV advisory"), "%s", o.v[i].note);
        }
        fake_done(&f);
}

Test(osv_online, transport_failures_stop_the_run) {
        const struct fake_pkg pkgs[] = {
                { "a", { "PYSEC-1" } }, { "b", { "GHSA-2" } }, { "c", { "GHSA-3" } },
                { "d", { "MAL-2099-9" } }, { "e", { "OSV-GIT" } },
        };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .vuln_errno = ETIMEDOUT };
        struct dependency d[] = { DEP(DEP_PYPI, "a", "1"), DEP(DEP_PYPI, "b", "1"), DEP(DEP_PYPI, "c", "1"),
                                  DEP(DEP_PYPI, "d", "1"), DEP(DEP_PYPI, "e", "1") };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        for (size_t i = 0; i < ELEMENTSOF(d); i++)
                cr_expect_not(o.v[i].answered, "%zu", i);
        cr_expect_eq(fake_count(&f, "GET "), OSV_FAILURES_IN_A_ROW_MAX, "then the rest is not asked");
        cr_expect(strstr(o.v[4].note, "not asked after"), "%s", o.v[4].note);
        fake_done(&f);
}

Test(osv_online, too_many_distinct_ids) {
        /* Each dependency names ids of its own: the ones past OSV_IDS_MAX are not fetched. */
        size_t n = OSV_IDS_MAX / 8 + 2;
        struct fake_pkg *pkgs = calloc(n, sizeof(*pkgs));
        struct dependency *d = calloc(n, sizeof(*d));
        char (*names)[16] = calloc(n, 16);
        char (*ids)[8][24] = calloc(n, sizeof(*ids));
        cr_assert(pkgs && d && names && ids);
        for (size_t i = 0; i < n; i++) {
                snprintf(names[i], 16, "p%zu", i);
                pkgs[i].name = names[i];
                for (size_t k = 0; k < 8; k++) {
                        snprintf(ids[i][k], 24, "X-%zu-%zu", i, k);
                        pkgs[i].ids[k] = ids[i][k];
                }
                d[i] = (struct dependency) { .eco = DEP_PYPI, .name = names[i], .spec = (char *) "", .file = (char *) "x" };
        }
        struct fake_osv f = { pkgs, n, NULL, 0 };
        struct dependencies deps = { .v = d, .n = n, .cap = n };
        struct supply_online o = { 0 };
        /* Every GET answers 404 (no documents): only the count of requests matters here. */
        cr_assert_eq(advisory_online_query_with(&CFG, fake_fetch, &f, &deps, &o), 0);
        cr_expect_not(o.v[n - 1].answered);
        cr_expect(strstr(o.v[n - 1].note, "distinct advisories"), "%s", o.v[n - 1].note);
        cr_expect_not(o.v[n - 2].answered);
        supply_online_done(&o);
        cr_expect_eq(fake_count(&f, "POST "), 1);
        /* 404 is no transport failure, but it spoils the dependency: its other ids are skipped. */
        cr_expect_eq(fake_count(&f, "GET "), n - 2);
        fake_done(&f);
        free(pkgs), free(d), free(names), free(ids);
}

Test(osv_online, no_dependencies_no_requests) {
        struct fake_osv f = { 0 };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, NULL, 0, &o);
        cr_expect_eq(f.n_log, 0);
}

/* ---- the audit with online answers ------------------------------------------------------------ */

struct audit {
        struct findings f;
        json_t *report;
};
static void audit_done(struct audit *a) {
        findings_done(&a->f);
        json_decref(a->report);
}
static json_t *dep_entry(const struct audit *a, size_t i) {
        return json_array_get(json_object_get(a->report, "dependencies"), i);
}
static const char *status_of(const struct audit *a, size_t i) {
        return json_string_value(json_object_get(dep_entry(a, i), "status"));
}
static size_t count_rule(const struct audit *a, const char *rule) {
        size_t n = 0;
        for (size_t i = 0; i < a->f.n; i++)
                n += streq(a->f.v[i].rule_id, rule);
        return n;
}
static const struct finding *find_rule(const struct audit *a, const char *rule) {
        for (size_t i = 0; i < a->f.n; i++)
                if (streq(a->f.v[i].rule_id, rule))
                        return &a->f.v[i];
        return NULL;
}

Test(osv_online, audit_with_online_answers_and_no_database) {
        const struct fake_pkg pkgs[] = {
                { "requests", { "PYSEC-1" } },
                { "evil-thing", { "MAL-2099-9" } },
        };
        struct fake_osv f = { pkgs, ELEMENTSOF(pkgs), DOCS, ELEMENTSOF(DOCS), .vuln_404 = "GHSA-3" };
        struct dependency d[] = {
                DEP(DEP_PYPI, "requests", "2.0.1"),                                            /* vulnerable, critical */
                DEP(DEP_PYPI, "requests", "2.31.0"),                                           /* clean */
                SPEC(DEP_PYPI, "requests", ">=2.0"),    /* maybe */
                SPEC(DEP_PYPI, "requests", ">=2.20"),   /* clean */
                DEP(DEP_NPM, "evil-thing", "1.0.0"),                                           /* malicious */
                DEP(DEP_PYPI, "flask", "2.0"),                                                  /* clean: nothing */
        };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        run_fake(&f, d, ELEMENTSOF(d), &o);
        struct dependencies deps = { .v = d, .n = ELEMENTSOF(d), .cap = ELEMENTSOF(d) };
        _cleanup_(audit_done) struct audit a = { 0 };
        cr_assert_eq(supply_chain_audit_online(&deps, NULL, &o, &a.f, &a.report), 0);
        static const char *const want[] = { "vulnerable", "clean", "maybe_vulnerable", "clean", "malicious", "clean" };
        for (size_t i = 0; i < ELEMENTSOF(want); i++) {
                cr_expect_str_eq(status_of(&a, i), want[i], "dependency %zu", i);
                cr_expect_null(json_object_get(dep_entry(&a, i), "note"));
        }
        const struct finding *x = find_rule(&a, "supply.vulnerable");
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_CRITICAL, "the advisory says CRITICAL");
        x = find_rule(&a, "supply.malicious");
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_CRITICAL);
        cr_expect(strstr(x->message, "MAL-2099-9"));
        cr_expect_eq(count_rule(&a, "supply.not-audited"), 0, "answered online: no \"no database\" note");
        json_t *on = json_object_get(a.report, "online");
        cr_expect_eq(json_integer_value(json_object_get(on, "answered")), 6);
        cr_expect_eq(json_integer_value(json_object_get(on, "unanswered")), 0);
        cr_expect_str_eq(json_string_value(json_object_get(on, "source")), "http://osv.test/v1/");
        cr_expect(json_is_null(json_object_get(a.report, "database")));
        fake_done(&f);
}

Test(osv_online, audit_unanswered_is_never_clean) {
        /* A database that knows the packages and says clean; the online source fails. */
        _cleanup_free_ char *path = NULL;
        char dir[] = "/tmp/skilllite-online-XXXXXX";
        cr_assert_not_null(mkdtemp(dir));
        cr_assert_geq(asprintf(&path, "%s/adv.db", dir), 0);
        struct advisory_db *db = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(advisory_db_open(path, ADVISORY_DB_WRITE, &db, &err), 0, "%s", err.msg);
        struct advisory_import_stats st;
        cr_assert_eq(advisory_db_import(db, FIXTURES, &st, &err), 0, "%s", err.msg);

        struct dependency d[] = {
                DEP(DEP_PYPI, "example-pkg", "1.5"), /* clean offline */
                DEP(DEP_PYPI, "example-pkg", "1.2"), /* vulnerable offline */
                DEP(DEP_PYPI, "requests", "2.0.1"),  /* clean offline, vulnerable online */
        };
        struct supply_answer ans[3] = {
                { .answered = false, .note = strdup("HTTP 500 from http://osv.test/v1/querybatch") },
                { .answered = false, .note = strdup("HTTP 500 from http://osv.test/v1/querybatch") },
                { .answered = true },
        };
        _cleanup_json_ json_t *doc = json_loads(DOC_REQ, 0, NULL);
        _cleanup_(osv_adv_done) struct osv_adv adv = { 0 };
        cr_assert_eq(osv_reduce(doc, &adv), 0);
        ans[2].advisories.v = calloc(1, sizeof(struct advisory));
        cr_assert_not_null(ans[2].advisories.v);
        ans[2].advisories.n = ans[2].advisories.cap = 1;
        cr_assert_eq(osv_advisory_for_dep(doc, &adv, &d[2], &ans[2].advisories.v[0]), 1);
        struct supply_online o = { .v = malloc(sizeof(ans)), .n = 3, .source = strdup("http://osv.test") };
        cr_assert_not_null(o.v);
        memcpy(o.v, ans, sizeof(ans));

        struct dependencies deps = { .v = d, .n = ELEMENTSOF(d), .cap = ELEMENTSOF(d) };
        _cleanup_(audit_done) struct audit a = { 0 };
        cr_assert_eq(supply_chain_audit_online(&deps, db, &o, &a.f, &a.report), 0);
        cr_expect_str_eq(status_of(&a, 0), "unknown", "the offline \"clean\" does not stand alone");
        cr_expect(strstr(json_string_value(json_object_get(dep_entry(&a, 0), "note")), "HTTP 500"));
        cr_expect_str_eq(status_of(&a, 1), "vulnerable", "the offline finding stands");
        cr_expect_str_eq(status_of(&a, 2), "vulnerable", "either source saying so is enough");
        const struct finding *x = find_rule(&a, "supply.not-audited");
        cr_assert_not_null(x);
        cr_expect_eq(x->severity, SEV_LOW);
        cr_expect(strstr(x->message, "2 dependencies not audited online"), "%s", x->message);
        cr_expect(strstr(x->message, "HTTP 500"), "%s", x->message);
        cr_expect_eq(count_rule(&a, "supply.not-audited"), 1);
        json_t *on = json_object_get(a.report, "online");
        cr_expect_eq(json_integer_value(json_object_get(on, "unanswered")), 2);
        cr_expect(json_is_object(json_object_get(a.report, "database")));

        /* The same id from both sources is listed once. */
        supply_online_done(&o);
        struct dependency one[] = { DEP(DEP_PYPI, "example-pkg", "1.2") };
        _cleanup_json_ json_t *pdoc = NULL;
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        cr_assert_eq(read_file_at_bounded(AT_FDCWD, FIXTURES "/PYSEC-2099-1.json", 1 << 20, &text, &len), 0);
        pdoc = json_loadb(text, len, 0, NULL);
        _cleanup_(osv_adv_done) struct osv_adv p = { 0 };
        cr_assert_eq(osv_reduce(pdoc, &p), 0);
        struct supply_online o2 = { .v = calloc(1, sizeof(struct supply_answer)), .n = 1 };
        cr_assert_not_null(o2.v);
        o2.v[0].answered = true;
        o2.v[0].advisories.v = calloc(1, sizeof(struct advisory));
        o2.v[0].advisories.n = o2.v[0].advisories.cap = 1;
        cr_assert_eq(osv_advisory_for_dep(pdoc, &p, &one[0], &o2.v[0].advisories.v[0]), 1);
        struct dependencies deps1 = { .v = one, .n = 1, .cap = 1 };
        _cleanup_(audit_done) struct audit b = { 0 };
        cr_assert_eq(supply_chain_audit_online(&deps1, db, &o2, &b.f, &b.report), 0);
        cr_expect_str_eq(status_of(&b, 0), "vulnerable");
        cr_expect_eq(json_array_size(json_object_get(dep_entry(&b, 0), "advisories")), 1);
        supply_online_done(&o2);
        advisory_db_close(db);
        rm_rf(dir);
}

Test(osv_online, audit_rejects_a_mismatched_answer_count) {
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "1.0") };
        struct dependencies deps = { .v = d, .n = 1, .cap = 1 };
        struct supply_online o = { 0 };
        _cleanup_(audit_done) struct audit a = { 0 };
        cr_expect_eq(supply_chain_audit_online(&deps, NULL, &o, &a.f, &a.report), -EINVAL);
}

/* ---- over libcurl ----------------------------------------------------------------------------- */

static const char BATCH_OK[] = "{\"results\":[{\"vulns\":[{\"id\":\"PYSEC-1\",\"modified\":\"x\"}]}]}";

Test(osv_curl, query_and_fetch_over_http) {
        const struct test_http_reply script[] = { { 200, NULL, BATCH_OK }, { 200, NULL, DOC_REQ } };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 2);
        char base[64];
        snprintf(base, sizeof(base), "http://127.0.0.1:%d/", s.port);
        struct osv_config c = { .api_base = base, .timeout_ms = 5000 };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "2.0.1") };
        struct dependencies deps = { .v = d, .n = 1, .cap = 1 };
        _cleanup_(supply_online_done) struct supply_online o = { 0 };
        cr_assert_eq(advisory_online_query(&c, &deps, &o), 0);
        cr_expect(o.v[0].answered, "%s", o.v[0].note ? o.v[0].note : "");
        cr_assert_eq(o.v[0].advisories.n, 1);
        cr_expect_str_eq(o.v[0].advisories.v[0].id, "PYSEC-1");
        _cleanup_free_ char *log = test_http_log(&s);
        cr_expect(strncmp(log, "POST /v1/querybatch HTTP/1.1\r\n", 30) == 0, "%s", log);
        cr_expect(strcasestr(log, "\r\nContent-Type: application/json\r\n"), "%s", log);
        cr_expect(strstr(log, "\"version\":\"2.0.1\""), "%s", log);
        cr_expect(strstr(log, "GET /v1/vulns/PYSEC-1 HTTP/1.1\r\n"), "%s", log);
}

Test(osv_curl, server_errors_timeouts_and_refusals) {
        const struct test_http_reply script[] = {
                { 500, NULL, "{\"code\":13,\"message\":\"internal\"}" },
                { 200, NULL, "garbage" },
                { 200, NULL, BATCH_OK, 0, 3000 },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 3);
        char base[64];
        snprintf(base, sizeof(base), "http://user:secret@127.0.0.1:%d", s.port);
        struct osv_config c = { .api_base = base, .timeout_ms = 1000 };
        struct dependency d[] = { DEP(DEP_PYPI, "requests", "2.0.1") };
        struct dependencies deps = { .v = d, .n = 1, .cap = 1 };
        static const char *const expect[] = { "HTTP 500", "not JSON", "no complete answer within 1000 ms" };
        for (size_t i = 0; i < ELEMENTSOF(expect); i++) {
                struct supply_online o = { 0 };
                cr_assert_eq(advisory_online_query(&c, &deps, &o), 0);
                cr_expect_not(o.v[0].answered, "%zu", i);
                cr_expect(strstr(o.v[0].note, expect[i]), "%zu: %s", i, o.v[0].note);
                cr_expect_null(strstr(o.v[0].note, "secret"), "no credentials in notes: %s", o.v[0].note);
                cr_expect_null(strstr(o.source, "secret"));
                supply_online_done(&o);
        }
        test_http_stop(&s);
        struct supply_online o = { 0 };
        cr_assert_eq(advisory_online_query(&c, &deps, &o), 0);
        cr_expect_not(o.v[0].answered);
        cr_expect(strstr(o.v[0].note, "cannot connect"), "%s", o.v[0].note);
        supply_online_done(&o);
}

Test(osv_curl, http_perform_get_and_limits) {
        static char big[4096];
        memset(big, 'x', sizeof(big));
        const struct test_http_reply script[] = {
                { 404, NULL, "{\"code\":5,\"message\":\"Bug not found.\"}" },
                { 307, "Location: http://127.0.0.1:1/elsewhere\r\n", "" },
                { 200, NULL, big, sizeof(big) },
                { 200, NULL, "a\0b", 3 },
        };
        _cleanup_server_ struct test_http_server s = { .log_fd = -1 };
        test_http_start(&s, script, 4);
        char url[96];
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/vulns/X-1?key=hidden", s.port);
        _cleanup_http_client_ struct http_client *h = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(http_client_new(&h, &err), 0, "%s", err.msg);
        struct http_request req = { .url = url, .timeout_ms = 5000, .max_body = 1024 };
        struct http_response r;
        cr_assert_eq(http_perform(h, &req, &r, &err), 0, "%s", err.msg);
        cr_expect_eq(r.status, 404, "a status is an answer, not a transport error");
        cr_expect(strstr(r.body, "Bug not found"));
        cr_expect_eq(http_status_error(&r, "U", NULL, &err), -EINVAL);
        cr_expect(strstr(err.msg, "HTTP 404 from U: Bug not found"), "%s", err.msg);
        http_response_done(&r);

        cr_assert_eq(http_perform(h, &req, &r, &err), 0);
        cr_expect_eq(r.status, 307, "not followed");
        error_clear(&err);
        cr_expect_eq(http_status_error(&r, "U", NULL, &err), -EIO);
        cr_expect(strstr(err.msg, "redirects are not followed"), "%s", err.msg);
        http_response_done(&r);

        error_clear(&err);
        cr_expect_eq(http_perform(h, &req, &r, &err), -EFBIG);
        cr_expect(strstr(err.msg, "over 1024 bytes"), "%s", err.msg);
        cr_expect_null(strstr(err.msg, "hidden"), "the query is not shown: %s", err.msg);

        cr_assert_eq(http_perform(h, &req, &r, &err), 0);
        cr_expect_eq(r.len, 3, "a body with a NUL keeps its length");
        http_response_done(&r);

        _cleanup_free_ char *log = test_http_log(&s);
        cr_expect(strncmp(log, "GET /v1/vulns/X-1?key=hidden HTTP/1.1\r\n", 39) == 0, "%s", log);
        cr_expect_null(strcasestr(log, "Content-Type"), "a GET sends no body type: %s", log);

        const char *const injected[] = { "X-Evil: 1\r\nHost: elsewhere", NULL };
        struct http_request bad = { .url = url, .timeout_ms = 5000, .max_body = 1024, .headers = injected };
        error_clear(&err);
        cr_expect_eq(http_perform(h, &bad, &r, &err), -EINVAL);
        struct http_request ftp = { .url = "file:///etc/passwd", .timeout_ms = 5000, .max_body = 1024 };
        error_clear(&err);
        cr_expect_lt(http_perform(h, &ftp, &r, &err), 0);
        struct http_request incomplete = { .url = url, .timeout_ms = 0, .max_body = 1024 };
        cr_expect_eq(http_perform(h, &incomplete, &r, NULL), -EINVAL);
}
