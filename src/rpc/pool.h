/* Pre-warmed sandboxes for `run` (engine.c): per hot command (the same skill and options), a few
 * children of our binary running `run --json --input-after-start ...`: they have done everything
 * a run does before its input - load, integrity check, level-3 gate, plan, sandbox, interpreter
 * started, the skill's imports done - and wait on stdin. Each serves exactly one request and is
 * then replaced in the background. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "child.h"
#include "engine.h"
#include "loop.h"
#include "methods.h"

struct pool;

/* envp: the children's environment (kept by reference: the engine owns it). */
int pool_new(struct loop *l, const char *self_exe, char **envp, const struct engine_config *cfg,
             struct pool **ret);
/* Kill every warm child and wait for it. */
void pool_free(struct pool *p);

/* Take a warm child for this key when one is ready and the skill's files have not changed since
 * it was started (stat fingerprint); the job owns its descriptors and reaps it from then on. The
 * replacement starts at pool_job_done(). */
bool pool_take(struct pool *p, const char *key, struct child *ret);
/* A request served by a warm child has its answer: now start the replacements. */
void pool_job_done(struct pool *p);
/* A run of this call had no warm child: remember the key as hot and start warming it. */
void pool_note_use(struct pool *p, const struct method_call *c);

/* Numbers for `serve`'s stats: warm children now, hits, misses, bytes in use (last sample). */
struct pool_stats {
        size_t warm, hits, misses, memory;
};
void pool_get_stats(const struct pool *p, struct pool_stats *ret);
