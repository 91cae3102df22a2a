/* Shell analyser: command names and arguments. Finds the command behind wrappers (env,
 * sudo, nohup, timeout, xargs, busybox, command, exec), names the tool it is, and builds the
 * argument fields lazily: the name first, the rest only when a rule needs them. */
#include "rules_shell.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "../base/macros.h"

/* ---- command names ---- */

struct tool_name {
        const char *name;
        enum sh_tool tool;
};

static const struct tool_name TOOLS[] = {
        { ".", TL_SOURCE }, { "7z", TL_READER }, { "7za", TL_READER }, { "[", TL_TEST }, { "[[", TL_TEST },
        { "adduser", TL_USERMOD }, { "ag", TL_READER }, { "aria2c", TL_ARIA2C }, { "ash", TL_SHELL },
        { "at", TL_AT }, { "awk", TL_AWK }, { "base32", TL_BASE32 }, { "base64", TL_BASE64 },
        { "bash", TL_SHELL }, { "batch", TL_AT }, { "bun", TL_NODE }, { "bunzip2", TL_UNCOMPRESS },
        { "bzcat", TL_UNCOMPRESS }, { "bzip2", TL_READER }, { "cat", TL_READER }, { "cd", TL_CD },
        { "chgrp", TL_CHGRP }, { "chkconfig", TL_RCSERVICE }, { "chmod", TL_CHMOD }, { "chown", TL_CHOWN },
        { "cmp", TL_READER }, { "compgen", TL_COMPGEN }, { "cp", TL_CP }, { "crontab", TL_CRONTAB },
        { "csh", TL_SHELL }, { "curl", TL_CURL }, { "cut", TL_READER }, { "dash", TL_SHELL }, { "dd", TL_DD },
        { "declare", TL_DECLARE }, { "deno", TL_NODE }, { "diff", TL_READER }, { "dig", TL_DNS },
        { "drill", TL_DNS }, { "echo", TL_ECHO }, { "egrep", TL_READER }, { "env", TL_ENV }, { "eval", TL_EVAL },
        { "export", TL_EXPORT }, { "fetch", TL_FETCH }, { "fgrep", TL_READER }, { "file", TL_PROBE },
        { "find", TL_FIND }, { "fish", TL_SHELL }, { "for", TL_FOR }, { "ftp", TL_FTP }, { "gawk", TL_AWK },
        { "getopts", TL_GETOPTS }, { "git", TL_GIT }, { "gpasswd", TL_USERMOD }, { "gpg", TL_READER },
        { "grep", TL_READER }, { "gunzip", TL_UNCOMPRESS }, { "gzip", TL_READER }, { "head", TL_READER },
        { "hexdump", TL_READER }, { "host", TL_DNS }, { "http", TL_HTTPIE }, { "https", TL_HTTPIE },
        { "install", TL_INSTALL }, { "jq", TL_READER }, { "kill", TL_KILL }, { "ksh", TL_SHELL },
        { "launchctl", TL_LAUNCHCTL }, { "less", TL_READER }, { "lftp", TL_FTP }, { "ln", TL_LN },
        { "local", TL_LOCAL }, { "loginctl", TL_LOGINCTL }, { "ls", TL_PROBE }, { "luajit", TL_LUA },
        { "mail", TL_MAIL }, { "mailx", TL_MAIL }, { "mapfile", TL_MAPFILE }, { "mawk", TL_AWK },
        { "md5sum", TL_READER }, { "mke2fs", TL_MKFS }, { "mkfifo", TL_MKFIFO }, { "mkfs", TL_MKFS },
        { "mknod", TL_MKFIFO }, { "mksh", TL_SHELL }, { "mkswap", TL_MKFS }, { "more", TL_READER },
        { "mutt", TL_MAIL }, { "mv", TL_MV }, { "nawk", TL_AWK }, { "nc", TL_NC }, { "ncat", TL_NC },
        { "netcat", TL_NC }, { "nl", TL_READER }, { "nmap", TL_NMAP }, { "node", TL_NODE },
        { "nodejs", TL_NODE }, { "nslookup", TL_DNS }, { "od", TL_READER }, { "openssl", TL_OPENSSL },
        { "posh", TL_SHELL }, { "printenv", TL_PRINTENV }, { "printf", TL_PRINTF }, { "pypy", TL_PYTHON },
        { "pypy3", TL_PYTHON }, { "rc-update", TL_RCSERVICE }, { "read", TL_READ },
        { "readarray", TL_MAPFILE }, { "readonly", TL_EXPORT }, { "rev", TL_REV }, { "rg", TL_READER },
        { "rm", TL_RM }, { "rsync", TL_RSYNC }, { "scp", TL_SCP }, { "security", TL_SECURITY },
        { "sed", TL_SED }, { "select", TL_FOR }, { "sendmail", TL_MAIL }, { "set", TL_SET },
        { "setcap", TL_SETCAP }, { "sftp", TL_SFTP }, { "sh", TL_SHELL }, { "sha1sum", TL_READER },
        { "sha256sum", TL_READER }, { "sha512sum", TL_READER }, { "shred", TL_SHRED }, { "socat", TL_SOCAT },
        { "sort", TL_READER }, { "source", TL_SOURCE }, { "sqlite3", TL_READER }, { "ssh", TL_SSH },
        { "stat", TL_PROBE }, { "strings", TL_READER }, { "su", TL_SU }, { "systemctl", TL_SYSTEMCTL },
        { "tac", TL_READER }, { "tail", TL_READER }, { "tar", TL_READER }, { "tcsh", TL_SHELL },
        { "tee", TL_TEE }, { "telnet", TL_TELNET }, { "test", TL_TEST }, { "tftp", TL_FTP },
        { "touch", TL_TOUCH }, { "tr", TL_TR }, { "trap", TL_TRAP }, { "typeset", TL_DECLARE }, { "uniq", TL_READER },
        { "unxz", TL_UNCOMPRESS }, { "unzstd", TL_UNCOMPRESS }, { "update-rc.d", TL_RCSERVICE },
        { "usermod", TL_USERMOD }, { "uudecode", TL_UUDECODE }, { "wget", TL_WGET }, { "wipefs", TL_WIPEFS },
        { "xh", TL_HTTPIE }, { "xxd", TL_XXD }, { "xz", TL_READER }, { "xzcat", TL_UNCOMPRESS },
        { "yash", TL_SHELL }, { "yq", TL_READER }, { "zcat", TL_UNCOMPRESS }, { "zip", TL_READER },
        { "zsh", TL_SHELL }, { "zstd", TL_READER }, { "zstdcat", TL_UNCOMPRESS },
};

/* name followed by nothing, or by digits and dots: python3.11, perl5.36, php8.2 */
static bool versioned_(const char *s, size_t n, const char *prefix, size_t p) {
        if (n < p || memcmp(s, prefix, p) != 0)
                return false;
        for (size_t i = p; i < n; i++)
                if (!isdigit((unsigned char) s[i]) && s[i] != '.')
                        return false;
        return true;
}

#define versioned(s, n, prefix) versioned_((s), (n), prefix, sizeof(prefix) - 1)

/* Every command of a script is looked up: a hash index over TOOLS, built once. */
#define TOOL_SLOTS 512
static int16_t tool_slots[TOOL_SLOTS];
static uint8_t tool_len[ELEMENTSOF(TOOLS)];
static pthread_once_t tool_once = PTHREAD_ONCE_INIT;

static void tool_index_init(void) {
        for (size_t i = 0; i < TOOL_SLOTS; i++)
                tool_slots[i] = -1;
        for (size_t i = 0; i < ELEMENTSOF(TOOLS); i++) {
                size_t n = strlen(TOOLS[i].name);
                tool_len[i] = (uint8_t) n;
                size_t k = sh_name_hash(TOOLS[i].name, n) & (TOOL_SLOTS - 1);
                while (tool_slots[k] >= 0)
                        k = (k + 1) & (TOOL_SLOTS - 1);
                tool_slots[k] = (int16_t) i;
        }
}

enum sh_tool sh_tool_of(const char *name, size_t n) {
        if (n == 0 || n >= 64)
                return TL_NONE;
        pthread_once(&tool_once, tool_index_init);
        for (size_t k = sh_name_hash(name, n) & (TOOL_SLOTS - 1); tool_slots[k] >= 0;
             k = (k + 1) & (TOOL_SLOTS - 1)) {
                int16_t i = tool_slots[k];
                if (tool_len[i] == n && memcmp(TOOLS[i].name, name, n) == 0)
                        return TOOLS[i].tool;
        }
        switch (name[0]) {
        case 'p':
                if (versioned(name, n, "python") || versioned(name, n, "pypy"))
                        return TL_PYTHON;
                if (versioned(name, n, "perl"))
                        return TL_PERL;
                if (versioned(name, n, "php"))
                        return TL_PHP;
                return TL_NONE;
        case 'r': return versioned(name, n, "ruby") ? TL_RUBY : TL_NONE;
        case 'l': return versioned(name, n, "lua") ? TL_LUA : TL_NONE;
        case 'm': return n > 5 && memcmp(name, "mkfs.", 5) == 0 ? TL_MKFS : TL_NONE;
        case 'n': return n > 3 && memcmp(name, "nc.", 3) == 0 ? TL_NC : TL_NONE;
        default: return TL_NONE;
        }
}

bool sh_tool_is_interp(enum sh_tool t) {
        return t == TL_SHELL || t == TL_PYTHON || t == TL_PERL || t == TL_RUBY || t == TL_NODE ||
               t == TL_PHP || t == TL_LUA;
}

bool sh_tool_is_net(enum sh_tool t) {
        return t >= TL_CURL && t <= TL_NMAP;
}

bool sh_tool_ordinary(enum sh_tool t) {
        return t == TL_NONE || t == TL_ECHO || t == TL_PRINTF || t == TL_LOCAL || t == TL_READ ||
               t == TL_FOR || t == TL_CD || t == TL_GETOPTS || t == TL_MAPFILE;
}

bool sh_name_is_data(enum sh_tool t) {
        return t == TL_ECHO || t == TL_PRINTF;
}

static const char *arg_base(const struct sh_arg *a, size_t *n) {
        const char *slash = a->n ? memrchr(a->s, '/', a->n) : NULL;
        size_t b = slash ? (size_t) (slash - a->s) + 1 : 0;
        *n = a->n - b;
        return a->s + b;
}

/* Skip the options of a wrapper from av[i]: short options in with_value take a value (attached
 * or the next word), long options in long_value take the next word unless written "--x=v".
 * Stops at the first word that is not an option, after "--". */
static size_t skip_opts(const struct sh_argv *av, size_t i, const char *with_value,
                        const char *const *long_value) {
        while (i < av->n) {
                const struct sh_arg *a = &av->v[i];
                if (a->n < 2 || a->s[0] != '-' || (a->vflags & SHV_UNKNOWN))
                        return i;
                if (sh_arg_is(a, "--"))
                        return i + 1;
                if (a->s[1] == '-') {
                        bool takes = false;
                        for (size_t k = 0; long_value && long_value[k]; k++)
                                if (sh_arg_is(a, long_value[k]))
                                        takes = true;
                        i += takes ? 2 : 1;
                        continue;
                }
                /* a cluster "-qO-": the first letter that takes a value ends it */
                bool next = false;
                for (size_t k = 1; k < a->n; k++)
                        if (strchr(with_value, a->s[k])) {
                                next = k + 1 == a->n;
                                break;
                        }
                i += next ? 2 : 1;
        }
        return i;
}

static bool env_assignment(const struct sh_arg *a) {
        if (a->n == 0 || !sh_name_char(a->s[0], true))
                return false;
        for (size_t i = 1; i < a->n; i++) {
                if (a->s[i] == '=')
                        return true;
                if (!sh_name_char(a->s[i], false))
                        return false;
        }
        return false;
}

static bool is_wrapper(const char *b, size_t n) {
#define W(s) (n == sizeof(s) - 1 && memcmp(b, s, n) == 0)
        switch (n ? b[0] : 0) {
        case 'b': return W("builtin") || W("busybox");
        case 'c': return W("command");
        case 'd': return W("doas");
        case 'e': return W("env") || W("exec");
        case 'i': return W("ionice");
        case 'n': return W("nohup") || W("nice");
        case 'p': return W("pkexec");
        case 'r': return W("run0");
        case 's': return W("sudo") || W("setsid") || W("stdbuf");
        case 't': return W("time") || W("timeout");
        case 'u': return W("unbuffer");
        case 'x': return W("xargs");
        default: return false;
        }
#undef W
}

/* "$SHELL" / "${BASH}" as a command: the user's shell, whatever its value. */
static bool word_is_shell_var(const struct sh_unit *u, int32_t w) {
        if (w < 0)
                return false;
        bool found = false;
        for (uint32_t i = u->w[w].tb; i < u->w[w].te && i < u->toks->n; i++) {
                const struct token *t = &u->toks->v[i];
                if (t->kind == TOK_STRING && t->value_len == 0)
                        continue;
                const char *raw = u->toks->src + t->offset;
                static const char *const names[] = { "$SHELL", "${SHELL}", "$BASH", "${BASH}" };
                bool hit = false;
                for (size_t k = 0; k < ELEMENTSOF(names); k++)
                        if (t->kind == TOK_WORD && t->len == strlen(names[k]) &&
                            memcmp(raw, names[k], t->len) == 0)
                                hit = true;
                if (!hit || found)
                        return false;
                found = true;
        }
        return found;
}

void sh_resolve(struct sh_unit *u, int32_t c, struct sh_argv *av, struct sh_cmdinfo *ci) {
        static const char *const SUDO_LONG[] = { "--user",       "--group",           "--host", "--prompt",
                                                 "--close-from", "--chdir",           "--role", "--type",
                                                 "--other-user", "--command-timeout", NULL };
        static const char *const ENV_LONG[] = { "--unset", "--chdir", "--split-string", NULL };
        static const char *const TIMEOUT_LONG[] = { "--signal", "--kill-after", NULL };
        static const char *const NICE_LONG[] = { "--adjustment", NULL };
        static const char *const XARGS_LONG[] = { "--max-args", "--max-procs", "--delimiter",
                                                  "--arg-file", "--max-chars", NULL };
        static const char *const PKEXEC_LONG[] = { "--user", NULL };
        *ci = (struct sh_cmdinfo){ .u = u, .cmd = c, .av = av, .name = av->n };
        size_t i = 0;
        while (i < av->n && (av->v[i].vflags & SHV_ASSIGN))
                i++;
        for (int guard = 0; guard < 16 && i < av->n; guard++) {
                const struct sh_arg *a = &av->v[i];
                if (a->vflags & SHV_UNKNOWN) {
                        ci->name = i;
                        if (word_is_shell_var(u, a->word)) {
                                memcpy(ci->base, "sh", 3);
                                ci->tool = TL_SHELL;
                                ci->name_known = true;
                        }
                        return;
                }
                size_t bn;
                const char *b = arg_base(a, &bn);
#define B(s) (bn == strlen(s) && memcmp(b, s, bn) == 0)
                if (!is_wrapper(b, bn)) {
                        ci->name = i;
                        break;
                }
                if (!av->complete) {
                        sh_argv_complete(av); /* the command is further on */
                        a = &av->v[i];
                        b = arg_base(a, &bn);
                }
                if (B("env")) {
                        size_t at = i;
                        i = skip_opts(av, i + 1, "uCS", ENV_LONG);
                        while (i < av->n && env_assignment(&av->v[i]))
                                i++;
                        if (i >= av->n) {
                                ci->name = at; /* "env" alone prints the environment */
                                break;
                        }
                        ci->wrap |= SHW_ENV;
                        continue;
                }
                if (B("command")) {
                        size_t k = i + 1;
                        while (k < av->n && (sh_arg_is(&av->v[k], "-p") || sh_arg_is(&av->v[k], "--")))
                                k++;
                        if (k < av->n && av->v[k].n >= 2 && av->v[k].s[0] == '-')
                                return; /* command -v / -V: a lookup, nothing runs */
                        i = k;
                        continue;
                }
                if (B("builtin") || B("nohup") || B("busybox") || B("unbuffer") || B("setsid") || B("time")) {
                        i = skip_opts(av, i + 1, "", NULL);
                        continue;
                }
                if (B("exec")) {
                        ci->wrap |= SHW_EXEC;
                        i = skip_opts(av, i + 1, "a", NULL);
                        continue;
                }
                if (B("nice")) {
                        i = skip_opts(av, i + 1, "n", NICE_LONG);
                        continue;
                }
                if (B("ionice")) {
                        i = skip_opts(av, i + 1, "cnp", NULL);
                        continue;
                }
                if (B("stdbuf")) {
                        i = skip_opts(av, i + 1, "ioe", NULL);
                        continue;
                }
                if (B("timeout")) {
                        i = skip_opts(av, i + 1, "sk", TIMEOUT_LONG);
                        if (i < av->n)
                                i++; /* the duration */
                        continue;
                }
                if (B("sudo") || B("doas") || B("pkexec") || B("run0")) {
                        if (!(ci->wrap & SHW_SUDO))
                                ci->wrap_arg = i;
                        ci->wrap |= SHW_SUDO;
                        i = skip_opts(av, i + 1, B("doas") ? "uC" : "ughpCDrtUT",
                                      B("pkexec") ? PKEXEC_LONG : SUDO_LONG);
                        while (i < av->n && env_assignment(&av->v[i]))
                                i++;
                        continue;
                }
                if (B("xargs")) {
                        ci->wrap |= SHW_XARGS;
                        i = skip_opts(av, i + 1, "ILnPsdEa", XARGS_LONG);
                        continue;
                }
#undef B
                ci->name = i;
                break;
        }
        if (ci->name >= av->n)
                return;
        const struct sh_arg *a = &av->v[ci->name];
        if (a->vflags & SHV_UNKNOWN)
                return;
        size_t bn;
        const char *b = arg_base(a, &bn);
        if (bn == 0 || bn >= sizeof(ci->base) || memchr(b, '\0', bn))
                return;
        memcpy(ci->base, b, bn);
        ci->base[bn] = '\0';
        ci->name_known = true;
        ci->tool = sh_tool_of(b, bn);
        if (a->vflags & SHV_DECODED)
                ci->evasion = "command name produced by a command substitution";
        else if (a->vflags & SHV_IFS)
                ci->evasion = "words glued together with ${IFS}";
        else if (a->vflags & SHV_ESCAPES)
                ci->evasion = "command name hidden with escapes";
        else if (a->vflags & SHV_PIECES)
                ci->evasion = "command name built from string pieces";
}

/* ---- arguments ---- */

/* Append the values of words from av->next_w; up to the first word that is not an assignment
 * when prefix (enough to know the command), else all of them. */
static void argv_fill(struct sh_unit *u, struct sh_argv *av, bool prefix) {
        unsigned depth = av->depth;
        int32_t w = av->next_w;
        for (; w >= 0 && av->n < SH_ARGV_MAX; w = u->w[w].next) {
                size_t room = av->cap - av->used;
                if (room < 2)
                        break;
                if (room > SH_WORD_MAX)
                        room = SH_WORD_MAX;
                struct sh_arg info;
                char *dst = av->arena + av->used;
                bool was_assigns = av->assigns;
                if (sh_word_value_fast(u, w, &info)) {
                        /* points at the token's own value: no copy */
                        size_t nlen;
                        uint32_t skip;
                        if (av->assigns && info.n && sh_name_char(info.s[0], true) &&
                            sh_assign_word(u, w, &nlen, &skip))
                                info.vflags |= SHV_ASSIGN;
                        else
                                av->assigns = false;
                        av->v[av->n++] = info;
                        if (prefix && was_assigns && !av->assigns) {
                                w = u->w[w].next;
                                break;
                        }
                        continue;
                }
                size_t n = sh_word_value(u, w, 0, dst, room, &info, depth);
                size_t nlen;
                uint32_t skip;
                if (av->assigns && sh_assign_word(u, w, &nlen, &skip))
                        info.vflags |= SHV_ASSIGN;
                else
                        av->assigns = false;
                av->used += n + 1;
                if (!(info.vflags & SHV_SPLIT) || (info.vflags & SHV_ASSIGN)) {
                        av->v[av->n++] = info;
                } else {
                        /* an unquoted expansion with blanks: the shell splits it into fields */
                        size_t i = 0;
                        bool first = true;
                        while (i < n && av->n < SH_ARGV_MAX) {
                                while (i < n && (dst[i] == ' ' || dst[i] == '\t' || dst[i] == '\n'))
                                        i++;
                                if (i >= n)
                                        break;
                                size_t st = i;
                                while (i < n && dst[i] != ' ' && dst[i] != '\t' && dst[i] != '\n')
                                        i++;
                                dst[i] = '\0';
                                struct sh_arg f = info;
                                f.s = dst + st;
                                f.n = (uint32_t) (i - st);
                                if (!first || st > 0)
                                        f.lead = SHLEAD_TEXT, f.lead_end = 0;
                                first = false;
                                av->v[av->n++] = f;
                                i++;
                        }
                }
                if (prefix && was_assigns && !av->assigns) {
                        w = u->w[w].next;
                        break;
                }
        }
        av->next_w = w;
        if (w < 0 || av->n >= SH_ARGV_MAX || av->cap - av->used < 2)
                av->complete = true;
}

void sh_argv_begin(struct sh_unit *u, int32_t c, struct sh_argv *av, unsigned depth) {
        av->n = 0;
        av->used = 0;
        av->assigns = true;
        av->complete = false;
        av->next_w = u->c[c].w_first;
        av->depth = depth;
        av->u = u;
        argv_fill(u, av, true);
}

void sh_argv_complete(struct sh_argv *av) {
        if (!av->complete)
                argv_fill(av->u, av, false);
}

void sh_argv_build(struct sh_unit *u, int32_t c, struct sh_argv *av, unsigned depth) {
        sh_argv_begin(u, c, av, depth);
        sh_argv_complete(av);
}

/* What a word carries (downloaded, decoded, secret ...) without computing its value. */
uint8_t sh_word_taint(struct sh_unit *u, int32_t wi, unsigned depth) {
        const struct sh_word *w = &u->w[wi];
        uint8_t t = 0;
        if ((depth >= SH_EVAL_DEPTH && sh_cut(u)) || !sh_step(u))
                return 0;
        for (int32_t l = w->sub_first; l >= 0; l = u->l[l].next_sibling)
                t |= sh_list_taint(u, l, depth + 1);
        for (uint32_t i = w->tb; i < w->te && i < u->toks->n; i++) {
                const struct token *tk = &u->toks->v[i];
                const char *raw = u->toks->src + tk->offset;
                if (tk->kind != TOK_WORD || !sh_raw_is_expansion(raw, tk->len))
                        continue;
                const char *name = raw + 1;
                size_t n = 0;
                if (*name == '{')
                        name++;
                while (name + n < raw + tk->len && sh_name_char(name[n], n == 0))
                        n++;
                struct sh_unit *owner;
                struct sh_var *v = n ? sh_var_find(u, name, n, &owner) : NULL;
                if (v)
                        t |= sh_var_taint(owner, v, depth);
        }
        return t;
}
