/* Shared by the sandboxed and the unconfined runner: pipes, the poll loop, classification. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "init.h"
#include "run.h"

struct proxy;

uint64_t now_ms(void);
uint64_t now_us(void);

struct pipes {
        int in[2], out[2], err[2], status[2], go[2];
};
int pipes_open(struct pipes *p);
void pipes_close(struct pipes *p);

struct io_state {
        const char *input;
        size_t input_len, input_off;
        int in_w, out_r, err_r, status_r; /* -1 when closed or unused */
        struct init_msg msg;
        size_t msg_got;
        bool have_exit, have_failure;
        struct init_msg failure;
        bool output_overflow;
        bool tee_err;      /* copy stderr chunks to our own stderr as they arrive */
        /* Called once when the process behind pidfd has exited, before its output is drained:
         * level 1 kills what the skill left running there, which may hold stdout open. */
        void (*on_exit)(void *arg);
        void *on_exit_arg;
        struct proxy *proxy; /* the run's network proxy, polled in the same loop (or NULL) */
        /* Level 2+: return as soon as pid 1's exit report is in and the streams hit EOF, without
         * waiting for pid 1's own exit (it killed and reaped everything before it reported). */
        bool stop_at_exit_report;
};

/* Returns RUN_OK once the process (pidfd readable) is gone - or its exit report is in, with
 * stop_at_exit_report - and every stream hit EOF, or
 * RUN_TIMEOUT / RUN_OUTPUT_LIMIT when a limit stops it first (the caller kills). */
enum run_reason pump(struct io_state *io, int pidfd, uint64_t deadline, struct run_result *res);
void read_status(struct io_state *io);
/* Turn a wait status, the loop's verdict and cgroup events into res->reason/exit_status. */
void classify(struct run_result *res, int wait_status, enum run_reason pumped,
              const struct cgroup_usage *usage);

/* Level 1 (sandbox/unconfined.c). */
int run_unconfined(const struct sandbox_plan *plan, const char *input, size_t input_len,
                   struct run_result *res, struct error *err);
