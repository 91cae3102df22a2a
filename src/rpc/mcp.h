/* `skilllite mcp`: a Model Context Protocol server (versions 2025-11-25, 2025-06-18, 2024-11-05;
 * server/discover of 2026-07-28) over stdio or Streamable HTTP. Every installed skill is a tool,
 * plus list_skills, get_skill_info, run_skill, scan_code and execute_code. Each tool call is one
 * or more children of our own binary through the engine (engine.h), so it gets exactly the CLI's
 * checks: integrity of installed skills, the level-3 scan, the sandbox. Risky level-3 runs need a
 * human: MCP elicitation when the client offers it, else a one-use scan_id and confirmed=true. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "engine.h"

#define MCP_FRAME_MAX (10u << 20)        /* one stdio line */
#define MCP_HTTP_BODY_MAX (4u << 20)     /* one POST body */
#define MCP_SCAN_TTL_DEFAULT 300         /* seconds a scan_id stays valid */
#define MCP_ELICIT_TIMEOUT_DEFAULT 600   /* seconds we wait for a person's answer */

struct mcp_options {
        struct engine_config engine;
        const char *skills_dir;      /* NULL: the CLI's default */
        int sandbox_level;           /* 1..3; 0: SKILLLITE_SANDBOX_LEVEL, else 3. Tool calls may
                                      * raise it (execute_code's sandbox_level), never lower it */
        unsigned scan_ttl_secs;      /* 0: SKILLLITE_MCP_SCAN_TTL_SECS, else 300 */
        unsigned elicit_timeout_secs;/* 0: 600 */
        unsigned max_inflight;       /* requests in flight per session (0: 32) */
        bool auto_approve;           /* SKILLLITE_AUTO_APPROVE: medium/high run without asking */

        /* Streamable HTTP instead of stdio when set: "127.0.0.1:PORT", "[::1]:PORT", "HOST:PORT" */
        const char *http_listen;
        bool allow_remote;           /* a non-loopback address (needs token) */
        const char *token;           /* bearer token required on every request when set */
        char **allowed_origins;      /* Origin values accepted besides loopback pages (NULL-terminated) */
        unsigned max_sessions;       /* 0: 32 */
        unsigned max_connections;    /* 0: 64 */
        /* Called once the HTTP server listens, with its URL (cli prints it). */
        void (*on_listening)(const char *url, void *ctx);
        void *on_listening_ctx;
};

/* Serve until stdin's EOF (stdio: in-flight requests are answered first) or SIGTERM/SIGINT.
 * 0, or -errno with err set when the server could not start. */
int mcp_main(const struct mcp_options *o, struct error *err);
