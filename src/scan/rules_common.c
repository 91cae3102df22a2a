/* Shared vocabulary of the code rules (rules_common.h). */
#include "rules_common.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"

/* The source line around offset: [start, end) without its line break. Lines end at "\n",
 * "\r\n" or a lone "\r", as in the lexers. */
static void line_bounds(const char *src, size_t len, size_t offset, size_t *start, size_t *end) {
        if (offset > len)
                offset = len;
        size_t s = offset;
        while (s > 0 && src[s - 1] != '\n' && src[s - 1] != '\r')
                s--;
        size_t e = offset;
        while (e < len && src[e] != '\n' && src[e] != '\r')
                e++;
        *start = s;
        *end = e;
}

__attribute__((format(printf, 9, 0)))
static int report_v(const struct scan_ctx *ctx, uint32_t line, uint32_t column, size_t offset,
                    bool has_pos, const char *rule_id, enum severity sev, const char *category,
                    const char *fmt, va_list ap) {
        const char *snippet = NULL;
        size_t snippet_len = 0;
        if (has_pos && ctx->src) {
                size_t s, e;
                line_bounds(ctx->src, ctx->src_len, offset, &s, &e);
                snippet = ctx->src + s;
                snippet_len = e - s;
        }
        return findings_addv(ctx->f, rule_id, sev, category, ctx->file, line, column, snippet,
                             snippet_len, fmt, ap);
}

int scan_report(const struct scan_ctx *ctx, const struct token_list *l, const struct token *t, const char *rule_id,
                enum severity sev, const char *category, const char *fmt, ...) {
        struct scan_pos p = t ? scan_pos_of(l, t) : (struct scan_pos) { 0 };
        va_list ap;
        va_start(ap, fmt);
        int r = report_v(ctx, p.line, p.column, p.offset, t != NULL, rule_id, sev, category, fmt, ap);
        va_end(ap);
        return r;
}

int scan_report_at(const struct scan_ctx *ctx, uint32_t line, uint32_t column, size_t offset,
                   const char *rule_id, enum severity sev, const char *category,
                   const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = report_v(ctx, line, column, offset, true, rule_id, sev, category, fmt, ap);
        va_end(ap);
        return r;
}

/* Sensitive locations. Patterns are lower-case and matched case-insensitively at a path
 * boundary (see at_boundary). Home-relative patterns start with "~/": they match after "~",
 * "$home", "${home}", "/root" or "/home/<user>", and also with no prefix at all when the pattern
 * is specific enough to stand alone (a dot-directory such as ".ssh/"). */
struct path_pattern {
        const char *pat;
        enum scan_path_kind kind;
        const char *what;
};

static const struct path_pattern PATH_PATTERNS[] = {
        /* persistence first: "~/.ssh/authorized_keys" is persistence, not a key read */
        { "authorized_keys", SCAN_PATH_PERSIST, "SSH authorized_keys" },
        { "authorized_keys2", SCAN_PATH_PERSIST, "SSH authorized_keys" },
        { ".bashrc", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".bash_profile", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".bash_login", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".bash_logout", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".profile", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".zshrc", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".zprofile", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".zshenv", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".zlogin", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".config/fish/config.fish", SCAN_PATH_PERSIST, "a shell start-up file" },
        { ".xinitrc", SCAN_PATH_PERSIST, "a session start-up file" },
        { ".xprofile", SCAN_PATH_PERSIST, "a session start-up file" },
        { "/etc/profile", SCAN_PATH_PERSIST, "a system shell start-up file" },
        { "/etc/profile.d", SCAN_PATH_PERSIST, "a system shell start-up file" },
        { "/etc/bash.bashrc", SCAN_PATH_PERSIST, "a system shell start-up file" },
        { "/etc/zsh", SCAN_PATH_PERSIST, "a system shell start-up file" },
        { "/etc/environment", SCAN_PATH_PERSIST, "the system environment file" },
        { "crontab", SCAN_PATH_PERSIST, "crontab" },
        { "/etc/cron.d", SCAN_PATH_PERSIST, "a cron directory" },
        { "/etc/cron.daily", SCAN_PATH_PERSIST, "a cron directory" },
        { "/etc/cron.hourly", SCAN_PATH_PERSIST, "a cron directory" },
        { "/etc/cron.weekly", SCAN_PATH_PERSIST, "a cron directory" },
        { "/etc/cron.monthly", SCAN_PATH_PERSIST, "a cron directory" },
        { "/var/spool/cron", SCAN_PATH_PERSIST, "a cron spool" },
        { "/etc/anacrontab", SCAN_PATH_PERSIST, "anacrontab" },
        { ".config/autostart", SCAN_PATH_PERSIST, "XDG autostart" },
        { "/etc/xdg/autostart", SCAN_PATH_PERSIST, "XDG autostart" },
        { ".config/systemd", SCAN_PATH_PERSIST, "a systemd user unit" },
        { "/etc/systemd", SCAN_PATH_PERSIST, "a systemd unit" },
        { "/lib/systemd/system", SCAN_PATH_PERSIST, "a systemd unit" },
        { "/usr/lib/systemd", SCAN_PATH_PERSIST, "a systemd unit" },
        { "/etc/init.d", SCAN_PATH_PERSIST, "an init script" },
        { "/etc/rc.local", SCAN_PATH_PERSIST, "rc.local" },
        { "/etc/ld.so.preload", SCAN_PATH_PERSIST, "ld.so.preload" },
        { "/etc/sudoers", SCAN_PATH_PERSIST, "sudoers" },
        { "/etc/sudoers.d", SCAN_PATH_PERSIST, "sudoers" },
        { "library/launchagents", SCAN_PATH_PERSIST, "a launchd agent" },
        { "library/launchdaemons", SCAN_PATH_PERSIST, "a launchd daemon" },
        { "sitecustomize.py", SCAN_PATH_PERSIST, "Python start-up hook" },
        { "usercustomize.py", SCAN_PATH_PERSIST, "Python start-up hook" },
        { ".git/hooks", SCAN_PATH_PERSIST, "a git hook" },
        /* secrets */
        { ".ssh", SCAN_PATH_SECRET, "SSH keys" },
        { "id_rsa", SCAN_PATH_SECRET, "an SSH private key" },
        { "id_dsa", SCAN_PATH_SECRET, "an SSH private key" },
        { "id_ecdsa", SCAN_PATH_SECRET, "an SSH private key" },
        { "id_ed25519", SCAN_PATH_SECRET, "an SSH private key" },
        { ".aws", SCAN_PATH_SECRET, "AWS credentials" },
        { ".azure", SCAN_PATH_SECRET, "Azure credentials" },
        { ".config/gcloud", SCAN_PATH_SECRET, "Google Cloud credentials" },
        { "application_default_credentials.json", SCAN_PATH_SECRET, "Google Cloud credentials" },
        { ".kube/config", SCAN_PATH_SECRET, "Kubernetes credentials" },
        { ".docker/config.json", SCAN_PATH_SECRET, "Docker registry credentials" },
        { ".gnupg", SCAN_PATH_SECRET, "GnuPG keys" },
        { ".password-store", SCAN_PATH_SECRET, "a password store" },
        { ".netrc", SCAN_PATH_SECRET, ".netrc credentials" },
        { ".git-credentials", SCAN_PATH_SECRET, "git credentials" },
        { ".pypirc", SCAN_PATH_SECRET, "PyPI credentials" },
        { ".npmrc", SCAN_PATH_SECRET, "npm credentials" },
        { ".config/gh/hosts.yml", SCAN_PATH_SECRET, "GitHub CLI credentials" },
        { ".env", SCAN_PATH_SECRET, "a .env secrets file" },
        { ".bash_history", SCAN_PATH_SECRET, "shell history" },
        { ".zsh_history", SCAN_PATH_SECRET, "shell history" },
        { "/etc/shadow", SCAN_PATH_SECRET, "the password hashes" },
        { "/etc/gshadow", SCAN_PATH_SECRET, "the password hashes" },
        { "/etc/master.passwd", SCAN_PATH_SECRET, "the password hashes" },
        { "/etc/ssh", SCAN_PATH_SECRET, "SSH host keys" },
        { "/proc/self/environ", SCAN_PATH_SECRET, "the process environment" },
        { ".mozilla/firefox", SCAN_PATH_SECRET, "a Firefox profile" },
        { "logins.json", SCAN_PATH_SECRET, "saved browser passwords" },
        { "key4.db", SCAN_PATH_SECRET, "the Firefox key store" },
        { "key3.db", SCAN_PATH_SECRET, "the Firefox key store" },
        { "cookies.sqlite", SCAN_PATH_SECRET, "browser cookies" },
        { ".config/google-chrome", SCAN_PATH_SECRET, "a Chrome profile" },
        { ".config/chromium", SCAN_PATH_SECRET, "a Chromium profile" },
        { ".config/bravesoftware", SCAN_PATH_SECRET, "a Brave profile" },
        { ".config/microsoft-edge", SCAN_PATH_SECRET, "an Edge profile" },
        { "google/chrome", SCAN_PATH_SECRET, "a Chrome profile" },
        { "login data", SCAN_PATH_SECRET, "saved browser passwords" },
        { "library/keychains", SCAN_PATH_SECRET, "the macOS keychain" },
        { "wallet.dat", SCAN_PATH_SECRET, "a cryptocurrency wallet" },
        { ".electrum", SCAN_PATH_SECRET, "a cryptocurrency wallet" },
        { ".local/share/keyrings", SCAN_PATH_SECRET, "the GNOME keyring" },
};

/* A pattern must start a path component: at the start, or after '/', '~', or a character that
 * cannot be part of a name (a quote, space, '=' ...). */
static bool boundary_before(const char *s, size_t at) {
        if (at == 0)
                return true;
        unsigned char c = (unsigned char) s[at - 1];
        return c == '/' || c == '~' || c == '\\' || !(isalnum(c) || c == '.' || c == '_' || c == '-');
}

/* The match must end a component too (".env" matches ".env" and ".env.local", not ".envrc";
 * ".profile" not ".profiler"); a trailing '.' or '*' continues only for ".env" and globs. */
static bool boundary_after(const char *s, size_t len, size_t end, const char *pat) {
        if (end >= len)
                return true;
        unsigned char c = (unsigned char) s[end];
        if (c == '/' || c == '*' || c == '\\')
                return true;
        if (c == '.' && strcmp(pat, ".env") == 0)
                return true;
        if ((c == '-' || c == '~') && end + 1 == len)
                return true; /* a backup copy: /etc/shadow-, .bashrc~ */
        return !(isalnum(c) || c == '.' || c == '_' || c == '-');
}

#define PATH_CLASSIFY_MAX 4096

enum scan_path_kind scan_path_classify(const char *s, size_t len, struct scan_path_hit *out) {
        if (out)
                *out = (struct scan_path_hit) { SCAN_PATH_NONE, NULL };
        if (!s || len == 0)
                return SCAN_PATH_NONE;
        if (len > PATH_CLASSIFY_MAX)
                len = PATH_CLASSIFY_MAX;
        char low[PATH_CLASSIFY_MAX + 1];
        for (size_t i = 0; i < len; i++)
                low[i] = (char) tolower((unsigned char) s[i]);
        low[len] = '\0';

        for (size_t p = 0; p < ELEMENTSOF(PATH_PATTERNS); p++) {
                const char *pat = PATH_PATTERNS[p].pat;
                size_t pl = strlen(pat);
                if (pl > len)
                        continue;
                size_t from = 0;
                while (from + pl <= len) {
                        const char *hit = memmem(low + from, len - from, pat, pl);
                        if (!hit)
                                break;
                        size_t at = (size_t) (hit - low);
                        if (boundary_before(low, at) && boundary_after(low, len, at + pl, pat)) {
                                if (out)
                                        *out = (struct scan_path_hit) { PATH_PATTERNS[p].kind,
                                                                        PATH_PATTERNS[p].what };
                                return PATH_PATTERNS[p].kind;
                        }
                        from = at + 1;
                }
        }
        return SCAN_PATH_NONE;
}

static bool is_b64(unsigned char c) {
        return isalnum(c) || c == '+' || c == '/' || c == '-' || c == '_' || c == '=';
}

bool scan_is_encoded_blob(const char *s, size_t len) {
        size_t run = 0, best_start = 0, best = 0, start = 0;
        for (size_t i = 0; i <= len; i++) {
                /* line breaks inside a blob are common (wrapped base64); blanks are not: with
                 * them, any prose would be one long run */
                if (i < len && (s[i] == '\n' || s[i] == '\r') && run)
                        continue;
                if (i < len && is_b64((unsigned char) s[i])) {
                        if (!run)
                                start = i;
                        run++;
                        continue;
                }
                if (run > best)
                        best = run, best_start = start;
                run = 0;
        }
        if (best < SCAN_BLOB_MIN)
                return false;
        /* A blob mixes character classes and does not repeat one character; a long word,
         * a row of '=' or a path of letters and slashes is not a blob. */
        bool upper = false, lower = false, digit = false;
        unsigned char first = 0;
        bool all_same = true;
        size_t slashes = 0, seen = 0;
        for (size_t i = best_start; i < len && seen < best; i++) {
                unsigned char c = (unsigned char) s[i];
                if (!is_b64(c))
                        continue;
                if (!seen)
                        first = c;
                else if (c != first)
                        all_same = false;
                seen++;
                upper |= isupper(c) != 0, lower |= islower(c) != 0, digit |= isdigit(c) != 0;
                slashes += c == '/';
        }
        if (all_same || slashes * 8 > best)
                return false;
        bool hex_only = true;
        for (size_t i = best_start, k = 0; i < len && k < best; i++) {
                unsigned char c = (unsigned char) s[i];
                if (!is_b64(c))
                        continue;
                k++;
                if (!isxdigit(c))
                        hex_only = false;
        }
        if (hex_only)
                return digit && (upper || lower);
        return (upper + lower + digit) >= 2 && digit + upper >= 1;
}

bool scan_url_host(const char *s, size_t len, char *host, size_t host_cap, uint16_t *port) {
        static const struct {
                const char *scheme;
                uint16_t port;
        } SCHEMES[] = { { "https://", 443 }, { "http://", 80 }, { "wss://", 443 },
                        { "ws://", 80 },     { "ftp://", 21 } };
        while (len && (*s == ' ' || *s == '\t'))
                s++, len--;
        size_t i = 0;
        uint16_t p = 0;
        for (size_t k = 0; k < ELEMENTSOF(SCHEMES); k++) {
                size_t sl = strlen(SCHEMES[k].scheme);
                if (len >= sl && strncasecmp(s, SCHEMES[k].scheme, sl) == 0) {
                        i = sl;
                        p = SCHEMES[k].port;
                        break;
                }
        }
        if (!i || host_cap < 2)
                return false;
        /* authority ends at '/', '?', '#'; userinfo ends at the last '@' inside it */
        size_t end = i;
        while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#' && s[end] != '\\')
                end++;
        size_t a = i;
        for (size_t k = i; k < end; k++)
                if (s[k] == '@')
                        a = k + 1;
        size_t hs = a, he;
        if (hs < end && s[hs] == '[') {
                he = hs + 1;
                while (he < end && s[he] != ']')
                        he++;
                if (he >= end)
                        return false;
                hs++;
        } else {
                he = hs;
                while (he < end && s[he] != ':')
                        he++;
        }
        size_t hl = he - hs;
        if (hl == 0 || hl >= host_cap)
                return false;
        for (size_t k = 0; k < hl; k++) {
                unsigned char c = (unsigned char) s[hs + k];
                if (c < 0x21 || c == '"' || c == '\'' || c == '<' || c == '>' || c == '{' || c == '}')
                        return false; /* a template hole or junk: not a constant host */
                host[k] = (char) tolower(c);
        }
        if (hl > 1 && host[hl - 1] == '.')
                hl--;
        host[hl] = '\0';
        size_t ps = he + (s[he] == ']');
        if (ps < end && s[ps] == ':') {
                unsigned long v = 0;
                size_t k = ps + 1;
                if (k >= end)
                        return false;
                for (; k < end; k++) {
                        if (!isdigit((unsigned char) s[k]) || (v = v * 10 + (unsigned) (s[k] - '0')) > 65535)
                                return false;
                }
                p = (uint16_t) v;
        }
        if (port)
                *port = p;
        return true;
}

bool scan_perm_network(const struct scan_perms *p, const char *host, uint16_t port) {
        if (!p || !p->network || p->network->n == 0)
                return false;
        if (!host)
                return true;
        return net_grants_match(p->network, host, port ? port : 443, NULL) == NET_ALLOW;
}

bool scan_perm_exec(const struct scan_perms *p, const char *program, size_t len) {
        if (!p || !p->exec || !program)
                return false;
        /* the basename: "/usr/bin/git" and "git" are the same declared program */
        for (size_t i = len; i > 0; i--)
                if (program[i - 1] == '/') {
                        program += i;
                        len -= i;
                        break;
                }
        if (len == 0)
                return false;
        for (char **e = p->exec; *e; e++)
                if (strlen(*e) == len && memcmp(*e, program, len) == 0)
                        return true;
        return false;
}
