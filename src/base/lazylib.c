/* Shared libraries loaded on first use (lazylib.h). */
#include "lazylib.h"

#include <dlfcn.h>
#include <errno.h>

int lazylib_load(struct lazylib *lib, struct error *err) {
        if (lib->handle)
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
        lib->handle = h;
        return 0;
}
