/* Level 1: no isolation, explicitly requested and warned about. The skill still gets a clean
 * environment, its own session, rlimits, a private temp dir, the timeout and output caps, and
 * every process it started is killed at the end (the engine is a child subreaper). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../sys/sys.h"
#include "io.h"
#include "run.h"

int run_unconfined(const struct sandbox_plan *plan, const char *input, size_t input_len,
                   struct run_result *res, struct error *err);

/* Kill every child we have but keep (the main pid, which the caller waits for): a subreaper
 * inherits the skill's orphans, double-forked daemons included. */
static void kill_all_children_except(pid_t keep) {
        for (int round = 0; round < 200; round++) {
                bool any = false;
                char path[64];
                snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int) syscall(SYS_gettid));
                _cleanup_free_ char *text = NULL;
                if (read_file_at_bounded(AT_FDCWD, path, 1 << 20, &text, NULL) < 0)
                        break;
                for (char *p = text; *p;) {
                        char *end = NULL;
                        long pid = strtol(p, &end, 10);
                        if (end == p)
                                break;
                        p = end;
                        if (pid <= 0 || pid == keep)
                                continue;
                        kill((pid_t) pid, SIGKILL);
                        waitpid((pid_t) pid, NULL, WNOHANG | __WALL);
                        any = true;
                }
                if (!any)
                        break;
                usleep(500);
        }
}

static void kill_leftovers(void *arg) {
        pid_t pid = *(pid_t *) arg;
        kill(-pid, SIGKILL);
        kill_all_children_except(pid);
}

static char **envp_with_tmpdir(char **envp, const char *tmp) {
        size_t n = 0;
        while (envp[n])
                n++;
        char **out = calloc(n + 1, sizeof(char *));
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                const char *at = strstr(envp[i], "@TMPDIR@");
                if (at) {
                        size_t pre = (size_t) (at - envp[i]);
                        if (asprintf(&out[i], "%.*s%s%s", (int) pre, envp[i], tmp, at + 8) < 0)
                                out[i] = NULL;
                } else
                        out[i] = strdup(envp[i]);
                if (!out[i]) {
                        strv_free(out);
                        return NULL;
                }
        }
        return out;
}

int run_unconfined(const struct sandbox_plan *plan, const char *input, size_t input_len,
                   struct run_result *res, struct error *err) {
        const char *base = getenv("TMPDIR");
        char tmp[4096];
        snprintf(tmp, sizeof(tmp), "%s/skilllite-run-XXXXXX", base && *base == '/' ? base : "/tmp");
        if (!mkdtemp(tmp))
                return error_set(err, -errno, "creating a temp dir: %s", strerror(errno));
        _cleanup_strv_free_ char **envp = envp_with_tmpdir(plan->envp, tmp);
        struct pipes pp;
        int r = envp ? pipes_open(&pp) : -ENOMEM;
        if (r < 0) {
                rm_rf(tmp);
                return error_set(err, r, "preparing the run: %s", strerror(-r));
        }
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        uint64_t start = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
                setsid();
                if (dup2(pp.in[0], 0) < 0 || dup2(pp.out[1], 1) < 0 || dup2(pp.err[1], 2) < 0)
                        _exit(127);
                if (apply_rlimits(&plan->limits, true, false) < 0 || sys_close_range_from(3) < 0 ||
                    chdir(plan->cwd) < 0)
                        _exit(127);
                signal(SIGPIPE, SIG_DFL);
                execve(plan->argv[0], plan->argv, envp);
                _exit(127);
        }
        if (pid < 0) {
                r = error_set(err, -errno, "fork: %s", strerror(errno));
                pipes_close(&pp);
                rm_rf(tmp);
                return r;
        }
        int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        struct io_state io = { .input = input, .input_len = input_len, .in_w = pp.in[1],
                               .out_r = pp.out[0], .err_r = pp.err[0], .status_r = -1,
                               .on_exit = kill_leftovers, .on_exit_arg = &pid, .tee_err = res->tee_stderr };
        pp.in[1] = pp.out[0] = pp.err[0] = -1;
        pipes_close(&pp);
        if (input_len == 0)
                io.in_w = safe_close(io.in_w);
        enum run_reason pumped = pidfd >= 0 ? pump(&io, pidfd, start + plan->limits.timeout_ms, res) : RUN_TIMEOUT;
        if (pumped != RUN_OK)
                kill(-pid, SIGKILL);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        kill(-pid, SIGKILL);
        kill_all_children_except(0);
        safe_close(io.in_w), safe_close(io.out_r), safe_close(io.err_r), safe_close(pidfd);
        res->duration_ms = now_ms() - start;
        struct rusage ru;
        getrusage(RUSAGE_CHILDREN, &ru);
        res->cpu_ms = (uint64_t) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                      (uint64_t) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
        res->peak_memory_kb = (uint64_t) ru.ru_maxrss;
        struct cgroup_usage none = { 0 };
        classify(res, status, pumped, &none);
        rm_rf(tmp);
        return 0;
}
