/* How many CPUID instructions does a program execute before it exits? Single-steps it with
 * ptrace and looks at the two bytes at each instruction pointer (0f a2 is CPUID).
 *   cc -O2 bench/cpuid_count.c -o /tmp/cpuid_count && /tmp/cpuid_count PROGRAM [ARGS...]
 * In a virtual machine every CPUID traps to the hypervisor (12-14 us each on this machine kind),
 * and glibc runs dozens of them at every process start to learn the cache sizes
 * (init_cpu_features, handle_intel, intel_check_word). bench/process_start.py uses this to show
 * what a process start costs before main(). Only the traced process is counted, not children;
 * a few thousand steps per millisecond, so keep to small programs. */
#include <errno.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s PROGRAM [ARGS...]\n", argv[0]);
                return 2;
        }
        pid_t pid = fork();
        if (pid < 0)
                return perror("fork"), 1;
        if (pid == 0) {
                ptrace(PTRACE_TRACEME, 0, NULL, NULL);
                execv(argv[1], argv + 1);
                _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) /* stopped at the exec */
                return fprintf(stderr, "%s did not start\n", argv[1]), 1;
        long cpuid = 0, steps = 0;
        for (;;) {
                struct user_regs_struct regs;
                if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
                        break;
                errno = 0;
                long word = ptrace(PTRACE_PEEKTEXT, pid, (void *) regs.rip, NULL);
                if (errno == 0 && (word & 0xffff) == 0xa20f) /* little-endian: 0f a2 */
                        cpuid++;
                steps++;
                if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) < 0 || waitpid(pid, &status, 0) < 0)
                        break;
                if (WIFEXITED(status) || WIFSIGNALED(status))
                        break;
        }
        printf("%ld cpuid in %ld instructions\n", cpuid, steps);
        return 0;
}
