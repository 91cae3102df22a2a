/* The JSON-RPC daemon (serve.h). One loop: the NDJSON reader hands over lines, each request
 * becomes an engine job, each job's end becomes one response. In-flight requests are kept in a
 * list keyed by their id (JSON-encoded, so 1 and "1" differ), which is how $/cancelRequest finds
 * them and how a duplicate id is refused. Nothing a client sends can crash or stall the loop:
 * every line is parsed with a cap, every error is a response, and responses queue up to a cap
 * (past it, reading stops until the client catches up). */
#include "serve.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../base/json.h"
#include "../base/log.h"
#include "../base/macros.h"
#include "config.h"
#include "ndjson.h"

#define RPC_PARSE_ERROR -32700
#define RPC_INVALID_REQUEST -32600
#define RPC_METHOD_NOT_FOUND -32601
#define RPC_INVALID_PARAMS -32602
#define RPC_INTERNAL -32603
#define RPC_BUSY -32005
#define RPC_CANCELLED -32800

struct request {
        struct server *s;
        json_t *id;
        char *id_key;
        struct job *job;
        struct request *next;
};

struct server {
        struct loop *loop;
        struct ndjson *io;
        struct engine *engine;
        const struct serve_options *o;
        struct request *inflight;
        size_t n_inflight;
        bool eof, stop, paused;
        int sigfd;
};

static json_t *error_obj(int code, const char *reason, const char *message) {
        return json_pack("{s:i, s:s, s:{s:s}}", "code", code, "message", message, "data", "reason", reason);
}

static void send_msg(struct server *s, json_t *msg) {
        if (!msg)
                return;
        int r = ndjson_send(s->io, msg);
        if (r == -ENOBUFS) {
                /* The client is not reading (or the result is huge): say so instead, in little. */
                json_t *id = json_object_get(msg, "id");
                _cleanup_json_ json_t *small = json_pack(
                        "{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error",
                        error_obj(RPC_INTERNAL, "output_limit",
                                  "the response does not fit in the client's output buffer"));
                if (small && ndjson_send(s->io, small) < 0)
                        log_warn("serve: dropped a response: the client is not reading");
        }
        json_decref(msg);
}

static void send_error(struct server *s, json_t *id, int code, const char *reason, const char *message) {
        send_msg(s, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error",
                              error_obj(code, reason, message)));
}

static void send_result(struct server *s, json_t *id, json_t *result) {
        send_msg(s, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result));
}

static void update_pause(struct server *s) {
        bool pause = !s->eof && (ndjson_pending(s->io) > s->o->max_queued_out / 2);
        if (pause != s->paused) {
                s->paused = pause;
                ndjson_pause(s->io, pause);
        }
}

static void request_free(struct request *rq) {
        json_decref(rq->id);
        free(rq->id_key);
        free(rq);
}

static void unlink_request(struct server *s, struct request *rq) {
        for (struct request **p = &s->inflight; *p; p = &(*p)->next)
                if (*p == rq) {
                        *p = rq->next;
                        s->n_inflight--;
                        return;
                }
}

static void on_job_done(void *ctx, const struct job_result *r) {
        struct request *rq = ctx;
        struct server *s = rq->s;
        unlink_request(s, rq);
        if (r->cancelled)
                send_error(s, rq->id, RPC_CANCELLED, "cancelled", "the request was cancelled");
        else if (r->json)
                /* The command's own JSON: an envelope, a report, a listing - also when it failed. */
                send_result(s, rq->id, json_incref(r->json));
        else {
                const char *reason;
                int code = engine_error_code(r->exit_code, &reason);
                send_error(s, rq->id, code, reason, r->message && *r->message ? r->message : "the command failed");
        }
        request_free(rq);
        update_pause(s);
}

static struct request *find_request(struct server *s, const char *key) {
        for (struct request *rq = s->inflight; rq; rq = rq->next)
                if (!strcmp(rq->id_key, key))
                        return rq;
        return NULL;
}

static void handle_cancel(struct server *s, json_t *params) {
        json_t *id = json_object_get(params, "id");
        if (!id || !(json_is_integer(id) || json_is_string(id)))
                return;
        _cleanup_free_ char *key = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        struct request *rq = key ? find_request(s, key) : NULL;
        if (rq && rq->job)
                engine_cancel(s->engine, rq->job);
}

static void handle(struct server *s, json_t *msg) {
        json_t *id = json_object_get(msg, "id");
        bool valid_id = id && (json_is_integer(id) || json_is_string(id) || json_is_null(id));
        json_t *reply_id = valid_id ? id : json_null();
        const char *version = json_string_value(json_object_get(msg, "jsonrpc"));
        json_t *mj = json_object_get(msg, "method");
        const char *method = json_string_value(mj);
        json_t *params = json_object_get(msg, "params");
        if (!version || strcmp(version, "2.0") || !method || (id && !valid_id) ||
            strlen(method) != json_string_length(mj)) {
                send_error(s, reply_id, RPC_INVALID_REQUEST, "invalid_request",
                           "not a JSON-RPC 2.0 request (jsonrpc \"2.0\", a string method, an integer or string id)");
                return;
        }
        if (params && !json_is_object(params)) {
                if (id)
                        send_error(s, id, RPC_INVALID_PARAMS, "invalid_params", "params must be an object");
                return;
        }
        if (!id) { /* a notification: never answered */
                if (!strcmp(method, "$/cancelRequest") && params)
                        handle_cancel(s, params);
                return;
        }
        _cleanup_free_ char *key = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!key) {
                send_error(s, id, RPC_INTERNAL, "internal", "out of memory");
                return;
        }
        if (find_request(s, key)) {
                send_error(s, id, RPC_INVALID_REQUEST, "duplicate_id", "a request with this id is still in flight");
                return;
        }
        if (!strcmp(method, "ping")) {
                send_result(s, id, json_pack("{s:s, s:I, s:o}", "version", SKILLLITE_VERSION, "inflight",
                                             (json_int_t) s->n_inflight, "pool", engine_pool_json(s->engine)));
                return;
        }
        if (s->n_inflight >= s->o->max_inflight) {
                send_error(s, id, RPC_BUSY, "busy", "too many requests in flight; retry later");
                return;
        }
        struct request *rq = calloc(1, sizeof(*rq));
        if (!rq) {
                send_error(s, id, RPC_INTERNAL, "internal", "out of memory");
                return;
        }
        *rq = (struct request) { .s = s, .id = json_incref(id), .id_key = TAKE_PTR(key) };
        struct error err = ERROR_INIT;
        rq->job = engine_submit(s->engine, method, params, on_job_done, rq, &err);
        if (!rq->job) {
                int code = err.code == -ENOENT  ? RPC_METHOD_NOT_FOUND
                         : err.code == -EBUSY   ? RPC_BUSY
                         : err.code == -ENOMEM  ? RPC_INTERNAL
                                                : RPC_INVALID_PARAMS;
                const char *reason = err.code == -ENOENT  ? "method_not_found"
                                   : err.code == -EBUSY   ? "busy"
                                   : err.code == -ENOMEM  ? "internal"
                                   : err.code == -ENXIO   ? "invalid_input"
                                                          : "invalid_params";
                char message[600];
                if (err.code == -ENOENT)
                        snprintf(message, sizeof(message), "unknown method \"%.100s\"", method);
                else
                        snprintf(message, sizeof(message), "%s", err.msg);
                send_error(s, id, code, reason, message);
                request_free(rq);
                return;
        }
        rq->next = s->inflight;
        s->inflight = rq;
        s->n_inflight++;
}

static void on_line(void *ctx, const char *line, size_t len) {
        struct server *s = ctx;
        struct error err = ERROR_INIT;
        _cleanup_json_ json_t *msg = json_parse_strict(line, len, s->o->max_frame, &err);
        if (!msg) {
                char m[600];
                snprintf(m, sizeof(m), "parse error: %s", err.msg);
                send_error(s, NULL, RPC_PARSE_ERROR, "parse_error", m);
        } else if (!json_is_object(msg))
                send_error(s, NULL, RPC_INVALID_REQUEST, "invalid_request",
                           json_is_array(msg) ? "batches are not supported" : "a request is a JSON object");
        else
                handle(s, msg);
        update_pause(s);
}

static void on_oversize(void *ctx, size_t max) {
        struct server *s = ctx;
        char m[120];
        snprintf(m, sizeof(m), "request line longer than %zu bytes (discarded)", max);
        send_error(s, NULL, RPC_INVALID_REQUEST, "frame_too_large", m);
}

static void on_eof(void *ctx) {
        struct server *s = ctx;
        s->eof = true;
}

static void on_signal(int fd, uint32_t events, void *arg) {
        struct server *s = arg;
        struct signalfd_siginfo si;
        (void) events;
        while (read(fd, &si, sizeof(si)) == sizeof(si))
                s->stop = true;
}

int serve_main(const struct serve_options *opts, struct error *err) {
        struct serve_options o = *opts;
        if (!o.max_frame)
                o.max_frame = 10u << 20;
        if (!o.max_queued_out)
                o.max_queued_out = 64u << 20;
        if (!o.max_inflight)
                o.max_inflight = 64;
        if (!o.engine.max_queued)
                o.engine.max_queued = o.max_inflight;
        struct server s = { .o = &o, .sigfd = -1 };
        /* A client that goes away must not kill us with SIGPIPE; SIGTERM/SIGINT end the loop. */
        signal(SIGPIPE, SIG_IGN);
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        int r = loop_new(&s.loop);
        if (r < 0)
                return error_set(err, r, "epoll: %s", strerror(-r));
        r = engine_new(s.loop, &o.engine, &s.engine, err);
        if (r < 0)
                goto out;
        sigprocmask(SIG_BLOCK, &mask, NULL);
        s.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (s.sigfd < 0 || loop_add(s.loop, s.sigfd, EPOLLIN, on_signal, &s) < 0) {
                r = error_set(err, -errno, "signalfd: %s", strerror(errno));
                goto out;
        }
        static const struct ndjson_handlers h = { on_line, on_oversize, on_eof };
        r = ndjson_new(s.loop, STDIN_FILENO, STDOUT_FILENO, o.max_frame, o.max_queued_out, &h, &s, &s.io);
        if (r < 0) {
                error_set(err, r, "stdio: %s", strerror(-r));
                goto out;
        }
        log_debug("serve: ready (workers %u)", o.engine.workers);
        while (!s.stop && !(s.eof && s.n_inflight == 0)) {
                r = loop_run_once(s.loop, -1);
                if (r < 0) {
                        error_set(err, r, "epoll_wait: %s", strerror(-r));
                        break;
                }
        }
        if (s.stop) {
                /* Cancel everything in flight; answer each as cancelled. */
                for (struct request *rq = s.inflight; rq; rq = rq->next)
                        engine_cancel(s.engine, rq->job);
                uint64_t deadline = loop_now_ms() + 5000;
                while (s.n_inflight && loop_now_ms() < deadline)
                        loop_run_once(s.loop, 100);
        }
        ndjson_flush(s.io, 5000);
        r = r < 0 ? r : 0;
out:
        ndjson_free(s.io);
        engine_free(s.engine);
        while (s.inflight) {
                struct request *rq = s.inflight;
                s.inflight = rq->next;
                request_free(rq);
        }
        if (s.sigfd >= 0) {
                loop_del(s.loop, s.sigfd);
                close(s.sigfd);
        }
        sigprocmask(SIG_UNBLOCK, &mask, NULL);
        loop_free(s.loop);
        return r;
}
