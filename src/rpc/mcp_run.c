/* The running side of `skilllite mcp`'s tools: show a skill, scan it (level 3), decide - refuse
 * critical, ask a person about medium/high through elicitation or answer with a one-use
 * scan_id to confirm with - and run it with the approval passed on as --yes. Also execute_code
 * and scan_code, whose code becomes a throwaway skill (0700, removed after the call). The
 * integrity of installed skills is checked by the run itself (the CLI's), on every call. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/log.h"
#include "../scan/finding.h"
#include "../skill/skill_hash.h"
#include "mcp_internal.h"

#define CODE_MAX (1u << 20)             /* bytes of code for scan_code / execute_code */
#define SUMMARY_FINDINGS 20             /* findings quoted in a question or refusal */
#define CODE_SKILL_NAME "execute-code"

/* ---- running --------------------------------------------------------------------------- */

static void on_run_done(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        json_t *res = mcp_tool_result_from_run(version_of(c), r->json, r->exit_code, r->message, f->code);
        mcp_call_reply(c, res);
}

static void run_now(struct mcp_call *c, bool approve) {
        struct flow *f = c->flow;
        /* A skill's approval is for the content the person saw: the run checks that hash itself,
         * so a change after the scan is not approved. execute_code's throwaway skill is ours
         * (a 0700 directory written from the approved code): a plain approval. */
        json_t *p = json_pack("{s:s, s:{s:i}}", "skill", f->dir, "options", "sandbox_level", f->level);
        if (p && approve)
                json_object_set_new(json_object_get(p, "options"), f->code ? "approve" : "approve_hash",
                                    f->code ? json_true() : json_string(f->hash));
        if (p && streq(f->op, "bash"))
                json_object_set_new(p, "command", json_string(f->command));
        else if (p) {
                json_object_set_new(p, "input", f->input ? json_incref(f->input) : json_object());
                if (streq(f->op, "exec"))
                        json_object_set_new(p, "script", json_string(f->script));
        }
        log_info("mcp: %s %s (level %d%s)", f->op, f->code ? CODE_SKILL_NAME : f->skill, f->level,
                 approve ? ", approved" : "");
        mcp_call_submit(c, f->op, p, on_run_done);
}

static int hash_skill_dir(const char *dir, char out[SHA256_HEX_BYTES], struct error *err) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return error_set(err, -errno, "cannot open the skill directory: %s", strerror(errno));
        return skill_hash_dir(fd, out, err);
}

/* What is being approved, for people. */
static void describe(const struct flow *f, char *out, size_t size) {
        if (f->code)
                snprintf(out, size, "%s code for execute_code", f->language);
        else
                snprintf(out, size, "the skill '%s'", f->skill);
}

/* The weaker path: no way to ask a person from here, so the client has to, and comes back with
 * the scan_id. */
static void reply_needs_confirmation(struct mcp_call *c, const json_t *report, const char *summary) {
        struct flow *f = c->flow;
        struct mcp_session *ss = c->ss;
        char id[MCP_TOKEN_ID_LEN + 1];
        int r = mcp_tokens_issue(&ss->tokens, f->subject, f->hash, loop_now_ms(), ss->srv->scan_ttl_ms, id);
        if (r < 0) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "cannot issue a scan_id: %s", strerror(-r));
                return;
        }
        unsigned ttl = (unsigned) (ss->srv->scan_ttl_ms / 1000);
        const char *verdict = json_string_value(json_object_get(report, "verdict"));
        char what[200];
        describe(f, what, sizeof(what));
        json_t *next_args;
        if (f->code)
                next_args = json_pack("{s:s, s:s, s:b, s:s}", "language", f->language, "code", "<the same code>",
                                      "confirmed", 1, "scan_id", id);
        else {
                next_args = json_pack("{s:s, s:b, s:s}", "skill_name", f->skill, "confirmed", 1, "scan_id", id);
                if (next_args && f->command)
                        json_object_set_new(next_args, "command", json_string(f->command));
                else if (next_args)
                        json_object_set_new(next_args, "input", f->input ? json_incref(f->input) : json_object());
                if (next_args && f->script)
                        json_object_set_new(next_args, "script", json_string(f->script));
        }
        _cleanup_free_ char *text = NULL;
        if (asprintf(&text,
                     "Not run yet: %s needs a person's approval (sandbox level 3). The security scan "
                     "(verdict %s) found:\n%s\n\nShow these findings to the user. Only if they approve, call %s "
                     "with the same arguments plus \"confirmed\": true and \"scan_id\": \"%s\". The scan_id works "
                     "once, for %u seconds, and only while the %s is unchanged.",
                     what, verdict ? verdict : "?", summary, f->code ? "execute_code" : "run_skill", id, ttl,
                     f->code ? "code" : "skill") < 0) {
                json_decref(next_args);
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        json_t *structured = json_pack("{s:s, s:s, s:i, s:s, s:O*, s:O*, s:{s:s, s:o*}}", "status",
                                       "confirmation_required", "scan_id", id, "expires_in_secs", ttl,
                                       "content_hash", f->hash, "verdict", json_object_get(report, "verdict"),
                                       "findings", json_object_get(report, "findings"), "next_call", "name",
                                       f->code ? "execute_code" : "run_skill", "arguments", next_args);
        mcp_call_reply(c, mcp_tool_result(version_of(c), text, false, structured));
}

static bool can_elicit(const struct mcp_call *c) {
        return c->ss->elicitation && !c->ss->input_closed && c->stream && c->stream->can_request;
}

static void on_elicit_answer(struct mcp_call *c, const json_t *result, const json_t *error);

static void ask_person(struct mcp_call *c, const json_t *report, const char *summary) {
        struct flow *f = c->flow;
        char what[200];
        describe(f, what, sizeof(what));
        const char *verdict = json_string_value(json_object_get(report, "verdict"));
        _cleanup_free_ char *message = NULL;
        if (asprintf(&message,
                     "Run %s? The security scan (verdict %s) found:\n%s\n\nIt would run in the sandbox (level 3) "
                     "all the same. Approve only if you trust it.",
                     what, verdict ? verdict : "?", summary) < 0) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        json_t *params = json_pack("{s:s, s:{s:s, s:{s:{s:s, s:s, s:s, s:b}}, s:[s]}}", "message", message,
                                   "requestedSchema", "type", "object", "properties", "approve", "type", "boolean",
                                   "title", "Run it anyway", "description",
                                   "Run despite the findings above (it stays sandboxed)", "default", 0, "required",
                                   "approve");
        mcp_call_ask(c, "elicitation/create", params, on_elicit_answer);
}

static void on_elicit_answer(struct mcp_call *c, const json_t *result, const json_t *error) {
        struct flow *f = c->flow;
        if (error) {
                /* The client claimed elicitation but cannot do it now: fall back to the scan_id. */
                const char *msg = json_string_value(json_object_get(error, "message"));
                log_info("mcp: elicitation failed (%.200s); answering with a scan_id", msg ? msg : "?");
                c->ss->elicitation = false;
                mcp_call_tool_error(c, "Error: the client could not ask the user (%.200s). Call again: the "
                                       "answer will then carry a scan_id to confirm with.",
                                    msg ? msg : "elicitation failed");
                return;
        }
        if (!result) {
                mcp_call_tool_error(c, "Not run: nobody answered the approval question in time (or the client "
                                       "went away).");
                return;
        }
        const char *action = json_string_value(json_object_get(result, "action"));
        json_t *approve = json_object_get(json_object_get(result, "content"), "approve");
        if (action && streq(action, "accept") && json_is_true(approve)) {
                mcp_session_approve(c->ss, f->hash);
                run_now(c, true);
                return;
        }
        char what[200];
        describe(f, what, sizeof(what));
        _cleanup_free_ char *text = NULL;
        if (asprintf(&text, "Not run: the user did not approve %s (%.32s).", what,
                     action && streq(action, "accept") ? "accepted without approving" : action ? action : "no action") < 0)
                text = NULL;
        mcp_call_reply(c, mcp_tool_result(version_of(c), text ? text : "Not run: not approved.", true,
                                          json_pack("{s:s, s:s?}", "status", "declined", "action", action)));
}

static void on_gate_scan(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        const char *verdict = json_string_value(json_object_get(r->json, "verdict"));
        if (!verdict) {
                mcp_call_tool_error(c, "Error: the level-3 scan failed, so nothing was run: %s", r->message);
                return;
        }
        if (!f->code) {
                /* The scan ran on the files as they were; refuse to approve files that moved since. */
                char now[SHA256_HEX_BYTES];
                struct error err = ERROR_INIT;
                if (hash_skill_dir(f->dir, now, &err) < 0 || !streq(now, f->hash)) {
                        mcp_call_tool_error(c, "Error: the skill changed while it was being scanned; nothing was run");
                        return;
                }
        }
        int rank = mcp_verdict_rank(verdict);
        _cleanup_free_ char *summary = mcp_scan_summary(r->json, SUMMARY_FINDINGS);
        if (!summary) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        char what[200];
        describe(f, what, sizeof(what));
        if (rank >= SEV_CRITICAL || rank < 0) {
                _cleanup_free_ char *text = NULL;
                if (asprintf(&text,
                             "Refused: the security scan of %s found critical problems (verdict %s). This "
                             "cannot be approved.\n%s",
                             what, verdict, summary) < 0)
                        text = NULL;
                mcp_call_reply(c, mcp_tool_result(version_of(c), text ? text : "Refused: critical findings.", true,
                                                  json_pack("{s:s, s:s, s:O*}", "status", "refused", "verdict",
                                                            verdict, "findings", json_object_get(r->json, "findings"))));
                return;
        }
        if (rank < SEV_MEDIUM) {
                run_now(c, false);
                return;
        }
        if (c->ss->srv->opts.auto_approve) {
                log_info("mcp: %s approved by SKILLLITE_AUTO_APPROVE (verdict %s)", what, verdict);
                run_now(c, true);
                return;
        }
        if (can_elicit(c))
                ask_person(c, r->json, summary);
        else
                reply_needs_confirmation(c, r->json, summary);
}

/* Level 3: the scan decides, then a person for medium/high. Levels 1-2 run straight away (the
 * sandbox still applies at 2; the server's operator chose it). */
static void gate_and_run(struct mcp_call *c) {
        struct flow *f = c->flow;
        struct mcp_session *ss = c->ss;
        if (f->level < 3) {
                run_now(c, false);
                return;
        }
        if (!f->code) {
                struct error err = ERROR_INIT;
                if (hash_skill_dir(f->dir, f->hash, &err) < 0) {
                        mcp_call_tool_error(c, "Error: the skill cannot be read: %s", err.msg);
                        return;
                }
        }
        if (f->confirmed) {
                if (!f->scan_id) {
                        mcp_call_tool_error(c, "Error: scan_id is required with confirmed=true: call without "
                                               "confirmed first (or scan_code) to get one");
                        return;
                }
                enum mcp_token_check chk = mcp_tokens_redeem(&ss->tokens, f->scan_id, f->subject, f->hash, loop_now_ms());
                if (chk != MCP_TOKEN_OK) {
                        mcp_call_tool_error(c, "Error: %s. Nothing was run.", mcp_token_check_to_string(chk));
                        return;
                }
                mcp_session_approve(ss, f->hash);
                run_now(c, true);
                return;
        }
        if (mcp_session_approved(ss, f->hash)) {
                run_now(c, true);
                return;
        }
        mcp_call_submit(c, "scan", json_pack("{s:s}", "path", f->dir), on_gate_scan);
}

static json_t *find_script(const json_t *detail, const char *tool) {
        size_t i;
        json_t *sc;
        json_array_foreach(json_object_get(detail, "scripts"), i, sc) {
                const char *path = json_string_value(json_object_get(sc, "path"));
                _cleanup_free_ char *name = path ? mcp_script_tool_name(json_string_value(json_object_get(detail, "name")), path) : NULL;
                if (name && streq(name, tool))
                        return sc;
        }
        return NULL;
}

static void reply_instructions(struct mcp_call *c, const char *dir) {
        struct flow *f = c->flow;
        _cleanup_free_ char *md = mcp_read_skill_md(dir);
        if (!md) {
                mcp_call_tool_error(c, "Error: the instructions of '%s' cannot be read", f->skill);
                return;
        }
        mcp_call_reply(c, mcp_tool_result(version_of(c), md, false, NULL));
}

static void on_skill_shown(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        json_t *d = r->json;
        if (!json_is_object(d)) {
                if (f->via_run_skill)
                        mcp_call_tool_error(c, "Error: no skill '%s' in the skills directory", f->skill);
                else
                        mcp_call_error(c, MCP_INVALID_PARAMS, "Unknown tool: %s", f->tool);
                return;
        }
        const char *kind = mcp_skill_kind(d);
        const char *dir = json_string_value(json_object_get(d, "path"));
        if (!json_is_true(json_object_get(d, "valid")) || !dir) {
                mcp_call_tool_error(c, "Error: the skill '%s' is not valid; `skilllite validate` says why", f->skill);
                return;
        }
        if (!(f->dir = strdup(dir))) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        bool unknown_tool = false;
        if (streq(kind, "prompt-only")) {
                if (f->stem) {
                        unknown_tool = true;
                } else {
                        reply_instructions(c, dir);
                        return;
                }
        } else if (streq(kind, "standard")) {
                unknown_tool = f->stem != NULL;
                if (f->command) {
                        mcp_call_tool_error(c, "Error: '%s' is not a bash-tool skill: it takes input, not a command",
                                            f->skill);
                        return;
                }
                f->op = f->script ? "exec" : "run";
        } else if (streq(kind, "multi-script")) {
                if (f->stem) {
                        json_t *sc = find_script(d, f->tool);
                        const char *path = json_string_value(json_object_get(sc, "path"));
                        if (!path)
                                unknown_tool = true;
                        else if (!(f->script = strdup(path))) {
                                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                                return;
                        }
                } else if (!f->via_run_skill)
                        unknown_tool = true;
                else if (!f->script) {
                        _cleanup_free_ char *list = json_dumps(json_object_get(d, "scripts"), JSON_COMPACT);
                        mcp_call_tool_error(c, "Error: '%s' has several scripts and no entry point: pass \"script\" "
                                               "(one of the paths in %s)",
                                            f->skill, list ? list : "its scripts");
                        return;
                }
                f->op = "exec";
        } else if (streq(kind, "bash-tool")) {
                unknown_tool = f->stem != NULL;
                if (!unknown_tool && !f->via_run_skill) {
                        const char *cmd;
                        if (!mcp_arg_string(c, f->input, "command", true, &cmd))
                                return;
                        if (!(f->command = strdup(cmd))) {
                                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                                return;
                        }
                }
                if (!unknown_tool && !f->command) {
                        mcp_call_tool_error(c, "Error: '%s' is a bash-tool skill: pass \"command\"", f->skill);
                        return;
                }
                f->op = "bash";
        } else {
                mcp_call_tool_error(c, "Error: the skill '%s' cannot be run (kind %s)", f->skill, kind);
                return;
        }
        if (unknown_tool) {
                mcp_call_error(c, MCP_INVALID_PARAMS, "Unknown tool: %s", f->tool);
                return;
        }
        snprintf(f->subject, sizeof(f->subject), "skill:%s", f->skill);
        f->level = c->ss->srv->level;
        gate_and_run(c);
}

void mcp_run_start_skill(struct mcp_call *c) {
        struct flow *f = c->flow;
        mcp_call_submit(c, "get_skill", json_pack("{s:s}", "skill", f->skill), on_skill_shown);
}

/* ---- code ------------------------------------------------------------------------------ */

static bool language_of(const char *in, const char **ret_name, const char **ret_ext) {
        static const struct {
                const char *alias, *name, *ext;
        } table[] = {
                { "python", "python", "py" },     { "py", "python", "py" },           { "python3", "python", "py" },
                { "javascript", "javascript", "js" }, { "js", "javascript", "js" },   { "node", "javascript", "js" },
                { "nodejs", "javascript", "js" }, { "bash", "bash", "sh" },           { "sh", "bash", "sh" },
                { "shell", "bash", "sh" },
        };
        for (size_t i = 0; in && i < ELEMENTSOF(table); i++)
                if (streq(in, table[i].alias)) {
                        *ret_name = table[i].name;
                        *ret_ext = table[i].ext;
                        return true;
                }
        return false;
}

static int write_file_at(int dfd, const char *name, const char *data, size_t len, mode_t mode) {
        _cleanup_close_ int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        return write_all(fd, data, len);
}

/* <tmp>/skilllite-mcp-XXXXXX/execute-code/{SKILL.md,scripts/main.<ext>}, private to us. */
static int make_code_skill(const char *tmp_dir, const char *ext, const char *code, size_t len, char **ret_root,
                           char **ret_dir) {
        _cleanup_free_ char *root = NULL;
        if (asprintf(&root, "%s/skilllite-mcp-XXXXXX", tmp_dir) < 0)
                return -ENOMEM;
        if (!mkdtemp(root))
                return -errno;
        _cleanup_free_ char *dir = NULL;
        int r = 0;
        if (asprintf(&dir, "%s/" CODE_SKILL_NAME, root) < 0)
                r = -ENOMEM;
        _cleanup_close_ int dfd = -1, sfd = -1;
        if (r == 0 && mkdir(dir, 0700) < 0)
                r = -errno;
        if (r == 0 && (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                r = -errno;
        static const char skill_md[] =
                "---\n"
                "name: " CODE_SKILL_NAME "\n"
                "description: Code given to the execute_code tool of skilllite mcp, run once in a throwaway skill.\n"
                "---\n"
                "# " CODE_SKILL_NAME "\n\n"
                "Runs the code an MCP client sent, as scripts/main.*; removed after the call.\n";
        if (r == 0)
                r = write_file_at(dfd, "SKILL.md", skill_md, sizeof(skill_md) - 1, 0600);
        if (r == 0 && mkdirat(dfd, "scripts", 0700) < 0)
                r = -errno;
        if (r == 0 && (sfd = openat(dfd, "scripts", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                r = -errno;
        char main_name[16];
        snprintf(main_name, sizeof(main_name), "main.%s", ext);
        if (r == 0)
                r = write_file_at(sfd, main_name, code, len, 0700);
        if (r < 0) {
                (void) rm_rf(root);
                return r;
        }
        *ret_root = TAKE_PTR(root);
        *ret_dir = TAKE_PTR(dir);
        return 0;
}

/* language + code arguments -> the throwaway skill, its subject and code hash. */
static bool prepare_code(struct mcp_call *c, struct flow *f, const json_t *args) {
        const char *lang_arg, *code, *ext;
        if (!mcp_arg_string(c, args, "language", true, &lang_arg))
                return false;
        json_t *cv = json_object_get(args, "code");
        if (!json_is_string(cv)) {
                mcp_call_tool_error(c, "Error: the argument \"code\" (a string) is required");
                return false;
        }
        code = json_string_value(cv);
        size_t len = json_string_length(cv);
        if (!language_of(lang_arg, &f->language, &ext)) {
                mcp_call_tool_error(c, "Error: unsupported language \"%.64s\" (python, javascript or bash)", lang_arg);
                return false;
        }
        if (len > CODE_MAX || strlen(code) != len) {
                mcp_call_tool_error(c, "Error: the code must be at most %u bytes, without NUL characters", CODE_MAX);
                return false;
        }
        f->code = true;
        snprintf(f->subject, sizeof(f->subject), "code:%s", f->language);
        int r = mcp_code_hash(f->language, code, len, f->hash);
        if (r == 0)
                r = make_code_skill(c->ss->srv->tmp_dir, ext, code, len, &f->tmp, &f->dir);
        if (r < 0) {
                mcp_call_tool_error(c, "Error: cannot prepare the code for the sandbox: %s", strerror(-r));
                return false;
        }
        if (!(f->skill = strdup(CODE_SKILL_NAME))) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return false;
        }
        return true;
}

static void on_scan_code(struct mcp_call *c, const struct job_result *r) {
        struct flow *f = c->flow;
        struct mcp_session *ss = c->ss;
        const char *verdict = json_string_value(json_object_get(r->json, "verdict"));
        if (!verdict) {
                mcp_call_tool_error(c, "Error: the scan failed: %s", r->message);
                return;
        }
        int rank = mcp_verdict_rank(verdict);
        bool blocked = rank >= SEV_CRITICAL || rank < 0;
        bool confirm = !blocked && rank >= SEV_MEDIUM;
        char id[MCP_TOKEN_ID_LEN + 1] = "";
        if (confirm) {
                int k = mcp_tokens_issue(&ss->tokens, f->subject, f->hash, loop_now_ms(), ss->srv->scan_ttl_ms, id);
                if (k < 0) {
                        mcp_call_error(c, MCP_INTERNAL_ERROR, "cannot issue a scan_id: %s", strerror(-k));
                        return;
                }
        }
        _cleanup_free_ char *summary = mcp_scan_summary(r->json, SUMMARY_FINDINGS);
        _cleanup_free_ char *text = NULL;
        int k;
        if (!summary)
                k = -1;
        else if (!*summary)
                k = asprintf(&text, "No security issues found (verdict %s): execute_code runs it without asking.",
                             verdict);
        else if (blocked)
                k = asprintf(&text, "Verdict %s: execute_code refuses this code; no confirmation can override it.\n%s",
                             verdict, summary);
        else
                k = asprintf(&text,
                             "Verdict %s: running it at sandbox level 3 needs a person's approval.\n%s\n\nAfter the "
                             "user approves, call execute_code with the same language and code, \"confirmed\": true "
                             "and \"scan_id\": \"%s\" (works once, for %u seconds).",
                             verdict, summary, id, (unsigned) (ss->srv->scan_ttl_ms / 1000));
        if (k < 0) {
                mcp_call_error(c, MCP_INTERNAL_ERROR, "out of memory");
                return;
        }
        json_t *structured = json_pack("{s:s, s:O*, s:b, s:b, s:s}", "verdict", verdict, "findings",
                                       json_object_get(r->json, "findings"), "requires_confirmation", confirm,
                                       "blocked", blocked, "code_hash", f->hash);
        if (structured && confirm) {
                json_object_set_new(structured, "scan_id", json_string(id));
                json_object_set_new(structured, "expires_in_secs", json_integer((json_int_t) (ss->srv->scan_ttl_ms / 1000)));
        }
        mcp_call_reply(c, mcp_tool_result(version_of(c), text, false, structured));
}

void mcp_run_scan_code(struct mcp_call *c, const json_t *args) {
        struct flow *f = c->flow;
        if (!prepare_code(c, f, args))
                return;
        mcp_call_submit(c, "scan", json_pack("{s:s}", "path", f->dir), on_scan_code);
}

void mcp_run_execute_code(struct mcp_call *c, const json_t *args) {
        struct flow *f = c->flow;
        if (!prepare_code(c, f, args))
                return;
        gate_and_run(c);
}
