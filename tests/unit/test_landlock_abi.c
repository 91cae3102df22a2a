/* Unit tests for src/sys/landlock: the rights each Landlock ABI defines and the constant values,
 * which are kernel UAPI (include/uapi/linux/landlock.h) and must never drift. */
#include <criterion/criterion.h>
#include <linux/landlock.h>
#include <stddef.h>

#include "../../src/base/macros.h"
#include "../../src/sys/landlock.h"

/* Where the installed header has a constant, ours must agree (Debian's stops at ABI 2). */
_Static_assert(LL_CREATE_RULESET_VERSION == LANDLOCK_CREATE_RULESET_VERSION, "version flag");
_Static_assert(LL_RULE_PATH_BENEATH == LANDLOCK_RULE_PATH_BENEATH, "path-beneath rule type");
_Static_assert(LL_FS_EXECUTE == LANDLOCK_ACCESS_FS_EXECUTE, "execute");
_Static_assert(LL_FS_WRITE_FILE == LANDLOCK_ACCESS_FS_WRITE_FILE, "write_file");
_Static_assert(LL_FS_READ_FILE == LANDLOCK_ACCESS_FS_READ_FILE, "read_file");
_Static_assert(LL_FS_READ_DIR == LANDLOCK_ACCESS_FS_READ_DIR, "read_dir");
_Static_assert(LL_FS_REMOVE_DIR == LANDLOCK_ACCESS_FS_REMOVE_DIR, "remove_dir");
_Static_assert(LL_FS_REMOVE_FILE == LANDLOCK_ACCESS_FS_REMOVE_FILE, "remove_file");
_Static_assert(LL_FS_MAKE_CHAR == LANDLOCK_ACCESS_FS_MAKE_CHAR, "make_char");
_Static_assert(LL_FS_MAKE_DIR == LANDLOCK_ACCESS_FS_MAKE_DIR, "make_dir");
_Static_assert(LL_FS_MAKE_REG == LANDLOCK_ACCESS_FS_MAKE_REG, "make_reg");
_Static_assert(LL_FS_MAKE_SOCK == LANDLOCK_ACCESS_FS_MAKE_SOCK, "make_sock");
_Static_assert(LL_FS_MAKE_FIFO == LANDLOCK_ACCESS_FS_MAKE_FIFO, "make_fifo");
_Static_assert(LL_FS_MAKE_BLOCK == LANDLOCK_ACCESS_FS_MAKE_BLOCK, "make_block");
_Static_assert(LL_FS_MAKE_SYM == LANDLOCK_ACCESS_FS_MAKE_SYM, "make_sym");
#ifdef LANDLOCK_ACCESS_FS_REFER
_Static_assert(LL_FS_REFER == LANDLOCK_ACCESS_FS_REFER, "refer");
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
_Static_assert(LL_FS_TRUNCATE == LANDLOCK_ACCESS_FS_TRUNCATE, "truncate");
#endif
#ifdef LANDLOCK_ACCESS_FS_IOCTL_DEV
_Static_assert(LL_FS_IOCTL_DEV == LANDLOCK_ACCESS_FS_IOCTL_DEV, "ioctl_dev");
#endif
#ifdef LANDLOCK_ACCESS_NET_BIND_TCP
_Static_assert(LL_NET_BIND_TCP == LANDLOCK_ACCESS_NET_BIND_TCP, "bind_tcp");
_Static_assert(LL_NET_CONNECT_TCP == LANDLOCK_ACCESS_NET_CONNECT_TCP, "connect_tcp");
#endif

/* The UAPI values, written out (the header above may not have them). */
Test(landlock_abi, fs_constants_match_the_kernel_uapi) {
        static const struct {
                uint64_t ours;
                unsigned bit;
                const char *name;
        } rights[] = {
                { LL_FS_EXECUTE, 0, "execute" },        { LL_FS_WRITE_FILE, 1, "write_file" },
                { LL_FS_READ_FILE, 2, "read_file" },    { LL_FS_READ_DIR, 3, "read_dir" },
                { LL_FS_REMOVE_DIR, 4, "remove_dir" },  { LL_FS_REMOVE_FILE, 5, "remove_file" },
                { LL_FS_MAKE_CHAR, 6, "make_char" },    { LL_FS_MAKE_DIR, 7, "make_dir" },
                { LL_FS_MAKE_REG, 8, "make_reg" },      { LL_FS_MAKE_SOCK, 9, "make_sock" },
                { LL_FS_MAKE_FIFO, 10, "make_fifo" },   { LL_FS_MAKE_BLOCK, 11, "make_block" },
                { LL_FS_MAKE_SYM, 12, "make_sym" },     { LL_FS_REFER, 13, "refer" },
                { LL_FS_TRUNCATE, 14, "truncate" },     { LL_FS_IOCTL_DEV, 15, "ioctl_dev" },
        };
        for (size_t i = 0; i < ELEMENTSOF(rights); i++)
                cr_expect_eq(rights[i].ours, 1ULL << rights[i].bit, "%s must be bit %u", rights[i].name,
                             rights[i].bit);
}

Test(landlock_abi, net_scope_and_rule_constants_match_the_kernel_uapi) {
        cr_expect_eq(LL_NET_BIND_TCP, 1);
        cr_expect_eq(LL_NET_CONNECT_TCP, 2);
        cr_expect_eq(LL_SCOPE_ABSTRACT_UNIX_SOCKET, 1);
        cr_expect_eq(LL_SCOPE_SIGNAL, 2);
        cr_expect_eq(LL_RULE_PATH_BENEATH, 1);
        cr_expect_eq(LL_RULE_NET_PORT, 2);
        cr_expect_eq(LL_CREATE_RULESET_VERSION, 1);
}

/* struct layouts the kernel reads by size: ruleset attr grows by one u64 per ABI step. */
Test(landlock_abi, attr_layouts_match_the_kernel_uapi) {
        cr_expect_eq(offsetof(struct ll_ruleset_attr, handled_access_fs), 0);
        cr_expect_eq(offsetof(struct ll_ruleset_attr, handled_access_net), 8);
        cr_expect_eq(offsetof(struct ll_ruleset_attr, scoped), 16);
        cr_expect_eq(sizeof(struct ll_ruleset_attr), 24);
        cr_expect_eq(sizeof(struct ll_path_beneath_attr), 12, "packed: u64 + s32");
        cr_expect_eq(offsetof(struct ll_path_beneath_attr, parent_fd), 8);
        cr_expect_eq(sizeof(struct ll_net_port_attr), 16);
}

Test(landlock_abi, rights_per_abi) {
        const uint64_t abi1 = 0x1fff; /* bits 0..12 */
        static const struct {
                int abi;
                uint64_t expect;
        } table[] = {
                { 1, 0x1fff },
                { 2, 0x1fff | LL_FS_REFER },
                { 3, 0x1fff | LL_FS_REFER | LL_FS_TRUNCATE },
                { 4, 0x1fff | LL_FS_REFER | LL_FS_TRUNCATE }, /* ABI 4 adds network rights only */
                { 5, 0xffff },                                 /* + IOCTL_DEV */
                { 6, 0xffff },                                 /* ABI 6 adds scopes only */
                { 7, 0xffff },                                 /* ABI 7 adds audit flags only */
                { 99, 0xffff },                                /* a newer kernel: what we know */
        };
        cr_assert_eq(landlock_fs_rights_for_abi(1), abi1);
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                cr_expect_eq(landlock_fs_rights_for_abi(table[i].abi), table[i].expect,
                             "ABI %d: got %#llx, want %#llx", table[i].abi,
                             (unsigned long long) landlock_fs_rights_for_abi(table[i].abi),
                             (unsigned long long) table[i].expect);
}

Test(landlock_abi, no_landlock_defines_no_rights) {
        cr_expect_eq(landlock_fs_rights_for_abi(0), 0, "ABI 0 means Landlock is unavailable");
        cr_expect_eq(landlock_fs_rights_for_abi(-1), 0);
}

Test(landlock_abi, rights_grow_monotonically) {
        for (int abi = 1; abi < 8; abi++) {
                uint64_t lo = landlock_fs_rights_for_abi(abi), hi = landlock_fs_rights_for_abi(abi + 1);
                cr_expect_eq(lo & hi, lo, "ABI %d's rights must stay in ABI %d", abi, abi + 1);
        }
}

Test(landlock_abi, file_rights_are_the_non_directory_ones) {
        cr_expect_eq(LL_FS_FILE_RIGHTS,
                     LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV);
        cr_expect_eq(LL_FS_FILE_RIGHTS & (LL_FS_READ_DIR | LL_FS_REFER | LL_FS_REMOVE_FILE), 0);
}
