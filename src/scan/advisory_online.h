/* `--online`: a skill's dependencies checked against the OSV API (https://google.github.io/osv.dev/api/).
 * POST {base}/v1/querybatch names the advisories of each package (of the pinned version when
 * there is one), following next_page_token per query; GET {base}/v1/vulns/{id} fetches each
 * distinct advisory, which is reduced by osv_reduce() and evaluated by advisory_match.c exactly as
 * an imported one. Whatever cannot be asked or read leaves its dependency unanswered ("unknown"
 * with a note), never clean. Lives in the skilllite-llm library (libcurl): full binary only. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../llm/http.h"
#include "advisory_db.h"
#include "advisory_osv.h"
#include "deps.h"
#include "supply_chain.h"

#define OSV_API_DEFAULT "https://api.osv.dev"
#define OSV_URL_MAX 2048
#define OSV_TIMEOUT_DEFAULT_SECS 30
#define OSV_TIMEOUT_MAX_SECS 3600
#define OSV_BATCH_MAX 1000                 /* queries per querybatch: OSV's own limit */
#define OSV_PAGES_MAX 32                   /* pages of one query's answer */
#define OSV_IDS_MAX 2000                   /* distinct advisories fetched in one run (and listed for one query) */
#define OSV_LISTED_MAX 100000              /* ids listed for all queries together */
#define OSV_ID_MAX ADVISORY_ID_MAX
#define OSV_PAGE_TOKEN_MAX 4096
#define OSV_BATCH_RESPONSE_MAX (32u << 20) /* one querybatch answer */
#define OSV_VULN_RESPONSE_MAX ADVISORY_FILE_MAX
#define OSV_FETCH_BYTES_MAX (512ull << 20) /* every answer of one run together */
#define OSV_FAILURES_IN_A_ROW_MAX 3        /* transport failures before the rest is not asked */

struct osv_config {
        char *api_base;  /* http:// or https://, without "/v1" (a trailing "/v1" or "/" is dropped) */
        long timeout_ms; /* per request */
};

/* SKILLLITE_OSV_API (default OSV_API_DEFAULT) and SKILLLITE_OSV_TIMEOUT_SECS (whole seconds, 1 to
 * OSV_TIMEOUT_MAX_SECS, default 30). Empty variables count as unset. 0, -EINVAL (err names the
 * variable), -ENOMEM. Release with osv_config_done. */
int osv_config_from_env(struct osv_config *c, struct error *err);
void osv_config_done(struct osv_config *c);

/* The transport: one request (post_body NULL = GET). 0 with *ret filled when a whole response
 * arrived (any status), else -errno with err set, as http_perform(). */
typedef int (*osv_fetch_fn)(void *userdata, const char *url, const char *post_body, size_t max_body,
                            long timeout_ms, struct http_response *ret, struct error *err);

/* Ask the OSV API about every dependency over libcurl. *ret gets one answer per dependency
 * (release with supply_online_done). 0 whatever the network did (failures are per-dependency
 * notes), -ENOMEM. */
int advisory_online_query(const struct osv_config *c, const struct dependencies *deps, struct supply_online *ret);
/* The same over another transport (the unit tests). */
int advisory_online_query_with(const struct osv_config *c, osv_fetch_fn fetch, void *userdata,
                               const struct dependencies *deps, struct supply_online *ret);
/* advisory_online_query() in the shape of scan_options.online; ctx is a struct osv_config. */
int advisory_online_hook(const void *ctx, const struct dependencies *deps, struct supply_online *ret);

/* ---- pieces, public for the unit tests -------------------------------------------------------- */

/* An id that may go into a URL path: 1..OSV_ID_MAX of [A-Za-z0-9._-], not starting with "." and
 * without "..". */
bool osv_id_valid(const char *id, size_t len);
/* "{base}{path}" with base's trailing "/" and "/v1" dropped first (path starts with "/v1/").
 * NULL on ENOMEM. */
char *osv_api_url(const char *base, const char *path);

struct osv_query {
        enum dep_ecosystem eco;
        const char *name;
        const char *version;    /* NULL: every advisory of the package */
        const char *page_token; /* NULL: the first page */
};
/* {"queries": [{"package": {"name", "ecosystem"}, "version"?, "page_token"?}, ...]}; NULL on ENOMEM
 * or a name that is not UTF-8. */
json_t *osv_batch_request(const struct osv_query *q, size_t n);
/* A querybatch answer for n queries: *ret is an array of n objects, {"ids": [...], "next":
 * "token"?} or {"error": "why"} for a result that cannot be used (an invalid id, a bad token).
 * 0, -EBADMSG (err set: not JSON, no "results" array of n entries), -ENOMEM. */
int osv_parse_batch(const char *body, size_t len, size_t n, json_t **ret, struct error *err);
/* The advisory a (osv_reduce(doc)) as the offline lookup would return it for dependency d: 1 with
 * *ret filled (the ranges and versions of d's package; release with advisory_list_done once pushed
 * into a list), 0 when a has nothing we evaluate for that package, -ENOMEM. Exception: when d is
 * pinned (OSV named the advisory for exactly that version) and doc names d's package only with
 * ranges we do not evaluate (GIT), *ret lists just that version: OSV's answer stands rather than
 * a silent "clean". */
int osv_advisory_for_dep(const json_t *doc, const struct osv_adv *a, const struct dependency *d,
                         struct advisory *ret);
