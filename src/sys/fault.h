/* Test seam: SKILLLITE_TEST_DISABLE=landlock,userns,seccomp,cgroup makes the probes report that
 * feature as missing, so tests can check that the engine refuses (exit 4) instead of weakening.
 * It can only remove protections from what the engine believes is available, which makes the
 * engine refuse to run; it never weakens a run that goes ahead. */
#pragma once

#include <stdbool.h>

bool sys_fault_injected(const char *feature);
