/* A caller-provided error record: a negative errno-style code plus a human message.
 * Library code fills it; only cli/ prints it. */
#pragma once

#include <stddef.h>

#include "macros.h"

#define ERROR_MSG_MAX 512

struct error {
        int code;                  /* negative errno, 0 when unset */
        char msg[ERROR_MSG_MAX];
};

#define ERROR_INIT { 0, { 0 } }

/* Record an error (the first one wins if err already holds one) and return code (negative),
 * so callers can write `return error_set(err, -EINVAL, "...")`. err may be NULL. */
int error_set(struct error *err, int code, const char *fmt, ...) _printf_(3, 4);

/* Prefix the message already in err with more context ("reading SKILL.md: ..."). */
void error_prefix(struct error *err, const char *fmt, ...) _printf_(2, 3);

void error_clear(struct error *err);
