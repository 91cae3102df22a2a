/* Starting a child of our binary (child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/macros.h"
#include "../sys/sys.h"

extern char **environ;

/* The daemon ignores SIGPIPE and blocks SIGTERM/SIGINT (its signalfd): a child gets them back
 * at their defaults, whichever way it is started. */
static const int DEFAULT_SIGNALS[] = { SIGPIPE, SIGTERM, SIGINT };

static int (*own_main)(int argc, char **argv);
/* The kernel's string area of our process (argv, then the environment): /proc/PID/cmdline is
 * read from it, so a forked child writes its own command line there (setproctitle-style). */
static char *title_area;
static size_t title_area_len;

void child_set_own_main(int (*main_fn)(int argc, char **argv), char **argv) {
        own_main = main_fn;
        if (!argv || !argv[0])
                return;
        /* Only as far as the strings follow each other: the area the kernel laid out. */
        char *end = argv[0];
        for (char **a = argv; *a && *a == end; a++)
                end = *a + strlen(*a) + 1;
        title_area = argv[0];
        for (char **e = environ; e && *e && *e == end; e++)
                end = *e + strlen(*e) + 1;
        title_area_len = (size_t) (end - argv[0]);
}

static bool in_title_area(char *const v[]) {
        for (; v && *v; v++)
                if (*v >= title_area && *v < title_area + title_area_len)
                        return true;
        return false;
}

/* ps and /proc/PID/cmdline show the child's command, not the daemon's. The kernel reads the
 * area up to the original end of argv, or, when the byte there is not NUL, as one string that
 * may run on into the environment area (which the child no longer uses: environ is envp). */
static void set_title(char *const argv[], char *const envp[]) {
        /* Not over strings the child still uses (the daemon passes copies; a caller passing
         * its own environ would not). */
        if (!title_area || title_area_len < 2 || in_title_area(argv) || in_title_area(envp))
                return;
        size_t n = 0;
        for (char *const *a = argv; *a && n < title_area_len - 1; a++) {
                if (a != argv)
                        title_area[n++] = ' ';
                size_t l = strlen(*a);
                if (l > title_area_len - 1 - n)
                        l = title_area_len - 1 - n;
                memcpy(title_area + n, *a, l);
                n += l;
        }
        memset(title_area + n, 0, title_area_len - n);
}

/* Fork instead of exec'ing our binary again? Saves what a process start costs before main():
 * the dynamic loader and glibc's CPU probing (68 CPUID instructions, each a trap to the
 * hypervisor on a VM: ~1.3 ms of CPU per child here, docs/BENCHMARKS.md). Only safe because the
 * daemon is single-threaded (no lock can be held by another thread at the fork) and our own
 * main() is what exec would run; SKILLLITE_SERVE_SPAWN=exec turns it off (docs/ENV.md). */
static bool use_fork(void) {
        if (!own_main)
                return false;
        const char *v = getenv("SKILLLITE_SERVE_SPAWN");
        return !v || strcmp(v, "exec") != 0;
}

/* In the forked child: undo by hand what exec would have reset, then run main(). Never
 * returns. The daemon's memory comes along (the engine is as trusted as the daemon); what could
 * reach a skill of it cannot: the sandbox's pid 1 is not dumpable and the skill's process execs
 * its interpreter before any of its code runs. */
static _Noreturn void run_own_main(char *const argv[], char *const envp[], const int fds[3]) {
        int moved[3];
        /* Above 2 first, so that no dup2() below overwrites a pipe another one still needs. */
        for (int i = 0; i < 3; i++)
                if ((moved[i] = fcntl(fds[i], F_DUPFD, 3)) < 0)
                        _exit(127);
        for (int i = 0; i < 3; i++)
                if (dup2(moved[i], i) < 0)
                        _exit(127);
        if (sys_close_range_from(3) < 0)
                _exit(127);
        /* Handlers do not survive exec (ignored signals do), and DEFAULT_SIGNALS as spawned. */
        for (int sig = 1; sig < NSIG; sig++) {
                struct sigaction sa;
                if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)
                        signal(sig, SIG_DFL);
        }
        for (size_t i = 0; i < ELEMENTSOF(DEFAULT_SIGNALS); i++)
                signal(DEFAULT_SIGNALS[i], SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        environ = (char **) envp;
        set_title(argv, envp);
        /* Whatever the daemon's stdio buffered is not ours to write or read. */
        __fpurge(stdin);
        __fpurge(stdout);
        __fpurge(stderr);
        int argc = 0;
        while (argv[argc])
                argc++;
        int code = own_main(argc, (char **) argv);
        fflush(stdout);
        fflush(stderr);
        /* Not exit(): nothing the daemon registered or buffered may run or be written here. */
        _exit(code);
}

int child_spawn(const char *exe, char *const argv[], char *const envp[], struct child *ret) {
        int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
        int r = 0;
        if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
                r = -errno;
                goto fail;
        }
        pid_t pid;
        if (use_fork()) {
                pid = fork();
                if (pid < 0) {
                        r = -errno;
                        goto fail;
                }
                if (pid == 0) { /* what exe is: our own binary (engine.c, pool.c) */
                        setpgid(0, 0);
                        run_own_main(argv, envp, (const int[3]) { in[0], out[1], err[1] });
                }
                goto started;
        }
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t at;
        posix_spawn_file_actions_init(&fa);
        posix_spawnattr_init(&at);
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        sigset_t none, dfl;
        sigemptyset(&none);
        sigemptyset(&dfl);
        for (size_t i = 0; i < ELEMENTSOF(DEFAULT_SIGNALS); i++)
                sigaddset(&dfl, DEFAULT_SIGNALS[i]);
        posix_spawnattr_setsigmask(&at, &none);
        posix_spawnattr_setsigdefault(&at, &dfl);
        posix_spawnattr_setpgroup(&at, 0);
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        r = -posix_spawn(&pid, exe, &fa, &at, argv, envp);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&at);
        if (r < 0)
                goto fail;
started:
        safe_close(in[0]), safe_close(out[1]), safe_close(err[1]);
        *ret = (struct child) { .pid = pid, .in_w = in[1], .out_r = out[0], .err_r = err[0],
                                .pidfd = (int) syscall(SYS_pidfd_open, pid, 0) };
        if (ret->pidfd < 0) {
                r = -errno;
                child_kill(ret);
                return r;
        }
        fcntl(ret->in_w, F_SETFL, O_NONBLOCK);
        fcntl(ret->out_r, F_SETFL, O_NONBLOCK);
        fcntl(ret->err_r, F_SETFL, O_NONBLOCK);
        return 0;
fail:
        for (int i = 0; i < 2; i++)
                safe_close(in[i]), safe_close(out[i]), safe_close(err[i]);
        return r;
}

void child_kill(struct child *c) {
        if (c->pid > 0) {
                kill(c->pid, SIGKILL);
                while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        safe_close(c->pidfd), safe_close(c->in_w), safe_close(c->out_r), safe_close(c->err_r);
        *c = (struct child) CHILD_INIT;
}
