/* skilllite / skilllite-sandbox entry point: global options and command dispatch. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../base/log.h"
#include "../rpc/child.h"
#include "cli.h"
#include "config.h"

/* The engine's own high-water mark, for bench/ (SKILLLITE_LOG=debug). */
static void log_peak_rss(void) {
        if (log_get_level() > LOG_DEBUG)
                return;
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        while (f && fgets(line, sizeof(line), f))
                if (strneq(line, "VmHWM:", 6))
                        log_debug("engine peak RSS: %ld kB", strtol(line + 6, NULL, 10));
        if (f)
                fclose(f);
}

/* Output that could not be written (a full disk, a closed pipe) is a failure. */
static int flush_stdout(int code) {
        if ((fflush(stdout) != 0 || ferror(stdout)) && code == EXIT_OK)
                return cli_fail(EXIT_FAILED, "writing output failed");
        return code;
}

static void print_help(FILE *f) {
        fprintf(f,
                "SkillLite %s — run AI agent skills safely.\n\n"
                "Usage: skilllite <command> [options] [args]\n"
                "       skilllite --version | --help\n\n"
                "Commands:\n",
                SKILLLITE_VERSION);
        for (const struct command *const *c = cli_commands; *c; c++)
                fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
        fprintf(f, "\nRun 'skilllite <command> --help' for a command's options.\n"
                   "Exit status: 0 ok, 1 failed, 2 usage or invalid input, 3 refused by security\n"
                   "policy, 4 sandbox unavailable, 5 resource limit hit.\n"
                   "Logging: SKILLLITE_LOG=debug|info|warn|error|off (default warn).\n");
}

/* A child of serve/mcp (rpc/engine.c) is told its daemon's pid: it must not outlive it. SIGTERM
 * is "stop": a run kills its sandbox and removes its cgroup. The check after prctl() closes the
 * race with a daemon that died before it. */
static bool daemon_child;

static void die_with_parent(void) {
        const char *v = getenv("SKILLLITE_PARENT_PID");
        if (!v)
                return;
        daemon_child = true;
        long want = strtol(v, NULL, 10);
        unsetenv("SKILLLITE_PARENT_PID");
        prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
        if (getppid() != (pid_t) want)
                _exit(EXIT_FAILED);
}

int cli_hand_over_stdout(int code) {
        code = flush_stdout(code);
        if (daemon_child) {
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                if (null >= 0) {
                        dup2(null, STDOUT_FILENO); /* closes the pipe to the daemon */
                        close(null);
                }
        }
        return code;
}

static int skilllite_main(int argc, char **argv) {
        log_init_from_env();
        die_with_parent();
        if (argc < 2) {
                print_help(stderr);
                return EXIT_USAGE;
        }
        const char *first = argv[1];
        if (streq(first, "--version") || streq(first, "-V")) {
                printf("skilllite %s (%s)\n", SKILLLITE_VERSION, SKILLLITE_EDITION);
                return flush_stdout(EXIT_OK);
        }
        if (streq(first, "--help") || streq(first, "-h") || streq(first, "help")) {
                if (argc > 2 && cli_find_command(argv[2]))
                        return flush_stdout(cli_usage(cli_find_command(argv[2]), false));
                print_help(stdout);
                return flush_stdout(EXIT_OK);
        }
        const struct command *cmd = cli_find_command(first);
        if (!cmd)
                return cli_fail(EXIT_USAGE, "unknown command '%s' (see 'skilllite --help')", first);
        int code = cmd->run(argc - 1, argv + 1);
        log_peak_rss();
        /* The daemon answers as soon as its child's stdout closes (rpc/engine.c): close it now
         * rather than at the end of exit() (a run has done it already, before its teardown). */
        return cli_hand_over_stdout(code);
}

int main(int argc, char **argv) {
        /* serve/mcp run their children (commands of this binary) by forking into this. */
        child_set_own_main(skilllite_main, argv);
        return skilllite_main(argc, argv);
}
