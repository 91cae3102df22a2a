/* Shell analyser: the entry points, units (the file, or a command string nested in it),
 * nested texts waiting for analysis, and the findings queue (a finding that reads a secret becomes
 * critical when the same file also talks to the network, which may come later). */
#include "rules_shell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/macros.h"

struct sh_pending {
        const char *rule, *cat;
        enum severity sev;
        bool upgrade;
        uint32_t line, col;
        size_t off;
        char msg[232];
};

int sh_grow(void **v, size_t *cap, size_t need, size_t elem) {
        if (need <= *cap)
                return 0;
        size_t n = *cap ? *cap : 16;
        while (n < need) {
                if (n > SIZE_MAX / 2)
                        return -ENOMEM;
                n *= 2;
        }
        void *g = big_reallocarray(*v, n, elem);
        if (!g)
                return -ENOMEM;
        *v = g;
        *cap = n;
        return 0;
}

const char *sh_tok_text(const struct sh_unit *u, uint32_t i) {
        return u->toks->src + u->toks->v[i].offset;
}

bool sh_tok_is(const struct sh_unit *u, uint32_t i, enum token_kind k, const char *text) {
        return i < u->toks->n && token_is(u->toks, &u->toks->v[i], k, text);
}

const char *sh_printable(char *out, size_t cap, const char *s, size_t n, size_t max) {
        size_t o = 0;
        if (cap < 4)
                return "";
        if (max > cap - 4)
                max = cap - 4;
        for (size_t i = 0; i < n && o < max; i++) {
                unsigned char ch = (unsigned char) s[i];
                if (ch == (unsigned char) SH_UNKNOWN)
                        out[o++] = '?';
                else
                        out[o++] = ch >= 0x20 && ch < 0x7f ? (char) ch : '?';
        }
        if (o < n && o == max && o + 3 < cap) {
                memcpy(out + o, "...", 3);
                o += 3;
        }
        out[o] = '\0';
        return out;
}

/* ---- findings ---- */

static uint32_t pend_hash(const char *rule, uint32_t line, uint32_t col) {
        uint64_t h = (uint64_t) (uintptr_t) rule * 0x9e3779b97f4a7c15ull;
        h ^= ((uint64_t) line << 20) ^ col;
        h *= 0xff51afd7ed558ccdull;
        return (uint32_t) (h >> 32);
}

static int pend_index_grow(struct sh_scan *sc) {
        size_t cap = sc->phash_cap ? sc->phash_cap * 2 : 64;
        int32_t *h = malloc(cap * sizeof(*h));
        if (!h)
                return -ENOMEM;
        for (size_t i = 0; i < cap; i++)
                h[i] = -1;
        for (size_t i = 0; i < sc->npend; i++) {
                const struct sh_pending *p = &sc->pend[i];
                size_t k = pend_hash(p->rule, p->line, p->col) & (cap - 1);
                while (h[k] >= 0)
                        k = (k + 1) & (cap - 1);
                h[k] = (int32_t) i;
        }
        free(sc->phash);
        sc->phash = h;
        sc->phash_cap = cap;
        return 0;
}

static void map_pos(const struct sh_unit *u, const struct token *t, uint32_t *line, uint32_t *col,
                    size_t *off) {
        if (u->map.fixed) {
                *line = u->map.line, *col = u->map.col, *off = u->map.off;
                return;
        }
        uint32_t t_line, t_col;
        token_pos(u->toks, t->offset, &t_line, &t_col); /* t is one of u->toks */
        *line = u->map.line + t_line - 1;
        *col = t_line == 1 ? u->map.col + t_col - 1 : t_col;
        *off = u->map.off + t->offset;
}

static int pend_add(struct sh_scan *sc, const char *rule, enum severity sev, const char *cat, bool upgrade,
                    uint32_t line, uint32_t col, size_t off, const char *fmt, va_list ap) {
        if ((sc->npend + 1) * 2 > sc->phash_cap && pend_index_grow(sc) < 0)
                return -ENOMEM;
        size_t k = pend_hash(rule, line, col) & (sc->phash_cap - 1);
        for (; sc->phash[k] >= 0; k = (k + 1) & (sc->phash_cap - 1)) {
                struct sh_pending *p = &sc->pend[sc->phash[k]];
                if (p->rule == rule && p->line == line && p->col == col) {
                        /* the same rule at the same place once: keep the worst */
                        if (sev > p->sev) {
                                p->sev = sev;
                                vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
                        }
                        p->upgrade |= upgrade;
                        return 0;
                }
        }
        if (sc->npend >= SH_PENDING_MAX) {
                sc->pdropped++;
                return 0;
        }
        int r = sh_grow((void **) &sc->pend, &sc->cappend, sc->npend + 1, sizeof(*sc->pend));
        if (r < 0)
                return r;
        struct sh_pending *p = &sc->pend[sc->npend];
        *p = (struct sh_pending){
                .rule = rule, .cat = cat, .sev = sev, .upgrade = upgrade, .line = line, .col = col, .off = off
        };
        vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
        sc->phash[k] = (int32_t) sc->npend++;
        return 0;
}

uint32_t sh_tok_line(const struct sh_unit *u, uint32_t tok) {
        uint32_t line, col;
        size_t off;
        if (tok >= u->toks->n)
                return u->map.line;
        map_pos(u, &u->toks->v[tok], &line, &col, &off);
        return line;
}

int sh_report(struct sh_unit *u, uint32_t tok, const char *rule, enum severity sev, const char *cat,
              bool upgrade, const char *fmt, ...) {
        uint32_t line, col;
        size_t off;
        if (tok >= u->toks->n) {
                if (u->toks->n == 0) {
                        line = u->map.line, col = u->map.col, off = u->map.off;
                        goto add;
                }
                tok = (uint32_t) u->toks->n - 1;
        }
        map_pos(u, &u->toks->v[tok], &line, &col, &off);
add:;
        va_list ap;
        va_start(ap, fmt);
        int r = pend_add(u->sc, rule, sev, cat, upgrade, line, col, off, fmt, ap);
        va_end(ap);
        return r;
}

void sh_note_network(struct sh_unit *u) {
        u->sc->net_seen = true;
}

static int pend_flush(struct sh_scan *sc) {
        for (size_t i = 0; i < sc->npend; i++) {
                const struct sh_pending *p = &sc->pend[i];
                bool up = p->upgrade && sc->net_seen && p->sev < SEV_CRITICAL;
                int r = scan_report_at(sc->ctx, p->line, p->col, p->off, p->rule, up ? SEV_CRITICAL : p->sev,
                                       p->cat, "%s%s", p->msg,
                                       up ? "; the script also talks to the network" : "");
                if (r < 0)
                        return r;
        }
        sc->ctx->f->dropped += sc->pdropped;
        return 0;
}

static void scan_free(struct sh_scan *sc) {
        if (!sc)
                return;
        big_free(sc->pend);
        free(sc->phash);
        big_free(sc->files);
        for (size_t i = 0; i < ELEMENTSOF(sc->argv); i++) {
                if (sc->argv[i])
                        free(sc->argv[i]->arena);
                free(sc->argv[i]);
        }
        free(sc);
}
static inline void scan_freep(struct sh_scan **sc) {
        scan_free(*sc);
}

struct sh_argv *sh_argv_at(struct sh_scan *sc, unsigned depth) {
        if (depth >= ELEMENTSOF(sc->argv))
                return NULL;
        if (!sc->argv[depth]) {
                struct sh_argv *a = calloc(1, sizeof(*a));
                if (!a)
                        return NULL;
                a->arena = malloc(SH_ARENA);
                if (!a->arena) {
                        free(a);
                        return NULL;
                }
                a->cap = SH_ARENA;
                sc->argv[depth] = a;
        }
        return sc->argv[depth];
}

/* ---- units ---- */

static void unit_done(struct sh_unit *u) {
        for (size_t i = 0; i < u->ninner; i++)
                free(u->inner[i].text);
        big_free(u->inner);
        sh_vars_free(u);
        big_free(u->w);
        big_free(u->l);
        big_free(u->r);
        big_free(u->c);
}

static int analyse_text(struct sh_scan *sc, struct sh_unit *parent, const char *text, size_t len,
                        struct sh_map map, unsigned depth);

/* Nested texts run after the unit's own rules (which share its argument arenas) and before its
 * variables are freed (nested texts look them up). */
static int unit_run(struct sh_unit *u) {
        const char *src = u->toks->src;
        size_t len = u->toks->src_len;
        u->devtcp_text = false;
        for (const char *p = src; p && (p = memchr(p, '/', len - (size_t) (p - src))); p++)
                if (len - (size_t) (p - src) >= 9 &&
                    (memcmp(p, "/dev/tcp/", 9) == 0 || memcmp(p, "/dev/udp/", 9) == 0)) {
                        u->devtcp_text = true;
                        break;
                }
        int r = sh_parse(u);
        if (r >= 0)
                r = sh_vars_collect(u);
        if (r >= 0)
                r = sh_check_unit(u);
        for (size_t i = 0; r >= 0 && i < u->ninner; i++)
                r = analyse_text(u->sc, u, u->inner[i].text, u->inner[i].len, u->inner[i].map, u->depth + 1);
        unit_done(u);
        return r;
}

static void token_listp(struct token_list *l) {
        token_list_done(l);
}

static int analyse_text(struct sh_scan *sc, struct sh_unit *parent, const char *text, size_t len,
                        struct sh_map map, unsigned depth) {
        _cleanup_(token_listp) struct token_list toks = { 0 };
        struct error err = ERROR_INIT;
        int r = lex_shell(text, len, &toks, &err);
        if (r == -ENOMEM)
                return r;
        if (r < 0) /* padding a command string is a way past a scanner: never "clean" */
                return scan_report_at(sc->ctx, map.line, map.col, map.off, "sh.obfuscation.too-complex",
                                      SEV_HIGH, "obfuscation", "command text too complex to analyse (%s)",
                                      err.msg);
        struct sh_unit u = { .sc = sc, .parent = parent, .toks = &toks, .map = map, .depth = depth };
        return unit_run(&u);
}

int sh_analyse_inner(struct sh_unit *u, uint32_t t, const char *text, size_t len, bool shift, size_t skip) {
        struct sh_scan *sc = u->sc;
        if (u->depth >= SH_MAX_DEPTH || len == 0)
                return 0;
        if (sc->inner_bytes + len > sc->inner_budget)
                return 0;
        sc->inner_bytes += len;
        struct sh_map m;
        if (t >= u->toks->n)
                return 0;
        const struct token *tk = &u->toks->v[t];
        if (u->map.fixed || !shift)
                map_pos(u, tk, &m.line, &m.col, &m.off), m.fixed = true;
        else {
                /* text starts skip bytes into the token, on its first line */
                map_pos(u, tk, &m.line, &m.col, &m.off);
                m.col += (uint32_t) skip;
                m.off += skip;
                m.fixed = false;
        }
        int r = sh_grow((void **) &u->inner, &u->capinner, u->ninner + 1, sizeof(*u->inner));
        if (r < 0)
                return r;
        char *copy = malloc(len + 1);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, text, len);
        copy[len] = '\0';
        u->inner[u->ninner++] = (struct sh_inner){ .text = copy, .len = len, .map = m };
        return 0;
}

static int scan_new(const struct scan_ctx *ctx, struct sh_scan **ret) {
        struct sh_scan *sc = calloc(1, sizeof(*sc));
        if (!sc)
                return -ENOMEM;
        sc->ctx = ctx;
        for (size_t i = 0; i < SH_FILE_BUCKETS; i++)
                sc->fbucket[i] = -1;
        size_t b = ctx->src_len;
        /* about one evaluation per word of a realistic script; adversarial variable graphs stop
         * here instead of growing without bound */
        sc->step_budget = (b > SIZE_MAX / 4 ? SIZE_MAX / 4 : b) + (1u << 20);
        sc->inner_budget = b > SIZE_MAX / 8 ? SIZE_MAX / 2 : 4 * b;
        if (sc->inner_budget < SH_INNER_MIN)
                sc->inner_budget = SH_INNER_MIN;
        *ret = sc;
        return 0;
}

int scan_rules_shell(const struct scan_ctx *ctx, const struct token_list *toks) {
        _cleanup_(scan_freep) struct sh_scan *sc = NULL;
        int r = scan_new(ctx, &sc);
        if (r < 0)
                return r;
        struct sh_unit u = { .sc = sc,
                             .toks = toks,
                             .map = { .fixed = false, .line = 1, .col = 1, .off = 0 } };
        r = unit_run(&u);
        if (r < 0)
                return r;
        return pend_flush(sc);
}

int scan_shell_command_text(const struct scan_ctx *ctx, const char *cmd, size_t len, uint32_t line,
                            uint32_t column, size_t offset) {
        _cleanup_(scan_freep) struct sh_scan *sc = NULL;
        if (!cmd)
                return 0;
        int r = scan_new(ctx, &sc);
        if (r < 0)
                return r;
        struct sh_map m = { .fixed = true, .line = line, .col = column, .off = offset };
        r = analyse_text(sc, NULL, cmd, len, m, 0);
        if (r < 0)
                return r;
        return pend_flush(sc);
}
