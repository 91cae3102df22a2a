/* Pure helpers of the MCP server (mcp_proto.h): versions, message shapes, tool results, tool
 * names, scan summaries and scan_id tokens. */
#include "mcp_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/sha256.h"
#include "../base/utf8.h"
#include "../scan/finding.h"

#define SUMMARY_LINE_MAX 240      /* bytes of one finding's message in a summary */
#define ERROR_TAIL_MAX 4096       /* bytes of stderr/stdout quoted in a failed run's text */
#define SUMMARY_MAX (64u << 10)

const char *const mcp_versions[] = { "2025-11-25", "2025-06-18", "2024-11-05", NULL };

bool mcp_version_supported(const char *v) {
        for (const char *const *p = mcp_versions; v && *p; p++)
                if (streq(*p, v))
                        return true;
        return false;
}

const char *mcp_version_negotiate(const char *requested) {
        for (const char *const *p = mcp_versions; requested && *p; p++)
                if (streq(*p, requested))
                        return *p;
        return MCP_VERSION_LATEST;
}

bool mcp_version_at_least(const char *v, const char *min) {
        /* ISO dates compare as strings */
        return v && strcmp(v, min) >= 0;
}

enum mcp_msg_kind mcp_msg_classify(const json_t *msg, const char **why) {
        *why = NULL;
        if (!json_is_object(msg)) {
                *why = json_is_array(msg) ? "batches are not supported" : "a message must be a JSON object";
                return MCP_MSG_INVALID;
        }
        const char *jsonrpc = json_string_value(json_object_get(msg, "jsonrpc"));
        if (!jsonrpc || !streq(jsonrpc, "2.0")) {
                *why = "\"jsonrpc\" must be \"2.0\"";
                return MCP_MSG_INVALID;
        }
        json_t *method = json_object_get(msg, "method");
        json_t *id = json_object_get(msg, "id");
        if (method) {
                if (!json_is_string(method) || strlen(json_string_value(method)) != json_string_length(method)) {
                        *why = "\"method\" must be a string";
                        return MCP_MSG_INVALID;
                }
                if (!id)
                        return MCP_MSG_NOTIFICATION;
                if (json_is_string(id) || json_is_integer(id))
                        return MCP_MSG_REQUEST;
                *why = "\"id\" must be a string or an integer";
                return MCP_MSG_INVALID;
        }
        bool has_result = json_object_get(msg, "result") != NULL;
        bool has_error = json_object_get(msg, "error") != NULL;
        if (id && has_result != has_error && (json_is_string(id) || json_is_integer(id) || json_is_null(id)))
                return MCP_MSG_RESPONSE;
        *why = "neither a request, a notification nor a response";
        return MCP_MSG_INVALID;
}

json_t *mcp_error_new(const json_t *id, int code, const char *message, json_t *data) {
        json_t *err = json_pack("{s:i, s:s}", "code", code, "message", message);
        if (!err) {
                json_decref(data);
                return NULL;
        }
        if (data)
                json_object_set_new(err, "data", data);
        return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", err);
}

json_t *mcp_error_unsupported_version(const json_t *id, const char *requested) {
        json_t *supported = json_array();
        for (const char *const *v = mcp_versions; supported && *v; v++)
                if (json_array_append_new(supported, json_string(*v)) < 0) {
                        json_decref(supported);
                        return NULL;
                }
        json_t *data = supported ? json_pack("{s:s, s:o}", "requested", requested ? requested : "", "supported", supported)
                                 : NULL;
        if (!data)
                return NULL;
        return mcp_error_new(id, MCP_UNSUPPORTED_VERSION, "Unsupported protocol version", data);
}

json_t *mcp_response_new(const json_t *id, json_t *result) {
        if (!result)
                return NULL;
        return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result);
}

json_t *mcp_tool_result(const char *version, const char *text, bool is_error, json_t *structured) {
        json_t *res = json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text", "text", text ? text : "",
                                "isError", is_error);
        if (!res) {
                json_decref(structured);
                return NULL;
        }
        if (structured && mcp_version_at_least(version, "2025-06-18")) {
                if (!json_is_object(structured)) {
                        json_t *wrapped = json_pack("{s:o}", "result", structured);
                        structured = wrapped;
                }
                if (structured)
                        json_object_set_new(res, "structuredContent", structured);
        } else
                json_decref(structured);
        return res;
}

/* The last `max` bytes of s, starting on a UTF-8 character boundary. */
static const char *tail_of(const char *s, size_t max) {
        size_t n = strlen(s);
        if (n <= max)
                return s;
        const char *p = s + n - max;
        while (*p && ((unsigned char) *p & 0xC0) == 0x80)
                p++;
        return p;
}

static json_t *text_of_json(const json_t *v) {
        _cleanup_free_ char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        return s ? json_string(s) : NULL;
}

json_t *mcp_tool_result_from_run(const char *version, const json_t *env, int exit_code, const char *message,
                                 bool text_ok) {
        if (!json_is_object(env)) {
                _cleanup_free_ char *text = NULL;
                if (asprintf(&text, "Error: %s", message && *message ? message : "the command failed") < 0)
                        return NULL;
                return mcp_tool_result(version, text, true,
                                       json_pack("{s:b, s:i, s:s}", "ok", 0, "exit_code", exit_code, "error",
                                                 message && *message ? message : "the command failed"));
        }
        json_t *output = json_object_get(env, "output");
        const char *out = json_string_value(json_object_get(env, "stdout"));
        const char *err_text = json_string_value(json_object_get(env, "stderr"));
        const char *reason = json_string_value(json_object_get(env, "reason"));
        if (json_is_true(json_object_get(env, "ok")) && output && !json_is_null(output)) {
                _cleanup_json_ json_t *text = text_of_json(output);
                if (!text)
                        return NULL;
                return mcp_tool_result(version, json_string_value(text), false, json_incref(output));
        }
        if (json_is_true(json_object_get(env, "ok")) || (text_ok && reason && streq(reason, "ok")))
                return mcp_tool_result(version, out ? out : "", false, NULL);

        const char *error = json_string_value(json_object_get(env, "error"));
        _cleanup_buf_ struct buf b = BUF_INIT(SUMMARY_MAX + 3 * ERROR_TAIL_MAX);
        int r = buf_printf(&b, "Error: %s", error ? error : reason ? reason : "the run failed");
        if (r == 0 && reason && !streq(reason, "ok") && !(error && strstr(error, reason)))
                r = buf_printf(&b, " (%s)", reason);
        json_t *scan = json_object_get(env, "scan");
        if (r == 0 && json_is_object(scan)) {
                _cleanup_free_ char *summary = mcp_scan_summary(scan, 20);
                if (summary && *summary)
                        r = buf_printf(&b, "\n\nScan findings:\n%s", summary);
        }
        if (r == 0 && err_text && *err_text)
                r = buf_printf(&b, "\n\nstderr:\n%s", tail_of(err_text, ERROR_TAIL_MAX));
        if (r == 0 && out && *out)
                r = buf_printf(&b, "\n\nstdout:\n%s", tail_of(out, ERROR_TAIL_MAX));
        if (r < 0 && r != -E2BIG)
                return NULL;
        json_t *structured = json_pack("{s:b, s:O*, s:O*, s:O*}", "ok", 0, "exit_code",
                                       json_object_get(env, "exit_code"), "reason", json_object_get(env, "reason"),
                                       "error", json_object_get(env, "error"));
        json_t *integrity = json_object_get(env, "integrity");
        if (structured && integrity)
                json_object_set(structured, "integrity", integrity);
        if (structured && json_is_object(scan))
                json_object_set(structured, "verdict", json_object_get(scan, "verdict"));
        return mcp_tool_result(version, b.data ? b.data : "Error", true, structured);
}

bool mcp_skill_name_valid(const char *name) {
        size_t n = name ? strlen(name) : 0;
        if (n == 0 || n > 64 || name[0] == '-' || name[n - 1] == '-')
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && name[i + 1] != '-');
                if (!ok)
                        return false;
        }
        return true;
}

char *mcp_script_tool_name(const char *skill, const char *script_path) {
        const char *base = strrchr(script_path, '/');
        base = base ? base + 1 : script_path;
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t) (dot - base) : strlen(base);
        size_t sl = strlen(skill);
        if (stem == 0 || sl + 1 + stem > 128)
                return NULL;
        char *name = malloc(sl + 1 + stem + 1);
        if (!name)
                return NULL;
        memcpy(name, skill, sl);
        name[sl] = '_';
        for (size_t i = 0; i < stem; i++) {
                char c = base[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                name[sl + 1 + i] = ok ? c : '-';
        }
        name[sl + 1 + stem] = '\0';
        return name;
}

bool mcp_tool_name_split(const char *tool, char **ret_skill, char **ret_stem) {
        *ret_skill = *ret_stem = NULL;
        const char *us = strchr(tool, '_');
        size_t n = us ? (size_t) (us - tool) : strlen(tool);
        _cleanup_free_ char *skill = strndup(tool, n);
        if (!skill || !mcp_skill_name_valid(skill))
                return false;
        _cleanup_free_ char *stem = NULL;
        if (us) {
                if (!us[1] || !(stem = strdup(us + 1)))
                        return false;
        }
        *ret_skill = TAKE_PTR(skill);
        *ret_stem = TAKE_PTR(stem);
        return true;
}

int mcp_verdict_rank(const char *verdict) {
        return verdict ? severity_from_string(verdict) : -1;
}

/* Append s, at most max bytes cut on a character boundary, control characters as spaces. */
static int append_clean(struct buf *b, const char *s, size_t max) {
        size_t n = utf8_cut(s, strlen(s), max);
        for (size_t i = 0; i < n; i++) {
                char c = (unsigned char) s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
                int r = buf_append(b, &c, 1);
                if (r < 0)
                        return r;
        }
        return n < strlen(s) ? buf_append(b, "...", 3) : 0;
}

char *mcp_scan_summary(const json_t *report, size_t max_findings) {
        _cleanup_buf_ struct buf b = BUF_INIT(SUMMARY_MAX);
        json_t *findings = json_object_get(report, "findings");
        size_t i, shown = 0, more = 0;
        json_t *f;
        int r = buf_append(&b, "", 0);
        json_array_foreach(findings, i, f) {
                const char *sev = json_string_value(json_object_get(f, "severity"));
                if (mcp_verdict_rank(sev) < SEV_MEDIUM)
                        continue;
                if (shown >= max_findings) {
                        more++;
                        continue;
                }
                const char *file = json_string_value(json_object_get(f, "file"));
                json_int_t line = json_integer_value(json_object_get(f, "line"));
                const char *msg = json_string_value(json_object_get(f, "message"));
                if (r == 0)
                        r = buf_printf(&b, "%s- [%s] ", shown ? "\n" : "", sev);
                if (r == 0)
                        r = append_clean(&b, file ? file : "?", 200);
                if (r == 0 && line > 0)
                        r = buf_printf(&b, ":%lld", (long long) line);
                if (r == 0)
                        r = buf_append(&b, ": ", 2);
                if (r == 0)
                        r = append_clean(&b, msg ? msg : "", SUMMARY_LINE_MAX);
                shown++;
        }
        if (r == 0 && more)
                r = buf_printf(&b, "\n(and %zu more)", more);
        if (r < 0 && r != -E2BIG)
                return NULL;
        return buf_steal(&b);
}

static void token_drop(struct mcp_tokens *t, size_t i) {
        free(t->items[i].subject);
        free(t->items[i].hash);
        memmove(&t->items[i], &t->items[i + 1], (t->n - i - 1) * sizeof(t->items[0]));
        t->n--;
}

int mcp_random_hex(char out[MCP_TOKEN_ID_LEN + 1]) {
        uint8_t raw[MCP_TOKEN_ID_LEN / 2];
        size_t got = 0;
        while (got < sizeof(raw)) {
                ssize_t k = getrandom(raw + got, sizeof(raw) - got, 0);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                got += (size_t) k;
        }
        static const char hex[] = "0123456789abcdef";
        for (size_t i = 0; i < sizeof(raw); i++) {
                out[2 * i] = hex[raw[i] >> 4];
                out[2 * i + 1] = hex[raw[i] & 15];
        }
        out[MCP_TOKEN_ID_LEN] = '\0';
        return 0;
}

int mcp_tokens_issue(struct mcp_tokens *t, const char *subject, const char *hash, uint64_t now_ms,
                     uint64_t ttl_ms, char id_out[MCP_TOKEN_ID_LEN + 1]) {
        for (size_t i = 0; i < t->n;)
                if (t->items[i].expires_ms <= now_ms)
                        token_drop(t, i);
                else
                        i++;
        if (t->n == MCP_TOKENS_MAX)
                token_drop(t, 0);
        struct mcp_token tok = { .expires_ms = now_ms + ttl_ms };
        int r = mcp_random_hex(tok.id);
        if (r < 0)
                return r;
        tok.subject = strdup(subject);
        tok.hash = strdup(hash);
        if (!tok.subject || !tok.hash) {
                free(tok.subject);
                free(tok.hash);
                return -ENOMEM;
        }
        memcpy(id_out, tok.id, sizeof(tok.id));
        t->items[t->n++] = tok;
        return 0;
}

enum mcp_token_check mcp_tokens_redeem(struct mcp_tokens *t, const char *id, const char *subject,
                                       const char *hash, uint64_t now_ms) {
        for (size_t i = 0; id && i < t->n; i++) {
                struct mcp_token *tok = &t->items[i];
                if (!streq(tok->id, id))
                        continue;
                enum mcp_token_check c = tok->expires_ms <= now_ms          ? MCP_TOKEN_EXPIRED
                                         : !streq(tok->subject, subject) ? MCP_TOKEN_OTHER_SUBJECT
                                         : !streq(tok->hash, hash)       ? MCP_TOKEN_CHANGED
                                                                         : MCP_TOKEN_OK;
                token_drop(t, i);
                return c;
        }
        return MCP_TOKEN_UNKNOWN;
}

const char *mcp_token_check_to_string(enum mcp_token_check c) {
        switch (c) {
        case MCP_TOKEN_OK: return "valid";
        case MCP_TOKEN_UNKNOWN: return "invalid scan_id: unknown here or already used (each scan_id works once)";
        case MCP_TOKEN_EXPIRED: return "expired scan_id: scan again";
        case MCP_TOKEN_OTHER_SUBJECT: return "invalid scan_id: it was issued for something else";
        case MCP_TOKEN_CHANGED: return "the code has changed since the scan: scan again";
        }
        return "invalid scan_id";
}

void mcp_tokens_clear(struct mcp_tokens *t) {
        while (t->n)
                token_drop(t, t->n - 1);
}

int mcp_code_hash(const char *language, const char *code, size_t code_len, char out[65]) {
        struct sha256_ctx ctx = { 0 };
        uint8_t d[SHA256_DIGEST_BYTES];
        int r = sha256_init(&ctx);
        if (r == 0)
                r = sha256_update(&ctx, language, strlen(language));
        if (r == 0)
                r = sha256_update(&ctx, ":", 1);
        if (r == 0)
                r = sha256_update(&ctx, code, code_len);
        if (r == 0)
                r = sha256_final(&ctx, d);
        sha256_ctx_free(&ctx);
        if (r < 0)
                return r;
        sha256_to_hex(d, out);
        return 0;
}
