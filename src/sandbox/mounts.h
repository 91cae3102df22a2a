/* Build the sandbox's file system from the plan, inside fresh user+mount namespaces: clone every
 * bind source first (so nothing we mount can hide a source), assemble a tmpfs root, pivot_root
 * into it, detach the host's tree, make the root read-only, set the hostname. */
#pragma once

#include "../base/error.h"
#include "../policy/plan.h"

/* switch_identity(arg) runs after every host source is opened or read and before anything is
 * created in the new tree (pid 1 becomes the sandbox user there). */
int sandbox_mounts_setup(const struct sandbox_plan *plan, int (*switch_identity)(void *), void *arg,
                         struct error *err);
