/* Shell analyser: the remaining rules and the pass over a unit's commands in source order.
 * Ordinary commands (wc, sort, jq, git log) are never reported: only secrets and environment
 * dumps, persistence, privilege and destruction, and what redirections write. */
#include "rules_shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* Where a command that read a secret puts it: tar -f / zip archives, cp / mv destinations. */
static void track_secret_copy(struct chk *k) {
        const struct sh_argv *av = k->av;
        size_t a0 = k->ci.name + 1;
        const char *b = k->ci.base;
        if (strcmp(b, "tar") == 0) {
                for (size_t i = a0; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (sh_arg_is(a, "--file") && i + 1 < av->n) {
                                sh_file_add(k, av->v[i + 1].s, av->v[i + 1].n, SHT_SECRET, b);
                                return;
                        }
                        if (a->n > 7 && memcmp(a->s, "--file=", 7) == 0) {
                                sh_file_add(k, a->s + 7, a->n - 7, SHT_SECRET, b);
                                return;
                        }
                        bool cluster = (i == a0 || (a->n >= 2 && a->s[0] == '-')) && a->n < 8 &&
                                       a->s[a->n > 1 && a->s[0] == '-' ? 1 : 0] != '-';
                        const char *f = cluster ? memchr(a->s, 'f', a->n) : NULL;
                        if (f && f + 1 == a->s + a->n && i + 1 < av->n) {
                                sh_file_add(k, av->v[i + 1].s, av->v[i + 1].n, SHT_SECRET, b);
                                return;
                        }
                }
                return;
        }
        if (strcmp(b, "zip") == 0 || strcmp(b, "7z") == 0 || strcmp(b, "7za") == 0) {
                size_t op = sh_first_operand(k, "", NULL);
                if (op < av->n && (strcmp(b, "zip") == 0 || (op + 1 < av->n && (op = op + 1))))
                        sh_file_add(k, av->v[op].s, av->v[op].n, SHT_SECRET, b);
                return;
        }
        if ((k->ci.tool == TL_CP || k->ci.tool == TL_MV || k->ci.tool == TL_INSTALL) && av->n >= a0 + 2)
                sh_file_add(k, av->v[av->n - 1].s, av->v[av->n - 1].n, SHT_SECRET, b);
}

static int check_secret_reads(struct chk *k) {
        struct scan_path_hit hit = { 0 };
        const struct sh_arg *a = sh_secret_arg(k, &hit);
        if (a && sh_proc_environ(a))
                return sh_rep(k, a->tok, "sh.env_harvest.dump", SEV_HIGH, "env_harvest", true,
                              "%s reads %s, the whole environment of a process", k->ci.base, DISP(a));
        if (a) {
                bool local = sh_local_dotenv(a, &hit);
                track_secret_copy(k);
                /* the skill's own .env next to it is read by honest scripts that also call their
                 * API; only sending it somewhere (the upload rules) makes it worse */
                return sh_rep(k, a->tok, "sh.sensitive_file.read", local ? SEV_MEDIUM : SEV_HIGH,
                              "sensitive_file", !local, "%s reads %s (%s)", k->ci.base, DISP(a), hit.what);
        }
        enum sh_tool t = k->ci.tool;
        if (t == TL_PROBE || t == TL_TEST || t == TL_FIND) {
                for (size_t i = k->ci.name + 1; i < k->av->n; i++)
                        if (sh_classify(&k->av->v[i], &hit) == SCAN_PATH_SECRET)
                                return sh_rep(k, k->av->v[i].tok, "sh.sensitive_file.probe", SEV_LOW,
                                              "sensitive_file", false, "%s looks for %s (%s)", k->ci.base,
                                              DISP(&k->av->v[i]), hit.what);
        }
        if (sh_reads_files(t) && t != TL_SOURCE && t != TL_TEE && t != TL_CP && t != TL_MV && t != TL_LN &&
            t != TL_INSTALL && t != TL_SED) {
                for (size_t i = k->ci.name + 1; i < k->av->n; i++)
                        if (sh_classify(&k->av->v[i], &hit) == SCAN_PATH_PERSIST)
                                return sh_rep(k, k->av->v[i].tok, "sh.persistence.read", SEV_LOW,
                                              "persistence", false, "%s reads %s (%s)", k->ci.base,
                                              DISP(&k->av->v[i]), hit.what);
        }
        if (t == TL_SECURITY) {
                for (size_t i = k->ci.name + 1; i < k->av->n; i++) {
                        const struct sh_arg *x = &k->av->v[i];
                        if (sh_arg_has(x, "find-generic-password") ||
                            sh_arg_has(x, "find-internet-password") || sh_arg_has(x, "dump-keychain") ||
                            sh_arg_is(x, "export"))
                                return sh_rep(k, k->tok, "sh.sensitive_file.keychain", SEV_HIGH,
                                              "sensitive_file", true, "security %s reads the macOS keychain",
                                              DISP(x));
                }
        }
        return 0;
}

static int persist_write(struct chk *k, const struct sh_arg *a, const char *how) {
        struct scan_path_hit hit;
        if (sh_classify(a, &hit) != SCAN_PATH_PERSIST)
                return 0;
        return sh_rep(k, a->tok, "sh.persistence.write", SEV_CRITICAL, "persistence", false,
                      "%s writes to %s (%s): it runs again at every start", how, DISP(a), hit.what);
}

/* A chmod mode that adds execute permission: +x, u+x, a=rwx, 755, 0700. */
static bool adds_exec(const struct sh_arg *a) {
        if (a->n >= 3 && strspn(a->s, "01234567") == a->n) {
                for (size_t i = a->n - 3; i < a->n; i++)
                        if ((a->s[i] - '0') & 1)
                                return true;
                return false;
        }
        bool op = false;
        for (size_t i = 0; i < a->n; i++) {
                if (a->s[i] == '+' || a->s[i] == '=')
                        op = true;
                else if (a->s[i] == '-' || a->s[i] == ',')
                        op = false;
                else if (op && a->s[i] == 'x')
                        return true;
        }
        return false;
}

static int check_persistence(struct chk *k) {
        const struct sh_argv *av = k->av;
        const char *b = k->ci.base;
        size_t a0 = k->ci.name + 1;
        int r;
        struct optit it;
        switch (k->ci.tool) {
        case TL_TEE:
                for (size_t i = a0; i < av->n; i++)
                        if (av->v[i].n && av->v[i].s[0] != '-' &&
                            (r = persist_write(k, &av->v[i], "tee")) < 0)
                                return r;
                return 0;
        case TL_CP:
        case TL_MV:
        case TL_INSTALL:
        case TL_LN:
        case TL_RSYNC:
        case TL_SCP: {
                /* the destination: -t DIR, else the last operand */
                const struct sh_arg *target = NULL, *last = NULL;
                sh_optit_init(&it, av, a0, k->ci.tool == TL_INSTALL ? "tmogS" : "tS", NULL);
                while (sh_optit_next(&it)) {
                        if (it.opt == 't' && it.val)
                                target = &av->v[it.arg];
                        else if (!it.opt)
                                last = &av->v[it.arg];
                }
                if (!target)
                        target = last;
                return target ? persist_write(k, target, b) : 0;
        }
        case TL_SED: {
                bool inplace = false;
                size_t ops[SH_ARGV_MAX], nops = 0;
                bool script_given = false;
                sh_optit_init(&it, av, a0, "ef", NULL);
                while (sh_optit_next(&it)) {
                        if (it.opt == 'i' || sh_long_is(&it, "in-place"))
                                inplace = true;
                        else if (it.opt == 'e' || it.opt == 'f' || sh_long_is(&it, "expression"))
                                script_given = true;
                        else if (!it.opt && nops < ELEMENTSOF(ops))
                                ops[nops++] = it.arg;
                }
                if (!inplace)
                        return 0;
                for (size_t i = script_given ? 0 : 1; i < nops; i++)
                        if ((r = persist_write(k, &av->v[ops[i]], "sed -i")) < 0)
                                return r;
                return 0;
        }
        case TL_DD:
                for (size_t i = a0; i < av->n; i++)
                        if (av->v[i].n > 3 && memcmp(av->v[i].s, "of=", 3) == 0) {
                                struct sh_arg o = av->v[i];
                                o.s += 3, o.n -= 3;
                                o.pkind = -1;
                                if ((r = persist_write(k, &o, "dd")) < 0)
                                        return r;
                        }
                return 0;
        case TL_CRONTAB: {
                bool list = false, other = false, edit = false;
                sh_optit_init(&it, av, a0, "u", NULL);
                while (sh_optit_next(&it)) {
                        if (it.opt == 'l')
                                list = true;
                        else if (it.opt == 'r' || it.opt == 'e')
                                edit = true;
                        else if (!it.opt || it.opt == 'u')
                                other = other || !it.opt;
                }
                bool stdin_dash = false;
                for (size_t i = a0; i < av->n; i++)
                        stdin_dash |= sh_arg_is(&av->v[i], "-");
                if (other || stdin_dash || (!list && !edit && k->feeder >= 0))
                        return sh_rep(k, k->tok, "sh.persistence.crontab", SEV_CRITICAL, "persistence", false,
                                      "crontab installs a cron job: it runs again on a schedule");
                if (list)
                        return sh_rep(k, k->tok, "sh.persistence.read", SEV_LOW, "persistence", false,
                                      "crontab -l reads the user's cron jobs");
                return 0;
        }
        case TL_SYSTEMCTL:
        case TL_LAUNCHCTL:
        case TL_RCSERVICE: {
                static const char *const ON[] = {
                        "enable",    "reenable", "link",     "preset", "add-wants", "add-requires", "load",
                        "bootstrap", "submit",   "defaults", "on",     "add",       "--add",        NULL
                };
                for (size_t i = a0; i < av->n; i++)
                        if (sh_in_list(av->v[i].s, av->v[i].n, ON))
                                return sh_rep(k, k->tok, "sh.persistence.service", SEV_CRITICAL,
                                              "persistence", false,
                                              "%s %s installs a service that starts by itself", b,
                                              DISP(&av->v[i]));
                return 0;
        }
        case TL_AT:
                return sh_rep(k, k->tok, "sh.persistence.schedule", SEV_MEDIUM, "persistence", false,
                              "%s schedules a command to run later", b);
        case TL_LOGINCTL:
                for (size_t i = a0; i < av->n; i++)
                        if (sh_arg_is(&av->v[i], "enable-linger"))
                                return sh_rep(
                                        k, k->tok, "sh.persistence.linger", SEV_HIGH, "persistence", false,
                                        "loginctl enable-linger keeps user services running without a login");
                return 0;
        case TL_CHMOD: {
                /* making a start-up file executable; chmod 600 on it is housekeeping */
                size_t op = sh_first_operand(k, "", NULL);
                if (op >= av->n || !adds_exec(&av->v[op]))
                        return 0;
                for (size_t i = op + 1; i < av->n; i++)
                        if ((r = persist_write(k, &av->v[i], "chmod +x")) < 0)
                                return r;
                return 0;
        }
        default: return 0;
        }
}

/* chmod modes that set the set-user-ID or set-group-ID bit: +s, u+s, g=s, 4755, 2755, 6755. */
static bool setuid_mode(const struct sh_arg *a) {
        if (a->n >= 4 && strspn(a->s, "01234567") == a->n) {
                char lead = a->s[a->n - 4];
                return ((lead - '0') & 6) != 0;
        }
        const char *op = NULL;
        for (size_t i = 0; i < a->n; i++) {
                if (a->s[i] == '+' || a->s[i] == '=')
                        op = a->s + i;
                else if (a->s[i] == '-' || a->s[i] == ',')
                        op = NULL;
                else if (op && a->s[i] == 's')
                        return true;
        }
        return false;
}

static bool root_owner(const struct sh_arg *a) {
        size_t n = a->n;
        const char *colon = memchr(a->s, ':', n);
        if (colon)
                n = (size_t) (colon - a->s);
        return (n == 4 && memcmp(a->s, "root", 4) == 0) || (n == 1 && a->s[0] == '0');
}

static int check_privilege(struct chk *k) {
        const struct sh_argv *av = k->av;
        int r;
        size_t a0 = k->ci.name + 1;
        if (k->ci.wrap & SHW_SUDO) {
                const struct sh_arg *w = &av->v[k->ci.wrap_arg];
                if ((r = sh_rep(k, w->tok, "sh.privilege.sudo", SEV_HIGH, "privilege", false,
                                "%s runs %s as another user (root)", DISP(w),
                                k->ci.name_known ? k->ci.base : "a command")) < 0)
                        return r;
        }
        switch (k->ci.tool) {
        case TL_SU:
                if ((r = sh_rep(k, k->tok, "sh.privilege.su", SEV_HIGH, "privilege", false,
                                "su switches to another user (root)")) < 0)
                        return r;
                for (size_t i = a0; i + 1 < av->n; i++)
                        if (sh_arg_is(&av->v[i], "-c") || sh_arg_is(&av->v[i], "--command"))
                                return sh_check_inline(k, &av->v[i + 1], true);
                return 0;
        case TL_CHMOD:
                for (size_t i = a0; i < av->n; i++)
                        if (setuid_mode(&av->v[i]))
                                return sh_rep(
                                        k, av->v[i].tok, "sh.privilege.setuid", SEV_CRITICAL, "privilege",
                                        false,
                                        "chmod %s sets the set-user-ID / set-group-ID bit: a root backdoor",
                                        DISP(&av->v[i]));
                return 0;
        case TL_SETCAP:
                return sh_rep(k, k->tok, "sh.privilege.setcap", SEV_CRITICAL, "privilege", false,
                              "setcap gives a program kernel capabilities");
        case TL_CHOWN:
        case TL_CHGRP: {
                size_t op = sh_first_operand(k, "", NULL);
                if (op < av->n && root_owner(&av->v[op]))
                        return sh_rep(k, av->v[op].tok, "sh.privilege.chown-root",
                                      k->ci.tool == TL_CHOWN ? SEV_CRITICAL : SEV_HIGH, "privilege", false,
                                      "%s hands files to root", k->ci.base);
                return 0;
        }
        case TL_USERMOD: {
                static const char *const GROUPS[] = {
                        "sudo", "wheel", "admin", "root", "docker", "lxd", NULL
                };
                for (size_t i = a0; i < av->n; i++) {
                        const struct sh_arg *g = &av->v[i];
                        for (size_t s = 0; s < g->n;) {
                                size_t e = s;
                                while (e < g->n && g->s[e] != ',')
                                        e++;
                                if (sh_in_list(g->s + s, e - s, GROUPS))
                                        return sh_rep(k, g->tok, "sh.privilege.group", SEV_CRITICAL,
                                                      "privilege", false,
                                                      "%s adds a user to the privileged group %.*s",
                                                      k->ci.base, (int) (e - s), g->s + s);
                                s = e + 1;
                        }
                }
                return 0;
        }
        default: return 0;
        }
}

static bool recursive_flag(const struct sh_arg *a) {
        if (sh_arg_is(a, "--recursive"))
                return true;
        return a->n >= 2 && a->s[0] == '-' && a->s[1] != '-' &&
               (memchr(a->s, 'r', a->n) || memchr(a->s, 'R', a->n));
}

static int destroy(struct chk *k, const struct sh_arg *a, enum tgt t, const char *how) {
        return sh_rep(k, a->tok, "sh.destructive.rm", SEV_CRITICAL, "destructive", false, "%s %s deletes %s",
                      how, DISP(a), sh_tgt_what(t));
}

static int check_destructive(struct chk *k) {
        const struct sh_argv *av = k->av;
        size_t a0 = k->ci.name + 1;
        const char *b = k->ci.base;
        switch (k->ci.tool) {
        case TL_RM: {
                bool rec = false, nopreserve = false, opts = true;
                for (size_t i = a0; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (opts && sh_arg_is(a, "--"))
                                opts = false;
                        else if (opts && a->n >= 2 && a->s[0] == '-') {
                                rec |= recursive_flag(a);
                                nopreserve |= sh_arg_is(a, "--no-preserve-root");
                        }
                }
                opts = true;
                for (size_t i = a0; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (opts && sh_arg_is(a, "--")) {
                                opts = false;
                                continue;
                        }
                        if (opts && a->n >= 2 && a->s[0] == '-')
                                continue;
                        enum tgt t = sh_target_class(a);
                        bool glob = a->n && a->s[a->n - 1] == '*';
                        if (t != TG_NONE && t != TG_DEVICE && (rec || glob || t == TG_HOMEDIR || nopreserve))
                                return destroy(k, a, t, rec ? "rm -r" : "rm");
                        struct scan_path_hit hit;
                        if (t == TG_NONE && sh_under_home(a) && sh_classify(a, &hit) != SCAN_PATH_NONE)
                                return sh_rep(k, a->tok, "sh.destructive.rm", SEV_MEDIUM, "destructive",
                                              false, "rm deletes %s (%s)", DISP(a), hit.what);
                }
                if (nopreserve)
                        return sh_rep(k, k->tok, "sh.destructive.rm", SEV_CRITICAL, "destructive", false,
                                      "rm --no-preserve-root allows deleting the whole file system");
                return 0;
        }
        case TL_FIND: {
                size_t roots_end = a0;
                while (roots_end < av->n && av->v[roots_end].n && !strchr("-(!,", av->v[roots_end].s[0]))
                        roots_end++;
                bool del = false;
                for (size_t i = roots_end; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (sh_arg_is(a, "-delete"))
                                del = true;
                        if ((sh_arg_is(a, "-exec") || sh_arg_is(a, "-execdir") || sh_arg_is(a, "-ok")) &&
                            i + 1 < av->n) {
                                const struct sh_arg *x = &av->v[i + 1];
                                size_t bn = x->n;
                                while (bn > 0 && x->s[bn - 1] != '/')
                                        bn--;
                                const char *xb = x->s + bn;
                                size_t xn = x->n - bn;
                                const char *nul = memchr(xb, '\0', xn);
                                if (nul)
                                        xn = (size_t) (nul - xb); /* as exec sees the name */
                                if ((xn == 2 && memcmp(xb, "rm", 2) == 0) ||
                                    (xn == 5 && memcmp(xb, "shred", 5) == 0))
                                        del = true;
                                if (sh_tool_of(xb, xn) == TL_SHELL)
                                        for (size_t j = i + 2; j + 1 < av->n && !sh_arg_is(&av->v[j], ";");
                                             j++)
                                                if (sh_arg_is(&av->v[j], "-c")) {
                                                        int r = sh_check_inline(k, &av->v[j + 1], true);
                                                        if (r < 0)
                                                                return r;
                                                        break;
                                                }
                        }
                }
                if (!del)
                        return 0;
                for (size_t i = a0; i < roots_end; i++) {
                        enum tgt t = sh_target_class(&av->v[i]);
                        if (t != TG_NONE && t != TG_DEVICE)
                                return destroy(k, &av->v[i], t, "find");
                }
                return 0;
        }
        case TL_MKFS:
                if (a0 >= av->n)
                        return 0;
                return sh_rep(k, k->tok, "sh.destructive.mkfs", SEV_CRITICAL, "destructive", false,
                              "%s formats a file system, erasing what was on it", b);
        case TL_WIPEFS:
                if (a0 >= av->n)
                        return 0;
                return sh_rep(k, k->tok, "sh.destructive.mkfs", SEV_CRITICAL, "destructive", false,
                              "wipefs erases file system signatures from a disk");
        case TL_DD:
                for (size_t i = a0; i < av->n; i++)
                        if (av->v[i].n > 3 && memcmp(av->v[i].s, "of=", 3) == 0 &&
                            sh_is_device(av->v[i].s + 3, av->v[i].n - 3))
                                return sh_rep(k, av->v[i].tok, "sh.destructive.dd", SEV_CRITICAL,
                                              "destructive", false, "dd writes over the disk %s",
                                              DISP(&av->v[i]) + 3);
                return 0;
        case TL_SHRED:
                for (size_t i = a0; i < av->n; i++) {
                        const struct sh_arg *a = &av->v[i];
                        if (a->n && a->s[0] == '-')
                                continue;
                        enum tgt t = sh_target_class(a);
                        struct scan_path_hit hit;
                        if (t != TG_NONE || (sh_under_home(a) && sh_classify(a, &hit) != SCAN_PATH_NONE))
                                return sh_rep(k, a->tok, "sh.destructive.shred", SEV_CRITICAL, "destructive",
                                              false, "shred destroys %s beyond recovery", DISP(a));
                }
                return 0;
        case TL_CHMOD:
        case TL_CHOWN:
        case TL_CHGRP: {
                bool rec = false;
                for (size_t i = a0; i < av->n; i++)
                        rec |= av->v[i].n >= 2 && av->v[i].s[0] == '-' &&
                               (memchr(av->v[i].s, 'R', av->v[i].n) || sh_arg_is(&av->v[i], "--recursive"));
                if (!rec)
                        return 0;
                size_t op = sh_first_operand(k, "", NULL);
                for (size_t i = op + 1; i < av->n; i++) {
                        enum tgt t = sh_target_class(&av->v[i]);
                        if (t == TG_ROOT || t == TG_HOME || t == TG_SYS)
                                return sh_rep(k, av->v[i].tok, "sh.destructive.recursive-perms", SEV_CRITICAL,
                                              "destructive", false, "%s -R on %s changes %s", b,
                                              DISP(&av->v[i]), sh_tgt_what(t));
                }
                return 0;
        }
        case TL_KILL:
                if (av->n >= a0 + 2 && sh_arg_is(&av->v[av->n - 1], "-1"))
                        return sh_rep(k, k->tok, "sh.destructive.kill-all", SEV_HIGH, "destructive", false,
                                      "kill -1 kills every process of the user");
                return 0;
        default: return 0;
        }
}

/* Redirections of any command: /dev/tcp, persistence files, disks, secrets read with "<". */
static int check_redirs(struct chk *k) {
        struct sh_unit *u = k->u;
        char buf[SH_WORD_MAX];
        int r;
        for (int32_t rd = u->c[k->c].r_first; rd >= 0; rd = u->r[rd].next) {
                const struct sh_redir *x = &u->r[rd];
                if (x->word < 0 || x->kind == SHR_HEREDOC)
                        continue;
                struct sh_arg a;
                sh_word_value(u, x->word, 0, buf, sizeof(buf), &a, 1);
                if (sh_dev_tcp(&a)) {
                        sh_note_network(u);
                        if ((r = sh_rep(k, a.tok, "sh.download.dev-tcp", SEV_CRITICAL, "download_exec", false,
                                        "redirection to %s opens a raw network connection (reverse-shell "
                                        "pattern)",
                                        DISP(&a))) < 0)
                                return r;
                        continue;
                }
                bool out = x->kind == SHR_OUT || x->kind == SHR_APPEND || x->kind == SHR_OUT_ALL ||
                           x->kind == SHR_APP_ALL || x->kind == SHR_RW;
                struct scan_path_hit hit;
                if (out) {
                        if (x->kind == SHR_OUT_ALL && a.n &&
                            (isdigit((unsigned char) a.s[0]) || a.s[0] == '-'))
                                continue; /* >&2 */
                        if (sh_is_device(a.s, a.n)) {
                                if ((r = sh_rep(k, a.tok, "sh.destructive.device-write", SEV_CRITICAL,
                                                "destructive", false, "redirection writes over the disk %s",
                                                DISP(&a))) < 0)
                                        return r;
                                continue;
                        }
                        enum scan_path_kind kind = sh_classify(&a, &hit);
                        if (kind == SCAN_PATH_PERSIST) {
                                if ((r = sh_rep(k, a.tok, "sh.persistence.write", SEV_CRITICAL, "persistence",
                                                false, "redirection %s %s (%s): it runs again at every start",
                                                x->kind == SHR_APPEND || x->kind == SHR_APP_ALL ? "appends to"
                                                                                                : "writes",
                                                DISP(&a), hit.what)) < 0)
                                        return r;
                        } else if (kind == SCAN_PATH_SECRET && sh_under_home(&a)) {
                                if ((r = sh_rep(k, a.tok, "sh.sensitive_file.write", SEV_HIGH,
                                                "sensitive_file", false, "redirection writes to %s (%s)",
                                                DISP(&a), hit.what)) < 0)
                                        return r;
                        }
                        /* a file written from downloaded, decoded or secret data */
                        if ((x->fd != -1 && x->fd != 1) || sh_arg_is(&a, "/dev/null"))
                                continue;
                        uint8_t t = (sh_stdin_taint(k) | sh_own_taint(k)) &
                                    (SHT_DOWNLOAD | SHT_DECODED | SHT_SECRET);
                        if (t)
                                sh_file_add(k, a.s, a.n, t,
                                            t & SHT_DOWNLOAD  ? "a download"
                                            : t & SHT_DECODED ? "a decoder"
                                                              : "a redirection");
                } else if (x->kind == SHR_IN) {
                        enum scan_path_kind kind = sh_classify(&a, &hit);
                        if (kind == SCAN_PATH_SECRET || sh_proc_environ(&a)) {
                                bool local = kind == SCAN_PATH_SECRET && sh_local_dotenv(&a, &hit);
                                if ((r = sh_rep(k, a.tok, "sh.sensitive_file.read",
                                                local ? SEV_MEDIUM : SEV_HIGH, "sensitive_file", !local,
                                                "%s reads %s (%s)",
                                                k->ci.name_known ? k->ci.base : "a redirection", DISP(&a),
                                                hit.what ? hit.what : "the environment of a process")) < 0)
                                        return r;
                        }
                }
        }
        return 0;
}

/* :(){ :|:& };:  -- a function that pipes itself into itself, in the background. */
static int check_fork_bomb(struct chk *k) {
        struct sh_unit *u = k->u;
        const struct sh_cmd *c = &u->c[k->c];
        if (c->w_first < 0)
                return 0;
        const struct sh_word *w = &u->w[c->w_last];
        if (w->te - w->tb != 1)
                return 0;
        const struct token *name = &u->toks->v[w->tb];
        if (!name->value)
                return 0;
        /* after "name ( )": "{" and the body, up to its "}" */
        uint32_t i = w->te;
        if (!sh_tok_is(u, i, TOK_PUNCT, "(") || !sh_tok_is(u, i + 1, TOK_PUNCT, ")"))
                return 0;
        i += 2;
        if (!sh_tok_is(u, i, TOK_PUNCT, "{") && !sh_tok_is(u, i, TOK_PUNCT, "("))
                return 0;
        unsigned depth = 0;
        for (uint32_t end = i + 64; i < u->toks->n && i < end; i++) {
                const struct token *t = &u->toks->v[i];
                char ch = t->kind == TOK_PUNCT && t->len == 1 ? u->toks->src[t->offset] : 0;
                if (ch == '{')
                        depth++;
                else if (ch == '}' && --depth == 0)
                        return 0;
                if (t->kind == TOK_WORD && t->value_len == name->value_len &&
                    memcmp(t->value, name->value, t->value_len) == 0 && sh_tok_is(u, i + 1, TOK_PUNCT, "|") &&
                    i + 2 < u->toks->n && u->toks->v[i + 2].kind == TOK_WORD &&
                    u->toks->v[i + 2].value_len == name->value_len &&
                    memcmp(u->toks->v[i + 2].value, name->value, name->value_len) == 0)
                        return sh_report(u, w->tb, "sh.destructive.fork-bomb", SEV_CRITICAL, "destructive",
                                         false,
                                         "function %.40s pipes itself into itself: a fork bomb that exhausts "
                                         "the machine",
                                         name->value);
        }
        return 0;
}

static int check_generic_args(struct chk *k) {
        if (sh_name_is_data(k->ci.tool))
                return 0; /* echo "use /dev/tcp/..." is text */
        for (size_t i = k->ci.name; i < k->av->n; i++)
                if (sh_dev_tcp(&k->av->v[i])) {
                        sh_note_network(k->u);
                        return sh_rep(k, k->av->v[i].tok, "sh.download.dev-tcp", SEV_CRITICAL,
                                      "download_exec", false,
                                      "%s opens a raw network connection through %s (reverse-shell pattern)",
                                      k->ci.name_known ? k->ci.base : "a command", DISP(&k->av->v[i]));
                }
        return 0;
}

static int check_file_exec(struct chk *k) {
        const struct sh_arg *a = &k->av->v[k->ci.name];
        if (!memchr(a->s, '/', a->n) && k->ci.tool != TL_NONE)
                return 0;
        const struct sh_file *f = sh_file_find(k, a, SHT_DOWNLOAD | SHT_DECODED);
        if (!f)
                return 0;
        return sh_rep(k, k->tok, "sh.download.file-exec", SEV_CRITICAL, "download_exec", false,
                      "runs %s, written by %s on line %u: %s code runs without review", DISP(a), f->how,
                      f->line, sh_taint_source(f->taint));
}

/* Files written from a stream: tee in a tainted pipeline, cp/mv of a tainted file. */
static void track_files(struct chk *k) {
        const struct sh_argv *av = k->av;
        uint8_t t = (sh_stdin_taint(k) | sh_own_taint(k)) & (SHT_DOWNLOAD | SHT_DECODED);
        if (k->ci.tool == TL_TEE && t)
                for (size_t i = k->ci.name + 1; i < av->n; i++)
                        if (av->v[i].n && av->v[i].s[0] != '-')
                                sh_file_add(k, av->v[i].s, av->v[i].n, t, "a download");
        if ((k->ci.tool == TL_CP || k->ci.tool == TL_MV) && av->n >= k->ci.name + 3) {
                const struct sh_file *f = sh_file_find(k, &av->v[av->n - 2], 0xff);
                if (f) {
                        struct sh_file copy = *f;
                        sh_file_add(k, av->v[av->n - 1].s, av->v[av->n - 1].n, copy.taint, copy.how);
                }
        }
}

static int check_command(struct chk *k) {
        int r;
        const struct sh_cmdinfo *ci = &k->ci;
        if ((r = check_redirs(k)) < 0)
                return r;
        if (ci->name >= k->av->n)
                return 0;
        if (!ci->name_known) {
                if (sh_stdin_taint(k) & SHT_DOWNLOAD)
                        return sh_rep(k, k->tok, "sh.download.pipe-to-shell", SEV_HIGH, "download_exec",
                                      false,
                                      "downloaded data is piped into %s, a command that is not a constant",
                                      DISP(&k->av->v[ci->name]));
                return check_generic_args(k);
        }
        if ((r = check_generic_args(k)) < 0 || (r = check_privilege(k)) < 0 ||
            (r = check_persistence(k)) < 0 || (r = check_destructive(k)) < 0 ||
            (r = check_secret_reads(k)) < 0 || (r = check_file_exec(k)) < 0)
                return r;
        if (sh_env_dump(k) &&
            (r = sh_rep(k, k->tok, "sh.env_harvest.dump", SEV_HIGH, "env_harvest", true,
                        "%s dumps the whole environment (tokens and keys live there)", ci->base)) < 0)
                return r;
        if (sh_tool_is_interp(ci->tool) || ci->tool == TL_SOURCE) {
                if ((r = sh_check_interp(k)) < 0)
                        return r;
        } else if (ci->tool == TL_EVAL) {
                if ((r = sh_check_eval(k)) < 0)
                        return r;
        } else if (sh_tool_is_net(ci->tool)) {
                if ((r = sh_check_network(k)) < 0)
                        return r;
        } else if (ci->tool == TL_TRAP) {
                size_t op = sh_first_operand(k, "", NULL);
                if (op < k->av->n && op + 1 < k->av->n && (r = sh_check_inline(k, &k->av->v[op], true)) < 0)
                        return r;
        } else if (ci->tool == TL_AWK) {
                size_t op = sh_first_operand(k, "fFv", NULL);
                if (op < k->av->n && (r = sh_check_inline(k, &k->av->v[op], false)) < 0)
                        return r;
        }
        track_files(k);
        return 0;
}

/* Who writes to command c's standard input: the command before it in a pipe, the command a
 * ">(...)" belongs to, or what feeds the "( ... )" it runs in. Always an earlier command. */
static int32_t feeder_of(const struct sh_unit *u, int32_t c) {
        const struct sh_cmd *cmd = &u->c[c];
        if (cmd->pipe_prev >= 0)
                return cmd->pipe_prev;
        const struct sh_list *l = &u->l[cmd->list];
        if (l->kind == SHL_PROCSUB_OUT && l->first_cmd == c && l->owner_word >= 0 &&
            u->w[l->owner_word].cmd < c)
                return u->w[l->owner_word].cmd; /* tee >(sh), > >(sh) */
        if (l->kind == SHL_SUBSHELL && l->owner_cmd >= 0 && u->c[l->owner_cmd].pipe_prev >= 0)
                return u->c[l->owner_cmd].pipe_prev; /* curl x | (cd /tmp; sh) */
        return -1;
}

/* The taint of c's standard output, computed when some rule asks: walk back to the start of
 * the pipeline (iteratively: pipelines can be long) and forward again. */
static uint8_t cmd_out(struct sh_unit *u, int32_t c) {
        int32_t local[64], *chain = local;
        size_t n = 0, cap = ELEMENTSOF(local);
        uint8_t t = 0;
        for (int32_t x = c; x >= 0 && !u->c[x].out_done; x = feeder_of(u, x)) {
                if (n == cap) {
                        size_t ncap = cap * 2;
                        int32_t *g = malloc(ncap * sizeof(*g));
                        if (!g)
                                break; /* out of memory: the start of a long pipe is not traced */
                        memcpy(g, chain, n * sizeof(*g));
                        if (chain != local)
                                free(chain);
                        chain = g, cap = ncap;
                }
                chain[n++] = x;
        }
        for (size_t i = n; i-- > 0;) {
                int32_t x = chain[i], f = feeder_of(u, x);
                uint8_t in = f >= 0 && u->c[f].out_done ? u->c[f].out : 0;
                uint8_t own = sh_cmd_own_taint(u, x, 1);
                struct sh_cmd *cmd = &u->c[x];
                cmd->out = sh_cmd_stdout_to_file(u, x) ? 0 : (uint8_t) (in | own);
                cmd->out_done = true;
        }
        if (chain != local)
                free(chain);
        t = u->c[c].out_done ? u->c[c].out : 0;
        return t;
}

/* The taint the current command produces itself (computed once). */
uint8_t sh_own_taint(struct chk *k) {
        struct sh_cmd *cmd = &k->u->c[k->c];
        if (!cmd->own_done) {
                uint8_t t = sh_tool_ordinary(k->ci.tool) && !k->ci.wrap ? sh_ordinary_own(k, 0)
                                                                        : sh_own_from(k, 0);
                cmd = &k->u->c[k->c];
                cmd->own = t;
                cmd->own_done = true;
        }
        return cmd->own;
}

uint8_t sh_stdin_taint(struct chk *k) {
        if (!k->in_done) {
                k->in_ = k->feeder >= 0 ? cmd_out(k->u, k->feeder) : 0;
                k->in_done = true;
        }
        return k->in_;
}

int sh_check_unit(struct sh_unit *u) {
        struct sh_argv *av = sh_argv_at(u->sc, 0);
        if (!av)
                return -ENOMEM;
        int r = 0;
        for (size_t c = 0; r >= 0 && c < u->nc; c++) {
                struct sh_cmd *cmd = &u->c[c];
                struct chk k = { .u = u, .c = (int32_t) c, .av = av, .feeder = feeder_of(u, (int32_t) c) };
                uint8_t lk = u->l[cmd->list].kind;
                if (lk == SHL_ARRAY || lk == SHL_PATTERN || lk == SHL_FUNCPARENS)
                        continue; /* x=(a b), case x in (a): words, not commands */
                if (cmd->flags & SHC_FUNCDEF) {
                        r = check_fork_bomb(&k);
                        continue;
                }
                sh_argv_begin(u, (int32_t) c, av, 0);
                sh_resolve(u, (int32_t) c, av, &k.ci);
                k.tok = k.ci.name < av->n ? av->v[k.ci.name].tok : cmd->tok;
                if (k.ci.name_known && sh_tool_ordinary(k.ci.tool) && !k.ci.wrap && !u->devtcp_text) {
                        /* a command no rule is about: only its redirections (its taint, if ever
                         * needed, is computed from its words) */
                        r = check_redirs(&k);
                        if (r >= 0)
                                r = check_file_exec(&k);
                        continue;
                }
                sh_argv_complete(av);
                (void) sh_own_taint(&k);
                r = check_command(&k);
        }
        return r;
}
