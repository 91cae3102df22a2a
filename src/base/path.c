/* Path string helpers. */
#include "path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *path_join(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);
        while (la > 1 && a[la - 1] == '/')
                la--;
        while (*b == '/' && lb > 0)
                b++, lb--;
        char *p = malloc(la + 1 + lb + 1);
        if (!p)
                return NULL;
        memcpy(p, a, la);
        size_t at = la;
        if (la > 0 && a[la - 1] != '/')
                p[at++] = '/';
        memcpy(p + at, b, lb);
        p[at + lb] = '\0';
        return p;
}

char *path_basename(const char *path) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
                n--;
        size_t start = n;
        while (start > 0 && path[start - 1] != '/')
                start--;
        return strndup(path + start, n - start);
}

bool path_is_safe_relative(const char *path) {
        if (!path || !*path || path[0] == '/')
                return false;
        const char *p = path;
        while (*p) {
                const char *slash = strchr(p, '/');
                size_t len = slash ? (size_t) (slash - p) : strlen(p);
                if (len == 2 && p[0] == '.' && p[1] == '.')
                        return false;
                if (!slash)
                        break;
                p = slash + 1;
        }
        return true;
}

const char *path_extension(const char *path) {
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        const char *dot = strrchr(base, '.');
        if (!dot || dot == base)
                return "";
        return dot + 1;
}

bool path_is_dir(const char *path) {
        struct stat st;
        return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
