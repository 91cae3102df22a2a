/* A scan report (the JSON of `scan --json`, possibly from the scan cache) as text for people. */
#include <stdio.h>
#include <string.h>

#include "../scan/finding.h"
#include "cli.h"

static const char *upper(const char *sev) {
        static const char *const U[] = { "SAFE", "LOW", "MEDIUM", "HIGH", "CRITICAL" };
        int s = severity_from_string(sev);
        return s >= 0 ? U[s] : "?";
}

void cli_print_scan_report(FILE *out, const json_t *report, int min_severity) {
        const json_t *findings = json_object_get(report, "findings");
        size_t shown = 0, hidden = 0, i;
        json_t *e;
        json_array_foreach(findings, i, e) {
                const char *sev = json_string_value(json_object_get(e, "severity"));
                if (severity_from_string(sev) < min_severity) {
                        hidden++;
                        continue;
                }
                shown++;
                const char *file = json_string_value(json_object_get(e, "file"));
                json_int_t line = json_integer_value(json_object_get(e, "line"));
                json_int_t col = json_integer_value(json_object_get(e, "column"));
                fprintf(out, "  %-8s ", upper(sev));
                cli_fputs_safe(out, file && *file ? file : "(skill)", false);
                if (line > 0)
                        fprintf(out, ":%lld", (long long) line);
                if (col > 0)
                        fprintf(out, ":%lld", (long long) col);
                fputs("  ", out);
                cli_fputs_safe(out, json_string_value(json_object_get(e, "rule_id")), false);
                fputs("\n           ", out);
                cli_fputs_safe(out, json_string_value(json_object_get(e, "message")), false);
                const char *snippet = json_string_value(json_object_get(e, "snippet"));
                if (snippet && *snippet) {
                        fputs("\n           | ", out);
                        cli_fputs_safe(out, snippet, false);
                }
                fputc('\n', out);
        }
        const json_t *review = json_object_get(report, "review");
        if (json_is_object(review)) {
                fputs("  review: ", out);
                cli_fputs_safe(out, json_string_value(json_object_get(review, "status")), false);
                const char *v = json_string_value(json_object_get(review, "verdict"));
                if (v) {
                        fputs(", verdict ", out);
                        cli_fputs_safe(out, v, false);
                }
                fputc('\n', out);
        }
        fprintf(out, "verdict: %s (%zu finding%s shown", upper(json_string_value(json_object_get(report, "verdict"))),
                shown, shown == 1 ? "" : "s");
        if (hidden)
                fprintf(out, ", %zu below %s hidden", hidden, upper(severity_to_string((enum severity) min_severity)));
        fprintf(out, "; %lld files, %.1f ms)\n",
                (long long) json_integer_value(json_object_get(report, "files_scanned")),
                json_real_value(json_object_get(report, "duration_ms")));
}
