/* The JavaScript rules on calls: process execution (constant, built, decoded; shell strings
 * to the shell rules), dynamic code (eval, Function, vm, timers, dynamic require/import),
 * decoders folded as constants, native code and deserialization; js_sink_call dispatches a
 * call of a module member to its judgement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"
#include "../base/utf8.h"
#include "rules_js_int.h"

/* ---- reporting helpers ------------------------------------------------------------------------- */

/* "child_process.exec (as `run`)": what the callee resolved to and how it was written. */
static void describe(const struct jsa *a, const struct jv *callee, uint32_t from, uint32_t k, struct who *w) {
        char canon[96], src[64];
        if (callee->kind == JV_MEMBER && callee->mod == MOD_GLOBAL)
                snprintf(canon, sizeof(canon), "%.*s", (int) (callee->n > 48 ? 48 : callee->n),
                         callee->s ? callee->s : "?");
        else if (callee->kind == JV_MEMBER && (callee->mod == MOD_HTTPLIB || callee->mod == MOD_OTHER))
                canon[0] = '\0'; /* many packages: the source says which */
        else if (callee->kind == JV_MEMBER)
                snprintf(canon, sizeof(canon), "%s.%.*s", js_mod_name(callee->mod),
                         (int) (callee->n > 48 ? 48 : callee->n), callee->s ? callee->s : "<computed>");
        else if (callee->kind == JV_MODULE)
                snprintf(canon, sizeof(canon), "%s", js_mod_name(callee->mod));
        else
                snprintf(canon, sizeof(canon), "%s", "a function");
        js_callee_text(a, from, a->callee_to >= from && a->callee_to < a->n ? a->callee_to : k, src, sizeof(src));
        if (!canon[0])
                snprintf(w->text, sizeof(w->text), "%s", src[0] ? src : "a call");
        else if (src[0] && strcmp(src, canon) != 0)
                snprintf(w->text, sizeof(w->text), "%s (as `%s`)", canon, src);
        else
                snprintf(w->text, sizeof(w->text), "%s", canon);
}

static const char *evasion_note(const struct jv *callee, char *buf, size_t cap) {
        if (!(callee->flags & VF_EVASION))
                return "";
        snprintf(buf, cap, ", reached through %s", callee->how ? callee->how : "an evasion");
        return buf;
}

static const char *taint_note(uint16_t flags) {
        if (flags & VF_NETWORK)
                return " received from the network";
        if (flags & VF_DECODED)
                return " that is decoded at run time";
        return "";
}

/* ---- processes --------------------------------------------------------------------------------- */

static bool simple_command(const struct jv *cmd, const char **prog, size_t *plen) {
        size_t i = 0;
        while (i < cmd->n && cmd->s[i] == ' ')
                i++;
        size_t s = i;
        while (i < cmd->n && cmd->s[i] != ' ')
                i++;
        *prog = cmd->s + s;
        *plen = i - s;
        for (size_t k = 0; k < cmd->n; k++)
                if (strchr(";&|<>$`()\n\r\\*?{}'\"", cmd->s[k]) || cmd->s[k] == '\0')
                        return false;
        return *plen > 0;
}

/* The class of a command/code argument, following a parameter to its call sites. */
static int arg_class(struct jsa *a, const struct jv *v, uint16_t *flags, const struct jsum **sum) {
        *flags = v->flags;
        *sum = NULL;
        if (v->kind == JV_PARAM && v->s) {
                int c = sum_resolve(a, v->s, v->n, v->aux, 0, flags);
                *sum = sum_get(a, v->s, v->n);
                return c;
        }
        return jv_str_class(v);
}

/* The constant commands a parameter receives, analysed where they are written (following the
 * parameter through wrappers: f(x) -> g(x) -> exec(x)). */
static void param_consts(struct jsa *a, const struct jsum *sum, uint32_t idx, unsigned hops) {
        if (!sum || idx >= JS_ARGS_MAX || hops > JS_PARAM_HOPS)
                return;
        const struct jsum_pos *ps = &sum->pos[idx];
        for (size_t i = 0; i < ps->nconst; i++)
                js_shell_text(a, ps->consts[i].tok, ps->consts[i].v->s, ps->consts[i].v->n,
                              ps->consts[i].v->flags & VF_PARTIAL);
        for (size_t i = 0; i < ps->nlinks; i++) {
                const struct jsum *next = sum_get(a, ps->links[i].fn, ps->links[i].fnlen);
                if (next != sum)
                        param_consts(a, next, ps->links[i].idx, hops + 1);
        }
}

static void shell_consts(struct jsa *a, uint32_t k, const struct jv *v, const struct jsum *sum) {
        if (v->kind == JV_STR)
                js_shell_text(a, k, v->s, v->n, v->flags & VF_PARTIAL);
        else if (v->kind == JV_PARAM)
                param_consts(a, sum, v->aux, 0);
}

static const char *class_note(int cls, bool param) {
        if (cls == 0)
                return param ? " (a constant at every call site)" : "";
        if (cls == 1)
                return " whose arguments are built at run time";
        return " only known at run time";
}

static void report_shell(struct jsa *a, uint32_t k, const char *rule, const struct jv *callee, const struct jv *cmd,
                         const struct who *w) {
        if (!a->reporting)
                return;
        uint16_t fl;
        const struct jsum *sum;
        int cls = arg_class(a, cmd, &fl, &sum);
        enum severity sev = cls == 2 ? SEV_HIGH : SEV_MEDIUM;
        if (fl & (VF_DECODED | VF_NETWORK))
                sev = SEV_CRITICAL;
        if (callee->flags & VF_EVASION)
                sev = js_max_sev(sev, SEV_HIGH);
        const char *prog;
        size_t plen;
        if (sev == SEV_MEDIUM && cls == 0 && cmd->kind == JV_STR && simple_command(cmd, &prog, &plen) &&
            scan_perm_exec(a->ctx->perms, prog, plen))
                sev = SEV_SAFE;
        /* any word of the command that names a downloaded file: run directly or by an interpreter */
        for (size_t s = 0; cmd->kind == JV_STR && s < cmd->n && a->sh->ndl;) {
                size_t e = s;
                while (e < cmd->n && !strchr(" \t;&|<>()'\"`", cmd->s[e]))
                        e++;
                if (e > s && js_report_download_run(a, k, w, cmd->s + s, e - s))
                        break;
                s = e + 1;
        }
        char ev[160];
        js_report(a, k, rule, sev, "process", ESC_NONE, "%s runs a shell command%s%s%s%s", w->text,
                  class_note(cls, cmd->kind == JV_PARAM), taint_note(fl), evasion_note(callee, ev, sizeof(ev)),
                  sev == SEV_SAFE ? " (declared)" : "");
        shell_consts(a, k, cmd, sum);
}

static bool is_shell_program(const char *s, size_t n) {
        static const char *const SHELLS[] = { "sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "csh", "tcsh",
                                              "cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "busybox" };
        for (size_t i = n; i > 0; i--)
                if (s[i - 1] == '/' || s[i - 1] == '\\') {
                        s += i;
                        n -= i;
                        break;
                }
        for (size_t i = 0; i < ELEMENTSOF(SHELLS); i++)
                if (js_name_is(s, n, SHELLS[i]))
                        return true;
        return false;
}

static bool is_dash_c(const struct jv *v) {
        return jv_streq(v, "-c") || jv_streq(v, "-lc") || jv_streq(v, "-ic") || jv_streq(v, "-ec") ||
               jv_streq(v, "/c") || jv_streq(v, "/C") || jv_streq(v, "-Command") || jv_streq(v, "-command");
}

/* Compose "prog 'arg' 'arg'" so that the shell rules judge the program and its arguments. */
static void shell_argv(struct jsa *a, uint32_t k, const struct jv *prog, const struct jv *items, size_t n) {
        struct jfold f = { 0 };
        jfold_add(&f, prog->s, prog->n);
        for (size_t i = 0; i < n; i++) {
                jfold_add(&f, " ", 1);
                const struct jv *v = &items[i];
                char tmp[64];
                const char *s;
                size_t l;
                if (!jv_piece(v, tmp, sizeof(tmp), &s, &l) || (v->flags & VF_PARTIAL)) {
                        jfold_add(&f, "__js_value__", 12);
                        continue;
                }
                jfold_add(&f, "'", 1);
                for (size_t c = 0; c < l; c++) {
                        if (s[c] == '\'')
                                jfold_add(&f, "'\\''", 4);
                        else
                                jfold_add(&f, s + c, 1);
                }
                jfold_add(&f, "'", 1);
        }
        if (!f.over)
                js_shell_text(a, k, f.p, f.n, false);
        free(f.p);
}

static void exec_program(struct jsa *a, uint32_t k, const struct jv *callee, const struct who *w, const struct jv *prog,
                         const struct jv *argv, bool shell) {
        if (!a->reporting)
                return;
        const struct jv *items = argv && argv->kind == JV_ARRAY ? argv->items : NULL;
        size_t nitems = items ? argv->n : 0;
        char ev[160];
        uint16_t fl;
        const struct jsum *sum;
        int cls = arg_class(a, prog, &fl, &sum);
        for (size_t i = 0; i < nitems; i++)
                fl |= items[i].flags & VF_TAINT;
        if (argv && argv->kind != JV_ARRAY)
                fl |= argv->flags & VF_TAINT;

        if (shell) {
                /* {shell: true}: the program and its arguments are one shell command line */
                struct jfold f = { 0 };
                jfold_add_jv(&f, prog);
                for (size_t i = 0; i < nitems; i++) {
                        jfold_add(&f, " ", 1);
                        jfold_add_jv(&f, &items[i]);
                }
                struct jv cmd = jfold_end(a, &f, k);
                if (prog->kind == JV_PARAM)
                        cmd = *prog;
                report_shell(a, k, "js.process.spawn-shell", callee, &cmd, w);
                return;
        }
        if (prog->kind == JV_STR && jv_is_str(prog) && is_shell_program(prog->s, prog->n)) {
                for (size_t i = 0; i + 1 < nitems; i++)
                        if (is_dash_c(&items[i])) {
                                report_shell(a, k, "js.process.spawn-shell", callee, &items[i + 1], w);
                                return;
                        }
                enum severity sev = (fl & (VF_DECODED | VF_NETWORK)) ? SEV_CRITICAL : SEV_MEDIUM;
                if (callee->flags & VF_EVASION)
                        sev = js_max_sev(sev, SEV_HIGH);
                bool interactive = !argv || argv->kind == JV_ARRAY;
                for (size_t i = 0; i < nitems; i++)
                        interactive &= jv_is_str(&items[i]) && items[i].n > 0 && items[i].s[0] == '-';
                if (interactive) {
                        /* no script, only options (-i): with a socket in the same file, a reverse shell */
                        js_pos(a, k, &a->sh->shell_line, &a->sh->shell_col, &a->sh->shell_off);
                        a->sh->has_shell = true;
                }
                js_report(a, k, "js.process.spawn", sev, "process", ESC_NONE, "%s starts the shell %.*s%s", w->text,
                          (int) (prog->n > 64 ? 64 : prog->n), prog->s, evasion_note(callee, ev, sizeof(ev)));
                if (items)
                        shell_argv(a, k, prog, items, nitems);
                return;
        }
        if (jv_is_str(prog))
                js_report_download_run(a, k, w, prog->s, prog->n);
        enum severity sev = cls == 2 ? SEV_HIGH : SEV_MEDIUM;
        bool declared = false;
        if (cls == 0 && prog->kind == JV_STR && scan_perm_exec(a->ctx->perms, prog->s, prog->n))
                declared = true;
        if (fl & (VF_DECODED | VF_NETWORK))
                sev = SEV_CRITICAL;
        if (callee->flags & VF_EVASION)
                sev = js_max_sev(sev, SEV_HIGH);
        if (declared && sev == SEV_MEDIUM)
                sev = SEV_SAFE;
        if (prog->kind == JV_STR && cls < 2)
                js_report(a, k, "js.process.spawn", sev, "process", ESC_NONE, "%s runs the program %.*s%s%s%s",
                          w->text, (int) (prog->n > 64 ? 64 : prog->n), prog->s, taint_note(fl),
                          evasion_note(callee, ev, sizeof(ev)),
                          declared ? " (declared)" : " (not declared in skilllite.exec)");
        else
                js_report(a, k, "js.process.spawn", sev, "process", ESC_NONE, "%s runs a program%s%s%s", w->text,
                          class_note(cls, prog->kind == JV_PARAM), taint_note(fl),
                          evasion_note(callee, ev, sizeof(ev)));
        if (jv_is_str(prog))
                shell_argv(a, k, prog, items, nitems);
}

/* ---- code ---------------------------------------------------------------------------------------- */

void js_code_sink(struct jsa *a, uint32_t k, const char *rule, const struct jv *callee, const struct jv *code,
                      const struct who *w) {
        if (!a->reporting)
                return;
        uint16_t fl;
        const struct jsum *sum;
        int cls = arg_class(a, code, &fl, &sum);
        enum severity sev = cls == 0 ? SEV_MEDIUM : SEV_HIGH;
        const char *what = cls == 0 ? "from a constant string" : "built at run time";
        char decoded[96];
        if (fl & VF_DECODED) {
                sev = SEV_CRITICAL;
                snprintf(decoded, sizeof(decoded), "that is decoded first (%s)",
                         code->how && (code->flags & VF_DECODED) ? code->how : "at run time");
                what = decoded;
        }
        if (fl & VF_NETWORK) {
                sev = SEV_CRITICAL;
                what = "downloaded from the network";
        }
        if (callee->flags & VF_EVASION)
                sev = js_max_sev(sev, SEV_HIGH);
        char ev[160];
        js_report(a, k, rule, sev, "code_injection", ESC_NONE, "%s runs JavaScript %s%s%s", w->text, what,
                  (callee->flags & VF_INDIRECT) ? " (called indirectly)" : "", evasion_note(callee, ev, sizeof(ev)));
        if (code->kind == JV_STR && !(code->flags & VF_PARTIAL))
                js_embedded(a, k, code);
}

/* ---- value sinks --------------------------------------------------------------------------------- */

static struct jv module_from_name(struct jsa *a, uint32_t k, const struct jv *callee, const struct jv *name) {
        struct jv m = jv_module(js_module_by_name(name->s, name->n));
        m.origin = k;
        if (name->flags & (VF_BUILT | VF_EVASION))
                js_set_evasion(&m, name->how ? name->how : "a module name built at run time");
        if (callee->flags & VF_EVASION)
                js_set_evasion(&m, callee->how);
        js_module_loaded(a, k, &m, name->s, name->n);
        return m;
}

static struct jv do_require(struct jsa *a, uint32_t k, const struct jv *callee, const struct jv *arg,
                            const struct who *w, bool import) {
        if (jv_is_str(arg) && js_report_download_run(a, k, w, arg->s, arg->n))
                return jv_unknown(0);
        if (jv_is_str(arg)) {
                if (import && arg->n > 5 && strncasecmp(arg->s, "data:", 5) == 0) {
                        /* import("data:text/javascript;base64,...") evaluates the URL's payload */
                        const char *comma = memchr(arg->s, ',', arg->n);
                        struct jv code = jv_unknown(VF_DECODED);
                        if (comma) {
                                size_t hl = (size_t) (comma - arg->s), pl = arg->n - hl - 1;
                                bool b64 = hl >= 7 && memcmp(comma - 7, ";base64", 7) == 0;
                                if (!(b64 ? js_b64_decode(a, comma + 1, pl, &code)
                                          : js_pct_decode(a, comma + 1, pl, false, &code)))
                                        code = jv_str(comma + 1, pl, b64 ? VF_DECODED : 0, k);
                        }
                        js_code_sink(a, k, "js.code.data-url-import", callee, &code, w);
                        return jv_unknown(0);
                }
                return module_from_name(a, k, callee, arg);
        }
        if (a->reporting) {
                uint16_t fl = arg->flags;
                enum severity sev = (fl & (VF_DECODED | VF_NETWORK)) ? SEV_CRITICAL : SEV_MEDIUM;
                if (callee->flags & VF_EVASION)
                        sev = js_max_sev(sev, SEV_HIGH);
                if (arg->kind == JV_STR && arg->n > 5 && strncasecmp(arg->s, "data:", 5) == 0)
                        sev = js_max_sev(sev, SEV_HIGH);
                char ev[160];
                js_report(a, k, import ? "js.code.dynamic-import" : "js.code.dynamic-require", sev, "code_injection",
                          ESC_NONE, "%s loads a module whose name is only known at run time%s%s", w->text,
                          taint_note(fl), evasion_note(callee, ev, sizeof(ev)));
        }
        return jv_unknown(0);
}

bool js_enc_is(const struct jv *e, const char *name) {
        return jv_is_str(e) && e->n == strlen(name) && strncasecmp(e->s, name, e->n) == 0;
}

struct jv js_from_char_codes(struct jsa *a, const struct jv *args, size_t n) {
        struct jfold f = { 0 };
        uint16_t taint = 0;
        bool ok = n > 0;
        for (size_t i = 0; i < n; i++) {
                taint |= args[i].flags & VF_TAINT;
                if (args[i].kind != JV_NUM || !(args[i].num >= 0 && args[i].num <= 0x10FFFF)) {
                        ok = false;
                        continue;
                }
                char u[4];
                size_t l = utf8_encode((uint32_t) args[i].num, u);
                jfold_add(&f, u, l);
        }
        if (!ok) {
                free(f.p);
                return jv_unknown(taint | VF_DECODED);
        }
        f.flags |= VF_BUILT | VF_DECODED;
        struct jv v = jfold_end(a, &f, JS_NONE);
        v.how = "String.fromCharCode";
        return v;
}

static struct jv buffer_from(struct jsa *a, const struct jv *args, size_t n) {
        struct jv none = jv_unknown(0);
        const struct jv *src = n > 0 ? &args[0] : &none, *enc = n > 1 ? &args[1] : &none;
        bool b64 = js_enc_is(enc, "base64") || js_enc_is(enc, "base64url"), hex = js_enc_is(enc, "hex");
        struct jv v;
        if (jv_is_str(src)) {
                if (b64 && js_b64_decode(a, src->s, src->n, &v))
                        return v;
                if (hex && js_hex_decode(a, src->s, src->n, &v))
                        return v;
                if (!b64 && !hex)
                        return *src;
        }
        if (src->kind == JV_ARRAY) {
                v = js_from_char_codes(a, src->items, src->n);
                if (v.kind == JV_STR)
                        v.how = "a byte array";
                return v;
        }
        return jv_unknown((src->flags & VF_TAINT) | (b64 || hex ? VF_DECODED : 0));
}

/* ---- the dispatcher ------------------------------------------------------------------------------ */

struct jv js_sink_call(struct jsa *a, const struct jv *callee, const struct jv *args, size_t n, bool is_new, uint32_t k,
                       uint32_t from, bool *handled) {
        *handled = true;
        struct jv none = jv_unknown(0);
        const struct jv *a0 = n > 0 ? &args[0] : &none, *a1 = n > 1 ? &args[1] : &none, *a2 = n > 2 ? &args[2] : &none;
        struct who w;
        if (callee->kind == JV_MEMBER && !callee->s) {
                /* cp[name](...), globalThis[name](...): a dangerous object called by a name only
                 * known at run time */
                if (a->reporting && (callee->mod == MOD_GLOBAL || callee->mod == MOD_CP || callee->mod == MOD_VM)) {
                        describe(a, callee, from, k, &w);
                        js_report(a, k, callee->mod == MOD_CP ? "js.process.computed-call" : "js.code.computed-call",
                                  SEV_HIGH, callee->mod == MOD_CP ? "process" : "code_injection", ESC_NONE,
                                  "a member of %s is called by a name only known at run time",
                                  js_mod_name(callee->mod));
                }
                return jv_unknown(0);
        }
        uint8_t sk = js_find_sink(callee->mod, callee->kind == JV_MEMBER ? callee->s : "",
                                  callee->kind == JV_MEMBER ? callee->n : 0);
        if (sk == SK_NONE) {
                *handled = false;
                return jv_unknown(0);
        }
        if (a->reporting)
                describe(a, callee, from, k, &w); /* messages are only written in pass 2 */
        else
                w.text[0] = '\0';
        switch (sk) {
        case SK_REQUIRE:
                return do_require(a, k, callee, a0, &w, false);
        case SK_IMPORT:
                return do_require(a, k, callee, a0, &w, true);
        case SK_CREATE_REQUIRE:
                return jv_member(MOD_GLOBAL, "require", 7);
        case SK_PROMISIFY:
                return jv_is_fn(a0) ? *a0 : jv_unknown(0);
        case SK_HOMEDIR:
                return jv_str("~", 1, VF_HOME, k);
        case SK_USERINFO:
                return jv_module(MOD_USERINFO);
        case SK_PATH_JOIN:
                return js_path_join(a, k, &w, args, n);
        case SK_ATOB: {
                struct jv v;
                if (jv_is_str(a0) && js_b64_decode(a, a0->s, a0->n, &v))
                        return v;
                return jv_unknown((a0->flags & VF_TAINT) | VF_DECODED);
        }
        case SK_BUFFER_FROM:
                return buffer_from(a, args, n);
        case SK_FROMCHARCODE:
                return js_from_char_codes(a, args, n);
        case SK_DECODE_URI:
        case SK_UNESCAPE: {
                struct jv v;
                if (jv_is_str(a0))
                        return js_pct_decode(a, a0->s, a0->n, sk == SK_UNESCAPE, &v) ? v : *a0;
                return jv_unknown((a0->flags & VF_TAINT) | VF_DECODED);
        }
        case SK_ZLIB:
                return jv_unknown((a0->flags & VF_TAINT) | VF_DECODED);
        case SK_NEW_URL: {
                char host[256];
                uint16_t port;
                if (js_url_host(a0, host, sizeof(host), &port))
                        return *a0;
                return a1->kind == JV_STR ? *a1 : jv_unknown(a0->flags & VF_TAINT);
        }
        case SK_PARSE_INT: {
                int base = a1->kind == JV_NUM && a1->num >= 2 && a1->num <= 36 ? (int) a1->num : 10;
                if (jv_is_str(a0) && a0->n > 0 && a0->n < 32) {
                        char buf[32];
                        memcpy(buf, a0->s, a0->n);
                        buf[a0->n] = '\0';
                        char *e;
                        long v = strtol(buf, &e, base);
                        if (e != buf)
                                return jv_num((double) v);
                }
                return jv_unknown(0);
        }
        case SK_STRING:
                if (a0->kind == JV_STR)
                        return *a0;
                if (a0->kind == JV_NUM) {
                        struct jfold f = { 0 };
                        jfold_add_jv(&f, a0);
                        return jfold_end(a, &f, k);
                }
                return jv_unknown(a0->flags & VF_TAINT);
        case SK_STRING_RAW:
        case SK_PASS:
                return *a0;
        case SK_SELF:
                return jv_module(callee->mod);
        case SK_REFLECT_GET: {
                struct jv v = jv_is_str(a1) ? js_member(a, a0, a1->s, a1->n, true, a1)
                                            : js_member(a, a0, NULL, 0, true, a1);
                if (v.kind == JV_MEMBER || v.kind == JV_MODULE)
                        js_set_evasion(&v, "Reflect.get");
                return v;
        }
        case SK_REFLECT_APPLY:
        case SK_REFLECT_CONSTRUCT: {
                const struct jv *list = sk == SK_REFLECT_APPLY ? a2 : a1;
                struct jv fn = *a0;
                js_set_evasion(&fn, sk == SK_REFLECT_APPLY ? "Reflect.apply" : "Reflect.construct");
                struct jv one = jv_unknown(list->flags & VF_TAINT);
                if (list->kind == JV_ARRAY)
                        return js_call(a, &fn, list->items, list->n, sk == SK_REFLECT_CONSTRUCT, k, JS_NONE, from,
                                       NULL);
                return js_call(a, &fn, &one, 1, sk == SK_REFLECT_CONSTRUCT, k, JS_NONE, from, NULL);
        }
        case SK_GETPROTO:
                if (jv_is_fn(a0)) {
                        const struct jv *r = arena_jv(a, &JS_FUNCTION_CTOR);
                        if (r)
                                return (struct jv) { .kind = JV_PROTO, .recv = r, .origin = JS_NONE };
                }
                return jv_unknown(0);
        case SK_ENV_COPY: {
                uint16_t fl = 0;
                for (size_t i = 0; i < n; i++)
                        fl |= (args[i].flags & VF_TAINT) | (args[i].kind == JV_ENV ? VF_ENVDATA : 0);
                return jv_unknown(fl);
        }
        case SK_JSON_STRINGIFY:
                if (a->reporting && (a0->kind == JV_ENV || (a0->flags & VF_ENVDATA)))
                        js_report(a, k, "js.env_harvest.serialize", SEV_HIGH, "env_harvest", ESC_HARVEST,
                                  "%s serialises the whole environment (process.env)", w.text);
                return jv_unknown((a0->flags & VF_TAINT) | (a0->kind == JV_ENV ? VF_ENVDATA : 0));
        case SK_ENV_ENUM:
                if (a0->kind == JV_ENV) {
                        if (a->reporting)
                                js_report(a, k, "js.env_harvest.enumerate", SEV_HIGH, "env_harvest", ESC_HARVEST,
                                          "%s lists every environment variable", w.text);
                        return jv_unknown(VF_ENVDATA);
                }
                return jv_unknown(a0->flags & VF_TAINT);

        case SK_EXEC_SHELL:
                report_shell(a, k, "js.process.exec", callee, a0, &w);
                return jv_unknown(0);
        case SK_SHELL_TAG:
                report_shell(a, k, "js.process.exec", callee, a0, &w);
                return jv_unknown(0);
        case SK_EXEC_FILE: {
                const struct jv *argv = a1->kind == JV_ARRAY ? a1 : NULL;
                const struct jv *opts = a1->kind == JV_OBJECT ? a1 : a2->kind == JV_OBJECT ? a2 : NULL;
                const struct jv *sh = opts ? jv_prop(opts, "shell") : NULL;
                if (a1->kind != JV_ARRAY && a1->kind != JV_OBJECT && n > 1)
                        argv = a1; /* an argument list only known at run time */
                exec_program(a, k, callee, &w, a0, argv, sh && jv_truthy_const(sh));
                return jv_unknown(0);
        }
        case SK_EXEC_ARRAY:
        case SK_EXEC_OPTS: {
                const struct jv *list = a0;
                if (a0->kind == JV_OBJECT) {
                        const struct jv *c = jv_prop(a0, "cmd");
                        list = c ? c : &none;
                }
                if (list->kind == JV_ARRAY && list->n > 0) {
                        struct jv rest = {
                                .kind = JV_ARRAY, .n = list->n - 1, .items = list->items + 1, .origin = JS_NONE
                        };
                        exec_program(a, k, callee, &w, &list->items[0], &rest, false);
                } else
                        exec_program(a, k, callee, &w, &none, NULL, false);
                return jv_unknown(0);
        }
        case SK_DENO_COMMAND:
                exec_program(a, k, callee, &w, a0, a1->kind == JV_OBJECT ? jv_prop(a1, "args") : NULL, false);
                return jv_unknown(0);
        case SK_FORK:
                if (jv_is_str(a0))
                        js_report_download_run(a, k, &w, a0->s, a0->n);
                if (a->reporting) {
                        uint16_t fl;
                        const struct jsum *sum;
                        int cls = arg_class(a, a0, &fl, &sum);
                        enum severity sev = cls == 0 ? SEV_MEDIUM : SEV_HIGH;
                        if (fl & (VF_DECODED | VF_NETWORK))
                                sev = SEV_CRITICAL;
                        if (callee->flags & VF_EVASION)
                                sev = js_max_sev(sev, SEV_HIGH);
                        if (sev == SEV_MEDIUM && scan_perm_exec(a->ctx->perms, "node", 4))
                                sev = SEV_SAFE;
                        js_report(a, k, "js.process.fork", sev, "process", ESC_NONE,
                                  "%s starts a Node.js process running %s", w.text,
                                  cls == 0 && a0->kind == JV_STR ? "a script of the skill"
                                                                 : "a script only known at run time");
                }
                return jv_unknown(0);

        case SK_EVAL:
                if (n > 0)
                        js_code_sink(a, k, "js.code.eval", callee, a0, &w);
                return jv_unknown(a0->flags & VF_TAINT);
        case SK_FUNCTION: {
                if (n > 0)
                        js_code_sink(a, k, "js.code.new-function", callee, &args[n - 1], &w);
                struct jv fn = { .kind = JV_FUNC, .origin = k };
                if (n > 0 && jv_is_str(&args[n - 1])) {
                        /* Function("return this")(): the global object, the usual first step of
                         * an escape to process and require */
                        const struct jv *b = &args[n - 1];
                        size_t s = 0, e = b->n;
                        while (s < e && (b->s[s] == ' ' || b->s[s] == '\n'))
                                s++;
                        while (e > s && (b->s[e - 1] == ' ' || b->s[e - 1] == ';' || b->s[e - 1] == '\n'))
                                e--;
                        static const struct jv THIS = { .kind = JV_THIS, .origin = JS_NONE };
                        if (e - s == 11 && memcmp(b->s + s, "return this", 11) == 0)
                                fn.ret = &THIS;
                }
                return fn;
        }
        case SK_TIMER:
                if (a0->kind == JV_STR || (a0->kind != JV_FUNC && (a0->flags & (VF_DECODED | VF_NETWORK))))
                        js_code_sink(a, k, "js.code.timer-string", callee, a0, &w);
                else if (a0->kind == JV_PARAM) {
                        uint16_t fl = 0;
                        if (sum_resolve(a, a0->s, a0->n, a0->aux, 0, &fl) < 2 || (fl & (VF_DECODED | VF_NETWORK)))
                                js_code_sink(a, k, "js.code.timer-string", callee, a0, &w);
                }
                return jv_unknown(0);
        case SK_VM:
                if (n > 0)
                        js_code_sink(a, k, "js.code.vm", callee, a0, &w);
                return jv_unknown(a0->flags & VF_TAINT);
        case SK_WORKER: {
                const struct jv *e = a1->kind == JV_OBJECT ? jv_prop(a1, "eval") : NULL;
                if (e && jv_truthy_const(e))
                        js_code_sink(a, k, "js.code.worker-eval", callee, a0, &w);
                return jv_unknown(0);
        }
        case SK_WASM:
                if (a->reporting)
                        js_report(a, k, "js.native_code.wasm", SEV_MEDIUM, "native_code", ESC_NONE, "%s compiles %s",
                                  w.text,
                                  (a0->kind == JV_STR || a0->kind == JV_ARRAY || (a0->flags & VF_DECODED))
                                          ? "WebAssembly bytes embedded in the script"
                                          : "a WebAssembly module");
                return jv_unknown(0);
        case SK_BINDING:
        case SK_DLOPEN:
                if (a->reporting)
                        js_report(a, k, sk == SK_BINDING ? "js.native_code.process-binding" : "js.native_code.dlopen",
                                  SEV_HIGH, "native_code", ESC_NONE, "%s %s", w.text,
                                  sk == SK_BINDING ? "reaches Node's internal native bindings"
                                                   : "loads a native shared library");
                return jv_unknown(0);
        case SK_SETUID:
                if (a->reporting && ((a0->kind == JV_NUM && a0->num == 0) || jv_streq(a0, "root")))
                        js_report(a, k, "js.privilege.setuid", SEV_CRITICAL, "privilege", ESC_NONE,
                                  "%s switches to the root user", w.text);
                return jv_unknown(0);
        case SK_DESER:
                if (a->reporting)
                        js_report(a, k, "js.deserialization.unserialize",
                                  (a0->flags & VF_NETWORK) ? SEV_HIGH : SEV_MEDIUM, "deserialization", ESC_NONE,
                                  "%s deserialises data that can carry functions%s", w.text,
                                  taint_note(a0->flags & VF_NETWORK));
                return jv_unknown(a0->flags & VF_TAINT);

        case SK_NET_URL:
        case SK_NET_WS:
                js_net_url(a, k, sk == SK_NET_WS ? "js.network.websocket" : "js.network.http", &w, a0, args, n);
                return jv_unknown(VF_NETWORK);
        case SK_NET_REQ:
                if (a0->kind == JV_OBJECT && !jv_prop(a0, "url")) {
                        const struct jv *h = jv_prop(a0, "hostname");
                        const struct jv *p = jv_prop(a0, "port");
                        char host[256];
                        if (!h)
                                h = jv_prop(a0, "host");
                        uint16_t port = p && p->kind == JV_NUM && p->num > 0 && p->num < 65536 ? (uint16_t) p->num : 0;
                        js_net_report(a, k, "js.network.http", &w,
                                      h && js_str_host(h, host, sizeof(host)) ? host : NULL, port, args, n);
                } else
                        js_net_url(a, k, "js.network.http", &w, a0, args, n);
                return jv_unknown(VF_NETWORK);
        case SK_NET_HOST:
                js_net_host(a, k, &w, args, n);
                return jv_unknown(VF_NETWORK | VF_SOCKET);
        case SK_NET_SOCKET:
                return jv_unknown(VF_SOCKET);
        case SK_NET_XHR:
                return jv_unknown(VF_XHR);
        case SK_NET_DNS: {
                char host[256];
                js_net_report(a, k, "js.network.dns", &w, js_str_host(a0, host, sizeof(host)) ? host : NULL, 0, args,
                              n);
                return jv_unknown(VF_NETWORK);
        }

        case SK_FS_READ:
                js_fs_read(a, k, &w, a0, "reads");
                return jv_unknown(0);
        case SK_GLOB:
                js_fs_read(a, k, &w, a0, "lists");
                return jv_unknown(0);
        case SK_FS_WRITE: {
                js_fs_write(a, k, &w, a0, "writes to");
                if (a->reporting)
                        js_env_exfil(a, k, args + (n > 1), n > 1 ? n - 1 : 0, "written to a file");
                if (n > 1 && (a1->flags & VF_NETWORK) && a0->kind == JV_STR)
                        js_record_download(a, a0->s, a0->n);
                struct jv ws = jv_unknown(VF_WSTREAM);
                if (a0->kind == JV_STR) {
                        ws.s = a0->s;
                        ws.n = a0->n;
                }
                return ws;
        }
        case SK_PRINT:
                if (a->reporting)
                        for (size_t i = 0; i < n; i++)
                                if (args[i].kind == JV_ENV || (args[i].flags & VF_ENVDATA)) {
                                        js_report(a, k, "js.env_harvest.print", SEV_HIGH, "env_harvest", ESC_HARVEST,
                                                  "%s prints the whole environment (process.env)", w.text);
                                        break;
                                }
                return jv_unknown(0);
        case SK_PIPELINE: {
                bool net = false;
                for (size_t i = 0; i < n; i++)
                        net |= (args[i].flags & VF_NETWORK) != 0;
                for (size_t i = 0; i < n && net; i++)
                        if ((args[i].flags & VF_WSTREAM) && args[i].s)
                                js_record_download(a, args[i].s, args[i].n);
                return jv_unknown(0);
        }
        case SK_FS_OPEN:
                if (jv_is_str(a1) &&
                    (memchr(a1->s, 'w', a1->n) || memchr(a1->s, 'a', a1->n) || memchr(a1->s, '+', a1->n)))
                        js_fs_write(a, k, &w, a0, "opens for writing");
                else
                        js_fs_read(a, k, &w, a0, "opens");
                return jv_unknown(0);
        case SK_FS_COPY:
                js_fs_read(a, k, &w, a0, "copies");
                js_fs_write(a, k, &w, a1, "copies a file into");
                return jv_unknown(0);
        case SK_FS_LINK:
                js_fs_read(a, k, &w, a0, "links to");
                js_fs_write(a, k, &w, a1, "creates a link at");
                return jv_unknown(0);
        case SK_FS_CHMOD:
                js_fs_chmod(a, k, &w, a0, a1);
                return jv_unknown(0);
        case SK_FS_RM:
        case SK_FS_RM_R:
                js_fs_rm(a, k, &w, a0, a1->kind == JV_OBJECT ? a1 : NULL, sk == SK_FS_RM_R);
                return jv_unknown(0);
        default:
                break;
        }
        (void) is_new;
        *handled = false;
        return jv_unknown(0);
}

