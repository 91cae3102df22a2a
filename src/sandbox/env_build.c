/* Building one dependency environment inside the sandbox: `python -m venv` then
 * `pip install --only-binary=:all:`, or `npm install --ignore-scripts`, each a sandboxed run whose
 * only writable host directory is the environment being built and whose only network is the
 * package index (through the run's proxy). The result is checked, handed to the engine's user and
 * renamed into place; anything else is removed. */
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/envnum.h"
#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/path.h"
#include "../base/strv.h"
#include "../base/xdg.h"
#include "probe.h"
#include "run.h"

/* Inside the build's environment mount; removed before the environment is stored. */
#define BUILD_SCRATCH ".skilllite-build"
#define ENV_META_FILE ".skilllite-env.json"

struct build {
        const struct env_spec *spec;
        const struct host_caps *host;
        const char *mount;    /* SANDBOX_ENV_PYTHON_DIR or SANDBOX_ENV_NODE_DIR */
        char *tmp;            /* root/.tmp-<name>-XXXXXX (0700) */
        char *in;             /* tmp/in: the build's /skill (its input files) */
        char *env;            /* tmp/env: the environment, mounted writable at `mount` */
        char *grants;         /* the index host(s), as a network grant list */
        bool loopback;        /* every granted host is a literal loopback address */
        char *public_index;   /* the index URL without credentials */
        uint64_t in_bytes;
        uint64_t timeout_secs;
        struct buf log;       /* the installers' output, for a failed build's log file */
};

static void build_done(struct build *b) {
        if (b->tmp)
                env_rm_tree(b->tmp);
        free(b->tmp);
        free(b->in);
        free(b->env);
        free(b->grants);
        free(b->public_index);
        buf_free(&b->log);
}

/* ---- the tree: ownership, modes, kinds ------------------------------------------------------ */

/* nftw() has no user pointer: the walk's state lives here (the engine is single-threaded). */
static struct {
        uid_t uid;
        gid_t gid;
        bool chown;
        bool unread;  /* a directory could not be read: its entries were not visited */
        int error;
        char bad[256];
} walk;

static int own_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) ftw;
        if (flag == FTW_NS) {
                walk.error = -EIO;
                snprintf(walk.bad, sizeof(walk.bad), "%s", path);
                return 1;
        }
        if (flag == FTW_DNR)
                walk.unread = true; /* opened up below; the next pass sees inside */
        bool link = S_ISLNK(st->st_mode);
        if (!link && !S_ISDIR(st->st_mode) && !S_ISREG(st->st_mode)) {
                /* a FIFO or socket left by an installer has no business in an environment */
                walk.error = -EPERM;
                snprintf(walk.bad, sizeof(walk.bad), "%s", path);
                return 1;
        }
        if (walk.chown && lchown(path, walk.uid, walk.gid) < 0) {
                walk.error = -errno;
                snprintf(walk.bad, sizeof(walk.bad), "%s", path);
                return 1;
        }
        if (link)
                return 0;
        /* explicit modes: no set-id bits, nothing writable by group or others, readable by all
         * (a root engine's sandbox user is another host uid) */
        mode_t mode = S_ISDIR(st->st_mode) || (st->st_mode & S_IXUSR) ? 0755 : 0644;
        if (chmod(path, mode) < 0) {
                walk.error = -errno;
                snprintf(walk.bad, sizeof(walk.bad), "%s", path);
                return 1;
        }
        return 0;
}

/* Give the tree to uid:gid (chown only when asked) with the modes above; refuse special files.
 * An installer may leave directories we cannot read (mode 0): each pass opens up one more level,
 * and a tree still not fully seen after 32 passes is refused (its files' modes are unknown). */
static int tree_own(const char *dir, bool do_chown, uid_t uid, gid_t gid, struct error *err) {
        walk.uid = uid, walk.gid = gid, walk.chown = do_chown, walk.error = 0, walk.bad[0] = '\0';
        walk.unread = true;
        for (int pass = 0; walk.unread && !walk.error && pass < 32; pass++) {
                walk.unread = false;
                if (nftw(dir, own_entry, 16, FTW_PHYS | FTW_MOUNT) < 0 && !walk.error)
                        walk.error = -errno;
        }
        if (walk.unread && !walk.error)
                return error_set(err, -EPERM, "the build left directories that cannot be read");
        if (walk.error == -EPERM && walk.bad[0])
                return error_set(err, -EPERM, "the build left a special file (FIFO, socket or device) at %s",
                                 walk.bad);
        if (walk.error)
                return error_set(err, walk.error, "setting up %s: %s", walk.bad[0] ? walk.bad : dir,
                                 strerror(-walk.error));
        return 0;
}

static int unlock_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) ftw;
        if (flag == FTW_DNR) {
                walk.error = 1; /* another pass will see inside */
                if (chmod(path, 0700) < 0) {
                        /* rm_rf reports what stays */
                }
        } else if (flag == FTW_D && chmod(path, 0700) < 0) {
                /* likewise */
        }
        return 0;
}

int env_rm_tree(const char *path) {
        struct stat st;
        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : -errno;
        /* An installer running as the engine's own uid may leave directories without write or
         * search permission, which unlink()/rmdir() need: open them up level by level first. */
        if (S_ISDIR(st.st_mode) && geteuid() != 0)
                for (int pass = 0; pass < 32; pass++) {
                        walk.error = 0;
                        if (nftw(path, unlock_entry, 16, FTW_PHYS | FTW_MOUNT) < 0 || !walk.error)
                                break;
                }
        return rm_rf(path);
}

/* ---- inputs --------------------------------------------------------------------------------- */

static int write_new_file(const char *dir, const char *name, const void *data, size_t n) {
        _cleanup_free_ char *path = path_join(dir, name);
        if (!path)
                return -ENOMEM;
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        return write_all(fd, data, n);
}

/* Python: /skill/requirements.txt, one normalised requirement per line (nothing else: no
 * options, no index, no includes). Node: package.json naming the dependencies, and the skill's
 * lockfile as it is, in the environment itself (npm installs where package.json is). */
static int write_inputs(struct build *b, struct error *err) {
        const struct env_spec *s = b->spec;
        int r;
        if (s->lang == ENV_PYTHON) {
                _cleanup_buf_ struct buf req = BUF_INIT(64u * 1024 * 1024);
                r = 0;
                for (size_t i = 0; r == 0 && i < s->n_reqs; i++) {
                        _cleanup_free_ char *line = env_req_pip_line(&s->reqs[i]);
                        r = line ? buf_printf(&req, "%s\n", line) : -ENOMEM;
                }
                r = r ?: write_new_file(b->in, "requirements.txt", req.data ? req.data : "", req.len);
                b->in_bytes = req.len;
        } else {
                _cleanup_json_ json_t *pkg = json_object();
                json_t *deps = json_object();
                r = pkg && deps && json_object_set_new(pkg, "dependencies", deps) == 0 ? 0 : -ENOMEM;
                if (r == 0 && (json_object_set_new(pkg, "name", json_string("skilllite-env")) < 0 ||
                               json_object_set_new(pkg, "version", json_string("0.0.0")) < 0 ||
                               json_object_set_new(pkg, "private", json_true()) < 0))
                        r = -ENOMEM;
                for (size_t i = 0; r == 0 && i < s->n_reqs; i++) {
                        /* the same name twice (package.json and compatibility): a range beats
                         * "any version", else the first in sorted order wins; all are in the key */
                        const json_t *had = json_object_get(deps, s->reqs[i].name);
                        if (had && (!*s->reqs[i].spec || !streq(json_string_value(had), "*")))
                                continue;
                        if (json_object_set_new(deps, s->reqs[i].name,
                                                json_string(*s->reqs[i].spec ? s->reqs[i].spec : "*")) < 0)
                                r = -ENOMEM;
                }
                _cleanup_free_ char *text = r == 0 ? json_to_string(pkg, 1) : NULL;
                if (r == 0 && !text)
                        r = -ENOMEM;
                r = r ?: write_new_file(b->env, "package.json", text, strlen(text));
                if (r == 0 && s->lockfile)
                        r = write_new_file(b->env, s->lockfile_name, s->lockfile, s->lockfile_len);
        }
        if (r < 0)
                return error_set(err, r, "writing the build's inputs: %s", strerror(-r));
        return 0;
}

/* ---- one sandboxed step --------------------------------------------------------------------- */

static int envp_set(char ***envp, const char *name, const char *value) {
        size_t len = strlen(name), n = 0;
        _cleanup_free_ char *entry = NULL;
        if (asprintf(&entry, "%s=%s", name, value) < 0)
                return -ENOMEM;
        for (; *envp && (*envp)[n]; n++)
                if (strneq((*envp)[n], name, len) && (*envp)[n][len] == '=') {
                        free((*envp)[n]);
                        (*envp)[n] = TAKE_PTR(entry);
                        return 0;
                }
        return strv_pushn(envp, &n, entry, strlen(entry));
}

/* The end of what an installer said, printable, for an error message. */
static void output_tail(const struct run_result *res, char *out, size_t n) {
        const struct buf *b = res->err.len ? &res->err : &res->out;
        size_t len = b->len;
        while (len && (b->data[len - 1] == '\n' || b->data[len - 1] == ' '))
                len--;
        size_t from = len > n - 1 ? len - (n - 1) : 0;
        size_t k = 0;
        for (size_t i = from; i < len; i++) {
                unsigned char c = (unsigned char) b->data[i];
                out[k++] = c == '\n' ? '|' : c < 0x20 || c == 0x7f ? '?' : (char) c;
        }
        out[k] = '\0';
}

/* The proxy's denials during a step (its notice callback has no user pointer): the first one is
 * usually why an installer failed (an index whose files live on another host, a name that
 * resolves to a private address), so it leads the error message; all go to the build log. */
static struct {
        char first[400];
        struct buf *log;
} denials;

static void note_denial(const char *line) {
        if (!denials.first[0])
                snprintf(denials.first, sizeof(denials.first), "%s", line);
        if (denials.log && buf_printf(denials.log, "skilllite: network: %s\n", line) < 0) {
                /* the log is capped */
        }
}

/* One sandboxed step. vars: NULL-terminated "NAME", "value" pairs added to the plan's
 * environment (the index URL goes there, not into argv: a URL with credentials in a command line
 * is readable by every user of the host through /proc). */
static int run_step(struct build *b, char **argv, const char *const *vars, const char *what, struct error *err) {
        _cleanup_strv_free_ char **args = argv;
        const struct env_spec *s = b->spec;
        json_t *meta = json_object();
        struct skill sk = {
                .dir = b->in,
                .dir_name = (char *) "in",
                .name = (char *) "env-build",
                .description = (char *) "dependency environment build",
                .entry_point = (char *) "build",
                .metadata = meta, /* no skilllite.network: the grant below is all there is */
                .language = s->lang == ENV_PYTHON ? SKILL_LANG_PYTHON : SKILL_LANG_NODE,
                .kind = SKILL_KIND_STANDARD,
        };
        struct run_options o = {
                .level = 2,
                .timeout_secs = b->timeout_secs,
                .memory_mb = ENV_BUILD_MEMORY_MB,
                .max_procs = ENV_BUILD_PROCS, /* pip re-executes itself under the venv's python */
                .network_extra = b->grants,
                .allow_private_network = b->loopback,
                .net_max_bytes = ENV_BUILD_NET_MAX_MB,
                .copy_skill = true,
                .skill_bytes = b->in_bytes,
                .skill_entries = 2,
                .env_build = true,
        };
        if (s->lang == ENV_PYTHON)
                o.env_python = b->env;
        else
                o.env_node = b->env;
        if (!meta)
                return error_set(err, -ENOMEM, "out of memory");
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *plan = NULL;
        int r = sandbox_plan_build(&sk, &o, b->host, &plan, err);
        json_decref(meta);
        if (r < 0)
                return r;
        /* The plan is data: the builder's own command and the limits an installer needs. */
        strv_free(plan->argv);
        plan->argv = TAKE_PTR(args);
        plan->limits.fsize_bytes = ENV_BUILD_FSIZE_BYTES;
        /* Without a memory cgroup the plan splits the budget over max_procs as RLIMIT_DATA; pip and
         * npm run one or two processes that each need more than a slice (they are the installers,
         * not skill code), so each gets the whole budget. */
        plan->limits.data_bytes = plan->limits.memory_bytes;
        plan->network.max_requests = ENV_BUILD_NET_MAX_REQUESTS;
        char tmpdir[128];
        snprintf(tmpdir, sizeof(tmpdir), "%s/" BUILD_SCRATCH "/tmp", b->mount);
        r = envp_set(&plan->envp, "TMPDIR", tmpdir);
        for (size_t i = 0; r == 0 && vars && vars[i]; i += 2)
                r = envp_set(&plan->envp, vars[i], vars[i + 1]);
        if (r < 0)
                return error_set(err, -ENOMEM, "out of memory");

        struct run_result res = { .network_notice = note_denial };
        denials.first[0] = '\0';
        denials.log = &b->log;
        r = sandbox_run(plan, b->host, NULL, 0, &res, err);
        denials.log = NULL;
        if (buf_printf(&b->log, "== %s (%s)\n", what, run_reason_to_string(res.reason)) < 0 ||
            buf_append(&b->log, res.out.data ? res.out.data : "", res.out.len) < 0 ||
            buf_append(&b->log, res.err.data ? res.err.data : "", res.err.len) < 0) {
                /* the log is capped; what did not fit is not needed for the message */
        }
        if (r == 0 && res.reason != RUN_OK) {
                char tail[ENV_LOG_TAIL];
                output_tail(&res, tail, sizeof(tail) < 360 ? sizeof(tail) : 360);
                char status[32] = "";
                if (res.reason == RUN_EXIT)
                        snprintf(status, sizeof(status), " %d", res.exit_status);
                r = error_set(err, -EIO, "%s failed (%s%s)%s%s: %s", what, run_reason_to_string(res.reason), status,
                              denials.first[0] ? "; the proxy " : "", denials.first, tail[0] ? tail : "no output");
        }
        run_result_done(&res);
        return r;
}

static char **argv_of(const char *first, ...) __attribute__((sentinel));
static char **argv_of(const char *first, ...) {
        char **v = NULL;
        size_t n = 0;
        va_list ap;
        va_start(ap, first);
        for (const char *a = first; a; a = va_arg(ap, const char *))
                if (strv_pushn(&v, &n, a, strlen(a)) < 0) {
                        strv_free(v);
                        v = NULL;
                        break;
                }
        va_end(ap);
        return v;
}

static int build_python(struct build *b, struct error *err) {
        const char *py = b->host->python;
        char venv_python[128], requirements[128];
        snprintf(venv_python, sizeof(venv_python), "%s/bin/python", SANDBOX_ENV_PYTHON_DIR);
        snprintf(requirements, sizeof(requirements), "%s/requirements.txt", SANDBOX_SKILL_DIR);
        char **venv = argv_of(py, "-I", "-m", "venv", "--without-pip", SANDBOX_ENV_PYTHON_DIR, NULL);
        if (!venv)
                return error_set(err, -ENOMEM, "out of memory");
        int r = run_step(b, venv, NULL, "python -m venv", err);
        if (r < 0)
                return r;
        /* The system's pip installs into the venv (--python): the venv itself gets no pip.
         * --only-binary=:all: means wheels only, so no setup.py or build backend ever runs.
         * pip reads only the variables below (the sandbox's environment is an allowlist) and no
         * configuration file (PIP_CONFIG_FILE=/dev/null). */
        const char *const vars[] = { "PIP_INDEX_URL", env_index_url(ENV_PYTHON), "PIP_CONFIG_FILE", "/dev/null",
                                     NULL };
        char **pip = argv_of(py, "-I", "-m", "pip", "--python", venv_python, "install", "--no-cache-dir",
                             "--disable-pip-version-check", "--no-input", "--no-color", "--progress-bar", "off",
                             "--no-warn-script-location",
                             b->spec->allow_sdist ? "--prefer-binary" : "--only-binary=:all:",
                             "--proxy", SANDBOX_PROXY_URL, "-r", requirements, NULL);
        if (!pip)
                return error_set(err, -ENOMEM, "out of memory");
        return run_step(b, pip, vars, "pip install", err);
}

static int build_node(struct build *b, struct error *err) {
        /* npm is a script run by node: only node is executed; its files must be visible in the
         * sandbox, which binds /usr. */
        _cleanup_free_ char *npm = host_find_executable("npm");
        if (!npm || !strneq(npm, "/usr/", 5))
                return error_set(err, -ENOENT, "npm is not installed under /usr (found: %s)", npm ? npm : "none");
        char cache[128], logs[128];
        snprintf(cache, sizeof(cache), "%s/" BUILD_SCRATCH "/cache", SANDBOX_ENV_NODE_DIR);
        snprintf(logs, sizeof(logs), "%s/" BUILD_SCRATCH "/logs", SANDBOX_ENV_NODE_DIR);
        const char *const vars[] = { "npm_config_registry", env_index_url(ENV_NODE), NULL };
        char **argv = argv_of(b->host->node, npm, "install", "--prefix", SANDBOX_ENV_NODE_DIR, "--ignore-scripts",
                              "--omit=dev", "--no-audit", "--no-fund", "--no-update-notifier", "--no-progress",
                              "--loglevel=warn", "--cache", cache, "--logs-dir", logs, "--proxy",
                              SANDBOX_PROXY_URL, "--https-proxy", SANDBOX_PROXY_URL, NULL);
        if (!argv)
                return error_set(err, -ENOMEM, "out of memory");
        return run_step(b, argv, vars, "npm install", err);
}

/* What a finished environment must contain before it may be stored. */
static int check_result(const struct build *b, struct error *err) {
        const char *need = b->spec->lang == ENV_PYTHON ? "pyvenv.cfg" : "node_modules";
        _cleanup_free_ char *p = path_join(b->env, need);
        struct stat st;
        if (!p)
                return error_set(err, -ENOMEM, "out of memory");
        if (lstat(p, &st) < 0)
                return error_set(err, -EIO, "the build finished without %s", need);
        return 0;
}

static int write_meta(const struct build *b, struct error *err) {
        const struct env_spec *s = b->spec;
        _cleanup_json_ json_t *reqs = json_array();
        for (size_t i = 0; reqs && i < s->n_reqs; i++) {
                _cleanup_free_ char *line = NULL;
                if (asprintf(&line, "%s%s%s", s->reqs[i].name, s->lang == ENV_NODE && *s->reqs[i].spec ? "@" : "",
                             s->reqs[i].spec) < 0 || json_array_append_string(reqs, line) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
        }
        _cleanup_json_ json_t *meta = reqs ? json_pack("{s:s, s:s, s:s, s:s, s:b, s:O, s:I, s:I}", "name", s->name,
                                                       "language", env_lang_to_string(s->lang), "runtime", s->runtime,
                                                       "index", b->public_index, "allow_sdist", s->allow_sdist,
                                                       "requirements", reqs, "locked", (json_int_t) s->n_locked,
                                                       "built_at", (json_int_t) time(NULL))
                                           : NULL;
        _cleanup_free_ char *text = meta ? json_to_string(meta, 1) : NULL;
        if (!text)
                return error_set(err, -ENOMEM, "out of memory");
        int r = write_new_file(b->env, ENV_META_FILE, text, strlen(text));
        if (r < 0)
                return error_set(err, r, "writing %s: %s", ENV_META_FILE, strerror(-r));
        return 0;
}

/* The log of a failed build, next to the environments (clean-env removes it). */
static void keep_log(const char *root, const struct build *b) {
        _cleanup_free_ char *path = NULL;
        if (b->log.len && asprintf(&path, "%s/.log-%s.txt", root, b->spec->name) >= 0 &&
            write_file_atomic(path, b->log.data, b->log.len, 0600) < 0) {
                /* only a convenience */
        }
}

static int prepare_dirs(struct build *b, const char *root, struct error *err) {
        if (asprintf(&b->tmp, "%s/.tmp-%s-XXXXXX", root, b->spec->name) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        if (!mkdtemp(b->tmp)) {
                int r = -errno;
                free(b->tmp);
                b->tmp = NULL;
                return error_set(err, r, "creating a build directory in %s: %s", root, strerror(-r));
        }
        b->in = path_join(b->tmp, "in");
        b->env = path_join(b->tmp, "env");
        _cleanup_free_ char *scratch = b->env ? path_join(b->env, BUILD_SCRATCH) : NULL;
        _cleanup_free_ char *scratch_tmp = scratch ? path_join(scratch, "tmp") : NULL;
        if (!scratch_tmp)
                return error_set(err, -ENOMEM, "out of memory");
        if (mkdir(b->in, 0755) < 0 || mkdir(b->env, 0755) < 0 || mkdir(scratch, 0755) < 0 ||
            mkdir(scratch_tmp, 0755) < 0)
                return error_set(err, -errno, "creating the build directories: %s", strerror(errno));
        return 0;
}

static uint64_t build_timeout(void) {
        unsigned long long n = ENV_BUILD_TIMEOUT_SECS; /* also for an invalid value */
        (void) env_number("SKILLLITE_ENV_BUILD_TIMEOUT_SECS", 1, PLAN_MAX_TIMEOUT_SECS, &n);
        return n;
}

int env_build(const char *root, const struct env_spec *spec, const struct host_caps *host, struct error *err) {
        _cleanup_(build_done) struct build b = {
                .spec = spec,
                .host = host,
                .mount = spec->lang == ENV_PYTHON ? SANDBOX_ENV_PYTHON_DIR : SANDBOX_ENV_NODE_DIR,
                .timeout_secs = build_timeout(),
                .log = BUF_INIT(1024 * 1024),
        };
        int r = env_index_grants(env_index_url(spec->lang), &b.grants, &b.loopback, &b.public_index, err);
        if (r < 0)
                return r;
        r = prepare_dirs(&b, root, err);
        r = r < 0 ? r : write_inputs(&b, err);
        /* A root engine's sandbox user is host uid 65534: it must own what it writes into. */
        if (r >= 0 && host->is_root)
                r = tree_own(b.env, true, SANDBOX_ROOT_MODE_HOST_ID, SANDBOX_ROOT_MODE_HOST_ID, err);
        r = r < 0 ? r : spec->lang == ENV_PYTHON ? build_python(&b, err) : build_node(&b, err);
        if (r < 0) {
                keep_log(root, &b);
                return r;
        }
        _cleanup_free_ char *scratch = path_join(b.env, BUILD_SCRATCH);
        if (!scratch)
                return error_set(err, -ENOMEM, "out of memory");
        /* The sandbox is gone (a run ends with all its processes). From here on the tree is the
         * engine's: nothing the sandbox user owned stays writable by it, and no special file,
         * set-id bit or group/other write bit is kept. */
        if ((r = env_rm_tree(scratch)) < 0)
                r = error_set(err, r, "removing the build's scratch files: %s", strerror(-r));
        r = r < 0 ? r : tree_own(b.env, host->is_root, geteuid(), getegid(), err);
        r = r < 0 ? r : check_result(&b, err);
        r = r < 0 ? r : write_meta(&b, err);
        if (r < 0)
                return r;
        _cleanup_free_ char *final = path_join(root, spec->name);
        if (!final)
                return error_set(err, -ENOMEM, "out of memory");
        /* The one step that makes an environment exist: a crash before it leaves only a temp dir. */
        if (rename(b.env, final) < 0)
                return error_set(err, -errno, "storing the environment as %s: %s", final, strerror(errno));
        _cleanup_free_ char *log = NULL;
        if (asprintf(&log, "%s/.log-%s.txt", root, spec->name) >= 0)
                unlink(log); /* an older failure's log is history now */
        return 0;
}
