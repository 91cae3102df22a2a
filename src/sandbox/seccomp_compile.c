/* seccomp filter construction with libseccomp, at build time (seccomp_gen.c) and in the unit
 * tests - not at run time (seccomp.c). Default allow with a deny list (DESIGN.md §6): an
 * allowlist would break interpreters in ways that depend on their versions. */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>


#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MFD_NOEXEC_SEAL_FLAG 0x0008U /* <linux/memfd.h> of Linux 6.3; Debian 12's headers lack it */

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000u
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp prologue: add this architecture"
#endif

static void ctx_release(scmp_filter_ctx *c) {
        if (*c)
                seccomp_release(*c);
}

/* Deny a syscall by name; names this libseccomp does not know are skipped (they are covered
 * by the "newer than reviewed" prologue rule). */
static int deny(scmp_filter_ctx c, uint32_t action, const char *name) {
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
                return 0;
        return seccomp_rule_add(c, action, nr, 0);
}

static const char *const DENY_EPERM[] = {
        /* namespaces and mounts: the sandbox's own layout must stay as built */
        "unshare", "setns", "mount", "umount", "umount2", "pivot_root", "chroot", "mount_setattr",
        "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
        /* other processes' memory, kernel keyrings, tracing and BPF */
        "ptrace", "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
        "perf_event_open", "userfaultfd", "kcmp", "pidfd_getfd",
        /* the machine itself */
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
        "swapon", "swapoff", "acct", "syslog", "settimeofday", "clock_settime", "clock_adjtime",
        "adjtimex", "sethostname", "setdomainname", "iopl", "ioperm", "quotactl", "quotactl_fd",
        "lookup_dcookie", "nfsservctl", "vhangup", "uselib", "_sysctl", "fanotify_init",
        /* handles that bypass path checks */
        "open_by_handle_at", "name_to_handle_at",
};

/* io_uring has its own path to most syscalls; ENOSYS makes libuv and others fall back. */
static const char *const DENY_ENOSYS[] = { "clone3", "io_uring_setup", "io_uring_enter",
                                           "io_uring_register" };

static int add_rules(scmp_filter_ctx c, const struct plan_seccomp *pol) {
        const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
        int r = 0;
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(DENY_EPERM); i++)
                r = deny(c, eperm, DENY_EPERM[i]);
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(DENY_ENOSYS); i++)
                r = deny(c, SCMP_ACT_ERRNO(ENOSYS), DENY_ENOSYS[i]);
        if (r < 0)
                return r;

        /* clone: never with namespace flags; without CLONE_THREAD only when the skill may
         * create processes. */
        static const uint64_t ns_flags[] = { CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET,
                                             CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME };
        for (size_t i = 0; r == 0 && i < ELEMENTSOF(ns_flags); i++)
                r = seccomp_rule_add(c, eperm, SCMP_SYS(clone), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
        if (r == 0 && !pol->allow_process_creation) {
                r = seccomp_rule_add(c, eperm, SCMP_SYS(clone), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(fork), 0);
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(vfork), 0);
        }

        /* prlimit64 on another process: pid 1 and the skill share a uid, and lowering pid 1's
         * limits would let the skill disturb its own supervisor. Its own limits (pid 0) are fine. */
        r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_NE, 0));

        /* An executable memfd runs a binary that has no path (execveat AT_EMPTY_PATH), out of
         * Landlock's sight. A root engine sets vm.memfd_noexec=2 in the pid namespace; an
         * unprivileged one cannot, so memfds must be created non-executable (Linux 6.3+). */
        if (r == 0 && pol->memfd_noexec_only)
                r = seccomp_rule_add(c, eperm, SCMP_SYS(memfd_create), 1,
                                     SCMP_A1(SCMP_CMP_MASKED_EQ, MFD_NOEXEC_SEAL_FLAG, 0));

        /* Terminal injection: TIOCSTI pushes keystrokes into the controlling terminal's input. */
        r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(ioctl), 1,
                                  SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
        r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(ioctl), 1,
                                  SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));

        /* personality: only the default domain (no READ_IMPLIES_EXEC, no ADDR_NO_RANDOMIZE).
         * libseccomp allows one comparison per argument, so the query value is refused too. */
        r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_GT, 0));

        /* Sockets: AF_INET/AF_INET6 only when network is granted; socketpair(AF_UNIX) stays. */
        if (r == 0 && pol->allow_inet) {
                /* every family below AF_INET6 except AF_INET, and everything above it */
                for (int fam = 0; r == 0 && fam < AF_INET6; fam++)
                        if (fam != AF_INET)
                                r = seccomp_rule_add(c, eperm, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, fam));
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GT, AF_INET6));
                /* ...and of those only TCP: SOCK_STREAM (the low 4 bits of the type; the rest are
                 * SOCK_NONBLOCK/SOCK_CLOEXEC) with protocol 0 or IPPROTO_TCP. No UDP (DNS, QUIC),
                 * no raw/ICMP sockets, no SCTP or MPTCP behind a SOCK_STREAM type. */
                for (int type = 0; r == 0 && type < 16; type++)
                        if (type != SOCK_STREAM)
                                r = seccomp_rule_add(c, eperm, SCMP_SYS(socket), 1,
                                                     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, (scmp_datum_t) type));
                for (int proto = 1; r == 0 && proto < IPPROTO_TCP; proto++)
                        r = seccomp_rule_add(c, eperm, SCMP_SYS(socket), 1, SCMP_A2(SCMP_CMP_EQ, proto));
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(socket), 1, SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP));
                /* TCP Fast Open: sendto/sendmsg with MSG_FASTOPEN connect implicitly, and that
                 * path does not pass Landlock's connect check (seen on 6.x). The empty network
                 * namespace still stops it; this keeps Landlock's port rule the whole truth. */
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(sendto), 1,
                                          SCMP_A3(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN));
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(sendmsg), 1,
                                          SCMP_A2(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN));
                r = r ?: seccomp_rule_add(c, eperm, SCMP_SYS(sendmmsg), 1,
                                          SCMP_A3(SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN));
        } else if (r == 0) {
                r = seccomp_rule_add(c, eperm, SCMP_SYS(socket), 0);
        }
        return r;
}

/* Prologue: on a foreign arch (i386 int 0x80 on x86_64) kill; x32 ABI kill; syscall numbers past
 * what was reviewed -> ENOSYS. libseccomp's program follows unchanged (its jumps are relative). */
static size_t build_prologue(struct sock_filter *out) {
        size_t n = 0;
        out[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
        out[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0);
        out[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
        out[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#ifdef X32_SYSCALL_BIT
        out[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
        out[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
        out[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SECCOMP_FIRST_UNREVIEWED_NR, 0, 1);
        out[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
        return n;
}

int seccomp_program_compile(const struct plan_seccomp *pol, struct seccomp_program *ret, struct error *err) {
        _cleanup_(ctx_release) scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
        if (!c)
                return error_set(err, -ENOMEM, "seccomp: cannot create a filter");
        int r = seccomp_attr_set(c, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        r = r ?: seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0); /* we set no_new_privs ourselves */
        /* A binary tree over syscall numbers instead of a linear list: every syscall the skill
         * makes runs this program (the kernel's allow-cache only covers argument-free rules). */
        r = r ?: seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        r = r ?: add_rules(c, pol);
        if (r < 0)
                return error_set(err, r, "seccomp: building the filter: %s", strerror(-r));

        /* libseccomp 2.5 can only export to an fd: use a memfd and read the program back. */
        _cleanup_close_ int fd = memfd_create("skilllite-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return error_set(err, -errno, "seccomp: memfd_create: %s", strerror(errno));
        r = seccomp_export_bpf(c, fd);
        if (r < 0)
                return error_set(err, r, "seccomp: exporting the filter: %s", strerror(-r));
        struct stat st;
        if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % (off_t) sizeof(struct sock_filter) != 0 ||
            st.st_size > (off_t) (BPF_MAXINSNS * sizeof(struct sock_filter)))
                return error_set(err, -EINVAL, "seccomp: unexpected filter size");
        size_t body = (size_t) st.st_size / sizeof(struct sock_filter);
        struct sock_filter prologue[8];
        size_t head = build_prologue(prologue);
        if (head + body > BPF_MAXINSNS) /* the kernel would refuse it at load time */
                return error_set(err, -E2BIG, "seccomp: the filter has %zu instructions, over %d",
                                 head + body, BPF_MAXINSNS);
        struct sock_filter *insns = calloc(head + body, sizeof(*insns));
        if (!insns)
                return error_set(err, -ENOMEM, "out of memory");
        memcpy(insns, prologue, head * sizeof(*insns));
        if (pread(fd, insns + head, (size_t) st.st_size, 0) != st.st_size) {
                free(insns);
                return error_set(err, -EIO, "seccomp: reading the filter back");
        }
        *ret = (struct seccomp_program) { insns, head + body };
        return 0;
}

