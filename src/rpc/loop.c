/* The event loop (loop.h). Registrations live in a list; epoll's data points at them. A deleted
 * registration is only marked dead during dispatch, so an event already fetched for it in the
 * same batch is dropped instead of touching freed memory. Timers are a short unsorted list: the
 * daemon has a handful (one per in-flight run at most), so a scan beats a heap. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../base/macros.h"

struct reg {
        int fd;
        bool dead;
        loop_fd_fn fn;
        void *arg;
        struct reg *next;
};

struct loop_timer {
        uint64_t due;
        bool dead;
        loop_timer_fn fn;
        void *arg;
        struct loop_timer *next;
};

struct loop {
        int epfd;
        struct reg *regs;
        struct loop_timer *timers;
        unsigned dispatching; /* > 0 while callbacks run: frees are deferred */
};

uint64_t loop_now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

int loop_new(struct loop **ret) {
        struct loop *l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        l->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (l->epfd < 0) {
                int r = -errno;
                free(l);
                return r;
        }
        *ret = l;
        return 0;
}

static void sweep(struct loop *l) {
        for (struct reg **p = &l->regs; *p;) {
                if ((*p)->dead) {
                        struct reg *d = *p;
                        *p = d->next;
                        free(d);
                } else
                        p = &(*p)->next;
        }
        for (struct loop_timer **p = &l->timers; *p;) {
                if ((*p)->dead) {
                        struct loop_timer *d = *p;
                        *p = d->next;
                        free(d);
                } else
                        p = &(*p)->next;
        }
}

void loop_free(struct loop *l) {
        if (!l)
                return;
        for (struct reg *r = l->regs; r; r = r->next)
                r->dead = true;
        for (struct loop_timer *t = l->timers; t; t = t->next)
                t->dead = true;
        sweep(l);
        close(l->epfd);
        free(l);
}

static struct reg *find(struct loop *l, int fd) {
        for (struct reg *r = l->regs; r; r = r->next)
                if (r->fd == fd && !r->dead)
                        return r;
        return NULL;
}

int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg) {
        if (find(l, fd))
                return -EEXIST;
        struct reg *r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        *r = (struct reg) { .fd = fd, .fn = fn, .arg = arg, .next = l->regs };
        struct epoll_event ev = { .events = events, .data.ptr = r };
        if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
                int e = -errno;
                free(r);
                return e;
        }
        l->regs = r;
        return 0;
}

int loop_mod(struct loop *l, int fd, uint32_t events) {
        struct reg *r = find(l, fd);
        if (!r)
                return -ENOENT;
        struct epoll_event ev = { .events = events, .data.ptr = r };
        return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void loop_del(struct loop *l, int fd) {
        struct reg *r = find(l, fd);
        if (!r)
                return;
        epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
        r->dead = true;
        if (!l->dispatching)
                sweep(l);
}

struct loop_timer *loop_timer_add(struct loop *l, uint64_t after_ms, loop_timer_fn fn, void *arg) {
        struct loop_timer *t = calloc(1, sizeof(*t));
        if (!t)
                return NULL;
        *t = (struct loop_timer) { .due = loop_now_ms() + after_ms, .fn = fn, .arg = arg, .next = l->timers };
        l->timers = t;
        return t;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t) {
        if (!t)
                return;
        t->dead = true;
        if (!l->dispatching)
                sweep(l);
}

static int next_timeout(struct loop *l, int max_wait_ms) {
        uint64_t now = loop_now_ms();
        int wait = max_wait_ms;
        for (struct loop_timer *t = l->timers; t; t = t->next) {
                if (t->dead)
                        continue;
                uint64_t d = t->due <= now ? 0 : t->due - now;
                int left = d > (1u << 30) ? 1 << 30 : (int) d;
                if (wait < 0 || left < wait)
                        wait = left;
        }
        return wait;
}

int loop_run_once(struct loop *l, int max_wait_ms) {
        struct epoll_event evs[32];
        int n = epoll_wait(l->epfd, evs, ELEMENTSOF(evs), next_timeout(l, max_wait_ms));
        if (n < 0 && errno != EINTR)
                return -errno;
        l->dispatching++;
        for (int i = 0; i < n; i++) {
                struct reg *r = evs[i].data.ptr;
                if (!r->dead)
                        r->fn(r->fd, evs[i].events, r->arg);
        }
        /* Timers due now. One added by a callback is at the list's head, before `first`, so it
         * waits for the next round. A fired timer is dead: its handle is invalid after fn. */
        uint64_t now = loop_now_ms();
        struct loop_timer *first = l->timers;
        for (struct loop_timer *t = first; t; t = t->next)
                if (!t->dead && t->due <= now) {
                        t->dead = true;
                        t->fn(t->arg);
                }
        l->dispatching--;
        if (!l->dispatching)
                sweep(l);
        return 0;
}
