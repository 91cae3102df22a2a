/* Findings of the scanner: what was found, where, how bad. Every scanner module appends to one
 * `struct findings`; the report (text, JSON, SARIF) is built from it. Pure data, no I/O. */
#pragma once

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* safe < low < medium < high < critical (DESIGN.md §7). A finding lowered because the user approved
 * the matching permission (declared network host, declared executable) becomes SEV_SAFE: shown as
 * information, never a warning. The verdict of a scan is its highest severity. */
enum severity {
        SEV_SAFE = 0,
        SEV_LOW,
        SEV_MEDIUM,
        SEV_HIGH,
        SEV_CRITICAL,
};
const char *severity_to_string(enum severity s); /* "safe", "low", ... */
/* Parse "safe".."critical" (case-insensitive); -1 when unknown. */
int severity_from_string(const char *s);

struct finding {
        char *rule_id;         /* stable id, e.g. "py.process.os-system", "file.binary.elf" */
        enum severity severity;
        char *category;        /* "process", "code_injection", "network", "sensitive_file",
                                * "env_harvest", "persistence", "obfuscation", "deserialization",
                                * "native_code", "privilege", "destructive", "download_exec",
                                * "binary", "undecodable", "prompt_injection", "hidden_text",
                                * "supply_chain", "structure" */
        char *file;            /* path relative to the skill directory ("" for the skill itself) */
        uint32_t line, column; /* 1-based; 0 when the finding is about the whole file */
        char *message;         /* one sentence for a person */
        char *snippet;         /* the offending source line, trimmed, at most FINDING_SNIPPET_MAX
                                * bytes, valid UTF-8 (invalid bytes replaced), may be "" */
};

#define FINDING_SNIPPET_MAX 200
#define FINDINGS_MAX 10000 /* more are counted in `dropped`, not stored */

struct findings {
        struct finding *v;
        size_t n, cap;
        size_t dropped;
};

/* Append a finding. snippet: the raw source bytes of the line (any bytes; NULL/0 for none) -
 * trimmed, cut and made valid UTF-8 here. Returns 0 or -ENOMEM. */
int findings_add(struct findings *f, const char *rule_id, enum severity sev, const char *category,
                 const char *file, uint32_t line, uint32_t column, const char *snippet,
                 size_t snippet_len, const char *fmt, ...) __attribute__((format(printf, 10, 11)));
int findings_addv(struct findings *f, const char *rule_id, enum severity sev, const char *category,
                  const char *file, uint32_t line, uint32_t column, const char *snippet,
                  size_t snippet_len, const char *fmt, va_list ap) __attribute__((format(printf, 10, 0)));
void findings_done(struct findings *f);
enum severity findings_verdict(const struct findings *f); /* SEV_SAFE when empty */
/* [{"rule_id", "severity", "category", "file", "line", "column", "message", "snippet"}, ...] */
json_t *findings_to_json(const struct findings *f);
