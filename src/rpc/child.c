/* Starting a child of our binary (child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/macros.h"

int child_spawn(const char *exe, char *const argv[], char *const envp[], struct child *ret) {
        int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
        int r = 0;
        if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
                r = -errno;
                goto fail;
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
        sigaddset(&dfl, SIGPIPE);
        sigaddset(&dfl, SIGTERM);
        sigaddset(&dfl, SIGINT);
        /* The daemon blocks SIGTERM/SIGINT (its signalfd) and ignores SIGPIPE: undo both. */
        posix_spawnattr_setsigmask(&at, &none);
        posix_spawnattr_setsigdefault(&at, &dfl);
        posix_spawnattr_setpgroup(&at, 0);
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        pid_t pid;
        r = -posix_spawn(&pid, exe, &fa, &at, argv, envp);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&at);
        if (r < 0)
                goto fail;
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
