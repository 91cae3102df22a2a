/* Shared libraries loaded on first use (lazylib.h). */
#include "lazylib.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int lazylib_load(struct lazylib *lib, struct error *err) {
        if (__atomic_load_n(&lib->handle, __ATOMIC_ACQUIRE))
                return 0;
        void *h = NULL;
        const char *why = "not found";
        for (const char *const *s = lib->sonames; *s && !h; s++) {
                /* RTLD_LOCAL: its symbols stay out of the global namespace; RTLD_NOW: a missing
                 * symbol fails here, not in the middle of an import. */
                h = dlopen(*s, RTLD_NOW | RTLD_LOCAL);
                if (!h)
                        why = dlerror();
        }
        if (!h)
                return error_set(err, -ENOENT, "cannot load %s: %s", lib->sonames[0], why ? why : "?");
        for (size_t i = 0; i < lib->n_syms; i++) {
                void *p = dlsym(h, lib->syms[i].name);
                if (!p) {
                        dlclose(h);
                        return error_set(err, -ENOENT, "%s has no %s", lib->sonames[0], lib->syms[i].name);
                }
                *lib->syms[i].slot = p;
        }
        __atomic_store_n(&lib->handle, h, __ATOMIC_RELEASE); /* after the slots: lazylib_require() */
        return 0;
}

void lazylib_require(struct lazylib *lib) {
        if (__atomic_load_n(&lib->handle, __ATOMIC_ACQUIRE))
                return;
        static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
        struct error err = ERROR_INIT;
        pthread_mutex_lock(&lock);
        int r = lazylib_load(lib, &err);
        pthread_mutex_unlock(&lock);
        if (r < 0) {
                fprintf(stderr, "skilllite: error while loading shared libraries: %s\n", err.msg);
                _exit(127);
        }
}
