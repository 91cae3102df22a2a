/* Apply the plan's Landlock rules to the calling process (after pivot_root, so the paths are
 * the sandbox's). Needs no_new_privs. */
#pragma once

#include "../base/error.h"
#include "../policy/plan.h"

int landlock_apply(const struct sandbox_plan *plan, struct error *err);
