/* pid 1 of the sandbox and the skill process it starts. Everything here runs after clone3 in
 * the new namespaces; errors go to the engine through the status pipe, never to a terminal. */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sched.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../sys/fault.h"
#include "../sys/sys.h"
#include "io.h"
#include "landlock.h"
#include "mounts.h"

/* Capabilities up to this one exist on every kernel we support (CAP_CHECKPOINT_RESTORE, 5.9). */
#define CAP_LAST_CAP_KNOWN 40

#ifndef SECBIT_NOROOT
#define SECBIT_NOROOT (1 << 0)
#define SECBIT_NOROOT_LOCKED (1 << 1)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1 << 3)
#define SECBIT_KEEP_CAPS_LOCKED (1 << 5)
#define SECBIT_NO_CAP_AMBIENT_RAISE (1 << 6)
#define SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1 << 7)
#endif

/* Status writes can only fail when the engine is gone, and then nobody is left to tell. */
static void send_raw(int fd, const struct init_msg *m) {
        if (write_all(fd, m, sizeof(*m)) < 0)
                return;
}

static void send_msg(int fd, enum init_msg_type type, int error, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void send_msg(int fd, enum init_msg_type type, int error, const char *fmt, ...) {
        struct init_msg m;
        memset(&m, 0, sizeof(m));
        m.type = type;
        m.error = error;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m.text, sizeof(m.text), fmt, ap);
        va_end(ap);
        send_raw(fd, &m);
}

int apply_rlimits(const struct plan_limits *l, bool rlimit_memory, bool rlimit_procs) {
        struct {
                int resource;
                uint64_t value;
        } set[] = {
                { RLIMIT_NOFILE, l->nofile },
                { RLIMIT_FSIZE, l->fsize_bytes },
                { RLIMIT_CORE, 0 },
                { RLIMIT_CPU, l->cpu_secs },
                { RLIMIT_MEMLOCK, 0 },
                { RLIMIT_AS, l->as_bytes ? l->as_bytes : RLIM_INFINITY },
                /* Without a memory cgroup: RLIMIT_DATA caps each process's heap and private
                 * writable mappings without breaking V8's large PROT_NONE reservations. */
                { RLIMIT_DATA, rlimit_memory && l->data_bytes ? l->data_bytes : RLIM_INFINITY },
                /* RLIMIT_NPROC counts per user namespace: inside ours it only sees this run. */
                { RLIMIT_NPROC, rlimit_procs ? l->max_procs : RLIM_INFINITY },
        };
        for (size_t i = 0; i < ELEMENTSOF(set); i++) {
                if (set[i].value == RLIM_INFINITY && set[i].resource != RLIMIT_CORE)
                        continue;
                struct rlimit rl = { set[i].value, set[i].value };
                if (setrlimit(set[i].resource, &rl) < 0)
                        return -errno;
        }
        return 0;
}

/* Drop every capability: bounding set, ambient, then switch to the sandbox uid/gid and clear
 * effective/permitted/inheritable. After this nothing can be regained (no_new_privs follows). */
static int drop_privileges(bool root_mode) {
        if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
                                             SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
                                             SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
                return -errno;
        for (int cap = 0; cap <= 63; cap++)
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                        if (errno == EINVAL && cap > CAP_LAST_CAP_KNOWN)
                                break; /* past the kernel's last capability */
                        if (errno != EINVAL)
                                return -errno;
                }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
                return -errno;
        /* In root mode setgroups is allowed and the host's supplementary groups must go; in
         * unprivileged mode "deny" was written and we never had any. */
        if (root_mode && setgroups(0, NULL) < 0)
                return -errno;
        if (setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
            setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
                return -errno;
        struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
        struct __user_cap_data_struct data[2];
        memset(data, 0, sizeof(data));
        if (syscall(SYS_capset, &hdr, data) < 0)
                return -errno;
        return 0;
}

/* The skill process: from here to execve, in this order (each step needs the one before). */
_Noreturn static void exec_skill(const struct sandbox_plan *plan, const struct seccomp_program *filter,
                                 int errfd) {
        struct error err = ERROR_INIT;
        int r;
        if (setsid() < 0) {
                r = -errno;
                error_set(&err, r, "setsid: %s", strerror(errno));
                goto fail;
        }
        r = apply_rlimits(&plan->limits, !plan->limits.cgroup_memory, !plan->limits.cgroup_pids);
        if (r < 0) {
                error_set(&err, r, "setrlimit: %s", strerror(-r));
                goto fail;
        }
        r = drop_privileges(plan->root_mode);
        if (r < 0) {
                error_set(&err, r, "dropping privileges: %s", strerror(-r));
                goto fail;
        }
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                r = -errno;
                error_set(&err, r, "no_new_privs: %s", strerror(errno));
                goto fail;
        }
        r = landlock_apply(plan, &err);
        if (r < 0)
                goto fail;
        if (chdir(plan->cwd) < 0) {
                r = -errno;
                error_set(&err, r, "chdir %s: %s", plan->cwd, strerror(errno));
                goto fail;
        }
        /* Every inherited fd except stdio and the exec-error pipe (close-on-exec) is gone. */
        if (errfd > 3 && dup3(errfd, 3, O_CLOEXEC) < 0) {
                r = -errno;
                error_set(&err, r, "dup3: %s", strerror(errno));
                goto fail;
        }
        errfd = 3;
        r = sys_close_range_from(4);
        if (r < 0) {
                error_set(&err, r, "close_range: %s", strerror(-r));
                goto fail;
        }
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        r = seccomp_program_load(filter); /* last: it may deny what the steps above needed */
        if (r < 0) {
                error_set(&err, r, "loading seccomp: %s", strerror(-r));
                goto fail;
        }
        execve(plan->argv[0], plan->argv, plan->envp);
        r = -errno;
        error_set(&err, r, "execve %s: %s", plan->argv[0], strerror(errno));
fail:;
        struct init_msg m;
        memset(&m, 0, sizeof(m));
        m.type = INIT_MSG_EXEC_FAILED;
        m.error = r;
        snprintf(m.text, sizeof(m.text), "%.255s", err.msg);
        send_raw(errfd, &m);
        _exit(127);
}

/* The kernel's bounds of our argv and environment strings (fields 48-51 of /proc/self/stat):
 * [*start, *end) covers both. 0, or -1 when they cannot be read. */
static int string_area(uintptr_t *start, uintptr_t *end) {
        _cleanup_free_ char *stat = NULL;
        if (read_file_at_bounded(AT_FDCWD, "/proc/self/stat", 4096, &stat, NULL) < 0)
                return -1;
        const char *p = strrchr(stat, ')'); /* the command name may contain anything */
        unsigned long long v[4] = { 0 };
        int got = 0;
        /* Field 3 (the state) follows the ')'; every field after it is separated by one space. */
        for (int field = 3; p && *p && got < 4; field++) {
                p = strchr(p + 1, ' ');
                if (p && field >= 48)
                        v[got++] = strtoull(p + 1, NULL, 10);
        }
        if (got < 4 || !v[0] || v[1] < v[0] || v[3] < v[2])
                return -1;
        *start = (uintptr_t) (v[0] < v[2] ? v[0] : v[2]);
        *end = (uintptr_t) (v[1] > v[3] ? v[1] : v[3]);
        return 0;
}

/* pid 1 is a fork of the engine that never execs: its argv (the skill's host path, the input)
 * and environment (the user's API keys) are still in its memory and /proc/1/cmdline shows them.
 * Overwrite them. (pid 1 also becomes non-dumpable once its id maps are written.) Under serve
 * the engine is itself a fork of the daemon (rpc/child.c): the area is the daemon's, with the
 * engine's command line written over it, and the engine's environment lives on the heap. */
static void hide_engine_state(void) {
        extern char **environ;
        /* argv[0] starts the kernel-provided string area; the other arguments and then the
         * environment strings follow it contiguously. */
        char *start = program_invocation_name, *end;
        uintptr_t a_start, a_end;
        if (string_area(&a_start, &a_end) == 0 && a_start <= (uintptr_t) start && (uintptr_t) start < a_end &&
            a_end - a_start < (1u << 21)) {
                start = (char *) a_start, end = (char *) a_end; /* the kernel's own bounds */
        } else {
                /* Without them: the length /proc/self/cmdline reports, and the environment
                 * strings that lie in the area. */
                size_t span = 0;
                _cleanup_free_ char *cmdline = NULL;
                if (read_file_at_bounded(AT_FDCWD, "/proc/self/cmdline", 1 << 20, &cmdline, &span) < 0)
                        span = strlen(start) + 1;
                end = start + span;
                for (char **e = environ; e && *e; e++)
                        if (*e >= start && *e < start + (1 << 21) && *e + strlen(*e) + 1 > end)
                                end = *e + strlen(*e) + 1;
        }
        memset(start, 0, (size_t) (end - start));
        static const char name[] = "skilllite-init";
        if ((size_t) (end - start) >= sizeof(name))
                memcpy(start, name, sizeof(name));
        environ = NULL;
        prctl(PR_SET_NAME, (unsigned long) name, 0, 0, 0);
}

/* pid 1 starts unmapped in the new user namespace (host root or the engine's uid) with every
 * capability in it. Switching to uid 1000 keeps those capabilities (the kernel only drops them
 * when leaving the namespace's uid 0, which is not mapped) and makes files we create ours. */
static int become_sandbox_user(void *arg) {
        bool root_mode = *(const bool *) arg;
        if (root_mode && setgroups(0, NULL) < 0)
                return -errno;
        if (setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
            setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
                return -errno;
        return 0;
}

/* memfd_create() + execveat() runs a binary with no path, which Landlock's execute rule cannot
 * see and noexec mounts do not cover. vm.memfd_noexec=2 (Linux 6.3+, per pid namespace) makes
 * every memfd non-executable in our namespace. /proc/sys is not visible in the skill's /proc
 * (subset=pid), so a private, never-attached proc instance is used to set it.
 * *ret_mnt gets that instance's mount fd (or -1) for the caller to close once the skill has
 * started: closing it unmounts the instance, and an unmount waits for an expedited RCU grace
 * period, 0.1-0.4 ms on the VMs we run on; while the skill runs pid 1 has nothing else to do. */
static int restrict_memfd_exec(int *ret_mnt, struct error *err) {
        *ret_mnt = -1;
        _cleanup_close_ int fs = sys_fsopen("proc", FSOPEN_CLOEXEC);
        if (fs < 0)
                return error_set(err, fs, "fsopen(proc): %s", strerror(-fs));
        int r = sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
        if (r < 0)
                return error_set(err, r, "creating a proc instance: %s", strerror(-r));
        int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, 0);
        if (mnt < 0)
                return error_set(err, mnt, "fsmount(proc): %s", strerror(-mnt));
        *ret_mnt = mnt;
        _cleanup_close_ int fd = openat(mnt, "sys/vm/memfd_noexec", O_WRONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return 0; /* kernel < 6.3: no executable memfds to restrict that way */
        if (fd < 0)
                return error_set(err, -errno, "opening vm.memfd_noexec: %s", strerror(errno));
        r = write_all(fd, "2", 1);
        if (r < 0)
                return error_set(err, r, "setting vm.memfd_noexec=2: %s", strerror(-r));
        return 0;
}

/* With grants: bring up loopback in our (otherwise empty) network namespace, listen on
 * 127.0.0.1:SANDBOX_PROXY_PORT, and give the listening socket to the engine. The engine's proxy
 * accepts the skill's connections on it directly: a socket keeps its namespace wherever its fd
 * goes, and pid 1 stays a plain reaper. Runs before the uid maps exist; it only needs our
 * CAP_NET_ADMIN over this namespace, which pid 1 has as the owner of the new user namespace. */
static int hand_over_proxy_listener(struct error *err) {
        _cleanup_close_ int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (ctl < 0)
                return error_set(err, -errno, "socket: %s", strerror(errno));
        struct ifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        memcpy(ifr.ifr_name, "lo", 3);
        if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0)
                return error_set(err, -errno, "reading the loopback interface's flags: %s", strerror(errno));
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0)
                return error_set(err, -errno, "bringing up the loopback interface: %s", strerror(errno));
        _cleanup_close_ int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (lfd < 0)
                return error_set(err, -errno, "socket: %s", strerror(errno));
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(SANDBOX_PROXY_PORT),
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (bind(lfd, (struct sockaddr *) &sin, sizeof(sin)) < 0 || listen(lfd, 128) < 0)
                return error_set(err, -errno, "listening on 127.0.0.1:%d: %s", SANDBOX_PROXY_PORT, strerror(errno));
        char cbuf[CMSG_SPACE(sizeof(int))];
        memset(cbuf, 0, sizeof(cbuf));
        char byte = 'L';
        struct iovec iov = { &byte, 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &lfd, sizeof(int));
        if (sendmsg(INIT_FD_NET, &mh, MSG_NOSIGNAL) < 0)
                return error_set(err, -errno, "handing the proxy socket to the engine: %s", strerror(errno));
        safe_close(INIT_FD_NET);
        return 0;
}

_Noreturn void sandbox_init_main(const struct sandbox_plan *plan, const struct seccomp_program *filter) {
        /* If the engine dies, so does the sandbox (and with pid 1 gone, every process in it). */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        bool loopback_refused = sys_fault_injected("loopback"); /* read before the wipe below */
        hide_engine_state();
        if (plan->network.mode == PLAN_NET_PROXY) {
                struct error nerr = ERROR_INIT;
                int nr = loopback_refused ? error_set(&nerr, -EPERM, "bringing up the loopback interface: %s",
                                                      strerror(EPERM))
                                          : hand_over_proxy_listener(&nerr);
                if (nr < 0) {
                        send_msg(INIT_FD_STATUS, INIT_MSG_SETUP_FAILED, nr, "network: %s", nerr.msg);
                        _exit(1);
                }
        }
        /* Byte 1: uid/gid maps are written (file creation needs a mapped fsuid). */
        char go;
        if (read_retry(INIT_FD_GO, &go, 1) != 1)
                _exit(1);

        /* Non-dumpable: /proc/1/{environ,mem,maps...} become root's (unmapped here), so the
         * skill cannot read them. Not before the maps: the engine must open our uid_map. */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

        struct error err = ERROR_INIT;
        uint64_t t0 = now_us();
        /* Only a host-root pid 1 may write the sysctl (its check is against global root);
         * an unprivileged run gets the seccomp rule instead (plan->seccomp.memfd_noexec_only). */
        int memfd_proc = -1; /* closed once the skill runs, see restrict_memfd_exec() */
        int r = plan->root_mode ? restrict_memfd_exec(&memfd_proc, &err) : 0;
        if (r == 0)
                r = sandbox_mounts_setup(plan, become_sandbox_user, (void *) &plan->root_mode, &err);
        uint64_t t1 = now_us();
        if (r < 0) {
                send_msg(INIT_FD_STATUS, INIT_MSG_SETUP_FAILED, r, "%s", err.msg);
                _exit(1);
        }

        /* Byte 2: we are in the run's cgroups. Joining a v1 cgroup waits for an RCU grace
         * period in the engine, so it overlaps with the mount set-up above. */
        if (read_retry(INIT_FD_GO, &go, 1) != 1)
                _exit(1);
        safe_close(INIT_FD_GO);
        /* Now the cgroup namespace: rooted at the run's cgroups, so /proc/self/cgroup shows "/". */
        if (unshare(CLONE_NEWCGROUP) < 0) {
                send_msg(INIT_FD_STATUS, INIT_MSG_SETUP_FAILED, -errno, "unshare(CLONE_NEWCGROUP): %s",
                         strerror(errno));
                _exit(1);
        }

        int errpipe[2];
        if (pipe2(errpipe, O_CLOEXEC) < 0) {
                send_msg(INIT_FD_STATUS, INIT_MSG_SETUP_FAILED, -errno, "pipe: %s", strerror(errno));
                _exit(1);
        }
        /* vfork: the skill process borrows our memory until its execve instead of getting a
         * copy of it. A fork copies the page tables of everything pid 1 inherited from the
         * engine and both sides then fault on their first writes: 0.5-0.9 ms per run on the VMs
         * we run on (bench/fork_cost.c). We are suspended until the execve (or _exit); what the
         * child runs until then (exec_skill) only makes system calls that change its own state
         * (its fd table, credentials, limits, Landlock domain and seccomp filter are its own),
         * writes to its stack below our frame, and never returns here. */
        pid_t skill = vfork();
        if (skill < 0) {
                send_msg(INIT_FD_STATUS, INIT_MSG_SETUP_FAILED, -errno, "vfork: %s", strerror(errno));
                _exit(1);
        }
        if (skill == 0) {
                safe_close(errpipe[0]);
                safe_close(INIT_FD_STATUS);
                exec_skill(plan, filter, errpipe[1]);
        }
        safe_close(errpipe[1]);
        safe_close(memfd_proc);
        /* pid 1 keeps no stdio: the skill's output must not be held open by us. */
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devnull >= 0) {
                dup2(devnull, 0), dup2(devnull, 1), dup2(devnull, 2);
                if (devnull > 2)
                        close(devnull);
        }
        struct init_msg failure;
        ssize_t k = read_retry(errpipe[0], &failure, sizeof(failure));
        uint64_t t2 = now_us();
        safe_close(errpipe[0]);
        if (k == (ssize_t) sizeof(failure))
                send_raw(INIT_FD_STATUS, &failure);

        /* Reap everything (orphans reparent to us) until the skill itself has exited. */
        int skill_status = 0;
        for (;;) {
                int status;
                pid_t p = waitpid(-1, &status, __WALL);
                if (p < 0 && errno == EINTR)
                        continue;
                if (p < 0)
                        break;
                if (p == skill) {
                        skill_status = status;
                        break;
                }
        }
        /* Nothing outlives the skill: kill the rest of the pid namespace and reap it. */
        kill(-1, SIGKILL);
        while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
                ;
        struct rusage ru;
        getrusage(RUSAGE_CHILDREN, &ru);
        struct init_msg m;
        memset(&m, 0, sizeof(m));
        m.type = INIT_MSG_EXITED;
        m.wait_status = skill_status;
        m.cpu_us = (uint64_t) ru.ru_utime.tv_sec * 1000000 + (uint64_t) ru.ru_utime.tv_usec +
                   (uint64_t) ru.ru_stime.tv_sec * 1000000 + (uint64_t) ru.ru_stime.tv_usec;
        m.max_rss_kb = (uint64_t) ru.ru_maxrss;
        m.setup_us = t1 - t0;
        m.exec_us = t2 - t1;
        if (k != (ssize_t) sizeof(failure))
                send_raw(INIT_FD_STATUS, &m);
        _exit(0);
}
