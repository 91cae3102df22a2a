/* Level 3 before a run: scan the whole skill (cached by its hash), refuse `critical`, and ask a
 * human about `medium`/`high`. The human channel is the terminal (/dev/tty, not stdin, which may
 * carry the skill's input), or --yes / SKILLLITE_AUTO_APPROVE=1 given by the person running the
 * command. An approval is remembered for that exact skill hash: any change asks again. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/json.h"
#include "../base/log.h"
#include "../scan/scan_gate.h"
#include "../skill/integrity.h"
#include "../skill/state_db.h"
#include "admit.h"
#include "run_opts.h"

/* Ask on the controlling terminal. 1 approved, 0 declined, -ENXIO when there is no terminal
 * (a pipeline, a service, CI): then nobody can be asked. */
static int ask_terminal(const struct cli_run *c, const struct scan_gate *g) {
        FILE *tty = cli_tty_open();
        if (!tty)
                return -ENXIO;
        fprintf(tty, "skilllite: the scan of skill '");
        cli_fputs_safe(tty, c->skill->name, false);
        fprintf(tty, "' found:\n");
        cli_print_scan_report(tty, g->report, SEV_MEDIUM);
        return cli_tty_ask(tty, "Run it anyway (it stays sandboxed)?");
}

/* Refusal: the report goes to stderr (text) or into the --json envelope. */
static int refuse(const struct cli_run *c, const struct scan_gate *g, const char *reason,
                  const char *message) {
        if (c->json) {
                _cleanup_json_ json_t *env = json_pack("{s:b, s:i, s:s, s:s, s:O, s:s}", "ok", 0, "exit_code",
                                                       EXIT_REFUSED, "reason", reason, "error", message,
                                                       "scan", g->report, "skill_hash", g->skill_hash);
                if (!env)
                        return cli_fail(EXIT_FAILED, "out of memory");
                int pr = cli_print_json(env);
                return pr ? pr : EXIT_REFUSED;
        }
        fputs("skilllite: scan of skill '", stderr);
        cli_fputs_safe(stderr, c->skill->name, false);
        fputs("':\n", stderr);
        cli_print_scan_report(stderr, g->report, SEV_MEDIUM);
        return cli_fail(EXIT_REFUSED, "%s", message);
}

static json_t *summary(const struct scan_gate *g, json_t *approval) {
        return json_pack("{s:b, s:b, s:s, s:s, s:I, s:o}", "performed", 1, "cached", g->cached,
                         "verdict", severity_to_string(g->verdict), "skill_hash", g->skill_hash,
                         "findings", (json_int_t) json_array_size(json_object_get(g->report, "findings")),
                         "approval", approval ? approval : json_null());
}

int cli_run_scan_gate(struct cli_run *c) {
        if (!c->plan || c->plan->level < 3)
                return -1;
        _cleanup_(scan_gate_done) struct scan_gate g = { 0 };
        struct error err = ERROR_INIT;
        int r = scan_gate_run(c->skill, &g, &err);
        if (r < 0)
                /* Fail closed: level 3 promises a scan; a skill that cannot be scanned (too large,
                 * unreadable) does not run at that level. */
                return cli_fail(r == -ENOMEM ? EXIT_FAILED : EXIT_REFUSED,
                                "level 3: the skill could not be scanned: %s (use --sandbox-level 2 "
                                "to run it sandboxed without a scan)", err.msg);
        log_info("level 3: scan verdict %s for skill hash %.16s...%s", severity_to_string(g.verdict),
                 g.skill_hash, g.cached ? " (cached)" : "");
        if (g.verdict >= SEV_CRITICAL)
                return refuse(c, &g, "scan_critical",
                              "level 3: refused: the scan found critical problems (see above); "
                              "this is not something a confirmation can override");
        if (g.verdict < SEV_MEDIUM) {
                c->scan = summary(&g, NULL);
                return c->scan ? -1 : cli_fail(EXIT_FAILED, "out of memory");
        }

        /* medium / high: an earlier approval of exactly this skill, or a human now */
        _cleanup_state_db_ struct state_db *db = NULL;
        struct error dberr = ERROR_INIT;
        if (state_db_open(true, &db, &dberr) < 0)
                cli_warn("%s (approvals cannot be remembered)", dberr.msg);
        struct approval prev;
        if (db && state_db_approval_get(db, g.skill_hash, &prev, &dberr) == 1) {
                c->scan = summary(&g, json_pack("{s:s, s:s, s:I, s:b}", "channel", prev.channel,
                                                "verdict", prev.verdict, "approved_at",
                                                (json_int_t) prev.approved_at, "remembered", 1));
                return c->scan ? -1 : cli_fail(EXIT_FAILED, "out of memory");
        }
        if (c->approve_hash && !streq(c->approve_hash, g.skill_hash))
                return refuse(c, &g, "approval_mismatch",
                              "level 3: the skill changed after it was approved (its hash is not the "
                              "approved one); it was not run");
        const char *channel = c->yes || c->approve_hash ? "flag" : cli_env_auto_approve() ? "env" : NULL;
        if (!channel) {
                r = ask_terminal(c, &g);
                if (r == -ENXIO)
                        return refuse(c, &g, "confirmation_required",
                                      "level 3: this skill needs confirmation (findings above) and "
                                      "there is no terminal to ask: pass --yes or set "
                                      "SKILLLITE_AUTO_APPROVE=1 to approve it");
                if (r <= 0)
                        return refuse(c, &g, "declined", "level 3: not approved; the skill was not run");
                channel = "tty";
        }
        if (db && state_db_approval_put(db, g.skill_hash, c->skill->name,
                                        severity_to_string(g.verdict), channel, &dberr) < 0)
                cli_warn("%s (the approval is not remembered)", dberr.msg);
        c->scan = summary(&g, json_pack("{s:s, s:s, s:b}", "channel", channel, "verdict",
                                        severity_to_string(g.verdict), "remembered", 0));
        return c->scan ? -1 : cli_fail(EXIT_FAILED, "out of memory");
}

/* ---- integrity (every level) ------------------------------------------------------------ */

static int integrity_refuse(struct cli_run *c, const char *reason, json_t *changes, const char *fmt, ...)
        _printf_(4, 5);
static int integrity_refuse(struct cli_run *c, const char *reason, json_t *changes, const char *fmt, ...) {
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (c->json) {
                _cleanup_json_ json_t *env = json_pack("{s:b, s:i, s:s, s:s, s:{s:s, s:O*}}", "ok", 0, "exit_code",
                                                       EXIT_REFUSED, "reason", reason, "error", msg, "integrity",
                                                       "status", reason, "changes", changes);
                if (!env)
                        return cli_fail(EXIT_FAILED, "out of memory");
                int pr = cli_print_json(env);
                return pr ? pr : EXIT_REFUSED;
        }
        size_t i;
        json_t *ch;
        json_array_foreach(changes, i, ch) {
                fprintf(stderr, "  %-8s ", json_string_value(json_object_get(ch, "change")));
                cli_fputs_safe(stderr, json_string_value(json_object_get(ch, "path")), false);
                fputc('\n', stderr);
        }
        return cli_fail(EXIT_REFUSED, "%s", msg);
}

int cli_run_integrity(struct cli_run *c) {
        /* No state DB yet: nothing was ever installed through `add`, so nothing is recorded. */
        _cleanup_state_db_ struct state_db *db = NULL;
        struct error err = ERROR_INIT;
        int r = state_db_open(false, &db, &err);
        if (r == -ENOENT) {
                c->integrity = json_pack("{s:s}", "status", "unrecorded");
                return c->integrity ? -1 : cli_fail(EXIT_FAILED, "out of memory");
        }
        if (r < 0)
                return integrity_refuse(c, "integrity_error", NULL, "integrity cannot be checked: %s", err.msg);
        /* cli_run_load() took the skills directory's shared lock: the skill cannot be swapped
         * or removed between loading, this check and the sandbox's copy of it. */
        struct integrity_result res = { 0 };
        r = integrity_verify_dir(db, c->skill->dir, &res, &err);
        if (r == -ENOENT) {
                integrity_result_done(&res);
                /* removed since it was loaded (a concurrent `remove`) */
                return cli_fail(EXIT_USAGE, "skill directory '%s' no longer exists", c->skill->dir);
        }
        if (r < 0) {
                integrity_result_done(&res);
                return integrity_refuse(c, "integrity_error", NULL, "integrity of '%s' cannot be checked: %s",
                                        c->skill->name, err.msg);
        }
        int code = -1;
        switch (res.status) {
        case INTEGRITY_OK:
        case INTEGRITY_NOT_INSTALLED:
                c->integrity = json_pack("{s:s, s:s}", "status", res.status == INTEGRITY_OK ? "verified" : "unrecorded",
                                         "tree_hash", res.tree_hash);
                if (!c->integrity)
                        code = cli_fail(EXIT_FAILED, "out of memory");
                break;
        case INTEGRITY_CHANGED:
                code = integrity_refuse(c, "integrity_changed", res.changes,
                                        "refused: installed skill '%s' changed since it was approved (files above); "
                                        "`skilllite approve %s` re-scans and re-approves it",
                                        c->skill->name, c->skill->name);
                break;
        case INTEGRITY_BAD_RECORD:
                code = integrity_refuse(c, "integrity_bad_record", NULL,
                                        "refused: the integrity record of '%s' was modified without the key; "
                                        "`skilllite approve %s` re-scans and records it again",
                                        c->skill->name, c->skill->name);
                break;
        }
        integrity_result_done(&res);
        return code;
}
