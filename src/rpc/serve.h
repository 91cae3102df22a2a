/* `skilllite serve`: newline-delimited JSON-RPC 2.0 on stdio, answered out of order by id. */
#pragma once

#include <stddef.h>

#include "../base/error.h"
#include "engine.h"

struct serve_options {
        struct engine_config engine;
        size_t max_frame;      /* bytes in one request line (default 10 MiB) */
        size_t max_queued_out; /* bytes of responses waiting for the client to read (default 64 MiB) */
        unsigned max_inflight; /* requests accepted and not yet answered (default 64) */
};

/* Serve stdin/stdout until EOF (then answer what is in flight) or SIGTERM/SIGINT (then cancel
 * it). 0, or -errno with err set when the daemon could not start. */
int serve_main(const struct serve_options *o, struct error *err);
