/* Unit tests for src/scan/version: PEP 440 parsing, ordering (the spec's own examples) and
 * specifiers; SemVer 2.0 precedence and node-semver ranges (caret, tilde, x-ranges, hyphen ranges,
 * the pre-release rule); hostile inputs (huge numbers, long strings, junk). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/macros.h"
#include "../../src/scan/version.h"

/* ---- PEP 440 --------------------------------------------------------------------------------- */

Test(pep440, spec_ordering_examples) {
        /* PEP 440, "Summary of permitted suffixes and relative ordering" */
        static const char *const ORDER[] = {
                "1.0.dev456",  "1.0a1",      "1.0a2.dev456",          "1.0a12.dev456", "1.0a12",
                "1.0b1.dev456", "1.0b2",     "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456",
                "1.0rc1",      "1.0",        "1.0+abc.5",            "1.0+abc.7",     "1.0+5",
                "1.0.post456.dev34", "1.0.post456", "1.0.15",        "1.1.dev1",
        };
        for (size_t i = 0; i < ELEMENTSOF(ORDER); i++)
                for (size_t j = 0; j < ELEMENTSOF(ORDER); j++) {
                        int cmp = 99;
                        cr_assert_eq(pep440_compare(ORDER[i], ORDER[j], &cmp), 0, "%s vs %s", ORDER[i], ORDER[j]);
                        int want = i < j ? -1 : i > j ? 1 : 0;
                        cr_expect_eq(cmp, want, "%s vs %s: got %d want %d", ORDER[i], ORDER[j], cmp, want);
                }
}

Test(pep440, more_ordering) {
        static const struct {
                const char *a, *b;
                int cmp;
        } T[] = {
                { "1.0", "1.0.0", 0 },          { "1.0.0.0.0", "1", 0 },        { "v1.0", "1.0", 0 },
                { "V1.0", "1.0", 0 },           { " 1.0\t", "1.0", 0 },         { "01.02", "1.2", 0 },
                { "1.0a1", "1.0.alpha.1", 0 },  { "1.0a1", "1.0-a-1", 0 },      { "1.0a1", "1.0_A1", 0 },
                { "1.0b2", "1.0beta2", 0 },     { "1.0rc1", "1.0c1", 0 },       { "1.0rc1", "1.0pre1", 0 },
                { "1.0rc1", "1.0preview1", 0 }, { "1.0a", "1.0a0", 0 },         { "1.0.post", "1.0.post0", 0 },
                { "1.0.post0", "1.0-0", 0 },    { "1.0.post1", "1.0-1", 0 },    { "1.0.post1", "1.0rev1", 0 },
                { "1.0.post1", "1.0r1", 0 },    { "1.0.post1", "1.0-post-1", 0 }, { "1.0.dev", "1.0.dev0", 0 },
                { "1.0.dev1", "1.0-dev1", 0 },  { "1.0+ubuntu-1", "1.0+ubuntu.1", 0 },
                { "1.0+ubuntu_1", "1.0+UBUNTU.1", 0 }, { "1.0+007", "1.0+7", 0 }, { "0!1.0", "1.0", 0 },
                { "1!0.1", "2.0", 1 },          { "1.0+abc", "1.0+1", -1 },     { "1.0+abc", "1.0+abc.1", -1 },
                { "1.0+abc.1", "1.0+abd", -1 }, { "1.0+2", "1.0+10", -1 },      { "1.0", "1.0+0", -1 },
                { "1.2", "1.10", -1 },          { "1.0.post1", "1.0.1", -1 },   { "1.0a1.post1", "1.0a2", -1 },
                { "1.0a1.post1", "1.0a1", 1 },  { "1.0rc1", "1.0", -1 },        { "1.0.dev1", "1.0a1", -1 },
                { "1.0a1.dev1", "1.0a1", -1 },  { "1.0.post1.dev1", "1.0.post1", -1 },
                { "1.0.post1.dev1", "1.0", 1 }, { "18446744073709551615", "18446744073709551614", 1 },
                { "1.0+99999999999999999999999999", "1.0+99999999999999999999999998", 1 },
        };
        for (size_t i = 0; i < ELEMENTSOF(T); i++) {
                int cmp = 99;
                cr_assert_eq(pep440_compare(T[i].a, T[i].b, &cmp), 0, "%s vs %s", T[i].a, T[i].b);
                cr_expect_eq(cmp, T[i].cmp, "%s vs %s: %d", T[i].a, T[i].b, cmp);
                cr_assert_eq(pep440_compare(T[i].b, T[i].a, &cmp), 0);
                cr_expect_eq(cmp, -T[i].cmp, "%s vs %s reversed: %d", T[i].b, T[i].a, cmp);
        }
}

Test(pep440, invalid_versions) {
        static const char *const BAD[] = {
                "", " ", "v", "1.", ".1", "1..0", "1.0+", "1.0+a..b", "1.0+a.", "1.0-", "abc", "1.0a1b1",
                "1!", "!1", "1.0 a1", "1.0.*", "1.0a1.a2", "1.0.post1.post2", "1.0.dev1.dev2", "1.0.dev1a1",
                "18446744073709551616", "1.18446744073709551616", "1!18446744073709551616",
                "99999999999999999999999.0", "1.0a99999999999999999999", "1.0+a+b", "1,0", "1.0\xc3\xa9",
                "=1.0", "==1.0", "1.0_", "1.0.", "+1.0", "1.0 .post1", "1.0\n1.1",
        };
        for (size_t i = 0; i < ELEMENTSOF(BAD); i++) {
                int cmp = 42;
                cr_expect_not(pep440_valid(BAD[i]), "'%s' should be invalid", BAD[i]);
                cr_expect_eq(pep440_compare(BAD[i], "1.0", &cmp), -EINVAL, "'%s'", BAD[i]);
                cr_expect_eq(cmp, 42, "ret_cmp untouched on error");
        }
        cr_expect(pep440_valid("18446744073709551615"));
        cr_expect(pep440_valid("1.0a1.post2.dev3+local.7"));
        cr_expect_not(pep440_valid(NULL));
}

Test(pep440, hostile_lengths) {
        char *big = malloc(10 * 1024 + 1);
        cr_assert_not_null(big);
        memset(big, '1', 10 * 1024);
        big[10 * 1024] = '\0';
        int cmp;
        cr_expect_eq(pep440_compare(big, "1.0", &cmp), -EINVAL, "a 10 KB number");
        for (size_t i = 1; i < 10 * 1024; i += 2)
                big[i] = '.';
        cr_expect_eq(pep440_compare(big, "1.0", &cmp), -EINVAL, "5000 release segments");
        cr_expect_eq(pep440_spec_match(big, "1.0"), -EINVAL);
        cr_expect_eq(pep440_spec_match(">=1.0", big), -EINVAL);
        /* the longest accepted: 128 segments in 255 bytes */
        big[255] = '\0';
        cr_expect(pep440_valid(big));
        cr_expect_eq(pep440_compare(big, "1.1.1", &cmp), 0);
        cr_expect_eq(cmp, 1);
        free(big);
}

struct spec_case {
        const char *spec, *version;
        int want;
};

static void run_spec_cases(const struct spec_case *T, size_t n) {
        for (size_t i = 0; i < n; i++)
                cr_expect_eq(pep440_spec_match(T[i].spec, T[i].version), T[i].want, "'%s' vs '%s': got %d, want %d",
                             T[i].spec, T[i].version, pep440_spec_match(T[i].spec, T[i].version), T[i].want);
}

Test(pep440, compatible_release) {
        static const struct spec_case T[] = {
                { "~=2.2", "2.2", 1 },           { "~=2.2", "2.3", 1 },          { "~=2.2", "2.9.9", 1 },
                { "~=2.2", "3.0", 0 },           { "~=2.2", "2.1", 0 },          { "~=2.2", "2.2.post1", 1 },
                { "~=1.4.5", "1.4.5", 1 },       { "~=1.4.5", "1.4.9", 1 },      { "~=1.4.5", "1.5.0", 0 },
                { "~=1.4.5", "1.4.4", 0 },       { "~=2.2.post3", "2.2.post3", 1 }, { "~=2.2.post3", "2.3", 1 },
                { "~=2.2.post3", "3.0", 0 },     { "~=2.2.post3", "2.2", 0 },    { "~=1.4.5a4", "1.4.5a4", 1 },
                { "~=1.4.5a4", "1.4.5", 1 },     { "~=1.4.5a4", "1.4.6a1", 1 },  { "~=1.4.5a4", "1.5", 0 },
                { "~=1.4.5.0", "1.4.5.9", 1 },   { "~=1.4.5.0", "1.4.6", 0 },    { "~=1!2.0", "1!2.5", 1 },
                { "~=1!2.0", "2.5", 0 },         { "~=2.2", "2.5a1", 0 },        { "~= 2.2", "2.4", 1 },
                { "~=1", "1.0", -EINVAL },       { "~=1.0.*", "1.0", -EINVAL },  { "~=1.0+local", "1.0", -EINVAL },
        };
        run_spec_cases(T, ELEMENTSOF(T));
}

Test(pep440, wildcards) {
        static const struct spec_case T[] = {
                { "==1.*", "1.0", 1 },         { "==1.*", "1.9.9", 1 },       { "==1.*", "1", 1 },
                { "==1.*", "2.0", 0 },         { "==1.*", "0.9", 0 },         { "==1.*", "1.0.post1", 1 },
                { "==1.*", "1.0a1", 0 },       { "==1.*", "1.0+local", 1 },   { "==1.1.*", "1.1", 1 },
                { "==1.1.*", "1.10", 0 },      { "==1.1.*", "1.1.7", 1 },     { "==1.0.0.*", "1.0", 1 },
                { "==1.*", "1!1.0", 0 },       { "==1!1.*", "1!1.3", 1 },     { "!=1.*", "2.0", 1 },
                { "!=1.*", "1.5", 0 },         { "!=1.0.*", "1.0.1", 0 },     { "!=1.0.*", "1.1", 1 },
                { "== 2.*", "2.4", 1 },        { "==1.0a1.*", "1.0", -EINVAL }, { ">=1.0.*", "1.0", -EINVAL },
                { "==1.*.*", "1.0", -EINVAL }, { "==*", "1.0", -EINVAL },     { "==1.0+abc.*", "1.0", -EINVAL },
        };
        run_spec_cases(T, ELEMENTSOF(T));
}

Test(pep440, operators) {
        static const struct spec_case T[] = {
                /* ==, != and local labels */
                { "==1.0", "1.0", 1 },           { "==1.0", "1.0.0", 1 },        { "==1.0", "1.0+local", 1 },
                { "==1.0+local", "1.0", 0 },     { "==1.0+local", "1.0+LOCAL", 1 }, { "==1.0+local", "1.0+other", 0 },
                { "!=1.0", "1.0+x", 0 },         { "!=1.0", "1.1", 1 },          { "==1.0", "1.0.post1", 0 },
                /* ordered comparisons ignore the candidate's local label */
                { ">=1.0", "1.0+local", 1 },     { "<=1.0", "1.0+local", 1 },    { "<=1.0", "1.0.post1", 0 },
                /* < keeps the spec version's own pre-releases out */
                { "<3.0", "2.9", 1 },            { "<3.0", "3.0rc1", 0 },        { "<3.0", "3.0.post1", 0 },
                { "<3.0rc2", "3.0rc1", 1 },      { "<3.0rc1", "3.0.dev1", 1 },   { ">=2.0a1,<3.0", "3.0b1", 0 },
                { ">=2.0a1,<3.0", "2.5b1", 1 },  { "<3.0", "3.0+local", 0 },
                /* > keeps the spec version's post releases and local versions out */
                { ">1.7", "1.7.1", 1 },          { ">1.7", "1.7.0.post1", 0 },   { ">1.7.post2", "1.7.1", 1 },
                { ">1.7.post2", "1.7.0.post3", 1 }, { ">1.7.post2", "1.7.0.post2", 0 }, { ">1.7", "1.7+local", 0 },
                { ">1.7", "1.8+local", 1 },      { ">1.7", "1.7", 0 },
                /* === is a string comparison */
                { "===1.0", "1.0", 1 },          { "===1.0", "1.0.0", 0 },       { "===foobar", "foobar", 1 },
                { "===foobar", "FOOBAR", 1 },    { "===foobar", "foobaz", 0 },   { "===1.0,>=1", "foo", -EINVAL },
                /* sets */
                { ">=1.0,<2.0,!=1.5.*", "1.5.3", 0 }, { ">=1.0,<2.0,!=1.5.*", "1.6", 1 },
                { ">=1.0,<2.0,!=1.5.*", "2.0", 0 }, { " >= 1.0 , < 2 ", "1.5", 1 }, { ">=1.0,,<2", "1.5", 1 },
                { "", "1.0", 1 },                { "", "1.0a1", 1 },             { " , ", "1.0", 1 },
                { "", "not a version", -EINVAL }, { ">=1.0", "garbage", -EINVAL },
        };
        run_spec_cases(T, ELEMENTSOF(T));
}

Test(pep440, prereleases) {
        static const struct spec_case T[] = {
                { ">=1.0", "2.0a1", 0 },         { ">=1.0a1", "2.0a1", 1 },      { ">=1.0", "2.0.dev3", 0 },
                { ">=1.0.dev1", "2.0.dev3", 1 }, { "!=1.0a1", "2.0a1", 0 },      { "==1.0a1", "1.0a1", 1 },
                { ">=1.0,<=2.0rc1", "1.5b1", 1 }, { "<2", "1.9.post1", 1 },      { ">=1.0", "2.0.post1", 1 },
        };
        run_spec_cases(T, ELEMENTSOF(T));
}

Test(pep440, invalid_specs) {
        static const char *const BAD[] = {
                "1.0", ">=", "=>1.0", ">=1.0 2.0", "<1.0+local", ">1.0+local", "<=1.0+l", ">=1.0+l", "==",
                "= =1.0", "!1.0", "~1.0", "^1.0", ">=1.0;", ">=1.0 || <0.5", "==1.0\x01", ">=99999999999999999999",
        };
        for (size_t i = 0; i < ELEMENTSOF(BAD); i++)
                cr_expect_eq(pep440_spec_match(BAD[i], "1.0"), -EINVAL, "'%s'", BAD[i]);
        cr_expect_eq(pep440_spec_match(NULL, "1.0"), -EINVAL);
        cr_expect_eq(pep440_spec_match(">=1", NULL), -EINVAL);
        /* more clauses than VERSION_SPEC_MAX_CLAUSES */
        char spec[VERSION_SPEC_MAX_LEN];
        size_t len = 0;
        for (int i = 0; i <= VERSION_SPEC_MAX_CLAUSES; i++)
                len += (size_t) snprintf(spec + len, sizeof(spec) - len, "%s>=%d", i ? "," : "", i % 10);
        cr_assert_lt(len, sizeof(spec) - 1);
        cr_expect_eq(pep440_spec_match(spec, "20"), -EINVAL);
}

/* ---- SemVer ---------------------------------------------------------------------------------- */

Test(semver, precedence) {
        /* SemVer 2.0 §11 */
        static const char *const ORDER[] = {
                "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0-0", "2.0.0",
        };
        for (size_t i = 0; i < ELEMENTSOF(ORDER); i++)
                for (size_t j = 0; j < ELEMENTSOF(ORDER); j++) {
                        int cmp = 99;
                        cr_assert_eq(semver_compare(ORDER[i], ORDER[j], &cmp), 0, "%s vs %s", ORDER[i], ORDER[j]);
                        cr_expect_eq(cmp, i < j ? -1 : i > j ? 1 : 0, "%s vs %s: %d", ORDER[i], ORDER[j], cmp);
                }
        static const struct {
                const char *a, *b;
                int cmp;
        } EQ[] = {
                { "1.0.0+a", "1.0.0+b", 0 }, { "v1.2.3", "1.2.3", 0 }, { "=1.2.3", "1.2.3", 0 },
                { " =v1.2.3 ", "1.2.3", 0 }, { "1.0.0-a-b", "1.0.0-a", 1 }, { "1.0.0-9", "1.0.0-10", -1 },
                { "1.0.0-99999999999999999999", "1.0.0-100000000000000000000", -1 }, { "1.0.0-A", "1.0.0-a", -1 },
                { "9007199254740991.0.0", "1.0.0", 1 },
        };
        for (size_t i = 0; i < ELEMENTSOF(EQ); i++) {
                int cmp = 99;
                cr_assert_eq(semver_compare(EQ[i].a, EQ[i].b, &cmp), 0, "%s vs %s", EQ[i].a, EQ[i].b);
                cr_expect_eq(cmp, EQ[i].cmp, "%s vs %s: %d", EQ[i].a, EQ[i].b, cmp);
        }
}

Test(semver, invalid_versions) {
        static const char *const BAD[] = {
                "", " ", "v", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "1.2.3-",
                "1.2.3+", "1.2.3-a..b", "1.2.3+a..b", "x.2.3", "1.2.x", "1.2.*", "9007199254740992.0.0",
                "1.99999999999999999999.0", "1.2.3 4", "a.b.c", "1.2.3-a_b", ">=1.2.3", "^1.2.3", "1.2.3\x01",
                "1.2.3-\xc3\xa9",
        };
        for (size_t i = 0; i < ELEMENTSOF(BAD); i++) {
                int cmp = 42;
                cr_expect_not(semver_valid(BAD[i]), "'%s' should be invalid", BAD[i]);
                cr_expect_eq(semver_compare(BAD[i], "1.0.0", &cmp), -EINVAL, "'%s'", BAD[i]);
                cr_expect_eq(cmp, 42);
        }
        cr_expect(semver_valid("1.2.3-alpha.x.7+build.007"));
        cr_expect(semver_valid("0.0.0-0"));
        cr_expect_not(semver_valid(NULL));
}

static void run_range_cases(const struct spec_case *T, size_t n) {
        for (size_t i = 0; i < n; i++)
                cr_expect_eq(semver_range_match(T[i].spec, T[i].version), T[i].want, "'%s' vs '%s': got %d, want %d",
                             T[i].spec, T[i].version, semver_range_match(T[i].spec, T[i].version), T[i].want);
}

Test(semver, caret_and_tilde) {
        static const struct spec_case T[] = {
                { "^0.0.3", "0.0.3", 1 },        { "^0.0.3", "0.0.4", 0 },        { "^0.0.3", "0.0.2", 0 },
                { "^0.0.3", "0.0.3-beta", 0 },   { "^0.2.3", "0.2.3", 1 },        { "^0.2.3", "0.2.9", 1 },
                { "^0.2.3", "0.3.0", 0 },        { "^0.2.3", "0.2.2", 0 },        { "^1.2.3", "1.2.3", 1 },
                { "^1.2.3", "1.9.9", 1 },        { "^1.2.3", "2.0.0", 0 },        { "^1.2.3", "2.0.0-alpha", 0 },
                { "^1.2.3", "2.0.0-0", 0 },      { "^1.2.3", "1.2.4-beta", 0 },   { "^1.2.3-beta.2", "1.2.3-beta.4", 1 },
                { "^1.2.3-beta.2", "1.2.3-beta.1", 0 }, { "^1.2.3-beta.2", "1.2.4-beta.2", 0 },
                { "^1.2.3-beta.2", "1.2.3", 1 }, { "^1.2.3-beta.2", "1.9.0", 1 }, { "^0.0.3-beta", "0.0.3-pr.2", 1 },
                { "^0.0.3-beta", "0.0.4", 0 },   { "^1.2.x", "1.9.0", 1 },        { "^1.2.x", "1.1.9", 0 },
                { "^0.0.x", "0.0.9", 1 },        { "^0.0.x", "0.1.0", 0 },        { "^0.0", "0.0.5", 1 },
                { "^1.x", "1.5.0", 1 },          { "^1.x", "2.0.0", 0 },          { "^0.x", "0.9.0", 1 },
                { "^0.x", "1.0.0", 0 },          { "^0.2", "0.2.9", 1 },          { "^0.2", "0.3.0", 0 },
                { "^*", "3.0.0", 1 },            { "^ 1.2.3", "1.5.0", 1 },
                { "~1.2", "1.2.0", 1 },          { "~1.2", "1.2.9", 1 },          { "~1.2", "1.3.0", 0 },
                { "~1.2.3", "1.2.5", 1 },        { "~1.2.3", "1.3.0", 0 },        { "~1.2.3", "1.2.2", 0 },
                { "~1", "1.9.9", 1 },            { "~1", "2.0.0", 0 },            { "~0.2.3", "0.2.9", 1 },
                { "~0.2.3", "0.3.0", 0 },        { "~1.2.3-beta.2", "1.2.3-beta.4", 1 },
                { "~1.2.3-beta.2", "1.2.4-beta.2", 0 }, { "~>1.2", "1.2.5", 1 }, { "~> 1.2", "1.3.0", 0 },
                { "~*", "0.0.1", 1 },            { "~ 1.2", "1.2.3", 1 },
        };
        run_range_cases(T, ELEMENTSOF(T));
}

Test(semver, x_ranges_and_partials) {
        static const struct spec_case T[] = {
                { "*", "1.2.3", 1 },          { "*", "1.2.3-beta", 0 },     { "", "1.0.0", 1 },
                { "x", "0.0.0", 1 },          { "X", "9.9.9", 1 },          { "1.2.x", "1.2.9", 1 },
                { "1.2.x", "1.3.0", 0 },      { "1.2.x", "1.2.0-beta", 0 }, { "1.X", "1.9.0", 1 },
                { "1.x.x", "2.0.0", 0 },      { "1", "1.0.0", 1 },          { "1", "2.0.0", 0 },
                { "1.2", "1.2.5", 1 },        { "1.2", "1.3.0", 0 },        { "=1.2", "1.2.5", 1 },
                { ">1.2", "1.3.0", 1 },       { ">1.2", "1.2.9", 0 },       { ">1", "2.0.0", 1 },
                { ">1", "1.9.9", 0 },         { "<=1.2", "1.2.9", 1 },      { "<=1.2", "1.3.0", 0 },
                { "<1.2", "1.1.9", 1 },       { "<1.2", "1.2.0", 0 },       { ">=1.2", "1.2.0", 1 },
                { ">=1.2", "1.1.9", 0 },      { "<1", "0.9.9", 1 },         { "<1", "1.0.0-alpha", 0 },
                { ">*", "1.0.0", 0 },         { "<*", "1.0.0", 0 },         { ">=*", "1.0.0", 1 },
                { "<=*", "0.0.1", 1 },        { "1.x.3", "1.5.0", 1 },      { "v1.2.3", "1.2.3", 1 },
                { "=1.2.3", "1.2.3", 1 },     { "1.2.3", "v1.2.3", 1 },     { "1.2.3+build", "1.2.3", 1 },
                { "1.2.3", "1.2.4", 0 },      { ">= 1.0.0", "1.0.0", 1 },   { ">=1.0.0 <2.0.0", "1.5.0", 1 },
                { ">=1.0.0 <2.0.0", "2.0.0", 0 }, { "  >=1.0.0   <2.0.0  ", "1.0.0", 1 },
        };
        run_range_cases(T, ELEMENTSOF(T));
}

Test(semver, hyphen_and_alternatives) {
        static const struct spec_case T[] = {
                { "1.2.3 - 2.3.4", "1.2.3", 1 },   { "1.2.3 - 2.3.4", "2.3.4", 1 },   { "1.2.3 - 2.3.4", "2.3.5", 0 },
                { "1.2.3 - 2.3.4", "1.2.2", 0 },   { "1.2 - 2.3.4", "1.2.0", 1 },     { "1.2.3 - 2.3", "2.3.9", 1 },
                { "1.2.3 - 2.3", "2.4.0", 0 },     { "1.2.3 - 2", "2.9.9", 1 },       { "1.2.3 - 2", "3.0.0", 0 },
                { "* - 2", "0.0.1", 1 },           { "1.2.3 - *", "99.0.0", 1 },      { "1.2.3-beta - 2", "1.2.3-beta.1", 1 },
                { "1.2.3 - 2.3.4-rc.1", "2.3.4-rc.1", 1 }, { "1.2.3 - 2.3.4-rc.1", "2.3.4", 0 },
                { "1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", 1 },
                { "1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.0.0", 0 },
                { "1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.5.0", 1 },
                { "1.x || >=2.5.0 || 5.0.0 - 7.2.3", "8.0.0", 1 },
                { "1.2.7 || >=1.2.9 <2.0.0", "1.2.7", 1 }, { "1.2.7 || >=1.2.9 <2.0.0", "1.2.8", 0 },
                { "1.2.7 || >=1.2.9 <2.0.0", "1.4.6", 1 }, { "1.2.7 || >=1.2.9 <2.0.0", "2.0.0", 0 },
                { "1.x ||", "9.0.0", 1 },          { "||", "1.0.0", 1 },
                /* node-semver's pre-release rule */
                { ">1.2.3-alpha.3", "1.2.3-alpha.7", 1 }, { ">1.2.3-alpha.3", "3.4.5-alpha.9", 0 },
                { ">1.2.3-alpha.3", "3.4.5", 1 },  { "<2.0.0", "2.0.0-alpha", 0 },    { "<2.0.0", "1.9.9-alpha", 0 },
                { ">=1.0.0-rc.1 <2.0.0", "1.0.0-rc.2", 1 }, { ">=1.0.0-rc.1 <2.0.0", "1.0.1-rc.1", 0 },
                { "1.0.0-rc.1 || 2.0.0-rc.1", "2.0.0-rc.1", 1 }, { ">=0.0.0", "0.0.1-0", 0 },
        };
        run_range_cases(T, ELEMENTSOF(T));
}

Test(semver, invalid_ranges_and_hostile_input) {
        static const char *const BAD[] = {
                "latest", ">=a", "1.2.3 -", "- 1.2.3", "^", "1 | 2", ">=1.0.0 <=", "1.2.3 - 2.3.4 - 3",
                "01.2.3", "1.2.3 - 2 3", ">=1 1.2.3 - 2", "^99999999999999999999.0.0", "1.2.3.4", "1.2-beta",
                "=>1.2.3", "~^1", "1.2.3 || >=x.y", "|||", "1.2.3\x01", "\xc3\xa9",
        };
        for (size_t i = 0; i < ELEMENTSOF(BAD); i++)
                cr_expect_eq(semver_range_match(BAD[i], "1.2.3"), -EINVAL, "'%s'", BAD[i]);
        cr_expect_eq(semver_range_match("*", "1.2"), -EINVAL);
        cr_expect_eq(semver_range_match("*", "abc"), -EINVAL);
        cr_expect_eq(semver_range_match(NULL, "1.0.0"), -EINVAL);
        cr_expect_eq(semver_range_match("*", NULL), -EINVAL);

        char *big = malloc(VERSION_SPEC_MAX_LEN + 100);
        cr_assert_not_null(big);
        memset(big, ' ', VERSION_SPEC_MAX_LEN + 99);
        big[VERSION_SPEC_MAX_LEN + 99] = '\0';
        cr_expect_eq(semver_range_match(big, "1.0.0"), -EINVAL, "over VERSION_SPEC_MAX_LEN");
        size_t len = 0;
        for (int i = 0; i <= VERSION_SPEC_MAX_CLAUSES; i++)
                len += (size_t) snprintf(big + len, VERSION_SPEC_MAX_LEN - len, ">=1.0.%d ", i % 10);
        cr_assert_lt(len, (size_t) VERSION_SPEC_MAX_LEN);
        cr_expect_eq(semver_range_match(big, "2.0.0"), -EINVAL, "too many comparators");
        memset(big, '9', 300);
        big[300] = '\0';
        cr_expect_eq(semver_range_match("*", big), -EINVAL, "a 300-digit version");
        free(big);
}
