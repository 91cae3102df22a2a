/* A cgroup leaf per run: limits memory, processes and CPU for everything in the sandbox, reports
 * peak memory and which limit was hit, and is removed after the run. v2 or v1 per host. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../policy/host.h"
#include "../policy/plan.h"

struct run_cgroup {
        enum cgroup_mode mode;
        char *memory_dir, *pids_dir, *cpu_dir; /* our leaves (v2: all equal) */
        char *cpuacct_dir;                      /* where cpu usage is read (v1), may equal cpu_dir */
        int v2_dir_fd;                          /* for CLONE_INTO_CGROUP */
};

#define RUN_CGROUP_INIT { .mode = CGROUP_NONE, .v2_dir_fd = -1 }

/* Create the leaves and write the limits. Nothing is created when the plan uses rlimits. */
int run_cgroup_create(struct run_cgroup *cg, const struct host_caps *host,
                      const struct plan_limits *limits, struct error *err);
/* v1: move pid into every leaf (v2 uses CLONE_INTO_CGROUP instead). */
int run_cgroup_attach(struct run_cgroup *cg, pid_t pid, struct error *err);

struct cgroup_usage {
        uint64_t peak_memory_bytes; /* 0 when unknown */
        bool oom_killed;            /* the memory limit killed something */
        bool pids_limited;          /* a fork/clone was refused by the pids limit */
        bool have_cpu;              /* cpu_us is valid */
        uint64_t cpu_us;            /* CPU time of everything in the run */
};
void run_cgroup_usage(const struct run_cgroup *cg, struct cgroup_usage *ret);
/* Kill what is left (v2 cgroup.kill; v1 via the pid namespace already) and remove the leaves,
 * waiting briefly for the kernel to let go of exited tasks. */
void run_cgroup_destroy(struct run_cgroup *cg);
