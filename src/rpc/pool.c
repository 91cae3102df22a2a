/* The warm pool (pool.h).
 *
 * Keys are the full argv of a run (options, skill directory) without the input. A key becomes
 * hot on its first miss; it then keeps `per_key` warm children until it has been idle for
 * idle_ms. A warm child that exits before it was used (a refused skill, a crash at import) puts
 * its key on a back-off, so a skill that cannot start is not restarted in a loop.
 *
 * Integrity: the warm child did the full check when it started. What it holds is what was
 * approved then; before handing it out, the pool re-reads the skill directory's stat fingerprint
 * (inode, size, mode, mtime and ctime of every entry: ctime cannot be set back by a user), and a
 * change discards every warm child of that key, so the request runs fresh and is checked again.
 *
 * Memory: every second the resident memory of each warm child's process tree (the run process,
 * the sandbox's pid 1 and the skill) is summed from /proc; over the cap, the least recently used
 * keys lose their warm children. */
#include "pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/envnum.h"
#include "../base/log.h"
#include "../base/macros.h"
#include "../base/strv.h"

#define POOL_TICK_MS 1000
#define POOL_BACKOFF_MS 30000
#define FP_MAX_ENTRIES 4096
#define FP_MAX_DEPTH 16
#define TREE_MAX_PIDS 64

struct pkey {
        char *key;
        char **argv;      /* the run's argv with --input-after-start */
        char *dir;        /* the skill directory (fingerprinted) */
        uint64_t last_used, backoff_until;
        unsigned warm;    /* children started for it and not yet taken */
        size_t rss_each;  /* the most one of its warm children was seen to hold (0: not yet) */
        struct pkey *next;
};

struct warm {
        struct pool *p;
        struct pkey *k;
        pid_t pid;
        int pidfd, in_w, out_r, err_r;
        uint64_t fp;
        size_t rss;
        struct warm *next;
};

struct pool {
        struct loop *loop;
        char *self_exe;
        char **envp;
        unsigned per_key, total;
        size_t memory_cap;
        uint64_t idle_ms;
        struct pkey *keys;
        struct warm *warm;
        size_t n_warm, hits, misses, memory;
        struct loop_timer *tick;
};

/* FNV-1a over the stat fields of every entry, in directory order (stable while unchanged). */
static void fp_mix(uint64_t *h, const void *data, size_t n) {
        const unsigned char *p = data;
        for (size_t i = 0; i < n; i++)
                *h = (*h ^ p[i]) * 1099511628211ULL;
}

static int fp_walk(int dfd, unsigned depth, unsigned *entries, uint64_t *h) {
        if (depth > FP_MAX_DEPTH)
                return -ELOOP;
        DIR *d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return -errno;
        }
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (++*entries > FP_MAX_ENTRIES) {
                        r = -E2BIG;
                        break;
                }
                struct stat st;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        r = -errno;
                        break;
                }
                fp_mix(h, de->d_name, strlen(de->d_name) + 1);
                uint64_t f[] = { st.st_ino, (uint64_t) st.st_size, st.st_mode,
                                 (uint64_t) st.st_mtim.tv_sec, (uint64_t) st.st_mtim.tv_nsec,
                                 (uint64_t) st.st_ctim.tv_sec, (uint64_t) st.st_ctim.tv_nsec };
                fp_mix(h, f, sizeof(f));
                if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0 || (r = fp_walk(sub, depth + 1, entries, h)) < 0) {
                                r = r < 0 ? r : -errno;
                                break;
                        }
                }
        }
        closedir(d);
        return r;
}

/* 0 when the directory cannot be read: never equal to a real fingerprint's use (see take). */
static uint64_t fingerprint(const char *dir) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        struct stat st;
        uint64_t h = 14695981039346656037ULL;
        if (fstat(fd, &st) == 0) {
                uint64_t f[] = { st.st_ino, st.st_mode, (uint64_t) st.st_mtim.tv_sec, (uint64_t) st.st_mtim.tv_nsec,
                                 (uint64_t) st.st_ctim.tv_sec, (uint64_t) st.st_ctim.tv_nsec };
                fp_mix(&h, f, sizeof(f));
        }
        unsigned entries = 0;
        if (fp_walk(fd, 0, &entries, &h) < 0)
                return 0;
        return h ? h : 1;
}

/* Resident bytes of pid and its descendants (through /proc/<pid>/task/<tid>/children). */
static size_t tree_rss(pid_t root) {
        pid_t todo[TREE_MAX_PIDS];
        size_t n = 0, total = 0;
        long page = sysconf(_SC_PAGESIZE);
        todo[n++] = root;
        for (size_t i = 0; i < n; i++) {
                char path[64], buf[4096];
                snprintf(path, sizeof(path), "/proc/%d/statm", todo[i]);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd >= 0) {
                        ssize_t k = read(fd, buf, sizeof(buf) - 1);
                        close(fd);
                        unsigned long size, resident;
                        if (k > 0 && (buf[k] = '\0', sscanf(buf, "%lu %lu", &size, &resident) == 2))
                                total += resident * (size_t) page;
                }
                snprintf(path, sizeof(path), "/proc/%d/task/%d/children", todo[i], todo[i]);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                ssize_t k = read(fd, buf, sizeof(buf) - 1);
                close(fd);
                if (k <= 0)
                        continue;
                buf[k] = '\0';
                for (char *s = buf, *end; *s && n < TREE_MAX_PIDS; s = end) {
                        long v = strtol(s, &end, 10);
                        if (end == s)
                                break;
                        todo[n++] = (pid_t) v;
                }
        }
        return total;
}

static void close_warm_fds(struct pool *p, struct warm *w) {
        if (w->pidfd >= 0) {
                loop_del(p->loop, w->pidfd);
                close(w->pidfd);
        }
        safe_close(w->in_w), safe_close(w->out_r), safe_close(w->err_r);
        w->pidfd = w->in_w = w->out_r = w->err_r = -1;
}

static void unlink_warm(struct pool *p, struct warm *w) {
        for (struct warm **q = &p->warm; *q; q = &(*q)->next)
                if (*q == w) {
                        *q = w->next;
                        p->n_warm--;
                        w->k->warm--;
                        /* What it was counted with (measured, or estimated at its start). */
                        p->memory -= w->rss < p->memory ? w->rss : p->memory;
                        return;
                }
}

/* Kill a warm child nobody will use: SIGTERM lets `run` take its sandbox and cgroup down. */
static void discard(struct pool *p, struct warm *w) {
        unlink_warm(p, w);
        kill(w->pid, SIGTERM);
        close_warm_fds(p, w);
        int st;
        for (int i = 0; i < 100 && waitpid(w->pid, &st, WNOHANG) == 0; i++)
                usleep(5000);
        if (waitpid(w->pid, &st, WNOHANG) == 0) {
                kill(w->pid, SIGKILL);
                waitpid(w->pid, &st, 0);
        }
        free(w);
}

static void refill(struct pool *p, struct pkey *k);

/* A warm child must not exit on its own: it was refused or crashed. Back off its key. */
static void on_warm_exit(int fd, uint32_t events, void *arg) {
        struct warm *w = arg;
        struct pool *p = w->p;
        (void) fd, (void) events;
        int st;
        if (waitpid(w->pid, &st, WNOHANG) == 0)
                return;
        log_debug("pool: a warm sandbox for %s exited before use; backing off", w->k->dir);
        w->k->backoff_until = loop_now_ms() + POOL_BACKOFF_MS;
        unlink_warm(p, w);
        close_warm_fds(p, w);
        free(w);
}

static int spawn_warm(struct pool *p, struct pkey *k) {
        /* Fingerprint before the child looks: a change in between shows up at take time. */
        uint64_t fp = fingerprint(k->dir);
        if (!fp)
                return -ENOENT;
        struct warm *w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        struct child c;
        int r = child_spawn(p->self_exe, k->argv, p->envp, &c);
        if (r < 0) {
                free(w);
                return r;
        }
        *w = (struct warm) { .p = p, .k = k, .pid = c.pid, .pidfd = c.pidfd, .in_w = c.in_w,
                             .out_r = c.out_r, .err_r = c.err_r, .fp = fp };
        if ((r = loop_add(p->loop, w->pidfd, EPOLLIN, on_warm_exit, w)) < 0) {
                child_kill(&c);
                free(w);
                return r;
        }
        w->next = p->warm;
        p->warm = w;
        p->n_warm++;
        k->warm++;
        return 0;
}

/* Start warm children up to the key's share, the total and the memory cap. A child counts with
 * what its siblings were measured to hold, so a refill never overshoots the cap it was just
 * brought under (a key never measured yet starts one child at a time). */
static void refill(struct pool *p, struct pkey *k) {
        if (loop_now_ms() < k->backoff_until)
                return;
        while (k->warm < p->per_key && p->n_warm < p->total && p->memory + k->rss_each <= p->memory_cap) {
                if (!k->rss_each && k->warm)
                        return;
                if (spawn_warm(p, k) < 0) {
                        k->backoff_until = loop_now_ms() + POOL_BACKOFF_MS;
                        return;
                }
                p->warm->rss = k->rss_each; /* an estimate until the next measurement */
                p->memory += k->rss_each;
        }
}

static void refill_all(void *arg) {
        struct pool *p = arg;
        for (struct pkey *k = p->keys; k; k = k->next)
                refill(p, k);
}

static void drop_key_children(struct pool *p, struct pkey *k) {
        for (struct warm *w = p->warm, *next; w; w = next) {
                next = w->next;
                if (w->k == k)
                        discard(p, w);
        }
}

static void free_key(struct pkey *k) {
        free(k->key);
        strv_free(k->argv);
        free(k->dir);
        free(k);
}

/* Every second: shrink idle keys, refill hot ones, measure and enforce the memory cap. */
static void tick(void *arg) {
        struct pool *p = arg;
        p->tick = NULL;
        uint64_t now = loop_now_ms();
        for (struct pkey **q = &p->keys; *q;) {
                struct pkey *k = *q;
                if (now - k->last_used > p->idle_ms) {
                        drop_key_children(p, k);
                        *q = k->next;
                        free_key(k);
                        continue;
                }
                q = &k->next;
        }
        size_t total = 0;
        for (struct warm *w = p->warm; w; w = w->next) {
                total += (w->rss = tree_rss(w->pid));
                if (w->rss > w->k->rss_each)
                        w->k->rss_each = w->rss;
        }
        p->memory = total;
        log_debug("pool: %zu warm, %zu bytes resident", p->n_warm, total);
        while (p->memory > p->memory_cap && p->warm) {
                /* The least recently used key gives up one warm child. */
                struct warm *victim = NULL;
                for (struct warm *w = p->warm; w; w = w->next)
                        if (!victim || w->k->last_used < victim->k->last_used)
                                victim = w;
                discard(p, victim); /* takes its share off p->memory */
        }
        for (struct pkey *k = p->keys; k; k = k->next)
                refill(p, k);
        if (p->keys || p->warm)
                p->tick = loop_timer_add(p->loop, POOL_TICK_MS, tick, p);
}

static void ensure_tick(struct pool *p) {
        if (!p->tick)
                p->tick = loop_timer_add(p->loop, POOL_TICK_MS, tick, p);
}

int pool_new(struct loop *l, const char *self_exe, char **envp, const struct engine_config *cfg,
             struct pool **ret) {
        struct pool *p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        unsigned long long idle = 60;
        (void) env_number("SKILLLITE_POOL_IDLE_SECS", 0, 86400, &idle); /* invalid: the default */
        *p = (struct pool) { .loop = l, .per_key = cfg->pool_size, .total = cfg->pool_total ? cfg->pool_total : 8,
                             .memory_cap = cfg->pool_memory ? cfg->pool_memory : (size_t) 512 << 20,
                             .idle_ms = idle * 1000 };
        p->envp = envp;
        p->self_exe = strdup(self_exe);
        if (!p->self_exe) {
                free(p);
                return -ENOMEM;
        }
        *ret = p;
        return 0;
}

void pool_free(struct pool *p) {
        if (!p)
                return;
        while (p->warm)
                discard(p, p->warm);
        while (p->keys) {
                struct pkey *k = p->keys;
                p->keys = k->next;
                free_key(k);
        }
        loop_timer_cancel(p->loop, p->tick);
        free(p->self_exe);
        free(p);
}

static struct pkey *find_key(struct pool *p, const char *key) {
        for (struct pkey *k = p->keys; k; k = k->next)
                if (!strcmp(k->key, key))
                        return k;
        return NULL;
}

bool pool_take(struct pool *p, const char *key, struct child *ret) {
        struct pkey *k = find_key(p, key);
        if (!k)
                return false;
        k->last_used = loop_now_ms();
        struct warm *w = NULL;
        for (struct warm *x = p->warm; x; x = x->next)
                if (x->k == k) {
                        w = x;
                        break;
                }
        if (!w) {
                p->misses++;
                refill(p, k);
                return false;
        }
        if (fingerprint(k->dir) != w->fp) {
                /* The skill changed since these children started: none may serve. */
                log_debug("pool: %s changed; discarding its warm sandboxes", k->dir);
                drop_key_children(p, k);
                p->misses++;
                return false;
        }
        unlink_warm(p, w);
        loop_del(p->loop, w->pidfd);
        *ret = (struct child) { .pid = w->pid, .pidfd = w->pidfd, .in_w = w->in_w, .out_r = w->out_r, .err_r = w->err_r };
        free(w);
        p->hits++;
        /* No replacement yet: starting a sandbox takes tens of milliseconds of CPU, which on a
         * small machine would be taken from this very request. pool_job_done() starts it. */
        ensure_tick(p);
        return true;
}

void pool_note_use(struct pool *p, const struct method_call *c) {
        struct pkey *k = find_key(p, c->pool_key);
        if (k) {
                k->last_used = loop_now_ms();
                refill(p, k);
                return;
        }
        if (c->argc < 4)
                return;
        k = calloc(1, sizeof(*k));
        if (!k)
                return;
        size_t n = 0;
        k->key = strdup(c->pool_key);
        k->dir = strdup(c->argv[c->argc - 2]); /* run ... <skill-dir> - */
        /* argv: <exe> run --json --input-after-start <the rest> */
        bool ok = k->key && k->dir;
        for (size_t i = 0; ok && i < c->argc; i++) {
                ok = strv_pushn(&k->argv, &n, c->argv[i], strlen(c->argv[i])) == 0;
                if (ok && i == 2)
                        ok = strv_pushn(&k->argv, &n, "--input-after-start", 19) == 0;
        }
        if (!ok) {
                free_key(k);
                return;
        }
        k->last_used = loop_now_ms();
        k->next = p->keys;
        p->keys = k;
        p->misses++;
        ensure_tick(p);
        refill(p, k);
}

void pool_job_done(struct pool *p) {
        loop_timer_add(p->loop, 0, refill_all, p);
}

void pool_get_stats(const struct pool *p, struct pool_stats *ret) {
        *ret = (struct pool_stats) { .warm = p->n_warm, .hits = p->hits, .misses = p->misses, .memory = p->memory };
}
