/* The proxy's resolver child (see resolver.h). */
#include "resolver.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/macros.h"
#include "../sys/sys.h"

struct resolver_request {
        uint32_t id;
        char host[256];
};

_Noreturn static void resolver_main(int fd) {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        /* The engine's pipes to the skill and everything else it holds are not ours to keep. */
        if (fd != 3 && (dup2(fd, 3) < 0 || close(fd) < 0))
                _exit(1);
        sys_close_range_from(4);
        for (;;) {
                struct resolver_request q;
                ssize_t k = recv(3, &q, sizeof(q), 0);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k != (ssize_t) sizeof(q))
                        _exit(0); /* the engine closed its end */
                q.host[sizeof(q.host) - 1] = '\0';
                struct resolver_answer a;
                memset(&a, 0, sizeof(a));
                a.id = q.id;
                struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
                struct addrinfo *res = NULL;
                a.gai_error = getaddrinfo(q.host, NULL, &hints, &res);
                for (struct addrinfo *ai = res; ai && a.n < RESOLVER_MAX_ADDRS; ai = ai->ai_next)
                        if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
                            ai->ai_addrlen <= sizeof(a.addrs[0]))
                                memcpy(&a.addrs[a.n++], ai->ai_addr, ai->ai_addrlen);
                if (res)
                        freeaddrinfo(res);
                if (send(3, &a, sizeof(a), MSG_NOSIGNAL) < 0 && errno != EINTR)
                        _exit(0);
        }
}

static int resolver_start(struct resolver *r) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return -errno;
        pid_t pid = fork();
        if (pid < 0) {
                int e = -errno;
                close(sv[0]), close(sv[1]);
                return e;
        }
        if (pid == 0) {
                close(sv[0]);
                resolver_main(sv[1]);
        }
        close(sv[1]);
        r->pid = pid;
        r->fd = sv[0];
        return 0;
}

int resolver_lookup(struct resolver *r, uint32_t id, const char *host) {
        if (r->fd < 0) {
                int e = resolver_start(r);
                if (e < 0)
                        return e;
        }
        struct resolver_request q = { .id = id };
        size_t n = strlen(host);
        if (n >= sizeof(q.host))
                return -ENAMETOOLONG;
        memcpy(q.host, host, n);
        /* A request is one small datagram on an otherwise idle socket: it does not block. */
        if (send(r->fd, &q, sizeof(q), MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

int resolver_read(struct resolver *r, struct resolver_answer *a) {
        if (r->fd < 0)
                return 0;
        ssize_t k = recv(r->fd, a, sizeof(*a), MSG_DONTWAIT);
        if (k < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -errno;
        if (k != (ssize_t) sizeof(*a))
                return -EPIPE;
        if (a->n > RESOLVER_MAX_ADDRS)
                a->n = RESOLVER_MAX_ADDRS;
        return 1;
}

void resolver_stop(struct resolver *r) {
        r->fd = safe_close(r->fd);
        if (r->pid > 0) {
                kill(r->pid, SIGKILL);
                while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        r->pid = 0;
}
