/* Shell analyser: lex_shell's tokens -> the command model (lists of simple commands joined
 * by pipes and operators, with words, redirections, here-documents and substitutions). The parser
 * mirrors the lexer's own context decisions (case patterns, backtick levels) so that its nesting
 * always matches the token stream; it is one loop over an explicit stack. */
#include "rules_shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

/* ---- the parser ---- */

struct frame {
        uint8_t kind;
        bool cmd_start, pattern, dollar;
        int32_t list;
        int32_t cmd, last_cmd, pending_pipe;
        int32_t word;
        uint32_t word_end;
        int32_t redir;
        int16_t io_fd;
        uint32_t case_depth, case_words, parens;
        uint32_t body_end; /* in a here-document body up to this offset (0: not) */
        int32_t body_redir;
        int8_t kept; /* the current word's bookkeeping was done early (x=( ), <( )): -1 not,
                      * else whether it was a case header or reserved word */
};

struct parser {
        struct sh_unit *u;
        struct frame *f;
        size_t depth;
        size_t nbody; /* frames in body mode */
        int32_t *hd;  /* here-docs waiting for their body, in order */
        size_t hd_head, hd_n, hd_cap;
};

static struct frame *top(struct parser *p) {
        return &p->f[p->depth - 1];
}

static const struct token *tok(const struct parser *p, uint32_t i) {
        return &p->u->toks->v[i];
}

static bool tok_is_expansion(const struct sh_unit *u, const struct token *t) {
        return t->kind == TOK_WORD && sh_raw_is_expansion(u->toks->src + t->offset, t->len);
}

/* One unquoted literal part with no escapes: what the lexer calls a plain word. */
static bool word_plain(const struct sh_unit *u, const struct sh_word *w, const char **ret, size_t *ret_n) {
        if (w->te - w->tb != 1)
                return false;
        const struct token *t = &u->toks->v[w->tb];
        if (t->kind != TOK_WORD || !sh_word_is_raw(t) || tok_is_expansion(u, t))
                return false;
        *ret = t->value;
        *ret_n = t->len;
        return true;
}

static bool keeps_cmd_position(const char *w, size_t n) {
        switch (n) {
        case 1: return w[0] == '!';
        case 2: return memcmp(w, "if", 2) == 0 || memcmp(w, "do", 2) == 0;
        case 4:
                return memcmp(w, "then", 4) == 0 || memcmp(w, "else", 4) == 0 || memcmp(w, "elif", 4) == 0 ||
                       memcmp(w, "time", 4) == 0;
        case 5: return memcmp(w, "while", 5) == 0 || memcmp(w, "until", 5) == 0;
        default: return false;
        }
}

static int new_list(struct parser *p, uint8_t kind, uint32_t open_tok, int32_t owner_word,
                    int32_t owner_redir, int32_t owner_cmd, int32_t *ret) {
        struct sh_unit *u = p->u;
        int r = sh_grow((void **) &u->l, &u->capl, u->nl + 1, sizeof(*u->l));
        if (r < 0)
                return r;
        int32_t id = (int32_t) u->nl++;
        u->l[id] = (struct sh_list){ .kind = kind,
                                     .parent = p->depth ? top(p)->list : -1,
                                     .owner_word = owner_word,
                                     .owner_redir = owner_redir,
                                     .owner_cmd = owner_cmd,
                                     .next_sibling = -1,
                                     .first_cmd = -1,
                                     .last_cmd = -1,
                                     .open_tok = open_tok,
                                     .close_tok = UINT32_MAX };
        if (owner_word >= 0) {
                struct sh_word *w = &u->w[owner_word];
                if (w->sub_last >= 0)
                        u->l[w->sub_last].next_sibling = id;
                else
                        w->sub_first = id;
                w->sub_last = id;
        } else if (owner_redir >= 0) {
                struct sh_redir *rd = &u->r[owner_redir];
                if (rd->sub_last >= 0)
                        u->l[rd->sub_last].next_sibling = id;
                else
                        rd->sub_first = id;
                rd->sub_last = id;
        }
        *ret = id;
        return 0;
}

static int push_frame(struct parser *p, uint8_t kind, uint32_t open_tok, int32_t owner_word,
                      int32_t owner_redir, int32_t owner_cmd, bool dollar) {
        if (p->depth >= SH_FRAMES_MAX)
                return 0; /* cannot happen with lex_shell's nesting limit; stay flat */
        int32_t id;
        int r = new_list(p, kind, open_tok, owner_word, owner_redir, owner_cmd, &id);
        if (r < 0)
                return r;
        p->f[p->depth++] = (struct frame){ .kind = kind,
                                           .cmd_start = true,
                                           .dollar = dollar,
                                           .list = id,
                                           .cmd = -1,
                                           .last_cmd = -1,
                                           .pending_pipe = -1,
                                           .word = -1,
                                           .redir = -1,
                                           .io_fd = -1,
                                           .body_redir = -1,
                                           .kept = -1 };
        return 0;
}

static int start_cmd(struct parser *p, struct frame *f, uint32_t t) {
        struct sh_unit *u = p->u;
        int r;
        if (u->nc == u->capc && (r = sh_grow((void **) &u->c, &u->capc, u->nc + 1, sizeof(*u->c))) < 0)
                return r;
        int32_t id = (int32_t) u->nc++;
        u->c[id] = (struct sh_cmd){ .list = f->list,
                                    .next = -1,
                                    .pipe_prev = f->pending_pipe,
                                    .w_first = -1,
                                    .w_last = -1,
                                    .r_first = -1,
                                    .r_last = -1,
                                    .body = -1,
                                    .tok = t };
        struct sh_list *l = &u->l[f->list];
        if (l->last_cmd >= 0)
                u->c[l->last_cmd].next = id;
        else
                l->first_cmd = id;
        l->last_cmd = id;
        f->pending_pipe = -1;
        f->cmd = id;
        return 0;
}

static int hd_push(struct parser *p, int32_t redir) {
        int r = sh_grow((void **) &p->hd, &p->hd_cap, p->hd_n + 1, sizeof(*p->hd));
        if (r < 0)
                return r;
        p->hd[p->hd_n++] = redir;
        return 0;
}

/* The word being read ends: mirror the lexer's reserved-word and case bookkeeping, then hand
 * the word to a pending redirection, drop it (case header, pattern, reserved word) or append it
 * to the command. */
/* The lexer's reserved-word and case bookkeeping at the end of word w (lex_shell.c word_end),
 * mirrored exactly so that ")" closes what the lexer closed. Returns whether the word is a case
 * header or a reserved word rather than part of a command. */
static bool bookkeeping(struct parser *p, struct frame *f, const struct sh_word *w) {
        bool at_cmd = f->cmd_start;
        const char *pw;
        size_t pn;
        f->cmd_start = false;
        if (f->case_words > 0) {
                if (--f->case_words == 0) {
                        f->cmd_start = true;
                        f->pattern = true;
                }
                return true;
        }
        if (!at_cmd || !word_plain(p->u, w, &pw, &pn))
                return false;
        f->cmd_start = keeps_cmd_position(pw, pn);
        if (pn == 4 && memcmp(pw, "case", 4) == 0) {
                f->case_depth++;
                f->case_words = 2;
                return true;
        }
        if (pn == 4 && memcmp(pw, "esac", 4) == 0 && f->case_depth > 0) {
                f->case_depth--;
                f->pattern = false;
                return true;
        }
        return f->cmd_start; /* if, then, do, !, time ...: the command follows */
}

/* The word being read ends: hand it to a pending redirection, drop it (case header, pattern,
 * reserved word) or append it to the command. */
static int end_word(struct parser *p, struct frame *f) {
        if (f->word < 0)
                return 0;
        struct sh_unit *u = p->u;
        int32_t wi = f->word;
        f->word = -1;
        struct sh_word *w = &u->w[wi];
        bool discard = f->kept >= 0 ? f->kept : bookkeeping(p, f, w);
        f->kept = -1;
        if (f->redir >= 0) {
                struct sh_redir *rd = &u->r[f->redir];
                rd->word = wi;
                w->cmd = rd->cmd;
                f->redir = -1;
                if (rd->kind == SHR_HEREDOC)
                        return hd_push(p, (int32_t) (rd - u->r));
                return 0;
        }
        if (discard || f->pattern)
                return 0;
        if (f->cmd < 0) {
                int r = start_cmd(p, f, w->tb);
                if (r < 0)
                        return r;
        }
        struct sh_cmd *c = &u->c[f->cmd];
        w->cmd = f->cmd;
        if (c->w_last >= 0)
                u->w[c->w_last].next = wi;
        else
                c->w_first = wi;
        c->w_last = wi;
        return 0;
}

static int end_cmd(struct parser *p, struct frame *f, uint8_t op) {
        int r = end_word(p, f);
        if (r < 0)
                return r;
        f->redir = -1;
        f->io_fd = -1;
        if (f->cmd >= 0) {
                p->u->c[f->cmd].op = op;
                f->last_cmd = f->cmd;
                f->cmd = -1;
                f->pending_pipe = op == SHO_PIPE ? f->last_cmd : -1;
        } else if (op == SHO_PIPE)
                f->pending_pipe = f->last_cmd; /* "{ a; b; } | c", "done | c" */
        else if (op != SHO_NL)
                f->pending_pipe = -1; /* a line break after "|" keeps the pipe */
        return 0;
}

/* A word part at token i that starts a new word. */
static int word_new(struct parser *p, struct frame *f, uint32_t i) {
        struct sh_unit *u = p->u;
        const struct token *t = tok(p, i);
        int r = end_word(p, f);
        if (r < 0)
                return r;
        if (u->nw == u->capw && (r = sh_grow((void **) &u->w, &u->capw, u->nw + 1, sizeof(*u->w))) < 0)
                return r;
        u->w[u->nw] = (struct sh_word){
                .tb = i, .te = i + 1, .cmd = -1, .next = -1, .sub_first = -1, .sub_last = -1
        };
        f->word = (int32_t) u->nw++;
        f->word_end = t->offset + t->len;
        return 0;
}

/* A word part at token i: it continues the current word when it touches it (inline: the common
 * case, once per token). */
static inline int word_part(struct parser *p, struct frame *f, uint32_t i) {
        const struct token *t = tok(p, i);
        if (f->word >= 0 && t->offset == f->word_end) {
                p->u->w[f->word].te = i + 1;
                f->word_end = t->offset + t->len;
                return 0;
        }
        return word_new(p, f, i);
}

/* Close the innermost frame at token close (UINT32_MAX: unterminated). */
/* Close the innermost frame: by token close, or unterminated (close UINT32_MAX: the end of input,
 * of a here-doc body, or an outer backtick level closing) with its text ending before token end. */
static int close_frame(struct parser *p, uint32_t close, uint32_t end) {
        if (p->depth <= 1)
                return 0;
        struct sh_unit *u = p->u;
        struct frame *f = top(p);
        int r = end_cmd(p, f, SHO_END);
        if (r < 0)
                return r;
        if (f->body_end)
                p->nbody--;
        struct sh_list *l = &u->l[f->list];
        l->close_tok = close;
        uint8_t kind = f->kind;
        p->depth--;
        struct frame *o = top(p);
        if (l->owner_word >= 0 && o->word == l->owner_word) {
                struct sh_word *w = &u->w[o->word];
                if (close != UINT32_MAX) {
                        w->te = close + 1;
                        o->word_end = tok(p, close)->offset + tok(p, close)->len;
                } else {
                        w->te = end; /* nothing after it joins the word */
                        o->word_end = UINT32_MAX;
                }
        }
        if (kind == SHL_FUNCPARENS)
                return end_cmd(p, o, SHO_SEMI);
        if (kind == SHL_PATTERN) {
                o->pattern = false;
                o->cmd_start = true;
        }
        return 0;
}

/* Backticks nest by escaping (see lex_shell.c bt_decide): the number of backslashes before one
 * says whether it opens a level or closes one, counted from the innermost here-doc body. */
static int backtick(struct parser *p, uint32_t i) {
        struct sh_unit *u = p->u;
        const struct token *t = tok(p, i);
        size_t b = 0;
        while (b < t->offset && u->toks->src[t->offset - b - 1] == '\\')
                b++;
        unsigned level = 0;
        for (size_t k = p->depth; k-- > 0;) {
                if (p->f[k].body_end)
                        break;
                level += p->f[k].kind == SHL_BACKTICK;
        }
        for (unsigned j = 0;; j++) {
                if (b % 2 == 0) {
                        if (j >= level)
                                break; /* opens */
                        /* closes level j+1, and what is open above it without a closer of its own */
                        for (unsigned close = level - j; close > 0 && p->depth > 1;) {
                                close -= top(p)->kind == SHL_BACKTICK;
                                int r = close ? close_frame(p, UINT32_MAX, i) : close_frame(p, i, i + 1);
                                if (r < 0)
                                        return r;
                        }
                        return 0;
                }
                if (j == level)
                        return 0; /* literal */
                b = (b - 1) / 2;
        }
        struct frame *f = top(p);
        int32_t owner_redir = -1;
        if (f->body_end)
                owner_redir = f->body_redir;
        else {
                int r = word_part(p, f, i);
                if (r < 0)
                        return r;
        }
        return push_frame(p, SHL_BACKTICK, i, f->body_end ? -1 : f->word, owner_redir, -1, false);
}

static int redirection(struct parser *p, struct frame *f, uint32_t i, uint8_t kind) {
        struct sh_unit *u = p->u;
        int r = end_word(p, f);
        if (r < 0)
                return r;
        if (f->cmd < 0 && (r = start_cmd(p, f, i)) < 0)
                return r;
        r = sh_grow((void **) &u->r, &u->capr, u->nr + 1, sizeof(*u->r));
        if (r < 0)
                return r;
        int32_t id = (int32_t) u->nr++;
        u->r[id] = (struct sh_redir){ .next = -1,
                                      .cmd = f->cmd,
                                      .word = -1,
                                      .body_tok = -1,
                                      .sub_first = -1,
                                      .sub_last = -1,
                                      .tok = i,
                                      .kind = kind,
                                      .fd = f->io_fd };
        struct sh_cmd *c = &u->c[f->cmd];
        if (c->r_last >= 0)
                u->r[c->r_last].next = id;
        else
                c->r_first = id;
        c->r_last = id;
        f->io_fd = -1;
        f->redir = id;
        return 0;
}

static int redir_kind(const char *s, size_t n) {
        /* > >| >> &> >& &>> < <> << <<- <<< <& */
        if (n == 0 || n > 3 || (s[0] != '<' && s[0] != '>' && s[0] != '&'))
                return -1;
        char b = n > 1 ? s[1] : 0, c = n > 2 ? s[2] : 0;
        switch (s[0]) {
        case '>':
                if (n == 1 || (n == 2 && b == '|'))
                        return SHR_OUT;
                if (n == 2 && b == '>')
                        return SHR_APPEND;
                if (n == 2 && b == '&')
                        return SHR_OUT_ALL;
                return -1;
        case '&':
                if (n == 2 && b == '>')
                        return SHR_OUT_ALL;
                if (n == 3 && b == '>' && c == '>')
                        return SHR_APP_ALL;
                return -1;
        default:
                if (n == 1)
                        return SHR_IN;
                if (n == 2)
                        return b == '>' ? SHR_RW : b == '<' ? SHR_HEREDOC : b == '&' ? SHR_DUP_IN : -1;
                if (b == '<' && c == '-')
                        return SHR_HEREDOC;
                return b == '<' && c == '<' ? SHR_HERESTR : -1;
        }
}

static bool is_assign_prefix(const struct sh_unit *u, const struct sh_word *w) {
        const struct token *t = &u->toks->v[w->tb];
        if (t->kind != TOK_WORD || t->len < 2)
                return false;
        const char *s = u->toks->src + t->offset;
        size_t i = 0;
        if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
                return false;
        while (i < t->len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                i++;
        if (i < t->len && s[i] == '+')
                i++;
        return i < t->len && s[i] == '=';
}

static int punct(struct parser *p, uint32_t *pi) {
        struct sh_unit *u = p->u;
        uint32_t i = *pi;
        struct frame *f = top(p);
        const struct token *t = tok(p, i);
        const char *s = u->toks->src + t->offset;
        size_t n = t->len;
        int r;

        if (n == 2 && s[0] == '$' && s[1] == '(') {
                if ((r = word_part(p, f, i)) < 0)
                        return r;
                return push_frame(p, SHL_CMDSUB, i, f->word, -1, -1, false);
        }
        if (n == 3 && memcmp(s, "$((", 3) == 0) {
                if ((r = word_part(p, f, i)) < 0)
                        return r;
                return push_frame(p, SHL_ARITH, i, f->word, -1, -1, true);
        }
        if (n == 1 && s[0] == '`')
                return backtick(p, i);
        if (n == 1 && s[0] == '(') {
                if (f->word >= 0 && t->offset == f->word_end && is_assign_prefix(u, &u->w[f->word])) {
                        /* x=( ... ): the lexer ended "x=" here and saw a subshell; the word goes on */
                        f->kept = bookkeeping(p, f, &u->w[f->word]);
                        f->cmd_start = true;
                        return push_frame(p, SHL_ARRAY, i, f->word, -1, -1, false);
                }
                if ((r = end_word(p, f)) < 0)
                        return r;
                f->cmd_start = true;
                if (f->pattern)
                        return push_frame(p, SHL_PATTERN, i, -1, -1, -1, false);
                if (f->cmd >= 0 && u->c[f->cmd].w_first >= 0) {
                        u->c[f->cmd].flags |= SHC_FUNCDEF;
                        return push_frame(p, SHL_FUNCPARENS, i, -1, -1, f->cmd, false);
                }
                if (f->cmd < 0 && (r = start_cmd(p, f, i)) < 0)
                        return r;
                int32_t owner = f->cmd;
                if ((r = push_frame(p, SHL_SUBSHELL, i, -1, -1, owner, false)) < 0)
                        return r;
                u->c[owner].body = top(p)->list;
                return 0;
        }
        if (n == 2 && s[0] == '(' && s[1] == '(') {
                if ((r = end_word(p, f)) < 0)
                        return r;
                f->cmd_start = true;
                return push_frame(p, SHL_ARITH, i, -1, -1, -1, false);
        }
        if (n == 1 && s[0] == ')') {
                if ((r = end_word(p, f)) < 0) /* "esac)" counts before deciding what ")" closes */
                        return r;
                uint8_t k = f->kind;
                bool closes = f->case_depth == 0 && k != SHL_ROOT && k != SHL_BACKTICK && k != SHL_ARITH;
                if (closes)
                        return close_frame(p, i, i + 1);
                if ((r = end_cmd(p, f, SHO_SEMI)) < 0)
                        return r;
                if (f->case_depth > 0)
                        f->pattern = false; /* end of a case pattern */
                f->cmd_start = true;
                return 0;
        }
        if (n == 1 && (s[0] == '{' || s[0] == '}')) {
                if ((r = end_cmd(p, f, SHO_SEMI)) < 0)
                        return r;
                f->cmd_start = s[0] == '{';
                return 0;
        }
        /* process substitution: "<(" / ">(" touching */
        if (n == 1 && (s[0] == '<' || s[0] == '>') && i + 1 < u->toks->n &&
            sh_tok_is(u, i + 1, TOK_PUNCT, "(") && tok(p, i + 1)->offset == t->offset + 1) {
                if ((r = end_word(p, f)) < 0)
                        return r;
                if ((r = word_part(p, f, i)) < 0)
                        return r;
                /* the lexer sees the operators "<" and "(" here, no word: nothing to count at its
                 * end, and "(" puts it back at a command start */
                f->kept = 0;
                f->cmd_start = true;
                *pi = i + 1;
                return push_frame(p, s[0] == '<' ? SHL_PROCSUB_IN : SHL_PROCSUB_OUT, i, f->word, -1, -1,
                                  false);
        }
        int rk = redir_kind(s, n);
        if (rk >= 0)
                return redirection(p, f, i, (uint8_t) rk);
        uint8_t op;
        if ((n == 1 && s[0] == '|') || (n == 2 && s[0] == '|' && s[1] == '&'))
                op = SHO_PIPE;
        else if (n == 2 && s[0] == '&' && s[1] == '&')
                op = SHO_AND;
        else if (n == 2 && s[0] == '|' && s[1] == '|')
                op = SHO_OR;
        else if (n == 1 && s[0] == '&')
                op = SHO_AMP;
        else if (s[0] == ';')
                op = SHO_SEMI;
        else
                return end_word(p, f); /* a stray byte */
        if ((r = end_cmd(p, f, op)) < 0)
                return r;
        f->cmd_start = true;
        if (s[0] == ';' && n >= 2 && f->case_depth > 0)
                f->pattern = true; /* ;; ;& ;;& : the next case pattern */
        return 0;
}

static int arith_token(struct parser *p, uint32_t i) {
        struct frame *f = top(p);
        const struct token *t = tok(p, i);
        if (t->kind != TOK_PUNCT)
                return 0;
        const char *s = p->u->toks->src + t->offset;
        size_t n = t->len;
        if (n == 1 && s[0] == '(')
                f->parens++;
        else if (n == 1 && s[0] == ')') {
                if (f->parens > 0)
                        f->parens--;
                else {
                        /* "$((a) | sh)": not arithmetic after all, as the lexer decided */
                        f->kind = f->dollar ? SHL_CMDSUB : SHL_SUBSHELL;
                        p->u->l[f->list].kind = f->kind;
                        f->cmd_start = true;
                }
        } else if (n == 2 && s[0] == ')' && s[1] == ')')
                return close_frame(p, i, i + 1);
        else if (n == 2 && s[0] == '$' && s[1] == '(')
                return push_frame(p, SHL_CMDSUB, i, -1, -1, -1, false);
        else if (n == 3 && memcmp(s, "$((", 3) == 0)
                return push_frame(p, SHL_ARITH, i, -1, -1, -1, true);
        else if (n == 1 && s[0] == '`')
                return backtick(p, i);
        return 0;
}

/* Tokens of an unquoted here-doc body after its string: only substitutions matter (they run
 * when the body is expanded). */
static int body_token(struct parser *p, uint32_t i) {
        struct frame *f = top(p);
        const struct token *t = tok(p, i);
        if (t->kind != TOK_PUNCT)
                return 0;
        const char *s = p->u->toks->src + t->offset;
        if (t->len == 2 && s[0] == '$' && s[1] == '(')
                return push_frame(p, SHL_CMDSUB, i, -1, f->body_redir, -1, false);
        if (t->len == 3 && memcmp(s, "$((", 3) == 0)
                return push_frame(p, SHL_ARITH, i, -1, f->body_redir, -1, true);
        if (t->len == 1 && s[0] == '`')
                return backtick(p, i);
        return 0;
}

int sh_parse(struct sh_unit *u) {
        struct parser p = { .u = u };
        /* room for a typical script's shape up front: fewer copies while growing */
        size_t n = u->toks->n;
        if (sh_grow((void **) &u->w, &u->capw, n / 2 + 16, sizeof(*u->w)) < 0 ||
            sh_grow((void **) &u->c, &u->capc, n / 6 + 16, sizeof(*u->c)) < 0)
                return -ENOMEM;
        p.f = calloc(SH_FRAMES_MAX, sizeof(*p.f));
        if (!p.f)
                return -ENOMEM;
        int r = push_frame(&p, SHL_ROOT, 0, -1, -1, -1, false);
        for (uint32_t i = 0; r >= 0 && i < u->toks->n; i++) {
                const struct token *t = tok(&p, i);
                /* an encoded payload anywhere (even in data): a note; decoded and run it is more */
                if ((t->kind == TOK_STRING || t->kind == TOK_WORD) && t->value_len >= SCAN_BLOB_MIN &&
                    t->value && scan_is_encoded_blob(t->value, t->value_len) &&
                    (r = sh_report(u, i, "sh.obfuscation.encoded-blob", SEV_LOW, "obfuscation", false,
                                   "long encoded string (%u bytes): a payload may hide in it",
                                   t->value_len)) < 0)
                        break;
                /* leave here-doc bodies that ended (and what was left open inside them) */
                while (p.nbody > 0 && r >= 0) {
                        size_t k = p.depth;
                        while (k > 0 && !p.f[k - 1].body_end)
                                k--;
                        if (k-- == 0) {
                                p.nbody = 0;
                                break;
                        }
                        if (t->offset < p.f[k].body_end)
                                break;
                        while (r >= 0 && p.depth - 1 > k)
                                r = close_frame(&p, UINT32_MAX, i);
                        p.f[k].body_end = 0;
                        p.nbody--;
                }
                if (r < 0)
                        break;
                struct frame *f = top(&p);
                if (f->body_end) {
                        r = body_token(&p, i);
                        continue;
                }
                if (f->kind == SHL_ARITH) {
                        r = arith_token(&p, i);
                        continue;
                }
                switch (t->kind) {
                case TOK_COMMENT: r = end_word(&p, f); break;
                case TOK_NEWLINE:
                        r = end_cmd(&p, f, SHO_NL);
                        f->cmd_start = true;
                        break;
                case TOK_NUMBER: {
                        r = end_word(&p, f);
                        long fd = 0;
                        const char *s = u->toks->src + t->offset;
                        for (size_t k = 0; k < t->len && fd < 10000; k++)
                                fd = fd * 10 + (s[k] - '0');
                        f->io_fd = (int16_t) (fd < 10000 ? fd : 9999);
                        break;
                }
                case TOK_STRING:
                        if (t->flags & TOKF_HEREDOC) {
                                r = end_word(&p, f);
                                if (r < 0 || p.hd_head >= p.hd_n)
                                        break;
                                int32_t rd = p.hd[p.hd_head++];
                                u->r[rd].body_tok = (int32_t) i;
                                if (t->len > 0) {
                                        f->body_end = t->offset + t->len;
                                        f->body_redir = rd;
                                        p.nbody++;
                                }
                                break;
                        }
                        r = word_part(&p, f, i);
                        break;
                case TOK_WORD:
                case TOK_IDENT: r = word_part(&p, f, i); break;
                case TOK_PUNCT: r = punct(&p, &i); break;
                }
        }
        while (r >= 0 && p.depth > 1)
                r = close_frame(&p, UINT32_MAX, (uint32_t) u->toks->n);
        if (r >= 0 && p.depth == 1)
                r = end_cmd(&p, top(&p), SHO_END);
        free(p.f);
        big_free(p.hd);
        return r;
}
