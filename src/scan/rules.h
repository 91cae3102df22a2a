/* The scanner's code rules: one analyser per language walks the tokens of one file (never raw
 * lines), resolves names well enough to see through the usual evasions (import aliases, module
 * aliases, getattr with folded constant strings, require/import() aliases) and appends findings.
 * Shared vocabulary (what a sensitive path is, what a permission lowers) lives in rules_common.c
 * so that the three languages judge the same thing the same way. Pure code: no I/O. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../skill/netgrant.h"
#include "finding.h"
#include "token.h"

/* What the skill declares and the user approved. A finding that such a permission covers is
 * lowered to SEV_SAFE ("information, not a warning"), never dropped. */
struct scan_perms {
        const struct net_grants *network; /* skilllite.network (+ --allow-network); NULL = none */
        char **exec;                      /* skilllite.exec names, NULL-terminated; NULL = none */
        bool processes;                   /* skilllite.processes declared */
};

/* Everything a rule needs to report: where (file), to whom (f), under which permissions. */
struct scan_ctx {
        const char *file;                /* path relative to the skill dir, for findings */
        const char *src;                 /* the file's source (tokens' offsets refer to it) */
        size_t src_len;
        struct findings *f;
        const struct scan_perms *perms;  /* never NULL (an empty struct = nothing declared) */
        size_t *py_lines_skipped;        /* if not NULL: += logical lines the Python analyser's
                                          * reporting pass stepped over (rules_python_skip.c; for
                                          * tests and benchmarks) */
};

/* Per-language analysers: tokens come from lex_python / lex_js / lex_shell over ctx->src.
 * Return 0 or -ENOMEM. Deterministic; linear-ish in the number of tokens. The Python analyser
 * consumes its list: it drops the comments from it (in place, so that its per-token tables
 * index the list directly) and keeps its own facts in the room of tokens without a value
 * (token.h: info, link); only token_list_done() is left to do with it. */
int scan_rules_python(const struct scan_ctx *ctx, struct token_list *toks);
int scan_rules_js(const struct scan_ctx *ctx, const struct token_list *toks);
int scan_rules_shell(const struct scan_ctx *ctx, const struct token_list *toks);

/* A constant command line found in another language (os.system("..."), subprocess with
 * shell=True, child_process.exec("..."), a package.json lifecycle script): lexed as shell and run
 * through the shell rules, with every finding reported at (line, column) of the call in
 * ctx->file; offset is the call's byte offset in ctx->src (its line becomes the snippet).
 * Returns 0 or -ENOMEM. */
int scan_shell_command_text(const struct scan_ctx *ctx, const char *cmd, size_t len,
                            uint32_t line, uint32_t column, size_t offset);
