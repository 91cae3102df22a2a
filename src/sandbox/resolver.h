/* Name resolution for the proxy without blocking the engine's poll loop: a small child process
 * (a fork of the engine, in the host's namespaces) runs getaddrinfo() for one name at a time and
 * answers over a SOCK_SEQPACKET socket. It sees the host's /etc/hosts and resolver, which is the
 * point: DNS happens here, on the host side, never inside the sandbox. */
#pragma once

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define RESOLVER_MAX_ADDRS 8

struct resolver {
        pid_t pid; /* 0 until the first lookup starts it */
        int fd;    /* engine's end, non-blocking; -1 when not started */
};
#define RESOLVER_INIT { 0, -1 }

struct resolver_answer {
        uint32_t id;
        int32_t gai_error; /* getaddrinfo()'s return value (0 = ok) */
        uint32_t n;
        uint32_t pad;
        struct sockaddr_storage addrs[RESOLVER_MAX_ADDRS];
};

/* Queue a lookup (starts the child on first use). -errno on failure. */
int resolver_lookup(struct resolver *r, uint32_t id, const char *host);
/* Read one answer if there is one: 1 = *a filled, 0 = nothing yet, -errno = the child is gone. */
int resolver_read(struct resolver *r, struct resolver_answer *a);
/* Kill and reap the child, close the socket. */
void resolver_stop(struct resolver *r);
