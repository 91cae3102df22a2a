/* struct error helpers. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(struct error *err, int code, const char *fmt, ...) {
        if (code > 0)
                code = -code;
        if (!err || err->code != 0)
                return code;
        err->code = code ? code : -EINVAL;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        return err->code;
}

void error_prefix(struct error *err, const char *fmt, ...) {
        if (!err)
                return;
        char prefix[ERROR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        char joined[2 * ERROR_MSG_MAX + 2];
        snprintf(joined, sizeof(joined), "%s: %s", prefix, err->msg);
        snprintf(err->msg, sizeof(err->msg), "%.*s", ERROR_MSG_MAX - 1, joined);
}

void error_clear(struct error *err) {
        if (err) {
                err->code = 0;
                err->msg[0] = '\0';
        }
}
