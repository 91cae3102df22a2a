/* stderr logger with a level from SKILLLITE_LOG. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level current_level = LOG_WARN;

void log_init_from_env(void) {
        const char *v = getenv("SKILLLITE_LOG");
        if (!v || !*v)
                return;
        static const struct {
                const char *name;
                enum log_level level;
        } names[] = {
                { "debug", LOG_DEBUG }, { "info", LOG_INFO },   { "warn", LOG_WARN },
                { "warning", LOG_WARN }, { "error", LOG_ERROR }, { "off", LOG_OFF },
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(v, names[i].name) == 0)
                        current_level = names[i].level;
}

enum log_level log_get_level(void) {
        return current_level;
}

void log_msg(enum log_level level, const char *fmt, ...) {
        static const char *const prefix[] = { "debug", "info", "warning", "error" };
        if (level < current_level || level >= LOG_OFF)
                return;
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "skilllite: %s: ", prefix[level]);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}
