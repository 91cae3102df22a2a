/* The sandbox's pid 1: builds the file system, forks the skill, reaps every process, and when the
 * skill exits kills whatever is left, then reports to the engine and exits. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "../policy/plan.h"
#include "seccomp.h"

/* Messages from pid 1 to the engine over the status pipe (fixed size, written atomically). */
enum init_msg_type {
        INIT_MSG_SETUP_FAILED = 1, /* the sandbox could not be built: refuse (exit 4) */
        INIT_MSG_EXEC_FAILED,      /* the interpreter could not be started */
        INIT_MSG_EXITED,           /* the skill's wait status and resource usage */
};

struct init_msg {
        int32_t type;
        int32_t error;       /* -errno for failures */
        int32_t wait_status; /* EXITED */
        int32_t pad;
        uint64_t cpu_us;     /* user+system of every reaped process */
        uint64_t max_rss_kb; /* largest single process */
        uint64_t setup_us;   /* pid 1: from "go" to the mount tree being ready */
        uint64_t exec_us;    /* pid 1: from fork to the skill's successful execve */
        char text[256];
};

/* The file descriptors pid 1 starts with (arranged by the engine right after clone). */
#define INIT_FD_STATUS 3 /* write end of the status pipe */
#define INIT_FD_GO 4     /* read end: a byte once the uid maps are written, a second once
                            * pid 1 is in the run's cgroups */
#define INIT_FD_NET 5    /* with network grants: where pid 1 sends the proxy's listening socket */

/* Runs in the cloned child; never returns. */
_Noreturn void sandbox_init_main(const struct sandbox_plan *plan, const struct seccomp_program *filter);

/* The skill-side steps shared with level 1 (no sandbox): rlimits, clean fds, environment. */
int apply_rlimits(const struct plan_limits *l, bool rlimit_memory, bool rlimit_procs);
