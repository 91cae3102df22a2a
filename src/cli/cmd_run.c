/* `run`, `exec` and `bash`: execute skill code in the sandbox and report the result. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../base/path.h"
#include "../base/utf8.h"
#include "../sandbox/probe.h"
#include "../sandbox/run.h"
#include "../skill/scripts.h"
#include "../sys/sys.h"
#include "run_opts.h"

static int cmd_run(int argc, char **argv);
static int cmd_exec(int argc, char **argv);

#define RUN_OPTIONS_HELP                                                                           \
        "Options:\n"                                                                               \
        "  --sandbox-level N    1 no isolation (warned), 2 sandbox, 3 sandbox + scan of the whole\n" \
        "                       skill first (default): critical is refused, medium/high need an\n" \
        "                       approval (terminal prompt, --yes or SKILLLITE_AUTO_APPROVE=1),\n"  \
        "                       remembered for that exact content\n"                              \
        "  --timeout SECS       wall-clock limit (default 30, or metadata skilllite.timeout)\n"    \
        "  --max-memory MB      memory limit for the whole run (default 512)\n"                    \
        "  --max-procs N        allow process creation, up to N processes and threads\n"           \
        "  --max-output BYTES   cap for stdout and for stderr (default 16 MiB)\n"                  \
        "  --allow-network[=HOSTS]  add network grants for this run (host[:port], *.domain,\n"   \
        "                       literal IPs, !deny, '*' = any host name); alone: the skill's\n"   \
        "                       declared skilllite.network list, which applies anyway\n"         \
        "  --no-network         no network at all, whatever the skill declares\n"                \
        "  --allow-private-network  let granted hosts resolve to loopback/private/link-local/\n"  \
        "                       metadata addresses (local development only)\n"                   \
        "  --yes                approve a level-3 medium/high scan verdict without a prompt\n"     \
        "  --json               print a JSON envelope instead of the skill's output\n"             \
        "\nExit status: 0 ok, 1 the skill failed, 2 invalid input or skill, 3 refused by policy,\n" \
        "4 sandbox unavailable, 5 a resource limit was hit.\n"

const struct command command_run = {
        .name = "run",
        .synopsis = "run [options] <skill-dir> [INPUT_JSON | -]",
        .summary = "Run a skill's entry point in the sandbox with JSON input on stdin.",
        .help = RUN_OPTIONS_HELP,
        .run = cmd_run,
};

const struct command command_exec = {
        .name = "exec",
        .synopsis = "exec [options] <skill-dir> <script> [INPUT_JSON | -]",
        .summary = "Run one script of a skill (a path inside the skill) in the sandbox.",
        .help = RUN_OPTIONS_HELP,
        .run = cmd_exec,
};

const struct command command_bash = {
        .name = "bash",
        .synopsis = "bash [options] <skill-dir> <command>",
        .summary = "Run a command for a bash-tool skill (allowed-tools: Bash(prefix:*)) in the sandbox.",
        .help = RUN_OPTIONS_HELP "\nThe command must start with an allowed prefix as a whole word and may not\n"
                                 "contain shell control characters (; & | ` $( ${ < > newline).\n"
                                 "Output: {\"stdout\", \"stderr\", \"exit_code\"}.\n",
        .run = cli_cmd_bash,
};

static int exit_code_for(enum run_reason r) {
        switch (r) {
        case RUN_OK: return EXIT_OK;
        case RUN_EXIT:
        case RUN_SIGNAL: return EXIT_FAILED;
        case RUN_TIMEOUT:
        case RUN_MEMORY:
        case RUN_PIDS:
        case RUN_OUTPUT_LIMIT: return EXIT_LIMIT;
        case RUN_SANDBOX_UNAVAILABLE: return EXIT_SANDBOX_UNAVAILABLE;
        case RUN_CANCELLED: return EXIT_FAILED;
        }
        return EXIT_FAILED;
}

/* Input: the argument, stdin for "-", or "{}". It must be JSON; it is passed on verbatim. */
static int read_input(const char *arg, char **ret, size_t *ret_len) {
        char *text = NULL;
        size_t len = 0;
        if (!arg)
                text = strdup("{}"), len = 2;
        else if (streq(arg, "-")) {
                int r = read_fd_bounded(STDIN_FILENO, PLAN_INPUT_MAX, &text, &len);
                if (r == -EFBIG)
                        return cli_fail(EXIT_USAGE, "input on stdin is larger than %u bytes", PLAN_INPUT_MAX);
                if (r < 0)
                        return cli_fail(EXIT_FAILED, "reading stdin: %s", strerror(-r));
        } else
                text = strdup(arg), len = strlen(arg);
        if (!text)
                return cli_fail(EXIT_FAILED, "out of memory");
        struct error err = ERROR_INIT;
        json_t *j = json_parse_strict(text, len, PLAN_INPUT_MAX, &err);
        if (!j) {
                free(text);
                return cli_fail(EXIT_USAGE, "input is not valid JSON: %s", err.msg);
        }
        json_decref(j);
        *ret = text;
        *ret_len = len;
        return -1;
}

static json_t *sandbox_summary(const struct sandbox_plan *p, json_t *scan_gate, json_t *integrity) {
        json_t *plan = sandbox_plan_to_json(p);
        if (!plan)
                return NULL;
        /* The envelope carries what was applied; `explain` has the full mount list and env. */
        json_object_del(plan, "mounts");
        json_object_del(plan, "env");
        json_object_del(plan, "argv");
        json_t *ll = json_object_get(plan, "landlock");
        if (ll)
                json_object_del(ll, "rules");
        json_object_set_new(plan, "scan", scan_gate ? json_incref(scan_gate) : json_pack("{s:b}", "performed", 0));
        json_object_set_new(plan, "integrity", integrity ? json_incref(integrity) : json_pack("{s:s}", "status", "unchecked"));
        return plan;
}

/* What the network did: the proxy's record of every request, or why there was none. */
static json_t *network_summary(const struct sandbox_plan *p, const struct run_result *res) {
        if (res->network)
                return json_incref(res->network);
        if (p->network.mode == PLAN_NET_HOST)
                return json_pack("{s:b, s:s, s:s}", "enabled", 1, "mode", "host", "note",
                                 "level 1: the host's network, unrestricted and unrecorded");
        return json_pack("{s:b, s:s}", "enabled", 0, "mode", "none");
}

/* Trimmed stdout must be exactly one JSON value; it is returned verbatim. */
static bool output_json(const struct run_result *res, const char **start, size_t *len, json_t **parsed) {
        const char *s = res->out.data ? res->out.data : "";
        size_t n = res->out.len;
        while (n && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
                s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
                n--;
        *start = s;
        *len = n;
        struct error err = ERROR_INIT;
        *parsed = n ? json_parse_strict(s, n, PLAN_DEFAULT_OUTPUT_MAX * 16ULL, &err) : NULL;
        return *parsed != NULL;
}

static json_t *string_or_lossy(const struct buf *b) {
        return json_stringn_lossy(b->data ? b->data : "", b->len);
}

static int report(struct cli_run *c, struct run_result *res, int rc, const struct error *err, bool bash_mode) {
        const char *out_start = NULL;
        size_t out_len = 0;
        _cleanup_json_ json_t *parsed = NULL;
        bool valid_json = rc == 0 && output_json(res, &out_start, &out_len, &parsed);
        _cleanup_json_ json_t *bash_out = NULL;
        if (rc == 0 && bash_mode) {
                bash_out = json_pack("{s:o*, s:o*, s:i}", "stdout", string_or_lossy(&res->out), "stderr",
                                     string_or_lossy(&res->err), "exit_code", res->exit_status);
        }
        int code = rc < 0 ? EXIT_SANDBOX_UNAVAILABLE : exit_code_for(res->reason);
        bool ok = rc == 0 && res->reason == RUN_OK && (valid_json || bash_mode);
        if (bash_mode && rc == 0 && (res->reason == RUN_OK || res->reason == RUN_EXIT))
                ok = true, code = EXIT_OK; /* the command's own failure is data, as in the original */
        const char *error_text = NULL;
        char msg[512] = "";
        if (rc < 0)
                error_text = err->msg;
        else if (res->reason == RUN_OK && !valid_json && !bash_mode) {
                code = EXIT_FAILED;
                error_text = out_len ? "the skill's output is not a single JSON value"
                                     : "the skill printed nothing (it must print one JSON value)";
        } else if (!ok) {
                switch (res->reason) {
                case RUN_TIMEOUT:
                        snprintf(msg, sizeof(msg), "timed out after %llu s (wall clock)",
                                 (unsigned long long) c->plan->limits.timeout_ms / 1000);
                        break;
                case RUN_MEMORY:
                        snprintf(msg, sizeof(msg), "killed: the memory limit of %llu MB was exceeded",
                                 (unsigned long long) c->plan->limits.memory_bytes >> 20);
                        break;
                case RUN_PIDS:
                        snprintf(msg, sizeof(msg), "failed after hitting the process limit of %llu",
                                 (unsigned long long) c->plan->limits.max_procs);
                        break;
                case RUN_OUTPUT_LIMIT:
                        snprintf(msg, sizeof(msg), "killed: output exceeded %llu bytes",
                                 (unsigned long long) c->plan->limits.output_max);
                        break;
                case RUN_SIGNAL: snprintf(msg, sizeof(msg), "killed by signal %d", res->term_signal); break;
                case RUN_CANCELLED: snprintf(msg, sizeof(msg), "cancelled"); break;
                default: snprintf(msg, sizeof(msg), "the skill exited with status %d", res->exit_status); break;
                }
                error_text = msg;
        }

        if (c->json) {
                json_t *output = bash_out ? json_incref(bash_out) : parsed ? json_incref(parsed) : json_null();
                _cleanup_json_ json_t *env = json_pack(
                        "{s:b, s:i, s:s, s:o, s:o*, s:o*, s:I, s:I, s:I, s:o*}", "ok", ok, "exit_code", code,
                        "reason", rc < 0 ? "sandbox_unavailable" : run_reason_to_string(res->reason), "output",
                        output, "stdout", string_or_lossy(&res->out), "stderr", string_or_lossy(&res->err),
                        "duration_ms", (json_int_t) res->duration_ms, "cpu_ms", (json_int_t) res->cpu_ms,
                        "peak_memory_kb", (json_int_t) res->peak_memory_kb, "sandbox", sandbox_summary(c->plan, c->scan, c->integrity));
                if (!env)
                        return cli_fail(EXIT_FAILED, "out of memory");
                json_object_set_new(env, "network", network_summary(c->plan, res));
                if (error_text)
                        json_object_set_new(env, "error", json_string(error_text));
                if (res->pids_limit_hit)
                        json_object_set_new(env, "limits_hit", json_pack("[s]", "pids"));
                int pr = cli_print_json(env);
                return pr ? pr : code;
        }
        if (res->err.len && !res->tee_stderr)
                fwrite(res->err.data, 1, res->err.len, stderr);
        if (ok) {
                if (bash_out)
                        return cli_print_json(bash_out) ?: code;
                fwrite(out_start, 1, out_len, stdout);
                fputc('\n', stdout);
                return code;
        }
        return cli_fail(code, "%s", error_text ? error_text : "run failed");
}

static void warn_plan(const struct cli_run *c) {
        /* Weakenings and fallbacks are always said (DESIGN.md §2); --json also carries them. */
        for (char **w = c->plan->warnings; w && *w; w++)
                cli_warn("%s", *w);
}

/* Denials are said as they happen: the skill's own error handling may hide them. */
static void say_network_denial(const char *line) {
        fputs("skilllite: network: ", stderr);
        cli_fputs_safe(stderr, line, false);
        fputc('\n', stderr);
}

/* --input-after-start: the sandbox is up and the interpreter starting; now wait for the input.
 * The skills directory's lock is let go first: a warm sandbox may wait for minutes, and writers
 * (`add`, `remove`) must not wait that long. What it runs was checked at its start; serve's pool
 * re-checks the directory's fingerprint before it hands the sandbox a request (rpc/pool.c). */
static int await_stdin_input(void *arg, const char **input, size_t *input_len, struct error *err) {
        struct cli_run *c = arg;
        if (c->holds_lock) {
                close(c->lock_fd);
                c->holds_lock = false;
                c->lock_fd = -1;
        }
        struct buf b = BUF_INIT(PLAN_INPUT_MAX);
        for (;;) {
                if (sandbox_stop_requested) {
                        buf_free(&b);
                        return error_set(err, -ECANCELED, "cancelled before the input arrived");
                }
                ssize_t k = buf_read_fd(&b, STDIN_FILENO);
                if (k == -EINTR)
                        continue;
                if (k == -E2BIG) {
                        buf_free(&b);
                        return error_set(err, -EFBIG, "input on stdin is larger than %u bytes", PLAN_INPUT_MAX);
                }
                if (k < 0) {
                        buf_free(&b);
                        return error_set(err, (int) k, "reading stdin: %s", strerror((int) -k));
                }
                if (k == 0)
                        break;
        }
        struct error perr = ERROR_INIT;
        json_t *j = json_parse_strict(b.data ? b.data : "", b.len, PLAN_INPUT_MAX, &perr);
        if (!j) {
                buf_free(&b);
                return error_set(err, -EINVAL, "input is not valid JSON: %s", perr.msg);
        }
        json_decref(j);
        *input_len = b.len;
        *input = c->late_input = buf_steal(&b);
        return *input ? 0 : error_set(err, -ENOMEM, "out of memory");
}

/* The result is final before the sandbox's teardown: print it then, and let a daemon that waits
 * for it answer (~1 ms sooner on this machine kind: pid 1's exit and the cgroups' removal). */
struct early_report {
        struct cli_run *c;
        bool bash_mode;
};

static void report_early(void *arg, struct run_result *res) {
        struct early_report *e = arg;
        struct error none = ERROR_INIT;
        e->c->early_code = cli_hand_over_stdout(report(e->c, res, 0, &none, e->bash_mode));
}

/* SIGTERM/SIGINT: stop the run cleanly (sandbox killed, cgroup removed, envelope printed). No
 * SA_RESTART, so a blocking read or poll returns EINTR and sees the flag. */
static void on_stop_signal(int sig) {
        (void) sig;
        sandbox_stop_requested = 1;
}

static void catch_stop_signals(void) {
        struct sigaction sa = { .sa_handler = on_stop_signal };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
}

int cli_execute(struct cli_run *c, const char *input, size_t input_len, bool bash_mode) {
        if (c->input_after_start && (bash_mode || c->opts.script))
                return cli_fail(EXIT_USAGE, "--input-after-start is only for run");
        catch_stop_signals();
        int gate = cli_run_integrity(c);
        if (gate >= 0)
                return gate;
        gate = cli_run_scan_gate(c);
        if (gate >= 0)
                return gate;
        gate = cli_run_build_env(c);
        if (gate >= 0)
                return gate;
        warn_plan(c);
        /* A person running a skill sees its stderr (progress, warnings) as it comes; --json and
         * bash (whose stderr is part of the result) keep it in the output instead. */
        struct run_result res = { .tee_stderr = !c->json && !bash_mode, .network_notice = say_network_denial };
        if (c->input_after_start) {
                res.await_input = await_stdin_input;
                res.await_arg = c;
        }
        struct early_report early = { c, bash_mode };
        res.on_result = report_early;
        res.on_result_arg = &early;
        c->early_code = -1;
        struct error err = ERROR_INIT;
        int r = sandbox_run(c->plan, &c->host, input, input_len, &res, &err);
        int code = c->early_code >= 0 ? c->early_code : report(c, &res, r, &err, bash_mode);
        run_result_done(&res);
        return code;
}

static int cmd_run(int argc, char **argv) {
        _cleanup_(cli_run_done) struct cli_run c = { 0 };
        int r = cli_run_parse(&command_run, argc, argv, &c);
        if (r >= 0)
                return r;
        if (argc - optind < 1 || argc - optind > 2)
                return cli_usage(&command_run, true);
        c.skill_dir = argv[optind];
        c.input_arg = argc - optind == 2 ? argv[optind + 1] : NULL;
        _cleanup_free_ char *input = NULL;
        size_t input_len = 0;
        if (c.input_after_start) {
                if (!c.input_arg || !streq(c.input_arg, "-"))
                        return cli_fail(EXIT_USAGE, "--input-after-start reads the input from stdin: give '-'");
        } else if ((r = read_input(c.input_arg, &input, &input_len)) >= 0)
                return r;
        r = cli_run_prepare(&c);
        if (r >= 0)
                return r;
        return cli_execute(&c, input, input_len, false);
}

/* The script must resolve inside the skill (openat2 RESOLVE_BENEATH) and be a script we run. */
static int resolve_script(const char *skill_dir, const char *script, enum skill_language *lang) {
        if (!path_is_safe_relative(script))
                return cli_fail(EXIT_USAGE, "script '%s' must be a relative path inside the skill", script);
        _cleanup_close_ int dirfd = open(skill_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return cli_fail(EXIT_USAGE, "skill directory '%s': %s", skill_dir, strerror(errno));
        _cleanup_close_ int fd = sys_open_beneath(dirfd, script, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0);
        if (fd == -EXDEV || fd == -ELOOP)
                return cli_fail(EXIT_REFUSED, "script '%s' resolves outside the skill directory", script);
        if (fd < 0)
                return cli_fail(EXIT_USAGE, "script '%s': %s", script, strerror(-fd));
        *lang = skill_detect_language(dirfd, script);
        if (*lang == SKILL_LANG_NONE)
                return cli_fail(EXIT_USAGE, "'%s' is not a Python, JavaScript/TypeScript or shell script", script);
        return -1;
}

static int cmd_exec(int argc, char **argv) {
        _cleanup_(cli_run_done) struct cli_run c = { 0 };
        int r = cli_run_parse(&command_exec, argc, argv, &c);
        if (r >= 0)
                return r;
        if (argc - optind < 2 || argc - optind > 3)
                return cli_usage(&command_exec, true);
        c.skill_dir = argv[optind];
        c.opts.script = argv[optind + 1];
        c.input_arg = argc - optind == 3 ? argv[optind + 2] : NULL;
        r = resolve_script(c.skill_dir, c.opts.script, &c.opts.script_language);
        if (r >= 0)
                return r;
        _cleanup_free_ char *input = NULL;
        size_t input_len = 0;
        r = read_input(c.input_arg, &input, &input_len);
        if (r >= 0)
                return r;
        r = cli_run_prepare(&c);
        if (r >= 0)
                return r;
        return cli_execute(&c, input, input_len, false);
}
