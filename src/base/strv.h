/* NULL-terminated string vectors (char **), grown one string at a time. strv_free() and
 * _cleanup_strv_free_ are in macros.h. */
#pragma once

#include <stddef.h>

/* Append a copy of s[0..len) to *v, which holds *n strings (the caller's count), keeping it
 * NULL-terminated; *n grows by one. 0 or -ENOMEM (then *v is still a valid vector of *n). */
int strv_pushn(char ***v, size_t *n, const char *s, size_t len);
