/* A small epoll event loop shared by `serve` and `mcp`: fd callbacks and one-shot timers, no
 * threads. A callback may add or delete any registration, its own included: deleted entries are
 * freed only after the batch of events being dispatched. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_fn)(int fd, uint32_t events, void *arg);
typedef void (*loop_timer_fn)(void *arg);

int loop_new(struct loop **ret);
void loop_free(struct loop *l);

/* Watch fd for events (EPOLLIN, EPOLLOUT, ...; EPOLLHUP/EPOLLERR always reported).
 * 0 or -errno. One registration per fd. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg);
int loop_mod(struct loop *l, int fd, uint32_t events);
/* Stop watching fd (does not close it). No-op when fd is not registered. */
void loop_del(struct loop *l, int fd);

/* Call fn(arg) once, after_ms from now. NULL on ENOMEM. */
struct loop_timer *loop_timer_add(struct loop *l, uint64_t after_ms, loop_timer_fn fn, void *arg);
/* Cancel a timer that has not fired (NULL is fine). Once a timer has fired its handle is
 * invalid: clear stored pointers in the callback. */
void loop_timer_cancel(struct loop *l, struct loop_timer *t);

/* Wait for at most max_wait_ms (-1: no limit other than timers) and dispatch what is ready.
 * 0, or -errno when epoll_wait fails for a reason other than EINTR. */
int loop_run_once(struct loop *l, int max_wait_ms);
/* Monotonic milliseconds. */
uint64_t loop_now_ms(void);
