/* Landlock: filesystem rights per path, TCP bind denied and connect only to the proxy (ABI 4), abstract unix sockets
 * and signals scoped to the sandbox (ABI 6). */
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sys/landlock.h"

int landlock_apply(const struct sandbox_plan *plan, struct error *err) {
        int abi = plan->landlock_abi;
        if (abi < 1)
                return error_set(err, -EOPNOTSUPP, "Landlock is not available");
        struct ll_ruleset_attr attr = { .handled_access_fs = plan->landlock_fs_handled };
        size_t size = offsetof(struct ll_ruleset_attr, handled_access_net);
        if (abi >= 4) {
                attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
                size = offsetof(struct ll_ruleset_attr, scoped);
        }
        if (abi >= 6) {
                attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
                size = sizeof(attr);
        }
        _cleanup_close_ int ruleset = sys_landlock_create_ruleset(&attr, size);
        if (ruleset < 0)
                return error_set(err, ruleset, "landlock_create_ruleset: %s", strerror(-ruleset));

        for (size_t i = 0; i < plan->n_rules; i++) {
                const struct plan_landlock_rule *rule = &plan->rules[i];
                _cleanup_close_ int fd = open(rule->path, O_PATH | O_CLOEXEC);
                if (fd < 0) {
                        if (errno == ENOENT)
                                continue; /* optional mounts that were skipped */
                        return error_set(err, -errno, "landlock: opening %s: %s", rule->path, strerror(errno));
                }
                struct stat st;
                if (fstat(fd, &st) < 0)
                        return error_set(err, -errno, "landlock: stat %s: %s", rule->path, strerror(errno));
                uint64_t access = rule->access & plan->landlock_fs_handled;
                if (!S_ISDIR(st.st_mode))
                        access &= LL_FS_FILE_RIGHTS; /* the kernel rejects directory rights on files */
                if (!access)
                        continue;
                struct ll_path_beneath_attr pb = { .allowed_access = access, .parent_fd = fd };
                int r = sys_landlock_add_rule(ruleset, LL_RULE_PATH_BENEATH, &pb);
                if (r < 0)
                        return error_set(err, r, "landlock_add_rule %s: %s", rule->path, strerror(-r));
        }
        /* TCP: with grants, connect() only to the proxy's port (its listener is on 127.0.0.1 in
         * our own network namespace, so nothing else answers on it); bind() never. */
        if (abi >= 4 && plan->network.mode == PLAN_NET_PROXY) {
                struct ll_net_port_attr np = { .allowed_access = LL_NET_CONNECT_TCP, .port = SANDBOX_PROXY_PORT };
                int r = sys_landlock_add_rule(ruleset, LL_RULE_NET_PORT, &np);
                if (r < 0)
                        return error_set(err, r, "landlock_add_rule (TCP port %d): %s", SANDBOX_PROXY_PORT,
                                         strerror(-r));
        }
        int r = sys_landlock_restrict_self(ruleset);
        if (r < 0)
                return error_set(err, r, "landlock_restrict_self: %s", strerror(-r));
        return 0;
}
