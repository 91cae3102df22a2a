/* Shell analyser: folding constant output. `printf '\x63url'`, `echo -e`, `echo <b64> |
 * base64 -d`, `rev`, `xxd -r -p` and rot13 of constants are computed, so that a name or a script
 * hidden that way is seen for what it is. */
#include "rules_shell.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"
#include "../base/codec.h"

/* ---- folding constant output: echo, printf, base64 -d, rev, xxd -r -p, rot13 ---- */

/* One backslash escape of echo -e / printf %b (octal: \0NNN) or of a printf format (\NNN) at
 * s[i] == '\\'; appends to out, returns the bytes consumed; *stop for \c. */
static size_t unescape_one(const char *s, size_t n, size_t i, bool printf_fmt, char *out, size_t *o,
                           size_t cap, bool *stop) {
        if (i + 1 >= n) {
                if (*o < cap)
                        out[(*o)++] = '\\';
                return 1;
        }
        char e = s[i + 1], ch;
        size_t used = 2;
        switch (e) {
        case 'a': ch = '\a'; break;
        case 'b': ch = '\b'; break;
        case 'e':
        case 'E': ch = '\033'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'v': ch = '\v'; break;
        case '\\': ch = '\\'; break;
        case 'c': *stop = true; return 2;
        case 'x': {
                unsigned v = 0;
                size_t k = i + 2;
                while (k < n && k < i + 4 && hex_digit(s[k]) >= 0)
                        v = v * 16 + (unsigned) hex_digit(s[k++]);
                if (k == i + 2) {
                        ch = '\\';
                        used = 1;
                        break;
                }
                ch = (char) v;
                used = k - i;
                break;
        }
        default:
                if (e >= '0' && e <= '7') {
                        size_t k = i + 1, max = 3;
                        if (!printf_fmt && e == '0')
                                k = i + 2; /* echo: \0NNN */
                        unsigned v = 0;
                        size_t start = k;
                        while (k < n && k < start + max && s[k] >= '0' && s[k] <= '7')
                                v = v * 8 + (unsigned) (s[k++] - '0');
                        ch = (char) (v & 0xff);
                        used = k - i;
                        break;
                }
                if (*o < cap)
                        out[(*o)++] = '\\';
                ch = e;
                break;
        }
        if (*o < cap)
                out[(*o)++] = ch;
        return used;
}

static size_t unescape(const char *s, size_t n, bool printf_fmt, char *out, size_t o, size_t cap,
                       bool *stop) {
        for (size_t i = 0; i < n && !*stop;) {
                if (s[i] == '\\')
                        i += unescape_one(s, n, i, printf_fmt, out, &o, cap, stop);
                else {
                        if (o < cap)
                                out[o++] = s[i];
                        i++;
                }
        }
        return o;
}

static void append(char *out, size_t *o, size_t cap, const char *s, size_t n) {
        if (n > cap - *o)
                n = cap - *o;
        memcpy(out + *o, s, n);
        *o += n;
}

static long fold_echo(const struct sh_argv *av, size_t i, char *out, size_t cap) {
        bool nl = true, esc = false, stop = false;
        for (; i < av->n; i++) { /* options only before the first word */
                const struct sh_arg *a = &av->v[i];
                if (a->n < 2 || a->s[0] != '-' || strspn(a->s + 1, "neE") != a->n - 1)
                        break;
                for (size_t k = 1; k < a->n; k++)
                        if (a->s[k] == 'n')
                                nl = false;
                        else
                                esc = a->s[k] == 'e';
        }
        size_t o = 0;
        for (size_t first = i; i < av->n && !stop; i++) {
                if (i > first)
                        append(out, &o, cap, " ", 1);
                if (esc)
                        o = unescape(av->v[i].s, av->v[i].n, false, out, o, cap, &stop);
                else
                        append(out, &o, cap, av->v[i].s, av->v[i].n);
        }
        if (nl && !stop)
                append(out, &o, cap, "\n", 1);
        return (long) o;
}

static long fold_printf(const struct sh_argv *av, size_t i, char *out, size_t cap) {
        if (i < av->n && sh_arg_is(&av->v[i], "--"))
                i++;
        if (i >= av->n || (av->v[i].n >= 2 && av->v[i].s[0] == '-'))
                return -1; /* printf -v: an assignment */
        const struct sh_arg *f = &av->v[i++];
        size_t o = 0;
        bool stop = false;
        for (int round = 0; round < 64 && !stop; round++) {
                size_t used_args = 0;
                for (size_t k = 0; k < f->n && !stop;) {
                        char ch = f->s[k];
                        if (ch == '\\') {
                                k += unescape_one(f->s, f->n, k, true, out, &o, cap, &stop);
                                continue;
                        }
                        if (ch != '%' || k + 1 >= f->n) {
                                if (o < cap)
                                        out[o++] = ch;
                                k++;
                                continue;
                        }
                        k++;
                        if (f->s[k] == '%') {
                                if (o < cap)
                                        out[o++] = '%';
                                k++;
                                continue;
                        }
                        while (k < f->n && strchr("-+ 0#.123456789", f->s[k]))
                                k++;
                        if (k >= f->n)
                                break;
                        char conv = f->s[k++];
                        const struct sh_arg *a = i < av->n ? &av->v[i++] : NULL;
                        used_args++;
                        if (!a)
                                continue;
                        if (conv == 'b')
                                o = unescape(a->s, a->n, false, out, o, cap, &stop);
                        else if (conv == 'c')
                                append(out, &o, cap, a->s, a->n ? 1 : 0);
                        else
                                append(out, &o, cap, a->s, a->n);
                }
                if (!used_args || i >= av->n)
                        break;
        }
        return (long) o;
}

static long b64_decode(char *s, size_t n) {
        static signed char map[256];
        static bool init;
        if (!init) {
                memset(map, -1, sizeof(map));
                const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                for (int k = 0; k < 64; k++)
                        map[(unsigned char) abc[k]] = (signed char) k;
                map['-'] = 62, map['_'] = 63;
                init = true;
        }
        size_t o = 0;
        uint32_t acc = 0;
        int bits = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t')
                        continue;
                if (map[c] < 0)
                        return -1;
                acc = (acc << 6) | (uint32_t) map[c];
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        s[o++] = (char) ((acc >> bits) & 0xff);
                }
        }
        return (long) o;
}

static long hex_decode(char *s, size_t n) {
        size_t o = 0;
        int hi = -1;
        for (size_t i = 0; i < n; i++) {
                int v = hex_digit(s[i]);
                if (v < 0) {
                        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')
                                continue;
                        return -1;
                }
                if (hi < 0)
                        hi = v;
                else {
                        s[o++] = (char) (hi * 16 + v);
                        hi = -1;
                }
        }
        return (long) o;
}

static void rev_lines(char *s, size_t n) {
        for (size_t i = 0; i < n;) {
                size_t e = i;
                while (e < n && s[e] != '\n')
                        e++;
                for (size_t a = i, b = e; a + 1 < b; a++, b--) {
                        char t = s[a];
                        s[a] = s[b - 1];
                        s[b - 1] = t;
                }
                i = e + 1;
        }
}

static bool has_flag(const struct sh_argv *av, size_t from, const char *shortf, const char *longf) {
        for (size_t i = from; i < av->n; i++) {
                const struct sh_arg *a = &av->v[i];
                if (longf && sh_arg_is(a, longf))
                        return true;
                if (a->n >= 2 && a->s[0] == '-' && a->s[1] != '-' && memchr(a->s + 1, shortf[0], a->n - 1))
                        return true;
        }
        return false;
}

/* Does some argument after the name not start with '-' (a file to read instead of stdin)? */
static bool has_operand(const struct sh_argv *av, size_t from) {
        for (size_t i = from; i < av->n; i++)
                if (av->v[i].n == 0 || av->v[i].s[0] != '-')
                        return true;
        return false;
}

static bool is_rot13(const struct sh_argv *av, size_t from) {
        if (av->n != from + 2)
                return false;
        const struct sh_arg *a = &av->v[from], *b = &av->v[from + 1];
        return (sh_arg_is(a, "A-Za-z") && sh_arg_is(b, "N-ZA-Mn-za-m")) ||
               (sh_arg_is(a, "a-zA-Z") && sh_arg_is(b, "n-za-mN-ZA-M")) ||
               (sh_arg_is(a, "a-z") && sh_arg_is(b, "n-za-m")) ||
               (sh_arg_is(a, "A-Z") && sh_arg_is(b, "N-ZA-M"));
}

/* Apply the decoder command ci to the text out[0..n); -1 when ci is not one we can fold. */
static long fold_filter(const struct sh_cmdinfo *ci, char *out, size_t n) {
        const struct sh_argv *av = ci->av;
        size_t a = ci->name + 1;
        switch (ci->tool) {
        case TL_BASE64:
                if (!has_flag(av, a, "d", "--decode") && !has_flag(av, a, "D", NULL))
                        return -1;
                return has_operand(av, a) ? -1 : b64_decode(out, n);
        case TL_XXD:
                if (!has_flag(av, a, "r", "--revert") || !has_flag(av, a, "p", "--plain") ||
                    has_operand(av, a))
                        return -1;
                return hex_decode(out, n);
        case TL_REV:
                if (has_operand(av, a))
                        return -1;
                rev_lines(out, n);
                return (long) n;
        case TL_TR:
                if (!is_rot13(av, a))
                        return -1;
                for (size_t i = 0; i < n; i++) {
                        char c = out[i];
                        if ((c >= 'a' && c <= 'z'))
                                out[i] = (char) ('a' + (c - 'a' + 13) % 26);
                        else if (c >= 'A' && c <= 'Z')
                                out[i] = (char) ('A' + (c - 'A' + 13) % 26);
                }
                return (long) n;
        case TL_READER:
                if (strcmp(ci->base, "cat") != 0 || has_operand(av, a))
                        return -1;
                return (long) n;
        default: return -1;
        }
}

/* The text a here-string or an unquoted-constant here-doc feeds to command c, or -1. */
static long fold_input(struct sh_unit *u, int32_t c, char *out, size_t cap, unsigned depth) {
        /* standard input is the last input redirection: "cat <<A <<B" reads B */
        int32_t last = -1;
        for (int32_t r = u->c[c].r_first; r >= 0; r = u->r[r].next) {
                const struct sh_redir *rd = &u->r[r];
                if ((rd->fd == -1 || rd->fd == 0) &&
                    (rd->kind == SHR_HERESTR || rd->kind == SHR_HEREDOC || rd->kind == SHR_IN || rd->kind == SHR_RW ||
                     rd->kind == SHR_DUP_IN))
                        last = r;
        }
        if (last < 0)
                return -1;
        const struct sh_redir *rd = &u->r[last];
        if (rd->kind == SHR_HERESTR && rd->word >= 0) {
                char *tmp = malloc(SH_WORD_MAX);
                if (!tmp)
                        return -1;
                struct sh_arg info;
                size_t n = sh_word_value(u, rd->word, 0, tmp, SH_WORD_MAX, &info, depth + 1);
                long ret = -1;
                if (!(info.vflags & SHV_UNKNOWN) && n + 1 <= cap) {
                        memcpy(out, tmp, n);
                        out[n] = '\n';
                        ret = (long) n + 1;
                }
                free(tmp);
                return ret;
        }
        if (rd->kind == SHR_HEREDOC && rd->body_tok >= 0 && rd->sub_first < 0) {
                const struct token *t = &u->toks->v[rd->body_tok];
                if (!t->value || t->value_len > cap)
                        return -1;
                memcpy(out, t->value, t->value_len);
                return t->value_len;
        }
        return -1;
}

static long fold_chain(struct sh_unit *u, const int32_t *cmds, size_t k, char *out, size_t cap,
                       unsigned depth) {
        struct sh_argv *av = sh_argv_at(u->sc, depth);
        if (!av || k == 0 || depth >= SH_EVAL_DEPTH)
                return -1; /* not foldable (a cut would only make it unknown, as -1 does) */
        long n = -1;
        for (size_t i = 0; i < k; i++) {
                int32_t c = cmds[i];
                if (u->c[c].body >= 0)
                        return -1;
                sh_argv_build(u, c, av, depth);
                struct sh_cmdinfo ci;
                sh_resolve(u, c, av, &ci);
                if (!ci.name_known || ci.wrap)
                        return -1;
                for (size_t a = ci.name; a < av->n; a++)
                        if (av->v[a].vflags & SHV_UNKNOWN)
                                return -1;
                if (i == 0) {
                        if (ci.tool == TL_ECHO)
                                n = fold_echo(av, ci.name + 1, out, cap);
                        else if (ci.tool == TL_PRINTF)
                                n = fold_printf(av, ci.name + 1, out, cap);
                        else {
                                n = fold_input(u, c, out, cap, depth);
                                if (n >= 0)
                                        n = fold_filter(&ci, out, (size_t) n);
                        }
                } else
                        n = fold_filter(&ci, out, (size_t) n);
                if (n < 0)
                        return -1;
        }
        return n;
}

/* A list of pipelines run one after the other ("printf cu; printf rl"): their outputs join. */
long sh_fold_list(struct sh_unit *u, int32_t l, char *out, size_t cap, unsigned depth) {
        int32_t cmds[8];
        size_t k = 0, o = 0, pipelines = 0;
        for (int32_t c = u->l[l].first_cmd;; c = u->c[c].next) {
                if (c >= 0 && k > 0 && u->c[c].pipe_prev == cmds[k - 1]) {
                        if (k == ELEMENTSOF(cmds))
                                return -1;
                        cmds[k++] = c;
                        continue;
                }
                if (k > 0) {
                        if (++pipelines > 8)
                                return -1;
                        long n = fold_chain(u, cmds, k, out + o, cap - o, depth);
                        if (n < 0)
                                return -1;
                        o += (size_t) n;
                        k = 0;
                }
                if (c < 0)
                        break;
                if (u->c[c].op == SHO_AMP || u->c[c].op == SHO_OR)
                        return -1;
                cmds[k++] = c;
        }
        return pipelines ? (long) o : -1;
}

long sh_fold_pipeline(struct sh_unit *u, int32_t c, char *out, size_t cap, unsigned depth) {
        int32_t rev[8], cmds[8];
        size_t k = 0;
        for (int32_t p = u->c[c].pipe_prev; p >= 0; p = u->c[p].pipe_prev) {
                if (k == ELEMENTSOF(rev))
                        return -1;
                rev[k++] = p;
        }
        for (size_t i = 0; i < k; i++)
                cmds[i] = rev[k - 1 - i];
        return fold_chain(u, cmds, k, out, cap, depth);
}

bool sh_cmd_stdout_to_file(const struct sh_unit *u, int32_t c) {
        for (int32_t r = u->c[c].r_first; r >= 0; r = u->r[r].next) {
                const struct sh_redir *rd = &u->r[r];
                bool out = rd->kind == SHR_OUT || rd->kind == SHR_APPEND || rd->kind == SHR_OUT_ALL ||
                           rd->kind == SHR_APP_ALL;
                if (!out || (rd->fd != -1 && rd->fd != 1))
                        continue;
                if (rd->word >= 0 && u->w[rd->word].sub_first >= 0 &&
                    u->l[u->w[rd->word].sub_first].kind == SHL_PROCSUB_OUT)
                        continue; /* "> >(sh)" still flows */
                if (rd->kind == SHR_OUT_ALL && rd->word >= 0) {
                        /* ">&2" duplicates a descriptor, it is not a file */
                        const struct token *t = &u->toks->v[u->w[rd->word].tb];
                        if (t->kind == TOK_WORD && t->len >= 1 &&
                            (isdigit((unsigned char) u->toks->src[t->offset]) ||
                             u->toks->src[t->offset] == '-'))
                                continue;
                }
                return true;
        }
        return false;
}
