/* The command table and the helpers every command uses. Only cli/ prints to the terminal
 * or chooses an exit code. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "../base/error.h"
#include "../base/exit_code.h"
#include "../base/macros.h"

struct command {
        const char *name;
        const char *synopsis; /* "validate [--json] <skill-dir>" */
        const char *summary;  /* one line for the command list */
        const char *help;     /* options and details for --help (may be NULL) */
        int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

/* Every command of this binary, NULL-terminated (cli/commands.c). */
extern const struct command *const cli_commands[];
const struct command *cli_find_command(const char *name);

/* "skilllite: error: ..." on stderr. Returns code so callers can `return cli_fail(2, ...)`. */
int cli_fail(int code, const char *fmt, ...) _printf_(2, 3);
void cli_warn(const char *fmt, ...) _printf_(1, 2);
/* Print the command's help on stdout (exit 0) or, for a usage error, on stderr (exit 2). */
int cli_usage(const struct command *cmd, bool error);
/* JSON on stdout: pretty when stdout is a TTY or pretty is set. Returns an exit code. */
int cli_print_json(const json_t *j);
/* A whole number option from lo to hi (decimal, no sign). Returns -1 with *ret set, or the usage
 * exit code after saying what was expected. */
int cli_parse_number(const char *flag, const char *v, unsigned long long lo, unsigned long long hi,
                     unsigned long long *ret);
/* The command's output is complete: flush stdout (a failed write turns EXIT_OK into EXIT_FAILED,
 * returned) and, in a child of serve/mcp, close it - the daemon answers when it closes
 * (rpc/engine.c) - while the command finishes its teardown. fd 1 then points to /dev/null. */
int cli_hand_over_stdout(int code);
/* Map a negative errno to the exit-code contract. */
int cli_exit_for_errno(int r);

/* Print untrusted text (descriptions, names, metadata) without terminal control sequences:
 * control characters become '?' (tabs and, unless kept, newlines become spaces). */
void cli_fputs_safe(FILE *f, const char *s, bool keep_newlines);

/* Asking the person at the controlling terminal (/dev/tty, never stdin, which may carry a skill's
 * input). cli_tty_open: NULL (errno ENXIO) when there is none - a pipeline, a service, CI - so
 * nobody can be asked. cli_tty_ask: print "question [y/N] " on tty, read one answer, close tty;
 * 1 for y/Y/yes, 0 for anything else. */
FILE *cli_tty_open(void);
int cli_tty_ask(FILE *tty, const char *question);
/* SKILLLITE_AUTO_APPROVE (or the original's SKILLBOX_AUTO_APPROVE) is 1, true or yes: the person
 * running the command approves scan verdicts without a prompt. */
bool cli_env_auto_approve(void);

/* A scan report (JSON as `scan --json` prints it) as text: findings at or above min_severity
 * (an enum severity), then the verdict line. */
void cli_print_scan_report(FILE *out, const json_t *report, int min_severity);
