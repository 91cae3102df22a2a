/* How long does moving a fresh process into a cgroup take on this host?
 *   cc -O2 bench/cgroup_attach.c -o /tmp/cgroup_attach && /tmp/cgroup_attach DIR [GAP_US]
 * DIR is a writable cgroup directory (a leaf "skilllite-bench" is created in it and removed).
 * On cgroup v1 each migration after an idle gap waits for an RCU grace period unless some
 * hierarchy is mounted with favordynmods; this is the cost a one-shot `skilllite run` pays
 * there (cgroup v2 runs use CLONE_INTO_CGROUP instead). Prints one line per attempt. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_us(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s CGROUP_DIR [GAP_US]\n", argv[0]);
                return 2;
        }
        char *end = NULL;
        long gap = argc > 2 ? strtol(argv[2], &end, 10) : 30000;
        if (argc > 2 && (*end || gap < 0)) {
                fprintf(stderr, "GAP_US must be a number of microseconds\n");
                return 2;
        }
        char leaf[4096], procs[4200];
        snprintf(leaf, sizeof(leaf), "%s/skilllite-bench", argv[1]);
        snprintf(procs, sizeof(procs), "%s/cgroup.procs", leaf);
        if (mkdir(leaf, 0755) < 0) {
                perror(leaf);
                return 1;
        }
        for (int i = 0; i < 10; i++) {
                pid_t p = fork();
                if (p == 0) {
                        pause();
                        _exit(0);
                }
                char b[32];
                int n = snprintf(b, sizeof(b), "%d", (int) p);
                long t0 = now_us();
                int fd = open(procs, O_WRONLY);
                if (fd < 0 || write(fd, b, (size_t) n) != n)
                        perror("attach");
                long t1 = now_us();
                if (fd >= 0)
                        close(fd);
                kill(p, SIGKILL);
                waitpid(p, NULL, 0);
                printf("attach %ld us\n", t1 - t0);
                usleep((useconds_t) gap);
        }
        rmdir(leaf);
        return 0;
}
