/* SKILLLITE_TEST_DISABLE parsing. */
#include "fault.h"

#include <stdlib.h>
#include <string.h>

bool sys_fault_injected(const char *feature) {
        const char *v = getenv("SKILLLITE_TEST_DISABLE");
        if (!v || !*v)
                return false;
        size_t n = strlen(feature);
        for (const char *p = v; *p;) {
                const char *end = strchr(p, ',');
                size_t len = end ? (size_t) (end - p) : strlen(p);
                if (len == n && strncmp(p, feature, n) == 0)
                        return true;
                if (!end)
                        break;
                p = end + 1;
        }
        return false;
}
