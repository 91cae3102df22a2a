/* Unit tests for src/policy: sandbox_plan_build() from a hand-made skill and host, the
 * SKILLLITE_* options, and the plan's JSON. Pure code: no privileges, no file system. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/policy/plan.h"
#include "../../src/policy/python_boot.h"
#include "../../src/sys/landlock.h"

#define SKILL_DIR "/home/alice/skills/calc"
#define LOADER "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"

/* ---- fixtures ------------------------------------------------------------------------------- */

static char *xstrdup(const char *s) {
        char *d = s ? strdup(s) : NULL;
        cr_assert(!s || d);
        return d;
}

/* A valid standard skill; entry may be NULL. */
static struct skill *make_skill(enum skill_language lang, const char *entry) {
        struct skill *s = calloc(1, sizeof(*s));
        cr_assert_not_null(s);
        s->dir = xstrdup(SKILL_DIR);
        s->dir_name = xstrdup("calc");
        s->name = xstrdup("calc");
        s->description = xstrdup("Adds numbers.");
        s->entry_point = xstrdup(entry);
        s->metadata = json_object();
        cr_assert_not_null(s->metadata);
        s->language = lang;
        s->kind = entry ? SKILL_KIND_STANDARD : SKILL_KIND_MULTI_SCRIPT;
        return s;
}

static void add_script(struct skill *s, const char *path, enum skill_language lang) {
        struct skill_script *grown = reallocarray(s->scripts, s->n_scripts + 1, sizeof(*grown));
        cr_assert_not_null(grown);
        s->scripts = grown;
        s->scripts[s->n_scripts++] = (struct skill_script) { xstrdup(path), lang };
}

static void set_meta(struct skill *s, const char *key, const char *value) {
        cr_assert_eq(json_object_set_new(s->metadata, key, json_string(value)), 0);
}

/* A merged-/usr x86_64 host with everything available, not root. */
static void make_host(struct host_caps *h) {
        *h = (struct host_caps) {
                .userns = true,
                .landlock_abi = 6,
                .seccomp = true,
                .cgroup = CGROUP_V2,
                .cg_memory = true,
                .cg_pids = true,
                .cg_cpu = true,
                .merged_usr = true,
                .has_lib64 = true,
        };
        h->cg_memory_dir = xstrdup("/sys/fs/cgroup/user.slice");
        h->cg_pids_dir = xstrdup("/sys/fs/cgroup/user.slice");
        h->cg_cpu_dir = xstrdup("/sys/fs/cgroup/user.slice");
        h->elf_loader = xstrdup(LOADER);
        h->python = xstrdup("/usr/bin/python3.11");
        h->node = xstrdup("/usr/bin/node");
        h->shell = xstrdup("/usr/bin/bash");
}

static void replace(char **field, const char *value) {
        free(*field);
        *field = xstrdup(value);
}

static const char *const ENV_NAMES[] = {
        "SKILLLITE_SANDBOX_LEVEL", "SKILLLITE_NO_SANDBOX", "SKILLLITE_TIMEOUT_SECS",
        "SKILLLITE_MAX_MEMORY_MB", "SKILLLITE_MAX_PROCESSES", "SKILLLITE_MAX_OUTPUT_BYTES",
        "SKILLBOX_SANDBOX_LEVEL",  "SKILLBOX_NO_SANDBOX",  "SKILLBOX_TIMEOUT_SECS",
        "SKILLBOX_MAX_MEMORY_MB",  "SKILLBOX_MAX_PROCESSES",  "SKILLBOX_MAX_OUTPUT_BYTES",
};

/* Each test is its own process: the environment starts without our variables. */
static void clean_env(void) {
        for (size_t i = 0; i < ELEMENTSOF(ENV_NAMES); i++)
                cr_assert_eq(unsetenv(ENV_NAMES[i]), 0);
}

TestSuite(plan, .init = clean_env);
TestSuite(plan_env, .init = clean_env);
TestSuite(plan_json, .init = clean_env);

/* Build and assert success. */
static struct sandbox_plan *build_ok(const struct skill *s, const struct run_options *o,
                                     const struct host_caps *h) {
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        int r = sandbox_plan_build(s, o, h, &p, &err);
        cr_assert_eq(r, 0, "sandbox_plan_build: %d %s", r, err.msg);
        cr_assert_not_null(p);
        return p;
}

/* Build and assert failure with code and a message containing part. */
static void build_fails(const struct skill *s, const struct run_options *o, const struct host_caps *h,
                        int code, const char *part) {
        struct sandbox_plan *p = NULL;
        struct error err = ERROR_INIT;
        int r = sandbox_plan_build(s, o, h, &p, &err);
        cr_expect_eq(r, code, "got %d (%s), want %d", r, err.msg, code);
        cr_expect_null(p, "no plan on failure");
        cr_expect_not_null(strstr(err.msg, part), "message '%s' lacks '%s'", err.msg, part);
}

/* The mount that finally sits at target (later mounts cover earlier ones), or NULL. */
static const struct plan_mount *mount_at(const struct sandbox_plan *p, const char *target) {
        const struct plan_mount *m = NULL;
        for (size_t i = 0; i < p->n_mounts; i++)
                if (streq(p->mounts[i].target, target))
                        m = &p->mounts[i];
        return m;
}

static size_t mounts_at(const struct sandbox_plan *p, const char *target) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_mounts; i++)
                n += streq(p->mounts[i].target, target);
        return n;
}

static const struct plan_mount *expect_mount(const struct sandbox_plan *p, const char *target,
                                             enum mount_kind kind) {
        const struct plan_mount *m = mount_at(p, target);
        cr_assert_not_null(m, "no mount at %s", target);
        cr_expect_eq(m->kind, kind, "%s: kind %d, want %d", target, m->kind, kind);
        return m;
}

/* Union of the Landlock rights granted on exactly this path. */
static uint64_t rule_access(const struct sandbox_plan *p, const char *path) {
        uint64_t a = 0;
        for (size_t i = 0; i < p->n_rules; i++)
                if (streq(p->rules[i].path, path))
                        a |= p->rules[i].access;
        return a;
}

static bool has_rule(const struct sandbox_plan *p, const char *path) {
        for (size_t i = 0; i < p->n_rules; i++)
                if (streq(p->rules[i].path, path))
                        return true;
        return false;
}

static bool strv_contains(char **v, const char *s) {
        for (char **i = v; i && *i; i++)
                if (streq(*i, s))
                        return true;
        return false;
}

static size_t strv_len(char **v) {
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

static bool any_contains(char **v, const char *part) {
        for (char **i = v; i && *i; i++)
                if (strstr(*i, part))
                        return true;
        return false;
}

/* ---- level and argv ------------------------------------------------------------------------- */

Test(plan, default_level_is_3_and_isolated) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->level, 3);
        cr_expect(p->isolated);
        cr_expect_str_eq(p->cwd, "/skill");
        cr_expect_str_eq(p->skill_host_dir, SKILL_DIR);
        cr_assert_eq(strv_len(p->argv), 4, "python3 -c PYTHON_BOOT script (python_boot.c)");
        cr_expect_str_eq(p->argv[0], "/usr/bin/python3.11");
        cr_expect_str_eq(p->argv[1], "-c");
        cr_expect_str_eq(p->argv[2], PYTHON_BOOT);
        cr_expect_str_eq(p->argv[3], "/skill/scripts/main.py");
        cr_expect_not(any_contains(p->warnings, "WITHOUT isolation"));
}

Test(plan, level_2_is_isolated) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->level, 2);
        cr_expect(p->isolated);
        cr_expect_gt(p->n_mounts, 0);
        cr_expect_gt(p->n_rules, 0);
}

Test(plan, level_1_runs_on_the_host_with_a_warning) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 1 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->level, 1);
        cr_expect_not(p->isolated);
        cr_expect_str_eq(p->cwd, SKILL_DIR);
        cr_assert_eq(strv_len(p->argv), 4);
        cr_expect_str_eq(p->argv[0], "/usr/bin/python3.11");
        cr_expect_str_eq(p->argv[3], SKILL_DIR "/scripts/main.py");
        cr_expect(any_contains(p->warnings, "WITHOUT isolation"));
        cr_expect_eq(p->n_mounts, 0, "level 1 builds no file system");
        cr_expect_eq(p->n_rules, 0, "level 1 has no Landlock");
        cr_expect(strv_contains(p->envp, "SKILLLITE_SANDBOX=0"));
        cr_expect(strv_contains(p->envp, "SKILLLITE_SKILL_DIR=" SKILL_DIR));
        cr_expect_not(p->limits.cgroup_memory || p->limits.cgroup_pids || p->limits.cgroup_cpu,
                      "no cgroup leaf outside the sandbox");
        /* The level-1 warning already says "rlimits"; a cgroup warning would be wrong here (the
         * host may have the controllers, and processes are not limited with RLIMIT_NPROC). */
        cr_expect_not(any_contains(p->warnings, "cgroup"), "level 1 gets no cgroup warnings");
}

Test(plan, python_fast_exit_0_runs_the_script_plainly) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .python_teardown = true };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_assert_eq(strv_len(p->argv), 2);
        cr_expect_str_eq(p->argv[1], "/skill/scripts/main.py");
}

Test(plan, interpreter_per_language) {
        static const struct {
                enum skill_language lang;
                const char *entry, *interpreter;
        } table[] = {
                { SKILL_LANG_PYTHON, "scripts/main.py", "/usr/bin/python3.11" },
                { SKILL_LANG_NODE, "scripts/main.js", "/usr/bin/node" },
                { SKILL_LANG_SHELL, "scripts/main.sh", "/usr/bin/bash" },
        };
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_skill_ struct skill *s = make_skill(table[i].lang, table[i].entry);
                struct run_options o = { 0 };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                cr_expect_str_eq(p->argv[0], table[i].interpreter);
                char want[256];
                snprintf(want, sizeof(want), "/skill/%s", table[i].entry);
                size_t n = strv_len(p->argv);
                cr_expect_eq(n, table[i].lang == SKILL_LANG_PYTHON ? 4 : 2);
                cr_expect_str_eq(p->argv[n - 1], want);
                cr_expect(strv_contains(p->exec_allowed, table[i].interpreter));
        }
}

Test(plan, exec_script_uses_its_own_language) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        add_script(s, "scripts/main.py", SKILL_LANG_PYTHON);
        add_script(s, "scripts/format.js", SKILL_LANG_NODE);
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .script = "scripts/format.js", .script_language = SKILL_LANG_NODE };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_assert_eq(strv_len(p->argv), 2);
        cr_expect_str_eq(p->argv[0], "/usr/bin/node");
        cr_expect_str_eq(p->argv[1], "/skill/scripts/format.js");
        cr_expect(strv_contains(p->exec_allowed, "/usr/bin/node"));
        cr_expect_not(strv_contains(p->exec_allowed, "/usr/bin/python3.11"));
}

Test(plan, exec_script_works_without_an_entry_point) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_NONE, NULL);
        add_script(s, "scripts/a.py", SKILL_LANG_PYTHON);
        add_script(s, "scripts/b.sh", SKILL_LANG_SHELL);
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .script = "scripts/b.sh" };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_str_eq(p->argv[0], "/usr/bin/bash");
        cr_expect_str_eq(p->argv[1], "/skill/scripts/b.sh");
}

Test(plan, exec_script_must_be_a_known_script_inside_the_skill) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        add_script(s, "scripts/main.py", SKILL_LANG_PYTHON);
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        /* Not listed and no language resolved by the caller, or a path that escapes. */
        static const char *const bad[] = { "scripts/other.py", "../scripts/main.py", "/etc/passwd",
                                           "scripts/main.py/", "" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                struct run_options o = { .script = bad[i] };
                build_fails(s, &o, &h, -EINVAL, "is not a Python, JavaScript or shell script inside the skill");
        }
        /* A language from the caller does not make an escaping path acceptable. */
        struct run_options esc = { .script = "../x.py", .script_language = SKILL_LANG_PYTHON };
        build_fails(s, &esc, &h, -EINVAL, "inside the skill");
        /* A script outside scripts/ that the caller resolved (e.g. tools/run.py) is fine. */
        struct run_options ok = { .script = "tools/run.py", .script_language = SKILL_LANG_PYTHON };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &ok, &h);
        cr_expect_str_eq(p->argv[strv_len(p->argv) - 1], "/skill/tools/run.py");
}

Test(plan, bash_command_runs_the_shell) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_NONE, NULL);
        s->kind = SKILL_KIND_BASH_TOOL;
        replace(&s->allowed_tools, "Bash(git:*)");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        char *tools[] = { "/usr/bin/git", NULL };
        struct run_options o = { .bash_command = "git status --short", .tools = tools,
                                 .tools_imply_processes = true };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_assert_eq(strv_len(p->argv), 3);
        cr_expect_str_eq(p->argv[0], "/usr/bin/bash");
        cr_expect_str_eq(p->argv[1], "-c");
        cr_expect_str_eq(p->argv[2], "git status --short");
        cr_expect(p->seccomp.allow_process_creation);
        cr_expect(strv_contains(p->exec_allowed, "/usr/bin/bash"));
        cr_expect(strv_contains(p->exec_allowed, "/usr/bin/git"));
}

Test(plan, bash_command_wins_over_a_script) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .bash_command = "ls", .script = "scripts/none.py" };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_str_eq(p->argv[0], "/usr/bin/bash");
        cr_expect_str_eq(p->argv[2], "ls");
}

Test(plan, prompt_only_has_nothing_to_run) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_NONE, NULL);
        s->kind = SKILL_KIND_PROMPT_ONLY;
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        build_fails(s, &o, &h, -EINVAL, "skill 'calc' is prompt-only");
}

Test(plan, multi_script_without_entry_names_the_way_out) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_NONE, NULL);
        add_script(s, "scripts/a.py", SKILL_LANG_PYTHON);
        add_script(s, "scripts/b.py", SKILL_LANG_PYTHON);
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        build_fails(s, &o, &h, -EINVAL, "no default entry point");
        build_fails(s, &o, &h, -EINVAL, "skilllite exec");
}

Test(plan, missing_interpreter_is_named) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_NODE, "scripts/main.js");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        replace(&h.node, NULL);
        struct run_options o = { 0 };
        build_fails(s, &o, &h, -ENOENT, "no node interpreter");
}

/* ---- environment ---------------------------------------------------------------------------- */

static void set_host_env(void) {
        cr_assert_eq(setenv("SKILLLITE_TEST_CANARY", "leaked", 1), 0);
        cr_assert_eq(setenv("OPENAI_API_KEY", "sk-canary", 1), 0);
        cr_assert_eq(setenv("HOME", "/home/alice", 1), 0);
        cr_assert_eq(setenv("USER", "alice", 1), 0);
        cr_assert_eq(setenv("PATH", "/home/alice/bin:/usr/bin", 1), 0);
        cr_assert_eq(setenv("LD_PRELOAD", "/home/alice/evil.so", 1), 0);
        cr_assert_eq(setenv("PYTHONPATH", "/home/alice/py", 1), 0);
}

static void expect_no_host_env(char **envp) {
        for (char **e = envp; e && *e; e++) {
                cr_expect_null(strstr(*e, "canary"), "host value leaked: %s", *e);
                cr_expect_null(strstr(*e, "leaked"), "host value leaked: %s", *e);
                cr_expect_null(strstr(*e, "alice") && !strstr(*e, SKILL_DIR) ? *e : NULL,
                               "host value leaked: %s", *e);
                cr_expect_not(strneq(*e, "OPENAI_API_KEY=", 15) || strneq(*e, "LD_PRELOAD=", 11) ||
                                      strneq(*e, "PYTHONPATH=", 11) || strneq(*e, "SKILLLITE_TEST_", 15),
                              "host variable leaked: %s", *e);
        }
}

Test(plan, environment_is_exactly_the_allowlist) {
        set_host_env();
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        static const char *const want[] = {
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "HOME=/sandbox/home",
                "TMPDIR=/sandbox/tmp",
                "LANG=C.UTF-8",
                "USER=sandbox",
                "LOGNAME=sandbox",
                "PYTHONDONTWRITEBYTECODE=1",
                "PYTHONIOENCODING=utf-8",
                "SKILLLITE_SANDBOX=1",
                "SKILLBOX_SANDBOX=1",
                "SKILLLITE_SKILL_DIR=/skill",
                "SKILLLITE_NETWORK_DISABLED=1",
        };
        cr_assert_eq(strv_len(p->envp), ELEMENTSOF(want), "%zu variables", strv_len(p->envp));
        for (size_t i = 0; i < ELEMENTSOF(want); i++)
                cr_expect_str_eq(p->envp[i], want[i]);
        expect_no_host_env(p->envp);
}

Test(plan, level_1_environment_is_the_allowlist_too) {
        set_host_env();
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 1 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        /* no SKILLLITE_NETWORK_DISABLED: level 1 shares the host's network */
        cr_expect_eq(strv_len(p->envp), 11);
        cr_expect(!strv_contains(p->envp, "SKILLLITE_NETWORK_DISABLED=1"));
        cr_expect_eq(p->network.mode, PLAN_NET_HOST);
        cr_expect(strv_contains(p->envp, "HOME=@TMPDIR@"), "the runner fills in a private temp dir");
        cr_expect(strv_contains(p->envp, "TMPDIR=@TMPDIR@"));
        cr_expect(strv_contains(p->envp, "PATH=/usr/local/bin:/usr/bin:/bin"));
        expect_no_host_env(p->envp);
}

/* ---- mounts --------------------------------------------------------------------------------- */

Test(plan, usr_is_read_only_and_binary_dirs_are_noexec) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        const struct plan_mount *usr = expect_mount(p, "/usr", MOUNT_BIND);
        cr_expect_str_eq(usr->source, "/usr");
        cr_expect(usr->flags & MNT_F_RDONLY);
        cr_expect(usr->flags & MNT_F_NODEV);
        cr_expect_not(usr->flags & MNT_F_NOEXEC, "libraries under /usr/lib must stay mappable");
        static const char *const bins[] = { "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
                                            "/usr/libexec", "/usr/games" };
        for (size_t i = 0; i < ELEMENTSOF(bins); i++) {
                const struct plan_mount *m = expect_mount(p, bins[i], MOUNT_BIND);
                cr_expect_str_eq(m->source, bins[i]);
                cr_expect_eq(m->flags & (MNT_F_RDONLY | MNT_F_NOEXEC | MNT_F_OPTIONAL),
                             MNT_F_RDONLY | MNT_F_NOEXEC | MNT_F_OPTIONAL, "%s", bins[i]);
        }
        /* The binary dirs come after /usr, or /usr's bind would cover them. */
        size_t usr_i = (size_t) (usr - p->mounts);
        for (size_t i = 0; i < ELEMENTSOF(bins); i++)
                cr_expect_gt((size_t) (mount_at(p, bins[i]) - p->mounts), usr_i);
}

Test(plan, interpreter_and_tools_get_exec_binds_over_the_noexec_dirs) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        char *tools[] = { "/usr/bin/wc", "/usr/local/bin/agent-browser", NULL };
        struct run_options o = { .tools = tools };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        static const struct {
                const char *path, *dir;
        } execs[] = {
                { "/usr/bin/python3.11", "/usr/bin" },
                { "/usr/bin/wc", "/usr/bin" },
                { "/usr/local/bin/agent-browser", "/usr/local/bin" },
        };
        for (size_t i = 0; i < ELEMENTSOF(execs); i++) {
                const struct plan_mount *m = expect_mount(p, execs[i].path, MOUNT_BIND);
                cr_expect_str_eq(m->source, execs[i].path);
                cr_expect(m->flags & MNT_F_RDONLY, "%s", execs[i].path);
                cr_expect_not(m->flags & MNT_F_NOEXEC, "%s must be executable", execs[i].path);
                cr_expect_not(m->flags & MNT_F_OPTIONAL, "%s is required", execs[i].path);
                cr_expect_gt(m - p->mounts, mount_at(p, execs[i].dir) - p->mounts,
                             "%s is bound after its noexec dir", execs[i].path);
                cr_expect(strv_contains(p->exec_allowed, execs[i].path));
        }
        cr_expect(strv_contains(p->exec_allowed, LOADER));
        cr_expect_eq(strv_len(p->exec_allowed), 4, "interpreter, loader and two tools, nothing else");
        cr_expect_null(mount_at(p, "/usr/bin/bash"), "the shell is not executable in a python skill");
}

Test(plan, skill_scratch_tmp_etc_and_proc) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);

        const struct plan_mount *m = expect_mount(p, "/skill", MOUNT_BIND);
        cr_expect_str_eq(m->source, SKILL_DIR);
        cr_expect_eq(m->flags & (MNT_F_RDONLY | MNT_F_NOEXEC), MNT_F_RDONLY | MNT_F_NOEXEC);
        cr_expect_not(m->flags & MNT_F_OPTIONAL);

        m = expect_mount(p, "/sandbox", MOUNT_TMPFS);
        cr_expect(m->flags & MNT_F_NOEXEC);
        cr_expect(m->flags & MNT_F_NODEV);
        cr_expect_not(m->flags & MNT_F_RDONLY);
        cr_expect_eq(m->size, (uint64_t) PLAN_DEFAULT_TMP_MB << 20);
        expect_mount(p, "/sandbox/tmp", MOUNT_DIR);
        expect_mount(p, "/sandbox/home", MOUNT_DIR);

        m = expect_mount(p, "/tmp", MOUNT_DIR);
        cr_expect_eq(mounts_at(p, "/tmp"), 1, "/tmp is a plain directory, never a writable tmpfs");
        cr_expect_eq(m->mode & 0022, 0, "/tmp is not writable by others");

        m = expect_mount(p, "/proc", MOUNT_PROC);
        cr_expect(m->flags & MNT_F_NOEXEC);

        expect_mount(p, "/etc", MOUNT_DIR);
        static const char *const stubs[] = { "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/hostname",
                                             "/etc/nsswitch.conf" };
        for (size_t i = 0; i < ELEMENTSOF(stubs); i++)
                expect_mount(p, stubs[i], MOUNT_FILE);
        cr_expect_null(mount_at(p, "/etc/resolv.conf"), "no DNS without network");
        cr_expect_null(strstr(mount_at(p, "/etc/passwd")->source, "alice"));
        cr_expect_null(mount_at(p, "/home"));
        cr_expect_null(mount_at(p, "/"), "the root is a fresh tmpfs, never a bind of the host's");
        for (size_t i = 0; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND && !streq(p->mounts[i].target, "/skill"))
                        cr_expect_str_eq(p->mounts[i].source, p->mounts[i].target,
                                         "host paths keep their names inside");
}

Test(plan, dev_has_only_the_harmless_devices) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        const struct plan_mount *dev = expect_mount(p, "/dev", MOUNT_TMPFS);
        cr_expect(dev->flags & MNT_F_NOEXEC);
        static const char *const devices[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                               "/dev/urandom" };
        size_t binds = 0;
        for (size_t i = 0; i < p->n_mounts; i++) {
                const struct plan_mount *m = &p->mounts[i];
                if (!strneq(m->target, "/dev/", 5))
                        continue;
                if (m->kind == MOUNT_SYMLINK) {
                        cr_expect(strneq(m->source, "/proc/self/fd", 13), "%s -> %s", m->target, m->source);
                        continue;
                }
                if (streq(m->target, "/dev/shm")) {
                        cr_expect_eq(m->kind, MOUNT_TMPFS);
                        cr_expect(m->flags & MNT_F_NOEXEC);
                        cr_expect(m->flags & MNT_F_NODEV);
                        continue;
                }
                cr_expect_eq(m->kind, MOUNT_BIND, "%s", m->target);
                bool known = false;
                for (size_t k = 0; k < ELEMENTSOF(devices); k++)
                        known |= streq(m->target, devices[k]);
                cr_expect(known, "unexpected device %s", m->target);
                cr_expect(m->flags & MNT_F_NOEXEC, "%s", m->target);
                cr_expect_not(m->flags & MNT_F_NODEV, "%s: a device bind must keep its device", m->target);
                bool rw = streq(m->target, "/dev/null") || streq(m->target, "/dev/zero") ||
                          streq(m->target, "/dev/full");
                cr_expect_eq(!(m->flags & MNT_F_RDONLY), rw, "%s: read-only unless null/zero/full", m->target);
                binds++;
        }
        cr_expect_eq(binds, ELEMENTSOF(devices));
}

Test(plan, merged_usr_uses_symlinks) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        static const struct {
                const char *target, *link;
        } links[] = { { "/bin", "usr/bin" }, { "/sbin", "usr/sbin" }, { "/lib", "usr/lib" },
                      { "/lib64", "usr/lib64" } };
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                const struct plan_mount *m = expect_mount(p, links[i].target, MOUNT_SYMLINK);
                cr_expect_str_eq(m->source, links[i].link);
        }
        cr_expect_not(has_rule(p, "/bin"));
        cr_expect_not(has_rule(p, "/lib"));

        h.has_lib64 = false;
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &o, &h);
        cr_expect_null(mount_at(q, "/lib64"), "no /lib64 link on a host without one");
}

Test(plan, split_usr_binds_the_root_dirs) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        h.merged_usr = false;
        replace(&h.elf_loader, "/lib/x86_64-linux-gnu/ld-2.31.so");
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        static const struct {
                const char *target;
                unsigned flags;
        } binds[] = {
                { "/bin", MNT_F_RDONLY | MNT_F_NOEXEC },
                { "/sbin", MNT_F_RDONLY | MNT_F_NOEXEC | MNT_F_OPTIONAL },
                { "/lib", MNT_F_RDONLY },
                { "/lib64", MNT_F_RDONLY | MNT_F_OPTIONAL },
        };
        for (size_t i = 0; i < ELEMENTSOF(binds); i++) {
                const struct plan_mount *m = expect_mount(p, binds[i].target, MOUNT_BIND);
                cr_expect_str_eq(m->source, binds[i].target);
                cr_expect_eq(m->flags & (MNT_F_RDONLY | MNT_F_NOEXEC | MNT_F_OPTIONAL), binds[i].flags, "%s",
                             binds[i].target);
        }
        cr_expect_eq(rule_access(p, "/bin"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/lib"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect(strv_contains(p->exec_allowed, "/lib/x86_64-linux-gnu/ld-2.31.so"));
}

Test(plan, interpreter_outside_usr_brings_its_prefix) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        replace(&h.python, "/opt/python/bin/python3.12");
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        const struct plan_mount *prefix = expect_mount(p, "/opt/python", MOUNT_BIND);
        cr_expect_str_eq(prefix->source, "/opt/python");
        cr_expect(prefix->flags & MNT_F_RDONLY);
        cr_expect(prefix->flags & MNT_F_PREFIX);
        cr_expect_not(prefix->flags & MNT_F_NOEXEC, "its shared libraries must be mappable");
        const struct plan_mount *bin = expect_mount(p, "/opt/python/bin", MOUNT_BIND);
        cr_expect_eq(bin->flags & (MNT_F_RDONLY | MNT_F_NOEXEC), MNT_F_RDONLY | MNT_F_NOEXEC,
                     "the prefix's other programs are noexec, like /usr/bin");
        cr_expect_gt(bin - p->mounts, prefix - p->mounts);
        const struct plan_mount *interp = expect_mount(p, "/opt/python/bin/python3.12", MOUNT_BIND);
        cr_expect_not(interp->flags & MNT_F_NOEXEC);
        cr_expect_gt(interp - p->mounts, bin - p->mounts, "the interpreter bind comes after its bin dir");
        cr_expect_eq(rule_access(p, "/opt/python"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/opt/python/bin/python3.12"), LL_FS_READ_FILE | LL_FS_EXECUTE);
        cr_expect_str_eq(p->argv[0], "/opt/python/bin/python3.12");

        /* An interpreter under /usr brings nothing else. */
        replace(&h.python, "/usr/local/bin/python3");
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &o, &h);
        for (size_t i = 0; i < q->n_mounts; i++)
                cr_expect_not(q->mounts[i].flags & MNT_F_PREFIX, "%s", q->mounts[i].target);
}

static size_t prefix_mounts(const struct sandbox_plan *p) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_mounts; i++)
                n += !!(p->mounts[i].flags & MNT_F_PREFIX);
        return n;
}

/* /bin/bash on a split-/usr host: /bin is bound noexec already; the shell alone gets exec. */
Test(plan, interpreter_in_root_bin_does_not_make_bin_executable) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_SHELL, "scripts/main.sh");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        h.merged_usr = false;
        replace(&h.shell, "/bin/bash");
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(prefix_mounts(p), 0);
        const struct plan_mount *bin = expect_mount(p, "/bin", MOUNT_BIND);
        cr_expect(bin->flags & MNT_F_NOEXEC, "/bin must stay noexec");
        const struct plan_mount *sh = expect_mount(p, "/bin/bash", MOUNT_BIND);
        cr_expect_not(sh->flags & MNT_F_NOEXEC);
        cr_expect_eq(rule_access(p, "/bin/bash"), LL_FS_READ_FILE | LL_FS_EXECUTE);
}

/* Only a <prefix>/bin layout brings a prefix, and never a whole top-level directory. */
Test(plan, unknown_layouts_bring_no_prefix) {
        static const char *const paths[] = { "/opt/python3", "/opt/py/python3", "/opt/bin/python3",
                                             "/home/bin/python3", "/python3" };
        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
                _cleanup_(host_caps_done) struct host_caps h = { 0 };
                make_host(&h);
                replace(&h.python, paths[i]);
                struct run_options o = { 0 };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                cr_expect_eq(prefix_mounts(p), 0, "%s", paths[i]);
                cr_expect_null(mount_at(p, "/opt"), "%s", paths[i]);
                cr_expect_null(mount_at(p, "/home"), "%s", paths[i]);
                const struct plan_mount *m = expect_mount(p, paths[i], MOUNT_BIND);
                cr_expect_not(m->flags & MNT_F_NOEXEC, "%s", paths[i]);
        }
}

/* ---- Landlock ------------------------------------------------------------------------------- */

Test(plan, landlock_execute_only_on_exec_allowed) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        char *tools[] = { "/usr/bin/wc", NULL };
        struct run_options o = { .tools = tools };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_assert_eq(strv_len(p->exec_allowed), 3);
        for (size_t i = 0; i < p->n_rules; i++) {
                bool exec = p->rules[i].access & LL_FS_EXECUTE;
                cr_expect_eq(exec, strv_contains(p->exec_allowed, p->rules[i].path), "%s: execute=%d",
                             p->rules[i].path, exec);
                if (exec)
                        cr_expect_eq(p->rules[i].access, LL_FS_READ_FILE | LL_FS_EXECUTE, "%s",
                                     p->rules[i].path);
        }
        for (char **e = p->exec_allowed; *e; e++)
                cr_expect(rule_access(p, *e) & LL_FS_EXECUTE, "%s", *e);
        cr_expect(p->landlock_fs_handled & LL_FS_EXECUTE, "EXECUTE is handled, so denied elsewhere");
}

Test(plan, landlock_write_only_in_scratch_shm_and_rw_devices) {
        const uint64_t write_rights = LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |
                                      LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK |
                                      LL_FS_MAKE_FIFO | LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM | LL_FS_REFER |
                                      LL_FS_TRUNCATE;
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        for (size_t i = 0; i < p->n_rules; i++) {
                const char *path = p->rules[i].path;
                bool writable = p->rules[i].access & write_rights;
                bool may = streq(path, "/sandbox") || streq(path, "/dev/shm") || streq(path, "/dev/null") ||
                           streq(path, "/dev/zero") || streq(path, "/dev/full");
                cr_expect_eq(writable, may, "%s: writable=%d", path, writable);
                cr_expect_eq(p->rules[i].access & ~p->landlock_fs_handled, 0, "%s: unhandled bits", path);
                cr_expect_not(p->rules[i].access & LL_FS_IOCTL_DEV, "%s: no device ioctls", path);
        }
        uint64_t rw = p->landlock_fs_handled & ~(LL_FS_EXECUTE | LL_FS_IOCTL_DEV);
        cr_expect_eq(rule_access(p, "/sandbox"), rw);
        cr_expect_eq(rule_access(p, "/dev/shm"), rw);
        cr_expect_eq(rule_access(p, "/dev/null"), LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE);
        cr_expect_eq(rule_access(p, "/skill"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/usr"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/etc"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/proc"), LL_FS_READ_FILE | LL_FS_READ_DIR);
        cr_expect_eq(rule_access(p, "/dev"), LL_FS_READ_FILE | LL_FS_READ_DIR);
}

Test(plan, landlock_grants_nothing_on_root_or_tmp) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_not(has_rule(p, "/"));
        cr_expect_not(has_rule(p, "/tmp"));
        cr_expect_not(has_rule(p, SKILL_DIR), "rules use the paths inside");
        for (size_t i = 0; i < p->n_rules; i++)
                cr_expect_eq(p->rules[i].path[0], '/', "%s is absolute", p->rules[i].path);
}

Test(plan, landlock_handled_set_follows_the_abi) {
        static const struct {
                int abi;
                bool refer, truncate, ioctl_dev;
        } table[] = {
                { 1, false, false, false }, { 2, true, false, false }, { 3, true, true, false },
                { 4, true, true, false },   { 5, true, true, true },   { 6, true, true, true },
                { 7, true, true, true },
        };
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(host_caps_done) struct host_caps h = { 0 };
                make_host(&h);
                h.landlock_abi = table[i].abi;
                struct run_options o = { 0 };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                uint64_t hd = p->landlock_fs_handled;
                cr_expect_eq(p->landlock_abi, table[i].abi);
                cr_expect_eq(hd, landlock_fs_rights_for_abi(table[i].abi));
                cr_expect_eq(hd & 0x1fff, 0x1fff, "ABI %d handles every ABI 1 right", table[i].abi);
                cr_expect_eq(!!(hd & LL_FS_REFER), table[i].refer, "ABI %d refer", table[i].abi);
                cr_expect_eq(!!(hd & LL_FS_TRUNCATE), table[i].truncate, "ABI %d truncate", table[i].abi);
                cr_expect_eq(!!(hd & LL_FS_IOCTL_DEV), table[i].ioctl_dev, "ABI %d ioctl_dev", table[i].abi);
                for (size_t k = 0; k < p->n_rules; k++)
                        cr_expect_eq(p->rules[k].access & ~hd, 0, "ABI %d, %s: rights outside the handled set",
                                     table[i].abi, p->rules[k].path);
                cr_expect_eq(any_contains(p->warnings, "Landlock ABI < 4"), table[i].abi < 4, "ABI %d",
                             table[i].abi);
        }
}

/* ---- seccomp policy ------------------------------------------------------------------------- */

Test(plan, process_creation_only_when_declared) {
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        char *tools[] = { "/usr/bin/wc", NULL };
        char *no_tools[] = { NULL };
        static const struct {
                const char *what;
                enum skill_language lang;
                const char *processes;
                bool tools, empty_tools, imply, max_procs;
                bool allow;
        } table[] = {
                { "python, nothing declared", SKILL_LANG_PYTHON, NULL, false, false, false, false, false },
                { "node, nothing declared", SKILL_LANG_NODE, NULL, false, false, false, false, false },
                { "empty tool list", SKILL_LANG_PYTHON, NULL, false, true, false, false, false },
                { "skilllite.processes", SKILL_LANG_PYTHON, "4", false, false, false, false, true },
                { "skilllite.processes 0", SKILL_LANG_PYTHON, "0", false, false, false, false, false },
                { "skilllite.processes junk", SKILL_LANG_PYTHON, "many", false, false, false, false, false },
                { "tools", SKILL_LANG_PYTHON, NULL, true, false, false, false, true },
                { "bash-tool command", SKILL_LANG_PYTHON, NULL, false, false, true, false, true },
                { "shell skill", SKILL_LANG_SHELL, NULL, false, false, false, false, true },
                { "--max-procs", SKILL_LANG_PYTHON, NULL, false, false, false, true, true },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_skill_ struct skill *s = make_skill(table[i].lang, "scripts/main.x");
                if (table[i].processes)
                        set_meta(s, "skilllite.processes", table[i].processes);
                struct run_options o = {
                        .tools = table[i].tools ? tools : table[i].empty_tools ? no_tools : NULL,
                        .tools_imply_processes = table[i].imply,
                        .max_procs = table[i].max_procs ? 8 : 0,
                };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                cr_expect_eq(p->seccomp.allow_process_creation, table[i].allow, "%s", table[i].what);
                cr_expect_not(p->seccomp.allow_inet, "%s: no network grants yet", table[i].what);
        }
}

/* ---- limits --------------------------------------------------------------------------------- */

Test(plan, limit_defaults) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        const struct plan_limits *l = &p->limits;
        cr_expect_eq(l->timeout_ms, PLAN_DEFAULT_TIMEOUT_SECS * 1000ULL);
        cr_expect_eq(l->memory_bytes, (uint64_t) PLAN_DEFAULT_MEMORY_MB << 20);
        cr_expect_eq(l->max_procs, PLAN_DEFAULT_MAX_PROCS);
        cr_expect_eq(l->output_max, PLAN_DEFAULT_OUTPUT_MAX);
        cr_expect_eq(l->nofile, PLAN_DEFAULT_NOFILE);
        cr_expect_eq(l->fsize_bytes, (uint64_t) PLAN_DEFAULT_FSIZE_MB << 20);
        cr_expect_eq(l->cpu_secs, PLAN_DEFAULT_TIMEOUT_SECS + 1);
        cr_expect_eq(l->as_bytes, 0, "no RLIMIT_AS: it breaks V8");
}

/* CLI > SKILLLITE_* > SKILLBOX_* > metadata > default, for each limit. */
Test(plan_env, limits_precedence) {
        static const struct {
                const char *what;
                uint64_t cli;
                const char *env, *legacy, *meta;
                uint64_t want;
        } timeout[] = {
                { "default", 0, NULL, NULL, NULL, PLAN_DEFAULT_TIMEOUT_SECS },
                { "metadata", 0, NULL, NULL, "60", 60 },
                { "legacy env over metadata", 0, NULL, "70", "60", 70 },
                { "env over legacy", 0, "80", "70", "60", 80 },
                { "cli over all", 90, "80", "70", "60", 90 },
                { "empty env falls through", 0, "", "70", NULL, 70 },
        };
        for (size_t i = 0; i < ELEMENTSOF(timeout); i++) {
                clean_env();
                if (timeout[i].env)
                        cr_assert_eq(setenv("SKILLLITE_TIMEOUT_SECS", timeout[i].env, 1), 0);
                if (timeout[i].legacy)
                        cr_assert_eq(setenv("SKILLBOX_TIMEOUT_SECS", timeout[i].legacy, 1), 0);
                _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
                if (timeout[i].meta)
                        set_meta(s, "skilllite.timeout", timeout[i].meta);
                _cleanup_(host_caps_done) struct host_caps h = { 0 };
                make_host(&h);
                struct run_options o = { .timeout_secs = timeout[i].cli };
                struct error err = ERROR_INIT;
                cr_assert_eq(run_options_from_env(&o, &err), 0, "%s: %s", timeout[i].what, err.msg);
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                cr_expect_eq(p->limits.timeout_ms, timeout[i].want * 1000, "%s", timeout[i].what);
                cr_expect_eq(p->limits.cpu_secs, timeout[i].want + 1, "%s", timeout[i].what);
        }

        clean_env();
        cr_assert_eq(setenv("SKILLBOX_MAX_MEMORY_MB", "300", 1), 0);
        cr_assert_eq(setenv("SKILLLITE_MAX_PROCESSES", "12", 1), 0);
        cr_assert_eq(setenv("SKILLLITE_MAX_OUTPUT_BYTES", "4096", 1), 0);
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.memory", "100");
        set_meta(s, "skilllite.processes", "3");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(run_options_from_env(&o, &err), 0, "%s", err.msg);
        cr_expect_eq(o.memory_mb, 300);
        cr_expect_eq(o.max_procs, 12);
        cr_expect_eq(o.output_max, 4096);
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->limits.memory_bytes, 300ULL << 20);
        cr_expect_eq(p->limits.max_procs, 12);
        cr_expect_eq(p->limits.output_max, 4096);

        /* Metadata alone. */
        struct run_options none = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &none, &h);
        cr_expect_eq(q->limits.memory_bytes, 100ULL << 20);
        cr_expect_eq(q->limits.max_procs, 3);

        /* The command line beats the environment. */
        clean_env();
        cr_assert_eq(setenv("SKILLLITE_MAX_MEMORY_MB", "300", 1), 0);
        struct run_options cli = { .memory_mb = 50 };
        cr_assert_eq(run_options_from_env(&cli, &err), 0, "%s", err.msg);
        cr_expect_eq(cli.memory_mb, 50);
}

/* Metadata is written by the skill's author: out-of-range values are ignored, never wrapped. */
Test(plan, metadata_limits_out_of_range_are_ignored) {
        static const struct {
                const char *key, *value;
        } table[] = {
                { "skilllite.timeout", "-1" },
                { "skilllite.timeout", "18446744073709551615" },
                { "skilllite.timeout", "86401" },
                { "skilllite.timeout", " 5" },
                { "skilllite.timeout", "+5" },
                { "skilllite.timeout", "5s" },
                { "skilllite.timeout", "" },
                { "skilllite.memory", "-1" },
                { "skilllite.memory", "1048577" },
                { "skilllite.memory", "99999999999999999999" },
                { "skilllite.processes", "-1" },
                { "skilllite.processes", "4097" },
                { "skilllite.processes", "18446744073709551615" },
        };
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
                set_meta(s, table[i].key, table[i].value);
                struct run_options o = { 0 };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                const struct plan_limits *l = &p->limits;
                cr_expect_eq(l->timeout_ms, PLAN_DEFAULT_TIMEOUT_SECS * 1000ULL, "%s=%s", table[i].key,
                             table[i].value);
                cr_expect_eq(l->cpu_secs, PLAN_DEFAULT_TIMEOUT_SECS + 1, "%s=%s", table[i].key, table[i].value);
                cr_expect_eq(l->memory_bytes, (uint64_t) PLAN_DEFAULT_MEMORY_MB << 20, "%s=%s", table[i].key,
                             table[i].value);
                cr_expect_eq(l->max_procs, PLAN_DEFAULT_MAX_PROCS, "%s=%s", table[i].key, table[i].value);
                cr_expect_not(p->seccomp.allow_process_creation, "%s=%s", table[i].key, table[i].value);
        }

        /* The largest accepted values do not overflow, and what a skill asks for itself is
         * clamped to the skill ceilings; the user's own options are not. */
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.timeout", "86400");
        set_meta(s, "skilllite.memory", "1048576");
        set_meta(s, "skilllite.processes", "4096");
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->limits.timeout_ms, PLAN_SKILL_MAX_TIMEOUT_SECS * 1000ULL);
        cr_expect_eq(p->limits.memory_bytes, (uint64_t) PLAN_SKILL_MAX_MEMORY_MB << 20);
        cr_expect_eq(p->limits.max_procs, PLAN_SKILL_MAX_PROCS);
        struct run_options user = { .timeout_secs = 86400, .memory_mb = 1048576, .max_procs = 4096 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &user, &h);
        cr_expect_eq(q->limits.timeout_ms, 86400ULL * 1000);
        cr_expect_eq(q->limits.memory_bytes, 1ULL << 40);
        cr_expect_eq(q->limits.max_procs, 4096);
}

Test(plan_env, invalid_values_are_errors) {
        static const struct {
                const char *name, *value;
        } table[] = {
                { "SKILLLITE_TIMEOUT_SECS", "0" },       { "SKILLLITE_TIMEOUT_SECS", "-5" },
                { "SKILLLITE_TIMEOUT_SECS", "abc" },     { "SKILLLITE_TIMEOUT_SECS", "10s" },
                { "SKILLLITE_TIMEOUT_SECS", "86401" },   { "SKILLBOX_TIMEOUT_SECS", "x" },
                { "SKILLLITE_MAX_MEMORY_MB", "1048577" }, { "SKILLLITE_MAX_MEMORY_MB", "1.5" },
                { "SKILLLITE_MAX_PROCESSES", "4097" },   { "SKILLBOX_MAX_PROCESSES", "-1" },
                { "SKILLLITE_MAX_OUTPUT_BYTES", "4294967297" },
                { "SKILLLITE_MAX_OUTPUT_BYTES", "99999999999999999999999" },
                { "SKILLLITE_SANDBOX_LEVEL", "4" },      { "SKILLLITE_SANDBOX_LEVEL", "0" },
                { "SKILLBOX_SANDBOX_LEVEL", "high" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                clean_env();
                cr_assert_eq(setenv(table[i].name, table[i].value, 1), 0);
                struct run_options o = { 0 };
                struct error err = ERROR_INIT;
                cr_expect_eq(run_options_from_env(&o, &err), -EINVAL, "%s=%s", table[i].name, table[i].value);
                cr_expect_not_null(strstr(err.msg, table[i].name), "%s=%s: '%s' names the variable set",
                                   table[i].name, table[i].value, err.msg);
                cr_expect_not_null(strstr(err.msg, table[i].value), "'%s' shows the value", err.msg);
        }
}

Test(plan_env, a_value_the_command_line_overrides_is_not_checked) {
        cr_assert_eq(setenv("SKILLLITE_TIMEOUT_SECS", "junk", 1), 0);
        struct run_options o = { .timeout_secs = 5 };
        struct error err = ERROR_INIT;
        cr_expect_eq(run_options_from_env(&o, &err), 0, "%s", err.msg);
        cr_expect_eq(o.timeout_secs, 5);
}

Test(plan_env, sandbox_level_from_env) {
        static const struct {
                const char *name, *value;
                int cli, want;
        } table[] = {
                { NULL, NULL, 0, 0 },
                { "SKILLLITE_SANDBOX_LEVEL", "2", 0, 2 },
                { "SKILLBOX_SANDBOX_LEVEL", "1", 0, 1 },
                { "SKILLLITE_SANDBOX_LEVEL", "1", 3, 3 },
                { "SKILLLITE_NO_SANDBOX", "1", 0, 1 },
                { "SKILLLITE_NO_SANDBOX", "true", 0, 1 },
                { "SKILLBOX_NO_SANDBOX", "yes", 0, 1 },
                { "SKILLLITE_NO_SANDBOX", "0", 0, 0 },
                { "SKILLLITE_NO_SANDBOX", "no", 0, 0 },
                { "SKILLLITE_NO_SANDBOX", "1", 2, 2 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                clean_env();
                if (table[i].name)
                        cr_assert_eq(setenv(table[i].name, table[i].value, 1), 0);
                struct run_options o = { .level = table[i].cli };
                struct error err = ERROR_INIT;
                cr_assert_eq(run_options_from_env(&o, &err), 0, "%s", err.msg);
                cr_expect_eq(o.level, table[i].want, "%s=%s", table[i].name, table[i].value);
        }
        /* An explicit level beats NO_SANDBOX. */
        clean_env();
        cr_assert_eq(setenv("SKILLLITE_SANDBOX_LEVEL", "2", 1), 0);
        cr_assert_eq(setenv("SKILLLITE_NO_SANDBOX", "1", 1), 0);
        struct run_options o = { 0 };
        struct error err = ERROR_INIT;
        cr_assert_eq(run_options_from_env(&o, &err), 0, "%s", err.msg);
        cr_expect_eq(o.level, 2);
}

Test(plan, cgroup_or_rlimits_with_warnings) {
        static const struct {
                const char *what;
                enum cgroup_mode mode;
                bool mem, pids, cpu;
                bool warn_mem, warn_pids;
        } table[] = {
                { "v2, all controllers", CGROUP_V2, true, true, true, false, false },
                { "v1, all controllers", CGROUP_V1, true, true, true, false, false },
                { "v2 without memory/pids", CGROUP_V2, false, false, true, true, true },
                { "v1 memory only", CGROUP_V1, true, false, false, false, true },
                { "none", CGROUP_NONE, true, true, true, true, true },
        };
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                _cleanup_(host_caps_done) struct host_caps h = { 0 };
                make_host(&h);
                h.cgroup = table[i].mode;
                h.cg_memory = table[i].mem;
                h.cg_pids = table[i].pids;
                h.cg_cpu = table[i].cpu;
                struct run_options o = { 0 };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                bool on = table[i].mode != CGROUP_NONE;
                cr_expect_eq(p->limits.cgroup_memory, on && table[i].mem, "%s", table[i].what);
                cr_expect_eq(p->limits.cgroup_pids, on && table[i].pids, "%s", table[i].what);
                cr_expect_eq(p->limits.cgroup_cpu, on && table[i].cpu, "%s", table[i].what);
                cr_expect_eq(any_contains(p->warnings, "RLIMIT_DATA"), table[i].warn_mem, "%s", table[i].what);
                cr_expect_eq(any_contains(p->warnings, "RLIMIT_NPROC"), table[i].warn_pids, "%s", table[i].what);
                cr_expect_eq(p->limits.memory_bytes, (uint64_t) PLAN_DEFAULT_MEMORY_MB << 20,
                             "the limit is the same whichever enforces it");
        }
}

Test(plan, root_mode_follows_the_host) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_not(p->root_mode);
        h.is_root = true;
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &o, &h);
        cr_expect(q->root_mode);
        _cleanup_json_ json_t *j = sandbox_plan_to_json(q);
        cr_assert_not_null(j);
        const char *host_uid = json_string_value(json_object_get(json_object_get(j, "identity"), "host_uid"));
        cr_assert_not_null(host_uid);
        cr_expect_not_null(strstr(host_uid, "65534"));
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static void expect_keys(const json_t *o, const char *const *keys, size_t n) {
        cr_expect_eq(json_object_size(o), n, "%zu keys, want %zu", json_object_size(o), n);
        for (size_t i = 0; i < n; i++)
                cr_expect_not_null(json_object_get(o, keys[i]), "missing key '%s'", keys[i]);
}

Test(plan_json, isolated_plan_has_every_key) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        char *tools[] = { "/usr/bin/wc", NULL };
        struct run_options o = { .tools = tools };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        _cleanup_json_ json_t *j = sandbox_plan_to_json(p);
        cr_assert_not_null(j);
        static const char *const keys[] = { "level",       "isolated",     "argv",         "env",
                                            "cwd",         "limits",       "namespaces",   "identity",
                                            "mounts",      "exec_allowed", "landlock",     "seccomp",
                                            "capabilities", "no_new_privs", "network",      "warnings" };
        expect_keys(j, keys, ELEMENTSOF(keys));

        cr_expect_eq(json_integer_value(json_object_get(j, "level")), 3);
        cr_expect(json_is_true(json_object_get(j, "isolated")));
        cr_expect(json_is_true(json_object_get(j, "no_new_privs")));
        cr_expect_str_eq(json_string_value(json_object_get(j, "cwd")), "/skill");
        cr_expect_eq(json_array_size(json_object_get(j, "argv")), 4, "python3 -c PYTHON_BOOT script");
        cr_expect_eq(json_array_size(json_object_get(j, "env")), strv_len(p->envp));
        cr_expect_eq(json_array_size(json_object_get(j, "mounts")), p->n_mounts);
        cr_expect_eq(json_array_size(json_object_get(j, "exec_allowed")), 3);
        cr_expect_eq(json_array_size(json_object_get(j, "namespaces")), 7);
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "network"), "mode")), "none");

        json_t *limits = json_object_get(j, "limits");
        cr_expect_eq(json_integer_value(json_object_get(limits, "timeout_ms")), 30000);
        cr_expect_str_eq(json_string_value(json_object_get(json_object_get(limits, "enforced_by"), "memory")),
                         "cgroup");

        json_t *ll = json_object_get(j, "landlock");
        cr_expect_eq(json_integer_value(json_object_get(ll, "abi")), 6);
        cr_expect_eq(json_array_size(json_object_get(ll, "rules")), p->n_rules);
        cr_expect_eq(json_array_size(json_object_get(ll, "handled_fs")), 16);

        json_t *sc = json_object_get(j, "seccomp");
        cr_expect(json_is_true(json_object_get(sc, "process_creation")));
        cr_expect(json_is_false(json_object_get(sc, "tcp_sockets")));

        /* The skill's bind shows read_only and noexec. */
        size_t i;
        json_t *m;
        bool seen = false;
        json_array_foreach(json_object_get(j, "mounts"), i, m) {
                if (!streq(json_string_value(json_object_get(m, "target")), "/skill"))
                        continue;
                seen = true;
                cr_expect_str_eq(json_string_value(json_object_get(m, "type")), "bind");
                cr_expect_str_eq(json_string_value(json_object_get(m, "source")), SKILL_DIR);
                cr_expect(json_is_true(json_object_get(m, "read_only")));
                cr_expect(json_is_true(json_object_get(m, "noexec")));
        }
        cr_expect(seen);
}

Test(plan_json, level_1_plan_has_no_sandbox_keys) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 1 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        _cleanup_json_ json_t *j = sandbox_plan_to_json(p);
        cr_assert_not_null(j);
        static const char *const keys[] = { "level", "isolated", "argv", "env", "cwd", "limits", "network",
                                            "warnings" };
        expect_keys(j, keys, ELEMENTSOF(keys));
        cr_expect(json_is_false(json_object_get(j, "isolated")));
        cr_expect_str_eq(json_string_value(json_object_get(j, "cwd")), SKILL_DIR);
        cr_expect_geq(json_array_size(json_object_get(j, "warnings")), 1);
}

Test(plan_json, old_abi_and_no_cgroup_are_explained) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        h.landlock_abi = 3;
        h.cgroup = CGROUP_NONE;
        struct run_options o = { .copy_skill = true, .skill_bytes = 1000, .skill_entries = 3 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        _cleanup_json_ json_t *j = sandbox_plan_to_json(p);
        cr_assert_not_null(j);
        json_t *ll = json_object_get(j, "landlock");
        cr_expect_eq(json_array_size(json_object_get(ll, "handled_fs")), 15, "ABI 3: no ioctl_dev");
        cr_expect_not_null(strstr(json_string_value(json_object_get(ll, "tcp")), "ABI < 4"));
        cr_expect_not_null(strstr(json_string_value(json_object_get(ll, "scopes")), "ABI < 6"));
        json_t *by = json_object_get(json_object_get(j, "limits"), "enforced_by");
        cr_expect_not_null(strstr(json_string_value(json_object_get(by, "memory")), "rlimit"));
        cr_expect_not_null(strstr(json_string_value(json_object_get(by, "processes")), "rlimit"));
        cr_expect_eq(json_array_size(json_object_get(j, "warnings")), 3);
}

Test(plan, small_skills_are_copied_large_ones_bound_with_a_warning) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options copy = { .copy_skill = true, .skill_bytes = 5000, .skill_entries = 4 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &copy, &h);
        const struct plan_mount *m = mount_at(p, "/skill");
        cr_assert_not_null(m);
        cr_expect_eq(m->kind, MOUNT_COPY);
        cr_expect(m->flags & MNT_F_RDONLY);
        cr_expect(m->flags & MNT_F_NOEXEC);
        cr_expect_geq(m->size, 5000 + 4 * 4096);
        for (char **w = p->warnings; w && *w; w++)
                cr_expect_null(strstr(*w, "too large to copy"), "%s", *w);

        struct run_options bind = { 0 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &bind, &h);
        m = mount_at(q, "/skill");
        cr_assert_not_null(m);
        cr_expect_eq(m->kind, MOUNT_BIND);
        bool warned = false;
        for (char **w = q->warnings; w && *w; w++)
                warned = warned || strstr(*w, "mountinfo");
        cr_expect(warned, "a bind-mounted skill says its host path is visible");
}

/* The loader's dir and one Python module dir, as host_probe() finds them on Debian. */
static void set_lib_dirs(struct host_caps *h) {
        h->lib_exec_dirs = calloc(2, sizeof(char *));
        h->python_lib_dirs = calloc(2, sizeof(char *));
        cr_assert(h->lib_exec_dirs && h->python_lib_dirs);
        h->lib_exec_dirs[0] = xstrdup("/usr/lib/x86_64-linux-gnu");
        h->python_lib_dirs[0] = xstrdup("/usr/lib/python3.11");
}

Test(plan, usr_is_noexec_except_library_dirs_when_the_layout_is_known) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        set_lib_dirs(&h);
        char *tools[] = { "/usr/bin/wc", NULL };
        struct run_options o = { .tools = tools };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        const struct plan_mount *usr = mount_at(p, "/usr");
        cr_assert_not_null(usr);
        cr_expect(usr->flags & MNT_F_NOEXEC, "/usr itself is noexec (programs under /usr/lib too)");
        cr_expect(usr->flags & MNT_F_RDONLY);
        static const char *const mappable[] = { "/usr/lib/x86_64-linux-gnu", "/usr/lib/python3.11" };
        for (size_t i = 0; i < ELEMENTSOF(mappable); i++) {
                const struct plan_mount *m = mount_at(p, mappable[i]);
                cr_assert_not_null(m, "%s", mappable[i]);
                cr_expect_not(m->flags & MNT_F_NOEXEC, "%s stays mappable", mappable[i]);
                cr_expect(m->flags & MNT_F_RDONLY);
        }
        static const char *const exec_files[] = { "/usr/bin/python3.11", "/usr/bin/wc" };
        for (size_t i = 0; i < ELEMENTSOF(exec_files); i++) {
                const struct plan_mount *m = mount_at(p, exec_files[i]);
                cr_assert_not_null(m, "%s", exec_files[i]);
                cr_expect_not(m->flags & MNT_F_NOEXEC, "%s is executable", exec_files[i]);
        }
        cr_expect_null(mount_at(p, "/usr/bin"), "no separate /usr/bin bind is needed");
        cr_expect_null(mount_at(p, "/usr/lib/git-core"), "programs under /usr/lib stay noexec");
}

Test(plan, python_module_dirs_are_mappable_only_when_python_may_run) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_SHELL, "scripts/main.sh");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        set_lib_dirs(&h);
        char *python_tool[] = { h.python, NULL };
        for (int declared = 0; declared < 2; declared++) {
                struct run_options o = { .tools = declared ? python_tool : NULL };
                _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
                cr_expect_not_null(mount_at(p, "/usr/lib/x86_64-linux-gnu"), "the loader's dir, for any skill");
                const struct plan_mount *m = mount_at(p, "/usr/lib/python3.11");
                if (!declared) {
                        cr_expect_null(m, "a shell skill gets no exec-capable Python dirs");
                        continue;
                }
                cr_assert_not_null(m, "a shell skill that may run python3 gets its module dirs");
                cr_expect_not(m->flags & MNT_F_NOEXEC);
        }
}

/* --- network --------------------------------------------------------------------------------- */

Test(plan, no_grants_means_no_network_at_all) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->network.mode, PLAN_NET_NONE);
        cr_expect(!p->seccomp.allow_inet);
        cr_expect(strv_contains(p->envp, "SKILLLITE_NETWORK_DISABLED=1"));
        cr_expect(!any_contains(p->envp, "PROXY"));
        cr_expect(!any_contains(p->envp, "proxy"));
        cr_expect_null(mount_at(p, "/etc/ssl/certs"));
}

Test(plan, declared_grants_turn_on_the_proxy) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.network", "api.example.com, *.github.com:443");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->network.mode, PLAN_NET_PROXY);
        cr_expect_eq(p->network.grants.n, 2);
        cr_expect(p->seccomp.allow_inet);
        cr_expect(!p->network.open);
        cr_expect(!p->network.allow_private);
        static const char *const vars[] = { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                                            "http_proxy", "https_proxy", "all_proxy" };
        for (size_t i = 0; i < ELEMENTSOF(vars); i++) {
                char want[64];
                snprintf(want, sizeof(want), "%s=http://127.0.0.1:3128", vars[i]);
                cr_expect(strv_contains(p->envp, want), "%s", want);
        }
        cr_expect(!any_contains(p->envp, "NO_PROXY"));
        cr_expect(!strv_contains(p->envp, "SKILLLITE_NETWORK_DISABLED=1"));
        const struct plan_mount *certs = expect_mount(p, "/etc/ssl/certs", MOUNT_BIND);
        cr_expect_eq(certs->flags & (MNT_F_RDONLY | MNT_F_NOEXEC), MNT_F_RDONLY | MNT_F_NOEXEC);
        _cleanup_json_ json_t *j = sandbox_plan_to_json(p);
        json_t *net = json_object_get(j, "network");
        cr_expect_str_eq(json_string_value(json_object_get(net, "mode")), "proxy");
        cr_expect_str_eq(json_string_value(json_object_get(net, "proxy")), "http://127.0.0.1:3128");
        cr_expect_eq(json_array_size(json_object_get(net, "grants")), 2);
        cr_expect_str_eq(json_string_value(json_array_get(json_object_get(net, "grants"), 1)), "*.github.com:443");
}

Test(plan, flag_adds_grants_and_no_network_removes_them) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.network", "api.example.com");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2, .network_flag = true, .network_extra = "other.example.org:8443" };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->network.grants.n, 2);
        cr_expect_eq(net_grants_match(&p->network.grants, "other.example.org", 8443, NULL), NET_ALLOW);
        cr_expect_eq(net_grants_match(&p->network.grants, "api.example.com", 443, NULL), NET_ALLOW);

        struct run_options none = { .level = 2, .no_network = true };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *q = build_ok(s, &none, &h);
        cr_expect_eq(q->network.mode, PLAN_NET_NONE);
        cr_expect(!q->seccomp.allow_inet);
}

Test(plan, star_and_private_are_warned) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2, .network_flag = true, .network_extra = "*",
                                 .allow_private_network = true };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect(p->network.open);
        cr_expect(p->network.allow_private);
        cr_expect(any_contains(p->warnings, "'*' is granted"));
        cr_expect(any_contains(p->warnings, "--allow-private-network"));
}

Test(plan, deny_rules_alone_grant_nothing) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.network", "!evil.example.com");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 2 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->network.mode, PLAN_NET_NONE);
}

Test(plan, bad_grants_and_an_empty_allow_network_fail) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options bad = { .level = 2, .network_flag = true, .network_extra = "https://x.com/path" };
        build_fails(s, &bad, &h, -EINVAL, "--allow-network");
        struct run_options alone = { .level = 2, .network_flag = true };
        build_fails(s, &alone, &h, -EINVAL, "declares nothing");
        set_meta(s, "skilllite.network", "user@host.com");
        struct run_options dflt = { .level = 2 };
        build_fails(s, &dflt, &h, -EINVAL, "skilllite.network");
}

Test(plan, level_1_is_the_host_network) {
        _cleanup_skill_ struct skill *s = make_skill(SKILL_LANG_PYTHON, "scripts/main.py");
        set_meta(s, "skilllite.network", "api.example.com");
        _cleanup_(host_caps_done) struct host_caps h = { 0 };
        make_host(&h);
        struct run_options o = { .level = 1 };
        _cleanup_(sandbox_plan_freep) struct sandbox_plan *p = build_ok(s, &o, &h);
        cr_expect_eq(p->network.mode, PLAN_NET_HOST);
        cr_expect(!any_contains(p->envp, "PROXY"));
}
