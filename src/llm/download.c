/* Downloads for `add <URL>` (download.h). */
#include "download.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/envnum.h"
#include "../base/fileio.h"
#include "../base/macros.h"
#include "http.h"

static long timeout_ms(void) {
        unsigned long long secs = DOWNLOAD_TIMEOUT_DEFAULT_SECS; /* also for an invalid value */
        (void) env_number("SKILLLITE_DOWNLOAD_TIMEOUT_SECS", 1, 3600, &secs);
        return (long) secs * 1000;
}

int http_download_file(const char *url, const char *dst_path, uint64_t max, struct error *err) {
        _cleanup_http_client_ struct http_client *c = NULL;
        int r = http_client_new(&c, err);
        if (r < 0)
                return r;
        struct http_request req = { .url = url, .timeout_ms = timeout_ms(),
                                    .max_body = max > SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t) max };
        struct http_response res = { 0 };
        r = http_perform(c, &req, &res, err);
        if (r == -EFBIG) {
                http_response_done(&res);
                _cleanup_free_ char *shown = http_display_url(url);
                return error_set(err, -E2BIG, "%s: larger than %llu MiB", shown ? shown : "download",
                                 (unsigned long long) (max >> 20));
        }
        if (r < 0) {
                http_response_done(&res);
                return r;
        }
        if (res.status != 200) {
                _cleanup_free_ char *shown = http_display_url(url);
                struct error why = ERROR_INIT;
                http_status_error(&res, shown ? shown : "the URL", NULL, &why);
                http_response_done(&res);
                return error_set(err, -EIO, "%s", why.msg);
        }
        _cleanup_close_ int fd = open(dst_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                r = -errno;
                http_response_done(&res);
                return error_set(err, r, "%s: %s", dst_path, strerror(-r));
        }
        r = write_all(fd, res.body, res.len);
        http_response_done(&res);
        if (r < 0)
                return error_set(err, r, "%s: %s", dst_path, strerror(-r));
        return 0;
}
