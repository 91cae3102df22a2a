/* The run's seccomp filter (seccomp.h): one of the programs seccomp_gen compiled at build time. */
#include "seccomp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include "seccomp_programs.h"

int seccomp_program_build(const struct plan_seccomp *pol, struct seccomp_program *ret, struct error *err) {
        const struct seccomp_precompiled *p = &seccomp_precompiled[seccomp_variant(pol)];
        struct sock_filter *insns = malloc(p->len * sizeof(*insns));
        if (!insns)
                return error_set(err, -ENOMEM, "out of memory");
        memcpy(insns, p->insns, p->len * sizeof(*insns));
        *ret = (struct seccomp_program) { insns, p->len };
        return 0;
}

void seccomp_program_free(struct seccomp_program *p) {
        free(p->insns);
        *p = (struct seccomp_program) { 0 };
}

int seccomp_program_load(const struct seccomp_program *p) {
        struct sock_fprog prog = { .len = (unsigned short) p->len, .filter = p->insns };
        return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ? -errno : 0;
}
