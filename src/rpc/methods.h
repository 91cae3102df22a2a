/* JSON-RPC-style methods -> the CLI command a child runs (engine.c). Pure: no processes. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"

struct method_call {
        char **argv;        /* NULL-terminated, argv[0] = our binary */
        size_t argc;
        char *input;        /* bytes for the child's stdin (NULL: none) */
        size_t input_len;
        bool poolable;      /* a `run` whose sandbox can be pre-warmed (input comes after start) */
        char *pool_key;     /* what must match for a warm sandbox to serve it (argv joined) */
};
void method_call_done(struct method_call *c);

/* Build the call for method + params. skills_dir: where installed names are looked up (NULL:
 * the CLI's default order). 0, -ENOENT (unknown method), -ENXIO (no such skill) or -EINVAL
 * (invalid params), with err naming the problem. */
int method_call_build(const char *self_exe, const char *skills_dir, const char *method,
                      const json_t *params, struct method_call *ret, struct error *err);
