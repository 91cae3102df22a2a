/* The seccomp-bpf filter of a run, built with libseccomp in the parent (before clone, so the
 * child only calls prctl) and hardened with a prologue libseccomp does not emit: x32 syscalls
 * and syscall numbers newer than this build knows are refused before libseccomp's program. */
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

int seccomp_program_build(const struct plan_seccomp *policy, struct seccomp_program *ret,
                          struct error *err);
void seccomp_program_free(struct seccomp_program *p);
/* Install in the calling thread (needs no_new_privs or CAP_SYS_ADMIN). Returns 0 or -errno. */
int seccomp_program_load(const struct seccomp_program *p);
