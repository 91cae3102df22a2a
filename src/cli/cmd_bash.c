/* `bash`: run a command of a bash-tool skill inside the sandbox (the original ran it on the host). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../sandbox/probe.h"
#include "../sandbox/run.h"
#include "../skill/bash_tool.h"
#include "run_opts.h"

extern const struct command command_bash;


int cli_cmd_bash(int argc, char **argv) {
        _cleanup_(cli_run_done) struct cli_run c = { 0 };
        int r = cli_run_parse(&command_bash, argc, argv, &c);
        if (r >= 0)
                return r;
        if (argc - optind != 2)
                return cli_usage(&command_bash, true);
        c.skill_dir = argv[optind];
        const char *command = argv[optind + 1];

        /* The skill's allowed-tools decide which tool the plan allows; prepare() reuses the load. */
        r = cli_run_load(&c);
        if (r >= 0)
                return r;
        const struct skill *s = c.skill;
        struct error err = ERROR_INIT;
        if (s->kind != SKILL_KIND_BASH_TOOL)
                return cli_fail(EXIT_USAGE, "skill '%s' is not a bash-tool skill (it needs allowed-tools "
                                "with Bash(prefix:*) patterns and no entry point)", s->name);
        _cleanup_strv_free_ char **prefixes = NULL;
        r = bash_tool_prefixes(s->allowed_tools, &prefixes);
        if (r <= 0)
                return cli_fail(EXIT_USAGE, "skill '%s' allows no Bash(...) prefixes", s->name);
        _cleanup_free_ char *tool = NULL;
        r = bash_command_check(prefixes, command, &tool, &err);
        if (r < 0)
                return cli_fail(r == -EPERM ? EXIT_REFUSED : EXIT_USAGE, "%s", err.msg);
        char *tool_path = host_find_executable(tool);
        if (!tool_path)
                return cli_fail(EXIT_FAILED, "the allowed tool '%s' is not installed on this host", tool);
        char **tools = calloc(2, sizeof(char *));
        if (!tools) {
                free(tool_path);
                return cli_fail(EXIT_FAILED, "out of memory");
        }
        tools[0] = tool_path;
        c.opts.tools = tools;
        c.opts.bash_command = command;
        r = cli_run_prepare(&c);
        if (r >= 0)
                return r;
        return cli_execute(&c, "", 0, true);
}
