/* Admission of a skill (admit.h). */
#include "admit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../base/macros.h"
#include "../base/path.h"
#include "../sandbox/env.h"
#include "../sandbox/probe.h"
#include "../scan/scan_gate.h"
#include "../skill/integrity.h"
#include "../skill/skill.h"
#include "../skill/skill_md.h"
#include "../skill/stage.h"
#include "../skill/state_db.h"
#include "cli.h"
#include "cmd_env.h"

#define ADMIT_LOCK_FILE ".skilllite.lock"
#define ADMIT_STAGE_PREFIX ".skilllite-stage-"

char *admit_target_dir(const char *explicit_dir) {
        if (explicit_dir && *explicit_dir)
                return strdup(explicit_dir);
        const char *env = getenv("SKILLLITE_SKILLS_DIR");
        return strdup(env && *env ? env : ".skills");
}

int admit_lock(const char *skills_dir, bool exclusive) {
        _cleanup_free_ char *p = path_join(skills_dir, ADMIT_LOCK_FILE);
        if (!p)
                return -ENOMEM;
        /* Readers never create the file: a directory no writer ever touched needs no lock (and
         * running a skill must not leave files next to it). */
        int fd = exclusive ? open(p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)
                           : open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
                if (errno != EINTR) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
        }
        return fd;
}

/* ---- permissions --------------------------------------------------------------------------- */

/* Append the comma-separated items of csv (blanks trimmed, empty items skipped). */
static int push_list(json_t *arr, const char *csv) {
        for (const char *p = csv; p && *p;) {
                const char *comma = strchr(p, ',');
                size_t n = comma ? (size_t) (comma - p) : strlen(p);
                const char *t = p;
                while (n > 0 && (*t == ' ' || *t == '\t')) {
                        t++;
                        n--;
                }
                while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
                        n--;
                if (n > 0 && json_array_append_new(arr, json_stringn(t, n)) < 0)
                        return -ENOMEM;
                p = comma ? comma + 1 : NULL;
        }
        return 0;
}

static bool mentions_network(const char *text) {
        static const char *const WORDS[] = { "network", "internet", "http", "online", "api", "download", "web" };
        if (!text)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(WORDS); i++)
                if (strcasestr(text, WORDS[i]))
                        return true;
        return false;
}

json_t *admit_permissions(const struct skill *s, const json_t *report) {
        _cleanup_json_ json_t *net = json_array(), *exe = json_array(), *req = json_array();
        if (!net || !exe || !req || push_list(net, skill_metadata_get(s, "skilllite.network")) < 0 ||
            push_list(exe, skill_metadata_get(s, "skilllite.exec")) < 0)
                return NULL;
        if (mentions_network(s->compatibility) && json_array_size(net) == 0 &&
            json_array_append_new(req, json_string("network access: `compatibility` mentions it (not "
                                                   "granted: declare hosts in metadata skilllite.network)")) < 0)
                return NULL;
        /* dependencies: what an environment build would install */
        size_t i;
        json_t *d;
        _cleanup_buf_ struct buf b = BUF_INIT(2048);
        size_t n_deps = 0;
        bool cut = false;
        json_array_foreach(json_object_get(report, "dependencies"), i, d) {
                if (!json_is_true(json_object_get(d, "direct")))
                        continue;
                n_deps++;
                if (cut)
                        continue;
                int k = buf_printf(&b, "%s%s (%s)", n_deps > 1 ? ", " : "",
                                   json_string_value(json_object_get(d, "name")) ?: "?",
                                   json_string_value(json_object_get(d, "ecosystem")) ?: "?");
                if (k == -ENOMEM)
                        return NULL;
                cut = k < 0;
        }
        if (n_deps > 0) {
                json_t *line = json_sprintf("install %zu package%s: %s%s", n_deps, n_deps == 1 ? "" : "s",
                                            b.data ? b.data : "", cut ? ", ..." : "");
                if (!line || json_array_append_new(req, line) < 0)
                        return NULL;
        }
        return json_pack("{s:O, s:O, s:O}", "network", net, "exec", exe, "requests", req);
}

void admit_print_permissions(FILE *out, const json_t *perms) {
        static const char *const KEYS[] = { "network", "exec", "requests" };
        static const char *const LABELS[] = { "network (declared)", "extra executables", "asks for" };
        bool any = false;
        for (size_t k = 0; k < ELEMENTSOF(KEYS); k++) {
                const json_t *a = json_object_get(perms, KEYS[k]);
                if (json_array_size(a) == 0)
                        continue;
                any = true;
                fprintf(out, "  %s:\n", LABELS[k]);
                size_t i;
                json_t *v;
                json_array_foreach(a, i, v) {
                        fputs("    - ", out);
                        cli_fputs_safe(out, json_string_value(v), false);
                        fputc('\n', out);
                }
        }
        if (!any)
                fputs("  permissions: none (no network, no extra executables)\n", out);
}

/* ---- the pipeline -------------------------------------------------------------------------- */

struct admission {
        const struct admit_opts *o;
        char *skills_dir;   /* canonical */
        int skills_fd;
        char *stage_root;   /* <skills_dir>/.skilllite-stage-XXXXXX */
        int stage_fd;
        char *name;
        struct skill *skill;
        struct scan_gate gate;
        json_t *perms;
        struct integrity_manifest manifest;
};

static void admission_done(struct admission *a) {
        if (a->stage_root) {
                int r = rm_rf(a->stage_root);
                if (r < 0)
                        cli_warn("could not remove the staging directory %s: %s", a->stage_root, strerror(-r));
        }
        free(a->stage_root);
        safe_close(a->stage_fd);
        safe_close(a->skills_fd);
        free(a->skills_dir);
        free(a->name);
        skill_free(a->skill);
        scan_gate_done(&a->gate);
        json_decref(a->perms);
        integrity_manifest_done(&a->manifest);
}

static int fail_entry(json_t **ret_entry, const char *src_dir, const char *reason, int code, const char *fmt, ...)
        _printf_(5, 6);
static int fail_entry(json_t **ret_entry, const char *src_dir, const char *reason, int code, const char *fmt, ...) {
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (ret_entry)
                *ret_entry = json_pack("{s:s, s:s, s:s, s:i}", "source_dir", src_dir, "error", msg, "reason", reason,
                                       "exit_code", code);
        return cli_fail(code, "%s", msg);
}

/* The skills directory, created when missing, opened and canonicalised. */
static int open_skills_dir(struct admission *a, const char *dir) {
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        a->skills_dir = realpath(dir, NULL);
        if (!a->skills_dir)
                return -errno;
        a->skills_fd = open(a->skills_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return a->skills_fd < 0 ? -errno : 0;
}

static int make_stage(struct admission *a) {
        _cleanup_free_ char *tmpl = NULL;
        if (asprintf(&tmpl, "%s/" ADMIT_STAGE_PREFIX "XXXXXX", a->skills_dir) < 0)
                return -ENOMEM;
        if (!mkdtemp(tmpl))
                return -errno;
        a->stage_root = TAKE_PTR(tmpl);
        a->stage_fd = open(a->stage_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (a->stage_fd < 0)
                return -errno;
        /* `reindex` clears staging directories nobody holds (left by a crash) */
        return flock(a->stage_fd, LOCK_EX) < 0 ? -errno : 0;
}

/* The `name` the staged SKILL.md declares, before full validation: it becomes a directory name,
 * so it is checked here against the name rules (no "/", no "..", a-z0-9-). */
static int staged_name(struct admission *a, int dirfd, const char *src_dir, json_t **ret_entry) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r = read_file_at_bounded(dirfd, "SKILL.md", SKILL_MD_MAX_BYTES, &text, &len);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "invalid", EXIT_USAGE, "%s: SKILL.md: %s", src_dir, strerror(-r));
        struct skill_md md = { 0 };
        struct error err = ERROR_INIT;
        r = skill_md_parse(text, len, &md, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "invalid", EXIT_USAGE, "%s: SKILL.md: %s", src_dir, err.msg);
        const char *name = json_string_value(json_object_get(md.front_matter, "name"));
        const char *problem = name ? skill_name_problem(name) : "it is missing";
        if (problem) {
                char shown[80];
                snprintf(shown, sizeof(shown), "%s", name ? name : "");
                for (char *p = shown; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f)
                                *p = '?';
                skill_md_done(&md);
                return fail_entry(ret_entry, src_dir, "invalid", EXIT_USAGE,
                                  "%s: the skill's name '%s' cannot be installed: %s", src_dir, shown, problem);
        }
        a->name = strdup(name);
        skill_md_done(&md);
        return a->name ? -1 : cli_fail(EXIT_FAILED, "out of memory");
}

/* 1 approved, 0 declined, -ENXIO without a terminal. */
static int ask_terminal(const struct admission *a) {
        FILE *tty = cli_tty_open();
        if (!tty)
                return -ENXIO;
        fputs("skilllite: install skill '", tty);
        cli_fputs_safe(tty, a->name, false);
        fputs("'?\n", tty);
        cli_print_scan_report(tty, a->gate.report, SEV_LOW);
        admit_print_permissions(tty, a->perms);
        return cli_tty_ask(tty, "Install it?");
}

static void report_text(const struct admission *a) {
        if (a->o->json)
                return;
        printf("Skill '");
        cli_fputs_safe(stdout, a->name, false);
        printf("' from ");
        cli_fputs_safe(stdout, a->o->source ? a->o->source : "?", false);
        printf(":\n");
        cli_print_scan_report(stdout, a->gate.report, SEV_LOW);
        admit_print_permissions(stdout, a->perms);
        fflush(stdout);
}

/* Record, then move into place under the writer lock; undo the record when the move fails. */
static int install(struct admission *a, const char *channel, bool *ret_replaced, struct error *err) {
        _cleanup_close_ int lock = admit_lock(a->skills_dir, true);
        if (lock < 0)
                return error_set(err, lock, "locking %s: %s", a->skills_dir, strerror(-lock));
        struct stat st;
        bool exists = fstatat(a->skills_fd, a->name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        if (exists && !a->o->force)
                return error_set(err, -EEXIST, "a skill named '%s' is already installed in %s (use --force to replace it)",
                                 a->name, a->skills_dir);
        if (exists && !S_ISDIR(st.st_mode))
                return error_set(err, -EEXIST, "%s/%s exists and is not a directory", a->skills_dir, a->name);

        _cleanup_state_db_ struct state_db *db = NULL;
        int r = state_db_open(true, &db, err);
        if (r < 0)
                return r;
        struct installed_skill old = { 0 };
        int had_old = installed_get(db, a->skills_dir, a->name, &old, err);
        if (had_old < 0 && had_old != -EBADMSG)
                return had_old;
        const char *version = skill_metadata_get(a->skill, "version");
        struct installed_skill rec = {
                .skills_dir = a->skills_dir,
                .name = a->name,
                .source = (char *) (a->o->source ? a->o->source : ""),
                .version = (char *) (version ? version : ""),
                .verdict = (char *) severity_to_string(a->gate.verdict),
                .channel = (char *) channel,
                .permissions = a->perms,
                .installed_at = (int64_t) time(NULL),
                .manifest = a->manifest,
        };
        r = installed_put(db, &rec, err);
        if (r < 0) {
                installed_skill_done(&old);
                return r;
        }
        unsigned flags = exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
        if (renameat2(a->stage_fd, a->name, a->skills_fd, a->name, flags) < 0) {
                r = -errno;
                struct error undo = ERROR_INIT;
                if (had_old == 1 ? installed_put(db, &old, &undo) < 0 : installed_remove(db, a->skills_dir, a->name, &undo) < 0)
                        cli_warn("could not restore the integrity record of '%s': %s", a->name, undo.msg);
                installed_skill_done(&old);
                return error_set(err, r, "moving the skill into %s: %s", a->skills_dir, strerror(-r));
        }
        installed_skill_done(&old);
        /* The scan's approval goes with the install: a level-3 run of exactly this content does
         * not ask again. */
        if (a->gate.verdict >= SEV_MEDIUM &&
            state_db_approval_put(db, a->manifest.tree_hash, a->name, severity_to_string(a->gate.verdict), channel, err) < 0)
                cli_warn("%s (the approval is not remembered)", err->msg);
        *ret_replaced = exists;
        return 0;
}

/* Build (or find) the staged skill's dependency environments. *ret: {"python"?, "node"?} names of
 * the environments (empty when it needs none). 0 or -errno with err set. */
static int build_envs(const struct admission *a, json_t **ret, struct error *err) {
        struct host_caps host = { 0 };
        host_probe(&host);
        struct env_ref ref = { 0 };
        struct env_options eo = { .progress = cli_env_progress };
        int r = env_prepare(a->skill, &host, &eo, &ref, err);
        host_caps_done(&host);
        if (r < 0)
                return r;
        *ret = json_object();
        if (*ret && ref.python_dir)
                json_object_set_new(*ret, "python", json_string(ref.python_name));
        if (*ret && ref.node_dir)
                json_object_set_new(*ret, "node", json_string(ref.node_name));
        env_ref_done(&ref);
        return *ret ? 0 : -ENOMEM;
}

int admit_skill(const char *src_dir, const struct admit_opts *o, json_t **ret_entry) {
        _cleanup_(admission_done) struct admission a = { .o = o, .skills_fd = -EBADF, .stage_fd = -EBADF };
        struct error err = ERROR_INIT;
        if (ret_entry)
                *ret_entry = NULL;

        int r = open_skills_dir(&a, o->skills_dir);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "error", cli_exit_for_errno(r), "skills directory %s: %s",
                                  o->skills_dir, strerror(-r));
        _cleanup_close_ int srcfd = open(src_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (srcfd < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_USAGE, "%s: %s", src_dir, strerror(errno));
        r = make_stage(&a);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "creating a staging directory in %s: %s",
                                  a.skills_dir, strerror(-r));

        /* 1. copy (what is validated, scanned and installed is this copy) */
        if (mkdirat(a.stage_fd, "copy", 0700) < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "staging: %s", strerror(errno));
        _cleanup_close_ int copyfd = openat(a.stage_fd, "copy", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (copyfd < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "staging: %s", strerror(errno));
        r = stage_copy(srcfd, copyfd, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, r == -EPERM ? "refused" : "error",
                                  r == -EPERM ? EXIT_REFUSED : cli_exit_for_errno(r), "%s: %s", src_dir, err.msg);
        if (fchmod(copyfd, 0755) < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "staging: %s", strerror(errno));

        /* 2. validate: the name first (it becomes a path), then everything */
        r = staged_name(&a, copyfd, src_dir, ret_entry);
        if (r >= 0)
                return r;
        if (renameat(a.stage_fd, "copy", a.stage_fd, a.name) < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "staging: %s", strerror(errno));
        _cleanup_free_ char *staged = path_join(a.stage_root, a.name);
        if (!staged)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct skill_report rep = { 0 };
        if (skill_report_init(&rep) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        r = skill_load(staged, &a.skill, &rep, &err);
        if (r < 0 || !skill_report_ok(&rep)) {
                const char *msg = r < 0 ? err.msg
                                        : json_string_value(json_object_get(json_array_get(rep.errors, 0), "message"));
                char copy[512];
                snprintf(copy, sizeof(copy), "%s", msg ? msg : "invalid");
                skill_report_done(&rep);
                return fail_entry(ret_entry, src_dir, "invalid", EXIT_USAGE, "%s: not a valid skill: %s", src_dir, copy);
        }
        skill_report_done(&rep);

        /* 3. scan everything (static analysis, SKILL.md, supply chain; cached by content hash) */
        r = scan_gate_run(a.skill, &a.gate, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "error", r == -ENOMEM ? EXIT_FAILED : EXIT_REFUSED,
                                  "%s: the skill could not be scanned: %s", a.name, err.msg);
        a.perms = admit_permissions(a.skill, a.gate.report);
        if (!a.perms)
                return cli_fail(EXIT_FAILED, "out of memory");

        /* 4. show, 5. confirm */
        report_text(&a);
        if (a.gate.verdict >= SEV_CRITICAL) {
                if (o->json)
                        cli_print_scan_report(stderr, a.gate.report, SEV_MEDIUM);
                return fail_entry(ret_entry, src_dir, "scan_critical", EXIT_REFUSED,
                                  "'%s' was not installed: the scan found critical problems; a confirmation cannot "
                                  "override that", a.name);
        }
        const char *channel = o->channel ? o->channel : o->yes ? "flag" : cli_env_auto_approve() ? "env" : NULL;
        if (!channel) {
                r = ask_terminal(&a);
                if (r == -ENXIO)
                        return fail_entry(ret_entry, src_dir, "confirmation_required", EXIT_REFUSED,
                                          "'%s' was not installed: installing needs a confirmation and there is no "
                                          "terminal to ask; pass --yes after reading the report above", a.name);
                if (r <= 0)
                        return fail_entry(ret_entry, src_dir, "declined", EXIT_REFUSED, "'%s' was not installed: declined",
                                          a.name);
                channel = "tty";
        }

        /* 6. the dependency environments, built now (in the sandbox, network only to the package
         * index, no install scripts) so that a failure leaves the skills directory untouched */
        _cleanup_json_ json_t *env_info = NULL;
        r = build_envs(&a, &env_info, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "dependencies",
                                  r == -ENOTSUP ? EXIT_SANDBOX_UNAVAILABLE : r == -EIO ? EXIT_FAILED : cli_exit_for_errno(r),
                                  "'%s' was not installed: its dependency environment could not be built: %s", a.name,
                                  err.msg);

        /* 7. record integrity, 8. move into place */
        _cleanup_close_ int stagedfd = openat(a.stage_fd, a.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (stagedfd < 0)
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED, "staging: %s", strerror(errno));
        r = integrity_manifest_build(stagedfd, &a.manifest, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, "error", cli_exit_for_errno(r), "%s: %s", a.name, err.msg);
        if (!streq(a.manifest.tree_hash, a.gate.skill_hash))
                /* the staged copy is private; a difference means a bug, not an attack: fail closed */
                return fail_entry(ret_entry, src_dir, "error", EXIT_FAILED,
                                  "%s: the staged copy changed between the scan and the integrity record", a.name);
        bool replaced = false;
        r = install(&a, channel, &replaced, &err);
        if (r < 0)
                return fail_entry(ret_entry, src_dir, r == -EEXIST ? "exists" : "error",
                                  r == -EEXIST ? EXIT_USAGE : cli_exit_for_errno(r), "%s", err.msg);
        _cleanup_free_ char *path = path_join(a.skills_dir, a.name);
        if (ret_entry)
                *ret_entry = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:O, s:O}", "name", a.name, "path",
                                       path ? path : "", "verdict", severity_to_string(a.gate.verdict), "tree_hash",
                                       a.manifest.tree_hash, "source", o->source ? o->source : "", "channel", channel,
                                       "replaced", replaced, "permissions", a.perms, "environments", env_info);
        if (!o->json) {
                printf("Installed '");
                cli_fputs_safe(stdout, a.name, false);
                printf("' into %s (%s).\n", a.skills_dir, replaced ? "replacing the previous version" : "new");
        }
        return EXIT_OK;
}
