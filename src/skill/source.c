/* `skilllite add <source>`: what the argument names (source_parse), fetching it into a private
 * directory (source_fetch) and finding the skills in it (source_find_skills). Extraction is
 * source_archive.c, cloning source_git.c. */
#include "source.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "skill.h"
#include "skill_md.h"
#include "source_internal.h"

#define SOURCE_ARG_MAX 4096 /* longer than any path or URL we would accept */

int (*source_download_hook)(const char *url, const char *dst_path, uint64_t max, struct error *err);

void source_spec_done(struct source_spec *s) {
        free(s->location);
        free(s->skill);
        free(s->display);
        *s = (struct source_spec) { 0 };
}

static const char *const ARCHIVE_EXTENSIONS[] = { ".tar.gz", ".tgz", ".tar", ".zip", NULL };

/* Length of the archive extension ending s[0..n), or 0. */
static size_t archive_extension(const char *s, size_t n) {
        for (const char *const *e = ARCHIVE_EXTENSIONS; *e; e++) {
                size_t k = strlen(*e);
                if (n > k && strncasecmp(s + n - k, *e, k) == 0)
                        return k;
        }
        return 0;
}

static bool valid_skill_name(const char *s) {
        return *s && !skill_name_problem(s);
}

static int fill(struct source_spec *ret, enum source_kind kind, char *location, const char *skill,
                size_t skill_len, char *display, struct error *err) {
        char *sk = skill ? strndup(skill, skill_len) : NULL;
        if (!location || !display || (skill && !sk)) {
                free(location);
                free(display);
                free(sk);
                return error_set(err, -ENOMEM, "out of memory");
        }
        *ret = (struct source_spec) { .kind = kind, .location = location, .skill = sk, .display = display };
        return 0;
}

/* ---- local paths ---------------------------------------------------------------------------- */

/* 1 when path exists (and *ret is filled), 0 when it does not, -errno. */
static int parse_local(const char *path, const char *arg, const char *skill, size_t skill_len,
                       struct source_spec *ret, struct error *err) {
        struct stat st;
        if (stat(path, &st) < 0) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                return error_set(err, -errno, "%s: %s", path, strerror(errno));
        }
        enum source_kind kind;
        if (S_ISDIR(st.st_mode))
                kind = SOURCE_DIR;
        else if (S_ISREG(st.st_mode))
                kind = SOURCE_ARCHIVE;
        else
                return error_set(err, -EINVAL, "%s is neither a directory nor an archive file", path);
        char *abs = realpath(path, NULL);
        if (!abs)
                return error_set(err, -errno, "%s: %s", path, strerror(errno));
        int r = fill(ret, kind, abs, skill, skill_len, strdup(arg), err);
        return r < 0 ? r : 1;
}

/* ---- URLs ----------------------------------------------------------------------------------- */

struct url {
        const char *scheme; /* the argument's own text: scheme, then "://" */
        size_t scheme_len;
        const char *auth;   /* authority: [userinfo@]host[:port] */
        size_t auth_len;
        const char *host;   /* inside auth, after any userinfo */
        size_t host_len;    /* without the port */
        const char *path;   /* from the first '/', '?' or '#' after the authority */
};

/* scheme "://" authority rest; 0, or -EINVAL when arg has no "scheme://". */
static int url_split(const char *arg, struct url *u) {
        const char *sep = strstr(arg, "://");
        if (!sep || sep == arg || !isalpha((unsigned char) arg[0]))
                return -EINVAL;
        for (const char *p = arg; p < sep; p++)
                if (!isalnum((unsigned char) *p) && *p != '+' && *p != '-' && *p != '.')
                        return -EINVAL;
        *u = (struct url) { .scheme = arg, .scheme_len = (size_t) (sep - arg), .auth = sep + 3 };
        u->auth_len = strcspn(u->auth, "/?#");
        u->path = u->auth + u->auth_len;
        u->host = u->auth;
        for (const char *p = u->auth; p < u->path; p++)
                if (*p == '@')
                        u->host = p + 1; /* the last '@': a password may hold one */
        const char *end = u->path;
        if (*u->host == '[') { /* [v6]:port */
                const char *close = memchr(u->host, ']', (size_t) (end - u->host));
                end = close ? close + 1 : end;
        } else {
                const char *colon = memchr(u->host, ':', (size_t) (end - u->host));
                end = colon ? colon : end;
        }
        u->host_len = (size_t) (end - u->host);
        return 0;
}

static bool url_scheme_is(const struct url *u, const char *s) {
        return u->scheme_len == strlen(s) && strncasecmp(u->scheme, s, u->scheme_len) == 0;
}

/* Plain http carries no integrity at all; it is only for a server on this machine. */
static bool host_is_loopback(const char *h, size_t n) {
        if ((n == 9 && strncasecmp(h, "localhost", 9) == 0) || (n == 5 && memcmp(h, "[::1]", 5) == 0))
                return true;
        if (n < 4 || memcmp(h, "127.", 4) != 0)
                return false;
        for (size_t i = 4; i < n; i++)
                if (!isdigit((unsigned char) h[i]) && h[i] != '.')
                        return false;
        return true;
}

/* The scheme's verdict: 0 (git or archive URL allowed), -EINVAL with err. */
static int url_check_scheme(const struct url *u, const char *what, struct error *err) {
        if (url_scheme_is(u, "https") || url_scheme_is(u, "ssh") || url_scheme_is(u, "file")) {
                if (!url_scheme_is(u, "file") && u->host_len == 0)
                        return error_set(err, -EINVAL, "%s: the URL has no host", what);
                return 0;
        }
        if (url_scheme_is(u, "http")) {
                if (host_is_loopback(u->host, u->host_len))
                        return 0;
                return error_set(err, -EINVAL, "%s: plain http:// is accepted only from this machine "
                                 "(localhost); use https://", what);
        }
        return error_set(err, -EINVAL, "%s: unsupported URL scheme '%.*s' (use https://, ssh:// or file://)",
                         what, (int) u->scheme_len, u->scheme);
}

/* A trailing "@skill-name" in the last path segment of from: its '@', or NULL. */
static const char *skill_suffix(const char *from) {
        const char *slash = strrchr(from, '/');
        const char *seg = slash ? slash + 1 : from;
        const char *at = strrchr(seg, '@');
        if (!at || at == seg || !valid_skill_name(at + 1))
                return NULL;
        return at;
}

/* The argument without the userinfo of its URL (a token or password must not be recorded). */
static char *url_display(const char *arg, const struct url *u) {
        size_t head = (size_t) (u->auth - arg), user = (size_t) (u->host - u->auth);
        size_t n = strlen(arg) - user;
        char *d = malloc(n + 1);
        if (!d)
                return NULL;
        memcpy(d, arg, head);
        memcpy(d + head, u->host, strlen(u->host) + 1);
        return d;
}

/* 1 when arg is a URL (and *ret is filled), 0 when it is not one, -errno. */
static int parse_url(const char *arg, struct source_spec *ret, struct error *err) {
        struct url u;
        if (url_split(arg, &u) < 0)
                return 0;
        int r = url_check_scheme(&u, arg, err);
        if (r < 0)
                return r;
        const char *at = skill_suffix(u.path);
        size_t loc_len = at ? (size_t) (at - arg) : strlen(arg);
        /* The archive extension is on the path, before any query or fragment. */
        size_t path_len = strcspn(u.path, "?#");
        const char *path_end = u.path + path_len < arg + loc_len ? u.path + path_len : arg + loc_len;
        enum source_kind kind = SOURCE_GIT;
        if ((url_scheme_is(&u, "https") || url_scheme_is(&u, "http")) &&
            archive_extension(u.path, (size_t) (path_end - u.path)))
                kind = SOURCE_URL;
        r = fill(ret, kind, strndup(arg, loc_len), at ? at + 1 : NULL, at ? strlen(at + 1) : 0,
                 url_display(arg, &u), err);
        return r < 0 ? r : 1;
}

/* git's scp-like syntax, user@host:path: 1 when arg is one (and *ret is filled), else 0. */
static int parse_scp(const char *arg, struct source_spec *ret, struct error *err) {
        const char *at = strchr(arg, '@'), *colon = strchr(arg, ':');
        if (!at || !colon || at == arg || colon < at + 2 || !colon[1] || colon[1] == '/')
                return 0;
        for (const char *p = arg; p < colon; p++)
                if (p != at && !isalnum((unsigned char) *p) && !strchr("._-", *p))
                        return 0;
        const char *sk = skill_suffix(colon + 1);
        size_t loc_len = sk ? (size_t) (sk - arg) : strlen(arg);
        int r = fill(ret, SOURCE_GIT, strndup(arg, loc_len), sk ? sk + 1 : NULL, sk ? strlen(sk + 1) : 0,
                     strdup(arg), err);
        return r < 0 ? r : 1;
}

/* ---- owner/repo ----------------------------------------------------------------------------- */

/* GitHub's rules: an owner is 1-39 letters, digits and single inner hyphens; a repository is
 * 1-100 letters, digits, '.', '-' and '_' and never "." or "..". */
static bool valid_owner(const char *s, size_t n) {
        if (n == 0 || n > 39 || s[0] == '-' || s[n - 1] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char) s[i]) && s[i] != '-')
                        return false;
        return true;
}

static bool valid_repo(const char *s, size_t n) {
        if (n == 0 || n > 100 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char) s[i]) && !strchr(".-_", s[i]))
                        return false;
        return true;
}

static int parse_github(const char *arg, struct source_spec *ret, struct error *err) {
        const char *slash = strchr(arg, '/');
        const char *at = strchr(slash, '@');
        size_t owner_len = (size_t) (slash - arg);
        size_t repo_len = at ? (size_t) (at - slash - 1) : strlen(slash + 1);
        if (!valid_owner(arg, owner_len) || !valid_repo(slash + 1, repo_len))
                return error_set(err, -EINVAL,
                                 "'%.200s' is no existing path, URL, or GitHub owner/repo (an owner has "
                                 "letters, digits and hyphens, a repository also '.' and '_')", arg);
        if (at && !valid_skill_name(at + 1))
                return error_set(err, -EINVAL, "'%.100s' is not a valid skill name: %s", at + 1,
                                 *(at + 1) ? skill_name_problem(at + 1) : "it is empty");
        const char *base = getenv("SKILLLITE_GIT_BASE");
        if (!base || !*base)
                base = "https://github.com";
        struct url u;
        if (url_split(base, &u) < 0)
                return error_set(err, -EINVAL, "SKILLLITE_GIT_BASE '%.200s' is not a URL", base);
        int r = url_check_scheme(&u, "SKILLLITE_GIT_BASE", err);
        if (r < 0)
                return r;
        size_t base_len = strlen(base);
        while (base_len > 0 && base[base_len - 1] == '/')
                base_len--;
        struct buf b = BUF_INIT(SOURCE_ARG_MAX * 2);
        if (buf_printf(&b, "%.*s/%.*s/%.*s", (int) base_len, base, (int) owner_len, arg, (int) repo_len,
                       slash + 1) < 0) {
                buf_free(&b);
                return error_set(err, -ENOMEM, "out of memory");
        }
        return fill(ret, SOURCE_GITHUB, buf_steal(&b), at ? at + 1 : NULL, at ? strlen(at + 1) : 0,
                    strdup(arg), err);
}

/* Only a path can be meant: no URL, no owner/repo shape. */
static bool looks_like_path(const char *arg) {
        size_t slashes = 0;
        for (const char *p = arg; *p; p++)
                slashes += *p == '/';
        return arg[0] == '/' || arg[0] == '.' || arg[0] == '~' || slashes != 1 ||
               archive_extension(arg, strlen(arg));
}

int source_parse(const char *arg, struct source_spec *ret, struct error *err) {
        if (!arg || !*arg)
                return error_set(err, -EINVAL, "the source is empty");
        if (strlen(arg) >= SOURCE_ARG_MAX)
                return error_set(err, -EINVAL, "the source is longer than %d bytes", SOURCE_ARG_MAX - 1);
        int r = parse_local(arg, arg, NULL, 0, ret, err);
        if (r != 0)
                return r < 0 ? r : 0;
        /* "dir@skill-name" / "file.zip@skill-name": a local source and the one skill wanted. */
        const char *at = strrchr(arg, '@');
        if (at && at > arg && !strchr(at, '/') && valid_skill_name(at + 1)) {
                _cleanup_free_ char *path = strndup(arg, (size_t) (at - arg));
                if (!path)
                        return error_set(err, -ENOMEM, "out of memory");
                r = parse_local(path, arg, at + 1, strlen(at + 1), ret, err);
                if (r != 0)
                        return r < 0 ? r : 0;
        }
        r = parse_url(arg, ret, err);
        if (r != 0)
                return r < 0 ? r : 0;
        r = parse_scp(arg, ret, err);
        if (r != 0)
                return r < 0 ? r : 0;
        if (looks_like_path(arg))
                return error_set(err, -ENOENT, "%.200s: no such file or directory", arg);
        return parse_github(arg, ret, err);
}

/* ---- finding skills ------------------------------------------------------------------------- */

struct finder {
        char **paths;
        size_t n;
        struct error *err;
};

static bool has_skill_md(int dfd) {
        struct stat st;
        return fstatat(dfd, "SKILL.md", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

/* Depth-first, bounded by SOURCE_FIND_MAX_DEPTH. */
static int find_in(struct finder *f, int dfd, const char *path, unsigned depth) {
        if (has_skill_md(dfd)) {
                if (f->n >= SOURCE_MAX_SKILLS)
                        return error_set(f->err, -E2BIG, "more than %d skills in one source", SOURCE_MAX_SKILLS);
                if (strv_pushn(&f->paths, &f->n, path, strlen(path)) < 0)
                        return error_set(f->err, -ENOMEM, "out of memory");
                return 0; /* a skill's own subdirectories are its business */
        }
        if (depth >= SOURCE_FIND_MAX_DEPTH)
                return 0;
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r = source_list_dir(dfd, &names, &n);
        if (r < 0)
                return error_set(f->err, r, "reading %s: %s", path, strerror(-r));
        for (size_t i = 0; i < n; i++) {
                if (names[i][0] == '.' || streq(names[i], "node_modules"))
                        continue;
                struct stat st;
                if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                        continue; /* files, and symlinks: never followed out of the source */
                _cleanup_close_ int sub = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        continue; /* unreadable, or replaced meanwhile */
                _cleanup_free_ char *subpath = path_join(path, names[i]);
                if (!subpath)
                        return error_set(f->err, -ENOMEM, "out of memory");
                r = find_in(f, sub, subpath, depth + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int cmp_paths(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int source_find_skills(const char *dir, char ***ret_paths, size_t *ret_n, struct error *err) {
        _cleanup_free_ char *abs = realpath(dir, NULL);
        if (!abs)
                return error_set(err, -errno, "%s: %s", dir, strerror(errno));
        _cleanup_close_ int fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return error_set(err, -errno, "%s: %s", dir, strerror(errno));
        struct finder f = { .err = err };
        int r = find_in(&f, fd, abs, 0);
        if (r < 0) {
                strv_free(f.paths);
                return r;
        }
        if (!f.paths && !(f.paths = calloc(1, sizeof(char *))))
                return error_set(err, -ENOMEM, "out of memory");
        qsort(f.paths, f.n, sizeof(char *), cmp_paths);
        *ret_paths = f.paths;
        *ret_n = f.n;
        return 0;
}

/* The front matter's `name` of dir/SKILL.md, or NULL (unreadable, invalid: then only the
 * directory name can match). */
static char *skill_md_name(const char *dir) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        if (skill_md_read(dir, SKILL_MD_MAX_BYTES, &text, &len) < 0)
                return NULL;
        struct skill_md md = { 0 };
        if (skill_md_parse(text, len, &md, NULL) < 0)
                return NULL;
        const char *name = json_string_value(json_object_get(md.front_matter, "name"));
        char *copy = name ? strdup(name) : NULL;
        skill_md_done(&md);
        return copy;
}

static bool skill_matches(const char *dir, const char *want) {
        _cleanup_free_ char *base = path_basename(dir);
        if (base && streq(base, want))
                return true;
        _cleanup_free_ char *name = skill_md_name(dir);
        return name && streq(name, want);
}

/* The skills of dir, or only those matching spec->skill, into f. */
static int find_wanted(const struct source_spec *spec, const char *dir, struct source_fetched *f,
                       struct error *err) {
        _cleanup_strv_free_ char **all = NULL;
        size_t n = 0;
        int r = source_find_skills(dir, &all, &n, err);
        if (r < 0)
                return r;
        if (n == 0)
                return error_set(err, -ENOENT, "%s holds no skill (no SKILL.md within %d levels)",
                                 spec->display, SOURCE_FIND_MAX_DEPTH);
        if (!spec->skill) {
                f->skills = TAKE_PTR(all);
                f->n_skills = n;
                return 0;
        }
        _cleanup_strv_free_ char **keep = calloc(1, sizeof(char *));
        size_t k = 0;
        if (!keep)
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
                if (skill_matches(all[i], spec->skill) && strv_pushn(&keep, &k, all[i], strlen(all[i])) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        if (k == 0)
                return error_set(err, -ENOENT, "%s has no skill named '%s'", spec->display, spec->skill);
        f->skills = TAKE_PTR(keep);
        f->n_skills = k;
        return 0;
}

/* ---- fetching ------------------------------------------------------------------------------- */

void source_fetched_done(struct source_fetched *f) {
        if (f->root)
                (void) rm_rf(f->root);
        free(f->root);
        strv_free(f->skills);
        *f = (struct source_fetched) { 0 };
}

/* The directory name to unpack into: the archive's or repository's own name, so that a skill
 * at its top keeps a directory name its `name` can equal. */
static char *tree_name(const struct source_spec *spec) {
        const char *loc = spec->location;
        size_t end = strlen(loc);
        if (spec->kind == SOURCE_URL)
                end = strcspn(loc, "?#");
        while (end > 0 && loc[end - 1] == '/')
                end--;
        size_t start = end;
        while (start > 0 && loc[start - 1] != '/' && loc[start - 1] != ':')
                start--;
        size_t n = end - start;
        if (spec->kind == SOURCE_ARCHIVE || spec->kind == SOURCE_URL)
                n -= archive_extension(loc + start, n);
        else if (n > 4 && strncasecmp(loc + start + n - 4, ".git", 4) == 0)
                n -= 4;
        bool ok = n > 0 && n <= NAME_MAX && loc[start] != '.';
        for (size_t i = 0; ok && i < n; i++)
                ok = (unsigned char) loc[start + i] >= 0x20 && loc[start + i] != 0x7f && loc[start + i] != '\\';
        return ok ? strndup(loc + start, n) : strdup("source");
}

static int extract_into(const char *archive, const char *tree, struct error *err) {
        if (mkdir(tree, 0755) < 0)
                return error_set(err, -errno, "creating %s: %s", tree, strerror(errno));
        _cleanup_close_ int fd = open(tree, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return error_set(err, -errno, "opening %s: %s", tree, strerror(errno));
        if (fchmod(fd, 0755) < 0)
                return error_set(err, -errno, "chmod %s: %s", tree, strerror(errno));
        return source_extract_archive(archive, fd, err);
}

static int fetch_url(const struct source_spec *spec, const char *root, const char *tree, struct error *err) {
        if (!source_download_hook)
                return error_set(err, -EPROTONOSUPPORT,
                                 "%s: this build cannot download (skilllite-sandbox has no HTTP client; "
                                 "use skilllite, or download the archive and add the file)", spec->display);
        _cleanup_free_ char *download = path_join(root, ".download");
        if (!download)
                return error_set(err, -ENOMEM, "out of memory");
        int r = source_download_hook(spec->location, download, SOURCE_DOWNLOAD_MAX_BYTES, err);
        if (r < 0)
                return error_set(err, r, "downloading %s: %s", spec->display, strerror(-r));
        r = extract_into(download, tree, err);
        (void) unlink(download);
        return r;
}

static int make_root(const char *tmp_parent, char **ret) {
        const char *parent = tmp_parent;
        if (!parent || !*parent)
                parent = getenv("TMPDIR");
        if (!parent || !*parent)
                parent = "/tmp";
        char *root = path_join(parent, "skilllite-source-XXXXXX");
        if (!root)
                return -ENOMEM;
        if (!mkdtemp(root)) { /* 0700 */
                int r = -errno;
                free(root);
                return r;
        }
        *ret = root;
        return 0;
}

int source_fetch(const struct source_spec *spec, const char *tmp_parent, struct source_fetched *ret,
                 struct error *err) {
        struct source_fetched f = { 0 };
        int r;
        if (spec->kind == SOURCE_DIR) {
                r = find_wanted(spec, spec->location, &f, err);
                if (r < 0)
                        return r;
                *ret = f;
                return 0;
        }
        r = make_root(tmp_parent, &f.root);
        if (r < 0)
                return error_set(err, r, "creating a temporary directory: %s", strerror(-r));
        _cleanup_free_ char *name = tree_name(spec);
        _cleanup_free_ char *tree = name ? path_join(f.root, name) : NULL;
        if (!tree)
                r = error_set(err, -ENOMEM, "out of memory");
        else if (spec->kind == SOURCE_ARCHIVE)
                r = extract_into(spec->location, tree, err);
        else if (spec->kind == SOURCE_URL)
                r = fetch_url(spec, f.root, tree, err);
        else
                r = source_git_clone(spec->location, tree, err);
        if (r == 0)
                r = find_wanted(spec, tree, &f, err);
        if (r < 0) {
                source_fetched_done(&f);
                return r;
        }
        *ret = f;
        return 0;
}
