/* Newline-delimited JSON framing over a pair of fds (stdio), on the loop: a bounded line reader
 * and a queued non-blocking writer. Shared by `serve` and `mcp` (stdio transport). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

struct ndjson;

struct ndjson_handlers {
        /* One complete line (without the newline; a trailing \r is kept out too). The text is
         * only valid during the call. Blank lines are skipped. */
        void (*on_line)(void *ctx, const char *line, size_t len);
        /* A line longer than max_frame: it is discarded up to its newline; called once for it. */
        void (*on_oversize)(void *ctx, size_t max_frame);
        /* End of input (EOF or a read error); no more on_line calls. */
        void (*on_eof)(void *ctx);
};

/* in_fd/out_fd are switched to non-blocking. max_frame caps one line; max_queued caps the bytes
 * waiting to be written (ndjson_send refuses past it). */
int ndjson_new(struct loop *l, int in_fd, int out_fd, size_t max_frame, size_t max_queued,
               const struct ndjson_handlers *h, void *ctx, struct ndjson **ret);
void ndjson_free(struct ndjson *n);

/* Queue one message (compact JSON + newline). 0, -ENOBUFS when the queue is over its cap, -EPIPE
 * once the reader of out_fd is gone, -ENOMEM. */
int ndjson_send(struct ndjson *n, const json_t *msg);
/* Bytes still queued for writing. */
size_t ndjson_pending(const struct ndjson *n);
/* Stop reading (e.g. while too many requests are in flight); resume later. */
void ndjson_pause(struct ndjson *n, bool paused);
/* Write what is queued, blocking, with a deadline (used before exit). */
void ndjson_flush(struct ndjson *n, int timeout_ms);
