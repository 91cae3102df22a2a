/* Run a plan: the engine side of a run (clone into the sandbox, uid maps, cgroup, stdin/stdout/
 * stderr with caps, wall-clock timeout, the reason the run ended, cleanup of everything). */
#pragma once

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/error.h"
#include "../policy/host.h"
#include "../policy/plan.h"

enum run_reason {
        RUN_OK,                  /* exit status 0 */
        RUN_EXIT,                /* non-zero exit status */
        RUN_SIGNAL,              /* killed by a signal we did not send */
        RUN_TIMEOUT,             /* wall-clock limit */
        RUN_MEMORY,              /* the memory limit killed it */
        RUN_PIDS,                /* a process limit stopped it and it failed */
        RUN_OUTPUT_LIMIT,        /* stdout or stderr over the cap */
        RUN_SANDBOX_UNAVAILABLE, /* the sandbox could not be built: nothing ran */
        RUN_CANCELLED,           /* stopped on request (SIGTERM/SIGINT to the engine) */
};
const char *run_reason_to_string(enum run_reason r);

struct run_result {
        enum run_reason reason;
        int exit_status;   /* skill exit status, -1 when it did not exit normally */
        int term_signal;   /* signal that ended it, 0 otherwise */
        struct buf out;    /* stdout (capped) */
        struct buf err;    /* stderr (capped) */
        uint64_t duration_ms;
        uint64_t cpu_ms;
        uint64_t peak_memory_kb;
        bool memory_from_cgroup;
        bool pids_limit_hit;
        char message[320]; /* why a run failed to start, for the user */
        bool tee_stderr;   /* set by the caller: also copy the skill's stderr to ours as it comes */
        json_t *network;   /* the proxy's report (grants, every request and its decision), or NULL */
        /* set by the caller: told each network denial as it happens (one line, no newline) */
        void (*network_notice)(const char *line);
        /* set by the caller to start the sandbox before the input is known (pre-warmed runs):
         * called once the skill's process is starting, returns the input (owned by the caller)
         * or -errno with err set; the wall-clock limit counts from its return. */
        int (*await_input)(void *arg, const char **input, size_t *input_len, struct error *err);
        void *await_arg;
        /* set by the caller to hand the result on early: called at most once, when the result
         * is final and every process of the skill is gone, before the sandbox's own teardown
         * (pid 1's exit, ~0.7 ms, and the cgroups' removal). Not called when the run fails. */
        void (*on_result)(void *arg, struct run_result *res);
        void *on_result_arg;
};

/* Set (from a signal handler) to stop the run in progress: the sandbox is killed, its cgroup
 * removed, and the result's reason is RUN_CANCELLED. */
extern volatile sig_atomic_t sandbox_stop_requested;

void run_result_done(struct run_result *r);

/* Execute the plan with input on stdin. Returns 0 when the skill ran (whatever its outcome, see
 * res->reason), or -errno with err set when the sandbox could not be set up (res->reason is
 * RUN_SANDBOX_UNAVAILABLE). */
int sandbox_run(const struct sandbox_plan *plan, const struct host_caps *host, const char *input,
                size_t input_len, struct run_result *res, struct error *err);
