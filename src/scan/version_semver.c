/* npm SemVer versions and node-semver ranges (version.h). A range is evaluated while it is read:
 * each comparator (caret, tilde, x-range, hyphen range, primitive) is turned into at most two
 * primitive comparators and tested at once, so nothing grows with the input. The desugaring
 * follows node-semver 7 (upper bounds like "<2.0.0-0" keep 2.0.0's pre-releases out). */
#include "version.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../base/macros.h"

#define SEMVER_MAX_NUMBER ((UINT64_C(1) << 53) - 1) /* Number.MAX_SAFE_INTEGER */

struct semver {
        uint64_t major, minor, patch;
        const char *pre; /* dot-separated identifiers, not NUL-terminated; pre_len 0 = none */
        size_t pre_len;
};

/* A possibly partial version from a range: x/X/\* or missing parts are "any". */
struct partial {
        struct semver v;
        int parts; /* how many of major/minor/patch are numbers (0..3) */
};

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_ident_char(char c) {
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* "0" or [1-9][0-9]*, at most SEMVER_MAX_NUMBER. */
static bool parse_number(const char *s, size_t n, size_t *i, uint64_t *ret) {
        size_t j = *i;
        uint64_t v = 0;
        if (j >= n || !is_digit(s[j]))
                return false;
        if (s[j] == '0' && j + 1 < n && is_digit(s[j + 1]))
                return false; /* leading zero */
        for (; j < n && is_digit(s[j]); j++) {
                v = v * 10 + (uint64_t) (s[j] - '0');
                if (v > SEMVER_MAX_NUMBER)
                        return false;
        }
        *i = j;
        *ret = v;
        return true;
}

/* Dot-separated identifiers at s[*i]: [0-9A-Za-z-]+ each; numeric ones without leading zeros
 * when numeric_strict (pre-release, not build). */
static bool parse_identifiers(const char *s, size_t n, size_t *i, bool numeric_strict) {
        size_t j = *i;
        for (;;) {
                size_t start = j;
                bool numeric = true;
                while (j < n && is_ident_char(s[j])) {
                        numeric = numeric && is_digit(s[j]);
                        j++;
                }
                if (j == start)
                        return false;
                if (numeric_strict && numeric && s[start] == '0' && j - start > 1)
                        return false;
                if (j < n && s[j] == '.') {
                        j++;
                        continue;
                }
                break;
        }
        *i = j;
        return true;
}

static bool is_x(const char *s, size_t n, size_t i) {
        return i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*');
}

/* A partial version, the whole of s[0..n) (already trimmed): [v=]* (N|x) [. (N|x) [. (N|x) [-pre] [+build]]]. */
static bool partial_parse(const char *s, size_t n, struct partial *p) {
        size_t i = 0;
        uint64_t *slots[3] = { &p->v.major, &p->v.minor, &p->v.patch };
        *p = (struct partial) { 0 };
        while (i < n && (s[i] == 'v' || s[i] == '='))
                i++;
        bool any_x = false;
        for (int k = 0; k < 3; k++) {
                if (k > 0) {
                        if (i >= n || s[i] != '.')
                                break;
                        i++;
                }
                if (is_x(s, n, i)) {
                        any_x = true;
                        i++;
                } else if (!parse_number(s, n, &i, slots[k]))
                        return false;
                else if (!any_x)
                        p->parts = k + 1;
                if (k == 2) {
                        if (i < n && s[i] == '-') {
                                size_t start = ++i;
                                if (!parse_identifiers(s, n, &i, true))
                                        return false;
                                p->v.pre = s + start;
                                p->v.pre_len = i - start;
                        }
                        if (i < n && s[i] == '+') {
                                i++;
                                if (!parse_identifiers(s, n, &i, false))
                                        return false;
                        }
                }
        }
        if (i != n)
                return false;
        if (p->parts < 3) /* "1.x-beta" has no meaning: the pre-release goes with a full version */
                p->v.pre = NULL, p->v.pre_len = 0;
        if (p->parts < 1)
                p->v.major = 0;
        if (p->parts < 2)
                p->v.minor = 0;
        if (p->parts < 3)
                p->v.patch = 0;
        return true;
}

static void trim(const char **s, size_t *n) {
        while (*n && is_space(**s))
                (*s)++, (*n)--;
        while (*n && is_space((*s)[*n - 1]))
                (*n)--;
}

/* A full version: surrounding whitespace and leading "v"/"=" tolerated. */
static bool semver_parse(const char *s, struct semver *v) {
        if (!s)
                return false;
        size_t n = strnlen(s, VERSION_MAX_LEN + 1);
        if (n > VERSION_MAX_LEN)
                return false;
        trim(&s, &n);
        struct partial p;
        if (!partial_parse(s, n, &p) || p.parts != 3) /* no wildcards or missing parts */
                return false;
        *v = p.v;
        return true;
}

static int cmp_u64(uint64_t a, uint64_t b) {
        return a < b ? -1 : a > b;
}

/* SemVer 2.0 §11: numeric identifiers compare as numbers (no leading zeros, so by length first)
 * and sort before alphanumeric ones, which compare in ASCII order; a longer list wins a tie. */
static int cmp_prerelease(const char *a, size_t an, const char *b, size_t bn) {
        if (!an || !bn)
                return an ? -1 : bn ? 1 : 0; /* no pre-release sorts after any pre-release */
        size_t i = 0, j = 0;
        while (i < an && j < bn) {
                size_t ie = i, je = j;
                bool ad = true, bd = true;
                for (; ie < an && a[ie] != '.'; ie++)
                        ad = ad && is_digit(a[ie]);
                for (; je < bn && b[je] != '.'; je++)
                        bd = bd && is_digit(b[je]);
                size_t al = ie - i, bl = je - j;
                int c;
                if (ad && bd)
                        c = al != bl ? (al < bl ? -1 : 1) : memcmp(a + i, b + j, al);
                else if (ad != bd)
                        c = ad ? -1 : 1;
                else {
                        c = memcmp(a + i, b + j, al < bl ? al : bl);
                        if (!c)
                                c = al < bl ? -1 : al > bl;
                }
                if (c)
                        return c < 0 ? -1 : 1;
                i = ie + (ie < an);
                j = je + (je < bn);
        }
        return i < an ? 1 : j < bn ? -1 : 0;
}

static int semver_cmp(const struct semver *a, const struct semver *b) {
        int c = cmp_u64(a->major, b->major);
        if (!c)
                c = cmp_u64(a->minor, b->minor);
        if (!c)
                c = cmp_u64(a->patch, b->patch);
        if (!c)
                c = cmp_prerelease(a->pre, a->pre_len, b->pre, b->pre_len);
        return c;
}

bool semver_valid(const char *v) {
        struct semver x;
        return semver_parse(v, &x);
}

int semver_compare(const char *a, const char *b, int *ret_cmp) {
        struct semver x, y;
        if (!semver_parse(a, &x) || !semver_parse(b, &y))
                return -EINVAL;
        *ret_cmp = semver_cmp(&x, &y);
        return 0;
}

/* ---- ranges ---------------------------------------------------------------------------------- */

enum cmp_op { C_EQ, C_LT, C_LE, C_GT, C_GE };

/* The state of one "||" alternative while its comparators are tested. */
struct set_eval {
        const struct semver *v;
        bool ok;        /* every comparator so far matched */
        bool pre_ok;    /* a comparator with v's MAJOR.MINOR.PATCH carries a pre-release */
};

static const char ZERO_PRE[] = "0"; /* the "-0" of "<2.0.0-0": below every real pre-release */

static void test(struct set_eval *e, enum cmp_op op, uint64_t M, uint64_t m, uint64_t p, const char *pre,
                 size_t pre_len) {
        struct semver c = { M, m, p, pre, pre_len };
        bool r = false;
        int k = semver_cmp(e->v, &c);
        switch (op) {
        case C_EQ: r = k == 0; break;
        case C_LT: r = k < 0; break;
        case C_LE: r = k <= 0; break;
        case C_GT: r = k > 0; break;
        case C_GE: r = k >= 0; break;
        }
        if (!r)
                e->ok = false;
        if (pre_len && e->v->major == M && e->v->minor == m && e->v->patch == p)
                e->pre_ok = true;
}

/* "<0.0.0-0": matches nothing (node-semver's desugaring of ">*" and "<*"). */
static void test_none(struct set_eval *e) {
        test(e, C_LT, 0, 0, 0, ZERO_PRE, 1);
}

static void test_upper(struct set_eval *e, uint64_t M, uint64_t m, uint64_t p) {
        test(e, C_LT, M, m, p, ZERO_PRE, 1);
}

/* "~P" */
static void eval_tilde(struct set_eval *e, const struct partial *P) {
        const struct semver *v = &P->v;
        if (P->parts == 0)
                return;
        test(e, C_GE, v->major, v->minor, v->patch, v->pre, v->pre_len);
        if (P->parts == 1)
                test_upper(e, v->major + 1, 0, 0);
        else
                test_upper(e, v->major, v->minor + 1, 0);
}

/* "^P": the leftmost non-zero part may not change. */
static void eval_caret(struct set_eval *e, const struct partial *P) {
        const struct semver *v = &P->v;
        if (P->parts == 0)
                return;
        test(e, C_GE, v->major, v->minor, v->patch, v->pre, v->pre_len);
        if (P->parts == 1 || v->major > 0)
                test_upper(e, v->major + 1, 0, 0);
        else if (P->parts == 2 || v->minor > 0)
                test_upper(e, 0, v->minor + 1, 0);
        else
                test_upper(e, 0, 0, v->patch + 1);
}

/* A primitive operator with a possibly partial version ("", "=", "<", "<=", ">", ">="). */
static void eval_xrange(struct set_eval *e, enum cmp_op op, const struct partial *P) {
        const struct semver *v = &P->v;
        uint64_t M = v->major, m = v->minor;
        if (P->parts == 3) {
                test(e, op, M, m, v->patch, v->pre, v->pre_len);
                return;
        }
        if (P->parts == 0) {
                if (op == C_LT || op == C_GT)
                        test_none(e);
                return;
        }
        switch (op) {
        case C_EQ: /* "1.2" = "1.2.x" */
                test(e, C_GE, M, P->parts == 1 ? 0 : m, 0, NULL, 0);
                if (P->parts == 1)
                        test_upper(e, M + 1, 0, 0);
                else
                        test_upper(e, M, m + 1, 0);
                return;
        case C_GT: /* ">1.2" = ">=1.3.0", ">1" = ">=2.0.0" */
                if (P->parts == 1)
                        test(e, C_GE, M + 1, 0, 0, NULL, 0);
                else
                        test(e, C_GE, M, m + 1, 0, NULL, 0);
                return;
        case C_LE: /* "<=1.2" = "<1.3.0-0" */
                if (P->parts == 1)
                        test_upper(e, M + 1, 0, 0);
                else
                        test_upper(e, M, m + 1, 0);
                return;
        case C_LT: /* "<1.2" = "<1.2.0-0" */
                test_upper(e, M, P->parts == 1 ? 0 : m, 0);
                return;
        case C_GE:
                test(e, C_GE, M, P->parts == 1 ? 0 : m, 0, NULL, 0);
                return;
        default:
                return;
        }
}

/* "A - B" */
static void eval_hyphen(struct set_eval *e, const struct partial *A, const struct partial *B) {
        if (A->parts > 0)
                test(e, C_GE, A->v.major, A->v.minor, A->v.patch, A->v.pre, A->v.pre_len);
        const struct semver *b = &B->v;
        if (B->parts == 3)
                test(e, C_LE, b->major, b->minor, b->patch, b->pre, b->pre_len);
        else if (B->parts == 2)
                test_upper(e, b->major, b->minor + 1, 0);
        else if (B->parts == 1)
                test_upper(e, b->major + 1, 0, 0);
}

/* One comparator token (operator and version, blanks between them already allowed). */
static int eval_comparator(struct set_eval *e, const char *s, size_t n) {
        enum { K_PRIM, K_TILDE, K_CARET } kind = K_PRIM;
        enum cmp_op op = C_EQ;
        size_t i = 0;
        if (n >= 2 && s[0] == '~' && s[1] == '>')
                kind = K_TILDE, i = 2;
        else if (n >= 1 && s[0] == '~')
                kind = K_TILDE, i = 1;
        else if (n >= 1 && s[0] == '^')
                kind = K_CARET, i = 1;
        else if (n >= 2 && s[0] == '>' && s[1] == '=')
                op = C_GE, i = 2;
        else if (n >= 2 && s[0] == '<' && s[1] == '=')
                op = C_LE, i = 2;
        else if (n >= 1 && s[0] == '>')
                op = C_GT, i = 1;
        else if (n >= 1 && s[0] == '<')
                op = C_LT, i = 1;
        else if (n >= 1 && s[0] == '=')
                op = C_EQ, i = 1;
        const char *t = s + i;
        size_t tn = n - i;
        trim(&t, &tn);
        struct partial P;
        if (tn == 0 || !partial_parse(t, tn, &P))
                return -EINVAL;
        if (kind == K_TILDE)
                eval_tilde(e, &P);
        else if (kind == K_CARET)
                eval_caret(e, &P);
        else
                eval_xrange(e, op, &P);
        return 0;
}

static bool is_op_char(char c) {
        return c == '<' || c == '>' || c == '=' || c == '~' || c == '^';
}

/* Find " - " (blanks on both sides) in s[0..n); its offset, or n. */
static size_t find_hyphen(const char *s, size_t n) {
        for (size_t i = 1; i + 1 < n; i++)
                if (s[i] == '-' && is_space(s[i - 1]) && is_space(s[i + 1]))
                        return i;
        return n;
}

/* One "||" alternative s[0..n). *count limits comparators over the whole range. */
static int eval_set(struct set_eval *e, const char *s, size_t n, size_t *count) {
        trim(&s, &n);
        size_t h = find_hyphen(s, n);
        if (h < n) {
                const char *a = s, *b = s + h + 1;
                size_t an = h, bn = n - h - 1;
                trim(&a, &an);
                trim(&b, &bn);
                struct partial A, B;
                for (size_t i = 0; i < an; i++)
                        if (is_space(a[i]))
                                return -EINVAL;
                for (size_t i = 0; i < bn; i++)
                        if (is_space(b[i]))
                                return -EINVAL;
                if (++*count > VERSION_SPEC_MAX_CLAUSES || !an || !bn || !partial_parse(a, an, &A) ||
                    !partial_parse(b, bn, &B))
                        return -EINVAL;
                eval_hyphen(e, &A, &B);
                return 0;
        }
        for (size_t i = 0; i < n;) {
                while (i < n && is_space(s[i]))
                        i++;
                if (i >= n)
                        break;
                size_t start = i;
                while (i < n && is_op_char(s[i]))
                        i++;
                while (i < n && is_space(s[i])) /* ">= 1.2.3" is one comparator */
                        i++;
                while (i < n && !is_space(s[i]))
                        i++;
                if (++*count > VERSION_SPEC_MAX_CLAUSES)
                        return -EINVAL;
                int r = eval_comparator(e, s + start, i - start);
                if (r < 0)
                        return r;
        }
        return 0;
}

int semver_range_match(const char *range, const char *version) {
        struct semver v;
        if (!range || !semver_parse(version, &v))
                return -EINVAL;
        size_t n = strnlen(range, VERSION_SPEC_MAX_LEN + 1);
        if (n > VERSION_SPEC_MAX_LEN)
                return -EINVAL;
        size_t count = 0;
        bool match = false;
        for (size_t i = 0; i <= n;) {
                size_t end = i;
                while (end < n && !(range[end] == '|' && end + 1 < n && range[end + 1] == '|')) {
                        if (range[end] == '|' || range[end] == '\0')
                                return -EINVAL;
                        end++;
                }
                struct set_eval e = { .v = &v, .ok = true };
                int r = eval_set(&e, range + i, end - i, &count);
                if (r < 0)
                        return r; /* every alternative must be valid, as node-semver throws */
                if (e.ok && (v.pre_len == 0 || e.pre_ok))
                        match = true;
                i = end + 2;
        }
        return match ? 1 : 0;
}
