/* The seccomp-bpf filter of a run, compiled with libseccomp and hardened with a prologue
 * libseccomp does not emit: x32 syscalls and syscall numbers newer than this build knows are
 * refused before libseccomp's program.
 *
 * The compiling happens at build time: the policy has three switches, so seccomp_gen.c compiles
 * all eight programs into the binary (seccomp_programs.c in the build directory), and a run
 * copies one instead of spending ~0.25 ms in libseccomp - which the engine then does not load
 * at all. The unit tests compile every variant again and compare (test_seccomp.c). */
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "../base/error.h"
#include "../policy/plan.h"

struct seccomp_program {
        struct sock_filter *insns;
        size_t len;
};

/* Syscall numbers at or above this are newer than the deny list was written for (statmount,
 * listmount, lsm_*, open_tree_attr, ...): they get ENOSYS, which libc treats as "not here". */
#define SECCOMP_FIRST_UNREVIEWED_NR 457

/* The run's program (from the precompiled ones). */
int seccomp_program_build(const struct plan_seccomp *policy, struct seccomp_program *ret,
                          struct error *err);
/* Which of the eight: bit 0 allow_process_creation, bit 1 allow_inet, bit 2 memfd_noexec_only.
 * A new switch in struct plan_seccomp must get a bit here (and a line in seccomp_gen.c), or the
 * built-in programs would silently ignore it: */
_Static_assert(sizeof(struct plan_seccomp) == 3 * sizeof(bool),
               "plan_seccomp changed: update seccomp_variant(), SECCOMP_VARIANTS and seccomp_gen.c");
#define SECCOMP_VARIANTS 8u
static inline unsigned seccomp_variant(const struct plan_seccomp *pol) {
        return (pol->allow_process_creation ? 1u : 0u) | (pol->allow_inet ? 2u : 0u) |
               (pol->memfd_noexec_only ? 4u : 0u);
}
/* Compile with libseccomp (seccomp_compile.c: for seccomp_gen and the tests only). */
int seccomp_program_compile(const struct plan_seccomp *policy, struct seccomp_program *ret,
                            struct error *err);
void seccomp_program_free(struct seccomp_program *p);
/* Install in the calling thread (needs no_new_privs or CAP_SYS_ADMIN). Returns 0 or -errno. */
int seccomp_program_load(const struct seccomp_program *p);
