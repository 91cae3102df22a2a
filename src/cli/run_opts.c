/* Common option parsing and preparation for the commands that execute skill code. */
#include "run_opts.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "../base/json.h"
#include "../sandbox/probe.h"
#include "admit.h"
#include "cmd_env.h"
#include "../skill/skill_tree.h"

void cli_run_done(struct cli_run *c) {
        skill_free(c->skill);
        host_caps_done(&c->host);
        sandbox_plan_free(c->plan);
        strv_free(c->opts.tools);
        json_decref(c->scan);
        json_decref(c->integrity);
        env_ref_done(&c->env);
        free(c->late_input);
        if (c->holds_lock)
                close(c->lock_fd);
        *c = (struct cli_run) { 0 };
}

static int parse_uint(const char *flag, const char *v, uint64_t max, uint64_t *ret) {
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || !end || *end || n == 0 || n > max || v[0] == '-')
                return cli_fail(EXIT_USAGE, "%s expects a whole number from 1 to %llu, not '%s'", flag,
                                (unsigned long long) max, v);
        *ret = n;
        return -1;
}

int cli_run_parse(const struct command *cmd, int argc, char **argv, struct cli_run *c) {
        enum { OPT_LEVEL = 256, OPT_TIMEOUT, OPT_MEMORY, OPT_PROCS, OPT_NETWORK, OPT_OUTPUT, OPT_NO_NETWORK,
               OPT_PRIVATE, OPT_INPUT_AFTER_START, OPT_APPROVE_HASH };
        static const struct option opts[] = {
                { "sandbox-level", required_argument, NULL, OPT_LEVEL },
                { "timeout", required_argument, NULL, OPT_TIMEOUT },
                { "max-memory", required_argument, NULL, OPT_MEMORY },
                { "max-procs", required_argument, NULL, OPT_PROCS },
                { "max-output", required_argument, NULL, OPT_OUTPUT },
                { "allow-network", optional_argument, NULL, OPT_NETWORK },
                { "no-network", no_argument, NULL, OPT_NO_NETWORK },
                { "allow-private-network", no_argument, NULL, OPT_PRIVATE },
                { "input-after-start", no_argument, NULL, OPT_INPUT_AFTER_START },
                { "approve-hash", required_argument, NULL, OPT_APPROVE_HASH },
                { "json", no_argument, NULL, 'j' },
                { "yes", no_argument, NULL, 'y' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        optind = 0;
        int ch, r = -1;
        uint64_t level = 0;
        /* "+": options end at the first positional, so an input of "-" or "-1" is not an option */
        while ((ch = getopt_long(argc, argv, "+jyh", opts, NULL)) != -1) {
                switch (ch) {
                case OPT_LEVEL:
                        r = parse_uint("--sandbox-level", optarg, 3, &level);
                        c->opts.level = (int) level;
                        break;
                case OPT_TIMEOUT: r = parse_uint("--timeout", optarg, 86400, &c->opts.timeout_secs); break;
                case OPT_MEMORY: r = parse_uint("--max-memory", optarg, 1024 * 1024, &c->opts.memory_mb); break;
                case OPT_PROCS: r = parse_uint("--max-procs", optarg, 4096, &c->opts.max_procs); break;
                case OPT_OUTPUT: r = parse_uint("--max-output", optarg, 1ULL << 32, &c->opts.output_max); break;
                case OPT_NETWORK:
                        if (c->opts.network_flag)
                                return cli_fail(EXIT_USAGE, "--allow-network given twice; list every "
                                                "host in one comma-separated value");
                        c->opts.network_flag = true;
                        c->opts.network_extra = optarg;
                        if (optarg && !*optarg)
                                return cli_fail(EXIT_USAGE, "--allow-network= needs a host list");
                        break;
                case OPT_NO_NETWORK: c->opts.no_network = true; break;
                case OPT_PRIVATE: c->opts.allow_private_network = true; break;
                case OPT_INPUT_AFTER_START: c->input_after_start = true; break;
                case OPT_APPROVE_HASH:
                        if (strlen(optarg) != 64 || strspn(optarg, "0123456789abcdef") != 64)
                                return cli_fail(EXIT_USAGE, "--approve-hash expects a skill hash (64 hex digits)");
                        c->approve_hash = optarg;
                        break;
                case 'j': c->json = true; break;
                case 'y': c->yes = true; break;
                case 'h': return cli_usage(cmd, false);
                default: return cli_usage(cmd, true);
                }
                if (r >= 0)
                        return r;
        }
        if (c->opts.no_network && c->opts.network_flag)
                return cli_fail(EXIT_USAGE, "--no-network and --allow-network contradict each other");
        struct error err = ERROR_INIT;
        if (run_options_from_env(&c->opts, &err) < 0)
                return cli_fail(EXIT_USAGE, "%s", err.msg);
        return -1;
}

static void print_findings(const struct skill_report *rep) {
        size_t i;
        json_t *e;
        json_array_foreach(rep->errors, i, e)
                fprintf(stderr, "  error: %s\n", json_string_value(json_object_get(e, "message")));
}

/* A refusal (exit 3 or 4) before anything ran: said on stderr, and with --json also as an
 * envelope so that callers parsing stdout learn the reason. */
static int refuse(const struct cli_run *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(const struct cli_run *c, int code, const char *fmt, ...) {
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (c->json) {
                _cleanup_json_ json_t *env = json_pack(
                        "{s:b, s:i, s:s, s:n, s:s, s:s, s:i, s:i, s:i, s:n, s:s}", "ok", 0, "exit_code", code,
                        "reason", code == EXIT_REFUSED ? "refused" : "sandbox_unavailable", "output", "stdout",
                        "", "stderr", "", "duration_ms", 0, "cpu_ms", 0, "peak_memory_kb", 0, "sandbox",
                        "error", msg);
                if (env)
                        (void) cli_print_json(env);
        }
        return cli_fail(code, "%s", msg);
}

int cli_run_load(struct cli_run *c) {
        if (c->skill)
                return -1;
        _cleanup_(skill_report_done) struct skill_report rep = { 0 };
        if (skill_report_init(&rep) < 0)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct error err = ERROR_INIT;
        /* A writer (add --force, approve, remove) swaps or removes an installed skill and its
         * integrity record under the skills directory's exclusive lock. Holding it shared from
         * here to the end of the run (cli_run_done) means loading, planning, the integrity check
         * and the sandbox's copy all see one version of the skill. No lock file: no writer ever
         * touched that directory. */
        _cleanup_free_ char *canonical = realpath(c->skill_dir, NULL);
        char *slash = canonical ? strrchr(canonical, '/') : NULL;
        if (slash) {
                *(slash == canonical ? slash + 1 : slash) = '\0';
                int lock = admit_lock(canonical, false);
                if (lock >= 0) {
                        c->lock_fd = lock;
                        c->holds_lock = true;
                }
        }
        int r = skill_load(c->skill_dir, &c->skill, &rep, &err);
        if (r == -EINVAL) {
                fprintf(stderr, "skilllite: error: '%s' is not a valid skill:\n", c->skill_dir);
                print_findings(&rep);
                return EXIT_USAGE;
        }
        if (r < 0)
                return cli_fail(cli_exit_for_errno(r), "%s", err.msg);
        return -1;
}

int cli_run_prepare(struct cli_run *c) {
        int r = cli_run_load(c);
        if (r >= 0)
                return r;
        struct error err = ERROR_INIT;

        /* Extra executables the skill declares (metadata skilllite.exec). */
        const char *declared = skill_metadata_get(c->skill, "skilllite.exec");
        for (const char *p = declared; p && *p;) {
                while (*p == ' ' || *p == ',')
                        p++;
                size_t len = strcspn(p, ", ");
                if (!len)
                        break;
                _cleanup_free_ char *name = strndup(p, len);
                char *path = name ? host_find_executable(name) : NULL;
                if (!path)
                        return cli_fail(EXIT_FAILED, "skill '%s' declares the executable '%s' "
                                        "(skilllite.exec), which is not installed on this host",
                                        c->skill->name, name ? name : "?");
                size_t n = 0;
                while (c->opts.tools && c->opts.tools[n])
                        n++;
                char **grown = reallocarray(c->opts.tools, n + 2, sizeof(char *));
                if (!grown) {
                        free(path);
                        return cli_fail(EXIT_FAILED, "out of memory");
                }
                grown[n] = path;
                grown[n + 1] = NULL;
                c->opts.tools = grown;
                p += len;
        }

        /* Small skills are copied into the sandbox (their host path stays hidden). */
        struct skill_tree_size size;
        if (skill_tree_measure(c->skill->dir, PLAN_SKILL_COPY_MAX_ENTRIES, PLAN_SKILL_COPY_MAX_BYTES, &size) == 0) {
                c->opts.copy_skill = true;
                c->opts.skill_bytes = size.bytes;
                c->opts.skill_entries = size.entries;
        }

        host_probe(&c->host);
        int level = c->opts.level ? c->opts.level : 3;
        if (level >= 2) {
                /* Fail closed: name the missing piece and the way out. */
                if (!c->host.userns)
                        return refuse(c, EXIT_SANDBOX_UNAVAILABLE,
                                        "sandbox unavailable: user namespaces are disabled on this host "
                                        "(enable kernel.unprivileged_userns_clone / user.max_user_namespaces, "
                                        "or run with --sandbox-level 1 to run WITHOUT isolation)");
                if (c->host.landlock_abi < 1)
                        return refuse(c, EXIT_SANDBOX_UNAVAILABLE,
                                        "sandbox unavailable: Landlock is not available (needs Linux >= 5.13 "
                                        "with CONFIG_SECURITY_LANDLOCK=y and 'landlock' in the lsm= boot "
                                        "parameter), or run with --sandbox-level 1 to run WITHOUT isolation");
                if (!c->host.seccomp)
                        return refuse(c, EXIT_SANDBOX_UNAVAILABLE,
                                        "sandbox unavailable: seccomp filtering is not available "
                                        "(CONFIG_SECCOMP_FILTER), or run with --sandbox-level 1 to run "
                                        "WITHOUT isolation");
        }
        /* Dependency environments: looked up here (explain shows them), built only later, after
         * the integrity check and the level-3 gate (cli_run_build_env). */
        struct env_options eo = { .no_build = true };
        r = env_prepare(c->skill, &c->host, &eo, &c->env, &err);
        if (r == -ENOENT)
                c->env_missing = true;
        else if (r < 0)
                return cli_fail(r == -ENOTSUP ? EXIT_SANDBOX_UNAVAILABLE : cli_exit_for_errno(r), "%s", err.msg);
        else
                env_ref_apply(&c->env, &c->opts);
        r = sandbox_plan_build(c->skill, &c->opts, &c->host, &c->plan, &err);
        if (r < 0)
                return cli_fail(r == -ENOENT ? EXIT_FAILED : EXIT_USAGE, "%s", err.msg);
        return -1;
}

int cli_run_build_env(struct cli_run *c) {
        if (!c->env_missing)
                return -1;
        struct error err = ERROR_INIT;
        struct env_options eo = { .progress = cli_env_progress };
        env_ref_done(&c->env);
        int r = env_prepare(c->skill, &c->host, &eo, &c->env, &err);
        if (r < 0)
                return cli_fail(r == -ENOTSUP ? EXIT_SANDBOX_UNAVAILABLE : r == -EIO ? EXIT_FAILED : cli_exit_for_errno(r),
                                "dependency environment of '%s': %s", c->skill->name, err.msg);
        c->env_missing = false;
        env_ref_apply(&c->env, &c->opts);
        sandbox_plan_free(c->plan);
        c->plan = NULL;
        r = sandbox_plan_build(c->skill, &c->opts, &c->host, &c->plan, &err);
        if (r < 0)
                return cli_fail(r == -ENOENT ? EXIT_FAILED : EXIT_USAGE, "%s", err.msg);
        return -1;
}
