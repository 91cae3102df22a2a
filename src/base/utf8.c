/* UTF-8 decoding per RFC 3629. */
#include "utf8.h"

#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *ret_cp) {
        if (n == 0)
                return 0;
        unsigned char c = s[0];
        uint32_t cp, min;
        size_t len;
        if (c < 0x80) {
                *ret_cp = c;
                return 1;
        } else if ((c & 0xE0) == 0xC0) {
                cp = c & 0x1F, len = 2, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
                cp = c & 0x0F, len = 3, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
                cp = c & 0x07, len = 4, min = 0x10000;
        } else
                return 0;
        if (n < len)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        *ret_cp = cp;
        return len;
}

size_t utf8_first_invalid(const char *s, size_t n) {
        const unsigned char *p = (const unsigned char *) s;
        size_t i = 0;
        while (i < n) {
                /* Source code is mostly ASCII: skip eight ASCII bytes at a time (memcpy is the
                 * aliasing-safe unaligned load; compilers turn it into one mov). */
                while (n - i >= 8) {
                        uint64_t w;
                        memcpy(&w, p + i, 8);
                        if (w & UINT64_C(0x8080808080808080))
                                break;
                        i += 8;
                }
                if (i >= n)
                        break;
                if (p[i] < 0x80) {
                        i++;
                        continue;
                }
                uint32_t cp;
                size_t k = utf8_decode(p + i, n - i, &cp);
                if (k == 0)
                        return i;
                i += k;
        }
        return n;
}

bool utf8_is_valid(const char *s, size_t n) {
        return utf8_first_invalid(s, n) == n;
}

size_t utf8_cut(const char *s, size_t n, size_t max) {
        if (n <= max)
                return n;
        while (max > 0 && ((unsigned char) s[max] & 0xC0) == 0x80)
                max--;
        return max;
}

size_t utf8_length(const char *s) {
        size_t count = 0;
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if ((*p & 0xC0) != 0x80)
                        count++;
        return count;
}

size_t utf8_encode(uint32_t cp, char out[4]) {
        if (cp < 0x80) {
                out[0] = (char) cp;
                return 1;
        }
        if (cp < 0x800) {
                out[0] = (char) (0xc0 | (cp >> 6));
                out[1] = (char) (0x80 | (cp & 0x3f));
                return 2;
        }
        if (cp < 0x10000) {
                out[0] = (char) (0xe0 | (cp >> 12));
                out[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
                out[2] = (char) (0x80 | (cp & 0x3f));
                return 3;
        }
        out[0] = (char) (0xf0 | (cp >> 18));
        out[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char) (0x80 | (cp & 0x3f));
        return 4;
}
