/* libFuzzer target: shell script bytes -> tokens (src/scan/lex_shell.c). Must never crash, hang
 * or leak, and the token list must keep its invariants whatever the bytes. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/scan/token.h"
#include "token_pos_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_shell((const char *) data, size, &l, &err);
        if (r < 0 && r != -E2BIG && r != -ENOMEM)
                abort();
        if (l.src != (const char *) data || l.src_len != size)
                abort();
        for (size_t i = 0; i < l.n; i++) {
                const struct token *t = &l.v[i];
                if ((size_t) t->offset + t->len > size)
                        abort();
                if (i > 0 && t->offset < l.v[i - 1].offset)
                        abort(); /* source order */
                if (!token_pos_matches_count(&l, i))
                        abort();
                if (t->kind == TOK_STRING && !t->value)
                        abort();
                if (t->value && t->value[t->value_len] != '\0')
                        abort();
                if (t->value && t->value_len > t->len)
                        abort(); /* decoding never grows a value */
        }
        token_list_done(&l);
        return 0;
}
