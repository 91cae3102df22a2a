/* Unit tests for src/rpc/child.c: a child started by forking into our own main() must find what
 * an exec would have given it - its argv and only its environment, stdio on the pipes and no
 * other descriptor, default signals and an empty mask, its own process group, nothing of the
 * parent's stdio buffers - and show its own command line. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/rpc/child.h"

/* A stand-in for the kernel's argv area of the daemon ("skilllite" "serve"), with room after
 * it for a longer title to show how it is cut. */
static char area[] = "skilllite\0serve";
static int extra_fd = -1;

static int probe_main(int argc, char **argv) {
        sigset_t mask;
        sigprocmask(SIG_SETMASK, NULL, &mask);
        struct sigaction pipe_sa;
        sigaction(SIGPIPE, NULL, &pipe_sa);
        printf("argc=%d argv1=%s argv2=%s foo=%s home=%s extra_fd_open=%d term_blocked=%d "
               "pipe_default=%d own_group=%d title=%s\n",
               argc, argv[1], argv[2], getenv("FOO") ? getenv("FOO") : "(none)",
               getenv("HOME") ? "set" : "(none)", fcntl(extra_fd, F_GETFD) >= 0,
               sigismember(&mask, SIGTERM), pipe_sa.sa_handler == SIG_DFL, getpgrp() == getpid(), area);
        fputs("to stderr\n", stderr);
        return 7;
}

static char *read_all(int fd) {
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap);
        cr_assert_not_null(buf);
        ssize_t n;
        while ((n = read(fd, buf + len, cap - 1 - len)) > 0)
                len += (size_t) n;
        buf[len] = '\0';
        return buf;
}

Test(child, a_forked_child_starts_as_if_exec_d) {
        char *fake_argv[] = { area, area + 10, NULL };
        child_set_own_main(probe_main, fake_argv);
        /* What the daemon has set that an exec would undo. */
        extra_fd = open("/dev/null", O_RDONLY); /* not close-on-exec: only close_range removes it */
        cr_assert_geq(extra_fd, 3);
        signal(SIGPIPE, SIG_IGN);
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(SIG_BLOCK, &term, NULL);
        setenv("HOME", "/root-of-the-daemon", 1);
        fputs("buffered by the parent", stdout); /* not flushed: must not reach the child's pipe */

        char *argv[] = { "skilllite", "run", "--json", NULL };
        char *envp[] = { "FOO=bar", NULL };
        struct child c;
        cr_assert_eq(child_spawn("/nonexistent/not-exec-d", argv, envp, &c), 0);
        __fpurge(stdout);
        char *out = read_all(c.out_r), *err = read_all(c.err_r);
        int status;
        cr_assert_eq(waitpid(c.pid, &status, 0), c.pid);
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 7, "status %#x", status);
        cr_expect_str_eq(out, "argc=3 argv1=run argv2=--json foo=bar home=(none) extra_fd_open=0 "
                              "term_blocked=0 pipe_default=1 own_group=1 title=skilllite run -\n");
        cr_expect_str_eq(err, "to stderr\n");
        cr_expect_str_eq(area, "skilllite"); /* the parent's own area is untouched */
        free(out);
        free(err);
        close(c.in_w), close(c.out_r), close(c.err_r), close(c.pidfd), close(extra_fd);
}
