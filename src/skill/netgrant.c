/* Network grants: parsing "host[:port]" lists, matching a request's host:port against them, and
 * classifying the addresses the proxy would connect to. No I/O and no DNS. */
#include "netgrant.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

#define SEPARATORS ", \t\r\n\f\v"
#define HOST_NAME_MAX_LEN 253
#define LABEL_MAX_LEN 63

/* ---- host names ----------------------------------------------------------------------------- */

static bool is_ascii_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Lower-case in place (ASCII only, independent of the locale) and drop one trailing dot. */
static void host_normalize(char *s) {
        size_t len = strlen(s);
        for (size_t i = 0; i < len; i++)
                if (s[i] >= 'A' && s[i] <= 'Z')
                        s[i] = (char) (s[i] - 'A' + 'a');
        if (len > 0 && s[len - 1] == '.')
                s[len - 1] = '\0';
}

/* NULL when name (already normalized) is a valid host name, else why not. */
static const char *host_name_check(const char *name) {
        size_t len = strlen(name);
        if (len == 0)
                return "the host name is empty";
        if (len > HOST_NAME_MAX_LEN)
                return "the host name is longer than 253 characters";
        const char *label = name;
        for (const char *c = name;; c++) {
                if (*c == '.' || *c == '\0') {
                        size_t n = (size_t) (c - label);
                        if (n == 0)
                                return "the host name has an empty label";
                        if (n > LABEL_MAX_LEN)
                                return "a label of the host name is longer than 63 characters";
                        if (label[0] == '-' || c[-1] == '-')
                                return "a label of the host name starts or ends with '-'";
                        if (*c == '\0')
                                break;
                        label = c + 1;
                } else if (!is_ascii_alnum(*c) && *c != '-' && *c != '_')
                        return "a host name may only contain letters, digits, '-', '_' and '.'";
        }
        /* "10", "1.2.3" or "1.2.3.4.5" are no names: resolvers would read some of them as numbers. */
        if (strspn(label, "0123456789") == strlen(label))
                return "the last label is all digits: not a host name and not a dotted-quad IPv4 address";
        return NULL;
}

/* ---- IP literals ---------------------------------------------------------------------------- */

struct ip {
        int family;
        unsigned char b[16]; /* AF_INET: the first 4 bytes */
};

static const unsigned char V4_MAPPED_PREFIX[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* ::ffff:a.b.c.d is the very same destination as a.b.c.d on a dual-stack socket, so it compares
 * equal to it (a "!1.2.3.4" cannot be sidestepped by writing it as IPv6). */
static void ip_fold_v4_mapped(struct ip *ip) {
        if (ip->family == AF_INET6 && memcmp(ip->b, V4_MAPPED_PREFIX, 12) == 0) {
                memmove(ip->b, ip->b + 12, 4);
                memset(ip->b + 4, 0, 12);
                ip->family = AF_INET;
        }
}

/* A rule's canonical text (dotted quad or bare IPv6). */
static bool ip_from_rule(const char *s, struct ip *ret) {
        *ret = (struct ip) { .family = strchr(s, ':') ? AF_INET6 : AF_INET };
        if (inet_pton(ret->family, s, ret->b) != 1)
                return false;
        ip_fold_v4_mapped(ret);
        return true;
}

/* A request's host (normalized): "[v6]", bare v6, or IPv4 in any form the C library accepts. */
static bool ip_from_request(char *s, struct ip *ret) {
        *ret = (struct ip) { .family = AF_INET6 };
        size_t len = strlen(s);
        if (s[0] == '[') {
                if (len < 2 || s[len - 1] != ']')
                        return false;
                s[len - 1] = '\0';
                bool ok = inet_pton(AF_INET6, s + 1, ret->b) == 1;
                s[len - 1] = ']';
                if (!ok)
                        return false;
        } else if (inet_pton(AF_INET6, s, ret->b) != 1) {
                /* Trap: inet_aton (and so getaddrinfo) reads "127.1", "0x7f.1", "0177.0.0.1"
                 * and "2130706433" as 127.0.0.1. Every form it accepts must count as an IP, or "*"
                 * (any host NAME) would let those through to loopback. It also ignores anything after
                 * a blank ("1.2.3.4 x"); the caller has refused blanks before we get here. */
                struct in_addr a;
                if (inet_aton(s, &a) == 0)
                        return false;
                ret->family = AF_INET;
                memcpy(ret->b, &a, 4);
        }
        ip_fold_v4_mapped(ret);
        return true;
}

static bool ip_equal(const struct ip *a, const struct ip *b) {
        return a->family == b->family && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

/* ---- parsing -------------------------------------------------------------------------------- */

/* "1".."65535", digits only. */
static bool port_parse(const char *s, uint16_t *ret) {
        unsigned v = 0;
        if (!*s)
                return false;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return false;
                v = v * 10 + (unsigned) (*s - '0');
                if (v > 65535)
                        return false;
        }
        if (v == 0)
                return false;
        *ret = (uint16_t) v;
        return true;
}

/* Canonical text of an IP literal of the given family into ret->host. */
static int rule_set_ip(struct net_rule *r, int family, const char *text) {
        unsigned char b[16];
        char buf[INET6_ADDRSTRLEN];
        if (inet_pton(family, text, b) != 1 || !inet_ntop(family, b, buf, sizeof(buf)))
                return -EINVAL;
        r->kind = NET_RULE_IP;
        r->host = strdup(buf);
        return r->host ? 0 : -ENOMEM;
}

static int fail(const char **reason, const char *why) {
        *reason = why;
        return -EINVAL;
}

/* Parse one item (a modifiable copy) into *r. -EINVAL with *reason set, or -ENOMEM. */
static int rule_parse(char *item, struct net_rule *r, const char **reason) {
        *r = (struct net_rule) { .kind = NET_RULE_HOST };
        char *p = item;
        if (*p == '!') {
                r->deny = true;
                p++;
        }
        if (!*p)
                return fail(reason, "nothing follows '!'");
        for (const char *c = p; *c; c++)
                if ((unsigned char) *c >= 0x80)
                        return fail(reason, "non-ASCII host names must be written in punycode (xn--...)");
        if (strstr(p, "://"))
                return fail(reason, "a grant is host[:port], not a URL");
        if (strchr(p, '/'))
                return fail(reason, "a grant is host[:port], without a path");
        if (strchr(p, '@'))
                return fail(reason, "a grant is host[:port], without user info ('@')");

        const char *port = NULL;
        char *host = p;
        if (*p == '[') {
                char *close = strchr(p, ']');
                if (!close)
                        return fail(reason, "'[' without a closing ']'");
                *close = '\0';
                host = p + 1;
                if (close[1] == ':')
                        port = close + 2;
                else if (close[1] != '\0')
                        return fail(reason, "only ':port' may follow ']'");
                if (port && !port_parse(port, &r->port))
                        return fail(reason, "the port must be a number from 1 to 65535");
                int k = rule_set_ip(r, AF_INET6, host);
                if (k == -EINVAL)
                        *reason = "not a valid IPv6 address inside '[...]'";
                return k;
        }

        char *colon = strchr(p, ':');
        if (colon && strchr(colon + 1, ':')) {
                /* Two colons or more: a bare IPv6 address, which cannot carry a port. */
                int k = rule_set_ip(r, AF_INET6, p);
                if (k == -EINVAL)
                        *reason = "not a valid IPv6 address (write one with a port as [address]:port)";
                return k;
        }
        if (colon) {
                *colon = '\0';
                port = colon + 1;
                if (!port_parse(port, &r->port))
                        return fail(reason, "the port must be a number from 1 to 65535");
        }

        if (streq(host, "*")) {
                r->kind = NET_RULE_ANY;
        } else if (strneq(host, "*.", 2)) {
                struct in_addr a;
                r->kind = NET_RULE_WILDCARD;
                host += 2;
                host_normalize(host);
                if ((*reason = host_name_check(host)))
                        return -EINVAL;
                if (inet_aton(host, &a))
                        return fail(reason, "'*.' must be followed by a domain name, not an IP address");
                if (!strchr(host, '.'))
                        return fail(reason, "'*.' over a top-level domain matches nearly everything: use '*' instead");
        } else if (strchr(host, '*')) {
                return fail(reason, "'*' may only stand alone or lead a wildcard as '*.domain'");
        } else {
                struct in_addr a;
                host_normalize(host);
                if (inet_pton(AF_INET, host, &a) == 1)
                        return rule_set_ip(r, AF_INET, host);
                /* See ip_from_request: "127.1" or "0x7f000001" would be matched as an IP, never as a
                 * name, so as a name grant it would be dead (and as an IP grant, ambiguous). */
                if (inet_aton(host, &a))
                        return fail(reason, "write IPv4 addresses as a dotted quad (a.b.c.d)");
                if ((*reason = host_name_check(host)))
                        return -EINVAL;
        }
        r->host = strdup(host);
        return r->host ? 0 : -ENOMEM;
}

static size_t count_items(const char *list) {
        size_t n = 0;
        for (const char *p = list + strspn(list, SEPARATORS); *p; p += strspn(p, SEPARATORS)) {
                n++;
                p += strcspn(p, SEPARATORS);
        }
        return n;
}

int net_grants_parse(struct net_grants *g, const char *list, const char *origin, struct error *err) {
        if (!list)
                return 0;
        if (!origin)
                origin = "network grants";
        size_t n_items = count_items(list), n_total;
        if (n_items == 0)
                return 0;
        if (SIZE_ADD_OVERFLOWS(g->n, n_items, &n_total))
                return error_set(err, -E2BIG, "%s: too many network grants", origin);
        struct net_rule *grown = reallocarray(g->rules, n_total, sizeof(*grown));
        if (!grown)
                return error_set(err, -ENOMEM, "%s: out of memory", origin);
        g->rules = grown;

        size_t n_old = g->n;
        int r = 0;
        for (const char *p = list + strspn(list, SEPARATORS); *p; p += strspn(p, SEPARATORS)) {
                size_t len = strcspn(p, SEPARATORS);
                _cleanup_free_ char *item = strndup(p, len);
                if (!item) {
                        r = error_set(err, -ENOMEM, "%s: out of memory", origin);
                        break;
                }
                const char *reason = "invalid";
                r = rule_parse(item, &g->rules[g->n], &reason);
                if (r < 0) {
                        if (r == -EINVAL)
                                error_set(err, r, "%s: '%.*s': %s", origin, (int) len, p, reason);
                        else
                                error_set(err, r, "%s: out of memory", origin);
                        break;
                }
                g->n++;
                p += len;
        }
        if (r < 0) {
                /* All or nothing: drop what this call appended. */
                for (size_t i = n_old; i < g->n; i++)
                        free(g->rules[i].host);
                g->n = n_old;
        }
        return r;
}

void net_grants_done(struct net_grants *g) {
        for (size_t i = 0; i < g->n; i++)
                free(g->rules[i].host);
        free(g->rules);
        *g = (struct net_grants) {};
}

json_t *net_grants_to_json(const struct net_grants *g) {
        json_t *arr = json_array();
        if (!arr)
                return NULL;
        for (size_t i = 0; i < g->n; i++) {
                const struct net_rule *r = &g->rules[i];
                bool v6 = r->kind == NET_RULE_IP && strchr(r->host, ':');
                char port[8] = "";
                if (r->port)
                        snprintf(port, sizeof(port), ":%u", (unsigned) r->port);
                const char *lead = r->kind == NET_RULE_WILDCARD ? "*." : v6 ? "[" : "";
                char buf[HOST_NAME_MAX_LEN + 16];
                snprintf(buf, sizeof(buf), "%s%s%s%s%s", r->deny ? "!" : "", lead, r->host, v6 ? "]" : "", port);
                if (json_array_append_new(arr, json_string(buf)) < 0) {
                        json_decref(arr);
                        return NULL;
                }
        }
        return arr;
}

bool net_grants_open(const struct net_grants *g) {
        for (size_t i = 0; i < g->n; i++)
                if (g->rules[i].kind == NET_RULE_ANY && !g->rules[i].deny)
                        return true;
        return false;
}

/* ---- matching ------------------------------------------------------------------------------- */

const char *net_verdict_to_string(enum net_verdict v) {
        switch (v) {
        case NET_ALLOW:
                return "allowed";
        case NET_DENY_RULE:
                return "deny_rule";
        case NET_DENY_NOT_GRANTED:
                return "not_granted";
        case NET_DENY_BAD_HOST:
                return "bad_host";
        }
        return "unknown";
}

/* ip is NULL for a host name. */
static bool rule_matches(const struct net_rule *r, const struct ip *ip, const char *name, uint16_t port) {
        if (r->port ? r->port != port : !r->deny && port != 80 && port != 443)
                return false;
        switch (r->kind) {
        case NET_RULE_IP: {
                struct ip want;
                return ip && ip_from_rule(r->host, &want) && ip_equal(ip, &want);
        }
        case NET_RULE_ANY:
                return !ip;
        case NET_RULE_HOST:
                return !ip && streq(r->host, name);
        case NET_RULE_WILDCARD: {
                size_t n = strlen(name), s = strlen(r->host);
                return !ip && n > s + 1 && name[n - s - 1] == '.' && streq(name + n - s, r->host);
        }
        }
        return false;
}

enum net_verdict net_grants_match(const struct net_grants *g, const char *host, uint16_t port,
                                  const struct net_rule **matched) {
        if (matched)
                *matched = NULL;
        /* Room for the longest name plus its trailing dot; longer is refused whatever it is. */
        char name[HOST_NAME_MAX_LEN + 2];
        size_t len = host ? strlen(host) : 0;
        if (len == 0 || len >= sizeof(name))
                return NET_DENY_BAD_HOST;
        for (size_t i = 0; i < len; i++)
                if (!is_ascii_alnum(host[i]) && !strchr(".-_:[]", host[i]))
                        return NET_DENY_BAD_HOST;
        memcpy(name, host, len + 1);
        host_normalize(name);

        struct ip ip;
        bool is_ip = ip_from_request(name, &ip);
        if (!is_ip && host_name_check(name))
                return NET_DENY_BAD_HOST;

        for (int deny = 1; deny >= 0; deny--)
                for (size_t i = 0; i < g->n; i++) {
                        const struct net_rule *r = &g->rules[i];
                        if (r->deny == (bool) deny && rule_matches(r, is_ip ? &ip : NULL, name, port)) {
                                if (matched)
                                        *matched = r;
                                return deny ? NET_DENY_RULE : NET_ALLOW;
                        }
                }
        return NET_DENY_NOT_GRANTED;
}

/* ---- address classes ------------------------------------------------------------------------ */

const char *net_addr_class_to_string(enum net_addr_class c) {
        switch (c) {
        case NET_ADDR_PUBLIC:
                return "public";
        case NET_ADDR_LOOPBACK:
                return "loopback";
        case NET_ADDR_PRIVATE:
                return "private";
        case NET_ADDR_LINK_LOCAL:
                return "link_local";
        case NET_ADDR_CGNAT:
                return "cgnat";
        case NET_ADDR_MULTICAST:
                return "multicast";
        case NET_ADDR_METADATA:
                return "metadata";
        case NET_ADDR_UNSPECIFIED:
                return "unspecified";
        }
        return "unknown";
}

static bool in_net4(uint32_t a, uint32_t net, int prefix) {
        uint32_t mask = prefix == 0 ? 0 : UINT32_MAX << (32 - prefix);
        return (a & mask) == net;
}

/* a in host byte order. */
static enum net_addr_class classify4(uint32_t a) {
        if (in_net4(a, 0x00000000, 8) || in_net4(a, 0xf0000000, 4)) /* 240/4 holds 255.255.255.255 */
                return NET_ADDR_UNSPECIFIED;
        if (in_net4(a, 0x7f000000, 8))
                return NET_ADDR_LOOPBACK;
        if (a == 0xa9fea9fe) /* 169.254.169.254: cloud instance metadata */
                return NET_ADDR_METADATA;
        if (in_net4(a, 0xa9fe0000, 16))
                return NET_ADDR_LINK_LOCAL;
        if (in_net4(a, 0x0a000000, 8) || in_net4(a, 0xac100000, 12) || in_net4(a, 0xc0a80000, 16) ||
            in_net4(a, 0xc0000000, 24) /* IETF protocol assignments */ ||
            in_net4(a, 0xc6120000, 15) /* benchmarking */)
                return NET_ADDR_PRIVATE;
        if (in_net4(a, 0x64400000, 10))
                return NET_ADDR_CGNAT;
        if (in_net4(a, 0xe0000000, 4))
                return NET_ADDR_MULTICAST;
        return NET_ADDR_PUBLIC;
}

static uint32_t load_be32(const unsigned char *b) {
        return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
}

static enum net_addr_class classify6(const unsigned char b[16]) {
        static const unsigned char zero[12] = { 0 };
        static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
        static const unsigned char nat64_local[6] = { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 };
        static const unsigned char ec2_metadata[16] = { 0xfd, 0x00, 0x0e, 0xc2, [14] = 0x02, 0x54 };

        if (memcmp(b, zero, 12) == 0) {
                uint32_t v4 = load_be32(b + 12);
                if (v4 == 0)
                        return NET_ADDR_UNSPECIFIED;
                if (v4 == 1)
                        return NET_ADDR_LOOPBACK;
                return classify4(v4); /* v4-compatible ::a.b.c.d (deprecated, still routed by some stacks) */
        }
        /* Forms that carry an IPv4 address reach it: judge them by it. */
        if (memcmp(b, V4_MAPPED_PREFIX, 12) == 0 || memcmp(b, nat64, 12) == 0)
                return classify4(load_be32(b + 12));
        if (b[0] == 0x20 && b[1] == 0x02) /* 6to4 2002:AABB:CCDD::/48 */
                return classify4(load_be32(b + 2));
        /* 64:ff9b:1::/48 is NAT64 for a site's own networks (RFC 8215), with the IPv4 address at a
         * prefix-dependent place: private by construction. */
        if (memcmp(b, nat64_local, 6) == 0)
                return NET_ADDR_PRIVATE;
        if (memcmp(b, ec2_metadata, 16) == 0)
                return NET_ADDR_METADATA;
        if ((b[0] & 0xfe) == 0xfc)
                return NET_ADDR_PRIVATE;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
                return NET_ADDR_LINK_LOCAL;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* deprecated site-local */
                return NET_ADDR_PRIVATE;
        if (b[0] == 0xff)
                return NET_ADDR_MULTICAST;
        return NET_ADDR_PUBLIC;
}

enum net_addr_class net_addr_classify(const struct sockaddr *sa) {
        if (!sa)
                return NET_ADDR_UNSPECIFIED;
        if (sa->sa_family == AF_INET)
                return classify4(ntohl(((const struct sockaddr_in *) sa)->sin_addr.s_addr));
        if (sa->sa_family == AF_INET6)
                return classify6(((const struct sockaddr_in6 *) sa)->sin6_addr.s6_addr);
        return NET_ADDR_UNSPECIFIED;
}
