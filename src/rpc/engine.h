/* The engine behind `serve` and `mcp`: every operation (run, exec, bash, scan, validate, list,
 * show) is one child process of our own binary running the CLI command with --json, so each
 * request gets exactly the CLI's checks (integrity, level-3 gate, limits) and its --json output,
 * and a crash or a leak in one request cannot take the daemon down. The engine runs at most
 * `workers` children at once, queues up to `max_queued` more, caps what it reads from each, and
 * keeps pre-warmed sandboxes for `run` (pool.c). Everything happens on the caller's loop. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "loop.h"

struct engine_config {
        const char *self_exe;   /* our binary (default /proc/self/exe, resolved at start) */
        const char *skills_dir; /* for installed-skill names (NULL: SKILLLITE_SKILLS_DIR or .skills) */
        unsigned workers;       /* children running at once (default: 2 x CPUs, at least 2) */
        unsigned max_queued;    /* requests waiting for a worker beyond that (default 64) */
        size_t max_output;      /* bytes read from a child's stdout (default 64 MiB) */
        unsigned pool_size;     /* warm sandboxes per hot skill (0: no pool; default 2) */
        unsigned pool_total;    /* warm sandboxes in all (default 8) */
        size_t pool_memory;     /* bytes all warm sandboxes may use together (default 512 MiB) */
};

struct engine;
struct job;

/* What a finished job produced. `json` is the command's stdout parsed as JSON (NULL when it
 * printed none or not JSON); `exit_code` its exit status (-1 when killed); `message` the last
 * line the command printed on stderr (its error), possibly empty. Valid during the callback. */
struct job_result {
        bool cancelled;
        int exit_code;
        json_t *json;
        const char *message;
        const char *stderr_text; /* all of stderr (capped at 64 KiB) */
};
typedef void (*job_done_fn)(void *ctx, const struct job_result *r);

int engine_new(struct loop *l, const struct engine_config *cfg, struct engine **ret, struct error *err);
/* Kills every child (running, queued, warm) and waits for them. */
void engine_free(struct engine *e);

/* Start (or queue) `method` with JSON-RPC-style params (see serve.md: run, exec, bash, scan,
 * validate, list_skills, get_skill). Returns the job, or NULL with err set: -EINVAL for invalid
 * params (err->msg says which), -ENXIO for an unknown skill, -ENOENT for an unknown method,
 * -EBUSY when the queue is full.
 * done() is called exactly once, later, from the loop (never from inside engine_submit). */
struct job *engine_submit(struct engine *e, const char *method, json_t *params, job_done_fn done,
                          void *ctx, struct error *err);
/* Stop a job: its child (and so its sandbox) is killed; done() then runs with cancelled set. */
void engine_cancel(struct engine *e, struct job *j);
/* Jobs running or queued. */
size_t engine_inflight(const struct engine *e);
/* The warm pool's numbers as JSON ({"enabled": false} without a pool). */
json_t *engine_pool_json(const struct engine *e);

/* Map a finished job without JSON output to a JSON-RPC error: code and data.reason. */
int engine_error_code(int exit_code, const char **reason);
