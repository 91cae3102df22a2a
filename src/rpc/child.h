/* A child of our own binary, as the engine and the warm pool start them: its stdin, stdout and
 * stderr are pipes (our ends non-blocking), it leads its own process group (a cancel reaches
 * only it), its signal mask and the dispositions of SIGPIPE/SIGTERM/SIGINT are the defaults
 * whatever the daemon set, and we hold a pidfd for it. */
#pragma once

#include <sys/types.h>

struct child {
        pid_t pid;
        int pidfd, in_w, out_r, err_r;
};

#define CHILD_INIT { -1, -1, -1, -1, -1 }

/* Set by main() with its argv, before anything changes the environment: children then run
 * main_fn in a fork of the daemon instead of exec'ing exe (which must be our own binary), with
 * their command line written over the daemon's. Without it, or with SKILLLITE_SERVE_SPAWN=exec,
 * they are spawned. */
void child_set_own_main(int (*main_fn)(int argc, char **argv), char **argv);
/* 0 or -errno (nothing left behind). */
int child_spawn(const char *exe, char *const argv[], char *const envp[], struct child *ret);
/* SIGKILL, reap and close every descriptor (for a child that never got going). */
void child_kill(struct child *c);
