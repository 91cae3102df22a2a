/* The eight seccomp programs compiled at build time (seccomp_gen.c writes seccomp_programs.c;
 * indexed by seccomp_variant()). */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "seccomp.h"

struct seccomp_precompiled {
        const struct sock_filter *insns;
        size_t len;
};

extern const struct seccomp_precompiled seccomp_precompiled[SECCOMP_VARIANTS];
