/* Probe what this host supports (user namespaces, Landlock, seccomp, cgroups, interpreters). */
#pragma once

#include <jansson.h>

#include "../base/error.h"
#include "../policy/host.h"

/* Cheap probes for every run. userns is assumed true here; clone3 reports the truth. */
int host_probe(struct host_caps *ret);
/* The expensive userns probe (forks a child that unshares a user namespace), for doctor. */
bool host_probe_userns(void);
/* Find an executable by name on the sandbox PATH (/usr/local/bin:/usr/bin:/bin); canonical path. */
char *host_find_executable(const char *name);
/* The dynamic loader an ELF executable asks for (PT_INTERP), canonicalized; NULL for static. */
char *host_elf_interpreter(const char *path);
