/* Shared by the lexer fuzz targets: a token's line and column from the line index must equal
 * the ones counted from the start of the source (token_pos without an index). Counting is
 * linear, so only the first 32 tokens and the last one are compared. */
#pragma once

#include <stdbool.h>
#include <stdlib.h>

#include "../../src/scan/token.h"

static bool token_pos_matches_count(const struct token_list *l, size_t i) {
        if (i >= 32 && i + 1 != l->n)
                return true;
        struct token_list bare = { .src = l->src, .src_len = l->src_len };
        uint32_t line, column, want_line, want_column;
        token_pos(l, l->v[i].offset, &line, &column);
        token_pos(&bare, l->v[i].offset, &want_line, &want_column);
        return line == want_line && column == want_column && line >= 1 && column >= 1;
}
