/* libFuzzer target: SKILL.md bytes -> front matter split, YAML tree, validation.
 * Must never crash, hang or leak, whatever the bytes. */
#include <stddef.h>
#include <stdint.h>

#include "../../src/skill/skill.h"
#include "../../src/skill/skill_md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct skill_md md;
        struct error err = ERROR_INIT;
        if (skill_md_parse((const char *) data, size, &md, &err) < 0)
                return 0;
        struct skill_report rep;
        if (skill_report_init(&rep) == 0) {
                (void) skill_validate_front_matter(md.front_matter, "fuzz", &rep);
                skill_report_done(&rep);
        }
        skill_md_done(&md);
        return 0;
}
