/* The Python analyser's value algebra (rules_python_internal.h): the operations that fold values
 * (concatenation, the join of a name's assignments, decoding, reversal, formatting) and the fold
 * of look-alike identifiers. A value past a cap becomes unknown (or keeps a hole), never wrong. */
#include "rules_python_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/bigarray.h"
#include "../base/macros.h"
#include "../base/utf8.h"
#include "../base/codec.h"

/* ---- values ---- */

struct pv py_list(struct py *P, const struct pv *items, size_t n, uint32_t fl) {
        if (n > PY_LIST_MAX) {
                n = PY_LIST_MAX;
                fl |= PVF_HOLES;
        }
        struct pv *c = NULL;
        if (n) {
                c = py_alloc(P, py_cur_arena(P), n * sizeof(*c));
                if (!c)
                        return pv_unknown(fl);
                memcpy(c, items, n * sizeof(*c));
        }
        for (size_t i = 0; i < n; i++)
                fl |= py_taints(items[i]);
        return (struct pv) { .kind = PV_LIST, .fl = fl, .n = (uint32_t) n, .u.items = c };
}

struct pv *py_scratch(struct py *P) {
        unsigned d = P->depth <= PY_EXPR_DEPTH + 1 ? P->depth : PY_EXPR_DEPTH + 1;
        if (!P->scratch[d]) {
                P->scratch[d] = malloc(PY_LIST_MAX * sizeof(struct pv));
                if (!P->scratch[d])
                        P->err = -ENOMEM;
        }
        return P->scratch[d];
}

/* A list whose items are already in this pass's arena (no copy). */
static struct pv list_own(struct pv *items, size_t n, uint32_t fl) {
        for (size_t i = 0; i < n; i++)
                fl |= py_taints(items[i]);
        return (struct pv) { .kind = PV_LIST, .fl = fl, .n = (uint32_t) n, .u.items = items };
}

static struct pv *items_new(struct py *P, size_t n) {
        return n ? py_alloc(P, py_cur_arena(P), n * sizeof(struct pv)) : NULL;
}

bool py_is_const_str(struct pv v) {
        return v.kind == PV_STR && !(v.fl & PVF_HOLES);
}

bool py_is_constish(struct pv v) {
        return v.kind == PV_STR && (!(v.fl & PVF_HOLES) || (v.fl & PVF_ALTCONST));
}

bool py_str_eq(struct pv v, const char *lit) {
        size_t n = strlen(lit);
        return py_is_const_str(v) && v.n == n && memcmp(v.u.s, lit, n) == 0;
}

bool py_is_env(const struct py *P, struct pv v) {
        (void) P;
        return (v.fl & PVF_ENV) != 0;
}

/* A new string of n bytes in the pass's arena (NUL-terminated for convenience). */
static char *str_new(struct py *P, size_t n) {
        char *s = py_alloc(P, py_cur_arena(P), n + 1);
        if (s)
                s[n] = '\0';
        return s;
}

static struct pv hole_str(struct py *P, uint32_t fl) {
        return py_str(P, "\x01", 1, (fl & PVF_TAINTS) | PVF_HOLES);
}

size_t py_alts(const struct py *P, struct pv v, const struct pv **ret) {
        uint32_t id;
        if (v.kind != PV_STR || !(v.fl & PVF_ALTCONST) || !P->alt_map.n ||
            !py_map_get(&P->alt_map, (uint64_t) (uintptr_t) v.u.s, &id) || P->alts[id].skel_n != v.n)
                return 0;
        *ret = P->alts[id].v;
        return P->alts[id].count;
}

/* The constants v is one of: its alternatives, or itself when it is a constant. */
static size_t alts_of(const struct py *P, const struct pv *v, const struct pv **ret) {
        size_t n = py_alts(P, *v, ret);
        if (n)
                return n;
        if (py_is_const_str(*v)) {
                *ret = v;
                return 1;
        }
        return 0;
}

static bool pv_equal(struct pv a, struct pv b);

/* Remember what r (a fresh skeleton) is one of; past PY_ALTS_MAX r is no constant any more, so
 * a payload hidden among many harmless alternatives is "chosen at runtime", not "constant". */
static void set_alts(struct py *P, struct pv *r, const struct pv *v, size_t n) {
        if (n == 0 || n > PY_ALTS_MAX) {
                r->fl &= ~PVF_ALTCONST;
                return;
        }
        if (P->n_alts == P->cap_alts) {
                size_t cap = P->cap_alts ? P->cap_alts * 2 : 64;
                struct py_alts *g = big_reallocarray(P->alts, cap, sizeof(*g));
                if (!g) {
                        P->err = -ENOMEM;
                        r->fl &= ~PVF_ALTCONST;
                        return;
                }
                P->alts = g;
                P->cap_alts = cap;
        }
        struct py_alts *a = &P->alts[P->n_alts];
        *a = (struct py_alts) { .skel = r->u.s, .skel_n = r->n, .count = (uint32_t) n };
        memcpy(a->v, v, n * sizeof(*v));
        if (py_map_put(&P->alt_map, (uint64_t) (uintptr_t) r->u.s, (uint32_t) P->n_alts) < 0) {
                P->err = -ENOMEM;
                r->fl &= ~PVF_ALTCONST;
                return;
        }
        P->n_alts++;
}

static bool pv_equal(struct pv a, struct pv b) {
        if (a.kind != b.kind || a.n != b.n || (a.fl & PVF_HOLES) != (b.fl & PVF_HOLES))
                return false;
        switch (a.kind) {
        case PV_STR:
                return a.u.s == b.u.s || memcmp(a.u.s, b.u.s, a.n) == 0;
        case PV_NUM:
                return a.u.num == b.u.num;
        case PV_REF: case PV_FUNC: case PV_CLASS: case PV_OBJ:
                return a.u.id == b.u.id;
        case PV_NONE: case PV_UNKNOWN:
                return true;
        case PV_LIST:
                if (a.u.items == b.u.items)
                        return true;
                for (uint32_t i = 0; i < a.n; i++)
                        if (!pv_equal(a.u.items[i], b.u.items[i]))
                                return false;
                return true;
        }
        return false;
}

/* The least value covering both (the lattice join): what a name is when it was assigned a and
 * b in different places. Equal values stay; strings keep their common prefix; lists keep the
 * elements they agree on; None joins to the other side (x = None as a placeholder). */
/* Only literals are classified here (joins are frequent; the paths worth remembering are the
 * constants a loop or a reassignment goes through). */
static uint32_t alt_flags(struct pv v) {
        if (v.kind != PV_STR || v.n > 128 || !(v.fl & PVF_LITERAL))
                return 0;
        /* every pattern has one of these (cheap test before the real one) */
        if (!memchr(v.u.s, '.', v.n) && !memchr(v.u.s, '/', v.n) && !memchr(v.u.s, '_', v.n)) {
                char low[128];
                for (uint32_t i = 0; i < v.n; i++)
                        low[i] = (char) (v.u.s[i] | ((v.u.s[i] >= 'A' && v.u.s[i] <= 'Z') ? 0x20 : 0));
                if (!memmem(low, v.n, "crontab", 7) && !memmem(low, v.n, "login", 5))
                        return 0;
        }
        enum scan_path_kind k = scan_path_classify(v.u.s, v.n, NULL);
        return k == SCAN_PATH_SECRET ? PVF_ALT_SECRET : k == SCAN_PATH_PERSIST ? PVF_ALT_PERSIST : 0;
}

struct pv py_join(struct py *P, struct pv a, struct pv b) {
        uint32_t keep = (a.fl | b.fl) & (PVF_TAINTS | PVF_PATH_SEEN | PVF_ALT);
        uint8_t ev = a.ev > b.ev ? a.ev : b.ev;
        if (a.kind == PV_NONE && b.kind != PV_NONE) {
                b.fl |= keep;
                return b;
        }
        if (b.kind == PV_NONE) {
                a.fl |= keep;
                return a;
        }
        if (pv_equal(a, b)) {
                a.fl |= b.fl & (PVF_TAINTS | PVF_PIECES | PVF_PATH_SEEN);
                a.ev = ev;
                return a;
        }
        if (a.kind != b.kind)
                return pv_unknown(keep);
        if (a.kind == PV_REF && (a.u.id == P->ref_builtins || a.u.id == P->ref_builtins_dict) &&
            (b.u.id == P->ref_builtins || b.u.id == P->ref_builtins_dict))
                return py_ref(P->ref_builtins_dict, 0, ev); /* __builtins__ or __builtins__.__dict__ */
        if (a.kind == PV_STR) {
                /* common prefix, a hole, common suffix: "https://h/a" and "https://h/b" keep their host */
                keep |= alt_flags(a) | alt_flags(b);
                uint32_t n = a.n < b.n ? a.n : b.n, k = 0, t = 0;
                while (k < n && a.u.s[k] == b.u.s[k] && a.u.s[k] != PY_HOLE)
                        k++;
                while (t < n - k && a.u.s[a.n - 1 - t] == b.u.s[b.n - 1 - t] && a.u.s[a.n - 1 - t] != PY_HOLE)
                        t++;
                char *s = str_new(P, k + 1 + t);
                if (!s)
                        return pv_unknown(keep);
                memcpy(s, a.u.s, k);
                s[k] = PY_HOLE;
                memcpy(s + k + 1, a.u.s + a.n - t, t);
                uint32_t fl = keep | PVF_HOLES | ((a.fl | b.fl) & (PVF_PIECES | PVF_BYTES | PVF_PATHOBJ | PVF_ALT));
                if (py_is_constish(a) && py_is_constish(b))
                        fl |= PVF_ALTCONST;
                struct pv r = py_str(P, s, k + 1 + t, fl);
                r.ev = ev;
                if (fl & PVF_ALTCONST) {
                        const struct pv *xa, *xb;
                        size_t na = alts_of(P, &a, &xa), nb = alts_of(P, &b, &xb), nu = 0;
                        struct pv all[2 * PY_ALTS_MAX];
                        for (size_t i = 0; i < na + nb && na + nb <= 2 * PY_ALTS_MAX; i++) {
                                struct pv c = i < na ? xa[i] : xb[i - na];
                                bool dup = false;
                                for (size_t j = 0; j < nu && !dup; j++)
                                        dup = pv_equal(all[j], c);
                                if (!dup)
                                        all[nu++] = c;
                        }
                        set_alts(P, &r, all, na && nb && na + nb <= 2 * PY_ALTS_MAX ? nu : 0);
                }
                return r;
        }
        if (a.kind == PV_LIST) {
                uint32_t n = a.n < b.n ? a.n : b.n;
                struct pv *out = items_new(P, n);
                if (n && !out)
                        return pv_unknown(keep);
                for (uint32_t i = 0; i < n; i++)
                        out[i] = py_join(P, a.u.items[i], b.u.items[i]);
                return list_own(out, n, keep | PVF_HOLES | ((a.fl & b.fl) & PVF_DICT));
        }
        return pv_unknown(keep);
}

/* The text of a value as str() or an f-string field would make it; unknown parts a hole. */
struct pv py_to_text(struct py *P, struct pv v) {
        uint32_t keep = v.fl & (PVF_TAINTS | PVF_PIECES | PVF_HOLES | PVF_ESCAPED | PVF_ALT | PVF_ALTCONST);
        switch (v.kind) {
        case PV_STR:
                v.fl &= ~(PVF_FILEOBJ | PVF_WRITE | PVF_LITERAL | PVF_PATHOBJ);
                return v;
        case PV_NUM: {
                if (v.fl & PVF_BOOL)
                        return py_str(P, v.u.num ? "True" : "False", v.u.num ? 4 : 5, keep);
                char buf[24];
                int64_t x = v.u.num;
                uint64_t u = x < 0 ? (uint64_t) 0 - (uint64_t) x : (uint64_t) x;
                size_t k = sizeof(buf);
                do
                        buf[--k] = (char) ('0' + u % 10);
                while ((u /= 10) && k > 1);
                if (x < 0)
                        buf[--k] = '-';
                char *s = str_new(P, sizeof(buf) - k);
                if (!s)
                        return hole_str(P, keep);
                memcpy(s, buf + k, sizeof(buf) - k);
                return py_str(P, s, sizeof(buf) - k, keep);
        }
        case PV_NONE:
                return py_str(P, "None", 4, keep);
        default:
                return hole_str(P, keep);
        }
}

static struct pv str_cat(struct py *P, struct pv a, struct pv b) {
        uint32_t fl = ((a.fl | b.fl) & (PVF_TAINTS | PVF_HOLES | PVF_ESCAPED | PVF_ALT)) | PVF_PIECES |
                      (a.fl & (PVF_BYTES | PVF_PATHOBJ));
        if ((fl & PVF_HOLES) && py_is_constish(a) && py_is_constish(b))
                fl |= PVF_ALTCONST;
        size_t n = (size_t) a.n + b.n;
        if (n > PY_STR_MAX) {
                n = PY_STR_MAX;
                fl |= PVF_HOLES;
                if (a.n >= PY_STR_MAX) {
                        /* already full: appending changes nothing we keep (a loop of +=) */
                        a.fl |= fl;
                        return a;
                }
        }
        char *s = str_new(P, n);
        if (!s)
                return pv_unknown(fl);
        size_t an = a.n < n ? a.n : n;
        memcpy(s, a.u.s, an);
        memcpy(s + an, b.u.s, n - an);
        if (n == PY_STR_MAX && (size_t) a.n + b.n > PY_STR_MAX)
                s[n - 1] = PY_HOLE;
        struct pv r = py_str(P, s, n, fl);
        r.ev = a.ev > b.ev ? a.ev : b.ev;
        if (fl & PVF_ALTCONST) {
                /* ("cls" if nt else "clear") + " -x": each alternative, concatenated */
                const struct pv *xa, *xb;
                size_t na = alts_of(P, &a, &xa), nb = alts_of(P, &b, &xb);
                struct pv all[PY_ALTS_MAX];
                size_t n_all = 0;
                if (na && nb && na * nb <= PY_ALTS_MAX)
                        for (size_t i = 0; i < na; i++)
                                for (size_t j = 0; j < nb; j++) {
                                        struct pv x = str_cat(P, xa[i], xb[j]);
                                        if (x.kind != PV_STR)
                                                break;
                                        all[n_all++] = x;
                                }
                set_alts(P, &r, all, n_all == na * nb ? n_all : 0);
        }
        return r;
}

/* a + b */
struct pv py_concat(struct py *P, struct pv a, struct pv b) {
        uint32_t t = py_taints(a) | py_taints(b);
        if (a.kind == PV_STR && b.kind == PV_STR)
                return str_cat(P, a, b);
        if (a.kind == PV_NUM && b.kind == PV_NUM)
                return py_num((int64_t) ((uint64_t) a.u.num + (uint64_t) b.u.num));
        if (a.kind == PV_LIST && b.kind == PV_LIST) {
                if (a.fl & PVF_HOLES)
                        return py_list(P, a.u.items, a.n, t | PVF_HOLES);
                size_t n = (size_t) a.n + b.n;
                uint32_t fl = t | ((a.fl | b.fl) & PVF_HOLES);
                if (n > PY_LIST_MAX) {
                        n = PY_LIST_MAX;
                        fl |= PVF_HOLES;
                }
                struct pv *out = items_new(P, n);
                if (n && !out)
                        return pv_unknown(t);
                if (a.n)
                        memcpy(out, a.u.items, a.n * sizeof(*out));
                if (n > a.n)
                        memcpy(out + a.n, b.u.items, (n - a.n) * sizeof(*out));
                return list_own(out, n, fl);
        }
        /* one side unknown: a string stays a string with a hole where the unknown part goes,
         * so "curl " + url still runs curl and home + "/.bashrc" still names .bashrc */
        if (a.kind == PV_STR && (b.kind == PV_UNKNOWN || b.kind == PV_REF))
                return str_cat(P, a, hole_str(P, t));
        if (b.kind == PV_STR && (a.kind == PV_UNKNOWN || a.kind == PV_REF))
                return str_cat(P, hole_str(P, t), b);
        if (a.kind == PV_LIST && b.kind == PV_UNKNOWN)
                return py_list(P, a.u.items, a.n, t | PVF_HOLES);
        return pv_unknown(t);
}

/* os.path.join / pathlib "/" : later absolute parts restart the path. */
struct pv py_path_join(struct py *P, const struct pv *parts, size_t n, uint32_t fl) {
        struct pv acc = { .kind = PV_NONE };
        for (size_t i = 0; i < n; i++) {
                struct pv t = py_to_text(P, parts[i]);
                fl |= py_taints(parts[i]) | (parts[i].fl & (PVF_PATH_SEEN | PVF_ALT));
                if (t.kind != PV_STR)
                        return pv_unknown(fl);
                if (acc.kind == PV_NONE || (t.n > 0 && t.u.s[0] == '/')) {
                        acc = t;
                        continue;
                }
                if (acc.n > 0 && acc.u.s[acc.n - 1] != '/')
                        acc = str_cat(P, acc, py_str(P, "/", 1, 0));
                acc = str_cat(P, acc, t);
                if (acc.kind != PV_STR)
                        return pv_unknown(fl);
        }
        if (acc.kind != PV_STR)
                return pv_unknown(fl);
        acc.fl |= fl & (PVF_TAINTS | PVF_PATH_SEEN | PVF_PATHOBJ | PVF_ALT);
        acc.fl &= ~(PVF_FILEOBJ | PVF_WRITE | PVF_LITERAL);
        return acc;
}

/* ---- decoders ---- */

/* Decode a constant; false when it is not valid for the decoder (Python would raise). */
static bool decode_into(int how, const char *s, size_t n, char *out, size_t *out_n) {
        size_t k = 0;
        if (how == DEC_B64) {
                uint32_t acc = 0;
                int bits = 0;
                for (size_t i = 0; i < n; i++) {
                        unsigned char c = (unsigned char) s[i];
                        if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t')
                                continue;
                        int v = base64_digit(c);
                        if (v < 0)
                                return false;
                        acc = acc << 6 | (uint32_t) v;
                        bits += 6;
                        if (bits >= 8) {
                                bits -= 8;
                                out[k++] = (char) (acc >> bits);
                        }
                }
        } else if (how == DEC_HEX) {
                int hi = -1;
                for (size_t i = 0; i < n; i++) {
                        unsigned char c = (unsigned char) s[i];
                        if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
                                continue;
                        int v = hex_digit(c);
                        if (v < 0)
                                return false;
                        if (hi < 0)
                                hi = v;
                        else {
                                out[k++] = (char) (hi << 4 | v);
                                hi = -1;
                        }
                }
                if (hi >= 0)
                        return false;
        } else if (how == DEC_B32) {
                uint64_t acc = 0;
                int bits = 0;
                for (size_t i = 0; i < n; i++) {
                        unsigned char c = (unsigned char) s[i];
                        if (c == '=')
                                continue;
                        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
                        if (v < 0)
                                return false;
                        acc = acc << 5 | (uint64_t) v;
                        bits += 5;
                        if (bits >= 8) {
                                bits -= 8;
                                out[k++] = (char) (acc >> bits);
                        }
                }
        } else if (how == DEC_ROT13) {
                for (size_t i = 0; i < n; i++) {
                        unsigned char c = (unsigned char) s[i];
                        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                                unsigned char base = c & 0x20 ? 'a' : 'A';
                                c = (unsigned char) (base + (c - base + 13) % 26);
                        }
                        out[k++] = (char) c;
                }
        } else
                return false;
        *out_n = k;
        return true;
}

/* Data through a decoder: folded when constant (so a decoded name can still be resolved), and
 * tainted either way (so exec of it is critical). */
struct pv py_decode(struct py *P, struct pv v, int how) {
        uint32_t fl = py_taints(v) | PVF_DECODED;
        if (!py_is_const_str(v) || how == DEC_OPAQUE || how == DEC_NONE)
                return pv_unknown(fl);
        char *out = str_new(P, v.n);
        size_t n = 0;
        if (!out || !decode_into(how, v.u.s, v.n, out, &n))
                return pv_unknown(fl);
        out[n] = '\0';
        struct pv r = py_str(P, out, n, fl | PVF_PIECES | (how == DEC_ROT13 ? 0 : PVF_BYTES));
        r.ev = EV_DECODED;
        return r;
}

/* s[::-1], reversed(s): by code points, as Python does. */
struct pv py_reverse(struct py *P, struct pv v) {
        if (v.kind == PV_LIST && !(v.fl & PVF_HOLES)) {
                struct pv *out = items_new(P, v.n);
                if (v.n && !out)
                        return pv_unknown(py_taints(v));
                for (uint32_t i = 0; i < v.n; i++)
                        out[i] = v.u.items[v.n - 1 - i];
                return list_own(out, v.n, v.fl);
        }
        if (!py_is_const_str(v))
                return pv_unknown(py_taints(v));
        char *s = str_new(P, v.n);
        if (!s)
                return pv_unknown(py_taints(v));
        size_t i = 0;
        while (i < v.n) {
                uint32_t cp;
                size_t l = (v.fl & PVF_BYTES) ? 0 : utf8_decode((const unsigned char *) v.u.s + i, v.n - i, &cp);
                if (l == 0)
                        l = 1;
                memcpy(s + v.n - i - l, v.u.s + i, l);
                i += l;
        }
        struct pv r = py_str(P, s, v.n, (v.fl & (PVF_TAINTS | PVF_BYTES | PVF_ESCAPED)) | PVF_PIECES);
        r.ev = v.ev > EV_PIECES ? v.ev : EV_PIECES;
        return r;
}

/* "...{}...".format(args) and "...%s..." % args, for the simple forms; anything else is a hole. */
struct pv py_format(struct py *P, struct pv fmt, const struct py_args *a, bool percent, struct pv pct_arg) {
        uint32_t fl = py_taints(fmt) | (a ? a->taints : 0) | py_taints(pct_arg);
        if (fmt.kind != PV_STR)
                return pv_unknown(fl);
        struct pv acc = py_str(P, "", 0, 0);
        size_t i = 0, lit = 0, auto_idx = 0;
        const struct pv *pct_items = NULL;
        size_t pct_n = 0;
        if (percent) {
                if (pct_arg.kind == PV_LIST && !(pct_arg.fl & PVF_HOLES)) {
                        pct_items = pct_arg.u.items;
                        pct_n = pct_arg.n;
                } else {
                        pct_items = &pct_arg;
                        pct_n = 1;
                }
        }
        while (i < fmt.n && acc.kind == PV_STR) {
                char c = fmt.u.s[i];
                struct pv piece;
                size_t skip;
                if (percent && c == '%' && i + 1 < fmt.n) {
                        char d = fmt.u.s[i + 1];
                        if (d == '%') {
                                acc = str_cat(P, acc, py_str(P, fmt.u.s + lit, i + 1 - lit, 0));
                                i += 2;
                                lit = i;
                                continue;
                        }
                        piece = (d == 's' || d == 'd') && auto_idx < pct_n ? py_to_text(P, pct_items[auto_idx])
                                                                           : hole_str(P, 0);
                        auto_idx++;
                        skip = 2;
                } else if (!percent && c == '{' && i + 1 < fmt.n && fmt.u.s[i + 1] == '{') {
                        acc = str_cat(P, acc, py_str(P, fmt.u.s + lit, i + 1 - lit, 0));
                        i += 2;
                        lit = i;
                        continue;
                } else if (!percent && c == '}' && i + 1 < fmt.n && fmt.u.s[i + 1] == '}') {
                        acc = str_cat(P, acc, py_str(P, fmt.u.s + lit, i + 1 - lit, 0));
                        i += 2;
                        lit = i;
                        continue;
                } else if (!percent && c == '{') {
                        size_t j = i + 1;
                        while (j < fmt.n && fmt.u.s[j] != '}')
                                j++;
                        if (j >= fmt.n)
                                break;
                        piece = hole_str(P, 0);
                        size_t fn = j - i - 1;
                        const char *f = fmt.u.s + i + 1;
                        if (a && fn == 0 && auto_idx < a->npos)
                                piece = py_to_text(P, a->pos[auto_idx]);
                        else if (a && fn == 1 && f[0] >= '0' && f[0] <= '9' && (size_t) (f[0] - '0') < a->npos)
                                piece = py_to_text(P, a->pos[f[0] - '0']);
                        else if (a)
                                for (size_t k = 0; k < a->nkw; k++) {
                                        const struct py_sym *s = &P->syms[a->kw[k].sym];
                                        if (a->kw[k].sym != PY_NOSYM && s->len == fn && memcmp(s->s, f, fn) == 0)
                                                piece = py_to_text(P, a->kw[k].v);
                                }
                        auto_idx++;
                        skip = j - i + 1;
                } else {
                        i++;
                        continue;
                }
                acc = str_cat(P, acc, py_str(P, fmt.u.s + lit, i - lit, 0));
                if (acc.kind == PV_STR)
                        acc = str_cat(P, acc, piece);
                i += skip;
                lit = i;
        }
        if (acc.kind == PV_STR && lit < fmt.n)
                acc = str_cat(P, acc, py_str(P, fmt.u.s + lit, fmt.n - lit, 0));
        if (acc.kind != PV_STR)
                return pv_unknown(fl);
        acc.fl |= fl | (fmt.fl & PVF_HOLES);
        return acc;
}

/* ---- look-alike identifiers ---- */

/* NFKC folds these to ASCII, so CPython reads "ｅｘｅｃ" or "𝐞𝐯𝐚𝐥" as exec and eval. */
static const struct {
        uint32_t cp;
        const char *ascii;
} FOLD[] = {
        { 0x00AA, "a" },   { 0x00BA, "o" },   { 0x017F, "s" },   { 0x02B0, "h" },   { 0x02B2, "j" },
        { 0x02B3, "r" },   { 0x02B7, "w" },   { 0x02B8, "y" },   { 0x02E1, "l" },   { 0x02E2, "s" },
        { 0x02E3, "x" },   { 0x1D2C, "A" },   { 0x1D2E, "B" },   { 0x1D30, "D" },   { 0x1D31, "E" },
        { 0x1D33, "G" },   { 0x1D34, "H" },   { 0x1D35, "I" },   { 0x1D36, "J" },   { 0x1D37, "K" },
        { 0x1D38, "L" },   { 0x1D39, "M" },   { 0x1D3A, "N" },   { 0x1D3C, "O" },   { 0x1D3E, "P" },
        { 0x1D3F, "R" },   { 0x1D40, "T" },   { 0x1D41, "U" },   { 0x1D42, "W" },   { 0x1D43, "a" },
        { 0x1D47, "b" },   { 0x1D48, "d" },   { 0x1D49, "e" },   { 0x1D4D, "g" },   { 0x1D4F, "k" },
        { 0x1D50, "m" },   { 0x1D52, "o" },   { 0x1D56, "p" },   { 0x1D57, "t" },   { 0x1D58, "u" },
        { 0x1D5B, "v" },   { 0x1D62, "i" },   { 0x1D63, "r" },   { 0x1D64, "u" },   { 0x1D65, "v" },
        { 0x1D9C, "c" },   { 0x1DA0, "f" },   { 0x1DBB, "z" },   { 0x2071, "i" },   { 0x207F, "n" },
        { 0x2090, "a" },   { 0x2091, "e" },   { 0x2092, "o" },   { 0x2093, "x" },   { 0x2095, "h" },
        { 0x2096, "k" },   { 0x2097, "l" },   { 0x2098, "m" },   { 0x2099, "n" },   { 0x209A, "p" },
        { 0x209B, "s" },   { 0x209C, "t" },   { 0x2102, "C" },   { 0x210A, "g" },   { 0x210B, "H" },
        { 0x210C, "H" },   { 0x210D, "H" },   { 0x210E, "h" },   { 0x2110, "I" },   { 0x2111, "I" },
        { 0x2112, "L" },   { 0x2113, "l" },   { 0x2115, "N" },   { 0x2119, "P" },   { 0x211A, "Q" },
        { 0x211B, "R" },   { 0x211C, "R" },   { 0x211D, "R" },   { 0x2124, "Z" },   { 0x2128, "Z" },
        { 0x212C, "B" },   { 0x212D, "C" },   { 0x212F, "e" },   { 0x2130, "E" },   { 0x2131, "F" },
        { 0x2133, "M" },   { 0x2134, "o" },   { 0x2139, "i" },   { 0x2145, "D" },   { 0x2146, "d" },
        { 0x2147, "e" },   { 0x2148, "i" },   { 0x2149, "j" },   { 0x2160, "I" },   { 0x2161, "II" },
        { 0x2162, "III" }, { 0x2163, "IV" },  { 0x2164, "V" },   { 0x2165, "VI" },  { 0x2166, "VII" },
        { 0x2167, "VIII" },{ 0x2168, "IX" },  { 0x2169, "X" },   { 0x216A, "XI" },  { 0x216B, "XII" },
        { 0x216C, "L" },   { 0x216D, "C" },   { 0x216E, "D" },   { 0x216F, "M" },   { 0x2170, "i" },
        { 0x2171, "ii" },  { 0x2172, "iii" }, { 0x2173, "iv" },  { 0x2174, "v" },   { 0x2175, "vi" },
        { 0x2176, "vii" }, { 0x2177, "viii" },{ 0x2178, "ix" },  { 0x2179, "x" },   { 0x217A, "xi" },
        { 0x217B, "xii" }, { 0x217C, "l" },   { 0x217D, "c" },   { 0x217E, "d" },   { 0x217F, "m" },
        { 0x2C7C, "j" },   { 0xFB00, "ff" },  { 0xFB01, "fi" },  { 0xFB02, "fl" },  { 0xFB03, "ffi" },
        { 0xFB04, "ffl" }, { 0xFB05, "st" },  { 0xFB06, "st" },
};

static const char *fold_cp(uint32_t cp, char tmp[2]) {
        tmp[1] = '\0';
        if (cp >= 0xFF21 && cp <= 0xFF3A)
                return tmp[0] = (char) ('A' + cp - 0xFF21), tmp;
        if (cp >= 0xFF41 && cp <= 0xFF5A)
                return tmp[0] = (char) ('a' + cp - 0xFF41), tmp;
        if (cp >= 0xFF10 && cp <= 0xFF19)
                return tmp[0] = (char) ('0' + cp - 0xFF10), tmp;
        if (cp == 0xFF3F)
                return "_";
        if (cp >= 0x1D400 && cp <= 0x1D6A3) {
                uint32_t k = (cp - 0x1D400) % 52;
                return tmp[0] = (char) (k < 26 ? 'A' + k : 'a' + k - 26), tmp;
        }
        if (cp >= 0x1D7CE && cp <= 0x1D7FF)
                return tmp[0] = (char) ('0' + (cp - 0x1D7CE) % 10), tmp;
        size_t lo = 0, hi = ELEMENTSOF(FOLD);
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (FOLD[mid].cp == cp)
                        return FOLD[mid].ascii;
                if (FOLD[mid].cp < cp)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* The ASCII name CPython would see for an identifier written with compatibility characters;
 * 0 when the identifier is plain ASCII or has characters that do not fold to ASCII. */
size_t py_fold_ident(const char *s, size_t n, char *out, size_t cap) {
        size_t k = 0;
        bool folded = false;
        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char) s[i];
                if (c < 0x80) {
                        if (k + 1 >= cap)
                                return 0;
                        out[k++] = (char) c;
                        i++;
                        continue;
                }
                uint32_t cp;
                size_t l = utf8_decode((const unsigned char *) s + i, n - i, &cp);
                char tmp[2];
                const char *a = l ? fold_cp(cp, tmp) : NULL;
                if (!a)
                        return 0;
                size_t al = strlen(a);
                if (k + al >= cap)
                        return 0;
                memcpy(out + k, a, al);
                k += al;
                i += l;
                folded = true;
        }
        if (!folded)
                return 0;
        out[k] = '\0';
        return k;
}
