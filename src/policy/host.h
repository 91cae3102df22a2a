/* What the host can do, as probed by sandbox/probe.c. Policy code takes it as plain data. */
#pragma once

#include <stdbool.h>

enum cgroup_mode {
        CGROUP_NONE = 0, /* no usable controller: rlimits only */
        CGROUP_V1,       /* legacy hierarchy (memory, pids, cpu controllers) */
        CGROUP_V2,       /* unified hierarchy with the controllers enabled */
};

struct host_caps {
        bool userns;        /* unprivileged-style user namespaces can be created */
        int landlock_abi;   /* 0 when Landlock is unavailable */
        bool seccomp;       /* seccomp filters can be installed */
        bool is_root;       /* the engine runs with euid 0 */
        enum cgroup_mode cgroup;
        bool cg_memory, cg_pids, cg_cpu; /* usable controllers in that mode */
        char *cg_cpuacct_dir;           /* v1 only: where CPU time is accounted, when separate */
        bool cg_cpuacct_in_cpu;         /* v1: cpuacct is co-mounted with cpu */
        char *cg_memory_dir, *cg_pids_dir, *cg_cpu_dir; /* parent dirs for our leaves (v1: per
                                                          controller; v2: all the same) */
        bool merged_usr;    /* /bin, /lib... are symlinks into /usr */
        bool has_lib64;     /* /lib64 exists (x86_64 ELF loader lives behind it) */
        char *elf_loader;   /* canonical path of the dynamic loader, NULL if unknown */
        char *python, *node, *shell; /* interpreter paths (canonical), NULL when missing */
        char **lib_exec_dirs; /* library directories that must stay executable: the loader's
                               * multiarch dir; NULL-terminated */
        char **python_lib_dirs; /* Python's module dirs (extension modules are mapped executable):
                                 * executable only in runs that may start host->python */
};

void host_caps_done(struct host_caps *h);
