/* Network grants: "host[:port], *.domain[:port], 1.2.3.4[:port], [v6][:port], *, !deny" lists,
 * how a request's host:port is matched against them, and which resolved addresses the proxy
 * refuses to connect to. Pure code: no I/O, no DNS; unit-tested in tests/unit/test_netgrant.c. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../base/error.h"

enum net_rule_kind {
        NET_RULE_HOST,     /* exactly this host name */
        NET_RULE_WILDCARD, /* "*.example.com": any name strictly below example.com */
        NET_RULE_IP,       /* a literal IPv4 or IPv6 address */
        NET_RULE_ANY,      /* "*": any host NAME (raw IPs still need a literal grant) */
};

struct net_rule {
        enum net_rule_kind kind;
        bool deny;      /* "!rule": denied even when another rule allows it (deny is checked first) */
        char *host;     /* lower-case, no trailing dot; WILDCARD: the suffix without "*.";
                         * IP: canonical text (inet_ntop, IPv6 without brackets); ANY: "*" */
        uint16_t port;  /* 0 = default: 80 and 443 for allow rules, every port for deny rules */
};

struct net_grants {
        struct net_rule *rules;
        size_t n;
};

/* Append the rules of a comma- and/or whitespace-separated list (empty items are skipped).
 * origin names the list in error messages ("skilllite.network", "--allow-network").
 * On error nothing is appended and err says which item is wrong and why. */
int net_grants_parse(struct net_grants *g, const char *list, const char *origin, struct error *err);
void net_grants_done(struct net_grants *g);
/* The rules again as canonical strings ("api.example.com", "*.github.com:443", "!x.com",
 * "[2001:db8::1]:443"), in order. */
json_t *net_grants_to_json(const struct net_grants *g);
/* True when a "*" allow rule is present (open internet through the proxy, a warning). */
bool net_grants_open(const struct net_grants *g);

enum net_verdict {
        NET_ALLOW,
        NET_DENY_RULE,        /* a "!" rule matched */
        NET_DENY_NOT_GRANTED, /* no allow rule matched (for raw IPs: not granted literally) */
        NET_DENY_BAD_HOST,    /* not a valid host name or IP literal */
};
const char *net_verdict_to_string(enum net_verdict v); /* "allowed", "deny_rule", ... */

/* Match a request's host (as the client sent it: a name, an IPv4 literal in any form inet_aton
 * accepts such as "2130706433" or "0x7f.1", or an IPv6 literal without brackets) and port.
 * Names are compared case-insensitively, without one trailing dot. Anything that parses as an IP
 * is treated as an IP (only NET_RULE_IP rules can allow it). *matched (optional) is set to the
 * deciding rule or NULL. */
enum net_verdict net_grants_match(const struct net_grants *g, const char *host, uint16_t port,
                                  const struct net_rule **matched);

/* Classes of destination addresses. Everything except NET_ADDR_PUBLIC is refused by the proxy
 * unless the user passed --allow-private-network. */
enum net_addr_class {
        NET_ADDR_PUBLIC,
        NET_ADDR_LOOPBACK,    /* 127/8, ::1 */
        NET_ADDR_PRIVATE,     /* 10/8, 172.16/12, 192.168/16, fc00::/7 */
        NET_ADDR_LINK_LOCAL,  /* 169.254/16, fe80::/10 */
        NET_ADDR_CGNAT,       /* 100.64/10 */
        NET_ADDR_MULTICAST,   /* 224/4, ff00::/8 */
        NET_ADDR_METADATA,    /* 169.254.169.254, fd00:ec2::254 (checked before link-local/private) */
        NET_ADDR_UNSPECIFIED, /* 0/8, ::, 255.255.255.255, 240/4 (reserved) */
};
const char *net_addr_class_to_string(enum net_addr_class c); /* "public", "loopback", ... */
/* AF_INET or AF_INET6 (anything else is NET_ADDR_UNSPECIFIED). IPv6 forms that carry an IPv4
 * address (v4-mapped ::ffff:0:0/96, v4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16)
 * are classified by that IPv4 address. */
enum net_addr_class net_addr_classify(const struct sockaddr *sa);
