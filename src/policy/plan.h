/* A sandbox plan: everything a run will do, as data. Built by pure code (plan.c) from the
 * skill, the options and the host's capabilities; applied by sandbox/; printed by `explain`. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../skill/skill.h"
#include "host.h"
#include "../skill/netgrant.h"

/* Fixed locations inside the sandbox. */
#define SANDBOX_SKILL_DIR "/skill"
#define SANDBOX_SCRATCH_DIR "/sandbox"
#define SANDBOX_TMP_DIR "/sandbox/tmp"
#define SANDBOX_HOME_DIR "/sandbox/home"
#define SANDBOX_UID 1000
#define SANDBOX_GID 1000
#define SANDBOX_HOSTNAME "sandbox"
/* A host uid with no privileges for skills when the engine runs as root (nobody). */
#define SANDBOX_ROOT_MODE_HOST_ID 65534
/* With network grants, pid 1 listens here (127.0.0.1 in the sandbox's own network namespace)
 * and hands the listening socket to the engine's proxy; the proxy variables point here. */
#define SANDBOX_PROXY_PORT 3128
#define SANDBOX_PROXY_URL "http://127.0.0.1:3128"
/* Dependency environments (sandbox/env.h) are mounted here: read-only at run time, writable
 * while one is built (it is then the only writable host directory of the run). Node finds
 * modules through /node_modules, a symlink to the node environment's node_modules. */
#define SANDBOX_ENV_ROOT "/env"
#define SANDBOX_ENV_PYTHON_DIR "/env/python"
#define SANDBOX_ENV_NODE_DIR "/env/node"

/* Defaults (DESIGN.md §6, docs/ENV.md). */
#define PLAN_DEFAULT_TIMEOUT_SECS 30
#define PLAN_DEFAULT_MEMORY_MB 512
#define PLAN_DEFAULT_MAX_PROCS 32
#define PLAN_DEFAULT_OUTPUT_MAX (16u * 1024 * 1024)
#define PLAN_DEFAULT_TMP_MB 64
#define PLAN_DEFAULT_NOFILE 256
#define PLAN_DEFAULT_FSIZE_MB 64
#define PLAN_INPUT_MAX (64u * 1024 * 1024)
/* Skills up to this size are copied into the sandbox instead of bind-mounted, so that the
 * skill's host path does not show in /proc/self/mountinfo. */
#define PLAN_SKILL_COPY_MAX_BYTES (16u * 1024 * 1024)
#define PLAN_SKILL_COPY_MAX_ENTRIES 2048
/* Upper bounds of what a user or a skill may ask for (docs/SKILL-FORMAT.md, docs/ENV.md). */
#define PLAN_MAX_TIMEOUT_SECS 86400
#define PLAN_MAX_MEMORY_MB (1024 * 1024)
#define PLAN_MAX_PROCS 4096
#define PLAN_MAX_OUTPUT (1ULL << 32)
/* Ceilings for what a skill's own metadata may request; larger requests are clamped. */
#define PLAN_SKILL_MAX_TIMEOUT_SECS 600
#define PLAN_SKILL_MAX_MEMORY_MB 4096
#define PLAN_SKILL_MAX_PROCS 256
/* Proxy bounds per run (docs/ENV.md: SKILLLITE_NETWORK_*). */
#define PLAN_DEFAULT_NET_MAX_BYTES (256ULL * 1024 * 1024)
#define PLAN_DEFAULT_NET_MAX_CONNS 32          /* open at the same time */
#define PLAN_DEFAULT_NET_MAX_REQUESTS 1024     /* in the whole run */
#define PLAN_DEFAULT_NET_IDLE_SECS 60
#define PLAN_NET_CONNECT_SECS 10               /* DNS + TCP connect */
#define PLAN_NET_HEAD_SECS 10                  /* a client must send its request head in time */

enum mount_kind {
        MOUNT_BIND,    /* bind a host path (file or directory), recursively */
        MOUNT_TMPFS,   /* a fresh tmpfs (size-capped) */
        MOUNT_PROC,    /* procfs of the sandbox's pid namespace */
        MOUNT_DIR,     /* a directory in the root tmpfs */
        MOUNT_FILE,    /* a file in the root tmpfs with given content */
        MOUNT_SYMLINK, /* a symlink in the root tmpfs (source = link text) */
        MOUNT_COPY,    /* a host directory copied into its own read-only tmpfs (size = cap) */
};

#define MNT_F_RDONLY (1u << 0)
#define MNT_F_NOEXEC (1u << 1)
#define MNT_F_NODEV (1u << 2)  /* binds of device nodes leave this off */
#define MNT_F_OPTIONAL (1u << 3) /* skip a bind whose source does not exist */
#define MNT_F_PREFIX (1u << 4)   /* an interpreter prefix outside /usr (readable) */

struct plan_mount {
        enum mount_kind kind;
        char *source;  /* host path (BIND), link text (SYMLINK), content (FILE) */
        char *target;  /* path inside the sandbox */
        unsigned flags;
        uint64_t size; /* TMPFS bytes */
        unsigned mode; /* DIR/FILE/TMPFS permission bits */
};

struct plan_landlock_rule {
        char *path; /* inside the sandbox */
        uint64_t access;
};

struct plan_limits {
        uint64_t timeout_ms;
        uint64_t memory_bytes; /* 0 = unlimited */
        uint64_t max_procs;    /* processes+threads in the sandbox */
        uint64_t output_max;   /* per stream (stdout, stderr) */
        uint64_t nofile;
        uint64_t fsize_bytes;
        uint64_t cpu_secs;     /* RLIMIT_CPU per process */
        uint64_t as_bytes;     /* RLIMIT_AS, 0 = not set (it breaks V8) */
        uint64_t data_bytes;   /* RLIMIT_DATA when no memory cgroup: memory_bytes, or split over
                                * max_procs when the skill may create processes */
        bool cgroup_memory, cgroup_pids, cgroup_cpu; /* enforced by a cgroup, else rlimits */
};

struct plan_seccomp {
        bool allow_process_creation; /* fork/vfork/clone without CLONE_THREAD */
        bool allow_inet;             /* AF_INET/AF_INET6 sockets (network grants) */
        bool memfd_noexec_only;      /* memfd_create must ask for MFD_NOEXEC_SEAL (used when
                                      * vm.memfd_noexec cannot be set: unprivileged engines) */
};

enum plan_network_mode {
        PLAN_NET_NONE,  /* empty network namespace, no sockets */
        PLAN_NET_PROXY, /* grants: only through the run's proxy */
        PLAN_NET_HOST,  /* level 1: the host's network, nothing enforced */
};

struct plan_network {
        enum plan_network_mode mode;
        struct net_grants grants;  /* the skill's declared list + --allow-network, in that order */
        bool open;                 /* "*" is granted: any host name (warned) */
        bool allow_private;        /* --allow-private-network: loopback/private/... destinations */
        uint64_t max_bytes;        /* both directions, all connections */
        uint32_t max_conns;        /* at the same time */
        uint32_t max_requests;     /* in the whole run */
        uint32_t idle_secs;
};

struct sandbox_plan {
        int level;          /* 1 none, 2 sandbox, 3 sandbox + scan/confirm */
        bool isolated;      /* level >= 2 */
        char **argv;        /* what to execve, paths as seen inside */
        char **envp;
        char *cwd;
        char *skill_host_dir;
        struct plan_mount *mounts;
        size_t n_mounts;
        struct plan_landlock_rule *rules;
        size_t n_rules;
        int landlock_abi;
        uint64_t landlock_fs_handled;
        char **exec_allowed; /* inside paths with EXECUTE */
        struct plan_seccomp seccomp;
        struct plan_limits limits;
        struct plan_network network;
        bool root_mode;     /* engine is root: skill runs as SANDBOX_ROOT_MODE_HOST_ID */
        char **warnings;    /* things the user must be told (weakenings, fallbacks) */
};

/* What the user asked for on the command line / environment. */
struct run_options {
        int level;                  /* 0 = default (3) */
        uint64_t timeout_secs;      /* 0 = default */
        uint64_t memory_mb;         /* 0 = default */
        uint64_t max_procs;         /* 0 = default */
        uint64_t output_max;        /* 0 = default */
        const char *script;         /* exec: script path inside the skill instead of the entry */
        enum skill_language script_language; /* its language (resolved by the caller) */
        const char *bash_command;   /* bash: the command for the shell */
        bool network_flag;          /* --allow-network given (alone: the declared list) */
        const char *network_extra;  /* --allow-network=DOMAINS: added for this run */
        bool no_network;            /* --no-network: no grants at all */
        bool allow_private_network; /* --allow-private-network */
        uint64_t net_max_bytes;     /* 0 = default */
        uint64_t net_max_conns;
        uint64_t net_idle_secs;
        char **tools;               /* canonical host paths of extra executables (NULL-terminated) */
        bool tools_imply_processes; /* bash-tool commands need to fork their tool */
        bool copy_skill;            /* the skill is small enough to copy into the sandbox */
        uint64_t skill_bytes;       /* its size (when copy_skill) */
        size_t skill_entries;
        const char *env_python;     /* host dir of the skill's Python environment (a venv), or NULL:
                                     * Python scripts then run with its bin/python */
        const char *env_node;       /* host dir of its Node environment (holds node_modules), or NULL */
        bool env_build;             /* sandbox/env_build.c: the env dir above is being built
                                     * (mounted writable and noexec; the builder sets the argv) */
        bool python_teardown;       /* start Python scripts plainly, with the interpreter's full
                                     * teardown at exit (SKILLLITE_PYTHON_FAST_EXIT=0; python_boot.c) */
};

/* Fill options from SKILLLITE_* variables for everything the command line left at 0. */
int run_options_from_env(struct run_options *o, struct error *err);

/* Build the plan. Pure: no file system access beyond what is in the arguments. */
int sandbox_plan_build(const struct skill *skill, const struct run_options *opts,
                       const struct host_caps *host, struct sandbox_plan **ret, struct error *err);
struct sandbox_plan *sandbox_plan_free(struct sandbox_plan *p);
static inline void sandbox_plan_freep(struct sandbox_plan **p) {
        sandbox_plan_free(*p);
}
json_t *sandbox_plan_to_json(const struct sandbox_plan *p);
