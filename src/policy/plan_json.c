/* sandbox_plan -> JSON, for `explain` and the run envelope. */
#include <stdio.h>
#include <string.h>

#include "../base/json.h"
#include "../sys/landlock.h"
#include "plan.h"

static const char *mount_kind_name(enum mount_kind k) {
        switch (k) {
        case MOUNT_BIND: return "bind";
        case MOUNT_TMPFS: return "tmpfs";
        case MOUNT_PROC: return "proc";
        case MOUNT_DIR: return "dir";
        case MOUNT_FILE: return "file";
        case MOUNT_SYMLINK: return "symlink";
        case MOUNT_COPY: return "copy";
        }
        return "?";
}

static json_t *strv_json(char **v) {
        json_t *a = json_array();
        for (char **i = v; a && i && *i; i++)
                if (json_array_append_string(a, *i) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static json_t *access_json(uint64_t a) {
        static const struct {
                uint64_t bit;
                const char *name;
        } names[] = {
                { LL_FS_EXECUTE, "execute" },       { LL_FS_WRITE_FILE, "write_file" },
                { LL_FS_READ_FILE, "read_file" },   { LL_FS_READ_DIR, "read_dir" },
                { LL_FS_REMOVE_DIR, "remove_dir" }, { LL_FS_REMOVE_FILE, "remove_file" },
                { LL_FS_MAKE_CHAR, "make_char" },   { LL_FS_MAKE_DIR, "make_dir" },
                { LL_FS_MAKE_REG, "make_reg" },     { LL_FS_MAKE_SOCK, "make_sock" },
                { LL_FS_MAKE_FIFO, "make_fifo" },   { LL_FS_MAKE_BLOCK, "make_block" },
                { LL_FS_MAKE_SYM, "make_sym" },     { LL_FS_REFER, "refer" },
                { LL_FS_TRUNCATE, "truncate" },     { LL_FS_IOCTL_DEV, "ioctl_dev" },
        };
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < ELEMENTSOF(names); i++)
                if ((a & names[i].bit) && json_array_append_string(arr, names[i].name) < 0) {
                        json_decref(arr);
                        return NULL;
                }
        return arr;
}

static json_t *mounts_json(const struct sandbox_plan *p) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < p->n_mounts; i++) {
                const struct plan_mount *m = &p->mounts[i];
                json_t *o = json_pack("{s:s, s:s}", "type", mount_kind_name(m->kind), "target", m->target);
                if (!o)
                        goto fail;
                int r = 0;
                if (m->kind == MOUNT_BIND || m->kind == MOUNT_SYMLINK || m->kind == MOUNT_COPY)
                        r = json_object_set_new(o, "source", json_string(m->source));
                if (m->kind == MOUNT_BIND) {
                        r = r ?: json_object_set_new(o, "read_only", json_boolean(m->flags & MNT_F_RDONLY));
                        r = r ?: json_object_set_new(o, "noexec", json_boolean(m->flags & MNT_F_NOEXEC));
                        if (m->flags & MNT_F_OPTIONAL)
                                r = r ?: json_object_set_new(o, "optional", json_true());
                }
                if (m->kind == MOUNT_COPY) {
                        r = r ?: json_object_set_new(o, "read_only", json_true());
                        r = r ?: json_object_set_new(o, "noexec", json_boolean(m->flags & MNT_F_NOEXEC));
                }
                if (m->kind == MOUNT_TMPFS || m->kind == MOUNT_COPY)
                        r = r ?: json_object_set_new(o, "size_bytes", json_integer((json_int_t) m->size));
                if (m->kind == MOUNT_FILE)
                        r = r ?: json_object_set_new(o, "bytes", json_integer((json_int_t) strlen(m->source)));
                if (r < 0 || json_array_append_new(arr, o) < 0) {
                        json_decref(o);
                        goto fail;
                }
        }
        return arr;
fail:
        json_decref(arr);
        return NULL;
}

static json_t *landlock_json(const struct sandbox_plan *p) {
        json_t *rules = json_array();
        for (size_t i = 0; rules && i < p->n_rules; i++) {
                json_t *r = json_pack("{s:s, s:o*}", "path", p->rules[i].path, "access",
                                      access_json(p->rules[i].access));
                if (!r || json_array_append_new(rules, r) < 0) {
                        json_decref(rules);
                        return NULL;
                }
        }
        return json_pack("{s:i, s:o*, s:o*, s:s, s:s}", "abi", p->landlock_abi, "handled_fs",
                         access_json(p->landlock_fs_handled), "rules", rules, "tcp",
                         p->landlock_abi < 4                     ? "not handled (ABI < 4)"
                         : p->network.mode == PLAN_NET_PROXY ? "bind denied; connect only to port 3128 (the proxy)"
                                                             : "bind and connect denied",
                         "scopes",
                         p->landlock_abi >= 6 ? "abstract unix sockets, signals" : "none (ABI < 6)");
}

static json_t *seccomp_json(const struct sandbox_plan *p) {
        return json_pack(
                "{s:s, s:s, s:b, s:b, s:[s,s,s,s,s,s,s,s,s,s,s,s]}", "default", "allow", "foreign_arch",
                "kill (i386 int 0x80 and x32 included)", "process_creation",
                p->seccomp.allow_process_creation, "tcp_sockets", p->seccomp.allow_inet, "denied",
                "clone3 (ENOSYS; libc falls back to clone)", "namespaces: unshare, setns, clone(CLONE_NEW*)",
                "mount API old and new", "ptrace, process_vm_*", "keyctl, add_key, request_key",
                "bpf, perf_event_open, userfaultfd", "io_uring_* (ENOSYS)", "module loading, kexec, reboot",
                "swapon/off, acct, syslog, open_by_handle_at", "personality (non-default)",
                "ioctl TIOCSTI/TIOCLINUX", "socket(): everything except AF_INET/AF_INET6 TCP when network is granted");
}

static json_t *network_json(const struct plan_network *n) {
        static const char *const modes[] = { "none", "proxy", "host" };
        json_t *o = json_pack("{s:s}", "mode", modes[n->mode]);
        if (!o || n->mode != PLAN_NET_PROXY) {
                if (o && n->mode == PLAN_NET_HOST)
                        json_object_set_new(o, "note", json_string("level 1: the host's network, unrestricted"));
                return o;
        }
        json_t *limits = json_pack("{s:I, s:i, s:i, s:i, s:i}", "max_bytes", (json_int_t) n->max_bytes,
                                   "max_connections", (int) n->max_conns, "max_requests", (int) n->max_requests,
                                   "idle_secs", (int) n->idle_secs, "connect_secs", PLAN_NET_CONNECT_SECS);
        if (json_object_set_new(o, "proxy", json_string(SANDBOX_PROXY_URL)) < 0 ||
            json_object_set_new(o, "grants", net_grants_to_json(&n->grants)) < 0 ||
            json_object_set_new(o, "open", json_boolean(n->open)) < 0 ||
            json_object_set_new(o, "private_allowed", json_boolean(n->allow_private)) < 0 ||
            json_object_set_new(o, "limits", limits) < 0 ||
            json_object_set_new(o, "dns", json_string("none inside the sandbox; the proxy resolves "
                                                      "granted names on the host")) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

static const char *memory_by(const struct sandbox_plan *p) {
        if (p->limits.cgroup_memory)
                return "cgroup";
        if (p->limits.data_bytes < p->limits.memory_bytes)
                return "rlimit (RLIMIT_DATA: the budget split over the allowed processes)";
        return "rlimit (RLIMIT_DATA per process)";
}

json_t *sandbox_plan_to_json(const struct sandbox_plan *p) {
        const struct plan_limits *l = &p->limits;
        json_t *limits = json_pack(
                "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:s, s:s, s:s}}", "timeout_ms",
                (json_int_t) l->timeout_ms, "memory_bytes", (json_int_t) l->memory_bytes, "max_processes",
                (json_int_t) l->max_procs, "output_max_bytes", (json_int_t) l->output_max, "nofile",
                (json_int_t) l->nofile, "fsize_bytes", (json_int_t) l->fsize_bytes, "cpu_seconds",
                (json_int_t) l->cpu_secs, "address_space_bytes", (json_int_t) l->as_bytes, "data_bytes_per_process",
                (json_int_t) l->data_bytes, "enforced_by",
                "memory", memory_by(p), "processes",
                l->cgroup_pids ? "cgroup"
                : p->isolated  ? "rlimit (RLIMIT_NPROC in the sandbox's user namespace)"
                               : "none (level 1)",
                "cpu",
                l->cgroup_cpu ? "cgroup (1 CPU)" : "rlimit (RLIMIT_CPU per process)");
        json_t *o = json_pack("{s:i, s:b, s:o*, s:o*, s:s}", "level", p->level, "isolated", p->isolated,
                              "argv", strv_json(p->argv), "env", strv_json(p->envp), "cwd", p->cwd);
        if (!o || !limits) {
                json_decref(o);
                json_decref(limits);
                return NULL;
        }
        int r = json_object_set_new(o, "limits", limits);
        if (p->isolated) {
                r = r ?: json_object_set_new(o, "namespaces",
                                             json_pack("[s,s,s,s,s,s,s]", "user", "mount", "pid", "net",
                                                       "ipc", "uts", "cgroup"));
                r = r ?: json_object_set_new(
                                 o, "identity",
                                 json_pack("{s:i, s:i, s:s, s:s}", "uid", SANDBOX_UID, "gid", SANDBOX_GID,
                                           "host_uid", p->root_mode ? "65534 (nobody: the engine is root)"
                                                                    : "the invoking user's",
                                           "hostname", SANDBOX_HOSTNAME));
                r = r ?: json_object_set_new(o, "mounts", mounts_json(p));
                r = r ?: json_object_set_new(o, "exec_allowed", strv_json(p->exec_allowed));
                r = r ?: json_object_set_new(o, "landlock", landlock_json(p));
                r = r ?: json_object_set_new(o, "seccomp", seccomp_json(p));
                r = r ?: json_object_set_new(o, "capabilities", json_string("all dropped (effective, "
                                                                             "permitted, inheritable, "
                                                                             "bounding, ambient)"));
                r = r ?: json_object_set_new(o, "no_new_privs", json_true());
        }
        r = r ?: json_object_set_new(o, "network", network_json(&p->network));
        r = r ?: json_object_set_new(o, "warnings", strv_json(p->warnings));
        if (r < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}
