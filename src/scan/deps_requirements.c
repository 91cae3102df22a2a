/* PEP 508 requirement strings and pip's requirements-file format: line continuations, comments,
 * options (-r/-c includes resolved inside the skill, index options as findings), URL/VCS/path
 * requirements, environment markers. Mirrors pip's own reading (join lines, strip comments, split
 * a requirement from its per-requirement options at the first "-" token) so that what pip would
 * install is what we see. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/buf.h"
#include "../base/strv.h"
#include "deps_internal.h"

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\n' || c == '\r';
}

static bool is_alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void trim(const char **s, size_t *n) {
        while (*n && is_blank(**s))
                (*s)++, (*n)--;
        while (*n && is_blank((*s)[*n - 1]))
                (*n)--;
}

static bool has_prefix_ci(const char *s, size_t n, const char *prefix) {
        size_t k = strlen(prefix);
        return n >= k && strncasecmp(s, prefix, k) == 0;
}

static bool has_suffix_ci(const char *s, size_t n, const char *suffix) {
        size_t k = strlen(suffix);
        return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* ---- PEP 508 ------------------------------------------------------------------------------- */

/* Version clauses "op version (, op version)*"; each version [A-Za-z0-9._*+!-]+. */
static bool clauses_ok(const char *s, size_t n) {
        size_t i = 0;
        for (;;) {
                while (i < n && is_blank(s[i]))
                        i++;
                size_t op = i;
                while (i < n && s[i] && strchr("<>=!~", s[i]))
                        i++;
                if (i == op || i - op > 3)
                        return false;
                while (i < n && is_blank(s[i]))
                        i++;
                size_t v = i;
                while (i < n && (is_alnum(s[i]) || (s[i] && strchr("._*+!-", s[i]))))
                        i++;
                if (i == v)
                        return false;
                while (i < n && is_blank(s[i]))
                        i++;
                if (i == n)
                        return true;
                if (s[i] != ',')
                        return false;
                i++;
        }
}

int pep508_parse(const char *s, size_t n, struct pep508 *ret) {
        size_t i = 0;
        trim(&s, &n);
        struct pep508 p = { .name = s };
        while (i < n && (is_alnum(s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '-'))
                i++;
        p.name_len = i;
        if (i == 0 || !is_alnum(s[0]) || !is_alnum(s[i - 1]))
                return -EINVAL;
        while (i < n && is_blank(s[i]))
                i++;
        if (i < n && s[i] == '[') {
                for (i++; i < n && s[i] != ']'; i++)
                        if (!is_alnum(s[i]) && !is_blank(s[i]) && s[i] != ',' && s[i] != '.' && s[i] != '_' &&
                            s[i] != '-')
                                return -EINVAL;
                if (i >= n)
                        return -EINVAL;
                i++;
                while (i < n && is_blank(s[i]))
                        i++;
        }
        if (i < n && s[i] == '@') {
                for (i++; i < n && is_blank(s[i]); i++)
                        ;
                size_t u = i;
                while (i < n && !is_blank(s[i]))
                        i++;
                if (i == u)
                        return -EINVAL;
                p.spec = s + u, p.spec_len = i - u, p.is_url = true;
                while (i < n && is_blank(s[i]))
                        i++;
                if (i < n && s[i] != ';') /* a marker after a URL needs a blank before ';' */
                        return -EINVAL;
                *ret = p;
                return 0;
        }
        const char *marker = memchr(s + i, ';', n - i);
        const char *spec = s + i;
        size_t spec_len = (marker ? (size_t) (marker - s) : n) - i;
        trim(&spec, &spec_len);
        if (spec_len && spec[0] == '(') {
                if (spec[spec_len - 1] != ')' || spec_len < 2)
                        return -EINVAL;
                spec++, spec_len -= 2;
                trim(&spec, &spec_len);
        }
        if (spec_len && !clauses_ok(spec, spec_len))
                return -EINVAL;
        p.spec = spec, p.spec_len = spec_len;
        *ret = p;
        return 0;
}

int deps_add_pypi_url(struct deps_ctx *c, const char *name, size_t name_len, const char *url, size_t url_len,
                       const char *file, uint32_t line, unsigned flags) {
        _cleanup_buf_ struct buf spec = BUF_INIT(DEP_SPEC_MAX);
        int r = buf_append(&spec, "@ ", 2);
        if (r == 0)
                r = buf_append(&spec, url, url_len);
        if (r == -E2BIG)
                return deps_finding(c, "dep.spec.invalid", SEV_LOW, file, line, url, url_len,
                                    "a requirement URL of %zu bytes is too long to audit", url_len);
        if (r < 0)
                return r;
        return deps_add(c, DEP_PYPI, name, name_len, spec.data, spec.len, file, line,
                        flags | DEP_F_URL | DEP_F_KEEP_BLANKS);
}

int deps_add_pep508(struct deps_ctx *c, const char *s, size_t n, const char *file, uint32_t line, unsigned flags) {
        struct pep508 p;
        if (pep508_parse(s, n, &p) < 0)
                return deps_finding(c, "dep.requirement.invalid", SEV_LOW, file, line, s, n,
                                    "a requirement that cannot be read is not audited");
        if (p.is_url) {
                int r = deps_url_finding(c, file, line, s, n, p.spec, p.spec_len);
                if (r < 0)
                        return r;
                return deps_add_pypi_url(c, p.name, p.name_len, p.spec, p.spec_len, file, line, flags);
        }
        return deps_add(c, DEP_PYPI, p.name, p.name_len, p.spec, p.spec_len, file, line, flags);
}

/* ---- requirements files -------------------------------------------------------------------- */

struct req_reader {
        struct deps_ctx *c;
        const char *stack[DEPS_INCLUDE_MAX_DEPTH + 1]; /* files being read, outermost first */
        size_t depth;
};

static int read_file(struct req_reader *rr, const struct scan_file *x, bool constraint);

static bool visited(const struct deps_ctx *c, const char *path, bool constraint) {
        for (size_t i = 0; i < c->n_visited; i++)
                if (c->visited[i][0] == (constraint ? 'c' : 'r') && streq(c->visited[i] + 2, path))
                        return true;
        return false;
}

/* dirname(from) + rel with "." and ".." resolved lexically; -EPERM when it leaves the skill. */
static int resolve_relative(const char *from, const char *rel, size_t rel_len, char **ret) {
        const char *slash = strrchr(from, '/');
        size_t dir_len = slash ? (size_t) (slash - from) : 0;
        _cleanup_buf_ struct buf joined = BUF_INIT(dir_len + rel_len + 2);
        if (buf_append(&joined, from, dir_len) < 0 || buf_append(&joined, "/", 1) < 0 ||
            buf_append(&joined, rel, rel_len) < 0)
                return -ENOMEM;
        _cleanup_buf_ struct buf out = BUF_INIT(joined.len + 1);
        char *p = joined.data;
        for (size_t i = 0; i <= joined.len;) {
                size_t end = i;
                while (end < joined.len && p[end] != '/')
                        end++;
                size_t len = end - i;
                if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
                        if (out.len == 0)
                                return -EPERM;
                        char *last = memrchr(out.data, '/', out.len);
                        out.len = last ? (size_t) (last - out.data) : 0;
                        out.data[out.len] = '\0';
                } else if (len > 0 && !(len == 1 && p[i] == '.')) {
                        if ((out.len && buf_append(&out, "/", 1) < 0) || buf_append(&out, p + i, len) < 0)
                                return -ENOMEM;
                }
                i = end + 1;
        }
        if (out.len == 0)
                return -EPERM;
        *ret = buf_steal(&out);
        return *ret ? 0 : -ENOMEM;
}

/* "-r path" / "-c path" found in `from` at line. */
static int include(struct req_reader *rr, const char *from, uint32_t line, const char *snip, size_t snip_len,
                   const char *val, size_t val_len, bool constraint) {
        struct deps_ctx *c = rr->c;
        int n = (int) (val_len > 160 ? 160 : val_len);
        if (memmem(val, val_len, "://", 3))
                return deps_finding(c, "dep.include.url", SEV_MEDIUM, from, line, snip, snip_len,
                                    "requirements are read from a URL, which is not audited: %.*s", n, val);
        if (val_len && (val[0] == '/' || val[0] == '~'))
                return deps_finding(c, "dep.include.outside", SEV_MEDIUM, from, line, snip, snip_len,
                                    "requirements are read from an absolute path outside the skill: %.*s", n, val);
        _cleanup_free_ char *path = NULL;
        int r = resolve_relative(from, val, val_len, &path);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return deps_finding(c, "dep.include.outside", SEV_MEDIUM, from, line, snip, snip_len,
                                    "requirements are read from a path outside the skill: %.*s", n, val);
        const struct scan_file *x = deps_find_file(c, path);
        if (!x || !x->data)
                return deps_finding(c, "dep.include.missing", SEV_MEDIUM, from, line, snip, snip_len,
                                    "included requirements file %.*s is %s, so what it installs is not audited", n,
                                    val, x ? "unreadable" : "not in the skill");
        for (size_t i = 0; i < rr->depth; i++)
                if (streq(rr->stack[i], x->path))
                        return deps_finding(c, "dep.include.cycle", SEV_LOW, from, line, snip, snip_len,
                                            "requirements files include each other (%.*s)", n, val);
        if (visited(c, x->path, constraint))
                return 0; /* read already through another path */
        if (rr->depth > DEPS_INCLUDE_MAX_DEPTH) /* the top file plus 8 nested levels */
                return deps_finding(c, "dep.include.depth", SEV_MEDIUM, from, line, snip, snip_len,
                                    "requirements includes nested deeper than %d are not audited (%.*s)",
                                    DEPS_INCLUDE_MAX_DEPTH, n, val);
        return read_file(rr, x, constraint);
}

enum opt_kind { O_REQ, O_CONSTRAINT, O_EDITABLE, O_INDEX, O_EXTRA_INDEX, O_TRUSTED, O_FIND_LINKS, O_FLAG, O_VALUE };

/* pip's requirements-file options (req_file.py); optparse also accepts unique prefixes of the
 * long names ("--extra-index" is --extra-index-url), so they are matched the same way. */
static const struct {
        const char *name;
        char short_name;
        enum opt_kind kind;
} OPTS[] = {
        { "--requirement", 'r', O_REQ },       { "--constraint", 'c', O_CONSTRAINT },
        { "--editable", 'e', O_EDITABLE },     { "--index-url", 'i', O_INDEX },
        { "--extra-index-url", 0, O_EXTRA_INDEX }, { "--trusted-host", 0, O_TRUSTED },
        { "--find-links", 'f', O_FIND_LINKS }, { "--no-index", 0, O_FLAG },
        { "--pre", 0, O_FLAG },                { "--prefer-binary", 0, O_FLAG },
        { "--require-hashes", 0, O_FLAG },     { "--no-binary", 0, O_VALUE },
        { "--only-binary", 0, O_VALUE },       { "--use-feature", 0, O_VALUE },
        { "--global-option", 0, O_VALUE },     { "--hash", 0, O_VALUE },
        { "--config-settings", 0, O_VALUE },
};

/* The option a "--name" of len n means: exact, or a unique prefix; -1 when none or ambiguous. */
static int match_long(const char *s, size_t n) {
        int found = -1;
        for (size_t k = 0; k < ELEMENTSOF(OPTS); k++) {
                size_t len = strlen(OPTS[k].name);
                if (len == n && memcmp(OPTS[k].name, s, n) == 0)
                        return (int) k;
                if (n > 2 && len > n && memcmp(OPTS[k].name, s, n) == 0) {
                        if (found >= 0)
                                return -1;
                        found = (int) k;
                }
        }
        return found;
}

static void strip_quotes(const char **s, size_t *n) {
        if (*n >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'') && (*s)[*n - 1] == (*s)[0])
                (*s)++, *n -= 2;
}

static const char *archive_suffix(const char *s, size_t n) {
        static const char *const EXT[] = { ".whl",     ".zip", ".tar.gz", ".tgz", ".tar.bz2",
                                           ".tbz",     ".tar.xz", ".txz", ".tar" };
        for (size_t k = 0; k < ELEMENTSOF(EXT); k++)
                if (has_suffix_ci(s, n, EXT[k]))
                        return EXT[k];
        return NULL;
}

/* Length of the prefix of s[0..n) without any of the bytes in stop. */
static size_t span_until(const char *s, size_t n, const char *stop) {
        size_t i = 0;
        while (i < n && s[i] && !strchr(stop, s[i]))
                i++;
        return i;
}

/* A requirement that is a URL or a path (pip's own tests: a scheme, a path separator, a leading
 * dot, an archive name). Adds the finding and, when a name can be told (#egg=name, a wheel's file
 * name), the dependency. Returns 1 when it was one, 0 when it is an ordinary requirement, or
 * -ENOMEM. */
static int url_or_path(struct deps_ctx *c, const char *a, size_t an, const char *file, uint32_t line,
                       const char *snip, size_t snip_len, unsigned flags) {
        bool url = memmem(a, an, "://", 3) || has_prefix_ci(a, an, "git+") || has_prefix_ci(a, an, "hg+") ||
                   has_prefix_ci(a, an, "svn+") || has_prefix_ci(a, an, "bzr+") || has_prefix_ci(a, an, "file:");
        size_t pn = span_until(a, an, ";"); /* a path's marker starts at ';' (a URL's at "; ") */
        bool path = !url && pn && (a[0] == '.' || a[0] == '/' || a[0] == '~' || memchr(a, '/', pn) ||
                                   memchr(a, '\\', pn) || archive_suffix(a, pn));
        struct pep508 p;
        if (!url && !path)
                return 0;
        if (pep508_parse(a, an, &p) == 0 && p.is_url)
                return 0; /* "name @ url": an ordinary PEP 508 requirement */
        int r = deps_url_finding(c, file, line, snip, snip_len, a, an);
        if (r < 0)
                return r;
        const char *name = NULL;
        size_t name_len = 0;
        const char *egg = memmem(a, an, "egg=", 4);
        if (url && egg && egg > a && (egg[-1] == '#' || egg[-1] == '&')) {
                name = egg + 4;
                name_len = span_until(name, (size_t) (a + an - name), "&[ \t");
        } else if (has_suffix_ci(a, pn, ".whl")) {
                name = a; /* a wheel's file name starts with "name-version-" */
                for (size_t i = 0; i < pn; i++)
                        if (a[i] == '/' || a[i] == '\\')
                                name = a + i + 1;
                name_len = span_until(name, (size_t) (a + pn - name), "-");
        }
        if (name_len == 0 || !deps_name_ok(DEP_PYPI, name, name_len))
                return 1;
        r = deps_add_pypi_url(c, name, name_len, a, url ? span_until(a, an, " \t") : pn, file, line, flags);
        return r < 0 ? r : 1;
}

/* The requirement part of a line (before its options). */
static int requirement(struct req_reader *rr, const char *a, size_t an, const char *file, uint32_t line,
                       const char *snip, size_t snip_len, bool constraint) {
        unsigned flags = constraint ? DEP_F_CONSTRAINT : 0;
        trim(&a, &an);
        if (an == 0)
                return 0;
        int r = url_or_path(rr->c, a, an, file, line, snip, snip_len, flags);
        if (r != 0)
                return r < 0 ? r : 0;
        return deps_add_pep508(rr->c, a, an, file, line, flags);
}

/* The next blank-separated word of s[0..n) at or after *i; false at the end. */
static bool next_word(const char *s, size_t n, size_t *i, const char **ret, size_t *ret_len) {
        while (*i < n && is_blank(s[*i]))
                (*i)++;
        if (*i >= n)
                return false;
        size_t start = *i;
        while (*i < n && !is_blank(s[*i]))
                (*i)++;
        *ret = s + start;
        *ret_len = *i - start;
        return true;
}

/* What an option with its value means for the audit. */
static int option(struct req_reader *rr, enum opt_kind kind, const char *val, size_t val_len, const char *file,
                  uint32_t line, const char *snip, size_t snip_len, bool constraint) {
        struct deps_ctx *c = rr->c;
        int vn = (int) (val_len > 160 ? 160 : val_len), r;
        switch (kind) {
        case O_REQ:
        case O_CONSTRAINT:
                /* as pip: -r inside a constraints file reads requirements, -c constraints */
                return include(rr, file, line, snip, snip_len, val, val_len, kind == O_CONSTRAINT);
        case O_EDITABLE:
                r = val_len ? url_or_path(c, val, val_len, file, line, snip, snip_len,
                                          constraint ? DEP_F_CONSTRAINT : 0) : 0;
                return r != 0 ? (r < 0 ? r : 0) : deps_url_finding(c, file, line, snip, snip_len, val, val_len);
        case O_INDEX:
                return deps_finding(c, "dep.index.custom", SEV_MEDIUM, file, line, snip, snip_len,
                                    "packages are installed from a custom index (--index-url %.*s)", vn, val);
        case O_EXTRA_INDEX:
                return deps_finding(c, "dep.index.extra", SEV_HIGH, file, line, snip, snip_len,
                                    "an extra package index (--extra-index-url %.*s) lets any of its packages "
                                    "shadow a public one of the same name (dependency confusion)", vn, val);
        case O_TRUSTED:
                return deps_finding(c, "dep.index.trusted-host", SEV_HIGH, file, line, snip, snip_len,
                                    "pip is told to trust %.*s without TLS verification (--trusted-host)", vn, val);
        case O_FIND_LINKS:
                return deps_finding(c, "dep.index.find-links", SEV_MEDIUM, file, line, snip, snip_len,
                                    "packages may come from an unaudited location (--find-links %.*s)", vn, val);
        default:
                return 0;
        }
}

/* The options of a line, s[0..n). Returns 0 or -ENOMEM; an unknown option ends the line. */
static int options(struct req_reader *rr, const char *s, size_t n, const char *file, uint32_t line, bool constraint) {
        const char *w, *val;
        size_t wn, val_len, i = 0;
        while (next_word(s, n, &i, &w, &wn)) {
                int k = -1;
                val = NULL, val_len = 0;
                if (wn >= 2 && w[0] == '-' && w[1] == '-') {
                        const char *eq = memchr(w, '=', wn);
                        k = match_long(w, eq ? (size_t) (eq - w) : wn);
                        if (eq)
                                val = eq + 1, val_len = (size_t) (w + wn - val);
                } else if (wn >= 2 && w[0] == '-') {
                        for (size_t o = 0; o < ELEMENTSOF(OPTS); o++)
                                if (OPTS[o].short_name == w[1])
                                        k = (int) o;
                        if (wn > 2)
                                val = w + 2, val_len = wn - 2;
                }
                if (k < 0)
                        return 0; /* unknown: pip would refuse the file; we ignore the line */
                if (OPTS[k].kind == O_FLAG)
                        continue;
                if (!val && !next_word(s, n, &i, &val, &val_len))
                        return 0;
                strip_quotes(&val, &val_len);
                int r = option(rr, OPTS[k].kind, val, val_len, file, line, s, n, constraint);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One logical line (continuations joined, comment removed, trimmed). As pip, a line that does not
 * start with '-' is a requirement up to its first word starting with '-' (per-requirement options
 * such as --hash, which change nothing here). */
static int logical_line(struct req_reader *rr, const char *s, size_t n, const char *file, uint32_t line,
                        bool constraint) {
        if (s[0] == '-')
                return options(rr, s, n, file, line, constraint);
        const char *w;
        size_t wn, i = 0, req_len = n;
        while (next_word(s, n, &i, &w, &wn))
                if (w[0] == '-') {
                        req_len = (size_t) (w - s);
                        break;
                }
        return requirement(rr, s, req_len, file, line, s, n, constraint);
}

/* pip's COMMENT_RE "(^|\s+)#.*$": a '#' at the start or after a blank starts a comment. */
static size_t strip_comment(const char *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (s[i] == '#' && (i == 0 || is_blank(s[i - 1])))
                        return i;
        return n;
}

static bool is_comment_line(const char *s, size_t n) {
        size_t i = 0;
        while (i < n && is_blank(s[i]))
                i++;
        return i < n && s[i] == '#';
}

static int read_file(struct req_reader *rr, const struct scan_file *x, bool constraint) {
        struct deps_ctx *c = rr->c;
        char tag[2] = { constraint ? 'c' : 'r', ':' };
        _cleanup_buf_ struct buf key = BUF_INIT(strlen(x->path) + 2);
        if (buf_append(&key, tag, 2) < 0 || buf_append(&key, x->path, strlen(x->path)) < 0 ||
            strv_pushn(&c->visited, &c->n_visited, key.data, key.len) < 0)
                return -ENOMEM;
        rr->stack[rr->depth++] = x->path;

        const char *s = x->data;
        size_t n = x->len, i = 0;
        uint32_t line = 1;
        int r = 0;
        if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
                i = 3;
        _cleanup_buf_ struct buf logical = BUF_INIT(n + 1);
        while (r >= 0 && i < n) {
                uint32_t first = line;
                logical.len = 0;
                for (;;) { /* join physical lines ending in a backslash (not comment lines) */
                        size_t start = i;
                        while (i < n && s[i] != '\n' && s[i] != '\r')
                                i++;
                        const char *p = s + start;
                        size_t pn = i - start;
                        if (i < n)
                                i += (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                        if (line < UINT32_MAX)
                                line++;
                        bool more = pn && p[pn - 1] == '\\' && !is_comment_line(p, pn);
                        while (more && pn && p[pn - 1] == '\\')
                                pn--;
                        if (buf_append(&logical, p, pn) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        if (!more || i >= n)
                                break;
                }
                if (r < 0)
                        break;
                size_t ln = strip_comment(logical.data ? logical.data : "", logical.len);
                const char *ls = logical.data;
                trim(&ls, &ln);
                if (ln)
                        r = logical_line(rr, ls, ln, x->path, first, constraint);
        }
        rr->depth--;
        return r;
}

int deps_read_requirements(struct deps_ctx *c, const struct scan_file *x) {
        if (visited(c, x->path, false))
                return 0;
        struct req_reader rr = { .c = c };
        return read_file(&rr, x, false);
}

int deps_include_requirements(struct deps_ctx *c, const char *from_file, uint32_t line, const char *path,
                              size_t path_len) {
        struct req_reader rr = { .c = c, .stack = { from_file }, .depth = 1 };
        return include(&rr, from_file, line, path, path_len, path, path_len, false);
}
