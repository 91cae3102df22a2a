/* Shell analyser: what a word stands for. Joins a word's parts (quotes, escapes, $'\x..'),
 * expands variables, folds substitutions that only print constants, and keeps an unknown part as
 * a marker byte so that "https://$HOST/x" is a URL with an unknown host, never a guessed one.
 * Resolution nests at most SH_EVAL_DEPTH deep. */
#include "rules_shell.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- word values ---- */

struct wv {
        struct sh_unit *u;
        char *out;
        size_t cap, n;
        uint16_t flags;
        uint8_t taint, lead;
        bool lead_set, in_dq, in_param;
        uint32_t lead_end;
        size_t nparts;
        uint32_t pstart[16], pend[16];
        unsigned depth;
};

static void put(struct wv *s, const char *p, size_t n) {
        if (n > s->cap - 1 - s->n) {
                n = s->cap - 1 - s->n;
                s->flags |= SHV_TRUNC | SHV_UNKNOWN;
        }
        if (n) {
                memcpy(s->out + s->n, p, n);
                s->n += n;
        }
}

static void put_unknown(struct wv *s) {
        char m = SH_UNKNOWN;
        if (s->n == 0 || s->out[s->n - 1] != SH_UNKNOWN)
                put(s, &m, 1);
        s->flags |= SHV_UNKNOWN;
}

static void part_begin(struct wv *s, uint32_t *start) {
        *start = (uint32_t) s->n;
}

/* A part ends; an empty part counts as a piece only when it is a whole empty quote ("", ''),
 * not the empty fragment before or after an expansion inside "...". */
static void part_end_ex(struct wv *s, uint32_t start, uint8_t lead, bool empty_counts) {
        if ((s->n > start || empty_counts) && s->nparts < ELEMENTSOF(s->pstart)) {
                s->pstart[s->nparts] = start;
                s->pend[s->nparts] = (uint32_t) s->n;
                s->nparts++;
        }
        /* the lead is what the first part that says anything is: skip leading empty quotes */
        if (!s->lead_set && (s->n > start || lead != SHLEAD_TEXT)) {
                s->lead_set = true;
                s->lead = lead;
                s->lead_end = (uint32_t) s->n;
        }
}

static void part_end(struct wv *s, uint32_t start, uint8_t lead) {
        part_end_ex(s, start, lead, false);
}

static bool has_blank(const char *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n')
                        return true;
        return false;
}

static bool always_set(const char *name, size_t n) {
        /* by length: most unknown names are looked up here, and few have a given length */
#define NAME_IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
        switch (n) {
        case 3: return NAME_IS("PWD") || NAME_IS("UID");
        case 4: return NAME_IS("USER") || NAME_IS("PATH") || NAME_IS("EUID") || NAME_IS("PPID") ||
                       NAME_IS("BASH") || NAME_IS("TERM") || NAME_IS("LANG");
        case 5: return NAME_IS("SHELL") || NAME_IS("SHLVL") || NAME_IS("REPLY");
        case 6: return NAME_IS("OLDPWD") || NAME_IS("RANDOM") || NAME_IS("LINENO") || NAME_IS("OSTYPE") ||
                       NAME_IS("OPTARG") || NAME_IS("OPTIND");
        case 7: return NAME_IS("LOGNAME") || NAME_IS("SECONDS") || NAME_IS("BASHPID") || NAME_IS("SRANDOM");
        case 8: return NAME_IS("HOSTNAME") || NAME_IS("HOSTTYPE") || NAME_IS("MACHTYPE") || NAME_IS("FUNCNAME");
        case 10: return NAME_IS("PIPESTATUS");
        case 11: return NAME_IS("BASH_SOURCE");
        case 12: return NAME_IS("BASH_VERSION") || NAME_IS("EPOCHSECONDS") || NAME_IS("BASH_REMATCH");
        case 13: return NAME_IS("EPOCHREALTIME");
        default: return false;
        }
#undef NAME_IS
}

/* A default "${X:-...}" taken literally: "~", "$HOME", "${HOME}" start the home directory;
 * any other expansion makes it unknown. */
static void put_default(struct wv *s, const char *d, size_t n, uint8_t *lead) {
        if (n >= 1 && d[0] == '~' && (n == 1 || d[1] == '/')) {
                *lead = SHLEAD_HOME;
                put(s, "~", 1);
                d++, n--;
        } else if (n >= 5 && memcmp(d, "$HOME", 5) == 0 && (n == 5 || !sh_name_char(d[5], false))) {
                *lead = SHLEAD_HOME;
                put(s, "~", 1);
                d += 5, n -= 5;
        } else if (n >= 7 && memcmp(d, "${HOME}", 7) == 0) {
                *lead = SHLEAD_HOME;
                put(s, "~", 1);
                d += 7, n -= 7;
        }
        if (memchr(d, '$', n) || memchr(d, '`', n)) {
                put_unknown(s);
                if (*lead == SHLEAD_TEXT)
                        *lead = SHLEAD_UNKNOWN;
                return;
        }
        /* quotes inside the default are removed by the shell */
        for (size_t i = 0; i < n; i++)
                if (d[i] != '"' && d[i] != '\'')
                        put(s, d + i, 1);
}

/* $NAME, ${NAME}, ${NAME:-default}, $1, $@ ... (raw text of one expansion token). */
static void expand(struct wv *s, const char *raw, size_t len) {
        uint32_t start;
        part_begin(s, &start);
        uint8_t lead = SHLEAD_UNKNOWN;
        const char *name = raw + 1, *op = NULL, *arg = NULL;
        size_t nn = 0, on = 0, an = 0;
        bool braced = len >= 2 && raw[1] == '{';
        s->flags |= SHV_VAR;
        if (braced) {
                if (len < 3 || raw[len - 1] != '}') {
                        /* "${x:-" cut by a substitution: the rest of ${...} follows in pieces */
                        s->in_param = true;
                        put_unknown(s);
                        part_end(s, start, SHLEAD_UNKNOWN);
                        return;
                }
                const char *b = raw + 2, *e = raw + len - 1;
                if (b < e && (*b == '#' || *b == '!') && e - b > 1) {
                        put_unknown(s); /* ${#x} ${!x}: a length, an indirection */
                        part_end(s, start, SHLEAD_UNKNOWN);
                        return;
                }
                name = b;
                if (b < e && (isdigit((unsigned char) *b) || strchr("@*#?-$!", *b))) {
                        nn = 1;
                        while (isdigit((unsigned char) *b) && name + nn < e &&
                               isdigit((unsigned char) name[nn]))
                                nn++;
                } else
                        while (name + nn < e && sh_name_char(name[nn], nn == 0))
                                nn++;
                op = name + nn;
                on = (size_t) (e - op);
                if (on >= 2 && op[0] == ':' && strchr("-=?+", op[1])) {
                        arg = op + 2, an = on - 2, on = 2;
                } else if (on >= 1 && strchr("-=?+", op[0])) {
                        arg = op + 1, an = on - 1, on = 1;
                }
        } else {
                nn = len - 1;
        }
        if (nn == 0) {
                put_unknown(s);
                part_end(s, start, SHLEAD_UNKNOWN);
                return;
        }
        char opc = on == 0 ? 0 : op[on - 1];
        if (on > 0 && !arg)
                opc = '#'; /* ${x#..} ${x%..} ${x/..} ${x:1}: some edit of x */
        if (isdigit((unsigned char) name[0]) || name[0] == '@' || name[0] == '*') {
                /* arguments: "$1" may be empty; $0 is the script */
                bool empty_ok = !(nn == 1 && name[0] == '0');
                if ((opc == '-' || opc == '=') && arg)
                        put_default(s, arg, an, &lead);
                else {
                        put_unknown(s);
                        lead = empty_ok && opc != '?' ? SHLEAD_EMPTYABLE : SHLEAD_UNKNOWN;
                }
                part_end(s, start, lead);
                return;
        }
        if (nn == 1 && strchr("#?-$!", name[0])) {
                put_unknown(s);
                part_end(s, start, SHLEAD_UNKNOWN);
                return;
        }
        if (nn == 4 && memcmp(name, "HOME", 4) == 0 && (opc == 0 || opc == '-' || opc == '=' || opc == '?')) {
                struct sh_unit *o;
                if (!sh_var_find(s->u, "HOME", 4, &o)) {
                        put(s, "~", 1);
                        part_end(s, start, SHLEAD_HOME);
                        return;
                }
        }
        struct sh_unit *owner = NULL;
        struct sh_var *v = sh_var_find(s->u, name, nn, &owner);
        if (v) {
                s->taint |= sh_var_taint(owner, v, s->depth);
                const struct sh_var *k = opc == 0 || opc == '-' || opc == '=' || opc == '?'
                                                 ? sh_var_value(owner, v, s->depth)
                                                 : NULL;
                if (k) {
                        put(s, k->value, k->vlen);
                        s->flags |= k->vflags & (SHV_PIECES | SHV_ESCAPES | SHV_DECODED);
                        if (!s->in_dq && has_blank(k->value, k->vlen))
                                s->flags |= SHV_SPLIT;
                        lead = k->vlen && k->value[0] == '~' ? SHLEAD_HOME : SHLEAD_TEXT;
                } else {
                        put_unknown(s);
                        lead = SHLEAD_UNKNOWN;
                }
                part_end(s, start, lead);
                return;
        }
        /* never assigned in the script */
        if (nn == 3 && memcmp(name, "IFS", 3) == 0 && opc == 0) {
                put(s, " ", 1); /* the default IFS: ${IFS} glues words together */
                if (!s->in_dq)
                        s->flags |= SHV_SPLIT | SHV_IFS;
                part_end(s, start, SHLEAD_TEXT);
                return;
        }
        if (always_set(name, nn)) {
                put_unknown(s);
                part_end(s, start, SHLEAD_UNKNOWN);
                return;
        }
        if ((opc == '-' || opc == '=') && arg) {
                lead = SHLEAD_TEXT;
                put_default(s, arg, an, &lead);
        } else if (opc == '?') {
                put_unknown(s);
                lead = SHLEAD_UNKNOWN;
        } else {
                put_unknown(s);
                lead = SHLEAD_EMPTYABLE;
        }
        part_end(s, start, lead);
}

static const struct sh_list *list_at(const struct sh_unit *u, int32_t id) {
        return id >= 0 && (size_t) id < u->nl ? &u->l[id] : NULL;
}

/* Could the substitution print only constants? Its first command must be a plain echo,
 * printf or decoder (checked before paying for a fold). */
static bool foldable_start(const struct sh_unit *u, const struct sh_list *l) {
        if (l->first_cmd < 0)
                return false;
        int32_t w = u->c[l->first_cmd].w_first;
        size_t n;
        const char *p = w >= 0 ? sh_plain_word(u, w, &n) : NULL;
        if (!p)
                return w >= 0; /* a quoted or escaped name: fold to find out what it is */
        static const char *const names[] = { "echo", "printf", "base64", "xxd", "rev", "cat", "tr" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (n == strlen(names[i]) && memcmp(p, names[i], n) == 0)
                        return true;
        return false;
}

/* Most words are one literal token: their value is the token's, nothing to join. */
bool sh_word_value_fast(const struct sh_unit *u, int32_t wi, struct sh_arg *info) {
        const struct sh_word *w = &u->w[wi];
        if (w->te != w->tb + 1 || w->sub_first >= 0)
                return false;
        const struct token *t = &u->toks->v[w->tb];
        const char *raw = u->toks->src + t->offset;
        if (!t->value || (t->kind != TOK_WORD && t->kind != TOK_STRING))
                return false;
        uint16_t fl = 0;
        uint8_t lead = SHLEAD_TEXT;
        if (t->kind == TOK_WORD) {
                if (sh_raw_is_expansion(raw, t->len))
                        return false;
                if (!sh_word_is_raw(t))
                        fl |= SHV_ESCAPES;
                if (t->value_len >= 1 && t->value[0] == '~' && raw[0] == '~' &&
                    (t->value_len == 1 || t->value[1] == '/'))
                        lead = SHLEAD_HOME;
        } else {
                /* a whole '...', "..." (no expansion inside, or it would be split) or $'...' */
                if (t->len < 2 || (t->flags & TOKF_HEREDOC))
                        return false;
                fl |= SHV_QUOTED;
                if (raw[0] == '$' && raw[1] == '\'') {
                        size_t inner = t->len >= 3 ? t->len - 3 : 0;
                        if (t->value_len != inner || memcmp(t->value, raw + 2, inner) != 0)
                                fl |= SHV_ESCAPES;
                } else if (raw[0] != '\'' && raw[0] != '"')
                        return false;
        }
        *info = (struct sh_arg){ .s = t->value,
                                 .n = t->value_len,
                                 .vflags = fl,
                                 .lead = lead,
                                 .lead_end = lead == SHLEAD_HOME ? 1 : 0,
                                 .word = wi,
                                 .tok = w->tb,
                                 .pkind = -1 };
        return true;
}

size_t sh_word_value(struct sh_unit *u, int32_t wi, uint32_t skip, char *out, size_t cap, struct sh_arg *info,
                     unsigned depth) {
        if (skip == 0 && sh_word_value_fast(u, wi, info)) {
                /* the caller's buffer gets a copy only when it asked for one (out != NULL) */
                if (out) {
                        size_t n = info->n < cap - 1 ? info->n : cap - 1;
                        memcpy(out, info->s, n);
                        out[n] = '\0';
                        if (n < info->n)
                                info->vflags |= SHV_TRUNC | SHV_UNKNOWN;
                        info->s = out;
                        info->n = (uint32_t) n;
                }
                return info->n;
        }
        struct wv s; /* the part arrays are filled as parts come: no need to zero them */
        s.u = u, s.out = out, s.cap = cap, s.n = 0, s.flags = 0, s.taint = 0, s.lead = 0;
        s.lead_set = s.in_dq = s.in_param = false;
        s.lead_end = 0, s.nparts = 0, s.depth = depth;
        const struct sh_word *w = &u->w[wi];
        int32_t sub = w->sub_first;
        *info = (struct sh_arg){ .word = wi, .tok = w->tb, .pkind = -1 };
        if ((depth >= SH_EVAL_DEPTH && sh_cut(u)) || !sh_step(u)) {
                put_unknown(&s);
                goto done;
        }
        for (uint32_t i = w->tb; i < w->te && i < u->toks->n; i++) {
                const struct token *t = &u->toks->v[i];
                const char *raw = u->toks->src + t->offset;
                const struct sh_list *l = list_at(u, sub);
                uint32_t start;
                if (l && l->open_tok == i) {
                        part_begin(&s, &start);
                        bool folded = false;
                        if ((l->kind == SHL_CMDSUB || l->kind == SHL_BACKTICK) && foldable_start(u, l)) {
                                char *tmp = malloc(SH_FOLD_MAX);
                                long n = tmp ? sh_fold_list(u, sub, tmp, SH_FOLD_MAX, depth + 1) : -1;
                                if (n >= 0) {
                                        while (n > 0 && tmp[n - 1] == '\n')
                                                n--; /* $(...) drops trailing newlines */
                                        put(&s, tmp, (size_t) n);
                                        s.flags |= SHV_DECODED;
                                        if (!s.in_dq && has_blank(tmp, (size_t) n))
                                                s.flags |= SHV_SPLIT;
                                        folded = true;
                                }
                                free(tmp);
                        }
                        if (!folded) {
                                put_unknown(&s);
                                s.flags |= l->kind == SHL_PROCSUB_IN || l->kind == SHL_PROCSUB_OUT
                                                   ? SHV_PROCSUB
                                                   : SHV_SUBST;
                                s.taint |= sh_list_taint(u, sub, depth + 1);
                        }
                        part_end(&s, start, folded ? SHLEAD_TEXT : SHLEAD_UNKNOWN);
                        sub = l->next_sibling;
                        if (l->close_tok == UINT32_MAX)
                                break;
                        i = l->close_tok;
                        continue;
                }
                if (s.in_param) {
                        /* the rest of a ${...} that a substitution cut */
                        if (t->kind == TOK_WORD && memchr(raw, '}', t->len))
                                s.in_param = false;
                        continue;
                }
                if (t->kind == TOK_STRING && t->len == 0)
                        continue; /* the empty end of an unterminated "..." */
                if (t->kind == TOK_STRING) {
                        size_t off = i == w->tb ? skip : 0;
                        part_begin(&s, &start);
                        if (raw[0] == '\'') {
                                s.flags |= SHV_QUOTED;
                        } else if (t->len >= 2 && raw[0] == '$' && raw[1] == '\'') {
                                s.flags |= SHV_QUOTED;
                                size_t inner = t->len >= 3 ? t->len - 3 : 0;
                                if (t->value_len != inner || memcmp(t->value, raw + 2, inner) != 0)
                                        s.flags |= SHV_ESCAPES;
                        } else {
                                s.flags |= SHV_QUOTED;
                                bool opener = !s.in_dq && (raw[0] == '"' ||
                                                           (t->len >= 2 && raw[0] == '$' && raw[1] == '"'));
                                size_t from = opener ? (raw[0] == '$' ? 2 : 1) : 0;
                                bool closes = false;
                                if (t->len > from && raw[t->len - 1] == '"' &&
                                    !(t->flags & TOKF_UNTERMINATED)) {
                                        size_t b = 0;
                                        while (t->len - 1 - b > from && raw[t->len - 2 - b] == '\\')
                                                b++;
                                        closes = b % 2 == 0;
                                }
                                if (opener)
                                        s.in_dq = !closes;
                                else if (closes)
                                        s.in_dq = false;
                        }
                        if (t->value && off < t->value_len)
                                put(&s, t->value + off, t->value_len - off);
                        bool whole =
                                (t->len == 2 && (memcmp(raw, "\"\"", 2) == 0 || memcmp(raw, "''", 2) == 0)) ||
                                (t->len == 3 && raw[0] == '$' && raw[1] == raw[2] &&
                                 (raw[1] == '"' || raw[1] == '\''));
                        part_end_ex(&s, start, SHLEAD_TEXT, whole);
                        continue;
                }
                if (t->kind != TOK_WORD || !t->value)
                        continue;
                if (sh_raw_is_expansion(raw, t->len)) {
                        expand(&s, raw, t->len);
                        continue;
                }
                size_t off = i == w->tb ? skip : 0;
                if (off > t->value_len)
                        off = t->value_len;
                part_begin(&s, &start);
                uint8_t lead = SHLEAD_TEXT;
                const char *v = t->value + off;
                size_t vn = t->value_len - off;
                if (!sh_word_is_raw(t))
                        s.flags |= SHV_ESCAPES;
                if (s.n == 0 && !s.lead_set && vn >= 1 && v[0] == '~' && (vn == 1 || v[1] == '/') &&
                    off < t->len && raw[off] == '~')
                        lead = SHLEAD_HOME;
                put(&s, v, vn);
                part_end(&s, start, lead);
        }
done:
        /* pieces: two or more parts build the last path component ("cu""rl", c\url, $a$b) */
        {
                size_t base = 0;
                for (size_t k = s.n; k > 0; k--)
                        if (s.out[k - 1] == '/') {
                                base = k;
                                break;
                        }
                size_t parts = 0;
                for (size_t k = 0; k < s.nparts; k++)
                        if (s.pend[k] > base || (s.pstart[k] >= base && s.pend[k] == s.pstart[k]))
                                parts++;
                if (parts >= 2)
                        s.flags |= SHV_PIECES;
        }
        out[s.n] = '\0';
        info->s = out;
        info->n = (uint32_t) s.n;
        info->vflags = s.flags;
        info->taint = s.taint;
        info->lead = s.lead_set ? s.lead : SHLEAD_TEXT;
        info->lead_end = s.lead_end;
        return s.n;
}
