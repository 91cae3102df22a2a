/* String vectors (strv.h). */
#include "strv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int strv_pushn(char ***v, size_t *n, const char *s, size_t len) {
        char **grown = reallocarray(*v, *n + 2, sizeof(char *));
        if (!grown)
                return -ENOMEM;
        *v = grown;
        grown[*n] = strndup(s, len);
        grown[*n + 1] = NULL; /* on failure the NULL at *n keeps it terminated */
        if (!grown[*n])
                return -ENOMEM;
        (*n)++;
        return 0;
}
