/* The engine's poll loop over a running skill: stdin written as the pipe drains, stdout/stderr
 * read into capped buffers, status messages from pid 1, all under one deadline. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/macros.h"
#include "proxy.h"

uint64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

uint64_t now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

static void close_pair(int p[2]) {
        p[0] = safe_close(p[0]);
        p[1] = safe_close(p[1]);
}


static void read_stream(int *fd, struct buf *b, bool *overflow, bool tee) {
        for (;;) {
                size_t before = b->len;
                ssize_t k = buf_read_fd(b, *fd);
                if (k == -EINTR)
                        continue;
                if (k == -EAGAIN)
                        return;
                if (k == -E2BIG || k == -ENOMEM) {
                        /* what fits is kept; the run is killed for output_limit */
                        *overflow = true;
                        return;
                }
                if (k <= 0) {
                        *fd = safe_close(*fd);
                        return;
                }
                /* live progress for a person watching; a failing terminal must not stop the run */
                if (tee && write_all(STDERR_FILENO, b->data + before, (size_t) k) < 0)
                        tee = false;
        }
}

void read_status(struct io_state *io) {
        for (;;) {
                ssize_t k = read(io->status_r, (char *) &io->msg + io->msg_got, sizeof(io->msg) - io->msg_got);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return;
                if (k <= 0) {
                        io->status_r = safe_close(io->status_r);
                        return;
                }
                io->msg_got += (size_t) k;
                if (io->msg_got < sizeof(io->msg))
                        continue;
                io->msg_got = 0;
                if (io->msg.type == INIT_MSG_EXITED)
                        io->have_exit = true;
                else {
                        io->have_failure = true;
                        io->failure = io->msg;
                }
        }
}

/* The poll loop. Returns when the process is gone and its output drained, or on a limit. */
enum run_reason pump(struct io_state *io, int pidfd, uint64_t deadline, struct run_result *res) {
        bool process_gone = false;
        struct pollfd fixed[5];
        _cleanup_free_ struct pollfd *grown = NULL;
        struct pollfd *p = fixed;
        if (io->proxy) {
                grown = calloc(5 + proxy_poll_max(io->proxy), sizeof(*grown));
                if (!grown)
                        return RUN_TIMEOUT; /* cannot watch the run: stop it */
                p = grown;
        }
        for (;;) {
                int n = 0, i_in = -1, i_out = -1, i_err = -1, i_status = -1, i_pid = -1;
                if (io->in_w >= 0)
                        p[i_in = n++] = (struct pollfd) { io->in_w, POLLOUT, 0 };
                if (io->out_r >= 0)
                        p[i_out = n++] = (struct pollfd) { io->out_r, POLLIN, 0 };
                if (io->err_r >= 0)
                        p[i_err = n++] = (struct pollfd) { io->err_r, POLLIN, 0 };
                if (io->status_r >= 0)
                        p[i_status = n++] = (struct pollfd) { io->status_r, POLLIN, 0 };
                if (!process_gone)
                        p[i_pid = n++] = (struct pollfd) { pidfd, POLLIN, 0 };
                if (process_gone && io->out_r < 0 && io->err_r < 0 && io->status_r < 0)
                        return RUN_OK;
                if (io->stop_at_exit_report && io->have_exit && !io->have_failure && io->out_r < 0 &&
                    io->err_r < 0)
                        return RUN_OK;
                int i_proxy = n;
                size_t n_proxy = io->proxy ? proxy_poll_fill(io->proxy, p + n) : 0;
                n += (int) n_proxy;
                if (sandbox_stop_requested)
                        return RUN_CANCELLED;
                uint64_t now = now_ms();
                if (now >= deadline)
                        return RUN_TIMEOUT;
                uint64_t wait = deadline - now;
                uint64_t timer = io->proxy ? proxy_next_deadline(io->proxy) : UINT64_MAX;
                if (timer != UINT64_MAX)
                        wait = timer <= now ? 0 : timer - now < wait ? timer - now : wait;
                int k = poll(p, (nfds_t) n, wait > 1000000 ? 1000000 : (int) wait);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return RUN_TIMEOUT;
                if (i_in >= 0 && p[i_in].revents) {
                        if (p[i_in].revents & (POLLERR | POLLHUP))
                                io->in_w = safe_close(io->in_w);
                        else {
                                ssize_t w = write(io->in_w, io->input + io->input_off, io->input_len - io->input_off);
                                if (w > 0)
                                        io->input_off += (size_t) w;
                                else if (w < 0 && errno != EAGAIN && errno != EINTR)
                                        io->in_w = safe_close(io->in_w); /* EPIPE: it stopped reading */
                                if (io->input_off >= io->input_len)
                                        io->in_w = safe_close(io->in_w);
                        }
                }
                if (i_out >= 0 && p[i_out].revents)
                        read_stream(&io->out_r, &res->out, &io->output_overflow, false);
                if (i_err >= 0 && p[i_err].revents)
                        read_stream(&io->err_r, &res->err, &io->output_overflow, io->tee_err);
                if (io->output_overflow)
                        return RUN_OUTPUT_LIMIT;
                if (i_status >= 0 && p[i_status].revents)
                        read_status(io);
                if (io->proxy)
                        proxy_poll_handle(io->proxy, p + i_proxy, n_proxy, now_ms());
                if (i_pid >= 0 && p[i_pid].revents) {
                        process_gone = true;
                        if (io->on_exit)
                                io->on_exit(io->on_exit_arg);
                }
        }
}


void pipes_close(struct pipes *p) {
        close_pair(p->in);
        close_pair(p->out);
        close_pair(p->err);
        close_pair(p->status);
        close_pair(p->go);
}

int pipes_open(struct pipes *p) {
        *p = (struct pipes) { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
        if (pipe2(p->in, O_CLOEXEC) < 0 || pipe2(p->out, O_CLOEXEC) < 0 || pipe2(p->err, O_CLOEXEC) < 0 ||
            pipe2(p->status, O_CLOEXEC) < 0 || pipe2(p->go, O_CLOEXEC) < 0)
                return -errno;
        int r = fd_set_nonblock(p->in[1]);
        r = r ?: fd_set_nonblock(p->out[0]);
        r = r ?: fd_set_nonblock(p->err[0]);
        r = r ?: fd_set_nonblock(p->status[0]);
        /* A skill that never reads stdin must not block us: writes past the pipe size wait in
         * poll, and closing on exit turns them into EPIPE, not SIGPIPE. */
        return r;
}

void classify(struct run_result *res, int wait_status, enum run_reason pumped,
                     const struct cgroup_usage *usage) {
        if (WIFEXITED(wait_status)) {
                res->exit_status = WEXITSTATUS(wait_status);
                res->reason = res->exit_status == 0 ? RUN_OK : RUN_EXIT;
        } else if (WIFSIGNALED(wait_status)) {
                res->exit_status = -1;
                res->term_signal = WTERMSIG(wait_status);
                res->reason = RUN_SIGNAL;
        }
        if (pumped == RUN_TIMEOUT || pumped == RUN_OUTPUT_LIMIT || pumped == RUN_CANCELLED) {
                res->reason = pumped;
                res->exit_status = -1;
        } else if (usage->oom_killed && res->reason != RUN_OK) {
                res->reason = RUN_MEMORY;
        } else if (usage->pids_limited && res->reason != RUN_OK) {
                res->reason = RUN_PIDS;
        }
}

