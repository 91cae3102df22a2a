/* libFuzzer target: two strings (split at the first newline) -> every PEP 440 and SemVer entry
 * point. Must never crash, hang or read out of bounds; results stay in their contract and
 * comparisons are antisymmetric and reflexive. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok) {
        if (!ok)
                abort();
}

static void check_compare(int (*cmp)(const char *, const char *, int *), const char *a, const char *b) {
        int ab = 7, ba = 7, aa = 7;
        int r1 = cmp(a, b, &ab), r2 = cmp(b, a, &ba);
        check(r1 == 0 || r1 == -EINVAL);
        check(r1 == r2);
        if (r1 == 0) {
                check(ab >= -1 && ab <= 1 && ab == -ba);
                check(cmp(a, a, &aa) == 0 && aa == 0);
        } else
                check(ab == 7 && ba == 7); /* untouched on error */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *buf = malloc(size + 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = '\0';
        char *nl = memchr(buf, '\n', size);
        const char *a = buf, *b = "1.0.0";
        if (nl) {
                *nl = '\0';
                b = nl + 1;
        }
        check_compare(pep440_compare, a, b);
        check_compare(semver_compare, a, b);
        check(pep440_valid(a) == (pep440_compare(a, "0", &(int) { 0 }) == 0));
        check(semver_valid(a) == (semver_compare(a, "0.0.0", &(int) { 0 }) == 0));
        int r = pep440_spec_match(a, b);
        check(r == 0 || r == 1 || r == -EINVAL);
        r = semver_range_match(a, b);
        check(r == 0 || r == 1 || r == -EINVAL);
        /* an exact version always matches itself as a range */
        if (semver_valid(b))
                check(semver_range_match(b, b) == 1);
        free(buf);
        return 0;
}
