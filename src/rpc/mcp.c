/* The MCP server's protocol core: sessions (initialize and version negotiation), dispatch of
 * requests and notifications, requests in flight with their engine jobs and cancellation,
 * requests we send to the client (elicitation) with their timeouts, and the stdio transport.
 * Single-threaded on the loop; requests are answered as they finish, in any order. */
#include "mcp.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../base/envnum.h"
#include "../base/json.h"
#include "../base/log.h"
#include "config.h"
#include "mcp_internal.h"
#include "ndjson.h"

#define STDIO_QUEUE_MAX (256u << 20) /* responses waiting for the client to read them */
#define SHUTDOWN_GRACE_MS 5000

static const char INSTRUCTIONS[] =
        "SkillLite runs agent skills in a sandbox. Every installed skill is a tool (a multi-script "
        "skill has one tool per script, named <skill>_<script>); list_skills and get_skill_info "
        "describe them, run_skill runs one by name, scan_code checks code for dangerous behaviour and "
        "execute_code runs Python, JavaScript or shell code in a throwaway sandboxed skill. At sandbox "
        "level 3 everything is scanned first: critical findings are refused, medium/high findings need "
        "a person's approval (asked through elicitation, or by calling again with confirmed=true and "
        "the scan_id the first call returned, after showing the findings to the user).";

/* ---- session ----------------------------------------------------------------------------- */

struct mcp_session *mcp_session_new(struct mcp_server *srv) {
        struct mcp_session *ss = calloc(1, sizeof(*ss));
        if (!ss)
                return NULL;
        ss->srv = srv;
        ss->last_active_ms = loop_now_ms();
        return ss;
}

struct mcp_outreq {
        json_int_t id;
        struct mcp_call *call;
        mcp_answer_fn answer;
        struct loop_timer *timer;
        struct mcp_outreq *next;
};

static void outreq_unlink(struct mcp_session *ss, struct mcp_outreq *o) {
        for (struct mcp_outreq **p = &ss->outreqs; *p; p = &(*p)->next)
                if (*p == o) {
                        *p = o->next;
                        return;
                }
}

static void call_free(struct mcp_call *c) {
        if (c->flow_free && c->flow)
                c->flow_free(c->flow);
        json_decref(c->id);
        json_decref(c->params);
        free(c->method);
        free(c);
}

static void call_unlink(struct mcp_call *c) {
        struct mcp_session *ss = c->ss;
        if (!ss)
                return;
        for (struct mcp_call **p = &ss->calls; *p; p = &(*p)->next)
                if (*p == c) {
                        *p = c->next;
                        ss->n_calls--;
                        break;
                }
}

static void send_on(struct mcp_call *c, const json_t *msg, bool final) {
        if (!c->stream || !msg)
                return;
        struct mcp_stream *st = c->stream;
        if (final)
                c->stream = NULL;
        if (st->ops->send(st, msg, final) < 0)
                log_warn("mcp: a message could not be sent: the client is gone or not reading");
}

/* Stop waiting for the client's answer; tell it the question is void when it can still hear. */
static void drop_question(struct mcp_call *c, const char *reason) {
        struct mcp_outreq *o = c->asking;
        if (!o)
                return;
        c->asking = NULL;
        if (c->ss) {
                outreq_unlink(c->ss, o);
                loop_timer_cancel(c->ss->srv->loop, o->timer);
        }
        if (reason && c->stream) {
                _cleanup_json_ json_t *n = json_pack("{s:s, s:s, s:{s:I, s:s}}", "jsonrpc", "2.0", "method",
                                                     "notifications/cancelled", "params", "requestId",
                                                     (json_int_t) o->id, "reason", reason);
                send_on(c, n, false);
        }
        free(o);
}

/* The request is over without an answer: kill its job (the call is freed when the job reports),
 * or free it now. */
static void call_cancel(struct mcp_call *c, bool tell_stream) {
        struct mcp_session *ss = c->ss;
        drop_question(c, tell_stream ? "the request was cancelled" : NULL);
        call_unlink(c);
        c->ss = NULL;
        c->cancelled = true;
        if (c->stream && tell_stream && c->stream->ops->abandon)
                c->stream->ops->abandon(c->stream);
        c->stream = NULL;
        if (c->job)
                engine_cancel(ss->srv->engine, c->job);
        else
                call_free(c);
}

void mcp_session_free(struct mcp_session *ss) {
        if (!ss)
                return;
        while (ss->calls) {
                struct mcp_call *c = ss->calls;
                c->stream = NULL; /* the transport is going away with the session */
                call_cancel(c, false);
        }
        mcp_tokens_clear(&ss->tokens);
        free(ss);
}

void mcp_session_stream_gone(struct mcp_session *ss, struct mcp_stream *st) {
        for (struct mcp_call *c = ss->calls, *next; c; c = next) {
                next = c->next;
                if (c->stream == st) {
                        c->stream = NULL;
                        call_cancel(c, false);
                }
        }
}

void mcp_session_input_closed(struct mcp_session *ss) {
        ss->input_closed = true;
        while (ss->outreqs) {
                struct mcp_outreq *o = ss->outreqs;
                struct mcp_call *c = o->call;
                mcp_answer_fn answer = o->answer;
                drop_question(c, NULL);
                answer(c, NULL, NULL); /* finishes the call: nobody can answer any more */
        }
}

bool mcp_session_approved(const struct mcp_session *ss, const char *hash) {
        for (size_t i = 0; i < ss->n_approved; i++)
                if (streq(ss->approved[i], hash))
                        return true;
        return false;
}

void mcp_session_approve(struct mcp_session *ss, const char *hash) {
        if (mcp_session_approved(ss, hash) || strlen(hash) > 64)
                return;
        snprintf(ss->approved[ss->approved_next], sizeof(ss->approved[0]), "%s", hash);
        ss->approved_next = (ss->approved_next + 1) % MCP_APPROVED_MAX;
        if (ss->n_approved < MCP_APPROVED_MAX)
                ss->n_approved++;
}

/* ---- answering ----------------------------------------------------------------------------- */

static void call_finish(struct mcp_call *c, json_t *msg) {
        struct mcp_session *ss = c->ss;
        drop_question(c, "the request finished");
        struct mcp_stream *st = c->stream;
        c->stream = NULL;
        call_unlink(c);
        c->ss = NULL;
        /* Clean up (a throwaway skill directory) before the client hears the answer. */
        if (c->job) {
                /* cannot happen: a call answers from its job's callback, after the job let go */
                c->cancelled = true;
                engine_cancel(ss->srv->engine, c->job);
        } else
                call_free(c);
        if (st && msg && st->ops->send(st, msg, true) < 0)
                log_warn("mcp: an answer could not be sent: the client is gone or not reading");
        json_decref(msg);
}

void mcp_call_reply(struct mcp_call *c, json_t *result) {
        json_t *msg = result ? mcp_response_new(c->id, result) : NULL;
        if (!msg)
                msg = mcp_error_new(c->id, MCP_INTERNAL_ERROR, "out of memory", NULL);
        call_finish(c, msg);
}

void mcp_call_error(struct mcp_call *c, int code, const char *fmt, ...) {
        char text[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        call_finish(c, mcp_error_new(c->id, code, text, NULL));
}

void mcp_call_tool_error(struct mcp_call *c, const char *fmt, ...) {
        _cleanup_free_ char *text = NULL;
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r < 0)
                text = NULL;
        const char *version = c->ss ? c->ss->version : NULL;
        mcp_call_reply(c, mcp_tool_result(version, text ? text : "Error: out of memory", true, NULL));
}

static void job_done(void *ctx, const struct job_result *r) {
        struct mcp_call *c = ctx;
        c->job = NULL;
        if (!c->ss || c->cancelled) {
                call_free(c);
                return;
        }
        c->job_next(c, r);
}

bool mcp_call_submit(struct mcp_call *c, const char *method, json_t *params, mcp_job_fn next) {
        struct error err = ERROR_INIT;
        c->job_next = next;
        c->job = params ? engine_submit(c->ss->srv->engine, method, params, job_done, c, &err) : NULL;
        json_decref(params);
        if (c->job)
                return true;
        if (!params)
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
        else if (err.code == -EBUSY)
                mcp_call_error(c, MCP_SERVER_BUSY, "server busy: %s", err.msg);
        else
                mcp_call_tool_error(c, "Error: %s", err.msg[0] ? err.msg : "the command could not start");
        return false;
}

static void ask_timed_out(void *arg) {
        struct mcp_outreq *o = arg;
        struct mcp_call *c = o->call;
        o->timer = NULL; /* fired: its handle is gone */
        mcp_answer_fn answer = o->answer;
        drop_question(c, "no answer in time");
        answer(c, NULL, NULL);
}

bool mcp_call_ask(struct mcp_call *c, const char *method, json_t *params, mcp_answer_fn answer) {
        struct mcp_session *ss = c->ss;
        struct mcp_outreq *o = calloc(1, sizeof(*o));
        if (!o || !params) {
                free(o);
                json_decref(params);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return false;
        }
        o->id = ++ss->next_out_id;
        o->call = c;
        o->answer = answer;
        _cleanup_json_ json_t *msg = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t) o->id,
                                               "method", method, "params", params);
        o->timer = msg ? loop_timer_add(ss->srv->loop, ss->srv->elicit_timeout_ms, ask_timed_out, o) : NULL;
        if (!o->timer) {
                free(o);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return false;
        }
        o->next = ss->outreqs;
        ss->outreqs = o;
        c->asking = o;
        if (!c->stream || c->stream->ops->send(c->stream, msg, false) < 0) {
                drop_question(c, NULL);
                mcp_call_tool_error(c, "Error: the question for the user could not be sent");
                return false;
        }
        return true;
}

/* A response to one of our requests. */
static void handle_response(struct mcp_session *ss, const json_t *msg) {
        json_t *id = json_object_get(msg, "id");
        if (!json_is_integer(id))
                return;
        for (struct mcp_outreq *o = ss->outreqs; o; o = o->next) {
                if (o->id != json_integer_value(id))
                        continue;
                struct mcp_call *c = o->call;
                mcp_answer_fn answer = o->answer;
                drop_question(c, NULL);
                answer(c, json_object_get(msg, "result"), json_object_get(msg, "error"));
                return;
        }
        log_info("mcp: a response to no question of ours (id %lld)", (long long) json_integer_value(id));
}

/* ---- dispatch ------------------------------------------------------------------------------ */

static json_t *capabilities(void) {
        return json_pack("{s:{s:b}}", "tools", "listChanged", 0);
}

static json_t *server_info(const char *version) {
        json_t *info = json_pack("{s:s, s:s}", "name", "skilllite", "version", SKILLLITE_VERSION);
        if (info && mcp_version_at_least(version, "2025-06-18"))
                json_object_set_new(info, "title", json_string("SkillLite"));
        return info;
}

static void handle_initialize(struct mcp_call *c) {
        struct mcp_session *ss = c->ss;
        json_t *p = c->params;
        const char *requested = json_string_value(json_object_get(p, "protocolVersion"));
        if (!requested) {
                mcp_call_error(c, MCP_INVALID_PARAMS, "initialize: params.protocolVersion (a string) is required");
                return;
        }
        if (ss->version) {
                mcp_call_error(c, MCP_INVALID_REQUEST, "the session is already initialized");
                return;
        }
        ss->version = mcp_version_negotiate(requested);
        /* Form elicitation: "elicitation": {} (2025-06-18) or {"form": {...}} (2025-11-25). */
        json_t *el = json_object_get(json_object_get(p, "capabilities"), "elicitation");
        ss->elicitation = mcp_version_at_least(ss->version, "2025-06-18") && json_is_object(el) &&
                          (json_object_size(el) == 0 || json_object_get(el, "form"));
        const char *client = json_string_value(json_object_get(json_object_get(p, "clientInfo"), "name"));
        log_info("mcp: initialize from %.64s: protocol %s (asked %.32s), elicitation %s", client ? client : "?",
                 ss->version, requested, ss->elicitation ? "yes" : "no");
        mcp_call_reply(c, json_pack("{s:s, s:o, s:o, s:s}", "protocolVersion", ss->version, "capabilities",
                                    capabilities(), "serverInfo", server_info(ss->version), "instructions",
                                    INSTRUCTIONS));
}

static void handle_discover(struct mcp_call *c) {
        json_t *versions = json_array();
        for (const char *const *v = mcp_versions; versions && *v; v++)
                json_array_append_new(versions, json_string(*v));
        mcp_call_reply(c, json_pack("{s:o, s:o, s:s, s:s, s:i, s:s}", "supportedVersions", versions, "capabilities",
                                    capabilities(), "instructions", INSTRUCTIONS, "cacheScope", "public", "ttlMs",
                                    3600 * 1000, "resultType", "complete"));
}

static struct mcp_call *find_call(struct mcp_session *ss, const json_t *id) {
        for (struct mcp_call *c = ss->calls; c; c = c->next)
                if (json_equal(c->id, (json_t *) id))
                        return c;
        return NULL;
}

static void handle_notification(struct mcp_session *ss, const char *method, const json_t *params) {
        if (streq(method, "notifications/initialized") || streq(method, "initialized"))
                ss->ready = true;
        else if (streq(method, "notifications/cancelled")) {
                json_t *id = json_object_get(params, "requestId");
                struct mcp_call *c = id ? find_call(ss, id) : NULL;
                /* initialize is never cancelled (and is answered at once anyway) */
                if (c && !streq(c->method, "initialize")) {
                        const char *why = json_string_value(json_object_get(params, "reason"));
                        log_info("mcp: request cancelled by the client%s%.200s", why ? ": " : "", why ? why : "");
                        call_cancel(c, true);
                }
        } else
                log_debug("mcp: notification %.64s ignored", method);
}

/* Before initialize. A request that names its protocol version in _meta (the stateless
 * 2026-07-28 style) in one we do not speak learns which ones we do. */
static void refuse_uninitialized(struct mcp_call *c) {
        json_t *meta = json_object_get(c->params, "_meta");
        const char *v = json_string_value(json_object_get(meta, "io.modelcontextprotocol/protocolVersion"));
        if (v && !mcp_version_supported(v)) {
                json_t *e = mcp_error_unsupported_version(c->id, v);
                call_finish(c, e ? e : mcp_error_new(c->id, MCP_INTERNAL_ERROR, "out of memory", NULL));
                return;
        }
        mcp_call_error(c, MCP_INVALID_REQUEST, "the session is not initialized: send initialize first");
}

static void handle_request(struct mcp_session *ss, json_t *msg, struct mcp_stream *st) {
        json_t *id = json_object_get(msg, "id");
        const char *method = json_string_value(json_object_get(msg, "method"));
        json_t *params = json_object_get(msg, "params");
        if (find_call(ss, id)) {
                _cleanup_json_ json_t *e = mcp_error_new(id, MCP_INVALID_REQUEST,
                                                         "a request with this id is still in flight", NULL);
                if (e)
                        st->ops->send(st, e, true);
                return;
        }
        if (params && !json_is_object(params)) {
                _cleanup_json_ json_t *e = mcp_error_new(id, MCP_INVALID_PARAMS, "params must be an object", NULL);
                if (e)
                        st->ops->send(st, e, true);
                return;
        }
        struct mcp_call *c = calloc(1, sizeof(*c));
        if (!c || !(c->method = strdup(method))) {
                free(c);
                _cleanup_json_ json_t *e = mcp_error_new(id, MCP_INTERNAL_ERROR, "out of memory", NULL);
                if (e)
                        st->ops->send(st, e, true);
                return;
        }
        c->ss = ss;
        c->stream = st;
        c->id = json_incref(id);
        c->params = params ? json_incref(params) : json_object();
        c->next = ss->calls;
        ss->calls = c;
        ss->n_calls++;
        ss->last_active_ms = loop_now_ms();

        if (ss->n_calls > ss->srv->opts.max_inflight) {
                mcp_call_error(c, MCP_SERVER_BUSY, "too many requests in flight (at most %u)",
                               ss->srv->opts.max_inflight);
                return;
        }
        if (!c->params) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        if (streq(method, "initialize"))
                handle_initialize(c);
        else if (streq(method, "ping"))
                mcp_call_reply(c, json_object());
        else if (streq(method, "server/discover"))
                handle_discover(c);
        else if (!ss->version)
                refuse_uninitialized(c);
        else if (streq(method, "tools/list"))
                mcp_tools_list(c);
        else if (streq(method, "tools/call"))
                mcp_tools_call(c);
        else if (streq(method, "resources/list"))
                mcp_call_reply(c, json_pack("{s:[]}", "resources"));
        else if (streq(method, "resources/templates/list"))
                mcp_call_reply(c, json_pack("{s:[]}", "resourceTemplates"));
        else if (streq(method, "prompts/list"))
                mcp_call_reply(c, json_pack("{s:[]}", "prompts"));
        else
                mcp_call_error(c, MCP_METHOD_NOT_FOUND, "Method not found: %.128s", method);
}

void mcp_session_handle(struct mcp_session *ss, json_t *msg, struct mcp_stream *st) {
        const char *why;
        switch (mcp_msg_classify(msg, &why)) {
        case MCP_MSG_REQUEST:
                if (st)
                        handle_request(ss, msg, st);
                return;
        case MCP_MSG_NOTIFICATION:
                handle_notification(ss, json_string_value(json_object_get(msg, "method")),
                                    json_object_get(msg, "params"));
                return;
        case MCP_MSG_RESPONSE:
                handle_response(ss, msg);
                return;
        case MCP_MSG_INVALID:
                break;
        }
        if (!st)
                return;
        /* The id, when one can be told, so the client can match the error. */
        json_t *id = json_object_get(msg, "id");
        if (!json_is_string(id) && !json_is_integer(id))
                id = NULL;
        _cleanup_json_ json_t *e = mcp_error_new(id, MCP_INVALID_REQUEST, why, NULL);
        if (e)
                st->ops->send(st, e, true);
}

/* ---- server ------------------------------------------------------------------------------- */

static unsigned env_secs(const char *name, unsigned fallback) {
        unsigned long long n = fallback;
        if (env_number(name, 1, 86400 * 7, &n) < 0)
                log_warn("mcp: ignoring %s=%s (seconds, 1 to 604800)", name, getenv(name));
        return (unsigned) n;
}

static int server_init(struct mcp_server *srv, struct loop *l, const struct mcp_options *o, struct error *err) {
        *srv = (struct mcp_server) { .loop = l, .opts = *o };
        if (!srv->opts.max_inflight)
                srv->opts.max_inflight = 32;
        srv->level = o->sandbox_level;
        if (!srv->level) {
                srv->level = 3;
                const char *v = getenv("SKILLLITE_SANDBOX_LEVEL");
                if (v && *v) {
                        if ((v[0] < '1' || v[0] > '3') || v[1])
                                return error_set(err, -EINVAL, "SKILLLITE_SANDBOX_LEVEL must be 1, 2 or 3");
                        srv->level = v[0] - '0';
                }
        }
        if (srv->level < 1 || srv->level > 3)
                return error_set(err, -EINVAL, "the sandbox level must be 1, 2 or 3");
        unsigned ttl = o->scan_ttl_secs ? o->scan_ttl_secs : env_secs("SKILLLITE_MCP_SCAN_TTL_SECS", MCP_SCAN_TTL_DEFAULT);
        srv->scan_ttl_ms = (uint64_t) ttl * 1000;
        unsigned el = o->elicit_timeout_secs ? o->elicit_timeout_secs
                                             : env_secs("SKILLLITE_MCP_ELICIT_TIMEOUT_SECS", MCP_ELICIT_TIMEOUT_DEFAULT);
        srv->elicit_timeout_ms = (uint64_t) el * 1000;
        srv->tmp_dir = getenv("TMPDIR");
        if (!srv->tmp_dir || srv->tmp_dir[0] != '/')
                srv->tmp_dir = "/tmp";
        struct engine_config ec = o->engine;
        if (!ec.skills_dir)
                ec.skills_dir = o->skills_dir;
        return engine_new(l, &ec, &srv->engine, err);
}

/* SIGTERM/SIGINT as events on the loop. */
static int signals_fd(void) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return -errno;
        int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        return fd < 0 ? -errno : fd;
}

static bool stop_requested;

static void on_signal(int fd, uint32_t events, void *arg) {
        struct signalfd_siginfo si;
        (void) events, (void) arg;
        while (read(fd, &si, sizeof(si)) == (ssize_t) sizeof(si))
                stop_requested = true;
}

/* Give cancelled children time to stop, so their calls are freed before the engine goes. */
static void drain_engine(struct mcp_server *srv) {
        uint64_t deadline = loop_now_ms() + SHUTDOWN_GRACE_MS;
        while (engine_inflight(srv->engine) && loop_now_ms() < deadline)
                loop_run_once(srv->loop, 100);
}

/* ---- stdio transport ----------------------------------------------------------------------- */

struct stdio_transport {
        struct mcp_stream st;
        struct ndjson *nd;
        struct mcp_session *ss;
        bool eof;
};

static int stdio_send(struct mcp_stream *st, const json_t *msg, bool final) {
        struct stdio_transport *t = (struct stdio_transport *) st;
        (void) final;
        return ndjson_send(t->nd, msg);
}

static const struct mcp_stream_ops stdio_ops = { .send = stdio_send, .abandon = NULL };

static void stdio_send_error(struct stdio_transport *t, int code, const char *message) {
        _cleanup_json_ json_t *e = mcp_error_new(NULL, code, message, NULL);
        if (e)
                (void) ndjson_send(t->nd, e);
}

static void stdio_on_line(void *ctx, const char *line, size_t len) {
        struct stdio_transport *t = ctx;
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *msg = json_parse_strict(line, len, MCP_FRAME_MAX, &err);
        if (!msg) {
                char text[ERROR_MSG_MAX + 32];
                snprintf(text, sizeof(text), "Parse error: %s", err.msg);
                stdio_send_error(t, MCP_PARSE_ERROR, text);
                return;
        }
        /* Input is never paused: the answers to our own questions (elicitation) come this way
         * too. Past max_inflight a request is answered "busy" instead. */
        mcp_session_handle(t->ss, msg, &t->st);
}

static void stdio_on_oversize(void *ctx, size_t max_frame) {
        char text[128];
        snprintf(text, sizeof(text), "Request too large: a message over %zu bytes was discarded", max_frame);
        stdio_send_error(ctx, MCP_INVALID_REQUEST, text);
}

static void stdio_on_eof(void *ctx) {
        struct stdio_transport *t = ctx;
        t->eof = true;
        mcp_session_input_closed(t->ss);
}

static int serve_stdio(struct mcp_server *srv, struct error *err) {
        struct stdio_transport t = { .st = { .ops = &stdio_ops, .can_request = true } };
        t.ss = mcp_session_new(srv);
        if (!t.ss)
                return error_set(err, -ENOMEM, "out of memory");
        static const struct ndjson_handlers h = { .on_line = stdio_on_line, .on_oversize = stdio_on_oversize,
                                                  .on_eof = stdio_on_eof };
        int r = ndjson_new(srv->loop, STDIN_FILENO, STDOUT_FILENO, MCP_FRAME_MAX, STDIO_QUEUE_MAX, &h, &t, &t.nd);
        if (r < 0) {
                mcp_session_free(t.ss);
                return error_set(err, r, "stdio: %s", strerror(-r));
        }
        while (!stop_requested && !(t.eof && t.ss->n_calls == 0)) {
                r = loop_run_once(srv->loop, -1);
                if (r < 0) {
                        error_set(err, r, "event loop: %s", strerror(-r));
                        break;
                }
        }
        mcp_session_free(t.ss);
        drain_engine(srv);
        ndjson_flush(t.nd, 5000);
        ndjson_free(t.nd);
        return r < 0 ? r : 0;
}

bool mcp_stop_requested(void) {
        return stop_requested;
}

int mcp_main(const struct mcp_options *o, struct error *err) {
        struct loop *l = NULL;
        int r = loop_new(&l);
        if (r < 0)
                return error_set(err, r, "event loop: %s", strerror(-r));
        signal(SIGPIPE, SIG_IGN);
        int sfd = signals_fd();
        if (sfd < 0 || loop_add(l, sfd, EPOLLIN, on_signal, NULL) < 0) {
                safe_close(sfd);
                loop_free(l);
                return error_set(err, sfd < 0 ? sfd : -ENOMEM, "signals: cannot watch SIGTERM/SIGINT");
        }
        struct mcp_server srv;
        r = server_init(&srv, l, o, err);
        if (r == 0) {
                r = o->http_listen ? mcp_http_serve(&srv, err) : serve_stdio(&srv, err);
                engine_free(srv.engine);
        }
        loop_del(l, sfd);
        close(sfd);
        loop_free(l);
        return r;
}
