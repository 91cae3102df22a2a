/* The scan cache (scan_cache.h). */
#include "scan_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/fileio.h"
#include "../base/json.h"
#include "../base/macros.h"
#include "../base/xdg.h"
#include "scan.h"

#define SCAN_CACHE_MAX_BYTES (8u * 1024 * 1024)

static bool cache_enabled(void) {
        const char *v = getenv("SKILLLITE_SCAN_CACHE");
        return !(v && (streq(v, "0") || streq(v, "false") || streq(v, "no") || streq(v, "off")));
}

int scan_cache_key(const char *skill_hash, const char *db_stamp, char out[SHA256_HEX_BYTES]) {
        _cleanup_free_ char *material = NULL;
        int k = asprintf(&material, "scan-cache-v1\n%s\n%s\n%s", skill_hash, SCAN_RULES_VERSION,
                         db_stamp ? db_stamp : "");
        if (k < 0)
                return -ENOMEM;
        uint8_t d[SHA256_DIGEST_BYTES];
        int r = sha256_buffer(material, (size_t) k, d);
        if (r < 0)
                return r;
        sha256_to_hex(d, out);
        return 0;
}

static char *entry_path(const char *key, bool create) {
        _cleanup_free_ char *dir = NULL;
        char *path = NULL;
        if (xdg_path(XDG_CACHE, "scan", create, &dir) < 0 ||
            asprintf(&path, "%s/%s.json", dir, key) < 0)
                return NULL;
        return path;
}

json_t *scan_cache_load(const char *key) {
        if (!cache_enabled())
                return NULL;
        _cleanup_free_ char *path = entry_path(key, false);
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        if (!path || read_file_at_bounded(AT_FDCWD, path, SCAN_CACHE_MAX_BYTES, &data, &len) < 0)
                return NULL;
        struct error err = { 0 };
        json_t *j = json_parse_strict(data, len, SCAN_CACHE_MAX_BYTES, &err);
        if (j && (!json_is_object(j) || !json_is_string(json_object_get(j, "verdict")))) {
                json_decref(j);
                return NULL;
        }
        return j;
}

int scan_cache_store(const char *key, const json_t *report) {
        if (!cache_enabled())
                return 0;
        _cleanup_free_ char *path = entry_path(key, true);
        if (!path)
                return -ENOMEM;
        _cleanup_free_ char *text = json_dumps(report, JSON_COMPACT);
        if (!text)
                return -ENOMEM;
        return write_file_atomic(path, text, strlen(text), 0600);
}
