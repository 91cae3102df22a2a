/* The symlink rule (link_rule.h). */
#include "link_rule.h"

#include <string.h>

const char *link_rule_refusal(const char *target, unsigned depth) {
        if (!target || !target[0])
                return "is empty";
        if (target[0] == '/')
                return "is absolute";
        unsigned up = 0;
        bool named = false;
        for (const char *c = target; *c;) {
                size_t n = strcspn(c, "/");
                if (n == 2 && c[0] == '.' && c[1] == '.') {
                        if (named)
                                return "has '..' after a name";
                        if (++up > depth)
                                return "leaves the skill";
                } else if (n > 0 && !(n == 1 && c[0] == '.')) {
                        named = true;
                }
                c += n;
                while (*c == '/')
                        c++;
        }
        return NULL;
}

bool link_rule_ok(const char *entry, const char *target) {
        if (!entry)
                return false;
        unsigned depth = 0;
        for (const char *p = entry; *p; p++)
                depth += *p == '/';
        return link_rule_refusal(target, depth) == NULL;
}
