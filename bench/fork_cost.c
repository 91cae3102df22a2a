/* What starting a process costs by fork() and by vfork() in a parent holding some memory:
 * pid 1 of the sandbox starts the skill's process this way (src/sandbox/init.c).
 *   cc -O2 bench/fork_cost.c -o /tmp/fork_cost && /tmp/fork_cost [MiB] [runs]
 * Each run starts /bin/true and waits for it; prints the mean and the minimum per start. A fork
 * copies the parent's page tables and both sides fault on their next writes; vfork lends the
 * parent's memory to the child until its execve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double) t.tv_sec * 1e6 + (double) t.tv_nsec / 1e3;
}

static double start_once(int use_vfork) {
        static char *const argv[] = { "/bin/true", NULL };
        double t = now_us();
        pid_t pid = use_vfork ? vfork() : fork();
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, NULL, 0) != pid) {
                perror("start");
                exit(1);
        }
        return now_us() - t;
}

int main(int argc, char **argv) {
        size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 3;
        int runs = argc > 2 ? (int) strtol(argv[2], NULL, 10) : 200;
        char *mem = malloc(mib << 20);
        if (!mem || runs < 1)
                return 1;
        memset(mem, 1, mib << 20); /* resident, as the engine's heap is */
        double sum[2] = { 0, 0 }, min[2] = { 1e12, 1e12 };
        for (int i = 0; i < runs; i++)
                for (int m = 0; m < 2; m++) { /* interleaved */
                        double d = start_once(m);
                        sum[m] += d;
                        if (d < min[m])
                                min[m] = d;
                }
        for (int m = 0; m < 2; m++)
                printf("%-5s with %zu MiB resident: mean %.0f us, min %.0f us per start (%d runs)\n",
                       m ? "vfork" : "fork", mib, sum[m] / runs, min[m], runs);
        free(mem);
        return 0;
}
