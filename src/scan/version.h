/* Version numbers and version ranges of the two ecosystems the scanner audits: PEP 440 (PyPI) and
 * npm's SemVer 2.0 with node-semver ranges. Used to decide whether a declared or locked version
 * falls inside an advisory's range. Pure code on untrusted strings: every parser is bounded
 * (lengths below, integers checked for overflow, no recursion) and total (any bytes give a result
 * or -EINVAL, never a crash). Unit-tested in tests/unit/test_version.c, fuzzed by fuzz_version. */
#pragma once

#include <stdbool.h>

#define VERSION_MAX_LEN 256          /* one version string (node-semver's MAX_LENGTH) */
#define VERSION_SPEC_MAX_LEN 4096    /* one specifier set / range */
#define VERSION_SPEC_MAX_CLAUSES 128 /* comparators in one specifier set / range */

/* ---- PEP 440 ---------------------------------------------------------------------------------
 * Versions: [v][N!]N(.N)*[{a|b|rc|alpha|beta|c|pre|preview}N][.postN|-N|revN|rN][.devN][+local],
 * case-insensitive, with the optional separators and implicit numbers PEP 440 allows, surrounding
 * whitespace ignored. Release segments compare with zero padding; numbers above UINT64_MAX are
 * rejected (not wrapped). */

/* True when v is a valid PEP 440 version. */
bool pep440_valid(const char *v);
/* *ret_cmp = -1, 0 or 1 as a sorts before, equal to or after b (PEP 440 ordering, local versions
 * included). 0, or -EINVAL if either is not a PEP 440 version (ret_cmp untouched). */
int pep440_compare(const char *a, const char *b, int *ret_cmp);
/* Does version satisfy spec? spec: comma-separated clauses "~=V", "==V", "==V.*", "!=V", "!=V.*",
 * "<=V", ">=V", "<V", ">V", "===S" (whitespace anywhere between tokens, empty clauses ignored).
 * "" matches every version, pre-releases included. Otherwise a pre-release (or dev release)
 * matches only when a clause other than != names a pre-release, as PEP 440 asks by default.
 * "===S" compares strings case-insensitively. Returns 1, 0, or -EINVAL for a bad spec or a
 * version that is not PEP 440 (unless every clause is ===). */
int pep440_spec_match(const char *spec, const char *version);

/* ---- npm SemVer ------------------------------------------------------------------------------
 * Versions: MAJOR.MINOR.PATCH[-pre.release][+build], no leading zeros in numeric identifiers,
 * numbers at most 2^53-1 (JavaScript's safe integers, as node-semver), surrounding whitespace and
 * leading "v" / "=" tolerated. */

bool semver_valid(const char *v);
/* SemVer 2.0 precedence; build metadata is ignored (1.0.0+a == 1.0.0+b). 0 or -EINVAL. */
int semver_compare(const char *a, const char *b, int *ret_cmp);
/* Does version satisfy the node-semver range? "||" alternatives of space-separated comparators;
 * "A - B" hyphen ranges; "*", "x", "X", "" and partial versions; "^", "~", "~>", "<", "<=", ">",
 * ">=", "=" operators. node-semver's pre-release rule applies: a pre-release version matches only
 * when, within the alternative, a comparator with the same MAJOR.MINOR.PATCH has a pre-release
 * too. Returns 1, 0, or -EINVAL for an invalid range or version (node-semver would throw). */
int semver_range_match(const char *range, const char *version);
