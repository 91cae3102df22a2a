/* jansson convenience wrappers. */
#include "json.h"

#include "buf.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

json_t *json_parse_strict(const char *text, size_t len, size_t max_len, struct error *err) {
        if (len > max_len) {
                error_set(err, -EFBIG, "JSON input is %zu bytes, over the %zu byte limit", len,
                          max_len);
                return NULL;
        }
        json_error_t jerr;
        json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!j)
                error_set(err, -EINVAL, "invalid JSON at line %d column %d: %s", jerr.line,
                          jerr.column, jerr.text);
        return j;
}

char *json_to_string(const json_t *j, int pretty) {
        size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
        flags |= pretty ? JSON_INDENT(2) : JSON_COMPACT;
        return json_dumps(j, flags);
}

int json_print(FILE *f, const json_t *j, int pretty) {
        _cleanup_free_ char *s = json_to_string(j, pretty);
        if (!s)
                return -ENOMEM;
        if (fputs(s, f) < 0 || fputc('\n', f) < 0)
                return -EIO;
        return 0;
}

int json_object_set_string_or_null(json_t *obj, const char *key, const char *s) {
        json_t *v = s ? json_string(s) : json_null();
        if (!v)
                return -ENOMEM;
        return json_object_set_new(obj, key, v) == 0 ? 0 : -ENOMEM;
}

int json_array_append_string(json_t *arr, const char *s) {
        json_t *v = json_string(s);
        if (!v)
                return -ENOMEM;
        return json_array_append_new(arr, v) == 0 ? 0 : -ENOMEM;
}

json_t *json_stringn_lossy(const char *s, size_t n) {
        json_t *j = json_stringn(s ? s : "", s ? n : 0);
        if (j || !s)
                return j;
        /* Not UTF-8 (a host path, a skill's raw output): each invalid byte becomes U+FFFD. */
        _cleanup_buf_ struct buf fixed = BUF_INIT(n * 3 + 1);
        for (size_t i = 0; i < n;) {
                size_t ok = utf8_first_invalid(s + i, n - i);
                if (buf_append(&fixed, s + i, ok) < 0)
                        return NULL;
                i += ok;
                if (i < n) {
                        if (buf_append(&fixed, "\xEF\xBF\xBD", 3) < 0)
                                return NULL;
                        i++;
                }
        }
        return json_stringn(fixed.data ? fixed.data : "", fixed.len);
}
