/* sandbox_plan_build(): skill + options + host -> plan. Pure: everything it needs about the host
 * comes in struct host_caps, so it is unit-tested without privileges. */
#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/path.h"
#include "../base/strv.h"
#include "../sys/landlock.h"
#include "python_boot.h"

#define TRY(expr)                                                                                  \
        do {                                                                                       \
                int _r_ = (expr);                                                                  \
                if (_r_ < 0)                                                                       \
                        return _r_;                                                                \
        } while (0)

void host_caps_done(struct host_caps *h) {
        free(h->cg_memory_dir);
        free(h->cg_pids_dir);
        free(h->cg_cpu_dir);
        free(h->cg_cpuacct_dir);
        free(h->elf_loader);
        free(h->python);
        free(h->node);
        free(h->shell);
        strv_free(h->lib_exec_dirs);
        strv_free(h->python_lib_dirs);
        *h = (struct host_caps) { 0 };
}

static int strv_push(char ***v, const char *s) {
        size_t n = 0;
        while (*v && (*v)[n])
                n++;
        return strv_pushn(v, &n, s, strlen(s));
}

static int strv_pushf(char ***v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int strv_pushf(char ***v, const char *fmt, ...) {
        char *s = NULL;
        va_list ap;
        va_start(ap, fmt);
        int k = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        int r = strv_push(v, s);
        free(s);
        return r;
}

static int add_mount(struct sandbox_plan *p, enum mount_kind kind, const char *source,
                     const char *target, unsigned flags, uint64_t size, unsigned mode) {
        struct plan_mount *grown = reallocarray(p->mounts, p->n_mounts + 1, sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        p->mounts = grown;
        struct plan_mount *m = &p->mounts[p->n_mounts];
        *m = (struct plan_mount) { .kind = kind, .flags = flags, .size = size, .mode = mode };
        m->source = source ? strdup(source) : NULL;
        m->target = strdup(target);
        p->n_mounts++;
        return (source && !m->source) || !m->target ? -ENOMEM : 0;
}

static int add_rule(struct sandbox_plan *p, const char *path, uint64_t access) {
        struct plan_landlock_rule *grown = reallocarray(p->rules, p->n_rules + 1, sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        p->rules = grown;
        p->rules[p->n_rules] = (struct plan_landlock_rule) { strdup(path), access };
        p->n_rules++;
        return p->rules[p->n_rules - 1].path ? 0 : -ENOMEM;
}

struct sandbox_plan *sandbox_plan_free(struct sandbox_plan *p) {
        if (!p)
                return NULL;
        strv_free(p->argv);
        strv_free(p->envp);
        free(p->cwd);
        free(p->skill_host_dir);
        for (size_t i = 0; i < p->n_mounts; i++) {
                free(p->mounts[i].source);
                free(p->mounts[i].target);
        }
        free(p->mounts);
        for (size_t i = 0; i < p->n_rules; i++)
                free(p->rules[i].path);
        free(p->rules);
        strv_free(p->exec_allowed);
        strv_free(p->warnings);
        net_grants_done(&p->network.grants);
        free(p);
        return NULL;
}

static bool under_usr(const char *path) {
        return strneq(path, "/usr/", 5);
}

/* The interpreter that runs a script of this language. */
static const char *interpreter_for(enum skill_language lang, const struct host_caps *host) {
        switch (lang) {
        case SKILL_LANG_PYTHON: return host->python;
        case SKILL_LANG_NODE: return host->node;
        case SKILL_LANG_SHELL: return host->shell;
        case SKILL_LANG_NONE: break;
        }
        return NULL;
}

/* A metadata number from 1 to max, else 0 (unset). The skill's author wrote it: strtoull would
 * take "-1" as 2^64-1 (unlimited processes, an overflowing timeout), so digits only. */
static uint64_t metadata_uint(const struct skill *s, const char *key, uint64_t max) {
        const char *v = s ? skill_metadata_get(s, key) : NULL;
        uint64_t n = 0;
        for (const char *c = v; c && *c; c++) {
                if (*c < '0' || *c > '9')
                        return 0;
                n = n * 10 + (uint64_t) (*c - '0');
                if (n > max)
                        return 0;
        }
        return n;
}

/* A limit the skill requests, clamped to the ceiling a skill may ask for by itself. */
static uint64_t skill_request(const struct skill *s, const char *key, uint64_t max, uint64_t ceiling) {
        uint64_t v = metadata_uint(s, key, max);
        return v > ceiling ? ceiling : v;
}

/* The prefix of an interpreter installed as <prefix>/bin/<name> outside /usr, or NULL. Nothing for
 * /bin/sh on a split-/usr host (that prefix would be "/", and binding /bin again would undo its
 * noexec), an unknown layout, or a top-level directory such as /opt or /home (too much to show). */
static int interpreter_prefix(const char *interpreter, char **ret) {
        *ret = NULL;
        if (under_usr(interpreter))
                return 0;
        _cleanup_free_ char *dir = strdup(interpreter);
        if (!dir)
                return -ENOMEM;
        char *slash = strrchr(dir, '/');
        if (!slash)
                return 0;
        *slash = '\0'; /* <prefix>/bin */
        slash = strrchr(dir, '/');
        if (!slash || slash == dir || !streq(slash + 1, "bin"))
                return 0;
        *slash = '\0';
        if (!strchr(dir + 1, '/'))
                return 0;
        *ret = TAKE_PTR(dir);
        return 0;
}

static const char *const FILE_RW_DEVICES[] = { "/dev/null", "/dev/zero", "/dev/full" };
static const char *const FILE_RO_DEVICES[] = { "/dev/random", "/dev/urandom" };
/* Where executables live: mounted noexec so that `ld.so /usr/bin/sh` cannot map them. */
static const char *const BINARY_DIRS[] = { "/usr/bin", "/usr/sbin", "/usr/local/bin",
                                           "/usr/local/sbin", "/usr/libexec", "/usr/games" };

static const char STUB_PASSWD[] = "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                  "sandbox:x:1000:1000:sandbox:/sandbox/home:/usr/sbin/nologin\n"
                                  "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
static const char STUB_GROUP[] = "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n";
static const char STUB_HOSTS[] = "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost\n";
static const char STUB_NSSWITCH[] = "passwd: files\ngroup: files\nhosts: files\n";

/* The run's interpreter or one of its declared tools is the host's Python. */
static bool may_run_python(const struct host_caps *host, const char *interpreter, char *const *tools) {
        if (!host->python)
                return false;
        if (interpreter && streq(interpreter, host->python))
                return true;
        for (char *const *t = tools; t && *t; t++)
                if (streq(*t, host->python))
                        return true;
        return false;
}

static int plan_filesystem(struct sandbox_plan *p, const struct host_caps *host,
                           const char *interpreter, const struct run_options *o) {
        char *const *tools = o->tools;
        const unsigned ro = MNT_F_RDONLY | MNT_F_NODEV;
        if (host->lib_exec_dirs && host->lib_exec_dirs[0]) {
                /* All of /usr is noexec: programs live in bin dirs but also under /usr/lib
                 * (git-core, gcc, jvm, systemd...) where the loader could map them. Executable
                 * again: the directories shared libraries and interpreter modules are mapped
                 * from, and (below) the interpreter and each declared tool, file by file. */
                TRY(add_mount(p, MOUNT_BIND, "/usr", "/usr", ro | MNT_F_NOEXEC, 0, 0));
                for (char **d = host->lib_exec_dirs; *d; d++)
                        TRY(add_mount(p, MOUNT_BIND, *d, *d, ro | MNT_F_OPTIONAL, 0, 0));
                /* Python's module dirs only when Python may run: not for a shell or Node skill
                 * (three mounts fewer, and fewer files it could map executable). */
                if (may_run_python(host, interpreter, tools))
                        for (char **d = host->python_lib_dirs; d && *d; d++)
                                TRY(add_mount(p, MOUNT_BIND, *d, *d, ro | MNT_F_OPTIONAL, 0, 0));
        } else {
                /* Library layout unknown: keep /usr executable, the program dirs noexec. */
                TRY(add_mount(p, MOUNT_BIND, "/usr", "/usr", ro, 0, 0));
                for (size_t i = 0; i < ELEMENTSOF(BINARY_DIRS); i++)
                        TRY(add_mount(p, MOUNT_BIND, BINARY_DIRS[i], BINARY_DIRS[i],
                                      ro | MNT_F_NOEXEC | MNT_F_OPTIONAL, 0, 0));
        }
        if (host->merged_usr) {
                TRY(add_mount(p, MOUNT_SYMLINK, "usr/bin", "/bin", 0, 0, 0));
                TRY(add_mount(p, MOUNT_SYMLINK, "usr/sbin", "/sbin", 0, 0, 0));
                TRY(add_mount(p, MOUNT_SYMLINK, "usr/lib", "/lib", 0, 0, 0));
                if (host->has_lib64)
                        TRY(add_mount(p, MOUNT_SYMLINK, "usr/lib64", "/lib64", 0, 0, 0));
        } else {
                TRY(add_mount(p, MOUNT_BIND, "/bin", "/bin", ro | MNT_F_NOEXEC, 0, 0));
                TRY(add_mount(p, MOUNT_BIND, "/sbin", "/sbin", ro | MNT_F_NOEXEC | MNT_F_OPTIONAL, 0, 0));
                TRY(add_mount(p, MOUNT_BIND, "/lib", "/lib", ro, 0, 0));
                TRY(add_mount(p, MOUNT_BIND, "/lib64", "/lib64", ro | MNT_F_OPTIONAL, 0, 0));
        }
        /* An interpreter outside /usr (e.g. /opt/python/bin/python3) brings its prefix along, with
         * the prefix's bin dir noexec like /usr/bin. */
        _cleanup_free_ char *prefix = NULL;
        TRY(interpreter_prefix(interpreter, &prefix));
        if (prefix) {
                _cleanup_free_ char *bin = NULL;
                if (asprintf(&bin, "%s/bin", prefix) < 0)
                        return -ENOMEM;
                TRY(add_mount(p, MOUNT_BIND, prefix, prefix, ro | MNT_F_PREFIX, 0, 0));
                TRY(add_mount(p, MOUNT_BIND, bin, bin, ro | MNT_F_NOEXEC, 0, 0));
        }
        /* Each allowed executable gets its own exec-capable read-only bind over the noexec dir. */
        TRY(add_mount(p, MOUNT_BIND, interpreter, interpreter, ro, 0, 0));
        TRY(strv_push(&p->exec_allowed, interpreter));
        if (host->elf_loader)
                TRY(strv_push(&p->exec_allowed, host->elf_loader));
        for (char *const *t = tools; t && *t; t++) {
                TRY(add_mount(p, MOUNT_BIND, *t, *t, ro, 0, 0));
                TRY(strv_push(&p->exec_allowed, *t));
        }

        TRY(add_mount(p, MOUNT_DIR, NULL, "/etc", 0, 0, 0755));
        TRY(add_mount(p, MOUNT_FILE, STUB_PASSWD, "/etc/passwd", 0, 0, 0644));
        TRY(add_mount(p, MOUNT_FILE, STUB_GROUP, "/etc/group", 0, 0, 0644));
        TRY(add_mount(p, MOUNT_FILE, STUB_HOSTS, "/etc/hosts", 0, 0, 0644));
        TRY(add_mount(p, MOUNT_FILE, SANDBOX_HOSTNAME "\n", "/etc/hostname", 0, 0, 0644));
        TRY(add_mount(p, MOUNT_FILE, STUB_NSSWITCH, "/etc/nsswitch.conf", 0, 0, 0644));
        const unsigned etc = ro | MNT_F_NOEXEC | MNT_F_OPTIONAL;
        TRY(add_mount(p, MOUNT_BIND, "/etc/ld.so.cache", "/etc/ld.so.cache", etc, 0, 0));
        TRY(add_mount(p, MOUNT_BIND, "/etc/localtime", "/etc/localtime", etc, 0, 0));
        TRY(add_mount(p, MOUNT_BIND, "/etc/alternatives", "/etc/alternatives", etc, 0, 0));
        /* HTTPS clients need the system's CA certificates (not /etc/ssl/private). */
        if (p->network.mode == PLAN_NET_PROXY)
                TRY(add_mount(p, MOUNT_BIND, "/etc/ssl/certs", "/etc/ssl/certs", etc, 0, 0));

        if (o->copy_skill) {
                uint64_t size = o->skill_bytes + (uint64_t) o->skill_entries * 4096 + 1024 * 1024;
                TRY(add_mount(p, MOUNT_COPY, p->skill_host_dir, SANDBOX_SKILL_DIR, ro | MNT_F_NOEXEC, size, 0755));
        } else {
                TRY(add_mount(p, MOUNT_BIND, p->skill_host_dir, SANDBOX_SKILL_DIR, ro | MNT_F_NOEXEC, 0, 0));
                TRY(strv_push(&p->warnings, "the skill is too large to copy into the sandbox (over 16 MiB "
                                            "or 2048 files): it is bind-mounted, so its host path is "
                                            "visible in /proc/self/mountinfo"));
        }
        /* Dependency environments. At run time read-only but not noexec: a wheel's native
         * extensions are mmap()ed PROT_EXEC, like Python's own module dirs (python_lib_dirs), while
         * execve() there stays refused by Landlock (no EXECUTE rule; bin/python is a symlink to the
         * allowed interpreter). While one is built: writable and noexec. */
        const unsigned env_flags = o->env_build ? MNT_F_NODEV | MNT_F_NOEXEC : ro;
        if (o->env_python)
                TRY(add_mount(p, MOUNT_BIND, o->env_python, SANDBOX_ENV_PYTHON_DIR, env_flags, 0, 0));
        if (o->env_node)
                TRY(add_mount(p, MOUNT_BIND, o->env_node, SANDBOX_ENV_NODE_DIR, env_flags, 0, 0));
        if (o->env_node && !o->env_build)
                TRY(add_mount(p, MOUNT_SYMLINK, SANDBOX_ENV_NODE_DIR "/node_modules", "/node_modules", 0, 0, 0));
        uint64_t tmp_bytes = (uint64_t) PLAN_DEFAULT_TMP_MB * 1024 * 1024;
        TRY(add_mount(p, MOUNT_TMPFS, NULL, SANDBOX_SCRATCH_DIR, MNT_F_NODEV | MNT_F_NOEXEC, tmp_bytes,
                      0755));
        TRY(add_mount(p, MOUNT_DIR, NULL, SANDBOX_TMP_DIR, 0, 0, 0700));
        TRY(add_mount(p, MOUNT_DIR, NULL, SANDBOX_HOME_DIR, 0, 0, 0700));
        TRY(add_mount(p, MOUNT_DIR, NULL, "/tmp", 0, 0, 0755)); /* exists, not writable */

        TRY(add_mount(p, MOUNT_TMPFS, NULL, "/dev", MNT_F_NOEXEC, 64 * 1024, 0755));
        for (size_t i = 0; i < ELEMENTSOF(FILE_RW_DEVICES); i++)
                TRY(add_mount(p, MOUNT_BIND, FILE_RW_DEVICES[i], FILE_RW_DEVICES[i], MNT_F_NOEXEC, 0, 0));
        for (size_t i = 0; i < ELEMENTSOF(FILE_RO_DEVICES); i++)
                TRY(add_mount(p, MOUNT_BIND, FILE_RO_DEVICES[i], FILE_RO_DEVICES[i],
                              MNT_F_RDONLY | MNT_F_NOEXEC, 0, 0));
        TRY(add_mount(p, MOUNT_SYMLINK, "/proc/self/fd", "/dev/fd", 0, 0, 0));
        TRY(add_mount(p, MOUNT_SYMLINK, "/proc/self/fd/0", "/dev/stdin", 0, 0, 0));
        TRY(add_mount(p, MOUNT_SYMLINK, "/proc/self/fd/1", "/dev/stdout", 0, 0, 0));
        TRY(add_mount(p, MOUNT_SYMLINK, "/proc/self/fd/2", "/dev/stderr", 0, 0, 0));
        /* POSIX semaphores (multiprocessing) live in /dev/shm. */
        TRY(add_mount(p, MOUNT_TMPFS, NULL, "/dev/shm", MNT_F_NODEV | MNT_F_NOEXEC, tmp_bytes, 01777));
        TRY(add_mount(p, MOUNT_PROC, NULL, "/proc", MNT_F_NODEV | MNT_F_NOEXEC, 0, 0));
        return 0;
}

static int plan_landlock(struct sandbox_plan *p, const struct host_caps *host) {
        p->landlock_abi = host->landlock_abi;
        p->landlock_fs_handled = landlock_fs_rights_for_abi(host->landlock_abi);
        const uint64_t rd = LL_FS_READ_FILE | LL_FS_READ_DIR;
        const uint64_t rw = p->landlock_fs_handled & ~(LL_FS_EXECUTE | LL_FS_IOCTL_DEV);
        TRY(add_rule(p, "/usr", rd));
        if (!host->merged_usr) {
                /* split-/usr hosts: the bound top-level dirs (missing ones are skipped) */
                TRY(add_rule(p, "/bin", rd));
                TRY(add_rule(p, "/sbin", rd));
                TRY(add_rule(p, "/lib", rd));
                TRY(add_rule(p, "/lib64", rd));
        }
        TRY(add_rule(p, "/etc", rd));
        TRY(add_rule(p, SANDBOX_SKILL_DIR, rd));
        TRY(add_rule(p, "/proc", rd));
        TRY(add_rule(p, "/dev", rd));
        for (size_t i = 0; i < ELEMENTSOF(FILE_RW_DEVICES); i++)
                TRY(add_rule(p, FILE_RW_DEVICES[i],
                             (LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE) & p->landlock_fs_handled));
        TRY(add_rule(p, "/dev/shm", rw));
        TRY(add_rule(p, SANDBOX_SCRATCH_DIR, rw));
        for (char **e = p->exec_allowed; e && *e; e++)
                TRY(add_rule(p, *e, LL_FS_READ_FILE | LL_FS_EXECUTE));
        /* An interpreter outside /usr (e.g. /opt/python/bin/python3) has its prefix readable. */
        for (size_t i = 0; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND && (p->mounts[i].flags & MNT_F_PREFIX))
                        TRY(add_rule(p, p->mounts[i].target, rd));
        /* Dependency environments: readable; writable (never executable) only while built. */
        for (size_t i = 0; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND && strneq(p->mounts[i].target, SANDBOX_ENV_ROOT "/",
                                                              strlen(SANDBOX_ENV_ROOT "/")))
                        TRY(add_rule(p, p->mounts[i].target, (p->mounts[i].flags & MNT_F_RDONLY) ? rd : rw));
        return 0;
}

static int plan_environment(struct sandbox_plan *p, bool isolated, const char *tmp, const char *home) {
        static const char *const PROXY_VARS[] = { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                                  "http_proxy", "https_proxy", "all_proxy" };
        /* An allowlist, never the host's environment: API keys, tokens, the user's name and
         * paths stay outside. */
        TRY(strv_push(&p->envp, "PATH=/usr/local/bin:/usr/bin:/bin"));
        TRY(strv_pushf(&p->envp, "HOME=%s", home));
        TRY(strv_pushf(&p->envp, "TMPDIR=%s", tmp));
        TRY(strv_push(&p->envp, "LANG=C.UTF-8"));
        TRY(strv_push(&p->envp, "USER=sandbox"));
        TRY(strv_push(&p->envp, "LOGNAME=sandbox"));
        TRY(strv_push(&p->envp, "PYTHONDONTWRITEBYTECODE=1"));
        TRY(strv_push(&p->envp, "PYTHONIOENCODING=utf-8"));
        TRY(strv_pushf(&p->envp, "SKILLLITE_SANDBOX=%d", isolated ? 1 : 0));
        TRY(strv_pushf(&p->envp, "SKILLBOX_SANDBOX=%d", isolated ? 1 : 0));
        TRY(strv_pushf(&p->envp, "SKILLLITE_SKILL_DIR=%s", p->cwd));
        if (p->network.mode == PLAN_NET_NONE)
                TRY(strv_push(&p->envp, "SKILLLITE_NETWORK_DISABLED=1"));
        if (p->network.mode == PLAN_NET_PROXY)
                for (size_t i = 0; i < ELEMENTSOF(PROXY_VARS); i++)
                        TRY(strv_pushf(&p->envp, "%s=%s", PROXY_VARS[i], SANDBOX_PROXY_URL));
        return 0;
}

static int plan_limits(struct sandbox_plan *p, const struct skill *s, const struct run_options *o,
                       const struct host_caps *host) {
        struct plan_limits *l = &p->limits;
        /* What a skill asks for in its metadata is capped (PLAN_SKILL_MAX_*, clamped): a skill cannot
         * grant itself a day of CPU or the whole machine's memory; the user's own settings can. */
        uint64_t timeout = o->timeout_secs ?: skill_request(s, "skilllite.timeout", PLAN_MAX_TIMEOUT_SECS,
                                                            PLAN_SKILL_MAX_TIMEOUT_SECS)
                                          ?: PLAN_DEFAULT_TIMEOUT_SECS;
        uint64_t mem = o->memory_mb ?: skill_request(s, "skilllite.memory", PLAN_MAX_MEMORY_MB,
                                                     PLAN_SKILL_MAX_MEMORY_MB)
                                    ?: PLAN_DEFAULT_MEMORY_MB;
        uint64_t procs = o->max_procs ?: skill_request(s, "skilllite.processes", PLAN_MAX_PROCS,
                                                       PLAN_SKILL_MAX_PROCS)
                                      ?: PLAN_DEFAULT_MAX_PROCS;
        l->timeout_ms = timeout * 1000;
        l->memory_bytes = mem * 1024 * 1024;
        l->max_procs = procs;
        l->output_max = o->output_max ?: PLAN_DEFAULT_OUTPUT_MAX;
        l->nofile = PLAN_DEFAULT_NOFILE;
        l->fsize_bytes = (uint64_t) PLAN_DEFAULT_FSIZE_MB * 1024 * 1024;
        l->cpu_secs = timeout + 1;
        bool cg = p->isolated && host->cgroup != CGROUP_NONE;
        l->cgroup_memory = cg && host->cg_memory;
        l->cgroup_pids = cg && host->cg_pids;
        l->cgroup_cpu = cg && host->cg_cpu;
        /* Without a memory cgroup each process has its own RLIMIT_DATA; when the skill may fork,
         * the run's budget is split so that all of them together stay within it. */
        l->data_bytes = l->memory_bytes;
        if (p->isolated && !l->cgroup_memory && p->seccomp.allow_process_creation && l->max_procs > 1)
                l->data_bytes = l->memory_bytes / l->max_procs;
        /* Level 1 has no cgroup leaf and no RLIMIT_NPROC; its own warning says so. */
        if (p->isolated && !l->cgroup_memory)
                TRY(strv_push(&p->warnings, "no memory cgroup controller available: memory is limited "
                                            "per process with RLIMIT_DATA instead of for the whole run"));
        if (p->isolated && !l->cgroup_pids)
                TRY(strv_push(&p->warnings, "no pids cgroup controller available: processes are "
                                            "limited with RLIMIT_NPROC instead"));
        return 0;
}

/* Grants: the skill's declared skilllite.network, then --allow-network=DOMAINS; none at all with
 * --no-network. Private destinations only ever by the user's flag, never by the skill. */
static int plan_network(struct sandbox_plan *p, const struct skill *s, const struct run_options *o,
                        struct error *err) {
        struct plan_network *n = &p->network;
        n->max_bytes = o->net_max_bytes ? o->net_max_bytes * 1024 * 1024 : PLAN_DEFAULT_NET_MAX_BYTES;
        n->max_conns = o->net_max_conns ? (uint32_t) o->net_max_conns : PLAN_DEFAULT_NET_MAX_CONNS;
        n->max_requests = PLAN_DEFAULT_NET_MAX_REQUESTS;
        n->idle_secs = o->net_idle_secs ? (uint32_t) o->net_idle_secs : PLAN_DEFAULT_NET_IDLE_SECS;
        n->allow_private = o->allow_private_network;
        if (!p->isolated) {
                n->mode = PLAN_NET_HOST;
                if (o->network_flag || (s && skill_metadata_get(s, "skilllite.network")))
                        TRY(strv_push(&p->warnings, "sandbox level 1: network grants are not enforced; the "
                                                    "skill has the host's whole network"));
                return 0;
        }
        if (o->no_network)
                return 0;
        const char *declared = s ? skill_metadata_get(s, "skilllite.network") : NULL;
        int r = net_grants_parse(&n->grants, declared, "skilllite.network", err);
        if (r < 0)
                return r;
        r = net_grants_parse(&n->grants, o->network_extra, "--allow-network", err);
        if (r < 0)
                return r;
        if (o->network_flag && !o->network_extra && n->grants.n == 0)
                return error_set(err, -EINVAL, "--allow-network without a list grants what the skill "
                                 "declares (metadata skilllite.network), and '%s' declares nothing; "
                                 "use --allow-network=HOST[,HOST...]", s ? s->name : "the skill");
        bool any_allow = false;
        for (size_t i = 0; i < n->grants.n; i++)
                any_allow |= !n->grants.rules[i].deny;
        if (!any_allow)
                return 0; /* only deny rules (or nothing): no network */
        n->mode = PLAN_NET_PROXY;
        n->open = net_grants_open(&n->grants);
        if (n->open)
                TRY(strv_push(&p->warnings, "network: '*' is granted: the skill may reach any host name on "
                                            "the internet through the proxy (private and loopback addresses "
                                            "stay refused)"));
        if (n->allow_private)
                TRY(strv_push(&p->warnings, "network: --allow-private-network: granted hosts may resolve to "
                                            "loopback, private, link-local and metadata addresses (this "
                                            "host's own services included)"));
        return 0;
}

static int build(struct sandbox_plan *p, const struct skill *s, const struct run_options *o,
                 const struct host_caps *host, struct error *err) {
        const char *script = o->script ? o->script : s->entry_point;
        enum skill_language lang = s->language;
        if (o->bash_command)
                lang = SKILL_LANG_SHELL;
        else if (o->script) {
                /* exec: any script inside the skill; the caller resolved it beneath the skill dir
                 * and detected its language. Listed scripts are known without that step. */
                lang = o->script_language;
                for (size_t i = 0; lang == SKILL_LANG_NONE && i < s->n_scripts; i++)
                        if (streq(s->scripts[i].path, o->script))
                                lang = s->scripts[i].language;
                if (lang == SKILL_LANG_NONE || !path_is_safe_relative(o->script))
                        return error_set(err, -EINVAL, "script '%s' is not a Python, JavaScript or shell "
                                         "script inside the skill", o->script);
        } else if (!script) {
                if (s->kind == SKILL_KIND_PROMPT_ONLY)
                        return error_set(err, -EINVAL, "skill '%s' is prompt-only: it has no script to run",
                                         s->name);
                if (s->kind == SKILL_KIND_BASH_TOOL)
                        return error_set(err, -EINVAL, "skill '%s' is a bash-tool skill: run its commands "
                                         "with 'skilllite bash <skill-dir> \"<command>\"'", s->name);
                return error_set(err, -EINVAL, "skill '%s' has no default entry point; use 'skilllite "
                                 "exec <skill-dir> <script>' or set entry_point", s->name);
        }
        const char *interpreter = interpreter_for(lang, host);
        if (!interpreter)
                return error_set(err, -ENOENT, "no %s interpreter found on this host",
                                 skill_language_to_string(lang) ? skill_language_to_string(lang) : "script");

        p->isolated = p->level >= 2;
        p->root_mode = host->is_root;
        p->skill_host_dir = strdup(s->dir);
        p->cwd = strdup(p->isolated ? SANDBOX_SKILL_DIR : s->dir);
        if (!p->skill_host_dir || !p->cwd)
                return -ENOMEM;

        if (lang == SKILL_LANG_PYTHON && o->env_python && !o->env_build)
                /* the venv's bin/python (a symlink to the interpreter) makes its site-packages
                 * the interpreter's; exec checks apply to the interpreter it resolves to */
                TRY(strv_pushf(&p->argv, "%s/bin/python", p->isolated ? SANDBOX_ENV_PYTHON_DIR : o->env_python));
        else
                TRY(strv_push(&p->argv, interpreter));
        if (o->bash_command) {
                TRY(strv_push(&p->argv, "-c"));
                TRY(strv_push(&p->argv, o->bash_command));
        } else {
                if (lang == SKILL_LANG_PYTHON && !o->python_teardown && !o->env_build) {
                        TRY(strv_push(&p->argv, "-c"));
                        TRY(strv_push(&p->argv, PYTHON_BOOT));
                }
                TRY(strv_pushf(&p->argv, "%s/%s", p->cwd, script));
        }

        p->seccomp.allow_process_creation = lang == SKILL_LANG_SHELL || (o->tools && o->tools[0]) ||
                                            o->tools_imply_processes ||
                                            metadata_uint(s, "skilllite.processes", PLAN_MAX_PROCS) > 0 ||
                                            o->max_procs > 0;
        p->seccomp.memfd_noexec_only = !host->is_root;
        int r = plan_network(p, s, o, err);
        if (r < 0)
                return r;
        p->seccomp.allow_inet = p->network.mode == PLAN_NET_PROXY;

        if (p->isolated) {
                TRY(plan_filesystem(p, host, interpreter, o));
                TRY(plan_landlock(p, host));
                TRY(plan_environment(p, true, SANDBOX_TMP_DIR, SANDBOX_HOME_DIR));
        } else {
                /* Level 1: the run's private host temp dir is filled in by the runner. */
                TRY(plan_environment(p, false, "@TMPDIR@", "@TMPDIR@"));
                if (o->env_node) /* no /node_modules on the host: point Node at the environment */
                        TRY(strv_pushf(&p->envp, "NODE_PATH=%s/node_modules", o->env_node));
                TRY(strv_push(&p->warnings, "sandbox level 1: the skill runs WITHOUT isolation "
                                            "(only a clean environment, rlimits and a timeout)"));
        }
        TRY(plan_limits(p, s, o, host));
        if (p->isolated && host->landlock_abi < 4)
                TRY(strv_push(&p->warnings, "Landlock ABI < 4: TCP is restricted by seccomp and the "
                                            "empty network namespace only"));
        return 0;
}

int sandbox_plan_build(const struct skill *skill, const struct run_options *opts,
                       const struct host_caps *host, struct sandbox_plan **ret, struct error *err) {
        struct sandbox_plan *p = calloc(1, sizeof(*p));
        if (!p)
                return error_set(err, -ENOMEM, "out of memory");
        p->level = opts->level ? opts->level : 3;
        int r = build(p, skill, opts, host, err);
        if (r < 0) {
                sandbox_plan_free(p);
                return err && err->code ? err->code : error_set(err, r, "building the sandbox plan: %s",
                                                                strerror(-r));
        }
        *ret = p;
        return 0;
}
