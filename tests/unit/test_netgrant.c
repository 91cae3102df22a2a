/* Unit tests for src/policy/netgrant: parsing grant lists, their canonical JSON form, matching a
 * request's host:port (names, wildcards, deny rules, raw and obfuscated IPs), address classes. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "../../src/base/macros.h"
#include "../../src/skill/netgrant.h"

static void grants_donep(struct net_grants *g) {
        net_grants_done(g);
}
#define _cleanup_grants_ _cleanup_(grants_donep)

static void parse_ok(struct net_grants *g, const char *list) {
        struct error err = ERROR_INIT;
        int r = net_grants_parse(g, list, "test", &err);
        cr_assert_eq(r, 0, "'%s' should parse: %d %s", list, r, err.msg);
}

/* The canonical strings of g, joined with single blanks. */
static void expect_json(const struct net_grants *g, const char *want) {
        json_t *arr = net_grants_to_json(g);
        cr_assert_not_null(arr);
        cr_assert(json_is_array(arr));
        char got[2048] = "";
        size_t len = 0;
        for (size_t i = 0; i < json_array_size(arr); i++) {
                const char *s = json_string_value(json_array_get(arr, i));
                cr_assert_not_null(s);
                len += (size_t) snprintf(got + len, sizeof(got) - len, "%s%s", i ? " " : "", s);
                cr_assert_lt(len, sizeof(got));
        }
        cr_expect_eq(json_array_size(arr), g->n);
        cr_expect_str_eq(got, want);
        json_decref(arr);
}

/* ---- parsing and canonical form ------------------------------------------------------------- */

Test(netgrant_parse, every_form_round_trips) {
        static const struct {
                const char *in, *out;
                enum net_rule_kind kind;
                bool deny;
                const char *host;
                uint16_t port;
        } table[] = {
                { "api.example.com", "api.example.com", NET_RULE_HOST, false, "api.example.com", 0 },
                { "api.example.com:8443", "api.example.com:8443", NET_RULE_HOST, false, "api.example.com", 8443 },
                { "API.Example.COM.", "api.example.com", NET_RULE_HOST, false, "api.example.com", 0 },
                { "localhost", "localhost", NET_RULE_HOST, false, "localhost", 0 },
                { "my_host.internal-1.example", "my_host.internal-1.example", NET_RULE_HOST, false,
                  "my_host.internal-1.example", 0 },
                { "xn--bcher-kva.example", "xn--bcher-kva.example", NET_RULE_HOST, false, "xn--bcher-kva.example", 0 },
                { "host.example:1", "host.example:1", NET_RULE_HOST, false, "host.example", 1 },
                { "host.example:65535", "host.example:65535", NET_RULE_HOST, false, "host.example", 65535 },
                { "host.example:0443", "host.example:443", NET_RULE_HOST, false, "host.example", 443 },
                { "1a.example", "1a.example", NET_RULE_HOST, false, "1a.example", 0 },
                { "example.123a", "example.123a", NET_RULE_HOST, false, "example.123a", 0 },
                { "*.github.com", "*.github.com", NET_RULE_WILDCARD, false, "github.com", 0 },
                { "*.github.com:443", "*.github.com:443", NET_RULE_WILDCARD, false, "github.com", 443 },
                { "*.GitHub.com.", "*.github.com", NET_RULE_WILDCARD, false, "github.com", 0 },
                { "*", "*", NET_RULE_ANY, false, "*", 0 },
                { "*:8080", "*:8080", NET_RULE_ANY, false, "*", 8080 },
                { "!bad.example.com", "!bad.example.com", NET_RULE_HOST, true, "bad.example.com", 0 },
                { "!bad.example.com:25", "!bad.example.com:25", NET_RULE_HOST, true, "bad.example.com", 25 },
                { "!*.ads.example.com", "!*.ads.example.com", NET_RULE_WILDCARD, true, "ads.example.com", 0 },
                { "!*", "!*", NET_RULE_ANY, true, "*", 0 },
                { "!*:25", "!*:25", NET_RULE_ANY, true, "*", 25 },
                { "203.0.113.5", "203.0.113.5", NET_RULE_IP, false, "203.0.113.5", 0 },
                { "203.0.113.5:8080", "203.0.113.5:8080", NET_RULE_IP, false, "203.0.113.5", 8080 },
                { "203.0.113.5.", "203.0.113.5", NET_RULE_IP, false, "203.0.113.5", 0 },
                { "!10.0.0.1", "!10.0.0.1", NET_RULE_IP, true, "10.0.0.1", 0 },
                { "[2001:db8::1]:443", "[2001:db8::1]:443", NET_RULE_IP, false, "2001:db8::1", 443 },
                { "[2001:DB8:0:0:0:0:0:1]", "[2001:db8::1]", NET_RULE_IP, false, "2001:db8::1", 0 },
                { "2001:db8:0::1", "[2001:db8::1]", NET_RULE_IP, false, "2001:db8::1", 0 },
                { "::1", "[::1]", NET_RULE_IP, false, "::1", 0 },
                { "::ffff:203.0.113.5", "[::ffff:203.0.113.5]", NET_RULE_IP, false, "::ffff:203.0.113.5", 0 },
                { "![fe80::1]:22", "![fe80::1]:22", NET_RULE_IP, true, "fe80::1", 22 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_grants_ struct net_grants g = { 0 };
                parse_ok(&g, table[i].in);
                cr_assert_eq(g.n, 1, "'%s'", table[i].in);
                const struct net_rule *r = &g.rules[0];
                cr_expect_eq(r->kind, table[i].kind, "'%s' kind %d", table[i].in, r->kind);
                cr_expect_eq(r->deny, table[i].deny, "'%s' deny", table[i].in);
                cr_expect_str_eq(r->host, table[i].host, "'%s' host", table[i].in);
                cr_expect_eq(r->port, table[i].port, "'%s' port %u", table[i].in, r->port);
                expect_json(&g, table[i].out);

                /* The canonical form parses back to itself. */
                _cleanup_grants_ struct net_grants again = { 0 };
                parse_ok(&again, table[i].out);
                expect_json(&again, table[i].out);
        }
}

Test(netgrant_parse, name_length_limits) {
        char label63[64], name253[254];
        memset(label63, 'a', 63);
        label63[63] = '\0';
        /* 4 labels of 62 + 3 dots = 251, plus ".z" = 253. */
        size_t len = 0;
        for (int i = 0; i < 4; i++) {
                memset(name253 + len, 'b', 62);
                len += 62;
                name253[len++] = '.';
        }
        name253[len++] = 'z';
        name253[len] = '\0';
        cr_assert_eq(strlen(name253), 253);

        char buf[600];
        _cleanup_grants_ struct net_grants g = { 0 };
        snprintf(buf, sizeof(buf), "%s.example", label63);
        parse_ok(&g, buf);
        parse_ok(&g, name253);
        snprintf(buf, sizeof(buf), "%s.", name253); /* the trailing dot does not count */
        parse_ok(&g, buf);
        cr_expect_eq(g.n, 3);
        cr_expect_str_eq(g.rules[2].host, name253);
}

Test(netgrant_parse, separators_order_and_appending) {
        _cleanup_grants_ struct net_grants g = { 0 };
        parse_ok(&g, " a.example,b.example\tc.example ,, \n *.d.example:443\r\n");
        cr_assert_eq(g.n, 4);
        expect_json(&g, "a.example b.example c.example *.d.example:443");
        cr_expect_not(net_grants_open(&g));

        parse_ok(&g, "!x.example , [::1]:8080");
        expect_json(&g, "a.example b.example c.example *.d.example:443 !x.example [::1]:8080");

        /* Duplicates are kept: the list says what the user wrote, in order. */
        parse_ok(&g, "a.example");
        cr_expect_eq(g.n, 7);
}

Test(netgrant_parse, empty_lists_add_nothing) {
        _cleanup_grants_ struct net_grants g = { 0 };
        static const char *const empty[] = { "", " ", ",", " ,\t,\n, ", ",,,," };
        for (size_t i = 0; i < ELEMENTSOF(empty); i++)
                parse_ok(&g, empty[i]);
        struct error err = ERROR_INIT;
        cr_expect_eq(net_grants_parse(&g, NULL, "test", &err), 0);
        cr_expect_eq(g.n, 0);
        expect_json(&g, "");
}

Test(netgrant_parse, open_means_an_allow_star) {
        static const struct {
                const char *list;
                bool open;
        } table[] = {
                { "*", true },      { "*:443", true },        { "a.example, *", true },
                { "!*", false },    { "*.example.com", false }, { "a.example", false },
                { "", false },      { "!*, a.example", false },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_grants_ struct net_grants g = { 0 };
                parse_ok(&g, table[i].list);
                cr_expect_eq(net_grants_open(&g), table[i].open, "'%s'", table[i].list);
        }
}

static void expect_rejected(const char *item, const char *msg_part) {
        _cleanup_grants_ struct net_grants g = { 0 };
        parse_ok(&g, "kept.example");
        struct error err = ERROR_INIT;
        char list[512];
        /* A valid item first: on error nothing of the list is appended. */
        snprintf(list, sizeof(list), "ok.example, %s", item);
        int r = net_grants_parse(&g, list, "skilllite.network", &err);
        cr_expect_eq(r, -EINVAL, "'%s': got %d (%s)", item, r, err.msg);
        cr_expect_eq(err.code, -EINVAL, "'%s'", item);
        cr_expect_eq(g.n, 1, "'%s': nothing appended", item);
        cr_expect_not_null(strstr(err.msg, "skilllite.network"), "'%s': message '%s' lacks the origin", item,
                           err.msg);
        char quoted[300];
        snprintf(quoted, sizeof(quoted), "'%s'", item);
        cr_expect_not_null(strstr(err.msg, quoted), "'%s': message '%s' lacks the item", item, err.msg);
        cr_expect_not_null(strstr(err.msg, msg_part), "'%s': message '%s' lacks '%s'", item, err.msg, msg_part);
        expect_json(&g, "kept.example");
}

Test(netgrant_parse, every_rejection) {
        static const struct {
                const char *item, *why;
        } table[] = {
                { "http://example.com", "URL" },
                { "https://example.com:443", "URL" },
                { "example.com/path", "path" },
                { "/etc/hosts", "path" },
                { "user@example.com", "user info" },
                { "user:pw@example.com:443", "user info" },
                { "example.com:0", "port" },
                { "example.com:65536", "port" },
                { "example.com:99999999999999999999", "port" },
                { "example.com:http", "port" },
                { "example.com:-1", "port" },
                { "example.com:+80", "port" },
                { "example.com:", "port" },
                { "[::1]:0", "port" },
                { "[::1]:", "port" },
                { "*:0", "port" },
                { ":443", "empty" },
                { "!", "nothing follows" },
                { "!!a.example", "letters, digits" },
                { "*.com", "use '*' instead" },
                { "*.com:443", "use '*' instead" },
                { "!*.com", "use '*' instead" },
                { "*.", "empty" },
                { "*.*.example.com", "letters, digits" },
                { "*.example.*", "letters, digits" },
                { "foo*.example.com", "'*' may only" },
                { "*foo.example.com", "'*' may only" },
                { "ex*ample.com", "'*' may only" },
                { "**", "'*' may only" },
                { "*.1.2.3.4", "all digits" },
                { "*.0x7f000001", "not an IP" },
                { "b\xc3\xbc" "cher.de", "punycode" },
                { "\xff.example", "punycode" },
                { "1.2.3", "dotted quad" },
                { "10", "dotted quad" },
                { "1.2.3.4.5", "all digits" },
                { "256.1.1.1", "all digits" },
                { "01.2.3.4", "dotted quad" },
                { "example.123", "all digits" },
                { "2130706433", "dotted quad" },
                { "0x7f000001", "dotted quad" },
                { "0x7f.0.0.1", "dotted quad" },
                { "-a.example", "'-'" },
                { "a-.example", "'-'" },
                { "a.-b.example", "'-'" },
                { "a..example", "empty label" },
                { ".a.example", "empty label" },
                { "a.example..", "empty label" },
                { ".", "empty" },
                { "exa$mple.com", "letters, digits" },
                { "exa%mple.com", "letters, digits" },
                { "a]b.example", "letters, digits" },
                { "[::1", "closing ']'" },
                { "[::1]x", "only ':port'" },
                { "[::1]]", "only ':port'" },
                { "[1.2.3.4]", "IPv6" },
                { "[example.com]:443", "IPv6" },
                { "[]", "IPv6" },
                { "[fe80::1%eth0]", "IPv6" },
                { "fe80::1%eth0", "IPv6" },
                { "2001:db8::1:443:x", "IPv6" },
                { "example.com:80:90", "IPv6" },
                { "1:2:3:4:5:6:7:8:9", "IPv6" },
                { "1:2", "dotted quad" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                expect_rejected(table[i].item, table[i].why);
}

Test(netgrant_parse, rejects_overlong_labels_and_names) {
        char label64[80];
        memset(label64, 'a', 64);
        snprintf(label64 + 64, sizeof(label64) - 64, ".example");
        expect_rejected(label64, "63");

        char name254[300];
        size_t len = 0;
        for (int i = 0; i < 4; i++) {
                memset(name254 + len, 'b', 62);
                len += 62;
                name254[len++] = '.';
        }
        name254[len++] = 'z';
        name254[len++] = 'z';
        name254[len] = '\0';
        cr_assert_eq(strlen(name254), 254);
        expect_rejected(name254, "253");
}

Test(netgrant_parse, works_without_error_record_or_origin) {
        _cleanup_grants_ struct net_grants g = { 0 };
        cr_expect_eq(net_grants_parse(&g, "http://x", "test", NULL), -EINVAL);
        struct error err = ERROR_INIT;
        cr_expect_eq(net_grants_parse(&g, "a.example, http://x", NULL, &err), -EINVAL);
        cr_expect_neq(err.msg[0], '\0');
        cr_expect_eq(g.n, 0);
        parse_ok(&g, "a.example");
        cr_expect_eq(g.n, 1);
}

Test(netgrant_parse, done_is_idempotent) {
        struct net_grants g = { 0 };
        net_grants_done(&g);
        parse_ok(&g, "a.example, *");
        net_grants_done(&g);
        cr_expect_null(g.rules);
        cr_expect_eq(g.n, 0);
        net_grants_done(&g);
}

/* ---- matching ------------------------------------------------------------------------------- */

/* Match host:port against list; on a decision by a rule, that rule's canonical form is want_rule. */
static void expect_match(const char *list, const char *host, uint16_t port, enum net_verdict want,
                         const char *want_rule) {
        _cleanup_grants_ struct net_grants g = { 0 };
        parse_ok(&g, list);
        const struct net_rule *m = (const struct net_rule *) 0x1;
        enum net_verdict v = net_grants_match(&g, host, port, &m);
        cr_expect_eq(v, want, "[%s] %s:%u: %s, want %s", list, host ? host : "(null)", port,
                     net_verdict_to_string(v), net_verdict_to_string(want));
        /* The same verdict without asking for the rule. */
        cr_expect_eq(net_grants_match(&g, host, port, NULL), v);
        if (!want_rule) {
                cr_expect_null(m, "[%s] %s:%u: no deciding rule", list, host ? host : "(null)", port);
                return;
        }
        cr_assert_not_null(m, "[%s] %s:%u", list, host, port);
        cr_assert(m >= g.rules && m < g.rules + g.n, "the rule is one of ours");
        struct net_grants one = { .rules = (struct net_rule *) m, .n = 1 };
        json_t *arr = net_grants_to_json(&one);
        cr_assert_not_null(arr);
        cr_expect_str_eq(json_string_value(json_array_get(arr, 0)), want_rule, "[%s] %s:%u", list, host, port);
        json_decref(arr);
}

#define ALLOWED(list, host, port, rule) expect_match(list, host, port, NET_ALLOW, rule)
#define DENIED(list, host, port, rule) expect_match(list, host, port, NET_DENY_RULE, rule)
#define NOT_GRANTED(list, host, port) expect_match(list, host, port, NET_DENY_NOT_GRANTED, NULL)
#define BAD_HOST(list, host, port) expect_match(list, host, port, NET_DENY_BAD_HOST, NULL)

Test(netgrant_match, verdict_strings) {
        cr_expect_str_eq(net_verdict_to_string(NET_ALLOW), "allowed");
        cr_expect_str_eq(net_verdict_to_string(NET_DENY_RULE), "deny_rule");
        cr_expect_str_eq(net_verdict_to_string(NET_DENY_NOT_GRANTED), "not_granted");
        cr_expect_str_eq(net_verdict_to_string(NET_DENY_BAD_HOST), "bad_host");
}

Test(netgrant_match, exact_host_with_default_ports) {
        const char *l = "api.example.com";
        ALLOWED(l, "api.example.com", 443, "api.example.com");
        ALLOWED(l, "api.example.com", 80, "api.example.com");
        NOT_GRANTED(l, "api.example.com", 8080);
        NOT_GRANTED(l, "api.example.com", 22);
        NOT_GRANTED(l, "api.example.com", 0);
        NOT_GRANTED(l, "sub.api.example.com", 443);
        NOT_GRANTED(l, "example.com", 443);
        NOT_GRANTED(l, "xapi.example.com", 443);
        NOT_GRANTED(l, "api.example.com.evil.com", 443);
        NOT_GRANTED(l, "api.example.co", 443);
        NOT_GRANTED(l, "other.example", 443);
}

Test(netgrant_match, explicit_port_is_exact) {
        const char *l = "api.example.com:8443";
        ALLOWED(l, "api.example.com", 8443, "api.example.com:8443");
        NOT_GRANTED(l, "api.example.com", 443);
        NOT_GRANTED(l, "api.example.com", 80);
        NOT_GRANTED(l, "api.example.com", 8444);
        ALLOWED("a.example:443", "a.example", 443, "a.example:443");
        NOT_GRANTED("a.example:443", "a.example", 80);
        /* Several rules for one host: the first that fits decides. */
        ALLOWED("a.example:22, a.example", "a.example", 443, "a.example");
        ALLOWED("a.example:22, a.example", "a.example", 22, "a.example:22");
}

Test(netgrant_match, case_and_trailing_dot) {
        ALLOWED("api.example.com", "API.Example.COM", 443, "api.example.com");
        ALLOWED("api.example.com", "api.example.com.", 443, "api.example.com");
        ALLOWED("API.EXAMPLE.COM.", "Api.Example.Com.", 443, "api.example.com");
        ALLOWED("*.example.com", "WWW.EXAMPLE.COM.", 443, "*.example.com");
        BAD_HOST("api.example.com", "api.example.com..", 443);
        BAD_HOST("api.example.com", ".api.example.com", 443);
}

Test(netgrant_match, wildcard_is_strictly_below) {
        const char *l = "*.github.com";
        ALLOWED(l, "api.github.com", 443, "*.github.com");
        ALLOWED(l, "a.b.c.github.com", 80, "*.github.com");
        NOT_GRANTED(l, "github.com", 443);
        NOT_GRANTED(l, "evilgithub.com", 443);
        NOT_GRANTED(l, "github.com.evil.com", 443);
        NOT_GRANTED(l, "api.github.co", 443);
        NOT_GRANTED(l, "api.github.com", 22);
        ALLOWED("*.github.com:22", "ssh.github.com", 22, "*.github.com:22");
        NOT_GRANTED("*.github.com:22", "ssh.github.com", 443);
        ALLOWED("*.github.com, github.com", "github.com", 443, "github.com");
}

Test(netgrant_match, any_allows_names_only) {
        ALLOWED("*", "anything.example", 443, "*");
        ALLOWED("*", "localhost", 80, "*");
        ALLOWED("*", "a", 443, "*");
        NOT_GRANTED("*", "anything.example", 22);
        ALLOWED("*:22", "anything.example", 22, "*:22");
        NOT_GRANTED("*:22", "anything.example", 443);
        NOT_GRANTED("*", "203.0.113.5", 443);
        NOT_GRANTED("*", "2001:db8::1", 443);
        NOT_GRANTED("*:8080", "203.0.113.5", 8080);
}

Test(netgrant_match, deny_rules_come_first) {
        const char *l = "*, !bad.example.com";
        DENIED(l, "bad.example.com", 443, "!bad.example.com");
        DENIED(l, "BAD.example.com.", 443, "!bad.example.com");
        DENIED(l, "bad.example.com", 8080, "!bad.example.com"); /* deny without port: every port */
        ALLOWED(l, "good.example.com", 443, "*");
        ALLOWED(l, "sub.bad.example.com", 443, "*");

        /* The order in the list does not matter. */
        DENIED("bad.example.com, !bad.example.com", "bad.example.com", 443, "!bad.example.com");
        DENIED("!bad.example.com, bad.example.com", "bad.example.com", 443, "!bad.example.com");

        const char *w = "!*.ads.example.com, *";
        DENIED(w, "x.ads.example.com", 443, "!*.ads.example.com");
        DENIED(w, "a.b.ads.example.com", 80, "!*.ads.example.com");
        ALLOWED(w, "ads.example.com", 443, "*");

        const char *p = "!bad.example:25, *:25, *";
        DENIED(p, "bad.example", 25, "!bad.example:25");
        ALLOWED(p, "bad.example", 443, "*");
        ALLOWED(p, "good.example", 25, "*:25");

        DENIED("!*, a.example", "a.example", 443, "!*");
        DENIED("!*:22, *:22", "a.example", 22, "!*:22");
        ALLOWED("!*:22, *", "a.example", 443, "*");
        NOT_GRANTED("!bad.example", "good.example", 443);
}

Test(netgrant_match, ip_literals) {
        const char *l = "203.0.113.5, [2001:db8::1]:443";
        ALLOWED(l, "203.0.113.5", 443, "203.0.113.5");
        ALLOWED(l, "203.0.113.5", 80, "203.0.113.5");
        ALLOWED(l, "203.0.113.5.", 80, "203.0.113.5");
        NOT_GRANTED(l, "203.0.113.5", 8080);
        NOT_GRANTED(l, "203.0.113.6", 443);
        /* Other spellings of the same address are the same address. */
        ALLOWED(l, "3405803781", 443, "203.0.113.5");
        ALLOWED(l, "0xcb.0.0x71.5", 443, "203.0.113.5");
        ALLOWED(l, "203.0.28933", 443, "203.0.113.5");
        ALLOWED(l, "0313.0.0161.05", 443, "203.0.113.5");
        ALLOWED(l, "::ffff:203.0.113.5", 443, "203.0.113.5");
        ALLOWED(l, "[::ffff:cb00:7105]", 443, "203.0.113.5");

        ALLOWED(l, "2001:db8::1", 443, "[2001:db8::1]:443");
        ALLOWED(l, "[2001:DB8:0::1]", 443, "[2001:db8::1]:443");
        ALLOWED(l, "2001:0db8:0000:0000:0000:0000:0000:0001", 443, "[2001:db8::1]:443");
        NOT_GRANTED(l, "2001:db8::1", 80);
        NOT_GRANTED(l, "2001:db8::2", 443);

        /* NAT64 or v4-compatible forms are other destinations: no match. */
        NOT_GRANTED(l, "64:ff9b::cb00:7105", 443);
        NOT_GRANTED(l, "::203.0.113.5", 443);

        /* A v4-mapped rule grants the IPv4 address and the other way round. */
        ALLOWED("::ffff:198.51.100.7", "198.51.100.7", 443, "[::ffff:198.51.100.7]");

        /* Names never match IP rules, IPs never match name rules. */
        NOT_GRANTED("203.0.113.5", "host.example", 443);
        NOT_GRANTED("localhost", "127.0.0.1", 80);
}

Test(netgrant_match, ip_deny_rules) {
        DENIED("203.0.113.5, !203.0.113.5", "203.0.113.5", 443, "!203.0.113.5");
        DENIED("[::ffff:203.0.113.5], !203.0.113.5", "::ffff:203.0.113.5", 443, "!203.0.113.5");
        DENIED("203.0.113.5, ![::ffff:203.0.113.5]", "3405803781", 443, "![::ffff:203.0.113.5]");
        DENIED("203.0.113.5:8080, !203.0.113.5", "203.0.113.5", 8080, "!203.0.113.5");
        ALLOWED("203.0.113.5, !203.0.113.5:25", "203.0.113.5", 443, "203.0.113.5");
        /* "!*" is about names, like "*". */
        ALLOWED("!*, 203.0.113.5", "203.0.113.5", 443, "203.0.113.5");
}

/* The usual ways to smuggle a loopback or private address past a name-only grant. */
Test(netgrant_match, obfuscated_ips_are_ips) {
        static const char *const hosts[] = {
                "127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "127.1", "127.0.1", "0177.0.0.1",
                "0x7F.0.0.1", "017700000001", "[::1]", "::1", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]",
                "::ffff:7f00:1", "0:0:0:0:0:0:0:1", "169.254.169.254", "0xa9fea9fe", "10.1", "0",
                "[::]", "127.0.0.1.",
        };
        for (size_t i = 0; i < ELEMENTSOF(hosts); i++) {
                NOT_GRANTED("*", hosts[i], 443);
                NOT_GRANTED("*, localhost, *.example.com", hosts[i], 80);
        }
        ALLOWED("127.0.0.1", "2130706433", 443, "127.0.0.1");
        ALLOWED("127.0.0.1", "0x7f.1", 443, "127.0.0.1");
        ALLOWED("127.0.0.1", "127.1", 443, "127.0.0.1");
        ALLOWED("127.0.0.1", "::ffff:127.0.0.1", 443, "127.0.0.1");
        ALLOWED("::1", "[::1]", 443, "[::1]");
        NOT_GRANTED("127.0.0.1", "[::1]", 443);
}

Test(netgrant_match, bad_hosts) {
        char longname[400];
        memset(longname, 'a', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        const char *const hosts[] = {
                NULL, "", ".", "..", "a..b", "-a.example", "a-.example", "exa mple.com", "a.example x",
                "1.2.3.4 evil.example", "1.2.3.4\t", " 1.2.3.4", "http://a.example", "a.example/x",
                "a@b.example", "a.example:443", "b\xc3\xbc" "cher.de", "*.example.com", "*",
                "1.2.3.4.5", "foo.123", "999.1.1.1", "[::1", "::1]", "[1.2.3.4]", "[a.example]",
                "[]", "fe80::1%eth0", "[fe80::1%25eth0]", "a.example\n", "a\x01.example", longname,
        };
        for (size_t i = 0; i < ELEMENTSOF(hosts); i++)
                BAD_HOST("*", hosts[i], 443);
}

Test(netgrant_match, name_at_the_length_limit) {
        char name[260];
        size_t len = 0;
        for (int i = 0; i < 4; i++) {
                memset(name + len, 'b', 62);
                len += 62;
                name[len++] = '.';
        }
        name[len++] = 'z';
        name[len] = '\0';
        ALLOWED("*", name, 443, "*");
        name[len++] = '.';
        name[len] = '\0';
        ALLOWED("*", name, 443, "*");
        name[len - 1] = 'z';
        BAD_HOST("*", name, 443);
}

Test(netgrant_match, nothing_granted) {
        NOT_GRANTED("", "a.example", 443);
        struct net_grants none = { 0 };
        cr_expect_eq(net_grants_match(&none, "a.example", 443, NULL), NET_DENY_NOT_GRANTED);
        cr_expect_eq(net_grants_match(&none, "127.0.0.1", 443, NULL), NET_DENY_NOT_GRANTED);
        cr_expect_eq(net_grants_match(&none, "a..example", 443, NULL), NET_DENY_BAD_HOST);
}

/* ---- address classes ------------------------------------------------------------------------ */

static enum net_addr_class classify_text(const char *addr) {
        if (strchr(addr, ':')) {
                struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
                cr_assert_eq(inet_pton(AF_INET6, addr, &sa.sin6_addr), 1, "%s", addr);
                return net_addr_classify((const struct sockaddr *) &sa);
        }
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(443) };
        cr_assert_eq(inet_pton(AF_INET, addr, &sa.sin_addr), 1, "%s", addr);
        return net_addr_classify((const struct sockaddr *) &sa);
}

struct class_case {
        const char *addr;
        enum net_addr_class want;
};

static void expect_classes(const struct class_case *table, size_t n) {
        for (size_t i = 0; i < n; i++) {
                enum net_addr_class c = classify_text(table[i].addr);
                cr_expect_eq(c, table[i].want, "%s: %s, want %s", table[i].addr, net_addr_class_to_string(c),
                             net_addr_class_to_string(table[i].want));
        }
}

Test(netgrant_classify, class_strings) {
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_PUBLIC), "public");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_LOOPBACK), "loopback");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_PRIVATE), "private");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_LINK_LOCAL), "link_local");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_CGNAT), "cgnat");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_MULTICAST), "multicast");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_METADATA), "metadata");
        cr_expect_str_eq(net_addr_class_to_string(NET_ADDR_UNSPECIFIED), "unspecified");
}

Test(netgrant_classify, ipv4_ranges_and_boundaries) {
        static const struct class_case table[] = {
                { "0.0.0.0", NET_ADDR_UNSPECIFIED },
                { "0.255.255.255", NET_ADDR_UNSPECIFIED },
                { "1.0.0.0", NET_ADDR_PUBLIC },
                { "8.8.8.8", NET_ADDR_PUBLIC },
                { "9.255.255.255", NET_ADDR_PUBLIC },
                { "10.0.0.0", NET_ADDR_PRIVATE },
                { "10.255.255.255", NET_ADDR_PRIVATE },
                { "11.0.0.0", NET_ADDR_PUBLIC },
                { "100.63.255.255", NET_ADDR_PUBLIC },
                { "100.64.0.0", NET_ADDR_CGNAT },
                { "100.100.100.200", NET_ADDR_CGNAT },
                { "100.127.255.255", NET_ADDR_CGNAT },
                { "100.128.0.0", NET_ADDR_PUBLIC },
                { "126.255.255.255", NET_ADDR_PUBLIC },
                { "127.0.0.0", NET_ADDR_LOOPBACK },
                { "127.0.0.1", NET_ADDR_LOOPBACK },
                { "127.255.255.255", NET_ADDR_LOOPBACK },
                { "128.0.0.0", NET_ADDR_PUBLIC },
                { "169.253.255.255", NET_ADDR_PUBLIC },
                { "169.254.0.0", NET_ADDR_LINK_LOCAL },
                { "169.254.169.253", NET_ADDR_LINK_LOCAL },
                { "169.254.169.254", NET_ADDR_METADATA },
                { "169.254.169.255", NET_ADDR_LINK_LOCAL },
                { "169.254.255.255", NET_ADDR_LINK_LOCAL },
                { "169.255.0.0", NET_ADDR_PUBLIC },
                { "172.15.255.255", NET_ADDR_PUBLIC },
                { "172.16.0.0", NET_ADDR_PRIVATE },
                { "172.31.255.255", NET_ADDR_PRIVATE },
                { "172.32.0.0", NET_ADDR_PUBLIC },
                { "192.0.0.0", NET_ADDR_PRIVATE },
                { "192.0.0.255", NET_ADDR_PRIVATE },
                { "192.0.1.0", NET_ADDR_PUBLIC },
                { "192.0.2.1", NET_ADDR_PUBLIC },
                { "192.167.255.255", NET_ADDR_PUBLIC },
                { "192.168.0.0", NET_ADDR_PRIVATE },
                { "192.168.255.255", NET_ADDR_PRIVATE },
                { "192.169.0.0", NET_ADDR_PUBLIC },
                { "198.17.255.255", NET_ADDR_PUBLIC },
                { "198.18.0.0", NET_ADDR_PRIVATE },
                { "198.19.255.255", NET_ADDR_PRIVATE },
                { "198.20.0.0", NET_ADDR_PUBLIC },
                { "198.51.100.7", NET_ADDR_PUBLIC },
                { "203.0.113.5", NET_ADDR_PUBLIC },
                { "223.255.255.255", NET_ADDR_PUBLIC },
                { "224.0.0.0", NET_ADDR_MULTICAST },
                { "224.0.0.251", NET_ADDR_MULTICAST },
                { "239.255.255.255", NET_ADDR_MULTICAST },
                { "240.0.0.0", NET_ADDR_UNSPECIFIED },
                { "255.255.255.254", NET_ADDR_UNSPECIFIED },
                { "255.255.255.255", NET_ADDR_UNSPECIFIED },
        };
        expect_classes(table, ELEMENTSOF(table));
}

Test(netgrant_classify, ipv6_ranges) {
        static const struct class_case table[] = {
                { "::", NET_ADDR_UNSPECIFIED },
                { "::1", NET_ADDR_LOOPBACK },
                { "2001:db8::1", NET_ADDR_PUBLIC },
                { "2606:4700:4700::1111", NET_ADDR_PUBLIC },
                { "fbff:ffff::1", NET_ADDR_PUBLIC },
                { "fc00::", NET_ADDR_PRIVATE },
                { "fc00::1", NET_ADDR_PRIVATE },
                { "fd12:3456::1", NET_ADDR_PRIVATE },
                { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NET_ADDR_PRIVATE },
                { "fd00:ec2::254", NET_ADDR_METADATA },
                { "fd00:ec2::253", NET_ADDR_PRIVATE },
                { "fd00:ec2::1:254", NET_ADDR_PRIVATE },
                { "fe00::1", NET_ADDR_PUBLIC },
                { "fe7f:ffff::1", NET_ADDR_PUBLIC },
                { "fe80::", NET_ADDR_LINK_LOCAL },
                { "fe80::1", NET_ADDR_LINK_LOCAL },
                { "febf:ffff::1", NET_ADDR_LINK_LOCAL },
                { "fec0::1", NET_ADDR_PRIVATE },
                { "feff:ffff::1", NET_ADDR_PRIVATE },
                { "ff00::", NET_ADDR_MULTICAST },
                { "ff02::1", NET_ADDR_MULTICAST },
                { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", NET_ADDR_MULTICAST },
                { "64:ff9b:1::a00:1", NET_ADDR_PRIVATE },
        };
        expect_classes(table, ELEMENTSOF(table));
}

Test(netgrant_classify, ipv6_with_embedded_ipv4) {
        static const struct class_case table[] = {
                /* v4-mapped */
                { "::ffff:127.0.0.1", NET_ADDR_LOOPBACK },
                { "::ffff:10.0.0.1", NET_ADDR_PRIVATE },
                { "::ffff:169.254.169.254", NET_ADDR_METADATA },
                { "::ffff:169.254.1.1", NET_ADDR_LINK_LOCAL },
                { "::ffff:100.64.0.1", NET_ADDR_CGNAT },
                { "::ffff:224.0.0.1", NET_ADDR_MULTICAST },
                { "::ffff:0.0.0.0", NET_ADDR_UNSPECIFIED },
                { "::ffff:172.15.255.255", NET_ADDR_PUBLIC },
                { "::ffff:172.16.0.0", NET_ADDR_PRIVATE },
                { "::ffff:203.0.113.5", NET_ADDR_PUBLIC },
                /* v4-compatible (but :: and ::1 are themselves) */
                { "::127.0.0.1", NET_ADDR_LOOPBACK },
                { "::10.0.0.1", NET_ADDR_PRIVATE },
                { "::169.254.169.254", NET_ADDR_METADATA },
                { "::0.0.0.2", NET_ADDR_UNSPECIFIED },
                { "::203.0.113.5", NET_ADDR_PUBLIC },
                /* NAT64 well-known prefix */
                { "64:ff9b::127.0.0.1", NET_ADDR_LOOPBACK },
                { "64:ff9b::a9fe:a9fe", NET_ADDR_METADATA },
                { "64:ff9b::192.168.1.1", NET_ADDR_PRIVATE },
                { "64:ff9b::100.127.255.255", NET_ADDR_CGNAT },
                { "64:ff9b::8.8.8.8", NET_ADDR_PUBLIC },
                /* 6to4: the IPv4 address is in bytes 2..5 */
                { "2002:7f00:1::", NET_ADDR_LOOPBACK },
                { "2002:a00:1::1", NET_ADDR_PRIVATE },
                { "2002:a9fe:a9fe::1", NET_ADDR_METADATA },
                { "2002:a9fe:101::1", NET_ADDR_LINK_LOCAL },
                { "2002:6440:1::", NET_ADDR_CGNAT },
                { "2002:e000:1::", NET_ADDR_MULTICAST },
                { "2002::1", NET_ADDR_UNSPECIFIED },
                { "2002:ffff:ffff::", NET_ADDR_UNSPECIFIED },
                { "2002:c000:201::1", NET_ADDR_PUBLIC },
                { "2002:cb00:7105::1", NET_ADDR_PUBLIC },
                /* Neighbours of those prefixes are ordinary addresses. */
                { "2003:7f00:1::", NET_ADDR_PUBLIC },
                { "64:ff9a::7f00:1", NET_ADDR_PUBLIC },
                { "::1:ffff:7f00:1", NET_ADDR_PUBLIC },
        };
        expect_classes(table, ELEMENTSOF(table));
}

Test(netgrant_classify, other_families_are_unspecified) {
        struct sockaddr_un un = { .sun_family = AF_UNIX };
        cr_expect_eq(net_addr_classify((const struct sockaddr *) &un), NET_ADDR_UNSPECIFIED);
        struct sockaddr_storage unspec = { .ss_family = AF_UNSPEC };
        cr_expect_eq(net_addr_classify((const struct sockaddr *) &unspec), NET_ADDR_UNSPECIFIED);
        cr_expect_eq(net_addr_classify(NULL), NET_ADDR_UNSPECIFIED);
}
