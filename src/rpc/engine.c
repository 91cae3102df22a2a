/* The engine (engine.h): children of our own binary, one per request, on the caller's loop.
 *
 * A job moves queued -> running -> done. Running means: a child spawned with three pipes (stdin
 * fed from the request's input as the pipe drains, stdout read up to max_output, stderr up to
 * 64 KiB) and a pidfd; it is done once the child has exited and both pipes are at EOF. Each
 * child is its own process group leader, so a cancel reaches only it; `run` turns SIGTERM into
 * "stop": it kills its sandbox (the whole pid namespace) and removes its cgroup before exiting.
 * A child that ignores SIGTERM for CANCEL_GRACE_MS gets SIGKILL (its sandbox dies with it, by
 * PR_SET_PDEATHSIG). */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../base/macros.h"
#include "../base/strv.h"
#include "methods.h"
#include "child.h"
#include "pool.h"

#define STDERR_MAX (64u << 10)
#define CANCEL_GRACE_MS 2000

extern char **environ;

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_FINISHED };

struct job {
        struct engine *e;
        enum job_state state;
        struct method_call call;
        job_done_fn done;
        void *ctx;
        pid_t pid;
        int pidfd, in_w, out_r, err_r;
        size_t in_off;
        struct buf out, err;
        bool exited, cancelled, overflow;
        bool answered;     /* done() already ran from the envelope (a run); only reaping is left */
        bool from_pool;    /* served by a warm child: its replacement starts once it answered */
        int answered_code; /* the exit code that envelope reported */
        int wait_status;
        struct loop_timer *kill_timer;
        struct warm *warm; /* the pre-warmed sandbox serving it, when there was one */
        struct job *next;
};

struct engine {
        struct loop *loop;
        struct engine_config cfg;
        char *self_exe;
        char *skills_dir;
        struct job *jobs; /* queued and running, in submission order */
        size_t running, queued;
        struct pool *pool;
        char **envp;      /* environ + SKILLLITE_PARENT_PID: children die with us (cli/main.c) */
};

size_t engine_inflight(const struct engine *e) {
        return e->running + e->queued;
}

int engine_error_code(int exit_code, const char **reason) {
        switch (exit_code) {
        case 2: *reason = "invalid_input"; return -32602;
        case 3: *reason = "refused"; return -32001;
        case 4: *reason = "sandbox_unavailable"; return -32002;
        case 5: *reason = "limit"; return -32003;
        case 1: *reason = "failed"; return -32004;
        default: *reason = "internal"; return -32603;
        }
}

static void start_queued(struct engine *e);

/* Queued jobs are started from a zero-delay timer after each submit. */
static void kick(void *arg) {
        start_queued(arg);
}

static void job_free(struct job *j) {
        method_call_done(&j->call);
        buf_free(&j->out);
        buf_free(&j->err);
        free(j);
}

static void unlink_job(struct engine *e, struct job *j) {
        for (struct job **p = &e->jobs; *p; p = &(*p)->next)
                if (*p == j) {
                        *p = j->next;
                        return;
                }
}

static void close_fd(struct engine *e, int *fd) {
        if (*fd >= 0) {
                loop_del(e->loop, *fd);
                close(*fd);
                *fd = -1;
        }
}

/* The last line of stderr, without "skilllite: error: ". */
static void last_line(const struct buf *b, char *out, size_t size) {
        const char *s = b->data ? b->data : "";
        size_t n = b->len;
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
                n--;
        size_t start = n;
        while (start && s[start - 1] != '\n')
                start--;
        const char *line = s + start;
        size_t len = n - start;
        static const char prefix[] = "skilllite: error: ";
        if (len >= sizeof(prefix) - 1 && !memcmp(line, prefix, sizeof(prefix) - 1))
                line += sizeof(prefix) - 1, len -= sizeof(prefix) - 1;
        snprintf(out, size, "%.*s", (int) len, line);
}

static void finish(struct job *j) {
        struct engine *e = j->e;
        if (j->state == JOB_RUNNING)
                e->running--;
        else if (j->state == JOB_QUEUED)
                e->queued--;
        j->state = JOB_FINISHED;
        loop_timer_cancel(e->loop, j->kill_timer);
        j->kill_timer = NULL;
        unlink_job(e, j);

        if (j->from_pool && !j->answered && e->pool)
                pool_job_done(e->pool);
        if (j->answered) {
                /* The request was answered from the envelope when stdout closed; the child only
                 * had to exit. A different status (a sanitizer's report, a crash in the exit
                 * path) is said here, since nobody else will see it. */
                int st = j->exited && WIFEXITED(j->wait_status) ? WEXITSTATUS(j->wait_status) : -1;
                if (st != j->answered_code)
                        log_warn("engine: a %s child exited with status %d after answering with %d%s%.300s",
                                 j->call.argv[1], st, j->answered_code, j->err.len ? ": " : "",
                                 j->err.data ? j->err.data : "");
                job_free(j);
                start_queued(e);
                return;
        }
        char message[512];
        last_line(&j->err, message, sizeof(message));
        struct error perr = ERROR_INIT;
        _cleanup_json_ json_t *json = NULL;
        if (!j->cancelled && j->out.len && !j->overflow)
                json = json_parse_strict(j->out.data, j->out.len, j->out.cap, &perr);
        int code = -1;
        if (j->exited && WIFEXITED(j->wait_status))
                code = WEXITSTATUS(j->wait_status);
        if (j->overflow)
                snprintf(message, sizeof(message), "the command's output exceeded %zu bytes", j->out.cap);
        else if (!json && code < 0 && !j->cancelled)
                snprintf(message, sizeof(message), "the engine's child was killed (signal %d)",
                         WIFSIGNALED(j->wait_status) ? WTERMSIG(j->wait_status) : 0);
        struct job_result res = { .cancelled = j->cancelled, .exit_code = code, .json = json,
                                  .message = message, .stderr_text = j->err.data ? j->err.data : "" };
        j->done(j->ctx, &res);
        job_free(j);
        start_queued(e);
}

static void maybe_finish(struct job *j) {
        if (j->exited && j->out_r < 0 && j->err_r < 0 && j->in_w < 0 && j->pidfd < 0)
                finish(j);
}

static void on_pidfd(int fd, uint32_t events, void *arg) {
        struct job *j = arg;
        (void) fd, (void) events;
        int st;
        pid_t p;
        while ((p = waitpid(j->pid, &st, WNOHANG)) < 0 && errno == EINTR)
                ;
        if (p == 0)
                return;
        j->exited = true;
        j->wait_status = p == j->pid ? st : 0;
        close_fd(j->e, &j->pidfd);
        /* The child may have left a grandchild holding stdin open; nothing more goes in. */
        close_fd(j->e, &j->in_w);
        maybe_finish(j);
}

/* A run's envelope is complete when its stdout closes (`main.c` closes it right after printing,
 * for children of a daemon): answer then, without waiting for the process to exit, which costs
 * another half millisecond or more. Only for `run`, whose envelope carries its exit code. */
static void answer_early(struct job *j) {
        if (!j->call.poolable || j->cancelled || j->overflow || j->answered || j->exited || !j->out.len)
                return;
        struct error perr = ERROR_INIT;
        _cleanup_json_ json_t *json = json_parse_strict(j->out.data, j->out.len, j->out.cap, &perr);
        json_t *code = json_object_get(json, "exit_code");
        if (!json_is_integer(code))
                return;
        j->answered = true;
        j->answered_code = (int) json_integer_value(code);
        struct job_result res = { .exit_code = j->answered_code, .json = json, .message = "", .stderr_text = "" };
        j->done(j->ctx, &res);
        j->done = NULL;
        j->ctx = NULL;
        if (j->from_pool && j->e->pool)
                pool_job_done(j->e->pool);
}

static void on_output(int fd, uint32_t events, void *arg) {
        struct job *j = arg;
        bool is_out = fd == j->out_r;
        struct buf *b = is_out ? &j->out : &j->err;
        (void) events;
        for (;;) {
                ssize_t k = buf_read_fd(b, fd);
                if (k == -EINTR)
                        continue;
                if (k == -EAGAIN)
                        return;
                if (k == -E2BIG || k == -ENOMEM) {
                        /* past the cap: what fits is kept, the rest drained and dropped */
                        if (is_out && !j->overflow) {
                                j->overflow = true;
                                kill(j->pid, SIGKILL);
                        }
                        continue;
                }
                if (k <= 0)
                        break;
        }
        close_fd(j->e, is_out ? &j->out_r : &j->err_r);
        if (is_out)
                answer_early(j);
        maybe_finish(j);
}

static void on_stdin(int fd, uint32_t events, void *arg) {
        struct job *j = arg;
        (void) fd;
        if (!(events & (EPOLLERR | EPOLLHUP))) {
                while (j->in_off < j->call.input_len) {
                        ssize_t k = write(j->in_w, j->call.input + j->in_off, j->call.input_len - j->in_off);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0 && errno == EAGAIN)
                                return;
                        if (k < 0)
                                break;
                        j->in_off += (size_t) k;
                }
        }
        close_fd(j->e, &j->in_w);
        maybe_finish(j);
}

static int watch(struct engine *e, struct job *j);

/* A child of our binary with the job's argv (child.c), watched on the loop. */
static int spawn(struct engine *e, struct job *j) {
        struct child c;
        int r = child_spawn(e->self_exe, j->call.argv, e->envp, &c);
        if (r < 0)
                return r;
        j->pid = c.pid, j->pidfd = c.pidfd, j->in_w = c.in_w, j->out_r = c.out_r, j->err_r = c.err_r;
        return watch(e, j);
}

/* Put a started child's pidfd and pipes on the loop; on failure it is killed and closed. */
static int watch(struct engine *e, struct job *j) {
        int r;
        if ((r = loop_add(e->loop, j->pidfd, EPOLLIN, on_pidfd, j)) < 0 ||
            (r = loop_add(e->loop, j->out_r, EPOLLIN, on_output, j)) < 0 ||
            (r = loop_add(e->loop, j->err_r, EPOLLIN, on_output, j)) < 0 ||
            (r = loop_add(e->loop, j->in_w, EPOLLOUT, on_stdin, j)) < 0) {
                loop_del(e->loop, j->pidfd), loop_del(e->loop, j->out_r), loop_del(e->loop, j->err_r);
                struct child c = { j->pid, j->pidfd, j->in_w, j->out_r, j->err_r };
                child_kill(&c);
                j->pid = -1, j->pidfd = j->in_w = j->out_r = j->err_r = -1;
                return r;
        }
        return 0;
}

static void fail_job(struct job *j, int r) {
        char msg[200];
        snprintf(msg, sizeof(msg), "cannot start the command: %s", strerror(-r));
        buf_free(&j->err);
        buf_init(&j->err, STDERR_MAX);
        if (buf_append(&j->err, msg, strlen(msg)) < 0)
                log_debug("%s", msg);
        j->exited = true;
        j->wait_status = 0xff00; /* reported as exit status 255: internal */
        finish(j);
}

static void start_job(struct engine *e, struct job *j) {
        j->state = JOB_RUNNING;
        e->running++;
        /* A warm sandbox already waits for exactly this command's input. */
        if (j->call.poolable && e->pool) {
                struct child w;
                if (pool_take(e->pool, j->call.pool_key, &w)) {
                        j->pid = w.pid, j->pidfd = w.pidfd, j->in_w = w.in_w, j->out_r = w.out_r, j->err_r = w.err_r;
                        j->from_pool = true;
                        if (watch(e, j) == 0)
                                return;
                        j->from_pool = false;
                }
                pool_note_use(e->pool, &j->call);
        }
        int r = spawn(e, j);
        if (r < 0)
                fail_job(j, r);
}

static void start_queued(struct engine *e) {
        for (;;) {
                struct job *next = NULL;
                for (struct job *j = e->jobs; j; j = j->next)
                        if (j->state == JOB_QUEUED && !j->cancelled) {
                                next = j;
                                break;
                        }
                if (!next || e->running >= e->cfg.workers)
                        return;
                e->queued--;
                start_job(e, next);
        }
}

struct job *engine_submit(struct engine *e, const char *method, json_t *params, job_done_fn done,
                          void *ctx, struct error *err) {
        if (e->running >= e->cfg.workers && e->queued >= e->cfg.max_queued) {
                error_set(err, -EBUSY, "too many requests in flight (%u running, %u queued)",
                          e->cfg.workers, e->cfg.max_queued);
                return NULL;
        }
        struct job *j = calloc(1, sizeof(*j));
        if (!j) {
                error_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        *j = (struct job) { .e = e, .state = JOB_QUEUED, .done = done, .ctx = ctx, .pid = -1,
                            .pidfd = -1, .in_w = -1, .out_r = -1, .err_r = -1 };
        buf_init(&j->out, e->cfg.max_output);
        buf_init(&j->err, STDERR_MAX);
        if (method_call_build(e->self_exe, e->skills_dir, method, params, &j->call, err) < 0) {
                job_free(j);
                return NULL;
        }
        /* Append: start order follows submission order. */
        struct job **p = &e->jobs;
        while (*p)
                p = &(*p)->next;
        *p = j;
        e->queued++;
        /* done() must never run inside engine_submit: start from the loop. */
        if (!loop_timer_add(e->loop, 0, kick, e)) {
                unlink_job(e, j);
                e->queued--;
                job_free(j);
                error_set(err, -ENOMEM, "out of memory");
                return NULL;
        }
        return j;
}

static void kill_hard(void *arg) {
        struct job *j = arg;
        j->kill_timer = NULL;
        if (j->pid > 0 && !j->exited)
                kill(j->pid, SIGKILL);
}

static void finish_cancelled_queued(void *arg) {
        finish(arg);
}

void engine_cancel(struct engine *e, struct job *j) {
        if (j->cancelled || j->answered || j->state == JOB_FINISHED)
                return;
        j->cancelled = true;
        if (j->state == JOB_QUEUED) {
                /* Never started: answer from the loop, not from inside the caller. */
                loop_timer_add(e->loop, 0, finish_cancelled_queued, j);
                return;
        }
        if (j->pid > 0 && !j->exited) {
                kill(j->pid, SIGTERM);
                j->kill_timer = loop_timer_add(e->loop, CANCEL_GRACE_MS, kill_hard, j);
        }
}


static int build_envp(char ***ret) {
        char **v = NULL;
        size_t n = 0;
        char own[64];
        snprintf(own, sizeof(own), "SKILLLITE_PARENT_PID=%d", (int) getpid());
        for (char **p = environ; *p; p++)
                if (strncmp(*p, "SKILLLITE_PARENT_PID=", 21) && strv_pushn(&v, &n, *p, strlen(*p)) < 0)
                        goto oom;
        if (strv_pushn(&v, &n, own, strlen(own)) < 0)
                goto oom;
        *ret = v;
        return 0;
oom:
        strv_free(v);
        return -ENOMEM;
}

int engine_new(struct loop *l, const struct engine_config *cfg, struct engine **ret, struct error *err) {
        _cleanup_free_ struct engine *e = calloc(1, sizeof(*e));
        if (!e)
                return error_set(err, -ENOMEM, "out of memory");
        e->loop = l;
        e->cfg = *cfg;
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (!e->cfg.workers)
                e->cfg.workers = cpus > 1 ? (unsigned) cpus * 2 : 2;
        if (!e->cfg.max_queued)
                e->cfg.max_queued = 64;
        if (!e->cfg.max_output)
                e->cfg.max_output = 64u << 20;
        e->self_exe = cfg->self_exe ? strdup(cfg->self_exe) : realpath("/proc/self/exe", NULL);
        if (!e->self_exe)
                return error_set(err, -errno, "cannot find our own binary: %s", strerror(errno));
        if (cfg->skills_dir && !(e->skills_dir = strdup(cfg->skills_dir))) {
                free(e->self_exe);
                return error_set(err, -ENOMEM, "out of memory");
        }
        if (build_envp(&e->envp) < 0) {
                free(e->self_exe);
                free(e->skills_dir);
                return error_set(err, -ENOMEM, "out of memory");
        }
        if (cfg->pool_size) {
                int r = pool_new(l, e->self_exe, e->envp, cfg, &e->pool);
                if (r < 0) {
                        free(e->self_exe);
                        free(e->skills_dir);
                        strv_free(e->envp);
                        return error_set(err, r, "starting the sandbox pool: %s", strerror(-r));
                }
        }
        *ret = TAKE_PTR(e);
        return 0;
}

void engine_free(struct engine *e) {
        if (!e)
                return;
        while (e->jobs) {
                struct job *j = e->jobs;
                e->jobs = j->next;
                if (j->pid > 0 && !j->exited) {
                        kill(j->pid, SIGTERM);
                        /* `run` cleans up its sandbox on SIGTERM within milliseconds. */
                        int st;
                        for (int i = 0; i < 200 && waitpid(j->pid, &st, WNOHANG) == 0; i++)
                                usleep(10000);
                        kill(j->pid, SIGKILL);
                        waitpid(j->pid, &st, 0);
                }
                close_fd(e, &j->pidfd), close_fd(e, &j->in_w), close_fd(e, &j->out_r), close_fd(e, &j->err_r);
                loop_timer_cancel(e->loop, j->kill_timer);
                job_free(j);
        }
        pool_free(e->pool);
        strv_free(e->envp);
        free(e->self_exe);
        free(e->skills_dir);
        free(e);
}

json_t *engine_pool_json(const struct engine *e) {
        if (!e->pool)
                return json_pack("{s:b}", "enabled", 0);
        struct pool_stats st;
        pool_get_stats(e->pool, &st);
        return json_pack("{s:b, s:I, s:I, s:I, s:I}", "enabled", 1, "warm", (json_int_t) st.warm, "hits",
                         (json_int_t) st.hits, "misses", (json_int_t) st.misses, "memory_bytes", (json_int_t) st.memory);
}
