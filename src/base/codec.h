/* Digit values of the encodings the scanner folds (hex escapes, base64 payloads): one table for
 * the lexers and the three rule analysers. */
#pragma once

/* 0-15, or -1 when c is not a hex digit. */
static inline int hex_digit(int c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* 0-63 for standard and URL-safe base64 ('+' and '-' are 62, '/' and '_' are 63), else -1. */
static inline int base64_digit(int c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+' || c == '-')
                return 62;
        if (c == '/' || c == '_')
                return 63;
        return -1;
}
