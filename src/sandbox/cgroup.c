/* cgroup leaves for runs. */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/path.h"

static int write_file_str(const char *dir, const char *file, const char *value) {
        _cleanup_free_ char *p = path_join(dir, file);
        if (!p)
                return -ENOMEM;
        _cleanup_close_ int fd = open(p, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        return write_all(fd, value, strlen(value));
}

static int read_u64_file(const char *dir, const char *file, uint64_t *ret) {
        _cleanup_free_ char *p = path_join(dir, file);
        _cleanup_free_ char *text = NULL;
        if (!p)
                return -ENOMEM;
        int r = read_file_at_bounded(AT_FDCWD, p, 64, &text, NULL);
        if (r < 0)
                return r;
        char *end = NULL;
        *ret = strtoull(text, &end, 10);
        return end != text ? 0 : -EINVAL;
}

/* The value of "key N" in a flat-keyed file such as memory.events or pids.events. */
static uint64_t read_keyed(const char *dir, const char *file, const char *key) {
        _cleanup_free_ char *p = path_join(dir, file);
        _cleanup_free_ char *text = NULL;
        if (!p || read_file_at_bounded(AT_FDCWD, p, 4096, &text, NULL) < 0)
                return 0;
        size_t n = strlen(key);
        for (char *line = text; line && *line;) {
                char *eol = strchr(line, '\n');
                if (strneq(line, key, n) && line[n] == ' ')
                        return strtoull(line + n + 1, NULL, 10);
                line = eol ? eol + 1 : NULL;
        }
        return 0;
}

/* Leaves of engines that were killed before they could clean up (SIGKILL, power loss) are
 * removed by the next run: their name carries the engine's pid. */
static void sweep_stale_leaves(const char *parent) {
        DIR *d = opendir(parent);
        if (!d)
                return;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strneq(de->d_name, "skilllite-", 10))
                        continue;
                long pid = strtol(de->d_name + 10, NULL, 10);
                if (pid > 0 && kill((pid_t) pid, 0) < 0 && errno == ESRCH)
                        (void) unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR); /* fails if in use */
        }
        closedir(d);
}

static char *make_leaf(const char *parent, struct error *err) {
        static unsigned counter;
        char name[64];
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(name, sizeof(name), "skilllite-%d-%u-%ld", (int) getpid(), counter++, (long) ts.tv_nsec);
        sweep_stale_leaves(parent);
        char *dir = path_join(parent, name);
        if (!dir) {
                error_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        if (mkdir(dir, 0755) < 0) {
                error_set(err, -errno, "creating cgroup %s: %s", dir, strerror(errno));
                free(dir);
                return NULL;
        }
        return dir;
}

int run_cgroup_create(struct run_cgroup *cg, const struct host_caps *host,
                      const struct plan_limits *l, struct error *err) {
        if (!l->cgroup_memory && !l->cgroup_pids && !l->cgroup_cpu)
                return 0;
        cg->mode = host->cgroup;
        char num[32];
        int r = 0;
        if (cg->mode == CGROUP_V2) {
                cg->memory_dir = make_leaf(host->cg_memory_dir, err);
                if (!cg->memory_dir)
                        return err->code;
                cg->pids_dir = strdup(cg->memory_dir);
                cg->cpu_dir = strdup(cg->memory_dir);
                if (!cg->pids_dir || !cg->cpu_dir)
                        return error_set(err, -ENOMEM, "out of memory");
                if (l->cgroup_memory) {
                        snprintf(num, sizeof(num), "%" PRIu64, l->memory_bytes);
                        r = r ?: write_file_str(cg->memory_dir, "memory.max", num);
                        int s = r ? 0 : write_file_str(cg->memory_dir, "memory.swap.max", "0");
                        if (s < 0 && s != -ENOENT)
                                r = s;
                }
                if (l->cgroup_pids) {
                        snprintf(num, sizeof(num), "%" PRIu64, l->max_procs);
                        r = r ?: write_file_str(cg->pids_dir, "pids.max", num);
                }
                if (l->cgroup_cpu)
                        r = r ?: write_file_str(cg->cpu_dir, "cpu.max", "100000 100000");
                if (r == 0) {
                        cg->v2_dir_fd = open(cg->memory_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (cg->v2_dir_fd < 0)
                                r = -errno;
                }
        } else {
                if (l->cgroup_memory) {
                        cg->memory_dir = make_leaf(host->cg_memory_dir, err);
                        if (!cg->memory_dir)
                                return err->code;
                        snprintf(num, sizeof(num), "%" PRIu64, l->memory_bytes);
                        r = r ?: write_file_str(cg->memory_dir, "memory.limit_in_bytes", num);
                        /* Without a swap limit the cgroup would page out instead of failing; the
                         * file is absent when swap accounting is off (then there is nothing to cap). */
                        int s = write_file_str(cg->memory_dir, "memory.memsw.limit_in_bytes", num);
                        if (s < 0 && s != -ENOENT && s != -EACCES && r == 0)
                                r = s;
                }
                if (r == 0 && l->cgroup_pids) {
                        cg->pids_dir = make_leaf(host->cg_pids_dir, err);
                        if (!cg->pids_dir)
                                return err->code;
                        snprintf(num, sizeof(num), "%" PRIu64, l->max_procs);
                        r = write_file_str(cg->pids_dir, "pids.max", num);
                }
                if (r == 0 && l->cgroup_cpu) {
                        cg->cpu_dir = make_leaf(host->cg_cpu_dir, err);
                        if (!cg->cpu_dir)
                                return err->code;
                        r = write_file_str(cg->cpu_dir, "cpu.cfs_period_us", "100000");
                        r = r ?: write_file_str(cg->cpu_dir, "cpu.cfs_quota_us", "100000");
                        if (host->cg_cpuacct_in_cpu)
                                cg->cpuacct_dir = strdup(cg->cpu_dir);
                }
                /* The run's CPU time survives a SIGKILL of pid 1 only in the cgroup. */
                if (r == 0 && host->cg_cpuacct_dir) {
                        cg->cpuacct_dir = make_leaf(host->cg_cpuacct_dir, err);
                        if (!cg->cpuacct_dir)
                                return err->code;
                }
        }
        if (r < 0)
                return error_set(err, r, "setting cgroup limits: %s", strerror(-r));
        return 0;
}

int run_cgroup_attach(struct run_cgroup *cg, pid_t pid, struct error *err) {
        if (cg->mode != CGROUP_V1)
                return 0;
        char num[32];
        snprintf(num, sizeof(num), "%d", (int) pid);
        const char *dirs[] = { cg->memory_dir, cg->pids_dir, cg->cpu_dir, cg->cpuacct_dir };
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                if (!dirs[i] || (i == 3 && cg->cpu_dir && streq(dirs[i], cg->cpu_dir)))
                        continue;
                int r = write_file_str(dirs[i], "cgroup.procs", num);
                if (r < 0)
                        return error_set(err, r, "joining cgroup %s: %s", dirs[i], strerror(-r));
        }
        return 0;
}

void run_cgroup_usage(const struct run_cgroup *cg, struct cgroup_usage *u) {
        *u = (struct cgroup_usage) { 0 };
        if (cg->mode == CGROUP_V2) {
                if (read_u64_file(cg->memory_dir, "memory.peak", &u->peak_memory_bytes) < 0)
                        u->peak_memory_bytes = 0;
                u->oom_killed = read_keyed(cg->memory_dir, "memory.events", "oom_kill") > 0;
                u->pids_limited = read_keyed(cg->pids_dir, "pids.events", "max") > 0;
                _cleanup_free_ char *p = path_join(cg->memory_dir, "cpu.stat");
                u->have_cpu = p && access(p, R_OK) == 0;
                u->cpu_us = u->have_cpu ? read_keyed(cg->memory_dir, "cpu.stat", "usage_usec") : 0;
        } else if (cg->mode == CGROUP_V1) {
                uint64_t ns = 0;
                if (cg->cpuacct_dir && read_u64_file(cg->cpuacct_dir, "cpuacct.usage", &ns) == 0) {
                        u->have_cpu = true;
                        u->cpu_us = ns / 1000;
                }
                if (cg->memory_dir) {
                        if (read_u64_file(cg->memory_dir, "memory.max_usage_in_bytes", &u->peak_memory_bytes) < 0)
                                u->peak_memory_bytes = 0;
                        u->oom_killed = read_keyed(cg->memory_dir, "memory.oom_control", "oom_kill") > 0;
                }
                if (cg->pids_dir)
                        u->pids_limited = read_keyed(cg->pids_dir, "pids.events", "max") > 0;
        }
}

/* rmdir fails with EBUSY until the last task is gone; exited tasks leave within microseconds
 * once reaped, so a short bounded retry is enough. */
static void remove_leaf(char *dir) {
        if (!dir)
                return;
        for (int i = 0; i < 200; i++) {
                if (rmdir(dir) == 0 || errno == ENOENT)
                        break;
                if (errno != EBUSY)
                        break;
                struct timespec ts = { 0, 1000 * 1000 };
                nanosleep(&ts, NULL);
        }
}

void run_cgroup_destroy(struct run_cgroup *cg) {
        if (cg->mode == CGROUP_V2 && cg->memory_dir)
                (void) write_file_str(cg->memory_dir, "cgroup.kill", "1");
        remove_leaf(cg->memory_dir);
        if (cg->mode == CGROUP_V1) {
                remove_leaf(cg->pids_dir);
                remove_leaf(cg->cpu_dir);
                if (cg->cpuacct_dir && !(cg->cpu_dir && streq(cg->cpuacct_dir, cg->cpu_dir)))
                        remove_leaf(cg->cpuacct_dir);
        }
        free(cg->memory_dir);
        free(cg->pids_dir);
        free(cg->cpu_dir);
        free(cg->cpuacct_dir);
        safe_close(cg->v2_dir_fd);
        *cg = (struct run_cgroup) RUN_CGROUP_INIT;
}
