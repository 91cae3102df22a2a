/* `explain`: print the sandbox plan for a skill without running it. */
#include <stdio.h>

#include "../base/json.h"
#include "run_opts.h"

static int cmd_explain(int argc, char **argv);

const struct command command_explain = {
        .name = "explain",
        .synopsis = "explain [run options] [--json] <skill-dir>",
        .summary = "Show the sandbox plan (mounts, env, limits, Landlock, seccomp, network) for a skill.",
        .help = "Takes the same options as run (--sandbox-level, --timeout, --max-memory, --max-procs)\n"
                "and shows their effect. The plan is printed as JSON (pretty on a terminal).\n",
        .run = cmd_explain,
};

static int cmd_explain(int argc, char **argv) {
        _cleanup_(cli_run_done) struct cli_run c = { 0 };
        int r = cli_run_parse(&command_explain, argc, argv, &c);
        if (r >= 0)
                return r;
        if (argc - optind != 1)
                return cli_usage(&command_explain, true);
        c.skill_dir = argv[optind];
        r = cli_run_prepare(&c);
        if (r >= 0)
                return r;
        _cleanup_json_ json_t *plan = sandbox_plan_to_json(c.plan);
        if (!plan)
                return cli_fail(EXIT_FAILED, "out of memory");
        return cli_print_json(plan);
}
