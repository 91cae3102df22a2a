/* The install-time scan of a skill or a file (scan.h): files -> tokens -> rules, SKILL.md checks,
 * dependencies -> supply chain, one report. */
#include "scan.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "../base/json.h"
#include "../base/macros.h"
#include "../base/strv.h"
#include "rules_common.h"
#include "skill_md_checks.h"
#include "supply_chain.h"
#include "token.h"

static double now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

int scan_skill_perms_init(struct scan_skill_perms *p, const struct skill *s) {
        *p = (struct scan_skill_perms) { 0 };
        const char *net = skill_metadata_get(s, "skilllite.network");
        if (net) {
                /* An invalid list grants nothing; `validate` reports it, the scan just does not
                 * lower anything for it. */
                struct error err = { 0 };
                if (net_grants_parse(&p->grants, net, "skilllite.network", &err) == 0)
                        p->perms.network = &p->grants;
        }
        const char *exec = skill_metadata_get(s, "skilllite.exec");
        if (exec) {
                size_t n = 0;
                p->exec = calloc(1, sizeof(char *));
                if (!p->exec)
                        return -ENOMEM;
                for (const char *c = exec; *c;) {
                        c += strspn(c, ", \t");
                        size_t len = strcspn(c, ", \t");
                        if (len && strv_pushn(&p->exec, &n, c, len) < 0)
                                return -ENOMEM;
                        c += len;
                }
                p->perms.exec = p->exec;
        }
        const char *procs = skill_metadata_get(s, "skilllite.processes");
        p->perms.processes = procs && strcmp(procs, "0") != 0;
        return 0;
}

void scan_skill_perms_done(struct scan_skill_perms *p) {
        net_grants_done(&p->grants);
        strv_free(p->exec);
        *p = (struct scan_skill_perms) { 0 };
}

typedef int (*lexer_fn)(const char *, size_t, struct token_list *, struct error *);
typedef int (*rules_fn)(const struct scan_ctx *, struct token_list *);

/* The JS and shell analysers only read the list (rules_fn lets the Python one consume it). */
static int rules_js(const struct scan_ctx *ctx, struct token_list *toks) {
        return scan_rules_js(ctx, toks);
}

static int rules_shell(const struct scan_ctx *ctx, struct token_list *toks) {
        return scan_rules_shell(ctx, toks);
}

static void token_listp(struct token_list *l) {
        token_list_done(l);
}

/* Lex one script and run its language's rules. A file the lexer gives up on (too many tokens,
 * too deeply nested) is a finding: an attacker can pad a file to get past a scanner, so "too
 * complex" is never "clean". */
static int scan_code(const struct scan_ctx *ctx, lexer_fn lex, rules_fn rules, const char *lang) {
        _cleanup_(token_listp) struct token_list toks = { 0 };
        struct error err = { 0 };
        int r = lex(ctx->src, ctx->src_len, &toks, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return scan_report(ctx, NULL, NULL, "scan.too-complex", SEV_HIGH, "obfuscation",
                                   "%s file too complex to analyse (%s): not scanned", lang,
                                   err.msg[0] ? err.msg : strerror(-r));
        return rules(ctx, &toks);
}

/* npm runs lifecycle scripts with sh at install time: their command lines are shell code. The
 * discovery already reported that they exist; here their content is judged. */
static int scan_package_json_scripts(const struct scan_ctx *ctx) {
        json_error_t jerr;
        _cleanup_json_ json_t *root = json_loadb(ctx->src, ctx->src_len, 0, &jerr);
        json_t *scripts = root ? json_object_get(root, "scripts") : NULL;
        if (!json_is_object(scripts))
                return 0;
        for (size_t i = 0; i < SCAN_NPM_LIFECYCLE_N; i++) {
                json_t *v = json_object_get(scripts, SCAN_NPM_LIFECYCLE[i]);
                if (!json_is_string(v))
                        continue;
                /* position: the first occurrence of the quoted key */
                char quoted[32];
                int k = snprintf(quoted, sizeof(quoted), "\"%s\"", SCAN_NPM_LIFECYCLE[i]);
                const char *at = k > 0 ? memmem(ctx->src, ctx->src_len, quoted, (size_t) k) : NULL;
                size_t off = at ? (size_t) (at - ctx->src) : 0;
                uint32_t line = 1, col = 1;
                for (size_t j = 0; j < off; j++) {
                        if (ctx->src[j] == '\n' || (ctx->src[j] == '\r' && (j + 1 >= off || ctx->src[j + 1] != '\n')))
                                line++, col = 1;
                        else
                                col++;
                }
                int r = scan_shell_command_text(ctx, json_string_value(v), json_string_length(v),
                                                line, col, off);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int scan_one_file(const struct scan_file *x, const struct scan_perms *perms,
                         struct findings *f) {
        struct scan_ctx ctx = { .file = x->path, .src = x->data, .src_len = x->len, .f = f,
                                .perms = perms };
        switch (x->kind) {
        case SCAN_FILE_PYTHON:
                return scan_code(&ctx, lex_python, scan_rules_python, "Python");
        case SCAN_FILE_SETUP_PY: {
                size_t n = strlen(x->path);
                /* setup.py is Python that pip runs at build time; setup.cfg is configuration */
                if (n >= 3 && strcmp(x->path + n - 3, ".py") == 0)
                        return scan_code(&ctx, lex_python, scan_rules_python, "Python");
                return 0;
        }
        case SCAN_FILE_JS:
                return scan_code(&ctx, lex_js, rules_js, "JavaScript");
        case SCAN_FILE_SHELL:
                return scan_code(&ctx, lex_shell, rules_shell, "shell");
        case SCAN_FILE_SKILL_MD:
                return scan_skill_md(x->data, x->len, x->path, f);
        case SCAN_FILE_PACKAGE_JSON:
                return scan_package_json_scripts(&ctx);
        default:
                return 0;
        }
}

int scan_run(int dirfd, const char *file, const struct scan_options *o, struct scan_report *rep,
             struct error *err) {
        static const struct scan_perms no_perms = { 0 };
        double t0 = now_ms();
        const struct scan_perms *perms = o && o->perms ? o->perms : &no_perms;
        int r = file ? scan_discover_one(dirfd, file, &rep->files, &rep->findings, err)
                     : scan_discover(dirfd, &rep->files, &rep->findings, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < rep->files.n; i++) {
                const struct scan_file *x = &rep->files.v[i];
                rep->files_scanned++;
                if (!x->data || !scan_file_kind_is_text(x->kind))
                        continue;
                rep->bytes_scanned += x->len;
                r = scan_one_file(x, perms, &rep->findings);
                if (r < 0)
                        return error_set(err, r, "scanning %s: %s", x->path, strerror(-r));
        }
        r = deps_extract(&rep->files, o ? o->compatibility : NULL, &rep->deps, &rep->findings);
        if (r < 0)
                return error_set(err, r, "reading dependencies: %s", strerror(-r));
        struct supply_online online = { 0 };
        if (o && o->online && (r = o->online(o->online_ctx, &rep->deps, &online)) < 0) {
                supply_online_done(&online);
                return error_set(err, r, "querying advisories online: %s", strerror(-r));
        }
        r = supply_chain_audit_online(&rep->deps, o ? o->db : NULL, o && o->online ? &online : NULL, &rep->findings,
                                      &rep->supply_chain);
        supply_online_done(&online);
        if (r < 0)
                return error_set(err, r, "auditing dependencies: %s", strerror(-r));
        rep->duration_ms = now_ms() - t0;
        return 0;
}

void scan_report_done(struct scan_report *rep) {
        findings_done(&rep->findings);
        deps_done(&rep->deps);
        scan_files_done(&rep->files);
        json_decref(rep->supply_chain);
        json_decref(rep->review);
        *rep = (struct scan_report) { 0 };
}

enum severity scan_report_verdict(const struct scan_report *rep) {
        return findings_verdict(&rep->findings);
}

json_t *scan_report_to_json(const struct scan_report *rep) {
        json_t *findings = findings_to_json(&rep->findings);
        json_t *deps = deps_to_json(&rep->deps);
        if (!findings || !deps) {
                json_decref(findings), json_decref(deps);
                return NULL;
        }
        return json_pack("{s:s, s:o, s:o, s:O?, s:O?, s:I, s:I, s:f, s:I, s:{s:s}}",
                         "verdict", severity_to_string(scan_report_verdict(rep)),
                         "findings", findings,
                         "dependencies", deps,
                         "supply_chain", rep->supply_chain,
                         "review", rep->review,
                         "files_scanned", (json_int_t) rep->files_scanned,
                         "bytes_scanned", (json_int_t) rep->bytes_scanned,
                         "duration_ms", rep->duration_ms,
                         "dropped_findings", (json_int_t) rep->findings.dropped,
                         "scanner", "rules_version", SCAN_RULES_VERSION);
}
