#include "envnum.h"

#include <errno.h>
#include <stdlib.h>

int env_number(const char *name, unsigned long long min, unsigned long long max, unsigned long long *ret) {
        const char *v = getenv(name);
        if (!v || !*v)
                return 0;
        for (const char *c = v; *c; c++)
                if (*c < '0' || *c > '9')
                        return -EINVAL;
        errno = 0;
        unsigned long long n = strtoull(v, NULL, 10);
        if (errno || n < min || n > max)
                return -EINVAL;
        *ret = n;
        return 1;
}
