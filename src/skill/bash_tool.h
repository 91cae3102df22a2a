/* Bash-tool skills: `allowed-tools: Bash(prefix:*)` patterns and the check that a command is one
 * the skill allows. Pure string code, unit-tested. */
#pragma once

#include <stddef.h>

#include "../base/error.h"

#define BASH_TOOL_MAX_PREFIXES 32
#define BASH_COMMAND_MAX 8192

/* Extract the prefixes of every Bash(...) pattern: "Bash(git:*)", "Bash(npm run *)", "Bash(ls)".
 * Returns the count (0 when none) and fills ret (NULL-terminated, caller frees with strv_free). */
int bash_tool_prefixes(const char *allowed_tools, char ***ret);

/* The command must start with one of the prefixes followed by end or a space (a whole word:
 * "gitx" does not match "git"), and contain no shell control syntax. On success *ret_tool is
 * the first word of the matched prefix (the executable to allow). */
int bash_command_check(char *const *prefixes, const char *command, char **ret_tool, struct error *err);
