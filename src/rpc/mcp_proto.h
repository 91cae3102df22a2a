/* The pure parts of the MCP server (no processes, no I/O): protocol versions, JSON-RPC message
 * shapes, tool results built from the CLI's --json output, tool names, the scan report as text,
 * and the one-use scan_id tokens of the two-step confirmation. Unit-tested on their own. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/macros.h"

/* Protocol versions we speak, newest first (NULL-terminated). */
extern const char *const mcp_versions[];
#define MCP_VERSION_LATEST "2025-11-25"
/* server/discover comes from this (draft) version; we answer it whatever was negotiated. */
#define MCP_VERSION_DISCOVER "2026-07-28"

bool mcp_version_supported(const char *v);
/* The version to answer an initialize with: the client's when we speak it, else our latest
 * (the client then decides whether it can go on). Static strings. */
const char *mcp_version_negotiate(const char *requested);
/* Features by negotiated version: structuredContent, tool titles and elicitation came in
 * 2025-06-18. */
bool mcp_version_at_least(const char *v, const char *min);

/* JSON-RPC 2.0 error codes (and MCP's use of them) */
#define MCP_PARSE_ERROR -32700
#define MCP_INVALID_REQUEST -32600
#define MCP_METHOD_NOT_FOUND -32601
#define MCP_INVALID_PARAMS -32602
#define MCP_INTERNAL_ERROR -32603
#define MCP_SERVER_BUSY -32000
#define MCP_UNSUPPORTED_VERSION -32022 /* 2026-07-28: UnsupportedProtocolVersionError */

enum mcp_msg_kind { MCP_MSG_INVALID, MCP_MSG_REQUEST, MCP_MSG_NOTIFICATION, MCP_MSG_RESPONSE };
/* What a parsed message is. A request has a string or integer id (MCP forbids null) and a string
 * method; a response has an id and exactly one of result/error. On MCP_MSG_INVALID *why says
 * what is wrong (static text). */
enum mcp_msg_kind mcp_msg_classify(const json_t *msg, const char **why);

/* {"jsonrpc":"2.0","id":id,"error":{code,message[,data]}}; id NULL gives null. data is stolen. */
json_t *mcp_error_new(const json_t *id, int code, const char *message, json_t *data);
/* -32022 with data {requested, supported}: a request in a protocol version we do not speak
 * (a stateless 2026-07-28 request, or an MCP-Protocol-Version header), so the client can fall
 * back to one of ours. */
json_t *mcp_error_unsupported_version(const json_t *id, const char *requested);
/* {"jsonrpc":"2.0","id":id,"result":result}; result is stolen. */
json_t *mcp_response_new(const json_t *id, json_t *result);

/* A CallToolResult: one text block, isError, and (from 2025-06-18 on) structuredContent when
 * structured is given (stolen; a non-object value is wrapped as {"result": value}). */
json_t *mcp_tool_result(const char *version, const char *text, bool is_error, json_t *structured);
/* The result of a run/exec/bash envelope (what `run --json` prints), or of a command that printed
 * no JSON (env NULL: message says why). text_ok: output that is not JSON is still a success
 * (execute_code), its stdout the text. */
json_t *mcp_tool_result_from_run(const char *version, const json_t *env, int exit_code, const char *message,
                                 bool text_ok);

/* A skill name that can be a tool name as it is: [a-z0-9]+(-[a-z0-9]+)*, at most 64 bytes (what
 * the Agent Skills spec allows; it never holds '_', which separates a script's tool). */
bool mcp_skill_name_valid(const char *name);
/* The tool name of one script of a multi-script skill: "<skill>_<stem>" where stem is the file
 * name without its extension, characters outside [A-Za-z0-9-] as '-'. NULL when out of memory or
 * the result would exceed 128 bytes or the stem is empty. */
char *mcp_script_tool_name(const char *skill, const char *script_path);
/* Split a tool name at its first '_': skill name and script stem (ret_stem NULL when there is
 * none). false when the skill part is no valid skill name. Both are fresh strings. */
bool mcp_tool_name_split(const char *tool, char **ret_skill, char **ret_stem);

/* Severity of a scan verdict string ("safe".."critical"); -1 for anything else. */
int mcp_verdict_rank(const char *verdict);
/* The findings of a scan report (`scan --json`) at or above medium, as lines for a person:
 * "[high] scripts/main.py:2: message". At most max_findings, each line capped; NULL on ENOMEM. */
char *mcp_scan_summary(const json_t *report, size_t max_findings);

/* One-use scan_id tokens: 128 random bits as hex, valid for a TTL, bound to what was scanned
 * (subject: "code:python", "skill:calculator") and its content hash. */
#define MCP_TOKEN_ID_LEN 32
#define MCP_TOKENS_MAX 256 /* per session; the oldest goes first */

struct mcp_token {
        char id[MCP_TOKEN_ID_LEN + 1];
        char *subject;
        char *hash;
        uint64_t expires_ms;
};

struct mcp_tokens {
        struct mcp_token items[MCP_TOKENS_MAX];
        size_t n;
};

enum mcp_token_check {
        MCP_TOKEN_OK,
        MCP_TOKEN_UNKNOWN,  /* never issued here, or already used */
        MCP_TOKEN_EXPIRED,
        MCP_TOKEN_OTHER_SUBJECT, /* issued for other code or another skill */
        MCP_TOKEN_CHANGED,  /* same subject, but the content changed since the scan */
};

/* Issue a token; id_out gets its id. 0, -ENOMEM, or -errno from getrandom. */
int mcp_tokens_issue(struct mcp_tokens *t, const char *subject, const char *hash, uint64_t now_ms,
                     uint64_t ttl_ms, char id_out[MCP_TOKEN_ID_LEN + 1]) _warn_unused_;
/* Check and consume: a token presented once is gone, whatever the outcome (no probing). */
enum mcp_token_check mcp_tokens_redeem(struct mcp_tokens *t, const char *id, const char *subject,
                                       const char *hash, uint64_t now_ms);
const char *mcp_token_check_to_string(enum mcp_token_check c);
void mcp_tokens_clear(struct mcp_tokens *t);

/* Hex of 16 random bytes (session ids, tokens). 0 or -errno. */
int mcp_random_hex(char out[MCP_TOKEN_ID_LEN + 1]) _warn_unused_;
/* sha256("<language>:<code>") as hex: what a code scan_id is bound to. */
int mcp_code_hash(const char *language, const char *code, size_t code_len, char out[65]) _warn_unused_;
