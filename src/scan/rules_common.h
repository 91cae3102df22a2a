/* Shared vocabulary of the code rules (rules_python.c, rules_js.c, rules_shell.c): reporting a
 * finding at a token with its source line as snippet, what a sensitive or persistence path is,
 * what an encoded blob looks like, the host of a URL constant, and which declared permission
 * covers a finding. One definition here so the three languages judge alike. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"
#include "token.h"

/* A place in the file, where a finding points. */
struct scan_pos {
        uint32_t line, column;
        size_t offset;
};
static inline struct scan_pos scan_pos_of(const struct token_list *l, const struct token *t) {
        struct scan_pos p = { .offset = t->offset };
        token_pos(l, t->offset, &p.line, &p.column);
        return p;
}

/* Append a finding at token t of l (snippet = t's source line). t may be NULL (whole-file
 * finding). Returns 0 or -ENOMEM. */
int scan_report(const struct scan_ctx *ctx, const struct token_list *l, const struct token *t, const char *rule_id,
                enum severity sev, const char *category, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));
/* Same, at an explicit position (for findings inside a string re-lexed as shell). */
int scan_report_at(const struct scan_ctx *ctx, uint32_t line, uint32_t column, size_t offset,
                   const char *rule_id, enum severity sev, const char *category,
                   const char *fmt, ...) __attribute__((format(printf, 8, 9)));

enum scan_path_kind {
        SCAN_PATH_NONE = 0,
        SCAN_PATH_SECRET,  /* credentials and keys: ~/.ssh, ~/.aws, .env, /etc/shadow, browser
                            * profiles, keyrings, .netrc, .git-credentials, kube/docker configs */
        SCAN_PATH_PERSIST, /* start-up hooks: shell rc files, crontab, authorized_keys, systemd
                            * and XDG autostart, /etc/profile.d, LaunchAgents */
};
struct scan_path_hit {
        enum scan_path_kind kind;
        const char *what; /* for messages: "SSH keys", "AWS credentials", "a shell start-up file" */
};
/* Does this constant (a path, a glob, a shell word; any bytes, not NUL-terminated) name a
 * sensitive location? Matching is on path components, case-insensitive, with "~", "$HOME",
 * "${HOME}" and "/home/<user>" or "/root" prefixes all treated as the home directory. */
enum scan_path_kind scan_path_classify(const char *s, size_t len, struct scan_path_hit *out);

/* A run of at least SCAN_BLOB_MIN base64 (standard or URL-safe) characters, or hex digits,
 * that is not just one repeated character or a plain word: an encoded payload candidate. */
#define SCAN_BLOB_MIN 64
bool scan_is_encoded_blob(const char *s, size_t len);

/* The host (lower-cased, no brackets, no trailing dot) and port of a URL constant with scheme
 * http, https, ws, wss or ftp. Returns false when s is not such a URL. host_cap >= 256. */
bool scan_url_host(const char *s, size_t len, char *host, size_t host_cap, uint16_t *port);

/* Declared permissions. network: a constant host (and port; 0 = the scheme default) the grants
 * allow. A NULL host asks "is any network declared at all". exec: the basename of a program in
 * skilllite.exec. */
bool scan_perm_network(const struct scan_perms *p, const char *host, uint16_t port);
bool scan_perm_exec(const struct scan_perms *p, const char *program, size_t len);
