/* Options shared by run, exec, bash and explain, and the steps every execution path takes:
 * load the skill, probe the host, build the plan. */
#pragma once

#include <stdbool.h>

#include "../policy/plan.h"
#include "../sandbox/env.h"
#include "../skill/skill.h"
#include "cli.h"

struct cli_run {
        struct run_options opts;
        bool json;
        bool yes;
        const char *skill_dir;
        const char *input_arg;       /* INPUT_JSON, "-" or NULL */
        struct skill *skill;
        struct host_caps host;
        struct sandbox_plan *plan;
        json_t *scan;                /* level 3: what the scan gate decided, for the envelope */
        json_t *integrity;           /* what the integrity check found, for the envelope */
        bool holds_lock;             /* lock_fd: the skills directory's shared lock, held from
                                      * loading the skill until the run is over, so `add --force`,
                                      * `approve` or `remove` cannot swap the skill in between */
        int lock_fd;
        struct env_ref env;          /* the skill's dependency environments (mounted read-only) */
        bool env_missing;            /* it needs one that is not built yet: built after the gates */
        bool input_after_start;      /* --input-after-start: start the sandbox, then read stdin (the
                                      * pre-warmed sandboxes of serve/mcp) */
        char *late_input;            /* what arrived on stdin then */
        int early_code;              /* the exit code, once the result was reported before the
                                      * sandbox's teardown (run_result.on_result); -1 until then */
        const char *approve_hash;    /* --approve-hash: like --yes, but only for a skill whose
                                      * whole-skill hash is exactly this (what a person approved
                                      * through mcp), so a change in between is not approved */
};

void cli_run_done(struct cli_run *c);

/* Parse the common options; leaves optind at the first positional. Returns -1 to continue or
 * an exit code (help printed, usage error). */
int cli_run_parse(const struct command *cmd, int argc, char **argv, struct cli_run *c);
/* Load the skill into c->skill (exit 2
 * with findings when invalid); a no-op when it is already loaded. -1 to continue or an exit code. */
int cli_run_load(struct cli_run *c);
/* cli_run_load(), then resolve declared tools, probe the host, refuse unconfined runs the user
 * did not ask for (exit 4), and build the plan. Returns -1 to continue or an exit code. */
int cli_run_prepare(struct cli_run *c);

/* Every level: an installed skill (one with an integrity record) must be exactly what was
 * approved; a changed one or a tampered record refuses the run (exit 3, changed files named).
 * -1 to continue (c->integrity set) or an exit code. */
int cli_run_integrity(struct cli_run *c);
/* Level 3: scan the skill (cached by its hash), refuse critical, get a human's approval for
 * medium/high (run_gate.c). -1 to continue (c->scan set) or an exit code. */
int cli_run_scan_gate(struct cli_run *c);
/* The skill's dependency environments: built now when prepare found them missing (after the
 * integrity check and level 3, so nothing is installed for a skill nobody approved), then the
 * plan is rebuilt to mount them. -1 to continue or an exit code. */
int cli_run_build_env(struct cli_run *c);
/* Run the prepared plan and report (cmd_run.c); bash_mode wraps the output as
 * {"stdout","stderr","exit_code"}. Returns the exit code. */
int cli_execute(struct cli_run *c, const char *input, size_t input_len, bool bash_mode);
/* `bash` (cmd_bash.c). */
int cli_cmd_bash(int argc, char **argv);
