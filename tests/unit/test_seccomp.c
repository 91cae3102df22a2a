/* Unit tests for src/sandbox/seccomp: one table of syscalls and their expected outcome per
 * policy, checked twice, as libseccomp's tests do: against a classic-BPF simulator (no
 * privileges, any argument bits) and live, in a forked child that loads the filter. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../../src/base/macros.h"
#include "../../src/sandbox/seccomp.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#endif

/* ---- the policies and the table ------------------------------------------------------------- */

enum { POL_NONE, POL_PROCS, POL_INET, POL_ALL, N_POLICIES };
static const struct plan_seccomp POLICIES[N_POLICIES] = {
        [POL_NONE] = { .allow_process_creation = false, .allow_inet = false },
        [POL_PROCS] = { .allow_process_creation = true, .allow_inet = false },
        [POL_INET] = { .allow_process_creation = false, .allow_inet = true },
        [POL_ALL] = { .allow_process_creation = true, .allow_inet = true },
};
static const char *const POLICY_NAMES[N_POLICIES] = { "none", "procs", "inet", "procs+inet" };

/* Which policies a row applies to. */
enum when { ALWAYS, NO_PROCS, PROCS, NO_INET, INET };

static bool applies(enum when w, int pol) {
        const struct plan_seccomp *p = &POLICIES[pol];
        switch (w) {
        case ALWAYS: return true;
        case NO_PROCS: return !p->allow_process_creation;
        case PROCS: return p->allow_process_creation;
        case NO_INET: return !p->allow_inet;
        case INET: return p->allow_inet;
        }
        return false;
}

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)
#define KILL SECCOMP_RET_KILL_PROCESS

/* Live-run flags. */
#define SIM_ONLY 1u   /* dangerous or process-creating if the filter failed: simulator only */
#define MUST_WORK 2u  /* an allowed call that must succeed (not merely "not refused") */
#define ARG_BUF (-4242L) /* replaced by a pointer to a scratch buffer */

struct row {
        const char *name;
        long nr;
        long args[6];
        enum when when;
        uint32_t action;
        unsigned flags;
        uint32_t arch; /* 0 = native */
};

/* Arguments are chosen so that, should the filter fail, the real call is harmless (the test runs
 * as root in CI): bad fds, NULL pointers, bad magic numbers, invalid flags. */
static const struct row TABLE[] = {
        /* namespaces and the mount API, old and new */
        { "unshare(0)", SYS_unshare, { 0 }, ALWAYS, EPERM_, 0, 0 },
        { "unshare(CLONE_NEWUSER)", SYS_unshare, { CLONE_NEWUSER }, ALWAYS, EPERM_, SIM_ONLY, 0 },
        { "setns", SYS_setns, { -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "mount", SYS_mount, { 0, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "umount2", SYS_umount2, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "pivot_root", SYS_pivot_root, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "chroot", SYS_chroot, { 0 }, ALWAYS, EPERM_, 0, 0 },
        { "mount_setattr", SYS_mount_setattr, { -1, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "open_tree", SYS_open_tree, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "move_mount", SYS_move_mount, { -1, 0, -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "fsopen", SYS_fsopen, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "fsconfig", SYS_fsconfig, { -1, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "fsmount", SYS_fsmount, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "fspick", SYS_fspick, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        /* other processes, keyrings, tracing, BPF */
        { "ptrace", SYS_ptrace, { 0x7fff, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "process_vm_readv", SYS_process_vm_readv, { 0, 0, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "process_vm_writev", SYS_process_vm_writev, { 0, 0, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "keyctl", SYS_keyctl, { -1, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "add_key", SYS_add_key, { 0, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "request_key", SYS_request_key, { 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "bpf", SYS_bpf, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "perf_event_open", SYS_perf_event_open, { 0, 0, -1, -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "userfaultfd", SYS_userfaultfd, { -1 }, ALWAYS, EPERM_, 0, 0 },
        { "kcmp", SYS_kcmp, { 0, 0, -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "pidfd_getfd", SYS_pidfd_getfd, { -1, -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        /* the machine */
        { "init_module", SYS_init_module, { 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "finit_module", SYS_finit_module, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "delete_module", SYS_delete_module, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "kexec_load", SYS_kexec_load, { 0, 0, 0, -1 }, ALWAYS, EPERM_, 0, 0 },
        { "kexec_file_load", SYS_kexec_file_load, { -1, -1, 0, 0, -1 }, ALWAYS, EPERM_, 0, 0 },
        { "reboot", SYS_reboot, { 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "swapon", SYS_swapon, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "swapoff", SYS_swapoff, { 0 }, ALWAYS, EPERM_, 0, 0 },
        { "acct", SYS_acct, { 0 }, ALWAYS, EPERM_, SIM_ONLY, 0 }, /* acct(NULL) turns accounting off */
        { "syslog(SIZE_BUFFER)", SYS_syslog, { 10, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "settimeofday(NULL, NULL)", SYS_settimeofday, { 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "clock_settime", SYS_clock_settime, { -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "clock_adjtime", SYS_clock_adjtime, { -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "adjtimex", SYS_adjtimex, { 0 }, ALWAYS, EPERM_, 0, 0 },
        { "sethostname", SYS_sethostname, { 0, -1 }, ALWAYS, EPERM_, 0, 0 },
        { "setdomainname", SYS_setdomainname, { 0, -1 }, ALWAYS, EPERM_, 0, 0 },
#ifdef SYS_iopl
        { "iopl", SYS_iopl, { 4 }, ALWAYS, EPERM_, 0, 0 },
        { "ioperm", SYS_ioperm, { -1, 1, 0 }, ALWAYS, EPERM_, 0, 0 },
#endif
        { "quotactl", SYS_quotactl, { 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "quotactl_fd", SYS_quotactl_fd, { -1, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "vhangup", SYS_vhangup, { 0 }, ALWAYS, EPERM_, SIM_ONLY, 0 },
        { "fanotify_init", SYS_fanotify_init, { -1, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "open_by_handle_at", SYS_open_by_handle_at, { -1, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "name_to_handle_at", SYS_name_to_handle_at, { -1, 0, 0, 0, 0 }, ALWAYS, EPERM_, 0, 0 },
        /* personality: only the default domain */
        { "personality(READ_IMPLIES_EXEC)", SYS_personality, { 0x0400000 }, ALWAYS, EPERM_, 0, 0 },
        { "personality(ADDR_NO_RANDOMIZE)", SYS_personality, { 0x0040000 }, ALWAYS, EPERM_, 0, 0 },
        { "personality(PER_LINUX)", SYS_personality, { 0 }, ALWAYS, ALLOW, MUST_WORK, 0 },
        { "personality(1 << 32)", SYS_personality, { 1L << 32 }, ALWAYS, EPERM_, SIM_ONLY, 0 },
        /* terminal injection, any upper bits */
        { "ioctl(TIOCSTI)", SYS_ioctl, { -1, TIOCSTI, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "ioctl(TIOCSTI | 1 << 32)", SYS_ioctl, { -1, (long) (TIOCSTI | (1UL << 32)), 0 }, ALWAYS, EPERM_,
          0, 0 },
        { "ioctl(TIOCLINUX)", SYS_ioctl, { -1, TIOCLINUX, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "ioctl(TCGETS)", SYS_ioctl, { -1, TCGETS, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "ioctl(FIONREAD)", SYS_ioctl, { -1, FIONREAD, 0 }, ALWAYS, ALLOW, 0, 0 },
        /* sockets */
        { "socket(AF_UNIX)", SYS_socket, { AF_UNIX, SOCK_STREAM, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_INET)", SYS_socket, { AF_INET, SOCK_STREAM, 0 }, NO_INET, EPERM_, 0, 0 },
        { "socket(AF_INET6)", SYS_socket, { AF_INET6, SOCK_DGRAM, 0 }, NO_INET, EPERM_, 0, 0 },
        { "socket(AF_INET)", SYS_socket, { AF_INET, SOCK_STREAM, 0 }, INET, ALLOW, MUST_WORK, 0 },
        { "socket(AF_INET6)", SYS_socket, { AF_INET6, SOCK_STREAM, 0 }, INET, ALLOW, 0, 0 }, /* v6 may be off */
        { "socket(AF_INET6|NONBLOCK)", SYS_socket, { AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0 },
          INET, ALLOW, 0, 0 },
        { "socket(AF_INET, TCP)", SYS_socket, { AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP }, INET, ALLOW,
          MUST_WORK, 0 },
        /* with grants still TCP only: no UDP (DNS, QUIC), raw/ICMP, SCTP or MPTCP */
        { "socket(AF_INET, UDP)", SYS_socket, { AF_INET, SOCK_DGRAM, 0 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET6, UDP|CLOEXEC)", SYS_socket, { AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0 }, INET, EPERM_,
          0, 0 },
        { "socket(AF_INET, RAW)", SYS_socket, { AF_INET, SOCK_RAW, 1 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET, ICMP dgram)", SYS_socket, { AF_INET, SOCK_DGRAM, 1 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET, SEQPACKET)", SYS_socket, { AF_INET, SOCK_SEQPACKET, 132 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET, STREAM, SCTP)", SYS_socket, { AF_INET, SOCK_STREAM, 132 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET, STREAM, MPTCP)", SYS_socket, { AF_INET, SOCK_STREAM, 262 }, INET, EPERM_, 0, 0 },
        { "socket(AF_INET, STREAM, UDP)", SYS_socket, { AF_INET, SOCK_STREAM, 17 }, INET, EPERM_, 0, 0 },
        /* TCP Fast Open connects inside sendto/sendmsg, past Landlock's connect hook */
        { "sendto(MSG_FASTOPEN)", SYS_sendto, { -1, 0, 0, MSG_FASTOPEN | MSG_NOSIGNAL, 0, 0 }, INET, EPERM_, 0, 0 },
        { "sendmsg(MSG_FASTOPEN)", SYS_sendmsg, { -1, 0, MSG_FASTOPEN }, INET, EPERM_, 0, 0 },
        { "sendmmsg(MSG_FASTOPEN)", SYS_sendmmsg, { -1, 0, 0, MSG_FASTOPEN }, INET, EPERM_, 0, 0 },
        { "sendto(plain)", SYS_sendto, { -1, 0, 0, MSG_NOSIGNAL, 0, 0 }, INET, ALLOW, 0, 0 },
        { "socket(AF_UNSPEC)", SYS_socket, { AF_UNSPEC, SOCK_STREAM, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_NETLINK)", SYS_socket, { AF_NETLINK, SOCK_RAW, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_PACKET)", SYS_socket, { AF_PACKET, SOCK_RAW, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_VSOCK)", SYS_socket, { AF_VSOCK, SOCK_STREAM, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_ALG)", SYS_socket, { AF_ALG, SOCK_SEQPACKET, 0 }, ALWAYS, EPERM_, 0, 0 },
        { "socket(AF_INET | 1 << 32)", SYS_socket, { (long) (AF_INET | (1UL << 32)), SOCK_STREAM, 0 },
          ALWAYS, EPERM_, SIM_ONLY, 0 },
        { "socket(AF_UNIX | 1 << 32)", SYS_socket, { (long) (AF_UNIX | (1UL << 32)), SOCK_STREAM, 0 },
          ALWAYS, EPERM_, SIM_ONLY, 0 },
        { "socketpair(AF_UNIX)", SYS_socketpair, { AF_UNIX, SOCK_STREAM, 0, ARG_BUF }, ALWAYS, ALLOW,
          MUST_WORK, 0 },
        /* ENOSYS: callers fall back */
        { "clone3", SYS_clone3, { 0, 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "io_uring_setup", SYS_io_uring_setup, { 0, 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "io_uring_enter", SYS_io_uring_enter, { -1, 0, 0, 0, 0, 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "io_uring_register", SYS_io_uring_register, { -1, 0, 0, 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "457 (first unreviewed)", SECCOMP_FIRST_UNREVIEWED_NR, { 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "467 (open_tree_attr)", 467, { -1, 0, 0, 0, 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "1000", 1000, { 0 }, ALWAYS, ENOSYS_, 0, 0 },
        { "456 (last reviewed)", SECCOMP_FIRST_UNREVIEWED_NR - 1, { 0, 0, 0, 0 }, ALWAYS, ALLOW, SIM_ONLY, 0 },
        /* process creation; threads always */
        { "fork", SYS_fork, { 0 }, NO_PROCS, EPERM_, 0, 0 },
        { "fork", SYS_fork, { 0 }, PROCS, ALLOW, SIM_ONLY, 0 },
        { "vfork", SYS_vfork, { 0 }, NO_PROCS, EPERM_, SIM_ONLY, 0 },
        { "vfork", SYS_vfork, { 0 }, PROCS, ALLOW, SIM_ONLY, 0 },
        { "clone(SIGCHLD)", SYS_clone, { SIGCHLD, 0, 0, 0, 0 }, NO_PROCS, EPERM_, 0, 0 },
        { "clone(SIGCHLD)", SYS_clone, { SIGCHLD, 0, 0, 0, 0 }, PROCS, ALLOW, SIM_ONLY, 0 },
        { "clone(CLONE_VM|CLONE_VFORK)", SYS_clone, { CLONE_VM | CLONE_VFORK | SIGCHLD }, NO_PROCS, EPERM_,
          SIM_ONLY, 0 },
        { "clone(thread)", SYS_clone,
          { CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
            CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID },
          ALWAYS, ALLOW, SIM_ONLY, 0 },
        { "clone(CLONE_NEWUSER)", SYS_clone, { CLONE_NEWUSER | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWNS)", SYS_clone, { CLONE_NEWNS | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWPID)", SYS_clone, { CLONE_NEWPID | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWNET)", SYS_clone, { CLONE_NEWNET | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWIPC)", SYS_clone, { CLONE_NEWIPC | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWUTS)", SYS_clone, { CLONE_NEWUTS | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(CLONE_NEWCGROUP)", SYS_clone, { CLONE_NEWCGROUP | SIGCHLD }, ALWAYS, EPERM_, 0, 0 },
        { "clone(thread|CLONE_NEWNS)", SYS_clone,
          { CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_NEWNS }, ALWAYS, EPERM_,
          SIM_ONLY, 0 },
        /* what every program needs */
        { "getpid", SYS_getpid, { 0 }, ALWAYS, ALLOW, MUST_WORK, 0 },
        { "read", SYS_read, { -1, 0, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "write", SYS_write, { -1, 0, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "openat", SYS_openat, { AT_FDCWD, 0, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "mmap", SYS_mmap, { 0, 4096, 1, 0x22, -1, 0 }, ALWAYS, ALLOW, MUST_WORK, 0 },
        { "execve", SYS_execve, { 0, 0, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "seccomp", SYS_seccomp, { -1, 0, 0 }, ALWAYS, ALLOW, 0, 0 },
        { "prctl(PR_GET_NO_NEW_PRIVS)", SYS_prctl, { PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0 }, ALWAYS, ALLOW,
          MUST_WORK, 0 },
        /* foreign ABIs: killed (live runs are in their own tests) */
#ifdef __x86_64__
        { "x32 getpid", 0x40000000 | SYS_getpid, { 0 }, ALWAYS, KILL, SIM_ONLY, 0 },
        { "x32 -1", -1, { 0 }, ALWAYS, KILL, SIM_ONLY, 0 },
        { "i386 getpid", 20, { 0 }, ALWAYS, KILL, SIM_ONLY, AUDIT_ARCH_I386 },
        { "i386 unshare", 310, { 0 }, ALWAYS, KILL, SIM_ONLY, AUDIT_ARCH_I386 },
#endif
        { "aarch32", 20, { 0 }, ALWAYS, KILL, SIM_ONLY, AUDIT_ARCH_ARM },
};

/* ---- a classic-BPF simulator (the subset the kernel's seccomp checker allows) ---------------- */

#define SIM_BAD 0xdeadbeefu

static uint32_t bpf_simulate(const struct sock_filter *f, size_t len, const struct seccomp_data *d) {
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
        for (size_t pc = 0; pc < len; pc++) {
                const struct sock_filter *i = &f[pc];
                uint32_t k = i->k;
                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (k > sizeof(*d) - 4 || k % 4)
                                return SIM_BAD;
                        memcpy(&a, (const char *) d + k, 4);
                        break;
                case BPF_LD | BPF_W | BPF_LEN: a = sizeof(*d); break;
                case BPF_LDX | BPF_W | BPF_LEN: x = sizeof(*d); break;
                case BPF_LD | BPF_IMM: a = k; break;
                case BPF_LDX | BPF_IMM: x = k; break;
                case BPF_LD | BPF_MEM: a = k < BPF_MEMWORDS ? mem[k] : 0; break;
                case BPF_LDX | BPF_MEM: x = k < BPF_MEMWORDS ? mem[k] : 0; break;
                case BPF_ST: mem[k % BPF_MEMWORDS] = a; break;
                case BPF_STX: mem[k % BPF_MEMWORDS] = x; break;
                case BPF_MISC | BPF_TAX: x = a; break;
                case BPF_MISC | BPF_TXA: a = x; break;
                case BPF_ALU | BPF_ADD | BPF_K: a += k; break;
                case BPF_ALU | BPF_SUB | BPF_K: a -= k; break;
                case BPF_ALU | BPF_AND | BPF_K: a &= k; break;
                case BPF_ALU | BPF_OR | BPF_K: a |= k; break;
                case BPF_ALU | BPF_AND | BPF_X: a &= x; break;
                case BPF_ALU | BPF_OR | BPF_X: a |= x; break;
                case BPF_ALU | BPF_LSH | BPF_K: a <<= k; break;
                case BPF_ALU | BPF_RSH | BPF_K: a >>= k; break;
                case BPF_ALU | BPF_NEG: a = -a; break;
                case BPF_JMP | BPF_JA: pc += k; break;
                case BPF_JMP | BPF_JEQ | BPF_K: pc += a == k ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JGT | BPF_K: pc += a > k ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JGE | BPF_K: pc += a >= k ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JSET | BPF_K: pc += (a & k) ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JEQ | BPF_X: pc += a == x ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JGT | BPF_X: pc += a > x ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JGE | BPF_X: pc += a >= x ? i->jt : i->jf; break;
                case BPF_JMP | BPF_JSET | BPF_X: pc += (a & x) ? i->jt : i->jf; break;
                case BPF_RET | BPF_K: return k;
                case BPF_RET | BPF_A: return a;
                default: return SIM_BAD;
                }
        }
        return SIM_BAD; /* fell off the end: the kernel's checker would have refused it */
}

static struct seccomp_data data_for(const struct row *r) {
        struct seccomp_data d = { .nr = (int) r->nr, .arch = r->arch ? r->arch : NATIVE_ARCH };
        for (int i = 0; i < 6; i++)
                d.args[i] = (uint64_t) r->args[i];
        return d;
}

static void build(int pol, struct seccomp_program *prog) {
        struct error err = ERROR_INIT;
        int r = seccomp_program_build(&POLICIES[pol], prog, &err);
        cr_assert_eq(r, 0, "build (%s): %d %s", POLICY_NAMES[pol], r, err.msg);
        cr_assert_not_null(prog->insns);
        cr_assert_gt(prog->len, 8);
        cr_assert_leq(prog->len, BPF_MAXINSNS);
}

static const char *action_name(uint32_t a) {
        switch (a) {
        case ALLOW: return "allow";
        case EPERM_: return "EPERM";
        case ENOSYS_: return "ENOSYS";
        case KILL: return "kill";
        case SIM_BAD: return "(bad program)";
        }
        return "(other)";
}

Test(seccomp, table_against_the_simulator) {
        for (int pol = 0; pol < N_POLICIES; pol++) {
                struct seccomp_program prog = { 0 };
                build(pol, &prog);
                size_t checked = 0;
                for (size_t i = 0; i < ELEMENTSOF(TABLE); i++) {
                        const struct row *r = &TABLE[i];
                        if (!applies(r->when, pol))
                                continue;
                        struct seccomp_data d = data_for(r);
                        uint32_t got = bpf_simulate(prog.insns, prog.len, &d);
                        cr_expect_eq(got, r->action, "[%s] %s: %s (%#x), want %s", POLICY_NAMES[pol], r->name,
                                     action_name(got), got, action_name(r->action));
                        checked++;
                }
                cr_expect_gt(checked, 80);
                seccomp_program_free(&prog);
                cr_expect_null(prog.insns);
                cr_expect_eq(prog.len, 0);
        }
}

/* Every unreviewed number gets ENOSYS, every reviewed-but-unlisted one is allowed. */
Test(seccomp, unreviewed_range_boundaries) {
        struct seccomp_program prog = { 0 };
        build(POL_ALL, &prog);
        for (long nr = SECCOMP_FIRST_UNREVIEWED_NR; nr < 1024; nr++) {
                struct seccomp_data d = { .nr = (int) nr, .arch = NATIVE_ARCH };
                cr_expect_eq(bpf_simulate(prog.insns, prog.len, &d), ENOSYS_, "nr %ld", nr);
        }
        static const long reviewed[] = { SYS_getpid, SYS_futex, SYS_epoll_pwait2, SYS_landlock_restrict_self,
                                         SYS_process_madvise, SYS_memfd_create,
                                         SECCOMP_FIRST_UNREVIEWED_NR - 1 };
        for (size_t i = 0; i < ELEMENTSOF(reviewed); i++) {
                struct seccomp_data d = { .nr = (int) reviewed[i], .arch = NATIVE_ARCH };
                cr_expect_eq(bpf_simulate(prog.insns, prog.len, &d), ALLOW, "nr %ld", reviewed[i]);
        }
        seccomp_program_free(&prog);
}

/* The prologue libseccomp does not emit: arch check first, then x32, then the unreviewed range. */
Test(seccomp, prologue_instructions) {
        struct seccomp_program prog = { 0 };
        build(POL_NONE, &prog);
        const struct sock_filter *f = prog.insns;
        size_t n = 0;
        cr_expect_eq(f[n].code, BPF_LD | BPF_W | BPF_ABS);
        cr_expect_eq(f[n].k, offsetof(struct seccomp_data, arch));
        n++;
        cr_expect_eq(f[n].code, BPF_JMP | BPF_JEQ | BPF_K);
        cr_expect_eq(f[n].k, NATIVE_ARCH);
        cr_expect_eq(f[n].jt, 1, "native: skip the kill");
        cr_expect_eq(f[n].jf, 0, "foreign: fall into the kill");
        n++;
        cr_expect_eq(f[n].code, BPF_RET | BPF_K);
        cr_expect_eq(f[n].k, SECCOMP_RET_KILL_PROCESS, "kill the process, not just the thread");
        n++;
        cr_expect_eq(f[n].code, BPF_LD | BPF_W | BPF_ABS);
        cr_expect_eq(f[n].k, offsetof(struct seccomp_data, nr));
        n++;
#ifdef __x86_64__
        cr_expect_eq(f[n].code, BPF_JMP | BPF_JGE | BPF_K);
        cr_expect_eq(f[n].k, 0x40000000u, "the x32 syscall bit");
        cr_expect_eq(f[n].jt, 0);
        cr_expect_eq(f[n].jf, 1);
        n++;
        cr_expect_eq(f[n].code, BPF_RET | BPF_K);
        cr_expect_eq(f[n].k, SECCOMP_RET_KILL_PROCESS);
        n++;
#endif
        cr_expect_eq(f[n].code, BPF_JMP | BPF_JGE | BPF_K);
        cr_expect_eq(f[n].k, SECCOMP_FIRST_UNREVIEWED_NR);
        cr_expect_eq(f[n].jt, 0);
        cr_expect_eq(f[n].jf, 1);
        n++;
        cr_expect_eq(f[n].code, BPF_RET | BPF_K);
        cr_expect_eq(f[n].k, SECCOMP_RET_ERRNO | ENOSYS);
        n++;
        /* libseccomp's program follows and starts over with its own arch check. */
        cr_expect_eq(f[n].code, BPF_LD | BPF_W | BPF_ABS);
        cr_expect_eq(f[n].k, offsetof(struct seccomp_data, arch));
        /* No instruction may jump past the end (relative jumps survive the prepending). */
        for (size_t pc = 0; pc < prog.len; pc++) {
                const struct sock_filter *i = &prog.insns[pc];
                if (BPF_CLASS(i->code) != BPF_JMP)
                        continue;
                size_t far = BPF_OP(i->code) == BPF_JA ? i->k : (i->jt > i->jf ? i->jt : i->jf);
                cr_expect_lt(pc + 1 + far, prog.len, "jump at %zu leaves the program", pc);
        }
        cr_expect_eq(BPF_CLASS(prog.insns[prog.len - 1].code), BPF_RET, "the program ends in a return");
        seccomp_program_free(&prog);
}

/* ---- live: load the filter in a forked child and make the calls ------------------------------ */

/* In the child: no core files from the kills, no_new_privs, then the filter. */
static void child_load(const struct seccomp_program *prog) {
        struct rlimit no_core = { 0, 0 };
        if (setrlimit(RLIMIT_CORE, &no_core) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                perror("child setup");
                _exit(120);
        }
        int r = seccomp_program_load(prog);
        if (r < 0) {
                fprintf(stderr, "seccomp_program_load: %s\n", strerror(-r));
                _exit(121);
        }
}

/* Run fn(pol) in a child with the filter of pol loaded; return its wait status. */
static int run_child(int pol, int (*fn)(int pol)) {
        struct seccomp_program prog = { 0 };
        build(pol, &prog);
        fflush(NULL);
        pid_t pid = fork();
        cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
        if (pid == 0) {
                child_load(&prog);
                _exit(fn(pol));
        }
        seccomp_program_free(&prog);
        int status = 0;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        return status;
}

static void expect_exit_0(int status, const char *what, int pol) {
        cr_expect(WIFEXITED(status), "[%s] %s: killed by signal %d", POLICY_NAMES[pol], what,
                  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        if (WIFEXITED(status))
                cr_expect_eq(WEXITSTATUS(status), 0, "[%s] %s: %d failures (see stderr)", POLICY_NAMES[pol],
                             what, WEXITSTATUS(status));
}

static void expect_sigsys(int status, const char *what) {
        cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "%s: status %#x, want SIGSYS", what,
                  status);
}

/* The table, live. Returns the number of mismatches (each printed). */
static int live_table(int pol) {
        int fails = 0;
        for (size_t i = 0; i < ELEMENTSOF(TABLE); i++) {
                const struct row *r = &TABLE[i];
                if (!applies(r->when, pol) || (r->flags & SIM_ONLY) || r->action == KILL)
                        continue;
                long a[6];
                int buf[2] = { -1, -1 };
                for (int k = 0; k < 6; k++)
                        a[k] = r->args[k] == ARG_BUF ? (long) (uintptr_t) buf : r->args[k];
                errno = 0;
                long ret = syscall(r->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
                int e = errno;
                if (ret == 0 && (r->nr == SYS_fork || r->nr == SYS_clone))
                        _exit(99); /* a child the filter should have refused: never continue */
                bool ok;
                if (r->action == ALLOW)
                        ok = (r->flags & MUST_WORK) ? ret >= 0 : (ret >= 0 || (e != EPERM && e != ENOSYS));
                else
                        ok = ret == -1 && e == (int) (r->action & SECCOMP_RET_DATA);
                if (!ok) {
                        fprintf(stderr, "seccomp live [%s] %s: ret %ld errno %d (%s), want %s\n", POLICY_NAMES[pol],
                                r->name, ret, e, strerror(e), action_name(r->action));
                        fails++;
                }
        }
        return fails > 100 ? 100 : fails;
}

Test(seccomp, table_live) {
        for (int pol = 0; pol < N_POLICIES; pol++)
                expect_exit_0(run_child(pol, live_table), "live table", pol);
}

static void *thread_main(void *arg) {
        return arg;
}

static int threads_work(int pol) {
        (void) pol;
        pthread_t t;
        int token = 42;
        void *ret = NULL;
        int r = pthread_create(&t, NULL, thread_main, &token);
        if (r != 0) {
                fprintf(stderr, "pthread_create: %s\n", strerror(r));
                return 1;
        }
        if (pthread_join(t, &ret) != 0 || ret != &token)
                return 2;
        return 0;
}

Test(seccomp, threads_always_work) {
        for (int pol = 0; pol < N_POLICIES; pol++)
                expect_exit_0(run_child(pol, threads_work), "pthread_create", pol);
}

static int fork_refused(int pol) {
        (void) pol;
        pid_t pid = fork();
        if (pid == 0)
                _exit(99);
        if (pid > 0) {
                fprintf(stderr, "fork() succeeded without process creation\n");
                waitpid(pid, NULL, 0);
                return 1;
        }
        return errno == EPERM ? 0 : 2;
}

static int fork_works(int pol) {
        (void) pol;
        pid_t pid = fork();
        if (pid == 0)
                _exit(7);
        if (pid < 0) {
                fprintf(stderr, "fork: %s\n", strerror(errno));
                return 1;
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
                return 2;
        /* Raw fork too, not only glibc's clone(SIGCHLD). */
        long raw = syscall(SYS_fork);
        if (raw == 0)
                _exit(8);
        if (raw < 0 || waitpid((pid_t) raw, &status, 0) != raw || WEXITSTATUS(status) != 8)
                return 3;
        return 0;
}

Test(seccomp, fork_follows_the_policy) {
        expect_exit_0(run_child(POL_NONE, fork_refused), "fork refused", POL_NONE);
        expect_exit_0(run_child(POL_INET, fork_refused), "fork refused", POL_INET);
        expect_exit_0(run_child(POL_PROCS, fork_works), "fork works", POL_PROCS);
        expect_exit_0(run_child(POL_ALL, fork_works), "fork works", POL_ALL);
}

static int namespaces_refused(int pol) {
        (void) pol;
        static const long flags[] = { CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
                                      CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP };
        int fails = 0;
        for (size_t i = 0; i < ELEMENTSOF(flags); i++) {
                errno = 0;
                long r = syscall(SYS_clone, flags[i] | SIGCHLD, 0, NULL, NULL, 0);
                if (r == 0)
                        _exit(99);
                if (r != -1 || errno != EPERM) {
                        fprintf(stderr, "clone(%#lx): %ld %s\n", flags[i], r, strerror(errno));
                        fails++;
                }
                if (unshare((int) flags[i]) != -1 || errno != EPERM) {
                        fprintf(stderr, "unshare(%#lx) was not refused\n", flags[i]);
                        fails++;
                }
        }
        return fails;
}

Test(seccomp, namespaces_refused_even_with_process_creation) {
        for (int pol = 0; pol < N_POLICIES; pol++)
                expect_exit_0(run_child(pol, namespaces_refused), "clone/unshare namespaces", pol);
}

static int socketpair_and_inet(int pol) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
                fprintf(stderr, "socketpair: %s\n", strerror(errno));
                return 1;
        }
        if (write(sv[0], "x", 1) != 1)
                return 2;
        char c = 0;
        if (read(sv[1], &c, 1) != 1 || c != 'x')
                return 3;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool inet = POLICIES[pol].allow_inet;
        if (inet ? fd < 0 : (fd >= 0 || errno != EPERM)) {
                fprintf(stderr, "socket(AF_INET): %d %s\n", fd, strerror(errno));
                return 4;
        }
        if (socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0) >= 0 || errno != EPERM)
                return 5;
        return 0;
}

Test(seccomp, socketpair_always_inet_when_granted) {
        for (int pol = 0; pol < N_POLICIES; pol++)
                expect_exit_0(run_child(pol, socketpair_and_inet), "sockets", pol);
}

#ifdef __x86_64__
static int x32_getpid(int pol) {
        (void) pol;
        syscall(0x40000000 | SYS_getpid);
        return 0; /* must not be reached */
}

Test(seccomp, x32_is_killed) {
        expect_sigsys(run_child(POL_NONE, x32_getpid), "x32 getpid");
        expect_sigsys(run_child(POL_ALL, x32_getpid), "x32 getpid (everything granted)");
}

/* getpid through the i386 entry point (eax = 20). */
static long int80_getpid(void) {
        long ret = 20;
        __asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory", "cc");
        return ret;
}

static int i386_getpid(int pol) {
        (void) pol;
        int80_getpid();
        return 0; /* must not be reached */
}

Test(seccomp, i386_int80_is_killed) {
        /* A kernel without IA32 emulation faults on int 0x80 before seccomp sees anything. */
        fflush(NULL);
        pid_t probe = fork();
        cr_assert_geq(probe, 0);
        if (probe == 0)
                _exit(int80_getpid() == getpid() ? 0 : 1);
        int status = 0;
        cr_assert_eq(waitpid(probe, &status, 0), probe);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                cr_skip_test("no IA32 emulation on this kernel (int 0x80 status %#x)", status);
        expect_sigsys(run_child(POL_NONE, i386_getpid), "i386 getpid");
        expect_sigsys(run_child(POL_ALL, i386_getpid), "i386 getpid (everything granted)");
}
#endif

static int basics_work(int pol) {
        (void) pol;
        if (syscall(SYS_getpid) != getpid())
                return 1;
        char c;
        int p[2];
        if (pipe(p) < 0 || write(p[1], "y", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'y')
                return 2;
        return 0;
}

Test(seccomp, basics_still_work) {
        for (int pol = 0; pol < N_POLICIES; pol++)
                expect_exit_0(run_child(pol, basics_work), "getpid/read/write", pol);
}

/* The engine runs what seccomp-gen compiled at build time: it must be exactly what libseccomp
 * compiles from today's rules, for every combination of the three switches. */
Test(seccomp, precompiled_programs_match_libseccomp) {
        bool seen[SECCOMP_VARIANTS] = { false };
        for (unsigned v = 0; v < SECCOMP_VARIANTS; v++) {
                struct plan_seccomp pol = { .allow_process_creation = v & 1u, .allow_inet = v & 2u,
                                            .memfd_noexec_only = v & 4u };
                cr_assert_lt(seccomp_variant(&pol), SECCOMP_VARIANTS);
                cr_assert_not(seen[seccomp_variant(&pol)], "variant %u maps onto another", v);
                seen[seccomp_variant(&pol)] = true;
                struct seccomp_program built = { 0 }, compiled = { 0 };
                struct error err = ERROR_INIT;
                cr_assert_eq(seccomp_program_build(&pol, &built, &err), 0, "%s", err.msg);
                cr_assert_eq(seccomp_program_compile(&pol, &compiled, &err), 0, "%s", err.msg);
                cr_assert_eq(built.len, compiled.len, "variant %u: %zu vs %zu instructions", v, built.len,
                             compiled.len);
                cr_assert_eq(memcmp(built.insns, compiled.insns, built.len * sizeof(*built.insns)), 0,
                             "variant %u differs from what libseccomp compiles now", v);
                seccomp_program_free(&built);
                seccomp_program_free(&compiled);
        }
}

Test(seccomp, free_is_idempotent) {
        struct seccomp_program prog = { 0 };
        seccomp_program_free(&prog);
        build(POL_NONE, &prog);
        seccomp_program_free(&prog);
        seccomp_program_free(&prog);
        cr_expect_null(prog.insns);
}
