/* The findings list (finding.h). */
#include "finding.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/json.h"
#include "../base/utf8.h"

static const char *const SEVERITIES[] = { "safe", "low", "medium", "high", "critical" };

const char *severity_to_string(enum severity s) {
        return (size_t) s < sizeof(SEVERITIES) / sizeof(SEVERITIES[0]) ? SEVERITIES[s] : "unknown";
}

int severity_from_string(const char *s) {
        for (size_t i = 0; s && i < sizeof(SEVERITIES) / sizeof(SEVERITIES[0]); i++)
                if (strcasecmp(s, SEVERITIES[i]) == 0)
                        return (int) i;
        return -1;
}

/* Trim, cut at FINDING_SNIPPET_MAX (on a character boundary) and make valid UTF-8. */
/* Any bytes as a valid UTF-8 C string (invalid bytes become U+FFFD; a NUL ends it). */
static char *lossy_dup(const char *s, size_t n) {
        json_t *j = json_stringn_lossy(s ? s : "", s ? n : 0);
        char *out = j ? strdup(json_string_value(j)) : NULL;
        json_decref(j);
        return out;
}

static char *make_snippet(const char *s, size_t n) {
        while (n && (*s == ' ' || *s == '\t'))
                s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
                n--;
        if (n > FINDING_SNIPPET_MAX) {
                n = FINDING_SNIPPET_MAX;
                while (n && ((unsigned char) s[n] & 0xc0) == 0x80)
                        n--; /* do not cut a character in half */
        }
        return lossy_dup(s, n);
}

int findings_addv(struct findings *f, const char *rule_id, enum severity sev, const char *category,
                  const char *file, uint32_t line, uint32_t column, const char *snippet,
                  size_t snippet_len, const char *fmt, va_list ap) {
        if (f->n >= FINDINGS_MAX) {
                f->dropped++;
                return 0;
        }
        if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 16;
                struct finding *grown = reallocarray(f->v, cap, sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                f->v = grown;
                f->cap = cap;
        }
        struct finding *x = &f->v[f->n];
        *x = (struct finding) { .severity = sev, .line = line, .column = column };
        int k = vasprintf(&x->message, fmt, ap);
        if (k < 0)
                x->message = NULL;
        x->rule_id = strdup(rule_id);
        x->category = strdup(category);
        x->file = lossy_dup(file, file ? strlen(file) : 0); /* skill file names are any bytes */
        x->snippet = make_snippet(snippet, snippet ? snippet_len : 0);
        if (!x->message || !x->rule_id || !x->category || !x->file || !x->snippet) {
                free(x->message), free(x->rule_id), free(x->category), free(x->file), free(x->snippet);
                return -ENOMEM;
        }
        f->n++;
        return 0;
}

void findings_done(struct findings *f) {
        for (size_t i = 0; i < f->n; i++) {
                free(f->v[i].rule_id);
                free(f->v[i].category);
                free(f->v[i].file);
                free(f->v[i].message);
                free(f->v[i].snippet);
        }
        free(f->v);
        *f = (struct findings) { 0 };
}

enum severity findings_verdict(const struct findings *f) {
        enum severity v = SEV_SAFE;
        for (size_t i = 0; i < f->n; i++)
                if (f->v[i].severity > v)
                        v = f->v[i].severity;
        return v;
}

json_t *findings_to_json(const struct findings *f) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < f->n; i++) {
                const struct finding *x = &f->v[i];
                json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "rule_id", x->rule_id, "severity",
                                      severity_to_string(x->severity), "category", x->category, "file", x->file,
                                      "line", (int) x->line, "column", (int) x->column, "message", x->message,
                                      "snippet", x->snippet);
                if (!o || json_array_append_new(a, o) < 0) {
                        json_decref(a);
                        return NULL;
                }
        }
        return a;
}

int findings_add(struct findings *f, const char *rule_id, enum severity sev, const char *category,
                 const char *file, uint32_t line, uint32_t column, const char *snippet,
                 size_t snippet_len, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = findings_addv(f, rule_id, sev, category, file, line, column, snippet, snippet_len,
                              fmt, ap);
        va_end(ap);
        return r;
}
