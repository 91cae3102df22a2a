/* Landlock syscalls (no glibc wrappers exist). */
#include "landlock.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fault.h"

int sys_landlock_abi(void) {
        if (sys_fault_injected("landlock"))
                return -EOPNOTSUPP;
        long r = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
        return r < 0 ? -errno : (int) r;
}

int sys_landlock_create_ruleset(const struct ll_ruleset_attr *attr, size_t size) {
        long r = syscall(SYS_landlock_create_ruleset, attr, size, 0);
        return r < 0 ? -errno : (int) r;
}

int sys_landlock_add_rule(int ruleset_fd, int rule_type, const void *attr) {
        return syscall(SYS_landlock_add_rule, ruleset_fd, rule_type, attr, 0) < 0 ? -errno : 0;
}

int sys_landlock_restrict_self(int ruleset_fd) {
        return syscall(SYS_landlock_restrict_self, ruleset_fd, 0) < 0 ? -errno : 0;
}

uint64_t landlock_fs_rights_for_abi(int abi) {
        if (abi < 1)
                return 0; /* no Landlock: nothing is handled (a plan must not claim otherwise) */
        uint64_t r = (LL_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0..12 */
        if (abi >= 2)
                r |= LL_FS_REFER;
        if (abi >= 3)
                r |= LL_FS_TRUNCATE;
        if (abi >= 5)
                r |= LL_FS_IOCTL_DEV;
        return r;
}
