/* libFuzzer target: arbitrary bytes -> shell tokens -> the shell rules, and the same bytes as a
 * command string handed over by another language (scan_shell_command_text). Must never crash,
 * hang, leak or read past the input; every finding must carry a known severity, a shell rule id
 * and a position inside the file (the command string's findings: the caller's position). Half of
 * the inputs run with permissions declared, so the paths that lower findings run too. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/rules.h"
#include "../../src/scan/token.h"
#include "../../src/skill/netgrant.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

static void check_findings(const struct findings *f, uint32_t max_line) {
        for (size_t i = 0; i < f->n; i++) {
                const struct finding *x = &f->v[i];
                check(x->severity <= SEV_CRITICAL);
                check(strncmp(x->rule_id, "sh.", 3) == 0);
                check(x->line >= 1 && x->line <= max_line && x->column >= 1);
                check(x->message && x->message[0]);
                check(x->category && x->category[0]);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *src = (const char *) data;
        struct error err = ERROR_INIT;
        struct net_grants grants = { 0 };
        char git[] = "git", curl[] = "curl";
        char *exec[] = { git, curl, NULL };
        bool declared = size > 0 && (data[0] & 1);
        if (declared)
                check(net_grants_parse(&grants, "api.example.com, *.example.org", "fuzz", &err) == 0);
        struct scan_perms perms = { .network = declared ? &grants : NULL, .exec = declared ? exec : NULL };
        uint32_t lines = 1;
        for (size_t i = 0; i < size; i++) /* an upper bound: CRLF counts twice */
                lines += data[i] == '\n' || data[i] == '\r';

        struct token_list l = { 0 };
        if (lex_shell(src, size, &l, &err) == 0) {
                struct findings f = { 0 };
                struct scan_ctx ctx = {
                        .file = "x.sh", .src = src, .src_len = size, .f = &f, .perms = &perms
                };
                int r = scan_rules_shell(&ctx, &l);
                check(r == 0 || r == -ENOMEM);
                check_findings(&f, lines + 1);
                findings_done(&f);
        }
        token_list_done(&l);

        /* the same bytes as a command string found on line 2 of some other file */
        static const char caller[] = "import os\nos.system(cmd)\n";
        struct findings f = { 0 };
        struct scan_ctx ctx = {
                .file = "x.py", .src = caller, .src_len = sizeof(caller) - 1, .f = &f, .perms = &perms
        };
        int r = scan_shell_command_text(&ctx, src, size, 2, 1, 10);
        check(r == 0 || r == -ENOMEM);
        check_findings(&f, 2);
        for (size_t i = 0; i < f.n; i++)
                check(f.v[i].line == 2 && f.v[i].column == 1);
        findings_done(&f);
        net_grants_done(&grants);
        return 0;
}
