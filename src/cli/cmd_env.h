/* Dependency-environment helpers for the commands that build environments (build-env here; add
 * and run call env_prepare() with this progress printer). */
#pragma once

#include "../sandbox/env.h"

/* env_progress_fn for a person: one line per step on stderr, only when stderr is a terminal.
 * userdata is unused (NULL). */
void cli_env_progress(const struct env_progress *p, void *userdata);
