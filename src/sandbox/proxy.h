/* The run's network proxy, on the host side. pid 1 of the sandbox listens on 127.0.0.1:3128 in
 * the sandbox's own network namespace and hands that listening socket to the engine; the proxy
 * accepts the skill's connections on it, reads one request head (CONNECT or absolute-form HTTP),
 * checks host:port against the grants (deny rules first), resolves the name on the host, refuses
 * loopback/private/link-local/metadata addresses, connects, and relays bytes. It lives in the
 * engine's single poll loop (no threads) and dies with the run. Every decision is recorded. */
#pragma once

#include <jansson.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"
#include "../policy/plan.h"

struct proxy;

/* Takes ownership of listen_fd. notice (optional) is told each denial as a line of text. */
int proxy_new(const struct plan_network *net, int listen_fd, void (*notice)(const char *line),
              struct proxy **ret, struct error *err);
/* Stop everything (connections, the resolver child) and free. NULL is fine. */
void proxy_free(struct proxy *p);

/* The most poll entries proxy_poll_fill() can use. */
size_t proxy_poll_max(const struct proxy *p);
/* Fill the poll set; returns the number of entries used. */
size_t proxy_poll_fill(struct proxy *p, struct pollfd *pfd);
/* Act on the entries filled by the last proxy_poll_fill() (same order) and on expired timers. */
void proxy_poll_handle(struct proxy *p, const struct pollfd *pfd, size_t n, uint64_t now_ms);
/* The earliest timer (ms, CLOCK_MONOTONIC), UINT64_MAX when none. */
uint64_t proxy_next_deadline(const struct proxy *p);

/* The envelope's "network" object: grants, every request with its decision, totals. */
json_t *proxy_report(const struct proxy *p);
