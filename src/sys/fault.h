/* Test seam: SKILLLITE_TEST_DISABLE=landlock,userns,seccomp,cgroup makes the probes report that
 * feature as missing, so tests can check what the engine does without it. For landlock, userns
 * and seccomp that is a refusal (exit 4); for cgroup it is the documented rlimit fallback, with
 * its printed warning, exactly as on a host without cgroup controllers. It never enables
 * anything and never hides a weakening. */
#pragma once

#include <stdbool.h>

bool sys_fault_injected(const char *feature);
