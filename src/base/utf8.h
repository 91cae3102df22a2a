/* Strict UTF-8 validation (no overlong forms, surrogates or code points past U+10FFFF)
 * and code-point counting: spec length limits are in characters, not bytes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s (n bytes available). Returns its byte length, or 0 if invalid. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *ret_cp);
/* Offset of the first invalid byte, or n when the whole buffer is valid UTF-8. */
size_t utf8_first_invalid(const char *s, size_t n);
bool utf8_is_valid(const char *s, size_t n);
/* Encode a code point into out (1-4 bytes; returns the count). Surrogates are encoded like any
 * other code point (3 bytes, "WTF-8"): Python and JS strings can hold them. The caller keeps cp
 * at or below 0x10FFFF. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* The length of s[0..n) cut to at most max bytes without splitting a UTF-8 sequence (n when it
 * fits; otherwise the cut backs off over continuation bytes). */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);
