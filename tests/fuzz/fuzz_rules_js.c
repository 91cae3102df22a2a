/* libFuzzer target: arbitrary bytes -> JavaScript tokens -> the JavaScript rules. Must never
 * crash, hang, leak or read past the input, and every finding must carry a known severity, a
 * rule id of this analyser (or the shell rules it hands constant commands to) and a position
 * inside the file. Half of the inputs run with permissions declared, so the code paths that
 * lower findings to SEV_SAFE are exercised too. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *src = (const char *) data;
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        if (lex_js(src, size, &l, &err) < 0) {
                token_list_done(&l);
                return 0;
        }
        struct net_grants grants = { 0 };
        char git[] = "git", node[] = "node";
        char *exec[] = { git, node, NULL };
        bool declared = size > 0 && (data[0] & 1);
        if (declared)
                check(net_grants_parse(&grants, "api.example.com, *.example.org", "fuzz", &err) == 0);
        struct scan_perms perms = { .network = declared ? &grants : NULL, .exec = declared ? exec : NULL };
        struct findings f = { 0 };
        struct scan_ctx ctx = { .file = "x.js", .src = src, .src_len = size, .f = &f, .perms = &perms };
        int r = scan_rules_js(&ctx, &l);
        check(r == 0 || r == -ENOMEM);
        uint32_t lines = 1;
        for (size_t i = 0; i < size; i++) /* an upper bound: CRLF counts twice */
                lines += data[i] == '\n' || data[i] == '\r' ||
                         (data[i] == 0xE2 && i + 2 < size && data[i + 1] == 0x80 && (data[i + 2] & 0xFE) == 0xA8);
        for (size_t i = 0; i < f.n; i++) {
                const struct finding *x = &f.v[i];
                check(x->severity <= SEV_CRITICAL);
                check(strncmp(x->rule_id, "js.", 3) == 0 || strncmp(x->rule_id, "sh.", 3) == 0);
                check(x->line >= 1 && x->line <= lines + 1 && x->column >= 1);
                check(x->message && x->message[0]);
        }
        findings_done(&f);
        net_grants_done(&grants);
        token_list_done(&l);
        return 0;
}
