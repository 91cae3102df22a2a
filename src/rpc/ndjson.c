/* NDJSON over stdio (ndjson.h). Reading: a buffer of max_frame + one read's worth; a line that
 * outgrows it switches to "discarding" until its newline, so a huge frame costs nothing but the
 * bytes read. Writing: a FIFO of whole messages, written as the fd drains (EPOLLOUT only while
 * something is queued), so one slow client reader never blocks the daemon. */
#include "ndjson.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/macros.h"

#define READ_CHUNK 65536

struct out_msg {
        char *data;
        size_t len, off;
        struct out_msg *next;
};

struct ndjson {
        struct loop *loop;
        int in_fd, out_fd;
        size_t max_frame, max_queued;
        struct ndjson_handlers h;
        void *ctx;
        char *in;              /* max_frame + READ_CHUNK bytes */
        size_t in_len;
        bool discarding;       /* inside an oversize line */
        bool in_pollable, in_registered, paused, eof, out_broken, out_registered;
        bool reading;          /* inside the unpollable read loop: no re-entry */
        struct out_msg *head, *tail;
        size_t queued;
};

static void set_nonblock(int fd) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
                fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Hand over every complete line in the buffer; keep the incomplete tail. */
static void split_lines(struct ndjson *n) {
        size_t start = 0;
        for (;;) {
                char *nl = memchr(n->in + start, '\n', n->in_len - start);
                if (!nl)
                        break;
                size_t end = (size_t) (nl - n->in);
                if (n->discarding)
                        n->discarding = false; /* the oversize line ends here */
                else {
                        size_t len = end - start;
                        if (len && n->in[start + len - 1] == '\r')
                                len--;
                        if (len > n->max_frame)
                                n->h.on_oversize(n->ctx, n->max_frame);
                        else if (len)
                                n->h.on_line(n->ctx, n->in + start, len);
                }
                start = end + 1;
                if (n->eof)
                        return;
        }
        memmove(n->in, n->in + start, n->in_len - start);
        n->in_len -= start;
        if (n->in_len > n->max_frame) {
                if (!n->discarding)
                        n->h.on_oversize(n->ctx, n->max_frame);
                n->discarding = true;
                n->in_len = 0;
        }
}

static void on_readable(int fd, uint32_t events, void *arg) {
        struct ndjson *n = arg;
        (void) events;
        for (int rounds = 0; rounds < 16 && !n->paused && !n->eof; rounds++) {
                ssize_t k = read(fd, n->in + n->in_len, n->max_frame + READ_CHUNK - n->in_len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return;
                if (k <= 0) {
                        /* A last line without a newline still counts. */
                        if (n->in_len && !n->discarding && n->in_len <= n->max_frame)
                                n->h.on_line(n->ctx, n->in, n->in_len);
                        n->in_len = 0;
                        n->eof = true;
                        if (n->in_registered)
                                loop_del(n->loop, n->in_fd);
                        n->in_registered = false;
                        n->h.on_eof(n->ctx);
                        return;
                }
                n->in_len += (size_t) k;
                split_lines(n);
        }
}

/* Paused input is taken off the loop altogether: epoll reports a hang-up even with no events
 * asked for, which would spin the loop while the writer has gone and we are not reading. Input
 * epoll cannot watch (a regular file, /dev/null) is read in a loop until paused or EOF. */
static void update_in(struct ndjson *n) {
        if (!n->in_pollable) {
                if (n->reading)
                        return;
                n->reading = true;
                while (!n->eof && !n->paused)
                        on_readable(n->in_fd, EPOLLIN, n);
                n->reading = false;
                return;
        }
        bool want = !n->paused && !n->eof;
        if (want && !n->in_registered)
                n->in_registered = loop_add(n->loop, n->in_fd, EPOLLIN, on_readable, n) == 0;
        else if (!want && n->in_registered) {
                loop_del(n->loop, n->in_fd);
                n->in_registered = false;
        }
}

static void drain(struct ndjson *n) {
        while (n->head) {
                struct out_msg *m = n->head;
                ssize_t k = write(n->out_fd, m->data + m->off, m->len - m->off);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        break;
                if (k < 0) {
                        n->out_broken = true;
                        break;
                }
                m->off += (size_t) k;
                if (m->off < m->len)
                        continue;
                n->queued -= m->len;
                n->head = m->next;
                if (!n->head)
                        n->tail = NULL;
                free(m->data);
                free(m);
        }
        if (n->out_broken) {
                while (n->head) {
                        struct out_msg *m = n->head;
                        n->head = m->next;
                        free(m->data);
                        free(m);
                }
                n->tail = NULL;
                n->queued = 0;
        }
        bool want = n->head != NULL;
        if (want && !n->out_registered)
                n->out_registered = loop_mod(n->loop, n->out_fd, EPOLLOUT) == 0;
        else if (!want && n->out_registered) {
                loop_mod(n->loop, n->out_fd, 0);
                n->out_registered = false;
        }
}

static void on_writable(int fd, uint32_t events, void *arg) {
        (void) fd, (void) events;
        drain(arg);
}

int ndjson_new(struct loop *l, int in_fd, int out_fd, size_t max_frame, size_t max_queued,
               const struct ndjson_handlers *h, void *ctx, struct ndjson **ret) {
        struct ndjson *n = calloc(1, sizeof(*n));
        if (!n)
                return -ENOMEM;
        *n = (struct ndjson) { .loop = l, .in_fd = in_fd, .out_fd = out_fd, .max_frame = max_frame,
                               .max_queued = max_queued, .h = *h, .ctx = ctx };
        n->in = malloc(max_frame + READ_CHUNK);
        if (!n->in) {
                free(n);
                return -ENOMEM;
        }
        set_nonblock(in_fd);
        set_nonblock(out_fd);
        int r = loop_add(l, out_fd, 0, on_writable, n);
        if (r < 0 && r != -EPERM) {
                free(n->in);
                free(n);
                return r;
        }
        /* Probe whether epoll can watch the input at all. */
        r = loop_add(l, in_fd, EPOLLIN, on_readable, n);
        if (r < 0 && r != -EPERM) {
                loop_del(l, out_fd);
                free(n->in);
                free(n);
                return r;
        }
        n->in_pollable = n->in_registered = r == 0;
        *ret = n;
        update_in(n);
        return 0;
}

void ndjson_free(struct ndjson *n) {
        if (!n)
                return;
        loop_del(n->loop, n->in_fd);
        loop_del(n->loop, n->out_fd);
        while (n->head) {
                struct out_msg *m = n->head;
                n->head = m->next;
                free(m->data);
                free(m);
        }
        free(n->in);
        free(n);
}

int ndjson_send(struct ndjson *n, const json_t *msg) {
        if (n->out_broken)
                return -EPIPE;
        char *text = json_dumps(msg, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (!text)
                return -ENOMEM;
        size_t len = strlen(text);
        if (n->queued + len + 1 > n->max_queued) {
                free(text);
                return -ENOBUFS;
        }
        char *line = realloc(text, len + 2);
        struct out_msg *m = line ? calloc(1, sizeof(*m)) : NULL;
        if (!m) {
                free(line ? line : text);
                return -ENOMEM;
        }
        line[len] = '\n';
        line[len + 1] = '\0';
        *m = (struct out_msg) { .data = line, .len = len + 1 };
        if (n->tail)
                n->tail->next = m;
        else
                n->head = m;
        n->tail = m;
        n->queued += m->len;
        drain(n);
        return n->out_broken ? -EPIPE : 0;
}

size_t ndjson_pending(const struct ndjson *n) {
        return n->queued;
}

void ndjson_pause(struct ndjson *n, bool paused) {
        n->paused = paused;
        update_in(n);
}

void ndjson_flush(struct ndjson *n, int timeout_ms) {
        uint64_t deadline = loop_now_ms() + (uint64_t) timeout_ms;
        while (n->head && !n->out_broken) {
                drain(n);
                uint64_t now = loop_now_ms();
                if (!n->head || now >= deadline)
                        break;
                struct pollfd p = { .fd = n->out_fd, .events = POLLOUT };
                poll(&p, 1, (int) (deadline - now));
        }
}
