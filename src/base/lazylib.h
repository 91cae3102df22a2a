/* Shared libraries loaded on first use. libarchive (OSV zip import) and libcurl (LLM review)
 * pull in ICU, libxml2, libstdc++, nghttp2, ldap... Linked normally, the dynamic loader maps and
 * relocates all of them at every start of the engine, which tripled the start-up time of `run`
 * (measured: `skilllite-sandbox --version` 1.5 -> 5.2 ms, `skilllite` 10.9 ms). So the few
 * commands that need them dlopen() them when they first do. libsqlite3 likewise (sqlite_lib.h):
 * a sandbox run that touches no installed skill does not use it. (libcrypto was loaded this way
 * too until SHA-256 and HMAC became our own code: base/sha256.c.) */
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

/* For libraries the engine cannot work without (libcrypto, libsqlite3): load lib on first use,
 * from any thread; when it cannot be loaded, print why and _exit(127), as the dynamic loader
 * would have done at start had the library been linked. The one place outside cli/ that ends
 * the process: a call site behind a macro table has no way to fail. */
void lazylib_require(struct lazylib *lib);
