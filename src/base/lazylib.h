/* Shared libraries loaded on first use. libarchive (OSV zip import) and libcurl (LLM review)
 * pull in ICU, libxml2, libstdc++, nghttp2, ldap... Linked normally, the dynamic loader maps and
 * relocates all of them at every start of the engine, which tripled the start-up time of `run`
 * (measured: `skilllite-sandbox --version` 1.5 -> 5.2 ms, `skilllite` 10.9 ms). So the few
 * commands that need them dlopen() them when they first do. */
#pragma once

#include <stddef.h>

#include "error.h"

struct lazylib_sym {
        const char *name;
        void **slot; /* receives the address */
};

struct lazylib {
        const char *const *sonames; /* tried in order, NULL-terminated */
        const struct lazylib_sym *syms;
        size_t n_syms;
        void *handle;               /* set once loaded */
};

/* Load lib (once; later calls return 0 at once) and resolve every symbol. Returns 0, or -ENOENT
 * with err naming the library and dlerror(). Not thread-safe: call it under the caller's own
 * once-guard when threads may race. */
int lazylib_load(struct lazylib *lib, struct error *err);
