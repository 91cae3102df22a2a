/* libFuzzer target: arbitrary bytes -> Python tokens. Must never crash, hang or leak, and the
 * tokens must keep the invariants the scanner's rules rely on. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/scan/token.h"
#include "token_pos_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant broken is a bug: abort so libFuzzer keeps the input. */
static void check(bool ok) {
        if (!ok)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct token_list l = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_python((const char *) data, size, &l, &err);
        check(l.src == (const char *) data && l.src_len == size);
        if (r < 0) {
                /* only the caps may fail, and nothing half-done is handed out */
                check((r == -E2BIG || r == -ENOMEM) && err.code == r && l.n == 0);
                token_list_done(&l);
                return 0;
        }
        size_t prev_end = 0;
        uint32_t prev_line = 1;
        for (size_t i = 0; i < l.n; i++) {
                const struct token *t = &l.v[i];
                check(t->offset >= prev_end);                  /* sorted, not overlapping */
                check((size_t) t->offset + t->len <= size);
                uint32_t line = token_line(&l, t);
                check(line >= prev_line && token_pos_matches_count(&l, i));
                check(t->kind <= TOK_NEWLINE);                 /* no shell-only kinds */
                if (t->kind == TOK_STRING) {
                        check(t->value != NULL);
                        check(t->value_len <= t->len);         /* decoding never grows the text */
                        check(t->value[t->value_len] == '\0');
                } else
                        check(t->value == NULL && t->len > 0); /* only string pieces may be empty */
                if (t->kind == TOK_NEWLINE)
                        check(t->len <= 2 && (data[t->offset] == '\n' || data[t->offset] == '\r'));
                prev_end = t->offset + t->len;
                prev_line = line;
        }
        token_list_done(&l);
        return 0;
}
