/* What the MCP server's own files share (mcp.c: sessions, dispatch, requests to the client;
 * mcp_tools.c: the tools; mcp_http.c and the stdio transport in mcp.c). Not for other modules. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "loop.h"
#include "mcp.h"
#include "mcp_proto.h"
#include "../base/sha256.h"

#define MCP_APPROVED_MAX 64 /* skill/code hashes a session approved (elicitation or scan_id) */

/* Where the messages of one client request go: its response and anything sent while it runs
 * (elicitation requests, cancellations of them). stdio has one stream for all requests; HTTP one
 * per POST. The core never touches a stream after its final send, after abandon(), or after
 * the transport called mcp_session_stream_gone() for it. */
struct mcp_stream;
struct mcp_stream_ops {
        /* final: this is the response, the last message of the stream. 0 or -errno (gone). */
        int (*send)(struct mcp_stream *st, const json_t *msg, bool final);
        /* No response will come (the request was cancelled). */
        void (*abandon)(struct mcp_stream *st);
};
struct mcp_stream {
        const struct mcp_stream_ops *ops;
        bool can_request; /* requests to the client may travel on it (SSE accepted, or stdio) */
};

struct mcp_server {
        struct loop *loop;
        struct engine *engine;
        struct mcp_options opts; /* strings point into the caller's options */
        int level;               /* the server's sandbox level, 1..3 */
        uint64_t scan_ttl_ms, elicit_timeout_ms;
        const char *tmp_dir;     /* for execute_code's throwaway skills */
};

struct mcp_call;
struct mcp_outreq;

struct mcp_session {
        struct mcp_server *srv;
        const char *version;     /* negotiated; NULL before initialize */
        bool ready;              /* notifications/initialized arrived */
        bool elicitation;        /* the client can be asked (form elicitation) */
        struct mcp_call *calls;  /* requests in flight */
        size_t n_calls;
        struct mcp_outreq *outreqs;
        json_int_t next_out_id;
        bool input_closed;       /* no answer to a request of ours can come any more */
        struct mcp_tokens tokens;
        char approved[MCP_APPROVED_MAX][65];
        size_t n_approved, approved_next;
        uint64_t last_active_ms;
};

typedef void (*mcp_job_fn)(struct mcp_call *c, const struct job_result *r);
typedef void (*mcp_answer_fn)(struct mcp_call *c, const json_t *result, const json_t *error);

struct mcp_call {
        struct mcp_session *ss;  /* NULL once abandoned: nothing more is sent */
        struct mcp_stream *stream;
        json_t *id;
        char *method;
        json_t *params;
        struct job *job;
        mcp_job_fn job_next;
        struct mcp_outreq *asking; /* our request to the client it waits for */
        bool cancelled;
        void *flow;              /* the tool's state (mcp_tools.c) */
        void (*flow_free)(void *flow);
        struct mcp_call *next;
};

/* mcp.c */
struct mcp_session *mcp_session_new(struct mcp_server *srv);
/* Cancel what is in flight and forget the session; its streams are not used any more. */
void mcp_session_free(struct mcp_session *ss);
/* One message from the client, parsed. Requests are answered on st (which must then be
 * non-NULL); notifications and responses need none. */
void mcp_session_handle(struct mcp_session *ss, json_t *msg, struct mcp_stream *st);
/* The transport lost st (the HTTP connection closed): requests on it are cancelled. */
void mcp_session_stream_gone(struct mcp_session *ss, struct mcp_stream *st);
/* No more input (stdio EOF): questions to the client are given up. */
void mcp_session_input_closed(struct mcp_session *ss);

/* Answer the call (result stolen) and free it. */
void mcp_call_reply(struct mcp_call *c, json_t *result);
void mcp_call_error(struct mcp_call *c, int code, const char *fmt, ...) _printf_(3, 4);
/* A tool result with isError and this text (tools report their failures this way). */
void mcp_call_tool_error(struct mcp_call *c, const char *fmt, ...) _printf_(2, 3);
/* Run an engine method; next(c, r) gets the result unless the call was cancelled meanwhile
 * (then the call is freed). On a submit error the call is answered with a tool error (or -32000
 * when busy) and false is returned. */
bool mcp_call_submit(struct mcp_call *c, const char *method, json_t *params, mcp_job_fn next);
/* Send a request to the client on the call's stream; answer(c, result, error) later, with both
 * NULL when it timed out or no answer can come. false (call answered with a tool error) when it
 * could not be sent. params stolen. */
bool mcp_call_ask(struct mcp_call *c, const char *method, json_t *params, mcp_answer_fn answer);

bool mcp_session_approved(const struct mcp_session *ss, const char *hash);
void mcp_session_approve(struct mcp_session *ss, const char *hash);

/* SIGTERM or SIGINT arrived: the transport winds down. */
bool mcp_stop_requested(void);

/* The state of one tool call (mcp_tools.c, mcp_run.c). */
enum flow_kind { FLOW_TOOLS_LIST, FLOW_LIST_SKILLS, FLOW_SKILL_INFO, FLOW_RUN, FLOW_SCAN_CODE };

struct flow {
        enum flow_kind kind;
        /* tools/list */
        json_t *skills;   /* usable skills from `list --json`, sorted by name */
        json_t *details;  /* name -> `show --json` */
        size_t next_show;
        /* a run */
        char *tool;       /* the tool called */
        char *skill;      /* the skill's name */
        char *stem;       /* <skill>_<stem> tool of one script */
        bool via_run_skill;
        const char *op;   /* engine method: run, exec, bash */
        char *script;
        char *command;
        json_t *input;
        char *dir;        /* the skill directory */
        char *tmp;        /* a throwaway directory to remove afterwards */
        bool code;        /* execute_code / scan_code */
        const char *language;
        char subject[128];
        char hash[SHA256_HEX_BYTES];
        int level;
        bool confirmed;
        char *scan_id;
};

/* mcp_tools.c */
void mcp_tools_list(struct mcp_call *c);
void mcp_tools_call(struct mcp_call *c);
/* A flow for the call (freed with it); NULL (call answered) when out of memory. */
struct flow *mcp_flow_new(struct mcp_call *c, enum flow_kind kind);
/* "standard", "multi-script", "bash-tool", "prompt-only" (or "") of a `show --json` object. */
const char *mcp_skill_kind(const json_t *s);
/* SKILL.md of a skill directory (never through a symlink), capped; NULL when unreadable. */
char *mcp_read_skill_md(const char *dir);
/* An optional string argument without NUL bytes (required: non-empty). false: the call was
 * answered with a tool error. */
bool mcp_arg_string(struct mcp_call *c, const json_t *args, const char *key, bool required, const char **ret);
static inline const char *version_of(const struct mcp_call *c) {
        return c->ss->version;
}

/* mcp_run.c */
void mcp_run_start_skill(struct mcp_call *c);
void mcp_run_scan_code(struct mcp_call *c, const json_t *args);
void mcp_run_execute_code(struct mcp_call *c, const json_t *args);

/* mcp_http.c */
int mcp_http_serve(struct mcp_server *srv, struct error *err);
