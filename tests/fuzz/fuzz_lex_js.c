/* libFuzzer target: JavaScript/TypeScript bytes -> tokens (src/scan/lex_js.c). Must never crash,
 * hang or leak, and the token list must keep its invariants whatever the bytes. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/scan/token.h"
#include "token_pos_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_js((const char *) data, size, &l, &err);
        check(r == 0 || r == -E2BIG || r == -ENOMEM);
        check(r == 0 || err.code == r);
        check(l.src == (const char *) data && l.src_len == size);
        size_t end = 0;
        for (size_t i = 0; i < l.n; i++) {
                const struct token *t = &l.v[i];
                check(t->offset >= end);              /* source order, no overlap */
                check((size_t) t->offset + t->len <= size);
                check(t->len > 0 || t->kind == TOK_STRING);
                check(token_pos_matches_count(&l, i));
                if (t->kind == TOK_STRING)
                        check(t->value != NULL && t->value[t->value_len] == '\0' && t->value_len <= t->len);
                else
                        check(t->value == NULL);
                end = t->offset + t->len;
        }
        token_list_done(&l);
        return 0;
}
