/* PEP 440 versions and specifier sets (version.h): a hand-written parser equivalent to the
 * reference regular expression of the `packaging` library, its ordering key, and the specifier
 * operators with their pre-release, post-release and local-version special cases. */
#include "version.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../base/macros.h"

#define PEP440_MAX_RELEASE (VERSION_MAX_LEN / 2 + 1)

enum pre_kind { PRE_NONE = -1, PRE_A = 0, PRE_B = 1, PRE_RC = 2 };

struct pep440 {
        uint64_t epoch;
        uint64_t release[PEP440_MAX_RELEASE];
        size_t n_release;
        int pre_kind; /* enum pre_kind */
        uint64_t pre;
        bool has_post, has_dev, has_local;
        uint64_t post, dev;
        char local[VERSION_MAX_LEN + 1]; /* lower-case, separators turned into '.' */
};

static bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_alnum(char c) {
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_sep(char c) {
        return c == '.' || c == '-' || c == '_';
}

static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

/* A run of digits at s[*i] as a number; false when there is none or it overflows. */
static bool parse_u64(const char *s, size_t n, size_t *i, uint64_t *ret) {
        uint64_t v = 0;
        size_t j = *i;
        if (j >= n || !is_digit(s[j]))
                return false;
        for (; j < n && is_digit(s[j]); j++)
                if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, (uint64_t) (s[j] - '0'), &v))
                        return false;
        *i = j;
        *ret = v;
        return true;
}

/* Case-insensitive match of a label at s[*i]; advances on success. */
static bool take_label(const char *s, size_t n, size_t *i, const char *label) {
        size_t k = strlen(label);
        if (n - *i < k || strncasecmp(s + *i, label, k) != 0)
                return false;
        *i += k;
        return true;
}

/* "[-_.]?N" after a label: the number, or 0 (implicit) without consuming a dangling separator.
 * false only on overflow. */
static bool take_label_number(const char *s, size_t n, size_t *i, uint64_t *ret) {
        size_t j = *i;
        if (j < n && is_sep(s[j]))
                j++;
        if (j < n && is_digit(s[j])) {
                if (!parse_u64(s, n, &j, ret))
                        return false;
                *i = j;
                return true;
        }
        *ret = 0;
        return true;
}

/* Parse s[0..n) (already trimmed). 0 or -EINVAL. */
static int pep440_parse_span(const char *s, size_t n, struct pep440 *v) {
        static const struct {
                const char *label;
                enum pre_kind kind;
        } PRE[] = { /* longest first: "alpha" before "a", "preview" before "pre" */
                    { "alpha", PRE_A }, { "beta", PRE_B }, { "preview", PRE_RC }, { "pre", PRE_RC },
                    { "rc", PRE_RC },   { "a", PRE_A },    { "b", PRE_B },        { "c", PRE_RC } };
        static const char *const POST[] = { "post", "rev", "r" };
        size_t i = 0;

        if (n == 0 || n > VERSION_MAX_LEN)
                return -EINVAL;
        v->epoch = 0;
        v->n_release = 0;
        v->pre_kind = PRE_NONE;
        v->pre = v->post = v->dev = 0;
        v->has_post = v->has_dev = v->has_local = false;
        v->local[0] = '\0';

        if (s[i] == 'v' || s[i] == 'V')
                i++;
        uint64_t num;
        if (!parse_u64(s, n, &i, &num))
                return -EINVAL;
        if (i < n && s[i] == '!') {
                v->epoch = num;
                i++;
                if (!parse_u64(s, n, &i, &num))
                        return -EINVAL;
        }
        v->release[v->n_release++] = num;
        while (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
                i++;
                if (v->n_release >= PEP440_MAX_RELEASE || !parse_u64(s, n, &i, &num))
                        return -EINVAL;
                v->release[v->n_release++] = num;
        }

        /* pre-release */
        size_t j = i;
        if (j < n && is_sep(s[j]))
                j++;
        for (size_t k = 0; k < ELEMENTSOF(PRE); k++)
                if (take_label(s, n, &j, PRE[k].label)) {
                        if (!take_label_number(s, n, &j, &v->pre))
                                return -EINVAL;
                        v->pre_kind = PRE[k].kind;
                        i = j;
                        break;
                }

        /* post-release: "-N", or [sep](post|rev|r)[sep][N] */
        j = i;
        if (j + 1 < n && s[j] == '-' && is_digit(s[j + 1])) {
                j++;
                if (!parse_u64(s, n, &j, &v->post))
                        return -EINVAL;
                v->has_post = true;
                i = j;
        } else {
                if (j < n && is_sep(s[j]))
                        j++;
                for (size_t k = 0; k < ELEMENTSOF(POST); k++)
                        if (take_label(s, n, &j, POST[k])) {
                                if (!take_label_number(s, n, &j, &v->post))
                                        return -EINVAL;
                                v->has_post = true;
                                i = j;
                                break;
                        }
        }

        /* dev release */
        j = i;
        if (j < n && is_sep(s[j]))
                j++;
        if (take_label(s, n, &j, "dev")) {
                if (!take_label_number(s, n, &j, &v->dev))
                        return -EINVAL;
                v->has_dev = true;
                i = j;
        }

        /* local version: "+" [a-z0-9]+ ([-_.][a-z0-9]+)* */
        if (i < n && s[i] == '+') {
                size_t o = 0;
                i++;
                if (i >= n || !is_alnum(s[i]))
                        return -EINVAL;
                for (; i < n; i++) {
                        if (is_alnum(s[i]))
                                v->local[o++] = lower(s[i]);
                        else if (is_sep(s[i]) && i + 1 < n && is_alnum(s[i + 1]))
                                v->local[o++] = '.';
                        else
                                return -EINVAL;
                }
                v->local[o] = '\0';
                v->has_local = true;
        }
        return i == n ? 0 : -EINVAL;
}

/* Trim surrounding whitespace of a NUL-terminated string, bounded by VERSION_SPEC_MAX_LEN. */
static void trim(const char **s, size_t *n) {
        while (*n && is_space(**s))
                (*s)++, (*n)--;
        while (*n && is_space((*s)[*n - 1]))
                (*n)--;
}

static int pep440_parse(const char *s, struct pep440 *v) {
        if (!s)
                return -EINVAL;
        size_t n = strnlen(s, VERSION_SPEC_MAX_LEN + 1);
        if (n > VERSION_SPEC_MAX_LEN)
                return -EINVAL;
        trim(&s, &n);
        return pep440_parse_span(s, n, v);
}

static int cmp_u64(uint64_t a, uint64_t b) {
        return a < b ? -1 : a > b;
}

static int cmp_release(const struct pep440 *a, const struct pep440 *b) {
        size_t n = a->n_release > b->n_release ? a->n_release : b->n_release;
        for (size_t i = 0; i < n; i++) {
                int c = cmp_u64(i < a->n_release ? a->release[i] : 0, i < b->n_release ? b->release[i] : 0);
                if (c)
                        return c;
        }
        return 0;
}

/* Epoch and release only ("base_version"). */
static int cmp_base(const struct pep440 *a, const struct pep440 *b) {
        int c = cmp_u64(a->epoch, b->epoch);
        return c ? c : cmp_release(a, b);
}

/* The pre-release part of the sort key: a dev release of a final version (1.0.dev1) sorts before
 * its pre-releases (1.0a1), and a final version after them. */
static int pre_rank(const struct pep440 *v) {
        if (v->pre_kind != PRE_NONE)
                return 1;
        return !v->has_post && v->has_dev ? 0 : 2;
}

/* One segment of a local version: digits compare as numbers (without overflow: by length once
 * leading zeros are gone) and sort after alphanumeric segments, which compare as strings. */
static int cmp_local_segment(const char *a, size_t an, const char *b, size_t bn) {
        bool ad = strspn(a, "0123456789") >= an, bd = strspn(b, "0123456789") >= bn;
        if (ad != bd)
                return ad ? 1 : -1;
        if (ad) {
                while (an > 1 && *a == '0')
                        a++, an--;
                while (bn > 1 && *b == '0')
                        b++, bn--;
                if (an != bn)
                        return an < bn ? -1 : 1;
                int c = memcmp(a, b, an);
                return c < 0 ? -1 : c > 0;
        }
        int c = memcmp(a, b, an < bn ? an : bn);
        if (c)
                return c < 0 ? -1 : 1;
        return an < bn ? -1 : an > bn;
}

static int cmp_local(const struct pep440 *a, const struct pep440 *b) {
        if (a->has_local != b->has_local)
                return a->has_local ? 1 : -1;
        const char *p = a->local, *q = b->local;
        while (*p && *q) {
                size_t pn = strcspn(p, "."), qn = strcspn(q, ".");
                int c = cmp_local_segment(p, pn, q, qn);
                if (c)
                        return c;
                p += pn + (p[pn] == '.');
                q += qn + (q[qn] == '.');
        }
        return *p ? 1 : *q ? -1 : 0;
}

static int pep440_cmp(const struct pep440 *a, const struct pep440 *b, bool with_local) {
        int c = cmp_base(a, b);
        if (c)
                return c;
        int ra = pre_rank(a), rb = pre_rank(b);
        if (ra != rb)
                return ra < rb ? -1 : 1;
        if (ra == 1) {
                if (a->pre_kind != b->pre_kind)
                        return a->pre_kind < b->pre_kind ? -1 : 1;
                if ((c = cmp_u64(a->pre, b->pre)))
                        return c;
        }
        if (a->has_post != b->has_post) /* no post release sorts first */
                return a->has_post ? 1 : -1;
        if ((c = cmp_u64(a->post, b->post)))
                return c;
        if (a->has_dev != b->has_dev) /* no dev release sorts last */
                return a->has_dev ? -1 : 1;
        if ((c = cmp_u64(a->dev, b->dev)))
                return c;
        return with_local ? cmp_local(a, b) : 0;
}

static bool is_prerelease(const struct pep440 *v) {
        return v->pre_kind != PRE_NONE || v->has_dev;
}

bool pep440_valid(const char *v) {
        struct pep440 x;
        return pep440_parse(v, &x) == 0;
}

int pep440_compare(const char *a, const char *b, int *ret_cmp) {
        struct pep440 x, y;
        if (pep440_parse(a, &x) < 0 || pep440_parse(b, &y) < 0)
                return -EINVAL;
        *ret_cmp = pep440_cmp(&x, &y, true);
        return 0;
}

/* ---- specifiers ------------------------------------------------------------------------------ */

enum spec_op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARB };

struct clause {
        enum spec_op op;
        bool wildcard;      /* "==V.*" / "!=V.*": v holds epoch and release only */
        struct pep440 v;    /* not for OP_ARB */
        const char *raw;    /* the version text as written (trimmed) */
        size_t raw_len;
};

/* Parse one comma-separated clause s[0..n) (trimmed, non-empty). 0 or -EINVAL. */
static int clause_parse(const char *s, size_t n, struct clause *c) {
        static const struct {
                const char *text;
                enum spec_op op;
        } OPS[] = { { "===", OP_ARB }, { "~=", OP_COMPAT }, { "==", OP_EQ }, { "!=", OP_NE },
                    { "<=", OP_LE },   { ">=", OP_GE },     { "<", OP_LT },  { ">", OP_GT } };
        size_t i = 0;
        bool found = false;
        for (size_t k = 0; k < ELEMENTSOF(OPS) && !found; k++)
                if (take_label(s, n, &i, OPS[k].text)) {
                        c->op = OPS[k].op;
                        found = true;
                }
        if (!found)
                return -EINVAL;
        const char *t = s + i;
        size_t tn = n - i;
        trim(&t, &tn);
        if (tn == 0)
                return -EINVAL;
        for (size_t k = 0; k < tn; k++)
                if (is_space(t[k]) || t[k] == '\0')
                        return -EINVAL;
        c->raw = t;
        c->raw_len = tn;
        c->wildcard = false;
        if (c->op == OP_ARB)
                return 0;
        if ((c->op == OP_EQ || c->op == OP_NE) && tn >= 2 && t[tn - 2] == '.' && t[tn - 1] == '*') {
                c->wildcard = true;
                tn -= 2;
        }
        int r = pep440_parse_span(t, tn, &c->v);
        if (r < 0)
                return r;
        if (c->wildcard && (c->v.pre_kind != PRE_NONE || c->v.has_post || c->v.has_dev || c->v.has_local))
                return -EINVAL; /* a wildcard only follows a release */
        if (c->op == OP_COMPAT && c->v.n_release < 2)
                return -EINVAL; /* "~=1" has no meaning */
        if (c->v.has_local && c->op != OP_EQ && c->op != OP_NE)
                return -EINVAL;
        return 0;
}

/* Does v's (epoch, zero-padded release) start with epoch and release[0..n)? */
static bool prefix_match(const struct pep440 *v, uint64_t epoch, const uint64_t *release, size_t n) {
        if (v->epoch != epoch)
                return false;
        for (size_t i = 0; i < n; i++)
                if ((i < v->n_release ? v->release[i] : 0) != release[i])
                        return false;
        return true;
}

static bool clause_eq(const struct clause *c, const struct pep440 *v) {
        if (c->wildcard)
                return prefix_match(v, c->v.epoch, c->v.release, c->v.n_release);
        /* without a local label in the spec, the candidate's local label is ignored */
        return pep440_cmp(v, &c->v, c->v.has_local) == 0;
}

static bool ascii_case_equal(const char *a, size_t an, const char *b, size_t bn) {
        return an == bn && strncasecmp(a, b, an) == 0;
}

static bool clause_match(const struct clause *c, const struct pep440 *v, const char *vs, size_t vn) {
        switch (c->op) {
        case OP_ARB:
                return ascii_case_equal(c->raw, c->raw_len, vs, vn);
        case OP_EQ:
                return clause_eq(c, v);
        case OP_NE:
                return !clause_eq(c, v);
        case OP_COMPAT:
                /* ~=V.N is >=V.N together with ==V.* (the last release segment dropped) */
                return pep440_cmp(v, &c->v, false) >= 0 &&
                       prefix_match(v, c->v.epoch, c->v.release, c->v.n_release - 1);
        case OP_LE:
                return pep440_cmp(v, &c->v, false) <= 0;
        case OP_GE:
                return pep440_cmp(v, &c->v, false) >= 0;
        case OP_LT:
                /* "<3.0" must not let in 3.0's own pre-releases (3.0rc1 < 3.0 but not "below 3.0") */
                if (pep440_cmp(v, &c->v, true) >= 0)
                        return false;
                return is_prerelease(&c->v) || !is_prerelease(v) || cmp_base(v, &c->v) != 0;
        case OP_GT:
                /* ">3.0" must not let in 3.0's post releases nor 3.0+local */
                if (pep440_cmp(v, &c->v, true) <= 0)
                        return false;
                if (!c->v.has_post && v->has_post && cmp_base(v, &c->v) == 0)
                        return false;
                return !v->has_local || cmp_base(v, &c->v) != 0;
        }
        return false;
}

/* Call each clause of spec in turn. mode 0: validate and learn whether a clause names a
 * pre-release; mode 1: evaluate against the candidate. */
struct spec_walk {
        bool any_clause, all_arb, names_pre;
        const struct pep440 *cand; /* NULL when the candidate is not PEP 440 */
        const char *cand_raw;
        size_t cand_len;
        bool match;
};

static int spec_walk(const char *spec, size_t n, struct spec_walk *w, bool evaluate) {
        size_t count = 0;
        struct clause c;
        for (size_t i = 0; i <= n;) {
                size_t end = i;
                while (end < n && spec[end] != ',')
                        end++;
                const char *s = spec + i;
                size_t sn = end - i;
                trim(&s, &sn);
                i = end + 1;
                if (sn == 0)
                        continue;
                if (++count > VERSION_SPEC_MAX_CLAUSES)
                        return -EINVAL;
                int r = clause_parse(s, sn, &c);
                if (r < 0)
                        return r;
                if (!evaluate) {
                        w->any_clause = true;
                        if (c.op != OP_ARB)
                                w->all_arb = false;
                        if (c.op != OP_ARB && c.op != OP_NE && is_prerelease(&c.v))
                                w->names_pre = true;
                        continue;
                }
                if (!clause_match(&c, w->cand, w->cand_raw, w->cand_len))
                        w->match = false;
        }
        return 0;
}

int pep440_spec_match(const char *spec, const char *version) {
        if (!spec || !version)
                return -EINVAL;
        size_t n = strnlen(spec, VERSION_SPEC_MAX_LEN + 1);
        if (n > VERSION_SPEC_MAX_LEN)
                return -EINVAL;
        struct spec_walk w = { .all_arb = true, .match = true };
        int r = spec_walk(spec, n, &w, false);
        if (r < 0)
                return r;

        struct pep440 cand;
        const char *vs = version;
        size_t vn = strnlen(version, VERSION_SPEC_MAX_LEN + 1);
        if (vn > VERSION_SPEC_MAX_LEN)
                return -EINVAL;
        trim(&vs, &vn);
        bool valid = pep440_parse_span(vs, vn, &cand) == 0;
        if (!valid && !(w.any_clause && w.all_arb))
                return -EINVAL;
        if (!w.any_clause)
                return 1;
        if (valid && is_prerelease(&cand) && !w.names_pre)
                return 0;
        w.cand = valid ? &cand : NULL;
        w.cand_raw = vs;
        w.cand_len = vn;
        r = spec_walk(spec, n, &w, true);
        if (r < 0)
                return r;
        return w.match ? 1 : 0;
}
