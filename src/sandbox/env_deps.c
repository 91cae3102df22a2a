/* What a skill's environments must hold: its requirements.txt, package.json and lockfile (at
 * the top of the skill) and the packages its `compatibility` text names, read by the scanner's
 * dependency extraction (scan/deps.h), never by a second parser; and the interpreter's version,
 * which is part of the key. */
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/xdg.h"
#include "../scan/deps.h"
#include "../scan/files.h"
#include "../sys/sys.h"

#define RUNTIME_QUERY_MS 10000
#define LOCKFILE_MAX_BYTES SCAN_MAX_FILE_BYTES /* what the extraction reads of it */

/* The manifests read at the top of a skill. Anything else reaches the extraction only as the
 * target of a requirements include (-r/-c). */
static const char *const TOP_FILES[] = { "requirements.txt", "package.json", "npm-shrinkwrap.json",
                                         "package-lock.json" };

/* Findings of the extraction that mean "what would be installed is not what is declared": the
 * build is refused rather than done with part of the list or from another source. Not here:
 * dep.lock.resolved (a lockfile made against the configured registry points there; a tarball on
 * any other host is refused by the build's network grant). */
static const char *const REFUSED_RULES[] = {
        "dep.include.missing", "dep.include.outside", "dep.include.url", "dep.include.depth",
        "dep.include.cycle",   "dep.index.custom",    "dep.index.extra", "dep.index.find-links",
        "dep.json.invalid",    "dep.limit",           "dep.name.invalid", "dep.name.too-long",
        "dep.requirement.invalid", "dep.spec.invalid", "dep.source.url", "dep.npm.alias",
};

/* ---- the interpreter's version -------------------------------------------------------------- */

static uint64_t mono_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* "<interpreter> --version" on the host (a trusted program with fixed arguments and a clean
 * environment), first line, bounded in size and time. */
static int runtime_query(const char *interpreter, char **ret) {
        int pfd[2];
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return -errno;
        pid_t pid = fork();
        if (pid < 0) {
                int r = -errno;
                close(pfd[0]), close(pfd[1]);
                return r;
        }
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null < 0 || dup2(null, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(null, 2) < 0 ||
                    sys_close_range_from(3) < 0)
                        _exit(127);
                char *const argv[] = { (char *) interpreter, (char *) "--version", NULL };
                char *const envp[] = { (char *) "PATH=/usr/bin:/bin", (char *) "LANG=C.UTF-8", NULL };
                execve(interpreter, argv, envp);
                _exit(127);
        }
        close(pfd[1]);
        char out[ENV_RUNTIME_MAX];
        size_t len = 0;
        uint64_t deadline = mono_ms() + RUNTIME_QUERY_MS;
        for (;;) {
                uint64_t now = mono_ms();
                struct pollfd p = { pfd[0], POLLIN, 0 };
                int k = now < deadline ? poll(&p, 1, (int) (deadline - now)) : 0;
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                ssize_t got = read_retry(pfd[0], out + len, sizeof(out) - 1 - len);
                if (got <= 0)
                        break;
                len += (size_t) got;
                if (len == sizeof(out) - 1)
                        break;
        }
        close(pfd[0]);
        kill(pid, SIGKILL); /* done or stuck: either way it has said all we read */
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        out[len] = '\0';
        out[strcspn(out, "\r\n")] = '\0';
        len = strlen(out);
        for (size_t i = 0; i < len; i++)
                if ((unsigned char) out[i] < 0x20 || (unsigned char) out[i] >= 0x7f)
                        return -EIO;
        if (len == 0)
                return -EIO;
        *ret = strdup(out);
        return *ret ? 0 : -ENOMEM;
}

/* The version, cached in root/.runtime-<hash of the file's identity>: asking costs a process
 * start (tens of ms for Node) on every run of a skill with dependencies. A replaced interpreter
 * (new inode, size or times) is asked again. */
static int runtime_version(const char *interpreter, const char *root, char **ret) {
        struct stat st;
        if (stat(interpreter, &st) < 0)
                return -errno;
        _cleanup_free_ char *cache = NULL;
        if (root) {
                char id[1024];
                uint8_t digest[SHA256_DIGEST_BYTES];
                char hex[SHA256_HEX_BYTES];
                int n = snprintf(id, sizeof(id), "%s\n%llu\n%llu\n%lld\n%lld.%09ld\n%lld.%09ld", interpreter,
                                 (unsigned long long) st.st_dev, (unsigned long long) st.st_ino,
                                 (long long) st.st_size, (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                                 (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
                if (n > 0 && (size_t) n < sizeof(id) && sha256_buffer(id, (size_t) n, digest) == 0) {
                        sha256_to_hex(digest, hex);
                        hex[16] = '\0';
                        if (asprintf(&cache, "%s/.runtime-%s", root, hex) < 0)
                                return -ENOMEM;
                        _cleanup_free_ char *data = NULL;
                        size_t len = 0;
                        if (read_file_at_bounded(AT_FDCWD, cache, ENV_RUNTIME_MAX, &data, &len) == 0 && len > 0 &&
                            strlen(data) == len && !strchr(data, '\n')) {
                                *ret = TAKE_PTR(data);
                                return 0;
                        }
                }
        }
        _cleanup_free_ char *version = NULL;
        int r = runtime_query(interpreter, &version);
        if (r < 0)
                return r;
        if (cache && write_file_atomic(cache, version, strlen(version), 0600) < 0) {
                /* only a cache: the next run asks again */
        }
        *ret = TAKE_PTR(version);
        return 0;
}

/* ---- the manifests -------------------------------------------------------------------------- */

static bool is_top_file(const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(TOP_FILES); i++)
                if (streq(path, TOP_FILES[i]))
                        return true;
        return false;
}

/* Only the top-level manifests present, each read like the scanner reads it. */
static int discover_top(int dfd, struct scan_files *out, struct findings *f, struct error *err) {
        for (size_t i = 0; i < ELEMENTSOF(TOP_FILES); i++) {
                struct stat st;
                if (fstatat(dfd, TOP_FILES[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;
                        return error_set(err, -errno, "%s: %s", TOP_FILES[i], strerror(errno));
                }
                struct scan_files one = { 0 };
                int r = scan_discover_one(dfd, TOP_FILES[i], &one, f, err);
                if (r < 0)
                        return r;
                struct scan_file *grown = reallocarray(out->v, out->n + one.n + 1, sizeof(*grown));
                if (!grown) {
                        scan_files_done(&one);
                        return error_set(err, -ENOMEM, "out of memory");
                }
                out->v = grown;
                memcpy(out->v + out->n, one.v, one.n * sizeof(*one.v));
                out->n += one.n;
                free(one.v);
        }
        return 0;
}

/* Keep what the extraction reads at the top: requirements.txt, package.json and one lockfile
 * (npm prefers npm-shrinkwrap.json). Every other file stays findable for -r/-c includes but gets
 * a kind deps_extract() never reads on its own. */
static void restrict_view(struct scan_files *files) {
        bool shrinkwrap = false;
        for (size_t i = 0; i < files->n; i++)
                shrinkwrap |= streq(files->v[i].path, "npm-shrinkwrap.json");
        for (size_t i = 0; i < files->n; i++) {
                const char *p = files->v[i].path;
                if (!is_top_file(p) || (shrinkwrap && streq(p, "package-lock.json")))
                        files->v[i].kind = SCAN_FILE_BINARY; /* a kind the extraction skips */
        }
}

static const struct finding *refused_finding(const struct findings *f, bool *missing_include) {
        *missing_include = false;
        for (size_t i = 0; i < f->n; i++)
                for (size_t k = 0; k < ELEMENTSOF(REFUSED_RULES); k++)
                        if (streq(f->v[i].rule_id, REFUSED_RULES[k])) {
                                *missing_include = streq(f->v[i].rule_id, "dep.include.missing");
                                return &f->v[i];
                        }
        return NULL;
}

/* A manifest that is there but was not read as one (binary, not UTF-8, too large) would
 * silently install nothing. Checked before restrict_view() changes kinds. */
static int check_readable(const struct scan_files *files, struct error *err) {
        for (size_t i = 0; i < files->n; i++) {
                const struct scan_file *x = &files->v[i];
                if (!is_top_file(x->path))
                        continue;
                enum scan_file_kind want = streq(x->path, "requirements.txt") ? SCAN_FILE_REQUIREMENTS
                                           : streq(x->path, "package.json")   ? SCAN_FILE_PACKAGE_JSON
                                                                              : SCAN_FILE_TEXT;
                if (x->kind != want || !x->data)
                        return error_set(err, -EINVAL, "%s cannot be read as text (binary, not UTF-8 or "
                                         "over %u bytes): its dependencies cannot be installed", x->path,
                                         (unsigned) SCAN_MAX_FILE_BYTES);
        }
        return 0;
}

static int extract(int dfd, const struct skill *s, bool full, struct dependencies *ret, bool *retry,
                   struct error *err) {
        _cleanup_(scan_files_done) struct scan_files files = { 0 };
        _cleanup_(findings_done) struct findings f = { 0 };
        *retry = false;
        int r = full ? scan_discover(dfd, &files, &f, err) : discover_top(dfd, &files, &f, err);
        if (r < 0)
                return r;
        r = check_readable(&files, err);
        if (r < 0)
                return r;
        restrict_view(&files);
        findings_done(&f); /* discovery's own findings are the scan's business */
        struct dependencies deps = { 0 };
        r = deps_extract(&files, s->compatibility, &deps, &f);
        if (r < 0)
                return error_set(err, r, "reading the dependencies of '%s': %s", s->name, strerror(-r));
        bool missing_include;
        const struct finding *bad = refused_finding(&f, &missing_include);
        if (bad && missing_include && !full) {
                /* an include names a file that only a full walk of the skill finds */
                deps_done(&deps);
                *retry = true;
                return 0;
        }
        if (bad) {
                char where[64] = "";
                if (bad->line)
                        snprintf(where, sizeof(where), ":%u", (unsigned) bad->line);
                deps_done(&deps);
                return error_set(err, -EINVAL, "%s%s: %s (an environment installs only the packages the "
                                 "skill declares, and only from the configured package index)", bad->file,
                                 where, bad->message);
        }
        *ret = deps;
        return 0;
}

/* The requirement as pip or npm should get it (fresh string): a constraint file's pin wins over
 * a range; an npm lockfile entry is its exact version. */
static char *dep_spec(const struct dependency *d, bool locked) {
        char *out = NULL;
        if (locked && d->version)
                return strdup(d->version);
        if (d->eco == DEP_PYPI && d->version && !strneq(d->spec, "===", 3))
                return asprintf(&out, "==%s", d->version) < 0 ? NULL : out;
        return strdup(d->spec);
}

static int read_lockfile(int dfd, struct env_spec *spec, struct error *err) {
        const char *name = NULL;
        struct stat st;
        if (fstatat(dfd, "npm-shrinkwrap.json", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                name = "npm-shrinkwrap.json";
        else if (fstatat(dfd, "package-lock.json", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                name = "package-lock.json";
        if (!name)
                return 0;
        int r = read_file_at_bounded(dfd, name, LOCKFILE_MAX_BYTES, &spec->lockfile, &spec->lockfile_len);
        if (r < 0)
                return error_set(err, r, "reading %s: %s", name, strerror(-r));
        spec->lockfile_name = strdup(name);
        return spec->lockfile_name ? 0 : error_set(err, -ENOMEM, "out of memory");
}

static int fill_spec(struct env_spec *spec, enum env_lang lang, const char *interpreter, const char *root,
                     struct error *err) {
        _cleanup_free_ char *version = NULL;
        int r = runtime_version(interpreter, root, &version);
        if (r < 0)
                return error_set(err, r, "asking %s for its version: %s", interpreter, strerror(-r));
        if (asprintf(&spec->runtime, "%s %s", interpreter, version) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        _cleanup_free_ char *grants = NULL;
        bool loopback;
        r = env_index_grants(env_index_url(lang), &grants, &loopback, &spec->index, err);
        if (r < 0)
                return r;
        if (lang == ENV_PYTHON) {
                const char *v = getenv("SKILLLITE_PIP_ALLOW_SDIST");
                spec->allow_sdist = v && streq(v, "1");
        }
        return 0;
}

int env_skill_specs(const struct skill *s, const struct host_caps *host, const char *root,
                    struct env_spec ret[2], struct error *err) {
        _cleanup_close_ int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return error_set(err, -errno, "opening %s: %s", s->dir, strerror(errno));
        struct dependencies deps = { 0 };
        bool retry;
        int r = extract(dfd, s, false, &deps, &retry, err);
        if (r == 0 && retry)
                r = extract(dfd, s, true, &deps, &retry, err);
        if (r < 0)
                return r;
        struct env_spec spec[2] = { { .lang = ENV_PYTHON }, { .lang = ENV_NODE } };
        int mask = 0;
        for (size_t i = 0; r >= 0 && i < deps.n; i++) {
                const struct dependency *d = &deps.v[i];
                enum env_lang lang = d->eco == DEP_NPM ? ENV_NODE : ENV_PYTHON;
                if (d->dev)
                        continue; /* devDependencies are for working on the skill, not running it */
                if (d->url) {
                        r = error_set(err, -EINVAL, "%s: '%s' comes from a URL, VCS or local path (%s); "
                                      "environments install only from the package index", d->file, d->name,
                                      d->spec);
                        break;
                }
                bool locked = lang == ENV_NODE && !streq(d->file, "package.json") && !streq(d->file, "SKILL.md");
                _cleanup_free_ char *req_spec = dep_spec(d, locked);
                r = req_spec ? env_spec_add(&spec[lang], locked, d->name, req_spec) : -ENOMEM;
                if (r < 0)
                        r = error_set(err, r, "%s: the dependency '%s' (%s) cannot be installed: %s", d->file,
                                      d->name, d->spec, r == -EINVAL ? "unsupported name or version text" : strerror(-r));
                if (!locked)
                        mask |= 1 << lang;
        }
        deps_done(&deps);
        /* a lockfile alone (no requirement left after dev dependencies) installs nothing */
        for (int l = 0; r >= 0 && l < 2; l++) {
                if (!(mask & (1 << l)))
                        continue;
                const char *interpreter = l == ENV_PYTHON ? host->python : host->node;
                if (!interpreter) {
                        r = error_set(err, -ENOENT, "skill '%s' has %s dependencies but no %s interpreter "
                                      "is installed", s->name, l == ENV_PYTHON ? "Python" : "Node",
                                      l == ENV_PYTHON ? "Python" : "Node");
                        break;
                }
                r = fill_spec(&spec[l], (enum env_lang) l, interpreter, root, err);
                if (r >= 0 && l == ENV_NODE)
                        r = read_lockfile(dfd, &spec[l], err);
                if (r >= 0 && (r = env_spec_finish(&spec[l])) < 0)
                        r = error_set(err, r, "computing the environment key: %s", strerror(-r));
        }
        if (r < 0) {
                env_spec_done(&spec[0]);
                env_spec_done(&spec[1]);
                return r;
        }
        for (int l = 0; l < 2; l++) {
                if (mask & (1 << l))
                        ret[l] = spec[l];
                else
                        env_spec_done(&spec[l]);
        }
        return mask;
}
