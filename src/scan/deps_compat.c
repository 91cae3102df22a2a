/* Packages named in SKILL.md's free-text `compatibility` field. The original SkillLite matched
 * that text against a whitelist or asked an LLM; here only explicit forms count, so that English
 * is never turned into package names: install commands ("pip install x y", "npm i z",
 * "uv add", "poetry add", "yarn add", ...) and labelled lists ("Requires: requests, pandas>=2",
 * "npm packages: lodash@4"). Every item must read as a package name (with an optional version)
 * on its own; anything else ends the list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deps_internal.h"

#define COMPAT_FILE "SKILL.md"
#define COMPAT_MAX_ARGS 64 /* packages taken from one command or list */

struct span {
        const char *s;
        size_t n;
};

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool span_eq(struct span w, const char *s) {
        return w.n == strlen(s) && strncasecmp(w.s, s, w.n) == 0;
}

static struct span strip(struct span w, const char *chars) {
        while (w.n && strchr(chars, w.s[0]))
                w.s++, w.n--;
        while (w.n && strchr(chars, w.s[w.n - 1]))
                w.n--;
        return w;
}

/* Words that are tools, platforms or prose, never packages the skill means. */
static bool is_stopword(struct span w) {
        static const char *const WORDS[] = {
                "a", "an", "the", "and", "or", "then", "to", "with", "for", "first", "before", "after", "if",
                "in", "on", "via", "using", "from", "it", "them", "this", "that", "these", "is", "are", "be",
                "you", "your", "all", "any", "also", "etc", "e.g", "i.e", "please", "run", "install",
                "package", "packages", "dependencies", "requirements", "following", "manually", "globally",
                "locally", "once", "only", "optional", "required", "none", "n/a", "na", "yes", "no", "python",
                "python3", "python2", "py", "node", "nodejs", "node.js", "npm", "npx", "pip", "pip3", "uv",
                "git", "internet", "network", "linux", "macos", "mac", "windows", "docker", "bash", "sh",
                "shell", "curl", "wget", "browser", "chrome", "chromium", "ffmpeg", "java", "go", "rust",
                "ruby", "gcc", "make", "cuda", "gpu", "api", "access", "latest", "version", "versions",
        };
        for (size_t k = 0; k < ELEMENTSOF(WORDS); k++)
                if (span_eq(w, WORDS[k]))
                        return true;
        return false;
}

/* One package item: 1 added (or a duplicate), 0 not a package, -ENOMEM. */
static int add_item(struct deps_ctx *c, enum dep_ecosystem eco, struct span w) {
        w = strip(w, "\"'`");
        if (w.n == 0 || is_stopword(w) || (!is_alnum(w.s[0]) && w.s[0] != '@'))
                return 0;
        if (eco == DEP_PYPI) {
                struct pep508 p;
                if (pep508_parse(w.s, w.n, &p) < 0 || p.is_url || is_stopword((struct span) { p.name, p.name_len }))
                        return 0;
                int r = deps_add(c, DEP_PYPI, p.name, p.name_len, p.spec, p.spec_len, COMPAT_FILE, 0, 0);
                return r < 0 ? r : 1;
        }
        /* npm: "[@scope/]name[@range]", or "name>=1" as people write it in prose */
        const char *at = memchr(w.s + 1, '@', w.n - 1);
        size_t name_len = at ? (size_t) (at - w.s) : strcspn(w.s, "<>=~^");
        if (name_len > w.n)
                name_len = w.n;
        const char *spec = at ? at + 1 : w.s + name_len;
        if (!deps_name_ok(DEP_NPM, w.s, name_len) || is_stopword((struct span) { w.s, name_len }))
                return 0;
        int r = deps_add(c, DEP_NPM, w.s, name_len, spec, (size_t) (w.s + w.n - spec), COMPAT_FILE, 0, 0);
        return r < 0 ? r : 1;
}

/* ---- install commands ------------------------------------------------------------------------ */

static const struct {
        const char *words[4];
        enum dep_ecosystem eco;
} COMMANDS[] = {
        { { "python", "-m", "pip", "install" }, DEP_PYPI }, { { "python3", "-m", "pip", "install" }, DEP_PYPI },
        { { "uv", "pip", "install" }, DEP_PYPI },            { { "pip", "install" }, DEP_PYPI },
        { { "pip3", "install" }, DEP_PYPI },                 { { "pipx", "install" }, DEP_PYPI },
        { { "uv", "add" }, DEP_PYPI },                       { { "poetry", "add" }, DEP_PYPI },
        { { "npm", "install" }, DEP_NPM },                   { { "npm", "i" }, DEP_NPM },
        { { "npm", "add" }, DEP_NPM },                       { { "yarn", "add" }, DEP_NPM },
        { { "pnpm", "add" }, DEP_NPM },                      { { "pnpm", "install" }, DEP_NPM },
        { { "pnpm", "i" }, DEP_NPM },                        { { "bun", "add" }, DEP_NPM },
};

/* Options whose value is the next word (a file, an index, a directory - not a package). */
static bool option_takes_value(struct span w) {
        static const char *const OPTS[] = { "-r", "-c", "-e", "-i", "-f", "-t", "--requirement", "--constraint",
                                            "--editable", "--index-url", "--extra-index-url", "--find-links",
                                            "--target", "--prefix", "--registry", "--python", "--group" };
        for (size_t k = 0; k < ELEMENTSOF(OPTS); k++)
                if (span_eq(w, OPTS[k]))
                        return true;
        return false;
}

/* The package arguments after an install command, words[i..n). */
static int command_args(struct deps_ctx *c, enum dep_ecosystem eco, const struct span *words, size_t i, size_t n) {
        size_t end = n - i > 4 * COMPAT_MAX_ARGS ? i + 4 * COMPAT_MAX_ARGS : n; /* options count too */
        for (size_t taken = 0; i < end && taken < COMPAT_MAX_ARGS; i++) {
                struct span w = words[i];
                if (strchr("&|;><", w.s[0]))
                        return 0; /* the command ends */
                size_t sep = 0;
                while (sep < w.n && !strchr("&|;><", w.s[sep]))
                        sep++;
                bool last = sep < w.n; /* "pkg;" or "pkg&&next" */
                w.n = sep;
                /* prose punctuation and the closing quote of `pip install x` end the list */
                while (w.n && strchr("`'\").;:", w.s[w.n - 1])) {
                        last = true;
                        w.n--;
                }
                if (w.n && w.s[w.n - 1] == ',')
                        w.n--;
                if (w.n && w.s[0] == '-') {
                        if (!last && option_takes_value(w))
                                i++;
                        if (last)
                                return 0;
                        continue;
                }
                int r = add_item(c, eco, w);
                if (r <= 0)
                        return r; /* not a package: the list is over */
                taken++;
                if (last)
                        return 0;
        }
        return 0;
}

static int read_commands(struct deps_ctx *c, const struct span *words, size_t n) {
        for (size_t i = 0; i < n; i++) {
                struct span first = strip(words[i], "`'\"(");
                for (size_t k = 0; k < ELEMENTSOF(COMMANDS); k++) {
                        size_t len = 0;
                        while (len < 4 && COMMANDS[k].words[len])
                                len++;
                        if (i + len > n || !span_eq(first, COMMANDS[k].words[0]))
                                continue;
                        size_t j = 1;
                        while (j < len && span_eq(words[i + j], COMMANDS[k].words[j]))
                                j++;
                        if (j < len)
                                continue;
                        int r = command_args(c, COMMANDS[k].eco, words, i + len, n);
                        if (r < 0)
                                return r;
                        i += len - 1;
                        break;
                }
        }
        return 0;
}

/* ---- labelled lists -------------------------------------------------------------------------- */

enum label_eco { L_PYPI, L_NPM, L_GUESS };

static const struct {
        const char *text;
        enum label_eco eco;
} LABELS[] = { /* longest first where one ends another */
        { "python packages:", L_PYPI },     { "python dependencies:", L_PYPI }, { "python requirements:", L_PYPI },
        { "pip packages:", L_PYPI },        { "pip dependencies:", L_PYPI },    { "pypi packages:", L_PYPI },
        { "npm packages:", L_NPM },         { "npm dependencies:", L_NPM },     { "node packages:", L_NPM },
        { "node dependencies:", L_NPM },    { "node.js packages:", L_NPM },     { "node modules:", L_NPM },
        { "requirements:", L_GUESS },       { "requires:", L_GUESS },           { "dependencies:", L_GUESS },
        { "depends on:", L_GUESS },         { "packages:", L_GUESS },
};

static bool mentions_word(const char *s, size_t n, const char *word) {
        size_t k = strlen(word);
        for (size_t i = 0; i + k <= n; i++)
                if (strncasecmp(s + i, word, k) == 0 && (i == 0 || !is_alnum(s[i - 1])) &&
                    (i + k == n || !is_alnum(s[i + k])))
                        return true;
        return false;
}

/* Length of the item separator at s[i] (",", " and ", " & "), or 0. */
static size_t separator(const char *s, size_t n, size_t i) {
        if (s[i] == ',')
                return 1;
        if (n - i >= 5 && strncasecmp(s + i, " and ", 5) == 0)
                return 5;
        if (n - i >= 3 && strncmp(s + i, " & ", 3) == 0)
                return 3;
        return 0;
}

/* Items of a list s[0..n): blanks next to operators are dropped so "pandas >= 2" is one item; an
 * item that is still several words is prose and is skipped. */
static int list_items(struct deps_ctx *c, enum dep_ecosystem eco, const char *s, size_t n) {
        char item[512];
        size_t taken = 0;
        for (size_t i = 0; i < n && taken < COMPAT_MAX_ARGS;) {
                size_t end = i;
                while (end < n && !separator(s, n, end))
                        end++;
                size_t o = 0;
                bool words = false;
                for (size_t k = i; k < end && o < sizeof(item); k++) {
                        if (!is_blank(s[k])) {
                                item[o++] = s[k];
                                continue;
                        }
                        size_t b = k;
                        while (b < end && is_blank(s[b]))
                                b++;
                        bool edge = o == 0 || b == end;
                        bool op = (o && strchr("<>=!~^(", item[o - 1])) || (b < end && strchr("<>=!~^()", s[b]));
                        if (!edge && !op)
                                words = true;
                        k = b - 1;
                }
                if (!words && o > 0 && o < sizeof(item)) {
                        int r = add_item(c, eco, (struct span) { item, o });
                        if (r < 0)
                                return r;
                        taken += (size_t) r;
                }
                i = end < n ? end + separator(s, n, end) : end;
        }
        return 0;
}

static int read_labels(struct deps_ctx *c, const char *s, size_t n) {
        bool npm_hint = (mentions_word(s, n, "npm") || mentions_word(s, n, "node") || mentions_word(s, n, "node.js")) &&
                        !mentions_word(s, n, "pip") && !mentions_word(s, n, "python");
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && is_alnum(s[i - 1]))
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(LABELS); k++) {
                        size_t len = strlen(LABELS[k].text);
                        if (n - i < len || strncasecmp(s + i, LABELS[k].text, len) != 0)
                                continue;
                        size_t start = i + len, end = start;
                        while (end < n && s[end] != '\n' && s[end] != '\r' && s[end] != ';' &&
                               !(s[end] == '.' && (end + 1 == n || is_blank(s[end + 1]))))
                                end++;
                        enum dep_ecosystem eco = LABELS[k].eco == L_NPM || (LABELS[k].eco == L_GUESS && npm_hint) ?
                                                         DEP_NPM : DEP_PYPI;
                        int r = list_items(c, eco, s + start, end - start);
                        if (r < 0)
                                return r;
                        i = end;
                        break;
                }
        }
        return 0;
}

int deps_read_compat(struct deps_ctx *c, const char *text) {
        size_t n = strnlen(text, DEPS_COMPAT_MAX_BYTES);
        struct span *words = calloc(n / 2 + 1, sizeof(*words));
        size_t nw = 0;
        if (!words)
                return -ENOMEM;
        for (size_t i = 0; i < n;) {
                while (i < n && is_blank(text[i]))
                        i++;
                size_t start = i;
                while (i < n && !is_blank(text[i]))
                        i++;
                if (i > start)
                        words[nw++] = (struct span) { text + start, i - start };
        }
        int r = read_commands(c, words, nw);
        free(words);
        return r < 0 ? r : read_labels(c, text, n);
}
