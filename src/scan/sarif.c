/* A scan report as SARIF 2.1.0 (OASIS), the format code-scanning tools (GitHub code scanning,
 * VS Code's SARIF viewer) import. One run, one rule per distinct rule_id, one result per finding.
 * Traps: artifact URIs must be URI references (percent-encoded), regions start at line 1 (a
 * whole-file finding has no region), and "level" has only none/note/warning/error, so our five
 * severities also travel as properties (plus GitHub's numeric "security-severity"). */
#include <stdio.h>
#include <string.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "config.h"
#include "scan.h"

static const char *sarif_level(enum severity s) {
        switch (s) {
        case SEV_CRITICAL:
        case SEV_HIGH:
                return "error";
        case SEV_MEDIUM:
                return "warning";
        case SEV_LOW:
                return "note";
        default:
                return "none";
        }
}

static const char *security_severity(enum severity s) {
        static const char *const SCORE[] = { "0.0", "2.0", "5.5", "8.0", "9.5" };
        return (size_t) s < ELEMENTSOF(SCORE) ? SCORE[s] : "0.0";
}

/* RFC 3986: keep unreserved characters and '/', percent-encode every other byte. */
static json_t *uri_ref(const char *path) {
        size_t n = strlen(path);
        char *out = malloc(n * 3 + 1);
        if (!out)
                return NULL;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) path[i];
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
                        out[k++] = (char) c;
                else
                        k += (size_t) snprintf(out + k, 4, "%%%02X", c);
        }
        out[k] = '\0';
        json_t *j = json_string(out);
        free(out);
        return j;
}

static json_t *rule_of(const struct finding *x) {
        return json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:[s, s], s:s, s:s}}",
                         "id", x->rule_id,
                         "shortDescription", "text", x->rule_id,
                         "defaultConfiguration", "level", sarif_level(x->severity),
                         "properties", "tags", "security", x->category, "category", x->category,
                         "security-severity", security_severity(x->severity));
}

static json_t *result_of(const struct finding *x, size_t rule_index) {
        json_t *uri = uri_ref(x->file[0] ? x->file : ".");
        if (!uri)
                return NULL;
        json_t *phys = json_pack("{s:{s:o, s:s}}", "artifactLocation", "uri", uri, "uriBaseId",
                                 "SKILLROOT");
        if (!phys)
                return NULL;
        if (x->line > 0) {
                json_t *region = json_pack("{s:I}", "startLine", (json_int_t) x->line);
                if (!region || (x->column > 0 &&
                                json_object_set_new(region, "startColumn", json_integer(x->column)) < 0) ||
                    (x->snippet[0] &&
                     json_object_set_new(region, "snippet", json_pack("{s:s}", "text", x->snippet)) < 0) ||
                    json_object_set_new(phys, "region", region) < 0) {
                        json_decref(phys);
                        return NULL;
                }
        }
        return json_pack("{s:s, s:I, s:s, s:{s:s}, s:[{s:o}], s:{s:s, s:s}}",
                         "ruleId", x->rule_id,
                         "ruleIndex", (json_int_t) rule_index,
                         "level", sarif_level(x->severity),
                         "message", "text", x->message,
                         "locations", "physicalLocation", phys,
                         "properties", "severity", severity_to_string(x->severity),
                         "category", x->category);
}

json_t *scan_report_to_sarif(const struct scan_report *rep, const char *base_uri) {
        _cleanup_json_ json_t *rules = json_array();
        _cleanup_json_ json_t *results = json_array();
        _cleanup_json_ json_t *index = json_object(); /* rule_id -> position in rules */
        if (!rules || !results || !index)
                return NULL;
        for (size_t i = 0; i < rep->findings.n; i++) {
                const struct finding *x = &rep->findings.v[i];
                json_t *at = json_object_get(index, x->rule_id);
                size_t ri;
                if (at) {
                        ri = (size_t) json_integer_value(at);
                } else {
                        ri = json_array_size(rules);
                        if (json_array_append_new(rules, rule_of(x)) < 0 ||
                            json_object_set_new(index, x->rule_id, json_integer((json_int_t) ri)) < 0)
                                return NULL;
                }
                if (json_array_append_new(results, result_of(x, ri)) < 0)
                        return NULL;
        }
        json_t *run = json_pack("{s:{s:{s:s, s:s, s:s, s:O}}, s:O, s:{s:s}}",
                                "tool", "driver", "name", "skilllite", "version", SKILLLITE_VERSION,
                                "informationUri", "https://github.com/EXboys/skilllite",
                                "rules", rules,
                                "results", results,
                                "properties", "verdict",
                                severity_to_string(scan_report_verdict(rep)));
        if (!run)
                return NULL;
        if (base_uri) {
                json_t *bases = json_pack("{s:{s:s}}", "SKILLROOT", "uri", base_uri);
                if (!bases || json_object_set_new(run, "originalUriBaseIds", bases) < 0) {
                        json_decref(run);
                        return NULL;
                }
        }
        return json_pack("{s:s, s:s, s:[o]}", "version", "2.1.0", "$schema",
                         "https://json.schemastore.org/sarif-2.1.0.json", "runs", run);
}
