/* libFuzzer target: SKILL.md bytes -> scan_skill_md(). Must never crash, hang, leak or read past
 * the input (no NUL terminator is given), and every finding must carry a valid position. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/scan/skill_md_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct findings f = { 0 };
        int r = scan_skill_md((const char *) data, size, "SKILL.md", &f);
        if (r < 0 && r != -ENOMEM)
                abort();
        for (size_t i = 0; i < f.n; i++) {
                const struct finding *x = &f.v[i];
                if (x->line < 1 || x->column < 1 || (size_t) x->column > size || (size_t) x->line > size ||
                    x->severity > SEV_CRITICAL || !x->message[0])
                        abort();
        }
        findings_done(&f);
        return 0;
}
