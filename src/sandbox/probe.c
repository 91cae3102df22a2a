/* Host capability probes. Each reads a few small files or makes one syscall. */
#include "probe.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../sys/fault.h"
#include "../sys/landlock.h"

static const char *const SANDBOX_PATH[] = { "/usr/local/bin", "/usr/bin", "/bin" };

char *host_find_executable(const char *name) {
        if (!name || !*name)
                return NULL;
        if (name[0] == '/')
                return access(name, X_OK) == 0 ? realpath(name, NULL) : NULL;
        if (strchr(name, '/'))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(SANDBOX_PATH); i++) {
                _cleanup_free_ char *p = path_join(SANDBOX_PATH[i], name);
                struct stat st;
                if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
                        return realpath(p, NULL);
        }
        return NULL;
}

char *host_elf_interpreter(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return NULL;
        Elf64_Ehdr eh;
        if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t) sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
            eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 64)
                return NULL;
        for (int i = 0; i < eh.e_phnum; i++) {
                Elf64_Phdr ph;
                if (pread(fd, &ph, sizeof(ph), (off_t) (eh.e_phoff + (uint64_t) i * sizeof(ph))) !=
                    (ssize_t) sizeof(ph))
                        return NULL;
                if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz >= PATH_MAX)
                        continue;
                char interp[PATH_MAX];
                if (pread(fd, interp, ph.p_filesz, (off_t) ph.p_offset) != (ssize_t) ph.p_filesz)
                        return NULL;
                interp[ph.p_filesz] = '\0';
                return realpath(interp, NULL);
        }
        return NULL;
}

bool host_probe_userns(void) {
        if (sys_fault_injected("userns"))
                return false;
        pid_t pid = fork();
        if (pid < 0)
                return false;
        if (pid == 0)
                _exit(unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET) == 0 ? 0 : 1);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The line "N:controller[,controller]:/path" of /proc/self/cgroup for a v1 controller, or
 * "0::/path" for v2 (controller NULL). */
static char *own_cgroup_path(const char *cgroup_file, const char *controller) {
        size_t n = strlen(cgroup_file);
        const char *p = cgroup_file;
        while (p < cgroup_file + n) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p);
                const char *c1 = memchr(p, ':', len);
                const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t) (c1 + 1 - p)) : NULL;
                if (c1 && c2) {
                        size_t clen = (size_t) (c2 - c1 - 1);
                        bool match = false;
                        if (!controller)
                                match = clen == 0 && strneq(p, "0:", 2);
                        else {
                                /* the list may hold several, e.g. "cpu,cpuacct" */
                                const char *q = c1 + 1;
                                while (q < c2) {
                                        const char *comma = memchr(q, ',', (size_t) (c2 - q));
                                        const char *e = comma ? comma : c2;
                                        if ((size_t) (e - q) == strlen(controller) &&
                                            strneq(q, controller, strlen(controller)))
                                                match = true;
                                        q = e + 1;
                                }
                        }
                        if (match)
                                return strndup(c2 + 1, len - (size_t) (c2 + 1 - p));
                }
                if (!eol)
                        break;
                p = eol + 1;
        }
        return NULL;
}

static char *usable_cgroup_dir(const char *mount_point, const char *rel) {
        _cleanup_free_ char *dir = path_join(mount_point, rel);
        if (!dir)
                return NULL;
        struct stat st;
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) < 0)
                return NULL;
        return TAKE_PTR(dir);
}

static bool word_in(const char *list, const char *word) {
        size_t n = strlen(word);
        for (const char *p = list; (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
                        return true;
        return false;
}

static void probe_cgroups(struct host_caps *h) {
        if (sys_fault_injected("cgroup"))
                return;
        _cleanup_free_ char *self = NULL;
        if (read_file_at_bounded(AT_FDCWD, "/proc/self/cgroup", 65536, &self, NULL) < 0)
                return;
        /* cgroup v2 with delegated controllers: our cgroup's subtree_control must list them. */
        _cleanup_free_ char *v2 = own_cgroup_path(self, NULL);
        if (v2) {
                static const char *const mounts[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
                for (size_t i = 0; i < ELEMENTSOF(mounts); i++) {
                        _cleanup_free_ char *dir = usable_cgroup_dir(mounts[i], v2);
                        _cleanup_free_ char *ctl_path = dir ? path_join(dir, "cgroup.subtree_control") : NULL;
                        _cleanup_free_ char *ctl = NULL;
                        if (!ctl_path || read_file_at_bounded(AT_FDCWD, ctl_path, 4096, &ctl, NULL) < 0)
                                continue;
                        bool mem = word_in(ctl, "memory"), pids = word_in(ctl, "pids"), cpu = word_in(ctl, "cpu");
                        if (!mem && !pids)
                                continue;
                        h->cgroup = CGROUP_V2;
                        h->cg_memory = mem, h->cg_pids = pids, h->cg_cpu = cpu;
                        h->cg_memory_dir = strdup(dir);
                        h->cg_pids_dir = strdup(dir);
                        h->cg_cpu_dir = strdup(dir);
                        return;
                }
        }
        /* cgroup v1: one hierarchy per controller. */
        static const struct {
                const char *name;
                const char *mount;
        } v1[] = { { "memory", "/sys/fs/cgroup/memory" }, { "pids", "/sys/fs/cgroup/pids" },
                   { "cpu", "/sys/fs/cgroup/cpu" }, { "cpuacct", "/sys/fs/cgroup/cpuacct" } };
        char *dirs[4] = { NULL, NULL, NULL, NULL };
        for (size_t i = 0; i < ELEMENTSOF(v1); i++) {
                _cleanup_free_ char *rel = own_cgroup_path(self, v1[i].name);
                if (rel)
                        dirs[i] = usable_cgroup_dir(v1[i].mount, rel);
        }
        if (dirs[0] || dirs[1]) {
                h->cgroup = CGROUP_V1;
                h->cg_memory = dirs[0], h->cg_pids = dirs[1], h->cg_cpu = dirs[2];
                h->cg_memory_dir = dirs[0];
                h->cg_pids_dir = dirs[1];
                h->cg_cpu_dir = dirs[2];
                /* accounting only (CPU time of the run); co-mounted with cpu it is the same dir */
                if (dirs[3] && dirs[2]) {
                        _cleanup_free_ char *a = realpath(dirs[2], NULL), *b = realpath(dirs[3], NULL);
                        if (a && b && streq(a, b)) {
                                free(dirs[3]);
                                dirs[3] = NULL;
                                h->cg_cpuacct_in_cpu = true;
                        }
                }
                h->cg_cpuacct_dir = dirs[3];
        } else {
                free(dirs[2]);
                free(dirs[3]);
        }
}

static char *interpreter_from_env(const char *var, const char *const *names) {
        const char *v = getenv(var);
        if (v && *v)
                return host_find_executable(v);
        for (; *names; names++) {
                char *p = host_find_executable(*names);
                if (p)
                        return p;
        }
        return NULL;
}

static int push_dir(char ***v, size_t *n, const char *dir) {
        struct stat st;
        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                return 0;
        for (size_t i = 0; i < *n; i++)
                if (streq((*v)[i], dir))
                        return 0;
        return strv_pushn(v, n, dir, strlen(dir));
}

/* The loader's own (multiarch) directory: shared libraries are mapped executable from it. */
static char **lib_exec_dirs(const struct host_caps *h) {
        char **v = NULL;
        size_t n = 0;
        if (!h->elf_loader)
                return NULL;
        _cleanup_free_ char *dir = strdup(h->elf_loader);
        char *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash) {
                *slash = '\0';
                if (push_dir(&v, &n, dir) < 0) {
                        strv_free(v);
                        return NULL;
                }
        }
        return v;
}

/* Python's module directories (its extension modules are mapped executable):
 * python3.11 -> /usr/lib/python3.11, /usr/local/lib/python3.11, /usr/lib/python3 */
static char **python_lib_dirs(const struct host_caps *h) {
        char **v = NULL;
        size_t n = 0;
        const char *py = h->python ? strrchr(h->python, '/') : NULL;
        if (!py || !strneq(py + 1, "python3", 7))
                return NULL;
        char dir[128];
        snprintf(dir, sizeof(dir), "/usr/lib/%s", py + 1);
        int r = push_dir(&v, &n, dir);
        snprintf(dir, sizeof(dir), "/usr/local/lib/%s", py + 1);
        r = r ?: push_dir(&v, &n, dir);
        r = r ?: push_dir(&v, &n, "/usr/lib/python3");
        if (r < 0) {
                strv_free(v);
                return NULL;
        }
        return v;
}

int host_probe(struct host_caps *h) {
        *h = (struct host_caps) { 0 };
        h->is_root = geteuid() == 0;
        h->userns = !sys_fault_injected("userns");
        int abi = sys_landlock_abi();
        h->landlock_abi = abi > 0 ? abi : 0;
        h->seccomp = !sys_fault_injected("seccomp") && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
        struct stat st;
        h->merged_usr = lstat("/bin", &st) == 0 && S_ISLNK(st.st_mode);
        h->has_lib64 = lstat("/lib64", &st) == 0;
        static const char *const py[] = { "/usr/bin/python3", "python3", NULL };
        static const char *const node[] = { "node", "nodejs", NULL };
        static const char *const sh[] = { "bash", "sh", NULL };
        h->python = interpreter_from_env("SKILLLITE_PYTHON", py);
        h->node = interpreter_from_env("SKILLLITE_NODE", node);
        h->shell = interpreter_from_env("SKILLLITE_SHELL", sh);
        const char *any = h->python ? h->python : h->shell ? h->shell : "/bin/sh";
        h->elf_loader = host_elf_interpreter(any);
        h->lib_exec_dirs = lib_exec_dirs(h);
        h->python_lib_dirs = python_lib_dirs(h);
        probe_cgroups(h);
        return 0;
}
