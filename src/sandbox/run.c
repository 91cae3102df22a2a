/* The engine side of a run. One poll loop, no threads: stdin is written as the pipe drains,
 * stdout/stderr are read into capped buffers, and the deadline covers all of it. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/log.h"
#include "../sys/sys.h"
#include "cgroup.h"
#include "init.h"
#include "seccomp.h"
#include "io.h"
#include "proxy.h"
#include "../sys/fault.h"

volatile sig_atomic_t sandbox_stop_requested;

const char *run_reason_to_string(enum run_reason r) {
        static const char *const names[] = { "ok", "exit", "signal", "timeout", "memory", "pids",
                                             "output_limit", "sandbox_unavailable", "cancelled" };
        return (size_t) r < ELEMENTSOF(names) ? names[r] : "unknown";
}

void run_result_done(struct run_result *r) {
        buf_free(&r->out);
        buf_free(&r->err);
        json_decref(r->network);
        r->network = NULL;
}


static int write_proc_file(pid_t pid, const char *file, const char *text) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return write_all(fd, text, strlen(text));
}

/* Map the sandbox's uid/gid 1000 to an unprivileged host identity: the engine's own when it is
 * unprivileged, nobody (65534) when it is root. Nothing maps to host root: pid 1 starts unmapped
 * (with full capabilities in the new namespace only) and switches to 1000 itself. */
static int write_id_maps(pid_t pid, bool root_mode, struct error *err) {
        char uid_map[64], gid_map[64];
        int r = 0;
        int host_uid = root_mode ? SANDBOX_ROOT_MODE_HOST_ID : (int) geteuid();
        int host_gid = root_mode ? SANDBOX_ROOT_MODE_HOST_ID : (int) getegid();
        snprintf(uid_map, sizeof(uid_map), "%d %d 1\n", SANDBOX_UID, host_uid);
        snprintf(gid_map, sizeof(gid_map), "%d %d 1\n", SANDBOX_GID, host_gid);
        /* Unprivileged writers must deny setgroups first; root keeps it so pid 1 can drop the
         * engine's supplementary groups (gid 0 among them). */
        if (!root_mode)
                r = write_proc_file(pid, "setgroups", "deny");
        r = r ?: write_proc_file(pid, "uid_map", uid_map);
        r = r ?: write_proc_file(pid, "gid_map", gid_map);
        if (r < 0)
                return error_set(err, r, "writing the user namespace id maps: %s", strerror(-r));
        return 0;
}

/* In the cloned child: put the pipe ends at 0..4 (and the network channel at 5, when there is
 * one) regardless of their current numbers. */
static int arrange_child_fds(int in_r, int out_w, int err_w, int status_w, int go_r, int net) {
        int src[6] = { in_r, out_w, err_w, status_w, go_r, net };
        int tmp[6];
        int n = net >= 0 ? 6 : 5;
        for (int i = 0; i < n; i++) {
                tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 10);
                if (tmp[i] < 0)
                        return -errno;
        }
        for (int i = 0; i < n; i++)
                if (dup2(tmp[i], i) < 0)
                        return -errno;
        return sys_close_range_from((unsigned) n);
}

/* The proxy's listening socket, sent by pid 1 right after clone (see init.c). */
static int receive_listener(int chan, struct error *err) {
        char byte;
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { &byte, 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
        ssize_t k;
        while ((k = recvmsg(chan, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
                ;
        struct cmsghdr *cm = k > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
        if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
            cm->cmsg_len != CMSG_LEN(sizeof(int)))
                return error_set(err, -EIO, "the sandbox did not hand over its proxy socket");
        int fd;
        memcpy(&fd, CMSG_DATA(cm), sizeof(int));
        return fd;
}

/* A step of the start failed (a write to pid 1, the proxy's channel...) and pid 1 is reaped. If
 * pid 1 failed first, it said why on the status pipe before it exited, and its exit is what broke
 * our step: prefer its reason to ours ("starting the sandbox"). */
static int prefer_init_failure(int *status_r, int r, struct error *err) {
        struct io_state st = { .status_r = *status_r };
        read_status(&st);
        *status_r = st.status_r; /* -1 once read_status closed it at EOF */
        if (!st.have_failure)
                return r;
        error_clear(err); /* error_set keeps the first error */
        return error_set(err, st.failure.error ? st.failure.error : -EIO, "building the sandbox: %s", st.failure.text);
}

static int run_isolated(const struct sandbox_plan *plan, const struct host_caps *host, const char *input,
                        size_t input_len, struct run_result *res, struct error *err) {
        struct seccomp_program filter = { 0 };
        struct run_cgroup cg = RUN_CGROUP_INIT;
        struct pipes pp = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
        struct proxy *proxy = NULL;
        int net[2] = { -1, -1 };
        int pidfd = -1, r;
        pid_t pid = -1;
        uint64_t start = now_ms();
        uint64_t start_us = now_us();

        r = seccomp_program_build(&plan->seccomp, &filter, err);
        uint64_t t_seccomp = now_us();
        /* A v2 leaf must exist before clone3 (CLONE_INTO_CGROUP). v1 leaves are joined after
         * the clone anyway, so they are created then too, while pid 1 builds its mounts: that
         * takes them off the path to the skill's start. */
        bool cgroup_first = host->cgroup == CGROUP_V2;
        if (cgroup_first)
                r = r ?: run_cgroup_create(&cg, host, &plan->limits, err);
        uint64_t t_cgroup = now_us();
        if (r == 0 && (r = pipes_open(&pp)) < 0)
                error_set(err, r, "pipe: %s", strerror(-r));
        if (r == 0 && plan->network.mode == PLAN_NET_PROXY &&
            socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, net) < 0)
                r = error_set(err, -errno, "socketpair: %s", strerror(errno));
        if (r < 0)
                goto out_early;

        /* No CLONE_NEWCGROUP here: pid 1 unshares it once it sits in the run's cgroups, so the
         * skill sees "/" and not the host's cgroup paths. */
        uint64_t flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                         CLONE_NEWUTS | CLONE_PIDFD;
        if (cg.mode == CGROUP_V2 && cg.v2_dir_fd >= 0)
                flags |= CLONE_INTO_CGROUP;
        pid = sys_fault_injected("userns") ? -EPERM : sys_clone3(flags, cg.v2_dir_fd, &pidfd);
        if (pid == 0) {
                if (arrange_child_fds(pp.in[0], pp.out[1], pp.err[1], pp.status[1], pp.go[0], net[1]) < 0)
                        _exit(1);
                sandbox_init_main(plan, &filter);
        }
        if (pid < 0) {
                r = error_set(err, pid,
                              "cannot create the sandbox's namespaces (clone3: %s); user namespaces "
                              "may be disabled (sysctl kernel.unprivileged_userns_clone, "
                              "user.max_user_namespaces, or an AppArmor/container policy)",
                              strerror(-pid));
                goto out_pipes;
        }
        safe_close(pp.in[0]), pp.in[0] = -1;
        safe_close(pp.out[1]), pp.out[1] = -1;
        safe_close(pp.err[1]), pp.err[1] = -1;
        safe_close(pp.status[1]), pp.status[1] = -1;
        safe_close(pp.go[0]), pp.go[0] = -1;
        net[1] = safe_close(net[1]);

        uint64_t t_clone = now_us();
        r = write_id_maps(pid, plan->root_mode, err);
        if (r == 0 && write_all(pp.go[1], "m", 1) < 0)
                r = error_set(err, -EIO, "starting the sandbox");
        /* pid 1 builds its mounts meanwhile; it forks the skill only after the second byte. */
        uint64_t t_cgroup_late = now_us();
        if (!cgroup_first)
                r = r ?: run_cgroup_create(&cg, host, &plan->limits, err);
        uint64_t cgroup_late_us = now_us() - t_cgroup_late;
        r = r ?: run_cgroup_attach(&cg, pid, err);
        uint64_t t_attach = now_us();
        /* A failed write means pid 1 already gave up; its reason arrives on the status pipe. */
        if (r == 0 && write_all(pp.go[1], "c", 1) < 0)
                log_debug("pid 1 exited before the sandbox was complete");
        pp.go[1] = safe_close(pp.go[1]);
        if (r == 0 && net[0] >= 0) {
                int lfd = receive_listener(net[0], err);
                r = lfd < 0 ? lfd : proxy_new(&plan->network, lfd, res->network_notice, &proxy, err);
        }
        if (r < 0) {
                sys_pidfd_send_signal(pidfd, SIGKILL);
                waitpid(pid, NULL, __WALL);
                r = prefer_init_failure(&pp.status[0], r, err);
                goto out_pipes;
        }

        if (res->await_input) {
                r = res->await_input(res->await_arg, &input, &input_len, err);
                if (r < 0) {
                        sys_pidfd_send_signal(pidfd, SIGKILL);
                        waitpid(pid, NULL, __WALL);
                        goto out_pipes;
                }
                start = now_ms(); /* the limit counts from the input, not from the warm-up */
        }
        struct io_state io = { .input = input, .input_len = input_len, .in_w = pp.in[1],
                               .out_r = pp.out[0], .err_r = pp.err[0], .status_r = pp.status[0],
                               .tee_err = res->tee_stderr, .proxy = proxy, .stop_at_exit_report = true };
        pp.in[1] = pp.out[0] = pp.err[0] = pp.status[0] = -1;
        if (input_len == 0)
                io.in_w = safe_close(io.in_w);
        enum run_reason pumped = pump(&io, pidfd, start + plan->limits.timeout_ms, res);
        if (pumped != RUN_OK)
                sys_pidfd_send_signal(pidfd, SIGKILL); /* pid 1 dies -> the kernel kills the rest */
        /* With pid 1's exit report in, every process of the skill is gone (pid 1 killed and
         * reaped the whole namespace before it reported): the result is final, and only pid 1's
         * own exit is left - waited for after the result is handed on. */
        bool reported = pumped == RUN_OK && io.have_exit && !io.have_failure;
        int init_status = 0;
        if (!reported) {
                while (waitpid(pid, &init_status, __WALL) < 0 && errno == EINTR)
                        ;
                if (io.status_r >= 0)
                        read_status(&io);
        }
        safe_close(io.in_w), safe_close(io.out_r), safe_close(io.err_r), safe_close(io.status_r);
        res->duration_ms = now_ms() - start;
        if (proxy)
                res->network = proxy_report(proxy);

        struct cgroup_usage usage;
        run_cgroup_usage(&cg, &usage);
        if (io.have_failure) {
                res->reason = RUN_SANDBOX_UNAVAILABLE;
                snprintf(res->message, sizeof(res->message), "%s", io.failure.text);
                r = error_set(err, io.failure.error ? io.failure.error : -EIO, "%s%s",
                              io.failure.type == INIT_MSG_SETUP_FAILED ? "building the sandbox: " : "",
                              io.failure.text);
                goto out_pipes;
        }
        if (!io.have_exit && pumped == RUN_OK) {
                r = error_set(err, -EIO, "the sandbox's init exited unexpectedly (status %d)", init_status);
                res->reason = RUN_SANDBOX_UNAVAILABLE;
                goto out_pipes;
        }
        res->cpu_ms = (usage.have_cpu ? usage.cpu_us : io.msg.cpu_us) / 1000;
        log_debug("timing (us): seccomp %llu, cgroups %llu%s, clone %llu, cgroup attach %llu, "
                  "mounts %llu, fork->exec %llu, total %llu",
                  (unsigned long long) (t_seccomp - start_us),
                  (unsigned long long) (t_cgroup - t_seccomp + cgroup_late_us),
                  cgroup_first ? "" : " (after the clone)", (unsigned long long) (t_clone - t_cgroup),
                  (unsigned long long) (t_attach - t_clone - cgroup_late_us),
                  (unsigned long long) io.msg.setup_us, (unsigned long long) io.msg.exec_us,
                  (unsigned long long) (now_us() - start_us));
        res->peak_memory_kb = usage.peak_memory_bytes ? usage.peak_memory_bytes / 1024 : io.msg.max_rss_kb;
        res->memory_from_cgroup = usage.peak_memory_bytes > 0;
        res->pids_limit_hit = usage.pids_limited;
        classify(res, io.have_exit ? io.msg.wait_status : 0, pumped, &usage);
        r = 0;
        if (reported) {
                if (res->on_result)
                        res->on_result(res->on_result_arg, res);
                /* pid 1 is exiting anyway; the kill makes sure nothing of it can hold us here */
                sys_pidfd_send_signal(pidfd, SIGKILL);
                while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
                        ;
        }
out_pipes:
        proxy_free(proxy);
        safe_close(pidfd);
out_early:
        pipes_close(&pp);
        safe_close(net[0]);
        safe_close(net[1]);
        run_cgroup_destroy(&cg);
        seccomp_program_free(&filter);
        return r;
}

int sandbox_run(const struct sandbox_plan *plan, const struct host_caps *host, const char *input,
                size_t input_len, struct run_result *res, struct error *err) {
        buf_init(&res->out, plan->limits.output_max);
        buf_init(&res->err, plan->limits.output_max);
        res->exit_status = -1;
        /* A dead pipe reader must show up as EPIPE in the loop, not kill the engine. */
        signal(SIGPIPE, SIG_IGN);
        int r = 0;
        if (!plan->isolated && res->await_input) {
                /* Level 1 has nothing to warm up: wait for the input first. */
                r = res->await_input(res->await_arg, &input, &input_len, err);
                res->await_input = NULL;
        }
        if (r == 0)
                r = plan->isolated ? run_isolated(plan, host, input, input_len, res, err)
                                   : run_unconfined(plan, input, input_len, res, err);
        if (r < 0)
                res->reason = RUN_SANDBOX_UNAVAILABLE;
        return r;
}
