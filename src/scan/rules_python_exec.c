/* The Python analyser's process rules (rules_python_internal.h): programs and shell command
 * lines started from Python, judged by how constant they are and whether skilllite.exec
 * declares them; the arguments that change what a program does (sh -c, python -c, sudo,
 * crontab, chmod, rm, dd); command lines handed to the shell rules; dynamic code. */
#include "rules_python_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- processes ---- */

static bool word_in(const char *s, size_t n, const char *w) {
        size_t wl = strlen(w);
        for (size_t i = 0; i + wl <= n; i++) {
                if (memcmp(s + i, w, wl) != 0)
                        continue;
                bool lb = i == 0 || s[i - 1] == ' ' || s[i - 1] == '/' || s[i - 1] == '|' || s[i - 1] == ';' ||
                          s[i - 1] == '(' || s[i - 1] == '&' || s[i - 1] == '`' || s[i - 1] == '\'' || s[i - 1] == '"';
                bool rb = i + wl == n || s[i + wl] == ' ' || s[i + wl] == '\t' || s[i + wl] == ';' ||
                          s[i + wl] == '\'' || s[i + wl] == '"' || s[i + wl] == '/';
                if (lb && rb)
                        return true;
        }
        return false;
}

static const char *const NET_PROGRAMS[] = { "curl", "wget", "nc", "ncat", "netcat", "socat", "ssh", "scp",
                                            "sftp", "rsync", "ftp", "telnet", "/dev/tcp", "/dev/udp" };

static void note_shell_network(struct py *P, const char *s, size_t n) {
        for (size_t k = 0; k < ELEMENTSOF(NET_PROGRAMS); k++)
                if (word_in(s, n, NET_PROGRAMS[k]) || (NET_PROGRAMS[k][0] == '/' && memmem(s, n, NET_PROGRAMS[k], strlen(NET_PROGRAMS[k])))) {
                        py_cur_facts(P)->network = true;
                        return;
                }
}

/* The program of a command line: its first word when that is constant and plain. */
static bool first_word(struct pv cmd, const char **w, size_t *wl) {
        if (cmd.kind != PV_STR)
                return false;
        size_t i = 0;
        while (i < cmd.n && (cmd.u.s[i] == ' ' || cmd.u.s[i] == '\t'))
                i++;
        size_t j = i;
        while (j < cmd.n && cmd.u.s[j] != ' ' && cmd.u.s[j] != '\t' && cmd.u.s[j] != '\n') {
                char c = cmd.u.s[j];
                if (c == PY_HOLE || c == '$' || c == '`' || c == '(' || c == ';' || c == '|' || c == '&' ||
                    c == '<' || c == '>' || c == '"' || c == '\'' || c == '\\' || c == '=')
                        return false;
                j++;
        }
        if (j == i || (j == cmd.n && (cmd.fl & PVF_HOLES)))
                return false;
        *w = cmd.u.s + i;
        *wl = j - i;
        return true;
}

/* No shell syntax at all: the command is a program and plain words. */
static bool simple_command(struct pv cmd) {
        if (!py_is_const_str(cmd))
                return false;
        for (size_t i = 0; i < cmd.n; i++)
                if (strchr("|&;<>()$`\\\"'*?[#~=%!{}\n", cmd.u.s[i]))
                        return false;
        return true;
}

static void shell_text(struct py *P, const struct py_call *c, struct pv cmd) {
        if (cmd.kind == PV_STR && !P->report)
                py_would_report(P, c->tok);
        if (cmd.kind != PV_STR || !P->report || P->quiet)
                return;
        /* unknown parts become a shell variable, so the shell rules see "curl $X | sh"; parts that
         * are one of several constants become a plain word (no "may be empty" for rm -rf) */
        static const char VAR[] = "${SKILLLITE_DYN}";
        static const char WORD[] = "skilllite_const";
        const char *sub = (cmd.fl & PVF_ALTCONST) ? WORD : VAR;
        size_t sub_len = (cmd.fl & PVF_ALTCONST) ? sizeof(WORD) - 1 : sizeof(VAR) - 1;
        _cleanup_free_ char *buf = malloc(PY_STR_MAX * 2);
        if (!buf) {
                P->err = -ENOMEM;
                return;
        }
        size_t k = 0;
        for (size_t i = 0; i < cmd.n && k + sizeof(VAR) < PY_STR_MAX * 2; i++) {
                if (cmd.u.s[i] == PY_HOLE && (cmd.fl & PVF_HOLES)) {
                        memcpy(buf + k, sub, sub_len);
                        k += sub_len;
                } else
                        buf[k++] = cmd.u.s[i];
        }
        struct scan_pos at = P->at ? *P->at : scan_pos_of(P->toks, py_tk(P, c->tok));
        int r = scan_shell_command_text(P->ctx, buf, k, at.line, at.column, at.offset);
        if (r < 0)
                P->err = r;
}

static bool prog_is(const char *p, size_t n, const char *name) {
        for (size_t i = n; i > 0; i--)
                if (p[i - 1] == '/') {
                        p += i;
                        n -= i;
                        break;
                }
        return n == strlen(name) && memcmp(p, name, n) == 0;
}

static bool prog_is_python(const char *p, size_t n) {
        for (size_t i = n; i > 0; i--)
                if (p[i - 1] == '/') {
                        p += i;
                        n -= i;
                        break;
                }
        if (n >= 6 && memcmp(p, "python", 6) == 0) {
                for (size_t i = 6; i < n; i++)
                        if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
                                return false;
                return true;
        }
        return n == 2 && memcmp(p, "py", 2) == 0;
}

void py_judge_code(struct py *P, uint32_t tok, const char *rule, const char *who, struct pv v, uint8_t ev) {
        enum severity sev;
        const char *what;
        if (v.fl & PVF_NET) {
                sev = SEV_CRITICAL;
                what = "code downloaded from the network";
        } else if (v.fl & PVF_DECODED) {
                sev = SEV_CRITICAL;
                what = "code hidden behind a decoder (base64, zlib, hex, rot13, marshal...)";
        } else if (py_is_constish(v)) {
                sev = SEV_MEDIUM;
                what = "a constant string of code";
        } else {
                sev = SEV_HIGH;
                what = "code built at runtime";
        }
        if (ev != EV_NONE)
                sev = py_at_least(sev, SEV_HIGH);
        py_report(P, tok, rule, sev, "code_injection", "%s runs %s%s", who, what, PY_EV_TEXT[ev]);
        P->code_tok = tok;
        const struct pv *alt;
        size_t n_alt = py_alts(P, v, &alt);
        if (!n_alt)
                py_nested_code(P, v);
        for (size_t k = 0; k < n_alt; k++)
                py_nested_code(P, alt[k]);
}

/* Arguments of a program: shells with -c, interpreters with -c/-e, sudo and wrappers, and the
 * programs whose arguments decide what they do (crontab, systemctl, chmod, rm, dd). */
static void judge_argv(struct py *P, const struct py_call *c, const char *qname, const char *p, size_t pn,
                       const struct pv *argv, size_t argc, int depth) {
        uint32_t tok = c->tok;
        char who[160];
        py_callee_text(P, c, qname, who, sizeof(who));
        bool writer = prog_is(p, pn, "cp") || prog_is(p, pn, "mv") || prog_is(p, pn, "ln") || prog_is(p, pn, "install") ||
                      prog_is(p, pn, "tee") || prog_is(p, pn, "rsync") || prog_is(p, pn, "scp");
        for (size_t k = 0; k < argc; k++) {
                struct pv a = argv[k];
                if (a.kind != PV_STR)
                        continue;
                bool last = k + 1 == argc;
                if (writer && last)
                        (void) py_judge_path(P, tok, a, OP_WRITE, who);
                else if (!(a.n > 0 && a.u.s[0] == '-'))
                        (void) py_judge_path(P, tok, a, prog_is(p, pn, "rm") ? OP_REMOVE : OP_READ, who);
                else if (a.n > 2 && memchr(a.u.s, '=', a.n)) {
                        const char *eq = memchr(a.u.s, '=', a.n);
                        struct pv rest = py_str(P, eq + 1, a.n - (size_t) (eq + 1 - a.u.s), a.fl);
                        (void) py_judge_path(P, tok, rest, OP_READ, who);
                }
        }
        for (size_t k = 0; k < ELEMENTSOF(NET_PROGRAMS); k++)
                if (prog_is(p, pn, NET_PROGRAMS[k]))
                        py_cur_facts(P)->network = true;

        bool shell = prog_is(p, pn, "sh") || prog_is(p, pn, "bash") || prog_is(p, pn, "zsh") || prog_is(p, pn, "dash") ||
                     prog_is(p, pn, "ksh") || prog_is(p, pn, "ash") || prog_is(p, pn, "fish") || prog_is(p, pn, "busybox");
        bool interp = prog_is_python(p, pn) || prog_is(p, pn, "perl") || prog_is(p, pn, "ruby") ||
                      prog_is(p, pn, "node") || prog_is(p, pn, "php") || prog_is(p, pn, "nodejs");
        if (shell || interp) {
                for (size_t k = 0; k < argc; k++) {
                        struct pv a = argv[k];
                        if (py_str_eq(a, "sh") && prog_is(p, pn, "busybox"))
                                continue;
                        bool opt = a.kind == PV_STR && a.n >= 2 && a.u.s[0] == '-' && a.u.s[1] != '-';
                        char code_letter = shell ? 'c' : prog_is(p, pn, "php") ? 'r' : prog_is_python(p, pn) ? 'c' : 'e';
                        bool code_opt = opt && memchr(a.u.s, code_letter, a.n) != NULL;
                        if (code_opt && k + 1 < argc) {
                                if (shell) {
                                        struct py_exec_req sub = { .shell = true, .cmd = argv[k + 1], .rule = "py.process.shell" };
                                        py_judge_exec(P, c, qname, &sub, depth + 1);
                                } else
                                        py_judge_code(P, tok, "py.code.interpreter", who, argv[k + 1], c->callee.ev);
                                return;
                        }
                        if (opt || (a.kind == PV_STR && a.n >= 2 && a.u.s[0] == '-'))
                                continue;
                        if (a.kind == PV_STR && py_was_downloaded(P, a))
                                py_report(P, tok, "py.download_exec.fetch-and-run", SEV_CRITICAL, "download_exec",
                                          "%s runs a file this script downloaded", who);
                        return; /* a script file */
                }
                /* no command and no script: the program reads its code from stdin */
                const struct pv *in = py_arg(P, c->a, -1, "input");
                if (in && shell) {
                        struct py_exec_req sub = { .shell = true, .cmd = *in, .rule = "py.process.shell" };
                        py_judge_exec(P, c, qname, &sub, depth + 1);
                } else if (in)
                        py_judge_code(P, tok, "py.code.interpreter", who, *in, c->callee.ev);
                else if (shell)
                        py_report(P, tok, "py.process.interactive-shell", SEV_HIGH, "process",
                                  "%s starts an interactive shell: whoever holds its input controls the machine", who);
                return;
        }
        if (prog_is(p, pn, "sudo") || prog_is(p, pn, "doas") || prog_is(p, pn, "pkexec") || prog_is(p, pn, "su") ||
            prog_is(p, pn, "runuser")) {
                py_report(P, tok, "py.privilege.sudo", SEV_HIGH, "privilege", "%s runs `%.*s` to gain root privileges",
                          who, (int) (pn > 40 ? 40 : pn), p);
        }
        bool wrapper = prog_is(p, pn, "sudo") || prog_is(p, pn, "doas") || prog_is(p, pn, "pkexec") ||
                       prog_is(p, pn, "env") || prog_is(p, pn, "nohup") || prog_is(p, pn, "setsid") ||
                       prog_is(p, pn, "timeout") || prog_is(p, pn, "nice") || prog_is(p, pn, "stdbuf") ||
                       prog_is(p, pn, "xargs") || prog_is(p, pn, "exec") || prog_is(p, pn, "command") ||
                       prog_is(p, pn, "time") || prog_is(p, pn, "runuser");
        if (wrapper && depth < 3) {
                size_t k = 0;
                while (k < argc && argv[k].kind == PV_STR &&
                       ((argv[k].n > 0 && argv[k].u.s[0] == '-') || memchr(argv[k].u.s, '=', argv[k].n) ||
                        (prog_is(p, pn, "timeout") && argv[k].n > 0 && argv[k].u.s[0] >= '0' && argv[k].u.s[0] <= '9')))
                        k++;
                if (k < argc) {
                        struct py_exec_req sub = { .prog = argv[k], .argv = argv + k + 1, .argc = argc - k - 1,
                                                .rule = "py.process.exec" };
                        py_judge_exec(P, c, qname, &sub, depth + 1);
                }
                return;
        }
        if (prog_is(p, pn, "crontab")) {
                bool list_only = argc > 0;
                for (size_t k = 0; k < argc; k++)
                        if (!(py_str_eq(argv[k], "-l") || py_str_eq(argv[k], "-u") || (k > 0 && py_str_eq(argv[k - 1], "-u"))))
                                list_only = false;
                if (!list_only)
                        py_report(P, tok, "py.persistence.crontab", SEV_CRITICAL, "persistence",
                                  "%s installs a crontab: code that runs again later, outside this skill", who);
                return;
        }
        if (prog_is(p, pn, "systemctl") || prog_is(p, pn, "launchctl")) {
                for (size_t k = 0; k < argc; k++)
                        if (py_str_eq(argv[k], "enable") || py_str_eq(argv[k], "load") || py_str_eq(argv[k], "bootstrap"))
                                py_report(P, tok, "py.persistence.service", SEV_CRITICAL, "persistence",
                                          "%s registers a service that starts on its own", who);
                return;
        }
        if (prog_is(p, pn, "chmod")) {
                bool exec_bit = false;
                for (size_t k = 0; k < argc; k++) {
                        struct pv a = argv[k];
                        if (a.kind != PV_STR)
                                continue;
                        bool octal_suid = a.n == 4 && (a.u.s[0] == '2' || a.u.s[0] == '4' || a.u.s[0] == '6' || a.u.s[0] == '7') &&
                                          strspn(a.u.s, "01234567") >= 4;
                        if (octal_suid || (memchr(a.u.s, '+', a.n) && memchr(a.u.s, 's', a.n) && a.n <= 5))
                                py_report(P, tok, "py.privilege.setuid", SEV_CRITICAL, "privilege",
                                          "%s sets the setuid/setgid bit", who);
                        if (memchr(a.u.s, 'x', a.n) || (a.n >= 3 && strspn(a.u.s, "01234567") == a.n && (a.u.s[a.n - 3] & 1)))
                                exec_bit = true;
                        if (exec_bit && py_was_downloaded(P, a))
                                py_report(P, tok, "py.download_exec.fetch-and-run", SEV_CRITICAL, "download_exec",
                                          "%s makes a file this script downloaded executable", who);
                }
                return;
        }
        if (prog_is(p, pn, "setcap")) {
                py_report(P, tok, "py.privilege.setcap", SEV_CRITICAL, "privilege", "%s grants file capabilities", who);
                return;
        }
        if (prog_is(p, pn, "rm")) {
                bool rec = false;
                for (size_t k = 0; k < argc; k++)
                        if (argv[k].kind == PV_STR && argv[k].n > 1 && argv[k].u.s[0] == '-' &&
                            (memchr(argv[k].u.s, 'r', argv[k].n) || memchr(argv[k].u.s, 'R', argv[k].n)))
                                rec = true;
                for (size_t k = 0; rec && k < argc; k++)
                        if (argv[k].kind == PV_STR && py_is_home_or_root(argv[k]))
                                py_report(P, tok, "py.destructive.rm", SEV_CRITICAL, "destructive",
                                          "%s deletes the home directory or a system directory recursively", who);
                return;
        }
        if ((pn >= 4 && memcmp(p, "mkfs", 4) == 0) || prog_is(p, pn, "wipefs") || prog_is(p, pn, "dd") ||
            prog_is(p, pn, "shred")) {
                for (size_t k = 0; k < argc; k++)
                        if (argv[k].kind == PV_STR && memmem(argv[k].u.s, argv[k].n, "/dev/", 5) &&
                            !memmem(argv[k].u.s, argv[k].n, "/dev/null", 9) && !memmem(argv[k].u.s, argv[k].n, "/dev/zero", 9) &&
                            !memmem(argv[k].u.s, argv[k].n, "/dev/urandom", 12) && !(prog_is(p, pn, "dd") && argv[k].u.s[0] == 'i'))
                                py_report(P, tok, "py.destructive.disk", SEV_CRITICAL, "destructive",
                                          "%s overwrites a disk device", who);
                return;
        }
}

void py_judge_exec(struct py *P, const struct py_call *c, const char *qname, struct py_exec_req *x, int depth) {
        char who[160];
        py_callee_text(P, c, qname, who, sizeof(who));
        uint8_t ev = c->callee.ev;
        enum severity sev;
        char desc[160];
        const char *rule = x->rule;
        const char *cat = "process";
        if (x->shell) {
                struct pv cmd = x->cmd;
                const char *w;
                size_t wl;
                bool prog = first_word(cmd, &w, &wl);
                bool declared = prog && scan_perm_exec(P->ctx->perms, w, wl);
                if (cmd.kind == PV_STR)
                        note_shell_network(P, cmd.u.s, cmd.n);
                if (cmd.fl & PVF_NET) {
                        sev = SEV_CRITICAL;
                        rule = "py.download_exec.run-fetched";
                        cat = "download_exec";
                        snprintf(desc, sizeof(desc), "a shell command received from the network");
                } else if (cmd.fl & PVF_DECODED) {
                        sev = SEV_CRITICAL;
                        rule = "py.obfuscation.decoded-command";
                        cat = "obfuscation";
                        snprintf(desc, sizeof(desc), "a shell command hidden behind a decoder");
                } else if (py_is_const_str(cmd)) {
                        sev = declared && simple_command(cmd) ? SEV_SAFE : SEV_MEDIUM;
                        char q[96];
                        py_quote(q, sizeof(q), cmd.u.s, cmd.n);
                        snprintf(desc, sizeof(desc), "the shell command `%s`%s", q,
                                 sev == SEV_SAFE ? " (its program is declared in skilllite.exec)" : "");
                } else if (py_is_constish(cmd)) {
                        sev = SEV_MEDIUM;
                        char q[96];
                        py_quote(q, sizeof(q), cmd.u.s, cmd.n);
                        snprintf(desc, sizeof(desc), "one of several constant shell commands (`%s`)", q);
                } else if (cmd.kind == PV_STR && prog) {
                        sev = declared ? SEV_MEDIUM : SEV_HIGH;
                        char q[96];
                        py_quote(q, sizeof(q), cmd.u.s, cmd.n);
                        snprintf(desc, sizeof(desc), "a shell command built at runtime (`%s`)", q);
                } else {
                        sev = SEV_HIGH;
                        snprintf(desc, sizeof(desc), "a shell command chosen at runtime");
                }
                if (ev != EV_NONE)
                        sev = py_at_least(sev, SEV_HIGH);
                py_report(P, c->tok, rule, sev, cat, "%s runs %s%s", who, desc, PY_EV_TEXT[ev]);
                const struct pv *alt;
                size_t n_alt = py_alts(P, cmd, &alt);
                if (!n_alt) {
                        shell_text(P, c, cmd);
                        return;
                }
                /* one of several constants: each of them goes through the shell rules */
                for (size_t k = 0; k < n_alt; k++) {
                        note_shell_network(P, alt[k].u.s, alt[k].n);
                        shell_text(P, c, alt[k]);
                }
                return;
        }
        struct pv pr = x->prog;
        bool cprog = py_is_const_str(pr) && pr.n > 0;
        if (pr.fl & PVF_NET) {
                sev = SEV_CRITICAL;
                rule = "py.download_exec.run-fetched";
                cat = "download_exec";
                snprintf(desc, sizeof(desc), "a program named by data from the network");
        } else if (pr.fl & PVF_DECODED) {
                sev = SEV_CRITICAL;
                rule = "py.obfuscation.decoded-command";
                cat = "obfuscation";
                snprintf(desc, sizeof(desc), "a program whose name is hidden behind a decoder");
        } else if (cprog) {
                bool declared = scan_perm_exec(P->ctx->perms, pr.u.s, pr.n);
                sev = declared ? SEV_SAFE : SEV_MEDIUM;
                char q[64];
                py_quote(q, sizeof(q), pr.u.s, pr.n);
                snprintf(desc, sizeof(desc), "`%s`%s", q,
                         declared ? " (declared in skilllite.exec)" : " (not declared in skilllite.exec)");
        } else if (py_is_constish(pr) && pr.n > 0) {
                sev = SEV_MEDIUM;
                char q[64];
                py_quote(q, sizeof(q), pr.u.s, pr.n);
                snprintf(desc, sizeof(desc), "one of several constant programs (`%s`)", q);
        } else {
                sev = SEV_HIGH;
                snprintf(desc, sizeof(desc), "a program chosen at runtime");
        }
        if (ev != EV_NONE)
                sev = py_at_least(sev, SEV_HIGH);
        if (cprog && py_was_downloaded(P, pr)) {
                sev = SEV_CRITICAL;
                rule = "py.download_exec.fetch-and-run";
                cat = "download_exec";
                snprintf(desc, sizeof(desc), "a file this script downloaded");
        }
        const struct pv *alt;
        size_t n_alt = cprog ? 0 : py_alts(P, pr, &alt);
        for (size_t k = 0; k < n_alt; k++)
                if (py_was_downloaded(P, alt[k])) {
                        sev = SEV_CRITICAL;
                        rule = "py.download_exec.fetch-and-run";
                        cat = "download_exec";
                        snprintf(desc, sizeof(desc), "a file this script downloaded");
                }
        py_report(P, c->tok, rule, sev, cat, "%s runs %s%s", who, desc, PY_EV_TEXT[ev]);
        if (cprog && depth < 4)
                judge_argv(P, c, qname, pr.u.s, pr.n, x->argv, x->argc, depth);
        for (size_t k = 0; k < n_alt && depth < 4; k++)
                judge_argv(P, c, qname, alt[k].u.s, alt[k].n, x->argv, x->argc, depth);
}

/* A command given as a list (argv) or a string (program and arguments split on blanks). */
void py_exec_from_value(struct py *P, const struct py_call *c, const char *qname, struct pv v, const char *rule) {
        struct py_exec_req x = { .rule = rule };
        if (v.kind == PV_LIST && v.n > 0) {
                x.prog = v.u.items[0];
                x.argv = v.u.items + 1;
                x.argc = v.n - 1;
        } else if (v.kind == PV_STR) {
                const char *w;
                size_t wl;
                if (first_word(v, &w, &wl)) {
                        x.prog = py_str(P, w, wl, v.fl & PVF_TAINTS);
                } else if (py_is_constish(v))
                        x.prog = v; /* one of several constant command lines */
                else
                        x.prog = pv_unknown(py_taints(v));
                x.prog.fl |= py_taints(v);
        } else
                x.prog = pv_unknown(py_taints(v));
        py_judge_exec(P, c, qname, &x, 0);
}

void py_h_subprocess(struct py *P, const struct py_call *c, const char *qname, const struct py_handler *h) {
        const struct pv *cmd = py_arg(P, c->a, h->a, h->kw);
        static const char *const STDIO[] = { "stdin", "stdout", "stderr" };
        for (size_t k = 0; k < ELEMENTSOF(STDIO); k++) {
                const struct pv *io = py_arg(P, c->a, -1, STDIO[k]);
                if (io && io->kind == PV_REF && py_ref_has_prefix(P, io->u.id, "@sock")) {
                        char who[160];
                        py_callee_text(P, c, qname, who, sizeof(who));
                        py_cur_facts(P)->network = true;
                        py_report(P, c->tok, "py.download_exec.reverse-shell", SEV_CRITICAL, "download_exec",
                                  "%s connects a program's %s to a network socket: a reverse shell", who, STDIO[k]);
                        break;
                }
        }
        const struct pv *input = py_arg(P, c->a, -1, "input");
        /* the environment as arguments or input of a program leaves the process (env= does not) */
        if (cmd)
                py_env_sink(P, c->tok, *cmd, "passed to a program");
        if (input)
                py_env_sink(P, c->tok, *input, "passed to a program");
        const struct pv *sh = py_kwarg(c->a, P->kw[KW_SHELL]);
        const struct pv *exe = py_kwarg(c->a, P->kw[KW_EXECUTABLE]);
        struct pv v = cmd ? *cmd : pv_unknown(0);
        if (sh && py_truthy(*sh)) {
                struct py_exec_req x = { .shell = true, .rule = "py.process.shell" };
                x.cmd = v.kind == PV_LIST && v.n > 0 ? v.u.items[0] : v;
                if (v.kind == PV_LIST && v.n == 0)
                        x.cmd = pv_unknown(v.fl);
                if (exe && py_is_const_str(*exe) && !prog_is(exe->u.s, exe->n, "sh") && !prog_is(exe->u.s, exe->n, "bash")) {
                        struct py_exec_req y = { .prog = *exe, .rule = "py.process.exec" };
                        py_judge_exec(P, c, qname, &y, 0);
                }
                py_judge_exec(P, c, qname, &x, 0);
                return;
        }
        if (exe) {
                struct py_exec_req x = { .prog = *exe, .rule = "py.process.exec" };
                if (v.kind == PV_LIST && v.n > 0) {
                        x.argv = v.u.items + 1;
                        x.argc = v.n - 1;
                }
                py_judge_exec(P, c, qname, &x, 0);
                return;
        }
        py_exec_from_value(P, c, qname, v, "py.process.exec");
}

